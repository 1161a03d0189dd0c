
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
