/**
 * The command lists Telegram shows in the "/" menu: one per language for private
 * chats (Indonesian is also the default for every other language), and the staff
 * commands in the staff group only, in the staff language (STAFF_LANGUAGE). Descriptions come from locales/<lang>/commands.json.
 */
import type { Api } from "grammy";
import type { BotCommand } from "grammy/types";
import { DEFAULT_LANG, LANGS, type Lang } from "../domain/lang.ts";
import type { Translator } from "../i18n.ts";

/** Commands offered to users, in menu order (each has aliases the handlers also accept). */
export const USER_COMMANDS = [
  "sos",
  "darurat",
  "start",
  "menu",
  "human",
  "passport",
  "pulang",
  "keluarga",
  "mychecklist",
  "language",
  "cancel",
  "settings",
  "forget",
  "sources",
  "help",
] as const;

export const STAFF_COMMANDS = ["cases", "case", "send", "note", "followup", "stats", "export"] as const;

export function userCommands(translator: Translator, lang: Lang): BotCommand[] {
  const t = translator.t(lang);
  return USER_COMMANDS.map((command) => ({ command, description: t(`commands:${command}`) }));
}

export function staffCommands(translator: Translator, lang: Lang = DEFAULT_LANG): BotCommand[] {
  const t = translator.t(lang);
  return STAFF_COMMANDS.map((command) => ({ command, description: t(`commands:staff_${command}`) }));
}

/** Publish the lists. Failures are the caller's to log: the bot works without them. */
export async function publishCommands(api: Api, translator: Translator, staffChatId?: number, staffLang: Lang = DEFAULT_LANG): Promise<void> {
  const scope = { type: "all_private_chats" } as const;
  await api.setMyCommands(userCommands(translator, DEFAULT_LANG), { scope });
  for (const lang of LANGS) await api.setMyCommands(userCommands(translator, lang), { scope, language_code: lang });
  if (staffChatId !== undefined) {
    await api.setMyCommands(staffCommands(translator, staffLang), { scope: { type: "chat", chat_id: staffChatId } });
  }
}
