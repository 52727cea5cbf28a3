import { describe, expect, it } from "vitest";
import { backoffMs, defaultPacing, mergeTexts, nextAllowedAt, Pacer } from "../../../src/domain/cases/outbox.ts";

describe("pacing", () => {
  it("a sliding window: never more than `limit` sends in any window", () => {
    const rule = { limit: 3, windowMs: 60_000 };
    expect(nextAllowedAt([], rule, 0)).toBe(0);
    expect(nextAllowedAt([0, 10, 20], rule, 30)).toBe(60_000);
    expect(nextAllowedAt([0, 10, 20], rule, 59_999)).toBe(60_000);
    expect(nextAllowedAt([0, 10, 20, 60_000], rule, 60_000)).toBe(60_010);
  });
  it("keeps a group under Telegram's 20 a minute and a private chat at one a second, independently", () => {
    const p = new Pacer(defaultPacing(20));
    const group = -100;
    let t = 0;
    const sends: number[] = [];
    while (sends.length < 60) {
      t = p.nextAt(group, t);
      p.record(group, t);
      sends.push(t);
    }
    for (const s of sends) expect(sends.filter((x) => x > s - 60_000 && x <= s).length).toBeLessThanOrEqual(20);
    expect(p.nextAt(42, 0)).toBe(0); // the private chat is not held up by the group
    p.record(42, 0);
    expect(p.nextAt(42, 0)).toBe(1000);
    expect(p.nextAt(42, 0, false)).toBe(0); // edits do not count
  });
  it("after a 429 nothing goes to that chat until retry_after has passed", () => {
    const p = new Pacer(defaultPacing(20));
    p.block(-5, 7000);
    expect(p.nextAt(-5, 0)).toBe(7000);
    expect(p.nextAt(-6, 0)).toBe(0);
  });
  it("back-off doubles up to five minutes", () => {
    expect([1, 2, 3, 10, 30].map(backoffMs)).toEqual([1000, 2000, 4000, 300_000, 300_000]);
  });
});

describe("ordering and merging", () => {
  it("merges pending texts of one case into one message that fits Telegram's limit", () => {
    expect(mergeTexts([{ id: "1", text: "a" }, { id: "2", text: "b" }, { id: "3", text: "c" }])).toEqual({ ids: ["1", "2", "3"], text: "a\n\nb\n\nc" });
    const big = "x".repeat(3000);
    expect(mergeTexts([{ id: "1", text: big }, { id: "2", text: big }]).ids).toEqual(["1"]);
    expect(mergeTexts([{ id: "1", text: "y".repeat(5000) }]).text).toHaveLength(4096);
    expect(mergeTexts([])).toEqual({ ids: [], text: "" });
  });
});
