import { describe, expect, it } from "vitest";
import { isBasicNeed } from "../../../src/domain/knowledge/needs.ts";

describe("isBasicNeed: no food, water or place to sleep", () => {
  it.each([
    "gk ada makan 2 hari",
    "sy blm makan dr kemarin",
    "aku lapar bgt",
    "udh 3 hari gak mkn",
    "gk pny uang buat makan",
    "tidak ada tempat tidur",
    "I haven't eaten in two days",
    "no food no water",
    "we are starving",
    "nowhere to sleep",
  ])("%s", (text) => expect(isBasicNeed(text)).toBe(true));

  it.each(["resep nasi goreng", "mau makan dimana enak", "nomor kbri brp", "where can I buy food near the embassy", "how do I go home"])("not: %s", (text) =>
    expect(isBasicNeed(text)).toBe(false),
  );
});
