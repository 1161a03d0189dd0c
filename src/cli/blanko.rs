//! `kelurahan blanko`: blank and filled forms (application, receipt, routing slip,
//! register pages, the KUA's marriage models N2, N4, N5) as PDFs.

use std::path::Path;

use anyhow::Result;

use super::UsageError;
use super::args::{BentukArg, BlankoArgs};
use super::out::Out;
use crate::paper::blanko;

pub(super) fn run(out: &mut Out, dir: &Path, a: BlankoArgs) -> Result<()> {
    let (ws, reg) = super::open(dir)?;
    let folder = a
        .keluar
        .clone()
        .unwrap_or_else(|| ws.dir.join("output/blanko"));
    let r = crate::paper::render::for_workspace(&ws)?;
    let request = |id: &str| -> Result<crate::domain::permohonan::Permohonan> {
        Ok(reg.get(reg.resolve(id)?)?)
    };
    let printed = match (a.semua, a.bentuk, a.untuk.as_deref()) {
        (true, _, _) => blanko::all(&ws, &r, &folder)?,
        (false, Some(BentukArg::Permohonan), Some(jenis)) => {
            if ws.katalog.jenis(jenis).is_none() {
                return Err(UsageError(format!(
                    "jenis surat `{jenis}` tidak ada di katalog; pilihan: {}",
                    ws.katalog.kode_list()
                ))
                .into());
            }
            vec![blanko::application(&ws, &r, jenis, &folder)?]
        }
        (false, Some(BentukArg::Permohonan), None) => ws
            .katalog
            .jenis
            .iter()
            .map(|j| blanko::application(&ws, &r, &j.kode, &folder))
            .collect::<Result<Vec<_>, _>>()?,
        (false, Some(BentukArg::TandaTerima), id) => {
            let p = id.map(request).transpose()?;
            vec![blanko::receipt(&ws, &r, p.as_ref(), &folder)?]
        }
        (false, Some(BentukArg::LembarKendali), id) => {
            let p = id.map(request).transpose()?;
            let s = match &p {
                Some(p) => reg.letter_of(p.id)?,
                None => None,
            };
            vec![blanko::routing_slip(
                &ws,
                &r,
                p.as_ref().map(|p| (p, s.as_ref())),
                &folder,
            )?]
        }
        (false, Some(BentukArg::Register), _) => vec![blanko::register_pages(&ws, &r, &folder)?],
        (false, Some(b @ (BentukArg::N2 | BentukArg::N4 | BentukArg::N5)), id) => {
            let model = match b {
                BentukArg::N2 => blanko::ModelNikah::N2,
                BentukArg::N4 => blanko::ModelNikah::N4,
                _ => blanko::ModelNikah::N5,
            };
            let p = id.map(request).transpose()?;
            vec![blanko::model_nikah(&ws, &r, model, p.as_ref(), &folder)?]
        }
        (false, None, _) => {
            return Err(UsageError("tulis bentuk blanko atau --semua".into()).into());
        }
    };
    if a.keluaran.json() {
        super::print_json(out, &printed)?;
    } else {
        for p in &printed {
            writeln!(out, "{}", p.berkas.display())?;
        }
        writeln!(out, "{} blanko dicetak.", printed.len())?;
    }
    Ok(())
}
