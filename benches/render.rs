//! `cargo bench`: letter rendering speed and memory, measured on a demo workspace.
//!
//! Prints: steady-state time per letter on one core (compile + PDF + write), for
//! varied letters and for one letter repeated, letters
//! per second on all cores, peak memory after 1,000 letters, and the time from
//! program start to the first letter. Each phase runs in its own process so that
//! rayon's pool size and the peak-memory reading belong to that phase alone.

mod common;
use common::peak_rss_mb;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use kelurahan::config::workspace::Workspace;
use kelurahan::demo::{self, DemoOptions};
use kelurahan::domain::calendar::{self, Bulan};
use kelurahan::domain::surat::Surat;
use kelurahan::services::surat;
use kelurahan::store::Register;

fn letters(ws: &Workspace) -> Vec<Surat> {
    let reg = Register::open(&ws.db_path(), ws.profil.tz()).unwrap();
    let mut all = Vec::new();
    let mut m: Bulan = "2026-08".parse().unwrap();
    for _ in 0..5 {
        all.extend(reg.letters_in(m).unwrap());
        m = m.next();
    }
    assert!(!all.is_empty(), "the demo issued letters");
    all
}

/// Renders `count` letters on `workers` threads, each written to `out`; returns the
/// wall time.
fn run(ws: &Workspace, letters: &[Surat], count: usize, workers: usize, out: &Path) -> Duration {
    let renderer = kelurahan::paper::render::for_workspace(ws).unwrap();
    // Warm up: fonts, parsed templates, first-use caches.
    for s in letters.iter().take(20) {
        surat::render_stored(ws, &renderer, s).unwrap();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let start = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            std::thread::Builder::new()
                .stack_size(16 << 20)
                .spawn_scoped(scope, || {
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        if i >= count {
                            break;
                        }
                        let s = &letters[i % letters.len()];
                        let pdf = surat::render_stored(ws, &renderer, s).unwrap();
                        kelurahan::util::files::write_atomic(&out.join(format!("{i}.pdf")), &pdf)
                            .unwrap();
                    }
                })
                .unwrap();
        }
    });
    start.elapsed()
}

fn phase(dir: &Path, name: &str) {
    let ws = Workspace::open(dir).unwrap();
    let letters = letters(&ws);
    let out = dir.join("bench-out").join(name);
    std::fs::create_dir_all(&out).unwrap();
    match name {
        "satu-inti" => {
            let n = 300;
            let t = run(&ws, &letters, n, 1, &out);
            println!(
                "satu inti (RAYON_NUM_THREADS=1, 1 pekerja): {n} surat dalam {:.2} s = {:.2} ms/surat",
                t.as_secs_f64(),
                t.as_secs_f64() * 1000.0 / n as f64
            );
        }
        "satu-inti-sama" => {
            // The same letter again and again, as typst's own Python binding is usually
            // timed: typst's memoization then reuses most of the layout.
            let n = 300;
            let same = vec![letters[0].clone()];
            let t = run(&ws, &same, n, 1, &out);
            println!(
                "satu inti, surat yang sama berulang: {n} surat dalam {:.2} s = {:.2} ms/surat",
                t.as_secs_f64(),
                t.as_secs_f64() * 1000.0 / n as f64
            );
        }
        "hanya-render" => {
            // Typst compile and PDF export alone (no file written, no fsync): the figure
            // typst's own bindings are timed by.
            let renderer = kelurahan::paper::render::for_workspace(&ws).unwrap();
            for (label, pool) in [("sama", &letters[..1]), ("aneka", &letters[..])] {
                for s in pool.iter().cycle().take(20) {
                    surat::render_stored(&ws, &renderer, s).unwrap();
                }
                let n = 300;
                let t = std::time::Instant::now();
                for s in pool.iter().cycle().take(n) {
                    std::hint::black_box(surat::render_stored(&ws, &renderer, s).unwrap());
                }
                println!(
                    "satu inti, hanya render (tanpa menulis berkas), surat {label}: {:.2} ms/surat",
                    t.elapsed().as_secs_f64() * 1000.0 / n as f64
                );
            }
        }
        "semua-inti" | "semua-inti-sama" => {
            let n = 1000;
            let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
            let (pool, label) = if name == "semua-inti" {
                (&letters[..], "aneka surat")
            } else {
                (&letters[..1], "surat yang sama berulang")
            };
            let t = run(&ws, pool, n, workers, &out);
            println!(
                "semua inti ({workers} pekerja), {label}: {n} surat dalam {:.2} s = {:.0} surat/detik; memori puncak {:.0} MB",
                t.as_secs_f64(),
                n as f64 / t.as_secs_f64(),
                peak_rss_mb()
            );
        }
        other => panic!("unknown phase {other}"),
    }
    std::fs::remove_dir_all(&out).unwrap();
}

fn main() {
    // Child process: one phase.
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--fase") {
        phase(Path::new(&args[i + 2]), &args[i + 1]);
        return;
    }
    if args.iter().any(|a| a == "--list") {
        return;
    }

    let tmp = tempfile::TempDir::new().unwrap();
    let dir: PathBuf = tmp.path().join("demo");
    let hingga = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
    let start = Instant::now();
    let summary = demo::run(
        &dir,
        &DemoOptions {
            hingga,
            cutoff: calendar::at(calendar::WIB, hingga, 23, 59),
            jumlah: 300,
        },
    )
    .unwrap();
    println!(
        "demo: {} permohonan, {} surat diterbitkan dan {} blanko dalam {:.2} s",
        summary.jumlah,
        summary.surat,
        summary.blanko,
        start.elapsed().as_secs_f64()
    );

    let me = std::env::current_exe().unwrap();
    for (name, rayon) in [
        ("satu-inti", Some("1")),
        ("satu-inti-sama", Some("1")),
        ("hanya-render", Some("1")),
        ("semua-inti", None),
        ("semua-inti-sama", None),
    ] {
        let mut cmd = Command::new(&me);
        cmd.args(["--fase", name]).arg(&dir);
        if let Some(n) = rayon {
            cmd.env("RAYON_NUM_THREADS", n);
        }
        let status = cmd.status().unwrap();
        assert!(status.success());
    }

    // From program start to the first letter: the real binary, one letter re-rendered
    // from the register (its file removed, so nothing is copied).
    let bin = env!("CARGO_BIN_EXE_kelurahan");
    let ws = Workspace::open(&dir).unwrap();
    let s = letters(&ws).remove(0);
    let mut times = Vec::new();
    for _ in 0..15 {
        let _ = std::fs::remove_file(dir.join(&s.berkas));
        let t = Instant::now();
        let out = Command::new(bin)
            .args(["--dir"])
            .arg(&dir)
            .args(["surat", &s.permohonan_id.to_string()])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!(
        "surat pertama sejak program mulai (`kelurahan surat ID`, proses baru): median {:.1} ms, min {:.1} ms",
        times[times.len() / 2],
        times[0]
    );
}
