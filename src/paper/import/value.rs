//! Reading one cell's value the way the office typed it: dates (Excel's, or text in the
//! forms people write in Indonesia), NIK/KK numbers, register numbers. Pure.

use chrono::NaiveDate;

use super::read::Nilai;

const BULAN: [&str; 12] = [
    "januari",
    "februari",
    "maret",
    "april",
    "mei",
    "juni",
    "juli",
    "agustus",
    "september",
    "oktober",
    "november",
    "desember",
];

/// Month from its Indonesian (or English) name or three-letter short form.
fn month_name(s: &str) -> Option<u32> {
    let s = s.trim_end_matches('.').to_lowercase();
    if s.len() < 3 {
        return None;
    }
    let english = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let short_alias = [
        ("agt", 8),
        ("agu", 8),
        ("ags", 8),
        ("okt", 10),
        ("nop", 11),
        ("des", 12),
        ("pebruari", 2),
        ("peb", 2),
        ("nopember", 11),
    ];
    if let Some((_, m)) = short_alias.iter().find(|(a, _)| *a == s) {
        return Some(*m);
    }
    for (i, (id, en)) in BULAN.iter().zip(english).enumerate() {
        if *id == s || en == s || (s.len() == 3 && (id.starts_with(&s) || en.starts_with(&s))) {
            return Some(i as u32 + 1);
        }
    }
    None
}

/// Two-digit years are this century's.
fn full_year(y: i32) -> i32 {
    if y < 100 { 2000 + y } else { y }
}

/// A date typed as text: `12 Januari 2022`, `Senin, 12 Januari 2022`, `12 Jan 2022`,
/// `12-01-2022`, `12/1/22`, `12.01.2022`, `2022-01-12`. Day first, as in Indonesia.
pub fn parse_text_date(s: &str) -> Option<NaiveDate> {
    let mut t = s.trim().to_string();
    // "Senin, 12 Januari 2022": the weekday adds nothing.
    if let Some((head, rest)) = t.split_once(',')
        && head.trim().chars().all(char::is_alphabetic)
    {
        t = rest.trim().to_string();
    }
    // A time after the date ("12-01-2022 09:30") is dropped.
    let t = match t.split_once(' ') {
        Some((d, time)) if d.contains(['-', '/', '.']) && time.contains(':') => d.to_string(),
        _ => t,
    };
    let parts: Vec<&str> = t
        .split([' ', '-', '/', '.'])
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() != 3 {
        return None;
    }
    let num = |p: &str| -> Option<i32> {
        (p.chars().all(|c| c.is_ascii_digit()) && p.len() <= 4)
            .then(|| p.parse().ok())
            .flatten()
    };
    let (a, b, c) = (parts[0], parts[1], parts[2]);
    let (day, month, year) = if a.len() == 4 && num(a).is_some() {
        (num(c)?, num(b)? as u32, num(a)?)
    } else {
        let month = match num(b) {
            Some(m) => m as u32,
            None => month_name(b)?,
        };
        let year = num(c)?;
        if c.len() != 2 && c.len() != 4 {
            return None;
        }
        (num(a)?, month, full_year(year))
    };
    NaiveDate::from_ymd_opt(year, month, u32::try_from(day).ok()?)
}

/// An Excel serial day number (a date cell that lost its date format).
pub fn serial_date(n: f64, epoch_1904: bool) -> Option<NaiveDate> {
    if n.fract() != 0.0 && n.fract() > 0.9999 {
        return None;
    }
    let days = n.floor() as i64;
    let (base, days) = if epoch_1904 {
        (NaiveDate::from_ymd_opt(1904, 1, 1)?, days)
    } else if days >= 61 {
        // Excel's 1900 counts a 29 February 1900 that never was.
        (NaiveDate::from_ymd_opt(1899, 12, 30)?, days)
    } else {
        (NaiveDate::from_ymd_opt(1899, 12, 31)?, days)
    };
    base.checked_add_signed(chrono::Duration::days(days))
}

/// What a date cell says, whatever its form.
pub enum Tanggal {
    Kosong,
    Ok(NaiveDate),
    Galat(String),
    /// Not a date, or not a possible one: the text as read.
    TidakSah(String),
}

/// A date cell, accepted between `earliest` and `latest`.
pub fn tanggal(v: &Nilai, epoch_1904: bool, earliest: NaiveDate, latest: NaiveDate) -> Tanggal {
    let d = match v {
        Nilai::Kosong => return Tanggal::Kosong,
        Nilai::Teks(t) if t.trim().is_empty() => return Tanggal::Kosong,
        Nilai::Galat(e) => return Tanggal::Galat(e.clone()),
        Nilai::Waktu(t) => Some(t.date()),
        // A plausible serial only: a bare "12" in a date column is not a date.
        Nilai::Angka(n) if (20_000.0..80_000.0).contains(n) => serial_date(*n, epoch_1904),
        Nilai::Angka(_) => None,
        Nilai::Teks(t) => parse_text_date(t),
    };
    match d {
        Some(d) if d >= earliest && d <= latest => Tanggal::Ok(d),
        _ => Tanggal::TidakSah(v.text()),
    }
}

/// A NIK or KK as written: text with spaces, apostrophes, non-breaking spaces or dots
/// cleaned; a number cell written out in full. The flag says it was a number.
pub fn nomor_identitas(v: &Nilai) -> (String, bool) {
    match v {
        Nilai::Angka(n) if n.fract() == 0.0 && *n >= 0.0 && *n < 1e17 => {
            (format!("{}", *n as u64), true)
        }
        other => (
            other
                .text()
                .chars()
                .filter(|c| {
                    !c.is_whitespace()
                        && !matches!(
                            c,
                            '\'' | '’' | '‘' | '`' | '.' | '-' | '\u{a0}' | '\u{200b}'
                                ..='\u{200d}' | '\u{2060}' | '\u{feff}'
                        )
                })
                .collect(),
            false,
        ),
    }
}

/// A register number as the file wrote it: `0042/2026`, `42`, `42/RWS/2026`. The year
/// is the number's own, else the request's.
pub fn nomor_register(v: &Nilai, tahun: i32) -> Option<(i64, i32)> {
    let t = v.text();
    let t = t.trim();
    let digits: String = t.chars().take_while(|c| c.is_ascii_digit()).collect();
    let urut: i64 = digits.parse().ok().filter(|u| *u > 0)?;
    let year = t[digits.len()..]
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| p.len() == 4)
        .filter_map(|p| p.parse::<i32>().ok())
        .find(|y| (1990..=2100).contains(y));
    Some((urut, year.unwrap_or(tahun)))
}

/// `009/002`, `9 / 2`, `RT 9 RW 2` -> ("9", "2").
pub fn rt_rw(t: &str) -> Option<(String, String)> {
    let nums: Vec<&str> = t
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .collect();
    match nums.as_slice() {
        [rt, rw] => Some((rt.to_string(), rw.to_string())),
        _ => None,
    }
}

/// RT or RW in the register's form (`009`), if it is a number 1..=999.
pub fn rt(t: &str) -> Option<String> {
    let t = t
        .trim()
        .trim_start_matches(|c: char| c.is_alphabetic() || c == '.' || c == ' ');
    match t.parse::<u32>() {
        Ok(n) if (1..=999).contains(&n) => Some(format!("{n:03}")),
        _ => None,
    }
}

/// Years a request date may fall in: the office's registers start this century.
pub fn earliest() -> NaiveDate {
    NaiveDate::from_ymd_opt(2000, 1, 1).expect("valid")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn dates_as_people_type_them() {
        let want = Some(d(2022, 1, 12));
        for s in [
            "12 Januari 2022",
            "12-01-2022",
            "12/1/22",
            "12 Jan 2022",
            "Senin, 12 Januari 2022",
            "12.01.2022",
            "2022-01-12",
            " 12  januari 2022 ",
            "12-01-2022 09:30",
        ] {
            assert_eq!(parse_text_date(s), want, "{s}");
        }
        assert_eq!(parse_text_date("12 Agt 2022"), Some(d(2022, 8, 12)));
        assert_eq!(parse_text_date("31-02-2022"), None);
        assert_eq!(parse_text_date("kemarin"), None);
        assert_eq!(parse_text_date("12 Sakti 2022"), None);
    }

    #[test]
    fn serials_in_both_systems() {
        assert_eq!(serial_date(44573.0, false), Some(d(2022, 1, 12)));
        assert_eq!(serial_date(43111.0, true), Some(d(2022, 1, 12)));
    }

    #[test]
    fn identity_numbers_cleaned() {
        let t = |s: &str| nomor_identitas(&Nilai::Teks(s.into()));
        assert_eq!(t("1571 0945 0690 0003"), ("1571094506900003".into(), false));
        assert_eq!(t("'1571094506900003"), ("1571094506900003".into(), false));
        assert_eq!(
            t("1571094506900003\u{a0}"),
            ("1571094506900003".into(), false)
        );
        assert_eq!(
            nomor_identitas(&Nilai::Angka(1571094506900000.0)),
            ("1571094506900000".into(), true)
        );
    }

    #[test]
    fn register_numbers() {
        let t = |s: &str| nomor_register(&Nilai::Teks(s.into()), 2022);
        assert_eq!(t("0042/2026"), Some((42, 2026)));
        assert_eq!(t("42"), Some((42, 2022)));
        assert_eq!(t("42/RWS/2021"), Some((42, 2021)));
        assert_eq!(nomor_register(&Nilai::Angka(7.0), 2022), Some((7, 2022)));
        assert_eq!(t("-"), None);
        assert_eq!(rt_rw("009/002"), Some(("009".into(), "002".into())));
        assert_eq!(rt("9"), Some("009".into()));
        assert_eq!(rt("RT 09"), Some("009".into()));
    }
}
