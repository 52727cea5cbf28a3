/**
 * The command lists Telegram shows in the "/" menu: one per language for private
 * chats (Indonesian is also the default for every other language), and the staff
 * commands in the staff group only, in the staff language (STAFF_LANGUAGE). Descriptions come from locales/<lang>/commands.json.
 */
import type { Api } from "grammy";
import type { BotCommand } from "grammy/types";
import { DEFAULT_LANG, LANGS, type Lang } from "../domain/lang.ts";
import type { Translator } from "../i18n.ts";

/**
 * The one table of commands: what each does (the key), every name it answers
 * to (aliases in any language), and which names the "/" menu shows. Handlers
 * register `commandNames(key)`; the menus are built from `menu`.
 */
export const COMMANDS = {
  sos: { names: ["sos", "darurat", "bahaya", "danger"], menu: ["sos", "darurat"], staff: false },
  start: { names: ["start"], menu: ["start"], staff: false },
  menu: { names: ["menu"], menu: ["menu"], staff: false },
  human: { names: ["human", "manusia", "orang", "staff", "petugas"], menu: ["human"], staff: false },
  passport: { names: ["passport", "paspor", "splp"], menu: ["passport"], staff: false },
  going_home: { names: ["pulang", "gohome", "going_home", "home"], menu: ["pulang"], staff: false },
  family: { names: ["keluarga", "family"], menu: ["keluarga"], staff: false },
  mychecklist: { names: ["mychecklist", "checklist", "checklistsaya", "rencana", "myplan"], menu: ["mychecklist"], staff: false },
  language: { names: ["language", "bahasa", "lang"], menu: ["language"], staff: false },
  cancel: { names: ["cancel", "batal", "stop", "berhenti"], menu: ["cancel"], staff: false },
  settings: { names: ["settings", "privacy", "privasi"], menu: ["settings"], staff: false },
  forget: { names: ["forget", "hapus", "delete"], menu: ["forget"], staff: false },
  sources: { names: ["sources", "sumber", "source"], menu: ["sources"], staff: false },
  help: { names: ["help"], menu: ["help"], staff: false },
  // in the staff group only
  cases: { names: ["cases"], menu: ["cases"], staff: true },
  case: { names: ["case"], menu: ["case"], staff: true },
  send: { names: ["send"], menu: ["send"], staff: true },
  note: { names: ["note"], menu: ["note"], staff: true },
  followup: { names: ["followup", "tindaklanjut"], menu: ["followup"], staff: true },
  stats: { names: ["stats"], menu: ["stats"], staff: true },
  export: { names: ["export"], menu: ["export"], staff: true },
} as const satisfies Record<string, { names: readonly string[]; menu: readonly string[]; staff: boolean }>;

export type CommandKey = keyof typeof COMMANDS;

/** Every name a command answers to: what a handler registers. */
export function commandNames(key: CommandKey): string[] {
  return [...COMMANDS[key].names];
}

type Entry = (typeof COMMANDS)[CommandKey];
const entries = Object.values(COMMANDS) as Entry[];

/** Commands offered to users in the "/" menu, in menu order. */
export const USER_COMMANDS: readonly string[] = entries.filter((c) => !c.staff).flatMap((c) => c.menu);

export const STAFF_COMMANDS: readonly string[] = entries.filter((c) => c.staff).flatMap((c) => c.menu);

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
