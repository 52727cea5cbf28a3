/**
 * Every promise in a text is kept: check dates and sources are shown, the
 * welcome says what is stored (the last three messages too), /help lists the
 * guides, and without a staff group nothing suggests that a person will read.
 */
import { afterEach, describe, expect, it } from "vitest";
import { renderSources } from "../../src/bot/features/sources.ts";
import { formatDate } from "../../src/domain/format.ts";
import { createTestBot, type TestBot } from "../helpers/bot.ts";

let tb: TestBot | undefined;
afterEach(async () => {
  await tb?.close();
  tb = undefined;
});

const t = (lang: "id" | "en", key: string, vars?: Record<string, unknown>) => (tb as TestBot).deps.translator.t(lang)(key, vars);

describe("sources and check dates", () => {
  it("/sources lists every shown fact with its source and its checked date, per language, in messages Telegram accepts", async () => {
    tb = await createTestBot();
    for (const lang of ["id", "en"] as const) {
      tb.api.clear();
      await tb.send("/sources", { language_code: lang });
      if (lang === "en") {
        tb.api.clear();
        await tb.send("/language en");
        tb.api.clear();
        await tb.send("/sources");
      }
      const all = tb.replies().join("\n");
      expect(all.startsWith(t(lang, "sources:title"))).toBe(true);
      for (const r of tb.replies()) expect(r.length).toBeLessThanOrEqual(4096);
      for (const [id, fact] of Object.entries(tb.deps.facts.file.facts)) {
        if (!fact.show) {
          if (typeof fact.value === "string") expect(all, id).not.toContain(fact.value);
          continue;
        }
        expect(all, id).toContain(fact.source);
        expect(all, id).toContain(formatDate(lang, fact.checked));
      }
      expect(all).not.toMatch(/\{\{|sources:/);
    }
  });

  it("renderSources splits long lists", async () => {
    tb = await createTestBot();
    const parts = renderSources(tb.deps.translator.t("id"), tb.deps.facts, "id");
    expect(parts.length).toBeGreaterThanOrEqual(1);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(3_500);
  });

  it("a finished checklist says when its facts were checked and where the sources are", async () => {
    tb = await createTestBot();
    await tb.send("/passport");
    for (const [step, i] of [["passport", 0], ["ktp", 0], ["kk", 0], ["birth", 0], ["photos", 0]] as const) {
      await tb.press(`fl:pp.${step}:${i}`);
    }
    expect(tb.replies().at(-1)).toContain(t("id", "sources:checked"));
    expect(t("id", "sources:checked")).toContain(tb.deps.facts.view("id", "").facts_checked);
  });
});

describe("the welcome and /help", () => {
  it("the welcome says the last three messages are kept, and for how long; /forget's question names them", async () => {
    tb = await createTestBot({ env: { RETENTION_DAYS: "45" } });
    await tb.send("/start");
    expect(tb.replies()[0]).toContain("tiga pesan terakhir");
    expect(tb.replies()[0]).toContain("45 hari");
    expect(tb.replies()[0]).toContain("/sources");
    expect(t("en", "start:welcome", { retention: 45, operator: "X" })).toContain("last three messages");
    expect(t("id", "privacy:forget_confirm")).toContain("tiga pesan terakhir");
    expect(t("en", "privacy:forget_confirm")).toContain("last three messages");
  });

  it("/help lists the guided flows and /cancel, in both languages", async () => {
    tb = await createTestBot();
    for (const lang of ["id", "en"] as const) {
      const help = t(lang, "start:help", { operator: "X" });
      for (const c of ["/passport", "/pulang", "/keluarga", "/mychecklist", "/cancel", "/menu", "/human", "/language", "/forget"]) {
        expect(help, `${lang} ${c}`).toContain(c);
      }
    }
    await tb.send("/help");
    expect(tb.replies()[0]).toContain("/keluarga");
  });
});

describe("without a staff group", () => {
  it("a location is not called received: the bot says it was passed on to nobody", async () => {
    tb = await createTestBot();
    await tb.handle({
      message: {
        message_id: 1,
        date: Math.floor(Date.now() / 1000),
        chat: { id: 424242, type: "private", first_name: "T" },
        from: { id: 424242, is_bot: false, first_name: "T", language_code: "id" },
        location: { latitude: 11.5, longitude: 104.9 },
      },
    } as never);
    const r = tb.replies()[0] as string;
    expect(r).not.toContain(t("id", "urgent:location_thanks"));
    expect(r).toContain(t("id", "unhandled:location"));
    expect(r).toContain(tb.deps.facts.view("id", "").kbri_hotline_protection);
  });

  it("/human says no person reads here, and offers no button back to the same message", async () => {
    tb = await createTestBot();
    await tb.send("/human");
    expect(tb.replies()[0]).toContain(t("id", "human:no_desk"));
    expect(tb.lastButtons()).toEqual(["m"]);
  });

  it('"Don\'t send location" is an OK that removes the keyboard, never "Did you mean one of these?"', async () => {
    tb = await createTestBot();
    for (const lang of ["id", "en"] as const) {
      tb.api.clear();
      await tb.send(t(lang, "urgent:no_location"), { language_code: lang });
      expect(tb.replies()).toHaveLength(1);
      expect(tb.replies()[0]).not.toContain(t(lang, "menu:suggest"));
      const sent = tb.api.calls.find((c) => c.method === "sendMessage");
      expect(sent?.payload.reply_markup).toEqual({ remove_keyboard: true });
    }
  });

  it("an urgent message without a staff group says plainly that no person reads it here", async () => {
    tb = await createTestBot();
    await tb.send("tolong saya dikurung");
    expect(tb.replies()[0]).toContain(t("id", "urgent:no_desk"));
    expect(t("id", "urgent:no_desk")).toContain("Tidak ada petugas help line");
  });
});
