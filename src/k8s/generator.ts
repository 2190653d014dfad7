// Realistic Kubernetes objects as a cluster stores them, for tests and benchmarks: the
// shapes kube-apiserver and the controllers give them (managed fields, owner references,
// probes with named ports, quantities, timestamps), each as kubectl would show it, with
// its etcd key and stored bytes (protobuf, or JSON for CRDs, APIServices and custom
// resources). Deterministic for a seed.
import { encodeObject } from "./encode.js";
import type { JsonObject } from "./json-value.js";
import { objectKey, resolveResource } from "./registry.js";

export interface GeneratedObject {
  key: string;
  object: JsonObject;
  /** The bytes kube-apiserver would store (metadata.resourceVersion is never stored). */
  value: Buffer;
  format: "protobuf" | "json";
}

/** A seeded PRNG (mulberry32) with the helpers the builders need. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  hex(n: number): string {
    let s = "";
    for (let i = 0; i < n; i++) s += "0123456789abcdef"[this.int(0, 15)];
    return s;
  }

  uid(): string {
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-${this.pick(["8", "9", "a", "b"])}${this.hex(3)}-${this.hex(12)}`;
  }

  /** A pod-template-hash / generateName suffix alphabet, as Kubernetes uses. */
  suffix(n: number): string {
    let s = "";
    for (let i = 0; i < n; i++) s += "bcdfghjklmnpqrstvwxz2456789"[this.int(0, 26)];
    return s;
  }

  ip(prefix = "10.244"): string {
    return `${prefix}.${this.int(0, 255)}.${this.int(2, 254)}`;
  }
}

const BASE_TIME = Date.UTC(2025, 0, 6, 9, 30, 0);

function time(rng: Rng, maxSecondsAgo = 86400 * 30): string {
  return new Date(BASE_TIME - rng.int(0, maxSecondsAgo) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function later(t: string, seconds: number): string {
  return new Date(Date.parse(t) + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function micro(t: string, rng: Rng): string {
  return t.replace(/Z$/, `.${String(rng.int(0, 999999)).padStart(6, "0")}Z`);
}

const APPS = ["web", "api", "checkout", "cart", "search", "auth", "billing", "catalog", "frontend", "worker"];
const TEAMS = ["payments", "platform", "growth", "core", "data"];
const NAMESPACES = ["default", "shop", "payments", "monitoring", "kube-system"];
const IMAGES = [
  "nginx:1.27.3",
  "ghcr.io/acme/api:2.14.0",
  "redis:7.4-alpine",
  "envoyproxy/envoy:v1.32.1",
  "python:3.12-slim",
];

interface Ctx {
  rng: Rng;
  namespace: string;
  app: string;
  created: string;
}

function managedFields(
  ctx: Ctx,
  manager: string,
  apiVersion: string,
  fields: JsonObject,
  subresource?: string,
): JsonObject {
  const entry: JsonObject = {
    manager,
    operation: subresource ? "Update" : ctx.rng.pick(["Apply", "Update"]),
    apiVersion,
    time: later(ctx.created, ctx.rng.int(0, 600)),
    fieldsType: "FieldsV1",
    fieldsV1: fields,
  };
  if (subresource) entry.subresource = subresource;
  return entry;
}

function meta(ctx: Ctx, name: string, extra: JsonObject = {}, namespaced = true): JsonObject {
  const m: JsonObject = { name };
  if (extra.generateName) m.generateName = extra.generateName;
  if (namespaced) m.namespace = ctx.namespace;
  m.uid = ctx.rng.uid();
  if (extra.generation !== undefined) m.generation = extra.generation;
  m.creationTimestamp = ctx.created;
  if (extra.labels) m.labels = extra.labels;
  if (extra.annotations) m.annotations = extra.annotations;
  if (extra.ownerReferences) m.ownerReferences = extra.ownerReferences;
  if (extra.finalizers) m.finalizers = extra.finalizers;
  if (extra.managedFields) m.managedFields = extra.managedFields;
  return m;
}

function owner(apiVersion: string, kind: string, name: string, uid: string): JsonObject {
  return { apiVersion, kind, name, uid, controller: true, blockOwnerDeletion: true };
}

function appLabels(ctx: Ctx): JsonObject {
  return { app: ctx.app, "app.kubernetes.io/name": ctx.app, "app.kubernetes.io/part-of": "shop" };
}

function container(ctx: Ctx, name: string, image: string): JsonObject {
  const port = ctx.rng.pick([8080, 8443, 9090, 3000]);
  const c: JsonObject = { name, image };
  if (ctx.rng.chance(0.4)) c.args = ["--port", String(port), "--log-level=info"];
  c.ports = [
    { name: "http", containerPort: port, protocol: "TCP" },
    { name: "metrics", containerPort: 9102, protocol: "TCP" },
  ];
  c.env = [
    { name: "APP_ENV", value: "production" },
    { name: "POD_NAME", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "metadata.name" } } },
    {
      name: "GOMAXPROCS",
      valueFrom: { resourceFieldRef: { containerName: name, resource: "limits.cpu", divisor: "0" } },
    },
  ];
  c.resources = {
    limits: { cpu: ctx.rng.pick(["500m", "1", "2"]), memory: ctx.rng.pick(["256Mi", "512Mi", "1Gi"]) },
    requests: {
      cpu: ctx.rng.pick(["50m", "100m", "250m"]),
      memory: ctx.rng.pick(["64Mi", "128Mi", "256Mi"]),
    },
  };
  c.volumeMounts = [
    { name: "config", readOnly: true, mountPath: "/etc/app" },
    { name: "kube-api-access", readOnly: true, mountPath: "/var/run/secrets/kubernetes.io/serviceaccount" },
  ];
  c.livenessProbe = {
    httpGet: { path: "/healthz", port: ctx.rng.chance(0.5) ? "http" : port, scheme: "HTTP" },
    initialDelaySeconds: 10,
    timeoutSeconds: 1,
    periodSeconds: 10,
    successThreshold: 1,
    failureThreshold: 3,
  };
  c.readinessProbe = {
    tcpSocket: { port: "http" },
    timeoutSeconds: 1,
    periodSeconds: 5,
    successThreshold: 1,
    failureThreshold: 3,
  };
  c.terminationMessagePath = "/dev/termination-log";
  c.terminationMessagePolicy = "File";
  c.imagePullPolicy = "IfNotPresent";
  c.securityContext = {
    capabilities: { drop: ["ALL"] },
    runAsNonRoot: true,
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
  };
  return c;
}

function podSpec(ctx: Ctx, withNode?: string): JsonObject {
  const spec: JsonObject = {
    volumes: [
      { name: "config", configMap: { name: `${ctx.app}-config`, defaultMode: 420 } },
      {
        name: "kube-api-access",
        projected: {
          sources: [
            { serviceAccountToken: { expirationSeconds: 3607, path: "token" } },
            { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
            {
              downwardAPI: {
                items: [
                  { path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } },
                ],
              },
            },
          ],
          defaultMode: 420,
        },
      },
    ],
    containers: [container(ctx, ctx.app, ctx.rng.pick(IMAGES))],
    restartPolicy: "Always",
    terminationGracePeriodSeconds: 30,
    dnsPolicy: "ClusterFirst",
    nodeSelector: { "kubernetes.io/os": "linux" },
    serviceAccountName: ctx.app,
    serviceAccount: ctx.app,
  };
  if (withNode) spec.nodeName = withNode;
  spec.securityContext = { runAsUser: 10001, fsGroup: 10001, seccompProfile: { type: "RuntimeDefault" } };
  spec.affinity = {
    podAntiAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        {
          weight: 100,
          podAffinityTerm: {
            labelSelector: { matchLabels: { app: ctx.app } },
            topologyKey: "kubernetes.io/hostname",
          },
        },
      ],
    },
  };
  spec.schedulerName = "default-scheduler";
  spec.tolerations = [
    { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
    {
      key: "node.kubernetes.io/unreachable",
      operator: "Exists",
      effect: "NoExecute",
      tolerationSeconds: 300,
    },
  ];
  if (withNode) {
    spec.priority = 0;
    spec.enableServiceLinks = true;
    spec.preemptionPolicy = "PreemptLowerPriority";
  }
  return spec;
}

function template(ctx: Ctx, extraLabels: JsonObject = {}): JsonObject {
  return {
    metadata: {
      labels: { ...appLabels(ctx), ...extraLabels },
      annotations: { "kubectl.kubernetes.io/restartedAt": later(ctx.created, 60) },
    },
    spec: podSpec(ctx),
  };
}

function condition(type: string, status: string, at: string, reason?: string, message?: string): JsonObject {
  const c: JsonObject = { type, status, lastUpdateTime: at, lastTransitionTime: at };
  if (reason) c.reason = reason;
  if (message) c.message = message;
  return c;
}

// Each builder returns [resource, namespace?, name, object].
type Built = [string, string | undefined, string, JsonObject];

function pod(ctx: Ctx): Built {
  const rs = `${ctx.app}-${ctx.rng.hex(10)}`;
  const name = `${rs}-${ctx.rng.suffix(5)}`;
  const node = `node-${ctx.rng.int(1, 40)}`;
  const started = later(ctx.created, 2);
  const containerName = ctx.app;
  const spec = podSpec(ctx, node);
  const image = ((spec.containers as JsonObject[])[0] as JsonObject).image as string;
  const ip = ctx.rng.ip();
  const hostIP = ctx.rng.ip("10.0");
  return [
    "pods",
    ctx.namespace,
    name,
    {
      apiVersion: "v1",
      kind: "Pod",
      metadata: meta(ctx, name, {
        generateName: `${rs}-`,
        labels: { ...appLabels(ctx), "pod-template-hash": rs.slice(ctx.app.length + 1) },
        annotations: { "kubectl.kubernetes.io/restartedAt": later(ctx.created, 60) },
        ownerReferences: [owner("apps/v1", "ReplicaSet", rs, ctx.rng.uid())],
        managedFields: [
          managedFields(ctx, "kube-controller-manager", "v1", {
            "f:metadata": {
              "f:generateName": {},
              "f:labels": { ".": {}, "f:app": {} },
              "f:ownerReferences": {},
            },
            "f:spec": { "f:containers": { [`k:{"name":"${containerName}"}`]: { ".": {}, "f:image": {} } } },
          }),
          managedFields(
            ctx,
            "kubelet",
            "v1",
            {
              "f:status": { "f:conditions": {}, "f:containerStatuses": {}, "f:podIP": {}, "f:startTime": {} },
            },
            "status",
          ),
        ],
      }),
      spec,
      status: {
        phase: "Running",
        conditions: [
          {
            type: "PodReadyToStartContainers",
            status: "True",
            lastProbeTime: null,
            lastTransitionTime: started,
          },
          { type: "Initialized", status: "True", lastProbeTime: null, lastTransitionTime: ctx.created },
          { type: "Ready", status: "True", lastProbeTime: null, lastTransitionTime: later(started, 8) },
          {
            type: "ContainersReady",
            status: "True",
            lastProbeTime: null,
            lastTransitionTime: later(started, 8),
          },
          { type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: ctx.created },
        ],
        hostIP,
        hostIPs: [{ ip: hostIP }],
        podIP: ip,
        podIPs: [{ ip }],
        startTime: ctx.created,
        containerStatuses: [
          {
            name: containerName,
            state: { running: { startedAt: started } },
            lastState: {},
            ready: true,
            restartCount: ctx.rng.pick([0, 0, 0, 1, 3]),
            image,
            imageID: `docker.io/library/${image.split(":")[0]}@sha256:${ctx.rng.hex(64)}`,
            containerID: `containerd://${ctx.rng.hex(64)}`,
            started: true,
          },
        ],
        qosClass: "Burstable",
      },
    },
  ];
}

function deployment(ctx: Ctx): Built {
  const replicas = ctx.rng.int(1, 6);
  const generation = ctx.rng.int(1, 12);
  return [
    "deployments",
    ctx.namespace,
    ctx.app,
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: meta(ctx, ctx.app, {
        generation,
        labels: appLabels(ctx),
        annotations: {
          "deployment.kubernetes.io/revision": String(generation),
          "team.acme.io/owner": ctx.rng.pick(TEAMS),
        },
        managedFields: [
          managedFields(ctx, "kubectl", "apps/v1", {
            "f:spec": {
              "f:replicas": {},
              "f:selector": {},
              "f:template": { "f:metadata": { "f:labels": {} } },
            },
          }),
        ],
      }),
      spec: {
        replicas,
        selector: { matchLabels: { app: ctx.app } },
        template: template(ctx),
        strategy: {
          type: "RollingUpdate",
          rollingUpdate: { maxUnavailable: "25%", maxSurge: ctx.rng.pick(["25%", 1]) },
        },
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
      },
      status: {
        observedGeneration: generation,
        replicas,
        updatedReplicas: replicas,
        readyReplicas: replicas,
        availableReplicas: replicas,
        conditions: [
          condition(
            "Available",
            "True",
            later(ctx.created, 30),
            "MinimumReplicasAvailable",
            "Deployment has minimum availability.",
          ),
          condition(
            "Progressing",
            "True",
            later(ctx.created, 20),
            "NewReplicaSetAvailable",
            `ReplicaSet "${ctx.app}-${ctx.rng.hex(10)}" has successfully progressed.`,
          ),
        ],
      },
    },
  ];
}

function replicaSet(ctx: Ctx): Built {
  const hash = ctx.rng.hex(10);
  const name = `${ctx.app}-${hash}`;
  const replicas = ctx.rng.int(0, 5);
  const status: JsonObject = { replicas };
  if (replicas > 0) {
    status.fullyLabeledReplicas = replicas;
    status.readyReplicas = replicas;
    status.availableReplicas = replicas;
  }
  status.observedGeneration = 2;
  return [
    "replicasets",
    ctx.namespace,
    name,
    {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: meta(ctx, name, {
        generation: 2,
        labels: { ...appLabels(ctx), "pod-template-hash": hash },
        annotations: {
          "deployment.kubernetes.io/desired-replicas": String(replicas),
          "deployment.kubernetes.io/max-replicas": String(replicas + 1),
          "deployment.kubernetes.io/revision": "3",
        },
        ownerReferences: [owner("apps/v1", "Deployment", ctx.app, ctx.rng.uid())],
      }),
      spec: {
        replicas,
        selector: { matchLabels: { app: ctx.app, "pod-template-hash": hash } },
        template: template(ctx, { "pod-template-hash": hash }),
      },
      status,
    },
  ];
}

function statefulSet(ctx: Ctx): Built {
  const name = `${ctx.app}-db`;
  const replicas = 3;
  const revision = `${name}-${ctx.rng.hex(10)}`;
  return [
    "statefulsets",
    ctx.namespace,
    name,
    {
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: meta(ctx, name, { generation: 1, labels: { app: name } }),
      spec: {
        replicas,
        selector: { matchLabels: { app: name } },
        template: template({ ...ctx, app: name }),
        volumeClaimTemplates: [
          {
            metadata: { name: "data" },
            spec: {
              accessModes: ["ReadWriteOnce"],
              resources: { requests: { storage: ctx.rng.pick(["10Gi", "50Gi", "100Gi"]) } },
              storageClassName: "fast-ssd",
              volumeMode: "Filesystem",
            },
            status: { phase: "Pending" },
          },
        ],
        serviceName: name,
        podManagementPolicy: "OrderedReady",
        updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 0 } },
        revisionHistoryLimit: 10,
        persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
      },
      status: {
        observedGeneration: 1,
        replicas,
        readyReplicas: replicas,
        currentReplicas: replicas,
        updatedReplicas: replicas,
        currentRevision: revision,
        updateRevision: revision,
        collisionCount: 0,
        availableReplicas: replicas,
      },
    },
  ];
}

function daemonSet(ctx: Ctx): Built {
  const name = ctx.rng.pick(["node-exporter", "fluent-bit", "kube-proxy", "cilium"]);
  const nodes = ctx.rng.int(3, 40);
  return [
    "daemonsets",
    ctx.namespace,
    name,
    {
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      metadata: meta(ctx, name, {
        generation: 1,
        labels: { "k8s-app": name },
        annotations: { "deprecated.daemonset.template.generation": "1" },
      }),
      spec: {
        selector: { matchLabels: { "k8s-app": name } },
        template: template({ ...ctx, app: name }),
        updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
        revisionHistoryLimit: 10,
      },
      status: {
        currentNumberScheduled: nodes,
        numberMisscheduled: 0,
        desiredNumberScheduled: nodes,
        numberReady: nodes,
        observedGeneration: 1,
        updatedNumberScheduled: nodes,
        numberAvailable: nodes,
      },
    },
  ];
}

function jobSpec(ctx: Ctx, uid: string): JsonObject {
  const t = template(ctx, {
    "batch.kubernetes.io/controller-uid": uid,
    "batch.kubernetes.io/job-name": ctx.app,
  });
  (t.spec as JsonObject).restartPolicy = "Never";
  return {
    parallelism: 1,
    completions: 1,
    backoffLimit: 6,
    selector: { matchLabels: { "batch.kubernetes.io/controller-uid": uid } },
    manualSelector: false,
    template: t,
    ttlSecondsAfterFinished: 3600,
    completionMode: "NonIndexed",
    suspend: false,
    podReplacementPolicy: "TerminatingOrFailed",
  };
}

function job(ctx: Ctx): Built {
  const name = `${ctx.app}-migrate-${ctx.rng.int(28000000, 29000000)}`;
  const uid = ctx.rng.uid();
  const done = later(ctx.created, ctx.rng.int(5, 300));
  const jctx = { ...ctx, app: name };
  return [
    "jobs",
    ctx.namespace,
    name,
    {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: meta(ctx, name, {
        generation: 1,
        labels: { "batch.kubernetes.io/controller-uid": uid, "batch.kubernetes.io/job-name": name },
        ownerReferences: [owner("batch/v1", "CronJob", `${ctx.app}-migrate`, ctx.rng.uid())],
        finalizers: ["batch.kubernetes.io/job-tracking"],
      }),
      spec: jobSpec(jctx, uid),
      status: {
        conditions: [
          { type: "SuccessCriteriaMet", status: "True", lastProbeTime: done, lastTransitionTime: done },
          { type: "Complete", status: "True", lastProbeTime: done, lastTransitionTime: done },
        ],
        startTime: ctx.created,
        completionTime: done,
        succeeded: 1,
        terminating: 0,
        uncountedTerminatedPods: {},
        ready: 0,
      },
    },
  ];
}

function cronJob(ctx: Ctx): Built {
  const name = `${ctx.app}-migrate`;
  const spec = jobSpec({ ...ctx, app: name }, ctx.rng.uid());
  delete spec.selector;
  delete spec.manualSelector;
  (((spec.template as JsonObject).metadata as JsonObject).labels as JsonObject) = appLabels(ctx);
  return [
    "cronjobs",
    ctx.namespace,
    name,
    {
      apiVersion: "batch/v1",
      kind: "CronJob",
      metadata: meta(ctx, name, { generation: 1, labels: appLabels(ctx) }),
      spec: {
        schedule: ctx.rng.pick(["*/15 * * * *", "0 3 * * *", "@hourly"]),
        timeZone: "Etc/UTC",
        concurrencyPolicy: "Forbid",
        suspend: false,
        jobTemplate: { metadata: { labels: appLabels(ctx) }, spec },
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 1,
      },
      status: { lastScheduleTime: later(ctx.created, 900), lastSuccessfulTime: later(ctx.created, 960) },
    },
  ];
}

function service(ctx: Ctx): Built {
  const clusterIP = ctx.rng.ip("10.96");
  const lb = ctx.rng.chance(0.2);
  const spec: JsonObject = {
    ports: [
      { name: "http", protocol: "TCP", port: 80, targetPort: "http" },
      { name: "https", protocol: "TCP", port: 443, targetPort: 8443 },
    ],
    selector: { app: ctx.app },
    clusterIP,
    clusterIPs: [clusterIP],
    type: lb ? "LoadBalancer" : "ClusterIP",
    sessionAffinity: "None",
  };
  if (lb) {
    (spec.ports as JsonObject[]).forEach((p, i) => {
      p.nodePort = 30000 + i + ctx.rng.int(0, 2000);
    });
    spec.externalTrafficPolicy = "Cluster";
  }
  spec.ipFamilies = ["IPv4"];
  spec.ipFamilyPolicy = "SingleStack";
  if (lb) spec.allocateLoadBalancerNodePorts = true;
  spec.internalTrafficPolicy = "Cluster";
  return [
    "services",
    ctx.namespace,
    ctx.app,
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: meta(ctx, ctx.app, {
        labels: appLabels(ctx),
        annotations: { "prometheus.io/scrape": "true", "prometheus.io/port": "9102" },
      }),
      spec,
      status: { loadBalancer: lb ? { ingress: [{ ip: ctx.rng.ip("34.120"), ipMode: "VIP" }] } : {} },
    },
  ];
}

function endpoints(ctx: Ctx): Built {
  const addresses = Array.from({ length: ctx.rng.int(1, 4) }, () => ({
    ip: ctx.rng.ip(),
    nodeName: `node-${ctx.rng.int(1, 40)}`,
    targetRef: {
      kind: "Pod",
      namespace: ctx.namespace,
      name: `${ctx.app}-${ctx.rng.suffix(5)}`,
      uid: ctx.rng.uid(),
    },
  }));
  return [
    "endpoints",
    ctx.namespace,
    ctx.app,
    {
      apiVersion: "v1",
      kind: "Endpoints",
      metadata: meta(ctx, ctx.app, {
        labels: appLabels(ctx),
        annotations: { "endpoints.kubernetes.io/last-change-trigger-time": later(ctx.created, 40) },
      }),
      subsets: [
        {
          addresses,
          ports: [
            { name: "https", port: 8443, protocol: "TCP" },
            { name: "http", port: 8080, protocol: "TCP" },
          ],
        },
      ],
    },
  ];
}

function endpointSlice(ctx: Ctx): Built {
  const name = `${ctx.app}-${ctx.rng.suffix(5)}`;
  return [
    "endpointslices",
    ctx.namespace,
    name,
    {
      apiVersion: "discovery.k8s.io/v1",
      kind: "EndpointSlice",
      metadata: meta(ctx, name, {
        generateName: `${ctx.app}-`,
        generation: ctx.rng.int(1, 30),
        labels: {
          "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
          "kubernetes.io/service-name": ctx.app,
        },
        ownerReferences: [owner("v1", "Service", ctx.app, ctx.rng.uid())],
      }),
      addressType: "IPv4",
      endpoints: Array.from({ length: ctx.rng.int(1, 3) }, () => ({
        addresses: [ctx.rng.ip()],
        conditions: { ready: true, serving: true, terminating: false },
        targetRef: {
          kind: "Pod",
          namespace: ctx.namespace,
          name: `${ctx.app}-${ctx.rng.suffix(5)}`,
          uid: ctx.rng.uid(),
        },
        nodeName: `node-${ctx.rng.int(1, 40)}`,
        zone: ctx.rng.pick(["europe-west1-b", "europe-west1-c", "europe-west1-d"]),
      })),
      ports: [{ name: "http", protocol: "TCP", port: 8080 }],
    },
  ];
}

function configMap(ctx: Ctx): Built {
  const name = `${ctx.app}-config`;
  return [
    "configmaps",
    ctx.namespace,
    name,
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: meta(ctx, name, { labels: appLabels(ctx) }),
      data: {
        "app.yaml": `server:\n  port: 8080\n  readTimeout: 30s\nfeatures:\n  newCheckout: ${ctx.rng.chance(0.5)}\n`,
        LOG_LEVEL: ctx.rng.pick(["info", "debug", "warn"]),
        "nginx.conf": "worker_processes auto;\nevents { worker_connections 1024; }\n",
      },
    },
  ];
}

function secret(ctx: Ctx): Built {
  const name = `${ctx.app}-credentials`;
  const b64 = (s: string) => Buffer.from(s).toString("base64");
  return [
    "secrets",
    ctx.namespace,
    name,
    {
      apiVersion: "v1",
      kind: "Secret",
      metadata: meta(ctx, name, { labels: appLabels(ctx) }),
      data: {
        "ca.crt": Buffer.from(Array.from({ length: 48 }, (_, i) => (i * 37 + 11) & 0xff)).toString("base64"),
        password: b64(`pw-${ctx.rng.hex(16)}`),
        username: b64(ctx.app),
      },
      type: "Opaque",
    },
  ];
}

function node(ctx: Ctx): Built {
  const name = `node-${ctx.rng.int(1, 40)}-${ctx.rng.suffix(4)}`;
  const ip = ctx.rng.ip("10.0");
  const heartbeat = later(ctx.created, 86000);
  const cond = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    lastHeartbeatTime: heartbeat,
    lastTransitionTime: ctx.created,
    reason,
    message,
  });
  return [
    "nodes",
    undefined,
    name,
    {
      apiVersion: "v1",
      kind: "Node",
      metadata: meta(
        ctx,
        name,
        {
          labels: {
            "beta.kubernetes.io/arch": "amd64",
            "kubernetes.io/hostname": name,
            "kubernetes.io/os": "linux",
            "node.kubernetes.io/instance-type": ctx.rng.pick([
              "n2-standard-4",
              "m6i.xlarge",
              "Standard_D4s_v5",
            ]),
            "topology.kubernetes.io/zone": ctx.rng.pick(["europe-west1-b", "europe-west1-c"]),
          },
          annotations: {
            "node.alpha.kubernetes.io/ttl": "0",
            "volumes.kubernetes.io/controller-managed-attach-detach": "true",
          },
        },
        false,
      ),
      spec: {
        podCIDR: "10.244.3.0/24",
        podCIDRs: ["10.244.3.0/24"],
        providerID: `gce://acme-prod/europe-west1-b/${name}`,
        ...(ctx.rng.chance(0.3)
          ? { taints: [{ key: "dedicated", value: "batch", effect: "NoSchedule" }] }
          : {}),
      },
      status: {
        capacity: {
          cpu: "4",
          "ephemeral-storage": "101430960Ki",
          "hugepages-2Mi": "0",
          memory: "16393216Ki",
          pods: "110",
        },
        allocatable: {
          cpu: "3920m",
          "ephemeral-storage": "93478772582",
          "hugepages-2Mi": "0",
          memory: "13758464Ki",
          pods: "110",
        },
        conditions: [
          cond(
            "MemoryPressure",
            "False",
            "KubeletHasSufficientMemory",
            "kubelet has sufficient memory available",
          ),
          cond("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
          cond("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
          cond("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
        ],
        addresses: [
          { type: "InternalIP", address: ip },
          { type: "Hostname", address: name },
        ],
        daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
        nodeInfo: {
          machineID: ctx.rng.hex(32),
          systemUUID: ctx.rng.uid(),
          bootID: ctx.rng.uid(),
          kernelVersion: "6.6.56+",
          osImage: "Container-Optimized OS from Google",
          containerRuntimeVersion: "containerd://1.7.24",
          kubeletVersion: "v1.36.0",
          kubeProxyVersion: "",
          operatingSystem: "linux",
          architecture: "amd64",
          swap: {},
        },
        images: [
          {
            names: [`registry.k8s.io/pause@sha256:${ctx.rng.hex(64)}`, "registry.k8s.io/pause:3.10"],
            sizeBytes: 320368,
          },
          { names: [`docker.io/library/nginx@sha256:${ctx.rng.hex(64)}`], sizeBytes: 72_195_292 },
        ],
      },
    },
  ];
}

function namespaceObj(ctx: Ctx): Built {
  return [
    "namespaces",
    undefined,
    ctx.namespace,
    {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: meta(ctx, ctx.namespace, { labels: { "kubernetes.io/metadata.name": ctx.namespace } }, false),
      spec: { finalizers: ["kubernetes"] },
      status: { phase: "Active" },
    },
  ];
}

function serviceAccount(ctx: Ctx): Built {
  return [
    "serviceaccounts",
    ctx.namespace,
    ctx.app,
    {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: meta(ctx, ctx.app, {
        labels: appLabels(ctx),
        annotations: { "iam.gke.io/gcp-service-account": `${ctx.app}@acme-prod.iam.gserviceaccount.com` },
      }),
      imagePullSecrets: [{ name: "registry-credentials" }],
      automountServiceAccountToken: true,
    },
  ];
}

function event(ctx: Ctx): Built {
  const podName = `${ctx.app}-${ctx.rng.hex(10)}-${ctx.rng.suffix(5)}`;
  const name = `${podName}.${ctx.rng.hex(16)}`;
  const at = later(ctx.created, 5);
  const warning = ctx.rng.chance(0.3);
  return [
    "events",
    ctx.namespace,
    name,
    {
      apiVersion: "v1",
      kind: "Event",
      metadata: meta(ctx, name),
      involvedObject: {
        kind: "Pod",
        namespace: ctx.namespace,
        name: podName,
        uid: ctx.rng.uid(),
        apiVersion: "v1",
        resourceVersion: String(ctx.rng.int(1000, 900000)),
        fieldPath: `spec.containers{${ctx.app}}`,
      },
      reason: warning ? "BackOff" : "Pulled",
      message: warning
        ? "Back-off restarting failed container"
        : `Successfully pulled image "${ctx.rng.pick(IMAGES)}" in 1.2s (1.2s including waiting). Image size: 72195292 bytes.`,
      source: { component: "kubelet", host: `node-${ctx.rng.int(1, 40)}` },
      firstTimestamp: at,
      lastTimestamp: later(at, warning ? 600 : 0),
      count: warning ? ctx.rng.int(2, 50) : 1,
      type: warning ? "Warning" : "Normal",
      eventTime: null,
      reportingComponent: "kubelet",
      reportingInstance: `node-${ctx.rng.int(1, 40)}`,
    },
  ];
}

function lease(ctx: Ctx): Built {
  const name = ctx.rng.pick(["kube-controller-manager", "kube-scheduler", `${ctx.app}-leader`]);
  const acquired = later(ctx.created, 10);
  return [
    "leases",
    ctx.namespace,
    name,
    {
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: meta(ctx, name),
      spec: {
        holderIdentity: `${name}_${ctx.rng.uid()}`,
        leaseDurationSeconds: 15,
        acquireTime: micro(acquired, ctx.rng),
        renewTime: micro(later(acquired, 86000), ctx.rng),
        leaseTransitions: ctx.rng.int(0, 20),
      },
    },
  ];
}

const RULES: JsonObject[] = [
  { verbs: ["get", "list", "watch"], apiGroups: [""], resources: ["pods", "services", "endpoints"] },
  { verbs: ["get", "update", "patch"], apiGroups: ["apps"], resources: ["deployments", "deployments/scale"] },
  { verbs: ["get"], apiGroups: [""], resources: ["configmaps"], resourceNames: ["feature-flags"] },
];

function role(ctx: Ctx): Built {
  const name = `${ctx.app}-reader`;
  return [
    "roles",
    ctx.namespace,
    name,
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: meta(ctx, name, { labels: appLabels(ctx) }),
      rules: RULES.slice(0, ctx.rng.int(1, 3)),
    },
  ];
}

function roleBinding(ctx: Ctx): Built {
  const name = `${ctx.app}-reader`;
  return [
    "rolebindings",
    ctx.namespace,
    name,
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: meta(ctx, name, { labels: appLabels(ctx) }),
      subjects: [
        { kind: "ServiceAccount", name: ctx.app, namespace: ctx.namespace },
        { kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: `team:${ctx.rng.pick(TEAMS)}` },
      ],
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name },
    },
  ];
}

function clusterRole(ctx: Ctx): Built {
  const name = `acme:${ctx.app}`;
  const aggregated = ctx.rng.chance(0.3);
  const obj: JsonObject = {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRole",
    metadata: meta(
      ctx,
      name,
      {
        labels: { "kubernetes.io/bootstrapping": "rbac-defaults" },
        annotations: { "rbac.authorization.kubernetes.io/autoupdate": "true" },
      },
      false,
    ),
    rules: aggregated ? null : [...RULES, { verbs: ["get"], nonResourceURLs: ["/healthz", "/metrics"] }],
  };
  if (aggregated) {
    obj.aggregationRule = {
      clusterRoleSelectors: [{ matchLabels: { "rbac.acme.io/aggregate-to-view": "true" } }],
    };
  }
  return ["clusterroles", undefined, name, obj];
}

function clusterRoleBinding(ctx: Ctx): Built {
  const name = `acme:${ctx.app}`;
  return [
    "clusterrolebindings",
    undefined,
    name,
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: meta(ctx, name, {}, false),
      subjects: [{ kind: "ServiceAccount", name: ctx.app, namespace: ctx.namespace }],
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name },
    },
  ];
}

function pvc(ctx: Ctx): Built {
  const name = `data-${ctx.app}-db-${ctx.rng.int(0, 2)}`;
  const size = ctx.rng.pick(["10Gi", "50Gi", "100Gi"]);
  return [
    "persistentvolumeclaims",
    ctx.namespace,
    name,
    {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: meta(ctx, name, {
        labels: { app: `${ctx.app}-db` },
        annotations: {
          "pv.kubernetes.io/bind-completed": "yes",
          "volume.kubernetes.io/storage-provisioner": "pd.csi.storage.gke.io",
        },
        finalizers: ["kubernetes.io/pvc-protection"],
      }),
      spec: {
        accessModes: ["ReadWriteOnce"],
        resources: { requests: { storage: size } },
        volumeName: `pvc-${ctx.rng.uid()}`,
        storageClassName: "fast-ssd",
        volumeMode: "Filesystem",
      },
      status: { phase: "Bound", accessModes: ["ReadWriteOnce"], capacity: { storage: size } },
    },
  ];
}

function pv(ctx: Ctx): Built {
  const name = `pvc-${ctx.rng.uid()}`;
  return [
    "persistentvolumes",
    undefined,
    name,
    {
      apiVersion: "v1",
      kind: "PersistentVolume",
      metadata: meta(
        ctx,
        name,
        {
          annotations: { "pv.kubernetes.io/provisioned-by": "pd.csi.storage.gke.io" },
          finalizers: ["kubernetes.io/pv-protection", "external-attacher/pd-csi-storage-gke-io"],
        },
        false,
      ),
      spec: {
        capacity: { storage: "100Gi" },
        csi: {
          driver: "pd.csi.storage.gke.io",
          volumeHandle: `projects/acme-prod/zones/europe-west1-b/disks/${name}`,
          fsType: "ext4",
          volumeAttributes: {
            "storage.kubernetes.io/csiProvisionerIdentity": `${ctx.rng.int(1e12, 2e12)}-pd`,
          },
        },
        accessModes: ["ReadWriteOnce"],
        claimRef: {
          kind: "PersistentVolumeClaim",
          namespace: ctx.namespace,
          name: `data-${ctx.app}-db-0`,
          uid: ctx.rng.uid(),
          apiVersion: "v1",
          resourceVersion: String(ctx.rng.int(1000, 99999)),
        },
        persistentVolumeReclaimPolicy: "Delete",
        storageClassName: "fast-ssd",
        volumeMode: "Filesystem",
        nodeAffinity: {
          required: {
            nodeSelectorTerms: [
              {
                matchExpressions: [
                  { key: "topology.gke.io/zone", operator: "In", values: ["europe-west1-b"] },
                ],
              },
            ],
          },
        },
      },
      status: { phase: "Bound", lastPhaseTransitionTime: later(ctx.created, 3) },
    },
  ];
}

function ingress(ctx: Ctx): Built {
  const host = `${ctx.app}.shop.acme.io`;
  return [
    "ingresses",
    ctx.namespace,
    ctx.app,
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: meta(ctx, ctx.app, {
        generation: 1,
        annotations: {
          "cert-manager.io/cluster-issuer": "letsencrypt",
          "nginx.ingress.kubernetes.io/proxy-body-size": "8m",
        },
      }),
      spec: {
        ingressClassName: "nginx",
        tls: [{ hosts: [host], secretName: `${ctx.app}-tls` }],
        rules: [
          {
            host,
            http: {
              paths: [
                {
                  path: "/",
                  pathType: "Prefix",
                  backend: { service: { name: ctx.app, port: { name: "http" } } },
                },
                {
                  path: "/api",
                  pathType: "Prefix",
                  backend: { service: { name: "api", port: { number: 8080 } } },
                },
              ],
            },
          },
        ],
      },
      status: { loadBalancer: { ingress: [{ ip: ctx.rng.ip("34.120") }] } },
    },
  ];
}

function priorityClass(ctx: Ctx): Built {
  const name = ctx.rng.pick(["business-critical", "batch-low", "system-observability"]);
  return [
    "priorityclasses",
    undefined,
    name,
    {
      apiVersion: "scheduling.k8s.io/v1",
      kind: "PriorityClass",
      metadata: meta(ctx, name, {}, false),
      value: ctx.rng.int(-100, 1000000),
      description: "Workloads that page someone when they are not running.",
      preemptionPolicy: "PreemptLowerPriority",
    },
  ];
}

function hpa(ctx: Ctx): Built {
  return [
    "horizontalpodautoscalers",
    ctx.namespace,
    ctx.app,
    {
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      metadata: meta(ctx, ctx.app),
      spec: {
        scaleTargetRef: { kind: "Deployment", name: ctx.app, apiVersion: "apps/v1" },
        minReplicas: 2,
        maxReplicas: 20,
        metrics: [
          {
            type: "Resource",
            resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } },
          },
        ],
      },
      status: {
        lastScaleTime: later(ctx.created, 3000),
        currentReplicas: 4,
        desiredReplicas: 4,
        currentMetrics: [
          {
            type: "Resource",
            resource: { name: "cpu", current: { averageValue: "137m", averageUtilization: 54 } },
          },
        ],
      },
    },
  ];
}

function pdb(ctx: Ctx): Built {
  return [
    "poddisruptionbudgets",
    ctx.namespace,
    ctx.app,
    {
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: meta(ctx, ctx.app, { generation: 1 }),
      spec: { minAvailable: ctx.rng.pick([1, "50%"]), selector: { matchLabels: { app: ctx.app } } },
      status: {
        observedGeneration: 1,
        disruptionsAllowed: 1,
        currentHealthy: 3,
        desiredHealthy: 2,
        expectedPods: 3,
        conditions: [
          {
            type: "DisruptionAllowed",
            status: "True",
            observedGeneration: 1,
            lastTransitionTime: later(ctx.created, 30),
            reason: "SufficientPods",
            message: "",
          },
        ],
      },
    },
  ];
}

function crd(ctx: Ctx): Built {
  const name = "crontabs.stable.example.com";
  return [
    "customresourcedefinitions",
    undefined,
    name,
    {
      kind: "CustomResourceDefinition",
      apiVersion: "apiextensions.k8s.io/v1",
      metadata: meta(ctx, name, { generation: 1 }, false),
      spec: {
        group: "stable.example.com",
        names: {
          plural: "crontabs",
          singular: "crontab",
          shortNames: ["ct"],
          kind: "CronTab",
          listKind: "CronTabList",
        },
        scope: "Namespaced",
        versions: [
          {
            name: "v1",
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: "object",
                properties: {
                  spec: {
                    type: "object",
                    properties: {
                      cronSpec: { type: "string" },
                      image: { type: "string" },
                      replicas: { type: "integer", minimum: 1, maximum: 10 },
                    },
                  },
                },
              },
            },
          },
        ],
        conversion: { strategy: "None" },
      },
      status: {
        conditions: [
          {
            type: "Established",
            status: "True",
            lastTransitionTime: ctx.created,
            reason: "InitialNamesAccepted",
            message: "the initial names have been accepted",
          },
        ],
        acceptedNames: {
          plural: "crontabs",
          singular: "crontab",
          shortNames: ["ct"],
          kind: "CronTab",
          listKind: "CronTabList",
        },
        storedVersions: ["v1"],
      },
    },
  ];
}

function customResource(ctx: Ctx): Built {
  const name = `${ctx.app}-cron`;
  return [
    "stable.example.com/crontabs",
    ctx.namespace,
    name,
    {
      apiVersion: "stable.example.com/v1",
      kind: "CronTab",
      metadata: meta(ctx, name, { generation: 1 }),
      spec: { cronSpec: "* * * * */5", image: ctx.rng.pick(IMAGES), replicas: ctx.rng.int(1, 10) },
    },
  ];
}

function apiService(ctx: Ctx): Built {
  const name = "v1beta1.metrics.k8s.io";
  return [
    "apiservices",
    undefined,
    name,
    {
      kind: "APIService",
      apiVersion: "apiregistration.k8s.io/v1",
      metadata: meta(ctx, name, { labels: { "k8s-app": "metrics-server" } }, false),
      spec: {
        service: { namespace: "kube-system", name: "metrics-server", port: 443 },
        group: "metrics.k8s.io",
        version: "v1beta1",
        insecureSkipTLSVerify: true,
        groupPriorityMinimum: 100,
        versionPriority: 100,
      },
      status: {
        conditions: [
          {
            type: "Available",
            status: "True",
            lastTransitionTime: ctx.created,
            reason: "Passed",
            message: "all checks passed",
          },
        ],
      },
    },
  ];
}

/** Builders by kind, in a stable order. */
export const GENERATED_KINDS: Record<string, (ctx: Ctx) => Built> = {
  Pod: pod,
  Deployment: deployment,
  ReplicaSet: replicaSet,
  StatefulSet: statefulSet,
  DaemonSet: daemonSet,
  Job: job,
  CronJob: cronJob,
  Service: service,
  Endpoints: endpoints,
  EndpointSlice: endpointSlice,
  ConfigMap: configMap,
  Secret: secret,
  Node: node,
  Namespace: namespaceObj,
  ServiceAccount: serviceAccount,
  Event: event,
  Lease: lease,
  Role: role,
  RoleBinding: roleBinding,
  ClusterRole: clusterRole,
  ClusterRoleBinding: clusterRoleBinding,
  PersistentVolumeClaim: pvc,
  PersistentVolume: pv,
  Ingress: ingress,
  PriorityClass: priorityClass,
  HorizontalPodAutoscaler: hpa,
  PodDisruptionBudget: pdb,
  CustomResourceDefinition: crd,
  APIService: apiService,
  CronTab: customResource,
};

/** Kinds stored as JSON by the apiserver (served by extension/aggregated apiservers, or custom). */
const JSON_KINDS = new Set(["CustomResourceDefinition", "APIService", "CronTab"]);

/** One object of `kind` (a key of GENERATED_KINDS), deterministic for the seed. */
export function generateObject(kind: string, seed: number): GeneratedObject {
  const build = GENERATED_KINDS[kind];
  if (!build) throw new Error(`generator: no builder for kind ${kind}`);
  const rng = new Rng(seed);
  const ctx: Ctx = { rng, namespace: rng.pick(NAMESPACES), app: rng.pick(APPS), created: time(rng) };
  const [resource, namespace, name, object] = build(ctx);
  const key = objectKey(resolveResource(resource), namespace, name);
  const format = JSON_KINDS.has(kind) ? "json" : "protobuf";
  return { key, object, value: encodeObject(object, { format }), format };
}

/**
 * `count` objects cycling through every kind (seeded), with keys made unique by a
 * numbered name suffix, as a cluster of that size would hold them.
 */
export function* generateObjects(count: number, seed = 1): Generator<GeneratedObject> {
  const kinds = Object.keys(GENERATED_KINDS);
  for (let i = 0; i < count; i++) {
    const kind = kinds[i % kinds.length]!;
    const g = generateObject(kind, seed * 1000003 + i);
    if (i >= kinds.length) {
      const meta = g.object.metadata as JsonObject;
      meta.name = `${meta.name as string}-${i}`;
      g.key = `${g.key}-${i}`;
      g.value = encodeObject(g.object, { format: g.format });
    }
    yield g;
  }
}
