//! The time controls: play/pause, a single step, "run to the next interesting event",
//! restart, the speed from slow motion to fast-forward, the timeline to jump to any
//! moment (back as well as forward), and the kinds of trouble to pause at.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::controls::HeldInput;
use crate::sim::SimTime;
use crate::view::charts::clock_label;
use crate::view::pace::{speed_label, SPEEDS};

pub use crate::view::page::TimeAction;

#[derive(Properties, PartialEq)]
pub struct TimebarProps {
    pub playing: bool,
    pub seeking: bool,
    pub disabled: bool,
    pub speed_index: usize,
    pub status: String,
    /// The run's clock and end, whole seconds, for the timeline.
    pub now_s: u64,
    pub end_s: u64,
    /// Each kind of trouble the page can pause at: its label and whether it is armed.
    pub breakpoints: Vec<(&'static str, bool)>,
    pub on_action: Callback<TimeAction>,
}

#[function_component(Timebar)]
pub fn timebar(props: &TimebarProps) -> Html {
    let on = |a: TimeAction| props.on_action.reform(move |_| a);
    let on_speed = props.on_action.reform(|e: Event| {
        TimeAction::Speed(
            e.target_unchecked_into::<HtmlSelectElement>()
                .value()
                .parse()
                .unwrap_or(0),
        )
    });
    let disabled = props.disabled;
    html! {
        <div class="timebar" role="group" aria-label="Time controls" data-testid="timebar">
            <button type="button" class="primary" data-testid="play" {disabled}
                aria-pressed={props.playing.to_string()}
                onclick={on(TimeAction::TogglePlay)}>
                { if props.playing { "Pause" } else { "Play" } }
            </button>
            <button type="button" data-testid="step" {disabled} onclick={on(TimeAction::Step)}
                title="Move one simulated second">
                { "Step 1 s" }
            </button>
            <button type="button" data-testid="seek" {disabled} onclick={on(TimeAction::Seek)}
                aria-pressed={props.seeking.to_string()}
                title="Run until something new goes wrong, then pause there">
                { if props.seeking { "Seeking…" } else { "Run to next event" } }
            </button>
            <button type="button" data-testid="restart" {disabled} onclick={on(TimeAction::Restart)}
                title="Start again from zero with the current settings">
                { "Restart" }
            </button>
            <label class="speed">
                <span>{ "Speed" }</span>
                <select data-testid="speed" onchange={on_speed}>
                    { for SPEEDS.iter().enumerate().map(|(i, &s)| html! {
                        <option value={i.to_string()} selected={i == props.speed_index}>{ speed_label(s) }</option>
                    }) }
                </select>
            </label>
            <span class="status" data-testid="status" role="status">{ &props.status }</span>
            { view_timeline(props) }
            { view_breakpoints(props) }
        </div>
    }
}

/// The run from start to end as a slider: drag or use the arrow keys to go to a
/// moment; going back replays the run from the start to there.
fn view_timeline(props: &TimebarProps) -> Html {
    let at = |e: &Event| {
        e.target_unchecked_into::<HtmlInputElement>()
            .value()
            .parse()
            .unwrap_or(0)
    };
    let on_change = props
        .on_action
        .reform(move |e: Event| TimeAction::JumpTo(at(&e) * 1_000));
    let on_input = props.on_action.reform(|_: InputEvent| TimeAction::Scrub);
    let now = SimTime::from_s(props.now_s);
    let end = SimTime::from_s(props.end_s);
    html! {
        <div class="timeline">
            <span class="num timeline-end" aria-hidden="true">{ clock_label(0.0) }</span>
            <HeldInput kind="range" test_id="timeline" min="0" max={props.end_s.to_string()}
                step="1" value={props.now_s.to_string()}
                label={Some("Moment in the run: going back replays the run to there".to_string())}
                valuetext={Some(format!("{now} of {end}"))}
                oninput={Some(on_input)} onchange={on_change} />
            <span class="num timeline-end" aria-hidden="true">{ clock_label(props.end_s as f64) }</span>
        </div>
    }
}

/// "Pause at…": the kinds of trouble that stop the run the first time they happen.
fn view_breakpoints(props: &TimebarProps) -> Html {
    let armed = props.breakpoints.iter().filter(|(_, on)| *on).count();
    html! {
        <details class="breakpoints" data-testid="breakpoints">
            <summary>
                { if armed == 0 { "Pause at…".to_string() } else { format!("Pause at… ({armed} on)") } }
            </summary>
            <fieldset>
                <legend>{ "Pause the first time this happens while playing" }</legend>
                { for props.breakpoints.iter().enumerate().map(|(i, &(label, on))| {
                    let toggle = props.on_action.reform(move |_: Event| TimeAction::Breakpoint(i));
                    html! {
                        <label class="check">
                            <input type="checkbox" checked={on} onchange={toggle}
                                data-testid={format!("breakpoint-{i}")} />
                            { label }
                        </label>
                    }
                }) }
            </fieldset>
        </details>
    }
}
