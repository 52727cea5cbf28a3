/**
 * Prints what the one evaluator (src/domain/evaluation.ts) finds on a labelled set:
 * recall, urgent answered as Q&A, false alarms, signal accuracy, topic, reply
 * language and the confusion table.
 *   node --import tsx src/cli/triage-eval.ts [path/to/set.jsonl] [--verbose]
 */
import { readFileSync } from "node:fs";
import { formatFigures, parseRows, score } from "../domain/evaluation.ts";

const args = process.argv.slice(2);
const verbose = args.includes("--verbose") || args.includes("-v");
const file = args.find((a) => !a.startsWith("-")) ?? "test/fixtures/triage.labelled.jsonl";
const rows = parseRows(readFileSync(file, "utf8"));
const started = performance.now();
const r = score(rows);
const ms = (performance.now() - started) / Math.max(1, rows.length);

console.log(`set: ${file}`);
console.log(formatFigures(r));
console.log(`signal accuracy: ${(100 * r.signalAccuracy).toFixed(1)}%`);
console.log(`time: ${ms.toFixed(3)} ms/message (language, triage and topic)`);
console.log("confusion (label -> level):");
console.table(r.confusion);
for (const m of r.misses) console.log(`MISS  [${m.level}] ${JSON.stringify(m.row.text)}`);
for (const m of r.falseAlarms) console.log(`FALSE ${JSON.stringify(m.row.text)}  <- ${m.matched.join("; ")}`);
if (verbose) {
  for (const m of r.signalMisses) {
    console.log(`SIGNAL missing ${m.missing.join(",")}: ${JSON.stringify(m.row.text)} got ${m.result.signals.join(",")}`);
  }
}
