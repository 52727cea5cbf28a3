import { describe, expect, it } from "vitest";
import { isOpen, mayContactUser, staffActive, transition, withinStaffHours, writerFrom } from "../../../src/domain/cases/case.ts";

describe("case state machine", () => {
  it("open → claimed → resolved → reopened → claimed", () => {
    expect(transition("open", "claim")).toEqual({ ok: true, next: "claimed" });
    expect(transition("claimed", "resolve")).toEqual({ ok: true, next: "resolved" });
    expect(transition("resolved", "reopen")).toEqual({ ok: true, next: "reopened" });
    expect(transition("reopened", "claim")).toEqual({ ok: true, next: "claimed" });
  });
  it("refuses what makes no sense", () => {
    expect(transition("resolved", "claim")).toEqual({ ok: false, reason: "already_resolved" });
    expect(transition("resolved", "resolve")).toEqual({ ok: false, reason: "already_resolved" });
    expect(transition("open", "reopen")).toEqual({ ok: false, reason: "not_resolved" });
    expect(transition("claimed", "claim", true)).toEqual({ ok: false, reason: "already_claimed_by_you" });
    expect(transition("claimed", "claim", false)).toEqual({ ok: true, next: "claimed" }); // a colleague takes over
    expect(transition("resolved", "block")).toEqual({ ok: true, next: "resolved" });
  });
  it("only a claimed case silences the bot; only resolved is closed", () => {
    expect(["open", "claimed", "resolved", "reopened"].map((s) => staffActive(s as never))).toEqual([false, true, false, false]);
    expect(["open", "claimed", "resolved", "reopened"].map((s) => isOpen(s as never))).toEqual([true, true, false, true]);
  });
});

describe("case rules", () => {
  it("never writes first after 24 h of silence unless the user agreed", () => {
    const h = 3600_000;
    expect(mayContactUser({ lastUserAt: 0, consent: null }, 23 * h)).toBe(true);
    expect(mayContactUser({ lastUserAt: 0, consent: null }, 25 * h)).toBe(false);
    expect(mayContactUser({ lastUserAt: 0, consent: false }, 25 * h)).toBe(false);
    expect(mayContactUser({ lastUserAt: 0, consent: true }, 500 * h)).toBe(true);
  });
  it("staff hours in the staff time zone, also across midnight", () => {
    const at = (h: number) => Date.UTC(2026, 0, 20, h - 7, 30); // Phnom Penh is UTC+7
    expect(withinStaffHours({ start: 8 * 60, end: 17 * 60 }, at(10), "Asia/Phnom_Penh")).toBe(true);
    expect(withinStaffHours({ start: 8 * 60, end: 17 * 60 }, at(22), "Asia/Phnom_Penh")).toBe(false);
    expect(withinStaffHours({ start: 22 * 60, end: 6 * 60 }, at(23), "Asia/Phnom_Penh")).toBe(true);
    expect(withinStaffHours({ start: 22 * 60, end: 6 * 60 }, at(12), "Asia/Phnom_Penh")).toBe(false);
    expect(withinStaffHours(undefined, at(3), "Asia/Phnom_Penh")).toBe(true);
  });
  it("a family report is written by family", () => {
    expect(writerFrom(["family_report", "confinement"])).toBe("family");
    expect(writerFrom(["violence"])).toBe("worker");
  });
});
