//! The binary: the web app on wasm32, the command-line scenario runner natively.

#[cfg(target_arch = "wasm32")]
fn main() {
    kinesis_playground::ui::start();
}

/// Runs a scenario (JSON in the shared format) to its end in the browser build and
/// returns how long that took in wall-clock milliseconds: the browser benchmark's
/// figure. The simulation itself never reads a clock; this measures it from outside.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn bench_scenario(json: &str) -> Result<f64, wasm_bindgen::JsValue> {
    kinesis_playground::ui::bench_scenario(json).map_err(|e| wasm_bindgen::JsValue::from_str(&e))
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    kinesis_playground::cli::main(&args)
}
