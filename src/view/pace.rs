//! Wall-clock time to simulated time: how far the simulation moves on each animation
//! frame. Wall-clock delta times speed becomes simulated time.
//!
//! Pure: no web APIs, so it is tested natively.

use crate::sim::{Shortest, SimDuration};

/// The speeds the page offers: simulated seconds per wall-clock second, from slow
/// motion to a simulated day in under nine seconds.
pub const SPEEDS: [f64; 11] = [
    0.1, 0.25, 0.5, 1.0, 10.0, 60.0, 600.0, 3_600.0, 10_000.0, 36_000.0, 100_000.0,
];

/// One simulated minute per second: the steady scenario's hour takes a minute.
pub const SPEED_DEFAULT: f64 = 60.0;

/// A speed as the page labels it: `0.1×`, `60×`, `3,600×`.
pub fn speed_label(speed: f64) -> String {
    if speed < 1.0 || speed.fract() != 0.0 {
        format!("{}×", Shortest(speed))
    } else {
        format!("{}×", super::format::grouped_f64(speed))
    }
}

/// The index of `speed` in [`SPEEDS`]; for a speed between them (a lesson's
/// stretch), the nearest on a log scale; for no speed, the default's.
pub fn speed_index(speed: f64) -> usize {
    if let Some(i) = SPEEDS.iter().position(|&s| s == speed) {
        return i;
    }
    if speed.is_nan() || speed <= 0.0 || speed.is_infinite() {
        return SPEEDS.iter().position(|&s| s == SPEED_DEFAULT).unwrap_or(0);
    }
    let distance = |s: f64| (s.ln() - speed.ln()).abs();
    (0..SPEEDS.len())
        .min_by(|&a, &b| distance(SPEEDS[a]).total_cmp(&distance(SPEEDS[b])))
        .unwrap_or(0)
}

/// A frame that comes later than this (a background tab, a debugger pause) counts as
/// this long, so the simulation never leaps ahead unseen.
pub const FRAME_GAP_MS_MAX: f64 = 100.0;

/// Converts animation-frame timestamps into simulated time steps.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pace {
    last_frame_ms: Option<f64>,
    /// Simulated milliseconds owed but not yet taken (below one whole ms).
    carry_ms: f64,
}

impl Pace {
    /// Forgets the last frame, so that time spent paused does not count.
    pub fn reset(&mut self) {
        *self = Pace::default();
    }

    /// The simulated time to advance for a frame stamped `frame_ms` (the
    /// `requestAnimationFrame` timestamp, in ms) at `speed`. The first frame after a
    /// reset advances nothing: it only sets the reference.
    pub fn advance(&mut self, frame_ms: f64, speed: f64) -> SimDuration {
        let Some(last_ms) = self.last_frame_ms.replace(frame_ms) else {
            return SimDuration::ZERO;
        };
        let wall_ms = (frame_ms - last_ms).clamp(0.0, FRAME_GAP_MS_MAX);
        let owed_ms = self.carry_ms + wall_ms * speed.max(0.0);
        let whole_ms = owed_ms.floor();
        self.carry_ms = owed_ms - whole_ms;
        SimDuration::from_ms(whole_ms as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slow_motion_moves_a_tenth_of_real_time() {
        let mut pace = Pace::default();
        pace.advance(0.0, 0.1);
        let total: u64 = (1..=60)
            .map(|i| pace.advance(f64::from(i) * 1_000.0 / 60.0, 0.1).as_ms())
            .sum();
        assert!((99..=100).contains(&total), "{total}");
    }

    #[test]
    fn a_day_passes_in_under_a_minute_at_the_top_speed() {
        let top = SPEEDS[SPEEDS.len() - 1];
        assert!(86_400.0 / top < 60.0);
        assert_eq!(speed_label(0.1), "0.1×");
        assert_eq!(speed_label(3_600.0), "3,600×");
        assert_eq!(SPEEDS[speed_index(SPEED_DEFAULT)], SPEED_DEFAULT);
        // A lesson's speed between the presets: labelled as it is, nearest preset.
        assert_eq!(speed_label(8.3), "8.3×");
        assert_eq!(speed_label(7_200.0), "7,200×");
        assert_eq!(SPEEDS[speed_index(8.3)], 10.0);
        assert_eq!(SPEEDS[speed_index(1.7)], 1.0);
        assert_eq!(SPEEDS[speed_index(f64::NAN)], SPEED_DEFAULT);
    }

    #[test]
    fn the_first_frame_only_sets_the_reference() {
        let mut pace = Pace::default();
        assert_eq!(pace.advance(1_000.0, 60.0), SimDuration::ZERO);
        assert_eq!(pace.advance(1_016.0, 60.0), SimDuration::from_ms(960));
    }

    #[test]
    fn fractions_of_a_millisecond_are_carried_not_lost() {
        let mut pace = Pace::default();
        pace.advance(0.0, 1.0);
        let total: u64 = (1..=60)
            .map(|i| pace.advance(f64::from(i) * 1_000.0 / 60.0, 1.0).as_ms())
            .sum();
        assert!(
            (999..=1_000).contains(&total),
            "one second of 60 Hz frames at 1x gave {total} ms"
        );
    }

    #[test]
    fn a_long_gap_counts_as_the_cap() {
        let mut pace = Pace::default();
        pace.advance(0.0, 3_600.0);
        assert_eq!(
            pace.advance(60_000.0, 3_600.0),
            SimDuration::from_ms(360_000)
        );
    }

    #[test]
    fn time_going_backwards_advances_nothing_and_reset_forgets() {
        let mut pace = Pace::default();
        pace.advance(500.0, 10.0);
        assert_eq!(pace.advance(400.0, 10.0), SimDuration::ZERO);
        pace.reset();
        assert_eq!(pace.advance(10_000.0, 10.0), SimDuration::ZERO);
    }
}
