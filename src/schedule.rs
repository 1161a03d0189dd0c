//! Schedules: one TOML file per job in `schedules/` (shipped in the program, added to or
//! overridden by a workspace's own `schedules/`), cron expressions (six fields, seconds
//! first) in the office's time zone, and runs recorded once per job and period so that a
//! restart, a second instance or a missed morning never does a job twice or not at all.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use chrono::{DateTime, FixedOffset};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::calendar::{self, Bulan};
use crate::files;
use crate::register::Register;
use crate::toml_file::{self, TomlError};
use crate::workspace::Workspace;

/// The schedules shipped in the program (`schedules/` of the repository).
const BUILTIN: [(&str, &str); 3] = [
    (
        "schedules/laporan-bulanan.toml",
        include_str!("../schedules/laporan-bulanan.toml"),
    ),
    (
        "schedules/kirim-ulang.toml",
        include_str!("../schedules/kirim-ulang.toml"),
    ),
    (
        "schedules/cadangan.toml",
        include_str!("../schedules/cadangan.toml"),
    ),
];

#[derive(Debug, thiserror::Error)]
pub enum ScheduleError {
    #[error(transparent)]
    Toml(#[from] TomlError),
    #[error("{file} baris {line}: kunci `{key}`: {message}")]
    Invalid {
        file: String,
        line: usize,
        key: String,
        message: String,
    },
    #[error("{0}: {1}")]
    Io(String, std::io::Error),
    #[error(transparent)]
    Register(#[from] crate::register::RegisterError),
    #[error("tugas `{0}` tidak ada di jadwal; yang ada: {1}")]
    UnknownJob(String, String),
    #[error("periode `{periode}` tidak sah untuk tugas {tugas}: {message}")]
    BadPeriod {
        tugas: String,
        periode: String,
        message: String,
    },
}

type Result<T> = std::result::Result<T, ScheduleError>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawJadwal {
    nama: String,
    cron: String,
    #[serde(default = "wib")]
    zona_waktu: String,
    tugas: String,
    #[serde(default = "yes")]
    aktif: bool,
    jendela_susulan_jam: Option<u32>,
    #[serde(default)]
    parameter: toml::Table,
}

fn wib() -> String {
    "Asia/Jakarta".into()
}
fn yes() -> bool {
    true
}

/// What a job does, with its parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "jenis", rename_all = "kebab-case")]
pub enum Tugas {
    /// The month-before reports, optionally mailed.
    LaporanBulanan { kirim: bool },
    /// Send what is due in the outbox.
    KirimUlang,
    /// A consistent copy of the database, keeping `simpan_hari` days and every 1st.
    Cadangan { simpan_hari: u32 },
}

impl Tugas {
    pub fn kode(&self) -> &'static str {
        match self {
            Tugas::LaporanBulanan { .. } => "laporan-bulanan",
            Tugas::KirimUlang => "kirim-ulang",
            Tugas::Cadangan { .. } => "cadangan",
        }
    }

    /// The period a fire time is about: the report's month, the backup's day, the slot.
    pub fn period(&self, fire: &DateTime<Tz>) -> String {
        let d = fire.date_naive();
        match self {
            Tugas::LaporanBulanan { .. } => Bulan::of(d).prev().to_string(),
            Tugas::Cadangan { .. } => d.to_string(),
            Tugas::KirimUlang => fire.format("%Y-%m-%dT%H:%M").to_string(),
        }
    }
}

/// A checked schedule.
#[derive(Debug, Clone)]
pub struct Jadwal {
    pub nama: String,
    pub file: String,
    pub cron: String,
    schedule: cron::Schedule,
    pub tz: Tz,
    pub tugas: Tugas,
    pub aktif: bool,
    pub jendela: chrono::Duration,
}

impl Jadwal {
    /// The next `n` fire times after `now`.
    pub fn next_times(&self, now: &DateTime<FixedOffset>, n: usize) -> Vec<DateTime<Tz>> {
        self.schedule
            .after(&now.with_timezone(&self.tz))
            .take(n)
            .collect()
    }

    /// Fire times within the catch-up window up to `now`, latest last.
    pub fn due(&self, now: &DateTime<FixedOffset>) -> Vec<DateTime<Tz>> {
        let start = (*now - self.jendela).with_timezone(&self.tz);
        let end = now.with_timezone(&self.tz);
        self.schedule
            .after(&start)
            .take_while(|t| *t <= end)
            .collect()
    }
}

fn parse_one(file: &str, text: &str) -> Result<Jadwal> {
    let raw: RawJadwal = toml_file::parse(Path::new(file), text)?;
    let invalid = |key: &str, message: String| ScheduleError::Invalid {
        file: file.to_string(),
        line: toml_file::line_of(text, key).unwrap_or(1),
        key: key.to_string(),
        message,
    };
    let schedule = cron::Schedule::from_str(raw.cron.trim()).map_err(|e| {
        invalid(
            "cron",
            format!(
                "ungkapan cron `{}` tidak sah ({e}); tulis enam bagian: detik menit jam tanggal bulan hari, misalnya \"0 0 7 1 * *\"",
                raw.cron
            ),
        )
    })?;
    let tz: Tz = raw.zona_waktu.parse().map_err(|_| {
        invalid(
            "zona_waktu",
            format!("zona waktu `{}` tidak dikenal", raw.zona_waktu),
        )
    })?;
    let mut params = raw.parameter.clone();
    let mut take_bool = |k: &str, default: bool| -> Result<bool> {
        match params.remove(k) {
            None => Ok(default),
            Some(toml::Value::Boolean(b)) => Ok(b),
            Some(_) => Err(invalid(
                &format!("parameter.{k}"),
                "harus true atau false".into(),
            )),
        }
    };
    let tugas = match raw.tugas.as_str() {
        "laporan-bulanan" => Tugas::LaporanBulanan {
            kirim: take_bool("kirim", true)?,
        },
        "kirim-ulang" => Tugas::KirimUlang,
        "cadangan" => {
            let simpan_hari = match params.remove("simpan_hari") {
                None => 14,
                Some(toml::Value::Integer(n)) if (1..=3650).contains(&n) => n as u32,
                Some(_) => {
                    return Err(invalid(
                        "parameter.simpan_hari",
                        "harus bilangan bulat 1 sampai 3650".into(),
                    ));
                }
            };
            Tugas::Cadangan { simpan_hari }
        }
        other => {
            return Err(invalid(
                "tugas",
                format!(
                    "tugas `{other}` tidak dikenal; pilihan: laporan-bulanan, kirim-ulang, cadangan"
                ),
            ));
        }
    };
    if let Some(k) = params.keys().next() {
        return Err(invalid(
            &format!("parameter.{k}"),
            format!("parameter tidak dikenal untuk tugas {}", tugas.kode()),
        ));
    }
    if raw.nama.trim().is_empty() {
        return Err(invalid("nama", "tidak boleh kosong".into()));
    }
    let default_window = match tugas {
        Tugas::LaporanBulanan { .. } => 31 * 24,
        Tugas::KirimUlang => 1,
        Tugas::Cadangan { .. } => 24,
    };
    Ok(Jadwal {
        nama: raw.nama.trim().to_string(),
        file: file.to_string(),
        cron: raw.cron,
        schedule,
        tz,
        tugas,
        aktif: raw.aktif,
        jendela: chrono::Duration::hours(raw.jendela_susulan_jam.unwrap_or(default_window) as i64),
    })
}

/// The shipped schedules, then the workspace's `schedules/*.toml` over them by name.
pub fn load(ws_dir: &Path) -> Result<Vec<Jadwal>> {
    let mut out: Vec<Jadwal> = Vec::new();
    let mut add = |j: Jadwal| {
        out.retain(|x| x.nama != j.nama);
        out.push(j);
    };
    for (file, text) in BUILTIN {
        add(parse_one(&format!("{file} (bawaan)"), text)?);
    }
    let dir = ws_dir.join("schedules");
    if dir.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map_err(|e| ScheduleError::Io(dir.display().to_string(), e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        files.sort();
        for f in files {
            let text = std::fs::read_to_string(&f)
                .map_err(|e| ScheduleError::Io(f.display().to_string(), e))?;
            add(parse_one(&f.display().to_string(), &text)?);
        }
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
    check_period(j, periode)?;
    let Some(id) = reg.claim_run(&j.nama, periode, now, LEASE_SECONDS)? else {
        return Ok(RunReport {
            jadwal: j.nama.clone(),
            periode: periode.to_string(),
            status: "sudah".into(),
            hasil: "sudah dijalankan untuk periode ini".into(),
        });
    };
    let result = execute(ws, reg, &j.tugas, periode, now);
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
    let Ok(message_id) = crate::mail::new_message_id(ws, &rujukan) else {
        return;
    };
    let m = crate::register::SurelBaru {
        message_id,
        rujukan: Some(rujukan),
        kepada: crate::mail::recipients(ws),
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
    if crate::mail::queue(ws, reg, &m, now).is_ok() && !matches!(j.tugas, Tugas::KirimUlang) {
        let _ = crate::mail::send_due(ws, reg, now);
    }
}

fn check_period(j: &Jadwal, periode: &str) -> Result<()> {
    let bad = |message: &str| ScheduleError::BadPeriod {
        tugas: j.nama.clone(),
        periode: periode.to_string(),
        message: message.to_string(),
    };
    match j.tugas {
        Tugas::LaporanBulanan { .. } => periode
            .parse::<Bulan>()
            .map(|_| ())
            .map_err(|_| bad("tulis TAHUN-BULAN, misalnya 2026-11")),
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
) -> std::result::Result<String, String> {
    match tugas {
        Tugas::LaporanBulanan { kirim } => {
            let bulan: Bulan = periode
                .parse()
                .map_err(|e: calendar::BulanError| e.to_string())?;
            let r = crate::surat::renderer(ws).map_err(|e| e.to_string())?;
            let made =
                crate::laporan::monthly(ws, reg, &r, bulan, now).map_err(|e| e.to_string())?;
            let mut hasil = format!(
                "laporan {} dibuat ({} berkas)",
                bulan.nama(),
                made.berkas.len()
            );
            if *kirim {
                let m =
                    crate::laporan::queue_mail(ws, reg, &made, now).map_err(|e| e.to_string())?;
                let s = crate::mail::send_due(ws, reg, now).map_err(|e| e.to_string())?;
                hasil.push_str(&format!(
                    "; surel {} diantrekan, {} terkirim, {} dicoba lagi, {} gagal",
                    m.id, s.terkirim, s.dicoba_lagi, s.gagal
                ));
            }
            Ok(hasil)
        }
        Tugas::KirimUlang => {
            let s = crate::mail::send_due(ws, reg, now).map_err(|e| e.to_string())?;
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
            reg.backup_to(&tmp).map_err(|e| e.to_string())?;
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
        let r = run(ws, reg, j, &periode, now)?;
        let done_before: Vec<String> = reg
            .runs_of(&j.nama)?
            .into_iter()
            .filter(|x| x.status == "selesai")
            .map(|x| x.periode)
            .collect();
        for t in &due[..due.len() - 1] {
            let p = j.tugas.period(t);
            if p != periode && !done_before.contains(&p) && !matches!(j.tugas, Tugas::KirimUlang) {
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
