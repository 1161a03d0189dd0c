//! A role's worklist: the requests waiting for the person logged in, with how long they
//! have waited in working days against the letter type's service standard.

use chrono::{DateTime, FixedOffset};

use crate::config::workspace::Workspace;
use crate::domain::calendar;
use crate::domain::pengguna::PeranPengguna;
use crate::domain::permohonan::Permohonan;
use crate::domain::workflow::Tahap;
use crate::store::{Filter, Register, RegisterError};

/// One request waiting for this person.
pub struct Menunggu {
    /// The request as a listing shows it (no checklist or history).
    pub p: Permohonan,
    /// Working days in its current stage.
    pub hari_di_tahap: i64,
    /// Working days since it was received, against the type's standard.
    pub hari_sejak_masuk: i64,
    pub standar_hari: u32,
    pub jenis_nama: String,
    /// Still without its letter past the type's standard: the one to do first. A
    /// request whose letter is issued is never late, however long its report waits.
    pub lewat_standar: bool,
}

/// What waits for a role today.
pub struct Pekerjaan {
    /// The stages this role moves requests on from by hand, with their labels.
    pub tahap: Vec<Tahap>,
    /// Those requests, the late ones first, then the longest waits.
    pub daftar: Vec<Menunggu>,
    /// Requests whose next step is this role's, made by the monthly report (the
    /// Koordinator's report to the Seklur, the Seklur's recap to the Lurah): counted,
    /// not listed as work.
    pub menunggu_laporan: i64,
    /// Requests at each stage, for the roles that oversee rather than move them.
    pub per_tahap: Vec<crate::store::TahapCount>,
}

impl Pekerjaan {
    pub fn of(
        ws: &Workspace,
        reg: &Register,
        peran: PeranPengguna,
        now: DateTime<FixedOffset>,
    ) -> Result<Pekerjaan, RegisterError> {
        let tz = ws.profil.tz();
        let today = now.with_timezone(&tz).date_naive();
        let libur = ws.profil.holidays();
        let mine: Vec<Tahap> = match peran.sop() {
            Some(peran) => Tahap::ALL
                .into_iter()
                .filter(|t| t.next().is_some_and(|(_, by)| by == peran))
                .collect(),
            None => Vec::new(),
        };
        let per_tahap = reg.count_by_tahap()?;
        let menunggu_laporan = per_tahap
            .iter()
            .filter(|c| c.tahap.menunggu_laporan() && mine.contains(&c.tahap))
            .map(|c| c.jumlah)
            .sum();
        let tahap: Vec<Tahap> = mine.into_iter().filter(|t| !t.menunggu_laporan()).collect();
        let mut daftar = Vec::new();
        for t in &tahap {
            for (p, moved) in reg.list_with_last_move(&Filter {
                tahap: Some(*t),
                ..Filter::default()
            })? {
                let entered = moved
                    .map(|w| w.with_timezone(&tz).date_naive())
                    .unwrap_or(p.tanggal);
                let jenis = ws.katalog.jenis(&p.jenis);
                let hari_sejak_masuk = calendar::working_days_between(p.tanggal, today, &libur);
                let standar_hari = jenis.map_or(1, |j| j.standar_layanan_hari);
                daftar.push(Menunggu {
                    hari_di_tahap: calendar::working_days_between(entered, today, &libur),
                    hari_sejak_masuk,
                    standar_hari,
                    jenis_nama: jenis.map_or(p.jenis.clone(), |j| j.nama.clone()),
                    lewat_standar: p.tahap < Tahap::Ditindaklanjuti
                        && hari_sejak_masuk > standar_hari as i64,
                    p,
                });
            }
        }
        // The late ones first, then the longest waits.
        daftar.sort_by(|a, b| {
            b.lewat_standar
                .cmp(&a.lewat_standar)
                .then(b.hari_sejak_masuk.cmp(&a.hari_sejak_masuk))
                .then(a.p.id.cmp(&b.p.id))
        });
        Ok(Pekerjaan {
            tahap,
            daftar,
            menunggu_laporan,
            per_tahap,
        })
    }
}
