import type { Kysely } from "kysely";

// Desk: the "urgent now" board is the latest sent outbox row of its kind (and a new
// sender's budget reads the recent sends of a chat): an index to find them at once.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex("desk_outbox_sent_idx").ifNotExists().on("desk_outbox").columns(["chat_id", "kind", "status", "sent_at"]).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("desk_outbox_sent_idx").ifExists().execute();
}
