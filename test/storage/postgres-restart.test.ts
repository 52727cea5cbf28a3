/**
 * PostgreSQL closing the bot's connections (restart, failover, idle timeout,
 * pg_terminate_backend) never ends the process, and nothing is lost: the bot
 * answers every message, also one whose connections are terminated while it is
 * being handled (it stays in the inbox and the intake handles it again). Against the real server only
 * (DATABASE_URL; an in-process PGlite has no connections to terminate): skipped
 * when no server is reachable there.
 */
import pg from "pg";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { createPgPool, openDatabase } from "../../src/storage/db.ts";
import { createTestBot, type TestBot, textUpdate, USER_ID } from "../helpers/bot.ts";
import { postgresReachable, type TestDatabase } from "../helpers/databases.ts";

const url = process.env.DATABASE_URL;

const server = await postgresReachable(url);

/** the URL with this test's application_name, so only its connections are terminated */
export function withAppName(u: string, name: string): string {
  const parsed = new URL(u);
  parsed.searchParams.set("application_name", name);
  return parsed.toString();
}

/** Terminate every backend of `app`; resolves with how many. */
export async function terminate(admin: pg.Pool, app: string): Promise<number> {
  const r = await admin.query<{ n: string }>(
    "select count(pg_terminate_backend(pid)) as n from pg_stat_activity where application_name = $1 and pid <> pg_backend_pid()",
    [app],
  );
  return Number(r.rows[0]?.n ?? 0);
}

const user = { id: USER_ID, first_name: "Tester", language_code: "id" };

/** Telegram delivers an update until it is stored (polling: the offset stays until then) */
async function deliverUntilStored(t: TestBot, u: ReturnType<typeof textUpdate>): Promise<void> {
  await expect.poll(() => t.deliver(u), { timeout: 15_000 }).toBe(true);
}

/** what the intake's sweeper does every few seconds, until the inbox is empty (the clock moves on) */
async function retryUntilHandled(t: TestBot): Promise<void> {
  await expect
    .poll(
      async () => {
        t.clock.now += 60_000;
        await t.intake.sweep().catch(() => undefined);
        await t.intake.drain(10_000);
        return (await t.deps.repos.inbox.count().catch(() => -1)) === 0 && t.pending.size() === 0;
      },
      { timeout: 15_000 },
    )
    .toBe(true);
}

describe.skipIf(!server)("PostgreSQL connections terminated (real server at DATABASE_URL)", () => {
  const u = url as string;
  const app = `jp_restart_${process.pid}_${Date.now().toString(36)}`;
  const schema = `t_${app}`;
  const admin = createPgPool(u, 1);
  let tb: TestBot | undefined;
  afterAll(async () => {
    await tb?.close();
    await admin.query(`drop schema if exists ${schema} cascade`).catch(() => undefined);
    await admin.end();
  });

  it("the bot keeps answering and loses nothing while its connections are terminated, also mid-update", async () => {
    await admin.query(`create schema ${schema}`);
    const warnings: string[] = [];
    const logger = pino({ level: "warn" }, { write: (line: string) => void warnings.push(line) });
    const database = await openDatabase({ kind: "postgres", url: withAppName(u, app), searchPath: schema, poolSize: 4 }, { logger });
    const tdb: TestDatabase = {
      database,
      kind: "postgres",
      engine: "postgres",
      async cleanup() {
        await database.close().catch(() => undefined);
      },
    };
    tb = await createTestBot({ database: tdb, logger, env: { STAFF_CHAT_ID: "-1001234567890" } });
    const t = tb;
    const recent = async () => (await t.deps.repos.kv.get<{ recent?: string[] }>(`session:${USER_ID}`))?.recent ?? [];

    await t.send("/start");
    expect(t.replies().length).toBeGreaterThan(0);

    // Between updates: every connection (idle ones in the pool) terminated.
    for (let i = 0; i < 3; i++) {
      expect(await terminate(admin, app)).toBeGreaterThan(0);
      t.api.clear();
      await deliverUntilStored(t, textUpdate(`pesan ${i} paspor saya hilang`, user));
      await retryUntilHandled(t);
      expect(t.replies().length).toBeGreaterThan(0);
      expect(await recent()).toContain(`pesan ${i} paspor saya hilang`);
    }

    // Mid-update: terminated while the chat's lock (a held connection) and the handling are under way.
    const touch = t.deps.repos.users.touch;
    let cut = 0;
    t.deps.repos.users.touch = async (...args) => {
      if (cut++ === 0) expect(await terminate(admin, app)).toBeGreaterThan(0);
      return touch(...args);
    };
    t.api.clear();
    const urgent = textUpdate("saya disekap dan dipukul, tolong", user);
    await deliverUntilStored(t, urgent);
    await retryUntilHandled(t);
    expect(cut).toBeGreaterThan(0);
    expect(t.replies().some((r) => r.includes("+855 12 813 282"))).toBe(true); // hotlines reached the person
    // nothing lost: the urgent message opened its case, and the update counts as handled
    const c = await t.deps.repos.cases.openFor(USER_ID);
    expect(c?.priority).toBe("urgent");
    expect(c?.preview).toContain("saya disekap dan dipukul");
    expect(await t.deps.repos.updates.isProcessed(urgent.update_id)).toBe(true);
    expect(await t.deps.database.ping()).toBe(true);
    expect(t.deps.storageHealth.writable).toBe(true);
    expect(warnings.some((w) => w.includes("connection lost"))).toBe(true);
  }, 60_000);
});
