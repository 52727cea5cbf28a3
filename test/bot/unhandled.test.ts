import type { Update } from "grammy/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Lang } from "../../src/domain/lang.ts";
import { createTestBot, type TestBot, USER_ID } from "../helpers/bot.ts";

let tb: TestBot;
beforeEach(async () => {
  tb = await createTestBot();
});
afterEach(async () => tb.close());

const t = (key: string, lang: Lang = "id") => tb.deps.translator.t(lang)(key);
const from = { id: USER_ID, is_bot: false, first_name: "Tester", language_code: "id" };
const chat = { id: USER_ID, type: "private" as const, first_name: "Tester" };
let mid = 50_000;
const date = () => Math.floor(Date.now() / 1000);
const message = (extra: Record<string, unknown>) =>
  ({ message: { message_id: mid++, date: date(), chat, from, ...extra } }) as unknown as Omit<Update, "update_id">;
const hotline = () => tb.deps.facts.view("id", "").kbri_hotline_protection as string;

/**
 * Nothing thrown, exactly the replies, and the update was marked processed. The
 * error boundary also replies after a crash, so no reply may be its error text.
 */
async function handleOk(update: Omit<Update, "update_id">): Promise<string[]> {
  const id = 900_000 + mid++;
  await expect(tb.handle({ ...update, update_id: id })).resolves.toBeUndefined();
  expect(await tb.deps.repos.updates.isProcessed(id)).toBe(true);
  const replies = tb.replies();
  for (const lang of ["id", "en"] as const) {
    for (const r of replies) expect(r).not.toContain(t("common:error", lang));
  }
  return replies;
}

describe("unhandled input gets a clear reply, never a crash", () => {
  it("a sticker", async () => {
    const r = await handleOk(message({ sticker: { file_id: "s", file_unique_id: "s", type: "regular", width: 1, height: 1, is_animated: false, is_video: false } }));
    expect(r).toEqual([t("unhandled:other")]);
    expect(tb.lastButtons()).toContain("t:passport");
  });

  it("a photo", async () => {
    const r = await handleOk(message({ photo: [{ file_id: "p", file_unique_id: "p", width: 1, height: 1 }] }));
    expect(r).toEqual([t("unhandled:media")]);
  });

  it("a voice message (no staff group: says nobody from a help line will hear it, with the numbers)", async () => {
    const r = await handleOk(message({ voice: { file_id: "v", file_unique_id: "v", duration: 3 } }));
    expect(r).toHaveLength(1);
    expect(r[0]).toContain(t("unhandled:voice_no_desk"));
    expect(r[0]).toContain("+855 12 813 282");
  });

  it("a document and a video", async () => {
    await handleOk(message({ document: { file_id: "d", file_unique_id: "d" } }));
    await handleOk(message({ video: { file_id: "v", file_unique_id: "v", width: 1, height: 1, duration: 1 } }));
    expect(tb.replies()).toEqual([t("unhandled:media"), t("unhandled:media")]);
  });

  it("a shared contact", async () => {
    const r = await handleOk(message({ contact: { phone_number: "+10000000000", first_name: "X" } }));
    expect(r).toEqual([t("unhandled:other")]);
  });

  it("a location: thanks, and the hotlines", async () => {
    const r = await handleOk(message({ location: { latitude: 11.55, longitude: 104.92 } }));
    expect(r).toHaveLength(1);
    expect(r[0]).toContain(t("unhandled:location"));
    expect(r[0]).toContain(hotline());
  });

  it("a photo whose caption is urgent goes through triage", async () => {
    const r = await handleOk(message({ photo: [{ file_id: "p", file_unique_id: "p", width: 1, height: 1 }], caption: "tolong saya dikurung" }));
    expect(r[0]).toContain(t("urgent:no_desk"));
  });

  it("an edited message: asked to send it again", async () => {
    const r = await handleOk({ edited_message: { message_id: 7, date: date(), edit_date: date(), chat, from, text: "paspor" } } as never);
    expect(r).toEqual([t("unhandled:edited")]);
  });

  it("an urgent edit is not lost: it goes through triage", async () => {
    const r = await handleOk({
      edited_message: { message_id: 8, date: date(), edit_date: date(), chat, from, text: "tolong saya dikurung" },
    } as never);
    expect(r[0]).toContain(t("urgent:no_desk"));
    expect(r[0]).toContain(hotline());
  });

  it("a forwarded message is read like a typed one", async () => {
    const r = await handleOk(
      message({ text: "nomor kbri brp", forward_origin: { type: "hidden_user", sender_user_name: "Someone", date: date() } }),
    );
    expect(r[0]?.startsWith(t("topics:embassy_contact.title"))).toBe(true);
  });

  it("a 4096-character text", async () => {
    const r = await handleOk(message({ text: "paspor saya ditahan ".repeat(300).slice(0, 4096) }));
    expect(r.length).toBeGreaterThanOrEqual(1);
    for (const reply of r) expect(reply.length).toBeLessThanOrEqual(4096);
  });

  it.each([
    ["zalgo", "h̸̢̛̗̦͉̜e̶̡̛͓̹͚l̷̨̰̞̈́p̵̛̖̣̈́ ̷̧̛̗m̸̢̛̗e̶̡̛͓"],
    ["RTL", "مرحبا كيف حالك \u202Eabc\u202C"],
    ["emoji only", "🙏🙏😭"],
    ["zero-width", "\u200B\u200C\u200D\uFEFF"],
    ["lone surrogate", "\uD800 paspor"],
    ["control characters", "\u0000\u0007\u001b[31m"],
  ])("odd Unicode (%s) gets a reply", async (_name, text) => {
    const r = await handleOk(message({ text }));
    expect(r.length).toBeGreaterThanOrEqual(1);
    expect(r[0]?.length).toBeGreaterThan(0);
  });

  it("a message in a group chat: the bot leaves without replying to it", async () => {
    const group = { id: -100555, type: "supergroup" as const, title: "Some group" };
    await handleOk({ message: { message_id: mid++, date: date(), chat: group, from, text: "halo bot" } } as never);
    expect(tb.api.sent("leaveChat").map((c) => c.payload.chat_id)).toEqual([-100555]);
    expect(tb.replies(-100555)).toEqual([]);
  });

  it("added to a group: one neutral line, then it leaves", async () => {
    const group = { id: -100556, type: "group" as const, title: "Some group" };
    await handleOk({
      my_chat_member: {
        chat: group,
        from,
        date: date(),
        old_chat_member: { status: "left", user: { id: 1, is_bot: true, first_name: "b" } },
        new_chat_member: { status: "member", user: { id: 1, is_bot: true, first_name: "b" } },
      },
    } as never);
    expect(tb.replies(-100556)).toEqual([t("common:groups_not_supported")]);
    expect(tb.api.sent("leaveChat")).toHaveLength(1);
  });

  it.each(["zz:old", "t:", "", "x".repeat(64)])("callback data from an old or unknown button (%j): answered, then the menu", async (data) => {
    await tb.press(data);
    const answers = tb.api.sent("answerCallbackQuery");
    expect(answers).toHaveLength(1);
    expect(tb.replies().length).toBe(1);
    expect(tb.lastButtons()).toContain("t:embassy_contact");
  });

  it("a button press on an old message is answered in the user's language", async () => {
    await tb.send("/language en");
    tb.api.clear();
    await tb.press("v1:legacy");
    expect(tb.api.sent("answerCallbackQuery")[0]?.payload.text).toBe(t("unhandled:old_button", "en"));
    expect(tb.replies()).toEqual([t("unhandled:old_button_menu", "en")]);
  });
});

describe("text that looks like a command", () => {
  it("an urgent text starting with '/' but no command is still triaged", async () => {
    const r = await handleOk(message({ text: "/ tolong saya dikurung" }));
    expect(r[0]).toContain(t("urgent:no_desk"));
  });

  it("an unknown command gets a reply, not silence", async () => {
    const r = await handleOk(message({ text: "/foo", entities: [{ type: "bot_command", offset: 0, length: 4 }] }));
    expect(r.length).toBeGreaterThanOrEqual(1);
  });
});
