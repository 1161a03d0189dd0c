//! Excel workbooks (rust_xlsxwriter): the monthly report's workbook, and the register as a
//! workbook with the columns the importer reads back. NIK and KK are always text.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    Chart, ChartAxisDateUnitType, ChartType, DocProperties, ExcelDateTime, Format, FormatAlign,
    Workbook, Worksheet, XlsxError, cell_autofit_width,
};

use crate::config::workspace::Kertas;
use crate::domain::calendar::Bulan;
use crate::domain::identity;
use crate::domain::permohonan::Permohonan;
use crate::paper::figures::{Figures, FiguresPeriode, PerJenis, Stat};

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("buku kerja Excel tidak dapat dibuat: {0}")]
    Xlsx(#[from] XlsxError),
}

type Result<T> = std::result::Result<T, ExportError>;

/// Dates shown the Indonesian way (`29 November 2026`) in Excel and LibreOffice.
const DATE_FORMAT: &str = "[$-421]d mmmm yyyy";
/// A month shown by its Indonesian name (`November 2026`), the cell holding its first day.
const MONTH_FORMAT: &str = "[$-421]mmmm yyyy";
/// A month under a chart's bar (`Nov 2026`).
const MONTH_SHORT_FORMAT: &str = "[$-421]mmm yyyy";

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

/// How a sheet of the monthly workbook is printed: on the office's paper, one page wide
/// (as many pages tall as it needs), portrait or landscape as the sheet is narrow or wide.
#[derive(Clone, Copy)]
struct Page {
    kertas: Kertas,
    landscape: bool,
}

/// Margins in inches: 1 cm at the sides, room above and below for the page header and
/// footer, which stand 0.3 in from the paper's edge.
const MARGIN_SIDE: f64 = 0.4;
const MARGIN_TOP: f64 = 0.75;
const MARGIN_BOTTOM: f64 = 0.75;
const MARGIN_HEADER: f64 = 0.3;
/// A sheet's pixels: 96 to the inch printed at 100 %.
const PX_PER_INCH: f64 = 96.0;
/// The height of a row not given one (15 points: one line), and the width of a column
/// not given one, in pixels, as rust_xlsxwriter places a chart by them.
const ROW_PX: u32 = 20;
const LINE_PT: f64 = 15.0;
const COLUMN_PX: u32 = 64;
/// A cell's padding, left and right together, in pixels.
const CELL_PADDING_PX: u32 = 7;
/// How much wider than autofit's measure (Excel's Calibri) a text is taken to print:
/// bold text needs the room, and so does a program that draws another font (a column's
/// width is counted in the font's digits, so a wider font mostly widens its columns too).
const WIDER_BOLD: f64 = 1.15;
const WIDER: f64 = 1.05;
/// The trend's chart is at least this wide, in pixels: twelve months side by side.
const TREND_CHART_PX: u32 = 640;

impl Page {
    /// Excel's paper codes: 9 is A4; 14 is Folio (8.5 x 13 in, 216 x 330 mm), the F4 the
    /// office's letters are printed on.
    fn paper_size(self) -> u8 {
        match self.kertas {
            Kertas::A4 => 9,
            Kertas::F4 => 14,
        }
    }

    /// The printable width and height inside the margins, in sheet pixels at 100 %.
    fn printable_px(self) -> (f64, f64) {
        let (w, h) = match self.kertas {
            Kertas::A4 => (8.27, 11.69),
            Kertas::F4 => (8.5, 13.0),
        };
        let (w, h) = if self.landscape { (h, w) } else { (w, h) };
        (
            (w - 2.0 * MARGIN_SIDE) * PX_PER_INCH,
            (h - MARGIN_TOP - MARGIN_BOTTOM) * PX_PER_INCH,
        )
    }

    /// How many sheet pixels down one printed page holds when a sheet `width_px` wide is
    /// fitted one page wide, a tenth kept spare for how each program measures its fonts.
    fn height_px(self, width_px: u32) -> u32 {
        let (w, h) = self.printable_px();
        let scale = (w / f64::from(width_px.max(1))).min(1.0);
        (0.9 * h / scale) as u32
    }

    /// Makes `ws` print-ready: its used range `(0, 0)..=last` as the print area, fitted one
    /// page wide, its first row (the header, or the summary's title) on every page, the
    /// report's title above each page and the sheet's name and "Halaman N dari M" below.
    fn apply(self, ws: &mut Worksheet, last: (u32, u16), title: &str, sheet: &str) -> Result<()> {
        if self.landscape {
            ws.set_landscape();
        } else {
            ws.set_portrait();
        }
        ws.set_paper_size(self.paper_size());
        ws.set_margins(
            MARGIN_SIDE,
            MARGIN_SIDE,
            MARGIN_TOP,
            MARGIN_BOTTOM,
            MARGIN_HEADER,
            MARGIN_HEADER,
        );
        ws.set_print_fit_to_pages(1, 0);
        ws.set_print_center_horizontally(true);
        ws.set_print_area(0, 0, last.0, last.1)?;
        ws.set_repeat_rows(0, 0)?;
        ws.set_header(format!("&C{}", header_footer_text(title)));
        ws.set_footer(format!(
            "&L{}&RHalaman &P dari &N",
            header_footer_text(sheet)
        ));
        Ok(())
    }
}

/// Text for a page header or footer: `&` starts a code there, so it is doubled, and the
/// text is cut short of Excel's 255 characters (a longer header would be dropped whole).
fn header_footer_text(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        let code = if c == '&' {
            "&&".to_string()
        } else {
            c.to_string()
        };
        if out.encode_utf16().count() + code.encode_utf16().count() > 200 {
            break;
        }
        out.push_str(&code);
    }
    out
}

/// The width of `text` as rust_xlsxwriter's autofit measures it (Excel's Calibri 11),
/// taken `wider` than that, in pixels.
fn text_px(text: &str, wider: f64) -> f64 {
    f64::from(cell_autofit_width(text) - CELL_PADDING_PX) * wider
}

/// The width of a column that shows `text` on one line, in pixels.
fn column_px(text: &str, wider: f64) -> u32 {
    text_px(text, wider).ceil() as u32 + CELL_PADDING_PX
}

/// The lines `text` takes wrapped at its spaces in a column `column_px` wide, each word
/// measured as rust_xlsxwriter's autofit measures it and taken `wider` than that; a word
/// longer than the column breaks across lines.
fn wrapped_lines(text: &str, column_px: u32, wider: f64) -> u32 {
    let room = f64::from(column_px.saturating_sub(CELL_PADDING_PX).max(1));
    let measure = |t: &str| text_px(t, wider);
    let space = measure(" ");
    text.lines()
        .map(|line| {
            let (mut lines, mut used) = (1, 0.0);
            for word in line.split(' ').filter(|w| !w.is_empty()) {
                let w = measure(word);
                if used > 0.0 && used + space + w <= room {
                    used += space + w;
                } else {
                    if used > 0.0 {
                        lines += 1;
                    }
                    used = w;
                    while used > room {
                        lines += 1;
                        used -= room;
                    }
                }
            }
            lines
        })
        .sum::<u32>()
        .max(1)
}

/// A row of `lines` lines: its height set when it takes more than one, so that Excel and
/// LibreOffice alike show (and print) the whole of a wrapped text.
fn set_lines(ws: &mut Worksheet, row: u32, lines: u32) -> Result<()> {
    if lines > 1 {
        ws.set_row_height(row, LINE_PT * f64::from(lines))?;
    }
    Ok(())
}

/// Column widths in pixels, each text measured as rust_xlsxwriter's autofit measures it
/// and held within its column's cap (a longer text wraps), so that the printed width of a
/// sheet is known where a chart is placed on it.
struct Widths {
    px: Vec<u32>,
    cap: Vec<u32>,
}

impl Widths {
    /// Columns headed `headers`, each up to `caps` wide but never narrower than the
    /// longest word of its header (bold); a header longer than its column wraps (see
    /// `apply`). No room is kept for an autofilter's arrow: it is not printed.
    fn new(headers: &[&str], caps: &[u32]) -> Widths {
        let bold = |t: &str| column_px(t, WIDER_BOLD);
        let (px, cap) = headers
            .iter()
            .zip(caps)
            .map(|(h, cap)| {
                let word = h.split_whitespace().map(bold).max().unwrap_or(0);
                let cap = (*cap).max(word);
                (bold(h).min(cap), cap)
            })
            .unzip();
        Widths { px, cap }
    }

    fn fit(&mut self, col: u16, text: &str) {
        let c = usize::from(col);
        self.px[c] = self.px[c].max(column_px(text, WIDER).min(self.cap[c]));
    }

    /// The lines `text` takes wrapped in its column.
    fn lines(&self, col: u16, text: &str) -> u32 {
        wrapped_lines(text, self.px[usize::from(col)], WIDER)
    }

    /// Sets the widths, and the height of the header row in row 0 (`headers`, as many
    /// lines as its longest wrapped header). Returns that height in pixels.
    fn apply(&self, ws: &mut Worksheet, headers: &[&str]) -> Result<u32> {
        for (c, px) in self.px.iter().enumerate() {
            ws.set_column_width_pixels(c as u16, *px)?;
        }
        let lines = headers
            .iter()
            .zip(&self.px)
            .map(|(h, px)| wrapped_lines(h, *px, WIDER_BOLD))
            .max()
            .unwrap_or(1);
        set_lines(ws, 0, lines)?;
        Ok(ROW_PX * lines)
    }

    /// The sheet's width in pixels from column 0 to `last`, columns not set counted at
    /// their default width.
    fn through(&self, last: u16) -> u32 {
        (0..=usize::from(last))
            .map(|c| self.px.get(c).copied().unwrap_or(COLUMN_PX))
            .sum()
    }
}

/// Puts `chart` at column 0 under a table that takes rows `0..row` (`table_px` tall),
/// `width_px` wide (the printed width of the sheet) and `height_px` tall, or less when a
/// page holds less under the repeated header (`repeat_px`). It follows the table on the
/// same page when both fit one page, and begins a page of its own (a manual page break)
/// when not: a chart is never cut across pages. Returns the last row the chart reaches.
fn place_chart(
    ws: &mut Worksheet,
    chart: &mut Chart,
    page: Page,
    (row, table_px): (u32, u32),
    (width_px, height_px): (u32, u32),
    repeat_px: u32,
) -> Result<u32> {
    let page_px = page.height_px(width_px);
    let height = height_px.min(page_px.saturating_sub(repeat_px + ROW_PX));
    let first = if table_px + ROW_PX + height <= page_px {
        row + 1
    } else {
        ws.set_page_breaks(&[row])?;
        row
    };
    chart.set_width(width_px).set_height(height);
    ws.insert_chart(first, 0, chart)?;
    Ok(first + height.div_ceil(ROW_PX).saturating_sub(1))
}

/// The trend from the first month with a request: the months before the office used the
/// program are not shown as empty months. The report's own month stays, even empty.
fn trend_in_use(tren: &[(Bulan, i64)]) -> &[(Bulan, i64)] {
    let first = tren
        .iter()
        .position(|(_, n)| *n > 0)
        .unwrap_or(tren.len().saturating_sub(1));
    &tren[first..]
}

/// The monthly report's workbook: summary, detail (one row per request), by letter type
/// with a native chart, and the trend from the first month with requests. With `mask`,
/// NIK and KK are masked (the workbook that leaves the building by mail). Every sheet
/// prints as it is on the office's paper (`kertas`): one page wide, its header row on
/// every page, each chart whole on one page.
pub fn monthly_workbook(
    f: &Figures,
    kelurahan: &str,
    tanggal: NaiveDate,
    mask: bool,
    sementara: bool,
    kertas: Kertas,
) -> Result<Vec<u8>> {
    let s = styles();
    let mut wb = Workbook::new();
    let mut title = format!("Laporan Bulanan Pelayanan {kelurahan} — {}", f.bulan_nama);
    if sementara {
        title.push_str(" (SEMENTARA, belum dilaporkan)");
    }
    wb.set_properties(&properties(&title, kelurahan, tanggal)?);
    let portrait = Page {
        kertas,
        landscape: false,
    };
    let landscape = Page {
        kertas,
        landscape: true,
    };
    summary_sheet(wb.add_worksheet(), f, &title, portrait, &s)?;
    detail_sheet(wb.add_worksheet(), f, mask, &title, landscape, &s)?;
    by_type_sheet(
        wb.add_worksheet(),
        &f.per_jenis,
        &f.bulan_nama,
        &title,
        landscape,
        &s,
    )?;
    trend_sheet(wb.add_worksheet(), f, &title, portrait, &s)?;
    Ok(wb.save_to_buffer()?)
}

/// The width of the summary's first column, its labels (48 characters), in pixels.
const SUMMARY_LABEL_PX: u32 = 48 * 7 + 5;

/// "Ringkasan": the month beside the month before, the SOP steps' times, channels,
/// stages and reasons for refusal. Four columns: portrait.
fn summary_sheet(
    ws: &mut Worksheet,
    f: &Figures,
    title: &str,
    page: Page,
    s: &Styles,
) -> Result<()> {
    ws.set_name("Ringkasan")?;
    ws.write_string_with_format(0, 0, title, &s.title)?;
    let r = &f.ringkas;
    let l = &f.bulan_lalu;
    header(ws, 2, &["Uraian", &r.bulan.nama(), &l.bulan.nama()], s)?;
    let rows: [(&str, f64, f64); 4] = [
        ("Permohonan diterima", r.jumlah as f64, l.jumlah as f64),
        (
            "Surat terbit untuk permohonan bulan itu",
            r.surat_terbit as f64,
            l.surat_terbit as f64,
        ),
        (
            "Permohonan ditolak kantor",
            r.ditolak as f64,
            l.ditolak as f64,
        ),
        (
            "Permohonan dibatalkan pemohon",
            r.dibatalkan as f64,
            l.dibatalkan as f64,
        ),
    ];
    let mut row = 3;
    for (label, a, b) in rows {
        ws.write_string(row, 0, label)?;
        ws.write_number(row, 1, a)?;
        ws.write_number(row, 2, b)?;
        row += 1;
    }
    ws.write_string(row, 0, "Waktu layanan, median (hari kerja)")?;
    write_opt_f64(ws, row, 1, r.waktu_median, s)?;
    write_opt_f64(ws, row, 2, l.waktu_median, s)?;
    row += 1;
    ws.write_string(row, 0, "Selesai dalam standar layanan (%)")?;
    write_opt_f64(ws, row, 1, r.tepat_waktu_persen, s)?;
    write_opt_f64(ws, row, 2, l.tepat_waktu_persen, s)?;
    row += 1;
    // Letters dated this month, whichever month their request came in: not the same
    // count as the letters for this month's requests above, so named apart.
    ws.write_string(
        row,
        0,
        "Surat bertanggal bulan ini (termasuk untuk permohonan bulan sebelumnya)",
    )?;
    ws.write_number(row, 1, f.surat_terbit as f64)?;
    row += 1;
    ws.write_string(row, 0, "Di antaranya suratnya dibatalkan")?;
    ws.write_number(row, 1, f.surat_batal as f64)?;
    row += 2;
    row = write_steps(ws, row, &f.waktu_tahap, &f.waktu_layanan, s)?;
    header(ws, row, &["Kanal", "Jumlah"], s)?;
    row += 1;
    for (k, n) in &f.per_kanal {
        ws.write_string(row, 0, k)?;
        ws.write_number(row, 1, *n as f64)?;
        row += 1;
    }
    row += 1;
    header(ws, row, &["Tahap", "Jumlah"], s)?;
    row += 1;
    for t in &f.per_tahap {
        ws.write_string(row, 0, &t.label)?;
        ws.write_number(row, 1, t.jumlah as f64)?;
        row += 1;
    }
    row = write_reasons(ws, row, &f.alasan_tolak, &f.alasan_batal, s)?;
    ws.set_column_width_pixels(0, SUMMARY_LABEL_PX)?;
    ws.set_column_width(1, 18)?;
    ws.set_column_width(2, 18)?;
    ws.set_column_width(3, 14)?;
    // The title is the row repeated: the sheet's small tables each have their own header.
    page.apply(ws, (row - 1, 3), title, "Ringkasan")
}

/// The time per SOP step and from request to letter, under their header; returns the
/// row after a blank one.
fn write_steps(
    ws: &mut Worksheet,
    mut row: u32,
    waktu_tahap: &[crate::paper::figures::WaktuTahap],
    waktu_layanan: &Stat,
    s: &Styles,
) -> Result<u32> {
    header(
        ws,
        row,
        &["Langkah SOP (hari kerja)", "n", "Median", "Persentil 90"],
        s,
    )?;
    row += 1;
    for w in waktu_tahap {
        ws.write_string(row, 0, &w.label)?;
        write_stat(ws, row, 1, &w.waktu, s)?;
        row += 1;
    }
    ws.write_string(row, 0, "Permohonan sampai surat terbit")?;
    write_stat(ws, row, 1, waktu_layanan, s)?;
    Ok(row + 2)
}

/// The office's refusal reasons and the applicants' withdrawal reasons, each under its
/// own header when there are any; returns the row after them.
fn write_reasons(
    ws: &mut Worksheet,
    mut row: u32,
    tolak: &[(String, usize)],
    batal: &[(String, usize)],
    s: &Styles,
) -> Result<u32> {
    // A reason is the clerk's own words: wrapped in its column, never cut.
    let top = Format::new().set_align(FormatAlign::Top);
    let wrap = top.clone().set_text_wrap();
    for (judul, alasan) in [
        ("Alasan penolakan oleh kantor", tolak),
        ("Alasan pembatalan oleh pemohon", batal),
    ] {
        if alasan.is_empty() {
            continue;
        }
        row += 1;
        header(ws, row, &[judul, "Jumlah"], s)?;
        row += 1;
        for (a, n) in alasan {
            ws.write_string_with_format(row, 0, a, &wrap)?;
            ws.write_number_with_format(row, 1, *n as f64, &top)?;
            set_lines(ws, row, wrapped_lines(a, SUMMARY_LABEL_PX, WIDER))?;
            row += 1;
        }
    }
    Ok(row)
}

/// "Rincian": one row per request, fourteen columns: landscape, long texts wrapped in
/// their columns so that the page is not shrunk to fit the longest of them.
fn detail_sheet(
    ws: &mut Worksheet,
    f: &Figures,
    mask: bool,
    title: &str,
    page: Page,
    s: &Styles,
) -> Result<()> {
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
        "Alasan Ditolak/Dibatalkan",
    ];
    let caps = [
        40, 90, 140, 130, 140, 140, 160, 110, 140, 50, 60, 60, 180, 200,
    ];
    // The columns whose texts wrap (a NIK, a number or a date never does).
    const WRAP: [u16; 6] = [3, 6, 7, 8, 12, 13];
    // Each row's texts as shown, by column; the date (column 2) is measured as the
    // longest a date is shown.
    let rows: Vec<[String; 14]> = f
        .rincian
        .iter()
        .enumerate()
        .map(|(i, x)| {
            let (nik, kk) = if mask {
                (x.nik_samaran.clone(), x.kk.as_deref().map(identity::mask))
            } else {
                (x.nik.clone(), x.kk.clone())
            };
            [
                (i + 1).to_string(),
                x.nomor_register.clone(),
                "30 September 2026".to_string(),
                x.nama.clone(),
                nik,
                kk.unwrap_or_default(),
                x.jenis_nama.clone(),
                x.kanal.clone(),
                x.tahap_label.clone(),
                x.hari.map_or("-".to_string(), |h| h.to_string()),
                x.standar_hari.to_string(),
                if x.lewat_standar { "Ya" } else { "Tidak" }.to_string(),
                x.nomor_surat.clone().unwrap_or_default(),
                x.alasan_tolak
                    .clone()
                    .or_else(|| x.alasan_batal.clone())
                    .unwrap_or_default(),
            ]
        })
        .collect();
    let mut widths = Widths::new(&cols, &caps);
    widths.fit(2, "30 September 2026");
    for texts in &rows {
        for (c, t) in texts.iter().enumerate() {
            widths.fit(c as u16, t);
        }
    }
    header(ws, 0, &cols, s)?;
    widths.apply(ws, &cols)?;
    let top = Format::new().set_align(FormatAlign::Top);
    let wrap = top.clone().set_text_wrap();
    let date = s.date.clone().set_align(FormatAlign::Top);
    let text = s.text.clone().set_align(FormatAlign::Top);
    for ((i, x), texts) in f.rincian.iter().enumerate().zip(&rows) {
        let row = i as u32 + 1;
        ws.write_number_with_format(row, 0, (i + 1) as f64, &top)?;
        ws.write_string_with_format(row, 1, &texts[1], &top)?;
        ws.write_datetime_with_format(row, 2, excel_date(x.tanggal)?, &date)?;
        ws.write_string_with_format(row, 3, &texts[3], &wrap)?;
        ws.write_string_with_format(row, 4, &texts[4], &text)?;
        ws.write_string_with_format(row, 5, &texts[5], &text)?;
        ws.write_string_with_format(row, 6, &texts[6], &wrap)?;
        ws.write_string_with_format(row, 7, &texts[7], &wrap)?;
        ws.write_string_with_format(row, 8, &texts[8], &wrap)?;
        match x.hari {
            Some(h) => ws.write_number_with_format(row, 9, h as f64, &top)?,
            None => ws.write_string_with_format(row, 9, "-", &top)?,
        };
        ws.write_number_with_format(row, 10, x.standar_hari as f64, &top)?;
        ws.write_string_with_format(row, 11, &texts[11], &top)?;
        ws.write_string_with_format(row, 12, &texts[12], &wrap)?;
        ws.write_string_with_format(row, 13, &texts[13], &wrap)?;
        let lines = WRAP
            .iter()
            .map(|c| widths.lines(*c, &texts[usize::from(*c)]))
            .max()
            .unwrap_or(1);
        set_lines(ws, row, lines)?;
    }
    let last_row = f.rincian.len().max(1) as u32;
    let last_col = cols.len() as u16 - 1;
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, last_row, last_col)?;
    page.apply(ws, (last_row, last_col), title, "Rincian permohonan")
}

/// "Per Jenis": one row per letter type and a bar chart of the requests, the chart on the
/// table's page when both fit and on the next page when not.
fn by_type_sheet(
    ws: &mut Worksheet,
    per_jenis: &[PerJenis],
    nama: &str,
    title: &str,
    page: Page,
    s: &Styles,
) -> Result<()> {
    ws.set_name("Per Jenis")?;
    let cols = [
        "Kode",
        "Jenis Surat",
        "Jumlah",
        "Surat Terbit",
        "Ditolak",
        "Dibatalkan",
        "Diproses",
        "Median (hari kerja)",
        "Standar (hari)",
        "Lewat Standar",
    ];
    let mut widths = Widths::new(&cols, &[200, 360, 60, 60, 60, 60, 60, 60, 60, 60]);
    for j in per_jenis {
        widths.fit(0, &j.kode);
        widths.fit(1, &j.nama);
    }
    header(ws, 0, &cols, s)?;
    let header_px = widths.apply(ws, &cols)?;
    let wrap = Format::new().set_text_wrap();
    let mut table_px = header_px;
    for (i, j) in per_jenis.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string(row, 0, &j.kode)?;
        ws.write_string_with_format(row, 1, &j.nama, &wrap)?;
        ws.write_number(row, 2, j.jumlah as f64)?;
        ws.write_number(row, 3, j.surat_terbit as f64)?;
        ws.write_number(row, 4, j.ditolak as f64)?;
        ws.write_number(row, 5, j.dibatalkan as f64)?;
        ws.write_number(row, 6, j.diproses as f64)?;
        write_opt_f64(ws, row, 7, j.waktu.median, s)?;
        ws.write_number(row, 8, j.standar_hari as f64)?;
        ws.write_number(row, 9, j.lewat_standar as f64)?;
        let lines = widths.lines(1, &j.nama);
        set_lines(ws, row, lines)?;
        table_px += ROW_PX * lines;
    }
    let n = per_jenis.len() as u32;
    let last_col = cols.len() as u16 - 1;
    let mut last_row = n;
    if n > 0 {
        let mut chart = Chart::new(ChartType::Bar);
        chart
            .add_series()
            .set_name("Permohonan")
            .set_categories(("Per Jenis", 1, 1, n, 1))
            .set_values(("Per Jenis", 1, 2, n, 2));
        chart
            .title()
            .set_name(&format!("Permohonan per jenis surat, {}", nama));
        chart.legend().set_hidden();
        // As wide as the table; tall enough that every letter type is named beside its
        // bar, as a page allows.
        let width = widths.through(last_col);
        let height = (width / 2).max(24 * n + 120);
        last_row = place_chart(
            ws,
            &mut chart,
            page,
            (n + 1, table_px),
            (width, height),
            header_px,
        )?;
    }
    page.apply(
        ws,
        (last_row, last_col),
        title,
        "Permohonan per jenis surat",
    )
}

/// "Tren": the requests of each month, from the first month with requests to the report's
/// month, each month an Excel date (its first day) shown by its name, and a column chart
/// under them.
fn trend_sheet(ws: &mut Worksheet, f: &Figures, title: &str, page: Page, s: &Styles) -> Result<()> {
    ws.set_name("Tren")?;
    let cols = ["Bulan", "Permohonan"];
    let mut widths = Widths::new(&cols, &[160, 120]);
    let tren = trend_in_use(&f.tren);
    for (b, _) in tren {
        widths.fit(0, &b.nama());
    }
    header(ws, 0, &cols, s)?;
    let header_px = widths.apply(ws, &cols)?;
    let month = Format::new()
        .set_num_format(MONTH_FORMAT)
        .set_align(FormatAlign::Left);
    for (i, (b, c)) in tren.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_datetime_with_format(row, 0, excel_date(b.first_day())?, &month)?;
        ws.write_number(row, 1, *c as f64)?;
    }
    let n = tren.len() as u32;
    let mut last = (n, 1);
    if let (Some((first, _)), Some((latest, _))) = (tren.first(), tren.last()) {
        let mut chart = Chart::new(ChartType::Column);
        chart
            .add_series()
            .set_name("Permohonan")
            .set_categories(("Tren", 1, 0, n, 0))
            .set_values(("Tren", 1, 1, n, 1));
        let months = if first == latest {
            first.nama()
        } else {
            format!("{} – {}", first.nama(), latest.nama())
        };
        chart
            .title()
            .set_name(&format!("Permohonan per bulan, {months}"));
        chart.legend().set_hidden();
        // The months are dates: one bar a month, each named by its month.
        chart
            .x_axis()
            .set_date_axis(true)
            .set_num_format(MONTH_SHORT_FORMAT)
            .set_major_unit(1)
            .set_major_unit_date_type(ChartAxisDateUnitType::Months);
        // As wide as whole columns reach past the chart's least width.
        let mut last_col = 1;
        while widths.through(last_col) < TREND_CHART_PX {
            last_col += 1;
        }
        let width = widths.through(last_col);
        let table_px = header_px + ROW_PX * n;
        last = (
            place_chart(
                ws,
                &mut chart,
                page,
                (n + 1, table_px),
                (width, width / 2),
                header_px,
            )?,
            last_col,
        );
    }
    page.apply(ws, last, title, "Tren permohonan per bulan")
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

/// A quarter's or a year's workbook: the summary ("Ringkasan"), one row per month with
/// a chart ("Per Bulan"), and by letter type with a chart ("Per Jenis"). Figures only: no
/// request's identity. Printed like the monthly workbook: one page wide on `kertas`.
pub fn periode_workbook(
    f: &FiguresPeriode,
    kelurahan: &str,
    tanggal: NaiveDate,
    kertas: Kertas,
) -> Result<Vec<u8>> {
    let s = styles();
    let mut wb = Workbook::new();
    let title = format!("Laporan Pelayanan {kelurahan} — {} ({})", f.nama, f.rentang);
    wb.set_properties(&properties(&title, kelurahan, tanggal)?);
    let portrait = Page {
        kertas,
        landscape: false,
    };
    let landscape = Page {
        kertas,
        landscape: true,
    };
    periode_summary_sheet(wb.add_worksheet(), f, &title, portrait, &s)?;
    per_month_sheet(wb.add_worksheet(), f, &title, portrait, &s)?;
    by_type_sheet(
        wb.add_worksheet(),
        &f.per_jenis,
        &f.nama,
        &title,
        landscape,
        &s,
    )?;
    Ok(wb.save_to_buffer()?)
}

/// A period's "Ringkasan": the period's figures, the SOP steps' times, channels and
/// reasons.
fn periode_summary_sheet(
    ws: &mut Worksheet,
    f: &FiguresPeriode,
    title: &str,
    page: Page,
    s: &Styles,
) -> Result<()> {
    ws.set_name("Ringkasan")?;
    ws.write_string_with_format(0, 0, title, &s.title)?;
    header(ws, 2, &["Uraian", &f.nama], s)?;
    let mut row = 3;
    for (label, n) in [
        ("Permohonan diterima", f.jumlah),
        ("Surat terbit untuk permohonan periode ini", f.surat_terbit),
        ("Permohonan ditolak kantor", f.ditolak),
        ("Permohonan dibatalkan pemohon", f.dibatalkan),
        ("Permohonan masih diproses", f.diproses),
    ] {
        ws.write_string(row, 0, label)?;
        ws.write_number(row, 1, n as f64)?;
        row += 1;
    }
    ws.write_string(row, 0, "Waktu layanan, median (hari kerja)")?;
    write_opt_f64(ws, row, 1, f.waktu_layanan.median, s)?;
    row += 1;
    ws.write_string(row, 0, "Selesai dalam standar layanan (%)")?;
    write_opt_f64(ws, row, 1, f.tepat_waktu_persen, s)?;
    row += 1;
    ws.write_string(row, 0, "Melewati standar layanan")?;
    ws.write_number(row, 1, f.lewat_standar as f64)?;
    row += 1;
    ws.write_string(
        row,
        0,
        "Surat bertanggal periode ini (termasuk untuk permohonan sebelumnya)",
    )?;
    ws.write_number(row, 1, f.surat_bertanggal as f64)?;
    row += 1;
    ws.write_string(row, 0, "Di antaranya suratnya dibatalkan")?;
    ws.write_number(row, 1, f.surat_batal as f64)?;
    row += 2;
    row = write_steps(ws, row, &f.waktu_tahap, &f.waktu_layanan, s)?;
    header(ws, row, &["Kanal", "Jumlah"], s)?;
    row += 1;
    for (k, n) in &f.per_kanal {
        ws.write_string(row, 0, k)?;
        ws.write_number(row, 1, *n as f64)?;
        row += 1;
    }
    row = write_reasons(ws, row, &f.alasan_tolak, &f.alasan_batal, s)?;
    ws.set_column_width_pixels(0, SUMMARY_LABEL_PX)?;
    ws.set_column_width(1, 18)?;
    ws.set_column_width(2, 14)?;
    ws.set_column_width(3, 14)?;
    page.apply(ws, (row - 1, 3), title, "Ringkasan")
}

/// "Per Bulan": one row per month of the period (each month an Excel date shown by its
/// name) and a column chart of the requests under it.
fn per_month_sheet(
    ws: &mut Worksheet,
    f: &FiguresPeriode,
    title: &str,
    page: Page,
    s: &Styles,
) -> Result<()> {
    ws.set_name("Per Bulan")?;
    let cols = [
        "Bulan",
        "Diterima",
        "Terbit",
        "Ditolak",
        "Dibatalkan",
        "Median (hari kerja)",
        "Dalam standar (%)",
    ];
    let widths = Widths::new(&cols, &[160, 70, 70, 70, 80, 80, 80]);
    header(ws, 0, &cols, s)?;
    let header_px = widths.apply(ws, &cols)?;
    let month = Format::new()
        .set_num_format(MONTH_FORMAT)
        .set_align(FormatAlign::Left);
    for (i, b) in f.per_bulan.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_datetime_with_format(row, 0, excel_date(b.bulan.first_day())?, &month)?;
        ws.write_number(row, 1, b.jumlah as f64)?;
        ws.write_number(row, 2, b.surat_terbit as f64)?;
        ws.write_number(row, 3, b.ditolak as f64)?;
        ws.write_number(row, 4, b.dibatalkan as f64)?;
        write_opt_f64(ws, row, 5, b.waktu_median, s)?;
        write_opt_f64(ws, row, 6, b.tepat_waktu_persen, s)?;
    }
    let n = f.per_bulan.len() as u32;
    let total = n + 1;
    ws.write_string_with_format(total, 0, "Jumlah", &s.header)?;
    ws.write_number(total, 1, f.jumlah as f64)?;
    ws.write_number(total, 2, f.surat_terbit as f64)?;
    ws.write_number(total, 3, f.ditolak as f64)?;
    ws.write_number(total, 4, f.dibatalkan as f64)?;
    write_opt_f64(ws, total, 5, f.waktu_layanan.median, s)?;
    write_opt_f64(ws, total, 6, f.tepat_waktu_persen, s)?;
    let last_col = cols.len() as u16 - 1;
    let mut chart = Chart::new(ChartType::Column);
    chart
        .add_series()
        .set_name("Permohonan")
        .set_categories(("Per Bulan", 1, 0, n, 0))
        .set_values(("Per Bulan", 1, 1, n, 1));
    chart
        .title()
        .set_name(&format!("Permohonan per bulan, {}", f.nama));
    chart.legend().set_hidden();
    chart
        .x_axis()
        .set_date_axis(true)
        .set_num_format(MONTH_SHORT_FORMAT)
        .set_major_unit(1)
        .set_major_unit_date_type(ChartAxisDateUnitType::Months);
    let width = widths.through(last_col).max(TREND_CHART_PX);
    let last_row = place_chart(
        ws,
        &mut chart,
        page,
        (total + 1, header_px + ROW_PX * (n + 1)),
        (width, width / 2),
        header_px,
    )?;
    page.apply(ws, (last_row, last_col), title, "Permohonan per bulan")
}
