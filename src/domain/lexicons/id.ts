/** Indonesian (with the Javanese and Sundanese words people mix into chat: the bot answers them in Indonesian). */
import type { LanguageLexicon } from "./lexicon.ts";

const WORDS = `saya kamu dia kami kita mereka anda beliau ini itu yang di ke dari dan atau tidak belum bukan jangan sudah akan
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
  masalah balasan lapor urus hubungi telepon polisi darurat pengaduan aduan perlindungan kalian tiap semua oke sih`;

/** Javanese and Sundanese (only words that are not also English or Indonesian function words). */
const REGIONAL = `abdi kula aku sampun mboten mboten nggih ngggih opo kuwi wae ora iso nek sakniki saiki kepriye piye
  teu kumaha ieu eta nu sabaraha hatur nuhun pisan dugi parantos kenging tulung tulungin sugeng enjing sampurasun
  punten mangga atuh euy wangsul nyerat sieun deui isukan sadayana nyeri ngapunten matur suwun nyuwun pitulung
  dalem panjenengan sampeyan kowe awakmu lagi ning karo arep wis durung`;

export const INDONESIAN: LanguageLexicon = {
  words: [...WORDS.split(/\s+/), ...REGIONAL.split(/\s+/)].filter((w) => w !== ""),
  affix: /^(?:di|me|mem|men|meng|ber|ter|pe|ke)\p{L}{3,}$|^\p{L}{3,}(?:nya|kan|lah|kah)$/u,
  cancel: ["batal", "batalkan", "berhenti", "keluar", "udahan", "gak jadi", "tidak jadi", "ga jadi", "nggak jadi"],
  back: ["kembali", "balik", "sebelumnya", "mundur"],
  particles: ["kok", "dong", "sih", "deh", "kak", "kakak", "bang", "mas", "mbak", "pak", "bu", "lah", "kan", "nih", "tuh", "aja", "saja", "kah", "koq", "yah", "nya", "min", "gan", "makasih"],
};
