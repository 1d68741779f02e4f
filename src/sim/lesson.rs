//! Lessons: a scenario can carry a guided lesson, an introduction and steps that
//! speak when the simulation reaches a time or a milestone ("the shard is now blocked:
//! look at the iterator age"), some with a prediction to make first.
//!
//! A lesson is data in the scenario file (`"lesson": {...}`), so the page, the
//! command-line runner and the tests read the same one. A step waits for either a
//! time (`at_s`) or the first time a kind of trouble happens (`on`, a milestone name
//! such as `first_blocked_shard`).

use serde::{Deserialize, Serialize};

use super::journal::Milestone;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    pub intro: String,
    #[serde(default)]
    pub steps: Vec<Step>,
    /// What to remember, shown at the end.
    #[serde(default)]
    pub takeaway: String,
    /// What the model simplifies that matters for this lesson.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub simplifications: Vec<String>,
    /// The fix to try at the end: one setting at two values, run side by side.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub try_it: Option<TryIt>,
}

/// "Try it": the lesson's fix applied, the scenario run side by side with one setting
/// at `from` (as the lesson ran) and at `to`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TryIt {
    /// The setting, by its key in a link (`retries`, `bisect`, `pf`): keys never
    /// change meaning, names may. The page checks it (the core knows no settings).
    pub setting: String,
    pub from: f64,
    pub to: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Speak at this simulated second...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_s: Option<u64>,
    /// ...or when this milestone is first reached.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on: Option<String>,
    pub say: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predict: Option<Prediction>,
}

/// A question the reader answers before the step's moment is shown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prediction {
    pub question: String,
    pub choices: Vec<String>,
    /// Index of the right choice.
    pub answer: usize,
    /// Why, shown with the answer.
    pub why: String,
}

/// The milestone a step's `on` names, by its name in scenario files.
pub fn milestone_named(name: &str) -> Option<Milestone> {
    Some(match name {
        "first_write_throttle" => Milestone::FirstWriteThrottle,
        "first_producer_loss" => Milestone::FirstProducerLoss,
        "first_blocked_shard" => Milestone::FirstBlockedShard,
        "first_expiry" => Milestone::FirstExpiry,
        "first_invocation_throttle" => Milestone::FirstInvocationThrottle,
        "concurrency_limit_reached" => Milestone::ConcurrencyLimitReached,
        "first_other_function_throttle" => Milestone::FirstOtherFunctionThrottle,
        "first_on_failure" => Milestone::FirstOnFailure,
        "first_read_throttle" => Milestone::FirstReadThrottle,
        _ => return None,
    })
}

/// Every milestone name a step may wait for.
pub const MILESTONE_NAMES: &[&str] = &[
    "first_write_throttle",
    "first_producer_loss",
    "first_blocked_shard",
    "first_expiry",
    "first_invocation_throttle",
    "concurrency_limit_reached",
    "first_other_function_throttle",
    "first_on_failure",
    "first_read_throttle",
];

impl Lesson {
    /// Problems with the lesson, as (field path under `lesson`, message).
    pub fn problems(&self, duration_s: u64) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if self.intro.trim().is_empty() {
            out.push((
                "intro".to_string(),
                "is empty: a lesson starts by saying what it shows".to_string(),
            ));
        }
        for (i, step) in self.steps.iter().enumerate() {
            let at = format!("steps[{i}]");
            match (&step.at_s, &step.on) {
                (Some(_), Some(_)) | (None, None) => {
                    out.push((
                        at.clone(),
                        "needs exactly one of at_s (a second) or on (a milestone)".to_string(),
                    ));
                }
                (Some(t), None) if *t > duration_s => {
                    out.push((
                        format!("{at}.at_s"),
                        format!("{t} is after the end of the run at {duration_s} s"),
                    ));
                }
                (None, Some(name)) if milestone_named(name).is_none() => {
                    out.push((
                        format!("{at}.on"),
                        format!("{name:?} is not a milestone: allowed one of {MILESTONE_NAMES:?}"),
                    ));
                }
                _ => {}
            }
            if let Some(p) = &step.predict {
                if p.choices.len() < 2 {
                    out.push((
                        format!("{at}.predict.choices"),
                        format!("{} choices: a prediction needs at least 2", p.choices.len()),
                    ));
                }
                if p.answer >= p.choices.len() {
                    out.push((
                        format!("{at}.predict.answer"),
                        format!(
                            "{} is not a choice: allowed 0 to {}",
                            p.answer,
                            p.choices.len().saturating_sub(1)
                        ),
                    ));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_milestone_has_a_name_and_back() {
        for name in MILESTONE_NAMES {
            assert!(milestone_named(name).is_some(), "{name}");
        }
        assert_eq!(
            milestone_named("first_blocked_shard"),
            Some(Milestone::FirstBlockedShard)
        );
        assert_eq!(milestone_named("blocked"), None);
    }

    #[test]
    fn steps_are_checked() {
        let lesson = Lesson {
            intro: "x".into(),
            steps: vec![
                Step {
                    at_s: None,
                    on: Some("blocked".into()),
                    say: "s".into(),
                    predict: None,
                },
                Step {
                    at_s: Some(5),
                    on: Some("first_expiry".into()),
                    say: "s".into(),
                    predict: None,
                },
                Step {
                    at_s: Some(500),
                    on: None,
                    say: "s".into(),
                    predict: Some(Prediction {
                        question: "q".into(),
                        choices: vec!["a".into()],
                        answer: 1,
                        why: "w".into(),
                    }),
                },
            ],
            takeaway: String::new(),
            simplifications: vec![],
            try_it: None,
        };
        let fields: Vec<String> = lesson.problems(100).into_iter().map(|(f, _)| f).collect();
        assert_eq!(
            fields,
            [
                "steps[0].on",
                "steps[1]",
                "steps[2].at_s",
                "steps[2].predict.choices",
                "steps[2].predict.answer"
            ]
        );
    }
}
