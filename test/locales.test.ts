import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { loadFacts } from "../src/content/facts.ts";
import { DEFAULT_LANG, LANGS } from "../src/domain/lang.ts";
import { LOCALES_DIR } from "../src/i18n.ts";
import { PROJECT_ROOT } from "../src/paths.ts";

type Tree = { [k: string]: string | Tree };

const PLURAL = /_(zero|one|two|few|many|other)$/;

function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === "string") {
      const folded = key.replace(PLURAL, "");
      out.set(folded, `${out.get(folded) ?? ""}\u0000${v}`);
    } else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

function namespaces(lang: string): string[] {
  return readdirSync(join(LOCALES_DIR, lang))
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.slice(0, -5))
    .sort();
}

function load(lang: string, ns: string): Map<string, string> {
  return flatten(JSON.parse(readFileSync(join(LOCALES_DIR, lang, `${ns}.json`), "utf8")) as Tree);
}

const vars = (s: string) => [...new Set([...s.matchAll(/\{\{\s*([^},\s]+)[^}]*\}\}/g)].map((m) => m[1] as string))].sort();

/** Phone-number-like strings: facts belong in content/facts.json only. */
const PHONE = /(\+855|\+62|0800)[ 0-9-]{6,}/;

function files(dir: string, ext: RegExp): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p, ext));
    else if (ext.test(name)) out.push(p);
  }
  return out;
}

describe("locales", () => {
  const first = DEFAULT_LANG;
  const others = LANGS.filter((l) => l !== first);

  it("every language has the same namespaces", () => {
    const base = namespaces(first);
    expect(base.length).toBeGreaterThan(0);
    for (const lang of others) expect(namespaces(lang), lang).toEqual(base);
  });

  it("the same keys (plural suffixes folded) and the same {{variables}} per key", () => {
    const problems: string[] = [];
    for (const ns of namespaces(first)) {
      const a = load(first, ns);
      for (const lang of others) {
        const b = load(lang, ns);
        for (const k of a.keys()) if (!b.has(k)) problems.push(`${lang}/${ns}: missing ${k}`);
        for (const k of b.keys()) if (!a.has(k)) problems.push(`${first}/${ns}: missing ${k}`);
        for (const [k, v] of a) {
          const w = b.get(k);
          if (w !== undefined && vars(v).join() !== vars(w).join()) {
            problems.push(`${ns}:${k}: ${first} {{${vars(v)}}} vs ${lang} {{${vars(w)}}}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("no text is empty", () => {
    const empty: string[] = [];
    for (const lang of LANGS)
      for (const ns of namespaces(lang))
        for (const [k, v] of load(lang, ns)) if (v.split("\u0000").some((s, i) => i > 0 && s.trim() === "")) empty.push(`${lang}/${ns}:${k}`);
    expect(empty).toEqual([]);
  });

  it("every {{f.X}} refers to an existing, shown fact (or its label)", () => {
    const facts = loadFacts();
    const bad: string[] = [];
    for (const lang of LANGS) {
      const view = facts.view(lang, "(note)");
      for (const ns of namespaces(lang))
        for (const [k, v] of load(lang, ns))
          for (const name of vars(v))
            if (name.startsWith("f.") && view[name.slice(2)] === undefined) bad.push(`${lang}/${ns}:${k} uses {{${name}}}`);
    }
    expect(bad).toEqual([]);
  });

  it("no phone numbers in locales or src: numbers come from content/facts.json", () => {
    const offenders: string[] = [];
    const scan = [...files(LOCALES_DIR, /\.json$/), ...files(join(PROJECT_ROOT, "src"), /\.(ts|json)$/)];
    expect(scan.length).toBeGreaterThan(20);
    for (const file of scan) {
      readFileSync(file, "utf8")
        .split("\n")
        .forEach((line, i) => {
          if (PHONE.test(line)) offenders.push(`${relative(PROJECT_ROOT, file)}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(offenders).toEqual([]);
    // the pattern itself does catch the facts file's numbers
    expect(PHONE.test(readFileSync(join(PROJECT_ROOT, "content", "facts.json"), "utf8"))).toBe(true);
  });
});

describe("locales and the language registry", () => {
  it("every locale folder is a registered language, and every registered language has one", () => {
    const folders = readdirSync(LOCALES_DIR).filter((f) => statSync(join(LOCALES_DIR, f)).isDirectory()).sort();
    expect(folders).toEqual([...LANGS].sort());
  });
});

/** Every text of a language, with its namespace and key. */
function texts(lang: string): { where: string; text: string }[] {
  return namespaces(lang).flatMap((ns) => [...load(lang, ns)].flatMap(([k, v]) => v.split("\u0000").filter(Boolean).map((text) => ({ where: `${lang}/${ns}:${k}`, text }))));
}

describe("words (natural, one voice, no unexplained jargon)", () => {
  it("the bot speaks as we (kami), never as I (saya): saya and I are only the person's own words (buttons, commands)", () => {
    const bad: string[] = [];
    for (const [lang, self] of [["id", /\b(saya|Saya|aku)\b/], ["en", /\bI\b|\bI'm\b/]] as const) {
      for (const { where, text } of texts(lang)) {
        // a button or a command's description is the person speaking; so is /help's "/sos — I am in danger now"
        // quoted examples of what to type are the person's words too
        const spoken = text.length <= 60 ? "" : text.replace(/— [^•\n]*/g, "").replace(/"[^"]*"/g, "");
        if (self.test(spoken)) bad.push(`${where}: ${spoken.slice(0, 80)}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("no calques or claims the facts do not back", () => {
    const all = [...texts("id"), ...texts("en")];
    for (const phrase of ["Kami mendengar Anda", "the real one", "memastikan identitas dengan cara lain", "confirm your identity in other ways"]) {
      expect(all.filter((x) => x.text.includes(phrase)).map((x) => x.where), phrase).toEqual([]);
    }
  });

  it("jargon comes with its gloss: BAP, kahar / force majeure, and exit permit (izin keluar) in Indonesian", () => {
    const bad: string[] = [];
    for (const { where, text } of [...texts("id"), ...texts("en")]) {
      if (/\bBAP\b/.test(text) && !text.includes("Berita Acara Pemeriksaan")) bad.push(`${where}: BAP`);
      if (/\bkahar\b/.test(text) && !/kahar, yaitu/.test(text)) bad.push(`${where}: kahar`);
      if (/force majeure/.test(text) && !/force majeure, that is/.test(text)) bad.push(`${where}: force majeure`);
      if (where.startsWith("id/") && /exit permit/i.test(text) && !/\(izin keluar\)|izin keluar \(exit permit\)/i.test(text)) bad.push(`${where}: exit permit`);
    }
    expect(bad).toEqual([]);
  });

  it("ransom: every text that names it says not to pay, and none says paying later may be fine", () => {
    const named = [...texts("id"), ...texts("en")].filter((x) => /tebusan|ransom/i.test(x.text));
    expect(named.length).toBeGreaterThanOrEqual(2);
    for (const { where, text } of named) {
      expect(text, where).toMatch(/Jangan bayar|Do not pay|Don't pay/);
      expect(text, where).not.toMatch(/bayar nanti|bayar dulu|pay later|pay first|for now/i);
    }
  });
});
