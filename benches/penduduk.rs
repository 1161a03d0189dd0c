//! `cargo bench --bench penduduk`: 100,000 residents. A resident list of 100,000 rows
//! (`.xlsx`, Dukcapil's biodata columns, 25,000 families) imported into an empty
//! workspace (time and peak memory, in its own process); then, on those residents, a
//! look-up by NIK and a name search, through the store alone and through the service
//! the faces call (which also writes the access log).

mod common;
use common::peak_rss_mb;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use chrono::NaiveDate;
use kelurahan::config::workspace::Workspace;
use kelurahan::domain::calendar::{self, WIB};
use kelurahan::paper::import::penduduk::{self, Opsi};
use kelurahan::store::Register;
use rust_xlsxwriter::Workbook;

const ROWS: usize = 100_000;

const DEPAN: [&str; 12] = [
    "Ahmad", "Siti", "Budi", "Dewi", "Rahmat", "Nur", "Agus", "Rina", "Hendra", "Yuni", "Fauzan",
    "Lestari",
];
const BELAKANG: [&str; 10] = [
    "Santoso", "Aminah", "Saputra", "Hidayat", "Marlina", "Effendi", "Hakim", "Susanti",
    "Ramadhan", "Pratama",
];
const SHDK: [&str; 4] = ["Kepala Keluarga", "Istri", "Anak", "Anak"];

fn nik(i: usize) -> String {
    let day = 1 + i % 28;
    let female = (i / 28) % 2;
    let month = 1 + (i / 56) % 12;
    let yy = 50 + (i / 672) % 50;
    format!(
        "157109{:02}{month:02}{yy:02}{:04}",
        day + 40 * female,
        1 + (i / 33_600) % 9999
    )
}

fn make(path: &Path) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("BIODATA").unwrap();
    let header = [
        "NO",
        "NIK",
        "NO. KK",
        "NAMA LENGKAP",
        "TEMPAT LAHIR",
        "JENIS KELAMIN",
        "AGAMA",
        "PENDIDIKAN",
        "PEKERJAAN",
        "STATUS PERKAWINAN",
        "SHDK",
        "KEWARGANEGARAAN",
        "ALAMAT",
        "RT",
        "RW",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write(0, c as u16, *h).unwrap();
    }
    for i in 0..ROWS {
        let r = 1 + i as u32;
        let n = nik(i);
        let female = n[6..8].parse::<u32>().unwrap() > 40;
        ws.write(r, 0, (i + 1) as f64).unwrap();
        ws.write(r, 1, &n).unwrap();
        let f = i / 4;
        ws.write(r, 2, format!("157109{f:06}{:04}", 1 + f % 9999))
            .unwrap();
        ws.write(
            r,
            3,
            format!("{} {} {}", DEPAN[i % 12], BELAKANG[(i / 12) % 10], i),
        )
        .unwrap();
        ws.write(r, 4, "Jambi").unwrap();
        ws.write(r, 5, if female { "Perempuan" } else { "Laki-laki" })
            .unwrap();
        ws.write(r, 6, "Islam").unwrap();
        ws.write(r, 7, "SLTA/Sederajat").unwrap();
        ws.write(r, 8, "Wiraswasta").unwrap();
        ws.write(r, 9, "Kawin").unwrap();
        ws.write(r, 10, SHDK[i % 4]).unwrap();
        ws.write(r, 11, "WNI").unwrap();
        ws.write(r, 12, format!("Jl. Kapten Pattimura No. {}", 1 + i % 200))
            .unwrap();
        ws.write(r, 13, (1 + i % 30) as f64).unwrap();
        ws.write(r, 14, (1 + i % 8) as f64).unwrap();
    }
    wb.save(path).unwrap();
}

fn import(file: &Path, dir: &Path, uji: bool) {
    let ws = Workspace::open(dir).unwrap();
    let mut reg = Register::open(&ws.db_path(), ws.profil.tz()).unwrap();
    let start = Instant::now();
    let opsi = Opsi {
        oleh: "bench",
        at: calendar::at(WIB, NaiveDate::from_ymd_opt(2026, 11, 29).unwrap(), 9, 0),
        berlaku: NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
        uji,
    };
    let r = penduduk::run(&mut reg, &[file.to_path_buf()], &opsi).unwrap();
    println!(
        "  {} {} baris: {:.2} s, memori puncak {:.0} MB — {} diimpor, {} ditolak, {} ganda",
        if uji { "uji impor (--uji)" } else { "impor" },
        r.jumlah.dibaca,
        start.elapsed().as_secs_f64(),
        peak_rss_mb(),
        r.jumlah.diimpor,
        r.jumlah.ditolak,
        r.jumlah.ganda
    );
    assert_eq!(r.jumlah.diimpor, ROWS);
}

fn lookups(dir: &Path) {
    let ws = Workspace::open(dir).unwrap();
    let mut reg = Register::open(&ws.db_path(), ws.profil.tz()).unwrap();
    let now = calendar::at(WIB, NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(), 9, 0);
    let n = 2_000;
    let niks: Vec<String> = (0..n).map(|k| nik((k * 7919) % ROWS)).collect();
    let t = Instant::now();
    for x in &niks {
        assert!(reg.penduduk(x).unwrap().is_some());
    }
    let store_nik = t.elapsed().as_secs_f64() * 1000.0 / n as f64;
    let t = Instant::now();
    for x in niks.iter().take(500) {
        kelurahan::services::penduduk::lihat(&mut reg, x, "bench", now).unwrap();
    }
    let service_nik = t.elapsed().as_secs_f64() * 1000.0 / 500.0;
    let words = [
        "aminah",
        "budi san",
        "lestari 9",
        "ramadhan 1234",
        "tidakada",
    ];
    let t = Instant::now();
    for _ in 0..20 {
        for w in words {
            reg.cari_penduduk(w, kelurahan::services::penduduk::BATAS_CARI)
                .unwrap();
        }
    }
    let store_name = t.elapsed().as_secs_f64() * 1000.0 / 100.0;
    let t = Instant::now();
    for _ in 0..4 {
        for w in words {
            kelurahan::services::penduduk::cari(&mut reg, w, "bench", now).unwrap();
        }
    }
    let service_name = t.elapsed().as_secs_f64() * 1000.0 / 20.0;
    let t = Instant::now();
    for _ in 0..50 {
        reg.keluarga("1571090123452347").unwrap();
    }
    let family = t.elapsed().as_secs_f64() * 1000.0 / 50.0;
    println!(
        "  cari NIK: {store_nik:.3} ms (basis data), {service_nik:.3} ms (layanan, dengan catatan akses)"
    );
    println!(
        "  cari nama: {store_name:.1} ms (basis data), {service_name:.1} ms (layanan, dengan catatan akses)"
    );
    println!("  keluarga satu KK: {family:.3} ms");
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--fase") {
        match args[i + 1].as_str() {
            "uji" => import(Path::new(&args[i + 2]), Path::new(&args[i + 3]), true),
            "impor" => import(Path::new(&args[i + 2]), Path::new(&args[i + 3]), false),
            _ => lookups(Path::new(&args[i + 3])),
        }
        return;
    }
    if args.iter().any(|a| a == "--list") {
        return;
    }
    let tmp = tempfile::TempDir::new().unwrap();
    let file = tmp.path().join("daftar-penduduk-100rb.xlsx");
    let t = Instant::now();
    make(&file);
    println!(
        "daftar penduduk {ROWS} baris dibuat ({:.1} MB) dalam {:.1} s",
        std::fs::metadata(&file).unwrap().len() as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    let dir = tmp.path().join("ws");
    Workspace::init(&dir).unwrap();
    let me = std::env::current_exe().unwrap();
    for name in ["uji", "impor", "cari"] {
        let status = Command::new(&me)
            .args(["--fase", name])
            .arg(&file)
            .arg(&dir)
            .status()
            .unwrap();
        assert!(status.success());
    }
    if std::env::var_os("KELURAHAN_BENCH_SIMPAN").is_some() {
        println!("berkas disimpan di {}", tmp.keep().display());
    }
}
