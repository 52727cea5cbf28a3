import { describe, expect, it } from "vitest";
import { detectLanguage, LANGUAGE_CONFIDENCE_MIN } from "../../../src/domain/knowledge/language.ts";

describe("detectLanguage", () => {
  it("recognises Indonesian, including slang and Javanese", () => {
    for (const t of [
      "saya mau pulang ke indonesia",
      "tlg sy gk pny paspor",
      "piye carane mulih, ora duwe duit",
    ]) {
      const r = detectLanguage(t);
      expect(r.language, t).toBe("id");
      expect(r.confidence, t).toBeGreaterThanOrEqual(LANGUAGE_CONFIDENCE_MIN);
    }
  });
  it("recognises English, including chat abbreviations", () => {
    for (const t of ["i want to go home", "my brother is stuck in cambodia", "can u help me pls"]) {
      const r = detectLanguage(t);
      expect(r.language, t).toBe("en");
      expect(r.confidence, t).toBeGreaterThanOrEqual(LANGUAGE_CONFIDENCE_MIN);
    }
  });
  it("gives low confidence for short or shared words", () => {
    for (const t of ["ok", "sos", "kbri", "12345", "", "🙏", "hi", "admin"]) {
      expect(detectLanguage(t).confidence, t).toBeLessThan(LANGUAGE_CONFIDENCE_MIN);
    }
  });
  it("does not let borrowed English terms flip Indonesian text", () => {
    expect(detectLanguage("aplikasi safe travel buat apa").language).toBe("id");
    expect(detectLanguage("berapa denda overstay").language).toBe("id");
  });
  it("returns confidence within 0..1", () => {
    for (const t of ["halo", "hello there how are you", "x".repeat(5000)]) {
      const c = detectLanguage(t).confidence;
      expect(c).toBeGreaterThanOrEqual(0);
      expect(c).toBeLessThanOrEqual(1);
    }
  });
});
