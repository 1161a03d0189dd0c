//! The import's error report as a workbook: what a clerk needs to mend the source file.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use rust_xlsxwriter::Workbook;

use super::{Nilai, Ringkasan, alasan_label};
use crate::paper::workbook::{ExportError, excel_date, header, properties, styles};

/// The import's error report: a summary sheet, and every rejected or flagged row with
/// its file, sheet, Excel row, reason and original cells (by column letter), so a clerk
/// can mend the source file and import it again.
pub fn workbook(r: &Ringkasan, tanggal: NaiveDate) -> Result<Vec<u8>, ExportError> {
    let s = styles();
    let mut wb = Workbook::new();
    wb.set_properties(&properties(
        &format!("Laporan Impor {}", r.isi),
        "kelurahan",
        tanggal,
    )?);

    let ws = wb.add_worksheet();
    ws.set_name("Ringkasan")?;
    ws.write_string_with_format(
        0,
        0,
        if r.uji {
            format!("Laporan uji impor {} (tidak ada yang ditulis)", r.isi)
        } else {
            format!("Laporan impor {}", r.isi)
        },
        &s.title,
    )?;
    let cols = [
        "Berkas",
        "Hasil",
        "Dibaca",
        "Diimpor",
        "Ditandai",
        "Ditolak",
        "Ganda",
        "Dilewati",
        "Keterangan",
    ];
    header(ws, 2, &cols, &s)?;
    let mut row = 3;
    for b in &r.berkas {
        ws.write_string(row, 0, &b.berkas)?;
        ws.write_string(row, 1, &b.status)?;
        let j = &b.jumlah;
        for (c, v) in [
            j.dibaca, j.diimpor, j.ditandai, j.ditolak, j.ganda, j.dilewati,
        ]
        .into_iter()
        .enumerate()
        {
            ws.write_number(row, 2 + c as u16, v as f64)?;
        }
        let mut ket: Vec<String> = Vec::new();
        if let Some(g) = &b.galat {
            ket.push(g.clone());
        }
        for l in &b.lembar {
            if let Some(a) = &l.alasan {
                ket.push(format!("lembar {} dilewati: {a}", l.nama));
            }
        }
        ws.write_string(row, 8, ket.join("; "))?;
        row += 1;
    }
    row += 1;
    header(ws, row, &["Alasan", "Kode", "Jumlah"], &s)?;
    row += 1;
    let j = &r.jumlah;
    for (kind, map) in [
        ("ditolak", &j.ditolak_per_alasan),
        ("ditandai", &j.ditandai_per_alasan),
        ("dilewati", &j.dilewati_per_alasan),
    ] {
        for (kode, n) in map {
            ws.write_string(row, 0, format!("{kind}: {}", alasan_label(kode)))?;
            ws.write_string(row, 1, kode)?;
            ws.write_number(row, 2, *n as f64)?;
            row += 1;
        }
    }
    ws.autofit();

    if !r.saran_peta.is_empty() {
        let ws = wb.add_worksheet();
        ws.set_name("Saran peta")?;
        ws.write_string_with_format(
            0,
            0,
            "Jenis surat yang tidak dikenal: periksa jenis yang paling mirip, lalu salin \
             barisnya ke bagian [jenis] peta-impor.toml (ganti KODE bila tidak ada yang mirip) \
             dan impor lagi",
            &s.title,
        )?;
        header(
            ws,
            2,
            &[
                "Tertulis di register",
                "Jumlah baris",
                "Jenis paling mirip",
                "Kode",
                "Baris untuk peta-impor.toml",
            ],
            &s,
        )?;
        for (i, sp) in r.saran_peta.iter().enumerate() {
            let row = 3 + i as u32;
            ws.write_string_with_format(row, 0, &sp.tertulis, &s.text)?;
            ws.write_number(row, 1, sp.jumlah as f64)?;
            ws.write_string(
                row,
                2,
                sp.nama.as_deref().unwrap_or("(tidak ada yang mirip)"),
            )?;
            ws.write_string(row, 3, sp.kode.as_deref().unwrap_or(""))?;
            ws.write_string_with_format(row, 4, &sp.baris, &s.text)?;
        }
        ws.autofit();
    }

    let ws = wb.add_worksheet();
    ws.set_name("Baris")?;
    let letters: BTreeSet<&str> = r
        .baris
        .iter()
        .flat_map(|b| b.asli.iter().map(|(c, _)| c.as_str()))
        .collect();
    // Column letters in the sheet's order (A..Z, AA..), not alphabetical.
    let mut letters: Vec<&str> = letters.into_iter().collect();
    letters.sort_by_key(|l| (l.len(), *l));
    let mut cols: Vec<String> = ["Berkas", "Lembar", "Baris", "Hasil", "Kode", "Alasan"]
        .iter()
        .map(|c| c.to_string())
        .collect();
    cols.extend(letters.iter().map(|l| format!("Kolom {l}")));
    header(
        ws,
        0,
        &cols.iter().map(String::as_str).collect::<Vec<_>>(),
        &s,
    )?;
    let mut row = 1;
    for b in r.baris.iter().filter(|b| b.hasil != "ganda") {
        ws.write_string(row, 0, &b.berkas)?;
        ws.write_string(row, 1, &b.lembar)?;
        ws.write_number(row, 2, b.baris as f64)?;
        ws.write_string(row, 3, &b.hasil)?;
        ws.write_string(row, 4, &b.kode)?;
        ws.write_string(row, 5, &b.alasan)?;
        for (letter, v) in &b.asli {
            let Some(i) = letters.iter().position(|l| l == letter) else {
                continue;
            };
            let col = 6 + i as u16;
            match v {
                Nilai::Kosong => {}
                Nilai::Teks(t) => {
                    ws.write_string_with_format(row, col, t, &s.text)?;
                }
                Nilai::Angka(n) => {
                    ws.write_number(row, col, *n)?;
                }
                Nilai::Waktu(t) => {
                    ws.write_datetime_with_format(row, col, excel_date(t.date())?, &s.date)?;
                }
                Nilai::Galat(e) => {
                    ws.write_string(row, col, e)?;
                }
            }
        }
        row += 1;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, row.max(1), cols.len() as u16 - 1)?;
    ws.autofit();
    Ok(wb.save_to_buffer()?)
}
