//! Reports (`laporan`): recorded once per kind and period, moving the requests they cover.

use chrono::TimeZone;

use super::*;

impl Register {
    /// Months whose reports have been made, latest first (`2026-10`); quarters and years
    /// (`2026-Q4`, `2026`, in the same column) are not months.
    pub fn report_months(&self) -> Result<Vec<String>> {
        let mut st = self.conn.prepare(
            "SELECT DISTINCT bulan FROM laporan
             WHERE bulan GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]' ORDER BY bulan DESC",
        )?;
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
    /// covers: those standing at `dari` whose letter is dated in `bulan` (they reached
    /// stage 4 in that month, in the office's zone) go to the next stage, by `peran`, with
    /// the report's reference in their history. Returns the report and how many requests
    /// moved. Because a month is reported only once it is over, no letter can still join
    /// it, so a second call finds the report made and moves nothing.
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
        let (from, to) = self.month_bounds(bulan);
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
                "SELECT p.id FROM permohonan p
                 WHERE p.tahap = ?1
                   AND (SELECT MIN(r.waktu) FROM riwayat r WHERE r.permohonan_id = p.id
                          AND r.ke IN ('ditindaklanjuti', 'dilaporkan_ke_seklur',
                                       'dilaporkan_ke_lurah')) >= ?2
                   AND (SELECT MIN(r.waktu) FROM riwayat r WHERE r.permohonan_id = p.id
                          AND r.ke IN ('ditindaklanjuti', 'dilaporkan_ke_seklur',
                                       'dilaporkan_ke_lurah')) < ?3
                 ORDER BY p.tahun, p.urut",
            )?;
            st.query_map(params![dari.kode(), from, to], |r| r.get(0))?
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

    /// The first instant of `bulan` and of the month after, in the office's zone, as
    /// stored times (UTC), for comparing with `riwayat.waktu`.
    fn month_bounds(&self, bulan: Bulan) -> (String, String) {
        let at = |d: NaiveDate| {
            let local = d.and_hms_opt(0, 0, 0).expect("midnight exists");
            // Midnight may fall in a DST gap in some zones: take the first valid instant.
            let t = self
                .tz
                .from_local_datetime(&local)
                .earliest()
                .unwrap_or_else(|| self.tz.from_utc_datetime(&local));
            ts(&t.fixed_offset())
        };
        (at(bulan.first_day()), at(bulan.next().first_day()))
    }

    /// Periods whose reports have been made, of any length (`2026-10`, `2026-Q4`, `2026`).
    pub fn reported_periods(&self) -> Result<Vec<String>> {
        let mut st = self
            .conn
            .prepare("SELECT DISTINCT bulan FROM laporan ORDER BY bulan DESC")?;
        let rows = st.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<std::result::Result<Vec<_>, _>>()?)
    }

    /// Records a quarter's or a year's report once (the Seklur's, known by the Lurah),
    /// under `periode` (`2026-Q4`, `2026`) in the column that holds a month's. It moves no
    /// request: the monthly reports do that. A second call returns the first record.
    pub fn record_period_report(
        &mut self,
        periode: &str,
        rujukan: &str,
        at: DateTime<FixedOffset>,
    ) -> Result<Laporan> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT OR IGNORE INTO laporan (jenis, bulan, rujukan, dibuat) VALUES (?1, ?2, ?3, ?4)",
            params![JenisLaporan::Rekap.kode(), periode, rujukan, ts(&at)],
        )?;
        let (rujukan, dibuat): (String, String) = tx.query_row(
            "SELECT rujukan, dibuat FROM laporan WHERE jenis = ?1 AND bulan = ?2",
            params![JenisLaporan::Rekap.kode(), periode],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        tx.commit()?;
        let dibuat = parse_time(&dibuat, self.tz)
            .map_err(|_| corrupt(0, format!("laporan.dibuat berisi `{dibuat}`")))?;
        Ok(Laporan { rujukan, dibuat })
    }

    /// The figures kept for a quarter or a year (`2026-Q4`, `2026`), if any.
    pub fn period_figures(&self, periode: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT angka FROM laporan_angka WHERE bulan = ?1",
                params![periode],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Keeps a quarter's or a year's figures as first made; a second call leaves the first.
    pub fn keep_period_figures(
        &mut self,
        periode: &str,
        angka: &str,
        at: DateTime<FixedOffset>,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT OR IGNORE INTO laporan_angka (bulan, angka, dibuat) VALUES (?1, ?2, ?3)",
            params![periode, angka, ts(&at)],
        )?;
        Ok(())
    }

    /// How many requests a report moved: the history entries that carry its reference.
    pub fn moved_by_report(&self, rujukan: &str) -> Result<usize> {
        let n: i64 = self.conn.query_row(
            "SELECT COUNT(*) FROM riwayat WHERE substr(catatan, -length(?1)) = ?1",
            params![format!("(rujukan {rujukan})")],
            |r| r.get(0),
        )?;
        Ok(n as usize)
    }

    /// The figures stored when the month's reports were first made (JSON), if any.
    pub fn report_figures(&self, bulan: Bulan) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT angka FROM laporan_angka WHERE bulan = ?1",
                params![bulan.to_string()],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Keeps the month's figures as first made; a second call leaves the first.
    pub fn keep_report_figures(
        &mut self,
        bulan: Bulan,
        angka: &str,
        at: DateTime<FixedOffset>,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT OR IGNORE INTO laporan_angka (bulan, angka, dibuat) VALUES (?1, ?2, ?3)",
            params![bulan.to_string(), angka, ts(&at)],
        )?;
        Ok(())
    }
}
