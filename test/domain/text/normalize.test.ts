import { describe, expect, it } from "vitest";
import { editDistance, fold, normalize, SLANG, typoBudget } from "../../../src/domain/text/normalize.ts";

describe("fold", () => {
  it("lower-cases, strips accents, punctuation and emoji", () => {
    expect(fold("  Tolong!!! Paspór 🙏 ")).toBe("tolong paspor");
  });
  it("squeezes letters repeated 3+ times to two", () => {
    expect(fold("tolooooong kbriii")).toBe("toloong kbrii");
  });
  it("folds fancy Unicode letters (NFKC)", () => {
    expect(fold("𝐩𝐚𝐬𝐩𝐨𝐫")).toBe("paspor");
  });
  it("joins apostrophes and truncates very long input", () => {
    expect(fold("don't")).toBe("dont");
    expect(fold("a".repeat(10_000) + " b").length).toBeLessThanOrEqual(4096);
  });
});

describe("normalize", () => {
  it("expands chat abbreviations", () => {
    expect(normalize("tlg sy gk pny paspor").tokens).toEqual(["tolong", "saya", "tidak", "punya", "paspor"]);
    expect(normalize("gmn cara plg ke indo").text).toBe("bagaimana cara pulang ke indonesia");
  });
  it("expands a little Javanese", () => {
    expect(normalize("piye carane mulih, ora duwe duit").tokens).toEqual([
      "bagaimana",
      "carane",
      "pulang",
      "tidak",
      "punya",
      "uang",
    ]);
  });
  it("handles repeated letters and reduplication", () => {
    expect(normalize("kbriii").tokens).toEqual(["kbri"]);
    expect(normalize("tolooong").tokens).toEqual(["tolong"]);
    expect(normalize("anak2 saya").tokens).toEqual(["anak", "saya"]);
  });
  it("reads 'no' as nomor only before a contact word or number", () => {
    expect(normalize("no kbri brp").tokens).toEqual(["nomor", "kbri", "berapa"]);
    expect(normalize("no wa 0812").tokens[0]).toBe("nomor");
    expect(normalize("I have no passport").tokens).toEqual(["i", "have", "no", "passport"]);
  });
  it("keeps address forms apart from family words", () => {
    expect(normalize("kak, mbak").tokens).toEqual(["kak", "kak"]);
    expect(normalize("anakku").tokens).toEqual(["anak", "saya"]);
  });
  it("normalizes laughter and does not squeeze real words into slang", () => {
    expect(normalize("wkwkwk hahaha").tokens).toEqual(["wkwk", "haha"]);
    expect(normalize("safe travel app").tokens).toEqual(["safe", "travel", "app"]);
  });
  it("returns no tokens for empty or emoji-only text", () => {
    expect(normalize("").tokens).toEqual([]);
    expect(normalize("😀😀 !!").tokens).toEqual([]);
  });
  it("maps every slang entry to non-empty words", () => {
    for (const [k, v] of Object.entries(SLANG)) {
      expect(k).toMatch(/^[a-z0-9_]+$/);
      expect(v.trim()).not.toBe("");
    }
  });
});

describe("editDistance / typoBudget", () => {
  it("counts edits including transpositions", () => {
    expect(editDistance("paspor", "paspor")).toBe(0);
    expect(editDistance("pasport", "paspor")).toBe(1);
    expect(editDistance("pasprot", "paspor")).toBe(2);
    expect(editDistance("ab", "ba")).toBe(1);
  });
  it("stops early above max", () => {
    expect(editDistance("abcdefgh", "zzzzzzzz", 2)).toBe(3);
    expect(editDistance("a", "abcdefg", 2)).toBe(3);
  });
  it("allows more typos in longer words", () => {
    expect(typoBudget("kbr")).toBe(0);
    expect(typoBudget("paspor")).toBe(1);
    expect(typoBudget("penampungan")).toBe(2);
  });
});
