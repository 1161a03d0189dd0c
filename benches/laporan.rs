//! `cargo bench --bench laporan`: the monthly reports (figures, both PDFs, the workbook)
//! for a busy month of 500 requests and a stress month of 10,000, and the yearly report
//! (figures, the PDF, the workbook) for a year of 6,000 requests, each in its own process
//! so that peak memory is that run's alone.

mod common;
use common::peak_rss_mb;
use std::collections::BTreeSet;
use std::process::Command;
use std::time::Instant;

use chrono::{Duration, NaiveDate};
use kelurahan::config::workspace::Profil;
use kelurahan::domain::calendar::{self, Bulan, WIB};
use kelurahan::domain::permohonan::{Berkas, Kanal, Permohonan, Riwayat};
use kelurahan::domain::workflow::{Peran, Tahap};
use kelurahan::paper::documents;
use kelurahan::paper::figures::{self, Input};
use kelurahan::paper::render::{Job, Renderer};

/// `n` requests dated in November 2026 with full histories, most finished.
fn month(n: usize, katalog: &kelurahan::domain::katalog::Katalog) -> Vec<Permohonan> {
    dated(
        n,
        katalog,
        NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        30,
    )
}

/// `n` requests dated in the `days` days from `first`, with full histories, most
/// finished, in no particular order.
fn dated(
    n: usize,
    katalog: &kelurahan::domain::katalog::Katalog,
    first: NaiveDate,
    days: u64,
) -> Vec<Permohonan> {
    let mut seed = 0x1234_5678u64;
    let mut rnd = |m: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % m
    };
    (0..n)
        .map(|i| {
            let day = first + Duration::days(rnd(days) as i64);
            let jenis = &katalog.jenis[rnd(katalog.jenis.len() as u64) as usize];
            let stop = match rnd(20) {
                0 => 1,
                1 => 2,
                _ => 6,
            };
            let mut t = calendar::at(WIB, day, 8 + rnd(6) as u32, rnd(60) as u32);
            let mut riwayat = vec![Riwayat {
                dari: None,
                ke: Tahap::Diajukan,
                peran: Peran::Pemohon,
                oleh: "Pemohon".into(),
                waktu: t,
                catatan: None,
            }];
            let roles = [
                Peran::Operator,
                Peran::Kasi,
                Peran::Koordinator,
                Peran::Koordinator,
                Peran::Seklur,
            ];
            let mut tahap = Tahap::Diajukan;
            for peran in roles.iter().take(stop - 1) {
                let (next, _) = tahap.next().unwrap();
                t += Duration::hours(1 + rnd(40) as i64);
                riwayat.push(Riwayat {
                    dari: Some(tahap),
                    ke: next,
                    peran: *peran,
                    oleh: "Petugas".into(),
                    waktu: t,
                    catatan: None,
                });
                tahap = next;
            }
            Permohonan {
                id: i as i64 + 1,
                nomor_register: format!("{:04}/2026", i + 1),
                jenis: jenis.kode.clone(),
                tanggal: day,
                kanal: if rnd(3) == 0 {
                    Kanal::Whatsapp
                } else {
                    Kanal::Langsung
                },
                nama: format!("Pemohon Nomor {i}"),
                nik: format!("157109{:02}0690{:04}", 1 + rnd(28), 1 + rnd(9998)),
                kk: Some(format!("15710901011{:05}", rnd(99999))),
                alamat: Some("Jl. Kapten Pattimura No. 1".into()),
                rt: Some("009".into()),
                rw: None,
                telepon: None,
                keperluan: None,
                isian: Default::default(),
                tahap,
                jenis_asal: None,
                kode_lacak: None,
                berkas: vec![Berkas {
                    kode: "pengantar-rt".into(),
                    nama: "Surat Pengantar dari RT".into(),
                    wajib: true,
                    ada: true,
                }],
                riwayat,
            }
        })
        .collect()
}

fn run(n: usize) {
    let profil = Profil::builtin();
    let katalog = kelurahan::config::catalog::builtin().unwrap();
    let renderer = Renderer::new(None).unwrap();
    let requests = month(n, &katalog);
    let bulan: Bulan = "2026-11".parse().unwrap();
    let libur: BTreeSet<NaiveDate> = profil.holidays();
    let trend: Vec<(Bulan, i64)> = (0..12).map(|i| (bulan, i as i64 * 10)).collect();
    let per = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();

    let start = Instant::now();
    let f = figures::figures(&Input {
        bulan,
        requests: &requests,
        previous: &[],
        trend: &trend,
        letters: &[],
        katalog: &katalog,
        libur: &libur,
        tz: WIB,
        per,
    });
    let t_fig = start.elapsed();
    let mut times = vec![("angka", t_fig)];
    let mut pages = Vec::new();
    for (template, rujukan) in [
        ("laporan/koordinator.typ", "LK-2026-11"),
        ("laporan/rekap.typ", "RS-2026-11"),
    ] {
        let t = Instant::now();
        let data = documents::report(&profil, &f, rujukan, per, false);
        let json = serde_json::to_vec(&data).unwrap();
        let pdf = renderer
            .render(&Job {
                template,
                data: &json,
                qr_svg: None,
                ident: rujukan,
                date: per,
            })
            .unwrap();
        times.push((template, t.elapsed()));
        pages.push(pdf.len());
    }
    let t = Instant::now();
    let xlsx = kelurahan::paper::workbook::monthly_workbook(
        &f,
        "KELURAHAN RAWASARI",
        per,
        true,
        false,
        kelurahan::config::workspace::Kertas::F4,
    )
    .unwrap();
    times.push(("xlsx", t.elapsed()));
    let total = start.elapsed();
    println!(
        "{n} permohonan: total {:.2} s ({}); PDF {} kB + {} kB, xlsx {} kB; memori puncak {:.0} MB",
        total.as_secs_f64(),
        times
            .iter()
            .map(|(k, d)| format!("{k} {:.0} ms", d.as_secs_f64() * 1000.0))
            .collect::<Vec<_>>()
            .join(", "),
        pages[0] / 1024,
        pages[1] / 1024,
        xlsx.len() / 1024,
        peak_rss_mb()
    );
}

/// The yearly report of 2026 (figures, the PDF, the workbook) for `n` requests spread
/// over the year.
fn run_year(n: usize) {
    use kelurahan::domain::periode::Periode;
    let profil = Profil::builtin();
    let katalog = kelurahan::config::catalog::builtin().unwrap();
    let renderer = Renderer::new(None).unwrap();
    let mut requests = dated(
        n,
        &katalog,
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        365,
    );
    // Month by month, as the register lists them for a period.
    requests.sort_by_key(|p| (p.tanggal, p.id));
    let periode = Periode::Tahun(2026);
    let libur: BTreeSet<NaiveDate> = profil.holidays();
    let trend: Vec<(Bulan, i64)> = periode
        .months()
        .into_iter()
        .map(|m| {
            let k = requests
                .iter()
                .filter(|p| Bulan::of(p.tanggal) == m)
                .count();
            (m, k as i64)
        })
        .collect();
    let per = NaiveDate::from_ymd_opt(2027, 1, 2).unwrap();

    let start = Instant::now();
    let f = figures::figures_periode(&figures::InputPeriode {
        periode,
        requests: &requests,
        letters: &[],
        trend: &trend,
        katalog: &katalog,
        libur: &libur,
        tz: WIB,
        per,
    });
    let t_fig = start.elapsed();
    let t = Instant::now();
    let data = documents::periode_report(&profil, &f, "LTH-2026", per);
    let json = serde_json::to_vec(&data).unwrap();
    let pdf = renderer
        .render(&Job {
            template: "laporan/periode.typ",
            data: &json,
            qr_svg: None,
            ident: "LTH-2026",
            date: per,
        })
        .unwrap();
    let t_pdf = t.elapsed();
    let t = Instant::now();
    let xlsx = kelurahan::paper::workbook::periode_workbook(
        &f,
        "KELURAHAN RAWASARI",
        per,
        kelurahan::config::workspace::Kertas::F4,
    )
    .unwrap();
    let t_xlsx = t.elapsed();
    let total = start.elapsed();
    assert_eq!(f.jumlah, n);
    println!(
        "laporan tahunan, {n} permohonan: total {:.2} s (angka {:.0} ms, PDF {:.0} ms, xlsx {:.0} ms); PDF {} kB, xlsx {} kB; memori puncak {:.0} MB",
        total.as_secs_f64(),
        t_fig.as_secs_f64() * 1000.0,
        t_pdf.as_secs_f64() * 1000.0,
        t_xlsx.as_secs_f64() * 1000.0,
        pdf.len() / 1024,
        xlsx.len() / 1024,
        peak_rss_mb()
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--bulan-dengan") {
        run(args[i + 1].parse().unwrap());
        return;
    }
    if let Some(i) = args.iter().position(|a| a == "--tahun-dengan") {
        run_year(args[i + 1].parse().unwrap());
        return;
    }
    if args.iter().any(|a| a == "--list") {
        return;
    }
    let me = std::env::current_exe().unwrap();
    for n in [500, 10_000] {
        let status = Command::new(&me)
            .args(["--bulan-dengan", &n.to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }
    let status = Command::new(&me)
        .args(["--tahun-dengan", "6000"])
        .status()
        .unwrap();
    assert!(status.success());
}
