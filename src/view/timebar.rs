//! The time controls' logic: single steps, "run to the next interesting event", pills
//! injected at a rate, replaying a rebuilt scenario to the same moment, and the
//! frame-work figures. Pure: no web APIs, so it is tested natively.

use std::collections::{BTreeMap, BTreeSet};

use crate::sim::{
    milestone_named, Milestone, Scenario, SimDuration, SimTime, Simulation, MILESTONE_NAMES,
};

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

/// A search for the next milestone, started at `from`; or, for a jump along the
/// timeline, a run to a moment that does not stop at milestones.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Seek {
    pub known: usize,
    pub cap: SimTime,
    /// A jump to `cap`, not a search.
    pub jump: bool,
}

impl Seek {
    pub fn new(milestones: &BTreeMap<Milestone, SimTime>, now: SimTime, end: SimTime) -> Seek {
        Seek {
            known: milestones.len(),
            cap: (now + SEEK_CAP).min(end),
            jump: false,
        }
    }

    /// A run forward to `to` (never past `end`).
    pub fn jump(to: SimTime, end: SimTime) -> Seek {
        Seek {
            known: usize::MAX,
            cap: to.min(end),
            jump: true,
        }
    }

    /// The milestone reached since the search began (the earliest, if several).
    pub fn found(&self, milestones: &BTreeMap<Milestone, SimTime>) -> Option<(Milestone, SimTime)> {
        if self.jump || milestones.len() <= self.known {
            return None;
        }
        milestones
            .iter()
            .map(|(&m, &t)| (m, t))
            .max_by_key(|&(m, t)| (t, std::cmp::Reverse(m)))
    }
}

/// Where a jump along the timeline goes: forward in the running simulation, or back
/// by replaying it from the start (runs are deterministic, so it is the same run).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Jump {
    Forward(SimTime),
    Back(SimTime),
    /// Already there.
    Stay,
}

/// The jump to `to` in a run at `now` that ends at `end`.
pub fn jump(now: SimTime, end: SimTime, to: SimTime) -> Jump {
    let to = to.min(end);
    match to.cmp(&now) {
        std::cmp::Ordering::Greater => Jump::Forward(to),
        std::cmp::Ordering::Less => Jump::Back(to),
        std::cmp::Ordering::Equal => Jump::Stay,
    }
}

/// Teaching breakpoints: the kinds of trouble the reader asked the page to pause at
/// the first time they happen while it plays.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Breakpoints {
    armed: BTreeSet<Milestone>,
    /// Milestones already reached (paused at or passed): never paused at again.
    passed: BTreeSet<Milestone>,
}

impl Breakpoints {
    /// Every kind of trouble, in the order the page lists them, with its label.
    pub fn kinds() -> impl Iterator<Item = Milestone> {
        MILESTONE_NAMES.iter().filter_map(|n| milestone_named(n))
    }

    pub fn is_armed(&self, m: Milestone) -> bool {
        self.armed.contains(&m)
    }

    pub fn toggle(&mut self, m: Milestone) {
        if !self.armed.remove(&m) {
            self.armed.insert(m);
        }
    }

    /// A new or rewound run: what it has reached so far does not pause it.
    pub fn sync(&mut self, milestones: &BTreeMap<Milestone, SimTime>) {
        self.passed = milestones.keys().copied().collect();
    }

    /// The earliest armed milestone reached since the last call, if any; everything
    /// reached is marked passed.
    pub fn hit(
        &mut self,
        milestones: &BTreeMap<Milestone, SimTime>,
    ) -> Option<(Milestone, SimTime)> {
        let fresh = milestones
            .iter()
            .filter(|(m, _)| !self.passed.contains(m))
            .filter(|(m, _)| self.armed.contains(m))
            .map(|(&m, &t)| (m, t))
            .min_by_key(|&(m, t)| (t, m));
        self.passed.extend(milestones.keys().copied());
        fresh
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
    fn a_jump_goes_forward_back_or_nowhere_and_never_past_the_end() {
        let (now, end) = (SimTime::from_s(100), SimTime::from_s(3_600));
        let at = SimTime::from_s;
        assert_eq!(jump(now, end, at(200)), Jump::Forward(at(200)));
        assert_eq!(jump(now, end, at(40)), Jump::Back(at(40)));
        assert_eq!(jump(now, end, at(100)), Jump::Stay);
        assert_eq!(jump(now, end, at(99_999)), Jump::Forward(end));
        let seek = Seek::jump(SimTime::from_s(99_999), end);
        assert_eq!(seek.cap, end);
        let mut reached = BTreeMap::new();
        reached.insert(Milestone::FirstBlockedShard, SimTime::from_s(150));
        assert_eq!(
            seek.found(&reached),
            None,
            "a jump does not stop at milestones"
        );
    }

    #[test]
    fn breakpoints_pause_once_at_armed_trouble_only() {
        let s = poison();
        let mut sim = Simulation::new(&s);
        let mut b = Breakpoints::default();
        assert_eq!(Breakpoints::kinds().count(), MILESTONE_NAMES.len());
        b.toggle(Milestone::FirstExpiry);
        b.toggle(Milestone::FirstBlockedShard);
        b.toggle(Milestone::FirstExpiry);
        assert!(b.is_armed(Milestone::FirstBlockedShard));
        assert!(!b.is_armed(Milestone::FirstExpiry));
        b.sync(sim.milestones());
        let mut hits = Vec::new();
        while !sim.is_finished() {
            let to = sim.now() + SimDuration::from_ms(60_000);
            sim.run_until(to, usize::MAX);
            if let Some(h) = b.hit(sim.milestones()) {
                hits.push(h);
            }
        }
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert_eq!(hits[0].0, Milestone::FirstBlockedShard);
        assert_eq!(
            Some(&hits[0].1),
            sim.milestones().get(&Milestone::FirstBlockedShard)
        );
        assert!(
            sim.milestones().contains_key(&Milestone::FirstExpiry),
            "expiry happened but was not armed"
        );
        // Rewound past the block, the run would pause there again; synced after it, not.
        let replayed = replay(&s, SimTime::from_s(3_600));
        b.sync(replayed.milestones());
        assert_eq!(b.hit(replayed.milestones()), None);
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
