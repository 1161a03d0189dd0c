//! `cargo bench --bench impor`: a 100,000-row `.xlsx` register (twelve month sheets
//! with title rows, real and typed dates, NIKs as text, some as numbers, a few bad rows)
//! read whole, checked as a dry run, and imported for real into an empty workspace.
//! Each phase runs in its own process, so its peak memory is its own.

mod common;
use common::peak_rss_mb;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use chrono::{Datelike, Duration, NaiveDate};
use kelurahan::config::workspace::Workspace;
use kelurahan::domain::calendar::{self, WIB};
use kelurahan::domain::surat::Penomoran;
use kelurahan::paper::import::{self, Opsi};
use kelurahan::store::Register;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

const ROWS: usize = 100_000;

const JENIS: [&str; 8] = [
    "S.K. Domisili",
    "Peng. Nikah",
    "SKTM",
    "SKU",
    "Belum Menikah",
    "Kematian",
    "Pindah",
    "SKCK",
];

/// A year's register the way the office keeps it, one sheet per month.
fn make(path: &Path) {
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let mut seed = 0x9E37_79B9u64;
    let mut rnd = |m: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % m
    };
    let per_month = ROWS / 12;
    let mut n = 0;
    for month in 1..=12u32 {
        let ws = wb.add_worksheet();
        ws.set_name(format!("Bulan {month:02}")).unwrap();
        ws.write(0, 0, "BUKU REGISTER PELAYANAN SURAT KELURAHAN RAWASARI")
            .unwrap();
        ws.write(1, 0, format!("BULAN {month} TAHUN 2025")).unwrap();
        let header = [
            "No",
            "No. Register",
            "Tgl Masuk",
            "Nama Pemohon",
            "No. KTP",
            "Alamat",
            "RT/RW",
            "Jenis Surat",
            "Keterangan",
            "Nomor Surat",
        ];
        for (c, h) in header.iter().enumerate() {
            ws.write(3, c as u16, *h).unwrap();
        }
        let rows = if month == 12 { ROWS - n } else { per_month };
        for i in 0..rows {
            n += 1;
            let r = 4 + i as u32;
            let day =
                NaiveDate::from_ymd_opt(2025, month, 1).unwrap() + Duration::days(rnd(28) as i64);
            ws.write(r, 0, (i + 1) as f64).unwrap();
            ws.write(r, 1, format!("{n:05}/2025")).unwrap();
            if rnd(10) < 7 {
                let d = ExcelDateTime::from_ymd(2025, day.month() as u8, day.day() as u8).unwrap();
                ws.write_datetime_with_format(r, 2, &d, &date).unwrap();
            } else {
                ws.write(r, 2, calendar::tanggal(day)).unwrap();
            }
            ws.write(r, 3, format!("PEMOHON NOMOR {n}")).unwrap();
            let born_day = 1 + rnd(28);
            let nik = format!(
                "157109{:02}{:02}{:02}{:04}",
                born_day + 40 * rnd(2),
                1 + rnd(12),
                60 + rnd(40),
                1 + n % 9999
            );
            match rnd(100) {
                0 => ws.write(r, 4, nik.parse::<f64>().unwrap()).unwrap(),
                1 => ws.write(r, 4, format!("99{}", &nik[2..])).unwrap(),
                2..=6 => ws
                    .write(
                        r,
                        4,
                        format!(
                            "{} {} {} {}",
                            &nik[..4],
                            &nik[4..8],
                            &nik[8..12],
                            &nik[12..]
                        ),
                    )
                    .unwrap(),
                _ => ws.write(r, 4, &nik).unwrap(),
            };
            ws.write(r, 5, format!("Jl. Kapt. Pattimura No. {}", 1 + rnd(200)))
                .unwrap();
            ws.write(r, 6, format!("{:03}/{:03}", 1 + rnd(30), 1 + rnd(8)))
                .unwrap();
            ws.write(r, 7, JENIS[rnd(8) as usize]).unwrap();
            let done = rnd(20) != 0;
            ws.write(r, 8, if done { "Selesai" } else { "Proses" })
                .unwrap();
            if done {
                ws.write(
                    r,
                    9,
                    format!(
                        "400.12.3.2/{n:05}/RWS/{}/2025",
                        calendar::bulan_romawi(month)
                    ),
                )
                .unwrap();
            }
        }
        let end = 4 + rows as u32;
        ws.write(end, 0, "JUMLAH").unwrap();
        ws.write(end + 2, 7, "Jambi, 31 Desember 2025").unwrap();
    }
    wb.save(path).unwrap();
}

fn phase(name: &str, file: &Path, dir: &Path) {
    let start = Instant::now();
    if name == "baca" {
        let bytes = std::fs::read(file).unwrap();
        let buku = import::read::read(bytes).unwrap();
        println!(
            "  baca (calamine, {} lembar): {:.2} s, memori puncak {:.0} MB",
            buku.lembar.len(),
            start.elapsed().as_secs_f64(),
            peak_rss_mb()
        );
        return;
    }
    let ws = Workspace::open(dir).unwrap();
    let mut reg = Register::open(&ws.db_path(), ws.profil.tz()).unwrap();
    let peta = import::load_peta(&ws.dir, &ws.katalog, None).unwrap();
    let opsi = Opsi {
        peta: &peta,
        katalog: &ws.katalog,
        penomoran: Penomoran {
            pola: &ws.profil.penomoran.pola,
            per_jenis: false,
        },
        oleh: "bench",
        at: calendar::at(WIB, NaiveDate::from_ymd_opt(2026, 11, 29).unwrap(), 9, 0),
        uji: name == "uji",
    };
    let r = import::run(&mut reg, &[file.to_path_buf()], &opsi).unwrap();
    let j = &r.jumlah;
    println!(
        "  {}: {:.2} s, memori puncak {:.0} MB — {} dibaca, {} diimpor ({} ditandai), {} ditolak, {} ganda, {} dilewati",
        if name == "uji" {
            "uji (--uji)"
        } else {
            "impor"
        },
        start.elapsed().as_secs_f64(),
        peak_rss_mb(),
        j.dibaca,
        j.diimpor,
        j.ditandai,
        j.ditolak,
        j.ganda,
        j.dilewati
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--fase") {
        phase(
            &args[i + 1],
            Path::new(&args[i + 2]),
            Path::new(&args[i + 3]),
        );
        return;
    }
    if args.iter().any(|a| a == "--list") {
        return;
    }
    let tmp = std::env::temp_dir().join(format!("kelurahan-bench-impor-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let file: PathBuf = tmp.join("register-2025.xlsx");
    let t = Instant::now();
    make(&file);
    println!(
        "{ROWS} baris xlsx ({} MB) dibuat dalam {:.1} s",
        std::fs::metadata(&file).unwrap().len() / 1_000_000,
        t.elapsed().as_secs_f64()
    );
    let dir = tmp.join("kantor");
    Workspace::init(&dir).unwrap();
    let me = std::env::current_exe().unwrap();
    for name in ["baca", "uji", "impor", "uji"] {
        let status = Command::new(&me)
            .args([
                "--fase",
                name,
                file.to_str().unwrap(),
                dir.to_str().unwrap(),
            ])
            .status()
            .unwrap();
        assert!(status.success());
    }
    if std::env::var_os("KELURAHAN_BENCH_SIMPAN").is_none() {
        std::fs::remove_dir_all(&tmp).ok();
    }
}
