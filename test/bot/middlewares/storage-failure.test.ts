/**
 * When the database cannot be written, an urgent message is never lost: the
 * person gets the hotlines at once, the update is not marked handled but kept
 * and handled again, and the case is opened once writes work again. /readyz
 * answers 503 meanwhile. (Writes are refused by the real SQLite connection:
 * PRAGMA query_only, which fails every write with SQLITE_READONLY.)
 */
import { sql } from "kysely";
import { afterEach, expect, it } from "vitest";
import { type RunningServer, startHttpServer } from "../../../src/server/http.ts";
import { createTestBot, type TestBot, textUpdate, USER_ID } from "../../helpers/bot.ts";
import { drainAll, STAFF_CHAT } from "../../helpers/desk.ts";

let tb: TestBot | undefined;
let server: RunningServer | undefined;
afterEach(async () => {
  tb?.retry.stop();
  await server?.close();
  await tb?.close();
  tb = server = undefined;
});

const URGENT = "saya disekap dan dipukul, tolong";
const user = { id: USER_ID, first_name: "Tester", language_code: "id" };
const writes = (t: TestBot, on: boolean) => sql.raw(`pragma query_only = ${on ? 0 : 1}`).execute(t.deps.database.db);

it("an urgent message while writes fail: hotlines at once, kept, and the case opened once storage is back", async () => {
  tb = await createTestBot({ env: { STAFF_CHAT_ID: String(STAFF_CHAT) } });
  const t = tb;
  server = await startHttpServer({ logger: t.deps.logger, port: 0, host: "127.0.0.1" });
  // as main.ts attaches it (Telegram is taken as reached here)
  server.attach({ metrics: t.deps.metrics, ready: async () => t.deps.storageHealth.writable && (await t.deps.database.ping()) });
  const readyz = async () => (await fetch(`http://127.0.0.1:${server?.port}/readyz`)).status;
  expect(await readyz()).toBe(200);

  await writes(t, false);
  const update = textUpdate(URGENT, user); // a new user: the very first write (users row) fails
  await t.bot.handleUpdate(update);
  const first = t.replies();
  expect(first).toHaveLength(1);
  expect(first[0]).toContain("Pesan Anda tidak hilang");
  expect(first[0]).toContain("+855 12 813 282"); // the embassy hotline
  expect(await t.deps.repos.cases.openFor(USER_ID)).toBeUndefined();
  expect(await t.deps.repos.updates.isProcessed(update.update_id)).toBe(false);
  expect(t.retry.pending()).toBe(1);
  expect(t.deps.storageHealth.writable).toBe(false);
  expect(await readyz()).toBe(503);

  // A second message meanwhile is kept too; retries while still failing answer nothing more.
  const rounds = t.retry.rounds();
  await t.send("saya di lantai 3");
  // a retry round has run (and failed) meanwhile
  await expect.poll(() => t.retry.rounds(), { timeout: 10_000, interval: 50 }).toBeGreaterThan(rounds);
  expect(t.retry.pending()).toBe(2);
  expect(t.replies()).toHaveLength(2);

  await writes(t, true);
  await expect.poll(() => t.retry.pending(), { timeout: 10_000, interval: 50 }).toBe(0);
  const c = await t.deps.repos.cases.openFor(USER_ID);
  expect(c).toMatchObject({ priority: "urgent", status: "open" });
  expect(await t.deps.repos.updates.isProcessed(update.update_id)).toBe(true);
  expect(t.replies().some((r) => r.includes("petugas help line sedang diberi tahu"))).toBe(true);
  expect(await readyz()).toBe(200);
  // The follow-up reached the case's topic too, after the case itself.
  await drainAll(t);
  const toTopic = t.api.calls.filter((x) => x.method === "sendMessage" && x.payload.chat_id === STAFF_CHAT).map((x) => String(x.payload.text));
  expect(toTopic.some((x) => x.includes("saya di lantai 3"))).toBe(true);
});

it("a storage failure is not an error of the bot's own: other errors still stop at the boundary and are marked handled", async () => {
  tb = await createTestBot();
  const t = tb;
  // A handler bug (not storage): answered with the apology, marked handled, not kept.
  t.deps.repos.users.touch = async () => {
    throw new TypeError("a bug");
  };
  const update = textUpdate("halo", user);
  await t.bot.handleUpdate(update);
  expect(t.replies()).toHaveLength(1);
  expect(t.retry.pending()).toBe(0);
  expect(await t.deps.repos.updates.isProcessed(update.update_id)).toBe(true);
  expect(t.deps.storageHealth.writable).toBe(true);
});
