//! The applicant's status page (`/lacak/{kode}`): what a request's tracking code may
//! tell anyone who holds it: the letter type, the stage, the day of the last step and
//! when the letter is due. Never a name, a NIK or an address.

use chrono::NaiveDate;
use serde::Serialize;

use crate::config::workspace::Workspace;
use crate::domain::calendar;
use crate::domain::workflow::Tahap;
use crate::store::{Register, RegisterError};

/// What the status page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Lacak {
    pub nomor_register: String,
    pub jenis: String,
    pub tanggal: NaiveDate,
    pub tahap: Tahap,
    /// The stage in the applicant's words.
    pub keadaan: &'static str,
    pub langkah_terakhir: NaiveDate,
    /// When the letter is due by the type's service standard, while it is not issued.
    pub perkiraan_surat: Option<NaiveDate>,
}

/// A printed tracking code taken apart: `None` when it has not that form.
fn urai(kode: &str) -> Option<(i64, String)> {
    let (id, acak) = kode.trim().split_once('-')?;
    let id: i64 = id.parse().ok().filter(|i| *i > 0)?;
    (acak.len() == 16 && acak.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| (id, acak.to_ascii_uppercase()))
}

/// The status of the request with this tracking code; `None` when no request has it.
pub fn status(ws: &Workspace, reg: &Register, kode: &str) -> Result<Option<Lacak>, RegisterError> {
    let Some((id, acak)) = urai(kode) else {
        return Ok(None);
    };
    let Some(p) = reg.by_kode_lacak(id, &acak)? else {
        return Ok(None);
    };
    let tz = ws.profil.tz();
    let jenis = ws.katalog.jenis(&p.jenis);
    let langkah_terakhir = p
        .riwayat
        .last()
        .map_or(p.tanggal, |r| r.waktu.with_timezone(&tz).date_naive());
    let perkiraan_surat = (p.tahap < Tahap::Ditindaklanjuti).then(|| {
        calendar::add_working_days(
            p.tanggal,
            jenis.map_or(1, |j| j.standar_layanan_hari),
            &ws.profil.holidays(),
        )
    });
    let keadaan = match p.tahap {
        Tahap::Diajukan => "Diterima di loket; berkas sedang diperiksa",
        Tahap::Diterima | Tahap::Diteruskan => "Berkas lengkap; surat sedang diproses",
        Tahap::Ditindaklanjuti | Tahap::DilaporkanKeSeklur | Tahap::DilaporkanKeLurah => {
            "Surat sudah selesai; dapat diambil di kantor kelurahan dengan membawa KTP asli"
        }
        Tahap::Ditolak => "Permohonan tidak dapat diproses; hubungi kantor kelurahan",
        Tahap::Dibatalkan => "Permohonan dibatalkan atas permintaan pemohon",
    };
    Ok(Some(Lacak {
        nomor_register: p.nomor_register.clone(),
        jenis: jenis.map_or(p.jenis.clone(), |j| j.nama.clone()),
        tanggal: p.tanggal,
        tahap: p.tahap,
        keadaan,
        langkah_terakhir,
        perkiraan_surat,
    }))
}
