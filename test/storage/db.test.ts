/**
 * The storage layer over both databases: migrations (twice, and concurrently),
 * and the per-key lock that serialises updates of one chat.
 */
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { type Database, lockId, migrate, openDatabase } from "../../src/storage/db.ts";
import { migrations } from "../../src/storage/migrations/index.ts";
import { DB_KINDS, openTestDatabase, type TestDatabase } from "../helpers/databases.ts";

let tdb: TestDatabase | undefined;
const extra: Database[] = [];
afterEach(async () => {
  for (const d of extra.splice(0)) await d.close().catch(() => undefined);
  await tdb?.cleanup();
  tdb = undefined;
});

/** A second connection to the same database, as another instance would open it. */
async function openSecond(t: TestDatabase): Promise<Database | undefined> {
  if (t.engine === "sqlite" && t.file) return openDatabase({ kind: "sqlite", file: t.file });
  if (t.engine === "postgres" && t.url && t.searchPath) {
    return openDatabase({ kind: "postgres", url: t.url, searchPath: t.searchPath, poolSize: 4 });
  }
  return undefined; // PGlite lives in this process only
}

async function appliedMigrations(d: Database): Promise<string[]> {
  const rows = await sql<{ name: string }>`select name from schema_migrations order by name`.execute(d.db);
  return rows.rows.map((r) => r.name);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(DB_KINDS)("database (%s)", (kind) => {
  it("applies every migration once; migrating again changes nothing", async () => {
    tdb = await openTestDatabase(kind);
    expect(await appliedMigrations(tdb.database)).toEqual(Object.keys(migrations).sort());
    const again = await migrate(tdb.database.db);
    expect(again.results).toEqual([]);
    expect(await appliedMigrations(tdb.database)).toEqual(Object.keys(migrations).sort());
  });

  it("two instances opening the same database at the same time both start, migrations applied once", async () => {
    tdb = await openTestDatabase(kind);
    const d = tdb.database;
    await d.db.insertInto("kv").values({ key: "session:1", owner: 1, value: "{}", updated_at: 1 }).execute();
    if (tdb.engine === "pglite") {
      const [a, b] = await Promise.all([migrate(d.db), migrate(d.db)]);
      expect([...a.results!, ...b.results!]).toEqual([]);
      return;
    }
    const [a, b] = await Promise.all([openSecond(tdb), openSecond(tdb)]);
    extra.push(a!, b!);
    expect(await appliedMigrations(a!)).toEqual(Object.keys(migrations).sort());
    // The data is still there and both see it.
    const rows = await b!.db.selectFrom("kv").select("key").execute();
    expect(rows.map((r) => r.key)).toEqual(["session:1"]);
  });

  it("a fresh database: two openDatabase calls racing on it apply the migrations exactly once", async () => {
    if (kind === "sqlite") {
      const { mkdtempSync, rmSync } = await import("node:fs");
      const { tmpdir } = await import("node:os");
      const { join } = await import("node:path");
      const dir = mkdtempSync(join(tmpdir(), "jp-race-"));
      try {
        const file = join(dir, "race.db");
        const [a, b] = await Promise.all([
          openDatabase({ kind: "sqlite", file }),
          openDatabase({ kind: "sqlite", file }),
        ]);
        extra.push(a, b);
        expect(await appliedMigrations(a)).toEqual(Object.keys(migrations).sort());
        const n = await sql<{ n: number }>`select count(*) as n from schema_migrations`.execute(b.db);
        expect(Number(n.rows[0]?.n)).toBe(Object.keys(migrations).length);
      } finally {
        for (const d of extra.splice(0)) await d.close();
        rmSync(dir, { recursive: true, force: true });
      }
      return;
    }
    const url = process.env.DATABASE_URL;
    if (!url) return; // PGlite: one process, covered above
    const { createPgPool } = await import("../../src/storage/db.ts");
    const admin = createPgPool(url, 1);
    const schema = `race_${process.pid}_${Date.now().toString(36)}`;
    await admin.query(`create schema ${schema}`);
    try {
      const [a, b] = await Promise.all([
        openDatabase({ kind: "postgres", url, searchPath: schema, poolSize: 2 }),
        openDatabase({ kind: "postgres", url, searchPath: schema, poolSize: 2 }),
      ]);
      extra.push(a, b);
      expect(await appliedMigrations(b)).toEqual(Object.keys(migrations).sort());
      // The bookkeeping tables live in this schema, not in "public".
      const where = await admin.query(
        "select table_schema from information_schema.tables where table_name = 'schema_migrations' and table_schema = $1",
        [schema],
      );
      expect(where.rowCount).toBe(1);
    } finally {
      for (const d of extra.splice(0)) await d.close();
      await admin.query(`drop schema if exists ${schema} cascade`);
      await admin.end();
    }
  });

  it("ping answers while open and fails after close", async () => {
    tdb = await openTestDatabase(kind);
    expect(await tdb.database.ping()).toBe(true);
    await tdb.database.close();
    expect(await tdb.database.ping()).toBe(false);
  });

  it("withLock: the same key runs one at a time, in arrival order; other keys do not wait", async () => {
    tdb = await openTestDatabase(kind);
    const d = tdb.database;
    const log: string[] = [];
    let xDone!: () => void;
    const xFinished = new Promise<void>((r) => (xDone = r));
    const job = (key: string, name: string, hold: () => Promise<unknown>) =>
      d.withLock(key, async () => {
        log.push(`${name}:start`);
        await hold();
        log.push(`${name}:end`);
        return name;
      });
    // "a" holds chat:1 until chat:2's job has finished (or 5 s pass: then chat:2 waited behind chat:1)
    const results = await Promise.all([
      job("chat:1", "a", () => Promise.race([xFinished, sleep(5_000)])),
      job("chat:1", "b", () => sleep(5)),
      job("chat:1", "c", () => sleep(1)),
      job("chat:2", "x", async () => {
        await sleep(1);
        xDone();
      }),
    ]);
    expect(results).toEqual(["a", "b", "c", "x"]);
    const sameKey = log.filter((l) => !l.startsWith("x"));
    expect(sameKey).toEqual(["a:start", "a:end", "b:start", "b:end", "c:start", "c:end"]);
    // chat:2 did not wait behind chat:1's holder
    expect(log.indexOf("x:end")).toBeLessThan(log.indexOf("a:end"));
  });

  it("withLock: a failing holder releases the lock", async () => {
    tdb = await openTestDatabase(kind);
    const d = tdb.database;
    await expect(d.withLock("chat:9", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(d.withLock("chat:9", async () => "next")).resolves.toBe("next");
  });

  it("a lock taken inside a chat's lock, by many chats at once, does not deadlock (desk case creation in a surge)", async () => {
    tdb = await openTestDatabase(kind);
    const d = tdb.database;
    let inner = 0;
    const surge = Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        d.withLock(`chat:${i}`, async () => {
          await sleep(5); // every chat holds its lock before any asks for the inner one
          return d.withLock("desk:new-case", async () => {
            inner++;
            await d.db.selectFrom("kv").select("key").execute(); // and still gets a connection to query
          });
        }),
      ),
    ).then(() => "done");
    expect(await Promise.race([surge, sleep(5_000).then(() => "stuck")])).toBe("done");
    expect(inner).toBe(12);
  });

  it("withLock excludes another instance on the same database (PostgreSQL advisory lock)", async () => {
    tdb = await openTestDatabase(kind);
    const other = await openSecond(tdb);
    if (!other || tdb.engine !== "postgres") return; // SQLite and PGlite: one process owns the database
    extra.push(other);
    let inside = 0;
    let maxInside = 0;
    const hold = (d: Database) =>
      d.withLock("chat:42", async () => {
        inside++;
        maxInside = Math.max(maxInside, inside);
        await sleep(15);
        inside--;
      });
    await Promise.all([hold(tdb.database), hold(other), hold(tdb.database), hold(other)]);
    expect(maxInside).toBe(1);
    // a different key is not blocked by a holder in the other instance
    let otherKeyDone = false;
    await Promise.all([
      other.withLock("chat:42", () => sleep(60)),
      (async () => {
        await sleep(5);
        await tdb!.database.withLock("chat:43", async () => {
          otherKeyDone = true;
        });
        expect(otherKeyDone).toBe(true);
      })(),
    ]);
  });
});

describe("lockId", () => {
  it("is a stable signed 64-bit number per key", () => {
    expect(lockId("chat:1")).toBe(lockId("chat:1"));
    expect(lockId("chat:1")).not.toBe(lockId("chat:2"));
    const n = BigInt(lockId("chat:-100123"));
    expect(n >= -(2n ** 63n) && n < 2n ** 63n).toBe(true);
  });
});
