
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
