//! The page: the clock and time controls at the top, the controls on the left, the
//! stream and concurrency pictures in the middle with the charts under them, the event
//! log on the right, and the shard table.
//!
//! One component owns the running [`Simulation`]. While playing (or seeking), it
//! re-requests an animation frame each frame and keeps the handle, so pausing
//! (dropping the handle) cancels the loop. Each frame turns wall-clock time into
//! simulated time (`pace.rs`), moves the simulation within a wall-clock budget, and
//! paints the canvases; the DOM (text, table, log) is refreshed at most ten times a
//! second, so the frame's work stays with the simulation and the pictures.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::rc::Rc;

use gloo::events::{EventListener, EventListenerOptions};
use gloo::render::{request_animation_frame, AnimationFrame};
use gloo::timers::callback::Timeout;
use web_sys::{HtmlCanvasElement, HtmlSelectElement, MediaQueryList};
use yew::prelude::*;

use super::compare::Compare;
use super::controls::{Action, Controls};
use super::lesson::LessonPanel;
use super::lesson_challenge::{ChallengePanel, CheckState};
use super::log::{EventLog, Pick};
use super::paint::{self, ChartKind, ChartLimits, Highlight, Resolution, Theme};
use super::presenter::{self as present_ui, PresenterChrome};
use super::table::ShardTable;
use super::timebar::{TimeAction, Timebar};
use super::trace::TracePanel;
use crate::sim::metrics::Metric;
use crate::sim::{Command, Scenario, SimDuration, SimTime, Simulation, Snapshot};
use crate::view::embed;
use crate::view::format::{grouped, grouped_f64};
use crate::view::knobs::{self, Change, KnobId, Target};
use crate::view::lanes::{self, DARK, LIGHT};
use crate::view::lesson::{LessonAction, Player};
use crate::view::lesson_challenge::{self as challenge, Checking};
use crate::view::pace::{speed_index, speed_label, Pace, SPEEDS, SPEED_DEFAULT};
use crate::view::presenter::{self as presenting, Act, Effect, Presenter, PresenterKey};
use crate::view::scenarios::{self, Choice};
use crate::view::table::{self, TABLE_OPEN_SHARDS_MAX};
use crate::view::timebar::{self as tb, Breakpoints, FrameWork, Jump, PillRate, Seek};
use crate::view::trace as follow;
use share_app::{ShareMsg, ShareState};

#[path = "share_app.rs"]
mod share_app;

const DARK_QUERY: &str = "(prefers-color-scheme: dark)";
const REDUCED_MOTION_QUERY: &str = "(prefers-reduced-motion: reduce)";
const WIDE_QUERY: &str = "(min-width: 960px)";

/// Wall-clock ms a frame may spend moving the simulation; the rest is for painting.
const STEP_BUDGET_MS: f64 = 6.0;
/// Events per `run_until` call inside a frame, so the budget is checked often.
const EVENTS_PER_SLICE: usize = 1_000;
/// The DOM is refreshed at most this often while running, in wall-clock ms.
const RENDER_EVERY_MS: f64 = 100.0;
/// With reduced motion, the page changes at most this often, in wall-clock ms.
const REDUCED_MOTION_STEP_MS: f64 = 1_000.0;
/// Wall-clock ms a slice of the challenge's scoring run may take before the page
/// gets the thread back.
const CHECK_SLICE_MS: f64 = 30.0;
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
    Control(Action),
    /// Rebuild and replay now that "replaying…" is on screen.
    Replay,
    Pick(Pick),
    TableOpen(bool),
    CycleTheme,
    /// Open (true) or close the side-by-side comparison.
    Compare(bool),
    /// The window or the colour scheme changed: paint the pictures again.
    Repaint,
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
}

/// What the key listener needs to know of presenter mode.
#[derive(Debug, Default)]
struct PresentFlags {
    on: Cell<bool>,
    /// Digits typed, waiting for Enter.
    typing: Cell<bool>,
}

/// A scenario being simulated, with its latest snapshot.
struct Run {
    sim: Simulation,
    snapshot: Snapshot,
}

impl Run {
    fn new(sim: Simulation) -> Self {
        let snapshot = sim.snapshot();
        Run { sim, snapshot }
    }

    fn finished(&self) -> bool {
        self.sim.is_finished()
    }
}

pub struct App {
    choices: Vec<Choice>,
    selected: usize,
    /// `None` when the selected scenario failed to parse.
    run: Option<Run>,
    playing: bool,
    seek: Option<Seek>,
    speed: f64,
    pace: Pace,
    /// The last frame ran out of its budget: the run is slower than `speed`.
    behind: bool,
    /// The pending animation frame; dropping it cancels the loop.
    frame: Option<AnimationFrame>,
    /// A rebuilt scenario waiting to be replayed to this moment.
    pending: Option<(Scenario, SimTime)>,
    _replay_timer: Option<Timeout>,
    errors: BTreeMap<KnobId, String>,
    action_error: Option<String>,
    /// Said once, then cleared: where a seek stopped, what a replay took.
    notice: Option<String>,
    /// The polite live region's text: the newest milestone.
    narration: String,
    milestones_told: usize,
    pill_every_s: u32,
    pill_rate: Option<PillRate>,
    pills_injected: u64,
    /// A pill waits for the mapping being added.
    pending_pill: bool,
    /// The mapping whose settings the controls show and change.
    target_mapping: usize,
    /// The kinds of trouble to pause at, the first time they happen.
    breakpoints: Breakpoints,
    highlight: Highlight,
    /// The log entry chosen, by number.
    selected_entry: Option<u64>,
    table_open: bool,
    /// The side-by-side comparison is open in place of the playground.
    comparing: bool,
    theme: ThemeChoice,
    work: FrameWork,
    last_render_ms: f64,
    stream_canvas: NodeRef,
    concurrency_canvas: NodeRef,
    chart_canvases: Vec<NodeRef>,
    /// Why the last try to follow a record failed.
    trace_error: Option<String>,
    _listeners: Vec<EventListener>,
    /// The selected scenario's lesson, played or left for free play.
    lesson: Option<Player>,
    /// The challenge's scoring run, while it runs; started at this wall-clock ms.
    checking: Option<(Checking, f64)>,
    check_state: CheckState,
    _check_timer: Option<Timeout>,
    /// Presenter mode, when on.
    presenter: Option<Presenter>,
    present_flags: Rc<PresentFlags>,
    /// The lesson was made from the milestones for presenting, and goes with the mode.
    lesson_synthetic: bool,
    share: ShareState,
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
        let run = choices
            .first()
            .and_then(|c| c.scenario.as_ref().ok())
            .map(|s| Run::new(Simulation::new(s)));
        let table_open = run
            .as_ref()
            .is_some_and(|r| r.snapshot.shards.len() <= TABLE_OPEN_SHARDS_MAX);
        let present_flags = Rc::new(PresentFlags::default());
        let mut app = App {
            choices,
            selected: 0,
            run,
            playing: false,
            seek: None,
            speed: SPEED_DEFAULT,
            pace: Pace::default(),
            behind: false,
            frame: None,
            pending: None,
            _replay_timer: None,
            errors: BTreeMap::new(),
            action_error: None,
            notice: None,
            narration: String::new(),
            milestones_told: 0,
            pill_every_s: 0,
            pill_rate: None,
            pills_injected: 0,
            pending_pill: false,
            target_mapping: 0,
            breakpoints: Breakpoints::default(),
            highlight: Highlight::default(),
            selected_entry: None,
            table_open,
            comparing: false,
            theme: ThemeChoice::Auto,
            work: FrameWork::default(),
            last_render_ms: 0.0,
            stream_canvas: NodeRef::default(),
            concurrency_canvas: NodeRef::default(),
            chart_canvases: (0..ChartKind::ALL.len() * 2)
                .map(|_| NodeRef::default())
                .collect(),
            trace_error: None,
            _listeners: repaint_listeners(ctx, &present_flags),
            share: ShareState::default(),
            lesson: None,
            checking: None,
            check_state: CheckState::Idle,
            _check_timer: None,
            presenter: None,
            present_flags,
            lesson_synthetic: false,
        };
        let start = app.open_link(ctx);
        // A link may open a scenario with a lesson: it starts at its introduction. An
        // embed is the picture unless its link asks for the lesson (`lesson=`).
        let lesson_shown = start.lesson;
        app.lesson = app
            .choices
            .get(app.selected)
            .and_then(|c| c.scenario.as_ref().ok())
            .filter(|_| lesson_shown)
            .and_then(lesson_player);
        // Motion is the point of the page, but not for readers who asked for less.
        if start.autoplay
            && !matches(REDUCED_MOTION_QUERY)
            && app.lesson.is_none()
            && !start.present
        {
            app.play(ctx);
        }
        if start.present {
            app.enter_present();
        }
        app
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Frame(frame_ms) => return self.on_frame(ctx, frame_ms),
            Msg::Time(a) => self.on_time(ctx, a),
            Msg::SelectScenario(index) => {
                if index < self.choices.len() {
                    self.selected = index;
                    self.errors.clear();
                    self.action_error = None;
                    self.highlight = Highlight::default();
                    self.selected_entry = None;
                    self.pill_every_s = 0;
                    self.pill_rate = None;
                    self.pills_injected = 0;
                    self.target_mapping = 0;
                    let scenario = self
                        .choices
                        .get(index)
                        .and_then(|c| c.scenario.as_ref().ok())
                        .cloned();
                    self.lesson = scenario.as_ref().and_then(lesson_player);
                    self.lesson_synthetic = false;
                    if self.presenter.is_some() && self.lesson.is_none() {
                        self.lesson = scenario.as_ref().map(milestone_player);
                        self.lesson_synthetic = self.lesson.is_some();
                    }
                    if let (Some(presenter), Some(p)) = (&mut self.presenter, &self.lesson) {
                        presenter.chart = presenting::chart_for(p.lesson());
                    }
                    self.checking = None;
                    self._check_timer = None;
                    self.check_state = CheckState::Idle;
                    self.start(scenario.map(|s| Simulation::new(&s)));
                    if let Some(run) = &self.run {
                        self.table_open = run.snapshot.shards.len() <= TABLE_OPEN_SHARDS_MAX;
                    }
                    if self.lesson.is_some() {
                        // A lesson starts at its introduction.
                        self.pause();
                        self.narration = self
                            .lesson
                            .as_ref()
                            .map(Player::narration)
                            .unwrap_or_default();
                    } else if self.playing {
                        self.play(ctx);
                    }
                }
            }
            Msg::Control(a) => self.on_control(ctx, a),
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
                if open && self.presenter.is_some() {
                    self.leave_present();
                }
                if open && self.run.is_some() {
                    self.pause();
                    self.comparing = true;
                } else {
                    self.comparing = false;
                }
            }
            Msg::Repaint => {
                self.paint();
                return false;
            }
            Msg::Lesson(action) => self.on_lesson(ctx, action),
            Msg::CheckChallenge => self.check_challenge(ctx),
            Msg::CheckSlice => self.check_slice(ctx),
            Msg::Present(act) => self.on_present(ctx, act),
            Msg::Share(m) => self.on_share(ctx, m),
            Msg::FollowAt(x, y, width) => {
                let found = self
                    .run
                    .as_ref()
                    .and_then(|r| lanes::record_at_point(&r.snapshot.shards, width, x, y));
                self.follow(
                    found.ok_or_else(|| {
                        "No record there: click on the records of a lane.".to_string()
                    }),
                );
            }
            Msg::FollowKey(key) => {
                let found = self.run.as_ref().map_or_else(
                    || Err("Nothing is running.".to_string()),
                    |r| r.sim.find_record(&key),
                );
                self.follow(found);
            }
            Msg::StopFollowing => {
                self.trace_error = None;
                if let Some(run) = &mut self.run {
                    run.sim.unfollow();
                }
                self.paint();
            }
        }
        true
    }

    fn rendered(&mut self, _ctx: &Context<Self>, _first_render: bool) {
        self.paint();
        self.share_rendered();
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let snapshot = self.run.as_ref().map(|r| &r.snapshot);
        let now = snapshot.map_or_else(|| "--:--:--.---".to_string(), |s| s.now.to_string());
        let end = self.run.as_ref().map(|r| r.sim.end().to_string());
        let seed = self
            .run
            .as_ref()
            .map_or_else(|| "none".to_string(), |r| r.sim.seed().to_string());
        let on_scenario = link.callback(|e: Event| {
            Msg::SelectScenario(
                e.target_unchecked_into::<HtmlSelectElement>()
                    .value()
                    .parse()
                    .unwrap_or(0),
            )
        });
        let disabled = self.run.is_none();
        let scenario = self.run.as_ref().map(|r| r.sim.current_scenario().clone());

        let present_class = self.presenter.as_ref().map(|p| {
            if p.controls {
                "present present-controls"
            } else {
                "present"
            }
        });
        html! {
            <div class={classes!("app", present_class, self.share.embed.on.then_some("embedded"))} data-testid="app"
                data-present={self.presenter.is_some().to_string()}>
                <header class="topbar">
                    <h1 class="brand" data-testid="title">{ "Kinesis Playground" }</h1>
                    <div class="readouts">
                        if !self.comparing {
                        <div class="readout">
                            <span class="readout-label">{ "Simulated time" }</span>
                            <span class="readout-value num" data-testid="clock">{ now }</span>
                            if let Some(end) = end {
                                <span class="readout-of num">{ format!("of {end}") }</span>
                            }
                        </div>
                        }
                        <div class="readout">
                            <span class="readout-label">{ "Seed" }</span>
                            <span class="readout-value num" data-testid="seed">{ seed }</span>
                        </div>
                    </div>
                    <div class="topbar-actions">
                        if !self.comparing {
                            <button type="button" data-testid="open-compare" disabled={self.run.is_none()}
                                title="Run this scenario twice on the same seed under two settings, side by side"
                                onclick={link.callback(|_| Msg::Compare(true))}>
                                { "Compare side by side" }
                            </button>
                            <button type="button" class="present-toggle" data-testid="present"
                                aria-pressed={self.presenter.is_some().to_string()}
                                title="Presenter mode: large type, one chart, keys for clickers (P)"
                                onclick={link.callback(|_| Msg::Present(Act::Toggle))}>
                                { if self.presenter.is_some() { "Presenting" } else { "Present" } }
                            </button>
                        }
                        <button type="button" class="theme-toggle" data-testid="theme"
                            onclick={link.callback(|_| Msg::CycleTheme)}>
                            { self.theme.label() }
                        </button>
                    </div>
                </header>
                { self.view_link_problems(ctx) }
                if let (true, Some(scenario)) = (self.comparing, scenario.clone()) {
                    <main class="compare-layout">
                        <Compare {scenario} dark={self.dark()}
                            on_close={link.callback(|()| Msg::Compare(false))} />
                    </main>
                } else {
                <main class="layout">
                    if self.share.show != embed::Show::None {
                    <section class="time-area" aria-label="Time">
                        <Timebar playing={self.playing} seeking={self.seek.as_ref().is_some_and(|s| !s.jump)} {disabled}
                            speed_index={speed_index(self.speed)} status={self.status()}
                            now_s={snapshot.map_or(0, |s| s.now.second())}
                            end_s={self.run.as_ref().map_or(0, |r| r.sim.end().second())}
                            breakpoints={Breakpoints::kinds().map(|m| (m.label(), self.breakpoints.is_armed(m))).collect::<Vec<_>>()}
                            on_action={link.callback(Msg::Time)} />
                        if let Some(n) = &self.notice {
                            <p class="notice" data-testid="notice">{ n }</p>
                        }
                    </section>
                    }
                    if self.lesson.is_some() || self.challenge().is_some() {
                        <div class="lesson-area">
                            if let Some(player) = &self.lesson {
                                <LessonPanel player={player.clone()} playing={self.playing}
                                    replaying={self.pending.is_some()}
                                    on_action={link.callback(Msg::Lesson)} />
                            }
                            if let (Some(c), Some(run)) = (self.challenge(), &self.run) {
                                <ChallengePanel challenge={c.clone()}
                                    settings={challenge::settings_scored(run.sim.current_scenario(), c)}
                                    state={self.check_state.clone()}
                                    on_check={link.callback(|()| Msg::CheckChallenge)} />
                            }
                        </div>
                    }
                    <section class="stage" aria-label="The stream">
                        { self.view_embed_overlay(ctx) }
                        { self.view_picture(ctx) }
                    </section>
                    if let Some(snapshot) = snapshot {
                        <section class="counters-area" aria-label="Counters">
                            { self.view_counters(snapshot) }
                        </section>
                    }
                    <section class="charts-area" aria-label="Charts">
                        { self.view_charts() }
                        if let Some(run) = &self.run {
                            <ShardTable rows={table::shard_rows(&run.snapshot)}
                                shard_count={run.snapshot.shards.len()}
                                mapping_names={run.snapshot.mappings.iter().map(|m| m.function_name.clone()).collect::<Vec<_>>()}
                                open={self.table_open} highlight={self.highlight}
                                on_toggle={link.callback(Msg::TableOpen)} />
                        }
                    </section>
                    if self.share.show == embed::Show::All {
                    <aside class="panel" aria-label="Controls">
                        <label class="field">
                            <span class="panel-title">{ "Scenario" }</span>
                            <select data-testid="scenario" onchange={on_scenario}>
                                { for self.choices.iter().enumerate().map(|(i, c)| html! {
                                    <option value={i.to_string()} selected={i == self.selected}>{ &c.title }</option>
                                }) }
                            </select>
                        </label>
                        { self.view_description() }
                        if let Some(scenario) = scenario {
                            <Controls target={Target::of_mapping(&scenario, self.target_mapping)} {scenario}
                                errors={self.errors.clone()} action_error={self.action_error.clone()}
                                pill_every_s={self.pill_every_s} pills_injected={self.pills_injected}
                                open={matches(WIDE_QUERY)}
                                on_action={link.callback(Msg::Control)} />
                        }
                        { self.view_share_tools(ctx) }
                    </aside>
                    }
                    <aside class="log-area" aria-label="Event log">
                        { self.view_trace(ctx) }
                        if let Some(run) = &self.run {
                            <EventLog lines={table::log_lines(run.sim.journal(), LOG_LINES_MAX)}
                                selected={self.selected_entry} on_pick={link.callback(Msg::Pick)}
                                on_jump={link.callback(|ms| Msg::Time(TimeAction::JumpTo(ms)))} />
                        }
                    </aside>
                </main>
                }
                <div class="visually-hidden" aria-live="polite" data-testid="narration">{ &self.narration }</div>
                if let Some(presenter) = &self.presenter {
                    <PresenterChrome presenter={presenter.clone()}
                        beat={self.lesson.as_ref().map_or(0, Player::beat)}
                        beats={self.lesson.as_ref().map_or(0, Player::steps)}
                        on_leave={link.callback(|()| Msg::Present(Act::Toggle))}
                        on_help={link.callback(|()| Msg::Present(Act::Help))}
                        on_fullscreen={link.callback(|()| Msg::Present(Act::Fullscreen))} />
                }
                <footer class="footer">
                    <p class="keys">{ "Keys: Space or K plays and pauses, . steps one second, N runs to the next event." }</p>
                    <span class="num" data-testid="frame-work"
                        data-median={format!("{:.3}", self.work.percentile(50.0))}
                        data-p95={format!("{:.3}", self.work.percentile(95.0))}
                        data-frames={self.work.len().to_string()}>
                        { self.frame_figure() }
                    </span>
                </footer>
            </div>
        }
    }
}

impl App {
    fn play(&mut self, ctx: &Context<Self>) {
        if self.run.is_none() {
            return;
        }
        if self.pending.is_some() {
            // Play once the replay is done.
            self.playing = true;
            return;
        }
        self.playing = true;
        self.pace.reset();
        self.work.clear();
        if self.frame.is_none() {
            self.request_frame(ctx);
        }
    }

    fn pause(&mut self) {
        self.playing = false;
        self.seek = None;
        self.behind = false;
        self.frame = None;
    }

    /// Takes a new simulation (or none), keeping the play state.
    fn start(&mut self, sim: Option<Simulation>) {
        self.run = sim.map(Run::new);
        self.behind = false;
        self.seek = None;
        self.notice = None;
        self.pace.reset();
        self.work.clear();
        self.milestones_told = self.run.as_ref().map_or(0, |r| r.sim.milestones().len());
        if let Some(run) = &self.run {
            self.breakpoints.sync(run.sim.milestones());
        }
        self.narration.clear();
        if let (Some(rate), Some(run)) = (&mut self.pill_rate, &self.run) {
            *rate = PillRate::new(rate.every_s, run.sim.now());
        }
        if self.run.is_none() {
            self.pause();
        }
    }

    fn request_frame(&mut self, ctx: &Context<Self>) {
        let link = ctx.link().clone();
        self.frame = Some(request_animation_frame(move |frame_ms| {
            link.send_message(Msg::Frame(frame_ms));
        }));
    }

    fn on_time(&mut self, ctx: &Context<Self>, action: TimeAction) {
        if let Some(player) = self.lesson.as_mut().filter(|p| p.is_active()) {
            // The lesson drives time: play and pause while it runs stay in it; the other
            // time controls take the reader out of it, into free play, and act.
            match action {
                TimeAction::Speed(_) => {}
                TimeAction::TogglePlay if player.is_running() => {
                    self.on_lesson(ctx, LessonAction::TogglePlay);
                    return;
                }
                _ => {
                    player.act(LessonAction::FreePlay);
                    self.narration = "You left the lesson for free play.".to_string();
                }
            }
        }
        self.notice = None;
        match action {
            TimeAction::TogglePlay => {
                if self.playing {
                    self.pause();
                } else {
                    if self.run.as_ref().is_some_and(Run::finished) {
                        self.restart();
                    }
                    self.play(ctx);
                }
            }
            TimeAction::Step => {
                self.pause();
                if let Some(run) = &self.run {
                    let target = tb::step_target(run.sim.now(), run.sim.end());
                    self.advance_to(target, f64::INFINITY);
                    self.after_move();
                }
            }
            TimeAction::Seek => {
                if self.seek.is_some() {
                    self.pause();
                } else if let Some(run) = &self.run {
                    let seek = Seek::new(run.sim.milestones(), run.sim.now(), run.sim.end());
                    self.play(ctx);
                    self.seek = Some(seek);
                }
            }
            TimeAction::Restart => self.restart(),
            TimeAction::Speed(i) => {
                self.speed = SPEEDS.get(i).copied().unwrap_or(SPEED_DEFAULT);
                self.work.clear();
            }
            TimeAction::Scrub => {
                if self.playing {
                    self.pause();
                }
            }
            TimeAction::JumpTo(ms) => {
                self.pause();
                let Some(run) = &self.run else {
                    return;
                };
                match tb::jump(run.sim.now(), run.sim.end(), SimTime(ms)) {
                    Jump::Stay => {}
                    Jump::Forward(to) => {
                        // Frame by frame within the budget, like a seek that does not
                        // stop at milestones; it pauses when it gets there.
                        let seek = Seek::jump(to, run.sim.end());
                        self.play(ctx);
                        self.seek = Some(seek);
                    }
                    Jump::Back(to) => {
                        let scenario = run.sim.current_scenario().clone();
                        self.schedule_replay_to(ctx, scenario, to);
                    }
                }
            }
            TimeAction::Breakpoint(i) => {
                if let Some(m) = Breakpoints::kinds().nth(i) {
                    self.breakpoints.toggle(m);
                }
            }
        }
    }

    /// Starts again from time zero with the current settings; one-off actions (pills,
    /// bursts) are dropped.
    fn restart(&mut self) {
        let original = self
            .choices
            .get(self.selected)
            .and_then(|c| c.scenario.as_ref().ok());
        let scenario = match (&self.run, original) {
            (Some(run), Some(original)) => {
                let mut s = run.sim.current_scenario().clone();
                s.puts.clone_from(&original.puts);
                if let (Some(p), Some(o)) = (&mut s.producer, &original.producer) {
                    p.bursts.clone_from(&o.bursts);
                }
                Some(s)
            }
            (_, original) => original.cloned(),
        };
        self.pills_injected = 0;
        self.start(scenario.map(|s| Simulation::new(&s)));
    }

    fn on_control(&mut self, ctx: &Context<Self>, action: Action) {
        self.action_error = None;
        if let Action::Set(id, _) = action {
            if self.refuse_locked(id) {
                return;
            }
        }
        if self.pending.is_some() {
            // A change made during a replay would be lost with it: ask again after.
            self.action_error =
                Some("Replaying the run: change it again once it is done.".to_string());
            return;
        }
        let Some(run) = &mut self.run else {
            return;
        };
        let current = run.sim.current_scenario();
        let target = Target::of_mapping(current, self.target_mapping);
        match action {
            Action::Set(id, v) => {
                self.errors.remove(&id);
                if knobs::get(id, current, target) == Some(v) {
                    // The same value again (a blur after Enter): nothing to do.
                    return;
                }
                // The changed scenario, validated once; the running simulation takes
                // it live between events, or is rebuilt and replayed to now.
                let next = match knobs::rebuilt(current, id, target, v) {
                    Ok(next) => next,
                    Err(e) => {
                        self.errors.insert(id, e);
                        return;
                    }
                };
                match knobs::change(current, &next) {
                    Change::Nothing => {}
                    Change::Live(commands) => {
                        for command in &commands {
                            if let Err(e) = run.sim.apply(command) {
                                self.errors.insert(id, e);
                            }
                        }
                        run.snapshot = run.sim.snapshot();
                    }
                    Change::Rebuild => self.schedule_replay(ctx, next),
                }
            }
            Action::NotANumber(id, text) => {
                let knob = id.knob();
                self.errors.insert(
                    id,
                    format!(
                        "{}: {text:?} is not a number: allowed {} to {}",
                        knob.name,
                        grouped_f64(knob.min),
                        grouped_f64(knob.max)
                    ),
                );
            }
            Action::Burst => {
                let shards = f64::from(current.stream.shard_count);
                let command = Command::Burst {
                    records_per_s: 2.0 * 1_000.0 * shards,
                    for_s: 5,
                };
                if let Err(e) = run.sim.apply(&command) {
                    self.action_error = Some(e);
                }
            }
            Action::InjectPill => {
                if current.event_source_mappings.is_empty() {
                    // A pill needs a consumer to choke on: add one, then inject.
                    let next = knobs::with_default_mapping(current);
                    self.schedule_replay(ctx, next);
                    self.pills_injected += 1;
                    self.pending_pill = true;
                } else {
                    self.inject_pill();
                }
            }
            Action::PillEvery(s) => {
                self.pill_every_s = s;
                self.pill_rate = (s > 0).then(|| PillRate::new(s, run.sim.now()));
            }
            Action::Target(mapping) => {
                if mapping < current.event_source_mappings.len() {
                    self.errors.clear();
                    self.target_mapping = mapping;
                }
            }
            Action::AddMapping => {
                if current.event_source_mappings.is_empty() {
                    let next = knobs::with_default_mapping(current);
                    self.schedule_replay(ctx, next);
                }
            }
        }
    }

    fn inject_pill(&mut self) {
        let Some(run) = &mut self.run else {
            return;
        };
        self.pills_injected += 1;
        let command = Command::InjectPoison {
            partition_key: tb::pill_key(self.pills_injected),
        };
        if let Err(e) = run.sim.apply(&command) {
            self.action_error = Some(e);
        }
        run.snapshot = run.sim.snapshot();
    }

    /// Shows "replaying…", then rebuilds on the next turn of the event loop.
    fn schedule_replay(&mut self, ctx: &Context<Self>, next: Scenario) {
        let Some(run) = &self.run else {
            return;
        };
        let now = run.sim.now();
        self.schedule_replay_to(ctx, next, now);
    }

    /// Shows "replaying…", then rebuilds `next` and runs it to `at`.
    fn schedule_replay_to(&mut self, ctx: &Context<Self>, next: Scenario, at: SimTime) {
        self.pending = Some((next, at));
        self.frame = None;
        let link = ctx.link().clone();
        self._replay_timer = Some(Timeout::new(30, move || link.send_message(Msg::Replay)));
    }

    fn replay(&mut self, ctx: &Context<Self>) {
        self._replay_timer = None;
        let Some((scenario, at)) = self.pending.take() else {
            return;
        };
        let started = now_ms();
        // A followed record stays followed when the stream keeps its shards.
        let following = self.run.as_ref().and_then(|r| {
            let same_shards =
                r.sim.current_scenario().stream.shard_count == scenario.stream.shard_count;
            r.sim.trace().filter(|_| same_shards).map(|t| t.target)
        });
        let mut sim = following
            .and_then(|t| follow::replay_following(&scenario, t, at).ok())
            .unwrap_or_else(|| tb::replay(&scenario, at));
        self.still_after_replay(&mut sim);
        let took_ms = now_ms() - started;
        let was_playing = self.playing;
        let shards_before = self.run.as_ref().map_or(0, |r| r.snapshot.shards.len());
        self.start(Some(sim));
        let shards_after = self.run.as_ref().map_or(0, |r| r.snapshot.shards.len());
        if shards_after != shards_before {
            self.table_open = shards_after <= TABLE_OPEN_SHARDS_MAX;
        }
        if self.pending_pill {
            self.pending_pill = false;
            self.pills_injected -= 1;
            self.inject_pill();
        }
        if let Some(player) = self.lesson.as_ref().filter(|p| p.is_active()) {
            self.narration = player.narration();
        }
        if took_ms > 250.0 {
            self.notice = Some(format!(
                "Replayed the run to {at} with the new setting in {:.1} s.",
                took_ms / 1_000.0
            ));
        }
        if was_playing {
            self.playing = false;
            self.play(ctx);
        }
    }

    /// Moves the simulation towards `target`, injecting pills as they fall due, until
    /// the wall clock passes `deadline_ms`. Returns whether it got there.
    fn advance_to(&mut self, target: SimTime, deadline_ms: f64) -> bool {
        loop {
            let Some(run) = &mut self.run else {
                return true;
            };
            let pill_at = self.pill_rate.as_ref().map(|r| r.next);
            let to = pill_at.map_or(target, |p| p.min(target));
            run.sim.run_until(to, EVENTS_PER_SLICE);
            if run.sim.now() >= to || run.sim.is_finished() {
                if pill_at.is_some_and(|p| p <= to) && !run.sim.is_finished() {
                    if let Some(rate) = &mut self.pill_rate {
                        rate.due(to);
                    }
                    self.inject_pill();
                }
                let Some(run) = &self.run else {
                    return true;
                };
                if run.sim.now() >= target || run.sim.is_finished() {
                    return true;
                }
            }
            if now_ms() > deadline_ms {
                return false;
            }
        }
    }

    /// After the simulation moved, in a lesson: pause and speak when a step is due, end
    /// the lesson when the run ended first. Returns whether the DOM should be refreshed.
    fn lesson_after_move(&mut self) -> bool {
        let (Some(player), Some(run)) = (&mut self.lesson, &self.run) else {
            return false;
        };
        if player.is_due(run.sim.now(), run.sim.milestones()) {
            player.arrive(run.sim.now());
        } else if run.finished() && player.is_running() {
            player.run_ended();
        } else {
            return false;
        }
        self.narration = player.narration();
        self.pause();
        true
    }

    fn enter_present(&mut self) {
        if self.presenter.is_some() || self.comparing {
            return;
        }
        self.present_flags.on.set(true);
        if self.lesson.is_none() {
            let original = self
                .choices
                .get(self.selected)
                .and_then(|c| c.scenario.as_ref().ok());
            self.lesson = original.map(milestone_player);
            self.lesson_synthetic = self.lesson.is_some();
            if self.lesson_synthetic {
                self.pause();
                self.restart();
            }
        }
        self.presenter = Some(Presenter {
            chart: self
                .lesson
                .as_ref()
                .map_or(0, |p| presenting::chart_for(p.lesson())),
            ..Presenter::default()
        });
        if let Some(p) = &self.lesson {
            self.narration = format!("Presenter mode. {}", p.narration());
        }
    }

    fn leave_present(&mut self) {
        self.presenter = None;
        self.present_flags.on.set(false);
        self.present_flags.typing.set(false);
        present_ui::exit_fullscreen();
        if self.lesson_synthetic {
            self.lesson = None;
            self.lesson_synthetic = false;
        }
        self.narration = "Presenter mode off.".to_string();
    }

    /// A presenter key: next and previous beat, reset to beat N, blank, help, full
    /// screen, controls, leave.
    fn on_present(&mut self, ctx: &Context<Self>, act: Act) {
        let Some(presenter) = &mut self.presenter else {
            if act == Act::Toggle {
                self.enter_present();
            }
            return;
        };
        let effect = presenter.apply(act);
        self.present_flags.typing.set(presenter.typing());
        match effect {
            Effect::None => {}
            Effect::Leave => self.leave_present(),
            Effect::Fullscreen => {
                if !present_ui::request_fullscreen() {
                    self.notice = Some("This browser does not allow full screen here.".to_string());
                }
            }
            Effect::Previous => self.on_lesson(ctx, LessonAction::Back),
            Effect::GoTo(beat) => {
                let beats = self.lesson.as_ref().map_or(0, Player::steps);
                if beat > beats {
                    self.notice = Some(format!("There is no beat {beat}: beats 0 to {beats}."));
                } else {
                    self.on_lesson(ctx, LessonAction::GoTo(beat));
                }
            }
            Effect::Next => {
                let Some(player) = &self.lesson else {
                    return;
                };
                match player.next_beat() {
                    Some(action) => self.on_lesson(ctx, action),
                    None if player.is_running() => self.hurry_to_step(),
                    None => {}
                }
            }
        }
    }

    /// While playing towards a step: go to its moment at once (a presenter pressed
    /// next again).
    fn hurry_to_step(&mut self) {
        let stop = match (&self.lesson, &self.run) {
            (Some(p), Some(run)) => p.stop_at(run.sim.now()),
            _ => None,
        };
        if let Some(stop) = stop {
            self.advance_to(stop, f64::INFINITY);
            self.after_move();
            self.lesson_after_move();
        }
    }

    /// The selected scenario's challenge, if it has one.
    fn challenge(&self) -> Option<&crate::sim::challenge::Challenge> {
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
        let (Some(original), Some(run)) = (original, &self.run) else {
            return;
        };
        let Some(c) = original.challenge.as_ref() else {
            return;
        };
        match challenge::scored_scenario(original, run.sim.current_scenario(), c) {
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

    fn on_lesson(&mut self, ctx: &Context<Self>, action: LessonAction) {
        let Some(player) = &mut self.lesson else {
            return;
        };
        if action == LessonAction::TogglePlay {
            if self.playing {
                self.pause();
            } else if player.is_running() {
                self.play(ctx);
            }
            return;
        }
        let rewind = player.act(action);
        self.narration = player.narration();
        if let Some(rewind) = rewind {
            // Runs are deterministic: the lesson's own run, rebuilt, to that moment.
            self.pause();
            let original = self
                .choices
                .get(self.selected)
                .and_then(|c| c.scenario.as_ref().ok())
                .cloned();
            if let Some(scenario) = original {
                self.pending = Some((scenario, rewind.at));
                let link = ctx.link().clone();
                self._replay_timer = Some(Timeout::new(30, move || link.send_message(Msg::Replay)));
            }
            return;
        }
        let Some(player) = &self.lesson else {
            return;
        };
        if player.is_running() {
            if let Some(run) = &self.run {
                self.speed = player.speed(run.sim.now(), run.sim.end());
                self.work.clear();
            }
            self.play(ctx);
            // A step due at once (its milestone came earlier) speaks at once.
            self.lesson_after_move();
        } else if !player.is_active() {
            self.notice = Some("Free play: the run is yours, every control works.".to_string());
        }
    }

    /// After the simulation moved: a new snapshot, milestones told, and a pause at a
    /// breakpoint. Returns whether it paused (the page must then be rendered).
    fn after_move(&mut self) -> bool {
        let Some(run) = &mut self.run else {
            return false;
        };
        run.snapshot = run.sim.snapshot();
        let milestones = run.sim.milestones();
        if milestones.len() > self.milestones_told {
            self.milestones_told = milestones.len();
            if let Some((&m, &at)) = milestones.iter().max_by_key(|(_, &t)| t) {
                self.narration = table::narrate(m, at);
            }
        }
        let hit = self.breakpoints.hit(milestones);
        let jumping = self.seek.as_ref().is_some_and(|s| s.jump);
        if let (Some((m, at)), true, false) = (hit, self.playing, jumping) {
            let now = run.sim.now();
            self.pause();
            self.notice = Some(format!(
                "Paused: {} at {at}, as you asked (Pause at…). Now {now}.",
                m.label()
            ));
            return true;
        }
        false
    }

    /// Moves the simulation by one frame's worth of simulated time; returns whether
    /// the DOM should be refreshed.
    fn on_frame(&mut self, ctx: &Context<Self>, frame_ms: f64) -> bool {
        self.frame = None;
        if !self.playing || self.pending.is_some() {
            return false;
        }
        let Some(run) = &self.run else {
            return false;
        };
        let started = now_ms();
        let deadline = started + STEP_BUDGET_MS;
        let mut render = false;
        if let Some(seek) = self.seek.clone() {
            // Seeking: second by second until a milestone, the cap or the budget.
            let mut found = None;
            while let Some(run) = &self.run {
                let to = (run.sim.now() + tb::SEEK_SLICE).min(seek.cap);
                let reached = self.advance_to(to, deadline);
                let Some(run) = &self.run else { break };
                found = seek.found(run.sim.milestones());
                if found.is_some() || run.sim.now() >= seek.cap || !reached || now_ms() > deadline {
                    break;
                }
            }
            let at_cap = self.run.as_ref().is_some_and(|r| r.sim.now() >= seek.cap);
            if seek.jump && at_cap {
                self.pause();
                render = true;
            } else if let Some((m, at)) = found {
                self.pause();
                self.notice = Some(format!("Stopped: {} at {at}.", m.label()));
                render = true;
            } else if at_cap {
                self.pause();
                self.notice = Some(format!(
                    "Nothing new went wrong by {}.",
                    self.run.as_ref().map_or(SimTime::ZERO, |r| r.sim.now())
                ));
                render = true;
            }
        } else {
            let step = self.pace.advance(frame_ms, self.speed);
            if step > SimDuration::ZERO {
                let mut target = run.sim.now() + step;
                // A lesson stops exactly at its step's moment.
                if let Some(stop) = self.lesson.as_ref().and_then(|l| l.stop_at(run.sim.now())) {
                    target = target.min(stop);
                }
                self.behind = !self.advance_to(target, deadline);
            }
        }
        if self.after_move() {
            render = true;
        }
        render |= self.lesson_after_move();
        if self.run.as_ref().is_some_and(Run::finished) {
            self.pause();
            render = true;
        }
        // Readers who asked for less motion see the run in discrete steps: the
        // pictures and text change once a second of wall-clock time, not every frame.
        let discrete = matches(REDUCED_MOTION_QUERY);
        if discrete && !render && frame_ms - self.last_render_ms < REDUCED_MOTION_STEP_MS {
            self.work.push(now_ms() - started);
            if self.playing {
                self.request_frame(ctx);
            }
            return false;
        }
        self.paint();
        self.work.push(now_ms() - started);
        if self.playing {
            self.request_frame(ctx);
        }
        if render || frame_ms - self.last_render_ms >= RENDER_EVERY_MS {
            self.last_render_ms = frame_ms;
            return true;
        }
        false
    }

    fn status(&self) -> String {
        match &self.run {
            None => "Cannot run".to_string(),
            Some(_) if self.pending.is_some() => "Replaying…".to_string(),
            Some(run) if run.finished() => "Finished".to_string(),
            Some(_) if self.seek.as_ref().is_some_and(|s| s.jump) => "Going there…".to_string(),
            Some(_) if self.seek.is_some() => "Seeking the next event…".to_string(),
            Some(_) if !self.playing => "Paused".to_string(),
            Some(_) if self.behind => format!(
                "Behind {}: as fast as the frame allows",
                speed_label(self.speed)
            ),
            Some(_) => format!("Running at {}", speed_label(self.speed)),
        }
    }

    fn frame_figure(&self) -> String {
        if self.work.is_empty() {
            return "Frame work: not measured yet".to_string();
        }
        format!(
            "Frame work (simulation + pictures), last {} frames: median {:.1} ms, 95th percentile {:.1} ms",
            self.work.len(),
            self.work.percentile(50.0),
            self.work.percentile(95.0)
        )
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
        let Some(run) = &self.run else {
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
        let mapping = self.target_mapping.min(run.snapshot.mappings.len() - 1);
        match follow::follow_in_replay(&scenario, &run.sim, shard, index, mapping) {
            Ok(sim) => {
                let table_open = self.table_open;
                self.start(Some(sim));
                self.table_open = table_open;
            }
            Err(e) => self.trace_error = Some(e),
        }
        self.paint();
    }

    fn view_trace(&self, ctx: &Context<Self>) -> Html {
        let Some(run) = &self.run else {
            return Html::default();
        };
        let trace = run.sim.trace();
        let name = trace
            .and_then(|t| run.snapshot.mappings.get(t.target.mapping))
            .map_or("the function", |m| m.function_name.as_str());
        let lines = trace.map(|t| follow::lines(t, name)).unwrap_or_default();
        let end = trace.map_or("", follow::end_word);
        html! {
            <TracePanel {lines} end={end} error={self.trace_error.clone()}
                on_follow_key={ctx.link().callback(Msg::FollowKey)}
                on_stop={ctx.link().callback(|_| Msg::StopFollowing)} />
        }
    }

    fn view_picture(&self, ctx: &Context<Self>) -> Html {
        let choice = self.choices.get(self.selected);
        let on_click = ctx.link().callback(|e: MouseEvent| {
            let width = e
                .target_dyn_into::<HtmlCanvasElement>()
                .map_or(0.0, |c| f64::from(c.client_width()));
            Msg::FollowAt(f64::from(e.offset_x()), f64::from(e.offset_y()), width)
        });
        match (choice, &self.run) {
            (_, Some(run)) => html! {
                <>
                <figure class="picture">
                    <canvas ref={self.stream_canvas.clone()} data-testid="stream-canvas" role="img"
                        class="stream-canvas" onclick={on_click}
                        aria-label={lanes::describe(&run.snapshot.shards)} />
                    <canvas ref={self.concurrency_canvas.clone()} class="concurrency-canvas"
                        data-testid="concurrency-canvas" role="img"
                        aria-label={describe_concurrency(&run.snapshot)} />
                    { super::legend::legend() }
                    if self.pending.is_some() {
                        <div class="replaying" role="status" data-testid="replaying">{ "Replaying the run from the start…" }</div>
                    }
                </figure>
                </>
            },
            (
                Some(Choice {
                    file,
                    scenario: Err(errors),
                    ..
                }),
                None,
            ) => html! {
                <div class="error" role="alert" data-testid="scenario-error">
                    <h2>{ "This scenario cannot run" }</h2>
                    <p>{ format!("static/scenarios/{file} has these problems:") }</p>
                    <pre>{ errors }</pre>
                </div>
            },
            _ => html! {
                <div class="error" role="alert" data-testid="scenario-error">
                    <h2>{ "No scenario to run" }</h2>
                    <p>{ "This build has no built-in scenarios." }</p>
                </div>
            },
        }
    }

    fn view_description(&self) -> Html {
        let Some(Ok(s)) = self.choices.get(self.selected).map(|c| &c.scenario) else {
            return Html::default();
        };
        if s.description.is_empty() {
            return Html::default();
        }
        html! { <p class="description">{ &s.description }</p> }
    }

    fn view_charts(&self) -> Html {
        let resolutions = [
            (Resolution::PerSecond, "per-second", "per second"),
            (Resolution::PerMinute, "per-minute", "per minute"),
        ];
        html! {
            <div class="charts">
                // Presenter mode shows one chart, the one chosen (G shows the next).
                { for ChartKind::ALL.iter().enumerate()
                    .filter(|&(k, _)| self.presenter.as_ref().is_none_or(|p| p.chart == k))
                    .map(|(k, &kind)| html! {
                    <figure class="chart" data-testid={format!("chart-{}", kind.id())}>
                        <figcaption class="chart-title">{ kind.title() }</figcaption>
                        <div class="chart-pair">
                            { for resolutions.iter().enumerate().map(|(r, &(_, id, words))| html! {
                                <div class="chart-cell">
                                    <span class="chart-res">{ words }</span>
                                    <canvas ref={self.chart_canvases[k * 2 + r].clone()}
                                        data-testid={format!("chart-{}-{id}", kind.id())}
                                        role="img" aria-label={format!("{} {words}", kind.title())} />
                                </div>
                            }) }
                        </div>
                    </figure>
                }) }
            </div>
        }
    }

    fn view_counters(&self, snapshot: &Snapshot) -> Html {
        let totals = &snapshot.totals;
        let sum = |f: fn(&crate::sim::esm::MappingStats) -> u64| -> u64 {
            snapshot.mappings.iter().map(|m| f(&m.stats)).sum()
        };
        let other_throttles = self
            .run
            .as_ref()
            .map_or(0, |r| r.sim.other_functions_throttles());
        let mut counters: Vec<(&str, &str, u64, &str, &str)> = vec![
            (
                "records-put",
                "Put",
                totals.records_put,
                "records",
                "First tries the producer made",
            ),
            (
                "records-written",
                "Written",
                totals.records_written,
                "records",
                "Accepted into the stream, duplicates included",
            ),
            (
                "put-throttled",
                "Write throttled",
                totals.put_throttled,
                "entries",
                "Rejected with ProvisionedThroughputExceededException",
            ),
            (
                "producer-lost",
                "Lost by producer",
                totals.producer_lost,
                "records",
                "Given up on or ignored by the producer: never written",
            ),
            (
                "duplicates",
                "Duplicates",
                totals.duplicates,
                "records",
                "Extra copies written because a timed-out call was retried",
            ),
            (
                "records-trimmed",
                "Trimmed",
                totals.records_trimmed,
                "records",
                "Left the stream through the trim horizon",
            ),
        ];
        if !snapshot.mappings.is_empty() {
            counters.extend([
                (
                    "invocations",
                    "Invocations",
                    sum(|s| s.invocations),
                    "calls",
                    "Function invocations by the mappings",
                ),
                (
                    "errors",
                    "Errors",
                    sum(|s| s.function_errors),
                    "calls",
                    "Invocations that ended in a function error",
                ),
                (
                    "throttles",
                    "Throttles",
                    sum(|s| s.throttles),
                    "requests",
                    "Invocations refused for lack of concurrency",
                ),
                (
                    "expired",
                    "Expired",
                    sum(|s| s.expired),
                    "records",
                    "Left the stream before the mapping processed them",
                ),
                (
                    "on-failure",
                    "Sent to OnFailure",
                    sum(|s| s.on_failure),
                    "records",
                    "Described in an on-failure destination message",
                ),
                (
                    "discarded",
                    "Discarded",
                    sum(|s| s.discarded),
                    "records",
                    "Given up on with no destination: dropped",
                ),
            ]);
        }
        counters.push((
            "other-throttles",
            "Other functions throttled",
            other_throttles,
            "requests",
            "Requests of the account's other functions refused",
        ));
        html! {
            <div class="counters">
                { for counters.iter().map(|&(id, label, value, unit, hint)| html! {
                    <div class="counter" data-testid={format!("counter-{id}")} data-value={value.to_string()} title={hint}>
                        <span class="counter-label">{ label }</span>
                        <span class="counter-reading">
                            <span class="counter-value num">{ grouped(value) }</span>
                            <span class="counter-unit">{ unit }</span>
                        </span>
                    </div>
                }) }
            </div>
        }
    }

    fn paint(&self) {
        let Some(run) = &self.run else {
            return;
        };
        let theme: &Theme = if self.dark() { &DARK } else { &LIGHT };
        let snapshot = &run.snapshot;
        if let Some(canvas) = self.stream_canvas.cast::<HtmlCanvasElement>() {
            let options = paint::StreamOptions {
                motion: !matches(REDUCED_MOTION_QUERY),
                travel_ms: follow::travel_ms(self.speed),
                traced: run.sim.trace().map(|t| lanes::Traced {
                    shard: t.target.shard,
                    index: t.target.index,
                }),
            };
            if let Err(e) =
                paint::paint_stream_with(&canvas, snapshot, theme, &self.highlight, &options)
            {
                gloo::console::error!("painting the stream failed:", e);
            }
        }
        let metrics = run.sim.metrics();
        let now = snapshot.now;
        if let Some(canvas) = self.concurrency_canvas.cast::<HtmlCanvasElement>() {
            let last_s = now.second().saturating_sub(1);
            let throttled = metrics
                .per_second
                .value_at(Metric::OtherFunctionsThrottles, last_s)
                .unwrap_or(0);
            if let Err(e) = paint::paint_concurrency(&canvas, snapshot, throttled, theme) {
                gloo::console::error!("painting the concurrency failed:", e);
            }
        }
        let limits = ChartLimits {
            write_records_per_s: snapshot.shards.len() as u64 * 1_000,
            concurrency: snapshot.concurrency.limit,
        };
        for (k, &kind) in ChartKind::ALL.iter().enumerate() {
            for (r, resolution) in [Resolution::PerSecond, Resolution::PerMinute]
                .into_iter()
                .enumerate()
            {
                let Some(canvas) = self.chart_canvases[k * 2 + r].cast::<HtmlCanvasElement>()
                else {
                    continue;
                };
                let latest =
                    crate::view::charts::series(kind, resolution, metrics, now, &limits).latest;
                let _ = canvas.set_attribute("data-latest", &latest.to_string());
                if let Err(e) =
                    paint::paint_chart(&canvas, kind, resolution, metrics, now, &limits, theme)
                {
                    gloo::console::error!("painting a chart failed:", e);
                }
            }
        }
    }
}

/// A player over the milestones of a scenario without a lesson, for presenting.
fn milestone_player(s: &Scenario) -> Player {
    let lesson = presenting::milestone_lesson(s);
    let plan = crate::view::lesson::plan(s, &lesson);
    Player::new(lesson, plan)
}

/// A player for the scenario's lesson, at its introduction, if it has one.
fn lesson_player(s: &Scenario) -> Option<Player> {
    let lesson = s.lesson.clone()?;
    let plan = crate::view::lesson::plan(s, &lesson);
    Some(Player::new(lesson, plan))
}

fn describe_concurrency(s: &Snapshot) -> String {
    let c = &s.concurrency;
    let running: u32 = c.functions.iter().map(|f| f.running).sum();
    format!(
        "Account concurrency: {} of {} instances held by the stream's functions, {} by other functions (wanting {})",
        grouped(running.into()),
        grouped(c.limit.into()),
        grouped(c.other_running.into()),
        grouped(c.other_demand.into()),
    )
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
                    if let Some(act) = presenting::act_for(k, flags.typing.get()) {
                        key.prevent_default();
                        link.send_message(Msg::Present(act));
                    }
                    return;
                }
                if presenting::enters(k) {
                    key.prevent_default();
                    link.send_message(Msg::Present(Act::Toggle));
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
    }
    if let Some(dark) = media(DARK_QUERY) {
        let link = ctx.link().clone();
        listeners.push(EventListener::new(&dark, "change", move |_| {
            link.send_message(Msg::Repaint);
        }));
    }
    listeners
}
