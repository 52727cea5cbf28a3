/** The SQLite dialect's group commit and transactions: nothing acknowledged before it is committed. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../../src/storage/db.ts";
import { FastSqliteDialect } from "../../src/storage/sqlite-dialect.ts";

let dir = "";
let database: Database | undefined;
let reader: SQLite.Database | undefined;
afterEach(async () => {
  reader?.close();
  await database?.close().catch(() => undefined);
  if (dir) rmSync(dir, { recursive: true, force: true });
  reader = undefined;
  database = undefined;
});

async function open(): Promise<{ d: Database; other: SQLite.Database }> {
  dir = mkdtempSync(join(tmpdir(), "jp-dialect-"));
  const file = join(dir, "d.db");
  database = await openDatabase({ kind: "sqlite", file });
  reader = new SQLite(file, { readonly: true }); // another connection: sees only committed data
  return { d: database, other: reader };
}

const row = (key: string) => ({ key, owner: 1, value: "{}", updated_at: 1 });
const committed = (other: SQLite.Database, key: string) =>
  other.prepare("select count(*) as n from kv where key = ?").get(key) as { n: number };

describe("SQLite group commit", () => {
  it("a write resolves only once it is committed (another connection sees it)", async () => {
    const { d, other } = await open();
    await d.db.insertInto("kv").values(row("a")).execute();
    expect(committed(other, "a").n).toBe(1);
  });

  it("many concurrent writes: all committed when they resolve; a failing one rejects alone", async () => {
    const { d, other } = await open();
    await d.db.insertInto("kv").values(row("dup")).execute();
    const writes = Array.from({ length: 50 }, (_, i) => d.db.insertInto("kv").values(row(`k${i}`)).execute());
    const failing = d.db.insertInto("kv").values(row("dup")).execute(); // primary key taken
    const more = d.db.insertInto("kv").values(row("after")).execute();
    await expect(failing).rejects.toThrow(/UNIQUE/);
    await Promise.all([...writes, more]);
    const n = other.prepare("select count(*) as n from kv").get() as { n: number };
    expect(n.n).toBe(52);
  });

  it("reads in the same turn see this process's pending writes", async () => {
    const { d } = await open();
    const w = d.db.insertInto("kv").values(row("p")).execute();
    const r = await d.db.selectFrom("kv").select("key").where("key", "=", "p").execute();
    expect(r).toEqual([{ key: "p" }]);
    await w;
  });

  it("an explicit transaction runs alone: pending writes are committed first, others wait, rollback undoes it", async () => {
    const { d, other } = await open();
    const before = d.db.insertInto("kv").values(row("before")).execute();
    // it has run (a later read sees it), its group is not committed yet
    expect(await d.db.selectFrom("kv").select("key").execute()).toEqual([{ key: "before" }]);
    expect(committed(other, "before").n).toBe(0);
    let outsideRan = false;
    let outside: Promise<unknown> | undefined;
    await expect(
      d.db.transaction().execute(async (trx) => {
        expect(committed(other, "before").n).toBe(1); // flushed before begin
        await trx.insertInto("kv").values(row("inside")).execute();
        outside = d.db
          .insertInto("kv")
          .values(row("outside"))
          .execute()
          .then(() => {
            outsideRan = true;
          });
        await new Promise((r) => setTimeout(r, 20));
        expect(outsideRan).toBe(false); // waits for the transaction
        throw new Error("undo");
      }),
    ).rejects.toThrow("undo");
    await before;
    await outside;
    expect(committed(other, "inside").n).toBe(0);
    expect(committed(other, "outside").n).toBe(1);

    await d.db.transaction().execute(async (trx) => {
      await trx.insertInto("kv").values(row("kept")).execute();
    });
    expect(committed(other, "kept").n).toBe(1);
  });

  it("transactions started at the same time run one after another (read-modify-write stays exact)", async () => {
    const { d } = await open();
    await d.db.insertInto("kv").values({ key: "n", owner: null, value: "0", updated_at: 0 }).execute();
    const bump = () =>
      d.db.transaction().execute(async (trx) => {
        const r = await trx.selectFrom("kv").select("value").where("key", "=", "n").executeTakeFirstOrThrow();
        await new Promise((res) => setTimeout(res, 2));
        await trx.updateTable("kv").set({ value: String(Number(r.value) + 1) }).where("key", "=", "n").execute();
      });
    const holder = bump(); // one running, then four waiting that wake together
    await Promise.all([holder, bump(), bump(), bump(), bump()]);
    const r = await d.db.selectFrom("kv").select("value").where("key", "=", "n").executeTakeFirstOrThrow();
    expect(r.value).toBe("5");
  });

  it("close() commits what is pending; the file reopens with it", async () => {
    const { d } = await open();
    const w = d.db.insertInto("kv").values(row("last")).execute();
    // the write has run (a later read sees it) but its group is not committed yet
    expect(await d.db.selectFrom("kv").select("key").execute()).toEqual([{ key: "last" }]);
    expect(committed(reader!, "last").n).toBe(0);
    await d.close();
    await w;
    database = await openDatabase({ kind: "sqlite", file: join(dir, "d.db") });
    const r = await sql<{ key: string }>`select key from kv`.execute(database.db);
    expect(r.rows.map((x) => x.key)).toEqual(["last"]);
  });
});

describe("another process holds the write lock", () => {
  /** this process's connection (busy timeout 0, as db.ts sets it) and another one on the same file */
  function lockedPair(busyGiveUpMs?: number) {
    dir = mkdtempSync(join(tmpdir(), "jp-dialect-"));
    const file = join(dir, "l.db");
    const mine = new SQLite(file);
    mine.pragma("journal_mode = WAL");
    mine.pragma("busy_timeout = 0");
    mine.exec("create table t (k text primary key)");
    const dialect = new FastSqliteDialect(mine, busyGiveUpMs === undefined ? {} : { busyGiveUpMs });
    const db = new Kysely<{ t: { k: string } }>({ dialect });
    const holder = new SQLite(file);
    holder.pragma("busy_timeout = 0");
    reader = holder; // closed after the test
    return { db, dialect, holder, rows: () => (holder.prepare("select count(*) as n from t").get() as { n: number }).n };
  }

  it("the bot's connection never waits inside the driver (busy timeout 0)", async () => {
    const { d } = await open();
    const r = await sql<{ timeout: number }>`pragma busy_timeout`.execute(d.db);
    expect(r.rows[0]?.timeout).toBe(0);
  });

  it("writes wait at one gate: the lock is tried far fewer times than writes wait, and all are committed once it is released", async () => {
    const { db, dialect, holder, rows } = lockedPair();
    holder.exec("begin immediate");
    let done = 0;
    const writes = Array.from({ length: 100 }, (_, i) =>
      db.insertInto("t").values({ k: `k${i}` }).execute().then(() => void done++),
    );
    // reads still work meanwhile (WAL), and the writes wait
    await expect.poll(() => dialect.lockProbes(), { timeout: 5_000, interval: 5 }).toBeGreaterThanOrEqual(5);
    expect(await db.selectFrom("t").selectAll().execute()).toEqual([]);
    expect(done).toBe(0);
    holder.exec("commit");
    await Promise.all(writes);
    expect(rows()).toBe(100);
    // one try per tick for all 100 waiting writes (each trying for itself: 100 or more)
    expect(dialect.lockProbes()).toBeLessThan(100);
    await db.destroy();
  });

  it("an explicit transaction waiting for the lock begins once it is released", async () => {
    const { db, dialect, holder, rows } = lockedPair();
    holder.exec("begin immediate");
    const trx = db.transaction().execute(async (t) => {
      await t.insertInto("t").values({ k: "in-trx" }).execute();
    });
    const after = db.insertInto("t").values({ k: "after" }).execute();
    await expect.poll(() => dialect.lockProbes(), { timeout: 5_000, interval: 5 }).toBeGreaterThanOrEqual(3);
    holder.exec("commit");
    await Promise.all([trx, after]);
    expect(rows()).toBe(2);
    await db.destroy();
  });

  it("a write that waited too long fails with SQLITE_BUSY; the next one after the release works", async () => {
    const { db, holder, rows } = lockedPair(150);
    holder.exec("begin immediate");
    await expect(db.insertInto("t").values({ k: "late" }).execute()).rejects.toMatchObject({ code: "SQLITE_BUSY" });
    holder.exec("commit");
    await db.insertInto("t").values({ k: "now" }).execute();
    expect(rows()).toBe(1);
    await db.destroy();
  });
});

describe("SQLite dialect memory", () => {
  it("reuses released connection handles", async () => {
    const driver = new FastSqliteDialect(new SQLite(":memory:")).createDriver();
    const a = await driver.acquireConnection();
    const b = await driver.acquireConnection(); // two at once: two handles
    expect(b).not.toBe(a);
    await driver.releaseConnection(a);
    await driver.releaseConnection(b);
    const seen = new Set<unknown>();
    for (let i = 0; i < 1000; i++) {
      const c = await driver.acquireConnection();
      seen.add(c);
      await driver.releaseConnection(c);
    }
    expect(seen.size).toBe(1);
    await driver.destroy();
  });
});
