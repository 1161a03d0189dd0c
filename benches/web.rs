//! `cargo bench --bench web`: the goal of issue 18 — with 100,000 requests in the
//! register, the worklist (`/` for each role), the register page (`/register`: page 1, a
//! deep page, a filter by stage, a filter by month, a search by name, a search by register
//! number `0001`) and a request's page (`/permohonan/{id}`) answer in under 50 ms at the
//! median and 200 ms at the 95th percentile with 50 clients at once.
//!
//! A workspace is filled with 100,000 requests over ten years (working days from January
//! 2017 to 30 November 2026): the old registers imported through `Register::import` (most
//! finished with their letter number, some refused or withdrawn, a few left "Proses"),
//! the last three working days entered through the program (`Register::create`, then
//! moved, refused or withdrawn by hand), and one account per role. The web page is served
//! by the library's router (`kelurahan::web::router`, on a two-thread runtime as `kelurahan
//! web` serves it) in a process of its own, its clock set to Monday 30 November 2026
//! 10:00 WIB and its request log written to a file; this process logs in as each role
//! (the login form and its CSRF cookie) and measures over raw HTTP/1.1 with keep-alive
//! connections: one client alone, then 50 clients at once for a few seconds per page.
//! Every response must be 200 and show what the page should (its rows), or the bench
//! fails. `KELURAHAN_BENCH_DETIK` sets the seconds of the 50-client run (5; each client
//! asks at least three times); `KELURAHAN_BENCH_HALAMAN=register` measures only the pages
//! whose name holds that text; `KELURAHAN_BENCH_SIMPAN=1` keeps the workspace (and the
//! server's log). The machine's other work is printed beside the figures (`lain`, the
//! processors other processes used meanwhile): on two processors a build running at the
//! same time halves what the server gets.

mod common;
use common::peak_rss_mb;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Weekday};
use kelurahan::config::workspace::Workspace;
use kelurahan::domain::calendar::{self, WIB};
use kelurahan::domain::pengguna::PeranPengguna;
use kelurahan::domain::permohonan::{Kanal, Masukan, PermohonanImpor};
use kelurahan::domain::surat::HasilImpor;
use kelurahan::domain::workflow::{Peran, Tahap};
use kelurahan::store::Register;
use kelurahan::web::{COOKIE_MASUK, COOKIE_SESI};

const ROWS: usize = 100_000;
/// Residents the requests come from (people come back for other letters).
const PENDUDUK: usize = 40_000;
const KLIEN: usize = 50;
/// The last working days, entered through the program rather than imported.
const HARI_PROGRAM: usize = 3;
/// Issue 18's goal.
const SASARAN_MEDIAN_MS: f64 = 50.0;
const SASARAN_P95_MS: f64 = 200.0;

const DEPAN: [&str; 12] = [
    "Ahmad", "Siti", "Budi", "Dewi", "Rahmat", "Nur", "Agus", "Rina", "Hendra", "Yuni", "Fauzan",
    "Lestari",
];
const BELAKANG: [&str; 10] = [
    "Santoso", "Aminah", "Saputra", "Hidayat", "Marlina", "Effendi", "Hakim", "Susanti",
    "Ramadhan", "Pratama",
];
/// Letter types and how often each is asked for (of 100).
const JENIS: [(&str, u64); 10] = [
    ("sk-domisili", 22),
    ("sktm", 18),
    ("sk-usaha", 14),
    ("pengantar-nikah", 8),
    ("sk-belum-menikah", 8),
    ("pengantar-skck", 10),
    ("pengantar-pindah", 6),
    ("pengantar-kematian", 5),
    ("sk-kelahiran", 5),
    ("sk-ahli-waris", 4),
];

/// The accounts: role, name, password.
fn akun() -> Vec<(PeranPengguna, &'static str, String)> {
    [
        (PeranPengguna::Operator, "Rina Marlina"),
        (PeranPengguna::Kasi, "Budi Santoso"),
        (PeranPengguna::Koordinator, "Agus Saputra"),
        (PeranPengguna::Seklur, "Dewi Lestari"),
        (PeranPengguna::Lurah, "Hendra Hakim"),
        (PeranPengguna::Admin, "Yuni Pratama"),
    ]
    .into_iter()
    .map(|(p, n)| (p, n, format!("sandi-bench-{}", p.kode())))
    .collect()
}

fn hari_ini() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
}

/// The server's clock: Monday 30 November 2026, 10:00 WIB.
fn sekarang() -> DateTime<FixedOffset> {
    calendar::at(WIB, hari_ini(), 10, 0)
}

/// Monday to Friday from 2 January 2017 to today.
fn hari_kerja() -> Vec<NaiveDate> {
    let mut d = NaiveDate::from_ymd_opt(2017, 1, 2).unwrap();
    let mut out = Vec::new();
    while d <= hari_ini() {
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            out.push(d);
        }
        d = d.succ_opt().unwrap();
    }
    out
}

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

fn nama(r: usize) -> String {
    format!("{} {}", DEPAN[r % 12], BELAKANG[(r / 12) % 10])
}

struct Acak(u64);

impl Acak {
    fn lagi(&mut self, m: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % m
    }
}

/// Fills the workspace: the old registers imported, the last days entered by hand, the
/// accounts.
fn isi(dir: &Path) {
    let start = Instant::now();
    let ws = Workspace::open(dir).unwrap();
    let mut reg = Register::open(&ws.db_path(), ws.profil.tz()).unwrap();
    let days = hari_kerja();
    let program_dari = days[days.len() - HARI_PROGRAM];
    let bulan_ini = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
    let jenis: Vec<(&str, String, u64)> = JENIS
        .iter()
        .map(|(k, w)| {
            let j = ws.katalog.jenis(k).unwrap_or_else(|| panic!("jenis {k}"));
            (*k, j.kode_klasifikasi.clone(), *w)
        })
        .collect();
    let mut rnd = Acak(0x9E37_79B9_7F4A_7C15);
    let mut rows = Vec::new();
    let mut baru = Vec::new();
    let (mut tahun, mut urut) = (0, 0i64);
    for i in 0..ROWS {
        let d = days[i * days.len() / ROWS];
        let r = (i * 7919 + 13) % PENDUDUK;
        if d >= program_dari {
            baru.push((d, r));
            continue;
        }
        if d.year() != tahun {
            (tahun, urut) = (d.year(), 0);
        }
        urut += 1;
        let mut w = rnd.lagi(100);
        let (kode, klas) = jenis
            .iter()
            .find(|(_, _, bobot)| {
                if w < *bobot {
                    true
                } else {
                    w -= bobot;
                    false
                }
            })
            .map(|(k, c, _)| (*k, c.as_str()))
            .unwrap();
        let x = rnd.lagi(1000);
        let (tahap, status) = match x {
            0..40 => (Tahap::Ditolak, "Ditolak"),
            40..60 => (Tahap::Dibatalkan, "Dibatalkan"),
            // Rows an old register left without "Selesai": the importer keeps them open.
            60..63 => (
                [
                    Tahap::Diajukan,
                    Tahap::Diterima,
                    Tahap::Diterima,
                    Tahap::Diterima,
                    Tahap::Diteruskan,
                ][x as usize % 5],
                "Proses",
            ),
            // This month's letters wait for the month's report.
            _ if d >= bulan_ini => (Tahap::Ditindaklanjuti, "Selesai"),
            _ => (Tahap::DilaporkanKeLurah, "Selesai"),
        };
        let selesai = (!matches!(tahap, Tahap::Diajukan | Tahap::Diterima | Tahap::Diteruskan))
            .then(|| d + chrono::Duration::days(rnd.lagi(2) as i64));
        let bersurat = matches!(tahap, Tahap::Ditindaklanjuti | Tahap::DilaporkanKeLurah);
        rows.push(PermohonanImpor {
            asal: format!(
                "register-{tahun}.xlsx, lembar {}, baris {}",
                d.month(),
                urut + 4
            ),
            nomor_register: Some((urut, tahun)),
            jenis: kode.to_string(),
            jenis_asal: None,
            tanggal: d,
            kanal: if rnd.lagi(10) == 0 {
                Kanal::Whatsapp
            } else {
                Kanal::Langsung
            },
            nama: nama(r),
            nik: nik(r),
            nik_ragu: false,
            kk: Some(format!("157109{:06}{:04}", r / 4, 1 + (r / 4) % 9999)),
            alamat: Some(format!("Jl. Kapten Pattimura No. {}", 1 + r % 200)),
            rt: Some(format!("{:03}", 1 + r % 30)),
            rw: Some(format!("{:03}", 1 + r % 8)),
            telepon: None,
            keperluan: None,
            isian: Default::default(),
            tahap,
            selesai,
            status_asal: Some(status.to_string()),
            nomor_surat: bersurat.then(|| {
                format!(
                    "{klas}/{urut:05}/RWS/{}/{tahun}",
                    calendar::bulan_romawi(d.month())
                )
            }),
            tanggal_surat: if bersurat { selesai } else { None },
        });
    }
    let dibuat = Instant::now();
    let hasil = reg
        .import(
            &rows,
            "Yuni Pratama",
            calendar::at(WIB, days[days.len() - HARI_PROGRAM - 1], 16, 0),
            ws.profil.penomoran_surat(),
            true,
            &mut |_| {},
        )
        .unwrap();
    let diimpor = hasil
        .iter()
        .filter(|h| {
            matches!(
                h,
                HasilImpor::Diimpor {
                    nomor_asal_terpakai: None,
                    nomor_surat_terpakai: None,
                    ..
                }
            )
        })
        .count();
    assert_eq!(
        diimpor,
        rows.len(),
        "every row imported under its own numbers"
    );
    let impor_s = dibuat.elapsed().as_secs_f64();

    // The last days, entered through the program and moved by hand.
    let isian = [
        ("tempat_lahir", "Jambi"),
        ("agama", "Islam"),
        ("pekerjaan", "Wiraswasta"),
        ("status_perkawinan", "Kawin"),
    ]
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .to_vec();
    let mut ke_hari = 0;
    let mut hari_lalu = None;
    for (d, r) in &baru {
        if hari_lalu != Some(*d) {
            (hari_lalu, ke_hari) = (Some(*d), 0);
        }
        let m = Masukan {
            jenis: "sk-domisili".into(),
            nama: nama(*r),
            nik: nik(*r),
            berkas: vec!["pengantar-rt".into(), "kk-ktp".into()],
            tanggal: Some(d.to_string()),
            alamat: Some(format!("Jl. Kapten Pattimura No. {}", 1 + r % 200)),
            rt: Some(format!("{:03}", 1 + r % 30)),
            rw: Some(format!("{:03}", 1 + r % 8)),
            isian: isian.clone(),
            ..Default::default()
        };
        let b = kelurahan::domain::permohonan::periksa(&m, &ws.katalog, *d).unwrap();
        let menit = 7 * 60 + 30 + 3 * ke_hari;
        ke_hari += 1;
        let t0 = calendar::at(WIB, *d, menit / 60, menit % 60);
        let later = |m: i64| t0 + chrono::Duration::minutes(m);
        let p = reg.create(&b, "Rina Marlina", t0).unwrap();
        // Working days old: 0 today, 1 the working day before, ...
        let umur = days.len() - 1 - days.iter().position(|x| x == d).unwrap();
        let x = rnd.lagi(100);
        if x < 3 {
            reg.reject(
                p.id,
                Peran::Operator,
                "Rina Marlina",
                "Surat pengantar RT tidak dibawa",
                later(5),
            )
            .unwrap();
            continue;
        }
        if x < 5 {
            reg.cancel(
                p.id,
                Peran::Operator,
                "Rina Marlina",
                "Pemohon tidak jadi mengurus",
                later(5),
            )
            .unwrap();
            continue;
        }
        let langkah = match (umur, x) {
            (0, x) if x < 65 => 0,
            (0, _) => 1,
            (1, x) if x < 25 => 0,
            (1, x) if x < 60 => 1,
            (_, x) if x < 12 => 0,
            (_, x) if x < 40 => 1,
            _ => 2,
        };
        if langkah >= 1 {
            reg.advance(
                p.id,
                Tahap::Diajukan,
                Peran::Operator,
                "Rina Marlina",
                None,
                later(5),
                None,
            )
            .unwrap();
        }
        if langkah >= 2 {
            reg.advance(
                p.id,
                Tahap::Diterima,
                Peran::Kasi,
                "Budi Santoso",
                None,
                later(20),
                None,
            )
            .unwrap();
        }
    }
    for (peran, n, sandi) in akun() {
        kelurahan::services::pengguna::tambah(&mut reg, n, peran, &sandi, sekarang()).unwrap();
    }
    let per_tahap: Vec<String> = reg
        .count_by_tahap()
        .unwrap()
        .into_iter()
        .map(|c| format!("{} {}", c.tahap.kode(), c.jumlah))
        .collect();
    println!(
        "register diisi: {ROWS} permohonan ({} diimpor dalam {impor_s:.1} s, {} dicatat lewat program) dalam {:.1} s, memori puncak {:.0} MB, basis data {:.0} MB",
        rows.len(),
        baru.len(),
        start.elapsed().as_secs_f64(),
        peak_rss_mb(),
        std::fs::metadata(ws.db_path()).unwrap().len() as f64 / 1e6
    );
    println!("  per tahap: {}", per_tahap.join(", "));
}

/// The web page as `kelurahan web` serves it (its runtime), on a free port of
/// 127.0.0.1, with the bench's clock; prints the port, and its peak memory when its
/// stdin closes.
fn layani(dir: &Path) {
    let app = kelurahan::web::App::with_clock(dir.to_path_buf(), sekarang);
    let rt = kelurahan::web::runtime().unwrap();
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        println!("port {}", listener.local_addr().unwrap().port());
        std::io::stdout().flush().unwrap();
        std::thread::spawn(|| {
            let _ = std::io::copy(&mut std::io::stdin(), &mut std::io::sink());
            println!("memori {:.1}", peak_rss_mb());
            std::io::stdout().flush().unwrap();
            std::process::exit(0);
        });
        axum::serve(
            listener,
            kelurahan::web::router(app).into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
}

/// One keep-alive HTTP/1.1 connection.
struct Http {
    r: BufReader<TcpStream>,
    w: TcpStream,
}

struct Jawab {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Http {
    fn new(addr: SocketAddr) -> Http {
        let s = TcpStream::connect(addr).unwrap();
        s.set_nodelay(true).unwrap();
        Http {
            r: BufReader::new(s.try_clone().unwrap()),
            w: s,
        }
    }

    fn get(&mut self, path: &str, cookie: &str) -> std::io::Result<Jawab> {
        let req = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\n\r\n");
        self.w.write_all(req.as_bytes())?;
        self.read()
    }

    fn post(&mut self, path: &str, cookie: &str, form: &[(&str, &str)]) -> std::io::Result<Jawab> {
        let body = form
            .iter()
            .map(|(k, v)| format!("{k}={}", urlenc(v)))
            .collect::<Vec<_>>()
            .join("&");
        let req = format!(
            "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        self.w.write_all(req.as_bytes())?;
        self.read()
    }

    fn read(&mut self) -> std::io::Result<Jawab> {
        let eof = || std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "sambungan ditutup");
        let mut line = String::new();
        if self.r.read_line(&mut line)? == 0 {
            return Err(eof());
        }
        let status: u16 = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(eof)?;
        let mut headers = Vec::new();
        loop {
            line.clear();
            if self.r.read_line(&mut line)? == 0 {
                return Err(eof());
            }
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((k, v)) = l.split_once(':') {
                headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
            }
        }
        let header = |k: &str| headers.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        let mut body = Vec::new();
        if let Some(n) = header("content-length") {
            body.resize(n.parse().unwrap_or(0), 0);
            self.r.read_exact(&mut body)?;
        } else if header("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
            loop {
                line.clear();
                self.r.read_line(&mut line)?;
                let n = usize::from_str_radix(line.trim().split(';').next().unwrap_or(""), 16)
                    .map_err(|_| eof())?;
                if n == 0 {
                    // Trailers, then the empty line.
                    loop {
                        line.clear();
                        if self.r.read_line(&mut line)? == 0 || line.trim().is_empty() {
                            break;
                        }
                    }
                    break;
                }
                let at = body.len();
                body.resize(at + n, 0);
                self.r.read_exact(&mut body[at..])?;
                line.clear();
                self.r.read_line(&mut line)?;
            }
        }
        Ok(Jawab {
            status,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        })
    }
}

fn urlenc(s: &str) -> String {
    s.bytes()
        .map(|c| match c {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (c as char).to_string(),
            b' ' => "+".to_string(),
            _ => format!("%{c:02X}"),
        })
        .collect()
}

/// The value of cookie `name` set by a response.
fn set_cookie(j: &Jawab, name: &str) -> Option<String> {
    j.headers
        .iter()
        .filter(|(k, _)| k == "set-cookie")
        .find_map(|(_, v)| v.strip_prefix(&format!("{name}=")))
        .map(|rest| rest.split(';').next().unwrap().to_string())
}

/// Logs in through the login form (its CSRF cookie and field) and returns the session
/// cookie.
fn masuk(addr: SocketAddr, nama: &str, sandi: &str) -> String {
    let mut h = Http::new(addr);
    let form = h.get("/masuk", "").unwrap();
    assert_eq!(form.status, 200);
    let token = set_cookie(&form, COOKIE_MASUK).expect("CSRF cookie of the login form");
    assert!(
        form.body.contains(&token),
        "the form carries the same token"
    );
    let res = h
        .post(
            "/masuk",
            &format!("{COOKIE_MASUK}={token}"),
            &[("nama", nama), ("sandi", sandi), ("csrf", &token)],
        )
        .unwrap();
    assert_eq!(res.status, 303, "login of {nama}: {}", res.body);
    let sesi = set_cookie(&res, COOKIE_SESI).expect("session cookie");
    format!("{COOKIE_SESI}={sesi}")
}

/// Rows of the tables of requests on a page: links to a request (`/permohonan/{id}`)
/// inside a `<tbody>`.
fn baris(body: &str) -> usize {
    body.split("<tbody")
        .skip(1)
        .map(|t| {
            t.split("</tbody>")
                .next()
                .unwrap_or("")
                .split("href=\"/permohonan/")
                .skip(1)
                .filter(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
                .count()
        })
        .sum()
}

type Periksa = Box<dyn Fn(&str) -> Result<(), String> + Send + Sync>;

/// One page kind measured.
struct Halaman {
    nama: String,
    /// Index into the sessions (the roles, in `akun()` order).
    sesi: usize,
    /// The path; `None` for a request's page, a random request each time.
    jalur: Option<String>,
    periksa: Periksa,
}

impl Halaman {
    fn path(&self, rnd: &mut Acak) -> String {
        match &self.jalur {
            Some(p) => p.clone(),
            None => format!("/permohonan/{}", 1 + rnd.lagi(ROWS as u64)),
        }
    }
}

/// The pages of issue 18, and what each must show; `per_tahap` is the register's count
/// of requests at each stage (a worklist lists those at its role's stage, a page at a
/// time).
fn halaman(per_tahap: &[(Tahap, usize)]) -> Vec<Halaman> {
    let mut out = Vec::new();
    let di = |t: Tahap| per_tahap.iter().find(|(x, _)| *x == t).map_or(0, |c| c.1);
    let kerja = |nama: &str, sesi: usize, rows: usize| Halaman {
        nama: format!("beranda {nama}"),
        sesi,
        jalur: Some("/".into()),
        periksa: Box::new(move |b: &str| {
            if !b.contains("Pekerjaan hari ini</h1>") {
                return Err("bukan halaman pekerjaan".into());
            }
            // A worklist shows a page of its requests at a time.
            let rows = rows.min(kelurahan::web::PER_HALAMAN);
            let n = baris(b);
            if n != rows {
                return Err(format!("{n} permohonan menunggu, seharusnya {rows}"));
            }
            Ok(())
        }),
    };
    let ringkas = |nama: &str, sesi: usize| Halaman {
        nama: format!("beranda {nama}"),
        sesi,
        jalur: Some("/".into()),
        periksa: Box::new(|b: &str| {
            if b.contains("Pekerjaan hari ini</h1>") && b.contains("Kedudukan permohonan") {
                Ok(())
            } else {
                Err("tanpa kedudukan permohonan".into())
            }
        }),
    };
    out.push(kerja("operator", 0, di(Tahap::Diajukan)));
    out.push(kerja("kasi", 1, di(Tahap::Diterima)));
    out.push(kerja("koordinator", 2, di(Tahap::Diteruskan)));
    out.push(ringkas("seklur", 3));
    out.push(ringkas("lurah", 4));
    out.push(ringkas("admin", 5));
    let register = |nama: &str, q: &str, rows: usize, want: Vec<String>| Halaman {
        nama: format!("register {nama}"),
        sesi: 0,
        jalur: Some(format!("/register{q}")),
        periksa: Box::new(move |b: &str| {
            if !b.contains("Buku register</h1>") {
                return Err("bukan halaman register".into());
            }
            let n = baris(b);
            if n != rows {
                return Err(format!("{n} baris, seharusnya {rows}"));
            }
            for w in &want {
                let (text, count) = w.rsplit_once('#').unwrap();
                let found = b.matches(text).count();
                if found != count.parse::<usize>().unwrap() {
                    return Err(format!("`{text}` {found} kali, seharusnya {count}"));
                }
            }
            Ok(())
        }),
    };
    out.push(register(
        "halaman 1",
        "",
        50,
        vec![format!("halaman 1 dari {}#1", ROWS / 50)],
    ));
    out.push(register(
        "halaman 1500",
        "?halaman=1500",
        50,
        vec![format!("halaman 1500 dari {}#1", ROWS / 50)],
    ));
    out.push(register(
        "tahap ditolak",
        "?tahap=ditolak",
        50,
        vec![">Ditolak</td>#50".into()],
    ));
    out.push(register(
        "tahap selesai",
        "?tahap=dilaporkan_ke_lurah",
        50,
        vec![">Dilaporkan ke Lurah, selesai</td>#50".into()],
    ));
    out.push(register(
        "bulan 2026-10",
        "?bulan=2026-10",
        50,
        vec!["Oktober 2026</td>#50".into()],
    ));
    out.push(register(
        "cari \"siti aminah\"",
        "?cari=siti+aminah",
        50,
        vec![">Siti Aminah</td>#50".into()],
    ));
    out.push(register(
        "cari \"0001\"",
        "?cari=0001",
        10,
        vec![">10 permohonan.#1".into(), ">0001/20".to_string() + "#10"],
    ));
    out.push(Halaman {
        nama: "permohonan/{id} acak".into(),
        sesi: 0,
        jalur: None,
        periksa: Box::new(|b: &str| {
            if b.contains("<h1>Permohonan ") && b.contains("<th>NIK</th>") {
                Ok(())
            } else {
                Err("bukan halaman permohonan".into())
            }
        }),
    });
    out
}

struct Hasil {
    ms: Vec<f64>,
    detik: f64,
    bytes: usize,
    galat: Vec<String>,
}

impl Hasil {
    fn persen(&self, q: f64) -> f64 {
        let n = self.ms.len();
        self.ms[((q * n as f64).ceil() as usize).clamp(1, n) - 1]
    }
}

/// `klien` clients, each on its own keep-alive connection, asking for `h` until
/// `lama` has passed (and at least `paling_sedikit` times each).
fn ukur(
    addr: SocketAddr,
    cookie: &str,
    h: &Arc<Halaman>,
    klien: usize,
    lama: Duration,
    paling_sedikit: usize,
) -> Hasil {
    let barrier = Arc::new(Barrier::new(klien + 1));
    let threads: Vec<_> = (0..klien)
        .map(|k| {
            let (h, barrier, cookie) = (h.clone(), barrier.clone(), cookie.to_string());
            std::thread::spawn(move || {
                let mut http = Http::new(addr);
                let mut rnd = Acak(0x0005_DEEC_E66D + k as u64 * 7_777);
                let mut ms = Vec::new();
                let mut galat = Vec::new();
                let mut bytes = 0;
                barrier.wait();
                let start = Instant::now();
                while ms.len() < paling_sedikit || start.elapsed() < lama {
                    let path = h.path(&mut rnd);
                    let t = Instant::now();
                    let res = http.get(&path, &cookie);
                    let el = t.elapsed().as_secs_f64() * 1000.0;
                    match res {
                        Ok(j) if j.status == 200 => {
                            if let Err(e) = (h.periksa)(&j.body) {
                                galat.push(format!("{path}: {e}"));
                            }
                            bytes = j.body.len();
                        }
                        Ok(j) => galat.push(format!("{path}: status {}", j.status)),
                        Err(e) => {
                            galat.push(format!("{path}: {e}"));
                            http = Http::new(addr);
                        }
                    }
                    ms.push(el);
                    if galat.len() > 5 {
                        break;
                    }
                }
                (ms, galat, bytes)
            })
        })
        .collect();
    barrier.wait();
    let start = Instant::now();
    let mut out = Hasil {
        ms: Vec::new(),
        detik: 0.0,
        bytes: 0,
        galat: Vec::new(),
    };
    for t in threads {
        let (ms, galat, bytes) = t.join().unwrap();
        out.ms.extend(ms);
        out.galat.extend(galat);
        out.bytes = out.bytes.max(bytes);
    }
    out.detik = start.elapsed().as_secs_f64();
    out.ms.sort_by(|a, b| a.total_cmp(b));
    out
}

/// CPU seconds a process has used so far (user + system), from `/proc/{pid}/stat`.
fn cpu_detik(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // After the command's name in parentheses: state is field 3; utime 14, stime 15.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let tick = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // Clock ticks are USER_HZ, 100 a second on Linux.
    (tick(11) + tick(12)) / 100.0
}

/// CPU seconds the whole machine has used so far (`/proc/stat`: all but idle and iowait).
fn cpu_mesin() -> f64 {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let f: Vec<f64> = stat
        .lines()
        .next()
        .unwrap_or("")
        .split_whitespace()
        .skip(1)
        .filter_map(|v| v.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal: guest time is inside user.
    let busy: f64 = f
        .iter()
        .take(8)
        .enumerate()
        .filter(|(i, _)| *i != 3 && *i != 4)
        .map(|(_, v)| v)
        .sum();
    busy / 100.0
}

/// The machine's load (`/proc/loadavg`: 1, 5 and 15 minutes) and its processors: other
/// work on the machine (a build) takes the same processors as the server.
fn beban() -> String {
    let l = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!(
        "rata-rata beban {} (1, 5, 15 menit), {cpus} prosesor",
        l.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
    )
}

/// A number of another process's `/proc/{pid}/status` (`VmHWM:` in kB, `Threads:`).
fn status_of(pid: u32, key: &str) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse::<f64>().ok())
        .unwrap_or(f64::NAN)
}

/// What every page pays before its own work, twice (the session's check and the
/// handler each open the workspace and the register): measured alone, in this process.
fn biaya_buka(dir: &Path) {
    let n = 200;
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(Workspace::open(dir).unwrap());
    }
    let ws_ms = t.elapsed().as_secs_f64() * 1000.0 / n as f64;
    let ws = Workspace::open(dir).unwrap();
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(kelurahan::services::arsip::open_register(&ws).unwrap());
    }
    let reg_ms = t.elapsed().as_secs_f64() * 1000.0 / n as f64;
    // What 100 of them held at once cost (two per request in flight, 50 clients).
    let rss = || status_of(std::process::id(), "VmRSS:") / 1024.0;
    let before = rss();
    let held: Vec<_> = (0..100)
        .map(|_| {
            let ws = Workspace::open(dir).unwrap();
            let reg = kelurahan::services::arsip::open_register(&ws).unwrap();
            reg.get(1 + ROWS as i64 / 2).unwrap();
            (ws, reg)
        })
        .collect();
    let per_mb = (rss() - before) / held.len() as f64;
    drop(held);
    println!(
        "biaya tetap per pembukaan (dua kali per permintaan): ruang kerja (Workspace::open, profil + katalog) {ws_ms:.2} ms, register (open_register: sambungan SQLite, pragma, skema) {reg_ms:.2} ms; memori satu pasang terbuka {per_mb:.2} MB"
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--fase") {
        match args[i + 1].as_str() {
            "isi" => isi(Path::new(&args[i + 2])),
            _ => layani(Path::new(&args[i + 2])),
        }
        return;
    }
    if args.iter().any(|a| a == "--list") {
        return;
    }
    let lama = Duration::from_secs_f64(
        std::env::var("KELURAHAN_BENCH_DETIK")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(5.0),
    );
    let tmp = tempfile::TempDir::new().unwrap();
    let dir = tmp.path().join("ws");
    Workspace::init(&dir).unwrap();
    let me = std::env::current_exe().unwrap();
    let status = Command::new(&me)
        .args(["--fase", "isi"])
        .arg(&dir)
        .status()
        .unwrap();
    assert!(status.success());

    let log = std::fs::File::create(tmp.path().join("server.log")).unwrap();
    let mut server = Command::new(&me)
        .args(["--fase", "layani"])
        .arg(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::from(log))
        .spawn()
        .unwrap();
    let pid = server.id();
    let mut keluaran = BufReader::new(server.stdout.take().unwrap());
    let mut line = String::new();
    keluaran.read_line(&mut line).unwrap();
    let port: u16 = line
        .trim()
        .strip_prefix("port ")
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("server: `{line}`"));
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let sesi: Vec<String> = akun().iter().map(|(_, n, s)| masuk(addr, n, s)).collect();
    println!("beban mesin saat mulai: {}", beban());
    biaya_buka(&dir);
    println!(
        "server web di {addr} (router pustaka, 2 utas pekerja, jam 30 November 2026 10:00 WIB); {KLIEN} klien sekaligus tanpa jeda, {:.0} s per halaman",
        lama.as_secs_f64()
    );
    println!(
        "  {:<26} {:>8} {:>7} | {:>8} {:>7} {:>7} {:>6} {:>7} | {:>9} {:>9} {:>6} {:>7} {:>5}  sasaran (median < {SASARAN_MEDIAN_MS:.0} ms, p95 < {SASARAN_P95_MS:.0} ms)",
        "halaman",
        "1 klien",
        "ukuran",
        "median",
        "p95",
        "maks",
        "per s",
        "jumlah",
        "CPU srv",
        "CPU klien",
        "lain",
        "mem srv",
        "utas",
    );
    let mut gagal = Vec::new();
    let me_pid = std::process::id();
    let per_tahap: Vec<(Tahap, usize)> = {
        let ws = Workspace::open(&dir).unwrap();
        let reg = Register::open(&ws.db_path(), ws.profil.tz()).unwrap();
        reg.count_by_tahap()
            .unwrap()
            .into_iter()
            .map(|c| (c.tahap, c.jumlah as usize))
            .collect()
    };
    let pilih = std::env::var("KELURAHAN_BENCH_HALAMAN").unwrap_or_default();
    let semua = halaman(&per_tahap);
    let jumlah_halaman = semua.len();
    for h in semua.into_iter().filter(|h| h.nama.contains(&pilih)) {
        let h = Arc::new(h);
        let cookie = &sesi[h.sesi];
        // Warm up: the page's statements prepared, its pages in the cache.
        let w = ukur(addr, cookie, &h, 1, Duration::ZERO, 3);
        assert!(w.galat.is_empty(), "{}: {}", h.nama, w.galat.join("; "));
        let satu = ukur(addr, cookie, &h, 1, Duration::from_millis(1500), 10);
        assert!(
            satu.galat.is_empty(),
            "{}: {}",
            h.nama,
            satu.galat.join("; ")
        );
        let (cpu0, klien0, mesin0) = (cpu_detik(pid), cpu_detik(me_pid), cpu_mesin());
        let banyak = ukur(addr, cookie, &h, KLIEN, lama, 3);
        let (cpu, klien) = (cpu_detik(pid) - cpu0, cpu_detik(me_pid) - klien0);
        let lain = (cpu_mesin() - mesin0 - cpu - klien).max(0.0) / banyak.detik;
        assert!(
            banyak.galat.is_empty(),
            "{}: {}",
            h.nama,
            banyak.galat.join("; ")
        );
        let (med, p95) = (banyak.persen(0.5), banyak.persen(0.95));
        let lulus = med < SASARAN_MEDIAN_MS && p95 < SASARAN_P95_MS;
        if !lulus {
            gagal.push(h.nama.clone());
        }
        let n = banyak.ms.len() as f64;
        println!(
            "  {:<26} {:>5.1} ms {:>4.0} KB | {:>5.0} ms {:>4.0} ms {:>4.0} ms {:>6.0} {:>7} | {:>6.1} ms {:>6.2} ms {:>6.2} {:>4.0} MB {:>5}  {}",
            h.nama,
            satu.persen(0.5),
            satu.bytes as f64 / 1024.0,
            med,
            p95,
            banyak.ms.last().copied().unwrap_or(0.0),
            n / banyak.detik,
            banyak.ms.len(),
            cpu * 1000.0 / n,
            klien * 1000.0 / n,
            lain,
            status_of(pid, "VmHWM:") / 1024.0,
            status_of(pid, "Threads:"),
            if lulus { "lulus" } else { "GAGAL" }
        );
    }
    println!(
        "  (CPU srv/klien: waktu CPU server/bench per permintaan selama 50 klien; lain: prosesor yang dipakai proses lain (rata-rata); mem srv: memori puncak server sejauh ini; utas: utas server sesudahnya)"
    );
    drop(server.stdin.take());
    line.clear();
    keluaran.read_to_string(&mut line).unwrap();
    server.wait().unwrap();
    let server_mb = line
        .trim()
        .strip_prefix("memori ")
        .and_then(|m| m.parse::<f64>().ok())
        .unwrap_or(f64::NAN);
    println!(
        "memori puncak: server {server_mb:.0} MB, klien (proses ini) {:.0} MB",
        peak_rss_mb()
    );
    println!("beban mesin saat selesai: {}", beban());
    if gagal.is_empty() {
        println!("semua halaman memenuhi sasaran");
    } else {
        println!(
            "{} dari {} halaman tidak memenuhi sasaran: {}",
            gagal.len(),
            jumlah_halaman,
            gagal.join(", ")
        );
    }
    if std::env::var_os("KELURAHAN_BENCH_SIMPAN").is_some() {
        println!("berkas disimpan di {}", tmp.keep().display());
    }
}
