//! The register's records as plain data (a request, its checklist, its history), and
//! the intake check that turns what the Operator typed into a valid new request. Pure.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::domain::calendar;
use crate::domain::identity;
use crate::domain::katalog::{Katalog, TipeIsian};
use crate::domain::orang;
use crate::domain::teks;
use crate::domain::workflow::{Peran, Tahap};

/// How the request reached the office.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kanal {
    Langsung,
    Whatsapp,
}

impl Kanal {
    pub fn kode(self) -> &'static str {
        match self {
            Kanal::Langsung => "langsung",
            Kanal::Whatsapp => "whatsapp",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Kanal::Langsung => "Datang langsung",
            Kanal::Whatsapp => "WhatsApp",
        }
    }
}

impl fmt::Display for Kanal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kode())
    }
}

impl FromStr for Kanal {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "langsung" => Ok(Kanal::Langsung),
            "whatsapp" | "wa" => Ok(Kanal::Whatsapp),
            other => Err(format!(
                "kanal `{other}` tidak dikenal; pilihan: langsung, whatsapp"
            )),
        }
    }
}

/// One paper on a request's checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Berkas {
    pub kode: String,
    pub nama: String,
    pub wajib: bool,
    pub ada: bool,
}

/// One entry of a request's history: append-only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Riwayat {
    pub dari: Option<Tahap>,
    pub ke: Tahap,
    pub peran: Peran,
    pub oleh: String,
    pub waktu: DateTime<FixedOffset>,
    pub catatan: Option<String>,
}

/// A request as the register holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Permohonan {
    pub id: i64,
    /// `0042/2026`
    pub nomor_register: String,
    pub jenis: String,
    pub tanggal: NaiveDate,
    pub kanal: Kanal,
    pub nama: String,
    pub nik: String,
    pub kk: Option<String>,
    pub alamat: Option<String>,
    pub rt: Option<String>,
    pub rw: Option<String>,
    pub telepon: Option<String>,
    pub keperluan: Option<String>,
    pub isian: BTreeMap<String, String>,
    pub tahap: Tahap,
    /// The type as an old register wrote it, when it was imported under another name.
    pub jenis_asal: Option<String>,
    /// The code of the public status page (`/lacak/{kode}`), printed on the receipt.
    pub kode_lacak: Option<String>,
    pub berkas: Vec<Berkas>,
    pub riwayat: Vec<Riwayat>,
}

impl Permohonan {
    /// Names of required papers not yet present.
    pub fn berkas_kurang(&self) -> Vec<String> {
        self.berkas
            .iter()
            .filter(|b| b.wajib && !b.ada)
            .map(|b| b.nama.clone())
            .collect()
    }
}

/// `0042/2026` from its parts.
pub fn format_nomor_register(urut: i64, tahun: i32) -> String {
    format!("{urut:04}/{tahun}")
}

/// What the Operator typed for a new request, before any check.
#[derive(Debug, Clone, Default)]
pub struct Masukan {
    pub jenis: String,
    pub nama: String,
    pub nik: String,
    pub kk: Option<String>,
    pub alamat: Option<String>,
    pub rt: Option<String>,
    pub rw: Option<String>,
    pub telepon: Option<String>,
    pub kanal: Option<String>,
    pub keperluan: Option<String>,
    /// `nama=nilai` pairs.
    pub isian: Vec<(String, String)>,
    /// Codes of papers brought.
    pub berkas: Vec<String>,
    /// `YYYY-MM-DD`; today when absent.
    pub tanggal: Option<String>,
}

/// A checked new request, ready for the register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermohonanBaru {
    pub jenis: String,
    pub tanggal: NaiveDate,
    pub kanal: Kanal,
    pub nama: String,
    pub nik: String,
    pub kk: Option<String>,
    pub alamat: Option<String>,
    pub rt: Option<String>,
    pub rw: Option<String>,
    pub telepon: Option<String>,
    pub keperluan: Option<String>,
    pub isian: BTreeMap<String, String>,
    pub berkas: Vec<Berkas>,
}

/// A request read from an old register workbook, cleaned and checked by `import`,
/// ready for the register. It keeps its original numbers where the file had them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermohonanImpor {
    /// Where it came from: `register-2022.xls, lembar Januari, baris 12`.
    pub asal: String,
    /// The original register number (sequence, year), when the file had one.
    pub nomor_register: Option<(i64, i32)>,
    pub jenis: String,
    /// The type as the file wrote it, when that is not the catalog's own name or code.
    pub jenis_asal: Option<String>,
    pub tanggal: NaiveDate,
    pub kanal: Kanal,
    pub nama: String,
    pub nik: String,
    /// The NIK was stored as a number, so its last digit may be wrong: the request is
    /// kept (flagged), but no resident is made under a NIK that may be someone else's.
    pub nik_ragu: bool,
    pub kk: Option<String>,
    pub alamat: Option<String>,
    pub rt: Option<String>,
    pub rw: Option<String>,
    pub telepon: Option<String>,
    pub keperluan: Option<String>,
    pub isian: BTreeMap<String, String>,
    /// The stage the old register's status (or its data) supports.
    pub tahap: Tahap,
    /// The day the request was finished (letter date or "selesai"), when known.
    pub selesai: Option<NaiveDate>,
    /// The status as written in the file, kept in the history.
    pub status_asal: Option<String>,
    /// The letter number the office gave it, and the letter's date.
    pub nomor_surat: Option<String>,
    pub tanggal_surat: Option<NaiveDate>,
}

/// One thing wrong with the input, naming the field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Masalah {
    pub field: String,
    pub pesan: String,
}

/// Everything wrong with a new request's input, so the Operator fixes it in one go.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("permohonan tidak dicatat:{}", .0.iter().map(|m| format!("\n  - {}: {}", m.field, m.pesan)).collect::<String>())]
pub struct InputError(pub Vec<Masalah>);

fn clean(s: &Option<String>) -> Option<String> {
    s.as_ref()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// A request's tracking code as the receipt prints it and the status page takes it: its
/// id and its random code, `42-9F3A1C0D5E7B2A64`.
pub fn kode_lacak_cetak(id: i64, kode: &str) -> String {
    format!("{id}-{kode}")
}

/// An RT or RW number as the register keeps it: `9` → `009`.
pub fn nomor_rt(v: &str) -> Result<String, String> {
    let v = v.trim();
    match v.parse::<u32>() {
        Ok(n) if (1..=999).contains(&n) && v.len() <= 3 => Ok(format!("{n:03}")),
        _ => Err(format!("`{v}` harus nomor 1 sampai 999")),
    }
}

/// A telephone number without the spaces, dashes and brackets people type in it.
pub fn nomor_telepon(t: &str) -> Result<String, String> {
    let digits: String = t
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')'))
        .collect();
    let body = digits.strip_prefix('+').unwrap_or(&digits);
    if body.chars().all(|c| c.is_ascii_digit()) && (8..=15).contains(&body.len()) {
        Ok(digits)
    } else {
        Err(format!(
            "`{}` bukan nomor telepon (8 sampai 15 angka)",
            t.trim()
        ))
    }
}

/// The earliest request date the counter takes: older registers come in by import.
fn earliest() -> NaiveDate {
    NaiveDate::from_ymd_opt(2000, 1, 1).expect("valid date")
}

/// Checks the input against the catalog; `today` is the office's date.
pub fn periksa(
    m: &Masukan,
    katalog: &Katalog,
    today: NaiveDate,
) -> Result<PermohonanBaru, InputError> {
    let mut err = Vec::new();
    let mut bad = |field: &str, pesan: String| {
        err.push(Masalah {
            field: field.to_string(),
            pesan,
        })
    };

    let jenis = katalog.jenis(m.jenis.trim());
    if jenis.is_none() {
        bad(
            "jenis",
            format!(
                "jenis surat `{}` tidak ada di katalog; pilihan: {}",
                m.jenis,
                katalog.kode_list()
            ),
        );
    }

    let nama = m.nama.trim().to_string();
    let nama = if nama.is_empty() {
        bad("nama", "nama pemohon wajib diisi".into());
        nama
    } else {
        teks::periksa(&nama, teks::NAMA_MAKS).unwrap_or_else(|e| {
            bad("nama", format!("nama {e}"));
            nama
        })
    };

    let nik = match identity::parse_nik(&m.nik, today) {
        Ok(info) => info.nik,
        Err(e) => {
            bad("nik", e.to_string());
            String::new()
        }
    };
    let kk = match clean(&m.kk) {
        Some(k) => match identity::parse_kk(&k) {
            Ok(k) => Some(k),
            Err(e) => {
                bad("kk", e.to_string());
                None
            }
        },
        None => None,
    };

    let tanggal = match &m.tanggal {
        Some(t) => match calendar::parse_tanggal(t) {
            Ok(d) if d < earliest() => {
                bad(
                    "tanggal",
                    format!(
                        "tanggal {} terlalu lama; permohonan yang dicatat mulai 1 Januari 2000 (register lama diimpor dengan `kelurahan impor`)",
                        calendar::tanggal(d)
                    ),
                );
                today
            }
            Ok(d) if d > today => {
                bad(
                    "tanggal",
                    format!("tanggal {} ada di masa depan", calendar::tanggal(d)),
                );
                today
            }
            Ok(d) => d,
            Err(e) => {
                bad("tanggal", e.to_string());
                today
            }
        },
        None => today,
    };

    let kanal = match &m.kanal {
        Some(k) => k.parse().unwrap_or_else(|e| {
            bad("kanal", e);
            Kanal::Langsung
        }),
        None => Kanal::Langsung,
    };

    let mut rt_rw = |field: &str, v: &Option<String>| -> Option<String> {
        let v = clean(v)?;
        nomor_rt(&v).map_err(|e| bad(field, e)).ok()
    };
    let rt = rt_rw("rt", &m.rt);
    let rw = rt_rw("rw", &m.rw);

    let telepon =
        clean(&m.telepon).and_then(|t| nomor_telepon(&t).map_err(|e| bad("telepon", e)).ok());

    let mut text = |field: &str, v: Option<String>, maks: usize| -> Option<String> {
        let v = v?;
        match teks::periksa(&v, maks) {
            Ok(t) => Some(t),
            Err(e) => {
                bad(field, e);
                None
            }
        }
    };
    let alamat = text("alamat", clean(&m.alamat), teks::ALAMAT_MAKS);
    let keperluan = text("keperluan", clean(&m.keperluan), teks::KEPERLUAN_MAKS);

    let mut isian = BTreeMap::new();
    let mut berkas = Vec::new();
    if let Some(j) = jenis {
        for (k, v) in &m.isian {
            let k = k.trim();
            let field = format!("isian {k}");
            let Some(def) = j.isian(k) else {
                bad(
                    &field,
                    format!(
                        "isian `{k}` tidak dikenal untuk {}; yang dikenal: {}",
                        j.kode,
                        j.isian
                            .iter()
                            .map(|i| i.kunci.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
                continue;
            };
            let v = v.trim();
            if v.is_empty() {
                continue;
            }
            if isian.contains_key(k) {
                bad(&field, "ditulis dua kali".into());
                continue;
            }
            let value = match def.tipe {
                TipeIsian::Teks => match teks::periksa(v, teks::ISIAN_MAKS) {
                    Ok(t) => t,
                    Err(e) => {
                        bad(&field, e);
                        continue;
                    }
                },
                TipeIsian::Tanggal => match calendar::parse_tanggal(v) {
                    Ok(d) => d.to_string(),
                    Err(e) => {
                        bad(&field, e.to_string());
                        continue;
                    }
                },
                TipeIsian::Nik => match identity::parse_nik(v, today) {
                    Ok(i) => i.nik,
                    Err(e) => {
                        bad(&field, e.to_string());
                        continue;
                    }
                },
                TipeIsian::Angka => match v.parse::<u64>() {
                    Ok(n) => n.to_string(),
                    Err(_) => {
                        bad(&field, format!("`{v}` harus bilangan bulat"));
                        continue;
                    }
                },
                TipeIsian::DaftarOrang => match orang::parse_daftar(v, today) {
                    Ok(list) => orang::format_daftar(&list),
                    Err(e) => {
                        bad(&field, e);
                        continue;
                    }
                },
                t => match t.daftar().map(|d| d.cari(v)) {
                    Some(Ok(word)) => word.to_string(),
                    Some(Err(e)) => {
                        bad(&field, e);
                        continue;
                    }
                    None => unreachable!("every other type is a fixed list"),
                },
            };
            isian.insert(k.to_string(), value);
        }
        for def in &j.isian {
            if let Some(b) = &def.bawaan {
                isian.entry(def.kunci.clone()).or_insert_with(|| b.clone());
            }
        }
        // What was typed counts as given: a value refused above has its own message.
        let typed = |v: &Option<String>| clean(v).is_some();
        let given = |k: &str| match k {
            "alamat" => typed(&m.alamat),
            "rt" => typed(&m.rt),
            "rw" => typed(&m.rw),
            "kk" => typed(&m.kk),
            "telepon" => typed(&m.telepon),
            k => {
                isian.contains_key(k)
                    || m.isian
                        .iter()
                        .any(|(mk, v)| mk.trim() == k && !v.trim().is_empty())
            }
        };
        for (field, label, how) in j.kurang(given) {
            bad(
                &field,
                format!("{label} wajib diisi untuk {} ({how})", j.nama),
            );
        }
        for (field, pesan) in j.nilai_salah(|k| isian.get(k).map(String::as_str)) {
            bad(&field, pesan);
        }
        for kode in &m.berkas {
            let kode = kode.trim();
            if !kode.is_empty() && !j.berkas.iter().any(|b| b.kode == kode) {
                bad(
                    "berkas",
                    format!(
                        "berkas `{kode}` bukan persyaratan {}; yang dikenal: {}",
                        j.kode,
                        j.berkas
                            .iter()
                            .map(|b| b.kode.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
            }
        }
        berkas = j
            .berkas
            .iter()
            .map(|b| Berkas {
                kode: b.kode.clone(),
                nama: b.nama.clone(),
                wajib: b.wajib,
                ada: m.berkas.iter().any(|k| k.trim() == b.kode),
            })
            .collect();
    }

    if !err.is_empty() {
        return Err(InputError(err));
    }
    let jenis = jenis.expect("checked above");
    Ok(PermohonanBaru {
        jenis: jenis.kode.clone(),
        tanggal,
        kanal,
        nama,
        nik,
        kk,
        alamat,
        rt,
        rw,
        telepon,
        keperluan,
        isian,
        berkas,
    })
}

/// What the Operator gives to complete or correct a request before its letter: only the
/// fields typed change.
#[derive(Debug, Clone, Default)]
pub struct Ubahan {
    pub alamat: Option<String>,
    pub rt: Option<String>,
    pub rw: Option<String>,
    pub kk: Option<String>,
    pub telepon: Option<String>,
    pub keperluan: Option<String>,
    pub isian: Vec<(String, String)>,
}

/// One field changed: its name (`alamat`, `isian agama`), before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Perubahan {
    pub kolom: String,
    pub lama: Option<String>,
    pub baru: Option<String>,
}

/// The request with `u` applied, checked by the same rules as a new request (a rule
/// lives once), and the fields that change. `today` is the office's date.
pub fn ubah(
    p: &Permohonan,
    u: &Ubahan,
    katalog: &Katalog,
    today: NaiveDate,
) -> Result<(PermohonanBaru, Vec<Perubahan>), InputError> {
    let or = |new: &Option<String>, old: &Option<String>| new.clone().or_else(|| old.clone());
    let mut isian: Vec<(String, String)> = p
        .isian
        .iter()
        .filter(|(k, _)| !u.isian.iter().any(|(nk, _)| nk.trim() == k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    isian.extend(u.isian.iter().cloned());
    let m = Masukan {
        jenis: p.jenis.clone(),
        nama: p.nama.clone(),
        nik: p.nik.clone(),
        kk: or(&u.kk, &p.kk),
        alamat: or(&u.alamat, &p.alamat),
        rt: or(&u.rt, &p.rt),
        rw: or(&u.rw, &p.rw),
        telepon: or(&u.telepon, &p.telepon),
        kanal: Some(p.kanal.to_string()),
        keperluan: or(&u.keperluan, &p.keperluan),
        isian,
        berkas: p
            .berkas
            .iter()
            .filter(|b| b.ada)
            .map(|b| b.kode.clone())
            .collect(),
        tanggal: Some(p.tanggal.to_string()),
    };
    let baru = periksa(&m, katalog, today.max(p.tanggal))?;
    let mut changes = Vec::new();
    let mut note = |kolom: String, lama: Option<&String>, baru: Option<&String>| {
        if lama != baru {
            changes.push(Perubahan {
                kolom,
                lama: lama.cloned(),
                baru: baru.cloned(),
            });
        }
    };
    note("alamat".into(), p.alamat.as_ref(), baru.alamat.as_ref());
    note("rt".into(), p.rt.as_ref(), baru.rt.as_ref());
    note("rw".into(), p.rw.as_ref(), baru.rw.as_ref());
    note("kk".into(), p.kk.as_ref(), baru.kk.as_ref());
    note("telepon".into(), p.telepon.as_ref(), baru.telepon.as_ref());
    note(
        "keperluan".into(),
        p.keperluan.as_ref(),
        baru.keperluan.as_ref(),
    );
    let keys: std::collections::BTreeSet<&String> =
        p.isian.keys().chain(baru.isian.keys()).collect();
    for k in keys {
        note(format!("isian {k}"), p.isian.get(k), baru.isian.get(k));
    }
    Ok((baru, changes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()
    }

    fn base() -> Masukan {
        Masukan {
            jenis: "sk-domisili".into(),
            nama: "Siti Aminah".into(),
            nik: "1571094506900003".into(),
            berkas: vec!["pengantar-rt".into()],
            alamat: Some("Jl. Kapten Pattimura No. 12".into()),
            rt: Some("9".into()),
            rw: Some("3".into()),
            isian: vec![
                ("tempat_lahir".into(), "Jambi".into()),
                ("agama".into(), "islam".into()),
                ("pekerjaan".into(), "Wiraswasta".into()),
                ("status_perkawinan".into(), "kawin".into()),
            ],
            ..Default::default()
        }
    }

    #[test]
    fn valid_input() {
        let k = crate::config::catalog::builtin().unwrap();
        let p = periksa(&base(), &k, today()).unwrap();
        assert_eq!(p.rt.as_deref(), Some("009"));
        assert_eq!(p.tanggal, today());
        assert_eq!(p.berkas.iter().filter(|b| b.ada).count(), 1);
        // Fixed lists store their own word; citizenship defaults to WNI.
        assert_eq!(p.isian["agama"], "Islam");
        assert_eq!(p.isian["status_perkawinan"], "Kawin");
        assert_eq!(p.isian["kewarganegaraan"], "WNI");
    }

    #[test]
    fn a_type_names_every_field_it_cannot_print_without() {
        let k = crate::config::catalog::builtin().unwrap();
        let mut m = base();
        m.alamat = None;
        m.rw = None;
        m.isian.retain(|(k, _)| k != "agama");
        let e = periksa(&m, &k, today()).unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|m| m.field.as_str()).collect();
        assert_eq!(fields, ["alamat", "rw", "isian agama"], "{e}");
        assert!(
            e.to_string()
                .contains("Agama wajib diisi untuk Surat Keterangan Domisili (--isian agama=...)"),
            "{e}"
        );
        // A letter saying "belum pernah menikah" about someone married is refused.
        let mut b = base();
        b.jenis = "sk-belum-menikah".into();
        b.berkas = vec![
            "pengantar-rt".into(),
            "kk-ktp".into(),
            "pernyataan-belum-menikah".into(),
        ];
        let e = periksa(&b, &k, today()).unwrap_err();
        assert!(
            e.to_string().contains("Status perkawinan untuk Surat Keterangan Belum Menikah harus Belum Kawin (tertulis Kawin)"),
            "{e}"
        );
        m.isian.push(("agama".into(), "Islma".into()));
        let e = periksa(&m, &k, today()).unwrap_err();
        assert!(e.to_string().contains("pilihan: Islam, Kristen"), "{e}");
    }

    #[test]
    fn all_problems_are_listed() {
        let k = crate::config::catalog::builtin().unwrap();
        let mut m = base();
        m.jenis = "sk-usaha".into();
        m.nik = "123".into();
        m.tanggal = Some("2026-13-01".into());
        m.isian.push(("warna".into(), "biru".into()));
        let e = periksa(&m, &k, today()).unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|m| m.field.as_str()).collect();
        assert!(fields.contains(&"nik"));
        assert!(fields.contains(&"tanggal"));
        assert!(fields.contains(&"isian warna"));
        assert!(fields.contains(&"isian nama_usaha"));
    }
}
