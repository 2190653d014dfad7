// Where kube-apiserver keeps each resource in etcd, and back: kubectl's resource names
// (plural, singular, short names, kind, `<resource>.<group>`) <-> storage prefixes under
// /registry, and an etcd key -> {resource, namespace, name}.
//
// The rule (kube-apiserver's storage factory): the prefix is the plural resource name,
// except a few compiled-in specials (nodes -> minions, services -> services/specs,
// endpoints -> services/endpoints, replicationcontrollers -> controllers, ingresses ->
// ingress); groups served by the extension apiserver and the aggregator
// (apiextensions.k8s.io, apiregistration.k8s.io) and custom resources are stored under
// <group>/<resource>.

export const DEFAULT_REGISTRY_PREFIX = "/registry";

export interface ResourceInfo {
  /** Plural resource name, as kubectl calls it ("pods"). */
  readonly resource: string;
  /** API group ("" for the core group). */
  readonly group: string;
  /** Storage version's apiVersion ("v1", "apps/v1"). */
  readonly apiVersion: string;
  readonly kind: string;
  readonly shortNames: readonly string[];
  readonly namespaced: boolean;
  /** Path under the registry prefix ("pods", "minions", "services/specs"). */
  readonly storagePrefix: string;
  /** False for custom resources (and unknown ones) found only by their key. */
  readonly builtIn: boolean;
}

type Row = [resource: string, kind: string, shortNames: string, namespaced: boolean, storage?: string];

// Built-in resources of Kubernetes 1.36 that the apiserver stores, by group and version.
const BUILT_IN: Record<string, Row[]> = {
  v1: [
    ["configmaps", "ConfigMap", "cm", true],
    ["endpoints", "Endpoints", "ep", true, "services/endpoints"],
    ["events", "Event", "ev", true],
    ["limitranges", "LimitRange", "limits", true],
    ["namespaces", "Namespace", "ns", false],
    ["nodes", "Node", "no", false, "minions"],
    ["persistentvolumeclaims", "PersistentVolumeClaim", "pvc", true],
    ["persistentvolumes", "PersistentVolume", "pv", false],
    ["pods", "Pod", "po", true],
    ["podtemplates", "PodTemplate", "", true],
    ["replicationcontrollers", "ReplicationController", "rc", true, "controllers"],
    ["resourcequotas", "ResourceQuota", "quota", true],
    ["secrets", "Secret", "", true],
    ["serviceaccounts", "ServiceAccount", "sa", true],
    ["services", "Service", "svc", true, "services/specs"],
  ],
  "admissionregistration.k8s.io/v1": [
    ["mutatingwebhookconfigurations", "MutatingWebhookConfiguration", "", false],
    ["validatingwebhookconfigurations", "ValidatingWebhookConfiguration", "", false],
    ["validatingadmissionpolicies", "ValidatingAdmissionPolicy", "", false],
    ["validatingadmissionpolicybindings", "ValidatingAdmissionPolicyBinding", "", false],
  ],
  "admissionregistration.k8s.io/v1beta1": [
    ["mutatingadmissionpolicies", "MutatingAdmissionPolicy", "", false],
    ["mutatingadmissionpolicybindings", "MutatingAdmissionPolicyBinding", "", false],
  ],
  "apiextensions.k8s.io/v1": [["customresourcedefinitions", "CustomResourceDefinition", "crd,crds", false]],
  "apiregistration.k8s.io/v1": [["apiservices", "APIService", "", false]],
  "apps/v1": [
    ["controllerrevisions", "ControllerRevision", "", true],
    ["daemonsets", "DaemonSet", "ds", true],
    ["deployments", "Deployment", "deploy", true],
    ["replicasets", "ReplicaSet", "rs", true],
    ["statefulsets", "StatefulSet", "sts", true],
  ],
  "autoscaling/v2": [["horizontalpodautoscalers", "HorizontalPodAutoscaler", "hpa", true]],
  "batch/v1": [
    ["cronjobs", "CronJob", "cj", true],
    ["jobs", "Job", "", true],
  ],
  "certificates.k8s.io/v1": [["certificatesigningrequests", "CertificateSigningRequest", "csr", false]],
  "certificates.k8s.io/v1beta1": [["clustertrustbundles", "ClusterTrustBundle", "", false]],
  "coordination.k8s.io/v1": [["leases", "Lease", "", true]],
  "coordination.k8s.io/v1beta1": [["leasecandidates", "LeaseCandidate", "", true]],
  "discovery.k8s.io/v1": [["endpointslices", "EndpointSlice", "", true]],
  "flowcontrol.apiserver.k8s.io/v1": [
    ["flowschemas", "FlowSchema", "", false],
    ["prioritylevelconfigurations", "PriorityLevelConfiguration", "", false],
  ],
  "internal.apiserver.k8s.io/v1alpha1": [["storageversions", "StorageVersion", "", false]],
  "networking.k8s.io/v1": [
    ["ingressclasses", "IngressClass", "", false],
    ["ingresses", "Ingress", "ing", true, "ingress"],
    ["ipaddresses", "IPAddress", "ip", false],
    ["networkpolicies", "NetworkPolicy", "netpol", true],
    ["servicecidrs", "ServiceCIDR", "", false],
  ],
  "node.k8s.io/v1": [["runtimeclasses", "RuntimeClass", "", false]],
  "policy/v1": [["poddisruptionbudgets", "PodDisruptionBudget", "pdb", true]],
  "rbac.authorization.k8s.io/v1": [
    ["clusterrolebindings", "ClusterRoleBinding", "", false],
    ["clusterroles", "ClusterRole", "", false],
    ["rolebindings", "RoleBinding", "", true],
    ["roles", "Role", "", true],
  ],
  "resource.k8s.io/v1": [
    ["deviceclasses", "DeviceClass", "", false],
    ["resourceclaims", "ResourceClaim", "", true],
    ["resourceclaimtemplates", "ResourceClaimTemplate", "", true],
    ["resourceslices", "ResourceSlice", "", false],
  ],
  "scheduling.k8s.io/v1": [["priorityclasses", "PriorityClass", "pc", false]],
  "storage.k8s.io/v1": [
    ["csidrivers", "CSIDriver", "", false],
    ["csinodes", "CSINode", "", false],
    ["csistoragecapacities", "CSIStorageCapacity", "", true],
    ["storageclasses", "StorageClass", "sc", false],
    ["volumeattachments", "VolumeAttachment", "", false],
    ["volumeattributesclasses", "VolumeAttributesClass", "vac", false],
  ],
  "storagemigration.k8s.io/v1beta1": [["storageversionmigrations", "StorageVersionMigration", "", false]],
};

/** Groups whose objects sit under <group>/<resource> like custom resources. */
const GROUP_PREFIXED = new Set(["apiextensions.k8s.io", "apiregistration.k8s.io"]);

/** Keys under the registry that are not objects of a resource (allocators, leases). */
const INTERNAL: Record<string, string> = {
  ranges: "RangeAllocation",
  masterleases: "Endpoints",
};

function buildTable(): ResourceInfo[] {
  const out: ResourceInfo[] = [];
  for (const [apiVersion, rows] of Object.entries(BUILT_IN)) {
    const group = apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";
    for (const [resource, kind, short, namespaced, storage] of rows) {
      out.push({
        resource,
        group,
        apiVersion,
        kind,
        shortNames: short ? short.split(",") : [],
        namespaced,
        storagePrefix: storage ?? (GROUP_PREFIXED.has(group) ? `${group}/${resource}` : resource),
        builtIn: true,
      });
    }
  }
  return out;
}

const TABLE = buildTable();
const BY_PREFIX = new Map(TABLE.map((r) => [r.storagePrefix, r]));

/** Every built-in resource the lens knows, in a stable order. */
export function builtInResources(): readonly ResourceInfo[] {
  return TABLE;
}

/** Thrown for a resource name that matches nothing. */
export class UnknownResourceError extends Error {
  override name = "UnknownResourceError";
  constructor(readonly input: string) {
    super(`the server doesn't have a resource type "${input}"`);
  }
}

/**
 * A resource from what a user types: "pods", "pod", "po", "Pod", "deployments.apps",
 * "deploy.apps", or a custom resource as "<plural>.<group>" or "<group>/<plural>"
 * (custom resources are namespaced unless `clusterScoped` is given).
 */
export function resolveResource(input: string, opts: { clusterScoped?: boolean } = {}): ResourceInfo {
  const text = input.trim();
  if (text.includes("/")) {
    const slash = text.indexOf("/");
    const group = text.slice(0, slash);
    const resource = text.slice(slash + 1);
    const known = TABLE.find((r) => r.group === group && r.resource === resource);
    if (known) return known;
    if (!group.includes(".") || !/^[a-z0-9][a-z0-9.-]*$/.test(resource))
      throw new UnknownResourceError(input);
    return customResource(group, resource, !opts.clusterScoped);
  }
  const lower = text.toLowerCase();
  const dot = lower.indexOf(".");
  const name = dot < 0 ? lower : lower.slice(0, dot);
  const group = dot < 0 ? undefined : lower.slice(dot + 1);
  const matches = TABLE.filter(
    (r) =>
      (group === undefined || r.group === group || (group === "core" && r.group === "")) &&
      (r.resource === name || r.kind.toLowerCase() === name || r.shortNames.includes(name)),
  );
  // Without a group, the core group wins (as kubectl prefers it: events, not events.k8s.io).
  const found = matches.find((r) => r.group === "") ?? matches[0];
  if (found) return found;
  if (group?.includes(".")) return customResource(group, name, !opts.clusterScoped);
  throw new UnknownResourceError(input);
}

function customResource(group: string, resource: string, namespaced: boolean): ResourceInfo {
  return {
    resource,
    group,
    apiVersion: "",
    kind: "",
    shortNames: [],
    namespaced,
    storagePrefix: `${group}/${resource}`,
    builtIn: false,
  };
}

/** "pods" or "deployments.apps": the name kubectl would print for a resource. */
export function resourceName(info: ResourceInfo): string {
  return info.group === "" ? info.resource : `${info.resource}.${info.group}`;
}

/** The etcd key prefix of a resource (ending in "/"), optionally within a namespace. */
export function storagePrefix(
  info: ResourceInfo,
  namespace?: string,
  registry = DEFAULT_REGISTRY_PREFIX,
): string {
  const base = `${registry}/${info.storagePrefix}/`;
  if (namespace === undefined || namespace === "") return base;
  if (!info.namespaced) throw new Error(`${resourceName(info)} is not namespaced`);
  return `${base}${namespace}/`;
}

/** The etcd key of one object. */
export function objectKey(
  info: ResourceInfo,
  namespace: string | undefined,
  name: string,
  registry = DEFAULT_REGISTRY_PREFIX,
) {
  if (info.namespaced && !namespace)
    throw new Error(`${resourceName(info)} is namespaced: a namespace is required`);
  if (!info.namespaced && namespace) throw new Error(`${resourceName(info)} is not namespaced`);
  return `${storagePrefix(info, namespace, registry)}${name}`;
}

export interface ParsedKey {
  resource: ResourceInfo;
  /** "" for cluster-scoped objects. */
  namespace: string;
  name: string;
}

/** {resource, namespace, name} of an etcd key, or undefined when it is not an object's key. */
export function parseKey(
  key: string | Uint8Array,
  registry = DEFAULT_REGISTRY_PREFIX,
): ParsedKey | undefined {
  const text = typeof key === "string" ? key : Buffer.from(key).toString("utf8");
  if (!text.startsWith(`${registry}/`)) return undefined;
  const parts = text.slice(registry.length + 1).split("/");
  if (parts.some((p) => p === "")) return undefined;
  const two = parts.length >= 3 ? BY_PREFIX.get(`${parts[0]}/${parts[1]}`) : undefined;
  if (two) return place(two, parts.slice(2));
  const one = BY_PREFIX.get(parts[0]!);
  if (one) return place(one, parts.slice(1));
  const first = parts[0]!;
  if (INTERNAL[first] && parts.length === 2) {
    const info: ResourceInfo = {
      ...customResource("", first, false),
      kind: INTERNAL[first]!,
      storagePrefix: first,
    };
    return { resource: info, namespace: "", name: parts[1]! };
  }
  if (first.includes(".") && parts.length >= 3) {
    // A custom resource: <group>/<resource>/[<namespace>/]<name>.
    const rest = parts.slice(2);
    if (rest.length > 2) return undefined;
    return {
      resource: customResource(first, parts[1]!, rest.length === 2),
      namespace: rest.length === 2 ? rest[0]! : "",
      name: rest[rest.length - 1]!,
    };
  }
  if (parts.length === 2 || parts.length === 3) {
    // A resource this table does not know: its shape tells whether it is namespaced.
    const info = customResource("", first, parts.length === 3);
    return {
      resource: { ...info, storagePrefix: first },
      namespace: parts.length === 3 ? parts[1]! : "",
      name: parts[parts.length - 1]!,
    };
  }
  return undefined;
}

function place(info: ResourceInfo, rest: string[]): ParsedKey | undefined {
  if (info.namespaced && rest.length === 2) return { resource: info, namespace: rest[0]!, name: rest[1]! };
  if (!info.namespaced && rest.length === 1) return { resource: info, namespace: "", name: rest[0]! };
  return undefined;
}
