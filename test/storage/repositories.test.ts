/** The core repositories (kv, users, processed updates) and per-owner deletion, on both databases. */
import { afterEach, describe, expect, it } from "vitest";
import { createRepositories, type Repositories } from "../../src/storage/repositories.ts";
import { kvStorage, ownerOfKey } from "../../src/storage/repositories/kv.ts";
import {
  forgetUser,
  purgeInactive,
  purgeProcessedUpdates,
} from "../../src/storage/privacy.ts";
import { DB_KINDS, openTestDatabase, queriesDuring, type TestDatabase } from "../helpers/databases.ts";

let tdb: TestDatabase | undefined;
afterEach(async () => {
  await tdb?.cleanup();
  tdb = undefined;
});

async function open(kind: (typeof DB_KINDS)[number]): Promise<Repositories> {
  tdb = await openTestDatabase(kind);
  // An area's own deleter, passed in as the composition root does: it records whom it was asked to forget.
  return createRepositories(tdb.database, { deleters: [async (id) => void forgottenByArea.push(id)] });
}

const DAY = 24 * 60 * 60 * 1000;

const forgottenByArea: number[] = [];

describe("ownerOfKey", () => {
  it("is the leading chat id of a storage key, or null", () => {
    expect(ownerOfKey("12345")).toBe(12345);
    expect(ownerOfKey("-100777/flow")).toBe(-100777);
    expect(ownerOfKey("global")).toBeNull();
  });
});

describe.each(DB_KINDS)("repositories (%s)", (kind) => {
  it("kv: set, read back, overwrite, delete; values round-trip as JSON (Unicode too)", async () => {
    const { kv } = await open(kind);
    expect(await kv.get("session:1")).toBeUndefined();
    const value = {
      lang: "id",
      recent: ["paspor saya ditahan 🙏", "ẞ\u0000 \u202e"],
      n: 3,
      nested: { a: [1, null] },
    };
    await kv.set("session:1", 1, value, 100);
    expect(await kv.get("session:1")).toEqual(value);
    await kv.set("session:1", 1, { lang: "en" }, 200);
    expect(await kv.get("session:1")).toEqual({ lang: "en" });
    expect(await kv.count()).toBe(1);
    await kv.delete("session:1");
    expect(await kv.get("session:1")).toBeUndefined();
    expect(await kv.count()).toBe(0);
  });

  it("kvStorage: namespaced keys with the chat as owner (grammY session / conversations adapter)", async () => {
    const repos = await open(kind);
    const sessions = kvStorage<{ lang: string }>(repos.kv, "session");
    const convs = kvStorage<{ step: number }>(repos.kv, "conv");
    await sessions.write("555", { lang: "id" });
    await convs.write("555", { step: 2 });
    expect(await sessions.read("555")).toEqual({ lang: "id" });
    expect(await convs.read("555")).toEqual({ step: 2 });
    expect(await repos.kv.get("session:555")).toEqual({ lang: "id" });
    await sessions.delete("555");
    expect(await sessions.read("555")).toBeUndefined();
    expect(await convs.read("555")).toEqual({ step: 2 });
    expect(await repos.kv.deleteByOwner(555)).toBe(1);
    expect(await convs.read("555")).toBeUndefined();
  });

  it("kv: deleteByOwner / deleteByOwners touch only those owners' rows", async () => {
    const { kv } = await open(kind);
    await kv.set("session:1", 1, {});
    await kv.set("conv:1", 1, {});
    await kv.set("session:2", 2, {});
    await kv.set("session:3", 3, {});
    await kv.set("global:x", null, {});
    expect(await kv.deleteByOwner(1)).toBe(2);
    expect(await kv.deleteByOwners([])).toBe(0);
    expect(await kv.deleteByOwners([2, 99])).toBe(1);
    expect(await kv.get("session:3")).toEqual({});
    expect(await kv.get("global:x")).toEqual({});
    expect(await kv.count()).toBe(2);
  });

  it("users: touch keeps first_seen and moves last_seen; inactiveSince is oldest first and limited", async () => {
    const { users } = await open(kind);
    await users.touch(10, 1_000);
    await users.touch(10, 5_000);
    await users.touch(20, 2_000);
    await users.touch(30, 3_000);
    expect(await users.lastSeen(10)).toBe(5_000);
    expect(await users.lastSeen(99)).toBeUndefined();
    expect(await users.inactiveSince(4_000, 10)).toEqual([20, 30]);
    expect(await users.inactiveSince(4_000, 1)).toEqual([20]);
    expect(await users.inactiveSince(1_000, 10)).toEqual([]);
    await users.delete([20, 30]);
    await users.delete([]);
    expect(await users.inactiveSince(10_000, 10)).toEqual([10]);
  });

  it("users: touch with a minimum interval moves last_seen only when it is that old", async () => {
    const { users } = await open(kind);
    await users.touch(5, 1_000, 60_000);
    await users.touch(5, 30_000, 60_000);
    expect(await users.lastSeen(5)).toBe(1_000);
    await users.touch(5, 61_000, 60_000);
    expect(await users.lastSeen(5)).toBe(61_000);
  });

  it("kvStorage skips writing back a value identical to what it read; changed values are written", async () => {
    const repos = await open(kind);
    const sets: string[] = [];
    const kv = {
      ...repos.kv,
      set: (key: string, owner: number | null, value: unknown, now?: number) => {
        sets.push(key);
        return repos.kv.set(key, owner, value, now);
      },
    };
    const sessions = kvStorage<{ lang: string; recent?: string[] }>(kv, "session");
    await sessions.write("9", { lang: "id" });
    expect(sets).toEqual(["session:9"]);
    const read = await sessions.read("9");
    await sessions.write("9", read!); // unchanged: no write
    expect(sets).toHaveLength(1);
    await sessions.read("9");
    await sessions.write("9", { lang: "en" }); // changed: written
    expect(sets).toHaveLength(2);
    expect(await repos.kv.get("session:9")).toEqual({ lang: "en" });
    // Another instance changed it meanwhile: the next read sees that, and a write-back of it is skipped,
    // while writing the old value again is not.
    await repos.kv.set("session:9", 9, { lang: "id", recent: ["x"] });
    const fresh = await sessions.read("9");
    expect(fresh).toEqual({ lang: "id", recent: ["x"] });
    await sessions.write("9", { lang: "en" });
    expect(await repos.kv.get("session:9")).toEqual({ lang: "en" });
  });

  it("users: Telegram ids beyond 32 bits survive", async () => {
    const { users } = await open(kind);
    const big = 7_123_456_789;
    await users.touch(big, 1);
    expect(await users.inactiveSince(2, 10)).toEqual([big]);
  });

  it("outbox: a new sender's budget counts what was sent to the chat, not rows marked sent without a call; the board finds the last one it showed", async () => {
    const { outbox } = await open(kind);
    const chat = -1001234567890;
    const row = (kind: "board" | "card", at: number) => ({ chatId: chat, kind, priority: 0, payload: {}, createdAt: at });
    await outbox.enqueue([row("card", 1000), row("board", 1001), row("board", 1002)]);
    const [card, shown, skipped] = await outbox.all();
    await outbox.markSent([card!.id], 2000, { message_id: 7 });
    await outbox.markSent([shown!.id], 3000, { message_id: 8, cases: [1, 2] });
    await outbox.markSent([skipped!.id], 4000, { skipped: "board unchanged" });
    expect((await outbox.sentTimes(chat, 0)).sort()).toEqual([2000, 3000]);
    const recent = await outbox.recentSent(chat, "board", 5);
    expect(recent.map((r) => r.result)).toEqual([{ skipped: "board unchanged" }, { message_id: 8, cases: [1, 2] }]);
  });

  it("processed updates: marked once (a second mark is harmless), forgotten after a day", async () => {
    const repos = await open(kind);
    const { updates } = repos;
    const now = 10 * DAY;
    expect(await updates.isProcessed(1)).toBe(false);
    await updates.markProcessed(1, now - 2 * DAY);
    await updates.markProcessed(1, now); // re-delivery marked again: no error, first time kept
    await updates.markProcessed(2, now - DAY + 1000);
    await updates.markProcessed(3, now - 1000);
    expect(await updates.isProcessed(1)).toBe(true);
    expect(await purgeProcessedUpdates(repos, now)).toBe(1);
    expect(await updates.isProcessed(1)).toBe(false);
    expect(await updates.isProcessed(2)).toBe(true);
    expect(await updates.isProcessed(3)).toBe(true);
  });

  it("forgetUser deletes that user's kv rows and users row, calls every registered deleter, keeps others", async () => {
    const repos = await open(kind);
    await repos.kv.set("session:7", 7, { lang: "id" });
    await repos.kv.set("conv:7", 7, { x: 1 });
    await repos.kv.set("session:8", 8, { lang: "en" });
    await repos.users.touch(7, 1);
    await repos.users.touch(8, 1);
    forgottenByArea.length = 0;
    await forgetUser(repos, 7);
    expect(await repos.kv.get("session:7")).toBeUndefined();
    expect(await repos.kv.get("conv:7")).toBeUndefined();
    expect(await repos.users.lastSeen(7)).toBeUndefined();
    expect(forgottenByArea).toEqual([7]);
    expect(await repos.kv.get("session:8")).toEqual({ lang: "en" });
    expect(await repos.users.lastSeen(8)).toBe(1);
  });

  it("purgeInactive under the chat lock waits for an update in progress and keeps a user who became active", async () => {
    const repos = await open(kind);
    const database = tdb!.database;
    await repos.users.touch(1, 1_000);
    await repos.users.touch(2, 1_000);
    await repos.kv.set("session:1", 1, { lang: "id" });
    await repos.kv.set("session:2", 2, { lang: "en" });
    let release!: () => void;
    let entered!: () => void;
    const holding = new Promise<void>((r) => (entered = r));
    // user 1's message is being handled (the update holds the chat lock) …
    const update = database.withLock("chat:1", () => {
      entered();
      return new Promise<void>((r) => (release = r));
    });
    await holding; // the lock is really held before the purge starts
    const asked: string[] = [];
    const purge = purgeInactive(repos, 5_000, 500, (key, fn) => {
      asked.push(key);
      return database.withLock(key, fn);
    });
    // the purge has reached user 1 and waits for the chat's lock (no fixed sleep)
    await expect.poll(() => asked, { timeout: 2000, interval: 2 }).toContain("chat:1");
    expect(await repos.kv.get("session:1")).toEqual({ lang: "id" }); // not deleted under the update's feet
    await repos.users.touch(1, 6_000); // … and it made them active
    release();
    await update;
    expect(await purge).toBe(1);
    expect(await repos.kv.get("session:1")).toEqual({ lang: "id" });
    expect(await repos.users.lastSeen(1)).toBe(6_000);
    expect(await repos.kv.get("session:2")).toBeUndefined();
    expect(await repos.users.lastSeen(2)).toBeUndefined();
  });

  it("purgeInactive forgets everyone inactive since the cut-off, in batches, and only them", async () => {
    const repos = await open(kind);
    for (let id = 1; id <= 7; id++) {
      await repos.users.touch(id, id * 1000);
      await repos.kv.set(`session:${id}`, id, { id });
    }
    forgottenByArea.length = 0;
    expect(await purgeInactive(repos, 5_500, 2)).toBe(5);
    expect(forgottenByArea.sort()).toEqual([1, 2, 3, 4, 5]);
    expect(await repos.kv.count()).toBe(2);
    expect(await repos.users.inactiveSince(Number.MAX_SAFE_INTEGER, 100)).toEqual([6, 7]);
    expect(await purgeInactive(repos, 5_500, 2)).toBe(0);
  });
});

describe("in-memory answers when this process owns the database (SQLite)", () => {
  it("kv: a repeated read, or a read after a write, costs no query; absent keys are remembered too", async () => {
    const repos = await open("sqlite");
    const t = tdb!;
    await repos.kv.set("session:1", 1, { step: 1 });
    const reads = await queriesDuring(t.database, async () => {
      expect(await repos.kv.get("session:1")).toEqual({ step: 1 });
      expect(await repos.kv.get("session:1")).toEqual({ step: 1 });
      expect(await repos.kv.get("conv:1")).toBeUndefined();
      expect(await repos.kv.get("conv:1")).toBeUndefined();
    });
    expect(reads.filter((q) => q.startsWith("select"))).toHaveLength(1); // only conv:1, once
  });

  it("kv: the memory stays true through overwrite, delete, forget and retention", async () => {
    const repos = await open("sqlite");
    await repos.kv.set("session:1", 1, { v: "a" });
    await repos.kv.set("session:2", 2, { v: "b" });
    expect(await repos.kv.get("session:1")).toEqual({ v: "a" });
    await repos.kv.set("session:1", 1, { v: "a2" });
    expect(await repos.kv.get("session:1")).toEqual({ v: "a2" });
    await repos.kv.delete("session:1");
    expect(await repos.kv.get("session:1")).toBeUndefined();
    await repos.kv.set("session:1", 1, { v: "a3" });
    await forgetUser(repos, 1);
    expect(await repos.kv.get("session:1")).toBeUndefined();
    expect(await repos.kv.get("session:2")).toEqual({ v: "b" });
    await repos.kv.deleteByOwners([2]);
    expect(await repos.kv.get("session:2")).toBeUndefined();
    // what the memory says is what the table holds
    expect(await createRepositories(tdb!.database).kv.get("session:2")).toBeUndefined();
  });

  it("kv: a read value handed out cannot change the remembered one", async () => {
    const repos = await open("sqlite");
    await repos.kv.set("session:1", 1, { list: [1] });
    const first = await repos.kv.get<{ list: number[] }>("session:1");
    first?.list.push(2);
    expect(await repos.kv.get("session:1")).toEqual({ list: [1] });
  });

  it("users: a touch within the interval costs no query, and a forgotten user is recorded again at once", async () => {
    const repos = await open("sqlite");
    const t = tdb!;
    await repos.users.touch(7, 1_000, 60_000);
    const again = await queriesDuring(t.database, () => repos.users.touch(7, 2_000, 60_000));
    expect(again).toHaveLength(0);
    await forgetUser(repos, 7);
    expect(await repos.users.lastSeen(7)).toBeUndefined();
    await repos.users.touch(7, 3_000, 60_000);
    expect(await repos.users.lastSeen(7)).toBe(3_000);
    await repos.users.touch(7, 70_000, 60_000);
    expect(await repos.users.lastSeen(7)).toBe(70_000);
  });

  it("PostgreSQL, shared with other instances, is always asked", async () => {
    const repos = await open("postgres");
    const t = tdb!;
    await repos.kv.set("session:1", 1, { v: 1 });
    await repos.users.touch(7, 1_000, 60_000);
    const seen = await queriesDuring(t.database, async () => {
      await repos.kv.get("session:1");
      await repos.kv.get("session:1");
      await repos.users.touch(7, 2_000, 60_000);
    });
    expect(seen).toHaveLength(3);
  });
});
