/**
 * Composition root: config → container → bot → polling | webhook | terminal,
 * and graceful shutdown on SIGTERM/SIGINT (stop taking updates, finish those in
 * flight, close the database, exit within 10 s).
 */
import { autoRetry } from "@grammyjs/auto-retry";
import { run } from "@grammyjs/runner";
import { config as loadDotenv } from "dotenv";
import { publishCommands } from "./bot/commands.ts";
import { ALLOWED_UPDATES, createBot } from "./bot/index.ts";
import { FakeTelegram } from "./bot/fake-api.ts";
import { trackInFlight } from "./bot/in-flight.ts";
import { ConfigError, createConfig } from "./config.ts";
import { createContainer } from "./container.ts";
import { FactsError } from "./content/facts.ts";
import { createLogger } from "./logger.ts";
import { startHttpServer, type RunningServer } from "./server/http.ts";
import { startRetention } from "./storage/retention.ts";
import { runTerminal } from "./terminal.ts";

const SHUTDOWN_DEADLINE_MS = 10_000;

async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  const config = createConfig(process.env);
  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY) || process.env.JALAN_PULANG_TERMINAL === "1";
  if (config.mode === "terminal" && !interactive) {
    process.stderr.write(
      "No BOT_TOKEN is set and this is not an interactive terminal.\n" +
        "Set BOT_TOKEN (from @BotFather) to run on Telegram, or run `npm start` in a terminal for the offline chat.\n",
    );
    process.exit(2);
  }
  // In the terminal, logs would drown the chat: only warnings, to stderr.
  const logger =
    config.mode === "terminal"
      ? createLogger(config.LOG_LEVEL === "info" ? "warn" : config.LOG_LEVEL, process.stderr as never)
      : createLogger(config.LOG_LEVEL);
  const deps = await createContainer(config, logger, { defaultMetrics: config.mode !== "terminal" });

  const fake = config.mode === "terminal" ? new FakeTelegram() : undefined;
  const { bot, desk } = createBot(deps, {
    token: config.BOT_TOKEN ?? "0:terminal",
    ...(config.BOT_API_ROOT ? { apiRoot: config.BOT_API_ROOT } : {}),
    ...(fake ? { fetch: fake.fetch, botInfo: fake.botInfo } : {}),
    ...(fake ? {} : { transformers: [autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: 60 })] }),
  });

  const inFlight = trackInFlight(bot);
  const stops: (() => Promise<void>)[] = [];
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    const force = setTimeout(() => {
      logger.error("shutdown took too long; exiting");
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    force.unref();
    for (const stop of stops.reverse()) await stop().catch((err: unknown) => logger.error({ err }, "stop failed"));
    await deps.database.close().catch(() => undefined);
    clearTimeout(force);
    process.exit(0);
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));

  // Retention: purge inactive users and old update ids, now (in the background) and every hour.
  const retention = startRetention({
    repos: deps.repos,
    withLock: (key, fn) => deps.database.withLock(key, fn),
    logger,
    retentionDays: config.RETENTION_DAYS,
    now: deps.now,
  });
  stops.push(() => retention.stop());

  if (config.mode === "terminal" && fake) {
    await bot.init();
    const stopDesk = desk.start();
    stops.push(stopDesk);
    await runTerminal(bot, fake, process.stdin, process.stdout);
    await shutdown("EOF");
    return;
  }

  await bot.init();
  // The "/" menu in each language; the bot works without it, so a failure is only logged.
  void publishCommands(bot.api, deps.translator, config.STAFF_CHAT_ID, config.STAFF_LANGUAGE).catch((err: unknown) =>
    logger.warn({ err }, "could not publish the command menu"),
  );
  let http: RunningServer | undefined;
  if (config.mode === "webhook" && config.WEBHOOK_URL && config.WEBHOOK_SECRET) {
    http = await startHttpServer({
      deps,
      port: config.PORT ?? 8080,
      host: config.HOST,
      webhook: { bot, path: config.webhookPath, secret: config.WEBHOOK_SECRET },
    });
    stops.push(() => http?.close() ?? Promise.resolve());
    await bot.api.setWebhook(config.WEBHOOK_URL, {
      secret_token: config.WEBHOOK_SECRET,
      allowed_updates: [...ALLOWED_UPDATES],
    });
    logger.info({ port: http.port, mode: "webhook" }, "ready");
  } else {
    if (config.PORT !== undefined) {
      http = await startHttpServer({ deps, port: config.PORT, host: config.HOST });
      stops.push(() => http?.close() ?? Promise.resolve());
    }
    await bot.api.deleteWebhook().catch(() => undefined);
    const runner = run(bot, { runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES] } } });
    stops.push(async () => {
      // stop() only stops fetching: then wait for the updates already being handled.
      await runner.stop();
      if (!(await inFlight.drain(SHUTDOWN_DEADLINE_MS - 2_000))) logger.warn("updates still in flight at shutdown");
    });
    logger.info({ mode: "polling", ...(http ? { port: http.port } : {}) }, "ready");
  }
  stops.push(desk.start());
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof FactsError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`Start-up failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
