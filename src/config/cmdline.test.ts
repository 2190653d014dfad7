import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { configOf, errorOf, noticesOf, texts, usageErrorOf } from "./testkit.js";

test("cmdline - one dash and two dashes are the same flag", () => {
  assert.equal(configOf(["-name", "a"]).name, "a");
  assert.equal(configOf(["--name", "a"]).name, "a");
  assert.equal(configOf(["-name=a"]).name, "a");
  assert.equal(configOf(["--name=a"]).name, "a");
});

test("cmdline - a value may contain = and start with a dash", () => {
  assert.equal(configOf(["--initial-cluster-token", "-x=y"]).initialClusterToken, "-x=y");
  assert.equal(configOf(["--initial-cluster-token=a=b"]).initialClusterToken, "a=b");
});

test("cmdline - booleans take no separate value", () => {
  assert.equal(configOf(["--enable-v2"]).enableV2, true);
  assert.equal(configOf(["--enable-v2=true"]).enableV2, true);
  assert.equal(configOf(["--strict-reconfig-check=false"]).strictReconfigCheck, false);
  assert.equal(configOf(["-strict-reconfig-check=0"]).strictReconfigCheck, false);
  assert.equal(errorOf(["--enable-v2", "true"]), "'true' is not a valid flag");
});

test("cmdline - the last occurrence of a flag wins", () => {
  assert.equal(configOf(["--name", "a", "--name", "b"]).name, "b");
});

test("cmdline - -- ends the flags", () => {
  assert.equal(errorOf(["--name", "a", "--", "--name", "b"]), "'--name' is not a valid flag");
  assert.equal(configOf(["--name", "a", "--"]).name, "a");
});

test("cmdline - usage errors carry Go's flag package text", () => {
  assert.equal(usageErrorOf(["--foo"]), "flag provided but not defined: -foo");
  assert.equal(usageErrorOf(["-foo=1"]), "flag provided but not defined: -foo");
  assert.equal(usageErrorOf(["--name"]), "flag needs an argument: -name");
  assert.equal(usageErrorOf(["---name"]), "bad flag syntax: ---name");
  assert.equal(usageErrorOf(["-=x"]), "bad flag syntax: -=x");
});

test("cmdline - bad values carry etcd's text for each kind of flag", () => {
  // Each message was taken from etcd 3.4.23 given the same argument.
  const cases: [string[], string][] = [
    [["--heartbeat-interval", "abc"], 'invalid value "abc" for flag -heartbeat-interval: parse error'],
    [["--snapshot-count", "-5"], 'invalid value "-5" for flag -snapshot-count: parse error'],
    [["--quota-backend-bytes", "1e9"], 'invalid value "1e9" for flag -quota-backend-bytes: parse error'],
    [["--grpc-keepalive-min-time", "5"], 'invalid value "5" for flag -grpc-keepalive-min-time: parse error'],
    [
      ["--initial-cluster-state", "foo"],
      'invalid value "foo" for flag -initial-cluster-state: invalid value',
    ],
    [["--proxy", "bad"], 'invalid value "bad" for flag -proxy: invalid value'],
    [
      ["--max-concurrent-streams", "-1"],
      'invalid value "-1" for flag -max-concurrent-streams: strconv.ParseUint: parsing "-1": invalid syntax',
    ],
    [
      ["--listen-client-urls", "foo"],
      'invalid value "foo" for flag -listen-client-urls: URL scheme must be http, https, unix, or unixs: foo',
    ],
    [["--enable-v2=maybe"], 'invalid boolean value "maybe" for -enable-v2: parse error'],
    [
      ["--max-wals", "99999999999999999999"],
      'invalid value "99999999999999999999" for flag -max-wals: value out of range',
    ],
  ];
  for (const [args, message] of cases) assert.equal(usageErrorOf(args), message, args.join(" "));
});

test("cmdline - CORS origins need a port, as etcd's URL lists do", () => {
  assert.equal(
    usageErrorOf(["--cors", "http://a.com"]),
    'invalid value "http://a.com" for flag -cors: URL address does not have the form "host:port": http://a.com',
  );
  assert.deepEqual(configOf(["--cors", "http://a.com:80", "--cors", "*"]).cors, ["*", "http://a.com:80"]);
});

test("cmdline - pre-3.0 flags are accepted and ignored with etcd's warning", () => {
  assert.ok(texts(noticesOf(["-v"])).includes('flag "-v" is no longer supported - ignoring.'));
  assert.ok(
    texts(noticesOf(["--peer-election-timeout=5"])).includes(
      'flag "-peer-election-timeout" is no longer supported - ignoring.',
    ),
  );
});

test("cmdline - URL flags keep their list when given an empty value", () => {
  const c = configOf(["--listen-client-urls", "", "--advertise-client-urls", "http://10.0.0.1:2379"]);
  assert.deepEqual(
    c.listenClientUrls.map((u) => u.href),
    ["http://localhost:2379"],
  );
});

test("cmdline - list flags split on commas", () => {
  const c = configOf([
    "--cipher-suites",
    "TLS_B,TLS_A",
    "--host-whitelist",
    "b.com,a.com,a.com",
    "--cors",
    "http://b.com:80,http://a.com:80",
    "--log-outputs",
    "/tmp/b.log,/tmp/a.log",
  ]);
  assert.deepEqual(c.cipherSuites, ["TLS_B", "TLS_A"]);
  assert.deepEqual(c.hostWhitelist, ["a.com", "b.com"]);
  assert.deepEqual(c.cors, ["http://a.com:80", "http://b.com:80"]);
  assert.deepEqual(c.logOutputs, ["/tmp/a.log", "/tmp/b.log"]);
});

test("cmdline - any string value arrives unchanged in both forms", () => {
  fc.assert(
    fc.property(fc.string(), (value) => {
      assert.equal(configOf([`--initial-cluster-token=${value}`]).initialClusterToken, value);
      assert.equal(configOf(["-initial-cluster-token", value]).initialClusterToken, value);
    }),
    { numRuns: 200 },
  );
});
