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
    /// One page of those requests, the late ones first, then the longest waits.
    pub daftar: Vec<Menunggu>,
    /// How many requests wait for this role in all, and how many of them are late.
    pub jumlah: usize,
    pub lewat: usize,
    /// The page shown (1-based, one that exists) and how many pages there are.
    pub halaman: usize,
    pub jumlah_halaman: usize,
    /// Requests whose next step is this role's, made by the monthly report (the
    /// Koordinator's report to the Seklur, the Seklur's recap to the Lurah): counted,
    /// not listed as work.
    pub menunggu_laporan: i64,
    /// Requests at each stage, for the roles that oversee rather than move them.
    pub per_tahap: Vec<crate::store::TahapCount>,
}

impl Pekerjaan {
    /// What waits for `peran` today, page `halaman` (1-based; past the end is the last
    /// page) of `per_halaman` requests. Every waiting request is put in order by its date
    /// and type; only the page's requests are read whole.
    pub fn of(
        ws: &Workspace,
        reg: &Register,
        peran: PeranPengguna,
        now: DateTime<FixedOffset>,
        halaman: usize,
        per_halaman: usize,
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
        let standar_of = |jenis: &str| {
            ws.katalog
                .jenis(jenis)
                .map_or(1, |j| j.standar_layanan_hari)
        };
        // (late, working days since received, id) of every waiting request.
        let mut urutan = Vec::new();
        for t in &tahap {
            for (id, tanggal, jenis) in reg.list_brief(&Filter {
                tahap: Some(*t),
                ..Filter::default()
            })? {
                let hari = calendar::working_days_between(tanggal, today, &libur);
                let lewat = lewat_standar(*t, hari, standar_of(&jenis));
                urutan.push((lewat, hari, id));
            }
        }
        // The late ones first, then the longest waits.
        urutan.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
        let jumlah = urutan.len();
        let jumlah_halaman = jumlah.div_ceil(per_halaman.max(1)).max(1);
        let halaman = halaman.clamp(1, jumlah_halaman);
        let ids: Vec<i64> = urutan
            .iter()
            .skip((halaman - 1) * per_halaman)
            .take(per_halaman)
            .map(|u| u.2)
            .collect();
        let daftar = reg
            .with_last_move(&ids)?
            .into_iter()
            .map(|(p, moved)| {
                let entered = moved
                    .map(|w| w.with_timezone(&tz).date_naive())
                    .unwrap_or(p.tanggal);
                let jenis = ws.katalog.jenis(&p.jenis);
                let hari_sejak_masuk = calendar::working_days_between(p.tanggal, today, &libur);
                let standar_hari = standar_of(&p.jenis);
                Menunggu {
                    hari_di_tahap: calendar::working_days_between(entered, today, &libur),
                    hari_sejak_masuk,
                    standar_hari,
                    jenis_nama: jenis.map_or(p.jenis.clone(), |j| j.nama.clone()),
                    lewat_standar: lewat_standar(p.tahap, hari_sejak_masuk, standar_hari),
                    p,
                }
            })
            .collect();
        Ok(Pekerjaan {
            tahap,
            daftar,
            jumlah,
            lewat: urutan.iter().filter(|u| u.0).count(),
            halaman,
            jumlah_halaman,
            menunggu_laporan,
            per_tahap,
        })
    }
}

/// Still without its letter past the type's standard. A request whose letter is issued
/// is never late, however long its report waits.
fn lewat_standar(tahap: Tahap, hari_sejak_masuk: i64, standar_hari: u32) -> bool {
    tahap < Tahap::Ditindaklanjuti && hari_sejak_masuk > standar_hari as i64
}
