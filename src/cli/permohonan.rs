//! `kelurahan permohonan baru|daftar|lihat|berkas|lanjut|tolak`: the register and the
//! SOP's moves, one request at a time.

use std::path::Path;

use anyhow::{Context, Result};

use super::UsageError;
use super::args::{FormatDaftar, PermohonanCmd};
use super::out::Out;
use super::show;
use crate::domain::calendar::{self, Bulan};
use crate::domain::permohonan::{self, Masukan};
use crate::domain::workflow::Tahap;
use crate::services::surat;
use crate::store::Filter;

pub(super) fn run(out: &mut Out, dir: &Path, cmd: PermohonanCmd) -> Result<()> {
    let (ws, mut reg) = super::open(dir)?;
    let tz = ws.profil.tz();
    let now = calendar::now(tz);
    match cmd {
        PermohonanCmd::Lengkapi(a) => {
            let a = *a;
            let id = reg.resolve(&a.id)?;
            let d = a.data;
            let ubahan = permohonan::Ubahan {
                alamat: d.alamat,
                rt: d.rt,
                rw: d.rw,
                kk: d.kk,
                telepon: d.telepon,
                keperluan: d.keperluan,
                isian: pairs(&d.isian)?,
            };
            let oleh = a
                .oleh
                .unwrap_or_else(|| ws.profil.pejabat.operator.nama.clone());
            let (p, changes) = crate::services::permohonan::lengkapi(
                &mut reg, &ws, id, a.dari, &ubahan, &oleh, now,
            )?;
            if a.keluaran.json() {
                let mut v = serde_json::to_value(&p).context("JSON")?;
                v["perubahan"] = serde_json::to_value(&changes).context("JSON")?;
                super::print_json(out, &v)?;
            } else if changes.is_empty() {
                writeln!(
                    out,
                    "Permohonan {}: tidak ada yang berubah.",
                    p.nomor_register
                )?;
            } else {
                writeln!(out, "Permohonan {} diubah:", p.nomor_register)?;
                for c in &changes {
                    writeln!(out, "  {}", show::perubahan(c))?;
                }
            }
        }
        PermohonanCmd::Baru(a) => {
            let a = *a;
            let d = a.data;
            let isian = pairs(&d.isian)?;
            let nama_ditulis = a.nama.is_some();
            let mut masukan = Masukan {
                jenis: a.jenis,
                nama: a.nama.unwrap_or_default(),
                nik: a.nik,
                kk: d.kk,
                alamat: d.alamat,
                rt: d.rt,
                rw: d.rw,
                telepon: d.telepon,
                kanal: Some(a.kanal),
                keperluan: d.keperluan,
                isian,
                berkas: a.berkas,
                tanggal: a.tanggal,
            };
            let oleh = a
                .oleh
                .unwrap_or_else(|| ws.profil.pejabat.operator.nama.clone());
            // A known resident fills what was not typed; what was typed wins.
            let diisi =
                crate::services::penduduk::isi_permohonan(&mut reg, &ws, &mut masukan, &oleh, now)?;
            let mut pilihan = Vec::new();
            for a in &a.anggota {
                let (kunci, niks) = a.split_once('=').ok_or_else(|| {
                    UsageError(format!("--anggota `{a}` harus ditulis KUNCI=NIK,NIK"))
                })?;
                for nik in niks.split(',').filter(|n| !n.trim().is_empty()) {
                    pilihan.push((kunci.trim().to_string(), nik.to_string()));
                }
            }
            let tidak_ada = crate::services::penduduk::tambah_anggota(
                &mut reg,
                &mut masukan.isian,
                &pilihan,
                &oleh,
                now,
            )?;
            if !tidak_ada.is_empty() {
                return Err(UsageError(format!(
                    "--anggota: NIK {} belum tercatat sebagai penduduk; tulis orangnya di --isian",
                    tidak_ada
                        .iter()
                        .map(|n| crate::domain::identity::mask(n))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
                .into());
            }
            if !nama_ditulis && masukan.nama.trim().is_empty() {
                return Err(UsageError(
                    "--nama wajib ditulis: NIK ini belum tercatat sebagai penduduk".into(),
                )
                .into());
            }
            let baru = permohonan::periksa(&masukan, &ws.katalog, now.date_naive())?;
            let p = reg.create(&baru, &oleh, now)?;
            if a.keluaran.json() {
                let mut v = serde_json::to_value(&p).context("JSON")?;
                v["diisi_dari_penduduk"] = serde_json::to_value(&diisi).context("JSON")?;
                super::print_json(out, &v)?;
            } else {
                if !diisi.is_empty() {
                    writeln!(out, "Diisi dari data penduduk: {}.", diisi.join(", "))?;
                }
                writeln!(
                    out,
                    "Permohonan {} dicatat: {}, atas nama {}.",
                    p.nomor_register,
                    ws.katalog
                        .jenis(&p.jenis)
                        .map_or(p.jenis.as_str(), |j| j.nama.as_str()),
                    p.nama
                )?;
                writeln!(out, "{}", show::next_step(&p))?;
            }
        }
        PermohonanCmd::Daftar(a) => {
            let filter = Filter {
                tahap: a
                    .tahap
                    .as_deref()
                    .map(str::parse::<Tahap>)
                    .transpose()
                    .map_err(|e| UsageError(format!("--tahap: {e}")))?,
                jenis: match a.jenis {
                    Some(j) if ws.katalog.jenis(&j).is_none() => {
                        return Err(UsageError(format!(
                            "--jenis: jenis surat `{j}` tidak ada di katalog; pilihan: {}",
                            ws.katalog.kode_list()
                        ))
                        .into());
                    }
                    j => j,
                },
                bulan: a
                    .bulan
                    .as_deref()
                    .map(str::parse::<Bulan>)
                    .transpose()
                    .map_err(|e| UsageError(format!("--bulan: {e}")))?,
                tahun: None,
                cari: a.cari.clone(),
            };
            let list = reg.list(&filter)?;
            match a.keluaran.format {
                FormatDaftar::Json => super::print_json(out, &list)?,
                FormatDaftar::Csv => out.text(&show::daftar_csv(&list))?,
                FormatDaftar::Tabel => out.text(&show::daftar(&list))?,
            }
        }
        PermohonanCmd::Lihat(a) => {
            let p = reg.get(reg.resolve(&a.id)?)?;
            let letter = reg.letter_of(p.id)?;
            let lama = reg.legacy_letter_of(p.id)?;
            let perubahan = reg.changes_of(p.id)?;
            if a.keluaran.json() {
                let mut v = serde_json::to_value(&p).context("JSON")?;
                v["surat"] = serde_json::to_value(&letter).context("JSON")?;
                v["surat_lama"] = serde_json::to_value(&lama).context("JSON")?;
                v["perubahan"] = serde_json::to_value(&perubahan).context("JSON")?;
                super::print_json(out, &v)?;
            } else {
                out.text(&show::lihat(
                    &p,
                    letter.as_ref(),
                    lama.as_ref(),
                    &perubahan,
                    &ws.katalog,
                    tz,
                ))?;
            }
        }
        PermohonanCmd::Berkas(a) => {
            if a.ada.is_empty() && a.tidak_ada.is_empty() {
                return Err(
                    UsageError("tulis --ada KODE,... atau --tidak-ada KODE,...".into()).into(),
                );
            }
            let id = reg.resolve(&a.id)?;
            let p = reg.set_papers(id, &a.ada, &a.tidak_ada, now)?;
            if a.keluaran.json() {
                super::print_json(out, &p)?;
            } else {
                writeln!(out, "Berkas permohonan {} diperbarui.", p.nomor_register)?;
                writeln!(out, "{}", show::next_step(&p))?;
            }
        }
        PermohonanCmd::Lanjut(a) => {
            let id = reg.resolve(&a.id)?;
            let renderer = crate::paper::render::LazyRenderer::new(&ws);
            // The stage the clerk means to move from: a request that has moved on since
            // (a second press, a colleague) is refused, never carried a stage further.
            // A role with no step of its own (the Lurah) is refused by the SOP wherever the
            // request stands.
            let dari = match a.dari.or_else(|| a.peran.langkah()) {
                Some(t) => t,
                None => reg.get(id)?.tahap,
            };
            let p = surat::advance(
                &mut reg,
                &ws,
                &renderer,
                id,
                dari,
                a.peran,
                &a.oleh,
                a.catatan.as_deref(),
                now,
                a.penanda_tangan,
            )?;
            let letter = if p.tahap == Tahap::Ditindaklanjuti {
                reg.letter_of(p.id)?
            } else {
                None
            };
            if a.keluaran.json() {
                // The request as `lihat` shows it, with the letter issued by this move.
                let mut v = serde_json::to_value(&p).context("JSON")?;
                v["surat"] = serde_json::to_value(&letter).context("JSON")?;
                super::print_json(out, &v)?;
            } else {
                writeln!(
                    out,
                    "Permohonan {} sekarang tahap {} ({}).",
                    p.nomor_register,
                    p.tahap.kode(),
                    p.tahap.label()
                )?;
                if let Some(s) = letter {
                    writeln!(
                        out,
                        "Surat terbit: nomor {}, kode verifikasi {}, berkas {}",
                        s.nomor,
                        s.kode_verifikasi,
                        ws.dir.join(&s.berkas).display()
                    )?;
                }
                writeln!(out, "{}", show::next_step(&p))?;
            }
        }
        PermohonanCmd::Tolak(a) => {
            let id = reg.resolve(&a.id)?;
            let p = reg.reject(id, a.peran, &a.oleh, &a.alasan, now)?;
            if a.keluaran.json() {
                super::print_json(out, &p)?;
            } else {
                writeln!(
                    out,
                    "Permohonan {} ditolak: {}",
                    p.nomor_register,
                    a.alasan.trim()
                )?;
            }
        }
        PermohonanCmd::Batalkan(a) => {
            let id = reg.resolve(&a.id)?;
            let p = reg.cancel(
                id,
                crate::domain::workflow::Peran::Operator,
                &a.oleh,
                &a.alasan,
                now,
            )?;
            if a.keluaran.json() {
                super::print_json(out, &p)?;
            } else {
                writeln!(
                    out,
                    "Permohonan {} dibatalkan atas permintaan pemohon: {}",
                    p.nomor_register,
                    a.alasan.trim()
                )?;
            }
        }
    }
    Ok(())
}

/// `--isian NAMA=NILAI` arguments as pairs.
/// `--isian NAMA=NILAI` values as pairs (also `penduduk ubah`'s).
pub(super) fn pairs(args: &[String]) -> Result<Vec<(String, String)>> {
    args.iter()
        .map(|pair| {
            pair.split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .ok_or_else(|| {
                    UsageError(format!("--isian `{pair}` harus ditulis NAMA=NILAI")).into()
                })
        })
        .collect()
}
