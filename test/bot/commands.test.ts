/** The "/" menu Telegram shows: every listed command exists, in both languages, and is published per scope. */
import { Api } from "grammy";
import { afterEach, describe, expect, it } from "vitest";
import { publishCommands, STAFF_COMMANDS, staffCommands, USER_COMMANDS, userCommands } from "../../src/bot/commands.ts";
import { FakeTelegram } from "../../src/bot/fake-api.ts";
import { createTestBot, type TestBot } from "../helpers/bot.ts";

let tb: TestBot | undefined;
afterEach(async () => {
  await tb?.close();
  tb = undefined;
});

const FALLBACK_ID = "Maaf, kami belum mengerti";

describe("bot commands", () => {
  it("names and descriptions are valid for Telegram, in both languages, and differ by language", async () => {
    tb = await createTestBot();
    for (const lang of ["id", "en"] as const) {
      for (const c of [...userCommands(tb.deps.translator, lang), ...staffCommands(tb.deps.translator, lang)]) {
        expect(c.command).toMatch(/^[a-z0-9_]{1,32}$/);
        expect(c.description.length).toBeGreaterThanOrEqual(3);
        expect(c.description.length).toBeLessThanOrEqual(256);
        expect(c.description).not.toContain("commands:"); // a missing key would show as its name
      }
    }
    expect(userCommands(tb.deps.translator, "id")[2]?.description).not.toBe(
      userCommands(tb.deps.translator, "en")[2]?.description,
    );
  });

  it.each(USER_COMMANDS)("/%s in the menu is handled (a reply that is not the fallback)", async (command) => {
    tb = await createTestBot();
    await tb.send(`/${command}`);
    const replies = tb.replies();
    expect(replies.length).toBeGreaterThan(0);
    for (const r of replies) expect(r).not.toContain(FALLBACK_ID);
  });

  it("publishes the Indonesian list as the default, one list per language, and the staff list in the staff group only", async () => {
    tb = await createTestBot();
    const fake = new FakeTelegram();
    const api = new Api("1:x", { fetch: fake.fetch as never });
    await publishCommands(api, tb.deps.translator, -100123);
    const calls = fake.sent("setMyCommands").map((c) => c.payload as Record<string, unknown>);
    expect(calls.map((c) => [JSON.stringify(c.scope), c.language_code])).toEqual([
      ['{"type":"all_private_chats"}', undefined],
      ['{"type":"all_private_chats"}', "id"],
      ['{"type":"all_private_chats"}', "en"],
      ['{"type":"chat","chat_id":-100123}', undefined],
    ]);
    const names = (i: number) => (calls[i]?.commands as { command: string }[]).map((c) => c.command);
    expect(names(0)).toEqual([...USER_COMMANDS]);
    expect(names(3)).toEqual([...STAFF_COMMANDS]);
    expect(JSON.stringify(calls[2]?.commands)).toContain("Talk to a person");
  });
});
