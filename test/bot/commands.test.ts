/** The "/" menu Telegram shows: every listed command exists, in both languages, and is published per scope. */
import { Api } from "grammy";
import { afterEach, describe, expect, it } from "vitest";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { COMMANDS, publishCommands, STAFF_COMMANDS, staffCommands, USER_COMMANDS, userCommands } from "../../src/bot/commands.ts";
import { LANGS } from "../../src/domain/lang.ts";
import { PROJECT_ROOT } from "../../src/paths.ts";
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
    for (const lang of LANGS) {
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

  it("every name and alias of a user command in the table is handled (a reply that is not the fallback)", async () => {
    tb = await createTestBot();
    const names = Object.values(COMMANDS).filter((c) => !c.staff).flatMap((c) => c.names);
    expect(names.length).toBeGreaterThan(USER_COMMANDS.length);
    let user = 1_000;
    for (const name of names) {
      const from = { id: user++ };
      await tb.send(`/${name}`, from);
      const replies = tb.replies(from.id);
      expect(replies.length, name).toBeGreaterThan(0);
      for (const r of replies) expect(r, name).not.toContain(FALLBACK_ID);
    }
  });

  it("handlers register commands only through the one table (commandNames), and no name is in it twice", () => {
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : f.endsWith(".ts") ? [join(dir, f)] : []));
    const offenders: string[] = [];
    for (const file of files(join(PROJECT_ROOT, "src"))) {
      for (const m of readFileSync(file, "utf8").matchAll(/\.command\(\s*(?!commandNames\()/g)) offenders.push(`${relative(PROJECT_ROOT, file)}@${m.index}`);
    }
    expect(offenders).toEqual([]);
    const all = Object.values(COMMANDS).flatMap((c) => c.names);
    expect(new Set(all).size).toBe(all.length);
    for (const c of Object.values(COMMANDS)) for (const m of c.menu) expect(c.names as readonly string[]).toContain(m);
  });
});
