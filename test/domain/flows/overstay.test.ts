import { describe, expect, it } from "vitest";
import { estimateFine, MAX_DAYS, overstayFromStay, parseOverstay } from "../../../src/domain/flows/overstay.ts";

const TODAY = Date.UTC(2026, 3, 10, 9, 30); // 10 April 2026

const days = (text: string) => {
  const r = parseOverstay(text, TODAY);
  return r.ok ? r.value.days : r.reason;
};

describe("parseOverstay: durations", () => {
  it.each([
    ["3 bulan", 90],
    ["3 bln", 90],
    ["3bln", 90],
    ["tiga bulan", 90],
    ["90 hari", 90],
    ["90hari", 90],
    ["2 weeks", 14],
    ["2 minggu", 14],
    ["1 thn", 365],
    ["setahun", 365],
    ["sebulan", 30],
    ["seminggu", 7],
    ["a month", 30],
    ["one year", 365],
    ["twenty one days", 21],
    ["dua puluh hari", 20],
    ["dua belas hari", 12],
    ["sebelas hari", 11],
    ["1 tahun 2 bulan", 425],
    ["1 year and 3 months", 455],
    ["2 bulan setengah", 75],
    ["1,5 bulan", 45],
    ["1.5 months", 45],
    ["sekitar 3 bulan", 90],
    ["sudah 4 bulan lebih", 120],
    ["kurang lebih 2 minggu", 14],
    ["  3 BULAN!! ", 90],
    ["０３ bulan", 90],
    ["0 hari", 0],
  ])("%s → %i days", (text, expected) => {
    expect(days(text)).toBe(expected);
  });

  it("marks durations as durations", () => {
    expect(parseOverstay("3 bulan", TODAY)).toEqual({ ok: true, value: { kind: "duration", days: 90 } });
  });

  it.each([
    ["", "empty"],
    ["   ", "empty"],
    ["banyak", "not_understood"],
    ["3", "not_understood"],
    ["3 kucing", "not_understood"],
    ["bulan", "not_understood"],
    ["🙂", "not_understood"],
    ["x".repeat(500), "not_understood"],
    ["99 tahun", "too_long"],
  ])("%j is refused (%s)", (text, reason) => {
    expect(days(text)).toBe(reason);
  });
});

describe("parseOverstay: dates (a day in the past, counted to today)", () => {
  it.each([
    ["12/03/2026", 29, "2026-03-12"],
    ["12-03-2026", 29, "2026-03-12"],
    ["12.03.26", 29, "2026-03-12"],
    ["2026-03-12", 29, "2026-03-12"],
    ["12 maret 2026", 29, "2026-03-12"],
    ["12 Mar 2026", 29, "2026-03-12"],
    ["March 12, 2026", 29, "2026-03-12"],
    ["tgl 12 maret", 29, "2026-03-12"],
    ["10 april 2026", 0, "2026-04-10"],
    ["1 desember 2025", 130, "2025-12-01"],
  ])("%s → %i days (%s)", (text, expected, date) => {
    expect(parseOverstay(text, TODAY)).toEqual({ ok: true, value: { kind: "date", days: expected, date } });
  });

  it("a day and month without a year means the latest such day that is not in the future", () => {
    const r = parseOverstay("20 desember", TODAY);
    expect(r).toEqual({ ok: true, value: { kind: "date", days: 111, date: "2025-12-20" } });
  });

  it("refuses dates in the future, impossible dates and dates too long ago", () => {
    expect(days("12/05/2026")).toBe("future");
    expect(days("31/02/2026")).toBe("not_understood");
    expect(days("01/01/1990")).toBe("too_long");
  });
});

describe("fine estimate", () => {
  it("multiplies days by the daily rate", () => {
    expect(estimateFine(90, 10)).toEqual({ days: 90, usd: 900, ratePerDay: 10 });
    expect(estimateFine(0, 10).usd).toBe(0);
    expect(estimateFine(-5, 10).days).toBe(0);
    expect(estimateFine(3, 2.5).usd).toBe(7.5);
  });

  it("overstay from the whole stay subtracts the visa-free days, never below zero", () => {
    expect(overstayFromStay(120, 30)).toBe(90);
    expect(overstayFromStay(20, 30)).toBe(0);
    expect(MAX_DAYS).toBeGreaterThan(365);
  });
});

describe("parseOverstay: since a month", () => {
  it.each([
    ["sejak agustus 2025", "2025-08-01"],
    ["since August 2025", "2025-08-01"],
    ["agustus 2025", "2025-08-01"],
    ["sejak bulan agustus", "2025-08-01"], // no year: the most recent August
    ["dari bulan maret", "2026-03-01"],
    ["08/2025", "2025-08-01"],
    ["sejak 12 maret 2026", "2026-03-12"],
    ["since 2026-03-12", "2026-03-12"],
  ])("%s → from %s", (text, date) => {
    const r = parseOverstay(text, TODAY);
    expect(r.ok && r.value.kind === "date" ? r.value.date : r).toBe(date);
  });

  it("a month in the future is refused; 13/2025 is not a month", () => {
    expect(days("sejak mei 2026")).toBe("future");
    expect(days("13/2025")).toBe("not_understood");
  });
});
