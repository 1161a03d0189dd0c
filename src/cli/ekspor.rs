//! `kelurahan ekspor register`: the whole register (or a year) as a workbook to import back.

use std::path::Path;

use anyhow::Result;

use super::args::EksporRegisterArgs;
use super::out::Out;
use crate::domain::calendar;

pub(super) fn register(out: &mut Out, dir: &Path, a: EksporRegisterArgs) -> Result<()> {
    let (ws, reg) = super::open(dir)?;
    let today = calendar::now(ws.profil.tz()).date_naive();
    let file = match &a.keluar {
        Some(f) => Some(super::keluar(&ws, f, false)?),
        None => None,
    };
    let file = file.unwrap_or_else(|| {
        ws.dir.join(format!(
            "output/ekspor/register-{}.xlsx",
            a.tahun.map_or("semua".to_string(), |t| t.to_string())
        ))
    });
    let n = crate::services::laporan::export_register(&ws, &reg, a.tahun, &file, today)?;
    writeln!(out, "{n} permohonan diekspor ke {}", file.display())?;
    Ok(())
}
