//! The store: the register (buku register / agenda) in SQLite, and the only place that
//! writes SQL. This file opens the database, applies the migrations (`migrations/*.sql`)
//! and holds what every table's file shares; each table or family of tables has its own
//! file below.

mod impor;
mod jalan;
mod laporan;
mod penduduk;
mod pengguna;
mod permohonan;
mod perubahan;
mod surat;
mod surel;

pub use impor::ImporRegister;
pub use penduduk::{Akses, HasilBarisPenduduk, ImporPenduduk, RiwayatPenduduk};
pub use permohonan::{Filter, TahapCount};
pub use perubahan::PerubahanTercatat;
pub use surat::{Issue, Produce};

use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, SecondsFormat, Utc};
use chrono_tz::Tz;
use rusqlite::config::DbConfig;
use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};
use serde::Serialize;

use crate::domain::calendar::Bulan;
use crate::domain::jalan::{Jalan, StatusJalan};
use crate::domain::laporan::{JenisLaporan, Laporan};
use crate::domain::numbering;
use crate::domain::pengguna::{Pengguna, PeranPengguna, Sesi};
use crate::domain::permohonan::{
    Berkas, Kanal, Permohonan, PermohonanBaru, PermohonanImpor, Riwayat, format_nomor_register,
};
use crate::domain::surat::{
    Batal, HasilImpor, NomorDitemukan, Penomoran, Surat, SuratBaru, SuratLama, Terbitan,
};
use crate::domain::surel::{StatusSurel, Surel, SurelBaru, backoff};
use crate::domain::workflow::{self, MoveError, Peran, State, Tahap};
use crate::util::acak::{self, AcakError};
use crate::util::files;

/// Schema migrations, in order; the database's `user_version` counts those applied.
/// Never edit one that has shipped: add a new one (a test pins each one's SHA-256).
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_permohonan.sql"),
    include_str!("migrations/0002_surat.sql"),
    include_str!("migrations/0003_laporan.sql"),
    include_str!("migrations/0004_surel.sql"),
    include_str!("migrations/0005_jalan.sql"),
    include_str!("migrations/0006_surat_lama.sql"),
    include_str!("migrations/0007_pengguna.sql"),
    include_str!("migrations/0008_sesi.sql"),
    include_str!("migrations/0009_waktu_utc.sql"),
    include_str!("migrations/0010_nomor_ditemukan.sql"),
    include_str!("migrations/0011_laporan_angka.sql"),
    include_str!("migrations/0012_perubahan.sql"),
    include_str!("migrations/0013_penduduk.sql"),
    include_str!("migrations/0014_jenis_asal.sql"),
    include_str!("migrations/0015_dibatalkan.sql"),
    include_str!("migrations/0016_kode_lacak.sql"),
    include_str!("migrations/0017_indeks_register.sql"),
    include_str!("migrations/0018_kata_nama.sql"),
];

/// The migration that brings residents in; after it, the residents are filled from the
/// requests already in the register.
const PENDUDUK_MIGRATION: usize = 13;
/// The migration that adds the stage `dibatalkan` by editing the schema in place.
const DIBATALKAN_MIGRATION: usize = 15;
/// The migration that indexes names by their words; after it, the names already in the
/// register are indexed.
const KATA_MIGRATION: usize = 18;

/// The schema version this program writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    #[error("basis data: {}", sqlite_words(.0))]
    Sqlite(#[from] rusqlite::Error),
    #[error("basis data {0} tidak dapat dibuat: {1}")]
    Io(String, std::io::Error),
    #[error(
        "basis data ini memakai skema versi {found}, lebih baru dari yang dikenal program ini (versi {known}); perbarui program kelurahan"
    )]
    NewerSchema { found: i64, known: i64 },
    #[error("permohonan {0} tidak ditemukan")]
    NotFound(String),
    #[error(
        "permohonan {nomor} sudah pada tahap {tahap}; isiannya hanya dapat diubah sebelum surat terbit, pada tahap yang Anda lihat"
    )]
    SudahBerlanjut { nomor: String, tahap: String },
    #[error("`{0}` bukan nomor permohonan; tulis nomor register (0042/2026) atau id (42)")]
    BadId(String),
    #[error(transparent)]
    Move(#[from] MoveError),
    #[error("berkas `{kode}` bukan persyaratan permohonan {nomor}; yang ada: {known}")]
    UnknownPaper {
        nomor: String,
        kode: String,
        known: String,
    },
    #[error("berkas `{0}` ditulis sebagai ada dan tidak ada sekaligus")]
    PaperBothWays(String),
    #[error("permohonan {0} belum mempunyai surat (surat terbit pada tahap ditindaklanjuti)")]
    NoLetter(String),
    #[error(
        "surat permohonan {0} terbit sebelum program dipakai (nomor {1}, diimpor dari register lama); tidak ada PDF-nya untuk dicetak ulang"
    )]
    LegacyLetter(String, String),
    #[error("pengguna `{0}` sudah ada")]
    UserExists(String),
    #[error("pengguna `{0}` tidak ditemukan")]
    UserNotFound(String),
    #[error("surat {0} sudah dibatalkan")]
    AlreadyVoid(String),
    #[error("alasan pembatalan surat harus diisi")]
    VoidReasonRequired,
    #[error("surat tidak dapat diterbitkan: {0}")]
    Issue(Box<dyn std::error::Error + Send + Sync>),
    #[error("surel {0} berstatus {1}; hanya surel yang gagal dapat diantrekan lagi")]
    MailNotFailed(i64, String),
    #[error(transparent)]
    Random(#[from] AcakError),
    #[error("{field}: {pesan}")]
    Teks { field: &'static str, pesan: String },
    #[error("isi basis data tidak sah pada permohonan {id}: {what}")]
    Corrupt { id: i64, what: String },
}

type Result<T> = std::result::Result<T, RegisterError>;

impl RegisterError {
    /// The database could not be written: the disk is full, or the file or its folder is
    /// read-only (exit code 3, as for output that cannot be written).
    pub fn cannot_write(&self) -> bool {
        matches!(self, RegisterError::Sqlite(e) if matches!(
            e.sqlite_error_code(),
            Some(rusqlite::ErrorCode::DiskFull | rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::CannotOpen)
        ))
    }
}

/// SQLite's failures a clerk meets, in Indonesian; others in SQLite's own words.
fn sqlite_words(e: &rusqlite::Error) -> String {
    use rusqlite::ErrorCode as C;
    match e.sqlite_error_code() {
        Some(C::DiskFull) => "disk penuh; kosongkan ruang penyimpanan lalu ulangi".into(),
        Some(C::ReadOnly) => {
            "berkas basis data atau foldernya hanya dapat dibaca (read-only); tidak ada yang ditulis".into()
        }
        Some(C::CannotOpen) => "berkas basis data tidak dapat dibuka".into(),
        Some(C::DatabaseCorrupt | C::NotADatabase) => format!(
            "basis data rusak ({e}); jalankan `kelurahan periksa` dan pulihkan dari cadangan"
        ),
        Some(C::DatabaseBusy | C::DatabaseLocked) => {
            "basis data sedang dipakai proses lain terlalu lama; coba lagi".into()
        }
        _ => e.to_string(),
    }
}

/// An open register. Holds one SQLite connection; open one per process or thread.
pub struct Register {
    conn: Connection,
    /// The office's zone: times are stored in UTC and read back in this zone.
    tz: Tz,
}

/// Typed text checked by the one rule (`domain::teks`) before it is stored: the names
/// and notes of moves reach the history from every face, so the check sits here.
fn text(field: &'static str, v: &str, maks: usize) -> Result<String> {
    crate::domain::teks::periksa(v, maks).map_err(|pesan| RegisterError::Teks { field, pesan })
}

/// An optional note: empty is none.
fn note(field: &'static str, v: Option<&str>) -> Result<Option<String>> {
    match v.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => text(field, v, crate::domain::teks::CATATAN_MAKS).map(Some),
    }
}

/// A time as stored: UTC, whole seconds (`2026-11-30T17:30:00Z`), so that two compare as
/// text the way they compare as instants.
fn ts(t: &DateTime<FixedOffset>) -> String {
    t.with_timezone(&Utc)
        .to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A stored time, in the office's zone.
fn parse_time(s: &str, tz: Tz) -> std::result::Result<DateTime<FixedOffset>, chrono::ParseError> {
    DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&tz).fixed_offset())
}

impl Register {
    /// Opens (creating if needed) the database at `path`, in WAL mode, and brings its
    /// schema up to date; times are read back in `tz`, the office's zone. Refuses a
    /// database from a newer program.
    ///
    /// A database that exists but cannot be written (read-only media, a restored copy
    /// without write permission) is opened for reading only, so that looking things up
    /// and `periksa` still work; every write then fails as read-only (exit code 3).
    pub fn open(path: &Path, tz: Tz) -> Result<Register> {
        match Register::open_writable(path, tz) {
            Err(e) if path.is_file() && (e.cannot_write() || is_permission(&e)) => {
                Register::open_read_only(path, tz).map_err(|_| e)
            }
            r => r,
        }
    }

    /// Whether this register was opened for reading only.
    pub fn read_only(&self) -> bool {
        self.conn.is_readonly(c"main").unwrap_or(false)
    }

    fn open_read_only(path: &Path, tz: Tz) -> Result<Register> {
        use rusqlite::OpenFlags as F;
        let flags = F::SQLITE_OPEN_READ_ONLY | F::SQLITE_OPEN_URI | F::SQLITE_OPEN_NO_MUTEX;
        // A WAL database needs its `-shm` file; where none exists and none can be made
        // (a read-only folder), SQLite reads the file as immutable: nothing here writes.
        let mut last = None;
        for mode in ["mode=ro", "immutable=1"] {
            let uri = format!("file:{}?{mode}", uri_path(path));
            let conn = match Connection::open_with_flags(&uri, flags) {
                Ok(c) => c,
                Err(e) => {
                    last = Some(e.into());
                    continue;
                }
            };
            match conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0)) {
                Ok(found) if found == SCHEMA_VERSION => return Ok(Register { conn, tz }),
                Ok(found) if found > SCHEMA_VERSION => {
                    return Err(RegisterError::NewerSchema {
                        found,
                        known: SCHEMA_VERSION,
                    });
                }
                // An older schema cannot be brought up to date without writing.
                Ok(_) => {
                    return Err(RegisterError::Sqlite(rusqlite::Error::SqliteFailure(
                        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_READONLY),
                        None,
                    )));
                }
                Err(e) => last = Some(e.into()),
            }
        }
        Err(last.expect("tried at least once"))
    }

    fn open_writable(path: &Path, tz: Tz) -> Result<Register> {
        files::touch_private(path).map_err(|e| RegisterError::Io(path.display().to_string(), e))?;
        let mut conn = Connection::open(path)?;
        // Writers queue behind each other instead of failing with "database is locked".
        conn.busy_timeout(Duration::from_secs(30))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // SQLite re-plans a statement whenever a bound value might change its plan;
        // for the register's fixed queries that only costs time (a re-parse per row
        // in a 100,000-row import).
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
        // A statement that may abort keeps a journal of the pages it touched; kept in a
        // temporary file, every imported row paid a write() for it.
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        migrate(&mut conn)?;
        Ok(Register { conn, tz })
    }

    /// The office's zone, in which this register reads times back.
    pub fn tz(&self) -> Tz {
        self.tz
    }

    /// Lets this connection keep up to `mb` megabytes of the register's pages between
    /// its uses (SQLite's default is 2 MB): a connection that serves page after page
    /// otherwise reads the same requests from the file again and again.
    pub fn keep_pages_mb(&self, mb: i64) -> Result<()> {
        self.conn.pragma_update(None, "cache_size", -1024 * mb)?;
        Ok(())
    }

    /// Opens the one transaction of an import: a register or resident list of a hundred
    /// thousand rows touches every index at random places, and with SQLite's default
    /// 2 MB page cache the transaction would spill and re-read pages.
    fn begin_import(&mut self) -> Result<rusqlite::Transaction<'_>> {
        self.keep_pages_mb(64)?;
        self.conn.pragma_update(None, "mmap_size", 268_435_456)?;
        Ok(self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?)
    }

    /// No transaction is open on this connection (it may be lent to the next caller).
    pub fn is_idle(&self) -> bool {
        self.conn.is_autocommit()
    }

    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }
}

/// A file the program may not write (its permissions, or read-only media).
fn is_permission(e: &RegisterError) -> bool {
    matches!(e, RegisterError::Io(_, io) if matches!(
        io.kind(),
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
    ))
}

/// A path as SQLite's URI syntax wants it: `?`, `#`, `%` and other bytes escaped.
fn uri_path(path: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    let mut out = String::new();
    for &b in path.as_os_str().as_bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn is_unique_violation(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE)
}

fn is_trigger_abort(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_TRIGGER)
}

/// The role that moves a request into `tahap` under the SOP.
fn mover(tahap: Tahap) -> Peran {
    match tahap {
        Tahap::Diajukan => Peran::Pemohon,
        Tahap::Diterima | Tahap::Ditolak | Tahap::Dibatalkan => Peran::Operator,
        Tahap::Diteruskan => Peran::Kasi,
        Tahap::Ditindaklanjuti | Tahap::DilaporkanKeSeklur => Peran::Koordinator,
        Tahap::DilaporkanKeLurah => Peran::Seklur,
    }
}

/// Writes a move the SOP allowed: the history entry first, then the stage (the trigger
/// `tahap_sesuai_riwayat` insists on that order).
fn apply_move(
    tx: &Connection,
    p: &Permohonan,
    ke: Tahap,
    peran: Peran,
    oleh: &str,
    catatan: Option<&str>,
    at: &DateTime<FixedOffset>,
) -> Result<()> {
    let catatan = catatan.map(str::trim).filter(|c| !c.is_empty());
    insert_riwayat(tx, p.id, Some(p.tahap), ke, peran, oleh.trim(), at, catatan)?;
    tx.execute(
        "UPDATE permohonan SET tahap = ?1 WHERE id = ?2",
        params![ke.kode(), p.id],
    )?;
    Ok(())
}

fn state(p: &Permohonan, tz: Tz) -> State<'_> {
    State {
        nomor_register: &p.nomor_register,
        tahap: p.tahap,
        berkas_kurang: p.berkas_kurang(),
        terakhir: p.riwayat.last().map(|r| {
            (
                format!("{} ({})", r.oleh, r.peran.label()),
                crate::domain::calendar::waktu(&r.waktu, tz),
            )
        }),
    }
}

fn migrate(conn: &mut Connection) -> Result<()> {
    // Most opens find the schema current: check without taking the write lock.
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found == SCHEMA_VERSION {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let found: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(RegisterError::NewerSchema {
            found,
            known: SCHEMA_VERSION,
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        tx.execute_batch(sql)?;
        if i + 1 == PENDUDUK_MIGRATION {
            penduduk::backfill(&tx)?;
        }
        if i + 1 == KATA_MIGRATION {
            permohonan::index_all_names(&tx)?;
        }
        if i + 1 == DIBATALKAN_MIGRATION {
            // The stage's CHECK was edited in place: make every connection reload it,
            // and refuse to go on if the edit did not take.
            let sql: String = tx.query_row(
                "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'permohonan'",
                [],
                |r| r.get(0),
            )?;
            if !sql.contains("'dibatalkan'") {
                return Err(RegisterError::Corrupt {
                    id: 0,
                    what: "skema tabel permohonan tidak dikenal; tahap dibatalkan tidak dapat ditambahkan".into(),
                });
            }
            let v: i64 = tx.query_row("PRAGMA schema_version", [], |r| r.get(0))?;
            tx.pragma_update(None, "schema_version", v + 1)?;
        }
    }
    if found < SCHEMA_VERSION {
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    }
    tx.commit()?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn insert_riwayat(
    conn: &Connection,
    id: i64,
    dari: Option<Tahap>,
    ke: Tahap,
    peran: Peran,
    oleh: &str,
    at: &DateTime<FixedOffset>,
    catatan: Option<&str>,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO riwayat (permohonan_id, dari, ke, peran, oleh, waktu, catatan)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        id,
        dari.map(Tahap::kode),
        ke.kode(),
        peran.kode(),
        oleh,
        ts(at),
        catatan
    ])?;
    Ok(())
}

/// A new request row, as both the counter (`create`) and the import write it.
/// The tracking code is drawn in the same statement, so no row is written twice.
const INSERT_PERMOHONAN: &str = "INSERT INTO permohonan (tahun, urut, nomor_register, jenis, \
    tanggal, kanal, nama, nik, kk, alamat, rt, rw, telepon, keperluan, isian, tahap, dibuat, \
    jenis_asal, kode_lacak) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, \
    upper(hex(randomblob(8))))";

const PERMOHONAN_COLUMNS: &str = "p.id, p.nomor_register, p.jenis, p.tanggal, p.kanal, p.nama, \
    p.nik, p.kk, p.alamat, p.rt, p.rw, p.telepon, p.keperluan, p.isian, p.tahap, p.jenis_asal, p.kode_lacak";
const BERKAS_COLUMNS: &str = "b.kode, b.nama, b.wajib, b.ada";
const RIWAYAT_COLUMNS: &str = "r.dari, r.ke, r.peran, r.oleh, r.waktu, r.catatan";

fn load(conn: &Connection, id: i64, tz: Tz) -> Result<Permohonan> {
    let mut p = conn
        .query_row(
            &format!("SELECT {PERMOHONAN_COLUMNS} FROM permohonan p WHERE p.id = ?1"),
            [id],
            |r| Ok(permohonan_from_row(r)),
        )
        .optional()?
        .ok_or_else(|| RegisterError::NotFound(id.to_string()))??;
    let mut st = conn.prepare_cached(&format!(
        "SELECT {BERKAS_COLUMNS} FROM berkas b WHERE b.permohonan_id = ?1 ORDER BY b.urutan"
    ))?;
    let mut rows = st.query([id])?;
    while let Some(r) = rows.next()? {
        p.berkas.push(berkas_from_row(r, 0)?);
    }
    let mut st = conn.prepare_cached(&format!(
        "SELECT {RIWAYAT_COLUMNS} FROM riwayat r WHERE r.permohonan_id = ?1 ORDER BY r.id"
    ))?;
    let mut rows = st.query([id])?;
    while let Some(r) = rows.next()? {
        p.riwayat.push(riwayat_from_row(r, 0, id, tz)?);
    }
    Ok(p)
}

fn corrupt(id: i64, what: impl Into<String>) -> RegisterError {
    RegisterError::Corrupt {
        id,
        what: what.into(),
    }
}

fn parse_col<T: FromStr>(id: i64, column: &str, v: &str) -> Result<T> {
    v.parse()
        .map_err(|_| corrupt(id, format!("kolom {column} berisi `{v}`")))
}

fn permohonan_from_row(r: &Row) -> Result<Permohonan> {
    let id: i64 = r.get(0)?;
    let tanggal: String = r.get(3)?;
    let kanal: String = r.get(4)?;
    let isian: String = r.get(13)?;
    let tahap: String = r.get(14)?;
    Ok(Permohonan {
        id,
        nomor_register: r.get(1)?,
        jenis: r.get(2)?,
        tanggal: parse_col::<NaiveDate>(id, "tanggal", &tanggal)?,
        kanal: parse_col::<Kanal>(id, "kanal", &kanal)?,
        nama: r.get(5)?,
        nik: r.get(6)?,
        kk: r.get(7)?,
        alamat: r.get(8)?,
        rt: r.get(9)?,
        rw: r.get(10)?,
        telepon: r.get(11)?,
        keperluan: r.get(12)?,
        isian: serde_json::from_str(&isian).map_err(|_| corrupt(id, "kolom isian"))?,
        tahap: parse_col::<Tahap>(id, "tahap", &tahap)?,
        jenis_asal: r.get(15)?,
        kode_lacak: r.get(16)?,
        berkas: Vec::new(),
        riwayat: Vec::new(),
    })
}

fn berkas_from_row(r: &Row, o: usize) -> Result<Berkas> {
    Ok(Berkas {
        kode: r.get(o)?,
        nama: r.get(o + 1)?,
        wajib: r.get(o + 2)?,
        ada: r.get(o + 3)?,
    })
}

fn riwayat_from_row(r: &Row, o: usize, id: i64, tz: Tz) -> Result<Riwayat> {
    let dari: Option<String> = r.get(o)?;
    let ke: String = r.get(o + 1)?;
    let peran: String = r.get(o + 2)?;
    let waktu: String = r.get(o + 4)?;
    Ok(Riwayat {
        dari: dari
            .map(|d| parse_col::<Tahap>(id, "riwayat.dari", &d))
            .transpose()?,
        ke: parse_col(id, "riwayat.ke", &ke)?,
        peran: parse_col(id, "riwayat.peran", &peran)?,
        oleh: r.get(o + 3)?,
        waktu: parse_time(&waktu, tz)
            .map_err(|_| corrupt(id, format!("riwayat.waktu berisi `{waktu}`")))?,
        catatan: r.get(o + 5)?,
    })
}
