//! The scheduler's jobs: runs recorded once per job and period so that a restart, a
//! second instance or a missed morning never does a job twice or not at all; the jobs
//! themselves (the month's reports, the outbox, the backup); and `layani`, the service loop.

use std::path::Path;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use crate::config::jadwal::{Jadwal, ScheduleError, Tugas};
use crate::config::workspace::Workspace;
use crate::domain::calendar::{self, Bulan};
use crate::domain::jalan::StatusJalan;
use crate::domain::periode::Periode;
use crate::store::{Register, RegisterError};
use crate::util::files;

#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error(transparent)]
    Schedule(#[from] ScheduleError),
    #[error(transparent)]
    Register(#[from] RegisterError),
    #[error("tugas `{0}` tidak ada di jadwal; yang ada: {1}")]
    UnknownJob(String, String),
    #[error("periode `{periode}` tidak sah untuk tugas {tugas}: {message}")]
    BadPeriod {
        tugas: String,
        periode: String,
        message: String,
    },
}

type Result<T> = std::result::Result<T, JobError>;

/// One schedule as the office sees it: when it runs next and how its last run went.
#[derive(Debug, Clone, Serialize)]
pub struct Ikhtisar {
    pub nama: String,
    pub berkas: String,
    pub cron: String,
    pub aktif: bool,
    pub tugas: Tugas,
    /// The next two fire times, in the schedule's zone, in words.
    pub berikutnya: Vec<String>,
    pub terakhir: Option<crate::domain::jalan::Jalan>,
}

impl Ikhtisar {
    /// The last run in one line: `2026-11 selesai: …`, or `-`.
    pub fn terakhir_teks(&self) -> String {
        self.terakhir.as_ref().map_or("-".to_string(), |r| {
            format!(
                "{} {}: {}",
                r.periode,
                r.status,
                r.hasil.clone().unwrap_or_default()
            )
        })
    }
}

/// Every schedule of the workspace with its next times and last run: `jadwal daftar`
/// and the administrator's page.
pub fn overview(
    ws: &Workspace,
    reg: &Register,
    now: DateTime<FixedOffset>,
) -> Result<Vec<Ikhtisar>> {
    let mut out = Vec::new();
    for j in crate::config::jadwal::load(&ws.dir)? {
        let berikutnya = j
            .next_times(&now, 2)
            .iter()
            .map(|t| calendar::waktu(&t.fixed_offset(), j.tz))
            .collect();
        let terakhir = reg.runs_of(&j.nama)?.into_iter().next();
        out.push(Ikhtisar {
            nama: j.nama,
            berkas: j.file,
            cron: j.cron,
            aktif: j.aktif,
            tugas: j.tugas,
            berikutnya,
            terakhir,
        });
    }
    Ok(out)
}

/// What one run did.
#[derive(Debug, Clone, Serialize)]
pub struct RunReport {
    pub jadwal: String,
    pub periode: String,
    /// `selesai`, `gagal`, or `sudah` (done before, or held by another process).
    pub status: String,
    pub hasil: String,
}

/// How long a claim holds: longer than any job takes.
const LEASE_SECONDS: i64 = 30 * 60;

/// Runs one job for one period, once: claimed in the runs table first.
pub fn run(
    ws: &Workspace,
    reg: &mut Register,
    j: &Jadwal,
    periode: &str,
    now: DateTime<FixedOffset>,
) -> Result<RunReport> {
    run_with(ws, reg, j, periode, now, true)
}

/// One run; `by_hand` retries a failed run at once instead of after its pause.
fn run_with(
    ws: &Workspace,
    reg: &mut Register,
    j: &Jadwal,
    periode: &str,
    now: DateTime<FixedOffset>,
    by_hand: bool,
) -> Result<RunReport> {
    check_period(j, periode, now)?;
    let Some(id) = reg.claim_run(&j.nama, periode, now, LEASE_SECONDS, by_hand)? else {
        // Say how the run stands, not merely that it is not run now.
        let tz = ws.profil.tz();
        let (status, hasil) = match reg.run_of(&j.nama, periode)? {
            Some(r) if r.status == StatusJalan::Gagal => (
                "gagal",
                format!(
                    "gagal pada percobaan ke-{} ({}); dicoba lagi otomatis setelah jedanya, atau sekarang dengan `kelurahan jadwal jalankan --tugas {} --periode {periode}`",
                    r.percobaan,
                    r.hasil.unwrap_or_default(),
                    j.nama
                ),
            ),
            Some(r) if r.status == StatusJalan::Berjalan => (
                "sudah",
                format!(
                    "sedang dijalankan proses lain sejak {}",
                    calendar::waktu(&r.mulai, tz)
                ),
            ),
            Some(r) => (
                "sudah",
                format!(
                    "sudah dijalankan untuk periode ini{}",
                    r.selesai
                        .map(|t| format!(" ({})", calendar::waktu(&t, tz)))
                        .unwrap_or_default()
                ),
            ),
            None => ("sudah", "sudah dijalankan untuk periode ini".to_string()),
        };
        return Ok(RunReport {
            jadwal: j.nama.clone(),
            periode: periode.to_string(),
            status: status.into(),
            hasil,
        });
    };
    let result = execute(ws, reg, &j.tugas, periode, now, id);
    let (ok, hasil) = match result {
        Ok(h) => (true, h),
        Err(e) => (false, e),
    };
    reg.finish_run(id, ok, &hasil, now)?;
    if !ok {
        notify_failure(ws, reg, j, periode, &hasil, now);
    }
    Ok(RunReport {
        jadwal: j.nama.clone(),
        periode: periode.to_string(),
        status: if ok { "selesai" } else { "gagal" }.into(),
        hasil,
    })
}

/// Mails a short notice of a failed run to the office. Best effort: the failure itself
/// is already recorded in the runs table, and a mail problem must not hide it.
fn notify_failure(
    ws: &Workspace,
    reg: &mut Register,
    j: &Jadwal,
    periode: &str,
    galat: &str,
    now: DateTime<FixedOffset>,
) {
    let attempt = reg
        .runs_of(&j.nama)
        .ok()
        .and_then(|r| r.into_iter().find(|x| x.periode == periode))
        .map_or(1, |x| x.percobaan);
    let rujukan = format!("gagal-{}-{periode}-{attempt}", j.nama);
    let Ok(message_id) = crate::services::outbox::new_message_id(ws, &rujukan) else {
        return;
    };
    let m = crate::domain::surel::SurelBaru {
        message_id,
        rujukan: Some(rujukan),
        kepada: crate::services::outbox::recipients(ws),
        subjek: format!(
            "Tugas terjadwal gagal: {} ({periode}) — Kelurahan {}",
            j.nama, ws.profil.kantor.nama
        ),
        isi: format!(
            "Tugas terjadwal {} untuk periode {periode} gagal pada {} (percobaan ke-{attempt}).\n\n\
             Galat: {galat}\n\n\
             Program akan mencobanya lagi. Periksa dengan `kelurahan jadwal daftar`.\n",
            j.nama,
            calendar::waktu(&now, ws.profil.tz())
        ),
        lampiran: vec![],
    };
    if crate::services::outbox::queue(ws, reg, &m, now).is_ok()
        && !matches!(j.tugas, Tugas::KirimUlang)
    {
        let _ = crate::services::outbox::send_due(ws, reg, now);
    }
}

/// A period the job can run for: well written, and for a report a month that is over (a
/// month still running is refused here, before a run is claimed or a failure mailed).
fn check_period(j: &Jadwal, periode: &str, now: DateTime<FixedOffset>) -> Result<()> {
    let bad = |message: &str| JobError::BadPeriod {
        tugas: j.nama.clone(),
        periode: periode.to_string(),
        message: message.to_string(),
    };
    match j.tugas {
        Tugas::LaporanBulanan { .. } => {
            let bulan = periode
                .parse::<Bulan>()
                .map_err(|_| bad("tulis TAHUN-BULAN, misalnya 2026-11"))?;
            if bulan >= Bulan::of(now.date_naive()) {
                return Err(bad(&format!(
                    "bulan {} belum selesai; laporannya dibuat sesudah bulan itu berakhir",
                    bulan.nama()
                )));
            }
            Ok(())
        }
        Tugas::LaporanTriwulan { .. } | Tugas::LaporanTahunan { .. } => {
            let jenis = j.tugas.jenis_periode().expect("a report period");
            let p = Periode::parse(jenis, periode).map_err(|e| bad(&e.to_string()))?;
            if !p.selesai(now.date_naive()) {
                return Err(bad(&format!(
                    "{} belum selesai; laporannya dibuat sesudah periode itu berakhir",
                    p.nama()
                )));
            }
            Ok(())
        }
        Tugas::Cadangan { .. } => calendar::parse_tanggal(periode)
            .map(|_| ())
            .map_err(|_| bad("tulis TAHUN-BULAN-HARI")),
        Tugas::KirimUlang => Ok(()),
    }
}

/// Does the job; the text says what was done, or what went wrong.
fn execute(
    ws: &Workspace,
    reg: &mut Register,
    tugas: &Tugas,
    periode: &str,
    now: DateTime<FixedOffset>,
    run_id: i64,
) -> std::result::Result<String, String> {
    match tugas {
        Tugas::LaporanBulanan { kirim } => {
            let bulan: Bulan = periode
                .parse()
                .map_err(|e: calendar::BulanError| e.to_string())?;
            let r = crate::paper::render::for_workspace(ws).map_err(|e| e.to_string())?;
            let (made, sent) =
                crate::services::laporan::make_and_send(ws, reg, &r, bulan, now, *kirim)
                    .map_err(|e| e.to_string())?;
            let mut hasil = format!(
                "laporan {} dibuat ({} berkas)",
                bulan.nama(),
                made.berkas.len()
            );
            if let Some(d) = sent {
                let s = d.kirim;
                hasil.push_str(&format!(
                    "; surel {} diantrekan, {} terkirim, {} dicoba lagi, {} gagal",
                    d.surel.id, s.terkirim, s.dicoba_lagi, s.gagal
                ));
            }
            Ok(hasil)
        }
        Tugas::LaporanTriwulan { kirim } | Tugas::LaporanTahunan { kirim } => {
            let jenis = tugas.jenis_periode().expect("a report period");
            let p = Periode::parse(jenis, periode).map_err(|e| e.to_string())?;
            let r = crate::paper::render::for_workspace(ws).map_err(|e| e.to_string())?;
            let (made, sent) =
                crate::services::laporan::make_and_send_periode(ws, reg, &r, p, now, *kirim)
                    .map_err(|e| e.to_string())?;
            let mut hasil = format!("laporan {} dibuat ({} berkas)", p.nama(), made.berkas.len());
            if let Some(d) = sent {
                let s = d.kirim;
                hasil.push_str(&format!(
                    "; surel {} diantrekan, {} terkirim, {} dicoba lagi, {} gagal",
                    d.surel.id, s.terkirim, s.dicoba_lagi, s.gagal
                ));
            }
            Ok(hasil)
        }
        Tugas::KirimUlang => {
            let s = crate::services::outbox::send_due(ws, reg, now).map_err(|e| e.to_string())?;
            Ok(format!(
                "{} terkirim, {} dicoba lagi, {} gagal",
                s.terkirim, s.dicoba_lagi, s.gagal
            ))
        }
        Tugas::Cadangan { simpan_hari } => {
            let day = calendar::parse_tanggal(periode).map_err(|e| e.to_string())?;
            let dir = ws.dir.join("output/cadangan");
            files::create_private_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            let path = dir.join(format!("kelurahan-{day}.db"));
            let tmp = dir.join(format!(".kelurahan-{day}.db.tmp"));
            let _ = std::fs::remove_file(&tmp);
            // Owner-only from its first byte: SQLite writes into the empty file made here.
            files::touch_private(&tmp).map_err(|e| format!("{}: {e}", tmp.display()))?;
            let copy_says = format!("cadangan ini ({day})");
            reg.backup_to(&tmp, Some((run_id, &copy_says, now)))
                .map_err(|e| e.to_string())?;
            std::fs::rename(&tmp, &path).map_err(|e| format!("{}: {e}", path.display()))?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600));
            }
            let removed = prune_backups(&dir, day, *simpan_hari).map_err(|e| e.to_string())?;
            Ok(format!(
                "cadangan {} dibuat; {removed} cadangan lama dihapus",
                path.display()
            ))
        }
    }
}

/// Keeps the last `days` days and the 1st of every month.
fn prune_backups(dir: &Path, today: chrono::NaiveDate, days: u32) -> std::io::Result<usize> {
    let mut removed = 0;
    for e in std::fs::read_dir(dir)? {
        let p = e?.path();
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let Some(date) = name
            .strip_prefix("kelurahan-")
            .and_then(|n| n.strip_suffix(".db"))
            .and_then(|d| calendar::parse_tanggal(d).ok())
        else {
            continue;
        };
        let age = (today - date).num_days();
        if age >= days as i64 && chrono::Datelike::day(&date) != 1 {
            std::fs::remove_file(&p)?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// Runs, for every active job, the latest period due within its catch-up window; lists
/// older missed periods instead of running them silently.
pub fn run_due(
    ws: &Workspace,
    reg: &mut Register,
    jadwal: &[Jadwal],
    now: DateTime<FixedOffset>,
) -> Result<(Vec<RunReport>, Vec<String>)> {
    let mut reports = Vec::new();
    let mut missed = Vec::new();
    for j in jadwal.iter().filter(|j| j.aktif) {
        let due = j.due(&now);
        let Some(latest) = due.last() else { continue };
        let periode = j.tugas.period(latest);
        let r = run_with(ws, reg, j, &periode, now, false)?;
        let done_before: Vec<String> = reg
            .runs_of(&j.nama)?
            .into_iter()
            .filter(|x| x.status == StatusJalan::Selesai)
            .map(|x| x.periode)
            .collect();
        // A period whose report was made by hand is not a missed period.
        let reported = match j.tugas {
            Tugas::LaporanBulanan { .. }
            | Tugas::LaporanTriwulan { .. }
            | Tugas::LaporanTahunan { .. } => reg.reported_periods()?,
            _ => Vec::new(),
        };
        for t in &due[..due.len() - 1] {
            let p = j.tugas.period(t);
            if p != periode
                && !done_before.contains(&p)
                && !reported.contains(&p)
                && !matches!(j.tugas, Tugas::KirimUlang)
            {
                missed.push(format!(
                    "{}: periode {p} terlewat dan tidak dijalankan otomatis; jalankan `kelurahan jadwal jalankan --tugas {} --periode {p}` bila perlu",
                    j.nama, j.nama
                ));
            }
        }
        if r.status != "sudah" {
            reports.push(r);
        }
    }
    Ok((reports, missed))
}

/// The long-running service: runs what is due now and whenever a job's time comes,
/// until `stop` is set (by SIGTERM or Ctrl-C). A run in progress always finishes first.
pub fn serve(
    ws: &Workspace,
    reg: &mut Register,
    jadwal: &[Jadwal],
    stop: &std::sync::atomic::AtomicBool,
    log: &mut dyn FnMut(&str),
) -> Result<()> {
    use std::sync::atomic::Ordering;
    let tz = ws.profil.tz();
    log(&format!(
        "layanan jadwal berjalan: {} jadwal aktif",
        jadwal.iter().filter(|j| j.aktif).count()
    ));
    while !stop.load(Ordering::SeqCst) {
        let now = calendar::now(tz);
        let (reports, missed) = run_due(ws, reg, jadwal, now)?;
        for r in &reports {
            log(&format!(
                "{} [{}] {}: {}",
                r.jadwal, r.periode, r.status, r.hasil
            ));
        }
        for m in &missed {
            log(&format!("perhatian: {m}"));
        }
        // Sleep until the next fire time (at most a minute, so failed runs and clock
        // changes are noticed), waking early to stop.
        let next = jadwal
            .iter()
            .filter(|j| j.aktif)
            .filter_map(|j| j.next_times(&now, 1).into_iter().next())
            .map(|t| (t.fixed_offset() - now).num_milliseconds().max(0))
            .min()
            .unwrap_or(60_000)
            .min(60_000);
        let until = std::time::Instant::now() + std::time::Duration::from_millis(next as u64 + 50);
        while std::time::Instant::now() < until && !stop.load(Ordering::SeqCst) {
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
    }
    log("layanan jadwal berhenti");
    Ok(())
}
