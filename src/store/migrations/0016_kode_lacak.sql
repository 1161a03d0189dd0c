-- A request's tracking code (kode lacak): printed on the applicant's receipt as
-- `{id}-{kode}`, it opens the public status page `/lacak/{id}-{kode}`, which shows the
-- stage and dates only (no name, no NIK). The stored part is random, 16 hexadecimal
-- characters (64 bits): with the page's rate limit, not guessable. The page finds the
-- request by its id and compares the code, so no index is kept for it; the program's
-- insert draws the code in the same statement (a trigger or an index here slowed a
-- 100,000-row import by seconds). Requests already in the register get theirs now.
ALTER TABLE permohonan ADD COLUMN kode_lacak TEXT;
UPDATE permohonan SET kode_lacak = upper(hex(randomblob(8))) WHERE kode_lacak IS NULL;
