/**
 * Flows keep their place: a language switch repeats the open question in the
 * new language; after a side question, the menu or an edit the person is told
 * where they are (Continue / Stop); answers people really type are understood.
 */
import { afterEach, describe, expect, it } from "vitest";
import { PASSPORT_FIELDS } from "../../../src/bot/conversations/passport.ts";
import { GOING_HOME_FIELDS } from "../../../src/bot/conversations/going-home.ts";
import { FAMILY_FIELDS } from "../../../src/bot/conversations/family.ts";
import { formatNumber } from "../../../src/domain/format.ts";
import { createTestBot, type TestBot, USER_ID } from "../../helpers/bot.ts";
import { fresh, last, tr } from "./flow-helpers.ts";

let tb: TestBot | undefined;
afterEach(async () => {
  await tb?.close();
  tb = undefined;
});

const NOW = Date.UTC(2026, 3, 10, 9, 0); // 10 April 2026
const G = (step: string, i: number | "b") => `fl:gh.${step}:${i}`;
const P = (step: string, i: number | "b") => `fl:pp.${step}:${i}`;

describe("a language switch mid-flow", () => {
  it("/language en repeats the open question in English, with its buttons, and the flow goes on", async () => {
    tb = await createTestBot({ now: NOW });
    const id = tr(tb, "id");
    const en = tr(tb, "en");
    await tb.send("/pulang");
    await tb.press(G("document", 0));
    expect(last(tb)).toBe(id("flows:going_home.q_visa"));
    const replies = await fresh(tb, () => tb!.send("/language en"));
    expect(replies).toEqual([en("language:switched"), en("flows:going_home.q_visa")]);
    expect(tb.lastButtons()).toContain(G("visa", 0));
    expect(tb.lastButtons()).toContain(G("visa", "b"));
    await tb.press(G("visa", 0));
    expect(last(tb)).toContain(en("flows:going_home.q_money"));
  });

  it("the language buttons mid-flow do the same", async () => {
    tb = await createTestBot();
    await tb.send("/passport", { language_code: "en" });
    const replies = await fresh(tb, () => tb!.press("l:id", { language_code: "en" }));
    const id = tr(tb, "id");
    expect(replies).toEqual([id("language:switched"), id("flows:passport.q_passport")]);
  });

  it("outside a flow, /language en still answers with the menu", async () => {
    tb = await createTestBot();
    const replies = await fresh(tb, () => tb!.send("/language en"));
    expect(replies).toEqual([tr(tb, "en")("language:switched")]);
    expect(tb.lastButtons()).toContain("t:passport");
  });
});

describe("where the person is", () => {
  it("a side question mid-flow is answered, then: the guide, question n of m, Continue / Stop", async () => {
    tb = await createTestBot({ now: NOW });
    const t = tr(tb, "id");
    await tb.send("/pulang");
    await tb.press(G("document", 0));
    await tb.press(G("visa", 1));
    const replies = await fresh(tb, () => tb!.send("nomor kbri brp"));
    expect(replies[0]).toContain(t("topics:embassy_contact.title"));
    expect(replies.at(-1)).toBe(t("flows:where", { flow: t("flows:name.going_home"), n: 3, of: 4 }));
    expect(tb.lastButtons()).toEqual(["fl:r", "fl:x"]);
    // Continue asks the open question again; the answer is taken
    const again = await fresh(tb, () => tb!.press("fl:r"));
    expect(again).toEqual([t("flows:going_home.q_overstay", { date: "24/02/2026" })]);
    await tb.send("3 bulan");
    expect(last(tb)).toContain(t("flows:going_home.q_money"));
  });

  it("/start and /menu mid-flow show where the person is; Stop ends the flow", async () => {
    tb = await createTestBot();
    const t = tr(tb, "id");
    await tb.send("/passport");
    await tb.press(P("passport", 0));
    const start = await fresh(tb, () => tb!.send("/start"));
    expect(start.at(-1)).toBe(t("flows:where", { flow: t("flows:name.passport"), n: 2, of: 5 }));
    const menu = await fresh(tb, () => tb!.send("/menu"));
    expect(menu).toEqual([t("menu:title"), t("flows:where", { flow: t("flows:name.passport"), n: 2, of: 5 })]);
    await tb.press("fl:x");
    expect(last(tb)).toBe(t("flows:cancelled"));
    // no flow any more: the menu comes alone, and an old Continue says nothing runs
    expect(await fresh(tb, () => tb!.send("/menu"))).toEqual([t("menu:title")]);
    expect(await fresh(tb, () => tb!.press("fl:r"))).toEqual([t("flows:nothing_to_cancel")]);
  });

  it("an urgent message mid-flow gets the urgent reply only, no reminder on top", async () => {
    tb = await createTestBot();
    const t = tr(tb, "id");
    await tb.send("/passport");
    const replies = await fresh(tb, () => tb!.send("tolong saya dikurung"));
    expect(replies[0]).toContain(t("urgent:no_desk"));
    expect(replies.join("\n")).not.toContain(t("flows:where_short", { flow: t("flows:name.passport") }).slice(0, 12));
    // the paused flow is not announced after the next message either: it has its own "back to the guide"
    const next = await fresh(tb, () => tb!.send("nomor kbri brp"));
    expect(next.join("\n")).not.toContain(t("flows:where", { flow: t("flows:name.passport"), n: 1, of: 6 }));
    await tb.press("fl:r");
    expect(last(tb)).toContain(t("flows:resumed"));
    expect(last(tb)).toContain(t("flows:passport.q_passport"));
  });
});

describe("answers people type", () => {
  it('"sejak agustus 2025" at the overstay question counts from 1 August 2025', async () => {
    tb = await createTestBot({ now: NOW });
    const t = tr(tb, "id");
    await tb.send("/pulang");
    await tb.press(G("document", 0));
    await tb.press(G("visa", 1));
    await tb.send("sejak agustus 2025");
    const days = Math.round((NOW - Date.UTC(2025, 7, 1)) / 86_400_000);
    const rate = tb.deps.facts.number("overstay_fine_per_day_usd") ?? Number.NaN;
    expect(last(tb)).toContain(t("flows:going_home.fine", { usd: formatNumber("id", days * rate), days: formatNumber("id", days) }));
    expect(last(tb)).toContain("USD 2.520"); // 252 days × USD 10, written the Indonesian way
  });

  it('"udh lama bgt" is a don\'t-know answer: counted from the arrival, or the embassy works it out', async () => {
    tb = await createTestBot({ now: NOW });
    const t = tr(tb, "id");
    await tb.send("/pulang");
    await tb.press(G("document", 0));
    await tb.press(G("visa", 1));
    await tb.send("udh lama bgt");
    expect(last(tb)).toBe(t("flows:going_home.q_arrival", { date: "24/02/2026" }));
    await tb.press(G("stay", 0)); // 🤷 I don't know
    expect(last(tb)).toContain(t("flows:going_home.fine_unknown_days"));
    await tb.press(G("money", 0));
    expect((await tb.deps.repos.checklists.get(USER_ID, "going_home"))?.data).toEqual({ document: "passport", visa: "expired", money: true });
  });

  it('"ada kok" is yes', async () => {
    tb = await createTestBot();
    const t = tr(tb, "id");
    await tb.send("/passport");
    await tb.send("ada kok");
    expect(last(tb)).toBe(t("flows:passport.q_ktp"));
    await tb.send("iya kak");
    expect(last(tb)).toBe(t("flows:passport.q_kk"));
  });

  it.each(["id", "en"] as const)("every question's example, typed, is an answer to that question (%s)", async (lang) => {
    tb = await createTestBot({ now: NOW });
    const t = tr(tb, lang);
    const fields = [...PASSPORT_FIELDS, ...GOING_HOME_FIELDS, ...FAMILY_FIELDS] as readonly { key: string; step: (a: object) => unknown }[];
    for (const field of fields) {
      const step = field.step({}) as {
        id: string;
        choices?: readonly { label: string; words?: readonly string[] }[];
        text?: (x: string, now: number, t: unknown) => { ok: boolean };
        example: (t: unknown, now: number) => string;
        photo?: unknown;
      };
      if (step.photo) continue; // its example is an instruction: "send a photo, or tap No photo"
      // a list of examples ("3 months, 90 days, …"): the first one
      const example = (step.example(t, NOW).split(/, | or | atau /)[0] ?? "").trim();
      const folded = example.toLowerCase();
      const byChoice = (step.choices ?? []).some(
        (c) => c.words?.includes(folded) || t(c.label).toLowerCase().includes(folded),
      );
      const byText = step.text?.(example, NOW, t).ok === true;
      expect(byChoice || byText, `${step.id}: "${example}"`).toBe(true);
    }
  });
});

describe("/mychecklist after the checklist was made", () => {
  it("the plan no longer says to make the checklist with /passport, nor offers the button", async () => {
    tb = await createTestBot({ now: NOW });
    const t = tr(tb, "id");
    await tb.send("/passport");
    for (const [step, i] of [["passport", 3], ["ktp", 0], ["kk", 0], ["birth", 0], ["police", 0], ["photos", 0]] as const) {
      await tb.press(P(step, i));
    }
    await tb.send("/pulang");
    await tb.press(G("document", 2)); // neither passport nor SPLP yet
    await tb.press(G("visa", 0));
    await tb.press(G("money", 0));
    expect(last(tb)).toContain(t("flows:going_home.need_splp_made"));
    expect(last(tb)).not.toContain(t("flows:going_home.need_splp"));
    const shown = await fresh(tb, () => tb!.send("/mychecklist"));
    const plan = shown.find((s) => s.startsWith(t("flows:going_home.title")));
    expect(plan).toContain(t("flows:going_home.need_splp_made"));
    expect(plan).not.toContain("/passport");
    expect(tb.lastButtons()).not.toContain("fs:passport");
  });
});
