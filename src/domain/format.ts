/**
 * Numbers and dates as a reader of each language writes them: Indonesian
 * "USD 1.200" and "22 November 2026", English "USD 1,200" and "22 November 2026".
 * The Intl locales come from the language registry (src/domain/languages.ts).
 */
import { type Lang, languageOf } from "./lang.ts";

const numberFormats = new Map<Lang, Intl.NumberFormat>();

/** 1200 → "1.200" (id) or "1,200" (en). */
export function formatNumber(lang: Lang, n: number): string {
  let f = numberFormats.get(lang);
  if (!f) {
    f = new Intl.NumberFormat(languageOf(lang).numberLocale, { maximumFractionDigits: 2 });
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
    return new Intl.DateTimeFormat(languageOf(lang).dateLocale, { dateStyle: style, timeZone: calendar ? "UTC" : timeZone }).format(ms);
  } catch {
    return new Date(ms).toISOString().slice(0, 10);
  }
}
