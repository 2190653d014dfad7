// Close matches for a resource name the lens does not know ("podz" -> pods), by edit
// distance to each resource's plural, singular (kind) and short names, like kubectl's
// and cobra's suggestions.
import { builtInResources, resourceName } from "../../k8s/index.js";
import { levenshtein } from "../command.js";

const MAX_SUGGESTIONS = 5;

/** Up to five resource names (as kubectl prints them) close to what was typed, best first. */
export function closeResources(typed: string): string[] {
  const input = typed.trim().toLowerCase();
  const name = input.split(".")[0] ?? input;
  const scored: { name: string; score: number }[] = [];
  for (const r of builtInResources()) {
    const names = [r.resource, r.kind.toLowerCase(), ...r.shortNames];
    let best = Number.POSITIVE_INFINITY;
    for (const n of names) {
      const d = levenshtein(name, n);
      // A long name may be off by more, and a prefix of a name is a good guess.
      const limit = Math.max(2, Math.floor(n.length / 4));
      if (d <= limit) best = Math.min(best, d);
      else if (name.length >= 3 && n.startsWith(name)) best = Math.min(best, limit);
    }
    if (best !== Number.POSITIVE_INFINITY) scored.push({ name: resourceName(r), score: best });
  }
  scored.sort((a, b) => a.score - b.score || a.name.length - b.name.length || (a.name < b.name ? -1 : 1));
  const out: string[] = [];
  for (const s of scored) {
    if (!out.includes(s.name)) out.push(s.name);
    if (out.length === MAX_SUGGESTIONS) break;
  }
  return out;
}
