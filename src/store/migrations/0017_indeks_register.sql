-- The register page shows fifty requests, newest first, of a register that may hold ten
-- years (100,000 requests): filtered by stage or letter type it read every matching row
-- to sort them, and a search by name read the whole table. These indexes give a stage's
-- or a type's requests already in register order, and the names alone to scan.
DROP INDEX IF EXISTS permohonan_tahap;
CREATE INDEX permohonan_tahap ON permohonan(tahap, tahun, urut);
CREATE INDEX IF NOT EXISTS permohonan_jenis ON permohonan(jenis, tahun, urut);
CREATE INDEX IF NOT EXISTS permohonan_nama ON permohonan(nama);
