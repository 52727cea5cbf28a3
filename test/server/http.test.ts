/** The HTTP server: webhook (grammY's webhookCallback: secret, store then 200), health, readiness, metrics, duplicates. */
import type { Update } from "grammy/types";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createIntake, type Intake } from "../../src/bot/intake.ts";
import { type RunningServer, startHttpServer } from "../../src/server/http.ts";
import { createTestBot, type TestBot, textUpdate, USER_ID } from "../helpers/bot.ts";

const SECRET = "s3cret_webhook_token_abcdef";
const PATH = "/telegram/hook";

let tb: TestBot | undefined;
let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  await tb?.close();
  tb = undefined;
});

let telegramOk = true;
async function start(): Promise<{ base: string; t: TestBot; intake: Intake }> {
  tb = await createTestBot();
  telegramOk = true;
  const t = tb;
  const logger = pino({ level: "silent" });
  server = await startHttpServer({ port: 0, host: "127.0.0.1", logger });
  const intake = createIntake({ bot: t.bot, inbox: t.deps.repos.inbox, logger, translator: t.deps.translator });
  server.attach({
    metrics: t.deps.metrics,
    ready: async () => telegramOk && (await t.deps.database.ping()),
    webhook: { path: PATH, secret: SECRET, target: intake.webhookTarget() as never },
  });
  return { base: `http://127.0.0.1:${server.port}`, t, intake };
}

const user = { id: USER_ID, first_name: "Tester", language_code: "id" };

function post(base: string, body: unknown, secret?: string): Promise<Response> {
  return fetch(`${base}${PATH}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(secret !== undefined ? { "x-telegram-bot-api-secret-token": secret } : {}) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

describe("webhook", () => {
  it("answers 401 without the secret header or with a wrong one, and handles nothing", async () => {
    const { base, t } = await start();
    const u = textUpdate("/start", user);
    expect((await post(base, u)).status).toBe(401);
    expect((await post(base, u, "wrong_secret_wrong_secret")).status).toBe(401);
    expect((await post(base, u, SECRET.slice(0, -1))).status).toBe(401);
    expect(t.api.calls).toEqual([]);
    expect(await t.deps.repos.inbox.count()).toBe(0);
    expect(await t.deps.repos.updates.isProcessed(u.update_id)).toBe(false);
  });

  it("answers 200 once the update is stored; it is handled from the inbox, then leaves it", async () => {
    const { base, t, intake } = await start();
    // Hold the handling: the 200 must not wait for it.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const bot = t.bot;
    const handle = bot.handleUpdate.bind(bot);
    bot.handleUpdate = async (u, env) => {
      await held;
      return handle(u, env);
    };
    const u = textUpdate("/start", user);
    const res = await post(base, u, SECRET);
    expect(res.status).toBe(200);
    expect(await t.deps.repos.inbox.count()).toBe(1);
    expect(t.replies()).toEqual([]);
    release();
    await intake.drain(5_000);
    expect(t.replies()[0]).toContain("BUKAN KBRI");
    expect(await t.deps.repos.kv.get(`session:${USER_ID}`)).toMatchObject({ welcomed: true });
    expect(await t.deps.repos.inbox.count()).toBe(0);
    expect(await t.deps.repos.updates.isProcessed(u.update_id)).toBe(true);
  });

  it("answers 500 (no 200) when the update cannot be stored; the person still gets the hotlines", async () => {
    const { base, t } = await start();
    t.deps.repos.inbox.store = () => Promise.reject(new Error("disk full"));
    const res = await post(base, textUpdate("tolong", user), SECRET);
    expect(res.status).toBe(500);
    expect(t.replies()).toHaveLength(1);
    expect(t.replies()[0]).toContain("+");
    // Telegram delivers it again: no second hotline message for the same update.
    expect((await post(base, textUpdate("tolong", user), SECRET)).status).toBe(500);
  });

  it("rejects a bad body (400) and other methods (405); unknown paths are 404", async () => {
    const { base, t } = await start();
    expect((await post(base, "{not json", SECRET)).status).toBe(400);
    expect((await post(base, { no: "update_id" }, SECRET)).status).toBe(400);
    expect((await fetch(`${base}${PATH}`)).status).toBe(405);
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    expect(t.api.calls).toEqual([]);
  });

  it("an update delivered twice (one after the other, and at the same time) is handled once", async () => {
    const { base, t, intake } = await start();
    const first = textUpdate("/start", user);
    expect((await post(base, first, SECRET)).status).toBe(200);
    await intake.drain(5_000);
    const afterFirst = t.replies().length;
    expect(afterFirst).toBeGreaterThan(0);
    expect((await post(base, first, SECRET)).status).toBe(200);
    await intake.drain(5_000);
    expect(t.replies()).toHaveLength(afterFirst);

    const second: Update = textUpdate("/menu", user);
    const statuses = await Promise.all([1, 2, 3].map(() => post(base, second, SECRET).then((r) => r.status)));
    expect(statuses).toEqual([200, 200, 200]);
    await intake.drain(5_000);
    expect(t.replies()).toHaveLength(afterFirst + 1);
  });
});

describe("health, readiness and metrics", () => {
  it("answers from the start: /healthz 200, /readyz and the webhook 503 until the bot is attached", async () => {
    server = await startHttpServer({ port: 0, host: "127.0.0.1", logger: pino({ level: "silent" }) });
    const base = `http://127.0.0.1:${server.port}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    expect((await post(base, textUpdate("/start", user), SECRET)).status).toBe(503);
  });

  it("/readyz is 200 while Telegram and the database answer; 503 during a Telegram outage or once the database is closed", async () => {
    const { base, t } = await start();
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    telegramOk = false;
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    telegramOk = true;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    await t.deps.database.close();
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it("/metrics counts updates by type, API calls, errors and handling time; no user or chat ids", async () => {
    const { base, t, intake } = await start();
    await post(base, textUpdate("/start", user), SECRET);
    await post(base, textUpdate("halo", { ...user, id: 777_000_111 }), SECRET);
    await intake.drain(5_000);
    // A failing Bot API: the handler error is counted, and the update still answers 200.
    t.api.responder = (call) =>
      call.method === "sendMessage" ? { ok: false, error_code: 400, description: "Bad Request: boom" } : undefined;
    expect((await post(base, textUpdate("/menu", user), SECRET)).status).toBe(200);
    await intake.drain(5_000);
    t.api.responder = undefined;
    await post(
      base,
      {
        update_id: 900_000_001,
        callback_query: {
          id: "cb1",
          from: { id: USER_ID, is_bot: false, first_name: "Tester" },
          chat_instance: "x",
          data: "m",
          message: { message_id: 1, date: 1, chat: { id: USER_ID, type: "private", first_name: "T" }, text: "…" },
        },
      },
      SECRET,
    );
    await intake.drain(5_000);
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const text = await res.text();
    expect(text).toMatch(/^bot_updates_total\{type="message"\} 3$/m);
    expect(text).toMatch(/^bot_updates_total\{type="callback_query"\} 1$/m);
    expect(text).toMatch(/^bot_api_calls_total\{method="sendMessage"\} \d+$/m);
    expect(text).toMatch(/^bot_api_calls_total\{method="answerCallbackQuery"\} 1$/m);
    expect(text).toMatch(/^bot_handler_errors_total\{kind="GrammyError"\} 1$/m);
    expect(text).toMatch(/^bot_update_handle_seconds_count 4$/m);
    expect(text).toMatch(/^bot_update_handle_seconds_bucket\{le="0.005"\} \d+$/m);
    // Low cardinality: no ids, no texts.
    expect(text).not.toContain(String(USER_ID));
    expect(text).not.toContain("777000111");
    expect(text).not.toContain("900000001");
    expect(text).not.toContain("halo");
    const labels = [...text.matchAll(/\{([^}]*)\}/g)].flatMap((m) => m[1]!.split(",").map((kv) => kv.split("=")[0]));
    expect(new Set(labels)).toEqual(new Set(["type", "method", "kind", "le"]));
  });
});
