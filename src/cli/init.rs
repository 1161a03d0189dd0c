//! `kelurahan init`: a new workspace (profile, database, output/), or nothing if one is there.

use std::path::Path;

use anyhow::Result;

use super::out::Out;
use crate::config::workspace::{InitOutcome, Workspace};
use crate::store::Register;

pub(super) fn run(out: &mut Out, dir: &Path) -> Result<()> {
    match Workspace::init(dir)? {
        InitOutcome::AlreadyExists(files) => {
            writeln!(
                out,
                "{} sudah berisi folder kerja ({}); tidak ada yang diubah.",
                dir.display(),
                files.join(", ")
            )?;
        }
        InitOutcome::Created => {
            let ws = Workspace::open(dir)?;
            Register::open(&ws.db_path(), ws.profil.tz())?;
            writeln!(
                out,
                "Folder kerja dibuat di {}: kelurahan.toml, kelurahan.db, output/.\n\
                 Sesuaikan kelurahan.toml (nama pejabat, NIP, kode unit), lalu jalankan `kelurahan periksa`.",
                dir.display()
            )?;
        }
    }
    Ok(())
}
