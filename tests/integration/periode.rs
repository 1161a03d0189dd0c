//! Quarterly and yearly reports: a hand-built quarter's numbers in the JSON, the PDF and
//! the workbook; made once (the same bytes on a rerun, no request moved); the running
//! period refused; the yearly schedule makes last year's report and mails it.

use crate::Ws;
use crate::letters::{issue, pdf_text};

fn files_of(made: &serde_json::Value) -> Vec<std::path::PathBuf> {
    made["berkas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_str().unwrap().into())
        .collect()
}

/// A request made at `at` (its number returned), by the `baru` helper (sk-domisili,
/// standard 1 working day).
fn baru_pada(ws: &Ws, at: &str, nama: &str) -> String {
    crate::set_clock(at);
    let p = ws.baru(nama);
    p["id"].as_i64().unwrap().to_string()
}

/// The quarter 2026-Q4, by hand:
/// - October: two letters the same day (0 working days), one refused by the office;
/// - November: one letter after 3 working days, one withdrawn by the applicant;
/// - December: one letter after 2 working days.
///
/// Received 6, issued 4, refused 1, withdrawn 1. Service days 0, 0, 3, 2: the quarter's
/// median is 1 (the months' medians 0, 3 and 2 would give 2, or 1.67 averaged); within
/// the 1-day standard 2 of 4 letters, 50.0%.
fn quarter(ws: &Ws) {
    for nama in ["Siti Aminah", "Ahmad Fauzi"] {
        let id = baru_pada(ws, "2026-10-05T09:00:00+07:00", nama);
        issue(ws, &id, &[]);
    }
    let id = baru_pada(ws, "2026-10-05T10:00:00+07:00", "Budi Santoso");
    ws.ok(&[
        "permohonan",
        "tolak",
        &id,
        "--peran",
        "operator",
        "--oleh",
        "Dedi Saputra",
        "--alasan",
        "Pengantar RT tidak ada",
    ]);
    let c = baru_pada(ws, "2026-11-16T09:00:00+07:00", "Citra Lestari");
    crate::set_clock("2026-11-19T09:00:00+07:00");
    issue(ws, &c, &[]);
    let d = baru_pada(ws, "2026-11-17T09:00:00+07:00", "Dewi Sartika");
    ws.ok(&[
        "permohonan",
        "batalkan",
        &d,
        "--oleh",
        "Dedi Saputra",
        "--alasan",
        "pemohon tidak jadi pindah",
    ]);
    let e = baru_pada(ws, "2026-12-07T09:00:00+07:00", "Eko Prasetyo");
    crate::set_clock("2026-12-09T09:00:00+07:00");
    issue(ws, &e, &[]);
}

#[test]
fn a_quarter_is_reported_with_its_own_medians_once_and_the_same_bytes_again() {
    use calamine::{Data, Reader, open_workbook_auto};
    let ws = Ws::init();
    quarter(&ws);

    // The quarter still running: refused as a usage error, nothing written.
    crate::set_clock("2026-12-10T10:00:00+07:00");
    let err = ws.fails(2, &["laporan", "triwulan", "--triwulan", "2026-Q4"]);
    assert!(err.contains("Triwulan IV 2026 belum selesai"), "{err}");
    let err = ws.fails(2, &["laporan", "tahunan", "--tahun", "2026"]);
    assert!(err.contains("Tahun 2026 belum selesai"), "{err}");
    let err = ws.fails(2, &["laporan", "triwulan", "--triwulan", "2027-Q1"]);
    assert!(err.contains("Triwulan I 2027 belum terjadi"), "{err}");
    let err = ws.fails(2, &["laporan", "triwulan", "--triwulan", "2026-Q5"]);
    assert!(
        err.contains("`2026-Q5`") && err.contains("2026-Q4"),
        "{err}"
    );
    let err = ws.fails(2, &["laporan", "tahunan", "--tahun", "26"]);
    assert!(err.contains("tahun `26` tidak sah"), "{err}");
    assert!(!ws.dir.join("output/laporan/2026-Q4").exists());

    // Over: by default the last finished quarter.
    crate::set_clock("2027-01-05T10:00:00+07:00");
    let before = ws.snapshot();
    let made = ws.json(&["laporan", "triwulan"]);
    assert_eq!(made["periode"], "2026-Q4");
    assert_eq!(made["nama"], "Triwulan IV 2026");
    assert_eq!(made["rujukan"], "LTW-2026-Q4");
    let f = &made["angka"];
    assert_eq!(f["jumlah"], 6, "{f}");
    assert_eq!(f["surat_terbit"], 4);
    assert_eq!(f["ditolak"], 1);
    assert_eq!(f["dibatalkan"], 1);
    assert_eq!(f["diproses"], 0);
    assert_eq!(
        f["waktu_layanan"]["median"], 1.0,
        "the quarter's own median"
    );
    assert_eq!(f["tepat_waktu_persen"], 50.0);
    assert_eq!(f["lewat_standar"], 2);
    assert_eq!(f["surat_bertanggal"], 4);
    assert_eq!(f["alasan_tolak"][0][0], "Pengantar RT tidak ada");
    assert_eq!(f["alasan_batal"][0][0], "pemohon tidak jadi pindah");
    let months: Vec<(String, u64, u64, u64, u64, f64)> = f["per_bulan"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["bulan"].as_str().unwrap().to_string(),
                b["jumlah"].as_u64().unwrap(),
                b["surat_terbit"].as_u64().unwrap(),
                b["ditolak"].as_u64().unwrap(),
                b["dibatalkan"].as_u64().unwrap(),
                b["waktu_median"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        months,
        [
            ("2026-10".to_string(), 3, 2, 1, 0, 0.0),
            ("2026-11".to_string(), 2, 1, 0, 1, 3.0),
            ("2026-12".to_string(), 1, 1, 0, 0, 2.0),
        ]
    );
    let domisili = f["per_jenis"]
        .as_array()
        .unwrap()
        .iter()
        .find(|j| j["kode"] == "sk-domisili")
        .unwrap();
    assert_eq!(domisili["jumlah"], 6);
    assert_eq!(domisili["waktu"]["median"], 1.0);
    assert_eq!(
        ws.snapshot(),
        before,
        "a quarter's report moves no request (the monthly reports do)"
    );

    let files = files_of(&made);
    assert_eq!(files.len(), 2);
    assert!(files[0].ends_with("output/laporan/2026-Q4/laporan-triwulan-2026-Q4.pdf"));
    assert!(files[1].ends_with("output/laporan/2026-Q4/laporan-triwulan-2026-Q4.xlsx"));

    let text = pdf_text(&files[0]);
    for want in [
        "LAPORAN TRIWULAN SEKRETARIS LURAH KEPADA LURAH",
        "Triwulan IV 2026 (Oktober–Desember 2026)",
        "Rujukan: LTW-2026-Q4",
        "Dari 6 permohonan, 4 suratnya terbit, 1 ditolak kantor, 1 dibatalkan pemohon, dan 0 masih diproses.",
        "median 1, persentil ke-90 3",
        "Oktober 2026 3 2 1 0 0 100,0%",
        "November 2026 2 1 0 1 3 0,0%",
        "Desember 2026 1 1 0 0 2 0,0%",
        "Jumlah Triwulan IV 2026 6 4 1 1 1 50,0%",
        "Bulan dengan permohonan terbanyak: Oktober 2026 (3 permohonan)",
        "Pengantar RT tidak ada",
        "pemohon tidak jadi pindah",
        "Mengetahui",
        "H. Zulkarnain, S.Sos., M.Si.",
        "Hj. Nurhayati, S.E.",
    ] {
        assert!(text.contains(want), "`{want}` not in: {text}");
    }
    assert!(!text.contains(crate::NIK_P), "no NIK in the report");

    let mut wb = open_workbook_auto(&files[1]).unwrap();
    assert_eq!(
        wb.sheet_names(),
        ["Ringkasan", "Per Bulan", "Per Jenis"],
        "summary, per month, per type"
    );
    let sum = wb.worksheet_range("Ringkasan").unwrap();
    let value = |label: &str| {
        sum.rows()
            .find(|r| r[0] == Data::String(label.into()))
            .map(|r| r[1].clone())
            .unwrap_or_else(|| panic!("{label}"))
    };
    assert_eq!(value("Permohonan diterima"), Data::Float(6.0));
    assert_eq!(value("Permohonan ditolak kantor"), Data::Float(1.0));
    assert_eq!(value("Permohonan dibatalkan pemohon"), Data::Float(1.0));
    assert_eq!(
        value("Waktu layanan, median (hari kerja)"),
        Data::Float(1.0)
    );
    assert_eq!(
        value("Selesai dalam standar layanan (%)"),
        Data::Float(50.0)
    );
    let per = wb.worksheet_range("Per Bulan").unwrap();
    let rows: Vec<Vec<Data>> = per.rows().map(|r| r.to_vec()).collect();
    assert_eq!(rows.len(), 5, "header, three months, total: {rows:?}");
    assert_eq!(
        rows[2][1..6],
        [
            Data::Float(2.0),
            Data::Float(1.0),
            Data::Float(0.0),
            Data::Float(1.0),
            Data::Float(3.0)
        ]
    );
    assert_eq!(rows[4][0], Data::String("Jumlah".into()));
    assert_eq!(rows[4][1], Data::Float(6.0));
    assert_eq!(rows[4][5], Data::Float(1.0));
    let jenis = wb.worksheet_range("Per Jenis").unwrap();
    assert!(
        jenis
            .rows()
            .any(|r| r[0] == Data::String("sk-domisili".into()) && r[2] == Data::Float(6.0))
    );

    // Made once: a rerun, and a rerun after the files are lost, give the same bytes.
    let bytes: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
    crate::set_clock("2027-02-10T10:00:00+07:00");
    let again = ws.json(&["laporan", "triwulan", "--triwulan", "2026-Q4"]);
    assert_eq!(again["angka"], made["angka"]);
    for f in &files {
        std::fs::remove_file(f).unwrap();
    }
    ws.ok(&["laporan", "triwulan", "--triwulan", "2026-Q4"]);
    for (f, b) in files.iter().zip(&bytes) {
        assert_eq!(&std::fs::read(f).unwrap(), b, "{} differs", f.display());
    }
    let rows: i64 = ws
        .db()
        .query_row(
            "SELECT COUNT(*) FROM laporan WHERE bulan = '2026-Q4'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(rows, 1, "recorded once");
    assert_eq!(ws.snapshot(), before);

    // The year holds the same requests: its figures agree with the quarter's.
    let year = ws.json(&["laporan", "tahunan", "--tahun", "2026"]);
    assert_eq!(year["nama"], "Tahun 2026");
    assert_eq!(year["angka"]["jumlah"], 6);
    assert_eq!(year["angka"]["waktu_layanan"]["median"], 1.0);
    assert_eq!(year["angka"]["per_bulan"].as_array().unwrap().len(), 12);
    let ytext = pdf_text(&files_of(&year)[0]);
    assert!(
        ytext.contains("LAPORAN TAHUNAN SEKRETARIS LURAH KEPADA LURAH")
            && ytext.contains("Januari 2026 0 0 0 0 - -"),
        "{ytext}"
    );
    // A monthly report still shows months only (a quarter is not a month).
    let web_months: Vec<String> = {
        let db = ws.db();
        let mut st = db
            .prepare("SELECT DISTINCT bulan FROM laporan ORDER BY bulan")
            .unwrap();
        st.query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    };
    assert_eq!(web_months, ["2026", "2026-Q4"]);
}

#[test]
fn the_yearly_schedule_makes_last_years_report_and_mails_it() {
    let ws = Ws::init();
    let id = baru_pada(&ws, "2026-06-10T09:00:00+07:00", "Siti Aminah");
    issue(&ws, &id, &[]);
    baru_pada(&ws, "2026-11-16T09:00:00+07:00", "Ahmad Fauzi");

    let list = ws.json(&["jadwal", "daftar"]);
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["nama"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"laporan-triwulan") && names.contains(&"laporan-tahunan"),
        "{names:?}"
    );
    let tahunan = list
        .as_array()
        .unwrap()
        .iter()
        .find(|j| j["nama"] == "laporan-tahunan")
        .unwrap();
    assert_eq!(tahunan["tugas"]["jenis"], "laporan-tahunan");
    assert!(
        tahunan["berikutnya"][0]
            .as_str()
            .unwrap()
            .contains("2 Januari 2027"),
        "{tahunan}"
    );

    crate::set_clock("2027-01-02T07:05:00+07:00");
    let out = ws.json(&["jadwal", "jalankan"]);
    let runs = out["dijalankan"].as_array().unwrap();
    let yearly = runs
        .iter()
        .find(|r| r["jadwal"] == "laporan-tahunan")
        .unwrap_or_else(|| panic!("{out}"));
    assert_eq!(yearly["periode"], "2026");
    assert_eq!(yearly["status"], "selesai", "{out}");
    let quarterly = runs
        .iter()
        .find(|r| r["jadwal"] == "laporan-triwulan")
        .unwrap_or_else(|| panic!("{out}"));
    assert_eq!(quarterly["periode"], "2026-Q4");
    assert_eq!(quarterly["status"], "selesai", "{out}");

    let pdf = ws.dir.join("output/laporan/2026/laporan-tahunan-2026.pdf");
    let text = pdf_text(&pdf);
    assert!(
        text.contains("Tahun 2026 (Januari–Desember 2026)")
            && text.contains("Dari 2 permohonan, 1 suratnya terbit"),
        "{text}"
    );
    assert!(
        ws.dir
            .join("output/laporan/2026/laporan-tahunan-2026.xlsx")
            .exists()
    );
    let mail = ws.json(&["surel", "daftar"]);
    let subjects: Vec<&str> = mail
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["subjek"].as_str().unwrap())
        .collect();
    assert!(
        subjects
            .iter()
            .any(|s| s.starts_with("Laporan Tahunan Pelayanan") && s.ends_with("Tahun 2026")),
        "{subjects:?}"
    );
    assert!(
        subjects
            .iter()
            .any(|s| s.starts_with("Laporan Triwulan Pelayanan")
                && s.ends_with("Triwulan IV 2026")),
        "{subjects:?}"
    );

    // Once per year: a second run does nothing more.
    let again = ws.json(&["jadwal", "jalankan"]);
    assert!(
        again["dijalankan"].as_array().unwrap().is_empty(),
        "{again}"
    );
    assert_eq!(
        ws.json(&["surel", "daftar"]).as_array().unwrap().len(),
        subjects.len()
    );
    // The year still running is refused before a run is claimed.
    let err = ws.fails(
        2,
        &[
            "jadwal",
            "jalankan",
            "--tugas",
            "laporan-tahunan",
            "--periode",
            "2027",
        ],
    );
    assert!(err.contains("Tahun 2027 belum selesai"), "{err}");
}
