/**
 * The bot's languages, derived from the one registry (src/domain/languages.ts).
 * The first registered language is the default.
 */
import { type LanguageEntry, LANGUAGES } from "./languages.ts";

export type Lang = (typeof LANGUAGES)[number]["code"];
export const LANGS: readonly Lang[] = LANGUAGES.map((l) => l.code);
export const DEFAULT_LANG: Lang = LANGS[0] as Lang;

const BY_CODE = new Map<string, LanguageEntry>(LANGUAGES.map((l) => [l.code, l]));
const BY_TELEGRAM = new Map<string, Lang>(
  LANGUAGES.flatMap((l: LanguageEntry) => [l.code, ...(l.telegramCodes ?? [])].map((c) => [c, l.code as Lang] as const)),
);

export function isLang(v: unknown): v is Lang {
  return typeof v === "string" && BY_CODE.has(v);
}

/** The registry entry of a language. */
export function languageOf(lang: Lang): LanguageEntry {
  return BY_CODE.get(lang) ?? (BY_CODE.get(DEFAULT_LANG) as LanguageEntry);
}

/** Telegram language_code (e.g. "id", "en-GB", "in") to a bot language; anything else is the default. */
export function langFromCode(code: string | undefined): Lang {
  if (!code) return DEFAULT_LANG;
  const base = code.toLowerCase().split(/[-_]/)[0] ?? "";
  return BY_TELEGRAM.get(base) ?? DEFAULT_LANG;
}

export function assertNever(x: never): never {
  throw new Error(`unexpected value: ${String(x)}`);
}
