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
                        &[
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
                        ],
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
