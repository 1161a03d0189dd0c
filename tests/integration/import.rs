//! `kelurahan impor`: old registers made by Excel 97-2003 (xlwt), openpyxl and
//! LibreOffice (tests/fixtures/impor, with the script that made them and the expected
//! outcome of every row in harapan.json), imported through the real program.

use std::collections::BTreeMap;
use std::path::PathBuf;

use calamine::{Data, Reader, open_workbook_auto};
use serde_json::Value;

use crate::{Ws, kelurahan};

const ORDER: [&str; 5] = [
    "register-2022.xls",
    "register-2023.xlsx",
    "register-1904.xlsx",
    "register-2024.ods",
    // Merged cells in an OpenDocument file (read from its content.xml).
    "register-gabung.ods",
];
const REFUSED: [&str; 5] = [
    "rusak-terpotong.xlsx",
    "rusak-xml.xlsx",
    "rusak-bersandi.xlsx",
    "rusak-csv.xls",
    "rusak-html.xls",
];

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/impor")
        .join(name)
        .display()
        .to_string()
}

fn harapan() -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixture("harapan.json")).unwrap()).unwrap()
}

fn count(ws: &Ws) -> i64 {
    ws.db()
        .query_row("SELECT COUNT(*) FROM permohonan", [], |r| r.get(0))
        .unwrap()
}

/// Sheet rows as strings (dates as ISO), header first.
fn sheet(path: &str, name: &str) -> Vec<Vec<String>> {
    let mut wb = open_workbook_auto(path).unwrap();
    let range = wb.worksheet_range(name).unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    Data::String(s) => s.clone(),
                    Data::DateTime(d) => {
                        let (y, m, day, ..) = d.to_ymd_hms_milli();
                        format!("{y:04}-{m:02}-{day:02}")
                    }
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

/// The register as exported: its header, its rows by register number, and the
/// register number of each file row ("FILE, lembar S, baris N") imported.
struct Exported {
    header: Vec<String>,
    rows: BTreeMap<String, Vec<String>>,
    source: BTreeMap<String, String>,
}

fn exported(ws: &Ws) -> Exported {
    let out = ws.dir.join("register.xlsx");
    ws.ok(&["ekspor", "register", "--keluar", out.to_str().unwrap()]);
    let path = out.to_str().unwrap();
    let reg = sheet(path, "Register");
    let header = reg[0].clone();
    let rows = reg[1..].iter().map(|r| (r[0].clone(), r.clone())).collect();
    let mut source = BTreeMap::new();
    for r in sheet(path, "Riwayat").iter().skip(1) {
        // The first entry of an imported request says where it came from.
        if r[1].is_empty()
            && let Some(rest) = r[6].strip_prefix("diimpor dari ")
        {
            let place = rest.split(" oleh ").next().unwrap().to_string();
            source.insert(place, r[0].clone());
        }
    }
    Exported {
        header,
        rows,
        source,
    }
}

fn totals(v: &Value) -> Value {
    let j = &v["jumlah"];
    serde_json::json!({
        "dibaca": j["dibaca"], "diimpor": j["diimpor"], "ditolak": j["ditolak"],
        "ganda": j["ganda"], "dilewati": j["dilewati"],
    })
}

/// Every rejected, duplicate and flagged row of `got` (an import's JSON) is the one
/// `want` (a file of harapan.json) expects, with its reason, and no other row is noted.
fn assert_rows_noted(name: &str, want: &Value, got: &Value) {
    // Rejected, duplicate and flagged rows, each with its reason.
    let mut noted: BTreeMap<(String, u64), Vec<(String, String)>> = BTreeMap::new();
    for b in got["baris"].as_array().unwrap() {
        noted
            .entry((
                b["lembar"].as_str().unwrap().to_string(),
                b["baris"].as_u64().unwrap(),
            ))
            .or_default()
            .push((
                b["hasil"].as_str().unwrap().to_string(),
                b["kode"].as_str().unwrap().to_string(),
            ));
    }
    for r in want["rows"].as_array().unwrap() {
        let key = (
            r["sheet"].as_str().unwrap().to_string(),
            r["row"].as_u64().unwrap(),
        );
        let got = noted.remove(&key).unwrap_or_default();
        let expect: Vec<(String, String)> = match r["hasil"].as_str().unwrap() {
            "tolak" => vec![("ditolak".into(), r["alasan"].as_str().unwrap().into())],
            "ganda" => vec![("ganda".into(), "ganda".into())],
            "impor" => r["tanda"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| ("ditandai".into(), t.as_str().unwrap().into()))
                .collect(),
            _ => vec![],
        };
        assert_eq!(got, expect, "{name} {key:?}");
    }
    assert!(
        noted.is_empty(),
        "{name}: rows noted that harapan.json does not expect: {noted:?}"
    );
}

#[test]
fn every_row_of_the_old_registers_is_accounted_for() {
    let h = harapan();
    let ws = Ws::init();
    for name in ORDER.iter().chain(["register-2022-salinan.xls"].iter()) {
        let want = &h["files"][name];
        let got = ws.json(&["impor", &fixture(name)]);
        assert_eq!(totals(&got), want["totals"], "{name}");
        let j = &got["jumlah"];
        assert_eq!(
            j["dibaca"].as_u64().unwrap(),
            ["diimpor", "ditolak", "ganda", "dilewati"]
                .iter()
                .map(|k| j[k].as_u64().unwrap())
                .sum::<u64>(),
            "{name}: every row read is accounted for"
        );

        // Sheets skipped, and why.
        let skipped: BTreeMap<String, String> = got["berkas"][0]["lembar"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|l| {
                Some((
                    l["nama"].as_str()?.to_string(),
                    l["dilewati"].as_str()?.to_string(),
                ))
            })
            .collect();
        let want_skipped: BTreeMap<String, String> = want
            .get("sheets_skipped")
            .and_then(Value::as_object)
            .map(|o| {
                o.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(skipped, want_skipped, "{name}");

        assert_rows_noted(name, want, &got);
    }

    // Every imported row holds what the file said.
    let Exported {
        header,
        rows,
        source,
    } = exported(&ws);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let mut checked = 0;
    for name in ORDER {
        for r in h["files"][name]["rows"].as_array().unwrap() {
            if r["hasil"] != "impor" {
                continue;
            }
            let place = format!(
                "{name}, lembar {}, baris {}",
                r["sheet"].as_str().unwrap(),
                r["row"]
            );
            let nomor = source
                .get(&place)
                .unwrap_or_else(|| panic!("{place} not imported"));
            let row = &rows[nomor];
            let s = |v: &Value| v.as_str().unwrap_or("").to_string();
            assert_eq!(row[col("NIK")], s(&r["nik"]), "{place}");
            assert_eq!(row[col("Tanggal")], s(&r["tanggal"]), "{place}");
            assert_eq!(row[col("Jenis Surat")], s(&r["jenis"]), "{place}");
            assert_eq!(row[col("Nama")], s(&r["nama"]), "{place}");
            assert_eq!(row[col("Nomor Surat")], s(&r["nomor_surat"]), "{place}");
            if let Some(n) = r["nomor_register"].as_str() {
                // "0001/2023" and "001/II/2024" keep their sequence and year.
                let urut: u32 = n.split('/').next().unwrap().parse().unwrap();
                let year = n.rsplit('/').next().unwrap();
                assert_eq!(*nomor, format!("{urut:04}/{year}"), "{place}");
            }
            if let Some(t) = r["tanggal_surat"].as_str() {
                assert_eq!(row[col("Tanggal Surat")], t, "{place}");
            }
            let finished = !r["nomor_surat"].is_null()
                || !r["tanggal_selesai"].is_null() && r.get("tanggal_selesai").is_some()
                || r["tanggal_surat"].as_str().is_some();
            let tahap = match r["status"].as_str() {
                Some("selesai") => "dilaporkan_ke_lurah",
                Some("ditolak") => "ditolak",
                _ if finished => "ditindaklanjuti",
                _ => "diterima",
            };
            assert_eq!(row[col("Tahap")], tahap, "{place}");
            if let Some(lain) = r.get("lain") {
                assert_eq!(row[col("No. KK")], s(&lain["kk"]), "{place}");
                assert_eq!(row[col("Alamat")], s(&lain["alamat"]), "{place}");
                assert_eq!(
                    format!("{}/{}", row[col("RT")], row[col("RW")]),
                    s(&lain["rt_rw"]),
                    "{place}"
                );
                assert_eq!(row[col("Telepon")], s(&lain["telepon"]), "{place}");
                assert_eq!(row[col("Keperluan")], s(&lain["keperluan"]), "{place}");
                let kanal = match s(&lain["kanal"]).to_lowercase().as_str() {
                    "wa" | "whatsapp" => "whatsapp",
                    _ => "langsung",
                };
                assert_eq!(row[col("Kanal")], kanal, "{place}");
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 54);
    assert_eq!(count(&ws), 54, "the copy imported nothing");

    // The history says where a request came from, and who brought it in.
    let first = ws.json(&[
        "permohonan",
        "lihat",
        &source["register-2022.xls, lembar Januari, baris 9"],
    ]);
    let riwayat = first["riwayat"].as_array().unwrap();
    assert_eq!(riwayat.len(), 2);
    assert!(
        riwayat[0]["catatan"]
            .as_str()
            .unwrap()
            .starts_with("diimpor dari register-2022.xls, lembar Januari, baris 9")
    );
    assert_eq!(riwayat[1]["ke"], "dilaporkan_ke_lurah");
    assert!(
        riwayat[1]["catatan"]
            .as_str()
            .unwrap()
            .starts_with("Selesai")
    );
}

#[test]
fn a_file_that_cannot_be_read_whole_writes_no_row() {
    let ws = Ws::init();
    ws.ok(&["impor", &fixture("register-1904.xlsx")]);
    let before = ws.snapshot();
    let words = [
        ("rusak-terpotong.xlsx", "terpotong"),
        (
            "rusak-xml.xlsx",
            "lembar `Jan 2023` tidak dapat dibaca utuh",
        ),
        ("rusak-bersandi.xlsx", "kata sandi"),
        ("rusak-csv.xls", "CSV"),
        ("rusak-html.xls", "HTML"),
    ];
    for (name, cause) in words {
        let out = ws.run(&["impor", &fixture(name)]);
        assert_eq!(out.status.code(), Some(1), "{name}");
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(
            stdout.contains(&format!("{name}: DITOLAK UTUH")),
            "{stdout}"
        );
        assert!(stdout.contains(cause), "{name}: {stdout}");
        assert!(
            String::from_utf8(out.stderr)
                .unwrap()
                .contains("1 berkas ditolak utuh")
        );
        assert_eq!(ws.snapshot(), before, "{name} changed the register");
    }
    // Given together with a good file, the good one is imported and the run says so.
    let mut args = vec!["impor".to_string(), fixture("register-2024.ods")];
    args.extend(REFUSED.iter().map(|f| fixture(f)));
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = ws.run(&a);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("5 berkas ditolak utuh")
    );
    assert_eq!(count(&ws), 4 + 6);
}

#[test]
fn a_dry_run_writes_nothing_and_explains_every_row() {
    let h = harapan();
    let ws = Ws::init();
    let mut args = vec!["impor".to_string(), "--uji".to_string()];
    args.extend(ORDER.iter().map(|f| fixture(f)));
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    let got = ws.json(&a);
    assert_eq!(count(&ws), 0, "a dry run writes no row");
    assert_eq!(got["uji"], true);
    for (i, name) in ORDER.iter().enumerate() {
        let j = &got["berkas"][i]["jumlah"];
        for k in ["dibaca", "diimpor", "ditolak", "ganda", "dilewati"] {
            assert_eq!(j[k], h["files"][name]["totals"][k], "{name} {k}");
        }
    }

    // The error report: every rejected and flagged row, with its original cells.
    let report = got["laporan"].as_str().unwrap().to_string();
    assert!(report.ends_with("output/impor/laporan-impor-uji.xlsx"));
    let rows = sheet(&report, "Baris");
    let header = &rows[0];
    assert_eq!(
        &header[..6],
        ["Berkas", "Lembar", "Baris", "Hasil", "Kode", "Alasan"]
    );
    let j = &got["jumlah"];
    let flags: u64 = j["ditandai_per_alasan"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(
        rows.len() as u64 - 1,
        j["ditolak"].as_u64().unwrap() + flags,
        "one line per rejection and per flag"
    );
    let line = |sheet_name: &str, row: &str| {
        rows.iter()
            .find(|r| r[1] == sheet_name && r[2] == row)
            .unwrap_or_else(|| panic!("{sheet_name} {row} missing"))
            .clone()
    };
    // The unknown province: the NIK as typed, under its column letter.
    let r = line("Januari", "12");
    assert_eq!((r[3].as_str(), r[4].as_str()), ("ditolak", "nik_provinsi"));
    let e = header.iter().position(|c| c == "Kolom E").unwrap();
    assert_eq!(r[e], "9971091104870005");
    assert!(r[5].contains("provinsi"), "{}", r[5]);
    // The NIK Excel kept as a number is shown as the number it is.
    let r = line("Januari", "13");
    assert_eq!(r[4], "nik_presisi_hilang");
    assert_eq!(r[e], "1571092208790010");
    // A cell error, by its Excel name.
    let r = line("Jan 2023", "4");
    assert_eq!(r[4], "galat_sel");
    assert!(r[5].contains("#N/A"), "{}", r[5]);
    // LibreOffice opens it (and so can a clerk).
    let ringkasan = sheet(&report, "Ringkasan");
    assert!(ringkasan[0][0].contains("uji"));
}

#[test]
fn the_import_map_is_extended_by_the_workspace_and_by_peta() {
    let ws = Ws::init();
    let peta = ws.dir.join("sakti.toml");
    std::fs::write(&peta, "[jenis]\nsk-usaha = [\"Surat Sakti\"]\n").unwrap();
    let got = ws.json(&[
        "impor",
        "--uji",
        "--peta",
        peta.to_str().unwrap(),
        &fixture("register-2022.xls"),
    ]);
    // The row rejected for its unknown type is now understood.
    assert_eq!(got["jumlah"]["diimpor"], 24);
    assert!(
        got["jumlah"]["ditolak_per_alasan"]
            .get("jenis_tidak_dikenal")
            .is_none()
    );

    // A mistake in the workspace's map names the file, the key and the line.
    std::fs::write(
        ws.dir.join("peta-impor.toml"),
        "[kolom]\nnama = [\"Atas Nama\"]\numur = [\"Umur\"]\n",
    )
    .unwrap();
    let err = ws.fails(2, &["impor", &fixture("register-2022.xls")]);
    assert!(err.contains("peta-impor.toml baris 3"), "{err}");
    assert!(err.contains("kolom.umur"), "{err}");
    assert_eq!(count(&ws), 0);
}

#[test]
fn an_exported_register_imports_as_the_same_register_and_numbering_goes_on() {
    let tmp = tempfile::TempDir::new().unwrap();
    let demo = tmp.path().join("demo");
    // A fixed day late in a year, for the demo and the new letter alike, so the demo's
    // letters are of the year the new letter is issued in, whatever day the suite runs.
    crate::set_clock("2026-11-27T10:00:00+07:00");
    let today = "2026-11-27";
    let out = kelurahan(&demo, &["demo", "--hingga", today]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let first = tmp.path().join("pertama.xlsx");
    let out = kelurahan(
        &demo,
        &["ekspor", "register", "--keluar", first.to_str().unwrap()],
    );
    assert!(out.status.success());

    let a = sheet(first.to_str().unwrap(), "Register");
    let n = a.len() as u64 - 1;
    assert!(n > 250, "the demo's register");

    let ws = Ws::init();
    let got = ws.json(&["impor", first.to_str().unwrap()]);
    let j = &got["jumlah"];
    assert_eq!(j["diimpor"], n);
    assert_eq!(j["ditolak"], 0);
    assert_eq!(j["ditandai"], 0);
    assert_eq!(j["dilewati"], 0);
    let skipped: Vec<&str> = got["berkas"][0]["lembar"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|l| l["dilewati"].as_str())
        .collect();
    assert_eq!(
        skipped,
        ["bukan_register", "bukan_register"],
        "Berkas and Riwayat"
    );

    let second = tmp.path().join("kedua.xlsx");
    ws.ok(&["ekspor", "register", "--keluar", second.to_str().unwrap()]);
    let b = sheet(second.to_str().unwrap(), "Register");
    assert_eq!(a, b, "the same register, number for number");

    // Importing it again adds nothing.
    let again = ws.json(&["impor", first.to_str().unwrap()]);
    assert_eq!(again["jumlah"]["ganda"], n);
    assert_eq!(count(&ws) as u64, n);

    // A letter issued now takes the number after the imported ones of its year.
    let p = ws.baru("Siti Aminah");
    let id = p["nomor_register"].as_str().unwrap().to_string();
    let p = crate::letters::issue(&ws, &id, &[]);
    let nomor = p["surat"]["nomor"].as_str().unwrap();
    let year = nomor.rsplit('/').next().unwrap();
    let max = a[1..]
        .iter()
        .filter(|r| r[13].ends_with(&format!("/{year}")))
        .map(|r| r[13].split('/').nth(1).unwrap().parse::<u32>().unwrap())
        .max()
        .unwrap_or(0);
    assert!(max > 0, "the demo issued letters this year");
    let urut: u32 = nomor.split('/').nth(1).unwrap().parse().unwrap();
    assert_eq!(urut, max + 1, "{nomor}");
}

#[test]
fn a_register_number_already_taken_gets_the_next_one_and_is_flagged() {
    let ws = Ws::init();
    // The office began typing 2023 into the program before importing 2023's book.
    let p = ws.json(&crate::with_identity(&[
        "permohonan",
        "baru",
        "--jenis",
        "sk-domisili",
        "--nama",
        "Pemohon Baru",
        "--nik",
        crate::NIK_P,
        "--tanggal",
        "2023-03-01",
    ]));
    assert_eq!(p["nomor_register"], "0001/2023");
    let report = ws.dir.join("laporan.xlsx");
    let got = ws.json(&[
        "impor",
        "--laporan",
        report.to_str().unwrap(),
        &fixture("register-2023.xlsx"),
    ]);
    assert_eq!(got["jumlah"]["diimpor"], 16);
    assert_eq!(
        got["jumlah"]["ditandai_per_alasan"]["nomor_register_terpakai"],
        1
    );
    let flagged = got["baris"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["kode"] == "nomor_register_terpakai")
        .unwrap();
    assert_eq!(
        (flagged["lembar"].as_str(), flagged["baris"].as_u64()),
        (Some("Jan 2023"), Some(2))
    );
    // The next free number after every number the file holds.
    assert_eq!(flagged["nomor_register"], "0021/2023");
    let moved = ws.json(&["permohonan", "lihat", "0021/2023"]);
    assert_eq!(moved["nama"], "BUDI SANTOSO");
    assert_eq!(
        ws.json(&["permohonan", "lihat", "0001/2023"])["nama"],
        "Pemohon Baru"
    );

    // The report shows the row's own cells, read back from the file.
    let rows = sheet(report.to_str().unwrap(), "Baris");
    let line = rows
        .iter()
        .find(|r| r[4] == "nomor_register_terpakai")
        .unwrap();
    let a = rows[0].iter().position(|c| c == "Kolom A").unwrap();
    let c = rows[0].iter().position(|c| c == "Kolom C").unwrap();
    assert_eq!(line[a], "0001/2023");
    assert_eq!(line[c], "BUDI SANTOSO");
    assert!(line[5].contains("0021/2023"), "{}", line[5]);

    // An imported request shows its old letter, and says there is no PDF to print.
    let shown = ws.ok(&["permohonan", "lihat", "0021/2023"]);
    assert!(
        shown.contains("Surat (dari register lama, tanpa PDF)"),
        "{shown}"
    );
    assert!(shown.contains("400.12.3.2/001/RWS/I/2023"), "{shown}");
    let err = ws.fails(1, &["surat", "0021/2023"]);
    assert!(err.contains("terbit sebelum program dipakai"), "{err}");
}

/// The importer applies the counter's text rule per row: a line break typed in a cell is a
/// space, but an escape character, a name of invisible characters or one of 10,000
/// letters refuses the row with its reason code, and the rest import.
#[test]
fn rows_with_text_a_letter_cannot_show_are_refused_with_a_reason() {
    let ws = Ws::init();
    let tmp = tempfile::TempDir::new().unwrap();
    let file = tmp.path().join("register-teks.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let sheet = wb.add_worksheet();
    let header = ["No", "Tanggal", "Nama", "NIK", "Alamat", "Jenis Surat"];
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    let long = "A".repeat(10_000);
    let rows: [(&str, &str); 5] = [
        ("Siti\nAminah", "Jl. Lingkar Barat I"),
        ("Budi Santoso", "Jl. Kapten\u{1b}[2J Pattimura"),
        ("\u{200B}\u{200B}", "Jl. Sumatera"),
        (&long, "Jl. Sumatera"),
        ("Rahmat Hidayat", "Jl. Jawa"),
    ];
    for (i, (nama, alamat)) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        sheet.write_number(r, 0, r as f64).unwrap();
        sheet
            .write_string(r, 1, format!("{:02}-03-2024", r + 1))
            .unwrap();
        sheet.write_string(r, 2, *nama).unwrap();
        sheet.write_string(r, 3, crate::NIK_P).unwrap();
        sheet.write_string(r, 4, *alamat).unwrap();
        sheet.write_string(r, 5, "SKTM").unwrap();
    }
    wb.save(&file).unwrap();
    let out = kelurahan(
        &ws.dir,
        &["impor", file.to_str().unwrap(), "--format", "json"],
    );
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
    assert_eq!(v["jumlah"]["diimpor"], 2, "{v}");
    assert_eq!(
        v["jumlah"]["ditolak_per_alasan"]["teks_tidak_sah"], 3,
        "{v}"
    );
    let names: Vec<String> = ws
        .snapshot()
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["nama"].as_str().unwrap().to_string())
        .collect();
    assert!(names.contains(&"Siti Aminah".to_string()), "{names:?}");
}

/// Runs `impor` on `file`, watching the child's peak memory (VmHWM) while it runs.
fn impor_watched(ws: &Ws, file: &std::path::Path) -> (std::process::Output, u64) {
    let mut child = crate::bin()
        .arg("--dir")
        .arg(&ws.dir)
        .args(["impor", file.to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0u64;
    while child.try_wait().unwrap().is_none() {
        if let Ok(s) = std::fs::read_to_string(&status_file)
            && let Some(l) = s.lines().find(|l| l.starts_with("VmHWM:"))
        {
            let kb: u64 = l
                .split_whitespace()
                .nth(1)
                .unwrap_or("0")
                .parse()
                .unwrap_or(0);
            peak_kb = peak_kb.max(kb);
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    (child.wait_with_output().unwrap(), peak_kb)
}

/// No spreadsheet can kill the program: a sheet with one cell at A1 and one at
/// XFD1048576 (a grid of 2^34 cells if sized by its span), and a zip bomb whose sheet
/// unpacks to 300 MB, are refused whole, in words, well under 500 MB.
#[test]
fn a_sparse_sheet_and_a_zip_bomb_are_refused_without_eating_memory() {
    use std::io::Write;
    let ws = Ws::init();
    let tmp = tempfile::TempDir::new().unwrap();

    let sparse = tmp.path().join("jarang.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let sheet = wb.add_worksheet();
    sheet.write_string(0, 0, "Nama").unwrap();
    sheet.write_string(1_048_575, 16_383, "x").unwrap();
    wb.save(&sparse).unwrap();
    let said = |out: &std::process::Output| {
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    };
    let (out, peak_kb) = impor_watched(&ws, &sparse);
    let err = said(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("XFD1048576") && err.contains("jauh di luar"),
        "{err}"
    );
    assert!(peak_kb < 500 * 1024, "peak {peak_kb} kB");
    println!("sparse sheet refused, peak {peak_kb} kB");

    // A valid workbook whose sheet is replaced by 300 MB of blanks, deflated to a few
    // hundred KB: made here, never committed.
    let valid = tmp.path().join("sah.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet().write_string(0, 0, "Nama").unwrap();
    wb.save(&valid).unwrap();
    let bomb = tmp.path().join("bom.xlsx");
    {
        let mut src = zip::ZipArchive::new(std::fs::File::open(&valid).unwrap()).unwrap();
        let mut dst = zip::ZipWriter::new(std::fs::File::create(&bomb).unwrap());
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for i in 0..src.len() {
            let e = src.by_index(i).unwrap();
            let name = e.name().unwrap().into_owned();
            if name == "xl/worksheets/sheet1.xml" {
                drop(e);
                dst.start_file(name.as_str(), opts).unwrap();
                dst.write_all(b"<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>").unwrap();
                let blanks = vec![b' '; 1 << 20];
                for _ in 0..300 {
                    dst.write_all(&blanks).unwrap();
                }
                dst.write_all(b"</sheetData></worksheet>").unwrap();
            } else {
                dst.raw_copy_file(e).unwrap();
            }
        }
        dst.finish().unwrap();
    }
    assert!(std::fs::metadata(&bomb).unwrap().len() < 5 * 1024 * 1024);
    let (out, peak_kb) = impor_watched(&ws, &bomb);
    let err = said(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("terlalu besar setelah dibuka"), "{err}");
    assert!(peak_kb < 500 * 1024, "peak {peak_kb} kB");
    println!("zip bomb refused, peak {peak_kb} kB");
    assert_eq!(ws.snapshot(), serde_json::json!([]), "nothing imported");
}

/// An Excel 97-2003 workbook made here byte by byte (an OLE compound file holding a
/// BIFF8 `Workbook` stream with one sheet `Register`), text in every given cell.
pub fn xls_with(cells: &[(u16, u16, &str)]) -> Vec<u8> {
    fn rec(out: &mut Vec<u8>, typ: u16, data: &[u8]) {
        out.extend_from_slice(&typ.to_le_bytes());
        out.extend_from_slice(&(data.len() as u16).to_le_bytes());
        out.extend_from_slice(data);
    }
    let bof = |dt: u16| {
        let mut d = vec![0u8; 16];
        d[0..2].copy_from_slice(&0x0600u16.to_le_bytes());
        d[2..4].copy_from_slice(&dt.to_le_bytes());
        d
    };
    let name = "Register";
    let mut globals = Vec::new();
    rec(&mut globals, 0x0809, &bof(0x0005));
    rec(&mut globals, 0x0042, &1200u16.to_le_bytes());
    // Padding the stream past 4096 bytes keeps it out of the mini stream.
    rec(&mut globals, 0x00EB, &vec![0u8; 4200]);
    let boundsheet_at = globals.len();
    let mut bs = vec![0u8; 6];
    bs.extend_from_slice(&[name.len() as u8, 0]);
    bs.extend_from_slice(name.as_bytes());
    rec(&mut globals, 0x0085, &bs);
    rec(&mut globals, 0x000A, &[]);
    let sheet_at = globals.len() as u32;
    globals[boundsheet_at + 4..boundsheet_at + 8].copy_from_slice(&sheet_at.to_le_bytes());
    let mut s = globals;
    rec(&mut s, 0x0809, &bof(0x0010));
    let (rows, cols) = cells.iter().fold((0u32, 0u16), |(r, c), x| {
        (r.max(x.0 as u32 + 1), c.max(x.1 + 1))
    });
    let mut dim = Vec::new();
    dim.extend_from_slice(&0u32.to_le_bytes());
    dim.extend_from_slice(&rows.to_le_bytes());
    dim.extend_from_slice(&0u16.to_le_bytes());
    dim.extend_from_slice(&cols.to_le_bytes());
    dim.extend_from_slice(&0u16.to_le_bytes());
    rec(&mut s, 0x0200, &dim);
    for (r, c, text) in cells {
        let mut d = Vec::new();
        d.extend_from_slice(&r.to_le_bytes());
        d.extend_from_slice(&c.to_le_bytes());
        d.extend_from_slice(&0u16.to_le_bytes());
        d.extend_from_slice(&(text.len() as u16).to_le_bytes());
        d.push(0);
        d.extend_from_slice(text.as_bytes());
        rec(&mut s, 0x0204, &d);
    }
    rec(&mut s, 0x000A, &[]);

    // The container: header, one FAT sector (0), the directory (1), the stream (2..).
    let sectors = s.len().div_ceil(512);
    assert!(sectors + 2 <= 128, "one FAT sector");
    let mut file = vec![0u8; 512];
    file[0..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    let put16 =
        |f: &mut Vec<u8>, at: usize, v: u16| f[at..at + 2].copy_from_slice(&v.to_le_bytes());
    let put32 =
        |f: &mut Vec<u8>, at: usize, v: u32| f[at..at + 4].copy_from_slice(&v.to_le_bytes());
    put16(&mut file, 0x18, 0x003E);
    put16(&mut file, 0x1A, 3);
    put16(&mut file, 0x1C, 0xFFFE);
    put16(&mut file, 0x1E, 9);
    put16(&mut file, 0x20, 6);
    put32(&mut file, 0x2C, 1);
    put32(&mut file, 0x30, 1);
    put32(&mut file, 0x38, 4096);
    put32(&mut file, 0x3C, 0xFFFF_FFFE);
    put32(&mut file, 0x44, 0xFFFF_FFFE);
    put32(&mut file, 0x4C, 0);
    for i in 1..109 {
        put32(&mut file, 0x4C + i * 4, 0xFFFF_FFFF);
    }
    let mut fat = vec![0xFFFF_FFFFu32; 128];
    fat[0] = 0xFFFF_FFFD;
    fat[1] = 0xFFFF_FFFE;
    for i in 0..sectors {
        fat[2 + i] = if i + 1 == sectors {
            0xFFFF_FFFE
        } else {
            (3 + i) as u32
        };
    }
    file.extend(fat.iter().flat_map(|v| v.to_le_bytes()));
    let entry = |name: &str, typ: u8, child: u32, start: u32, size: u32| {
        let mut e = vec![0u8; 128];
        let units: Vec<u16> = name.encode_utf16().collect();
        for (i, u) in units.iter().enumerate() {
            e[i * 2..i * 2 + 2].copy_from_slice(&u.to_le_bytes());
        }
        e[64..66].copy_from_slice(&(((units.len() + 1) * 2) as u16).to_le_bytes());
        e[66] = typ;
        e[67] = 1;
        e[68..72].copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
        e[72..76].copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
        e[76..80].copy_from_slice(&child.to_le_bytes());
        e[116..120].copy_from_slice(&start.to_le_bytes());
        e[120..124].copy_from_slice(&size.to_le_bytes());
        e
    };
    file.extend(entry("Root Entry", 5, 1, 0xFFFF_FFFE, 0));
    file.extend(entry("Workbook", 2, 0xFFFF_FFFF, 2, s.len() as u32));
    file.extend(vec![0u8; 256]);
    s.resize(sectors * 512, 0);
    file.extend(s);
    file
}

/// An Excel 97-2003 file is read whole by calamine as it opens: one cell at A1 and one
/// at IV65536 (the last cell an .xls has) would make a grid of 16.7 million cells, a
/// gigabyte. Refused by its span before calamine sees it; a small one made the same way
/// imports.
#[test]
fn a_sparse_xls_is_refused_without_eating_memory_and_a_small_one_imports() {
    let ws = Ws::init();
    let tmp = tempfile::TempDir::new().unwrap();
    let header: [(u16, u16, &str); 5] = [
        (0, 0, "No"),
        (0, 1, "Tanggal"),
        (0, 2, "Nama"),
        (0, 3, "NIK"),
        (0, 4, "Jenis Surat"),
    ];
    let mut small = header.to_vec();
    small.extend([
        (1, 0, "1"),
        (1, 1, "2022-01-05"),
        (1, 2, "Siti Aminah"),
        (1, 3, crate::NIK_P),
        (1, 4, "SKTM"),
    ]);
    let ok = tmp.path().join("kecil.xls");
    std::fs::write(&ok, xls_with(&small)).unwrap();
    let v = ws.json(&["impor", ok.to_str().unwrap(), "--uji"]);
    assert_eq!(v["jumlah"]["dibaca"], 1, "{v}");
    assert_eq!(v["jumlah"]["diimpor"], 1, "{v}");

    let mut sparse = header.to_vec();
    sparse.push((65535, 255, "x"));
    let far = tmp.path().join("jarang.xls");
    std::fs::write(&far, xls_with(&sparse)).unwrap();
    let (out, peak_kb) = impor_watched(&ws, &far);
    let err = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("lembar Register memakai sel sampai IV65536") && err.contains("jauh di luar"),
        "{err}"
    );
    assert!(peak_kb < 500 * 1024, "peak {peak_kb} kB");
    println!("sparse xls refused, peak {peak_kb} kB");
    assert_eq!(ws.snapshot(), serde_json::json!([]), "nothing imported");
}

/// The size check reads a real Excel 97-2003 file (written by another program) through:
/// every sheet counted, the widest named.
#[test]
fn the_xls_size_check_reads_a_real_workbook() {
    let bytes = std::fs::read(fixture("register-2022.xls")).unwrap();
    let l = kelurahan::paper::import::xls::luas(&bytes)
        .expect("an OLE file")
        .expect("readable");
    // Its widest sheet, Januari, reaches H41.
    assert_eq!(l.lembar, "Januari", "{l:?}");
    assert_eq!(l.terjauh, Some((40, 7)), "{l:?}");
    assert!(l.sel > 328 && l.sel < 1_000, "{l:?}");
    assert!(kelurahan::paper::import::xls::luas(b"not an OLE file").is_none());
    let mut cut = bytes.clone();
    cut.truncate(600);
    assert!(kelurahan::paper::import::xls::luas(&cut).unwrap().is_err());
}

/// Registers as offices keep them, made with xlwt, openpyxl and LibreOffice
/// (`register-kantor.*`): the everyday spellings of letter types and status words are
/// understood and the old label is kept, a totals label merged across the row is
/// skipped, a NIK of spaces, an apostrophe or invisible characters is "NIK kosong", a
/// NIK stored as a number is still checked (birth month 13 is refused), text a letter
/// cannot print is refused, and an unknown type gets the closest catalog type and the
/// line to add to peta-impor.toml, in the output and in the error workbook.
#[test]
fn an_offices_register_imports_with_only_the_truly_wrong_rows_refused() {
    let h = harapan();
    let kantor = h["kantor"].as_object().unwrap();
    assert_eq!(kantor.len(), 3);
    for (name, want) in kantor {
        let ws = Ws::init();
        let dry = ws.json(&["impor", &fixture(name), "--uji"]);
        assert_eq!(count(&ws), 0, "{name}: the dry run wrote nothing");
        let laporan = ws.dir.join("laporan-impor.xlsx");
        let got = ws.json(&[
            "impor",
            &fixture(name),
            "--laporan",
            laporan.to_str().unwrap(),
        ]);
        assert_eq!(
            totals(&dry),
            totals(&got),
            "{name}: the dry run said the same"
        );
        assert_eq!(totals(&got), want["totals"], "{name}");
        assert_rows_noted(name, want, &dry);
        assert_rows_noted(name, want, &got);

        // What was imported: the catalog type, and the old book's own words for it.
        let snapshot = ws.snapshot();
        let imported = snapshot.as_array().unwrap();
        let mut n = 0;
        for r in want["rows"].as_array().unwrap() {
            if r["hasil"] != "impor" {
                continue;
            }
            n += 1;
            let p = imported
                .iter()
                .find(|p| p["nik"] == r["nik"] && p["tanggal"] == r["tanggal"])
                .unwrap_or_else(|| panic!("{name}: {} not imported", r["nik"]));
            assert_eq!(p["jenis"], r["jenis"], "{name} {}", r["row"]);
            assert_eq!(p["jenis_asal"], r["jenis_asal"], "{name} {}", r["row"]);
            assert_eq!(p["nama"], r["nama"], "{name} {}", r["row"]);
        }
        assert_eq!(imported.len(), n, "{name}");

        // An unknown type: the closest one and the line for peta-impor.toml.
        let saran: BTreeMap<String, Value> = got["saran_peta"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| (s["tertulis"].as_str().unwrap().to_string(), s.clone()))
            .collect();
        let want_saran = want["saran_peta"].as_object().unwrap();
        assert_eq!(saran.len(), want_saran.len(), "{name}: {saran:?}");
        for (tertulis, kode) in want_saran {
            let s = &saran[tertulis];
            assert_eq!(&s["kode"], kode, "{name} {tertulis}");
            let line = format!("{} = [\"{tertulis}\"]", kode.as_str().unwrap_or("KODE"));
            assert_eq!(s["baris"], line.as_str(), "{name}");
        }
        let sheet = sheet(laporan.to_str().unwrap(), "Saran peta");
        let lines: Vec<&str> = sheet.iter().skip(3).map(|r| r[4].as_str()).collect();
        assert!(
            lines.contains(&"sk-domisili-usaha = [\"Ket. Domisilii Usha\"]"),
            "{name}: {sheet:?}"
        );
        let rejected = sheet_rows_with(laporan.to_str().unwrap(), "jenis_tidak_dikenal");
        assert!(
            rejected
                .iter()
                .any(|a| a.contains("paling mirip: Surat Keterangan Domisili Usaha")),
            "{name}: {rejected:?}"
        );

        // Text output names the suggestion too.
        let out = kelurahan(&ws.dir, &["impor", &fixture(name), "--uji"]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("sk-domisili-usaha = [\"Ket. Domisilii Usha\"]"),
            "{text}"
        );

        // Again: every imported row is now a duplicate, nothing new is written.
        let again = ws.json(&["impor", &fixture(name)]);
        assert_eq!(again["jumlah"]["diimpor"], 0, "{name}");
        assert_eq!(
            again["jumlah"]["ganda"].as_u64().unwrap(),
            n as u64,
            "{name}"
        );
        assert_eq!(count(&ws), n as i64, "{name}");
    }
}

/// The reasons ("Alasan") of the error workbook's rows with reason code `kode`.
fn sheet_rows_with(path: &str, kode: &str) -> Vec<String> {
    sheet(path, "Baris")
        .into_iter()
        .filter(|r| r[4] == kode)
        .map(|r| r[5].clone())
        .collect()
}

/// A register of 6,000 rows whose sheet XML breaks at row 5,000: calamine has handed
/// the rows before it on (the import reads in blocks while it writes) when it finds the
/// break, and the file is still refused whole, beside a good file that stays imported.
#[test]
fn a_file_broken_after_thousands_of_rows_is_taken_out_whole() {
    use std::io::{Read, Write};
    let tmp = tempfile::TempDir::new().unwrap();
    let valid = tmp.path().join("sah.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let sheet = wb.add_worksheet();
    sheet.set_name("Register").unwrap();
    let header = [
        "No",
        "Tgl Masuk",
        "Nama Pemohon",
        "NIK",
        "Alamat",
        "Jenis Surat",
    ];
    for (c, h) in header.iter().enumerate() {
        sheet.write(0, c as u16, *h).unwrap();
    }
    for r in 1..=6000u32 {
        sheet.write(r, 0, f64::from(r)).unwrap();
        sheet.write(r, 1, "05-01-2025").unwrap();
        sheet.write(r, 2, format!("Pemohon {r}")).unwrap();
        sheet
            .write(r, 3, format!("1571091203880{:03}", r % 1000))
            .unwrap();
        sheet.write(r, 4, format!("Jl. Sumatera No. {r}")).unwrap();
        sheet
            .write(r, 5, if r % 2 == 0 { "SKTM" } else { "Domisili" })
            .unwrap();
    }
    wb.save(&valid).unwrap();
    let broken = tmp.path().join("rusak-di-tengah.xlsx");
    {
        let mut src = zip::ZipArchive::new(std::fs::File::open(&valid).unwrap()).unwrap();
        let mut dst = zip::ZipWriter::new(std::fs::File::create(&broken).unwrap());
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for i in 0..src.len() {
            let mut e = src.by_index(i).unwrap();
            let name = e.name().unwrap().into_owned();
            if name == "xl/worksheets/sheet1.xml" {
                let mut xml = String::new();
                e.read_to_string(&mut xml).unwrap();
                let at = xml.find("<row r=\"5001\"").expect("row 5001");
                xml.insert_str(at, "<row r=\"5000\"><c r=\"A5000\"><v>1</x></c></row>");
                drop(e);
                dst.start_file(name.as_str(), opts).unwrap();
                dst.write_all(xml.as_bytes()).unwrap();
            } else {
                dst.raw_copy_file(e).unwrap();
            }
        }
        dst.finish().unwrap();
    }
    let ws = Ws::init();
    let good = fixture("register-2024.ods");
    let out = ws.run(&[
        "impor",
        "--uji",
        "--format",
        "json",
        &good,
        broken.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let dry: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(dry["berkas"][1]["status"], "ditolak", "{dry}");
    assert_eq!(dry["berkas"][0]["jumlah"]["diimpor"], 6, "{dry}");
    assert_eq!(count(&ws), 0, "a dry run writes nothing");

    let out = ws.run(&["impor", &good, broken.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("rusak-di-tengah.xlsx: DITOLAK UTUH")
            && stdout.contains("tidak dapat dibaca utuh"),
        "{stdout}"
    );
    assert_eq!(count(&ws), 6, "only the good file's rows");
    // Nothing of the broken file reached the residents either.
    let residents: i64 = ws
        .db()
        .query_row(
            "SELECT COUNT(*) FROM penduduk WHERE nik LIKE '1571091203880%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(residents, 0);
}
