//! `kelurahan penduduk cari|lihat|keluarga|ubah|ekspor|akses|impor`: the residents the office
//! has served. NIKs are masked in tables (as in the register), shown whole on one
//! person's page; every look-up is logged by the service.

use std::path::Path;

use anyhow::{Context, Result};

use super::UsageError;
use super::args::PendudukCmd;
use super::out::Out;
use super::show;
use crate::domain::calendar;
use crate::domain::identity;
use crate::domain::penduduk::{self, Penduduk};
use crate::services::penduduk as layanan;

/// One resident as a table row: masked NIK, name, SHDK, address.
fn row(p: &Penduduk) -> Vec<String> {
    let g = |k: &str| p.get(k).unwrap_or("-").to_string();
    vec![
        identity::mask(&p.nik),
        p.nama().to_string(),
        p.get("kk").map_or("-".into(), identity::mask),
        g("shdk"),
        format!(
            "{}{}",
            g("alamat"),
            match (p.get("rt"), p.get("rw")) {
                (Some(rt), Some(rw)) => format!(" RT {rt}/RW {rw}"),
                _ => String::new(),
            }
        ),
    ]
}

const HEADERS: [&str; 5] = ["NIK", "Nama", "No. KK", "Hubungan", "Alamat"];

pub(super) fn run(out: &mut Out, dir: &Path, cmd: PendudukCmd) -> Result<()> {
    let (ws, mut reg) = super::open(dir)?;
    let tz = ws.profil.tz();
    let now = calendar::now(tz);
    let petugas = |o: Option<String>| o.unwrap_or_else(|| ws.profil.pejabat.operator.nama.clone());
    match cmd {
        PendudukCmd::Cari(a) => {
            let found = layanan::cari(&mut reg, &a.teks, &petugas(a.oleh), now)?;
            if a.keluaran.json() {
                return super::print_json(out, &found);
            }
            if found.is_empty() {
                writeln!(
                    out,
                    "Tidak ada penduduk yang cocok dengan `{}`.",
                    a.teks.trim()
                )?;
                return Ok(());
            }
            let rows: Vec<Vec<String>> = found.iter().map(row).collect();
            out.text(&show::table(&HEADERS, &rows))?;
            if found.len() == layanan::BATAS_CARI {
                writeln!(
                    out,
                    "Ditampilkan {} pertama; persempit pencarian.",
                    layanan::BATAS_CARI
                )?;
            }
        }
        PendudukCmd::Lihat(a) => {
            let r = layanan::lihat(&mut reg, &a.nik, &petugas(a.oleh), now)?;
            if a.keluaran.json() {
                return super::print_json(out, &r);
            }
            let p = &r.penduduk;
            writeln!(out, "{:<25}{}", "NIK", p.nik)?;
            if let (Some(jk), Some(lahir)) = (r.jenis_kelamin, r.tanggal_lahir) {
                writeln!(out, "{:<25}{jk}", "Jenis kelamin")?;
                writeln!(out, "{:<25}{}", "Tanggal lahir", calendar::tanggal(lahir))?;
            }
            for (k, label, _) in penduduk::KOLOM {
                if let Some(v) = p.get(k) {
                    writeln!(out, "{label:<25}{v}")?;
                }
            }
            writeln!(
                out,
                "{:<25}{}",
                "Data per tanggal",
                calendar::tanggal(p.berlaku)
            )?;
            if !r.keluarga.is_empty() {
                writeln!(out, "\nAnggota keluarga lain (KK yang sama):")?;
                let rows: Vec<Vec<String>> = r.keluarga.iter().map(row).collect();
                out.text(&show::table(&HEADERS, &rows))?;
            }
            writeln!(out, "\nPermohonan:")?;
            if r.permohonan.is_empty() {
                writeln!(out, "  (belum ada)")?;
            }
            for q in &r.permohonan {
                let jenis = ws
                    .katalog
                    .jenis(&q.jenis)
                    .map_or(q.jenis.as_str(), |j| j.nama.as_str());
                writeln!(
                    out,
                    "  {} {} {} ({})",
                    q.nomor_register,
                    q.tanggal,
                    jenis,
                    q.tahap.label()
                )?;
            }
            writeln!(out, "\nRiwayat perubahan data:")?;
            for c in &r.riwayat {
                writeln!(
                    out,
                    "  {} oleh {} ({}): {}: {} → {}",
                    calendar::waktu(&c.waktu, tz),
                    c.oleh,
                    c.sumber,
                    penduduk::label(&c.perubahan.kolom),
                    c.perubahan.lama.as_deref().unwrap_or("(kosong)"),
                    c.perubahan.baru_terbaca()
                )?;
            }
        }
        PendudukCmd::Keluarga(a) => {
            let all = layanan::keluarga(&mut reg, &a.kk, &petugas(a.oleh), now)?;
            if a.keluaran.json() {
                return super::print_json(out, &all);
            }
            if all.is_empty() {
                writeln!(out, "Belum ada penduduk tercatat dengan No. KK itu.")?;
                return Ok(());
            }
            let rows: Vec<Vec<String>> = all.iter().map(row).collect();
            out.text(&show::table(&HEADERS, &rows))?;
        }
        PendudukCmd::Ubah(a) => {
            let pairs = super::permohonan::pairs(&a.isian)?;
            let changes = layanan::ubah(&mut reg, &a.nik, &pairs, &petugas(a.oleh), now)?;
            if changes.is_empty() {
                writeln!(out, "Tidak ada yang berubah.")?;
            }
            for c in &changes {
                writeln!(
                    out,
                    "{}: {} → {}",
                    penduduk::label(&c.kolom),
                    c.lama.as_deref().unwrap_or("(kosong)"),
                    c.baru.as_deref().unwrap_or("(kosong)")
                )?;
            }
        }
        PendudukCmd::Ekspor(a) => {
            let file = match &a.keluar {
                Some(f) => Some(super::keluar(&ws, f, false)?),
                None => None,
            };
            let e = layanan::ekspor(&mut reg, &a.nik, &petugas(a.oleh), now)?;
            let json = serde_json::to_string_pretty(&e).context("JSON")?;
            match file {
                None => writeln!(out, "{json}")?,
                Some(f) => {
                    crate::util::files::write_atomic(&f, json.as_bytes())
                        .map_err(super::OutputError)
                        .with_context(|| f.display().to_string())?;
                    writeln!(
                        out,
                        "Data {} ditulis ke {}",
                        identity::mask(&e.rincian.penduduk.nik),
                        f.display()
                    )?;
                }
            }
        }
        PendudukCmd::Impor(a) => {
            let berlaku = match &a.per {
                Some(t) => {
                    calendar::parse_tanggal(t).map_err(|e| UsageError(format!("--per: {e}")))?
                }
                None => now.date_naive(),
            };
            let laporan = match &a.laporan {
                Some(f) => Some(super::keluar(&ws, f, false)?),
                None => None,
            };
            let laporan = laporan.or_else(|| {
                a.uji
                    .then(|| ws.dir.join("output/impor/laporan-impor-penduduk-uji.xlsx"))
            });
            let opsi = crate::paper::import::penduduk::Opsi {
                oleh: &a.oleh,
                at: now,
                berlaku,
                uji: a.uji,
            };
            let r = crate::paper::import::penduduk::run(&mut reg, &a.berkas, &opsi)?;
            if let Some(path) = &laporan {
                let xlsx = crate::paper::import::laporan::workbook(&r, now.date_naive())?;
                crate::util::files::write_atomic(path, &xlsx).with_context(|| {
                    format!("laporan impor {} tidak dapat ditulis", path.display())
                })?;
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
                return Err(super::impor::RefusedFiles(refused).into());
            }
        }
        PendudukCmd::Akses(a) => {
            let nik = a.nik.as_deref().map(identity::normalize_number);
            let log = reg.akses_penduduk(nik.as_deref(), a.batas)?;
            if a.keluaran.json() {
                return super::print_json(out, &log);
            }
            if log.is_empty() {
                writeln!(out, "Belum ada catatan akses.")?;
                return Ok(());
            }
            let rows: Vec<Vec<String>> = log
                .iter()
                .map(|x| {
                    vec![
                        calendar::waktu(&x.waktu, tz),
                        x.oleh.clone(),
                        x.tindakan.clone(),
                        x.nik.clone(),
                    ]
                })
                .collect();
            out.text(&show::table(&["Waktu", "Oleh", "Tindakan", "NIK"], &rows))?;
        }
    }
    Ok(())
}
