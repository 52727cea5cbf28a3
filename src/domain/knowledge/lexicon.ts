/**
 * Keyword and phrase lexicon per topic, Indonesian + English.
 * Pure data. Entries are written naturally; the matcher passes every entry
 * through normalize() when it builds its index, so "no kbri", "gk" or "kedubes"
 * are folded the same way as user text.
 *
 * Weights: ~3 = a word that alone names the topic ("paspor", "hotline"),
 * ~1.5-2 = strong hint, <= 1 = weak hint that only helps in combination.
 * Phrases (2-3 words, matched on consecutive tokens) add their weight on top of their words.
 */
import type { TopicId } from "./topics.ts";

export interface TopicLexicon {
  words: Readonly<Record<string, number>>;
  phrases: Readonly<Record<string, number>>;
}

// Dense data table.
export const LEXICON: Readonly<Record<TopicId, TopicLexicon>> = {
  embassy_contact: {
    words: {
      kbri: 2, kedutaan: 2, embassy: 2.2, dubes: 1.5, konsuler: 1.5, consular: 1.5, alamat: 2, address: 2,
      lokasi: 1.5, location: 1.5, letak: 1.5, letaknya: 1.5, jalan: 0.6, street: 0.8, kantor: 0.8, office: 0.8,
      buka: 1.5, open: 1.5, tutup: 1.2, closed: 1.2, jam: 0.6, hours: 1.5, email: 1.5, kontak: 1.2, contact: 1.2,
      hubungi: 1.2, reach: 0.8, telepon: 0.5, phone: 0.4, nomor: 0.5, number: 0.4, whatsapp: 0.3, datang: 1, visit: 1,
      kunjungi: 1, appointment: 1.5, janji: 1, sabtu: 0.8, saturday: 0.8, sunday: 0.8, libur: 0.8, merah: 0.3,
      walk: 0.8, naik: 0.4, map: 1, maps: 1, peta: 1, rute: 1, route: 1,
    },
    phrases: {
      "nomor kbri": 2, "alamat kbri": 2.5, "kontak kbri": 2, "hubungi kbri": 2, "telepon kbri": 2, "whatsapp kbri": 2,
      "ke kbri": 1, "kbri dimana": 2, "embassy number": 2, "embassy phone": 2, "embassy address": 2.5,
      "contact the embassy": 2, "to the embassy": 0.8, "jam buka": 2.5, "opening hours": 2.5, "kbri buka": 2,
      "embassy open": 2, "where is": 0.8, "get to": 1, "kedutaan besar": 1.5, "bikin janji": 1.5, "email address": 1,
      "hari libur": 1, "tanggal merah": 1.5,
    },
  },
  passport: {
    words: {
      paspor: 3, passport: 3, splp: 3.5, laksana: 2, dokumen: 1.5, document: 1.5, documents: 1.5, identitas: 1.5,
      identity: 1.5, ktp: 1.5, akta: 1.2, fotokopi: 1.2, copy: 0.8, hilang: 1, lost: 1, lose: 0.8, stolen: 1.2, dicuri: 1.2,
      ditahan: 1, tahan: 0.8, holds: 1, hold: 0.8, confiscated: 1.5, confiscate: 1.5, disita: 1.2, sita: 1.2, rampas: 1.2,
      dirampas: 1.2, diambil: 0.8, ambil: 0.5, taken: 0.8, took: 0.5, kept: 0.8, expired: 1, kadaluarsa: 1.5,
      kedaluwarsa: 1.5, rusak: 1, damaged: 1, dibakar: 1, bakar: 1, burned: 1, burnt: 1, ganti: 1, replacement: 1.5,
      replace: 1.5, baru: 0.5, new: 0.4, bikin: 0.4, syarat: 1.5, requirements: 1.5, requirement: 1.5, persyaratan: 1.5,
      biaya: 0.6, fee: 0.6, cost: 0.6, laporan: 0.6, polisi: 0.3, police: 0.3, foto: 0.4, photo: 0.4, agen: 0.6, id: 1,
    },
    phrases: {
      "surat perjalanan": 3, "travel document": 3, "emergency passport": 3, "police report": 2, "laporan polisi": 2,
      "surat polisi": 2, "surat kehilangan": 2.5, "give it back": 1.5, "tidak dikembalikan": 1.5, "tidak punya paspor": 1,
      "lapor polisi": 1.5, "paspor baru": 1.5, "new passport": 1.5,
    },
  },
  return_home: {
    words: {
      pulang: 2.5, pemulangan: 2, dipulangkan: 1.5, balik: 1.5, kembali: 1.2, mudik: 2.5, home: 1.5, return: 2,
      kampung: 1.2, rumah: 1, indonesia: 0.6, jakarta: 1, surabaya: 1.2, medan: 1.2, makassar: 1.2, tiket: 2.5, ticket: 2.5,
      tickets: 2.5, pesawat: 2, flight: 2.5, fly: 1.5, terbang: 1.5, plane: 1.5, bus: 1, bandara: 2, airport: 2,
      land: 1, mendarat: 1.5, arrived: 1.2, arrive: 1.2, tiba: 1.2, sampai: 0.4, jemput: 0.8, dijemput: 0.8,
      overstay: 3, denda: 2.5, fine: 1.5, penalty: 2, visa: 1.8, exit: 1.5, permit: 1.5, izin: 1, imigrasi: 2,
      immigration: 2, shelter: 1.5, penampungan: 1.5, tinggal: 0.6, stay: 0.5, sementara: 1, temporary: 1,
      repatriasi: 3, repatriation: 3, deportasi: 2.5, deport: 2.5, deported: 2.5, border: 1.5, perbatasan: 1.5,
      darat: 1.2, leave: 1, keluar: 0.5, thailand: 0.6, bangkok: 0.8, proses: 0.5, process: 0.5, escaped: 0.5, kabur: 0.3,
      lewat: 0.5, soekarno: 1.5, hatta: 1, cengkareng: 1.5, mulih: 2,
    },
    phrases: {
      "exit permit": 3, "izin keluar": 3, "exit visa": 3, "tiket pesawat": 3, "plane ticket": 3, "flight ticket": 3,
      "go home": 3, "go back": 2, "get home": 3, "come home": 2, "fly home": 3, "back to indonesia": 2,
      "return to indonesia": 2, "pulang sendiri": 2, "on my own": 1, "balik kampung": 2, "pulang ke": 1, "ke indonesia": 1,
      "soekarno hatta": 2, "land in": 1.5, "what next": 1,
    },
  },
  lapor_diri: {
    words: {
      lapordiri: 5, peduliwni: 5, safetravel: 5, peduli: 2.5, wni: 1, register: 2.5, registered: 2.5, registration: 2.5,
      registrasi: 2.5, daftar: 2, mendaftar: 2, terdaftar: 2, aplikasi: 1.5, app: 1.5, application: 1.5, apps: 1.5,
      kemlu: 1.2, download: 1.5, unduh: 1.5, install: 1.5, wajib: 1.2, mandatory: 1.5, compulsory: 1.5, diri: 1,
      lapor: 0.8, presence: 2, abroad: 1, citizen: 1,
    },
    phrases: {
      "lapor diri": 5, "peduli wni": 5, "safe travel": 5, "self report": 4, "report my presence": 3, "luar negeri": 1,
      "sign up": 2,
    },
  },
  hotlines: {
    words: {
      hotline: 3, hotlines: 3, helpline: 3, darurat: 2.5, emergency: 2.5, polisi: 2, police: 2, pengaduan: 2.5, aduan: 2.5,
      complaint: 2.2, complaints: 2.2, bp2mi: 3, kp2mi: 3, tppo: 1.5, trafficking: 1.2, perlindungan: 1, protection: 1,
      layanan: 1, nomor: 1, number: 1, numbers: 1, telepon: 0.8, call: 1, phone: 0.5, whatsapp: 0.5, kemlu: 0.8, pmi: 0.8,
      "24": 1, lapor: 0.3, konseling: 2.5, counseling: 2.5, counselling: 2.5, psikolog: 2.5, psychologist: 2.5,
      trauma: 2, mental: 1.5,
    },
    phrases: {
      "call center": 3, "24 jam": 2, "24 hour": 2, "nomor darurat": 2, "emergency number": 2, "police number": 2,
      "nomor polisi": 2, "who do i call": 2, "telepon siapa": 2, "nomor pengaduan": 2, "emergency contact": 2,
      "malam hari": 0.5,
    },
  },
  scam_warning: {
    words: {
      mengaku: 3, claiming: 3, claims: 2.5, claim: 2, pretending: 3, pretend: 3, posing: 3, impersonate: 3,
      penipuan: 2.5, penipu: 3, tipu: 1.2, ditipu: 1.2, scam: 1.2, scammer: 3, scammers: 3, scammed: 2.5, fake: 2.5,
      palsu: 2.5, asli: 1, real: 0.8, benar: 0.6, hoax: 3, calo: 3, broker: 2.5, minta: 0.8, uang: 1.5, money: 1.5,
      bayar: 1.2, bayaran: 1.5, pay: 1, payment: 2.2, transfer: 2.5, charge: 2.5, biaya: 0.5, fee: 0.6, tebusan: 2,
      ransom: 2, dp: 1.5, pulsa: 1.5, dollars: 1.5, dollar: 1.5, usd: 1.5, juta: 1.5, ribu: 1, rb: 1, gratis: 0.8, free: 0.6, menawarkan: 1.2,
      offered: 1.2, akun: 1.2, account: 1.2, pribadi: 1, jasa: 1.5, rescue: 0.8, true: 0.5, really: 0.5, duit: 1.5,
    },
    phrases: {
      "minta uang": 3, "asking for money": 3, "asked me for money": 3, "for money": 1.5, "minta bayar": 3,
      "minta transfer": 3, "atas nama": 2, "jasa pemulangan": 2.5, "is this real": 2, "biaya admin": 2, "for a fee": 2,
      "mengaku dari": 2, "says he": 1.5, "says she": 1.5, "katanya dari": 2, "transfer dulu": 2.5, "minta duit": 3,
      "asks for money": 3, "asking for": 2, "bilang dari": 2, "nomor pribadi": 2, "how do i know": 2,
      "really from": 2, "benar dari": 2, "asli dari": 2, "says he can": 1, "really the embassy": 1.5,
    },
  },
  safety: {
    words: {
      hapus: 3, delete: 3, clear: 2, hide: 2.5, sembunyi: 2.5, sembunyikan: 2.5, aman: 2.5, safe: 2.5, safety: 2.5,
      private: 2, rahasia: 2, ketahuan: 3, cek: 1.5, check: 1.5, checked: 1.5, checks: 1.5, diperiksa: 1.5, periksa: 1.5,
      baca: 1, read: 1, lihat: 0.6, see: 0.6, watch: 1.5, watched: 1.5, diawasi: 2, awasi: 2, monitor: 2, dipantau: 2,
      pantau: 2, chat: 1, pesan: 0.8, message: 0.8, messages: 0.8, riwayat: 2, history: 2, percakapan: 1.5,
      conversation: 1.5, telegram: 1, hp: 1, phone: 0.8, phones: 0.8, takut: 0.8, afraid: 0.8, scared: 0.8, otomatis: 1,
      sadap: 2, disadap: 2, tapped: 2, nobody: 1, erase: 3, kehapus: 2.5, terhapus: 2.5, shelter: 2.6,
      penampungan: 2.6, sleep: 1.5, tidur: 1.2, nginap: 1.5, menginap: 1.5,
    },
    phrases: {
      "stay safe": 3, "tetap aman": 3, "hapus chat": 3, "delete chat": 3, "delete this chat": 3, "find out": 2.5,
      "hp teman": 2.5, "friends phone": 2.5, "hp disita": 2.5, "take our phones": 2.5, "supaya aman": 2, "is it safe": 2, "they know": 2, "mereka tahu": 2, "bos tahu": 2, "find me": 1.5,
      "tempat tinggal": 2, "tempat aman": 2.5, "safe place": 2.5, "place to sleep": 2.5,
    },
  },
  family: {
    words: {
      anak: 2.2, adik: 2.2, kakak: 2, suami: 2.5, istri: 2.5, ayah: 2, ibu: 1.5, orangtua: 2.5, keluarga: 3,
      sepupu: 2.5, ponakan: 2.5, keponakan: 2.5, saudara: 2.2, pacar: 2, tunangan: 2, mertua: 2, paman: 2, bibi: 2,
      tante: 1.5, om: 1, cucu: 2, mbakyu: 2.5, kangmas: 2.5, teman: 1.2, brother: 3, sister: 3, son: 3, daughter: 3,
      husband: 3, wife: 3, father: 2.5, dad: 2.5, mother: 2.5, mom: 2.5, mum: 2.5, parents: 2.5, parent: 2.5,
      family: 3, relative: 3, relatives: 3, cousin: 3, nephew: 3, niece: 3, uncle: 2.5, aunt: 2.5, boyfriend: 2.5,
      girlfriend: 2.5, friend: 1.2, friends: 1.2, his: 0.6, her: 0.6, katanya: 0.8, khawatir: 1, worried: 1,
      kabar: 0.6, dihubungi: 0.5,
    },
    phrases: {
      "keluarga saya": 2, "di rumah": 1, "from indonesia": 1.2, "what can we do": 1.5, "what can family do": 2,
      "how can i help": 1.5, "tidak ada kabar": 1.5, "tidak bisa dihubungi": 1.5, "lapor ke mana": 1, "orang tua": 2.5,
      "family member": 2,
    },
  },
  greeting: {
    words: {
      halo: 3, hallo: 3, helo: 3, hai: 3, hi: 3, hello: 3, hey: 3, hola: 3, assalamualaikum: 3, assalamualaikom: 3,
      salam: 2, pagi: 2.5, siang: 2.5, sore: 2.5, malam: 2, selamat: 1.5, morning: 2.5, evening: 2.5, afternoon: 2.5,
      permisi: 2.5, misi: 2, punten: 2.5, kabar: 1.5, p: 2, wr: 1.5, wb: 1.5, sugeng: 1.5, yo: 1.5, shalom: 2,
    },
    phrases: { "apa kabar": 2.5, "how are you": 3, "good morning": 2, "good evening": 2, "ass wr": 2, "hey there": 1 },
  },
  thanks: {
    words: {
      terima_kasih: 3.5, thanks: 3.5, thank: 3, appreciate: 3, grateful: 3, alhamdulillah: 1, helpful: 1.5,
      membantu: 0.5, suwun: 3, ok: 1.5,
    },
    phrases: { "terima kasih": 3.5, "thank you": 3, "sangat membantu": 2, "many thanks": 1, "thanks a lot": 1 },
  },
  human: {
    words: {
      petugas: 2.5, staf: 2.5, staff: 2.5, admin: 1.2, operator: 3, cs: 2.5, agent: 1.2, manusia: 3, human: 3,
      person: 2.5, orang: 0.6, asli: 1, real: 1, bicara: 1.5, talk: 1.5, speak: 1.5, chat: 0.4, langsung: 1,
      directly: 1, someone: 1.2, somebody: 1.2, konselor: 3, counselor: 3, counsellor: 3, relawan: 2, volunteer: 2,
      bot: 1.2, robot: 1.5, connect: 2, sambungkan: 2, hubungkan: 1.5, hubungi: 0.5, live: 1,
    },
    phrases: {
      "orang asli": 3, "real person": 3, "talk to": 2, "speak to": 2, "speak with": 2, "talk with": 2,
      "bicara dengan": 1.5, "call me": 1.5, "orang benar": 2.5, "ingin orang": 2, "sama manusia": 1,
      "bukan bot": 2, "staf kbri": 2, "petugas kbri": 2, "embassy staff": 1, "tidak ingin bot": 2,
    },
  },
  out_of_scope: {
    words: {
      cuaca: 3, weather: 3, hujan: 2, rain: 2, bola: 2.5, football: 3, soccer: 3, sepakbola: 3, piala: 2.5, juara: 1.5,
      skor: 2.5, score: 2, match: 1, pertandingan: 2.5, game: 2, games: 2, jual: 2.5, sell: 2.5, selling: 2.5, beli: 0.6,
      buy: 0.8, harga: 1.5, price: 1.5, murah: 1.5, cheap: 1.5, bekas: 1.5, bitcoin: 3, crypto: 3, kripto: 3, saham: 3,
      forex: 3, trading: 2, lelucon: 3, joke: 3, jokes: 3, lucu: 2, funny: 2, resep: 3, recipe: 3, masak: 2, cook: 2,
      film: 2.5, movie: 2.5, lagu: 2.5, song: 2.5, musik: 2, music: 2, loker: 2.5, lowongan: 2.5, vacancy: 2.5, kurs: 3,
      rupiah: 1, sholat: 2, shalat: 2, jadwal: 1, translate: 3, terjemah: 3, terjemahkan: 3, umur: 2.5, age: 1.5,
      wkwk: 2, haha: 2, laptop: 2, iphone: 1.5, samsung: 1.5, zodiak: 3, ramalan: 2.5, horoscope: 3, nonton: 2,
      netflix: 2.5, tiktok: 1.5, rendang: 2, nasi: 1.5, goreng: 1.5, makanan: 1.5, food: 1.5, ngapain: 1, pinjol: 3,
      pinjaman: 2, loan: 2, capital: 1.5, france: 1.5, seru: 1, recommend: 1.5, rekomendasi: 1.5, pacaran: 2,
    },
    phrases: {
      "lagi ngapain": 3, "your name": 2.5, "nama kamu": 2.5, "how old": 2.5, "jual hp": 2, "piala dunia": 2,
    },
  },
};

/** Topics offered next to each other when the matcher is unsure (used to pad suggestions to 2). */
export const RELATED_TOPICS: Readonly<Partial<Record<TopicId, readonly TopicId[]>>> = {
  embassy_contact: ["hotlines", "lapor_diri"],
  passport: ["return_home", "embassy_contact"],
  return_home: ["passport", "embassy_contact"],
  lapor_diri: ["embassy_contact", "passport"],
  hotlines: ["embassy_contact", "safety"],
  scam_warning: ["embassy_contact", "safety"],
  safety: ["hotlines", "scam_warning"],
  family: ["return_home", "hotlines"],
};
