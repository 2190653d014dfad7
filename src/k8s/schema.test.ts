import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { messageOf, packageOf } from "./kinds.js";
import { schema } from "./schema.js";

describe("k8s schema", () => {
  it("k8s schema - loaded once: every call returns the same parsed schema", () => {
    assert.equal(schema(), schema());
    assert.equal(schema().messageCount, 1159);
    assert.equal(schema().release, "v0.36.3");
  });

  it("k8s schema - every referenced message exists and field numbers are unique", () => {
    const s = schema();
    for (const pkg of s.packages) {
      for (const short of s.messagesOf(pkg)) {
        const def = s.mustMessage(`${pkg}.${short}`);
        for (const f of def.fields) {
          if (f.messageName) assert.ok(s.message(f.messageName), `${def.name}.${f.name} -> ${f.messageName}`);
          assert.ok(f.scalar || f.messageName, `${def.name}.${f.name} has a type`);
        }
      }
    }
  });

  it("k8s schema - Go JSON facts are joined: names, pointers, omitempty, inline", () => {
    const s = schema();
    const probe = s.mustMessage("k8s.io.api.core.v1.Probe");
    assert.equal(probe.byNumber[1]?.inline, true);
    const spec = s.mustMessage("k8s.io.api.apps.v1.DeploymentSpec");
    assert.equal(spec.byNumber[1]?.pointer, true); // replicas: 0 must show
    const status = s.mustMessage("k8s.io.api.core.v1.ContainerStatus");
    assert.equal(status.fields.find((f) => f.json === "ready")?.omitEmpty, false);
    const webhooks = s.mustMessage("k8s.io.api.admissionregistration.v1.ValidatingWebhookConfiguration");
    assert.equal(webhooks.byNumber[2]?.json, "webhooks");
    assert.equal(s.mustMessage("k8s.io.apimachinery.pkg.apis.meta.v1.Verbs").list, true);
  });

  it("k8s schema - apiVersion maps to its package through the package list", () => {
    const s = schema();
    assert.equal(packageOf(s, "v1"), "k8s.io.api.core.v1");
    assert.equal(packageOf(s, "apps/v1"), "k8s.io.api.apps.v1");
    assert.equal(packageOf(s, "rbac.authorization.k8s.io/v1"), "k8s.io.api.rbac.v1");
    assert.equal(packageOf(s, "internal.apiserver.k8s.io/v1alpha1"), "k8s.io.api.apiserverinternal.v1alpha1");
    assert.equal(packageOf(s, "flowcontrol.apiserver.k8s.io/v1"), "k8s.io.api.flowcontrol.v1");
    assert.equal(packageOf(s, "stable.example.com/v1"), undefined);
    assert.equal(messageOf(s, "v1", "Pod")?.name, "k8s.io.api.core.v1.Pod");
    assert.equal(messageOf(s, "v1", "pod"), undefined);
    assert.equal(messageOf(s, "v1", "Nope"), undefined);
  });
});
