//! Monthly reports: made once, the month's requests moved to stages 5 and 6 with the
//! report's reference, the same files on a second run.

use crate::Ws;
use crate::letters::{issue, pdf_text};

fn pages(path: &std::path::Path) -> usize {
    lopdf::Document::load(path).expect("PDF").get_pages().len()
}

fn files_of(made: &serde_json::Value) -> Vec<std::path::PathBuf> {
    made["berkas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_str().unwrap().into())
        .collect()
}

#[test]
fn a_month_is_reported_once_it_is_over_and_a_draft_moves_nothing() {
    crate::during_report_month();
    let ws = Ws::init();
    ws.baru("Siti Aminah");
    issue(&ws, "1", &[]);
    let before = ws.snapshot();

    // The month is still running: refused with a usage error, nothing written.
    let err = ws.fails(2, &["laporan", "bulanan", "--bulan", crate::REPORT_MONTH]);
    assert!(
        err.contains("November 2026 belum selesai") && err.contains("--sementara"),
        "{err}"
    );
    assert!(
        !ws.dir
            .join("output/laporan")
            .join(crate::REPORT_MONTH)
            .exists()
    );
    assert_eq!(ws.snapshot(), before);
    // --kirim with a draft is refused before anything happens.
    ws.fails(2, &["laporan", "bulanan", "--sementara", "--kirim"]);

    // A draft of the running month: marked on every page, records and moves nothing.
    let draft = ws.json(&["laporan", "bulanan", "--sementara"]);
    assert_eq!(draft["sementara"], true);
    assert_eq!(draft["bulan"], crate::REPORT_MONTH);
    let files = files_of(&draft);
    assert_eq!(files.len(), 3);
    for f in &files {
        assert!(
            f.starts_with(ws.dir.join("output/laporan/sementara"))
                && f.to_string_lossy().contains("-sementara."),
            "{}",
            f.display()
        );
    }
    for pdf in &files[..2] {
        let text = pdf_text(pdf);
        assert_eq!(
            text.matches("SEMENTARA — rancangan, belum dilaporkan")
                .count(),
            pages(pdf),
            "every page of {} is marked: {text}",
            pdf.display()
        );
        assert!(!text.contains("dicatat dilaporkan kepada"), "{text}");
    }
    // The workbook says so too, in its title.
    {
        use calamine::{Reader, open_workbook_auto};
        let mut wb = open_workbook_auto(&files[2]).unwrap();
        let ringkasan = wb.worksheet_range("Ringkasan").unwrap();
        let title = ringkasan.get_value((0, 0)).unwrap().to_string();
        assert!(title.contains("SEMENTARA"), "{title}");
    }
    assert_eq!(ws.snapshot(), before, "a draft moves no request");
    let made: i64 = ws
        .db()
        .query_row("SELECT COUNT(*) FROM laporan", [], |r| r.get(0))
        .unwrap();
    assert_eq!(made, 0, "a draft records no report");
    // A month not yet begun has no draft either.
    ws.fails(
        2,
        &["laporan", "bulanan", "--sementara", "--bulan", "2027-01"],
    );
}

#[test]
fn a_report_moves_the_letters_dated_in_its_month_and_a_rerun_is_byte_identical() {
    // October: two requests; one gets its letter in October, one only in November.
    crate::set_clock("2026-10-20T10:00:00+07:00");
    let ws = Ws::init();
    ws.baru("Siti Aminah");
    ws.baru("Budi Santoso");
    issue(&ws, "1", &[]);
    ws.to_koordinator("2");
    // November: the October request's letter, and a November request issued too.
    crate::during_report_month();
    ws.ok(&[
        "permohonan",
        "lanjut",
        "2",
        "--peran",
        "koordinator",
        "--oleh",
        "Rina",
    ]);
    ws.baru("Citra Lestari");
    issue(&ws, "3", &[]);
    ws.baru("Dedi Kurniawan");

    crate::report_month_over();
    let oct = ws.json(&["laporan", "bulanan", "--bulan", "2026-10"]);
    assert_eq!(oct["ke_seklur"], 1, "only the letter dated in October");
    let tahap = |id: &str| ws.json(&["permohonan", "lihat", id])["tahap"].clone();
    assert_eq!(tahap("1"), "dilaporkan_ke_lurah");
    assert_eq!(tahap("2"), "ditindaklanjuti");

    let nov = ws.json(&["laporan", "bulanan", "--bulan", crate::REPORT_MONTH]);
    assert_eq!(nov["ke_seklur"], 2, "both letters dated in November");
    assert_eq!(nov["ke_lurah"], 2);
    assert_eq!(tahap("2"), "dilaporkan_ke_lurah");
    assert_eq!(tahap("3"), "dilaporkan_ke_lurah");
    let files = files_of(&nov);
    let bytes: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
    let text = pdf_text(&files[0]);
    assert!(
        text.contains("Dengan laporan ini, 2 permohonan yang suratnya bertanggal bulan November 2026 dicatat dilaporkan kepada Sekretaris Lurah"),
        "{text}"
    );
    assert!(
        pdf_text(&files[1]).contains("Dengan rekap ini, 2 permohonan"),
        "the recap states what it moved"
    );

    // December: the open November request gets its letter, a December one too. The
    // November report, made again, moves nothing and prints the same bytes, even with
    // its files removed first.
    crate::set_clock("2026-12-03T09:00:00+07:00");
    issue(&ws, "4", &[]);
    ws.baru("Eka Putri");
    issue(&ws, "5", &[]);
    for f in &files[..2] {
        std::fs::remove_file(f).unwrap();
    }
    let before = ws.snapshot();
    let again = ws.json(&["laporan", "bulanan", "--bulan", crate::REPORT_MONTH]);
    assert_eq!(again["ke_seklur"], 0);
    assert_eq!(again["ke_lurah"], 0);
    assert_eq!(ws.snapshot(), before, "a rerun moves nothing");
    for (f, b) in files.iter().zip(&bytes) {
        assert!(
            std::fs::read(f).unwrap() == *b,
            "{} differs on a rerun",
            f.display()
        );
    }
    assert_eq!(tahap("4"), "ditindaklanjuti", "its letter is December's");
}

#[test]
fn the_monthly_reports_move_requests_once_and_print_the_same_twice() {
    crate::during_report_month();
    let ws = Ws::init();
    ws.baru("Siti Aminah");
    ws.baru("Budi Santoso");
    let p = issue(&ws, "1", &[]);
    let bulan = &p["tanggal"].as_str().unwrap()[0..7];
    assert_eq!(bulan, crate::REPORT_MONTH);
    crate::report_month_over();
    let first = ws.json(&["laporan", "bulanan", "--bulan", bulan]);
    assert_eq!(first["ke_seklur"], 1);
    assert_eq!(first["ke_lurah"], 1);
    let p = ws.json(&["permohonan", "lihat", "1"]);
    assert_eq!(p["tahap"], "dilaporkan_ke_lurah");
    let notes: Vec<String> = p["riwayat"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["catatan"].as_str().map(String::from))
        .collect();
    assert!(
        notes
            .iter()
            .any(|n| n.contains(&format!("rujukan LK-{bulan}"))),
        "{notes:?}"
    );
    assert!(
        notes
            .iter()
            .any(|n| n.contains(&format!("rujukan RS-{bulan}"))),
        "{notes:?}"
    );
    assert_eq!(ws.json(&["permohonan", "lihat", "2"])["tahap"], "diajukan");

    let files: Vec<std::path::PathBuf> = first["berkas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_str().unwrap().into())
        .collect();
    let bytes: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
    let before = ws.snapshot();
    let second = ws.json(&["laporan", "bulanan", "--bulan", bulan]);
    assert_eq!(second["ke_seklur"], 0);
    assert_eq!(second["ke_lurah"], 0);
    assert_eq!(ws.snapshot(), before, "a second run changes no request");
    for (f, b) in files.iter().zip(&bytes) {
        assert_eq!(
            &std::fs::read(f).unwrap(),
            b,
            "{} differs on a second run",
            f.display()
        );
    }

    let detail = pdf_text(&files[0]);
    assert!(
        detail.contains("LAPORAN KOORDINATOR KEPADA SEKRETARIS LURAH"),
        "{detail}"
    );
    assert!(
        detail.contains("1571xxxxxxxx0003") && !detail.contains(crate::NIK_P),
        "masked NIK only"
    );
    assert!(
        detail.contains("Rina Marlina, S.Kom."),
        "signed by the Koordinator"
    );
    let recap = pdf_text(&files[1]);
    assert!(
        recap.contains("Mengetahui")
            && recap.contains("H. Zulkarnain, S.Sos., M.Si.")
            && recap.contains("Hj. Nurhayati, S.E."),
        "{recap}"
    );
}

fn cell(range: &calamine::Range<calamine::Data>, row: u32, col: u32) -> calamine::Data {
    range
        .get_value((row, col))
        .cloned()
        .unwrap_or(calamine::Data::Empty)
}

#[test]
fn the_workbooks_read_back_with_calamine() {
    use calamine::{Data, Reader, open_workbook_auto};
    crate::during_report_month();
    let ws = Ws::init();
    let p = ws.json(&[
        "permohonan",
        "baru",
        "--jenis",
        "sk-domisili",
        "--nama",
        "Siti Aminah",
        "--nik",
        crate::NIK_P,
        "--kk",
        "1571090101100001",
        "--berkas",
        "pengantar-rt,kk-ktp",
        "--rt",
        "9",
        "--rw",
        "3",
        "--alamat",
        crate::ALAMAT,
        "--isian",
        "lama_tinggal=12 tahun",
        "tempat_lahir=Jambi",
        "agama=Islam",
        "pekerjaan=Wiraswasta",
        "status_perkawinan=Kawin",
    ]);
    issue(&ws, "1", &[]);
    let tanggal = p["tanggal"].as_str().unwrap().to_string();
    let bulan = &tanggal[0..7];
    crate::report_month_over();
    let made = ws.json(&["laporan", "bulanan", "--bulan", bulan]);
    let xlsx = made["berkas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_str().unwrap())
        .find(|b| b.ends_with(".xlsx"))
        .unwrap()
        .to_string();

    let mut wb = open_workbook_auto(&xlsx).unwrap();
    assert_eq!(
        wb.sheet_names(),
        ["Ringkasan", "Rincian", "Per Jenis", "Tren"]
    );
    let rincian = wb.worksheet_range("Rincian").unwrap();
    assert_eq!(cell(&rincian, 0, 4), Data::String("NIK".into()));
    assert_eq!(
        cell(&rincian, 1, 1),
        Data::String("0001/".to_string() + &tanggal[0..4])
    );
    assert_eq!(cell(&rincian, 1, 3), Data::String("Siti Aminah".into()));
    // Masked by default: this workbook is the one that is mailed.
    assert_eq!(
        cell(&rincian, 1, 4),
        Data::String("1571xxxxxxxx0003".into())
    );
    assert_eq!(
        cell(&rincian, 1, 5),
        Data::String("1571xxxxxxxx0001".into())
    );
    match cell(&rincian, 1, 2) {
        Data::DateTime(dt) => {
            let day = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap()
                + chrono::Duration::days(dt.as_f64() as i64);
            assert_eq!(day.to_string(), tanggal);
        }
        other => panic!("date expected, got {other:?}"),
    }
    assert_eq!(
        cell(&rincian, 1, 8),
        Data::String("Dilaporkan ke Lurah, selesai".into())
    );
    let per_jenis = wb.worksheet_range("Per Jenis").unwrap();
    let row = (1..9)
        .find(|r| cell(&per_jenis, *r, 0) == Data::String("sk-domisili".into()))
        .unwrap();
    assert_eq!(cell(&per_jenis, row, 2), Data::Float(1.0));
    let ringkasan = wb.worksheet_range("Ringkasan").unwrap();
    assert_eq!(
        cell(&ringkasan, 3, 0),
        Data::String("Permohonan diterima".into())
    );
    assert_eq!(cell(&ringkasan, 3, 1), Data::Float(1.0));

    // The register export keeps everything, NIK and KK in full, as text.
    let out = ws.dir.join("register.xlsx");
    ws.ok(&["ekspor", "register", "--keluar", out.to_str().unwrap()]);
    let mut wb = open_workbook_auto(&out).unwrap();
    assert_eq!(wb.sheet_names(), ["Register", "Berkas", "Riwayat"]);
    let reg = wb.worksheet_range("Register").unwrap();
    let col = |name: &str| {
        (0..40)
            .find(|c| cell(&reg, 0, *c) == Data::String(name.into()))
            .unwrap_or_else(|| panic!("{name}"))
    };
    assert_eq!(cell(&reg, 1, col("NIK")), Data::String(crate::NIK_P.into()));
    assert_eq!(
        cell(&reg, 1, col("No. KK")),
        Data::String("1571090101100001".into())
    );
    assert_eq!(cell(&reg, 1, col("RT")), Data::String("009".into()));
    assert_eq!(
        cell(&reg, 1, col("isian:lama_tinggal")),
        Data::String("12 tahun".into())
    );
    assert!(
        matches!(cell(&reg, 1, col("Nomor Surat")), Data::String(n) if n.starts_with("400.12.2.1/001/RWS/"))
    );
    let riwayat = wb.worksheet_range("Riwayat").unwrap();
    assert_eq!(riwayat.height(), 1 + 6, "header and six history entries");
}
