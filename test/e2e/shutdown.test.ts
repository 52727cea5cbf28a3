/**
 * Graceful shutdown of a real process (polling mode, SQLite, HTTP endpoints on):
 * SIGTERM while an update is in flight → the update is finished (all its replies
 * sent, its session saved), the database is closed cleanly, exit code 0 within 10 s.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Update } from "grammy/types";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/storage/db.ts";
import { createRepositories } from "../../src/storage/repositories.ts";
import { FakeBotApi } from "../helpers/fake-bot-api.ts";
import { type BotProcess, freePort, spawnBot, TEST_TOKEN, waitReady } from "../helpers/spawn-bot.ts";

let api: FakeBotApi | undefined;
let proc: BotProcess | undefined;
let dir = "";
afterEach(async () => {
  proc?.kill();
  await proc?.exited;
  await api?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  proc = undefined;
  api = undefined;
});

const CHAT = 620_001;
const start: Update = {
  update_id: 77_001,
  message: {
    message_id: 1,
    date: 1_767_000_000,
    chat: { id: CHAT, type: "private", first_name: "U" },
    from: { id: CHAT, is_bot: false, first_name: "U", language_code: "id" },
    text: "/start",
    entities: [{ type: "bot_command", offset: 0, length: 6 }],
  },
} as Update;

describe("graceful shutdown", () => {
  it("SIGTERM mid-update: the update is finished, the database closed cleanly, exit 0 within 10 s", async () => {
    api = new FakeBotApi({ token: TEST_TOKEN });
    await api.start();
    dir = mkdtempSync(join(tmpdir(), "jp-stop-"));
    const port = await freePort();
    proc = spawnBot({ BOT_TOKEN: TEST_TOKEN, BOT_API_ROOT: api.url, PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dir });
    await waitReady(`http://127.0.0.1:${port}/readyz`, proc);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);

    // Each reply takes 700 ms to "reach Telegram": /start (welcome + menu) stays in flight ~1.4 s.
    api.delays.set("sendMessage", 700);
    api.push(start);
    await expect.poll(() => api!.arrivals.includes("sendMessage"), { timeout: 10_000, interval: 10 }).toBe(true);
    const t0 = Date.now();
    proc.child.kill("SIGTERM");
    const code = await proc.exited;
    const took = Date.now() - t0;
    expect(code).toBe(0);
    expect(took).toBeLessThan(10_000);

    // The in-flight update was finished: both of its replies were sent.
    const texts = api.textsTo(CHAT);
    expect(texts).toHaveLength(2);
    expect(texts[0]).toContain("BUKAN KBRI");

    // The database was closed cleanly (WAL checkpointed and removed) and holds the update's effects.
    const file = join(dir, "jalan-pulang.db");
    expect(existsSync(file)).toBe(true);
    expect(existsSync(`${file}-wal`)).toBe(false);
    const database = await openDatabase({ kind: "sqlite", file });
    try {
      const repos = createRepositories(database);
      expect(await repos.kv.get(`session:${CHAT}`)).toMatchObject({ welcomed: true, lang: "id" });
      expect(await repos.updates.isProcessed(start.update_id)).toBe(true);
    } finally {
      await database.close();
    }
  }, 40_000);
});
