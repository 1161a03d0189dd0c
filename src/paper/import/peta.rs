//! The import map (peta impor): header spellings, letter-type aliases, status and channel
//! words, from the built-in `peta-bawaan.toml`, the workspace's `peta-impor.toml` and
//! `--peta`, each later one adding to and overriding the earlier.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use serde::Deserialize;

use crate::config::toml_file::{self, TomlError};
use crate::domain::katalog::Katalog;
use crate::domain::permohonan::Kanal;
use crate::domain::workflow::Tahap;

pub const BUILTIN: &str = include_str!("peta-bawaan.toml");
pub const BUILTIN_NAME: &str = "peta-bawaan.toml";
/// The workspace's own additions.
pub const WORKSPACE_FILE: &str = "peta-impor.toml";

/// What a column holds.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kolom {
    NomorRegister,
    Tanggal,
    TanggalSelesai,
    Nama,
    Nik,
    Kk,
    Alamat,
    Rt,
    Rw,
    RtRw,
    Telepon,
    Kanal,
    Jenis,
    Keperluan,
    Status,
    NomorSurat,
    TanggalSurat,
    /// Known, deliberately not read (the row counter "No", initials).
    Abaikan,
    Isian(String),
}

impl Kolom {
    fn parse(s: &str) -> Option<Kolom> {
        Some(match s {
            "nomor_register" => Kolom::NomorRegister,
            "tanggal" => Kolom::Tanggal,
            "tanggal_selesai" => Kolom::TanggalSelesai,
            "nama" => Kolom::Nama,
            "nik" => Kolom::Nik,
            "kk" => Kolom::Kk,
            "alamat" => Kolom::Alamat,
            "rt" => Kolom::Rt,
            "rw" => Kolom::Rw,
            "rt_rw" => Kolom::RtRw,
            "telepon" => Kolom::Telepon,
            "kanal" => Kolom::Kanal,
            "jenis" => Kolom::Jenis,
            "keperluan" => Kolom::Keperluan,
            "status" => Kolom::Status,
            "nomor_surat" => Kolom::NomorSurat,
            "tanggal_surat" => Kolom::TanggalSurat,
            "abaikan" => Kolom::Abaikan,
            other => {
                let key = other.strip_prefix("isian:")?.trim();
                if key.is_empty() {
                    return None;
                }
                Kolom::Isian(key.to_string())
            }
        })
    }
}

/// A status word of the old register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Selesai,
    Ditolak,
    Proses,
    Tahap(Tahap),
}

/// The map, with every spelling in its matching form (see [`key`]).
#[derive(Debug, Clone, Default)]
pub struct Peta {
    pub kolom: HashMap<String, Kolom>,
    pub jenis: HashMap<String, String>,
    /// Every type spelling by what it says ([`bentuk`]), with its kind of letter and
    /// without: `SK Tidak Mampu`, `Suket Tdk Mampu` and `Surat Keterangan Tidak Mampu`
    /// are one. A form two types share maps to neither (`None`).
    jenis_bentuk: HashMap<String, Option<String>>,
    /// Each type's subject words, from all its spellings: for the closest type.
    kata_jenis: Vec<(String, Vec<BTreeSet<String>>)>,
    /// The type spellings as written in the maps, by code.
    jenis_asli: Vec<(String, String)>,
    /// Longest first, matched against the start of the status text.
    pub status: Vec<(String, Status)>,
    pub kanal: HashMap<String, Kanal>,
}

/// The form spellings are compared in: lower case, letters and digits only, so
/// "No. KTP", "NO KTP" and "no.ktp\n" are one spelling.
pub fn key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A letter type's text reduced to what it says: a keterangan or a pengantar (or not
/// said), and its subject words with abbreviations and synonyms spelled out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bentuk {
    pub macam: Option<&'static str>,
    pub pokok: BTreeSet<String>,
}

impl Bentuk {
    fn kunci(&self) -> String {
        format!("{}:{}", self.macam.unwrap_or("-"), self.kunci_pokok())
    }

    fn kunci_pokok(&self) -> String {
        self.pokok
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// How offices open a type's name, by kind. Longest first.
const AWALAN: &[(&[&str], &str)] = &[
    (&["surat", "keterangan"], "ket"),
    (&["srt", "keterangan"], "ket"),
    (&["surat", "ket"], "ket"),
    (&["srt", "ket"], "ket"),
    (&["s", "ket"], "ket"),
    (&["surat", "pengantar"], "peng"),
    (&["srt", "pengantar"], "peng"),
    (&["s", "pengantar"], "peng"),
    (&["srt", "peng"], "peng"),
    (&["surat", "peng"], "peng"),
    (&["keterangan"], "ket"),
    (&["suket"], "ket"),
    (&["sket"], "ket"),
    (&["sk"], "ket"),
    (&["ket"], "ket"),
    (&["pengantar"], "peng"),
    (&["peng"], "peng"),
    (&["sutar"], "peng"),
    (&["pgt"], "peng"),
    (&["sp"], "peng"),
];

/// Words that say the same subject, as one.
fn sinonim(w: &str) -> Option<&'static str> {
    Some(match w {
        "lahir" | "kelahiran" => "lahir",
        "meninggal" | "kematian" | "mati" | "wafat" | "meninggaldunia" => "mati",
        "kawin" | "nikah" | "menikah" | "perkawinan" | "pernikahan" => "nikah",
        "tdk" | "tidak" | "tak" => "tidak",
        "ktp" | "ktpel" | "ektp" => "ktp",
        "kk" => "kk",
        "domisili" | "dom" => "domisili",
        "ghaib" | "ghoib" | "gaib" => "ghaib",
        "usaha" | "ush" => "usaha",
        "penghasilan" | "pendapatan" => "penghasilan",
        "pindah" | "pindahan" => "pindah",
        "ahli" => "ahli",
        "waris" => "waris",
        "blm" | "belum" => "belum",
        "dr" | "dari" | "dan" | "atau" | "untuk" | "utk" | "an" | "a" | "model" | "el"
        | "elektronik" | "surat" | "srt" => "",
        _ => return None,
    })
}

/// Reads what a type's text says ([`Bentuk`]).
pub fn bentuk(text: &str) -> Bentuk {
    // Words in lower case; a run of single letters is one word ("S.K.T.M." = "sktm").
    let mut words: Vec<String> = Vec::new();
    let mut letters = String::new();
    let lower = text.to_lowercase();
    for w in lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if w.chars().count() == 1 {
            letters.push_str(w);
            continue;
        }
        if !letters.is_empty() {
            words.push(std::mem::take(&mut letters));
        }
        words.push(w.to_string());
    }
    if !letters.is_empty() {
        words.push(letters);
    }
    // "kartu keluarga" is "kk"; a type written as one abbreviation keeps it ("sktm").
    let mut joined: Vec<String> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if words[i] == "kartu" && words.get(i + 1).map(String::as_str) == Some("keluarga") {
            joined.push("kk".into());
            i += 2;
        } else if words[i] == "kartu" && words.get(i + 1).is_some_and(|w| w.starts_with("tanda")) {
            joined.push("ktp".into());
            i += words
                .get(i + 2)
                .map_or(2, |w| if w.starts_with("penduduk") { 3 } else { 2 });
        } else {
            joined.push(words[i].clone());
            i += 1;
        }
    }
    let mut macam = None;
    let mut rest: &[String] = &joined;
    if let Some((awal, m)) = AWALAN.iter().find(|(awal, _)| {
        rest.len() > awal.len() && rest.iter().zip(awal.iter()).all(|(a, b)| a == b)
    }) {
        macam = Some(*m);
        rest = &rest[awal.len()..];
    }
    let pokok = rest
        .iter()
        .filter_map(|w| match sinonim(w) {
            Some("") => None,
            Some(s) => Some(s.to_string()),
            None => Some(w.clone()),
        })
        .collect();
    Bentuk { macam, pokok }
}

/// How alike two sets of subject words are (0 to 1): shared words, a word also
/// counting as shared when it is a near spelling (one letter off) of the other's.
fn kemiripan(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let dekat = |x: &str, y: &str| x == y || (x.len() > 3 && y.len() > 3 && satu_huruf(x, y));
    let shared = a.iter().filter(|x| b.iter().any(|y| dekat(x, y))).count();
    shared as f64 / a.len().max(b.len()) as f64
}

/// One letter added, dropped or changed.
fn satu_huruf(x: &str, y: &str) -> bool {
    let (x, y): (Vec<char>, Vec<char>) = (x.chars().collect(), y.chars().collect());
    let (short, long) = if x.len() <= y.len() {
        (&x, &y)
    } else {
        (&y, &x)
    };
    match long.len() - short.len() {
        0 => {
            short
                .iter()
                .zip(long.iter())
                .filter(|(a, b)| a != b)
                .count()
                == 1
        }
        1 => (0..long.len()).any(|i| {
            long[..i]
                .iter()
                .chain(long[i + 1..].iter())
                .eq(short.iter())
        }),
        _ => false,
    }
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(default)]
    kolom: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    jenis: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    status: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    kanal: BTreeMap<String, Vec<String>>,
}

impl Peta {
    /// The built-in map, then each file in order, checked against the catalog.
    pub fn load(katalog: &Katalog, files: &[(&Path, String)]) -> Result<Peta, TomlError> {
        let mut peta = Peta::default();
        // The catalog's own codes and names are always understood.
        for j in &katalog.jenis {
            peta.jenis.insert(key(&j.kode), j.kode.clone());
            peta.jenis.insert(key(&j.nama), j.kode.clone());
        }
        let mut status = HashMap::new();
        peta.add(Path::new(BUILTIN_NAME), BUILTIN, katalog, &mut status)?;
        for (path, text) in files {
            peta.add(path, text, katalog, &mut status)?;
        }
        let mut status: Vec<(String, Status)> = status.into_iter().collect();
        status.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        peta.status = status;
        peta.index_bentuk(katalog);
        Ok(peta)
    }

    /// Indexes every type spelling by what it says, once all spellings are known.
    fn index_bentuk(&mut self, katalog: &Katalog) {
        let mut spellings: Vec<(String, String)> = katalog
            .jenis
            .iter()
            .flat_map(|j| [(j.kode.clone(), j.nama.clone())])
            .collect();
        spellings.extend(self.jenis_asli.iter().cloned());
        let mut kata: BTreeMap<String, Vec<BTreeSet<String>>> = BTreeMap::new();
        for (kode, text) in &spellings {
            let b = bentuk(text);
            for k in [b.kunci(), b.kunci_pokok()] {
                let slot = self
                    .jenis_bentuk
                    .entry(k)
                    .or_insert_with(|| Some(kode.clone()));
                if slot.as_deref() != Some(kode.as_str()) {
                    *slot = None;
                }
            }
            kata.entry(kode.clone()).or_default().push(b.pokok);
        }
        self.kata_jenis = kata.into_iter().collect();
    }

    fn add(
        &mut self,
        file: &Path,
        text: &str,
        katalog: &Katalog,
        status: &mut HashMap<String, Status>,
    ) -> Result<(), TomlError> {
        let raw: Raw = toml_file::parse(file, text)?;
        let bad = |section: &str, name: &str, message: String| TomlError {
            file: file.to_path_buf(),
            line: toml_file::line_of(text, &format!("{section}.{name}")),
            column: None,
            key: Some(format!("{section}.{name}")),
            message,
        };
        for (name, spellings) in &raw.kolom {
            let kolom = Kolom::parse(name).ok_or_else(|| {
                bad(
                    "kolom",
                    name,
                    "kolom tidak dikenal; yang dikenal: nomor_register, tanggal, tanggal_selesai, \
                     nama, nik, kk, alamat, rt, rw, rt_rw, telepon, kanal, jenis, keperluan, \
                     status, nomor_surat, tanggal_surat, abaikan, \"isian:KUNCI\""
                        .into(),
                )
            })?;
            for s in spellings {
                self.kolom.insert(key(s), kolom.clone());
            }
        }
        for (kode, spellings) in &raw.jenis {
            if katalog.jenis(kode).is_none() {
                return Err(bad(
                    "jenis",
                    kode,
                    format!(
                        "jenis surat tidak ada di katalog; pilihan: {}",
                        katalog.kode_list()
                    ),
                ));
            }
            for s in spellings {
                self.jenis.insert(key(s), kode.clone());
                self.jenis_asli.push((kode.clone(), s.clone()));
            }
        }
        for (name, spellings) in &raw.status {
            let st = match name.as_str() {
                "selesai" => Status::Selesai,
                "ditolak" => Status::Ditolak,
                "proses" => Status::Proses,
                other => Status::Tahap(other.parse().map_err(|_| {
                    bad(
                        "status",
                        other,
                        "status tidak dikenal; pilihan: selesai, ditolak, dibatalkan, proses, atau \
                         kode tahap (diajukan ... dilaporkan_ke_lurah)"
                            .into(),
                    )
                })?),
            };
            for s in spellings {
                status.insert(key(s), st);
            }
        }
        for (name, spellings) in &raw.kanal {
            let k: Kanal = name.parse().map_err(|e: String| bad("kanal", name, e))?;
            for s in spellings {
                self.kanal.insert(key(s), k);
            }
        }
        Ok(())
    }

    pub fn kolom(&self, header: &str) -> Option<&Kolom> {
        self.kolom.get(&key(header))
    }

    /// The catalog type a register's text names: as spelled in a map, else by what it
    /// says (kind of letter and subject, in any order and abbreviation), else by its
    /// subject alone when only one type has it.
    pub fn jenis(&self, text: &str) -> Option<&str> {
        if let Some(k) = self.jenis.get(&key(text)) {
            return Some(k);
        }
        let b = bentuk(text);
        if b.pokok.is_empty() {
            return None;
        }
        [b.kunci(), b.kunci_pokok()]
            .iter()
            .find_map(|k| self.jenis_bentuk.get(k))
            .and_then(|k| k.as_deref())
    }

    /// The catalog type whose subject words are closest to an unknown text's, for the
    /// suggestion in the error report; `None` when nothing is alike.
    pub fn jenis_mirip(&self, text: &str) -> Option<&str> {
        let words = bentuk(text).pokok;
        let mut best: Option<(f64, &str)> = None;
        for (kode, sets) in &self.kata_jenis {
            for set in sets {
                let score = kemiripan(&words, set);
                if score > best.map_or(0.0, |b| b.0) {
                    best = Some((score, kode));
                }
            }
        }
        best.filter(|b| b.0 >= 0.5).map(|b| b.1)
    }

    pub fn kanal(&self, text: &str) -> Option<Kanal> {
        self.kanal.get(&key(text)).copied()
    }

    /// The status a text starts with: "Ditolak - berkas kurang" is `Ditolak`.
    pub fn status(&self, text: &str) -> Option<Status> {
        let k = key(text);
        self.status
            .iter()
            .find(|(s, _)| !s.is_empty() && k.starts_with(s.as_str()))
            .map(|(_, st)| *st)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_match_loosely() {
        let k = crate::config::catalog::builtin().unwrap();
        let p = Peta::load(&k, &[]).unwrap();
        assert_eq!(p.kolom("No. KTP"), Some(&Kolom::Nik));
        assert_eq!(p.kolom("NO KTP\n"), Some(&Kolom::Nik));
        assert_eq!(p.kolom("TGL MASUK"), Some(&Kolom::Tanggal));
        assert_eq!(p.jenis("PENGANTAR NIKAH "), Some("pengantar-nikah"));
        assert_eq!(p.jenis("S.K. Domisili"), Some("sk-domisili"));
        assert_eq!(p.jenis("Surat Keterangan Tidak Mampu"), Some("sktm"));
        assert_eq!(
            p.status("Ditolak - berkas tidak lengkap"),
            Some(Status::Ditolak)
        );
        assert_eq!(p.status("Belum selesai"), Some(Status::Proses));
        assert_eq!(
            p.status("dilaporkan_ke_lurah"),
            Some(Status::Tahap(Tahap::DilaporkanKeLurah))
        );
        assert_eq!(p.kanal("wa"), Some(Kanal::Whatsapp));
    }

    #[test]
    fn types_are_known_by_what_they_say_as_offices_write_them() {
        let k = crate::config::catalog::builtin().unwrap();
        let p = Peta::load(&k, &[]).unwrap();
        for (text, kode) in [
            ("SK Tidak Mampu", "sktm"),
            ("Suket Tidak Mampu", "sktm"),
            ("SUKET. TDK. MAMPU", "sktm"),
            ("Srt. Ket. Tidak Mampu", "sktm"),
            ("S.K.T.M.", "sktm"),
            ("Ket. Lahir", "sk-kelahiran"),
            ("Surat Keterangan Lahir", "sk-kelahiran"),
            ("SK Meninggal", "sk-kematian"),
            ("Surat Keterangan Meninggal Dunia", "sk-kematian"),
            ("Pengantar KTP/KK", "pengantar-kk"),
            ("Peng. KK / KTP", "pengantar-kk"),
            ("surat pengantar kartu keluarga", "pengantar-kk"),
            ("Surat Keterangan Domisili Usaha", "sk-domisili-usaha"),
            ("Ket Usaha", "sk-usaha"),
            ("Suket Belum Kawin", "sk-belum-menikah"),
            ("Surat Keterangan Ahli Waris", "sk-ahli-waris"),
            ("Pengantar SKCK", "pengantar-skck"),
            ("Sutar Pindah", "pengantar-pindah"),
            ("SK Penghasilan Orang Tua", "sk-penghasilan"),
            ("Ket. Janda / Duda", "sk-janda-duda"),
            ("KET. BEDA NAMA", "sk-beda-identitas"),
        ] {
            assert_eq!(p.jenis(text), Some(kode), "{text}");
        }
        // The two kinds of one subject stay apart: a keterangan is not a pengantar.
        assert_eq!(p.jenis("Surat Keterangan Kematian"), Some("sk-kematian"));
        assert_eq!(
            p.jenis("Surat Pengantar Kematian"),
            Some("pengantar-kematian")
        );
        assert_eq!(p.jenis("Ket. Jalan"), None);
        assert_eq!(p.jenis("Surat"), None);
        // An unknown type gets the closest one, when one is alike.
        assert_eq!(
            p.jenis_mirip("Ket. Domisilii Usha"),
            Some("sk-domisili-usaha")
        );
        assert_eq!(
            p.jenis_mirip("Surat Keterangan Tidak Mampu Sekolah Anak"),
            Some("sktm")
        );
        assert_eq!(p.jenis_mirip("Rekomendasi BBM"), None);
        for (text, st) in [
            ("Sudah", Status::Selesai),
            ("sls", Status::Selesai),
            ("OK", Status::Selesai),
            ("Blm", Status::Proses),
            ("Belum lengkap", Status::Ditolak),
            ("Batal", Status::Tahap(Tahap::Dibatalkan)),
            ("tidak jadi, pindah kota", Status::Tahap(Tahap::Dibatalkan)),
        ] {
            assert_eq!(p.status(text), Some(st), "{text}");
        }
    }

    #[test]
    fn a_workspace_map_adds_and_is_checked() {
        let k = crate::config::catalog::builtin().unwrap();
        let extra = "[kolom]\nnama = [\"Atas Nama\"]\n\"isian:nama_usaha\" = [\"Usaha\"]\n[jenis]\nsk-usaha = [\"Ket Dagang\"]\n";
        let p = Peta::load(&k, &[(Path::new("peta.toml"), extra.into())]).unwrap();
        assert_eq!(p.kolom("ATAS NAMA"), Some(&Kolom::Nama));
        assert_eq!(p.kolom("Usaha"), Some(&Kolom::Isian("nama_usaha".into())));
        assert_eq!(p.jenis("ket. dagang"), Some("sk-usaha"));
        let bad = "[jenis]\nsk-sakti = [\"Sakti\"]\n";
        let e = Peta::load(&k, &[(Path::new("peta.toml"), bad.into())]).unwrap_err();
        assert_eq!(e.key.as_deref(), Some("jenis.sk-sakti"));
        assert_eq!(e.line, Some(2));
        let bad = "[kolom]\numur = [\"Umur\"]\n";
        assert!(Peta::load(&k, &[(Path::new("peta.toml"), bad.into())]).is_err());
    }
}
