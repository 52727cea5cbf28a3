/**
 * The inbox: updates Telegram delivered, stored before they are confirmed
 * (polling: before the next getUpdates moves the offset past them; webhook:
 * before the 200), and removed once their handling completed. What is left
 * after a crash is handled at the next start.
 */
import type { Kysely } from "kysely";
import type { Update } from "grammy/types";
import type { DB } from "../schema.ts";

export interface InboxEntry {
  update: Update;
  receivedAt: number;
}

export interface InboxRepository {
  /** store a batch in one transaction; returns the ids that were not stored yet */
  store(updates: readonly Update[], now: number, chatKey: (u: Update) => string | null): Promise<number[]>;
  /** is an earlier update of the same chat still waiting? */
  earlierPending(chatKey: string, updateId: number): Promise<boolean>;
  /** stored updates, oldest id first (received before `before`, when given) */
  pending(limit: number, before?: number): Promise<InboxEntry[]>;
  /** the update's handling completed */
  done(updateId: number): Promise<void>;
  count(): Promise<number>;
  /**
   * /forget and retention: the person's stored updates (their private chat's, or
   * theirs without a chat), those up to `upToUpdateId` and received before
   * `receivedBefore` when given; returns how many went.
   */
  deleteForUser(userId: number, scope?: { upToUpdateId?: number; receivedBefore?: number }): Promise<number>;
}

export function createInboxRepository(db: Kysely<DB>): InboxRepository {
  return {
    async store(updates, now, chatKey) {
      if (updates.length === 0) return [];
      return db.transaction().execute(async (trx) => {
        const fresh: number[] = [];
        for (const u of updates) {
          const r = await trx
            .insertInto("inbox")
            .values({ update_id: u.update_id, chat_key: chatKey(u), payload: JSON.stringify(u), received_at: now })
            .onConflict((oc) => oc.column("update_id").doNothing())
            .executeTakeFirst();
          if (Number(r.numInsertedOrUpdatedRows ?? 0n) === 1) fresh.push(u.update_id);
        }
        return fresh;
      });
    },
    async earlierPending(chatKey, updateId) {
      const r = await db
        .selectFrom("inbox")
        .select("update_id")
        .where("chat_key", "=", chatKey)
        .where("update_id", "<", updateId)
        .limit(1)
        .executeTakeFirst();
      return r !== undefined;
    },
    async pending(limit, before) {
      let q = db.selectFrom("inbox").selectAll().orderBy("update_id").limit(limit);
      if (before !== undefined) q = q.where("received_at", "<", before);
      const rows = await q.execute();
      return rows.map((r) => ({ update: JSON.parse(r.payload) as Update, receivedAt: Number(r.received_at) }));
    },
    async done(updateId) {
      await db.deleteFrom("inbox").where("update_id", "=", updateId).execute();
    },
    async deleteForUser(userId, scope = {}) {
      let q = db.deleteFrom("inbox").where("chat_key", "in", [`chat:${userId}`, `user:${userId}`]);
      if (scope.upToUpdateId !== undefined) q = q.where("update_id", "<=", scope.upToUpdateId);
      if (scope.receivedBefore !== undefined) q = q.where("received_at", "<", scope.receivedBefore);
      const r = await q.executeTakeFirst();
      return Number(r.numDeletedRows);
    },
    async count() {
      const r = await db.selectFrom("inbox").select((eb) => eb.fn.countAll().as("n")).executeTakeFirst();
      return Number(r?.n ?? 0);
    },
  };
}
