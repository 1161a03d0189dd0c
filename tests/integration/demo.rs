//! `kelurahan demo`: a deterministic register with requests in every stage.

use std::collections::BTreeMap;

use tempfile::TempDir;

use crate::kelurahan;

fn demo(dir: &std::path::Path, hingga: &str) -> serde_json::Value {
    let out = kelurahan(dir, &["demo", "--hingga", hingga, "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The register as JSON, without the tracking codes: those are random by design (a code
/// that could be worked out would open someone else's status page).
fn register(dir: &std::path::Path) -> serde_json::Value {
    let out = kelurahan(dir, &["permohonan", "daftar", "--format", "json"]);
    assert!(out.status.success());
    let mut v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for p in v.as_array_mut().unwrap() {
        assert!(p["kode_lacak"].as_str().is_some_and(|k| k.len() == 16));
        p.as_object_mut().unwrap().remove("kode_lacak");
    }
    v
}

#[test]
fn demo_fills_every_stage_and_is_deterministic() {
    let tmp = TempDir::new().unwrap();
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    for hingga in [
        "2026-11-29",
        "2026-11-02",
        "2026-11-04",
        "2026-11-06",
        "2026-10-31",
    ] {
        let summary = demo(&a, hingga);
        let total = summary["jumlah"].as_u64().unwrap();
        assert!((250..=300).contains(&total), "{total}");
        let list = register(&a);
        let list = list.as_array().unwrap();
        assert_eq!(list.len() as u64, total);
        let mut by_stage = BTreeMap::new();
        for p in list {
            *by_stage
                .entry(p["tahap"].as_str().unwrap().to_string())
                .or_insert(0) += 1;
        }
        for stage in [
            "diajukan",
            "diterima",
            "diteruskan",
            "ditindaklanjuti",
            "dilaporkan_ke_seklur",
            "dilaporkan_ke_lurah",
            "ditolak",
        ] {
            assert!(
                by_stage.get(stage).copied().unwrap_or(0) > 0,
                "{hingga}: no {stage}: {by_stage:?}"
            );
        }
        let types: std::collections::BTreeSet<_> =
            list.iter().map(|p| p["jenis"].as_str().unwrap()).collect();
        // The office's common letters, from the fifteen the demo draws (some are rare).
        assert!(types.len() >= 12, "{hingga}: {types:?}");
        let kanal: std::collections::BTreeSet<_> =
            list.iter().map(|p| p["kanal"].as_str().unwrap()).collect();
        assert_eq!(kanal.len(), 2);
        // Every NIK in the demo passes the same check as the Operator's input.
        for p in list {
            let nik = p["nik"].as_str().unwrap();
            assert!(nik.starts_with("1571") && nik.len() == 16, "{nik}");
        }
    }
    // The same day gives the same register, in another folder too.
    demo(&b, "2026-10-31");
    assert_eq!(register(&a), register(&b));
}

#[test]
fn demo_never_overwrites_a_real_workspace() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("kantor");
    assert!(kelurahan(&dir, &["init"]).status.success());
    let out = kelurahan(&dir, &["demo", "--hingga", "2026-11-29"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bukan buatan `kelurahan demo`"));
    assert_eq!(register(&dir), serde_json::json!([]));
}
