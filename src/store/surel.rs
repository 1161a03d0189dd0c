//! The mail outbox (`surel`): queued first, claimed with a lease, sent once.

use super::*;

const SUREL_COLUMNS: &str = "id, message_id, rujukan, kepada, subjek, isi, lampiran, status, \
    percobaan, berikutnya, galat, dibuat, terkirim";

/// The one message whose `column` (a unique one) equals `value`.
fn mail_where(
    conn: &Connection,
    column: &str,
    value: &dyn rusqlite::ToSql,
    tz: Tz,
) -> Result<Option<Surel>> {
    conn.query_row(
        &format!("SELECT {SUREL_COLUMNS} FROM surel WHERE {column} = ?1"),
        [value],
        |r| Ok(surel_from_row(r, tz)),
    )
    .optional()?
    .transpose()
}

fn surel_from_row(r: &Row, tz: Tz) -> Result<Surel> {
    let id: i64 = r.get(0)?;
    let json = |i: usize| -> Result<String> { Ok(r.get::<_, String>(i)?) };
    let time = |v: String| {
        parse_time(&v, tz).map_err(|_| RegisterError::Corrupt {
            id,
            what: format!("surel berisi waktu `{v}`"),
        })
    };
    Ok(Surel {
        id,
        message_id: r.get(1)?,
        rujukan: r.get(2)?,
        kepada: serde_json::from_str(&json(3)?).map_err(|_| corrupt(id, "surel.kepada"))?,
        subjek: r.get(4)?,
        isi: r.get(5)?,
        lampiran: serde_json::from_str(&json(6)?).map_err(|_| corrupt(id, "surel.lampiran"))?,
        status: {
            let v: String = r.get(7)?;
            v.parse()
                .map_err(|_| corrupt(0, format!("surel.status berisi `{v}`")))?
        },
        percobaan: r.get(8)?,
        berikutnya: time(r.get(9)?)?,
        galat: r.get(10)?,
        dibuat: time(r.get(11)?)?,
        terkirim: r.get::<_, Option<String>>(12)?.map(time).transpose()?,
    })
}

impl Register {
    /// Queues a message. One with the same `rujukan` is queued only once: the existing
    /// one is returned.
    pub fn queue_mail(&mut self, m: &SurelBaru, at: DateTime<FixedOffset>) -> Result<Surel> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT OR IGNORE INTO surel (message_id, rujukan, kepada, subjek, isi, lampiran,
                 status, berikutnya, dibuat)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'antre', ?7, ?7)",
            params![
                m.message_id,
                m.rujukan,
                serde_json::to_string(&m.kepada).expect("strings serialize"),
                m.subjek,
                m.isi,
                serde_json::to_string(&m.lampiran).expect("attachments serialize"),
                ts(&at),
            ],
        )?;
        let s = match &m.rujukan {
            Some(r) => mail_where(&tx, "rujukan", r, self.tz)?,
            None => mail_where(&tx, "message_id", &m.message_id, self.tz)?,
        }
        .expect("the message was just written or found");
        tx.commit()?;
        Ok(s)
    }

    /// Messages in the outbox, newest first, optionally of one status.
    pub fn list_mail(&self, status: Option<StatusSurel>) -> Result<Vec<Surel>> {
        let tz = self.tz;
        let mut st = self.conn.prepare(&format!(
            "SELECT {SUREL_COLUMNS} FROM surel WHERE ?1 IS NULL OR status = ?1 ORDER BY id DESC"
        ))?;
        let rows = st.query_map([status.map(StatusSurel::kode)], |r| {
            Ok(surel_from_row(r, tz))
        })?;
        let mut out = Vec::new();
        for r in rows {
            out.push(r??);
        }
        Ok(out)
    }

    /// Claims the next message due at `now` for `lease` seconds: no other process sends
    /// it meanwhile; a claim left by a killed process expires and the message is due again.
    pub fn claim_mail(&mut self, now: DateTime<FixedOffset>, lease: i64) -> Result<Option<Surel>> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let id: Option<i64> = tx
            .query_row(
                "SELECT id FROM surel
                 WHERE (status = 'antre' AND berikutnya <= ?1)
                    OR (status = 'mengirim' AND klaim_sampai <= ?1)
                 ORDER BY berikutnya, id LIMIT 1",
                [ts(&now)],
                |r| r.get(0),
            )
            .optional()?;
        let Some(id) = id else {
            return Ok(None);
        };
        tx.execute(
            "UPDATE surel SET status = 'mengirim', klaim_sampai = ?1, percobaan = percobaan + 1
             WHERE id = ?2",
            params![ts(&(now + chrono::Duration::seconds(lease))), id],
        )?;
        let s = mail_where(&tx, "id", &id, self.tz)?;
        tx.commit()?;
        Ok(s)
    }

    /// The server accepted the message.
    pub fn mail_sent(&mut self, id: i64, at: DateTime<FixedOffset>) -> Result<()> {
        self.conn.execute(
            "UPDATE surel SET status = 'terkirim', terkirim = ?1, klaim_sampai = NULL, galat = NULL
             WHERE id = ?2",
            params![ts(&at), id],
        )?;
        Ok(())
    }

    /// Sending failed: try again at `next`, or never (`None`: permanent).
    pub fn mail_failed(
        &mut self,
        id: i64,
        galat: &str,
        next: Option<DateTime<FixedOffset>>,
    ) -> Result<()> {
        match next {
            Some(n) => self.conn.execute(
                "UPDATE surel SET status = 'antre', berikutnya = ?1, klaim_sampai = NULL, galat = ?2
                 WHERE id = ?3",
                params![ts(&n), galat, id],
            )?,
            None => self.conn.execute(
                "UPDATE surel SET status = 'gagal', klaim_sampai = NULL, galat = ?1 WHERE id = ?2",
                params![galat, id],
            )?,
        };
        Ok(())
    }

    /// Puts a failed message back in the queue, due now, with its attempts counted anew.
    pub fn mail_retry(&mut self, id: i64, now: DateTime<FixedOffset>) -> Result<Surel> {
        let n = self.conn.execute(
            "UPDATE surel SET status = 'antre', berikutnya = ?1, percobaan = 0 WHERE id = ?2 AND status = 'gagal'",
            params![ts(&now), id],
        )?;
        let s = mail_where(&self.conn, "id", &id, self.tz)?
            .ok_or_else(|| RegisterError::NotFound(format!("surel {id}")))?;
        if n == 0 {
            return Err(RegisterError::MailNotFailed(id, s.status.to_string()));
        }
        Ok(s)
    }
}
