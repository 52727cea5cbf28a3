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
 * - never a wait inside the driver: better-sqlite3 is synchronous, so any
 *   busy_timeout freezes the whole process (every reply, /healthz) for that long
 *   on every attempt while another process holds the write lock; even 10 ms per
 *   attempt, times the updates in flight, kept /healthz at 100-200 ms. The busy
 *   timeout is 0 (db.ts): an attempt that finds the file locked fails at once.
 *   Whoever found it locked then waits at one gate, off the event loop: a single
 *   timer tries to take the write lock (1 ms, 2 ms … every 25 ms), and when it
 *   gets it, opens the group commit with it and lets every waiter through (their
 *   writes join that group). So however many updates wait, the lock is tried
 *   once per tick, and a try costs microseconds. A waiter gives up after
 *   BUSY_GIVE_UP_MS with SQLITE_BUSY (the intake keeps its update in the inbox
 *   and handles it again later). Transactions begin IMMEDIATE (take the write
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

/** the gate's timer: first try after 1 ms, then doubling up to this */
const MAX_PROBE_MS = 25;

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
  /** callers that found the file locked by another process, waiting at the gate (see the header) */
  private readonly lockWaiters = new Set<{ deadline: number; resolve: (free: boolean) => void }>();
  private probeTimer: NodeJS.Timeout | undefined;
  private probeMs = 1;
  /** how many times the gate tried the lock (tests, benchmark) */
  lockProbes = 0;

  constructor(
    readonly db: SQLite.Database,
    private readonly giveUpMs = BUSY_GIVE_UP_MS,
  ) {}

  /**
   * Run fn; while another process holds the write lock (SQLITE_BUSY), wait at the
   * gate and run it again once the gate got the lock, up to giveUpMs.
   */
  async whileBusy<T>(fn: () => T | Promise<T>): Promise<T> {
    const deadline = Date.now() + this.giveUpMs;
    for (;;) {
      try {
        return await fn();
      } catch (err) {
        if (!isBusy(err) || !(await this.lockFree(deadline))) throw err;
      }
    }
  }

  /** resolves true once the gate holds the write lock for this process (or nobody needs it), false at the deadline */
  private lockFree(deadline: number): Promise<boolean> {
    return new Promise((resolve) => {
      this.lockWaiters.add({ deadline, resolve });
      this.scheduleProbe();
    });
  }

  private scheduleProbe(): void {
    if (this.probeTimer || this.lockWaiters.size === 0) return;
    this.probeTimer = setTimeout(() => {
      this.probeTimer = undefined;
      this.probe();
    }, this.probeMs);
  }

  /** one try for the write lock, for every waiter at once */
  private probe(): void {
    // This process holds the lock already (an open group or transaction), or a group is about
    // to be settled by flush(): nothing to wait for.
    let free = this.db.inTransaction || this.group !== undefined;
    if (!free) {
      this.lockProbes++;
      try {
        this.prepare("begin immediate").run();
        free = true;
        // Got it. It becomes this turn's group commit, which the waiters' writes join; but an
        // explicit transaction waiting here begins its own right after (no await in between).
        if (this.owner === undefined) {
          this.group = [];
          setImmediate(() => this.flush());
        } else {
          this.prepare("rollback").run();
        }
      } catch (err) {
        if (!isBusy(err)) free = true; // not the lock: let the callers meet the real error
      }
    }
    const now = Date.now();
    for (const w of this.lockWaiters) {
      if (!free && now < w.deadline) continue;
      this.lockWaiters.delete(w);
      w.resolve(free);
    }
    this.probeMs = free ? 1 : Math.min(this.probeMs * 2, MAX_PROBE_MS);
    this.scheduleProbe();
  }

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
    return this.whileBusy(() => this.executeOnce<R>(h, compiled));
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
      await this.whileBusy(() => this.prepare("begin immediate").run());
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
  readonly core: SqliteCore;
  /** released handles, reused: fewer objects, and Kysely checks each new one (WeakSet) once */
  private readonly free: Handle[] = [];
  constructor(db: SQLite.Database, giveUpMs?: number) {
    this.core = new SqliteCore(db, giveUpMs);
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

export interface FastSqliteOptions {
  /** how long a statement waits for another process's write lock in all (default BUSY_GIVE_UP_MS) */
  busyGiveUpMs?: number;
}

export class FastSqliteDialect implements Dialect {
  private driver: GroupCommitSqliteDriver | undefined;
  constructor(
    private readonly db: SQLite.Database,
    private readonly options: FastSqliteOptions = {},
  ) {}
  /** how many times the lock gate tried for another process's write lock (tests, benchmark) */
  lockProbes(): number {
    return this.driver?.core.lockProbes ?? 0;
  }
  createAdapter(): DialectAdapter {
    return new SqliteAdapter();
  }
  createDriver(): Driver {
    this.driver = new GroupCommitSqliteDriver(this.db, this.options.busyGiveUpMs);
    return this.driver;
  }
  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }
  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}
