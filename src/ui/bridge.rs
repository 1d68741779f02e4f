//! The bridge to real AWS: the current settings as `aws` CLI commands and as a
//! CloudFormation template (from `share::aws`), each with a copy button, and a box
//! to paste a real `get-event-source-mapping`, `list-event-source-mappings`,
//! `describe-stream-summary` or `describe-stream` response, which loads it (the run is replayed with it)
//! or names what could not be read. The texts are long lines: they open in a modal
//! dialog as wide as the window allows, so they never scroll sideways.

use web_sys::{HtmlDialogElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::share::{copied_words, copy_text};
use crate::share::aws::{self, Place};
use crate::sim::Scenario;

#[derive(Properties, PartialEq)]
pub struct BridgeProps {
    pub scenario: Scenario,
    /// A pasted configuration read: the scenario to replay with it.
    pub on_import: Callback<Scenario>,
}

#[function_component(Bridge)]
pub fn bridge(props: &BridgeProps) -> Html {
    let dialog = use_node_ref();
    let pasted = use_state(String::new);
    let outcome = use_state(|| None::<Result<String, String>>);
    let copied = use_state(|| None::<(&'static str, bool)>);
    // The region and account of the last paste, kept for the commands written back.
    let place = use_state(|| None::<Place>);
    // With a pasted list of several Kinesis mappings, the one chosen.
    let choice = use_state(|| None::<usize>);
    let at = (*place)
        .clone()
        .unwrap_or_else(|| Place::of_scenario(&props.scenario));
    let cli = aws::cli_at(&props.scenario, &at);
    let cfn = aws::cloudformation(&props.scenario);
    let listed = aws::listed(&pasted).filter(|l| l.len() > 1);

    let copy = |which: &'static str, text: String| {
        let copied = copied.clone();
        Callback::from(move |_: MouseEvent| {
            let copied = copied.clone();
            copy_text(
                &text,
                Callback::from(move |ok| copied.set(Some((which, ok)))),
            );
        })
    };
    let status = |which: &'static str| match *copied {
        Some((w, ok)) if w == which => html! {
            <span role="status" data-testid={format!("copied-{which}")}>{ copied_words(ok) }</span>
        },
        _ => Html::default(),
    };
    let on_input = {
        let (pasted, choice) = (pasted.clone(), choice.clone());
        Callback::from(move |e: InputEvent| {
            pasted.set(e.target_unchecked_into::<HtmlTextAreaElement>().value());
            choice.set(None);
        })
    };
    let on_choose = {
        let choice = choice.clone();
        Callback::from(move |e: Event| {
            choice.set(
                e.target_unchecked_into::<HtmlSelectElement>()
                    .value()
                    .parse()
                    .ok(),
            );
        })
    };
    let on_load = {
        let (pasted, outcome, place) = (pasted.clone(), outcome.clone(), place.clone());
        let chosen = (*choice).or_else(|| listed.as_ref().and_then(|l| l.first()).map(|l| l.index));
        let (scenario, on_import) = (props.scenario.clone(), props.on_import.clone());
        Callback::from(
            move |_: MouseEvent| match aws::import_chosen(&scenario, &pasted, chosen) {
                Ok(imported) => {
                    let mut words = if imported.ignored.is_empty() {
                        "Loaded: the run is replayed with these settings.".to_string()
                    } else {
                        format!(
                            "Loaded: the run is replayed with these settings. Not modelled, so ignored: {}.",
                            imported.ignored.join(", ")
                        )
                    };
                    for note in &imported.notes {
                        words.push_str(&format!(" {note}."));
                    }
                    outcome.set(Some(Ok(words)));
                    if imported.place.is_some() {
                        place.set(imported.place.clone());
                    }
                    on_import.emit(imported.scenario);
                }
                Err(e) => outcome.set(Some(Err(format!("Could not load it: {e}")))),
            },
        )
    };
    let open = {
        let dialog = dialog.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(d) = dialog.cast::<HtmlDialogElement>() {
                if !d.open() && d.show_modal().is_err() {
                    d.set_open(true);
                }
            }
        })
    };
    let close = {
        let dialog = dialog.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(d) = dialog.cast::<HtmlDialogElement>() {
                d.close();
            }
        })
    };

    html! {
        <div class="bridge" data-testid="bridge">
            <p class="hint">{ "These settings as aws CLI commands and a CloudFormation template, and a real configuration pasted back in." }</p>
            <button type="button" data-testid="aws-open" onclick={open}>{ "Open the AWS commands" }</button>
            <dialog ref={dialog} class="aws-dialog" data-testid="aws-dialog" aria-labelledby="aws-dialog-title">
                <div class="aws-dialog-head">
                    <h2 id="aws-dialog-title">{ "On real AWS" }</h2>
                    <button type="button" class="close" data-testid="aws-close" onclick={close}>{ "Close" }</button>
                </div>
                <p class="hint" data-testid="aws-place">
                    { format!("ARNs name region {} and account {}", at.region, at.account) }
                    { if place.is_some() { ", from the configuration you pasted." } else { ": replace them with yours, or paste a configuration below to take its own. The function code is yours to fill in." } }
                </p>
                <div class="bridge-head">
                    <span class="panel-title">{ "AWS CLI" }</span>
                    <button type="button" data-testid="copy-cli" onclick={copy("cli", cli.clone())}>{ "Copy" }</button>
                    { status("cli") }
                </div>
                <pre class="code" data-testid="aws-cli" tabindex="0">{ cli }</pre>
                <div class="bridge-head">
                    <span class="panel-title">{ "CloudFormation" }</span>
                    <button type="button" data-testid="copy-cfn" onclick={copy("cfn", cfn.clone())}>{ "Copy" }</button>
                    { status("cfn") }
                </div>
                <pre class="code" data-testid="aws-cfn" tabindex="0">{ cfn }</pre>
                <label class="field" for="aws-paste">
                    <span class="panel-title">{ "Load a real configuration" }</span>
                    <span class="hint">{ "Paste the JSON that aws lambda get-event-source-mapping, aws lambda list-event-source-mappings, aws kinesis describe-stream-summary or aws kinesis describe-stream prints." }</span>
                </label>
                <textarea id="aws-paste" rows="6" class="snippet" data-testid="aws-paste"
                    value={(*pasted).clone()} oninput={on_input} />
                if let Some(listed) = &listed {
                    <label class="field">
                        <span>{ format!("The list holds {} Kinesis mappings: load", listed.len()) }</span>
                        <select data-testid="aws-choose" onchange={on_choose}>
                            { for listed.iter().map(|l| html! {
                                <option value={l.index.to_string()} selected={*choice == Some(l.index)}>{ &l.label }</option>
                            }) }
                        </select>
                    </label>
                }
                <button type="button" data-testid="aws-load" onclick={on_load}>{ "Load" }</button>
                { match &*outcome {
                    Some(Ok(words)) => html! { <p role="status" data-testid="aws-loaded">{ words }</p> },
                    Some(Err(e)) => html! { <p class="knob-error" role="alert" data-testid="aws-error">{ e }</p> },
                    None => Html::default(),
                } }
            </dialog>
        </div>
    }
}
