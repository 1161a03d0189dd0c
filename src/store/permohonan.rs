//! Requests (`permohonan`) with their checklist (`berkas`) and history (`riwayat`):
//! new entries with the next register number, look-ups, lists, stage moves.

use super::surat::issue_letter;
use super::*;
use crate::domain::penduduk::DataPenduduk;
use crate::domain::teks;

/// Filters for listing the register.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    pub tahap: Option<Tahap>,
    pub jenis: Option<String>,
    /// By the request's date.
    pub bulan: Option<Bulan>,
    pub tahun: Option<i32>,
    /// A name (from the start of any of its words), a register number, a letter number,
    /// or a whole NIK (a NIK is only ever matched exactly, so a search cannot fish for
    /// NIKs by their digits).
    pub cari: Option<String>,
}

/// How many requests stand at each stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TahapCount {
    pub tahap: Tahap,
    pub jumlah: i64,
}

impl Register {
    /// Writes a new request with the next register number of its year, its checklist
    /// and its first history entry, in one transaction.
    pub fn create(
        &mut self,
        baru: &PermohonanBaru,
        pencatat: &str,
        at: DateTime<FixedOffset>,
    ) -> Result<Permohonan> {
        let pencatat = text("oleh", pencatat, crate::domain::teks::OLEH_MAKS)?;
        let pencatat = pencatat.as_str();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let tahun = baru.tanggal.year();
        let urut: i64 = tx.query_row(
            "SELECT COALESCE(MAX(urut), 0) + 1 FROM permohonan WHERE tahun = ?1",
            [tahun],
            |r| r.get(0),
        )?;
        let nomor = format_nomor_register(urut, tahun);
        let isian = serde_json::to_string(&baru.isian).expect("string map serializes");
        tx.execute(
            INSERT_PERMOHONAN,
            params![
                tahun,
                urut,
                nomor,
                baru.jenis,
                baru.tanggal.to_string(),
                baru.kanal.kode(),
                baru.nama,
                baru.nik,
                baru.kk,
                baru.alamat,
                baru.rt,
                baru.rw,
                baru.telepon,
                baru.keperluan,
                isian,
                Tahap::Diajukan.kode(),
                ts(&at),
                None::<String>,
            ],
        )?;
        let id = tx.last_insert_rowid();
        index_name(&tx, id, (tahun, urut), &baru.nama)?;
        for (i, b) in baru.berkas.iter().enumerate() {
            tx.execute(
                "INSERT INTO berkas (permohonan_id, urutan, kode, nama, wajib, ada, diperbarui)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![id, i as i64, b.kode, b.nama, b.wajib, b.ada, ts(&at)],
            )?;
        }
        let catatan = format!(
            "{}; dicatat oleh {pencatat} (Operator)",
            match baru.kanal {
                Kanal::Langsung => "diajukan langsung di kantor",
                Kanal::Whatsapp => "diajukan melalui WhatsApp",
            }
        );
        insert_riwayat(
            &tx,
            id,
            None,
            Tahap::Diajukan,
            Peran::Pemohon,
            &baru.nama,
            &at,
            Some(&catatan),
        )?;
        penduduk::merge_penduduk(
            &tx,
            &DataPenduduk::of_baru(baru),
            &format!("permohonan {nomor}"),
            pencatat,
            &at,
        )?;
        let p = load(&tx, id, self.tz)?;
        tx.commit()?;
        Ok(p)
    }

    /// Resolves what a user typed: a register number (`0042/2026`, `42/2026`) or an id.
    pub fn resolve(&self, text: &str) -> Result<i64> {
        let t = text.trim();
        let found: Option<i64> = if let Some((u, y)) = t.split_once('/') {
            let (Ok(urut), Ok(tahun)) = (u.parse::<i64>(), y.parse::<i32>()) else {
                return Err(RegisterError::BadId(text.to_string()));
            };
            self.conn
                .query_row(
                    "SELECT id FROM permohonan WHERE tahun = ?1 AND urut = ?2",
                    params![tahun, urut],
                    |r| r.get(0),
                )
                .optional()?
        } else {
            let id: i64 = t
                .parse()
                .map_err(|_| RegisterError::BadId(text.to_string()))?;
            self.conn
                .query_row("SELECT id FROM permohonan WHERE id = ?1", [id], |r| {
                    r.get(0)
                })
                .optional()?
        };
        found.ok_or_else(|| RegisterError::NotFound(t.to_string()))
    }

    /// One request with its checklist and full history.
    pub fn get(&self, id: i64) -> Result<Permohonan> {
        load(&self.conn, id, self.tz)
    }

    /// One page of the requests matching `f`, newest first, without checklist or
    /// history (what a listing shows), and how many match in all. Reads only the page's
    /// rows, however long the register.
    pub fn list_page(
        &self,
        f: &Filter,
        offset: usize,
        limit: usize,
    ) -> Result<(Vec<Permohonan>, usize)> {
        // An empty search box searches nothing.
        let f = &Filter {
            cari: f.cari.clone().filter(|c| !c.trim().is_empty()),
            ..f.clone()
        };
        let (filter, args) = where_of(f);
        let read = |sql: &str, args: &[String]| -> Result<Vec<Permohonan>> {
            let mut st = self.conn.prepare_cached(sql)?;
            let mut rows = st.query(rusqlite::params_from_iter(args.iter()))?;
            let mut out = Vec::new();
            while let Some(r) = rows.next()? {
                out.push(permohonan_from_row(r)?);
            }
            Ok(out)
        };
        if let Some(c) = &f.cari {
            // A search finds its requests once, for the count and the page together. A
            // search alone puts them in order by what its look-ups hold; with a filter
            // beside it each found request is read to be filtered.
            let only_search = *f
                == Filter {
                    cari: f.cari.clone(),
                    ..Filter::default()
                };
            let (sql, args) = if only_search {
                let mut args = Vec::new();
                let found = found_by(c.trim(), &mut args);
                (format!("SELECT tahun, urut, id FROM ({found})"), args)
            } else {
                (
                    format!("SELECT p.tahun, p.urut, p.id FROM permohonan p WHERE {filter}"),
                    args,
                )
            };
            let mut found: Vec<(i64, i64, i64)> = self
                .conn
                .prepare_cached(&sql)?
                .query_map(rusqlite::params_from_iter(args.iter()), |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })?
                .collect::<rusqlite::Result<_>>()?;
            // Newest first; a request found two ways once.
            found.sort_unstable_by(|a, b| b.cmp(a));
            found.dedup();
            let ids: Vec<i64> = found.into_iter().map(|f| f.2).collect();
            let page: Vec<String> = ids
                .iter()
                .skip(offset)
                .take(limit)
                .map(i64::to_string)
                .collect();
            let sql = format!(
                "SELECT {PERMOHONAN_COLUMNS} FROM permohonan p
                 WHERE p.id IN (SELECT value FROM json_each(?1))
                 ORDER BY p.tahun DESC, p.urut DESC"
            );
            let out = read(&sql, &[format!("[{}]", page.join(","))])?;
            return Ok((out, ids.len()));
        }
        // The whole register's count SQLite knows from its pages, and a stage's is kept
        // by `count_by_tahap`: counting matching rows one by one cost more than the page.
        let total: i64 = if *f == Filter::default() {
            self.conn
                .prepare_cached("SELECT COUNT(*) FROM permohonan")?
                .query_row([], |r| r.get(0))?
        } else if let Some(t) = f.tahap.filter(|t| {
            *f == Filter {
                tahap: Some(*t),
                ..Filter::default()
            }
        }) {
            self.count_by_tahap()?
                .into_iter()
                .find(|c| c.tahap == t)
                .map_or(0, |c| c.jumlah)
        } else {
            self.conn
                .prepare_cached(&format!("SELECT COUNT(*) FROM permohonan p WHERE {filter}"))?
                .query_row(rusqlite::params_from_iter(args.iter()), |r| r.get(0))?
        };
        // The page's place is found in the index alone, walked from the nearer end (page
        // 1,500 of 2,000 is page 500 from the oldest); only its rows are read whole.
        let total_rows = total.max(0) as usize;
        let (arah, offset, limit) = if offset > total_rows / 2 && offset < total_rows {
            let end = (offset + limit).min(total_rows);
            ("ASC", total_rows - end, end - offset)
        } else {
            ("DESC", offset, limit)
        };
        let sql = format!(
            "SELECT {PERMOHONAN_COLUMNS} FROM permohonan p WHERE p.id IN (
                SELECT p.id FROM permohonan p WHERE {filter}
                ORDER BY p.tahun {arah}, p.urut {arah} LIMIT {limit} OFFSET {offset})
             ORDER BY p.tahun DESC, p.urut DESC"
        );
        Ok((read(&sql, &args)?, total as usize))
    }

    /// The request `id` if its tracking code (`kode lacak`) is `kode`.
    pub fn by_kode_lacak(&self, id: i64, kode: &str) -> Result<Option<Permohonan>> {
        let found: Option<i64> = self
            .conn
            .prepare_cached("SELECT id FROM permohonan WHERE id = ?1 AND kode_lacak = ?2")?
            .query_row(params![id, kode], |r| r.get(0))
            .optional()?;
        found.map(|id| load(&self.conn, id, self.tz)).transpose()
    }

    /// Requests matching `f`, oldest first, in brief: id, date and letter type, what a
    /// worklist is put in order by without reading every request whole.
    pub fn list_brief(&self, f: &Filter) -> Result<Vec<(i64, NaiveDate, String)>> {
        let (filter, args) = where_of(f);
        let sql = format!(
            "SELECT p.id, p.tanggal, p.jenis FROM permohonan p WHERE {filter}
             ORDER BY p.tahun, p.urut"
        );
        let mut st = self.conn.prepare_cached(&sql)?;
        let mut rows = st.query(rusqlite::params_from_iter(args.iter()))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let tanggal: String = r.get(1)?;
            out.push((id, parse_col(id, "tanggal", &tanggal)?, r.get(2)?));
        }
        Ok(out)
    }

    /// The requests `ids`, in that order, without checklist or history but with the
    /// time of their latest move: what a page of a worklist shows, read in one pass.
    pub fn with_last_move(
        &self,
        ids: &[i64],
    ) -> Result<Vec<(Permohonan, Option<DateTime<FixedOffset>>)>> {
        let sql = format!(
            "SELECT {PERMOHONAN_COLUMNS},
                    (SELECT r.waktu FROM riwayat r WHERE r.permohonan_id = p.id
                     ORDER BY r.id DESC LIMIT 1)
             FROM json_each(?1) AS j JOIN permohonan p ON p.id = j.value
             ORDER BY j.key"
        );
        let list = format!(
            "[{}]",
            ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
        );
        let mut st = self.conn.prepare_cached(&sql)?;
        let mut rows = st.query([list])?;
        let last = PERMOHONAN_COLUMNS.split(',').count();
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let p = permohonan_from_row(r)?;
            let waktu: Option<String> = r.get(last)?;
            let waktu = waktu
                .map(|w| {
                    parse_time(&w, self.tz)
                        .map_err(|_| corrupt(p.id, format!("riwayat.waktu berisi `{w}`")))
                })
                .transpose()?;
            out.push((p, waktu));
        }
        Ok(out)
    }

    /// Requests matching `f`, oldest first, each with checklist and history.
    pub fn list(&self, f: &Filter) -> Result<Vec<Permohonan>> {
        let (filter, args) = where_of(f);
        let mut out: Vec<Permohonan> = Vec::new();
        let mut index = BTreeMap::new();
        {
            let sql = format!(
                "SELECT {PERMOHONAN_COLUMNS} FROM permohonan p WHERE {filter} ORDER BY p.tahun, p.urut"
            );
            let mut st = self.conn.prepare(&sql)?;
            let mut rows = st.query(rusqlite::params_from_iter(args.iter()))?;
            while let Some(r) = rows.next()? {
                let p = permohonan_from_row(r)?;
                index.insert(p.id, out.len());
                out.push(p);
            }
        }
        {
            let sql = format!(
                "SELECT b.permohonan_id, {BERKAS_COLUMNS} FROM berkas b JOIN permohonan p ON p.id = b.permohonan_id
                 WHERE {filter} ORDER BY b.permohonan_id, b.urutan"
            );
            let mut st = self.conn.prepare(&sql)?;
            let mut rows = st.query(rusqlite::params_from_iter(args.iter()))?;
            while let Some(r) = rows.next()? {
                let id: i64 = r.get(0)?;
                if let Some(&i) = index.get(&id) {
                    out[i].berkas.push(berkas_from_row(r, 1)?);
                }
            }
        }
        {
            let sql = format!(
                "SELECT r.permohonan_id, {RIWAYAT_COLUMNS} FROM riwayat r JOIN permohonan p ON p.id = r.permohonan_id
                 WHERE {filter} ORDER BY r.permohonan_id, r.id"
            );
            let mut st = self.conn.prepare(&sql)?;
            let mut rows = st.query(rusqlite::params_from_iter(args.iter()))?;
            while let Some(r) = rows.next()? {
                let id: i64 = r.get(0)?;
                if let Some(&i) = index.get(&id) {
                    out[i].riwayat.push(riwayat_from_row(r, 1, id, self.tz)?);
                }
            }
        }
        Ok(out)
    }

    /// Requests per stage, every stage listed.
    pub fn count_by_tahap(&self) -> Result<Vec<TahapCount>> {
        // Every worklist asks this. Counting the finished requests one by one (nine in
        // ten of a long register) cost more than the rest of the page: they are the total,
        // which SQLite knows from the table's pages, less every other stage.
        let total: i64 = self
            .conn
            .prepare_cached("SELECT COUNT(*) FROM permohonan")?
            .query_row([], |r| r.get(0))?;
        let mut st = self
            .conn
            .prepare_cached("SELECT COUNT(*) FROM permohonan WHERE tahap = ?1")?;
        let mut out = Vec::new();
        for t in Tahap::ALL {
            let jumlah = if t == Tahap::DilaporkanKeLurah {
                0
            } else {
                st.query_row([t.kode()], |r| r.get(0))?
            };
            out.push(TahapCount { tahap: t, jumlah });
        }
        let others: i64 = out.iter().map(|c| c.jumlah).sum();
        for c in &mut out {
            if c.tahap == Tahap::DilaporkanKeLurah {
                c.jumlah = total - others;
            }
        }
        Ok(out)
    }

    /// Marks papers as brought (`ada`) or not. Only while the request is `diajukan`.
    pub fn set_papers(
        &mut self,
        id: i64,
        ada: &[String],
        tidak_ada: &[String],
        at: DateTime<FixedOffset>,
    ) -> Result<Permohonan> {
        if let Some(k) = ada.iter().find(|k| tidak_ada.contains(k)) {
            return Err(RegisterError::PaperBothWays(k.clone()));
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let p = load(&tx, id, self.tz)?;
        workflow::check_papers_editable(&state(&p, self.tz))?;
        for (kode, value) in ada
            .iter()
            .map(|k| (k, true))
            .chain(tidak_ada.iter().map(|k| (k, false)))
        {
            let n = tx.execute(
                "UPDATE berkas SET ada = ?1, diperbarui = ?2 WHERE permohonan_id = ?3 AND kode = ?4",
                params![value, ts(&at), id, kode.trim()],
            )?;
            if n == 0 {
                return Err(RegisterError::UnknownPaper {
                    nomor: p.nomor_register.clone(),
                    kode: kode.clone(),
                    known: p
                        .berkas
                        .iter()
                        .map(|b| b.kode.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                });
            }
        }
        let p = load(&tx, id, self.tz)?;
        tx.commit()?;
        Ok(p)
    }

    /// Moves a request one stage forward, if the SOP lets `peran` do it now. The move to
    /// stage 4 issues the letter: `issue` numbers it, renders it and writes its file
    /// inside the same transaction, so a failure leaves neither a move nor a number.
    #[allow(clippy::too_many_arguments)]
    pub fn advance(
        &mut self,
        id: i64,
        dari: Tahap,
        peran: Peran,
        oleh: &str,
        catatan: Option<&str>,
        at: DateTime<FixedOffset>,
        issue: Option<&mut Issue<'_>>,
    ) -> Result<Permohonan> {
        let oleh = text("oleh", oleh, crate::domain::teks::OLEH_MAKS)?;
        let catatan = note("catatan", catatan)?;
        let (oleh, catatan) = (oleh.as_str(), catatan.as_deref());
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let p = load(&tx, id, self.tz)?;
        let ke = workflow::advance_from(&state(&p, self.tz), peran, dari)?;
        apply_move(&tx, &p, ke, peran, oleh, catatan, &at)?;
        if ke == Tahap::Ditindaklanjuti {
            let issue = issue.ok_or_else(|| {
                RegisterError::Issue("penerbitan surat tidak disiapkan oleh pemanggil".into())
            })?;
            let p = load(&tx, id, self.tz)?;
            issue_letter(&tx, &p, at, issue)?;
        }
        let p = load(&tx, id, self.tz)?;
        tx.commit()?;
        Ok(p)
    }

    /// Records that the applicant withdrew (`dibatalkan`), with their reason, if the SOP
    /// still allows it (by the Operator, before the letter is issued).
    pub fn cancel(
        &mut self,
        id: i64,
        peran: Peran,
        oleh: &str,
        alasan: &str,
        at: DateTime<FixedOffset>,
    ) -> Result<Permohonan> {
        self.end(id, peran, oleh, alasan, at, workflow::cancel)
    }

    /// Refuses a request (`ditolak`) with a reason, if the SOP still allows it.
    pub fn reject(
        &mut self,
        id: i64,
        peran: Peran,
        oleh: &str,
        alasan: &str,
        at: DateTime<FixedOffset>,
    ) -> Result<Permohonan> {
        self.end(id, peran, oleh, alasan, at, workflow::reject)
    }

    /// Ends a request without a letter, with a reason, by the SOP's `rule` for that end.
    fn end(
        &mut self,
        id: i64,
        peran: Peran,
        oleh: &str,
        alasan: &str,
        at: DateTime<FixedOffset>,
        rule: fn(&workflow::State, Peran, &str) -> std::result::Result<Tahap, workflow::MoveError>,
    ) -> Result<Permohonan> {
        let oleh = text("oleh", oleh, crate::domain::teks::OLEH_MAKS)?;
        // An empty reason is the SOP's refusal, in its words; a reason typed is checked.
        let alasan = note("alasan", Some(alasan))?.unwrap_or_default();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let p = load(&tx, id, self.tz)?;
        let ke = rule(&state(&p, self.tz), peran, &alasan)?;
        apply_move(&tx, &p, ke, peran, &oleh, Some(&alasan), &at)?;
        let p = load(&tx, id, self.tz)?;
        tx.commit()?;
        Ok(p)
    }
}

/// Keeps a new request's name findable by the start of each of its words.
pub(super) fn index_name(
    conn: &Connection,
    id: i64,
    (tahun, urut): (i32, i64),
    nama: &str,
) -> Result<()> {
    let mut st = conn.prepare_cached(
        "INSERT OR IGNORE INTO permohonan_kata (kata, permohonan_id, tahun, urut)
         VALUES (?1, ?2, ?3, ?4)",
    )?;
    for kata in teks::awal_kata(nama) {
        st.execute(params![kata, id, tahun, urut])?;
    }
    Ok(())
}

/// Indexes every name already in the register (the migration that brings the index).
pub(super) fn index_all_names(conn: &Connection) -> Result<()> {
    let mut st = conn.prepare("SELECT id, tahun, urut, nama FROM permohonan")?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        index_name(
            conn,
            r.get(0)?,
            (r.get(1)?, r.get(2)?),
            &r.get::<_, String>(3)?,
        )?;
    }
    Ok(())
}

/// The requests a search finds, as `(id, tahun, urut)` rows (a request found two ways is
/// there twice): a union of indexed look-ups, its arguments appended to `args`. Joined
/// by OR they made SQLite read the whole table.
fn found_by(c: &str, args: &mut Vec<String>) -> String {
    // "42/2026" finds 0042/2026.
    let exact = match c.split_once('/') {
        Some((u, y)) if u.parse::<i64>().is_ok() && y.parse::<i32>().is_ok() => {
            format_nomor_register(u.parse().unwrap_or(0), y.parse().unwrap_or(0))
        }
        _ => c.to_string(),
    };
    args.push(exact);
    args.push(c.to_string());
    let (e, raw) = (args.len() - 1, args.len());
    let mut parts = vec![
        format!("SELECT id, tahun, urut FROM permohonan WHERE nomor_register = ?{e}"),
        format!("SELECT id, tahun, urut FROM permohonan WHERE nik = ?{raw}"),
        format!(
            "SELECT p.id, p.tahun, p.urut FROM surat s JOIN permohonan p ON p.id = s.permohonan_id
             WHERE s.nomor = ?{raw}"
        ),
        format!(
            "SELECT p.id, p.tahun, p.urut FROM surat_lama s JOIN permohonan p
             ON p.id = s.permohonan_id WHERE s.nomor = ?{raw}"
        ),
    ];
    // "0001" or "1" alone: that sequence number in every year (0001/2025, 0001/2026),
    // found through each year's register number rather than a scan of `urut`.
    if c.len() <= 6 && c.bytes().all(|b| b.is_ascii_digit()) {
        parts.push(format!(
            "SELECT q.id, q.tahun, q.urut FROM permohonan q
              WHERE q.tahun IN (WITH RECURSIVE y(v) AS (
                      SELECT MIN(tahun) FROM permohonan
                      UNION ALL SELECT v + 1 FROM y
                      WHERE v < (SELECT MAX(tahun) FROM permohonan))
                    SELECT v FROM y)
                AND q.urut = CAST(?{raw} AS INTEGER)"
        ));
    }
    // A name is found from the start of any of its words (`aminah` and `siti am` find
    // Siti Aminah) in one range of the word index, which holds each request's place in
    // the register too: the rows found are not read to be put in order. The upper bound
    // is the search followed by the last character there is. A number (`0001`,
    // `42/2026`) is in no name.
    let kata = teks::bentuk_cari(c);
    if !kata.is_empty() && !c.bytes().all(|b| b.is_ascii_digit() || b == b'/') {
        args.push(format!("{kata}\u{10FFFF}"));
        args.push(kata);
        let (ujung, k) = (args.len() - 1, args.len());
        parts.push(format!(
            "SELECT permohonan_id, tahun, urut FROM permohonan_kata
              WHERE kata >= ?{k} AND kata < ?{ujung}"
        ));
    }
    parts.join(" UNION ALL ")
}

/// The WHERE clause of a filter, with its arguments: one reading for every listing.
fn where_of(f: &Filter) -> (String, Vec<String>) {
    let mut clauses = Vec::new();
    let mut args: Vec<String> = Vec::new();
    if let Some(t) = f.tahap {
        args.push(t.kode().into());
        clauses.push(format!("p.tahap = ?{}", args.len()));
    }
    if let Some(j) = &f.jenis {
        args.push(j.clone());
        clauses.push(format!("p.jenis = ?{}", args.len()));
    }
    if let Some(b) = f.bulan {
        args.push(b.first_day().to_string());
        args.push(b.next().first_day().to_string());
        clauses.push(format!(
            "p.tanggal >= ?{} AND p.tanggal < ?{}",
            args.len() - 1,
            args.len()
        ));
    }
    if let Some(y) = f.tahun {
        args.push(y.to_string());
        clauses.push(format!("p.tahun = CAST(?{} AS INTEGER)", args.len()));
    }
    if let Some(c) = f.cari.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        let found = found_by(c, &mut args);
        clauses.push(format!("p.id IN (SELECT id FROM ({found}))"));
    }
    let filter = if clauses.is_empty() {
        "1".to_string()
    } else {
        clauses.join(" AND ")
    };
    (filter, args)
}
