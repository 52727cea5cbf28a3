/**
 * Ready answers staff can send with /send NAME (or a button): built from the
 * same locale texts the bot itself answers with, so numbers come from the
 * facts file and cannot drift. Sent in the person's language; staff see what
 * was sent in theirs.
 */
import { matchText } from "../../domain/knowledge/matcher.ts";
import type { TFunction } from "../../i18n.ts";
import type { CaseRecord } from "../../storage/repositories/cases.ts";

export const READY_ANSWERS = ["kbri", "splp", "pulang", "hotlines", "shelter", "safety"] as const;
export type ReadyAnswer = (typeof READY_ANSWERS)[number];

export function isReadyAnswer(s: string): s is ReadyAnswer {
  return (READY_ANSWERS as readonly string[]).includes(s);
}

/** The topic answer each ready answer reuses (shelter has its own text). */
const TOPIC = new Map<ReadyAnswer, string>([
  ["kbri", "embassy_contact"],
  ["splp", "passport"],
  ["pulang", "return_home"],
  ["hotlines", "hotlines"],
  ["safety", "safety"],
]);

/** The text of a ready answer in one language. */
export function readyText(t: TFunction, name: ReadyAnswer): string {
  const topic = TOPIC.get(name);
  if (topic === undefined) return t("desk:ready.shelter_text");
  return `${t(`topics:${topic}.title`)}\n\n${t(`topics:${topic}.body`)}`;
}

const BY_SIGNAL = new Map<string, ReadyAnswer[]>([
  ["documents_taken", ["splp", "kbri"]],
  ["family_report", ["kbri", "hotlines"]],
  ["wages_withheld", ["kbri", "hotlines"]],
  ["debt_bondage", ["kbri", "hotlines"]],
  ["medical_denied", ["hotlines", "safety"]],
]);
const BY_TOPIC = new Map<string, ReadyAnswer>([
  ["embassy_contact", "kbri"],
  ["passport", "splp"],
  ["return_home", "pulang"],
  ["hotlines", "hotlines"],
  ["safety", "safety"],
  ["lapor_diri", "kbri"],
]);

/**
 * The ready answers most likely to help on a case, best first: from its signals
 * (urgent: safety and hotlines first), then from what the first messages ask about.
 */
export function likelyAnswers(c: Pick<CaseRecord, "signals" | "priority" | "preview">, max = 3): ReadyAnswer[] {
  const out: ReadyAnswer[] = [];
  const add = (a: ReadyAnswer | undefined) => {
    if (a !== undefined && !out.includes(a)) out.push(a);
  };
  for (const s of c.signals) for (const a of BY_SIGNAL.get(s) ?? []) add(a);
  if (c.priority === "urgent" && !c.signals.includes("family_report")) {
    add("safety");
    add("hotlines");
  }
  try {
    const m = matchText(c.preview.slice(0, 600));
    add(BY_TOPIC.get(m.topic));
    for (const cand of m.candidates) add(BY_TOPIC.get(cand.topic));
  } catch {
    // the matcher is a help here, never a reason not to show the card
  }
  add("kbri");
  add("hotlines");
  return out.slice(0, max);
}
