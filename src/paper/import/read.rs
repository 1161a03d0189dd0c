//! Opening an old register workbook whole (xls, xlsx, xlsb, ods) with calamine: the
//! format is told from the bytes, not the name, and a file that cannot be read whole is
//! refused with its cause before anything is imported.

use std::collections::HashMap;
use std::io::Cursor;
use std::sync::Arc;

use calamine::{Data, Range, Reader, SheetVisible, Sheets};
use chrono::{NaiveDate, NaiveDateTime};

/// Why a whole file is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Unreadable(String),
    Encrypted,
    Html,
    Csv,
    NotSpreadsheet,
    Broken {
        lembar: Option<String>,
        sebab: String,
    },
    /// Bigger, once unpacked, than any register: a zip bomb, or far too much.
    TooBig {
        bagian: String,
        mb: u64,
    },
    /// A sheet whose cells span an area no register needs (one stray cell far away).
    TooWide {
        bagian: String,
        sel: String,
    },
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Unreadable(e) => write!(f, "berkas tidak dapat dibaca: {e}"),
            Refusal::Encrypted => f.write_str(
                "berkas dilindungi kata sandi (terenkripsi); buka di Excel atau LibreOffice, \
                 hapus kata sandinya, simpan, lalu impor lagi",
            ),
            Refusal::Html => f.write_str(
                "berkas ini halaman web (HTML) yang diberi nama seperti berkas Excel, bukan buku \
                 kerja; buka di Excel atau LibreOffice lalu simpan sebagai .xlsx",
            ),
            Refusal::Csv => f.write_str(
                "berkas ini teks CSV yang diberi nama seperti berkas Excel, bukan buku kerja; \
                 buka di Excel atau LibreOffice lalu simpan sebagai .xlsx",
            ),
            Refusal::NotSpreadsheet => {
                f.write_str("berkas ini bukan buku kerja spreadsheet (xls, xlsx, xlsb, ods)")
            }
            Refusal::Broken {
                lembar: Some(l),
                sebab,
            } => write!(
                f,
                "berkas rusak: lembar `{l}` tidak dapat dibaca utuh ({sebab}); tidak ada baris yang diimpor dari berkas ini"
            ),
            Refusal::Broken {
                lembar: None,
                sebab,
            } => write!(
                f,
                "berkas rusak atau terpotong ({sebab}); tidak ada baris yang diimpor dari berkas ini"
            ),
            Refusal::TooBig { bagian, mb } => write!(
                f,
                "berkas terlalu besar setelah dibuka ({bagian}: lebih dari {mb} MB); register tidak sebesar itu. Tidak ada baris yang diimpor"
            ),
            Refusal::TooWide { bagian, sel } => write!(
                f,
                "lembar {bagian} memakai sel sampai {sel}, jauh di luar data register (lebih dari {} sel); hapus isi atau format sel yang jauh itu, simpan, lalu impor lagi",
                MAX_AREA
            ),
        }
    }
}

/// A cell value as the importer sees it.
#[derive(Debug, Clone, PartialEq)]
pub enum Nilai {
    Kosong,
    Teks(String),
    Angka(f64),
    /// A real date (or date-time) cell.
    Waktu(NaiveDateTime),
    /// `#N/A`, `#VALUE!`, …
    Galat(String),
}

impl Nilai {
    pub fn is_empty(&self) -> bool {
        match self {
            Nilai::Kosong => true,
            Nilai::Teks(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The value as a person reads it in the cell.
    pub fn text(&self) -> String {
        match self {
            Nilai::Kosong => String::new(),
            Nilai::Teks(t) => t.clone(),
            Nilai::Angka(n) if n.fract() == 0.0 && n.abs() < 1e17 => format!("{}", *n as i64),
            Nilai::Angka(n) => n.to_string(),
            Nilai::Waktu(t) if t.time() == chrono::NaiveTime::MIN => {
                t.date().format("%d-%m-%Y").to_string()
            }
            Nilai::Waktu(t) => t.format("%d-%m-%Y %H:%M").to_string(),
            Nilai::Galat(e) => e.clone(),
        }
    }
}

/// One sheet, with merged areas resolved: a cell covered by a merge reads as the
/// merge's top-left value.
///
/// A big xlsx sheet may come in blocks of rows (see [`stream`]): a block holds its own
/// rows from [`Lembar::mulai`], the columns of the sheet so far, and the top-left values
/// of merges begun in an earlier block.
pub struct Lembar {
    pub nama: String,
    pub tersembunyi: bool,
    range: Range<Data>,
    merged: Arc<HashMap<(u32, u32), (u32, u32)>>,
    /// The workbook counts days from 1904 (old Mac Excel): matters for bare serials.
    pub epoch_1904: bool,
    /// First row this block answers for (0 for a whole sheet).
    mulai: u32,
    /// Columns used by the sheet's earlier blocks.
    kolom: Option<(u32, u32)>,
    /// Merge top-left cells from earlier blocks whose merge reaches into this one.
    origins: HashMap<(u32, u32), Data>,
}

impl Lembar {
    fn whole(
        nama: String,
        tersembunyi: bool,
        range: Range<Data>,
        merged: HashMap<(u32, u32), (u32, u32)>,
        epoch_1904: bool,
    ) -> Lembar {
        Lembar {
            nama,
            tersembunyi,
            range,
            merged: Arc::new(merged),
            epoch_1904,
            mulai: 0,
            kolom: None,
            origins: HashMap::new(),
        }
    }

    /// First and last used row and column (0-based, absolute), if any cell is used.
    /// For a block, the columns are the sheet's so far.
    pub fn bounds(&self) -> Option<((u32, u32), (u32, u32))> {
        let ((r0, c0), (r1, c1)) = (self.range.start()?, self.range.end()?);
        Some(match self.kolom {
            Some((k0, k1)) => ((r0, c0.min(k0)), (r1, c1.max(k1))),
            None => ((r0, c0), (r1, c1)),
        })
    }

    /// First row this block answers for: rows above it were in an earlier block.
    pub fn mulai(&self) -> u32 {
        self.mulai
    }

    /// The cell as it shows: a cell covered by a merge reads as the merge's top-left
    /// value (a header "Tanggal" merged over "Masuk" and "Selesai" names both).
    pub fn get(&self, row: u32, col: u32) -> Nilai {
        let pos = self.merged.get(&(row, col)).copied().unwrap_or((row, col));
        match self.range.get_value(pos).or_else(|| self.origins.get(&pos)) {
            None => Nilai::Kosong,
            Some(d) => convert(d),
        }
    }

    /// The cell as a data row holds it: a value merged down its own column fills the
    /// rows it covers ("SKTM" over three requests), but a label merged across the row
    /// from another column ("TOTAL PEMOHON" over A:C) is not copied into the NIK or name
    /// cell, so it cannot turn the row into data.
    pub fn isi(&self, row: u32, col: u32) -> Nilai {
        match self.merged.get(&(row, col)) {
            Some(&(_, c)) if c != col => Nilai::Kosong,
            _ => self.get(row, col),
        }
    }
}

fn convert(d: &Data) -> Nilai {
    match d {
        Data::Empty => Nilai::Kosong,
        Data::String(s) => Nilai::Teks(s.clone()),
        Data::Int(i) => Nilai::Angka(*i as f64),
        Data::Float(f) => Nilai::Angka(*f),
        Data::Bool(b) => Nilai::Teks(if *b { "BENAR" } else { "SALAH" }.into()),
        Data::DateTime(dt) if dt.is_duration() => Nilai::Angka(dt.as_f64()),
        Data::DateTime(dt) => {
            let (y, m, day, h, min, s, _) = dt.to_ymd_hms_milli();
            match NaiveDate::from_ymd_opt(y as i32, m as u32, day as u32)
                .and_then(|d| d.and_hms_opt(h as u32, min as u32, s as u32))
            {
                Some(t) => Nilai::Waktu(t),
                // Excel's 29 February 1900 and the like.
                None => Nilai::Angka(dt.as_f64()),
            }
        }
        Data::DateTimeIso(s) => parse_iso(s)
            .map(Nilai::Waktu)
            .unwrap_or_else(|| Nilai::Teks(s.clone())),
        Data::DurationIso(s) => Nilai::Teks(s.clone()),
        Data::Error(e) => Nilai::Galat(e.to_string()),
    }
}

fn parse_iso(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()
                .map(|d| d.and_time(chrono::NaiveTime::MIN))
        })
}

/// A workbook read whole: every sheet's cells are in memory.
pub struct Buku {
    pub lembar: Vec<Lembar>,
}

/// What the first bytes say the file is.
fn sniff(bytes: &[u8]) -> Result<Kind, Refusal> {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Ok(Kind::Zip);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        // An encrypted xlsx is an OLE container holding these two streams.
        let utf16 = |s: &str| -> Vec<u8> { s.encode_utf16().flat_map(u16::to_le_bytes).collect() };
        let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
        if has(&utf16("EncryptionInfo")) || has(&utf16("EncryptedPackage")) {
            return Err(Refusal::Encrypted);
        }
        return Ok(Kind::Ole);
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_lowercase();
    let head = head.trim_start_matches('\u{feff}').trim_start();
    if head.starts_with('<')
        && (head.contains("<html") || head.contains("<table") || head.contains("<!doctype"))
    {
        return Err(Refusal::Html);
    }
    let text = std::str::from_utf8(&bytes[..bytes.len().min(4096)]).is_ok()
        || !bytes.iter().take(4096).any(|b| *b == 0);
    if text
        && head
            .lines()
            .next()
            .is_some_and(|l| l.contains([';', ',', '\t']))
    {
        return Err(Refusal::Csv);
    }
    Err(Refusal::NotSpreadsheet)
}

enum Kind {
    Zip,
    Ole,
}

/// The most a zip-based workbook may hold once unpacked, in all and per part: a
/// 100,000-row register is some 60 MB of sheet XML.
const MAX_UNPACKED: u64 = 256 * 1024 * 1024;
/// The most cells a sheet's span (rows x columns, from its first to its last cell, or
/// its declared dimension) may cover: the reader sizes its grid by that span, some 32
/// bytes a cell, so this keeps a sheet under ~200 MB whatever the file says.
const MAX_AREA: u64 = 6_000_000;

/// One XML node of over 1 MB: no register cell is that long, and reading on would hold
/// it all in memory.
const HUGE_NODE: usize = 1 << 20;

/// Looks inside a zip-based workbook before any reader sizes a grid by it: the unpacked
/// size of each part (read, not believed), and for each xlsx sheet the span of its
/// declared dimension and of its cells. Streaming: a megabyte at a time. On the way it
/// gathers each xlsx sheet's merged areas, by sheet name, so that calamine need not
/// parse every sheet a second time to find them.
fn guard_zip(bytes: &[u8]) -> Result<Scan, Refusal> {
    use std::io::Read;
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        // Not a zip after all: the readers below give the cause.
        return Ok(Scan::default());
    };
    let mut total = 0u64;
    let mut merges: HashMap<String, Vec<calamine::Dimensions>> = HashMap::new();
    let mut unordered_parts: Vec<String> = Vec::new();
    // Sheet name -> relationship id, and relationship id -> part.
    let mut sheet_ids: Vec<(String, String)> = Vec::new();
    let mut targets: HashMap<String, String> = HashMap::new();
    for i in 0..zip.len() {
        let Ok(entry) = zip.by_index(i) else { continue };
        let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        let too_big = || Refusal::TooBig {
            bagian: name.clone(),
            mb: MAX_UNPACKED / (1024 * 1024),
        };
        // What the part says of itself first (the zip reader never gives more than that),
        // then what it really unpacks to.
        if entry.size() > MAX_UNPACKED || total + entry.size() > MAX_UNPACKED {
            return Err(too_big());
        }
        let mut limited = entry.take(MAX_UNPACKED + 1);
        let mut span = Span::default();
        let (size, huge) = if name.starts_with("xl/worksheets/") && name.ends_with(".xml") {
            scan_tags(&mut limited, &mut |t| span.tag(t))
        } else if name == "xl/workbook.xml" {
            scan_tags(&mut limited, &mut |t| {
                if let (b"sheet", rest) = tag_name(t)
                    && let (Some(n), Some(id)) = (attribute(rest, b"name"), attribute(rest, b"id"))
                {
                    sheet_ids.push((n, id));
                }
            })
        } else if name == "xl/_rels/workbook.xml.rels" {
            scan_tags(&mut limited, &mut |t| {
                if let (b"Relationship", rest) = tag_name(t)
                    && let (Some(id), Some(to)) =
                        (attribute(rest, b"Id"), attribute(rest, b"Target"))
                {
                    let part = match to.strip_prefix('/') {
                        Some(abs) => abs.to_string(),
                        None => format!("xl/{to}"),
                    };
                    targets.insert(id, part);
                }
            })
        } else {
            let n = std::io::copy(&mut limited, &mut std::io::sink()).unwrap_or(0);
            (n, false)
        };
        total += size;
        if size > MAX_UNPACKED || total > MAX_UNPACKED || huge {
            return Err(too_big());
        }
        if let Some(sel) = span.too_wide() {
            let bagian = name.trim_start_matches("xl/worksheets/").to_string();
            return Err(Refusal::TooWide { bagian, sel });
        }
        if span.sheet {
            if span.unordered {
                unordered_parts.push(name.clone());
            }
            merges.insert(name, span.merges);
        }
    }
    // By sheet name; a sheet whose part was not found is left to calamine (and read
    // whole).
    let mut scan = Scan::default();
    for (sheet, id) in sheet_ids {
        let Some(part) = targets.get(&id) else {
            continue;
        };
        if let Some(m) = merges.remove(part) {
            if !unordered_parts.contains(part) {
                scan.in_order.insert(sheet.clone());
            }
            scan.merges.insert(sheet, m);
        }
    }
    Ok(scan)
}

/// What the guard learnt of an xlsx's sheets, by sheet name.
#[derive(Default)]
struct Scan {
    merges: HashMap<String, Vec<calamine::Dimensions>>,
    /// Sheets whose cells come row after row, which can be read in blocks.
    in_order: std::collections::HashSet<String>,
}

/// Sizes an `.xls` before calamine reads all its sheets into grids (see `xls`).
fn guard_xls(bytes: &[u8]) -> Result<(), Refusal> {
    match super::xls::luas(bytes) {
        None => Ok(()),
        Some(Err(sebab)) => Err(Refusal::Broken {
            lembar: None,
            sebab: format!("xls: {sebab}"),
        }),
        Some(Ok(l)) if l.sel > MAX_AREA => Err(Refusal::TooWide {
            bagian: l.lembar,
            sel: l.terjauh.map_or("?".into(), super::xls::nama_sel),
        }),
        Some(Ok(_)) => Ok(()),
    }
}

/// The farthest row and column a sheet names, in its dimension and in its cells, and its
/// merged areas.
#[derive(Default)]
struct Span {
    sheet: bool,
    far: Option<(u64, u64)>,
    far_ref: String,
    merges: Vec<calamine::Dimensions>,
    /// Row of the last cell seen, and whether a cell ever came above an earlier one
    /// (no spreadsheet program writes that, but the format allows it): such a sheet
    /// cannot be read in blocks of rows.
    last_row: u64,
    unordered: bool,
}

/// Reads XML through, handing every tag (its bytes between `<` and `>`) to `tag`;
/// returns the bytes read and whether one node was over 1 MB (no register cell is that
/// long, and reading on would hold it all in memory). A scan of bytes, not an XML parse:
/// it runs over every sheet before calamine parses it, so it must cost little (a full
/// XML parse here took half the time of reading a 100,000-row register).
fn scan_tags(r: &mut dyn std::io::Read, tag: &mut dyn FnMut(&[u8])) -> (u64, bool) {
    const CHUNK: usize = 1 << 20;
    let mut n = 0u64;
    let mut buf: Vec<u8> = Vec::with_capacity(2 * CHUNK);
    // Bytes since the last tag ended, in chunks already passed over.
    let mut outside = 0usize;
    loop {
        let kept = buf.len();
        buf.resize(kept + CHUNK, 0);
        let k = r.read(&mut buf[kept..]).unwrap_or(0);
        buf.truncate(kept + k);
        n += k as u64;
        let mut pos = 0;
        while let Some(lt) = memchr::memchr(b'<', &buf[pos..]) {
            let lt = pos + lt;
            if outside + (lt - pos) > HUGE_NODE {
                return (n, true);
            }
            outside = 0;
            let Some(gt) = memchr::memchr(b'>', &buf[lt..]) else {
                pos = lt;
                break;
            };
            tag(&buf[lt + 1..lt + gt]);
            pos = lt + gt + 1;
        }
        let rest = &buf[pos..];
        if rest.first() == Some(&b'<') {
            // A tag cut by the chunk's end: kept for the next round.
            if rest.len() > HUGE_NODE {
                return (n, true);
            }
            buf.drain(..pos);
        } else {
            outside += rest.len();
            if outside > HUGE_NODE {
                return (n, true);
            }
            buf.clear();
        }
        if k == 0 {
            return (n, false);
        }
    }
}

/// A tag's local name (without its namespace prefix) and what follows the name.
fn tag_name(tag: &[u8]) -> (&[u8], &[u8]) {
    let end = tag
        .iter()
        .position(|b| b.is_ascii_whitespace() || *b == b'/')
        .unwrap_or(tag.len());
    let name = &tag[..end];
    let local = name.rsplit(|b| *b == b':').next().unwrap_or(name);
    (local, &tag[end..])
}

/// The raw value of attribute `key` (its local name).
fn attribute_raw<'t>(mut rest: &'t [u8], key: &[u8]) -> Option<&'t [u8]> {
    while let Some((k, v, after)) = next_attribute(rest) {
        if k.rsplit(|b| *b == b':').next() == Some(key) {
            return Some(v);
        }
        rest = after;
    }
    None
}

/// The value of attribute `key` (its local name), unescaped.
fn attribute(rest: &[u8], key: &[u8]) -> Option<String> {
    let raw = String::from_utf8_lossy(attribute_raw(rest, key)?);
    Some(
        quick_xml::escape::unescape(&raw)
            .map(|c| c.into_owned())
            .unwrap_or_else(|_| raw.into_owned()),
    )
}

/// `A1` as 0-based (row, column).
fn cell_position(cell: &str) -> Option<(u32, u32)> {
    let letters = cell.bytes().take_while(u8::is_ascii_alphabetic).count();
    let row: u32 = cell[letters..].parse().ok()?;
    let col = cell[..letters].bytes().try_fold(0u32, |n, b| {
        n.checked_mul(26)?
            .checked_add(u32::from(b.to_ascii_uppercase() - b'A' + 1))
    })?;
    (letters > 0 && row > 0).then(|| (row - 1, col - 1))
}

impl Span {
    /// One tag of a sheet's XML.
    fn tag(&mut self, tag: &[u8]) {
        self.sheet = true;
        let (name, rest) = tag_name(tag);
        match name {
            b"c" => {
                if let Some(r) = attribute_raw(rest, b"r").and_then(|r| std::str::from_utf8(r).ok())
                    && let Some(row) = self.note(r)
                {
                    self.unordered |= row < self.last_row;
                    self.last_row = row;
                }
            }
            b"dimension" => {
                if let Some(r) =
                    attribute_raw(rest, b"ref").and_then(|r| std::str::from_utf8(r).ok())
                {
                    r.split(':').for_each(|part| {
                        self.note(part);
                    });
                }
            }
            b"mergeCell" => {
                if let Some(r) = attribute(rest, b"ref")
                    && let Some((a, b)) = r.split_once(':')
                    && let (Some(start), Some(end)) = (cell_position(a), cell_position(b))
                {
                    self.merges.push(calamine::Dimensions::new(start, end));
                }
            }
            _ => {}
        }
    }

    /// Notes how far a cell reference reaches; its 1-based row.
    fn note(&mut self, cell: &str) -> Option<u64> {
        let letters: String = cell
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect();
        let digits = &cell[letters.len()..];
        let row = digits.parse::<u64>().ok()?;
        let col = letters.bytes().fold(0u64, |n, b| {
            n * 26 + u64::from(b.to_ascii_uppercase() - b'A' + 1)
        });
        let (r, c) = self.far.unwrap_or((0, 0));
        if row * col > r * c {
            self.far_ref = cell.to_string();
        }
        self.far = Some((r.max(row), c.max(col)));
        Some(row)
    }

    fn too_wide(&self) -> Option<String> {
        let (r, c) = self.far?;
        (r.saturating_mul(c) > MAX_AREA).then(|| self.far_ref.clone())
    }
}

/// The next `key="value"` (or `'value'`) of a tag, and what follows it.
fn next_attribute(s: &[u8]) -> Option<(&[u8], &[u8], &[u8])> {
    let s = s.trim_ascii_start();
    let eq = s.iter().position(|b| *b == b'=')?;
    let key = s[..eq].trim_ascii();
    let after_eq = s[eq + 1..].trim_ascii_start();
    let quote = *after_eq.first()?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let end = memchr::memchr(quote, &after_eq[1..])?;
    Some((key, &after_eq[1..1 + end], &after_eq[end + 2..]))
}

/// A workbook opened by calamine, with what is known of its sheets before reading one.
struct Opened {
    sheets: Sheets<Cursor<Vec<u8>>>,
    /// Merged areas by sheet: an xlsx's from the guard's scan, an ods's read from its
    /// content (calamine gives none for ods).
    merges: HashMap<String, Vec<calamine::Dimensions>>,
    /// The xlsx sheets that may be read in blocks of rows.
    in_order: std::collections::HashSet<String>,
    /// An xlsx's bytes again, for a second reader on the other core.
    xlsx_bytes: Option<Vec<u8>>,
    epoch_1904: bool,
    /// Worksheets in order: name, hidden.
    meta: Vec<(String, bool)>,
}

/// Tells the format from the bytes, guards the sizes, and opens the workbook.
fn open(bytes: Vec<u8>) -> Result<Opened, Refusal> {
    let kind = sniff(&bytes)?;
    let mut scan = match kind {
        Kind::Zip => guard_zip(&bytes)?,
        Kind::Ole => {
            guard_xls(&bytes)?;
            Scan::default()
        }
    };
    let mut xlsx_bytes: Option<Vec<u8>> = None;
    let sheets: Sheets<Cursor<Vec<u8>>> = match kind {
        Kind::Ole => {
            match calamine::open_workbook_from_rs::<calamine::Xls<_>, _>(Cursor::new(bytes)) {
                Ok(x) => Sheets::Xls(x),
                Err(calamine::XlsError::Password) => return Err(Refusal::Encrypted),
                Err(e) => {
                    return Err(Refusal::Broken {
                        lembar: None,
                        sebab: format!("xls: {e}"),
                    });
                }
            }
        }
        Kind::Zip => {
            let c = Cursor::new(bytes);
            match calamine::open_workbook_from_rs::<calamine::Xlsx<_>, _>(c.clone()) {
                Ok(x) => {
                    xlsx_bytes = Some(c.into_inner());
                    Sheets::Xlsx(x)
                }
                Err(xlsx_err) => {
                    if let Ok(o) = calamine::open_workbook_from_rs::<calamine::Ods<_>, _>(c.clone())
                    {
                        scan.merges =
                            ods_merged_areas(c.get_ref()).map_err(|e| Refusal::Broken {
                                lembar: None,
                                sebab: e,
                            })?;
                        Sheets::Ods(o)
                    } else if let Ok(b) = calamine::open_workbook_from_rs::<calamine::Xlsb<_>, _>(c)
                    {
                        Sheets::Xlsb(b)
                    } else {
                        return Err(Refusal::Broken {
                            lembar: None,
                            sebab: zip_cause(&xlsx_err.to_string()),
                        });
                    }
                }
            }
        }
    };
    let epoch_1904 = match &sheets {
        Sheets::Xlsx(x) => x.has_1904_epoch(),
        Sheets::Xls(x) => x.has_1904_epoch(),
        _ => false,
    };
    let meta: Vec<(String, bool)> = sheets
        .sheets_metadata()
        .iter()
        .filter(|s| s.typ == calamine::SheetType::WorkSheet)
        .map(|s| (s.name.clone(), s.visible != SheetVisible::Visible))
        .collect();
    Ok(Opened {
        sheets,
        merges: scan.merges,
        in_order: scan.in_order,
        xlsx_bytes,
        epoch_1904,
        meta,
    })
}

/// Reads the whole workbook, every sheet, or refuses it.
pub fn read(bytes: Vec<u8>) -> Result<Buku, Refusal> {
    let Opened {
        mut sheets,
        mut merges,
        xlsx_bytes,
        epoch_1904,
        meta,
        ..
    } = open(bytes)?;
    // A register keeps a sheet per month: an xlsx's sheets are read on two cores, the
    // second half by a reader of its own over the same bytes.
    let lembar = match xlsx_bytes {
        Some(bytes) if meta.len() > 1 => {
            let (first, second) = meta.split_at(meta.len().div_ceil(2));
            let mut theirs: HashMap<_, _> = second
                .iter()
                .filter_map(|(n, _)| merges.remove_entry(n))
                .collect();
            std::thread::scope(|s| {
                let other = s.spawn(|| {
                    let mut own =
                        calamine::open_workbook_from_rs::<calamine::Xlsx<_>, _>(Cursor::new(bytes))
                            .map(Sheets::Xlsx)
                            .map_err(|e| Refusal::Broken {
                                lembar: None,
                                sebab: zip_cause(&e.to_string()),
                            })?;
                    read_sheets(&mut own, second, &mut theirs, epoch_1904)
                });
                let mut lembar = read_sheets(&mut sheets, first, &mut merges, epoch_1904)?;
                lembar.extend(other.join().expect("a sheet reader does not panic")?);
                Ok::<_, Refusal>(lembar)
            })?
        }
        _ => read_sheets(&mut sheets, &meta, &mut merges, epoch_1904)?,
    };
    Ok(Buku { lembar })
}

/// Rows of a sheet handed on at a time by [`stream`].
pub const BLOK: u32 = 4096;

/// Reads the workbook sheet by sheet, handing each on to `each` as it is parsed, with
/// whether it starts a sheet: an xlsx sheet in blocks of [`BLOK`] rows, so the rows read
/// first are checked and written while calamine parses the rest; other formats (and an
/// xlsx sheet whose rows are out of order) a whole sheet at a time. A file refused
/// halfway has had some blocks handed on: the caller rolls back what it did with them.
pub fn stream(bytes: Vec<u8>, each: &mut dyn FnMut(Lembar, bool)) -> Result<(), Refusal> {
    let Opened {
        mut sheets,
        mut merges,
        in_order,
        epoch_1904,
        meta,
        ..
    } = open(bytes)?;
    for (nama, tersembunyi) in &meta {
        match &mut sheets {
            Sheets::Xlsx(x) if in_order.contains(nama) && !tersembunyi => {
                let m = merges.remove(nama).unwrap_or_default();
                stream_sheet(x, nama, m, epoch_1904, each)?;
            }
            _ => {
                let one = [(nama.clone(), *tersembunyi)];
                for l in read_sheets(&mut sheets, &one, &mut merges, epoch_1904)? {
                    each(l, true);
                }
            }
        }
    }
    Ok(())
}

/// One xlsx sheet in blocks of rows (see [`stream`]).
fn stream_sheet(
    x: &mut calamine::Xlsx<Cursor<Vec<u8>>>,
    nama: &str,
    merges: Vec<calamine::Dimensions>,
    epoch_1904: bool,
    each: &mut dyn FnMut(Lembar, bool),
) -> Result<(), Refusal> {
    let broken = |e: calamine::XlsxError| Refusal::Broken {
        lembar: Some(nama.to_string()),
        sebab: e.to_string(),
    };
    // Merge top-left cell -> the merge's last row.
    let reach: HashMap<(u32, u32), u32> = merges.iter().map(|m| (m.start, m.end.0)).collect();
    let merged = Arc::new(merged_cells(merges));
    let mut reader = x.worksheet_cells_reader(nama).map_err(broken)?;
    let mut cells: Vec<calamine::Cell<Data>> = Vec::new();
    let mut origins: HashMap<(u32, u32), Data> = HashMap::new();
    let mut kolom: Option<(u32, u32)> = None;
    let mut mulai = 0u32;
    // Rows up to (not including) this one belong to the block being filled.
    let mut end: Option<u32> = None;
    let mut first = true;
    loop {
        let next = reader.next_cell().map_err(broken)?;
        let cut = match &next {
            None => true,
            Some(c) => end.is_some_and(|e| c.get_position().0 >= e),
        };
        if cut && (!cells.is_empty() || (first && next.is_none())) {
            let range = Range::from_sparse(std::mem::take(&mut cells));
            let last = range.end().map_or(mulai, |(r, _)| r);
            // What later blocks need of this one: merge top-left values reaching past it.
            let carried: HashMap<(u32, u32), Data> = origins
                .iter()
                .filter(|(pos, _)| reach.get(pos).is_some_and(|&r| r > last))
                .map(|(p, d)| (*p, d.clone()))
                .chain(
                    reach
                        .iter()
                        .filter(|(_, r)| **r > last)
                        .filter_map(|(pos, _)| Some((*pos, range.get_value(*pos)?.clone()))),
                )
                .collect();
            let block_kolom = match (kolom, range.start(), range.end()) {
                (k, Some((_, c0)), Some((_, c1))) => {
                    Some(k.map_or((c0, c1), |(k0, k1)| (k0.min(c0), k1.max(c1))))
                }
                (k, _, _) => k,
            };
            let l = Lembar {
                nama: nama.to_string(),
                tersembunyi: false,
                range,
                merged: Arc::clone(&merged),
                epoch_1904,
                mulai,
                kolom,
                origins: std::mem::replace(&mut origins, carried),
            };
            kolom = block_kolom;
            mulai = last + 1;
            each(l, first);
            first = false;
            end = None;
        }
        let Some(c) = next else { break };
        if matches!(c.get_value(), calamine::DataRef::Empty) {
            continue;
        }
        let pos = c.get_position();
        let end = *end.get_or_insert(pos.0.max(mulai) + BLOK);
        if pos.0 < mulai || pos.0 >= end {
            // The guard saw these rows in order; calamine must not disagree.
            return Err(Refusal::Broken {
                lembar: Some(nama.to_string()),
                sebab: format!("baris {} tidak berurutan", pos.0 + 1),
            });
        }
        cells.push(calamine::Cell::new(pos, c.get_value().clone().into()));
    }
    Ok(())
}

/// Each cell a merge covers, mapped to the merge's top-left cell.
fn merged_cells(merges: Vec<calamine::Dimensions>) -> HashMap<(u32, u32), (u32, u32)> {
    let mut merged = HashMap::new();
    for m in merges {
        // Large accidental merges (a whole column) would only cost memory.
        let area = (m.end.0 - m.start.0 + 1) as u64 * (m.end.1 - m.start.1 + 1) as u64;
        if area > 100_000 {
            continue;
        }
        for r in m.start.0..=m.end.0 {
            for c in m.start.1..=m.end.1 {
                if (r, c) != m.start {
                    merged.insert((r, c), m.start);
                }
            }
        }
    }
    merged
}

/// Reads the named sheets into grids with their merged areas (`known`, or else as
/// calamine finds them), in order.
fn read_sheets(
    sheets: &mut Sheets<Cursor<Vec<u8>>>,
    meta: &[(String, bool)],
    known: &mut HashMap<String, Vec<calamine::Dimensions>>,
    epoch_1904: bool,
) -> Result<Vec<Lembar>, Refusal> {
    let mut lembar = Vec::with_capacity(meta.len());
    for (nama, tersembunyi) in meta {
        let (nama, tersembunyi) = (nama.clone(), *tersembunyi);
        let broken = |e: String| Refusal::Broken {
            lembar: Some(nama.clone()),
            sebab: e,
        };
        let range = sheets
            .worksheet_range(&nama)
            .map_err(|e| broken(e.to_string()))?;
        let merges = match sheets {
            Sheets::Xlsx(_) if known.contains_key(&nama) => known.remove(&nama).unwrap_or_default(),
            Sheets::Xlsx(x) => x
                .merge_cells_by_sheet_name(&nama)
                .map_err(|e| broken(e.to_string()))?,
            Sheets::Xls(x) => x
                .merge_cells_by_sheet_name(&nama)
                .map_err(|e| broken(e.to_string()))?,
            Sheets::Ods(_) => known.remove(&nama).unwrap_or_default(),
            // calamine does not give xlsb merges: covered cells read empty.
            Sheets::Xlsb(_) => Vec::new(),
        };
        lembar.push(Lembar::whole(
            nama,
            tersembunyi,
            range,
            merged_cells(merges),
            epoch_1904,
        ));
    }
    Ok(lembar)
}

/// Merged areas of each sheet of an OpenDocument spreadsheet, from `content.xml`:
/// a cell spanning rows or columns, in the same 0-based coordinates calamine uses
/// (repeated rows and columns counted out).
fn ods_merged_areas(bytes: &[u8]) -> Result<HashMap<String, Vec<calamine::Dimensions>>, String> {
    use quick_xml::events::{BytesStart, Event};
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| format!("ods: {e}"))?;
    let content = zip
        .by_name("content.xml")
        .map_err(|e| format!("ods content.xml: {e}"))?;
    let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::new(content));
    let attr = |e: &BytesStart, key: &str| -> Option<String> {
        e.attributes()
            .flatten()
            .find(|a| a.key.as_ref() == key)
            .map(|a| {
                quick_xml::escape::unescape(&a.value)
                    .map(|v| v.into_owned())
                    .unwrap_or_else(|_| a.value.to_string())
            })
    };
    let num = |e: &BytesStart, key: &str| -> u32 {
        attr(e, key)
            .and_then(|v| v.parse().ok())
            .unwrap_or(1)
            .max(1)
    };
    let mut out: HashMap<String, Vec<calamine::Dimensions>> = HashMap::new();
    let mut sheet: Option<String> = None;
    let (mut row, mut col, mut row_repeat) = (0u32, 0u32, 1u32);
    let mut buf = Vec::new();
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| format!("ods content.xml: {e}"))?;
        let (e, empty) = match &event {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(e) => {
                match e.name().as_ref() {
                    "table:table-row" => row = row.saturating_add(row_repeat),
                    "table:table" => sheet = None,
                    _ => {}
                }
                buf.clear();
                continue;
            }
            Event::Eof => break,
            _ => {
                buf.clear();
                continue;
            }
        };
        match e.name().as_ref() {
            "table:table" => {
                sheet = attr(e, "table:name");
                row = 0;
            }
            "table:table-row" => {
                col = 0;
                row_repeat = num(e, "table:number-rows-repeated");
                if empty {
                    row = row.saturating_add(row_repeat);
                }
            }
            name @ ("table:table-cell" | "table:covered-table-cell") => {
                let rows = num(e, "table:number-rows-spanned");
                let cols = num(e, "table:number-columns-spanned");
                if name == "table:table-cell"
                    && (rows > 1 || cols > 1)
                    && let Some(s) = &sheet
                {
                    out.entry(s.clone())
                        .or_default()
                        .push(calamine::Dimensions {
                            start: (row, col),
                            end: (row + rows - 1, col + cols - 1),
                        });
                }
                col = col.saturating_add(num(e, "table:number-columns-repeated"));
            }
            _ => {}
        }
        buf.clear();
    }
    Ok(out)
}

fn zip_cause(e: &str) -> String {
    let l = e.to_lowercase();
    if l.contains("zip") || l.contains("archive") || l.contains("eocd") {
        format!("arsip ZIP tidak utuh: {e}")
    } else {
        e.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sheet of two and a half blocks with what makes blocks hard: a value merged
    /// down across a block's edge, a label merged across a row, empty rows at an edge,
    /// and a column used only after the first block.
    fn workbook() -> Vec<u8> {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.write(0, 0, "DAFTAR").unwrap();
        for r in 1..(2 * BLOK + BLOK / 2) {
            if (BLOK - 3..BLOK + 5).contains(&r) {
                continue;
            }
            ws.write(r, 0, format!("baris {r}")).unwrap();
            ws.write(r, 1, f64::from(r)).unwrap();
        }
        let fmt = rust_xlsxwriter::Format::new();
        ws.merge_range(BLOK + 10, 2, 2 * BLOK + 20, 2, "SKTM", &fmt)
            .unwrap();
        ws.merge_range(2 * BLOK + 30, 0, 2 * BLOK + 30, 1, "JUMLAH", &fmt)
            .unwrap();
        ws.write(2 * BLOK + 40, 6, "jauh di kanan").unwrap();
        wb.save_to_buffer().unwrap()
    }

    #[test]
    fn a_sheet_streamed_in_blocks_reads_as_the_whole_sheet() {
        let bytes = workbook();
        let whole = read(bytes.clone()).unwrap();
        let l = &whole.lembar[0];
        let ((r0, c0), (r1, c1)) = l.bounds().unwrap();
        let mut blocks = Vec::new();
        stream(bytes, &mut |b, first| blocks.push((b, first))).unwrap();
        assert!(blocks.len() >= 3, "{} blok", blocks.len());
        assert!(blocks[0].1 && blocks[1..].iter().all(|(_, first)| !first));
        // Every row is answered for by exactly one block, in order, and reads the same.
        let mut next = r0;
        for (b, _) in &blocks {
            let ((_, _), (b1, bc1)) = b.bounds().unwrap();
            assert_eq!(b.mulai().max(r0), next);
            for row in next..=b1 {
                for c in c0..=c1.max(bc1) {
                    assert_eq!(b.isi(row, c), l.isi(row, c), "baris {row} kolom {c}");
                    assert_eq!(b.get(row, c), l.get(row, c), "baris {row} kolom {c}");
                }
            }
            next = b1 + 1;
        }
        assert_eq!(next, r1 + 1);
        // The merged value reaches the rows of the next block.
        assert_eq!(l.get(2 * BLOK + 20, 2), Nilai::Teks("SKTM".into()));
    }
}
