/**
 * Staff-side texts: topic titles, case cards, /cases lines, in the staff
 * language (STAFF_LANGUAGE, Indonesian by default). Signal names and outcomes
 * are translated; raw codes never reach staff.
 */
import { InlineKeyboard } from "grammy";
import type { TFunction } from "../../i18n.ts";
import { assertNever } from "../../domain/lang.ts";
import type { CaseStatus } from "../../domain/cases/case.ts";
import type { CaseRecord } from "../../storage/repositories/cases.ts";
import type { DeskEnv } from "./env.ts";
import { likelyAnswers, type ReadyAnswer } from "./ready.ts";

export const OUTCOMES = ["kbri", "splp", "home", "police_shelter", "lost_contact", "not_trafficking", "other"] as const;
export type Outcome = (typeof OUTCOMES)[number];
export function isOutcome(s: string): s is Outcome {
  return (OUTCOMES as readonly string[]).includes(s);
}

export const DESK_CB = {
  claim: (id: number) => `dk:c:${id}`,
  resolve: (id: number) => `dk:r:${id}`,
  reopen: (id: number) => `dk:o:${id}`,
  block: (id: number) => `dk:b:${id}`,
  consent: (v: "y" | "n" | "yn") => `dk:cs:${v}`,
  outcome: (o: Outcome, id: number) => `dk:x:${o}:${id}`,
  send: (a: ReadyAnswer, id: number) => `dk:s:${a}:${id}`,
  /** the board's Show button: the case in a toast */
  show: (id: number) => `dk:v:${id}`,
} as const;
export const DESK_ACTION_RE = /^dk:([crob]):(\d{1,12})$/;
export const DESK_SHOW_RE = /^dk:v:(\d{1,12})$/;
export const DESK_CONSENT_RE = /^dk:cs:(y|n|yn)$/;
export const DESK_OUTCOME_RE = /^dk:x:([a-z_]{1,20}):(\d{1,12})$/;
export const DESK_SEND_RE = /^dk:s:([a-z]{1,12}):(\d{1,12})$/;

const TOPIC_NAME_MAX = 128;
const PREVIEW_MAX = 1200;

export function prio(t: TFunction, c: Pick<CaseRecord, "priority">): string {
  return t(c.priority === "urgent" ? "desk:staff.prio_urgent" : "desk:staff.prio_normal");
}

export function statusText(t: TFunction, s: CaseStatus): string {
  switch (s) {
    case "open":
      return t("desk:staff.status_open");
    case "claimed":
      return t("desk:staff.status_claimed");
    case "resolved":
      return t("desk:staff.status_resolved");
    case "reopened":
      return t("desk:staff.status_reopened");
    default:
      return assertNever(s);
  }
}

/** A triage signal in the staff language (an unknown one as it is). */
export function signalName(t: TFunction, signal: string): string {
  if (!/^[a-z_]{1,40}$/.test(signal)) return signal;
  const key = `desk:signal.${signal}`;
  const s = t(key);
  return s === key || s === `signal.${signal}` ? signal : s;
}

export function outcomeName(t: TFunction, outcome: string): string {
  return isOutcome(outcome) ? t(`desk:outcome.${outcome}`) : outcome;
}

export function readyName(t: TFunction, a: ReadyAnswer): string {
  return t(`desk:ready.${a}`);
}

export function topicName(t: TFunction, c: CaseRecord): string {
  return t("desk:staff.topic_name", { id: c.id, prio: prio(t, c), lang: c.lang.toUpperCase() }).slice(0, TOPIC_NAME_MAX);
}

/** "2026-01-20 10:00" in the staff time zone. */
export function formatTime(ms: number, timeZone: string): string {
  const p = new Map(
    new Intl.DateTimeFormat("en-GB", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(ms)
      .map((x) => [x.type, x.value]),
  );
  return `${p.get("year")}-${p.get("month")}-${p.get("day")} ${p.get("hour")}:${p.get("minute")}`;
}

export interface CardRenderer {
  text(c: CaseRecord): Promise<string>;
  keyboard(c: CaseRecord): InlineKeyboard;
}

export function createCardRenderer(env: DeskEnv): CardRenderer {
  return {
    async text(c) {
      const blockedUntil = await env.deps.repos.cases.blockedUntil(c.userId);
      return cardText(env.st, c, { timeZone: env.timeZone, now: env.now(), ...(blockedUntil !== undefined ? { blockedUntil } : {}) });
    },
    keyboard: (c) => cardKeyboard(env.st, c),
  };
}

export function cardText(t: TFunction, c: CaseRecord, o: { timeZone: string; blockedUntil?: number; now: number }): string {
  const lines = [t("desk:staff.card_title", { prio: prio(t, c), id: c.id }), t("desk:staff.card_status", { status: statusText(t, c.status) })];
  if (c.status === "claimed" && c.claimedByName) lines.push(t("desk:staff.card_claimed_by", { name: c.claimedByName }));
  if (c.status === "resolved" && c.outcome) lines.push(t("desk:staff.card_outcome", { outcome: outcomeName(t, c.outcome) }));
  lines.push(c.signals.length ? t("desk:staff.card_signals", { signals: c.signals.map((x) => signalName(t, x)).join(", ") }) : t("desk:staff.card_no_signals"));
  lines.push(t("desk:staff.card_lang", { lang: t(`desk:staff.lang_${c.lang}`) }));
  lines.push(t("desk:staff.card_writer", { writer: t(`desk:staff.writer_${c.writer}`) }));
  if (c.userName) lines.push(t("desk:staff.card_name", { name: c.userName }));
  else if (c.writer === "family" && c.consent === true) lines.push(t("desk:staff.card_name_family"));
  else lines.push(t("desk:staff.card_name_hidden"));
  const consent = c.consent === null ? "consent_unknown" : c.consent ? (c.writer === "family" ? "consent_family" : "consent_yes") : "consent_no";
  lines.push(t("desk:staff.card_consent", { consent: t(`desk:staff.${consent}`) }));
  lines.push(t("desk:staff.card_opened", { time: formatTime(c.createdAt, o.timeZone) }));
  if (c.followUpAt !== null && c.status !== "resolved") lines.push(t("desk:staff.card_follow_up", { time: formatTime(c.followUpAt, o.timeZone) }));
  if (o.blockedUntil !== undefined && o.blockedUntil > o.now) {
    lines.push(t("desk:staff.card_blocked", { time: formatTime(o.blockedUntil, o.timeZone) }));
  }
  const preview = c.preview.length > PREVIEW_MAX ? `${c.preview.slice(0, PREVIEW_MAX)}…` : c.preview;
  return [lines.join("\n"), `${t("desk:staff.card_first")}\n${preview}`, t("desk:staff.card_help")].join("\n\n");
}

export function cardKeyboard(t: TFunction, c: CaseRecord): InlineKeyboard {
  const kb = new InlineKeyboard();
  if (c.status === "resolved") return kb.text(t("desk:staff.btn_reopen"), DESK_CB.reopen(c.id)).row().text(t("desk:staff.btn_block"), DESK_CB.block(c.id));
  kb.text(t("desk:staff.btn_claim"), DESK_CB.claim(c.id)).text(t("desk:staff.btn_resolve"), DESK_CB.resolve(c.id)).row();
  for (const a of likelyAnswers(c)) kb.text(`📤 ${readyName(t, a)}`, DESK_CB.send(a, c.id));
  return kb.row().text(t("desk:staff.btn_block"), DESK_CB.block(c.id));
}

/** The outcome choice shown when staff press Resolve. */
export function outcomeKeyboard(t: TFunction, id: number): InlineKeyboard {
  const kb = new InlineKeyboard();
  OUTCOMES.forEach((o, i) => {
    kb.text(t(`desk:outcome.${o}`), DESK_CB.outcome(o, id));
    if (i % 2 === 1) kb.row();
  });
  return kb;
}

/** The ready answers as buttons (/send without a name). */
export function readyKeyboard(t: TFunction, id: number, answers: readonly ReadyAnswer[]): InlineKeyboard {
  const kb = new InlineKeyboard();
  answers.forEach((a, i) => {
    kb.text(`📤 ${readyName(t, a)}`, DESK_CB.send(a, id));
    if (i % 2 === 1) kb.row();
  });
  return kb;
}

export function ageText(t: TFunction, ms: number): string {
  const min = Math.max(0, Math.floor(ms / 60_000));
  if (min < 60) return t("desk:staff.age_minutes", { n: min });
  const h = Math.floor(min / 60);
  if (h < 48) return t("desk:staff.age_hours", { n: h });
  return t("desk:staff.age_days", { n: Math.floor(h / 24) });
}

/** A link to a topic in a supergroup (-100… ids only). */
export function topicLink(chatId: number, threadId: number | null): string | undefined {
  const s = String(chatId);
  if (threadId === null || !s.startsWith("-100")) return undefined;
  return `https://t.me/c/${s.slice(4)}/${threadId}`;
}
