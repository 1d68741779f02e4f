//! The page: the clock and time controls at the top, the controls on the left, the
//! stream and concurrency pictures in the middle with the charts under them, the event
//! log on the right, and the shard table.
//!
//! The page's state machine is `view::page::Page` (pure, tested natively): this
//! component turns DOM events into its inputs and its effects into gloo animation
//! frames, timers, canvas calls and full screen. While playing, it keeps one
//! animation frame requested, so pausing (dropping the handle) cancels the loop.
//! Each frame moves the simulation within the page's wall-clock budget, measured
//! with `performance.now()`, and paints the canvases; the DOM (text, table, log) is
//! refreshed at most ten times a second, so the frame's work stays with the
//! simulation and the pictures.

use std::cell::Cell;
use std::rc::Rc;

use gloo::events::{EventListener, EventListenerOptions};
use gloo::render::{request_animation_frame, AnimationFrame};
use gloo::timers::callback::Timeout;
use web_sys::{HtmlCanvasElement, MediaQueryList};
use yew::prelude::*;

use super::compare::Compare;
use super::controls::Controls;
use super::lesson::LessonPanel;
use super::lesson_challenge::{ChallengePanel, CheckState};
use super::log::{EventLog, Pick};
use super::paint::{self, ChartKind, ChartLimits, Highlight, Resolution, Theme};
use super::presenter::{exit_fullscreen, request_fullscreen, PresenterBar, PresenterOverlays};
use super::start::{groups_and_paths, Groups, KeysHelp, Picker, StartCard};
use super::table::ShardTable;
use super::timebar::Timebar;
use super::trace::TracePanel;
use crate::sim::{Metric, Scenario, Snapshot};
use crate::view::budget::{FrameSplit, Part};
use crate::view::embed;
use crate::view::format::grouped;
use crate::view::knobs::Target;
use crate::view::lesson::{LessonAction, Player};
use crate::view::lesson_challenge::{scored_scenario, settings_scored, Checking};
use crate::view::pace::speed_index;
use crate::view::page::{Effects, FrameOpen, Input, Page, TimeAction, EVENTS_PER_SLICE};
use crate::view::picture::{self, DARK, LIGHT};
use crate::view::presenter::{act_for, enters, takes_key, Act, PresenterKey};
use crate::view::scenarios::{self, Choice};
use crate::view::table::{self, TABLE_OPEN_SHARDS_MAX};
use crate::view::timebar::Breakpoints;
use crate::view::trace;
use share_app::{ShareMsg, ShareState};

mod share_app;
mod view;

const DARK_QUERY: &str = "(prefers-color-scheme: dark)";
const REDUCED_MOTION_QUERY: &str = "(prefers-reduced-motion: reduce)";
const WIDE_QUERY: &str = "(min-width: 960px)";

/// Wall-clock ms a slice of the challenge's scoring run may take before the page
/// gets the thread back.
const CHECK_SLICE_MS: f64 = 30.0;
/// Chart canvases: each chart kind per second and per minute.
const CHART_CANVASES: usize = ChartKind::ALL.len() * 2;
/// Charts repainted in each playing frame, in turn, of those on screen.
const CHARTS_PER_FRAME: usize = 1;
/// Charts off screen whose newest value (`data-latest`) each playing frame updates, in
/// the same turn, without drawing them.
const CHARTS_OFF_SCREEN_PER_FRAME: usize = 2;
/// Journal entries the log shows.
const LOG_LINES_MAX: usize = 150;

/// The reader's choice of colours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ThemeChoice {
    /// Follow the system (prefers-color-scheme).
    Auto,
    Light,
    Dark,
}

impl ThemeChoice {
    fn next(self) -> Self {
        match self {
            ThemeChoice::Auto => ThemeChoice::Light,
            ThemeChoice::Light => ThemeChoice::Dark,
            ThemeChoice::Dark => ThemeChoice::Auto,
        }
    }

    fn label(self) -> &'static str {
        match self {
            ThemeChoice::Auto => "Theme: system",
            ThemeChoice::Light => "Theme: light",
            ThemeChoice::Dark => "Theme: dark",
        }
    }
}

pub enum Msg {
    /// An animation frame, stamped in ms.
    Frame(f64),
    Time(TimeAction),
    SelectScenario(usize),
    Control(crate::view::page::Action),
    /// Rebuild and replay now that "replaying…" is on screen.
    Replay,
    Pick(Pick),
    TableOpen(bool),
    CycleTheme,
    /// Open (true) or close the side-by-side comparison.
    Compare(bool),
    /// A lesson's "Try it": Compare side by side with its fix chosen.
    TryIt(crate::view::compare::Variation),
    /// The window or the colour scheme changed: paint the pictures again.
    Repaint,
    /// The page scrolled: a paused picture paints the rows now in view.
    Scrolled,
    Lesson(LessonAction),
    /// "Check my settings": score the challenge.
    CheckChallenge,
    /// Another slice of the challenge's scoring run.
    CheckSlice,
    /// A presenter-mode key or button (`p` enters the mode).
    Present(Act),
    /// Links, embedding, export and the AWS bridge (`share_app.rs`).
    Share(ShareMsg),
    /// Follow the record under a click on the stream picture: x, y, picture width.
    FollowAt(f64, f64, f64),
    /// Follow the newest record with this partition key.
    FollowKey(String),
    StopFollowing,
    /// Show (true) or close the start card of a first visit.
    StartCard(bool),
    /// Show (true) or close the list of keys (`?`).
    KeysHelp(bool),
    /// Close the callout by a clicked record.
    CloseCallout,
    /// Scroll the followed record's whole path into view.
    ShowPath,
}

/// What the key listener needs to know of presenter mode.
#[derive(Debug, Default)]
struct PresentFlags {
    on: Cell<bool>,
    /// Digits typed, waiting for Enter.
    typing: Cell<bool>,
    /// The screen is blanked: any key shows it again.
    blank: Cell<bool>,
}

pub struct App {
    choices: Vec<Choice>,
    selected: usize,
    /// The page's state for the selected scenario.
    page: Page,
    /// The pending animation frame; dropping it cancels the loop.
    frame: Option<AnimationFrame>,
    _replay_timer: Option<Timeout>,
    highlight: Highlight,
    /// The log entry chosen, by number.
    selected_entry: Option<u64>,
    table_open: bool,
    /// The side-by-side comparison is open in place of the playground.
    comparing: bool,
    /// The comparison Compare opens with (a lesson's "Try it"), if not its first preset.
    compare_with: Option<crate::view::compare::Variation>,
    theme: ThemeChoice,
    /// The playing frame that refreshed the DOM and paints after it.
    frame_open: Option<FrameOpen>,
    /// The first chart the next playing frame repaints.
    chart_turn: Cell<usize>,
    /// Where the last playing frames' work went (the footer's `data-split`).
    split: FrameSplit,
    /// When the open frame handed the DOM its refresh, wall-clock ms.
    dom_from_ms: f64,
    stream_canvas: NodeRef,
    concurrency_canvas: NodeRef,
    chart_canvases: Vec<NodeRef>,
    /// Why the last try to follow a record failed.
    trace_error: Option<String>,
    /// Where the reader last clicked the picture to follow a record (x, y, width), for
    /// the callout there.
    follow_click: Option<(f64, f64, f64)>,
    _listeners: Vec<EventListener>,
    /// The challenge's scoring run, while it runs; started at this wall-clock ms.
    checking: Option<(Checking, f64)>,
    check_state: CheckState,
    _check_timer: Option<Timeout>,
    present_flags: Rc<PresentFlags>,
    share: ShareState,
    /// The start card of a first visit (a link naming no scenario) is shown.
    start_card: bool,
    /// The list of keys (`?`) is open.
    keys_help: bool,
    /// The picker's groups and the start card's paths, computed once.
    picker_groups: Groups,
    start_paths: Rc<Vec<crate::view::start::Path>>,
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

fn media(query: &str) -> Option<MediaQueryList> {
    web_sys::window()?.match_media(query).ok().flatten()
}

fn matches(query: &str) -> bool {
    media(query).is_some_and(|m| m.matches())
}

impl Component for App {
    type Message = Msg;
    type Properties = ();

    fn create(ctx: &Context<Self>) -> Self {
        let choices = scenarios::choices();
        let original = choices
            .first()
            .and_then(|c| c.scenario.as_ref().ok())
            .cloned();
        let page = Page::new(original.clone(), original.as_ref());
        let table_open = page
            .run
            .as_ref()
            .is_some_and(|r| r.snapshot.shards.len() <= TABLE_OPEN_SHARDS_MAX);
        let present_flags = Rc::new(PresentFlags::default());
        let (picker_groups, start_paths) = groups_and_paths(&choices);
        let mut app = App {
            choices,
            selected: 0,
            page,
            frame: None,
            _replay_timer: None,
            highlight: Highlight::default(),
            selected_entry: None,
            table_open,
            comparing: false,
            compare_with: None,
            theme: ThemeChoice::Auto,
            frame_open: None,
            chart_turn: Cell::new(0),
            split: FrameSplit::default(),
            dom_from_ms: 0.0,
            stream_canvas: NodeRef::default(),
            concurrency_canvas: NodeRef::default(),
            chart_canvases: (0..CHART_CANVASES).map(|_| NodeRef::default()).collect(),
            trace_error: None,
            follow_click: None,
            _listeners: repaint_listeners(ctx, &present_flags),
            share: ShareState::default(),
            checking: None,
            check_state: CheckState::Idle,
            _check_timer: None,
            present_flags,
            start_card: false,
            keys_help: false,
            picker_groups,
            start_paths,
        };
        let start = app.open_link(ctx);
        app.start_card =
            !app.share.embed.on && crate::view::start::shows_card(&super::share::location_query());
        // A link may open a scenario with a lesson: it starts at its introduction. An
        // embed is the picture unless its link asks for the lesson (`lesson=`).
        if start.lesson {
            app.page.open_lesson();
        }
        // Motion is the point of the page, but not for readers who asked for less.
        if start.autoplay
            && !matches(REDUCED_MOTION_QUERY)
            && app.page.lesson.is_none()
            && !start.present
        {
            app.drive(ctx, Input::Play);
        }
        if start.present {
            app.drive(ctx, Input::Present(Act::Toggle));
        }
        app
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Frame(at_ms) => {
                self.frame = None;
                let input = Input::Frame {
                    at_ms,
                    reduced_motion: matches(REDUCED_MOTION_QUERY),
                };
                return self.drive(ctx, input);
            }
            Msg::Time(a) => return self.drive(ctx, Input::Time(a)),
            Msg::SelectScenario(index) => {
                if index < self.choices.len() {
                    self.start_card = false;
                    self.selected = index;
                    self.highlight = Highlight::default();
                    self.selected_entry = None;
                    self.checking = None;
                    self._check_timer = None;
                    self.check_state = CheckState::Idle;
                    let original = self
                        .choices
                        .get(index)
                        .and_then(|c| c.scenario.as_ref().ok())
                        .cloned();
                    // A new page model for the new scenario; the reader's choices
                    // for the whole page go with it.
                    let old = std::mem::replace(&mut self.page, Page::new(None, None));
                    let (page, effects) = old.chosen(original);
                    self.page = page;
                    self.follow_click = None;
                    if let Some(run) = &self.page.run {
                        self.table_open = run.snapshot.shards.len() <= TABLE_OPEN_SHARDS_MAX;
                    }
                    self.carry_out(ctx, effects);
                }
            }
            Msg::Control(a) => return self.drive(ctx, Input::Control(a)),
            Msg::Replay => self.replay(ctx),
            Msg::Pick(pick) => {
                self.selected_entry = pick.map(|(n, _)| n);
                self.highlight = pick.map(|(_, h)| h).unwrap_or_default();
                self.paint();
            }
            Msg::TableOpen(open) => {
                if open == self.table_open {
                    return false;
                }
                self.table_open = open;
            }
            Msg::CycleTheme => {
                self.theme = self.theme.next();
                self.apply_theme();
            }
            Msg::Compare(open) => {
                if open && self.page.presenter.is_some() {
                    self.drive(ctx, Input::Present(Act::Toggle));
                }
                if open && self.page.run.is_some() {
                    self.pause();
                    self.comparing = true;
                } else {
                    self.comparing = false;
                    self.compare_with = None;
                }
            }
            Msg::TryIt(variation) => {
                self.compare_with = Some(variation);
                return Component::update(self, ctx, Msg::Compare(true));
            }
            Msg::Repaint => {
                self.paint();
                return false;
            }
            Msg::Scrolled => {
                // A playing page paints the rows in view in its next frame.
                if !self.page.playing {
                    self.paint_pictures();
                }
                return false;
            }
            Msg::Lesson(action) => return self.drive(ctx, Input::Lesson(action)),
            Msg::CheckChallenge => self.check_challenge(ctx),
            Msg::CheckSlice => self.check_slice(ctx),
            Msg::Present(act) => {
                if act == Act::Toggle && self.page.presenter.is_none() && self.comparing {
                    return false;
                }
                return self.drive(ctx, Input::Present(act));
            }
            Msg::Share(m) => self.on_share(ctx, m),
            Msg::FollowAt(x, y, width) => {
                self.follow_click = Some((x, y, width));
                let found = self.page.run.as_ref().and_then(|r| {
                    // Read at the scale it was painted: by the canvas's width, as the
                    // painting and the charts reckon it.
                    let input = picture::StreamInput {
                        text_px: picture::text_px_for(width, self.page.presenter.is_some()),
                        ..picture::StreamInput::from_snapshot(&r.snapshot, self.highlight)
                    };
                    picture::record_at_point(&input, width, x, y)
                });
                self.follow(
                    found.ok_or_else(|| {
                        "No record there: click on the records of a lane.".to_string()
                    }),
                );
            }
            Msg::CloseCallout => self.follow_click = None,
            Msg::ShowPath => {
                if let Some(panel) = web_sys::window().and_then(|w| w.document()).and_then(|d| {
                    d.query_selector("[data-testid=\"trace-panel\"]")
                        .ok()
                        .flatten()
                }) {
                    panel.scroll_into_view();
                }
                return false;
            }
            Msg::FollowKey(key) => {
                self.follow_click = None;
                let found = self.page.run.as_ref().map_or_else(
                    || Err("Nothing is running.".to_string()),
                    |r| r.sim.find_record(&key),
                );
                self.follow(found);
            }
            Msg::StartCard(open) => self.start_card = open,
            Msg::KeysHelp(open) => {
                if open == self.keys_help {
                    return false;
                }
                self.keys_help = open;
            }
            Msg::StopFollowing => {
                self.trace_error = None;
                self.follow_click = None;
                if let Some(run) = &mut self.page.run {
                    run.sim.unfollow();
                }
                self.paint();
            }
        }
        true
    }

    fn rendered(&mut self, _ctx: &Context<Self>, _first_render: bool) {
        if let Some(open) = self.frame_open.take() {
            // A playing frame that refreshed the DOM paints once, here, after it: in
            // full if the frame paused the run, so that every chart shows where it stopped.
            self.split.add(Part::Dom, now_ms() - self.dom_from_ms);
            if self.page.playing {
                self.paint_playing();
            } else {
                let painted = now_ms();
                self.paint();
                self.split.add(Part::Pictures, now_ms() - painted);
            }
            self.finish_frame(open);
        } else {
            self.paint();
        }
        self.share_rendered();
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        self.html(ctx)
    }
}

impl App {
    /// Gives the page an input, on the browser's clock, and carries out what it asks.
    /// Returns whether the DOM should be refreshed.
    fn drive(&mut self, ctx: &Context<Self>, input: Input) -> bool {
        let effects = self.page.input(input, &mut now_ms);
        self.carry_out(ctx, effects)
    }

    /// Turns the page's effects into animation frames, timers, paint and full screen.
    fn carry_out(&mut self, ctx: &Context<Self>, effects: Effects) -> bool {
        if !effects.frame {
            self.frame = None;
        } else if self.frame.is_none() {
            let link = ctx.link().clone();
            self.frame = Some(request_animation_frame(move |frame_ms| {
                link.send_message(Msg::Frame(frame_ms));
            }));
        }
        if let Some(ms) = effects.replay_after_ms {
            let link = ctx.link().clone();
            self._replay_timer = Some(Timeout::new(ms, move || link.send_message(Msg::Replay)));
        }
        match effects.fullscreen {
            Some(true) if !request_fullscreen() => {
                self.page.notice =
                    Some("This browser does not allow full screen here.".to_string());
            }
            Some(false) => exit_fullscreen(),
            _ => {}
        }
        let presenter = self.page.presenter.as_ref();
        self.present_flags.on.set(presenter.is_some());
        self.present_flags
            .typing
            .set(presenter.is_some_and(|p| p.typing()));
        self.present_flags
            .blank
            .set(presenter.is_some_and(|p| p.blank));
        if let Some(open) = effects.frame_open {
            let t = now_ms();
            self.split.add(Part::Simulation, open.moved - open.started);
            self.split.add(Part::Snapshot, t - open.moved);
            self.dom_from_ms = t;
        }
        match (effects.frame_open, effects.render) {
            // Painted once, after the DOM (`rendered`).
            (Some(open), true) => self.frame_open = Some(open),
            (Some(open), false) => {
                self.paint_playing();
                self.finish_frame(open);
            }
            (None, false) if effects.paint => self.paint(),
            _ => {}
        }
        effects.render
    }

    /// A playing frame is painted: its figures, and its parts'.
    fn finish_frame(&mut self, open: FrameOpen) {
        self.page.frame_done(open, now_ms());
        self.split.frame_done();
        // The page started new figures (a new speed, a restart): so do the parts.
        if self.page.work.len() < self.split.frames() {
            self.split.clear();
        }
    }

    fn pause(&mut self) {
        self.page.pause();
        self.frame = None;
    }

    /// The delayed replay: rebuilt, with an embed's still picture computed on the way.
    fn replay(&mut self, ctx: &Context<Self>) {
        self._replay_timer = None;
        let shards_before = self
            .page
            .run
            .as_ref()
            .map_or(0, |r| r.snapshot.shards.len());
        let share = &mut self.share;
        let effects = self
            .page
            .replay_with(&mut now_ms, &mut |sim| share.still_after_replay(sim));
        let shards_after = self
            .page
            .run
            .as_ref()
            .map_or(0, |r| r.snapshot.shards.len());
        if shards_after != shards_before {
            self.table_open = shards_after <= TABLE_OPEN_SHARDS_MAX;
        }
        self.carry_out(ctx, effects);
    }

    /// Rebuilds `next` at the same moment, "replaying…" on screen first.
    fn schedule_replay(&mut self, ctx: &Context<Self>, next: Scenario) {
        self.page.schedule_replay(next);
        let effects = self.page.take_effects();
        self.carry_out(ctx, effects);
    }

    fn challenge(&self) -> Option<&crate::sim::Challenge> {
        self.choices
            .get(self.selected)?
            .scenario
            .as_ref()
            .ok()?
            .challenge
            .as_ref()
    }

    /// Scores the reader's settings: the challenge's scenario with the allowed settings
    /// taken from the run, on its seed, run headless in slices between frames.
    fn check_challenge(&mut self, ctx: &Context<Self>) {
        let original = self
            .choices
            .get(self.selected)
            .and_then(|c| c.scenario.as_ref().ok());
        let (Some(original), Some(run)) = (original, &self.page.run) else {
            return;
        };
        let Some(c) = original.challenge.as_ref() else {
            return;
        };
        match scored_scenario(original, run.sim.current_scenario(), c) {
            Err(e) => self.check_state = CheckState::Refused(e),
            Ok(scored) => {
                self.checking = Some((Checking::new(&scored, c), now_ms()));
                self.check_state = CheckState::Running(0.0);
                let link = ctx.link().clone();
                self._check_timer =
                    Some(Timeout::new(0, move || link.send_message(Msg::CheckSlice)));
            }
        }
    }

    fn check_slice(&mut self, ctx: &Context<Self>) {
        self._check_timer = None;
        let Some((checking, started)) = &mut self.checking else {
            return;
        };
        let deadline = now_ms() + CHECK_SLICE_MS;
        loop {
            if let Some(score) = checking.advance(EVENTS_PER_SLICE) {
                let took = now_ms() - *started;
                if let Some((checking, _)) = self.checking.take() {
                    self.check_state = CheckState::Done(score, checking.settings, took);
                }
                return;
            }
            if now_ms() > deadline {
                break;
            }
        }
        self.check_state = CheckState::Running(checking.progress());
        let link = ctx.link().clone();
        self._check_timer = Some(Timeout::new(0, move || link.send_message(Msg::CheckSlice)));
    }

    fn dark(&self) -> bool {
        match self.theme {
            ThemeChoice::Auto => matches(DARK_QUERY),
            ThemeChoice::Light => false,
            ThemeChoice::Dark => true,
        }
    }

    fn apply_theme(&self) {
        let root = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element());
        if let Some(root) = root {
            let result = match self.theme {
                ThemeChoice::Auto => root.remove_attribute("data-theme"),
                ThemeChoice::Light => root.set_attribute("data-theme", "light"),
                ThemeChoice::Dark => root.set_attribute("data-theme", "dark"),
            };
            if let Err(e) = result {
                gloo::console::error!("setting the theme failed:", e);
            }
        }
    }

    /// Follows the record at `found` (shard, index) through the mapping the controls
    /// are set to: the run
    /// is replayed from the start with the trace on, to the same moment.
    fn follow(&mut self, found: Result<(u32, u64), String>) {
        self.trace_error = None;
        let Some(run) = &self.page.run else {
            return;
        };
        if run.snapshot.mappings.is_empty() {
            self.trace_error = Some(
                "No event source mapping reads this stream, so a record has no path yet: inject a pill or add a mapping first.".to_string(),
            );
            return;
        }
        let (shard, index) = match found {
            Ok(f) => f,
            Err(e) => {
                self.trace_error = Some(e);
                return;
            }
        };
        let scenario = run.sim.current_scenario().clone();
        let mapping = self
            .page
            .target_mapping
            .min(run.snapshot.mappings.len() - 1);
        match trace::follow_in_replay(&scenario, &run.sim, shard, index, mapping) {
            Ok(sim) => {
                let table_open = self.table_open;
                self.page.start(Some(sim));
                self.table_open = table_open;
            }
            Err(e) => self.trace_error = Some(e),
        }
        self.paint();
    }
}

/// Keys that work anywhere but in a form field: Space or K plays and pauses, "." steps
/// one second, N runs to the next interesting event.
fn shortcut(event: &KeyboardEvent) -> Option<TimeAction> {
    if event.ctrl_key() || event.meta_key() || event.alt_key() {
        return None;
    }
    let in_field = event
        .target()
        .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
        .is_some_and(|el| {
            matches!(
                el.tag_name().as_str(),
                "INPUT" | "SELECT" | "TEXTAREA" | "BUTTON" | "SUMMARY"
            )
        });
    if in_field {
        return None;
    }
    match event.key().as_str() {
        " " | "k" | "K" => Some(TimeAction::TogglePlay),
        "." => Some(TimeAction::Step),
        "n" | "N" => Some(TimeAction::Seek),
        _ => None,
    }
}

/// The key went to a field that types or picks with keys (a radio button does not
/// count: a clicker's Space must still move the talk on).
fn in_form_field(event: &KeyboardEvent) -> bool {
    event
        .target()
        .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
        .is_some_and(|el| match el.tag_name().as_str() {
            "SELECT" | "TEXTAREA" => true,
            "INPUT" => !matches!(
                el.get_attribute("type").as_deref(),
                Some("radio" | "checkbox" | "button")
            ),
            _ => false,
        })
}

/// Repaints the pictures when the window resizes or the colour scheme changes, and
/// listens for the time controls' keys.
fn repaint_listeners(ctx: &Context<App>, flags: &Rc<PresentFlags>) -> Vec<EventListener> {
    let mut listeners = Vec::new();
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        let link = ctx.link().clone();
        let flags = Rc::clone(flags);
        let options = EventListenerOptions::enable_prevent_default();
        listeners.push(EventListener::new_with_options(
            &document,
            "keydown",
            options,
            move |e| {
                let Some(key) = wasm_bindgen::JsCast::dyn_ref::<KeyboardEvent>(e) else {
                    return;
                };
                let name = key.key();
                let k = PresenterKey {
                    key: &name,
                    in_field: in_form_field(key),
                    modified: key.ctrl_key() || key.meta_key() || key.alt_key(),
                };
                if flags.on.get() {
                    // Presenter mode: its keys take over.
                    if let Some(act) = act_for(k, flags.typing.get(), flags.blank.get()) {
                        if takes_key(k) {
                            key.prevent_default();
                        }
                        link.send_message(Msg::Present(act));
                    }
                    return;
                }
                if enters(k) {
                    key.prevent_default();
                    link.send_message(Msg::Present(Act::Toggle));
                } else if name == "?" && !k.in_field && !k.modified {
                    key.prevent_default();
                    link.send_message(Msg::KeysHelp(true));
                } else if let Some(action) = shortcut(key) {
                    key.prevent_default();
                    link.send_message(Msg::Time(action));
                }
            },
        ));
    }
    if let Some(window) = web_sys::window() {
        let link = ctx.link().clone();
        listeners.push(EventListener::new(&window, "resize", move |_| {
            link.send_message(Msg::Repaint);
        }));
        let link = ctx.link().clone();
        listeners.push(EventListener::new(&window, "scroll", move |_| {
            link.send_message(Msg::Scrolled);
        }));
    }
    if let Some(dark) = media(DARK_QUERY) {
        let link = ctx.link().clone();
        listeners.push(EventListener::new(&dark, "change", move |_| {
            link.send_message(Msg::Repaint);
        }));
    }
    listeners
}
