/**
 * Figures for /stats and the CSV for /export, from the cases alone. No names,
 * usernames, Telegram ids or message texts leave here.
 */
import type { CaseRecord } from "../../storage/repositories/cases.ts";
import { zonedTime } from "./followup.ts";
import { OUTCOMES } from "./render.ts";

const DAY = 24 * 3600_000;

export interface Stats {
  open: number;
  urgentWaiting: number;
  today: number;
  days7: number;
  days30: number;
  claim: { median: number; p90: number; n: number } | undefined;
  firstReply: { median: number; p90: number; n: number } | undefined;
  outcomes: [string, number][];
  signals: [string, number][];
  /** cases opened per day, oldest first (30 days, the last one today) */
  perDay: number[];
}

/** The q-quantile (nearest rank) of a list of numbers. */
export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1));
  return s[i] ?? 0;
}

function spread(xs: number[]) {
  return xs.length ? { median: quantile(xs, 0.5), p90: quantile(xs, 0.9), n: xs.length } : undefined;
}

/** The start of the day (staff time zone) that `now` is in. */
export function dayStart(now: number, timeZone: string): number {
  const p = new Map(
    new Intl.DateTimeFormat("en-GB", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" })
      .formatToParts(now)
      .map((x) => [x.type, Number(x.value)]),
  );
  return zonedTime(p.get("year") ?? 1970, p.get("month") ?? 1, p.get("day") ?? 1, 0, 0, timeZone);
}

export function computeStats(cases: readonly CaseRecord[], now: number, timeZone: string): Stats {
  const today0 = dayStart(now, timeZone);
  const since30 = today0 - 29 * DAY;
  const recent = cases.filter((c) => c.createdAt >= since30);
  const open = cases.filter((c) => c.status !== "resolved");
  const perDay = Array.from({ length: 30 }, () => 0);
  for (const c of recent) {
    const i = 29 - Math.floor((today0 + DAY - 1 - c.createdAt) / DAY);
    const idx = c.createdAt >= today0 ? 29 : Math.max(0, Math.min(29, i));
    perDay[idx] = (perDay[idx] ?? 0) + 1;
  }
  const outcomeCounts = new Map<string, number>();
  const signalCounts = new Map<string, number>();
  for (const c of recent) {
    if (c.status === "resolved" && c.outcome) outcomeCounts.set(c.outcome, (outcomeCounts.get(c.outcome) ?? 0) + 1);
    for (const s of c.signals) signalCounts.set(s, (signalCounts.get(s) ?? 0) + 1);
  }
  const order = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return {
    open: open.length,
    urgentWaiting: open.filter((c) => c.priority === "urgent" && c.status !== "claimed").length,
    today: recent.filter((c) => c.createdAt >= today0).length,
    days7: recent.filter((c) => c.createdAt >= today0 - 6 * DAY).length,
    days30: recent.length,
    claim: spread(recent.flatMap((c) => (c.claimedAt !== null ? [c.claimedAt - c.createdAt] : []))),
    firstReply: spread(recent.flatMap((c) => (c.firstReplyAt !== null ? [c.firstReplyAt - c.createdAt] : []))),
    outcomes: order(outcomeCounts).sort((a, b) => OUTCOMES.indexOf(a[0] as never) - OUTCOMES.indexOf(b[0] as never)),
    signals: order(signalCounts).slice(0, 5),
    perDay,
  };
}

const iso = (ms: number | null) => (ms === null ? "" : new Date(ms).toISOString());
/** A CSV field: quoted when needed, and never read as a formula by a spreadsheet. */
function field(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const CSV_COLUMNS = ["number", "opened", "claimed", "first_reply", "resolved", "priority", "signals", "outcome", "language"] as const;

/** One line per case; times in UTC (ISO 8601). */
export function casesCsv(cases: readonly CaseRecord[]): string {
  const lines = [CSV_COLUMNS.join(",")];
  for (const c of cases) {
    lines.push(
      [String(c.id), iso(c.createdAt), iso(c.claimedAt), iso(c.firstReplyAt), iso(c.status === "resolved" ? c.resolvedAt : null), c.priority, c.signals.join(" "), c.outcome ?? "", c.lang]
        .map(field)
        .join(","),
    );
  }
  return `${lines.join("\r\n")}\r\n`;
}
