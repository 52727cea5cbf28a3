/**
 * Text normalisation shared by the topic matcher and urgent triage.
 * Pure functions: no grammY, no SQL, no I/O.
 *
 * People write "tlg sy gk pny paspor!!!", "kbriii", "pasprt", "mbak"...
 * normalize() lower-cases, folds Unicode (NFKC, accents, fancy letters),
 * squeezes letters repeated 3+ times, splits into tokens and expands
 * common abbreviations and slang into canonical words.
 */

/** Abbreviations, slang and a little Javanese mapped to canonical words (one token -> one or more tokens). */
// Dense data table.
export const SLANG: Readonly<Record<string, string>> = {
  // pronouns / people
  sy: "saya", sya: "saya", aku: "saya", ak: "saya", aq: "saya", gw: "saya", gue: "saya", gua: "saya", ane: "saya", kulo: "saya",
  km: "kamu", kmu: "kamu", lu: "kamu", lo: "kamu", elu: "kamu", sampeyan: "kamu", panjenengan: "kamu",
  kk: "kak", kak: "kak", ka: "kak", mas: "kak", mbak: "kak", mba: "kak", bang: "kak", abang: "kak", min: "admin", mimin: "admin", gan: "kak", bro: "kak", sis: "kak", bos: "bos", boss: "bos",
  // negation
  gk: "tidak", gak: "tidak", ga: "tidak", g: "tidak", nggak: "tidak", ngga: "tidak", enggak: "tidak", engga: "tidak", tdk: "tidak", tak: "tidak", ora: "tidak", orak: "tidak", ndak: "tidak", nda: "tidak", kagak: "tidak",
  blm: "belum", blum: "belum", durung: "belum",
  // question words
  gmn: "bagaimana", gmna: "bagaimana", gimana: "bagaimana", bgmn: "bagaimana", piye: "bagaimana", pie: "bagaimana", kpn: "kapan", brp: "berapa", brapa: "berapa", pira: "berapa", piro: "berapa", dmn: "dimana", dimn: "dimana", mana: "dimana", ngendi: "dimana", endi: "dimana", knp: "kenapa", napa: "kenapa", ngapa: "kenapa", opo: "apa", apaan: "apa", ap: "apa",
  // verbs / misc
  tlg: "tolong", tulung: "tolong", tolongin: "tolong", tlong: "tolong", tolog: "tolong", bs: "bisa", bsa: "bisa", iso: "bisa", isa: "bisa", bisakah: "bisa",
  mau: "ingin", mo: "ingin", pngn: "ingin", pgn: "ingin", pengen: "ingin", pingin: "ingin", kepengin: "ingin", arep: "ingin",
  pulng: "pulang", plg: "pulang", pulkam: "pulang", mulih: "pulang", bali: "pulang",
  udh: "sudah", udah: "sudah", sdh: "sudah", dah: "sudah", wis: "sudah", uwis: "sudah", wes: "sudah",
  lg: "lagi", lgi: "lagi", sm: "sama", ama: "sama", karo: "sama", dgn: "dengan", dg: "dengan", utk: "untuk", u: "you", buat: "untuk", yg: "yang", sng: "yang", dr: "dari", dri: "dari", kl: "kalau", kalo: "kalau", klo: "kalau", yen: "kalau", krn: "karena", karna: "karena", soale: "karena", jd: "jadi", jdi: "jadi", tp: "tapi", tpi: "tapi", ato: "atau", atw: "atau", aja: "saja", aj: "saja", wae: "saja", ae: "saja", bgt: "sekali", banget: "sekali", tau: "tahu", tw: "tahu", ngerti: "tahu", weruh: "tahu", ngk: "tidak",
  pny: "punya", pnya: "punya", duwe: "punya", ndue: "punya", nduwe: "punya", ada: "ada", ono: "ada", enek: "ada", onok: "ada",
  hr: "hari", hri: "hari", bln: "bulan", thn: "tahun", th: "tahun", mgg: "minggu", dino: "hari", sasi: "bulan",
  hp: "hp", henpon: "hp", handphone: "hp", tlp: "telepon", telp: "telepon", telpon: "telepon", nlp: "telepon", nelpon: "telepon", wa: "whatsapp", whatsap: "whatsapp", watsap: "whatsapp", no: "nomor", nmr: "nomor", nomer: "nomor", nomber: "nomor",
  duit: "uang", dhuwit: "uang", duwit: "uang", doku: "uang", tiket: "tiket", tix: "tiket",
  kbri: "kbri", kedubes: "kbri", kedutaan: "kbri", embassy: "embassy", embasy: "embassy", kdubes: "kbri", kbr: "kbri",
  pasport: "paspor", passpor: "paspor", pasprt: "paspor", pspr: "paspor", passport: "passport", pasport_: "paspor",
  splp: "splp", spl: "splp",
  ortu: "orangtua", bokap: "ayah", nyokap: "ibu", bapak: "ayah", bpk: "pak", pak: "pak", bu: "bu", mak: "ibu", emak: "ibu", simbok: "ibu", mbok: "ibu", anakku: "anak saya", adikku: "adik saya", kakakku: "kakak saya", suamiku: "suami saya", istriku: "istri saya", bojo: "suami", bojoku: "suami saya", ibuku: "ibu saya", bapakku: "ayah saya", ayahku: "ayah saya",
  pls: "please", plz: "please", pleas: "please", thx: "thanks", thanks: "thanks", tks: "thanks", tq: "thanks", ty: "thanks", makasih: "terima_kasih", mksh: "terima_kasih", makasi: "terima_kasih", trims: "terima_kasih", trimakasih: "terima_kasih", matur: "terima_kasih", suwun: "terima_kasih", nuwun: "terima_kasih",
  ur: "your", r: "are", im: "i_am", dont: "do_not", cant: "can_not", cannot: "can_not", wont: "will_not",
  // more Indonesian chat abbreviations
  skrg: "sekarang", skr: "sekarang", skrang: "sekarang", bnyk: "banyak", byk: "banyak", bnyak: "banyak", jg: "juga", jga: "juga", trs: "terus", trus: "terus",
  ilang: "hilang", ngilang: "hilang", org: "orang", orng: "orang", wong: "orang", uwong: "orang", bnr: "benar", bener: "benar", beneran: "benar", bneran: "benar",
  jgn: "jangan", jngn: "jangan", ojo: "jangan", dpt: "dapat", dapet: "dapat", byr: "bayar", bayarin: "bayar", indo: "indonesia", ind: "indonesia", ina: "indonesia", ri: "indonesia",
  jkt: "jakarta", sblm: "sebelum", sebelom: "sebelum", stlh: "setelah", sampe: "sampai", nyampe: "sampai", nyampai: "sampai", tgl: "tanggal", nanya: "tanya", tny: "tanya", tanyain: "tanya",
  ngomong: "bicara", ngobrol: "bicara", omong: "bicara", ngomongin: "bicara", ngaku: "mengaku", ngakunya: "mengaku", ngaku2: "mengaku", hubungin: "hubungi", ngubungi: "hubungi",
  ngurus: "urus", ngurusin: "urus", ngurusnya: "urus", dibalikin: "dikembalikan", balikin: "kembalikan", nawarin: "menawarkan", nawari: "menawarkan", ceritain: "cerita", dateng: "datang", dtg: "datang",
  hrs: "harus", kudu: "harus", mesti: "harus", njaluk: "minta", nyuwun: "minta", mnt: "minta", pake: "pakai", pk: "pakai", liat: "lihat", ngeliat: "lihat", ngecek: "cek", dicek: "cek",
  malem: "malam", kerjo: "kerja", krj: "kerja", omah: "rumah", griyo: "rumah", nang: "ke", neng: "di", ning: "di", dijupuk: "diambil", jupuk: "ambil", dicekel: "ditahan", cekel: "tahan",
  ben: "supaya", biar: "supaya", spy: "supaya", kabeh: "semua", smua: "semua", sing: "yang", nulungi: "tolong", tulungi: "tolong", iki: "ini", kuwi: "itu", iku: "itu", kae: "itu",
  gratisan: "gratis", brg: "barang", bsk: "besok", kmrn: "kemarin", kmarin: "kemarin", msh: "masih", masi: "masih", sgt: "sangat", bgs: "bagus", sdikit: "sedikit", dikit: "sedikit",
  mksd: "maksud", ttg: "tentang", soal: "tentang", info: "informasi", inpo: "informasi", infonya: "informasi", kantong: "kantong", oke: "ok", okay: "ok", okey: "ok", okeh: "ok", sip: "ok", siap: "ok",
  kamboja: "kamboja", kamboj: "kamboja", cambodia: "cambodia", kambodia: "kamboja", camboja: "kamboja",
  tengkyu: "terima_kasih", tengkiu: "terima_kasih", thanx: "thanks", thnks: "thanks", thks: "thanks", makasiih: "terima_kasih", mkasih: "terima_kasih", maaciw: "terima_kasih", makasii: "terima_kasih", trmksh: "terima_kasih", terimakasih: "terima_kasih", tengs: "thanks",
  // more English chat abbreviations
  wanna: "want to", gonna: "going to", gotta: "have to", idk: "i do_not know", ive: "i have", didnt: "did_not", doesnt: "does_not", isnt: "is_not", hasnt: "has_not", havent: "have_not",
  whats: "what is", wheres: "where is", hows: "how is", thats: "that is", youre: "you are", theyre: "they are", msg: "message", pic: "photo", pics: "photo", bcz: "because", coz: "because", cuz: "because",
};

export interface Normalized {
  /** the original text */
  raw: string;
  /** lower-cased, folded, squeezed text before abbreviation expansion */
  folded: string;
  /** tokens after slang expansion (multi-word expansions are split) */
  tokens: string[];
  /** tokens joined by single spaces */
  text: string;
}

const MAX_INPUT = 4096;

/** Lower-case, NFKC-fold, strip accents and emoji, keep letters/digits. */
export function fold(input: string): string {
  const s = input.slice(0, MAX_INPUT).normalize("NFKC").toLowerCase();
  return s
    .normalize("NFD")
    .replace(/\p{M}+/gu, "") // accents
    .replace(/[’'`´]/g, "") // apostrophes join words: don't -> dont
    .replace(/[^\p{L}\p{N}+]+/gu, " ") // everything else separates
    .replace(/(\p{L})\1{2,}/gu, "$1$1") // tolooong -> toloong
    .replace(/\s+/g, " ")
    .trim();
}

/** Real words whose double letters must not be squeezed into a slang key. */
const KEEP_DOUBLES = new Set(["app", "apps", "add", "odd", "inn", "egg"]);

/** Words a doubled-letter token may be squeezed into: every SLANG expansion plus common help-line words. */
const CANONICAL: ReadonlySet<string> = new Set([
  ...Object.values(SLANG).flatMap((v) => v.split(" ")),
  ..."halo hai pagi siang sore malam help sos bantu bantuan takut sakit darurat kabur paspor pulang sini cepat please hello hey".split(
    " ",
  ),
]);

/** SLANG as a Map: user text is never a key into a plain object ("constructor", "__proto__"). */
const SLANG_MAP: ReadonlyMap<string, string> = new Map(Object.entries(SLANG));

/** Expand one folded token; "2" reduplication (anak2 -> anak anak) handled too. */
function expand(token: string): string[] {
  const redup = /^(\p{L}{2,})2$/u.exec(token);
  if (redup?.[1]) return expand(redup[1]);
  const mapped = SLANG_MAP.get(token);
  if (mapped) return mapped.split(" ");
  // squeeze any remaining doubles and try again ("tolloong" -> "tolong"), but keep real words ("app")
  if (KEEP_DOUBLES.has(token)) return [token];
  const squeezed = token.replace(/(\p{L})\1+/gu, "$1");
  const mapped2 = SLANG_MAP.get(squeezed);
  if (mapped2) return mapped2.split(" ");
  // "tolooong" -> "toloong" -> "tolong" when the squeezed form is a known word
  if (squeezed !== token && !CANONICAL.has(token) && CANONICAL.has(squeezed)) return [squeezed];
  return [token];
}

/** After "no", these words mean "nomor" ("no kbri", "no wa"); elsewhere "no" is English. */
const NOMOR_CONTEXT = new Set([
  "kbri",
  "kedubes",
  "kedutaan",
  "hp",
  "wa",
  "whatsapp",
  "telp",
  "telepon",
  "tlp",
  "telpon",
  "darurat",
  "hotline",
  "polisi",
  "pengaduan",
  "aduan",
  "admin",
  "petugas",
  "yg",
  "yang",
  "ini",
  "itu",
  "kontak",
  "paspor",
  "pasport",
  "rekening",
  "rek",
]);

/** "wkwkwk" -> "wkwk", "hahahaha"/"hehehe" -> "haha". */
function laughter(token: string): string | undefined {
  if (token.length >= 4 && /^(?:wk|kw)+[wk]?$/.test(token)) return "wkwk";
  if (token.length >= 4 && /^(?:h[aeiu])+h?$/.test(token)) return "haha";
  return undefined;
}

export function normalize(input: string): Normalized {
  const folded = fold(input);
  const parts = folded === "" ? [] : folded.split(" ");
  const tokens: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    if (part === "no") {
      const next = parts[i + 1];
      tokens.push(next !== undefined && (NOMOR_CONTEXT.has(next) || /^[+\d]/.test(next)) ? "nomor" : "no");
      continue;
    }
    const laugh = laughter(part);
    if (laugh) {
      tokens.push(laugh);
      continue;
    }
    for (const t of expand(part)) tokens.push(t);
  }
  return { raw: input, folded, tokens, text: tokens.join(" ") };
}

/** Damerau-Levenshtein (optimal string alignment) distance, capped at `max` for speed. */
export function editDistance(a: string, b: string, max = 3): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = a.length;
  const m = b.length;
  let prev2: number[] = new Array<number>(m + 1).fill(0);
  let prev: number[] = Array.from({ length: m + 1 }, (_, j) => j);
  let cur: number[] = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= m; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, (prev2[j - 2] ?? 0) + 1);
      }
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[m] ?? max + 1;
}

/** Allowed typo distance for a word of this length. */
export function typoBudget(word: string): number {
  if (word.length <= 3) return 0;
  if (word.length <= 6) return 1;
  return 2;
}
