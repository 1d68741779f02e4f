//! The web app (wasm32 only): a Yew page over the simulation core.
//!
//! `app` owns the page and the animation loop; `timebar`, `controls`, `log` and
//! `table` are its parts, `compare` the side-by-side view; `paint` draws the pictures
//! and charts and `canvas` paints a laid-out picture; `share` (with `app`'s
//! `share_app`), `embed`, `postmessage`, `export` and `bridge` are links, embed mode,
//! the embed's message interface, export and the AWS bridge. Everything that can be computed without a browser lives in `view` and
//! is tested natively.

mod app;
mod bridge;
mod canvas;
mod charts;
mod compare;
mod controls;
pub mod embed;
mod export;
mod legend;
mod lesson;
mod lesson_challenge;
mod log;
pub mod paint;
pub mod postmessage;
mod presenter;
mod share;
mod start;
mod table;
mod timebar;
mod trace;

/// Mounts the playground on the page's `<body>`.
pub fn start() {
    yew::Renderer::<app::App>::new().render();
}

/// Runs a scenario to its end and returns the wall-clock milliseconds it took, or
/// why the scenario was refused.
pub fn bench_scenario(json: &str) -> Result<f64, String> {
    let scenario = crate::sim::parse_scenario(json).map_err(|e| e.to_string())?;
    let performance = web_sys::window()
        .and_then(|w| w.performance())
        .ok_or("no performance clock in this browser")?;
    let mut sim = crate::sim::Simulation::new(&scenario);
    let started = performance.now();
    sim.run_to_end();
    Ok(performance.now() - started)
}
