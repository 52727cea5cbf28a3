import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { BoundedMap } from "../../src/domain/bounded-map.ts";
import { PROJECT_ROOT } from "../../src/paths.ts";

describe("BoundedMap: the one bounded cache", () => {
  it("never holds more than max; a new key drops the least recently used", () => {
    const m = new BoundedMap<string, number>(3);
    for (const [i, k] of ["a", "b", "c", "d", "e"].entries()) m.set(k, i);
    expect([...m.keys()]).toEqual(["c", "d", "e"]);
    expect(m.size).toBe(3);
  });

  it("a get or a set counts as a use", () => {
    const m = new BoundedMap<string, number>(2);
    m.set("a", 1).set("b", 2);
    expect(m.get("a")).toBe(1);
    m.set("c", 3);
    expect([...m.keys()]).toEqual(["a", "c"]);
    m.set("a", 10);
    m.set("d", 4);
    expect([...m.entries()]).toEqual([
      ["a", 10],
      ["d", 4],
    ]);
    expect(m.get("zz")).toBeUndefined();
    expect(m.has("a")).toBe(true);
  });

  it("max 0 keeps nothing; a negative max is refused", () => {
    const m = new BoundedMap<string, number>(0);
    m.set("a", 1);
    expect(m.size).toBe(0);
    expect(() => new BoundedMap(-1)).toThrow(RangeError);
  });

  it("the code has no other hand-made bounded cache (a Map cleared or trimmed when full)", () => {
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : f.endsWith(".ts") ? [join(dir, f)] : []));
    const offenders: string[] = [];
    for (const file of files(join(PROJECT_ROOT, "src"))) {
      const rel = relative(PROJECT_ROOT, file);
      // the helper itself
      if (rel === "src/domain/bounded-map.ts") continue;
      const text = readFileSync(file, "utf8");
      if (/\.size\s*>=?\s*[\w_.]+\)\s*[\w.]+\.clear\(\)|\.keys\(\)\.next\(\)\.value/.test(text)) offenders.push(rel);
    }
    expect(offenders).toEqual([]);
  });
});
