/** The bot's two languages. Indonesian is the default. */
export const LANGS = ["id", "en"] as const;
export type Lang = (typeof LANGS)[number];
export const DEFAULT_LANG: Lang = "id";

export function isLang(v: unknown): v is Lang {
  return v === "id" || v === "en";
}

/** Telegram language_code (e.g. "id", "en-GB", "in") to a bot language; anything else is Indonesian. */
export function langFromCode(code: string | undefined): Lang {
  if (!code) return DEFAULT_LANG;
  const base = code.toLowerCase().split(/[-_]/)[0];
  if (base === "en") return "en";
  return DEFAULT_LANG;
}

export function assertNever(x: never): never {
  throw new Error(`unexpected value: ${String(x)}`);
}
