/**
 * Updates whose handling failed because the database could not be written:
 * kept in memory, in arrival order, and handled again (not marked handled
 * before that) with a growing pause, until the database takes writes again.
 * The person got the hotlines at once; a case is opened on the retry.
 */
import type { Update } from "grammy/types";
import type { Logger } from "../../logger.ts";

export interface UpdateRetry {
  /** keep an update to handle again (no-op when already kept); `key`: its chat's (lockKey) */
  keep(update: Update, key: string): void;
  /** an update of this chat is kept: a newer one must wait behind it (order within a chat) */
  hasKeptFor(key: string): boolean;
  /** the update is being handled again (its first failure already got an answer) */
  isKept(updateId: number): boolean;
  /** handled: forget it */
  done(updateId: number): void;
  pending(): number;
  /** retry rounds finished so far (whether or not they succeeded) */
  rounds(): number;
  /** no more retries (shutdown) */
  stop(): void;
}

export interface UpdateRetryOptions {
  handle: (update: Update) => Promise<void>;
  logger: Logger;
  /** first pause; doubles up to maxMs */
  firstMs?: number;
  maxMs?: number;
  /** updates kept at most (the oldest are dropped beyond, and logged) */
  max?: number;
}

export function createUpdateRetry(o: UpdateRetryOptions): UpdateRetry {
  const firstMs = o.firstMs ?? 500;
  const maxMs = o.maxMs ?? 30_000;
  const max = o.max ?? 10_000;
  const kept = new Map<number, { update: Update; key: string }>(); // insertion order = arrival order
  const perKey = new Map<string, number>();
  const forget = (id: number) => {
    const entry = kept.get(id);
    if (!entry) return;
    kept.delete(id);
    const n = (perKey.get(entry.key) ?? 1) - 1;
    if (n <= 0) perKey.delete(entry.key);
    else perKey.set(entry.key, n);
  };
  let timer: NodeJS.Timeout | undefined;
  let pause = firstMs;
  let running = false;
  let stopped = false;
  let finished = 0;

  const schedule = () => {
    if (timer || running || stopped || kept.size === 0) return;
    timer = setTimeout(() => {
      timer = undefined;
      void round();
    }, pause);
    timer.unref();
  };

  async function round(): Promise<void> {
    running = true;
    try {
      for (const [id, { update }] of [...kept]) {
        if (stopped) return;
        try {
          await o.handle(update);
        } catch (err) {
          o.logger.warn({ err, update_id: id }, "retried update failed");
        }
        if (kept.has(id)) {
          // still failing: the database is not back yet; wait longer before the next round
          pause = Math.min(pause * 2, maxMs);
          return;
        }
        pause = firstMs;
      }
    } finally {
      running = false;
      finished++;
      schedule();
    }
  }

  return {
    keep(update, key) {
      if (stopped || kept.has(update.update_id)) return;
      if (kept.size >= max) {
        const oldest = kept.keys().next().value;
        if (oldest !== undefined) {
          forget(oldest);
          o.logger.error({ update_id: oldest }, "retry queue full: oldest kept update dropped");
        }
      }
      kept.set(update.update_id, { update, key });
      perKey.set(key, (perKey.get(key) ?? 0) + 1);
      schedule();
    },
    hasKeptFor: (key) => perKey.has(key),
    isKept: (id) => kept.has(id),
    done: forget,
    pending: () => kept.size,
    rounds: () => finished,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
