// apiVersion + kind -> the schema message that stores it. Derived from the schema's
// package list: package k8s.io.api.<g>.<v> serves every group whose first DNS label is
// <g> (apps, rbac.authorization.k8s.io, ...); the core group "" is k8s.io.api.core.
import type { MessageDef, Schema } from "./schema.js";

/** Groups whose first DNS label is not their package's name. */
const PACKAGE_EXCEPTIONS: Record<string, string> = {
  "internal.apiserver.k8s.io": "k8s.io.api.apiserverinternal",
  "meta.k8s.io": "k8s.io.apimachinery.pkg.apis.meta",
};

/** Splits "apps/v1" into group "apps" and version "v1" ("v1" is the core group ""). */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf("/");
  if (slash < 0) return { group: "", version: apiVersion };
  return { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** The protobuf package of an apiVersion, or undefined when the schema has none. */
export function packageOf(schema: Schema, apiVersion: string): string | undefined {
  const { group, version } = splitApiVersion(apiVersion);
  if (!/^v\d+((alpha|beta)\d+)?$/.test(version)) return undefined;
  const base =
    PACKAGE_EXCEPTIONS[group] ?? (group === "" ? "k8s.io.api.core" : `k8s.io.api.${group.split(".")[0]!}`);
  const pkg = `${base}.${version}`;
  return schema.hasPackage(pkg) ? pkg : undefined;
}

/** The message stored for apiVersion/kind, or undefined when the schema does not know it. */
export function messageOf(schema: Schema, apiVersion: string, kind: string): MessageDef | undefined {
  if (!/^[A-Z][A-Za-z0-9]*$/.test(kind)) return undefined;
  const pkg = packageOf(schema, apiVersion);
  return pkg ? schema.message(`${pkg}.${kind}`) : undefined;
}
