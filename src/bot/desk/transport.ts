/**
 * From outbox rows to Bot API calls (the sender's prepare and onFailed): a
 * topic per case, its card, texts and copies into the topic or to the user,
 * closing and reopening the topic. A topic that was deleted is created again,
 * with a note, and the message that failed waits for it.
 */
import { InputFile } from "grammy";
import type { OutboxRow } from "../../storage/repositories/outbox.ts";
import type { CaseRecord } from "../../storage/repositories/cases.ts";
import type { Prepared } from "./sender.ts";
import type { DeskEnv } from "./env.ts";
import { PRIORITY } from "./env.ts";
import type { CardRenderer } from "./render.ts";
import { topicName } from "./render.ts";
import type { Rows } from "./rows.ts";
import type { Board } from "./board.ts";

const THREAD_GONE = /thread not found|TOPIC_DELETED|TOPIC_ID_INVALID/i;

export interface Transport {
  prepare(row: OutboxRow, mergedText?: string): Promise<Prepared>;
  onFailed(row: OutboxRow, description: string): Promise<void>;
}

export function createTransport(env: DeskEnv, rows: Rows, cards: CardRenderer, board: Board): Transport {
  const { repos } = env.deps;
  const { st } = env;

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
        const text = await cards.text(c);
        const reply_markup = cards.keyboard(c);
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
      case "document":
      case "photo": {
        // A file made by the desk (the /export CSV, the /stats chart), stored as base64 in the row.
        const file = new InputFile(Buffer.from(String(p.base64), "base64"), String(p.filename));
        return {
          kind: "send",
          method: row.kind === "document" ? "sendDocument" : "sendPhoto",
          params: { chat_id, ...thread, ...(typeof p.thread === "number" ? { message_thread_id: p.thread } : {}), [row.kind]: file, ...(p.caption ? { caption: String(p.caption) } : {}) },
        };
      }
      case "board":
        return board.prepare(row);
      case "topic_state": {
        if (p.op === "delete_message") return { kind: "send", method: "deleteMessage", params: { chat_id, message_id: p.message_id } };
        if (p.op === "forget") {
          // /forget or retention: the case's topic goes; without one (General, or no right), the card says why instead.
          if (typeof p.thread === "number") return { kind: "send", method: "deleteForumTopic", params: { chat_id, message_thread_id: p.thread } };
          if (typeof p.card !== "number") return { kind: "skip", reason: "nothing to remove" };
          const text = p.reason === "retention" ? st("desk:staff.card_expired", { id: p.id, days: env.deps.config.RETENTION_DAYS }) : st("desk:staff.card_forgotten", { id: p.id });
          return { kind: "send", method: "editMessageText", params: { chat_id, message_id: p.card, text } };
        }
        const c = await needCase();
        if (!c || c.threadId === null || c.threadId === 0) return { kind: "skip", reason: "no topic" };
        return { kind: "send", method: p.op === "close" ? "closeForumTopic" : "reopenForumTopic", params: { chat_id, message_thread_id: c.threadId } };
      }
      default:
        return { kind: "skip", reason: `unknown kind ${String(row.kind)}` };
    }
  }

  /** The case's topic was deleted in the group: a new one, with a note, and the failed message again. */
  async function recreateTopic(c: CaseRecord, row: OutboxRow): Promise<void> {
    const at = env.now();
    const again = row.kind === "card" || row.kind === "card_edit" || row.kind === "topic_state" ? [] : [{ ...rows.toTopic(c, row.kind, row.payload, row.priority) }];
    await repos.cases.update(
      c.id,
      { thread_id: null, card_message_id: null, updated_at: at },
      {
        outbox: (u) => [
          { chatId: env.staffChat, caseId: u.id, owner: u.userId, kind: "topic", priority: PRIORITY.urgent, payload: {}, createdAt: at },
          { chatId: env.staffChat, caseId: u.id, owner: u.userId, kind: "card", priority: PRIORITY.urgent, payload: {}, createdAt: at },
          rows.notice(u, "desk:staff.notice_topic_recreated"),
          ...again,
        ],
      },
    );
    env.kick();
  }

  async function onFailed(row: OutboxRow, description: string): Promise<void> {
    if (row.kind === "topic_state" && row.payload.op === "forget" && typeof row.payload.thread === "number") {
      // The topic could not be deleted (no right): replace the card instead.
      const { thread: _thread, ...rest } = row.payload;
      await env.deps.repos.outbox.enqueue([{ chatId: row.chatId, kind: "topic_state", priority: row.priority, payload: rest, createdAt: env.now() }]);
      env.kick();
      return;
    }
    if (row.caseId === null) return;
    const c = await repos.cases.get(row.caseId);
    if (!c) return;
    if (row.kind === "topic") {
      // No topic (the group is not a forum, or no right to create one): the case goes to the General topic.
      await repos.cases.update(c.id, { thread_id: 0 });
      return;
    }
    if (row.chatId === env.staffChat && c.threadId !== null && c.threadId !== 0 && THREAD_GONE.test(description)) {
      await recreateTopic(c, row);
      return;
    }
    if (row.chatId === c.userId) {
      await repos.outbox.enqueue([rows.notice(c, "desk:staff.notice_delivery_failed", { error: description })]);
      env.kick();
    }
  }

  return { prepare, onFailed };
}
