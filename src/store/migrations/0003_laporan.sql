
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
