import type { Kysely } from "kysely";

// The inbox: each update Telegram delivered, stored before it is confirmed (polling:
// the next getUpdates offset; webhook: the 200), removed once its handling completed.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("inbox")
    .ifNotExists()
    .addColumn("update_id", "bigint", (c) => c.primaryKey())
    .addColumn("chat_key", "text")
    .addColumn("payload", "text", (c) => c.notNull())
    .addColumn("received_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("inbox_chat_idx").ifNotExists().on("inbox").columns(["chat_key", "update_id"]).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("inbox").ifExists().execute();
}
