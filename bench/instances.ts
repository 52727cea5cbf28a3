/**
 * Two instances on one PostgreSQL share one send budget (src/bot/budget.ts,
 * sharedBudget over the send log). Each instance is the real budget with the
 * production transformer on its own database connection; both at once try to
 * send 20 messages to the staff group and 60 replies to 60 people, for 65 s of
 * real time. Prints the most staff-group messages in any 60 s (Telegram: 20;
 * the budget: 19), the most sends in any second (Telegram: 30; the budget: 25),
 * and the same two figures for two instances without the shared log.
 *
 *   DATABASE_URL=postgres://… node --import tsx bench/instances.ts   (default: the local server; skipped without one)
 */
import { setMaxListeners } from "node:events";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { budgetTransformer, SendBudget, sharedBudget } from "../src/bot/budget.ts";
import { defaultPacing } from "../src/domain/cases/outbox.ts";
import { type Database, openDatabase } from "../src/storage/db.ts";
import { createSendLog } from "../src/storage/repositories/send-log.ts";

const URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const GROUP = -1009000000099;
const rules = { ...defaultPacing(20), private: { limit: 5, windowMs: 5_000 } };

type Arrival = { chat: number; at: number };

function most(arrivals: Arrival[], windowMs: number, pick: (a: Arrival) => boolean = () => true): number {
  const times = arrivals.filter(pick).map((a) => a.at).sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; j < times.length; j++) {
    while ((times[j] as number) - (times[i] as number) >= windowMs) i++;
    best = Math.max(best, j - i + 1);
  }
  return best;
}

async function run(databases: (Database | undefined)[], seconds: number): Promise<{ group60: number; bot1: number; groupSent: number; sent: number }> {
  const arrivals: Arrival[] = [];
  const stop = new AbortController();
  setMaxListeners(0, stop.signal); // every waiting send listens to it
  const sends: Promise<unknown>[] = [];
  for (const d of databases) {
    const t = budgetTransformer(new SendBudget({ rules }), Date.now, d ? sharedBudget(createSendLog(d.db), rules) : undefined);
    const prev = (async (_m: string, p: { chat_id: number }) => {
      arrivals.push({ chat: p.chat_id, at: Date.now() });
      return { ok: true, result: true };
    }) as never;
    const send = (chat: number) => t(prev, "sendMessage", { chat_id: chat, text: "x" } as never, stop.signal as never).catch(() => undefined);
    for (let i = 0; i < 20; i++) sends.push(send(GROUP));
    for (let i = 0; i < 60; i++) sends.push(send(5_000_000 + i));
  }
  await new Promise((r) => setTimeout(r, seconds * 1000));
  stop.abort();
  await Promise.all(sends);
  const isGroup = (a: Arrival) => a.chat === GROUP;
  return { group60: most(arrivals, 60_000, isGroup), bot1: most(arrivals, 1_000), groupSent: arrivals.filter(isGroup).length, sent: arrivals.length };
}

export async function bench(): Promise<void> {
  const seconds = Number(process.env.BENCH_INSTANCES_S ?? 65);
  const admin = new pg.Pool({ connectionString: URL, max: 1, connectionTimeoutMillis: 3_000 });
  try {
    await admin.query("select 1");
  } catch {
    console.log(`skipped: no PostgreSQL at ${URL}`);
    await admin.end().catch(() => undefined);
    return;
  }
  const schema = `bench_inst_${process.pid}_${Date.now().toString(36)}`;
  await admin.query(`create schema ${schema}`);
  const a = await openDatabase({ kind: "postgres", url: URL, searchPath: schema });
  const b = await openDatabase({ kind: "postgres", url: URL, searchPath: schema });
  try {
    const shared = await run([a, b], seconds);
    const alone = await run([undefined, undefined], 3);
    console.log(`two instances on one PostgreSQL, each trying 20 staff-group messages and 60 replies at once, ${seconds} s:`);
    console.log(`  shared budget: staff group at most ${shared.group60} messages in any 60 s (target ≤ 20; budget 19), ${shared.groupSent} sent in all; at most ${shared.bot1} sends in any second (Telegram 30; budget 25); ${shared.sent} sends`);
    console.log(`  each alone (no shared log), first 3 s: staff group ${alone.group60} messages, at most ${alone.bot1} sends in a second`);
  } finally {
    await a.close().catch(() => undefined);
    await b.close().catch(() => undefined);
    await admin.query(`drop schema if exists ${schema} cascade`).catch(() => undefined);
    await admin.end();
  }
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) await bench();
