
-- Logged-in sessions of the web page. Only a SHA-256 of the cookie's token is kept, so
-- a copy of the database opens no session.
CREATE TABLE sesi (
    id          INTEGER PRIMARY KEY,
    token       TEXT NOT NULL UNIQUE CHECK (length(token) = 64),
    pengguna_id INTEGER NOT NULL REFERENCES pengguna (id),
    csrf        TEXT NOT NULL CHECK (length(csrf) >= 32),
    dibuat      TEXT NOT NULL,
    berakhir    TEXT NOT NULL
) STRICT;
