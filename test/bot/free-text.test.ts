/** Free text: someone without food or a place to sleep gets the shelter and the hotlines, never "not understood". */
import { afterEach, describe, expect, it } from "vitest";
import { createTestBot, type TestBot } from "../helpers/bot.ts";

let tb: TestBot | undefined;
afterEach(async () => {
  await tb?.close();
  tb = undefined;
});

describe.each([
  ["id", "gk ada makan 2 hari"],
  ["en", "no food since yesterday"],
  ["en", "I am hungry and have no money"],
] as const)("no food (%s)", (lang, text) => {
  it(`"${text}": the shelter and the hotlines, with the 🆘 button; not the fallback`, async () => {
    tb = await createTestBot();
    const t = tb.deps.translator.t(lang);
    await tb.send("/start", { language_code: lang });
    tb.api.clear();
    await tb.send(text, { language_code: lang });
    const replies = tb.replies();
    expect(replies[0]).toBe(`${t("topics:basic_needs")}\n\n${t("common:hotlines_short")}`);
    expect(replies[0]).toContain(tb.deps.facts.view(lang, t("common:unverified_note")).kbri_shelter);
    for (const r of replies) expect(r).not.toContain(t("menu:fallback"));
    expect(tb.api.calls.filter((c) => c.method === "sendMessage")[0]?.payload.reply_markup).toBeDefined();
    const first = tb.api.calls.find((c) => c.method === "sendMessage");
    const buttons = ((first?.payload.reply_markup as { inline_keyboard: { callback_data?: string }[][] }).inline_keyboard ?? []).flat().map((b) => b.callback_data);
    expect(buttons).toContain("sos");
  });
});

it("a clear topic question that mentions food is answered by its topic", async () => {
  tb = await createTestBot();
  await tb.send("/start");
  tb.api.clear();
  await tb.send("resep nasi goreng");
  expect(tb.replies().join("\n")).not.toContain(tb.deps.translator.t("id")("topics:basic_needs"));
});

it("when the reading doubts (gk ada makan 2 hari is 'unsure'), the one-tap danger question follows the shelter", async () => {
  tb = await createTestBot();
  const t = tb.deps.translator.t("id");
  await tb.send("/start");
  tb.api.clear();
  await tb.send("gk ada makan 2 hari");
  expect(tb.replies()).toEqual([`${t("topics:basic_needs")}\n\n${t("common:hotlines_short")}`, t("urgent:danger_question")]);
});

it("a clear question asked with it is answered after the shelter (I am hungry and have no money: the going-home answer too)", async () => {
  tb = await createTestBot();
  const t = tb.deps.translator.t("en");
  await tb.send("/start", { language_code: "en" });
  tb.api.clear();
  await tb.send("I am hungry and have no money, how do I go home", { language_code: "en" });
  const replies = tb.replies();
  expect(replies[0]).toBe(`${t("topics:basic_needs")}\n\n${t("common:hotlines_short")}`);
  expect(replies.some((r) => r.startsWith(t("topics:return_home.title")))).toBe(true);
});
