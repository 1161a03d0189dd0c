//! Scheduled runs (`jalan`): one row per job and period, claimed with a lease; and the
//! consistent copy of the database the backup job makes.

use super::*;

impl Register {
    /// Claims the run of `tugas` for `periode`: a new run, a failed one being retried, or
    /// one whose claimant died (lease expired). `None` when it is done, held by another,
    /// or failed and still in its pause before a retry; `by_hand` (someone asked for this
    /// run now) skips that pause.
    pub fn claim_run(
        &mut self,
        tugas: &str,
        periode: &str,
        now: DateTime<FixedOffset>,
        lease_seconds: i64,
        by_hand: bool,
    ) -> Result<Option<i64>> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let until = ts(&(now + chrono::Duration::seconds(lease_seconds)));
        let inserted = tx.execute(
            "INSERT OR IGNORE INTO jalan (tugas, periode, status, mulai, klaim_sampai)
             VALUES (?1, ?2, 'berjalan', ?3, ?4)",
            params![tugas, periode, ts(&now), until],
        )?;
        let id = if inserted == 1 {
            Some(tx.last_insert_rowid())
        } else {
            let (id, status, lease, tries, ended): (
                i64,
                String,
                Option<String>,
                i64,
                Option<String>,
            ) = tx.query_row(
                "SELECT id, status, klaim_sampai, percobaan, selesai FROM jalan
                     WHERE tugas = ?1 AND periode = ?2",
                params![tugas, periode],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )?;
            let expired = lease.is_some_and(|l| l <= ts(&now));
            // A failed run is tried again after a growing pause, not on every tick.
            let retry_due = by_hand
                || ended
                    .and_then(|e| parse_time(&e, self.tz).ok())
                    .is_none_or(|e| e + backoff(tries) <= now);
            if (status == "gagal" && retry_due) || (status == "berjalan" && expired) {
                tx.execute(
                    "UPDATE jalan SET status = 'berjalan', percobaan = percobaan + 1,
                         klaim_sampai = ?1, selesai = NULL WHERE id = ?2",
                    params![until, id],
                )?;
                Some(id)
            } else {
                None
            }
        };
        tx.commit()?;
        Ok(id)
    }

    /// Records how a claimed run ended.
    pub fn finish_run(
        &mut self,
        id: i64,
        ok: bool,
        hasil: &str,
        at: DateTime<FixedOffset>,
    ) -> Result<()> {
        self.conn.execute(
            "UPDATE jalan SET status = ?1, hasil = ?2, selesai = ?3, klaim_sampai = NULL WHERE id = ?4",
            params![
                if ok { StatusJalan::Selesai } else { StatusJalan::Gagal }.kode(),
                hasil,
                ts(&at),
                id
            ],
        )?;
        Ok(())
    }

    /// The runs of a job, newest first.
    pub fn runs_of(&self, tugas: &str) -> Result<Vec<Jalan>> {
        let mut st = self.conn.prepare(
            "SELECT id, tugas, periode, status, percobaan, mulai, selesai, hasil FROM jalan
             WHERE tugas = ?1 ORDER BY mulai DESC, id DESC",
        )?;
        let tz = self.tz;
        let time = |i: usize, v: String| {
            parse_time(&v, tz).map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.into())
            })
        };
        let rows = st.query_map([tugas], |r| {
            Ok(Jalan {
                id: r.get(0)?,
                tugas: r.get(1)?,
                periode: r.get(2)?,
                status: {
                    let v: String = r.get(3)?;
                    v.parse().map_err(|e: String| {
                        rusqlite::Error::FromSqlConversionFailure(
                            3,
                            rusqlite::types::Type::Text,
                            e.into(),
                        )
                    })?
                },
                percobaan: r.get(4)?,
                mulai: time(5, r.get(5)?)?,
                selesai: r
                    .get::<_, Option<String>>(6)?
                    .map(|v| time(6, v))
                    .transpose()?,
                hasil: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A consistent copy of the whole database at `path` (SQLite's `VACUUM INTO`). When
    /// the copy is made by a run (`run_id`), that run is marked done in the copy: a
    /// restored backup must not carry a run forever `berjalan`.
    pub fn backup_to(
        &self,
        path: &Path,
        run_id: Option<(i64, &str, DateTime<FixedOffset>)>,
    ) -> Result<()> {
        self.conn
            .execute("VACUUM INTO ?1", [path.to_string_lossy()])?;
        if let Some((id, hasil, at)) = run_id {
            let copy = Connection::open(path)?;
            copy.execute(
                "UPDATE jalan SET status = 'selesai', hasil = ?1, selesai = ?2, klaim_sampai = NULL
                 WHERE id = ?3",
                params![hasil, ts(&at), id],
            )?;
        }
        Ok(())
    }

    /// The run of `tugas` for `periode`, if there is one.
    pub fn run_of(&self, tugas: &str, periode: &str) -> Result<Option<Jalan>> {
        Ok(self
            .runs_of(tugas)?
            .into_iter()
            .find(|r| r.periode == periode))
    }
}
