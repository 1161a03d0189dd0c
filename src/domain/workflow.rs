//! The SOP as a state machine: the stages (`tahap`), who may move a request, and why a
//! move is refused. Pure: no IO, no clock; the register asks, this module answers.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A stage of a request (`tahap`), in SOP order; `Ditolak` (the office refuses: papers
/// incomplete) and `Dibatalkan` (the applicant withdraws) stand outside the order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tahap {
    Diajukan,
    Diterima,
    Diteruskan,
    Ditindaklanjuti,
    DilaporkanKeSeklur,
    DilaporkanKeLurah,
    Ditolak,
    Dibatalkan,
}

impl Tahap {
    pub const ALL: [Tahap; 8] = [
        Tahap::Diajukan,
        Tahap::Diterima,
        Tahap::Diteruskan,
        Tahap::Ditindaklanjuti,
        Tahap::DilaporkanKeSeklur,
        Tahap::DilaporkanKeLurah,
        Tahap::Ditolak,
        Tahap::Dibatalkan,
    ];

    /// The code stored in the database and typed on the command line.
    pub fn kode(self) -> &'static str {
        match self {
            Tahap::Diajukan => "diajukan",
            Tahap::Diterima => "diterima",
            Tahap::Diteruskan => "diteruskan",
            Tahap::Ditindaklanjuti => "ditindaklanjuti",
            Tahap::DilaporkanKeSeklur => "dilaporkan_ke_seklur",
            Tahap::DilaporkanKeLurah => "dilaporkan_ke_lurah",
            Tahap::Ditolak => "ditolak",
            Tahap::Dibatalkan => "dibatalkan",
        }
    }

    /// Whether a request's fields may still change: before its letter is issued (a letter
    /// shows what was true the day it was issued) and while it is not refused.
    pub fn isian_dapat_diubah(self) -> bool {
        matches!(self, Tahap::Diajukan | Tahap::Diterima | Tahap::Diteruskan)
    }

    /// The SOP step number (1..=6); `None` for `ditolak` and `dibatalkan`.
    pub fn nomor(self) -> Option<u8> {
        match self {
            Tahap::Diajukan => Some(1),
            Tahap::Diterima => Some(2),
            Tahap::Diteruskan => Some(3),
            Tahap::Ditindaklanjuti => Some(4),
            Tahap::DilaporkanKeSeklur => Some(5),
            Tahap::DilaporkanKeLurah => Some(6),
            Tahap::Ditolak | Tahap::Dibatalkan => None,
        }
    }

    /// How the office says it.
    pub fn label(self) -> &'static str {
        match self {
            Tahap::Diajukan => "Diajukan",
            Tahap::Diterima => "Diterima Operator",
            Tahap::Diteruskan => "Diteruskan ke Koordinator",
            Tahap::Ditindaklanjuti => "Ditindaklanjuti, surat terbit",
            Tahap::DilaporkanKeSeklur => "Dilaporkan ke Seklur",
            Tahap::DilaporkanKeLurah => "Dilaporkan ke Lurah, selesai",
            Tahap::Ditolak => "Ditolak",
            Tahap::Dibatalkan => "Dibatalkan pemohon",
        }
    }

    /// No move leaves this stage.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Tahap::DilaporkanKeLurah | Tahap::Ditolak | Tahap::Dibatalkan
        )
    }

    /// Moves on by the monthly report, not by hand: the letter is issued (stage 4, on to
    /// the Seklur) or reported to the Seklur (stage 5, on to the Lurah).
    pub fn menunggu_laporan(self) -> bool {
        matches!(self, Tahap::Ditindaklanjuti | Tahap::DilaporkanKeSeklur)
    }

    /// Ended without a letter: refused by the office or withdrawn by the applicant.
    pub fn tanpa_surat(self) -> bool {
        matches!(self, Tahap::Ditolak | Tahap::Dibatalkan)
    }

    /// The next stage of the SOP and the role that moves a request there.
    pub fn next(self) -> Option<(Tahap, Peran)> {
        match self {
            Tahap::Diajukan => Some((Tahap::Diterima, Peran::Operator)),
            Tahap::Diterima => Some((Tahap::Diteruskan, Peran::Kasi)),
            Tahap::Diteruskan => Some((Tahap::Ditindaklanjuti, Peran::Koordinator)),
            Tahap::Ditindaklanjuti => Some((Tahap::DilaporkanKeSeklur, Peran::Koordinator)),
            Tahap::DilaporkanKeSeklur => Some((Tahap::DilaporkanKeLurah, Peran::Seklur)),
            Tahap::DilaporkanKeLurah | Tahap::Ditolak | Tahap::Dibatalkan => None,
        }
    }

    /// The verb for the move into this stage, with its object: "hanya Operator yang
    /// dapat *menerimanya*".
    fn verb(self) -> &'static str {
        match self {
            Tahap::Diajukan => "mengajukannya",
            Tahap::Diterima => "menerimanya",
            Tahap::Diteruskan => "meneruskannya ke Koordinator",
            Tahap::Ditindaklanjuti => "menindaklanjutinya",
            Tahap::DilaporkanKeSeklur => "melaporkannya ke Seklur",
            Tahap::DilaporkanKeLurah => "melaporkannya ke Lurah",
            Tahap::Ditolak => "menolaknya",
            Tahap::Dibatalkan => "membatalkannya",
        }
    }
}

impl fmt::Display for Tahap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kode())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "tahap `{0}` tidak dikenal; pilihan: diajukan, diterima, diteruskan, ditindaklanjuti, dilaporkan_ke_seklur, dilaporkan_ke_lurah, ditolak, dibatalkan"
)]
pub struct UnknownTahap(pub String);

impl FromStr for Tahap {
    type Err = UnknownTahap;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Tahap::ALL
            .into_iter()
            .find(|t| t.kode() == s.trim())
            .ok_or_else(|| UnknownTahap(s.to_string()))
    }
}

/// Who acts in the SOP (`peran`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Peran {
    Pemohon,
    Operator,
    Kasi,
    Koordinator,
    Seklur,
    Lurah,
}

impl Peran {
    pub const ALL: [Peran; 6] = [
        Peran::Pemohon,
        Peran::Operator,
        Peran::Kasi,
        Peran::Koordinator,
        Peran::Seklur,
        Peran::Lurah,
    ];

    pub fn kode(self) -> &'static str {
        match self {
            Peran::Pemohon => "pemohon",
            Peran::Operator => "operator",
            Peran::Kasi => "kasi",
            Peran::Koordinator => "koordinator",
            Peran::Seklur => "seklur",
            Peran::Lurah => "lurah",
        }
    }

    /// The stage this role moves a request on from by hand (the Koordinator's second
    /// step, the report to the Seklur, is made by the monthly report).
    pub fn langkah(self) -> Option<Tahap> {
        Tahap::ALL
            .into_iter()
            .find(|t| t.next().is_some_and(|(_, by)| by == self))
    }

    pub fn label(self) -> &'static str {
        match self {
            Peran::Pemohon => "Pemohon",
            Peran::Operator => "Operator",
            Peran::Kasi => "Kasi Pem & Pelum",
            Peran::Koordinator => "Koordinator",
            Peran::Seklur => "Seklur",
            Peran::Lurah => "Lurah",
        }
    }
}

impl fmt::Display for Peran {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kode())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("peran `{0}` tidak dikenal; pilihan: operator, kasi, koordinator, seklur, lurah")]
pub struct UnknownPeran(pub String);

impl FromStr for Peran {
    type Err = UnknownPeran;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Peran::ALL
            .into_iter()
            .find(|p| p.kode() == s.trim())
            .ok_or_else(|| UnknownPeran(s.to_string()))
    }
}

/// What the rules need to know about a request.
#[derive(Debug, Clone)]
pub struct State<'a> {
    pub nomor_register: &'a str,
    pub tahap: Tahap,
    /// Names of required papers not yet marked present.
    pub berkas_kurang: Vec<String>,
    /// Who made the latest move and when, in words: what a refused repeat tells.
    pub terakhir: Option<(String, String)>,
}

/// A move the SOP does not allow.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoveError {
    #[error(
        "permohonan {nomor} masih tahap {tahap}; hanya {} yang dapat {}",
        perlu.label(),
        tujuan.verb()
    )]
    WrongRole {
        nomor: String,
        tahap: Tahap,
        tujuan: Tahap,
        perlu: Peran,
        oleh: Peran,
    },
    #[error("permohonan {nomor} sudah selesai (dilaporkan ke Lurah); tidak ada tahap berikutnya")]
    Closed { nomor: String },
    #[error("permohonan {nomor} sudah ditolak; tidak dapat dilanjutkan")]
    Rejected { nomor: String },
    #[error("permohonan {nomor} sudah dibatalkan atas permintaan pemohon; tidak dapat dilanjutkan")]
    Cancelled { nomor: String },
    #[error(
        "permohonan {nomor} sudah tahap {tahap}; pembatalan hanya dapat dilakukan sebelum surat terbit (setelah itu batalkan suratnya dengan alasan)"
    )]
    TooLateToCancel { nomor: String, tahap: Tahap },
    #[error("pembatalan permohonan {nomor} dicatat oleh Operator, bukan {}", oleh.label())]
    OperatorCancels { nomor: String, oleh: Peran },
    #[error("pembatalan permohonan {nomor} harus disertai alasan pemohon")]
    CancelReasonRequired { nomor: String },
    #[error(
        "permohonan {nomor} belum dapat diterima karena berkas belum lengkap: {}; lengkapi berkasnya atau tolak permohonan",
        kurang.join("; ")
    )]
    MissingPapers { nomor: String, kurang: Vec<String> },
    #[error(
        "permohonan {nomor} sudah tahap {tahap}; penolakan hanya dapat dilakukan sebelum tahap ditindaklanjuti"
    )]
    TooLateToReject { nomor: String, tahap: Tahap },
    #[error("penolakan permohonan {nomor} harus disertai alasan")]
    ReasonRequired { nomor: String },
    #[error("pemohon tidak dapat {aksi} permohonan {nomor}; langkah ini dilakukan petugas")]
    NotStaff { nomor: String, aksi: &'static str },
    #[error(
        "permohonan {nomor} sudah tahap {tahap}; daftar berkas hanya dapat diubah pada tahap diajukan"
    )]
    PapersLocked { nomor: String, tahap: Tahap },
    #[error(
        "permohonan {nomor} sudah berpindah dari tahap “{}” ke tahap “{}” oleh {oleh} pada {waktu}; langkah ini tidak diulang",
        dari.label(),
        sekarang.label()
    )]
    Moved {
        nomor: String,
        dari: Tahap,
        sekarang: Tahap,
        oleh: String,
        waktu: String,
    },
}

/// The move from `dari` by `peran`: refused when the request is no longer at `dari`
/// (someone else moved it first, e.g. a second click), so a move happens once.
pub fn advance_from(state: &State, peran: Peran, dari: Tahap) -> Result<Tahap, MoveError> {
    // Once the request has gone past `dari`, whoever moved it, the clerk's step is done or
    // overtaken (a second click): say who did what and when. A request that has not
    // reached `dari` yet, or has ended, is refused by the SOP in its own words.
    let mut after = std::iter::successors(dari.next(), |(t, _)| t.next()).map(|(t, _)| t);
    if !state.tahap.is_final() && after.any(|t| t == state.tahap) {
        let (oleh, waktu) = state.terakhir.clone().unwrap_or_default();
        return Err(MoveError::Moved {
            nomor: state.nomor_register.to_string(),
            dari,
            sekarang: state.tahap,
            oleh,
            waktu,
        });
    }
    advance(state, peran)
}

/// The stage a request moves to when `peran` moves it forward.
pub fn advance(state: &State, peran: Peran) -> Result<Tahap, MoveError> {
    let nomor = state.nomor_register.to_string();
    let (tujuan, perlu) = match state.tahap {
        Tahap::Ditolak => return Err(MoveError::Rejected { nomor }),
        Tahap::Dibatalkan => return Err(MoveError::Cancelled { nomor }),
        Tahap::DilaporkanKeLurah => return Err(MoveError::Closed { nomor }),
        t => t.next().expect("non-final stage has a next one"),
    };
    if peran != perlu {
        return Err(MoveError::WrongRole {
            nomor,
            tahap: state.tahap,
            tujuan,
            perlu,
            oleh: peran,
        });
    }
    if tujuan == Tahap::Diterima && !state.berkas_kurang.is_empty() {
        return Err(MoveError::MissingPapers {
            nomor,
            kurang: state.berkas_kurang.clone(),
        });
    }
    Ok(tujuan)
}

/// Rejecting (`ditolak`): any staff role, before the letter is issued, with a reason.
pub fn reject(state: &State, peran: Peran, alasan: &str) -> Result<Tahap, MoveError> {
    let nomor = state.nomor_register.to_string();
    match state.tahap {
        Tahap::Ditolak => return Err(MoveError::Rejected { nomor }),
        Tahap::Dibatalkan => return Err(MoveError::Cancelled { nomor }),
        Tahap::DilaporkanKeLurah => return Err(MoveError::Closed { nomor }),
        t if t >= Tahap::Ditindaklanjuti => {
            return Err(MoveError::TooLateToReject { nomor, tahap: t });
        }
        _ => {}
    }
    if peran == Peran::Pemohon {
        return Err(MoveError::NotStaff {
            nomor,
            aksi: "menolak",
        });
    }
    if alasan.trim().is_empty() {
        return Err(MoveError::ReasonRequired { nomor });
    }
    Ok(Tahap::Ditolak)
}

/// Withdrawing (`dibatalkan`): the applicant no longer wants the letter. The Operator,
/// who speaks with applicants, records it with the applicant's reason, before the letter
/// is issued (an issued letter is cancelled on its own, `surat batal`). Not a refusal:
/// the office did not turn the applicant away.
pub fn cancel(state: &State, peran: Peran, alasan: &str) -> Result<Tahap, MoveError> {
    let nomor = state.nomor_register.to_string();
    match state.tahap {
        Tahap::Ditolak => return Err(MoveError::Rejected { nomor }),
        Tahap::Dibatalkan => return Err(MoveError::Cancelled { nomor }),
        t if t >= Tahap::Ditindaklanjuti => {
            return Err(MoveError::TooLateToCancel { nomor, tahap: t });
        }
        _ => {}
    }
    if peran != Peran::Operator {
        return Err(MoveError::OperatorCancels { nomor, oleh: peran });
    }
    if alasan.trim().is_empty() {
        return Err(MoveError::CancelReasonRequired { nomor });
    }
    Ok(Tahap::Dibatalkan)
}

/// The checklist of papers is the Operator's check at step 2: it changes only before it.
pub fn check_papers_editable(state: &State) -> Result<(), MoveError> {
    if state.tahap == Tahap::Diajukan {
        Ok(())
    } else {
        Err(MoveError::PapersLocked {
            nomor: state.nomor_register.to_string(),
            tahap: state.tahap,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(tahap: Tahap) -> State<'static> {
        State {
            nomor_register: "0042/2026",
            tahap,
            berkas_kurang: vec![],
            terakhir: None,
        }
    }

    #[test]
    fn the_whole_path() {
        let roles = [
            Peran::Operator,
            Peran::Kasi,
            Peran::Koordinator,
            Peran::Koordinator,
            Peran::Seklur,
        ];
        let mut t = Tahap::Diajukan;
        for p in roles {
            t = advance(&st(t), p).unwrap();
        }
        assert_eq!(t, Tahap::DilaporkanKeLurah);
        assert!(matches!(
            advance(&st(t), Peran::Seklur),
            Err(MoveError::Closed { .. })
        ));
    }

    #[test]
    fn wrong_role_message() {
        let e = advance(&st(Tahap::Diajukan), Peran::Kasi).unwrap_err();
        assert_eq!(
            e.to_string(),
            "permohonan 0042/2026 masih tahap diajukan; hanya Operator yang dapat menerimanya"
        );
    }

    #[test]
    fn every_wrong_role_is_refused() {
        for t in Tahap::ALL {
            for p in Peran::ALL {
                let r = advance(&st(t), p);
                match t.next() {
                    Some((next, who)) if who == p => assert_eq!(r, Ok(next)),
                    _ => assert!(r.is_err(), "{t} by {p}"),
                }
            }
        }
    }

    #[test]
    fn papers_block_acceptance() {
        let mut s = st(Tahap::Diajukan);
        s.berkas_kurang = vec!["Surat Pengantar dari RT".into()];
        let e = advance(&s, Peran::Operator).unwrap_err();
        assert!(e.to_string().contains("Surat Pengantar dari RT"));
    }

    #[test]
    fn rejection_rules() {
        assert_eq!(
            reject(
                &st(Tahap::Diteruskan),
                Peran::Koordinator,
                "NIK tidak sesuai"
            ),
            Ok(Tahap::Ditolak)
        );
        assert!(matches!(
            reject(&st(Tahap::Ditindaklanjuti), Peran::Koordinator, "x"),
            Err(MoveError::TooLateToReject { .. })
        ));
        assert!(matches!(
            reject(&st(Tahap::Diajukan), Peran::Operator, "  "),
            Err(MoveError::ReasonRequired { .. })
        ));
        assert!(matches!(
            reject(&st(Tahap::Ditolak), Peran::Operator, "x"),
            Err(MoveError::Rejected { .. })
        ));
        assert!(matches!(
            advance(&st(Tahap::Ditolak), Peran::Operator),
            Err(MoveError::Rejected { .. })
        ));
    }

    #[test]
    fn codes_round_trip() {
        for t in Tahap::ALL {
            assert_eq!(t.kode().parse::<Tahap>().unwrap(), t);
        }
        for p in Peran::ALL {
            assert_eq!(p.kode().parse::<Peran>().unwrap(), p);
        }
    }
}
