-- Residents (`penduduk`): the latest identity known for each NIK, kept from requests,
-- imported registers and resident lists. `data` holds the fields as a JSON object
-- (domain::penduduk::KOLOM); `nama_cari` is the name in lower case for searching;
-- `berlaku` is the date of the newest source merged in. A resident is never deleted.
CREATE TABLE penduduk (
    nik       TEXT PRIMARY KEY,
    kk        TEXT,
    nama      TEXT NOT NULL,
    nama_cari TEXT NOT NULL,
    data      TEXT NOT NULL,
    berlaku   TEXT NOT NULL,
    diubah    TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX penduduk_kk ON penduduk (kk);
CREATE TRIGGER penduduk_tidak_dihapus BEFORE DELETE ON penduduk
BEGIN SELECT RAISE(ABORT, 'data penduduk tidak boleh dihapus'); END;

-- Every change of a resident: when, by whom, from which source (a request, an import,
-- a correction), which field, before and after. Never changed, never deleted.
CREATE TABLE penduduk_riwayat (
    id     INTEGER PRIMARY KEY,
    nik    TEXT NOT NULL,
    waktu  TEXT NOT NULL,
    oleh   TEXT NOT NULL,
    sumber TEXT NOT NULL,
    kolom  TEXT NOT NULL,
    lama   TEXT,
    baru   TEXT
) STRICT;
CREATE INDEX penduduk_riwayat_nik ON penduduk_riwayat (nik, id);
CREATE TRIGGER penduduk_riwayat_tetap BEFORE UPDATE ON penduduk_riwayat
BEGIN SELECT RAISE(ABORT, 'riwayat penduduk tidak boleh diubah'); END;
CREATE TRIGGER penduduk_riwayat_tidak_dihapus BEFORE DELETE ON penduduk_riwayat
BEGIN SELECT RAISE(ABORT, 'riwayat penduduk tidak boleh dihapus'); END;

-- Who looked at or changed which resident, and when (UU No. 27 Tahun 2022 on personal
-- data). Never changed, never deleted.
CREATE TABLE akses_penduduk (
    id       INTEGER PRIMARY KEY,
    waktu    TEXT NOT NULL,
    oleh     TEXT NOT NULL,
    tindakan TEXT NOT NULL,
    nik      TEXT NOT NULL
) STRICT;
CREATE INDEX akses_penduduk_nik ON akses_penduduk (nik, id);
CREATE TRIGGER akses_penduduk_tetap BEFORE UPDATE ON akses_penduduk
BEGIN SELECT RAISE(ABORT, 'catatan akses tidak boleh diubah'); END;
CREATE TRIGGER akses_penduduk_tidak_dihapus BEFORE DELETE ON akses_penduduk
BEGIN SELECT RAISE(ABORT, 'catatan akses tidak boleh dihapus'); END;
