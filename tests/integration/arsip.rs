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
