//! The monthly reports: the Koordinator's report to the Seklur and the Seklur's recap to
//! the Lurah. Making them records them once (moving the month's requests to stages 5
//! and 6), computes the figures, and writes both PDFs and the workbook under
//! `output/laporan/YYYY-MM/`. Also the register export.

use std::path::PathBuf;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use crate::config::workspace::Workspace;
use crate::domain::calendar::Bulan;
use crate::domain::laporan::JenisLaporan;
use crate::domain::workflow::{Peran, Tahap};
use crate::paper::PaperError;
use crate::paper::documents;
use crate::paper::figures::{self, Figures};
use crate::paper::render::RenderError;
use crate::paper::render::{Job, Renderer};
use crate::paper::workbook::ExportError;
use crate::services::outbox::{self, MailError, SendSummary};
use crate::store::RegisterError;
use crate::store::{Filter, Register};
use crate::util::files;

#[derive(Debug, thiserror::Error)]
pub enum LaporanError {
    #[error(transparent)]
    Register(#[from] RegisterError),
    #[error(transparent)]
    Render(#[from] RenderError),
    #[error(transparent)]
    Paper(#[from] PaperError),
    #[error(transparent)]
    Workbook(#[from] ExportError),
    #[error(transparent)]
    Mail(#[from] MailError),
    #[error("{0}: {1}")]
    Io(String, std::io::Error),
    #[error("bulan {0} belum terjadi")]
    BelumTerjadi(String),
}

type Result<T> = std::result::Result<T, LaporanError>;

/// What one "make the month's reports" did: the files, and the mail when asked for.
#[derive(Debug, Clone, Serialize)]
pub struct Dikirim {
    pub surel: crate::domain::surel::Surel,
    pub kirim: SendSummary,
}

/// The month's reports made (or made again, identically), and with `kirim` queued to the
/// office and the due mail sent: the one use case behind the command line, the web page,
/// the scheduled job and the demo.
pub fn make_and_send(
    ws: &Workspace,
    reg: &mut Register,
    renderer: &Renderer,
    bulan: Bulan,
    now: DateTime<FixedOffset>,
    kirim: bool,
) -> Result<(Made, Option<Dikirim>)> {
    if bulan > Bulan::of(now.date_naive()) {
        return Err(LaporanError::BelumTerjadi(bulan.nama()));
    }
    let made = monthly(ws, reg, renderer, bulan, now)?;
    let sent = if kirim {
        let surel = queue_mail(ws, reg, &made, now)?;
        let kirim = outbox::send_due(ws, reg, now)?;
        Some(Dikirim { surel, kirim })
    } else {
        None
    };
    Ok((made, sent))
}

/// What `laporan bulanan` made.
#[derive(Debug, Clone, Serialize)]
pub struct Made {
    pub bulan: String,
    pub folder: PathBuf,
    pub berkas: Vec<PathBuf>,
    /// Requests moved to stage 5 and to stage 6 by this run.
    pub ke_seklur: usize,
    pub ke_lurah: usize,
    pub angka: Figures,
}

/// The month before the one `now` falls in: the report made on the 1st.
pub fn default_month(now: &DateTime<FixedOffset>) -> Bulan {
    Bulan::of(now.date_naive()).prev()
}

/// Makes (or makes again, identically) both reports of `bulan`.
pub fn monthly(
    ws: &Workspace,
    reg: &mut Register,
    renderer: &Renderer,
    bulan: Bulan,
    now: DateTime<FixedOffset>,
) -> Result<Made> {
    let pj = &ws.profil.pejabat;
    let (koor, ke_seklur) = reg.record_report(
        JenisLaporan::Koordinator,
        bulan,
        Tahap::Ditindaklanjuti,
        Peran::Koordinator,
        &pj.koordinator.nama,
        &format!(
            "Laporan Koordinator kepada Sekretaris Lurah, {}",
            bulan.nama()
        ),
        now,
    )?;
    let (rekap, ke_lurah) = reg.record_report(
        JenisLaporan::Rekap,
        bulan,
        Tahap::DilaporkanKeSeklur,
        Peran::Seklur,
        &pj.seklur.nama,
        &format!("Rekap Sekretaris Lurah kepada Lurah, {}", bulan.nama()),
        now,
    )?;
    let tz = ws.profil.tz();
    // Figures are as of the day the report was first made, so a rerun prints the same.
    let per = koor.dibuat.with_timezone(&tz).date_naive();
    let requests = reg.list(&Filter {
        bulan: Some(bulan),
        ..Filter::default()
    })?;
    let previous = reg.list(&Filter {
        bulan: Some(bulan.prev()),
        ..Filter::default()
    })?;
    let mut first = bulan;
    for _ in 0..11 {
        first = first.prev();
    }
    let trend = reg.count_by_month(first, bulan)?;
    let letters = reg.letters_in(bulan)?;
    let libur = ws.profil.holidays();
    let angka = figures::figures(&figures::Input {
        bulan,
        requests: &requests,
        previous: &previous,
        trend: &trend,
        letters: &letters,
        katalog: &ws.katalog,
        libur: &libur,
        tz,
        per,
    });

    let folder = ws.dir.join(format!("output/laporan/{bulan}"));
    let mut berkas = Vec::new();
    for (template, lap, name) in [
        (
            "laporan/koordinator.typ",
            &koor,
            format!("laporan-koordinator-{bulan}.pdf"),
        ),
        (
            "laporan/rekap.typ",
            &rekap,
            format!("rekap-seklur-{bulan}.pdf"),
        ),
    ] {
        let date = lap.dibuat.with_timezone(&tz).date_naive();
        let data = documents::report(&ws.profil, &angka, &lap.rujukan, date);
        let json = serde_json::to_vec(&data).expect("report data serializes");
        let pdf = renderer.render(&Job {
            template,
            data: &json,
            qr_svg: None,
            ident: &lap.rujukan,
            date,
        })?;
        let path = folder.join(name);
        files::write_atomic(&path, &pdf)
            .map_err(|e| LaporanError::Io(path.display().to_string(), e))?;
        berkas.push(path);
    }
    let date = koor.dibuat.with_timezone(&tz).date_naive();
    let xlsx = crate::paper::workbook::monthly_workbook(
        &angka,
        &ws.profil.kantor.kelurahan,
        date,
        ws.profil.laporan.samarkan_nik,
    )?;
    let path = folder.join(format!("laporan-{bulan}.xlsx"));
    files::write_atomic(&path, &xlsx)
        .map_err(|e| LaporanError::Io(path.display().to_string(), e))?;
    berkas.push(path);
    Ok(Made {
        bulan: bulan.to_string(),
        folder,
        berkas,
        ke_seklur,
        ke_lurah,
        angka,
    })
}

/// The register (all of it, or one year) as a workbook the importer reads back.
pub fn export_register(
    ws: &Workspace,
    reg: &Register,
    tahun: Option<i32>,
    out: &std::path::Path,
    today: chrono::NaiveDate,
) -> Result<usize> {
    let requests = reg.list(&Filter {
        tahun,
        ..Filter::default()
    })?;
    // The program's letters, and the numbers imported from the old register.
    let mut letters = std::collections::BTreeMap::new();
    let lama = reg.legacy_letters()?;
    for p in &requests {
        if let Some(s) = reg.letter_of(p.id)? {
            letters.insert(
                p.id,
                crate::paper::workbook::NomorSurat {
                    nomor: s.nomor,
                    tanggal: Some(s.tanggal),
                },
            );
        } else if let Some(s) = lama.get(&p.id) {
            letters.insert(
                p.id,
                crate::paper::workbook::NomorSurat {
                    nomor: s.nomor.clone(),
                    tanggal: s.tanggal,
                },
            );
        }
    }
    let xlsx = crate::paper::workbook::register_workbook(
        &requests,
        &letters,
        &ws.profil.kantor.kelurahan,
        today,
    )?;
    files::write_atomic(out, &xlsx).map_err(|e| LaporanError::Io(out.display().to_string(), e))?;
    Ok(requests.len())
}

fn angka(v: Option<f64>) -> String {
    v.map_or("-".into(), |x| {
        format!("{x:.1}").trim_end_matches(".0").replace('.', ",")
    })
}

/// Queues the month's reports in the outbox, addressed as the profile says; once per
/// month (a second call finds the message already queued). No NIK in subject or body.
pub fn queue_mail(
    ws: &Workspace,
    reg: &mut Register,
    made: &Made,
    now: DateTime<FixedOffset>,
) -> std::result::Result<crate::domain::surel::Surel, MailError> {
    let f = &made.angka;
    let r = &f.ringkas;
    let nama = format!("Kelurahan {}", ws.profil.kantor.nama);
    let subjek = format!("Laporan Bulanan Pelayanan {nama} — {}", f.bulan_nama);
    let mut lampiran = Vec::new();
    for b in &made.berkas {
        lampiran.push(crate::services::outbox::attachment(ws, b)?);
    }
    let daftar: String = lampiran
        .iter()
        .map(|l| {
            let what = if l.nama.starts_with("laporan-koordinator") {
                "Laporan Koordinator kepada Sekretaris Lurah"
            } else if l.nama.starts_with("rekap-seklur") {
                "Rekap Sekretaris Lurah kepada Lurah"
            } else {
                "Buku kerja Excel: ringkasan, rincian, per jenis surat, tren"
            };
            format!("- {what} ({})\n", l.nama)
        })
        .collect();
    let isi = format!(
        "Yth. {jabatan},\n\n\
         Terlampir laporan pelayanan surat pengantar {nama} bulan {bulan}:\n{daftar}\n\
         Angka utama:\n\
         - Permohonan diterima: {jumlah} (bulan lalu {lalu})\n\
         - Surat terbit: {terbit}\n\
         - Permohonan ditolak: {tolak}\n\
         - Waktu layanan (median): {median} hari kerja\n\
         - Selesai dalam standar layanan: {tepat}\n\n\
         Surel ini dikirim otomatis oleh program kelurahan. NIK dalam laporan disamarkan.\n",
        jabatan = ws.profil.pejabat.lurah.jabatan,
        bulan = f.bulan_nama,
        jumlah = r.jumlah,
        lalu = f.bulan_lalu.jumlah,
        terbit = r.surat_terbit,
        tolak = r.ditolak,
        median = angka(r.waktu_median),
        tepat = r
            .tepat_waktu_persen
            .map_or("-".into(), |p| format!("{}%", angka(Some(p)))),
    );
    let rujukan = format!("laporan-{}", made.bulan);
    let m = crate::domain::surel::SurelBaru {
        message_id: crate::services::outbox::new_message_id(ws, &rujukan)?,
        rujukan: Some(rujukan),
        kepada: crate::services::outbox::recipients(ws),
        subjek,
        isi,
        lampiran,
    };
    crate::services::outbox::queue(ws, reg, &m, now)
}
