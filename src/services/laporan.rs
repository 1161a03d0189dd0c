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
use crate::domain::periode::{JenisPeriode, Periode};
use crate::domain::workflow::{Peran, Tahap};
use crate::paper::PaperError;
use crate::paper::documents;
use crate::paper::figures::{self, Figures, FiguresPeriode};
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
    #[error(
        "bulan {0} belum selesai: laporannya dibuat sesudah bulan itu berakhir \
         (rancangan yang tidak mencatat apa pun: --sementara)"
    )]
    BelumSelesai(String),
    #[error("{0} belum terjadi")]
    PeriodeBelumTerjadi(String),
    #[error("{0} belum selesai: laporannya dibuat sesudah periode itu berakhir")]
    PeriodeBelumSelesai(String),
    #[error("angka laporan {0} yang tersimpan tidak terbaca ({1}); register perlu diperiksa")]
    AngkaRusak(String, String),
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
/// the scheduled job and the demo. A month is reported once it is over.
pub fn make_and_send(
    ws: &Workspace,
    reg: &mut Register,
    renderer: &Renderer,
    bulan: Bulan,
    now: DateTime<FixedOffset>,
    kirim: bool,
) -> Result<(Made, Option<Dikirim>)> {
    let this = Bulan::of(now.date_naive());
    if bulan > this {
        return Err(LaporanError::BelumTerjadi(bulan.nama()));
    }
    if bulan == this {
        return Err(LaporanError::BelumSelesai(bulan.nama()));
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
    /// A draft (`--sementara`): marked on every page, recorded and moved nothing.
    pub sementara: bool,
    pub angka: Figures,
}

/// The month before the one `now` falls in: the report made on the 1st.
pub fn default_month(now: &DateTime<FixedOffset>) -> Bulan {
    Bulan::of(now.date_naive()).prev()
}

/// Makes (or makes again, identically) both reports of `bulan`, a month that is over.
/// The first run records both reports, moves the requests whose letter is dated in the
/// month to stage 5 and on to stage 6, and keeps the figures; every later run prints
/// from the kept figures, so the files come out the same byte for byte (as long as the
/// templates are the same).
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
    let angka = match reg.report_figures(bulan)? {
        Some(kept) => {
            let mut f: Figures = serde_json::from_str(&kept)
                .map_err(|e| LaporanError::AngkaRusak(bulan.to_string(), e.to_string()))?;
            restore_identities(reg, bulan, &mut f)?;
            f
        }
        None => {
            // Figures as of the day the report was first made. Should the program stop
            // between recording and keeping them, the next run computes them here: the
            // moves are already recorded, so nothing differs but that day.
            let per = koor.dibuat.with_timezone(&tz).date_naive();
            let mut f = compute(ws, reg, bulan, per)?;
            f.dilaporkan = figures::Dilaporkan {
                ke_seklur: reg.moved_by_report(&koor.rujukan)?,
                ke_lurah: reg.moved_by_report(&rekap.rujukan)?,
            };
            let json = serde_json::to_string(&f).expect("figures serialize");
            reg.keep_report_figures(bulan, &json, now)?;
            f
        }
    };
    let folder = ws.dir.join(format!("output/laporan/{bulan}"));
    let berkas = write_reports(
        ws,
        renderer,
        &angka,
        &folder,
        [
            (&koor.rujukan, koor.dibuat.with_timezone(&tz).date_naive()),
            (&rekap.rujukan, rekap.dibuat.with_timezone(&tz).date_naive()),
        ],
        false,
    )?;
    Ok(Made {
        bulan: bulan.to_string(),
        folder,
        berkas,
        ke_seklur,
        ke_lurah,
        sementara: false,
        angka,
    })
}

/// A draft of `bulan`'s reports (the month may still be running), as of `now`, marked
/// SEMENTARA on every page and written under `output/laporan/sementara/`. It records
/// nothing and moves no request.
pub fn draft(
    ws: &Workspace,
    reg: &Register,
    renderer: &Renderer,
    bulan: Bulan,
    now: DateTime<FixedOffset>,
) -> Result<Made> {
    if bulan > Bulan::of(now.date_naive()) {
        return Err(LaporanError::BelumTerjadi(bulan.nama()));
    }
    let today = now.date_naive();
    let angka = compute(ws, reg, bulan, today)?;
    let folder = ws.dir.join("output/laporan/sementara");
    let rujukan = format!("SEMENTARA-{bulan}");
    let berkas = write_reports(
        ws,
        renderer,
        &angka,
        &folder,
        [(&rujukan, today), (&rujukan, today)],
        true,
    )?;
    Ok(Made {
        bulan: bulan.to_string(),
        folder,
        berkas,
        ke_seklur: 0,
        ke_lurah: 0,
        sementara: true,
        angka,
    })
}

/// The month's figures from the register as it stands, open requests counted up to `per`.
fn compute(
    ws: &Workspace,
    reg: &Register,
    bulan: Bulan,
    per: chrono::NaiveDate,
) -> Result<Figures> {
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
    Ok(figures::figures(&figures::Input {
        bulan,
        requests: &requests,
        previous: &previous,
        trend: &trend,
        letters: &letters,
        katalog: &ws.katalog,
        libur: &libur,
        tz: ws.profil.tz(),
        per,
    }))
}

/// Kept figures carry no full NIK or KK (they never enter a document's data); the
/// office's own workbook takes them again from the register, where they do not change.
fn restore_identities(reg: &Register, bulan: Bulan, f: &mut Figures) -> Result<()> {
    let requests = reg.list(&Filter {
        bulan: Some(bulan),
        ..Filter::default()
    })?;
    let by_number: std::collections::HashMap<&str, (&str, Option<&String>)> = requests
        .iter()
        .map(|p| (p.nomor_register.as_str(), (p.nik.as_str(), p.kk.as_ref())))
        .collect();
    for r in f.rincian.iter_mut().chain(f.lewat_standar.iter_mut()) {
        if let Some((nik, kk)) = by_number.get(r.nomor_register.as_str()) {
            r.nik = nik.to_string();
            r.kk = kk.cloned();
        }
    }
    Ok(())
}

/// The files of a month's report, by name: the Koordinator's PDF, the Seklur's rekap
/// and the workbook (a draft's names say `sementara`).
pub fn report_file_names(bulan: Bulan, sementara: bool) -> [String; 3] {
    let suffix = if sementara { "-sementara" } else { "" };
    [
        format!("laporan-koordinator-{bulan}{suffix}.pdf"),
        format!("rekap-seklur-{bulan}{suffix}.pdf"),
        format!("laporan-{bulan}{suffix}.xlsx"),
    ]
}

/// The files of a quarter's or a year's report, by name: the PDF and the workbook.
pub fn period_file_names(periode: Periode) -> [String; 2] {
    let stem = format!("laporan-{}-{periode}", periode.jenis().kode());
    [format!("{stem}.pdf"), format!("{stem}.xlsx")]
}

/// Both PDFs and the workbook, each written whole or not at all.
fn write_reports(
    ws: &Workspace,
    renderer: &Renderer,
    angka: &Figures,
    folder: &std::path::Path,
    [(koor, koor_date), (rekap, rekap_date)]: [(&String, chrono::NaiveDate); 2],
    sementara: bool,
) -> Result<Vec<PathBuf>> {
    let [koor_name, rekap_name, xlsx_name] = report_file_names(angka.bulan, sementara);
    let mut berkas = Vec::new();
    for (template, rujukan, date, name) in [
        ("laporan/koordinator.typ", koor, koor_date, koor_name),
        ("laporan/rekap.typ", rekap, rekap_date, rekap_name),
    ] {
        let data = documents::report(&ws.profil, angka, rujukan, date, sementara);
        let json = serde_json::to_vec(&data).expect("report data serializes");
        let pdf = renderer.render(&Job {
            template,
            data: &json,
            qr_svg: None,
            ident: rujukan,
            date,
        })?;
        let path = folder.join(name);
        files::write_atomic(&path, &pdf)
            .map_err(|e| LaporanError::Io(path.display().to_string(), e))?;
        berkas.push(path);
    }
    let xlsx = crate::paper::workbook::monthly_workbook(
        angka,
        &ws.profil.kantor.kelurahan,
        koor_date,
        ws.profil.laporan.samarkan_nik,
        sementara,
        ws.profil.dokumen.kertas,
    )?;
    let path = folder.join(xlsx_name);
    files::write_atomic(&path, &xlsx)
        .map_err(|e| LaporanError::Io(path.display().to_string(), e))?;
    berkas.push(path);
    Ok(berkas)
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
         - Surat terbit untuk permohonan bulan itu: {terbit}\n\
         - Permohonan ditolak kantor: {tolak}\n\
         - Permohonan dibatalkan pemohon: {batal}\n\
         - Waktu layanan (median): {median} hari kerja\n\
         - Selesai dalam standar layanan: {tepat}\n\n\
         Surel ini dikirim otomatis oleh program kelurahan. NIK dalam laporan disamarkan.\n",
        jabatan = ws.profil.pejabat.lurah.jabatan,
        bulan = f.bulan_nama,
        jumlah = r.jumlah,
        lalu = f.bulan_lalu.jumlah,
        terbit = r.surat_terbit,
        tolak = r.ditolak,
        batal = r.dibatalkan,
        median = angka(r.waktu_median),
        tepat = r
            .tepat_waktu_persen
            .map_or("-".into(), |p| format!("{}%", angka(Some(p)))),
    );
    let rujukan = format!("laporan-{}", made.bulan);
    queue_report(ws, reg, rujukan, subjek, isi, lampiran, now)
}

/// A report's mail to the office, queued in the outbox under its reference (once).
fn queue_report(
    ws: &Workspace,
    reg: &mut Register,
    rujukan: String,
    subjek: String,
    isi: String,
    lampiran: Vec<crate::domain::surel::Lampiran>,
    now: DateTime<FixedOffset>,
) -> std::result::Result<crate::domain::surel::Surel, MailError> {
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

/// What `laporan triwulan` or `laporan tahunan` made.
#[derive(Debug, Clone, Serialize)]
pub struct MadePeriode {
    /// `2026-Q4` or `2026`.
    pub periode: String,
    /// "Triwulan IV 2026", "Tahun 2026".
    pub nama: String,
    pub rujukan: String,
    pub folder: PathBuf,
    pub berkas: Vec<PathBuf>,
    pub angka: FiguresPeriode,
}

/// The last quarter or year over at `now`: the one reported by default.
pub fn default_periode(jenis: JenisPeriode, now: &DateTime<FixedOffset>) -> Periode {
    Periode::last_finished(jenis, now.date_naive())
}

/// A quarter's or a year's report made (or made again, identically), and with `kirim`
/// queued to the office and the due mail sent. A period is reported once it is over.
pub fn make_and_send_periode(
    ws: &Workspace,
    reg: &mut Register,
    renderer: &Renderer,
    periode: Periode,
    now: DateTime<FixedOffset>,
    kirim: bool,
) -> Result<(MadePeriode, Option<Dikirim>)> {
    let today = now.date_naive();
    if periode.belum_mulai(today) {
        return Err(LaporanError::PeriodeBelumTerjadi(periode.nama()));
    }
    if !periode.selesai(today) {
        return Err(LaporanError::PeriodeBelumSelesai(periode.nama()));
    }
    let made = periodic(ws, reg, renderer, periode, now)?;
    let sent = if kirim {
        let surel = queue_mail_periode(ws, reg, &made, now)?;
        let kirim = outbox::send_due(ws, reg, now)?;
        Some(Dikirim { surel, kirim })
    } else {
        None
    };
    Ok((made, sent))
}

/// The reference of a quarter's or a year's report: `LTW-2026-Q4`, `LTH-2026`.
fn rujukan_periode(periode: Periode) -> String {
    match periode.jenis() {
        JenisPeriode::Triwulan => format!("LTW-{periode}"),
        JenisPeriode::Tahunan => format!("LTH-{periode}"),
    }
}

/// Makes (or makes again, identically) the report of a quarter or a year that is over:
/// one PDF (the Seklur's summary to the Lurah of what the Koordinator reported) and one
/// workbook under `output/laporan/2026-Q4/` or `output/laporan/2026/`. The first run
/// records the report and keeps its figures; every later run prints from the kept
/// figures. It moves no request (the monthly reports do that).
pub fn periodic(
    ws: &Workspace,
    reg: &mut Register,
    renderer: &Renderer,
    periode: Periode,
    now: DateTime<FixedOffset>,
) -> Result<MadePeriode> {
    let key = periode.to_string();
    let laporan = reg.record_period_report(&key, &rujukan_periode(periode), now)?;
    let tz = ws.profil.tz();
    let tanggal = laporan.dibuat.with_timezone(&tz).date_naive();
    let angka = match reg.period_figures(&key)? {
        Some(kept) => serde_json::from_str(&kept)
            .map_err(|e| LaporanError::AngkaRusak(key.clone(), e.to_string()))?,
        None => {
            let f = compute_periode(ws, reg, periode, tanggal)?;
            let json = serde_json::to_string(&f).expect("figures serialize");
            reg.keep_period_figures(&key, &json, now)?;
            f
        }
    };
    let folder = ws.dir.join(format!("output/laporan/{key}"));
    let [pdf_name, xlsx_name] = period_file_names(periode);
    let data = documents::periode_report(&ws.profil, &angka, &laporan.rujukan, tanggal);
    let json = serde_json::to_vec(&data).expect("report data serializes");
    let pdf = renderer.render(&Job {
        template: "laporan/periode.typ",
        data: &json,
        qr_svg: None,
        ident: &laporan.rujukan,
        date: tanggal,
    })?;
    let mut berkas = Vec::new();
    let path = folder.join(pdf_name);
    files::write_atomic(&path, &pdf)
        .map_err(|e| LaporanError::Io(path.display().to_string(), e))?;
    berkas.push(path);
    let xlsx = crate::paper::workbook::periode_workbook(
        &angka,
        &ws.profil.kantor.kelurahan,
        tanggal,
        ws.profil.dokumen.kertas,
    )?;
    let path = folder.join(xlsx_name);
    files::write_atomic(&path, &xlsx)
        .map_err(|e| LaporanError::Io(path.display().to_string(), e))?;
    berkas.push(path);
    Ok(MadePeriode {
        periode: key,
        nama: periode.nama(),
        rujukan: laporan.rujukan,
        folder,
        berkas,
        angka,
    })
}

/// A period's figures from the register as it stands, open requests counted up to
/// `per` (`figures::figures_periode`: each month's, and the whole period's at once).
fn compute_periode(
    ws: &Workspace,
    reg: &Register,
    periode: Periode,
    per: chrono::NaiveDate,
) -> Result<FiguresPeriode> {
    let libur = ws.profil.holidays();
    let mut requests = Vec::new();
    let mut letters = Vec::new();
    // Month by month, as the figures take them.
    for m in periode.months() {
        requests.extend(reg.list(&Filter {
            bulan: Some(m),
            ..Filter::default()
        })?);
        letters.extend(reg.letters_in(m)?);
    }
    let mut first = periode.last();
    for _ in 0..11 {
        first = first.prev();
    }
    let trend = reg.count_by_month(first, periode.last())?;
    Ok(figures::figures_periode(&figures::InputPeriode {
        periode,
        requests: &requests,
        letters: &letters,
        trend: &trend,
        katalog: &ws.katalog,
        libur: &libur,
        tz: ws.profil.tz(),
        per,
    }))
}

/// Queues a quarter's or a year's report in the outbox to the office, once per period.
/// No NIK in subject or body.
pub fn queue_mail_periode(
    ws: &Workspace,
    reg: &mut Register,
    made: &MadePeriode,
    now: DateTime<FixedOffset>,
) -> std::result::Result<crate::domain::surel::Surel, MailError> {
    let f = &made.angka;
    let nama = format!("Kelurahan {}", ws.profil.kantor.nama);
    let jenis = if f.jenis == JenisPeriode::Triwulan.kode() {
        "Triwulan"
    } else {
        "Tahunan"
    };
    let subjek = format!("Laporan {jenis} Pelayanan {nama} — {}", f.nama);
    let mut lampiran = Vec::new();
    for b in &made.berkas {
        lampiran.push(crate::services::outbox::attachment(ws, b)?);
    }
    let daftar: String = lampiran
        .iter()
        .map(|l| {
            let what = if l.nama.ends_with(".pdf") {
                "Laporan Sekretaris Lurah kepada Lurah"
            } else {
                "Buku kerja Excel: ringkasan, per bulan, per jenis surat"
            };
            format!("- {what} ({})\n", l.nama)
        })
        .collect();
    let isi = format!(
        "Yth. {jabatan},\n\n\
         Terlampir laporan pelayanan surat pengantar {nama} {periode} ({rentang}):\n{daftar}\n\
         Angka utama:\n\
         - Permohonan diterima: {jumlah}\n\
         - Surat terbit: {terbit}\n\
         - Permohonan ditolak kantor: {tolak}\n\
         - Permohonan dibatalkan pemohon: {batal}\n\
         - Waktu layanan (median): {median} hari kerja\n\
         - Selesai dalam standar layanan: {tepat}\n\n\
         Surel ini dikirim otomatis oleh program kelurahan.\n",
        jabatan = ws.profil.pejabat.lurah.jabatan,
        periode = f.nama,
        rentang = f.rentang,
        jumlah = f.jumlah,
        terbit = f.surat_terbit,
        tolak = f.ditolak,
        batal = f.dibatalkan,
        median = angka(f.waktu_layanan.median),
        tepat = f
            .tepat_waktu_persen
            .map_or("-".into(), |p| format!("{}%", angka(Some(p)))),
    );
    let rujukan = format!("laporan-{}", made.periode);
    queue_report(ws, reg, rujukan, subjek, isi, lampiran, now)
}
