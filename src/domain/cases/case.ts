/**
 * Case rules for the staff desk. Pure: no grammY, no SQL.
 *
 * open ──claim──▶ claimed ──resolve──▶ resolved ──reopen──▶ reopened ──claim──▶ claimed …
 *   └──────────────resolve───────────────▲  (reopened can be resolved too)
 * While a case is claimed a staff member is active: the bot stops answering the user itself.
 */
import { assertNever } from "../lang.ts";

export const CASE_STATUSES = ["open", "claimed", "resolved", "reopened"] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export type CasePriority = "urgent" | "normal";
export type CaseAction = "claim" | "resolve" | "reopen" | "block";
export type Writer = "worker" | "family";

export type Transition =
  | { ok: true; next: CaseStatus }
  | { ok: false; reason: "already_resolved" | "not_resolved" | "already_claimed_by_you" };

/** What an action does to a case's status. `byMe`: the acting staff member already holds the claim. */
export function transition(status: CaseStatus, action: CaseAction, byMe = false): Transition {
  switch (action) {
    case "claim":
      if (status === "resolved") return { ok: false, reason: "already_resolved" };
      if (status === "claimed" && byMe) return { ok: false, reason: "already_claimed_by_you" };
      return { ok: true, next: "claimed" }; // taking over from a colleague is allowed
    case "resolve":
      if (status === "resolved") return { ok: false, reason: "already_resolved" };
      return { ok: true, next: "resolved" };
    case "reopen":
      if (status !== "resolved") return { ok: false, reason: "not_resolved" };
      return { ok: true, next: "reopened" };
    case "block":
      return { ok: true, next: status };
    default:
      return assertNever(action);
  }
}

/** Not resolved: the user's messages go to the case's topic. */
export function isOpen(status: CaseStatus): boolean {
  switch (status) {
    case "open":
    case "claimed":
    case "reopened":
      return true;
    case "resolved":
      return false;
    default:
      return assertNever(status);
  }
}

/** A staff member is active on the case: the bot does not answer the user by itself. */
export function staffActive(status: CaseStatus): boolean {
  return status === "claimed";
}

export const SILENCE_MS = 24 * 60 * 60 * 1000;

/**
 * May the help line write to the user now? Yes if they agreed to be written to,
 * or if they themselves wrote within the last 24 h. Never an unprompted message
 * after a long silence: the phone may be in someone else's hands by now.
 */
export function mayContactUser(c: { lastUserAt: number; consent: boolean | null }, now: number, silenceMs = SILENCE_MS): boolean {
  if (c.consent === true) return true;
  return now - c.lastUserAt <= silenceMs;
}

/** The writer is family (someone writing about another person) when triage says so. */
export function writerFrom(signals: readonly string[]): Writer {
  return signals.includes("family_report") ? "family" : "worker";
}

/** Is `now` inside the staff hours (minutes since midnight in the staff time zone)? No hours set: always. */
export function withinStaffHours(hours: { start: number; end: number } | undefined, now: number, timeZone: string): boolean {
  if (!hours) return true;
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(now);
  const h = Number(parts.find((p) => p.type === "hour")?.value ?? 0);
  const m = Number(parts.find((p) => p.type === "minute")?.value ?? 0);
  const t = h * 60 + m;
  if (hours.start === hours.end) return true;
  // Hours may span midnight (22:00-06:00).
  return hours.start < hours.end ? t >= hours.start && t < hours.end : t >= hours.start || t < hours.end;
}

export function formatHours(hours: { start: number; end: number }): string {
  const hm = (n: number) => `${String(Math.floor(n / 60)).padStart(2, "0")}:${String(n % 60).padStart(2, "0")}`;
  return `${hm(hours.start)}-${hm(hours.end)}`;
}
