//! Presenter mode's chrome: the beat counter and the digits typed for "reset to beat
//! N", the blank screen, the help overlay listing the keys, and full screen. The keys'
//! meaning and the state are `view::presenter`; the beats are the lesson player's.

use wasm_bindgen::prelude::wasm_bindgen;
use yew::prelude::*;

use crate::view::presenter::{Presenter, HELP};

#[wasm_bindgen(inline_js = "
export function request_fullscreen() {
  const el = document.documentElement;
  if (!document.fullscreenEnabled || !el.requestFullscreen) return false;
  el.requestFullscreen().catch(() => {});
  return true;
}
export function exit_fullscreen() {
  if (document.fullscreenElement && document.exitFullscreen) document.exitFullscreen().catch(() => {});
}
")]
extern "C" {
    /// Asks for full screen; a refusal is ignored. Returns whether it could ask.
    pub fn request_fullscreen() -> bool;
    /// Leaves full screen if the page is in it.
    pub fn exit_fullscreen();
}

/// The page's address, for `?present=1` and `lesson=`.
pub fn page_url() -> String {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.url().ok())
        .unwrap_or_default()
}

#[derive(Properties, PartialEq)]
pub struct PresenterProps {
    pub presenter: Presenter,
    /// The beat on screen, and how many there are after the introduction.
    pub beat: usize,
    pub beats: usize,
    pub on_leave: Callback<()>,
    pub on_help: Callback<()>,
    pub on_fullscreen: Callback<()>,
}

#[function_component(PresenterChrome)]
pub fn presenter_chrome(props: &PresenterProps) -> Html {
    let p = &props.presenter;
    html! {
        <>
            <div class="present-bar" data-testid="present-bar">
                <span class="present-beat num" data-testid="present-beat"
                    data-beat={props.beat.to_string()}>
                    { format!("Beat {} of {}", props.beat, props.beats) }
                </span>
                if p.typing() {
                    <span class="present-typed num" data-testid="present-typed" role="status">
                        { format!("Go to beat {} — Enter", p.typed) }
                    </span>
                }
                <span class="present-buttons">
                    <button type="button" data-testid="present-help-button"
                        onclick={props.on_help.reform(|_| ())}>{ "Keys (?)" }</button>
                    <button type="button" data-testid="present-fullscreen"
                        onclick={props.on_fullscreen.reform(|_| ())}>{ "Full screen (F)" }</button>
                    <button type="button" data-testid="present-leave"
                        onclick={props.on_leave.reform(|_| ())}>{ "Leave (Esc)" }</button>
                </span>
            </div>
            if p.blank {
                <div class="present-blank" data-testid="present-blank" aria-label="Screen blanked: press any key" role="status" />
            }
            if p.help {
                <div class="present-help" role="dialog" aria-modal="true" aria-labelledby="present-help-title"
                    data-testid="present-help">
                    <div class="present-help-card">
                        <h2 id="present-help-title">{ "Presenter keys" }</h2>
                        <dl>
                            { for HELP.iter().map(|(keys, what)| html! {
                                <>
                                    <dt>{ *keys }</dt>
                                    <dd>{ *what }</dd>
                                </>
                            }) }
                        </dl>
                        <p class="present-help-foot">{ "Esc closes this help. Runs are deterministic: a rehearsal is the live demo." }</p>
                    </div>
                </div>
            }
        </>
    }
}
