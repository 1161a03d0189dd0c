//! The register (buku register / agenda) in SQLite: the only module that writes SQL.
//! Schema migrations, register numbers, the checklist, and stage moves with their
//! append-only history, each in one transaction.

use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, SecondsFormat};
use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};
use serde::Serialize;

use crate::calendar::Bulan;
use crate::files;
use crate::model::{Berkas, Kanal, Permohonan, PermohonanBaru, Riwayat, format_nomor_register};
use crate::numbering;
use crate::workflow::{self, MoveError, Peran, State, Tahap};

/// Schema migrations, in order; the database's `user_version` counts those applied.
/// Never edit one that has shipped: add a new one.
const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE permohonan (
    id             INTEGER PRIMARY KEY,
    tahun          INTEGER NOT NULL,
    urut           INTEGER NOT NULL CHECK (urut > 0),
    nomor_register TEXT NOT NULL UNIQUE,
    jenis          TEXT NOT NULL,
    tanggal        TEXT NOT NULL,
    kanal          TEXT NOT NULL CHECK (kanal IN ('langsung', 'whatsapp')),
    nama           TEXT NOT NULL CHECK (length(trim(nama)) > 0),
    nik            TEXT NOT NULL CHECK (length(nik) = 16 AND nik NOT GLOB '*[^0-9]*'),
    kk             TEXT CHECK (kk IS NULL OR (length(kk) = 16 AND kk NOT GLOB '*[^0-9]*')),
    alamat         TEXT,
    rt             TEXT,
    rw             TEXT,
    telepon        TEXT,
    keperluan      TEXT,
    isian          TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(isian)),
    tahap          TEXT NOT NULL CHECK (tahap IN ('diajukan', 'diterima', 'diteruskan',
                       'ditindaklanjuti', 'dilaporkan_ke_seklur', 'dilaporkan_ke_lurah', 'ditolak')),
    dibuat         TEXT NOT NULL,
    UNIQUE (tahun, urut)
) STRICT;
CREATE INDEX permohonan_tanggal ON permohonan (tanggal);
CREATE INDEX permohonan_tahap ON permohonan (tahap);
CREATE INDEX permohonan_nik ON permohonan (nik);

CREATE TABLE berkas (
    permohonan_id INTEGER NOT NULL REFERENCES permohonan (id),
    urutan        INTEGER NOT NULL,
    kode          TEXT NOT NULL,
    nama          TEXT NOT NULL,
    wajib         INTEGER NOT NULL CHECK (wajib IN (0, 1)),
    ada           INTEGER NOT NULL CHECK (ada IN (0, 1)),
    diperbarui    TEXT NOT NULL,
    PRIMARY KEY (permohonan_id, kode)
) STRICT;

CREATE TABLE riwayat (
    id            INTEGER PRIMARY KEY,
    permohonan_id INTEGER NOT NULL REFERENCES permohonan (id),
    dari          TEXT,
    ke            TEXT NOT NULL,
    peran         TEXT NOT NULL,
    oleh          TEXT NOT NULL,
    waktu         TEXT NOT NULL,
    catatan       TEXT
) STRICT;
CREATE INDEX riwayat_permohonan ON riwayat (permohonan_id, id);

-- The history is append-only, whoever holds the database file.
CREATE TRIGGER riwayat_tidak_diubah BEFORE UPDATE ON riwayat
BEGIN SELECT RAISE(ABORT, 'riwayat permohonan tidak boleh diubah'); END;
CREATE TRIGGER riwayat_tidak_dihapus BEFORE DELETE ON riwayat
BEGIN SELECT RAISE(ABORT, 'riwayat permohonan tidak boleh dihapus'); END;

-- A history entry starts where the request stands; the first one starts nowhere.
CREATE TRIGGER riwayat_bersambung BEFORE INSERT ON riwayat
WHEN (NEW.dari IS NULL AND EXISTS (SELECT 1 FROM riwayat WHERE permohonan_id = NEW.permohonan_id))
  OR (NEW.dari IS NOT NULL AND NEW.dari IS NOT (SELECT tahap FROM permohonan WHERE id = NEW.permohonan_id))
BEGIN SELECT RAISE(ABORT, 'riwayat harus bersambung dari tahap permohonan saat ini'); END;

-- A request's stage is always where its latest history entry took it.
CREATE TRIGGER tahap_sesuai_riwayat BEFORE UPDATE OF tahap ON permohonan
WHEN NEW.tahap IS NOT (SELECT ke FROM riwayat WHERE permohonan_id = NEW.id ORDER BY id DESC LIMIT 1)
BEGIN SELECT RAISE(ABORT, 'tahap permohonan hanya berubah bersama riwayatnya'); END;

-- A register entry is never removed: a request that will not be served is refused.
CREATE TRIGGER permohonan_tidak_dihapus BEFORE DELETE ON permohonan
BEGIN SELECT RAISE(ABORT, 'permohonan tidak boleh dihapus; tolak dengan alasan'); END;
CREATE TRIGGER nomor_register_tetap BEFORE UPDATE OF tahun, urut, nomor_register ON permohonan
BEGIN SELECT RAISE(ABORT, 'nomor register tidak boleh diubah'); END;
"#,
    r#"
-- Letters (surat), issued when a request reaches stage 4 (ditindaklanjuti).
CREATE TABLE surat (
    id              INTEGER PRIMARY KEY,
    permohonan_id   INTEGER NOT NULL UNIQUE REFERENCES permohonan (id),
    tahun           INTEGER NOT NULL,
    -- 'kantor' (one sequence for the office) or a letter type's code.
    lingkup         TEXT NOT NULL,
    urut            INTEGER NOT NULL CHECK (urut > 0),
    nomor           TEXT NOT NULL UNIQUE,
    kode_verifikasi TEXT NOT NULL UNIQUE,
    tanggal         TEXT NOT NULL,
    jenis           TEXT NOT NULL,
    penanda_tangan  TEXT NOT NULL CHECK (penanda_tangan IN ('lurah', 'seklur')),
    -- The exact data the template printed, so a reprint says the same.
    data            TEXT NOT NULL CHECK (json_valid(data)),
    sha256          TEXT NOT NULL CHECK (length(sha256) = 64),
    berkas          TEXT NOT NULL,
    dibuat          TEXT NOT NULL,
    batal_waktu     TEXT,
    batal_oleh      TEXT,
    batal_alasan    TEXT,
    UNIQUE (tahun, lingkup, urut)
) STRICT;
CREATE INDEX surat_tanggal ON surat (tanggal);
CREATE INDEX surat_sha256 ON surat (sha256);

-- A letter is issued by the move to stage 4, in the same transaction.
CREATE TRIGGER surat_pada_tahap_4 BEFORE INSERT ON surat
WHEN (SELECT tahap FROM permohonan WHERE id = NEW.permohonan_id) IS NOT 'ditindaklanjuti'
BEGIN SELECT RAISE(ABORT, 'surat hanya terbit saat permohonan ditindaklanjuti'); END;

-- An issued letter never changes and is never removed; it can be voided once, with a
-- reason, and its number stays taken.
CREATE TRIGGER surat_tidak_dihapus BEFORE DELETE ON surat
BEGIN SELECT RAISE(ABORT, 'surat yang terbit tidak boleh dihapus; batalkan dengan alasan'); END;
CREATE TRIGGER surat_tetap BEFORE UPDATE ON surat
WHEN OLD.batal_waktu IS NOT NULL
  OR NEW.id IS NOT OLD.id OR NEW.permohonan_id IS NOT OLD.permohonan_id
  OR NEW.tahun IS NOT OLD.tahun OR NEW.lingkup IS NOT OLD.lingkup OR NEW.urut IS NOT OLD.urut
  OR NEW.nomor IS NOT OLD.nomor OR NEW.kode_verifikasi IS NOT OLD.kode_verifikasi
  OR NEW.tanggal IS NOT OLD.tanggal OR NEW.jenis IS NOT OLD.jenis
  OR NEW.penanda_tangan IS NOT OLD.penanda_tangan OR NEW.data IS NOT OLD.data
  OR NEW.sha256 IS NOT OLD.sha256 OR NEW.berkas IS NOT OLD.berkas OR NEW.dibuat IS NOT OLD.dibuat
  OR NEW.batal_waktu IS NULL OR NEW.batal_oleh IS NULL
  OR length(trim(coalesce(NEW.batal_alasan, ''))) = 0
BEGIN SELECT RAISE(ABORT, 'surat yang terbit tidak boleh diubah; hanya dapat dibatalkan sekali dengan alasan'); END;
"#,
    r#"
-- Monthly reports: one row per kind and month, made once; its date is reused when the
-- report is printed again, so the same month gives the same files.
CREATE TABLE laporan (
    id      INTEGER PRIMARY KEY,
    jenis   TEXT NOT NULL CHECK (jenis IN ('koordinator', 'rekap')),
    bulan   TEXT NOT NULL,
    rujukan TEXT NOT NULL UNIQUE,
    dibuat  TEXT NOT NULL,
    UNIQUE (jenis, bulan)
) STRICT;
CREATE TRIGGER laporan_tetap BEFORE UPDATE ON laporan
BEGIN SELECT RAISE(ABORT, 'catatan laporan tidak boleh diubah'); END;
CREATE TRIGGER laporan_tidak_dihapus BEFORE DELETE ON laporan
BEGIN SELECT RAISE(ABORT, 'catatan laporan tidak boleh dihapus'); END;
"#,
    r#"
-- The mail outbox: every message is written here first, then sent.
CREATE TABLE surel (
    id            INTEGER PRIMARY KEY,
    message_id    TEXT NOT NULL UNIQUE,
    -- What produced it (e.g. 'laporan-2026-11'): queued once.
    rujukan       TEXT UNIQUE,
    kepada        TEXT NOT NULL CHECK (json_valid(kepada)),
    subjek        TEXT NOT NULL,
    isi           TEXT NOT NULL,
    -- [{berkas, nama, jenis, sha256, ukuran}]
    lampiran      TEXT NOT NULL CHECK (json_valid(lampiran)),
    status        TEXT NOT NULL CHECK (status IN ('antre', 'mengirim', 'terkirim', 'gagal')),
    percobaan     INTEGER NOT NULL DEFAULT 0,
    berikutnya    TEXT NOT NULL,
    klaim_sampai  TEXT,
    galat         TEXT,
    dibuat        TEXT NOT NULL,
    terkirim      TEXT
) STRICT;
CREATE INDEX surel_antre ON surel (status, berikutnya);
-- A message the server accepted is never sent again.
CREATE TRIGGER surel_terkirim_tetap BEFORE UPDATE OF status ON surel
WHEN OLD.status = 'terkirim'
BEGIN SELECT RAISE(ABORT, 'surel yang sudah terkirim tidak dikirim lagi'); END;
CREATE TRIGGER surel_tidak_dihapus BEFORE DELETE ON surel
BEGIN SELECT RAISE(ABORT, 'surel di kotak keluar tidak boleh dihapus'); END;
"#,
    r#"
-- Scheduled runs: one row per job and period (the month of a report, the day of a
-- backup), so a restart, a second instance or a double fire never runs it twice.
CREATE TABLE jalan (
    id           INTEGER PRIMARY KEY,
    tugas        TEXT NOT NULL,
    periode      TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('berjalan', 'selesai', 'gagal')),
    percobaan    INTEGER NOT NULL DEFAULT 1,
    mulai        TEXT NOT NULL,
    klaim_sampai TEXT,
    selesai      TEXT,
    hasil        TEXT,
    UNIQUE (tugas, periode)
) STRICT;
"#,
    r#"
-- Letters issued before the program, imported from the old register: known by their
-- number (and date) only. A number is taken once across both tables, for ever.
CREATE TABLE surat_lama (
    id            INTEGER PRIMARY KEY,
    permohonan_id INTEGER NOT NULL UNIQUE REFERENCES permohonan (id),
    nomor         TEXT NOT NULL UNIQUE CHECK (length(trim(nomor)) > 0),
    tanggal       TEXT,
    -- Its place in the office's sequence, when the number follows the pattern.
    tahun         INTEGER,
    lingkup       TEXT,
    urut          INTEGER
) STRICT;
CREATE INDEX surat_lama_urut ON surat_lama (tahun, lingkup, urut);
CREATE TRIGGER surat_lama_tetap BEFORE UPDATE ON surat_lama
BEGIN SELECT RAISE(ABORT, 'nomor surat lama tidak boleh diubah'); END;
CREATE TRIGGER surat_lama_tidak_dihapus BEFORE DELETE ON surat_lama
BEGIN SELECT RAISE(ABORT, 'nomor surat lama tidak boleh dihapus'); END;
CREATE TRIGGER surat_lama_nomor_unik BEFORE INSERT ON surat_lama
WHEN EXISTS (SELECT 1 FROM surat WHERE nomor = NEW.nomor)
BEGIN SELECT RAISE(ABORT, 'nomor surat sudah dipakai surat lain'); END;
CREATE TRIGGER surat_nomor_bukan_lama BEFORE INSERT ON surat
WHEN EXISTS (SELECT 1 FROM surat_lama WHERE nomor = NEW.nomor)
BEGIN SELECT RAISE(ABORT, 'nomor surat sudah dipakai surat lama'); END;
-- Duplicate check of the importer: same person, same day, same letter type. It also
-- serves every lookup by NIK, so the NIK-only index is one index too many.
CREATE INDEX permohonan_ganda ON permohonan (nik, tanggal, jenis);
DROP INDEX permohonan_nik;
"#,
    r#"
-- The people who log in to the web page, each with one role. The password is an argon2id
-- hash; an account is never deleted (the history names its holder), only deactivated.
CREATE TABLE pengguna (
    id           INTEGER PRIMARY KEY,
    nama         TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(nama)) >= 2),
    peran        TEXT NOT NULL CHECK (peran IN ('operator', 'kasi', 'koordinator', 'seklur',
                     'lurah', 'admin')),
    sandi        TEXT NOT NULL CHECK (sandi LIKE '$argon2id$%'),
    aktif        INTEGER NOT NULL DEFAULT 1 CHECK (aktif IN (0, 1)),
    gagal        INTEGER NOT NULL DEFAULT 0 CHECK (gagal >= 0),
    kunci_sampai TEXT,
    dibuat       TEXT NOT NULL,
    diubah       TEXT NOT NULL
) STRICT;
CREATE TRIGGER pengguna_tidak_dihapus BEFORE DELETE ON pengguna
BEGIN SELECT RAISE(ABORT, 'pengguna tidak boleh dihapus; nonaktifkan'); END;
CREATE TRIGGER pengguna_nama_tetap BEFORE UPDATE OF nama ON pengguna
BEGIN SELECT RAISE(ABORT, 'nama pengguna tidak boleh diubah'); END;
"#,
    r#"
-- Logged-in sessions of the web page. Only a SHA-256 of the cookie's token is kept, so
-- a copy of the database opens no session.
CREATE TABLE sesi (
    id          INTEGER PRIMARY KEY,
    token       TEXT NOT NULL UNIQUE CHECK (length(token) = 64),
    pengguna_id INTEGER NOT NULL REFERENCES pengguna (id),
    csrf        TEXT NOT NULL CHECK (length(csrf) >= 32),
    dibuat      TEXT NOT NULL,
    berakhir    TEXT NOT NULL
) STRICT;
"#,
];

/// The schema version this program writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    #[error("basis data: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("basis data {0} tidak dapat dibuat: {1}")]
    Io(String, std::io::Error),
    #[error(
        "basis data ini memakai skema versi {found}, lebih baru dari yang dikenal program ini (versi {known}); perbarui program kelurahan"
    )]
    NewerSchema { found: i64, known: i64 },
    #[error("permohonan {0} tidak ditemukan")]
    NotFound(String),
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
    #[error("pembangkit acak sistem tidak dapat dipakai: {0}")]
    Random(String),
    #[error("isi basis data tidak sah pada permohonan {id}: {what}")]
    Corrupt { id: i64, what: String },
}

type Result<T> = std::result::Result<T, RegisterError>;

/// Filters for listing the register.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub tahap: Option<Tahap>,
    pub jenis: Option<String>,
    /// By the request's date.
    pub bulan: Option<Bulan>,
    pub tahun: Option<i32>,
    /// A name (any part), a register number, a letter number, or a whole NIK (a NIK is
    /// only ever matched exactly, so a search cannot fish for NIKs by their digits).
    pub cari: Option<String>,
}

/// How many requests stand at each stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TahapCount {
    pub tahap: Tahap,
    pub jumlah: i64,
}

/// An open register. Holds one SQLite connection; open one per process or thread.
pub struct Register {
    conn: Connection,
}

fn ts(t: &DateTime<FixedOffset>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, false)
}

impl Register {
    /// Opens (creating if needed) the database at `path`, in WAL mode, and brings its
    /// schema up to date. Refuses a database from a newer program.
    pub fn open(path: &Path) -> Result<Register> {
        files::touch_private(path).map_err(|e| RegisterError::Io(path.display().to_string(), e))?;
        let mut conn = Connection::open(path)?;
        // Writers queue behind each other instead of failing with "database is locked".
        conn.busy_timeout(Duration::from_secs(30))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        migrate(&mut conn)?;
        Ok(Register { conn })
    }

    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// Writes a new request with the next register number of its year, its checklist
    /// and its first history entry, in one transaction.
    pub fn create(
        &mut self,
        baru: &PermohonanBaru,
        pencatat: &str,
        at: DateTime<FixedOffset>,
    ) -> Result<Permohonan> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let tahun = baru.tanggal.year();
        let urut: i64 = tx.query_row(
            "SELECT COALESCE(MAX(urut), 0) + 1 FROM permohonan WHERE tahun = ?1",
            [tahun],
            |r| r.get(0),
        )?;
        let nomor = format_nomor_register(urut, tahun);
        let isian = serde_json::to_string(&baru.isian).expect("string map serializes");
        tx.execute(
            INSERT_PERMOHONAN,
            params![
                tahun,
                urut,
                nomor,
                baru.jenis,
                baru.tanggal.to_string(),
                baru.kanal.kode(),
                baru.nama,
                baru.nik,
                baru.kk,
                baru.alamat,
                baru.rt,
                baru.rw,
                baru.telepon,
                baru.keperluan,
                isian,
                Tahap::Diajukan.kode(),
                ts(&at),
            ],
        )?;
        let id = tx.last_insert_rowid();
        for (i, b) in baru.berkas.iter().enumerate() {
            tx.execute(
                "INSERT INTO berkas (permohonan_id, urutan, kode, nama, wajib, ada, diperbarui)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![id, i as i64, b.kode, b.nama, b.wajib, b.ada, ts(&at)],
            )?;
        }
        let catatan = format!(
            "{}; dicatat oleh {pencatat} (Operator)",
            match baru.kanal {
                Kanal::Langsung => "diajukan langsung di kantor",
                Kanal::Whatsapp => "diajukan melalui WhatsApp",
            }
        );
        insert_riwayat(
            &tx,
            id,
            None,
            Tahap::Diajukan,
            Peran::Pemohon,
            &baru.nama,
            &at,
            Some(&catatan),
        )?;
        let p = load(&tx, id)?;
        tx.commit()?;
        Ok(p)
    }

    /// Resolves what a user typed: a register number (`0042/2026`, `42/2026`) or an id.
    pub fn resolve(&self, text: &str) -> Result<i64> {
        let t = text.trim();
        let found: Option<i64> = if let Some((u, y)) = t.split_once('/') {
            let (Ok(urut), Ok(tahun)) = (u.parse::<i64>(), y.parse::<i32>()) else {
                return Err(RegisterError::BadId(text.to_string()));
            };
            self.conn
                .query_row(
                    "SELECT id FROM permohonan WHERE tahun = ?1 AND urut = ?2",
                    params![tahun, urut],
                    |r| r.get(0),
                )
                .optional()?
        } else {
            let id: i64 = t
                .parse()
                .map_err(|_| RegisterError::BadId(text.to_string()))?;
            self.conn
                .query_row("SELECT id FROM permohonan WHERE id = ?1", [id], |r| {
                    r.get(0)
                })
                .optional()?
        };
        found.ok_or_else(|| RegisterError::NotFound(t.to_string()))
    }

    /// One request with its checklist and full history.
    pub fn get(&self, id: i64) -> Result<Permohonan> {
        load(&self.conn, id)
    }

    /// Requests matching `f`, oldest first, each with checklist and history.
    pub fn list(&self, f: &Filter) -> Result<Vec<Permohonan>> {
        let mut clauses = Vec::new();
        let mut args: Vec<String> = Vec::new();
        if let Some(t) = f.tahap {
            args.push(t.kode().into());
            clauses.push(format!("p.tahap = ?{}", args.len()));
        }
        if let Some(j) = &f.jenis {
            args.push(j.clone());
            clauses.push(format!("p.jenis = ?{}", args.len()));
        }
        if let Some(b) = f.bulan {
            args.push(b.first_day().to_string());
            args.push(b.next().first_day().to_string());
            clauses.push(format!(
                "p.tanggal >= ?{} AND p.tanggal < ?{}",
                args.len() - 1,
                args.len()
            ));
        }
        if let Some(y) = f.tahun {
            args.push(y.to_string());
            clauses.push(format!("p.tahun = CAST(?{} AS INTEGER)", args.len()));
        }
        if let Some(c) = f.cari.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            let like = format!(
                "%{}%",
                c.replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_")
            );
            // "42/2026" finds 0042/2026.
            let exact = match c.split_once('/') {
                Some((u, y)) if u.parse::<i64>().is_ok() && y.parse::<i32>().is_ok() => {
                    format_nomor_register(u.parse().unwrap_or(0), y.parse().unwrap_or(0))
                }
                _ => c.to_string(),
            };
            args.push(like);
            args.push(exact);
            args.push(c.to_string());
            let (l, e, raw) = (args.len() - 2, args.len() - 1, args.len());
            clauses.push(format!(
                "(p.nama LIKE ?{l} ESCAPE '\\' OR p.nomor_register = ?{e} OR p.nik = ?{raw}
                  OR p.id IN (SELECT permohonan_id FROM surat WHERE nomor = ?{raw})
                  OR p.id IN (SELECT permohonan_id FROM surat_lama WHERE nomor = ?{raw}))"
            ));
        }
        let filter = if clauses.is_empty() {
            "1".to_string()
        } else {
            clauses.join(" AND ")
        };
        let mut out: Vec<Permohonan> = Vec::new();
        let mut index = BTreeMap::new();
        {
            let sql = format!(
                "SELECT {PERMOHONAN_COLUMNS} FROM permohonan p WHERE {filter} ORDER BY p.tahun, p.urut"
            );
            let mut st = self.conn.prepare(&sql)?;
            let mut rows = st.query(rusqlite::params_from_iter(args.iter()))?;
            while let Some(r) = rows.next()? {
                let p = permohonan_from_row(r)?;
                index.insert(p.id, out.len());
                out.push(p);
            }
        }
        {
            let sql = format!(
                "SELECT b.permohonan_id, {BERKAS_COLUMNS} FROM berkas b JOIN permohonan p ON p.id = b.permohonan_id
                 WHERE {filter} ORDER BY b.permohonan_id, b.urutan"
            );
            let mut st = self.conn.prepare(&sql)?;
            let mut rows = st.query(rusqlite::params_from_iter(args.iter()))?;
            while let Some(r) = rows.next()? {
                let id: i64 = r.get(0)?;
                if let Some(&i) = index.get(&id) {
                    out[i].berkas.push(berkas_from_row(r, 1)?);
                }
            }
        }
        {
            let sql = format!(
                "SELECT r.permohonan_id, {RIWAYAT_COLUMNS} FROM riwayat r JOIN permohonan p ON p.id = r.permohonan_id
                 WHERE {filter} ORDER BY r.permohonan_id, r.id"
            );
            let mut st = self.conn.prepare(&sql)?;
            let mut rows = st.query(rusqlite::params_from_iter(args.iter()))?;
            while let Some(r) = rows.next()? {
                let id: i64 = r.get(0)?;
                if let Some(&i) = index.get(&id) {
                    out[i].riwayat.push(riwayat_from_row(r, 1, id)?);
                }
            }
        }
        Ok(out)
    }

    /// Requests per stage, every stage listed.
    pub fn count_by_tahap(&self) -> Result<Vec<TahapCount>> {
        let mut st = self
            .conn
            .prepare("SELECT tahap, COUNT(*) FROM permohonan GROUP BY tahap")?;
        let counts: BTreeMap<String, i64> = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Tahap::ALL
            .into_iter()
            .map(|t| TahapCount {
                tahap: t,
                jumlah: counts.get(t.kode()).copied().unwrap_or(0),
            })
            .collect())
    }

    /// Marks papers as brought (`ada`) or not. Only while the request is `diajukan`.
    pub fn set_papers(
        &mut self,
        id: i64,
        ada: &[String],
        tidak_ada: &[String],
        at: DateTime<FixedOffset>,
    ) -> Result<Permohonan> {
        if let Some(k) = ada.iter().find(|k| tidak_ada.contains(k)) {
            return Err(RegisterError::PaperBothWays(k.clone()));
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let p = load(&tx, id)?;
        workflow::check_papers_editable(&state(&p))?;
        for (kode, value) in ada
            .iter()
            .map(|k| (k, true))
            .chain(tidak_ada.iter().map(|k| (k, false)))
        {
            let n = tx.execute(
                "UPDATE berkas SET ada = ?1, diperbarui = ?2 WHERE permohonan_id = ?3 AND kode = ?4",
                params![value, ts(&at), id, kode.trim()],
            )?;
            if n == 0 {
                return Err(RegisterError::UnknownPaper {
                    nomor: p.nomor_register.clone(),
                    kode: kode.clone(),
                    known: p
                        .berkas
                        .iter()
                        .map(|b| b.kode.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                });
            }
        }
        let p = load(&tx, id)?;
        tx.commit()?;
        Ok(p)
    }

    /// Moves a request one stage forward, if the SOP lets `peran` do it now. The move to
    /// stage 4 issues the letter: `issue` numbers it, renders it and writes its file
    /// inside the same transaction, so a failure leaves neither a move nor a number.
    pub fn advance(
        &mut self,
        id: i64,
        peran: Peran,
        oleh: &str,
        catatan: Option<&str>,
        at: DateTime<FixedOffset>,
        issue: Option<&mut Issue<'_>>,
    ) -> Result<Permohonan> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let p = load(&tx, id)?;
        let ke = workflow::advance(&state(&p), peran)?;
        apply_move(&tx, &p, ke, peran, oleh, catatan, &at)?;
        if ke == Tahap::Ditindaklanjuti {
            let issue = issue.ok_or_else(|| {
                RegisterError::Issue("penerbitan surat tidak disiapkan oleh pemanggil".into())
            })?;
            let p = load(&tx, id)?;
            issue_letter(&tx, &p, at, issue)?;
        }
        let p = load(&tx, id)?;
        tx.commit()?;
        Ok(p)
    }

    /// Refuses a request (`ditolak`) with a reason, if the SOP still allows it.
    pub fn reject(
        &mut self,
        id: i64,
        peran: Peran,
        oleh: &str,
        alasan: &str,
        at: DateTime<FixedOffset>,
    ) -> Result<Permohonan> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let p = load(&tx, id)?;
        let ke = workflow::reject(&state(&p), peran, alasan)?;
        apply_move(&tx, &p, ke, peran, oleh, Some(alasan), &at)?;
        let p = load(&tx, id)?;
        tx.commit()?;
        Ok(p)
    }

    /// Months whose reports have been made, latest first (`2026-10`).
    pub fn report_months(&self) -> Result<Vec<String>> {
        let mut st = self
            .conn
            .prepare("SELECT DISTINCT bulan FROM laporan ORDER BY bulan DESC")?;
        let rows = st.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<std::result::Result<Vec<_>, _>>()?)
    }

    /// Requests per month (by request date), for each month from `from` to `to`.
    pub fn count_by_month(&self, from: Bulan, to: Bulan) -> Result<Vec<(Bulan, i64)>> {
        let mut st = self.conn.prepare(
            "SELECT substr(tanggal, 1, 7), COUNT(*) FROM permohonan
             WHERE tanggal >= ?1 AND tanggal < ?2 GROUP BY 1",
        )?;
        let counts: BTreeMap<String, i64> = st
            .query_map(
                params![
                    from.first_day().to_string(),
                    to.next().first_day().to_string()
                ],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::new();
        let mut m = from;
        while m <= to {
            out.push((m, counts.get(&m.to_string()).copied().unwrap_or(0)));
            m = m.next();
        }
        Ok(out)
    }

    /// Records a monthly report (once per kind and month) and moves the requests it
    /// covers: those dated up to the month's end standing at `dari` go to the next stage,
    /// by `peran`, with the report's reference in their history. Returns the report and
    /// how many requests moved; a second call for the same month finds the report made
    /// and moves only requests that reached `dari` since.
    #[allow(clippy::too_many_arguments)]
    pub fn record_report(
        &mut self,
        jenis: &str,
        bulan: Bulan,
        dari: Tahap,
        peran: Peran,
        oleh: &str,
        catatan: &str,
        at: DateTime<FixedOffset>,
    ) -> Result<(Laporan, usize)> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let rujukan = format!(
            "{}-{bulan}",
            if jenis == "koordinator" { "LK" } else { "RS" }
        );
        tx.execute(
            "INSERT OR IGNORE INTO laporan (jenis, bulan, rujukan, dibuat) VALUES (?1, ?2, ?3, ?4)",
            params![jenis, bulan.to_string(), rujukan, ts(&at)],
        )?;
        let (rujukan, dibuat): (String, String) = tx.query_row(
            "SELECT rujukan, dibuat FROM laporan WHERE jenis = ?1 AND bulan = ?2",
            params![jenis, bulan.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let dibuat = DateTime::parse_from_rfc3339(&dibuat)
            .map_err(|_| corrupt(0, format!("laporan.dibuat berisi `{dibuat}`")))?;
        let ids: Vec<i64> = {
            let mut st = tx.prepare(
                "SELECT id FROM permohonan WHERE tahap = ?1 AND tanggal < ?2 ORDER BY tahun, urut",
            )?;
            st.query_map(
                params![dari.kode(), bulan.next().first_day().to_string()],
                |r| r.get(0),
            )?
            .collect::<rusqlite::Result<_>>()?
        };
        let note = format!("{catatan} (rujukan {rujukan})");
        for id in &ids {
            let p = load(&tx, *id)?;
            let ke = workflow::advance(&state(&p), peran)?;
            apply_move(&tx, &p, ke, peran, oleh, Some(&note), &at)?;
        }
        tx.commit()?;
        Ok((Laporan { rujukan, dibuat }, ids.len()))
    }

    /// How many letters were ever issued (void ones included).
    pub fn count_letters(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM surat", [], |r| r.get(0))?)
    }

    /// The letter of a request, if it has one.
    pub fn letter_of(&self, permohonan_id: i64) -> Result<Option<Surat>> {
        letter_where(&self.conn, "s.permohonan_id", &permohonan_id)
    }

    /// The letter with this verification code (as stored: `XXXX-XXXX-XXXX`).
    pub fn letter_by_code(&self, code: &str) -> Result<Option<Surat>> {
        letter_where(&self.conn, "s.kode_verifikasi", &code)
    }

    /// The letter whose issued PDF has this SHA-256 (hex).
    pub fn letter_by_sha256(&self, sha256: &str) -> Result<Option<Surat>> {
        letter_where(&self.conn, "s.sha256", &sha256)
    }

    /// Letters dated in `bulan`, in number order.
    pub fn letters_in(&self, bulan: Bulan) -> Result<Vec<Surat>> {
        let mut st = self.conn.prepare(&format!(
            "SELECT {SURAT_COLUMNS} FROM surat s WHERE s.tanggal >= ?1 AND s.tanggal < ?2
             ORDER BY s.tahun, s.lingkup, s.urut"
        ))?;
        let rows = st.query_map(
            params![
                bulan.first_day().to_string(),
                bulan.next().first_day().to_string()
            ],
            |r| Ok(surat_from_row(r)),
        )?;
        let mut out = Vec::new();
        for r in rows {
            out.push(r??);
        }
        Ok(out)
    }

    /// Voids a letter: it stays in the register with its number, marked void.
    pub fn void_letter(
        &mut self,
        permohonan_id: i64,
        oleh: &str,
        alasan: &str,
        at: DateTime<FixedOffset>,
    ) -> Result<Surat> {
        if alasan.trim().is_empty() {
            return Err(RegisterError::VoidReasonRequired);
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let nomor: String = tx.query_row(
            "SELECT nomor_register FROM permohonan WHERE id = ?1",
            [permohonan_id],
            |r| r.get(0),
        )?;
        let s = letter_where(&tx, "s.permohonan_id", &permohonan_id)?
            .ok_or_else(|| RegisterError::NoLetter(nomor.clone()))?;
        if s.batal.is_some() {
            return Err(RegisterError::AlreadyVoid(s.nomor));
        }
        tx.execute(
            "UPDATE surat SET batal_waktu = ?1, batal_oleh = ?2, batal_alasan = ?3 WHERE id = ?4",
            params![ts(&at), oleh.trim(), alasan.trim(), s.id],
        )?;
        let s = letter_where(&tx, "s.id", &s.id)?.ok_or(RegisterError::NoLetter(nomor))?;
        tx.commit()?;
        Ok(s)
    }
}

/// Renders and writes a letter for a request and its new number; returns what the
/// register keeps of it. Any failure aborts the issue and the move.
pub type Produce<'a> = dyn FnMut(
        &Permohonan,
        &SuratBaru,
    ) -> std::result::Result<Terbitan, Box<dyn std::error::Error + Send + Sync>>
    + 'a;

/// A message in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Surel {
    pub id: i64,
    pub message_id: String,
    pub rujukan: Option<String>,
    pub kepada: Vec<String>,
    pub subjek: String,
    pub isi: String,
    pub lampiran: Vec<Lampiran>,
    pub status: String,
    pub percobaan: i64,
    pub berikutnya: DateTime<FixedOffset>,
    pub galat: Option<String>,
    pub dibuat: DateTime<FixedOffset>,
    pub terkirim: Option<DateTime<FixedOffset>>,
}

/// An attachment, kept by path and hash: the file is read when the message is sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Lampiran {
    /// Path relative to the workspace.
    pub berkas: String,
    /// File name shown to the reader.
    pub nama: String,
    /// Content type, e.g. `application/pdf`.
    pub jenis: String,
    pub sha256: String,
    pub ukuran: u64,
}

/// A message to queue.
#[derive(Debug, Clone)]
pub struct SurelBaru {
    pub message_id: String,
    pub rujukan: Option<String>,
    pub kepada: Vec<String>,
    pub subjek: String,
    pub isi: String,
    pub lampiran: Vec<Lampiran>,
}

const SUREL_COLUMNS: &str = "id, message_id, rujukan, kepada, subjek, isi, lampiran, status, \
    percobaan, berikutnya, galat, dibuat, terkirim";

/// The one message whose `column` (a unique one) equals `value`.
fn mail_where(
    conn: &Connection,
    column: &str,
    value: &dyn rusqlite::ToSql,
) -> Result<Option<Surel>> {
    conn.query_row(
        &format!("SELECT {SUREL_COLUMNS} FROM surel WHERE {column} = ?1"),
        [value],
        |r| Ok(surel_from_row(r)),
    )
    .optional()?
    .transpose()
}

fn surel_from_row(r: &Row) -> Result<Surel> {
    let id: i64 = r.get(0)?;
    let json = |i: usize| -> Result<String> { Ok(r.get::<_, String>(i)?) };
    let time = |v: String| {
        DateTime::parse_from_rfc3339(&v).map_err(|_| RegisterError::Corrupt {
            id,
            what: format!("surel berisi waktu `{v}`"),
        })
    };
    Ok(Surel {
        id,
        message_id: r.get(1)?,
        rujukan: r.get(2)?,
        kepada: serde_json::from_str(&json(3)?).map_err(|_| corrupt(id, "surel.kepada"))?,
        subjek: r.get(4)?,
        isi: r.get(5)?,
        lampiran: serde_json::from_str(&json(6)?).map_err(|_| corrupt(id, "surel.lampiran"))?,
        status: r.get(7)?,
        percobaan: r.get(8)?,
        berikutnya: time(r.get(9)?)?,
        galat: r.get(10)?,
        dibuat: time(r.get(11)?)?,
        terkirim: r.get::<_, Option<String>>(12)?.map(time).transpose()?,
    })
}

impl Register {
    /// Queues a message. One with the same `rujukan` is queued only once: the existing
    /// one is returned.
    pub fn queue_mail(&mut self, m: &SurelBaru, at: DateTime<FixedOffset>) -> Result<Surel> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT OR IGNORE INTO surel (message_id, rujukan, kepada, subjek, isi, lampiran,
                 status, berikutnya, dibuat)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'antre', ?7, ?7)",
            params![
                m.message_id,
                m.rujukan,
                serde_json::to_string(&m.kepada).expect("strings serialize"),
                m.subjek,
                m.isi,
                serde_json::to_string(&m.lampiran).expect("attachments serialize"),
                ts(&at),
            ],
        )?;
        let s = match &m.rujukan {
            Some(r) => mail_where(&tx, "rujukan", r)?,
            None => mail_where(&tx, "message_id", &m.message_id)?,
        }
        .expect("the message was just written or found");
        tx.commit()?;
        Ok(s)
    }

    /// Messages in the outbox, newest first, optionally of one status.
    pub fn list_mail(&self, status: Option<&str>) -> Result<Vec<Surel>> {
        let mut st = self.conn.prepare(&format!(
            "SELECT {SUREL_COLUMNS} FROM surel WHERE ?1 IS NULL OR status = ?1 ORDER BY id DESC"
        ))?;
        let rows = st.query_map([status], |r| Ok(surel_from_row(r)))?;
        let mut out = Vec::new();
        for r in rows {
            out.push(r??);
        }
        Ok(out)
    }

    /// Claims the next message due at `now` for `lease` seconds: no other process sends
    /// it meanwhile; a claim left by a killed process expires and the message is due again.
    pub fn claim_mail(&mut self, now: DateTime<FixedOffset>, lease: i64) -> Result<Option<Surel>> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let id: Option<i64> = tx
            .query_row(
                "SELECT id FROM surel
                 WHERE (status = 'antre' AND berikutnya <= ?1)
                    OR (status = 'mengirim' AND klaim_sampai <= ?1)
                 ORDER BY berikutnya, id LIMIT 1",
                [ts(&now)],
                |r| r.get(0),
            )
            .optional()?;
        let Some(id) = id else {
            return Ok(None);
        };
        tx.execute(
            "UPDATE surel SET status = 'mengirim', klaim_sampai = ?1, percobaan = percobaan + 1
             WHERE id = ?2",
            params![ts(&(now + chrono::Duration::seconds(lease))), id],
        )?;
        let s = mail_where(&tx, "id", &id)?;
        tx.commit()?;
        Ok(s)
    }

    /// The server accepted the message.
    pub fn mail_sent(&mut self, id: i64, at: DateTime<FixedOffset>) -> Result<()> {
        self.conn.execute(
            "UPDATE surel SET status = 'terkirim', terkirim = ?1, klaim_sampai = NULL, galat = NULL
             WHERE id = ?2",
            params![ts(&at), id],
        )?;
        Ok(())
    }

    /// Sending failed: try again at `next`, or never (`None`: permanent).
    pub fn mail_failed(
        &mut self,
        id: i64,
        galat: &str,
        next: Option<DateTime<FixedOffset>>,
    ) -> Result<()> {
        match next {
            Some(n) => self.conn.execute(
                "UPDATE surel SET status = 'antre', berikutnya = ?1, klaim_sampai = NULL, galat = ?2
                 WHERE id = ?3",
                params![ts(&n), galat, id],
            )?,
            None => self.conn.execute(
                "UPDATE surel SET status = 'gagal', klaim_sampai = NULL, galat = ?1 WHERE id = ?2",
                params![galat, id],
            )?,
        };
        Ok(())
    }

    /// Puts a failed message back in the queue, due now, with its attempts counted anew.
    pub fn mail_retry(&mut self, id: i64, now: DateTime<FixedOffset>) -> Result<Surel> {
        let n = self.conn.execute(
            "UPDATE surel SET status = 'antre', berikutnya = ?1, percobaan = 0 WHERE id = ?2 AND status = 'gagal'",
            params![ts(&now), id],
        )?;
        let s = mail_where(&self.conn, "id", &id)?
            .ok_or_else(|| RegisterError::NotFound(format!("surel {id}")))?;
        if n == 0 {
            return Err(RegisterError::MailNotFailed(id, s.status));
        }
        Ok(s)
    }
}

/// A scheduled job's run for one period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Jalan {
    pub id: i64,
    pub tugas: String,
    pub periode: String,
    pub status: String,
    pub percobaan: i64,
    pub mulai: String,
    pub selesai: Option<String>,
    pub hasil: Option<String>,
}

impl Register {
    /// Claims the run of `tugas` for `periode`: a new run, a failed one being retried, or
    /// one whose claimant died (lease expired). `None` when it is done or held by another.
    pub fn claim_run(
        &mut self,
        tugas: &str,
        periode: &str,
        now: DateTime<FixedOffset>,
        lease_seconds: i64,
    ) -> Result<Option<i64>> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let until = ts(&(now + chrono::Duration::seconds(lease_seconds)));
        let inserted = tx.execute(
            "INSERT OR IGNORE INTO jalan (tugas, periode, status, mulai, klaim_sampai)
             VALUES (?1, ?2, 'berjalan', ?3, ?4)",
            params![tugas, periode, ts(&now), until],
        )?;
        let id = if inserted == 1 {
            Some(tx.last_insert_rowid())
        } else {
            let (id, status, lease, tries, ended): (
                i64,
                String,
                Option<String>,
                i64,
                Option<String>,
            ) = tx.query_row(
                "SELECT id, status, klaim_sampai, percobaan, selesai FROM jalan
                     WHERE tugas = ?1 AND periode = ?2",
                params![tugas, periode],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )?;
            let expired = lease.is_some_and(|l| l <= ts(&now));
            // A failed run is tried again after a growing pause, not on every tick.
            let retry_due = ended
                .and_then(|e| DateTime::parse_from_rfc3339(&e).ok())
                .is_none_or(|e| e + crate::mail::backoff(tries) <= now);
            if (status == "gagal" && retry_due) || (status == "berjalan" && expired) {
                tx.execute(
                    "UPDATE jalan SET status = 'berjalan', percobaan = percobaan + 1,
                         klaim_sampai = ?1, selesai = NULL WHERE id = ?2",
                    params![until, id],
                )?;
                Some(id)
            } else {
                None
            }
        };
        tx.commit()?;
        Ok(id)
    }

    /// Records how a claimed run ended.
    pub fn finish_run(
        &mut self,
        id: i64,
        ok: bool,
        hasil: &str,
        at: DateTime<FixedOffset>,
    ) -> Result<()> {
        self.conn.execute(
            "UPDATE jalan SET status = ?1, hasil = ?2, selesai = ?3, klaim_sampai = NULL WHERE id = ?4",
            params![if ok { "selesai" } else { "gagal" }, hasil, ts(&at), id],
        )?;
        Ok(())
    }

    /// The runs of a job, newest first.
    pub fn runs_of(&self, tugas: &str) -> Result<Vec<Jalan>> {
        let mut st = self.conn.prepare(
            "SELECT id, tugas, periode, status, percobaan, mulai, selesai, hasil FROM jalan
             WHERE tugas = ?1 ORDER BY mulai DESC, id DESC",
        )?;
        let rows = st.query_map([tugas], |r| {
            Ok(Jalan {
                id: r.get(0)?,
                tugas: r.get(1)?,
                periode: r.get(2)?,
                status: r.get(3)?,
                percobaan: r.get(4)?,
                mulai: r.get(5)?,
                selesai: r.get(6)?,
                hasil: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A consistent copy of the whole database at `path` (SQLite's `VACUUM INTO`).
    pub fn backup_to(&self, path: &Path) -> Result<()> {
        self.conn
            .execute("VACUUM INTO ?1", [path.to_string_lossy()])?;
        Ok(())
    }
}

/// A monthly report as recorded: its reference and when it was first made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Laporan {
    pub rujukan: String,
    pub dibuat: DateTime<FixedOffset>,
}

/// How to number and produce a letter, given by the caller of `advance`.
pub struct Issue<'a> {
    pub pola: &'a str,
    /// `kantor`, or the letter type's code for one sequence per type.
    pub lingkup: &'a str,
    pub kode_unit: &'a str,
    pub kode_klasifikasi: &'a str,
    pub penanda_tangan: &'a str,
    /// Renders and writes the letter for this request and these facts; returns what
    /// the register keeps of it.
    pub produce: &'a mut Produce<'a>,
}

/// The facts of a letter being issued, decided inside the transaction.
#[derive(Debug, Clone)]
pub struct SuratBaru {
    pub nomor: String,
    pub tanggal: NaiveDate,
    pub kode_verifikasi: String,
}

/// What the register keeps of a produced letter.
#[derive(Debug, Clone)]
pub struct Terbitan {
    /// The JSON data the template printed.
    pub data: String,
    pub sha256: String,
    /// Path of the PDF, relative to the workspace.
    pub berkas: String,
}

const PENGGUNA_COLUMNS: &str = "id, nama, peran, aktif, gagal, kunci_sampai";

fn pengguna_from_row(r: &Row) -> Result<crate::pengguna::Pengguna> {
    let id: i64 = r.get(0)?;
    let peran: String = r.get(2)?;
    let kunci: Option<String> = r.get(5)?;
    Ok(crate::pengguna::Pengguna {
        id,
        nama: r.get(1)?,
        peran: peran
            .parse()
            .map_err(|_| corrupt(id, format!("pengguna.peran berisi `{peran}`")))?,
        aktif: r.get(3)?,
        gagal: r.get(4)?,
        kunci_sampai: kunci
            .map(|k| {
                DateTime::parse_from_rfc3339(&k)
                    .map_err(|_| corrupt(id, format!("pengguna.kunci_sampai berisi `{k}`")))
            })
            .transpose()?,
    })
}

/// Accounts of the people who log in; passwords arrive already hashed.
impl Register {
    pub fn add_user(
        &mut self,
        nama: &str,
        peran: crate::pengguna::PeranPengguna,
        hash: &str,
        at: DateTime<FixedOffset>,
    ) -> Result<crate::pengguna::Pengguna> {
        let done = self.conn.execute(
            "INSERT INTO pengguna (nama, peran, sandi, dibuat, diubah) VALUES (?1, ?2, ?3, ?4, ?4)",
            params![nama, peran.kode(), hash, ts(&at)],
        );
        match done {
            Ok(_) => self.user(nama),
            Err(e) if is_unique_violation(&e) => Err(RegisterError::UserExists(nama.to_string())),
            Err(e) => Err(e.into()),
        }
    }

    /// One account by name (any case).
    pub fn user(&self, nama: &str) -> Result<crate::pengguna::Pengguna> {
        self.user_with_hash(nama)?
            .map(|(p, _)| p)
            .ok_or_else(|| RegisterError::UserNotFound(nama.to_string()))
    }

    /// One account and its password hash, for the login check only.
    pub fn user_with_hash(
        &self,
        nama: &str,
    ) -> Result<Option<(crate::pengguna::Pengguna, String)>> {
        self.conn
            .query_row(
                &format!("SELECT {PENGGUNA_COLUMNS}, sandi FROM pengguna WHERE nama = ?1"),
                [nama.trim()],
                |r| Ok(pengguna_from_row(r).map(|p| (p, r.get::<_, String>(6)))),
            )
            .optional()?
            .map(|x| x.and_then(|(p, h)| Ok((p, h?))))
            .transpose()
    }

    pub fn users(&self) -> Result<Vec<crate::pengguna::Pengguna>> {
        let mut st = self.conn.prepare(&format!(
            "SELECT {PENGGUNA_COLUMNS} FROM pengguna ORDER BY id"
        ))?;
        let mut rows = st.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(pengguna_from_row(r)?);
        }
        Ok(out)
    }

    /// A new password; a lock-out is lifted with it.
    pub fn set_password(
        &mut self,
        id: i64,
        hash: &str,
        at: DateTime<FixedOffset>,
    ) -> Result<crate::pengguna::Pengguna> {
        self.conn.execute(
            "UPDATE pengguna SET sandi = ?1, gagal = 0, kunci_sampai = NULL, diubah = ?2 WHERE id = ?3",
            params![hash, ts(&at), id],
        )?;
        self.user_by_id(id)
    }

    pub fn set_user_active(
        &mut self,
        nama: &str,
        aktif: bool,
        at: DateTime<FixedOffset>,
    ) -> Result<crate::pengguna::Pengguna> {
        let n = self.conn.execute(
            "UPDATE pengguna SET aktif = ?1, diubah = ?2 WHERE nama = ?3",
            params![aktif, ts(&at), nama.trim()],
        )?;
        if n == 0 {
            return Err(RegisterError::UserNotFound(nama.to_string()));
        }
        self.user(nama)
    }

    /// Counts a failed login, and locks the account until `lock` when given.
    pub fn login_failed(&mut self, id: i64, lock: Option<DateTime<FixedOffset>>) -> Result<()> {
        self.conn.execute(
            "UPDATE pengguna SET gagal = gagal + 1, kunci_sampai = COALESCE(?1, kunci_sampai)
             WHERE id = ?2",
            params![lock.map(|l| ts(&l)), id],
        )?;
        Ok(())
    }

    pub fn login_succeeded(&mut self, id: i64) -> Result<crate::pengguna::Pengguna> {
        self.conn.execute(
            "UPDATE pengguna SET gagal = 0, kunci_sampai = NULL WHERE id = ?1",
            [id],
        )?;
        self.user_by_id(id)
    }

    fn user_by_id(&self, id: i64) -> Result<crate::pengguna::Pengguna> {
        self.conn
            .query_row(
                &format!("SELECT {PENGGUNA_COLUMNS} FROM pengguna WHERE id = ?1"),
                [id],
                |r| Ok(pengguna_from_row(r)),
            )
            .optional()?
            .ok_or_else(|| RegisterError::UserNotFound(id.to_string()))?
    }
}

/// A web session: who is logged in, and the token every form of theirs must carry.
#[derive(Debug, Clone)]
pub struct Sesi {
    pub pengguna: crate::pengguna::Pengguna,
    pub csrf: String,
    pub berakhir: DateTime<FixedOffset>,
}

/// Web sessions, by the SHA-256 of their token.
impl Register {
    pub fn create_session(
        &mut self,
        pengguna_id: i64,
        token_sha256: &str,
        csrf: &str,
        at: DateTime<FixedOffset>,
        until: DateTime<FixedOffset>,
    ) -> Result<()> {
        // Ended sessions go whenever a new one starts: the table stays small.
        self.conn
            .execute("DELETE FROM sesi WHERE berakhir < ?1", [ts(&at)])?;
        self.conn.execute(
            "INSERT INTO sesi (token, pengguna_id, csrf, dibuat, berakhir) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![token_sha256, pengguna_id, csrf, ts(&at), ts(&until)],
        )?;
        Ok(())
    }

    /// The live session of this token: not expired, its account active.
    pub fn session(&self, token_sha256: &str, now: DateTime<FixedOffset>) -> Result<Option<Sesi>> {
        let row: Option<(i64, String, String)> = self
            .conn
            .query_row(
                "SELECT pengguna_id, csrf, berakhir FROM sesi WHERE token = ?1",
                [token_sha256],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((id, csrf, berakhir)) = row else {
            return Ok(None);
        };
        let berakhir = DateTime::parse_from_rfc3339(&berakhir)
            .map_err(|_| corrupt(id, format!("sesi.berakhir berisi `{berakhir}`")))?;
        if berakhir <= now {
            return Ok(None);
        }
        let pengguna = self.user_by_id(id)?;
        if !pengguna.aktif {
            return Ok(None);
        }
        Ok(Some(Sesi {
            pengguna,
            csrf,
            berakhir,
        }))
    }

    pub fn end_session(&mut self, token_sha256: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM sesi WHERE token = ?1", [token_sha256])?;
        Ok(())
    }
}

/// How the office numbers its letters, so imported numbers take their place in the
/// sequence.
#[derive(Debug, Clone, Copy)]
pub struct Penomoran<'a> {
    pub pola: &'a str,
    /// One sequence per letter type (`lingkup = "jenis"`) instead of one for the office.
    pub per_jenis: bool,
}

/// What became of one imported row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "hasil", rename_all = "snake_case")]
pub enum HasilImpor {
    Diimpor {
        nomor_register: String,
        /// The file's register number, when another request already had it.
        nomor_asal_terpakai: Option<String>,
        /// The file's letter number, when another letter already had it (not kept).
        nomor_surat_terpakai: Option<String>,
    },
    /// Same NIK, date and letter type as a request already in the register (or
    /// earlier in this import): not imported again.
    Ganda { nomor_register: String },
}

/// A letter issued before the program, known from the old register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SuratLama {
    pub permohonan_id: i64,
    pub nomor: String,
    pub tanggal: Option<NaiveDate>,
}

impl Register {
    /// Imports requests from an old register in one transaction: each keeps its
    /// register number (unless taken) and letter number, enters at the stage its
    /// status supports with a history that says where it came from, and a row already
    /// in the register is counted as a duplicate instead. With `simpan = false` the
    /// transaction is rolled back: a dry run that reports exactly what would happen.
    pub fn import(
        &mut self,
        rows: &[crate::model::PermohonanImpor],
        oleh: &str,
        at: DateTime<FixedOffset>,
        penomoran: Penomoran<'_>,
        simpan: bool,
        progress: &mut dyn FnMut(usize),
    ) -> Result<Vec<HasilImpor>> {
        // A year of registers touches every index at random places: with SQLite's
        // default 2 MB page cache the transaction spills and re-reads pages.
        self.conn.pragma_update(None, "cache_size", -65_536)?;
        self.conn.pragma_update(None, "mmap_size", 268_435_456)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut out: Vec<Option<HasilImpor>> = vec![None; rows.len()];
        let mut done = 0;
        let mut tick = |done: &mut usize| {
            *done += 1;
            if done.is_multiple_of(1024) {
                progress(*done);
            }
        };
        // Rows with their own number first, so a row without one (or whose number is
        // taken) never takes a number that a later row of the file holds.
        let mut later = Vec::new();
        for (i, row) in rows.iter().enumerate() {
            if row.nomor_register.is_none() {
                later.push(i);
                continue;
            }
            match import_one(&tx, row, oleh, &at, penomoran, false)? {
                Some(h) => {
                    out[i] = Some(h);
                    tick(&mut done);
                }
                None => later.push(i),
            }
        }
        for i in later {
            out[i] = import_one(&tx, &rows[i], oleh, &at, penomoran, true)?;
            tick(&mut done);
        }
        if simpan {
            tx.commit()?;
        }
        Ok(out
            .into_iter()
            .map(|h| h.expect("every row handled"))
            .collect())
    }

    /// The letter a request got before the program, from the old register.
    pub fn legacy_letter_of(&self, permohonan_id: i64) -> Result<Option<SuratLama>> {
        let row: Option<(String, Option<String>)> = self
            .conn
            .query_row(
                "SELECT nomor, tanggal FROM surat_lama WHERE permohonan_id = ?1",
                [permohonan_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        row.map(|(nomor, tanggal)| {
            Ok(SuratLama {
                permohonan_id,
                nomor,
                tanggal: tanggal
                    .map(|t| parse_col(permohonan_id, "surat_lama.tanggal", &t))
                    .transpose()?,
            })
        })
        .transpose()
    }

    /// Imported letters, by request id.
    pub fn legacy_letters(&self) -> Result<BTreeMap<i64, SuratLama>> {
        let mut st = self
            .conn
            .prepare("SELECT permohonan_id, nomor, tanggal FROM surat_lama")?;
        let mut rows = st.query([])?;
        let mut out = BTreeMap::new();
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let tanggal: Option<String> = r.get(2)?;
            out.insert(
                id,
                SuratLama {
                    permohonan_id: id,
                    nomor: r.get(1)?,
                    tanggal: tanggal
                        .map(|t| parse_col(id, "surat_lama.tanggal", &t))
                        .transpose()?,
                },
            );
        }
        Ok(out)
    }
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
        Tahap::Diterima | Tahap::Ditolak => Peran::Operator,
        Tahap::Diteruskan => Peran::Kasi,
        Tahap::Ditindaklanjuti | Tahap::DilaporkanKeSeklur => Peran::Koordinator,
        Tahap::DilaporkanKeLurah => Peran::Seklur,
    }
}

/// Imports one row; `None` (nothing written) when its own number is taken and
/// `next_free` is false, so the caller can try again once every own number is placed.
fn import_one(
    tx: &Connection,
    row: &crate::model::PermohonanImpor,
    oleh: &str,
    at: &DateTime<FixedOffset>,
    penomoran: Penomoran<'_>,
    next_free: bool,
) -> Result<Option<HasilImpor>> {
    let same: Option<String> = tx
        .prepare_cached(
            "SELECT nomor_register FROM permohonan WHERE nik = ?1 AND tanggal = ?2 AND jenis = ?3
             ORDER BY id LIMIT 1",
        )?
        .query_row(params![row.nik, row.tanggal.to_string(), row.jenis], |r| {
            r.get(0)
        })
        .optional()?;
    if let Some(nomor_register) = same {
        return Ok(Some(HasilImpor::Ganda { nomor_register }));
    }

    let isian = serde_json::to_string(&row.isian).expect("string map serializes");
    // Inserts under this number; `false` when another request holds it.
    let insert = |tahun: i32, urut: i64| -> Result<bool> {
        let done = tx.prepare_cached(INSERT_PERMOHONAN)?.execute(params![
            tahun,
            urut,
            format_nomor_register(urut, tahun),
            row.jenis,
            row.tanggal.to_string(),
            row.kanal.kode(),
            row.nama,
            row.nik,
            row.kk,
            row.alamat,
            row.rt,
            row.rw,
            row.telepon,
            row.keperluan,
            isian,
            Tahap::Diajukan.kode(),
            ts(at),
        ]);
        match done {
            Ok(_) => Ok(true),
            Err(e) if is_unique_violation(&e) => Ok(false),
            Err(e) => Err(e.into()),
        }
    };
    let mut nomor_asal_terpakai = None;
    let mut placed = None;
    if let Some((urut, tahun)) = row.nomor_register {
        if insert(tahun, urut)? {
            placed = Some((urut, tahun));
        } else if !next_free {
            return Ok(None);
        } else {
            nomor_asal_terpakai = Some(format_nomor_register(urut, tahun));
        }
    }
    let (urut, tahun) = match placed {
        Some(p) => p,
        None => {
            let tahun = row.tanggal.year();
            let urut: i64 = tx
                .prepare_cached(
                    "SELECT COALESCE(MAX(urut), 0) + 1 FROM permohonan WHERE tahun = ?1",
                )?
                .query_row([tahun], |r| r.get(0))?;
            if !insert(tahun, urut)? {
                return Err(RegisterError::Corrupt {
                    id: 0,
                    what: format!(
                        "nomor register {} terpakai",
                        format_nomor_register(urut, tahun)
                    ),
                });
            }
            (urut, tahun)
        }
    };
    let nomor_register = format_nomor_register(urut, tahun);
    let id = tx.last_insert_rowid();

    // The history says what is known: received on the file's date, and moved by the
    // import to the stage the old register supports, on the day it was finished.
    let offset = *at.offset();
    let day = |d: NaiveDate| {
        d.and_hms_opt(8, 0, 0)
            .expect("08:00 exists")
            .and_local_timezone(offset)
            .single()
            .expect("fixed offset")
    };
    let catatan = format!("diimpor dari {} oleh {oleh}", row.asal);
    insert_riwayat(
        tx,
        id,
        None,
        Tahap::Diajukan,
        Peran::Pemohon,
        &row.nama,
        &day(row.tanggal),
        Some(&catatan),
    )?;
    if row.tahap != Tahap::Diajukan {
        let when = row
            .selesai
            .filter(|d| *d >= row.tanggal)
            .unwrap_or(row.tanggal);
        let note = match &row.status_asal {
            // Where it came from is in the first entry.
            Some(s) => format!("{s} (status di register lama; diimpor)"),
            None => "menurut data register lama; diimpor".to_string(),
        };
        insert_riwayat(
            tx,
            id,
            Some(Tahap::Diajukan),
            row.tahap,
            mover(row.tahap),
            oleh,
            &day(when),
            Some(&note),
        )?;
        tx.prepare_cached("UPDATE permohonan SET tahap = ?1 WHERE id = ?2")?
            .execute(params![row.tahap.kode(), id])?;
    }

    let mut nomor_surat_terpakai = None;
    if let Some(nomor) = row
        .nomor_surat
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        let place = numbering::parse_nomor(penomoran.pola, nomor);
        let lingkup = if penomoran.per_jenis {
            row.jenis.as_str()
        } else {
            "kantor"
        };
        // UNIQUE(nomor) and the trigger against `surat` refuse a number already used.
        let done = tx
            .prepare_cached(
                "INSERT INTO surat_lama (permohonan_id, nomor, tanggal, tahun, lingkup, urut)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                id,
                nomor,
                row.tanggal_surat.map(|d| d.to_string()),
                place.map(|p| p.1),
                place.map(|_| lingkup),
                place.map(|p| p.0),
            ]);
        match done {
            Ok(_) => {}
            Err(e) if is_unique_violation(&e) || is_trigger_abort(&e) => {
                nomor_surat_terpakai = Some(nomor.to_string());
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(Some(HasilImpor::Diimpor {
        nomor_register,
        nomor_asal_terpakai,
        nomor_surat_terpakai,
    }))
}

/// An issued letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Surat {
    pub id: i64,
    pub permohonan_id: i64,
    pub nomor: String,
    pub tanggal: NaiveDate,
    pub jenis: String,
    pub kode_verifikasi: String,
    pub penanda_tangan: String,
    #[serde(skip)]
    pub data: String,
    pub sha256: String,
    pub berkas: String,
    pub batal: Option<Batal>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Batal {
    pub waktu: DateTime<FixedOffset>,
    pub oleh: String,
    pub alasan: String,
}

const SURAT_COLUMNS: &str = "s.id, s.permohonan_id, s.nomor, s.tanggal, s.jenis, s.kode_verifikasi, \
    s.penanda_tangan, s.data, s.sha256, s.berkas, s.batal_waktu, s.batal_oleh, s.batal_alasan";

/// The one letter whose `column` equals `value` (a unique column).
fn letter_where(
    conn: &Connection,
    column: &str,
    value: &dyn rusqlite::ToSql,
) -> Result<Option<Surat>> {
    conn.query_row(
        &format!("SELECT {SURAT_COLUMNS} FROM surat s WHERE {column} = ?1"),
        [value],
        |r| Ok(surat_from_row(r)),
    )
    .optional()?
    .transpose()
}

fn surat_from_row(r: &Row) -> Result<Surat> {
    let permohonan_id: i64 = r.get(1)?;
    let tanggal: String = r.get(3)?;
    let batal_waktu: Option<String> = r.get(10)?;
    let batal = match batal_waktu {
        Some(w) => Some(Batal {
            waktu: DateTime::parse_from_rfc3339(&w)
                .map_err(|_| corrupt(permohonan_id, format!("surat.batal_waktu berisi `{w}`")))?,
            oleh: r.get::<_, Option<String>>(11)?.unwrap_or_default(),
            alasan: r.get::<_, Option<String>>(12)?.unwrap_or_default(),
        }),
        None => None,
    };
    Ok(Surat {
        id: r.get(0)?,
        permohonan_id,
        nomor: r.get(2)?,
        tanggal: parse_col(permohonan_id, "surat.tanggal", &tanggal)?,
        jenis: r.get(4)?,
        kode_verifikasi: r.get(5)?,
        penanda_tangan: r.get(6)?,
        data: r.get(7)?,
        sha256: r.get(8)?,
        berkas: r.get(9)?,
        batal,
    })
}

pub fn random_u64() -> Result<u64> {
    let mut b = [0u8; 8];
    getrandom::fill(&mut b).map_err(|e| RegisterError::Random(e.to_string()))?;
    Ok(u64::from_le_bytes(b))
}

/// Numbers the letter (next in its year and scope), asks the caller to produce it, and
/// records it; all inside the caller's transaction.
fn issue_letter(
    tx: &Connection,
    p: &Permohonan,
    at: DateTime<FixedOffset>,
    issue: &mut Issue<'_>,
) -> Result<()> {
    let tanggal = at.date_naive();
    let tahun = tanggal.year();
    // The next number after both the program's letters and the imported ones.
    let mut urut: i64 = tx.query_row(
        "SELECT MAX(COALESCE((SELECT MAX(urut) FROM surat WHERE tahun = ?1 AND lingkup = ?2), 0),
                    COALESCE((SELECT MAX(urut) FROM surat_lama WHERE tahun = ?1 AND lingkup = ?2), 0)) + 1",
        params![tahun, issue.lingkup],
        |r| r.get(0),
    )?;
    let nomor = loop {
        let nomor = numbering::format_nomor(
            issue.pola,
            &numbering::NomorParts {
                kode_klasifikasi: issue.kode_klasifikasi,
                urut,
                kode_unit: issue.kode_unit,
                bulan: tanggal.month(),
                tahun,
            },
        );
        // An imported number in another scope can still spell the same string.
        let taken: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM surat_lama WHERE nomor = ?1)",
            [&nomor],
            |r| r.get(0),
        )?;
        if !taken {
            break nomor;
        }
        urut += 1;
    };
    let kode_verifikasi = loop {
        let code = numbering::verification_code(random_u64()?);
        let taken: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM surat WHERE kode_verifikasi = ?1)",
            [&code],
            |r| r.get(0),
        )?;
        if !taken {
            break code;
        }
    };
    let baru = SuratBaru {
        nomor,
        tanggal,
        kode_verifikasi,
    };
    let t = (issue.produce)(p, &baru).map_err(RegisterError::Issue)?;
    tx.execute(
        "INSERT INTO surat (permohonan_id, tahun, lingkup, urut, nomor, kode_verifikasi, tanggal,
             jenis, penanda_tangan, data, sha256, berkas, dibuat)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            p.id,
            tahun,
            issue.lingkup,
            urut,
            baru.nomor,
            baru.kode_verifikasi,
            tanggal.to_string(),
            p.jenis,
            issue.penanda_tangan,
            t.data,
            t.sha256,
            t.berkas,
            ts(&at),
        ],
    )?;
    Ok(())
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

fn state(p: &Permohonan) -> State<'_> {
    State {
        nomor_register: &p.nomor_register,
        tahap: p.tahap,
        berkas_kurang: p.berkas_kurang(),
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
    for sql in &MIGRATIONS[found as usize..] {
        tx.execute_batch(sql)?;
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
const INSERT_PERMOHONAN: &str = "INSERT INTO permohonan (tahun, urut, nomor_register, jenis, \
    tanggal, kanal, nama, nik, kk, alamat, rt, rw, telepon, keperluan, isian, tahap, dibuat) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)";

const PERMOHONAN_COLUMNS: &str = "p.id, p.nomor_register, p.jenis, p.tanggal, p.kanal, p.nama, \
    p.nik, p.kk, p.alamat, p.rt, p.rw, p.telepon, p.keperluan, p.isian, p.tahap";
const BERKAS_COLUMNS: &str = "b.kode, b.nama, b.wajib, b.ada";
const RIWAYAT_COLUMNS: &str = "r.dari, r.ke, r.peran, r.oleh, r.waktu, r.catatan";

fn load(conn: &Connection, id: i64) -> Result<Permohonan> {
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
        p.riwayat.push(riwayat_from_row(r, 0, id)?);
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

fn riwayat_from_row(r: &Row, o: usize, id: i64) -> Result<Riwayat> {
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
        waktu: DateTime::parse_from_rfc3339(&waktu)
            .map_err(|_| corrupt(id, format!("riwayat.waktu berisi `{waktu}`")))?,
        catatan: r.get(o + 5)?,
    })
}
