/**
 * When the database cannot be written, an urgent message is never lost, and
 * there is one retry layer (the intake): the person gets the hotlines at once
 * (once per update), the update is not confirmed to Telegram while it cannot be
 * stored, or stays in the inbox while its handling fails, and the case is opened
 * exactly once when writes work again. /readyz answers 503 meanwhile.
 *
 * Writes are refused by the database itself: SQLite `PRAGMA query_only`
 * (SQLITE_READONLY); PostgreSQL read-only transactions (25006, as after a
 * failover to a replica): on the real server for a role of the test's own, whose
 * connections are ended so that new ones start read-only; on PGlite (one
 * connection) for its session.
 */
import { sql } from "kysely";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import type { Update } from "grammy/types";
import { type RunningServer, startHttpServer } from "../../../src/server/http.ts";
import { openDatabase } from "../../../src/storage/db.ts";
import { createTestBot, type TestBot, textUpdate, USER_ID } from "../../helpers/bot.ts";
import { DB_KINDS, type TestDatabase, type TestDbKind } from "../../helpers/databases.ts";
import { drainAll, STAFF_CHAT } from "../../helpers/desk.ts";

let tb: TestBot | undefined;
let server: RunningServer | undefined;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await server?.close();
  await tb?.close();
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
  tb = server = undefined;
});

const URGENT = "saya disekap dan dipukul, tolong";
const user = { id: USER_ID, first_name: "Tester", language_code: "id" };
const HOTLINE = "+855 12 813 282"; // the embassy hotline
const NOT_LOST = "Pesan Anda tidak hilang";
const PERSON_TOLD = "petugas help line sedang diberi tahu";

interface Refusal {
  database: TestDatabase;
  /** writes refused (true) or taken again (false) */
  refuse(on: boolean): Promise<void>;
}

/** A database whose writes the test can have refused by the database itself. */
async function refusableDatabase(kind: TestDbKind): Promise<Refusal> {
  const url = process.env.DATABASE_URL;
  if (kind === "postgres" && url) {
    // The real server: a role of this test's own, owning its schema.
    const role = `jp_ro_${process.pid}_${Date.now().toString(36)}`;
    const admin = new pg.Pool({ connectionString: url, max: 1 });
    await admin.query(`create role ${role} login`);
    await admin.query(`create schema ${role} authorization ${role}`);
    const u = new URL(url);
    u.username = role;
    u.searchParams.set("application_name", role);
    const database = await openDatabase({ kind: "postgres", url: u.toString(), searchPath: role, poolSize: 4 });
    cleanups.push(async () => {
      await database.close().catch(() => undefined);
      await admin.query(`drop schema if exists ${role} cascade`);
      await admin.query(`drop role if exists ${role}`);
      await admin.end();
    });
    return {
      database: { database, kind, engine: "postgres", async cleanup() {} },
      async refuse(on) {
        await admin.query(`alter role ${role} set default_transaction_read_only = ${on ? "on" : "off"}`);
        // Connections open now keep their setting: end them; the pool opens new ones.
        await admin.query("select pg_terminate_backend(pid) from pg_stat_activity where usename = $1", [role]);
      },
    };
  }
  const { openTestDatabase } = await import("../../helpers/databases.ts");
  const database = await openTestDatabase(kind);
  cleanups.push(() => database.cleanup());
  const db = database.database.db;
  return {
    database,
    refuse: async (on) =>
      kind === "sqlite"
        ? void (await sql.raw(`pragma query_only = ${on ? 1 : 0}`).execute(db))
        : void (await sql.raw(`set session characteristics as transaction ${on ? "read only" : "read write"}`).execute(db)),
  };
}

/** Telegram's getUpdates, as the polling source sees it: updates from `offset` on, until confirmed. */
function telegramQueue(t: TestBot) {
  const queue: Update[] = [];
  let fetches = 0;
  t.api.responder = (call) => {
    if (call.method !== "getUpdates") return undefined;
    fetches++;
    const offset = Number(call.payload.offset ?? 0);
    return { ok: true, result: queue.filter((u) => u.update_id >= offset) };
  };
  return { push: (u: Update) => void queue.push(u), fetches: () => fetches };
}

/** the runner: fetch, store, hand over; until stopped */
function poll(t: TestBot) {
  const abort = new AbortController();
  const source = t.intake.pollingSource({ allowed_updates: ["message", "callback_query"], timeout: 0 });
  const running = (async () => {
    while (!abort.signal.aborted) {
      const batch = await source.supply(100, abort.signal as never).catch(() => []);
      for (const u of batch) void t.intake.dispatch(u);
      if (batch.length === 0) await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return async () => {
    abort.abort();
    await running;
    await t.intake.drain(5_000);
  };
}

async function openCases(t: TestBot): Promise<number> {
  const r = await t.deps.database.db.selectFrom("desk_cases").select("id").where("user_id", "=", USER_ID).execute();
  return r.length;
}

describe.each(DB_KINDS)("storage cannot be written (%s)", (kind) => {
  it("an urgent message: hotlines at once, not confirmed, and the case opened exactly once when storage is back", async () => {
    const r = await refusableDatabase(kind);
    tb = await createTestBot({ database: r.database, env: { STAFF_CHAT_ID: String(STAFF_CHAT) } });
    const t = tb;
    server = await startHttpServer({ logger: t.deps.logger, port: 0, host: "127.0.0.1" });
    // as main.ts attaches it (Telegram is taken as reached here)
    server.attach({ metrics: t.deps.metrics, ready: async () => t.deps.storageHealth.writable && (await t.deps.database.ping()) });
    const readyz = async () => (await fetch(`http://127.0.0.1:${server?.port}/readyz`)).status;
    expect(await readyz()).toBe(200);
    const telegram = telegramQueue(t);

    await r.refuse(true);
    const stop = poll(t);
    try {
      const urgent = textUpdate(URGENT, user); // a new user: nothing of them stored yet
      telegram.push(urgent);
      await expect.poll(() => t.replies().length, { timeout: 15_000 }).toBe(1);
      expect(t.replies()[0]).toContain(NOT_LOST);
      expect(t.replies()[0]).toContain(HOTLINE);
      expect(await readyz()).toBe(503);
      // A second message meanwhile gets the same line at once; fetching the batch again answers nothing more.
      telegram.push(textUpdate("saya di lantai 3", user));
      await expect.poll(() => t.replies().length, { timeout: 15_000 }).toBe(2);
      const fetched = telegram.fetches();
      await expect.poll(() => telegram.fetches(), { timeout: 15_000 }).toBeGreaterThan(fetched + 1);
      expect(t.replies()).toHaveLength(2);
      expect(await openCases(t)).toBe(0);

      await r.refuse(false);
      await expect.poll(() => openCases(t), { timeout: 20_000, interval: 100 }).toBe(1);
      await expect.poll(() => t.deps.repos.updates.isProcessed(urgent.update_id), { timeout: 10_000 }).toBe(true);
      await expect.poll(() => t.deps.repos.inbox.count(), { timeout: 10_000 }).toBe(0);
    } finally {
      await stop();
    }
    const c = await t.deps.repos.cases.openFor(USER_ID);
    expect(c).toMatchObject({ priority: "urgent", status: "open" });
    expect(t.replies().filter((x) => x.includes(PERSON_TOLD))).toHaveLength(1);
    expect(await readyz()).toBe(200);
    // The follow-up reached the case's topic too, after the case itself; one topic.
    await drainAll(t);
    const toGroup = t.api.calls.filter((x) => x.payload.chat_id === STAFF_CHAT);
    expect(toGroup.filter((x) => x.method === "createForumTopic")).toHaveLength(1);
    expect(toGroup.some((x) => x.method === "sendMessage" && String(x.payload.text).includes("saya di lantai 3"))).toBe(true);
  }, 120_000);

  it("stored, then writes fail while it is handled: it stays in the inbox, a later message of the chat waits behind it, both handled once, in order", async () => {
    const r = await refusableDatabase(kind);
    tb = await createTestBot({ database: r.database, env: { STAFF_CHAT_ID: String(STAFF_CHAT) } });
    const t = tb;
    const urgent = textUpdate(URGENT, user);
    const later = textUpdate("saya di lantai 3", user);
    await t.intake.store([urgent, later]);
    await r.refuse(true);
    await t.intake.dispatch(urgent);
    await t.intake.dispatch(later);
    // Both answered at once with the hotlines, once each; nothing handled; both still in the inbox.
    expect(t.replies()).toHaveLength(2);
    expect(t.replies().every((x) => x.includes(NOT_LOST) && x.includes(HOTLINE))).toBe(true);
    expect(t.pending.size()).toBe(2);
    expect(t.deps.storageHealth.writable).toBe(false);
    // What the sweeper does every few seconds (a read on a connection the server ended fails once).
    const sweep = async () => {
      t.clock.now += 60_000;
      await t.intake.sweep().catch(() => undefined);
      await t.intake.drain(10_000);
    };
    // A try while still failing answers nothing more.
    await sweep();
    await sweep();
    expect(t.replies()).toHaveLength(2);

    await r.refuse(false);
    await expect
      .poll(
        async () => {
          await sweep();
          return t.deps.repos.inbox.count();
        },
        { timeout: 20_000 },
      )
      .toBe(0);
    expect(t.pending.size()).toBe(0);
    expect(await openCases(t)).toBe(1);
    expect(t.replies().filter((x) => x.includes(PERSON_TOLD))).toHaveLength(1);
    expect(t.deps.storageHealth.writable).toBe(true);
    await drainAll(t);
    const texts = t.api.calls.filter((x) => x.method === "sendMessage" && x.payload.chat_id === STAFF_CHAT).map((x) => String(x.payload.text));
    // in order: the card (with the urgent words) before the follow-up
    const card = texts.findIndex((x) => x.includes("disekap"));
    const follow = texts.findIndex((x) => x.includes("saya di lantai 3") && !x.includes("disekap"));
    expect(card).toBeGreaterThanOrEqual(0);
    expect(follow).toBeGreaterThan(card);
  }, 120_000);
});

it("a storage failure is not an error of the bot's own: other errors still stop at the boundary and are marked handled", async () => {
  tb = await createTestBot();
  const t = tb;
  // A handler bug (not storage): answered with the apology, marked handled, not kept.
  t.deps.repos.users.touch = async () => {
    throw new TypeError("a bug");
  };
  const update = textUpdate("halo", user);
  await t.deliver(update);
  expect(t.replies()).toHaveLength(1);
  expect(t.pending.size()).toBe(0);
  expect(await t.deps.repos.updates.isProcessed(update.update_id)).toBe(true);
  expect(await t.deps.repos.inbox.count()).toBe(0);
  expect(t.deps.storageHealth.writable).toBe(true);
});
