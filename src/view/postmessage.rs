//! The embed's message interface, without a browser: what a host page (a blog, a
//! reveal.js deck) may send an embedded playground with `postMessage`, and what the
//! playground tells its parent window.
//!
//! In: `{type: "kp:play"}`, `{type: "kp:pause"}`, `{type: "kp:seek", ms: 90000}` (go to
//! that moment of the run, in simulated ms) and `{type: "kp:beat", n: 2}` (go to a
//! lesson's beat: 0 is the introduction, n the n-th step). Out: `kp:ready` once the
//! playground runs, `kp:beat` when a lesson reaches a beat, `kp:milestone` the first time
//! each kind of trouble happens, and `kp:error` answering a message it could not use.
//!
//! Messages whose `type` does not start with `kp:`, or that name a `kp:` type this
//! version does not know, are ignored: other scripts post messages too, and a later
//! deck may send newer types. A known type with a bad field gets a `kp:error` naming
//! it, never a console message or a panic.

use std::collections::BTreeMap;

use crate::sim::{milestone_named, Milestone, Shortest, SimTime, MILESTONE_NAMES};

/// The prefix of every message type of this interface.
pub const PREFIX: &str = "kp:";

/// The latest moment a seek may name, in ms: a year and a day, as links allow.
pub const SEEK_MS_MAX: f64 = 31_622_400_000.0;

/// A message as the browser delivered it, read field by field: its `type`, and its
/// `ms` and `n` when they are numbers. `data` that is not an object reads as all
/// `None`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Incoming<'a> {
    pub kind: Option<&'a str>,
    /// `ms`, when it is a number; `ms_given` says whether the field is there at all.
    pub ms: Option<f64>,
    pub ms_given: bool,
    pub n: Option<f64>,
    pub n_given: bool,
}

/// What a message asks the playground to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    Play,
    Pause,
    /// Go to this moment of the run.
    Seek(SimTime),
    /// Go to this beat of the lesson.
    Beat(usize),
}

/// Reads a message: `Ok(None)` to ignore it (not ours, or a type this version does
/// not know), `Err` with what was wrong for a known type with a bad field.
pub fn parse(m: Incoming<'_>) -> Result<Option<Command>, String> {
    let Some(kind) = m.kind.filter(|k| k.starts_with(PREFIX)) else {
        return Ok(None);
    };
    match kind {
        "kp:play" => Ok(Some(Command::Play)),
        "kp:pause" => Ok(Some(Command::Pause)),
        "kp:seek" => match m.ms {
            Some(ms) if ms.is_finite() && (0.0..=SEEK_MS_MAX).contains(&ms) => {
                Ok(Some(Command::Seek(SimTime(ms.round() as u64))))
            }
            Some(ms) => Err(format!(
                "kp:seek: ms {} is not a moment from 0 to {} ms",
                Shortest(ms),
                Shortest(SEEK_MS_MAX)
            )),
            None if m.ms_given => {
                Err("kp:seek: ms must be a number of milliseconds, such as 90000".to_string())
            }
            None => Err(
                "kp:seek needs ms, the moment in simulated milliseconds: {type: \"kp:seek\", ms: 90000}"
                    .to_string(),
            ),
        },
        "kp:beat" => match m.n {
            Some(n) if n.is_finite() && n >= 0.0 && n.fract() == 0.0 && n <= 10_000.0 => {
                Ok(Some(Command::Beat(n as usize)))
            }
            Some(n) => Err(format!(
                "kp:beat: n {} is not a beat: 0 (the introduction) or a step's number",
                Shortest(n)
            )),
            None if m.n_given => {
                Err("kp:beat: n must be a whole number, such as 2".to_string())
            }
            None => Err(
                "kp:beat needs n, the beat: 0 is the introduction, 1 the first step".to_string(),
            ),
        },
        _ => Ok(None),
    }
}

/// Why a valid command could not be carried out here.
pub fn beat_refusal(beats: Option<usize>, n: usize) -> Option<String> {
    match beats {
        None => Some(
            "kp:beat: this embed shows no lesson (name its scenario with lesson= in the link)"
                .to_string(),
        ),
        Some(b) if n > b => Some(format!(
            "kp:beat: n {n} is past the lesson's last beat ({b})"
        )),
        Some(_) => None,
    }
}

/// A field of an event: a string or a number.
#[derive(Clone, Debug, PartialEq)]
pub enum Field {
    Str(String),
    Num(f64),
}

/// What the playground tells its parent window.
#[derive(Clone, Debug, PartialEq)]
pub enum Outgoing {
    /// The playground runs: its scenario, the run's end and the lesson's beats (0 when
    /// it shows no lesson).
    Ready {
        scenario: String,
        end_ms: u64,
        beats: usize,
    },
    /// The lesson is at beat `n` of `of`.
    Beat { n: usize, of: usize },
    /// A kind of trouble happened for the first time, at `at_ms`.
    Milestone {
        name: &'static str,
        label: &'static str,
        at_ms: u64,
    },
    /// A message could not be used, and why.
    Error { message: String },
}

impl Outgoing {
    /// The event as the object posted: its `type` first, then its fields.
    pub fn fields(&self) -> Vec<(&'static str, Field)> {
        let mut out = vec![("type", Field::Str(self.kind().to_string()))];
        match self {
            Outgoing::Ready {
                scenario,
                end_ms,
                beats,
            } => out.extend([
                ("scenario", Field::Str(scenario.clone())),
                ("end_ms", Field::Num(*end_ms as f64)),
                ("beats", Field::Num(*beats as f64)),
            ]),
            Outgoing::Beat { n, of } => {
                out.extend([("n", Field::Num(*n as f64)), ("of", Field::Num(*of as f64))]);
            }
            Outgoing::Milestone { name, label, at_ms } => out.extend([
                ("name", Field::Str((*name).to_string())),
                ("label", Field::Str((*label).to_string())),
                ("at_ms", Field::Num(*at_ms as f64)),
            ]),
            Outgoing::Error { message } => out.push(("message", Field::Str(message.clone()))),
        }
        out
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Outgoing::Ready { .. } => "kp:ready",
            Outgoing::Beat { .. } => "kp:beat",
            Outgoing::Milestone { .. } => "kp:milestone",
            Outgoing::Error { .. } => "kp:error",
        }
    }
}

/// A milestone's name in scenario files and events: `first_blocked_shard`.
pub fn milestone_name(m: Milestone) -> &'static str {
    MILESTONE_NAMES
        .iter()
        .copied()
        .find(|n| milestone_named(n) == Some(m))
        .unwrap_or("milestone")
}

/// What the parent has been told, so each beat and milestone is told once, as it
/// happens (a rewind to an earlier beat is told too).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Told {
    ready: bool,
    beat: Option<usize>,
    milestones: Vec<Milestone>,
}

impl Told {
    /// The events due after a render: `ready` once a run exists, then the lesson's beat
    /// when it changed (`beat` is `(n, of)`, `None` without a lesson) and every milestone
    /// not told yet, earliest first. A run rebuilt from the start forgets milestones it
    /// has not reached again, so they are told again when they are.
    pub fn due(
        &mut self,
        ready: Option<Outgoing>,
        beat: Option<(usize, usize)>,
        milestones: &BTreeMap<Milestone, SimTime>,
    ) -> Vec<Outgoing> {
        let mut out = Vec::new();
        if !self.ready {
            let Some(r) = ready else {
                return out;
            };
            self.ready = true;
            out.push(r);
        }
        self.milestones.retain(|m| milestones.contains_key(m));
        // In order of time, then of milestone: each goes in at its place as it comes
        // (a run has nine kinds of milestone at most, each once), so that the light
        // embed's WebAssembly carries no sort for this one list (about 4 KB before
        // wasm-opt; issue 16).
        let mut new: Vec<(SimTime, Milestone)> = Vec::new();
        for (m, t) in milestones {
            if !self.milestones.contains(m) {
                let at = new.partition_point(|&e| e < (*t, *m));
                new.insert(at, (*t, *m));
            }
        }
        for (t, m) in new {
            self.milestones.push(m);
            out.push(Outgoing::Milestone {
                name: milestone_name(m),
                label: m.label(),
                at_ms: t.0,
            });
        }
        let n = beat.map(|(n, _)| n);
        if n != self.beat {
            self.beat = n;
            if let Some((n, of)) = beat {
                out.push(Outgoing::Beat { n, of });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(k: &str) -> Incoming<'_> {
        Incoming {
            kind: Some(k),
            ..Incoming::default()
        }
    }

    #[test]
    fn the_four_messages_are_read() {
        assert_eq!(parse(kind("kp:play")), Ok(Some(Command::Play)));
        assert_eq!(parse(kind("kp:pause")), Ok(Some(Command::Pause)));
        let seek = Incoming {
            ms: Some(90_000.4),
            ms_given: true,
            ..kind("kp:seek")
        };
        assert_eq!(parse(seek), Ok(Some(Command::Seek(SimTime(90_000)))));
        let beat = Incoming {
            n: Some(2.0),
            n_given: true,
            ..kind("kp:beat")
        };
        assert_eq!(parse(beat), Ok(Some(Command::Beat(2))));
    }

    #[test]
    fn messages_of_others_and_unknown_types_are_ignored() {
        for m in [
            Incoming::default(),
            kind("play"),
            kind("reveal.js:slidechanged"),
            kind("kp:rewind"),
            kind("KP:play"),
            kind(""),
        ] {
            assert_eq!(parse(m), Ok(None), "{m:?}");
        }
    }

    #[test]
    fn bad_fields_of_known_types_are_named() {
        let cases = [
            (kind("kp:seek"), "kp:seek needs ms"),
            (
                Incoming {
                    ms_given: true,
                    ..kind("kp:seek")
                },
                "ms must be a number",
            ),
            (
                Incoming {
                    ms: Some(-1.0),
                    ms_given: true,
                    ..kind("kp:seek")
                },
                "ms -1 is not a moment",
            ),
            (
                Incoming {
                    ms: Some(f64::NAN),
                    ms_given: true,
                    ..kind("kp:seek")
                },
                "is not a moment",
            ),
            (
                Incoming {
                    ms: Some(f64::INFINITY),
                    ms_given: true,
                    ..kind("kp:seek")
                },
                "is not a moment",
            ),
            (kind("kp:beat"), "kp:beat needs n"),
            (
                Incoming {
                    n: Some(1.5),
                    n_given: true,
                    ..kind("kp:beat")
                },
                "n 1.5 is not a beat",
            ),
            (
                Incoming {
                    n: Some(-1.0),
                    n_given: true,
                    ..kind("kp:beat")
                },
                "is not a beat",
            ),
            (
                Incoming {
                    n_given: true,
                    ..kind("kp:beat")
                },
                "n must be a whole number",
            ),
        ];
        for (m, words) in cases {
            let e = parse(m).expect_err(&format!("{m:?}"));
            assert!(e.contains(words), "{m:?}: {e}");
        }
        assert!(beat_refusal(None, 1).is_some_and(|e| e.contains("lesson=")));
        assert!(beat_refusal(Some(4), 5).is_some_and(|e| e.contains("last beat (4)")));
        assert_eq!(beat_refusal(Some(4), 4), None);
    }

    #[test]
    fn events_are_told_once_as_they_happen() {
        let mut told = Told::default();
        let ready = || {
            Some(Outgoing::Ready {
                scenario: "poison-pill".into(),
                end_ms: 90_000_000,
                beats: 4,
            })
        };
        let mut ms = BTreeMap::new();
        assert!(
            told.due(None, Some((0, 4)), &ms).is_empty(),
            "not ready yet"
        );
        let first = told.due(ready(), Some((0, 4)), &ms);
        assert_eq!(first.len(), 2);
        assert_eq!(first[0].kind(), "kp:ready");
        assert_eq!(first[1], Outgoing::Beat { n: 0, of: 4 });
        assert!(told.due(ready(), Some((0, 4)), &ms).is_empty(), "once");
        ms.insert(Milestone::FirstExpiry, SimTime(90_000));
        ms.insert(Milestone::FirstBlockedShard, SimTime(60_000));
        let next = told.due(ready(), Some((1, 4)), &ms);
        assert_eq!(
            next,
            vec![
                Outgoing::Milestone {
                    name: "first_blocked_shard",
                    label: "first blocked shard",
                    at_ms: 60_000
                },
                Outgoing::Milestone {
                    name: "first_expiry",
                    label: "first records expired",
                    at_ms: 90_000
                },
                Outgoing::Beat { n: 1, of: 4 },
            ]
        );
        // Rebuilt from the start: told again when reached again.
        ms.clear();
        assert_eq!(told.due(ready(), Some((0, 4)), &ms).len(), 1);
        ms.insert(Milestone::FirstBlockedShard, SimTime(60_000));
        assert_eq!(told.due(ready(), Some((0, 4)), &ms).len(), 1);
        let f = Outgoing::Error {
            message: "x".into(),
        }
        .fields();
        assert_eq!(f[0], ("type", Field::Str("kp:error".into())));
        for m in MILESTONE_NAMES {
            let m = milestone_named(m).expect("a milestone");
            assert_eq!(milestone_named(milestone_name(m)), Some(m));
        }
    }
}
