import { describe, expect, it } from "vitest";
import { formatDate, formatNumber } from "../../src/domain/format.ts";

describe("numbers and dates per language", () => {
  it("Indonesian groups thousands with a dot, English with a comma", () => {
    expect(formatNumber("id", 1200)).toBe("1.200");
    expect(formatNumber("en", 1200)).toBe("1,200");
    expect(formatNumber("id", 4250)).toBe("4.250");
    expect(formatNumber("id", 12.5)).toBe("12,5");
    expect(formatNumber("en", 90)).toBe("90");
  });

  it("dates: a calendar day stays that day; an instant is shown in the given time zone", () => {
    expect(formatDate("id", "2026-11-22")).toBe("22 November 2026");
    expect(formatDate("en", "2026-08-17")).toBe("17 August 2026");
    expect(formatDate("id", "2026-08-17")).toBe("17 Agustus 2026");
    const lateUtc = Date.UTC(2026, 0, 31, 20, 0); // already 1 February in Phnom Penh (UTC+7)
    expect(formatDate("en", lateUtc, "Asia/Phnom_Penh")).toBe("1 February 2026");
    expect(formatDate("en", lateUtc, "Not/AZone")).toBe("2026-01-31");
  });
});
