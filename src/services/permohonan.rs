//! Completing or correcting a request before its letter (`lengkapi`): the same checks as
//! a new request, the change recorded field by field. The command line and the web page
//! both call `lengkapi`.

use chrono::{DateTime, FixedOffset};

use crate::config::workspace::Workspace;
use crate::domain::permohonan::{self, InputError, Permohonan, Perubahan, Ubahan};
use crate::domain::workflow::Tahap;
use crate::store::{Register, RegisterError};

#[derive(Debug, thiserror::Error)]
pub enum LengkapiError {
    #[error(transparent)]
    Input(#[from] InputError),
    #[error(transparent)]
    Register(#[from] RegisterError),
}

/// Applies `u` to request `id`, which the person saw at stage `dari`; returns the request
/// as it now is and the fields that changed (none changed: nothing is written).
pub fn lengkapi(
    reg: &mut Register,
    ws: &Workspace,
    id: i64,
    dari: Option<Tahap>,
    u: &Ubahan,
    oleh: &str,
    now: DateTime<FixedOffset>,
) -> Result<(Permohonan, Vec<Perubahan>), LengkapiError> {
    let p = reg.get(id)?;
    // A page that showed another stage is told so before its values are checked: they
    // were typed against what it showed. The store checks again inside its transaction.
    if !p.tahap.isian_dapat_diubah() || dari.is_some_and(|d| d != p.tahap) {
        return Err(RegisterError::SudahBerlanjut {
            nomor: p.nomor_register,
            tahap: p.tahap.label().to_string(),
        }
        .into());
    }
    let today = now.with_timezone(&ws.profil.tz()).date_naive();
    let (baru, changes) = permohonan::ubah(&p, u, &ws.katalog, today)?;
    if changes.is_empty() {
        return Ok((p, changes));
    }
    let p = reg.ubah(id, dari.unwrap_or(p.tahap), &baru, &changes, oleh, now)?;
    Ok((p, changes))
}
