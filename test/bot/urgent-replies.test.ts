/**
 * Issue 8: the reply fits the danger, and one urgent message does not colour
 * the next. Through bot.handleUpdate, in both languages.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { Lang } from "../../src/domain/lang.ts";
import { createTestBot, type TestBot, USER_ID } from "../helpers/bot.ts";
import { drainAll, STAFF_CHAT } from "../helpers/desk.ts";

let tb: TestBot;
afterEach(async () => tb?.close());

const T0 = Date.UTC(2026, 0, 20, 3, 0);
const withDesk = () => createTestBot({ now: T0, env: { STAFF_CHAT_ID: String(STAFF_CHAT) } });
const t = (key: string, lang: Lang) => tb.deps.translator.t(lang)(key);
const urgentMarkup = () =>
  JSON.stringify(tb.api.calls.find((c) => c.method === "sendMessage" && c.payload.chat_id === USER_ID)?.payload.reply_markup);

const CASES = {
  self_harm: { id: "sy cape bgt pgn mati aja", en: "i am so tired i want to kill myself" },
  medical: { id: "sy diabetes, bos gk mau beliin obat, sy lemas bgt", en: "i am diabetic and the boss refuses to buy my medicine, i am very weak" },
  family: { id: "anak saya dijual ke perusahaan lain di kamboja, mereka minta tebusan 5000 dolar", en: "my son in cambodia was sold to another company, they ask 5000 dollars ransom" },
  question: { id: "saya dikurung di kamar, nomor kbri berapa?", en: "they locked me in my room, what is the embassy number?" },
  past: { id: "dulu paspor saya ditahan perusahaan tapi sekarang saya sudah aman di rumah teman, gimana cara bikin paspor baru", en: "The company kept my passport but I left last week and I'm safe now. How do I get a new passport?" },
} as const;

describe.each(["id", "en"] as const)("urgent replies that fit the danger (%s)", (lang) => {
  const u = { language_code: lang };

  it("self-harm: a calm crisis reply with the crisis service and KBRI, staff told, no police line first, no 'stay calm'", async () => {
    tb = await withDesk();
    await tb.send(CASES.self_harm[lang], u);
    const [reply] = tb.replies();
    expect(reply).toContain(t("urgent:crisis_intro", lang));
    expect(reply).toContain("healing119.id");
    expect(reply).toContain("+855 12 813 282");
    expect(reply).toContain(t("urgent:crisis_person_told", lang));
    expect(reply).not.toContain(t("urgent:safety", lang));
    expect(reply).not.toContain("117");
    expect(urgentMarkup()).not.toContain("request_location");
    expect((await tb.deps.repos.cases.openFor(USER_ID))?.signals).toContain("self_harm");
  });

  it("medical: emergency medical help first, then KBRI, and staff told", async () => {
    tb = await withDesk();
    await tb.send(CASES.medical[lang], u);
    const [reply] = tb.replies();
    expect(reply?.indexOf(t("urgent:medical_first", lang).split("\n")[0]!)).toBe(0);
    expect(reply).toContain("119");
    expect(reply).toContain("+855 12 813 282");
    expect((await tb.deps.repos.cases.openFor(USER_ID))?.priority).toBe("urgent");
  });

  it("a family member: a reply addressed to them asking name, place and last contact, no location button", async () => {
    tb = await withDesk();
    await tb.send(CASES.family[lang], u);
    const [reply] = tb.replies();
    expect(reply).toContain(t("urgent:family_told", lang));
    expect(reply).toContain(t("urgent:family_ask", lang));
    expect(reply).not.toContain(t("urgent:safety", lang));
    expect(urgentMarkup()).not.toContain("request_location");
    const c = await tb.deps.repos.cases.openFor(USER_ID);
    expect(c?.signals).toEqual(expect.arrayContaining(["sold_or_moved", "family_report"]));
    // what the family member wrote ("sold", "dijual") reaches staff
    await drainAll(tb);
    const toStaff = tb.api.calls.filter((x) => x.payload.chat_id === STAFF_CHAT).map((x) => String(x.payload.text ?? ""));
    expect(toStaff.join("\n")).toContain(lang === "id" ? "dijual" : "sold");
  });

  it("danger with a practical question: the urgent reply first, then the answer in the same turn", async () => {
    tb = await withDesk();
    await tb.send(CASES.question[lang], u);
    const replies = tb.replies();
    expect(replies[0]).toContain(t("urgent:person_told", lang));
    const answer = replies.findIndex((r) => r.includes(t("topics:embassy_contact.title", lang)));
    expect(answer).toBeGreaterThan(0);
  });

  it("past danger with a practical question: the answer first, then the gentle offer of a person", async () => {
    tb = await withDesk();
    await tb.send(CASES.past[lang], u);
    const replies = tb.replies();
    expect(replies[0]).toContain(t("topics:passport.title", lang));
    expect(replies.at(-1)).toBe(t("topics:past_danger_offer", lang));
    expect(await tb.deps.repos.cases.openFor(USER_ID)).toBeUndefined();
  });

  it("one urgent message does not make the next, unrelated message urgent", async () => {
    tb = await withDesk();
    await tb.send(lang === "id" ? "tolong saya disekap dan dipukul" : "help they locked me in and beat me", u);
    tb.api.clear();
    await tb.send(lang === "id" ? "nomor kbri berapa" : "what is the embassy number", u);
    const replies = tb.replies();
    expect(replies.join("\n")).not.toContain(t("urgent:person_told", lang));
    expect(replies[0]).toContain(t("topics:embassy_contact.title", lang));
  });

  it("inside a flow: an urgent message pauses it; nothing more is asked and the next message goes to staff, not the flow, until the person returns", async () => {
    tb = await withDesk();
    await tb.send("/passport", u);
    const question = tb.replies().at(-1)?.split("\n\n").at(-1);
    tb.api.clear();
    await tb.send(lang === "id" ? "saya dipukul dan dikunci di kamar" : "they beat me and locked me in the room", u);
    expect(tb.replies()[0]).toContain(t("urgent:person_told", lang));
    expect(tb.replies().at(-1)).toBe(t("flows:paused", lang));
    expect(tb.lastButtons()).toEqual(["fl:r", "fl:x"]);
    await drainAll(tb);
    tb.api.clear();
    await tb.send(lang === "id" ? "di lantai 3 gedung biru" : "on the 3rd floor of the blue building", u);
    // no flow question was asked again
    expect(tb.replies().join("\n")).not.toContain(question!);
    await drainAll(tb);
    const relayed = tb.api.calls.filter((x) => x.payload.chat_id === STAFF_CHAT).map((x) => String(x.payload.text ?? ""));
    expect(relayed.join("\n")).toContain(lang === "id" ? "lantai 3" : "3rd floor");
    // back to the guide: the open question again
    tb.api.clear();
    await tb.press("fl:r", u);
    expect(tb.replies().at(-1)).toContain(question!);
  });
});

describe("the writer's language wins, also for very short English", () => {
  it.each(["hi", "thank you", "URGENT!!! need rescue", "pasport gone. company never return. how new one"])("%s gets an English reply on an Indonesian phone", async (text) => {
    tb = await createTestBot({ now: T0 });
    await tb.send(text, { language_code: "id" });
    expect(tb.deps.translator.t("en")("menu:title")).not.toBe(tb.deps.translator.t("id")("menu:title"));
    const session = await tb.deps.repos.kv.get<{ lang?: string }>(`session:${USER_ID}`);
    expect(session?.lang).toBe("en");
  });
});
