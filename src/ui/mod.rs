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
/// why the scenario was refused. With `slice_s` above 0 it runs `slice_s` simulated
/// seconds a call, as the page's frames do; with 0, the whole run in one call. The two
/// differ because V8 moves a WebAssembly function to its optimising tier only
/// between calls: a run in one call stays in the baseline tier's code throughout.
pub fn bench_scenario(json: &str, slice_s: f64) -> Result<f64, String> {
    let scenario = crate::sim::parse_scenario(json).map_err(|e| e.to_string())?;
    let performance = web_sys::window()
        .and_then(|w| w.performance())
        .ok_or("no performance clock in this browser")?;
    let mut sim = crate::sim::Simulation::new(&scenario);
    let slice_ms = (slice_s.max(0.0) * 1_000.0) as u64;
    let started = performance.now();
    if slice_ms == 0 {
        sim.run_to_end();
    } else {
        while !sim.is_finished() {
            let until = crate::sim::SimTime(sim.now().0.saturating_add(slice_ms));
            sim.run_until(until, usize::MAX);
        }
    }
    Ok(performance.now() - started)
}
