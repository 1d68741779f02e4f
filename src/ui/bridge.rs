//! The bridge to real AWS: the current settings as `aws` CLI commands and as a
//! CloudFormation template (from `share::aws`), each with a copy button, and a box
//! to paste a real `get-event-source-mapping` or `describe-stream-summary` response,
//! which loads it (the run is replayed with it) or names what could not be read.

use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use super::share::{copied_words, copy_text};
use crate::share::aws;
use crate::sim::Scenario;

#[derive(Properties, PartialEq)]
pub struct BridgeProps {
    pub scenario: Scenario,
    /// A pasted configuration read: the scenario to replay with it.
    pub on_import: Callback<Scenario>,
}

#[function_component(Bridge)]
pub fn bridge(props: &BridgeProps) -> Html {
    let pasted = use_state(String::new);
    let outcome = use_state(|| None::<Result<String, String>>);
    let copied = use_state(|| None::<(&'static str, bool)>);
    let cli = aws::cli(&props.scenario);
    let cfn = aws::cloudformation(&props.scenario);

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
        let pasted = pasted.clone();
        Callback::from(move |e: InputEvent| {
            pasted.set(e.target_unchecked_into::<HtmlTextAreaElement>().value());
        })
    };
    let on_load = {
        let (pasted, outcome) = (pasted.clone(), outcome.clone());
        let (scenario, on_import) = (props.scenario.clone(), props.on_import.clone());
        Callback::from(move |_: MouseEvent| match aws::import(&scenario, &pasted) {
            Ok(imported) => {
                let words = if imported.ignored.is_empty() {
                    "Loaded: the run is replayed with these settings.".to_string()
                } else {
                    format!(
                            "Loaded: the run is replayed with these settings. Not modelled, so ignored: {}.",
                            imported.ignored.join(", ")
                        )
                };
                outcome.set(Some(Ok(words)));
                on_import.emit(imported.scenario);
            }
            Err(e) => outcome.set(Some(Err(format!("Could not load it: {e}")))),
        })
    };

    html! {
        <div class="bridge" data-testid="bridge">
            <p class="hint">{ "These settings on real AWS. The account, region and function code are yours to fill in." }</p>
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
                <span class="hint">{ "Paste the JSON that aws lambda get-event-source-mapping or aws kinesis describe-stream-summary prints." }</span>
            </label>
            <textarea id="aws-paste" rows="6" class="snippet" data-testid="aws-paste"
                value={(*pasted).clone()} oninput={on_input} />
            <button type="button" data-testid="aws-load" onclick={on_load}>{ "Load" }</button>
            { match &*outcome {
                Some(Ok(words)) => html! { <p role="status" data-testid="aws-loaded">{ words }</p> },
                Some(Err(e)) => html! { <p class="knob-error" role="alert" data-testid="aws-error">{ e }</p> },
                None => Html::default(),
            } }
        </div>
    }
}
