//! `kelurahan surat`: reprint one request's letter, print a month's letters in parallel,
//! or void a letter (`surat batal`).

use std::path::Path;

use anyhow::Result;

use super::UsageError;
use super::args::{SuratArgs, SuratCmd};
use super::out::Out;
use crate::domain::calendar::{self, Bulan};
use crate::services::surat;

pub(super) fn run(out: &mut Out, dir: &Path, a: SuratArgs) -> Result<()> {
    let (ws, mut reg) = super::open(dir)?;
    let now = calendar::now(ws.profil.tz());
    if let Some(SuratCmd::Batal(b)) = a.aksi {
        let id = reg.resolve(&b.id)?;
        let s = reg.void_letter(id, &b.oleh, &b.alasan, now)?;
        if b.keluaran.json() {
            return super::print_json(out, &s);
        }
        writeln!(
            out,
            "Surat {} dibatalkan: {}. Nomornya tetap tercatat dan tidak dipakai lagi.",
            s.nomor,
            b.alasan.trim()
        )?;
        return Ok(());
    }
    match (&a.id, &a.bulan) {
        (Some(id), _) => {
            let id = reg.resolve(id)?;
            reg.get(id)?;
            let s = reg.letter_to_print(id)?;
            let renderer = crate::paper::render::for_workspace(&ws)?;
            let pdf = surat::print(&ws, &renderer, &s)?;
            let file = match &a.keluar {
                Some(f) => super::keluar(&ws, f, false)?,
                None => ws.dir.join(surat::print_path(&s)),
            };
            surat::save_print(&ws, &s, &pdf, &file)?;
            if a.keluaran.json() {
                super::print_json(out, &serde_json::json!({ "surat": s, "berkas": file }))?;
            } else {
                let status = if s.batal.is_some() { " (BATAL)" } else { "" };
                writeln!(
                    out,
                    "Surat {}{status} dicetak ke {}",
                    s.nomor,
                    file.display()
                )?;
            }
        }
        (None, Some(bulan)) => {
            let bulan: Bulan = bulan
                .parse()
                .map_err(|e| UsageError(format!("--bulan: {e}")))?;
            let folder = match &a.keluar {
                Some(f) => Some(super::keluar(&ws, f, true)?),
                None => None,
            };
            let folder = folder.unwrap_or_else(|| {
                ws.dir.join(format!(
                    "output/surat/{:04}/{:02}",
                    bulan.tahun, bulan.bulan
                ))
            });
            let workers = a
                .pekerja
                .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
            let r = surat::print_month(&ws, &reg, bulan, &folder, workers)?;
            if a.keluaran.json() {
                super::print_json(out, &r)?;
            } else {
                writeln!(
                    out,
                    "{} surat bulan {} dicetak ke {} ({} di antaranya batal).",
                    r.jumlah,
                    bulan.nama(),
                    r.folder.display(),
                    r.batal
                )?;
            }
        }
        (None, None) => {
            return Err(UsageError(
                "tulis nomor permohonan, --bulan TAHUN-BULAN, atau `surat batal`".into(),
            )
            .into());
        }
    }
    Ok(())
}
