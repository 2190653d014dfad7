import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeValue, encodeObject, generateObject, toYaml } from "../../k8s/index.js";
import { ObjectFileError, parseObjectFile } from "./object-file.js";

describe("lens object file", () => {
  it("lens object file - scalars read as kubectl reads them (go-yaml)", () => {
    const o = parseObjectFile(
      "t: 2025-01-06T09:30:00Z\nb: yes\nn: off\ny: 1\nsexa: 1:30\noct: 0755\nbig: 123456789012345678901\nf: 1.5\nbin: !!binary aGk=\n",
    );
    assert.deepEqual(o, {
      t: "2025-01-06T09:30:00Z",
      b: true,
      // go-yaml reads the key n as a boolean too; sigs.k8s.io/yaml then names it "false".
      false: false,
      true: 1,
      sexa: "1:30",
      oct: 493,
      big: 123456789012345678901n,
      f: 1.5,
      bin: "aGk=",
    });
  });

  it("lens object file - JSON works too; one mapping is required", () => {
    assert.deepEqual(parseObjectFile('{"kind": "Pod", "n": [1, 2]}'), { kind: "Pod", n: [1, 2] });
    assert.throws(() => parseObjectFile("a: 1\n---\nb: 2\n"), /found 2 YAML documents/);
    assert.throws(() => parseObjectFile("- a\n"), ObjectFileError);
    assert.throws(() => parseObjectFile(""), /found 0/);
    assert.throws(() => parseObjectFile("a: [1, 2\n"), ObjectFileError);
  });

  it("lens object file - what the lens prints as YAML reads back to the same stored bytes", () => {
    for (const kind of ["Pod", "Deployment", "Secret", "Node", "CustomResourceDefinition"]) {
      const g = generateObject(kind, 3);
      const shown = decodeValue(g.value, { key: g.key, modRevision: 42 }).object!;
      const again = parseObjectFile(toYaml(shown));
      assert.deepEqual(encodeObject(again, { format: g.format }), g.value, kind);
    }
  });
});
