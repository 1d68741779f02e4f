//! Side by side: the scenario as it is set now, run twice on the same seed under two
//! settings (`view::compare`), the two stream pictures over one clock, and the table
//! of what differs. It has its own animation loop, like the page's; the runs move in
//! lockstep, so both pictures always show the same moment.

use gloo::render::{request_animation_frame, AnimationFrame};
use web_sys::{HtmlCanvasElement, HtmlSelectElement};
use yew::prelude::*;

use super::paint::{self, Highlight, Theme};
use crate::sim::{Scenario, SimDuration};
use crate::view::compare::{presets, summary, Pair, Row, Side, Variation};
use crate::view::pace::{speed_label, Pace, SPEEDS};
use crate::view::picture::{DARK, LIGHT};

/// Events each run may handle per frame, so a frame stays short.
const EVENTS_PER_FRAME: usize = 20_000;
/// The speed the comparison starts at: fast, since both runs usually take hours.
const SPEED_START: f64 = 600.0;

#[derive(Properties, PartialEq)]
pub struct CompareProps {
    /// The scenario as the reader has set it; both sides start from it.
    pub scenario: Scenario,
    pub dark: bool,
    pub on_close: Callback<()>,
    /// The comparison to open with (a lesson's "Try it"), before the presets.
    #[prop_or_default]
    pub variation: Option<Variation>,
}

pub enum Msg {
    Frame(f64),
    TogglePlay,
    Restart,
    Choose(usize),
    Speed(usize),
}

pub struct Compare {
    variations: Vec<Variation>,
    chosen: usize,
    /// The two runs, or why they could not be built.
    pair: Result<Pair, String>,
    rows: Vec<Row>,
    playing: bool,
    speed: f64,
    pace: Pace,
    frame: Option<AnimationFrame>,
    left_canvas: NodeRef,
    right_canvas: NodeRef,
}

fn build(scenario: &Scenario, variations: &[Variation], chosen: usize) -> Result<Pair, String> {
    let variation = variations
        .get(chosen)
        .cloned()
        .ok_or("this scenario offers no comparison")?;
    Pair::new(scenario, variation)
}

impl Component for Compare {
    type Message = Msg;
    type Properties = CompareProps;

    fn create(ctx: &Context<Self>) -> Self {
        let scenario = &ctx.props().scenario;
        let mut variations = presets(scenario);
        if let Some(v) = &ctx.props().variation {
            variations.insert(0, v.clone());
        }
        let pair = build(scenario, &variations, 0);
        let rows = pair.as_ref().map(Pair::rows).unwrap_or_default();
        Compare {
            variations,
            chosen: 0,
            pair,
            rows,
            playing: false,
            speed: SPEED_START,
            pace: Pace::default(),
            frame: None,
            left_canvas: NodeRef::default(),
            right_canvas: NodeRef::default(),
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Frame(frame_ms) => return self.on_frame(ctx, frame_ms),
            Msg::TogglePlay => {
                if self.playing {
                    self.stop();
                } else {
                    if self.pair.as_ref().is_ok_and(Pair::finished) {
                        self.rebuild(ctx);
                    }
                    self.play(ctx);
                }
            }
            Msg::Restart => {
                self.rebuild(ctx);
                if self.playing {
                    self.play(ctx);
                }
            }
            Msg::Choose(i) => {
                if i < self.variations.len() {
                    self.chosen = i;
                    self.rebuild(ctx);
                    if self.playing {
                        self.play(ctx);
                    }
                }
            }
            Msg::Speed(i) => {
                if let Some(&s) = SPEEDS.get(i) {
                    self.speed = s;
                    self.pace.reset();
                }
            }
        }
        true
    }

    fn rendered(&mut self, ctx: &Context<Self>, _first_render: bool) {
        self.paint(ctx.props().dark);
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let on_choose = link.callback(|e: Event| {
            Msg::Choose(
                e.target_unchecked_into::<HtmlSelectElement>()
                    .value()
                    .parse()
                    .unwrap_or(0),
            )
        });
        let on_speed = link.callback(|e: Event| {
            Msg::Speed(
                e.target_unchecked_into::<HtmlSelectElement>()
                    .value()
                    .parse()
                    .unwrap_or(0),
            )
        });
        let on_close = ctx.props().on_close.reform(|_| ());
        let variation = self.variations.get(self.chosen);
        let clock = self
            .pair
            .as_ref()
            .ok()
            .map(|p| format!("{} of {}", p.now(), p.end()));
        html! {
            <section class="compare" aria-label="Two settings side by side" data-testid="compare">
                <div class="compare-bar">
                    <h2 class="compare-title">{ "Side by side, same seed" }</h2>
                    <label class="inline-field compare-choice">
                        <span>{ "Compare" }</span>
                        <select data-testid="compare-variation" onchange={on_choose}>
                            { for self.variations.iter().enumerate().map(|(i, v)| html! {
                                <option value={i.to_string()} selected={i == self.chosen}>{ &v.title }</option>
                            }) }
                        </select>
                    </label>
                    <button type="button" class="primary" data-testid="compare-play"
                        onclick={link.callback(|_| Msg::TogglePlay)}>
                        { if self.playing { "Pause" } else { "Play both" } }
                    </button>
                    <button type="button" data-testid="compare-restart"
                        onclick={link.callback(|_| Msg::Restart)}>{ "Restart" }</button>
                    <label class="inline-field">
                        <span>{ "Speed" }</span>
                        <select data-testid="compare-speed" onchange={on_speed}>
                            { for SPEEDS.iter().enumerate().map(|(i, &s)| html! {
                                <option value={i.to_string()} selected={s == self.speed}>{ speed_label(s) }</option>
                            }) }
                        </select>
                    </label>
                    if let Some(clock) = clock {
                        <span class="num compare-clock" data-testid="compare-clock">{ clock }</span>
                    }
                    <button type="button" data-testid="compare-close" onclick={on_close}>
                        { "Back to the playground" }
                    </button>
                </div>
                { match (&self.pair, variation) {
                    (Ok(_), Some(v)) => self.view_runs(v),
                    (Err(e), _) => html! {
                        <p class="knob-error" role="alert" data-testid="compare-error">
                            { format!("These two runs cannot be built: {e}") }
                        </p>
                    },
                    (Ok(_), None) => Html::default(),
                } }
            </section>
        }
    }
}

impl Compare {
    fn play(&mut self, ctx: &Context<Self>) {
        if self.pair.is_err() {
            return;
        }
        self.playing = true;
        self.pace.reset();
        self.request_frame(ctx);
    }

    fn request_frame(&mut self, ctx: &Context<Self>) {
        if self.frame.is_none() {
            let link = ctx.link().clone();
            self.frame = Some(request_animation_frame(move |ms| {
                link.send_message(Msg::Frame(ms));
            }));
        }
    }

    fn stop(&mut self) {
        self.playing = false;
        self.frame = None;
    }

    fn rebuild(&mut self, ctx: &Context<Self>) {
        self.pair = build(&ctx.props().scenario, &self.variations, self.chosen);
        self.rows = self.pair.as_ref().map(Pair::rows).unwrap_or_default();
        self.pace.reset();
    }

    fn on_frame(&mut self, ctx: &Context<Self>, frame_ms: f64) -> bool {
        self.frame = None;
        if !self.playing {
            return false;
        }
        let step = self.pace.advance(frame_ms, self.speed);
        let Ok(pair) = &mut self.pair else {
            self.stop();
            return true;
        };
        if step > SimDuration::ZERO {
            let target = pair.now() + step;
            pair.run_until(target, EVENTS_PER_FRAME);
        }
        self.rows = pair.rows();
        if pair.finished() {
            self.stop();
        } else {
            self.request_frame(ctx);
        }
        true
    }

    fn paint(&self, dark: bool) {
        let Ok(pair) = &self.pair else {
            return;
        };
        let theme: &Theme = if dark { &DARK } else { &LIGHT };
        let highlight = Highlight::default();
        for (canvas, sim) in [
            (&self.left_canvas, &pair.left),
            (&self.right_canvas, &pair.right),
        ] {
            if let Some(canvas) = canvas.cast::<HtmlCanvasElement>() {
                if let Err(e) = paint::paint_stream(&canvas, &sim.snapshot(), theme, &highlight) {
                    gloo::console::error!("painting a comparison failed:", e);
                }
            }
        }
    }

    fn view_runs(&self, v: &Variation) -> Html {
        let better = |side: Side, row: &Row| {
            (row.better == Some(side)).then(|| html! { <span class="better">{ " better" }</span> })
        };
        html! {
            <>
                <div class="compare-runs">
                    <figure class="picture" data-testid="compare-left">
                        <figcaption class="compare-label">{ &v.left_label }</figcaption>
                        <canvas ref={self.left_canvas.clone()} role="img"
                            aria-label={format!("The stream with {}", v.left_label)} />
                    </figure>
                    <figure class="picture" data-testid="compare-right">
                        <figcaption class="compare-label">{ &v.right_label }</figcaption>
                        <canvas ref={self.right_canvas.clone()} role="img"
                            aria-label={format!("The stream with {}", v.right_label)} />
                    </figure>
                </div>
                <p class="compare-summary" aria-live="polite" data-testid="compare-summary">
                    { summary(&self.rows, v) }
                </p>
                <table class="compare-table" data-testid="compare-table">
                    <caption>{ "What differs, both runs at the same moment" }</caption>
                    <thead>
                        <tr>
                            <th scope="col">{ "Figure" }</th>
                            <th scope="col">{ &v.left_label }</th>
                            <th scope="col">{ &v.right_label }</th>
                        </tr>
                    </thead>
                    <tbody>
                        { for self.rows.iter().map(|r| html! {
                            <tr class={classes!(r.differs.then_some("differs"))}
                                data-testid={format!("compare-row-{}", r.id())}
                                data-left={r.left.clone()} data-right={r.right.clone()}>
                                <th scope="row">{ r.name }</th>
                                <td class="num">{ &r.left }{ better(Side::Left, r) }</td>
                                <td class="num">{ &r.right }{ better(Side::Right, r) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </>
        }
    }
}
