/** Ids of processed updates, kept for a day, so an update delivered twice is handled once. */
import type { Kysely } from "kysely";
import type { DB } from "../schema.ts";

export interface UpdatesRepository {
  isProcessed(updateId: number): Promise<boolean>;
  markProcessed(updateId: number, now?: number): Promise<void>;
  purgeOlderThan(before: number): Promise<number>;
}

export function createUpdatesRepository(db: Kysely<DB>): UpdatesRepository {
  return {
    async isProcessed(updateId) {
      const r = await db
        .selectFrom("processed_updates")
        .select("update_id")
        .where("update_id", "=", updateId)
        .executeTakeFirst();
      return r !== undefined;
    },
    async markProcessed(updateId, now = Date.now()) {
      await db
        .insertInto("processed_updates")
        .values({ update_id: updateId, processed_at: now })
        .onConflict((oc) => oc.column("update_id").doNothing())
        .execute();
    },
    async purgeOlderThan(before) {
      const r = await db.deleteFrom("processed_updates").where("processed_at", "<", before).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}
