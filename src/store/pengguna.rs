//! Accounts (`pengguna`) and web sessions (`sesi`); passwords arrive already hashed,
//! sessions are kept by the SHA-256 of their token.

use super::*;

const PENGGUNA_COLUMNS: &str = "id, nama, peran, aktif, gagal, kunci_sampai";

fn pengguna_from_row(r: &Row, tz: Tz) -> Result<Pengguna> {
    let id: i64 = r.get(0)?;
    let peran: String = r.get(2)?;
    let kunci: Option<String> = r.get(5)?;
    Ok(Pengguna {
        id,
        nama: r.get(1)?,
        peran: peran
            .parse()
            .map_err(|_| corrupt(id, format!("pengguna.peran berisi `{peran}`")))?,
        aktif: r.get(3)?,
        gagal: r.get(4)?,
        kunci_sampai: kunci
            .map(|k| {
                parse_time(&k, tz)
                    .map_err(|_| corrupt(id, format!("pengguna.kunci_sampai berisi `{k}`")))
            })
            .transpose()?,
    })
}

/// Accounts of the people who log in; passwords arrive already hashed.
impl Register {
    pub fn add_user(
        &mut self,
        nama: &str,
        peran: PeranPengguna,
        hash: &str,
        at: DateTime<FixedOffset>,
    ) -> Result<Pengguna> {
        let done = self.conn.execute(
            "INSERT INTO pengguna (nama, peran, sandi, dibuat, diubah) VALUES (?1, ?2, ?3, ?4, ?4)",
            params![nama, peran.kode(), hash, ts(&at)],
        );
        match done {
            Ok(_) => self.user(nama),
            Err(e) if is_unique_violation(&e) => Err(RegisterError::UserExists(nama.to_string())),
            Err(e) => Err(e.into()),
        }
    }

    /// One account by name (any case).
    pub fn user(&self, nama: &str) -> Result<Pengguna> {
        self.user_with_hash(nama)?
            .map(|(p, _)| p)
            .ok_or_else(|| RegisterError::UserNotFound(nama.to_string()))
    }

    /// One account and its password hash, for the login check only.
    pub fn user_with_hash(&self, nama: &str) -> Result<Option<(Pengguna, String)>> {
        self.conn
            .query_row(
                &format!("SELECT {PENGGUNA_COLUMNS}, sandi FROM pengguna WHERE nama = ?1"),
                [nama.trim()],
                |r| Ok(pengguna_from_row(r, self.tz).map(|p| (p, r.get::<_, String>(6)))),
            )
            .optional()?
            .map(|x| x.and_then(|(p, h)| Ok((p, h?))))
            .transpose()
    }

    pub fn users(&self) -> Result<Vec<Pengguna>> {
        let mut st = self.conn.prepare(&format!(
            "SELECT {PENGGUNA_COLUMNS} FROM pengguna ORDER BY id"
        ))?;
        let mut rows = st.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(pengguna_from_row(r, self.tz)?);
        }
        Ok(out)
    }

    /// A new password; a lock-out is lifted with it.
    pub fn set_password(
        &mut self,
        id: i64,
        hash: &str,
        at: DateTime<FixedOffset>,
    ) -> Result<Pengguna> {
        self.conn.execute(
            "UPDATE pengguna SET sandi = ?1, gagal = 0, kunci_sampai = NULL, diubah = ?2 WHERE id = ?3",
            params![hash, ts(&at), id],
        )?;
        // Whoever held the old password is logged out everywhere.
        self.conn
            .execute("DELETE FROM sesi WHERE pengguna_id = ?1", [id])?;
        self.user_by_id(id)
    }

    pub fn set_user_active(
        &mut self,
        nama: &str,
        aktif: bool,
        at: DateTime<FixedOffset>,
    ) -> Result<Pengguna> {
        let n = self.conn.execute(
            "UPDATE pengguna SET aktif = ?1, diubah = ?2 WHERE nama = ?3",
            params![aktif, ts(&at), nama.trim()],
        )?;
        if n == 0 {
            return Err(RegisterError::UserNotFound(nama.to_string()));
        }
        self.user(nama)
    }

    /// Counts a failed login, and locks the account until `lock` when given.
    pub fn login_failed(&mut self, id: i64, lock: Option<DateTime<FixedOffset>>) -> Result<()> {
        self.conn.execute(
            "UPDATE pengguna SET gagal = gagal + 1, kunci_sampai = COALESCE(?1, kunci_sampai)
             WHERE id = ?2",
            params![lock.map(|l| ts(&l)), id],
        )?;
        if lock.is_some() {
            // Someone is guessing this password: every open session of it ends too.
            self.conn
                .execute("DELETE FROM sesi WHERE pengguna_id = ?1", [id])?;
        }
        Ok(())
    }

    pub fn login_succeeded(&mut self, id: i64) -> Result<Pengguna> {
        self.conn.execute(
            "UPDATE pengguna SET gagal = 0, kunci_sampai = NULL WHERE id = ?1",
            [id],
        )?;
        self.user_by_id(id)
    }

    fn user_by_id(&self, id: i64) -> Result<Pengguna> {
        self.conn
            .query_row(
                &format!("SELECT {PENGGUNA_COLUMNS} FROM pengguna WHERE id = ?1"),
                [id],
                |r| Ok(pengguna_from_row(r, self.tz)),
            )
            .optional()?
            .ok_or_else(|| RegisterError::UserNotFound(id.to_string()))?
    }
}

/// Web sessions, by the SHA-256 of their token.
impl Register {
    pub fn create_session(
        &mut self,
        pengguna_id: i64,
        token_sha256: &str,
        csrf: &str,
        at: DateTime<FixedOffset>,
        until: DateTime<FixedOffset>,
    ) -> Result<()> {
        // Ended sessions go whenever a new one starts: the table stays small.
        self.conn
            .execute("DELETE FROM sesi WHERE berakhir < ?1", [ts(&at)])?;
        self.conn.execute(
            "INSERT INTO sesi (token, pengguna_id, csrf, dibuat, berakhir) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![token_sha256, pengguna_id, csrf, ts(&at), ts(&until)],
        )?;
        Ok(())
    }

    /// The live session of this token: not expired, its account active.
    pub fn session(&self, token_sha256: &str, now: DateTime<FixedOffset>) -> Result<Option<Sesi>> {
        let row: Option<(i64, String, String)> = self
            .conn
            .query_row(
                "SELECT pengguna_id, csrf, berakhir FROM sesi WHERE token = ?1",
                [token_sha256],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((id, csrf, berakhir)) = row else {
            return Ok(None);
        };
        let berakhir = parse_time(&berakhir, self.tz)
            .map_err(|_| corrupt(id, format!("sesi.berakhir berisi `{berakhir}`")))?;
        if berakhir <= now {
            return Ok(None);
        }
        let pengguna = self.user_by_id(id)?;
        if !pengguna.aktif {
            return Ok(None);
        }
        Ok(Some(Sesi {
            pengguna,
            csrf,
            berakhir,
        }))
    }

    pub fn end_session(&mut self, token_sha256: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM sesi WHERE token = ?1", [token_sha256])?;
        Ok(())
    }
}
