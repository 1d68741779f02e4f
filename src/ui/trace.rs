//! Follow a record: a partition key field, and the followed record's path as a list
//! in words with times (`view::trace` writes the words). Clicking a record in a lane
//! (handled by the app's canvas) does the same as typing its key.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::view::trace::Line;

#[derive(Properties, PartialEq)]
pub struct TraceProps {
    /// The path so far; empty when no record is followed.
    pub lines: Vec<Line>,
    /// `view::trace::end_word`, or empty.
    pub end: AttrValue,
    pub error: Option<String>,
    pub on_follow_key: Callback<String>,
    pub on_stop: Callback<()>,
}

#[function_component(TracePanel)]
pub fn trace_panel(props: &TraceProps) -> Html {
    let input = use_node_ref();
    let onsubmit = {
        let input = input.clone();
        let on_follow_key = props.on_follow_key.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(field) = input.cast::<HtmlInputElement>() {
                on_follow_key.emit(field.value().trim().to_string());
            }
        })
    };
    let following = !props.lines.is_empty();
    let on_stop = props.on_stop.reform(|_: MouseEvent| ());
    html! {
        <section class="trace" aria-label="Follow a record" data-testid="trace-panel"
            data-end={props.end.clone()}>
            <h2 class="trace-title">{ "Follow a record" }</h2>
            <p class="trace-hint">{ "Click a record in a lane (a pill is easy to pick), or type a partition key to follow its newest record." }</p>
            <form class="trace-form" {onsubmit}>
                <label class="trace-field">
                    <span>{ "Partition key" }</span>
                    <input ref={input} type="text" data-testid="trace-key" maxlength="256"
                        placeholder="key-0003" autocomplete="off" spellcheck="false" />
                </label>
                <button type="submit" data-testid="trace-follow">{ "Follow" }</button>
                if following {
                    <button type="button" data-testid="trace-stop" onclick={on_stop}>{ "Stop following" }</button>
                }
            </form>
            if let Some(e) = &props.error {
                <p class="trace-error" role="alert" data-testid="trace-error">{ e }</p>
            }
            if following {
                <ol class="trace-path" data-testid="trace-path" aria-live="polite">
                    { for props.lines.iter().map(|l| html! {
                        <li class={classes!("trace-step", l.tone.class())} data-testid="trace-step"
                            data-tone={l.tone.class()}>
                            <span class="trace-at num">{ &l.at }</span>
                            <span class="trace-text">{ &l.text }</span>
                        </li>
                    }) }
                </ol>
            }
        </section>
    }
}
