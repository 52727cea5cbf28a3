/**
 * One query layer (Kysely) over two databases: SQLite (better-sqlite3, WAL, one
 * file under DATA_DIR) by default, PostgreSQL (pg) when DATABASE_URL is set.
 * Tests can also pass an in-process PostgreSQL (PGlite) through `pgliteDatabase`.
 * Repositories (storage/repositories) are the only place with SQL.
 */
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import SQLite from "better-sqlite3";
import {
  Kysely,
  type MigrationResultSet,
  Migrator,
  PostgresAdapter,
  PostgresDialect,
  sql,
} from "kysely";
import pg from "pg";
import type { Logger } from "../logger.ts";
import { migrations } from "./migrations/index.ts";
import type { DB } from "./schema.ts";
import { FastSqliteDialect } from "./sqlite-dialect.ts";

export type Dialect = "sqlite" | "postgres";

export interface Database {
  readonly db: Kysely<DB>;
  readonly dialect: Dialect;
  /**
   * Run fn while holding an exclusive lock for `key` across every instance that
   * shares this database (PostgreSQL advisory lock; in-process for SQLite, which
   * one process owns).
   */
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T>;
  /** true when the database answers */
  ping(): Promise<boolean>;
  close(): Promise<void>;
  /**
   * Several instances (PostgreSQL): try to become the one holder of `key`, on a
   * connection of its own (pg_try_advisory_lock), held until released or until that
   * connection dies. Absent: this process is the only one (SQLite, PGlite).
   */
  tryLeaderLock?(key: string): Promise<LeaderLock | undefined>;
}

export interface LeaderLock {
  /** false once the lock's connection was lost (another instance may hold it now) */
  held(): boolean;
  release(): Promise<void>;
}

export type DatabaseConfig =
  | { kind: "sqlite"; file: string }
  | { kind: "postgres"; url: string; poolSize?: number; /** tests: a schema of their own */ searchPath?: string };

/** The lock key of a chat (a private chat's id is the user's id): updates and purges of it take this lock. */
export const chatLockKey = (chatId: number): string => `chat:${chatId}`;

/** In-process keyed mutex: calls with the same key run one after another. */
export function createKeyedMutex() {
  const tails = new Map<string, Promise<unknown>>();
  return async function withLocal<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => {
      release = r;
    });
    const tail = prev.then(() => mine);
    tails.set(key, tail);
    await prev.catch(() => undefined);
    try {
      return await fn();
    } finally {
      release();
      if (tails.get(key) === tail) tails.delete(key);
    }
  };
}

/** 64-bit FNV-1a of the key, as a signed bigint string, for pg_advisory_lock. */
export function lockId(key: string): string {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < key.length; i++) {
    h ^= BigInt(key.charCodeAt(i));
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return BigInt.asIntN(64, h).toString();
}

/**
 * Apply pending migrations. Safe to run twice and from several instances at once:
 * PostgreSQL serialises migrators with an advisory lock (Kysely); SQLite callers in
 * one process queue per file, and another process that finds the file busy retries.
 */
export async function migrate(db: Kysely<DB>): Promise<MigrationResultSet> {
  // PostgreSQL: Kysely looks for its bookkeeping tables in EVERY schema unless told
  // which one, so a second schema in the same database (another deployment, a test)
  // would be taken as migrated. Pin them to the schema the connection writes to.
  let migrationTableSchema: string | undefined;
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    const r = await sql<{ s: string | null }>`select current_schema() as s`.execute(db);
    migrationTableSchema = r.rows[0]?.s ?? undefined;
  }
  const migrator = new Migrator({
    db: db as unknown as Kysely<unknown>,
    provider: { getMigrations: async () => migrations },
    migrationTableName: "schema_migrations",
    migrationLockTableName: "schema_migrations_lock",
    ...(migrationTableSchema ? { migrationTableSchema } : {}),
  });
  const result = await migrator.migrateToLatest();
  if (result.error) throw result.error;
  return result;
}

/** SQLite migrations of one file run one at a time in this process. */
const sqliteMigrations = createKeyedMutex();

async function migrateSqlite(database: Database, file: string): Promise<void> {
  const key = file === ":memory:" ? `memory:${Math.random()}` : resolve(file);
  await sqliteMigrations(key, async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        await migrate(database.db);
        return;
      } catch (err) {
        // Another process is migrating the same file: wait and look again.
        const code = (err as { code?: string }).code ?? "";
        if (!code.startsWith("SQLITE_BUSY") || attempt >= 20) throw err;
        await new Promise((r) => setTimeout(r, 50 * attempt));
      }
    }
  });
}

export function sqliteDatabase(file: string): Database {
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  // None: the driver is synchronous, and any wait inside it freezes the whole process.
  // Waiting for another process's lock happens off the event loop (sqlite-dialect.ts).
  sqlite.pragma("busy_timeout = 0");
  sqlite.pragma("foreign_keys = ON");
  const db = new Kysely<DB>({ dialect: new FastSqliteDialect(sqlite) });
  const withLocal = createKeyedMutex();
  return {
    db,
    dialect: "sqlite",
    withLock: withLocal,
    async ping() {
      try {
        sqlite.prepare("select 1").get();
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await db.destroy();
    },
  };
}

/** At most `n` callers at once; the rest wait in order. */
export function createSemaphore(n: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async function withPermit<T>(fn: () => Promise<T>): Promise<T> {
    if (active >= n) await new Promise<void>((r) => waiting.push(r));
    else active++;
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}

export interface PostgresOptions {
  /**
   * true (a real server): locks are PostgreSQL advisory locks, shared by every
   * instance. false (PGlite, one connection in one process): in-process locks.
   */
  sharedLocks: boolean;
  /** pool size; lock holders take at most half of it so handlers can still query */
  poolSize: number;
  onClose?: () => Promise<void>;
  logger?: Logger;
}

/** A PostgreSQL Database over anything that looks like a pg Pool. */
export function postgresDatabase(pool: pg.Pool, options: PostgresOptions): Database {
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  const withLocal = createKeyedMutex();
  // Lock holders keep a pool connection each; at most half the pool, so handlers can still
  // query. A handler may take a second lock inside its chat's (the desk's "desk:new-case"):
  // that one draws on a budget of its own, or a surge of chats holding every permit would
  // wait forever for it. (Locks are always nested chat → other, never the other way.)
  const budget = Math.max(1, Math.floor(options.poolSize / 2));
  const split = budget >= 2;
  const updatePermits = createSemaphore(split ? budget - 1 : budget);
  const otherPermits = split ? createSemaphore(1) : updatePermits;
  const isUpdateKey = (key: string) => /^(chat|user|update):/.test(key);
  const withShared = <T>(key: string, fn: () => Promise<T>): Promise<T> =>
    // In-process queue first (so one instance does not tie up a pool connection per
    // waiting update), then the advisory lock shared by every instance.
    withLocal(key, () =>
      (isUpdateKey(key) ? updatePermits : otherPermits)(() =>
        db.connection().execute(async (conn) => {
          const id = lockId(key);
          await sql`select pg_advisory_lock(${id}::bigint)`.execute(conn);
          try {
            return await fn();
          } finally {
            // If the lock's connection was lost meanwhile (server restart, pg_terminate_backend),
            // PostgreSQL released the lock with the session: the work done under it stands.
            await sql`select pg_advisory_unlock(${id}::bigint)`
              .execute(conn)
              .catch((err: unknown) => options.logger?.warn({ err }, "postgres: lock connection lost (the lock ended with it)"));
          }
        }),
      ),
    );
  const tryLeaderLock = async (key: string): Promise<LeaderLock | undefined> => {
    const client = await pool.connect();
    let alive = true;
    const lost = () => {
      alive = false;
    };
    client.on("error", lost);
    client.on("end", lost);
    try {
      const r = await client.query<{ ok: boolean }>("select pg_try_advisory_lock($1::bigint) as ok", [lockId(key)]);
      if (r.rows[0]?.ok !== true) {
        client.removeListener("error", lost);
        client.removeListener("end", lost);
        client.release();
        return undefined;
      }
    } catch (err) {
      client.release(err as Error);
      throw err;
    }
    return {
      held: () => alive,
      async release() {
        if (!alive) return;
        alive = false;
        await client.query("select pg_advisory_unlock($1::bigint)", [lockId(key)]).catch(() => undefined);
        client.removeListener("error", lost);
        client.removeListener("end", lost);
        client.release();
      },
    };
  };
  return {
    db,
    dialect: "postgres",
    ...(options.sharedLocks ? { tryLeaderLock } : {}),
    withLock: options.sharedLocks ? withShared : withLocal,
    async ping() {
      try {
        await sql`select 1`.execute(db);
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await db.destroy();
      await options.onClose?.();
    },
  };
}

const int8AsNumber = (v: string) => Number(v);

/**
 * A pg Pool that survives the server closing connections (restart, failover, idle
 * timeout, pg_terminate_backend). Without a listener, the 'error' a pool or a client
 * emits when its connection is closed under it ends the process. With one, the query
 * in flight fails (and is retried by its caller), the broken connection is dropped,
 * and the next query opens a new one.
 */
export function createPgPool(url: string, max = 10, searchPath?: string, logger?: Logger): pg.Pool {
  const pool = newPgPool(url, max, searchPath);
  // Every connection gets a listener (also one in use: a held lock, a query); the pool's
  // own 'error' (an idle connection) is the same event again, so it is only absorbed there.
  pool.on("error", () => undefined);
  pool.on("connect", (client) => {
    client.on("error", (err) => logger?.warn({ err }, "postgres: connection lost; a new one is opened when needed"));
  });
  return pool;
}

function newPgPool(url: string, max: number, searchPath?: string): pg.Pool {
  return new pg.Pool({
    connectionString: url,
    // how operators find the bot's connections in pg_stat_activity (the URL's application_name wins)
    application_name: "jalan-pulang",
    max,
    ...(searchPath ? { options: `-c search_path=${searchPath}` } : {}),
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        oid === 20 ? int8AsNumber : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
}

/** Open and migrate the configured database. */
export async function openDatabase(config: DatabaseConfig, options: { logger?: Logger } = {}): Promise<Database> {
  const { logger } = options;
  const database =
    config.kind === "sqlite"
      ? sqliteDatabase(config.file)
      : postgresDatabase(createPgPool(config.url, config.poolSize ?? 10, config.searchPath, logger), {
          sharedLocks: true,
          poolSize: config.poolSize ?? 10,
          ...(logger ? { logger } : {}),
        });
  try {
    if (config.kind === "sqlite") await migrateSqlite(database, config.file);
    else await migrate(database.db);
  } catch (err) {
    await database.close().catch(() => undefined);
    throw err;
  }
  return database;
}
