-- A search by name read every name in the register (LIKE '%…%'): 100,000 of them for
-- each search, which fifty clerks at once could not afford. Each request's name is kept
-- here from each of its words on, in search form (`domain::teks::awal_kata`), with the
-- request's place in the register (which never changes), so a search is one range of
-- this table, already able to be put in register order. The program fills it after this
-- migration, and whenever it writes a request.
CREATE TABLE IF NOT EXISTS permohonan_kata (
    kata          TEXT NOT NULL,
    permohonan_id INTEGER NOT NULL REFERENCES permohonan (id),
    tahun         INTEGER NOT NULL,
    urut          INTEGER NOT NULL,
    PRIMARY KEY (kata, permohonan_id)
) STRICT, WITHOUT ROWID;
DROP INDEX IF EXISTS permohonan_nama;
