/**
 * Trains the statistical topic reader (src/domain/knowledge/model) from the
 * labelled topic set and the development sets, and writes
 * src/domain/knowledge/model/weights.ts. Deterministic. The held-out set is
 * never read: the confidence at which the model overrules the word matcher is
 * chosen on out-of-fold predictions (5-fold cross-validation).
 *
 *   npm run train-model            # trains both readers (triage, then topic)
 *   node --import tsx src/cli/train-topic-model.ts --check
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { featuresOf } from "../domain/text/features.ts";
import { matchWords } from "../domain/knowledge/matcher.ts";
import { TOPIC_IDS, type TopicId } from "../domain/knowledge/topics.ts";
import { TOPIC_BUCKETS } from "../domain/knowledge/model/reader.ts";
import { devSets, readLabelled, REPO_ROOT, rng, shuffle } from "./training.ts";

interface Row {
  text: string;
  topic: TopicId;
  urgent: boolean;
}

const root = REPO_ROOT;
const SETS = ["test/fixtures/topics.labelled.jsonl", ...devSets()];
const K = TOPIC_IDS.length;
const INDEX = new Map<string, number>(TOPIC_IDS.map((t, i) => [t, i]));

function load(): Row[] {
  return readLabelled<{ text: string; topic?: string | null; urgent?: boolean }>(SETS).flatMap((r) =>
    typeof r.topic === "string" && INDEX.has(r.topic) ? [{ text: r.text, topic: r.topic as TopicId, urgent: r.urgent === true }] : [],
  );
}

interface Model {
  w: Float64Array; // K * TOPIC_BUCKETS, class-major
  b: Float64Array;
}

const EPOCHS = 30;
const LR = 0.1;
const L2 = 2e-5;

function probs(m: Model, x: number[]): number[] {
  const z = new Array<number>(K);
  let max = -Infinity;
  for (let k = 0; k < K; k++) {
    let s = m.b[k]!;
    const off = k * TOPIC_BUCKETS;
    for (const f of x) s += m.w[off + f]!;
    z[k] = s;
    if (s > max) max = s;
  }
  let sum = 0;
  for (let k = 0; k < K; k++) {
    z[k] = Math.exp(z[k]! - max);
    sum += z[k]!;
  }
  return z.map((v) => v / sum);
}

function train(xs: number[][], ys: number[]): Model {
  const m: Model = { w: new Float64Array(K * TOPIC_BUCKETS), b: new Float64Array(K) };
  const g2 = new Float64Array(K * TOPIC_BUCKETS).fill(1e-8);
  const gb = new Float64Array(K).fill(1e-8);
  const order = xs.map((_, i) => i);
  const rand = rng(3);
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    shuffle(order, rand);
    for (const i of order) {
      const x = xs[i]!;
      const p = probs(m, x);
      for (let k = 0; k < K; k++) {
        const g = p[k]! - (ys[i] === k ? 1 : 0);
        if (Math.abs(g) < 1e-4) continue;
        const off = k * TOPIC_BUCKETS;
        for (const f of x) {
          const gf = g + L2 * m.w[off + f]!;
          g2[off + f]! += gf * gf;
          m.w[off + f]! -= (LR * gf) / Math.sqrt(g2[off + f]!);
        }
        gb[k]! += g * g;
        m.b[k]! -= (LR * g) / Math.sqrt(gb[k]!);
      }
    }
  }
  return m;
}

const argmax = (p: number[]) => p.reduce((bi, v, i, a) => (v > a[bi]! ? i : bi), 0);
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

function main(): void {
  const check = process.argv.includes("--check");
  const rows = load();
  const order = shuffle(
    rows.map((_, i) => i),
    rng(11),
  );
  const shuffled = order.map((i) => rows[i]!);
  const xs = shuffled.map((r) => featuresOf(r.text, TOPIC_BUCKETS));
  const ys = shuffled.map((r) => INDEX.get(r.topic)!);
  const oof: number[][] = new Array(xs.length);
  for (let fold = 0; fold < 5; fold++) {
    const idx = xs.map((_, i) => i).filter((i) => i % 5 !== fold);
    const m = train(
      idx.map((i) => xs[i]!),
      idx.map((i) => ys[i]!),
    );
    xs.forEach((x, i) => {
      if (i % 5 === fold) oof[i] = probs(m, x);
    });
  }
  const matcher = shuffled.map((r) => matchWords(r.text).topic);
  const judged = shuffled.map((r, i) => ({ r, i })).filter(({ r }) => !r.urgent);
  const acc = (pick: (i: number) => TopicId) => judged.filter(({ r, i }) => pick(i) === r.topic).length / judged.length;
  console.log(`rows: ${rows.length}; judged (not urgent): ${judged.length}`);
  console.log(`matcher alone: ${pct(acc((i) => matcher[i]!))}`);
  console.log(`model alone (out of fold): ${pct(acc((i) => TOPIC_IDS[argmax(oof[i]!)]!))}`);
  let best = { at: 1.01, acc: acc((i) => matcher[i]!) };
  for (const at of [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]) {
    const a = acc((i) => (oof[i]![argmax(oof[i]!)]! >= at ? TOPIC_IDS[argmax(oof[i]!)]! : matcher[i]!));
    console.log(`model when its confidence >= ${at}, else matcher: ${pct(a)}`);
    if (a > best.acc) best = { at, acc: a };
  }
  console.log(`chosen: overruleAt ${best.at}`);
  if (check) return;
  const m = train(xs, ys);
  let max = 0;
  for (const v of m.w) max = Math.max(max, Math.abs(v));
  const scale = max / 127;
  const q = new Int8Array(m.w.length);
  for (let i = 0; i < m.w.length; i++) q[i] = Math.max(-127, Math.min(127, Math.round(m.w[i]! / scale)));
  const out = fileURLToPath(new URL("src/domain/knowledge/model/weights.ts", root));
  writeFileSync(
    out,
    [
      "/**",
      " * Generated by `npm run train-model` (src/cli/train-topic-model.ts): do not edit by hand.",
      ` * Trained on ${rows.length} labelled messages (${SETS.join(", ")}).`,
      " * weights: one signed byte per topic and feature bucket (topic-major, in TOPIC_IDS order), base64.",
      " */",
      "export const TOPIC_MODEL = {",
      `  topics: ${JSON.stringify(TOPIC_IDS)},`,
      `  intercepts: ${JSON.stringify([...m.b])},`,
      `  scale: ${scale},`,
      `  overruleAt: ${best.at},`,
      `  weights:\n    "${Buffer.from(q.buffer).toString("base64")}",`,
      "} as const;",
      "",
    ].join("\n"),
  );
  console.log(`wrote ${out}`);
}

main();
