/**
 * The periodic retention purge: users inactive RETENTION_DAYS are forgotten
 * (sessions, conversations, stored messages: everything registered in
 * privacy.ts), and processed update ids older than a day are dropped.
 * Runs once at start, then every `intervalMs`. Runs never overlap. With several
 * instances each runs it; the deletes are idempotent, so that is harmless.
 */
import type { Logger } from "../logger.ts";
import { type ChatLock, purgeInactive, purgeProcessedUpdates } from "./privacy.ts";
import type { Repositories } from "./repositories.ts";

export const DAY_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_PURGE_INTERVAL_MS = 60 * 60 * 1000;

export interface RetentionOptions {
  repos: Repositories;
  /** the database's withLock: each user is purged under their chat's lock */
  withLock?: ChatLock;
  logger: Logger;
  retentionDays: number;
  now: () => number;
  intervalMs?: number;
}

export interface RetentionResult {
  users: number;
  updates: number;
}

export interface Retention {
  /** one purge now (also what the timer runs) */
  runOnce(): Promise<RetentionResult>;
  /** resolves when the purge running right now (if any) is done; no new runs start */
  stop(): Promise<void>;
}

export function startRetention(options: RetentionOptions): Retention {
  const { repos, logger } = options;
  const intervalMs = options.intervalMs ?? DEFAULT_PURGE_INTERVAL_MS;
  let running: Promise<RetentionResult> | undefined;
  let stopped = false;

  const purge = async (): Promise<RetentionResult> => {
    const now = options.now();
    const users = await purgeInactive(repos, now - options.retentionDays * DAY_MS, 500, options.withLock);
    const updates = await purgeProcessedUpdates(repos, now);
    if (users > 0) logger.info({ purged: users }, "retention purge");
    return { users, updates };
  };
  const runOnce = (): Promise<RetentionResult> => {
    if (running) return running;
    running = purge().finally(() => {
      running = undefined;
    });
    return running;
  };
  const tick = () => {
    if (stopped) return;
    runOnce().catch((err: unknown) => logger.error({ err }, "retention purge failed"));
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  tick();

  return {
    runOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
