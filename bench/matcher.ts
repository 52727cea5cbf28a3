/**
 * Micro-benchmark of the free-text topic matcher over the labelled test set.
 * Run directly: node --import tsx bench/matcher.ts
 */
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { matchText } from "../src/domain/knowledge/matcher.ts";

export interface MatcherBench {
  medianMs: number;
  p99Ms: number;
  perSecond: number;
}

function loadTexts(): string[] {
  const url = new URL("../test/fixtures/topics.labelled.jsonl", import.meta.url);
  return readFileSync(url, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => (JSON.parse(l) as { text: string }).text);
}

export async function benchMatcher(calls = 20_000): Promise<MatcherBench> {
  const texts = loadTexts();
  if (texts.length === 0) throw new Error("empty labelled set");
  // warm-up (JIT, index build, token cache)
  for (let i = 0; i < 2_000; i++) matchText(texts[i % texts.length]!);
  const times = new Float64Array(calls);
  const start = performance.now();
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    matchText(texts[i % texts.length]!);
    times[i] = performance.now() - t0;
  }
  const elapsed = performance.now() - start;
  times.sort();
  const at = (q: number): number => times[Math.min(calls - 1, Math.floor(q * calls))]!;
  const r = (x: number): number => Math.round(x * 10_000) / 10_000;
  return { medianMs: r(at(0.5)), p99Ms: r(at(0.99)), perSecond: Math.round(calls / (elapsed / 1000)) };
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  const res = await benchMatcher();
  console.log(`matcher: median ${res.medianMs} ms, p99 ${res.p99Ms} ms, ${res.perSecond} calls/s`);
}
