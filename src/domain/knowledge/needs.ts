/**
 * A person without food, water or a place to sleep ("gk ada makan 2 hari",
 * "I haven't eaten in two days", "nowhere to sleep"): they need the shelter
 * and the hotlines, not "not understood" nor an off-topic reply.
 * Pure domain module: no grammY, no SQL, no I/O. Works on normalized tokens
 * (slang expanded: "gk" -> "tidak", "blm" -> "belum").
 */
import { type Normalized, normalize } from "../text/normalize.ts";

/** Words that alone say the person goes without. */
const WITHOUT = new Set(["lapar", "kelaparan", "hungry", "starving", "starve", "homeless", "nowhere"]);
/** What one goes without. */
const NEED = new Set(["makan", "mkn", "makanan", "minum", "air", "food", "eat", "eaten", "eating", "water", "drink", "tidur", "sleep", "shelter", "penampungan"]);
/** Words that say it is lacking. */
const LACK = new Set(["tidak", "belum", "tanpa", "habis", "no", "not", "without", "nothing", "have_not", "has_not", "did_not", "can_not", "cannot", "never"]);
/** How far apart a lack and its need may be ("tidak punya uang untuk makan"). */
const WINDOW = 4;

export function isBasicNeed(text: string | Normalized): boolean {
  const tokens = (typeof text === "string" ? normalize(text) : text).tokens;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as string;
    if (WITHOUT.has(t)) return true;
    if (!NEED.has(t)) continue;
    for (let j = Math.max(0, i - WINDOW); j < i; j++) if (LACK.has(tokens[j] as string)) return true;
  }
  return false;
}
