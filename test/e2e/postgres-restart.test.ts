/**
 * The real process on PostgreSQL stays up while the server terminates its
 * connections (pg_terminate_backend, as a restart or failover does): it keeps
 * answering, loses no message, and exits 0 on SIGTERM afterwards (before: an
 * unhandled 'error' event on the pool, exit 1). Real server only (DATABASE_URL);
 * skipped when none is reachable there.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createPgPool } from "../../src/storage/db.ts";
import { FakeBotApi } from "../helpers/fake-bot-api.ts";
import { type BotProcess, spawnBot, TEST_TOKEN, waitFor } from "../helpers/spawn-bot.ts";
import { postgresReachable } from "../helpers/databases.ts";

const url = process.env.DATABASE_URL;
const server = await postgresReachable(url);

let bot: BotProcess | undefined;
let api: FakeBotApi | undefined;
let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await bot?.stop("SIGKILL");
  await api?.close();
  await cleanup?.();
  bot = api = cleanup = undefined;
});

describe.skipIf(!server)("real process, PostgreSQL connections terminated (DATABASE_URL)", () => {
  it("keeps answering every message while its backends are terminated; exits 0 on SIGTERM", async () => {
    const u = url as string;
    const app = `jp_e2e_${process.pid}_${Date.now().toString(36)}`;
    const schema = `t_${app}`;
    const admin = createPgPool(u, 1);
    await admin.query(`create schema ${schema}`);
    cleanup = async () => {
      await admin.query(`drop schema if exists ${schema} cascade`).catch(() => undefined);
      await admin.end();
    };
    const dbUrl = new URL(u);
    dbUrl.searchParams.set("application_name", app);
    dbUrl.searchParams.set("options", `-c search_path=${schema}`);
    const terminate = async () =>
      Number(
        (
          await admin.query<{ n: string }>(
            "select count(pg_terminate_backend(pid)) as n from pg_stat_activity where application_name = $1",
            [app],
          )
        ).rows[0]?.n ?? 0,
      );

    api = new FakeBotApi({ token: TEST_TOKEN });
    const root = await api.start();
    const a = api;
    bot = spawnBot({ BOT_TOKEN: TEST_TOKEN, BOT_API_ROOT: root, DATABASE_URL: dbUrl.toString(), LOG_LEVEL: "warn" });
    const p = bot;
    const users = [1, 2, 3, 4, 5].map((i) => ({ id: 6060600 + i, first_name: `U${i}` }));
    for (const user of users) a.userText(user, "/start");
    await waitFor(() => users.every((user) => a.fromBot(user.id).length > 0), 30_000, `first replies\n${p.output()}`);

    let terminated = 0;
    for (let round = 0; round < 5; round++) {
      terminated += await terminate();
      const counts = users.map((user) => a.fromBot(user.id).length);
      for (const user of users) a.userText(user, `paspor saya hilang ${round}`);
      // terminated again while those are being handled
      terminated += await terminate();
      await waitFor(
        () => users.every((user, i) => a.fromBot(user.id).length > (counts[i] ?? 0)),
        30_000,
        `round ${round} replies\n${p.output()}`,
      );
    }
    expect(terminated).toBeGreaterThan(5);
    expect(p.child.exitCode).toBeNull(); // still running
    // Nothing lost: every message of every round is in the person's session (the last few texts).
    const probe = createPgPool(dbUrl.toString(), 1);
    try {
      const recent = async (id: number) => {
        const r = await probe.query<{ value: string }>("select value from kv where key = $1", [`session:${id}`]);
        return ((JSON.parse(r.rows[0]?.value ?? "{}") as { recent?: string[] }).recent ?? []).join(" | ");
      };
      for (const user of users) {
        // (the session is written right after the reply, so it may lag a moment behind it)
        await expect.poll(() => recent(user.id), { timeout: 15_000 }).toMatch(/paspor saya hilang 4$/);
        expect((await recent(user.id)).split(" | ").sort()).toEqual(["paspor saya hilang 2", "paspor saya hilang 3", "paspor saya hilang 4"]);
      }
    } finally {
      await probe.end();
    }
    const exited = new Promise<number | null>((r) => p.child.once("exit", (code) => r(code)));
    p.child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(p.output()).not.toMatch(/Unhandled 'error' event/);
  }, 120_000);
});
