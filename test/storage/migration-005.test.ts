/**
 * Migration 005-harden on a database that already has cases: existing cases keep
 * their numbers, and new numbers start after the highest ever given (also one only
 * the audit log or the outbox still mentions, of a case deleted before).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { type Kysely, Migrator, sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { createPgPool, type Database, postgresDatabase, sqliteDatabase } from "../../src/storage/db.ts";
import { migrations } from "../../src/storage/migrations/index.ts";
import { createRepositories } from "../../src/storage/repositories.ts";
import { DB_KINDS, pglitePool } from "../helpers/databases.ts";

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

async function unmigrated(kind: (typeof DB_KINDS)[number]): Promise<Database> {
  if (kind === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "jp-m005-"));
    const database = sqliteDatabase(join(dir, "m.db"));
    cleanup = async () => {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    };
    return database;
  }
  const url = process.env.DATABASE_URL;
  if (url) {
    const schema = `t_m005_${process.pid}_${Date.now().toString(36)}`;
    const admin = createPgPool(url, 1);
    await admin.query(`create schema ${schema}`);
    const database = postgresDatabase(createPgPool(url, 2, schema), { sharedLocks: true, poolSize: 2 });
    cleanup = async () => {
      await database.close();
      await admin.query(`drop schema if exists ${schema} cascade`);
      await admin.end();
    };
    return database;
  }
  const database = postgresDatabase(pglitePool(new PGlite({ parsers: { 20: (v: string) => Number(v) } })), { sharedLocks: false, poolSize: 2 });
  cleanup = () => database.close();
  return database;
}

/** Kysely's Migrator as db.ts sets it up (on PostgreSQL, its tables pinned to the connection's schema). */
async function migrator(database: Database) {
  const db = database.db as unknown as Kysely<unknown>;
  const schema =
    database.dialect === "postgres" ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]?.s : undefined;
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: "schema_migrations",
    migrationLockTableName: "schema_migrations_lock",
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
}

const caseRow = (id: number, userId: number) => ({
  id,
  user_id: userId,
  status: "open",
  priority: "urgent",
  lang: "id",
  writer: "worker",
  signals: "[]",
  preview: `preview ${id}`,
  created_at: 1,
  updated_at: 1,
  last_user_at: 1,
});

describe.each(DB_KINDS)("migration 005-harden (%s)", (kind) => {
  it("keeps existing case numbers; new ones start after the highest ever seen", async () => {
    const database = await unmigrated(kind);
    const m = await migrator(database);
    const upTo3 = await m.migrateTo("003-flows");
    expect(upTo3.error).toBeUndefined();
    const db = database.db.withoutPlugins() as unknown as Kysely<Record<string, Record<string, unknown>>>;
    await db.insertInto("desk_cases").values([caseRow(3, 30), caseRow(7, 70)]).execute();
    // #9 was deleted before the upgrade; only its audit entry remains
    await db
      .insertInto("desk_audit")
      .values({ id: "a9", case_id: 9, actor_id: 0, actor_name: "system", action: "created", detail: null, at: 1, seq: 1 })
      .execute();
    const rest = await m.migrateToLatest();
    expect(rest.error).toBeUndefined();
    expect(rest.results?.map((r) => r.migrationName)).toContain("005-harden");

    const repos = createRepositories(database);
    expect((await repos.cases.get(3))?.preview).toBe("preview 3");
    expect((await repos.cases.get(7))?.userId).toBe(70);
    const next = await repos.cases.create({ userId: 1, priority: "normal", lang: "en", writer: "worker", signals: [], preview: "", now: 2 });
    expect(next.id).toBe(10);
    await repos.privacy.forget(1);
    const after = await repos.cases.create({ userId: 2, priority: "normal", lang: "en", writer: "worker", signals: [], preview: "", now: 3 });
    expect(after.id).toBe(11);
  }, 120_000); // an in-process PostgreSQL (PGlite) takes long to start on a busy machine
});
