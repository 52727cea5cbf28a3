/**
 * A small fake Bot API over HTTP, for tests and benchmarks that start the real
 * bot as a separate process (BOT_API_ROOT=server.url). Method calls are
 * answered by FakeTelegram (and recorded there, with the token's bot); getUpdates
 * long-polls a queue the test fills with push(). Per-method delays let a test
 * keep an update "in flight".
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Update } from "grammy/types";
import { type ApiCall, FakeTelegram } from "../../src/bot/fake-api.ts";

export interface BotApiServer {
  /** the value for BOT_API_ROOT */
  url: string;
  fake: FakeTelegram;
  /** recorded calls (not getUpdates), recorded when answered */
  calls: ApiCall[];
  /** method names as requests arrive (before any delay), not getUpdates */
  arrivals: string[];
  /** queue an update for polling bots */
  push(...updates: Update[]): void;
  /** milliseconds to wait before answering a method (e.g. sendMessage) */
  delays: Map<string, number>;
  /** calls of one method to one chat, in arrival order */
  textsTo(chatId: number): string[];
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

export async function startBotApiServer(): Promise<BotApiServer> {
  const fake = new FakeTelegram();
  const delays = new Map<string, number>();
  const arrivals: string[] = [];
  const queue: Update[] = [];
  const waiters = new Set<() => void>();
  let closed = false;

  const json = (res: ServerResponse, body: unknown) => {
    if (res.destroyed) return;
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };

  const getUpdates = async (req: IncomingMessage, res: ServerResponse, p: Record<string, unknown>) => {
    const offset = typeof p.offset === "number" ? p.offset : 0;
    const timeoutS = typeof p.timeout === "number" ? p.timeout : 0;
    const deadline = Date.now() + Math.min(timeoutS, 30) * 1000;
    for (;;) {
      while (queue.length > 0 && (queue[0]?.update_id ?? 0) < offset) queue.shift();
      const limit = typeof p.limit === "number" ? p.limit : 100;
      if (queue.length > 0 || closed || Date.now() >= deadline || req.destroyed) {
        return json(res, { ok: true, result: queue.slice(0, limit) });
      }
      await new Promise<void>((r) => {
        const t = setTimeout(done, Math.max(1, deadline - Date.now()));
        function done() {
          clearTimeout(t);
          waiters.delete(done);
          r();
        }
        waiters.add(done);
        req.once("close", done);
      });
    }
  };

  const server = createServer((req, res) => {
    void (async () => {
      const method = (req.url ?? "").split("?")[0]?.split("/").pop() ?? "";
      const raw = await readBody(req);
      let payload: Record<string, unknown> = {};
      if ((req.headers["content-type"] ?? "").includes("json") && raw) {
        payload = JSON.parse(raw) as Record<string, unknown>;
      }
      if (method === "getUpdates") return getUpdates(req, res, payload);
      arrivals.push(method);
      const delay = delays.get(method);
      if (delay) await new Promise((r) => setTimeout(r, delay));
      json(res, fake.handle({ method, payload }));
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    fake,
    calls: fake.calls,
    arrivals,
    delays,
    push(...updates) {
      queue.push(...updates);
      for (const w of [...waiters]) w();
    },
    textsTo: (chatId) => fake.textsTo(chatId),
    close() {
      closed = true;
      for (const w of [...waiters]) w();
      return new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      });
    },
  };
}
