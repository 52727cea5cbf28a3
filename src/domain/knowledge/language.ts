/**
 * Word-list language detection (Indonesian vs English) for short chat messages.
 * Pure domain module: no grammY, no SQL, no I/O.
 *
 * Works on normalized tokens, so slang is already expanded ("sy" -> "saya",
 * "gk" -> "tidak", "pls" -> "please"). Words both languages use in chat
 * ("ok", "kbri", "hp", "admin", "online", numbers) count for neither: short or
 * ambiguous text gets a low confidence and callers keep the user's current language.
 */
import { type Normalized, normalize } from "../text/normalize.ts";

export type Language = "id" | "en";

export interface LanguageGuess {
  language: Language;
  /** 0..1: below LANGUAGE_CONFIDENCE_MIN callers should keep the user's current language */
  confidence: number;
}

/** Below this confidence the guess should not override the user's current language. */
export const LANGUAGE_CONFIDENCE_MIN = 0.5;

const ID_WORDS = new Set(
  `saya kamu dia kami kita mereka anda beliau ini itu yang di ke dari dan atau tidak belum bukan jangan sudah akan
  sedang masih bisa dapat harus perlu boleh ingin apa siapa bagaimana kapan berapa dimana kenapa mengapa mana gimana
  untuk dengan pada dalam oleh karena kalau jika agar supaya tapi tetapi juga saja lagi sama sangat sekali banyak
  sedikit semua ada punya tolong mohon minta tanya tahu kasih terima_kasih selamat pagi siang sore malam halo hai
  ya iya yah dong deh kok sih nih tuh kah lah pun nya lho kan ayo mari permisi maaf tentang sekarang nanti besok kemarin
  hari minggu bulan tahun jam orang anak adik kakak suami istri ayah ibu orangtua keluarga saudara teman pacar
  paspor kedutaan pulang balik mudik tiket pesawat denda izin keluar masuk hilang diambil ditahan rusak baru lama
  biaya bayar uang gratis murah mahal nomor alamat buka tutup kantor datang pergi naik turun tinggal kerja perusahaan
  bos disini sini sana situ cara caranya bagaimana apakah benar salah aman takut hapus pesan lihat baca cek periksa
  bantu bantuan tolong lapor diri daftar aplikasi wajib petugas manusia bicara langsung sendiri sementara sebelum
  setelah sampai terus juga informasi satu dua tiga mau ingin dong kak pak bu admin lewat kena air cuma cukup
  semalam hari_ini juara piala dunia cuaca jual beli harga resep nasi goreng lelucon kurs jadwal umur main seru
  kabar dulu katanya bilang nunggu tunggu surat polisi laporan syarat dokumen negeri luar online terjebak disekap
  dijual dipulangkan berangkat khawatir rumah kampung bandara jemput dijemput penampungan imigrasi darat sambil
  masalah balasan lapor urus hubungi telepon polisi darurat pengaduan aduan perlindungan kalian tiap semua oke sih`.split(
    /\s+/,
  ),
);

/**
 * Javanese and Sundanese words people mix into chat: the bot answers them in Indonesian.
 * (Only words that are not also English or Indonesian function words.)
 */
const REGIONAL_WORDS =
  `abdi kula aku sampun mboten mboten nggih ngggih opo kuwi wae ora iso nek sakniki saiki kepriye piye
  teu kumaha ieu eta nu sabaraha hatur nuhun pisan dugi parantos kenging tulung tulungin sugeng enjing sampurasun
  punten mangga atuh euy wangsul nyerat sieun deui isukan sadayana nyeri ngapunten matur suwun nyuwun pitulung
  dalem panjenengan sampeyan kowe awakmu lagi ning karo arep wis durung`.split(/\s+/);
for (const w of REGIONAL_WORDS) ID_WORDS.add(w);

const EN_WORDS = new Set(
  `i me my mine you your yours he him his she her hers we us our they them their it its this that these those
  the a an is are was were be been being am do does did done have has had having will would can could should shall
  may might must not no yes and or but if then so because of to in on at for from with without by about into out
  up down over under again what who whom whose which where when why how there here please thanks thank hello hi hey
  want need get got go going went come came help stuck trapped lost took taken kept keep give back home ticket flight
  plane fly passport embassy number phone address open time what now today tomorrow someone somebody anyone person
  people real human staff talk speak call brother sister son daughter husband wife mother father mom dad family friend
  cousin nephew niece relative relatives parents boss company money pay fee cost free scam fake really true know
  morning evening afternoon night good much many lot very just only also still already all any some new old last
  next before after while until during can_not do_not will_not i_am did_not does_not is_not has_not have_not
  delete hide safe stay watched checked read see message messages conversation report register find weather football
  joke movie cook translate name buy best tell won match is working works writing waiting leave land arrived
  escaped happens return process long day days week weeks month months year years document documents police
  emergency complaint trafficking should what whats let lets oh well sure okay via than too mandatory
  app application apply register registered without stuck there anything something nothing
  make made take like sure nobody know knew send sent work tell told ask asked said says say think feel look put
  way thing things right wrong there their other another every each such own same both few more most`.split(
    /\s+/,
  ),
);

/** Words used in both languages' chat: they never decide the language. */
const NEUTRAL = new Set(
  `ok sos kbri splp hp whatsapp wa visa hotline admin bot online chat telegram overstay exit permit safe travel
  download email scam cs call center p kak bos kamboja cambodia indonesia jakarta phnom penh poipet
  sihanoukville bangkok thailand bp2mi kp2mi kemlu wni pmi tppo peduli usd dollar fb facebook lapor diri
  peduliwni lapordiri safetravel`.split(/\s+/),
);

const ID_AFFIX = /^(?:di|me|mem|men|meng|ber|ter|pe|ke)\p{L}{3,}$|^\p{L}{3,}(?:nya|kan|lah|kah)$/u;
const EN_AFFIX = /^\p{L}{3,}(?:ing|ed|tion|ly|ness)$/u;

/** Detect from already-normalized tokens (the matcher reuses its normalization). */
export function detectLanguageTokens(tokens: readonly string[]): LanguageGuess {
  let id = 0;
  let en = 0;
  for (const token of tokens) {
    const t = ID_WORDS.has(token) || EN_WORDS.has(token) ? token : token.replace(/(\p{L})\1+/gu, "$1");
    if (NEUTRAL.has(t)) continue;
    const isId = ID_WORDS.has(t);
    const isEn = EN_WORDS.has(t) || (t.length > 3 && t.endsWith("s") && EN_WORDS.has(t.slice(0, -1)));
    if (isId && !isEn) id += 1;
    else if (isEn && !isId) en += 1;
    else if (!isId && !isEn && /^\p{L}+$/u.test(t)) {
      if (EN_AFFIX.test(t)) en += 0.5;
      else if (ID_AFFIX.test(t)) id += 0.5;
    }
  }
  const total = id + en;
  if (total === 0) return { language: "id", confidence: 0 };
  const language: Language = en > id ? "en" : "id";
  const margin = Math.abs(id - en) / total;
  const amount = 1 - Math.exp(-total / 2);
  return { language, confidence: Math.round(margin * amount * 1000) / 1000 };
}

export function detectLanguage(text: string | Normalized): LanguageGuess {
  const n = typeof text === "string" ? normalize(text) : text;
  return detectLanguageTokens(n.tokens);
}

/** True for very common function words of either language (never fuzzy-matched as typos). */
export function isFunctionWord(token: string): boolean {
  return ID_WORDS.has(token) || EN_WORDS.has(token);
}
