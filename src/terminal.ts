/**
 * The offline chat: with no BOT_TOKEN in an interactive terminal, the same bot
 * runs here. Every reply is printed; buttons become numbered choices picked by
 * typing the number; commands work. Nothing is sent to Telegram.
 */
import { DEFAULT_LANG } from "./domain/lang.ts";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { type Bot, BotError } from "grammy";
import type { InlineKeyboardButton, KeyboardButton, Update } from "grammy/types";
import type { BotContext } from "./bot/context.ts";
import type { ApiCall, FakeTelegram } from "./bot/fake-api.ts";

export const TERMINAL_CHAT_ID = 1001;

type Choice = { label: string; update: (id: number) => Update };

export interface TerminalChat {
  /** handle one typed line; resolves when the bot has answered */
  input(line: string): Promise<void>;
  readonly choices: readonly Choice[];
}

export function createTerminalChat(
  bot: Bot<BotContext>,
  api: FakeTelegram,
  out: Writable,
  languageCode: string = DEFAULT_LANG,
): TerminalChat {
  // The database remembers handled update ids for a day (duplicates are skipped), and the
  // offline chat keeps its data between runs: number updates from the clock so that a new
  // run never reuses an id an earlier run has handled.
  let updateId = Date.now();
  let messageId = 1;
  let choices: Choice[] = [];
  const user = { id: TERMINAL_CHAT_ID, is_bot: false, first_name: "You", language_code: languageCode };
  const chat = { id: TERMINAL_CHAT_ID, type: "private" as const, first_name: "You" };
  const now = () => Math.floor(Date.now() / 1000);
  // Wrap at word boundaries to the terminal's width (a pipe gets the text unwrapped).
  const width = (out as { columns?: number; isTTY?: boolean }).isTTY ? ((out as { columns?: number }).columns ?? 0) : 0;
  const print = (s: string) => out.write(`${width >= 30 ? wrap(s, width - 1) : s}\n`);

  const messageUpdate = (text: string): Update => {
    const entities = text.startsWith("/")
      ? [{ type: "bot_command" as const, offset: 0, length: text.split(/\s/)[0]?.length ?? text.length }]
      : undefined;
    return {
      update_id: updateId++,
      message: { message_id: messageId++, date: now(), chat, from: user, text, ...(entities ? { entities } : {}) },
    } as Update;
  };

  const render = (call: ApiCall) => {
    const p = call.payload;
    if (call.method === "sendMessage" || call.method === "editMessageText") {
      print(`\n🤖 ${String(p.text ?? "")}`);
      const markup = p.reply_markup as
        | { inline_keyboard?: InlineKeyboardButton[][]; keyboard?: KeyboardButton[][]; remove_keyboard?: boolean }
        | undefined;
      // The choices are the buttons of the last message that has (or removes) any: a new
      // message without buttons clears them too, so a typed number never presses a button
      // the person can no longer see.
      const hasButtons = Boolean(markup?.inline_keyboard || markup?.keyboard);
      if (hasButtons || markup?.remove_keyboard || call.method === "sendMessage") choices = [];
      const fromMessage = typeof p.message_id === "number" ? p.message_id : messageId++;
      for (const b of (markup?.inline_keyboard ?? []).flat()) {
        if (!("callback_data" in b)) continue;
        const data = b.callback_data;
        choices.push({
          label: b.text,
          update: (id) =>
            ({
              update_id: id,
              callback_query: {
                id: String(id),
                from: user,
                chat_instance: "terminal",
                data,
                message: { message_id: fromMessage, date: now(), chat, text: String(p.text ?? "") },
              },
            }) as Update,
        });
      }
      for (const b of (markup?.keyboard ?? []).flat()) {
        const label = typeof b === "string" ? b : b.text;
        const location = typeof b !== "string" && "request_location" in b && b.request_location === true;
        choices.push({
          label: location ? `${label} (sends a sample location)` : label,
          update: (id) =>
            ({
              update_id: id,
              message: {
                message_id: messageId++,
                date: now(),
                chat,
                from: user,
                ...(location ? { location: { latitude: 11.5564, longitude: 104.9282 } } : { text: label }),
              },
            }) as Update,
        });
      }
      if (hasButtons) for (const [i, c] of choices.entries()) print(`   [${i + 1}] ${c.label}`);
    } else if (call.method === "sendVenue" || call.method === "sendLocation") {
      const lines = [`📍 ${String(p.title ?? "")}`, p.address ? `   ${String(p.address)}` : "", `   (${String(p.latitude)}, ${String(p.longitude)})`];
      print(`\n${lines.filter(Boolean).join("\n")}`);
    } else if (call.method === "answerCallbackQuery" && p.text) {
      print(`   (${String(p.text)})`);
    }
  };
  api.onCall = render;

  return {
    get choices() {
      return choices;
    },
    async input(raw: string) {
      const line = raw.trim();
      if (line === "") return;
      const n = /^\d{1,2}$/.test(line) ? Number(line) : Number.NaN;
      const choice = Number.isInteger(n) ? choices[n - 1] : undefined;
      const update = choice ? choice.update(updateId++) : messageUpdate(line);
      // No inbox here: an error (the database cannot be written, say) is answered, not retried.
      await bot.handleUpdate(update).catch((err: unknown) => (err instanceof BotError ? bot.errorHandler(err) : Promise.reject(err)));
    },
  };
}

/** Word-wrap each line to `width` columns (words longer than a line are cut). */
export function wrap(text: string, width: number): string {
  return text
    .split("\n")
    .map((line) => {
      const lead = /^\s*(?:[•-]\s+|\[\d+\]\s+)?/.exec(line)?.[0].replace(/\S/g, " ") ?? "";
      const indent = lead.length < width / 2 ? lead : "";
      const out: string[] = [];
      let current = "";
      for (const word of line.split(/(?<=\s)/)) {
        if (current.length + word.trimEnd().length > width && current.trim() !== "") {
          out.push(current.trimEnd());
          current = indent;
        }
        current += word;
        while (current.trimEnd().length > width) {
          out.push(current.slice(0, width));
          current = indent + current.slice(width).trimStart();
        }
      }
      out.push(current.trimEnd());
      return out.join("\n");
    })
    .join("\n");
}

export async function runTerminal(
  bot: Bot<BotContext>,
  api: FakeTelegram,
  input: Readable,
  out: Writable,
  languageCode?: string,
): Promise<void> {
  out.write(
    "Offline chat with the Jalan Pulang bot (no BOT_TOKEN is set, so nothing goes to Telegram).\n" +
      "Type a message or a command such as /start; pick a button by typing its number; Ctrl+D quits.\n",
  );
  const chat = createTerminalChat(bot, api, out, languageCode);
  const rl = createInterface({ input, terminal: false });
  const prompt = () => out.write("\n> ");
  // Take the lines from now on: lines that arrive while /start is answered (pasted or
  // piped input) would otherwise be lost.
  const lines = rl[Symbol.asyncIterator]();
  await chat.input("/start");
  prompt();
  for await (const line of { [Symbol.asyncIterator]: () => lines }) {
    await chat.input(line);
    prompt();
  }
  out.write("\n");
}
