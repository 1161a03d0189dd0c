//! Residents: filled from requests and imports, looked up by NIK, name or KK, corrected
//! with a history, exported for the person, and every look-up logged.

use serde_json::Value;

use crate::{NIK_L, NIK_P, Ws, kelurahan, with_identity};

pub const KK: &str = "1571090101200001";

/// Budi (head of the family) and Siti (his wife) registered with one KK; with `shdk`,
/// their relation on the KK written as well.
pub fn keluarga(ws: &Ws, shdk: bool) {
    for (nama, nik, hubungan) in [
        ("Budi Santoso", NIK_L, "Kepala Keluarga"),
        ("Siti Aminah", NIK_P, "Istri"),
    ] {
        ws.json(&with_identity(&[
            "permohonan",
            "baru",
            "--jenis",
            "sk-domisili",
            "--nama",
            nama,
            "--nik",
            nik,
            "--kk",
            KK,
            "--berkas",
            "pengantar-rt,kk-ktp",
        ]));
        if shdk {
            ws.ok(&[
                "penduduk",
                "ubah",
                nik,
                "--isian",
                &format!("shdk={hubungan}"),
            ]);
        }
    }
}

/// The first request by a resident writes them down; the second needs only the type and
/// the NIK: every field not typed is filled from the resident (and said so), a field
/// typed wins and updates the resident, and each change is in the resident's history.
#[test]
fn a_returning_applicant_is_registered_by_the_nik() {
    let ws = Ws::init();
    ws.json(&with_identity(&[
        "permohonan",
        "baru",
        "--jenis",
        "sk-domisili",
        "--nama",
        "Siti Aminah",
        "--nik",
        NIK_P,
        "--kk",
        KK,
        "--telepon",
        "0812-7000-1234",
        "--berkas",
        "pengantar-rt,kk-ktp",
    ]));
    let out = ws.ok(&[
        "permohonan",
        "baru",
        "--jenis",
        "sktm",
        "--nik",
        NIK_P,
        "--berkas",
        "pengantar-rt,kk-ktp,pernyataan-tidak-mampu",
    ]);
    assert!(
        out.contains("Diisi dari data penduduk: Nama, No. KK, Alamat, RT, RW, Telepon"),
        "{out}"
    );
    let p = ws.json(&["permohonan", "lihat", "2"]);
    assert_eq!(p["nama"], "Siti Aminah");
    assert_eq!(p["alamat"], crate::ALAMAT);
    assert_eq!(p["isian"]["agama"], "Islam");
    assert_eq!(p["isian"]["pekerjaan"], "Wiraswasta");

    // A typed field wins and updates the resident.
    let v = ws.json(&[
        "permohonan",
        "baru",
        "--jenis",
        "sk-usaha",
        "--nik",
        NIK_P,
        "--alamat",
        "Jl. Sumatera No. 3",
        "--isian",
        "nama_usaha=Warung Siti",
        "jenis_usaha=Warung makan",
        "alamat_usaha=Jl. Sumatera No. 3",
        "mulai_usaha=2019",
        "--berkas",
        "pengantar-rt,kk-ktp",
    ]);
    assert_eq!(v["alamat"], "Jl. Sumatera No. 3");
    let filled: Vec<&str> = v["diisi_dari_penduduk"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(
        !filled.contains(&"Alamat") && filled.contains(&"Nama"),
        "{filled:?}"
    );
    let r = ws.json(&["penduduk", "lihat", NIK_P]);
    assert_eq!(r["penduduk"]["data"]["alamat"], "Jl. Sumatera No. 3");
    assert_eq!(r["jenis_kelamin"], "Perempuan");
    assert_eq!(r["tanggal_lahir"], "1990-06-05");
    assert_eq!(r["permohonan"].as_array().unwrap().len(), 3);
    let alamat: Vec<&Value> = r["riwayat"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kolom"] == "alamat")
        .collect();
    // The first request recorded her in one entry; the change is an entry of its own.
    assert_eq!(r["riwayat"][0]["kolom"], "tercatat");
    assert!(
        r["riwayat"][0]["baru"]
            .as_str()
            .unwrap()
            .contains(crate::ALAMAT)
    );
    assert_eq!(alamat.len(), 1, "{alamat:?}");
    assert_eq!(alamat[0]["lama"], crate::ALAMAT);
    assert_eq!(alamat[0]["baru"], "Jl. Sumatera No. 3");
    assert!(
        alamat[0]["sumber"]
            .as_str()
            .unwrap()
            .starts_with("permohonan 0003/")
    );

    // An unknown NIK without a name is told what is missing; nothing is written.
    let err = ws.fails(
        2,
        &["permohonan", "baru", "--jenis", "sktm", "--nik", NIK_L],
    );
    assert!(err.contains("--nama wajib ditulis"), "{err}");
    assert_eq!(ws.snapshot().as_array().unwrap().len(), 3);
}

/// Looked up by part of the name (any case), a whole NIK or a whole KK; a family by its
/// KK, the head first; NIKs masked in tables; a partial NIK finds nothing.
#[test]
fn residents_are_found_by_name_nik_and_family_card() {
    let ws = Ws::init();
    keluarga(&ws, false);
    ws.ok(&[
        "penduduk",
        "ubah",
        NIK_L,
        "--isian",
        "shdk=Kepala Keluarga",
        "pendidikan=SMA",
    ]);
    ws.ok(&["penduduk", "ubah", NIK_P, "--isian", "shdk=isteri"]);

    let table = ws.ok(&["penduduk", "cari", "AMINAH"]);
    assert!(
        table.contains("Siti Aminah") && table.contains("1571xxxxxxxx0003"),
        "{table}"
    );
    assert!(!table.contains(NIK_P), "{table}");
    let found = ws.json(&["penduduk", "cari", NIK_L]);
    assert_eq!(found.as_array().unwrap().len(), 1);
    assert_eq!(found[0]["data"]["pendidikan"], "SLTA/Sederajat");
    let none = ws.ok(&["penduduk", "cari", &NIK_P[..10]]);
    assert!(none.contains("Tidak ada penduduk"), "{none}");

    let fam = ws.json(&["penduduk", "keluarga", KK]);
    let names: Vec<&str> = fam
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["data"]["nama"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Budi Santoso", "Siti Aminah"]);
    assert_eq!(fam[1]["data"]["shdk"], "Istri");

    // Wrong input is refused in words, nothing changes.
    let err = ws.fails(1, &["penduduk", "ubah", NIK_P, "--isian", "agama=Islma"]);
    assert!(
        err.contains("Agama: `Islma` bukan agama yang dikenal"),
        "{err}"
    );
    let err = ws.fails(1, &["penduduk", "lihat", "1571 0000"]);
    assert!(err.contains("NIK harus 16 angka"), "{err}");
    let err = ws.fails(1, &["penduduk", "lihat", "1571094506900099"]);
    assert!(
        err.contains("belum tercatat") && !err.contains("1571094506900099"),
        "{err}"
    );
}

/// An old register imported after the residents were written from newer requests fills
/// what they lack and never overwrites what they have; rows of people never served
/// become residents.
#[test]
fn an_older_imported_row_fills_gaps_and_never_overwrites() {
    let ws = Ws::init();
    ws.json(&with_identity(&[
        "permohonan",
        "baru",
        "--jenis",
        "sk-domisili",
        "--nama",
        "Siti Aminah",
        "--nik",
        NIK_P,
        "--berkas",
        "pengantar-rt,kk-ktp",
    ]));
    let tmp = tempfile::TempDir::new().unwrap();
    let file = tmp.path().join("register-2023.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let sheet = wb.add_worksheet();
    let header = [
        "No",
        "Tanggal",
        "Nama",
        "NIK",
        "No. KK",
        "Alamat",
        "Jenis Surat",
    ];
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    let rows = [
        ("Siti Aminah", NIK_P, "Jl. Lama No. 1"),
        ("Budi Santoso", NIK_L, "Jl. Jawa No. 8"),
    ];
    for (i, (nama, nik, alamat)) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        sheet.write_number(r, 0, r as f64).unwrap();
        sheet.write_string(r, 1, "14-03-2023").unwrap();
        sheet.write_string(r, 2, *nama).unwrap();
        sheet.write_string(r, 3, *nik).unwrap();
        sheet.write_string(r, 4, KK).unwrap();
        sheet.write_string(r, 5, *alamat).unwrap();
        sheet.write_string(r, 6, "SKTM").unwrap();
    }
    wb.save(&file).unwrap();
    let out = kelurahan(&ws.dir, &["impor", file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let siti = ws.json(&["penduduk", "lihat", NIK_P]);
    assert_eq!(siti["penduduk"]["data"]["alamat"], crate::ALAMAT);
    assert_eq!(siti["penduduk"]["data"]["kk"], KK, "a gap is filled");
    let budi = ws.json(&["penduduk", "lihat", NIK_L]);
    assert_eq!(budi["penduduk"]["data"]["alamat"], "Jl. Jawa No. 8");
    assert_eq!(budi["penduduk"]["berlaku"], "2023-03-14");
    assert!(
        budi["riwayat"][0]["sumber"]
            .as_str()
            .unwrap()
            .starts_with("impor: register-2023.xlsx"),
        "{budi}"
    );
    // A dry run writes no resident.
    let ws2 = Ws::init();
    let out = kelurahan(&ws2.dir, &["impor", file.to_str().unwrap(), "--uji"]);
    assert!(out.status.success());
    ws2.fails(1, &["penduduk", "lihat", NIK_L]);
}

/// Every look-up and change is in the access log, under the clerk's name and with the
/// NIK; the log cannot be changed or emptied; the export gives one person everything
/// held about them and nobody else's data.
#[test]
fn every_look_up_is_logged_and_a_person_gets_their_data() {
    let ws = Ws::init();
    keluarga(&ws, false);
    ws.ok(&["penduduk", "cari", "siti", "--oleh", "Rina"]);
    ws.ok(&["penduduk", "lihat", NIK_P, "--oleh", "Rina"]);
    ws.ok(&["penduduk", "keluarga", KK, "--oleh", "Andi"]);
    ws.ok(&[
        "penduduk",
        "ubah",
        NIK_P,
        "--isian",
        "telepon=081270001234",
        "--oleh",
        "Rina",
    ]);
    ws.ok(&[
        "permohonan",
        "baru",
        "--jenis",
        "sktm",
        "--nik",
        NIK_P,
        "--oleh",
        "Dedi",
    ]);
    let tmp = tempfile::TempDir::new().unwrap();
    let file = tmp.path().join("data-pribadi.json");
    let said = ws.ok(&[
        "penduduk",
        "ekspor",
        NIK_P,
        "--keluar",
        file.to_str().unwrap(),
    ]);
    assert!(!said.contains(NIK_P), "{said}");

    let log = ws.json(&["penduduk", "akses", "--nik", NIK_P]);
    let seen: Vec<(String, String)> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["oleh"].as_str().unwrap().into(),
                a["tindakan"].as_str().unwrap().into(),
            )
        })
        .collect();
    let want = [
        ("Dedi Saputra", "ekspor"),
        ("Dedi", "isi"),
        ("Rina", "ubah"),
        ("Andi", "keluarga"),
        ("Rina", "lihat"),
        ("Rina", "cari"),
    ];
    assert_eq!(
        seen,
        want.map(|(a, b)| (a.to_string(), b.to_string())).to_vec()
    );
    assert_eq!(
        ws.json(&["penduduk", "akses", "--nik", NIK_L])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let db = ws.db();
    assert!(db.execute("DELETE FROM akses_penduduk", []).is_err());
    assert!(
        db.execute("UPDATE penduduk_riwayat SET baru = 'x'", [])
            .is_err()
    );
    assert!(db.execute("DELETE FROM penduduk", []).is_err());

    let e: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(e["penduduk"]["nik"], NIK_P);
    assert_eq!(e["permohonan"].as_array().unwrap().len(), 2);
    assert!(
        e["riwayat"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["kolom"] == "telepon")
    );
    assert!(e["akses"].as_array().unwrap().len() >= 6);
    assert_eq!(e["keluarga"].as_array().unwrap().len(), 0);
    assert!(!String::from_utf8_lossy(&std::fs::read(&file).unwrap()).contains(NIK_L));
}

/// A register from before residents existed gets them from its requests when the program
/// opens it: each person once, with the newest request's data.
#[test]
fn an_older_register_gets_its_residents_from_its_requests() {
    let ws = Ws::init();
    ws.json(&with_identity(&[
        "permohonan",
        "baru",
        "--jenis",
        "sk-domisili",
        "--nama",
        "Siti Aminah",
        "--nik",
        NIK_P,
        "--tanggal",
        "2026-01-05",
        "--berkas",
        "pengantar-rt,kk-ktp",
    ]));
    ws.json(&[
        "permohonan",
        "baru",
        "--jenis",
        "sk-domisili",
        "--nama",
        "Siti Aminah",
        "--nik",
        NIK_P,
        "--tanggal",
        "2026-02-05",
        "--alamat",
        "Jl. Baru No. 2",
        "--rt",
        "9",
        "--rw",
        "3",
        "--isian",
        "tempat_lahir=Jambi",
        "agama=Islam",
        "pekerjaan=Wiraswasta",
        "status_perkawinan=Kawin",
        "--berkas",
        "pengantar-rt,kk-ktp",
    ]);
    // Back to the schema before residents.
    let db = ws.db();
    db.execute_batch(
        "DROP TABLE penduduk; DROP TABLE penduduk_riwayat; DROP TABLE akses_penduduk;
         ALTER TABLE permohonan DROP COLUMN jenis_asal;
         ALTER TABLE permohonan DROP COLUMN kode_lacak;
         PRAGMA user_version = 12;",
    )
    .unwrap();
    drop(db);
    let r = ws.json(&["penduduk", "lihat", NIK_P]);
    assert_eq!(r["penduduk"]["data"]["alamat"], "Jl. Baru No. 2");
    assert_eq!(r["penduduk"]["berlaku"], "2026-02-05");
    assert_eq!(r["permohonan"].as_array().unwrap().len(), 2);
}

fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/penduduk")
        .join(name)
}

/// `penduduk impor --format json` on `file`.
fn impor(ws: &Ws, file: &std::path::Path, extra: &[&str]) -> Value {
    let mut args = vec!["penduduk", "impor", file.to_str().unwrap()];
    args.extend_from_slice(extra);
    ws.json(&args)
}

/// Every row of each list has the outcome `harapan.json` gives it (written beside the
/// row's cells in `buat_fixture.py`): residents with their checked values, refusals and
/// duplicates with their reason at their Excel row, skipped rows by reason; the counts
/// add up. An older list fills gaps and never overwrites; a list imported again adds
/// nothing; a dry run says what the real run does and writes nothing.
#[test]
fn resident_lists_are_imported_row_by_row_as_expected() {
    let harapan: Value =
        serde_json::from_slice(&std::fs::read(fixture("harapan.json")).unwrap()).unwrap();
    let ws = Ws::init();
    // The newer list first (30 June 2025), then the office's older one (1 January 2024).
    for (name, per) in [
        ("daftar-siak.xls", "2025-06-30"),
        ("daftar-rt09.xlsx", "2024-01-01"),
    ] {
        let h = &harapan[name];
        let uji = impor(&ws, &fixture(name), &["--per", per, "--uji"]);
        let r = impor(&ws, &fixture(name), &["--per", per]);
        assert_eq!(
            uji["jumlah"], r["jumlah"],
            "{name}: a dry run says what the run does"
        );
        let j = &r["jumlah"];
        for k in ["dibaca", "diimpor", "ditolak", "ganda", "dilewati"] {
            assert_eq!(j[k], h["totals"][k], "{name}: {k} in {j}");
        }
        assert_eq!(r["berkas"][0]["lembar"][0]["baris_judul"], h["baris_judul"]);
        let noted: Vec<(u64, String, String)> = r["baris"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| {
                (
                    b["baris"].as_u64().unwrap(),
                    b["hasil"].as_str().unwrap().to_string(),
                    b["kode"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let mut skipped = std::collections::BTreeMap::<String, u64>::new();
        for row in h["rows"].as_array().unwrap() {
            let at = row["row"].as_u64().unwrap();
            match row["hasil"].as_str().unwrap() {
                "impor" => {
                    let p = ws.json(&["penduduk", "lihat", row["nik"].as_str().unwrap()]);
                    let data = &p["penduduk"]["data"];
                    if per == "2025-06-30" {
                        assert_eq!(data["nama"], row["nama"], "{name} row {at}");
                    }
                    for (k, v) in row["data"].as_object().unwrap() {
                        assert_eq!(&data[k], v, "{name} row {at}: {k} in {data}");
                    }
                }
                kind @ ("tolak" | "ganda") => {
                    let hasil = if kind == "tolak" { "ditolak" } else { "ganda" };
                    let want = (
                        at,
                        hasil.to_string(),
                        row["alasan"].as_str().unwrap().to_string(),
                    );
                    assert!(noted.contains(&want), "{name}: {want:?} not in {noted:?}");
                }
                "dilewati" => {
                    *skipped
                        .entry(row["alasan"].as_str().unwrap().into())
                        .or_default() += 1;
                }
                other => panic!("{other}"),
            }
        }
        for (k, n) in skipped {
            assert_eq!(j["dilewati_per_alasan"][&k], n, "{name}: {k}");
        }
    }
    // The older list filled Budi's phone and left his newer address.
    let budi = ws.json(&["penduduk", "lihat", NIK_L]);
    assert_eq!(
        budi["penduduk"]["data"]["alamat"],
        "JL. KAPTEN PATTIMURA NO. 12"
    );
    assert_eq!(budi["penduduk"]["data"]["telepon"], "081270001234");
    assert_eq!(budi["penduduk"]["berlaku"], "2025-06-30");
    let fam = ws.json(&["penduduk", "keluarga", KK]);
    assert_eq!(fam.as_array().unwrap().len(), 4, "{fam}");
    assert_eq!(fam[0]["data"]["shdk"], "Kepala Keluarga");

    // Again: nothing new, nothing written.
    let before: i64 = ws
        .db()
        .query_row("SELECT count(*) FROM penduduk_riwayat", [], |r| r.get(0))
        .unwrap();
    let again = impor(&ws, &fixture("daftar-siak.xls"), &["--per", "2025-06-30"]);
    assert_eq!(again["jumlah"]["diimpor"], 0, "{again}");
    assert_eq!(again["jumlah"]["ganda"], 5);
    let after: i64 = ws
        .db()
        .query_row("SELECT count(*) FROM penduduk_riwayat", [], |r| r.get(0))
        .unwrap();
    assert_eq!(before, after);

    // The same list saved by LibreOffice as .ods reads the same.
    let ws2 = Ws::init();
    let r = impor(&ws2, &fixture("daftar-rt09.ods"), &[]);
    assert_eq!(
        r["jumlah"]["dibaca"],
        harapan["daftar-rt09.ods"]["totals"]["dibaca"]
    );
    assert_eq!(
        r["jumlah"]["diimpor"],
        harapan["daftar-rt09.ods"]["totals"]["diimpor"]
    );
}

/// A broken file is refused whole, in words, exit 1, and writes no resident; the good
/// file beside it is imported.
#[test]
fn a_broken_resident_list_is_refused_whole() {
    let ws = Ws::init();
    let broken = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/impor/rusak-terpotong.xlsx");
    let out = kelurahan(
        &ws.dir,
        &[
            "penduduk",
            "impor",
            broken.to_str().unwrap(),
            fixture("daftar-rt09.xlsx").to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("rusak-terpotong.xlsx: DITOLAK UTUH"),
        "{said}"
    );
    let n: i64 = ws
        .db()
        .query_row("SELECT count(*) FROM penduduk", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 2, "only the good file's two residents");
}

/// A letter that lists family members takes them from the register: `--anggota
/// pengikut=NIK,NIK` writes each as `Nama; NIK; Hubungan` (the SHDK on the KK); an unknown
/// NIK is refused and nothing is registered.
#[test]
fn a_moving_family_is_taken_from_the_kk_on_the_command_line() {
    let ws = Ws::init();
    keluarga(&ws, true);
    let p = ws.json(&[
        "permohonan",
        "baru",
        "--jenis",
        "pengantar-pindah",
        "--nik",
        NIK_L,
        "--isian",
        "alamat_tujuan=Jl. Diponegoro No. 5, Kota Padang",
        "alasan_pindah=Pekerjaan",
        "--anggota",
        &format!("pengikut={NIK_P}"),
        "--berkas",
        "pengantar-rt,kk-ktp",
    ]);
    assert_eq!(
        p["isian"]["pengikut"],
        format!("Siti Aminah; {NIK_P}; Istri")
    );
    assert_eq!(p["kk"], KK);
    let err = ws.fails(
        2,
        &[
            "permohonan",
            "baru",
            "--jenis",
            "pengantar-pindah",
            "--nik",
            NIK_L,
            "--isian",
            "alamat_tujuan=Padang",
            "alasan_pindah=Pekerjaan",
            "--anggota",
            "pengikut=1571094506900099",
        ],
    );
    assert!(err.contains("1571xxxxxxxx0099 belum tercatat"), "{err}");
    assert_eq!(ws.snapshot().as_array().unwrap().len(), 3);
}

/// An old register's row whose NIK Excel stored as a number is imported (flagged), but
/// makes no resident: its last digit may be another person's; the other rows do.
#[test]
fn a_number_nik_from_an_old_register_makes_no_resident() {
    let ws = Ws::init();
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/impor/register-2022.xls");
    let out = kelurahan(&ws.dir, &["impor", file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = ws.fails(1, &["penduduk", "lihat", "1571092208790010"]);
    assert!(err.contains("belum tercatat"), "{err}");
    let siti = ws.json(&["penduduk", "lihat", NIK_P]);
    assert!(siti["penduduk"]["data"]["nama"].is_string(), "{siti}");
}
