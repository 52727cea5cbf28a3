/**
 * The send log: what every instance sent, per window key, so several instances on
 * one PostgreSQL keep one send budget (src/bot/budget.ts, sharedBudget). take()
 * checks and records a send under an advisory lock per key (in key order: never a
 * deadlock), in one transaction: two instances cannot both take the last slot.
 */
import { type Kysely, sql } from "kysely";
import { lockId } from "../db.ts";
import type { DB } from "../schema.ts";

export interface WindowLimit {
  key: string;
  limit: number;
  windowMs: number;
}

export interface SendLog {
  /**
   * record a send under every limit if each has room; returns 0 (taken) or when to
   * try again. The time is read once the locks are held (a wait for them must not
   * make the send look older than it is).
   */
  take(limits: readonly WindowLimit[], clock: () => number): Promise<number>;
  /** forget sends older than `before` */
  prune(before: number): Promise<number>;
}

export function createSendLog(db: Kysely<DB>): SendLog {
  return {
    async take(limits, clock) {
      const keys = [...new Set(limits.map((l) => l.key))].sort();
      return db.transaction().execute(async (trx) => {
        for (const k of keys) await sql`select pg_advisory_xact_lock(${lockId(`send:${k}`)}::bigint)`.execute(trx);
        const now = clock();
        let retryAt = 0;
        for (const l of limits) {
          const rows = await trx
            .selectFrom("send_log")
            .select("at")
            .where("key", "=", l.key)
            .where("at", ">", now - l.windowMs)
            .orderBy("at", "desc")
            .limit(l.limit)
            .execute();
          if (rows.length >= l.limit) retryAt = Math.max(retryAt, Number(rows[rows.length - 1]?.at) + l.windowMs);
        }
        if (retryAt > 0) return Math.max(retryAt, now + 1);
        await trx
          .insertInto("send_log")
          .values(keys.map((key) => ({ key, at: now })))
          .execute();
        return 0;
      });
    },
    async prune(before) {
      const r = await db.deleteFrom("send_log").where("at", "<", before).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}
