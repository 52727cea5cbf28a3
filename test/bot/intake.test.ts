/** The durable intake: stored before confirmed, handled from the inbox, what is left handled at start-up. */
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createIntake } from "../../src/bot/intake.ts";
import { createTestBot, type TestBot, textUpdate, USER_ID } from "../helpers/bot.ts";

let tb: TestBot | undefined;
afterEach(async () => {
  await tb?.close();
  tb = undefined;
});
const user = { id: USER_ID, first_name: "Tester", language_code: "id" };
const logger = pino({ level: "silent" });

describe.each(["sqlite", "postgres"] as const)("intake (%s)", (db) => {
  it("polling: a batch that cannot be stored is not confirmed (fetched again from the same offset); the person gets the hotlines once; stored and handled when the database is back", async () => {
    tb = await createTestBot({ db });
    const t = tb;
    const u = textUpdate("tolong saya disekap, pintu dikunci dari luar", user);
    const offsets: number[] = [];
    t.api.responder = (call) => {
      if (call.method !== "getUpdates") return undefined;
      offsets.push(Number(call.payload.offset ?? 0));
      return { ok: true, result: [u] };
    };
    const inbox = t.deps.repos.inbox;
    const realStore = inbox.store.bind(inbox);
    let failures = 2;
    inbox.store = (...args) => (failures-- > 0 ? Promise.reject(new Error("disk I/O error")) : realStore(...args));
    const intake = createIntake({ bot: t.bot, inbox, logger, translator: t.deps.translator, pending: t.pending });
    const source = intake.pollingSource({ allowed_updates: ["message"] });
    const batch = await source.supply(100, new AbortController().signal as never);
    // Fetched again from the same offset while it could not be stored: Telegram keeps it.
    expect(offsets).toEqual([0, 0, 0]);
    expect(batch.map((x) => x.update_id)).toEqual([u.update_id]);
    expect(await inbox.count()).toBe(1);
    // The hotlines went out once, although storing failed twice.
    expect(t.replies()).toHaveLength(1);
    expect(t.replies()[0]).toContain("+");
    await intake.dispatch(batch[0]!);
    expect(await inbox.count()).toBe(0);
    expect(await t.deps.repos.updates.isProcessed(u.update_id)).toBe(true);
    // The next fetch confirms it.
    await source.supply(100, new AbortController().signal as never);
    expect(offsets).toEqual([0, 0, 0, u.update_id + 1]);
  }, 60_000);

  it("what an earlier run left in the inbox is handled at start-up, in order, once", async () => {
    tb = await createTestBot({ db });
    const t = tb;
    const a = textUpdate("/start", user);
    const b = textUpdate("nomor kbri berapa", user);
    const intake = createIntake({ bot: t.bot, inbox: t.deps.repos.inbox, logger, translator: t.deps.translator, pending: t.pending });
    expect((await intake.store([a, b])).map((x) => x.update_id)).toEqual([a.update_id, b.update_id]);
    // Stored again (Telegram delivered it again): not new.
    expect(await intake.store([a])).toEqual([]);
    expect(await intake.recover()).toBe(2);
    await intake.drain(5_000);
    expect(await t.deps.repos.inbox.count()).toBe(0);
    const replies = t.replies();
    expect(replies[0]).toContain("BUKAN KBRI");
    const n = replies.length;
    // A second handling of the same update is a no-op.
    await intake.dispatch(a);
    expect(t.replies()).toHaveLength(n);
  });

  it("an update whose handling failed stays in the inbox, the person gets the hotlines, and it is handled on a later try", async () => {
    tb = await createTestBot({ db });
    const t = tb;
    const u = textUpdate("halo", user);
    const intake = createIntake({ bot: t.bot, inbox: t.deps.repos.inbox, logger, translator: t.deps.translator, pending: t.pending });
    await intake.store([u]);
    const updates = t.deps.repos.updates;
    const real = updates.isProcessed.bind(updates);
    updates.isProcessed = () => Promise.reject(new Error("database is down"));
    await intake.dispatch(u);
    expect(await t.deps.repos.inbox.count()).toBe(1);
    expect(t.replies()).toHaveLength(1);
    updates.isProcessed = real;
    await intake.dispatch(u);
    expect(await t.deps.repos.inbox.count()).toBe(0);
    expect(await updates.isProcessed(u.update_id)).toBe(true);
    expect(t.replies().length).toBeGreaterThan(1);
  });
});
