import type { Kysely } from "kysely";

// Staff desk. Portable types only: text, bigint (epoch ms, Telegram ids), integer (0/1).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("desk_cases")
    .ifNotExists()
    .addColumn("id", "bigint", (c) => c.primaryKey())
    .addColumn("user_id", "bigint", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("priority", "text", (c) => c.notNull())
    .addColumn("lang", "text", (c) => c.notNull())
    .addColumn("writer", "text", (c) => c.notNull())
    .addColumn("signals", "text", (c) => c.notNull())
    .addColumn("thread_id", "bigint")
    .addColumn("card_message_id", "bigint")
    .addColumn("claimed_by", "bigint")
    .addColumn("claimed_by_name", "text")
    .addColumn("contact_consent", "integer")
    .addColumn("user_name", "text")
    .addColumn("preview", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addColumn("last_user_at", "bigint", (c) => c.notNull())
    .addColumn("escalated_at", "bigint")
    .addColumn("resolved_at", "bigint")
    .execute();
  await db.schema.createIndex("desk_cases_user_idx").ifNotExists().on("desk_cases").columns(["user_id", "status"]).execute();
  await db.schema.createIndex("desk_cases_thread_idx").ifNotExists().on("desk_cases").column("thread_id").execute();
  await db.schema.createIndex("desk_cases_status_idx").ifNotExists().on("desk_cases").columns(["status", "priority"]).execute();

  await db.schema
    .createTable("desk_outbox")
    .ifNotExists()
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("seq", "bigint", (c) => c.notNull())
    .addColumn("chat_id", "bigint", (c) => c.notNull())
    .addColumn("thread_case_id", "bigint")
    .addColumn("case_id", "bigint")
    .addColumn("owner", "bigint")
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("priority", "integer", (c) => c.notNull())
    .addColumn("payload", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull())
    .addColumn("next_attempt_at", "bigint", (c) => c.notNull())
    .addColumn("locked_until", "bigint", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("sent_at", "bigint")
    .addColumn("result", "text")
    .addColumn("error", "text")
    .execute();
  await db.schema
    .createIndex("desk_outbox_ready_idx")
    .ifNotExists()
    .on("desk_outbox")
    .columns(["status", "next_attempt_at", "priority", "seq"])
    .execute();
  await db.schema.createIndex("desk_outbox_owner_idx").ifNotExists().on("desk_outbox").column("owner").execute();

  await db.schema
    .createTable("desk_audit")
    .ifNotExists()
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("case_id", "bigint")
    .addColumn("actor_id", "bigint", (c) => c.notNull())
    .addColumn("actor_name", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("detail", "text")
    .addColumn("at", "bigint", (c) => c.notNull())
    .addColumn("seq", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("desk_audit_case_idx").ifNotExists().on("desk_audit").columns(["case_id", "seq"]).execute();

  await db.schema
    .createTable("desk_blocks")
    .ifNotExists()
    .addColumn("user_id", "bigint", (c) => c.primaryKey())
    .addColumn("until", "bigint", (c) => c.notNull())
    .addColumn("by_id", "bigint", (c) => c.notNull())
    .addColumn("at", "bigint", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("desk_blocks").ifExists().execute();
  await db.schema.dropTable("desk_audit").ifExists().execute();
  await db.schema.dropTable("desk_outbox").ifExists().execute();
  await db.schema.dropTable("desk_cases").ifExists().execute();
}
