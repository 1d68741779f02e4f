//! The page as a pure model, driven like the core: [`Page::input`] takes an
//! [`Input`] (an animation frame with its timestamp, a time control, a setting, a
//! lesson or presenter key, the delayed replay firing) and returns the [`Effects`]
//! the browser must carry out (ask for a frame, replay after a delay, paint, render
//! the DOM, go full screen). `ui` turns DOM events into inputs and effects into gloo
//! frames, timers and canvas calls; everything else happens here, tested natively.
//!
//! A frame moves the simulation in slices until its wall-clock budget is spent
//! (`view::budget`: what painting leaves of a 6 ms frame, in slices sized from the
//! simulation's measured speed), then paints; when the budget binds, the run falls
//! behind the chosen speed and the page says so. The frame stays open until `ui` has
//! painted ([`Effects::frame_open`], then [`Page::frame_done`]), so the budget learns
//! what painting costs. The clock is an input
//! (`&mut dyn FnMut() -> f64`, wall-clock ms): `ui` passes `performance.now()`,
//! tests a fake clock.
//!
//! Choosing another scenario builds a new `Page` ([`Page::chosen`]); what the
//! reader chose for the whole page (speed, breakpoints, presenter mode, locks) is
//! carried over, everything about the old run is dropped with it.

use std::collections::BTreeMap;

use crate::sim::{Command, Reconfigured, Scenario, SimDuration, SimTime, Simulation, Snapshot};
use crate::view::budget::FrameBudget;
use crate::view::embed;
use crate::view::format::grouped_f64;
use crate::view::knobs::{self, KnobId, Target};
use crate::view::lesson::{plan, LessonAction, Player};
use crate::view::pace::{speed_label, Pace, SPEEDS, SPEED_DEFAULT};
use crate::view::presenter::{self, Act, Effect as PresenterEffect, Presenter};
use crate::view::table;
use crate::view::timebar::{self, Breakpoints, FrameWork, Jump, PillRate, Seek};
use crate::view::trace;

pub mod chart_turn;
pub mod check;
pub mod counters;
pub mod follow;
pub mod keys;
pub mod panels;
pub mod share;

/// Events per `run_until` call of the challenge's scoring run, between clock checks.
pub const EVENTS_PER_SLICE: usize = 1_000;
/// The DOM is refreshed at most this often while running, in wall-clock ms.
pub const RENDER_EVERY_MS: f64 = 100.0;
/// With reduced motion, the page changes at most this often, in wall-clock ms.
pub const REDUCED_MOTION_STEP_MS: f64 = 1_000.0;
/// "Replaying…" is on screen this long before a replay starts, in wall-clock ms.
pub const REPLAY_DELAY_MS: u32 = 30;
/// A replay that took longer than this (wall-clock ms) says how long it took.
const REPLAY_NOTICE_MS: f64 = 250.0;

/// The wall clock, in ms: `performance.now()` in the browser, a fake in tests.
pub type Clock<'a> = &'a mut dyn FnMut() -> f64;

/// What the time controls ask.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeAction {
    TogglePlay,
    Step,
    Seek,
    Restart,
    Speed(usize),
    /// The reader is dragging the timeline: hold the run still.
    Scrub,
    /// Go to this moment of the run, in ms.
    JumpTo(u64),
    /// Arm or disarm the pause at the n-th kind of trouble.
    Breakpoint(usize),
}

/// What the controls panel asks.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    Set(KnobId, f64),
    /// A number field held something that is not a number.
    NotANumber(KnobId, String),
    Burst,
    InjectPill,
    PillEvery(u32),
    AddMapping,
    /// The mapping (by index) whose settings the Mapping and Function groups show.
    Target(usize),
}

/// One thing that happens to the page.
#[derive(Clone, Debug, PartialEq)]
pub enum Input {
    /// An animation frame, stamped in wall-clock ms; `reduced_motion` when the reader
    /// asked for less motion.
    Frame {
        at_ms: f64,
        reduced_motion: bool,
    },
    Time(TimeAction),
    Control(Action),
    Lesson(LessonAction),
    /// A presenter-mode key or button (`Act::Toggle` enters the mode).
    Present(Act),
    /// The delayed replay is due (see [`Effects::replay_after_ms`]).
    Replay,
    /// Start playing (a link's autoplay).
    Play,
}

/// What the browser must do after an input.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Effects {
    /// Keep an animation frame requested (otherwise cancel the pending one).
    pub frame: bool,
    /// Send [`Input::Replay`] after this many ms, once "replaying…" is on screen.
    pub replay_after_ms: Option<u32>,
    /// Paint the canvases.
    pub paint: bool,
    /// Refresh the DOM.
    pub render: bool,
    /// Ask for full screen (`Some(true)`) or leave it (`Some(false)`).
    pub fullscreen: Option<bool>,
    /// A playing frame whose work is not finished: paint (after the DOM, when it is
    /// refreshed), then call [`Page::frame_done`] with it.
    pub frame_open: Option<FrameOpen>,
}

/// A playing frame whose work is not finished: when it started, and when the
/// simulation had moved (the rest is the snapshot, the DOM and the pictures).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FrameOpen {
    pub started: f64,
    pub moved: f64,
    /// The frame refreshes the DOM too.
    pub dom: bool,
    /// The frame paints the pictures. A frame that refreshes the DOM leaves them to
    /// the next when they are dear (`FrameBudget::pictures_wait_for_dom`): one frame
    /// in six holds its picture, instead of doing two frames' work.
    pub pictures: bool,
}

/// A scenario being simulated, with its latest snapshot.
#[derive(Debug)]
pub struct Run {
    pub sim: Simulation,
    pub snapshot: Snapshot,
}

impl Run {
    pub fn new(sim: Simulation) -> Self {
        let snapshot = sim.snapshot();
        Run { sim, snapshot }
    }

    pub fn finished(&self) -> bool {
        self.sim.is_finished()
    }
}

/// A player over the milestones of a scenario without a lesson, for presenting.
pub fn milestone_player(s: &Scenario) -> Player {
    let lesson = presenter::milestone_lesson(s);
    let plan = plan(s, &lesson);
    Player::new(lesson, plan)
}

/// A player for the scenario's lesson, at its introduction, if it has one.
pub fn lesson_player(s: &Scenario) -> Option<Player> {
    let lesson = s.lesson.clone()?;
    let plan = plan(s, &lesson);
    Some(Player::new(lesson, plan))
}

/// The page for one chosen scenario.
#[derive(Debug)]
pub struct Page {
    /// The chosen scenario as shipped; `None` when it failed to parse.
    pub original: Option<Scenario>,
    /// `None` when the scenario failed to parse.
    pub run: Option<Run>,
    pub playing: bool,
    pub seek: Option<Seek>,
    pub speed: f64,
    pace: Pace,
    /// The last frame ran out of its budget: the run is slower than `speed`.
    pub behind: bool,
    /// A rebuilt scenario waiting to be replayed to this moment.
    pub pending: Option<(Scenario, SimTime)>,
    pub errors: BTreeMap<KnobId, String>,
    pub action_error: Option<String>,
    /// Said once, then cleared: where a seek stopped, what a replay took.
    pub notice: Option<String>,
    /// The polite live region's text: the newest milestone, the lesson's step.
    pub narration: String,
    milestones_told: usize,
    pub pill_every_s: u32,
    pill_rate: Option<PillRate>,
    pub pills_injected: u64,
    /// A pill waits for the mapping being added.
    pending_pill: bool,
    /// The mapping whose settings the controls show and change.
    pub target_mapping: usize,
    /// The kinds of trouble to pause at, the first time they happen.
    pub breakpoints: Breakpoints,
    /// The scenario's lesson, played or left for free play.
    pub lesson: Option<Player>,
    /// The lesson was made from the milestones for presenting, and goes with the mode.
    lesson_synthetic: bool,
    /// Presenter mode, when on.
    pub presenter: Option<Presenter>,
    /// Knobs an embed locks.
    pub locked: Vec<KnobId>,
    pub work: FrameWork,
    /// How long the simulation may run in a frame, and in what slices.
    pub budget: FrameBudget,
    last_render_ms: f64,
    out: Effects,
}

impl Page {
    /// The page for `original` (the scenario as shipped), running `scenario` (the
    /// same, or as a link changed it) from time zero, paused, at the default speed.
    pub fn new(original: Option<Scenario>, scenario: Option<&Scenario>) -> Page {
        let mut page = Page {
            original,
            run: None,
            playing: false,
            seek: None,
            speed: SPEED_DEFAULT,
            pace: Pace::default(),
            behind: false,
            pending: None,
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
            lesson: None,
            lesson_synthetic: false,
            presenter: None,
            locked: Vec::new(),
            work: FrameWork::default(),
            budget: FrameBudget::default(),
            last_render_ms: 0.0,
            out: Effects::default(),
        };
        page.start(scenario.map(Simulation::new));
        page
    }

    /// The page for another chosen scenario: a new model that keeps what the reader
    /// chose for the whole page (speed, breakpoints, presenter mode, locks, playing).
    /// A lesson starts at its introduction, paused.
    pub fn chosen(self, original: Option<Scenario>) -> (Page, Effects) {
        let scenario = original.clone();
        let mut next = Page::new(original, scenario.as_ref());
        next.speed = self.speed;
        next.budget = self.budget;
        next.breakpoints = self.breakpoints;
        next.locked = self.locked;
        next.presenter = self.presenter;
        next.lesson = scenario.as_ref().and_then(lesson_player);
        if next.presenter.is_some() && next.lesson.is_none() {
            next.lesson = scenario.as_ref().map(milestone_player);
            next.lesson_synthetic = next.lesson.is_some();
        }
        if let (Some(presenter), Some(p)) = (&mut next.presenter, &next.lesson) {
            presenter.chart = presenter::chart_for(p.lesson());
        }
        if next.lesson.is_some() {
            next.narration = next
                .lesson
                .as_ref()
                .map(Player::narration)
                .unwrap_or_default();
        } else if self.playing {
            next.play();
        }
        next.out.render = true;
        let effects = next.take_effects();
        (next, effects)
    }

    /// The scenario's description is hidden while its lesson is on screen, until the
    /// lesson's end: it tells what happens, and would answer the predictions before
    /// they are asked.
    pub fn hides_description(&self) -> bool {
        self.lesson.as_ref().is_some_and(|p| {
            !self.lesson_synthetic && p.is_active() && p.stage() != crate::view::lesson::Stage::End
        })
    }

    /// Opens the scenario's lesson at its introduction.
    pub fn open_lesson(&mut self) {
        self.lesson = self.original.as_ref().and_then(lesson_player);
        self.lesson_synthetic = false;
    }

    /// Replays the run to `at` before the reader sees it (a link's moment, or the
    /// still picture of an embed): "replaying…" first, the replay after the delay.
    pub fn replay_to(&mut self, scenario: Scenario, at: SimTime) -> Effects {
        self.schedule_replay_to(scenario, at);
        self.take_effects()
    }

    /// The current scenario, as it runs now.
    pub fn scenario(&self) -> Option<&Scenario> {
        self.run.as_ref().map(|r| r.sim.current_scenario())
    }

    /// The scenario about to be replayed, or else the one running.
    pub fn scenario_or_pending(&self) -> Option<&Scenario> {
        self.pending
            .as_ref()
            .map(|(s, _)| s)
            .or_else(|| self.scenario())
    }

    /// The frame loop runs: playing, and no replay waiting.
    pub fn wants_frame(&self) -> bool {
        self.playing && self.pending.is_none()
    }

    /// Handles one input; `clock` is the wall clock in ms.
    pub fn input(&mut self, input: Input, clock: Clock<'_>) -> Effects {
        match input {
            Input::Frame {
                at_ms,
                reduced_motion,
            } => self.on_frame(at_ms, reduced_motion, clock),
            Input::Time(a) => {
                self.on_time(a);
                self.out.render = true;
            }
            Input::Control(a) => {
                self.on_control(a);
                self.out.render = true;
            }
            Input::Lesson(a) => {
                self.on_lesson(a);
                self.out.render = true;
            }
            Input::Present(a) => {
                self.on_present(a);
                self.out.render = true;
            }
            Input::Replay => {
                self.replay(clock, &mut |_| {});
                self.out.render = true;
            }
            Input::Play => {
                self.play();
                self.out.render = true;
            }
        }
        self.take_effects()
    }

    /// As [`Input::Replay`], with `before_start` shown the rebuilt simulation before
    /// the page takes it (an embed's still picture moves it on).
    pub fn replay_with(
        &mut self,
        clock: Clock<'_>,
        before_start: &mut dyn FnMut(&mut Simulation),
    ) -> Effects {
        self.replay(clock, before_start);
        self.out.render = true;
        self.take_effects()
    }

    /// The effects asked for since the last input (after a direct call such as
    /// [`Page::schedule_replay`]).
    pub fn take_effects(&mut self) -> Effects {
        self.out.frame = self.wants_frame();
        std::mem::take(&mut self.out)
    }

    pub fn play(&mut self) {
        if self.run.is_none() {
            return;
        }
        self.playing = true;
        if self.pending.is_some() {
            // Play once the replay is done.
            return;
        }
        self.pace.reset();
        self.work.clear();
    }

    pub fn pause(&mut self) {
        self.playing = false;
        self.seek = None;
        self.behind = false;
    }

    /// Takes a new simulation (or none), keeping the play state (also a followed
    /// record's replay).
    pub fn start(&mut self, sim: Option<Simulation>) {
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

    fn on_time(&mut self, action: TimeAction) {
        if let Some(player) = self.lesson.as_mut().filter(|p| p.is_active()) {
            // The lesson drives time: play and pause while it runs stay in it; the other
            // time controls take the reader out of it, into free play, and act.
            match action {
                TimeAction::Speed(_) => {}
                TimeAction::TogglePlay if player.is_running() => {
                    self.on_lesson(LessonAction::TogglePlay);
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
                    self.play();
                }
            }
            TimeAction::Step => {
                self.pause();
                if let Some(run) = &self.run {
                    let target = timebar::step_target(run.sim.now(), run.sim.end());
                    self.advance_to(target, f64::INFINITY, &mut || 0.0);
                    self.after_move();
                }
            }
            TimeAction::Seek => {
                if self.seek.is_some() {
                    self.pause();
                } else if let Some(run) = &self.run {
                    let seek = Seek::new(run.sim.milestones(), run.sim.now(), run.sim.end());
                    self.play();
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
                match timebar::jump(run.sim.now(), run.sim.end(), SimTime(ms)) {
                    Jump::Stay => {}
                    Jump::Forward(to) => {
                        // Frame by frame within the budget, like a seek that does not
                        // stop at milestones; it pauses when it gets there.
                        let seek = Seek::jump(to, run.sim.end());
                        self.play();
                        self.seek = Some(seek);
                    }
                    Jump::Back(to) => {
                        let scenario = run.sim.current_scenario().clone();
                        self.schedule_replay_to(scenario, to);
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
    pub fn restart(&mut self) {
        let scenario = match (&self.run, &self.original) {
            (Some(run), Some(original)) => {
                let mut s = run.sim.current_scenario().clone();
                s.puts.clone_from(&original.puts);
                if let (Some(p), Some(o)) = (&mut s.producer, &original.producer) {
                    p.bursts.clone_from(&o.bursts);
                }
                Some(s)
            }
            (_, original) => original.clone(),
        };
        self.pills_injected = 0;
        self.start(scenario.map(|s| Simulation::new(&s)));
    }

    /// A knob an embed locks cannot change: says so instead.
    fn refuse_locked(&mut self, id: KnobId) -> bool {
        if self.locked.contains(&id) {
            self.errors.insert(id, embed::locked_message(id));
            return true;
        }
        false
    }

    fn on_control(&mut self, action: Action) {
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
                // The changed scenario, validated once by the running simulation,
                // which takes it live between events or asks for a rebuild, replayed
                // to now.
                let mut next = current.clone();
                if let Err(e) = knobs::set(id, &mut next, target, v) {
                    self.errors.insert(id, e);
                    return;
                }
                match run.sim.reconfigure(&next) {
                    Ok(Reconfigured::Live) => {
                        run.snapshot = run.sim.snapshot();
                        self.out.paint = true;
                    }
                    Ok(Reconfigured::NeedsRebuild) => self.schedule_replay(next),
                    Err(e) => {
                        self.errors.insert(id, e);
                    }
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
                    self.schedule_replay(next);
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
                    self.schedule_replay(next);
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
            partition_key: timebar::pill_key(self.pills_injected),
        };
        if let Err(e) = run.sim.apply(&command) {
            self.action_error = Some(e);
        }
        run.snapshot = run.sim.snapshot();
        self.out.paint = true;
    }

    /// Shows "replaying…", then rebuilds `next` at the same moment.
    pub fn schedule_replay(&mut self, next: Scenario) {
        let Some(run) = &self.run else {
            return;
        };
        let now = run.sim.now();
        self.schedule_replay_to(next, now);
    }

    /// Shows "replaying…", then rebuilds `next` and runs it to `at`.
    fn schedule_replay_to(&mut self, next: Scenario, at: SimTime) {
        self.pending = Some((next, at));
        self.out.replay_after_ms = Some(REPLAY_DELAY_MS);
    }

    fn replay(&mut self, clock: Clock<'_>, before_start: &mut dyn FnMut(&mut Simulation)) {
        let Some((scenario, at)) = self.pending.take() else {
            return;
        };
        let started = clock();
        // A followed record stays followed when the stream keeps its shards.
        let following = self.run.as_ref().and_then(|r| {
            let same_shards =
                r.sim.current_scenario().stream.shard_count == scenario.stream.shard_count;
            r.sim.trace().filter(|_| same_shards).map(|t| t.target)
        });
        let mut sim = following
            .and_then(|t| trace::replay_following(&scenario, t, at).ok())
            .unwrap_or_else(|| timebar::replay(&scenario, at));
        before_start(&mut sim);
        let took_ms = clock() - started;
        let was_playing = self.playing;
        self.start(Some(sim));
        if self.pending_pill {
            self.pending_pill = false;
            self.pills_injected -= 1;
            self.inject_pill();
        }
        if let Some(player) = self.lesson.as_ref().filter(|p| p.is_active()) {
            self.narration = player.narration();
        }
        if took_ms > REPLAY_NOTICE_MS {
            self.notice = Some(format!(
                "Replayed the run to {at} with the new setting in {:.1} s.",
                took_ms / 1_000.0
            ));
        }
        if was_playing {
            self.playing = false;
            self.play();
        }
        self.out.paint = true;
    }

    /// Moves the simulation towards `target`, injecting pills as they fall due, until
    /// the wall clock passes `deadline_ms`. Returns whether it got there.
    fn advance_to(&mut self, target: SimTime, deadline_ms: f64, clock: Clock<'_>) -> bool {
        loop {
            let Some(run) = &mut self.run else {
                return true;
            };
            let pill_at = self.pill_rate.as_ref().map(|r| r.next);
            let to = pill_at.map_or(target, |p| p.min(target));
            let slice_started = clock();
            let events = run
                .sim
                .run_until(to, self.budget.slice(deadline_ms - slice_started));
            self.budget.observe_slice(events, clock() - slice_started);
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
            if deadline_ms.is_finite() && clock() > deadline_ms {
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

    /// Presenter mode on: a scenario without a lesson gets one made of its
    /// milestones, from time zero.
    pub fn enter_present(&mut self) {
        if self.presenter.is_some() {
            return;
        }
        if self.lesson.is_none() {
            self.lesson = self.original.as_ref().map(milestone_player);
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
                .map_or(0, |p| presenter::chart_for(p.lesson())),
            ..Presenter::default()
        });
        if let Some(p) = &self.lesson {
            self.narration = format!("Presenter mode. {}", p.narration());
        }
    }

    pub fn leave_present(&mut self) {
        self.presenter = None;
        self.out.fullscreen = Some(false);
        if self.lesson_synthetic {
            self.lesson = None;
            self.lesson_synthetic = false;
        }
        self.narration = "Presenter mode off.".to_string();
    }

    /// A presenter key: next and previous beat, reset to beat N, blank, help, full
    /// screen, controls, leave.
    fn on_present(&mut self, act: Act) {
        let Some(presenter) = &mut self.presenter else {
            if act == Act::Toggle {
                self.enter_present();
            }
            return;
        };
        match presenter.apply(act) {
            PresenterEffect::None => {}
            PresenterEffect::Leave => self.leave_present(),
            PresenterEffect::Fullscreen => self.out.fullscreen = Some(true),
            PresenterEffect::Previous => self.on_lesson(LessonAction::Back),
            PresenterEffect::GoTo(beat) => {
                let beats = self.lesson.as_ref().map_or(0, Player::steps);
                if beat > beats {
                    self.notice = Some(format!("There is no beat {beat}: beats 0 to {beats}."));
                } else {
                    self.on_lesson(LessonAction::GoTo(beat));
                }
            }
            PresenterEffect::Next => {
                let Some(player) = &self.lesson else {
                    return;
                };
                match player.next_beat() {
                    Some(action) => self.on_lesson(action),
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
            self.advance_to(stop, f64::INFINITY, &mut || 0.0);
            self.after_move();
            self.lesson_after_move();
            self.out.paint = true;
        }
    }

    fn on_lesson(&mut self, action: LessonAction) {
        let Some(player) = &mut self.lesson else {
            return;
        };
        if action == LessonAction::TogglePlay {
            if self.playing {
                self.pause();
            } else if player.is_running() {
                self.play();
            }
            return;
        }
        let from_end = player.stage() == crate::view::lesson::Stage::End;
        let rewind = player.act(action);
        self.narration = player.narration();
        if action == LessonAction::FreePlay && from_end {
            self.play_freely();
            return;
        }
        if let Some(rewind) = rewind {
            // Runs are deterministic: the lesson's own run, rebuilt, to that moment.
            self.pause();
            if let Some(scenario) = self.original.clone() {
                self.schedule_replay_to(scenario, rewind.at);
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
            self.play();
            // A step due at once (its milestone came earlier) speaks at once.
            self.lesson_after_move();
        } else if !player.is_active() {
            self.notice = Some("Free play: the run is yours, every control works.".to_string());
        }
    }

    /// "Play freely from here" at a lesson's end: the run plays on from the moment
    /// the lesson ended, at the page's default speed (the lesson's last stretch may
    /// have been slow motion).
    fn play_freely(&mut self) {
        self.speed = SPEED_DEFAULT;
        self.notice = Some(format!(
            "Free play: the run plays on at {}, every control works.",
            speed_label(self.speed)
        ));
        if !self.run.as_ref().is_some_and(Run::finished) {
            self.play();
        }
    }

    /// After the simulation moved: a new snapshot, milestones told, and a pause at a
    /// breakpoint. Returns whether it paused (the page must then be rendered).
    fn after_move(&mut self) -> bool {
        let Some(run) = &mut self.run else {
            return false;
        };
        run.snapshot = run.sim.snapshot();
        self.out.paint = true;
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

    /// Moves the simulation by one frame's worth of simulated time, within the
    /// frame's wall-clock budget.
    fn on_frame(&mut self, frame_ms: f64, reduced_motion: bool, clock: Clock<'_>) {
        if !self.playing || self.pending.is_some() {
            return;
        }
        let Some(run) = &self.run else {
            return;
        };
        let started = clock();
        // A frame that will refresh the DOM leaves the simulation less time.
        let dom_due = frame_ms - self.last_render_ms >= RENDER_EVERY_MS;
        let deadline = started + self.budget.simulation_ms_for(dom_due);
        let mut render = false;
        if let Some(seek) = self.seek.clone() {
            // Seeking: second by second until a milestone, the cap or the budget.
            let mut found = None;
            while let Some(run) = &self.run {
                let to = (run.sim.now() + timebar::SEEK_SLICE).min(seek.cap);
                let reached = self.advance_to(to, deadline, clock);
                let Some(run) = &self.run else { break };
                found = seek.found(run.sim.milestones());
                if found.is_some() || run.sim.now() >= seek.cap || !reached || clock() > deadline {
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
                self.behind = !self.advance_to(target, deadline, clock);
            }
        }
        let moved = clock();
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
        if reduced_motion && !render && frame_ms - self.last_render_ms < REDUCED_MOTION_STEP_MS {
            self.out.paint = false;
            self.work.push(clock() - started);
            return;
        }
        self.out.paint = true;
        let dom = render || dom_due;
        self.out.frame_open = Some(FrameOpen {
            started,
            moved,
            dom,
            pictures: !dom || !self.playing || !self.budget.pictures_wait_for_dom(),
        });
        if dom {
            // The DOM is refreshed: the pictures are painted once, after it.
            self.last_render_ms = frame_ms;
            self.out.render = true;
        }
    }

    /// A frame's work is done at `done_ms` (painted): its figures, and the pictures'
    /// cost for the next frame's budget.
    pub fn frame_done(&mut self, open: FrameOpen, done_ms: f64) {
        // The snapshot, the DOM and the pictures: what the next frame's simulation
        // leaves room for.
        if open.dom {
            self.budget.observe_dom_paint(done_ms - open.moved);
        } else {
            self.budget.observe_paint(done_ms - open.moved);
        }
        self.work.push(done_ms - open.started);
    }

    /// The time controls' status line.
    pub fn status(&self) -> String {
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

    /// The frame-work figure under the page.
    pub fn frame_figure(&self) -> String {
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
}

#[cfg(test)]
mod tests;
