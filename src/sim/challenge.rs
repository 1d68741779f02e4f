//! Challenges: a goal the reader reaches by choosing settings ("no data lost",
//! "IteratorAge under a minute", "at most 50 concurrent executions"), scored by the
//! simulator on a fixed seed.
//!
//! A challenge is data in the scenario file (`"challenge": {...}`): the goal in words,
//! the goals to meet at the end of the run, the settings the reader may change (by the
//! names the page shows) and the seed. [`score`] judges a finished run from its report,
//! so the page's "Check my settings" and the tests give the same verdict.

use serde::{Deserialize, Serialize};

use super::engine::Simulation;
use super::report::ReportOptions;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Challenge {
    /// The goal in words, shown to the reader.
    pub goal: String,
    /// What the run must achieve; every goal set must hold.
    pub goals: Goals,
    /// The settings the reader may change, by their names on the page
    /// (AWS's names: `MaximumRetryAttempts`, `ParallelizationFactor`, ...), checked
    /// against the page's settings table by `view::scenarios::parse`.
    pub knobs: Vec<String>,
    /// The run is scored on this seed, whatever seed the page shows.
    pub seed: u64,
    /// Said after a pass: what the winning settings teach.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub debrief: String,
}

/// The goals of a challenge. Each one set must hold at the end of the run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Goals {
    /// No record lost: none expired unprocessed, none given up with no destination,
    /// none given up on by the producer.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub no_data_lost: bool,
    /// The largest IteratorAge over the run, seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iterator_age_max_s: Option<u64>,
    /// The most instances of the stream's functions running at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concurrent_executions_max: Option<u64>,
    /// Requests of the account's other functions throttled, over the run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other_function_throttles_max: Option<u64>,
}

/// One goal judged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Check {
    /// The goal in words: "No data lost", "IteratorAge at most 60 s".
    pub goal: String,
    pub passed: bool,
    /// The run's figure and the limit.
    pub value: u64,
    pub limit: u64,
    /// Why, in words, with the figures: "147,561 records lost: 147,561 expired, ...".
    pub why: String,
}

/// A run's verdict.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Score {
    pub passed: bool,
    pub checks: Vec<Check>,
}

impl Challenge {
    /// Problems with the challenge, as (field path under `challenge`, message).
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if self.goal.trim().is_empty() {
            out.push((
                "goal".to_string(),
                "is empty: say what the reader must achieve".to_string(),
            ));
        }
        let g = &self.goals;
        if !g.no_data_lost
            && g.iterator_age_max_s.is_none()
            && g.concurrent_executions_max.is_none()
            && g.other_function_throttles_max.is_none()
        {
            out.push((
                "goals".to_string(),
                "sets no goal: allowed no_data_lost (true), iterator_age_max_s, concurrent_executions_max, other_function_throttles_max".to_string(),
            ));
        }
        if self.knobs.is_empty() {
            out.push((
                "knobs".to_string(),
                "is empty: name at least one setting the reader may change".to_string(),
            ));
        }
        // Whether each name is a setting of the page is checked where the settings
        // table can be read: `view::scenarios::parse`, which the page and the CLI load
        // scenarios with.
        for (i, k) in self.knobs.iter().enumerate() {
            if self.knobs[..i].contains(k) {
                out.push((format!("knobs[{i}]"), format!("{k:?} is named twice")));
            }
        }
        out
    }
}

fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Judges a run (normally finished) against the goals.
pub fn score(goals: &Goals, sim: &Simulation) -> Score {
    let report = sim.report(ReportOptions::default());
    let t = &report.totals;
    let mut checks = Vec::new();
    if goals.no_data_lost {
        let producer = report.producer.records_lost;
        let lost = t.records_expired + t.records_discarded + producer;
        checks.push(Check {
            goal: "No data lost".to_string(),
            passed: lost == 0,
            value: lost,
            limit: 0,
            why: format!(
                "{} records lost: {} expired unprocessed, {} given up with no destination, {} never written by the producer",
                grouped(lost),
                grouped(t.records_expired),
                grouped(t.records_discarded),
                grouped(producer)
            ),
        });
    }
    if let Some(max_s) = goals.iterator_age_max_s {
        let age_ms = t.max_iterator_age_ms;
        checks.push(Check {
            goal: format!("IteratorAge at most {} s", grouped(max_s)),
            passed: age_ms <= max_s * 1_000,
            value: age_ms / 1_000,
            limit: max_s,
            why: format!(
                "the oldest record waited {} s at worst",
                grouped(age_ms / 1_000)
            ),
        });
    }
    if let Some(max) = goals.concurrent_executions_max {
        let n = t.max_concurrent_executions;
        checks.push(Check {
            goal: format!("At most {} concurrent executions", grouped(max)),
            passed: n <= max,
            value: n,
            limit: max,
            why: format!(
                "{} instances of the stream's function ran at once at the peak",
                grouped(n)
            ),
        });
    }
    if let Some(max) = goals.other_function_throttles_max {
        let n = report.account.other_functions_throttles;
        checks.push(Check {
            goal: if max == 0 {
                "The other functions never throttled".to_string()
            } else {
                format!(
                    "The other functions throttled at most {} times",
                    grouped(max)
                )
            },
            passed: n <= max,
            value: n,
            limit: max,
            why: format!(
                "{} requests of the account's other functions were refused for lack of concurrency",
                grouped(n)
            ),
        });
    }
    Score {
        passed: checks.iter().all(|c| c.passed),
        checks,
    }
}

/// Runs `scenario` on the challenge's seed to its end and judges it.
pub fn run_and_score(challenge: &Challenge, scenario: &super::Scenario) -> Score {
    let mut s = scenario.clone();
    s.seed = challenge.seed;
    let mut sim = Simulation::new(&s);
    sim.run_to_end();
    score(&challenge.goals, &sim)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn challenge() -> Challenge {
        Challenge {
            goal: "g".into(),
            goals: Goals {
                no_data_lost: true,
                ..Goals::default()
            },
            knobs: vec!["MaximumRetryAttempts".into()],
            seed: 7,
            debrief: String::new(),
        }
    }

    #[test]
    fn problems_name_the_field() {
        assert!(challenge().problems().is_empty());
        let bad = Challenge {
            goal: " ".into(),
            goals: Goals::default(),
            knobs: vec!["BatchSiz".into(), "BatchSize".into(), "BatchSize".into()],
            ..challenge()
        };
        // "BatchSiz" is no setting of the page, but that is `view::scenarios::parse`'s
        // to say: the core cannot read the settings table.
        let fields: Vec<String> = bad.problems().into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["goal", "goals", "knobs[2]"]);
        let none = Challenge {
            knobs: vec![],
            ..challenge()
        };
        assert_eq!(none.problems()[0].0, "knobs");
    }

    #[test]
    fn figures_are_grouped() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1_000), "1,000");
        assert_eq!(grouped(147_561), "147,561");
        assert_eq!(grouped(1_234_567), "1,234,567");
    }
}
