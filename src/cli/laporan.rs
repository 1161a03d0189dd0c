//! `kelurahan laporan bulanan`: a month's reports, made once, optionally mailed; and
//! `laporan triwulan` / `laporan tahunan`: a quarter's or a year's report.

use std::path::Path;

use anyhow::{Context, Result};

use super::UsageError;
use super::args::{BulananArgs, Keluaran};
use super::out::Out;
use super::show;
use crate::domain::calendar::{self, Bulan};
use crate::domain::periode::{JenisPeriode, Periode};
use crate::services::laporan::{self, LaporanError};

pub(super) fn bulanan(out: &mut Out, dir: &Path, a: BulananArgs) -> Result<()> {
    let (ws, mut reg) = super::open(dir)?;
    let now = calendar::now(ws.profil.tz());
    let bulan = match &a.bulan {
        Some(b) => b
            .parse::<Bulan>()
            .map_err(|e| UsageError(format!("--bulan: {e}")))?,
        None if a.sementara => Bulan::of(now.date_naive()),
        None => laporan::default_month(&now),
    };
    let r = crate::paper::render::for_workspace(&ws)?;
    let usage = |e: LaporanError| match e {
        LaporanError::BelumTerjadi(_) | LaporanError::BelumSelesai(_) => {
            anyhow::Error::new(UsageError(format!("--bulan: {e}")))
        }
        e => e.into(),
    };
    let (made, sent) = if a.sementara {
        (
            laporan::draft(&ws, &reg, &r, bulan, now).map_err(usage)?,
            None,
        )
    } else {
        laporan::make_and_send(&ws, &mut reg, &r, bulan, now, a.kirim).map_err(usage)?
    };
    if a.keluaran.json() {
        let mut v = serde_json::to_value(&made).context("JSON")?;
        if let Some(d) = &sent {
            v["surel"] = serde_json::json!({ "id": d.surel.id, "pengiriman": d.kirim });
        }
        return super::print_json(out, &v);
    }
    let f = &made.angka.ringkas;
    writeln!(
        out,
        "Laporan bulan {}: {} permohonan, {} surat terbit, {} ditolak kantor, {} dibatalkan pemohon.",
        bulan.nama(),
        f.jumlah,
        f.surat_terbit,
        f.ditolak,
        f.dibatalkan
    )?;
    if made.sementara {
        writeln!(
            out,
            "SEMENTARA: rancangan per hari ini; tidak ada yang dicatat atau dipindahkan."
        )?;
    } else {
        writeln!(
            out,
            "Dicatat dilaporkan ke Seklur: {} permohonan; ke Lurah: {} permohonan.",
            made.ke_seklur, made.ke_lurah
        )?;
    }
    files_and_mail(out, &made.berkas, sent.as_ref())
}

/// `laporan triwulan [--triwulan 2026-Q4]` and `laporan tahunan [--tahun 2026]`.
pub(super) fn periodik(
    out: &mut Out,
    dir: &Path,
    jenis: JenisPeriode,
    nilai: Option<String>,
    kirim: bool,
    keluaran: Keluaran,
) -> Result<()> {
    let flag = match jenis {
        JenisPeriode::Triwulan => "--triwulan",
        JenisPeriode::Tahunan => "--tahun",
    };
    let periode = match &nilai {
        Some(v) => Some(Periode::parse(jenis, v).map_err(|e| UsageError(format!("{flag}: {e}")))?),
        None => None,
    };
    let (ws, mut reg) = super::open(dir)?;
    let now = calendar::now(ws.profil.tz());
    let periode = periode.unwrap_or_else(|| laporan::default_periode(jenis, &now));
    let r = crate::paper::render::for_workspace(&ws)?;
    let (made, sent) = laporan::make_and_send_periode(&ws, &mut reg, &r, periode, now, kirim)
        .map_err(|e| match e {
            LaporanError::PeriodeBelumTerjadi(_) | LaporanError::PeriodeBelumSelesai(_) => {
                anyhow::Error::new(UsageError(format!("{flag}: {e}")))
            }
            e => e.into(),
        })?;
    if keluaran.json() {
        let mut v = serde_json::to_value(&made).context("JSON")?;
        if let Some(d) = &sent {
            v["surel"] = serde_json::json!({ "id": d.surel.id, "pengiriman": d.kirim });
        }
        return super::print_json(out, &v);
    }
    let f = &made.angka;
    writeln!(
        out,
        "Laporan {} ({}): {} permohonan, {} surat terbit, {} ditolak kantor, {} dibatalkan pemohon.",
        f.nama, f.rentang, f.jumlah, f.surat_terbit, f.ditolak, f.dibatalkan
    )?;
    writeln!(out, "Rujukan {}.", made.rujukan)?;
    files_and_mail(out, &made.berkas, sent.as_ref())
}

/// The files a report wrote, and its mail when one was queued.
fn files_and_mail(
    out: &mut Out,
    berkas: &[std::path::PathBuf],
    sent: Option<&laporan::Dikirim>,
) -> Result<()> {
    for b in berkas {
        writeln!(out, "{}", b.display())?;
    }
    if let Some(d) = sent {
        writeln!(
            out,
            "Surel {} ({}) diantrekan ke {}.",
            d.surel.id,
            d.surel.subjek,
            d.surel.kepada.join(", ")
        )?;
        out.text(&show::pengiriman(&d.kirim))?;
    }
    Ok(())
}
