//! The binary: the web app on wasm32, the command-line scenario runner natively.

#[cfg(target_arch = "wasm32")]
fn main() {
    kinesis_playground::ui::start();
}

/// Runs a scenario (JSON in the shared format) to its end in the browser build and
/// returns how long that took in wall-clock milliseconds: the browser benchmark's
/// figure, `slice_s` simulated seconds a call as the page's frames run it (0: in one
/// call). The simulation itself never reads a clock; this measures it from outside.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn bench_scenario(json: &str, slice_s: f64) -> Result<f64, wasm_bindgen::JsValue> {
    kinesis_playground::ui::bench_scenario(json, slice_s)
        .map_err(|e| wasm_bindgen::JsValue::from_str(&e))
}

/// A scenario run in chunks from JavaScript, for the long-run test
/// (`tests/browser/long-run.test.mjs`): it runs a simulated week a day at a time and
/// samples memory in between. The simulation never reads a clock; the test times it.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub struct LongRun {
    sim: kinesis_playground::sim::Simulation,
}

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
impl LongRun {
    /// Builds the simulation of a scenario (JSON in the shared format), or says why
    /// the scenario was refused.
    #[wasm_bindgen::prelude::wasm_bindgen(constructor)]
    pub fn new(json: &str) -> Result<LongRun, wasm_bindgen::JsValue> {
        let scenario = kinesis_playground::sim::parse_scenario(json)
            .map_err(|e| wasm_bindgen::JsValue::from_str(&e.to_string()))?;
        Ok(LongRun {
            sim: kinesis_playground::sim::Simulation::new(&scenario),
        })
    }

    /// Runs to `until_s` simulated seconds (or the scenario's end) and returns the
    /// simulated second reached.
    pub fn run_until_s(&mut self, until_s: f64) -> f64 {
        let until = kinesis_playground::sim::SimTime::from_s(until_s.max(0.0) as u64);
        self.sim.run_until(until, usize::MAX);
        self.sim.now().0 as f64 / 1_000.0
    }

    /// Records written to the stream so far.
    pub fn records_written(&self) -> f64 {
        self.sim.totals().records_written as f64
    }

    /// Journal entries held now (the journal keeps the latest ones).
    pub fn journal_entries(&self) -> f64 {
        self.sim.journal().len() as f64
    }

    /// Journal entries written so far, held or not.
    pub fn journal_written(&self) -> f64 {
        self.sim.journal_written() as f64
    }

    /// Invocations of the mapped functions so far.
    pub fn invocations(&self) -> f64 {
        let snapshot = self.sim.snapshot();
        snapshot
            .mappings
            .iter()
            .map(|m| m.stats.invocations)
            .sum::<u64>() as f64
    }
}

#[cfg(target_arch = "wasm32")]
impl std::fmt::Debug for LongRun {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LongRun at {}", self.sim.now())
    }
}

/// The size of this module's WebAssembly memory in bytes (it only grows).
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn wasm_memory_bytes() -> f64 {
    (core::arch::wasm32::memory_size(0) * 65_536) as f64
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    kinesis_playground::cli::main(&args)
}
