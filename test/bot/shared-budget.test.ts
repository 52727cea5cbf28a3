/**
 * Two instances on one PostgreSQL share one send budget (the send log): together
 * they keep the bot-wide 25 a second, the pace of one private chat and a group's
 * burst, as one instance would. Needs a real server (DATABASE_URL, or the local one
 * at 127.0.0.1:5432); skipped without one.
 */
import type { Transformer } from "grammy";
import { afterEach, describe, expect, it } from "vitest";
import { budgetTransformer, SendBudget, sharedBudget } from "../../src/bot/budget.ts";
import { defaultPacing } from "../../src/domain/cases/outbox.ts";
import { type Database, openDatabase } from "../../src/storage/db.ts";
import { createSendLog } from "../../src/storage/repositories/send-log.ts";
import { openTestDatabase, postgresReachable, type TestDatabase } from "../helpers/databases.ts";

const URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const reachable = await postgresReachable(URL);
const rules = { ...defaultPacing(20), private: { limit: 5, windowMs: 5_000 } };

let first: TestDatabase | undefined;
let second: Database | undefined;
afterEach(async () => {
  await second?.close().catch(() => undefined);
  await first?.cleanup();
  first = second = undefined;
});

interface Instance {
  send(chatId: number, signal: AbortSignal): Promise<void>;
}

/** An instance: its own budget and database connection; a fake Telegram that records when each call arrives. */
function instance(database: Database | undefined, arrivals: { chat: number; at: number }[]): Instance {
  const budget = new SendBudget({ rules });
  const t: Transformer = budgetTransformer(budget, Date.now, database ? sharedBudget(createSendLog(database.db), rules) : undefined);
  const prev = (async (_method: string, payload: { chat_id: number }) => {
    arrivals.push({ chat: payload.chat_id, at: Date.now() });
    return { ok: true, result: true };
  }) as never;
  return { send: (chatId, signal) => t(prev, "sendMessage", { chat_id: chatId, text: "x" } as never, signal as never).then(() => undefined) };
}

/** The most arrivals (optionally to one chat) within any `windowMs`. */
function most(arrivals: { chat: number; at: number }[], windowMs: number, chat?: number): number {
  const times = arrivals.filter((a) => chat === undefined || a.chat === chat).map((a) => a.at).sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; j < times.length; j++) {
    while ((times[j] as number) - (times[i] as number) >= windowMs) i++;
    best = Math.max(best, j - i + 1);
  }
  return best;
}

/** Both instances send `each` messages at once (chat chosen per message); stop after `forMs`. */
async function burst(a: Instance, b: Instance, each: number, chat: (i: number) => number, forMs: number): Promise<void> {
  const stop = new AbortController();
  const all = [a, b].flatMap((x, k) => Array.from({ length: each }, (_, i) => x.send(chat(k * each + i), stop.signal).catch(() => undefined)));
  await new Promise((r) => setTimeout(r, forMs));
  stop.abort();
  await Promise.all(all);
}

describe.skipIf(!reachable)("the send budget shared by two instances (PostgreSQL)", () => {
  async function two(): Promise<[Database, Database]> {
    process.env.DATABASE_URL ??= URL;
    first = await openTestDatabase("postgres");
    second = await openDatabase({ kind: "postgres", url: URL, ...(first.searchPath ? { searchPath: first.searchPath } : {}) });
    return [first.database, second];
  }

  it("60 replies to 60 people at once: both together take at most 25 slots in any second, and Telegram sees fewer than its 30", async () => {
    const [d1, d2] = await two();
    const arrivals: { chat: number; at: number }[] = [];
    await burst(instance(d1, arrivals), instance(d2, arrivals), 30, (i) => 1000 + i, 2_600);
    expect(arrivals.length).toBeGreaterThanOrEqual(50);
    const slots = (await d1.db.selectFrom("send_log").select("at").where("key", "=", "bot").execute()).map((r) => ({ chat: 0, at: Number(r.at) }));
    expect(most(slots, 1_000)).toBeLessThanOrEqual(25);
    // A send arrives a few milliseconds after its slot was taken: within Telegram's 30, with the margin the 25 keeps.
    expect(most(arrivals, 1_000)).toBeLessThan(30);
    console.log(`shared budget, 2 instances: ${arrivals.length} sends; slots taken at most ${most(slots, 1_000)} in any second (budget 25), arrivals at most ${most(arrivals, 1_000)} (Telegram 30)`);
  }, 30_000);

  it("one private chat and the staff group: the chat's pace and the group's burst hold across both", async () => {
    const [d1, d2] = await two();
    const arrivals: { chat: number; at: number }[] = [];
    const GROUP = -1009000000055;
    await burst(instance(d1, arrivals), instance(d2, arrivals), 8, (i) => (i % 2 === 0 ? 4242 : GROUP), 2_000);
    expect(most(arrivals, 5_000, 4242)).toBe(5);
    expect(most(arrivals, 5_000, GROUP)).toBe(5);
  }, 30_000);

  it("without the shared log the two instances together break the limits (what the test above guards)", async () => {
    const arrivals: { chat: number; at: number }[] = [];
    await burst(instance(undefined, arrivals), instance(undefined, arrivals), 30, (i) => 1000 + i, 500);
    expect(most(arrivals, 1_000)).toBeGreaterThan(25);
  });
});
