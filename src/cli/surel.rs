//! `kelurahan kirim` and `kelurahan surel daftar|ulang`: sending what is due from the
//! outbox, listing it, queueing a failed message again.

use std::path::Path;

use anyhow::Result;

use super::args::{KirimArgs, SurelCmd};
use super::out::Out;
use super::show;
use crate::domain::calendar;

/// Some messages failed for good (exit 1).
#[derive(Debug, thiserror::Error)]
#[error("{0} surel gagal dikirim; lihat `kelurahan surel daftar --status gagal`")]
pub struct MailFailed(pub usize);

pub(super) fn kirim(out: &mut Out, dir: &Path, a: KirimArgs) -> Result<()> {
    let (ws, mut reg) = super::open(dir)?;
    let now = calendar::now(ws.profil.tz());
    let s = crate::services::outbox::send_due(&ws, &mut reg, now)?;
    if a.keluaran.json() {
        super::print_json(out, &s)?;
    } else {
        out.text(&show::pengiriman(&s))?;
    }
    if s.gagal > 0 {
        return Err(MailFailed(s.gagal).into());
    }
    Ok(())
}

pub(super) fn run(out: &mut Out, dir: &Path, cmd: SurelCmd) -> Result<()> {
    let (ws, mut reg) = super::open(dir)?;
    let tz = ws.profil.tz();
    match cmd {
        SurelCmd::Daftar(a) => {
            let list = reg.list_mail(a.status)?;
            if a.keluaran.json() {
                return super::print_json(out, &list);
            }
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|m| {
                    vec![
                        m.id.to_string(),
                        m.status.to_string(),
                        m.percobaan.to_string(),
                        calendar::waktu(&m.dibuat, tz),
                        m.subjek.clone(),
                        m.galat.clone().unwrap_or_default(),
                    ]
                })
                .collect();
            out.text(&show::table(
                &["No", "Status", "Coba", "Dibuat", "Subjek", "Galat terakhir"],
                &rows,
            ))?;
        }
        SurelCmd::Ulang(a) => {
            let m = reg.mail_retry(a.id, calendar::now(tz))?;
            writeln!(out, "Surel {} diantrekan lagi: {}", m.id, m.subjek)?;
        }
    }
    Ok(())
}
