/**
 * HTTP: the webhook (secret header checked in constant time), /healthz,
 * /readyz (the database answers) and /metrics (Prometheus).
 */
import { timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Bot } from "grammy";
import type { Update } from "grammy/types";
import type { BotContext, BotDeps } from "../bot/context.ts";

export interface HttpServerOptions {
  deps: BotDeps;
  port: number;
  host?: string;
  webhook?: { bot: Bot<BotContext>; path: string; secret: string };
}

export interface RunningServer {
  server: Server;
  port: number;
  /** stop accepting; resolves when in-flight requests are done */
  close(): Promise<void>;
  /** webhook updates being handled right now */
  inFlight(): number;
}

const MAX_BODY = 1024 * 1024;

export function secretMatches(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== "string") return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  // Compare equal-length buffers so the time does not depend on where they differ.
  const padded = Buffer.alloc(b.length);
  a.copy(padded, 0, 0, Math.min(a.length, b.length));
  return timingSafeEqual(padded, b) && a.length === b.length;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error("body too large"));
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

export function startHttpServer(options: HttpServerOptions): Promise<RunningServer> {
  const { deps, webhook } = options;
  let inFlight = 0;
  let closing = false;

  const send = (res: ServerResponse, status: number, body: string, type = "text/plain; charset=utf-8") => {
    // While shutting down, close keep-alive connections after each answer, so
    // close() does not wait for idle sockets (Telegram keeps its connections open).
    res.writeHead(status, { "content-type": type, ...(closing ? { connection: "close" } : {}) });
    res.end(body);
  };

  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (req.method === "GET" && url.pathname === "/healthz") return send(res, 200, "ok");
    if (req.method === "GET" && url.pathname === "/readyz") {
      // not ready while writes fail (updates are then kept in memory and retried)
      const ok = !closing && deps.storageHealth.writable && (await deps.database.ping());
      return send(res, ok ? 200 : 503, ok ? "ready" : "not ready");
    }
    if (req.method === "GET" && url.pathname === "/metrics") {
      return send(res, 200, await deps.metrics.registry.metrics(), deps.metrics.registry.contentType);
    }
    if (webhook && url.pathname === webhook.path) {
      if (req.method !== "POST") return send(res, 405, "method not allowed");
      if (!secretMatches(req.headers["x-telegram-bot-api-secret-token"], webhook.secret)) {
        return send(res, 401, "unauthorized");
      }
      if (closing) return send(res, 503, "shutting down");
      let update: Update;
      try {
        update = JSON.parse(await readBody(req)) as Update;
        if (typeof update?.update_id !== "number") throw new Error("no update_id");
      } catch {
        return send(res, 400, "bad request");
      }
      inFlight++;
      try {
        await webhook.bot.handleUpdate(update);
        return send(res, 200, "", "application/json");
      } catch (err) {
        deps.logger.error({ err, update_id: update.update_id }, "webhook update failed");
        return send(res, 500, "error");
      } finally {
        inFlight--;
      }
    }
    return send(res, 404, "not found");
  };

  const server = createServer((req, res) => {
    handler(req, res).catch((err: unknown) => {
      deps.logger.error({ err }, "http handler failed");
      if (!res.headersSent) send(res, 500, "error");
    });
  });

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "0.0.0.0", () => {
      const addr = server.address();
      const port = typeof addr === "object" && addr ? addr.port : options.port;
      resolve({
        server,
        port,
        inFlight: () => inFlight,
        close: () =>
          new Promise<void>((done) => {
            closing = true;
            server.close(() => done());
            server.closeIdleConnections();
          }),
      });
    });
  });
}
