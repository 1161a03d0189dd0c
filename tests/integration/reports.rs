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

#[test]
fn the_monthly_workbook_prints_as_it_is_each_chart_on_one_page() {
    use calamine::{Data, Reader, open_workbook_auto};
    use std::io::Read;
    crate::during_report_month();
    let ws = Ws::init();
    ws.baru("Siti Aminah");
    issue(&ws, "1", &[]);
    crate::report_month_over();
    let made = ws.json(&["laporan", "bulanan", "--bulan", crate::REPORT_MONTH]);
    let xlsx = files_of(&made)
        .into_iter()
        .find(|f| f.extension().is_some_and(|e| e == "xlsx"))
        .unwrap();

    let mut zip = zip::ZipArchive::new(std::fs::File::open(&xlsx).unwrap()).unwrap();
    let names: Vec<String> = zip.file_names().map(|n| n.unwrap().into_owned()).collect();
    let mut part = |name: &str| {
        let mut s = String::new();
        zip.by_name(name)
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .read_to_string(&mut s)
            .unwrap();
        s
    };
    // The text after `start` (after its `nth` occurrence) up to `end`.
    let between = |xml: &str, start: &str, nth: usize, end: &str| -> String {
        let rest = xml
            .split(start)
            .nth(nth)
            .unwrap_or_else(|| panic!("no {start} in {xml}"));
        rest.split(end).next().unwrap().to_string()
    };
    // "I" -> 8, "AB" -> 27.
    let col_index = |letters: &str| {
        letters
            .bytes()
            .fold(0u32, |n, b| n * 26 + u32::from(b - b'A' + 1))
            - 1
    };
    let workbook = part("xl/workbook.xml");
    let sheets = [
        ("Ringkasan", "portrait"),
        ("Rincian", "landscape"),
        ("'Per Jenis'", "landscape"),
        ("Tren", "portrait"),
    ];
    for (i, (name, orientation)) in sheets.iter().enumerate() {
        let xml = part(&format!("xl/worksheets/sheet{}.xml", i + 1));
        let setup = between(&xml, "<pageSetup ", 1, "/>");
        assert!(
            setup.contains(&format!("orientation=\"{orientation}\"")),
            "{name}: {setup}"
        );
        // The profile's paper: F4, Excel's Folio (8.5 x 13 in).
        assert!(setup.contains("paperSize=\"14\""), "{name}: {setup}");
        // One page wide (fitToWidth's default is 1: written or left out), any number tall.
        assert!(setup.contains("fitToHeight=\"0\""), "{name}: {setup}");
        assert!(
            !setup.contains("fitToWidth") || setup.contains("fitToWidth=\"1\""),
            "{name}: {setup}"
        );
        assert!(xml.contains("<pageSetUpPr fitToPage=\"1\"/>"), "{name}");
        assert!(xml.contains("Halaman &amp;P dari &amp;N"), "{name}: footer");
        for defined in ["_xlnm.Print_Titles", "_xlnm.Print_Area"] {
            let tag = format!("<definedName name=\"{defined}\" localSheetId=\"{i}\">{name}!$");
            assert!(workbook.contains(&tag), "{tag} in {workbook}");
        }

        // A chart lies inside the print area, and a chart under a table too long to
        // share its page begins the page after it (the page break at its first row).
        let rels = format!("xl/worksheets/_rels/sheet{}.xml.rels", i + 1);
        if !names.contains(&rels) {
            continue;
        }
        let rels = part(&rels);
        if !rels.contains("../drawings/") {
            continue;
        }
        let drawing = part(&format!(
            "xl/drawings/{}",
            between(&rels, "Target=\"../drawings/", 1, "\"")
        ));
        let area = between(
            &workbook,
            &format!("<definedName name=\"_xlnm.Print_Area\" localSheetId=\"{i}\">{name}!"),
            1,
            "<",
        );
        let last = area.split(':').nth(1).unwrap();
        let last_col = col_index(last.split('$').nth(1).unwrap());
        let last_row: u32 = last.split('$').nth(2).unwrap().parse::<u32>().unwrap() - 1;
        let from = between(&drawing, "<xdr:from>", 1, "</xdr:from>");
        let to = between(&drawing, "<xdr:to>", 1, "</xdr:to>");
        let num = |anchor: &str, tag: &str| -> u32 {
            between(anchor, &format!("<xdr:{tag}>"), 1, "<")
                .parse()
                .unwrap()
        };
        assert_eq!(num(&from, "col"), 0, "{name}: {from}");
        assert!(num(&to, "row") <= last_row, "{name}: {to} beyond {area}");
        assert!(
            num(&to, "col") <= last_col
                || (num(&to, "col") == last_col + 1 && num(&to, "colOff") == 0),
            "{name}: {to} beyond {area}"
        );
        if *name == "'Per Jenis'" {
            // Every letter type of the catalog has its row: the chart has a page of its own.
            assert!(
                xml.contains(&format!("<brk id=\"{}\"", num(&from, "row"))),
                "{name}: the chart at {from} starts no page"
            );
        }
    }

    // The trend's months are dates (their first day), from the first month with a
    // request: here the report's month alone, not eleven empty months before it.
    let mut wb = open_workbook_auto(&xlsx).unwrap();
    let tren = wb.worksheet_range("Tren").unwrap();
    assert_eq!(cell(&tren, 0, 0), Data::String("Bulan".into()));
    assert_eq!(tren.height(), 2, "{tren:?}");
    match cell(&tren, 1, 0) {
        Data::DateTime(dt) => {
            let day = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap()
                + chrono::Duration::days(dt.as_f64() as i64);
            assert_eq!(day.to_string(), format!("{}-01", crate::REPORT_MONTH));
        }
        other => panic!("a date expected, got {other:?}"),
    }
    assert_eq!(cell(&tren, 1, 1), Data::Float(1.0));
}

/// A withdrawal is its own outcome in the figures, both PDFs and the workbook: counted
/// apart from the office's refusals, its reason listed apart, no waiting days; the two
/// letter counts are named apart; and the sentence on the longest step speaks of the
/// steps that serve the applicant, with the figures of its own table.
#[test]
fn a_withdrawal_is_counted_apart_from_refusals_in_every_report() {
    crate::during_report_month();
    let ws = Ws::init();
    ws.baru("Siti Aminah");
    issue(&ws, "1", &[]);
    ws.baru("Budi Santoso");
    ws.ok(&[
        "permohonan",
        "tolak",
        "2",
        "--peran",
        "operator",
        "--oleh",
        "Dedi",
        "--alasan",
        "Berkas tidak lengkap",
    ]);
    ws.baru("Citra Lestari");
    ws.ok(&[
        "permohonan",
        "batalkan",
        "3",
        "--oleh",
        "Dedi",
        "--alasan",
        "Pemohon tidak jadi mengurus",
    ]);
    crate::report_month_over();
    let made = ws.json(&["laporan", "bulanan", "--bulan", crate::REPORT_MONTH]);
    let files = files_of(&made);

    let koordinator = pdf_text(&files[0])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        koordinator.contains("Permohonan ditolak kantor 1"),
        "{koordinator}"
    );
    assert!(
        koordinator.contains("Permohonan dibatalkan pemohon 1"),
        "{koordinator}"
    );
    assert!(
        koordinator.contains("Alasan penolakan oleh kantor Jumlah Berkas tidak lengkap 1"),
        "{koordinator}"
    );
    assert!(
        koordinator.contains("Alasan pembatalan oleh pemohon Jumlah Pemohon tidak jadi mengurus 1"),
        "{koordinator}"
    );
    assert!(
        koordinator.contains("Surat terbit untuk permohonan bulan itu 1")
            && koordinator.contains("Surat bertanggal bulan November 2026, termasuk surat untuk permohonan bulan sebelumnya: 1"),
        "{koordinator}"
    );
    // Every service step was done the same day: no step is named the longest.
    assert!(
        koordinator.contains("umumnya selesai pada hari yang sama (median 0 hari kerja)")
            && !koordinator.contains("waktu tunggu terlama"),
        "{koordinator}"
    );
    let rekap = pdf_text(&files[1])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        rekap.contains("Ditolak kantor: 1 permohonan (alasan terbanyak: Berkas tidak lengkap). Dibatalkan pemohon: 1 permohonan."),
        "{rekap}"
    );

    use calamine::{Data, Reader, open_workbook_auto};
    let mut wb = open_workbook_auto(&files[2]).unwrap();
    let ringkasan = wb.worksheet_range("Ringkasan").unwrap();
    let value = |label: &str| {
        ringkasan
            .rows()
            .find(|r| r[0] == Data::String(label.into()))
            .unwrap_or_else(|| panic!("{label}"))[1]
            .clone()
    };
    assert_eq!(value("Permohonan ditolak kantor"), Data::Float(1.0));
    assert_eq!(value("Permohonan dibatalkan pemohon"), Data::Float(1.0));
    let rincian = wb.worksheet_range("Rincian").unwrap();
    let cancelled = rincian
        .rows()
        .find(|r| {
            r.iter()
                .any(|c| *c == Data::String("Pemohon tidak jadi mengurus".into()))
        })
        .expect("the withdrawn request with its reason");
    assert!(
        cancelled
            .iter()
            .any(|c| *c == Data::String("Dibatalkan pemohon".into())),
        "{cancelled:?}"
    );
}

/// A month long enough for the Koordinator's list to run over several pages: the
/// list's heading row is at the top of every page it runs on to, the signature is never
/// alone on a page (the last page also holds the list's last rows), and the recap's
/// signatures stay with its closing lines.
#[test]
fn long_lists_repeat_their_heading_and_no_page_is_a_signature_alone() {
    use kelurahan::domain::calendar;
    let ws = Ws::init();
    crate::many_requests(&ws, 130, |i| {
        calendar::parse_tanggal(&format!("2026-11-{:02}", 2 + i % 27)).unwrap()
    });
    crate::report_month_over();
    let made = ws.json(&["laporan", "bulanan", "--bulan", crate::REPORT_MONTH]);
    let files = files_of(&made);
    let pages_of = |p: &std::path::Path| -> Vec<String> {
        pdf_extract::extract_text_from_mem_by_pages(&std::fs::read(p).unwrap())
            .unwrap()
            .into_iter()
            .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect()
    };
    let koordinator = pages_of(&files[0]);
    let start = koordinator
        .iter()
        .position(|t| t.contains("G. Rincian permohonan"))
        .expect("the list");
    assert!(
        koordinator.len() >= start + 3,
        "the list runs over pages: {}",
        koordinator.len()
    );
    for (n, t) in koordinator.iter().enumerate().skip(start + 1) {
        assert!(
            t.starts_with("No No. Register Tanggal Nama NIK Jenis Tahap Hari"),
            "page {}: the heading row on top: {t}",
            n + 1
        );
    }
    let last = koordinator.last().unwrap();
    assert!(last.contains("Koordinator"), "{last}");
    assert!(
        last.contains("/2026") && last.contains("Pemohon Nomor"),
        "the last page holds rows with the signature: {last}"
    );
    let rekap = pages_of(&files[1]);
    let last = rekap.last().unwrap();
    assert!(
        last.contains("Dengan rekap ini") && last.contains("Mengetahui"),
        "the recap's closing lines stay with its signatures: {last}"
    );
}
