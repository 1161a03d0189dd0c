//! A report period longer than a month: a quarter (`2026-Q4`, "Triwulan IV 2026") or a
//! year (`2026`, "Tahun 2026"), its months, and which one was last finished. Pure.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::calendar::Bulan;

const ROMAWI: [&str; 4] = ["I", "II", "III", "IV"];

/// A quarter or a year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Periode {
    /// `ke` is 1..=4.
    Triwulan {
        tahun: i32,
        ke: u32,
    },
    Tahun(i32),
}

/// Which kind of period: the command and the schedule of each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JenisPeriode {
    Triwulan,
    Tahunan,
}

impl JenisPeriode {
    pub fn kode(self) -> &'static str {
        match self {
            JenisPeriode::Triwulan => "triwulan",
            JenisPeriode::Tahunan => "tahunan",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodeError {
    #[error("triwulan `{0}` tidak sah; tulis sebagai TAHUN-QN, misalnya 2026-Q4 (N 1 sampai 4)")]
    Triwulan(String),
    #[error("tahun `{0}` tidak sah; tulis empat angka, misalnya 2026")]
    Tahun(String),
}

fn tahun_sah(s: &str) -> Option<i32> {
    if s.len() != 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let y: i32 = s.parse().ok()?;
    (1900..=9999).contains(&y).then_some(y)
}

impl Periode {
    /// `2026-Q4` (also `2026-q4`).
    pub fn parse_triwulan(s: &str) -> Result<Periode, PeriodeError> {
        let err = || PeriodeError::Triwulan(s.to_string());
        let (y, q) = s.trim().split_once('-').ok_or_else(err)?;
        let tahun = tahun_sah(y).ok_or_else(err)?;
        let ke = q
            .strip_prefix('Q')
            .or_else(|| q.strip_prefix('q'))
            .filter(|n| n.len() == 1)
            .and_then(|n| n.parse::<u32>().ok())
            .filter(|n| (1..=4).contains(n))
            .ok_or_else(err)?;
        Ok(Periode::Triwulan { tahun, ke })
    }

    /// `2026`.
    pub fn parse_tahun(s: &str) -> Result<Periode, PeriodeError> {
        tahun_sah(s.trim())
            .map(Periode::Tahun)
            .ok_or_else(|| PeriodeError::Tahun(s.to_string()))
    }

    /// The period of `jenis` written `s`.
    pub fn parse(jenis: JenisPeriode, s: &str) -> Result<Periode, PeriodeError> {
        match jenis {
            JenisPeriode::Triwulan => Periode::parse_triwulan(s),
            JenisPeriode::Tahunan => Periode::parse_tahun(s),
        }
    }

    pub fn jenis(self) -> JenisPeriode {
        match self {
            Periode::Triwulan { .. } => JenisPeriode::Triwulan,
            Periode::Tahun(_) => JenisPeriode::Tahunan,
        }
    }

    /// The period of `jenis` that `d` falls in.
    pub fn of(jenis: JenisPeriode, d: NaiveDate) -> Periode {
        let b = Bulan::of(d);
        match jenis {
            JenisPeriode::Triwulan => Periode::Triwulan {
                tahun: b.tahun,
                ke: (b.bulan - 1) / 3 + 1,
            },
            JenisPeriode::Tahunan => Periode::Tahun(b.tahun),
        }
    }

    /// The last period of `jenis` over on `today` (the one before today's).
    pub fn last_finished(jenis: JenisPeriode, today: NaiveDate) -> Periode {
        Periode::of(jenis, today).prev()
    }

    pub fn prev(self) -> Periode {
        match self {
            Periode::Triwulan { tahun, ke: 1 } => Periode::Triwulan {
                tahun: tahun - 1,
                ke: 4,
            },
            Periode::Triwulan { tahun, ke } => Periode::Triwulan { tahun, ke: ke - 1 },
            Periode::Tahun(y) => Periode::Tahun(y - 1),
        }
    }

    pub fn tahun(self) -> i32 {
        match self {
            Periode::Triwulan { tahun, .. } | Periode::Tahun(tahun) => tahun,
        }
    }

    /// Its months, oldest first.
    pub fn months(self) -> Vec<Bulan> {
        let (tahun, from, to) = match self {
            Periode::Triwulan { tahun, ke } => (tahun, 3 * ke - 2, 3 * ke),
            Periode::Tahun(tahun) => (tahun, 1, 12),
        };
        (from..=to).map(|bulan| Bulan { tahun, bulan }).collect()
    }

    pub fn first(self) -> Bulan {
        self.months()[0]
    }

    pub fn last(self) -> Bulan {
        *self.months().last().expect("a period has months")
    }

    /// Over on `today`: its last month is before today's.
    pub fn selesai(self, today: NaiveDate) -> bool {
        self.last() < Bulan::of(today)
    }

    /// Not yet begun on `today`.
    pub fn belum_mulai(self, today: NaiveDate) -> bool {
        self.first() > Bulan::of(today)
    }

    /// "Triwulan IV 2026", "Tahun 2026".
    pub fn nama(self) -> String {
        match self {
            Periode::Triwulan { tahun, ke } => {
                format!("Triwulan {} {tahun}", ROMAWI[(ke - 1) as usize])
            }
            Periode::Tahun(y) => format!("Tahun {y}"),
        }
    }

    /// The months in words: "Oktober–Desember 2026", "Januari–Desember 2026".
    pub fn rentang(self) -> String {
        let b = crate::domain::calendar::BULAN;
        format!(
            "{}–{} {}",
            b[(self.first().bulan - 1) as usize],
            b[(self.last().bulan - 1) as usize],
            self.tahun()
        )
    }
}

impl fmt::Display for Periode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Periode::Triwulan { tahun, ke } => write!(f, "{tahun:04}-Q{ke}"),
            Periode::Tahun(y) => write!(f, "{y:04}"),
        }
    }
}

impl FromStr for Periode {
    type Err = PeriodeError;
    /// `2026-Q4` or `2026`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.contains('-') {
            Periode::parse_triwulan(s)
        } else {
            Periode::parse_tahun(s)
        }
    }
}

impl TryFrom<String> for Periode {
    type Error = PeriodeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Periode> for String {
    fn from(p: Periode) -> String {
        p.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn written_and_named() {
        let q: Periode = "2026-Q4".parse().unwrap();
        assert_eq!(q, Periode::Triwulan { tahun: 2026, ke: 4 });
        assert_eq!(q.to_string(), "2026-Q4");
        assert_eq!(q.nama(), "Triwulan IV 2026");
        assert_eq!(q.rentang(), "Oktober–Desember 2026");
        assert_eq!(
            q.months().iter().map(|b| b.to_string()).collect::<Vec<_>>(),
            ["2026-10", "2026-11", "2026-12"]
        );
        let y: Periode = "2026".parse().unwrap();
        assert_eq!(y.nama(), "Tahun 2026");
        assert_eq!(y.months().len(), 12);
        assert_eq!(
            Periode::parse_triwulan("2026-q1").unwrap().nama(),
            "Triwulan I 2026"
        );
    }

    #[test]
    fn bad_values_named() {
        for bad in ["2026-Q5", "2026-Q0", "26-Q1", "2026-4", "2026Q4", "x"] {
            let e = Periode::parse_triwulan(bad).unwrap_err().to_string();
            assert!(e.contains(&format!("`{bad}`")), "{e}");
            assert!(e.contains("2026-Q4"), "{e}");
        }
        for bad in ["26", "20266", "2026-01", "tahun"] {
            let e = Periode::parse_tahun(bad).unwrap_err().to_string();
            assert!(e.contains(&format!("`{bad}`")), "{e}");
        }
    }

    #[test]
    fn last_finished_and_running() {
        let t = d("2027-01-02");
        assert_eq!(
            Periode::last_finished(JenisPeriode::Triwulan, t).to_string(),
            "2026-Q4"
        );
        assert_eq!(
            Periode::last_finished(JenisPeriode::Tahunan, t).to_string(),
            "2026"
        );
        assert_eq!(
            Periode::last_finished(JenisPeriode::Triwulan, d("2026-04-30")).to_string(),
            "2026-Q1"
        );
        let q1: Periode = "2027-Q1".parse().unwrap();
        assert!(!q1.selesai(t) && !q1.belum_mulai(t));
        assert!("2026-Q4".parse::<Periode>().unwrap().selesai(t));
        assert!("2027-Q2".parse::<Periode>().unwrap().belum_mulai(t));
        assert!(!Periode::Tahun(2027).selesai(t));
    }
}
