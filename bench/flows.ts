/**
 * Guided flows under load. Conversations are replayed from their stored log on
 * every update, so the cost of an update grows with the flow's length: this
 * prints the time per update through the passport flow against a plain /menu
 * update, how the cost and the stored state grow when someone keeps sending bad
 * answers, and the time of a whole flow.
 * Run: node --import tsx bench/flows.ts
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Update } from "grammy/types";
import pino from "pino";
import { MAX_TRIES, MAX_UPDATES } from "../src/bot/conversations/common.ts";
import { FAKE_BOT_INFO, FakeTelegram } from "../src/bot/fake-api.ts";
import { createBot } from "../src/bot/index.ts";
import { createConfig } from "../src/config.ts";
import { createContainer } from "../src/container.ts";

let updateId = 1;
let messageId = 1;

function text(userId: number, t: string): Update {
  return {
    update_id: updateId++,
    message: {
      message_id: messageId++,
      date: Math.floor(Date.now() / 1000),
      chat: { id: userId, type: "private", first_name: "B" },
      from: { id: userId, is_bot: false, first_name: "B", language_code: "id" },
      text: t,
      ...(t.startsWith("/") ? { entities: [{ type: "bot_command", offset: 0, length: t.split(" ")[0]?.length ?? 1 }] } : {}),
    },
  } as Update;
}

function press(userId: number, data: string): Update {
  return {
    update_id: updateId++,
    callback_query: {
      id: String(updateId),
      from: { id: userId, is_bot: false, first_name: "B", language_code: "id" },
      chat_instance: "b",
      data,
      message: { message_id: messageId++, date: Math.floor(Date.now() / 1000), chat: { id: userId, type: "private", first_name: "B" }, text: "…" },
    },
  } as Update;
}

const PASSPORT_PRESSES = ["fl:pp.passport:3", "fl:pp.ktp:1", "fl:pp.kk:2", "fl:pp.birth:0", "fl:pp.police:1", "fl:pp.photos:0"];

export async function bench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "jp-bench-flows-"));
  const config = createConfig({ BOT_TOKEN: "123456:BENCH_TOKEN_abcdefghijklmnopqrstuvwxyz", DATA_DIR: dir });
  const deps = await createContainer(config, pino({ level: "silent" }));
  const api = new FakeTelegram(FAKE_BOT_INFO);
  const { bot } = createBot(deps, { token: config.BOT_TOKEN ?? "0:x", botInfo: FAKE_BOT_INFO, fetch: api.fetch });
  const time = async (u: Update) => {
    const t0 = performance.now();
    await bot.handleUpdate(u);
    return performance.now() - t0;
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  try {
    const USERS = 60;
    // warm-up
    for (let u = 1; u <= 5; u++) await bot.handleUpdate(text(u, "/menu"));

    const menu: number[] = [];
    for (let u = 100; u < 100 + USERS; u++) menu.push(await time(text(u, "/menu")));

    const perStep: number[][] = PASSPORT_PRESSES.map(() => []);
    const whole: number[] = [];
    for (let u = 1000; u < 1000 + USERS; u++) {
      const t0 = performance.now();
      await bot.handleUpdate(text(u, "/passport"));
      for (const [i, data] of PASSPORT_PRESSES.entries()) perStep[i]?.push(await time(press(u, data)));
      whole.push(performance.now() - t0);
      api.clear();
    }
    const m = median(menu);
    console.log(`plain /menu update: median ${m.toFixed(2)} ms`);
    perStep.forEach((xs, i) => {
      const s = median(xs);
      console.log(`passport answer ${i + 1}: median ${s.toFixed(2)} ms (×${(s / m).toFixed(2)} of /menu)`);
    });
    const w = median(whole);
    console.log(`whole passport flow (7 updates incl. the checklist write): median ${w.toFixed(1)} ms, ${(1000 / w).toFixed(0)} flows/s on one chat at a time`);

    // Replay growth: someone goes back and forth (the longest a flow can get: MAX_UPDATES).
    const user = 5000;
    await bot.handleUpdate(text(user, "/passport"));
    const marks = new Set([2, 10, 30, MAX_UPDATES - 2]);
    const sizes: string[] = [];
    const costs: number[] = [];
    for (let i = 1; i <= MAX_UPDATES - 2; i++) {
      const ms = await time(press(user, i % 2 === 1 ? "fl:pp.passport:0" : "fl:pp.ktp:b"));
      if (marks.has(i)) {
        const raw = JSON.stringify((await deps.repos.kv.get(`conv:${user}`)) ?? {});
        sizes.push(`${i}: ${(raw.length / 1024).toFixed(1)} KiB`);
        costs.push(ms);
      }
    }
    console.log(
      `back and forth, update time after ${[...marks].join("/")} updates: ${costs.map((c) => c.toFixed(2)).join(" / ")} ms ` +
        `(×${((costs.at(-1) ?? 0) / (costs[0] ?? 1)).toFixed(1)}; a flow is stopped after ${MAX_UPDATES} updates or ${MAX_TRIES} bad answers in a row)`,
    );
    console.log(`stored conversation state: ${sizes.join(", ")}`);
    const expiresAfter = config.FLOW_IDLE_HOURS;
    console.log(`(a flow left alone is closed after ${expiresAfter} h at the next update; /cancel closes it at once)`);
  } finally {
    await deps.database.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) await bench();
