//! The time controls: play/pause, a single step, "run to the next interesting event",
//! restart, the speed from slow motion to fast-forward, and the theme toggle.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::view::pace::{speed_label, SPEEDS};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeAction {
    TogglePlay,
    Step,
    Seek,
    Restart,
    Speed(usize),
}

#[derive(Properties, PartialEq)]
pub struct TimebarProps {
    pub playing: bool,
    pub seeking: bool,
    pub disabled: bool,
    pub speed_index: usize,
    pub status: String,
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
        </div>
    }
}
