-- A request's tracking code (kode lacak): printed on the applicant's receipt, it opens
-- the public status page `/lacak/{kode}`, which shows the stage and dates only (no name,
-- no NIK). Random, 10 hexadecimal characters; with the page's rate limit, not guessable.
-- Every request gets one, those already in the register too; a new row gets its own as
-- it is written, so no writer has to remember it.
ALTER TABLE permohonan ADD COLUMN kode_lacak TEXT;
UPDATE permohonan SET kode_lacak = upper(hex(randomblob(5))) WHERE kode_lacak IS NULL;
CREATE UNIQUE INDEX permohonan_kode_lacak ON permohonan (kode_lacak);
CREATE TRIGGER permohonan_kode_lacak AFTER INSERT ON permohonan
WHEN NEW.kode_lacak IS NULL
BEGIN UPDATE permohonan SET kode_lacak = upper(hex(randomblob(5))) WHERE id = NEW.id; END;
