/**
 * Numbers and dates as a reader of each language writes them: Indonesian
 * "USD 1.200" and "22 November 2026", English "USD 1,200" and "22 November 2026".
 * A Record over Lang, so a new language cannot be added without its formats.
 */
import type { Lang } from "./lang.ts";

const NUMBER_LOCALE: Readonly<Record<Lang, string>> = { id: "id-ID", en: "en-US" };
const DATE_LOCALE: Readonly<Record<Lang, string>> = { id: "id-ID", en: "en-GB" };

const numberFormats = new Map<Lang, Intl.NumberFormat>();

/** 1200 → "1.200" (id) or "1,200" (en). */
export function formatNumber(lang: Lang, n: number): string {
  let f = numberFormats.get(lang);
  if (!f) {
    f = new Intl.NumberFormat(NUMBER_LOCALE[lang], { maximumFractionDigits: 2 });
    numberFormats.set(lang, f);
  }
  return f.format(n);
}

/**
 * A day: milliseconds since the epoch (shown in `timeZone`), or a calendar
 * date "YYYY-MM-DD" (shown as that day, whatever the time zone). Falls back
 * to YYYY-MM-DD if the time zone is unknown.
 */
export function formatDate(lang: Lang, when: number | string, timeZone = "UTC", style: "long" | "medium" = "long"): string {
  const calendar = typeof when === "string";
  const ms = calendar ? Date.parse(`${when}T00:00:00Z`) : when;
  try {
    return new Intl.DateTimeFormat(DATE_LOCALE[lang], { dateStyle: style, timeZone: calendar ? "UTC" : timeZone }).format(ms);
  } catch {
    return new Date(ms).toISOString().slice(0, 10);
  }
}
