//! Wall-clock time to simulated time: how far the simulation moves on each animation
//! frame. Wall-clock delta times speed becomes simulated time.
//!
//! Pure: no web APIs, so it is tested natively.

use crate::sim::SimDuration;

/// The speeds the page offers: simulated seconds per wall-clock second.
pub const SPEEDS: [u32; 5] = [1, 10, 60, 600, 3_600];

/// One simulated minute per second: the steady scenario's hour takes a minute.
pub const SPEED_DEFAULT: u32 = 60;

/// A frame that comes later than this (a background tab, a debugger pause) counts as
/// this long, so the simulation never leaps ahead unseen.
pub const FRAME_GAP_MS_MAX: f64 = 100.0;

/// Events the simulation may handle in one frame. When a frame hits it, the run falls
/// behind the chosen speed instead of freezing the page.
pub const EVENTS_PER_FRAME_MAX: usize = 50_000;

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
    pub fn advance(&mut self, frame_ms: f64, speed: u32) -> SimDuration {
        let Some(last_ms) = self.last_frame_ms.replace(frame_ms) else {
            return SimDuration::ZERO;
        };
        let wall_ms = (frame_ms - last_ms).clamp(0.0, FRAME_GAP_MS_MAX);
        let owed_ms = self.carry_ms + wall_ms * f64::from(speed);
        let whole_ms = owed_ms.floor();
        self.carry_ms = owed_ms - whole_ms;
        SimDuration::from_ms(whole_ms as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_frame_only_sets_the_reference() {
        let mut pace = Pace::default();
        assert_eq!(pace.advance(1_000.0, 60), SimDuration::ZERO);
        assert_eq!(pace.advance(1_016.0, 60), SimDuration::from_ms(960));
    }

    #[test]
    fn fractions_of_a_millisecond_are_carried_not_lost() {
        let mut pace = Pace::default();
        pace.advance(0.0, 1);
        let total: u64 = (1..=60)
            .map(|i| pace.advance(f64::from(i) * 1_000.0 / 60.0, 1).as_ms())
            .sum();
        assert!(
            (999..=1_000).contains(&total),
            "one second of 60 Hz frames at 1x gave {total} ms"
        );
    }

    #[test]
    fn a_long_gap_counts_as_the_cap() {
        let mut pace = Pace::default();
        pace.advance(0.0, 3_600);
        assert_eq!(pace.advance(60_000.0, 3_600), SimDuration::from_ms(360_000));
    }

    #[test]
    fn time_going_backwards_advances_nothing_and_reset_forgets() {
        let mut pace = Pace::default();
        pace.advance(500.0, 10);
        assert_eq!(pace.advance(400.0, 10), SimDuration::ZERO);
        pace.reset();
        assert_eq!(pace.advance(10_000.0, 10), SimDuration::ZERO);
    }
}
