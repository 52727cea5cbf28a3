/**
 * An in-process stand-in for the Telegram Bot API, plugged in as grammY's
 * `client.fetch`, so it sees every call (also those made inside conversations).
 * Used by the offline terminal chat, the tests and the benchmark. It records
 * each call and answers with plausible results.
 */
import type { UserFromGetMe } from "grammy/types";

export interface ApiCall {
  method: string;
  payload: Record<string, unknown>;
}

export type ApiResponder = (call: ApiCall) => unknown | undefined;

export const FAKE_BOT_INFO: UserFromGetMe = {
  id: 7000000001,
  is_bot: true,
  first_name: "Jalan Pulang",
  username: "jalan_pulang_bot",
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
} as UserFromGetMe;

export class FakeTelegram {
  readonly calls: ApiCall[] = [];
  private nextMessageId = 1000;
  private nextThreadId = 500;
  /** consulted first; return undefined to fall through to the defaults, or throw/return an error shape */
  responder: ApiResponder | undefined;
  /** called for every call after it is recorded (the terminal prints from here) */
  onCall: ((call: ApiCall) => void) | undefined;

  constructor(readonly botInfo: UserFromGetMe = FAKE_BOT_INFO) {}

  /** grammY's client.fetch */
  readonly fetch = (async (url: string | URL, init?: { body?: unknown }) => {
    const method = String(url).split("/").pop() ?? "";
    let payload: Record<string, unknown> = {};
    if (typeof init?.body === "string") payload = JSON.parse(init.body) as Record<string, unknown>;
    const body = this.handle({ method, payload });
    return { json: async () => body } as unknown as Response;
  }) as unknown as typeof fetch;

  handle(call: ApiCall): { ok: true; result: unknown } | { ok: false; error_code: number; description: string; parameters?: unknown } {
    this.calls.push(call);
    this.onCall?.(call);
    const custom = this.responder?.(call);
    if (custom !== undefined) {
      if (typeof custom === "object" && custom !== null && "ok" in custom) return custom as { ok: true; result: unknown };
      return { ok: true, result: custom };
    }
    return { ok: true, result: this.defaultResult(call) };
  }

  private message(p: Record<string, unknown>, extra: Record<string, unknown> = {}) {
    const chatId = p.chat_id;
    return {
      message_id: this.nextMessageId++,
      date: Math.floor(Date.now() / 1000),
      chat: typeof chatId === "number" && chatId < 0 ? { id: chatId, type: "supergroup", title: "Staff", is_forum: true } : { id: chatId, type: "private", first_name: "User" },
      from: { id: this.botInfo.id, is_bot: true, first_name: this.botInfo.first_name, username: this.botInfo.username },
      ...(p.message_thread_id ? { message_thread_id: p.message_thread_id, is_topic_message: true } : {}),
      ...extra,
    };
  }

  private defaultResult(call: ApiCall): unknown {
    const p = call.payload;
    switch (call.method) {
      case "getMe":
        return this.botInfo;
      case "sendMessage":
        return this.message(p, { text: p.text, ...(p.reply_markup ? { reply_markup: p.reply_markup } : {}) });
      case "sendLocation":
        return this.message(p, { location: { latitude: p.latitude, longitude: p.longitude } });
      case "sendVenue":
        return this.message(p, { venue: { location: { latitude: p.latitude, longitude: p.longitude }, title: p.title, address: p.address } });
      case "sendPhoto":
      case "sendDocument":
      case "sendVoice":
        return this.message(p, {});
      case "editMessageText":
        return this.message(p, { message_id: p.message_id, text: p.text });
      case "copyMessage":
        return { message_id: this.nextMessageId++ };
      case "forwardMessage":
        return this.message(p, {});
      case "createForumTopic":
        return { message_thread_id: this.nextThreadId++, name: p.name, icon_color: 7322096 };
      case "getChatMember":
        return { status: "member", user: { id: p.user_id, is_bot: false, first_name: "Staff" } };
      case "getChat":
        return { id: p.chat_id, type: "supergroup", title: "Staff", is_forum: true };
      case "getUpdates":
        return [];
      default:
        return true;
    }
  }

  /** calls of one method */
  sent(method = "sendMessage"): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** texts of sendMessage/editMessageText calls to one chat */
  textsTo(chatId: number): string[] {
    return this.calls
      .filter((c) => (c.method === "sendMessage" || c.method === "editMessageText") && c.payload.chat_id === chatId)
      .map((c) => String(c.payload.text ?? ""));
  }

  clear(): void {
    this.calls.length = 0;
  }
}
