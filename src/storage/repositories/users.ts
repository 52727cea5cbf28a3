/** Users: first and last activity, for retention. No names or texts are stored here. */
import type { Kysely } from "kysely";
import type { DB } from "../schema.ts";
import { BoundedMap } from "../../domain/bounded-map.ts";

export interface UsersRepository {
  /**
   * Record activity. With `minIntervalMs`, last_seen_at moves only when it is that
   * much older (a no-op upsert then writes nothing: most messages cost no write).
   */
  touch(id: number, now?: number, minIntervalMs?: number): Promise<void>;
  /** ids of users whose last activity is before `before` (at most `limit`) */
  inactiveSince(before: number, limit: number): Promise<number[]>;
  delete(ids: readonly number[]): Promise<void>;
  lastSeen(id: number): Promise<number | undefined>;
}

/** Users whose last touch this process remembers (exclusive mode). */
const TOUCH_MEMO_MAX = 10_000;

/**
 * `exclusive`: this process is the database's only writer (SQLite), so a touch
 * it made itself less than `minIntervalMs` ago is skipped without a query. Not
 * for PostgreSQL: another instance may have deleted the row (/forget) meanwhile.
 */
export function createUsersRepository(db: Kysely<DB>, options: { exclusive?: boolean } = {}): UsersRepository {
  const touched = new BoundedMap<number, number>(TOUCH_MEMO_MAX);
  return {
    async touch(id, now = Date.now(), minIntervalMs = 0) {
      if (options.exclusive && minIntervalMs > 0) {
        const last = touched.get(id);
        if (last !== undefined && now - last < minIntervalMs && now >= last) return;
        touched.set(id, now);
      }
      try {
        await db
          .insertInto("users")
          .values({ id, first_seen_at: now, last_seen_at: now })
          .onConflict((oc) =>
            oc
              .column("id")
              .doUpdateSet({ last_seen_at: now })
              .where("users.last_seen_at", "<=", now - minIntervalMs),
          )
          .execute();
      } catch (err) {
        touched.delete(id); // not written: the next touch writes (else retention would never see this user)
        throw err;
      }
    },
    async inactiveSince(before, limit) {
      const rows = await db
        .selectFrom("users")
        .select("id")
        .where("last_seen_at", "<", before)
        .orderBy("last_seen_at")
        .limit(limit)
        .execute();
      return rows.map((r) => Number(r.id));
    },
    async delete(ids) {
      if (ids.length === 0) return;
      for (const id of ids) touched.delete(id);
      await db.deleteFrom("users").where("id", "in", ids).execute();
    },
    async lastSeen(id) {
      const r = await db.selectFrom("users").select("last_seen_at").where("id", "=", id).executeTakeFirst();
      return r ? Number(r.last_seen_at) : undefined;
    },
  };
}
