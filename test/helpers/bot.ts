/**
 * A test bot: the real createBot over a real database (SQLite by default), with
 * the Bot API replaced by FakeTelegram (which records every call, also those
 * made inside conversations). Updates go through bot.handleUpdate.
 */
import type { Update } from "grammy/types";
import pino from "pino";
import type { Logger } from "../../src/logger.ts";
import type { BotDeps } from "../../src/bot/context.ts";
import { FAKE_BOT_INFO, FakeTelegram } from "../../src/bot/fake-api.ts";
import { createBot, type JalanPulangBot } from "../../src/bot/index.ts";
import { createIntake, type Intake } from "../../src/bot/intake.ts";
import { createConfig } from "../../src/config.ts";
import { createContainer } from "../../src/container.ts";
import { openTestDatabase, type TestDatabase, type TestDbKind } from "./databases.ts";

export const USER_ID = 424242;

export interface TestBot extends JalanPulangBot {
  api: FakeTelegram;
  deps: BotDeps;
  db: TestDatabase;
  clock: { now: number };
  /** the durable intake over this bot, as main.ts builds it (the one retry layer); no sweeper running */
  intake: Intake;
  /**
   * as a polling delivery: stored in the inbox, then handled from there; resolves when handled
   * (or kept in the inbox). Resolves false when it could not be stored (the person got the
   * hotlines; Telegram would deliver it again).
   */
  deliver(update: Update): Promise<boolean>;
  /** a private text message from `from` (default USER_ID, language "id") */
  send(text: string, from?: Partial<TestUser>): Promise<void>;
  /** press an inline button */
  press(data: string, from?: Partial<TestUser>): Promise<void>;
  handle(update: Omit<Update, "update_id"> & { update_id?: number }): Promise<void>;
  /** texts sent to a chat since the last clear */
  replies(chatId?: number): string[];
  /** callback_data of all inline buttons in the last message to a chat */
  lastButtons(chatId?: number): string[];
  close(): Promise<void>;
}

export interface TestUser {
  id: number;
  first_name: string;
  language_code: string;
}

let nextUpdateId = 1;
let nextMessageId = 1;

export function textUpdate(text: string, from: TestUser): Update {
  const entities = text.startsWith("/")
    ? [{ type: "bot_command" as const, offset: 0, length: text.split(/\s/)[0]?.length ?? text.length }]
    : undefined;
  return {
    update_id: nextUpdateId++,
    message: {
      message_id: nextMessageId++,
      date: Math.floor(Date.now() / 1000),
      chat: { id: from.id, type: "private", first_name: from.first_name },
      from: { id: from.id, is_bot: false, first_name: from.first_name, language_code: from.language_code },
      text,
      ...(entities ? { entities } : {}),
    },
  } as Update;
}

export function callbackUpdate(data: string, from: TestUser): Update {
  return {
    update_id: nextUpdateId++,
    callback_query: {
      id: String(nextUpdateId),
      from: { id: from.id, is_bot: false, first_name: from.first_name, language_code: from.language_code },
      chat_instance: "test",
      data,
      message: {
        message_id: nextMessageId++,
        date: Math.floor(Date.now() / 1000),
        chat: { id: from.id, type: "private", first_name: from.first_name },
        text: "…",
      },
    },
  } as Update;
}

export interface TestBotOptions {
  db?: TestDbKind;
  /** reuse an open database (restart tests) */
  database?: TestDatabase;
  env?: Record<string, string>;
  now?: number;
  /** a logger (default: silent), e.g. createLogger("debug", captureStream) */
  logger?: Logger;
}

export async function createTestBot(options: TestBotOptions = {}): Promise<TestBot> {
  const db = options.database ?? (await openTestDatabase(options.db ?? "sqlite"));
  const config = createConfig({ BOT_TOKEN: "123456:TEST_TOKEN_abcdefghijklmnopqrstuvwxyz", ...options.env });
  const clock = { now: options.now ?? Date.now() };
  const deps = await createContainer(config, options.logger ?? pino({ level: "silent" }), { database: db.database, now: () => clock.now });
  const api = new FakeTelegram(FAKE_BOT_INFO);
  const made = createBot(deps, { token: config.BOT_TOKEN ?? "0:x", botInfo: FAKE_BOT_INFO, fetch: api.fetch });
  const user = (from?: Partial<TestUser>): TestUser => ({ id: USER_ID, first_name: "Tester", language_code: "id", ...from });
  const handle = async (u: Omit<Update, "update_id"> & { update_id?: number }) => {
    await made.bot.handleUpdate({ update_id: u.update_id ?? nextUpdateId++, ...u } as Update);
  };
  const intake = createIntake({
    bot: made.bot,
    inbox: deps.repos.inbox,
    logger: deps.logger,
    translator: deps.translator,
    pending: made.pending,
    storageHealth: deps.storageHealth,
    now: () => clock.now,
  });
  const deliver = async (u: Update) => {
    try {
      await intake.store([u]);
    } catch {
      await intake.fallback(u); // not stored: as polling does, the hotlines (and Telegram keeps it)
      return false;
    }
    await intake.dispatch(u);
    return true;
  };
  return {
    ...made,
    api,
    deps,
    db,
    clock,
    intake,
    deliver,
    handle,
    send: (text, from) => made.bot.handleUpdate(textUpdate(text, user(from))),
    press: (data, from) => made.bot.handleUpdate(callbackUpdate(data, user(from))),
    replies: (chatId = USER_ID) => api.textsTo(chatId),
    lastButtons(chatId = USER_ID) {
      const last = api.calls.filter((c) => c.method === "sendMessage" && c.payload.chat_id === chatId).at(-1);
      const kb = (last?.payload.reply_markup as { inline_keyboard?: { callback_data?: string }[][] } | undefined)
        ?.inline_keyboard;
      return (kb ?? []).flat().flatMap((b) => (b.callback_data ? [b.callback_data] : []));
    },
    async close() {
      if (!options.database) await db.cleanup();
    },
  };
}
