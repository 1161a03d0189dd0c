//! The letter service: issuing a letter as a request reaches stage 4, printing it again,
//! voiding it, printing a month of letters, and verifying a file or a paper copy's code.
//! Joins the register (records), documents (what a letter says) and render (Typst).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{DateTime, Datelike, FixedOffset};
use serde::Serialize;

use crate::config::workspace::{LingkupNomor, PenandaTangan, Workspace};
use crate::domain::calendar::{self, Bulan};
use crate::domain::katalog::JenisSurat;
use crate::domain::numbering;
use crate::domain::permohonan::Permohonan;
use crate::domain::surat::{Surat, SuratBaru, Terbitan};
use crate::domain::workflow::{Peran, Tahap};
use crate::paper::documents::{self, BatalData, LetterData, LetterFacts};
use crate::paper::render::{Job, LazyRenderer, RenderError, Renderer, qr_svg};
use crate::store::{Issue, Register, RegisterError};
use crate::util::acak::sha256_hex;
use crate::util::files;

#[derive(Debug, thiserror::Error)]
pub enum SuratError {
    #[error(transparent)]
    Register(#[from] RegisterError),
    #[error(transparent)]
    Render(#[from] RenderError),
    #[error(transparent)]
    Paper(#[from] crate::paper::PaperError),
    #[error("jenis surat `{0}` tidak ada di katalog")]
    UnknownType(String),
    #[error("{0}: {1}")]
    Io(String, std::io::Error),
    #[error("data surat {0} yang tersimpan tidak dapat dibaca: {1}")]
    StoredData(String, String),
    #[error(
        "berkas {berkas} (nomor {nomor}) sudah ada di arsip surat, padahal register tidak mencatat nomor itu. Register ini tampaknya lebih lama dari arsipnya (cadangan yang dipulihkan, atau basis data yang hilang). Jalankan `kelurahan pulihkan` agar nomor-nomor di arsip dicatat dan nomor berikutnya melanjutkannya"
    )]
    ArchiveAhead { berkas: String, nomor: String },
    #[error(
        "berkas surat {0} di arsip tidak sama dengan surat yang diterbitkan, dan tidak ditimpa (berkas surat adalah bukti); jalankan `kelurahan periksa`, atau cetak ulang ke tempat lain dengan --keluar"
    )]
    ArchiveDiffers(String),
    #[error(
        "surat tidak diterbitkan: basis data rusak ({0}). Jalankan `kelurahan periksa`, lalu pulihkan basis data dari cadangan di output/cadangan/"
    )]
    Damaged(String),
    #[error(
        "surat permohonan {nomor} belum dapat diterbitkan; yang kosong:{}\nLengkapi dengan `kelurahan permohonan lengkapi {nomor} ...`",
        .kurang.iter().map(|(label, how)| format!("\n  - {label} ({how})")).collect::<String>()
    )]
    IdentitasKurang {
        nomor: String,
        /// (label, how to give it)
        kurang: Vec<(String, String)>,
    },
}

type Result<T> = std::result::Result<T, SuratError>;

/// What `jenis` cannot print without that the request lacks (a request registered
/// before the type required it, or imported from an old register).
pub fn kurang(jenis: &JenisSurat, p: &Permohonan) -> Vec<(String, String, String)> {
    jenis.kurang(|k| match k {
        "alamat" => p.alamat.is_some(),
        "rt" => p.rt.is_some(),
        "rw" => p.rw.is_some(),
        "kk" => p.kk.is_some(),
        "telepon" => p.telepon.is_some(),
        k => p.isian.get(k).is_some_and(|v| !v.trim().is_empty()),
    })
}

/// What a letter's QR code holds: the office's verification address for it, or the code.
fn qr_text(ws: &Workspace, code: &str) -> String {
    ws.profil.dokumen.url_verifikasi(code).unwrap_or_else(|| {
        format!(
            "{} - verifikasi surat: {code}",
            ws.profil.kantor.kelurahan.trim()
        )
    })
}

/// Where an issued letter's PDF lives, relative to the workspace. No personal data.
pub fn letter_path(nomor: &str, tanggal: chrono::NaiveDate) -> String {
    format!(
        "output/surat/{:04}/{:02}/{}.pdf",
        tanggal.year(),
        tanggal.month(),
        numbering::file_stem(nomor)
    )
}

fn render_data(
    ws: &Workspace,
    renderer: &Renderer,
    data: &LetterData,
    jenis: &str,
) -> Result<Vec<u8>> {
    let j = ws
        .katalog
        .jenis(jenis)
        .ok_or_else(|| SuratError::UnknownType(jenis.to_string()))?;
    let json = serde_json::to_vec(data).expect("letter data serializes");
    let qr = qr_svg(&qr_text(ws, &data.surat.kode_verifikasi));
    let date = calendar::parse_tanggal(&data.surat.tanggal)
        .map_err(|e| SuratError::StoredData(data.surat.nomor.clone(), e.to_string()))?;
    Ok(renderer.render(&Job {
        template: &j.templat,
        data: &json,
        qr_svg: Some(&qr),
        ident: &format!("surat {}", data.surat.nomor),
        date,
    })?)
}

/// Moves a request forward from `dari`, the stage the person saw (a request that has
/// moved on since is refused, so a double click moves it once). The move to stage 4
/// issues its letter: numbered, rendered, written to `output/surat/` and recorded in one
/// transaction.
#[allow(clippy::too_many_arguments)]
pub fn advance(
    reg: &mut Register,
    ws: &Workspace,
    renderer: &LazyRenderer,
    id: i64,
    dari: Tahap,
    peran: Peran,
    oleh: &str,
    catatan: Option<&str>,
    at: DateTime<FixedOffset>,
    penanda_tangan: Option<PenandaTangan>,
) -> Result<Permohonan> {
    let p = reg.get(id)?;
    let issuing = dari == Tahap::Diteruskan && p.tahap == dari;
    if !issuing {
        return Ok(reg.advance(id, dari, peran, oleh, catatan, at, None)?);
    }
    let jenis = ws
        .katalog
        .jenis(&p.jenis)
        .ok_or_else(|| SuratError::UnknownType(p.jenis.clone()))?;
    // Empty fields, and values that contradict the letter, named together.
    let mut missing: Vec<(String, String)> = kurang(jenis, &p)
        .into_iter()
        .map(|(_, l, h)| (l, h))
        .collect();
    missing.extend(
        jenis
            .nilai_salah(|k| p.isian.get(k).map(String::as_str))
            .into_iter()
            .map(|(field, pesan)| {
                let kunci = field.trim_start_matches("isian ");
                (pesan, format!("--isian {kunci}=..."))
            }),
    );
    if !missing.is_empty() {
        return Err(SuratError::IdentitasKurang {
            nomor: p.nomor_register.clone(),
            kurang: missing,
        });
    }
    // A letter is evidence: never issued into a register that SQLite finds damaged.
    if let Some(damage) = reg.quick_check()? {
        return Err(SuratError::Damaged(damage));
    }
    let r = renderer.get()?;
    let who = penanda_tangan.unwrap_or(ws.profil.dokumen.penanda_tangan);
    // The file this call wrote, removed again if the move does not commit.
    let mut written: Option<PathBuf> = None;
    let mut produce =
        |p: &Permohonan,
         s: &SuratBaru|
         -> std::result::Result<Terbitan, Box<dyn std::error::Error + Send + Sync>> {
            let data = documents::letter(
                &ws.profil,
                jenis,
                p,
                &LetterFacts {
                    nomor: &s.nomor,
                    tanggal: s.tanggal,
                    kode_verifikasi: &s.kode_verifikasi,
                    penanda_tangan: who,
                },
            );
            let pdf = render_data(ws, r, &data, &p.jenis)?;
            let rel = letter_path(&s.nomor, s.tanggal);
            let path = ws.dir.join(&rel);
            // Never over a file that is there: it is a letter someone holds.
            files::write_new(&path, &pdf).map_err(|e| match e.kind() {
                std::io::ErrorKind::AlreadyExists => SuratError::ArchiveAhead {
                    berkas: rel.clone(),
                    nomor: s.nomor.clone(),
                },
                _ => SuratError::Io(path.display().to_string(), e),
            })?;
            written = Some(path);
            Ok(Terbitan {
                data: serde_json::to_string(&data).expect("letter data serializes"),
                sha256: sha256_hex(&pdf),
                berkas: rel,
            })
        };
    let lingkup = match ws.profil.penomoran.lingkup {
        LingkupNomor::Kantor => "kantor".to_string(),
        LingkupNomor::Jenis => jenis.kode.clone(),
    };
    let mut issue = Issue {
        pola: &ws.profil.penomoran.pola,
        lingkup: &lingkup,
        kode_unit: &ws.profil.kantor.kode_unit,
        kode_klasifikasi: &jenis.kode_klasifikasi,
        penanda_tangan: who.kode(),
        produce: &mut produce,
    };
    let moved = reg.advance(id, dari, peran, oleh, catatan, at, Some(&mut issue));
    if moved.is_err()
        && let Some(path) = written
    {
        let _ = std::fs::remove_file(path);
    }
    Ok(moved?)
}

/// The letter as printed now: the original bytes for a valid letter (from its file if
/// intact, else rendered again from its stored data), or marked void.
pub fn print(ws: &Workspace, renderer: &Renderer, s: &Surat) -> Result<Vec<u8>> {
    if s.batal.is_none() {
        let file = ws.dir.join(&s.berkas);
        if let Ok(bytes) = std::fs::read(&file)
            && sha256_hex(&bytes) == s.sha256
        {
            return Ok(bytes);
        }
    }
    render_stored(ws, renderer, s)
}

/// Renders a letter from the data stored when it was issued (marked void if it is).
pub fn render_stored(ws: &Workspace, renderer: &Renderer, s: &Surat) -> Result<Vec<u8>> {
    let mut data: LetterData = serde_json::from_str(&s.data)
        .map_err(|e| SuratError::StoredData(s.nomor.clone(), e.to_string()))?;
    if let Some(b) = &s.batal {
        data.surat.batal = Some(BatalData {
            tanggal: b.waktu.date_naive().to_string(),
            alasan: b.alasan.clone(),
        });
    }
    render_data(ws, renderer, &data, &s.jenis)
}

/// Where a reprint goes by default: the letter's own file, or beside it marked void.
pub fn print_path(s: &Surat) -> String {
    match s.batal {
        None => s.berkas.clone(),
        Some(_) => s.berkas.trim_end_matches(".pdf").to_string() + "-BATAL.pdf",
    }
}

/// Writes a printed letter to `path`. A copy elsewhere is written as asked; the letter's
/// own file in the archive is evidence and is never replaced: left as it is when it holds
/// these bytes, made again when missing, refused when it holds other bytes (`periksa`
/// names it).
pub fn save_print(ws: &Workspace, s: &Surat, pdf: &[u8], path: &Path) -> Result<()> {
    let io = |e| SuratError::Io(path.display().to_string(), e);
    let own = ws.dir.join(&s.berkas);
    // The same file however the path was written (relative, through a link).
    let same = path == own
        || (path.file_name() == own.file_name()
            && path.parent().and_then(|p| std::fs::canonicalize(p).ok())
                == own.parent().and_then(|p| std::fs::canonicalize(p).ok())
            && own.parent().is_some_and(|p| p.exists()));
    if !same {
        return files::write_atomic(path, pdf).map_err(io);
    }
    match std::fs::read(path) {
        Ok(bytes) if bytes == pdf => Ok(()),
        Ok(_) => Err(SuratError::ArchiveDiffers(s.berkas.clone())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            files::write_new(path, pdf).map_err(io)
        }
        Err(e) => Err(io(e)),
    }
}

/// Whether a printed letter matches what was issued.
pub fn matches_issued(s: &Surat, bytes: &[u8]) -> bool {
    sha256_hex(bytes) == s.sha256
}

/// What `--bulan` did.
#[derive(Debug, Clone, Serialize)]
pub struct MonthResult {
    pub bulan: String,
    pub jumlah: usize,
    pub folder: PathBuf,
    pub batal: usize,
}

/// Prints every letter dated in `bulan` into `out_dir`, on `workers` threads.
pub fn print_month(
    ws: &Workspace,
    reg: &Register,
    bulan: Bulan,
    out_dir: &Path,
    workers: usize,
) -> Result<MonthResult> {
    let letters = reg.letters_in(bulan)?;
    let renderer = crate::paper::render::for_workspace(ws)?;
    files::create_private_dir(out_dir)
        .map_err(|e| SuratError::Io(out_dir.display().to_string(), e))?;
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let failure: Mutex<Option<SuratError>> = Mutex::new(None);
    let progress = std::io::stderr().is_terminal();
    let total = letters.len();
    let workers = workers.clamp(1, 16);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            // Letters are driven by plain threads with large stacks; typst itself uses
            // rayon's pool inside each letter.
            std::thread::Builder::new()
                .stack_size(16 << 20)
                .spawn_scoped(scope, || {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= total || failure.lock().expect("lock").is_some() {
                            break;
                        }
                        let s = &letters[i];
                        let result = print(ws, &renderer, s).and_then(|pdf| {
                            let name = Path::new(&print_path(s))
                                .file_name()
                                .map(|n| n.to_owned())
                                .unwrap_or_default();
                            save_print(ws, s, &pdf, &out_dir.join(name))
                        });
                        if let Err(e) = result {
                            *failure.lock().expect("lock") = Some(e);
                            break;
                        }
                        let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                        if progress {
                            let width = 30;
                            let filled = n * width / total.max(1);
                            let mut err = std::io::stderr().lock();
                            let _ = write!(
                                err,
                                "\r[{}{}] {n}/{total} surat",
                                "#".repeat(filled),
                                " ".repeat(width - filled)
                            );
                            let _ = err.flush();
                        }
                    }
                })
                .expect("spawn render worker");
        }
    });
    if progress && total > 0 {
        eprintln!();
    }
    if let Some(e) = failure.into_inner().expect("lock") {
        return Err(e);
    }
    Ok(MonthResult {
        bulan: bulan.to_string(),
        jumlah: total,
        folder: out_dir.to_path_buf(),
        batal: letters.iter().filter(|s| s.batal.is_some()).count(),
    })
}

/// The answer to "is this a letter we issued?". Never carries a NIK.
#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    pub sah: bool,
    pub nomor: Option<String>,
    pub tanggal: Option<String>,
    pub jenis: Option<String>,
    pub nomor_register: Option<String>,
    pub dibatalkan: Option<String>,
    /// The holder's name with all but each word's first letter hidden: enough to match a
    /// paper copy, not to learn who holds it.
    pub nama_samaran: Option<String>,
    pub pesan: String,
}

fn verdict_for(ws: &Workspace, reg: &Register, s: &Surat, unchanged: bool) -> Result<Verdict> {
    let p = reg.get(s.permohonan_id)?;
    let jenis = ws
        .katalog
        .jenis(&s.jenis)
        .map_or(s.jenis.clone(), |j| j.nama.clone());
    let dibatalkan = s.batal.as_ref().map(|b| {
        format!(
            "dibatalkan {} oleh {}: {}",
            calendar::tanggal(b.waktu.date_naive()),
            b.oleh,
            b.alasan
        )
    });
    let sah = s.batal.is_none();
    let pesan = match (&dibatalkan, unchanged) {
        (Some(d), _) => format!(
            "Surat nomor {} pernah diterbitkan, tetapi sudah {d}. Surat ini TIDAK BERLAKU.",
            s.nomor
        ),
        (None, true) => format!(
            "SAH: {jenis} nomor {}, tanggal {}, diterbitkan {} dan tidak berubah.",
            s.nomor,
            calendar::tanggal(s.tanggal),
            ws.profil.kantor.kelurahan
        ),
        (None, false) => format!(
            "SAH: kode cocok dengan {jenis} nomor {}, tanggal {}. Cocokkan isi salinan kertas dengan data ini.",
            s.nomor,
            calendar::tanggal(s.tanggal)
        ),
    };
    Ok(Verdict {
        sah,
        nomor: Some(s.nomor.clone()),
        tanggal: Some(s.tanggal.to_string()),
        jenis: Some(jenis),
        nama_samaran: Some(crate::domain::identity::mask_name(&p.nama)),
        nomor_register: Some(p.nomor_register),
        dibatalkan,
        pesan,
    })
}

fn unknown(pesan: String) -> Verdict {
    Verdict {
        sah: false,
        nomor: None,
        tanggal: None,
        jenis: None,
        nomor_register: None,
        dibatalkan: None,
        nama_samaran: None,
        pesan,
    }
}

/// Checks a PDF file against the register by its SHA-256.
pub fn verify_file(ws: &Workspace, reg: &Register, bytes: &[u8]) -> Result<Verdict> {
    match reg.letter_by_sha256(&sha256_hex(bytes))? {
        Some(s) => verdict_for(ws, reg, &s, true),
        None => Ok(unknown(format!(
            "TIDAK DIKENAL: berkas ini bukan surat yang diterbitkan {}, atau isinya sudah diubah.",
            ws.profil.kantor.kelurahan
        ))),
    }
}

/// Checks a verification code read off a paper copy.
pub fn verify_code(ws: &Workspace, reg: &Register, code: &str) -> Result<Verdict> {
    let code = numbering::normalize_code(code);
    match reg.letter_by_code(&code)? {
        Some(s) => verdict_for(ws, reg, &s, false),
        None => Ok(unknown(format!(
            "TIDAK DIKENAL: tidak ada surat {} dengan kode {code}.",
            ws.profil.kantor.kelurahan
        ))),
    }
}
