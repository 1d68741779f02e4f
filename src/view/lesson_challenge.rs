//! A challenge on the page: which of the reader's settings count, the scenario that is
//! scored (the challenge's own, with only the allowed settings taken from the reader's
//! run, on the challenge's seed), and the scoring run in slices so the page stays
//! responsive. The verdict is `sim::challenge::score`, the one the tests use.

use crate::sim::{score, Challenge, Scenario, Score, Simulation};
use crate::view::knobs::{self, KnobId, Target};

/// The knobs a challenge lets the reader change, in its order.
pub fn allowed(challenge: &Challenge) -> Vec<KnobId> {
    challenge
        .knobs
        .iter()
        .filter_map(|name| knobs::of_name(name).filter(|k| k.on_page).map(|k| k.id))
        .collect()
}

/// The scenario scored: `original` with the allowed knobs set as in `current` (the
/// reader's run), every other setting as the challenge has it, on the challenge's seed.
/// A value the scenario refuses comes back as the message naming it.
pub fn scored_scenario(
    original: &Scenario,
    current: &Scenario,
    challenge: &Challenge,
) -> Result<Scenario, String> {
    let mut s = original.clone();
    let from = Target::of_mapping(current, 0);
    let to = Target::of_mapping(original, 0);
    for id in allowed(challenge) {
        if let Some(v) = knobs::get(id, current, from) {
            knobs::set(id, &mut s, to, v)?;
        }
    }
    s.seed = challenge.seed;
    s.validate().map_err(|e| e.to_string())?;
    Ok(s)
}

/// The settings that count, as "name = value" for the verdict: what was scored.
pub fn settings_scored(scenario: &Scenario, challenge: &Challenge) -> Vec<(String, String)> {
    let target = Target::of_mapping(scenario, 0);
    allowed(challenge)
        .into_iter()
        .filter_map(|id| {
            let v = knobs::get(id, scenario, target)?;
            Some((id.knob().label().to_string(), knobs::display(id.knob(), v)))
        })
        .collect()
}

/// A scoring run in progress.
#[derive(Debug)]
pub struct Checking {
    sim: Simulation,
    challenge: Challenge,
    /// The settings being scored, as [`settings_scored`] gives them.
    pub settings: Vec<(String, String)>,
}

impl Checking {
    pub fn new(scenario: &Scenario, challenge: &Challenge) -> Checking {
        let mut s = scenario.clone();
        s.seed = challenge.seed;
        Checking {
            settings: settings_scored(&s, challenge),
            sim: Simulation::new(&s),
            challenge: challenge.clone(),
        }
    }

    /// Runs at most `max_events` more events; the verdict once the run is over.
    pub fn advance(&mut self, max_events: usize) -> Option<Score> {
        self.sim.run_until(self.sim.end(), max_events);
        self.sim
            .is_finished()
            .then(|| score(&self.challenge.goals, &self.sim))
    }

    /// How far the scoring run is, 0 to 1.
    pub fn progress(&self) -> f64 {
        let end = self.sim.end().0.max(1) as f64;
        (self.sim.now().0 as f64 / end).clamp(0.0, 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{parse_scenario, run_and_score};

    fn keep_up() -> Scenario {
        parse_scenario(include_str!(
            "../../static/scenarios/challenge-keep-up.json"
        ))
        .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn only_the_allowed_settings_are_scored() {
        let original = keep_up();
        let challenge = original
            .challenge
            .clone()
            .unwrap_or_else(|| panic!("a challenge"));
        assert_eq!(
            allowed(&challenge),
            [
                KnobId::ParallelizationFactor,
                KnobId::ShardCount,
                KnobId::BatchSize,
                KnobId::MaximumBatchingWindowInSeconds
            ]
        );
        let mut current = original.clone();
        current.seed = 99;
        current.event_source_mappings[0].parallelization_factor = 2;
        // Not allowed: making the function faster does not count.
        current.functions[0].duration_per_record_ms = 1.0;
        let scored =
            scored_scenario(&original, &current, &challenge).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(scored.event_source_mappings[0].parallelization_factor, 2);
        assert_eq!(scored.functions[0].duration_per_record_ms, 40.0);
        assert_eq!(scored.seed, 7);
        assert!(settings_scored(&scored, &challenge)
            .contains(&("ParallelizationFactor".to_string(), "2".to_string())));
    }

    #[test]
    fn checking_in_slices_gives_the_verdict_of_one_run() {
        let original = keep_up();
        let challenge = original
            .challenge
            .clone()
            .unwrap_or_else(|| panic!("a challenge"));
        let mut checking = Checking::new(&original, &challenge);
        let mut slices = 0;
        let verdict = loop {
            slices += 1;
            if let Some(v) = checking.advance(500) {
                break v;
            }
            assert!(checking.progress() < 1.0);
        };
        assert!(slices > 1, "the run took several slices");
        assert_eq!(verdict, run_and_score(&challenge, &original));
        assert!(!verdict.passed);
    }
}
