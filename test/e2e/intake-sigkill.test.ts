/**
 * Nothing lost, nothing doubled: the real process (polling, against the
 * stand-in Bot API) is killed with SIGKILL at each point of an urgent message's
 * way (just after the fetch, just after the confirmation, mid-handler,
 * mid-reply, mid-delivery to staff), then started again on the same database.
 * Every time the person gets the urgent reply exactly once and staff get
 * exactly one case (one topic, one card). On SQLite, and on PostgreSQL when a
 * server answers (DATABASE_URL or the local default).
 *
 * The points inside the process use JALAN_PULANG_TEST_PAUSE (src/main.ts): the
 * process stops there and says so; the others are seen by the stand-in.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { FakeBotApi } from "../helpers/fake-bot-api.ts";
import { type BotProcess, spawnBot, TEST_TOKEN } from "../helpers/spawn-bot.ts";
import { postgresReachable, untilSettled } from "../helpers/databases.ts";

const STAFF = -1009000000077;
const URGENT = "tolong saya disekap, pintu dikunci dari luar";
const REPLY_MARK = "sedang diberi tahu sekarang";
const PG_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

const HAVE_PG = await postgresReachable(PG_URL, 2000);

type Point = "after-fetch" | "after-confirm" | "mid-handler" | "mid-reply" | "mid-delivery";
const POINTS: Point[] = ["after-fetch", "after-confirm", "mid-handler", "mid-reply", "mid-delivery"];

let procs: BotProcess[] = [];
let api: FakeBotApi | undefined;
let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const p of procs) {
    p.kill();
    await p.exited;
  }
  await api?.close();
  for (const c of cleanups) await c();
  procs = [];
  cleanups = [];
  api = undefined;
});

async function until(cond: () => boolean, what: string, proc: () => BotProcess | undefined, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${proc()?.output() ?? ""}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function databaseEnv(engine: "sqlite" | "postgres"): Promise<Record<string, string>> {
  const dir = mkdtempSync(join(tmpdir(), "jp-intake-"));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  if (engine === "sqlite") return { DATA_DIR: dir, DATABASE_URL: "" };
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  const schema = `ik_${process.pid}_${Date.now().toString(36)}`;
  await admin.query(`create schema ${schema}`);
  cleanups.push(async () => {
    await admin.query(`drop schema if exists ${schema} cascade`).catch(() => undefined);
    await admin.end();
  });
  const sep = PG_URL.includes("?") ? "&" : "?";
  return { DATA_DIR: dir, DATABASE_URL: `${PG_URL}${sep}options=${encodeURIComponent(`-c search_path=${schema}`)}` };
}

async function killAt(point: Point, engine: "sqlite" | "postgres"): Promise<void> {
  const a = new FakeBotApi({ token: TEST_TOKEN, groupPerMinute: 20 });
  api = a;
  a.addGroup(STAFF, { forum: true, members: [9001] });
  const root = await a.start();
  const env = { BOT_TOKEN: TEST_TOKEN, BOT_API_ROOT: root, STAFF_CHAT_ID: String(STAFF), ...(await databaseEnv(engine)) };
  const user = { id: 7_310_000 + POINTS.indexOf(point), first_name: "U" };
  const pause = point === "after-fetch" || point === "mid-handler" ? point : undefined;
  const first = spawnBot({ ...env, ...(pause ? { JALAN_PULANG_TEST_PAUSE: pause } : {}) });
  procs.push(first);
  await until(() => a.calls.some((c) => c.method === "deleteWebhook"), "the first process to poll", () => first);

  let killed = false;
  const kill = () => {
    killed = true;
    first.kill();
  };
  const updateId = a.nextId; // the urgent message's update
  if (point === "after-confirm") {
    a.onGetUpdates = (offset) => {
      if (offset > updateId && !killed) kill();
    };
  }
  if (point === "mid-reply") {
    a.onArrive = (method, p) => {
      if (killed || method !== "sendMessage" || Number(p.chat_id) !== user.id) return undefined;
      kill();
      return "lost"; // on the wire when the process dies: Telegram never gets it
    };
  }
  if (point === "mid-delivery" || point === "mid-handler") {
    // Staff deliveries are held on the wire (Telegram never gets them). mid-delivery: the
    // kill comes once the person's update is done (its reply arrived), with a delivery to
    // staff in flight; mid-handler: the kill comes at the pause below, in the handler.
    a.onArrive = (_m, p) => {
      if (killed || Number(p.chat_id) !== STAFF) return undefined;
      if (point === "mid-delivery") {
        void until(() => a.fromBot(user.id).some((m) => String(m.text).includes(REPLY_MARK)), "the reply", () => first)
          .then(() => new Promise((r) => setTimeout(r, 500)))
          .then(kill);
      }
      return "lost";
    };
  }
  a.userText(user, URGENT);
  if (pause) await until(() => first.output().includes(`test pause: ${pause}`), `the pause at ${pause}`, () => first);
  if (pause) kill();
  await until(() => killed, `the kill at ${point}`, () => first);
  expect(await first.exited).toBe("SIGKILL");
  a.onArrive = undefined;
  a.onGetUpdates = undefined;

  const second = spawnBot(env);
  procs.push(second);
  const replies = () => a.fromBot(user.id).filter((m) => String(m.text).includes(REPLY_MARK)).length;
  const topics = () => a.calls.filter((c) => c.ok && c.method === "createForumTopic").length;
  const cards = () => a.fromBot(STAFF).filter((m) => /Kasus #\d+/.test(String(m.text)) && m.reply_markup).length;
  await until(() => replies() >= 1 && topics() >= 1 && cards() >= 1, "the reply and the case after the restart", () => second);
  // Once nothing is left to handle or send, anything sent twice has arrived; then the process stops.
  await untilSettled(env as Record<string, string>);
  await second.stop("SIGTERM");
  expect(replies(), `urgent replies (${point}, ${engine})`).toBe(1);
  expect(topics(), `topics (${point}, ${engine})`).toBe(1);
  expect(cards(), `cards (${point}, ${engine})`).toBe(1);
  expect(a.rateLimited).toBe(0);
}

describe.each(["sqlite", "postgres"] as const)("SIGKILL on an urgent message's way (%s)", (engine) => {
  for (const point of POINTS) {
    it.skipIf(engine === "postgres" && !HAVE_PG)(`killed ${point}: one reply, one case`, () => killAt(point, engine), 90_000);
  }
});
