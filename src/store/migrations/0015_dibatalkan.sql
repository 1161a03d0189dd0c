-- An applicant who withdraws is not refused by the office: `dibatalkan` is a terminal
-- stage of its own (recorded by the Operator with the applicant's reason). The stage's
-- CHECK gains the word. Only the list of allowed words grows, so no row changes and
-- the table is not rebuilt: the schema text is edited in place, as SQLite documents
-- for changes that leave the stored rows valid (the program then bumps schema_version
-- so every open connection reloads the schema).
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
SET sql = replace(sql, '''dilaporkan_ke_lurah'', ''ditolak''))',
                       '''dilaporkan_ke_lurah'', ''ditolak'', ''dibatalkan''))')
WHERE type = 'table' AND name = 'permohonan'
  AND sql LIKE '%''dilaporkan_ke_lurah'', ''ditolak''))%';
PRAGMA writable_schema = OFF;
