/**
 * End to end: the REAL process (node --import tsx src/main.ts, long polling)
 * against telegram-test-api, a local stand-in for the Telegram Bot API server.
 * One Indonesian and one English client: /start, a menu button, free text.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TelegramServer } from "telegram-test-api/lib/telegramServer.js";
import type { TelegramClient } from "telegram-test-api/lib/modules/telegramClient.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/paths.ts";

const TOKEN = "1234567:E2E_test_token_abcdefghijklmnop";

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const addr = s.address();
      s.close(() => resolve(typeof addr === "object" && addr ? addr.port : 0));
    });
  });
}

interface BotMessage {
  message: { text: string; reply_markup?: { inline_keyboard?: { text: string; callback_data?: string }[][] } };
}

let server: TelegramServer;
let child: ChildProcess | undefined;
let dataDir: string;
let output = "";

/** Waits until the bot has sent `count` messages to this client (or times out). */
async function collect(client: TelegramClient, count: number, timeoutMs = 15_000): Promise<BotMessage[]> {
  const got: BotMessage[] = [];
  const deadline = Date.now() + timeoutMs;
  while (got.length < count && Date.now() < deadline) {
    const res = await client.getUpdates();
    got.push(...(res.result as unknown as BotMessage[]));
    if (got.length < count) await new Promise((r) => setTimeout(r, 50));
  }
  if (got.length < count) throw new Error(`expected ${count} bot messages, got ${got.length}; process output:\n${output}`);
  return got;
}

const buttons = (m: BotMessage | undefined) =>
  (m?.message.reply_markup?.inline_keyboard ?? []).flat().map((b) => b.callback_data);

beforeAll(async () => {
  const port = await freePort();
  server = new TelegramServer({ port, host: "127.0.0.1" });
  await server.start();
  dataDir = mkdtempSync(join(tmpdir(), "jp-e2e-"));
  child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: PROJECT_ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? dataDir,
      BOT_TOKEN: TOKEN,
      BOT_API_ROOT: `http://127.0.0.1:${port}`,
      DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
      // set (empty) so a developer's .env cannot switch the mode or the database
      DATABASE_URL: "",
      WEBHOOK_URL: "",
      PORT: "",
      FACTS_FILE: "",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    output += d.toString();
  });
});

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child?.once("exit", r));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child?.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  }
  await server?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe.each([
  { lang: "id", userId: 501, welcome: "BUKAN KBRI", menu: "Apa yang bisa kami bantu?", topic: "t:passport", topicTitle: "🛂 Paspor hilang atau ditahan", question: "gmn cara plg", answerTitle: "✈️ Pulang ke Indonesia" },
  { lang: "en", userId: 502, welcome: "NOT the embassy", menu: "How can we help?", topic: "t:hotlines", topicTitle: "☎️ Important numbers", question: "how do I go home to Indonesia?", answerTitle: "✈️ Going home to Indonesia" },
])("the real bot process over the Bot API ($lang)", (c) => {
  let client: TelegramClient;
  const from = () => ({ id: c.userId, is_bot: false, first_name: "E2E", language_code: c.lang });

  beforeAll(() => {
    client = server.getClient(TOKEN, { userId: c.userId, chatId: c.userId, firstName: "E2E", timeout: 15_000 });
  });

  it("/start: the welcome, then the menu with buttons", async () => {
    await client.sendCommand(client.makeCommand("/start", { from: from() }));
    const [welcome, menu] = await collect(client, 2, 30_000);
    expect(welcome?.message.text).toContain(c.welcome);
    expect(menu?.message.text).toBe(c.menu);
    expect(buttons(menu)).toContain("t:passport");
    expect(buttons(menu)).toContain("h");
  });

  it("a menu button answers its topic", async () => {
    await client.sendCallback(client.makeCallbackQuery(c.topic, { from: from() }));
    const [answer] = await collect(client, 1);
    expect(answer?.message.text.startsWith(c.topicTitle)).toBe(true);
    expect(buttons(answer).slice(-3)).toEqual(["m", "h", "sos"]);
  });

  it("free text gets an answer", async () => {
    await client.sendMessage(client.makeMessage(c.question, { from: from() }));
    const [answer] = await collect(client, 1);
    expect(answer?.message.text.startsWith(c.answerTitle)).toBe(true);
  });
});

describe("the embassy topic (sendVenue is not implemented by telegram-test-api)", () => {
  it("still sends the contact text", async () => {
    const client = server.getClient(TOKEN, { userId: 503, chatId: 503, firstName: "E2E" });
    await client.sendMessage(client.makeMessage("nomor kbri brp", { from: { id: 503, is_bot: false, first_name: "E2E", language_code: "id" } }));
    const [answer] = await collect(client, 1);
    expect(answer?.message.text).toContain("Kontak KBRI Phnom Penh");
  });
});
