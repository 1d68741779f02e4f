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

use crate::sim::{
    milestone_named, Lesson, Milestone, Scenario, SimTime, Simulation, Step, MILESTONE_NAMES,
};
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
    /// Any key while the screen is blank: show it again.
    Show,
}

/// Whether the page should keep a key from the browser: presenter mode's keys are
/// its own, but a browser shortcut (Ctrl, Alt or Meta held) still reaches the
/// browser even when it also shows a blanked screen again.
pub fn takes_key(k: PresenterKey<'_>) -> bool {
    !k.modified
}

/// The action for a key in presenter mode; `None` lets the key through. `typing` says
/// digits are waiting for Enter (Enter is then "go", else it stays Enter). While the
/// screen is `blank`, every key shows it again ([`Act::Show`]), whatever it is and
/// wherever it went: a speaker who blanked the screen presses whatever is under
/// their thumb.
pub fn act_for(k: PresenterKey<'_>, typing: bool, blank: bool) -> Option<Act> {
    if blank {
        return Some(Act::Show);
    }
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
    /// Applies a key's action. While the screen is blank, any action shows it again
    /// and does nothing else, so a clicker never moves an unseen talk.
    pub fn apply(&mut self, act: Act) -> Effect {
        if self.blank {
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
            Act::Show => Effect::None,
        }
    }

    pub fn typing(&self) -> bool {
        !self.typed.is_empty()
    }
}

/// What the beat counter says: "Beat 2 of 4", or, when there are no beats after the
/// introduction (a scenario without a lesson whose run reaches no milestone), the
/// scenario's title rather than "Beat 0 of 0".
pub fn beat_label(beat: usize, beats: usize, title: &str) -> String {
    if beats == 0 {
        title.to_string()
    } else {
        format!("Beat {beat} of {beats}")
    }
}

/// The stream picture scaled to a box (presenter mode): laid out `layout_w_px` wide,
/// `layout_h_px` tall, and drawn `scale` times larger, at (`x_px`, `y_px`) in the box.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fit {
    pub layout_w_px: f64,
    pub layout_h_px: f64,
    pub scale: f64,
    pub x_px: f64,
    pub y_px: f64,
}

/// The picture is never enlarged more than this, nor laid out narrower than this.
pub const FIT_SCALE_MAX: f64 = 2.0;
pub const FIT_LAYOUT_W_MIN_PX: f64 = 390.0;

/// Fits a picture whose height depends on the width it is laid out at
/// (`height_at(width)`, CSS pixels) into a `box_w_px` x `box_h_px` box: the largest
/// scale (at least 1, at most [`FIT_SCALE_MAX`]) at which the picture, laid out at
/// `box_w_px / scale`, fits the box's height, so that it fills the box's width and
/// as much of its height as its shape allows; centred in what is left. Everything is
/// drawn at the scale, text included, so a scaled picture is sharp when the canvas's
/// backing store is the box's size in device pixels.
pub fn fit(box_w_px: f64, box_h_px: f64, height_at: impl Fn(f64) -> f64) -> Fit {
    let box_w = box_w_px.max(1.0);
    let box_h = box_h_px.max(1.0);
    let layout_at = |scale: f64| (box_w / scale).max(FIT_LAYOUT_W_MIN_PX.min(box_w));
    // The height changes little and in steps with the width: a few rounds settle it.
    let mut scale = 1.0f64;
    for _ in 0..4 {
        let h = height_at(layout_at(scale)).max(1.0);
        let next = (box_h / h).clamp(1.0, FIT_SCALE_MAX);
        if (next - scale).abs() < 1e-3 {
            break;
        }
        scale = next;
    }
    let mut layout_w = layout_at(scale);
    let mut layout_h = height_at(layout_w).max(1.0);
    // Never taller or wider than the box (unless at scale 1 nothing else fits).
    let shrink = (box_h / (layout_h * scale)).min(box_w / (layout_w * scale));
    if shrink < 1.0 {
        scale = (scale * shrink).max(1.0);
        layout_w = layout_at(scale);
        layout_h = height_at(layout_w).max(1.0);
    }
    Fit {
        layout_w_px: layout_w,
        layout_h_px: layout_h,
        scale,
        x_px: ((box_w - layout_w * scale) / 2.0).max(0.0),
        y_px: ((box_h - layout_h * scale) / 2.0).max(0.0),
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
            assert_eq!(act_for(key(k), false, false), Some(Act::Next), "{k:?}");
        }
        for k in ["ArrowLeft", "PageUp"] {
            assert_eq!(act_for(key(k), false, false), Some(Act::Previous), "{k:?}");
        }
        for k in [".", "b", "B"] {
            assert_eq!(act_for(key(k), false, false), Some(Act::Blank), "{k:?}");
        }
        assert_eq!(act_for(key("?"), false, false), Some(Act::Help));
        assert_eq!(act_for(key("Escape"), false, false), Some(Act::Escape));
        assert_eq!(act_for(key("7"), false, false), Some(Act::Digit(7)));
        assert_eq!(act_for(key("f"), false, false), Some(Act::Fullscreen));
        assert_eq!(act_for(key("x"), false, false), None);
        // Enter is "go" only after digits; otherwise it presses the focused button.
        assert_eq!(act_for(key("Enter"), false, false), None);
        assert_eq!(act_for(key("Enter"), true, false), Some(Act::Go));
        let ctrl = PresenterKey {
            modified: true,
            ..key("ArrowRight")
        };
        assert_eq!(act_for(ctrl, false, false), None, "browser shortcuts pass");
        let field = PresenterKey {
            in_field: true,
            ..key(" ")
        };
        assert_eq!(
            act_for(field, false, false),
            None,
            "typing in a field is typing"
        );
        assert_eq!(
            act_for(
                PresenterKey {
                    in_field: true,
                    ..key("Escape")
                },
                false,
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
    fn any_key_shows_a_blanked_screen_again() {
        let ctrl = PresenterKey {
            modified: true,
            ..key("r")
        };
        let field = PresenterKey {
            in_field: true,
            ..key("a")
        };
        for k in [
            key("x"),
            key("Enter"),
            key("Shift"),
            key("Tab"),
            key("?"),
            key("F5"),
            ctrl,
            field,
        ] {
            assert_eq!(act_for(k, false, true), Some(Act::Show), "{k:?}");
            let mut p = Presenter {
                blank: true,
                ..Presenter::default()
            };
            assert_eq!(p.apply(Act::Show), Effect::None);
            assert!(!p.blank, "{k:?} shows the screen");
            assert!(!p.help, "{k:?} opens nothing");
        }
        // A browser shortcut shows the screen and still reaches the browser.
        assert!(!takes_key(ctrl));
        assert!(takes_key(key("x")));
        // Help while blank shows the screen rather than an unseen overlay.
        let mut p = Presenter {
            blank: true,
            ..Presenter::default()
        };
        p.apply(Act::Help);
        assert!(!p.blank && !p.help);
        // Show when nothing is blank does nothing.
        assert_eq!(Presenter::default().apply(Act::Show), Effect::None);
    }

    #[test]
    fn no_beats_say_the_scenario_not_beat_0_of_0() {
        assert_eq!(beat_label(2, 4, "Poison pill"), "Beat 2 of 4");
        assert_eq!(beat_label(0, 4, "Poison pill"), "Beat 0 of 4");
        assert_eq!(beat_label(0, 0, "A healthy stream"), "A healthy stream");
        assert_eq!(beat_label(0, 0, ""), "");
    }

    #[test]
    fn a_picture_is_fitted_to_fill_its_box() {
        // A picture 500 px tall at any width, in a 1,380 x 940 box: scaled to the
        // box's height, laid out at the width that fills the box's width.
        let f = fit(1_380.0, 940.0, |_| 500.0);
        assert!((f.scale - 940.0 / 500.0).abs() < 1e-9, "{f:?}");
        assert!((f.layout_w_px * f.scale - 1_380.0).abs() < 1e-6, "{f:?}");
        assert!(f.layout_h_px * f.scale <= 940.0 + 1e-6);
        assert!(f.x_px.abs() < 1e-6 && f.y_px.abs() < 1e-6);
        // Taller when narrow (the picture's narrow layout): still inside the box.
        let step = |w: f64| if w < 600.0 { 420.0 } else { 360.0 };
        let f = fit(1_380.0, 940.0, step);
        assert!(f.layout_h_px * f.scale <= 940.0 + 1e-6, "{f:?}");
        assert!(f.layout_w_px * f.scale <= 1_380.0 + 1e-6, "{f:?}");
        assert!(f.scale >= FIT_SCALE_MAX - 1e-9, "{f:?}");
        // A tall picture in a wide box: fitted by its height, centred across.
        let f = fit(1_400.0, 900.0, |_| 600.0);
        assert!((f.scale - 1.5).abs() < 1e-9);
        assert!(f.layout_w_px * f.scale <= 1_400.0 + 1e-6);
        // Never smaller than itself, never more than twice (its text is already
        // 24 px before the fit).
        assert_eq!(fit(800.0, 100.0, |_| 400.0).scale, 1.0);
        assert_eq!(fit(4_000.0, 4_000.0, |_| 100.0).scale, FIT_SCALE_MAX);
        assert!(fit(4_000.0, 4_000.0, |_| 100.0).y_px > 0.0, "centred down");
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
        assert_eq!(act_for(key("g"), false, false), Some(Act::Chart));
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
