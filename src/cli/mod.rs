//! The command line: parses arguments, opens the workspace and the register, hands each
//! command to its own file, and prints through one writer (`out`), which never panics.
//! Returns errors; `main.rs` prints them and exits.

// Everything on standard output goes through `out::Out`, whose writes return errors;
// `print!` and `eprint!` panic when they cannot write.
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod args;
mod blanko;
mod demo;
mod ekspor;
mod impor;
mod init;
mod jadwal;
mod katalog;
mod laporan;
mod localize;
mod out;
mod penduduk;
mod pengguna;
mod periksa;
mod permohonan;
mod show;
mod surat;
mod surel;
mod verifikasi;

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::{CommandFactory, FromArgMatches};
use serde::Serialize;

use crate::config::catalog::CatalogError;
use crate::config::toml_file::TomlError;
use crate::config::workspace::{Workspace, WorkspaceError};
use crate::domain::periode::JenisPeriode;
use crate::store::{Register, RegisterError};
use args::{Cli, Command};
use out::Out;
pub use out::OutputError;

/// Wrong usage of the command line (exit code 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// The error in words, each cause once: a cause the message above it already spells out
/// (a wrapped SQLite or TOML error) is not said again.
pub fn message(err: &anyhow::Error) -> String {
    let mut out = String::new();
    for c in err.chain() {
        let s = c.to_string();
        // The store says SQLite's failures in Indonesian; the English causes beneath
        // (and their numeric codes) add nothing for a clerk.
        let sqlite = c.is::<rusqlite::Error>() || c.is::<rusqlite::ffi::Error>();
        if s.is_empty() || out.contains(&s) || (sqlite && !out.is_empty()) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&s);
    }
    out
}

/// Exit codes, as documented in README: 0 done, 1 refused by a rule or bad data,
/// 2 wrong usage or configuration, 3 the output could not be written, 4 the register is
/// damaged, missing, or behind its letter archive.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    if err.chain().any(|c| c.is::<OutputError>())
        || err
            .chain()
            .any(|c| register_error(c).is_some_and(RegisterError::cannot_write))
    {
        return 3;
    }
    if err.chain().any(register_unsound) {
        return 4;
    }
    let config = err.chain().any(|c| {
        c.is::<UsageError>()
            || c.is::<WorkspaceError>()
            || c.is::<CatalogError>()
            || c.is::<TomlError>()
            || matches!(
                c.downcast_ref::<crate::services::jobs::JobError>(),
                Some(
                    crate::services::jobs::JobError::UnknownJob(..)
                        | crate::services::jobs::JobError::BadPeriod { .. }
                )
            )
            || c.is::<crate::config::jadwal::ScheduleError>()
            || matches!(
                c.downcast_ref::<crate::services::outbox::MailError>(),
                Some(crate::services::outbox::MailError::Config(_))
            )
            || matches!(register_error(c), Some(RegisterError::NewerSchema { .. }))
            || matches!(
                c.downcast_ref::<crate::paper::import::ImportError>(),
                Some(
                    crate::paper::import::ImportError::Peta(_)
                        | crate::paper::import::ImportError::PetaIo(..)
                )
            )
    });
    if config { 2 } else { 1 }
}

/// The register cannot be trusted as it is: damaged, lost beside its archive, or older
/// than its archive (a restored backup).
fn register_unsound(c: &(dyn std::error::Error + 'static)) -> bool {
    use crate::services::arsip::ArsipError;
    use crate::services::surat::SuratError;
    let corrupt = |e: &rusqlite::Error| {
        matches!(
            e.sqlite_error_code(),
            Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
        )
    };
    let archive = |e: &(dyn std::error::Error + 'static)| {
        matches!(
            e.downcast_ref::<SuratError>(),
            Some(SuratError::ArchiveAhead { .. } | SuratError::Damaged(_))
        )
    };
    c.is::<periksa::Rusak>()
        || matches!(
            c.downcast_ref::<ArsipError>(),
            Some(ArsipError::RegisterHilang { .. })
        )
        || archive(c)
        || c.downcast_ref::<rusqlite::Error>().is_some_and(corrupt)
        || match register_error(c) {
            Some(RegisterError::Sqlite(e)) => corrupt(e),
            // What the letter's producer refused with, inside the store's transaction.
            Some(RegisterError::Issue(inner)) => archive(inner.as_ref()),
            _ => false,
        }
}

/// The store's error in `c`, also where the archive check or the letter service wraps it
/// without passing it on as a source.
fn register_error<'a>(c: &'a (dyn std::error::Error + 'static)) -> Option<&'a RegisterError> {
    use crate::services::arsip::ArsipError;
    use crate::services::permohonan::LengkapiError;
    use crate::services::surat::SuratError;
    c.downcast_ref::<RegisterError>()
        .or(match c.downcast_ref::<ArsipError>() {
            Some(ArsipError::Register(e)) => Some(e),
            _ => None,
        })
        .or(match c.downcast_ref::<SuratError>() {
            Some(SuratError::Register(e)) => Some(e),
            _ => None,
        })
        .or(match c.downcast_ref::<LengkapiError>() {
            Some(LengkapiError::Register(e)) => Some(e),
            _ => None,
        })
}

/// The full clap command, in Indonesian.
pub fn command() -> clap::Command {
    localize::localize(Cli::command(), true)
}

/// Runs the program with these arguments (the first is the program's name).
pub fn run<I, T>(argv: I) -> Result<()>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let out = &mut Out::new();
    let matches = match command().try_get_matches_from(argv) {
        Ok(m) => m,
        Err(e) => match localize::error_message(&e) {
            None => {
                out.text(&localize::usage_words(&e.render().to_string()))?;
                return Ok(());
            }
            Some(msg) => return Err(UsageError(msg).into()),
        },
    };
    let cli = Cli::from_arg_matches(&matches).map_err(|e| UsageError(e.to_string()))?;
    let dir = cli.dir.clone();
    match cli.command {
        Command::Init => init::run(out, &dir.unwrap_or_else(|| PathBuf::from("."))),
        Command::Periksa => periksa::run(out, &workdir(dir)),
        Command::Pulihkan(a) => periksa::pulihkan(out, &workdir(dir), a),
        Command::Demo(a) => demo::run(out, &dir.unwrap_or_else(|| PathBuf::from("demo")), a),
        Command::Katalog(a) => katalog::run(out, &workdir(dir), a),
        Command::Permohonan(cmd) => permohonan::run(out, &workdir(dir), *cmd),
        Command::Surat(a) => surat::run(out, &workdir(dir), a),
        Command::Verifikasi(a) => verifikasi::run(out, &workdir(dir), a),
        Command::Blanko(a) => blanko::run(out, &workdir(dir), a),
        Command::Laporan(args::LaporanCmd::Bulanan(a)) => laporan::bulanan(out, &workdir(dir), a),
        Command::Laporan(args::LaporanCmd::Triwulan(a)) => laporan::periodik(
            out,
            &workdir(dir),
            JenisPeriode::Triwulan,
            a.triwulan,
            a.kirim,
            a.keluaran,
        ),
        Command::Laporan(args::LaporanCmd::Tahunan(a)) => laporan::periodik(
            out,
            &workdir(dir),
            JenisPeriode::Tahunan,
            a.tahun,
            a.kirim,
            a.keluaran,
        ),
        Command::Ekspor(args::EksporCmd::Register(a)) => ekspor::register(out, &workdir(dir), a),
        Command::Impor(a) => impor::run(out, &workdir(dir), a),
        Command::Pengguna(cmd) => pengguna::run(out, &workdir(dir), cmd),
        Command::Penduduk(cmd) => penduduk::run(out, &workdir(dir), cmd),
        Command::Web(a) => Ok(crate::web::serve(workdir(dir), a.alamat)?),
        Command::Kirim(a) => surel::kirim(out, &workdir(dir), a),
        Command::Surel(cmd) => surel::run(out, &workdir(dir), cmd),
        Command::Jadwal(cmd) => jadwal::run(out, &workdir(dir), cmd),
        Command::Layani => jadwal::layani(&workdir(dir)),
    }
}

fn workdir(dir: Option<PathBuf>) -> PathBuf {
    dir.unwrap_or_else(|| PathBuf::from("."))
}

/// The workspace and its register; a register lost beside a letter archive is refused,
/// never made again empty (`services::arsip`).
fn open(dir: &Path) -> Result<(Workspace, Register)> {
    let ws = Workspace::open(dir)?;
    let reg = crate::services::arsip::open_register(&ws)?;
    Ok((ws, reg))
}

/// A `--keluar` path the user gave: missing folders are made only inside the workspace;
/// elsewhere a missing folder is more likely a typing mistake, and is said so.
fn keluar(ws: &Workspace, path: &Path, folder: bool) -> Result<PathBuf> {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let parent = if folder {
        Some(abs.as_path())
    } else {
        abs.parent()
    };
    let root = std::path::absolute(&ws.dir).unwrap_or_else(|_| ws.dir.clone());
    if let Some(p) = parent
        && !p.exists()
        && !p.starts_with(&root)
    {
        return Err(UsageError(format!(
            "--keluar: folder {} tidak ada; buat dulu foldernya (hanya folder di dalam folder kerja yang dibuat sendiri)",
            p.display()
        ))
        .into());
    }
    Ok(path.to_path_buf())
}

/// One JSON value, pretty, on a line of its own.
fn print_json<T: Serialize + ?Sized>(out: &mut Out, v: &T) -> Result<()> {
    let json = serde_json::to_string_pretty(v).context("tidak dapat menulis JSON")?;
    writeln!(out, "{json}")?;
    Ok(())
}
