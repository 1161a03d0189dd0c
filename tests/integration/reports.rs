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
