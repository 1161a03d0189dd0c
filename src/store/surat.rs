//! Letters (`surat`): numbered and recorded inside the stage-4 move, voided once, never
//! changed; and the numbers of letters issued before the program (`surat_lama`).

use super::*;

impl Register {
    /// The letter of a request, to print again; or why there is none: not issued yet, or
    /// issued before the program (only its number is known).
    pub fn letter_to_print(&self, permohonan_id: i64) -> Result<Surat> {
        if let Some(s) = self.letter_of(permohonan_id)? {
            return Ok(s);
        }
        let nomor: String = self.conn.query_row(
            "SELECT nomor_register FROM permohonan WHERE id = ?1",
            [permohonan_id],
            |r| r.get(0),
        )?;
        Err(match self.legacy_letter_of(permohonan_id)? {
            Some(l) => RegisterError::LegacyLetter(nomor, l.nomor),
            None => RegisterError::NoLetter(nomor),
        })
    }

    /// How many letters were ever issued (void ones included).
    pub fn count_letters(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM surat", [], |r| r.get(0))?)
    }

    /// The letter of a request, if it has one.
    pub fn letter_of(&self, permohonan_id: i64) -> Result<Option<Surat>> {
        letter_where(&self.conn, "s.permohonan_id", &permohonan_id, self.tz)
    }

    /// The letter with this verification code (as stored: `XXXX-XXXX-XXXX`).
    pub fn letter_by_code(&self, code: &str) -> Result<Option<Surat>> {
        letter_where(&self.conn, "s.kode_verifikasi", &code, self.tz)
    }

    /// The letter whose issued PDF has this SHA-256 (hex).
    pub fn letter_by_sha256(&self, sha256: &str) -> Result<Option<Surat>> {
        letter_where(&self.conn, "s.sha256", &sha256, self.tz)
    }

    /// Letters dated in `bulan`, in number order.
    pub fn letters_in(&self, bulan: Bulan) -> Result<Vec<Surat>> {
        let tz = self.tz;
        let mut st = self.conn.prepare(&format!(
            "SELECT {SURAT_COLUMNS} FROM surat s WHERE s.tanggal >= ?1 AND s.tanggal < ?2
             ORDER BY s.tahun, s.lingkup, s.urut"
        ))?;
        let rows = st.query_map(
            params![
                bulan.first_day().to_string(),
                bulan.next().first_day().to_string()
            ],
            |r| Ok(surat_from_row(r, tz)),
        )?;
        let mut out = Vec::new();
        for r in rows {
            out.push(r??);
        }
        Ok(out)
    }

    /// Voids a letter: it stays in the register with its number, marked void.
    pub fn void_letter(
        &mut self,
        permohonan_id: i64,
        oleh: &str,
        alasan: &str,
        at: DateTime<FixedOffset>,
    ) -> Result<Surat> {
        if alasan.trim().is_empty() {
            return Err(RegisterError::VoidReasonRequired);
        }
        let oleh = text("oleh", oleh, crate::domain::teks::OLEH_MAKS)?;
        let alasan = text("alasan", alasan, crate::domain::teks::CATATAN_MAKS)?;
        let (oleh, alasan) = (oleh.as_str(), alasan.as_str());
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let nomor: String = tx.query_row(
            "SELECT nomor_register FROM permohonan WHERE id = ?1",
            [permohonan_id],
            |r| r.get(0),
        )?;
        let s = letter_where(&tx, "s.permohonan_id", &permohonan_id, self.tz)?
            .ok_or_else(|| RegisterError::NoLetter(nomor.clone()))?;
        if s.batal.is_some() {
            return Err(RegisterError::AlreadyVoid(s.nomor));
        }
        tx.execute(
            "UPDATE surat SET batal_waktu = ?1, batal_oleh = ?2, batal_alasan = ?3 WHERE id = ?4",
            params![ts(&at), oleh.trim(), alasan.trim(), s.id],
        )?;
        let s = letter_where(&tx, "s.id", &s.id, self.tz)?.ok_or(RegisterError::NoLetter(nomor))?;
        tx.commit()?;
        Ok(s)
    }
}

/// Renders and writes a letter for a request and its new number; returns what the
/// register keeps of it. Any failure aborts the issue and the move.
pub type Produce<'a> = dyn FnMut(
        &Permohonan,
        &SuratBaru,
    ) -> std::result::Result<Terbitan, Box<dyn std::error::Error + Send + Sync>>
    + 'a;

/// How to number and produce a letter, given by the caller of `advance`.
pub struct Issue<'a> {
    pub pola: &'a str,
    /// `kantor`, or the letter type's code for one sequence per type.
    pub lingkup: &'a str,
    pub kode_unit: &'a str,
    pub kode_klasifikasi: &'a str,
    pub penanda_tangan: &'a str,
    /// Renders and writes the letter for this request and these facts; returns what
    /// the register keeps of it.
    pub produce: &'a mut Produce<'a>,
}

const SURAT_COLUMNS: &str = "s.id, s.permohonan_id, s.nomor, s.tanggal, s.jenis, s.kode_verifikasi, \
    s.penanda_tangan, s.data, s.sha256, s.berkas, s.batal_waktu, s.batal_oleh, s.batal_alasan";

/// The one letter whose `column` equals `value` (a unique column).
fn letter_where(
    conn: &Connection,
    column: &str,
    value: &dyn rusqlite::ToSql,
    tz: Tz,
) -> Result<Option<Surat>> {
    conn.query_row(
        &format!("SELECT {SURAT_COLUMNS} FROM surat s WHERE {column} = ?1"),
        [value],
        |r| Ok(surat_from_row(r, tz)),
    )
    .optional()?
    .transpose()
}

fn surat_from_row(r: &Row, tz: Tz) -> Result<Surat> {
    let permohonan_id: i64 = r.get(1)?;
    let tanggal: String = r.get(3)?;
    let batal_waktu: Option<String> = r.get(10)?;
    let batal = match batal_waktu {
        Some(w) => Some(Batal {
            waktu: parse_time(&w, tz)
                .map_err(|_| corrupt(permohonan_id, format!("surat.batal_waktu berisi `{w}`")))?,
            oleh: r.get::<_, Option<String>>(11)?.unwrap_or_default(),
            alasan: r.get::<_, Option<String>>(12)?.unwrap_or_default(),
        }),
        None => None,
    };
    Ok(Surat {
        id: r.get(0)?,
        permohonan_id,
        nomor: r.get(2)?,
        tanggal: parse_col(permohonan_id, "surat.tanggal", &tanggal)?,
        jenis: r.get(4)?,
        kode_verifikasi: r.get(5)?,
        penanda_tangan: r.get(6)?,
        data: r.get(7)?,
        sha256: r.get(8)?,
        berkas: r.get(9)?,
        batal,
    })
}

/// Numbers the letter (next in its year and scope), asks the caller to produce it, and
/// records it; all inside the caller's transaction.
pub(super) fn issue_letter(
    tx: &Connection,
    p: &Permohonan,
    at: DateTime<FixedOffset>,
    issue: &mut Issue<'_>,
) -> Result<()> {
    let tanggal = at.date_naive();
    let tahun = tanggal.year();
    // The next number after the program's letters, the imported ones, and those found in
    // the archive (in any scope: a found file does not say which sequence it took).
    let mut urut: i64 = tx.query_row(
        "SELECT MAX(COALESCE((SELECT MAX(urut) FROM surat WHERE tahun = ?1 AND lingkup = ?2), 0),
                    COALESCE((SELECT MAX(urut) FROM surat_lama WHERE tahun = ?1 AND lingkup = ?2), 0),
                    COALESCE((SELECT MAX(urut) FROM nomor_ditemukan WHERE tahun = ?1), 0)) + 1",
        params![tahun, issue.lingkup],
        |r| r.get(0),
    )?;
    let nomor = loop {
        let nomor = numbering::format_nomor(
            issue.pola,
            &numbering::NomorParts {
                kode_klasifikasi: issue.kode_klasifikasi,
                urut,
                kode_unit: issue.kode_unit,
                bulan: tanggal.month(),
                tahun,
            },
        );
        // An imported number in another scope can still spell the same string.
        let taken: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM surat_lama WHERE nomor = ?1)",
            [&nomor],
            |r| r.get(0),
        )?;
        if !taken {
            break nomor;
        }
        urut += 1;
    };
    let kode_verifikasi = loop {
        let code = numbering::verification_code(acak::random_u64()?);
        let taken: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM surat WHERE kode_verifikasi = ?1)",
            [&code],
            |r| r.get(0),
        )?;
        if !taken {
            break code;
        }
    };
    let baru = SuratBaru {
        nomor,
        tanggal,
        kode_verifikasi,
    };
    let t = (issue.produce)(p, &baru).map_err(RegisterError::Issue)?;
    tx.execute(
        "INSERT INTO surat (permohonan_id, tahun, lingkup, urut, nomor, kode_verifikasi, tanggal,
             jenis, penanda_tangan, data, sha256, berkas, dibuat)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            p.id,
            tahun,
            issue.lingkup,
            urut,
            baru.nomor,
            baru.kode_verifikasi,
            tanggal.to_string(),
            p.jenis,
            issue.penanda_tangan,
            t.data,
            t.sha256,
            t.berkas,
            ts(&at),
        ],
    )?;
    Ok(())
}

impl Register {
    /// Every letter file the register knows of, relative to the workspace: issued letters
    /// and numbers found in the archive.
    pub fn known_letter_files(&self) -> Result<std::collections::BTreeSet<String>> {
        let mut st = self
            .conn
            .prepare("SELECT berkas FROM surat UNION SELECT berkas FROM nomor_ditemukan")?;
        let rows = st.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every issued letter's file and fingerprint, to compare with the archive.
    pub fn letter_fingerprints(&self) -> Result<Vec<(String, String, String)>> {
        let mut st = self
            .conn
            .prepare("SELECT nomor, berkas, sha256 FROM surat ORDER BY id")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records numbers found in the archive, in one transaction; a file already recorded
    /// is skipped. Returns how many were new.
    pub fn record_found_numbers(
        &mut self,
        found: &[NomorDitemukan],
        at: DateTime<FixedOffset>,
    ) -> Result<usize> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut n = 0;
        for f in found {
            n += tx.execute(
                "INSERT INTO nomor_ditemukan (tahun, urut, berkas, sha256, dicatat)
                 SELECT ?1, ?2, ?3, ?4, ?5
                 WHERE NOT EXISTS (SELECT 1 FROM surat WHERE berkas = ?3)
                 ON CONFLICT (berkas) DO NOTHING",
                params![f.tahun, f.urut, f.berkas, f.sha256, ts(&at)],
            )?;
        }
        tx.commit()?;
        Ok(n)
    }

    /// SQLite's quick check of the file (`PRAGMA quick_check`): `None` when whole, else
    /// what it found, in its words.
    pub fn quick_check(&self) -> Result<Option<String>> {
        self.check("PRAGMA quick_check")
    }

    /// SQLite's full check (`PRAGMA integrity_check`), slower: also every index's rows.
    pub fn integrity_check(&self) -> Result<Option<String>> {
        self.check("PRAGMA integrity_check")
    }

    fn check(&self, pragma: &str) -> Result<Option<String>> {
        let mut st = self.conn.prepare(pragma)?;
        let rows: Vec<String> = st
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(if rows.len() == 1 && rows[0] == "ok" {
            None
        } else {
            Some(rows.into_iter().take(10).collect::<Vec<_>>().join("; "))
        })
    }
}
