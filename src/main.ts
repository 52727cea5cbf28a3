/**
 * Composition root: config → HTTP server (answers from the start) → database →
 * container → bot → polling | webhook | terminal, and graceful shutdown on
 * SIGTERM/SIGINT (stop taking updates, finish those in flight, close the
 * database, exit within 10 s).
 *
 * Sending: one send budget (src/bot/budget.ts) for replies and the desk outbox;
 * replies keep a bounded auto-retry, the desk outbox has its own Api and back-off.
 * Taking updates: the durable intake (src/bot/intake.ts): stored before confirmed.
 *
 * JALAN_PULANG_TEST_PAUSE (tests only): after-fetch | after-store | mid-handler.
 * The process stops at that point, says "test pause: <point>" on stderr and
 * waits there, so a test can kill it exactly there.
 */
import { createConcurrentSink, createRunner, createSource, type RunnerHandle } from "@grammyjs/runner";
import { config as loadDotenv } from "dotenv";
import { GrammyError, type Transformer } from "grammy";
import { PRIORITY, priorityHint, SendBudget, sharedBudget } from "./bot/budget.ts";
import { publishCommands } from "./bot/commands.ts";
import { runDeskWhenLeader } from "./bot/desk-leader.ts";
import { FakeTelegram } from "./bot/fake-api.ts";
import { ALLOWED_UPDATES, createBot } from "./bot/index.ts";
import { createIntake, type PausePoint } from "./bot/intake.ts";
import { createTelegramHealth } from "./bot/telegram-health.ts";
import { sendingTransformers } from "./bot/transformers.ts";
import { type Config, ConfigError, createConfig, type TerminalConfig } from "./config.ts";
import type { BotDeps } from "./bot/context.ts";
import { createContainer } from "./container.ts";
import { FactsError } from "./content/facts.ts";
import { defaultPacing } from "./domain/cases/outbox.ts";
import { createLogger, type Logger } from "./logger.ts";
import { startHttpServer, type RunningServer } from "./server/http.ts";
import { type Database, openDatabase } from "./storage/db.ts";
import { createSendLog } from "./storage/repositories/send-log.ts";
import { startRetention } from "./storage/retention.ts";
import { runTerminal } from "./terminal.ts";

const SHUTDOWN_DEADLINE_MS = 10_000;
/** the desk outbox's lease on a row; its calls time out well before */
const DESK_CALL_TIMEOUT_S = 30;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Test fault injection: wait forever at the named point (see the header). */
function testPause(env: string | undefined): (point: PausePoint) => Promise<void> {
  const points = new Set((env ?? "").split(",").map((s) => s.trim()).filter(Boolean));
  return async (point) => {
    if (!points.has(point)) return;
    points.delete(point); // once
    process.stderr.write(`test pause: ${point}\n`);
    await new Promise(() => undefined);
  };
}

async function openWithRetry(config: Config, logger: Logger): Promise<Database> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await openDatabase(config.database);
    } catch (err) {
      // SQLite is a local file: a failure will not go away by waiting.
      if (config.database.kind === "sqlite" || attempt >= 1000) throw err;
      const wait = Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5));
      logger.warn({ err, retry_s: wait / 1000 }, "the database cannot be reached yet");
      await sleep(wait);
    }
  }
}

/** Retention (purge inactive users and old update ids), now in the background and every hour. */
function retentionFor(deps: BotDeps, config: Config, logger: Logger) {
  return startRetention({
    repos: deps.repos,
    withLock: (key, fn) => deps.database.withLock(key, fn),
    logger,
    retentionDays: config.RETENTION_DAYS,
    now: deps.now,
  });
}

async function runTerminalMode(config: TerminalConfig, logger: Logger): Promise<void> {
  const deps = await createContainer(config, logger, { defaultMetrics: false });
  const fake = new FakeTelegram();
  const { bot, desk } = createBot(deps, { token: "0:terminal", fetch: fake.fetch, botInfo: fake.botInfo });
  const retention = retentionFor(deps, config, logger);
  await bot.init();
  const stopDesk = desk.start();
  await runTerminal(bot, fake, process.stdin, process.stdout);
  await stopDesk();
  await retention.stop();
  await deps.database.close().catch(() => undefined);
  process.exit(0);
}

async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  const config = createConfig(process.env);
  if (config.mode === "terminal") {
    const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY) || process.env.JALAN_PULANG_TERMINAL === "1";
    if (!interactive) {
      process.stderr.write(
        "No BOT_TOKEN is set and this is not an interactive terminal.\n" +
          "Set BOT_TOKEN (from @BotFather) to run on Telegram, or run `npm start` in a terminal for the offline chat.\n",
      );
      process.exit(2);
    }
    // In the terminal, logs would drown the chat: only warnings, to stderr.
    return runTerminalMode(config, createLogger(config.LOG_LEVEL === "info" ? "warn" : config.LOG_LEVEL, process.stderr as never));
  }
  const logger = createLogger(config.LOG_LEVEL);

  // The HTTP server first: /healthz answers from the start, /readyz 503 until the bot can work.
  const port = config.mode === "webhook" ? config.PORT : config.PORT;
  const http: RunningServer | undefined = port === undefined ? undefined : await startHttpServer({ port, host: config.HOST, logger });

  let stopping = false;
  const stops: { name: string; run: () => Promise<unknown> }[] = [];
  const opened: { database?: Database } = {};
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    const force = setTimeout(() => {
      logger.error("shutdown took too long; exiting");
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    force.unref();
    for (const s of stops) await s.run().catch((err: unknown) => logger.error({ err, step: s.name }, "stop failed"));
    await http?.close().catch(() => undefined);
    await opened.database?.close().catch(() => undefined);
    clearTimeout(force);
    process.exit(0);
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));

  const database = await openWithRetry(config, logger);
  opened.database = database;
  const rules = defaultPacing(config.DESK_GROUP_PER_MINUTE);
  // About one message a second per private chat, allowing a short burst (a reply of a few messages).
  const privateRule = { limit: Math.max(1, Math.round(config.PRIVATE_CHAT_PER_MINUTE / 12)), windowMs: 5_000 };
  const budget = new SendBudget({ rules: { ...rules, private: privateRule } });
  // Several instances on one PostgreSQL share the budget through the send log (one process on SQLite).
  const shared = database.tryLeaderLock ? sharedBudget(createSendLog(database.db), { ...rules, private: privateRule }) : undefined;
  const deps = await createContainer(config, logger, { database, defaultMetrics: true, budget });
  const health = createTelegramHealth(logger);
  const pause = testPause(process.env.JALAN_PULANG_TEST_PAUSE);
  const midHandler: Transformer = async (prev, method, payload, signal) => {
    const chat = (payload as { chat_id?: unknown } | undefined)?.chat_id;
    if (method === "sendMessage" && typeof chat === "number" && chat > 0) await pause("mid-handler");
    return prev(method, payload, signal);
  };
  const sending = sendingTransformers({ budget, health, ...(shared ? { shared } : {}) });
  const { bot, desk, pending } = createBot(deps, {
    token: config.BOT_TOKEN,
    ...(config.BOT_API_ROOT ? { apiRoot: config.BOT_API_ROOT } : {}),
    transformers: sending.transformers,
    replyTransformers: [...sending.replyTransformers, midHandler],
    deskTimeoutSeconds: DESK_CALL_TIMEOUT_S,
    priorityHint: (ctx) => priorityHint(budget, () => (ctx.triage?.urgent ? PRIORITY.danger : undefined)),
  });

  const retention = retentionFor(deps, config, logger);
  stops.push({ name: "retention", run: () => retention.stop() });

  // getMe: until Telegram answers (a warning within 5 s, then with back-off; a wrong token stops the bot).
  for (let attempt = 0; ; attempt++) {
    try {
      await bot.init();
      break;
    } catch (err) {
      if (err instanceof GrammyError && err.error_code === 401) throw new Error("Telegram rejected BOT_TOKEN (401 Unauthorized)", { cause: err });
      health.failed(err);
      if (stopping) return;
      await sleep(Math.min(60_000, 1000 * 2 ** Math.min(attempt, 6)));
    }
  }

  const intake = createIntake({
    bot,
    inbox: deps.repos.inbox,
    logger,
    translator: deps.translator,
    pending,
    storageHealth: deps.storageHealth,
    now: deps.now,
    pause,
    orderAcrossInstancesMs: config.mode === "webhook" ? 10_000 : 0,
  });
  // Not ready while Telegram cannot be reached, or while writes fail (updates are then kept and retried).
  const ready = async () => health.ok && deps.storageHealth.writable && (await deps.database.ping());
  // The "/" menu in each language; the bot works without it, so a failure is only logged.
  void publishCommands(bot.api, deps.translator, config.STAFF_CHAT_ID, config.STAFF_LANGUAGE).catch((err: unknown) =>
    logger.warn({ err }, "could not publish the command menu"),
  );

  let runner: RunnerHandle | undefined;
  // Updates an earlier run stored but did not finish go first.
  await intake.recover();
  if (config.mode === "webhook") {
    if (!http) throw new Error("webhook mode needs the HTTP server");
    http.attach({
      metrics: deps.metrics,
      ready,
      webhook: { path: config.webhookPath, secret: config.WEBHOOK_SECRET, target: intake.webhookTarget() as never },
    });
    const stopProbe = health.probe(bot.api);
    stops.push({ name: "probe", run: async () => stopProbe() });
    stops.push({ name: "http", run: () => http.close() });
    await bot.api.setWebhook(config.WEBHOOK_URL, { secret_token: config.WEBHOOK_SECRET, allowed_updates: [...ALLOWED_UPDATES] });
    logger.info({ port: http.port, mode: "webhook" }, "ready");
  } else {
    http?.attach({ metrics: deps.metrics, ready });
    await bot.api.deleteWebhook().catch(() => undefined);
    const source = createSource(intake.pollingSource({ allowed_updates: ALLOWED_UPDATES }, health));
    const sink = createConcurrentSink<Parameters<typeof intake.dispatch>[0]>(
      { consume: (u) => intake.dispatch(u) },
      async (err) => logger.error({ err }, "update failed"),
    );
    runner = createRunner(source, sink);
    runner.start();
    const r = runner;
    void r.task()?.catch((err: unknown) => {
      logger.fatal({ err }, "polling stopped");
      void shutdown("polling stopped");
    });
    // stop() only stops fetching: the updates already taken are finished below.
    stops.push({ name: "polling", run: () => r.stop() });
    logger.info({ mode: "polling", ...(http ? { port: http.port } : {}) }, "ready");
  }
  const stopSweeper = intake.startSweeper();
  stops.push({
    name: "updates in flight",
    run: async () => {
      stopSweeper();
      if (!(await intake.drain(SHUTDOWN_DEADLINE_MS - 2_000))) logger.warn("updates still in flight at shutdown");
    },
  });
  const stopDesk = runDeskWhenLeader({
    database: deps.database,
    desk,
    outbox: deps.repos.outbox,
    budget,
    chats: [config.STAFF_CHAT_ID, config.ESCALATION_CHAT_ID].filter((c): c is number => c !== undefined),
    logger,
  });
  stops.push({ name: "desk", run: () => stopDesk() });
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof FactsError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`Start-up failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
