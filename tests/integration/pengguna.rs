//! `kelurahan pengguna` and the login check: accounts with roles, argon2 hashes,
//! passwords never shown, lock-out after repeated failures.

use std::io::Write;
use std::process::Stdio;

use chrono::Duration;
use kelurahan::domain::calendar::{self, WIB};
use kelurahan::services::pengguna::{self, PenggunaError};
use kelurahan::store::Register;

use crate::Ws;

/// Runs `kelurahan` with `input` on its standard input.
fn with_stdin(ws: &Ws, args: &[&str], input: &str) -> std::process::Output {
    let mut child = crate::bin()
        .arg("--dir")
        .arg(&ws.dir)
        .args(args)
        .env_remove("KELURAHAN_DIR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn add(ws: &Ws, nama: &str, peran: &str, sandi: &str) -> std::process::Output {
    with_stdin(
        ws,
        &[
            "pengguna",
            "tambah",
            "--nama",
            nama,
            "--peran",
            peran,
            "--sandi-stdin",
        ],
        &format!("{sandi}\n"),
    )
}

#[test]
fn accounts_are_added_listed_and_never_show_their_password() {
    let ws = Ws::init();
    let out = add(&ws, "Rina  Marlina", "operator", "kuda-lumping-42");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "akun Rina Marlina (operator) ditambahkan\n"
    );

    // One account per name, whatever its case; rules on passwords; nothing half-added.
    let out = add(&ws, "rina marlina", "kasi", "kuda-lumping-43");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("sudah ada"));
    let out = add(&ws, "Budi", "kasi", "pendek");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("sedikitnya 10 karakter"));
    // No terminal and no --sandi-stdin: nothing to read a password from.
    let err = ws.fails(
        2,
        &["pengguna", "tambah", "--nama", "Budi", "--peran", "kasi"],
    );
    assert!(err.contains("--sandi-stdin"), "{err}");

    let list = ws.json(&["pengguna", "daftar"]);
    let text = list.to_string();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["nama"], "Rina Marlina");
    assert_eq!(list[0]["peran"], "operator");
    assert!(!text.contains("argon2"), "{text}");
    let hash: String = ws
        .db()
        .query_row("SELECT sandi FROM pengguna", [], |r| r.get(0))
        .unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert!(!hash.contains("kuda-lumping"));
    // An account is deactivated, never deleted.
    assert!(ws.db().execute("DELETE FROM pengguna", []).is_err());
}

#[test]
fn a_login_checks_the_password_and_locks_after_five_failures() {
    let ws = Ws::init();
    assert!(
        add(&ws, "Andi Saputra", "koordinator", "jembatan-gantung-7")
            .status
            .success()
    );
    let mut reg = Register::open(
        &ws.dir.join("kelurahan.db"),
        kelurahan::domain::calendar::WIB,
    )
    .unwrap();
    // The program's own clock: `pengguna daftar` below runs as a child on that clock, and
    // must see the lock this test sets.
    let now = calendar::now(WIB);

    let p = pengguna::masuk(&mut reg, "andi saputra", "jembatan-gantung-7", now).unwrap();
    assert_eq!(p.nama, "Andi Saputra");
    assert_eq!(
        p.peran.sop(),
        Some(kelurahan::domain::workflow::Peran::Koordinator)
    );

    // A wrong password and an unknown name read the same.
    let wrong = pengguna::masuk(&mut reg, "Andi Saputra", "salah-sandinya", now).unwrap_err();
    let unknown = pengguna::masuk(&mut reg, "Siapa Saja", "salah-sandinya", now).unwrap_err();
    assert_eq!(wrong.to_string(), unknown.to_string());
    assert!(matches!(wrong, PenggunaError::Salah));

    for _ in 0..3 {
        assert!(matches!(
            pengguna::masuk(&mut reg, "Andi Saputra", "salah-sandinya", now),
            Err(PenggunaError::Salah)
        ));
    }
    // The fifth failure in a row locks the account, even against the right password;
    // the words are those of an unknown name, so a lock tells no guesser a name exists.
    let fifth = pengguna::masuk(&mut reg, "Andi Saputra", "salah-sandinya", now).unwrap_err();
    assert_eq!(fifth.to_string(), unknown.to_string());
    let locked = pengguna::masuk(
        &mut reg,
        "Andi Saputra",
        "jembatan-gantung-7",
        now + Duration::minutes(14),
    )
    .unwrap_err();
    assert_eq!(locked.to_string(), unknown.to_string());
    let unknown_again =
        pengguna::masuk(&mut reg, "Siapa Saja", "jembatan-gantung-7", now).unwrap_err();
    assert_eq!(locked.to_string(), unknown_again.to_string());
    let shown = ws.ok(&["pengguna", "daftar"]);
    assert!(shown.contains("terkunci sampai"), "{shown}");

    // Fifteen minutes later the right password works, and the count starts again.
    let p = pengguna::masuk(
        &mut reg,
        "Andi Saputra",
        "jembatan-gantung-7",
        now + Duration::minutes(16),
    )
    .unwrap();
    assert_eq!((p.gagal, p.kunci_sampai), (0, None));

    // A new password lifts a lock at once.
    for _ in 0..5 {
        let _ = pengguna::masuk(
            &mut reg,
            "Andi Saputra",
            "salah-sandinya",
            now + Duration::minutes(20),
        );
    }
    let out = with_stdin(
        &ws,
        &[
            "pengguna",
            "sandi",
            "--nama",
            "andi saputra",
            "--sandi-stdin",
        ],
        "sandi-baru-andi-1\n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        pengguna::masuk(
            &mut reg,
            "Andi Saputra",
            "sandi-baru-andi-1",
            now + Duration::minutes(21)
        )
        .is_ok()
    );
    assert!(
        pengguna::masuk(
            &mut reg,
            "Andi Saputra",
            "jembatan-gantung-7",
            now + Duration::minutes(21)
        )
        .is_err()
    );

    // A deactivated account cannot log in, and says so only to the right password.
    ws.ok(&["pengguna", "nonaktif", "--nama", "Andi Saputra"]);
    let later = now + Duration::minutes(30);
    assert!(matches!(
        pengguna::masuk(&mut reg, "Andi Saputra", "sandi-baru-andi-1", later),
        Err(PenggunaError::Nonaktif(_))
    ));
    assert!(matches!(
        pengguna::masuk(&mut reg, "Andi Saputra", "salah-sandinya", later),
        Err(PenggunaError::Salah)
    ));
    ws.ok(&["pengguna", "aktif", "--nama", "Andi Saputra"]);
    assert!(pengguna::masuk(&mut reg, "Andi Saputra", "sandi-baru-andi-1", later).is_ok());
}
