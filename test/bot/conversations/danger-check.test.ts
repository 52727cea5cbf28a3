import { afterEach, describe, expect, it } from "vitest";
import { createTestBot, type TestBot } from "../../helpers/bot.ts";
import { fresh, LANGS, last, openCase, tr, WITH_DESK } from "./flow-helpers.ts";

let tb: TestBot | undefined;
afterEach(async () => {
  await tb?.close();
  tb = undefined;
});

const CRY = { id: "bantu saya kak", en: "i need help" } as const;

describe.each(LANGS)("danger check (triage unsure), %s", (lang) => {
  const u = { language_code: lang };

  it("a bare cry for help gets one question with a one-tap answer", async () => {
    tb = await createTestBot({ env: WITH_DESK });
    const t = tr(tb, lang);
    const replies = await fresh(tb, () => tb!.send(CRY[lang], u));
    expect(replies).toEqual([t("urgent:danger_question")]);
    expect(tb.lastButtons()).toEqual(["dg:y", "dg:n"]);
    expect(await openCase(tb)).toBeUndefined();
  });

  it("a cry and nothing else (tolong, help me please, 🆘) opens an urgent case at once, like the danger button", async () => {
    for (const cry of lang === "id" ? ["tolong", "🆘"] : ["help me please", "SOS"]) {
      tb = await createTestBot({ env: WITH_DESK });
      const t = tr(tb, lang);
      const replies = await fresh(tb, () => tb!.send(cry, u));
      expect(replies.join("\n")).not.toContain(t("urgent:danger_question"));
      expect(replies[0]).toContain(t("urgent:emergency"));
      expect(await openCase(tb)).toMatchObject({ priority: "urgent", signals: ["cry_for_help"] });
      await tb.close();
      tb = undefined;
    }
  });

  it("Yes: an urgent case on the desk and the urgent reply", async () => {
    tb = await createTestBot({ env: WITH_DESK });
    const t = tr(tb, lang);
    await tb.send(CRY[lang], u);
    const replies = await fresh(tb, () => tb!.press("dg:y", u));
    expect(await openCase(tb)).toMatchObject({ priority: "urgent", signals: ["cry_for_help"] });
    expect(replies[0]).toContain(t("urgent:person_told"));
    expect(replies[0]).toContain(t("urgent:emergency"));
    expect(tb.api.sent("answerCallbackQuery")).toHaveLength(1);
  });

  it("Yes without a desk: the numbers to call, never silence", async () => {
    tb = await createTestBot();
    const t = tr(tb, lang);
    await tb.send(CRY[lang], u);
    await fresh(tb, () => tb!.press("dg:y", u));
    expect(tb.replies()[0]).toContain(t("urgent:no_desk"));
    expect(tb.replies()[0]).toContain(tb.deps.facts.view(lang, "").kbri_hotline_protection);
  });

  it("No: the menu, and no case", async () => {
    tb = await createTestBot({ env: WITH_DESK });
    const t = tr(tb, lang);
    await tb.send(CRY[lang], u);
    const replies = await fresh(tb, () => tb!.press("dg:n", u));
    expect(replies).toEqual([t("urgent:danger_no_reply")]);
    expect(tb.lastButtons()).toContain("t:passport");
    expect(await openCase(tb)).toBeUndefined();
  });

  it("a typed yes answers the question too", async () => {
    tb = await createTestBot({ env: WITH_DESK });
    const t = tr(tb, lang);
    await tb.send(CRY[lang], u);
    await fresh(tb, () => tb!.send(lang === "id" ? "ya" : "yes", u));
    expect((await openCase(tb))?.priority).toBe("urgent");
    expect(tb.replies()[0]).toContain(t("urgent:emergency"));
  });
});

describe("danger check inside a flow", () => {
  it("a cry for help mid-flow is not taken as an answer; after 'No' the flow continues", async () => {
    tb = await createTestBot();
    const t = tr(tb, "en");
    await tb.send("/gohome", { language_code: "en" });
    await fresh(tb, () => tb!.send("i need help"));
    expect(tb.replies()).toEqual([t("urgent:danger_question")]);
    await tb.press("dg:n");
    await tb.press("fl:gh.document:0");
    expect(last(tb)).toBe(t("flows:going_home.q_visa"));
  });
});
