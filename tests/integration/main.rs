//! Integration tests at the boundary: the `kelurahan` binary run in temporary workspaces,
//! with a real SQLite file. One test binary, one module per area.

mod arsip;
mod browser;
mod concurrency;
mod demo;
mod figures;
mod history;
mod import;
mod input;
mod katalog;
mod keluaran;
mod layers;
mod letters;
mod mail;
mod penduduk;
mod pengguna;
mod periode;
mod reports;
mod schedule;
mod smtp_server;
mod sop;
mod web;
mod workspace;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use tempfile::TempDir;

pub const BIN: &str = env!("CARGO_BIN_EXE_kelurahan");

/// Valid NIKs: a woman born 5 June 1990 and a man born 12 March 1985, Alam Barajo.
pub const NIK_P: &str = "1571094506900003";
pub const NIK_L: &str = "1571091203850021";

/// The identity every letter prints and cannot be issued without: address, RT and RW, and
/// the common fields (citizenship defaults to WNI).
pub const ALAMAT: &str = "Jl. Kapten Pattimura No. 12";

/// Writes `n` complete domicile requests straight through the store (a long register in
/// a second, where the command line would take minutes): "Pemohon Nomor {i}", each
/// received on `day(i)` at 09:00 WIB.
pub fn many_requests(ws: &Ws, n: u32, day: impl Fn(u32) -> chrono::NaiveDate) {
    many_requests_of(ws, n, "Pemohon Nomor", NIK_P, day)
}

/// [`many_requests`] by another applicant: "{nama} {i}" with this NIK.
pub fn many_requests_of(
    ws: &Ws,
    n: u32,
    nama: &str,
    nik: &str,
    day: impl Fn(u32) -> chrono::NaiveDate,
) {
    use kelurahan::domain::calendar::{self, WIB};
    let workspace = kelurahan::config::workspace::Workspace::open(&ws.dir).unwrap();
    let mut reg = kelurahan::store::Register::open(&workspace.db_path(), WIB).unwrap();
    for i in 0..n {
        let d = day(i);
        let baru = kelurahan::domain::permohonan::periksa(
            &kelurahan::domain::permohonan::Masukan {
                jenis: "sk-domisili".into(),
                nama: format!("{nama} {i}"),
                nik: nik.into(),
                berkas: vec!["pengantar-rt".into(), "kk-ktp".into()],
                tanggal: Some(d.to_string()),
                alamat: Some(ALAMAT.into()),
                rt: Some("9".into()),
                rw: Some("3".into()),
                isian: [
                    ("tempat_lahir", "Jambi"),
                    ("agama", "Islam"),
                    ("pekerjaan", "Wiraswasta"),
                    ("status_perkawinan", "Kawin"),
                ]
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .to_vec(),
                ..Default::default()
            },
            &workspace.katalog,
            d,
        )
        .unwrap();
        reg.create(&baru, "Operator", calendar::at(WIB, d, 9, 0))
            .unwrap();
    }
}
pub const IDENTITAS: [&str; 11] = [
    "--alamat",
    ALAMAT,
    "--rt",
    "9",
    "--rw",
    "3",
    "--isian",
    "tempat_lahir=Jambi",
    "agama=Islam",
    "pekerjaan=Wiraswasta",
    "status_perkawinan=Kawin",
];

/// `args` followed by the identity, for a `permohonan baru` that is not about identity.
pub fn with_identity<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let mut v = args.to_vec();
    v.extend_from_slice(&IDENTITAS);
    v
}

/// The program as a child process. When the suite runs on a set clock
/// (`KELURAHAN_JAM=2028-02-29 cargo test`), each child starts where this process's clock
/// stands, so that a time the test gives the library and the child's own clock agree.
pub fn bin() -> Command {
    let mut c = Command::new(BIN);
    if let Some(t) = CLOCK.with(|c| c.borrow().clone()) {
        c.env(kelurahan::domain::calendar::CLOCK_VAR, t);
    } else if std::env::var_os(kelurahan::domain::calendar::CLOCK_VAR).is_some() {
        c.env(
            kelurahan::domain::calendar::CLOCK_VAR,
            kelurahan::domain::calendar::now(kelurahan::domain::calendar::WIB).to_rfc3339(),
        );
    }
    c
}

thread_local! {
    static CLOCK: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Sets the clock of every child this test (its thread) starts, for a test about one
/// fixed day, whatever day the suite runs on.
pub fn set_clock(rfc3339: &str) {
    CLOCK.with(|c| *c.borrow_mut() = Some(rfc3339.to_string()));
}

/// A month's reports are made once the month is over. A test about them does its work on
/// a day of a fixed month (`REPORT_MONTH`) and then moves the clock to the 1st of the next.
pub const REPORT_MONTH: &str = "2026-11";
pub fn during_report_month() {
    set_clock("2026-11-16T10:00:00+07:00");
}
pub fn report_month_over() {
    set_clock("2026-12-01T08:00:00+07:00");
}

pub fn kelurahan(dir: &Path, args: &[&str]) -> Output {
    bin()
        .arg("--dir")
        .arg(dir)
        .args(args)
        .env_remove("KELURAHAN_DIR")
        .output()
        .expect("run kelurahan")
}

/// A fresh workspace made by `kelurahan init`.
pub struct Ws {
    _tmp: TempDir,
    pub dir: PathBuf,
}

impl Ws {
    pub fn init() -> Ws {
        let tmp = TempDir::new().unwrap();
        let dir = tmp.path().join("kantor");
        let out = kelurahan(&dir, &["init"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        Ws { _tmp: tmp, dir }
    }

    pub fn run(&self, args: &[&str]) -> Output {
        kelurahan(&self.dir, args)
    }

    /// Runs and expects success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "kelurahan {args:?} failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs and expects failure with `code`; returns stderr.
    pub fn fails(&self, code: i32, args: &[&str]) -> String {
        let out = self.run(args);
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(
            out.status.code(),
            Some(code),
            "kelurahan {args:?}: stdout {} stderr {stderr}",
            String::from_utf8_lossy(&out.stdout)
        );
        assert!(out.stdout.is_empty(), "a refusal prints no result");
        stderr
    }

    pub fn json(&self, args: &[&str]) -> Value {
        let mut a = args.to_vec();
        a.extend(["--format", "json"]);
        serde_json::from_str(&self.ok(&a)).expect("valid JSON")
    }

    /// Everything in the register, for "nothing changed" checks.
    pub fn snapshot(&self) -> Value {
        self.json(&["permohonan", "daftar"])
    }

    /// A complete sk-domisili request by `nama`.
    pub fn baru(&self, nama: &str) -> Value {
        self.json(&with_identity(&[
            "permohonan",
            "baru",
            "--jenis",
            "sk-domisili",
            "--nama",
            nama,
            "--nik",
            NIK_P,
            "--berkas",
            "pengantar-rt,kk-ktp",
        ]))
    }

    /// A domicile request with no identity beyond name and NIK, as one registered while
    /// its type asked less (a workspace catalog that required nothing, removed again).
    pub fn baru_tanpa_identitas(&self, nama: &str, nik: &str) -> Value {
        let dir = self.dir.join("typst-templates");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("katalog.toml"),
            "[[jenis]]\nkode = \"sk-domisili\"\nnama = \"Surat Keterangan Domisili\"\n\
             kode_klasifikasi = \"400.12.2.1\"\ntemplat = \"surat/sk-domisili.typ\"\n\
             persyaratan = [\"pengantar-rt\", \"kk-ktp\"]\nidentitas_wajib = []\n",
        )
        .unwrap();
        let p = self.json(&[
            "permohonan",
            "baru",
            "--jenis",
            "sk-domisili",
            "--nama",
            nama,
            "--nik",
            nik,
            "--berkas",
            "pengantar-rt,kk-ktp",
        ]);
        std::fs::remove_file(dir.join("katalog.toml")).unwrap();
        p
    }

    /// Moves a request through the Operator's and the Kasi's steps: it waits for the
    /// Koordinator (stage 3, `diteruskan`).
    pub fn to_koordinator(&self, id: &str) {
        for peran in ["operator", "kasi"] {
            self.ok(&[
                "permohonan",
                "lanjut",
                id,
                "--peran",
                peran,
                "--oleh",
                "Petugas",
            ]);
        }
    }

    pub fn db(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.dir.join("kelurahan.db")).unwrap()
    }
}
