/** Staff-side texts: topic titles, case cards, /cases lines. In the staff language (STAFF_LANGUAGE, Indonesian by default). */
import { InlineKeyboard } from "grammy";
import type { DeskEnv } from "./env.ts";
import type { TFunction } from "../../i18n.ts";
import { assertNever } from "../../domain/lang.ts";
import type { CaseStatus } from "../../domain/cases/case.ts";
import type { CaseRecord } from "../../storage/repositories/cases.ts";

export const DESK_CB = {
  claim: (id: number) => `dk:c:${id}`,
  resolve: (id: number) => `dk:r:${id}`,
  reopen: (id: number) => `dk:o:${id}`,
  block: (id: number) => `dk:b:${id}`,
  consent: (v: "y" | "n" | "yn") => `dk:cs:${v}`,
} as const;
export const DESK_ACTION_RE = /^dk:([crob]):(\d{1,12})$/;
export const DESK_CONSENT_RE = /^dk:cs:(y|n|yn)$/;

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

export function topicName(t: TFunction, c: CaseRecord): string {
  return t("desk:staff.topic_name", { id: c.id, prio: prio(t, c), lang: c.lang.toUpperCase() }).slice(0, TOPIC_NAME_MAX);
}

export function formatTime(ms: number, timeZone: string): string {
  const p = Object.fromEntries(
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
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** A triage signal in the staff language (an unknown one as it is). */
export function signalName(t: TFunction, signal: string): string {
  const key = `desk:signal.${signal}`;
  const s = t(key);
  return s === key || s === `signal.${signal}` ? signal : s;
}

export interface CardRenderer {
  text(c: CaseRecord): Promise<string>;
  keyboard(c: CaseRecord, mode?: "actions" | "outcomes"): InlineKeyboard;
}

export function createCardRenderer(env: DeskEnv): CardRenderer {
  return {
    async text(c) {
      const blockedUntil = await env.deps.repos.cases.blockedUntil(c.userId);
      return cardText(env.st, c, { timeZone: env.timeZone, now: env.now(), ...(blockedUntil !== undefined ? { blockedUntil } : {}) });
    },
    keyboard: (c, mode = "actions") => cardKeyboard(env.st, c, mode),
  };
}

export function cardText(t: TFunction, c: CaseRecord, o: { timeZone: string; blockedUntil?: number; now: number }): string {
  const lines = [
    t("desk:staff.card_title", { prio: prio(t, c), id: c.id }),
    t("desk:staff.card_status", { status: statusText(t, c.status) }),
  ];
  if (c.status === "claimed" && c.claimedByName) lines.push(t("desk:staff.card_claimed_by", { name: c.claimedByName }));
  lines.push(c.signals.length ? t("desk:staff.card_signals", { signals: c.signals.map((x) => signalName(t, x)).join(", ") }) : t("desk:staff.card_no_signals"));
  lines.push(t("desk:staff.card_lang", { lang: t(`desk:staff.lang_${c.lang}`) }));
  lines.push(t("desk:staff.card_writer", { writer: t(`desk:staff.writer_${c.writer}`) }));
  lines.push(c.userName ? t("desk:staff.card_name", { name: c.userName }) : t("desk:staff.card_name_hidden"));
  const consent = c.consent === null ? "consent_unknown" : c.consent ? "consent_yes" : "consent_no";
  lines.push(t("desk:staff.card_consent", { consent: t(`desk:staff.${consent}`) }));
  lines.push(t("desk:staff.card_opened", { time: formatTime(c.createdAt, o.timeZone) }));
  if (o.blockedUntil !== undefined && o.blockedUntil > o.now) {
    lines.push(t("desk:staff.card_blocked", { time: formatTime(o.blockedUntil, o.timeZone) }));
  }
  const preview = c.preview.length > PREVIEW_MAX ? `${c.preview.slice(0, PREVIEW_MAX)}…` : c.preview;
  return [lines.join("\n"), `${t("desk:staff.card_first")}\n${preview}`, t("desk:staff.card_help")].join("\n\n");
}

export function cardKeyboard(t: TFunction, c: CaseRecord, _mode: "actions" | "outcomes" = "actions"): InlineKeyboard {
  const kb = new InlineKeyboard();
  if (c.status === "resolved") kb.text(t("desk:staff.btn_reopen"), DESK_CB.reopen(c.id));
  else kb.text(t("desk:staff.btn_claim"), DESK_CB.claim(c.id)).text(t("desk:staff.btn_resolve"), DESK_CB.resolve(c.id));
  return kb.row().text(t("desk:staff.btn_block"), DESK_CB.block(c.id));
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
