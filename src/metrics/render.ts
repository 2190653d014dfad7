// The /metrics page in the Prometheus text format (0.0.4) as etcd's Go client writes it:
// families sorted by name, families without samples left out, labels sorted by name
// (`le` last), samples sorted by label values, numbers in Go's float form.
import client from "prom-client";
import { formatGoFloat } from "./gofloat.js";
import { handlerMetrics } from "./process.js";

export const METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

type Labels = Readonly<Record<string, string | number>>;

interface Sample {
  readonly value: number;
  readonly labels: Labels;
  readonly metricName?: string;
}

const escapeHelp = (s: string) => s.replaceAll("\\", "\\\\").replaceAll("\n", "\\n");
const escapeLabel = (s: string) => s.replaceAll("\\", "\\\\").replaceAll("\n", "\\n").replaceAll('"', '\\"');

function labelText(labels: Labels): string {
  const names = Object.keys(labels)
    .filter((n) => n !== "le")
    .sort();
  if ("le" in labels) names.push("le");
  if (names.length === 0) return "";
  const pairs = names.map((n) => {
    const v = labels[n]!;
    return `${n}="${escapeLabel(typeof v === "number" ? formatGoFloat(v) : v)}"`;
  });
  return `{${pairs.join(",")}}`;
}

/** The sort key of a sample: its label values in label-name order, `le` numerically last. */
function sampleKey(s: Sample): string {
  return Object.keys(s.labels)
    .filter((n) => n !== "le")
    .sort()
    .map((n) => String(s.labels[n]))
    .join("\u0000");
}

/** Renders a registry (prom-client's global one by default). */
export async function renderRegistry(registry: client.Registry = client.register): Promise<string> {
  const families = (await registry.getMetricsAsJSON()) as unknown as {
    name: string;
    help: string;
    type: string;
    values: Sample[];
  }[];
  families.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  let out = "";
  for (const family of families) {
    if (family.values.length === 0) continue;
    out += `# HELP ${family.name} ${escapeHelp(family.help)}\n# TYPE ${family.name} ${family.type}\n`;
    // Keep each series' rows together (buckets, sum, count) and order series by label values.
    const series = new Map<string, Sample[]>();
    for (const s of family.values) {
      const key = sampleKey(s);
      const rows = series.get(key);
      if (rows) rows.push(s);
      else series.set(key, [s]);
    }
    for (const key of [...series.keys()].sort()) {
      for (const s of series.get(key)!) {
        out += `${s.metricName ?? family.name}${labelText(s.labels)} ${formatGoFloat(s.value)}\n`;
      }
    }
  }
  return out;
}

/** What /metrics serves: etcd's metrics, the gRPC server's, the process's. */
export async function renderMetrics(): Promise<{ contentType: string; body: string }> {
  handlerMetrics.inFlight.inc();
  try {
    const body = await renderRegistry();
    handlerMetrics.requests.inc({ code: "200" });
    return { contentType: METRICS_CONTENT_TYPE, body };
  } catch (e) {
    handlerMetrics.requests.inc({ code: "500" });
    throw e;
  } finally {
    handlerMetrics.inFlight.dec();
  }
}
