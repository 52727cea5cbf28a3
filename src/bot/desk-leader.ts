/**
 * One desk sender for all instances. On PostgreSQL the instances elect it with
 * pg_try_advisory_lock on a connection of its own; the others try again every
 * few seconds and take over within seconds when it dies (its connection, and
 * so its lock, goes with it). So the staff group's budget (20 a minute) is kept
 * by one sender, not N. A new sender first releases the rows the old one left
 * 'sending' (only the sender sends, so they are not in flight any more) and
 * starts its budget from what the outbox says was sent in the last minute.
 * On SQLite (one process) the desk simply starts.
 */
import type { Logger } from "../logger.ts";
import type { Database, LeaderLock } from "../storage/db.ts";
import type { OutboxRepository } from "../storage/repositories/outbox.ts";
import type { SendBudget } from "./budget.ts";

export interface DeskLeaderOptions {
  database: Database;
  desk: { start(): () => Promise<void> };
  outbox: OutboxRepository;
  budget?: SendBudget;
  /** chats whose recent sends seed the budget (the staff group, the escalation chat) */
  chats: readonly number[];
  logger: Logger;
  now?: () => number;
  /** how often a follower tries to take over */
  everyMs?: number;
}

const KEY = "desk:sender";

export function runDeskWhenLeader(o: DeskLeaderOptions): () => Promise<void> {
  const now = o.now ?? Date.now;
  if (!o.database.tryLeaderLock) return o.desk.start();
  const tryLock = o.database.tryLeaderLock.bind(o.database);
  let lock: LeaderLock | undefined;
  let stopDesk: (() => Promise<void>) | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let busy: Promise<void> = Promise.resolve();

  const step = async () => {
    if (lock && !lock.held()) {
      o.logger.warn("desk sender: lost the lead (its database connection); another instance takes over");
      lock = undefined;
      await stopDesk?.();
      stopDesk = undefined;
    }
    if (lock || stopped) return;
    lock = await tryLock(KEY);
    if (!lock) return;
    const released = await o.outbox.releaseLeases();
    const since = now() - 60_000;
    for (const chat of o.chats) o.budget?.seed(chat, await o.outbox.sentTimes(chat, since));
    o.logger.info({ resent: released }, "desk sender: this instance sends the desk outbox");
    if (!stopped) stopDesk = o.desk.start();
  };
  const loop = () => {
    busy = step().catch((err: unknown) => o.logger.warn({ err }, "desk sender: election failed"));
    void busy.then(() => {
      if (!stopped) timer = setTimeout(loop, o.everyMs ?? 2_000);
    });
  };
  loop();
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await busy;
    await stopDesk?.();
    await lock?.release();
  };
}
