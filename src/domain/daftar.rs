//! The state's fixed lists (Dukcapil's, as on the KTP and KK): religion, marital status,
//! citizenship, relation in the family (SHDK), sex and education. A value typed by hand is taken
//! when it is one of the list's words or a spelling offices use for it, and is stored
//! as the list's own word, so no typo reaches a letter.

use serde::{Deserialize, Serialize};

/// Which list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Daftar {
    Agama,
    StatusPerkawinan,
    Kewarganegaraan,
    Shdk,
    JenisKelamin,
    Pendidikan,
}

/// One entry: the word printed, then other spellings taken for it (compared without case,
/// spaces, dots or hyphens).
type Entri = (&'static str, &'static [&'static str]);

const AGAMA: &[Entri] = &[
    ("Islam", &["moslem", "muslim"]),
    (
        "Kristen",
        &["kristen protestan", "protestan", "kristenprotestan"],
    ),
    ("Katolik", &["katholik", "kristen katolik", "katolic"]),
    ("Hindu", &[]),
    ("Buddha", &["budha", "budda", "buda"]),
    (
        "Khonghucu",
        &["konghucu", "khong hu cu", "kong hu cu", "konghuchu"],
    ),
    (
        "Kepercayaan terhadap Tuhan YME",
        &["kepercayaan", "penghayat kepercayaan", "aliran kepercayaan"],
    ),
];

const STATUS_PERKAWINAN: &[Entri] = &[
    (
        "Belum Kawin",
        &["belum menikah", "lajang", "bujang", "single"],
    ),
    (
        "Kawin",
        &[
            "menikah",
            "sudah menikah",
            "kawin tercatat",
            "kawin belum tercatat",
        ],
    ),
    ("Cerai Hidup", &["cerai", "janda cerai", "duda cerai"]),
    ("Cerai Mati", &["janda mati", "duda mati", "ditinggal mati"]),
];

const KEWARGANEGARAAN: &[Entri] = &[
    ("WNI", &["indonesia", "warga negara indonesia"]),
    ("WNA", &["asing", "warga negara asing"]),
];

const SHDK: &[Entri] = &[
    ("Kepala Keluarga", &["kk", "kepala", "kepala rumah tangga"]),
    ("Suami", &[]),
    ("Istri", &["isteri"]),
    ("Anak", &["anak kandung", "anak angkat", "anak tiri"]),
    ("Menantu", &[]),
    ("Cucu", &[]),
    ("Orang Tua", &["orangtua", "ayah", "ibu", "bapak"]),
    ("Mertua", &[]),
    ("Famili Lain", &["famili", "saudara", "keluarga lain"]),
    ("Pembantu", &[]),
    ("Lainnya", &["lain-lain", "lain lain", "lain"]),
];

const PENDIDIKAN: &[Entri] = &[
    (
        "Tidak/Belum Sekolah",
        &["tidak sekolah", "belum sekolah", "tidak/belum sekolah"],
    ),
    (
        "Belum Tamat SD/Sederajat",
        &["belum tamat sd", "tidak tamat sd"],
    ),
    (
        "Tamat SD/Sederajat",
        &["sd", "tamat sd", "sd/sederajat", "mi"],
    ),
    ("SLTP/Sederajat", &["sltp", "smp", "mts", "smp/sederajat"]),
    (
        "SLTA/Sederajat",
        &["slta", "sma", "smk", "ma", "sma/sederajat", "smk/sederajat"],
    ),
    ("Diploma I/II", &["d1", "d2", "diploma i", "diploma ii"]),
    (
        "Akademi/Diploma III/S. Muda",
        &["d3", "diploma iii", "akademi", "sarjana muda"],
    ),
    (
        "Diploma IV/Strata I",
        &["d4", "s1", "strata i", "diploma iv", "sarjana"],
    ),
    ("Strata II", &["s2", "magister"]),
    ("Strata III", &["s3", "doktor"]),
];

const JENIS_KELAMIN: &[Entri] = &[
    ("Laki-laki", &["l", "lk", "laki", "pria"]),
    ("Perempuan", &["p", "pr", "wanita"]),
];

/// The form spellings are compared in: lower case, without spaces, dots, hyphens,
/// underscores or slashes.
fn key(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '_' | '/'))
        .flat_map(char::to_lowercase)
}

impl Daftar {
    pub const ALL: [Daftar; 6] = [
        Daftar::Agama,
        Daftar::StatusPerkawinan,
        Daftar::Kewarganegaraan,
        Daftar::Shdk,
        Daftar::JenisKelamin,
        Daftar::Pendidikan,
    ];

    fn entri(self) -> &'static [Entri] {
        match self {
            Daftar::Agama => AGAMA,
            Daftar::StatusPerkawinan => STATUS_PERKAWINAN,
            Daftar::Kewarganegaraan => KEWARGANEGARAAN,
            Daftar::Shdk => SHDK,
            Daftar::JenisKelamin => JENIS_KELAMIN,
            Daftar::Pendidikan => PENDIDIKAN,
        }
    }

    /// The list's own words, in its order (for a dropdown, and for error messages).
    pub fn pilihan(self) -> impl Iterator<Item = &'static str> {
        self.entri().iter().map(|e| e.0)
    }

    /// What the list is called in messages.
    pub fn nama(self) -> &'static str {
        match self {
            Daftar::Agama => "agama",
            Daftar::StatusPerkawinan => "status perkawinan",
            Daftar::Kewarganegaraan => "kewarganegaraan",
            Daftar::Shdk => "hubungan dalam keluarga (SHDK)",
            Daftar::JenisKelamin => "jenis kelamin",
            Daftar::Pendidikan => "pendidikan terakhir",
        }
    }

    /// The list's word for `v`, or a message naming the choices.
    pub fn cari(self, v: &str) -> Result<&'static str, String> {
        // Compared without allocating: an import checks a hundred thousand rows.
        let same = |a: &str| key(a).eq(key(v));
        self.entri()
            .iter()
            .find(|(word, other)| same(word) || other.iter().any(|o| same(o)))
            .map(|e| e.0)
            .ok_or_else(|| {
                format!(
                    "`{}` bukan {} yang dikenal; pilihan: {}",
                    v.trim(),
                    self.nama(),
                    self.pilihan().collect::<Vec<_>>().join(", ")
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_offices_use_are_taken_as_the_lists_word() {
        assert_eq!(Daftar::Agama.cari("ISLAM"), Ok("Islam"));
        assert_eq!(Daftar::Agama.cari("budha"), Ok("Buddha"));
        assert_eq!(Daftar::Agama.cari("Kristen Protestan"), Ok("Kristen"));
        assert_eq!(
            Daftar::StatusPerkawinan.cari("belum kawin"),
            Ok("Belum Kawin")
        );
        assert_eq!(
            Daftar::StatusPerkawinan.cari("Belum-Kawin"),
            Ok("Belum Kawin")
        );
        assert_eq!(Daftar::Kewarganegaraan.cari("Indonesia"), Ok("WNI"));
        assert_eq!(Daftar::Shdk.cari("isteri"), Ok("Istri"));
        assert_eq!(Daftar::JenisKelamin.cari("L"), Ok("Laki-laki"));
        assert_eq!(Daftar::Pendidikan.cari("SMA"), Ok("SLTA/Sederajat"));
        assert_eq!(Daftar::Pendidikan.cari("S-1"), Ok("Diploma IV/Strata I"));
        let e = Daftar::Agama.cari("Islma").unwrap_err();
        assert!(
            e.contains("`Islma`") && e.contains("Islam, Kristen, Katolik"),
            "{e}"
        );
    }
}
