//! The whole SOP path of one request, and every illegal move refused with the register
//! unchanged.

use crate::{NIK_P, Ws};

fn lanjut(ws: &Ws, id: &str, peran: &str) -> serde_json::Value {
    ws.json(&[
        "permohonan",
        "lanjut",
        id,
        "--peran",
        peran,
        "--oleh",
        "Petugas Uji",
    ])
}

/// Expects a refusal with exit 1, the message, and no change at all.
fn refused(ws: &Ws, args: &[&str], message: &str) {
    let before = ws.snapshot();
    let err = ws.fails(1, args);
    assert!(err.contains(message), "expected «{message}» in: {err}");
    assert_eq!(ws.snapshot(), before, "a refused move changed the register");
}

#[test]
fn one_request_from_baru_to_stage_six() {
    let ws = Ws::init();
    let p = ws.json(&crate::with_identity(&[
        "permohonan",
        "baru",
        "--jenis",
        "sk-domisili",
        "--nama",
        "Siti Aminah",
        "--nik",
        NIK_P,
        "--berkas",
        "pengantar-rt",
        "--kanal",
        "whatsapp",
        "--tanggal",
        "2026-11-02",
    ]));
    assert_eq!(p["nomor_register"], "0001/2026");
    assert_eq!(p["tahap"], "diajukan");
    assert_eq!(p["kanal"], "whatsapp");
    let id = "0001/2026";

    refused(
        &ws,
        &["permohonan", "lanjut", id, "--peran", "kasi", "--oleh", "X"],
        "permohonan 0001/2026 masih tahap diajukan; hanya Operator yang dapat menerimanya",
    );
    refused(
        &ws,
        &[
            "permohonan",
            "lanjut",
            id,
            "--peran",
            "operator",
            "--oleh",
            "X",
        ],
        "Fotokopi KK dan KTP pemohon",
    );
    refused(
        &ws,
        &["permohonan", "berkas", id, "--ada", "pas-foto-nikah"],
        "bukan persyaratan",
    );

    let p = ws.json(&["permohonan", "berkas", id, "--ada", "kk-ktp"]);
    assert!(
        p["berkas"]
            .as_array()
            .unwrap()
            .iter()
            .all(|b| b["ada"] == true)
    );

    assert_eq!(lanjut(&ws, id, "operator")["tahap"], "diterima");
    refused(
        &ws,
        &["permohonan", "berkas", id, "--tidak-ada", "kk-ktp"],
        "hanya dapat diubah pada tahap diajukan",
    );
    refused(
        &ws,
        &[
            "permohonan",
            "lanjut",
            id,
            "--peran",
            "operator",
            "--oleh",
            "X",
        ],
        // Accepting twice (a second click): the step is done, by whom and when.
        "sudah berpindah dari tahap “Diajukan” ke tahap “Diterima Operator” oleh Petugas Uji (Operator) pada",
    );
    assert_eq!(lanjut(&ws, id, "kasi")["tahap"], "diteruskan");
    refused(
        &ws,
        &[
            "permohonan",
            "lanjut",
            id,
            "--peran",
            "seklur",
            "--oleh",
            "X",
        ],
        "hanya Koordinator yang dapat menindaklanjutinya",
    );
    assert_eq!(lanjut(&ws, id, "koordinator")["tahap"], "ditindaklanjuti");
    refused(
        &ws,
        &[
            "permohonan",
            "tolak",
            id,
            "--peran",
            "koordinator",
            "--oleh",
            "X",
            "--alasan",
            "terlambat",
        ],
        "penolakan hanya dapat dilakukan sebelum tahap ditindaklanjuti",
    );
    // Pressed again without saying so, the Koordinator's step is not repeated: the
    // request already stands past it.
    refused(
        &ws,
        &[
            "permohonan",
            "lanjut",
            id,
            "--peran",
            "koordinator",
            "--oleh",
            "X",
        ],
        "sudah berpindah dari tahap “Diteruskan ke Koordinator” ke tahap “Ditindaklanjuti, surat terbit” oleh Petugas Uji (Koordinator)",
    );
    let p = ws.json(&[
        "permohonan",
        "lanjut",
        id,
        "--peran",
        "koordinator",
        "--dari",
        "ditindaklanjuti",
        "--oleh",
        "Petugas Uji",
    ]);
    assert_eq!(p["tahap"], "dilaporkan_ke_seklur");
    refused(
        &ws,
        &[
            "permohonan",
            "lanjut",
            id,
            "--peran",
            "lurah",
            "--oleh",
            "X",
        ],
        "hanya Seklur yang dapat melaporkannya ke Lurah",
    );
    let p = lanjut(&ws, id, "seklur");
    assert_eq!(p["tahap"], "dilaporkan_ke_lurah");
    refused(
        &ws,
        &[
            "permohonan",
            "lanjut",
            id,
            "--peran",
            "seklur",
            "--oleh",
            "X",
        ],
        "sudah selesai",
    );

    let riwayat = p["riwayat"].as_array().unwrap();
    let steps: Vec<(&str, &str)> = riwayat
        .iter()
        .map(|r| (r["ke"].as_str().unwrap(), r["peran"].as_str().unwrap()))
        .collect();
    assert_eq!(
        steps,
        [
            ("diajukan", "pemohon"),
            ("diterima", "operator"),
            ("diteruskan", "kasi"),
            ("ditindaklanjuti", "koordinator"),
            ("dilaporkan_ke_seklur", "koordinator"),
            ("dilaporkan_ke_lurah", "seklur"),
        ]
    );
    assert!(riwayat[1..].iter().all(|r| r["oleh"] == "Petugas Uji"));
    assert!(
        riwayat
            .iter()
            .all(|r| r["waktu"].as_str().unwrap().ends_with("+07:00"))
    );

    // The human view shows the whole story.
    let text = ws.ok(&["permohonan", "lihat", "1"]);
    assert!(text.contains("Permohonan 0001/2026"), "{text}");
    assert!(text.contains("Senin, 2 November 2026"), "{text}");
    assert!(
        text.contains("dilaporkan_ke_seklur → dilaporkan_ke_lurah"),
        "{text}"
    );
    assert!(text.contains("Permohonan ini selesai."), "{text}");
}

#[test]
fn rejection_needs_a_reason_and_ends_the_request() {
    let ws = Ws::init();
    ws.baru("Budi Santoso");
    refused(
        &ws,
        &[
            "permohonan",
            "tolak",
            "1",
            "--peran",
            "operator",
            "--oleh",
            "X",
            "--alasan",
            "  ",
        ],
        "harus disertai alasan",
    );
    let p = ws.json(&[
        "permohonan",
        "tolak",
        "1",
        "--peran",
        "operator",
        "--oleh",
        "Dedi",
        "--alasan",
        "Pemohon bukan warga Rawasari",
    ]);
    assert_eq!(p["tahap"], "ditolak");
    assert_eq!(p["riwayat"][1]["catatan"], "Pemohon bukan warga Rawasari");
    refused(
        &ws,
        &[
            "permohonan",
            "lanjut",
            "1",
            "--peran",
            "operator",
            "--oleh",
            "X",
        ],
        "sudah ditolak",
    );
    refused(
        &ws,
        &[
            "permohonan",
            "tolak",
            "1",
            "--peran",
            "operator",
            "--oleh",
            "X",
            "--alasan",
            "lagi",
        ],
        "sudah ditolak",
    );
}

#[test]
fn unknown_request_ids_are_refused() {
    let ws = Ws::init();
    let p = ws.baru("Budi Santoso");
    let tahun = p["nomor_register"]
        .as_str()
        .unwrap()
        .split('/')
        .nth(1)
        .unwrap()
        .to_string();
    let err = ws.fails(1, &["permohonan", "lihat", "0042/2026"]);
    assert!(
        err.contains("permohonan 0042/2026 tidak ditemukan"),
        "{err}"
    );
    let err = ws.fails(1, &["permohonan", "lihat", "abc"]);
    assert!(err.contains("bukan nomor permohonan"), "{err}");
    // A short register number is understood.
    let p = ws.json(&["permohonan", "lihat", &format!("1/{tahun}")]);
    assert_eq!(p["id"], 1);
}

/// An applicant who withdraws is not refused: the Operator records `dibatalkan` with the
/// applicant's reason, before the letter is issued; nothing moves it afterwards.
#[test]
fn a_withdrawal_is_its_own_end_recorded_by_the_operator() {
    let ws = Ws::init();
    ws.baru("Budi Santoso");
    let batalkan = |alasan: &str| {
        vec![
            "permohonan".to_string(),
            "batalkan".into(),
            "1".into(),
            "--oleh".into(),
            "Dedi".into(),
            "--alasan".into(),
            alasan.to_string(),
        ]
    };
    fn args(v: &[String]) -> Vec<&str> {
        v.iter().map(String::as_str).collect()
    }
    let empty = batalkan("  ");
    refused(&ws, &args(&empty), "harus disertai alasan pemohon");
    lanjut(&ws, "1", "operator");
    let ok = batalkan("Pemohon tidak jadi pindah");
    let p = ws.json(&args(&ok));
    assert_eq!(p["tahap"], "dibatalkan");
    let last = p["riwayat"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["ke"], "dibatalkan");
    assert_eq!(last["peran"], "operator");
    assert_eq!(last["catatan"], "Pemohon tidak jadi pindah");
    refused(
        &ws,
        &[
            "permohonan",
            "lanjut",
            "1",
            "--peran",
            "kasi",
            "--oleh",
            "X",
        ],
        "sudah dibatalkan",
    );
    refused(
        &ws,
        &[
            "permohonan",
            "tolak",
            "1",
            "--peran",
            "operator",
            "--oleh",
            "X",
            "--alasan",
            "x",
        ],
        "sudah dibatalkan",
    );
    refused(&ws, &args(&ok), "sudah dibatalkan");
    let shown =
        String::from_utf8(crate::kelurahan(&ws.dir, &["permohonan", "lihat", "1"]).stdout).unwrap();
    assert!(
        shown.contains("dibatalkan atas permintaan pemohon"),
        "{shown}"
    );

    // After the letter is issued, the request is not withdrawn: the letter is cancelled.
    ws.baru("Siti Aminah");
    crate::letters::issue(&ws, "2", &[]);
    let late = vec![
        "permohonan".to_string(),
        "batalkan".into(),
        "2".into(),
        "--oleh".into(),
        "Dedi".into(),
        "--alasan".into(),
        "tidak jadi".into(),
    ];
    refused(&ws, &args(&late), "sebelum surat terbit");
}

/// A register from before `dibatalkan` existed gets the stage by migration: its stage
/// check then allows the word, and still refuses any other.
#[test]
fn an_older_register_learns_the_withdrawal_stage() {
    let ws = Ws::init();
    ws.baru("Budi Santoso");
    // A row straight into the table, as only the stage check (no trigger) judges it.
    let insert = |db: &rusqlite::Connection, urut: i64, tahap: &str| {
        db.execute(
            "INSERT INTO permohonan (tahun, urut, nomor_register, jenis, tanggal, kanal, nama,
                 nik, isian, tahap, dibuat)
             VALUES (2026, ?1, ?2, 'sk-domisili', '2026-11-02', 'langsung', 'Uji', ?3, '{}',
                 ?4, '2026-11-02T01:00:00Z')",
            rusqlite::params![urut, format!("{urut:04}/2026"), NIK_P, tahap],
        )
        .map_err(|e| e.to_string())
    };
    let db = ws.db();
    let v: i64 = db
        .query_row("PRAGMA schema_version", [], |r| r.get(0))
        .unwrap();
    db.execute_batch(&format!(
        "PRAGMA writable_schema = ON;
         UPDATE sqlite_schema SET sql = replace(sql, ', ''dibatalkan''))', '))')
          WHERE type = 'table' AND name = 'permohonan';
         PRAGMA writable_schema = OFF;
         PRAGMA schema_version = {};
         ALTER TABLE permohonan DROP COLUMN kode_lacak;
         PRAGMA user_version = 14;",
        v + 1
    ))
    .unwrap();
    drop(db);
    let err = insert(&ws.db(), 50, "dibatalkan").unwrap_err();
    assert!(err.contains("CHECK constraint failed"), "{err}");

    // The program migrates on opening, and the withdrawal is recorded.
    let p = ws.json(&[
        "permohonan",
        "batalkan",
        "1",
        "--oleh",
        "Dedi",
        "--alasan",
        "Pemohon tidak jadi",
    ]);
    assert_eq!(p["tahap"], "dibatalkan");
    let db = ws.db();
    let version: i64 = db
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert!(version >= 15);
    let ok: String = db
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    let err = insert(&db, 51, "entah").unwrap_err();
    assert!(err.contains("CHECK constraint failed"), "{err}");
    insert(&db, 52, "dibatalkan").unwrap();
}

/// A name is found from the start of any of its words, in any case and punctuation,
/// also in a register written before names were indexed by word (the program indexes
/// them when it opens the register).
#[test]
fn a_name_is_found_by_its_words_also_in_a_register_from_before_the_index() {
    let ws = Ws::init();
    ws.baru("Siti Nur Aminah");
    ws.baru("H. Ahmad Dahlan");
    let names = |q: &str| -> Vec<String> {
        let v = ws.json(&["permohonan", "daftar", "--cari", q]);
        let mut n: Vec<String> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["nama"].as_str().unwrap().to_string())
            .collect();
        n.sort();
        n
    };
    let check = || {
        assert_eq!(names("aminah"), ["Siti Nur Aminah"]);
        assert_eq!(names("NUR  ami"), ["Siti Nur Aminah"]);
        assert_eq!(names("h ahmad"), ["H. Ahmad Dahlan"]);
        assert_eq!(names("dahl"), ["H. Ahmad Dahlan"]);
        // Not from the middle of a word, and punctuation alone is no wildcard.
        assert!(names("minah").is_empty());
        assert!(names("%").is_empty());
        assert!(names("siti dahlan").is_empty());
    };
    check();

    // The same register as the program before the word index wrote it.
    let db = ws.db();
    db.execute_batch(
        "DROP TABLE permohonan_kata;
         CREATE INDEX permohonan_nama ON permohonan(nama);
         PRAGMA user_version = 17;",
    )
    .unwrap();
    drop(db);
    check();
    let db = ws.db();
    let version: i64 = db
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 18);
    let rows: i64 = db
        .query_row("SELECT COUNT(*) FROM permohonan_kata", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 6, "3 + 3 word starts");
}
