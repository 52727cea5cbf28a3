/**
 * Evaluation of triage on a labelled set (used by the accuracy test and the triage-eval CLI).
 * Pure: takes parsed rows, returns numbers.
 */
import { type Signal, type TriageContext, type TriageLevel, type TriageResult, triage } from "./triage.ts";

export interface LabelledMessage {
  text: string;
  urgent: boolean;
  signals: Signal[];
  language: "id" | "en";
  context?: TriageContext;
}

export interface EvalMiss {
  row: LabelledMessage;
  result: TriageResult;
}

export interface EvalReport {
  urgentN: number;
  nonUrgentN: number;
  /** urgent rows triaged "urgent" / urgent rows */
  recall: number;
  /** non-urgent rows triaged "urgent" / non-urgent rows */
  falseAlarmRate: number;
  /** expected signals present / expected signals, over urgent rows */
  signalAccuracy: number;
  /** confusion: label ("urgent" | "not_urgent") -> predicted level -> count */
  confusion: Record<"urgent" | "not_urgent", Record<TriageLevel, number>>;
  misses: EvalMiss[];
  falseAlarms: EvalMiss[];
  signalMisses: { row: LabelledMessage; missing: Signal[]; result: TriageResult }[];
}

export function parseJsonl(text: string): LabelledMessage[] {
  return text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as LabelledMessage);
}

const emptyRow = (): Record<TriageLevel, number> => ({ urgent: 0, unsure: 0, past: 0, none: 0 });

export function evaluate(rows: readonly LabelledMessage[]): EvalReport {
  const confusion = { urgent: emptyRow(), not_urgent: emptyRow() };
  const misses: EvalMiss[] = [];
  const falseAlarms: EvalMiss[] = [];
  const signalMisses: EvalReport["signalMisses"] = [];
  let tp = 0;
  let fp = 0;
  let urgentN = 0;
  let nonUrgentN = 0;
  let sigExpected = 0;
  let sigFound = 0;
  for (const row of rows) {
    const result = triage(row.text, row.context ?? {});
    if (row.urgent) {
      urgentN++;
      confusion.urgent[result.level]++;
      if (result.level === "urgent") tp++;
      else misses.push({ row, result });
      const missing = row.signals.filter((s) => !result.signals.includes(s));
      sigExpected += row.signals.length;
      sigFound += row.signals.length - missing.length;
      if (missing.length > 0) signalMisses.push({ row, missing, result });
    } else {
      nonUrgentN++;
      confusion.not_urgent[result.level]++;
      if (result.level === "urgent") {
        fp++;
        falseAlarms.push({ row, result });
      }
    }
  }
  return {
    urgentN,
    nonUrgentN,
    recall: urgentN ? tp / urgentN : 1,
    falseAlarmRate: nonUrgentN ? fp / nonUrgentN : 0,
    signalAccuracy: sigExpected ? sigFound / sigExpected : 1,
    confusion,
    misses,
    falseAlarms,
    signalMisses,
  };
}
