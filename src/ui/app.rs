//! The page: time controls, the scenario picker, the stream picture and the counters.
//!
//! One component owns the running [`Simulation`]. While playing, it re-requests an
//! animation frame each frame and keeps the handle, so pausing (dropping the handle)
//! cancels the loop. Each frame turns wall-clock time into simulated time (`pace.rs`)
//! and moves the simulation with a cap on events.

use gloo::events::EventListener;
use gloo::render::{request_animation_frame, AnimationFrame};
use web_sys::{HtmlCanvasElement, HtmlSelectElement, MediaQueryList};
use yew::prelude::*;

use super::paint;
use crate::sim::{Scenario, SimDuration, Simulation, Snapshot, StreamTotals};
use crate::view::format::{count, grouped, grouped_f64};
use crate::view::lanes::{self, Theme};
use crate::view::pace::{Pace, EVENTS_PER_FRAME_MAX, SPEEDS, SPEED_DEFAULT};
use crate::view::scenarios::{self, Choice};

const DARK_QUERY: &str = "(prefers-color-scheme: dark)";
const REDUCED_MOTION_QUERY: &str = "(prefers-reduced-motion: reduce)";

pub enum Msg {
    /// An animation frame, stamped in ms.
    Frame(f64),
    TogglePlay,
    Restart,
    SetSpeed(u32),
    SelectScenario(usize),
    /// The window or the colour scheme changed: paint the picture again.
    Repaint,
}

/// A scenario being simulated, with its latest snapshot.
struct Run {
    sim: Simulation,
    snapshot: Snapshot,
}

impl Run {
    fn new(scenario: &Scenario) -> Self {
        let sim = Simulation::new(scenario);
        let snapshot = sim.snapshot();
        Run { sim, snapshot }
    }

    fn finished(&self) -> bool {
        self.sim.now() >= self.sim.end()
    }
}

pub struct App {
    choices: Vec<Choice>,
    selected: usize,
    /// `None` when the selected scenario failed to parse.
    run: Option<Run>,
    playing: bool,
    speed: u32,
    pace: Pace,
    /// The last frame hit `EVENTS_PER_FRAME_MAX`: the run is slower than `speed`.
    behind: bool,
    /// The pending animation frame; dropping it cancels the loop.
    frame: Option<AnimationFrame>,
    canvas: NodeRef,
    _listeners: Vec<EventListener>,
}

impl Component for App {
    type Message = Msg;
    type Properties = ();

    fn create(ctx: &Context<Self>) -> Self {
        let choices = scenarios::choices();
        let run = choices
            .first()
            .and_then(|c| c.scenario.as_ref().ok())
            .map(Run::new);
        let mut app = App {
            choices,
            selected: 0,
            run,
            playing: false,
            speed: SPEED_DEFAULT,
            pace: Pace::default(),
            behind: false,
            frame: None,
            canvas: NodeRef::default(),
            _listeners: repaint_listeners(ctx),
        };
        // Motion is the point of the page, but not for readers who asked for less.
        if !media(REDUCED_MOTION_QUERY).is_some_and(|m| m.matches()) {
            app.play(ctx);
        }
        app
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Frame(frame_ms) => self.on_frame(ctx, frame_ms),
            Msg::TogglePlay => {
                if self.playing {
                    self.pause();
                } else {
                    if self.run.as_ref().is_some_and(Run::finished) {
                        self.restart();
                    }
                    self.play(ctx);
                }
                true
            }
            Msg::Restart => {
                self.restart();
                true
            }
            Msg::SetSpeed(speed) => {
                self.speed = speed;
                true
            }
            Msg::SelectScenario(index) => {
                if index < self.choices.len() {
                    self.selected = index;
                    self.restart();
                    if self.playing {
                        self.play(ctx);
                    }
                }
                true
            }
            Msg::Repaint => {
                self.paint();
                false
            }
        }
    }

    fn rendered(&mut self, _ctx: &Context<Self>, _first_render: bool) {
        self.paint();
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
        let on_speed = link.callback(|e: Event| {
            Msg::SetSpeed(
                e.target_unchecked_into::<HtmlSelectElement>()
                    .value()
                    .parse()
                    .unwrap_or(SPEED_DEFAULT),
            )
        });
        let on_scenario = link.callback(|e: Event| {
            Msg::SelectScenario(
                e.target_unchecked_into::<HtmlSelectElement>()
                    .value()
                    .parse()
                    .unwrap_or(0),
            )
        });
        let disabled = self.run.is_none();

        html! {
            <div class="app">
                <header class="topbar">
                    <h1 class="brand" data-testid="title">{ "Kinesis Playground" }</h1>
                    <div class="readouts">
                        <div class="readout">
                            <span class="readout-label">{ "Simulated time" }</span>
                            <span class="readout-value num" data-testid="clock">{ now }</span>
                            if let Some(end) = end {
                                <span class="readout-of num">{ format!("of {end}") }</span>
                            }
                        </div>
                        <div class="readout">
                            <span class="readout-label">{ "Seed" }</span>
                            <span class="readout-value num" data-testid="seed">{ seed }</span>
                        </div>
                    </div>
                    <div class="time-controls">
                        <button type="button" class="primary" data-testid="play" {disabled}
                            aria-pressed={self.playing.to_string()}
                            onclick={link.callback(|_| Msg::TogglePlay)}>
                            { if self.playing { "Pause" } else { "Play" } }
                        </button>
                        <button type="button" data-testid="restart" {disabled}
                            onclick={link.callback(|_| Msg::Restart)}>
                            { "Restart" }
                        </button>
                        <label class="speed">
                            <span>{ "Speed" }</span>
                            <select data-testid="speed" onchange={on_speed}>
                                { for SPEEDS.iter().map(|&s| html! {
                                    <option value={s.to_string()} selected={s == self.speed}>{ format!("{}×", grouped(u64::from(s))) }</option>
                                }) }
                            </select>
                        </label>
                        <span class="status" data-testid="status" role="status">{ self.status() }</span>
                    </div>
                </header>
                <main class="layout">
                    <section class="stage" aria-label="The stream">
                        { self.view_picture() }
                        if let Some(snapshot) = snapshot {
                            { view_counters(&snapshot.totals) }
                        }
                    </section>
                    <aside class="panel">
                        <label class="field">
                            <span class="panel-title">{ "Scenario" }</span>
                            <select data-testid="scenario" onchange={on_scenario}>
                                { for self.choices.iter().enumerate().map(|(i, c)| html! {
                                    <option value={i.to_string()} selected={i == self.selected}>{ &c.title }</option>
                                }) }
                            </select>
                        </label>
                        { self.view_facts() }
                    </aside>
                </main>
            </div>
        }
    }
}

impl App {
    fn play(&mut self, ctx: &Context<Self>) {
        if self.run.is_none() {
            return;
        }
        self.playing = true;
        self.pace.reset();
        self.request_frame(ctx);
    }

    fn pause(&mut self) {
        self.playing = false;
        self.behind = false;
        self.frame = None;
    }

    /// Starts the selected scenario again from time zero; keeps playing if it was.
    fn restart(&mut self) {
        self.run = self
            .choices
            .get(self.selected)
            .and_then(|c| c.scenario.as_ref().ok())
            .map(Run::new);
        self.behind = false;
        self.pace.reset();
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

    /// Moves the simulation by one frame's worth of simulated time; returns whether
    /// the page changed.
    fn on_frame(&mut self, ctx: &Context<Self>, frame_ms: f64) -> bool {
        self.frame = None;
        let Some(run) = self.run.as_mut().filter(|_| self.playing) else {
            return false;
        };
        let step = self.pace.advance(frame_ms, self.speed);
        let moved = step > SimDuration::ZERO;
        if moved {
            let handled = run
                .sim
                .run_until(run.sim.now() + step, EVENTS_PER_FRAME_MAX);
            self.behind = handled >= EVENTS_PER_FRAME_MAX;
            run.snapshot = run.sim.snapshot();
        }
        if run.finished() {
            self.pause();
            return true;
        }
        self.request_frame(ctx);
        moved
    }

    fn status(&self) -> String {
        match &self.run {
            None => "Cannot run".to_string(),
            Some(run) if run.finished() => "Finished".to_string(),
            Some(_) if !self.playing => "Paused".to_string(),
            Some(_) if self.behind => {
                format!(
                    "Behind: at most {} per frame",
                    count(EVENTS_PER_FRAME_MAX as u64, "event", "events")
                )
            }
            Some(_) => format!("Running at {}×", grouped(u64::from(self.speed))),
        }
    }

    fn view_picture(&self) -> Html {
        let choice = self.choices.get(self.selected);
        match (choice, &self.run) {
            (_, Some(run)) => html! {
                <figure class="picture">
                    <canvas ref={self.canvas.clone()} data-testid="stream-canvas" role="img"
                        aria-label={lanes::describe(&run.snapshot.shards)} />
                    <figcaption class="legend">
                        <span class="legend-item">
                            <span class="swatch waiting" aria-hidden="true" />
                            { "Records in the shard, relative to the fullest shard" }
                        </span>
                        <span class="legend-item">
                            <span class="swatch throttled" aria-hidden="true" />
                            { "Throttled at the write head in the last second" }
                        </span>
                    </figcaption>
                </figure>
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

    /// What the selected scenario sets up, with units.
    fn view_facts(&self) -> Html {
        let Some(Ok(s)) = self.choices.get(self.selected).map(|c| &c.scenario) else {
            return Html::default();
        };
        let producer = s.producer.as_ref().map(|p| {
            html! {
                <>
                    <dt>{ "Producer" }</dt>
                    <dd class="num">{ format!("{} records/s", grouped_f64(p.records_per_s)) }</dd>
                    <dt>{ "Record size" }</dt>
                    <dd class="num">{ count(p.record_bytes.into(), "byte", "bytes") }</dd>
                </>
            }
        });
        html! {
            <>
                if !s.description.is_empty() {
                    <p class="description">{ &s.description }</p>
                }
                <dl class="facts" data-testid="facts">
                    <dt>{ "Stream" }</dt>
                    <dd>{ &s.stream.stream_name }</dd>
                    <dt>{ "Shards" }</dt>
                    <dd class="num">{ grouped(s.stream.shard_count.into()) }</dd>
                    <dt>{ "Retention" }</dt>
                    <dd class="num">{ count(s.stream.retention_period_hours.into(), "hour", "hours") }</dd>
                    <dt>{ "Duration" }</dt>
                    <dd class="num">{ count(s.duration_s, "second", "seconds") }</dd>
                    { for producer }
                </dl>
            </>
        }
    }

    fn paint(&self) {
        let Some(canvas) = self.canvas.cast::<HtmlCanvasElement>() else {
            return;
        };
        let Some(run) = &self.run else {
            return;
        };
        let dark = media(DARK_QUERY).is_some_and(|m| m.matches());
        let theme = Theme::for_scheme(dark);
        let highlight = paint::Highlight::default();
        if let Err(e) = paint::paint_stream(&canvas, &run.snapshot, theme, &highlight) {
            gloo::console::error!("painting the stream picture failed:", e);
        }
    }
}

fn view_counters(totals: &StreamTotals) -> Html {
    let counters: [(&str, &str, u64, &str, &str); 6] = [
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
            "Throttled",
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

fn media(query: &str) -> Option<MediaQueryList> {
    web_sys::window()?.match_media(query).ok().flatten()
}

/// Repaints the picture when the window resizes or the colour scheme changes.
fn repaint_listeners(ctx: &Context<App>) -> Vec<EventListener> {
    let mut listeners = Vec::new();
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
