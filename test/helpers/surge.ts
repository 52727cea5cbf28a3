/**
 * A surge on the real process: `cases` people write within `spreadMs` (every
 * `urgentEvery`-th one something urgent, the others /human), against the stand-in
 * Bot API with Telegram's limits (30/s per bot, about 1/s per chat, 20/min per
 * group, edits counted). Used by test/e2e/urgent-surge.test.ts and bench/desk-surge.ts.
 *
 * What staff can see of each urgent case, and when: the first group message that
 * shows its number (the "urgent now" board, its topic, or its card).
 */
import Database from "better-sqlite3";
import { join } from "node:path";
import { FakeBotApi, type ReceivedCall } from "./fake-bot-api.ts";
import { type BotProcess, spawnBot, TEST_TOKEN, waitFor } from "./spawn-bot.ts";

export const SURGE_STAFF = -1009000000077;

export interface SurgeRun {
  api: FakeBotApi;
  proc: BotProcess;
  /** when each urgent person wrote (stand-in clock), by user id */
  urgentAt: Map<number, number>;
  normalUsers: number[];
  /** case numbers shown in the group so far, with the first time each was shown */
  visible(): Map<number, number>;
  /** case number → user id, from the bot's database */
  caseUsers(): Map<number, number>;
  stop(): Promise<void>;
}

const URGENT_TEXTS = ["tolong saya disekap dan dipukul", "saya dikurung dan diancam, tolong", "help me, they locked me in and beat me", "paspor saya ditahan dan saya dipukul bos"];

/** Case numbers a group call shows: board lines "#12 · …", topic names "#12 🔴 …", cards "… Kasus #12". */
export function shownCases(c: ReceivedCall): number[] {
  if (!c.ok || Number(c.payload.chat_id) !== SURGE_STAFF) return [];
  if (c.method === "createForumTopic") {
    const m = /^#(\d+) 🔴/u.exec(String(c.payload.name ?? ""));
    return m ? [Number(m[1])] : [];
  }
  if (c.method !== "sendMessage" && c.method !== "editMessageText") return [];
  const text = String(c.payload.text ?? "");
  if (/^🚨 (MENDESAK SEKARANG|URGENT NOW)/u.test(text)) return [...text.matchAll(/^#(\d+) · /gmu)].map((m) => Number(m[1]));
  const card = /🔴 (?:MENDESAK|URGENT) · (?:Kasus|Case) #(\d+)/u.exec(text);
  return card ? [Number(card[1])] : [];
}

/** Group calls that count against the group's 20 a minute (messages and edits). */
export function groupCounted(c: ReceivedCall): boolean {
  return c.ok && Number(c.payload.chat_id) === SURGE_STAFF && ["sendMessage", "copyMessage", "createForumTopic", "editMessageText", "editMessageReplyMarkup"].includes(c.method);
}

/** The most group messages within any 60 s. */
export function maxPerMinute(calls: readonly ReceivedCall[]): number {
  const times = calls.filter(groupCounted).map((c) => c.at).sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; j < times.length; j++) {
    while ((times[j] as number) - (times[i] as number) >= 60_000) i++;
    best = Math.max(best, j - i + 1);
  }
  return best;
}

export async function startSurge(o: { dir: string; cases?: number; urgentEvery?: number; spreadMs?: number; env?: Record<string, string> }): Promise<SurgeRun> {
  const cases = o.cases ?? 60;
  const every = o.urgentEvery ?? 4;
  const spreadMs = o.spreadMs ?? 6_000;
  const api = new FakeBotApi({ token: TEST_TOKEN, groupPerMinute: 20, telegramLimits: { botPerSecond: 30, chatBurst: 6, chatWindowMs: 5_000 } });
  api.addGroup(SURGE_STAFF, { forum: true, members: [9001] });
  const root = await api.start();
  const proc = spawnBot({ BOT_TOKEN: TEST_TOKEN, BOT_API_ROOT: root, STAFF_CHAT_ID: String(SURGE_STAFF), DATA_DIR: o.dir, LOG_LEVEL: "warn", ...o.env });
  await waitFor(() => api.polls > 0, 30_000, `the bot polling\n${proc.output()}`);
  const urgentAt = new Map<number, number>();
  const normalUsers: number[] = [];
  for (let i = 0; i < cases; i++) {
    const user = { id: 7_100_000 + i, first_name: `Person${i}`, language_code: i % 3 === 0 ? "en" : "id" };
    if (i % every === 1) {
      urgentAt.set(user.id, api.now());
      api.userText(user, URGENT_TEXTS[i % URGENT_TEXTS.length] as string);
    } else {
      normalUsers.push(user.id);
      api.userText(user, "/human");
    }
    await new Promise((r) => setTimeout(r, spreadMs / cases));
  }
  return {
    api,
    proc,
    urgentAt,
    normalUsers,
    visible() {
      const seen = new Map<number, number>();
      for (const c of api.calls) for (const id of shownCases(c)) if (!seen.has(id)) seen.set(id, c.at);
      return seen;
    },
    caseUsers() {
      const db = new Database(join(o.dir, "jalan-pulang.db"), { readonly: true, fileMustExist: true });
      try {
        const rows = db.prepare("select id, user_id from desk_cases").all() as { id: number; user_id: number }[];
        return new Map(rows.map((r) => [Number(r.id), Number(r.user_id)]));
      } finally {
        db.close();
      }
    },
    async stop() {
      await proc.stop("SIGKILL");
      await api.close();
    },
  };
}

/** urgent message → first shown to staff, in ms, per urgent person (undefined: not yet) */
export function urgentDelays(run: SurgeRun): (number | undefined)[] {
  const seen = run.visible();
  const byUser = new Map<number, number>();
  for (const [caseId, userId] of run.caseUsers()) {
    const at = seen.get(caseId);
    if (at !== undefined) byUser.set(userId, at);
  }
  return [...run.urgentAt].map(([user, wrote]) => {
    const at = byUser.get(user);
    return at === undefined ? undefined : at - wrote;
  });
}
