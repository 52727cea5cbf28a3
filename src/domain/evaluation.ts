/**
 * Scores the bot's reading of a labelled message set the way a person meets it:
 * is an urgent message marked urgent (strict recall), is any urgent message
 * answered as ordinary Q&A, how many safe messages raise a false alarm, is the
 * topic of a non-urgent message right, and is the reply in the writer's language.
 * It also counts which expected signals were found, and the level each row got
 * (the confusion table). The one evaluator: used by the held-out, fresh and
 * labelled-set tests and by the triage-eval CLI. Pure.
 */
import { analyseMessage, replyLanguage } from "./analysis.ts";
import { DEFAULT_LANG, LANGS, type Lang } from "./lang.ts";
import type { Signal, TriageContext, TriageLevel, TriageResult } from "./triage/triage.ts";

export interface LabelledRow {
  id?: string;
  text: string;
  language: Lang;
  urgent: boolean;
  topic?: string | null;
  writer?: string;
  kind?: string;
  signals?: string[];
  /** earlier messages / the open danger question, for rows that only mean something in context */
  context?: TriageContext;
}

export interface Figures {
  n: number;
  urgentN: number;
  nonUrgentN: number;
  /** urgent rows read as level "urgent" */
  recall: number;
  recallId: number;
  recallEn: number;
  /** urgent rows that get an ordinary answer (level none or past: no danger question, no hand-off) */
  urgentAsQa: number;
  /** urgent rows that at least get the danger question (level unsure) */
  urgentAsked: number;
  /** non-urgent rows read as "urgent" */
  falseAlarmRate: number;
  /** non-urgent rows whose topic is right */
  topicAccuracy: number;
  /** rows (with at least one letter) answered in the writer's language when the chat was in the other one */
  replyLanguage: number;
  /** expected signals found / expected signals, over urgent rows */
  signalAccuracy: number;
  /** label -> level the bot gave -> count */
  confusion: Record<"urgent" | "not_urgent", Record<TriageLevel, number>>;
  misses: { row: LabelledRow; level: TriageLevel; result: TriageResult }[];
  falseAlarms: { row: LabelledRow; matched: string[] }[];
  signalMisses: { row: LabelledRow; missing: string[]; result: TriageResult }[];
  topicMisses: { row: LabelledRow; got: string }[];
  languageMisses: LabelledRow[];
}

export function parseRows(text: string): LabelledRow[] {
  return text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as LabelledRow);
}

const ratio = (a: number, b: number): number => (b === 0 ? 1 : a / b);
const emptyLevels = (): Record<TriageLevel, number> => ({ urgent: 0, unsure: 0, past: 0, none: 0 });

export function score(rows: readonly LabelledRow[]): Figures {
  let urgentN = 0;
  let hit = 0;
  let asQa = 0;
  let asked = 0;
  const byLang = { id: { n: 0, hit: 0 }, en: { n: 0, hit: 0 } };
  let nonUrgentN = 0;
  let fa = 0;
  let topicN = 0;
  let topicOk = 0;
  let langN = 0;
  let langOk = 0;
  const misses: Figures["misses"] = [];
  const falseAlarms: Figures["falseAlarms"] = [];
  const topicMisses: Figures["topicMisses"] = [];
  const languageMisses: LabelledRow[] = [];
  const signalMisses: Figures["signalMisses"] = [];
  const confusion = { urgent: emptyLevels(), not_urgent: emptyLevels() };
  let sigExpected = 0;
  let sigFound = 0;
  for (const row of rows) {
    const a = analyseMessage(row.text, row.context ?? {});
    const level = a.triage.level;
    confusion[row.urgent ? "urgent" : "not_urgent"][level]++;
    if (row.urgent) {
      urgentN++;
      byLang[row.language].n++;
      const expected = row.signals ?? [];
      const missing = expected.filter((s) => !a.triage.signals.includes(s as Signal));
      sigExpected += expected.length;
      sigFound += expected.length - missing.length;
      if (missing.length > 0) signalMisses.push({ row, missing, result: a.triage });
      if (level === "urgent") {
        hit++;
        byLang[row.language].hit++;
      } else {
        misses.push({ row, level, result: a.triage });
        if (level === "unsure") asked++;
        else asQa++;
      }
    } else {
      nonUrgentN++;
      if (level === "urgent") {
        fa++;
        falseAlarms.push({ row, matched: a.triage.matched });
      }
      if (row.topic) {
        topicN++;
        if (a.match.topic === row.topic) topicOk++;
        else topicMisses.push({ row, got: a.match.topic });
      }
    }
    if (/\p{L}/u.test(row.text)) {
      langN++;
      // start from another language than the writer's: the reading must switch to theirs
      const other = LANGS.find((l) => l !== row.language) ?? DEFAULT_LANG;
      if (replyLanguage(a.match, other, false) === row.language) langOk++;
      else languageMisses.push(row);
    }
  }
  return {
    n: rows.length,
    urgentN,
    nonUrgentN,
    recall: ratio(hit, urgentN),
    recallId: ratio(byLang.id.hit, byLang.id.n),
    recallEn: ratio(byLang.en.hit, byLang.en.n),
    urgentAsQa: asQa,
    urgentAsked: asked,
    falseAlarmRate: nonUrgentN === 0 ? 0 : fa / nonUrgentN,
    topicAccuracy: ratio(topicOk, topicN),
    replyLanguage: ratio(langOk, langN),
    signalAccuracy: ratio(sigFound, sigExpected),
    confusion,
    misses,
    signalMisses,
    falseAlarms,
    topicMisses,
    languageMisses,
  };
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

export function formatFigures(f: Figures): string {
  return [
    `N=${f.n} (${f.urgentN} urgent, ${f.nonUrgentN} not urgent)`,
    `urgent recall (strict): ${pct(f.recall)}  [id ${pct(f.recallId)}, en ${pct(f.recallEn)}]`,
    `urgent answered as ordinary Q&A: ${f.urgentAsQa}; urgent that get the danger question: ${f.urgentAsked}`,
    `false alarms on non-urgent: ${pct(f.falseAlarmRate)}`,
    `topic on non-urgent: ${pct(f.topicAccuracy)}`,
    `reply in the writer's language (chat in the other language): ${pct(f.replyLanguage)}`,
  ].join("\n");
}
