/**
 * Free-text topic matcher: which help topic is this message about?
 * Pure domain module: no grammY, no SQL, no I/O.
 *
 * normalize() -> resolve each token to a lexicon word (exact, squeezed letters,
 * Indonesian/English affix stripping, then typo tolerance through a precomputed
 * deletion index checked with editDistance/typoBudget) -> weighted word and
 * phrase scores per topic -> decision (answer / suggest / fallback).
 */
import type { Lang } from "../lang.ts";
import { editDistance, normalize, typoBudget } from "../text/normalize.ts";
import { detectLanguageTokens, isFunctionWord } from "./language.ts";
import { LEXICON, RELATED_TOPICS } from "./lexicon.ts";
import { TOPIC_OVERRULE_AT, topicByModel } from "./model/reader.ts";
import { isAnswerableTopic, TOPIC_IDS, type TopicId } from "./topics.ts";
import { BoundedMap } from "../bounded-map.ts";

export interface TopicScore {
  topic: TopicId;
  /** 0..1 */
  score: number;
}

export type MatchDecision = "answer" | "suggest" | "fallback";

export interface MatchResult {
  language: Lang;
  languageConfidence: number;
  /** best topic, "out_of_scope" when nothing fits */
  topic: TopicId;
  /** 0..1 */
  confidence: number;
  /** answer: confident; suggest: offer 2-3 likeliest topics as buttons; fallback: show menu + hotlines */
  decision: MatchDecision;
  /** best first, at most 3, only answerable topics, for "suggest" */
  candidates: TopicScore[];
}

/** Confidence needed to answer directly. */
export const ANSWER_MIN_CONFIDENCE = 0.56;
/** Raw score below which a message carries no usable signal. */
const MIN_SIGNAL = 1;
/** Weight factor for a word recognised only through typo tolerance. */
const FUZZY_FACTOR = 0.85;
/** Weight factor for a word recognised through affix stripping. */
const STEM_FACTOR = 0.95;
/** Extra family score when a relative word is possessed by the writer ("anak saya", "my brother"). */
const FAMILY_POSSESSIVE_BONUS = 2;
/** Extra family score when any relative is mentioned (a relative is usually the subject of the message). */
const FAMILY_MENTION_BONUS = 1;
/** Greeting words only count near the start of a message ("pagi" in "malam hari" is not a greeting). */
const GREETING_WINDOW = 3;
/** Longer tokens are never stemmed or typo-matched (bounds the work on garbage input). */
const MAX_FUZZY_LENGTH = 24;

const N_TOPICS = TOPIC_IDS.length;
const TOPIC_INDEX = new Map<TopicId, number>(TOPIC_IDS.map((t, i) => [t, i]));
const GREETING = TOPIC_INDEX.get("greeting")!;
const THANKS = TOPIC_INDEX.get("thanks")!;
const OUT_OF_SCOPE = TOPIC_INDEX.get("out_of_scope")!;
const FAMILY = TOPIC_INDEX.get("family")!;

interface WordHit {
  topic: number;
  weight: number;
}
interface PhraseEntry {
  tokens: string[];
  topic: number;
  weight: number;
}
interface Resolved {
  word: string;
  factor: number;
}

// ---------------------------------------------------------------- index (built once at import)

const wordIndex = new Map<string, WordHit[]>();
const phraseIndex = new Map<string, PhraseEntry[]>();
const vocabulary = new Set<string>();
/** deletion variant -> vocabulary words it can come from (SymSpell-style) */
const deletionIndex = new Map<string, string[]>();
const relatives = new Set<string>();

function addWord(word: string, topic: number, weight: number): void {
  const hits = wordIndex.get(word) ?? [];
  const existing = hits.find((h) => h.topic === topic);
  if (existing) existing.weight = Math.max(existing.weight, weight);
  else hits.push({ topic, weight });
  wordIndex.set(word, hits);
  vocabulary.add(word);
}

function addPhrase(tokens: string[], topic: number, weight: number): void {
  const first = tokens[0];
  if (first === undefined) return;
  const list = phraseIndex.get(first) ?? [];
  list.push({ tokens, topic, weight });
  phraseIndex.set(first, list);
  for (const t of tokens) vocabulary.add(t);
}

function deletes(word: string, out: Set<string>): void {
  for (let i = 0; i < word.length; i++) out.add(word.slice(0, i) + word.slice(i + 1));
}

function deletionKeys(word: string, depth: number): Set<string> {
  const keys = new Set<string>([word]);
  deletes(word, keys);
  if (depth >= 2) for (const k of [...keys]) if (k !== word && k.length >= 4) deletes(k, keys);
  return keys;
}

for (const topic of TOPIC_IDS) {
  const t = TOPIC_INDEX.get(topic)!;
  const lex = LEXICON[topic];
  for (const [entry, weight] of Object.entries(lex.words)) {
    const tokens = normalize(entry).tokens;
    if (tokens.length === 1) addWord(tokens[0]!, t, weight);
    else if (tokens.length > 1) addPhrase(tokens, t, weight);
    if (topic === "family" && weight >= 2 && tokens.length === 1) relatives.add(tokens[0]!);
  }
  for (const [entry, weight] of Object.entries(lex.phrases)) {
    const tokens = normalize(entry).tokens;
    if (tokens.length === 1) addWord(tokens[0]!, t, weight);
    else if (tokens.length > 1) addPhrase(tokens, t, weight);
  }
}
for (const word of vocabulary) {
  const budget = typoBudget(word);
  if (budget === 0 || !/^\p{L}+$/u.test(word)) continue;
  for (const key of deletionKeys(word, budget)) {
    const list = deletionIndex.get(key);
    if (list) {
      if (!list.includes(word)) list.push(word);
    } else deletionIndex.set(key, [word]);
  }
}

// ---------------------------------------------------------------- token resolution

const SUFFIXES1 = ["nya", "ku", "mu", "lah", "kah", "pun", "ne", "e"];
const SUFFIXES2 = ["kan", "an", "i"];
const PREFIXES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ["meng", ["", "k"]],
  ["meny", ["s"]],
  ["mem", ["", "p"]],
  ["men", ["", "t"]],
  ["me", [""]],
  ["peng", ["", "k"]],
  ["peny", ["s"]],
  ["pem", ["", "p"]],
  ["pen", ["", "t"]],
  ["per", [""]],
  ["pe", [""]],
  ["di", [""]],
  ["ter", [""]],
  ["ber", [""]],
  ["be", [""]],
  ["ke", [""]],
  ["se", [""]],
  ["ng", ["", "k"]],
  ["ny", ["s"]],
];
const EN_SUFFIXES = ["s", "es", "ed", "d", "ing"];

function stemCandidates(token: string): string[] {
  const out: string[] = [];
  const bases = new Set<string>([token]);
  for (const s of SUFFIXES1)
    if (token.length - s.length >= 3 && token.endsWith(s)) bases.add(token.slice(0, -s.length));
  for (const b of [...bases]) {
    for (const s of SUFFIXES2)
      if (b.length - s.length >= 3 && b.endsWith(s)) bases.add(b.slice(0, -s.length));
  }
  for (const b of bases) {
    if (b !== token) out.push(b);
    for (const [prefix, restore] of PREFIXES) {
      if (b.length - prefix.length < 3 || !b.startsWith(prefix)) continue;
      for (const r of restore) out.push(r + b.slice(prefix.length));
    }
  }
  for (const s of EN_SUFFIXES)
    if (token.length - s.length >= 3 && token.endsWith(s)) out.push(token.slice(0, -s.length));
  return out;
}

function fuzzy(token: string): Resolved | undefined {
  const tokenBudget = typoBudget(token);
  if (tokenBudget === 0) return undefined;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const key of deletionKeys(token, tokenBudget)) {
    const words = deletionIndex.get(key);
    if (!words) continue;
    for (const w of words) {
      const budget = Math.min(tokenBudget, typoBudget(w));
      const d = editDistance(token, w, budget);
      if (d <= budget && d < bestDistance) {
        best = w;
        bestDistance = d;
      }
    }
  }
  return best === undefined ? undefined : { word: best, factor: FUZZY_FACTOR };
}

function resolveUncached(token: string): Resolved {
  if (vocabulary.has(token)) return { word: token, factor: 1 };
  const squeezed = token.replace(/(\p{L})\1+/gu, "$1");
  if (squeezed !== token && vocabulary.has(squeezed)) return { word: squeezed, factor: 1 };
  if (
    token.length > MAX_FUZZY_LENGTH ||
    !/^\p{L}+$/u.test(token) ||
    isFunctionWord(token) ||
    isFunctionWord(squeezed)
  ) {
    return { word: token, factor: 0 };
  }
  for (const c of stemCandidates(token)) if (vocabulary.has(c)) return { word: c, factor: STEM_FACTOR };
  return fuzzy(token) ?? (squeezed !== token ? fuzzy(squeezed) : undefined) ?? { word: token, factor: 0 };
}

const RESOLVE_CACHE_MAX = 20_000;
const resolveCache = new BoundedMap<string, Resolved>(RESOLVE_CACHE_MAX);

function resolve(token: string): Resolved {
  if (token.length > MAX_FUZZY_LENGTH) return { word: token, factor: 0 };
  const cached = resolveCache.get(token);
  if (cached) return cached;
  const r = resolveUncached(token);
  resolveCache.set(token, r);
  return r;
}

// ---------------------------------------------------------------- scoring

const round3 = (x: number): number => Math.round(x * 1000) / 1000;
const strength = (s: number): number => 1 - Math.exp(-s / 2);

/** Raw (unbounded) score per topic, in TOPIC_IDS order. Exposed for tests and tuning. */
export function rawScores(tokens: readonly string[]): number[] {
  const scores = new Array<number>(N_TOPICS).fill(0);
  const words: string[] = new Array<string>(tokens.length);
  const counted = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    const r = resolve(tokens[i]!);
    words[i] = r.word;
    if (r.factor === 0 || counted.has(r.word)) continue;
    counted.add(r.word);
    const hits = wordIndex.get(r.word);
    if (!hits) continue;
    for (const h of hits) {
      if (h.topic === GREETING && i >= GREETING_WINDOW) continue;
      scores[h.topic]! += h.weight * r.factor;
    }
  }
  const seenPhrases = new Set<PhraseEntry>();
  let possessed = false;
  let mentioned = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const list = phraseIndex.get(w);
    if (list) {
      for (const p of list) {
        if (seenPhrases.has(p) || i + p.tokens.length > words.length) continue;
        let ok = true;
        for (let k = 1; k < p.tokens.length; k++) {
          if (words[i + k] !== p.tokens[k]) {
            ok = false;
            break;
          }
        }
        if (ok) {
          seenPhrases.add(p);
          scores[p.topic]! += p.weight;
        }
      }
    }
    if (!possessed && relatives.has(w)) {
      mentioned = true;
      const next = words[i + 1];
      const prev = words[i - 1];
      if (next === "saya" || next === "kami" || prev === "my" || prev === "our") possessed = true;
    }
  }
  if (possessed) scores[FAMILY]! += FAMILY_POSSESSIVE_BONUS;
  if (mentioned) scores[FAMILY]! += FAMILY_MENTION_BONUS;
  return scores;
}

/**
 * The word matcher's reading, overruled by the statistical topic reader when it
 * is very sure (model/reader.ts; the level was chosen by cross-validation).
 */
export function matchText(text: string): MatchResult {
  const byWords = matchWords(text);
  const byModel = topicByModel(text);
  // No word of any topic at all (gibberish, emoji): nothing for the model to overrule.
  const noSignal = byWords.topic === "out_of_scope" && byWords.confidence === 0;
  if (noSignal || !byModel || byModel.p < TOPIC_OVERRULE_AT || byModel.topic === byWords.topic) return byWords;
  const topic = byModel.topic;
  return {
    ...byWords,
    topic,
    confidence: round3(byModel.p),
    decision: topic === "out_of_scope" ? "fallback" : "answer",
    candidates: byWords.candidates,
  };
}

/** The word matcher alone (training compares against it). */
export function matchWords(text: string): MatchResult {
  const n = normalize(text);
  const lang = detectLanguageTokens(n.tokens);
  const scores = rawScores(n.tokens);
  const base = { language: lang.language, languageConfidence: lang.confidence };

  // best information topic (answerable + human + out_of_scope)
  let best = -1;
  let bestScore = 0;
  let total = 0;
  for (let t = 0; t < N_TOPICS; t++) {
    if (t === GREETING || t === THANKS) continue;
    const s = scores[t]!;
    total += s;
    if (s > bestScore) {
      bestScore = s;
      best = t;
    }
  }

  const social = scores[GREETING]! >= scores[THANKS]! ? GREETING : THANKS;
  const socialScore = scores[social]!;
  if (socialScore >= 1.5 && (bestScore < 2 || socialScore >= 2 * bestScore) && socialScore >= bestScore) {
    return {
      ...base,
      topic: TOPIC_IDS[social]!,
      confidence: round3(strength(socialScore)),
      decision: "answer",
      candidates: [],
    };
  }

  const candidates: TopicScore[] = [];
  for (let t = 0; t < N_TOPICS; t++) {
    const topic = TOPIC_IDS[t]!;
    const s = scores[t]!;
    if (s > 0 && isAnswerableTopic(topic))
      candidates.push({ topic, score: round3(strength(s) * Math.sqrt(s / total)) });
  }
  candidates.sort((a, b) => b.score - a.score);
  candidates.length = Math.min(candidates.length, 3);

  if (best < 0 || bestScore < MIN_SIGNAL) {
    return { ...base, topic: "out_of_scope", confidence: 0, decision: "fallback", candidates };
  }
  const topic = TOPIC_IDS[best]!;
  const confidence = round3(strength(bestScore) * Math.sqrt(bestScore / total));
  if (best === OUT_OF_SCOPE) return { ...base, topic, confidence, decision: "fallback", candidates };
  if (confidence >= ANSWER_MIN_CONFIDENCE)
    return { ...base, topic, confidence, decision: "answer", candidates };

  // unsure: offer 2-3 topics, padding with topics related to the best one
  for (const related of RELATED_TOPICS[topic] ?? []) {
    if (candidates.length >= 2) break;
    if (!candidates.some((c) => c.topic === related)) candidates.push({ topic: related, score: 0 });
  }
  return { ...base, topic, confidence, decision: "suggest", candidates };
}
