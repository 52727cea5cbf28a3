/**
 * A small Telegram Bot API over node:http, for driving the real bot process in
 * polling mode: getMe, getUpdates (offset confirms, timeout long-polls),
 * sendMessage, answerCallbackQuery, editMessageText, editMessageReplyMarkup,
 * deleteWebhook, setMyCommands, sendVenue; anything else answers `true`.
 * Records every call. Used by the flow-restart (SIGKILL) test.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface MiniCall {
  method: string;
  payload: Record<string, unknown>;
}

export const MINI_BOT_INFO = {
  id: 7000000002,
  is_bot: true,
  first_name: "Jalan Pulang",
  username: "jalan_pulang_test_bot",
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
};

/** Longest a getUpdates call is held open (the bot asks for 30 s; tests need no such wait). */
const MAX_POLL_MS = 1000;

export class MiniBotApi {
  readonly calls: MiniCall[] = [];
  private server: Server | undefined;
  private readonly pending: Record<string, unknown>[] = [];
  private nextUpdateId = 1;
  private nextMessageId = 1;
  private wake: (() => void)[] = [];
  private readonly sockets = new Set<import("node:net").Socket>();

  constructor(readonly token: string) {}

  get url(): string {
    const addr = this.server?.address() as AddressInfo | null | undefined;
    return `http://127.0.0.1:${addr?.port ?? 0}`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.route(req, res));
    this.server.on("connection", (s) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
  }

  async close(): Promise<void> {
    for (const w of this.wake.splice(0)) w();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** queue an update (update_id assigned here) */
  push(update: Record<string, unknown>): number {
    const id = this.nextUpdateId++;
    this.pending.push({ update_id: id, ...update });
    for (const w of this.wake.splice(0)) w();
    return id;
  }

  sendText(user: { id: number; language_code?: string }, text: string): number {
    const from = { id: user.id, is_bot: false, first_name: "Tester", language_code: user.language_code ?? "id" };
    const entities = text.startsWith("/") ? [{ type: "bot_command", offset: 0, length: text.split(/\s/)[0]?.length ?? 0 }] : undefined;
    return this.push({
      message: {
        message_id: this.nextMessageId++,
        date: Math.floor(Date.now() / 1000),
        chat: { id: user.id, type: "private", first_name: "Tester" },
        from,
        text,
        ...(entities ? { entities } : {}),
      },
    });
  }

  press(user: { id: number; language_code?: string }, data: string): number {
    const from = { id: user.id, is_bot: false, first_name: "Tester", language_code: user.language_code ?? "id" };
    return this.push({
      callback_query: {
        id: `cq${this.nextUpdateId}`,
        from,
        chat_instance: "mini",
        data,
        message: {
          message_id: this.nextMessageId++,
          date: Math.floor(Date.now() / 1000),
          chat: { id: user.id, type: "private", first_name: "Tester" },
          text: "…",
        },
      },
    });
  }

  /** texts sent with sendMessage to a chat */
  textsTo(chatId: number): string[] {
    return this.calls
      .filter((c) => c.method === "sendMessage" && c.payload.chat_id === chatId)
      .map((c) => String(c.payload.text ?? ""));
  }

  /** wait until a call matches (polls every 20 ms) */
  async waitFor(pred: (c: MiniCall) => boolean, timeoutMs = 15_000, from = 0): Promise<MiniCall> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.calls.slice(from).find(pred);
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`mini-bot-api: no matching call within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://x");
    const m = /^\/bot([^/]+)\/(\w+)$/.exec(url.pathname);
    const send = (status: number, body: unknown) => {
      if (res.writableEnded || res.destroyed) return;
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (!m || m[1] !== this.token) return send(401, { ok: false, error_code: 401, description: "Unauthorized" });
    const method = m[2] as string;
    let raw = "";
    for await (const chunk of req) raw += chunk;
    let payload: Record<string, unknown> = Object.fromEntries(url.searchParams);
    if (raw) {
      try {
        payload = { ...payload, ...(JSON.parse(raw) as Record<string, unknown>) };
      } catch {
        // multipart or form bodies: this server does not need them
      }
    }
    this.calls.push({ method, payload });
    if (method === "getUpdates") return send(200, { ok: true, result: await this.getUpdates(payload, req) });
    return send(200, { ok: true, result: this.result(method, payload) });
  }

  private async getUpdates(p: Record<string, unknown>, req: IncomingMessage): Promise<unknown[]> {
    const offset = Number(p.offset ?? 0);
    // updates below the offset are confirmed: forget them
    while (this.pending.length > 0 && Number(this.pending[0]?.update_id) < offset) this.pending.shift();
    const ready = () => this.pending.filter((u) => Number(u.update_id) >= offset);
    const limit = Number(p.limit ?? 100);
    if (ready().length === 0) {
      const waitMs = Math.min(Number(p.timeout ?? 0) * 1000, MAX_POLL_MS);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        const done = () => {
          clearTimeout(timer);
          resolve();
        };
        this.wake.push(done);
        req.socket.once("close", done);
      });
    }
    return ready().slice(0, limit);
  }

  private result(method: string, p: Record<string, unknown>): unknown {
    const message = (extra: Record<string, unknown>) => ({
      message_id: this.nextMessageId++,
      date: Math.floor(Date.now() / 1000),
      chat: { id: p.chat_id, type: "private", first_name: "Tester" },
      from: { id: MINI_BOT_INFO.id, is_bot: true, first_name: MINI_BOT_INFO.first_name, username: MINI_BOT_INFO.username },
      ...extra,
    });
    switch (method) {
      case "getMe":
        return MINI_BOT_INFO;
      case "sendMessage":
        return message({ text: p.text, ...(p.reply_markup ? { reply_markup: p.reply_markup } : {}) });
      case "sendVenue":
        return message({
          venue: { location: { latitude: p.latitude, longitude: p.longitude }, title: p.title, address: p.address },
        });
      case "editMessageText":
        return message({ message_id: p.message_id, text: p.text });
      default:
        // answerCallbackQuery, editMessageReplyMarkup, deleteWebhook, setMyCommands, ...
        return true;
    }
  }
}
