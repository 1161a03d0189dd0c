
-- Scheduled runs: one row per job and period (the month of a report, the day of a
-- backup), so a restart, a second instance or a double fire never runs it twice.
CREATE TABLE jalan (
    id           INTEGER PRIMARY KEY,
    tugas        TEXT NOT NULL,
    periode      TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('berjalan', 'selesai', 'gagal')),
    percobaan    INTEGER NOT NULL DEFAULT 1,
    mulai        TEXT NOT NULL,
    klaim_sampai TEXT,
    selesai      TEXT,
    hasil        TEXT,
    UNIQUE (tugas, periode)
) STRICT;
