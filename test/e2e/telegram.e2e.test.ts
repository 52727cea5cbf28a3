/**
 * End to end: the REAL process (node --import tsx src/main.ts, long polling)
 * against the one stand-in Bot API (test/helpers/fake-bot-api.ts).
 * One Indonesian and one English client: /start, a menu button, free text;
 * and the embassy contact with its map pin after the text.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChatMessage, FakeBotApi } from "../helpers/fake-bot-api.ts";
import { type BotProcess, spawnBot, TEST_TOKEN, waitFor } from "../helpers/spawn-bot.ts";

let api: FakeBotApi;
let proc: BotProcess | undefined;
let dataDir: string;

/** Waits until the bot has sent `count` more messages to this chat than `seen` (or times out). */
async function collect(chatId: number, seen: number, count: number, timeoutMs = 15_000): Promise<ChatMessage[]> {
  await waitFor(() => api.fromBot(chatId).length >= seen + count, timeoutMs, `${count} bot messages to ${chatId}\n${proc?.output() ?? ""}`);
  return api.fromBot(chatId).slice(seen, seen + count);
}

const buttons = (m: ChatMessage | undefined) =>
  ((m?.reply_markup as { inline_keyboard?: { callback_data?: string }[][] } | undefined)?.inline_keyboard ?? []).flat().map((b) => b.callback_data);

beforeAll(async () => {
  api = new FakeBotApi({ token: TEST_TOKEN });
  await api.start();
  dataDir = mkdtempSync(join(tmpdir(), "jp-e2e-"));
  // set (empty) so a developer's .env cannot switch the mode or the database
  proc = spawnBot({ BOT_TOKEN: TEST_TOKEN, BOT_API_ROOT: api.url, DATA_DIR: dataDir, DATABASE_URL: "", WEBHOOK_URL: "", PORT: "", FACTS_FILE: "" });
});

afterAll(async () => {
  await proc?.stop("SIGTERM");
  await api?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe.each([
  { lang: "id", userId: 501, welcome: "BUKAN KBRI", menu: "Apa yang bisa kami bantu?", topic: "t:passport", topicTitle: "🛂 Paspor hilang atau ditahan", question: "gmn cara plg", answerTitle: "✈️ Pulang ke Indonesia" },
  { lang: "en", userId: 502, welcome: "NOT the embassy", menu: "How can we help?", topic: "t:hotlines", topicTitle: "☎️ Important numbers", question: "how do I go home to Indonesia?", answerTitle: "✈️ Going home to Indonesia" },
])("the real bot process over the Bot API ($lang)", (c) => {
  const user = { id: c.userId, first_name: "E2E", language_code: c.lang };

  it("/start: the welcome, then the menu with buttons", async () => {
    const seen = api.fromBot(c.userId).length;
    api.userText(user, "/start");
    const [welcome, menu] = await collect(c.userId, seen, 2, 30_000);
    expect(welcome?.text).toContain(c.welcome);
    expect(menu?.text).toBe(c.menu);
    expect(buttons(menu)).toContain("t:passport");
    expect(buttons(menu)).toContain("h");
  });

  it("a menu button answers its topic (also as the first thing a person does)", async () => {
    api.userPress(user, c.topic);
    // after the press: a first press comes on a message the stand-in makes up (the reply cannot be here yet)
    const seen = api.fromBot(c.userId).length;
    const [answer] = await collect(c.userId, seen, 1);
    expect(answer?.text?.startsWith(c.topicTitle)).toBe(true);
    expect(buttons(answer).slice(-3)).toEqual(["m", "h", "sos"]);
  });

  it("free text gets an answer", async () => {
    const seen = api.fromBot(c.userId).length;
    api.userText(user, c.question);
    const [answer] = await collect(c.userId, seen, 1);
    expect(answer?.text?.startsWith(c.answerTitle)).toBe(true);
  });
});

describe("the embassy topic", () => {
  it("sends the contact text, then the map pin", async () => {
    const user = { id: 503, first_name: "E2E", language_code: "id" };
    api.userText(user, "nomor kbri brp");
    const [text, pin] = await collect(user.id, 0, 2);
    expect(text?.text).toContain("Kontak KBRI Phnom Penh");
    expect(pin?.location).toBeDefined();
  });
});
