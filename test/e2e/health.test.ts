/**
 * Visible health of the real process: the HTTP server answers from the start;
 * while Telegram cannot be reached /readyz is 503 and the log says so (a
 * warning, then again with back-off); once Telegram answers, /readyz is 200.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { FakeBotApi } from "../helpers/fake-bot-api.ts";
import { type BotProcess, freePort, spawnBot, TEST_TOKEN } from "../helpers/spawn-bot.ts";

let proc: BotProcess | undefined;
let api: FakeBotApi | undefined;
let dir = "";
afterEach(async () => {
  proc?.kill();
  await proc?.exited;
  await api?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  proc = api = undefined;
});

const status = (url: string) =>
  fetch(url).then(
    (r) => r.status,
    () => 0,
  );

it("Telegram unreachable at start: /healthz 200, /readyz 503 and a warning; once it answers, /readyz 200", async () => {
  const apiPort = await freePort();
  const port = await freePort();
  dir = mkdtempSync(join(tmpdir(), "jp-health-"));
  proc = spawnBot({ BOT_TOKEN: TEST_TOKEN, BOT_API_ROOT: `http://127.0.0.1:${apiPort}`, PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dir });
  const base = `http://127.0.0.1:${port}`;
  await expect.poll(() => status(`${base}/healthz`), { timeout: 20_000, interval: 50 }).toBe(200);
  expect(await status(`${base}/readyz`)).toBe(503);
  const p = proc;
  await expect.poll(() => p.output(), { timeout: 20_000, interval: 50 }).toContain("Telegram cannot be reached");
  expect(await status(`${base}/readyz`)).toBe(503);

  api = new FakeBotApi({ token: TEST_TOKEN });
  await api.start(apiPort);
  await expect.poll(() => status(`${base}/readyz`), { timeout: 30_000, interval: 100 }).toBe(200);
}, 60_000);
