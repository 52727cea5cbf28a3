/**
 * Another process holding the SQLite write lock never freezes the bot: the real
 * process keeps answering /healthz at once while it cannot write, and its replies
 * go out once the lock is released (nothing lost). The lock is held by a second
 * better-sqlite3 connection in a child process (BEGIN IMMEDIATE).
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

async function healthzMs(port: number): Promise<number> {
  const t0 = performance.now();
  const r = await fetch(`http://127.0.0.1:${port}/healthz`);
  expect(r.status).toBe(200);
  return performance.now() - t0;
}

it("while another process holds the write lock: /healthz answers at once, replies go out after release", async () => {
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
  await healthzMs(port);

  holder = await holdLock(join(dir, "jalan-pulang.db"));
  const before = a.fromBot(user.id).length;
  a.userText(user, "nomor kbri berapa");
  a.userText({ id: 4040402, first_name: "Budi" }, "saya disekap dan dipukul, tolong");
  // While the bot tries to write (every update does), /healthz is asked again and again.
  const latencies: number[] = [];
  const until = Date.now() + 3_000;
  while (Date.now() < until) {
    latencies.push(await healthzMs(port));
    await new Promise((r) => setTimeout(r, 50));
  }
  const worst = Math.max(...latencies);
  // Before: busy_timeout=5000 in a synchronous driver froze the process for seconds per write.
  expect(worst).toBeLessThan(1_000);
  process.stdout.write(`[sqlite-lock] /healthz while locked: ${latencies.length} requests, worst ${worst.toFixed(1)} ms: ${latencies.map((l) => l.toFixed(0)).join(" ")}\n`);

  holder.stdin?.write("release\n");
  // Nothing lost: the knowledge answer and the urgent case (its reply says a person is being told).
  await waitFor(() => a.fromBot(user.id).slice(before).some((m) => /KBRI/.test(String(m.text))), 30_000, `answer after release\n${bot.output()}`);
  await waitFor(() => a.fromBot(4040402).some((m) => String(m.text).includes("nomor")), 30_000, `urgent reply\n${bot.output()}`);
  expect(bot.child.exitCode).toBeNull();
}, 90_000);
