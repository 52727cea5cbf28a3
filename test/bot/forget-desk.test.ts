/**
 * /forget reaches every row naming the person, and a case number is never given
 * twice: after user A's case is forgotten, user B's case gets a new number and
 * A's old card buttons act on nothing ("this case no longer exists").
 */
import { afterEach, describe, expect, it } from "vitest";
import type { Forgotten } from "../../src/storage/privacy.ts";
import { DAY_MS, startRetention } from "../../src/storage/retention.ts";
import { createTestBot, type TestBot, USER_ID } from "../helpers/bot.ts";
import { DB_KINDS } from "../helpers/databases.ts";
import { drainAll, STAFF_CHAT, staffMessage, staffPress } from "../helpers/desk.ts";

let tb: TestBot | undefined;
afterEach(async () => {
  await tb?.close();
  tb = undefined;
});

const URGENT = "saya disekap dan dipukul, tolong";
const B = { id: 535353, first_name: "Budi", language_code: "id" };
const T0 = Date.UTC(2026, 0, 20, 3, 0);
/** what would name user A: their id, their name, their words */
const SECRET = "paspor A1234567 dan email rahasia@contoh.id +6281234567890";

function desk(kind: "sqlite" | "postgres") {
  return createTestBot({ db: kind, now: T0, env: { STAFF_CHAT_ID: String(STAFF_CHAT) } });
}

/** every row of every table, as text, for a search */
/** One retention pass at the test clock's time; resolves with what it purged. */
async function retentionOnce(t: TestBot) {
  const retention = startRetention({
    repos: t.deps.repos,
    withLock: (key, fn) => t.deps.database.withLock(key, fn),
    logger: t.deps.logger,
    retentionDays: t.deps.config.RETENTION_DAYS,
    now: () => t.clock.now,
  });
  try {
    return await retention.runOnce();
  } finally {
    await retention.stop();
  }
}

async function dump(t: TestBot): Promise<string> {
  const { db } = t.deps.database;
  const tables = ["kv", "users", "checklists", "desk_cases", "desk_outbox", "desk_audit", "desk_blocks"] as const;
  const parts: string[] = [];
  for (const name of tables) parts.push(JSON.stringify(await db.selectFrom(name).selectAll().execute()));
  return parts.join("\n");
}

describe.each(DB_KINDS)("/forget and case numbers (%s)", (kind) => {
  it("a forgotten case's number is not given again; its old buttons answer that the case no longer exists", async () => {
    tb = await desk(kind);
    await tb.send(URGENT);
    await drainAll(tb);
    expect(tb.lastButtons(STAFF_CHAT)).toEqual(expect.arrayContaining(["dk:c:1", "dk:r:1", "dk:b:1"]));
    await tb.send("/forget");
    await tb.press("fy");
    expect(await tb.deps.repos.cases.get(1)).toBeUndefined();

    await tb.send(URGENT, B);
    const c = await tb.deps.repos.cases.openFor(B.id);
    expect(c?.id).toBe(2);
    await drainAll(tb);
    tb.api.clear();

    // Staff press A's old card: Block, then Resolve, then Claim.
    for (const data of ["dk:b:1", "dk:r:1", "dk:c:1"]) await tb.handle(staffPress(data));
    const toasts = tb.api.sent("answerCallbackQuery").map((c) => c.payload.text);
    expect(toasts).toEqual(Array(3).fill("Kasus #1 sudah tidak ada (dihapus)."));
    expect(await tb.deps.repos.cases.blockedUntil(B.id)).toBeUndefined();
    expect((await tb.deps.repos.cases.get(2))?.status).toBe("open");
    expect(await tb.deps.repos.audit.list(2)).toEqual([expect.objectContaining({ action: "created" })]);
  }, 120_000); // an in-process PostgreSQL (PGlite) takes long to start on a busy machine

  it("a number stays unused also after the highest case is deleted and the bot restarts on the same database", async () => {
    tb = await desk(kind);
    await tb.send(URGENT);
    await tb.send(URGENT, B);
    await tb.deps.repos.privacy.forget(B.id); // #2, the highest
    const again = await createTestBot({ database: tb.db, now: T0, env: { STAFF_CHAT_ID: String(STAFF_CHAT) } });
    await again.send(URGENT, { id: 777 });
    expect((await again.deps.repos.cases.openFor(777))?.id).toBe(3);
  }, 120_000); // an in-process PostgreSQL (PGlite) takes long to start on a busy machine

  it("leaves no row naming the user: outbox (also a staff /case N reply showing the card), audit, sessions, flows, cases", async () => {
    tb = await desk(kind);
    await tb.send("/start", { first_name: "Zulaikha" });
    await tb.send(`${URGENT} ${SECRET}`, { first_name: "Zulaikha" });
    await tb.press("dk:cs:yn", { first_name: "Zulaikha" }); // consent, with the name: an audit entry by the user
    await tb.deps.repos.checklists.save(USER_ID, "passport", { a: 1 }, T0);
    await drainAll(tb);
    const thread = (await tb.deps.repos.cases.get(1))?.threadId as number;
    await tb.handle(staffMessage("/case 1")); // General topic: a reply row with the whole card
    await tb.handle(staffMessage("/case 1", { thread }));
    await tb.handle(staffMessage("Halo, kami di sini", { thread }));
    await tb.handle(staffPress("dk:b:1"));
    await drainAll(tb);
    // B's case stays, untouched.
    await tb.send(URGENT, B);
    const before = await dump(tb);
    expect(before).toContain("Zulaikha");
    expect(before).toContain("A1234567");
    expect(before).toContain(String(USER_ID));

    const seen: Forgotten[] = [];
    tb.deps.repos.privacy.onForget(async (f) => void seen.push(f));
    await tb.send("/forget");
    await tb.press("fy");

    const after = await dump(tb);
    expect(after).not.toContain("Zulaikha");
    expect(after).not.toContain("A1234567");
    expect(after).not.toContain("rahasia@contoh.id");
    expect(after).not.toContain(String(USER_ID));
    // An anonymous trail of what staff did stays; the user's own entry names no one.
    const trail = await tb.deps.repos.audit.list(1);
    expect(trail.map((a) => a.action)).toEqual(["created", "consent", "claim", "relay", "block"]);
    expect(trail.find((a) => a.action === "consent")?.actorId).toBe(0); // the user's own consent names no one
    expect(trail.find((a) => a.action === "block")?.actorId).toBe(9001);
    // B keeps everything.
    expect((await tb.deps.repos.cases.openFor(B.id))?.id).toBe(2);
    expect(after).toContain(String(B.id));
    // The staff-group hook got what the group still shows of the forgotten case.
    expect(seen).toEqual([{ userId: USER_ID, reason: "request", cases: [{ id: 1, threadId: thread, cardMessageId: expect.any(Number) }] }]);
  }, 120_000); // an in-process PostgreSQL (PGlite) takes long to start on a busy machine

  it("retention removes the case topic from the staff group as /forget does; where that fails the card says 'deleted (retention)'", async () => {
    tb = await desk(kind);
    const t = tb;
    await t.send(`${URGENT} ${SECRET}`, { first_name: "Zulaikha" });
    await drainAll(t);
    const thread = (await t.deps.repos.cases.get(1))?.threadId as number;
    expect(thread).toBeGreaterThan(0);
    // B writes 10 days later; then, RETENTION_DAYS after A's last message, the purge main.ts starts runs.
    t.clock.now += 10 * DAY_MS;
    await t.send(URGENT, B);
    await drainAll(t);
    const cardB = (await t.deps.repos.cases.openFor(B.id))?.cardMessageId;
    t.clock.now = T0 + (t.deps.config.RETENTION_DAYS + 1) * DAY_MS;
    t.api.clear();
    expect(await retentionOnce(t)).toMatchObject({ users: 1 });
    expect(await t.deps.repos.cases.get(1)).toBeUndefined();
    await drainAll(t);
    expect(t.api.sent("deleteForumTopic").map((c) => c.payload)).toEqual([{ chat_id: STAFF_CHAT, message_thread_id: thread }]);
    const after = await dump(t);
    expect(after).not.toContain("Zulaikha");
    expect(after).not.toContain("A1234567");
    expect(after).not.toContain(String(USER_ID));

    // No right to delete topics: B's card is replaced, saying why.
    t.clock.now += 11 * DAY_MS;
    t.api.clear();
    t.api.responder = (call) => (call.method === "deleteForumTopic" ? { ok: false, error_code: 400, description: "Bad Request: not enough rights to delete the topic" } : undefined);
    expect(await retentionOnce(t)).toMatchObject({ users: 1 });
    await drainAll(t);
    const edit = t.api.sent("editMessageText").at(-1);
    expect(edit?.payload).toMatchObject({ chat_id: STAFF_CHAT, message_id: cardB });
    expect(String(edit?.payload.text)).toBe(`🗑 Kasus #2: dihapus (retensi: tidak ada aktivitas selama ${t.deps.config.RETENTION_DAYS} hari).`);
    expect(await dump(t)).not.toContain(String(B.id));
  }, 120_000);
});
