//! Reports (`laporan`): recorded once per kind and period, moving the requests they cover.

use super::*;

impl Register {
    /// Months whose reports have been made, latest first (`2026-10`).
    pub fn report_months(&self) -> Result<Vec<String>> {
        let mut st = self
            .conn
            .prepare("SELECT DISTINCT bulan FROM laporan ORDER BY bulan DESC")?;
        let rows = st.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<std::result::Result<Vec<_>, _>>()?)
    }

    /// Requests per month (by request date), for each month from `from` to `to`.
    pub fn count_by_month(&self, from: Bulan, to: Bulan) -> Result<Vec<(Bulan, i64)>> {
        let mut st = self.conn.prepare(
            "SELECT substr(tanggal, 1, 7), COUNT(*) FROM permohonan
             WHERE tanggal >= ?1 AND tanggal < ?2 GROUP BY 1",
        )?;
        let counts: BTreeMap<String, i64> = st
            .query_map(
                params![
                    from.first_day().to_string(),
                    to.next().first_day().to_string()
                ],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::new();
        let mut m = from;
        while m <= to {
            out.push((m, counts.get(&m.to_string()).copied().unwrap_or(0)));
            m = m.next();
        }
        Ok(out)
    }

    /// Records a monthly report (once per kind and month) and moves the requests it
    /// covers: those dated up to the month's end standing at `dari` go to the next stage,
    /// by `peran`, with the report's reference in their history. Returns the report and
    /// how many requests moved; a second call for the same month finds the report made
    /// and moves only requests that reached `dari` since.
    #[allow(clippy::too_many_arguments)]
    pub fn record_report(
        &mut self,
        jenis: JenisLaporan,
        bulan: Bulan,
        dari: Tahap,
        peran: Peran,
        oleh: &str,
        catatan: &str,
        at: DateTime<FixedOffset>,
    ) -> Result<(Laporan, usize)> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let rujukan = format!("{}-{bulan}", jenis.prefix());
        tx.execute(
            "INSERT OR IGNORE INTO laporan (jenis, bulan, rujukan, dibuat) VALUES (?1, ?2, ?3, ?4)",
            params![jenis.kode(), bulan.to_string(), rujukan, ts(&at)],
        )?;
        let (rujukan, dibuat): (String, String) = tx.query_row(
            "SELECT rujukan, dibuat FROM laporan WHERE jenis = ?1 AND bulan = ?2",
            params![jenis.kode(), bulan.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let dibuat = parse_time(&dibuat, self.tz)
            .map_err(|_| corrupt(0, format!("laporan.dibuat berisi `{dibuat}`")))?;
        let ids: Vec<i64> = {
            let mut st = tx.prepare(
                "SELECT id FROM permohonan WHERE tahap = ?1 AND tanggal < ?2 ORDER BY tahun, urut",
            )?;
            st.query_map(
                params![dari.kode(), bulan.next().first_day().to_string()],
                |r| r.get(0),
            )?
            .collect::<rusqlite::Result<_>>()?
        };
        let note = format!("{catatan} (rujukan {rujukan})");
        for id in &ids {
            let p = load(&tx, *id, self.tz)?;
            let ke = workflow::advance(&state(&p, self.tz), peran)?;
            apply_move(&tx, &p, ke, peran, oleh, Some(&note), &at)?;
        }
        tx.commit()?;
        Ok((Laporan { rujukan, dibuat }, ids.len()))
    }
}
