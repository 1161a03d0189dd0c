//! Letters as records: an issued letter (`Surat`), a voided one's facts, the facts decided
//! while issuing, a letter known only from the old register (`SuratLama`), how the office
//! numbers letters, and what became of an imported row.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;

/// The facts of a letter being issued, decided inside the transaction.
#[derive(Debug, Clone)]
pub struct SuratBaru {
    pub nomor: String,
    pub tanggal: NaiveDate,
    pub kode_verifikasi: String,
}

/// What the register keeps of a produced letter.
#[derive(Debug, Clone)]
pub struct Terbitan {
    /// The JSON data the template printed.
    pub data: String,
    pub sha256: String,
    /// Path of the PDF, relative to the workspace.
    pub berkas: String,
}

/// A letter issued before the program, known from the old register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SuratLama {
    pub permohonan_id: i64,
    pub nomor: String,
    pub tanggal: Option<NaiveDate>,
}

/// An issued letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Surat {
    pub id: i64,
    pub permohonan_id: i64,
    pub nomor: String,
    pub tanggal: NaiveDate,
    pub jenis: String,
    pub kode_verifikasi: String,
    pub penanda_tangan: String,
    #[serde(skip)]
    pub data: String,
    pub sha256: String,
    pub berkas: String,
    pub batal: Option<Batal>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Batal {
    pub waktu: DateTime<FixedOffset>,
    pub oleh: String,
    pub alasan: String,
}

/// How the office numbers its letters, so imported numbers take their place in the
/// sequence.
#[derive(Debug, Clone, Copy)]
pub struct Penomoran<'a> {
    pub pola: &'a str,
    /// One sequence per letter type (`lingkup = "jenis"`) instead of one for the office.
    pub per_jenis: bool,
}

/// What became of one imported row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "hasil", rename_all = "snake_case")]
pub enum HasilImpor {
    Diimpor {
        nomor_register: String,
        /// The file's register number, when another request already had it.
        nomor_asal_terpakai: Option<String>,
        /// The file's letter number, when another letter already had it (not kept).
        nomor_surat_terpakai: Option<String>,
    },
    /// Same NIK, date and letter type as a request already in the register (or
    /// earlier in this import): not imported again.
    Ganda { nomor_register: String },
}

/// A letter number found in the archive that the register did not hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NomorDitemukan {
    pub tahun: i32,
    pub urut: i64,
    /// The file, relative to the workspace.
    pub berkas: String,
    pub sha256: String,
}
