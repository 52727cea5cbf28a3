/**
 * A third language needs a locale folder, a lexicon file and one registry entry
 * (and its texts in the facts file): nothing else. Here the registry gets a
 * Tagalog entry (vi.mock of src/domain/languages.ts) and the locales a tl/ folder
 * (a copy of en/ with every text marked, in a temporary LOCALES_DIR); no other
 * code changes. The keyboard, the prompt, the command menus, the translator,
 * the reading of a message's language, number formats, the flows' typed words,
 * the facts schema and the whole bot then know the language.
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Api } from "grammy";
import { afterAll, describe, expect, it, vi } from "vitest";
import type { LanguageEntry } from "../../src/domain/languages.ts";

const TL_MARK = "⟦tl⟧ ";

// built before any module is imported (vi.mock factories run first): where the locales and facts go
const tmp = await vi.hoisted(async () => {
  const fs = await import("node:fs");
  const os = await import("node:os");
  const path = await import("node:path");
  return { dir: fs.mkdtempSync(path.join(os.tmpdir(), "jp-lang-")) };
});

vi.mock("../../src/paths.ts", async (importOriginal) => {
  const orig = await importOriginal<typeof import("../../src/paths.ts")>();
  return { ...orig, LOCALES_DIR: join(tmp.dir, "locales"), DEFAULT_FACTS_PATH: join(tmp.dir, "facts.json") };
});

vi.mock("../../src/domain/languages.ts", async (importOriginal) => {
  const orig = await importOriginal<typeof import("../../src/domain/languages.ts")>();
  // the lexicon file a translator would write (src/domain/lexicons/tl.ts)
  const TAGALOG: LanguageEntry = {
    code: "tl",
    name: "Tagalog",
    flag: "🇵🇭",
    numberLocale: "fil-PH",
    dateLocale: "fil-PH",
    telegramCodes: ["fil"],
    lexicon: {
      words: "ako ikaw siya kami tayo sila ang ng mga sa na po opo hindi oo paano saan kailan bakit ano sino kailangan gusto tulong salamat umuwi bahay pasaporte embahada pera trabaho ko mo niya namin natin".split(" "),
      affix: /^(?:nag|mag|pag|ka|ma)\p{L}{3,}$/u,
      cancel: ["kanselahin", "itigil"],
      back: ["bumalik"],
      particles: ["po", "naman"],
    },
  };
  return { ...orig, LANGUAGES: [...orig.LANGUAGES, TAGALOG] };
});

// The locale folder and the facts' texts for tl: copies of English, every text marked.
{
  const { LOCALES_DIR: real, DEFAULT_FACTS_PATH: realFacts } = await vi.importActual<typeof import("../../src/paths.ts")>("../../src/paths.ts");
  const locales = join(tmp.dir, "locales");
  cpSync(real, locales, { recursive: true });
  mkdirSync(join(locales, "tl"));
  const mark = (v: unknown): unknown =>
    typeof v === "string" ? TL_MARK + v : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mark(x)])) : v;
  for (const f of readdirSync(join(real, "en"))) {
    writeFileSync(join(locales, "tl", f), JSON.stringify(mark(JSON.parse(readFileSync(join(real, "en", f), "utf8")))));
  }
  const facts = JSON.parse(readFileSync(realFacts, "utf8")) as { facts: Record<string, Record<string, unknown>> };
  for (const fact of Object.values(facts.facts)) {
    for (const field of ["value", "label"]) {
      const v = fact[field] as Record<string, string> | undefined;
      if (v && typeof v === "object" && "en" in v) v.tl = v.en;
    }
  }
  writeFileSync(join(tmp.dir, "facts.json"), JSON.stringify(facts));
}

const { isLang, LANGS, langFromCode } = await import("../../src/domain/lang.ts");
const { detectLanguage } = await import("../../src/domain/knowledge/language.ts");
const { formatNumber } = await import("../../src/domain/format.ts");
const { languageKeyboard, languagePrompt } = await import("../../src/bot/keyboards/menu.ts");
const { parseLang } = await import("../../src/bot/keyboards/callbacks.ts");
const { publishCommands, USER_COMMANDS } = await import("../../src/bot/commands.ts");
const { CANCEL_WORDS, BACK_WORDS } = await import("../../src/bot/conversations/common.ts");
const { loadFacts, parseFacts } = await import("../../src/content/facts.ts");
const { createTranslator } = await import("../../src/i18n.ts");
const { FakeTelegram } = await import("../../src/bot/fake-api.ts");
const { createTestBot } = await import("../helpers/bot.ts");

afterAll(async () => {
  const { rmSync } = await import("node:fs");
  rmSync(tmp.dir, { recursive: true, force: true });
});

const TL = "tl" as never;

describe("a third language from one registry entry, its lexicon and its locale folder", () => {
  it("is a language of the bot: its code and its Telegram codes", () => {
    expect(LANGS).toEqual(["id", "en", "tl"]);
    expect(isLang("tl")).toBe(true);
    expect(langFromCode("tl")).toBe("tl");
    expect(langFromCode("fil-PH")).toBe("tl");
    expect(langFromCode("en-GB")).toBe("en");
    expect(langFromCode("xx")).toBe("id");
  });

  it("gets a button and its question in the language picker", () => {
    const buttons = languageKeyboard().inline_keyboard.flat();
    expect(buttons.map((b) => [b.text, (b as { callback_data?: string }).callback_data])).toEqual([
      ["🇮🇩 Bahasa Indonesia", "l:id"],
      ["🇬🇧 English", "l:en"],
      ["🇵🇭 Tagalog", "l:tl"],
    ]);
    expect(parseLang("l:tl")).toBe("tl");
    const translator = createTranslator(loadFacts());
    expect(languagePrompt(translator)).toBe(`Pilih bahasa / Choose a language / ${TL_MARK}Choose a language:`);
  });

  it("gets its own command menu, described from its locale folder", async () => {
    const translator = createTranslator(loadFacts());
    const fake = new FakeTelegram();
    await publishCommands(new Api("1:x", { fetch: fake.fetch as never }), translator);
    const calls = fake.sent("setMyCommands").map((c) => c.payload as { language_code?: string; commands: { command: string; description: string }[] });
    expect(calls.map((c) => c.language_code)).toEqual([undefined, "id", "en", "tl"]);
    const tl = calls[3];
    expect(tl?.commands.map((c) => c.command)).toEqual([...USER_COMMANDS]);
    for (const c of tl?.commands ?? []) expect(c.description.startsWith(TL_MARK)).toBe(true);
  });

  it("is read from its lexicon: a message in it is recognised; Indonesian and English stay as they were", () => {
    expect(detectLanguage("paano po ako makakauwi, kailangan ko ng tulong").language).toBe("tl");
    expect(detectLanguage("bagaimana cara saya pulang ke indonesia").language).toBe("id");
    expect(detectLanguage("how do I get home to indonesia").language).toBe("en");
    expect(CANCEL_WORDS.has("kanselahin")).toBe(true);
    expect(CANCEL_WORDS.has("batal")).toBe(true);
    expect(BACK_WORDS.has("bumalik")).toBe(true);
  });

  it("formats numbers with its Intl locale", () => {
    expect(formatNumber(TL, 1200)).toBe(new Intl.NumberFormat("fil-PH").format(1200));
  });

  it("the facts file must carry its texts: the schema asks for every registered language", () => {
    const facts = JSON.parse(readFileSync(join(tmp.dir, "facts.json"), "utf8")) as { facts: Record<string, { value: unknown }> };
    const localized = Object.values(facts.facts).find((f) => typeof f.value === "object" && f.value !== null && "tl" in f.value);
    expect(localized).toBeDefined();
    delete (localized?.value as Record<string, unknown>).tl;
    expect(() => parseFacts(facts)).toThrow(/tl/);
  });

  it("the whole bot speaks it: a Tagalog phone gets the welcome from locales/tl, and /language tl and its button switch to it", async () => {
    const tb = await createTestBot({ env: { FACTS_FILE: join(tmp.dir, "facts.json") } });
    try {
      await tb.send("/start", { id: 91, language_code: "fil" });
      const welcome = tb.replies(91);
      expect(welcome.length).toBeGreaterThan(0);
      for (const text of welcome) expect(text.startsWith(TL_MARK)).toBe(true);

      await tb.send("/language tl", { id: 92, language_code: "id" });
      expect(tb.replies(92).at(-1)).toBe(tb.deps.translator.t(TL)("language:switched"));
      expect(tb.replies(92).at(-1)?.startsWith(TL_MARK)).toBe(true);

      await tb.send("/language", { id: 93, language_code: "en" });
      expect(tb.lastButtons(93)).toEqual(["l:id", "l:en", "l:tl"]);
      await tb.press("l:tl", { id: 93, language_code: "en" });
      expect(tb.replies(93).at(-1)?.startsWith(TL_MARK)).toBe(true);
      tb.api.clear();
      await tb.send("/menu", { id: 93, language_code: "en" });
      expect(tb.replies(93)[0]?.startsWith(TL_MARK)).toBe(true);
    } finally {
      await tb.close();
    }
  });
});
