/**
 * One failing case must not stall the others: the bot with the production
 * transformers (src/bot/transformers.ts) against the stand-in Bot API (real
 * clock, loopback), five urgent cases; run once without faults and once with
 * one case's createForumTopic answered 500, then 502, then 429 (retry_after 1).
 * Prints when the other four cases' cards were all in the group in each run,
 * and the difference: the delay the faults added to the other cases (target <= 2 s).
 * Run alone: node --import tsx bench/desk-faults.ts
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Update } from "grammy/types";
import pino from "pino";
import { SendBudget } from "../src/bot/budget.ts";
import { createBot } from "../src/bot/index.ts";
import { sendingTransformers } from "../src/bot/transformers.ts";
import { createConfig } from "../src/config.ts";
import { createContainer } from "../src/container.ts";
import { defaultPacing } from "../src/domain/cases/outbox.ts";
import { openDatabase } from "../src/storage/db.ts";
import { FakeBotApi } from "../test/helpers/fake-bot-api.ts";

const TOKEN = "123456:BENCH_TOKEN_abcdefghijklmnopqrstuvwxyz";
const STAFF = -1009000000066;
const CASES = 5;

async function run(faults: boolean): Promise<{ othersDoneMs: number; failingDoneMs: number }> {
  const api = new FakeBotApi({ token: TOKEN, groupPerMinute: 20 });
  api.addGroup(STAFF, { forum: true, members: [9001] });
  const root = await api.start();
  const dir = mkdtempSync(join(tmpdir(), "jp-faults-"));
  const database = await openDatabase({ kind: "sqlite", file: join(dir, "b.db") });
  let stop: (() => Promise<void>) | undefined;
  try {
    const config = createConfig({ BOT_TOKEN: TOKEN, BOT_API_ROOT: root, STAFF_CHAT_ID: String(STAFF) });
    const budget = new SendBudget({ rules: defaultPacing(config.DESK_GROUP_PER_MINUTE) });
    const deps = await createContainer(config, pino({ level: "silent" }), { database, budget });
    const { bot, desk } = createBot(deps, { token: TOKEN, apiRoot: root, ...sendingTransformers({ budget }) });
    await bot.init();
    if (faults) {
      const caseOne = (p: Record<string, unknown>) => String(p.name).startsWith("#1 ");
      api.failNext("createForumTopic", { ok: false, error_code: 500, description: "Internal Server Error" }, caseOne);
      api.failNext("createForumTopic", { ok: false, error_code: 502, description: "Bad Gateway" }, caseOne);
      api.failNext("createForumTopic", { ok: false, error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } }, caseOne);
    }
    for (let i = 0; i < CASES; i++) {
      const msg = api.userText({ id: 7_560_000 + i }, "tolong saya disekap, pintu dikunci dari luar");
      await bot.handleUpdate({ update_id: i + 1, message: msg } as unknown as Update);
    }
    const t0 = Date.now();
    stop = desk.start();
    const cards = () => api.calls.filter((c) => c.ok && c.method === "sendMessage" && Number(c.payload.chat_id) === STAFF && /Kasus #\d+/.test(String(c.payload.text)));
    while (cards().length < CASES) await new Promise((r) => setTimeout(r, 10));
    const isOne = (c: { payload: Record<string, unknown> }) => /Kasus #1\b/.test(String(c.payload.text));
    const others = cards().filter((c) => !isOne(c));
    const one = cards().find(isOne);
    return { othersDoneMs: Math.max(...others.map((c) => c.at)) - t0, failingDoneMs: (one?.at ?? 0) - t0 };
  } finally {
    await stop?.();
    await database.close().catch(() => undefined);
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function bench(): Promise<void> {
  const clean = await run(false);
  const faulty = await run(true);
  const added = faulty.othersDoneMs - clean.othersDoneMs;
  console.log(`desk faults: ${CASES} urgent cases; case #1's topic answered 500, 502, 429 (retry_after 1) before it goes`);
  console.log(`  other cases' cards all in the group: ${clean.othersDoneMs} ms without faults, ${faulty.othersDoneMs} ms with faults`);
  console.log(`  delay added to the other cases: ${added} ms (target <= 2000 ms): ${added <= 2000 ? "OK" : "TOO SLOW"}`);
  console.log(`  the failing case's card: ${faulty.failingDoneMs} ms (its own back-off: 1 s, 2 s, then retry_after)`);
  if (added > 2000) process.exitCode = 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  bench().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
