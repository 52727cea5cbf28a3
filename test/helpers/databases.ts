/**
 * The databases every storage test runs against:
 * - SQLite: always (a temporary file);
 * - PostgreSQL: the real server when DATABASE_URL is set (CI sets it), each test
 *   in a schema of its own; otherwise an in-process PostgreSQL (PGlite).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { expect } from "vitest";
import { createRepositories } from "../../src/storage/repositories.ts";
import { createPgPool, type Database, migrate, openDatabase, postgresDatabase } from "../../src/storage/db.ts";

export type TestDbKind = "sqlite" | "postgres";
export const DB_KINDS: readonly TestDbKind[] = ["sqlite", "postgres"];

export interface TestDatabase {
  database: Database;
  kind: TestDbKind;
  /** "sqlite", "postgres" (real server) or "pglite" */
  engine: "sqlite" | "postgres" | "pglite";
  /** for the real server: a URL + search path another process can use */
  url?: string;
  searchPath?: string;
  /** sqlite file path, for another process */
  file?: string;
  cleanup(): Promise<void>;
}

let counter = 0;
const uniq = () => `${process.pid}_${Date.now().toString(36)}_${counter++}`;

/** A pg.Pool look-alike over one PGlite instance (one client at a time). */
export function pglitePool(lite: PGlite): pg.Pool {
  let busy: Promise<void> = Promise.resolve();
  const client = {
    async query(sqlText: string, params?: unknown[]) {
      const r = await lite.query(sqlText, params as unknown[] | undefined);
      const command = /^\s*(\w+)/.exec(sqlText)?.[1]?.toUpperCase() ?? "";
      return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length, command };
    },
    release() {},
  };
  return {
    async connect() {
      let release!: () => void;
      const prev = busy;
      busy = new Promise<void>((r) => {
        release = r;
      });
      await prev;
      return { ...client, release };
    },
    async end() {
      await lite.close();
    },
  } as unknown as pg.Pool;
}

export async function openTestDatabase(kind: TestDbKind): Promise<TestDatabase> {
  if (kind === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "jp-test-"));
    const file = join(dir, "test.db");
    const database = await openDatabase({ kind: "sqlite", file });
    return {
      database,
      kind,
      engine: "sqlite",
      file,
      async cleanup() {
        await database.close().catch(() => undefined);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const url = process.env.DATABASE_URL;
  if (url) {
    const schema = `t_${uniq()}`;
    const admin = createPgPool(url, 1);
    await admin.query(`create schema ${schema}`);
    const database = await openDatabase({ kind: "postgres", url, searchPath: schema });
    return {
      database,
      kind,
      engine: "postgres",
      url,
      searchPath: schema,
      async cleanup() {
        await database.close().catch(() => undefined);
        await admin.query(`drop schema if exists ${schema} cascade`).catch(() => undefined);
        await admin.end();
      },
    };
  }
  const database = await openPgliteDatabase();
  return {
    database,
    kind,
    engine: "pglite",
    async cleanup() {
      await database.close().catch(() => undefined);
    },
  };
}

/** A migrated in-process PostgreSQL (PGlite): for tests and benchmarks when no server is set. */
export async function openPgliteDatabase(): Promise<Database> {
  const lite = new PGlite({ parsers: { 20: (v: string) => Number(v) } });
  const database = postgresDatabase(pglitePool(lite), { sharedLocks: false, poolSize: 2 });
  await migrate(database.db);
  return database;
}

/** The SQL of every query that reaches the database while fn runs (Kysely's executor, wrapped for the time). */
export async function queriesDuring(database: Database, fn: () => Promise<void>): Promise<string[]> {
  const executor = database.db.getExecutor() as unknown as {
    executeQuery: (q: { sql: string }, ...rest: unknown[]) => unknown;
  };
  const original = executor.executeQuery.bind(executor);
  const seen: string[] = [];
  executor.executeQuery = (q, ...rest) => {
    seen.push(q.sql);
    return original(q, ...rest);
  };
  try {
    await fn();
  } finally {
    executor.executeQuery = original;
  }
  return seen;
}

/** Whether a PostgreSQL server answers at `url` (tests that need the real server skip without one). */
export async function postgresReachable(url: string | undefined, timeoutMs = 3000): Promise<boolean> {
  if (!url) return false;
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  try {
    await c.connect();
    await c.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

/**
 * The real process has nothing left to do: every stored update handled (the
 * inbox is empty) and every desk message sent (no outbox row pending or in
 * flight). What it would send twice has been sent by then: a test checks
 * "exactly once" after this, not after a sleep. `env` is the process's.
 */
export async function untilSettled(env: { DATA_DIR?: string; DATABASE_URL?: string }, timeoutMs = 30_000): Promise<void> {
  const database = await openDatabase(
    env.DATABASE_URL ? { kind: "postgres", url: env.DATABASE_URL, poolSize: 1 } : { kind: "sqlite", file: `${env.DATA_DIR ?? "./data"}/jalan-pulang.db` },
  );
  try {
    const repos = createRepositories(database);
    await expect.poll(async () => (await repos.inbox.count()) + (await repos.outbox.pendingCount()), { timeout: timeoutMs, interval: 100 }).toBe(0);
  } finally {
    await database.close();
  }
}
