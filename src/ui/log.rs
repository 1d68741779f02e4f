//! The event log: what happened, newest first, from the simulation's journal.
//! Milestones are marked; choosing an entry highlights its shard and offers to go
//! back to its moment.

use yew::prelude::*;

use super::paint::Highlight;
use crate::view::table::LogLine;

/// An entry chosen in the log: its number and what it highlights.
pub type Pick = Option<(u64, Highlight)>;

#[derive(Properties, PartialEq)]
pub struct LogProps {
    pub lines: Vec<LogLine>,
    /// The number of the entry chosen, if any.
    pub selected: Option<u64>,
    pub on_pick: Callback<Pick>,
    /// Go to the chosen entry's moment, in ms.
    pub on_jump: Callback<u64>,
}

#[function_component(EventLog)]
pub fn event_log(props: &LogProps) -> Html {
    html! {
        <section class="log" aria-labelledby="log-title">
            <h2 class="panel-title" id="log-title">{ "What happened" }</h2>
            if props.lines.is_empty() {
                <p class="hint" data-testid="log-empty">{ "Nothing yet: entries appear as the run goes wrong." }</p>
            }
            <ol class="log-list" data-testid="event-log">
                { for props.lines.iter().map(|l| view_line(props, l)) }
            </ol>
        </section>
    }
}

fn view_line(props: &LogProps, l: &LogLine) -> Html {
    let pick = Highlight {
        shard: l.shard,
        mapping: l.mapping,
    };
    let selected = props.selected == Some(l.number);
    let number = l.number;
    let on = props
        .on_pick
        .reform(move |_| (!selected).then_some((number, pick)));
    html! {
        <li class={classes!("log-entry", l.milestone.map(|_| "milestone"), selected.then_some("selected"))}
            data-testid="log-entry" data-shard={l.shard.map(|s| s.to_string())}>
            <button type="button" class="log-button" onclick={on} aria-pressed={selected.to_string()}
                title={if l.shard.is_some() { "Highlight this shard" } else { "" }}>
                <span class="log-time num">{ &l.at }</span>
                if let Some(m) = l.milestone {
                    <span class="log-milestone">{ format!("★ {m}") }</span>
                }
                <span class="log-text">{ &l.text }</span>
            </button>
            if selected {
                <button type="button" class="log-jump" data-testid="log-jump"
                    onclick={props.on_jump.reform({ let at = l.at_ms; move |_| at })}>
                    { format!("Go back to {}", l.at) }
                </button>
            }
        </li>
    }
}
