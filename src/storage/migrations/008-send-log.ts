import type { Kysely } from "kysely";

// The send budget shared by instances on one PostgreSQL: each send, per window key
// ("bot", "chat:<id>"), kept a few minutes. Portable types (SQLite creates it too, unused).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("send_log")
    .ifNotExists()
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("send_log_key_at_idx").ifNotExists().on("send_log").columns(["key", "at"]).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("send_log").ifExists().execute();
}
