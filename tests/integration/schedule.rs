//! Schedules: checked on load, runs recorded once per job and period, a dead run's lease
//! taken over, backups consistent and pruned.

use crate::Ws;
use crate::letters::issue;

#[test]
fn a_bad_schedule_file_is_named_with_its_field() {
    let ws = Ws::init();
    let dir = ws.dir.join("schedules");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("laporan-bulanan.toml"),
        "nama = \"laporan-bulanan\"\ntugas = \"laporan-bulanan\"\ncron = \"0 7 1 * *\"\n",
    )
    .unwrap();
    let err = ws.fails(2, &["jadwal", "daftar"]);
    assert!(
        err.contains("laporan-bulanan.toml baris 3") && err.contains("kunci `cron`"),
        "{err}"
    );
    std::fs::write(dir.join("laporan-bulanan.toml"), "nama = \"laporan-bulanan\"\ntugas = \"laporan-bulanan\"\ncron = \"0 0 7 1 * *\"\n[parameter]\nkirimm = true\n").unwrap();
    let err = ws.fails(2, &["jadwal", "daftar"]);
    assert!(
        err.contains("parameter.kirimm") && err.contains("baris 5"),
        "{err}"
    );
    std::fs::write(
        dir.join("laporan-bulanan.toml"),
        "nama = \"laporan-bulanan\"\ntugas = \"sapu-bersih\"\ncron = \"0 0 7 1 * *\"\n",
    )
    .unwrap();
    let err = ws.fails(2, &["jadwal", "daftar"]);
    assert!(
        err.contains("kunci `tugas`") && err.contains("sapu-bersih"),
        "{err}"
    );
    // A workspace file of the same name overrides the shipped one.
    std::fs::write(dir.join("laporan-bulanan.toml"), "nama = \"laporan-bulanan\"\ntugas = \"laporan-bulanan\"\ncron = \"0 30 8 2 * *\"\naktif = false\n").unwrap();
    let list = ws.json(&["jadwal", "daftar"]);
    let lap = list
        .as_array()
        .unwrap()
        .iter()
        .find(|j| j["nama"] == "laporan-bulanan")
        .unwrap()
        .clone();
    assert_eq!(lap["cron"], "0 30 8 2 * *");
    assert_eq!(lap["aktif"], false);
    assert!(
        lap["berikutnya"][0].as_str().unwrap().starts_with("2 ")
            && lap["berikutnya"][0].as_str().unwrap().contains("08.30 WIB")
    );
}

#[test]
fn a_monthly_report_job_runs_once_per_month() {
    crate::during_report_month();
    let ws = Ws::init();
    ws.baru("Siti Aminah");
    let p = issue(&ws, "1", &[]);
    let bulan = p["tanggal"].as_str().unwrap()[0..7].to_string();
    crate::report_month_over();
    let first = ws.json(&[
        "jadwal",
        "jalankan",
        "--tugas",
        "laporan-bulanan",
        "--periode",
        &bulan,
    ]);
    assert_eq!(first["dijalankan"][0]["status"], "selesai", "{first}");
    let again = ws.json(&[
        "jadwal",
        "jalankan",
        "--tugas",
        "laporan-bulanan",
        "--periode",
        &bulan,
    ]);
    assert_eq!(again["dijalankan"][0]["status"], "sudah");
    assert_eq!(
        ws.json(&["surel", "daftar"]).as_array().unwrap().len(),
        1,
        "one mail for the month"
    );
    assert_eq!(
        std::fs::read_dir(ws.dir.join("output/outbox"))
            .unwrap()
            .count(),
        1
    );
    let runs: i64 = ws
        .db()
        .query_row(
            "SELECT COUNT(*) FROM jalan WHERE tugas = 'laporan-bulanan'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(runs, 1);
    let err = ws.fails(
        2,
        &[
            "jadwal",
            "jalankan",
            "--tugas",
            "laporan-bulanan",
            "--periode",
            "November",
        ],
    );
    assert!(err.contains("TAHUN-BULAN"), "{err}");
    // The month still running: refused before a run is claimed, nothing mailed.
    let err = ws.fails(
        2,
        &[
            "jadwal",
            "jalankan",
            "--tugas",
            "laporan-bulanan",
            "--periode",
            "2026-12",
        ],
    );
    assert!(err.contains("Desember 2026 belum selesai"), "{err}");
    let runs: i64 = ws
        .db()
        .query_row("SELECT COUNT(*) FROM jalan", [], |r| r.get(0))
        .unwrap();
    assert_eq!(runs, 1, "no run claimed for it");
}

#[test]
fn backups_are_consistent_pruned_and_a_dead_run_is_taken_over() {
    let ws = Ws::init();
    ws.baru("Siti Aminah");
    let dir = ws.dir.join("output/cadangan");
    std::fs::create_dir_all(&dir).unwrap();
    for old in ["2026-10-01", "2026-10-20", "2026-11-10", "2026-11-18"] {
        std::fs::write(dir.join(format!("kelurahan-{old}.db")), b"lama").unwrap();
    }
    // A run killed mid-way: claimed, its lease long gone.
    ws.db()
        .execute("INSERT INTO jalan (tugas, periode, status, mulai, klaim_sampai) VALUES ('cadangan', '2026-11-20', 'berjalan', '2026-11-20T23:00:00+07:00', '2026-11-20T23:30:00+07:00')", [])
        .unwrap();
    let out = ws.json(&[
        "jadwal",
        "jalankan",
        "--tugas",
        "cadangan",
        "--periode",
        "2026-11-20",
    ]);
    assert_eq!(out["dijalankan"][0]["status"], "selesai", "{out}");
    let (status, tries): (String, i64) = ws
        .db()
        .query_row(
            "SELECT status, percobaan FROM jalan WHERE tugas = 'cadangan'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((status.as_str(), tries), ("selesai", 2));
    let backup = dir.join("kelurahan-2026-11-20.db");
    let copy = rusqlite::Connection::open(&backup).unwrap();
    let n: i64 = copy
        .query_row("SELECT COUNT(*) FROM permohonan", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
    // Restored one day, the copy must not carry its own run for ever `berjalan`.
    let own: String = copy
        .query_row(
            "SELECT status FROM jalan WHERE tugas = 'cadangan' AND periode = '2026-11-20'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(own, "selesai");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&backup).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "owner-only: {mode:o}");
    }
    let mut left: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(
        left,
        [
            "kelurahan-2026-10-01.db",
            "kelurahan-2026-11-10.db",
            "kelurahan-2026-11-18.db",
            "kelurahan-2026-11-20.db"
        ],
        "14 days and every 1st are kept"
    );
}

#[test]
fn the_service_catches_up_and_stops_cleanly_on_sigterm() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let ws = Ws::init();
    ws.baru("Siti Aminah");
    let mut child = crate::bin()
        .arg("--dir")
        .arg(&ws.dir)
        .arg("layani")
        .env_remove("KELURAHAN_DIR")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut seen = Vec::new();
    // The daily backup's latest time is always within its 24-hour catch-up window.
    for line in lines.by_ref() {
        let line = line.unwrap();
        seen.push(line.clone());
        if line.contains("cadangan [") {
            break;
        }
    }
    assert!(
        seen.iter().any(|l| l.contains("layanan jadwal berjalan")),
        "{seen:?}"
    );
    assert!(seen.last().unwrap().contains("selesai"), "{seen:?}");
    let started = std::time::Instant::now();
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "clean exit on SIGTERM");
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    let rest: Vec<String> = lines.map(|l| l.unwrap()).collect();
    assert!(rest.iter().any(|l| l.contains("berhenti")), "{rest:?}");
    assert_eq!(
        std::fs::read_dir(ws.dir.join("output/cadangan"))
            .unwrap()
            .count(),
        1
    );
}

#[test]
fn a_failed_run_is_recorded_mailed_and_retried_by_hand_truthfully() {
    crate::during_report_month();
    let ws = Ws::init();
    ws.baru("Siti Aminah");
    let p = issue(&ws, "1", &[]);
    let bulan = p["tanggal"].as_str().unwrap()[0..7].to_string();
    crate::report_month_over();
    let dir = ws.dir.join("typst-templates/laporan");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("rekap.typ"),
        "#let data = json(\"/data.json\")\n#data.tidak_ada\n",
    )
    .unwrap();
    let out = ws.run(&[
        "jadwal",
        "jalankan",
        "--tugas",
        "laporan-bulanan",
        "--periode",
        &bulan,
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["dijalankan"][0]["status"], "gagal");
    assert!(
        v["dijalankan"][0]["hasil"]
            .as_str()
            .unwrap()
            .contains("rekap.typ"),
        "{v}"
    );
    // The office is told, by mail.
    let mail = ws.json(&["surel", "daftar"]);
    let notice = mail
        .as_array()
        .unwrap()
        .iter()
        .find(|m| {
            m["subjek"]
                .as_str()
                .unwrap()
                .starts_with("Tugas terjadwal gagal: laporan-bulanan")
        })
        .cloned();
    assert!(notice.is_some(), "{mail}");
    assert!(
        notice.unwrap()["isi"]
            .as_str()
            .unwrap()
            .contains("rekap.typ")
    );
    // Asked for again by hand, a failed run is tried at once, and says how it went:
    // still broken, it fails again (never "already done").
    let out = ws.run(&[
        "jadwal",
        "jalankan",
        "--tugas",
        "laporan-bulanan",
        "--periode",
        &bulan,
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let again: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(again["dijalankan"][0]["status"], "gagal", "{again}");
    let (status, tries): (String, i64) = ws
        .db()
        .query_row("SELECT status, percobaan FROM jalan", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((status.as_str(), tries), ("gagal", 2));
    // Once the template is mended, the run goes through.
    std::fs::remove_file(dir.join("rekap.typ")).unwrap();
    let fixed = ws.json(&[
        "jadwal",
        "jalankan",
        "--tugas",
        "laporan-bulanan",
        "--periode",
        &bulan,
    ]);
    assert_eq!(fixed["dijalankan"][0]["status"], "selesai", "{fixed}");
}
