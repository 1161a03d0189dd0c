//! `kelurahan impor`: old Excel registers into the register, or a dry run, with the
//! workbook of refused and flagged rows.

use std::path::Path;

use anyhow::{Context, Result};

use super::args::ImporArgs;
use super::out::Out;
use super::show;
use crate::domain::calendar;

/// Some files given to `impor` could not be read whole and were refused (exit code 1).
#[derive(Debug, thiserror::Error)]
#[error("{0} berkas ditolak utuh (lihat di atas); tidak ada baris dari berkas itu yang diimpor")]
pub struct RefusedFiles(pub usize);

pub(super) fn run(out: &mut Out, dir: &Path, a: ImporArgs) -> Result<()> {
    let (ws, mut reg) = super::open(dir)?;
    let now = calendar::now(ws.profil.tz());
    let peta = crate::paper::import::load_peta(&ws.dir, &ws.katalog, a.peta.as_deref())?;
    let opsi = crate::paper::import::Opsi {
        peta: &peta,
        katalog: &ws.katalog,
        penomoran: ws.profil.penomoran_surat(),
        oleh: &a.oleh,
        at: now,
        uji: a.uji,
    };
    // A wrong report path is said before anything is imported.
    let laporan = match &a.laporan {
        Some(f) => Some(super::keluar(&ws, f, false)?),
        None => None,
    };
    let laporan = laporan.or_else(|| {
        a.uji
            .then(|| ws.dir.join("output/impor/laporan-impor-uji.xlsx"))
    });
    let r = crate::paper::import::run(&mut reg, &a.berkas, &opsi)?;
    if let Some(path) = &laporan {
        let xlsx = crate::paper::import::laporan::workbook(&r, now.date_naive())?;
        crate::util::files::write_atomic(path, &xlsx)
            .with_context(|| format!("laporan impor {} tidak dapat ditulis", path.display()))?;
    }
    if a.keluaran.json() {
        let mut v = serde_json::to_value(&r)?;
        v["laporan"] = serde_json::json!(laporan.as_ref().map(|p| p.display().to_string()));
        super::print_json(out, &v)?;
    } else {
        out.text(&show::impor(&r, laporan.as_deref()))?;
    }
    let refused = r.refused();
    if refused > 0 {
        return Err(RefusedFiles(refused).into());
    }
    Ok(())
}
