import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { matchText } from "../../../src/domain/knowledge/matcher.ts";
import { isTopicId, TOPIC_IDS } from "../../../src/domain/knowledge/topics.ts";

interface Example {
  text: string;
  topic: string;
  language: "id" | "en";
}

const examples: Example[] = readFileSync(
  new URL("../../fixtures/topics.labelled.jsonl", import.meta.url),
  "utf8",
)
  .split("\n")
  .filter((l) => l.trim() !== "")
  .map((l) => JSON.parse(l) as Example);

describe("labelled set", () => {
  it("is large, bilingual and covers every topic", () => {
    expect(examples.length).toBeGreaterThanOrEqual(340);
    expect(examples.filter((e) => e.language === "en").length).toBeGreaterThanOrEqual(examples.length / 3);
    for (const e of examples) {
      expect(isTopicId(e.topic), e.text).toBe(true);
      expect(["id", "en"]).toContain(e.language);
    }
    for (const t of TOPIC_IDS)
      expect(examples.filter((e) => e.topic === t).length, t).toBeGreaterThanOrEqual(15);
  });

  it("topic accuracy >= 0.97 and language accuracy >= 0.97", () => {
    let topicOk = 0;
    let langOk = 0;
    const misses: string[] = [];
    for (const e of examples) {
      const r = matchText(e.text);
      if (r.topic === e.topic) topicOk++;
      else misses.push(`${e.topic} -> ${r.topic} (${r.confidence}): ${e.text}`);
      if (r.language === e.language) langOk++;
    }
    const topicAccuracy = topicOk / examples.length;
    const languageAccuracy = langOk / examples.length;
    console.log(
      `topic accuracy ${(topicAccuracy * 100).toFixed(1)}%, language accuracy ${(languageAccuracy * 100).toFixed(1)}% (N=${examples.length})`,
    );
    if (misses.length > 0) console.log(misses.join("\n"));
    expect(topicAccuracy).toBeGreaterThanOrEqual(0.97);
    expect(languageAccuracy).toBeGreaterThanOrEqual(0.97);
  });
});
