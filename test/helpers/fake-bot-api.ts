/**
 * A small, faithful Bot API server on loopback (node:http) for end-to-end
 * tests and the desk benchmark: getMe, getUpdates (long poll, offset
 * semantics), sendMessage, copyMessage, forum topics, edits, callback answers,
 * getChatMember, leaveChat, locations, webhooks and commands. It answers with
 * Telegram's real error shapes (400 "Bad Request: …", 403, 409, 429 with
 * parameters.retry_after) and limits each group to `groupPerMinute` new
 * messages in any 60 s (sliding window), on an injectable clock.
 * A test injects user updates and reads what each chat received.
 *
 * The one stand-in Bot API of the tests that run the real process (the
 * in-process bot tests use FakeTelegram, src/bot/fake-api.ts, through fetch).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

type Json = Record<string, unknown>;
export interface ChatMessage extends Json {
  message_id: number;
  chat: { id: number; type: string };
  message_thread_id?: number;
  text?: string;
}
export interface ReceivedCall {
  method: string;
  payload: Json;
  /** ms on the server's clock */
  at: number;
  ok: boolean;
  error_code?: number;
  result?: unknown;
}

export interface FakeBotApiOptions {
  token: string;
  /** new messages one group may get in any 60 s before 429 (Telegram: about 20) */
  groupPerMinute?: number;
  now?: () => number;
  botId?: number;
  /**
   * network latency before a call reaches "Telegram" (not for getUpdates); a
   * call whose client is gone by then (killed) is never carried out
   */
  latencyMs?: number;
  /**
   * Telegram's other limits too (off unless set): at most `botPerSecond` messages
   * and edits a second for the bot (Telegram: about 30), at most `chatBurst`
   * messages to one chat within `chatWindowMs` (about one a second, short bursts
   * tolerated; groups too), and edits count in a group's 20 a minute. Over
   * any of them: 429 with retry_after.
   */
  telegramLimits?: { botPerSecond?: number; chatBurst?: number; chatWindowMs?: number };
}

const COUNTED = new Set(["sendMessage", "copyMessage", "forwardMessage", "createForumTopic", "sendLocation", "sendVenue", "sendPhoto", "sendDocument", "sendVoice"]);
const EDITS = new Set(["editMessageText", "editMessageReplyMarkup", "editForumTopic"]);

export class FakeBotApi {
  readonly calls: ReceivedCall[] = [];
  /** every message each chat holds (sent by the bot or injected), in order */
  readonly chats = new Map<number, ChatMessage[]>();
  readonly topics = new Map<number, Map<number, { name: string; closed: boolean }>>();
  /** group chats that are forums; members of each group */
  readonly forums = new Set<number>();
  readonly members = new Map<number, Set<number>>();
  rateLimited = 0;
  /** getUpdates requests so far (a polling bot is ready when this grows) */
  polls = 0;
  /** the value for BOT_API_ROOT, once started */
  url = "";
  /** method names as calls arrive (before any latency or delay), not getUpdates */
  readonly arrivals: string[] = [];
  /** milliseconds one method waits before it is carried out (keeps an update "in flight") */
  readonly delays = new Map<string, number>();
  /**
   * called when a call arrives, before the latency and before it is carried
   * out; "lost": the call never reaches Telegram (held until the caller hangs up)
   */
  onArrive: ((method: string, payload: Record<string, unknown>) => undefined | "lost") | undefined;
  /** called when a getUpdates arrives, with its offset (which confirms every update before it) */
  onGetUpdates: ((offset: number) => void) | undefined;
  private readonly updates: Json[] = [];
  private nextUpdateId = 1;
  private nextMessageId = 1;
  private nextThreadId = 100;
  private readonly waiters = new Set<() => void>();
  private readonly groupSends = new Map<number, number[]>();
  private readonly chatSends = new Map<number, number[]>();
  private readonly botSends: number[] = [];
  /** 429s by the limit that gave them */
  readonly limitedBy = { group: 0, chat: 0, bot: 0 };
  private webhook: string | undefined;
  private server: Server | undefined;
  private readonly failures: { method: string; body: Json; match?: (payload: Json) => boolean }[] = [];
  readonly now: () => number;
  groupPerMinute: number;
  readonly botId: number;

  constructor(readonly options: FakeBotApiOptions) {
    this.now = options.now ?? Date.now;
    this.groupPerMinute = options.groupPerMinute ?? 20;
    this.botId = options.botId ?? Number(options.token.split(":")[0]);
  }

  /** a group the bot is in; forum: topics enabled */
  addGroup(chatId: number, opts: { forum?: boolean; members?: number[] } = {}): void {
    if (opts.forum) this.forums.add(chatId);
    this.members.set(chatId, new Set(opts.members ?? []));
    this.chats.set(chatId, this.chats.get(chatId) ?? []);
  }

  async start(port = 0): Promise<string> {
    this.server = createServer((req, res) => void this.route(req, res));
    await new Promise<void>((r) => this.server?.listen(port, "127.0.0.1", () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  /** calls of one method, in the order they were answered */
  sent(method: string): ReceivedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** forget the recorded calls (not the chats) */
  clear(): void {
    this.calls.length = 0;
    this.arrivals.length = 0;
  }

  /** texts the bot sent to a chat (sendMessage calls that succeeded), in order */
  textsTo(chatId: number): string[] {
    return this.calls.filter((c) => c.method === "sendMessage" && c.ok && c.payload.chat_id === chatId).map((c) => String(c.payload.text));
  }

  /** the first recorded call from index `from` on that matches; waits for it up to `timeoutMs` */
  async waitFor(match: (c: ReceivedCall) => boolean, timeoutMs = 15_000, from = 0): Promise<ReceivedCall> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.calls.slice(from).find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching Bot API call within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async close(): Promise<void> {
    for (const w of this.waiters) w();
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  /** the next call to `method` (whose payload matches, if given) fails with this body (e.g. a 502 or a 429) */
  failNext(method: string, body: Json, match?: (payload: Json) => boolean): void {
    this.failures.push({ method, body, ...(match ? { match } : {}) });
  }

  /** a user writes to the bot (a private text message) */
  userText(user: { id: number; first_name?: string; language_code?: string }, text: string): ChatMessage {
    const from = { id: user.id, is_bot: false, first_name: user.first_name ?? "User", language_code: user.language_code ?? "id" };
    // Telegram marks a leading command, as it does for real clients
    const entities = text.startsWith("/") ? [{ type: "bot_command", offset: 0, length: text.split(/\s/)[0]?.length ?? 1 }] : undefined;
    const msg = this.store({ chat: { id: user.id, type: "private", first_name: from.first_name }, from, text, date: this.sec(), ...(entities ? { entities } : {}) });
    this.push({ message: msg });
    return msg;
  }

  /** a staff member writes in the group (optionally in a topic) */
  groupText(chatId: number, from: { id: number; first_name: string }, text: string, thread?: number): ChatMessage {
    const entities = text.startsWith("/") ? [{ type: "bot_command", offset: 0, length: text.split(/\s/)[0]?.length ?? 1 }] : undefined;
    const msg = this.store({
      chat: { id: chatId, type: "supergroup", title: "Staff", is_forum: this.forums.has(chatId) },
      from: { ...from, is_bot: false },
      text,
      date: this.sec(),
      ...(thread ? { message_thread_id: thread, is_topic_message: true } : {}),
      ...(entities ? { entities } : {}),
    });
    this.push({ message: msg });
    return msg;
  }

  /**
   * a user presses an inline button in their private chat, on the bot's last
   * message there (a button is always on a message: if the bot has sent none
   * in this stand-in yet, one it sent before is made up)
   */
  userPress(user: { id: number; first_name?: string; language_code?: string }, data: string): void {
    const from = { id: user.id, is_bot: false, first_name: user.first_name ?? "User", language_code: user.language_code ?? "id" };
    if (!this.chats.has(user.id)) this.chats.set(user.id, []);
    const message = this.fromBot(user.id).at(-1) ?? this.botMessage(user.id, {}, { text: "…" });
    this.push({ callback_query: { id: String(this.nextUpdateId * 7), from, chat_instance: "1", data, message } });
  }

  /** a staff member presses an inline button on a message */
  press(chatId: number, from: { id: number; first_name: string }, messageId: number, data: string): void {
    const message = this.chats.get(chatId)?.find((m) => m.message_id === messageId);
    this.push({ callback_query: { id: String(this.nextUpdateId * 7), from: { ...from, is_bot: false }, chat_instance: "1", data, message } });
  }

  /** queue an update for getUpdates (an update_id in it is kept) */
  push(update: object): number {
    // a chat the update comes from exists from now on (the bot may answer it)
    const u = update as { message?: { chat?: { id?: unknown } }; callback_query?: { from?: { id?: unknown } } };
    for (const chatId of [u.message?.chat?.id, u.callback_query?.from?.id]) {
      if (typeof chatId === "number" && !this.chats.has(chatId)) this.chats.set(chatId, []);
    }
    const id = this.nextUpdateId++;
    this.updates.push({ update_id: id, ...(update as Json) });
    for (const w of [...this.waiters]) w();
    return id;
  }

  /** messages a chat holds that the bot sent */
  fromBot(chatId: number): ChatMessage[] {
    return (this.chats.get(chatId) ?? []).filter((m) => (m.from as { id?: number } | undefined)?.id === this.botId);
  }

  /** the id the next injected update gets */
  get nextId(): number {
    return this.nextUpdateId;
  }

  /** updates not yet confirmed by an offset */
  pendingUpdates(): number {
    return this.updates.length;
  }

  private sec() {
    return Math.floor(this.now() / 1000);
  }

  private store(m: Json): ChatMessage {
    const msg = { message_id: this.nextMessageId++, ...m } as ChatMessage;
    const list = this.chats.get(msg.chat.id) ?? [];
    list.push(msg);
    this.chats.set(msg.chat.id, list);
    return msg;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const m = /^\/bot([^/]+)\/(\w+)$/.exec(new URL(req.url ?? "/", "http://x").pathname);
    const send = (status: number, body: Json) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (!m) return send(404, { ok: false, error_code: 404, description: "Not Found" });
    if (m[1] !== this.options.token) return send(401, { ok: false, error_code: 401, description: "Unauthorized" });
    const method = m[2] as string;
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let payload: Json = {};
    const raw = Buffer.concat(chunks).toString("utf8");
    if (raw) {
      try {
        payload = JSON.parse(raw) as Json;
      } catch {
        return send(400, { ok: false, error_code: 400, description: "Bad Request: can't parse JSON" });
      }
    }
    if (method !== "getUpdates") {
      if (this.onArrive?.(method, payload) === "lost") {
        if (!req.socket.destroyed) await new Promise((r) => req.socket.once("close", r));
        return;
      }
      this.arrivals.push(method);
      const wait = this.delays.get(method) ?? this.options.latencyMs;
      if (wait) {
        await new Promise((r) => setTimeout(r, wait));
        if (req.socket.destroyed) return; // the caller died: the call never reached Telegram
      }
    }
    const body = method === "getUpdates" ? await this.getUpdates(payload) : this.handle(method, payload);
    const call: ReceivedCall = { method, payload, at: this.now(), ok: body.ok === true };
    if (body.ok) call.result = body.result;
    else call.error_code = body.error_code as number;
    if (method !== "getUpdates") this.calls.push(call);
    send(body.ok ? 200 : (body.error_code as number), body);
  }

  private bad(description: string, code = 400): Json {
    const prefix = code === 400 ? "Bad Request" : code === 403 ? "Forbidden" : code === 409 ? "Conflict" : "Error";
    return { ok: false, error_code: code, description: `${prefix}: ${description}` };
  }

  private async getUpdates(p: Json): Promise<Json> {
    this.polls++;
    if (this.webhook) return this.bad("can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first", 409);
    const offset = typeof p.offset === "number" ? p.offset : 0;
    this.onGetUpdates?.(offset);
    const limit = typeof p.limit === "number" ? Math.min(100, Math.max(1, p.limit)) : 100;
    const timeout = typeof p.timeout === "number" ? Math.min(50, p.timeout) : 0;
    // Offset confirms every update before it.
    while (this.updates.length && (this.updates[0]?.update_id as number) < offset) this.updates.shift();
    if (this.updates.length === 0 && timeout > 0) {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.waiters.delete(done);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(done, timeout * 1000);
        this.waiters.add(done);
      });
    }
    return { ok: true, result: this.updates.slice(0, limit) };
  }

  private tooMany(kind: keyof FakeBotApi["limitedBy"], oldest: number, windowMs: number, now: number): Json {
    this.rateLimited++;
    this.limitedBy[kind]++;
    const retry = Math.max(1, Math.ceil((oldest + windowMs - now) / 1000));
    return { ok: false, error_code: 429, description: `Too Many Requests: retry after ${retry}`, parameters: { retry_after: retry } };
  }

  private limited(chatId: number, method: string): Json | undefined {
    const strict = this.options.telegramLimits;
    const counted = COUNTED.has(method) || (strict !== undefined && EDITS.has(method));
    if (!counted) return undefined;
    const now = this.now();
    const group = chatId < 0 ? (this.groupSends.get(chatId) ?? []).filter((t) => t > now - 60_000) : undefined;
    if (group && (COUNTED.has(method) || strict)) {
      this.groupSends.set(chatId, group);
      if (group.length >= this.groupPerMinute) return this.tooMany("group", group[0] as number, 60_000, now);
    }
    if (strict) {
      const perSecond = strict.botPerSecond ?? 30;
      while (this.botSends.length && (this.botSends[0] as number) <= now - 1_000) this.botSends.shift();
      if (this.botSends.length >= perSecond) return this.tooMany("bot", this.botSends[0] as number, 1_000, now);
      // Edits count in a group's window, not in a private chat's.
      if (COUNTED.has(method) || chatId < 0) {
        const windowMs = strict.chatWindowMs ?? 5_000;
        const chat = (this.chatSends.get(chatId) ?? []).filter((t) => t > now - windowMs);
        this.chatSends.set(chatId, chat);
        if (chat.length >= (strict.chatBurst ?? 6)) return this.tooMany("chat", chat[0] as number, windowMs, now);
        chat.push(now);
      }
      this.botSends.push(now);
    }
    if (group && (COUNTED.has(method) || strict)) group.push(now);
    return undefined;
  }

  private botMessage(chatId: number, p: Json, extra: Json): Json {
    const chat = chatId < 0 ? { id: chatId, type: "supergroup", title: "Staff", is_forum: this.forums.has(chatId) } : { id: chatId, type: "private", first_name: "User" };
    const thread = typeof p.message_thread_id === "number" ? { message_thread_id: p.message_thread_id, is_topic_message: true } : {};
    return this.store({
      chat,
      from: { id: this.botId, is_bot: true, first_name: "Jalan Pulang", username: "jalan_pulang_bot" },
      date: this.sec(),
      ...thread,
      ...extra,
      ...(p.reply_markup && (p.reply_markup as Json).inline_keyboard ? { reply_markup: p.reply_markup } : {}),
    });
  }

  private handle(method: string, p: Json): Json {
    const fi = this.failures.findIndex((f) => f.method === method && (!f.match || f.match(p)));
    if (fi >= 0) return (this.failures.splice(fi, 1)[0] as { body: Json }).body;
    const chatId = typeof p.chat_id === "number" ? p.chat_id : Number(p.chat_id);
    const needChat = () => (this.chats.has(chatId) ? undefined : this.bad("chat not found"));
    const needThread = () => {
      if (typeof p.message_thread_id !== "number") return undefined;
      if (!this.forums.has(chatId) || !this.topics.get(chatId)?.has(p.message_thread_id)) return this.bad("message thread not found");
      return undefined;
    };
    const ok = (result: unknown): Json => ({ ok: true, result });
    switch (method) {
      case "getMe":
        return ok({ id: this.botId, is_bot: true, first_name: "Jalan Pulang", username: "jalan_pulang_bot", can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false });
      case "setWebhook":
        this.webhook = String(p.url ?? "");
        return ok(true);
      case "deleteWebhook":
        this.webhook = undefined;
        return ok(true);
      case "setMyCommands":
      case "answerCallbackQuery":
      case "sendChatAction":
        return ok(true);
      case "leaveChat":
        return needChat() ?? ok(true);
      case "getChatMember": {
        const e = needChat();
        if (e) return e;
        const userId = Number(p.user_id);
        const member = this.members.get(chatId)?.has(userId);
        return ok({ status: member ? "member" : "left", user: { id: userId, is_bot: false, first_name: "U" } });
      }
      case "sendMessage": {
        const e = needChat() ?? needThread() ?? this.limited(chatId, method);
        if (e) return e;
        const text = String(p.text ?? "");
        if (text.trim() === "") return this.bad("message text is empty");
        if (text.length > 4096) return this.bad("message is too long");
        return ok(this.botMessage(chatId, p, { text }));
      }
      case "sendLocation":
      case "sendVenue": {
        const e = needChat() ?? needThread() ?? this.limited(chatId, method);
        if (e) return e;
        return ok(this.botMessage(chatId, p, { location: { latitude: p.latitude, longitude: p.longitude }, ...(method === "sendVenue" ? { venue: { title: p.title, address: p.address } } : {}) }));
      }
      case "copyMessage": {
        const from = Number(p.from_chat_id);
        const src = this.chats.get(from)?.find((m) => m.message_id === p.message_id);
        const e = needChat() ?? needThread() ?? (src ? undefined : this.bad("message to copy not found")) ?? this.limited(chatId, method);
        if (e) return e;
        const { message_id: _id, chat: _c, from: _f, message_thread_id: _t, is_topic_message: _i, date: _d, ...content } = src as ChatMessage;
        const copy = this.botMessage(chatId, p, { ...content, copied_from: { chat_id: from, message_id: p.message_id } });
        return ok({ message_id: copy.message_id });
      }
      case "createForumTopic": {
        const e = needChat() ?? (this.forums.has(chatId) ? undefined : this.bad("the chat is not a forum")) ?? this.limited(chatId, method);
        if (e) return e;
        const name = String(p.name ?? "");
        if (name.length < 1 || name.length > 128) return this.bad("TOPIC_NAME_INVALID");
        const id = this.nextThreadId++;
        const topics = this.topics.get(chatId) ?? new Map();
        topics.set(id, { name, closed: false });
        this.topics.set(chatId, topics);
        this.botMessage(chatId, { message_thread_id: id }, { forum_topic_created: { name, icon_color: p.icon_color ?? 7322096 } });
        return ok({ message_thread_id: id, name, icon_color: p.icon_color ?? 7322096 });
      }
      case "editForumTopic":
      case "closeForumTopic":
      case "reopenForumTopic": {
        const topic = this.topics.get(chatId)?.get(Number(p.message_thread_id));
        if (!topic) return needChat() ?? this.bad("message thread not found");
        if (method === "editForumTopic") {
          if (typeof p.name === "string") topic.name = p.name;
          return ok(true);
        }
        const closing = method === "closeForumTopic";
        if (topic.closed === closing) return this.bad("TOPIC_NOT_MODIFIED");
        topic.closed = closing;
        return ok(true);
      }
      case "deleteMessage": {
        const list = this.chats.get(chatId);
        const i = list?.findIndex((m) => m.message_id === p.message_id) ?? -1;
        if (!list || i < 0) return needChat() ?? this.bad("message to delete not found");
        list.splice(i, 1);
        return ok(true);
      }
      case "editMessageText":
      case "editMessageReplyMarkup": {
        const msg = this.chats.get(chatId)?.find((m) => m.message_id === p.message_id);
        if (!msg) return needChat() ?? this.bad("message to edit not found");
        const limit = this.limited(chatId, method);
        if (limit) return limit;
        if ((msg.from as { id?: number } | undefined)?.id !== this.botId) return this.bad("message can't be edited");
        const markup = p.reply_markup ?? undefined;
        const same = (method === "editMessageReplyMarkup" || msg.text === p.text) && JSON.stringify(msg.reply_markup) === JSON.stringify(markup);
        if (same) return this.bad("message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message");
        if (method === "editMessageText") msg.text = String(p.text);
        if (markup) msg.reply_markup = markup;
        else delete msg.reply_markup;
        return ok(msg);
      }
      default:
        return { ok: false, error_code: 404, description: "Not Found" };
    }
  }
}
