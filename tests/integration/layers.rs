//! The house rules, read from the source: each layer of `src/` imports only from the
//! layers below it, modules of one layer import each other without a circle, and a
//! shipped migration never changes.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, bottom up, by the first folder under `src/` (ARCHITECTURE.md has the table).
const LAYERS: [(&str, u8); 9] = [
    ("util", 0),
    ("domain", 1),
    ("config", 2),
    ("store", 3),
    ("paper", 4),
    ("services", 5),
    ("cli", 6),
    ("web", 6),
    ("demo", 6),
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// `src/store/surel.rs` -> `store::surel`; `src/paper/import/mod.rs` -> `paper::import`.
fn module_of(path: &Path) -> String {
    let rel = path.strip_prefix(src()).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts.join("::")
}

fn layer_of(module: &str) -> Option<u8> {
    let top = module.split("::").next()?;
    LAYERS.iter().find(|(n, _)| *n == top).map(|(_, l)| *l)
}

/// The code without unit-test modules (they may import anything) and without comments.
fn code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(i) => &text[..i],
        None => text,
    };
    text.lines()
        .filter(|l| {
            let t = l.trim_start();
            !t.starts_with("//")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every `crate::a::b…` path named in `text`, braces expanded one level.
fn crate_paths(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("crate::") {
        let after = &rest[i + "crate::".len()..];
        if let Some(inner) = after.strip_prefix('{') {
            let end = inner.find('}').unwrap_or(inner.len());
            for item in inner[..end].split(',') {
                let p: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                    .collect();
                if !p.is_empty() {
                    out.push(p);
                }
            }
        } else {
            let p: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            out.push(p.trim_end_matches(':').to_string());
        }
        rest = after;
    }
    out
}

/// The import graph: module -> modules it names (the longest known module prefix).
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let texts: BTreeMap<String, String> = files
        .iter()
        .map(|f| (module_of(f), std::fs::read_to_string(f).unwrap()))
        .collect();
    let modules: BTreeSet<&String> = texts.keys().collect();
    let owner = |path: &str| -> Option<String> {
        let parts: Vec<&str> = path.split("::").collect();
        (1..=parts.len())
            .rev()
            .map(|n| parts[..n].join("::"))
            .find(|c| modules.contains(c))
    };
    let mut g = BTreeMap::new();
    for (m, text) in &texts {
        let mut to = BTreeSet::new();
        for p in crate_paths(&code(text)) {
            if let Some(o) = owner(&p) {
                let related =
                    o == *m || m.starts_with(&format!("{o}::")) || o.starts_with(&format!("{m}::"));
                if !related {
                    to.insert(o);
                }
            }
        }
        g.insert(m.clone(), to);
    }
    g
}

#[test]
fn every_module_belongs_to_a_layer() {
    for m in graph().keys() {
        assert!(
            m.is_empty() || m == "main" || layer_of(m).is_some(),
            "src/{m} is in no layer: put it under one of {:?}",
            LAYERS.map(|l| l.0)
        );
    }
}

#[test]
fn no_layer_imports_one_above_it() {
    let mut wrong = Vec::new();
    for (m, to) in graph() {
        let Some(from) = layer_of(&m) else { continue };
        for t in to {
            if let Some(l) = layer_of(&t)
                && l > from
            {
                wrong.push(format!("{m} (layer {from}) imports {t} (layer {l})"));
            }
        }
    }
    assert!(wrong.is_empty(), "imports upward:\n{}", wrong.join("\n"));
}

#[test]
fn no_module_circle() {
    let g = graph();
    // Depth-first search for a back edge; prints the circle it finds.
    fn visit(
        m: &str,
        g: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(m.to_string(), 1);
        stack.push(m.to_string());
        for t in g.get(m).into_iter().flatten() {
            match state.get(t.as_str()).copied().unwrap_or(0) {
                1 => {
                    let i = stack.iter().position(|s| s == t).unwrap();
                    let mut c = stack[i..].to_vec();
                    c.push(t.clone());
                    return Some(c);
                }
                0 => {
                    if let Some(c) = visit(t, g, state, stack) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(m.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for m in g.keys() {
        if !state.contains_key(m.as_str()) {
            let circle = visit(m, &g, &mut state, &mut Vec::new());
            assert!(circle.is_none(), "circle: {}", circle.unwrap().join(" -> "));
        }
    }
}

#[test]
fn the_check_sees_an_upward_import() {
    // The checker itself: a store file naming a service is caught.
    let p = crate_paths(
        "use crate::services::surat::SuratError;\nlet x = crate::{domain::calendar, util::files};",
    );
    assert_eq!(
        p,
        [
            "services::surat::SuratError",
            "domain::calendar",
            "util::files"
        ]
    );
    assert!(layer_of("services::surat") > layer_of("store::surel"));
    assert_eq!(
        code("a\n// crate::web\n#[cfg(test)]\nmod tests { crate::web }"),
        "a"
    );
}

/// Each shipped migration's SHA-256. A shipped migration is never edited (databases in
/// offices have already applied it); a change of schema is a new file and a new line here.
const MIGRATIONS: [(&str, &str); 18] = [
    (
        "0001_permohonan.sql",
        "9ce5f5578411246c4aeaf935736383ed2f543d283c8d91ad1d11a92e569ed3df",
    ),
    (
        "0002_surat.sql",
        "b6b842acc22766f89f9270e9cbc96e22d48b4ed324f9d66645dbba735c5a6cfe",
    ),
    (
        "0003_laporan.sql",
        "2d62e8b2217c82c88f74311a3a864eaa8b91138c3c4bd918df6b46ad3180932f",
    ),
    (
        "0004_surel.sql",
        "1ca961a070032f4e300090cc74b2db298eda9756b4ec1fa7c03f227398799af0",
    ),
    (
        "0005_jalan.sql",
        "8b1683a8562dbe96aefe7ca8534939f5b2b74826bfcd17f9e3e8071b0179cbd2",
    ),
    (
        "0006_surat_lama.sql",
        "e7c7d876311b7ea8881d188ec6926b84215d06061170076c61238aecd364fba9",
    ),
    (
        "0007_pengguna.sql",
        "f1b5eaeefddbd24278acb293240ca9147b36008eb5b6b195c7b930fa78b46288",
    ),
    (
        "0008_sesi.sql",
        "38af84d6386d490ff9a59830d606a84fa584d72fbb48954f290844b57e42aa3a",
    ),
    (
        "0009_waktu_utc.sql",
        "31fbaffc2b4dc3e87554c0995babd36976ec7a52a28146aee54c6cb6666b2b32",
    ),
    (
        "0010_nomor_ditemukan.sql",
        "4e1f96572ce305196916769eb729e0bf5fba55b511a67af878b133d2a2ac7fe4",
    ),
    (
        "0011_laporan_angka.sql",
        "90f8122827cdb9be856c56636c3e47c435069adfa467036985c6fb1ec445ca0c",
    ),
    (
        "0012_perubahan.sql",
        "8562f58b1570f33fad16cf896c3cedcbef89ec7c99bf5ffe1802e21c7620f7e2",
    ),
    (
        "0013_penduduk.sql",
        "13f6baf709976a2d4dae02058edbecb5bf6e4adbcf33b740e791b197d50c4cc0",
    ),
    (
        "0014_jenis_asal.sql",
        "e85a705df0d47884391e5a52dff9635bf3698eacdea2d9c02a714a49ae934242",
    ),
    (
        "0015_dibatalkan.sql",
        "49c991cfe48b36d3457847fb4ff21bf599763b612f60a31e4233156771fb4f41",
    ),
    (
        "0016_kode_lacak.sql",
        "9fab8cb8cff449ac1875cce86636ba476284038e865c736fd975367cd37a76ce",
    ),
    (
        "0017_indeks_register.sql",
        "7761bfbacf8d556a33551e642f431b41e1d2793e89f9dfc1de786f046f84dfc7",
    ),
    (
        "0018_kata_nama.sql",
        "509902dd5746bba1d993a25e01e3ee94f95650f96252e584c021c76376919f4f",
    ),
];

#[test]
fn shipped_migrations_never_change() {
    let dir = src().join("store/migrations");
    let mut found: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    found.sort();
    assert_eq!(
        found,
        MIGRATIONS.map(|m| m.0.to_string()),
        "a migration was added or removed: pin it here"
    );
    for (name, sha) in MIGRATIONS {
        let bytes = std::fs::read(dir.join(name)).unwrap();
        assert_eq!(
            kelurahan::util::acak::sha256_hex(&bytes),
            sha,
            "{name} was edited after it shipped: put the change in a new migration"
        );
    }
}
