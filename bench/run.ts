/**
 * `npm run bench`: every benchmark section that exists, in order. A section
 * that is not there (yet) is skipped with a note; one that fails is reported
 * and the run ends non-zero after the others have run.
 *
 * `npm run bench -- --quick`: only the quick sections (the whole bot with
 * BENCH_N=2000 updates unless BENCH_N is set, and the matcher): seconds, not minutes.
 */
import { existsSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

interface Section {
  file: string;
  title: string;
  /** part of the quick run */
  quick?: boolean;
  run(mod: Record<string, unknown>): Promise<void>;
}

const callExport = (name: string) => async (mod: Record<string, unknown>) => {
  const fn = mod[name];
  if (typeof fn !== "function") throw new Error(`does not export ${name}()`);
  await (fn as () => Promise<void>)();
};

const SECTIONS: Section[] = [
  { file: "bot.ts", title: "whole bot vs bare grammY", quick: true, run: callExport("bench") },
  {
    file: "matcher.ts",
    title: "free-text matcher",
    quick: true,
    async run(mod) {
      const fn = mod.benchMatcher;
      if (typeof fn !== "function") throw new Error("does not export benchMatcher()");
      const r = (await (fn as () => Promise<{ medianMs: number; p99Ms: number; perSecond: number }>)()) ?? undefined;
      if (r) console.log(`matcher: median ${r.medianMs} ms, p99 ${r.p99Ms} ms, ${r.perSecond} calls/s`);
    },
  },
  { file: "storage.ts", title: "storage", run: callExport("bench") },
  { file: "desk-surge.ts", title: "staff desk under a surge", run: callExport("bench") },
  { file: "flows.ts", title: "guided flows (conversation replay)", run: callExport("bench") },
];

// Sections added later (bench/<name>.ts exporting bench()) run after the known ones;
// files starting with "_" are scratch files and are left out.
const known = new Set([...SECTIONS.map((s) => s.file), "run.ts"]);
for (const file of readdirSync(fileURLToPath(new URL(".", import.meta.url))).sort()) {
  if (/^[^_].*\.ts$/.test(file) && !file.endsWith(".d.ts") && !known.has(file)) {
    SECTIONS.push({ file, title: file.slice(0, -3), run: callExport("bench") });
  }
}

const quick = process.argv.includes("--quick");
if (quick) process.env.BENCH_N ??= "2000";

let failed = 0;
const started = performance.now();
for (const s of SECTIONS) {
  if (quick && !s.quick) {
    console.log(`\n=== ${s.title} (bench/${s.file}): left out of the quick run`);
    continue;
  }
  const url = new URL(`./${s.file}`, import.meta.url);
  console.log(`\n=== ${s.title} (bench/${s.file})`);
  if (!existsSync(url)) {
    console.log("skipped: not there yet");
    continue;
  }
  const t0 = performance.now();
  try {
    await s.run((await import(url.href)) as Record<string, unknown>);
    console.log(`(${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  } catch (err) {
    failed++;
    console.log(`FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  }
}
console.log(`\n${SECTIONS.length} sections, ${failed} failed, ${((performance.now() - started) / 1000).toFixed(1)} s`);
if (failed > 0 || process.exitCode) process.exitCode = 1;
