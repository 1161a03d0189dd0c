//! The history and the register numbers cannot be changed, even with SQL from outside
//! the program: triggers in the database refuse it.

use crate::Ws;

#[test]
fn history_refuses_update_and_delete_from_outside() {
    let ws = Ws::init();
    ws.baru("Siti Aminah");
    ws.ok(&[
        "permohonan",
        "lanjut",
        "1",
        "--peran",
        "operator",
        "--oleh",
        "Dedi",
    ]);
    let before = ws.snapshot();

    let db = ws.db();
    for sql in [
        "UPDATE riwayat SET oleh = 'Orang Lain'",
        "UPDATE riwayat SET waktu = '2020-01-01T00:00:00+07:00' WHERE id = 1",
        "DELETE FROM riwayat",
        "DELETE FROM permohonan",
        "UPDATE permohonan SET nomor_register = '9999/2026'",
        // A stage can only change together with a history entry that leads there.
        "UPDATE permohonan SET tahap = 'dilaporkan_ke_lurah'",
        // A history entry must start where the request stands.
        "INSERT INTO riwayat (permohonan_id, dari, ke, peran, oleh, waktu) \
         VALUES (1, 'diteruskan', 'ditindaklanjuti', 'koordinator', 'X', '2026-01-01T00:00:00+07:00')",
    ] {
        let err = db.execute(sql, []).expect_err(sql).to_string();
        assert!(
            err.contains("tidak boleh") || err.contains("harus") || err.contains("hanya"),
            "{sql}: {err}"
        );
    }
    drop(db);
    assert_eq!(ws.snapshot(), before);
    let n: i64 = ws
        .db()
        .query_row("SELECT COUNT(*) FROM riwayat", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 2);
}

#[test]
fn register_is_in_wal_mode_and_owner_only() {
    let ws = Ws::init();
    ws.baru("Siti Aminah");
    let mode: String = ws
        .db()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for f in ["kelurahan.db", "kelurahan.toml"] {
            let m = std::fs::metadata(ws.dir.join(f))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(m & 0o077, 0, "{f} is readable by others: {m:o}");
        }
    }
}
