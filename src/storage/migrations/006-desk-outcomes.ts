import type { Kysely } from "kysely";

// Desk: the outcome of a resolved case, when it was first claimed and first answered by staff
// (for /stats and /export), and a follow-up reminder. Portable types only.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("desk_cases").addColumn("outcome", "text").execute();
  await db.schema.alterTable("desk_cases").addColumn("claimed_at", "bigint").execute();
  await db.schema.alterTable("desk_cases").addColumn("first_reply_at", "bigint").execute();
  await db.schema.alterTable("desk_cases").addColumn("follow_up_at", "bigint").execute();
  await db.schema.createIndex("desk_cases_created_idx").ifNotExists().on("desk_cases").column("created_at").execute();
  await db.schema.createIndex("desk_cases_follow_up_idx").ifNotExists().on("desk_cases").column("follow_up_at").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("desk_cases_follow_up_idx").ifExists().execute();
  await db.schema.dropIndex("desk_cases_created_idx").ifExists().execute();
  for (const col of ["follow_up_at", "first_reply_at", "claimed_at", "outcome"]) {
    await db.schema.alterTable("desk_cases").dropColumn(col).execute();
  }
}
