//! The page's link in the browser: reading `location`, writing the address bar with
//! `history.replaceState`, copying text, the dismissible message naming the parts of
//! a link that could not be read, and the "Embed this" dialog. What a link means is
//! decided in `view::embed` and `share::url` (pure, tested natively).
//!
//! Every browser refusal (a sandboxed frame's history or clipboard) is handled
//! quietly: the page goes on without it.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsValue;
use web_sys::{HtmlDialogElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::share::url::Embed;
use crate::sim::{Scenario, SimTime};
use crate::view::embed::{self, Snippet};
use crate::view::scenarios::Choice;

/// `location.search`, or nothing.
pub fn location_query() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default()
}

/// `location.href`, or nothing.
pub fn location_href() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default()
}

/// Replaces the address bar's query, keeping the page in history once. Refused in
/// some sandboxes: then the address simply does not follow.
pub fn replace_query(query: &str) {
    let Some(history) = web_sys::window().and_then(|w| w.history().ok()) else {
        return;
    };
    let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(query));
}

/// Copies `text`; `done` hears whether the browser allowed it (a sandbox or an
/// insecure page may not).
pub fn copy_text(text: &str, done: Callback<bool>) {
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else {
        done.emit(false);
        return;
    };
    let has_clipboard = web_sys::js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard"))
        .is_ok_and(|c| c.is_object());
    if !has_clipboard {
        done.emit(false);
        return;
    }
    let promise = navigator.clipboard().write_text(text);
    let ok = done.clone();
    let on_ok = Closure::<dyn FnMut(JsValue)>::new(move |_: JsValue| ok.emit(true));
    let on_err = Closure::<dyn FnMut(JsValue)>::new(move |_: JsValue| done.emit(false));
    let _ = promise.then2(&on_ok, &on_err);
    // One small pair a copy, kept for the promise's sake: copies are rare.
    on_ok.forget();
    on_err.forget();
}

/// What a copy button says after a try.
pub fn copied_words(ok: bool) -> &'static str {
    if ok {
        "Copied."
    } else {
        "The browser refused to copy: select the text and copy it by hand."
    }
}

#[derive(Properties, PartialEq)]
pub struct LinkProblemsProps {
    pub problems: Vec<String>,
    pub on_dismiss: Callback<()>,
}

/// The message naming every part of the link that could not be read. Shown as text:
/// a link's markup is quoted, never rendered.
#[function_component(LinkProblems)]
pub fn link_problems(props: &LinkProblemsProps) -> Html {
    if props.problems.is_empty() {
        return Html::default();
    }
    let dismiss = props.on_dismiss.reform(|_| ());
    html! {
        <div class="link-problems" role="alert" data-testid="link-problems">
            <p class="link-problems-title">
                { "Parts of this link could not be read, so the page uses its defaults for them:" }
            </p>
            <ul>
                { for props.problems.iter().map(|p| html! { <li>{ p }</li> }) }
            </ul>
            <button type="button" data-testid="link-problems-dismiss" onclick={dismiss}>{ "Dismiss" }</button>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct EmbedDialogProps {
    pub choice: Choice,
    pub current: Scenario,
    pub at: SimTime,
    pub on_close: Callback<()>,
}

/// The "Embed this" dialog: the `<iframe>` snippet for the current state, with its
/// size and options, a copy button and a live preview. A modal `<dialog>`: the
/// browser keeps focus inside it and Escape closes it.
#[function_component(EmbedDialog)]
pub fn embed_dialog(props: &EmbedDialogProps) -> Html {
    let dialog = use_node_ref();
    let width = use_state(|| "100%".to_string());
    let width_error = use_state(|| None::<String>);
    let height = use_state(|| 600_u32);
    let theme = use_state(|| "auto".to_string());
    let ui = use_state(|| "all".to_string());
    let autoplay = use_state(|| false);
    let lock_all = use_state(|| false);
    let at_moment = use_state(|| true);
    let absolute = use_state(|| true);
    let sandbox = use_state(|| true);
    let copied = use_state(|| None::<bool>);

    {
        let dialog = dialog.clone();
        use_effect_with((), move |_| {
            if let Some(d) = dialog.cast::<HtmlDialogElement>() {
                if !d.open() && d.show_modal().is_err() {
                    d.set_open(true);
                }
            }
        });
    }

    let options = Embed {
        on: true,
        theme: (*theme != "auto").then(|| (*theme).clone()),
        autoplay: *autoplay,
        lock: if *lock_all {
            vec!["all".to_string()]
        } else {
            Vec::new()
        },
        ui: (*ui != "all").then(|| (*ui).clone()),
    };
    let at = if *at_moment { props.at } else { SimTime::ZERO };
    let query = embed::link(&props.choice, &props.current, at, &options);
    let href = location_href();
    let page = if *absolute {
        embed::page_address(&href)
    } else {
        embed::relative_page(&href)
    };
    let snippet = embed::snippet(
        &Snippet {
            page,
            width: (*width).clone(),
            height_px: *height,
            sandbox: *sandbox,
        },
        &query,
    );
    let preview_src = format!("{}{query}", embed::relative_page(&href));

    let on_close_event = props.on_close.reform(|_: Event| ());
    let close = {
        let dialog = dialog.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(d) = dialog.cast::<HtmlDialogElement>() {
                d.close();
            }
        })
    };
    let on_width = {
        let (width, width_error) = (width.clone(), width_error.clone());
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlInputElement>().value();
            match embed::snippet_width(&v) {
                Ok(w) => {
                    width.set(w);
                    width_error.set(None);
                }
                Err(msg) => width_error.set(Some(msg)),
            }
        })
    };
    let on_height = {
        let height = height.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlInputElement>().value();
            if let Ok(h) = v.trim().parse::<u32>() {
                height.set(h.clamp(embed::SNIPPET_HEIGHT_MIN_PX, embed::SNIPPET_HEIGHT_MAX_PX));
            }
        })
    };
    let select = |state: UseStateHandle<String>| {
        Callback::from(move |e: Event| {
            state.set(e.target_unchecked_into::<HtmlSelectElement>().value());
        })
    };
    let check = |state: UseStateHandle<bool>| {
        Callback::from(move |e: Event| {
            state.set(e.target_unchecked_into::<HtmlInputElement>().checked());
        })
    };
    let on_copy = {
        let (snippet, copied) = (snippet.clone(), copied.clone());
        Callback::from(move |_: MouseEvent| {
            let copied = copied.clone();
            copy_text(&snippet, Callback::from(move |ok| copied.set(Some(ok))));
        })
    };
    let preview_style = format!(
        "width:{};height:{}px;max-width:100%",
        *width,
        (*height).min(480)
    );

    html! {
        <dialog ref={dialog} class="embed-dialog" data-testid="embed-dialog"
            aria-labelledby="embed-dialog-title" onclose={on_close_event}>
            <div class="embed-dialog-head">
                <h2 id="embed-dialog-title">{ "Embed this" }</h2>
                <button type="button" class="close" data-testid="embed-dialog-close"
                    aria-label="Close" onclick={close}>{ "Close" }</button>
            </div>
            <p class="hint">{ "Paste this into a blog post. It replays this run, at this moment if you choose, in any page; the site serving the playground must allow framing." }</p>
            <div class="embed-options">
                <label class="field">{ "Width" }
                    <input type="text" data-testid="embed-width" value={(*width).clone()} onchange={on_width}
                        aria-describedby="embed-width-hint" />
                </label>
                <label class="field">{ "Height (px)" }
                    <input type="number" data-testid="embed-height" min="240" max="2000" step="10"
                        value={height.to_string()} onchange={on_height} />
                </label>
                <label class="field">{ "Theme" }
                    <select data-testid="embed-theme" onchange={select(theme.clone())}>
                        { for [("auto", "the reader's system"), ("light", "light"), ("dark", "dark"), ("transparent", "transparent")]
                            .iter().map(|(v, l)| html! { <option value={*v} selected={*theme == *v}>{ *l }</option> }) }
                    </select>
                </label>
                <label class="field">{ "Controls" }
                    <select data-testid="embed-ui" onchange={select(ui.clone())}>
                        { for [("all", "all"), ("time", "time controls only"), ("none", "none: the picture and Play")]
                            .iter().map(|(v, l)| html! { <option value={*v} selected={*ui == *v}>{ *l }</option> }) }
                    </select>
                </label>
                <label class="check"><input type="checkbox" data-testid="embed-autoplay" checked={*autoplay} onchange={check(autoplay.clone())} />{ "Play at once (otherwise a still picture and a Play button)" }</label>
                <label class="check"><input type="checkbox" data-testid="embed-lock" checked={*lock_all} onchange={check(lock_all.clone())} />{ "Lock every setting" }</label>
                <label class="check"><input type="checkbox" data-testid="embed-at" checked={*at_moment} onchange={check(at_moment.clone())} />{ format!("Start at this moment ({})", props.at) }</label>
                <label class="check"><input type="checkbox" data-testid="embed-absolute" checked={*absolute} onchange={check(absolute.clone())} />{ "Absolute address (uncheck for a page on the same site)" }</label>
                <label class="check"><input type="checkbox" data-testid="embed-sandbox" checked={*sandbox} onchange={check(sandbox.clone())} />{ "Sandboxed" }</label>
            </div>
            <p id="embed-width-hint" class="hint">{ "Width: 100%, a percentage, or 320 to 4000 pixels." }</p>
            if let Some(e) = &*width_error {
                <p class="knob-error" role="alert" data-testid="embed-width-error">{ e }</p>
            }
            <label class="field">{ "The snippet" }
                <textarea readonly=true rows="4" class="snippet" data-testid="embed-snippet" value={snippet} />
            </label>
            <div class="embed-copy">
                <button type="button" data-testid="embed-copy" onclick={on_copy}>{ "Copy the snippet" }</button>
                if let Some(ok) = *copied {
                    <span role="status" data-testid="embed-copied">{ copied_words(ok) }</span>
                }
            </div>
            <p class="panel-title">{ "Preview" }</p>
            <iframe class="embed-preview" data-testid="embed-preview" title="Preview of the embedded playground"
                src={preview_src} sandbox="allow-scripts" style={preview_style} />
        </dialog>
    }
}
