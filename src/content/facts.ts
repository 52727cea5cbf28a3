/**
 * The facts file: every phone number, address, fee and rule the bot shows,
 * each with its source, the date it was checked and whether it is verified.
 * Validated with zod at start-up; operators edit content/facts.json (or point
 * FACTS_FILE at their own copy) without touching code.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { formatDate } from "../domain/format.ts";
import { LANGS, type Lang } from "../domain/lang.ts";
import { DEFAULT_FACTS_PATH } from "../paths.ts";

/**
 * A text per language. Every registered language (src/domain/languages.ts) must
 * have one: checked below, so the message names the language that is missing.
 */
const localized = z.record(z.string(), z.string().min(1)).transform((v) => v as Record<Lang, string>);
const location = z.object({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) });

export const factSchema = z.object({
  value: z.union([z.string().min(1), localized, location]),
  label: localized.optional(),
  source: z.string().min(3),
  checked: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "checked must be a date YYYY-MM-DD"),
  verified: z.boolean(),
  /** false hides the fact everywhere (used for unverified facts that should not be shown) */
  show: z.boolean().default(true),
});
export type Fact = z.infer<typeof factSchema>;

/** Facts the code relies on: the file must contain each of them. */
export const REQUIRED_FACTS = [
  "kbri_hotline_protection",
  "kbri_hotline_consular",
  "kbri_location",
  "kbri_map_pin",
  "splp_fee",
  "overstay_fine_per_day_usd",
  "kemlu_hotline",
  "cambodia_police_hotline",
  "peduli_wni",
  "safe_travel_app",
] as const;

export const factsFileSchema = z
  .object({
    $comment: z.string().optional(),
    facts: z.record(z.string().regex(/^[a-z0-9_]+$/, "fact ids are lower_snake_case"), factSchema),
  })
  .superRefine((file, ctx) => {
    for (const id of REQUIRED_FACTS) {
      if (!file.facts[id]) ctx.addIssue({ code: "custom", path: ["facts", id], message: `required fact "${id}" is missing` });
    }
    for (const [id, fact] of Object.entries(file.facts)) {
      const texts = { value: typeof fact.value === "object" && !("latitude" in fact.value) ? fact.value : undefined, label: fact.label };
      for (const [field, text] of Object.entries(texts)) {
        if (!text) continue;
        for (const lang of LANGS) {
          if (typeof text[lang] !== "string") ctx.addIssue({ code: "custom", path: ["facts", id, field, lang], message: `the text in "${lang}" is missing (every language of src/domain/languages.ts needs one)` });
        }
      }
    }
  });
export type FactsFile = z.infer<typeof factsFileSchema>;

export const DEFAULT_FACTS_FILE = DEFAULT_FACTS_PATH;

export class FactsError extends Error {
  override name = "FactsError";
}

export interface Facts {
  readonly file: FactsFile;
  /** the fact or undefined when missing or hidden */
  get(id: string): Fact | undefined;
  /**
   * Display strings for interpolation in texts: unverified facts carry the note,
   * hidden ones are left out. Besides `<id>` (and `<id>_label`), `<id>_checked`
   * is the date the fact was checked and `facts_checked` the dates of all shown
   * facts ("22 November 2026", or a range), formatted for the language.
   */
  view(lang: Lang, unverifiedNote: string): Readonly<Record<string, string>>;
  /** a location fact, if present and shown */
  location(id: string): { latitude: number; longitude: number; verified: boolean } | undefined;
  /** a number fact (e.g. the overstay fine per day) */
  number(id: string): number | undefined;
}

export function parseFacts(raw: unknown): Facts {
  const result = factsFileSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - ${i.path.join(".") || "(file)"}: ${i.message}`);
    throw new FactsError(`The facts file is invalid:\n${lines.join("\n")}`);
  }
  const file = result.data;
  const cache = new Map<string, Readonly<Record<string, string>>>();
  const get = (id: string): Fact | undefined => {
    const f = file.facts[id];
    return f?.show ? f : undefined;
  };
  return {
    file,
    get,
    view(lang, unverifiedNote) {
      const key = `${lang}\u0000${unverifiedNote}`;
      const hit = cache.get(key);
      if (hit) return hit;
      const out: Record<string, string> = {};
      for (const [id, fact] of Object.entries(file.facts)) {
        if (!fact.show) continue;
        const v = fact.value;
        let text: string;
        if (typeof v === "string") text = v;
        else if ("latitude" in v) text = `${v.latitude}, ${v.longitude}`;
        else text = v[lang];
        out[id] = fact.verified ? text : `${text} ${unverifiedNote}`;
        if (fact.label) out[`${id}_label`] = fact.label[lang];
        out[`${id}_checked`] = formatDate(lang, fact.checked);
      }
      out.facts_checked = checkedRange(file, lang);
      const frozen = Object.freeze(out);
      cache.set(key, frozen);
      return frozen;
    },
    location(id) {
      const f = get(id);
      if (!f || typeof f.value !== "object" || !("latitude" in f.value)) return undefined;
      return { latitude: f.value.latitude, longitude: f.value.longitude, verified: f.verified };
    },
    number(id) {
      const f = get(id);
      if (!f || typeof f.value !== "string") return undefined;
      const n = Number(f.value.replace(/[^0-9.]/g, ""));
      return Number.isFinite(n) ? n : undefined;
    },
  };
}

/** The checked dates of the shown facts: one date, or "oldest – newest". */
function checkedRange(file: FactsFile, lang: Lang): string {
  const dates = Object.values(file.facts)
    .filter((f) => f.show)
    .map((f) => f.checked)
    .sort();
  const first = dates[0];
  const last = dates.at(-1);
  if (first === undefined || last === undefined) return "";
  return first === last ? formatDate(lang, first) : `${formatDate(lang, first)} – ${formatDate(lang, last)}`;
}

export function loadFacts(path: string = DEFAULT_FACTS_FILE): Facts {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new FactsError(`Cannot read the facts file ${path}: ${(err as Error).message}`);
  }
  return parseFacts(raw);
}
