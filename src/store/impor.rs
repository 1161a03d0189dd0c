//! The importer's writer: rows of an old register entered in one transaction, with
//! their original register and letter numbers.

use super::*;
use crate::domain::penduduk::DataPenduduk;

impl Register {
    /// Imports requests from an old register in one transaction: each keeps its
    /// register number (unless taken) and letter number, enters at the stage its
    /// status supports with a history that says where it came from, and a row already
    /// in the register is counted as a duplicate instead. With `simpan = false` the
    /// transaction is rolled back: a dry run that reports exactly what would happen.
    pub fn import(
        &mut self,
        rows: &[PermohonanImpor],
        oleh: &str,
        at: DateTime<FixedOffset>,
        penomoran: Penomoran<'_>,
        simpan: bool,
        progress: &mut dyn FnMut(usize),
    ) -> Result<Vec<HasilImpor>> {
        self.import_with(oleh, at, penomoran, simpan, |imp| {
            for (i, row) in rows.iter().enumerate() {
                imp.row(row.clone())?;
                if (i + 1).is_multiple_of(1024) {
                    progress(i + 1);
                }
            }
            imp.finish()
        })
    }

    /// Opens the import's transaction and hands `isi` an [`ImporRegister`] to enter
    /// rows into as they are checked; commits when `isi` succeeds and `simpan` is set,
    /// and otherwise rolls everything back.
    pub fn import_with<T, E: From<RegisterError>>(
        &mut self,
        oleh: &str,
        at: DateTime<FixedOffset>,
        penomoran: Penomoran<'_>,
        simpan: bool,
        isi: impl FnOnce(&mut ImporRegister<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let tx = self.begin_import()?;
        let mut imp = ImporRegister {
            tx: &tx,
            oleh,
            at,
            penomoran,
            out: Vec::new(),
            later: Vec::new(),
        };
        let out = isi(&mut imp)?;
        if simpan {
            tx.commit().map_err(RegisterError::from)?;
        }
        Ok(out)
    }

    /// The letter a request got before the program, from the old register.
    pub fn legacy_letter_of(&self, permohonan_id: i64) -> Result<Option<SuratLama>> {
        let row: Option<(String, Option<String>)> = self
            .conn
            .query_row(
                "SELECT nomor, tanggal FROM surat_lama WHERE permohonan_id = ?1",
                [permohonan_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        row.map(|(nomor, tanggal)| {
            Ok(SuratLama {
                permohonan_id,
                nomor,
                tanggal: tanggal
                    .map(|t| parse_col(permohonan_id, "surat_lama.tanggal", &t))
                    .transpose()?,
            })
        })
        .transpose()
    }

    /// Imported letters, by request id.
    pub fn legacy_letters(&self) -> Result<BTreeMap<i64, SuratLama>> {
        let mut st = self
            .conn
            .prepare("SELECT permohonan_id, nomor, tanggal FROM surat_lama")?;
        let mut rows = st.query([])?;
        let mut out = BTreeMap::new();
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let tanggal: Option<String> = r.get(2)?;
            out.insert(
                id,
                SuratLama {
                    permohonan_id: id,
                    nomor: r.get(1)?,
                    tanggal: tanggal
                        .map(|t| parse_col(id, "surat_lama.tanggal", &t))
                        .transpose()?,
                },
            );
        }
        Ok(out)
    }
}

/// An old register being imported, inside its transaction: rows go in as they come,
/// in the file's order.
pub struct ImporRegister<'a> {
    tx: &'a Connection,
    oleh: &'a str,
    at: DateTime<FixedOffset>,
    penomoran: Penomoran<'a>,
    out: Vec<Option<HasilImpor>>,
    /// Rows without a number of their own, or whose number another request holds.
    later: Vec<(usize, PermohonanImpor)>,
}

impl ImporRegister<'_> {
    /// Enters one row under its own register number. A row without one, or whose
    /// number is taken, waits for [`ImporRegister::finish`]: it must not take a number
    /// that a later row of the file holds.
    pub fn row(&mut self, row: PermohonanImpor) -> Result<()> {
        let i = self.out.len();
        let done = if row.nomor_register.is_some() {
            import_one(self.tx, &row, self.oleh, &self.at, self.penomoran, false)?
        } else {
            None
        };
        if done.is_none() {
            self.later.push((i, row));
        }
        self.out.push(done);
        Ok(())
    }

    /// Marks where a file's rows begin, so that a file found unreadable halfway can be
    /// taken out whole while the files before it stay.
    pub fn savepoint(&mut self) -> Result<()> {
        self.tx.execute_batch("SAVEPOINT berkas")?;
        Ok(())
    }

    /// Takes out every row since [`ImporRegister::savepoint`].
    pub fn rollback_to_savepoint(&mut self) -> Result<()> {
        self.tx
            .execute_batch("ROLLBACK TO berkas; RELEASE berkas")?;
        self.out.clear();
        self.later.clear();
        Ok(())
    }

    /// Keeps the file's rows (they are saved with the transaction).
    pub fn release_savepoint(&mut self) -> Result<()> {
        self.tx.execute_batch("RELEASE berkas")?;
        Ok(())
    }

    /// Places the rows that waited at the next free numbers, and says what became of
    /// every row since the last call, in the order they came.
    pub fn finish(&mut self) -> Result<Vec<HasilImpor>> {
        for (i, row) in std::mem::take(&mut self.later) {
            self.out[i] = import_one(self.tx, &row, self.oleh, &self.at, self.penomoran, true)?;
        }
        Ok(std::mem::take(&mut self.out)
            .into_iter()
            .map(|h| h.expect("every row handled"))
            .collect())
    }
}

/// Imports one row; `None` (nothing written) when its own number is taken and
/// `next_free` is false, so the caller can try again once every own number is placed.
fn import_one(
    tx: &Connection,
    row: &PermohonanImpor,
    oleh: &str,
    at: &DateTime<FixedOffset>,
    penomoran: Penomoran<'_>,
    next_free: bool,
) -> Result<Option<HasilImpor>> {
    let same: Option<String> = tx
        .prepare_cached(
            "SELECT nomor_register FROM permohonan WHERE nik = ?1 AND tanggal = ?2 AND jenis = ?3
             ORDER BY id LIMIT 1",
        )?
        .query_row(params![row.nik, row.tanggal.to_string(), row.jenis], |r| {
            r.get(0)
        })
        .optional()?;
    if let Some(nomor_register) = same {
        return Ok(Some(HasilImpor::Ganda { nomor_register }));
    }

    let isian = serde_json::to_string(&row.isian).expect("string map serializes");
    // Inserts under this number; `false` when another request holds it.
    let insert = |tahun: i32, urut: i64| -> Result<bool> {
        let done = tx.prepare_cached(INSERT_PERMOHONAN)?.execute(params![
            tahun,
            urut,
            format_nomor_register(urut, tahun),
            row.jenis,
            row.tanggal.to_string(),
            row.kanal.kode(),
            row.nama,
            row.nik,
            row.kk,
            row.alamat,
            row.rt,
            row.rw,
            row.telepon,
            row.keperluan,
            isian,
            Tahap::Diajukan.kode(),
            ts(at),
            row.jenis_asal,
        ]);
        match done {
            Ok(_) => Ok(true),
            Err(e) if is_unique_violation(&e) => Ok(false),
            Err(e) => Err(e.into()),
        }
    };
    let mut nomor_asal_terpakai = None;
    let mut placed = None;
    if let Some((urut, tahun)) = row.nomor_register {
        if insert(tahun, urut)? {
            placed = Some((urut, tahun));
        } else if !next_free {
            return Ok(None);
        } else {
            nomor_asal_terpakai = Some(format_nomor_register(urut, tahun));
        }
    }
    let (urut, tahun) = match placed {
        Some(p) => p,
        None => {
            let tahun = row.tanggal.year();
            let urut: i64 = tx
                .prepare_cached(
                    "SELECT COALESCE(MAX(urut), 0) + 1 FROM permohonan WHERE tahun = ?1",
                )?
                .query_row([tahun], |r| r.get(0))?;
            if !insert(tahun, urut)? {
                return Err(RegisterError::Corrupt {
                    id: 0,
                    what: format!(
                        "nomor register {} terpakai",
                        format_nomor_register(urut, tahun)
                    ),
                });
            }
            (urut, tahun)
        }
    };
    let nomor_register = format_nomor_register(urut, tahun);
    let id = tx.last_insert_rowid();
    super::permohonan::index_name(tx, id, (tahun, urut), &row.nama)?;

    // The history says what is known: received on the file's date, and moved by the
    // import to the stage the old register supports, on the day it was finished.
    let offset = *at.offset();
    let day = |d: NaiveDate| {
        d.and_hms_opt(8, 0, 0)
            .expect("08:00 exists")
            .and_local_timezone(offset)
            .single()
            .expect("fixed offset")
    };
    let catatan = format!("diimpor dari {} oleh {oleh}", row.asal);
    insert_riwayat(
        tx,
        id,
        None,
        Tahap::Diajukan,
        Peran::Pemohon,
        &row.nama,
        &day(row.tanggal),
        Some(&catatan),
    )?;
    if row.tahap != Tahap::Diajukan {
        let when = row
            .selesai
            .filter(|d| *d >= row.tanggal)
            .unwrap_or(row.tanggal);
        let note = match &row.status_asal {
            // Where it came from is in the first entry.
            Some(s) => format!("{s} (status di register lama; diimpor)"),
            None => "menurut data register lama; diimpor".to_string(),
        };
        insert_riwayat(
            tx,
            id,
            Some(Tahap::Diajukan),
            row.tahap,
            mover(row.tahap),
            oleh,
            &day(when),
            Some(&note),
        )?;
        tx.prepare_cached("UPDATE permohonan SET tahap = ?1 WHERE id = ?2")?
            .execute(params![row.tahap.kode(), id])?;
    }

    let mut nomor_surat_terpakai = None;
    if let Some(nomor) = row
        .nomor_surat
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        let place = numbering::parse_nomor(penomoran.pola, nomor);
        let lingkup = if penomoran.per_jenis {
            row.jenis.as_str()
        } else {
            "kantor"
        };
        // UNIQUE(nomor) and the trigger against `surat` refuse a number already used.
        let done = tx
            .prepare_cached(
                "INSERT INTO surat_lama (permohonan_id, nomor, tanggal, tahun, lingkup, urut)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                id,
                nomor,
                row.tanggal_surat.map(|d| d.to_string()),
                place.map(|p| p.1),
                place.map(|_| lingkup),
                place.map(|p| p.0),
            ]);
        match done {
            Ok(_) => {}
            Err(e) if is_unique_violation(&e) || is_trigger_abort(&e) => {
                nomor_surat_terpakai = Some(nomor.to_string());
            }
            Err(e) => return Err(e.into()),
        }
    }
    if !row.nik_ragu {
        penduduk::merge_penduduk(
            tx,
            &DataPenduduk::of_impor(row),
            &format!("impor: {}", row.asal),
            oleh,
            at,
        )?;
    }
    Ok(Some(HasilImpor::Diimpor {
        nomor_register,
        nomor_asal_terpakai,
        nomor_surat_terpakai,
    }))
}
