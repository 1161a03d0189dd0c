
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
