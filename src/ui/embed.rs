//! An embedded page's watchers: it pauses when scrolled out of view
//! (IntersectionObserver; inside an iframe it observes against the host page's
//! viewport) or when its tab is hidden (visibilitychange), and says so to the app,
//! which resumes if it was playing. Also disables the knobs an embed locks, and goes
//! full screen where the frame allows it. Every
//! browser refusal (no IntersectionObserver, a sandbox) is handled quietly: the
//! embed then simply keeps running.

use gloo::events::EventListener;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{IntersectionObserver, IntersectionObserverEntry};
use yew::Callback;

use crate::view::knobs::KnobId;

/// Keeps the observers alive; dropping it disconnects them.
pub struct Watchers {
    observer: Option<IntersectionObserver>,
    _on_intersect: Option<Closure<dyn FnMut(web_sys::js_sys::Array)>>,
    _on_visibility: Option<EventListener>,
}

impl std::fmt::Debug for Watchers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Watchers")
    }
}

impl Drop for Watchers {
    fn drop(&mut self) {
        if let Some(o) = &self.observer {
            o.disconnect();
        }
    }
}

/// Calls `in_view` with whether the page is in view, and `page_shown` with whether
/// its tab is shown, whenever either changes.
pub fn watch(in_view: Callback<bool>, page_shown: Callback<bool>) -> Watchers {
    let document = web_sys::window().and_then(|w| w.document());
    let on_visibility = document.as_ref().map(|d| {
        let d2 = d.clone();
        EventListener::new(d, "visibilitychange", move |_| {
            page_shown.emit(!d2.hidden());
        })
    });
    let on_intersect = Closure::<dyn FnMut(web_sys::js_sys::Array)>::new(
        move |entries: web_sys::js_sys::Array| {
            // The newest entry says the current state.
            if let Some(entry) = entries
                .iter()
                .filter_map(|e| e.dyn_into::<IntersectionObserverEntry>().ok())
                .next_back()
            {
                in_view.emit(entry.is_intersecting());
            }
        },
    );
    let observer = IntersectionObserver::new(on_intersect.as_ref().unchecked_ref()).ok();
    let target = document.as_ref().and_then(|d| d.document_element());
    if let (Some(o), Some(t)) = (&observer, &target) {
        o.observe(t);
    }
    Watchers {
        observer,
        _on_intersect: Some(on_intersect),
        _on_visibility: on_visibility,
    }
}

/// Disables the form fields of the locked knobs (the app also refuses their
/// changes), and says why in their tooltip.
pub fn disable_locked(locked: &[KnobId]) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    for id in locked {
        let selector = format!(
            "[data-testid=\"knob-{0}\"] input, [data-testid=\"knob-{0}\"] select",
            id.test_id()
        );
        let Ok(fields) = document.query_selector_all(&selector) else {
            continue;
        };
        for i in 0..fields.length() {
            if let Some(el) = fields
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            {
                if el.get_attribute("disabled").is_none() {
                    let _ = el.set_attribute("disabled", "");
                    let _ = el.set_attribute("title", "Locked in this embedded playground");
                }
            }
        }
    }
}

/// Whether this document may go full screen (a sandbox without
/// `allow-fullscreen`, or a frame without `allow="fullscreen"`, may not).
pub fn fullscreen_enabled() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| {
            web_sys::js_sys::Reflect::get(&d, &wasm_bindgen::JsValue::from_str("fullscreenEnabled"))
                .ok()
        })
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

/// Asks for full screen, or leaves it. A refusal (the promise rejected) is quiet.
pub fn toggle_fullscreen() {
    use wasm_bindgen::JsValue;
    use web_sys::js_sys::{Function, Promise, Reflect};
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let in_full = Reflect::get(&document, &JsValue::from_str("fullscreenElement"))
        .is_ok_and(|e| !e.is_null() && !e.is_undefined());
    let (target, method): (JsValue, &str) = if in_full {
        (document.into(), "exitFullscreen")
    } else {
        match document.document_element() {
            Some(root) => (root.into(), "requestFullscreen"),
            None => return,
        }
    };
    let Some(f) = Reflect::get(&target, &JsValue::from_str(method))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
    else {
        return;
    };
    if let Ok(result) = f.call0(&target) {
        if let Ok(promise) = result.dyn_into::<Promise>() {
            let ignore = Closure::<dyn FnMut(JsValue)>::new(|_: JsValue| {});
            let _ = promise.catch(&ignore);
            ignore.forget();
        }
    }
}
