//! A message of the outbox (`surel`): its record, its status and the retry policy.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

/// A message in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Surel {
    pub id: i64,
    pub message_id: String,
    pub rujukan: Option<String>,
    pub kepada: Vec<String>,
    pub subjek: String,
    pub isi: String,
    pub lampiran: Vec<Lampiran>,
    pub status: StatusSurel,
    pub percobaan: i64,
    pub berikutnya: DateTime<FixedOffset>,
    pub galat: Option<String>,
    pub dibuat: DateTime<FixedOffset>,
    pub terkirim: Option<DateTime<FixedOffset>>,
}

/// An attachment, kept by path and hash: the file is read when the message is sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lampiran {
    /// Path relative to the workspace.
    pub berkas: String,
    /// File name shown to the reader.
    pub nama: String,
    /// Content type, e.g. `application/pdf`.
    pub jenis: String,
    pub sha256: String,
    pub ukuran: u64,
}

/// A message to queue.
#[derive(Debug, Clone)]
pub struct SurelBaru {
    pub message_id: String,
    pub rujukan: Option<String>,
    pub kepada: Vec<String>,
    pub subjek: String,
    pub isi: String,
    pub lampiran: Vec<Lampiran>,
}

/// Where a message stands in the outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusSurel {
    /// Waiting for its time (`berikutnya`).
    Antre,
    /// Claimed by a sender; the claim expires if the sender dies.
    Mengirim,
    /// Accepted by the server (or written to the outbox folder); final.
    Terkirim,
    /// Refused for good, or out of attempts; queued again only by hand.
    Gagal,
}

impl StatusSurel {
    pub const ALL: [StatusSurel; 4] = [
        StatusSurel::Antre,
        StatusSurel::Mengirim,
        StatusSurel::Terkirim,
        StatusSurel::Gagal,
    ];

    pub fn kode(self) -> &'static str {
        match self {
            StatusSurel::Antre => "antre",
            StatusSurel::Mengirim => "mengirim",
            StatusSurel::Terkirim => "terkirim",
            StatusSurel::Gagal => "gagal",
        }
    }
}

impl fmt::Display for StatusSurel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kode())
    }
}

impl FromStr for StatusSurel {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        StatusSurel::ALL
            .into_iter()
            .find(|x| x.kode() == s.trim())
            .ok_or_else(|| {
                format!(
                    "status surel `{s}` tidak dikenal; pilihan: antre, mengirim, terkirim, gagal"
                )
            })
    }
}

/// Delays before the next attempt, by attempts made so far: about 1 min, 5 min, 30 min,
/// 2 h, then every 6 h.
pub fn backoff(attempts: i64) -> chrono::Duration {
    match attempts {
        ..=1 => chrono::Duration::minutes(1),
        2 => chrono::Duration::minutes(5),
        3 => chrono::Duration::minutes(30),
        4 => chrono::Duration::hours(2),
        _ => chrono::Duration::hours(6),
    }
}
