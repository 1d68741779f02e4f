//! The page's link in the browser: reading `location`, writing the address bar with
//! `history.replaceState`, copying text, the dismissible message naming the parts of
//! a link that could not be read, and the "Embed this" dialog. What a link means is
//! decided in `view::embed` and `share::url` (pure, tested natively).
//!
//! Every browser refusal (a sandboxed frame's history or clipboard) is handled
//! quietly: the page goes on without it.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::js_sys::{Function, Object, Reflect};
use web_sys::{HtmlDialogElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::share::url::Embed;
use crate::sim::{Scenario, SimTime};
use crate::view::embed::{self, Snippet, SIZE_PRESETS};
use crate::view::pace::{speed_label, SPEEDS, SPEED_DEFAULT};
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
    let has_clipboard =
        Reflect::get(&navigator, &JsValue::from_str("clipboard")).is_ok_and(|c| c.is_object());
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

/// The preview is rebuilt this long after the snippet's settings last changed, in ms.
const PREVIEW_DEBOUNCE_MS: u32 = 700;
/// A preview that has not said `kp:ready` this long after it was built did not start.
const PREVIEW_READY_MS: u32 = 20_000;

/// The preview's address and whether it is sandboxed: what rebuilds it.
type PreviewKey = (String, bool);

/// Asks the site whether it sends `Access-Control-Allow-Origin` with the playground's
/// script (a same-origin `HEAD` request, whose headers the page may read); `done`
/// hears `Some(false)` when it does not. A failed request says nothing.
fn check_cors(done: Callback<bool>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let script = window
        .document()
        .and_then(|d| d.query_selector("link[rel=modulepreload]").ok().flatten())
        .and_then(|l| l.get_attribute("href"))
        .unwrap_or_else(|| "./".to_string());
    let Some(fetch) = Reflect::get(&window, &JsValue::from_str("fetch"))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
    else {
        return;
    };
    let init = Object::new();
    let _ = Reflect::set(
        &init,
        &JsValue::from_str("method"),
        &JsValue::from_str("HEAD"),
    );
    let _ = Reflect::set(
        &init,
        &JsValue::from_str("cache"),
        &JsValue::from_str("no-store"),
    );
    let Ok(promise) = fetch.call2(&window, &JsValue::from_str(&script), &init) else {
        return;
    };
    let Ok(promise) = promise.dyn_into::<web_sys::js_sys::Promise>() else {
        return;
    };
    let on_ok = Closure::<dyn FnMut(JsValue)>::new(move |response: JsValue| {
        let header = Reflect::get(&response, &JsValue::from_str("headers"))
            .ok()
            .and_then(|h| {
                let get = Reflect::get(&h, &JsValue::from_str("get"))
                    .ok()?
                    .dyn_into::<Function>()
                    .ok()?;
                get.call1(&h, &JsValue::from_str("access-control-allow-origin"))
                    .ok()
            })
            .and_then(|v| v.as_string());
        done.emit(header.is_some());
    });
    let on_err = Closure::<dyn FnMut(JsValue)>::new(|_: JsValue| {});
    let _ = promise.then2(&on_ok, &on_err);
    // Once a dialog: kept for the promise's sake.
    on_ok.forget();
    on_err.forget();
}

/// Why the preview shows nothing, if it does not start.
fn preview_problem(
    sandboxed: bool,
    cors: Option<bool>,
    started: bool,
    late: bool,
) -> Option<String> {
    if sandboxed && cors == Some(false) {
        return Some("The preview cannot load: this site does not send Access-Control-Allow-Origin, and a sandboxed frame (an opaque origin) may only load the playground's script and WebAssembly from a site that does. Untick \"Sandboxed\" (the snippet then frames the page unsandboxed), or serve the playground with Access-Control-Allow-Origin: * (GitHub Pages does).".to_string());
    }
    if late && !started {
        return Some(if sandboxed {
            "The preview has not started. A sandboxed frame needs the site to send Access-Control-Allow-Origin; untick \"Sandboxed\" to try it unsandboxed, or open the link in a new tab to see its own messages.".to_string()
        } else {
            "The preview has not started: the browser may refuse to frame this site (its X-Frame-Options or Content-Security-Policy frame-ancestors), or the network is slow. Open the link in a new tab to check.".to_string()
        });
    }
    None
}

/// The "Embed this" dialog: the `<iframe>` snippet for the current state, with its
/// size and options, the same link as Markdown and as an address, a copy button and
/// a live preview. The moment is the one the dialog opened at, so the preview is
/// rebuilt only when the snippet's settings change (after a pause in the typing), not
/// as the run plays. A modal `<dialog>`: the browser keeps focus inside it and Escape
/// closes it.
#[function_component(EmbedDialog)]
pub fn embed_dialog(props: &EmbedDialogProps) -> Html {
    let dialog = use_node_ref();
    let frame = use_node_ref();
    let width = use_state(|| "100%".to_string());
    let width_error = use_state(|| None::<String>);
    let height = use_state(|| 600_u32);
    let theme = use_state(|| "auto".to_string());
    let ui = use_state(|| "all".to_string());
    let autoplay = use_state(|| false);
    let lock_all = use_state(|| false);
    let has_lesson = props.current.lesson.is_some();
    let lesson = use_state(|| false);
    // The moment the dialog opened at, and the story's: fixed while it is open.
    let opened_at = use_state(|| props.at);
    let story = use_state(|| embed::story_moment(&props.current));
    let at_moment =
        use_state(|| props.at > SimTime::ZERO && embed::story_moment(&props.current).is_none());
    let speed =
        use_state(|| embed::speed_text(embed::story_speed(embed::story_moment(&props.current))));
    let absolute = use_state(|| true);
    let sandbox = use_state(|| true);
    let copied = use_state(|| None::<bool>);
    let cors = use_state(|| None::<bool>);
    // The preview shown (rebuilt after the settings settle), the one that said
    // kp:ready, and the one that is late.
    let preview = use_state(|| None::<PreviewKey>);
    let shown: Rc<RefCell<Option<PreviewKey>>> = use_mut_ref(|| None);
    let ready = use_state(|| None::<PreviewKey>);
    let late = use_state(|| None::<PreviewKey>);

    {
        let dialog = dialog.clone();
        let cors = cors.clone();
        use_effect_with((), move |_| {
            if let Some(d) = dialog.cast::<HtmlDialogElement>() {
                if !d.open() && d.show_modal().is_err() {
                    d.set_open(true);
                }
            }
            check_cors(Callback::from(move |ok| cors.set(Some(ok))));
        });
    }
    // The preview says kp:ready when it runs.
    {
        let (frame, ready, shown) = (frame.clone(), ready.clone(), shown.clone());
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|w| {
                EventListener::new(&w, "message", move |e| {
                    let source =
                        Reflect::get(e, &JsValue::from_str("source")).unwrap_or(JsValue::NULL);
                    let ours = frame
                        .get()
                        .and_then(|f| Reflect::get(&f, &JsValue::from_str("contentWindow")).ok())
                        .is_some_and(|w| !w.is_null() && Object::is(&w, &source));
                    let data = Reflect::get(e, &JsValue::from_str("data")).unwrap_or(JsValue::NULL);
                    let kind = data
                        .is_object()
                        .then(|| Reflect::get(&data, &JsValue::from_str("type")).ok())
                        .flatten()
                        .and_then(|k| k.as_string());
                    if ours && kind.as_deref() == Some("kp:ready") {
                        ready.set(shown.borrow().clone());
                    }
                })
            });
            move || drop(listener)
        });
    }

    let lesson_on = *lesson && has_lesson;
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
        speed: (!lesson_on && (story.is_some() || *speed != embed::speed_text(SPEED_DEFAULT)))
            .then(|| (*speed).clone()),
    };
    let at = if *at_moment && !lesson_on {
        *opened_at
    } else {
        SimTime::ZERO
    };
    let mut query = embed::link(&props.choice, &props.current, at, &options);
    if lesson_on {
        query = embed::lesson_link(&query);
    }
    let href = location_href();
    let page = if *absolute {
        embed::page_address(&href)
    } else {
        embed::relative_page(&href)
    };
    let address = format!("{}{query}", embed::page_address(&href));
    let snippet = embed::snippet(
        &Snippet {
            page,
            width: (*width).clone(),
            height_px: *height,
            sandbox: *sandbox,
        },
        &query,
    );
    let markdown = embed::markdown(&props.choice.title, &address);
    let preview_src = format!("{}{query}", embed::relative_page(&href));

    // Rebuild the preview once the settings have settled: at once the first time.
    {
        let (preview, late) = (preview.clone(), late.clone());
        use_effect_with((preview_src, *sandbox), move |key: &PreviewKey| {
            let first = (*preview).is_none();
            let key = key.clone();
            let show = move || {
                *shown.borrow_mut() = Some(key.clone());
                preview.set(Some(key.clone()));
                // A late preview is told by its key: a timer of an older one is harmless.
                let late = late.clone();
                let _ = Timeout::new(PREVIEW_READY_MS, move || late.set(Some(key))).forget();
            };
            let debounce = if first {
                show();
                None
            } else {
                Some(Timeout::new(PREVIEW_DEBOUNCE_MS, show))
            };
            move || drop(debounce)
        });
    }

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
    let on_preset = {
        let (width, height, width_error) = (width.clone(), height.clone(), width_error.clone());
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some((_, w, h)) = v.parse::<usize>().ok().and_then(|i| SIZE_PRESETS.get(i)) {
                width.set((*w).to_string());
                height.set(*h);
                width_error.set(None);
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
    let copy = |text: String| {
        let copied = copied.clone();
        Callback::from(move |_: MouseEvent| {
            let copied = copied.clone();
            copy_text(&text, Callback::from(move |ok| copied.set(Some(ok))));
        })
    };
    let preset = SIZE_PRESETS
        .iter()
        .position(|(_, w, h)| *w == *width && *h == *height);
    let preview_style = format!(
        "width:{};height:{}px;max-width:100%",
        *width,
        (*height).min(480)
    );
    let story_words = match *story {
        Some(t) => format!("the story's moment ({t}) as a poster; Play plays it from the start"),
        None => "its first turn (at most ten simulated minutes in)".to_string(),
    };
    let current_key = (*preview).clone();
    let started = current_key.is_some() && *ready == current_key;
    let is_late = current_key.is_some() && *late == current_key;
    let problem = preview_problem(*sandbox, *cors, started, is_late);

    html! {
        <dialog ref={dialog} class="embed-dialog" data-testid="embed-dialog"
            aria-labelledby="embed-dialog-title" onclose={on_close_event}>
            <div class="embed-dialog-head">
                <h2 id="embed-dialog-title">{ "Embed this" }</h2>
                <button type="button" class="close" data-testid="embed-dialog-close"
                    aria-label="Close" onclick={close}>{ "Close" }</button>
            </div>
            <p class="hint">{ "Paste this into a blog post or a slide. It replays this run in any page; the site serving the playground must allow framing." }</p>
            <div class="embed-options">
                <label class="field">{ "Size" }
                    <select data-testid="embed-size" onchange={on_preset}>
                        { for SIZE_PRESETS.iter().enumerate().map(|(i, (label, _, _))| html! {
                            <option value={i.to_string()} selected={preset == Some(i)}>{ *label }</option>
                        }) }
                        <option value="custom" selected={preset.is_none()}>{ "custom (below)" }</option>
                    </select>
                </label>
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
                <label class="field">{ "Speed" }
                    <select data-testid="embed-speed" onchange={select(speed.clone())} disabled={lesson_on}
                        title="The story's pace is chosen from the scenario: the moment it is about in about twelve seconds">
                        { for SPEEDS.iter().map(|&v| {
                            let text = embed::speed_text(v);
                            let story_pace = story.is_some() && embed::speed_text(embed::story_speed(*story)) == text;
                            let label = if story_pace { format!("{} (story pace)", speed_label(v)) } else { speed_label(v) };
                            html! { <option value={text.clone()} selected={*speed == text}>{ label }</option> }
                        }) }
                    </select>
                </label>
                if has_lesson {
                    <label class="check"><input type="checkbox" data-testid="embed-lesson" checked={*lesson} onchange={check(lesson.clone())} />{ "Open its guided lesson (the lesson sets the pace and the moments)" }</label>
                }
                <label class="check"><input type="checkbox" data-testid="embed-autoplay" checked={*autoplay} onchange={check(autoplay.clone())} />{ "Play at once (otherwise a still picture and a Play button)" }</label>
                <label class="check"><input type="checkbox" data-testid="embed-lock" checked={*lock_all} onchange={check(lock_all.clone())} />{ "Lock every setting" }</label>
                <label class="check"><input type="checkbox" data-testid="embed-at" checked={*at_moment} disabled={lesson_on} onchange={check(at_moment.clone())} />
                    { format!("Start at this moment ({}); otherwise the still picture is {story_words}", *opened_at) }</label>
                <label class="check"><input type="checkbox" data-testid="embed-absolute" checked={*absolute} onchange={check(absolute.clone())} />{ "Absolute address (uncheck for a page on the same site)" }</label>
                <label class="check"><input type="checkbox" data-testid="embed-sandbox" checked={*sandbox} onchange={check(sandbox.clone())} />{ "Sandboxed (the frame may run scripts, and nothing else)" }</label>
            </div>
            <p id="embed-width-hint" class="hint">{ "Width: 100%, a percentage, or 320 to 4000 pixels." }</p>
            if let Some(e) = &*width_error {
                <p class="knob-error" role="alert" data-testid="embed-width-error">{ e }</p>
            }
            <label class="field">{ "The snippet (HTML)" }
                <textarea readonly=true rows="4" class="snippet" data-testid="embed-snippet" value={snippet.clone()} />
            </label>
            <div class="embed-copy">
                <button type="button" data-testid="embed-copy" onclick={copy(snippet)}>{ "Copy the snippet" }</button>
                <button type="button" data-testid="embed-copy-markdown" onclick={copy(markdown.clone())}>{ "Copy as Markdown" }</button>
                <button type="button" data-testid="embed-copy-url" onclick={copy(address.clone())}>{ "Copy the address" }</button>
                if let Some(ok) = *copied {
                    <span role="status" data-testid="embed-copied">{ copied_words(ok) }</span>
                }
            </div>
            <label class="field">{ "As Markdown (where a post takes no HTML), or the address alone (slides, chat)" }
                <textarea readonly=true rows="2" class="snippet" data-testid="embed-markdown" value={markdown} />
            </label>
            <textarea readonly=true rows="2" class="snippet" data-testid="embed-url" aria-label="The address" value={address} />
            <p class="panel-title">{ "Preview" }</p>
            if let Some(p) = &problem {
                <p class="embed-preview-problem" role="alert" data-testid="embed-preview-problem">{ p }</p>
            } else if current_key.is_some() && !started {
                <p class="hint" role="status" data-testid="embed-preview-status">{ "Loading the preview…" }</p>
            }
            if let Some((src, sandboxed)) = current_key {
                <iframe key={format!("{sandboxed}|{src}")} ref={frame} class="embed-preview" data-testid="embed-preview"
                    title="Preview of the embedded playground" src={src}
                    data-sandboxed={sandboxed.to_string()}
                    sandbox={sandboxed.then_some(AttrValue::from("allow-scripts allow-popups"))}
                    allow="fullscreen" style={preview_style} />
            }
        </dialog>
    }
}
