import { spawnSync } from "node:child_process";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runClassifyCli } from "../../src/cli/classify.ts";
import { classify } from "../../src/domain/classify.ts";
import { TOPIC_IDS } from "../../src/domain/knowledge/topics.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));

function run(args: string[], input?: string) {
  return spawnSync(process.execPath, ["--import", "tsx", "src/cli/classify.ts", ...args], {
    cwd: root,
    input: input ?? "",
    encoding: "utf8",
    timeout: 30_000,
  });
}

function checkShape(obj: Record<string, unknown>): void {
  expect(typeof obj.text).toBe("string");
  expect(["id", "en"]).toContain(obj.language);
  expect(TOPIC_IDS as readonly unknown[]).toContain(obj.topic);
  expect(typeof obj.urgent).toBe("boolean");
  expect(["urgent", "unsure", "past", "none"]).toContain(obj.level);
  expect(["rules", "context", "model", "button", "none"]).toContain(obj.reader);
  expect(Array.isArray(obj.matched)).toBe(true);
  expect(Array.isArray(obj.signals)).toBe(true);
  expect(typeof obj.confidence).toBe("number");
  expect(obj.confidence as number).toBeGreaterThanOrEqual(0);
  expect(obj.confidence as number).toBeLessThanOrEqual(1);
}

describe("classify CLI", () => {
  it("says which reader decided and why", () => {
    const rules = classify("saya dipukul dan dikurung di kamar");
    expect(rules).toMatchObject({ level: "urgent", reader: "rules" });
    expect(rules.matched.some((m) => m.startsWith("violence:"))).toBe(true);
    expect(classify("nomor kbri berapa")).toMatchObject({ level: "none", reader: "none", topic: "embassy_contact" });
    const past = classify("dulu saya dipukul tapi sekarang sudah aman di kbri");
    expect(past).toMatchObject({ level: "past", reader: "rules" });
  });

  it("classifies its joined arguments as one JSON line", () => {
    const res = run(["tlg", "sy", "gk", "pny", "paspor"]);
    expect(res.status).toBe(0);
    const lines = res.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const obj = JSON.parse(lines[0]!) as Record<string, unknown>;
    checkShape(obj);
    expect(obj.text).toBe("tlg sy gk pny paspor");
    expect(obj.topic).toBe("passport");
    expect(obj.language).toBe("id");
    expect(obj).toEqual(classify("tlg sy gk pny paspor"));
  });

  it("classifies stdin line by line, skipping empty lines", () => {
    const res = run([], "halo\n\nnomor kbri brp\nmy brother is stuck in cambodia\n");
    expect(res.status).toBe(0);
    const lines = res.stdout.trim().split("\n");
    expect(lines).toHaveLength(3);
    const objs = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    objs.forEach(checkShape);
    expect(objs.map((o) => o.topic)).toEqual(["greeting", "embassy_contact", "family"]);
    expect(objs[2]?.language).toBe("en");
  });

  it("runClassifyCli works in-process with streams", async () => {
    const stdin = new PassThrough();
    let out = "";
    const stdout = { write: (s: string) => (out += s) };
    const done = runClassifyCli([], stdin, stdout);
    stdin.end("paspor hilang\r\nthanks\n");
    expect(await done).toBe(0);
    expect(
      out
        .trim()
        .split("\n")
        .map((l) => (JSON.parse(l) as { topic: string }).topic),
    ).toEqual(["passport", "thanks"]);
  });
});

describe("classify", () => {
  it("rounds confidence to 3 decimals and copies the text", () => {
    const c = classify("gmn cara plg ke indo");
    expect(c.text).toBe("gmn cara plg ke indo");
    expect(c.topic).toBe("return_home");
    expect(Math.round(c.confidence * 1000) / 1000).toBe(c.confidence);
  });
});
