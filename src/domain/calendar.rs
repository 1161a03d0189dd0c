//! Dates the way the office writes them: Indonesian month and day names, Roman months
//! for letter numbers, `YYYY-MM` periods, and "now" in the office's time zone (WIB).

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

pub const BULAN: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];

/// Monday first, as chrono's `num_days_from_monday`.
pub const HARI: [&str; 7] = [
    "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu",
];

const ROMAWI: [&str; 12] = [
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII",
];

/// The default office time zone (WIB).
pub const WIB: Tz = chrono_tz::Asia::Jakarta;

/// `29 November 2026`
pub fn tanggal(d: NaiveDate) -> String {
    format!("{} {} {}", d.day(), BULAN[d.month0() as usize], d.year())
}

/// `Minggu, 29 November 2026`
pub fn hari_tanggal(d: NaiveDate) -> String {
    format!(
        "{}, {}",
        HARI[d.weekday().num_days_from_monday() as usize],
        tanggal(d)
    )
}

/// `29 November 2026 14.05 WIB`, in the given zone.
pub fn waktu(t: &DateTime<FixedOffset>, tz: Tz) -> String {
    let local = t.with_timezone(&tz);
    format!(
        "{} {} {}",
        tanggal(local.date_naive()),
        local.format("%H.%M"),
        local.format("%Z")
    )
}

/// Roman month for letter numbers: 11 -> `XI`.
pub fn bulan_romawi(month: u32) -> &'static str {
    ROMAWI[(month.clamp(1, 12) - 1) as usize]
}

/// The environment variable that sets the program's clock: `KELURAHAN_JAM=2027-01-01T08:00:00+07:00`
/// (or a bare date, `2028-02-29`, meaning 08:00 WIB) makes the clock start at that instant
/// and run on from there. For trying the program, and the test suite, on any date.
pub const CLOCK_VAR: &str = "KELURAHAN_JAM";

/// The current instant in the office's zone, with its fixed offset. The only clock the
/// program reads (see [`CLOCK_VAR`]).
pub fn now(tz: Tz) -> DateTime<FixedOffset> {
    clock().with_timezone(&tz).fixed_offset()
}

fn clock() -> DateTime<Utc> {
    use std::sync::OnceLock;
    use std::time::Instant;
    // The set start and the moment the program first looked, so the clock keeps running.
    static START: OnceLock<Option<(DateTime<Utc>, Instant)>> = OnceLock::new();
    // A mistyped setting is refused by `check_clock` before the program starts.
    let start = START.get_or_init(|| {
        let t = check_clock().ok()??;
        Some((t, Instant::now()))
    });
    match start {
        Some((t, at)) => {
            *t + chrono::Duration::from_std(at.elapsed())
                .unwrap_or_else(|_| chrono::Duration::zero())
        }
        None => Utc::now(),
    }
}

/// The clock's setting: `None` for the real clock; an error names the variable and says
/// how to write it.
pub fn check_clock() -> Result<Option<DateTime<Utc>>, String> {
    let Ok(v) = std::env::var(CLOCK_VAR) else {
        return Ok(None);
    };
    parse_clock(&v).map(Some).ok_or_else(|| {
        format!(
            "{CLOCK_VAR}=`{v}` tidak dapat dibaca; tulis misalnya 2027-01-01T08:00:00+07:00 atau 2027-01-01"
        )
    })
}

fn parse_clock(v: &str) -> Option<DateTime<Utc>> {
    let v = v.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(v) {
        return Some(t.with_timezone(&Utc));
    }
    let d = NaiveDate::parse_from_str(v, "%Y-%m-%d").ok()?;
    Some(at(WIB, d, 8, 0).with_timezone(&Utc))
}

/// A local wall-clock time on `date` in `tz`, as stored by the register.
pub fn at(tz: Tz, date: NaiveDate, hour: u32, minute: u32) -> DateTime<FixedOffset> {
    let naive = date
        .and_hms_opt(hour, minute, 0)
        .expect("valid time of day");
    tz.from_local_datetime(&naive)
        .earliest()
        .expect("Indonesian zones have no DST gaps")
        .fixed_offset()
}

/// A calendar month, written `YYYY-MM`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Bulan {
    pub tahun: i32,
    pub bulan: u32,
}

impl Bulan {
    pub fn of(d: NaiveDate) -> Self {
        Bulan {
            tahun: d.year(),
            bulan: d.month(),
        }
    }
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.tahun, self.bulan, 1).expect("valid month")
    }
    pub fn next(self) -> Self {
        if self.bulan == 12 {
            Bulan {
                tahun: self.tahun + 1,
                bulan: 1,
            }
        } else {
            Bulan {
                tahun: self.tahun,
                bulan: self.bulan + 1,
            }
        }
    }
    pub fn prev(self) -> Self {
        if self.bulan == 1 {
            Bulan {
                tahun: self.tahun - 1,
                bulan: 12,
            }
        } else {
            Bulan {
                tahun: self.tahun,
                bulan: self.bulan - 1,
            }
        }
    }
    /// `November 2026`
    pub fn nama(self) -> String {
        format!("{} {}", BULAN[(self.bulan - 1) as usize], self.tahun)
    }
}

impl fmt::Display for Bulan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.tahun, self.bulan)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("bulan `{0}` tidak sah; tulis sebagai TAHUN-BULAN, misalnya 2026-11")]
pub struct BulanError(pub String);

impl FromStr for Bulan {
    type Err = BulanError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || BulanError(s.to_string());
        let (y, m) = s.trim().split_once('-').ok_or_else(err)?;
        if y.len() != 4 || m.is_empty() || m.len() > 2 {
            return Err(err());
        }
        let tahun: i32 = y.parse().map_err(|_| err())?;
        let bulan: u32 = m.parse().map_err(|_| err())?;
        if !(1..=12).contains(&bulan) || tahun < 1900 {
            return Err(err());
        }
        Ok(Bulan { tahun, bulan })
    }
}

impl TryFrom<String> for Bulan {
    type Error = BulanError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Bulan> for String {
    fn from(b: Bulan) -> String {
        b.to_string()
    }
}

/// Monday to Friday, and not a listed holiday.
pub fn is_working_day(d: NaiveDate, libur: &std::collections::BTreeSet<NaiveDate>) -> bool {
    use chrono::Weekday;
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && !libur.contains(&d)
}

/// Working days from `start` to `end`: the working days after `start` up to and
/// including `end`. A request met on its own day took 0 days; one received on a
/// Saturday and met on Monday also took 0, since the office first saw it on Monday.
pub fn working_days_between(
    start: NaiveDate,
    end: NaiveDate,
    libur: &std::collections::BTreeSet<NaiveDate>,
) -> i64 {
    let mut s = start;
    while !is_working_day(s, libur) && s < end {
        s = s.succ_opt().expect("date in range");
    }
    if end <= s {
        return 0;
    }
    // Counted, not walked: a worklist asks this twice for each of hundreds of requests,
    // some of them years old.
    let holidays = libur
        .range((std::ops::Bound::Excluded(s), std::ops::Bound::Included(end)))
        .filter(|d| !matches!(d.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun))
        .count() as i64;
    weekdays_through(end) - weekdays_through(s) - holidays
}

/// Mondays to Fridays from 1 January of year 1 (a Monday) through `d`.
fn weekdays_through(d: NaiveDate) -> i64 {
    let days = i64::from(d.num_days_from_ce());
    days / 7 * 5 + (days % 7).min(5)
}

/// The working day `n` working days after `start` (the inverse of
/// [`working_days_between`]): when a letter is due by its service standard.
pub fn add_working_days(
    start: NaiveDate,
    n: u32,
    libur: &std::collections::BTreeSet<NaiveDate>,
) -> NaiveDate {
    let mut d = start;
    while !is_working_day(d, libur) {
        d = d.succ_opt().expect("date in range");
    }
    let mut left = n;
    while left > 0 {
        d = d.succ_opt().expect("date in range");
        if is_working_day(d, libur) {
            left -= 1;
        }
    }
    d
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("tanggal `{0}` tidak sah; tulis sebagai TAHUN-BULAN-HARI, misalnya 2026-11-29")]
pub struct TanggalError(pub String);

/// Parses `YYYY-MM-DD` strictly.
pub fn parse_tanggal(s: &str) -> Result<NaiveDate, TanggalError> {
    let t = s.trim();
    if t.len() != 10 {
        return Err(TanggalError(s.to_string()));
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|_| TanggalError(s.to_string()))
}

#[cfg(test)]
mod tests {

    #[test]
    fn working_days_are_counted_as_walking_them_would() {
        let libur: std::collections::BTreeSet<NaiveDate> = [
            (2024, 12, 25),
            (2025, 1, 1),
            (2025, 3, 29), // a Saturday: no working day lost
            (2025, 3, 31),
            (2026, 8, 17),
        ]
        .into_iter()
        .map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap())
        .collect();
        let walk = |start: NaiveDate, end: NaiveDate| {
            let mut s = start;
            while !is_working_day(s, &libur) && s < end {
                s = s.succ_opt().unwrap();
            }
            s.iter_days()
                .skip(1)
                .take_while(|d| *d <= end)
                .filter(|d| is_working_day(*d, &libur))
                .count() as i64
        };
        let first = NaiveDate::from_ymd_opt(2024, 12, 20).unwrap();
        for a in 0..40 {
            for b in 0..700 {
                let (s, e) = (
                    first + chrono::Duration::days(a),
                    first + chrono::Duration::days(b),
                );
                assert_eq!(working_days_between(s, e, &libur), walk(s, e), "{s} → {e}");
            }
        }
    }

    use super::*;

    #[test]
    fn indonesian_dates() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        assert_eq!(tanggal(d), "29 November 2026");
        assert_eq!(hari_tanggal(d), "Minggu, 29 November 2026");
        assert_eq!(bulan_romawi(11), "XI");
        assert_eq!(bulan_romawi(4), "IV");
    }

    #[test]
    fn wib_time() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        let t = at(WIB, d, 14, 5);
        assert_eq!(t.to_rfc3339(), "2026-11-29T14:05:00+07:00");
        assert_eq!(waktu(&t, WIB), "29 November 2026 14.05 WIB");
    }

    #[test]
    fn working_days() {
        let d = |s: &str| parse_tanggal(s).unwrap();
        let libur: std::collections::BTreeSet<_> = [d("2026-12-25")].into();
        // Monday to Monday: five working days.
        assert_eq!(
            working_days_between(d("2026-11-23"), d("2026-11-30"), &libur),
            5
        );
        assert_eq!(
            working_days_between(d("2026-11-23"), d("2026-11-23"), &libur),
            0
        );
        // Saturday to Monday: the office first saw it on Monday.
        assert_eq!(
            working_days_between(d("2026-11-28"), d("2026-11-30"), &libur),
            0
        );
        // Across Christmas (a Friday): Thursday to Monday is one working day.
        assert_eq!(
            working_days_between(d("2026-12-24"), d("2026-12-28"), &libur),
            1
        );
    }

    #[test]
    fn months() {
        let b: Bulan = "2026-01".parse().unwrap();
        assert_eq!(b.prev().to_string(), "2025-12");
        assert_eq!(b.next().next().nama(), "Maret 2026");
        assert!("2026-13".parse::<Bulan>().is_err());
        assert!("26-1".parse::<Bulan>().is_err());
        assert!(parse_tanggal("2026-02-30").is_err());
        assert!(parse_tanggal("2026-2-3").is_err());
    }
}
