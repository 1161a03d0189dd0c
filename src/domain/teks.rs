//! Text a person types, checked by one rule wherever it is typed (the counter, the web
//! form, a move's name and note, a refusal's reason, an imported row): what a terminal or
//! a letter cannot show faithfully is refused there, naming the field, never stored to
//! fail later at stage 4.

/// Longest values, in characters (documented in README, "Batas isian").
pub const NAMA_MAKS: usize = 120;
pub const ALAMAT_MAKS: usize = 200;
pub const KEPERLUAN_MAKS: usize = 200;
pub const ISIAN_MAKS: usize = 200;
pub const OLEH_MAKS: usize = 80;
pub const CATATAN_MAKS: usize = 500;

/// Characters the program's own fonts print (Liberation Serif and Sans: Latin, Greek,
/// Cyrillic and their marks; Symbola: symbols and emoji). Arabic, Javanese or Chinese
/// script is refused at intake, since the letter could not print it.
const PRINTABLE: &[(u32, u32)] = &[
    (0x0020, 0x007E),
    (0x00A0, 0x036F),
    (0x0370, 0x03FF),
    (0x0400, 0x052F),
    (0x1E00, 0x1EFF),
    (0x2010, 0x2027),
    (0x2030, 0x205E),
    (0x20A0, 0x20C0),
    (0x2100, 0x2BFF),
    (0x1F300, 0x1FAFF),
];

/// Characters that show nothing: a name made only of them is an empty name.
fn invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{00AD}')
}

/// Characters that reorder or hide what follows on a terminal or a page.
fn disguising(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn printable(c: char) -> bool {
    let c = c as u32;
    PRINTABLE.iter().any(|(a, b)| (*a..=*b).contains(&c))
}

/// `s` trimmed, if it can be stored and printed: no control or disguising character,
/// something visible, at most `maks` characters, every character printable. The error is
/// the reason in Indonesian, without the field's name (the caller names it).
pub fn periksa(s: &str, maks: usize) -> Result<String, String> {
    let t = s.trim();
    if let Some(c) = t.chars().find(|c| c.is_control() || disguising(*c)) {
        return Err(format!(
            "memuat karakter kendali (U+{:04X}) yang tidak dapat ditampilkan",
            c as u32
        ));
    }
    if !t.chars().any(|c| !c.is_whitespace() && !invisible(c)) {
        return Err("kosong atau hanya berisi karakter tak terlihat".into());
    }
    let n = t.chars().count();
    if n > maks {
        return Err(format!(
            "terlalu panjang: {n} karakter, paling banyak {maks}"
        ));
    }
    let mut bad: Vec<String> = Vec::new();
    for c in t.chars().filter(|c| !printable(*c) && !invisible(*c)) {
        let shown = format!("«{c}» (U+{:04X})", c as u32);
        if !bad.contains(&shown) {
            bad.push(shown);
        }
        if bad.len() == 5 {
            break;
        }
    }
    if !bad.is_empty() {
        return Err(format!(
            "memuat huruf yang tidak dapat dicetak huruf surat program ini: {}; tulis dengan huruf Latin",
            bad.join(", ")
        ));
    }
    Ok(t.to_string())
}

/// A name as a search compares it: lower case, every run of characters that are not
/// letters or digits one space (`H. Ahmad` and `h ahmad` are the same name).
pub fn bentuk_cari(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// The places a name search may start: the name from each of its words on, in search
/// form (`Siti Nur Aminah`: `siti nur aminah`, `nur aminah`, `aminah`). A search for
/// the start of any of them (`aminah`, `nur ami`) finds the name in one index range
/// instead of reading every name.
pub fn awal_kata(nama: &str) -> Vec<String> {
    let n = bentuk_cari(nama);
    std::iter::once(0)
        .chain(n.match_indices(' ').map(|(i, _)| i + 1))
        .filter(|&i| i < n.len())
        .map(|i| n[i..].to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_a_letter_cannot_show_is_refused() {
        assert_eq!(periksa("  Siti Aminah ", 120).unwrap(), "Siti Aminah");
        assert_eq!(
            periksa("Ni Luh Putu Ayu Sekar Wangi, S.Pd.", 120)
                .unwrap()
                .len(),
            34
        );
        assert!(periksa("Ahmad Dahlan bin H. Abdurrahman — ä é ö", 120).is_ok());
        assert!(
            periksa("Siti\u{1b}[31m", 120)
                .unwrap_err()
                .contains("U+001B")
        );
        assert!(periksa("a\u{7}", 120).unwrap_err().contains("kendali"));
        assert!(
            periksa("\u{200B}\u{200B}", 120)
                .unwrap_err()
                .contains("tak terlihat")
        );
        assert!(periksa("   ", 120).is_err());
        assert!(periksa(&"a".repeat(121), 120).unwrap_err().contains("121"));
        assert!(periksa("abc\u{202E}def", 120).is_err());
        let arab = periksa("محمد", 120).unwrap_err();
        assert!(arab.contains("U+0645"), "{arab}");
    }

    #[test]
    fn a_name_is_found_from_the_start_of_any_word() {
        assert_eq!(bentuk_cari("  H. AHMAD  bin-Umar "), "h ahmad bin umar");
        assert_eq!(
            awal_kata("Siti Nur Aminah"),
            ["siti nur aminah", "nur aminah", "aminah"]
        );
        assert_eq!(awal_kata("Ma'ruf"), ["ma ruf", "ruf"]);
        assert_eq!(awal_kata("ÉLISE Ölçer"), ["élise ölçer", "ölçer"]);
        assert!(awal_kata(" .. ").is_empty());
    }
}
