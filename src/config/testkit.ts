// Shared helpers for the config tests (not a test file itself).
import assert from "node:assert/strict";
import type { Env } from "./env.js";
import type { Notice } from "./notices.js";
import { type ParseOutcome, parseServerArgs } from "./parse.js";
import type { ServerConfig } from "./types.js";

export const NO_ROUTE = () => ({ error: "could not find default route" });

export function outcome(args: readonly string[], env: Env = {}): ParseOutcome {
  return parseServerArgs(args, { env, defaultHost: NO_ROUTE });
}

/** The config `args` produce; fails the test if they do not produce one. */
export function configOf(args: readonly string[], env: Env = {}): ServerConfig {
  const o = outcome(args, env);
  assert.equal(o.kind, "run", o.kind === "invalid" ? o.error.message : o.kind === "exit" ? o.stderr : "");
  return (o as Extract<ParseOutcome, { kind: "run" }>).config;
}

export function noticesOf(args: readonly string[], env: Env = {}): readonly Notice[] {
  const o = outcome(args, env);
  assert.notEqual(o.kind, "exit");
  return (o as Exclude<ParseOutcome, { kind: "exit" }>).notices;
}

/** The configuration error `args` produce. */
export function errorOf(args: readonly string[], env: Env = {}): string {
  const o = outcome(args, env);
  assert.equal(o.kind, "invalid", `expected an invalid configuration, got ${o.kind}`);
  return (o as Extract<ParseOutcome, { kind: "invalid" }>).error.message;
}

/** The usage error (exit 2) `args` produce: its first line. */
export function usageErrorOf(args: readonly string[]): string {
  const o = outcome(args);
  assert.equal(o.kind, "exit");
  const exit = o as Extract<ParseOutcome, { kind: "exit" }>;
  assert.equal(exit.code, 2);
  return exit.stderr.split("\n")[0]!;
}

/** The capnslog wording (or zap message) of each log notice. */
export function texts(notices: readonly Notice[]): string[] {
  return notices.map((n) => (n.kind === "stderr" ? n.text.trimEnd() : (n.text ?? n.msg)));
}
