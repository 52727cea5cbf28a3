import { describe, expect, it } from "vitest";
import { ANSWER_MIN_CONFIDENCE, matchText } from "../../../src/domain/knowledge/matcher.ts";
import { ANSWERABLE_TOPICS, TOPIC_IDS } from "../../../src/domain/knowledge/topics.ts";

describe("topics", () => {
  it("answerable topics exclude the conversational ones", () => {
    expect(ANSWERABLE_TOPICS).not.toContain("greeting");
    expect(ANSWERABLE_TOPICS).not.toContain("thanks");
    expect(ANSWERABLE_TOPICS).not.toContain("human");
    expect(ANSWERABLE_TOPICS).not.toContain("out_of_scope");
    expect(ANSWERABLE_TOPICS.length).toBe(TOPIC_IDS.length - 4);
  });
});

describe("matchText: brief examples", () => {
  const cases: Array<[string, string]> = [
    ["tlg sy gk pny paspor", "passport"],
    ["nomor kbri brp", "embassy_contact"],
    ["gmn cara plg ke indo", "return_home"],
    ["hi", "greeting"],
    ["makasih bnyk", "thanks"],
    ["cara lapor diri gmn", "lapor_diri"],
    ["nomor hotline darurat", "hotlines"],
    ["ada yg ngaku dr kbri minta uang", "scam_warning"],
    ["perlu hapus chat ini gk", "safety"],
    ["anak saya di kamboja gk bisa pulang", "family"],
    ["my brother is stuck in cambodia", "family"],
    ["i want to talk to a real person", "human"],
  ];
  it.each(cases)("%s -> %s", (text, topic) => {
    const r = matchText(text);
    expect(r.topic).toBe(topic);
    expect(r.decision).toBe("answer");
    expect(r.confidence).toBeGreaterThanOrEqual(ANSWER_MIN_CONFIDENCE);
  });
});

describe("matchText: typos, repeated letters, Javanese", () => {
  it.each([
    ["pasprot saya disita", "passport"],
    ["pasport ilang", "passport"],
    ["pspr ditahan", "passport"],
    ["kedubes dmn", "embassy_contact"],
    ["embasy adress", "embassy_contact"],
    ["kbriii buka jam brp", "embassy_contact"],
    ["laporr dirii", "lapor_diri"],
    ["penampunagn ada gk", "safety"],
    ["piye carane mulih", "return_home"],
    ["overstya dendanya brp", "return_home"],
  ])("%s -> %s", (text, topic) => {
    expect(matchText(text).topic).toBe(topic);
  });
});

describe("matchText: greetings and thanks", () => {
  it("answers the question after a greeting", () => {
    expect(matchText("halo kak, paspor saya hilang").topic).toBe("passport");
    expect(matchText("assalamualaikum, nomor kbri brp").topic).toBe("embassy_contact");
    expect(matchText("hi, how do i go home").topic).toBe("return_home");
  });
  it("recognises greetings and thanks alone", () => {
    for (const t of ["halo", "assalamualaikum", "selamat pagi", "hello", "good morning", "pagiii"]) {
      expect(matchText(t).topic, t).toBe("greeting");
    }
    for (const t of ["makasih", "terima kasih kak", "thanks", "thank you so much", "matur suwun"]) {
      expect(matchText(t).topic, t).toBe("thanks");
    }
  });
  it("does not read time words inside a question as a greeting", () => {
    expect(matchText("ada nomor yg bisa dihubungi malam hari?").topic).not.toBe("greeting");
  });
});

describe("matchText: out of scope and garbage", () => {
  it.each([
    "siapa juara piala dunia",
    "cuaca besok gimana",
    "tell me a joke",
    "harga bitcoin",
    "jual hp murah",
  ])("%s -> out_of_scope fallback", (text) => {
    const r = matchText(text);
    expect(r.topic).toBe("out_of_scope");
    expect(r.decision).toBe("fallback");
  });
  it.each(["", "   ", "😀😀😀", "asdfghjkl qwpoeiru", "12345", "?!?!"])(
    "%j -> out_of_scope fallback",
    (text) => {
      const r = matchText(text);
      expect(r.topic).toBe("out_of_scope");
      expect(r.decision).toBe("fallback");
      expect(r.confidence).toBe(0);
    },
  );
});

describe("matchText: suggestions", () => {
  it("suggests 2-3 answerable candidates for an ambiguous text", () => {
    const r = matchText("kbri pulang");
    expect(r.decision).toBe("suggest");
    expect(r.candidates.length).toBeGreaterThanOrEqual(2);
    expect(r.candidates.length).toBeLessThanOrEqual(3);
    expect(r.candidates.map((c) => c.topic)).toEqual(
      expect.arrayContaining(["return_home", "embassy_contact"]),
    );
    expect(r.confidence).toBeLessThan(ANSWER_MIN_CONFIDENCE);
  });
  it("pads a lone weak candidate with a related topic", () => {
    const r = matchText("aplikasi");
    expect(r.decision).toBe("suggest");
    expect(r.candidates.length).toBe(2);
    expect(r.candidates[0]?.topic).toBe("lapor_diri");
  });
  it("candidates are sorted, within 0..1 and answerable only", () => {
    for (const t of ["paspor kbri", "nomor", "tiket paspor denda kbri hapus", "hi"]) {
      const r = matchText(t);
      expect(r.candidates.length).toBeLessThanOrEqual(3);
      for (let i = 0; i < r.candidates.length; i++) {
        const c = r.candidates[i]!;
        expect(ANSWERABLE_TOPICS).toContain(c.topic);
        expect(c.score).toBeGreaterThanOrEqual(0);
        expect(c.score).toBeLessThanOrEqual(1);
        if (i > 0) expect(c.score).toBeLessThanOrEqual(r.candidates[i - 1]!.score);
      }
      expect(r.confidence).toBeGreaterThanOrEqual(0);
      expect(r.confidence).toBeLessThanOrEqual(1);
    }
  });
});

describe("matchText: language and speed", () => {
  it("reports the language", () => {
    expect(matchText("paspor saya hilang").language).toBe("id");
    expect(matchText("i lost my passport").language).toBe("en");
  });
  it("stays fast on 10k-character inputs", () => {
    const inputs = [
      "tolong paspor saya ditahan ".repeat(400),
      "x".repeat(10_000),
      Array.from({ length: 2_000 }, (_, i) => `kat${i}`).join(" "),
    ];
    for (const t of inputs) {
      const t0 = performance.now();
      matchText(t);
      expect(performance.now() - t0).toBeLessThan(250);
    }
    expect(matchText("tolong paspor saya ditahan ".repeat(400)).topic).toBe("passport");
  });
  it("is deterministic", () => {
    expect(matchText("gmn cara plg ke indo")).toEqual(matchText("gmn cara plg ke indo"));
  });
});
