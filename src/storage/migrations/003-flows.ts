import type { Kysely } from "kysely";

// Portable types only: text, bigint (epoch ms, Telegram ids).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("checklists")
    .ifNotExists()
    .addColumn("user_id", "bigint", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("data", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("checklists_pk", ["user_id", "kind"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("checklists").ifExists().execute();
}
