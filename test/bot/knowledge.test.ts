import { afterEach, describe, expect, it } from "vitest";
import { MENU_TOPICS } from "../../src/bot/keyboards/menu.ts";
import type { Lang } from "../../src/domain/lang.ts";
import { formatDate } from "../../src/domain/format.ts";
import { createTestBot, type TestBot } from "../helpers/bot.ts";

let tb: TestBot | undefined;
afterEach(async () => {
  await tb?.close();
  tb = undefined;
});

const t = (lang: Lang, key: string) => (tb as TestBot).deps.translator.t(lang)(key);
const lastMarkup = () => {
  const last = (tb as TestBot).api.sent("sendMessage").at(-1);
  return last?.payload.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] };
};

describe("knowledge: menu topics", () => {
  it.each([
    ["id", "id"],
    ["en", "en"],
  ] as const)("every menu topic answers with its title, the hotline footer, the two buttons and 🆘 (%s)", async (lang, code) => {
    tb = await createTestBot();
    for (const topic of MENU_TOPICS) {
      tb.api.clear();
      await tb.press(`t:${topic}`, { language_code: code });
      expect(tb.api.sent("answerCallbackQuery"), topic).toHaveLength(1);
      const replies = tb.replies();
      expect(replies, topic).toHaveLength(1);
      const answer = replies[0] as string;
      expect(answer.startsWith(t(lang, `topics:${topic}.title`)), topic).toBe(true);
      expect(answer.endsWith(t(lang, "topics:footer_hotline")), topic).toBe(true);
      expect(answer, topic).not.toMatch(/\{\{|\}\}|topics:/);
      const rows = lastMarkup().inline_keyboard;
      expect(rows.at(-2)?.map((b) => b.callback_data), topic).toEqual(["m", "h"]);
      expect(rows.at(-1)?.map((b) => b.callback_data), topic).toEqual(["sos"]);
    }
  });

  it("embassy_contact also sends a venue with the map pin, after the text it belongs to", async () => {
    tb = await createTestBot();
    await tb.press("t:embassy_contact");
    const pin = tb.deps.facts.location("kbri_map_pin");
    const venue = tb.api.sent("sendVenue");
    expect(venue).toHaveLength(1);
    expect(venue[0]?.payload).toMatchObject({ latitude: pin?.latitude, longitude: pin?.longitude, title: t("id", "topics:location_title") });
    const order = tb.api.calls.map((c) => c.method).filter((m) => m === "sendVenue" || m === "sendMessage");
    expect(order).toEqual(["sendMessage", "sendVenue"]);
  });

  it("an answer says when its facts were checked (per language) and where the sources are", async () => {
    tb = await createTestBot();
    await tb.press("t:passport");
    await tb.send("/language en");
    await tb.press("t:passport");
    const [id, , en] = tb.replies();
    const oldest = Object.values(tb.deps.facts.file.facts).filter((f) => f.show).map((f) => f.checked).sort()[0] as string;
    expect(id).toContain(`Informasi dicek ${formatDate("id", oldest)}`);
    expect(en).toContain(`Facts checked ${formatDate("en", oldest)}`);
    expect(formatDate("id", "2026-08-17")).toBe("17 Agustus 2026");
    expect(formatDate("en", "2026-08-17")).toBe("17 August 2026");
    for (const r of [id, en]) expect(r).toContain("/sources");
  });

  it("a hotline answer shows the numbers from the facts file", async () => {
    tb = await createTestBot();
    await tb.press("t:hotlines");
    const view = tb.deps.facts.view("id", "");
    expect(tb.replies()[0]).toContain(view.kbri_hotline_protection);
    expect(tb.replies()[0]).toContain(view.kemlu_hotline);
  });

  it("an unknown topic from an old button gets the menu and the hotlines", async () => {
    tb = await createTestBot();
    await tb.press("t:visa_lottery");
    expect(tb.api.sent("answerCallbackQuery")).toHaveLength(1);
    expect(tb.replies()[0]).toContain(t("id", "menu:fallback"));
    expect(tb.replies()[0]).toContain(tb.deps.facts.view("id", "").kbri_hotline_protection);
    expect(tb.lastButtons()).toContain("t:passport");
  });
});

describe("knowledge: free text", () => {
  it('"nomor kbri brp" answers the embassy contact', async () => {
    tb = await createTestBot();
    await tb.send("nomor kbri brp");
    expect(tb.replies().at(-1)?.startsWith(t("id", "topics:embassy_contact.title"))).toBe(true);
    expect(tb.api.sent("sendVenue")).toHaveLength(1);
  });

  it('"gmn cara plg" answers how to go home', async () => {
    tb = await createTestBot();
    await tb.send("gmn cara plg");
    expect(tb.replies()[0]?.startsWith(t("id", "topics:return_home.title"))).toBe(true);
    expect(tb.lastButtons().slice(-3)).toEqual(["m", "h", "sos"]);
  });

  it("an English question gets the English answer", async () => {
    tb = await createTestBot();
    await tb.send("Hello, how do I get my passport back from the company?", { language_code: "en" });
    expect(tb.replies()[0]?.startsWith(t("en", "topics:passport.title"))).toBe(true);
  });

  it("an ambiguous text offers 2-3 topic buttons, then the footer buttons and 🆘", async () => {
    tb = await createTestBot();
    await tb.send("kbri paspor tiket");
    expect(tb.replies()).toEqual([t("id", "menu:suggest")]);
    const buttons = tb.lastButtons();
    const topics = buttons.filter((b) => b.startsWith("t:"));
    expect(topics.length).toBeGreaterThanOrEqual(2);
    expect(topics.length).toBeLessThanOrEqual(3);
    expect(buttons.slice(-3)).toEqual(["m", "h", "sos"]);
    // and pressing one answers it
    tb.api.clear();
    await tb.press(topics[0] as string);
    expect(tb.replies().at(-1)).toContain(t("id", "topics:footer_hotline"));
  });

  it.each(["asdkjh qwe zxc", "😀😀😀", "zzzz"])("%j gives 'not understood', the menu and the hotlines", async (text) => {
    tb = await createTestBot();
    await tb.send(text);
    const [reply] = tb.replies();
    expect(reply).toContain(t("id", "menu:fallback"));
    expect(reply).toContain(tb.deps.facts.view("id", "").kbri_hotline_protection);
    expect(tb.lastButtons()).toContain("t:embassy_contact");
    expect(tb.lastButtons()).toContain("h");
  });

  it("a greeting and a thank-you get short replies", async () => {
    tb = await createTestBot();
    await tb.send("halo");
    await tb.send("terima kasih");
    expect(tb.replies()).toEqual([t("id", "menu:greeting"), t("id", "menu:thanks")]);
    tb.api.clear();
    await tb.send("thank you so much", { language_code: "en" });
    expect(tb.replies()).toEqual([t("en", "menu:thanks")]);
  });

  it("an out-of-scope question lists what the bot can help with", async () => {
    tb = await createTestBot();
    await tb.send("what is the weather today in london", { language_code: "en" });
    const [reply] = tb.replies();
    expect(reply).toContain(t("en", "menu:out_of_scope"));
    expect(reply).toContain(tb.deps.facts.view("en", "").kbri_hotline_protection);
    expect(tb.lastButtons()).toContain("t:passport");
  });
});

describe("knowledge: robustness", () => {
  it("when the map pin cannot be sent, the embassy contact text still is", async () => {
    tb = await createTestBot();
    tb.api.responder = (call) =>
      call.method === "sendVenue" ? { ok: false, error_code: 400, description: "Bad Request: method not supported" } : undefined;
    await tb.press("t:embassy_contact");
    expect(tb.replies()).toHaveLength(1);
    expect(tb.replies()[0]?.startsWith(t("id", "topics:embassy_contact.title"))).toBe(true);
  });
});

describe("knowledge: the buttons under an answer come through the composition root", () => {
  it("a topic with a guided flow offers its start button; one without offers none", async () => {
    tb = await createTestBot();
    await tb.press("t:passport");
    expect(tb.lastButtons()).toContain("fs:passport");
    await tb.press("t:return_home");
    expect(tb.lastButtons()).toContain("fs:going_home");
    await tb.press("t:hotlines");
    expect(tb.lastButtons().filter((d) => d.startsWith("fs:"))).toEqual([]);
  });

  it("sendTopic takes the extra buttons from ctx.deps.topicExtras (no module-level hook)", async () => {
    const { sendTopic } = await import("../../src/bot/features/knowledge.ts");
    const { InlineKeyboard } = await import("grammy");
    const sent: { reply_markup?: { inline_keyboard: { callback_data?: string }[][] } }[] = [];
    const ctx = (extras?: (c: unknown, topic: string) => InstanceType<typeof InlineKeyboard> | undefined) =>
      ({
        t: (k: string) => k,
        deps: { topicExtras: extras, facts: { location: () => undefined } },
        reply: async (_text: string, other: (typeof sent)[number]) => {
          sent.push(other);
        },
      }) as never;
    await sendTopic(ctx((_c, topic) => new InlineKeyboard().text("x", `probe:${topic}`)), "hotlines");
    await sendTopic(ctx(undefined), "hotlines");
    const data = (i: number) => (sent[i]?.reply_markup?.inline_keyboard ?? []).flat().map((b) => b.callback_data);
    expect(data(0)).toContain("probe:hotlines");
    expect(data(1).some((d) => d?.startsWith("probe:"))).toBe(false);
  });

  it("no feature module exports a setter (dependencies are passed in, never set on a module)", async () => {
    const { readdirSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { PROJECT_ROOT } = await import("../../src/paths.ts");
    const setters: string[] = [];
    for (const folder of ["src/bot/features", "src/bot/conversations", "src/bot/desk", "src/bot/middlewares", "src/bot/keyboards"]) {
      for (const file of readdirSync(join(PROJECT_ROOT, folder)).filter((f) => f.endsWith(".ts"))) {
        const mod = (await import(join(PROJECT_ROOT, folder, file))) as Record<string, unknown>;
        for (const [name, value] of Object.entries(mod)) if (/^set[A-Z]/.test(name) && typeof value === "function") setters.push(`${folder}/${file}: ${name}`);
      }
    }
    expect(setters).toEqual([]);
  });
});
