//! Presenter mode's logic: which key does what (clickers send Space, the arrows,
//! Page Up and Page Down, `.` and `b`), the beats of a talk, "reset to beat N" typed as
//! digits then Enter, and blanking, and the help overlay (`?present=1` and `lesson=`
//! in the page's link are read by `share::url`). Pure, so it is tested natively; `ui`
//! turns keys into
//! [`PresenterKey`]s and carries out the [`Act`]s.
//!
//! A beat is a lesson step, with the introduction as beat 0; a scenario without a
//! lesson gets one from its description and the milestones its run reaches
//! ([`milestone_lesson`]), so every scenario can be presented the same way.

use crate::sim::journal::Milestone;
use crate::sim::lesson::{milestone_named, Lesson, Step, MILESTONE_NAMES};
use crate::sim::{Scenario, SimTime, Simulation};
use crate::view::charts::ChartKind;

/// A milestone tour looks this far into a run at most, in events, so entering
/// presenter mode on a heavy scenario stays quick.
pub const TOUR_EVENTS_MAX: u64 = 500_000;

/// Beat numbers typed before Enter: at most this many digits.
pub const TYPED_DIGITS_MAX: usize = 3;

/// A key as presenter mode reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PresenterKey<'a> {
    /// `KeyboardEvent.key`.
    pub key: &'a str,
    /// The key went to a text field, a select or a number box.
    pub in_field: bool,
    /// Ctrl, Alt or Meta was held.
    pub modified: bool,
}

/// What a key asks for in presenter mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Act {
    Next,
    Previous,
    /// Blank the screen, or show it again.
    Blank,
    /// A digit of "reset to beat N".
    Digit(u8),
    /// Enter after digits: reset to that beat.
    Go,
    Help,
    /// Close the overlay, show the screen, or leave presenter mode, in that order.
    Escape,
    Fullscreen,
    /// Show or hide the controls.
    Controls,
    /// Show the next chart.
    Chart,
    /// Leave presenter mode (or enter it, outside).
    Toggle,
}

/// The action for a key in presenter mode; `None` lets the key through. `typing` says
/// digits are waiting for Enter (Enter is then "go", else it stays Enter).
pub fn act_for(k: PresenterKey<'_>, typing: bool) -> Option<Act> {
    if k.modified {
        return None;
    }
    if k.in_field {
        // Form fields keep their keys; Escape still leaves.
        return (k.key == "Escape").then_some(Act::Escape);
    }
    Some(match k.key {
        " " | "ArrowRight" | "PageDown" | "ArrowDown" => Act::Next,
        "ArrowLeft" | "PageUp" | "ArrowUp" => Act::Previous,
        "." | "b" | "B" => Act::Blank,
        "?" => Act::Help,
        "Escape" => Act::Escape,
        "f" | "F" => Act::Fullscreen,
        "c" | "C" => Act::Controls,
        "g" | "G" => Act::Chart,
        "p" | "P" => Act::Toggle,
        "Enter" if typing => Act::Go,
        d if d.len() == 1 && d.as_bytes()[0].is_ascii_digit() => Act::Digit(d.as_bytes()[0] - b'0'),
        _ => return None,
    })
}

/// Outside presenter mode only `p` enters it.
pub fn enters(k: PresenterKey<'_>) -> bool {
    !k.modified && !k.in_field && matches!(k.key, "p" | "P")
}

/// Presenter mode's own state (the beats are the lesson player's steps).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Presenter {
    pub blank: bool,
    pub help: bool,
    pub controls: bool,
    /// Digits typed for "reset to beat N".
    pub typed: String,
    /// The one chart shown, an index into [`ChartKind::ALL`].
    pub chart: usize,
}

/// What the page must do after a key, beyond the state kept here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    None,
    Next,
    Previous,
    /// Reset to this beat (0 is the introduction).
    GoTo(usize),
    Fullscreen,
    Leave,
}

impl Presenter {
    /// Applies a key's action. While the screen is blank, any action but the help
    /// overlay shows it again first, so a clicker never moves an unseen talk.
    pub fn apply(&mut self, act: Act) -> Effect {
        if self.blank && !matches!(act, Act::Help) {
            self.blank = false;
            self.typed.clear();
            return Effect::None;
        }
        if !matches!(act, Act::Digit(_) | Act::Go) {
            self.typed.clear();
        }
        match act {
            Act::Next => Effect::Next,
            Act::Previous => Effect::Previous,
            Act::Blank => {
                self.blank = true;
                self.help = false;
                Effect::None
            }
            Act::Digit(d) => {
                if self.typed.len() < TYPED_DIGITS_MAX {
                    self.typed.push(char::from(b'0' + d));
                }
                Effect::None
            }
            Act::Go => {
                let beat = self.typed.parse().ok();
                self.typed.clear();
                beat.map_or(Effect::None, Effect::GoTo)
            }
            Act::Help => {
                self.help = !self.help;
                Effect::None
            }
            Act::Escape => {
                if self.help {
                    self.help = false;
                    Effect::None
                } else {
                    Effect::Leave
                }
            }
            Act::Fullscreen => Effect::Fullscreen,
            Act::Controls => {
                self.controls = !self.controls;
                Effect::None
            }
            Act::Chart => {
                self.chart = (self.chart + 1) % ChartKind::ALL.len();
                Effect::None
            }
            Act::Toggle => Effect::Leave,
        }
    }

    pub fn typing(&self) -> bool {
        !self.typed.is_empty()
    }
}

/// The keys, for the help overlay: (keys, what they do).
pub const HELP: &[(&str, &str)] = &[
    (
        "Space, → or Page Down",
        "next beat (plays to it; reveals an answer first)",
    ),
    ("← or Page Up", "previous beat"),
    (
        "a number, then Enter",
        "reset to beat N (0 is the introduction)",
    ),
    (". or B", "blank the screen; any key shows it again"),
    ("F", "full screen"),
    ("G", "show the next chart"),
    ("C", "show or hide the controls"),
    ("?", "this help"),
    ("Esc", "close the help, or leave presenter mode"),
];

/// The one chart presenter mode shows first: the one the lesson's first milestone
/// step is about (the write limit for a throttle, concurrency for the account's
/// budget, ...), else the iterator age.
pub fn chart_for(lesson: &Lesson) -> usize {
    let kind = lesson
        .steps
        .iter()
        .find_map(|s| match s.on.as_deref()? {
            "first_write_throttle" => Some(ChartKind::Incoming),
            "first_producer_loss" | "first_expiry" => Some(ChartKind::Lost),
            "first_invocation_throttle"
            | "concurrency_limit_reached"
            | "first_other_function_throttle" => Some(ChartKind::Concurrency),
            "first_on_failure" => Some(ChartKind::Errors),
            "first_blocked_shard" | "first_read_throttle" => Some(ChartKind::IteratorAge),
            _ => None,
        })
        .unwrap_or(ChartKind::IteratorAge);
    ChartKind::ALL.iter().position(|&k| k == kind).unwrap_or(0)
}

/// The name a milestone has in scenario files.
pub fn milestone_name(m: Milestone) -> Option<&'static str> {
    MILESTONE_NAMES
        .iter()
        .copied()
        .find(|n| milestone_named(n) == Some(m))
}

/// A lesson for presenting a scenario that has none: its description as the
/// introduction, then one step a milestone its run reaches (within
/// [`TOUR_EVENTS_MAX`] events), in time order.
pub fn milestone_lesson(scenario: &Scenario) -> Lesson {
    let mut sim = Simulation::new(scenario);
    while !sim.is_finished() && sim.events_handled() < TOUR_EVENTS_MAX {
        let before = sim.events_handled();
        let to = sim.now() + crate::sim::SimDuration::from_ms(60_000);
        sim.run_until(to, 100_000);
        if sim.events_handled() == before && sim.now() >= sim.end() {
            break;
        }
    }
    let mut reached: Vec<(SimTime, Milestone)> =
        sim.milestones().iter().map(|(&m, &t)| (t, m)).collect();
    reached.sort();
    let intro = if scenario.description.is_empty() {
        scenario.title.clone()
    } else {
        scenario.description.clone()
    };
    Lesson {
        intro: if intro.is_empty() {
            "This scenario runs without a lesson.".to_string()
        } else {
            intro
        },
        steps: reached
            .into_iter()
            .filter_map(|(at, m)| {
                Some(Step {
                    at_s: None,
                    on: Some(milestone_name(m)?.to_string()),
                    say: format!("{} at {at}.", capitalised(m.label())),
                    predict: None,
                })
            })
            .collect(),
        takeaway: String::new(),
        simplifications: Vec::new(),
        try_it: None,
    }
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::parse_scenario;

    fn key(key: &str) -> PresenterKey<'_> {
        PresenterKey {
            key,
            in_field: false,
            modified: false,
        }
    }

    #[test]
    fn clicker_keys_move_between_beats() {
        for k in [" ", "ArrowRight", "PageDown"] {
            assert_eq!(act_for(key(k), false), Some(Act::Next), "{k:?}");
        }
        for k in ["ArrowLeft", "PageUp"] {
            assert_eq!(act_for(key(k), false), Some(Act::Previous), "{k:?}");
        }
        for k in [".", "b", "B"] {
            assert_eq!(act_for(key(k), false), Some(Act::Blank), "{k:?}");
        }
        assert_eq!(act_for(key("?"), false), Some(Act::Help));
        assert_eq!(act_for(key("Escape"), false), Some(Act::Escape));
        assert_eq!(act_for(key("7"), false), Some(Act::Digit(7)));
        assert_eq!(act_for(key("f"), false), Some(Act::Fullscreen));
        assert_eq!(act_for(key("x"), false), None);
        // Enter is "go" only after digits; otherwise it presses the focused button.
        assert_eq!(act_for(key("Enter"), false), None);
        assert_eq!(act_for(key("Enter"), true), Some(Act::Go));
        let ctrl = PresenterKey {
            modified: true,
            ..key("ArrowRight")
        };
        assert_eq!(act_for(ctrl, false), None, "browser shortcuts pass");
        let field = PresenterKey {
            in_field: true,
            ..key(" ")
        };
        assert_eq!(act_for(field, false), None, "typing in a field is typing");
        assert_eq!(
            act_for(
                PresenterKey {
                    in_field: true,
                    ..key("Escape")
                },
                false
            ),
            Some(Act::Escape)
        );
        assert!(enters(key("p")));
        assert!(!enters(PresenterKey {
            in_field: true,
            ..key("p")
        }));
        assert!(!enters(key(" ")), "Space keeps playing and pausing outside");
    }

    #[test]
    fn digits_then_enter_reset_to_a_beat() {
        let mut p = Presenter::default();
        assert_eq!(p.apply(Act::Digit(1)), Effect::None);
        assert_eq!(p.apply(Act::Digit(2)), Effect::None);
        assert!(p.typing());
        assert_eq!(p.typed, "12");
        assert_eq!(p.apply(Act::Go), Effect::GoTo(12));
        assert!(!p.typing());
        // Another key drops what was typed.
        p.apply(Act::Digit(3));
        assert_eq!(p.apply(Act::Next), Effect::Next);
        assert_eq!(p.apply(Act::Go), Effect::None);
        for _ in 0..5 {
            p.apply(Act::Digit(9));
        }
        assert_eq!(p.typed, "999", "at most three digits");
    }

    #[test]
    fn blank_help_and_escape() {
        let mut p = Presenter::default();
        p.apply(Act::Blank);
        assert!(p.blank);
        // Any key shows the screen again without moving the talk.
        assert_eq!(p.apply(Act::Next), Effect::None);
        assert!(!p.blank);
        p.apply(Act::Blank);
        assert_eq!(p.apply(Act::Blank), Effect::None);
        assert!(!p.blank, ". or b again shows it");
        p.apply(Act::Help);
        assert!(p.help);
        assert_eq!(
            p.apply(Act::Escape),
            Effect::None,
            "Escape closes the help first"
        );
        assert!(!p.help);
        assert_eq!(p.apply(Act::Escape), Effect::Leave);
        assert_eq!(p.apply(Act::Toggle), Effect::Leave);
        p.apply(Act::Controls);
        assert!(p.controls);
        assert_eq!(act_for(key("g"), false), Some(Act::Chart));
        for i in 1..=ChartKind::ALL.len() {
            p.apply(Act::Chart);
            assert_eq!(p.chart, i % ChartKind::ALL.len());
        }
        assert_eq!(p.apply(Act::Fullscreen), Effect::Fullscreen);
        assert_eq!(p.apply(Act::Previous), Effect::Previous);
    }

    #[test]
    fn a_scenario_without_a_lesson_is_presented_by_its_milestones() {
        let s = parse_scenario(include_str!("../../static/scenarios/hot-key.json"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(s.lesson.is_none());
        let lesson = milestone_lesson(&s);
        assert_eq!(lesson.intro, s.description);
        assert!(!lesson.steps.is_empty(), "the hot key throttles");
        assert_eq!(lesson.steps[0].on.as_deref(), Some("first_write_throttle"));
        assert!(lesson.steps[0].say.starts_with("First write throttle at "));
        assert!(lesson.problems(s.duration_s).is_empty());
        for m in [Milestone::FirstExpiry, Milestone::FirstReadThrottle] {
            assert_eq!(milestone_name(m).and_then(milestone_named), Some(m));
        }
    }

    #[test]
    fn the_chart_shown_is_the_one_the_lesson_is_about() {
        let chart = |json: &str| {
            let s = parse_scenario(json).unwrap_or_else(|e| panic!("{e}"));
            let lesson = s.lesson.clone().unwrap_or_else(|| milestone_lesson(&s));
            ChartKind::ALL[chart_for(&lesson)]
        };
        use ChartKind::*;
        let files = [
            (
                include_str!("../../static/scenarios/poison-pill.json"),
                IteratorAge,
            ),
            (
                include_str!("../../static/scenarios/burst-hidden-by-the-minute.json"),
                Incoming,
            ),
            (
                include_str!("../../static/scenarios/partial-failures.json"),
                Lost,
            ),
            (
                include_str!("../../static/scenarios/concurrency-budget.json"),
                Concurrency,
            ),
            (
                include_str!("../../static/scenarios/fixes-compared.json"),
                Errors,
            ),
            (
                include_str!("../../static/scenarios/hot-key.json"),
                Incoming,
            ),
            (
                include_str!("../../static/scenarios/scaling-reads.json"),
                IteratorAge,
            ),
        ];
        for (json, kind) in files {
            assert_eq!(chart(json), kind);
        }
    }
}
