//! Letters: issued at stage 4 with a number, rendered by the embedded Typst, read back,
//! printed again byte for byte, voided, verified.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::{NIK_L, NIK_P, Ws};

/// The PDF's text, whitespace collapsed, as a reader would copy it.
pub fn pdf_text(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let text = pdf_extract::extract_text_from_mem(&bytes).expect("readable PDF");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Width and height of the first page, in millimetres.
pub fn page_mm(path: &Path) -> (f64, f64) {
    let doc = lopdf::Document::load(path).expect("PDF");
    let (_, page) = doc.get_pages().into_iter().next().expect("a page");
    let dict = doc.get_dictionary(page).unwrap();
    let mb = dict.get(b"MediaBox").unwrap().as_array().unwrap();
    let n = |o: &lopdf::Object| {
        o.as_float()
            .map(f64::from)
            .or_else(|_| o.as_i64().map(|i| i as f64))
            .unwrap()
    };
    let pt = 25.4 / 72.0;
    ((n(&mb[2]) - n(&mb[0])) * pt, (n(&mb[3]) - n(&mb[1])) * pt)
}

const BULAN: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];

fn tanggal_id(iso: &str) -> String {
    let parts: Vec<u32> = iso.split('-').map(|p| p.parse().unwrap()).collect();
    format!("{} {} {}", parts[2], BULAN[parts[1] as usize - 1], parts[0])
}

/// Moves request `id` from `diajukan` (papers complete) to stage 4; returns `lanjut`'s JSON.
pub fn issue(ws: &Ws, id: &str, extra: &[&str]) -> Value {
    ws.to_koordinator(id);
    let mut args = vec![
        "permohonan",
        "lanjut",
        id,
        "--peran",
        "koordinator",
        "--oleh",
        "Rina",
    ];
    args.extend_from_slice(extra);
    ws.json(&args)
}

fn usaha(ws: &Ws, nama: &str) -> Value {
    ws.json(&[
        "permohonan",
        "baru",
        "--jenis",
        "sk-usaha",
        "--nama",
        nama,
        "--nik",
        NIK_P,
        "--rt",
        "9",
        "--alamat",
        "Jl. Kapten Pattimura No. 12",
        "--berkas",
        "pengantar-rt,kk-ktp,pbb",
        "--isian",
        "nama_usaha=Warung Berkah",
        "jenis_usaha=Kuliner",
        "alamat_usaha=Jl. Aroepala No. 3",
        "mulai_usaha=2019",
        "tempat_lahir=Jambi",
        "agama=Islam",
        "pekerjaan=Pedagang",
        "status_perkawinan=Kawin",
        "--rw",
        "3",
    ])
}

#[test]
fn a_letter_is_issued_printed_again_voided_and_verified() {
    let ws = Ws::init();
    let nama = "Ṣiti Nur'aini #panic(\"x\") ]*_$\\ 😀";
    usaha(&ws, nama);
    let p = issue(&ws, "1", &[]);
    assert_eq!(p["tahap"], "ditindaklanjuti");
    let s = &p["surat"];
    let nomor = s["nomor"].as_str().unwrap();
    let tanggal = s["tanggal"].as_str().unwrap();
    let (y, m) = (&tanggal[0..4], tanggal[5..7].parse::<usize>().unwrap());
    const ROMAWI: [&str; 12] = [
        "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII",
    ];
    assert_eq!(nomor, format!("500.2.2.4/001/RWS/{}/{y}", ROMAWI[m - 1]));

    // The file: under output/surat/YYYY/MM/, named by its number, owner-only.
    let file = ws.dir.join(s["berkas"].as_str().unwrap());
    assert_eq!(
        file.parent().unwrap(),
        ws.dir.join(format!("output/surat/{y}/{:02}", m))
    );
    let name = file.file_name().unwrap().to_string_lossy().to_string();
    assert_eq!(name, format!("500.2.2.4-001-RWS-{}-{y}.pdf", ROMAWI[m - 1]));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0);
    }

    // What it says, read back from the PDF.
    let text = pdf_text(&file);
    for expected in [
        "KELURAHAN RAWASARI",
        "SURAT KETERANGAN USAHA",
        &format!("Nomor: {nomor}"),
        nama,
        NIK_P,
        "Jambi, 5 Juni 1990",
        "Perempuan",
        "Warung Berkah",
        &format!("Jambi, {}", tanggal_id(tanggal)),
        "Lurah Rawasari,",
        "H. Zulkarnain, S.Sos., M.Si.",
        "NIP. 19670619 199006 1 001",
        s["kode_verifikasi"].as_str().unwrap(),
    ] {
        assert!(
            text.contains(expected),
            "«{expected}» missing from:\n{text}"
        );
    }
    let (w, h) = page_mm(&file);
    assert!(
        (w - 215.0).abs() < 0.5 && (h - 330.0).abs() < 0.5,
        "F4 expected, got {w}x{h}"
    );

    // Printed again: the same bytes, from the file or rendered anew from the register.
    let original = std::fs::read(&file).unwrap();
    let again = ws.dir.join("lagi.pdf");
    ws.ok(&["surat", "1", "--keluar", again.to_str().unwrap()]);
    assert_eq!(std::fs::read(&again).unwrap(), original);
    std::fs::remove_file(&file).unwrap();
    ws.ok(&["surat", "0001/2026".replace("2026", y).as_str()]);
    assert_eq!(
        std::fs::read(&file).unwrap(),
        original,
        "re-rendered letter differs"
    );

    // Verified by file and by code.
    let out = ws.ok(&["verifikasi", again.to_str().unwrap()]);
    assert!(out.contains("SAH") && out.contains(nomor), "{out}");
    let code = s["kode_verifikasi"].as_str().unwrap();
    let v = ws.json(&[
        "verifikasi",
        "--kode",
        &code.to_lowercase().replace('-', " "),
    ]);
    assert_eq!(v["sah"], true);
    assert_eq!(v["nomor"], nomor);
    assert!(!v.to_string().contains(NIK_P), "no NIK in a verification");
    let mut tampered = original.clone();
    tampered.extend_from_slice(b"\n%");
    let bad = ws.dir.join("ubah.pdf");
    std::fs::write(&bad, tampered).unwrap();
    // An unknown file or code prints the verdict and exits 1.
    let out = ws.run(&["verifikasi", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("TIDAK DIKENAL"));
    let out = ws.run(&["verifikasi", "--kode", "2222-3333-4444"]);
    assert_eq!(out.status.code(), Some(1));

    // Voided: the number stays taken, the code says void, the reprint says BATAL.
    let err = ws.fails(
        1,
        &["surat", "batal", "1", "--alasan", " ", "--oleh", "Rina"],
    );
    assert!(err.contains("alasan"), "{err}");
    ws.ok(&[
        "surat",
        "batal",
        "1",
        "--alasan",
        "Salah nama usaha",
        "--oleh",
        "Rina",
    ]);
    let err = ws.fails(
        1,
        &["surat", "batal", "1", "--alasan", "lagi", "--oleh", "Rina"],
    );
    assert!(err.contains("sudah dibatalkan"), "{err}");
    let v = ws.run(&["verifikasi", "--kode", code, "--format", "json"]);
    assert_eq!(v.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&v.stdout).unwrap();
    assert_eq!(v["sah"], false);
    assert!(
        v["dibatalkan"]
            .as_str()
            .unwrap()
            .contains("Salah nama usaha")
    );
    ws.ok(&["surat", "1"]);
    let void_file = PathBuf::from(file.to_string_lossy().replace(".pdf", "-BATAL.pdf"));
    assert!(pdf_text(&void_file).contains("BATAL"));

    usaha(&ws, "Budi Santoso");
    let p2 = issue(&ws, "2", &[]);
    assert!(
        p2["surat"]["nomor"]
            .as_str()
            .unwrap()
            .starts_with("500.2.2.4/002/")
    );
}

#[test]
fn a4_paper_and_the_seklur_signing_for_the_lurah() {
    let ws = Ws::init();
    let profile = ws.dir.join("kelurahan.toml");
    let text = std::fs::read_to_string(&profile)
        .unwrap()
        .replace("kertas = \"f4\"", "kertas = \"a4\"");
    std::fs::write(&profile, text).unwrap();
    ws.baru("Siti Aminah");
    let p = issue(&ws, "1", &["--penanda-tangan", "seklur"]);
    let file = ws.dir.join(p["surat"]["berkas"].as_str().unwrap());
    let text = pdf_text(&file);
    for expected in [
        "SURAT KETERANGAN DOMISILI",
        "a.n. LURAH RAWASARI",
        // The opening names the signer, on the Lurah's behalf.
        "Yang bertanda tangan di bawah ini, Sekretaris Lurah Rawasari, atas nama Lurah Rawasari Kecamatan Alam Barajo Kota Jambi, dengan ini menerangkan bahwa:",
        "Sekretaris Lurah,",
        "Hj. Nurhayati, S.E.",
        "NIP. 19750312 200212 2 004",
    ] {
        assert!(
            text.contains(expected),
            "«{expected}» missing from:\n{text}"
        );
    }
    let (w, h) = page_mm(&file);
    assert!(
        (w - 210.0).abs() < 0.5 && (h - 297.0).abs() < 0.5,
        "A4 expected, got {w}x{h}"
    );
}

#[test]
fn a_broken_workspace_template_is_named_and_issues_nothing() {
    let ws = Ws::init();
    ws.baru("Siti Aminah");
    for peran in ["operator", "kasi"] {
        ws.ok(&[
            "permohonan",
            "lanjut",
            "1",
            "--peran",
            peran,
            "--oleh",
            "Petugas",
        ]);
    }
    let dir = ws.dir.join("typst-templates/surat");
    std::fs::create_dir_all(&dir).unwrap();
    let broken = dir.join("sk-domisili.typ");
    std::fs::write(&broken, "#import \"/lib/umum.typ\": *\n#let data = json(\"/data.json\")\n#surat-keterangan(data)[#data.tidak_ada]\n").unwrap();
    let before = ws.snapshot();
    let err = ws.fails(
        1,
        &[
            "permohonan",
            "lanjut",
            "1",
            "--peran",
            "koordinator",
            "--oleh",
            "Rina",
        ],
    );
    assert!(err.contains(&format!("{}:3:", broken.display())), "{err}");
    assert!(err.contains("tidak_ada"), "{err}");
    assert_eq!(ws.snapshot(), before, "nothing issued");
    assert!(
        !ws.dir.join("output/surat").exists()
            || std::fs::read_dir(ws.dir.join("output/surat"))
                .unwrap()
                .next()
                .is_none()
    );

    std::fs::remove_file(&broken).unwrap();
    let p = ws.json(&[
        "permohonan",
        "lanjut",
        "1",
        "--peran",
        "koordinator",
        "--oleh",
        "Rina",
    ]);
    assert!(
        p["surat"]["nomor"]
            .as_str()
            .unwrap()
            .starts_with("400.12.2.1/001/"),
        "no gap after a failure"
    );
}

#[test]
fn two_processes_issue_letters_at_once() {
    let ws = Ws::init();
    let n = 24;
    for i in 1..=n {
        ws.baru(&format!("Pemohon {i}"));
        for peran in ["operator", "kasi"] {
            ws.ok(&[
                "permohonan",
                "lanjut",
                &i.to_string(),
                "--peran",
                peran,
                "--oleh",
                "Petugas",
            ]);
        }
    }
    let workers: Vec<_> = [0, 1]
        .into_iter()
        .map(|half| {
            let dir = ws.dir.clone();
            std::thread::spawn(move || {
                for i in (1..=n).filter(|i| i % 2 == half) {
                    let out = crate::kelurahan(
                        &dir,
                        &[
                            "permohonan",
                            "lanjut",
                            &i.to_string(),
                            "--peran",
                            "koordinator",
                            "--oleh",
                            "Rina",
                        ],
                    );
                    assert!(
                        out.status.success(),
                        "{}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    let db = ws.db();
    let mut st = db.prepare("SELECT urut FROM surat").unwrap();
    let mut urut: Vec<u32> = st
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    urut.sort();
    assert_eq!(
        urut,
        (1..=n).collect::<Vec<u32>>(),
        "numbers distinct and without gaps"
    );
}

#[test]
fn blank_forms_print_and_fill() {
    let ws = Ws::init();
    let out = ws.json(&["blanko", "--semua"]);
    let files = out.as_array().unwrap();
    let types = ws.json(&["katalog"])["jenis"].as_array().unwrap().len();
    // An application form per letter type, the receipt, the routing slip, the register,
    // and the KUA's models N2, N4, N5.
    assert_eq!(files.len(), types + 6);
    for f in files {
        let path = PathBuf::from(f["berkas"].as_str().unwrap());
        assert!(path.starts_with(ws.dir.join("output/blanko")));
        let text = pdf_text(&path);
        assert!(
            text.contains("KELURAHAN RAWASARI")
                || text.contains("BUKU REGISTER")
                || text.contains("Kepala KUA")
                || text.contains("FORMULIR PERSETUJUAN CALON PENGANTIN")
                || text.contains("FORMULIR SURAT IZIN ORANG TUA"),
            "{}: {text}",
            path.display()
        );
    }
    let nikah = pdf_text(&ws.dir.join("output/blanko/permohonan-pengantar-nikah.pdf"));
    for e in [
        "FORMULIR PERMOHONAN",
        "Nama calon pasangan",
        "Fotokopi bukti lunas PBB tahun berjalan",
        "Kewarganegaraan",
        "(bila berlaku)",
    ] {
        assert!(nikah.contains(e), "«{e}» missing from {nikah}");
    }
    assert!(
        !nikah.contains("(jika ada)") && nikah.matches("(bila berlaku)").count() == 1,
        "a conditional paper is marked once: {nikah}"
    );
    // Printing again gives the same bytes.
    let before = std::fs::read(ws.dir.join("output/blanko/tanda-terima.pdf")).unwrap();
    ws.ok(&["blanko", "tanda-terima"]);
    assert_eq!(
        std::fs::read(ws.dir.join("output/blanko/tanda-terima.pdf")).unwrap(),
        before
    );

    let p = ws.baru("Siti Aminah");
    let nomor = p["nomor_register"].as_str().unwrap();
    ws.ok(&["blanko", "tanda-terima", "1"]);
    let receipt = pdf_text(&ws.dir.join(format!(
        "output/blanko/tanda-terima-{}.pdf",
        nomor.replace('/', "-")
    )));
    assert!(
        receipt.contains(nomor) && receipt.contains("Siti Aminah"),
        "{receipt}"
    );
    assert!(
        receipt.contains("1571xxxxxxxx0003") && !receipt.contains(NIK_P),
        "receipt masks the NIK: {receipt}"
    );
    issue(&ws, "1", &[]);
    ws.ok(&["blanko", "lembar-kendali", "1"]);
    let slip = pdf_text(&ws.dir.join(format!(
        "output/blanko/lembar-kendali-{}.pdf",
        nomor.replace('/', "-")
    )));
    assert!(
        slip.contains("400.12.2.1/001/RWS/") && slip.contains("Rina"),
        "{slip}"
    );
    // Rows carry the SOP's stage numbers: 6 is the Seklur's report to the Lurah.
    assert!(
        slip.contains("6 Seklur") && slip.contains("Melaporkan hasil kepada Lurah"),
        "{slip}"
    );

    // A refused request: the receipt and the slip say refused, when, by whom and why,
    // and the receipt no longer promises a letter.
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
        "Berkas tidak lengkap: Fotokopi KK",
    ]);
    ws.ok(&["blanko", "tanda-terima", "2"]);
    ws.ok(&["blanko", "lembar-kendali", "2"]);
    let nomor2 = ws.json(&["permohonan", "lihat", "2"])["nomor_register"]
        .as_str()
        .unwrap()
        .replace('/', "-");
    for form in ["tanda-terima", "lembar-kendali"] {
        let text = pdf_text(&ws.dir.join(format!("output/blanko/{form}-{nomor2}.pdf")));
        assert!(
            text.contains("PERMOHONAN DITOLAK")
                && text.contains("oleh Dedi (Operator)")
                && text.contains("Alasan: Berkas tidak lengkap: Fotokopi KK"),
            "{form}: {text}"
        );
        assert!(
            !text.contains("hari kerja setelah berkas lengkap"),
            "{form}: {text}"
        );
    }
}

#[test]
fn a_month_of_letters_prints_in_parallel_byte_for_byte() {
    let ws = Ws::init();
    let mut originals = Vec::new();
    for i in 1..=6 {
        ws.baru(&format!("Pemohon {i}"));
        let p = issue(&ws, &i.to_string(), &[]);
        let file = ws.dir.join(p["surat"]["berkas"].as_str().unwrap());
        originals.push((
            file.file_name().unwrap().to_owned(),
            std::fs::read(&file).unwrap(),
        ));
    }
    ws.ok(&[
        "surat",
        "batal",
        "6",
        "--alasan",
        "Salah ketik",
        "--oleh",
        "Rina",
    ]);
    let bulan = ws.json(&["permohonan", "lihat", "1"])["surat"]["tanggal"]
        .as_str()
        .unwrap()[0..7]
        .to_string();
    let out = ws.dir.join("cetak");
    let r = ws.json(&[
        "surat",
        "--bulan",
        &bulan,
        "--keluar",
        out.to_str().unwrap(),
        "--pekerja",
        "2",
    ]);
    assert_eq!(r["jumlah"], 6);
    assert_eq!(r["batal"], 1);
    for (name, bytes) in &originals[..5] {
        assert_eq!(&std::fs::read(out.join(name)).unwrap(), bytes, "{name:?}");
    }
    let void = originals[5]
        .0
        .to_string_lossy()
        .replace(".pdf", "-BATAL.pdf");
    assert!(pdf_text(&out.join(void)).contains("BATAL"));
}

/// A letter is not issued with its identity empty: a request registered while its type
/// asked less (here: a workspace catalog that required nothing) is refused at stage 4,
/// naming every empty field; `permohonan lengkapi` fills them, recording each change, and
/// the letter then prints them. Once the letter is issued, the fields no longer change.
#[test]
fn a_letter_lacking_its_identity_is_refused_until_the_fields_are_completed() {
    let ws = Ws::init();
    ws.baru_tanpa_identitas("Siti Aminah", NIK_P);
    ws.to_koordinator("1");
    let err = ws.fails(
        1,
        &[
            "permohonan",
            "lanjut",
            "1",
            "--peran",
            "koordinator",
            "--oleh",
            "Rina",
        ],
    );
    for field in [
        "Alamat (--alamat ...)",
        "RT (--rt ...)",
        "RW (--rw ...)",
        "Tempat lahir (--isian tempat_lahir=...)",
        "Agama (--isian agama=...)",
        "Pekerjaan (--isian pekerjaan=...)",
        "Status perkawinan (--isian status_perkawinan=...)",
    ] {
        assert!(err.contains(field), "«{field}» missing from: {err}");
    }
    assert!(err.contains("permohonan lengkapi 0001/"), "{err}");
    assert_eq!(
        ws.json(&["permohonan", "lihat", "1"])["tahap"],
        "diteruskan"
    );
    assert!(
        ws.ok(&["permohonan", "lihat", "1"])
            .contains("Belum dapat diterbitkan")
    );

    // A value outside the state's list is refused with the list.
    let err = ws.fails(
        1,
        &["permohonan", "lengkapi", "1", "--isian", "agama=Islma"],
    );
    assert!(err.contains("pilihan: Islam, Kristen, Katolik"), "{err}");
    let mut args = vec!["permohonan", "lengkapi", "1", "--oleh", "Dedi"];
    args.extend_from_slice(&crate::IDENTITAS);
    let done = ws.json(&args);
    let changed: Vec<&str> = done["perubahan"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kolom"].as_str().unwrap())
        .collect();
    assert!(
        changed.contains(&"alamat") && changed.contains(&"isian agama"),
        "{changed:?}"
    );
    let lihat = ws.ok(&["permohonan", "lihat", "1"]);
    assert!(
        lihat.contains("oleh Dedi: isian agama: (kosong) → Islam"),
        "{lihat}"
    );

    let p = issue_only(&ws, "1");
    let text = pdf_text(&ws.dir.join(p["surat"]["berkas"].as_str().unwrap()));
    for expected in [
        crate::ALAMAT,
        "Islam",
        "Wiraswasta",
        "Kawin",
        "WNI",
        "Jambi, 5 Juni 1990",
    ] {
        assert!(text.contains(expected), "«{expected}» missing from: {text}");
    }
    let err = ws.fails(1, &["permohonan", "lengkapi", "1", "--rt", "10"]);
    assert!(
        err.contains("hanya dapat diubah sebelum surat terbit"),
        "{err}"
    );
}

fn issue_only(ws: &Ws, id: &str) -> Value {
    ws.json(&[
        "permohonan",
        "lanjut",
        id,
        "--peran",
        "koordinator",
        "--oleh",
        "Rina",
    ])
}

/// The words for a person follow the sex their NIK gives: a woman's death is reported
/// "dari almarhumah", a man's "dari almarhum" (the other case is in
/// `katalog::every_catalog_type_prints_a_one_page_letter_with_its_own_words`).
#[test]
fn the_words_for_the_deceased_follow_the_sex_in_the_nik() {
    let ws = Ws::init();
    let mut args = vec![
        "permohonan",
        "baru",
        "--jenis",
        "pengantar-kematian",
        "--nama",
        "Rahmat Hidayat",
        "--nik",
        NIK_L,
        "--berkas",
        "pengantar-rt,kk-ktp,ktp-almarhum",
    ];
    args.extend_from_slice(&crate::IDENTITAS);
    args.extend_from_slice(&[
        "almarhum_nama=Siti Khadijah",
        // Born 5 June 1940, a woman (day + 40).
        "almarhum_nik=1571094506400003",
        "almarhum_alamat=Jl. Kapten Pattimura No. 12",
        "tanggal_meninggal=2026-06-04",
        "tempat_meninggal=Rumah",
        "hubungan_pelapor=Suami",
    ]);
    ws.ok(&args);
    let p = issue(&ws, "1", &[]);
    let text = pdf_text(&ws.dir.join(p["surat"]["berkas"].as_str().unwrap()));
    for expected in [
        "selaku suami dari almarhumah,",
        "Jenis Kelamin : Perempuan",
        // A day short of her 86th birthday.
        "Umur : 85 tahun",
        "Kamis, 4 Juni 2026",
    ] {
        assert!(
            text.contains(expected),
            "«{expected}» missing from:\n{text}"
        );
    }
    assert!(!text.contains("almarhum/almarhumah"), "{text}");
}
