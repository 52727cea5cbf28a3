/**
 * Urgent triage. Pure domain module: no grammY, no SQL, no I/O.
 *
 * A message is split into clauses, folded and slang-expanded (normalize.ts + our own slang),
 * each token is tagged through a small Indonesian affix stripper with typo tolerance
 * ("dsekap", "dipukulin", "mau dibunh"), then phrase rules find danger signals. Each hit is
 * then checked for negation ("saya tidak disekap"), for being in the past or from someone
 * now safe ("dulu ... sekarang sudah di kbri"), and for general questions ("apa itu ...").
 * A missed urgent case is the worst error, so when in doubt a hit stays urgent.
 */
import { BoundedMap } from "../bounded-map.ts";
import { DOUBT_AT, modelScore, UNSURE_AT, URGENT_AT } from "./model/reader.ts";
import { editDistance, fold, SLANG } from "../text/normalize.ts";
import {
  CRY_FILLERS,
  CRY_INTENSE,
  NEG_TRANSPARENT,
  NO_WORDS,
  NOT_FUZZY,
  PHRASES,
  ROOTS,
  type RootSpec,
  TRIAGE_SLANG,
  WORDS,
  YES_WORDS,
} from "./lexicon.ts";

/** Signals named after the ILO forced-labour indicators, adapted to scam compounds. */
export const SIGNALS = [
  "confinement",
  "violence",
  "sexual_violence",
  "threats",
  "sold_or_moved",
  "debt_bondage",
  "documents_taken",
  "wages_withheld",
  "minor",
  "medical_denied",
  "self_harm",
  "escape_pursued",
  "cry_for_help",
  "family_report",
  /** not read from words: the person pressed the danger button or sent /sos */
  "danger_button",
] as const;
export type Signal = (typeof SIGNALS)[number];

/**
 * urgent: hand to staff now.
 * unsure: ask "Are you in danger now?" ("i need help", "bantu saya kak", a middling model score).
 * past:   danger described in the past by someone now safe: not urgent, but offer a person.
 * none:   nothing found.
 */
export type TriageLevel = "urgent" | "unsure" | "past" | "none";

export interface TriageContext {
  /** the bot has just asked "are you in danger now?" and this text answers it */
  awaitingDangerAnswer?: boolean;
  /** the user's previous few messages, oldest first (not including this one) */
  recentTexts?: readonly string[];
}

export interface TriageResult {
  urgent: boolean;
  level: TriageLevel;
  signals: Signal[];
  /** danger was found but only in the past / from someone now safe */
  past: boolean;
  /** the words that triggered each signal, for debugging and staff notes ("violence:dipukul") */
  matched: string[];
  /**
   * whose danger it is, when urgent: "other" when every danger found is a relative's or
   * friend's and the writer does not say they are in it too ("my son was sold"), else "self"
   */
  about?: "self" | "other";
  /** which reader decided the level: the word rules, the context of earlier messages, the statistical model, or a button */
  reader?: "rules" | "context" | "model" | "button";
}

// ---------------------------------------------------------------------------
// tokens

const BREAK = "|";

interface Token {
  /** canonical squeezed word ("|" for a clause break) */
  w: string;
  /** folded token before slang expansion (to spot "toloooong") */
  orig: string;
  tags: readonly string[];
  /** clause number */
  clause: number;
}

const squeeze = (s: string): string => s.replace(/(\p{L})\1+/gu, "$1");
const sq = (words: readonly string[]): Set<string> => new Set(words.map(squeeze));

const SQ_TRIAGE_SLANG = new Map<string, string>();
for (const [k, v] of Object.entries(SLANG)) SQ_TRIAGE_SLANG.set(k, v);
for (const [k, v] of Object.entries(TRIAGE_SLANG)) SQ_TRIAGE_SLANG.set(k, v);
for (const [k, v] of [...SQ_TRIAGE_SLANG]) {
  const sk = squeeze(k);
  if (!SQ_TRIAGE_SLANG.has(sk)) SQ_TRIAGE_SLANG.set(sk, v);
}

function expandToken(tok: string): string[] {
  const redup = /^(\p{L}{2,})2$/u.exec(tok);
  const t = redup?.[1] ?? tok;
  const mapped = SQ_TRIAGE_SLANG.get(t) ?? SQ_TRIAGE_SLANG.get(squeeze(t));
  const out = mapped ? mapped.split(/[ ]+/) : [t];
  return out.flatMap((x) => x.split("_")).map(squeeze);
}

const SQ_WORDS = new Map<string, readonly string[]>();
for (const [k, v] of Object.entries(WORDS)) {
  const sk = squeeze(k);
  SQ_WORDS.set(sk, [...(SQ_WORDS.get(sk) ?? []), ...v]);
}
const SQ_ROOTS = new Map<string, RootSpec>();
for (const [k, v] of Object.entries(ROOTS)) SQ_ROOTS.set(squeeze(k), v);
const FUZZY_ROOTS = [...SQ_ROOTS].filter(([, v]) => v.fuzzy);
const sqSet = (s: ReadonlySet<string>): Set<string> => sq([...s]);
const SQ_NOT_FUZZY = sqSet(NOT_FUZZY);
const SQ_TRANSPARENT = sqSet(NEG_TRANSPARENT);
const SQ_FILLERS = sqSet(CRY_FILLERS);
const SQ_INTENSE = sqSet(CRY_INTENSE);
const SQ_YES = sqSet(YES_WORDS);
const SQ_NO = sqSet(NO_WORDS);

/** [prefix, replacement, passive] — nasal prefixes restore the dropped consonant (mukul -> pukul). */
const PREFIXES: readonly (readonly [string, string, boolean])[] = [
  ["", "", false],
  ["di", "", true],
  ["d", "", true],
  ["ter", "", true],
  ["ke", "", true],
  ["diper", "", true],
  ["me", "", false],
  ["mem", "p", false],
  ["mem", "", false],
  ["men", "t", false],
  ["men", "", false],
  ["meng", "k", false],
  ["meng", "", false],
  ["meny", "s", false],
  ["m", "p", false],
  ["ny", "s", false],
  ["ny", "", false],
  ["n", "t", false],
  ["ng", "k", false],
  ["ng", "", false],
  ["nge", "", false],
  ["pe", "", false],
  ["pem", "p", false],
  ["pen", "t", false],
  ["pen", "", false],
  ["peng", "k", false],
  ["peng", "", false],
  ["peny", "s", false],
  ["ber", "", false],
  ["be", "", false],
];
/** prefixes after which a typo in the stem is not tried ("kemarin" is not "ke-" + "kejar") */
const FUZZY_NO_PREFIX = new Set([
  "ke",
  "ter",
  "pe",
  "pem",
  "pen",
  "peng",
  "peny",
  "ber",
  "be",
  "nge",
  "diper",
]);
const PARTICLES = ["", "nya", "lah", "kah", "ku", "mu", "pun"];
const DERIV = ["", "kan", "in", "i", "an", "ni", "n"];

interface Stem {
  stem: string;
  passive: boolean;
  affixed: boolean;
  /** typo matching allowed for this split: bare word, or "di"/"d" + stem */
  fuzzy: boolean;
}

function stems(w: string): Stem[] {
  const out: Stem[] = [];
  for (const [p, rep, passive] of PREFIXES) {
    if (!w.startsWith(p)) continue;
    const rest = rep + w.slice(p.length);
    for (const part of PARTICLES) {
      if (!rest.endsWith(part)) continue;
      const r1 = rest.slice(0, rest.length - part.length);
      for (const d of DERIV) {
        if (!r1.endsWith(d)) continue;
        const stem = r1.slice(0, r1.length - d.length);
        if (stem.length < 3) continue;
        const fuzzy = d === "" ? !FUZZY_NO_PREFIX.has(p) : p === "di" || p === "d";
        out.push({ stem: squeeze(stem), passive, affixed: p !== "" || part !== "" || d !== "", fuzzy });
      }
    }
  }
  return out;
}

const tagCache = new BoundedMap<string, readonly string[]>(20_000);
const NO_TAGS: readonly string[] = [];

/** Tags of one canonical word (cached). */
function tagsOf(w: string): readonly string[] {
  const hit = tagCache.get(w);
  if (hit) return hit;
  const tags = computeTags(w);
  tagCache.set(w, tags);
  return tags;
}

function computeTags(w: string): readonly string[] {
  const exact = SQ_WORDS.get(w);
  if (exact) return exact;
  // English plurals / 3rd person: "passports", "tasers"
  if (w.length > 4 && w.endsWith("s")) {
    const sing = SQ_WORDS.get(w.slice(0, -1));
    if (sing) return sing;
  }
  if (w.length < 4 || /\d/.test(w)) return NO_TAGS;
  const cands = stems(w);
  const tags = new Set<string>();
  for (const c of cands) {
    const r = SQ_ROOTS.get(c.stem);
    if (!r || !(c.affixed || r.bare)) continue;
    tags.add(r.tag);
    if (c.passive) tags.add(r.tag + "_P");
  }
  if (tags.size > 0 || SQ_NOT_FUZZY.has(w)) return tags.size ? [...tags] : NO_TAGS;
  // typos: only for roots marked fuzzy, one edit (two for long roots)
  for (const c of cands) {
    if (!c.fuzzy || c.stem.length < 4 || SQ_NOT_FUZZY.has(c.stem)) continue;
    for (const [root, spec] of FUZZY_ROOTS) {
      if (!(c.affixed || spec.bare)) continue;
      const budget = root.length >= 8 ? 2 : 1;
      if (Math.abs(root.length - c.stem.length) > budget) continue;
      if (editDistance(c.stem, root, budget) <= budget) {
        tags.add(spec.tag);
        if (c.passive) tags.add(spec.tag + "_P");
      }
    }
    if (tags.size > 0) break;
  }
  return tags.size ? [...tags] : NO_TAGS;
}

const BIGRAMS = new Map<string, string>([
  ["rumah sakit", "rumahsakit"],
  ["ganti rugi", "gantirugi"],
]);
const BLURRY = sq([
  "agak",
  "sedikit",
  "rada",
  "buram",
  "foto",
  "fotonya",
  "gambar",
  "gambarnya",
  "video",
  "videonya",
  "layar",
  "tulisan",
  "tulisannya",
  "mata",
  "pandangan",
]);

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  // long input: keep the first 4096 characters, without a cut-off half word at the end
  const cut = text.length > 4096 ? text.slice(0, 4096).replace(/\S+$/u, "") : text;
  const clauses = cut.split(/[.!?;,\n:()]+|\s-\s|\|/);
  let clause = 0;
  for (const c of clauses) {
    const f = fold(c);
    if (f === "") continue;
    if (out.length > 0) {
      out.push({ w: BREAK, orig: BREAK, tags: NO_TAGS, clause });
      clause++;
    }
    for (const raw of f.split(" ")) {
      // "16thn" -> "16 thn", "umur16" -> "umur 16"
      for (const part of raw.split(/(?<=\d)(?=\p{L})|(?<=\p{L})(?=\d)/u)) {
        for (const w of expandToken(part)) {
          if (w === "") continue;
          out.push({ w, orig: part, tags: tagsOf(w), clause });
        }
      }
    }
  }
  // "di pukul", "d kurung": join a detached passive prefix onto a danger root
  for (let i = 0; i < out.length - 1; i++) {
    const t = out[i]!;
    const n = out[i + 1]!;
    if ((t.w === "di" || t.w === "d") && n.w !== BREAK && n.tags.length === 0 && SQ_ROOTS.has(n.w)) {
      const w = "di" + n.w;
      out.splice(i, 2, { w, orig: t.orig + n.orig, tags: tagsOf(w), clause: t.clause });
    } else if ((t.w === "di" || t.w === "d") && SQ_ROOTS.has(n.w)) {
      const w = "di" + n.w;
      const tags = tagsOf(w);
      if (tags.some((x) => x.endsWith("_P")))
        out.splice(i, 2, { w, orig: t.orig + n.orig, tags, clause: t.clause });
    }
  }
  // two-word terms
  for (let i = 0; i < out.length - 1; i++) {
    const merged = BIGRAMS.get(out[i]!.w + " " + out[i + 1]!.w);
    if (merged) out.splice(i, 2, { w: merged, orig: merged, tags: tagsOf(merged), clause: out[i]!.clause });
  }
  for (let i = 0; i < out.length; i++) {
    const t = out[i]!;
    const next = out[i + 1]?.w ?? "";
    const prev = out[i - 1]?.w ?? "";
    // "pukul 3", "pukul berapa" is a time of day, not a blow
    if (t.w === "pukul" && (/^\d/.test(next) || next === "berapa")) out[i] = { ...t, tags: NO_TAGS };
    // "fotonya kabur" is a blurry photo
    if (t.w === "kabur" && (BLURRY.has(prev) || BLURRY.has(out[i - 2]?.w ?? "")))
      out[i] = { ...t, tags: NO_TAGS };
  }
  return out;
}

// ---------------------------------------------------------------------------
// phrase rules

interface CompiledRule {
  signal: Signal;
  parts: ReadonlySet<string>[];
  /** "!home|to": the token right after the match must not be one of these */
  notNext: ReadonlySet<string> | null;
  gap: number;
  neg: boolean;
}

const altSet = (alts: string): Set<string> =>
  new Set(alts.split("|").map((a) => (a.startsWith("@") ? a : squeeze(a))));
const RULES: CompiledRule[] = PHRASES.map((r) => {
  const elems = r.pattern.split(" ");
  const last = elems[elems.length - 1]!;
  const notNext = last.startsWith("!") ? altSet(last.slice(1)) : null;
  return {
    signal: r.signal,
    parts: (notNext ? elems.slice(0, -1) : elems).map(altSet),
    notNext,
    gap: r.gap ?? 0,
    neg: r.neg ?? true,
  };
});

/** Words a gap may not run through ("tidak tahu berapa gaji" is not "gaji tidak dibayar"). */
const GAP_STOP = sq([
  "tahu",
  "know",
  "ingat",
  "yakin",
  "sure",
  "paham",
  "tanya",
  "ask",
  "if",
  "kalau",
  "but",
  "tapi",
]);

function matches(t: Token, set: ReadonlySet<string>): boolean {
  if (set.has(t.w)) return true;
  for (const tag of t.tags) if (set.has(tag)) return true;
  return false;
}

interface Hit {
  signal: Signal;
  start: number;
  end: number;
  neg: boolean;
  /** pursuit and similar: not downgraded by "now I am safe" */
  presentOnly?: boolean;
}

function matchAt(toks: Token[], used: Uint8Array, i: number, rule: CompiledRule): number[] | null {
  const first = rule.parts[0]!;
  const t0 = toks[i]!;
  if (used[i] || t0.w === BREAK || !matches(t0, first)) return null;
  const idx = [i];
  let pos = i;
  for (let p = 1; p < rule.parts.length; p++) {
    const set = rule.parts[p]!;
    let found = -1;
    for (let j = pos + 1; j <= pos + 1 + rule.gap && j < toks.length; j++) {
      const t = toks[j]!;
      if (!used[j] && t.w !== BREAK && matches(t, set)) {
        found = j;
        break;
      }
      if (t.w === BREAK || GAP_STOP.has(t.w)) break;
    }
    if (found < 0) return null;
    idx.push(found);
    pos = found;
  }
  if (rule.notNext) {
    const nx = toks[pos + 1];
    if (nx && matches(nx, rule.notNext)) return null;
  }
  return idx;
}

const PRESENT_ONLY_WORDS = sq(["@CHASE", "@LOOK", "@SEARCH", "@SEARCH_P", "@HIDE"]);

function findHits(toks: Token[], raw: string): Hit[] {
  const used = new Uint8Array(toks.length);
  const hits: Hit[] = [];
  for (const rule of RULES) {
    for (let i = 0; i < toks.length; i++) {
      const idx = matchAt(toks, used, i, rule);
      if (!idx) continue;
      for (const k of idx) used[k] = 1;
      const presentOnly =
        rule.signal === "threats" ||
        (rule.signal === "escape_pursued" && toks[i]!.tags.some((x) => PRESENT_ONLY_WORDS.has(x)));
      hits.push({
        signal: rule.signal,
        start: idx[0]!,
        end: idx[idx.length - 1]!,
        neg: rule.neg,
        presentOnly,
      });
    }
  }
  for (const h of [...debtHits(toks, used, raw), ...minorHits(toks)]) hits.push(h);
  return hits;
}

const has = (t: Token, ...tags: string[]): boolean => tags.some((x) => t.w === x || t.tags.includes(x));

const MODAL = sq([
  "harus",
  "wajib",
  "disuruh",
  "suruh",
  "diminta",
  "minta",
  "must",
  "have",
  "has",
  "demand",
  "demanded",
  "demands",
  "asks",
  "asked",
  "ask",
  "want",
  "wants",
  "charge",
  "baru",
  "unles",
  "until",
  "sebelum",
  "before",
  "kalau",
  "if",
  "only",
  "then",
  "syarat",
  "dimintai",
  "meminta",
  "ingin",
  "lunas",
]);
const DEMAND = sq([
  "minta",
  "meminta",
  "diminta",
  "dimintai",
  "demand",
  "demands",
  "demanded",
  "want",
  "wants",
  "asks",
  "asked",
  "ingin",
]);
/** official or ordinary debts and fines: not bondage unless a boss/company is named */
const IMMIGRATION = sq([
  "overstay",
  "imigrasi",
  "immigration",
  "visa",
  "deportasi",
  "deport",
  "bank",
  "pinjol",
  "kredit",
  "cicilan",
  "koperasi",
  "pajak",
  "tax",
]);
const TRAVEL = sq(["tiket", "ticket", "pesawat", "flight", "splp", "bagasi", "bus", "kbri", "embassy"]);
const QUESTION = sq([
  "berapa",
  "apa",
  "bagaimana",
  "how",
  "what",
  "apakah",
  "much",
  "dimana",
  "where",
  "normal",
]);

/** "harus bayar denda 3000 dolar baru boleh pulang", "boss wants 5000 usd before they let me go". */
function debtHits(toks: Token[], used: Uint8Array, raw: string): Hit[] {
  let money = -1;
  let release = false;
  let freed = false;
  let actor = false;
  let modal = false;
  let demand = false;
  let immigration = false;
  let travel = false;
  let question = raw.includes("?");
  let strong = false;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    const next = toks[i + 1];
    const isAmount = /^\d{3,}$/.test(t.w)
      ? !/^20[0-3]\d$/.test(t.w)
      : /^\d+$/.test(t.w) && !!next && has(next, "@MONEY");
    if (!used[i]) {
      if (has(t, "@FINE", "@DEBT") || isAmount) {
        strong = true;
        if (money < 0) money = i;
      } else if (has(t, "@MONEY", "@PAY") && money < 0) money = i;
    }
    if (has(t, "@OUT", "@RELEASE", "@GO")) release = true;
    if (has(t, "@RELEASE")) freed = true;
    if (has(t, "@ACTOR")) actor = true;
    if (MODAL.has(t.w)) modal = true;
    if (DEMAND.has(t.w)) demand = true;
    if (IMMIGRATION.has(t.w)) immigration = true;
    if (TRAVEL.has(t.w)) travel = true;
    if (QUESTION.has(t.w)) question = true;
  }
  if (money < 0) return [];
  // "kalau ga bayar denda ..." : a negation near the money does not cancel bondage
  const hit: Hit[] = [{ signal: "debt_bondage", start: money, end: money, neg: false }];
  if (actor && !immigration && (release || demand) && (strong || modal)) return hit;
  if (!release) return [];
  if (actor && strong && !(immigration && question)) return hit;
  if (modal && strong && !immigration && !question) return hit;
  if (modal && freed && !immigration && !travel && !question) return hit;
  return [];
}

const AGE_WORDS = sq([
  "umur",
  "umr",
  "usia",
  "berumur",
  "berusia",
  "age",
  "aged",
  "umurnya",
  "usianya",
  "umure",
]);
const YEAR_WORDS = sq(["tahun", "thn", "th", "years", "year", "yo", "yr", "yrs", "y"]);
const NOT_AGE_BEFORE = sq([
  "sudah",
  "selama",
  "for",
  "sejak",
  "dari",
  "since",
  "lebih",
  "hampir",
  "kerja",
  "bekerja",
]);
const NOT_AGE_AFTER = sq([
  "lalu",
  "ago",
  "lagi",
  "kerja",
  "bekerja",
  "working",
  "work",
  "kemudian",
  "later",
  "older",
  "younger",
  "lebih",
  "more",
  "senior",
]);
const NOT_AGE_UNIT = sq([
  "dolar",
  "dollar",
  "dollars",
  "usd",
  "juta",
  "rb",
  "ribu",
  "jam",
  "hours",
  "hari",
  "days",
  "bulan",
  "months",
  "orang",
  "people",
  "kg",
  "km",
  "persen",
  "percent",
  "menit",
  "minutes",
  "x",
  "kali",
  "times",
]);
const BE_WORDS = sq(["am", "is", "masih", "baru", "only", "just", "cuma", "cuman", "hanya"]);

/** "umur 16", "my son is 15", "15 tahun", "di bawah umur", "underage". */
function minorHits(toks: Token[]): Hit[] {
  const out: Hit[] = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    const prev = toks[i - 1]?.w ?? "";
    const prev2 = toks[i - 2]?.w ?? "";
    const next = toks[i + 1]?.w ?? "";
    const next2 = toks[i + 2]?.w ?? "";
    if (
      (t.w === "bawah" || t.w === "dibawah" || t.w === "under") &&
      (next === "umur" || next === "age" || next === "18")
    ) {
      out.push({ signal: "minor", start: i, end: i + 1, neg: true });
      continue;
    }
    if (t.w === "underage" || t.w === "minor" || t.w === "minors") {
      out.push({ signal: "minor", start: i, end: i, neg: true });
      continue;
    }
    if ((t.w === "masih" || t.w === "stil") && /^(smp|sma|sd|sekolah|school|smk|kelas)$/.test(next)) {
      out.push({ signal: "minor", start: i, end: i + 1, neg: true });
      continue;
    }
    if (!/^\d{1,2}$/.test(t.w)) continue;
    const n = Number(t.w);
    if (n < 10 || n > 17) continue;
    if (NOT_AGE_AFTER.has(next) || NOT_AGE_AFTER.has(next2)) continue;
    const byAgeWord =
      AGE_WORDS.has(prev) ||
      (["ke", "ku", "saya", "nya", "dia", "baru", "masih"].includes(prev) && AGE_WORDS.has(prev2));
    const byYears =
      YEAR_WORDS.has(next) &&
      !NOT_AGE_BEFORE.has(prev) &&
      !NOT_AGE_AFTER.has(next2) &&
      (next !== "y" || next2 === "o");
    const byBe = BE_WORDS.has(prev) && !NOT_AGE_UNIT.has(next) && !/^\d/.test(next);
    if (byAgeWord || byYears || byBe) out.push({ signal: "minor", start: i, end: i, neg: true });
  }
  return out;
}

// ---------------------------------------------------------------------------
// negation, time, safety, general questions

const CONJ = sq(["atau", "or", "nor", "maupun", "ataupun", "apalagi"]);

function negated(toks: Token[], start: number): boolean {
  let skipped = 0;
  let conj = false;
  for (let j = start - 1; j >= 0 && skipped <= 3; j--) {
    const t = toks[j]!;
    if (t.w === BREAK) return false;
    // "tidak disekap atau dipukul": the negation reaches over the first danger word
    if (CONJ.has(t.w)) {
      conj = true;
      continue;
    }
    if (conj && t.tags.length > 0 && !t.tags.includes("@NEG")) {
      skipped++;
      continue;
    }
    if (t.tags.includes("@NEG")) {
      // "no one", "tidak ada yang", "bukan saya yang" all negate; "jangan" (don't!) is a plea, not a negation
      return true;
    }
    if (!SQ_TRANSPARENT.has(t.w)) return false;
    skipped++;
  }
  return false;
}

const ONGOING = sq([
  "masih",
  "still",
  "sedang",
  "currently",
  "terus",
  "kep",
  "keps",
  "continue",
  "continues",
  "lagi",
]);
const NOW = sq(["sekarang", "now", "today", "tonight", "hari"]);

function ongoing(toks: Token[], h: Hit): boolean {
  for (let j = h.start - 1; j >= 0 && j >= h.start - 6; j--) {
    const t = toks[j]!;
    if (t.w === BREAK) break;
    if (ONGOING.has(t.w) || NOW.has(t.w)) {
      // "sekarang sudah ..." is about being safe now, not about the danger
      const nx = toks[j + 1]?.w;
      if (NOW.has(t.w) && (nx === "sudah" || nx === "aman" || nx === "safe")) continue;
      // "waktu masih di perusahaan": back when, not still
      if (["waktu", "saat", "ketika", "pas", "when"].includes(toks[j - 1]?.w ?? "")) continue;
      return true;
    }
  }
  for (let j = h.end + 1; j < toks.length && j <= h.end + 3; j++) {
    const t = toks[j]!;
    if (t.w === BREAK) break;
    if (t.w === "terus" || t.w === "masih" || t.w === "stil" || t.w === "everyday" || t.w === "setiap")
      return true;
    if ((t.w === "right" || t.w === "sampai") && (toks[j + 1]?.w === "now" || toks[j + 1]?.w === "sekarang"))
      return true;
    // "ditahan sejak kemarin", "locked for 4 days", "dikurung udah 5 jam": it has lasted until now
    if ((t.w === "sejak" || t.w === "since" || t.w === "selama") && j === h.end + 1) return true;
    if ((t.w === "for" || t.w === "sudah") && /^\d/.test(toks[j + 1]?.w ?? "") && DURATION.has(toks[j + 2]?.w ?? "") &&
      !["lalu", "ago", "yang"].includes(toks[j + 3]?.w ?? ""))
      return true;
  }
  return false;
}

const DURATION = sq(["jam", "hari", "hr", "minggu", "bulan", "bln", "hours", "hour", "days", "day", "weeks", "months"]);

/** places that mean "out of the compound" after "di"/"at"/"in" */
const PLACE_SAFE = sq([
  "kbri",
  "embassy",
  "kedutaan",
  "rumah",
  "home",
  "hotel",
  "shelter",
  "penampungan",
  "polisi",
  "police",
  "bandara",
  "airport",
  "safehouse",
  "rumahsakit",
  "hospital",
  "guesthouse",
]);
/** places that mean safe only when the speaker says they are there ("saya sudah di jakarta") */
const PLACE_WEAK = sq([
  "indonesia",
  "jakarta",
  "kampung",
  "desa",
  "village",
  "surabaya",
  "medan",
  "batam",
  "jawa",
  "tanah",
  "rumahku",
]);
const SAFE_LEAD = sq([
  "sudah",
  "already",
  "now",
  "sekarang",
  "back",
  "finaly",
  "berhasil",
  "akhirnya",
  "got",
  "managed",
  "alhamdulillah",
  "made",
  "telah",
  "sdh",
  "kini",
  "safely",
]);
const SAFE_STATE = sq([
  "pulang",
  "home",
  "aman",
  "safe",
  "bebas",
  "free",
  "lepas",
  "dilepas",
  "dibebaskan",
  "diselamatkan",
  "dipulangkan",
  "rescued",
  "released",
  "keluar",
  "out",
  "selamat",
  "indonesia",
  "tiba",
  "sampai",
  "returned",
  "evakuasi",
  "dievakuasi",
  "evacuated",
  "lolos",
]);
const NOT_SAFE_LEAD = sq([
  "apakah",
  "kalau",
  "if",
  "will",
  "akan",
  "ingin",
  "want",
  "bisa",
  "can",
  "how",
  "bagaimana",
  "cara",
  "to",
  "untuk",
  "kapan",
  "when",
]);

interface Safety {
  safe: boolean;
  /** the one said to be safe is a third person ("he is home now") */
  third: boolean;
}

/** The speaker (or the person they write about) says they are now out / safe. */
function safety(toks: Token[]): Safety {
  let safe = false;
  let third = false;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    const prev = toks[i - 1]?.w ?? "";
    const prev2 = toks[i - 2]?.w ?? "";
    const next = toks[i + 1]?.w ?? "";
    let found = false;
    if (NOT_SAFE_LEAD.has(prev) || NOT_SAFE_LEAD.has(prev2)) continue;
    if (toks[i - 1]?.tags.includes("@NEG") || toks[i - 2]?.tags.includes("@NEG")) continue;
    const at = prev === "di" || prev === "at" || prev === "in" || prev === "sampai" || prev === "tiba";
    const atThe =
      (prev === "the" || prev === "a" || prev === "my" || prev === "our") &&
      (prev2 === "at" || prev2 === "in");
    if (PLACE_SAFE.has(t.w) && (at || atThe)) found = true;
    else if (
      PLACE_WEAK.has(t.w) &&
      at &&
      (SAFE_LEAD.has(prev2) || FIRST.has(prev2) || prev2 === "am" || prev2 === "are")
    )
      found = true;
    else if (SAFE_STATE.has(t.w) && SAFE_LEAD.has(prev)) found = true;
    else if (
      SAFE_STATE.has(t.w) &&
      SAFE_LEAD.has(prev2) &&
      (prev === "di" || prev === "ke" || prev === "to" || prev === "in")
    )
      found = true;
    else if (t.w === "safe" || t.w === "aman" || t.w === "selamat") {
      if (["am", "are", "saya", "kami", "we", "feel", "is", "dia"].includes(prev)) found = true;
      else if (next === "now" || next === "sekarang" || prev === "home" || prev === "rumah") found = true;
    } else if (
      (t.w === "home" || t.w === "out") &&
      (prev === "am" || prev === "are" || prev === "is") &&
      (next === "now" || next === "")
    ) {
      found = true;
    } else if (t.w === "home" && next === "now") found = true;
    if (!found) continue;
    safe = true;
    for (let j = i - 1; j >= 0 && j >= i - 4; j--) {
      const w = toks[j]!;
      if (w.w === BREAK) break;
      if (THIRD.has(w.w) || isFamily(toks, j)) third = true;
      if (FIRST.has(w.w) && !isFamily(toks, j - 1)) break;
    }
  }
  return { safe, third };
}

// a dream is not a danger now ("mimpi dikejar lg", "i still dream they coming")
const PAST = sq(["dulu", "dahulu", "previously", "sebelumnya", "formerly", "mimpi", "dream", "dreams", "dreamt", "nightmare", "nightmares"]);

function pastMarkerIn(toks: Token[], clause: number, wholeMessage: boolean): boolean {
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (!wholeMessage && t.clause !== clause) continue;
    const next = toks[i + 1]?.w ?? "";
    const prev = toks[i - 1]?.w ?? "";
    if (PAST.has(t.w)) return true;
    if (t.w === "used" && next === "to") return true;
    if ((t.w === "lalu" || t.w === "kemarin") && ["tahun", "bulan", "tahunan"].includes(prev)) return true;
    if (t.w === "ago" && ["years", "year", "months", "month"].includes(prev)) return true;
    if ((t.w === "year" || t.w === "month") && prev === "last") return true;
    if (t.w === "back" && next === "then") return true;
    if (
      t.w === "before" &&
      (next === "" || next === BREAK || next === "but" || next === "and" || next === "now")
    )
      return true;
    if (t.w === "when" && next === "i" && toks[i + 2]?.w === "was") return true;
    if ((t.w === "waktu" || t.w === "saat" || t.w === "ketika" || t.w === "pas") && next === "masih")
      return true;
  }
  return false;
}

const THIRD = sq(["dia", "he", "she", "they", "him", "her", "mereka"]);
const FIRST = sq(["saya", "kami", "aku", "i", "me", "we", "us", "my", "our", "ku", "kita"]);

/** a family member / friend named close before the hit ("anak saya disekap", "my brother is locked") */
function thirdPartyNear(toks: Token[], h: Hit): boolean {
  for (let j = h.start - 1; j >= 0 && j >= h.start - 6; j--) {
    const t = toks[j]!;
    if (t.w === BREAK) break;
    if (isFamily(toks, j)) return true;
  }
  return false;
}

function isFamily(toks: Token[], j: number): boolean {
  const t = toks[j];
  if (!t) return false;
  if (t.tags.includes("@FAM")) return true;
  if (t.tags.includes("@FAMK")) {
    const nx = toks[j + 1]?.w ?? "";
    const pv = toks[j - 1]?.w ?? "";
    return FIRST.has(nx) || pv === "my" || pv === "our";
  }
  return false;
}

const GENERAL_PAIRS_RAW: readonly (readonly [string, readonly string[]])[] = [
  ["apa", ["itu", "artinya", "arti", "maksud", "yang", "beda", "bedanya", "sih", "definisi"]],
  ["what", ["is", "are", "does", "do", "counts", "happens", "kind"]],
  ["is", ["it", "this"]],
  ["how", ["many", "common", "to", "do", "can", "often"]],
  ["berapa", ["banyak", "jumlah"]],
  ["saya", ["dengar", "baca", "lihat", "nonton"]],
  ["i", ["heard", "read", "saw", "watched"]],
  ["kenapa", ["banyak", "orang"]],
  ["why", ["do", "are", "is", "does"]],
  ["cara", ["menghindari", "mencegah", "hindari", "cegah", "lapor", "melaporkan", "mengenali"]],
  ["apakah", ["benar", "aman", "bisa", "ada"]],
  ["hukuman", ["untuk", "bagi", "buat", "apa", "pidana"]],
  ["punishment", ["for"]],
];
const GENERAL_PAIRS = GENERAL_PAIRS_RAW.map(([a, bs]) => [squeeze(a), sq(bs)] as const);
const GENERAL_WORDS = sq([
  "berita",
  "news",
  "artikel",
  "article",
  "statistik",
  "statistics",
  "benarkah",
  "film",
  "dokumenter",
  "documentary",
  "movie",
  "pasal",
  "undang",
  "law",
  "modus",
  "ciri",
  "tips",
  "sosialisasi",
  "penelitian",
  "research",
  "skripsi",
  "tugas",
  "definisi",
  "pengertian",
  "kasus",
  "cases",
  "viral",
  "tiktok",
  "youtube",
  "podcast",
  "seminar",
  "webinar",
  "penyebab",
  "mencegah",
  "avoid",
  "prevent",
  "warning",
  "peringatan",
  "signs",
]);

function isGeneral(toks: Token[]): boolean {
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (GENERAL_WORDS.has(t.w)) return true;
    for (const [a, bs] of GENERAL_PAIRS) if (t.w === a && bs.has(toks[i + 1]?.w ?? "")) return true;
  }
  return false;
}

function personalNear(toks: Token[], h: Hit): boolean {
  for (let j = Math.max(0, h.start - 3); j <= Math.min(toks.length - 1, h.end + 2); j++) {
    if (j >= h.start && j <= h.end) continue;
    const t = toks[j]!;
    if (t.w === BREAK) continue;
    if (FIRST.has(t.w) || isFamily(toks, j)) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------
// cries

const CRY_TAGS = ["@CRY", "@SAVEV", "@SAVE", "@SOS"];
const DISTRESS = [
  "@OUT",
  "@FEAR",
  "@DANGER",
  "@PLACE",
  "@ACTOR",
  "@GUARDN",
  "@ESC",
  "kamboja",
  "stuck",
  "terjebak",
  "here",
  "sini",
];

interface CryInfo {
  cry: boolean;
  bare: boolean;
  intense: boolean;
  distress: boolean;
  fear: boolean;
}

function cryInfo(raw: string, toks: Token[]): CryInfo {
  let cry = false;
  let cryCount = 0;
  let bare = true;
  let intense = false;
  let distress = false;
  let fear = false;
  for (const t of toks) {
    if (t.w === BREAK) continue;
    const isCry = t.tags.some((x) => CRY_TAGS.includes(x)) || t.w === "bantu" || t.w === "bantuan";
    if (isCry) {
      if (t.w !== "bantu" && t.w !== "bantuan") cry = true;
      cryCount++;
      // "toloooong", "heeelp"
      if (/(\p{L})\1/u.test(t.orig) && squeeze(t.orig) !== t.orig) intense = true;
      continue;
    }
    if (t.tags.includes("@FEAR")) fear = true;
    if (SQ_INTENSE.has(t.w)) intense = true;
    if (DISTRESS.some((d) => t.w === d || t.tags.includes(d))) distress = true;
    if (!SQ_FILLERS.has(t.w)) bare = false;
  }
  // "please" / "mohon" alone counts as a (bare) cry
  if (!cry && bare && toks.some((t) => ["please", "mohon", "bantu", "bantuan"].includes(t.w))) cry = true;
  // 🆘 / 🚨 typed as a message: the same cry as the danger button
  const sirens = raw.match(/🆘|🚨/gu)?.length ?? 0;
  if (sirens > 0) {
    cry = true;
    cryCount += sirens;
  }
  if (cryCount >= 2) intense = true;
  if ((raw.match(/!/g)?.length ?? 0) >= 2) intense = true;
  const letters = raw.replace(/[^\p{L}]/gu, "");
  if (letters.length >= 4 && letters === letters.toUpperCase() && letters !== letters.toLowerCase())
    intense = true;
  return { cry, bare, intense, distress, fear };
}

// ---------------------------------------------------------------------------
// analysis of one text

interface Analysis {
  toks: Token[];
  active: Hit[];
  pastHits: Hit[];
  cry: CryInfo;
  family: boolean;
  firstPerson: boolean;
  thirdPerson: boolean;
}

function analyze(text: string): Analysis {
  const toks = tokenize(text);
  const hits = findHits(toks, text);
  const { safe, third: safeThird } = safety(toks);
  const hypothetical = text.includes("?");
  const general = isGeneral(toks);
  const active: Hit[] = [];
  const pastHits: Hit[] = [];
  for (const h of hits) {
    if (h.neg && negated(toks, h.start)) continue;
    if (general && !personalNear(toks, h)) continue;
    const isOngoing = ongoing(toks, h);
    const third = thirdPartyNear(toks, h);
    const clausePast = pastMarkerIn(toks, toks[h.start]!.clause, false);
    const msgPast = !clausePast && safe && pastMarkerIn(toks, 0, true);
    if (!isOngoing && (clausePast || msgPast)) {
      pastHits.push(h);
      continue;
    }
    if (hypothetical && conditionalBefore(toks, h) && h.signal !== "self_harm") continue;
    if (h.signal === "documents_taken" && officialHolder(toks, h)) continue;
    if (h.signal === "confinement" && legalConsequence(toks, h)) continue;
    if (h.signal === "minor" && MINOR_OK.some((w) => toks.some((t) => t.w === w))) continue;
    if (safe && !isOngoing && (!third || safeThird) && (!h.presentOnly || safeThird)) {
      pastHits.push(h);
      continue;
    }
    active.push(h);
  }
  let family = false;
  let firstPerson = false;
  let thirdPerson = false;
  for (let j = 0; j < toks.length; j++) {
    const t = toks[j]!;
    if (
      isFamily(toks, j) &&
      (FIRST.has(toks[j + 1]?.w ?? "") ||
        ["my", "our"].includes(toks[j - 1]?.w ?? "") ||
        /ku$/.test(t.orig) ||
        toks[j + 1]?.w === "ku")
    ) {
      family = true;
    }
    if (FIRST.has(t.w)) firstPerson = true;
    if (THIRD.has(t.w)) thirdPerson = true;
  }
  return { toks, active, pastHits, cry: cryInfo(text, toks), family, firstPerson, thirdPerson };
}

const CONDITIONAL = sq(["kalau", "kalo", "jika", "jikalau", "if", "apakah", "bila", "seandainya"]);
function conditionalBefore(toks: Token[], h: Hit): boolean {
  for (let j = h.start - 1; j >= 0 && j >= h.start - 3; j--) {
    const t = toks[j]!;
    if (t.w === BREAK) return false;
    if (CONDITIONAL.has(t.w)) return true;
  }
  return false;
}

const OFFICIAL_HOLDER = sq([
  "imigrasi",
  "immigration",
  "kbri",
  "embassy",
  "polisi",
  "police",
  "bandara",
  "airport",
  "kantor",
  "staff",
  "petugas",
]);
function officialHolder(toks: Token[], h: Hit): boolean {
  for (let j = Math.max(0, h.start - 3); j <= Math.min(toks.length - 1, h.end + 3); j++) {
    if (OFFICIAL_HOLDER.has(toks[j]!.w)) return true;
  }
  return false;
}

/** Why someone might be jailed or detained by the authorities: a question about the law, not a captor. */
const LEGAL_CAUSE = sq([
  "overstay",
  "visa",
  "izin",
  "ijin",
  "permit",
  "paspor",
  "passport",
  "denda",
  "fine",
  "ilegal",
  "illegal",
  "imigrasi",
  "immigration",
]);
const BECAUSE = sq(["karena", "krn", "gara", "garagara", "akibat", "because", "for", "due", "sebab", "soal"]);

/** Words of detention by the authorities (not "disekap", "dikurung": those are captors' words). */
const ARREST = sq([
  "penjara",
  "dipenjara",
  "dipenjarakan",
  "tangkap",
  "ditangkap",
  "jail",
  "jailed",
  "prison",
  "arrest",
  "arrested",
  "detained",
  "detention",
  "ditahan",
  "tahanan",
]);

/** "apa saya dipenjara karena overstay?", "will I go to jail for my visa": detention by law, not by a captor. */
function legalConsequence(toks: Token[], h: Hit): boolean {
  let arrest = false;
  for (let j = h.start; j <= h.end; j++) if (ARREST.has(toks[j]!.w)) arrest = true;
  if (!arrest) return false;
  for (let j = h.end + 1; j < toks.length && j <= h.end + 3; j++) {
    const t = toks[j]!;
    if (t.w === BREAK) return false;
    if (!BECAUSE.has(t.w)) continue;
    for (let k = j + 1; k < toks.length && k <= j + 3; k++) {
      if (toks[k]!.w === BREAK) return false;
      if (LEGAL_CAUSE.has(toks[k]!.w)) return true;
    }
  }
  return false;
}

const MINOR_OK = [
  "beasiswa",
  "scholarship",
  "kuliah",
  "study",
  "studi",
  "liburan",
  "holiday",
  "wisata",
  "tour",
  "les",
];

/** "kalau kabur nanti dipukul", "they will sell me": a threat as well as the act itself */
const FUTURE = sq([
  "akan",
  "bakal",
  "nanti",
  "will",
  "would",
  "going",
  "gonna",
  "ingin",
  "ancam",
  "kalau",
  "if",
  "threaten",
]);
const THREATENABLE = new Set<Signal>([
  "violence",
  "sold_or_moved",
  "confinement",
  "escape_pursued",
  "sexual_violence",
]);
function threatened(toks: Token[], h: Hit): boolean {
  if (!THREATENABLE.has(h.signal)) return false;
  for (let j = h.start - 1; j >= 0 && j >= h.start - 3; j--) {
    const t = toks[j]!;
    if (t.w === BREAK) return false;
    if (FUTURE.has(t.w)) return true;
  }
  return false;
}

function uniq(signals: Signal[]): Signal[] {
  const set = new Set(signals);
  return SIGNALS.filter((s) => set.has(s));
}

function describe(a: Analysis, hits: Hit[]): string[] {
  return hits.map(
    (h) =>
      h.signal +
      ":" +
      a.toks
        .slice(h.start, h.end + 1)
        .map((t) => t.w)
        .join(" "),
  );
}

/** "saya", "kami", "I", "we" as the one it happens to, not a possessive ("anak saya", "my son"). */
function subjectNear(toks: Token[], h: Hit): boolean {
  for (let j = h.start - 1; j >= 0 && j >= h.start - 4; j--) {
    const t = toks[j]!;
    if (t.w === BREAK) break;
    if (!FIRST.has(t.w) || t.w === "my" || t.w === "our") continue;
    if (isFamily(toks, j - 1)) continue;
    if (isFamily(toks, j + 1)) continue;
    return true;
  }
  return false;
}

function aboutOf(a: Analysis): "self" | "other" {
  const other = a.active.some((h) => thirdPartyNear(a.toks, h)) && !a.active.some((h) => subjectNear(a.toks, h));
  return other ? "other" : "self";
}

const NEED_WORDS: ReadonlySet<string> = new Set(["need", "ned", "needs", "neds", "butuh", "perlu"]);

function decide(a: Analysis): TriageResult {
  if (a.active.length > 0) {
    const signals: Signal[] = a.active.map((h) => h.signal);
    if (a.active.some((h) => threatened(a.toks, h))) signals.push("threats");
    if (a.cry.cry) signals.push("cry_for_help");
    if (a.family || a.active.some((h) => thirdPartyNear(a.toks, h))) signals.push("family_report");
    return {
      urgent: true,
      level: "urgent",
      signals: uniq(signals),
      past: false,
      matched: describe(a, a.active),
      about: aboutOf(a),
      reader: "rules",
    };
  }
  if (a.pastHits.length > 0) {
    return {
      urgent: false,
      level: "past",
      signals: uniq(a.pastHits.map((h) => h.signal)),
      past: true,
      matched: describe(a, a.pastHits),
    };
  }
  if (a.cry.cry) {
    // A cry and nothing else ("tolong", "help me please", "SOS", "🆘"): in this help line it is a person
    // asking for rescue. Staff are told at once; asking first would cost a person who cannot answer.
    // "need help" / "bantu saya" alone may ask for any help: those get the danger question.
    const asksAnyHelp = a.toks.some((t) => NEED_WORDS.has(t.w) || t.w === "bantu" || t.w === "bantuan");
    if (a.cry.bare && !asksAnyHelp) return urgentCry(["cry"]);
    if (a.cry.bare && (a.cry.intense || a.cry.fear)) return urgentCry(["cry"]);
    // "tolong anak sy", "help my husband": a short cry for a relative
    if (a.family && a.toks.filter((t) => t.w !== BREAK).length <= 4) return { ...urgentCry(["cry:family"]), signals: ["cry_for_help", "family_report"], about: "other" };
    if (a.cry.fear) return urgentCry(["cry+fear"]);
    if (a.cry.bare || a.cry.distress)
      return { urgent: false, level: "unsure", signals: [], past: false, matched: [] };
    return none();
  }
  if (a.cry.fear && a.firstPerson)
    return { urgent: false, level: "unsure", signals: [], past: false, matched: [] };
  return none();
}

const none = (): TriageResult => ({ urgent: false, level: "none", signals: [], past: false, matched: [] });
const urgentCry = (matched: string[]): TriageResult => ({
  urgent: true,
  level: "urgent",
  signals: ["cry_for_help"],
  past: false,
  matched,
  about: "self",
  reader: "rules",
});

function answerIsYes(a: Analysis): "yes" | "no" | "other" {
  let yes = false;
  let no = false;
  const words = a.toks.filter((t) => t.w !== BREAK);
  for (const t of words) {
    if (SQ_YES.has(t.w)) yes = true;
    if (SQ_NO.has(t.w) || t.tags.includes("@NEG")) no = true;
  }
  if (no) return "no";
  if (yes) return "yes";
  return "other";
}

export interface TriageOptions {
  /** ask the statistical reader too (default true); false: the word rules alone (training, comparisons) */
  model?: boolean;
}

/**
 * Triage one incoming message: the word rules first; what they do not call
 * urgent is read by the statistical model too (rules OR model above its high
 * threshold: urgent; model in its middle band: ask "are you in danger now?").
 * Fast (no I/O, cached word analysis) and total: never throws.
 */
export function triage(text: string, context: TriageContext = {}, options: TriageOptions = {}): TriageResult {
  const byRules = triageByRules(text, context);
  // No letter, digit or emoji of distress (empty, punctuation, 🙏, 👍): the word rules have read all there is.
  if (options.model === false || !/[\p{L}\p{N}]|🆘|🚨|😭|😢|😰|😱|😨|😥/u.test(text)) return byRules;
  return combineReaders(text, byRules, modelScore(text), MODEL_THRESHOLDS, context);
}

export interface ModelThresholds {
  /** at or above: urgent, whatever the rules say */
  urgentAt: number;
  /** at or above (and below urgentAt): ask "are you in danger now?" instead of an ordinary answer */
  unsureAt: number;
  /** below: the model is sure the message is safe; a rules-only alarm from this one text is asked about instead */
  doubtAt: number;
}

const MODEL_THRESHOLDS: ModelThresholds = { urgentAt: URGENT_AT, unsureAt: UNSURE_AT, doubtAt: DOUBT_AT };

/** Signals never doubted: a person who may hurt themselves, or who is ill and refused help, is always urgent. */
const NEVER_DOUBTED: readonly Signal[] = ["self_harm", "medical_denied", "sexual_violence", "minor", "sold_or_moved"];

/** The word rules and the statistical model together (p: the model's probability that the text is urgent). */
export function combineReaders(
  text: string,
  byRules: TriageResult,
  p: number,
  t: ModelThresholds,
  context: TriageContext = {},
): TriageResult {
  const mark = `model:${p.toFixed(3)}`;
  if (byRules.level === "urgent") {
    const doubted =
      p < t.doubtAt &&
      byRules.reader === "rules" &&
      !context.awaitingDangerAnswer &&
      !byRules.signals.some((s) => NEVER_DOUBTED.includes(s));
    if (!doubted) return byRules;
    return { urgent: false, level: "unsure", signals: byRules.signals, past: false, matched: [...byRules.matched, mark], reader: "model" };
  }
  if (p >= t.urgentAt) {
    const a = analyze(text);
    return {
      urgent: true,
      level: "urgent",
      signals: uniq([...byRules.signals, ...(a.family ? (["family_report"] as Signal[]) : [])]),
      past: false,
      matched: [...byRules.matched, mark],
      about: a.family ? "other" : "self",
      reader: "model",
    };
  }
  if (p >= t.unsureAt && (byRules.level === "none" || byRules.level === "past")) {
    return { urgent: false, level: "unsure", signals: byRules.signals, past: false, matched: [...byRules.matched, mark], reader: "model" };
  }
  return byRules;
}

function triageByRules(text: string, context: TriageContext): TriageResult {
  const a = analyze(text);
  let result = decide(a);

  if (context.awaitingDangerAnswer && !result.urgent) {
    const ans = answerIsYes(a);
    if (
      ans === "yes" ||
      (ans === "other" && (a.cry.fear || a.toks.some((t) => t.tags.includes("@DANGER")) || a.cry.cry))
    ) {
      return { ...urgentCry(["answer:" + text.slice(0, 40)]), reader: "context" };
    }
  }

  const recent = context.recentTexts?.filter((t) => t.trim() !== "").slice(-5) ?? [];
  if (recent.length === 0) return result;

  if (result.urgent && a.cry.cry && a.active.length === 0) {
    // a bare cry after "saya dikurung": staff see what the earlier messages said
    const joined = decide(analyze([...recent, text].join(" | ")));
    if (joined.urgent) return { ...joined, signals: uniq([...joined.signals, "cry_for_help"]), reader: "context" };
    return result;
  }
  if (result.urgent) {
    // "anak saya di kamboja" then "dia disekap"
    if (!result.signals.includes("family_report") && !a.firstPerson) {
      const prev = analyze(recent.join(" | "));
      if (prev.family) result = { ...result, signals: uniq([...result.signals, "family_report"]) };
    }
    return result;
  }
  // the current message only means something together with what came before
  const contributes =
    a.cry.cry ||
    a.cry.fear ||
    a.active.length > 0 ||
    a.pastHits.length > 0 ||
    a.thirdPerson ||
    result.level === "unsure";
  if (!contributes) return result;
  const joined = decide(analyze([...recent, text].join(" | ")));
  if (joined.urgent) {
    const signals: Signal[] = a.cry.cry ? uniq([...joined.signals, "cry_for_help"]) : joined.signals;
    return { ...joined, signals, reader: "context" };
  }
  return result;
}

