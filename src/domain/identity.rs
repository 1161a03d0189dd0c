//! Indonesian identity numbers: NIK and KK (16 digits, kept as text) and NIP (18 digits),
//! checked against their structure, and the masked form used outside the office.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// Province codes of Kemendagri (38 provinces, including the 2022 Papua provinces).
const PROVINSI: [(&str, &str); 38] = [
    ("11", "Aceh"),
    ("12", "Sumatera Utara"),
    ("13", "Sumatera Barat"),
    ("14", "Riau"),
    ("15", "Jambi"),
    ("16", "Sumatera Selatan"),
    ("17", "Bengkulu"),
    ("18", "Lampung"),
    ("19", "Kepulauan Bangka Belitung"),
    ("21", "Kepulauan Riau"),
    ("31", "DKI Jakarta"),
    ("32", "Jawa Barat"),
    ("33", "Jawa Tengah"),
    ("34", "DI Yogyakarta"),
    ("35", "Jawa Timur"),
    ("36", "Banten"),
    ("51", "Bali"),
    ("52", "Nusa Tenggara Barat"),
    ("53", "Nusa Tenggara Timur"),
    ("61", "Kalimantan Barat"),
    ("62", "Kalimantan Tengah"),
    ("63", "Kalimantan Selatan"),
    ("64", "Kalimantan Timur"),
    ("65", "Kalimantan Utara"),
    ("71", "Sulawesi Utara"),
    ("72", "Sulawesi Tengah"),
    ("73", "Sulawesi Selatan"),
    ("74", "Sulawesi Tenggara"),
    ("75", "Gorontalo"),
    ("76", "Sulawesi Barat"),
    ("81", "Maluku"),
    ("82", "Maluku Utara"),
    ("91", "Papua Barat"),
    ("92", "Papua"),
    ("93", "Papua Selatan"),
    ("94", "Papua Tengah"),
    ("95", "Papua Pegunungan"),
    ("96", "Papua Barat Daya"),
];

pub fn nama_provinsi(kode: &str) -> Option<&'static str> {
    PROVINSI.iter().find(|(k, _)| *k == kode).map(|(_, n)| *n)
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdentityError {
    #[error("{field} harus 16 angka (tertulis {len} karakter)")]
    Length { field: &'static str, len: usize },
    #[error("{field} hanya boleh berisi angka")]
    NotDigits { field: &'static str },
    #[error("{field}: kode provinsi {code} tidak dikenal")]
    Province { field: &'static str, code: String },
    #[error("{field}: kode kabupaten/kota atau kecamatan tidak boleh 00")]
    Region { field: &'static str },
    #[error("NIK: tanggal lahir di dalam NIK tidak sah ({0})")]
    BirthDate(String),
    #[error("NIK: tanggal lahir di dalam NIK ada di masa depan")]
    FutureBirth,
    #[error("{field}: nomor urut 0000 tidak sah")]
    Serial { field: &'static str },
    #[error("NIP harus 18 angka (tertulis {0} karakter)")]
    NipLength(usize),
    #[error("NIP tidak sah: {0}")]
    Nip(&'static str),
}

/// What a valid NIK says about its holder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NikInfo {
    pub nik: String,
    pub provinsi: String,
    pub kabupaten_kota: String,
    pub kecamatan: String,
    pub tanggal_lahir: NaiveDate,
    pub perempuan: bool,
}

/// Removes the spaces, dots and dashes people type inside long numbers.
pub fn normalize_number(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '\u{a0}'))
        .collect()
}

fn sixteen_digits(field: &'static str, s: &str) -> Result<String, IdentityError> {
    let n = normalize_number(s);
    if !n.chars().all(|c| c.is_ascii_digit()) {
        return Err(IdentityError::NotDigits { field });
    }
    if n.len() != 16 {
        return Err(IdentityError::Length {
            field,
            len: n.chars().count(),
        });
    }
    let prov = &n[0..2];
    if nama_provinsi(prov).is_none() {
        return Err(IdentityError::Province {
            field,
            code: prov.to_string(),
        });
    }
    if &n[2..4] == "00" || &n[4..6] == "00" {
        return Err(IdentityError::Region { field });
    }
    if &n[12..16] == "0000" {
        return Err(IdentityError::Serial { field });
    }
    Ok(n)
}

/// Checks a NIK: 16 digits, a known province, a region, a real birth date (day + 40 for
/// women) not after `today`, a non-zero serial.
pub fn parse_nik(s: &str, today: NaiveDate) -> Result<NikInfo, IdentityError> {
    let n = sixteen_digits("NIK", s)?;
    let num = |a: usize, b: usize| n[a..b].parse::<u32>().expect("digits");
    let (mut day, month, yy) = (num(6, 8), num(8, 10), num(10, 12));
    let perempuan = day > 40;
    if perempuan {
        day -= 40;
    }
    // Two-digit year: the latest century that does not put the birth in the future.
    let this_century = today.year() - today.year() % 100;
    let mut year = this_century + yy as i32;
    if year > today.year() {
        year -= 100;
    }
    let date = NaiveDate::from_ymd_opt(year, month, day)
        .ok_or_else(|| IdentityError::BirthDate(format!("hari {day}, bulan {month}")))?;
    if date > today {
        return Err(IdentityError::FutureBirth);
    }
    Ok(NikInfo {
        provinsi: n[0..2].to_string(),
        kabupaten_kota: n[0..4].to_string(),
        kecamatan: n[0..6].to_string(),
        tanggal_lahir: date,
        perempuan,
        nik: n,
    })
}

/// Checks a KK number: 16 digits, a known province, a region, a non-zero serial.
pub fn parse_kk(s: &str) -> Result<String, IdentityError> {
    sixteen_digits("Nomor KK", s)
}

/// `1571094506900003` -> `1571xxxxxxxx0003`, the form that leaves the building.
pub fn mask(nik: &str) -> String {
    let chars: Vec<char> = nik.chars().collect();
    if chars.len() <= 8 {
        return "x".repeat(chars.len());
    }
    let n = chars.len();
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| if i < 4 || i >= n - 4 { *c } else { 'x' })
        .collect()
}

/// Checks a NIP (civil servant number): birth date, appointment month, sex, serial.
/// Returns it as 18 digits.
pub fn parse_nip(s: &str) -> Result<String, IdentityError> {
    let n = normalize_number(s);
    if !n.chars().all(|c| c.is_ascii_digit()) {
        return Err(IdentityError::Nip("hanya boleh berisi angka"));
    }
    if n.len() != 18 {
        return Err(IdentityError::NipLength(n.chars().count()));
    }
    let num = |a: usize, b: usize| n[a..b].parse::<u32>().expect("digits");
    if NaiveDate::from_ymd_opt(num(0, 4) as i32, num(4, 6), num(6, 8)).is_none() {
        return Err(IdentityError::Nip("8 angka pertama bukan tanggal lahir"));
    }
    if !(1..=12).contains(&num(12, 14)) {
        return Err(IdentityError::Nip("angka 9-14 bukan bulan pengangkatan"));
    }
    if !matches!(&n[14..15], "1" | "2") {
        return Err(IdentityError::Nip(
            "angka ke-15 (jenis kelamin) harus 1 atau 2",
        ));
    }
    Ok(n)
}

/// `196706191990061001` -> `19670619 199006 1 001`
pub fn format_nip(nip: &str) -> String {
    if nip.len() != 18 || !nip.chars().all(|c| c.is_ascii_digit()) {
        return nip.to_string();
    }
    format!(
        "{} {} {} {}",
        &nip[0..8],
        &nip[8..14],
        &nip[14..15],
        &nip[15..18]
    )
}

/// A name with each word's first letter kept: `Siti Aminah` → `S*** A*****`.
pub fn mask_name(nama: &str) -> String {
    nama.split_whitespace()
        .map(|w| {
            let mut cs = w.chars();
            let first: String = cs.next().into_iter().collect();
            first + &"*".repeat(cs.count())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()
    }

    #[test]
    fn woman_born_1990() {
        let i = parse_nik("1571094506900003", today()).unwrap();
        assert!(i.perempuan);
        assert_eq!(
            i.tanggal_lahir,
            NaiveDate::from_ymd_opt(1990, 6, 5).unwrap()
        );
        assert_eq!(i.kecamatan, "157109");
    }

    #[test]
    fn man_born_2004_with_spaces() {
        let i = parse_nik("1571 0912 0304 0021", today()).unwrap();
        assert!(!i.perempuan);
        assert_eq!(i.tanggal_lahir.year(), 2004);
    }

    #[test]
    fn refusals() {
        use IdentityError::*;
        let t = today();
        assert!(matches!(
            parse_nik("157109450690003", t),
            Err(Length { .. })
        ));
        assert!(matches!(
            parse_nik("15710945069000A3", t),
            Err(NotDigits { .. })
        ));
        assert!(matches!(
            parse_nik("9971094506900003", t),
            Err(Province { .. })
        ));
        assert!(matches!(
            parse_nik("1571093206900003", t),
            Err(BirthDate(_))
        ));
        assert!(matches!(
            parse_nik("1571097306900003", t),
            Err(BirthDate(_))
        ));
        assert!(matches!(
            parse_nik("1571093002900003", t),
            Err(BirthDate(_))
        ));
        assert!(matches!(
            parse_nik("1571090506900000", t),
            Err(Serial { .. })
        ));
        assert!(matches!(
            parse_nik("1500090506900001", t),
            Err(Region { .. })
        ));
    }

    #[test]
    fn masks_and_nip() {
        assert_eq!(mask("1571094506900003"), "1571xxxxxxxx0003");
        assert_eq!(format_nip("196706191990061001"), "19670619 199006 1 001");
        assert!(parse_nip("19670619 199006 1 001").is_ok());
        assert!(parse_nip("196706191990061").is_err());
        assert!(parse_nip("196713191990061001").is_err());
        assert!(parse_nip("196706191990063001").is_err());
    }
}
