//! The web app (wasm32 only): a Yew page over the simulation core.
//!
//! `app` owns the page and the animation loop; `canvas` paints the pictures that
//! `crate::view` lays out. Everything that can be computed without a browser lives in
//! `view` and is tested natively.

mod app;
mod canvas;

/// Mounts the playground on the page's `<body>`.
pub fn start() {
    yew::Renderer::<app::App>::new().render();
}
