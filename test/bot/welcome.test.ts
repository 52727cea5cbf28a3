import { afterEach, describe, expect, it } from "vitest";
import { createTestBot, type TestBot } from "../helpers/bot.ts";

let tb: TestBot;
afterEach(async () => tb?.close());

describe("welcome and menu", () => {
  it("/start says who runs the bot, what is stored, who reads it and how to delete it, then shows the menu", async () => {
    tb = await createTestBot({ env: { OPERATOR_NAME: "Relawan Uji" } });
    await tb.send("/start");
    const [welcome, menu] = tb.replies();
    expect(welcome).toContain("Relawan Uji");
    expect(welcome).toContain("BUKAN KBRI");
    expect(welcome).toContain("/forget");
    expect(welcome).toContain("90");
    expect(menu).toBe("Apa yang bisa kami bantu?");
    expect(tb.lastButtons()).toContain("t:passport");
    expect(tb.lastButtons()).toContain("h");
  });

  it("answers in English for an English Telegram user", async () => {
    tb = await createTestBot();
    await tb.send("/start", { language_code: "en-GB" });
    expect(tb.replies()[0]).toContain("NOT the embassy");
  });

  it("uses Indonesian when the language code is missing or another language", async () => {
    tb = await createTestBot();
    await tb.send("/start", { language_code: "km" });
    expect(tb.replies()[0]).toContain("BUKAN KBRI");
  });
});
