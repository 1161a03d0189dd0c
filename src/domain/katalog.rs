//! The catalog's shape: letter types (`jenis surat`) with their papers (`persyaratan`),
//! extra fields (`isian`) and service standard. Where it is read from is `config::catalog`.

use serde::{Deserialize, Serialize};

use crate::domain::daftar::Daftar;

/// A paper an applicant brings (`persyaratan`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Persyaratan {
    pub kode: String,
    pub nama: String,
}

/// The kind of value an extra field holds: free text, a date, a NIK, a whole number, or
/// one of the state's fixed lists (`domain::daftar`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TipeIsian {
    #[default]
    Teks,
    Tanggal,
    Nik,
    Angka,
    Agama,
    StatusPerkawinan,
    Kewarganegaraan,
    Shdk,
    JenisKelamin,
    /// People besides the applicant: `Nama; NIK; Hubungan`, one per line (`domain::orang`).
    DaftarOrang,
}

impl TipeIsian {
    /// The fixed list this field takes its value from, if any.
    pub fn daftar(self) -> Option<Daftar> {
        match self {
            TipeIsian::Agama => Some(Daftar::Agama),
            TipeIsian::StatusPerkawinan => Some(Daftar::StatusPerkawinan),
            TipeIsian::Kewarganegaraan => Some(Daftar::Kewarganegaraan),
            TipeIsian::Shdk => Some(Daftar::Shdk),
            TipeIsian::JenisKelamin => Some(Daftar::JenisKelamin),
            TipeIsian::Teks
            | TipeIsian::Tanggal
            | TipeIsian::Nik
            | TipeIsian::Angka
            | TipeIsian::DaftarOrang => None,
        }
    }
}

/// The request's own fields (outside `isian`) a type may declare it cannot print without.
pub const IDENTITAS_LUAR_ISIAN: [(&str, &str, &str); 5] = [
    ("alamat", "Alamat", "--alamat"),
    ("rt", "RT", "--rt"),
    ("rw", "RW", "--rw"),
    ("kk", "Nomor KK", "--kk"),
    ("telepon", "Nomor telepon", "--telepon"),
];

/// An extra field of a letter type (`isian`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Isian {
    pub kunci: String,
    pub label: String,
    pub tipe: TipeIsian,
    pub wajib: bool,
    /// Taken when the field is left empty (citizenship: WNI).
    pub bawaan: Option<String>,
}

/// A paper on a type's checklist, and whether it is required or only where it applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BerkasSyarat {
    pub kode: String,
    pub nama: String,
    pub wajib: bool,
}

/// A letter type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JenisSurat {
    pub kode: String,
    pub nama: String,
    pub kode_klasifikasi: String,
    pub templat: String,
    /// Service standard, in working days from request to letter.
    pub standar_layanan_hari: u32,
    /// Default purpose printed when the applicant gives none.
    pub keperluan: String,
    pub berkas: Vec<BerkasSyarat>,
    /// The type's own fields followed by the common identity fields.
    pub isian: Vec<Isian>,
    /// Identity fields the letter prints and cannot be issued without: keys of common
    /// fields, or `alamat`, `rt`, `rw`, `kk`, `telepon`. (The type's own required fields
    /// are marked `wajib` in `isian`.)
    pub identitas_wajib: Vec<String>,
    /// The values a field must hold for this type to be true (a letter saying "belum
    /// pernah menikah" about someone whose status is Kawin is refused).
    pub nilai: std::collections::BTreeMap<String, Vec<String>>,
}

impl JenisSurat {
    pub fn isian(&self, kunci: &str) -> Option<&Isian> {
        self.isian.iter().find(|i| i.kunci == kunci)
    }

    /// Fields whose value contradicts the letter: `(field, message)`, given a request's
    /// values.
    pub fn nilai_salah<'a>(&self, get: impl Fn(&str) -> Option<&'a str>) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (k, allowed) in &self.nilai {
            if let Some(v) = get(k)
                && !allowed.iter().any(|a| a == v)
            {
                let label = self.isian(k).map_or(k.as_str(), |i| i.label.as_str());
                out.push((
                    format!("isian {k}"),
                    format!(
                        "{label} untuk {} harus {} (tertulis {v})",
                        self.nama,
                        allowed.join(" atau ")
                    ),
                ));
            }
        }
        out
    }

    /// Every field this type cannot be printed without, given which fields a request
    /// has: `(field, label, how to give it)`, in the catalog's order.
    pub fn kurang(&self, has: impl Fn(&str) -> bool) -> Vec<(String, String, String)> {
        let mut out = Vec::new();
        for k in &self.identitas_wajib {
            if has(k) {
                continue;
            }
            if let Some((f, label, flag)) = IDENTITAS_LUAR_ISIAN.iter().find(|x| x.0 == k) {
                out.push((f.to_string(), label.to_string(), format!("{flag} ...")));
            } else if let Some(i) = self.isian(k) {
                out.push((
                    format!("isian {k}"),
                    i.label.clone(),
                    format!("--isian {k}=..."),
                ));
            }
        }
        for i in self.isian.iter().filter(|i| i.wajib) {
            if !has(&i.kunci) {
                out.push((
                    format!("isian {}", i.kunci),
                    i.label.clone(),
                    format!("--isian {}=...", i.kunci),
                ));
            }
        }
        out
    }
}

/// The checked catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Katalog {
    pub jenis: Vec<JenisSurat>,
}

impl Katalog {
    pub fn jenis(&self, kode: &str) -> Option<&JenisSurat> {
        self.jenis.iter().find(|j| j.kode == kode)
    }

    pub fn kode_list(&self) -> String {
        self.jenis
            .iter()
            .map(|j| j.kode.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}
