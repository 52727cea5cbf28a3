import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_FACTS_FILE, FactsError, loadFacts, parseFacts, REQUIRED_FACTS } from "../../src/content/facts.ts";
import { createTestBot, type TestBot } from "../helpers/bot.ts";

const raw = () => JSON.parse(readFileSync(DEFAULT_FACTS_FILE, "utf8")) as { facts: Record<string, Record<string, unknown>> };

function errorOf(file: unknown): string {
  try {
    parseFacts(file);
  } catch (err) {
    expect(err).toBeInstanceOf(FactsError);
    return (err as Error).message;
  }
  throw new Error("expected a FactsError");
}

let dir: string | undefined;
let tb: TestBot | undefined;
afterEach(async () => {
  await tb?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  tb = dir = undefined;
});

describe("content/facts.json", () => {
  it("validates, and contains every fact the code relies on", () => {
    const facts = loadFacts();
    for (const id of REQUIRED_FACTS) expect(facts.file.facts[id], id).toBeDefined();
  });

  it("every fact has a source and a real checked date (not in the future)", () => {
    const facts = loadFacts();
    const today = new Date().toISOString().slice(0, 10);
    for (const [id, fact] of Object.entries(facts.file.facts)) {
      expect(fact.source.trim().length, id).toBeGreaterThanOrEqual(3);
      expect(fact.checked, id).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(Number.isNaN(Date.parse(fact.checked)), id).toBe(false);
      expect(fact.checked <= today, `${id} checked ${fact.checked} is after today`).toBe(true);
    }
  });

  it("every number a person abroad dials is in international format (+country code)", () => {
    const facts = loadFacts();
    // a phone number: 6 or more digits, possibly grouped with spaces or dashes
    const PHONE_NUMBER = /\+?\d[\d -]{4,}\d/g;
    for (const [id, fact] of Object.entries(facts.file.facts)) {
      const texts = [typeof fact.value === "string" ? fact.value : "latitude" in fact.value ? "" : `${fact.value.id} ${fact.value.en}`];
      if (fact.label) texts.push(fact.label.id, fact.label.en);
      // a number only dialled inside Indonesia says so ("from Indonesia"); short codes (117, 148) are local
      const domesticOnly = fact.label !== undefined && /from Indonesia/.test(fact.label.en) && !/WhatsApp/.test(fact.label.en);
      for (const text of texts) {
        for (const m of text.matchAll(PHONE_NUMBER)) {
          const n = m[0];
          if (/^\d{4}$/.test(n.replace(/\D/g, "")) || /^20\d\d$/.test(n.trim())) continue;
          if (/^\d{4}-\d{2}-\d{2}$/.test(n)) continue;
          if (!/[ -]/.test(n) && !n.startsWith("+")) continue; // a plain count ("1213 people"), not a number to dial
          if (domesticOnly) continue;
          expect(n.startsWith("+"), `${id}: "${n}" should be +country code`).toBe(true);
        }
      }
    }
    const view = facts.view("en", "");
    expect(view.kp2mi_whatsapp).toMatch(/^\+62 /);
    expect(view.cambodia_police_foreigners).toMatch(/^\+855 /);
    expect(view.kp2mi_free_label).toContain("from Indonesia");
  });

  it("an invalid file gives a readable error naming the fact and the field", () => {
    const broken = raw();
    delete (broken.facts.splp_fee as Record<string, unknown>).source;
    (broken.facts.kemlu_hotline as Record<string, unknown>).checked = "last week";
    const message = errorOf(broken);
    expect(message).toMatch(/^The facts file is invalid:/);
    expect(message).toContain("facts.splp_fee.source");
    expect(message).toContain("facts.kemlu_hotline.checked: checked must be a date YYYY-MM-DD");
  });

  it("a missing required fact is named", () => {
    const broken = raw();
    delete broken.facts.kbri_hotline_protection;
    expect(errorOf(broken)).toContain('required fact "kbri_hotline_protection" is missing');
  });

  it("an unreadable file names the path", () => {
    const d = mkdtempSync(join(tmpdir(), "jp-facts-"));
    dir = d;
    const path = join(d, "facts.json");
    writeFileSync(path, "{ not json");
    expect(() => loadFacts(path)).toThrow(FactsError);
    expect(() => loadFacts(path)).toThrow(path);
    expect(() => loadFacts(join(d, "missing.json"))).toThrow(/Cannot read the facts file/);
  });

  it("view(): unverified facts carry the note, hidden ones are absent, labels follow the language", () => {
    const file = raw();
    const facts = parseFacts(file);
    const note = "(UNVERIFIED)";
    const id = facts.view("id", note);
    const en = facts.view("en", note);
    const entries = Object.entries(file.facts);
    const hidden = entries.filter(([, f]) => f.show === false).map(([k]) => k);
    const unverified = entries.filter(([, f]) => f.verified === false && f.show !== false).map(([k]) => k);
    const verified = entries.filter(([, f]) => f.verified === true && f.show !== false).map(([k]) => k);
    expect(hidden.length).toBeGreaterThan(0);
    expect(unverified.length).toBeGreaterThan(0);
    for (const k of hidden) {
      expect(id[k], k).toBeUndefined();
      expect(facts.get(k), k).toBeUndefined();
    }
    for (const k of unverified) expect(id[k], k).toMatch(/\(UNVERIFIED\)$/);
    for (const k of verified) expect(id[k], k).not.toContain(note);
    expect(id.kbri_hotline_protection).toBe(file.facts.kbri_hotline_protection?.value);
    expect(id.kbri_hotline_protection_label).not.toBe(en.kbri_hotline_protection_label);
    expect(id.kbri_name).not.toBe(en.kbri_name);
  });

  it("a location fact is a location; a hidden one is not returned", () => {
    const file = raw();
    const facts = parseFacts(file);
    const pin = facts.location("kbri_map_pin");
    expect(pin?.latitude).toBeGreaterThan(11);
    expect(pin?.longitude).toBeGreaterThan(104);
    (file.facts.kbri_map_pin as Record<string, unknown>).show = false;
    expect(parseFacts(file).location("kbri_map_pin")).toBeUndefined();
    expect(facts.number("overstay_fine_per_day_usd")).toBeGreaterThan(0);
  });

  it("FACTS_FILE pointing to an operator's copy changes what the bot says", async () => {
    const NEW = "+855 99 000 111";
    const file = raw();
    const hotline = file.facts.kbri_hotline_protection as Record<string, unknown>;
    const OLD = hotline.value as string;
    hotline.value = NEW;
    dir = mkdtempSync(join(tmpdir(), "jp-facts-"));
    const path = join(dir, "facts.json");
    writeFileSync(path, JSON.stringify(file));
    tb = await createTestBot({ env: { FACTS_FILE: path } });
    await tb.press("t:hotlines");
    const [answer] = tb.replies();
    expect(answer).toContain(NEW);
    expect(answer).not.toContain(OLD);
    tb.api.clear();
    await tb.send("tolong saya dikurung");
    expect(tb.replies()[0]).toContain(NEW);
  });
});
