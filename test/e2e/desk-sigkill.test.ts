/**
 * No case or relay lost, none duplicated: the real process is killed with
 * SIGKILL while it delivers the desk outbox (a call is on the wire), then
 * started again on the same data directory.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { FakeBotApi } from "../helpers/fake-bot-api.ts";
import { untilSettled } from "../helpers/databases.ts";
import { type BotProcess, spawnBot, TEST_TOKEN, waitFor } from "../helpers/spawn-bot.ts";

const STAFF_CHAT = -1009000000002;
const USERS = [1, 2, 3, 4, 5, 6].map((i) => ({ id: 7770000 + i, first_name: `U${i}` }));
const FOLLOW_UPS = (id: number) => [`lokasi ${id}: gedung biru`, `lantai ${id}`];

let procs: BotProcess[] = [];
let api: FakeBotApi | undefined;
let dir: string | undefined;
afterEach(async () => {
  for (const p of procs) await p.stop("SIGKILL");
  await api?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  procs = [];
  api = dir = undefined;
});

it("SIGKILL mid-delivery, restart: every case has one topic and one card, every relay arrives once", async () => {
  // 60 ms on the wire per call, so the kill finds a call in flight.
  api = new FakeBotApi({ token: TEST_TOKEN, groupPerMinute: 600, latencyMs: 60 });
  api.addGroup(STAFF_CHAT, { forum: true, members: [9001] });
  const root = await api.start();
  dir = mkdtempSync(join(tmpdir(), "jp-kill-"));
  const env = { BOT_API_ROOT: root, STAFF_CHAT_ID: String(STAFF_CHAT), DATA_DIR: dir, DESK_GROUP_PER_MINUTE: "600" };
  const a = api;
  const first = spawnBot({ BOT_TOKEN: TEST_TOKEN, ...env });
  procs.push(first);

  for (const u of USERS) {
    a.userText(u, "saya disekap dan dipukul, tolong");
    for (const t of FOLLOW_UPS(u.id)) a.userText(u, t);
  }
  // Every user got the immediate urgent reply (sent directly, not through the outbox) …
  const urgentReplies = (id: number) => a.fromBot(id).filter((m) => String(m.text).includes("sedang diberi tahu sekarang")).length;
  await waitFor(() => USERS.every((u) => urgentReplies(u.id) === 1), 30_000, `urgent replies\n${first.output()}`);
  // … then kill on the wire: the next call to the group is in flight when the process dies.
  const groupCalls = () => a.calls.filter((c) => Number(c.payload.chat_id) === STAFF_CHAT).length;
  await waitFor(() => groupCalls() >= 5, 20_000, `some desk deliveries\n${first.output()}`);
  const killed = new Promise<void>((resolve) => {
    a.onArrive = (_m, p) => {
      if (Number(p.chat_id) !== STAFF_CHAT) return undefined;
      a.onArrive = undefined;
      void first.stop("SIGKILL").then(resolve);
      return "lost"; // on the wire when the process dies: Telegram never gets it
    };
  });
  await killed;
  const before = groupCalls();
  const topicsBefore = a.topics.get(STAFF_CHAT)?.size ?? 0;
  expect(topicsBefore).toBeLessThan(USERS.length + 1);

  const second = spawnBot({ BOT_TOKEN: TEST_TOKEN, ...env });
  procs.push(second);
  const done = () => {
    const texts = a.fromBot(STAFF_CHAT).map((m) => String(m.text ?? ""));
    return (a.topics.get(STAFF_CHAT)?.size ?? 0) === USERS.length && USERS.every((u) => FOLLOW_UPS(u.id).every((f) => texts.some((t) => t.includes(f))));
  };
  await waitFor(done, 30_000, `delivery after restart\n${second.output()}`);
  // Once nothing is left to handle or send, anything duplicated has arrived; then the process stops.
  await untilSettled(env);
  await second.stop("SIGTERM");
  expect(groupCalls()).toBeGreaterThan(before);
  // The kill did land mid-delivery: the new process found a row left 'sending' and sent it again.
  expect(second.output()).toContain("left in flight");

  const msgs = a.fromBot(STAFF_CHAT);
  // One topic per case, one card per topic.
  expect(a.topics.get(STAFF_CHAT)?.size).toBe(USERS.length);
  const cards = msgs.filter((m) => /Kasus #\d+/.test(String(m.text)) && m.reply_markup);
  expect(cards).toHaveLength(USERS.length);
  expect(new Set(cards.map((c) => c.message_thread_id)).size).toBe(USERS.length);
  // Every follow-up relayed exactly once (merged or not), in its own case's topic.
  for (const u of USERS) {
    for (const f of FOLLOW_UPS(u.id)) {
      const hits = msgs.filter((m) => String(m.text ?? "").split("\n\n").includes(f));
      expect(hits, f).toHaveLength(1);
    }
  }
  // Nothing sent twice to the users either: one urgent reply each.
  for (const u of USERS) expect(urgentReplies(u.id)).toBe(1);
  expect(a.rateLimited).toBe(0);
}, 90_000);
