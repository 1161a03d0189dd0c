//! Residents (`penduduk`), their change history (`penduduk_riwayat`) and the access log
//! (`akses_penduduk`). Requests and imports merge their applicant in through
//! `merge_penduduk`, inside their own transaction, by the rule of `domain::penduduk`.

use super::*;
use crate::domain::daftar::Daftar;
use crate::domain::penduduk::{self, DataPenduduk, Penduduk, PerubahanPenduduk};

/// One recorded change of a resident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RiwayatPenduduk {
    pub waktu: DateTime<FixedOffset>,
    pub oleh: String,
    pub sumber: String,
    #[serde(flatten)]
    pub perubahan: PerubahanPenduduk,
}

/// One entry of the access log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Akses {
    pub waktu: DateTime<FixedOffset>,
    pub oleh: String,
    pub tindakan: String,
    pub nik: String,
}

/// What became of one row of a resident list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum HasilBarisPenduduk {
    /// A person first recorded.
    Baru,
    /// Some fields changed or were filled.
    Diubah,
    /// Nothing new: already recorded so.
    Sama,
}

fn from_row(r: &Row) -> rusqlite::Result<(String, String, String)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
}

fn decode((nik, data, berlaku): (String, String, String)) -> Result<Penduduk> {
    let bad = |what: String| RegisterError::Corrupt { id: 0, what };
    let map: BTreeMap<String, serde_json::Value> = serde_json::from_str(&data).map_err(|_| {
        bad(format!(
            "penduduk.data tidak terbaca untuk NIK {}",
            identity_mask(&nik)
        ))
    })?;
    let data = map
        .into_iter()
        .filter_map(|(k, v)| v.as_str().map(|s| (k, s.to_string())))
        .collect();
    let berlaku = NaiveDate::from_str(&berlaku)
        .map_err(|_| bad(format!("penduduk.berlaku berisi `{berlaku}`")))?;
    Ok(Penduduk { nik, data, berlaku })
}

fn identity_mask(nik: &str) -> String {
    crate::domain::identity::mask(nik)
}

const SELECT: &str = "SELECT nik, data, berlaku FROM penduduk";

fn load_penduduk(conn: &Connection, nik: &str) -> Result<Option<Penduduk>> {
    conn.prepare_cached("SELECT nik, data, berlaku FROM penduduk WHERE nik = ?1")?
        .query_row([nik], from_row)
        .optional()?
        .map(decode)
        .transpose()
}

fn write_penduduk(conn: &Connection, p: &Penduduk, at: &DateTime<FixedOffset>) -> Result<()> {
    let data = serde_json::to_string(&p.data).expect("string map serializes");
    conn.prepare_cached(
        "INSERT INTO penduduk (nik, kk, nama, nama_cari, data, berlaku, diubah)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (nik) DO UPDATE SET kk = ?2, nama = ?3, nama_cari = ?4, data = ?5,
             berlaku = ?6, diubah = ?7",
    )?
    .execute(params![
        p.nik,
        p.get("kk"),
        p.nama(),
        p.nama().to_lowercase(),
        data,
        p.berlaku.to_string(),
        ts(at)
    ])?;
    Ok(())
}

fn write_changes(
    conn: &Connection,
    nik: &str,
    changes: &[PerubahanPenduduk],
    sumber: &str,
    oleh: &str,
    at: &DateTime<FixedOffset>,
) -> Result<()> {
    let mut st = conn.prepare_cached(
        "INSERT INTO penduduk_riwayat (nik, waktu, oleh, sumber, kolom, lama, baru)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for c in changes {
        st.execute(params![nik, ts(at), oleh, sumber, c.kolom, c.lama, c.baru])?;
    }
    Ok(())
}

/// Merges what a source says about a person into the residents, recording each change;
/// returns whether the person was known before and how many fields changed. A NIK the register cannot hold as a resident (not
/// 16 digits) is left out: it reached the register through an old book.
pub(super) fn merge_penduduk(
    conn: &Connection,
    masuk: &DataPenduduk,
    sumber: &str,
    oleh: &str,
    at: &DateTime<FixedOffset>,
) -> Result<(bool, usize)> {
    if masuk.nik.len() != 16
        || !masuk.nik.chars().all(|c| c.is_ascii_digit())
        || !masuk.data.contains_key("nama")
    {
        return Ok((false, 0));
    }
    let Some(lama) = load_penduduk(conn, &masuk.nik)? else {
        // A person first seen: one entry. What was recorded is not written again: it is
        // the resident's data with the later changes undone (`domain::penduduk::awal`),
        // which keeps an import of a hundred thousand people from writing it all twice.
        let p = penduduk::baru(masuk);
        write_penduduk(conn, &p, at)?;
        let first = PerubahanPenduduk {
            kolom: penduduk::TERCATAT.into(),
            lama: None,
            baru: None,
        };
        write_changes(conn, &p.nik, &[first], sumber, oleh, at)?;
        return Ok((false, p.data.len()));
    };
    let (p, changes) = penduduk::gabung(Some(&lama), masuk);
    if changes.is_empty() && lama.berlaku == p.berlaku {
        return Ok((true, 0));
    }
    write_penduduk(conn, &p, at)?;
    write_changes(conn, &p.nik, &changes, sumber, oleh, at)?;
    Ok((true, changes.len()))
}

/// Fills the residents from every request already in the register, oldest first (the
/// migration that brings residents in).
pub(super) fn backfill(conn: &Connection) -> Result<()> {
    let at = Utc::now().fixed_offset();
    let mut st = conn.prepare(
        "SELECT id, nik, nama, kk, alamat, rt, rw, telepon, isian, tanggal FROM permohonan
         ORDER BY tanggal, id",
    )?;
    let rows = st.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            [
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, Option<String>>(6)?,
                r.get::<_, Option<String>>(7)?,
            ],
            r.get::<_, String>(8)?,
            r.get::<_, String>(9)?,
        ))
    })?;
    for row in rows {
        let (id, nik, nama, [kk, alamat, rt, rw, telepon], isian, tanggal) = row?;
        let Ok(berlaku) = NaiveDate::from_str(&tanggal) else {
            continue;
        };
        let isian: BTreeMap<String, String> = serde_json::from_str(&isian).unwrap_or_default();
        let masuk = DataPenduduk::from_parts(
            &nik,
            berlaku,
            [
                ("nama", Some(&nama)),
                ("kk", kk.as_ref()),
                ("alamat", alamat.as_ref()),
                ("rt", rt.as_ref()),
                ("rw", rw.as_ref()),
                ("telepon", telepon.as_ref()),
            ],
            &isian,
        );
        merge_penduduk(conn, &masuk, &format!("permohonan #{id}"), "program", &at)?;
    }
    Ok(())
}

impl Register {
    /// The resident with this NIK.
    pub fn penduduk(&self, nik: &str) -> Result<Option<Penduduk>> {
        load_penduduk(&self.conn, nik)
    }

    /// Residents found by a whole NIK or KK number, or by part of the name (any case);
    /// at most `batas`, by name.
    pub fn cari_penduduk(&self, teks: &str, batas: usize) -> Result<Vec<Penduduk>> {
        let t = teks.trim();
        let digits = crate::domain::identity::normalize_number(t);
        let rows: Vec<(String, String, String)> =
            if digits.len() == 16 && digits.chars().all(|c| c.is_ascii_digit()) {
                let mut st = self.conn.prepare(&format!(
                    "{SELECT} WHERE nik = ?1 OR kk = ?1 ORDER BY nama_cari, nik LIMIT ?2"
                ))?;
                st.query_map(params![digits, batas as i64], from_row)?
                    .collect::<rusqlite::Result<_>>()?
            } else {
                let pola = format!(
                    "%{}%",
                    t.to_lowercase()
                        .replace('\\', "\\\\")
                        .replace('%', "\\%")
                        .replace('_', "\\_")
                );
                let mut st = self.conn.prepare(&format!(
                    "{SELECT} WHERE nama_cari LIKE ?1 ESCAPE '\\' ORDER BY nama_cari, nik LIMIT ?2"
                ))?;
                st.query_map(params![pola, batas as i64], from_row)?
                    .collect::<rusqlite::Result<_>>()?
            };
        rows.into_iter().map(decode).collect()
    }

    /// The members of a family (KK), the head first, then by the SHDK list's order.
    pub fn keluarga(&self, kk: &str) -> Result<Vec<Penduduk>> {
        let mut st = self
            .conn
            .prepare(&format!("{SELECT} WHERE kk = ?1 ORDER BY nik"))?;
        let mut all: Vec<Penduduk> = st
            .query_map([kk], from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?
            .into_iter()
            .map(decode)
            .collect::<Result<_>>()?;
        let order = |p: &Penduduk| {
            p.get("shdk")
                .and_then(|s| Daftar::Shdk.pilihan().position(|w| w == s))
                .unwrap_or(usize::MAX)
        };
        all.sort_by_key(|p| (order(p), p.dari_nik().map(|(d, _)| d)));
        Ok(all)
    }

    /// A clerk's correction of a resident (`penduduk ubah`): each field given is set, or
    /// cleared when `None`; recorded with `oleh`. Returns the changes.
    pub fn koreksi_penduduk(
        &mut self,
        nik: &str,
        values: &[(String, Option<String>)],
        oleh: &str,
        at: DateTime<FixedOffset>,
    ) -> Result<Option<Vec<PerubahanPenduduk>>> {
        let oleh = text("oleh", oleh, crate::domain::teks::OLEH_MAKS)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let Some(mut p) = load_penduduk(&tx, nik)? else {
            return Ok(None);
        };
        let today = at.with_timezone(&self.tz).date_naive();
        let changes = penduduk::terapkan(&mut p, values, today);
        if !changes.is_empty() {
            write_penduduk(&tx, &p, &at)?;
            write_changes(&tx, nik, &changes, "koreksi petugas", &oleh, &at)?;
            insert_akses(&tx, &oleh, "ubah", nik, &at)?;
        }
        tx.commit()?;
        Ok(Some(changes))
    }

    /// Every change recorded for a resident, oldest first.
    pub fn riwayat_penduduk(&self, nik: &str) -> Result<Vec<RiwayatPenduduk>> {
        let mut st = self.conn.prepare(
            "SELECT waktu, oleh, sumber, kolom, lama, baru FROM penduduk_riwayat
             WHERE nik = ?1 ORDER BY id",
        )?;
        let rows = st
            .query_map([nik], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    RiwayatPenduduk {
                        waktu: DateTime::default(),
                        oleh: r.get(1)?,
                        sumber: r.get(2)?,
                        perubahan: PerubahanPenduduk {
                            kolom: r.get(3)?,
                            lama: r.get(4)?,
                            baru: r.get(5)?,
                        },
                    },
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(w, mut r)| {
                r.waktu = parse_time(&w, self.tz).map_err(|_| RegisterError::Corrupt {
                    id: 0,
                    what: format!("penduduk_riwayat.waktu berisi `{w}`"),
                })?;
                Ok(r)
            })
            .collect()
    }

    /// Records that `oleh` looked at or handed out the residents `niks` (`tindakan`:
    /// `cari`, `lihat`, `keluarga`, `isi`, `ekspor`).
    pub fn catat_akses(
        &mut self,
        oleh: &str,
        tindakan: &str,
        niks: &[&str],
        at: DateTime<FixedOffset>,
    ) -> Result<()> {
        if niks.is_empty() {
            return Ok(());
        }
        let oleh = text("oleh", oleh, crate::domain::teks::OLEH_MAKS)?;
        let tx = self.conn.transaction()?;
        for nik in niks {
            insert_akses(&tx, &oleh, tindakan, nik, &at)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The access log, newest first: everything, or one resident's.
    pub fn akses_penduduk(&self, nik: Option<&str>, batas: usize) -> Result<Vec<Akses>> {
        let mut st = self.conn.prepare(
            "SELECT waktu, oleh, tindakan, nik FROM akses_penduduk
             WHERE ?1 IS NULL OR nik = ?1 ORDER BY id DESC LIMIT ?2",
        )?;
        let rows = st
            .query_map(params![nik, batas as i64], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(w, oleh, tindakan, nik)| {
                Ok(Akses {
                    waktu: parse_time(&w, self.tz).map_err(|_| RegisterError::Corrupt {
                        id: 0,
                        what: format!("akses_penduduk.waktu berisi `{w}`"),
                    })?,
                    oleh,
                    tindakan,
                    nik,
                })
            })
            .collect()
    }

    /// Merges a resident list in one transaction: `isi` hands each row to the
    /// [`ImporPenduduk`] as it reads it; all rows or none are kept. With `simpan = false`
    /// the transaction is rolled back: a dry run that says what would happen.
    pub fn impor_penduduk<T, E: From<RegisterError>>(
        &mut self,
        oleh: &str,
        at: DateTime<FixedOffset>,
        simpan: bool,
        isi: impl FnOnce(&mut ImporPenduduk<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let tx = self.begin_import()?;
        let mut imp = ImporPenduduk { tx: &tx, oleh, at };
        let out = isi(&mut imp)?;
        if simpan {
            tx.commit().map_err(RegisterError::from)?;
        }
        Ok(out)
    }
}

/// A resident list being imported, inside its transaction.
pub struct ImporPenduduk<'a> {
    tx: &'a Connection,
    oleh: &'a str,
    at: DateTime<FixedOffset>,
}

impl ImporPenduduk<'_> {
    /// Merges one row.
    pub fn gabung(&mut self, masuk: &DataPenduduk, sumber: &str) -> Result<HasilBarisPenduduk> {
        Ok(
            match merge_penduduk(self.tx, masuk, sumber, self.oleh, &self.at)? {
                (false, _) => HasilBarisPenduduk::Baru,
                (true, 0) => HasilBarisPenduduk::Sama,
                (true, _) => HasilBarisPenduduk::Diubah,
            },
        )
    }
}

fn insert_akses(
    conn: &Connection,
    oleh: &str,
    tindakan: &str,
    nik: &str,
    at: &DateTime<FixedOffset>,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO akses_penduduk (waktu, oleh, tindakan, nik) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![ts(at), oleh, tindakan, nik])?;
    Ok(())
}
