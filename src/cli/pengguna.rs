//! `kelurahan pengguna`: the web page's accounts: add, list, new password, (de)activate.

use std::path::Path;

use anyhow::{Context, Result};

use super::UsageError;
use super::args::PenggunaCmd;
use super::out::Out;
use super::show;
use crate::domain::calendar;
use crate::services::pengguna;

pub(super) fn run(out: &mut Out, dir: &Path, cmd: PenggunaCmd) -> Result<()> {
    let (ws, mut reg) = super::open(dir)?;
    let now = calendar::now(ws.profil.tz());
    match cmd {
        PenggunaCmd::Tambah(a) => {
            // The name is checked before anyone is asked to type a password.
            let nama = pengguna::check_nama(&a.nama)?;
            let sandi = read_password(a.sandi_stdin)?;
            let p = pengguna::tambah(&mut reg, &nama, a.peran, &sandi, now)?;
            writeln!(out, "akun {} ({}) ditambahkan", p.nama, p.peran)?;
        }
        PenggunaCmd::Daftar(a) => {
            let list = reg.users()?;
            if a.keluaran.json() {
                return super::print_json(out, &list);
            }
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|p| {
                    vec![
                        p.nama.clone(),
                        p.peran.to_string(),
                        if p.aktif { "aktif" } else { "nonaktif" }.into(),
                        match p.kunci_sampai {
                            Some(k) if k > now => {
                                format!("terkunci sampai {}", calendar::waktu(&k, ws.profil.tz()))
                            }
                            _ => "-".into(),
                        },
                    ]
                })
                .collect();
            out.text(&show::table(&["Nama", "Peran", "Status", "Kunci"], &rows))?;
        }
        PenggunaCmd::Sandi(a) => {
            let p = reg.user(&a.nama)?;
            let sandi = read_password(a.sandi_stdin)?;
            let p = pengguna::ganti_sandi(&mut reg, &p.nama, &sandi, now)?;
            writeln!(out, "kata sandi {} diganti", p.nama)?;
        }
        PenggunaCmd::Nonaktif(a) => {
            let p = reg.set_user_active(&a.nama, false, now)?;
            writeln!(out, "akun {} dinonaktifkan", p.nama)?;
        }
        PenggunaCmd::Aktif(a) => {
            let p = reg.set_user_active(&a.nama, true, now)?;
            writeln!(out, "akun {} diaktifkan", p.nama)?;
        }
    }
    Ok(())
}

/// A new password: one line from stdin with `--sandi-stdin`, else typed twice at a
/// terminal prompt that does not echo.
fn read_password(from_stdin: bool) -> Result<String> {
    use std::io::{BufRead, IsTerminal};
    if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("kata sandi tidak dapat dibaca dari masukan standar")?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_string());
    }
    if !std::io::stdin().is_terminal() {
        return Err(UsageError(
            "tidak ada terminal untuk mengetik kata sandi; pakai --sandi-stdin".into(),
        )
        .into());
    }
    let first =
        rpassword::prompt_password("Kata sandi baru: ").context("kata sandi tidak dapat dibaca")?;
    let again = rpassword::prompt_password("Ulangi kata sandi: ")
        .context("kata sandi tidak dapat dibaca")?;
    if first != again {
        return Err(UsageError("kedua kata sandi tidak sama".into()).into());
    }
    Ok(first)
}
