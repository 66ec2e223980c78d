//! The job clock: wall time in production, a fixed instant in tests so that
//! output is byte-for-byte reproducible.

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
}
