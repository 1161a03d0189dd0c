
-- Letter numbers found in the letter archive (output/surat/) that the register did not
-- hold: a register restored from a backup older than the archive, or a database lost.
-- Each file is evidence that its number was issued, so the number is taken for ever and a
-- new letter's sequence continues after it. Recorded by `kelurahan pulihkan`.
CREATE TABLE nomor_ditemukan (
    id      INTEGER PRIMARY KEY,
    tahun   INTEGER NOT NULL,
    urut    INTEGER NOT NULL CHECK (urut > 0),
    -- Path of the file, relative to the workspace, and its fingerprint when found.
    berkas  TEXT NOT NULL UNIQUE,
    sha256  TEXT NOT NULL CHECK (length(sha256) = 64),
    dicatat TEXT NOT NULL
) STRICT;
CREATE INDEX nomor_ditemukan_urut ON nomor_ditemukan (tahun, urut);
CREATE TRIGGER nomor_ditemukan_tetap BEFORE UPDATE ON nomor_ditemukan
BEGIN SELECT RAISE(ABORT, 'nomor surat yang ditemukan tidak boleh diubah'); END;
CREATE TRIGGER nomor_ditemukan_tidak_dihapus BEFORE DELETE ON nomor_ditemukan
BEGIN SELECT RAISE(ABORT, 'nomor surat yang ditemukan tidak boleh dihapus'); END;
