// Builds src/k8s/schema-data.ts: the protobuf wire schema of stored Kubernetes types
// (shared/k8s/schema-*.json) joined with what the wire cannot say but a kubectl-identical
// rendering needs: each field's Go JSON tag (omitempty, omitzero, inline, "-") and
// whether its Go type is a pointer. The tags come from the Go sources of k8s.io/api and
// k8s.io/apimachinery at the schema's release (Apache-2.0, The Kubernetes Authors).
//
//   node scripts/gen-k8s-schema.mjs SCHEMA.json API_DIR APIMACHINERY_DIR > src/k8s/schema-data.ts
//
// API_DIR and APIMACHINERY_DIR are source trees of the two repositories at the tag the
// schema names (e.g. `git archive v0.36.3 | tar -x -C DIR`).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const [schemaPath, apiDir, machineryDir] = process.argv.slice(2);
if (!schemaPath || !apiDir || !machineryDir) {
  console.error("usage: gen-k8s-schema.mjs SCHEMA.json API_DIR APIMACHINERY_DIR");
  process.exit(2);
}
const schema = JSON.parse(readFileSync(schemaPath, "utf8"));

// Flags carried per field; keep in step with src/k8s/schema.ts.
const REPEATED = 1;
const POINTER = 2;
const OMITEMPTY = 4;
const OMITZERO = 8;
const INLINE = 16;
const SKIP = 32;
const UNTAGGED = 64;

/**
 * From one package directory: Go struct fields with a protobuf tag by struct name, named
 * slice types (`type Verbs []string`: a message of `items` on the wire, a plain list in
 * JSON), and types defined as another package's struct (`type X v1.X`).
 */
function goStructs(dir) {
  const structs = new Map();
  const lists = new Set();
  const aliases = new Map();
  for (const file of readdirSync(dir)) {
    if (!file.endsWith(".go") || file.endsWith("_test.go")) continue;
    const text = readFileSync(join(dir, file), "utf8");
    const lines = text.split("\n");
    let current = null;
    for (const line of lines) {
      const list = /^type (\w+) \[\]\w+\s*$/.exec(line);
      if (list) lists.add(list[1]);
      const alias = /^type (\w+) (\w+)\.(\w+)\s*$/.exec(line);
      if (alias) {
        const imp = new RegExp(`^\\s*${alias[2]}\\s+"(k8s\\.io/[^"]+)"`, "m").exec(text);
        if (imp) aliases.set(alias[1], `${imp[1]}/generated.proto#${alias[3]}`);
      }
      const open = /^type (\w+) struct \{\s*$/.exec(line);
      if (open) {
        current = [];
        structs.set(open[1], current);
        continue;
      }
      if (current && /^\}/.test(line)) {
        current = null;
        continue;
      }
      if (!current) continue;
      const m = /^\s+(?:(\w+)\s+)?([^\s`]+)\s+`([^`]*)`/.exec(line);
      if (!m || line.trim().startsWith("//")) continue;
      const [, name, goType, tags] = m;
      const proto = /protobuf:"([^"]*)"/.exec(tags);
      if (!proto) continue;
      const json = /json:"([^"]*)"/.exec(tags);
      const protoParts = proto[1].split(",");
      const n = Number(protoParts[1]);
      const jsonParts = json ? json[1].split(",") : [name ?? goType];
      current.push({
        n,
        embedded: name === undefined,
        goType,
        jsonName: jsonParts[0],
        opts: jsonParts.slice(1),
      });
    }
  }
  return { structs, lists, aliases };
}

const dirs = new Map();
for (const [pkg, file] of Object.entries(schema.packages)) {
  const rel = file.replace(/\/generated\.proto$/, "");
  const dir = rel.startsWith("k8s.io/api/")
    ? join(apiDir, rel.slice("k8s.io/api/".length))
    : join(machineryDir, rel.slice("k8s.io/apimachinery/".length));
  dirs.set(pkg, goStructs(dir));
}

const pkgByFile = new Map(Object.entries(schema.packages).map(([pkg, file]) => [file, pkg]));
function goFieldsOf(pkg, name) {
  const found = dirs.get(pkg);
  if (!found) return undefined;
  const own = found.structs.get(name);
  if (own) return own;
  const alias = found.aliases.get(name);
  if (!alias) return undefined;
  const [file, target] = alias.split("#");
  const targetPkg = pkgByFile.get(file);
  return targetPkg ? goFieldsOf(targetPkg, target) : undefined;
}

const out = {};
const lists = [];
let untagged = 0;
for (const [full, msg] of Object.entries(schema.messages)) {
  const dot = full.lastIndexOf(".");
  const pkg = full.slice(0, dot);
  if (dirs.get(pkg)?.lists.has(full.slice(dot + 1))) lists.push(full);
  const goFields = goFieldsOf(pkg, full.slice(dot + 1));
  const fields = [];
  for (const f of msg.fields) {
    let flags = f.repeated ? REPEATED : 0;
    let jsonName = f.name;
    const go = goFields?.find((g) => g.n === f.n);
    if (!go) {
      flags |= UNTAGGED | OMITEMPTY;
      untagged++;
    } else {
      if (go.goType.startsWith("*")) flags |= POINTER;
      if (go.opts.includes("omitempty")) flags |= OMITEMPTY;
      if (go.opts.includes("omitzero")) flags |= OMITZERO;
      if (go.jsonName === "-") flags |= SKIP;
      else if (go.jsonName === "" && go.embedded) flags |= INLINE;
      else if (go.jsonName !== "") jsonName = go.jsonName;
    }
    const type = f.map ? `map<${f.map[0]},${f.map[1]}>` : f.type;
    const row = [f.n, f.name, type, flags];
    if (jsonName !== f.name) row.push(jsonName);
    fields.push(row);
  }
  out[full] = fields;
}
console.error(
  `gen-k8s-schema: ${Object.keys(out).length} messages, ${lists.length} list types, ${untagged} fields without a Go tag`,
);

const data = JSON.stringify({
  source: schema.source,
  packages: Object.keys(schema.packages),
  lists,
  messages: out,
});
process.stdout.write(
  "// Generated by scripts/gen-k8s-schema.mjs from the Kubernetes API schema and Go JSON tags\n" +
    `// (k8s.io/api, k8s.io/apimachinery ${schema.source["k8s.io/api"]}; Apache-2.0, The Kubernetes Authors). Do not edit.\n` +
    `export const SCHEMA_JSON = ${JSON.stringify(data)};\n`,
);
