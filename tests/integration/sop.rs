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
        "hanya Kasi Pem & Pelum yang dapat meneruskannya ke Koordinator",
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
        "tidak lagi tahap diteruskan: sudah ditindaklanjuti oleh Petugas Uji (Koordinator)",
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
