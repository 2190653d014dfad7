import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { closeResources } from "./suggest.js";

describe("lens suggestions", () => {
  it("lens suggestions - a misspelt resource gets the resources it is close to, best first", () => {
    assert.equal(closeResources("podz")[0], "pods");
    assert.equal(closeResources("deploymnets")[0], "deployments.apps");
    assert.equal(closeResources("configmap")[0], "configmaps");
    assert.equal(closeResources("ingres")[0], "ingresses.networking.k8s.io");
  });

  it("lens suggestions - a prefix suggests what it starts, and nonsense suggests nothing", () => {
    assert.ok(closeResources("persistentvol").includes("persistentvolumes"));
    assert.deepEqual(closeResources("qqqqqqqqqqqq"), []);
    assert.ok(closeResources("po").length <= 5);
  });
});
