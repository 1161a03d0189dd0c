//! The people who log in (`pengguna`) as records: their roles, the lock-out rule's
//! numbers, and a logged-in session (`sesi`).

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::domain::workflow::Peran;

/// Failed logins in a row that lock an account.
pub const MAX_GAGAL: i64 = 5;
/// How long a locked account stays locked.
pub const LAMA_KUNCI_MENIT: i64 = 15;
/// The shortest password accepted.
pub const SANDI_MIN: usize = 10;

/// What a person may do: their SOP step, or the administration of the program.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeranPengguna {
    Operator,
    Kasi,
    Koordinator,
    Seklur,
    Lurah,
    /// Users, imports, schedules and mail; no SOP step.
    Admin,
}

impl PeranPengguna {
    pub const ALL: [PeranPengguna; 6] = [
        PeranPengguna::Operator,
        PeranPengguna::Kasi,
        PeranPengguna::Koordinator,
        PeranPengguna::Seklur,
        PeranPengguna::Lurah,
        PeranPengguna::Admin,
    ];

    pub fn kode(self) -> &'static str {
        match self {
            PeranPengguna::Operator => "operator",
            PeranPengguna::Kasi => "kasi",
            PeranPengguna::Koordinator => "koordinator",
            PeranPengguna::Seklur => "seklur",
            PeranPengguna::Lurah => "lurah",
            PeranPengguna::Admin => "admin",
        }
    }

    /// The role in words, as the page and the command line show it.
    pub fn label(self) -> &'static str {
        match self {
            PeranPengguna::Operator => "Operator",
            PeranPengguna::Kasi => "Kasi Pem & Pelum",
            PeranPengguna::Koordinator => "Koordinator",
            PeranPengguna::Seklur => "Sekretaris Lurah",
            PeranPengguna::Lurah => "Lurah",
            PeranPengguna::Admin => "Pengelola program",
        }
    }

    /// The SOP role this person acts in, if any.
    pub fn sop(self) -> Option<Peran> {
        match self {
            PeranPengguna::Operator => Some(Peran::Operator),
            PeranPengguna::Kasi => Some(Peran::Kasi),
            PeranPengguna::Koordinator => Some(Peran::Koordinator),
            PeranPengguna::Seklur => Some(Peran::Seklur),
            PeranPengguna::Lurah => Some(Peran::Lurah),
            PeranPengguna::Admin => None,
        }
    }
}

impl fmt::Display for PeranPengguna {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kode())
    }
}

impl FromStr for PeranPengguna {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PeranPengguna::ALL
            .into_iter()
            .find(|p| p.kode() == s.trim())
            .ok_or_else(|| {
                format!("peran `{s}` tidak dikenal; pilihan: operator, kasi, koordinator, seklur, lurah, admin")
            })
    }
}

/// A person who logs in, as the register keeps them (never with the password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pengguna {
    pub id: i64,
    /// Full name, as the history records it; also what they log in with.
    pub nama: String,
    pub peran: PeranPengguna,
    pub aktif: bool,
    /// Failed logins since the last success.
    pub gagal: i64,
    pub kunci_sampai: Option<DateTime<FixedOffset>>,
}

/// A web session: who is logged in, and the token every form of theirs must carry.
#[derive(Debug, Clone)]
pub struct Sesi {
    pub pengguna: Pengguna,
    pub csrf: String,
    pub berakhir: DateTime<FixedOffset>,
}
