/**
 * The staff desk: cases from urgent messages and /human, one forum topic per
 * case in the staff group, relays both ways through the outbox, staff buttons
 * and commands (members of the staff group only), escalation of unclaimed
 * urgent cases, and the audit log.
 */
import { type Api, Composer, InlineKeyboard } from "grammy";
import type { Message } from "grammy/types";
import {
  type CaseAction,
  type CasePriority,
  formatHours,
  isOpen,
  mayContactUser,
  staffActive,
  transition,
  withinStaffHours,
  writerFrom,
} from "../../domain/cases/case.ts";
import { defaultPacing, Pacer } from "../../domain/cases/outbox.ts";
import type { TriageResult } from "../../domain/triage/triage.ts";
import type { AuditEntry } from "../../storage/repositories/audit.ts";
import type { CaseRecord } from "../../storage/repositories/cases.ts";
import type { NewOutboxRow, OutboxRow } from "../../storage/repositories/outbox.ts";
import type { BotContext, BotDeps } from "../context.ts";
import {
  ageText,
  cardKeyboard,
  cardText,
  DESK_ACTION_RE,
  DESK_CB,
  DESK_CONSENT_RE,
  prio,
  statusText,
  topicLink,
  topicName,
} from "./render.ts";
import { createOutboxSender, type OutboxSender, type Prepared } from "./sender.ts";

export const BLOCK_MS = 24 * 60 * 60 * 1000;
const MEMBER_CACHE_MS = 60_000;
const ESCALATE_EVERY_MS = 30_000;
const PREVIEW_CHARS = 400;
/** Telegram's GroupAnonymousBot: an anonymous admin of the staff group */
const ANONYMOUS_ADMIN = 1087968824;
const SYSTEM = { actorId: 0, actorName: "system" };

export interface Desk {
  readonly staffChatId: number | undefined;
  readonly sender: OutboxSender;
  readonly staff: Composer<BotContext>;
  readonly relay: Composer<BotContext>;
  urgentHandoff(ctx: BotContext, result: TriageResult, text: string): Promise<{ reached: boolean; quiet?: boolean; after?: () => Promise<void> }>;
  humanRequest(ctx: BotContext, extra?: { messageIds?: readonly number[] }): Promise<boolean>;
  /** announce urgent cases nobody claimed in time; returns how many */
  escalate(): Promise<number>;
  start(): () => Promise<void>;
}

const prioNum = (p: CasePriority) => (p === "urgent" ? 0 : 1);

export function createDesk(deps: BotDeps, api: Api): Desk {
  const { config, repos, logger } = deps;
  const staffChat = config.STAFF_CHAT_ID;
  const st = deps.translator.t("id"); // staff language
  const tz = config.STAFF_TIMEZONE;

  const sender = createOutboxSender({
    outbox: repos.outbox,
    api: { call: (method, params) => (api.raw as unknown as Record<string, (p: unknown) => Promise<unknown>>)[method]?.(params) ?? Promise.reject(new Error(`unknown method ${method}`)) },
    pacer: new Pacer(defaultPacing(config.DESK_GROUP_PER_MINUTE ?? 20)),
    now: deps.now,
    logger,
    prepare,
    onFailed,
  });

  // ------------------------------------------------------------------ outbox rows

  function toTopic(c: CaseRecord, kind: NewOutboxRow["kind"], payload: Record<string, unknown>, priority = prioNum(c.priority)): NewOutboxRow {
    return { chatId: staffChat as number, threadCaseId: c.id, caseId: c.id, owner: c.userId, kind, priority, payload, createdAt: deps.now() };
  }
  function cardEdit(c: CaseRecord): NewOutboxRow {
    return { chatId: staffChat as number, caseId: c.id, owner: c.userId, kind: "card_edit", priority: 0, payload: {}, createdAt: deps.now() };
  }
  function toUser(c: CaseRecord, kind: "text" | "copy", payload: Record<string, unknown>, now: number): NewOutboxRow {
    const may = mayContactUser({ lastUserAt: c.lastUserAt, consent: c.consent }, now);
    return { chatId: c.userId, caseId: c.id, owner: c.userId, kind, priority: prioNum(c.priority), payload, createdAt: now, status: may ? "pending" : "held" };
  }
  function userNotice(c: CaseRecord, key: string, now: number): NewOutboxRow {
    return toUser(c, "text", { text: deps.translator.t(c.lang)(key) }, now);
  }

  /** The user's message (new or edited) as a relay into the case's topic. */
  function relayRow(c: CaseRecord, msg: Message, edited: boolean): NewOutboxRow {
    const text = msg.text ?? (edited ? msg.caption : undefined);
    if (edited) return toTopic(c, "text", { text: st("desk:staff.edited", { text: text ?? "" }), merge: true });
    if (text !== undefined) return toTopic(c, "text", { text, merge: true });
    return toTopic(c, "copy", { from_chat_id: msg.chat.id, message_id: msg.message_id });
  }

  async function prepare(row: OutboxRow, mergedText?: string): Promise<Prepared> {
    const p = row.payload;
    const chat_id = row.chatId;
    const needCase = async () => (row.caseId === null ? undefined : repos.cases.get(row.caseId));
    let thread: Record<string, number> = {};
    if (row.threadCaseId !== null) {
      const c = await repos.cases.get(row.threadCaseId);
      if (!c) return { kind: "skip", reason: "case gone" };
      if (c.threadId === null) return { kind: "wait" };
      if (c.threadId !== 0) thread = { message_thread_id: c.threadId };
    }
    switch (row.kind) {
      case "topic": {
        const c = await needCase();
        if (!c) return { kind: "skip", reason: "case gone" };
        if (c.threadId !== null) return { kind: "skip", reason: "topic exists" };
        return {
          kind: "send",
          method: "createForumTopic",
          params: { chat_id, name: topicName(st, c), icon_color: c.priority === "urgent" ? 0xff93b2 : 0x6fb9f0 },
          after: (r) => ({ caseId: c.id, patch: { thread_id: Number((r as { message_thread_id: number }).message_thread_id) } }),
        };
      }
      case "card":
      case "card_edit": {
        const c = await needCase();
        if (!c) return { kind: "skip", reason: "case gone" };
        if (row.kind === "card" && c.cardMessageId !== null) return { kind: "skip", reason: "card exists" };
        if (row.kind === "card_edit" && c.cardMessageId === null) return { kind: "skip", reason: "card not sent yet" };
        const blockedUntil = await repos.cases.blockedUntil(c.userId);
        const text = cardText(st, c, { timeZone: tz, now: deps.now(), ...(blockedUntil !== undefined ? { blockedUntil } : {}) });
        const reply_markup = cardKeyboard(st, c);
        if (row.kind === "card_edit") {
          return { kind: "send", method: "editMessageText", params: { chat_id, message_id: c.cardMessageId, text, reply_markup } };
        }
        if (c.threadId === null) return { kind: "wait" };
        return {
          kind: "send",
          method: "sendMessage",
          params: { chat_id, ...(c.threadId !== 0 ? { message_thread_id: c.threadId } : {}), text, reply_markup },
          after: (r) => ({ caseId: c.id, patch: { card_message_id: Number((r as { message_id: number }).message_id) } }),
        };
      }
      case "text":
        return {
          kind: "send",
          method: "sendMessage",
          params: {
            chat_id,
            ...thread,
            ...(typeof p.thread === "number" ? { message_thread_id: p.thread } : {}),
            text: mergedText ?? String(p.text),
            ...(p.reply_markup ? { reply_markup: p.reply_markup } : {}),
          },
        };
      case "copy":
        return { kind: "send", method: "copyMessage", params: { chat_id, ...thread, from_chat_id: p.from_chat_id, message_id: p.message_id } };
      case "topic_state": {
        const c = await needCase();
        if (!c || c.threadId === null || c.threadId === 0) return { kind: "skip", reason: "no topic" };
        return { kind: "send", method: p.op === "close" ? "closeForumTopic" : "reopenForumTopic", params: { chat_id, message_thread_id: c.threadId } };
      }
      default:
        return { kind: "skip", reason: `unknown kind ${String(row.kind)}` };
    }
  }

  async function onFailed(row: OutboxRow, description: string): Promise<void> {
    if (row.caseId === null) return;
    const c = await repos.cases.get(row.caseId);
    if (!c) return;
    if (row.kind === "topic") {
      // No topic (the group is not a forum, or no right to create one): the case goes to the General topic.
      await repos.cases.update(c.id, { thread_id: 0 });
      return;
    }
    if (row.chatId === c.userId) {
      await repos.outbox.enqueue([toTopic(c, "text", { text: st("desk:staff.notice_delivery_failed", { error: description }) }, 0)]);
    }
  }

  // ------------------------------------------------------------------ helpers

  const now = () => deps.now();
  async function isBlocked(userId: number): Promise<boolean> {
    const until = await repos.cases.blockedUntil(userId);
    return until !== undefined && until > now();
  }

  const memberCache = new Map<number, { ok: boolean; until: number }>();
  async function isStaff(ctx: BotContext): Promise<boolean> {
    if (staffChat === undefined || !ctx.from) return false;
    if (ctx.from.id === ANONYMOUS_ADMIN && ctx.msg?.sender_chat?.id === staffChat) return true;
    const id = ctx.from.id;
    const hit = memberCache.get(id);
    if (hit && hit.until > now()) return hit.ok;
    let ok: boolean;
    try {
      const m = await ctx.api.getChatMember(staffChat, id);
      ok = m.status === "creator" || m.status === "administrator" || m.status === "member" || (m.status === "restricted" && m.is_member);
    } catch (err) {
      ctx.log.warn({ err }, "desk: membership check failed");
      return false; // not cached: ask again next time
    }
    if (memberCache.size > 5000) memberCache.clear();
    memberCache.set(id, { ok, until: now() + MEMBER_CACHE_MS });
    return ok;
  }

  function staffName(ctx: BotContext): string {
    const f = ctx.from;
    if (!f) return "?";
    return [f.first_name, f.last_name].filter(Boolean).join(" ") + (f.username ? ` (@${f.username})` : "");
  }

  function outOfHoursText(ctx: BotContext): string | undefined {
    if (withinStaffHours(config.staffHours, now(), tz) || !config.staffHours) return undefined;
    return ctx.t("desk:out_of_hours", { hours: formatHours(config.staffHours), tz });
  }

  async function askConsent(ctx: BotContext): Promise<void> {
    const kb = new InlineKeyboard()
      .text(ctx.t("desk:consent_yes"), DESK_CB.consent("y"))
      .row()
      .text(ctx.t("desk:consent_yes_name"), DESK_CB.consent("yn"))
      .row()
      .text(ctx.t("desk:consent_no"), DESK_CB.consent("n"));
    await ctx.reply(ctx.t("desk:consent_question"), { reply_markup: kb });
  }

  async function createCase(ctx: BotContext, priority: CasePriority, signals: string[], preview: string): Promise<CaseRecord> {
    const userId = ctx.from?.id as number;
    const at = now();
    const c = await deps.database.withLock("desk:new-case", async () => {
      const existing = await repos.cases.openFor(userId);
      if (existing) return existing;
      return repos.cases.create(
        { userId, priority, lang: ctx.lang, writer: writerFrom(signals), signals, preview: preview.slice(0, 1500), now: at },
        {
          outbox: (c) => [
            { chatId: staffChat as number, caseId: c.id, owner: userId, kind: "topic", priority: prioNum(priority), payload: {}, createdAt: at },
            { chatId: staffChat as number, caseId: c.id, owner: userId, kind: "card", priority: prioNum(priority), payload: {}, createdAt: at },
          ],
          audit: (c) => [{ caseId: c.id, ...SYSTEM, action: "created", detail: `${priority} ${signals.join(",")}`, at }],
        },
      );
    });
    sender.kick();
    return c;
  }

  function recentPreview(ctx: BotContext, fallback: string): string {
    const recent = (ctx.session.recent ?? []).map((s) => s.slice(0, PREVIEW_CHARS));
    return recent.length ? recent.map((s) => `• ${s}`).join("\n") : fallback;
  }

  // ------------------------------------------------------------------ user side

  /**
   * A photo the user sent before the case existed (the family danger report collects it
   * before asking consent; TriageResult.matched carries "photo_message_id:N"): copied
   * into the case's topic, so staff see it.
   */
  function earlierPhotoRows(c: CaseRecord, result: TriageResult, ctx: BotContext): NewOutboxRow[] {
    if (ctx.chat === undefined) return [];
    return result.matched
      .filter((m) => /^photo_message_id:\d+$/.test(m))
      .map((m) => toTopic(c, "copy", { from_chat_id: ctx.chat?.id, message_id: Number(m.slice("photo_message_id:".length)) }));
  }

  async function urgentHandoff(ctx: BotContext, result: TriageResult, text: string) {
    if (staffChat === undefined || !ctx.from || ctx.chat?.type !== "private") return { reached: false };
    if (await isBlocked(ctx.from.id)) return { reached: false };
    const at = now();
    const existing = await repos.cases.openFor(ctx.from.id);
    if (existing) {
      const msg = ctx.message ?? ctx.editedMessage;
      const rows: NewOutboxRow[] = [];
      let patch: Record<string, unknown> = { last_user_at: at, updated_at: at };
      if (existing.priority !== "urgent") {
        patch = { ...patch, priority: "urgent", signals: JSON.stringify([...new Set([...existing.signals, ...result.signals])]) };
        rows.push(toTopic(existing, "text", { text: st("desk:staff.notice_upgraded") }, 0));
      }
      const upgraded = { ...existing, priority: "urgent" as const };
      if (msg) rows.push(relayRow(upgraded, msg, ctx.editedMessage !== undefined));
      else rows.push(toTopic(upgraded, "text", { text, merge: true }));
      rows.push(...earlierPhotoRows(upgraded, result, ctx));
      if (existing.priority !== "urgent") rows.push(cardEdit(existing));
      await repos.cases.update(existing.id, patch, { outbox: () => rows });
      if (existing.priority !== "urgent") await repos.outbox.raisePriority(existing.id, 0);
      await repos.outbox.releaseHeld(existing.id, existing.userId, at);
      sender.kick();
      if (staffActive(existing.status)) return { reached: true, quiet: true, existing: true };
      return { reached: true, existing: true, after: async () => (existing.consent === null ? askConsent(ctx) : undefined) };
    }
    const c = await createCase(ctx, "urgent", result.signals, recentPreview(ctx, text));
    const photos = earlierPhotoRows(c, result, ctx);
    if (photos.length > 0) {
      await repos.outbox.enqueue(photos);
      sender.kick();
    }
    return {
      reached: true,
      after: async () => {
        const ooh = outOfHoursText(ctx);
        if (ooh) await ctx.reply(ooh);
        if (c.consent === null) await askConsent(ctx);
      },
    };
  }

  /** Copies of the user's earlier messages (a voice note passed on with consent) into the case's topic. */
  function copyRows(c: CaseRecord, ctx: BotContext, messageIds: readonly number[]): NewOutboxRow[] {
    if (ctx.chat === undefined) return [];
    return messageIds.map((id) => toTopic(c, "copy", { from_chat_id: ctx.chat?.id, message_id: id }));
  }

  async function humanRequest(ctx: BotContext, extra: { messageIds?: readonly number[] } = {}): Promise<boolean> {
    if (staffChat === undefined || !ctx.from || ctx.chat?.type !== "private") return false;
    if (await isBlocked(ctx.from.id)) return false;
    const ooh = outOfHoursText(ctx);
    const existing = await repos.cases.openFor(ctx.from.id);
    if (existing) {
      const at = now();
      await repos.cases.update(existing.id, { last_user_at: at, updated_at: at }, { outbox: () => [toTopic(existing, "text", { text: st("desk:staff.notice_user_human") }), ...copyRows(existing, ctx, extra.messageIds ?? [])] });
      sender.kick();
      await ctx.reply([ctx.t("desk:human_already"), ooh, ooh ? ctx.t("common:hotlines_short") : undefined].filter(Boolean).join("\n\n"));
      return true;
    }
    const c = await createCase(ctx, "normal", [], recentPreview(ctx, "—"));
    const copies = copyRows(c, ctx, extra.messageIds ?? []);
    if (copies.length > 0) {
      await repos.outbox.enqueue(copies);
      sender.kick();
    }
    await ctx.reply([ctx.t("desk:human_reached"), ooh, ooh ? ctx.t("common:hotlines_short") : undefined].filter(Boolean).join("\n\n"));
    if (c.consent === null) await askConsent(ctx);
    return true;
  }

  const relay = new Composer<BotContext>();
  const priv = relay.chatType("private");
  priv.callbackQuery(DESK_CONSENT_RE, async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    const v = ctx.match[1];
    const yes = v === "y" || v === "yn";
    const c = staffChat === undefined ? undefined : await repos.cases.openFor(ctx.from.id);
    if (c) {
      const name = v === "yn" ? [ctx.from.first_name, ctx.from.last_name].filter(Boolean).join(" ") + (ctx.from.username ? ` (@${ctx.from.username})` : "") : null;
      const at = now();
      await repos.cases.update(
        c.id,
        { contact_consent: yes ? 1 : 0, user_name: name, updated_at: at, last_user_at: at },
        {
          outbox: (u) => [cardEdit(u)],
          audit: () => [{ caseId: c.id, actorId: ctx.from.id, actorName: "user", action: "consent", detail: v ?? "", at }],
        },
      );
      sender.kick();
    }
    await ctx.reply(ctx.t(yes ? "desk:consent_saved_yes" : "desk:consent_saved_no"));
  });
  priv.use(async (ctx, next) => {
    const msg = ctx.message ?? ctx.editedMessage;
    if (staffChat === undefined || !msg || !ctx.from) return next();
    // A running (not paused) guided flow takes its answers: they are not relayed as bare words.
    if (Object.keys(ctx.conversation?.active() ?? {}).length > 0 && !ctx.session.flowPaused && !ctx.message?.location) return next();
    const c = await repos.cases.openFor(ctx.from.id);
    if (!c || (await isBlocked(ctx.from.id))) return next();
    if (ctx.message?.text === ctx.t("urgent:no_location")) {
      await ctx.reply(ctx.t("desk:no_location_ok"), { reply_markup: { remove_keyboard: true } });
      return;
    }
    const at = now();
    await repos.cases.update(c.id, { last_user_at: at, updated_at: at }, { outbox: () => [relayRow(c, msg, ctx.editedMessage !== undefined)] });
    await repos.outbox.releaseHeld(c.id, c.userId, at);
    sender.kick();
    if (ctx.message?.location) {
      await ctx.reply(ctx.t("urgent:location_thanks"), { reply_markup: { remove_keyboard: true } });
      return;
    }
    if (staffActive(c.status)) return; // a person is talking with them: the bot stays quiet
    await next();
  });

  // ------------------------------------------------------------------ staff side

  const staff = new Composer<BotContext>();
  const inStaff = new Composer<BotContext>();
  staff.use(async (ctx, next) => {
    if (staffChat === undefined || ctx.chatId !== staffChat) return next();
    // Nothing else runs in the staff group.
    await inStaff.middleware()(ctx, async () => undefined);
  });

  inStaff.callbackQuery(DESK_ACTION_RE, async (ctx) => {
    if (!(await isStaff(ctx))) {
      await ctx.answerCallbackQuery(); // no sign of anything
      return;
    }
    const id = Number(ctx.match[2]);
    const action = ({ c: "claim", r: "resolve", o: "reopen", b: "block" } as const)[ctx.match[1] as "c" | "r" | "o" | "b"];
    const c = await repos.cases.get(id);
    if (!c) {
      await ctx.answerCallbackQuery();
      return;
    }
    const toast = await act(ctx, c, action);
    await ctx.answerCallbackQuery({ text: toast });
    sender.kick();
  });
  inStaff.on("callback_query", (ctx) => ctx.answerCallbackQuery().catch(() => undefined));

  async function act(ctx: BotContext, c: CaseRecord, action: CaseAction): Promise<string> {
    const who = ctx.from?.id ?? 0;
    const name = staffName(ctx);
    const tr = transition(c.status, action, c.claimedBy === who);
    if (!tr.ok) return st(`desk:staff.toast_${tr.reason}`);
    const at = now();
    const audit = (): AuditEntry[] => [{ caseId: c.id, actorId: who, actorName: name, action, at }];
    const expectStatus = [c.status];
    let updated: CaseRecord | undefined;
    switch (action) {
      case "claim":
        updated = await repos.cases.update(
          c.id,
          { status: "claimed", claimed_by: who, claimed_by_name: name, updated_at: at },
          { expectStatus, audit, outbox: (u) => [cardEdit(u), ...(c.status === "claimed" ? [] : [userNotice(u, "desk:joined", at)])] },
        );
        return updated ? st("desk:staff.toast_claimed", { id: c.id }) : st("desk:staff.toast_changed");
      case "resolve":
        updated = await repos.cases.update(
          c.id,
          { status: "resolved", resolved_at: at, updated_at: at },
          {
            expectStatus,
            audit,
            outbox: (u) => [cardEdit(u), { ...cardEdit(u), kind: "topic_state", payload: { op: "close" } }, userNotice(u, "desk:closed", at)],
          },
        );
        return updated ? st("desk:staff.toast_resolved", { id: c.id }) : st("desk:staff.toast_changed");
      case "reopen": {
        const other = await repos.cases.openFor(c.userId);
        if (other && other.id !== c.id) return st("desk:staff.toast_other_open", { id: other.id });
        updated = await repos.cases.update(
          c.id,
          { status: "reopened", resolved_at: null, claimed_by: null, claimed_by_name: null, updated_at: at, escalated_at: at },
          { expectStatus, audit, outbox: (u) => [cardEdit(u), { ...cardEdit(u), kind: "topic_state", payload: { op: "reopen" } }] },
        );
        return updated ? st("desk:staff.toast_reopened", { id: c.id }) : st("desk:staff.toast_changed");
      }
      case "block":
        await repos.cases.block(c.userId, at + BLOCK_MS, who, at);
        await repos.cases.update(c.id, { updated_at: at }, { audit, outbox: (u) => [cardEdit(u)] });
        return st("desk:staff.toast_blocked", { id: c.id });
      default:
        return "";
    }
  }

  inStaff.command("cases", async (ctx) => {
    if (!(await isStaff(ctx))) return;
    const list = await repos.cases.listOpen(50);
    const at = now();
    const text = list.length
      ? [
          st("desk:staff.cases_title", { n: list.length }),
          ...list.map((c) =>
            st("desk:staff.cases_line", { id: c.id, prio: prio(st, c), status: statusText(st, c.status), lang: c.lang.toUpperCase(), age: ageText(st, at - c.createdAt) }),
          ),
        ].join("\n")
      : st("desk:staff.cases_empty");
    await staffReply(ctx, text);
  });
  inStaff.command("case", async (ctx) => {
    if (!(await isStaff(ctx))) return;
    const m = /^#?(\d{1,12})$/.exec(ctx.match.trim());
    if (!m) return staffReply(ctx, st("desk:staff.case_usage"));
    const c = await repos.cases.get(Number(m[1]));
    if (!c) return staffReply(ctx, st("desk:staff.case_not_found", { id: m[1] }));
    const blockedUntil = await repos.cases.blockedUntil(c.userId);
    const link = topicLink(staffChat as number, c.threadId);
    const text = cardText(st, c, { timeZone: tz, now: now(), ...(blockedUntil !== undefined ? { blockedUntil } : {}) });
    await staffReply(ctx, link ? `${text}\n\n${link}` : text, cardKeyboard(st, c));
  });
  inStaff.command("note", async (ctx) => {
    // Internal note: stays in the group. Only the fact is logged, not the text.
    const c = ctx.msg.is_topic_message && ctx.msg.message_thread_id ? await repos.cases.byThread(ctx.msg.message_thread_id) : undefined;
    await repos.audit.add({ caseId: c?.id ?? null, actorId: ctx.from?.id ?? 0, actorName: staffName(ctx), action: "note", at: now() });
  });

  async function staffReply(ctx: BotContext, text: string, reply_markup?: InlineKeyboard): Promise<void> {
    const thread = ctx.msg?.is_topic_message ? ctx.msg.message_thread_id : undefined;
    await repos.outbox.enqueue([
      {
        chatId: staffChat as number,
        kind: "text",
        priority: 0,
        payload: { text, ...(thread ? { thread } : {}), ...(reply_markup ? { reply_markup } : {}) },
        createdAt: now(),
      },
    ]);
    sender.kick();
  }

  inStaff.on("message", async (ctx) => {
    const msg = ctx.msg;
    if (!msg.is_topic_message || !msg.message_thread_id || ctx.from.is_bot) return;
    if (!hasContent(msg)) return; // service messages (topic created/closed, pins …)
    const c = await repos.cases.byThread(msg.message_thread_id);
    if (!c) return;
    if ((msg.text ?? msg.caption ?? "").startsWith("/")) return; // other commands are not relayed
    const at = now();
    const who = ctx.from.id;
    const name = staffName(ctx);
    if (!isOpen(c.status)) {
      await repos.outbox.enqueue([toTopic(c, "text", { text: st("desk:staff.notice_case_closed") }, 0)]);
      sender.kick();
      return;
    }
    const may = mayContactUser({ lastUserAt: c.lastUserAt, consent: c.consent }, at);
    const rows: NewOutboxRow[] = [];
    const patch: Record<string, unknown> = { updated_at: at };
    const audit: AuditEntry[] = [];
    // Writing to the user is being active on the case: it is claimed, so the bot stops answering by itself.
    if (c.status !== "claimed" && may) {
      Object.assign(patch, { status: "claimed", claimed_by: who, claimed_by_name: name });
      rows.push(cardEdit(c), userNotice(c, "desk:joined", at));
      audit.push({ caseId: c.id, actorId: who, actorName: name, action: "claim", detail: "by replying", at });
    }
    rows.push(toUser(c, "copy", { from_chat_id: staffChat, message_id: msg.message_id }, at));
    audit.push({ caseId: c.id, actorId: who, actorName: name, action: may ? "relay" : "relay_held", at });
    if (!may) rows.push(toTopic(c, "text", { text: st("desk:staff.notice_held") }, 0));
    await repos.cases.update(c.id, patch, { expectStatus: [c.status], outbox: () => rows, audit: () => audit });
    sender.kick();
  });

  // ------------------------------------------------------------------ escalation

  async function escalate(): Promise<number> {
    if (staffChat === undefined) return 0;
    const at = now();
    const due = await repos.cases.dueForEscalation(at - config.URGENT_CLAIM_MINUTES * 60_000);
    let n = 0;
    for (const c of due) {
      const link = topicLink(staffChat, c.threadId);
      const text = [
        st("desk:staff.escalation", { id: c.id, minutes: config.URGENT_CLAIM_MINUTES, oncall: config.staffOncall.join(" ") }).trim(),
        link ? st("desk:staff.escalation_link", { link }) : undefined,
      ]
        .filter(Boolean)
        .join("\n");
      const rows: NewOutboxRow[] = [{ chatId: staffChat, caseId: c.id, kind: "text", priority: 0, payload: { text }, createdAt: at }];
      const esc = config.ESCALATION_CHAT_ID;
      if (esc !== undefined && esc !== staffChat) rows.push({ chatId: esc, caseId: c.id, kind: "text", priority: 0, payload: { text }, createdAt: at });
      const done = await repos.cases.update(
        c.id,
        { escalated_at: at },
        { expectStatus: ["open", "reopened"], onlyIfNotEscalated: true, outbox: () => rows, audit: () => [{ caseId: c.id, ...SYSTEM, action: "escalated", at }] },
      );
      if (done) n++;
    }
    if (n) sender.kick();
    return n;
  }

  function start(): () => Promise<void> {
    if (staffChat === undefined) return async () => undefined;
    let stopSender: () => Promise<void> = async () => undefined;
    const begin = async () => {
      // SQLite has one owner process: rows it left 'sending' when it died go again now, not after the lease.
      // (A topic or card row is checked against the case first, so it is never created twice.)
      if (deps.database.dialect === "sqlite") {
        const n = await repos.outbox.releaseLeases();
        if (n) logger.warn({ rows: n }, "desk outbox: resending rows a previous run left in flight");
      }
      if (!stopped) stopSender = sender.start();
    };
    let stopped = false;
    const starting = begin().catch((err: unknown) => logger.error({ err }, "desk: start failed"));
    const timer = setInterval(() => void escalate().catch((err: unknown) => logger.error({ err }, "desk: escalation failed")), ESCALATE_EVERY_MS);
    timer.unref();
    void escalate().catch((err: unknown) => logger.error({ err }, "desk: escalation failed"));
    return async () => {
      stopped = true;
      clearInterval(timer);
      await starting;
      await stopSender();
    };
  }

  return { staffChatId: staffChat, sender, staff, relay, urgentHandoff, humanRequest, escalate, start };
}

function hasContent(m: Message): boolean {
  return Boolean(
    m.text ?? m.photo ?? m.document ?? m.voice ?? m.audio ?? m.video ?? m.video_note ?? m.location ?? m.venue ?? m.sticker ?? m.animation ?? m.contact,
  );
}
