//! The shard table: the picture's accessible twin, one row per shard with records,
//! each mapping's iterator, and throttles. Collapsed by default above 16 shards.

use yew::prelude::*;

use super::paint::Highlight;
use crate::view::format::grouped;
use crate::view::table::ShardRow;

#[derive(Properties, PartialEq)]
pub struct TableProps {
    pub rows: Vec<ShardRow>,
    pub shard_count: usize,
    pub mapping_names: Vec<String>,
    pub open: bool,
    pub highlight: Highlight,
    pub on_toggle: Callback<bool>,
}

#[function_component(ShardTable)]
pub fn shard_table(props: &TableProps) -> Html {
    let on_toggle = props.on_toggle.reform(|e: Event| {
        e.target_unchecked_into::<web_sys::HtmlDetailsElement>()
            .open()
    });
    let shown = if props.rows.len() < props.shard_count {
        format!(" (first {} shown)", grouped(props.rows.len() as u64))
    } else {
        String::new()
    };
    html! {
        <details class="table-wrap" open={props.open} ontoggle={on_toggle} data-testid="shard-table-details">
            <summary>{ format!("Shards as a table: {}{shown}", grouped(props.shard_count as u64)) }</summary>
            if props.open {
                // Focusable, so that a keyboard can scroll a table wider than the page.
                <div class="table-scroll" tabindex="0" role="region" aria-label="Shard table">
                    <table data-testid="shard-table">
                        <thead>
                            <tr>
                                <th scope="col">{ "Shard" }</th>
                                <th scope="col" class="n">{ "Records" }</th>
                                <th scope="col" class="n">{ "In, records/s" }</th>
                                <th scope="col" class="n">{ "Throttled/s" }</th>
                                { for props.mapping_names.iter().map(|n| html! {
                                    <th scope="col" class="n">{ format!("{n}: behind, age") }</th>
                                }) }
                                <th scope="col">{ "State" }</th>
                            </tr>
                        </thead>
                        <tbody>
                            { for props.rows.iter().map(|r| view_row(props, r)) }
                        </tbody>
                    </table>
                </div>
            }
        </details>
    }
}

fn view_row(props: &TableProps, r: &ShardRow) -> Html {
    let highlighted = props.highlight.shard == Some(r.index);
    html! {
        <tr data-testid={format!("shard-row-{}", r.index)} data-blocked={r.blocked.to_string()}
            data-highlighted={highlighted.to_string()}
            class={classes!(r.blocked.then_some("blocked"), highlighted.then_some("highlighted"))}>
            <th scope="row">{ &r.label }</th>
            <td class="n num">{ grouped(r.records) }</td>
            <td class="n num">{ grouped(r.incoming_last_s) }</td>
            <td class={classes!("n", "num", (r.throttled_last_s > 0).then_some("hot"))}>{ grouped(r.throttled_last_s) }</td>
            { for r.iterators.iter().map(|c| html! {
                <td class="n num">{ format!("{}, {}", grouped(c.behind), c.age) }</td>
            }) }
            <td>{ if r.blocked { "blocked by a failing batch" } else { "flowing" } }</td>
        </tr>
    }
}
