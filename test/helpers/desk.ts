/** Helpers for desk tests: staff-group updates and draining the outbox with the test clock. */
import type { Update } from "grammy/types";
import type { Desk } from "../../src/bot/desk/desk.ts";
import type { TestBot } from "./bot.ts";

export const STAFF_CHAT = -1001234567890;
export const STAFF = { id: 9001, first_name: "Sari" };
let nextId = 50_000;

export function deskOf(tb: TestBot): Desk {
  const desk = tb.desk.desk;
  if (!desk) throw new Error("the test bot has no desk (set STAFF_CHAT_ID)");
  return desk;
}

/** Drain the outbox, moving the test clock to each next allowed send, until nothing is left. */
export async function drainAll(tb: TestBot, maxRounds = 500): Promise<number> {
  let sent = 0;
  for (let i = 0; i < maxRounds; i++) {
    const r = await deskOf(tb).sender.drain();
    sent += r.sent;
    if (r.nextAt === undefined) return sent;
    if (r.nextAt > tb.clock.now) tb.clock.now = r.nextAt;
    else if (r.sent === 0) return sent;
  }
  return sent;
}

export function staffMessage(text: string, opts: { thread?: number; from?: { id: number; first_name: string } } = {}): Omit<Update, "update_id"> {
  const entities = text.startsWith("/") ? [{ type: "bot_command" as const, offset: 0, length: text.split(/\s/)[0]?.length ?? 1 }] : undefined;
  return {
    message: {
      message_id: nextId++,
      date: Math.floor(Date.now() / 1000),
      chat: { id: STAFF_CHAT, type: "supergroup", title: "Staff", is_forum: true },
      from: { is_bot: false, ...(opts.from ?? STAFF) },
      ...(opts.thread ? { message_thread_id: opts.thread, is_topic_message: true } : {}),
      text,
      ...(entities ? { entities } : {}),
    },
  } as Omit<Update, "update_id">;
}

export function staffPress(data: string, opts: { from?: { id: number; first_name: string }; thread?: number } = {}): Omit<Update, "update_id"> {
  return {
    callback_query: {
      id: String(nextId++),
      from: { is_bot: false, ...(opts.from ?? STAFF) },
      chat_instance: "staff",
      data,
      message: {
        message_id: nextId++,
        date: Math.floor(Date.now() / 1000),
        chat: { id: STAFF_CHAT, type: "supergroup", title: "Staff", is_forum: true },
        ...(opts.thread ? { message_thread_id: opts.thread, is_topic_message: true } : {}),
        text: "card",
      },
    },
  } as Omit<Update, "update_id">;
}

/** A call that sends, edits or deletes the "urgent now" board (General topic, its own texts). */
export function isBoardCall(c: { method: string; payload: Record<string, unknown> }): boolean {
  if (c.payload.chat_id !== STAFF_CHAT || c.payload.message_thread_id !== undefined) return false;
  if (c.method === "deleteMessage") return true;
  return /^(🚨 (MENDESAK SEKARANG|URGENT NOW)|✅ (No urgent case|Tidak ada kasus mendesak))/u.test(String(c.payload.text ?? ""));
}
