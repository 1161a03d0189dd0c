//! The office's worst days for the letter archive: last night's backup restored over the
//! register, the database lost, a damaged page in it, a writer killed mid-letter. Every
//! letter number stays issued once and no letter file is ever replaced.

use std::path::{Path, PathBuf};

use crate::Ws;
use crate::letters::issue;

/// Every file under the archive with its bytes, to prove none was replaced.
fn archive(ws: &Ws) -> Vec<(PathBuf, Vec<u8>)> {
    fn walk(d: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
        let Ok(rd) = std::fs::read_dir(d) else { return };
        for e in rd {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.push((p.clone(), std::fs::read(&p).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(&ws.dir.join("output/surat"), &mut out);
    out.sort();
    out
}

fn letter(ws: &Ws, nama: &str) -> String {
    let p = ws.baru(nama);
    let id = p["nomor_register"].as_str().unwrap().to_string();
    let p = issue(ws, &id, &[]);
    p["surat"]["nomor"].as_str().unwrap().to_string()
}

fn urut(nomor: &str) -> u32 {
    nomor.split('/').nth(1).unwrap().parse().unwrap()
}

/// A copy of the register as the backup job makes it (SQLite's VACUUM INTO).
fn backup(ws: &Ws, to: &Path) {
    ws.db()
        .execute("VACUUM INTO ?1", [to.to_str().unwrap()])
        .unwrap();
}

fn restore(ws: &Ws, from: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(ws.dir.join(format!("kelurahan.db{suffix}")));
    }
    std::fs::copy(from, ws.dir.join("kelurahan.db")).unwrap();
}

#[test]
fn a_restored_backup_never_issues_a_number_again_nor_replaces_a_letter() {
    let ws = Ws::init();
    let first = letter(&ws, "Siti Aminah");
    let saved = ws.dir.join("cadangan-semalam.db");
    backup(&ws, &saved);
    let second = letter(&ws, "Budi Santoso");
    let third = letter(&ws, "Rahmat Hidayat");
    assert_eq!((urut(&first), urut(&second), urut(&third)), (1, 2, 3));
    let before = archive(&ws);

    // The disk died; last night's backup comes back.
    restore(&ws, &saved);
    let p = ws.baru("Dewi Lestari");
    let id = p["nomor_register"].as_str().unwrap().to_string();
    ws.to_koordinator(&id);
    let err = ws.fails(
        4,
        &[
            "permohonan",
            "lanjut",
            &id,
            "--peran",
            "koordinator",
            "--oleh",
            "Rina",
        ],
    );
    assert!(err.contains("sudah ada di arsip surat"), "{err}");
    assert!(err.contains("kelurahan pulihkan"), "{err}");
    assert_eq!(archive(&ws), before, "no letter file replaced or added");

    // `periksa` names the letters the register lost.
    let out = ws.run(&["periksa"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("tidak tercatat"), "{text}");

    // `pulihkan` records them; the sequence goes on after them.
    let out = ws.ok(&["pulihkan"]);
    assert!(out.contains('2'), "{out}");
    let p = ws.json(&[
        "permohonan",
        "lanjut",
        &id,
        "--peran",
        "koordinator",
        "--oleh",
        "Rina",
    ]);
    let nomor = p["surat"]["nomor"].as_str().unwrap();
    assert_eq!(urut(nomor), 4, "{nomor}");
    let after = archive(&ws);
    for f in &before {
        assert!(after.contains(f), "{} kept byte for byte", f.0.display());
    }
    // Run again, nothing more to record; the workspace is whole.
    ws.ok(&["pulihkan"]);
    ws.ok(&["periksa"]);
}

#[test]
fn a_lost_database_beside_an_archive_is_not_recreated_empty() {
    let ws = Ws::init();
    let first = letter(&ws, "Siti Aminah");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(ws.dir.join(format!("kelurahan.db{suffix}")));
    }
    let before = archive(&ws);
    let err = ws.fails(4, &["permohonan", "daftar"]);
    assert!(err.contains("tidak ada, padahal arsip surat"), "{err}");
    assert!(
        !ws.dir.join("kelurahan.db").exists(),
        "nothing made in silence"
    );

    ws.ok(&["pulihkan"]);
    let nomor = letter(&ws, "Budi Santoso");
    assert_eq!(urut(&nomor), urut(&first) + 1, "{nomor}");
    let after = archive(&ws);
    assert!(before.iter().all(|f| after.contains(f)));
}

#[test]
fn a_damaged_database_is_found_and_issues_no_letter() {
    let ws = Ws::init();
    letter(&ws, "Siti Aminah");
    let p = ws.baru("Budi Santoso");
    let id = p["nomor_register"].as_str().unwrap().to_string();
    ws.to_koordinator(&id);
    // Enough rows that the file has pages to damage past the schema.
    for i in 0..60 {
        ws.baru(&format!("Warga Nomor {i}"));
    }
    let db = ws.dir.join("kelurahan.db");
    ws.db()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
    let mut bytes = std::fs::read(&db).unwrap();
    assert!(bytes.len() > 24 * 1024, "{} bytes", bytes.len());
    let mid = bytes.len() / 2;
    let mut x: u32 = 0x9e37_79b9;
    for b in &mut bytes[mid - 4096..mid + 4096] {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        *b = x as u8;
    }
    std::fs::write(&db, &bytes).unwrap();
    let before = archive(&ws);

    let out = ws.run(&["periksa"]);
    assert_eq!(
        out.status.code(),
        Some(4),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(said.contains("rusak"), "{said}");

    let out = ws.run(&[
        "permohonan",
        "lanjut",
        &id,
        "--peran",
        "koordinator",
        "--oleh",
        "Rina",
    ]);
    assert_ne!(out.status.code(), Some(0));
    assert_eq!(
        archive(&ws),
        before,
        "no letter issued into a damaged register"
    );
}

#[test]
fn a_killed_writers_leftover_is_removed_by_periksa() {
    let ws = Ws::init();
    letter(&ws, "Siti Aminah");
    // What `kill -9` between writing and renaming leaves: a whole letter under a
    // temporary name, of a process that no longer runs.
    let dir = ws.dir.join("output/surat");
    let month = std::fs::read_dir(&dir)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let month = std::fs::read_dir(&month)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let leftover = month.join(".400.12.2.1-009-RWS-XI-2026.pdf.4194303.tmp");
    std::fs::write(&leftover, b"%PDF- Siti Aminah 1571094506900003").unwrap();
    let out = ws.ok(&["periksa"]);
    assert!(!leftover.exists(), "{out}");
    assert!(out.contains("sementara"), "{out}");
}

/// A reprint never replaces the letter's own file: a missing file is made again, a file
/// that differs from what was issued is left for `periksa` to name.
#[test]
fn a_reprint_never_replaces_the_archived_letter() {
    let ws = Ws::init();
    letter(&ws, "Siti Aminah");
    let v = ws.json(&["permohonan", "lihat", "1"]);
    let file = ws.dir.join(v["surat"]["berkas"].as_str().unwrap());
    let issued = std::fs::read(&file).unwrap();

    std::fs::remove_file(&file).unwrap();
    ws.ok(&["surat", "1"]);
    assert_eq!(
        std::fs::read(&file).unwrap(),
        issued,
        "made again, byte for byte"
    );
    ws.ok(&["periksa"]);

    let mut changed = issued.clone();
    changed.extend_from_slice(b"\n% diubah\n");
    std::fs::write(&file, &changed).unwrap();
    let err = ws.fails(1, &["surat", "1"]);
    assert!(err.contains("tidak ditimpa"), "{err}");
    assert_eq!(
        std::fs::read(&file).unwrap(),
        changed,
        "evidence left as found"
    );
    let out = ws.run(&["periksa"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("berubah"));
    // A copy elsewhere is still printed from the stored data.
    let copy = ws.dir.join("salinan.pdf");
    ws.ok(&["surat", "1", "--keluar", copy.to_str().unwrap()]);
    assert_eq!(std::fs::read(&copy).unwrap(), issued);
}

/// Makes everything under `root` read-only, and when the suite runs as root (where
/// permissions are not enforced), hands it to `nobody` so that a child run as `nobody`
/// meets them. Returns the user to run as, if any.
fn make_read_only(root: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    let as_nobody = running_as_root().then_some(65534u32);
    fn walk(d: &Path, f: &mut dyn FnMut(&Path, bool)) {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, f);
                f(&p, true);
            } else {
                f(&p, false);
            }
        }
    }
    walk(root, &mut |p, dir| {
        if let Some(u) = as_nobody {
            std::os::unix::fs::chown(p, Some(u), Some(u)).unwrap();
        }
        let mode = if dir { 0o500 } else { 0o400 };
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
    });
    if let Some(u) = as_nobody {
        std::os::unix::fs::chown(root, Some(u), Some(u)).unwrap();
    }
    std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o500)).unwrap();
    as_nobody
}

/// Whether this process runs as root: the owner of a file it has just made.
fn running_as_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    let f = tempfile::NamedTempFile::new().unwrap();
    f.as_file().metadata().unwrap().uid() == 0
}

#[test]
fn a_read_only_workspace_is_still_read_and_refuses_writes_with_exit_3() {
    use std::os::unix::process::CommandExt;
    let ws = Ws::init();
    ws.baru("Siti Aminah");
    let s = issue(&ws, "1", &[]);
    let letter = ws.dir.join(s["surat"]["berkas"].as_str().unwrap());
    // A leftover of a killed write, which `periksa` would otherwise remove.
    let leftover = letter.with_file_name(".sisa.pdf.4242.tmp");
    std::fs::write(&leftover, b"%PDF-").unwrap();
    // The program itself must be reachable by the user it runs as.
    let tmp = tempfile::TempDir::new().unwrap();
    let bin = tmp.path().join("kelurahan");
    std::fs::copy(crate::BIN, &bin).unwrap();
    let db = ws.dir.join("kelurahan.db");
    let before = std::fs::read(&db).unwrap();
    let root = ws.dir.parent().unwrap().to_path_buf();
    let user = make_read_only(&root);
    if let Some(u) = user {
        std::os::unix::fs::chown(tmp.path(), Some(u), Some(u)).unwrap();
    }
    let run = |args: &[&str]| {
        let mut c = std::process::Command::new(&bin);
        c.arg("--dir").arg(&ws.dir).args(args);
        if let Some(u) = user {
            c.uid(u).gid(u);
        }
        c.output().unwrap()
    };
    let ok = |args: &[&str]| {
        let out = run(args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let list: serde_json::Value =
        serde_json::from_str(&ok(&["permohonan", "daftar", "--format", "json"])).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert!(ok(&["permohonan", "lihat", "1"]).contains("Siti Aminah"));
    assert!(ok(&["verifikasi", letter.to_str().unwrap()]).contains("SAH"));
    // `periksa` reads everything, changes nothing, and names the leftover it could not
    // remove (exit 1: something to mend).
    let out = run(&["periksa"]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(
        said.contains("hanya dapat dibaca") && said.contains(".sisa.pdf.4242.tmp"),
        "{said}"
    );
    assert!(leftover.exists());
    // A write is refused as read-only (exit 3), said once, in Indonesian.
    let out = run(&crate::with_identity(&[
        "permohonan",
        "baru",
        "--jenis",
        "sktm",
        "--nama",
        "Budi",
        "--nik",
        crate::NIK_L,
    ]));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.contains("hanya dapat dibaca"), "{err}");
    assert!(
        !err.contains("Error code"),
        "SQLite's English is not repeated: {err}"
    );
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "the database is unchanged"
    );
    // Hand it back, so that the temporary folder can be removed.
    let _ = std::process::Command::new("chmod")
        .args(["-R", "u+w"])
        .arg(&root)
        .status();
}
