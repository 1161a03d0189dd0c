//! Sizing an Excel 97-2003 workbook (`.xls`) before calamine reads it. calamine reads
//! every sheet of an `.xls` whole as it opens the file, and sizes each sheet's grid by the
//! farthest cells (and reserves room by the declared dimension), so a 6 KB file with one
//! cell in A1 and one in IV65536 would take a gigabyte. This walks the file's container
//! (the OLE compound file) and the sheets' records, holding nothing but positions.

/// The cells an `.xls` asks for: per sheet, the larger of its declared dimension and the
/// span of its cells (rows x columns); and the farthest cell, for the message.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Luas {
    /// Cells asked for, all sheets together: calamine holds every sheet at once.
    pub sel: u64,
    /// The sheet asking for the most (its name, or its place) and its farthest cell.
    pub lembar: String,
    pub terjauh: Option<(u32, u32)>,
    widest: u64,
}

/// A cell's name as Excel writes it: (0, 0) is A1.
pub fn nama_sel((row, col): (u32, u32)) -> String {
    let mut letters = Vec::new();
    let mut c = col as u64 + 1;
    while c > 0 {
        letters.push(b'A' + ((c - 1) % 26) as u8);
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!(
        "{}{}",
        String::from_utf8(letters).expect("ASCII"),
        row as u64 + 1
    )
}

/// Reads the container and the workbook stream. `None` when the bytes are not an OLE
/// compound file at all (the readers say what they are); `Err` when the container is
/// broken in a way calamine would also trip on.
pub fn luas(bytes: &[u8]) -> Option<Result<Luas, String>> {
    let cfb = Cfb::open(bytes)?;
    Some(cfb.and_then(|c| {
        let stream = c
            .stream("Workbook")
            .or_else(|| c.stream("Book"))
            .ok_or_else(|| "tidak ada aliran Workbook".to_string())??;
        Ok(scan_biff(&stream))
    }))
}

/// The cell records calamine reads into a sheet's grid, and the position they carry.
fn cell_positions(typ: u16, data: &[u8], out: &mut dyn FnMut(u32, u32)) {
    let u16_at = |i: usize| data.get(i..i + 2).map(|b| u16::from_le_bytes([b[0], b[1]]));
    match typ {
        // Number, Label, RString, BoolErr, Rk, LabelSst, Formula: row and column first.
        0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
            if let (Some(r), Some(c)) = (u16_at(0), u16_at(2)) {
                out(r as u32, c as u32);
            }
        }
        // MulRk: row, first column, ..., last column in the last two bytes.
        0x00BD => {
            if let (Some(r), Some(c), Some(last)) = (
                u16_at(0),
                u16_at(2),
                data.len().checked_sub(2).and_then(u16_at),
            ) {
                out(r as u32, c as u32);
                out(r as u32, last as u32);
            }
        }
        _ => {}
    }
}

type Sheet = (Option<(u32, u32, u32, u32)>, u64);

/// Adds a finished sheet to the total: the larger of its cells' span and its declared
/// area (calamine reserves by the one and fills a grid by the other).
fn close(sheet: &mut Option<Sheet>, number: usize, names: &[String], luas: &mut Luas) {
    if let Some((span, declared)) = sheet.take() {
        let spanned = span.map_or(0, |(r0, r1, c0, c1)| {
            (r1 - r0 + 1) as u64 * (c1 - c0 + 1) as u64
        });
        let asked = spanned.max(declared);
        luas.sel = luas.sel.saturating_add(asked);
        if asked >= luas.widest {
            luas.widest = asked;
            luas.lembar = names
                .get(number.wrapping_sub(1))
                .cloned()
                .unwrap_or_else(|| format!("ke-{number}"));
            luas.terjauh = span.map(|(_, r1, _, c1)| (r1, c1));
        }
    }
}

fn scan_biff(s: &[u8]) -> Luas {
    let mut luas = Luas::default();
    let mut sheet: Option<Sheet> = None;
    let mut sheets = 0usize;
    let mut names: Vec<String> = Vec::new();
    let mut nested = 0usize;
    let mut pos = 0usize;
    while pos + 4 <= s.len() {
        let typ = u16::from_le_bytes([s[pos], s[pos + 1]]);
        let len = u16::from_le_bytes([s[pos + 2], s[pos + 3]]) as usize;
        let data = &s[pos + 4..(pos + 4 + len).min(s.len())];
        pos += 4 + len;
        match typ {
            // BOF: a worksheet (0x0010) opens a sheet; inside one, anything opens a nested
            // substream (a chart) that calamine skips.
            0x0809 => {
                if sheet.is_some() {
                    nested += 1;
                } else if data.get(2..4) == Some(&[0x10, 0x00]) {
                    sheets += 1;
                    sheet = Some((None, 0));
                }
            }
            0x000A => {
                if nested > 0 {
                    nested -= 1;
                } else {
                    close(&mut sheet, sheets, &names, &mut luas);
                }
            }
            _ if nested > 0 => {}
            // BoundSheet8: a worksheet's name (type 0), in the order of the sheets.
            0x0085 if sheet.is_none() => {
                if data.get(5) == Some(&0)
                    && let (Some(&n), Some(&wide)) = (data.get(6), data.get(7))
                {
                    let n = n as usize;
                    let name = if wide & 1 == 1 {
                        let units: Vec<u16> = data[8..(8 + 2 * n).min(data.len())]
                            .chunks_exact(2)
                            .map(|b| u16::from_le_bytes([b[0], b[1]]))
                            .collect();
                        String::from_utf16_lossy(&units)
                    } else {
                        data[8..(8 + n).min(data.len())]
                            .iter()
                            .map(|&b| b as char)
                            .collect()
                    };
                    names.push(name);
                }
            }
            // FilePass: what follows is encrypted, and calamine refuses it as such.
            0x002F => return Luas::default(),
            // Dimensions (BIFF8): first row, last row + 1 (u32), first col, last col + 1.
            0x0200 => {
                if let Some((_, declared)) = sheet.as_mut()
                    && data.len() >= 12
                {
                    let u32_at = |i: usize| {
                        u32::from_le_bytes([data[i], data[i + 1], data[i + 2], data[i + 3]])
                    };
                    let u16_at = |i: usize| u16::from_le_bytes([data[i], data[i + 1]]);
                    let rows = u32_at(4).saturating_sub(u32_at(0)) as u64;
                    let cols = u16_at(10).saturating_sub(u16_at(8)) as u64;
                    *declared = rows * cols;
                }
            }
            _ => {
                if let Some((span, _)) = sheet.as_mut() {
                    cell_positions(typ, data, &mut |r, c| {
                        *span = Some(match *span {
                            None => (r, r, c, c),
                            Some((r0, r1, c0, c1)) => (r0.min(r), r1.max(r), c0.min(c), c1.max(c)),
                        });
                    });
                }
            }
        }
    }
    close(&mut sheet, sheets, &names, &mut luas);
    luas
}

/// An OLE compound file (MS-CFB), read far enough to take one stream out.
struct Cfb<'a> {
    bytes: &'a [u8],
    sector: usize,
    fat: Vec<u32>,
    mini_fat: Vec<u32>,
    dir: Vec<u8>,
    mini_cutoff: u64,
}

const END: u32 = 0xFFFF_FFFE;

impl<'a> Cfb<'a> {
    fn open(bytes: &'a [u8]) -> Option<Result<Cfb<'a>, String>> {
        if !bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            return None;
        }
        Some(Cfb::parse(bytes))
    }

    fn parse(bytes: &'a [u8]) -> Result<Cfb<'a>, String> {
        let broken = |what: &str| format!("wadah OLE rusak: {what}");
        if bytes.len() < 512 {
            return Err(broken("kepala terpotong"));
        }
        let u32_at =
            |i: usize| u32::from_le_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
        let shift = u16::from_le_bytes([bytes[0x1E], bytes[0x1F]]);
        if shift != 9 && shift != 12 {
            return Err(broken("ukuran sektor"));
        }
        let mut c = Cfb {
            bytes,
            sector: 1 << shift,
            fat: Vec::new(),
            mini_fat: Vec::new(),
            dir: Vec::new(),
            mini_cutoff: u32_at(0x38) as u64,
        };
        // The FAT's own sectors: 109 in the header, the rest in the DIFAT chain.
        let mut fat_sectors: Vec<u32> = (0..109).map(|i| u32_at(0x4C + i * 4)).collect();
        let mut difat = u32_at(0x44);
        let mut guard = 0;
        while difat < 0xFFFF_FFFA {
            let s = c.sector_bytes(difat).ok_or_else(|| broken("DIFAT"))?;
            let n = c.sector / 4 - 1;
            fat_sectors.extend(
                (0..n).map(|i| u32::from_le_bytes(s[i * 4..i * 4 + 4].try_into().unwrap())),
            );
            difat = u32::from_le_bytes(s[n * 4..n * 4 + 4].try_into().unwrap());
            guard += 1;
            if guard > bytes.len() / c.sector {
                return Err(broken("rantai DIFAT berputar"));
            }
        }
        for s in fat_sectors.into_iter().filter(|s| *s < 0xFFFF_FFFA) {
            let b = c.sector_bytes(s).ok_or_else(|| broken("FAT"))?;
            c.fat.extend(
                b.chunks_exact(4)
                    .map(|x| u32::from_le_bytes(x.try_into().unwrap())),
            );
        }
        c.dir = c
            .chain(u32_at(0x30), None)
            .ok_or_else(|| broken("direktori"))?;
        if u32_at(0x3C) < 0xFFFF_FFFA {
            let mf = c
                .chain(u32_at(0x3C), None)
                .ok_or_else(|| broken("mini FAT"))?;
            c.mini_fat = mf
                .chunks_exact(4)
                .map(|x| u32::from_le_bytes(x.try_into().unwrap()))
                .collect();
        }
        Ok(c)
    }

    fn sector_bytes(&self, n: u32) -> Option<&'a [u8]> {
        let start = (n as usize + 1).checked_mul(self.sector)?;
        self.bytes.get(start..start + self.sector).or_else(|| {
            // The last sector may be cut short by writers that do not pad.
            self.bytes.get(start..).filter(|b| !b.is_empty())
        })
    }

    /// A chain of sectors from the FAT, as bytes, cut to `size` when given.
    fn chain(&self, mut s: u32, size: Option<u64>) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        let mut steps = 0usize;
        while s != END {
            out.extend_from_slice(self.sector_bytes(s)?);
            s = *self.fat.get(s as usize)?;
            steps += 1;
            if steps > self.fat.len()
                || size.is_some_and(|n| out.len() as u64 >= n + self.sector as u64)
            {
                return None;
            }
        }
        if let Some(n) = size {
            out.truncate(n as usize);
        }
        Some(out)
    }

    /// The named stream, if the directory holds it.
    fn stream(&self, name: &str) -> Option<Result<Vec<u8>, String>> {
        let broken = |what: &str| format!("wadah OLE rusak: {what}");
        let want: Vec<u16> = name.encode_utf16().collect();
        let entries: Vec<&[u8]> = self.dir.chunks_exact(128).collect();
        let root = entries.first()?;
        let entry = entries.iter().find(|e| {
            let len = (u16::from_le_bytes([e[64], e[65]]) as usize).min(64);
            let units: Vec<u16> = e[..len.saturating_sub(2)]
                .chunks_exact(2)
                .map(|b| u16::from_le_bytes([b[0], b[1]]))
                .collect();
            e[66] == 2
                && units.len() == want.len()
                && units.iter().zip(&want).all(|(a, b)| {
                    char::from_u32(*a as u32).map(|c| c.to_ascii_uppercase())
                        == char::from_u32(*b as u32).map(|c| c.to_ascii_uppercase())
                })
        })?;
        let start = u32::from_le_bytes(entry[116..120].try_into().unwrap());
        // Version 3 files keep only the low half of the size.
        let size = u32::from_le_bytes(entry[120..124].try_into().unwrap()) as u64;
        if size >= self.mini_cutoff {
            return Some(
                self.chain(start, Some(size))
                    .ok_or_else(|| broken("aliran Workbook")),
            );
        }
        // A small stream lives in the mini stream, 64-byte sectors chained by the mini FAT.
        let ministream =
            match self.chain(u32::from_le_bytes(root[116..120].try_into().unwrap()), None) {
                Some(m) => m,
                None => return Some(Err(broken("mini stream"))),
            };
        let mut out = Vec::new();
        let mut s = start;
        let mut steps = 0usize;
        while s != END && (out.len() as u64) < size {
            let at = s as usize * 64;
            match ministream.get(at..at + 64) {
                Some(b) => out.extend_from_slice(b),
                None => return Some(Err(broken("mini sektor"))),
            }
            s = match self.mini_fat.get(s as usize) {
                Some(n) => *n,
                None => return Some(Err(broken("mini FAT"))),
            };
            steps += 1;
            if steps > self.mini_fat.len() {
                return Some(Err(broken("rantai mini FAT berputar")));
            }
        }
        out.truncate(size as usize);
        Some(Ok(out))
    }
}
