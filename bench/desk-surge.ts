/**
 * Two surges.
 *
 * 1. The issue's (runUrgentSurge): the real process (npm start's composition) in real
 *    time against the stand-in with Telegram's limits, 60 cases (15 urgent) within
 *    6 s. Prints urgent message → visible to staff (the "urgent now" board, a topic
 *    or a card) p50 and max, 429s by limit, and the most group messages in any 60 s.
 *    BENCH_SURGE_S (default 90) is how long it is watched.
 *
 * 2. The staff desk under a longer surge: 200 new cases (50 urgent, spread among them)
 * arrive at once; the outbox drains them into one forum group against the
 * fake Bot API with Telegram's real limit (20 messages a minute per group) on
 * a simulated clock (about 20 minutes of traffic in seconds). 20 of the normal
 * cases also send two follow-ups each while waiting, which are merged.
 *
 * Prints: 429s seen (must be 0), the position of the last urgent card vs the
 * first normal card (urgent must all come first), the achieved group rate vs
 * the allowed one (>= 90%), merging, and wall time.
 * Run alone: node --import tsx bench/desk-surge.ts
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Update } from "grammy/types";
import pino from "pino";
import { createBot } from "../src/bot/index.ts";
import { createConfig } from "../src/config.ts";
import { createContainer } from "../src/container.ts";
import { openDatabase } from "../src/storage/db.ts";
import { FakeBotApi } from "../test/helpers/fake-bot-api.ts";
import { groupCounted, maxPerMinute, startSurge, urgentDelays } from "../test/helpers/surge.ts";

const TOKEN = "123456:BENCH_TOKEN_abcdefghijklmnopqrstuvwxyz";
const STAFF = -1009000000009;
const CASES = 200;
const URGENT = 50;
const LIMIT_PER_MIN = 20;

export interface SurgeResult {
  rateLimited: number;
  lastUrgentCard: number;
  firstNormalCard: number;
  groupMessages: number;
  simulatedMinutes: number;
  perMinute: number;
  ratioOfAllowed: number;
  relaysQueued: number;
  relayMessages: number;
  wallMs: number;
}

export async function runSurge(): Promise<SurgeResult> {
  const clock = { now: Date.UTC(2026, 0, 20, 3, 0) };
  const api = new FakeBotApi({ token: TOKEN, groupPerMinute: LIMIT_PER_MIN, now: () => clock.now });
  api.addGroup(STAFF, { forum: true, members: [9001] });
  const root = await api.start();
  const dir = mkdtempSync(join(tmpdir(), "jp-surge-"));
  const database = await openDatabase({ kind: "sqlite", file: join(dir, "b.db") });
  try {
    const config = createConfig({ BOT_TOKEN: TOKEN, BOT_API_ROOT: root, STAFF_CHAT_ID: String(STAFF) });
    const deps = await createContainer(config, pino({ level: "silent" }), { database, now: () => clock.now });
    const { bot, desk: feature } = createBot(deps, { token: TOKEN, apiRoot: root });
    const desk = feature.desk;
    if (!desk) throw new Error("no desk: STAFF_CHAT_ID missing");
    await bot.init();
    const wall = performance.now();
    // Urgent cases spread evenly among the normal ones.
    const urgentAt = new Set(Array.from({ length: URGENT }, (_, i) => Math.floor((i * CASES) / URGENT) + 3));
    let updateId = 1;
    const say = async (userId: number, text: string) => {
      const msg = api.userText({ id: userId }, text);
      await bot.handleUpdate({ update_id: updateId++, message: msg } as unknown as Update);
    };
    const urgentUsers = new Set<number>();
    for (let i = 0; i < CASES; i++) {
      const user = 8_000_000 + i;
      if (urgentAt.has(i)) {
        urgentUsers.add(user);
        await say(user, "tolong saya disekap dan dipukul");
      } else await say(user, "/human");
    }
    let relaysQueued = 0;
    for (let i = 0; i < CASES && relaysQueued < 40; i++) {
      const user = 8_000_000 + i;
      if (urgentUsers.has(user)) continue;
      await say(user, `pesan tambahan 1 dari ${user}`);
      await say(user, `pesan tambahan 2 dari ${user}`);
      relaysQueued += 2;
    }
    // Drain on the simulated clock.
    for (let round = 0; round < 100_000; round++) {
      const r = await desk.sender.drain();
      if (r.nextAt === undefined) break;
      if (r.nextAt > clock.now) clock.now = r.nextAt;
      else if (r.sent === 0) clock.now += 100;
    }
    const wallMs = performance.now() - wall;
    const counted = api.calls.filter(
      (c) => c.ok && Number(c.payload.chat_id) === STAFF && ["sendMessage", "copyMessage", "createForumTopic"].includes(c.method),
    );
    const cards = counted.filter((c) => c.method === "sendMessage" && /Kasus #\d+/.test(String(c.payload.text)));
    const isUrgentCard = (c: (typeof cards)[number]) => String(c.payload.text).includes("MENDESAK");
    const lastUrgentCard = cards.findLastIndex(isUrgentCard) + 1;
    const firstNormalCard = cards.findIndex((c) => !isUrgentCard(c)) + 1;
    const first = counted[0]?.at ?? 0;
    const last = counted.at(-1)?.at ?? 0;
    // n sends span (n-1) gaps; the rate over the time they took.
    const simulatedMinutes = (last - first) / 60_000;
    const perMinute = simulatedMinutes > 0 ? (counted.length - 1) / simulatedMinutes : 0;
    const relayMessages = counted.filter((c) => c.method === "sendMessage" && String(c.payload.text).includes("pesan tambahan")).length;
    if (cards.length !== CASES) throw new Error(`expected ${CASES} cards, got ${cards.length}`);
    return {
      rateLimited: api.rateLimited,
      lastUrgentCard,
      firstNormalCard,
      groupMessages: counted.length,
      simulatedMinutes,
      perMinute,
      ratioOfAllowed: perMinute / LIMIT_PER_MIN,
      relaysQueued,
      relayMessages,
      wallMs,
    };
  } finally {
    await database.close().catch(() => undefined);
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface UrgentSurgeResult {
  urgent: number;
  visibleP50Ms: number | undefined;
  visibleMaxMs: number | undefined;
  notVisible: number;
  rateLimited: number;
  limitedBy: { group: number; chat: number; bot: number };
  maxGroupPerMinute: number;
  groupMessages: number;
  cardsOut: number;
  seconds: number;
}

/**
 * The issue's surge on the real process (npm start's composition) in real time:
 * 60 cases (15 urgent) within 6 s against the stand-in with Telegram's limits;
 * watched for `seconds` (BENCH_SURGE_S, default 90).
 */
export async function runUrgentSurge(seconds = Number(process.env.BENCH_SURGE_S ?? 90)): Promise<UrgentSurgeResult> {
  const dir = mkdtempSync(join(tmpdir(), "jp-usurge-"));
  const run = await startSurge({ dir });
  try {
    const t0 = Math.min(...run.urgentAt.values());
    await new Promise((r) => setTimeout(r, Math.max(0, t0 + seconds * 1000 - Date.now())));
    const delays = urgentDelays(run);
    const seen = delays.filter((d): d is number => d !== undefined).sort((a, b) => a - b);
    return {
      urgent: run.urgentAt.size,
      visibleP50Ms: seen.length ? seen[Math.floor((seen.length - 1) / 2)] : undefined,
      visibleMaxMs: seen.length === delays.length ? seen.at(-1) : undefined,
      notVisible: delays.length - seen.length,
      rateLimited: run.api.rateLimited,
      limitedBy: { ...run.api.limitedBy },
      maxGroupPerMinute: maxPerMinute(run.api.calls),
      groupMessages: run.api.calls.filter(groupCounted).length,
      cardsOut: run.api.calls.filter((c) => c.ok && c.method === "sendMessage" && /Kasus #\d+/.test(String(c.payload.text))).length,
      seconds,
    };
  } finally {
    await run.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function bench(): Promise<void> {
  const u = await runUrgentSurge();
  const s = (ms: number | undefined) => (ms === undefined ? "n/a" : `${(ms / 1000).toFixed(1)} s`);
  console.log(`urgent surge (real process, stand-in with Telegram's limits): 60 cases (${u.urgent} urgent) within 6 s, watched ${u.seconds} s`);
  console.log(`  urgent message → visible to staff (board, topic or card): p50 ${s(u.visibleP50Ms)}, max ${s(u.visibleMaxMs)}${u.notVisible ? ` (${u.notVisible} NOT visible)` : ""} (target p50 ≤ 10 s, max ≤ 60 s)`);
  console.log(`  429s: ${u.rateLimited} (group ${u.limitedBy.group}, chat ${u.limitedBy.chat}, bot ${u.limitedBy.bot}) (must be 0)`);
  console.log(`  staff group: at most ${u.maxGroupPerMinute} messages in any 60 s (limit 20), ${u.groupMessages} in all; ${u.cardsOut} of 60 cards out so far`);
  const r = await runSurge();
  console.log(`desk surge: ${CASES} new cases (${URGENT} urgent) + ${r.relaysQueued} follow-ups, one forum group, limit ${LIMIT_PER_MIN}/min`);
  console.log(`  429s seen: ${r.rateLimited} (must be 0)`);
  console.log(`  cards in order: last urgent at #${r.lastUrgentCard}, first normal at #${r.firstNormalCard} (urgent first: ${r.lastUrgentCard < r.firstNormalCard ? "yes" : "NO"})`);
  console.log(
    `  group messages: ${r.groupMessages} in ${r.simulatedMinutes.toFixed(1)} simulated min = ${r.perMinute.toFixed(2)}/min, ${(r.ratioOfAllowed * 100).toFixed(1)}% of the allowed ${LIMIT_PER_MIN}/min (target >= 90%)`,
  );
  console.log(`  follow-ups merged: ${r.relaysQueued} relays queued → ${r.relayMessages} group messages (${(r.relaysQueued / Math.max(1, r.relayMessages)).toFixed(1)}:1)`);
  console.log(`  wall time: ${(r.wallMs / 1000).toFixed(1)} s for ~${r.simulatedMinutes.toFixed(0)} min of simulated traffic`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  bench().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
