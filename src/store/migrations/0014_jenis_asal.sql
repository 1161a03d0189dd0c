-- The letter type as an old register wrote it ("SK Tidak Mampu", "Ket. Lahir"), kept
-- beside the catalog code it was mapped to, so the register and the reports can show
-- what the old book said. Empty for requests made in the program.
ALTER TABLE permohonan ADD COLUMN jenis_asal TEXT;
