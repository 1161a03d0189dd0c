//! Who may do what outside the SOP's own steps (those are `domain::workflow`'s): one
//! rule per action, in the words the person is shown, for the web page and the command
//! line alike.

use crate::domain::pengguna::PeranPengguna;

/// An action guarded by a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tindakan {
    /// Write a new request in the register, or tick its papers (SOP step 1–2, the counter).
    CatatPermohonan,
    /// Complete or correct a request's fields before its letter is issued (the counter,
    /// or the Koordinator who finds a field missing at the letter).
    LengkapiPermohonan,
    /// Look residents up (the counter and the people who act on requests).
    LihatPenduduk,
    /// Make a period's reports (moving requests to stages 5 and 6).
    BuatLaporan,
    /// Import old registers.
    Impor,
    /// See the outbox and the schedules.
    KelolaProgram,
}

/// Refused, with the reason in the person's words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Ditolak(pub &'static str);

/// Whether `peran` may do `t`.
pub fn boleh(peran: PeranPengguna, t: Tindakan) -> Result<(), Ditolak> {
    use PeranPengguna as P;
    let (ok, why) = match t {
        Tindakan::CatatPermohonan => (
            peran == P::Operator,
            "Hanya Operator yang mencatat permohonan baru dan berkasnya.",
        ),
        Tindakan::LengkapiPermohonan => (
            matches!(peran, P::Operator | P::Koordinator),
            "Isian permohonan dilengkapi oleh Operator atau Koordinator.",
        ),
        Tindakan::LihatPenduduk => (
            matches!(peran, P::Operator | P::Kasi | P::Koordinator),
            "Data penduduk dibuka oleh petugas yang melayani permohonan (Operator, Kasi, Koordinator).",
        ),
        Tindakan::BuatLaporan => (
            matches!(peran, P::Koordinator | P::Seklur | P::Admin),
            "Laporan dibuat oleh Koordinator, Sekretaris Lurah atau pengelola program.",
        ),
        Tindakan::Impor | Tindakan::KelolaProgram => {
            (peran == P::Admin, "Halaman ini untuk pengelola program.")
        }
    };
    if ok { Ok(()) } else { Err(Ditolak(why)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_action_has_its_roles() {
        for p in PeranPengguna::ALL {
            assert_eq!(
                boleh(p, Tindakan::CatatPermohonan).is_ok(),
                p == PeranPengguna::Operator
            );
            assert_eq!(boleh(p, Tindakan::Impor).is_ok(), p == PeranPengguna::Admin);
            assert_eq!(
                boleh(p, Tindakan::LihatPenduduk).is_ok(),
                matches!(
                    p,
                    PeranPengguna::Operator | PeranPengguna::Kasi | PeranPengguna::Koordinator
                )
            );
            assert_eq!(
                boleh(p, Tindakan::LengkapiPermohonan).is_ok(),
                matches!(p, PeranPengguna::Operator | PeranPengguna::Koordinator)
            );
            assert_eq!(
                boleh(p, Tindakan::BuatLaporan).is_ok(),
                matches!(
                    p,
                    PeranPengguna::Koordinator | PeranPengguna::Seklur | PeranPengguna::Admin
                )
            );
        }
    }
}
