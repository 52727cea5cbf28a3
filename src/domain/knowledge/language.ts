/**
 * Word-list language detection for short chat messages, over every language of
 * the registry (src/domain/languages.ts; each language's words are in its
 * lexicon file, src/domain/lexicons/<code>.ts).
 * Pure domain module: no grammY, no SQL, no I/O.
 *
 * Works on normalized tokens, so slang is already expanded ("sy" -> "saya",
 * "gk" -> "tidak", "pls" -> "please"). Words both languages use in chat
 * ("ok", "kbri", "hp", "admin", "online", numbers) count for neither: short or
 * ambiguous text gets a low confidence and callers keep the user's current language.
 */
import { DEFAULT_LANG, type Lang } from "../lang.ts";
import { type LanguageEntry, LANGUAGES } from "../languages.ts";
import { type Normalized, normalize } from "../text/normalize.ts";

export type Language = Lang;

export interface LanguageGuess {
  language: Language;
  /** 0..1: below LANGUAGE_CONFIDENCE_MIN callers should keep the user's current language */
  confidence: number;
}

/** Below this confidence the guess should not override the user's current language. */
export const LANGUAGE_CONFIDENCE_MIN = 0.5;

/** One reader per registered language (src/domain/languages.ts), from its lexicon file. */
interface Reader {
  lang: Lang;
  words: ReadonlySet<string>;
  suffixes: readonly string[];
  affix?: RegExp;
  affixPriority: number;
}
const READERS: readonly Reader[] = LANGUAGES.map((l: LanguageEntry) => ({
  lang: l.code as Lang,
  words: new Set(l.lexicon.words),
  suffixes: l.lexicon.suffixes ?? [],
  ...(l.lexicon.affix ? { affix: l.lexicon.affix } : {}),
  affixPriority: l.lexicon.affixPriority ?? 0,
}));
/** affix patterns, highest priority first (registry order among equals) */
const BY_AFFIX = READERS.filter((r) => r.affix).sort((a, b) => b.affixPriority - a.affixPriority);

/** Words used in every language's chat: they never decide the language. */
const NEUTRAL = new Set(
  `ok sos kbri splp hp whatsapp wa visa hotline admin bot online chat telegram overstay exit permit safe travel
  download email scam cs call center p kak bos kamboja cambodia indonesia jakarta phnom penh poipet
  sihanoukville bangkok thailand bp2mi kp2mi kemlu wni pmi tppo peduli usd dollar fb facebook lapor diri
  peduliwni lapordiri safetravel`.split(/\s+/),
);

const knownAnywhere = (token: string) => READERS.some((r) => r.words.has(token));

function knows(r: Reader, t: string): boolean {
  if (r.words.has(t)) return true;
  for (const s of r.suffixes) if (t.length > 3 && t.endsWith(s) && r.words.has(t.slice(0, -s.length))) return true;
  return false;
}

/** Detect from already-normalized tokens (the matcher reuses its normalization). */
export function detectLanguageTokens(tokens: readonly string[]): LanguageGuess {
  const scores = new Array<number>(READERS.length).fill(0);
  for (const token of tokens) {
    const t = knownAnywhere(token) ? token : token.replace(/(\p{L})\1+/gu, "$1");
    if (NEUTRAL.has(t)) continue;
    // a word of exactly one language is a vote for it; a word of several is none
    let only = -1;
    let count = 0;
    READERS.forEach((r, i) => {
      if (knows(r, t)) {
        count++;
        only = i;
      }
    });
    if (count === 1) scores[only] = (scores[only] as number) + 1;
    else if (count === 0 && /^\p{L}+$/u.test(t)) {
      const byAffix = BY_AFFIX.find((r) => r.affix?.test(t));
      if (byAffix) {
        const i = READERS.indexOf(byAffix);
        scores[i] = (scores[i] as number) + 0.5;
      }
    }
  }
  const total = scores.reduce((a, b) => a + b, 0);
  if (total === 0) return { language: DEFAULT_LANG, confidence: 0 };
  // the best; a tie goes to the language registered first (the default first)
  let best = 0;
  scores.forEach((s, i) => {
    if (s > (scores[best] as number)) best = i;
  });
  const second = Math.max(0, ...scores.filter((_, i) => i !== best));
  const margin = ((scores[best] as number) - second) / total;
  const amount = 1 - Math.exp(-total / 2);
  return { language: (READERS[best] as Reader).lang, confidence: Math.round(margin * amount * 1000) / 1000 };
}

export function detectLanguage(text: string | Normalized): LanguageGuess {
  const n = typeof text === "string" ? normalize(text) : text;
  return detectLanguageTokens(n.tokens);
}

/** True for very common function words of either language (never fuzzy-matched as typos). */
export function isFunctionWord(token: string): boolean {
  return knownAnywhere(token);
}
