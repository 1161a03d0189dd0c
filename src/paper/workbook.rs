//! Excel workbooks (rust_xlsxwriter): the monthly report's workbook, and the register as a
//! workbook with the columns the importer reads back. NIK and KK are always text.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    Chart, ChartType, DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, Worksheet,
    XlsxError,
};

use crate::domain::identity;
use crate::domain::permohonan::Permohonan;
use crate::paper::figures::{Figures, Stat};

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("buku kerja Excel tidak dapat dibuat: {0}")]
    Xlsx(#[from] XlsxError),
}

type Result<T> = std::result::Result<T, ExportError>;

/// Dates shown the Indonesian way (`29 November 2026`) in Excel and LibreOffice.
const DATE_FORMAT: &str = "[$-421]d mmmm yyyy";

pub(crate) fn excel_date(d: NaiveDate) -> Result<ExcelDateTime> {
    Ok(ExcelDateTime::from_ymd(
        d.year() as u16,
        d.month() as u8,
        d.day() as u8,
    )?)
}

pub(crate) struct Styles {
    pub(crate) title: Format,
    pub(crate) header: Format,
    pub(crate) date: Format,
    pub(crate) text: Format,
    pub(crate) number: Format,
}

pub(crate) fn styles() -> Styles {
    Styles {
        title: Format::new().set_bold().set_font_size(14),
        header: Format::new()
            .set_bold()
            .set_background_color("#DCE6F1")
            .set_border(rust_xlsxwriter::FormatBorder::Thin)
            .set_text_wrap()
            .set_align(FormatAlign::Center),
        date: Format::new().set_num_format(DATE_FORMAT),
        // "@": the cell is text, so Excel never turns a NIK into a number.
        text: Format::new().set_num_format("@"),
        number: Format::new().set_num_format("0.0"),
    }
}

/// The same bytes for the same content: the document date is the report's, not now.
pub(crate) fn properties(title: &str, author: &str, date: NaiveDate) -> Result<DocProperties> {
    Ok(DocProperties::new()
        .set_title(title)
        .set_author(author)
        .set_company(author)
        .set_creation_datetime(&excel_date(date)?))
}

pub(crate) fn header(ws: &mut Worksheet, row: u32, cols: &[&str], s: &Styles) -> Result<()> {
    for (c, h) in cols.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, *h, &s.header)?;
    }
    Ok(())
}

fn write_opt_f64(ws: &mut Worksheet, row: u32, col: u16, v: Option<f64>, s: &Styles) -> Result<()> {
    match v {
        Some(v) => ws.write_number_with_format(row, col, v, &s.number)?,
        None => ws.write_string(row, col, "-")?,
    };
    Ok(())
}

fn write_stat(ws: &mut Worksheet, row: u32, col: u16, st: &Stat, s: &Styles) -> Result<()> {
    ws.write_number(row, col, st.n as f64)?;
    write_opt_f64(ws, row, col + 1, st.median, s)?;
    write_opt_f64(ws, row, col + 2, st.p90, s)?;
    Ok(())
}

/// The monthly report's workbook: summary, detail (one row per request), by letter type
/// with a native chart, and the twelve-month trend. With `mask`, NIK and KK are masked
/// (the workbook that leaves the building by mail).
pub fn monthly_workbook(
    f: &Figures,
    kelurahan: &str,
    tanggal: NaiveDate,
    mask: bool,
    sementara: bool,
) -> Result<Vec<u8>> {
    let s = styles();
    let mut wb = Workbook::new();
    let mut title = format!("Laporan Bulanan Pelayanan {kelurahan} — {}", f.bulan_nama);
    if sementara {
        title.push_str(" (SEMENTARA, belum dilaporkan)");
    }
    wb.set_properties(&properties(&title, kelurahan, tanggal)?);

    let ws = wb.add_worksheet();
    ws.set_name("Ringkasan")?;
    ws.write_string_with_format(0, 0, &title, &s.title)?;
    let r = &f.ringkas;
    let l = &f.bulan_lalu;
    header(ws, 2, &["Uraian", &r.bulan.nama(), &l.bulan.nama()], &s)?;
    let rows: [(&str, f64, f64); 3] = [
        ("Permohonan diterima", r.jumlah as f64, l.jumlah as f64),
        ("Surat terbit", r.surat_terbit as f64, l.surat_terbit as f64),
        ("Permohonan ditolak", r.ditolak as f64, l.ditolak as f64),
    ];
    let mut row = 3;
    for (label, a, b) in rows {
        ws.write_string(row, 0, label)?;
        ws.write_number(row, 1, a)?;
        ws.write_number(row, 2, b)?;
        row += 1;
    }
    ws.write_string(row, 0, "Waktu layanan, median (hari kerja)")?;
    write_opt_f64(ws, row, 1, r.waktu_median, &s)?;
    write_opt_f64(ws, row, 2, l.waktu_median, &s)?;
    row += 1;
    ws.write_string(row, 0, "Selesai dalam standar layanan (%)")?;
    write_opt_f64(ws, row, 1, r.tepat_waktu_persen, &s)?;
    write_opt_f64(ws, row, 2, l.tepat_waktu_persen, &s)?;
    row += 1;
    ws.write_string(row, 0, "Surat bertanggal bulan ini / dibatalkan")?;
    ws.write_number(row, 1, f.surat_terbit as f64)?;
    ws.write_number(row, 2, f.surat_batal as f64)?;
    row += 2;
    header(
        ws,
        row,
        &["Langkah SOP (hari kerja)", "n", "Median", "Persentil 90"],
        &s,
    )?;
    row += 1;
    for w in &f.waktu_tahap {
        ws.write_string(row, 0, &w.label)?;
        write_stat(ws, row, 1, &w.waktu, &s)?;
        row += 1;
    }
    ws.write_string(row, 0, "Permohonan sampai surat terbit")?;
    write_stat(ws, row, 1, &f.waktu_layanan, &s)?;
    row += 2;
    header(ws, row, &["Kanal", "Jumlah"], &s)?;
    row += 1;
    for (k, n) in &f.per_kanal {
        ws.write_string(row, 0, k)?;
        ws.write_number(row, 1, *n as f64)?;
        row += 1;
    }
    row += 1;
    header(ws, row, &["Tahap", "Jumlah"], &s)?;
    row += 1;
    for t in &f.per_tahap {
        ws.write_string(row, 0, &t.label)?;
        ws.write_number(row, 1, t.jumlah as f64)?;
        row += 1;
    }
    if !f.alasan_tolak.is_empty() {
        row += 1;
        header(ws, row, &["Alasan penolakan", "Jumlah"], &s)?;
        row += 1;
        for (a, n) in &f.alasan_tolak {
            ws.write_string(row, 0, a)?;
            ws.write_number(row, 1, *n as f64)?;
            row += 1;
        }
    }
    ws.set_column_width(0, 48)?;
    ws.set_column_width(1, 18)?;
    ws.set_column_width(2, 18)?;
    ws.set_column_width(3, 14)?;

    let ws = wb.add_worksheet();
    ws.set_name("Rincian")?;
    let cols = [
        "No",
        "No. Register",
        "Tanggal",
        "Nama",
        "NIK",
        "No. KK",
        "Jenis Surat",
        "Kanal",
        "Tahap",
        "Hari Kerja",
        "Standar (hari)",
        "Lewat Standar",
        "Nomor Surat",
        "Alasan Ditolak",
    ];
    header(ws, 0, &cols, &s)?;
    for (i, x) in f.rincian.iter().enumerate() {
        let row = i as u32 + 1;
        let (nik, kk) = if mask {
            (x.nik_samaran.clone(), x.kk.as_deref().map(identity::mask))
        } else {
            (x.nik.clone(), x.kk.clone())
        };
        ws.write_number(row, 0, (i + 1) as f64)?;
        ws.write_string(row, 1, &x.nomor_register)?;
        ws.write_datetime_with_format(row, 2, excel_date(x.tanggal)?, &s.date)?;
        ws.write_string(row, 3, &x.nama)?;
        ws.write_string_with_format(row, 4, &nik, &s.text)?;
        ws.write_string_with_format(row, 5, kk.as_deref().unwrap_or(""), &s.text)?;
        ws.write_string(row, 6, &x.jenis_nama)?;
        ws.write_string(row, 7, &x.kanal)?;
        ws.write_string(row, 8, &x.tahap_label)?;
        match x.hari {
            Some(h) => ws.write_number(row, 9, h as f64)?,
            None => ws.write_string(row, 9, "-")?,
        };
        ws.write_number(row, 10, x.standar_hari as f64)?;
        ws.write_string(row, 11, if x.lewat_standar { "Ya" } else { "Tidak" })?;
        ws.write_string(row, 12, x.nomor_surat.as_deref().unwrap_or(""))?;
        ws.write_string(row, 13, x.alasan_tolak.as_deref().unwrap_or(""))?;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, f.rincian.len().max(1) as u32, cols.len() as u16 - 1)?;
    ws.autofit();
    // Dates are numbers to autofit; give them room for "30 September 2026".
    ws.set_column_width(2, 19)?;

    let ws = wb.add_worksheet();
    ws.set_name("Per Jenis")?;
    header(
        ws,
        0,
        &[
            "Kode",
            "Jenis Surat",
            "Jumlah",
            "Surat Terbit",
            "Ditolak",
            "Diproses",
            "Median (hari kerja)",
            "Standar (hari)",
            "Lewat Standar",
        ],
        &s,
    )?;
    for (i, j) in f.per_jenis.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string(row, 0, &j.kode)?;
        ws.write_string(row, 1, &j.nama)?;
        ws.write_number(row, 2, j.jumlah as f64)?;
        ws.write_number(row, 3, j.surat_terbit as f64)?;
        ws.write_number(row, 4, j.ditolak as f64)?;
        ws.write_number(row, 5, j.diproses as f64)?;
        write_opt_f64(ws, row, 6, j.waktu.median, &s)?;
        ws.write_number(row, 7, j.standar_hari as f64)?;
        ws.write_number(row, 8, j.lewat_standar as f64)?;
    }
    ws.autofit();
    let n = f.per_jenis.len() as u32;
    let mut chart = Chart::new(ChartType::Bar);
    chart
        .add_series()
        .set_name("Permohonan")
        .set_categories(("Per Jenis", 1, 1, n, 1))
        .set_values(("Per Jenis", 1, 2, n, 2));
    chart
        .title()
        .set_name(&format!("Permohonan per jenis surat, {}", f.bulan_nama));
    chart.legend().set_hidden();
    ws.insert_chart(n + 3, 1, &chart)?;

    let ws = wb.add_worksheet();
    ws.set_name("Tren")?;
    header(ws, 0, &["Bulan", "Permohonan"], &s)?;
    for (i, (b, c)) in f.tren.iter().enumerate() {
        ws.write_string(i as u32 + 1, 0, b.nama())?;
        ws.write_number(i as u32 + 1, 1, *c as f64)?;
    }
    ws.set_column_width(0, 18)?;
    let n = f.tren.len() as u32;
    let mut chart = Chart::new(ChartType::Column);
    chart
        .add_series()
        .set_name("Permohonan")
        .set_categories(("Tren", 1, 0, n, 0))
        .set_values(("Tren", 1, 1, n, 1));
    chart
        .title()
        .set_name("Permohonan per bulan, dua belas bulan terakhir");
    chart.legend().set_hidden();
    ws.insert_chart(1, 3, &chart)?;

    Ok(wb.save_to_buffer()?)
}

/// Column headers of the register export, in order. The importer reads these names.
pub const REGISTER_COLUMNS: [&str; 15] = [
    "No. Register",
    "Tanggal",
    "Jenis Surat",
    "Nama",
    "NIK",
    "No. KK",
    "Alamat",
    "RT",
    "RW",
    "Telepon",
    "Kanal",
    "Keperluan",
    "Tahap",
    "Nomor Surat",
    "Tanggal Surat",
];

/// A request's letter number and date, issued here or imported from the old register.
#[derive(Debug, Clone)]
pub struct NomorSurat {
    pub nomor: String,
    pub tanggal: Option<NaiveDate>,
}

/// The register as a workbook: one row per request (its extra fields as `isian:KUNCI`
/// columns), its checklist and its history on their own sheets, full NIK and KK as text.
pub fn register_workbook(
    requests: &[Permohonan],
    letters: &BTreeMap<i64, NomorSurat>,
    kelurahan: &str,
    tanggal: NaiveDate,
) -> Result<Vec<u8>> {
    let s = styles();
    let mut wb = Workbook::new();
    wb.set_properties(&properties(
        &format!("Buku Register {kelurahan}"),
        kelurahan,
        tanggal,
    )?);
    let keys: BTreeSet<&str> = requests
        .iter()
        .flat_map(|p| p.isian.keys().map(String::as_str))
        .collect();

    let ws = wb.add_worksheet();
    ws.set_name("Register")?;
    let mut cols: Vec<String> = REGISTER_COLUMNS.iter().map(|c| c.to_string()).collect();
    cols.extend(keys.iter().map(|k| format!("isian:{k}")));
    header(
        ws,
        0,
        &cols.iter().map(String::as_str).collect::<Vec<_>>(),
        &s,
    )?;
    for (i, p) in requests.iter().enumerate() {
        let row = i as u32 + 1;
        let o = |v: &Option<String>| v.clone().unwrap_or_default();
        ws.write_string(row, 0, &p.nomor_register)?;
        ws.write_datetime_with_format(row, 1, excel_date(p.tanggal)?, &s.date)?;
        ws.write_string(row, 2, &p.jenis)?;
        ws.write_string(row, 3, &p.nama)?;
        ws.write_string_with_format(row, 4, &p.nik, &s.text)?;
        ws.write_string_with_format(row, 5, o(&p.kk), &s.text)?;
        ws.write_string(row, 6, o(&p.alamat))?;
        ws.write_string_with_format(row, 7, o(&p.rt), &s.text)?;
        ws.write_string_with_format(row, 8, o(&p.rw), &s.text)?;
        ws.write_string_with_format(row, 9, o(&p.telepon), &s.text)?;
        ws.write_string(row, 10, p.kanal.kode())?;
        ws.write_string(row, 11, o(&p.keperluan))?;
        ws.write_string(row, 12, p.tahap.kode())?;
        if let Some(l) = letters.get(&p.id) {
            ws.write_string(row, 13, &l.nomor)?;
            if let Some(t) = l.tanggal {
                ws.write_datetime_with_format(row, 14, excel_date(t)?, &s.date)?;
            }
        }
        for (k, key) in keys.iter().enumerate() {
            if let Some(v) = p.isian.get(*key) {
                ws.write_string(row, (REGISTER_COLUMNS.len() + k) as u16, v)?;
            }
        }
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, requests.len().max(1) as u32, cols.len() as u16 - 1)?;
    ws.autofit();
    ws.set_column_width(1, 19)?;
    ws.set_column_width(14, 19)?;

    let ws = wb.add_worksheet();
    ws.set_name("Berkas")?;
    header(ws, 0, &["No. Register", "Kode", "Nama", "Wajib", "Ada"], &s)?;
    let mut row = 1;
    for p in requests {
        for b in &p.berkas {
            ws.write_string(row, 0, &p.nomor_register)?;
            ws.write_string(row, 1, &b.kode)?;
            ws.write_string(row, 2, &b.nama)?;
            ws.write_string(row, 3, if b.wajib { "ya" } else { "tidak" })?;
            ws.write_string(row, 4, if b.ada { "ya" } else { "tidak" })?;
            row += 1;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofit();

    let ws = wb.add_worksheet();
    ws.set_name("Riwayat")?;
    header(
        ws,
        0,
        &[
            "No. Register",
            "Dari",
            "Ke",
            "Peran",
            "Oleh",
            "Waktu",
            "Catatan",
        ],
        &s,
    )?;
    let mut row = 1;
    for p in requests {
        for r in &p.riwayat {
            ws.write_string(row, 0, &p.nomor_register)?;
            ws.write_string(row, 1, r.dari.map_or("", |d| d.kode()))?;
            ws.write_string(row, 2, r.ke.kode())?;
            ws.write_string(row, 3, r.peran.kode())?;
            ws.write_string(row, 4, &r.oleh)?;
            // The full instant with its offset, as text: nothing lost on the way back.
            ws.write_string(row, 5, r.waktu.to_rfc3339())?;
            ws.write_string(row, 6, r.catatan.as_deref().unwrap_or(""))?;
            row += 1;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofit();
    Ok(wb.save_to_buffer()?)
}
