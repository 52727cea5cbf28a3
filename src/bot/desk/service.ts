/**
 * The case service: opening and continuing cases, the user's consent, and the
 * actions staff take on a case (claim, resolve, reopen, block). Each change is
 * one transaction with its outbox and audit rows. No replies: it returns data
 * (toasts in the staff language, messages for the user in theirs).
 */
import { InlineKeyboard } from "grammy";
import type { Message } from "grammy/types";
import { type CaseAction, type CasePriority, formatHours, isOpen, mayContactUser, staffActive, transition, withinStaffHours, writerFrom } from "../../domain/cases/case.ts";
import type { Forgotten } from "../../storage/privacy.ts";
import type { AuditEntry } from "../../storage/repositories/audit.ts";
import type { CaseRecord } from "../../storage/repositories/cases.ts";
import type { NewOutboxRow } from "../../storage/repositories/outbox.ts";
import type { BotContext } from "../context.ts";
import { type DeskEnv, PRIORITY, SYSTEM } from "./env.ts";
import { type DeskHandoff, type HandoffResult, NOT_REACHED, type UrgentRequest, type UserMessage } from "./handoff.ts";
import { isReadyAnswer, type ReadyAnswer, readyText } from "./ready.ts";
import { DESK_CB, formatTime, type Outcome, outcomeName, readyName, topicLink } from "./render.ts";
import { casePriority, type Rows } from "./rows.ts";

export const BLOCK_MS = 24 * 60 * 60 * 1000;
const PREVIEW_CHARS = 400;

export interface Actor {
  id: number;
  name: string;
}

export interface CaseService extends DeskHandoff {
  isBlocked(userId: number): Promise<boolean>;
  /** a message (new or edited) from a user with an open case: into the topic */
  userMessage(ctx: BotContext, c: CaseRecord, msg: Message, edited: boolean): Promise<void>;
  /** the answer to "may staff write to you here?" */
  consent(ctx: BotContext, v: "y" | "n" | "yn"): Promise<void>;
  /** a staff action; returns the toast (staff language). Resolving needs an outcome. */
  act(c: CaseRecord, action: CaseAction, who: Actor, outcome?: Outcome): Promise<string>;
  /** a staff message in the topic, copied to the user (held after a long silence without consent) */
  staffMessage(c: CaseRecord, messageId: number, who: Actor): Promise<void>;
  /** a ready answer to the user, in their language; staff see it in theirs. Returns the toast. */
  sendReady(c: CaseRecord, name: string, who: Actor): Promise<string>;
  /** set (or clear, with null) the case's follow-up reminder; returns the confirmation */
  setFollowUp(c: CaseRecord, at: number | null, who: Actor): Promise<string>;
  /** remind the topics of follow-ups that are due; returns how many */
  remindDue(): Promise<number>;
  /**
   * the user is forgotten (/forget or retention; the registry's hook, before the rows go): their
   * topics are deleted, or their cards replaced by "deleted at the user's request" / "deleted (retention)"
   */
  forget(forgotten: Forgotten): Promise<void>;
}

export function createCaseService(env: DeskEnv, rows: Rows): CaseService {
  const { deps, st } = env;
  const { repos, config } = deps;

  async function isBlocked(userId: number): Promise<boolean> {
    const until = await repos.cases.blockedUntil(userId);
    return until !== undefined && until > env.now();
  }

  function outOfHours(ctx: BotContext): string | undefined {
    if (!config.staffHours || withinStaffHours(config.staffHours, env.now(), env.timeZone)) return undefined;
    return ctx.t("desk:out_of_hours", { hours: formatHours(config.staffHours), tz: env.timeZone });
  }

  function consentQuestion(ctx: BotContext): UserMessage {
    const kb = new InlineKeyboard()
      .text(ctx.t("desk:consent_yes"), DESK_CB.consent("y"))
      .row()
      .text(ctx.t("desk:consent_yes_name"), DESK_CB.consent("yn"))
      .row()
      .text(ctx.t("desk:consent_no"), DESK_CB.consent("n"));
    return { text: ctx.t("desk:consent_question"), reply_markup: kb };
  }

  function recentPreview(ctx: BotContext, fallback: string): string {
    const recent = (ctx.session.recent ?? []).map((s) => s.slice(0, PREVIEW_CHARS));
    return recent.length ? recent.map((s) => `• ${s}`).join("\n") : fallback;
  }

  async function createCase(ctx: BotContext, priority: CasePriority, signals: readonly string[], preview: string, consent?: boolean): Promise<CaseRecord> {
    const userId = ctx.from?.id as number;
    const at = env.now();
    const c = await deps.database.withLock("desk:new-case", async () => {
      const existing = await repos.cases.openFor(userId);
      if (existing) return existing;
      const prio = priority === "urgent" ? PRIORITY.urgent : PRIORITY.normal;
      return repos.cases.create(
        { userId, priority, lang: ctx.lang, writer: writerFrom(signals), signals: [...signals], preview: preview.slice(0, 1500), now: at, ...(consent !== undefined ? { consent } : {}) },
        {
          outbox: (c) => [
            { chatId: env.staffChat, caseId: c.id, owner: userId, kind: "topic", priority: prio, payload: {}, createdAt: at },
            { chatId: env.staffChat, caseId: c.id, owner: userId, kind: "card", priority: prio, payload: {}, createdAt: at },
            // An urgent case is on the "urgent now" board at once; its topic and card follow.
            ...(priority === "urgent" ? [rows.board()] : []),
          ],
          audit: (c) => [{ caseId: c.id, ...SYSTEM, action: "created", detail: `${priority} ${signals.join(",")}`, at }],
        },
      );
    });
    env.kick();
    return c;
  }

  /**
   * A photo the user sent before the case existed (the family danger report collects it
   * before asking consent; matched carries "photo_message_id:N"): copied into the topic.
   */
  function earlierPhotoRows(c: CaseRecord, matched: readonly string[], ctx: BotContext): NewOutboxRow[] {
    if (ctx.chat === undefined) return [];
    return matched
      .filter((m) => /^photo_message_id:\d+$/.test(m))
      .map((m) => rows.toTopic(c, "copy", { from_chat_id: ctx.chat?.id, message_id: Number(m.slice("photo_message_id:".length)) }));
  }

  async function urgent(ctx: BotContext, req: UrgentRequest): Promise<HandoffResult> {
    if (!ctx.from || ctx.chat?.type !== "private") return NOT_REACHED;
    const at = env.now();
    const matched = req.matched ?? [];
    // A blocked user's urgent message still reaches staff, marked as such: a block is for abuse, not for danger.
    const blocked = await isBlocked(ctx.from.id);
    const existing = await repos.cases.openFor(ctx.from.id);
    if (existing) {
      const msg = ctx.message ?? ctx.editedMessage;
      const out: NewOutboxRow[] = [];
      let patch: Record<string, unknown> = { last_user_at: at, updated_at: at };
      const upgrade = existing.priority !== "urgent";
      const signals = [...new Set([...existing.signals, ...req.signals])];
      if (upgrade || signals.length !== existing.signals.length) patch = { ...patch, priority: "urgent", signals: JSON.stringify(signals) };
      if (req.contactConsent && existing.consent !== true) patch = { ...patch, contact_consent: 1 };
      if (upgrade) out.push(rows.notice(existing, "desk:staff.notice_upgraded"), rows.board());
      const upgraded = { ...existing, priority: "urgent" as const };
      if (req.fromButton) out.push(rows.toTopic(upgraded, "text", { text: `${st("desk:staff.notice_button_again")}\n${req.text}` }, PRIORITY.escalation));
      else if (msg) out.push(...rows.relay(upgraded, msg, ctx.editedMessage !== undefined, { blocked }));
      else out.push(rows.toTopic(upgraded, "text", { text: blocked ? `${st("desk:staff.from_blocked")}\n${req.text}` : req.text, merge: true }));
      out.push(...earlierPhotoRows(upgraded, matched, ctx));
      if (upgrade || patch.signals !== undefined || patch.contact_consent !== undefined) out.push(rows.cardEdit(existing));
      await repos.cases.update(existing.id, patch, { outbox: () => out });
      if (upgrade) await repos.outbox.raisePriority(existing.id, PRIORITY.urgent);
      await repos.outbox.releaseHeld(existing.id, existing.userId, at);
      env.kick();
      if (staffActive(existing.status)) return { reached: true, quiet: true, existing: true, caseId: existing.id, followUp: [] };
      const consent = existing.consent === null && !req.contactConsent ? [consentQuestion(ctx)] : [];
      return { reached: true, quiet: false, existing: true, caseId: existing.id, followUp: consent };
    }
    const c = await createCase(ctx, "urgent", req.signals, recentPreview(ctx, req.text), req.contactConsent ? true : undefined);
    const photos = [...(blocked ? [rows.notice(c, "desk:staff.from_blocked")] : []), ...earlierPhotoRows(c, matched, ctx)];
    if (photos.length > 0) {
      await repos.outbox.enqueue(photos);
      env.kick();
    }
    const ooh = outOfHours(ctx);
    const followUp: UserMessage[] = [...(ooh ? [{ text: ooh }] : []), ...(c.consent === null ? [consentQuestion(ctx)] : [])];
    return { reached: true, quiet: false, existing: false, caseId: c.id, followUp };
  }

  /** Copies of the user's earlier messages (a voice note passed on with consent) into the case's topic. */
  function copyRows(c: CaseRecord, ctx: BotContext, messageIds: readonly number[]): NewOutboxRow[] {
    if (ctx.chat === undefined) return [];
    return messageIds.map((id) => rows.toTopic(c, "copy", { from_chat_id: ctx.chat?.id, message_id: id }));
  }

  async function human(ctx: BotContext, extra: { messageIds?: readonly number[] } = {}): Promise<HandoffResult> {
    if (!ctx.from || ctx.chat?.type !== "private") return NOT_REACHED;
    if (await isBlocked(ctx.from.id)) return NOT_REACHED;
    const ooh = outOfHours(ctx);
    const say = (key: string): UserMessage => ({ text: [ctx.t(key), ooh, ooh ? ctx.t("common:hotlines_short") : undefined].filter(Boolean).join("\n\n") });
    const existing = await repos.cases.openFor(ctx.from.id);
    if (existing) {
      const at = env.now();
      await repos.cases.update(existing.id, { last_user_at: at, updated_at: at }, {
        outbox: () => [rows.notice(existing, "desk:staff.notice_user_human", undefined, casePriority(existing)), ...copyRows(existing, ctx, extra.messageIds ?? [])],
      });
      env.kick();
      return { reached: true, quiet: false, existing: true, caseId: existing.id, followUp: [say("desk:human_already")] };
    }
    const c = await createCase(ctx, "normal", [], recentPreview(ctx, "—"));
    const copies = copyRows(c, ctx, extra.messageIds ?? []);
    if (copies.length > 0) {
      await repos.outbox.enqueue(copies);
      env.kick();
    }
    return { reached: true, quiet: false, existing: false, caseId: c.id, followUp: [say("desk:human_reached"), ...(c.consent === null ? [consentQuestion(ctx)] : [])] };
  }

  async function userMessage(ctx: BotContext, c: CaseRecord, msg: Message, edited: boolean): Promise<void> {
    const at = env.now();
    await repos.cases.update(c.id, { last_user_at: at, updated_at: at }, { outbox: () => rows.relay(c, msg, edited) });
    await repos.outbox.releaseHeld(c.id, c.userId, at);
    env.kick();
  }

  async function consent(ctx: BotContext, v: "y" | "n" | "yn"): Promise<void> {
    if (!ctx.from) return;
    const from = ctx.from;
    const c = await repos.cases.openFor(from.id);
    if (!c) return;
    const yes = v === "y" || v === "yn";
    const name = v === "yn" ? [from.first_name, from.last_name].filter(Boolean).join(" ") + (from.username ? ` (@${from.username})` : "") : null;
    const at = env.now();
    await repos.cases.update(
      c.id,
      { contact_consent: yes ? 1 : 0, user_name: name, updated_at: at, last_user_at: at },
      {
        outbox: (u) => [rows.cardEdit(u)],
        // The audit names no user: the actor of a user's own choice is "user".
        audit: () => [{ caseId: c.id, actorId: 0, actorName: "user", action: "consent", detail: v, at }],
      },
    );
    env.kick();
  }

  async function act(c: CaseRecord, action: CaseAction, who: Actor, outcome?: Outcome): Promise<string> {
    const tr = transition(c.status, action, c.claimedBy === who.id);
    if (!tr.ok) return st(`desk:staff.toast_${tr.reason}`);
    if (action === "resolve" && outcome === undefined) return st("desk:staff.toast_choose_outcome");
    const at = env.now();
    // Claimed, resolved or reopened: an urgent case leaves (or joins) the "urgent now" board.
    const board = c.priority === "urgent" ? [rows.board()] : [];
    const audit = (): AuditEntry[] => [{ caseId: c.id, actorId: who.id, actorName: who.name, action, ...(outcome ? { detail: `outcome:${outcome}` } : {}), at }];
    const expectStatus = [c.status];
    let updated: CaseRecord | undefined;
    switch (action) {
      case "claim":
        updated = await repos.cases.update(
          c.id,
          { status: "claimed", claimed_by: who.id, claimed_by_name: who.name, updated_at: at, ...(c.claimedAt === null ? { claimed_at: at } : {}) },
          { expectStatus, audit, outbox: (u) => [rows.cardEdit(u), ...(c.status === "claimed" ? [] : [rows.userNotice(u, "desk:joined", at)]), ...board] },
        );
        env.kick();
        return updated ? st("desk:staff.toast_claimed", { id: c.id }) : st("desk:staff.toast_changed");
      case "resolve":
        updated = await repos.cases.update(
          c.id,
          { status: "resolved", resolved_at: at, updated_at: at, outcome: outcome ?? "other", follow_up_at: null },
          { expectStatus, audit, outbox: (u) => [rows.cardEdit(u), rows.topicState(u, "close"), rows.userNotice(u, "desk:closed", at), ...board] },
        );
        env.kick();
        return updated ? st("desk:staff.toast_resolved", { id: c.id, outcome: outcomeName(st, outcome ?? "other") }) : st("desk:staff.toast_changed");
      case "reopen": {
        const other = await repos.cases.openFor(c.userId);
        if (other && other.id !== c.id) return st("desk:staff.toast_other_open", { id: other.id });
        updated = await repos.cases.update(
          c.id,
          { status: "reopened", resolved_at: null, outcome: null, claimed_by: null, claimed_by_name: null, updated_at: at, escalated_at: at },
          { expectStatus, audit, outbox: (u) => [rows.cardEdit(u), rows.topicState(u, "reopen"), ...board] },
        );
        env.kick();
        return updated ? st("desk:staff.toast_reopened", { id: c.id }) : st("desk:staff.toast_changed");
      }
      case "block":
        await repos.cases.block(c.userId, at + BLOCK_MS, who.id, at);
        await repos.cases.update(c.id, { updated_at: at }, { audit, outbox: (u) => [rows.cardEdit(u)] });
        env.kick();
        return st("desk:staff.toast_blocked", { id: c.id });
      default:
        return "";
    }
  }

  /** The user gets a staff message: the case becomes claimed (the bot stops answering by itself). */
  async function toUser(c: CaseRecord, who: Actor, userRow: (c: CaseRecord, at: number) => NewOutboxRow, staffRows: NewOutboxRow[], action: string, detail?: string): Promise<boolean> {
    const at = env.now();
    const may = mayContactUser({ lastUserAt: c.lastUserAt, consent: c.consent }, at);
    const out: NewOutboxRow[] = [];
    const patch: Record<string, unknown> = { updated_at: at, ...(c.firstReplyAt === null ? { first_reply_at: at } : {}) };
    const audit: AuditEntry[] = [];
    if (c.status !== "claimed" && may) {
      Object.assign(patch, { status: "claimed", claimed_by: who.id, claimed_by_name: who.name, ...(c.claimedAt === null ? { claimed_at: at } : {}) });
      out.push(rows.cardEdit(c), rows.userNotice(c, "desk:joined", at), ...(c.priority === "urgent" ? [rows.board()] : []));
      audit.push({ caseId: c.id, actorId: who.id, actorName: who.name, action: "claim", detail: "by replying", at });
    }
    out.push(userRow(c, at), ...staffRows);
    audit.push({ caseId: c.id, actorId: who.id, actorName: who.name, action: may ? action : `${action}_held`, ...(detail ? { detail } : {}), at });
    if (!may) out.push(rows.notice(c, "desk:staff.notice_held"));
    const done = await repos.cases.update(c.id, patch, { expectStatus: [c.status], outbox: () => out, audit: () => audit });
    env.kick();
    return done !== undefined;
  }

  async function staffMessage(c: CaseRecord, messageId: number, who: Actor): Promise<void> {
    if (!isOpen(c.status)) {
      await repos.outbox.enqueue([rows.notice(c, "desk:staff.notice_case_closed")]);
      env.kick();
      return;
    }
    await toUser(c, who, (u, at) => rows.toUser(u, "copy", { from_chat_id: env.staffChat, message_id: messageId }, at), [], "relay");
  }

  async function sendReady(c: CaseRecord, name: string, who: Actor): Promise<string> {
    if (!isReadyAnswer(name)) return st("desk:staff.send_unknown", { names: listReady() });
    if (!isOpen(c.status)) return st("desk:staff.notice_case_closed");
    const a: ReadyAnswer = name;
    const userText = readyText(deps.translator.t(c.lang), a);
    const staffText = st("desk:staff.sent_ready", { name: readyName(st, a), lang: st(`desk:staff.lang_${c.lang}`), text: readyText(st, a) });
    const ok = await toUser(c, who, (u, at) => rows.toUser(u, "text", { text: userText }, at), [rows.toTopic(c, "text", { text: staffText.slice(0, 4000) })], "ready", a);
    return ok ? st("desk:staff.toast_sent", { name: readyName(st, a) }) : st("desk:staff.toast_changed");
  }

  function listReady(): string {
    return ["kbri", "splp", "pulang", "hotlines", "shelter", "safety"].join(", ");
  }

  async function setFollowUp(c: CaseRecord, at: number | null, who: Actor): Promise<string> {
    const now = env.now();
    const text = at === null ? st("desk:staff.follow_up_cleared", { id: c.id }) : st("desk:staff.follow_up_set", { id: c.id, time: formatTime(at, env.timeZone) });
    await repos.cases.update(
      c.id,
      { follow_up_at: at, updated_at: now },
      {
        outbox: (u) => [rows.cardEdit(u), rows.notice(u, "desk:staff.follow_up_confirm", { text })],
        audit: () => [{ caseId: c.id, actorId: who.id, actorName: who.name, action: "follow_up", detail: at === null ? "off" : new Date(at).toISOString(), at: now }],
      },
    );
    env.kick();
    return text;
  }

  async function remindDue(): Promise<number> {
    const at = env.now();
    let n = 0;
    for (const c of await repos.cases.dueFollowUps(at)) {
      const link = topicLink(env.staffChat, c.threadId);
      const done = await repos.cases.update(
        c.id,
        { follow_up_at: null },
        {
          expectFollowUpAt: c.followUpAt ?? undefined,
          outbox: (u) => [rows.notice(u, "desk:staff.follow_up_due", { id: c.id, link: link ?? "" }), rows.cardEdit(u)],
          audit: () => [{ caseId: c.id, ...SYSTEM, action: "follow_up_due", at }],
        },
      );
      if (done) n++;
    }
    if (n) env.kick();
    return n;
  }

  async function forget({ cases: own, reason }: Forgotten): Promise<void> {
    const at = env.now();
    // Rows with no owner and no case: they outlive the case rows /forget deletes, and name nobody.
    const out: NewOutboxRow[] = own
      .filter((c) => c.threadId !== null || c.cardMessageId !== null)
      .map((c) => ({
        chatId: env.staffChat,
        kind: "topic_state",
        priority: PRIORITY.urgent,
        payload: {
          op: "forget",
          reason,
          ...(c.threadId ? { thread: c.threadId } : {}),
          ...(c.cardMessageId !== null ? { card: c.cardMessageId } : {}),
          id: c.id,
        },
        createdAt: at,
      }));
    if (out.length) {
      await repos.outbox.enqueue(out);
      env.kick();
    }
  }

  return { urgent, human, isBlocked, userMessage, consent, act, staffMessage, sendReady, setFollowUp, remindDue, forget };
}
