//! The time controls' logic: single steps, "run to the next interesting event", pills
//! injected at a rate, replaying a rebuilt scenario to the same moment, and the
//! frame-work figures. Pure: no web APIs, so it is tested natively.

use std::collections::BTreeMap;

use crate::sim::journal::Milestone;
use crate::sim::{Scenario, SimDuration, SimTime, Simulation};

/// A single step moves the simulation by this much.
pub const STEP: SimDuration = SimDuration::from_ms(1_000);

/// "Run to the next interesting event" gives up after this much simulated time.
pub const SEEK_CAP: SimDuration = SimDuration::from_ms(7 * 86_400_000);

/// Seeking moves in slices this long, checking the milestones after each.
pub const SEEK_SLICE: SimDuration = SimDuration::from_ms(1_000);

/// Where a single step ends: one simulated second on, never past the end.
pub fn step_target(now: SimTime, end: SimTime) -> SimTime {
    (now + STEP).min(end)
}

/// A search for the next milestone, started at `from`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Seek {
    pub known: usize,
    pub cap: SimTime,
}

impl Seek {
    pub fn new(milestones: &BTreeMap<Milestone, SimTime>, now: SimTime, end: SimTime) -> Seek {
        Seek {
            known: milestones.len(),
            cap: (now + SEEK_CAP).min(end),
        }
    }

    /// The milestone reached since the search began (the earliest, if several).
    pub fn found(&self, milestones: &BTreeMap<Milestone, SimTime>) -> Option<(Milestone, SimTime)> {
        if milestones.len() <= self.known {
            return None;
        }
        milestones
            .iter()
            .map(|(&m, &t)| (m, t))
            .max_by_key(|&(m, t)| (t, std::cmp::Reverse(m)))
    }
}

/// Poison pills injected one every `every_s` simulated seconds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PillRate {
    pub every_s: u32,
    pub next: SimTime,
}

impl PillRate {
    /// The first pill comes `every_s` after `now`.
    pub fn new(every_s: u32, now: SimTime) -> PillRate {
        let every_s = every_s.max(1);
        PillRate {
            every_s,
            next: now + SimDuration::from_ms(u64::from(every_s) * 1_000),
        }
    }

    /// The pill due at or before `until`, if any; the schedule moves on past it.
    pub fn due(&mut self, until: SimTime) -> Option<SimTime> {
        if self.next > until {
            return None;
        }
        let at = self.next;
        self.next = at + SimDuration::from_ms(u64::from(self.every_s) * 1_000);
        Some(at)
    }
}

/// The partition key of the `n`th pill the page injects.
pub fn pill_key(n: u64) -> String {
    format!("pill-{n}")
}

/// A new simulation of `scenario` run to `until` (or its end): the same run with a
/// setting changed, at the same moment. Deterministic, so it is the run the reader
/// saw with the new setting from the start.
pub fn replay(scenario: &Scenario, until: SimTime) -> Simulation {
    let mut sim = Simulation::new(scenario);
    let until = until.min(sim.end());
    while sim.now() < until {
        sim.run_until(until, 1_000_000);
    }
    sim
}

/// The work done in the last frames, in ms, for the median and 95th percentile.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FrameWork {
    samples_ms: Vec<f64>,
    next: usize,
}

/// Frames the figures cover (a few seconds at 60 Hz).
pub const FRAME_SAMPLES: usize = 240;

impl FrameWork {
    pub fn push(&mut self, ms: f64) {
        if self.samples_ms.len() < FRAME_SAMPLES {
            self.samples_ms.push(ms);
        } else {
            self.samples_ms[self.next] = ms;
        }
        self.next = (self.next + 1) % FRAME_SAMPLES;
    }

    pub fn clear(&mut self) {
        *self = FrameWork::default();
    }

    pub fn len(&self) -> usize {
        self.samples_ms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.samples_ms.is_empty()
    }

    /// The `p`th percentile (0 to 100), nearest rank; 0 with no samples.
    pub fn percentile(&self, p: f64) -> f64 {
        percentile(&self.samples_ms, p)
    }
}

/// The `p`th percentile of `samples` (0 to 100) by nearest rank; 0 when empty.
pub fn percentile(samples: &[f64], p: f64) -> f64 {
    if samples.is_empty() {
        return 0.0;
    }
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = ((p.clamp(0.0, 100.0) / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::parse_scenario;

    fn poison() -> Scenario {
        let json = include_str!("../../static/scenarios/poison-pill.json");
        parse_scenario(json).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_step_is_a_second_and_stops_at_the_end() {
        assert_eq!(step_target(SimTime(500), SimTime(10_000)), SimTime(1_500));
        assert_eq!(
            step_target(SimTime(9_500), SimTime(10_000)),
            SimTime(10_000)
        );
    }

    #[test]
    fn seeking_stops_at_the_next_milestone() {
        let s = poison();
        let mut sim = Simulation::new(&s);
        let seek = Seek::new(sim.milestones(), sim.now(), sim.end());
        let mut found = None;
        while sim.now() < seek.cap {
            let to = (sim.now() + SEEK_SLICE).min(seek.cap);
            sim.run_until(to, usize::MAX);
            found = seek.found(sim.milestones());
            if found.is_some() {
                break;
            }
        }
        let (m, at) = found.unwrap_or_else(|| panic!("the poison pill scenario has a milestone"));
        assert!(
            at <= sim.now() && sim.now().0 - at.0 <= 1_000,
            "{m:?} at {at}, now {}",
            sim.now()
        );
        // The next search finds a later one, or none.
        let again = Seek::new(sim.milestones(), sim.now(), sim.end());
        assert_eq!(again.found(sim.milestones()), None);
    }

    #[test]
    fn pills_come_at_their_rate() {
        let mut r = PillRate::new(10, SimTime(0));
        assert_eq!(r.due(SimTime(9_999)), None);
        assert_eq!(r.due(SimTime(25_000)), Some(SimTime(10_000)));
        assert_eq!(r.due(SimTime(25_000)), Some(SimTime(20_000)));
        assert_eq!(r.due(SimTime(25_000)), None);
        assert_eq!(pill_key(3), "pill-3");
    }

    #[test]
    fn a_replay_is_the_same_run_at_the_same_moment() {
        let s = poison();
        let mut a = Simulation::new(&s);
        a.run_until(SimTime(90_000), usize::MAX);
        let b = replay(&s, SimTime(90_000));
        assert_eq!(a.snapshot(), b.snapshot());
    }

    #[test]
    fn percentiles_by_nearest_rank() {
        let mut w = FrameWork::default();
        assert_eq!(w.percentile(50.0), 0.0);
        for i in 1..=100 {
            w.push(f64::from(i));
        }
        assert_eq!(w.percentile(50.0), 50.0);
        assert_eq!(w.percentile(95.0), 95.0);
        for _ in 0..FRAME_SAMPLES {
            w.push(1.0);
        }
        assert_eq!(w.len(), FRAME_SAMPLES);
        assert_eq!(w.percentile(95.0), 1.0);
    }
}
