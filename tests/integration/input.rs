//! Bad input is refused with the field named and nothing written; odd but valid text is
//! stored and shown exactly.

use crate::{NIK_L, NIK_P, Ws};

fn baru_args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec!["permohonan", "baru"];
    a.extend_from_slice(extra);
    a
}

/// Expects a refusal (exit 1) naming `field` and `reason`, with nothing written.
fn refused(ws: &Ws, extra: &[&str], field: &str, reason: &str) {
    let err = ws.fails(1, &baru_args(extra));
    assert!(err.contains(field), "expected field «{field}» in: {err}");
    assert!(err.contains(reason), "expected «{reason}» in: {err}");
    assert_eq!(
        ws.snapshot(),
        serde_json::json!([]),
        "nothing may be written"
    );
    let n: i64 = ws
        .db()
        .query_row("SELECT COUNT(*) FROM riwayat", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0);
}

#[test]
fn bad_niks_are_refused() {
    let ws = Ws::init();
    let base = ["--jenis", "sk-domisili", "--nama", "Siti"];
    for (nik, reason) in [
        ("157109450690003", "16 angka"),
        ("15710945069000034", "16 angka"),
        ("15710945O6900003", "hanya boleh berisi angka"),
        ("9971094506900003", "kode provinsi 99"),
        ("1571093206900003", "tanggal lahir"),
        ("1571097206900003", "tanggal lahir"),
        ("1571097002900003", "tanggal lahir"),
        ("1571094506900000", "0000"),
    ] {
        let mut args = base.to_vec();
        args.extend(["--nik", nik]);
        refused(&ws, &args, "nik", reason);
    }
    let mut args = base.to_vec();
    args.extend(["--nik", NIK_P, "--kk", "12345"]);
    refused(&ws, &args, "kk", "16 angka");
}

#[test]
fn bad_dates_types_and_fields_are_refused() {
    let ws = Ws::init();
    let ok = ["--nama", "Siti", "--nik", NIK_P];
    let with = |more: &[&'static str]| {
        let mut a = ok.to_vec();
        a.extend_from_slice(more);
        a
    };
    refused(
        &ws,
        &with(&["--jenis", "sk-domisili", "--tanggal", "2026-02-30"]),
        "tanggal",
        "tidak sah",
    );
    refused(
        &ws,
        &with(&["--jenis", "sk-domisili", "--tanggal", "29-11-2026"]),
        "tanggal",
        "TAHUN-BULAN-HARI",
    );
    refused(
        &ws,
        &with(&["--jenis", "sk-domisili", "--tanggal", "2999-01-01"]),
        "tanggal",
        "masa depan",
    );
    refused(
        &ws,
        &with(&["--jenis", "surat-sakti"]),
        "jenis",
        "tidak ada di katalog",
    );
    refused(
        &ws,
        &with(&["--jenis", "sk-domisili", "--kanal", "pos"]),
        "kanal",
        "tidak dikenal",
    );
    refused(
        &ws,
        &with(&[
            "--jenis",
            "sk-usaha",
            "--isian",
            "nama_usaha=Warung Berkah",
            "jenis_usaha=Kuliner",
            "alamat_usaha=Jl. Kapten Pattimura",
        ]),
        "isian mulai_usaha",
        "Usaha berjalan sejak wajib diisi",
    );
    refused(
        &ws,
        &with(&["--jenis", "sk-domisili", "--isian", "warna=biru"]),
        "isian warna",
        "tidak dikenal",
    );
    refused(
        &ws,
        &with(&["--jenis", "sk-domisili", "--berkas", "pas-foto-nikah"]),
        "berkas",
        "bukan persyaratan",
    );
    refused(
        &ws,
        &with(&[
            "--jenis",
            "pengantar-kematian",
            "--isian",
            "almarhum_nama=Amir",
            "almarhum_nik=1571",
            "tanggal_meninggal=kemarin",
            "tempat_meninggal=Rumah",
            "hubungan_pelapor=Anak",
        ]),
        "isian almarhum_nik",
        "16 angka",
    );
    refused(
        &ws,
        &with(&["--jenis", "sk-domisili", "--rt", "RT9"]),
        "rt",
        "1 sampai 999",
    );
    // Several problems are reported together.
    let err = ws.fails(
        1,
        &baru_args(&[
            "--jenis",
            "sk-domisili",
            "--nama",
            " ",
            "--nik",
            "1",
            "--tanggal",
            "kemarin",
        ]),
    );
    for field in ["nama:", "nik:", "tanggal:"] {
        assert!(err.contains(field), "{field} missing in {err}");
    }
    // A malformed --isian is wrong usage (exit 2).
    let err = ws.fails(
        2,
        &baru_args(&with(&[
            "--jenis",
            "sk-domisili",
            "--isian",
            "tanpa-sama-dengan",
        ])),
    );
    assert!(err.contains("NAMA=NILAI"), "{err}");
}

#[test]
fn the_marriage_letter_takes_the_calon_and_parents() {
    let ws = Ws::init();
    let p = ws.json(&baru_args(
        &[
            "--jenis",
            "pengantar-nikah",
            "--nama",
            "Rahmat Hidayat",
            "--nik",
            NIK_L,
            "--isian",
            "calon_nama=Siti Aminah",
            &format!("calon_nik={NIK_P}"),
            "calon_alamat=Jl. Lingkar Barat I No. 3",
            "ayah_nama=Hasan",
            "ibu_nama=Halimah",
            "--berkas",
            "pengantar-rt,kk-ktp-nikah,pas-foto-nikah,pbb",
        ]
        .into_iter()
        .chain(crate::IDENTITAS)
        .collect::<Vec<_>>(),
    ));
    assert_eq!(p["isian"]["calon_nik"], NIK_P);
    // The conditional paper (akta cerai/kematian) does not block acceptance.
    let p = ws.json(&[
        "permohonan",
        "lanjut",
        "1",
        "--peran",
        "operator",
        "--oleh",
        "Dedi",
    ]);
    assert_eq!(p["tahap"], "diterima");
    let akta = p["berkas"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["kode"] == "akta-cerai-kematian")
        .unwrap()
        .clone();
    assert_eq!(akta["wajib"], false);
    assert_eq!(akta["ada"], false);
}

#[test]
fn odd_names_are_stored_and_shown_exactly() {
    let ws = Ws::init();
    for nama in [
        r#"O'Neil "; DROP TABLE permohonan; --"#,
        "#panic()",
        "]*_ $x$ @ref <b>",
        "Nyimas Ratu Ayu Zubaidah binti H. Kemas Abdul Muthalib",
    ] {
        let p = ws.json(&baru_args(
            &[
                "--jenis",
                "sk-domisili",
                "--nama",
                nama,
                "--nik",
                NIK_P,
                "--keperluan",
                nama,
                "--alamat",
                nama,
            ]
            .into_iter()
            // The identity, but this address.
            .chain(crate::IDENTITAS[2..].iter().copied())
            .collect::<Vec<_>>(),
        ));
        let id = p["id"].to_string();
        let back = ws.json(&["permohonan", "lihat", &id]);
        assert_eq!(back["nama"], nama);
        assert_eq!(back["keperluan"], nama);
        assert_eq!(back["alamat"], nama);
        let text = ws.ok(&["permohonan", "lihat", &id]);
        assert!(
            text.contains(&format!("Nama          : {nama}\n")),
            "{text}"
        );
        assert!(ws.ok(&["permohonan", "daftar"]).contains(nama));
    }
    let csv = ws.ok(&["permohonan", "daftar", "--format", "csv"]);
    assert!(
        csv.contains(r#""O'Neil ""; DROP TABLE permohonan; --""#),
        "{csv}"
    );
    assert_eq!(ws.snapshot().as_array().unwrap().len(), 4);
}

/// What a terminal or a letter cannot show faithfully is refused where it is typed, on
/// every text argument, naming the field; nothing is stored to fail later.
#[test]
fn hostile_text_is_refused_on_every_text_argument() {
    let ws = Ws::init();
    let base = ["--jenis", "sk-domisili", "--nik", NIK_P];
    let long = "Jl. Lingkar Barat ".repeat(600);
    for (extra, field, reason) in [
        (&["--nama", "Siti\u{1b}[2J"][..], "nama", "U+001B"),
        (
            &["--nama", "\u{200B}\u{200B}\u{200B}"],
            "nama",
            "tak terlihat",
        ),
        (&["--nama", "محمد"], "nama", "tidak dapat dicetak"),
        (
            &["--nama", "Siti", "--alamat", &long],
            "alamat",
            "terlalu panjang",
        ),
        (
            &["--nama", "Siti", "--keperluan", "a\u{7}b"],
            "keperluan",
            "kendali",
        ),
        (
            &["--nama", "Siti", "--tanggal", "0000-01-01"],
            "tanggal",
            "",
        ),
    ] {
        let mut args = base.to_vec();
        args.extend_from_slice(extra);
        refused(&ws, &args, field, reason);
    }

    // The names and notes of moves, refusals and voids reach the history: checked too.
    let p = ws.baru("Siti Aminah");
    let id = p["nomor_register"].as_str().unwrap().to_string();
    let before = ws.snapshot();
    for (args, field) in [
        (
            vec![
                "permohonan",
                "lanjut",
                &id,
                "--peran",
                "operator",
                "--oleh",
                "Rina\u{1b}]0;x\u{7}",
            ],
            "oleh",
        ),
        (
            vec![
                "permohonan",
                "lanjut",
                &id,
                "--peran",
                "operator",
                "--oleh",
                "Rina",
                "--catatan",
                "ok\u{7}",
            ],
            "catatan",
        ),
        (
            vec![
                "permohonan",
                "tolak",
                &id,
                "--peran",
                "operator",
                "--oleh",
                "Rina",
                "--alasan",
                "kurang\u{1b}[31m",
            ],
            "alasan",
        ),
    ] {
        let err = ws.fails(1, &args);
        assert!(err.contains(field) && err.contains("kendali"), "{err}");
        assert!(!err.contains('\u{1b}'), "never echoed raw: {err:?}");
        assert_eq!(ws.snapshot(), before, "nothing written");
    }
}
