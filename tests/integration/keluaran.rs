//! Output that cannot be written: a reader that went away (`… | head`) ends the program
//! quietly with its own exit code (0 when it succeeded), a full disk is one Indonesian line
//! and exit 3; never a panic. And `--format` offers each command only what it prints.

use std::fs::File;
use std::path::Path;
use std::process::{Output, Stdio};

use crate::{Ws, bin};

/// Runs `kelurahan` with its stdout a pipe whose reading end is closed before the
/// program gets to write.
fn into_closed_pipe(ws: &Ws, args: &[&str]) -> Output {
    let mut child = bin()
        .arg("--dir")
        .arg(&ws.dir)
        .args(args)
        .env_remove("KELURAHAN_DIR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run kelurahan");
    drop(child.stdout.take());
    child.wait_with_output().expect("wait for kelurahan")
}

/// Runs `kelurahan` with its stdout on /dev/full (every write: no space left), or `None`
/// where there is no /dev/full.
fn onto_full_disk(ws: &Ws, args: &[&str]) -> Option<Output> {
    let full = Path::new("/dev/full");
    if !full.exists() {
        eprintln!("/dev/full tidak ada: uji disk penuh dilewati");
        return None;
    }
    let file = File::options()
        .write(true)
        .open(full)
        .expect("open /dev/full");
    Some(
        bin()
            .arg("--dir")
            .arg(&ws.dir)
            .args(args)
            .env_remove("KELURAHAN_DIR")
            .stdin(Stdio::null())
            .stdout(file)
            .output()
            .expect("run kelurahan"),
    )
}

/// Help text with its line wrapping (which follows the terminal's width) undone.
fn help_text(ws: &Ws, args: &[&str]) -> String {
    ws.ok(args).split_whitespace().collect::<Vec<_>>().join(" ")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A register with enough requests that its JSON is far more than a pipe holds.
fn big_register() -> Ws {
    let ws = Ws::init();
    for i in 0..80 {
        ws.baru(&format!("Pemohon Nomor {i}"));
    }
    let json = ws.ok(&["permohonan", "daftar", "--format", "json"]);
    assert!(json.len() > 64 * 1024, "only {} bytes", json.len());
    ws
}

#[test]
fn a_reader_that_went_away_ends_the_program_quietly() {
    let ws = big_register();
    for args in [
        &["permohonan", "daftar", "--format", "json"][..],
        &["permohonan", "daftar"],
        &["permohonan", "daftar", "--format", "csv"],
        &["permohonan", "lihat", "1"],
        &["permohonan", "lihat", "1", "--format", "json"],
        &["katalog"],
        &["katalog", "sk-domisili"],
        &["periksa"],
        &["permohonan", "--help"],
    ] {
        let out = into_closed_pipe(&ws, args);
        let err = stderr(&out);
        assert!(!err.contains("panicked"), "kelurahan {args:?}: {err}");
        assert_eq!(out.status.code(), Some(0), "kelurahan {args:?}: {err}");
        assert!(err.is_empty(), "kelurahan {args:?} says nothing: {err}");
    }
}

#[test]
fn a_reader_that_went_away_does_not_turn_a_refusal_into_success() {
    // `verifikasi … | head -1` in a script: the verdict is printed first, but a letter that
    // is not genuine must still exit 1 when the reader has gone.
    let ws = Ws::init();
    let out = into_closed_pipe(&ws, &["verifikasi", "--kode", "K7QM-2XHD-9RTB"]);
    let err = stderr(&out);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(err.trim_end(), "galat: surat tidak sah atau tidak dikenal");
}

#[test]
fn a_full_disk_is_one_indonesian_line_and_exit_3() {
    let ws = big_register();
    for args in [
        &["permohonan", "daftar", "--format", "json"][..],
        &["permohonan", "daftar"],
        &["permohonan", "lihat", "1"],
        &["katalog"],
        &["periksa"],
        &["--help"],
    ] {
        let Some(out) = onto_full_disk(&ws, args) else {
            return;
        };
        let err = stderr(&out);
        assert!(!err.contains("panicked"), "kelurahan {args:?}: {err}");
        assert_eq!(out.status.code(), Some(3), "kelurahan {args:?}: {err}");
        assert!(
            err.starts_with("galat: keluaran tidak dapat ditulis: ruang penyimpanan penuh")
                && err.trim_end().lines().count() == 1,
            "kelurahan {args:?}: {err}"
        );
    }
}

#[test]
fn what_was_done_before_the_full_disk_stays_done() {
    let ws = Ws::init();
    let Some(out) = onto_full_disk(
        &ws,
        &crate::with_identity(&[
            "permohonan",
            "baru",
            "--jenis",
            "sk-domisili",
            "--nama",
            "Siti Aminah",
            "--nik",
            crate::NIK_P,
            "--berkas",
            "pengantar-rt,kk-ktp",
        ]),
    ) else {
        return;
    };
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let list = ws.snapshot();
    assert_eq!(list.as_array().map(Vec::len), Some(1), "{list}");
    assert_eq!(list[0]["nama"], "Siti Aminah");
}

#[test]
fn csv_is_refused_at_parse_time_where_it_is_not_printed() {
    let ws = Ws::init();
    ws.baru("Siti Aminah");
    for args in [
        &["katalog", "--format", "csv"][..],
        &["permohonan", "lihat", "1", "--format", "csv"],
        &["pengguna", "daftar", "--format", "csv"],
        &["jadwal", "daftar", "--format", "csv"],
        &["surel", "daftar", "--format", "csv"],
    ] {
        let err = ws.fails(2, args);
        assert!(
            err.contains("nilai `csv` tidak sah untuk --format")
                && err.contains("pilihan: tabel, json")
                && !err.contains("pilihan: tabel, json, csv"),
            "kelurahan {args:?}: {err}"
        );
    }
    // Refused before anything is opened: no workspace needed to be told.
    let out = bin()
        .args(["--dir", "/tidak/ada", "katalog", "--format", "csv"])
        .env_remove("KELURAHAN_DIR")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("nilai `csv` tidak sah"),
        "{}",
        stderr(&out)
    );

    let csv = ws.ok(&["permohonan", "daftar", "--format", "csv"]);
    assert!(csv.starts_with("id,nomor_register,"), "{csv}");

    let help = help_text(&ws, &["katalog", "--help"]);
    assert!(help.contains("(pilihan: tabel, json)"), "{help}");
    assert!(!help.contains("csv"), "{help}");
    let help = help_text(&ws, &["permohonan", "daftar", "--help"]);
    assert!(help.contains("(pilihan: tabel, json, csv)"), "{help}");
}

#[test]
fn roles_and_statuses_are_the_domain_codes() {
    let ws = Ws::init();
    let help = help_text(&ws, &["permohonan", "lanjut", "--help"]);
    assert!(
        help.contains("(pilihan: operator, kasi, koordinator, seklur, lurah)")
            && help.contains("(pilihan: lurah, seklur)"),
        "{help}"
    );
    let help = help_text(&ws, &["pengguna", "tambah", "--help"]);
    assert!(
        help.contains("(pilihan: operator, kasi, koordinator, seklur, lurah, admin)"),
        "{help}"
    );
    let help = help_text(&ws, &["surel", "daftar", "--help"]);
    assert!(
        help.contains("(pilihan: antre, mengirim, terkirim, gagal)"),
        "{help}"
    );
    // `pemohon` is a role of the SOP, but nobody acts in it at the command line.
    let err = ws.fails(
        2,
        &[
            "permohonan",
            "tolak",
            "1",
            "--peran",
            "pemohon",
            "--oleh",
            "X",
            "--alasan",
            "x",
        ],
    );
    assert!(
        err.contains("nilai `pemohon` tidak sah untuk --peran"),
        "{err}"
    );
    assert!(
        ws.ok(&["surel", "daftar", "--status", "gagal"])
            .contains("Status")
    );
}

/// `--keluar` never replaces what is not a regular file: a symlink stays a link (its
/// target untouched), a FIFO stays a FIFO.
#[test]
fn an_output_path_that_is_not_a_regular_file_is_left_alone() {
    let ws = Ws::init();
    ws.baru("Siti Aminah");
    let tmp = tempfile::TempDir::new().unwrap();
    let target = tmp.path().join("asli.txt");
    std::fs::write(&target, "jangan diubah").unwrap();
    let link = tmp.path().join("tautan.xlsx");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let out = ws.run(&["ekspor", "register", "--keluar", link.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bukan berkas biasa"), "{err}");
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "jangan diubah");

    let fifo = tmp.path().join("pipa.xlsx");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        let out = ws.run(&["ekspor", "register", "--keluar", fifo.to_str().unwrap()]);
        assert!(!out.status.success());
        use std::os::unix::fs::FileTypeExt;
        assert!(
            std::fs::symlink_metadata(&fifo)
                .unwrap()
                .file_type()
                .is_fifo()
        );
    }
}

/// A `--keluar` into a folder that does not exist outside the workspace is refused (a
/// typing mistake more likely than a wish); inside the workspace the folder is made.
#[test]
fn a_missing_folder_is_made_only_inside_the_workspace() {
    let ws = Ws::init();
    ws.baru("Siti Aminah");
    let tmp = tempfile::TempDir::new().unwrap();
    let outside = tmp.path().join("tidak-ada/register.xlsx");
    let err = ws.fails(
        2,
        &["ekspor", "register", "--keluar", outside.to_str().unwrap()],
    );
    assert!(err.contains("tidak ada"), "{err}");
    assert!(!tmp.path().join("tidak-ada").exists());
    let inside = ws.dir.join("arsip-ekspor/2026/register.xlsx");
    ws.ok(&["ekspor", "register", "--keluar", inside.to_str().unwrap()]);
    assert!(inside.exists());
}
