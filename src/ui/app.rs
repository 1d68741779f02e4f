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
use super::lesson_challenge::ChallengePanel;
use super::log::EventLog;
use super::paint::{self, ChartLimits, Resolution, Theme};
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
use crate::view::lesson_challenge::settings_scored;
use crate::view::pace::speed_index;
use crate::view::page::chart_turn::{chart_at, ChartTurn, ChartWork, CHART_CANVASES};
use crate::view::page::check::Check;
use crate::view::page::follow::{self, Follow, FollowAction, FollowEffect};
use crate::view::page::keys::{self, Key, KeyAct, Presenting};
use crate::view::page::panels::{shard_count, PanelAction, Panels};
use crate::view::page::{Effects, FrameOpen, Input, Page, TimeAction};
use crate::view::picture::{self, DARK, LIGHT};
use crate::view::presenter::Act;
use crate::view::scenarios::{self, Choice};
use crate::view::table;
use crate::view::timebar::Breakpoints;
use crate::view::trace;
use share_app::{ShareMsg, ShareState};

mod share_app;
mod view;

const DARK_QUERY: &str = "(prefers-color-scheme: dark)";
const REDUCED_MOTION_QUERY: &str = "(prefers-reduced-motion: reduce)";
const WIDE_QUERY: &str = "(min-width: 960px)";

/// Journal entries the log shows.
const LOG_LINES_MAX: usize = 150;

pub enum Msg {
    /// An animation frame, stamped in ms.
    Frame(f64),
    Time(TimeAction),
    SelectScenario(usize),
    Control(crate::view::page::Action),
    /// Rebuild and replay now that "replaying…" is on screen.
    Replay,
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
    /// The start card, the keys, the table, the theme, a log entry picked.
    Panel(PanelAction),
    /// Following a record (a click on the picture, a key typed), its callout.
    Follow(FollowAction),
}

pub struct App {
    choices: Vec<Choice>,
    selected: usize,
    /// The page's state for the selected scenario.
    page: Page,
    /// The theme, the start card, the keys, the table, the comparison, the pick.
    panels: Panels,
    /// The followed record: why it failed, where it was clicked.
    follow: Follow,
    /// The challenge's "Check my settings".
    check: Check,
    share: ShareState,
    /// The pending animation frame; dropping it cancels the loop.
    frame: Option<AnimationFrame>,
    _replay_timer: Option<Timeout>,
    _check_timer: Option<Timeout>,
    /// The playing frame that refreshed the DOM and paints after it.
    frame_open: Option<FrameOpen>,
    /// Which charts the next playing frame paints.
    chart_turn: ChartTurn,
    /// Where the last playing frames' work went (the footer's `data-split`).
    split: FrameSplit,
    /// When the open frame handed the DOM its refresh, wall-clock ms.
    dom_from_ms: f64,
    stream_canvas: NodeRef,
    concurrency_canvas: NodeRef,
    chart_canvases: Vec<NodeRef>,
    _listeners: Vec<EventListener>,
    /// What the key listener needs to know of presenter mode.
    presenting: Rc<Cell<Presenting>>,
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
        let query = super::share::location_query();
        let opening = crate::view::page::share::open(&query, &choices);
        let presenting = Rc::new(Cell::new(Presenting::default()));
        let (picker_groups, start_paths) = groups_and_paths(&choices);
        let panels = Panels {
            start_card: !opening.share.embed.on && crate::view::start::shows_card(&query),
            table_open: Panels::table_opens(&opening.page),
            ..Panels::default()
        };
        let mut app = App {
            choices,
            selected: opening.selected,
            page: opening.page,
            panels,
            follow: Follow::default(),
            check: Check::default(),
            share: ShareState::new(opening.share),
            frame: None,
            _replay_timer: None,
            _check_timer: None,
            frame_open: None,
            chart_turn: ChartTurn::default(),
            split: FrameSplit::default(),
            dom_from_ms: 0.0,
            stream_canvas: NodeRef::default(),
            concurrency_canvas: NodeRef::default(),
            chart_canvases: (0..CHART_CANVASES).map(|_| NodeRef::default()).collect(),
            _listeners: repaint_listeners(ctx, &presenting),
            presenting,
            picker_groups,
            start_paths,
        };
        if app.share.state.embed.on {
            app.open_embedded(ctx);
        }
        if let Some(effects) = opening.effects {
            app.carry_out(ctx, effects);
        }
        let start = opening.start;
        // A link may open a scenario with a lesson: it starts at its introduction. An
        // embed is the picture unless its link asks for the lesson (`lesson=`).
        if start.lesson {
            app.page.open_lesson();
        }
        if start.plays(&app.page, matches(REDUCED_MOTION_QUERY)) {
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
                    self.selected = index;
                    self.check = Check::default();
                    self._check_timer = None;
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
                    self.follow.click = None;
                    self.panels.chosen(&self.page);
                    self.carry_out(ctx, effects);
                }
            }
            Msg::Control(a) => return self.drive(ctx, Input::Control(a)),
            Msg::Replay => self.replay(ctx),
            Msg::Panel(action) => {
                let effects = self.panels.act(action);
                if effects.theme {
                    self.apply_theme();
                }
                if effects.paint {
                    self.paint();
                }
                return effects.render;
            }
            Msg::Compare(open) => {
                if self.panels.compare(open, &self.page) {
                    self.drive(ctx, Input::Present(Act::Toggle));
                }
                if self.panels.comparing {
                    self.pause();
                }
            }
            Msg::TryIt(variation) => {
                self.panels.compare_with = Some(variation);
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
            Msg::CheckChallenge => {
                let original = self
                    .choices
                    .get(self.selected)
                    .and_then(|c| c.scenario.as_ref().ok());
                if let (Some(original), Some(current)) = (original, self.page.scenario()) {
                    if self.check.start(original, current, now_ms()) {
                        self.check_later(ctx);
                    }
                }
            }
            Msg::CheckSlice => {
                self._check_timer = None;
                if self.check.slice(&mut now_ms) {
                    self.check_later(ctx);
                }
            }
            Msg::Present(act) => {
                if !self.panels.takes_present(act, &self.page) {
                    return false;
                }
                return self.drive(ctx, Input::Present(act));
            }
            Msg::Share(m) => self.on_share(ctx, m),
            Msg::Follow(action) => {
                match self
                    .follow
                    .act(action, &mut self.page, self.panels.highlight)
                {
                    FollowEffect::Paint => self.paint(),
                    FollowEffect::Render => {}
                    FollowEffect::ScrollToPath => {
                        if let Some(panel) =
                            web_sys::window().and_then(|w| w.document()).and_then(|d| {
                                d.query_selector("[data-testid=\"trace-panel\"]")
                                    .ok()
                                    .flatten()
                            })
                        {
                            panel.scroll_into_view();
                        }
                        return false;
                    }
                }
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
                self.paint_playing(open.pictures);
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
        self.presenting.set(Presenting {
            on: presenter.is_some(),
            typing: presenter.is_some_and(|p| p.typing()),
            blank: presenter.is_some_and(|p| p.blank),
        });
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
                self.paint_playing(open.pictures);
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
        let shards_before = shard_count(&self.page);
        let share = &mut self.share.state;
        let effects = self
            .page
            .replay_with(&mut now_ms, &mut |sim| share.still_after_replay(sim));
        self.panels.replayed(&self.page, shards_before);
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

    /// Another slice of the challenge's scoring run, once the page has had the thread.
    fn check_later(&mut self, ctx: &Context<Self>) {
        let link = ctx.link().clone();
        self._check_timer = Some(Timeout::new(0, move || link.send_message(Msg::CheckSlice)));
    }

    fn dark(&self) -> bool {
        self.panels.theme.dark(matches(DARK_QUERY))
    }

    fn apply_theme(&self) {
        let root = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element());
        if let Some(root) = root {
            let result = match self.panels.theme.attribute() {
                None => root.remove_attribute("data-theme"),
                Some(theme) => root.set_attribute("data-theme", theme),
            };
            if let Err(e) = result {
                gloo::console::error!("setting the theme failed:", e);
            }
        }
    }
}

/// The key as the page reads it: whether it went to a field that types or picks with
/// keys (a radio button does not count: a clicker's Space must still move the talk
/// on), or to any control at all.
fn read_key<'a>(event: &KeyboardEvent, name: &'a str) -> Key<'a> {
    let target = event
        .target()
        .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok());
    let tag = target.as_ref().map(web_sys::Element::tag_name);
    let in_field = match tag.as_deref() {
        Some("SELECT" | "TEXTAREA") => true,
        Some("INPUT") => !matches!(
            target.and_then(|el| el.get_attribute("type")).as_deref(),
            Some("radio" | "checkbox" | "button")
        ),
        _ => false,
    };
    Key {
        key: name,
        in_field,
        on_control: matches!(
            tag.as_deref(),
            Some("INPUT" | "SELECT" | "TEXTAREA" | "BUTTON" | "SUMMARY")
        ),
        modified: event.ctrl_key() || event.meta_key() || event.alt_key(),
    }
}

/// Repaints the pictures when the window resizes or the colour scheme changes, and
/// listens for the time controls' keys.
fn repaint_listeners(ctx: &Context<App>, flags: &Rc<Cell<Presenting>>) -> Vec<EventListener> {
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
                let Some((act, prevent)) = keys::act(read_key(key, &name), flags.get()) else {
                    return;
                };
                if prevent {
                    key.prevent_default();
                }
                link.send_message(match act {
                    KeyAct::Present(act) => Msg::Present(act),
                    KeyAct::KeysHelp => Msg::Panel(PanelAction::KeysHelp(true)),
                    KeyAct::Time(action) => Msg::Time(action),
                });
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
