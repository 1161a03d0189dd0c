//! One sheet of an old register: finding its header (one or two rows, in the first 20),
//! telling data rows from the rest (blank, column numbers, totals, week labels,
//! signatures), and turning a data row into a checked request or a rejection. Pure.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use super::peta::{Kolom, Peta, Status};
use super::read::{Lembar, Nilai};
use super::value;
use crate::domain::identity::{self, IdentityError};
use crate::domain::katalog::Katalog;
use crate::domain::permohonan::{Kanal, PermohonanImpor};
use crate::domain::teks;
use crate::domain::workflow::Tahap;

/// Rows searched for the header.
pub const HEADER_ROWS: u32 = 20;

/// Where the header is and what each column holds.
#[derive(Debug, Clone)]
pub struct Header {
    /// 0-based row of the header's last line; data starts below it.
    pub last_row: u32,
    pub columns: Vec<(u32, Kolom)>,
    /// The header text of every column, for the error report.
    pub labels: BTreeMap<u32, String>,
}

impl Header {
    pub(super) fn col(&self, k: &Kolom) -> Option<u32> {
        self.columns.iter().find(|(_, c)| c == k).map(|(i, _)| *i)
    }
}

fn label_kolom(peta: &Peta, label: &str) -> Option<Kolom> {
    let t = label.trim();
    if let Some(k) = t.strip_prefix("isian:") {
        let k = k.trim();
        return (!k.is_empty()).then(|| Kolom::Isian(k.to_string()));
    }
    peta.kolom(t).cloned()
}

/// Assigns each column its field (the first column wins a field) and says whether the
/// row is a register's header: a name, a NIK and two more known columns.
fn mapping(
    labels: &BTreeMap<u32, String>,
    peta: &Peta,
    sub: Option<&BTreeMap<u32, String>>,
) -> Vec<(u32, Kolom)> {
    let mut out: Vec<(u32, Kolom)> = Vec::new();
    for (col, top) in labels {
        let candidates: Vec<String> = match sub.and_then(|s| s.get(col)) {
            Some(s) if s.trim() != top.trim() && !s.trim().is_empty() => {
                vec![format!("{top} {s}"), s.clone(), top.clone()]
            }
            _ => vec![top.clone()],
        };
        for c in candidates {
            if let Some(k) = label_kolom(peta, &c) {
                if k == Kolom::Abaikan || !out.iter().any(|(_, o)| *o == k) {
                    out.push((*col, k));
                }
                break;
            }
        }
    }
    out
}

fn score(m: &[(u32, Kolom)]) -> Option<usize> {
    let has = |k: Kolom| m.iter().any(|(_, c)| *c == k);
    let known = m.iter().filter(|(_, c)| *c != Kolom::Abaikan).count();
    (has(Kolom::Nama) && has(Kolom::Nik) && known >= 4).then_some(known)
}

fn row_labels(l: &Lembar, row: u32, c0: u32, c1: u32) -> BTreeMap<u32, String> {
    (c0..=c1)
        .filter_map(|c| {
            let v = l.get(row, c);
            (!v.is_empty()).then(|| (c, v.text().split_whitespace().collect::<Vec<_>>().join(" ")))
        })
        .collect()
}

/// The register header in the sheet's first 20 rows, if there is one.
pub fn find_header(l: &Lembar, peta: &Peta) -> Option<Header> {
    let ((r0, c0), (r1, c1)) = l.bounds()?;
    for row in r0..=r1.min(HEADER_ROWS.saturating_sub(1)) {
        let top = row_labels(l, row, c0, c1);
        if top.is_empty() {
            continue;
        }
        let single = mapping(&top, peta, None);
        let Some(s1) = score(&single) else {
            continue;
        };
        // A second header line ("Tanggal" merged over "Masuk | Selesai") adds fields.
        if row < r1 {
            let sub = row_labels(l, row + 1, c0, c1);
            let double = mapping(&top, peta, Some(&sub));
            if score(&double).is_some_and(|s2| s2 > s1) {
                let mut labels = top.clone();
                for (c, s) in &sub {
                    let t = labels.entry(*c).or_default();
                    if t.trim() != s.trim() {
                        *t = format!("{t} {s}").trim().to_string();
                    }
                }
                return Some(Header {
                    last_row: row + 1,
                    columns: double,
                    labels,
                });
            }
        }
        return Some(Header {
            last_row: row,
            columns: single,
            labels: top,
        });
    }
    None
}

/// What a row under the header is.
#[derive(Debug, Clone)]
pub enum Hasil {
    /// Not data: blank, the column numbers, totals, a week label, the signature block.
    Lewati(&'static str),
    Tolak {
        kode: &'static str,
        pesan: String,
    },
    Calon {
        p: Box<PermohonanImpor>,
        tanda: Vec<(&'static str, String)>,
    },
}

/// Words for the reason codes of skipped rows.
pub fn lewati_label(kode: &str) -> &'static str {
    match kode {
        "kosong" => "baris kosong",
        "nomor_kolom" => "baris nomor kolom (1, 2, 3, …)",
        "jumlah" => "baris jumlah/total",
        "minggu" => "label minggu",
        "tanda_tangan" => "blok tanda tangan",
        _ => "bukan data",
    }
}

pub struct Ctx<'a> {
    pub peta: &'a Peta,
    pub katalog: &'a Katalog,
    pub today: NaiveDate,
    pub berkas: &'a str,
}

const WEEKDAYS: [&str; 7] = [
    "senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu",
];

/// "Jambi, 31 Januari 2022", "Mengetahui", "a.n. Lurah", "NIP. …": a signature block.
pub(super) fn signature_line(t: &str) -> bool {
    let low = t.trim().to_lowercase();
    if let Some((head, rest)) = low.split_once(',') {
        let head = head.trim();
        if !head.is_empty()
            && head
                .chars()
                .all(|c| c.is_alphabetic() || c == ' ' || c == '.')
            && !WEEKDAYS.contains(&head.replace('\'', "").as_str())
            && value::parse_text_date(rest).is_some()
        {
            return true;
        }
    }
    let k = super::peta::key(&low);
    [
        "mengetahui",
        "an lurah",
        "anlurah",
        "lurahrawasari",
        "sekretarislurah",
        "yangmembuat",
        "dibuatoleh",
        "petugasregister",
        "operatorpelayanan",
        "nip",
    ]
    .iter()
    .any(|p| k.starts_with(p))
        && (k.len() < 60)
}

pub(super) fn column_numbers(cells: &[Nilai]) -> bool {
    let nums: Vec<f64> = cells
        .iter()
        .filter(|v| !v.is_empty())
        .map(|v| match v {
            Nilai::Angka(n) => Some(*n),
            Nilai::Teks(t) => t.trim().trim_matches(|c| c == '(' || c == ')').parse().ok(),
            _ => None,
        })
        .collect::<Option<Vec<f64>>>()
        .unwrap_or_default();
    nums.len() >= 3 && nums.iter().enumerate().all(|(i, n)| *n == (i + 1) as f64)
}

/// Classifies and reads every row under the header that the sheet (or a block of it,
/// see `read::stream`) answers for, in order; `signed` carries from block to block:
/// rows under the signature are not data.
pub fn rows(
    l: &Lembar,
    h: &Header,
    ctx: &Ctx,
    signed: &mut bool,
    mut each: impl FnMut(u32, Hasil),
) {
    let Some(((_, c0), (r1, c1))) = l.bounds() else {
        return;
    };
    let used: Vec<u32> = h
        .columns
        .iter()
        .filter(|(_, k)| *k != Kolom::Abaikan)
        .map(|(c, _)| *c)
        .collect();
    let nama_col = h.col(&Kolom::Nama);
    let nik_col = h.col(&Kolom::Nik);
    for row in (h.last_row + 1).max(l.mulai())..=r1 {
        let cells: Vec<Nilai> = (c0..=c1).map(|c| l.isi(row, c)).collect();
        let at = |c: Option<u32>| c.map(|c| &cells[(c - c0) as usize]);
        if *signed {
            each(row, Hasil::Lewati("tanda_tangan"));
            continue;
        }
        if cells.iter().all(Nilai::is_empty) {
            each(row, Hasil::Lewati("kosong"));
            continue;
        }
        let nik_like = at(nik_col).is_some_and(|v| value::nomor_identitas(v).0.len() >= 10);
        let name_empty = at(nama_col).is_none_or(Nilai::is_empty);
        let texts = || {
            cells.iter().filter_map(|v| match v {
                Nilai::Teks(t) if !t.trim().is_empty() => Some(t.as_str()),
                _ => None,
            })
        };
        if !nik_like && texts().any(signature_line) {
            *signed = true;
            each(row, Hasil::Lewati("tanda_tangan"));
            continue;
        }
        if !nik_like && column_numbers(&cells) {
            each(row, Hasil::Lewati("nomor_kolom"));
            continue;
        }
        if !nik_like
            && texts().any(|t| {
                let k = super::peta::key(t);
                ["jumlah", "total", "subtotal", "grandtotal"]
                    .iter()
                    .any(|p| k.starts_with(p))
            })
        {
            each(row, Hasil::Lewati("jumlah"));
            continue;
        }
        // A week label, possibly merged across the row (then it is in the name cell too).
        let week = |t: &str| super::peta::key(t).starts_with("minggu");
        let name_is_week = at(nama_col).is_some_and(|v| week(&v.text()));
        if !nik_like && (name_empty || name_is_week) && texts().any(week) {
            each(row, Hasil::Lewati("minggu"));
            continue;
        }
        // Only a row counter or a stray note: a pre-numbered empty line of the book.
        if used.iter().all(|c| cells[(c - c0) as usize].is_empty()) {
            each(row, Hasil::Lewati("kosong"));
            continue;
        }
        each(row, data_row(l, h, ctx, row, &cells, c0));
    }
}

/// What a clerk reads for a letter type the map does not know: the closest catalog
/// type, if one is alike, and the line that teaches the map this spelling.
pub fn saran_jenis(ctx: &Ctx, tertulis: &str) -> String {
    let baris = |kode: &str| format!("{kode} = [{}]", toml_string(tertulis));
    match ctx
        .peta
        .jenis_mirip(tertulis)
        .and_then(|k| ctx.katalog.jenis(k))
    {
        Some(j) => format!(
            "jenis surat `{tertulis}` tidak dikenal; paling mirip: {} ({}). Bila itu \
             maksudnya, tambahkan di bagian [jenis] peta-impor.toml: {}",
            j.nama,
            j.kode,
            baris(&j.kode)
        ),
        None => format!(
            "jenis surat `{tertulis}` tidak dikenal dan tidak mirip jenis mana pun di katalog; \
             tambahkan di bagian [jenis] peta-impor.toml dengan kode jenisnya, mis. {} \
             (kode: {})",
            baris("KODE"),
            ctx.katalog.kode_list()
        ),
    }
}

/// A TOML basic string.
pub(super) fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub(super) fn nik_code(e: &IdentityError) -> &'static str {
    match e {
        IdentityError::Province { .. } => "nik_provinsi",
        IdentityError::BirthDate(_) | IdentityError::FutureBirth => "nik_tanggal_lahir",
        _ => "nik_bentuk",
    }
}

fn data_row(l: &Lembar, h: &Header, ctx: &Ctx, row: u32, cells: &[Nilai], c0: u32) -> Hasil {
    let get = |k: &Kolom| -> &Nilai {
        static EMPTY: Nilai = Nilai::Kosong;
        h.col(k).map_or(&EMPTY, |c| &cells[(c - c0) as usize])
    };
    let text = |k: &Kolom| -> Option<String> {
        let v = get(k);
        (!v.is_empty() && !matches!(v, Nilai::Galat(_)))
            .then(|| v.text().split_whitespace().collect::<Vec<_>>().join(" "))
    };
    let tolak = |kode, pesan: String| Hasil::Tolak { kode, pesan };
    let label = |k: &Kolom| {
        h.col(k)
            .and_then(|c| h.labels.get(&c).cloned())
            .unwrap_or_default()
    };

    for k in [Kolom::Nama, Kolom::Nik, Kolom::Tanggal, Kolom::Jenis] {
        if let Nilai::Galat(e) = get(&k) {
            return tolak(
                "galat_sel",
                format!("kolom {} berisi galat {e} (rumus yang gagal)", label(&k)),
            );
        }
    }
    let Some(nama) = text(&Kolom::Nama) else {
        return tolak("nama_kosong", "nama pemohon kosong".into());
    };
    // A line break typed inside a cell (Alt+Enter) is a space; anything else a letter
    // could not show refuses the row, by the same rule as the counter.
    let one_line = |t: String| -> String {
        t.chars()
            .map(|c| {
                if matches!(c, '\n' | '\r' | '\t') {
                    ' '
                } else {
                    c
                }
            })
            .collect()
    };
    let nama = match teks::periksa(&one_line(nama), teks::NAMA_MAKS) {
        Ok(n) => n,
        Err(e) => return tolak("teks_tidak_sah", format!("nama {e}")),
    };
    let checked = |k: &Kolom, field: &str, maks: usize| -> Result<Option<String>, String> {
        match text(k) {
            None => Ok(None),
            Some(v) => teks::periksa(&one_line(v), maks)
                .map(Some)
                .map_err(|e| format!("{field} {e}")),
        }
    };
    let alamat = match checked(&Kolom::Alamat, "alamat", teks::ALAMAT_MAKS) {
        Ok(v) => v,
        Err(e) => return tolak("teks_tidak_sah", e),
    };
    let keperluan = match checked(&Kolom::Keperluan, "keperluan", teks::KEPERLUAN_MAKS) {
        Ok(v) => v,
        Err(e) => return tolak("teks_tidak_sah", e),
    };
    // A cell of spaces, an apostrophe or invisible characters holds no NIK.
    let (nik, as_number) = value::nomor_identitas(get(&Kolom::Nik));
    if nik.is_empty() {
        return tolak("nik_kosong", "NIK kosong".into());
    }
    let mut tanda: Vec<(&'static str, String)> = Vec::new();
    // A NIK Excel kept as a number lost its last digit, which may leave a serial of
    // 0000: what survives (province, district, birth date) is still checked.
    let checked_nik = match (as_number, nik.get(..12)) {
        (true, Some(head)) if nik.len() == 16 => format!("{head}0001"),
        _ => nik.clone(),
    };
    match identity::parse_nik(&checked_nik, ctx.today) {
        Ok(_) => {}
        Err(e) => {
            // The NIK itself is in the report's copy of the row, not in the words.
            return tolak(nik_code(&e), e.to_string());
        }
    }
    if as_number {
        tanda.push((
            "nik_presisi_hilang",
            "NIK tersimpan sebagai angka di Excel, yang hanya menyimpan 15 angka: angka \
             terakhirnya mungkin salah; cocokkan dengan KTP/KK lalu perbaiki"
                .to_string(),
        ));
    }

    let latest = ctx.today;
    let tanggal = match value::tanggal(
        get(&Kolom::Tanggal),
        l.epoch_1904,
        value::earliest(),
        latest,
    ) {
        value::Tanggal::Ok(d) => d,
        value::Tanggal::Kosong => return tolak("tanggal_kosong", "tanggal masuk kosong".into()),
        value::Tanggal::Galat(e) => {
            return tolak(
                "galat_sel",
                format!("kolom {} berisi galat {e}", label(&Kolom::Tanggal)),
            );
        }
        value::Tanggal::TidakSah(t) => {
            return tolak(
                "tanggal_tidak_sah",
                format!(
                    "tanggal masuk `{t}` bukan tanggal yang mungkin (antara 1 Januari 2000 dan hari ini)"
                ),
            );
        }
    };
    let Some(jenis_text) = text(&Kolom::Jenis) else {
        return tolak("jenis_kosong", "jenis surat kosong".into());
    };
    let Some(jenis) = ctx.peta.jenis(&jenis_text) else {
        return tolak("jenis_tidak_dikenal", saran_jenis(ctx, &jenis_text));
    };

    // Optional fields: a bad value is dropped and flagged, never a reason to lose the row.
    let other_date =
        |k: &Kolom, what: &str, tanda: &mut Vec<(&'static str, String)>| match value::tanggal(
            get(k),
            l.epoch_1904,
            value::earliest(),
            latest,
        ) {
            value::Tanggal::Ok(d) => Some(d),
            value::Tanggal::Kosong => None,
            value::Tanggal::Galat(t) | value::Tanggal::TidakSah(t) => {
                tanda.push((
                    "tanggal_lain_tidak_sah",
                    format!("{what} `{t}` bukan tanggal; tidak diimpor"),
                ));
                None
            }
        };
    let tanggal_selesai = other_date(&Kolom::TanggalSelesai, "tanggal selesai", &mut tanda);
    let tanggal_surat = other_date(&Kolom::TanggalSurat, "tanggal surat", &mut tanda);
    let selesai = tanggal_selesai.or(tanggal_surat);
    if let Some(s) = selesai.filter(|s| *s < tanggal) {
        tanda.push((
            "selesai_sebelum_masuk",
            format!(
                "tanggal selesai ({}) lebih awal dari tanggal masuk ({}); periksa kembali",
                crate::domain::calendar::tanggal(s),
                crate::domain::calendar::tanggal(tanggal)
            ),
        ));
    }

    let kk = match text(&Kolom::Kk).map(|_| value::nomor_identitas(get(&Kolom::Kk))) {
        Some((k, _)) => match identity::parse_kk(&k) {
            Ok(k) => Some(k),
            Err(e) => {
                tanda.push(("kk_tidak_sah", format!("{e}; nomor KK tidak diimpor")));
                None
            }
        },
        None => None,
    };
    let kanal = match text(&Kolom::Kanal) {
        None => Kanal::Langsung,
        Some(t) => ctx.peta.kanal(&t).unwrap_or_else(|| {
            tanda.push((
                "kanal_tidak_dikenal",
                format!("kanal `{t}` tidak dikenal; dicatat datang langsung"),
            ));
            Kanal::Langsung
        }),
    };
    // The status word is kept in the history: text a page could not show is left out.
    let status_asal = match checked(&Kolom::Status, "status", teks::CATATAN_MAKS) {
        Ok(v) => v,
        Err(e) => {
            tanda.push(("teks_status_dibuang", format!("{e}; status tidak disimpan")));
            None
        }
    };
    let status = match &status_asal {
        None => None,
        Some(t) => {
            let s = ctx.peta.status(t);
            if s.is_none() {
                tanda.push((
                    "status_tidak_dikenal",
                    format!("status `{t}` tidak dikenal; tahap ditentukan dari datanya"),
                ));
            }
            s
        }
    };
    let nomor_surat = match checked(&Kolom::NomorSurat, "nomor surat", teks::ISIAN_MAKS) {
        Ok(v) => v.filter(|n| n != "-"),
        Err(e) => return tolak("teks_tidak_sah", e),
    };
    let tahap = match status {
        Some(Status::Selesai) => Tahap::DilaporkanKeLurah,
        Some(Status::Ditolak) => Tahap::Ditolak,
        Some(Status::Tahap(t)) => t,
        Some(Status::Proses) | None if nomor_surat.is_some() || selesai.is_some() => {
            Tahap::Ditindaklanjuti
        }
        Some(Status::Proses) | None => Tahap::Diterima,
    };

    let (mut rt, mut rw) = (
        text(&Kolom::Rt).and_then(|t| value::rt(&t)),
        text(&Kolom::Rw).and_then(|t| value::rt(&t)),
    );
    if let Some((a, b)) = text(&Kolom::RtRw).and_then(|t| value::rt_rw(&t)) {
        rt = rt.or(value::rt(&a));
        rw = rw.or(value::rt(&b));
    }
    let telepon = text(&Kolom::Telepon).and_then(|t| {
        // A phone number kept as a number lost its leading zero.
        let t = if matches!(get(&Kolom::Telepon), Nilai::Angka(_)) && t.starts_with('8') {
            format!("0{t}")
        } else {
            t
        };
        match crate::domain::permohonan::nomor_telepon(&t) {
            Ok(n) => Some(n),
            Err(e) => {
                tanda.push(("telepon_tidak_sah", format!("telepon {e}; tidak diimpor")));
                None
            }
        }
    });
    let mut isian = BTreeMap::new();
    for (c, k) in &h.columns {
        if let Kolom::Isian(key) = k {
            let v = &cells[(c - c0) as usize];
            let s = match v {
                Nilai::Waktu(t) => t.date().to_string(),
                Nilai::Galat(_) => continue,
                other => other.text().trim().to_string(),
            };
            if !s.is_empty() {
                // A letter prints these: the counter's rule for text applies.
                let s = match teks::periksa(&one_line(s), teks::ISIAN_MAKS) {
                    Ok(s) => s,
                    Err(e) => {
                        let label = h.labels.get(c).cloned().unwrap_or_else(|| key.clone());
                        return tolak("teks_tidak_sah", format!("{label} {e}"));
                    }
                };
                isian.insert(key.clone(), s);
            }
        }
    }
    let nomor_register = h
        .col(&Kolom::NomorRegister)
        .and_then(|c| value::nomor_register(&cells[(c - c0) as usize], tanggal.year()));

    Hasil::Calon {
        p: Box::new(PermohonanImpor {
            asal: format!("{}, lembar {}, baris {}", ctx.berkas, l.nama, row + 1),
            nomor_register,
            // The old book's own words for the type, when they are not the catalog's.
            jenis_asal: teks::periksa(&one_line(jenis_text.clone()), teks::ISIAN_MAKS)
                .ok()
                .filter(|t| {
                    ctx.katalog.jenis(jenis).is_none_or(|j| {
                        super::peta::key(&j.nama) != super::peta::key(t)
                            && super::peta::key(&j.kode) != super::peta::key(t)
                    })
                }),
            jenis: jenis.to_string(),
            tanggal,
            kanal,
            nama,
            nik,
            nik_ragu: as_number,
            kk,
            alamat,
            rt,
            rw,
            telepon,
            keperluan,
            isian,
            tahap,
            selesai,
            status_asal,
            nomor_surat,
            tanggal_surat,
        }),
        tanda,
    }
}
