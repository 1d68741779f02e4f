//! The first minute's parts: the start card of a first visit (its paths from
//! `view::start`), the scenario picker in sections (free play, lessons,
//! challenges), and the keys `?` lists outside presenter mode.

use std::rc::Rc;

use web_sys::{HtmlDialogElement, HtmlSelectElement};
use yew::prelude::*;

use crate::view::scenarios::Choice;
use crate::view::start::{paths, picker_groups, Path, Section, PAGE_KEYS};

/// The picker's groups: each section with its scenarios' indices and titles.
pub type Groups = Rc<Vec<(Section, Vec<(usize, String)>)>>;

/// What the picker and the start card show, computed once from the built-in
/// scenarios (the page re-renders ten times a second while it plays).
pub fn groups_and_paths(choices: &[Choice]) -> (Groups, Rc<Vec<Path>>) {
    let groups = picker_groups(choices)
        .into_iter()
        .map(|(section, of)| {
            let titled = of.into_iter().map(|i| (i, choices[i].title.clone()));
            (section, titled.collect())
        })
        .collect();
    (Rc::new(groups), Rc::new(paths(choices)))
}

#[derive(Properties, PartialEq)]
pub struct StartCardProps {
    pub paths: Rc<Vec<Path>>,
    /// "Free play": close the card and play with the scenario shown.
    pub on_dismiss: Callback<()>,
}

/// Where to start: a short card, not a modal, so the page plays and works under it.
#[function_component(StartCard)]
pub fn start_card(props: &StartCardProps) -> Html {
    let dismiss = props.on_dismiss.reform(|_: MouseEvent| ());
    html! {
        <section class="start-card" data-testid="start-card" aria-labelledby="start-card-title">
            <h2 id="start-card-title">{ "Where to start" }</h2>
            <div class="start-paths">
                { for props.paths.iter().map(|p| html! {
                    <div class="start-path" data-testid={format!("start-{}", p.id)}>
                        <h3>{ p.title }</h3>
                        <p>{ p.blurb }</p>
                        if let Some(first) = p.steps.first() {
                            <a class="start-go" href={first.href.clone()} data-testid={format!("start-{}-go", p.id)}>
                                { p.go }
                            </a>
                        }
                        <details class="start-steps">
                            <summary>{ format!("The {} steps, in order", p.steps.len()) }</summary>
                            <ol>
                                { for p.steps.iter().map(|s| html! {
                                    <li>
                                        <a href={s.href.clone()}>{ &s.title }</a>
                                        if s.section == Section::Challenges {
                                            <span class="start-kind">{ " (challenge)" }</span>
                                        }
                                    </li>
                                }) }
                            </ol>
                        </details>
                    </div>
                }) }
                <div class="start-path" data-testid="start-free">
                    <h3>{ "Free play" }</h3>
                    <p>{ "Turn any knob of the steady stream running now, or pick a scenario above the picture." }</p>
                    <button type="button" class="start-go" data-testid="start-free-play" onclick={dismiss}>
                        { "Play freely" }
                    </button>
                </div>
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct PickerProps {
    pub groups: Groups,
    pub selected: usize,
    pub on_select: Callback<usize>,
}

/// The scenario picker, its options grouped Free play, Lessons, Challenges.
#[function_component(Picker)]
pub fn picker(props: &PickerProps) -> Html {
    let on_change = props.on_select.reform(|e: Event| {
        e.target_unchecked_into::<HtmlSelectElement>()
            .value()
            .parse()
            .unwrap_or(0)
    });
    html! {
        <label class="field picker">
            <span class="panel-title">{ "Scenario" }</span>
            <select data-testid="scenario" onchange={on_change}>
                { for props.groups.iter().map(|(section, of)| html! {
                    <optgroup label={section.title()}>
                        { for of.iter().map(|(i, title)| html! {
                            <option value={i.to_string()} selected={*i == props.selected}>
                                { title }
                            </option>
                        }) }
                    </optgroup>
                }) }
            </select>
        </label>
    }
}

#[derive(Properties, PartialEq)]
pub struct KeysHelpProps {
    pub on_close: Callback<()>,
}

/// The page's keys, in a modal dialog (Escape or Close closes it).
#[function_component(KeysHelp)]
pub fn keys_help(props: &KeysHelpProps) -> Html {
    let dialog = use_node_ref();
    {
        let dialog = dialog.clone();
        use_effect_with((), move |()| {
            if let Some(d) = dialog.cast::<HtmlDialogElement>() {
                if !d.open() && d.show_modal().is_err() {
                    d.set_open(true);
                }
            }
        });
    }
    let close = props.on_close.reform(|_: MouseEvent| ());
    let closed = props.on_close.reform(|_: Event| ());
    html! {
        <dialog ref={dialog} class="keys-help" data-testid="keys-help"
            aria-labelledby="keys-help-title" onclose={closed}>
            <h2 id="keys-help-title">{ "Keys" }</h2>
            <dl>
                { for PAGE_KEYS.iter().map(|(keys, what)| html! {
                    <>
                        <dt>{ *keys }</dt>
                        <dd>{ *what }</dd>
                    </>
                }) }
            </dl>
            <p class="hint">{ "Keys work anywhere but in a form field." }</p>
            <button type="button" data-testid="keys-help-close" onclick={close}>{ "Close" }</button>
        </dialog>
    }
}
