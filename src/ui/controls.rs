//! The controls panel: every knob of `view::knobs`, grouped Stream, Producer,
//! Mapping, Function, Account in collapsible `<details>`, plus the actions (a burst,
//! a poison pill now, pills at a rate, adding a mapping). DOM events become values at
//! the edge; the app decides what a value does.

use std::collections::BTreeMap;

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::sim::Scenario;
use crate::view::knobs::{
    box_placeholder, box_value, display, get, log_position, log_value, on_page, typed_value,
    word_breaks, Apply, Control, Group, Knob, KnobId, Target, LOG_STEPS,
};

/// Pill rates the page offers, seconds between pills (0 is off).
pub const PILL_EVERY_S: [u32; 6] = [0, 10, 30, 60, 300, 3_600];

pub use crate::view::page::Action;

#[derive(Properties, PartialEq)]
pub struct ControlsProps {
    pub scenario: Scenario,
    pub target: Target,
    pub errors: BTreeMap<KnobId, String>,
    /// Why the last action was refused, if it was.
    pub action_error: Option<String>,
    pub pill_every_s: u32,
    pub pills_injected: u64,
    /// Groups start open on wide screens, closed on phones.
    pub open: bool,
    pub on_action: Callback<Action>,
}

#[function_component(Controls)]
pub fn controls(props: &ControlsProps) -> Html {
    html! {
        <div class="controls" data-testid="controls">
            { for Group::ALL.iter().map(|&g| view_group(props, g)) }
        </div>
    }
}

fn view_group(props: &ControlsProps, group: Group) -> Html {
    let s = &props.scenario;
    let has_mapping = !s.event_source_mappings.is_empty();
    let knobs = on_page().filter(|k| k.group == group);
    let needs_mapping = matches!(group, Group::Mapping | Group::Function);
    let body = if group == Group::Function && !has_mapping {
        html! {
            <p class="hint">{ "Add an event source mapping (above) to set its function." }</p>
        }
    } else if needs_mapping && !has_mapping {
        let on = props.on_action.reform(|_| Action::AddMapping);
        html! {
            <div class="empty-group">
                <p>{ "This scenario has no event source mapping, so nothing reads the stream." }</p>
                <button type="button" data-testid="add-mapping" onclick={on}>
                    { "Add a mapping with AWS's defaults" }
                </button>
            </div>
        }
    } else {
        html! {
            <>
                if group == Group::Mapping {
                    { view_target(props) }
                }
                { for knobs.map(|k| view_knob(props, k)) }
            </>
        }
    };
    let actions = match group {
        Group::Producer => {
            let on = props.on_action.reform(|_| Action::Burst);
            html! {
                <div class="actions">
                    <button type="button" data-testid="burst" onclick={on}
                        title="The producer offers twice the stream's write limit for the next 5 seconds">
                        { "Burst: 2× the write limit for 5 s" }
                    </button>
                </div>
            }
        }
        Group::Function => view_pill_actions(props),
        _ => Html::default(),
    };
    let error = (matches!(group, Group::Producer | Group::Function))
        .then_some(props.action_error.as_ref())
        .flatten()
        .map(|e| {
            html! { <p class="knob-error" role="alert" data-testid={format!("{}-action-error", group.id())}>{ e }</p> }
        });
    html! {
        <details class="group" open={props.open} data-testid={format!("group-{}", group.id())}>
            <summary>{ group.title() }</summary>
            <div class="group-body">
                { body }
                { actions }
                { for error }
            </div>
        </details>
    }
}

/// With several mappings on the stream, which one the Mapping and Function groups set.
fn view_target(props: &ControlsProps) -> Html {
    let mappings = &props.scenario.event_source_mappings;
    if mappings.len() < 2 {
        return Html::default();
    }
    let on_change = props.on_action.reform(|e: Event| {
        Action::Target(
            e.target_unchecked_into::<HtmlSelectElement>()
                .value()
                .parse()
                .unwrap_or(0),
        )
    });
    html! {
        <label class="field target-field">
            <span class="knob-name">{ "Settings for" }</span>
            <select data-testid="target-mapping" onchange={on_change}>
                { for mappings.iter().enumerate().map(|(i, m)| html! {
                    <option value={i.to_string()} selected={i == props.target.mapping}>
                        { format!("mapping {}: {}", i + 1, m.function_name) }
                    </option>
                }) }
            </select>
            <span class="knob-explain">
                { format!("This stream has {} mappings; the Mapping and Function settings below are those of the one chosen here.", mappings.len()) }
            </span>
        </label>
    }
}

fn view_pill_actions(props: &ControlsProps) -> Html {
    let inject = props.on_action.reform(|_| Action::InjectPill);
    let on_rate = props.on_action.reform(|e: Event| {
        Action::PillEvery(
            e.target_unchecked_into::<HtmlSelectElement>()
                .value()
                .parse()
                .unwrap_or(0),
        )
    });
    html! {
        <div class="actions">
            <button type="button" class="pill-button" data-testid="inject-pill" onclick={inject}>
                <span class="swatch poison" aria-hidden="true" />
                { "Inject a poison pill now" }
            </button>
            <label class="inline-field">
                <span>{ "Pills at a rate" }</span>
                <select data-testid="pill-rate" onchange={on_rate}>
                    { for PILL_EVERY_S.iter().map(|&s| html! {
                        <option value={s.to_string()} selected={s == props.pill_every_s}>
                            { if s == 0 { "off".to_string() } else { format!("one every {} s", crate::view::format::grouped(s.into())) } }
                        </option>
                    }) }
                </select>
            </label>
            <p class="hint num" data-testid="pills-injected">
                { format!("{} injected by you; keys pill-1, pill-2, …", props.pills_injected) }
            </p>
        </div>
    }
}

fn view_knob(props: &ControlsProps, knob: &'static Knob) -> Html {
    let Some(value) = get(knob.id, &props.scenario, props.target) else {
        return Html::default();
    };
    let tid = knob.id.test_id();
    let shown = display(knob, value);
    // "no limit", "off", "until expiry" and choices read without a unit.
    let with_unit = !knob.unit.is_empty()
        && !matches!(knob.control, Control::Choice(_))
        && !shown.starts_with(|c: char| c.is_alphabetic());
    let input_id = format!("knob-{tid}");
    let desc_id = format!("knob-{tid}-desc");
    let error = props.errors.get(&knob.id);
    let id = knob.id;
    let control = match knob.control {
        Control::Choice(labels) => {
            let on = props.on_action.reform(move |e: Event| {
                let v = e
                    .target_unchecked_into::<HtmlSelectElement>()
                    .value()
                    .parse()
                    .unwrap_or(0.0);
                Action::Set(id, v)
            });
            html! {
                <select id={input_id.clone()} data-testid={format!("{tid}-input")}
                    aria-describedby={desc_id.clone()} onchange={on}>
                    { for labels.iter().enumerate().map(|(i, l)| html! {
                        <option value={i.to_string()} selected={i as f64 == value}>{ *l }</option>
                    }) }
                </select>
            }
        }
        Control::Number => {
            let on_number = typed_number(&props.on_action, id);
            html! {
                <div class="slider-row">
                    <HeldInput kind="number" class="num" id={Some(input_id.clone())} test_id={format!("{tid}-input")}
                        describedby={Some(desc_id.clone())}
                        min={knob.min.to_string()} max={knob.max.to_string()} step="any"
                        value={box_value(knob, value)} placeholder={box_placeholder(knob)}
                        onchange={on_number} />
                </div>
            }
        }
        Control::Slider { log } => {
            let (min, max, step, position) = if log {
                (0.0, LOG_STEPS, 1.0, log_position(knob, value))
            } else {
                (knob.min, knob.max, knob.step, value)
            };
            let from_slider = move |e: &Event| {
                let p: f64 = e
                    .target_unchecked_into::<HtmlInputElement>()
                    .value()
                    .parse()
                    .unwrap_or(0.0);
                Action::Set(id, if log { log_value(id.knob(), p) } else { p })
            };
            // Live knobs follow the slider as it moves; rebuilds wait for the release.
            let on_input = (knob.apply() == Apply::Live)
                .then(|| props.on_action.reform(move |e: InputEvent| from_slider(&e)));
            let on_change = props.on_action.reform(move |e: Event| from_slider(&e));
            let on_number = typed_number(&props.on_action, id);
            html! {
                <div class="slider-row">
                    <HeldInput kind="range" id={Some(input_id.clone())} test_id={format!("{tid}-slider")}
                        min={min.to_string()} max={max.to_string()} step={step.to_string()}
                        value={position.to_string()}
                        describedby={Some(desc_id.clone())}
                        valuetext={Some(if with_unit { format!("{shown} {}", knob.unit) } else { shown.clone() })}
                        oninput={on_input} onchange={on_change} />
                    <HeldInput kind="number" class="num" test_id={format!("{tid}-input")}
                        label={Some(format!("{} in {}", knob.label(), if knob.unit.is_empty() { "units" } else { knob.unit }))}
                        min={knob.min.to_string()} max={knob.max.to_string()} step={knob.step.to_string()}
                        value={box_value(knob, value)} placeholder={box_placeholder(knob)}
                        onchange={on_number} />
                </div>
            }
        }
    };
    html! {
        <div class={classes!("knob", error.is_some().then_some("refused"))} data-testid={format!("knob-{tid}")}>
            <label class="knob-head" for={input_id}>
                <span class="knob-name" data-testid={format!("{tid}-name")}>
                    { for word_breaks(knob.label()).into_iter().enumerate().map(|(i, piece)| html! {
                        <>
                            if i > 0 { <wbr /> }
                            { piece }
                        </>
                    }) }
                    if knob.shows_json_name() {
                        <span class="knob-json num" title="Its name in a scenario's JSON">{ knob.name }</span>
                    }
                </span>
                <span class="knob-value num" data-testid={format!("{tid}-value")}>
                    { shown.clone() }
                    if with_unit {
                        <span class="unit">{ format!(" {}", knob.unit) }</span>
                    }
                </span>
            </label>
            { control }
            <p class="knob-explain" id={desc_id}>
                { knob.explain }
                <span class="knob-source">
                    { knob.source }
                    if knob.apply() == Apply::Rebuild { { " · replays the run with the new value" } }
                </span>
            </p>
            if let Some(e) = error {
                <p class="knob-error" role="alert" data-testid={format!("{tid}-error")}>{ e }</p>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub(super) struct HeldInputProps {
    /// `range` or `number`.
    pub kind: &'static str,
    pub value: String,
    pub min: String,
    pub max: String,
    pub step: String,
    pub test_id: String,
    #[prop_or_default]
    pub id: Option<String>,
    #[prop_or_default]
    pub class: Classes,
    #[prop_or_default]
    pub label: Option<String>,
    #[prop_or_default]
    pub describedby: Option<String>,
    #[prop_or_default]
    pub valuetext: Option<String>,
    /// What an empty box means ("none", "off").
    #[prop_or_default]
    pub placeholder: Option<String>,
    #[prop_or_default]
    pub oninput: Option<Callback<InputEvent>>,
    pub onchange: Callback<Event>,
}

/// The change handler of a typed number: the value (an optional number's empty box is
/// none), or the text that is not one.
fn typed_number(on_action: &Callback<Action>, id: KnobId) -> Callback<Event> {
    on_action.reform(move |e: Event| {
        let text = e.target_unchecked_into::<HtmlInputElement>().value();
        match typed_value(id.knob(), &text) {
            Some(v) => Action::Set(id, v),
            None => Action::NotANumber(id, text),
        }
    })
}

/// An input whose value follows the simulation but never fights the reader: the page
/// re-renders ten times a second while it plays, and an input rendered with a `value`
/// would be reset under the reader's fingers (a number half typed, a slider being
/// dragged). This one writes the value into the DOM only when the value itself
/// changes, and then not over a number the reader is typing (focused, and no longer
/// the value shown before).
#[function_component(HeldInput)]
pub(super) fn held_input(p: &HeldInputProps) -> Html {
    let node = use_node_ref();
    let shown = use_mut_ref(String::new);
    {
        let node = node.clone();
        let kind = p.kind;
        use_effect_with(p.value.clone(), move |value| {
            if let Some(input) = node.cast::<HtmlInputElement>() {
                let focused = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.active_element())
                    .is_some_and(|a| a == **input);
                let typing = kind == "number" && focused && input.value() != *shown.borrow();
                if !typing && input.value() != *value {
                    input.set_value(value);
                }
            }
            *shown.borrow_mut() = value.clone();
        });
    }
    html! {
        <input ref={node} type={p.kind} id={p.id.clone()} class={p.class.clone()}
            data-testid={p.test_id.clone()} min={p.min.clone()} max={p.max.clone()}
            step={p.step.clone()} aria-label={p.label.clone()}
            aria-describedby={p.describedby.clone()} aria-valuetext={p.valuetext.clone()}
            placeholder={p.placeholder.clone()} oninput={p.oninput.clone()} onchange={p.onchange.clone()} />
    }
}
