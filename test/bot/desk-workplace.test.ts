/**
 * The desk as a workplace, in both staff languages: staff texts in STAFF_LANGUAGE,
 * ready answers, outcomes, /stats and /export, follow-ups, consent and blocks.
 */
import { afterEach, describe, expect, it } from "vitest";
import { publishCommands } from "../../src/bot/commands.ts";
import type { BotContext } from "../../src/bot/context.ts";
import { FakeTelegram } from "../../src/bot/fake-api.ts";
import { CB } from "../../src/bot/keyboards/callbacks.ts";
import { CSV_COLUMNS } from "../../src/bot/desk/report.ts";
import { createTestBot, type TestBot, USER_ID } from "../helpers/bot.ts";
import { deskOf, drainAll, isBoardCall, STAFF_CHAT, staffMessage, staffPress } from "../helpers/desk.ts";

let tb: TestBot | undefined;
afterEach(async () => tb?.close());

const URGENT_ID = "saya disekap dan dipukul, tolong";
const T0 = Date.UTC(2026, 0, 20, 3, 0); // 10:00 in Phnom Penh
const DAY = 24 * 3600_000;

function desk(staffLang: "id" | "en", env: Record<string, string> = {}) {
  return createTestBot({ now: T0, env: { STAFF_CHAT_ID: String(STAFF_CHAT), STAFF_LANGUAGE: staffLang, ...env } });
}
// The "urgent now" board has its own tests (urgent-board.test.ts): left out here.
const toGroup = (b: TestBot, method = "sendMessage") => b.api.calls.filter((c) => c.method === method && c.payload.chat_id === STAFF_CHAT && !isBoardCall(c));
const groupTexts = (b: TestBot) => toGroup(b).map((c) => String(c.payload.text));
const threadOf = async (b: TestBot, id = 1) => (await b.deps.repos.cases.get(id))?.threadId as number;

describe.each(["id", "en"] as const)("staff desk in STAFF_LANGUAGE=%s", (lang) => {
  const st = (b: TestBot) => b.deps.translator.t(lang);

  it("cards, topic names, toasts and the staff menu are in the staff language; signals are translated", async () => {
    tb = await desk(lang);
    await tb.send(URGENT_ID);
    await drainAll(tb);
    const t = st(tb);
    expect(toGroup(tb, "createForumTopic")[0]?.payload.name).toBe(lang === "id" ? "#1 🔴 MENDESAK · ID" : "#1 🔴 URGENT · ID");
    const card = groupTexts(tb)[0] ?? "";
    expect(card).toContain(t("desk:staff.card_title", { prio: t("desk:staff.prio_urgent"), id: 1 }));
    expect(card).toContain(t("desk:signal.confinement"));
    expect(card).not.toContain("confinement");
    expect(card).toContain(URGENT_ID); // what the person wrote stays as written
    // The user's own texts stay in the user's language (Indonesian here).
    expect(tb.replies()[0]).toContain("petugas help line sedang diberi tahu");
    tb.api.clear();
    await tb.handle(staffPress("dk:c:1"));
    expect(tb.api.sent("answerCallbackQuery")[0]?.payload.text).toBe(t("desk:staff.toast_claimed", { id: 1 }));
    // The staff menu.
    const api = new FakeTelegram();
    const { Bot } = await import("grammy");
    const bot = new Bot("1:x", { botInfo: api.botInfo, client: { fetch: api.fetch } });
    await publishCommands(bot.api, tb.deps.translator, STAFF_CHAT, lang);
    const staffMenu = api.calls.find((c) => (c.payload.scope as { chat_id?: number } | undefined)?.chat_id === STAFF_CHAT);
    const cmds = staffMenu?.payload.commands as { command: string; description: string }[];
    expect(cmds.map((c) => c.command)).toEqual(["cases", "case", "send", "note", "followup", "stats", "export"]);
    expect(cmds[0]?.description).toBe(t("commands:staff_cases"));
  });

  it("/send shows the ready answers; /send NAME sends it in the person's language; staff see it in theirs; card buttons send too", async () => {
    tb = await desk(lang);
    const en = { language_code: "en", id: USER_ID };
    await tb.send("/language en", en);
    await tb.send("/human", en);
    await drainAll(tb);
    const thread = await threadOf(tb);
    const t = st(tb);
    const userT = tb.deps.translator.t("en");
    tb.api.clear();
    await tb.handle(staffMessage("/send", { thread }));
    await drainAll(tb);
    expect(tb.lastButtons(STAFF_CHAT)).toEqual(["kbri", "splp", "pulang", "hotlines", "shelter", "safety"].map((a) => `dk:s:${a}:1`));
    expect(groupTexts(tb).at(-1)).toBe(t("desk:staff.send_choose", { id: 1 }));
    tb.api.clear();
    await tb.handle(staffMessage("/send kbri", { thread }));
    await drainAll(tb);
    const toUser = tb.replies();
    // Joined notice, then the answer: the bot's own KBRI text in English, numbers from facts.json.
    expect(toUser.at(-1)).toBe(`${userT("topics:embassy_contact.title")}\n\n${userT("topics:embassy_contact.body")}`);
    expect(toUser.at(-1)).toContain("+855 12 813 282");
    const shown = groupTexts(tb).find((x) => x.startsWith("📤")) ?? "";
    expect(shown).toContain(t("desk:ready.kbri"));
    expect(shown).toContain(t("topics:embassy_contact.body"));
    const c = await tb.deps.repos.cases.get(1);
    expect(c).toMatchObject({ status: "claimed", firstReplyAt: T0, claimedAt: T0 });
    // Shelter (its own text, facts interpolated) from a button.
    tb.api.clear();
    await tb.handle(staffPress("dk:s:shelter:1", { thread }));
    await drainAll(tb);
    expect(tb.replies().at(-1)).toBe(userT("desk:ready.shelter_text"));
    expect(tb.replies().at(-1)).toContain("Soekarno-Hatta");
    // An unknown name: told which exist, nothing sent.
    tb.api.clear();
    await tb.handle(staffMessage("/send visa", { thread }));
    await drainAll(tb);
    expect(tb.replies()).toEqual([]);
    expect(groupTexts(tb).at(-1)).toContain("kbri, splp, pulang, hotlines, shelter, safety");
    expect((await tb.deps.repos.audit.list(1)).filter((a) => a.action === "ready").map((a) => a.detail)).toEqual(["kbri", "shelter"]);
  });

  it("resolving asks for an outcome; the card and the audit keep it; 'other' is the way without one", async () => {
    tb = await desk(lang);
    await tb.send(URGENT_ID);
    await drainAll(tb);
    const t = st(tb);
    tb.api.clear();
    await tb.handle(staffPress("dk:r:1"));
    expect(tb.api.sent("answerCallbackQuery")[0]?.payload.text).toBe(t("desk:staff.toast_choose_outcome"));
    await drainAll(tb);
    expect((await tb.deps.repos.cases.get(1))?.status).toBe("open");
    expect(tb.lastButtons(STAFF_CHAT)).toEqual(["kbri", "splp", "home", "police_shelter", "lost_contact", "not_trafficking", "other"].map((o) => `dk:x:${o}:1`));
    await tb.handle(staffPress("dk:x:home:1"));
    await drainAll(tb);
    const c = await tb.deps.repos.cases.get(1);
    expect(c).toMatchObject({ status: "resolved", outcome: "home" });
    const edit = tb.api.sent("editMessageText").filter((c) => !isBoardCall(c)).at(-1);
    expect(String(edit?.payload.text)).toContain(t("desk:staff.card_outcome", { outcome: t("desk:outcome.home") }));
    const audit = await tb.deps.repos.audit.list(1);
    expect(audit.find((a) => a.action === "resolve")?.detail).toBe("outcome:home");
    // A forged outcome does nothing.
    await tb.handle(staffPress("dk:o:1"));
    await tb.handle(staffPress("dk:x:bogus:1"));
    expect((await tb.deps.repos.cases.get(1))?.status).toBe("reopened");
    await tb.handle(staffPress("dk:x:other:1"));
    expect((await tb.deps.repos.cases.get(1))?.outcome).toBe("other");
  });

  it("/stats gives the figures and a PNG chart; /export a CSV without names, ids or texts", async () => {
    tb = await desk(lang);
    await tb.send(URGENT_ID, { id: 11, first_name: "Rahasia" });
    tb.clock.now += 10 * 60_000;
    await tb.send("/human", { id: 12 });
    await drainAll(tb);
    tb.clock.now += 5 * 60_000;
    await tb.handle(staffPress("dk:c:1")); // claimed after 15 min
    await tb.handle(staffPress("dk:x:kbri:1"));
    tb.clock.now += DAY;
    await drainAll(tb);
    tb.api.clear();
    await tb.handle(staffMessage("/stats"));
    const t = st(tb);
    const rows = await tb.deps.repos.outbox.all();
    const photo = rows.find((r) => r.kind === "photo");
    expect(Buffer.from(String(photo?.payload.base64), "base64").subarray(1, 4).toString()).toBe("PNG");
    await drainAll(tb);
    const text = groupTexts(tb).find((x) => x.startsWith("📊")) ?? "";
    expect(text).toContain(t("desk:staff.stats_open", { open: 1, urgent: 0 }));
    expect(text).toContain(t("desk:staff.stats_opened", { today: 0, d7: 2, d30: 2 }));
    expect(text).toContain(t("desk:staff.stats_claim", { spread: t("desk:staff.stats_spread", { median: t("desk:staff.age_minutes", { n: 15 }), p90: t("desk:staff.age_minutes", { n: 15 }), n: 1 }) }));
    expect(text).toContain(`${t("desk:outcome.kbri")}: 1`);
    expect(text).toContain(`${t("desk:signal.confinement")}: 1`);
    expect(tb.api.calls.filter((c) => c.method === "sendPhoto")).toHaveLength(1);

    await tb.handle(staffMessage("/export"));
    const doc = (await tb.deps.repos.outbox.all()).find((r) => r.kind === "document");
    const csv = Buffer.from(String(doc?.payload.base64), "base64").toString("utf8");
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toBe(CSV_COLUMNS.join(","));
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^1,2026-01-20T03:00:00.000Z,2026-01-20T03:15:00.000Z,,2026-01-20T03:15:00.000Z,urgent,confinement violence[a-z_ ]*,kbri,id$/);
    expect(csv).not.toContain("Rahasia");
    expect(csv).not.toContain("11,");
    expect(csv).not.toContain("disekap");
    await drainAll(tb);
    expect(tb.api.calls.filter((c) => c.method === "sendDocument")).toHaveLength(1);
  });

  it("/followup 3d reminds the topic then (also after a restart) and /cases lists it as due", async () => {
    tb = await desk(lang);
    await tb.send(URGENT_ID);
    await drainAll(tb);
    const thread = await threadOf(tb);
    const t = st(tb);
    await tb.handle(staffMessage("/followup soon", { thread }));
    await tb.handle(staffMessage("/followup 3d", { thread }));
    await drainAll(tb);
    expect(groupTexts(tb)).toContain(t("desk:staff.follow_up_usage"));
    expect((await tb.deps.repos.cases.get(1))?.followUpAt).toBe(T0 + 3 * DAY);
    expect(groupTexts(tb).at(-1)).toContain("2026-01-23 10:00");
    // A restart: a new bot over the same database finds it.
    const db = tb.db;
    const old = tb;
    tb = await createTestBot({ database: db, now: T0 + 3 * DAY - 1, env: { STAFF_CHAT_ID: String(STAFF_CHAT), STAFF_LANGUAGE: lang } });
    expect(await deskOf(tb).remindDue()).toBe(0);
    tb.clock.now = T0 + 3 * DAY;
    await tb.handle(staffMessage("/cases"));
    expect(await deskOf(tb).remindDue()).toBe(1);
    expect(await deskOf(tb).remindDue()).toBe(0);
    await drainAll(tb);
    const texts = groupTexts(tb);
    expect(texts.join("\n")).toContain(t("desk:staff.cases_follow_due", { list: "#1" }));
    const reminder = toGroup(tb).find((c) => String(c.payload.text).startsWith("⏰") && String(c.payload.text).includes("#1") && c.payload.message_thread_id === thread);
    expect(reminder).toBeDefined();
    // A date in the staff time zone, and off.
    await tb.handle(staffMessage("/followup 2026-02-01 14:30", { thread }));
    expect((await tb.deps.repos.cases.get(1))?.followUpAt).toBe(Date.UTC(2026, 1, 1, 7, 30));
    await tb.handle(staffMessage("/followup off", { thread }));
    expect((await tb.deps.repos.cases.get(1))?.followUpAt).toBeNull();
    await old.close();
  });

  it("a family member's consent in the report shows on the card; a blocked user's urgent message reaches staff marked, and is not re-announced", async () => {
    tb = await desk(lang, { URGENT_CLAIM_MINUTES: "5" });
    const t = st(tb);
    // A blocked user writes something urgent.
    await tb.send("/human");
    await drainAll(tb);
    await tb.handle(staffPress("dk:b:1"));
    await tb.handle(staffPress("dk:x:other:1"));
    await drainAll(tb);
    tb.api.clear();
    await tb.send(URGENT_ID);
    expect(tb.replies()[0]).toContain("+855 12 813 282");
    await drainAll(tb);
    const c2 = await tb.deps.repos.cases.openFor(USER_ID);
    expect(c2?.priority).toBe("urgent");
    expect(groupTexts(tb).join("\n")).toContain(t("desk:staff.from_blocked"));
    tb.clock.now += 10 * 60_000;
    expect(await deskOf(tb).escalate()).toBe(0);
    // An ordinary message from the blocked user is still not relayed.
    tb.api.clear();
    await tb.send("halo");
    await drainAll(tb);
    expect(groupTexts(tb)).toEqual([]);
  });
});

describe("STAFF_LANGUAGE", () => {
  it("defaults to Indonesian; only id or en", async () => {
    const { createConfig } = await import("../../src/config.ts");
    expect(createConfig({}).STAFF_LANGUAGE).toBe("id");
    expect(createConfig({ STAFF_LANGUAGE: "en" }).STAFF_LANGUAGE).toBe("en");
    expect(() => createConfig({ STAFF_LANGUAGE: "fr" })).toThrow(/STAFF_LANGUAGE/);
  });
});

describe("desk: family consent, the danger button hand-off, /forget, long edits, deleted topics, staff checks", () => {
  it("the card of a family report says the family member agreed (no 'not answered')", async () => {
    tb = await desk("en");
    await tb.deps.repos.cases.create({ userId: 5, priority: "urgent", lang: "id", writer: "family", signals: ["family_report"], preview: "report", now: T0, consent: true });
    await tb.handle(staffMessage("/case 1"));
    await drainAll(tb);
    const text = groupTexts(tb)[0] ?? "";
    const t = tb.deps.translator.t("en");
    expect(text).toContain(t("desk:staff.consent_family"));
    expect(text).toContain(t("desk:staff.card_name_family"));
    expect(text).not.toContain(t("desk:staff.consent_unknown"));
  });

  it("a caller opens an urgent case with its own signals from a button; pressed again, staff are told again, ahead of the queue", async () => {
    tb = await desk("id");
    // What the lead's danger button will do: the hand-off with its own signal, from a button.
    const b = tb;
    const press = () =>
      deskOf(b).handoff.urgent(
        { from: { id: USER_ID, is_bot: false, first_name: "T" }, chat: { id: USER_ID, type: "private", first_name: "T" }, session: {}, lang: "id", t: b.deps.translator.t("id") } as unknown as BotContext,
        { signals: ["danger_button"], text: "🆘", fromButton: true },
      );
    expect(await press()).toMatchObject({ reached: true, quiet: false, caseId: 1 });
    const c = await tb.deps.repos.cases.get(1);
    expect(c).toMatchObject({ priority: "urgent", signals: ["danger_button"] });
    await drainAll(tb);
    expect(groupTexts(tb)[0]).toContain("tombol bahaya");
    tb.api.clear();
    await tb.send("halo lagi"); // an ordinary relay queued first
    expect(await press()).toMatchObject({ reached: true, caseId: 1 });
    const rows = (await tb.deps.repos.outbox.all()).filter((r) => r.status === "pending");
    expect(rows.map((r) => r.priority).sort()).toEqual([-1, 0]);
    await drainAll(tb);
    expect(groupTexts(tb)[0]).toBe("🚨 Pengguna menekan tombol bahaya lagi.\n🆘");
  });

  it("/forget deletes the case topic; where that fails the card says 'deleted at the user's request'", async () => {
    tb = await desk("en");
    await tb.send(URGENT_ID);
    await drainAll(tb);
    const thread = await threadOf(tb);
    await tb.send("/forget");
    await tb.press(CB.forgetYes);
    expect(await tb.deps.repos.cases.get(1)).toBeUndefined();
    await drainAll(tb);
    expect(tb.api.sent("deleteForumTopic").map((c) => c.payload)).toEqual([{ chat_id: STAFF_CHAT, message_thread_id: thread }]);
    // No row left names the user.
    expect((await tb.deps.repos.outbox.all()).every((r) => r.owner === null && !JSON.stringify(r.payload).includes(String(USER_ID)))).toBe(true);

    // No right to delete topics: the card is replaced.
    await tb.send(URGENT_ID, { id: 77 });
    await drainAll(tb);
    const card = (await tb.deps.repos.cases.openFor(77))?.cardMessageId;
    tb.api.responder = (call) => (call.method === "deleteForumTopic" ? { ok: false, error_code: 400, description: "Bad Request: not enough rights to delete the topic" } : undefined);
    await tb.send("/forget", { id: 77 });
    await tb.press(CB.forgetYes, { id: 77 });
    await drainAll(tb);
    const edit = tb.api.sent("editMessageText").filter((c) => !isBoardCall(c)).at(-1);
    expect(edit?.payload).toMatchObject({ chat_id: STAFF_CHAT, message_id: card });
    expect(String(edit?.payload.text)).toContain("deleted at the user's request");
  });

  it("a long edited message reaches staff in parts, none over 4096 characters", async () => {
    tb = await desk("en");
    await tb.send(URGENT_ID);
    await drainAll(tb);
    tb.api.clear();
    const long = "kata ".repeat(819) + "akhir"; // 4,100 characters
    await tb.handle({
      edited_message: { message_id: 3, date: 0, edit_date: 1, chat: { id: USER_ID, type: "private", first_name: "T" }, from: { id: USER_ID, is_bot: false, first_name: "T" }, text: long },
    });
    await drainAll(tb);
    const texts = groupTexts(tb);
    expect(texts.length).toBeGreaterThanOrEqual(2);
    for (const x of texts) expect(x.length).toBeLessThanOrEqual(4096);
    expect(texts.join("")).toContain("akhir");
    expect(texts[0]).toContain("(1/2)");
  });

  it("after the case topic was deleted, the person's messages are not lost: a new topic, a note, the message again", async () => {
    tb = await desk("en");
    await tb.send(URGENT_ID);
    await drainAll(tb);
    const old = await threadOf(tb);
    tb.api.responder = (call) =>
      call.method === "sendMessage" && call.payload.message_thread_id === old ? { ok: false, error_code: 400, description: "Bad Request: message thread not found" } : undefined;
    await tb.send("saya masih di sini");
    await drainAll(tb);
    const now = await threadOf(tb);
    expect(now).not.toBe(old);
    const inNew = toGroup(tb).filter((c) => c.payload.message_thread_id === now).map((c) => String(c.payload.text));
    expect(inNew.some((x) => x.includes("Case #1"))).toBe(true);
    expect(inNew).toContain(tb.deps.translator.t("en")("desk:staff.notice_topic_recreated"));
    expect(inNew).toContain("saya masih di sini");
  });

  it("non-members: /note is not recorded, topic messages are not relayed; a removed member loses powers at once; polls and dice get a note", async () => {
    tb = await desk("en");
    await tb.send(URGENT_ID);
    await drainAll(tb);
    const thread = await threadOf(tb);
    let removed = false;
    tb.api.responder = (call) =>
      call.method === "getChatMember" && (call.payload.user_id === 666 || (removed && call.payload.user_id === 9001))
        ? { status: "left", user: { id: Number(call.payload.user_id), is_bot: false, first_name: "X" } }
        : undefined;
    const outsider = { id: 666, first_name: "X" };
    tb.api.clear();
    await tb.handle(staffMessage("/note secret", { thread, from: outsider }));
    await tb.handle(staffMessage("hello from outside", { thread, from: outsider }));
    await tb.handle(staffMessage("/send kbri", { thread, from: outsider }));
    await tb.handle(staffMessage("/followup 1d", { thread, from: outsider }));
    await drainAll(tb);
    expect(tb.api.calls.filter((c) => c.payload.chat_id === USER_ID)).toHaveLength(0);
    expect((await tb.deps.repos.audit.list(1)).map((a) => a.action)).toEqual(["created"]);
    expect((await tb.deps.repos.cases.get(1))?.followUpAt).toBeNull();
    // A staff member, then removed: the next press is refused without waiting for a cache.
    await tb.handle(staffMessage("/cases"));
    removed = true;
    await tb.handle(staffPress("dk:c:1"));
    expect((await tb.deps.repos.cases.get(1))?.status).toBe("open");
    removed = false;
    await drainAll(tb);
    // A poll in the topic is answered with a note.
    tb.api.clear();
    const poll = staffMessage("x", { thread }) as unknown as { message: Record<string, unknown> };
    delete poll.message.text;
    poll.message.poll = { id: "p", question: "?", options: [], total_voter_count: 0, is_closed: false, is_anonymous: true, type: "regular", allows_multiple_answers: false };
    await tb.handle(poll as never);
    await drainAll(tb);
    expect(groupTexts(tb)).toEqual([tb.deps.translator.t("en")("desk:staff.notice_not_relayed")]);
    expect(tb.api.calls.filter((c) => c.payload.chat_id === USER_ID)).toHaveLength(0);
    // So is a dice.
    tb.api.clear();
    const dice = staffMessage("x", { thread }) as unknown as { message: Record<string, unknown> };
    delete dice.message.text;
    dice.message.dice = { emoji: "🎲", value: 4 };
    await tb.handle(dice as never);
    await drainAll(tb);
    expect(groupTexts(tb)).toEqual([tb.deps.translator.t("en")("desk:staff.notice_not_relayed")]);
    expect(tb.api.calls.filter((c) => c.payload.chat_id === USER_ID)).toHaveLength(0);
  });
});
