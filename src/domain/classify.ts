/**
 * One call that tells the editors' CLI what the bot makes of a free-text
 * message, and why: the same one analysis the bot computes per message.
 * Pure domain module: no grammY, no SQL, no I/O.
 */
import { analyseMessage } from "./analysis.ts";
import type { Lang } from "./lang.ts";
import type { TopicId } from "./knowledge/topics.ts";
import type { Signal, TriageLevel, TriageResult } from "./triage/triage.ts";

export interface Classification {
  text: string;
  language: Lang;
  topic: TopicId;
  /** urgent: staff now; unsure: the danger question; past: answer and offer a person; none */
  level: TriageLevel;
  urgent: boolean;
  signals: Signal[];
  /** who decided the level: the word rules, earlier messages, or the statistical model */
  reader: NonNullable<TriageResult["reader"]> | "none";
  /** what triggered it ("violence:dipukul", "model:0.973") */
  matched: string[];
  /** topic confidence, 0..1, rounded to 3 decimals */
  confidence: number;
}

export function classify(text: string): Classification {
  const { match, triage: t } = analyseMessage(text);
  return {
    text,
    language: match.language,
    topic: match.topic,
    level: t.level,
    urgent: t.urgent,
    signals: [...t.signals],
    reader: t.reader ?? (t.level === "none" ? "none" : "rules"),
    matched: [...t.matched],
    confidence: Math.round(match.confidence * 1000) / 1000,
  };
}
