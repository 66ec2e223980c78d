//! The job clock: wall time in production, a fixed instant in tests so that
//! output is byte-for-byte reproducible; and the fixed UTC offset the header
//! line's date and time are shown in (no time-zone database: the caller
//! knows the user's offset at send time).

use crate::error::{Error, Result};
use std::time::{SystemTime, UNIX_EPOCH};

/// Where a job reads the time from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum JobClock {
    /// The system clock (UTC).
    #[default]
    System,
    /// A fixed instant, seconds since the Unix epoch (UTC).
    Fixed(i64),
}

/// A broken-down UTC time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateTime {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
}

impl JobClock {
    /// Seconds since the epoch now, per this clock.
    pub fn unix_seconds(&self) -> i64 {
        match self {
            JobClock::Fixed(s) => *s,
            JobClock::System => SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0),
        }
    }

    pub fn now(&self) -> DateTime {
        DateTime::from_unix(self.unix_seconds())
    }
}

impl DateTime {
    /// Civil date from Unix seconds (Howard Hinnant's days-from-civil inverse),
    /// so we need no date crate for a timestamp.
    pub fn from_unix(secs: i64) -> Self {
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = yoe + era * 400 + if month <= 2 { 1 } else { 0 };
        DateTime {
            year,
            month,
            day,
            hour: (rem / 3600) as u32,
            minute: (rem % 3600 / 60) as u32,
            second: (rem % 60) as u32,
        }
    }

    /// TIFF DateTime format, "YYYY:MM:DD HH:MM:SS".
    pub fn tiff(&self) -> String {
        format!(
            "{:04}:{:02}:{:02} {:02}:{:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
}

/// A fixed offset from UTC, in minutes (e.g. -300 for US Eastern standard
/// time). Parsed from `+HH:MM`, `-HH:MM`, `+HHMM`, `+HH` or `Z`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(into = "String")]
pub struct UtcOffset {
    minutes: i32,
}

impl From<UtcOffset> for String {
    fn from(o: UtcOffset) -> String {
        o.to_string()
    }
}

impl UtcOffset {
    pub const UTC: UtcOffset = UtcOffset { minutes: 0 };

    /// An offset in minutes; real offsets lie within ±14 hours.
    pub fn from_minutes(minutes: i32) -> Result<UtcOffset> {
        if minutes.abs() > 14 * 60 {
            return Err(Error::invalid_option(format!(
                "a UTC offset of {minutes} minutes is out of range (-14:00 to +14:00)"
            )));
        }
        Ok(UtcOffset { minutes })
    }

    pub fn minutes(self) -> i32 {
        self.minutes
    }

    /// The local broken-down time at `unix_seconds`.
    pub fn local(self, unix_seconds: i64) -> DateTime {
        DateTime::from_unix(unix_seconds + self.minutes as i64 * 60)
    }
}

impl std::fmt::Display for UtcOffset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.minutes < 0 { '-' } else { '+' };
        let m = self.minutes.abs();
        write!(f, "{sign}{:02}:{:02}", m / 60, m % 60)
    }
}

impl std::str::FromStr for UtcOffset {
    type Err = Error;
    fn from_str(s: &str) -> Result<UtcOffset> {
        let bad = || {
            Error::invalid_option(format!(
                "the UTC offset '{s}' is not valid (expected +HH:MM or -HH:MM, e.g. -05:00)"
            ))
        };
        let t = s.trim();
        if t.eq_ignore_ascii_case("z") || t.eq_ignore_ascii_case("utc") {
            return Ok(UtcOffset::UTC);
        }
        let (sign, rest) = match t.as_bytes().first() {
            Some(b'+') => (1, &t[1..]),
            Some(b'-') => (-1, &t[1..]),
            _ => return Err(bad()),
        };
        let (hh, mm) = match rest.split_once(':') {
            Some((h, m)) => (h, m),
            None if rest.len() == 4 => rest.split_at(2),
            None => (rest, "00"),
        };
        let two_digits = |p: &str| p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit());
        if !two_digits(hh) || !two_digits(mm) {
            return Err(bad());
        }
        let (h, m): (i32, i32) = (
            hh.parse().map_err(|_| bad())?,
            mm.parse().map_err(|_| bad())?,
        );
        if m >= 60 {
            return Err(bad());
        }
        UtcOffset::from_minutes(sign * (h * 60 + m))
    }
}

impl DateTime {
    /// The header line's date, `YYYY-MM-DD` (ISO 8601: unambiguous for
    /// the recipient wherever they are).
    pub fn header_date(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// The header line's time, `HH:MM` (24 h).
    pub fn header_time(&self) -> String {
        format!("{:02}:{:02}", self.hour, self.minute)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(DateTime::from_unix(0).tiff(), "1970:01:01 00:00:00");
        // 2026-11-29 13:18:29 UTC
        assert_eq!(
            DateTime::from_unix(1_795_958_309).tiff(),
            "2026:11:29 13:18:29"
        );
        // a leap day
        assert_eq!(
            DateTime::from_unix(951_782_400).tiff(),
            "2000:02:29 00:00:00"
        );
        assert_eq!(JobClock::Fixed(5).unix_seconds(), 5);
    }

    #[test]
    fn utc_offsets_parse_and_shift_the_local_time() {
        let t = 1_795_953_600; // 2026-11-29 12:00:00 UTC
        for (text, minutes) in [
            ("+00:00", 0),
            ("Z", 0),
            ("-05:00", -300),
            ("+0530", 330),
            ("+09", 540),
            ("-03:30", -210),
            ("+14:00", 840),
        ] {
            let o: UtcOffset = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(o.minutes(), minutes, "{text}");
        }
        let east: UtcOffset = "-05:00".parse().unwrap();
        assert_eq!(east.to_string(), "-05:00");
        let local = east.local(t);
        assert_eq!(
            (local.header_date(), local.header_time()),
            ("2026-11-29".into(), "07:00".into())
        );
        let tokyo: UtcOffset = "+09:00".parse().unwrap();
        assert_eq!(tokyo.local(t + 13 * 3600).header_date(), "2026-11-30");
        for bad in [
            "",
            "5",
            "05:00",
            "+5:00",
            "+05:60",
            "+15:00",
            "+ab:cd",
            "+05:00:00",
        ] {
            let e = bad.parse::<UtcOffset>().unwrap_err();
            assert_eq!(e.kind, crate::ErrorKind::InvalidOption, "{bad}");
        }
    }
}
