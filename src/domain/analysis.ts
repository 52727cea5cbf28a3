/**
 * One analysis per message: language, triage and topic are computed once and
 * reused by every part of the bot (the triage gate, free text, flows) and by the
 * editors' classify CLI, so they can never disagree about the same text.
 * Pure domain module: no grammY, no SQL, no I/O.
 */
import { type MatchResult, matchText } from "./knowledge/matcher.ts";
import type { Lang } from "./lang.ts";
import { type TriageContext, type TriageOptions, type TriageResult, triage } from "./triage/triage.ts";

export interface MessageAnalysis {
  text: string;
  triage: TriageResult;
  /** topic, decision and the detected language (match.language, match.languageConfidence) */
  match: MatchResult;
}

export function analyseMessage(text: string, context: TriageContext = {}, options: TriageOptions = {}): MessageAnalysis {
  return { text, triage: triage(text, context, options), match: matchText(text) };
}

/**
 * Follow the writer's language whenever the text leans to one side: one clear
 * word ("hi", "tolong") is enough when nothing of the other language stands
 * beside it, and a code-mixed message follows its larger part. Text with no
 * word of either language ("ok", "kbri", "🆘") keeps the current language.
 * Chosen on the development sets (test/fixtures/dev): from the other language,
 * 0.7 kept 95% of replies in the writer's language, 0.15 keeps 98%, and a chat
 * already in the right language switches wrongly for 0.5% of messages.
 */
export const LANGUAGE_FOLLOW_CONFIDENCE = 0.15;

/** Inside a guided flow answers are terse ("3 bln", "Budi"): switch only on a clear sentence. */
export const LANGUAGE_FOLLOW_CONFIDENCE_IN_FLOW = 0.7;

/** The language to answer in: the writer's when the text says enough, else the current one. */
export function replyLanguage(match: MatchResult, current: Lang, chosen: boolean, inFlow = false): Lang {
  if (chosen || match.language === current) return current;
  const needed = inFlow ? LANGUAGE_FOLLOW_CONFIDENCE_IN_FLOW : LANGUAGE_FOLLOW_CONFIDENCE;
  return match.languageConfidence >= needed ? match.language : current;
}
