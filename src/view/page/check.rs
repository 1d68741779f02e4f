//! A challenge's "Check my settings" as a state machine: the challenge's own scenario,
//! with only the settings that count taken from the reader's run, run headless on the
//! challenge's seed in slices between frames (each within [`CHECK_SLICE_MS`] of wall
//! clock), then the verdict. `ui` only schedules the slices and draws [`CheckState`].

use crate::sim::{Scenario, Score};
use crate::view::lesson_challenge::{scored_scenario, Checking};

use super::{Clock, EVENTS_PER_SLICE};

/// Wall-clock ms a slice of the scoring run may take before the page gets the thread
/// back.
pub const CHECK_SLICE_MS: f64 = 30.0;

/// Where the check stands.
#[derive(Clone, Debug, PartialEq)]
pub enum CheckState {
    Idle,
    /// Scoring, this far (0 to 1).
    Running(f64),
    /// The verdict, the settings scored, and how long the check took in ms.
    Done(Score, Vec<(String, String)>, f64),
    /// The settings could not be scored (a value the scenario refuses).
    Refused(String),
}

/// The check: its scoring run while it runs, and where it stands.
#[derive(Debug)]
pub struct Check {
    /// The scoring run, started at this wall-clock ms.
    running: Option<(Checking, f64)>,
    pub state: CheckState,
}

impl Default for Check {
    fn default() -> Self {
        Check {
            running: None,
            state: CheckState::Idle,
        }
    }
}

impl Check {
    /// "Check my settings": scores `current` (the reader's run) against `original`'s
    /// challenge. Returns whether a slice should be run (soon, off this event).
    pub fn start(&mut self, original: &Scenario, current: &Scenario, now_ms: f64) -> bool {
        let Some(c) = original.challenge.as_ref() else {
            return false;
        };
        match scored_scenario(original, current, c) {
            Err(e) => {
                self.state = CheckState::Refused(e);
                false
            }
            Ok(scored) => {
                self.running = Some((Checking::new(&scored, c), now_ms));
                self.state = CheckState::Running(0.0);
                true
            }
        }
    }

    /// Runs the scoring run until it ends or the slice's time is up. Returns whether
    /// another slice should follow.
    pub fn slice(&mut self, clock: Clock<'_>) -> bool {
        let Some((checking, started)) = &mut self.running else {
            return false;
        };
        let deadline = clock() + CHECK_SLICE_MS;
        loop {
            if let Some(score) = checking.advance(EVENTS_PER_SLICE) {
                let took = clock() - *started;
                if let Some((checking, _)) = self.running.take() {
                    self.state = CheckState::Done(score, checking.settings, took);
                }
                return false;
            }
            if clock() > deadline {
                break;
            }
        }
        self.state = CheckState::Running(checking.progress());
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{parse_scenario, run_and_score};

    fn keep_up() -> Scenario {
        parse_scenario(include_str!(
            "../../../static/scenarios/challenge-keep-up.json"
        ))
        .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_check_runs_in_slices_to_the_verdict_of_one_run() {
        let original = keep_up();
        let mut check = Check::default();
        assert!(check.start(&original, &original, 0.0));
        assert_eq!(check.state, CheckState::Running(0.0));
        // A clock that moves 40 ms a look: every slice ends after one advance.
        let mut t = 0.0;
        let mut clock = || {
            t += 40.0;
            t
        };
        let mut slices = 1;
        while check.slice(&mut clock) {
            slices += 1;
            let CheckState::Running(p) = check.state else {
                panic!("still running: {:?}", check.state);
            };
            assert!((0.0..1.0).contains(&p), "progress {p}");
        }
        assert!(slices > 1, "the run took {slices} slices");
        let challenge = original
            .challenge
            .clone()
            .unwrap_or_else(|| panic!("a challenge"));
        let CheckState::Done(score, settings, took) = &check.state else {
            panic!("done: {:?}", check.state);
        };
        assert_eq!(*score, run_and_score(&challenge, &original));
        assert!(!settings.is_empty());
        assert!(*took > 0.0);
        // Done: no more slices.
        assert!(!check.slice(&mut || 0.0));
    }

    #[test]
    fn a_value_the_scenario_refuses_is_said_not_scored() {
        let original = keep_up();
        let mut current = original.clone();
        current.event_source_mappings[0].parallelization_factor = 11;
        let mut check = Check::default();
        assert!(!check.start(&original, &current, 0.0));
        assert!(
            matches!(&check.state, CheckState::Refused(e) if e.contains("ParallelizationFactor")),
            "{:?}",
            check.state
        );
    }

    #[test]
    fn a_scenario_without_a_challenge_checks_nothing() {
        let mut original = keep_up();
        original.challenge = None;
        let mut check = Check::default();
        assert!(!check.start(&original, &original, 0.0));
        assert_eq!(check.state, CheckState::Idle);
        assert!(!check.slice(&mut || 0.0));
    }
}
