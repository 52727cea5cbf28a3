/**
 * Another process holding the SQLite write lock never freezes the bot: the real
 * process keeps answering /healthz while it cannot write, and the updates it could
 * not store or handle meanwhile are handled once the lock is released (nothing
 * lost, nothing twice). The lock is held by a second better-sqlite3 connection in
 * a child process (BEGIN IMMEDIATE). How fast /healthz answers meanwhile is a
 * figure of `npm run bench` (bench/sqlite-lock.ts), not a threshold here.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { FakeBotApi } from "../helpers/fake-bot-api.ts";
import { PROJECT_ROOT as ROOT } from "../../src/paths.ts";
import { type BotProcess, freePort, spawnBot, TEST_TOKEN, waitFor } from "../helpers/spawn-bot.ts";

let bot: BotProcess | undefined;
let holder: ChildProcess | undefined;
let api: FakeBotApi | undefined;
let dir: string | undefined;
afterEach(async () => {
  holder?.kill("SIGKILL");
  await bot?.stop("SIGKILL");
  await api?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  bot = holder = api = dir = undefined;
});

/** A child process that takes the write lock, says "locked", and commits when it reads a line. */
function holdLock(file: string): Promise<ChildProcess> {
  const script = `
    const db = new (require("better-sqlite3"))(${JSON.stringify(file)});
    db.exec("begin immediate");
    db.prepare("insert into kv (key, owner, value, updated_at) values ('lock-holder', null, '{}', 0)").run();
    process.stdout.write("locked\\n");
    process.stdin.once("data", () => { db.exec("commit"); db.close(); process.exit(0); });`;
  const child = spawn(process.execPath, ["-e", script], { cwd: ROOT, stdio: ["pipe", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.stdout?.once("data", () => resolve(child));
    child.once("exit", (code) => reject(new Error(`lock holder exited ${code}`)));
  });
}

async function healthz(port: number): Promise<number> {
  const r = await fetch(`http://127.0.0.1:${port}/healthz`);
  await r.text();
  return r.status;
}

it("another process holds the write lock longer than a write waits: /healthz answers throughout, the person gets the hotlines once, the held updates are handled once after the release", async () => {
  api = new FakeBotApi({ token: TEST_TOKEN });
  const root = await api.start();
  dir = mkdtempSync(join(tmpdir(), "jp-lock-"));
  const port = await freePort();
  bot = spawnBot({ BOT_TOKEN: TEST_TOKEN, BOT_API_ROOT: root, DATA_DIR: dir, PORT: String(port), LOG_LEVEL: "warn" });
  const a = api;
  const user = { id: 4040401, first_name: "Ani" };
  // Warm up first (the first texts load the matcher; the first request opens a connection).
  a.userText(user, "/start");
  a.userText(user, "halo, paspor saya hilang");
  await waitFor(() => a.fromBot(user.id).length >= 2, 20_000, `first replies\n${bot.output()}`);
  expect(await healthz(port)).toBe(200);

  holder = await holdLock(join(dir, "jalan-pulang.db"));
  const before = a.fromBot(user.id).length;
  const budi = { id: 4040402, first_name: "Budi" };
  a.userText(user, "nomor kbri berapa");
  a.userText(budi, "saya disekap dan dipukul, tolong");
  // While the bot cannot write (every update is stored first), /healthz answers, again and again.
  // Held longer than a write waits (5 s): the bot gives up storing, answers with the calm line and the
  // hotlines, and leaves the updates unconfirmed at Telegram. /healthz answers all along.
  const notLost = (m: { text?: unknown }) => String(m.text).includes("Pesan Anda tidak hilang");
  let asked = 0;
  while (!a.fromBot(budi.id).some(notLost)) {
    expect(await healthz(port)).toBe(200);
    asked++;
    if (asked > 600) throw new Error(`no calm line while locked\n${bot.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(await healthz(port)).toBe(200);

  holder.stdin?.write("release\n");
  // Nothing lost: the knowledge answer and the urgent case (its reply says a person is being told).
  await waitFor(() => a.fromBot(user.id).slice(before).some((m) => /KBRI/.test(String(m.text))), 30_000, `answer after release\n${bot.output()}`);
  const urgentReply = (m: { text?: unknown }) => String(m.text).includes("Tidak ada petugas help line yang bisa melihat");
  await waitFor(() => a.fromBot(budi.id).some(urgentReply), 30_000, `urgent reply\n${bot.output()}`);
  // Once: the held update is not handled twice (a /start after it is answered after it, in order).
  a.userText(budi, "/start");
  await waitFor(() => a.fromBot(budi.id).some((m) => /BUKAN KBRI/.test(String(m.text))), 30_000, `start reply\n${bot.output()}`);
  expect(a.fromBot(budi.id).filter(urgentReply)).toHaveLength(1);
  expect(bot.child.exitCode).toBeNull();
  // The calm line went out once per update, although the batch was fetched again meanwhile.
  expect(a.fromBot(budi.id).filter(notLost)).toHaveLength(1);
}, 90_000);
