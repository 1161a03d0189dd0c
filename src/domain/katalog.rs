//! The catalog's shape: letter types (`jenis surat`) with their papers (`persyaratan`),
//! extra fields (`isian`) and service standard. Where it is read from is `config::catalog`.

use serde::{Deserialize, Serialize};

/// A paper an applicant brings (`persyaratan`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Persyaratan {
    pub kode: String,
    pub nama: String,
}

/// The kind of value an extra field holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TipeIsian {
    #[default]
    Teks,
    Tanggal,
    Nik,
    Angka,
}

/// An extra field of a letter type (`isian`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Isian {
    pub kunci: String,
    pub label: String,
    pub tipe: TipeIsian,
    pub wajib: bool,
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
}

impl JenisSurat {
    pub fn isian(&self, kunci: &str) -> Option<&Isian> {
        self.isian.iter().find(|i| i.kunci == kunci)
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
