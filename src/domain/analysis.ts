/**
 * One analysis per message: language, triage and topic are computed once and
 * reused by every part of the bot (the triage gate, free text, flows) and by the
 * editors' classify CLI, so they can never disagree about the same text.
 * Pure domain module: no grammY, no SQL, no I/O.
 */
import { type MatchResult, matchText } from "./knowledge/matcher.ts";
import type { Lang } from "./lang.ts";
import { type TriageContext, type TriageResult, triage } from "./triage/triage.ts";

export interface MessageAnalysis {
  text: string;
  triage: TriageResult;
  /** topic, decision and the detected language (match.language, match.languageConfidence) */
  match: MatchResult;
}

export function analyseMessage(text: string, context: TriageContext = {}): MessageAnalysis {
  return { text, triage: triage(text, context), match: matchText(text) };
}

/**
 * Switch language only when the text clearly is in the other one. Three or more
 * words of one language ("tolong saya dikurung") switch; very short English that
 * has no Indonesian word at all ("hi", "thank you", "help me") switches too,
 * since an Indonesian speaker rarely writes only English words.
 */
export const LANGUAGE_FOLLOW_CONFIDENCE = 0.7;

/** The language to answer in: the writer's when the text says enough, else the current one. */
export function replyLanguage(match: MatchResult, current: Lang, chosen: boolean): Lang {
  if (chosen || match.language === current) return current;
  return match.languageConfidence >= LANGUAGE_FOLLOW_CONFIDENCE ? match.language : current;
}
