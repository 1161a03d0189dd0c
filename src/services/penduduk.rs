//! The residents' use cases: find, show, family, correct, export, and fill a new request
//! from a resident. Every look-up and change is written to the access log under the
//! person's name (UU No. 27 Tahun 2022): the command line and the web page both come
//! through here, so none is missed.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use crate::config::workspace::Workspace;
use crate::domain::identity;
use crate::domain::penduduk::{self, Penduduk, PerubahanPenduduk};
use crate::domain::permohonan::{Masukan, Permohonan};
use crate::store::{Akses, Filter, Register, RegisterError, RiwayatPenduduk};

/// At most this many residents are shown for one search.
pub const BATAS_CARI: usize = 50;

#[derive(Debug, thiserror::Error)]
pub enum PendudukError {
    #[error(transparent)]
    Register(#[from] RegisterError),
    #[error("penduduk dengan NIK {0} belum tercatat")]
    TidakAda(String),
    #[error("{0}")]
    Isian(String),
}

type Result<T> = std::result::Result<T, PendudukError>;

/// A NIK as typed (spaces, dots allowed), checked by the KTP's rule.
fn nik(s: &str, now: DateTime<FixedOffset>) -> Result<String> {
    identity::parse_nik(s, now.date_naive())
        .map(|i| i.nik)
        .map_err(|e| PendudukError::Isian(e.to_string()))
}

/// Residents by a whole NIK or KK, or by part of the name.
pub fn cari(
    reg: &mut Register,
    teks: &str,
    oleh: &str,
    now: DateTime<FixedOffset>,
) -> Result<Vec<Penduduk>> {
    if teks.trim().chars().count() < 2 {
        return Err(PendudukError::Isian(
            "tulis sedikitnya 2 huruf nama, atau NIK / No. KK utuh".into(),
        ));
    }
    let found = reg.cari_penduduk(teks, BATAS_CARI)?;
    let niks: Vec<&str> = found.iter().map(|p| p.nik.as_str()).collect();
    reg.catat_akses(oleh, "cari", &niks, now)?;
    Ok(found)
}

/// Everything shown on a resident's page.
#[derive(Debug, Clone, Serialize)]
pub struct Rincian {
    pub penduduk: Penduduk,
    pub jenis_kelamin: Option<&'static str>,
    pub tanggal_lahir: Option<chrono::NaiveDate>,
    pub riwayat: Vec<RiwayatPenduduk>,
    pub permohonan: Vec<Permohonan>,
    pub keluarga: Vec<Penduduk>,
}

fn rincian(reg: &Register, p: Penduduk) -> Result<Rincian> {
    let mut riwayat = reg.riwayat_penduduk(&p.nik)?;
    let mut changes: Vec<PerubahanPenduduk> = riwayat.iter().map(|r| r.perubahan.clone()).collect();
    penduduk::awal(&p, &mut changes);
    for (r, c) in riwayat.iter_mut().zip(changes) {
        r.perubahan = c;
    }
    let permohonan = reg.list(&Filter {
        cari: Some(p.nik.clone()),
        ..Default::default()
    })?;
    let keluarga = match p.get("kk") {
        Some(kk) => reg
            .keluarga(kk)?
            .into_iter()
            .filter(|m| m.nik != p.nik)
            .collect(),
        None => Vec::new(),
    };
    let lahir = p.dari_nik();
    Ok(Rincian {
        jenis_kelamin: lahir.map(|l| l.1),
        tanggal_lahir: lahir.map(|l| l.0),
        penduduk: p,
        riwayat,
        permohonan,
        keluarga,
    })
}

/// One resident with their history, requests and family.
pub fn lihat(
    reg: &mut Register,
    nik: &str,
    oleh: &str,
    now: DateTime<FixedOffset>,
) -> Result<Rincian> {
    let nik = self::nik(nik, now)?;
    let p = reg
        .penduduk(&nik)?
        .ok_or_else(|| PendudukError::TidakAda(identity::mask(&nik)))?;
    reg.catat_akses(oleh, "lihat", &[&nik], now)?;
    rincian(reg, p)
}

/// The members of a family card.
pub fn keluarga(
    reg: &mut Register,
    kk: &str,
    oleh: &str,
    now: DateTime<FixedOffset>,
) -> Result<Vec<Penduduk>> {
    let kk = identity::parse_kk(kk).map_err(|e| PendudukError::Isian(e.to_string()))?;
    let all = reg.keluarga(&kk)?;
    let niks: Vec<&str> = all.iter().map(|p| p.nik.as_str()).collect();
    reg.catat_akses(oleh, "keluarga", &niks, now)?;
    Ok(all)
}

/// A clerk's correction: `pairs` are field=value (an empty value clears the field).
pub fn ubah(
    reg: &mut Register,
    nik: &str,
    pairs: &[(String, String)],
    oleh: &str,
    now: DateTime<FixedOffset>,
) -> Result<Vec<PerubahanPenduduk>> {
    let nik = self::nik(nik, now)?;
    let values = penduduk::koreksi(pairs).map_err(PendudukError::Isian)?;
    reg.koreksi_penduduk(&nik, &values, oleh, now)?
        .ok_or_else(|| PendudukError::TidakAda(identity::mask(&nik)))
}

/// Everything the office holds about one person, for the person who asks for it (a data
/// subject's request): the resident, every change, every request with its history,
/// and who looked at them when.
#[derive(Debug, Clone, Serialize)]
pub struct Ekspor {
    pub dibuat: DateTime<FixedOffset>,
    #[serde(flatten)]
    pub rincian: Rincian,
    pub akses: Vec<Akses>,
}

pub fn ekspor(
    reg: &mut Register,
    nik: &str,
    oleh: &str,
    now: DateTime<FixedOffset>,
) -> Result<Ekspor> {
    let nik = self::nik(nik, now)?;
    let p = reg
        .penduduk(&nik)?
        .ok_or_else(|| PendudukError::TidakAda(identity::mask(&nik)))?;
    reg.catat_akses(oleh, "ekspor", &[&nik], now)?;
    let mut rincian = rincian(reg, p)?;
    // Another person's data is not theirs to receive.
    rincian.keluarga.clear();
    Ok(Ekspor {
        dibuat: now,
        rincian,
        akses: reg.akses_penduduk(Some(&nik), usize::MAX >> 1)?,
    })
}

/// Fills the fields of a new request not typed from the resident with its NIK, if the
/// register knows them; returns the labels of the fields filled (none: not known).
pub fn isi_permohonan(
    reg: &mut Register,
    ws: &Workspace,
    m: &mut Masukan,
    oleh: &str,
    now: DateTime<FixedOffset>,
) -> Result<Vec<String>> {
    let Ok(nik) = nik(&m.nik, now) else {
        return Ok(Vec::new());
    };
    let Some(p) = reg.penduduk(&nik)? else {
        return Ok(Vec::new());
    };
    reg.catat_akses(oleh, "isi", &[&nik], now)?;
    Ok(penduduk::isi(m, &p, ws.katalog.jenis(&m.jenis)))
}

/// Adds residents to a people list of a new request (`isian` key → NIKs picked, e.g. the
/// members of the applicant's KK): each as `Nama; NIK; Hubungan` (the SHDK on the KK),
/// once. Returns the NIKs not known as residents.
pub fn tambah_anggota(
    reg: &mut Register,
    isian: &mut Vec<(String, String)>,
    pilihan: &[(String, String)],
    oleh: &str,
    now: DateTime<FixedOffset>,
) -> Result<Vec<String>> {
    let mut diambil = Vec::new();
    let mut tidak_ada = Vec::new();
    for (kunci, nik) in pilihan {
        let nik = identity::normalize_number(nik);
        let Some(p) = reg.penduduk(&nik)? else {
            tidak_ada.push(nik);
            continue;
        };
        let baris = penduduk::baris_orang(&p);
        match isian.iter_mut().find(|(k, _)| k.trim() == kunci) {
            Some((_, v)) if v.contains(nik.as_str()) => {}
            Some((_, v)) if v.trim().is_empty() => *v = baris,
            Some((_, v)) => *v = format!("{}\n{baris}", v.trim_end()),
            None => isian.push((kunci.clone(), baris)),
        }
        diambil.push(nik);
    }
    let diambil: Vec<&str> = diambil.iter().map(String::as_str).collect();
    reg.catat_akses(oleh, "isi", &diambil, now)?;
    Ok(tidak_ada)
}
