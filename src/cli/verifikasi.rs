//! `kelurahan verifikasi`: is this PDF, or the code on a paper copy, a letter the office issued?

use std::path::Path;

use anyhow::{Context, Result};

use super::UsageError;
use super::args::VerifikasiArgs;
use super::out::Out;
use crate::domain::calendar;
use crate::services::surat;

/// Not a letter the office issued (exit 1).
#[derive(Debug, thiserror::Error)]
#[error("surat tidak sah atau tidak dikenal")]
pub struct NotVerified;

pub(super) fn run(out: &mut Out, dir: &Path, a: VerifikasiArgs) -> Result<()> {
    let (ws, reg) = super::open(dir)?;
    let verdict = match (&a.berkas, &a.kode) {
        (Some(file), _) => {
            let bytes = std::fs::read(file)
                .with_context(|| format!("{} tidak dapat dibaca", file.display()))?;
            surat::verify_file(&ws, &reg, &bytes)?
        }
        (None, Some(code)) => surat::verify_code(&ws, &reg, code)?,
        (None, None) => return Err(UsageError("tulis BERKAS atau --kode KODE".into()).into()),
    };
    if a.keluaran.json() {
        super::print_json(out, &verdict)?;
    } else {
        writeln!(out, "{}", verdict.pesan)?;
        if let (Some(n), Some(reg_no)) = (&verdict.nomor, &verdict.nomor_register) {
            writeln!(out, "  Nomor surat     : {n}")?;
            writeln!(
                out,
                "  Jenis           : {}",
                verdict.jenis.clone().unwrap_or_default()
            )?;
            writeln!(
                out,
                "  Tanggal         : {}",
                verdict
                    .tanggal
                    .as_deref()
                    .and_then(|t| calendar::parse_tanggal(t).ok())
                    .map(calendar::tanggal)
                    .unwrap_or_default()
            )?;
            writeln!(out, "  No. register    : {reg_no}")?;
        }
    }
    if verdict.sah {
        Ok(())
    } else {
        Err(NotVerified.into())
    }
}
