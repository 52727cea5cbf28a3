/**
 * Issue 13: one tap to a person. The 🆘 button on the menu and on every answer,
 * /sos and /darurat, pressing twice, voice notes outside and inside a case, and
 * no staff group; in both languages.
 */
import type { Update } from "grammy/types";
import { afterEach, describe, expect, it } from "vitest";
import type { Lang } from "../../src/domain/lang.ts";
import { createTestBot, type TestBot, USER_ID } from "../helpers/bot.ts";
import { drainAll, STAFF_CHAT } from "../helpers/desk.ts";

let tb: TestBot;
afterEach(async () => tb?.close());

const T0 = Date.UTC(2026, 0, 20, 3, 0); // 10:00 in Phnom Penh
const withDesk = () => createTestBot({ now: T0, env: { STAFF_CHAT_ID: String(STAFF_CHAT) } });
const t = (key: string, lang: Lang) => tb.deps.translator.t(lang)(key);
const LANGS = [
  ["id", "id"],
  ["en", "en"],
] as const;

let nextMessage = 900_000;
function voice(lang: Lang, kind: "voice" | "audio" | "video_note" = "voice"): Omit<Update, "update_id"> {
  const media =
    kind === "voice"
      ? { voice: { file_id: "v", file_unique_id: "v", duration: 3 } }
      : kind === "audio"
        ? { audio: { file_id: "a", file_unique_id: "a", duration: 3 } }
        : { video_note: { file_id: "n", file_unique_id: "n", length: 1, duration: 3 } };
  return {
    message: {
      message_id: nextMessage++,
      date: 0,
      chat: { id: USER_ID, type: "private", first_name: "T" },
      from: { id: USER_ID, is_bot: false, first_name: "T", language_code: lang },
      ...media,
    },
  } as Omit<Update, "update_id">;
}
const toGroup = (method: string) => tb.api.calls.filter((c) => c.method === method && c.payload.chat_id === STAFF_CHAT);

describe.each(LANGS)("the danger button (%s)", (_name, lang) => {
  it("is the first button of the main menu and on every answer's footer", async () => {
    tb = await withDesk();
    await tb.send("/menu", { language_code: lang });
    expect(tb.lastButtons()[0]).toBe("sos");
    const menu = tb.api.calls.filter((c) => c.method === "sendMessage").at(-1);
    const firstRow = (menu?.payload.reply_markup as { inline_keyboard: { text: string }[][] }).inline_keyboard[0];
    expect(firstRow?.map((b) => b.text)).toEqual([t("urgent:sos_button", lang)]);
    tb.api.clear();
    await tb.press("t:passport", { language_code: lang });
    expect(tb.lastButtons()).toContain("sos");
    expect(tb.lastButtons().at(-1)).toBe("sos");
  });

  it("opens an urgent case at once, with the urgent reply and no danger question; staff see it came from the button", async () => {
    tb = await withDesk();
    await tb.press("sos", { language_code: lang });
    const replies = tb.replies();
    expect(replies[0]).toContain(t("urgent:person_told", lang));
    expect(replies[0]).toContain("+855 12 813 282");
    expect(replies.join("\n")).not.toContain(t("urgent:danger_question", lang));
    expect(replies.at(-1)).toContain(t("desk:consent_question", lang));
    // the location button is offered with the urgent reply
    const urgentCall = tb.api.calls.find((c) => c.method === "sendMessage" && c.payload.chat_id === USER_ID);
    expect(JSON.stringify(urgentCall?.payload.reply_markup)).toContain("request_location");
    const c = await tb.deps.repos.cases.openFor(USER_ID);
    expect(c).toMatchObject({ priority: "urgent", status: "open" });
    expect(c?.signals).toEqual(["danger_button"]);
    await drainAll(tb);
    const card = toGroup("sendMessage").map((m) => String(m.payload.text)).join("\n");
    expect(card).toContain("danger_button");
  });

  it("pressed again while the case is open: staff are told again and the person is told a person already knows", async () => {
    tb = await withDesk();
    await tb.press("sos", { language_code: lang });
    await drainAll(tb);
    tb.api.clear();
    await tb.press("sos", { language_code: lang });
    expect(tb.replies()[0]).toContain(t("urgent:sos_again", lang));
    expect(tb.replies()[0]).toContain("+855 12 813 282");
    await drainAll(tb);
    const told = toGroup("sendMessage").map((m) => String(m.payload.text));
    expect(told.join("\n")).toContain(t("desk:staff.danger_button_note", "id"));
    const all = await tb.deps.repos.cases.openFor(USER_ID);
    expect(all?.id).toBe(1);
  });

  it("raises a normal case to urgent when pressed after 'talk to a person'", async () => {
    tb = await withDesk();
    await tb.press("h", { language_code: lang });
    expect((await tb.deps.repos.cases.openFor(USER_ID))?.priority).toBe("normal");
    tb.api.clear();
    await tb.press("sos", { language_code: lang });
    const c = await tb.deps.repos.cases.openFor(USER_ID);
    expect(c?.priority).toBe("urgent");
    expect(c?.signals).toContain("danger_button");
    expect(tb.replies()[0]).toContain(t("urgent:sos_again", lang));
  });

  it("/sos and /darurat do the same", async () => {
    for (const command of ["/sos", "/darurat"]) {
      tb = await withDesk();
      await tb.send(command, { language_code: lang });
      expect(tb.replies()[0]).toContain(t("urgent:person_told", lang));
      expect((await tb.deps.repos.cases.openFor(USER_ID))?.priority).toBe("urgent");
      await tb.close();
    }
  });

  it("with no staff group: the urgent reply says plainly nobody from a help line will see it, with the numbers", async () => {
    tb = await createTestBot({ now: T0 });
    await tb.press("sos", { language_code: lang });
    const [reply] = tb.replies();
    expect(reply).toContain(t("urgent:no_desk", lang));
    expect(reply).toContain("+855 12 813 282");
    expect(reply).not.toContain(t("urgent:person_told", lang));
    expect(await tb.deps.repos.cases.openFor(USER_ID)).toBeUndefined();
  });
});

describe.each(LANGS)("voice notes, audio and video notes (%s)", (_name, lang) => {
  it("outside a case: the bot cannot listen, offers 🆘, a person, and to pass the recording on; after consent it reaches staff", async () => {
    tb = await withDesk();
    const update = voice(lang);
    const messageId = (update.message as { message_id: number }).message_id;
    await tb.handle(update);
    expect(tb.replies()).toEqual([t("unhandled:voice", lang)]);
    expect(tb.lastButtons()).toEqual(["sos", `vr:${messageId}`, "h", "m"]);
    expect(await tb.deps.repos.cases.openFor(USER_ID)).toBeUndefined(); // nothing passed on without consent
    tb.api.clear();
    await tb.press(`vr:${messageId}`, { language_code: lang });
    const c = await tb.deps.repos.cases.openFor(USER_ID);
    expect(c).toMatchObject({ priority: "normal", status: "open" });
    await drainAll(tb);
    const copies = tb.api.calls.filter((x) => x.method === "copyMessage" && x.payload.chat_id === STAFF_CHAT);
    expect(copies.map((x) => x.payload.message_id)).toEqual([messageId]);
  });

  it.each(["voice", "audio", "video_note"] as const)("inside an open case a %s is relayed to staff", async (kind) => {
    tb = await withDesk();
    await tb.press("sos", { language_code: lang });
    await drainAll(tb);
    tb.api.clear();
    const update = voice(lang, kind);
    await tb.handle(update);
    expect(tb.replies()).toEqual([t("unhandled:voice_passed", lang)]);
    await drainAll(tb);
    const copies = tb.api.calls.filter((x) => x.method === "copyMessage" && x.payload.chat_id === STAFF_CHAT);
    expect(copies.map((x) => x.payload.message_id)).toEqual([(update.message as { message_id: number }).message_id]);
  });

  it("with no staff group: says nobody from a help line will hear it, with the numbers, and offers nothing to pass on", async () => {
    tb = await createTestBot({ now: T0 });
    await tb.handle(voice(lang));
    expect(tb.replies()[0]).toContain(t("unhandled:voice_no_desk", lang));
    expect(tb.replies()[0]).toContain("+855 12 813 282");
    expect(tb.lastButtons().some((b) => b.startsWith("vr:"))).toBe(false);
  });
});
