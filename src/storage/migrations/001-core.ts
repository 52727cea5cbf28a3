import type { Kysely } from "kysely";

// Migrations use only portable types: text, bigint (epoch ms, Telegram ids), integer (0/1 booleans).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("kv")
    .ifNotExists()
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("owner", "bigint")
    .addColumn("value", "text", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("kv_owner_idx").ifNotExists().on("kv").column("owner").execute();
  await db.schema
    .createTable("users")
    .ifNotExists()
    .addColumn("id", "bigint", (c) => c.primaryKey())
    .addColumn("first_seen_at", "bigint", (c) => c.notNull())
    .addColumn("last_seen_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("users_last_seen_idx").ifNotExists().on("users").column("last_seen_at").execute();
  await db.schema
    .createTable("processed_updates")
    .ifNotExists()
    .addColumn("update_id", "bigint", (c) => c.primaryKey())
    .addColumn("processed_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("processed_updates_at_idx")
    .ifNotExists()
    .on("processed_updates")
    .column("processed_at")
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("processed_updates").ifExists().execute();
  await db.schema.dropTable("users").ifExists().execute();
  await db.schema.dropTable("kv").ifExists().execute();
}
