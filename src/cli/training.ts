/**
 * What the two trainers (train-triage-model.ts, train-topic-model.ts) share:
 * reading labelled JSONL sets from the repository, and a seeded random order,
 * so that training is deterministic.
 */
import { readdirSync, readFileSync } from "node:fs";

export const REPO_ROOT = new URL("../../", import.meta.url);

/** Every non-empty line of each set (paths relative to the repository root), parsed. */
export function readLabelled<T>(files: readonly string[]): T[] {
  const rows: T[] = [];
  for (const file of files) {
    for (const line of readFileSync(new URL(file, REPO_ROOT), "utf8").split("\n")) {
      if (line.trim() !== "") rows.push(JSON.parse(line) as T);
    }
  }
  return rows;
}

/** mulberry32: a small seeded generator in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher-Yates in place, with the given generator. */
export function shuffle<T>(items: T[], rand: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** Every development set (test/fixtures/dev/*.jsonl), by path relative to the repository root, sorted. */
export function devSets(): string[] {
  return readdirSync(new URL("test/fixtures/dev/", REPO_ROOT))
    .filter((f) => f.endsWith(".jsonl"))
    .sort()
    .map((f) => `test/fixtures/dev/${f}`);
}
