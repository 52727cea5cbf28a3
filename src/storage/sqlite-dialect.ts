/**
 * Kysely's SQLite dialect, with three changes that matter under load:
 * - prepared statements are cached by SQL text (Kysely prepares every query anew);
 * - no connection mutex for single queries: Kysely's wakes every waiter on each
 *   release (all but one go back to sleep), O(waiters) per query, so with 64
 *   updates in flight the bot got slower than with one. better-sqlite3 is
 *   synchronous: a query never interleaves with another. Only an explicit
 *   transaction makes other queries wait until it ends;
 * - group commit: a write outside an explicit transaction joins the transaction
 *   of this event-loop turn, committed once on the next turn. The caller's promise
 *   resolves only AFTER that commit, so nothing is acknowledged before it is on
 *   disk; with many updates in flight, one commit (one WAL append) serves many
 *   writes instead of one each. A failing statement is rolled back alone (SQLite
 *   statement rollback) and only its caller sees the error;
 * - never a long wait inside the driver: better-sqlite3 is synchronous, so a
 *   busy_timeout of seconds would freeze the whole process (every reply, /healthz)
 *   while another process holds the write lock. The busy timeout is a few
 *   milliseconds; a write that finds the file locked waits with setTimeout and
 *   tries again, up to BUSY_GIVE_UP_MS, then fails (the update guard keeps the
 *   update and retries it later). Transactions begin IMMEDIATE (take the write
 *   lock first), so a statement inside one never finds the file busy.
 */
import type SQLite from "better-sqlite3";
import {
  type CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from "kysely";
import { BoundedMap } from "../domain/bounded-map.ts";

/** Distinct SQL texts are few (queries are parameterised); "in (…)" lists of many lengths are bounded here. */
const MAX_CACHED_STATEMENTS = 500;

/** How long one statement or transaction start waits for another process's write lock in all. */
export const BUSY_GIVE_UP_MS = 5_000;

const isBusy = (err: unknown) => String((err as { code?: unknown }).code ?? "").startsWith("SQLITE_BUSY");
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Run fn; while SQLite says the file is busy (another process writes), wait a
 * little (off the event loop) and run it again, up to BUSY_GIVE_UP_MS.
 */
export async function retryWhileBusy<T>(fn: () => T | Promise<T>): Promise<T> {
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isBusy(err) || Date.now() - started >= BUSY_GIVE_UP_MS) throw err;
      await sleep(Math.min(5 * 2 ** attempt, 100));
    }
  }
}

/** insert/update/delete/replace; not DDL, pragmas or transaction control */
function isPlainWrite(text: string): boolean {
  return /^\s*(insert|update|delete|replace|with)\b/i.test(text);
}

/** The one better-sqlite3 connection, shared by every Kysely "connection" handle. */
class SqliteCore {
  private readonly statements = new BoundedMap<string, SQLite.Statement>(MAX_CACHED_STATEMENTS);
  /** callers waiting for the group commit in progress (undefined: none open) */
  private group: { resolve: () => void; reject: (err: unknown) => void }[] | undefined;
  /** the handle that holds an explicit (Kysely) transaction; others wait */
  private owner: Handle | undefined;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly db: SQLite.Database) {}

  private prepare(text: string): SQLite.Statement {
    let stmt = this.statements.get(text);
    if (!stmt) {
      stmt = this.db.prepare(text);
      this.statements.set(text, stmt);
    }
    return stmt;
  }

  /** Commit the open group now (before an explicit transaction, at close, on the next turn). */
  flush(): void {
    const waiters = this.group;
    if (!waiters) return;
    this.group = undefined;
    try {
      if (!this.db.inTransaction) throw new Error("the grouped transaction was rolled back by SQLite");
      this.prepare("commit").run();
      for (const w of waiters) w.resolve();
    } catch (err) {
      if (this.db.inTransaction) this.prepare("rollback").run();
      for (const w of waiters) w.reject(err);
    }
  }

  private runGrouped<T>(run: () => T): Promise<T> {
    if (!this.group) {
      this.prepare("begin immediate").run(); // throws SQLITE_BUSY while another process writes
      this.group = [];
      setImmediate(() => this.flush());
    }
    const result = run(); // throws: that statement is rolled back alone, the group stays
    return new Promise((resolve, reject) => {
      this.group?.push({ resolve: () => resolve(result), reject });
    });
  }

  execute<R>(h: Handle, compiled: CompiledQuery): Promise<QueryResult<R>> {
    // Inside an explicit transaction (begun IMMEDIATE, so it holds the write lock) nothing is busy.
    if (this.owner === h) return this.executeOnce<R>(h, compiled);
    return retryWhileBusy(() => this.executeOnce<R>(h, compiled));
  }

  private async executeOnce<R>(h: Handle, compiled: CompiledQuery): Promise<QueryResult<R>> {
    // Wait out another handle's transaction. The check and the statement below run with
    // no await in between, so no transaction can begin in the gap and swallow this query.
    while (this.owner !== undefined && this.owner !== h) await new Promise<void>((r) => this.waiting.push(r));
    const stmt = this.prepare(compiled.sql);
    const params = compiled.parameters as unknown[];
    const write = isPlainWrite(compiled.sql);
    const grouped = this.owner === undefined && (this.group !== undefined || write);
    if (stmt.reader) {
      // a read; or a write with "returning", which must wait for its commit like any write
      const rows = grouped && write ? await this.runGrouped(() => stmt.all(params)) : stmt.all(params);
      return { rows: rows as R[] };
    }
    const { changes, lastInsertRowid } = grouped ? await this.runGrouped(() => stmt.run(params)) : stmt.run(params);
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
  }

  async begin(h: Handle): Promise<void> {
    // check and claim with no await in between: two waiters woken together must not both begin
    while (this.owner !== undefined) await new Promise<void>((r) => this.waiting.push(r));
    this.owner = h;
    this.flush();
    try {
      await retryWhileBusy(() => this.prepare("begin immediate").run());
    } catch (err) {
      this.owner = undefined;
      for (const w of this.waiting.splice(0)) w();
      throw err;
    }
  }

  end(h: Handle, how: "commit" | "rollback"): void {
    if (this.owner !== h) return;
    try {
      this.prepare(how).run();
    } finally {
      this.owner = undefined;
      for (const w of this.waiting.splice(0)) w();
    }
  }
}

/** What Kysely sees as a connection: a handle on the shared one. */
class Handle implements DatabaseConnection {
  constructor(private readonly core: SqliteCore) {}
  executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    return this.core.execute<R>(this, compiled);
  }
  // Streaming is not used; Kysely's interface requires the method.
  streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error("streaming is not supported");
  }
}

class GroupCommitSqliteDriver implements Driver {
  private readonly core: SqliteCore;
  /** released handles, reused: fewer objects, and Kysely checks each new one (WeakSet) once */
  private readonly free: Handle[] = [];
  constructor(db: SQLite.Database) {
    this.core = new SqliteCore(db);
  }
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return this.free.pop() ?? new Handle(this.core);
  }
  async releaseConnection(conn: DatabaseConnection): Promise<void> {
    this.free.push(conn as Handle);
  }
  async beginTransaction(conn: DatabaseConnection): Promise<void> {
    await this.core.begin(conn as Handle);
  }
  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    this.core.end(conn as Handle, "commit");
  }
  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    this.core.end(conn as Handle, "rollback");
  }
  async destroy(): Promise<void> {
    this.core.flush();
    this.core.db.close();
  }
}

export class FastSqliteDialect implements Dialect {
  constructor(private readonly db: SQLite.Database) {}
  createAdapter(): DialectAdapter {
    return new SqliteAdapter();
  }
  createDriver(): Driver {
    return new GroupCommitSqliteDriver(this.db);
  }
  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }
  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}
