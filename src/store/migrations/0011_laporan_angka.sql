-- The figures of a month's reports as first made, kept so that printing the month again
-- gives the same files byte for byte, whatever happened in the register since.
CREATE TABLE laporan_angka (
    bulan  TEXT PRIMARY KEY,
    angka  TEXT NOT NULL,
    dibuat TEXT NOT NULL
) STRICT;
CREATE TRIGGER laporan_angka_tetap BEFORE UPDATE ON laporan_angka
BEGIN SELECT RAISE(ABORT, 'angka laporan tidak boleh diubah'); END;
CREATE TRIGGER laporan_angka_tidak_dihapus BEFORE DELETE ON laporan_angka
BEGIN SELECT RAISE(ABORT, 'angka laporan tidak boleh dihapus'); END;
