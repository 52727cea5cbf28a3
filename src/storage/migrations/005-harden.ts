import { type Kysely, PostgresAdapter, sql } from "kysely";

/**
 * Case numbers are never reused: a number once given (even to a case deleted
 * since, by /forget or retention) is never given again, so an old card, button
 * or audit entry can never point at another person's case. PostgreSQL: a
 * sequence as the column default. SQLite: the table rebuilt with
 * INTEGER PRIMARY KEY AUTOINCREMENT (SQLite cannot alter a column). Both start
 * after the highest number ever seen, in the cases, the audit log or the outbox,
 * and existing cases keep their numbers.
 */
async function highestCaseNumber(db: Kysely<unknown>): Promise<number> {
  const r = await sql<{ m: number | string | null }>`
    select max(m) as m from (
      select max(id) as m from desk_cases
      union all select max(case_id) from desk_audit
      union all select max(case_id) from desk_outbox
      union all select max(thread_case_id) from desk_outbox
    ) t`.execute(db);
  return Number(r.rows[0]?.m ?? 0);
}

const CASE_COLUMNS = `user_id bigint not null, status text not null, priority text not null, lang text not null,
  writer text not null, signals text not null, thread_id bigint, card_message_id bigint, claimed_by bigint,
  claimed_by_name text, contact_consent integer, user_name text, preview text not null, created_at bigint not null,
  updated_at bigint not null, last_user_at bigint not null, escalated_at bigint, resolved_at bigint`;

export async function up(db: Kysely<unknown>): Promise<void> {
  const highest = await highestCaseNumber(db);
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`create sequence if not exists desk_cases_id_seq`.execute(db);
    await sql`select setval('desk_cases_id_seq', ${highest + 1}::bigint, false)`.execute(db);
    await sql`alter table desk_cases alter column id set default nextval('desk_cases_id_seq')`.execute(db);
    await sql`alter sequence desk_cases_id_seq owned by desk_cases.id`.execute(db);
    return;
  }
  await sql.raw(`create table desk_cases_next (id integer primary key autoincrement, ${CASE_COLUMNS})`).execute(db);
  await sql`insert into desk_cases_next select * from desk_cases`.execute(db);
  await sql`drop table desk_cases`.execute(db);
  await sql`alter table desk_cases_next rename to desk_cases`.execute(db);
  // AUTOINCREMENT keeps the highest number given in sqlite_sequence: start it after every number seen.
  await sql`delete from sqlite_sequence where name = 'desk_cases'`.execute(db);
  await sql`insert into sqlite_sequence (name, seq) values ('desk_cases', ${highest})`.execute(db);
  await db.schema.createIndex("desk_cases_user_idx").ifNotExists().on("desk_cases").columns(["user_id", "status"]).execute();
  await db.schema.createIndex("desk_cases_thread_idx").ifNotExists().on("desk_cases").column("thread_id").execute();
  await db.schema.createIndex("desk_cases_status_idx").ifNotExists().on("desk_cases").columns(["status", "priority"]).execute();
}

export async function down(): Promise<void> {
  // Numbers given out stay given out: nothing to undo.
}
