/**
 * Fuzzing the whole bot: a seeded stream of every kind of update (texts, edits,
 * commands with odd arguments, forged and garbage callback data, stickers,
 * photos, voice, locations, contacts, polls, dice, chat-member changes, group
 * and channel posts, staff-group traffic from members and outsiders; huge and
 * odd Unicode texts, Object.prototype names as words) through bot.handleUpdate,
 * with the desk outbox drained along the way. It fails on any error-level log
 * line, any unhandled rejection, and any Bot API call Telegram would refuse
 * with 400 because of the bot's own mistake (checked by the stand-in API).
 * Some users have blocked the bot (403): that is logged at info, never error.
 *
 * FUZZ_N (default 2,000) and FUZZ_SEED choose the run; e.g. FUZZ_N=10000.
 */
import type { Update } from "grammy/types";
import { afterEach, expect, it } from "vitest";
import { createLogger } from "../../src/logger.ts";
import { createTestBot, type TestBot } from "../helpers/bot.ts";
import { deskOf, drainAll, STAFF, STAFF_CHAT } from "../helpers/desk.ts";

const LEVELS = new Map([["trace", 10], ["debug", 20], ["info", 30], ["warn", 40], ["error", 50], ["fatal", 60]]);
const N = Number(process.env.FUZZ_N ?? 2000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);

/** mulberry32: a small seeded PRNG */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T;
  return { next, int, pick };
}

const PROTO_WORDS = ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", "prototype", "__defineGetter__", "isPrototypeOf"];
const TEXTS = [
  "halo",
  "nomor kbri berapa",
  "paspor saya ditahan bos",
  "saya disekap dan dipukul, tolong",
  "the constructor beat me and locked me in, help",
  "my passport was taken, how do I go home",
  "berapa denda overstay",
  "saya mau pulang",
  "tlg sy gk pny paspor",
  "anak saya masih 16 tahun di sana",
  "saya mau bunuh diri",
  "ya",
  "tidak",
  "batal",
  "1",
  "2",
  "kembali",
  "👍",
  "\u202egnp.exe",
  "\u200b\u200b\u200b",
  "ẞ\u0000\u0007 \ud83d\ude4f control characters",
  "Ｆｕｌｌｗｉｄｔｈ ｔｅｘｔ",
  "مرحبا أحتاج مساعدة",
  "我需要帮助 护照",
  "<b>bold</b> *md* _x_ [link](http://x) `code`",
  "{{f.kbri_hotline_protection}} $t(common:error) %s %n",
  "a".repeat(4096),
  "🙏".repeat(2048),
  "kata ".repeat(900),
];
const COMMANDS = ["/start", "/help", "/menu", "/language", "/bahasa", "/forget", "/settings", "/human", "/passport", "/pulang", "/keluarga", "/mychecklist", "/cancel", "/cases", "/case", "/note", "/unknown", "/start@jalan_pulang_bot", "/"];
const ARGS = ["", " en", " id", " xx", " constructor", " __proto__", " #1", " 99999999999999999999", " -1", " 1e9", " " + "z".repeat(500), " \u0000", " @someone"];
const CALLBACKS = ["m", "h", "lp", "l:id", "l:en", "l:constructor", "l:__proto__", "t:constructor", "t:__proto__", "t:toString", "t:embassy_contact", "fa", "fy", "fn", "st", "fs:passport", "fs:constructor", "fs:__proto__", "fl:x", "fl:constructor:0", "fl:__proto__:b", "fl:pp.doc:999", "fl:pp.doc:-1", "fl:::", "dk:c:1", "dk:r:1", "dk:o:1", "dk:b:1", "dk:c:999999999999", "dk:x:1", "dk:cs:y", "dk:cs:yn", "dk:cs:n", "dk:cs:constructor", "dc:y", "dc:n", "", ":", "\u0000", "constructor", "__proto__", "x".repeat(64), "t:", "l:"];

interface Ctx {
  r: ReturnType<typeof prng>;
  users: { id: number; first_name: string; language_code: string; username?: string }[];
  messageId: number;
  updateId: number;
  /** message ids the bot may later edit or copy, per chat */
}

/** Telegram delivers texts of 1 to 4096 characters (UTF-16 units), never an empty one. */
function textOf(r: Ctx["r"]): string {
  let t = rawTextOf(r).slice(0, 4096);
  if (/[\ud800-\udbff]$/.test(t)) t = t.slice(0, -1); // valid UTF-8 only: no half of a pair
  return t === "" ? "." : t;
}

function rawTextOf(r: Ctx["r"]): string {
  const base = r.pick(TEXTS);
  switch (r.int(6)) {
    case 0:
      return `${base} ${r.pick(PROTO_WORDS)}`;
    case 1:
      return r.pick(PROTO_WORDS);
    case 2:
      // any code point but the surrogate range (Telegram sends valid UTF-8)
      return Array.from({ length: 1 + r.int(20) }, () => {
        const cp = r.int(0x2ffff) + 1;
        return String.fromCodePoint(cp >= 0xd800 && cp <= 0xdfff ? cp + 0x800 : cp);
      }).join("");
    default:
      return base;
  }
}

function privateMessage(c: Ctx, extra: Record<string, unknown>, user = c.r.pick(c.users)) {
  return {
    message_id: c.messageId++,
    date: Math.floor(Date.now() / 1000),
    chat: { id: user.id, type: "private", first_name: user.first_name },
    from: { id: user.id, is_bot: false, first_name: user.first_name, language_code: user.language_code, ...(user.username ? { username: user.username } : {}) },
    ...extra,
  };
}

function groupMessage(c: Ctx, chatId: number, extra: Record<string, unknown>, from: { id: number; first_name: string }) {
  const forum = chatId === STAFF_CHAT;
  const thread = forum && c.r.next() < 0.7 ? 500 + c.r.int(8) : undefined;
  return {
    message_id: c.messageId++,
    date: Math.floor(Date.now() / 1000),
    chat: { id: chatId, type: "supergroup", title: "G", ...(forum ? { is_forum: true } : {}) },
    from: { is_bot: false, ...from },
    ...(thread ? { message_thread_id: thread, is_topic_message: true } : {}),
    ...extra,
  };
}

const entitiesFor = (text: string) => (text.startsWith("/") ? { entities: [{ type: "bot_command", offset: 0, length: text.split(/\s/)[0]?.length ?? 1 }] } : {});

/** One random update of any kind. */
function randomUpdate(c: Ctx): Update {
  const r = c.r;
  const id = c.updateId++;
  const kind = r.int(22);
  const user = r.pick(c.users);
  const media: Record<string, unknown>[] = [
    { sticker: { file_id: "s", file_unique_id: "s", type: "regular", width: 1, height: 1, is_animated: false, is_video: false } },
    { photo: [{ file_id: "p", file_unique_id: "p", width: 1, height: 1 }], ...(r.next() < 0.5 ? { caption: textOf(r) } : {}) },
    { voice: { file_id: "v", file_unique_id: "v", duration: 3 } },
    { location: { latitude: 11.55 + r.next(), longitude: 104.9 + r.next() } },
    { contact: { phone_number: "+6281234567890", first_name: "Kontak" } },
    { poll: { id: "p1", question: "?", options: [{ text: "a", voter_count: 0 }], total_voter_count: 0, is_closed: false, is_anonymous: true, type: "regular", allows_multiple_answers: false } },
    { dice: { emoji: "🎲", value: 1 + r.int(6) } },
    { document: { file_id: "d", file_unique_id: "d", mime_type: r.pick(["image/png", "application/pdf"]) } },
    { venue: { location: { latitude: 11.5, longitude: 104.9 }, title: "KBRI", address: "Phnom Penh" } },
  ];
  switch (kind) {
    case 0:
    case 1:
    case 2:
    case 3:
    case 4: {
      const text = textOf(r);
      return { update_id: id, message: privateMessage(c, { text, ...entitiesFor(text) }, user) } as unknown as Update;
    }
    case 5:
    case 6: {
      const text = `${r.pick(COMMANDS)}${r.pick(ARGS)}`;
      return { update_id: id, message: privateMessage(c, { text, ...entitiesFor(text) }, user) } as unknown as Update;
    }
    case 7:
      return { update_id: id, edited_message: { ...privateMessage(c, { text: textOf(r) }, user), edit_date: Math.floor(Date.now() / 1000) } } as unknown as Update;
    case 8:
    case 9:
    case 10: {
      const data = r.next() < 0.85 ? r.pick(CALLBACKS) : textOf(r).slice(0, 64);
      return {
        update_id: id,
        callback_query: {
          id: String(id),
          from: { id: user.id, is_bot: false, first_name: user.first_name, language_code: user.language_code },
          chat_instance: "ci",
          data,
          ...(r.next() < 0.9 ? { message: privateMessage(c, { text: "…" }, user) } : { inline_message_id: "im" }),
        },
      } as unknown as Update;
    }
    case 11:
    case 12:
      return { update_id: id, message: privateMessage(c, r.pick(media), user) } as unknown as Update;
    case 13:
      return {
        update_id: id,
        my_chat_member: {
          chat: r.next() < 0.5 ? { id: user.id, type: "private", first_name: user.first_name } : { id: -100555000 - r.int(5), type: "supergroup", title: "Other" },
          from: { id: user.id, is_bot: false, first_name: user.first_name },
          date: 0,
          old_chat_member: { status: "member", user: { id: 1, is_bot: true, first_name: "bot" } },
          new_chat_member: { status: r.pick(["member", "kicked", "left", "administrator"]), user: { id: 1, is_bot: true, first_name: "bot" } },
        },
      } as unknown as Update;
    case 14:
      return { update_id: id, message: groupMessage(c, -100555000 - r.int(5), { text: textOf(r) }, user) } as unknown as Update;
    case 15:
      return {
        update_id: id,
        channel_post: { message_id: c.messageId++, date: 0, chat: { id: -100777000, type: "channel", title: "C" }, text: textOf(r) },
      } as unknown as Update;
    case 16:
    case 17:
    case 18: {
      // the staff group: members (STAFF) and outsiders; commands, replies, media, forged buttons
      const from = r.next() < 0.7 ? STAFF : { id: 666_000 + r.int(3), first_name: "Outsider" };
      if (r.next() < 0.35) {
        const data = r.next() < 0.8 ? `dk:${r.pick(["c", "r", "o", "b"])}:${r.pick([1, 2, 3, 5, 8, 13, 999999])}` : r.pick(CALLBACKS);
        return {
          update_id: id,
          callback_query: { id: String(id), from: { is_bot: false, ...from }, chat_instance: "staff", data, message: groupMessage(c, STAFF_CHAT, { text: "card" }, from) },
        } as unknown as Update;
      }
      const body = r.next() < 0.6 ? (() => {
        const text = r.next() < 0.4 ? `${r.pick(["/cases", "/case", "/note", "/start", "/forget"])}${r.pick(ARGS)}` : textOf(r);
        return { text, ...entitiesFor(text) };
      })() : r.pick(media);
      return { update_id: id, message: groupMessage(c, STAFF_CHAT, body, from) } as unknown as Update;
    }
    case 19:
      return { update_id: id, edited_message: { ...groupMessage(c, STAFF_CHAT, { text: textOf(r) }, STAFF), edit_date: 0 } } as unknown as Update;
    default: {
      // a burst from one user: an urgent text then more
      const text = r.pick(["saya disekap dan dipukul, tolong", "tolong saya dikurung", "help they beat me", textOf(r)]);
      return { update_id: id, message: privateMessage(c, { text }, user) } as unknown as Update;
    }
  }
}

/** What Telegram would refuse with 400 because of how the bot built the call. */
function badRequest(method: string, p: Record<string, unknown>): string | undefined {
  const textLen = (v: unknown) => [...String(v ?? "")].length;
  if ("chat_id" in p && (p.chat_id === undefined || p.chat_id === null || p.chat_id === "")) return "chat_id is empty";
  if (method === "sendMessage" || method === "editMessageText") {
    if (typeof p.text !== "string" || p.text.trim() === "") return "message text is empty";
    if (p.text.length > 4096) return "message is too long"; // Telegram counts UTF-16 units
    if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(p.text)) return "text must be encoded in UTF-8";
  }
  if (method === "answerCallbackQuery" && p.text !== undefined && textLen(p.text) > 200) return "callback answer text too long";
  if (method === "createForumTopic" && (textLen(p.name) < 1 || textLen(p.name) > 128)) return "topic name invalid";
  const markup = p.reply_markup as { inline_keyboard?: { text?: string; callback_data?: string }[][] } | undefined;
  for (const row of markup?.inline_keyboard ?? []) {
    for (const b of row) {
      if (!b.text) return "button text empty";
      if (b.callback_data !== undefined && (Buffer.byteLength(b.callback_data) < 1 || Buffer.byteLength(b.callback_data) > 64)) return "BUTTON_DATA_INVALID";
    }
  }
  if ((method === "copyMessage" || method === "forwardMessage") && (p.from_chat_id === undefined || p.message_id === undefined)) return "message to copy not specified";
  return undefined;
}

let tb: TestBot | undefined;
afterEach(async () => {
  await tb?.close();
  tb = undefined;
});

it(`fuzz: ${N} random updates (seed ${SEED}): no error log, no unhandled rejection, no 400 from the bot's own mistakes`, async () => {
  const lines: { level: number; msg: string; line: string }[] = [];
  const logger = createLogger("info", {
    write(line: string) {
      const o = JSON.parse(line) as { level: string; msg: string };
      lines.push({ level: LEVELS.get(o.level) ?? 60, msg: o.msg, line });
    },
  } as never);
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => void unhandled.push(reason);
  process.on("unhandledRejection", onUnhandled);
  try {
    tb = await createTestBot({ logger, env: { STAFF_CHAT_ID: String(STAFF_CHAT), STAFF_ONCALL: "@oncall" } });
    const t = tb;
    const r = prng(SEED);
    const users = Array.from({ length: 120 }, (_, i) => ({
      id: 8_100_000 + i,
      first_name: r.pick(["Ani", "Budi", "constructor", "__proto__", "Ṡïtï", "🙂", "x".repeat(64)]),
      language_code: r.pick(["id", "en", "ms", "", "constructor", "zh-hans"]),
      ...(r.next() < 0.3 ? { username: `u${i}` } : {}),
    }));
    const blocked = new Set(users.filter(() => r.next() < 0.05).map((u) => u.id));
    const bad: string[] = [];
    t.api.responder = (call) => {
      const why = badRequest(call.method, call.payload);
      if (why) {
        bad.push(`${call.method}: ${why}`);
        return { ok: false, error_code: 400, description: `Bad Request: ${why}` };
      }
      if (blocked.has(Number(call.payload.chat_id))) return { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" };
      return undefined;
    };
    const c: Ctx = { r, users, messageId: 1, updateId: 10_000_000 };
    const kinds = new Map<string, number>();
    for (let i = 0; i < N; i++) {
      const u = randomUpdate(c);
      const k = Object.keys(u).find((x) => x !== "update_id") ?? "?";
      kinds.set(k, (kinds.get(k) ?? 0) + 1);
      await t.deliver(u); // as in production: stored in the inbox, then handled from it
      if (i % 50 === 49) {
        t.clock.now += 60_000; // time passes: escalations, held relays, pacing
        await deskOf(t).escalate();
        await drainAll(t);
      }
    }
    await drainAll(t);
    const errors = lines.filter((l) => l.level >= 50);
    const blockedInfo = lines.filter((l) => l.level === 30 && /blocked|undeliverable|unreachable/.test(l.msg)).length;
    const calls = t.api.calls.length;
    process.stdout.write(
      `[fuzz] seed ${SEED}: ${N} updates (${[...kinds].map(([k, n]) => `${k} ${n}`).join(", ")}); ${calls} API calls; ` +
        `errors ${errors.length}, unhandled rejections ${unhandled.length}, bot-caused 400s ${bad.length}, blocked-user lines at info ${blockedInfo}; ` +
        `cases ${(await t.deps.repos.cases.listOpen(10_000)).length} open\n`,
    );
    expect(errors.map((e) => e.line.slice(0, 400))).toEqual([]);
    expect(unhandled).toEqual([]);
    expect(bad).toEqual([]); // e.g. "sendMessage: message is too long"
    expect(t.pending.size()).toBe(0); // nothing waits for another try
    expect(await t.deps.repos.inbox.count()).toBe(0); // every update handled
  } finally {
    process.off("unhandledRejection", onUnhandled);
  }
}, 600_000);
