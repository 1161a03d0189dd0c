//! A period's report as recorded (`laporan`), and its two kinds.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

/// A monthly report as recorded: its reference and when it was first made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Laporan {
    pub rujukan: String,
    pub dibuat: DateTime<FixedOffset>,
}

/// The two reports of the SOP's steps 5 and 6.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JenisLaporan {
    /// The Koordinator's report to the Seklur (step 5).
    Koordinator,
    /// The Seklur's recap to the Lurah (step 6).
    Rekap,
}

impl JenisLaporan {
    pub const ALL: [JenisLaporan; 2] = [JenisLaporan::Koordinator, JenisLaporan::Rekap];

    pub fn kode(self) -> &'static str {
        match self {
            JenisLaporan::Koordinator => "koordinator",
            JenisLaporan::Rekap => "rekap",
        }
    }

    /// The prefix of its reference (`LK-2026-11`, `RS-2026-11`).
    pub fn prefix(self) -> &'static str {
        match self {
            JenisLaporan::Koordinator => "LK",
            JenisLaporan::Rekap => "RS",
        }
    }
}

impl fmt::Display for JenisLaporan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kode())
    }
}

impl FromStr for JenisLaporan {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        JenisLaporan::ALL
            .into_iter()
            .find(|x| x.kode() == s.trim())
            .ok_or_else(|| format!("jenis laporan `{s}` tidak dikenal"))
    }
}
