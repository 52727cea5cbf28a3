/**
 * The final fresh batches (test/fixtures/fresh): each written blind and scored
 * once at the end of a session, never used to choose a rule or train a model.
 * This test prints their figures and fails if they fall below what they were
 * when last scored (a regression guard; the floors are in the README).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { formatFigures, parseRows, score } from "../../src/domain/evaluation.ts";

const read = (name: string) => parseRows(readFileSync(new URL(`../fixtures/fresh/${name}`, import.meta.url), "utf8"));

describe("final fresh batches", () => {
  it.each([
    ["triage-fresh.jsonl", 274, { recall: 0.93, qa: 0, fa: 0.06, topic: 0.83, lang: 0.98 }],
    ["triage-fresh-2.jsonl", 270, { recall: 0.91, qa: 4, fa: 0.06, topic: 0.78, lang: 0.96 }],
  ] as const)("%s (%i rows) stays at or above its last score", (name, n, floor) => {
    const rows = read(name);
    expect(rows).toHaveLength(n);
    const f = score(rows);
    console.log(`${name}:\n${formatFigures(f)}`);
    expect(f.recall).toBeGreaterThanOrEqual(floor.recall);
    expect(f.urgentAsQa).toBeLessThanOrEqual(floor.qa);
    expect(f.falseAlarmRate).toBeLessThanOrEqual(floor.fa);
    expect(f.topicAccuracy).toBeGreaterThanOrEqual(floor.topic);
    expect(f.replyLanguage).toBeGreaterThanOrEqual(floor.lang);
  });
});
