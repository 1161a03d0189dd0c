//! `kelurahan katalog [KODE]`: the letter types, or one type's papers and fields.

use std::path::Path;

use anyhow::Result;

use super::UsageError;
use super::args::KatalogArgs;
use super::out::Out;
use super::show;
use crate::config::workspace::Workspace;

pub(super) fn run(out: &mut Out, dir: &Path, a: KatalogArgs) -> Result<()> {
    let ws = Workspace::open(dir)?;
    let json = a.keluaran.json();
    match &a.kode {
        None if json => super::print_json(out, &ws.katalog)?,
        None => out.text(&show::katalog(&ws.katalog))?,
        Some(k) => {
            let j = ws.katalog.jenis(k).ok_or_else(|| {
                UsageError(format!(
                    "jenis surat `{k}` tidak ada di katalog; pilihan: {}",
                    ws.katalog.kode_list()
                ))
            })?;
            if json {
                super::print_json(out, j)?;
            } else {
                out.text(&show::jenis(&ws.katalog, k).unwrap_or_default())?;
            }
        }
    }
    Ok(())
}
