//! The web app (wasm32 only): a Yew page over the simulation core.
//!
//! `app` owns the page and the animation loop; `canvas` paints pictures. The layout
//! and colour maths (`lanes`), number formatting (`format`), frame pacing (`pace`) and
//! the built-in scenarios (`scenarios`) are pure, use no web APIs, and are tested
//! natively through `tests/ui_pure.rs`.

mod app;
mod canvas;
pub mod format;
pub mod lanes;
pub mod pace;
pub mod scenarios;

/// Mounts the playground on the page's `<body>`.
pub fn start() {
    yew::Renderer::<app::App>::new().render();
}
