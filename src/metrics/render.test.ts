import assert from "node:assert/strict";
import { test } from "node:test";
import client from "prom-client";
import { renderRegistry } from "./render.js";

test("render - families sorted by name, HELP and TYPE first, empty families left out", async () => {
  const r = new client.Registry();
  new client.Counter({ name: "zz_total", help: "last", registers: [r] }).inc(3);
  new client.Gauge({ name: "aa_gauge", help: "first\\line\nbreak", registers: [r] }).set(1.5);
  new client.Counter({ name: "mm_vec", help: "no samples yet", labelNames: ["To"], registers: [r] });
  assert.equal(
    await renderRegistry(r),
    [
      "# HELP aa_gauge first\\\\line\\nbreak",
      "# TYPE aa_gauge gauge",
      "aa_gauge 1.5",
      "# HELP zz_total last",
      "# TYPE zz_total counter",
      "zz_total 3",
      "",
    ].join("\n"),
  );
});

test("render - labels sorted by name, series by label values, values escaped", async () => {
  const r = new client.Registry();
  const c = new client.Counter({ name: "req_total", help: "h", labelNames: ["z", "a"], registers: [r] });
  c.inc({ z: "2", a: 'q"x' });
  c.inc({ z: "1", a: "b" }, 1e6);
  assert.equal(
    await renderRegistry(r),
    [
      "# HELP req_total h",
      "# TYPE req_total counter",
      'req_total{a="b",z="1"} 1e+06',
      'req_total{a="q\\"x",z="2"} 1',
      "",
    ].join("\n"),
  );
});

test("render - histograms as Go writes them: le last, bounds in Go's float form", async () => {
  const r = new client.Registry();
  const h = new client.Histogram({
    name: "ttl",
    help: "h",
    labelNames: ["To"],
    buckets: [0.001, 524288, 1048576],
    registers: [r],
  });
  h.observe({ To: "b" }, 2);
  h.observe({ To: "a" }, 0.0005);
  const text = await renderRegistry(r);
  assert.deepEqual(text.split("\n").slice(2, 12), [
    'ttl_bucket{To="a",le="0.001"} 1',
    'ttl_bucket{To="a",le="524288"} 1',
    'ttl_bucket{To="a",le="1.048576e+06"} 1',
    'ttl_bucket{To="a",le="+Inf"} 1',
    'ttl_sum{To="a"} 0.0005',
    'ttl_count{To="a"} 1',
    'ttl_bucket{To="b",le="0.001"} 0',
    'ttl_bucket{To="b",le="524288"} 1',
    'ttl_bucket{To="b",le="1.048576e+06"} 1',
    'ttl_bucket{To="b",le="+Inf"} 1',
  ]);
});
