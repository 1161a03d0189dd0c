//! The workspace: a folder with `kelurahan.toml` (the office profile), the database and
//! `output/`. Owns the profile's shape and its checks, and `init`.

use std::path::{Path, PathBuf};

use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::config::catalog::CatalogError;
use crate::config::toml_file::{self, TomlError};
use crate::domain::identity;
use crate::domain::katalog::Katalog;
use crate::util::files;

pub const PROFILE_FILE: &str = "kelurahan.toml";
pub const DATABASE_FILE: &str = "kelurahan.db";
pub const OUTPUT_DIR: &str = "output";
pub const TEMPLATES_DIR: &str = "typst-templates";
pub const DEFAULT_PROFILE: &str = include_str!("default-kelurahan.toml");

#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    #[error(
        "{0} bukan folder kerja kelurahan: {PROFILE_FILE} tidak ada; jalankan `kelurahan init --dir {0}` dulu"
    )]
    NotAWorkspace(String),
    #[error("{0}")]
    Toml(#[from] TomlError),
    #[error("{file} baris {line}: kunci `{key}`: {message}")]
    Invalid {
        file: String,
        line: usize,
        key: String,
        message: String,
    },
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    #[error("{0}: {1}")]
    Io(String, std::io::Error),
}

/// The office profile (`kelurahan.toml`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profil {
    pub kantor: Kantor,
    pub pejabat: Pejabat,
    pub penomoran: Penomoran,
    pub dokumen: Dokumen,
    #[serde(default)]
    pub libur: Libur,
    #[serde(default)]
    pub laporan: LaporanCfg,
    #[serde(default)]
    pub surel: SurelCfg,
}

/// Mail settings: where reports go and how.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurelCfg {
    /// `file` (write .eml files to output/outbox/) or `smtp`.
    #[serde(default = "default_transport")]
    pub transport: TransportKind,
    /// Recipients; the office address when empty.
    #[serde(default)]
    pub kepada: Vec<String>,
    /// Sender; the office address when empty.
    #[serde(default)]
    pub pengirim: String,
    /// Largest message, attachments included, in MB.
    #[serde(default = "default_limit")]
    pub batas_mb: u32,
    /// Attempts before a message is given up.
    #[serde(default = "default_attempts")]
    pub maks_percobaan: u32,
    #[serde(default)]
    pub smtp: SmtpCfg,
}

impl Default for SurelCfg {
    fn default() -> Self {
        SurelCfg {
            transport: TransportKind::File,
            kepada: Vec::new(),
            pengirim: String::new(),
            batas_mb: 20,
            maks_percobaan: 10,
            smtp: SmtpCfg::default(),
        }
    }
}

fn default_transport() -> TransportKind {
    TransportKind::File
}
fn default_limit() -> u32 {
    20
}
fn default_attempts() -> u32 {
    10
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransportKind {
    File,
    Smtp,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpCfg {
    #[serde(default)]
    pub host: String,
    #[serde(default = "default_port")]
    pub port: u16,
    /// `starttls` (587), `tls` (465), or `tanpa` (only to a loopback address).
    #[serde(default = "default_security")]
    pub keamanan: Keamanan,
    #[serde(default)]
    pub pengguna: String,
    /// A file holding the password, outside the workspace's repository; otherwise the
    /// password comes from `KELURAHAN_SMTP_PASSWORD`.
    #[serde(default)]
    pub berkas_sandi: String,
    /// An extra CA certificate (PEM) to trust, for an office's own mail server.
    #[serde(default)]
    pub sertifikat_ca: String,
    #[serde(default = "default_timeout")]
    pub batas_waktu_detik: u64,
}

impl Default for SmtpCfg {
    fn default() -> Self {
        SmtpCfg {
            host: String::new(),
            port: default_port(),
            keamanan: Keamanan::Starttls,
            pengguna: String::new(),
            berkas_sandi: String::new(),
            sertifikat_ca: String::new(),
            batas_waktu_detik: default_timeout(),
        }
    }
}

fn default_port() -> u16 {
    587
}
fn default_security() -> Keamanan {
    Keamanan::Starttls
}
fn default_timeout() -> u64 {
    30
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Keamanan {
    Starttls,
    Tls,
    Tanpa,
}

/// Report settings.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LaporanCfg {
    /// Mask NIK and KK in the monthly workbook, which may leave the building by mail.
    #[serde(default = "yes")]
    pub samarkan_nik: bool,
}

impl Default for LaporanCfg {
    fn default() -> Self {
        LaporanCfg { samarkan_nik: true }
    }
}

fn yes() -> bool {
    true
}

/// Public holidays, not counted as working days.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Libur {
    #[serde(default)]
    pub tanggal: Vec<String>,
}

impl Profil {
    /// The holidays as dates (checked on load).
    pub fn holidays(&self) -> std::collections::BTreeSet<chrono::NaiveDate> {
        self.libur
            .tanggal
            .iter()
            .filter_map(|t| crate::domain::calendar::parse_tanggal(t).ok())
            .collect()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Kantor {
    pub pemerintah: String,
    pub kecamatan: String,
    pub kelurahan: String,
    pub nama: String,
    pub kota_surat: String,
    pub alamat: String,
    pub kode_pos: String,
    pub email: String,
    #[serde(default)]
    pub telepon: String,
    pub kode_unit: String,
    #[serde(default)]
    pub logo: String,
    #[serde(default = "default_tz")]
    pub zona_waktu: String,
    /// "Alam Barajo"; taken from `kecamatan` when absent.
    #[serde(default)]
    pub nama_kecamatan: String,
    /// "Kota Jambi"; taken from `pemerintah` when absent.
    #[serde(default)]
    pub nama_kota: String,
}

/// "KECAMATAN ALAM BARAJO" -> "Alam Barajo"
fn title_case(s: &str) -> String {
    s.split_whitespace()
        .map(|w| {
            let lower = w.to_lowercase();
            let mut c = lower.chars();
            match c.next() {
                Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn default_tz() -> String {
    "Asia/Jakarta".into()
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pejabat {
    pub lurah: Petugas,
    pub seklur: Petugas,
    pub kasi_pem: Petugas,
    pub koordinator: Petugas,
    pub operator: Petugas,
}

/// An official: name, NIP (18 digits, or empty), rank and position.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Petugas {
    pub nama: String,
    #[serde(default)]
    pub nip: String,
    #[serde(default)]
    pub pangkat: String,
    pub jabatan: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Penomoran {
    pub pola: String,
    pub lingkup: LingkupNomor,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LingkupNomor {
    Kantor,
    Jenis,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dokumen {
    pub kertas: Kertas,
    /// Who signs letters: the Lurah, or the Seklur on the Lurah's behalf (a.n.).
    #[serde(default = "default_signer")]
    pub penanda_tangan: PenandaTangan,
    /// Also use the computer's own fonts (then a letter may look different on another
    /// machine); the embedded ones always come first.
    #[serde(default)]
    pub font_sistem: bool,
    /// The office's public verification address, `{kode}` standing for a letter's code
    /// (`https://rawasari.jambikota.go.id/v/{kode}`). Set: the QR code holds the address;
    /// empty: the QR code holds the code, checked at the office.
    #[serde(default)]
    pub alamat_verifikasi: String,
    /// The office's public status page, `{kode}` standing for a request's tracking code
    /// (`https://rawasari.jambikota.go.id/lacak/{kode}`). Set: the receipt's QR code and
    /// the WhatsApp messages carry it; empty: the receipt shows the code only.
    #[serde(default)]
    pub alamat_lacak: String,
}

impl Dokumen {
    /// The status page of a request, when the office has a public address.
    pub fn url_lacak(&self, kode: &str) -> Option<String> {
        let a = self.alamat_lacak.trim();
        (!a.is_empty()).then(|| a.replace("{kode}", kode))
    }

    /// The address a letter's QR code opens, when the office has one.
    pub fn url_verifikasi(&self, kode: &str) -> Option<String> {
        let a = self.alamat_verifikasi.trim();
        (!a.is_empty()).then(|| a.replace("{kode}", kode))
    }
}

fn default_signer() -> PenandaTangan {
    PenandaTangan::Lurah
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PenandaTangan {
    Lurah,
    Seklur,
}

impl PenandaTangan {
    pub fn kode(self) -> &'static str {
        match self {
            PenandaTangan::Lurah => "lurah",
            PenandaTangan::Seklur => "seklur",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kertas {
    F4,
    A4,
}

const INDONESIAN_ZONES: [&str; 4] = [
    "Asia/Jakarta",
    "Asia/Pontianak",
    "Asia/Makassar",
    "Asia/Jayapura",
];

impl Profil {
    /// How the office numbers its letters, as the importer and the letter service need it.
    pub fn penomoran_surat(&self) -> crate::domain::surat::Penomoran<'_> {
        crate::domain::surat::Penomoran {
            pola: &self.penomoran.pola,
            per_jenis: self.penomoran.lingkup == LingkupNomor::Jenis,
        }
    }

    /// Reads and checks a profile; `file` names it in errors.
    pub fn parse(file: &Path, text: &str) -> Result<Profil, WorkspaceError> {
        let mut p: Profil = toml_file::parse(file, text)?;
        p.check(file, text)?;
        Ok(p)
    }

    pub fn tz(&self) -> Tz {
        self.kantor
            .zona_waktu
            .parse()
            .unwrap_or(crate::domain::calendar::WIB)
    }

    /// The built-in Rawasari profile.
    pub fn builtin() -> Profil {
        Profil::parse(Path::new(PROFILE_FILE), DEFAULT_PROFILE).expect("built-in profile is valid")
    }

    fn check(&mut self, file: &Path, text: &str) -> Result<(), WorkspaceError> {
        let invalid = |key: &str, message: String| WorkspaceError::Invalid {
            file: file.display().to_string(),
            line: toml_file::line_of(text, key).unwrap_or(1),
            key: key.to_string(),
            message,
        };
        let a = self.dokumen.alamat_verifikasi.trim();
        if !a.is_empty()
            && (!(a.starts_with("https://") || a.starts_with("http://")) || !a.contains("{kode}"))
        {
            return Err(invalid(
                "alamat_verifikasi",
                format!(
                    "`{a}` harus alamat web (https://...) yang memuat {{kode}}, misalnya https://kelurahan.example.go.id/v/{{kode}}"
                ),
            ));
        }
        if self.kantor.nama_kecamatan.trim().is_empty() {
            let k = self.kantor.kecamatan.trim();
            let k = k
                .strip_prefix("KECAMATAN ")
                .or_else(|| k.strip_prefix("Kecamatan "))
                .unwrap_or(k);
            self.kantor.nama_kecamatan = title_case(k);
        }
        if self.kantor.nama_kota.trim().is_empty() {
            let p = self.kantor.pemerintah.trim();
            let p = p
                .strip_prefix("PEMERINTAH ")
                .or_else(|| p.strip_prefix("Pemerintah "))
                .unwrap_or(p);
            self.kantor.nama_kota = title_case(p);
        }
        let k = &self.kantor;
        for (key, v) in [
            ("kantor.pemerintah", &k.pemerintah),
            ("kantor.kecamatan", &k.kecamatan),
            ("kantor.kelurahan", &k.kelurahan),
            ("kantor.nama", &k.nama),
            ("kantor.kota_surat", &k.kota_surat),
            ("kantor.alamat", &k.alamat),
            ("kantor.kode_unit", &k.kode_unit),
        ] {
            if v.trim().is_empty() {
                return Err(invalid(key, "tidak boleh kosong".into()));
            }
        }
        if k.kode_pos.len() != 5 || !k.kode_pos.chars().all(|c| c.is_ascii_digit()) {
            return Err(invalid("kantor.kode_pos", "kode pos harus 5 angka".into()));
        }
        let email_ok = k
            .email
            .split_once('@')
            .is_some_and(|(a, b)| !a.is_empty() && b.contains('.') && !b.ends_with('.'));
        if !email_ok {
            return Err(invalid(
                "kantor.email",
                format!("`{}` bukan alamat surel", k.email),
            ));
        }
        if !INDONESIAN_ZONES.contains(&k.zona_waktu.as_str()) {
            return Err(invalid(
                "kantor.zona_waktu",
                format!(
                    "zona waktu `{}` tidak dikenal; pilihan: {}",
                    k.zona_waktu,
                    INDONESIAN_ZONES.join(", ")
                ),
            ));
        }
        let officials = [
            ("lurah", &mut self.pejabat.lurah),
            ("seklur", &mut self.pejabat.seklur),
            ("kasi_pem", &mut self.pejabat.kasi_pem),
            ("koordinator", &mut self.pejabat.koordinator),
            ("operator", &mut self.pejabat.operator),
        ];
        for (role, p) in officials {
            if p.nama.trim().is_empty() {
                return Err(invalid(
                    &format!("pejabat.{role}.nama"),
                    "tidak boleh kosong".into(),
                ));
            }
            if !p.nip.trim().is_empty() {
                p.nip = identity::parse_nip(&p.nip)
                    .map_err(|e| invalid(&format!("pejabat.{role}.nip"), e.to_string()))?;
            }
        }
        for t in &self.libur.tanggal {
            crate::domain::calendar::parse_tanggal(t)
                .map_err(|e| invalid("libur.tanggal", e.to_string()))?;
        }
        crate::domain::numbering::check_pattern(&self.penomoran.pola)
            .map_err(|m| invalid("penomoran.pola", m))?;
        Ok(())
    }
}

/// With one sequence per letter type, two types with the same classification code would
/// print the same number unless the pattern tells them apart: refuse that on load.
fn check_numbering_scope(
    file: &Path,
    text: &str,
    profil: &Profil,
    katalog: &Katalog,
) -> Result<(), WorkspaceError> {
    if profil.penomoran.lingkup != LingkupNomor::Jenis {
        return Ok(());
    }
    for (i, a) in katalog.jenis.iter().enumerate() {
        for b in &katalog.jenis[i + 1..] {
            if a.kode_klasifikasi == b.kode_klasifikasi {
                return Err(WorkspaceError::Invalid {
                    file: file.display().to_string(),
                    line: toml_file::line_of(text, "penomoran.lingkup").unwrap_or(1),
                    key: "penomoran.lingkup".into(),
                    message: format!(
                        "dengan lingkup \"jenis\", {} dan {} memakai kode klasifikasi yang sama ({}) sehingga nomor suratnya bisa kembar; pakai lingkup \"kantor\" atau beri kode klasifikasi berbeda di katalog",
                        a.kode, b.kode, a.kode_klasifikasi
                    ),
                });
            }
        }
    }
    Ok(())
}

/// An opened workspace: where it is and what it says. The database is opened by the
/// register, from `db_path()`.
#[derive(Debug, Clone)]
pub struct Workspace {
    pub dir: PathBuf,
    pub profil: Profil,
    pub katalog: Katalog,
}

/// What `init` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InitOutcome {
    Created,
    /// The folder already held a workspace; nothing was changed.
    AlreadyExists(Vec<String>),
}

impl Workspace {
    pub fn open(dir: &Path) -> Result<Workspace, WorkspaceError> {
        let file = dir.join(PROFILE_FILE);
        let text = match std::fs::read_to_string(&file) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(WorkspaceError::NotAWorkspace(dir.display().to_string()));
            }
            Err(e) => return Err(WorkspaceError::Io(file.display().to_string(), e)),
        };
        let profil = Profil::parse(&file, &text)?;
        let katalog = crate::config::catalog::load(&dir.join(TEMPLATES_DIR).join("katalog.toml"))?;
        check_numbering_scope(&file, &text, &profil, &katalog)?;
        Ok(Workspace {
            dir: dir.to_path_buf(),
            profil,
            katalog,
        })
    }

    pub fn db_path(&self) -> PathBuf {
        self.dir.join(DATABASE_FILE)
    }

    pub fn output_dir(&self) -> PathBuf {
        self.dir.join(OUTPUT_DIR)
    }

    /// Creates the folder, the profile with the Rawasari defaults and `output/`. The
    /// database is created by the caller opening the register. An existing workspace is
    /// left untouched.
    pub fn init(dir: &Path) -> Result<InitOutcome, WorkspaceError> {
        let existing: Vec<String> = [PROFILE_FILE, DATABASE_FILE]
            .into_iter()
            .filter(|f| dir.join(f).exists())
            .map(String::from)
            .collect();
        if !existing.is_empty() {
            return Ok(InitOutcome::AlreadyExists(existing));
        }
        let io = |p: &Path, e| WorkspaceError::Io(p.display().to_string(), e);
        files::create_private_dir(dir).map_err(|e| io(dir, e))?;
        let out = dir.join(OUTPUT_DIR);
        files::create_private_dir(&out).map_err(|e| io(&out, e))?;
        let profile = dir.join(PROFILE_FILE);
        files::write_atomic(&profile, DEFAULT_PROFILE.as_bytes()).map_err(|e| io(&profile, e))?;
        Ok(InitOutcome::Created)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_profile_is_rawasari() {
        let p = Profil::builtin();
        assert_eq!(p.kantor.kelurahan, "KELURAHAN RAWASARI");
        assert_eq!(p.kantor.kode_pos, "36125");
        assert_eq!(p.pejabat.lurah.nip, "196706191990061001");
        assert_eq!(p.dokumen.kertas, Kertas::F4);
    }

    #[test]
    fn semantic_errors_name_key_and_line() {
        let text = DEFAULT_PROFILE.replace("kode_pos = \"36125\"", "kode_pos = \"3612\"");
        let e = Profil::parse(Path::new("k.toml"), &text).unwrap_err();
        let line = text
            .lines()
            .position(|l| l.starts_with("kode_pos"))
            .unwrap()
            + 1;
        assert_eq!(
            e.to_string(),
            format!("k.toml baris {line}: kunci `kantor.kode_pos`: kode pos harus 5 angka")
        );
        let text = DEFAULT_PROFILE.replace("{urut:03}", "{nomor}");
        let e = Profil::parse(Path::new("k.toml"), &text).unwrap_err();
        assert!(e.to_string().contains("penomoran.pola"), "{e}");
    }
}
