/**
 * Prints recall / false-alarm rate / signal accuracy / confusion of urgent triage on the labelled set.
 *   node --import tsx src/cli/triage-eval.ts [path/to/set.jsonl] [--verbose]
 */
import { readFileSync } from "node:fs";
import { evaluate, parseJsonl } from "../domain/triage/eval.ts";

const args = process.argv.slice(2);
const verbose = args.includes("--verbose") || args.includes("-v");
const file = args.find((a) => !a.startsWith("-")) ?? "test/fixtures/triage.labelled.jsonl";
const rows = parseJsonl(readFileSync(file, "utf8"));
const started = performance.now();
const r = evaluate(rows);
const ms = (performance.now() - started) / Math.max(1, rows.length);
const pct = (x: number): string => (100 * x).toFixed(1) + "%";

console.log(`set: ${file}  (${r.urgentN} urgent / ${r.nonUrgentN} non-urgent)`);
console.log(`recall:         ${pct(r.recall)}`);
console.log(`false alarms:   ${pct(r.falseAlarmRate)}`);
console.log(`signal accuracy ${pct(r.signalAccuracy)}`);
console.log(`time:           ${ms.toFixed(3)} ms/message`);
console.log("confusion (label -> predicted level):");
console.table(r.confusion);
for (const m of r.misses) console.log(`MISS  [${m.result.level}] ${JSON.stringify(m.row.text)}`);
for (const m of r.falseAlarms)
  console.log(`FALSE ${JSON.stringify(m.row.text)}  <- ${m.result.matched.join("; ")}`);
if (verbose) {
  for (const m of r.signalMisses) {
    console.log(
      `SIGNAL missing ${m.missing.join(",")}: ${JSON.stringify(m.row.text)} got ${m.result.signals.join(",")}`,
    );
  }
}
