//! Presenter mode's chrome: the beat bar (the beat counter, or the scenario's title
//! when it has no beats, and the digits typed for "reset to beat N"), in the top
//! bar; the blank screen and the help overlay listing the keys; and full screen. The keys'
//! meaning and the state are `view::presenter`; the beats are the lesson player's.

use wasm_bindgen::prelude::wasm_bindgen;
use yew::prelude::*;

use crate::view::presenter::{beat_label, Presenter, HELP};

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

#[derive(Properties, PartialEq)]
pub struct PresenterProps {
    pub presenter: Presenter,
    /// The beat on screen, and how many there are after the introduction.
    pub beat: usize,
    pub beats: usize,
    /// The scenario's title, said instead of "Beat 0 of 0" when there are no beats.
    pub title: AttrValue,
    pub on_leave: Callback<()>,
    pub on_help: Callback<()>,
    pub on_fullscreen: Callback<()>,
}

/// The beat bar, in the top bar beside the clock (in the page's flow, so it never
/// covers the lesson card or its buttons).
#[function_component(PresenterBar)]
pub fn presenter_bar(props: &PresenterProps) -> Html {
    let p = &props.presenter;
    html! {
        <div class="present-bar" data-testid="present-bar">
            <span class="present-beat num" data-testid="present-beat"
                data-beat={props.beat.to_string()} data-beats={props.beats.to_string()}>
                { beat_label(props.beat, props.beats, &props.title) }
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
    }
}

#[derive(Properties, PartialEq)]
pub struct OverlayProps {
    pub presenter: Presenter,
}

/// The blank screen and the help overlay, over the whole page.
#[function_component(PresenterOverlays)]
pub fn presenter_overlays(props: &OverlayProps) -> Html {
    let p = &props.presenter;
    html! {
        <>
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
