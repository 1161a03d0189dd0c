//! Changes to a request's fields (`perubahan`) before its letter is issued: applied with
//! a record of who changed what, from what, when.

use super::*;
use crate::domain::permohonan::{PermohonanBaru, Perubahan};

/// One recorded change, as `lihat` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PerubahanTercatat {
    pub waktu: DateTime<FixedOffset>,
    pub oleh: String,
    #[serde(flatten)]
    pub perubahan: Perubahan,
}

impl Register {
    /// Writes the checked values of `baru` over request `id` and records each change,
    /// in one transaction. Refused unless the request still stands at `tahap` (the stage
    /// the caller saw) and its letter is not yet issued: a letter shows what was true
    /// the day it was issued.
    pub fn ubah(
        &mut self,
        id: i64,
        tahap: Tahap,
        baru: &PermohonanBaru,
        changes: &[Perubahan],
        oleh: &str,
        at: DateTime<FixedOffset>,
    ) -> Result<Permohonan> {
        let oleh = text("oleh", oleh, crate::domain::teks::OLEH_MAKS)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let p = load(&tx, id, self.tz)?;
        if p.tahap != tahap || !p.tahap.isian_dapat_diubah() {
            return Err(RegisterError::SudahBerlanjut {
                nomor: p.nomor_register,
                tahap: p.tahap.label().to_string(),
            });
        }
        let isian = serde_json::to_string(&baru.isian).expect("string map serializes");
        tx.execute(
            "UPDATE permohonan SET alamat = ?1, rt = ?2, rw = ?3, kk = ?4, telepon = ?5,
                    keperluan = ?6, isian = ?7 WHERE id = ?8",
            params![
                baru.alamat,
                baru.rt,
                baru.rw,
                baru.kk,
                baru.telepon,
                baru.keperluan,
                isian,
                id
            ],
        )?;
        for c in changes {
            tx.execute(
                "INSERT INTO perubahan (permohonan_id, waktu, oleh, kolom, lama, baru)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![id, ts(&at), oleh, c.kolom, c.lama, c.baru],
            )?;
        }
        let p = load(&tx, id, self.tz)?;
        penduduk::merge_penduduk(
            &tx,
            &crate::domain::penduduk::DataPenduduk::of_permohonan(&p),
            &format!("permohonan {} dilengkapi", p.nomor_register),
            &oleh,
            &at,
        )?;
        tx.commit()?;
        Ok(p)
    }

    /// Every change recorded for request `id`, oldest first.
    pub fn changes_of(&self, id: i64) -> Result<Vec<PerubahanTercatat>> {
        let mut st = self.conn.prepare(
            "SELECT waktu, oleh, kolom, lama, baru FROM perubahan
             WHERE permohonan_id = ?1 ORDER BY id",
        )?;
        let rows = st.query_map([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<String>>(4)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (waktu, oleh, kolom, lama, baru) = row?;
            let waktu = parse_time(&waktu, self.tz)
                .map_err(|_| corrupt(id, format!("perubahan.waktu berisi `{waktu}`")))?;
            out.push(PerubahanTercatat {
                waktu,
                oleh,
                perubahan: Perubahan { kolom, lama, baru },
            });
        }
        Ok(out)
    }
}
