//! The monthly figures, computed from register records: requests by type and channel,
//! outcomes, time per SOP stage in working days against each type's service standard,
//! letters issued and voided, the previous month and the twelve-month trend. Pure.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::domain::calendar::{self, Bulan};
use crate::domain::identity;
use crate::domain::katalog::Katalog;
use crate::domain::permohonan::Permohonan;
use crate::domain::surat::Surat;
use crate::domain::workflow::Tahap;

/// What the figures are computed from.
pub struct Input<'a> {
    pub bulan: Bulan,
    /// Requests dated in the month, with their history.
    pub requests: &'a [Permohonan],
    /// Requests dated in the month before.
    pub previous: &'a [Permohonan],
    /// Requests per month for the twelve months ending with this one, oldest first.
    pub trend: &'a [(Bulan, i64)],
    /// Letters dated in the month.
    pub letters: &'a [Surat],
    pub katalog: &'a Katalog,
    pub libur: &'a BTreeSet<NaiveDate>,
    pub tz: Tz,
    /// The day the figures are as of: open requests have waited until this day.
    pub per: NaiveDate,
}

/// Median and 90th percentile of a set of durations in working days.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Stat {
    pub n: usize,
    pub median: Option<f64>,
    pub p90: Option<f64>,
}

impl Stat {
    pub fn of(mut v: Vec<i64>) -> Stat {
        v.sort_unstable();
        let n = v.len();
        if n == 0 {
            return Stat {
                n,
                median: None,
                p90: None,
            };
        }
        let median = if n % 2 == 1 {
            v[n / 2] as f64
        } else {
            (v[n / 2 - 1] + v[n / 2]) as f64 / 2.0
        };
        // Nearest rank: the smallest value with at least 90% of values at or below it.
        let rank = (0.9 * n as f64).ceil() as usize;
        Stat {
            n,
            median: Some(median),
            p90: Some(v[rank.max(1) - 1] as f64),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PerJenis {
    pub kode: String,
    pub nama: String,
    pub jumlah: usize,
    pub surat_terbit: usize,
    pub ditolak: usize,
    /// Withdrawn by the applicant (absent from reports recorded before it existed).
    #[serde(default)]
    pub dibatalkan: usize,
    pub diproses: usize,
    pub standar_hari: u32,
    pub waktu: Stat,
    pub lewat_standar: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PerTahap {
    pub tahap: Tahap,
    pub label: String,
    pub jumlah: usize,
}

/// Time spent in one SOP step: from entering `dari` to entering `ke`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WaktuTahap {
    pub dari: Tahap,
    pub ke: Tahap,
    pub label: String,
    pub waktu: Stat,
}

/// One request in the month's detail table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rincian {
    pub nomor_register: String,
    pub tanggal: NaiveDate,
    pub nama: String,
    pub nik_samaran: String,
    /// Full NIK and KK: for the office's own workbook only, never serialized into a
    /// document's data.
    #[serde(skip)]
    pub nik: String,
    #[serde(skip)]
    pub kk: Option<String>,
    pub jenis: String,
    pub jenis_nama: String,
    pub kanal: String,
    pub tahap: Tahap,
    pub tahap_label: String,
    /// Short form for narrow table columns: "4 Surat terbit".
    pub tahap_singkat: String,
    /// Working days from request to letter; for an open request, waited so far.
    pub hari: Option<i64>,
    pub selesai: bool,
    pub standar_hari: u32,
    pub lewat_standar: bool,
    pub nomor_surat: Option<String>,
    pub alasan_tolak: Option<String>,
    #[serde(default)]
    pub alasan_batal: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ringkas {
    pub bulan: Bulan,
    pub jumlah: usize,
    pub surat_terbit: usize,
    pub ditolak: usize,
    #[serde(default)]
    pub dibatalkan: usize,
    pub waktu_median: Option<f64>,
    /// Share of issued letters within the standard, 0..=100.
    pub tepat_waktu_persen: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    pub bulan: Bulan,
    pub bulan_nama: String,
    pub per: NaiveDate,
    pub ringkas: Ringkas,
    pub per_jenis: Vec<PerJenis>,
    pub per_kanal: Vec<(String, usize)>,
    pub per_tahap: Vec<PerTahap>,
    pub alasan_tolak: Vec<(String, usize)>,
    /// The applicants' reasons for withdrawing, most frequent first.
    #[serde(default)]
    pub alasan_batal: Vec<(String, usize)>,
    /// Request to letter (stage 1 to stage 4).
    pub waktu_layanan: Stat,
    pub waktu_tahap: Vec<WaktuTahap>,
    /// Among the steps that serve the applicant (1 to 4), the one with the longest
    /// median wait; none when every such step was done the same day (median 0).
    pub tahap_terlama: Option<WaktuTahap>,
    pub surat_terbit: usize,
    pub surat_batal: usize,
    pub lewat_standar: Vec<Rincian>,
    pub bulan_lalu: Ringkas,
    pub tren: Vec<(Bulan, i64)>,
    pub rincian: Vec<Rincian>,
    /// What recording the report moved; set by the service that records it, zero in a
    /// draft.
    #[serde(default)]
    pub dilaporkan: Dilaporkan,
}

/// Requests a month's reports moved: those whose letter is dated in the month, to stage
/// 5 by the Koordinator's report and to stage 6 by the Seklur's recap.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Dilaporkan {
    pub ke_seklur: usize,
    pub ke_lurah: usize,
}

fn entered(p: &Permohonan, t: Tahap, tz: Tz) -> Option<NaiveDate> {
    p.riwayat
        .iter()
        .find(|r| r.ke == t)
        .map(|r| r.waktu.with_timezone(&tz).date_naive())
}

fn rincian(p: &Permohonan, input: &Input) -> Rincian {
    let jenis = input.katalog.jenis(&p.jenis);
    let standar = jenis.map_or(1, |j| j.standar_layanan_hari);
    let start = entered(p, Tahap::Diajukan, input.tz).unwrap_or(p.tanggal);
    // The letter's day: entering stage 4, or for a request imported from the old
    // register (which jumps there in one entry), the first entry at stage 4 or beyond.
    let issued = p
        .riwayat
        .iter()
        .find(|r| r.ke.nomor().is_some_and(|n| n >= 4))
        .map(|r| r.waktu.with_timezone(&input.tz).date_naive());
    let hari = match (issued, p.tahap) {
        (Some(end), _) => Some(calendar::working_days_between(start, end, input.libur)),
        (None, t) if t.tanpa_surat() => None,
        (None, _) => Some(calendar::working_days_between(
            start,
            input.per,
            input.libur,
        )),
    };
    Rincian {
        nomor_register: p.nomor_register.clone(),
        tanggal: p.tanggal,
        nama: p.nama.clone(),
        nik_samaran: identity::mask(&p.nik),
        nik: p.nik.clone(),
        kk: p.kk.clone(),
        jenis: p.jenis.clone(),
        jenis_nama: jenis.map_or(p.jenis.clone(), |j| j.nama.clone()),
        kanal: p.kanal.label().to_string(),
        tahap: p.tahap,
        tahap_label: p.tahap.label().to_string(),
        tahap_singkat: match p.tahap {
            Tahap::Diajukan => "1 Diajukan",
            Tahap::Diterima => "2 Diterima",
            Tahap::Diteruskan => "3 Diteruskan",
            Tahap::Ditindaklanjuti => "4 Surat terbit",
            Tahap::DilaporkanKeSeklur => "5 Ke Seklur",
            Tahap::DilaporkanKeLurah => "6 Selesai",
            Tahap::Ditolak => "Ditolak",
            Tahap::Dibatalkan => "Dibatalkan",
        }
        .to_string(),
        hari,
        selesai: issued.is_some(),
        standar_hari: standar,
        lewat_standar: hari.is_some_and(|h| h > standar as i64),
        nomor_surat: input
            .letters
            .iter()
            .find(|s| s.permohonan_id == p.id)
            .map(|s| s.nomor.clone()),
        alasan_tolak: (p.tahap == Tahap::Ditolak)
            .then(|| p.riwayat.last().and_then(|r| r.catatan.clone()))
            .flatten(),
        alasan_batal: (p.tahap == Tahap::Dibatalkan)
            .then(|| p.riwayat.last().and_then(|r| r.catatan.clone()))
            .flatten(),
    }
}

/// The reasons of the requests that ended at `tahap`, most frequent first.
fn most_frequent<'a>(
    reasons: impl Iterator<Item = &'a Option<String>>,
    tahap: Tahap,
    rows: &[Rincian],
) -> Vec<(String, usize)> {
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for (r, alasan) in rows.iter().zip(reasons) {
        if r.tahap == tahap {
            let a = alasan.clone().unwrap_or_else(|| "(tanpa alasan)".into());
            *count.entry(a).or_default() += 1;
        }
    }
    let mut out: Vec<(String, usize)> = count.into_iter().collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}

fn ringkas(bulan: Bulan, rows: &[Rincian]) -> Ringkas {
    let done: Vec<&Rincian> = rows.iter().filter(|r| r.selesai).collect();
    Ringkas {
        bulan,
        jumlah: rows.len(),
        surat_terbit: done.len(),
        ditolak: rows.iter().filter(|r| r.tahap == Tahap::Ditolak).count(),
        dibatalkan: rows.iter().filter(|r| r.tahap == Tahap::Dibatalkan).count(),
        waktu_median: Stat::of(done.iter().filter_map(|r| r.hari).collect()).median,
        tepat_waktu_persen: (!done.is_empty()).then(|| {
            let ok = done.iter().filter(|r| !r.lewat_standar).count();
            (ok as f64 * 1000.0 / done.len() as f64).round() / 10.0
        }),
    }
}

/// The month's figures.
pub fn figures(input: &Input) -> Figures {
    let rows: Vec<Rincian> = input.requests.iter().map(|p| rincian(p, input)).collect();
    let prev_input = Input {
        bulan: input.bulan.prev(),
        requests: input.previous,
        ..*input
    };
    let prev_rows: Vec<Rincian> = input
        .previous
        .iter()
        .map(|p| rincian(p, &prev_input))
        .collect();

    let per_jenis = input
        .katalog
        .jenis
        .iter()
        .map(|j| {
            let mine: Vec<&Rincian> = rows.iter().filter(|r| r.jenis == j.kode).collect();
            PerJenis {
                kode: j.kode.clone(),
                nama: j.nama.clone(),
                jumlah: mine.len(),
                surat_terbit: mine.iter().filter(|r| r.selesai).count(),
                ditolak: mine.iter().filter(|r| r.tahap == Tahap::Ditolak).count(),
                dibatalkan: mine.iter().filter(|r| r.tahap == Tahap::Dibatalkan).count(),
                diproses: mine
                    .iter()
                    .filter(|r| !r.selesai && !r.tahap.tanpa_surat())
                    .count(),
                standar_hari: j.standar_layanan_hari,
                waktu: Stat::of(
                    mine.iter()
                        .filter(|r| r.selesai)
                        .filter_map(|r| r.hari)
                        .collect(),
                ),
                lewat_standar: mine.iter().filter(|r| r.lewat_standar).count(),
            }
        })
        .collect();

    let mut per_kanal = vec![
        ("Datang langsung".to_string(), 0),
        ("WhatsApp".to_string(), 0),
    ];
    for r in &rows {
        if let Some(k) = per_kanal.iter_mut().find(|k| k.0 == r.kanal) {
            k.1 += 1;
        }
    }
    let per_tahap = Tahap::ALL
        .into_iter()
        .map(|t| PerTahap {
            tahap: t,
            label: t.label().to_string(),
            jumlah: rows.iter().filter(|r| r.tahap == t).count(),
        })
        .collect();
    let alasan_tolak = most_frequent(rows.iter().map(|r| &r.alasan_tolak), Tahap::Ditolak, &rows);
    let alasan_batal = most_frequent(
        rows.iter().map(|r| &r.alasan_batal),
        Tahap::Dibatalkan,
        &rows,
    );

    let steps = [
        (
            Tahap::Diajukan,
            Tahap::Diterima,
            "Pemeriksaan berkas oleh Operator",
        ),
        (
            Tahap::Diterima,
            Tahap::Diteruskan,
            "Diteruskan oleh Kasi Pem & Pelum",
        ),
        (
            Tahap::Diteruskan,
            Tahap::Ditindaklanjuti,
            "Tindak lanjut Koordinator",
        ),
        (
            Tahap::Ditindaklanjuti,
            Tahap::DilaporkanKeSeklur,
            "Laporan Koordinator ke Seklur",
        ),
        (
            Tahap::DilaporkanKeSeklur,
            Tahap::DilaporkanKeLurah,
            "Laporan Seklur ke Lurah",
        ),
    ];
    let waktu_tahap: Vec<WaktuTahap> = steps
        .iter()
        .map(|(dari, ke, label)| WaktuTahap {
            dari: *dari,
            ke: *ke,
            label: label.to_string(),
            waktu: Stat::of(
                input
                    .requests
                    .iter()
                    .filter_map(|p| {
                        let a = entered(p, *dari, input.tz)?;
                        let b = entered(p, *ke, input.tz)?;
                        Some(calendar::working_days_between(a, b, input.libur))
                    })
                    .collect(),
            ),
        })
        .collect();
    // The reports' own steps (5 and 6) wait for the month's end by design: the longest
    // wait is looked for among the steps that serve the applicant.
    let tahap_terlama = waktu_tahap[..3]
        .iter()
        .filter(|w| w.waktu.median.is_some_and(|m| m > 0.0))
        .max_by(|a, b| {
            (a.waktu.median, a.waktu.p90)
                .partial_cmp(&(b.waktu.median, b.waktu.p90))
                .unwrap_or(std::cmp::Ordering::Equal)
        })
        .cloned();

    let waktu_layanan = Stat::of(
        rows.iter()
            .filter(|r| r.selesai)
            .filter_map(|r| r.hari)
            .collect(),
    );
    let lewat_standar = rows.iter().filter(|r| r.lewat_standar).cloned().collect();
    Figures {
        bulan: input.bulan,
        bulan_nama: input.bulan.nama(),
        per: input.per,
        ringkas: ringkas(input.bulan, &rows),
        per_jenis,
        per_kanal,
        per_tahap,
        alasan_tolak,
        alasan_batal,
        waktu_layanan,
        waktu_tahap,
        tahap_terlama,
        surat_terbit: input.letters.len(),
        surat_batal: input.letters.iter().filter(|s| s.batal.is_some()).count(),
        lewat_standar,
        bulan_lalu: ringkas(input.bulan.prev(), &prev_rows),
        tren: input.trend.to_vec(),
        rincian: rows,
        dilaporkan: Dilaporkan::default(),
    }
}

/// One month's row of a quarter's or a year's report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BarisBulan {
    pub bulan: Bulan,
    pub bulan_nama: String,
    pub jumlah: usize,
    pub surat_terbit: usize,
    pub ditolak: usize,
    pub dibatalkan: usize,
    pub waktu_median: Option<f64>,
    pub tepat_waktu_persen: Option<f64>,
}

/// The figures of a quarter's or a year's report: the monthly sections' figures over
/// the whole period (medians from the period's own requests, never averaged from the
/// months), one row per month, and the year's trend. Kept as first made, like a month's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FiguresPeriode {
    /// `2026-Q4` or `2026`.
    pub periode: String,
    /// "Triwulan IV 2026", "Tahun 2026".
    pub nama: String,
    /// "Oktober–Desember 2026".
    pub rentang: String,
    /// `triwulan` or `tahunan`.
    pub jenis: String,
    pub per: NaiveDate,
    pub jumlah: usize,
    pub surat_terbit: usize,
    pub ditolak: usize,
    pub dibatalkan: usize,
    /// Neither a letter nor an end yet, as of `per`.
    pub diproses: usize,
    /// Request to letter, over the period's requests.
    pub waktu_layanan: Stat,
    pub tepat_waktu_persen: Option<f64>,
    pub lewat_standar: usize,
    pub per_jenis: Vec<PerJenis>,
    pub per_kanal: Vec<(String, usize)>,
    pub alasan_tolak: Vec<(String, usize)>,
    pub alasan_batal: Vec<(String, usize)>,
    pub waktu_tahap: Vec<WaktuTahap>,
    pub tahap_terlama: Option<WaktuTahap>,
    /// Letters dated in the period (also for requests made before it), and of them voided.
    pub surat_bertanggal: usize,
    pub surat_batal: usize,
    pub per_bulan: Vec<BarisBulan>,
    /// The month with the most requests (the first of equals), when any.
    pub bulan_tersibuk: Option<BarisBulan>,
    /// Requests per month, the twelve months ending with the period's last.
    pub tren: Vec<(Bulan, i64)>,
}

/// What a quarter's or a year's figures are computed from.
pub struct InputPeriode<'a> {
    pub periode: crate::domain::periode::Periode,
    /// The requests dated in the period, with their history, month by month (each
    /// month's together, oldest month first).
    pub requests: &'a [Permohonan],
    /// The letters dated in the period, month by month likewise.
    pub letters: &'a [Surat],
    /// Requests per month for the twelve months ending with the period's last.
    pub trend: &'a [(Bulan, i64)],
    pub katalog: &'a Katalog,
    pub libur: &'a BTreeSet<NaiveDate>,
    pub tz: Tz,
    pub per: NaiveDate,
}

/// The part of `items` dated in `m`: they come month by month.
fn of_month<T>(items: &[T], m: Bulan, date: impl Fn(&T) -> NaiveDate) -> &[T] {
    let start = items
        .iter()
        .position(|x| Bulan::of(date(x)) == m)
        .unwrap_or(items.len());
    let len = items[start..]
        .iter()
        .take_while(|x| Bulan::of(date(x)) == m)
        .count();
    &items[start..start + len]
}

/// A quarter's or a year's figures: each month's by [`figures`], and the whole period's
/// requests at once by the same function, so that its medians and percentiles are the
/// period's own, never averaged from the months'.
pub fn figures_periode(input: &InputPeriode) -> FiguresPeriode {
    let month_input = |bulan, requests, previous, letters| Input {
        bulan,
        requests,
        previous,
        trend: &[],
        letters,
        katalog: input.katalog,
        libur: input.libur,
        tz: input.tz,
        per: input.per,
    };
    let mut months = Vec::new();
    let mut previous: &[Permohonan] = &[];
    let (mut seen_requests, mut seen_letters) = (0, 0);
    for m in input.periode.months() {
        let requests = of_month(input.requests, m, |p| p.tanggal);
        let letters = of_month(input.letters, m, |s| s.tanggal);
        seen_requests += requests.len();
        seen_letters += letters.len();
        months.push(figures(&month_input(m, requests, previous, letters)));
        previous = requests;
    }
    assert!(
        seen_requests == input.requests.len() && seen_letters == input.letters.len(),
        "the period's requests and letters come month by month, all dated in the period"
    );
    let all = figures(&month_input(
        input.periode.last(),
        input.requests,
        &[],
        input.letters,
    ));
    periode(input.periode, &months, &all, input.trend)
}

/// A quarter's or a year's figures from each of its months' figures (`months`, oldest
/// first) and the figures of all of the period's requests at once (`all`: medians and
/// percentiles come from there).
fn periode(
    periode: crate::domain::periode::Periode,
    months: &[Figures],
    all: &Figures,
    trend: &[(Bulan, i64)],
) -> FiguresPeriode {
    let per_bulan: Vec<BarisBulan> = months
        .iter()
        .map(|f| BarisBulan {
            bulan: f.bulan,
            bulan_nama: f.bulan_nama.clone(),
            jumlah: f.ringkas.jumlah,
            surat_terbit: f.ringkas.surat_terbit,
            ditolak: f.ringkas.ditolak,
            dibatalkan: f.ringkas.dibatalkan,
            waktu_median: f.ringkas.waktu_median,
            tepat_waktu_persen: f.ringkas.tepat_waktu_persen,
        })
        .collect();
    debug_assert_eq!(
        per_bulan.iter().map(|b| b.jumlah).sum::<usize>(),
        all.ringkas.jumlah,
        "the months add up to the period"
    );
    let bulan_tersibuk = per_bulan
        .iter()
        .filter(|b| b.jumlah > 0)
        .fold(None::<&BarisBulan>, |best, b| match best {
            Some(x) if x.jumlah >= b.jumlah => Some(x),
            _ => Some(b),
        })
        .cloned();
    FiguresPeriode {
        periode: periode.to_string(),
        nama: periode.nama(),
        rentang: periode.rentang(),
        jenis: periode.jenis().kode().to_string(),
        per: all.per,
        jumlah: all.ringkas.jumlah,
        surat_terbit: all.ringkas.surat_terbit,
        ditolak: all.ringkas.ditolak,
        dibatalkan: all.ringkas.dibatalkan,
        diproses: all.per_jenis.iter().map(|j| j.diproses).sum(),
        waktu_layanan: all.waktu_layanan,
        tepat_waktu_persen: all.ringkas.tepat_waktu_persen,
        lewat_standar: all.rincian.iter().filter(|r| r.lewat_standar).count(),
        per_jenis: all.per_jenis.clone(),
        per_kanal: all.per_kanal.clone(),
        alasan_tolak: all.alasan_tolak.clone(),
        alasan_batal: all.alasan_batal.clone(),
        waktu_tahap: all.waktu_tahap.clone(),
        tahap_terlama: all.tahap_terlama.clone(),
        surat_bertanggal: months.iter().map(|f| f.surat_terbit).sum(),
        surat_batal: months.iter().map(|f| f.surat_batal).sum(),
        per_bulan,
        bulan_tersibuk,
        tren: trend.to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_p90() {
        let s = Stat::of(vec![0, 1, 1, 2, 5, 0, 3, 1, 1, 9]);
        assert_eq!(s.n, 10);
        assert_eq!(s.median, Some(1.0));
        assert_eq!(s.p90, Some(5.0));
        assert_eq!(Stat::of(vec![4]).p90, Some(4.0));
        assert_eq!(Stat::of(vec![1, 2]).median, Some(1.5));
        assert_eq!(Stat::of(vec![]).median, None);
    }
}
