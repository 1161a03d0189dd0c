
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
