/**
 * One retry layer, no stall: the bot with the production transformers (send
 * budget, bounded auto-retry for replies; the desk outbox on its own Api
 * without auto-retry) against the stand-in Bot API, which answers one case's
 * createForumTopic with 500, then 502, then 429. The outbox's own back-off
 * sees each of them, and the other cases go out meanwhile: all their topics and
 * cards are there before the failing case's topic. (The delay it adds to the
 * other cases is measured in bench/desk-faults.ts.)
 */
import type { Update } from "grammy/types";
import pino from "pino";
import { afterEach, expect, it } from "vitest";
import { SendBudget } from "../../../src/bot/budget.ts";
import { createBot } from "../../../src/bot/index.ts";
import { sendingTransformers } from "../../../src/bot/transformers.ts";
import { createConfig } from "../../../src/config.ts";
import { createContainer } from "../../../src/container.ts";
import { defaultPacing } from "../../../src/domain/cases/outbox.ts";
import { openTestDatabase, type TestDatabase } from "../../helpers/databases.ts";
import { FakeBotApi } from "../../helpers/fake-bot-api.ts";

const TOKEN = "123456:FAULT_TOKEN_abcdefghijklmnopqrstuvwxyz";
const STAFF = -1009000000055;
let api: FakeBotApi | undefined;
let db: TestDatabase | undefined;
let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  await api?.close();
  await db?.cleanup();
  api = db = stop = undefined;
});

it("a 500, a 502 and a 429 on one case's topic: the outbox backs off that row, the other cases go out meanwhile", async () => {
  api = new FakeBotApi({ token: TOKEN, groupPerMinute: 20 });
  const a = api;
  a.addGroup(STAFF, { forum: true, members: [9001] });
  const root = await a.start();
  db = await openTestDatabase("sqlite");
  const config = createConfig({ BOT_TOKEN: TOKEN, BOT_API_ROOT: root, STAFF_CHAT_ID: String(STAFF) });
  const logged: string[] = [];
  const logger = pino({ level: "warn" }, { write: (line: string) => void logged.push(line) });
  // The group's 5-within-5-s pace is left out here: this test is about the retry layer, and that pace
  // (tested in test/e2e/urgent-surge.test.ts) would spread the other cases' sends past the failing one's back-off.
  const { groupBurst: _pace, ...rules } = defaultPacing(config.DESK_GROUP_PER_MINUTE);
  const budget = new SendBudget({ rules });
  const deps = await createContainer(config, logger, { database: db.database, budget });
  const { bot, desk } = createBot(deps, { token: TOKEN, apiRoot: root, ...sendingTransformers({ budget }) });
  await bot.init();

  const caseOne = (p: Record<string, unknown>) => String(p.name).startsWith("#1 ");
  a.failNext("createForumTopic", { ok: false, error_code: 500, description: "Internal Server Error" }, caseOne);
  a.failNext("createForumTopic", { ok: false, error_code: 502, description: "Bad Gateway" }, caseOne);
  a.failNext("createForumTopic", { ok: false, error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } }, caseOne);
  const users = [1, 2, 3, 4, 5].map((i) => 7_550_000 + i);
  let id = 1;
  for (const u of users) {
    const msg = a.userText({ id: u }, "tolong saya disekap, pintu dikunci dari luar");
    await bot.handleUpdate({ update_id: id++, message: msg } as unknown as Update);
  }
  stop = desk.start();
  const cards = () => a.fromBot(STAFF).filter((m) => /Kasus #\d+/.test(String(m.text)) && m.reply_markup);
  await expect.poll(() => cards().length, { timeout: 20_000, interval: 50 }).toBe(users.length);

  const topicCalls = a.calls.filter((c) => c.method === "createForumTopic");
  // The first case's topic failed three times and went fourth time; one topic per case in the end.
  expect(topicCalls.map((c) => c.ok)).toEqual([false, true, true, true, true, false, false, true]);
  expect(a.topics.get(STAFF)?.size).toBe(users.length);
  // Every other case's topic and card were there before the failing case's topic.
  const failingTopicAt = (topicCalls.at(-1) as { at: number }).at;
  const cardCalls = a.calls.filter((c) => c.ok && c.method === "sendMessage" && Number(c.payload.chat_id) === STAFF && /Kasus #\d+/.test(String(c.payload.text)));
  expect(cardCalls.slice(0, users.length - 1).every((c) => c.at < failingTopicAt)).toBe(true);
  // The outbox's own back-off saw each error (nothing slept inside a call).
  expect(desk.desk!.sender.stats.retried).toBe(2);
  expect(desk.desk!.sender.stats.rateLimited).toBe(1);
  expect(logged.some((l) => l.includes("desk outbox: rate limited"))).toBe(true);
  // No real 429 from the stand-in's limits.
  expect(a.rateLimited).toBe(0);
}, 30_000);
