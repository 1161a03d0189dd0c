//! The workspace: `init`, its profile's checks, schema versions, exit codes.

use std::fs;

use crate::{Ws, kelurahan};

#[test]
fn init_twice_changes_nothing_and_says_so() {
    let ws = Ws::init();
    ws.baru("Siti Aminah");
    let toml = fs::read(ws.dir.join("kelurahan.toml")).unwrap();
    let before = ws.snapshot();
    let out = ws.ok(&["init"]);
    assert!(out.contains("sudah berisi folder kerja"), "{out}");
    assert!(out.contains("tidak ada yang diubah"), "{out}");
    assert_eq!(fs::read(ws.dir.join("kelurahan.toml")).unwrap(), toml);
    assert_eq!(ws.snapshot(), before);
    assert!(ws.dir.join("output").is_dir());
    assert!(ws.ok(&["periksa"]).contains("1 permohonan"));
}

#[test]
fn the_dir_comes_from_the_environment_too() {
    let ws = Ws::init();
    let out = crate::bin()
        .args(["permohonan", "daftar", "--format", "json"])
        .env("KELURAHAN_DIR", &ws.dir)
        .current_dir(std::env::temp_dir())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8(out.stdout).unwrap().trim(), "[]");
}

fn edit_profile(ws: &Ws, from: &str, to: &str) -> usize {
    let path = ws.dir.join("kelurahan.toml");
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from));
    let text = text.replacen(from, to, 1);
    fs::write(&path, &text).unwrap();
    text.lines()
        .position(|l| l.contains(to.lines().last().unwrap()))
        .unwrap()
        + 1
}

#[test]
fn a_wrong_key_is_refused_with_its_name_and_line() {
    let ws = Ws::init();
    let line = edit_profile(
        &ws,
        "kode_unit = \"RWS\"",
        "kode_unit = \"RWS\"\nkode_unti = \"X\"",
    );
    let err = ws.fails(2, &["permohonan", "daftar"]);
    assert!(err.contains("kantor.kode_unti"), "{err}");
    assert!(err.contains(&format!("baris {line}")), "{err}");
    assert!(err.contains("kunci tidak dikenal"), "{err}");
}

#[test]
fn a_wrong_type_is_refused_with_its_name_and_line() {
    let ws = Ws::init();
    let line = edit_profile(&ws, "kode_pos = \"36125\"", "kode_pos = 36125");
    let err = ws.fails(2, &["periksa"]);
    assert!(err.contains("kantor.kode_pos"), "{err}");
    assert!(err.contains(&format!("baris {line}")), "{err}");
    assert!(err.contains("seharusnya teks"), "{err}");
}

#[test]
fn a_bad_value_is_refused_with_its_name_and_line() {
    let ws = Ws::init();
    let line = edit_profile(&ws, "nip = \"19670619 199006 1 001\"", "nip = \"1967\"");
    let err = ws.fails(2, &["periksa"]);
    assert!(err.contains("pejabat.lurah.nip"), "{err}");
    assert!(err.contains(&format!("baris {line}")), "{err}");
}

#[test]
fn a_workspace_catalog_adds_types_and_is_checked() {
    let ws = Ws::init();
    let dir = ws.dir.join("typst-templates");
    fs::create_dir_all(&dir).unwrap();
    fs::write(
        dir.join("katalog.toml"),
        "[[jenis]]\nkode = \"sk-tanah\"\nnama = \"Surat Keterangan Tanah\"\n\
         kode_klasifikasi = \"400.12.3.1\"\ntemplat = \"surat/umum.typ\"\npersyaratan = [\"pengantar-rt\", \"kk-ktp\"]\n",
    )
    .unwrap();
    assert!(ws.ok(&["katalog"]).contains("sk-tanah"));
    fs::write(
        dir.join("katalog.toml"),
        "[[jenis]]\nkode = \"sk-tanah\"\nnama = \"Keterangan Tanah\"\n\
         kode_klasifikasi = \"400.12.3.1\"\ntemplat = \"surat/umum.typ\"\npersyaratan = [\"surat-wasiat\"]\n",
    )
    .unwrap();
    let err = ws.fails(2, &["katalog"]);
    assert!(
        err.contains("jenis `sk-tanah`") && err.contains("surat-wasiat"),
        "{err}"
    );
}

#[test]
fn a_newer_database_is_refused() {
    let ws = Ws::init();
    ws.db().pragma_update(None, "user_version", 99).unwrap();
    let err = ws.fails(2, &["permohonan", "daftar"]);
    assert!(err.contains("skema versi 99"), "{err}");
    assert!(err.contains("perbarui program"), "{err}");
}

#[test]
fn a_folder_without_profile_is_not_a_workspace() {
    let tmp = tempfile::TempDir::new().unwrap();
    let out = kelurahan(tmp.path(), &["permohonan", "daftar"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("bukan folder kerja") && err.contains("kelurahan init"),
        "{err}"
    );
    assert!(
        !tmp.path().join("kelurahan.db").exists(),
        "no database appears by accident"
    );
}

#[test]
fn usage_errors_exit_2_in_indonesian() {
    let ws = Ws::init();
    let err = ws.fails(
        2,
        &[
            "permohonan",
            "lanjut",
            "1",
            "--peran",
            "camat",
            "--oleh",
            "X",
        ],
    );
    assert!(err.contains("nilai `camat` tidak sah"), "{err}");
    let err = ws.fails(2, &["permohonan", "daftar", "--bulan", "2026-13"]);
    assert!(err.contains("--bulan"), "{err}");
    let help = ws.ok(&["permohonan", "--help"]);
    assert!(
        help.contains("Penggunaan:") && help.contains("Perintah:"),
        "{help}"
    );
}

/// An error is said once: the cause a message already spells out is not repeated after it.
#[test]
fn an_error_is_said_once() {
    let ws = crate::Ws::init();
    let profile = ws.dir.join("kelurahan.toml");
    let mut text = std::fs::read_to_string(&profile).unwrap();
    text.push_str("\nkunci_asing = 3\n");
    std::fs::write(&profile, text).unwrap();
    let err = ws.fails(2, &["periksa"]);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(err.matches("kunci_asing").count(), 1, "{err}");
}
