/**
 * The whole bot vs a bare grammY bot, on the same synthetic updates, in one run.
 * Whole bot: createBot over SQLite in a temp dir, Bot API replaced by FakeTelegram
 * (no network), so this measures our middleware, matcher, triage, i18n and storage.
 * Bare bot: new Bot with the same fake fetch and one handler that replies "ok".
 *
 *   node --import tsx bench/bot.ts          (BENCH_N=20000 by default)
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Bot } from "grammy";
import type { Update } from "grammy/types";
import { FAKE_BOT_INFO, FakeTelegram } from "../src/bot/fake-api.ts";
import { createBot } from "../src/bot/index.ts";
import { MENU_TOPICS } from "../src/bot/keyboards/menu.ts";
import { createConfig } from "../src/config.ts";
import { createContainer } from "../src/container.ts";
import { createLogger } from "../src/logger.ts";
import { benchMatcher } from "./matcher.ts";

const TOKEN = "123456:BENCH_token_abcdefghijklmnopqrstuv";
const USERS = 500;

const TEXTS_ID = [
  "nomor kbri brp",
  "gmn cara plg",
  "paspor saya ditahan perusahaan",
  "berapa denda overstay",
  "cara lapor diri gimana",
  "halo",
  "terima kasih",
  "anak saya di kamboja tidak bisa dihubungi",
];
const TEXTS_EN = [
  "what is the embassy phone number",
  "how do I go home",
  "my passport was taken by the company",
  "how much is the overstay fine",
  "thank you",
  "is this agent real? he asks for money",
];

/** A deterministic mix: 70% free text (both languages), 10% /start, 20% menu buttons. */
export function syntheticUpdates(n: number, firstId = 1): Update[] {
  const out: Update[] = [];
  for (let i = 0; i < n; i++) {
    const userId = 10_000 + (i % USERS);
    const en = userId % 3 === 0;
    const from = { id: userId, is_bot: false, first_name: "Bench", language_code: en ? "en" : "id" };
    const chat = { id: userId, type: "private" as const, first_name: "Bench" };
    const kind = i % 10;
    const update_id = firstId + i;
    if (kind === 0) {
      out.push({
        update_id,
        message: { message_id: i + 1, date: 1, chat, from, text: "/start", entities: [{ type: "bot_command", offset: 0, length: 6 }] },
      } as Update);
    } else if (kind <= 2) {
      const data = `t:${MENU_TOPICS[i % MENU_TOPICS.length]}`;
      out.push({
        update_id,
        callback_query: { id: String(i), from, chat_instance: "b", data, message: { message_id: i, date: 1, chat, text: "…" } },
      } as Update);
    } else {
      const pool = en ? TEXTS_EN : TEXTS_ID;
      out.push({ update_id, message: { message_id: i + 1, date: 1, chat, from, text: pool[i % pool.length] as string } } as Update);
    }
  }
  return out;
}

export interface RunFigures {
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

async function measure(handle: (u: Update) => Promise<void>, updates: Update[], api: FakeTelegram): Promise<RunFigures> {
  const times = new Float64Array(updates.length);
  const start = performance.now();
  for (let i = 0; i < updates.length; i++) {
    const t0 = performance.now();
    await handle(updates[i] as Update);
    times[i] = performance.now() - t0;
    if (api.calls.length > 10_000) api.clear();
  }
  const elapsed = performance.now() - start;
  times.sort();
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] as number;
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return {
    perSecond: Math.round(updates.length / (elapsed / 1000)),
    p50Ms: r(at(0.5)),
    p99Ms: r(at(0.99)),
  };
}

export async function benchBot(n = Number(process.env.BENCH_N ?? 20_000)): Promise<{ whole: RunFigures; bare: RunFigures; matcherMedianMs: number }> {
  const warm = Math.min(1_000, Math.max(100, Math.floor(n / 10)));
  const dir = mkdtempSync(join(tmpdir(), "jp-bench-"));
  try {
    // the whole bot
    const config = createConfig({ BOT_TOKEN: TOKEN, DATA_DIR: dir, DATABASE_URL: "" });
    const deps = await createContainer(config, createLogger("silent"));
    const api = new FakeTelegram(FAKE_BOT_INFO);
    const { bot } = createBot(deps, { token: TOKEN, botInfo: FAKE_BOT_INFO, fetch: api.fetch });
    const warmUpdates = syntheticUpdates(warm, 1);
    for (const u of warmUpdates) await bot.handleUpdate(u);
    api.clear();
    const whole = await measure((u) => bot.handleUpdate(u), syntheticUpdates(n, warm + 1), api);
    const sent = api.calls.length;
    await deps.database.close();
    if (sent === 0) throw new Error("the whole bot sent nothing: the benchmark measured nothing");

    // a bare grammY bot on the same updates and the same fake API
    const bareApi = new FakeTelegram(FAKE_BOT_INFO);
    const bareBot = new Bot(TOKEN, { botInfo: FAKE_BOT_INFO, client: { fetch: bareApi.fetch } });
    bareBot.on("message", (ctx) => ctx.reply("ok"));
    for (const u of warmUpdates) await bareBot.handleUpdate(u);
    bareApi.clear();
    const bare = await measure((u) => bareBot.handleUpdate(u), syntheticUpdates(n, warm + 1), bareApi);

    const matcher = await benchMatcher(Math.min(20_000, Math.max(2_000, n)));
    return { whole, bare, matcherMedianMs: matcher.medianMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function bench(): Promise<void> {
  const n = Number(process.env.BENCH_N ?? 20_000);
  const { whole, bare, matcherMedianMs } = await benchBot(n);
  const row = (name: string, f: RunFigures) =>
    `${name.padEnd(22)}${String(f.perSecond).padStart(10)}${f.p50Ms.toFixed(3).padStart(10)}${f.p99Ms.toFixed(3).padStart(10)}`;
  console.log(`bot: ${n} updates (70% free text id/en, 10% /start, 20% menu buttons; ${USERS} users; SQLite)`);
  console.log(`${"".padEnd(22)}${"upd/s".padStart(10)}${"p50 ms".padStart(10)}${"p99 ms".padStart(10)}`);
  console.log(row("whole bot", whole));
  console.log(row("bare grammY", bare));
  const x = (a: number, b: number) => (b > 0 ? (a / b).toFixed(1) : "n/a");
  console.log(
    `${"whole costs (×bare)".padEnd(22)}${`${x(bare.perSecond, whole.perSecond)}x`.padStart(10)}${`${x(whole.p50Ms, bare.p50Ms)}x`.padStart(10)}${`${x(whole.p99Ms, bare.p99Ms)}x`.padStart(10)}`,
  );
  console.log(`rss ${Math.round(process.memoryUsage().rss / 1024 / 1024)} MB after both runs`);
  const ok = matcherMedianMs < 1;
  console.log(`matcher median ${matcherMedianMs} ms (must be < 1 ms): ${ok ? "OK" : "TOO SLOW"}`);
  if (!ok) process.exitCode = 1;
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) await bench();
