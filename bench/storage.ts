/**
 * Storage benchmark: updates through the WHOLE bot (createBot, real database,
 * FakeTelegram as the Bot API) on SQLite and on PostgreSQL; memory after the
 * sessions of 100,000 distinct users were written (in a child process, so the
 * figure is clean); start-up time of the real process, from spawn to ready.
 *
 *   node --import tsx bench/storage.ts            (PostgreSQL: DATABASE_URL, else PGlite in-process)
 *   BENCH_USERS=20000 node --import tsx bench/storage.ts   (fewer sessions for a quick look)
 *
 * Targets (2-core machine): ≥ 5,000 updates/s with SQLite, p99 ≤ 5 ms per update,
 * RSS ≤ 120 MB after 100,000 sessions (once idle), start-up ≤ 1.5 s.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Update } from "grammy/types";
import pg from "pg";
import pino from "pino";
import { FAKE_BOT_INFO, FakeTelegram } from "../src/bot/fake-api.ts";
import { createBot } from "../src/bot/index.ts";
import { createConfig } from "../src/config.ts";
import { createContainer } from "../src/container.ts";
import { PROJECT_ROOT } from "../src/paths.ts";
import { type Database, openDatabase } from "../src/storage/db.ts";

const TOKEN = "123456:BENCH_TOKEN_abcdefghijklmnopqrstuvwxyz";
const TARGET = { updatesPerSec: 5000, p99Ms: 5, rssMb: 120, startupMs: 1500 };

type Kind = "sqlite" | "postgres";

interface Opened {
  database: Database;
  label: string;
  /** for child processes */
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

/** A fresh database of the kind: SQLite file; PostgreSQL schema on DATABASE_URL; else PGlite. */
async function openBenchDatabase(kind: Kind): Promise<Opened> {
  if (kind === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "jp-bench-"));
    const database = await openDatabase({ kind: "sqlite", file: join(dir, "jalan-pulang.db") });
    return {
      database,
      label: "SQLite (file, WAL)",
      env: { DATA_DIR: dir },
      async cleanup() {
        await database.close().catch(() => undefined);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const url = process.env.DATABASE_URL;
  if (!url) {
    const { openPgliteDatabase } = await import("../test/helpers/databases.ts");
    const database = await openPgliteDatabase();
    return { database, label: "PGlite (in-process; set DATABASE_URL for a real server)", env: {}, cleanup: () => database.close() };
  }
  const schema = `bench_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Pool({ connectionString: url, max: 1 });
  await admin.query(`create schema ${schema}`);
  const database = await openDatabase({ kind: "postgres", url, searchPath: schema });
  const sep = url.includes("?") ? "&" : "?";
  return {
    database,
    label: "PostgreSQL (real server, DATABASE_URL)",
    env: { DATABASE_URL: `${url}${sep}options=${encodeURIComponent(`-c search_path=${schema}`)}` },
    async cleanup() {
      await database.close().catch(() => undefined);
      await admin.query(`drop schema if exists ${schema} cascade`).catch(() => undefined);
      await admin.end();
    },
  };
}

// ---------------------------------------------------------------- updates

const TEXTS = [
  "paspor saya hilang",
  "halo",
  "nomor kbri berapa",
  "bagaimana cara pulang ke indonesia",
  "how much is the overstay fine",
  "terima kasih",
  "apa itu lapor diri",
  "saya butuh tiket pesawat",
];
const PRESSES = ["m", "t:passport", "t:return_home", "st", "fn"];

let nextUpdateId = 1;
function makeUpdate(userId: number, i: number): Update {
  const from = { id: userId, is_bot: false, first_name: "U", language_code: "id" };
  const msg = { message_id: i + 1, date: 1_767_000_000, chat: { id: userId, type: "private" as const, first_name: "U" } };
  const update_id = nextUpdateId++;
  // One in four updates is a button press; the rest are free texts.
  if (i % 4 === 3) {
    return {
      update_id,
      callback_query: { id: `q${update_id}`, from, chat_instance: "b", data: PRESSES[i % PRESSES.length]!, message: { ...msg, text: "…" } },
    } as Update;
  }
  return { update_id, message: { ...msg, from, text: TEXTS[i % TEXTS.length]! } } as Update;
}

async function makeBot(database: Database) {
  const config = createConfig({ BOT_TOKEN: TOKEN });
  const deps = await createContainer(config, pino({ level: "silent" }), { database });
  const api = new FakeTelegram(FAKE_BOT_INFO);
  // Keep the fake's call log from growing without end: record nothing.
  api.onCall = () => {
    api.calls.length = 0;
  };
  const { bot } = createBot(deps, { token: TOKEN, botInfo: FAKE_BOT_INFO, fetch: api.fetch });
  await bot.init();
  return { bot, deps, api };
}

const pct = (sorted: Float64Array, q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
const r2 = (x: number) => Math.round(x * 100) / 100;

export interface ThroughputResult {
  label: string;
  sequentialPerSec: number;
  /** updates per second of this process's CPU time (user + system): what one free core gives */
  perCpuSecond: number;
  concurrentPerSec: number;
  concurrentPerCpuSecond: number;
  p50Ms: number;
  p99Ms: number;
  queriesPerUpdate: number;
}

/** Updates through the whole bot: one at a time (latency), then 64 chats at once (throughput). */
export async function benchThroughput(kind: Kind, n = 10_000, users = 2_000): Promise<ThroughputResult> {
  const opened = await openBenchDatabase(kind);
  try {
    const { bot } = await makeBot(opened.database);
    const updates = (count: number, offset: number) =>
      Array.from({ length: count }, (_, i) => makeUpdate(1_000_000 + ((i + offset) % users), Math.floor((i + offset) / users) * 4 + i));
    // warm-up: JIT, prepared plans, every user's first session
    for (const u of updates(Math.min(users, 2_000), 0)) await bot.handleUpdate(u);

    // Count queries per update (SQLite: statements; PostgreSQL: pool queries) on a small sample.
    const queriesPerUpdate = await countQueries(opened.database, async () => {
      for (const u of updates(200, 7)) await bot.handleUpdate(u);
    }, 200);

    // Latency: one update at a time.
    const seq = updates(n, 11);
    const times = new Float64Array(seq.length);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < seq.length; i++) {
      const s = performance.now();
      await bot.handleUpdate(seq[i]!);
      times[i] = performance.now() - s;
    }
    const seqMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const seqCpuMs = (cpu.user + cpu.system) / 1000;
    times.sort();

    // Throughput: 64 updates in flight (different chats), like the runner or a busy webhook.
    const conc = updates(n, 13);
    let next = 0;
    const cpu1 = process.cpuUsage();
    const t1 = performance.now();
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        while (next < conc.length) await bot.handleUpdate(conc[next++]!);
      }),
    );
    const concMs = performance.now() - t1;
    const cpuC = process.cpuUsage(cpu1);
    const concCpuMs = (cpuC.user + cpuC.system) / 1000;
    return {
      label: opened.label,
      sequentialPerSec: Math.round(seq.length / (seqMs / 1000)),
      perCpuSecond: Math.round(seq.length / (seqCpuMs / 1000)),
      concurrentPerSec: Math.round(conc.length / (concMs / 1000)),
      concurrentPerCpuSecond: Math.round(conc.length / (concCpuMs / 1000)),
      p50Ms: r2(pct(times, 0.5)),
      p99Ms: r2(pct(times, 0.99)),
      queriesPerUpdate,
    };
  } finally {
    await opened.cleanup();
  }
}

/** Queries issued while fn runs, per update. */
async function countQueries(database: Database, fn: () => Promise<void>, updates: number): Promise<number> {
  const { queriesDuring } = await import("../test/helpers/databases.ts");
  return r2((await queriesDuring(database, fn)).length / updates);
}

// ---------------------------------------------------------------- memory (child process)

/**
 * The child: the COMPILED bot (as in production), in-process with FakeTelegram,
 * writes the sessions of `users` distinct users through the bot (one free text
 * each: a session, a users row, a processed update), then reports its memory.
 */
const RSS_CHILD = `
const [distDir, users, file, url, searchPath] = process.argv.slice(1);
const imp = (p) => import(distDir + p);
const { openDatabase } = await imp("/src/storage/db.js");
const { createConfig } = await imp("/src/config.js");
const { createContainer } = await imp("/src/container.js");
const { createBot } = await imp("/src/bot/index.js");
const { FakeTelegram, FAKE_BOT_INFO } = await imp("/src/bot/fake-api.js");
const { createLogger } = await imp("/src/logger.js");
const database = await openDatabase(url ? { kind: "postgres", url, searchPath } : { kind: "sqlite", file });
const config = createConfig({ BOT_TOKEN: "${TOKEN}" });
const deps = await createContainer(config, createLogger("warn"), { database, defaultMetrics: true });
const api = new FakeTelegram(FAKE_BOT_INFO);
api.onCall = () => { api.calls.length = 0; };
const { bot } = createBot(deps, { token: "${TOKEN}", botInfo: FAKE_BOT_INFO, fetch: api.fetch });
await bot.init();
globalThis.gc();
const baseline = process.memoryUsage().rss;
const n = Number(users);
let next = 0;
const t0 = performance.now();
await Promise.all(Array.from({ length: 32 }, async () => {
  while (next < n) {
    const i = next++;
    const id = 2000000 + i;
    await bot.handleUpdate({ update_id: 1 + i, message: { message_id: 1, date: 1767000000,
      chat: { id, type: "private", first_name: "U" }, from: { id, is_bot: false, first_name: "U", language_code: "id" },
      text: "paspor saya hilang" } });
  }
}));
const ms = performance.now() - t0;
const peak = process.memoryUsage().rss;
const sessions = await database.db.selectFrom("kv").select((eb) => eb.fn.countAll().as("n")).where("key", "like", "session:%").executeTakeFirst();
// Let the GC's helper threads hand freed pages back before measuring.
for (let i = 0; i < 3; i++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 300)); }
const mem = process.memoryUsage();
// Then leave the process idle, as a help line is between messages: V8's memory reducer shrinks
// the young generation (grown to its maximum by the burst of writes) after some seconds.
const { getHeapSpaceStatistics } = await import("node:v8");
const newSpace = () => getHeapSpaceStatistics().find((s) => s.space_name === "new_space")?.space_size ?? 0;
const idle0 = performance.now();
while (newSpace() > 4 * 1024 * 1024 && performance.now() - idle0 < 45000) await new Promise((r) => setTimeout(r, 1000));
const idleMs = performance.now() - idle0;
const idle = process.memoryUsage();
console.log(JSON.stringify({ rss: mem.rss, rssIdle: idle.rss, idleMs, peak, heapUsed: mem.heapUsed, baseline, sessions: Number(sessions?.n ?? 0), ms }));
await database.close();
`;

export interface RssResult {
  /** right after the writes and a forced GC */
  rssMb: number;
  /** after the process was left idle until V8 shrank its young generation (at most 45 s) */
  rssIdleMb: number;
  idleSeconds: number;
  peakMb: number;
  baselineMb: number;
  heapMb: number;
  sessions: number;
  writesPerSec: number;
}

export async function runRssChild(kind: Kind, users: number, distDir: string, nodeFlags: string[] = []): Promise<RssResult> {
  const opened = await openBenchDatabase(kind);
  const url = process.env.DATABASE_URL;
  if (kind === "postgres" && !url) {
    await opened.cleanup();
    throw new Error("needs DATABASE_URL (a real server; PGlite lives in one process)");
  }
  await opened.database.close().catch(() => undefined);
  const searchPath = /search_path%3D([^&]+)/.exec(opened.env.DATABASE_URL ?? "")?.[1] ?? "";
  const args =
    kind === "sqlite"
      ? [distDir, String(users), join(opened.env.DATA_DIR!, "jalan-pulang.db")]
      : [distDir, String(users), "", url!, decodeURIComponent(searchPath)];
  try {
    return await new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [...nodeFlags, "--expose-gc", "--input-type=module", "-e", RSS_CHILD, ...args], {
        cwd: PROJECT_ROOT,
        stdio: ["ignore", "pipe", "inherit"],
      });
      let out = "";
      child.stdout.on("data", (c: Buffer) => {
        out += c.toString();
      });
      child.once("error", reject);
      child.once("exit", (code) => {
        if (code !== 0) return reject(new Error(`rss child exited ${code}: ${out}`));
        const line = out.trim().split("\n").at(-1) ?? "";
        const j = JSON.parse(line) as {
          rss: number;
          rssIdle: number;
          idleMs: number;
          peak: number;
          heapUsed: number;
          baseline: number;
          sessions: number;
          ms: number;
        };
        const mb = (b: number) => r2(b / 1024 / 1024);
        resolve({
          rssMb: mb(j.rss),
          rssIdleMb: mb(j.rssIdle),
          idleSeconds: Math.round(j.idleMs / 100) / 10,
          peakMb: mb(j.peak),
          baselineMb: mb(j.baseline),
          heapMb: mb(j.heapUsed),
          sessions: j.sessions,
          writesPerSec: Math.round(users / (j.ms / 1000)),
        });
      });
    });
  } finally {
    await opened.cleanup();
  }
}

// ---------------------------------------------------------------- start-up

/** Compile src/ to .tmp/bench-dist (inside the project, so locales/ and node_modules are found). */
export function buildDist(): string | undefined {
  const out = join(PROJECT_ROOT, ".tmp", "bench-dist");
  try {
    execFileSync(process.execPath, [join(PROJECT_ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json", "--outDir", out], {
      cwd: PROJECT_ROOT,
      stdio: "ignore",
    });
  } catch {
    // type errors elsewhere still emit JavaScript; only a missing file means failure
  }
  return existsSync(join(out, "src", "main.js")) ? out : undefined;
}

async function startupOnce(args: string[], env: Record<string, string>): Promise<{ readyLogMs: number; healthzMs: number }> {
  const { FakeBotApi } = await import("../test/helpers/fake-bot-api.ts");
  const { freePort } = await import("../test/helpers/spawn-bot.ts");
  const api = new FakeBotApi({ token: TOKEN });
  await api.start();
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: PROJECT_ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "/tmp",
      BOT_TOKEN: TOKEN,
      BOT_API_ROOT: api.url,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "info",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let readyLogMs = 0;
  let healthzMs = 0;
  let out = "";
  child.stdout.on("data", (c: Buffer) => {
    out += c.toString();
    if (!readyLogMs && /"msg":"ready"/.test(out)) readyLogMs = performance.now() - t0;
  });
  child.stderr.on("data", (c: Buffer) => {
    out += c.toString();
  });
  const exited = new Promise((r) => child.once("exit", r));
  try {
    const deadline = Date.now() + 30_000;
    while ((!healthzMs || !readyLogMs) && Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`bot exited: ${out}`);
      if (!healthzMs) {
        try {
          const r = await fetch(`http://127.0.0.1:${port}/healthz`);
          if (r.status === 200) healthzMs = performance.now() - t0;
        } catch {
          // not yet
        }
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    if (!healthzMs || !readyLogMs) throw new Error(`not ready in 30 s: ${out}`);
    return { readyLogMs: Math.round(readyLogMs), healthzMs: Math.round(healthzMs) };
  } finally {
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null) child.kill("SIGKILL");
    await api.close();
  }
}

export async function benchStartup(kind: Kind, args: string[], runs = 5): Promise<{ readyLogMs: number; healthzMs: number }> {
  if (kind === "postgres" && !process.env.DATABASE_URL) throw new Error("needs DATABASE_URL");
  const results: { readyLogMs: number; healthzMs: number }[] = [];
  for (let i = 0; i < runs; i++) {
    const opened = await openBenchDatabase(kind); // migrated already, as after the first deploy
    const env = { ...opened.env };
    await opened.database.close();
    try {
      results.push(await startupOnce(args, env));
    } finally {
      await opened.cleanup();
    }
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return { readyLogMs: median(results.map((r) => r.readyLogMs)), healthzMs: median(results.map((r) => r.healthzMs)) };
}

// ---------------------------------------------------------------- report

const mark = (ok: boolean) => (ok ? "ok  " : "MISS");

export async function bench(): Promise<void> {
  const users = Number(process.env.BENCH_USERS ?? 100_000);
  const kinds: Kind[] = ["sqlite", "postgres"];
  console.log("storage: updates through the whole bot (free texts and button presses, 2,000 users)");
  for (const kind of kinds) {
    const r = await benchThroughput(kind);
    console.log(`  ${r.label}`);
    console.log(
      `    one at a time: ${r.sequentialPerSec} updates/s (${r.perCpuSecond} per CPU-second), p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms   ` +
        `[${mark(r.p99Ms <= TARGET.p99Ms)} p99 target ≤ ${TARGET.p99Ms} ms]`,
    );
    const target =
      kind === "sqlite"
        ? `[${mark(r.concurrentPerSec >= TARGET.updatesPerSec)} target ≥ ${TARGET.updatesPerSec}/s]`
        : `[no target; SQLite's is ≥ ${TARGET.updatesPerSec}/s]`;
    console.log(
      `    64 chats at once: ${r.concurrentPerSec} updates/s (${r.concurrentPerCpuSecond} per CPU-second)   ${target}` +
        `   ${r.queriesPerUpdate} queries/update`,
    );
  }
  const dist = buildDist();
  console.log(
    `storage: memory of the compiled bot after the sessions of ${users.toLocaleString("en")} distinct users were written through it (child process)`,
  );
  // Right after the burst most of the growth is Node's young generation (grown to 2 × 16 MB
  // semi-spaces); the sessions themselves live in the database. Left idle, V8 shrinks it again:
  // the idle figure is the one held against the target.
  const rssRuns: [Kind, string[]][] = [
    ["sqlite", []],
    ["postgres", []],
  ];
  for (const [kind, flags] of rssRuns) {
    const name = `${kind}${flags.length ? ` with ${flags.join(" ")}` : ""}`;
    try {
      if (!dist) throw new Error("could not compile src/ (tsc)");
      const r = await runRssChild(kind, users, dist, flags);
      console.log(
        `  ${name}: RSS ${r.rssIdleMb} MB once idle for ${r.idleSeconds} s   [${mark(r.rssIdleMb <= TARGET.rssMb)} target ≤ ${TARGET.rssMb} MB]\n` +
          `    right after the writes and a forced GC ${r.rssMb} MB; before the first update ${r.baselineMb} MB; ` +
          `peak ${r.peakMb} MB; JS heap in use ${r.heapMb} MB; ${r.sessions} sessions stored at ${r.writesPerSec}/s`,
      );
    } catch (err) {
      console.log(`  ${name}: skipped: ${(err as Error).message.slice(0, 300)}`);
    }
  }
  console.log("storage: start-up, process spawn → ready (polling mode, PORT set, database migrated; median of 5)");
  const variants: [string, string[]][] = [
    ...(dist ? ([["node (compiled, npm run start:prod)", [join(dist, "src", "main.js")]]] as [string, string[]][]) : []),
    ["node --import tsx (npm start)", ["--import", "tsx", "src/main.ts"]],
  ];
  for (const kind of kinds) {
    for (const [name, args] of variants) {
      try {
        const r = await benchStartup(kind, args);
        console.log(
          `  ${kind}, ${name}: "ready" logged after ${r.readyLogMs} ms, /healthz after ${r.healthzMs} ms   ` +
            `[${mark(r.readyLogMs <= TARGET.startupMs)} target ≤ ${TARGET.startupMs} ms]`,
        );
      } catch (err) {
        console.log(`  ${kind}, ${name}: skipped: ${(err as Error).message.slice(0, 200)}`);
      }
    }
  }
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  await bench();
}
