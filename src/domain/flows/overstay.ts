/**
 * Overstay: how long, and roughly what it may cost. Pure: no grammY, no SQL, no I/O.
 *
 * People answer "3 bulan", "3 bln", "tiga bulan", "90 hari", "2 weeks", "2 minggu",
 * "1 thn", "setahun", "1 tahun 2 bulan", or a date ("12/03/2026", "12 maret 2026",
 * "2026-03-12", "sejak agustus 2025": a month counts from its 1st). A duration is a number of days; a date is a day in the past and
 * the caller decides what it means (the day the visa ran out, or the arrival day)
 * and words the question accordingly.
 */

export const DAYS_PER_WEEK = 7;
export const DAYS_PER_MONTH = 30;
export const DAYS_PER_YEAR = 365;
/** Longer than this is surely a typo (the scam compounds are a recent phenomenon). */
export const MAX_DAYS = 20 * DAYS_PER_YEAR;

export type OverstayInput =
  | { kind: "duration"; days: number }
  | { kind: "date"; days: number; /** YYYY-MM-DD */ date: string };

export type OverstayParse =
  | { ok: true; value: OverstayInput }
  | { ok: false; reason: "empty" | "not_understood" | "future" | "too_long" };

const UNITS: Readonly<Record<string, number>> = {
  hari: 1, hr: 1, hri: 1, h: 1, day: 1, days: 1, d: 1, dino: 1,
  minggu: DAYS_PER_WEEK, mgg: DAYS_PER_WEEK, mg: DAYS_PER_WEEK, pekan: DAYS_PER_WEEK, week: DAYS_PER_WEEK,
  weeks: DAYS_PER_WEEK, wk: DAYS_PER_WEEK, wks: DAYS_PER_WEEK, w: DAYS_PER_WEEK,
  bulan: DAYS_PER_MONTH, bln: DAYS_PER_MONTH, bl: DAYS_PER_MONTH, bulanan: DAYS_PER_MONTH, month: DAYS_PER_MONTH,
  months: DAYS_PER_MONTH, mo: DAYS_PER_MONTH, mos: DAYS_PER_MONTH, mth: DAYS_PER_MONTH, mths: DAYS_PER_MONTH,
  sasi: DAYS_PER_MONTH,
  tahun: DAYS_PER_YEAR, thn: DAYS_PER_YEAR, th: DAYS_PER_YEAR, taun: DAYS_PER_YEAR, year: DAYS_PER_YEAR,
  years: DAYS_PER_YEAR, yr: DAYS_PER_YEAR, yrs: DAYS_PER_YEAR, y: DAYS_PER_YEAR,
} as const;

/** "se-" + unit: sehari, seminggu, sebulan, setahun, sepekan. */
const SE_UNITS: Readonly<Record<string, number>> = {
  sehari: 1,
  seminggu: DAYS_PER_WEEK,
  sepekan: DAYS_PER_WEEK,
  sebulan: DAYS_PER_MONTH,
  setahun: DAYS_PER_YEAR,
};

const ONES_ID: Readonly<Record<string, number>> = {
  nol: 0, satu: 1, se: 1, dua: 2, tiga: 3, empat: 4, lima: 5, enam: 6, tujuh: 7, delapan: 8, sembilan: 9,
};
const ONES_EN: Readonly<Record<string, number>> = {
  zero: 0, one: 1, a: 1, an: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9,
  ten: 10, eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17,
  eighteen: 18, nineteen: 19,
};
const TENS_EN: Readonly<Record<string, number>> = {
  twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
};
/** words that only join numbers: "and", "dan", "lebih" */
const FILLERS = new Set([
  "and", "dan", "sama", "lebih", "more", "than", "about", "around", "approx", "kira", "kira-kira", "sekitar",
  "kurang", "lebih", "lbh", "krg", "sudah", "udah", "sdh", "udh", "already", "for", "selama", "ago", "lalu",
  "yang", "yg", "overstay", "over", "stay", "sekitaran", "kurleb", "ya", "saya", "i", "have", "been", "baru",
  "almost", "hampir", "nearly", "roughly", "like", "dari", "of", "ini", "ni", "kurang-lebih", "skitar",
]);

const MONTHS: Readonly<Record<string, number>> = {
  jan: 1, januari: 1, january: 1,
  feb: 2, februari: 2, pebruari: 2, february: 2, peb: 2,
  mar: 3, maret: 3, march: 3, mrt: 3,
  apr: 4, april: 4,
  mei: 5, may: 5,
  jun: 6, juni: 6, june: 6,
  jul: 7, juli: 7, july: 7,
  agu: 8, agt: 8, agus: 8, agustus: 8, aug: 8, august: 8, ags: 8,
  sep: 9, sept: 9, september: 9,
  okt: 10, oktober: 10, oct: 10, october: 10,
  nov: 11, nop: 11, november: 11, nopember: 11,
  des: 12, desember: 12, dec: 12, december: 12,
};

const DAY_MS = 24 * 60 * 60 * 1000;

function clean(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\u200b-\u200f\u2060\ufeff]/g, "")
    .replace(/½/g, ".5")
    .trim();
}

/** Days from `date` (UTC midnight of a calendar day) to `today`'s calendar day. */
function daysSince(y: number, m: number, d: number, todayMs: number): number | undefined {
  const t = Date.UTC(y, m - 1, d);
  const check = new Date(t);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) return undefined;
  const today = new Date(todayMs);
  const todayUtc = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  return Math.round((todayUtc - t) / DAY_MS);
}

const iso = (y: number, m: number, d: number) =>
  `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;

/** A year written with 2 digits ("26") is 20xx. */
const fullYear = (y: number) => (y < 100 ? 2000 + y : y);

function parseDate(s: string, todayMs: number): OverstayParse | undefined {
  let y: number | undefined;
  let m: number | undefined;
  let d: number | undefined;
  let match = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(s);
  if (match) {
    y = Number(match[1]);
    m = Number(match[2]);
    d = Number(match[3]);
  }
  if (!match) {
    // Indonesian order: day/month/year
    match = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})$/.exec(s);
    if (match) {
      d = Number(match[1]);
      m = Number(match[2]);
      y = fullYear(Number(match[3]));
    }
  }
  if (!match) {
    // "12 maret 2026", "12 mar", "12-maret-2026", "tgl 12 maret"
    match = /^(?:tgl\.?\s*|tanggal\s+)?(\d{1,2})(?:st|nd|rd|th)?[\s\-/.]+([a-z]+)\.?(?:[\s\-/.,]+(\d{2}|\d{4}))?$/.exec(s);
    if (match && MONTHS[match[2] ?? ""] !== undefined) {
      d = Number(match[1]);
      m = MONTHS[match[2] ?? ""];
      y = match[3] !== undefined ? fullYear(Number(match[3])) : undefined;
    } else {
      match = null;
    }
  }
  if (!match) {
    // "march 12, 2026", "march 12"
    match = /^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:[\s,]+(\d{4}))?$/.exec(s);
    if (match && MONTHS[match[1] ?? ""] !== undefined) {
      m = MONTHS[match[1] ?? ""];
      d = Number(match[2]);
      y = match[3] !== undefined ? Number(match[3]) : undefined;
    } else {
      match = null;
    }
  }
  if (!match) {
    // A month, with or without the year: "agustus 2025", "bulan agustus", "aug 2025", "08/2025".
    // Counted from the 1st: an estimate that does not come out too low.
    match = /^(?:bulan\s+|bln\s+)?([a-z]+)\.?(?:[\s\-/.,]+(\d{2}|\d{4}))?$/.exec(s);
    if (match && MONTHS[match[1] ?? ""] !== undefined) {
      d = 1;
      m = MONTHS[match[1] ?? ""];
      y = match[2] !== undefined ? fullYear(Number(match[2])) : undefined;
    } else {
      match = /^(\d{1,2})[-/.](\d{4})$/.exec(s);
      if (match && Number(match[1]) >= 1 && Number(match[1]) <= 12) {
        d = 1;
        m = Number(match[1]);
        y = Number(match[2]);
      } else match = null;
    }
  }
  if (!match || m === undefined || d === undefined) return undefined;
  if (y === undefined) {
    // No year: the most recent such day that is not in the future.
    const today = new Date(todayMs);
    y = today.getUTCFullYear();
    const days = daysSince(y, m, d, todayMs);
    if (days !== undefined && days < 0) y -= 1;
  }
  const days = daysSince(y, m, d, todayMs);
  if (days === undefined) return { ok: false, reason: "not_understood" };
  if (days < 0) return { ok: false, reason: "future" };
  if (days > MAX_DAYS) return { ok: false, reason: "too_long" };
  return { ok: true, value: { kind: "date", days, date: iso(y, m, d) } };
}

/** A number written as digits ("3", "1,5", "1.5") or words ("tiga", "dua puluh", "twenty one"). */
function readNumber(tokens: string[], i: number): { value: number; next: number } | undefined {
  const tok = tokens[i];
  if (tok === undefined) return undefined;
  if (/^\d+([.,]\d+)?$/.test(tok)) return { value: Number(tok.replace(",", ".")), next: i + 1 };
  if (tok === "setengah" || tok === "half") return { value: 0.5, next: i + 1 };
  // Indonesian: "dua puluh tiga", "sebelas", "dua belas", "sepuluh", "seratus"
  if (tok === "sepuluh") return { value: 10, next: i + 1 };
  if (tok === "sebelas") return { value: 11, next: i + 1 };
  if (tok === "seratus") return { value: 100, next: i + 1 };
  const one = ONES_ID[tok];
  if (one !== undefined && tok !== "se") {
    const after = tokens[i + 1];
    if (after === "belas") return { value: 10 + one, next: i + 2 };
    if (after === "puluh") {
      const unit = ONES_ID[tokens[i + 2] ?? ""];
      if (unit !== undefined && tokens[i + 2] !== "se") return { value: one * 10 + unit, next: i + 3 };
      return { value: one * 10, next: i + 2 };
    }
    if (after === "ratus") return { value: one * 100, next: i + 2 };
    return { value: one, next: i + 1 };
  }
  const tens = TENS_EN[tok];
  if (tens !== undefined) {
    const unit = ONES_EN[tokens[i + 1] ?? ""];
    if (unit !== undefined && unit > 0 && unit < 10) return { value: tens + unit, next: i + 2 };
    return { value: tens, next: i + 1 };
  }
  const en = ONES_EN[tok];
  if (en !== undefined) {
    if (tokens[i + 1] === "and" && tokens[i + 2] === "a" && tokens[i + 3] === "half") return { value: en + 0.5, next: i + 4 };
    return { value: en, next: i + 1 };
  }
  return undefined;
}

function parseDuration(s: string): OverstayParse | undefined {
  // split "3bln" / "90hari" / "2weeks" into number and unit; keep "1,5" together
  const spaced = s
    .replace(/(\d)([a-z])/g, "$1 $2")
    .replace(/([a-z])(\d)/g, "$1 $2")
    .replace(/[-–](?=[a-z])/g, " ")
    .replace(/[!?;:()"'+~]/g, " ")
    .replace(/,(?!\d)/g, " ")
    .replace(/\.(?!\d)/g, " ");
  const tokens = spaced.split(/\s+/).filter(Boolean);
  if (tokens.length === 0) return undefined;
  let total = 0;
  let parts = 0;
  let i = 0;
  while (i < tokens.length) {
    const tok = tokens[i] as string;
    const se = SE_UNITS[tok];
    if (se !== undefined) {
      total += se;
      parts++;
      i++;
      // "setahun setengah" / "sebulan setengah"
      if (tokens[i] === "setengah" || tokens[i] === "half") {
        total += se / 2;
        i++;
      }
      continue;
    }
    if (FILLERS.has(tok)) {
      i++;
      continue;
    }
    const n = readNumber(tokens, i);
    if (!n) return undefined;
    const unitTok = tokens[n.next];
    const unit = unitTok === undefined ? undefined : UNITS[unitTok];
    if (unit === undefined) return undefined;
    let value = n.value;
    i = n.next + 1;
    // "2 bulan setengah", "1 year and a half"
    if (tokens[i] === "setengah" || tokens[i] === "half") {
      value += 0.5;
      i++;
    } else if (tokens[i] === "and" && tokens[i + 1] === "a" && tokens[i + 2] === "half") {
      value += 0.5;
      i += 3;
    }
    total += value * unit;
    parts++;
  }
  if (parts === 0) return undefined;
  const days = Math.round(total);
  if (days > MAX_DAYS) return { ok: false, reason: "too_long" };
  return { ok: true, value: { kind: "duration", days } };
}

/**
 * Parse an answer to "how long?" / "since when?". `todayMs` is the current time
 * (dates are compared by calendar day, UTC).
 */
/** "sejak", "since", "dari", "mulai", "from", "tgl": words before a date that change nothing. */
const SINCE = /^(?:sejak|semenjak|since|dari|mulai|from|starting|per)\s+(?:tanggal\s+|tgl\.?\s*)?/;

export function parseOverstay(text: string, todayMs: number): OverstayParse {
  const s = clean(text).replace(SINCE, "");
  if (s === "") return { ok: false, reason: "empty" };
  if (s.length > 80) return { ok: false, reason: "not_understood" };
  const date = parseDate(s, todayMs);
  if (date) return date;
  const bare = /^\d+$/.exec(s);
  // A bare number has no unit: we do not guess between days and months.
  if (bare) return { ok: false, reason: "not_understood" };
  return parseDuration(s) ?? { ok: false, reason: "not_understood" };
}

export interface FineEstimate {
  /** days of overstay counted */
  days: number;
  /** days × rate, in USD (before any waiver or reduction) */
  usd: number;
  /** the daily rate used */
  ratePerDay: number;
}

/** The fine as the daily rate times the days. The embassy confirms the real amount; waivers happen. */
export function estimateFine(days: number, ratePerDay: number): FineEstimate {
  const d = Math.max(0, Math.round(days));
  return { days: d, usd: Math.round(d * ratePerDay * 100) / 100, ratePerDay };
}

/**
 * Overstay from the length of the whole stay (for someone who does not know
 * their visa status): the stay minus the visa-free days, never below zero.
 */
export function overstayFromStay(stayDays: number, visaFreeDays: number): number {
  return Math.max(0, Math.round(stayDays) - Math.max(0, Math.round(visaFreeDays)));
}
