/**
 * User text is never a key into a plain object: words that name
 * Object.prototype members ("constructor", "__proto__", "toString") must not
 * crash or confuse any domain reader. "constructor" once crashed the normaliser.
 */
import { describe, expect, it } from "vitest";
import { classify } from "../../../src/domain/classify.ts";
import { parseOverstay } from "../../../src/domain/flows/overstay.ts";
import { detectLanguage } from "../../../src/domain/knowledge/language.ts";
import { matchText } from "../../../src/domain/knowledge/matcher.ts";
import { normalize } from "../../../src/domain/text/normalize.ts";
import { triage } from "../../../src/domain/triage/triage.ts";

const PROTO_WORDS = [...Object.getOwnPropertyNames(Object.prototype), "prototype", "__proto__"];

describe("words that name Object.prototype members", () => {
  it.each(PROTO_WORDS)("%s is read as a plain word by every reader", (word) => {
    for (const text of [word, `${word}2`, `the ${word} beat me and locked me in, help`, `sejak ${word} 2025`]) {
      expect(() => normalize(text)).not.toThrow();
      expect(() => matchText(text)).not.toThrow();
      expect(() => detectLanguage(text)).not.toThrow();
      expect(() => parseOverstay(text, Date.UTC(2026, 0, 20))).not.toThrow();
      expect(() => classify(text)).not.toThrow();
    }
    const urgent = triage(`the ${word} beat me and locked me in, help`);
    expect(urgent.level).toBe("urgent");
    expect(urgent.signals).toEqual(expect.arrayContaining(["confinement", "violence"]));
    // the word itself never becomes part of a normalised expansion other than itself
    expect(normalize(word).tokens.join(" ")).not.toMatch(/function|\[native code\]|object/i);
  });
});
