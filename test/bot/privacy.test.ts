/**
 * /forget (and the settings button): everything stored about the person is
 * deleted after they confirm; "No" keeps everything. Retention: users inactive
 * RETENTION_DAYS are purged, periodically, and active ones are kept.
 */
import { afterEach, describe, expect, it } from "vitest";
import pino from "pino";
import { createIntake } from "../../src/bot/intake.ts";
import { kvStorage } from "../../src/storage/repositories/kv.ts";
import { purgeInactive } from "../../src/storage/privacy.ts";
import { DAY_MS, startRetention } from "../../src/storage/retention.ts";
import { callbackUpdate, createTestBot, type TestBot, textUpdate, USER_ID } from "../helpers/bot.ts";
import { DB_KINDS } from "../helpers/databases.ts";

const OTHER_ID = 515151;

let tb: TestBot | undefined;
afterEach(async () => {
  await tb?.close();
  tb = undefined;
});

// An area that stores something under a key the generic owner delete does not catch
// (owner null), with its own deleter added to the bot's registry.
function addAreaDeleter(t: TestBot): void {
  t.deps.repos.privacy.addDeleter(async (id) => {
    await t.deps.repos.kv.delete(`area-note:${id}`);
  });
}

async function kvKeys(t: TestBot): Promise<string[]> {
  const rows = await t.deps.database.db.selectFrom("kv").select("key").orderBy("key").execute();
  return rows.map((r) => r.key);
}
async function userIds(t: TestBot): Promise<number[]> {
  const rows = await t.deps.database.db.selectFrom("users").select("id").orderBy("id").execute();
  return rows.map((r) => Number(r.id));
}

/** Two users talk to the bot; USER_ID also has conversation state and an area's note. */
async function populate(t: TestBot): Promise<void> {
  addAreaDeleter(t);
  await t.send("/start");
  await t.send("halo");
  await t.send("/start", { id: OTHER_ID, language_code: "en" });
  // conversation state as @grammyjs/conversations stores it (versioned, per chat)
  await kvStorage(t.deps.repos.kv, "conv").write(String(USER_ID), { version: [0, 0], state: {} });
  await t.deps.repos.kv.set(`area-note:${USER_ID}`, null, { note: "stored by another area" });
  expect(await kvKeys(t)).toEqual(
    [`area-note:${USER_ID}`, `conv:${USER_ID}`, `session:${OTHER_ID}`, `session:${USER_ID}`].sort(),
  );
  expect(await userIds(t)).toEqual([USER_ID, OTHER_ID].sort((a, b) => a - b));
  t.api.clear();
}

describe.each(DB_KINDS)("/forget (%s)", (kind) => {
  it("asks first; 'Yes' deletes session, conversation state, the users row and every area's data, and nothing is re-created", async () => {
    tb = await createTestBot({ db: kind });
    await populate(tb);
    await tb.send("/forget");
    expect(tb.replies()).toHaveLength(1);
    expect(tb.replies()[0]).toMatch(/Hapus semua|tidak bisa dibatalkan/i);
    expect(tb.lastButtons()).toEqual(["fy", "fn"]);
    // Asking alone deletes nothing.
    expect(await kvKeys(tb)).toContain(`session:${USER_ID}`);

    tb.api.clear();
    await tb.press("fy");
    const replies = tb.replies();
    expect(replies.at(-1)).toMatch(/dihapus/);
    expect(await kvKeys(tb)).toEqual([`session:${OTHER_ID}`]);
    expect(await userIds(tb)).toEqual([OTHER_ID]);
  });
});

describe.each(DB_KINDS)("/forget and the inbox (%s)", (kind) => {
  it("deletes the person's updates still waiting in the inbox up to the confirmation; a later message of theirs and other people's stay", async () => {
    tb = await createTestBot({ db: kind });
    const t = tb;
    const intake = createIntake({ bot: t.bot, inbox: t.deps.repos.inbox, logger: pino({ level: "silent" }), translator: t.deps.translator });
    const me = { id: USER_ID, first_name: "Tester", language_code: "id" };
    const other = { id: OTHER_ID, first_name: "Other", language_code: "en" };
    await t.send("/start");
    await t.send("/forget");
    // Left in the inbox by an earlier run (a crash, or a failure still being retried): their text, name and id.
    const stuck = textUpdate("nama saya Siti, paspor saya ditahan", me);
    const press = callbackUpdate("fy", me);
    const later = textUpdate("halo lagi", me);
    const others = textUpdate("hello", other);
    await intake.store([stuck, others, press, later]);
    const inboxIds = async () =>
      (await t.deps.repos.inbox.pending(100)).map((e) => e.update.update_id).sort((a, b) => a - b);
    expect(await inboxIds()).toEqual([stuck.update_id, press.update_id, later.update_id, others.update_id].sort((a, b) => a - b));

    await intake.dispatch(press);
    expect(t.replies().at(-1)).toMatch(/dihapus/);
    // Their waiting update is gone with them; the confirmation itself left once handled.
    expect(await inboxIds()).toEqual([later.update_id, others.update_id].sort((a, b) => a - b));
  });

  it("retention deletes an inactive person's updates left in the inbox from before the cut-off", async () => {
    tb = await createTestBot({ db: kind, env: { RETENTION_DAYS: "30" } });
    const t = tb;
    const me = { id: USER_ID, first_name: "Tester", language_code: "id" };
    await t.send("/start");
    await t.deps.repos.inbox.store([textUpdate("paspor saya ditahan", me)], t.clock.now, () => `chat:${USER_ID}`);
    t.clock.now += 31 * DAY_MS;
    expect(await purgeInactive(t.deps.repos, t.clock.now - 30 * DAY_MS)).toBe(1);
    expect(await t.deps.repos.inbox.count()).toBe(0);
  });
});

describe("/forget and the settings button", () => {
  it("'No' keeps everything and says so", async () => {
    tb = await createTestBot();
    await populate(tb);
    const before = await kvKeys(tb);
    const session = await tb.deps.repos.kv.get(`session:${USER_ID}`);
    await tb.send("/forget");
    tb.api.clear();
    await tb.press("fn");
    expect(tb.replies()).toHaveLength(1);
    expect(tb.replies()[0]).toMatch(/tidak ada yang dihapus/i);
    expect(await kvKeys(tb)).toEqual(before);
    expect(await tb.deps.repos.kv.get(`session:${USER_ID}`)).toEqual(session);
    expect(await userIds(tb)).toContain(USER_ID);
  });

  it("settings → delete button → confirm deletes everything (English user, English texts)", async () => {
    tb = await createTestBot();
    await populate(tb);
    await tb.send("/settings");
    expect(tb.lastButtons()).toContain("fa");
    await tb.press("st"); // the menu's settings button gives the same keyboard
    expect(tb.lastButtons()).toContain("fa");
    tb.api.clear();
    await tb.press("fa");
    expect(tb.lastButtons()).toEqual(["fy", "fn"]);
    await tb.press("fy");
    expect(await kvKeys(tb)).toEqual([`session:${OTHER_ID}`]);
    expect(await userIds(tb)).toEqual([OTHER_ID]);

    // The English user's own flow, in English.
    tb.api.clear();
    await tb.press("fa", { id: OTHER_ID, language_code: "en" });
    expect(tb.replies(OTHER_ID)[0]).toMatch(/cannot be undone/);
    await tb.press("fy", { id: OTHER_ID, language_code: "en" });
    expect(tb.replies(OTHER_ID).at(-1)).toMatch(/has been deleted/);
    expect(await kvKeys(tb)).toEqual([]);
    expect(await userIds(tb)).toEqual([]);
  });

  it("after forgetting, the next message starts fresh (no old language or history)", async () => {
    tb = await createTestBot();
    await tb.send("/start", { language_code: "en" });
    await tb.send("/forget", { language_code: "en" });
    await tb.press("fy", { language_code: "en" });
    expect(await tb.deps.repos.kv.get(`session:${USER_ID}`)).toBeUndefined();
    await tb.send("halo", { language_code: "id" });
    const s = await tb.deps.repos.kv.get<{ lang?: string; recent?: string[] }>(`session:${USER_ID}`);
    expect(s?.lang).toBe("id");
    expect(s?.recent).toEqual(["halo"]);
  });
});

describe.each(DB_KINDS)("retention (%s)", (kind) => {
  it("a user inactive RETENTION_DAYS+1 is purged with all their data; an active one is kept", async () => {
    const t0 = Date.UTC(2026, 0, 10);
    tb = await createTestBot({ db: kind, now: t0, env: { RETENTION_DAYS: "30" } });
    addAreaDeleter(tb);
    await tb.send("/start"); // USER_ID at t0
    await tb.deps.repos.kv.set(`area-note:${USER_ID}`, null, { note: "x" });
    tb.clock.now = t0 + 20 * DAY_MS;
    await tb.send("/start", { id: OTHER_ID }); // OTHER_ID active 11 days before the purge
    tb.clock.now = t0 + 31 * DAY_MS;
    const days = tb.deps.config.RETENTION_DAYS;
    expect(days).toBe(30);
    expect(await purgeInactive(tb.deps.repos, tb.clock.now - days * DAY_MS)).toBe(1);
    expect(await kvKeys(tb)).toEqual([`session:${OTHER_ID}`]);
    expect(await userIds(tb)).toEqual([OTHER_ID]);
  });
});

describe("periodic retention purge (what main.ts starts)", () => {
  it("runs at start and then every interval, with the configured RETENTION_DAYS; stop() ends it", async () => {
    const t0 = Date.UTC(2026, 0, 10);
    tb = await createTestBot({ now: t0, env: { RETENTION_DAYS: "10" } });
    const bot = tb;
    await bot.send("/start");
    await bot.deps.repos.updates.markProcessed(999_999_999, t0 - 2 * DAY_MS);
    const runs: { users: number; updates: number }[] = [];
    const retention = startRetention({
      repos: bot.deps.repos,
      withLock: (key, fn) => bot.deps.database.withLock(key, fn),
      logger: bot.deps.logger,
      retentionDays: bot.deps.config.RETENTION_DAYS,
      now: () => bot.clock.now,
      intervalMs: 25,
    });
    try {
      runs.push(await retention.runOnce());
      expect(await bot.deps.repos.updates.isProcessed(999_999_999)).toBe(false); // older than a day
      expect(await userIds(bot)).toEqual([USER_ID]); // active: kept
      bot.clock.now = t0 + 11 * DAY_MS;
      // no call from the test: the timer alone must purge
      await expect.poll(() => userIds(bot), { timeout: 2000, interval: 20 }).toEqual([]);
      expect(await kvKeys(bot)).toEqual([]);
      await retention.stop();
      await bot.send("/start");
      bot.clock.now = t0 + 30 * DAY_MS;
      // A witness timer with the same interval: once it has fired 4 times, a running
      // retention timer would have fired at least 3 times (no fixed sleep).
      let ticks = 0;
      const witness = setInterval(() => ticks++, 25);
      await expect.poll(() => ticks, { timeout: 2000, interval: 5 }).toBeGreaterThanOrEqual(4);
      clearInterval(witness);
      expect(await userIds(bot)).toEqual([USER_ID]); // stopped: no more purges
    } finally {
      await retention.stop();
    }
  });
});
