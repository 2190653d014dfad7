import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { confChangesFromString } from "../conf_change.js";
import { ErrInvalidConfChange } from "../errors.js";
import {
  describeTrackerConfig,
  emptyTrackerConfig,
  type ProgressMap,
  trackerConfigToConfState,
} from "../tracker/index.js";
import { type ConfChangeSingle, ConfChangeType, confStateEqual } from "../types.js";
import { type ChangeResult, Changer, checkInvariants, restoreConfState } from "./index.js";

const MAX_INFLIGHT = 4;
const empty = (): ChangeResult => ({ config: emptyTrackerConfig(), progress: new Map() as ProgressMap });

function changer(s: ChangeResult, lastIndex = 10): Changer {
  return new Changer({ ...s, maxInflight: MAX_INFLIGHT }, lastIndex);
}

/** Runs "simple v1 v2", "enter-joint auto v3 r1", "leave-joint" steps; returns descriptions or errors. */
function script(steps: string[]): string[] {
  let s = empty();
  return steps.map((line) => {
    const [cmd, ...rest] = line.split(" ");
    try {
      if (cmd === "simple") s = changer(s).simple(confChangesFromString(rest.join(" ")));
      else if (cmd === "enter-joint")
        s = changer(s).enterJoint(rest[0] === "auto", confChangesFromString(rest.slice(1).join(" ")));
      else s = changer(s).leaveJoint();
      return describeTrackerConfig(s.config);
    } catch (e) {
      assert.ok(e instanceof ErrInvalidConfChange);
      return e.message;
    }
  });
}

describe("confchange", () => {
  test("confchange - simple changes refuse more than one voter change and removing every voter", () => {
    assert.deepEqual(
      script(["simple l1", "simple v1", "simple v2 l3", "simple r1 v5", "simple r1 r2", "simple v3 v4"]),
      [
        "removed all voters",
        "voters=(1)",
        "voters=(1 2) learners=(3)",
        "more than one voter changed without entering joint config",
        "removed all voters",
        "more than one voter changed without entering joint config",
      ],
    );
  });

  test("confchange - a demoted voter waits in learners_next until the joint config is left", () => {
    assert.deepEqual(
      script(["simple v1", "enter-joint manual v2 l1", "simple v3", "leave-joint", "leave-joint"]),
      [
        "voters=(1)",
        "voters=(2)&&(1) learners_next=(1)",
        "can't apply simple config change in joint config",
        "voters=(2) learners=(1)",
        "can't leave a non-joint config",
      ],
    );
  });

  test("confchange - joint configs cannot nest and need voters", () => {
    assert.deepEqual(
      script(["enter-joint auto v1", "simple v1", "enter-joint auto v2 v3", "enter-joint auto v4"]),
      [
        "can't make a zero-voter config joint",
        "voters=(1)",
        "voters=(1 2 3)&&(1) autoleave",
        "config is already joint",
      ],
    );
  });

  test("confchange - learners are promoted in place and progress survives demotion", () => {
    let s = changer(empty(), 1).simple(confChangesFromString("v1"));
    s = changer(s, 5).simple(confChangesFromString("l2"));
    assert.equal(s.progress.get(2n)?.next, 5);
    s = changer(s, 9).simple(confChangesFromString("v2"));
    assert.equal(s.progress.get(2n)?.isLearner, false);
    assert.equal(s.progress.get(2n)?.next, 5, "promotion keeps the progress");
  });

  // ---- properties

  const change: fc.Arbitrary<ConfChangeSingle> = fc.record({
    type: fc.constantFrom(
      ConfChangeType.ConfChangeAddNode,
      ConfChangeType.ConfChangeAddLearnerNode,
      ConfChangeType.ConfChangeRemoveNode,
      ConfChangeType.ConfChangeUpdateNode,
    ),
    nodeId: fc.bigInt({ min: 1n, max: 6n }),
  });
  const step = fc.oneof(
    fc.array(change, { maxLength: 3 }).map((ccs) => ({ kind: "simple" as const, ccs })),
    fc
      .tuple(fc.boolean(), fc.array(change, { maxLength: 4 }))
      .map(([auto, ccs]) => ({ kind: "enter" as const, auto, ccs })),
    fc.constant({ kind: "leave" as const, ccs: [] as ConfChangeSingle[] }),
  );

  type Step =
    | { kind: "simple" | "leave"; ccs: ConfChangeSingle[] }
    | { kind: "enter"; auto: boolean; ccs: ConfChangeSingle[] };

  function applyStep(s: ChangeResult, st: Step): ChangeResult {
    const c = changer(s);
    if (st.kind === "simple") return c.simple(st.ccs);
    if (st.kind === "enter") return c.enterJoint(st.auto, st.ccs);
    return c.leaveJoint();
  }

  /** The incoming voters after applying changes, by plain set operations. */
  function naiveIncoming(voters: ReadonlySet<bigint>, ccs: readonly ConfChangeSingle[]): Set<bigint> {
    const v = new Set(voters);
    for (const c of ccs) {
      if (c.type === ConfChangeType.ConfChangeAddNode) v.add(c.nodeId);
      else if (
        c.type === ConfChangeType.ConfChangeAddLearnerNode ||
        c.type === ConfChangeType.ConfChangeRemoveNode
      ) {
        v.delete(c.nodeId);
      }
    }
    return v;
  }

  test("confchange - every accepted change keeps the invariants; refusals are exactly the invalid ones", () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 25 }), (steps) => {
        let s = empty();
        for (const st of steps) {
          const joint = s.config.voters.outgoing.size > 0;
          const incoming = naiveIncoming(s.config.voters.incoming, st.ccs);
          let symdiff = 0;
          for (const id of incoming) if (!s.config.voters.incoming.has(id)) symdiff++;
          for (const id of s.config.voters.incoming) if (!incoming.has(id)) symdiff++;
          const valid =
            st.kind === "simple"
              ? !joint && incoming.size > 0 && symdiff <= 1
              : st.kind === "enter"
                ? !joint && s.config.voters.incoming.size > 0 && incoming.size > 0
                : joint;
          let next: ChangeResult | null = null;
          try {
            next = applyStep(s, st);
          } catch (e) {
            assert.ok(e instanceof ErrInvalidConfChange, String(e));
          }
          assert.equal(
            next !== null,
            valid,
            `${st.kind} ${JSON.stringify(st.ccs, (_k, v) => (typeof v === "bigint" ? Number(v) : v))} on ${describeTrackerConfig(s.config)}`,
          );
          if (next === null) continue;
          checkInvariants(next.config, next.progress);
          assert.deepEqual(next.config.voters.incoming, incoming);
          if (st.kind === "enter") assert.deepEqual(next.config.voters.outgoing, s.config.voters.incoming);
          if (st.kind === "leave") {
            assert.equal(next.config.voters.outgoing.size, 0);
            for (const id of s.config.learnersNext) assert.ok(next.config.learners.has(id));
          }
          s = next;
        }
      }),
      { numRuns: 1000 },
    );
  });

  test("confchange - restoring a configuration's ConfState gives back the same configuration", () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 25 }), (steps) => {
        let s = empty();
        for (const st of steps) {
          try {
            s = applyStep(s, st);
          } catch {
            // refused: keep the previous configuration
          }
          const cs = trackerConfigToConfState(s.config);
          const restored = restoreConfState(cs, 10, MAX_INFLIGHT);
          assert.ok(confStateEqual(trackerConfigToConfState(restored.config), cs));
          assert.deepEqual([...restored.progress.keys()].sort(), [...s.progress.keys()].sort());
        }
      }),
      { numRuns: 500 },
    );
  });
});
