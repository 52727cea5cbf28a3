/**
 * The "urgent now" board (src/bot/desk/board.ts), in process on the test clock:
 * sent before the topic and card, at most one board message every 4 s (new cases
 * share one), a new board for new cases with the old one deleted, an edit when a
 * case leaves it, nothing when nothing changed, in the staff language, naming nobody.
 */
import { afterEach, describe, expect, it } from "vitest";
import { BOARD_EVERY_MS } from "../../../src/bot/desk/board.ts";
import { forgetUser } from "../../../src/storage/privacy.ts";
import { createTestBot, type TestBot } from "../../helpers/bot.ts";
import { DB_KINDS } from "../../helpers/databases.ts";
import { deskOf, drainAll, isBoardCall, STAFF, STAFF_CHAT, staffPress } from "../../helpers/desk.ts";

let tb: TestBot | undefined;
afterEach(async () => {
  await tb?.close();
  tb = undefined;
});

const T0 = Date.UTC(2026, 0, 20, 3, 0);
const person = (i: number) => ({ id: 600_000 + i, first_name: `Siti${i}`, language_code: "id" });
const boardCalls = (t: TestBot) => t.api.calls.filter((c) => c.payload.chat_id === STAFF_CHAT && isBoardCall(c));
const groupCalls = (t: TestBot) => t.api.calls.filter((c) => c.payload.chat_id === STAFF_CHAT && c.method !== "answerCallbackQuery");

describe.each(DB_KINDS)("the urgent board (%s)", (kind) => {
  it("goes before the topic and card; cases arriving within 4 s share the next board; the old board is deleted; a claim edits it", async () => {
    tb = await createTestBot({ db: kind, now: T0, env: { STAFF_CHAT_ID: String(STAFF_CHAT) } });
    const t = tb;
    await t.send("tolong saya disekap dan dipukul", person(1));
    await deskOf(t).sender.drain();
    // The first group message is the board, listing case #1 with its buttons, in General.
    const first = groupCalls(t)[0];
    expect(isBoardCall(first as never)).toBe(true);
    expect(first?.method).toBe("sendMessage");
    expect(first?.payload.message_thread_id).toBeUndefined();
    expect(String(first?.payload.text)).toMatch(/^🚨 MENDESAK SEKARANG: 1 menunggu diambil\n#1 · disekap/u);
    const buttons = (first?.payload.reply_markup as { inline_keyboard: { callback_data: string }[][] }).inline_keyboard.flat().map((b) => b.callback_data);
    expect(buttons).toEqual(["dk:c:1", "dk:v:1"]);

    // Two more within a second: not a board each, one board with both after the pace.
    t.clock.now += 500;
    await t.send("saya dikurung dan diancam", person(2));
    await t.send("/human", person(3));
    await t.send("help me they beat me and locked me in", { ...person(4), language_code: "en" });
    await deskOf(t).sender.drain();
    expect(boardCalls(t)).toHaveLength(1);
    await drainAll(t);
    const boards = boardCalls(t).filter((c) => c.method === "sendMessage");
    expect(boards).toHaveLength(2);
    const sentAt = (await t.deps.repos.outbox.all()).filter((r) => r.kind === "board" && (r.result as { message_id?: number } | null)?.message_id).map((r) => r.sentAt ?? 0);
    expect(sentAt).toHaveLength(2);
    expect((sentAt[1] ?? 0) - (sentAt[0] ?? 0)).toBeGreaterThanOrEqual(BOARD_EVERY_MS);
    const text = String(boards[1]?.payload.text);
    expect(text).toMatch(/^🚨 MENDESAK SEKARANG: 3 menunggu diambil/u);
    expect(text).toMatch(/^#1 · /m);
    expect(text).toMatch(/^#2 · /m);
    expect(text).toMatch(/^#4 · /m);
    expect(text).not.toMatch(/^#3 · /m); // /human is not urgent
    expect(text).not.toMatch(/Siti|dipukul|diancam|beat me/);
    // The board it replaced was deleted.
    const del = t.api.calls.filter((c) => c.method === "deleteMessage");
    expect(del).toHaveLength(1);
    const firstRow = (await t.deps.repos.outbox.all()).find((r) => r.kind === "board" && (r.result as { message_id?: number } | null)?.message_id);
    expect(del[0]?.payload).toMatchObject({ chat_id: STAFF_CHAT, message_id: (firstRow?.result as { message_id: number }).message_id });

    // A claim from the board: the board is edited (no new message), without #2.
    t.api.clear();
    t.clock.now += 60_000;
    await t.handle(staffPress("dk:c:2", { from: STAFF }));
    await drainAll(t);
    const edits = boardCalls(t);
    expect(edits.map((c) => c.method)).toEqual(["editMessageText"]);
    expect(String(edits[0]?.payload.text)).toMatch(/^🚨 MENDESAK SEKARANG: 2 menunggu diambil/u);
    expect(String(edits[0]?.payload.text)).not.toMatch(/^#2 · /m);

    // Nothing changed: nothing sent (the desk's periodic check finds nothing to do).
    t.api.clear();
    t.clock.now += 60_000;
    await deskOf(t).start()();
    await drainAll(t);
    expect(boardCalls(t)).toEqual([]);
  });

  it("a forgotten person's case leaves the board; when none is left it says so; the Show button pops the case up", async () => {
    tb = await createTestBot({ db: kind, now: T0, env: { STAFF_CHAT_ID: String(STAFF_CHAT), STAFF_LANGUAGE: "en" } });
    const t = tb;
    await t.send("tolong saya disekap dan dipukul", person(1));
    await drainAll(t);
    t.api.clear();
    await t.handle(staffPress("dk:v:1", { from: STAFF }));
    const toast = t.api.calls.find((c) => c.method === "answerCallbackQuery");
    expect(toast?.payload.show_alert).toBe(true);
    expect(String(toast?.payload.text)).toMatch(/URGENT #1 .*\nSignals: held\/locked in/u);
    expect(String(toast?.payload.text)).not.toContain("Siti");

    t.clock.now += 60_000;
    await forgetUser(t.deps.repos, person(1).id);
    await drainAll(t);
    const edit = boardCalls(t).at(-1);
    expect(edit?.method).toBe("editMessageText");
    expect(String(edit?.payload.text)).toBe("✅ No urgent case is waiting to be claimed.");
  });
});
