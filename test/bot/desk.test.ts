import { afterEach, describe, expect, it } from "vitest";
import { forgetUser } from "../../src/storage/privacy.ts";
import { createTestBot, type TestBot, USER_ID } from "../helpers/bot.ts";
import { DB_KINDS } from "../helpers/databases.ts";
import { deskOf, drainAll, isBoardCall, STAFF, STAFF_CHAT, staffMessage, staffPress } from "../helpers/desk.ts";

let tb: TestBot;
afterEach(async () => tb?.close());

const URGENT = "saya disekap dan dipukul, tolong";
const T0 = Date.UTC(2026, 0, 20, 3, 0); // 10:00 in Phnom Penh

function desk(env: Record<string, string> = {}, db: "sqlite" | "postgres" = "sqlite") {
  return createTestBot({ db, now: T0, env: { STAFF_CHAT_ID: String(STAFF_CHAT), ...env } });
}
// The "urgent now" board has its own tests (urgent-board.test.ts): left out here.
const toGroup = (tb: TestBot, method: string) => tb.api.calls.filter((c) => c.method === method && c.payload.chat_id === STAFF_CHAT && !isBoardCall(c));
const threadOf = async (tb: TestBot, caseId = 1) => (await tb.deps.repos.cases.get(caseId))?.threadId as number;

describe.each(DB_KINDS)("staff desk (%s)", (kind) => {
  it("an urgent message: the user is answered at once; case, topic and card are queued first and delivered by the sender", async () => {
    tb = await desk({}, kind);
    await tb.send(URGENT);
    // The immediate reply went directly, before any outbox delivery.
    const [first, consent] = tb.replies();
    expect(first).toContain("petugas help line sedang diberi tahu");
    expect(first).toContain("+855 12 813 282"); // from facts.json via the locale
    expect(consent).toContain("Bolehkah petugas menulis");
    expect(toGroup(tb, "createForumTopic")).toHaveLength(0);
    const c = await tb.deps.repos.cases.openFor(USER_ID);
    expect(c).toMatchObject({ id: 1, priority: "urgent", status: "open", writer: "worker", threadId: null });
    expect(c?.signals).toContain("confinement");
    const queued = await tb.deps.repos.outbox.all();
    expect(queued.map((r) => r.kind)).toEqual(["topic", "card", "board"]);

    await drainAll(tb);
    const [topic] = toGroup(tb, "createForumTopic");
    expect(topic?.payload.name).toBe("#1 🔴 MENDESAK · ID");
    const card = toGroup(tb, "sendMessage")[0];
    expect(card?.payload.message_thread_id).toBe(await threadOf(tb));
    expect(String(card?.payload.text)).toContain("Kasus #1");
    expect(String(card?.payload.text)).toContain("disekap/dikurung, kekerasan"); // signals in the staff language
    expect(String(card?.payload.text)).toContain(URGENT);
    expect(String(card?.payload.text)).toContain("disembunyikan"); // no name without consent
    expect(String(card?.payload.text)).not.toContain("Tester");
    // Claim, Resolve, the likeliest ready answers (safety first for a person held), Block.
    expect(tb.lastButtons(STAFF_CHAT)).toEqual(["dk:c:1", "dk:r:1", "dk:s:safety:1", "dk:s:hotlines:1", "dk:s:kbri:1", "dk:b:1"]);
    expect((await tb.deps.repos.outbox.all()).every((r) => r.status === "sent")).toBe(true);
    expect((await tb.deps.repos.audit.list(1)).map((a) => a.action)).toEqual(["created"]);
  });

  it("relays both ways: user messages are copied into the topic (texts merged), staff replies are copied to the user, /note stays", async () => {
    tb = await desk({}, kind);
    await tb.send(URGENT);
    await drainAll(tb);
    const thread = await threadOf(tb);
    tb.api.clear();
    await tb.send("saya di lantai 3");
    await tb.send("gedung biru dekat pasar");
    await tb.handle({
      message: { message_id: 77, date: 0, chat: { id: USER_ID, type: "private", first_name: "T" }, from: { id: USER_ID, is_bot: false, first_name: "T" }, photo: [{ file_id: "p", file_unique_id: "p", width: 1, height: 1 }] },
    });
    await drainAll(tb);
    const texts = toGroup(tb, "sendMessage").filter((c) => c.payload.message_thread_id === thread).map((c) => c.payload.text);
    expect(texts).toEqual(["saya di lantai 3\n\ngedung biru dekat pasar"]);
    const copies = toGroup(tb, "copyMessage");
    expect(copies).toHaveLength(1);
    expect(copies[0]?.payload).toMatchObject({ from_chat_id: USER_ID, message_id: 77, message_thread_id: thread });

    tb.api.clear();
    await tb.handle(staffMessage("/note jangan sebut nama KBRI dulu", { thread }));
    await tb.handle(staffMessage("Halo, saya Sari dari help line. Anda aman sekarang?", { thread }));
    await drainAll(tb);
    const toUser = tb.api.calls.filter((c) => c.payload.chat_id === USER_ID);
    // The reply makes Sari active on the case: the user is told a person joined, then gets the copy.
    expect(toUser.map((c) => c.method)).toEqual(["sendMessage", "copyMessage"]);
    expect(String(toUser[0]?.payload.text)).toContain("Seorang petugas help line sekarang ada");
    expect(toUser[1]?.payload).toMatchObject({ from_chat_id: STAFF_CHAT });
    expect(tb.api.calls.some((c) => c.method === "forwardMessage")).toBe(false);
    expect(tb.api.calls.filter((c) => c.method === "copyMessage" && c.payload.chat_id === USER_ID)).toHaveLength(1); // not the note
    const actions = (await tb.deps.repos.audit.list(1)).map((a) => `${a.action}:${a.actorId}`);
    expect(actions).toEqual(["created:0", "note:9001", "claim:9001", "relay:9001"]);
  });

  it("claim: the user is told a person joined and the bot stops answering; resolve: told the bot answers again", async () => {
    tb = await desk({}, kind);
    await tb.send(URGENT);
    await drainAll(tb);
    tb.api.clear();
    await tb.handle(staffPress("dk:c:1"));
    const answer = tb.api.sent("answerCallbackQuery")[0];
    expect(answer?.payload.text).toBe("Kasus #1 Anda ambil.");
    await drainAll(tb);
    expect(tb.replies()).toEqual(["Seorang petugas help line sekarang ada dalam percakapan ini. Tulis saja di sini."]);
    const edit = tb.api.sent("editMessageText").filter((c) => !isBoardCall(c))[0];
    expect(String(edit?.payload.text)).toContain("Ditangani oleh: Sari");

    // While claimed, a question the bot could answer gets no bot answer; it goes to staff.
    tb.api.clear();
    await tb.send("berapa biaya paspor");
    expect(tb.replies()).toEqual([]);
    await drainAll(tb);
    expect(toGroup(tb, "sendMessage").map((c) => c.payload.text)).toEqual(["berapa biaya paspor"]);

    tb.api.clear();
    await tb.handle(staffPress("dk:r:1"));
    // Resolve asks for the outcome first: nothing changes yet.
    await drainAll(tb);
    expect((await tb.deps.repos.cases.get(1))?.status).toBe("claimed");
    expect(tb.replies()).toEqual([]);
    expect(tb.lastButtons(STAFF_CHAT)).toContain("dk:x:kbri:1");
    await tb.handle(staffPress("dk:x:kbri:1"));
    await drainAll(tb);
    expect(tb.replies()).toEqual([expect.stringContaining("Bot kembali menjawab otomatis")]);
    expect((await tb.deps.repos.cases.get(1))?.outcome).toBe("kbri");
    expect(toGroup(tb, "closeForumTopic")).toHaveLength(1);
    expect((await tb.deps.repos.cases.get(1))?.status).toBe("resolved");
    tb.api.clear();
    await tb.send("berapa biaya paspor");
    expect(tb.replies().length).toBeGreaterThan(0); // the bot answers again
    await drainAll(tb);
    expect(toGroup(tb, "sendMessage")).toHaveLength(0); // nothing relayed after resolve

    await tb.handle(staffPress("dk:o:1"));
    expect((await tb.deps.repos.cases.get(1))?.status).toBe("reopened");
    expect((await tb.deps.repos.audit.list(1)).map((a) => a.action)).toEqual(["created", "claim", "resolve", "reopen"]);
  });
});

describe("staff desk: access, commands, blocks, hours, escalation", () => {
  it("someone who is not in the staff group gets no sign of a case; membership is asked again on every change", async () => {
    tb = await desk();
    await tb.send(URGENT);
    await drainAll(tb);
    const outsider = { id: 666, first_name: "X" };
    tb.api.responder = (call) => (call.method === "getChatMember" && call.payload.user_id === 666 ? { status: "left", user: { id: 666, is_bot: false, first_name: "X" } } : undefined);
    tb.api.clear();
    await tb.handle(staffPress("dk:c:1", { from: outsider }));
    await tb.handle(staffMessage("/cases", { from: outsider }));
    await tb.handle(staffMessage("/case 1", { from: outsider }));
    await drainAll(tb);
    expect(tb.api.sent("answerCallbackQuery")).toEqual([expect.objectContaining({ payload: expect.not.objectContaining({ text: expect.anything() }) })]);
    expect(tb.api.sent("sendMessage")).toHaveLength(0);
    expect((await tb.deps.repos.cases.get(1))?.status).toBe("open");
    // Staff: a press changes a case, so each asks Telegram (a removed member loses their powers at once).
    tb.api.clear();
    await tb.handle(staffPress("dk:c:1"));
    await tb.handle(staffPress("dk:c:1"));
    expect(tb.api.sent("getChatMember")).toHaveLength(2);
    // Reading may use an answer a few seconds old.
    await tb.handle(staffMessage("/cases"));
    expect(tb.api.sent("getChatMember")).toHaveLength(2);
    expect(tb.api.sent("answerCallbackQuery")[1]?.payload.text).toBe("Anda sudah menangani kasus ini.");
  });

  it("/cases lists urgent first then oldest; /case N shows one case", async () => {
    tb = await desk();
    await tb.send("/human", { id: 1 });
    tb.clock.now += 60_000;
    await tb.send("/human", { id: 2 });
    tb.clock.now += 60_000;
    await tb.send(URGENT, { id: 3 });
    tb.clock.now += 60_000;
    await tb.send(URGENT, { id: 4 });
    await drainAll(tb);
    tb.api.clear();
    await tb.handle(staffMessage("/cases"));
    await drainAll(tb);
    const list = String(toGroup(tb, "sendMessage")[0]?.payload.text);
    const order = [...list.matchAll(/^#(\d+)/gm)].map((m) => Number(m[1]));
    expect(order).toEqual([3, 4, 1, 2]);
    tb.api.clear();
    await tb.handle(staffMessage("/case 2"));
    await tb.handle(staffMessage("/case 99"));
    await drainAll(tb);
    const [one, missing] = toGroup(tb, "sendMessage").map((c) => String(c.payload.text));
    expect(one).toContain("Kasus #2");
    expect(one).toContain("🟢 biasa");
    expect(missing).toBe("Kasus #99 tidak ditemukan.");
  });

  it("Block for 24 h is stored: nothing is relayed until it ends, and it is audited", async () => {
    tb = await desk();
    await tb.send(URGENT);
    await drainAll(tb);
    await tb.handle(staffPress("dk:b:1"));
    expect(await tb.deps.repos.cases.blockedUntil(USER_ID)).toBe(T0 + 24 * 3600_000);
    await drainAll(tb);
    tb.api.clear();
    await tb.send("halo lagi");
    await drainAll(tb);
    expect(toGroup(tb, "sendMessage")).toHaveLength(0);
    tb.clock.now += 24 * 3600_000 + 1;
    await tb.send("halo lagi");
    await drainAll(tb);
    expect(toGroup(tb, "sendMessage").map((c) => c.payload.text)).toEqual(["halo lagi"]);
    expect((await tb.deps.repos.audit.list(1)).map((a) => a.action)).toContain("block");
  });

  it("outside STAFF_HOURS the user is told when staff answer and given the hotlines", async () => {
    tb = await desk({ STAFF_HOURS: "08:00-17:00" });
    tb.clock.now = Date.UTC(2026, 0, 20, 15, 0); // 22:00 in Phnom Penh
    await tb.send("/human");
    const reply = tb.replies()[0];
    expect(reply).toContain("08:00-17:00");
    expect(reply).toContain("+855 12 813 282");
    tb.api.clear();
    tb.clock.now = T0; // 10:00
    await tb.send(URGENT, { id: 5 });
    expect(tb.replies(5).join("\n")).not.toContain("08:00-17:00");
  });

  it("an urgent case nobody claims in URGENT_CLAIM_MINUTES is announced in the General topic (on-call mentioned) and the escalation chat, once", async () => {
    tb = await desk({ URGENT_CLAIM_MINUTES: "5", STAFF_ONCALL: "budi, @ani", ESCALATION_CHAT_ID: "-100555" });
    await tb.send(URGENT);
    await tb.send("/human", { id: 2 });
    await drainAll(tb);
    tb.api.clear();
    tb.clock.now += 4 * 60_000;
    expect(await deskOf(tb).escalate()).toBe(0);
    tb.clock.now += 61_000;
    expect(await deskOf(tb).escalate()).toBe(1);
    expect(await deskOf(tb).escalate()).toBe(0);
    // Queued ahead of everything else, urgent relays included.
    const queued = (await tb.deps.repos.outbox.all()).filter((r) => r.status === "pending");
    expect(queued.map((r) => r.priority)).toEqual([-1, -1]);
    await drainAll(tb);
    const general = toGroup(tb, "sendMessage");
    expect(general).toHaveLength(1);
    expect(general[0]?.payload.message_thread_id).toBeUndefined();
    expect(String(general[0]?.payload.text)).toContain("#1");
    expect(String(general[0]?.payload.text)).toContain("@budi @ani");
    expect(tb.api.calls.filter((c) => c.payload.chat_id === -100555)).toHaveLength(1);
    // A claimed urgent case is not escalated.
    await tb.send(URGENT, { id: 3 });
    await tb.handle(staffPress("dk:c:3"));
    tb.clock.now += 10 * 60_000;
    expect(await deskOf(tb).escalate()).toBe(0);
  });

  it("a staff reply after 24 h of silence without consent is held and staff are told why; it goes when the user writes again", async () => {
    tb = await desk();
    await tb.send(URGENT);
    await tb.press("dk:cs:n");
    await drainAll(tb);
    const thread = await threadOf(tb);
    tb.clock.now += 25 * 3600_000;
    tb.api.clear();
    await tb.handle(staffMessage("Apa kabar?", { thread }));
    await drainAll(tb);
    expect(tb.api.calls.filter((c) => c.payload.chat_id === USER_ID)).toHaveLength(0);
    expect(String(toGroup(tb, "sendMessage")[0]?.payload.text)).toContain("⏸");
    await tb.send("saya masih di sini");
    await drainAll(tb);
    expect(tb.api.calls.filter((c) => c.method === "copyMessage" && c.payload.chat_id === USER_ID)).toHaveLength(1);
  });

  it("the user's name appears only if they agreed", async () => {
    tb = await desk();
    await tb.send(URGENT);
    await tb.press("dk:cs:yn");
    await drainAll(tb);
    expect((await tb.deps.repos.cases.get(1))?.userName).toBe("Tester");
    const card = toGroup(tb, "sendMessage")[0];
    expect(String(card?.payload.text)).toContain("Nama: Tester");
  });

  it("a Telegram 429 is retried after retry_after; a 5xx with back-off; nothing is lost", async () => {
    tb = await desk();
    let fail = 2;
    tb.api.responder = (call) => {
      if (call.method === "createForumTopic" && fail-- > 0) {
        return fail === 1
          ? { ok: false, error_code: 429, description: "Too Many Requests: retry after 7", parameters: { retry_after: 7 } }
          : { ok: false, error_code: 502, description: "Bad Gateway" };
      }
      return undefined;
    };
    await tb.send(URGENT);
    const r = await deskOf(tb).sender.drain();
    expect(r.nextAt).toBe(T0 + 7000);
    await drainAll(tb);
    expect(tb.api.sent("createForumTopic")).toHaveLength(3);
    expect(toGroup(tb, "sendMessage")).toHaveLength(1);
    expect(deskOf(tb).sender.stats.rateLimited).toBe(1);
  });

  it("/forget deletes the user's cases and queued messages", async () => {
    tb = await desk();
    await tb.send(URGENT);
    await forgetUser(tb.deps.repos, USER_ID);
    expect(await tb.deps.repos.cases.get(1)).toBeUndefined();
    // What is left are the board's rows: they carry nothing and name nobody.
    expect((await tb.deps.repos.outbox.all()).map((r) => [r.kind, r.owner, r.caseId, r.payload])).toEqual([
      ["board", null, null, {}],
      ["board", null, null, {}],
    ]);
  });

  it("without STAFF_CHAT_ID: urgent reply with hotlines, /human gives hotlines", async () => {
    tb = await createTestBot();
    await tb.send(URGENT);
    expect(tb.replies()[0]).toContain("Tidak ada petugas help line yang bisa melihat pesan di bot ini");
    expect(tb.replies()[0]).toContain("+855 12 813 282");
    tb.api.clear();
    await tb.send("/human");
    expect(tb.replies()[0]).toContain("+855 12 813 282");
  });

  it("leaves any other group it is added to", async () => {
    tb = await desk();
    await tb.handle({
      message: { message_id: 1, date: 0, chat: { id: -100777, type: "supergroup", title: "Other" }, from: { id: 5, is_bot: false, first_name: "A" }, text: "hi" },
    });
    expect(tb.api.sent("leaveChat").map((c) => c.payload.chat_id)).toEqual([-100777]);
    expect(STAFF.id).toBe(9001);
  });
});
