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
    fn second_and_minute_floor() {
        assert_eq!(SimTime(59_999).second(), 59);
        assert_eq!(SimTime(59_999).minute(), 0);
        assert_eq!(SimTime(60_000).minute(), 1);
    }
}
