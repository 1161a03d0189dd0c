//! Letter numbers from the office's pattern, file names made from them, and the
//! verification code printed on each letter. Pure.

use crate::domain::calendar;

/// Placeholders a numbering pattern may use.
pub const FIELDS: [&str; 7] = [
    "kode_klasifikasi",
    "urut",
    "urut:03",
    "kode_unit",
    "bulan",
    "bulan_romawi",
    "tahun",
];

/// The values a letter number is made of.
#[derive(Debug, Clone)]
pub struct NomorParts<'a> {
    pub kode_klasifikasi: &'a str,
    pub urut: i64,
    pub kode_unit: &'a str,
    pub bulan: u32,
    pub tahun: i32,
}

/// Checks a pattern: known placeholders only, with the sequence and the year.
pub fn check_pattern(pola: &str) -> Result<(), String> {
    let mut rest = pola;
    let mut seen = Vec::new();
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let end = after
            .find('}')
            .ok_or("ada `{` tanpa pasangan `}`".to_string())?;
        let name = &after[..end];
        if !FIELDS.contains(&name) {
            return Err(format!(
                "unsur `{{{name}}}` tidak dikenal; yang dikenal: {}",
                FIELDS.map(|f| format!("{{{f}}}")).join(" ")
            ));
        }
        seen.push(name);
        rest = &after[end + 1..];
    }
    if !seen.iter().any(|s| s.starts_with("urut")) {
        return Err("pola harus memuat {urut} atau {urut:03}".into());
    }
    if !seen.contains(&"tahun") {
        return Err("pola harus memuat {tahun}, karena nomor urut mulai lagi setiap tahun".into());
    }
    Ok(())
}

/// `{kode_klasifikasi}/{urut:03}/{kode_unit}/{bulan_romawi}/{tahun}` ->
/// `400.12.3.2/007/RWS/XI/2026`. The pattern has been checked on load.
pub fn format_nomor(pola: &str, p: &NomorParts) -> String {
    pola.replace("{kode_klasifikasi}", p.kode_klasifikasi)
        .replace("{urut:03}", &format!("{:03}", p.urut))
        .replace("{urut}", &p.urut.to_string())
        .replace("{kode_unit}", p.kode_unit)
        .replace("{bulan_romawi}", calendar::bulan_romawi(p.bulan))
        .replace("{bulan}", &format!("{:02}", p.bulan))
        .replace("{tahun}", &p.tahun.to_string())
}

/// The sequence number and year of a letter number written in the office's pattern
/// (`400.12.3.2/007/RWS/XI/2026` -> `(7, 2026)`), so letters imported from the old
/// register keep their place in the year's sequence. `None` when the number was
/// written some other way.
pub fn parse_nomor(pola: &str, nomor: &str) -> Option<(i64, i32)> {
    enum Tok<'a> {
        Lit(&'a str),
        Field(&'a str),
    }
    let mut toks = Vec::new();
    let mut rest = pola;
    while let Some(start) = rest.find('{') {
        if start > 0 {
            toks.push(Tok::Lit(&rest[..start]));
        }
        let end = rest[start..].find('}')? + start;
        toks.push(Tok::Field(&rest[start + 1..end]));
        rest = &rest[end + 1..];
    }
    if !rest.is_empty() {
        toks.push(Tok::Lit(rest));
    }
    let mut text = nomor.trim();
    let (mut urut, mut tahun) = (None, None);
    for (i, tok) in toks.iter().enumerate() {
        match tok {
            Tok::Lit(l) => text = text.strip_prefix(l)?,
            Tok::Field(f) => {
                // A field runs to the next literal, or to the end.
                let value = match toks.get(i + 1) {
                    Some(Tok::Lit(l)) => {
                        let at = text.find(l)?;
                        &text[..at]
                    }
                    _ => text,
                };
                text = &text[value.len()..];
                let digits = !value.is_empty() && value.chars().all(|c| c.is_ascii_digit());
                match *f {
                    "urut" | "urut:03" if digits => urut = value.parse().ok(),
                    "tahun" if digits && value.len() == 4 => tahun = value.parse().ok(),
                    "bulan" if digits => {}
                    "bulan_romawi" if (1..=12).any(|m| calendar::bulan_romawi(m) == value) => {}
                    "kode_klasifikasi" | "kode_unit" if !value.is_empty() => {}
                    _ => return None,
                }
            }
        }
    }
    if !text.is_empty() {
        return None;
    }
    Some((urut.filter(|u| *u > 0)?, tahun?))
}

/// A file name from a letter number: `400.12.3.2-007-RWS-XI-2026`. Never personal data.
pub fn file_stem(nomor: &str) -> String {
    nomor
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// The sequence number and year of a letter from its file's stem (what [`file_stem`]
/// made of its number under `pola`): the pattern's literals are spelled as `file_stem`
/// spells them, its fields are read as [`parse_nomor`] reads them.
pub fn parse_file_stem(pola: &str, stem: &str) -> Option<(i64, i32)> {
    let mut spelled = String::new();
    let mut rest = pola;
    while let Some(start) = rest.find('{') {
        spelled.push_str(&file_stem(&rest[..start]));
        let end = rest[start..].find('}')? + start;
        spelled.push_str(&rest[start..=end]);
        rest = &rest[end + 1..];
    }
    spelled.push_str(&file_stem(rest));
    parse_nomor(&spelled, stem)
}

/// 32 symbols without 0/O and 1/I, so a code read off paper is typed back right.
const ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/// A verification code from 60 random bits: `K7QM-2XHD-9RTB`. It says nothing about
/// the letter's number, so it cannot be guessed from it.
pub fn verification_code(random: u64) -> String {
    let mut s = String::with_capacity(14);
    for i in 0..12 {
        if i > 0 && i % 4 == 0 {
            s.push('-');
        }
        let idx = (random >> (i * 5)) & 31;
        s.push(ALPHABET[idx as usize] as char);
    }
    s
}

/// What a person typed back, in the stored form: capitals, dashes where they belong,
/// and the look-alike letters read as what the alphabet means.
pub fn normalize_code(typed: &str) -> String {
    let raw: String = typed
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' => '1',
            c => c,
        })
        .collect();
    let mut s = String::new();
    for (i, c) in raw.chars().enumerate() {
        if i > 0 && i % 4 == 0 {
            s.push('-');
        }
        s.push(c);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_stem_gives_back_its_number() {
        let pola = "{kode_klasifikasi}/{urut:03}/{kode_unit}/{bulan_romawi}/{tahun}";
        let stem = file_stem("400.12.3.2/260/RWS/XI/2026");
        assert_eq!(stem, "400.12.3.2-260-RWS-XI-2026");
        assert_eq!(parse_file_stem(pola, &stem), Some((260, 2026)));
        assert_eq!(parse_file_stem(pola, "laporan-2026-11"), None);
    }

    #[test]
    fn the_default_pattern() {
        let p = NomorParts {
            kode_klasifikasi: "400.12.3.2",
            urut: 7,
            kode_unit: "RWS",
            bulan: 11,
            tahun: 2026,
        };
        let n = format_nomor(
            "{kode_klasifikasi}/{urut:03}/{kode_unit}/{bulan_romawi}/{tahun}",
            &p,
        );
        assert_eq!(n, "400.12.3.2/007/RWS/XI/2026");
        assert_eq!(file_stem(&n), "400.12.3.2-007-RWS-XI-2026");
        assert_eq!(format_nomor("{urut}/{bulan}/{tahun}", &p), "7/11/2026");
        assert!(check_pattern("{urut}/{tahun}").is_ok());
        assert!(check_pattern("{nomor}/{tahun}").is_err());
        assert!(check_pattern("{urut}/2026").is_err());
    }

    #[test]
    fn numbers_read_back() {
        let pola = "{kode_klasifikasi}/{urut:03}/{kode_unit}/{bulan_romawi}/{tahun}";
        assert_eq!(
            parse_nomor(pola, "400.12.3.2/007/RWS/XI/2026"),
            Some((7, 2026))
        );
        assert_eq!(
            parse_nomor(pola, " 500.2.2.4/120/RWS/I/2022 "),
            Some((120, 2022))
        );
        assert_eq!(parse_nomor(pola, "470/12/RWS/2022"), None);
        assert_eq!(parse_nomor(pola, "400.12.3.2/007/RWS/XIII/2026"), None);
        assert_eq!(
            parse_nomor("{urut}/{bulan}/{tahun}", "7/11/2026"),
            Some((7, 2026))
        );
        assert_eq!(parse_nomor("{urut}/{bulan}/{tahun}", "7/11/2026/x"), None);
    }

    #[test]
    fn codes() {
        let c = verification_code(0x0123_4567_89AB_CDEF);
        assert_eq!(c.len(), 14);
        assert!(
            c.chars()
                .all(|ch| ch == '-' || ALPHABET.contains(&(ch as u8)))
        );
        assert_eq!(normalize_code(&c.to_lowercase().replace('-', " ")), c);
        assert_ne!(verification_code(1), verification_code(2));
    }
}
