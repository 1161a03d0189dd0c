//! The import map (peta impor): header spellings, letter-type aliases, status and channel
//! words, from the built-in `peta-bawaan.toml`, the workspace's `peta-impor.toml` and
//! `--peta`, each later one adding to and overriding the earlier.

use std::collections::{BTreeMap, HashMap};
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
        Ok(peta)
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
                        "status tidak dikenal; pilihan: selesai, ditolak, proses, atau kode tahap \
                         (diajukan ... dilaporkan_ke_lurah)"
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

    pub fn jenis(&self, text: &str) -> Option<&str> {
        self.jenis.get(&key(text)).map(String::as_str)
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
