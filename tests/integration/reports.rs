//! Monthly reports: made once, the month's requests moved to stages 5 and 6 with the
//! report's reference, the same files on a second run.

use crate::Ws;
use crate::letters::{issue, pdf_text};

#[test]
fn the_monthly_reports_move_requests_once_and_print_the_same_twice() {
    let ws = Ws::init();
    ws.baru("Siti Aminah");
    ws.baru("Budi Santoso");
    let p = issue(&ws, "1", &[]);
    let bulan = &p["tanggal"].as_str().unwrap()[0..7];
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
        "--isian",
        "lama_tinggal=12 tahun",
    ]);
    issue(&ws, "1", &[]);
    let tanggal = p["tanggal"].as_str().unwrap().to_string();
    let bulan = &tanggal[0..7];
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
