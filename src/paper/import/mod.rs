//! Importing the office's old Excel registers (xls, xlsx, xlsb, ods): each file read
//! whole, its register sheets found, every row accounted for (imported, flagged,
//! rejected with a reason, duplicate, or skipped as not data), and the good rows
//! written through the register, one transaction per file.

pub mod laporan;
pub mod penduduk;
pub mod peta;
pub mod read;
pub mod sheet;
pub mod value;
pub mod xls;

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

pub use peta::Peta;
pub use read::Nilai;

use crate::domain::katalog::Katalog;
use crate::domain::permohonan::PermohonanImpor;
use crate::domain::surat::{HasilImpor, Penomoran};
use crate::store::{ImporRegister, Register, RegisterError};

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Register(#[from] RegisterError),
    #[error(transparent)]
    Peta(#[from] crate::config::toml_file::TomlError),
    #[error("berkas peta {0} tidak dapat dibaca: {1}")]
    PetaIo(String, std::io::Error),
}

/// Counts of what became of the rows.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Jumlah {
    pub dibaca: usize,
    pub diimpor: usize,
    /// Imported, with something to check (a subset of `diimpor`).
    pub ditandai: usize,
    pub ditolak: usize,
    pub ganda: usize,
    pub dilewati: usize,
    pub ditolak_per_alasan: BTreeMap<String, usize>,
    pub ditandai_per_alasan: BTreeMap<String, usize>,
    pub dilewati_per_alasan: BTreeMap<String, usize>,
}

impl Jumlah {
    pub(crate) fn add(&mut self, o: &Jumlah) {
        self.dibaca += o.dibaca;
        self.diimpor += o.diimpor;
        self.ditandai += o.ditandai;
        self.ditolak += o.ditolak;
        self.ganda += o.ganda;
        self.dilewati += o.dilewati;
        for (a, b) in [
            (&mut self.ditolak_per_alasan, &o.ditolak_per_alasan),
            (&mut self.ditandai_per_alasan, &o.ditandai_per_alasan),
            (&mut self.dilewati_per_alasan, &o.dilewati_per_alasan),
        ] {
            for (k, v) in b {
                *a.entry(k.clone()).or_default() += v;
            }
        }
    }
}

/// One sheet of a file: read as a register, or skipped and why.
#[derive(Debug, Clone, Serialize)]
pub struct InfoLembar {
    pub nama: String,
    /// 1-based row of the header's last line, for a register sheet.
    pub baris_judul: Option<u32>,
    pub dibaca: usize,
    /// `bukan_register`, `kosong`, `tersembunyi`.
    pub dilewati: Option<String>,
    pub alasan: Option<String>,
}

impl InfoLembar {
    /// A sheet passed over, and why (`kode`, in words by `alasan_label`).
    fn dilewati(l: &read::Lembar, kode: &str) -> InfoLembar {
        InfoLembar {
            nama: l.nama.clone(),
            baris_judul: None,
            dibaca: 0,
            dilewati: Some(kode.to_string()),
            alasan: Some(alasan_label(kode).to_string()),
        }
    }

    /// A sheet read from the row under its header (0-based `header_row`).
    fn dibaca(l: &read::Lembar, header_row: u32) -> InfoLembar {
        InfoLembar {
            nama: l.nama.clone(),
            baris_judul: Some(header_row + 1),
            dibaca: 0,
            dilewati: None,
            alasan: None,
        }
    }
}

/// Why a sheet is not read at all, before its header is looked for.
fn lembar_tanpa_isi(l: &read::Lembar) -> Option<&'static str> {
    if l.tersembunyi {
        Some("tersembunyi")
    } else if l.bounds().is_none() {
        Some("kosong")
    } else {
        None
    }
}

/// What became of one file.
#[derive(Debug, Clone, Serialize)]
pub struct HasilBerkas {
    pub berkas: String,
    /// `diimpor`, `uji` (dry run) or `ditolak` (the whole file).
    pub status: String,
    pub galat: Option<String>,
    pub jumlah: Jumlah,
    pub lembar: Vec<InfoLembar>,
}

/// A row a clerk should look at: rejected, flagged, or a duplicate.
#[derive(Debug, Clone, Serialize)]
pub struct CatatanBaris {
    pub berkas: String,
    pub lembar: String,
    /// The Excel row number (1-based).
    pub baris: u32,
    /// `ditolak`, `ditandai` or `ganda`.
    pub hasil: String,
    pub kode: String,
    pub alasan: String,
    /// The register number it got (imported) or duplicates (ganda).
    pub nomor_register: Option<String>,
    /// The row's cells as they were, by column letter; for the error report only.
    #[serde(skip)]
    pub asli: Vec<(String, Nilai)>,
}

/// The whole run.
#[derive(Debug, Clone, Serialize)]
pub struct Ringkasan {
    pub uji: bool,
    /// What was imported, in the report's title: `register` or `daftar penduduk`.
    #[serde(skip)]
    pub isi: &'static str,
    pub berkas: Vec<HasilBerkas>,
    pub jumlah: Jumlah,
    pub baris: Vec<CatatanBaris>,
    /// Each letter type spelling the map did not know, with the line that would teach it.
    pub saran_peta: Vec<SaranPeta>,
}

/// An unknown letter type spelling, how often it was written, and the closest catalog type.
#[derive(Debug, Clone, Serialize)]
pub struct SaranPeta {
    pub tertulis: String,
    pub jumlah: usize,
    /// The closest catalog type, when one is alike.
    pub kode: Option<String>,
    pub nama: Option<String>,
    /// The line for the `[jenis]` part of `peta-impor.toml`.
    pub baris: String,
}

impl Ringkasan {
    /// Files refused whole.
    pub fn refused(&self) -> usize {
        self.berkas.iter().filter(|b| b.status == "ditolak").count()
    }
}

/// Words for a reason code.
pub fn alasan_label(kode: &str) -> &'static str {
    match kode {
        "nama_kosong" => "nama kosong",
        "nik_kosong" => "NIK kosong",
        "nik_bentuk" => "NIK salah bentuk",
        "nik_provinsi" => "NIK dengan kode provinsi tak dikenal",
        "nik_tanggal_lahir" => "NIK dengan tanggal lahir mustahil",
        "tanggal_kosong" => "tanggal kosong",
        "tanggal_tidak_sah" => "tanggal mustahil atau tak terbaca",
        "jenis_kosong" => "jenis surat kosong",
        "jenis_tidak_dikenal" => "jenis surat tak dikenal",
        "galat_sel" => "sel berisi galat",
        "teks_tidak_sah" => {
            "teks yang tidak dapat ditampilkan atau dicetak (karakter kendali, tak terlihat, terlalu panjang, huruf tak tercetak)"
        }
        "nik_presisi_hilang" => "NIK tersimpan sebagai angka (angka ke-16 hilang)",
        "selesai_sebelum_masuk" => "selesai sebelum masuk",
        "kk_tidak_sah" => "nomor KK tidak sah (tidak diimpor)",
        "kanal_tidak_dikenal" => "kanal tak dikenal",
        "status_tidak_dikenal" => "status tak dikenal",
        "tanggal_lain_tidak_sah" => "tanggal selesai/surat tak terbaca",
        "nomor_register_terpakai" => "nomor register sudah dipakai (diberi nomor baru)",
        "nomor_surat_terpakai" => "nomor surat sudah dipakai (tidak disimpan)",
        "bukan_register" => "bukan register (tidak ada judul kolom nama dan NIK)",
        "nilai_tidak_dikenal" => "nilai di luar daftar tetap (agama, status, SHDK, …)",
        "nik_tidak_cocok" => "jenis kelamin atau tanggal lahir tidak cocok dengan NIK",
        "rt_rw_tidak_sah" => "RT/RW bukan nomor 1 sampai 999",
        "telepon_tidak_sah" => "nomor telepon tidak sah",
        "teks_status_dibuang" => "status berisi teks yang tidak dapat ditampilkan (tidak disimpan)",
        "ganda_dalam_berkas" => "NIK yang sama sudah ada di baris sebelumnya",
        "sudah_tercatat" => {
            "sudah tercatat; tidak ada yang baru (data yang lebih baru tidak ditimpa)"
        }
        "bukan_daftar_penduduk" => "bukan daftar penduduk (tidak ada judul kolom NIK dan nama)",
        "kosong" => "kosong",
        "tersembunyi" => "lembar tersembunyi",
        other => sheet::lewati_label(other),
    }
}

/// Loads the import map: built in, the workspace's `peta-impor.toml`, then `--peta`.
pub fn load_peta(dir: &Path, katalog: &Katalog, extra: Option<&Path>) -> Result<Peta, ImportError> {
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    let ws = dir.join(peta::WORKSPACE_FILE);
    if ws.exists() {
        let t = std::fs::read_to_string(&ws)
            .map_err(|e| ImportError::PetaIo(ws.display().to_string(), e))?;
        files.push((ws, t));
    }
    if let Some(p) = extra {
        let t = std::fs::read_to_string(p)
            .map_err(|e| ImportError::PetaIo(p.display().to_string(), e))?;
        files.push((p.to_path_buf(), t));
    }
    let refs: Vec<(&Path, String)> = files
        .iter()
        .map(|(p, t)| (p.as_path(), t.clone()))
        .collect();
    Ok(Peta::load(katalog, &refs)?)
}

/// How the run is done.
pub struct Opsi<'a> {
    pub peta: &'a Peta,
    pub katalog: &'a Katalog,
    pub penomoran: Penomoran<'a>,
    /// Who imports: named in the history.
    pub oleh: &'a str,
    pub at: DateTime<FixedOffset>,
    /// Dry run: nothing is written.
    pub uji: bool,
}

/// A flag on an imported row: code and words.
type Tanda = (&'static str, String);

/// The cells of a row as they were, by column letter.
type Asli = Vec<(String, Nilai)>;

/// A file read and checked, before the register sees it. The workbook itself is not
/// kept: the original cells of rejected and flagged rows are copied out while reading.
struct Dibaca {
    berkas: String,
    path: PathBuf,
    digest: [u8; 32],
    lembar: Vec<InfoLembar>,
    calon_asal: Vec<Asal>,
    tolak: Vec<Tolak>,
    jumlah: Jumlah,
    /// Unknown letter type spellings, with how often each was written.
    jenis_asing: BTreeMap<String, usize>,
}

/// Where a candidate came from, and its flags (with its cells when flagged).
struct Asal {
    lembar: usize,
    row: u32,
    tanda: Vec<Tanda>,
    asli: Asli,
}

struct Tolak {
    lembar: usize,
    row: u32,
    kode: &'static str,
    pesan: String,
    asli: Asli,
}

fn column_letter(mut c: u32) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).expect("ascii")
}

fn originals(l: &read::Lembar, row: u32) -> Asli {
    let Some(((_, c0), (_, c1))) = l.bounds() else {
        return Vec::new();
    };
    (c0..=c1)
        .map(|c| (column_letter(c), l.get(row, c)))
        .collect()
}

fn bar(len: u64, msg: String) -> Option<indicatif::ProgressBar> {
    (len > 5_000 && std::io::stderr().is_terminal()).then(|| {
        let b = indicatif::ProgressBar::new(len);
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{msg} [{bar:30}] {pos}/{len} baris ({eta} lagi)",
            )
            .expect("valid template")
            .progress_chars("=> "),
        );
        b.set_message(msg);
        b
    })
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// The workbook, and a digest of the bytes it was read from.
fn open_whole(path: &Path) -> Result<(read::Buku, [u8; 32]), String> {
    use sha2::Digest;
    let bytes =
        std::fs::read(path).map_err(|e| read::Refusal::Unreadable(e.to_string()).to_string())?;
    let digest: [u8; 32] = sha2::Sha256::digest(&bytes).into();
    Ok((read::read(bytes).map_err(|e| e.to_string())?, digest))
}

/// A file's bytes and the digest they are known by (rows flagged later are read from
/// it again only if it has not changed).
fn open_file(path: &Path) -> Result<(Dibaca, Vec<u8>), String> {
    use sha2::Digest;
    let bytes =
        std::fs::read(path).map_err(|e| read::Refusal::Unreadable(e.to_string()).to_string())?;
    let d = Dibaca {
        berkas: file_name(path),
        path: path.to_path_buf(),
        digest: sha2::Sha256::digest(&bytes).into(),
        lembar: Vec::new(),
        calon_asal: Vec::new(),
        tolak: Vec::new(),
        jumlah: Jumlah::default(),
        jenis_asing: BTreeMap::new(),
    };
    Ok((d, bytes))
}

/// Reads the workbook as calamine parses it (`read::stream`) and checks every row:
/// counts and notes go into `d`, and each row fit for the register is handed to
/// `emit`, in the file's order.
fn check_file(
    bytes: Vec<u8>,
    d: &mut Dibaca,
    opsi: &Opsi,
    emit: &mut dyn FnMut(PermohonanImpor),
) -> Result<(), read::Refusal> {
    let berkas = d.berkas.clone();
    let ctx = sheet::Ctx {
        peta: opsi.peta,
        katalog: opsi.katalog,
        today: opsi.at.date_naive(),
        berkas: &berkas,
    };
    let progress = bar(bytes.len() as u64 / 40, format!("memeriksa {berkas}"));
    let mut header: Option<sheet::Header> = None;
    let mut signed = false;
    let r = read::stream(bytes, &mut |l, first| {
        if first {
            header = None;
            signed = false;
            if let Some(kode) = lembar_tanpa_isi(&l) {
                d.lembar.push(InfoLembar::dilewati(&l, kode));
                return;
            }
            let Some(h) = sheet::find_header(&l, opsi.peta) else {
                d.lembar.push(InfoLembar::dilewati(&l, "bukan_register"));
                return;
            };
            d.lembar.push(InfoLembar::dibaca(&l, h.last_row));
            header = Some(h);
        }
        let Some(h) = &header else { return };
        let i = d.lembar.len() - 1;
        let info = &mut d.lembar[i];
        sheet::rows(&l, h, &ctx, &mut signed, |row, hasil| {
            info.dibaca += 1;
            d.jumlah.dibaca += 1;
            if let Some(b) = &progress
                && d.jumlah.dibaca.is_multiple_of(1024)
            {
                b.set_position(d.jumlah.dibaca as u64);
            }
            match hasil {
                sheet::Hasil::Lewati(kode) => {
                    d.jumlah.dilewati += 1;
                    *d.jumlah.dilewati_per_alasan.entry(kode.into()).or_default() += 1;
                }
                sheet::Hasil::Tolak { kode, pesan } => {
                    if kode == "jenis_tidak_dikenal"
                        && let Some(c) = h.col(&peta::Kolom::Jenis)
                    {
                        let t = l.isi(row, c).text();
                        *d.jenis_asing
                            .entry(t.split_whitespace().collect::<Vec<_>>().join(" "))
                            .or_default() += 1;
                    }
                    d.jumlah.ditolak += 1;
                    *d.jumlah.ditolak_per_alasan.entry(kode.into()).or_default() += 1;
                    d.tolak.push(Tolak {
                        lembar: i,
                        row,
                        kode,
                        pesan,
                        asli: originals(&l, row),
                    });
                }
                sheet::Hasil::Calon { p, tanda } => {
                    emit(*p);
                    let asli = if tanda.is_empty() {
                        Vec::new()
                    } else {
                        originals(&l, row)
                    };
                    d.calon_asal.push(Asal {
                        lembar: i,
                        row,
                        tanda,
                        asli,
                    });
                }
            }
        });
    });
    if let Some(b) = progress {
        b.finish_and_clear();
    }
    r
}

/// Runs `produce` on another core and hands what it yields to `consume` here, in order
/// and in batches: a sheet's rows are checked while the register writes the ones
/// before them. `consume` runs on the calling thread, which holds the transaction.
pub(crate) fn pipelined<T: Send>(
    produce: impl FnOnce(&mut dyn FnMut(T)) + Send,
    mut consume: impl FnMut(T),
) {
    const BATCH: usize = 512;
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<T>>(8);
    std::thread::scope(|s| {
        s.spawn(move || {
            let mut batch = Vec::with_capacity(BATCH);
            let mut open = true;
            produce(&mut |item| {
                if !open {
                    return;
                }
                batch.push(item);
                if batch.len() == BATCH {
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                    open = tx.send(full).is_ok();
                }
            });
            if open && !batch.is_empty() {
                let _ = tx.send(batch);
            }
        });
        for batch in rx {
            batch.into_iter().for_each(&mut consume);
        }
    });
}

/// Reads and checks one file's rows on another core while the register takes the ones
/// before them here, inside `imp`'s transaction; says what became of each row fit for
/// it. A file found unreadable halfway (`Ok(Err(words))`) is refused whole: what it
/// had written is rolled back.
fn feed(
    imp: &mut ImporRegister<'_>,
    bytes: Vec<u8>,
    d: &mut Dibaca,
    opsi: &Opsi,
) -> Result<Result<Vec<HasilImpor>, String>, ImportError> {
    let mut failed: Option<RegisterError> = None;
    let mut refused: Option<read::Refusal> = None;
    imp.savepoint()?;
    pipelined(
        |emit: &mut dyn FnMut(PermohonanImpor)| refused = check_file(bytes, d, opsi, emit).err(),
        |p| {
            if failed.is_none()
                && let Err(e) = imp.row(p)
            {
                failed = Some(e);
            }
        },
    );
    if let Some(e) = failed {
        return Err(e.into());
    }
    if let Some(r) = refused {
        imp.rollback_to_savepoint()?;
        return Ok(Err(r.to_string()));
    }
    let out = imp.finish()?;
    imp.release_savepoint()?;
    Ok(Ok(out))
}

/// Imports the files (or, with `uji`, checks them and writes nothing). A file that
/// cannot be read whole is refused and writes no row.
pub fn run(reg: &mut Register, files: &[PathBuf], opsi: &Opsi) -> Result<Ringkasan, ImportError> {
    let mut read_files: Vec<Result<Dibaca, (String, String)>> = Vec::new();
    let mut results: Vec<Vec<HasilImpor>> = Vec::new();
    let mut each = |imp: &mut ImporRegister<'_>, f: &PathBuf| -> Result<(), ImportError> {
        let refused = match open_file(f) {
            Err(e) => Some(e),
            Ok((mut d, bytes)) => match feed(imp, bytes, &mut d, opsi)? {
                Ok(r) => {
                    results.push(r);
                    read_files.push(Ok(d));
                    None
                }
                Err(e) => Some(e),
            },
        };
        if let Some(e) = refused {
            read_files.push(Err((file_name(f), e)));
        }
        Ok(())
    };
    // A dry run checks all files in one rolled-back transaction, so duplicates across
    // files are found as a real run would find them; a real run commits file by file.
    if opsi.uji {
        reg.import_with(opsi.oleh, opsi.at, opsi.penomoran, false, |imp| {
            files.iter().try_for_each(|f| each(imp, f))
        })?;
    } else {
        for f in files {
            reg.import_with(opsi.oleh, opsi.at, opsi.penomoran, true, |imp| each(imp, f))?;
        }
    }

    let mut ringkasan = Ringkasan {
        uji: opsi.uji,
        isi: "register",
        berkas: Vec::new(),
        jumlah: Jumlah::default(),
        baris: Vec::new(),
        saran_peta: Vec::new(),
    };
    let mut asing: BTreeMap<String, usize> = BTreeMap::new();
    let mut results = results.into_iter();
    for r in read_files {
        let d = match r {
            Err((berkas, galat)) => {
                ringkasan.berkas.push(HasilBerkas {
                    berkas,
                    status: "ditolak".into(),
                    galat: Some(galat),
                    jumlah: Jumlah::default(),
                    lembar: Vec::new(),
                });
                continue;
            }
            Ok(d) => d,
        };
        for (t, n) in &d.jenis_asing {
            *asing.entry(t.clone()).or_default() += n;
        }
        let hasil = results.next().expect("one result per file read");
        let (jumlah, baris) = account(&d, hasil);
        ringkasan.baris.extend(baris);
        ringkasan.jumlah.add(&jumlah);
        ringkasan.berkas.push(HasilBerkas {
            berkas: d.berkas,
            status: if opsi.uji { "uji" } else { "diimpor" }.into(),
            galat: None,
            jumlah,
            lembar: d.lembar,
        });
    }
    ringkasan.saran_peta = asing
        .into_iter()
        .map(|(tertulis, jumlah)| {
            let j = opsi
                .peta
                .jenis_mirip(&tertulis)
                .and_then(|k| opsi.katalog.jenis(k));
            let kode = j.map_or("KODE", |j| j.kode.as_str());
            SaranPeta {
                baris: format!("{kode} = [{}]", sheet::toml_string(&tertulis)),
                kode: j.map(|j| j.kode.clone()),
                nama: j.map(|j| j.nama.clone()),
                tertulis,
                jumlah,
            }
        })
        .collect();
    Ok(ringkasan)
}

/// One file's counts and noted rows, once the register has said what became of each.
fn account(d: &Dibaca, hasil: Vec<HasilImpor>) -> (Jumlah, Vec<CatatanBaris>) {
    let mut jumlah = d.jumlah.clone();
    // (sheet, row, note): sorted into the file's order at the end.
    let mut baris: Vec<(usize, u32, CatatanBaris)> = Vec::new();
    let note = |lembar: usize,
                row: u32,
                hasil: &str,
                kode: &str,
                alasan: String,
                nomor: Option<String>,
                asli: Asli| {
        (
            lembar,
            row,
            CatatanBaris {
                berkas: d.berkas.clone(),
                lembar: d.lembar[lembar].nama.clone(),
                baris: row + 1,
                hasil: hasil.into(),
                kode: kode.into(),
                alasan,
                nomor_register: nomor,
                asli,
            },
        )
    };
    for t in &d.tolak {
        baris.push(note(
            t.lembar,
            t.row,
            "ditolak",
            t.kode,
            t.pesan.clone(),
            None,
            t.asli.clone(),
        ));
    }
    // Rows the register flagged that had no flag of their own: their cells are read
    // again from the file (rare: a number already taken).
    let mut missing = Vec::new();
    for (a, h) in d.calon_asal.iter().zip(hasil) {
        match h {
            HasilImpor::Ganda { nomor_register } => {
                jumlah.ganda += 1;
                baris.push(note(
                    a.lembar,
                    a.row,
                    "ganda",
                    "ganda",
                    format!(
                        "sama NIK, tanggal dan jenis suratnya dengan permohonan {nomor_register} yang sudah ada di register"
                    ),
                    Some(nomor_register),
                    Vec::new(),
                ));
            }
            HasilImpor::Diimpor {
                nomor_register,
                nomor_asal_terpakai,
                nomor_surat_terpakai,
            } => {
                jumlah.diimpor += 1;
                let mut flags: Vec<Tanda> = a.tanda.clone();
                if let Some(n) = nomor_asal_terpakai {
                    flags.push((
                        "nomor_register_terpakai",
                        format!(
                            "nomor register {n} sudah dipakai permohonan lain; diberi nomor {nomor_register}"
                        ),
                    ));
                }
                if let Some(n) = nomor_surat_terpakai {
                    flags.push((
                        "nomor_surat_terpakai",
                        format!(
                            "nomor surat {n} sudah dipakai surat lain; tidak disimpan untuk permohonan ini"
                        ),
                    ));
                }
                if !flags.is_empty() {
                    jumlah.ditandai += 1;
                }
                for (kode, pesan) in flags {
                    *jumlah.ditandai_per_alasan.entry(kode.into()).or_default() += 1;
                    if a.asli.is_empty() {
                        missing.push(baris.len());
                    }
                    baris.push(note(
                        a.lembar,
                        a.row,
                        "ditandai",
                        kode,
                        pesan,
                        Some(nomor_register.clone()),
                        a.asli.clone(),
                    ));
                }
            }
        }
    }
    if !missing.is_empty() {
        // Should the file have changed since it was read, the rows are reported
        // without their cells rather than with someone else's.
        if let Ok((buku, digest)) = open_whole(&d.path)
            && digest == d.digest
        {
            for i in missing {
                let (lembar, row, _) = &baris[i];
                if let Some(l) = buku.lembar.get(*lembar) {
                    let cells = originals(l, *row);
                    baris[i].2.asli = cells;
                }
            }
        }
    }
    baris.sort_by_key(|(l, r, _)| (*l, *r));
    (jumlah, baris.into_iter().map(|(_, _, b)| b).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }
}
