//! The event log: what happened, newest first, from the simulation's journal.
//! Milestones are marked; choosing an entry highlights its shard.

use yew::prelude::*;

use super::paint::Highlight;
use crate::view::table::LogLine;

#[derive(Properties, PartialEq)]
pub struct LogProps {
    pub lines: Vec<LogLine>,
    pub highlight: Highlight,
    pub on_pick: Callback<Highlight>,
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
    let selected = l.shard.is_some() && props.highlight == pick;
    let next = if selected { Highlight::default() } else { pick };
    let on = props.on_pick.reform(move |_| next);
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
        </li>
    }
}
