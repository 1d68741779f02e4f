//! The embed's message interface in the browser: messages from the host page read
//! field by field (`window` "message" events), and events posted to `window.parent`.
//! What they mean is `view::postmessage` (pure, tested natively). Everything goes
//! through `Reflect`, so that a message of any shape (a string, `null`, an object
//! with odd fields) is read without a panic or a console message.

use gloo::events::EventListener;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::js_sys::{Function, Object, Reflect};
use yew::Callback;

use crate::view::postmessage::{Field, Incoming, Outgoing};

/// A message as received, its fields copied out, and the window that sent it.
#[derive(Clone, Debug)]
pub struct Received {
    pub kind: Option<String>,
    pub ms: Option<f64>,
    pub ms_given: bool,
    pub n: Option<f64>,
    pub n_given: bool,
    pub source: JsValue,
}

impl Received {
    pub fn incoming(&self) -> Incoming<'_> {
        Incoming {
            kind: self.kind.as_deref(),
            ms: self.ms,
            ms_given: self.ms_given,
            n: self.n,
            n_given: self.n_given,
        }
    }
}

fn field(data: &JsValue, name: &str) -> Option<JsValue> {
    if !data.is_object() {
        return None;
    }
    Reflect::get(data, &JsValue::from_str(name))
        .ok()
        .filter(|v| !v.is_undefined())
}

/// Reads a "message" event's `data` and `source`.
pub fn read(event: &JsValue) -> Received {
    let data = Reflect::get(event, &JsValue::from_str("data")).unwrap_or(JsValue::UNDEFINED);
    let source = Reflect::get(event, &JsValue::from_str("source")).unwrap_or(JsValue::NULL);
    let ms = field(&data, "ms");
    let n = field(&data, "n");
    Received {
        kind: field(&data, "type").and_then(|v| v.as_string()),
        ms: ms.as_ref().and_then(JsValue::as_f64),
        ms_given: ms.is_some(),
        n: n.as_ref().and_then(JsValue::as_f64),
        n_given: n.is_some(),
        source,
    }
}

/// The page is inside a frame: `window.parent` is another window.
pub fn in_frame() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let parent = Reflect::get(&window, &JsValue::from_str("parent")).unwrap_or(JsValue::NULL);
    !parent.is_null() && !parent.is_undefined() && !Object::is(&parent, &window)
}

/// Hears every "message" event of this window.
pub fn listen(on_message: Callback<Received>) -> Option<EventListener> {
    let window = web_sys::window()?;
    Some(EventListener::new(&window, "message", move |e| {
        on_message.emit(read(e.as_ref()));
    }))
}

fn object_of(event: &Outgoing) -> Object {
    let o = Object::new();
    for (name, value) in event.fields() {
        let v = match value {
            Field::Str(s) => JsValue::from_str(&s),
            Field::Num(n) => JsValue::from_f64(n),
        };
        let _ = Reflect::set(&o, &JsValue::from_str(name), &v);
    }
    o
}

/// Posts `event` to `target` (a window), to any origin: the host's origin is not
/// known, and a sandboxed host is opaque. A refusal is quiet.
pub fn post_to(target: &JsValue, event: &Outgoing) {
    let Some(post) = Reflect::get(target, &JsValue::from_str("postMessage"))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
    else {
        return;
    };
    let _ = post.call2(target, &object_of(event), &JsValue::from_str("*"));
}

/// Posts `event` to the parent window, when there is one.
pub fn post_to_parent(event: &Outgoing) {
    if !in_frame() {
        return;
    }
    if let Some(window) = web_sys::window() {
        if let Ok(parent) = Reflect::get(&window, &JsValue::from_str("parent")) {
            post_to(&parent, event);
        }
    }
}
