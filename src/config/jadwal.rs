//! Schedules (`jadwal`): one TOML file per job in `schedules/` (shipped in the program,
//! added to or overridden by a workspace's own `schedules/`), cron expressions (six
//! fields, seconds first) in the office's time zone, checked on load. Running them is
//! `services::jobs`.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use chrono::{DateTime, FixedOffset};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::config::toml_file::{self, TomlError};
use crate::domain::calendar::Bulan;
use crate::domain::periode::{JenisPeriode, Periode};

/// The schedules shipped in the program (`schedules/` of the repository).
const BUILTIN: [(&str, &str); 5] = [
    (
        "schedules/laporan-bulanan.toml",
        include_str!("../../schedules/laporan-bulanan.toml"),
    ),
    (
        "schedules/laporan-triwulan.toml",
        include_str!("../../schedules/laporan-triwulan.toml"),
    ),
    (
        "schedules/laporan-tahunan.toml",
        include_str!("../../schedules/laporan-tahunan.toml"),
    ),
    (
        "schedules/kirim-ulang.toml",
        include_str!("../../schedules/kirim-ulang.toml"),
    ),
    (
        "schedules/cadangan.toml",
        include_str!("../../schedules/cadangan.toml"),
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
    /// The quarter-before report, optionally mailed.
    LaporanTriwulan { kirim: bool },
    /// The year-before report, optionally mailed.
    LaporanTahunan { kirim: bool },
    /// Send what is due in the outbox.
    KirimUlang,
    /// A consistent copy of the database, keeping `simpan_hari` days and every 1st.
    Cadangan { simpan_hari: u32 },
}

impl Tugas {
    pub fn kode(&self) -> &'static str {
        match self {
            Tugas::LaporanBulanan { .. } => "laporan-bulanan",
            Tugas::LaporanTriwulan { .. } => "laporan-triwulan",
            Tugas::LaporanTahunan { .. } => "laporan-tahunan",
            Tugas::KirimUlang => "kirim-ulang",
            Tugas::Cadangan { .. } => "cadangan",
        }
    }

    /// The report period of a report job (`None` for the others).
    pub fn jenis_periode(&self) -> Option<JenisPeriode> {
        match self {
            Tugas::LaporanTriwulan { .. } => Some(JenisPeriode::Triwulan),
            Tugas::LaporanTahunan { .. } => Some(JenisPeriode::Tahunan),
            _ => None,
        }
    }

    /// The period a fire time is about: the report's month, quarter or year (the last
    /// one over), the backup's day, the slot.
    pub fn period(&self, fire: &DateTime<Tz>) -> String {
        let d = fire.date_naive();
        match self {
            Tugas::LaporanBulanan { .. } => Bulan::of(d).prev().to_string(),
            Tugas::LaporanTriwulan { .. } => {
                Periode::last_finished(JenisPeriode::Triwulan, d).to_string()
            }
            Tugas::LaporanTahunan { .. } => {
                Periode::last_finished(JenisPeriode::Tahunan, d).to_string()
            }
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
        "laporan-triwulan" => Tugas::LaporanTriwulan {
            kirim: take_bool("kirim", true)?,
        },
        "laporan-tahunan" => Tugas::LaporanTahunan {
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
                    "tugas `{other}` tidak dikenal; pilihan: laporan-bulanan, laporan-triwulan, laporan-tahunan, kirim-ulang, cadangan"
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
        Tugas::LaporanBulanan { .. }
        | Tugas::LaporanTriwulan { .. }
        | Tugas::LaporanTahunan { .. } => 31 * 24,
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
