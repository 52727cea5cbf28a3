import { afterEach, describe, expect, it } from "vitest";
import { createTestBot, type TestBot } from "../helpers/bot.ts";
import { DB_KINDS, openTestDatabase, type TestDatabase } from "../helpers/databases.ts";

let tb: TestBot | undefined;
let tb2: TestBot | undefined;
let shared: TestDatabase | undefined;
afterEach(async () => {
  await tb?.close();
  await tb2?.close();
  await shared?.cleanup();
  tb = tb2 = shared = undefined;
});

const ID_MENU = "Apa yang bisa kami bantu?";
const EN_MENU = "How can we help?";

describe("language", () => {
  it("/language shows the two language buttons", async () => {
    tb = await createTestBot();
    await tb.send("/language");
    expect(tb.replies()).toEqual(["Pilih bahasa / Choose a language:"]);
    expect(tb.lastButtons()).toEqual(["l:id", "l:en"]);
  });

  it.each(DB_KINDS)("/language en switches, and the choice survives a restart on the same database (%s)", async (kind) => {
    shared = await openTestDatabase(kind);
    tb = await createTestBot({ database: shared });
    await tb.send("/language en");
    expect(tb.replies()[0]).toBe("OK, we will answer in English.");
    tb.api.clear();
    await tb.send("/start");
    expect(tb.replies()[0]).toContain("NOT the embassy");
    expect(tb.replies()[1]).toBe(EN_MENU);

    // a new bot instance (a restart) on the same database: still English for this Indonesian-phone user
    tb2 = await createTestBot({ database: shared });
    await tb2.send("/start", { language_code: "id" });
    expect(tb2.replies()[0]).toContain("NOT the embassy");
  });

  it("pressing l:id switches an English user to Indonesian", async () => {
    tb = await createTestBot();
    await tb.send("/start", { language_code: "en" });
    expect(tb.replies()[1]).toBe(EN_MENU);
    tb.api.clear();
    await tb.press("l:id", { language_code: "en" });
    const answer = tb.api.sent("answerCallbackQuery").at(-1);
    expect(answer?.payload.text).toBe("Bahasa Indonesia");
    expect(tb.replies()).toEqual(["Baik, kami akan menjawab dalam Bahasa Indonesia."]);
    tb.api.clear();
    await tb.send("/menu", { language_code: "en" });
    expect(tb.replies()).toEqual([ID_MENU]);
  });

  it("an old language button with unknown data is answered without switching", async () => {
    tb = await createTestBot();
    await tb.press("l:fr");
    expect(tb.api.sent("answerCallbackQuery")).toHaveLength(1);
    await tb.send("/menu");
    expect(tb.replies().at(-1)).toBe(ID_MENU);
  });

  it("a clearly English sentence in an Indonesian session switches replies to English", async () => {
    tb = await createTestBot();
    await tb.send("/start");
    tb.api.clear();
    await tb.send("How can I contact the embassy? I need their phone number");
    expect(tb.replies()[0]).toContain("Contacting KBRI Phnom Penh");
    tb.api.clear();
    await tb.send("/menu");
    expect(tb.replies()).toEqual([EN_MENU]);
  });

  it("and a clearly Indonesian sentence in an English session switches back", async () => {
    tb = await createTestBot();
    await tb.send("/start", { language_code: "en" });
    tb.api.clear();
    await tb.send("bagaimana cara saya pulang ke indonesia?", { language_code: "en" });
    expect(tb.replies()[0]).toContain("Pulang ke Indonesia");
    tb.api.clear();
    await tb.send("/menu", { language_code: "en" });
    expect(tb.replies()).toEqual([ID_MENU]);
  });

  it("an urgent message is answered in the language it is written in, even on an English phone", async () => {
    tb = await createTestBot();
    await tb.send("tolong saya dikurung", { language_code: "en" });
    expect(tb.replies()[0]).toContain("+855 12 813 282");
    expect(tb.replies()[0]).toContain("Tidak ada petugas help line");
  });

  it("short ambiguous text ('ok', 'kbri') does not switch", async () => {
    tb = await createTestBot();
    await tb.send("/start", { language_code: "en" });
    await tb.send("ok", { language_code: "en" });
    await tb.send("kbri", { language_code: "en" });
    tb.api.clear();
    await tb.send("/menu", { language_code: "en" });
    expect(tb.replies()).toEqual([EN_MENU]);

    await tb.send("/language id");
    await tb.send("ok");
    await tb.send("kbri");
    tb.api.clear();
    await tb.send("/menu");
    expect(tb.replies()).toEqual([ID_MENU]);
  });

  it("an explicit choice is kept when the person writes in the other language", async () => {
    tb = await createTestBot();
    await tb.send("/language en");
    tb.api.clear();
    await tb.send("bagaimana cara saya pulang ke indonesia?");
    expect(tb.replies()[0]).toContain("Going home to Indonesia");
  });
});
