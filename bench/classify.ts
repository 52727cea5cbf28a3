/**
 * How long reading one message takes: the whole analysis the bot does once per
 * message (language, triage with both readers, topic), over the held-out texts,
 * beside the word rules alone. Issue 8's budget: median <= 1 ms.
 * Run directly: node --import tsx bench/classify.ts
 */
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { analyseMessage } from "../src/domain/analysis.ts";
import { triage } from "../src/domain/triage/triage.ts";

function texts(): string[] {
  return readFileSync(new URL("../test/fixtures/holdout/triage-holdout.jsonl", import.meta.url), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => (JSON.parse(l) as { text: string }).text);
}

function time(fn: (t: string) => unknown, all: string[], calls: number): { median: number; p99: number } {
  for (let i = 0; i < 2_000; i++) fn(all[i % all.length]!);
  const times = new Float64Array(calls);
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    fn(all[i % all.length]!);
    times[i] = performance.now() - t0;
  }
  times.sort();
  const at = (q: number) => Math.round(times[Math.min(calls - 1, Math.floor(q * calls))]! * 10_000) / 10_000;
  return { median: at(0.5), p99: at(0.99) };
}

export async function bench(calls = Number(process.env.BENCH_N ?? 20_000)): Promise<void> {
  const all = texts();
  const whole = time((t) => analyseMessage(t), all, calls);
  const rules = time((t) => triage(t, {}, { model: false }), all, calls);
  console.log(`classify one message (analysis: language, triage with both readers, topic): median ${whole.median} ms, p99 ${whole.p99} ms`);
  console.log(`triage, word rules alone: median ${rules.median} ms, p99 ${rules.p99} ms (ratio ${(whole.median / rules.median).toFixed(1)}x)`);
  console.log(`budget: median <= 1 ms: ${whole.median <= 1 ? "met" : "NOT met"}`);
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) await bench();
