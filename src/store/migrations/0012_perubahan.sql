-- Changes to a request's fields before its letter is issued (`permohonan lengkapi`):
-- who, when, which field, what it was and what it became. Kept like the history: never
-- changed, never deleted.
CREATE TABLE perubahan (
    id            INTEGER PRIMARY KEY,
    permohonan_id INTEGER NOT NULL REFERENCES permohonan (id),
    waktu         TEXT NOT NULL,
    oleh          TEXT NOT NULL,
    kolom         TEXT NOT NULL,
    lama          TEXT,
    baru          TEXT
) STRICT;
CREATE INDEX perubahan_permohonan ON perubahan (permohonan_id, id);
CREATE TRIGGER perubahan_tetap BEFORE UPDATE ON perubahan
BEGIN SELECT RAISE(ABORT, 'catatan perubahan tidak boleh diubah'); END;
CREATE TRIGGER perubahan_tidak_dihapus BEFORE DELETE ON perubahan
BEGIN SELECT RAISE(ABORT, 'catatan perubahan tidak boleh dihapus'); END;
