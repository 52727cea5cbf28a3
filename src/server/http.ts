/**
 * HTTP: /healthz, /readyz, /metrics and (webhook mode) the webhook. The server
 * answers from the start of the process: /healthz 200 while the process works,
 * /readyz 503 until the bot is attached and its checks pass (Telegram and the
 * database can be reached), and 503 again while they fail or while shutting
 * down. The webhook is grammY's webhookCallback (secret token checked in
 * constant time, a timeout) over the intake's target, which resolves once the
 * update is stored: the 200 means "stored", and the handling follows.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { type Bot, webhookCallback } from "grammy";
import { NotAnUpdate } from "../bot/intake.ts";
import type { Logger } from "../logger.ts";
import type { Metrics } from "../metrics.ts";
import { isStorageFailure } from "../storage/health.ts";

export interface HttpServerOptions {
  port: number;
  host?: string;
  logger: Logger;
}

export interface WebhookOptions {
  path: string;
  secret: string;
  /** what webhookCallback hands the update to (the intake's webhookTarget(): resolves once stored) */
  target: Bot<never>;
  /** answer 500 if storing took longer (Telegram delivers it again) */
  timeoutMs?: number;
}

export interface ServerParts {
  metrics: Metrics;
  /** can the bot work (database and Telegram reached)? */
  ready(): Promise<boolean>;
  webhook?: WebhookOptions;
}

export interface RunningServer {
  server: Server;
  port: number;
  /** the bot is built: serve readiness, metrics and the webhook */
  attach(parts: ServerParts): void;
  /** stop accepting; resolves when in-flight requests are done */
  close(): Promise<void>;
}

export function startHttpServer(options: HttpServerOptions): Promise<RunningServer> {
  const { logger } = options;
  let parts: ServerParts | undefined;
  let hook: ((req: IncomingMessage, res: ServerResponse) => Promise<void>) | undefined;
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
      const ok = !closing && parts !== undefined && (await parts.ready().catch(() => false));
      return send(res, ok ? 200 : 503, ok ? "ready" : parts ? "not ready" : "starting");
    }
    if (req.method === "GET" && url.pathname === "/metrics") {
      if (!parts) return send(res, 503, "starting");
      return send(res, 200, await parts.metrics.registry.metrics(), parts.metrics.registry.contentType);
    }
    if (parts?.webhook && url.pathname === parts.webhook.path) {
      if (req.method !== "POST") return send(res, 405, "method not allowed");
      if (closing || !hook) return send(res, 503, "shutting down");
      try {
        await hook(req, res);
      } catch (err) {
        if (res.headersSent) return;
        if (err instanceof SyntaxError || err instanceof NotAnUpdate) return send(res, 400, "bad request");
        // A storage fault is logged once at error level by storage health; each update at warn.
        logger[isStorageFailure(err) ? "warn" : "error"]({ err }, "webhook update not stored; Telegram will deliver it again");
        return send(res, 500, "error");
      }
      return;
    }
    if (!parts && url.pathname !== "/") return send(res, 503, "starting");
    return send(res, 404, "not found");
  };

  const server = createServer((req, res) => {
    handler(req, res).catch((err: unknown) => {
      logger.error({ err }, "http handler failed");
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
        attach(p) {
          parts = p;
          if (p.webhook) {
            hook = webhookCallback(p.webhook.target, "http", {
              secretToken: p.webhook.secret,
              timeoutMilliseconds: p.webhook.timeoutMs ?? 9_000,
              onTimeout: "throw",
            }) as unknown as (req: IncomingMessage, res: ServerResponse) => Promise<void>;
          }
        },
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
