
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
