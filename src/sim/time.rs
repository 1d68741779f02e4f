//! Simulated time: integer milliseconds since the start of a run.
//!
//! The core never reads a clock. Callers pass the time they want to reach, and the
//! simulation moves its own `SimTime` forward event by event. Convert to `f64` only
//! to draw.

use std::fmt;
use std::ops::{Add, AddAssign, Sub};

/// A point in simulated time, in milliseconds since the run started.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimTime(pub u64);

/// A span of simulated time, in milliseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimDuration(pub u64);

pub const MS_PER_S: u64 = 1_000;
pub const MS_PER_MIN: u64 = 60_000;
pub const MS_PER_HOUR: u64 = 3_600_000;

impl SimTime {
    pub const ZERO: SimTime = SimTime(0);

    pub const fn from_s(s: u64) -> Self {
        SimTime(s * MS_PER_S)
    }

    pub const fn as_ms(self) -> u64 {
        self.0
    }

    /// The whole second this instant falls in.
    pub const fn second(self) -> u64 {
        self.0 / MS_PER_S
    }

    /// The whole minute this instant falls in.
    pub const fn minute(self) -> u64 {
        self.0 / MS_PER_MIN
    }

    /// Time since `earlier`, or zero if `earlier` is later.
    pub fn saturating_since(self, earlier: SimTime) -> SimDuration {
        SimDuration(self.0.saturating_sub(earlier.0))
    }

    pub fn saturating_sub(self, d: SimDuration) -> SimTime {
        SimTime(self.0.saturating_sub(d.0))
    }
}

impl SimDuration {
    pub const ZERO: SimDuration = SimDuration(0);

    pub const fn from_ms(ms: u64) -> Self {
        SimDuration(ms)
    }

    pub const fn from_s(s: u64) -> Self {
        SimDuration(s * MS_PER_S)
    }

    pub const fn from_hours(h: u64) -> Self {
        SimDuration(h * MS_PER_HOUR)
    }

    pub const fn as_ms(self) -> u64 {
        self.0
    }
}

/// The wall-clock instant the playground maps `SimTime::ZERO` to, for timestamps in
/// events and reports: 2026-01-01T00:00:00Z, in ms since the Unix epoch.
pub const EPOCH_MS: u64 = 1_767_225_600_000;

impl SimTime {
    /// Seconds since the Unix epoch with a millisecond fraction, as Kinesis's
    /// `approximateArrivalTimestamp`.
    pub fn unix_seconds(self) -> f64 {
        (EPOCH_MS + self.0) as f64 / 1_000.0
    }

    /// ISO 8601 with milliseconds and a `Z`, as in on-failure messages.
    pub fn iso8601(self) -> String {
        let ms = EPOCH_MS + self.0;
        let days = (ms / 86_400_000) as i64;
        let in_day = ms % 86_400_000;
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        format!(
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
            in_day / 3_600_000,
            in_day / 60_000 % 60,
            in_day / 1_000 % 60,
            in_day % 1_000
        )
    }
}

impl Add<SimDuration> for SimTime {
    type Output = SimTime;
    fn add(self, d: SimDuration) -> SimTime {
        SimTime(self.0 + d.0)
    }
}

impl AddAssign<SimDuration> for SimTime {
    fn add_assign(&mut self, d: SimDuration) {
        self.0 += d.0;
    }
}

impl Sub for SimTime {
    type Output = SimDuration;
    /// Panics in debug builds if `rhs` is later: that is a bug in the caller.
    fn sub(self, rhs: SimTime) -> SimDuration {
        debug_assert!(
            rhs.0 <= self.0,
            "time went backwards: {} - {}",
            self.0,
            rhs.0
        );
        SimDuration(self.0 - rhs.0)
    }
}

impl Add for SimDuration {
    type Output = SimDuration;
    fn add(self, d: SimDuration) -> SimDuration {
        SimDuration(self.0 + d.0)
    }
}

impl fmt::Display for SimTime {
    /// `1d 02:03:04.005`, or `02:03:04.005` within the first day.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.0 % 1_000;
        let s = (self.0 / 1_000) % 60;
        let m = (self.0 / 60_000) % 60;
        let h = (self.0 / 3_600_000) % 24;
        let d = self.0 / 86_400_000;
        if d > 0 {
            write!(f, "{d}d {h:02}:{m:02}:{s:02}.{ms:03}")
        } else {
            write!(f, "{h:02}:{m:02}:{s:02}.{ms:03}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_shows_days_only_when_needed() {
        assert_eq!(SimTime(3_723_004).to_string(), "01:02:03.004");
        assert_eq!(SimTime(86_400_000 + 5).to_string(), "1d 00:00:00.005");
    }

    #[test]
    fn timestamps_are_iso_and_unix() {
        assert_eq!(SimTime(0).iso8601(), "2026-01-01T00:00:00.000Z");
        assert_eq!(
            SimTime(59 * 86_400_000 + 3_723_004).iso8601(),
            "2026-03-01T01:02:03.004Z"
        );
        assert_eq!(
            SimTime(365 * 86_400_000).iso8601(),
            "2027-01-01T00:00:00.000Z"
        );
        assert_eq!(SimTime(1_500).unix_seconds(), 1_767_225_601.5);
    }

    #[test]
    fn second_and_minute_floor() {
        assert_eq!(SimTime(59_999).second(), 59);
        assert_eq!(SimTime(59_999).minute(), 0);
        assert_eq!(SimTime(60_000).minute(), 1);
    }
}
