//! `kelurahan demo`: the demo workspace (`crate::demo`) from the command line's options.

use std::path::Path;

use anyhow::Result;

use super::UsageError;
use super::args::DemoArgs;
use super::out::Out;
use super::show;
use crate::demo::DemoOptions;
use crate::domain::calendar;

pub(super) fn run(out: &mut Out, dir: &Path, a: DemoArgs) -> Result<()> {
    let tz = crate::config::workspace::Profil::builtin().tz();
    let now = calendar::now(tz);
    let today = now.date_naive();
    let hingga = match &a.hingga {
        Some(s) => calendar::parse_tanggal(s).map_err(|e| UsageError(format!("--hingga: {e}")))?,
        None => today,
    };
    if hingga > today {
        return Err(UsageError("--hingga tidak boleh di masa depan".into()).into());
    }
    let cutoff = if hingga == today {
        now
    } else {
        calendar::at(tz, hingga, 23, 59)
    };
    let summary = crate::demo::run(
        dir,
        &DemoOptions {
            hingga,
            cutoff,
            jumlah: a.jumlah,
        },
    )?;
    if a.keluaran.json() {
        super::print_json(out, &summary)
    } else {
        Ok(out.text(&show::demo(&summary))?)
    }
}
