//! Reading the catalog of letter types: the embedded `typst-templates/katalog.toml`,
//! overlaid by a workspace's own, checked on load into `domain::katalog::Katalog`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::config::toml_file::{self, TomlError};
use crate::domain::katalog::{
    BerkasSyarat, IDENTITAS_LUAR_ISIAN, Isian, JenisSurat, Katalog, Persyaratan, TipeIsian,
};

/// The catalog shipped in the program.
pub const BUILTIN: &str = include_str!("../../typst-templates/katalog.toml");
pub const BUILTIN_NAME: &str = "typst-templates/katalog.toml (bawaan)";

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("katalog: {0}")]
    Toml(#[from] TomlError),
    #[error("katalog {file}: {entry}: {message}")]
    Invalid {
        file: String,
        entry: String,
        message: String,
    },
    #[error("katalog {0}: tidak dapat dibaca: {1}")]
    Io(PathBuf, std::io::Error),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCatalog {
    #[serde(default)]
    persyaratan: Vec<Persyaratan>,
    #[serde(default)]
    isian_umum: Vec<RawIsian>,
    #[serde(default)]
    jenis: Vec<RawJenis>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawJenis {
    kode: String,
    nama: String,
    kode_klasifikasi: String,
    templat: String,
    #[serde(default = "one")]
    standar_layanan_hari: u32,
    #[serde(default)]
    keperluan: String,
    #[serde(default)]
    persyaratan: Vec<String>,
    #[serde(default)]
    persyaratan_bersyarat: Vec<String>,
    #[serde(default)]
    isian: Vec<RawIsian>,
    /// Absent: every common identity field and the address with RT and RW, as the
    /// identity table of a letter prints them.
    identitas_wajib: Option<Vec<String>>,
    #[serde(default)]
    nilai: BTreeMap<String, Vec<String>>,
}

fn one() -> u32 {
    1
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIsian {
    kunci: Option<String>,
    label: Option<String>,
    #[serde(default)]
    tipe: TipeIsian,
    #[serde(default)]
    wajib: bool,
    bawaan: Option<String>,
}

/// The built-in catalog only.
pub fn builtin() -> Result<Katalog, CatalogError> {
    from_sources(&[(BUILTIN_NAME.into(), BUILTIN.into())])
}

/// The built-in catalog overlaid by `overlay` (a workspace's `katalog.toml`), if it exists.
pub fn load(overlay: &Path) -> Result<Katalog, CatalogError> {
    let mut sources = vec![(BUILTIN_NAME.to_string(), BUILTIN.to_string())];
    match std::fs::read_to_string(overlay) {
        Ok(text) => sources.push((overlay.display().to_string(), text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(CatalogError::Io(overlay.to_path_buf(), e)),
    }
    from_sources(&sources)
}

/// Later sources replace entries of earlier ones with the same code, and add new ones.
pub fn from_sources(sources: &[(String, String)]) -> Result<Katalog, CatalogError> {
    let mut papers: BTreeMap<String, Persyaratan> = BTreeMap::new();
    let mut common: Vec<(String, RawIsian)> = Vec::new();
    let mut types: Vec<(String, RawJenis)> = Vec::new();

    for (name, text) in sources {
        let raw: RawCatalog = toml_file::parse(Path::new(name), text)?;
        let invalid = |entry: String, message: String| CatalogError::Invalid {
            file: name.clone(),
            entry,
            message,
        };
        let mut seen = BTreeSet::new();
        for p in raw.persyaratan {
            check_code(&p.kode).map_err(|m| invalid(format!("persyaratan `{}`", p.kode), m))?;
            if !seen.insert(p.kode.clone()) {
                return Err(invalid(
                    format!("persyaratan `{}`", p.kode),
                    "kode ditulis dua kali".into(),
                ));
            }
            if p.nama.trim().is_empty() {
                return Err(invalid(
                    format!("persyaratan `{}`", p.kode),
                    "nama kosong".into(),
                ));
            }
            papers.insert(p.kode.clone(), p);
        }
        for (i, f) in raw.isian_umum.into_iter().enumerate() {
            let entry = || format!("isian_umum ke-{}", i + 1);
            let kunci = f
                .kunci
                .clone()
                .ok_or_else(|| invalid(entry(), "tidak punya `kunci`".into()))?;
            common.retain(|(_, c)| c.kunci.as_deref() != Some(kunci.as_str()));
            common.push((name.clone(), f));
        }
        let mut seen = BTreeSet::new();
        for j in raw.jenis {
            if !seen.insert(j.kode.clone()) {
                return Err(invalid(
                    format!("jenis `{}`", j.kode),
                    "kode jenis surat ditulis dua kali".into(),
                ));
            }
            types.retain(|(_, t)| t.kode != j.kode);
            types.push((name.clone(), j));
        }
    }

    let common = common
        .into_iter()
        .enumerate()
        .map(|(i, (file, f))| {
            check_isian(f).map_err(|m| CatalogError::Invalid {
                file,
                entry: format!("isian_umum ke-{}", i + 1),
                message: m,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;

    let mut jenis = Vec::new();
    for (file, j) in types {
        let invalid = |message: String| CatalogError::Invalid {
            file: file.clone(),
            entry: format!("jenis `{}`", j.kode),
            message,
        };
        check_code(&j.kode).map_err(invalid)?;
        for (field, value) in [
            ("nama", &j.nama),
            ("kode_klasifikasi", &j.kode_klasifikasi),
            ("templat", &j.templat),
        ] {
            if value.trim().is_empty() {
                return Err(invalid(format!("`{field}` kosong")));
            }
        }
        if !j
            .kode_klasifikasi
            .split('.')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
        {
            return Err(invalid(format!(
                "kode_klasifikasi `{}` harus angka bertitik, misalnya 400.12.2.1",
                j.kode_klasifikasi
            )));
        }
        if j.standar_layanan_hari == 0 {
            return Err(invalid("standar_layanan_hari minimal 1".into()));
        }
        let mut berkas = Vec::new();
        let mut seen = BTreeSet::new();
        let all = j
            .persyaratan
            .iter()
            .map(|k| (k, true))
            .chain(j.persyaratan_bersyarat.iter().map(|k| (k, false)));
        for (kode, wajib) in all {
            let p = papers.get(kode).ok_or_else(|| {
                invalid(format!(
                    "persyaratan `{kode}` tidak ada di daftar persyaratan"
                ))
            })?;
            if !seen.insert(kode.clone()) {
                return Err(invalid(format!("persyaratan `{kode}` ditulis dua kali")));
            }
            berkas.push(BerkasSyarat {
                kode: p.kode.clone(),
                nama: p.nama.clone(),
                wajib,
            });
        }
        if berkas.is_empty() {
            return Err(invalid("tidak punya persyaratan".into()));
        }
        let mut isian = Vec::new();
        for (i, f) in j.isian.into_iter().enumerate() {
            let f = check_isian(f).map_err(|m| invalid(format!("isian ke-{}: {m}", i + 1)))?;
            if isian.iter().any(|x: &Isian| x.kunci == f.kunci) {
                return Err(invalid(format!("isian `{}` ditulis dua kali", f.kunci)));
            }
            isian.push(f);
        }
        for c in &common {
            if !isian.iter().any(|x| x.kunci == c.kunci) {
                isian.push(c.clone());
            }
        }
        let identitas_wajib = match j.identitas_wajib {
            Some(list) => {
                for k in &list {
                    let known = IDENTITAS_LUAR_ISIAN.iter().any(|x| x.0 == k)
                        || common.iter().any(|c| &c.kunci == k);
                    if !known {
                        return Err(invalid(format!(
                            "identitas_wajib `{k}` bukan isian umum atau alamat, rt, rw, kk, telepon"
                        )));
                    }
                }
                list
            }
            None => ["alamat", "rt", "rw"]
                .into_iter()
                .map(String::from)
                .chain(common.iter().map(|c| c.kunci.clone()))
                .collect(),
        };
        let mut nilai = BTreeMap::new();
        for (k, allowed) in j.nilai {
            let def = isian
                .iter()
                .find(|i| i.kunci == k)
                .ok_or_else(|| invalid(format!("nilai `{k}` bukan isian jenis surat ini")))?;
            let allowed = allowed
                .iter()
                .map(|v| match def.tipe.daftar() {
                    Some(d) => d.cari(v).map(str::to_string),
                    None => Ok(v.trim().to_string()),
                })
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| invalid(format!("nilai `{k}`: {e}")))?;
            nilai.insert(k, allowed);
        }
        jenis.push(JenisSurat {
            kode: j.kode,
            nama: j.nama,
            kode_klasifikasi: j.kode_klasifikasi,
            templat: j.templat,
            standar_layanan_hari: j.standar_layanan_hari,
            keperluan: j.keperluan,
            berkas,
            isian,
            identitas_wajib,
            nilai,
        });
    }
    if jenis.is_empty() {
        return Err(CatalogError::Invalid {
            file: sources.last().map(|s| s.0.clone()).unwrap_or_default(),
            entry: "jenis".into(),
            message: "katalog tidak berisi satu pun jenis surat".into(),
        });
    }
    Ok(Katalog { jenis })
}

fn check_code(kode: &str) -> Result<(), String> {
    let ok = !kode.is_empty()
        && kode
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "kode `{kode}` hanya boleh huruf kecil, angka dan tanda -"
        ))
    }
}

fn check_isian(f: RawIsian) -> Result<Isian, String> {
    let kunci = f.kunci.ok_or("tidak punya `kunci` (nama isian)")?;
    if kunci.is_empty()
        || !kunci
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        return Err(format!(
            "kunci `{kunci}` hanya boleh huruf kecil, angka dan garis bawah"
        ));
    }
    let label = f
        .label
        .filter(|l| !l.trim().is_empty())
        .ok_or_else(|| format!("isian `{kunci}` tidak punya `label`"))?;
    let bawaan = match (f.bawaan, f.tipe.daftar()) {
        (Some(b), Some(d)) => Some(
            d.cari(&b)
                .map(str::to_string)
                .map_err(|e| format!("bawaan: {e}"))?,
        ),
        (b, _) => b.filter(|b| !b.trim().is_empty()),
    };
    Ok(Isian {
        kunci,
        label,
        tipe: f.tipe,
        wajib: f.wajib,
        bawaan,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_has_the_types_offices_issue() {
        let k = crate::config::catalog::builtin().unwrap();
        let codes: Vec<_> = k.jenis.iter().map(|j| j.kode.as_str()).collect();
        assert!(codes.len() >= 20, "{codes:?}");
        for c in [
            "pengantar-nikah",
            "sk-domisili",
            "sktm",
            "sk-usaha",
            "sk-belum-menikah",
            "pengantar-kematian",
            "pengantar-pindah",
            "pengantar-skck",
        ] {
            assert!(codes.contains(&c), "{c}");
        }
        let nikah = k.jenis("pengantar-nikah").unwrap();
        assert_eq!(nikah.berkas.len(), 5);
        assert_eq!(nikah.berkas.iter().filter(|b| !b.wajib).count(), 1);
        assert_eq!(nikah.kode_klasifikasi, "400.12.3.2");
        for j in &k.jenis {
            assert!(j.berkas.iter().any(|b| b.kode == "pengantar-rt" && b.wajib));
        }
    }

    fn with(extra: &str) -> Result<Katalog, CatalogError> {
        crate::config::catalog::from_sources(&[
            (BUILTIN_NAME.into(), BUILTIN.into()),
            ("ws/katalog.toml".into(), extra.into()),
        ])
    }

    #[test]
    fn overlay_adds_and_replaces() {
        let k = with(
            "[[jenis]]\nkode = \"sk-tanah\"\nnama = \"Surat Keterangan Tanah\"\n\
             kode_klasifikasi = \"500.17.1\"\ntemplat = \"surat/umum.typ\"\npersyaratan = [\"pengantar-rt\"]\n\
             [[jenis]]\nkode = \"sktm\"\nnama = \"SKTM\"\nkode_klasifikasi = \"400.10.2.2\"\n\
             templat = \"surat/sktm.typ\"\npersyaratan = [\"pengantar-rt\"]\n",
        )
        .unwrap();
        assert!(k.jenis("sk-tanah").is_some());
        assert_eq!(k.jenis("sktm").unwrap().nama, "SKTM");
        assert_eq!(k.jenis.len(), builtin().unwrap().jenis.len() + 1);
    }

    #[test]
    fn refusals_name_the_entry() {
        let e = with("[[jenis]]\nkode = \"x\"\nnama = \"X\"\nkode_klasifikasi = \"400\"\ntemplat = \"t\"\npersyaratan = [\"tidak-ada\"]\n").unwrap_err();
        assert!(e.to_string().contains("jenis `x`"), "{e}");
        assert!(e.to_string().contains("tidak-ada"), "{e}");

        let e = with("[[jenis]]\nkode = \"x\"\nnama = \"X\"\nkode_klasifikasi = \"400\"\ntemplat = \"t\"\npersyaratan = [\"pengantar-rt\"]\n[[jenis]]\nkode = \"x\"\nnama = \"Y\"\nkode_klasifikasi = \"400\"\ntemplat = \"t\"\npersyaratan = [\"pengantar-rt\"]\n").unwrap_err();
        assert!(e.to_string().contains("dua kali"), "{e}");

        let e = with("[[jenis]]\nkode = \"x\"\nnama = \"X\"\nkode_klasifikasi = \"400\"\ntemplat = \"t\"\npersyaratan = [\"pengantar-rt\"]\n[[jenis.isian]]\nlabel = \"Tanpa nama\"\n").unwrap_err();
        assert!(
            e.to_string().contains("jenis `x`") && e.to_string().contains("kunci"),
            "{e}"
        );

        let e =
            with("[[jenis]]\nkode = \"x\"\nnama = \"X\"\nkodeklasifikasi = \"400\"\n").unwrap_err();
        assert!(e.to_string().contains("kodeklasifikasi"), "{e}");
    }
}
