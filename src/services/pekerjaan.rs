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
    pub p: Permohonan,
    /// Working days in its current stage.
    pub hari_di_tahap: i64,
    /// Working days since it was received, against the type's standard.
    pub hari_sejak_masuk: i64,
    pub standar_hari: u32,
    pub jenis_nama: String,
}

/// What waits for a role today.
pub struct Pekerjaan {
    /// The stages this role moves requests on from, with their labels.
    pub tahap: Vec<Tahap>,
    pub daftar: Vec<Menunggu>,
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
        let tahap: Vec<Tahap> = match peran.sop() {
            Some(peran) => Tahap::ALL
                .into_iter()
                .filter(|t| t.next().is_some_and(|(_, by)| by == peran))
                .collect(),
            None => Vec::new(),
        };
        let mut daftar = Vec::new();
        for t in &tahap {
            for p in reg.list(&Filter {
                tahap: Some(*t),
                ..Filter::default()
            })? {
                let entered = p
                    .riwayat
                    .last()
                    .map(|r| r.waktu.with_timezone(&tz).date_naive())
                    .unwrap_or(p.tanggal);
                let jenis = ws.katalog.jenis(&p.jenis);
                daftar.push(Menunggu {
                    hari_di_tahap: calendar::working_days_between(entered, today, &libur),
                    hari_sejak_masuk: calendar::working_days_between(p.tanggal, today, &libur),
                    standar_hari: jenis.map_or(1, |j| j.standar_layanan_hari),
                    jenis_nama: jenis.map_or(p.jenis.clone(), |j| j.nama.clone()),
                    p,
                });
            }
        }
        // The longest waits first.
        daftar.sort_by(|a, b| {
            b.hari_sejak_masuk
                .cmp(&a.hari_sejak_masuk)
                .then(a.p.id.cmp(&b.p.id))
        });
        Ok(Pekerjaan { tahap, daftar })
    }
}
