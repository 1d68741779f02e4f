//! The wall-clock budget of one animation frame: how long the simulation may run
//! before the frame paints, and how many events to hand it at a time so that it stops
//! close to that moment.
//!
//! A frame's work is the simulation's slices, then a snapshot and the pictures. The
//! page aims the whole frame at [`FRAME_WORK_TARGET_MS`]: the simulation gets what the
//! pictures leave of it (measured over the last frames, apart for the frames that also
//! refresh the DOM, which cost more), never less than
//! [`SIMULATION_MS_MIN`], so a run always moves. Slices are sized from the events per
//! millisecond the last slices ran at, so that one slice never overshoots the budget
//! by much, whether an event is a cheap write or an invocation that cuts a batch.
//!
//! Pure: the caller reads the clock (`performance.now()` in `ui`) and reports what it
//! measured; nothing here reads time itself, so it is tested natively.

use crate::view::timebar::FrameWork;

/// What a frame's whole work (simulation, snapshot, pictures) aims at, in wall-clock
/// ms: over a third of a 60 Hz frame, so that the browser's own work fits beside it,
/// and 2 ms under issue 11's bound for the 95th percentile (8 ms), the room a frame
/// needs when it costs more than the last ones did (a dearer chart, a slice that
/// overshoots). At 7 ms the frame benchmark's 95th percentiles were 8 to 10.5 ms up
/// to 512 shards on an idle 2-core machine.
pub const FRAME_WORK_TARGET_MS: f64 = 6.0;

/// A frame that refreshes the DOM leaves the pictures to the next frame when they
/// (with the snapshot) take more than this share of [`FRAME_WORK_TARGET_MS`]: the DOM
/// and such pictures together do not fit in one frame. At 4,096 shards the pictures
/// took 3.4 ms (4.9 ms at the 95th percentile) and the DOM 2.9 ms, and the frames
/// that did both were the 95th percentile's 10.5 ms; at 512 shards the pictures took
/// 2 ms and both fit.
const PICTURES_WAIT_SHARE: f64 = 0.5;

/// The least wall-clock time the simulation gets in a frame, whatever painting costs.
pub const SIMULATION_MS_MIN: f64 = 1.0;

/// The fewest and most events one slice hands the simulation.
pub const SLICE_EVENTS_MIN: usize = 16;
pub const SLICE_EVENTS_MAX: usize = 20_000;

/// A slice aims at this share of the time left, so that a slice slower than the
/// estimate still ends inside the budget.
const SLICE_SHARE: f64 = 0.5;

/// A slice shorter than this (ms) is too short to time alone.
const TIMED_MS_MIN: f64 = 0.05;

/// Weight of the newest measurement in the running estimates.
const SMOOTHING: f64 = 0.25;

/// Running estimates of the simulation's speed and of the pictures' cost.
#[derive(Clone, Debug, PartialEq)]
pub struct FrameBudget {
    /// Events the simulation handles per wall-clock ms, as last measured.
    events_per_ms: f64,
    /// Wall-clock ms the snapshot and pictures took, as last measured.
    paint_ms: f64,
    /// The same in the frames that also refresh the DOM (one in six or so), which
    /// cost more: the simulation gets less in those, so that they fit too.
    dom_paint_ms: f64,
    /// Slices too short to time on their own, pooled until they add up to a time
    /// that can be: their events and ms.
    short_events: usize,
    short_ms: f64,
}

impl Default for FrameBudget {
    fn default() -> Self {
        // Cautious first guesses: the first slices are small, the estimates then
        // follow what the machine does.
        FrameBudget {
            events_per_ms: 50.0,
            paint_ms: 2.0,
            dom_paint_ms: 4.0,
            short_events: 0,
            short_ms: 0.0,
        }
    }
}

impl FrameBudget {
    /// Wall-clock ms the simulation may take in a frame that does not refresh the DOM.
    pub fn simulation_ms(&self) -> f64 {
        self.simulation_ms_for(false)
    }

    /// Wall-clock ms the simulation may take in a frame that refreshes the DOM
    /// (`dom`) or not.
    pub fn simulation_ms_for(&self, dom: bool) -> f64 {
        let paint = if dom {
            self.dom_paint_ms
        } else {
            self.paint_ms
        };
        (FRAME_WORK_TARGET_MS - paint).max(SIMULATION_MS_MIN)
    }

    /// Whether a frame that refreshes the DOM should leave the pictures to the next
    /// frame (see [`PICTURES_WAIT_SHARE`]). Judged by the frames without the DOM, which
    /// always paint them, so that the answer does not flip with its own effect.
    pub fn pictures_wait_for_dom(&self) -> bool {
        self.paint_ms > FRAME_WORK_TARGET_MS * PICTURES_WAIT_SHARE
    }

    /// Events to hand the simulation next, with `left_ms` of its budget left.
    pub fn slice(&self, left_ms: f64) -> usize {
        let events = self.events_per_ms * left_ms.max(0.0) * SLICE_SHARE;
        // Saturating float-to-int conversion; the clamp bounds it either way.
        (events as usize).clamp(SLICE_EVENTS_MIN, SLICE_EVENTS_MAX)
    }

    /// A slice handled `events` events in `took_ms` of wall-clock time.
    pub fn observe_slice(&mut self, events: usize, took_ms: f64) {
        // A slice that stopped early (the target moment came first) after a few events
        // says little about the speed; a clock's nonsense, nothing.
        if events < SLICE_EVENTS_MIN || !took_ms.is_finite() || took_ms < 0.0 {
            return;
        }
        // Slices too short to time alone are pooled: without that, a first guess
        // whose slices all end under the clock's reach would never be corrected (at
        // 0.5 us an event, the first guess's slices of a 4 ms budget take 0.05 ms).
        let (events, took_ms) = if took_ms <= TIMED_MS_MIN {
            self.short_events += events;
            self.short_ms += took_ms;
            if self.short_ms <= TIMED_MS_MIN {
                return;
            }
            (
                std::mem::take(&mut self.short_events),
                std::mem::take(&mut self.short_ms),
            )
        } else {
            (events, took_ms)
        };
        let rate = events as f64 / took_ms;
        self.events_per_ms += SMOOTHING * (rate - self.events_per_ms);
    }

    /// The snapshot and pictures of a frame took `took_ms`.
    pub fn observe_paint(&mut self, took_ms: f64) {
        smooth(&mut self.paint_ms, took_ms);
    }

    /// The snapshot, the DOM's refresh and the pictures of a frame took `took_ms`.
    pub fn observe_dom_paint(&mut self, took_ms: f64) {
        smooth(&mut self.dom_paint_ms, took_ms);
    }
}

/// Moves a smoothed duration towards a measured one; a clock's nonsense (negative,
/// not a number) is left out.
fn smooth(average_ms: &mut f64, took_ms: f64) {
    if took_ms.is_finite() && took_ms >= 0.0 {
        *average_ms += SMOOTHING * (took_ms - *average_ms);
    }
}

/// The parts of a playing frame's work, as the page times them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// The simulation's slices.
    Simulation,
    /// The snapshot and the page's bookkeeping after the simulation moved.
    Snapshot,
    /// Refreshing the DOM (text, table, log), in the frames that do.
    Dom,
    /// The stream picture and the concurrency grid.
    Pictures,
    /// The charts repainted in the frame.
    Charts,
}

impl Part {
    pub const ALL: [Part; 5] = [
        Part::Simulation,
        Part::Snapshot,
        Part::Dom,
        Part::Pictures,
        Part::Charts,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Part::Simulation => "simulation",
            Part::Snapshot => "snapshot",
            Part::Dom => "DOM",
            Part::Pictures => "pictures",
            Part::Charts => "charts",
        }
    }
}

/// Where the last frames' work went, part by part (a benchmark's finer figures:
/// printed, never compared with a time). A part a frame skipped counts 0 ms in it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FrameSplit {
    parts: [FrameWork; 5],
    /// This frame's figures, pushed together by [`FrameSplit::frame_done`].
    open: [f64; 5],
}

impl FrameSplit {
    /// This frame's `part` took `ms` more.
    pub fn add(&mut self, part: Part, ms: f64) {
        if ms.is_finite() && ms >= 0.0 {
            self.open[part as usize] += ms;
        }
    }

    /// The frame is done: its parts join the figures.
    pub fn frame_done(&mut self) {
        for (w, ms) in self.parts.iter_mut().zip(self.open) {
            w.push(ms);
        }
        self.open = [0.0; 5];
    }

    /// Frames the figures cover.
    pub fn frames(&self) -> usize {
        self.parts[0].len()
    }

    pub fn clear(&mut self) {
        *self = FrameSplit::default();
    }

    /// `simulation 3.1/4.0 snapshot 0.4/0.9 ...`: each part's median and 95th
    /// percentile, ms.
    pub fn summary(&self) -> String {
        Part::ALL
            .iter()
            .map(|&p| {
                let w = &self.parts[p as usize];
                format!(
                    "{} {:.2}/{:.2}",
                    p.name(),
                    w.percentile(50.0),
                    w.percentile(95.0)
                )
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A frame as the page runs it, against a fake clock: slices of a simulation
    /// that takes `us_per_event` each, until the budget is spent; returns the
    /// simulation's ms and events.
    fn frame(budget: &mut FrameBudget, us_per_event: f64) -> (f64, usize) {
        let deadline = budget.simulation_ms();
        let mut now = 0.0;
        let mut events = 0;
        while now < deadline {
            let n = budget.slice(deadline - now);
            let took = n as f64 * us_per_event / 1_000.0;
            now += took;
            events += n;
            budget.observe_slice(n, took);
        }
        (now, events)
    }

    #[test]
    fn slices_follow_the_simulations_speed_so_a_frame_ends_near_its_budget() {
        // From cheap writes (0.2 us an event) to invocations that cut batches (20 us).
        for us in [0.2, 2.0, 20.0] {
            let mut budget = FrameBudget::default();
            for _ in 0..30 {
                frame(&mut budget, us);
            }
            let (ms, events) = frame(&mut budget, us);
            let allowed = budget.simulation_ms();
            // A slice aims at half the time left, so a frame ends within one minimal
            // slice of its budget once the estimate has settled.
            let overshoot = SLICE_EVENTS_MIN as f64 * us / 1_000.0;
            assert!(
                ms <= allowed + overshoot + 1e-9,
                "{us} us an event: the frame's simulation took {ms:.3} ms of {allowed} ms"
            );
            assert!(events > 0);
        }
    }

    #[test]
    fn a_sudden_slowdown_overshoots_by_one_slice_at_most() {
        let mut budget = FrameBudget::default();
        for _ in 0..30 {
            frame(&mut budget, 0.5);
        }
        // Now every event costs 10 times more: the first slice, sized for the old
        // speed, takes at most 10 x half the budget.
        let first = budget.slice(budget.simulation_ms());
        let took = first as f64 * 5.0 / 1_000.0;
        assert!(
            took <= 10.0 * SLICE_SHARE * budget.simulation_ms() + 1e-9,
            "{took}"
        );
        budget.observe_slice(first, took);
        let second = budget.slice(budget.simulation_ms());
        assert!(
            second < first,
            "the estimate follows the slowdown: {second} vs {first}"
        );
    }

    #[test]
    fn dear_pictures_wait_for_the_frame_after_a_dom_refresh_and_cheap_ones_do_not() {
        let mut budget = FrameBudget::default();
        assert!(
            !budget.pictures_wait_for_dom(),
            "the first guess, 2 ms, fits"
        );
        // 512 shards: the snapshot and pictures took about 2.3 ms.
        for _ in 0..40 {
            budget.observe_paint(2.3);
        }
        assert!(!budget.pictures_wait_for_dom());
        // 4,096 shards: about 4.8 ms.
        for _ in 0..40 {
            budget.observe_paint(4.8);
        }
        assert!(budget.pictures_wait_for_dom());
        // What the DOM frames cost, without the pictures now, does not change it.
        for _ in 0..40 {
            budget.observe_dom_paint(1.0);
        }
        assert!(budget.pictures_wait_for_dom());
    }

    #[test]
    fn painting_takes_its_share_of_the_frame_and_the_simulation_keeps_a_minimum() {
        let mut budget = FrameBudget::default();
        for _ in 0..40 {
            budget.observe_paint(3.0);
        }
        assert!((budget.simulation_ms() - (FRAME_WORK_TARGET_MS - 3.0)).abs() < 0.01);
        // A frame that refreshes the DOM as well leaves the simulation less, and
        // learns its own cost.
        for _ in 0..40 {
            budget.observe_dom_paint(5.0);
        }
        assert!((budget.simulation_ms_for(true) - (FRAME_WORK_TARGET_MS - 5.0)).abs() < 0.01);
        assert!((budget.simulation_ms_for(false) - (FRAME_WORK_TARGET_MS - 3.0)).abs() < 0.01);
        for _ in 0..40 {
            budget.observe_paint(50.0);
        }
        assert_eq!(budget.simulation_ms(), SIMULATION_MS_MIN);
        // Nonsense measurements change nothing.
        let before = budget.clone();
        budget.observe_paint(f64::NAN);
        budget.observe_paint(-1.0);
        budget.observe_dom_paint(f64::INFINITY);
        budget.observe_slice(0, 1.0);
        budget.observe_slice(1_000, -1.0);
        budget.observe_slice(1_000, f64::NAN);
        assert_eq!(budget, before);
    }

    #[test]
    fn slices_too_short_to_time_alone_are_timed_together() {
        let mut budget = FrameBudget::default();
        let guess = budget.slice(4.0);
        // Four slices of 0.015 ms each: none is timed alone; the fourth brings the
        // pool to 0.06 ms, which is.
        for _ in 0..3 {
            budget.observe_slice(guess, 0.015);
            assert_eq!(budget.slice(4.0), guess);
        }
        budget.observe_slice(guess, 0.015);
        let rate = guess as f64 * 4.0 / (4.0 * 0.015);
        let expected = 50.0 + SMOOTHING * (rate - 50.0);
        assert_eq!(budget.slice(4.0), (expected * 4.0 * SLICE_SHARE) as usize);
        assert!(budget.slice(4.0) > guess);
    }

    #[test]
    fn slices_stay_within_their_bounds() {
        let budget = FrameBudget::default();
        assert_eq!(budget.slice(0.0), SLICE_EVENTS_MIN);
        assert_eq!(budget.slice(-5.0), SLICE_EVENTS_MIN);
        let mut fast = FrameBudget::default();
        for _ in 0..100 {
            fast.observe_slice(SLICE_EVENTS_MAX, 0.1);
        }
        assert_eq!(fast.slice(1_000.0), SLICE_EVENTS_MAX);
    }

    #[test]
    fn the_split_keeps_each_parts_figures_and_counts_a_skipped_part_as_nothing() {
        let mut split = FrameSplit::default();
        for i in 0..10 {
            split.add(Part::Simulation, 4.0);
            split.add(Part::Pictures, 1.0);
            split.add(Part::Pictures, 1.0);
            if i == 0 {
                split.add(Part::Dom, 3.0);
            }
            split.add(Part::Charts, f64::NAN);
            split.frame_done();
        }
        assert_eq!(split.frames(), 10);
        let s = split.summary();
        assert!(s.starts_with("simulation 4.00/4.00 snapshot 0.00/0.00 DOM 0.00/3.00 pictures 2.00/2.00 charts 0.00/0.00"), "{s}");
        split.clear();
        assert_eq!(split.frames(), 0);
    }
}
