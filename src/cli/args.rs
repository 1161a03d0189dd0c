//! The command line's shape (clap), with help text in Indonesian.

use std::path::PathBuf;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::workspace::PenandaTangan;
use crate::domain::pengguna::PeranPengguna;
use crate::domain::surel::StatusSurel;
use crate::domain::workflow::{Peran, Tahap};

#[derive(Debug, Parser)]
#[command(
    name = "kelurahan",
    version,
    about = "Pelayanan surat dan pelaporan kantor kelurahan: buku register, alur SOP, surat, laporan.",
    long_about = None,
)]
pub struct Cli {
    /// Folder kerja (berisi kelurahan.toml dan basis data). Bawaan: folder saat ini.
    #[arg(long, global = true, env = "KELURAHAN_DIR", value_name = "FOLDER")]
    pub dir: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

/// `--format` of a command that prints one thing: a table or JSON.
#[derive(Debug, Args)]
pub struct Keluaran {
    /// Bentuk keluaran.
    #[arg(long, value_enum, default_value_t = Format::Tabel)]
    pub format: Format,
}

impl Keluaran {
    pub fn json(&self) -> bool {
        self.format == Format::Json
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Tabel untuk dibaca orang.
    Tabel,
    /// Satu nilai JSON untuk skrip.
    Json,
}

/// `--format` of a command that prints a list scripts may also want as CSV.
#[derive(Debug, Args)]
pub struct KeluaranDaftar {
    /// Bentuk keluaran.
    #[arg(long, value_enum, default_value_t = FormatDaftar::Tabel)]
    pub format: FormatDaftar,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatDaftar {
    /// Tabel untuk dibaca orang.
    Tabel,
    /// Satu nilai JSON untuk skrip.
    Json,
    /// CSV (RFC 4180) untuk lembar kerja dan skrip.
    Csv,
}

/// A value parser accepting exactly the codes of `values` (listed in `--help` and in the
/// refusal), giving back the value whose code was typed.
fn codes<T>(
    values: impl IntoIterator<Item = T>,
    kode: fn(T) -> &'static str,
) -> impl TypedValueParser<Value = T>
where
    T: Copy + Send + Sync + 'static,
{
    let values: Vec<T> = values.into_iter().collect();
    let parser = PossibleValuesParser::new(values.iter().map(|v| kode(*v)));
    parser.map(move |s| {
        *values
            .iter()
            .find(|v| kode(**v) == s)
            .expect("clap accepts only the listed codes")
    })
}

/// The SOP roles a person acts in (not `pemohon`, who does not use the program).
fn peran_sop() -> impl TypedValueParser<Value = Peran> {
    codes(
        Peran::ALL.into_iter().filter(|p| *p != Peran::Pemohon),
        Peran::kode,
    )
}

fn tahap() -> impl TypedValueParser<Value = Tahap> {
    codes(Tahap::ALL, Tahap::kode)
}

fn peran_pengguna() -> impl TypedValueParser<Value = PeranPengguna> {
    codes(PeranPengguna::ALL, PeranPengguna::kode)
}

fn status_surel() -> impl TypedValueParser<Value = StatusSurel> {
    codes(StatusSurel::ALL, StatusSurel::kode)
}

fn penanda_tangan() -> impl TypedValueParser<Value = PenandaTangan> {
    // `PenandaTangan` has no `ALL` yet; these are its two values.
    codes(
        [PenandaTangan::Lurah, PenandaTangan::Seklur],
        PenandaTangan::kode,
    )
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Membuat folder kerja baru: kelurahan.toml, basis data, output/.
    Init,
    /// Memeriksa kelurahan.toml, katalog jenis surat dan basis data.
    Periksa,
    /// Mencatat nomor surat di arsip (output/surat/) yang tidak ada di register, setelah
    /// cadangan dipulihkan atau basis data hilang, agar tidak ada nomor yang terbit dua kali.
    Pulihkan(PulihkanArgs),
    /// Membuat folder kerja contoh (bawaan ./demo) berisi ±300 permohonan tiga bulan terakhir.
    Demo(DemoArgs),
    /// Mencatat dan memproses permohonan surat pengantar.
    #[command(subcommand)]
    Permohonan(Box<PermohonanCmd>),
    /// Data penduduk yang pernah dilayani: cari dengan NIK, No. KK atau nama; setiap
    /// pencarian dan perubahan dicatat.
    #[command(subcommand)]
    Penduduk(PendudukCmd),
    /// Menampilkan katalog jenis surat, atau satu jenis dengan persyaratan dan isiannya.
    Katalog(KatalogArgs),
    /// Mencetak ulang surat satu permohonan, semua surat sebulan, atau membatalkan surat.
    Surat(SuratArgs),
    /// Memeriksa keaslian surat: berkas PDF-nya atau kode verifikasi pada salinan kertas.
    Verifikasi(VerifikasiArgs),
    /// Mencetak blanko: formulir permohonan, tanda terima, lembar kendali, buku register.
    Blanko(BlankoArgs),
    /// Membuat laporan berkala.
    #[command(subcommand)]
    Laporan(LaporanCmd),
    /// Mengekspor data ke buku kerja Excel.
    #[command(subcommand)]
    Ekspor(EksporCmd),
    /// Mengimpor buku register Excel lama (xls, xlsx, xlsb, ods) ke register.
    Impor(ImporArgs),
    /// Halaman web untuk petugas kantor (bawaan hanya dari komputer ini: 127.0.0.1:8080).
    Web(WebArgs),
    /// Akun orang yang masuk ke halaman web, masing-masing dengan satu peran.
    #[command(subcommand)]
    Pengguna(PenggunaCmd),
    /// Mengirim surel di kotak keluar yang sudah waktunya.
    Kirim(KirimArgs),
    /// Kotak keluar surel.
    #[command(subcommand)]
    Surel(SurelCmd),
    /// Jadwal tugas otomatis (laporan bulanan, kirim ulang surel, cadangan).
    #[command(subcommand)]
    Jadwal(JadwalCmd),
    /// Layanan yang terus berjalan: menjalankan jadwal tepat waktunya (berhenti dengan
    /// SIGTERM atau Ctrl-C setelah tugas yang sedang berjalan selesai).
    Layani,
}

#[derive(Debug, Subcommand)]
pub enum PendudukCmd {
    /// Mencari penduduk dengan sebagian nama, NIK utuh, atau No. KK utuh (NIK disamarkan).
    Cari(PendudukCariArgs),
    /// Menampilkan satu penduduk: data terakhir, riwayat perubahan, permohonan, keluarga.
    Lihat(PendudukNikArgs),
    /// Menampilkan anggota satu Kartu Keluarga.
    Keluarga(PendudukKkArgs),
    /// Membetulkan data penduduk (--isian nama=nilai; nilai kosong menghapus isian itu).
    Ubah(PendudukUbahArgs),
    /// Semua data yang disimpan tentang satu orang, sebagai JSON (permintaan pemilik data).
    Ekspor(PendudukEksporArgs),
    /// Catatan akses: siapa melihat atau mengubah data penduduk, kapan.
    Akses(PendudukAksesArgs),
    /// Mengimpor daftar penduduk (xls, xlsx, ods; kolom biodata seperti ekspor Dukcapil):
    /// setiap berkas dalam satu transaksi, setiap baris dipertanggungjawabkan.
    Impor(PendudukImporArgs),
}

#[derive(Debug, Args)]
pub struct PendudukImporArgs {
    /// Berkas daftar penduduk.
    #[arg(required = true, value_name = "BERKAS")]
    pub berkas: Vec<PathBuf>,
    /// Uji saja: baca, periksa dan laporkan, tanpa menulis apa pun.
    #[arg(long)]
    pub uji: bool,
    /// Tanggal daftar itu berlaku (TAHUN-BULAN-HARI); data yang lebih baru (permohonan,
    /// daftar sesudahnya) tidak ditimpa, hanya isian kosong yang diisi. Bawaan: hari ini.
    #[arg(long, value_name = "TANGGAL")]
    pub per: Option<String>,
    /// Tulis laporan baris yang ditolak ke buku kerja ini. Pada --uji selalu ditulis
    /// (bawaan: output/impor/laporan-impor-penduduk-uji.xlsx).
    #[arg(long, value_name = "BERKAS.xlsx")]
    pub laporan: Option<PathBuf>,
    /// Nama yang mengimpor, dicatat di riwayat penduduk.
    #[arg(
        long,
        value_name = "NAMA",
        default_value = "Operator (impor daftar penduduk)"
    )]
    pub oleh: String,
    #[command(flatten)]
    pub keluaran: Keluaran,
}

#[derive(Debug, Args)]
pub struct PendudukCariArgs {
    /// Sebagian nama, NIK utuh, atau No. KK utuh.
    pub teks: String,
    /// Petugas yang mencari. Bawaan: Operator di kelurahan.toml.
    #[arg(long, value_name = "NAMA")]
    pub oleh: Option<String>,
    #[command(flatten)]
    pub keluaran: Keluaran,
}

#[derive(Debug, Args)]
pub struct PendudukNikArgs {
    /// NIK (16 angka).
    pub nik: String,
    /// Petugas yang melihat. Bawaan: Operator di kelurahan.toml.
    #[arg(long, value_name = "NAMA")]
    pub oleh: Option<String>,
    #[command(flatten)]
    pub keluaran: Keluaran,
}

#[derive(Debug, Args)]
pub struct PendudukKkArgs {
    /// Nomor Kartu Keluarga (16 angka).
    pub kk: String,
    /// Petugas yang melihat. Bawaan: Operator di kelurahan.toml.
    #[arg(long, value_name = "NAMA")]
    pub oleh: Option<String>,
    #[command(flatten)]
    pub keluaran: Keluaran,
}

#[derive(Debug, Args)]
pub struct PendudukUbahArgs {
    /// NIK (16 angka).
    pub nik: String,
    /// Isian yang dibetulkan, nama=nilai (boleh berulang): nama, kk, tempat_lahir, agama,
    /// pendidikan, pekerjaan, status_perkawinan, kewarganegaraan, alamat, rt, rw, shdk,
    /// telepon.
    #[arg(long, value_name = "NAMA=NILAI", num_args = 1.., required = true)]
    pub isian: Vec<String>,
    /// Petugas yang mengubah. Bawaan: Operator di kelurahan.toml.
    #[arg(long, value_name = "NAMA")]
    pub oleh: Option<String>,
}

#[derive(Debug, Args)]
pub struct PendudukEksporArgs {
    /// NIK (16 angka).
    pub nik: String,
    /// Berkas JSON yang ditulis. Bawaan: ke layar.
    #[arg(long, value_name = "BERKAS")]
    pub keluar: Option<std::path::PathBuf>,
    /// Petugas yang mengekspor. Bawaan: Operator di kelurahan.toml.
    #[arg(long, value_name = "NAMA")]
    pub oleh: Option<String>,
}

#[derive(Debug, Args)]
pub struct PendudukAksesArgs {
    /// Hanya akses ke NIK ini.
    #[arg(long, value_name = "NIK")]
    pub nik: Option<String>,
    /// Paling banyak sekian catatan terbaru.
    #[arg(long, default_value_t = 100, value_name = "JUMLAH")]
    pub batas: usize,
    #[command(flatten)]
    pub keluaran: Keluaran,
}

#[derive(Debug, Subcommand)]
pub enum JadwalCmd {
    /// Menampilkan setiap jadwal, waktu berikutnya (WIB) dan hasil terakhirnya.
    Daftar(JadwalDaftarArgs),
    /// Menjalankan yang sudah waktunya (atau satu tugas untuk satu periode), lalu selesai.
    Jalankan(JalankanArgs),
}

#[derive(Debug, Args)]
pub struct JadwalDaftarArgs {
    #[command(flatten)]
    pub keluaran: Keluaran,
}

#[derive(Debug, Args)]
pub struct JalankanArgs {
    /// Hanya tugas ini (nama jadwal).
    #[arg(long, value_name = "NAMA")]
    pub tugas: Option<String>,
    /// Periode yang dijalankan (bulan TAHUN-BULAN untuk laporan, tanggal untuk cadangan).
    #[arg(long, value_name = "PERIODE", requires = "tugas")]
    pub periode: Option<String>,
    #[command(flatten)]
    pub keluaran: Keluaran,
}

#[derive(Debug, Args)]
pub struct KirimArgs {
    #[command(flatten)]
    pub keluaran: Keluaran,
}

#[derive(Debug, Subcommand)]
pub enum SurelCmd {
    /// Menampilkan isi kotak keluar.
    Daftar(SurelDaftarArgs),
    /// Mengantrekan lagi surel yang gagal.
    Ulang(SurelUlangArgs),
}

#[derive(Debug, Args)]
pub struct SurelDaftarArgs {
    /// Hanya surel berstatus ini.
    #[arg(long, value_parser = status_surel())]
    pub status: Option<StatusSurel>,
    #[command(flatten)]
    pub keluaran: Keluaran,
}

#[derive(Debug, Args)]
pub struct SurelUlangArgs {
    /// Nomor surel (lihat `surel daftar`).
    pub id: i64,
}

#[derive(Debug, Subcommand)]
pub enum EksporCmd {
    /// Buku register sebagai buku kerja Excel (dapat diimpor kembali).
    Register(EksporRegisterArgs),
}

#[derive(Debug, Args)]
pub struct EksporRegisterArgs {
    /// Hanya tahun ini. Bawaan: seluruh register.
    #[arg(long, value_name = "TAHUN")]
    pub tahun: Option<i32>,
    /// Berkas .xlsx tujuan. Bawaan: output/ekspor/register-TAHUN.xlsx.
    #[arg(long, value_name = "BERKAS")]
    pub keluar: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct WebArgs {
    /// Alamat dan porta yang dilayani. Untuk jaringan kantor: 0.0.0.0:8080.
    #[arg(long, value_name = "ALAMAT:PORTA", default_value = "127.0.0.1:8080")]
    pub alamat: std::net::SocketAddr,
}

#[derive(Debug, Subcommand)]
pub enum PenggunaCmd {
    /// Menambah akun dengan kata sandinya (diminta di terminal, atau --sandi-stdin).
    Tambah(PenggunaTambahArgs),
    /// Menampilkan semua akun (tanpa kata sandi).
    Daftar(PenggunaDaftarArgs),
    /// Mengganti kata sandi sebuah akun (dan membuka kuncinya).
    Sandi(PenggunaNamaArgs),
    /// Menonaktifkan akun: tidak dapat masuk lagi, riwayatnya tetap.
    Nonaktif(PenggunaNamaArgs),
    /// Mengaktifkan kembali akun.
    Aktif(PenggunaNamaArgs),
}

#[derive(Debug, Args)]
pub struct PenggunaTambahArgs {
    /// Nama lengkap; dipakai untuk masuk dan tercatat di riwayat.
    #[arg(long, value_name = "NAMA")]
    pub nama: String,
    /// Peran orang ini.
    #[arg(long, value_parser = peran_pengguna())]
    pub peran: PeranPengguna,
    /// Baca kata sandi dari baris pertama masukan standar (untuk skrip).
    #[arg(long)]
    pub sandi_stdin: bool,
}

#[derive(Debug, Args)]
pub struct PenggunaNamaArgs {
    /// Nama akun.
    #[arg(long, value_name = "NAMA")]
    pub nama: String,
    /// Baca kata sandi dari baris pertama masukan standar (untuk `sandi`).
    #[arg(long)]
    pub sandi_stdin: bool,
}

#[derive(Debug, Args)]
pub struct PenggunaDaftarArgs {
    #[command(flatten)]
    pub keluaran: Keluaran,
}

#[derive(Debug, Args)]
pub struct ImporArgs {
    /// Berkas register lama; setiap berkas diimpor dalam satu transaksi.
    #[arg(required = true, value_name = "BERKAS")]
    pub berkas: Vec<PathBuf>,
    /// Uji saja: baca, periksa dan laporkan, tanpa menulis apa pun ke register.
    #[arg(long)]
    pub uji: bool,
    /// Peta tambahan (ejaan judul kolom, jenis surat, status, kanal) untuk impor ini.
    #[arg(long, value_name = "PETA.toml")]
    pub peta: Option<PathBuf>,
    /// Tulis laporan baris yang ditolak dan ditandai ke buku kerja ini. Pada --uji selalu
    /// ditulis (bawaan: output/impor/laporan-impor-uji.xlsx).
    #[arg(long, value_name = "BERKAS.xlsx")]
    pub laporan: Option<PathBuf>,
    /// Nama yang mengimpor, dicatat di riwayat.
    #[arg(
        long,
        value_name = "NAMA",
        default_value = "Operator (impor register lama)"
    )]
    pub oleh: String,
    #[command(flatten)]
    pub keluaran: Keluaran,
}

#[derive(Debug, Subcommand)]
pub enum LaporanCmd {
    /// Laporan Koordinator kepada Seklur dan rekap Seklur kepada Lurah untuk satu bulan;
    /// permohonan bulan itu yang sudah bersurat dicatat dilaporkan (tahap 5 dan 6).
    Bulanan(BulananArgs),
    /// Laporan satu triwulan (Sekretaris Lurah kepada Lurah: angka seluruh triwulan dan
    /// per bulan) dan buku kerjanya; tidak memindahkan permohonan.
    Triwulan(TriwulanArgs),
    /// Laporan satu tahun (Sekretaris Lurah kepada Lurah: angka seluruh tahun dan per
    /// bulan) dan buku kerjanya; tidak memindahkan permohonan.
    Tahunan(TahunanArgs),
}

#[derive(Debug, Args)]
pub struct TriwulanArgs {
    /// Triwulan laporan (TAHUN-QN, misalnya 2026-Q4), yang sudah berakhir. Bawaan:
    /// triwulan terakhir yang sudah berakhir.
    #[arg(long, value_name = "TRIWULAN")]
    pub triwulan: Option<String>,
    /// Antrekan laporan di kotak keluar surel ke alamat kantor, lalu kirim.
    #[arg(long)]
    pub kirim: bool,
    #[command(flatten)]
    pub keluaran: Keluaran,
}

#[derive(Debug, Args)]
pub struct TahunanArgs {
    /// Tahun laporan (misalnya 2026), yang sudah berakhir. Bawaan: tahun lalu.
    #[arg(long, value_name = "TAHUN")]
    pub tahun: Option<String>,
    /// Antrekan laporan di kotak keluar surel ke alamat kantor, lalu kirim.
    #[arg(long)]
    pub kirim: bool,
    #[command(flatten)]
    pub keluaran: Keluaran,
}

#[derive(Debug, Args)]
pub struct BulananArgs {
    /// Bulan laporan (TAHUN-BULAN), yang sudah berakhir. Bawaan: bulan lalu; dengan
    /// --sementara: bulan ini.
    #[arg(long, value_name = "BULAN")]
    pub bulan: Option<String>,
    /// Antrekan laporan di kotak keluar surel ke alamat kantor, lalu kirim.
    #[arg(long, conflicts_with = "sementara")]
    pub kirim: bool,
    /// Rancangan: angka sampai hari ini, bertanda SEMENTARA di setiap halaman, ditulis ke
    /// output/laporan/sementara/; tidak mencatat laporan dan tidak memindahkan permohonan.
    #[arg(long)]
    pub sementara: bool,
    #[command(flatten)]
    pub keluaran: Keluaran,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BentukArg {
    /// Formulir permohonan per jenis surat.
    Permohonan,
    /// Tanda terima berkas untuk pemohon.
    TandaTerima,
    /// Lembar kendali yang menyertai berkas.
    LembarKendali,
    /// Halaman buku register kosong.
    Register,
    /// Model N2, permohonan kehendak nikah ke KUA (ditandatangani pemohon).
    N2,
    /// Model N4, persetujuan calon pengantin (ditandatangani kedua calon).
    N4,
    /// Model N5, surat izin orang tua (ditandatangani ayah dan ibu).
    N5,
}

#[derive(Debug, Args)]
pub struct BlankoArgs {
    /// Bentuk blanko.
    #[arg(value_enum, required_unless_present = "semua")]
    pub bentuk: Option<BentukArg>,
    /// Untuk `permohonan`: kode jenis surat (tanpa ini: semua jenis). Untuk `tanda-terima`
    /// dan `lembar-kendali`: nomor permohonan, agar blanko tercetak terisi.
    pub untuk: Option<String>,
    /// Cetak semua blanko kosong.
    #[arg(long, conflicts_with = "bentuk")]
    pub semua: bool,
    /// Folder tujuan. Bawaan: output/blanko di folder kerja.
    #[arg(long, value_name = "FOLDER")]
    pub keluar: Option<PathBuf>,
    #[command(flatten)]
    pub keluaran: Keluaran,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct SuratArgs {
    #[command(subcommand)]
    pub aksi: Option<SuratCmd>,
    /// Nomor register (0042/2026) atau id permohonan yang suratnya dicetak.
    pub id: Option<String>,
    /// Cetak semua surat yang bertanggal di bulan ini (TAHUN-BULAN).
    #[arg(long, value_name = "BULAN", conflicts_with = "id")]
    pub bulan: Option<String>,
    /// Berkas PDF tujuan (untuk satu surat) atau folder tujuan (untuk --bulan).
    #[arg(long, value_name = "BERKAS")]
    pub keluar: Option<PathBuf>,
    /// Jumlah pekerja untuk --bulan. Bawaan: jumlah inti prosesor.
    #[arg(long, value_name = "N")]
    pub pekerja: Option<usize>,
    #[command(flatten)]
    pub keluaran: Keluaran,
}

#[derive(Debug, Subcommand)]
pub enum SuratCmd {
    /// Membatalkan surat: nomornya tetap terpakai dan tercatat batal.
    Batal(BatalArgs),
}

#[derive(Debug, Args)]
pub struct BatalArgs {
    /// Nomor register (0042/2026) atau id permohonan.
    pub id: String,
    /// Alasan pembatalan (wajib).
    #[arg(long)]
    pub alasan: String,
    /// Nama petugas yang membatalkan.
    #[arg(long, value_name = "NAMA")]
    pub oleh: String,
    #[command(flatten)]
    pub keluaran: Keluaran,
}

#[derive(Debug, Args)]
pub struct VerifikasiArgs {
    /// Berkas PDF surat yang diperiksa.
    #[arg(required_unless_present = "kode", conflicts_with = "kode")]
    pub berkas: Option<PathBuf>,
    /// Kode verifikasi yang tercetak pada surat.
    #[arg(long, value_name = "KODE")]
    pub kode: Option<String>,
    #[command(flatten)]
    pub keluaran: Keluaran,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Hari terakhir data demo (TAHUN-BULAN-HARI). Bawaan: hari ini (WIB).
    #[arg(long, value_name = "TANGGAL")]
    pub hingga: Option<String>,
    /// Jumlah permohonan yang dibuat.
    #[arg(long, default_value_t = 300, value_name = "N")]
    pub jumlah: usize,
    #[command(flatten)]
    pub keluaran: Keluaran,
}

#[derive(Debug, Args)]
pub struct KatalogArgs {
    /// Kode jenis surat, misalnya sk-usaha.
    pub kode: Option<String>,
    #[command(flatten)]
    pub keluaran: Keluaran,
}

#[derive(Debug, Subcommand)]
pub enum PermohonanCmd {
    /// Mencatat permohonan baru (tahap 1, diajukan) dengan nomor register berikutnya.
    Baru(Box<BaruArgs>),
    /// Menampilkan buku register, dengan saringan.
    Daftar(DaftarArgs),
    /// Menampilkan satu permohonan dengan berkas dan riwayatnya.
    Lihat(LihatArgs),
    /// Mencatat berkas persyaratan yang ada atau tidak ada (hanya pada tahap diajukan).
    Berkas(BerkasArgs),
    /// Melengkapi atau membetulkan isian permohonan sebelum suratnya terbit; setiap
    /// perubahan dicatat (siapa, kapan, dari apa menjadi apa).
    Lengkapi(Box<LengkapiArgs>),
    /// Memajukan permohonan satu tahap sesuai SOP.
    Lanjut(LanjutArgs),
    /// Menolak permohonan dengan alasan (hanya sebelum tahap ditindaklanjuti).
    Tolak(TolakArgs),
    /// Mencatat bahwa pemohon membatalkan permohonannya (oleh Operator, dengan alasan
    /// pemohon, sebelum surat terbit). Bukan penolakan: kantor tidak menolak pemohon.
    Batalkan(BatalkanArgs),
}

#[derive(Debug, Args)]
pub struct BaruArgs {
    /// Kode jenis surat (lihat `kelurahan katalog`).
    #[arg(long, value_name = "KODE")]
    pub jenis: String,
    /// Nama pemohon. Boleh tidak ditulis bila NIK-nya sudah tercatat sebagai penduduk.
    #[arg(long, value_name = "NAMA")]
    pub nama: Option<String>,
    /// NIK pemohon (16 angka). Penduduk yang sudah tercatat: isian yang tidak ditulis
    /// diambil dari datanya, dan yang ditulis memperbarui datanya.
    #[arg(long, value_name = "NIK")]
    pub nik: String,
    #[command(flatten)]
    pub data: DataPemohonArgs,
    /// Orang dari data penduduk untuk isian daftar orang (pengikut pindah, ahli waris):
    /// KUNCI=NIK,NIK (boleh berulang), mis. pengikut=1571094506900003. Nama dan hubungan
    /// (SHDK) diambil dari datanya; lihat `penduduk keluarga KK`.
    #[arg(long, value_name = "KUNCI=NIK,...", num_args = 1..)]
    pub anggota: Vec<String>,
    /// Cara permohonan masuk: langsung atau whatsapp.
    #[arg(long, default_value = "langsung", value_name = "KANAL")]
    pub kanal: String,
    /// Kode berkas persyaratan yang dibawa, dipisah koma.
    #[arg(long, value_name = "KODE,...", value_delimiter = ',')]
    pub berkas: Vec<String>,
    /// Tanggal permohonan (TAHUN-BULAN-HARI). Bawaan: hari ini.
    #[arg(long, value_name = "TANGGAL")]
    pub tanggal: Option<String>,
    /// Petugas yang mencatat. Bawaan: Operator di kelurahan.toml.
    #[arg(long, value_name = "NAMA")]
    pub oleh: Option<String>,
    #[command(flatten)]
    pub keluaran: Keluaran,
}

/// The applicant's data beyond name and NIK, as `baru` takes it and `lengkapi` changes it.
#[derive(Debug, Args)]
pub struct DataPemohonArgs {
    /// Nomor Kartu Keluarga (16 angka).
    #[arg(long, value_name = "KK")]
    pub kk: Option<String>,
    /// Alamat pemohon (jalan, nomor rumah).
    #[arg(long)]
    pub alamat: Option<String>,
    /// Nomor RT.
    #[arg(long)]
    pub rt: Option<String>,
    /// Nomor RW.
    #[arg(long)]
    pub rw: Option<String>,
    /// Nomor telepon / WhatsApp pemohon.
    #[arg(long)]
    pub telepon: Option<String>,
    /// Keperluan surat. Bawaan: keperluan umum jenis surat itu.
    #[arg(long)]
    pub keperluan: Option<String>,
    /// Isian jenis surat, nama=nilai (boleh berulang; `kelurahan katalog JENIS` menyebut
    /// isiannya dan pilihan daftar tetapnya).
    #[arg(long, value_name = "NAMA=NILAI", num_args = 1..)]
    pub isian: Vec<String>,
}

#[derive(Debug, Args)]
pub struct LengkapiArgs {
    /// Nomor register (0042/2026) atau id permohonan.
    pub id: String,
    #[command(flatten)]
    pub data: DataPemohonArgs,
    /// Tahap permohonan yang Anda lihat. Bawaan: tahapnya sekarang.
    #[arg(long, value_name = "TAHAP", value_parser = tahap())]
    pub dari: Option<Tahap>,
    /// Petugas yang mengubah. Bawaan: Operator di kelurahan.toml.
    #[arg(long, value_name = "NAMA")]
    pub oleh: Option<String>,
    #[command(flatten)]
    pub keluaran: Keluaran,
}

#[derive(Debug, Args)]
pub struct DaftarArgs {
    /// Hanya tahap ini (diajukan, diterima, ..., ditolak).
    #[arg(long, value_name = "TAHAP")]
    pub tahap: Option<String>,
    /// Hanya jenis surat ini.
    #[arg(long, value_name = "KODE")]
    pub jenis: Option<String>,
    /// Hanya bulan ini (TAHUN-BULAN), menurut tanggal permohonan.
    #[arg(long, value_name = "BULAN")]
    pub bulan: Option<String>,
    /// Cari nama (dari awal salah satu katanya: `aminah`, `siti am`), nomor register,
    /// nomor surat, atau NIK (hanya NIK utuh).
    #[arg(long, value_name = "TEKS")]
    pub cari: Option<String>,
    #[command(flatten)]
    pub keluaran: KeluaranDaftar,
}

#[derive(Debug, Args)]
pub struct LihatArgs {
    /// Nomor register (0042/2026) atau id permohonan.
    pub id: String,
    #[command(flatten)]
    pub keluaran: Keluaran,
}

#[derive(Debug, Args)]
pub struct BerkasArgs {
    /// Nomor register (0042/2026) atau id permohonan.
    pub id: String,
    /// Kode berkas yang sudah ada, dipisah koma.
    #[arg(long, value_name = "KODE,...", value_delimiter = ',')]
    pub ada: Vec<String>,
    /// Kode berkas yang tidak ada, dipisah koma.
    #[arg(long = "tidak-ada", value_name = "KODE,...", value_delimiter = ',')]
    pub tidak_ada: Vec<String>,
    #[command(flatten)]
    pub keluaran: Keluaran,
}

#[derive(Debug, Args)]
pub struct LanjutArgs {
    /// Nomor register (0042/2026) atau id permohonan.
    pub id: String,
    /// Peran yang melakukan langkah ini.
    #[arg(long, value_parser = peran_sop())]
    pub peran: Peran,
    /// Tahap permohonan yang Anda lihat. Bawaan: tahap yang dimajukan peran ini
    /// (Koordinator: diteruskan; laporan ke Seklur dengan --dari ditindaklanjuti).
    /// Permohonan yang sudah berpindah ditolak, jadi langkah tidak terulang.
    #[arg(long, value_name = "TAHAP", value_parser = tahap())]
    pub dari: Option<Tahap>,
    /// Nama petugas yang melakukan langkah ini.
    #[arg(long, value_name = "NAMA")]
    pub oleh: String,
    /// Catatan untuk riwayat.
    #[arg(long)]
    pub catatan: Option<String>,
    /// Penanda tangan surat yang terbit pada langkah ini. Bawaan: dari kelurahan.toml.
    #[arg(long = "penanda-tangan", value_parser = penanda_tangan())]
    pub penanda_tangan: Option<PenandaTangan>,
    #[command(flatten)]
    pub keluaran: Keluaran,
}

#[derive(Debug, Args)]
pub struct TolakArgs {
    /// Nomor register (0042/2026) atau id permohonan.
    pub id: String,
    /// Peran yang menolak.
    #[arg(long, value_parser = peran_sop())]
    pub peran: Peran,
    /// Nama petugas yang menolak.
    #[arg(long, value_name = "NAMA")]
    pub oleh: String,
    /// Alasan penolakan (wajib).
    #[arg(long)]
    pub alasan: String,
    #[command(flatten)]
    pub keluaran: Keluaran,
}

#[derive(Debug, Args)]
pub struct BatalkanArgs {
    /// Nomor register (0042/2026) atau id permohonan.
    pub id: String,
    /// Nama Operator yang mencatat pembatalan.
    #[arg(long, value_name = "NAMA")]
    pub oleh: String,
    /// Alasan pemohon membatalkan (wajib), mis. "pemohon tidak jadi pindah".
    #[arg(long)]
    pub alasan: String,
    #[command(flatten)]
    pub keluaran: Keluaran,
}

#[derive(Debug, Args)]
pub struct PulihkanArgs {
    #[command(flatten)]
    pub keluaran: Keluaran,
}
