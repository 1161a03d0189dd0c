//! `kelurahan jadwal daftar|jalankan` and `kelurahan layani`: the schedules, running what
//! is due (or one job for one period), and the service that runs them on time.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

use super::args::JadwalCmd;
use super::out::Out;
use super::show;
use crate::domain::calendar;
use crate::services::jobs::{self, JobError};

/// A scheduled run failed (exit 1); its error is in the runs table.
#[derive(Debug, thiserror::Error)]
#[error("ada tugas terjadwal yang gagal; lihat `kelurahan jadwal daftar`")]
pub struct RunFailed;

pub(super) fn run(out: &mut Out, dir: &Path, cmd: JadwalCmd) -> Result<()> {
    let (ws, mut reg) = super::open(dir)?;
    let jadwal = crate::config::jadwal::load(&ws.dir)?;
    let now = calendar::now(ws.profil.tz());
    match cmd {
        JadwalCmd::Daftar(a) => {
            let list = jobs::overview(&ws, &reg, now)?;
            if a.keluaran.json() {
                return super::print_json(out, &list);
            }
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|j| {
                    vec![
                        j.nama.clone(),
                        if j.aktif { "aktif" } else { "mati" }.into(),
                        j.cron.clone(),
                        j.berikutnya.join("; "),
                        j.terakhir_teks(),
                    ]
                })
                .collect();
            out.text(&show::table(
                &["Jadwal", "Status", "Cron", "Berikutnya (WIB)", "Terakhir"],
                &rows,
            ))?;
        }
        JadwalCmd::Jalankan(a) => {
            let (reports, missed) = match &a.tugas {
                Some(nama) => {
                    let j = jadwal.iter().find(|j| &j.nama == nama).ok_or_else(|| {
                        JobError::UnknownJob(
                            nama.clone(),
                            jadwal
                                .iter()
                                .map(|j| j.nama.as_str())
                                .collect::<Vec<_>>()
                                .join(", "),
                        )
                    })?;
                    let periode = match &a.periode {
                        Some(p) => p.clone(),
                        None => match j.due(&now).last() {
                            Some(t) => j.tugas.period(t),
                            None => j.tugas.period(&now.with_timezone(&j.tz)),
                        },
                    };
                    (vec![jobs::run(&ws, &mut reg, j, &periode, now)?], vec![])
                }
                None => jobs::run_due(&ws, &mut reg, &jadwal, now)?,
            };
            if a.keluaran.json() {
                super::print_json(
                    out,
                    &serde_json::json!({ "dijalankan": reports, "terlewat": missed }),
                )?;
            } else {
                if reports.is_empty() {
                    writeln!(out, "Tidak ada tugas yang waktunya tiba.")?;
                }
                for r in &reports {
                    writeln!(
                        out,
                        "{} [{}] {}: {}",
                        r.jadwal, r.periode, r.status, r.hasil
                    )?;
                }
                for m in &missed {
                    writeln!(out, "Perhatian: {m}")?;
                }
            }
            if reports.iter().any(|r| r.status == "gagal") {
                return Err(RunFailed.into());
            }
        }
    }
    Ok(())
}

pub(super) fn layani(dir: &Path) -> Result<()> {
    let (ws, mut reg) = super::open(dir)?;
    let jadwal = crate::config::jadwal::load(&ws.dir)?;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = stop.clone();
    ctrlc::set_handler(move || flag.store(true, std::sync::atomic::Ordering::SeqCst))
        .context("penangan sinyal tidak dapat dipasang")?;
    let tz = ws.profil.tz();
    let mut log = |line: &str| {
        // One line per event, with the time; no personal data is ever part of it. A log
        // that cannot be written must not stop the service.
        let _ = writeln!(
            std::io::stderr(),
            "{} {line}",
            calendar::waktu(&calendar::now(tz), tz)
        );
    };
    jobs::serve(&ws, &mut reg, &jadwal, &stop, &mut log)?;
    Ok(())
}
