/**
 * One call that tells the bot (and the editors' CLI) what a free-text message is about.
 * Pure domain module: no grammY, no SQL, no I/O.
 */
import { matchText } from "./knowledge/matcher.ts";
import type { TopicId } from "./knowledge/topics.ts";
import { type Signal, triage } from "./triage/triage.ts";

export interface Classification {
  text: string;
  language: "id" | "en";
  topic: TopicId;
  urgent: boolean;
  signals: Signal[];
  /** topic confidence, 0..1, rounded to 3 decimals */
  confidence: number;
}

export function classify(text: string): Classification {
  const match = matchText(text);
  const t = triage(text);
  return {
    text,
    language: match.language,
    topic: match.topic,
    urgent: t.urgent,
    signals: [...t.signals],
    confidence: Math.round(match.confidence * 1000) / 1000,
  };
}
