import { afterEach, describe, expect, it } from "vitest";
import { formatNumber } from "../../../src/domain/format.ts";
import { createTestBot, type TestBot, USER_ID } from "../../helpers/bot.ts";
import { fresh, HOUR, LANGS, last, stickerUpdate, tr } from "./flow-helpers.ts";

let tb: TestBot | undefined;
afterEach(async () => {
  await tb?.close();
  tb = undefined;
});

const G = (step: string, i: number | "b") => `fl:gh.${step}:${i}`;
// 10 April 2026, 09:00 UTC
const NOW = Date.UTC(2026, 3, 10, 9, 0);

describe.each(LANGS)("going home, %s", (lang) => {
  const u = { language_code: lang };

  it("a fine over a thousand dollars is written as a reader of the language writes it (USD 1.234 in Indonesian, USD 1,234 in English)", async () => {
    tb = await createTestBot({ now: NOW });
    await tb.send("/pulang", u);
    await tb.press(G("document", 0), u);
    await tb.press(G("visa", 1), u);
    await tb.send("12 bln", u);
    const rate = tb.deps.facts.number("overstay_fine_per_day_usd") ?? Number.NaN;
    expect(rate * 300).toBeGreaterThanOrEqual(1000);
    expect(last(tb)).toMatch(lang === "id" ? /USD \d{1,3}\.\d{3}(?!\d)/ : /USD \d{1,3},\d{3}(?!\d)/);
    expect(last(tb)).not.toMatch(lang === "id" ? /USD \d{1,3},\d{3}/ : /USD \d{1,3}\.\d{3}/);
  });

  it("expired visa: the overstay typed as a duration, the estimated fine, then the steps when there is money", async () => {
    tb = await createTestBot({ now: NOW });
    const t = tr(tb, lang);
    await tb.send("/pulang", u);
    expect(last(tb)).toContain(t("flows:going_home.q_document"));
    await tb.press(G("document", 0), u); // passport
    await tb.press(G("visa", 1), u); // expired
    expect(last(tb)).toBe(t("flows:going_home.q_overstay", { date: "24/02/2026" }));
    await tb.send("3 bln", u);
    const q = last(tb);
    // fine = 90 days × the daily rate in the facts file, with the waiver note, before the money question
    const rate = tb.deps.facts.number("overstay_fine_per_day_usd") ?? Number.NaN;
    expect(q).toContain(t("flows:going_home.fine", { usd: formatNumber(lang, 90 * rate), days: 90 }));
    expect(q).toContain(t("flows:going_home.waiver"));
    expect(q).toContain(t("flows:going_home.q_money"));
    const [plan] = await fresh(tb, () => tb!.press(G("money", 0), u));
    expect(plan).toContain(t("flows:going_home.title"));
    expect(plan).toContain(t("flows:going_home.steps_yes"));
    expect(plan).not.toContain(t("flows:going_home.need_splp"));
    expect(plan).toContain(tb.deps.facts.view(lang, "").arrival_process);
    expect((await tb.deps.repos.checklists.get(USER_ID, "going_home"))?.data).toEqual({
      document: "passport",
      visa: "expired",
      overstay: { kind: "duration", days: 90 },
      money: true,
    });
    // /mychecklist shows the plan again
    const [again] = await fresh(tb, () => tb!.send("/mychecklist", u));
    expect(again).toContain(t("flows:going_home.steps_yes"));
  });

  it("visa status unknown: counts from the arrival date minus the visa-free days; no money: shelter and hotlines", async () => {
    tb = await createTestBot({ now: NOW });
    const t = tr(tb, lang);
    await tb.send("/gohome", u);
    await tb.press(G("document", 2), u); // neither
    await tb.press(G("visa", 2), u); // don't know
    expect(last(tb)).toBe(t("flows:going_home.q_arrival", { date: "24/02/2026" }));
    await tb.send("10/12/2025", u); // 121 days ago
    const free = tb.deps.facts.number("visa_free_days") ?? Number.NaN;
    const rate = tb.deps.facts.number("overstay_fine_per_day_usd") ?? Number.NaN;
    const days = 121 - free;
    expect(last(tb)).toContain(t("flows:going_home.fine", { usd: formatNumber(lang, days * rate), days }));
    expect(last(tb)).toContain(t("flows:going_home.fine_from_stay", { stay: 121 }));
    await tb.send(lang === "id" ? "tidak" : "no", u);
    const plan = last(tb);
    expect(plan).toContain(t("flows:going_home.need_splp"));
    expect(plan).toContain(t("flows:going_home.steps_no"));
    expect(plan).toContain(tb.deps.facts.view(lang, "").kbri_shelter);
    expect(tb.lastButtons()).toContain("fs:passport");
  });

  it("valid visa: no overstay question and no fine", async () => {
    tb = await createTestBot({ now: NOW });
    const t = tr(tb, lang);
    await tb.send("/pulang", u);
    await tb.press(G("document", 1), u); // SPLP
    await tb.press(G("visa", 0), u); // valid
    expect(last(tb)).toContain(t("flows:going_home.fine_none"));
    expect(last(tb)).toContain(t("flows:going_home.q_money"));
    await tb.press(G("money", 0), u);
    expect(last(tb)).toContain(t("flows:going_home.steps_yes"));
  });

  it("bad overstay input is asked again with an example; future dates are refused; Back returns to the visa question", async () => {
    tb = await createTestBot({ now: NOW });
    const t = tr(tb, lang);
    await tb.send("/pulang", u);
    await tb.press(G("document", 0), u);
    await tb.press(G("visa", 1), u);
    const question = t("flows:going_home.q_overstay", { date: "24/02/2026" });
    await tb.send("entah ya", u);
    expect(last(tb)).toBe(
      `${t("flows:bad_text", { example: t("flows:going_home.ex_overstay", { date: "24/02/2026" }) })}\n\n${question}`,
    );
    await tb.send("3", u); // a bare number: days or months? asked again
    expect(last(tb)).toContain(t("flows:bad_text", { example: t("flows:going_home.ex_overstay", { date: "24/02/2026" }) }));
    await tb.send("12/05/2026", u);
    expect(last(tb)).toBe(`${t("flows:going_home.bad_future", { date: "24/02/2026" })}\n\n${question}`);
    await tb.handle(stickerUpdate(USER_ID, lang));
    expect(last(tb)).toContain(t("flows:bad_media", { example: t("flows:going_home.ex_overstay", { date: "24/02/2026" }) }));
    await tb.press(G("overstay", "b"), u);
    expect(last(tb)).toBe(t("flows:going_home.q_visa"));
    await tb.press(G("visa", 1), u);
    await tb.send(lang === "id" ? "tiga bulan" : "2 weeks", u);
    const days = lang === "id" ? 90 : 14;
    const rate = tb.deps.facts.number("overstay_fine_per_day_usd") ?? Number.NaN;
    expect(last(tb)).toContain(t("flows:going_home.fine", { usd: formatNumber(lang, days * rate), days }));
  });

  it("cancel, expiry and the topic button", async () => {
    tb = await createTestBot({ now: NOW });
    const t = tr(tb, lang);
    await tb.press("t:return_home", u);
    expect(tb.lastButtons()[0]).toBe("fs:going_home");
    await tb.press("fs:going_home", u);
    await tb.press(G("document", 0), u);
    await fresh(tb, () => tb!.send("cancel", u));
    expect(tb.replies()).toEqual([t("flows:cancelled")]);

    await tb.press("fs:going_home", u);
    tb.clock.now += 48 * HOUR;
    await fresh(tb, () => tb!.press(G("document", 0), u));
    expect(tb.replies()).toEqual([t("flows:expired", { hours: 24 })]);
    expect(tb.lastButtons()).toContain("fs:going_home");
  });
});

describe("going home: urgency and edits mid-flow", () => {
  it("an urgent message at the overstay question is answered at once; the flow continues once the person returns", async () => {
    tb = await createTestBot({ now: NOW });
    const t = tr(tb, "en");
    await tb.send("/gohome", { language_code: "en" });
    await tb.press(G("document", 0));
    await tb.press(G("visa", 1));
    const urgent = await fresh(tb, () => tb!.send("I am locked in and they beat me"));
    expect(urgent[0]).toContain(t("urgent:emergency"));
    expect(urgent.join("\n")).not.toContain(t("flows:bad_text", { example: t("flows:going_home.ex_overstay", { date: "24/02/2026" }) }));
    expect(urgent.at(-1)).toBe(t("flows:paused"));
    await tb.press("fl:r");
    await tb.send("2 weeks");
    expect(last(tb)).toContain(t("flows:going_home.q_money"));
  });

  it("an edited message is not taken as an answer: the bot points to Back and says where the person is", async () => {
    tb = await createTestBot({ now: NOW });
    const t = tr(tb, "id");
    await tb.send("/pulang");
    await tb.press(G("document", 0));
    await tb.press(G("visa", 1));
    await fresh(tb, () =>
      tb!.handle({
        edited_message: {
          message_id: 1,
          date: Math.floor(NOW / 1000),
          edit_date: Math.floor(NOW / 1000),
          chat: { id: USER_ID, type: "private", first_name: "Tester" },
          from: { id: USER_ID, is_bot: false, first_name: "Tester", language_code: "id" },
          text: "3 bulan",
        },
      } as never),
    );
    expect(tb.replies()).toEqual([t("flows:edited"), t("flows:where", { flow: t("flows:name.going_home"), n: 3, of: 4 })]);
    expect(tb.lastButtons()).toEqual(["fl:r", "fl:x"]);
    await tb.send("3 bulan");
    expect(last(tb)).toContain(t("flows:going_home.q_money"));
  });
});

describe("going home survives a restart", () => {
  it("a new bot on the same database continues at the overstay question", async () => {
    const first = await createTestBot({ now: NOW });
    tb = first;
    const t = tr(first, "id");
    await first.send("/pulang");
    await first.press(G("document", 0));
    await first.press(G("visa", 1));
    const second = await createTestBot({ database: first.db, now: NOW + HOUR });
    await second.send("3 bulan");
    expect(second.replies().at(-1)).toContain(t("flows:going_home.q_money"));
    await second.press(G("money", 1));
    expect(second.replies().at(-1)).toContain(t("flows:going_home.steps_no"));
  });
});

