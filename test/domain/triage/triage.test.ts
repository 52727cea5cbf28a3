import { describe, expect, it } from "vitest";
import { SIGNALS, type Signal, type TriageContext, triage } from "../../../src/domain/triage/triage.ts";

const expectUrgent = (text: string, signal?: Signal, ctx?: TriageContext): void => {
  const r = triage(text, ctx);
  expect(r.level, `${text} -> ${r.level} ${r.matched.join(";")}`).toBe("urgent");
  expect(r.urgent).toBe(true);
  if (signal) expect(r.signals, text).toContain(signal);
};
const expectNotUrgent = (text: string, ctx?: TriageContext): void => {
  const r = triage(text, ctx);
  expect(r.urgent, `${text} -> ${r.level} ${r.matched.join(";")}`).toBe(false);
  expect(r.level).not.toBe("urgent");
};
const expectLevel = (text: string, level: string, ctx?: TriageContext): void => {
  const r = triage(text, ctx);
  expect(r.level, `${text} -> ${r.matched.join(";")}`).toBe(level);
};

describe("triage: API", () => {
  it("keeps the exported signal list and result shape", () => {
    expect(SIGNALS).toContain("family_report");
    const r = triage("halo");
    expect(r).toMatchObject({ urgent: false, level: "none", signals: [], past: false });
    expect(Array.isArray(r.matched)).toBe(true);
  });
  it("handles empty, emoji-only and very long input", () => {
    expectLevel("", "none");
    expectLevel("🙏🙏🙏", "none");
    expect(triage("tolong ".repeat(5000)).level).not.toBe("none");
  });
  it("reports signals in SIGNALS order without duplicates", () => {
    const r = triage("saya dipukul dan disekap, dipukul lagi");
    expect(r.signals).toEqual(["confinement", "violence"]);
  });
});

describe("triage: each signal", () => {
  it.each([
    ["saya disekap di gedung", "confinement"],
    ["tidak boleh keluar dari kompleks", "confinement"],
    ["we are locked in the dorm", "confinement"],
    ["they won't let us leave", "confinement"],
    ["kami ditahan perusahaan", "confinement"],
    ["dipukuli tiap hari", "violence"],
    ["disetrum pakai tongkat", "violence"],
    ["they beat me with a stick", "violence"],
    ["got electric shocks for missing quota", "violence"],
    ["saya diperkosa manajer", "sexual_violence"],
    ["dipaksa melayani tamu", "sexual_violence"],
    ["I was raped", "sexual_violence"],
    ["saya diancam", "threats"],
    ["mau dibunuh", "threats"],
    ["they threatened to hurt my family", "threats"],
    ["saya dijual ke perusahaan lain", "sold_or_moved"],
    ["dipindah ke perusahaan lain", "sold_or_moved"],
    ["sold to another company", "sold_or_moved"],
    ["bos minta tebusan 5000 usd", "debt_bondage"],
    ["harus bayar denda 3000 dolar baru boleh pulang", "debt_bondage"],
    ["they want 3000 usd before they let me go", "debt_bondage"],
    ["paspor ditahan bos", "documents_taken"],
    ["hp disita", "documents_taken"],
    ["they took our passports", "documents_taken"],
    ["gaji tidak dibayar", "wages_withheld"],
    ["we have not been paid for 3 months", "wages_withheld"],
    ["umur 16", "minor"],
    ["masih di bawah umur", "minor"],
    ["my son is 15", "minor"],
    ["sakit tidak boleh ke dokter", "medical_denied"],
    ["bleeding no doctor", "medical_denied"],
    ["mau bunuh diri", "self_harm"],
    ["pengen mati", "self_harm"],
    ["ga kuat lagi hidup", "self_harm"],
    ["I want to end it", "self_harm"],
    ["sedang kabur", "escape_pursued"],
    ["dikejar orang perusahaan", "escape_pursued"],
    ["hiding from guards", "escape_pursued"],
    ["I escaped and they are looking for me", "escape_pursued"],
    ["SOS", "cry_for_help"],
    ["toloooong!!!", "cry_for_help"],
    ["anak saya disekap di kamboja", "family_report"],
    ["my brother is locked in a compound", "family_report"],
  ] as const)("%s -> %s", (text, signal) => expectUrgent(text, signal));
});

describe("triage: typos, slang and Javanese", () => {
  it.each([
    ["dsekap", "confinement"],
    ["dipukulin", "violence"],
    ["d pukul", "violence"],
    ["disiksaa", "violence"],
    ["gk blh kluar", "confinement"],
    ["dkurung", "confinement"],
    ["setrum", "violence"],
    ["mau dibunh", "threats"],
    ["DISEKAPPP", "confinement"],
    ["aku digebukin mandor", "violence"],
    ["ora oleh metu", "confinement"],
    ["dipateni karo bose", "threats"],
    ["sy d kurung d kmr", "confinement"],
    ["nyiksa kami tiap malam", "violence"],
    ["dikunciin di ruangan", "confinement"],
  ] as const)("%s -> %s", (text, signal) => expectUrgent(text, signal));

  it("does not take ordinary words for typos of danger words", () => {
    for (const t of [
      "uang saya kurang",
      "kabar baik",
      "saya butuh bantuan buat paspor",
      "buruh migran",
      "kemarin saya ke kbri",
      "terus gimana kak?",
      "sikap petugas baik",
    ]) {
      expectNotUrgent(t);
    }
  });
});

describe("triage: tolong / help", () => {
  it("polite requests with tolong are not urgent", () => {
    for (const t of [
      "tolong kirim alamat kbri",
      "tlg info cara buat splp",
      "tolong dibantu nomor hotline",
      "please send me the embassy address",
      "can you help me renew my passport",
    ]) {
      // the word rules see a request; the model may still add the danger question after the answer
      expect(triage(t, {}, { model: false }).level, t).toBe("none");
      expect(triage(t).level, t).not.toBe("urgent");
    }
  });
  it("a bare cry is urgent, like the danger button: staff are told at once", () => {
    for (const t of ["tolong", "tolong saya", "please help me", "help", "tlg sy kak", "🆘", "🚨🚨", "tolong anak sy", "help my husband"])
      expectLevel(t, "urgent");
  });
  it("asking for any help, with nothing else, gets the danger question", () => {
    for (const t of ["need help", "i need help", "bantu saya kak", "butuh bantuan"]) expectLevel(t, "unsure");
  });
  it("an intense or explicit cry is urgent", () => {
    for (const t of [
      "SOS",
      "toloooong!!!",
      "TOLONG SAYA",
      "help help help",
      "selamatkan kami",
      "saya dalam bahaya",
      "I'm not safe",
    ]) {
      expectUrgent(t, "cry_for_help");
    }
  });
  it("a cry with danger is urgent with both signals", () => {
    const r = triage("tolong sy dikurung");
    expect(r.level).toBe("urgent");
    expect(r.signals).toEqual(["confinement", "cry_for_help"]);
  });
});

describe("triage: past danger, people already out", () => {
  it("past danger from someone now safe is level past", () => {
    for (const t of [
      "dulu saya dipukul di perusahaan tapi sekarang sudah di kbri",
      "I was beaten last year, now I'm home safe",
      "alhamdulillah sudah pulang, dulu pernah disekap",
      "my brother was beaten there before but he is home now",
    ]) {
      const r = triage(t);
      expect(r.level, t).toBe("past");
      expect(r.urgent).toBe(false);
      expect(r.past).toBe(true);
    }
  });
  it("passport or wages alone from someone already out are not urgent", () => {
    for (const t of [
      "paspor saya ditahan perusahaan, sekarang saya di kbri, gimana buat splp?",
      "gaji 2 bulan tidak dibayar, saya sudah pulang ke indonesia",
      "my passport was kept by the company, im at the embassy now",
    ]) {
      expectNotUrgent(t);
    }
  });
  it("the same while still inside is urgent", () => {
    expectUrgent("paspor saya ditahan bos dan saya masih di perusahaan", "documents_taken");
    expectUrgent("gaji 3 bulan ga dibayar, kami masih disuruh kerja", "wages_withheld");
  });
  it("someone safe writing about a relative still held is urgent", () => {
    expectUrgent("saya sudah di rumah tapi anak saya masih disekap di kamboja", "family_report");
  });
  it("pursuit is not cancelled by having escaped", () => {
    expectUrgent("i managed to escape but they are still looking for me", "escape_pursued");
  });
});

describe("triage: negation and general questions", () => {
  it("negated danger is not urgent", () => {
    for (const t of [
      "saya tidak disekap",
      "I'm not in danger",
      "ga ada yang mukul",
      "nobody is holding me",
      "saya tidak disekap atau dipukul",
    ]) {
      expectNotUrgent(t);
    }
  });
  it("negation built into the phrase still counts", () => {
    expectUrgent("saya tidak boleh keluar", "confinement");
    expectUrgent("gaji tidak dibayar", "wages_withheld");
  });
  it("questions about the topic in general are not urgent", () => {
    for (const t of [
      "apa itu TPPO?",
      "what is debt bondage",
      "berita penyekapan di kamboja",
      "i heard people get beaten in those compounds, is it true?",
      "apa hukuman untuk agen yang menjual orang?",
    ]) {
      expectNotUrgent(t);
    }
  });
  it("a general marker does not hide a personal report", () => {
    expectUrgent("apa itu TPPO? saya disekap disini", "confinement");
  });
  it("ordinary questions about passports, tickets and fines are not urgent", () => {
    for (const t of [
      "berapa denda overstay kalau mau pulang?",
      "paspor saya hilang",
      "tiket pesawat ke jakarta berapa?",
      "pukul 3 sore saya ke kbri",
      "jam pukul berapa kbri tutup?",
      "fotonya kabur, saya kirim ulang",
    ]) {
      expectNotUrgent(t);
    }
  });
});

describe("triage: context", () => {
  const awaiting = { awaitingDangerAnswer: true };
  it.each(["ya", "iya", "y", "yes", "yess", "betul", "he'em", "nggih", "iya tolong", "yes please"])(
    "answer %s to 'are you in danger?' is urgent",
    (t) => {
      const r = triage(t, awaiting);
      expect(r.level).toBe("urgent");
      expect(r.signals).toContain("cry_for_help");
    },
  );
  it.each(["tidak", "no", "ga", "aman", "gak kak aman", "no im fine thanks"])(
    "answer %s is not urgent",
    (t) => {
      expectNotUrgent(t, awaiting);
    },
  );
  it("a bare yes without the question is not urgent", () => {
    expectNotUrgent("ya");
  });
  it("uses recent messages", () => {
    expectUrgent("tolong", "confinement", { recentTexts: ["saya di kamboja dikurung"] });
    const r = triage("dia disekap", { recentTexts: ["anak saya di kamboja"] });
    expect(r.level).toBe("urgent");
    expect(r.signals).toEqual(expect.arrayContaining(["confinement", "family_report"]));
    expectUrgent("please", "cry_for_help", { recentTexts: ["they locked us in"] });
  });
  it("recent past danger does not make a polite request urgent", () => {
    expectNotUrgent("tolong info tiketnya", {
      recentTexts: ["dulu saya dipukul tapi sekarang sudah di rumah"],
    });
    expectNotUrgent("oke makasih", { recentTexts: ["saya disekap"] });
  });
});

// Speed is measured in `npm run bench` (bench/classify.ts), not in a timed test.

describe("triage: signs learnt from the development sets (both languages)", () => {
  it("being followed, watched, waited for or asked about now is urgent", () => {
    for (const t of [
      "ada yg ngikutin sy dr atm, sy skrg di minimarket",
      "i run now car follow me",
      "they check our phones every night",
      "semua hp dikumpulin tiap malam",
      "i am writing from the toilet, i have 5 min",
      "sy nulis dr wc",
      "ada org nungguin sy di depan penginapan",
      "they coming",
      "mrk dtg",
    ])
      expectLevel(t, "urgent");
  });
  it("being handed back, moved or sold now is urgent", () => {
    for (const t of [
      "police here say will give me back to boss",
      "polisi bilang mau balikin sy ke perusahaan",
      "katanya nanti dijemput majikan",
      "mrk mau jual gw bsk pagi",
      "mereka pindahin kita pake truk tengah malem",
      "my friend will be moved tonight",
      "the boss told us to pack bags, bus at 2am",
    ])
      expectLevel(t, "urgent");
  });
  it("the body failing, self-harm in plain words, threats to the family are urgent", () => {
    for (const t of [
      "chest pain strong, cannot breathe",
      "temen sy sesak napas",
      "coughing blood, they say I'm faking",
      "need doctor now",
      "udah nyiapin tali, maaf ya",
      "malam ini aku mau ngakhirin semuanya",
      "goodbye everyone. tell my mom I'm sorry",
      "he will find my family in lombok",
      "come back or your family pays",
    ])
      expectLevel(t, "urgent");
  });
  it("the same words in the past, negated, or about something safe are not urgent", () => {
    for (const t of [
      "i was followed last year, now i am home in Medan",
      "find my brother pls",
      "saya mau transfer uang ke keluarga",
      "sy mau kirim uang ke suami di kamboja buat beli tiket, aman lewat apa ya?",
      "pesawat delay, kami tertahan di bandara 5 jam",
      "kabur nya sih udh 3 bln lalu, skrg sy kerja di laundry di phnom penh, aman",
      "waktu masih di perusahaan saya sering dipukul, sekarang sudah di kbri alhamdulillah",
      "my daughter got a job offer in cambodia, how can we check the company",
    ])
      expect(triage(t).level, t).not.toBe("urgent");
  });
});
