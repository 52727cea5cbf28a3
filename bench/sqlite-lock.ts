/**
 * /healthz while another process holds the SQLite write lock (issue 10, target
 * < 100 ms). The real process (`npm start`, polling against a stand-in Bot API)
 * gets a steady stream of messages from many users while a second process holds
 * the write lock (BEGIN IMMEDIATE) for LOCK_S seconds, longer than a write waits
 * before it gives up (so the give-up and retry paths run too). /healthz is asked
 * again and again, one request after the other, the whole time; the same is done
 * once without the lock, for the machine's own noise. Then the lock is released
 * and every message must be answered (nothing lost). The bot's own event-loop delay
 * (from its /metrics) is printed beside each: on a loaded machine a slow /healthz
 * is often the process waiting for a CPU, not its loop being blocked.
 *
 *   node --import tsx bench/sqlite-lock.ts      (or as a section of `npm run bench`)
 *   BENCH_LOCK_S=10 BENCH_LOCK_RUNS=3 …          (longer / more runs)
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { PROJECT_ROOT } from "../src/paths.ts";
import { FakeBotApi } from "../test/helpers/fake-bot-api.ts";
import { type BotProcess, freePort, spawnBot, TEST_TOKEN, waitFor } from "../test/helpers/spawn-bot.ts";

const LOCK_S = Number(process.env.BENCH_LOCK_S ?? 8);
const RUNS = Number(process.env.BENCH_LOCK_RUNS ?? 2);
const USERS = 20;
/** one message from one of the users every this many ms */
const MESSAGE_EVERY_MS = 50;

const TEXTS = ["nomor kbri berapa", "paspor saya hilang", "saya disekap dan dipukul, tolong", "how do I go home", "halo"];

function holdLock(file: string): Promise<ChildProcess> {
  const script = `
    const db = new (require("better-sqlite3"))(${JSON.stringify(file)});
    db.exec("begin immediate");
    db.prepare("insert into kv (key, owner, value, updated_at) values ('lock-holder-' || ${Date.now()}, null, '{}', 0)").run();
    process.stdout.write("locked\\n");
    process.stdin.once("data", () => { db.exec("commit"); db.close(); process.exit(0); });`;
  const child = spawn(process.execPath, ["-e", script], { cwd: PROJECT_ROOT, stdio: ["pipe", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.stdout?.once("data", () => resolve(child));
    child.once("exit", (code) => reject(new Error(`lock holder exited ${code}`)));
  });
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN;

interface Probe {
  n: number;
  p50: number;
  p99: number;
  worst: number;
}

/**
 * /healthz, one request after the other, for `ms`, while `traffic` sends messages. The
 * requests are made from a worker thread, so this process's own work (the stand-in Bot
 * API) does not count as the bot's delay.
 */
async function probe(port: number, ms: number, traffic: () => void): Promise<Probe> {
  const code = `
    const { parentPort, workerData } = require("node:worker_threads");
    (async () => {
      const lat = [];
      const until = performance.now() + workerData.ms;
      while (performance.now() < until) {
        const t0 = performance.now();
        const r = await fetch("http://127.0.0.1:" + workerData.port + "/healthz");
        await r.text();
        if (r.status !== 200) throw new Error("/healthz " + r.status);
        lat.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 2));
      }
      parentPort.postMessage(lat);
    })().catch((err) => parentPort.postMessage(String(err)));`;
  const timer = setInterval(traffic, MESSAGE_EVERY_MS);
  try {
    const worker = new Worker(code, { eval: true, workerData: { port, ms } });
    const lat = await new Promise<number[]>((resolve, reject) => {
      worker.once("message", (m: number[] | string) => (typeof m === "string" ? reject(new Error(m)) : resolve(m)));
      worker.once("error", reject);
    });
    await worker.terminate();
    lat.sort((a, b) => a - b);
    return { n: lat.length, p50: pct(lat, 50), p99: pct(lat, 99), worst: lat[lat.length - 1] ?? NaN };
  } finally {
    clearInterval(timer);
  }
}

/**
 * The bot's own event-loop delay since the last scrape (prom-client resets it on each
 * /metrics): how long the bot's loop was kept from turning, CPU starvation on a
 * loaded machine included.
 */
async function loopLag(port: number): Promise<{ max: number; p99: number }> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const read = (name: string) => 1000 * Number(new RegExp(`^${name} ([0-9.e+-]+)`, "m").exec(text)?.[1] ?? NaN);
  return { max: read("nodejs_eventloop_lag_max_seconds"), p99: read("nodejs_eventloop_lag_p99_seconds") };
}

const fmt = (p: Probe) => `${p.n} requests, p50 ${p.p50.toFixed(1)} ms, p99 ${p.p99.toFixed(1)} ms, worst ${p.worst.toFixed(1)} ms`;

interface Run {
  free: Probe;
  locked: Probe;
  freeLag: { max: number; p99: number };
  lockedLag: { max: number; p99: number };
  sent: number;
  lostMs: number;
}

async function runOnce(): Promise<Run> {
  const api = new FakeBotApi({ token: TEST_TOKEN });
  const root = await api.start();
  const dir = mkdtempSync(join(tmpdir(), "jp-bench-lock-"));
  const port = await freePort();
  let bot: BotProcess | undefined;
  let holder: ChildProcess | undefined;
  try {
    bot = spawnBot({ BOT_TOKEN: TEST_TOKEN, BOT_API_ROOT: root, DATA_DIR: dir, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "info" });
    const users = Array.from({ length: USERS }, (_, i) => ({ id: 5_100_000 + i, first_name: `U${i}`, language_code: "id" }));
    const expected = new Map<number, number>();
    let sent = 0;
    const traffic = () => {
      const u = users[sent % USERS]!;
      api.userText(u, TEXTS[sent % TEXTS.length]!);
      expected.set(u.id, (expected.get(u.id) ?? 0) + 1);
      sent++;
    };
    // Warm up: every user once (the matcher loads, sessions exist), and /healthz's connection.
    for (let i = 0; i < USERS; i++) traffic();
    const b = bot;
    await waitFor(() => users.every((u) => api.fromBot(u.id).length >= 1), 60_000, `warm-up replies\n${b.output()}`);
    await loopLag(port);
    const free = await probe(port, 3_000, traffic);
    const freeLag = await loopLag(port);

    holder = await holdLock(join(dir, "jalan-pulang.db"));
    const sentBeforeLock = sent;
    await loopLag(port);
    const locked = await probe(port, LOCK_S * 1000, traffic);
    const lockedLag = await loopLag(port);
    const sentLocked = sent - sentBeforeLock;
    const t0 = performance.now();
    holder.stdin?.write("release\n");
    // Nothing lost: every message gets at least one reply after the release.
    const answered = () => users.every((u) => api.fromBot(u.id).length >= (expected.get(u.id) ?? 0));
    await waitFor(answered, 120_000, `every message answered after the release\n${b.output()}`);
    if (bot.child.exitCode !== null) throw new Error(`the bot exited\n${bot.output()}`);
    return { free, locked, freeLag, lockedLag, sent: sentLocked, lostMs: performance.now() - t0 };
  } finally {
    holder?.kill("SIGKILL");
    await bot?.stop("SIGKILL");
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function bench(): Promise<void> {
  console.log(
    `the real process on SQLite, ${USERS} users writing a message every ${MESSAGE_EVERY_MS} ms; /healthz asked one request after the other; ` +
      `another process holds the write lock for ${LOCK_S} s (target: < 100 ms)`,
  );
  const worst: number[] = [];
  const p99s: number[] = [];
  for (let i = 1; i <= RUNS; i++) {
    const r = await runOnce();
    const lag = (l: { max: number; p99: number }) => `bot's event-loop delay p99 ${l.p99.toFixed(1)} ms, max ${l.max.toFixed(1)} ms`;
    console.log(`  run ${i}: no lock:   ${fmt(r.free)}; ${lag(r.freeLag)}`);
    console.log(`  run ${i}: lock held: ${fmt(r.locked)}; ${lag(r.lockedLag)}`);
    console.log(`           ${r.sent} messages sent while locked, every message answered ${(r.lostMs / 1000).toFixed(1)} s after the release (replies paced at about 1 a second per chat)`);
    worst.push(r.locked.worst);
    p99s.push(r.locked.p99);
  }
  console.log(
    `/healthz while the lock is held: p99 ${Math.min(...p99s).toFixed(1)}–${Math.max(...p99s).toFixed(1)} ms, ` +
      `worst ${Math.min(...worst).toFixed(1)}–${Math.max(...worst).toFixed(1)} ms over ${RUNS} runs`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await bench();
