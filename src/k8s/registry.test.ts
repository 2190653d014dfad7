import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { messageOf } from "./kinds.js";
import {
  builtInResources,
  objectKey,
  parseKey,
  resolveResource,
  resourceName,
  storagePrefix,
  UnknownResourceError,
} from "./registry.js";
import { schema } from "./schema.js";

describe("k8s registry", () => {
  it("k8s registry - kubectl names map to the apiserver's storage prefixes", () => {
    const cases: [string, string][] = [
      ["nodes", "/registry/minions/"],
      ["no", "/registry/minions/"],
      ["services", "/registry/services/specs/"],
      ["svc", "/registry/services/specs/"],
      ["endpoints", "/registry/services/endpoints/"],
      ["pods", "/registry/pods/"],
      ["po", "/registry/pods/"],
      ["Pod", "/registry/pods/"],
      ["pod", "/registry/pods/"],
      ["deploy", "/registry/deployments/"],
      ["deployments.apps", "/registry/deployments/"],
      ["rs", "/registry/replicasets/"],
      ["sts", "/registry/statefulsets/"],
      ["ds", "/registry/daemonsets/"],
      ["jobs", "/registry/jobs/"],
      ["cj", "/registry/cronjobs/"],
      ["cm", "/registry/configmaps/"],
      ["secrets", "/registry/secrets/"],
      ["sa", "/registry/serviceaccounts/"],
      ["ns", "/registry/namespaces/"],
      ["ev", "/registry/events/"],
      ["leases", "/registry/leases/"],
      ["clusterroles", "/registry/clusterroles/"],
      ["clusterrolebindings", "/registry/clusterrolebindings/"],
      ["roles", "/registry/roles/"],
      ["rolebindings", "/registry/rolebindings/"],
      ["rc", "/registry/controllers/"],
      ["ing", "/registry/ingress/"],
      ["apiservices", "/registry/apiregistration.k8s.io/apiservices/"],
      ["crd", "/registry/apiextensions.k8s.io/customresourcedefinitions/"],
      [
        "apiextensions.k8s.io/customresourcedefinitions",
        "/registry/apiextensions.k8s.io/customresourcedefinitions/",
      ],
      ["crontabs.stable.example.com", "/registry/stable.example.com/crontabs/"],
      ["stable.example.com/crontabs", "/registry/stable.example.com/crontabs/"],
    ];
    for (const [input, prefix] of cases) assert.equal(storagePrefix(resolveResource(input)), prefix, input);
  });

  it("k8s registry - namespaced and cluster-scoped keys", () => {
    assert.equal(objectKey(resolveResource("po"), "default", "web-1"), "/registry/pods/default/web-1");
    assert.equal(objectKey(resolveResource("no"), undefined, "node-a"), "/registry/minions/node-a");
    assert.equal(
      storagePrefix(resolveResource("svc"), "kube-system"),
      "/registry/services/specs/kube-system/",
    );
    assert.throws(() => objectKey(resolveResource("pods"), undefined, "x"), /namespaced/);
    assert.throws(() => storagePrefix(resolveResource("nodes"), "default"), /not namespaced/);
  });

  it("k8s registry - keys parse back into resource, namespace and name", () => {
    const cases: [string, string, string, string][] = [
      ["/registry/pods/default/web-1", "pods", "default", "web-1"],
      ["/registry/minions/node-a", "nodes", "", "node-a"],
      ["/registry/services/specs/default/kubernetes", "services", "default", "kubernetes"],
      ["/registry/services/endpoints/default/kubernetes", "endpoints", "default", "kubernetes"],
      ["/registry/deployments/kube-system/coredns", "deployments.apps", "kube-system", "coredns"],
      ["/registry/clusterroles/admin", "clusterroles.rbac.authorization.k8s.io", "", "admin"],
      ["/registry/ingress/default/site", "ingresses.networking.k8s.io", "default", "site"],
      [
        "/registry/apiregistration.k8s.io/apiservices/v1.apps",
        "apiservices.apiregistration.k8s.io",
        "",
        "v1.apps",
      ],
      [
        "/registry/stable.example.com/crontabs/default/my-cron",
        "crontabs.stable.example.com",
        "default",
        "my-cron",
      ],
      ["/registry/stable.example.com/clusterthings/one", "clusterthings.stable.example.com", "", "one"],
    ];
    for (const [key, resource, namespace, name] of cases) {
      const parsed = parseKey(key);
      assert.ok(parsed, key);
      assert.deepEqual(
        [resourceName(parsed.resource), parsed.namespace, parsed.name],
        [resource, namespace, name],
      );
    }
    assert.equal(parseKey("/registry/ranges/serviceips")?.resource.kind, "RangeAllocation");
    assert.equal(parseKey("/other/pods/a/b"), undefined);
    assert.equal(parseKey("/registry/pods/only-namespace"), undefined);
    assert.equal(parseKey("/registry//x"), undefined);
  });

  it("k8s registry - every built-in resource round-trips through its key", () => {
    for (const r of builtInResources()) {
      const key = objectKey(r, r.namespaced ? "ns1" : undefined, "obj");
      const parsed = parseKey(key);
      assert.equal(parsed?.resource, r, key);
      assert.equal(parsed?.name, "obj");
      assert.equal(resolveResource(resourceName(r)), r);
    }
  });

  it("k8s registry - every built-in kind stored as protobuf has a schema message", () => {
    for (const r of builtInResources()) {
      if (r.group === "apiextensions.k8s.io" || r.group === "apiregistration.k8s.io") continue; // stored as JSON
      assert.ok(messageOf(schema(), r.apiVersion, r.kind), `${r.apiVersion} ${r.kind}`);
    }
  });

  it("k8s registry - unknown names are refused with kubectl's message", () => {
    assert.throws(() => resolveResource("pdos"), UnknownResourceError);
    assert.throws(() => resolveResource("pdos"), /the server doesn't have a resource type "pdos"/);
  });
});
