/**
 * The whole bot vs a bare grammY bot, on the same synthetic updates, in one run.
 * Whole bot: built as main.ts builds it — the send budget with the production
 * transformers (Telegram health, budget, bounded auto-retry, priority hints) and
 * the durable intake (each batch stored in the inbox in one transaction, then
 * handled from it and removed) — over SQLite in a temp dir, with the Bot API
 * replaced by FakeTelegram (no network): our middleware, matcher, triage, i18n,
 * storage, intake and budget. The budget's limits are raised out of the way (the
 * fake answers at once; with Telegram's real 1/s per chat, 64 chats would be 64
 * updates a second), so its code runs but never waits.
 * Bare bot: new Bot with the same fake fetch and one handler that replies "ok".
 *
 * Two figures: one update at a time (500 users), and 64 chats at once (batches
 * of 64 updates, one per chat, as the polling runner hands them over).
 *
 *   node --import tsx bench/bot.ts          (BENCH_N=20000 by default)
 *   BENCH_BASELINE=4a1cf66 …                also runs this benchmark on that commit's src/ (unpacked in
 *                                           /tmp), alternating with this tree, and prints the ratio
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { Bot } from "grammy";
import type { Update } from "grammy/types";
import { FAKE_BOT_INFO, FakeTelegram } from "../src/bot/fake-api.ts";
import { createBot } from "../src/bot/index.ts";
import { MENU_TOPICS } from "../src/bot/keyboards/menu.ts";
import { createConfig } from "../src/config.ts";
import { createContainer } from "../src/container.ts";
import { createLogger } from "../src/logger.ts";
import { PRIORITY, priorityHint, SendBudget } from "../src/bot/budget.ts";
import { createIntake } from "../src/bot/intake.ts";
import { createTelegramHealth } from "../src/bot/telegram-health.ts";
import { sendingTransformers } from "../src/bot/transformers.ts";
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

const CHATS = 64;

/** Updates for `chats` chats, in batches of one update per chat (what a getUpdates batch holds in a burst). */
function chatBatches(n: number, firstId: number, chats = CHATS): Update[][] {
  const all = syntheticUpdates(n, firstId).map((u, i) => {
    // re-home update i to chat (i % chats): same mix of kinds, 64 chats
    const id = 20_000 + (i % chats);
    const s = JSON.stringify(u).replaceAll(/"id":1\d{4}(?=[,}])/g, `"id":${id}`);
    return JSON.parse(s) as Update;
  });
  const out: Update[][] = [];
  for (let i = 0; i < all.length; i += chats) out.push(all.slice(i, i + chats));
  return out;
}

/** Batches through `handleBatch`, one batch at a time: updates per second. */
async function measureBatches(handleBatch: (b: Update[]) => Promise<void>, batches: Update[][], api: FakeTelegram): Promise<number> {
  const start = performance.now();
  let n = 0;
  for (const b of batches) {
    await handleBatch(b);
    n += b.length;
    if (api.calls.length > 10_000) api.clear();
  }
  return Math.round(n / ((performance.now() - start) / 1000));
}

/** The bot as main.ts builds it: budget, production transformers, durable intake. */
async function productionBot(dir: string) {
  const config = createConfig({ BOT_TOKEN: TOKEN, DATA_DIR: dir, DATABASE_URL: "" });
  const logger = createLogger("silent");
  // main.ts's budget, its limits raised out of the way (see the header)
  const wide = { limit: 1_000_000_000, windowMs: 1_000 };
  const budget = new SendBudget({ rules: { group: wide, private: wide, global: wide } });
  const deps = await createContainer(config, logger, { budget });
  const api = new FakeTelegram(FAKE_BOT_INFO);
  const sending = sendingTransformers({ budget, health: createTelegramHealth(logger) });
  const { bot } = createBot(deps, {
    token: TOKEN,
    botInfo: FAKE_BOT_INFO,
    fetch: api.fetch,
    transformers: sending.transformers,
    replyTransformers: sending.replyTransformers,
    priorityHint: (ctx) => priorityHint(budget, () => (ctx.triage?.urgent ? PRIORITY.danger : undefined)),
  });
  const intake = createIntake({ bot, inbox: deps.repos.inbox, logger, translator: deps.translator, now: deps.now });
  // as the polling source and the runner's sink: store the batch, then handle each stored update
  const handleBatch = async (batch: Update[]) => {
    const fresh = await intake.store(batch);
    await Promise.all(fresh.map((u) => intake.dispatch(u)));
  };
  // the same bot without the intake (bot.handleUpdate straight away): what storing in the inbox costs
  const handleDirect = async (batch: Update[]) => {
    await Promise.all(batch.map((u) => bot.handleUpdate(u)));
  };
  return { bot, deps, api, handleBatch, handleDirect };
}

export interface BotBenchResult {
  whole: RunFigures;
  bare: RunFigures;
  /** updates a second, 64 chats at once */
  whole64: number;
  /** the same, without the intake */
  direct64?: number;
  bare64: number;
  matcherMedianMs: number;
}

export async function benchBot(n = Number(process.env.BENCH_N ?? 20_000)): Promise<BotBenchResult> {
  const warm = Math.min(1_000, Math.max(100, Math.floor(n / 10)));
  const dir = mkdtempSync(join(tmpdir(), "jp-bench-"));
  try {
    // the whole bot, built as in production
    const { deps, api, handleBatch, handleDirect } = await productionBot(dir);
    const warmUpdates = syntheticUpdates(warm, 1);
    for (const u of warmUpdates) await handleBatch([u]);
    api.clear();
    const whole = await measure((u) => handleBatch([u]), syntheticUpdates(n, warm + 1), api);
    const sent = api.calls.length;
    const whole64 = await measureBatches(handleBatch, chatBatches(n, warm + n + 1), api);
    if ((await deps.repos.inbox.count()) !== 0) throw new Error("updates left in the inbox: the benchmark did not handle them all");
    const direct64 = await measureBatches(handleDirect, chatBatches(n, warm + 2 * n + 1), api);
    await deps.database.close();
    if (sent === 0) throw new Error("the whole bot sent nothing: the benchmark measured nothing");

    // a bare grammY bot on the same updates and the same fake API
    const bareApi = new FakeTelegram(FAKE_BOT_INFO);
    const bareBot = new Bot(TOKEN, { botInfo: FAKE_BOT_INFO, client: { fetch: bareApi.fetch } });
    bareBot.on("message", (ctx) => ctx.reply("ok"));
    for (const u of warmUpdates) await bareBot.handleUpdate(u);
    bareApi.clear();
    const bare = await measure((u) => bareBot.handleUpdate(u), syntheticUpdates(n, warm + 1), bareApi);
    const bare64 = await measureBatches((b) => Promise.all(b.map((u) => bareBot.handleUpdate(u))).then(() => undefined), chatBatches(n, warm + n + 1), bareApi);

    const matcher = await benchMatcher(Math.min(20_000, Math.max(2_000, n)));
    return { whole, bare, whole64, direct64, bare64, matcherMedianMs: matcher.medianMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * This benchmark on another commit's src/: that commit's files unpacked in /tmp
 * (git archive: the repository itself is left as it is; node_modules linked),
 * this file copied in, run in a child process.
 */
function baselineCheckout(commit: string): string {
  const root = join(import.meta.dirname, "..");
  const dir = join(tmpdir(), `jp-baseline-${commit.replace(/[^\w.-]/g, "_")}`);
  if (!existsSync(join(dir, "package.json"))) {
    mkdirSync(dir, { recursive: true });
    const tar = execFileSync("git", ["-C", root, "archive", "--format=tar", commit], { maxBuffer: 512 * 1024 * 1024 });
    execFileSync("tar", ["-x", "-C", dir], { input: tar });
    symlinkSync(join(root, "node_modules"), join(dir, "node_modules"));
  }
  return dir;
}

function runChild(dir: string, n: number): BotBenchResult {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(dir, "bench", "bot.ts"), "--json"], {
    cwd: dir,
    env: { ...process.env, BENCH_N: String(n), BENCH_BASELINE: "" },
    encoding: "utf8",
  });
  const line = r.stdout.trim().split("\n").at(-1) ?? "";
  if (r.status !== 0 || !line.startsWith("{")) throw new Error(`benchmark in ${dir} failed:\n${r.stderr}\n${r.stdout}`);
  return JSON.parse(line) as BotBenchResult;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] as number;

export async function bench(): Promise<void> {
  const n = Number(process.env.BENCH_N ?? 20_000);
  const baseline = process.env.BENCH_BASELINE;
  if (baseline) {
    // this tree and the baseline, each in a child process, alternating (a noisy machine drifts)
    const here = join(import.meta.dirname, "..");
    const there = baselineCheckout(baseline);
    writeFileSync(join(there, "bench", "bot.ts"), (await import("node:fs")).readFileSync(join(here, "bench", "bot.ts")));
    const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
    const now: BotBenchResult[] = [];
    const then: BotBenchResult[] = [];
    for (let i = 0; i < rounds; i++) {
      // which goes first changes every round (the first of a pair runs on a cooler machine)
      if (i % 2 === 0) {
        now.push(runChild(here, n));
        then.push(runChild(there, n));
      } else {
        then.push(runChild(there, n));
        now.push(runChild(here, n));
      }
    }
    const f = (rs: BotBenchResult[], k: "whole64" | "bare64") => rs.map((r) => r[k]);
    const g = (rs: BotBenchResult[], k: "whole" | "bare") => rs.map((r) => r[k].perSecond);
    console.log(`bot vs ${baseline}: ${n} updates, ${rounds} alternating rounds each (median, [range]), SQLite, production build`);
    const row = (name: string, a: number[], b: number[]) =>
      console.log(`  ${name.padEnd(26)} now ${median(a)} [${Math.min(...a)}–${Math.max(...a)}]   ${baseline} ${median(b)} [${Math.min(...b)}–${Math.max(...b)}]   ratio ${(median(a) / median(b)).toFixed(3)}`);
    row("whole bot, 64 chats upd/s", f(now, "whole64"), f(then, "whole64"));
    row("  same, without intake", now.map((r) => r.direct64 ?? 0), then.map((r) => r.direct64 ?? 0));
    row("bare grammY, 64 chats", f(now, "bare64"), f(then, "bare64"));
    row("whole bot, one at a time", g(now, "whole"), g(then, "whole"));
    row("bare grammY, one at a time", g(now, "bare"), g(then, "bare"));
    const rel = (rs: BotBenchResult[]) => median(rs.map((r) => r.whole64 / r.bare64));
    console.log(`  whole/bare (64 chats): now ${rel(now).toFixed(3)}, ${baseline} ${rel(then).toFixed(3)}`);
    return;
  }
  const result = await benchBot(n);
  if (process.argv.includes("--json")) {
    console.log(JSON.stringify(result));
    return;
  }
  const { whole, bare, matcherMedianMs } = result;
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
  console.log(
    `64 chats at once (batches stored, then handled): whole bot ${result.whole64} upd/s (without the intake ${result.direct64 ?? "n/a"}), bare grammY ${result.bare64} upd/s (whole/bare ${(result.whole64 / result.bare64).toFixed(3)})`,
  );
  console.log(`rss ${Math.round(process.memoryUsage().rss / 1024 / 1024)} MB after both runs`);
  const ok = matcherMedianMs < 1;
  console.log(`matcher median ${matcherMedianMs} ms (must be < 1 ms): ${ok ? "OK" : "TOO SLOW"}`);
  if (!ok) process.exitCode = 1;
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) await bench();
