/**
 * /followup: when to remind a case's topic. "3d", "12h", "90m", or a date
 * ("2026-02-01", 09:00 then, or "2026-02-01 14:30") in the staff time zone;
 * "off" clears it. The time is stored on the case and checked periodically,
 * so a reminder survives a restart.
 */
const MAX_AHEAD_MS = 366 * 24 * 3600_000;

/** The offset of a time zone from UTC at a moment, in ms. */
function zoneOffset(ms: number, timeZone: string): number {
  const p = new Map(
    new Intl.DateTimeFormat("en-GB", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" })
      .formatToParts(ms)
      .map((x) => [x.type, Number(x.value)]),
  );
  const asUtc = Date.UTC(p.get("year") ?? 0, (p.get("month") ?? 1) - 1, p.get("day") ?? 1, p.get("hour") ?? 0, p.get("minute") ?? 0, p.get("second") ?? 0);
  return asUtc - (ms - (ms % 1000));
}

/** A wall-clock time in a time zone to epoch ms. */
export function zonedTime(y: number, mo: number, d: number, h: number, mi: number, timeZone: string): number {
  const guess = Date.UTC(y, mo - 1, d, h, mi);
  const first = guess - zoneOffset(guess, timeZone);
  return guess - zoneOffset(first, timeZone);
}

export type FollowUp = { kind: "at"; at: number } | { kind: "off" } | { kind: "invalid" };

export function parseFollowUp(arg: string, now: number, timeZone: string): FollowUp {
  const s = arg.trim().toLowerCase();
  if (s === "off" || s === "batal" || s === "hapus") return { kind: "off" };
  const rel = /^(\d{1,4})\s*(m|min|h|j|jam|d|h?ari)$/.exec(s);
  if (rel) {
    const n = Number(rel[1]);
    const unit = rel[2] ?? "";
    const ms = unit.startsWith("m") ? 60_000 : unit === "h" || unit.startsWith("j") ? 3600_000 : 24 * 3600_000;
    const at = now + n * ms;
    return n > 0 && at - now <= MAX_AHEAD_MS ? { kind: "at", at } : { kind: "invalid" };
  }
  const abs = /^(\d{4})-(\d{2})-(\d{2})(?:[ t](\d{1,2}):(\d{2}))?$/.exec(s);
  if (abs) {
    const [y, mo, d, h, mi] = [abs[1], abs[2], abs[3], abs[4] ?? "9", abs[5] ?? "0"].map(Number) as [number, number, number, number, number];
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) return { kind: "invalid" };
    const at = zonedTime(y, mo, d, h, mi, timeZone);
    return at > now && at - now <= MAX_AHEAD_MS ? { kind: "at", at } : { kind: "invalid" };
  }
  return { kind: "invalid" };
}
