//! Residents (`penduduk`): the latest identity known for each NIK, families by KK, and
//! the rules that keep it — which fields a resident has, how a newer request or an
//! imported row is merged (an older source never overwrites newer data), and how a new
//! request is filled from a resident.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::daftar::Daftar;
use crate::domain::identity;
use crate::domain::katalog::JenisSurat;
use crate::domain::permohonan::{Masukan, Permohonan, PermohonanBaru, PermohonanImpor};
use crate::domain::teks;

/// A resident's fields besides the NIK: the key (also the request's field or `isian`
/// key of the same meaning), the label, and the fixed list its value comes from.
pub const KOLOM: [(&str, &str, Option<Daftar>); 13] = [
    ("nama", "Nama", None),
    ("kk", "No. KK", None),
    ("tempat_lahir", "Tempat lahir", None),
    ("agama", "Agama", Some(Daftar::Agama)),
    (
        "pendidikan",
        "Pendidikan terakhir",
        Some(Daftar::Pendidikan),
    ),
    ("pekerjaan", "Pekerjaan", None),
    (
        "status_perkawinan",
        "Status perkawinan",
        Some(Daftar::StatusPerkawinan),
    ),
    (
        "kewarganegaraan",
        "Kewarganegaraan",
        Some(Daftar::Kewarganegaraan),
    ),
    ("alamat", "Alamat", None),
    ("rt", "RT", None),
    ("rw", "RW", None),
    ("shdk", "Hubungan dalam keluarga", Some(Daftar::Shdk)),
    ("telepon", "Telepon", None),
];

/// Fields a request has outside its `isian`.
const FIELDS_OF_REQUEST: [&str; 6] = ["nama", "kk", "alamat", "rt", "rw", "telepon"];

/// The history's `kolom` of a person's first recording. Its values are not stored twice:
/// [`awal`] gives them back, and fills `baru` (a JSON object) for showing.
pub const TERCATAT: &str = "tercatat";

/// The label of a resident's field.
pub fn label(kolom: &str) -> &str {
    if kolom == TERCATAT {
        return "Tercatat pertama";
    }
    KOLOM
        .iter()
        .find(|(k, _, _)| *k == kolom)
        .map_or(kolom, |(_, l, _)| l)
}

/// One resident as the register knows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Penduduk {
    pub nik: String,
    /// Field → value; only fields with a value.
    pub data: BTreeMap<String, String>,
    /// The date of the newest source merged in (a request's or an old register row's
    /// date): an older source only fills empty fields.
    pub berlaku: NaiveDate,
}

impl Penduduk {
    pub fn get(&self, kolom: &str) -> Option<&str> {
        self.data.get(kolom).map(String::as_str)
    }

    pub fn nama(&self) -> &str {
        self.get("nama").unwrap_or("")
    }

    /// Sex and date of birth, read from the NIK (the KTP's own rule).
    pub fn dari_nik(&self) -> Option<(NaiveDate, &'static str)> {
        let n = &self.nik;
        if n.len() != 16 || !n.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let num = |a: usize, b: usize| n[a..b].parse::<u32>().ok();
        let (day, month, yy) = (num(6, 8)?, num(8, 10)?, num(10, 12)? as i32);
        let (day, jk) = if day > 40 {
            (day - 40, "Perempuan")
        } else {
            (day, "Laki-laki")
        };
        // The birth year's century is not in the NIK: a person is taken as born at most
        // 100 years before their data was last true.
        let base = chrono::Datelike::year(&self.berlaku);
        let mut year = base - base % 100 + yy;
        if year > base {
            year -= 100;
        }
        NaiveDate::from_ymd_opt(year, month, day).map(|d| (d, jk))
    }
}

/// One field that changed: its key, what it was, what it became.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PerubahanPenduduk {
    pub kolom: String,
    pub lama: Option<String>,
    pub baru: Option<String>,
}

impl PerubahanPenduduk {
    /// The new value as a person reads it: a first recording lists its fields.
    pub fn baru_terbaca(&self) -> String {
        match (&self.baru, self.kolom == TERCATAT) {
            (Some(b), true) => serde_json::from_str::<BTreeMap<String, String>>(b)
                .map(|m| {
                    KOLOM
                        .iter()
                        .filter_map(|(k, l, _)| m.get(*k).map(|v| format!("{l}: {v}")))
                        .collect::<Vec<_>>()
                        .join("; ")
                })
                .unwrap_or_else(|_| b.clone()),
            (Some(b), false) => b.clone(),
            (None, _) => "(kosong)".into(),
        }
    }
}

/// What a source says about a person, with the date it was true.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataPenduduk {
    pub nik: String,
    pub data: BTreeMap<String, String>,
    pub berlaku: NaiveDate,
}

/// The three request records (new, registered, imported) name these fields alike.
macro_rules! dari_permohonan {
    ($p:expr) => {
        DataPenduduk::from_parts(
            &$p.nik,
            $p.tanggal,
            [
                ("nama", Some(&$p.nama)),
                ("kk", $p.kk.as_ref()),
                ("alamat", $p.alamat.as_ref()),
                ("rt", $p.rt.as_ref()),
                ("rw", $p.rw.as_ref()),
                ("telepon", $p.telepon.as_ref()),
            ],
            &$p.isian,
        )
    };
}

impl DataPenduduk {
    /// A source's data: the request-like fields, then every resident field in `isian`.
    pub fn from_parts(
        nik: &str,
        berlaku: NaiveDate,
        fields: [(&str, Option<&String>); 6],
        isian: &BTreeMap<String, String>,
    ) -> DataPenduduk {
        let mut data = BTreeMap::new();
        for (k, v) in fields {
            if let Some(v) = v.filter(|v| !v.trim().is_empty()) {
                data.insert(k.to_string(), v.trim().to_string());
            }
        }
        for (k, _, _) in KOLOM {
            if FIELDS_OF_REQUEST.contains(&k) {
                continue;
            }
            if let Some(v) = isian.get(k).filter(|v| !v.trim().is_empty()) {
                data.insert(k.to_string(), v.trim().to_string());
            }
        }
        DataPenduduk {
            nik: nik.to_string(),
            data,
            berlaku,
        }
    }

    /// What a new request says about its applicant.
    pub fn of_baru(p: &PermohonanBaru) -> DataPenduduk {
        dari_permohonan!(p)
    }

    /// What a request in the register says (after `lengkapi`).
    pub fn of_permohonan(p: &Permohonan) -> DataPenduduk {
        dari_permohonan!(p)
    }

    /// What an old register's row says (dated by the request's date in that book).
    pub fn of_impor(p: &PermohonanImpor) -> DataPenduduk {
        dari_permohonan!(p)
    }
}

/// A person first seen: the fields a resident holds, as the source gives them. (What
/// [`gabung`] makes of a person without a record, without listing each field as a
/// change: an import of a hundred thousand people records each with one entry.)
pub fn baru(masuk: &DataPenduduk) -> Penduduk {
    Penduduk {
        nik: masuk.nik.clone(),
        data: masuk
            .data
            .iter()
            .filter(|(k, _)| KOLOM.iter().any(|(c, _, _)| c == k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        berlaku: masuk.berlaku,
    }
}

/// Merges `masuk` into what is known (`lama`, none for a person first seen): a field
/// is set when it was empty, or when the source is at least as new as what is known; an
/// older source never overwrites. Returns the resident as it now is and the fields that
/// changed (none: nothing to write).
pub fn gabung(lama: Option<&Penduduk>, masuk: &DataPenduduk) -> (Penduduk, Vec<PerubahanPenduduk>) {
    let Some(lama) = lama else {
        let p = baru(masuk);
        let changes = p
            .data
            .iter()
            .map(|(k, v)| PerubahanPenduduk {
                kolom: k.clone(),
                lama: None,
                baru: Some(v.clone()),
            })
            .collect();
        return (p, changes);
    };
    let lama = Some(lama);
    let mut p = lama.cloned().unwrap_or_else(|| Penduduk {
        nik: masuk.nik.clone(),
        data: BTreeMap::new(),
        berlaku: masuk.berlaku,
    });
    let newer = lama.is_none_or(|l| masuk.berlaku >= l.berlaku);
    let mut changes = Vec::new();
    for (k, v) in &masuk.data {
        if !KOLOM.iter().any(|(c, _, _)| c == k) {
            continue;
        }
        let old = p.data.get(k).cloned();
        if old.as_deref() == Some(v.as_str()) || (old.is_some() && !newer) {
            continue;
        }
        p.data.insert(k.clone(), v.clone());
        changes.push(PerubahanPenduduk {
            kolom: k.clone(),
            lama: old,
            baru: Some(v.clone()),
        });
    }
    if newer {
        p.berlaku = masuk.berlaku;
    }
    (p, changes)
}

/// A correction typed by a clerk (`penduduk ubah`): every field given replaces the
/// value, an empty one clears it; checked against the fixed lists and the KK's form.
/// Returns each field's new value (`None`: cleared).
pub fn koreksi(pairs: &[(String, String)]) -> Result<Vec<(String, Option<String>)>, String> {
    let mut out = Vec::new();
    let mut err = Vec::new();
    for (k, v) in pairs {
        let k = k.trim();
        let Some((kolom, _, daftar)) = KOLOM.iter().find(|(c, _, _)| *c == k) else {
            err.push(format!(
                "`{k}` bukan isian penduduk; yang ada: {}",
                KOLOM.iter().map(|c| c.0).collect::<Vec<_>>().join(", ")
            ));
            continue;
        };
        let v = v.trim();
        if v.is_empty() {
            if *kolom == "nama" {
                err.push("nama tidak boleh dikosongkan".into());
            }
            out.push((kolom.to_string(), None));
            continue;
        }
        let value = match (kolom, daftar) {
            (_, Some(d)) => d.cari(v).map(str::to_string),
            (&"kk", _) => identity::parse_kk(v).map_err(|e| e.to_string()),
            (&"rt" | &"rw", _) => crate::domain::permohonan::nomor_rt(v),
            (&"telepon", _) => crate::domain::permohonan::nomor_telepon(v),
            (&"nama", _) => teks::periksa(v, teks::NAMA_MAKS),
            (&"alamat", _) => teks::periksa(v, teks::ALAMAT_MAKS),
            _ => teks::periksa(v, teks::ISIAN_MAKS),
        };
        match value {
            Ok(v) => out.push((kolom.to_string(), Some(v))),
            Err(e) => err.push(format!("{}: {e}", label(kolom))),
        }
    }
    if err.is_empty() {
        Ok(out)
    } else {
        Err(err.join("; "))
    }
}

/// Applies a checked correction (`koreksi`'s values: a value sets, `None` clears) as of
/// `today`; returns the fields that changed.
pub fn terapkan(
    p: &mut Penduduk,
    values: &[(String, Option<String>)],
    today: NaiveDate,
) -> Vec<PerubahanPenduduk> {
    let mut changes = Vec::new();
    for (k, v) in values {
        let old = p.data.get(k).cloned();
        if &old == v {
            continue;
        }
        match v {
            Some(v) => p.data.insert(k.clone(), v.clone()),
            None => p.data.remove(k),
        };
        changes.push(PerubahanPenduduk {
            kolom: k.clone(),
            lama: old,
            baru: v.clone(),
        });
    }
    if !changes.is_empty() {
        p.berlaku = p.berlaku.max(today);
    }
    changes
}

/// Fills the fields of a new request not typed from the resident: the request's own
/// fields, and every `isian` of the letter type a resident has. Returns the labels of
/// the fields filled. What was typed wins (and, once registered, updates the resident).
pub fn isi(m: &mut Masukan, p: &Penduduk, j: Option<&JenisSurat>) -> Vec<String> {
    let mut filled = Vec::new();
    let empty = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
    if m.nama.trim().is_empty()
        && let Some(v) = p.get("nama")
    {
        m.nama = v.to_string();
        filled.push(label("nama").to_string());
    }
    for (k, slot) in [
        ("kk", &mut m.kk),
        ("alamat", &mut m.alamat),
        ("rt", &mut m.rt),
        ("rw", &mut m.rw),
        ("telepon", &mut m.telepon),
    ] {
        if empty(slot)
            && let Some(v) = p.get(k)
        {
            *slot = Some(v.to_string());
            filled.push(label(k).to_string());
        }
    }
    if let Some(j) = j {
        for i in &j.isian {
            let typed = m
                .isian
                .iter()
                .any(|(k, v)| k.trim() == i.kunci && !v.trim().is_empty());
            if typed || FIELDS_OF_REQUEST.contains(&i.kunci.as_str()) {
                continue;
            }
            if let Some(v) = p.get(&i.kunci) {
                // A form sends its empty fields too: the value takes their place.
                m.isian.retain(|(k, _)| k.trim() != i.kunci);
                m.isian.push((i.kunci.clone(), v.to_string()));
                filled.push(i.label.clone());
            }
        }
    }
    filled
}

/// What was recorded when the person was first seen: the resident's data with every later
/// change in `riwayat` (oldest first) undone, newest first. Fills the first recording's
/// `baru` with it (a JSON object), for the history as a person reads it.
pub fn awal(p: &Penduduk, riwayat: &mut [PerubahanPenduduk]) {
    let mut data = p.data.clone();
    for c in riwayat.iter().rev() {
        if c.kolom == TERCATAT {
            continue;
        }
        match &c.lama {
            Some(v) => data.insert(c.kolom.clone(), v.clone()),
            None => data.remove(&c.kolom),
        };
    }
    if let Some(first) = riwayat.iter_mut().find(|c| c.kolom == TERCATAT) {
        first.baru = Some(serde_json::to_string(&data).expect("string map serializes"));
    }
}

/// A family member as a line of a people list (`Nama; NIK; Hubungan`), the relation
/// being the SHDK on the KK.
pub fn baris_orang(p: &Penduduk) -> String {
    format!(
        "{}; {}; {}",
        p.nama(),
        p.nik,
        p.get("shdk").unwrap_or("Famili Lain")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn data(berlaku: NaiveDate, kv: &[(&str, &str)]) -> DataPenduduk {
        DataPenduduk {
            nik: "1571094506900003".into(),
            data: kv
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            berlaku,
        }
    }

    #[test]
    fn an_older_source_fills_gaps_and_never_overwrites() {
        let (p, c) = gabung(
            None,
            &data(d(2026, 5, 1), &[("nama", "Siti"), ("alamat", "Jl. Baru 2")]),
        );
        assert_eq!(c.len(), 2);
        let (p2, c) = gabung(
            Some(&p),
            &data(
                d(2023, 1, 1),
                &[("alamat", "Jl. Lama 1"), ("pekerjaan", "Guru")],
            ),
        );
        assert_eq!(p2.get("alamat"), Some("Jl. Baru 2"));
        assert_eq!(p2.get("pekerjaan"), Some("Guru"));
        assert_eq!(p2.berlaku, d(2026, 5, 1));
        assert_eq!(c.len(), 1);
        let (p3, c) = gabung(
            Some(&p2),
            &data(d(2026, 11, 2), &[("alamat", "Jl. Pindah 3")]),
        );
        assert_eq!(p3.get("alamat"), Some("Jl. Pindah 3"));
        assert_eq!(c[0].lama.as_deref(), Some("Jl. Baru 2"));
        assert_eq!(p3.berlaku, d(2026, 11, 2));
        // The same data again changes nothing.
        assert!(
            gabung(
                Some(&p3),
                &data(d(2026, 11, 2), &[("alamat", "Jl. Pindah 3")])
            )
            .1
            .is_empty()
        );
    }

    #[test]
    fn the_first_recording_is_given_back_from_the_later_changes() {
        let (p, _) = gabung(
            None,
            &data(d(2026, 5, 1), &[("nama", "Siti"), ("alamat", "Jl. A")]),
        );
        let (p, c) = gabung(
            Some(&p),
            &data(d(2026, 6, 1), &[("alamat", "Jl. B"), ("rt", "009")]),
        );
        let mut riwayat = vec![PerubahanPenduduk {
            kolom: TERCATAT.into(),
            lama: None,
            baru: None,
        }];
        riwayat.extend(c);
        awal(&p, &mut riwayat);
        assert_eq!(
            riwayat[0].baru.as_deref(),
            Some(r#"{"alamat":"Jl. A","nama":"Siti"}"#)
        );
    }

    #[test]
    fn sex_and_birth_date_come_from_the_nik() {
        let p = gabung(None, &data(d(2026, 5, 1), &[("nama", "Siti")])).0;
        assert_eq!(p.dari_nik(), Some((d(1990, 6, 5), "Perempuan")));
    }
}
