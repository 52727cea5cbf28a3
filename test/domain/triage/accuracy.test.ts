import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseRows, score } from "../../../src/domain/evaluation.ts";
import { SIGNALS } from "../../../src/domain/triage/triage.ts";

const rows = parseRows(
  readFileSync(new URL("../../fixtures/triage.labelled.jsonl", import.meta.url), "utf8"),
);

describe("triage accuracy on the labelled set", () => {
  it("the set is big, bilingual and well formed", () => {
    const urgent = rows.filter((r) => r.urgent);
    const calm = rows.filter((r) => !r.urgent);
    expect(urgent.length).toBeGreaterThanOrEqual(230);
    expect(calm.length).toBeGreaterThanOrEqual(230);
    expect(rows.filter((r) => r.language === "en").length / rows.length).toBeGreaterThanOrEqual(1 / 3);
    for (const r of rows) {
      expect(typeof r.text).toBe("string");
      if (!r.urgent) expect(r.signals).toEqual([]);
      else expect(r.signals?.length).toBeGreaterThan(0);
      for (const s of r.signals ?? []) expect(SIGNALS).toContain(s);
    }
    // every signal is represented among urgent examples
    // (danger_button is never read from words: only the button and /sos raise it)
    for (const s of SIGNALS.filter((x) => x !== "danger_button"))
      expect(
        urgent.some((r) => r.signals?.includes(s)),
        s,
      ).toBe(true);
  });

  it("recall >= 0.97, false-alarm rate <= 0.08, signal accuracy >= 0.9", () => {
    const r = score(rows);
    console.log(
      `triage: recall ${(r.recall * 100).toFixed(1)}% (N=${r.urgentN}), ` +
        `false alarms ${(r.falseAlarmRate * 100).toFixed(1)}% (N=${r.nonUrgentN}), ` +
        `signal accuracy ${(r.signalAccuracy * 100).toFixed(1)}%`,
    );
    for (const m of r.misses) console.log(`  MISS [${m.level}] ${m.row.text}`);
    for (const m of r.falseAlarms)
      console.log(`  FALSE ALARM ${m.row.text} <- ${m.matched.join("; ")}`);
    expect(r.recall).toBeGreaterThanOrEqual(0.97);
    expect(r.falseAlarmRate).toBeLessThanOrEqual(0.08);
    expect(r.signalAccuracy).toBeGreaterThanOrEqual(0.9);
  });
});
