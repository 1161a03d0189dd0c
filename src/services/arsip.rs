//! The letter archive (`output/surat/`) held against the register: the register is only
//! opened where it belongs to its archive; `periksa`, the health check of a workspace;
//! and `pulihkan`, which records the numbers of letters a restored register lost, so that
//! no number is ever issued twice.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use crate::config::workspace::{OUTPUT_DIR, Workspace};
use crate::domain::numbering;
use crate::domain::surat::NomorDitemukan;
use crate::paper::render;
use crate::store::{Register, RegisterError};
use crate::util::{acak, files};

/// Where issued letters live, relative to the workspace.
pub const LETTERS_DIR: &str = "output/surat";

#[derive(Debug, thiserror::Error)]
pub enum ArsipError {
    #[error(transparent)]
    Register(#[from] RegisterError),
    #[error("{0}: {1}")]
    Io(String, std::io::Error),
    #[error(
        "basis data {db} tidak ada, padahal arsip surat {LETTERS_DIR}/ berisi {surat} surat. Register kosong yang baru akan memberi nomor surat yang sudah dipakai. Pulihkan basis data dari cadangan (output/cadangan/), lalu jalankan `kelurahan pulihkan`; atau, bila tidak ada cadangan, jalankan `kelurahan pulihkan` untuk memulai register baru yang mencatat nomor-nomor di arsip"
    )]
    RegisterHilang { db: String, surat: usize },
}

type Result<T> = std::result::Result<T, ArsipError>;

fn io(path: &Path, e: std::io::Error) -> ArsipError {
    ArsipError::Io(path.display().to_string(), e)
}

/// Opens the workspace's register, refusing to create an empty one beside an archive that
/// holds letters: that register would hand their numbers out again.
pub fn open_register(ws: &Workspace) -> Result<Register> {
    let db = ws.db_path();
    if !db.exists() {
        let surat = letter_files(ws)?.len();
        if surat > 0 {
            return Err(ArsipError::RegisterHilang {
                db: db.display().to_string(),
                surat,
            });
        }
    }
    Ok(Register::open(&db, ws.profil.tz())?)
}

/// Every PDF under the archive, relative to the workspace, `/`-separated as the register
/// stores them.
pub fn letter_files(ws: &Workspace) -> Result<Vec<String>> {
    let mut out = Vec::new();
    walk(&ws.dir.join(LETTERS_DIR), &mut |p| {
        if p.extension().is_some_and(|e| e == "pdf")
            && !p
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            && let Ok(rel) = p.strip_prefix(&ws.dir)
        {
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.push(parts.join("/"));
        }
    })?;
    out.sort();
    Ok(out)
}

fn walk(dir: &Path, f: &mut dyn FnMut(&Path)) -> Result<()> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io(dir, e)),
    };
    let mut paths: Vec<PathBuf> = entries
        .map(|e| e.map(|e| e.path()))
        .collect::<std::io::Result<_>>()
        .map_err(|e| io(dir, e))?;
    paths.sort();
    for p in paths {
        if p.is_dir() {
            walk(&p, f)?;
        } else {
            f(&p);
        }
    }
    Ok(())
}

/// A letter whose file is not what was issued.
#[derive(Debug, Clone, Serialize)]
pub struct SuratBermasalah {
    pub nomor: String,
    pub berkas: String,
    /// `hilang` (no file) or `berubah` (other bytes than issued).
    pub masalah: &'static str,
}

/// What `periksa` found. Whole when every list is empty and the database is whole.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Temuan {
    /// SQLite's integrity check, when it found damage.
    pub basis_data_rusak: Option<String>,
    pub surat_bermasalah: Vec<SuratBermasalah>,
    /// Letter files whose number the register does not hold (`pulihkan` records them).
    pub surat_tanpa_catatan: Vec<String>,
    /// Leftovers of a write that was killed: removed, since they may hold a name or NIK.
    pub sementara_dihapus: Vec<String>,
    /// Leftovers that could not be removed (a read-only workspace): to remove by hand.
    pub sementara_tertinggal: Vec<String>,
    /// What stage 4 needs and cannot have: a template, the logo.
    pub cetak: Vec<String>,
    pub jumlah_surat: usize,
}

impl Temuan {
    pub fn baik(&self) -> bool {
        self.basis_data_rusak.is_none()
            && self.surat_bermasalah.is_empty()
            && self.surat_tanpa_catatan.is_empty()
            && self.sementara_tertinggal.is_empty()
            && self.cetak.is_empty()
    }
}

/// The health check of a workspace: the database, every letter against its fingerprint,
/// letter files the register does not hold, leftovers of killed writes, and what printing
/// a letter needs.
pub fn periksa(ws: &Workspace, reg: &Register) -> Result<Temuan> {
    let mut t = Temuan {
        basis_data_rusak: reg.integrity_check()?,
        ..Temuan::default()
    };
    let mut stale = Vec::new();
    let out = ws.dir.join(OUTPUT_DIR);
    let mut dirs = vec![out.clone()];
    walk(&out, &mut |p| {
        if let Some(d) = p.parent()
            && !dirs.iter().any(|x| x == d)
        {
            dirs.push(d.to_path_buf());
        }
    })?;
    for d in &dirs {
        stale.extend(files::stale_temporaries(d).map_err(|e| io(d, e))?);
    }
    for p in stale {
        match std::fs::remove_file(&p) {
            Ok(()) => t.sementara_dihapus.push(p.display().to_string()),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
                ) =>
            {
                t.sementara_tertinggal.push(p.display().to_string())
            }
            Err(e) => return Err(io(&p, e)),
        }
    }
    if t.basis_data_rusak.is_some() {
        // Nothing read from a damaged file can be trusted; the rest waits for the mend.
        return Ok(t);
    }
    let issued = reg.letter_fingerprints()?;
    t.jumlah_surat = issued.len();
    for (nomor, berkas, sha256) in issued {
        let path = ws.dir.join(&berkas);
        let masalah = match std::fs::read(&path) {
            Ok(bytes) if acak::sha256_hex(&bytes) == sha256 => continue,
            Ok(_) => "berubah",
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => "hilang",
            Err(e) => return Err(io(&path, e)),
        };
        t.surat_bermasalah.push(SuratBermasalah {
            nomor,
            berkas,
            masalah,
        });
    }
    let known = reg.known_letter_files()?;
    t.surat_tanpa_catatan = letter_files(ws)?
        .into_iter()
        .filter(|f| !known.contains(f))
        .collect();
    match render::for_workspace(ws) {
        Err(e) => t.cetak.push(e.to_string()),
        Ok(r) => {
            let templates: BTreeSet<&str> = ws
                .katalog
                .jenis
                .iter()
                .map(|j| j.templat.as_str())
                .collect();
            for tpl in templates {
                if !r.has_template(tpl) {
                    t.cetak.push(format!("templat {tpl} tidak ada"));
                }
            }
        }
    }
    Ok(t)
}

/// What `pulihkan` did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Pemulihan {
    /// Numbers newly recorded from the archive.
    pub dicatat: Vec<String>,
    /// Letter files whose number could not be read from their name under the profile's
    /// pattern: recorded nowhere, to be looked at by hand.
    pub tidak_terbaca: Vec<String>,
}

/// Opens the register for `pulihkan`: an empty one is made even beside a full archive,
/// since recording the archive's numbers is what comes next.
pub fn open_register_for_recovery(ws: &Workspace) -> Result<Register> {
    Ok(Register::open(&ws.db_path(), ws.profil.tz())?)
}

/// Records every letter file the register does not hold as a number taken, so that the
/// sequence continues after it; idempotent.
pub fn pulihkan(
    ws: &Workspace,
    reg: &mut Register,
    now: DateTime<FixedOffset>,
) -> Result<Pemulihan> {
    let known = reg.known_letter_files()?;
    let mut found = Vec::new();
    let mut p = Pemulihan::default();
    for berkas in letter_files(ws)? {
        if known.contains(&berkas) {
            continue;
        }
        let stem = Path::new(&berkas)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let Some((urut, tahun)) = numbering::parse_file_stem(&ws.profil.penomoran.pola, &stem)
        else {
            p.tidak_terbaca.push(berkas);
            continue;
        };
        let path = ws.dir.join(&berkas);
        let bytes = std::fs::read(&path).map_err(|e| io(&path, e))?;
        found.push(NomorDitemukan {
            tahun,
            urut,
            berkas: berkas.clone(),
            sha256: acak::sha256_hex(&bytes),
        });
        p.dicatat.push(stem);
    }
    reg.record_found_numbers(&found, now)?;
    Ok(p)
}
