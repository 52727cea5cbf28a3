/**
 * Two real bot processes behind one webhook, sharing one PostgreSQL, give the
 * same result as one process: 1,000 interleaved updates for 5 chats, sent
 * alternately to both (per chat in order, chats at the same time), some
 * delivered to both at once and some re-delivered later to the other instance.
 * The replies per chat (order and count) and the stored sessions must equal what
 * one in-process bot gives for the same sequence, and no update takes effect twice.
 *
 * Needs a PostgreSQL server: DATABASE_URL (CI sets it), else the local default.
 * Skipped, saying so, only when no server answers.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Update } from "grammy/types";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeBotApi } from "../helpers/fake-bot-api.ts";
import { createTestBot } from "../helpers/bot.ts";
import { type BotProcess, freePort, spawnBot, TEST_TOKEN, waitReady } from "../helpers/spawn-bot.ts";
import { postgresReachable } from "../helpers/databases.ts";

const PG_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

const HAVE_PG = await postgresReachable(PG_URL, 2000);

const CHATS = [610_001, 610_002, 610_003, 610_004, 610_005];
const ROUNDS = 200; // 5 chats × 200 = 1,000 updates
const SECRET = "multi_instance_secret_0123456789";

type Action = { text: string } | { press: string };
// Each action answers with at least one message; several change the session (language, welcome, danger check).
const SCRIPT: Action[] = [
  { text: "/start" },
  { text: "halo" },
  { press: "t:passport" },
  { text: "paspor saya hilang" },
  { press: "l:en" },
  { text: "how can I go home" },
  { press: "m" },
  { text: "terima kasih" },
  { press: "st" },
  { press: "fn" },
  { press: "l:id" },
  { text: "/menu" },
  { text: "nomor kbri berapa" },
  { text: "tolong" },
  { text: "🙂" },
];

function buildUpdates(): Map<number, Update[]> {
  const perChat = new Map<number, Update[]>(CHATS.map((c) => [c, []]));
  let id = 5_000_000;
  let messageId = 1;
  for (let r = 0; r < ROUNDS; r++) {
    for (const chat of CHATS) {
      const a = SCRIPT[(r + chat) % SCRIPT.length]!;
      const from = { id: chat, is_bot: false, first_name: "U", language_code: "id" };
      const msg = { message_id: messageId++, date: 1_767_000_000, chat: { id: chat, type: "private" as const, first_name: "U" } };
      const update_id = id++;
      perChat.get(chat)!.push(
        "text" in a
          ? ({
              update_id,
              message: {
                ...msg,
                from,
                text: a.text,
                ...(a.text.startsWith("/") ? { entities: [{ type: "bot_command", offset: 0, length: a.text.length }] } : {}),
              },
            } as Update)
          : ({
              update_id,
              callback_query: { id: `cb${update_id}`, from, chat_instance: "ci", data: a.press, message: { ...msg, text: "…" } },
            } as Update),
      );
    }
  }
  return perChat;
}

interface Outcome {
  texts: Map<number, string[]>;
  sessions: Map<number, unknown>;
  callbackAnswers: number;
}

/** What ONE in-process instance gives for the same updates, handled in order. */
async function oneInstance(perChat: Map<number, Update[]>): Promise<Outcome> {
  const tb = await createTestBot();
  try {
    for (const [, updates] of perChat) for (const u of updates) await tb.bot.handleUpdate(structuredClone(u));
    const texts = new Map(CHATS.map((c) => [c, tb.api.textsTo(c)]));
    const sessions = new Map<number, unknown>();
    for (const c of CHATS) sessions.set(c, await tb.deps.repos.kv.get(`session:${c}`));
    return { texts, sessions, callbackAnswers: tb.api.sent("answerCallbackQuery").length };
  } finally {
    await tb.close();
  }
}

describe("several instances behind one webhook, one PostgreSQL", () => {
  let api: FakeBotApi | undefined;
  let procs: BotProcess[] = [];
  let admin: pg.Pool | undefined;
  let schema = "";
  let dataDir = "";
  let ports: number[] = [];

  beforeAll(async () => {
    if (!HAVE_PG) return;
    admin = new pg.Pool({ connectionString: PG_URL, max: 1 });
    schema = `mi_${process.pid}_${Date.now().toString(36)}`;
    await admin.query(`create schema ${schema}`);
    api = new FakeBotApi({ token: TEST_TOKEN });
    await api.start();
    // webhook mode: the updates never pass through the fake, so it learns the chats here
    for (const c of CHATS) api.chats.set(c, []);
    dataDir = mkdtempSync(join(tmpdir(), "jp-mi-"));
    ports = [await freePort(), await freePort()];
    const sep = PG_URL.includes("?") ? "&" : "?";
    const databaseUrl = `${PG_URL}${sep}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    procs = ports.map((port) =>
      spawnBot({
        BOT_TOKEN: TEST_TOKEN,
        BOT_API_ROOT: api!.url,
        WEBHOOK_URL: `http://127.0.0.1:${port}/hook`,
        WEBHOOK_SECRET: SECRET,
        PORT: String(port),
        HOST: "127.0.0.1",
        DATABASE_URL: databaseUrl,
        DATA_DIR: dataDir,
        // this stand-in has no per-chat limit, and the test writes faster than a person
        PRIVATE_CHAT_PER_MINUTE: "60000",
      }),
    );
    await Promise.all(procs.map((p, i) => waitReady(`http://127.0.0.1:${ports[i]}/readyz`, p)));
  }, 60_000);

  afterAll(async () => {
    for (const p of procs) p.kill();
    await Promise.all(procs.map((p) => p.exited));
    await api?.close();
    if (admin) {
      await admin.query(`drop schema if exists ${schema} cascade`).catch(() => undefined);
      await admin.end();
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it.skipIf(!HAVE_PG)(
    "1,000 interleaved updates to two processes equal one instance's result; duplicates take effect once; SIGTERM exits 0",
    async () => {
      const perChat = buildUpdates();
      const expected = await oneInstance(perChat);

      // Both instances called setWebhook with the secret and the allowed updates.
      const hooks = api!.sent("setWebhook");
      expect(hooks).toHaveLength(2);
      for (const h of hooks) {
        expect(h.payload.secret_token).toBe(SECRET);
        expect(h.payload.allowed_updates).toEqual(expect.arrayContaining(["message", "callback_query"]));
      }
      api!.clear();

      const post = async (instance: number, u: Update): Promise<void> => {
        const res = await fetch(`http://127.0.0.1:${ports[instance]}/hook`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET },
          body: JSON.stringify(u),
        });
        expect(res.status).toBe(200);
        await res.arrayBuffer();
      };
      let duplicatesSent = 0;
      await Promise.all(
        CHATS.map(async (chat, c) => {
          const updates = perChat.get(chat)!;
          for (let r = 0; r < updates.length; r++) {
            const u = updates[r]!;
            const target = (r + c) % 2;
            if (r % 7 === 3) {
              // Telegram retried while the first delivery was still running: both get it at once.
              await Promise.all([post(0, u), post(1, u)]);
              duplicatesSent++;
            } else {
              await post(target, u);
            }
            if (r % 11 === 5) {
              // A late re-delivery of an earlier update, to the other instance.
              await post(1 - target, updates[r - 3]!);
              duplicatesSent++;
            }
          }
        }),
      );
      expect(duplicatesSent).toBeGreaterThan(100);

      // A 200 means "stored"; the handling follows from the inbox. The two instances share one send
      // budget (25 a second for the bot, through the send log), so the replies take a minute or so.
      for (const chat of CHATS) {
        await expect.poll(() => api!.textsTo(chat).length, { timeout: 150_000, interval: 100 }).toBeGreaterThanOrEqual(expected.texts.get(chat)!.length);
      }
      for (const chat of CHATS) {
        const got = api!.textsTo(chat);
        expect(got.length).toBe(expected.texts.get(chat)!.length);
        expect(got).toEqual(expected.texts.get(chat));
      }
      await expect.poll(() => api!.sent("answerCallbackQuery").length, { timeout: 10_000 }).toBe(expected.callbackAnswers);

      // Stored state: the same sessions, every update remembered once, one users row per chat.
      const q = (text: string) => admin!.query(text.replaceAll("$schema", schema));
      const sessions = await q("select key, value from $schema.kv where key like 'session:%'");
      const byChat = new Map(sessions.rows.map((r: { key: string; value: string }) => [Number(r.key.slice(8)), JSON.parse(r.value)]));
      for (const chat of CHATS) expect(byChat.get(chat)).toEqual(expected.sessions.get(chat));
      const processed = await q("select count(*)::int as n from $schema.processed_updates");
      expect(processed.rows[0].n).toBe(CHATS.length * ROUNDS);
      const users = await q("select id from $schema.users order by id");
      expect(users.rows.map((r: { id: string }) => Number(r.id))).toEqual(CHATS);

      // Both instances really took part.
      for (const port of ports) {
        const m = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        const n = Number(/^bot_updates_total\{type="message"\} (\d+)$/m.exec(m)?.[1] ?? 0);
        expect(n).toBeGreaterThan(100);
      }

      // Graceful shutdown of both: exit 0, well within 10 s.
      const t0 = Date.now();
      for (const p of procs) p.child.kill("SIGTERM");
      const codes = await Promise.all(procs.map((p) => p.exited));
      expect(codes).toEqual([0, 0]);
      expect(Date.now() - t0).toBeLessThan(10_000);
    },
    300_000,
  );
});
