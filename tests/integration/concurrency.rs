//! Two processes writing to one workspace at once: every request gets its own register
//! number and none fails with "database is locked".

use std::collections::BTreeSet;
use std::thread;

use crate::{NIK_L, Ws, kelurahan};

#[test]
fn two_processes_add_200_requests_each() {
    let ws = Ws::init();
    let writers: Vec<_> = ["A", "B"]
        .into_iter()
        .map(|who| {
            let dir = ws.dir.clone();
            thread::spawn(move || {
                for i in 0..200 {
                    let nama = format!("Pemohon {who} {i}");
                    let out = kelurahan(
                        &dir,
                        &crate::with_identity(&[
                            "permohonan",
                            "baru",
                            "--jenis",
                            "sktm",
                            "--nama",
                            &nama,
                            "--nik",
                            NIK_L,
                            "--format",
                            "json",
                        ]),
                    );
                    assert!(
                        out.status.success(),
                        "{who} {i}: {}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                }
            })
        })
        .collect();
    for w in writers {
        w.join().expect("writer thread");
    }
    let list = ws.snapshot();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 400);
    let numbers: BTreeSet<&str> = list
        .iter()
        .map(|p| p["nomor_register"].as_str().unwrap())
        .collect();
    assert_eq!(numbers.len(), 400, "register numbers must be distinct");
    // The sequence has no gaps: 0001 .. 0400.
    let urut: BTreeSet<u32> = numbers
        .iter()
        .map(|n| n.split('/').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(urut, (1..=400).collect());
    let names: BTreeSet<&str> = list.iter().map(|p| p["nama"].as_str().unwrap()).collect();
    assert_eq!(names.len(), 400);
}

/// Two Koordinators press "lanjut" on the same request at the same moment, each from the
/// stage their screen showed: the move happens once, the other is told who made it.
#[test]
fn a_double_click_moves_a_request_once() {
    use kelurahan::config::workspace::Workspace;
    use kelurahan::domain::calendar;
    use kelurahan::domain::workflow::{MoveError, Peran, Tahap};
    use kelurahan::services::surat::{self, SuratError};
    use kelurahan::store::RegisterError;

    let ws = Ws::init();
    let mut ids = Vec::new();
    for i in 0..8 {
        let p = ws.baru(&format!("Pemohon {i}"));
        let id = p["nomor_register"].as_str().unwrap().to_string();
        ws.to_koordinator(&id);
        ids.push(p["id"].as_i64().unwrap());
    }
    let clicks: Vec<_> = ["Andi", "Rina"]
        .into_iter()
        .map(|who| {
            let dir = ws.dir.clone();
            let ids = ids.clone();
            thread::spawn(move || {
                let w = Workspace::open(&dir).unwrap();
                let mut reg = kelurahan::services::arsip::open_register(&w).unwrap();
                let r = kelurahan::paper::render::LazyRenderer::new(&w);
                ids.iter()
                    .map(|id| {
                        surat::advance(
                            &mut reg,
                            &w,
                            &r,
                            *id,
                            Tahap::Diteruskan,
                            Peran::Koordinator,
                            who,
                            None,
                            calendar::now(w.profil.tz()),
                            None,
                        )
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let results: Vec<_> = clicks.into_iter().map(|t| t.join().unwrap()).collect();
    for (i, id) in ids.iter().enumerate() {
        let (a, b) = (&results[0][i], &results[1][i]);
        assert!(a.is_ok() != b.is_ok(), "request {id}: exactly one move");
        let refused = if a.is_ok() { b } else { a };
        match refused {
            Err(SuratError::Register(RegisterError::Move(MoveError::Moved {
                sekarang, ..
            }))) => {
                assert_eq!(*sekarang, Tahap::Ditindaklanjuti)
            }
            other => panic!("{other:?}"),
        }
        let v = ws.json(&["permohonan", "lihat", &id.to_string()]);
        assert_eq!(v["tahap"], "ditindaklanjuti", "not carried on to stage 5");
    }
}
