//! People a letter names besides the applicant (heirs, the family moving with them, the
//! members of a family card): typed one person per line (or separated by `|`), each as
//! `Nama; NIK; Hubungan`, checked like the applicant, and kept in one canonical text.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::daftar::Daftar;
use crate::domain::{identity, teks};

/// The most people one letter lists.
pub const ORANG_MAKS: usize = 30;
const HUBUNGAN_MAKS: usize = 40;

/// One person on a letter's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Orang {
    pub nama: String,
    pub nik: String,
    /// Relation to the applicant or to the person the letter is about: the SHDK word
    /// when it is one (`Anak`, `Istri`), else as typed (`Saudara kandung`).
    pub hubungan: String,
}

/// Reads a typed list, or says which person and what is wrong.
pub fn parse_daftar(v: &str, today: NaiveDate) -> Result<Vec<Orang>, String> {
    let mut out = Vec::new();
    for (i, line) in v
        .split(['\n', '|'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
    {
        let which = i + 1;
        let parts: Vec<&str> = line.split(';').map(str::trim).collect();
        let [nama, nik, hubungan] = parts[..] else {
            return Err(format!(
                "orang ke-{which} (`{line}`) harus ditulis Nama; NIK; Hubungan"
            ));
        };
        let nama = teks::periksa(nama, teks::NAMA_MAKS)
            .map_err(|e| format!("orang ke-{which}: nama {e}"))?;
        let nik = identity::parse_nik(nik, today)
            .map_err(|e| format!("orang ke-{which} ({nama}): {e}"))?
            .nik;
        let hubungan = match Daftar::Shdk.cari(hubungan) {
            Ok(word) => word.to_string(),
            Err(_) => teks::periksa(hubungan, HUBUNGAN_MAKS)
                .map_err(|e| format!("orang ke-{which} ({nama}): hubungan {e}"))?,
        };
        out.push(Orang {
            nama,
            nik,
            hubungan,
        });
    }
    if out.is_empty() {
        return Err("daftar orang kosong; tulis Nama; NIK; Hubungan, satu orang per baris".into());
    }
    if out.len() > ORANG_MAKS {
        return Err(format!(
            "{} orang; satu surat paling banyak {ORANG_MAKS}",
            out.len()
        ));
    }
    Ok(out)
}

/// The canonical text a list is stored as: `Nama; NIK; Hubungan | …`.
pub fn format_daftar(list: &[Orang]) -> String {
    list.iter()
        .map(|o| format!("{}; {}; {}", o.nama, o.nik, o.hubungan))
        .collect::<Vec<_>>()
        .join(" | ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()
    }

    #[test]
    fn a_list_is_read_checked_and_kept_in_one_form() {
        let list = parse_daftar(
            "Siti Aminah; 1571094506900003; isteri\nBudi;1571091203850021;Saudara kandung",
            today(),
        )
        .unwrap();
        assert_eq!(list[0].hubungan, "Istri");
        assert_eq!(list[1].hubungan, "Saudara kandung");
        let text = format_daftar(&list);
        assert_eq!(parse_daftar(&text, today()).unwrap(), list);
        let e = parse_daftar("Siti; 123; Anak", today()).unwrap_err();
        assert!(e.starts_with("orang ke-1 (Siti): NIK"), "{e}");
        let e = parse_daftar("Siti Aminah, 1571094506900003", today()).unwrap_err();
        assert!(e.contains("Nama; NIK; Hubungan"), "{e}");
    }
}
