//! A scheduled job's run for one period (`jalan`) and its status.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

/// A scheduled job's run for one period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Jalan {
    pub id: i64,
    pub tugas: String,
    pub periode: String,
    pub status: StatusJalan,
    pub percobaan: i64,
    pub mulai: DateTime<FixedOffset>,
    pub selesai: Option<DateTime<FixedOffset>>,
    pub hasil: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusJalan {
    /// Claimed by a process; the claim expires if it dies.
    Berjalan,
    Selesai,
    /// Failed; retried after a back-off.
    Gagal,
}

impl StatusJalan {
    pub const ALL: [StatusJalan; 3] = [
        StatusJalan::Berjalan,
        StatusJalan::Selesai,
        StatusJalan::Gagal,
    ];

    pub fn kode(self) -> &'static str {
        match self {
            StatusJalan::Berjalan => "berjalan",
            StatusJalan::Selesai => "selesai",
            StatusJalan::Gagal => "gagal",
        }
    }
}

impl fmt::Display for StatusJalan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kode())
    }
}

impl FromStr for StatusJalan {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        StatusJalan::ALL
            .into_iter()
            .find(|x| x.kode() == s.trim())
            .ok_or_else(|| format!("status jalan `{s}` tidak dikenal"))
    }
}
