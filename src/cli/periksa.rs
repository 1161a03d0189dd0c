//! `kelurahan periksa` (the profile, the catalog, the database, the letter archive) and
//! `kelurahan pulihkan` (record the numbers of letters a restored register lost).

use std::path::Path;

use anyhow::Result;

use super::args::PulihkanArgs;
use super::out::Out;
use crate::config::workspace::Workspace;
use crate::domain::calendar;
use crate::services::arsip;

/// `periksa` found something to mend (exit code 1).
#[derive(Debug, thiserror::Error)]
#[error("pemeriksaan menemukan {0} masalah (lihat di atas)")]
pub struct Temuan(pub usize);

/// `periksa` found the database damaged (exit code 4).
#[derive(Debug, thiserror::Error)]
#[error(
    "basis data rusak: {0}. Jangan menerbitkan surat; pulihkan kelurahan.db dari cadangan (output/cadangan/), lalu jalankan `kelurahan pulihkan` dan `kelurahan periksa`"
)]
pub struct Rusak(pub String);

pub(super) fn run(out: &mut Out, dir: &Path) -> Result<()> {
    let (ws, reg) = super::open(dir)?;
    writeln!(out, "kelurahan.toml: baik ({})", ws.profil.kantor.kelurahan)?;
    writeln!(out, "katalog: baik, {} jenis surat", ws.katalog.jenis.len())?;
    if reg.read_only() {
        writeln!(
            out,
            "basis data: hanya dapat dibaca (read-only); diperiksa tanpa mengubah apa pun"
        )?;
    }
    let t = arsip::periksa(&ws, &reg)?;
    for f in &t.sementara_tertinggal {
        writeln!(
            out,
            "berkas sementara sisa penulisan yang terputus, tidak dapat dihapus (folder hanya-baca); hapus dengan tangan: {f}"
        )?;
    }
    for f in &t.sementara_dihapus {
        writeln!(
            out,
            "berkas sementara sisa penulisan yang terputus dihapus: {f}"
        )?;
    }
    if let Some(r) = &t.basis_data_rusak {
        return Err(Rusak(r.clone()).into());
    }
    let total: i64 = reg.count_by_tahap()?.iter().map(|c| c.jumlah).sum();
    writeln!(
        out,
        "basis data: baik, skema versi {}, {} permohonan, {} surat",
        reg.schema_version()?,
        total,
        t.jumlah_surat
    )?;
    for s in &t.surat_bermasalah {
        writeln!(
            out,
            "surat {} ({}): berkasnya {}",
            s.nomor,
            s.berkas,
            if s.masalah == "hilang" {
                "hilang"
            } else {
                "berubah dari yang diterbitkan"
            }
        )?;
    }
    for f in &t.surat_tanpa_catatan {
        writeln!(
            out,
            "berkas surat {f}: nomornya tidak tercatat di register (jalankan `kelurahan pulihkan`)"
        )?;
    }
    for c in &t.cetak {
        writeln!(out, "cetak surat: {c}")?;
    }
    if t.baik() {
        writeln!(out, "arsip surat: baik")?;
        Ok(())
    } else {
        Err(Temuan(
            t.surat_bermasalah.len()
                + t.surat_tanpa_catatan.len()
                + t.sementara_tertinggal.len()
                + t.cetak.len(),
        )
        .into())
    }
}

pub(super) fn pulihkan(out: &mut Out, dir: &Path, a: PulihkanArgs) -> Result<()> {
    let ws = Workspace::open(dir)?;
    let mut reg = arsip::open_register_for_recovery(&ws)?;
    let p = arsip::pulihkan(&ws, &mut reg, calendar::now(ws.profil.tz()))?;
    if a.keluaran.json() {
        return super::print_json(out, &p);
    }
    writeln!(
        out,
        "{} nomor surat dari arsip dicatat sebagai terpakai; surat berikutnya melanjutkan sesudahnya.",
        p.dicatat.len()
    )?;
    for n in &p.dicatat {
        writeln!(out, "  {n}")?;
    }
    for f in &p.tidak_terbaca {
        writeln!(
            out,
            "berkas {f}: nomornya tidak dapat dibaca dari namanya menurut pola nomor di kelurahan.toml; periksa dengan tangan"
        )?;
    }
    Ok(())
}
