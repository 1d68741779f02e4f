//! Prints how fast the simulator runs: simulated seconds per wall-clock second for a
//! stream written at its full capacity.
//!
//! `cargo run --release --example bench [-- --quick]`

#![allow(clippy::print_stdout, clippy::print_stderr)] // a benchmark prints its figures

use std::time::Instant;

use kinesis_playground::sim::{parse_scenario, Simulation};

fn bench(name: &str, json: &str) {
    let scenario = match parse_scenario(json) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{name}: {e}");
            std::process::exit(2);
        }
    };
    let mut sim = Simulation::new(&scenario);
    let started = Instant::now();
    sim.run_to_end();
    let wall_s = started.elapsed().as_secs_f64();
    let sim_s = scenario.duration_s as f64;
    let written = sim.totals().records_written;
    println!(
        "{name:<44} {sim_s:>9.0} sim s in {wall_s:>7.3} wall s = {:>12.0} sim s/wall s ({:.2e} records written, {:.2e} records/wall s)",
        sim_s / wall_s,
        written as f64,
        written as f64 / wall_s
    );
}

/// The heavy scenario of issue 3: 100 shards written at full capacity, read by a
/// mapping with ParallelizationFactor 10 (1,000 concurrent batches), for an hour.
const HEAVY: &str = include_str!("../static/scenarios/heavy-100-shards-pf10.json");

fn full_capacity(shards: u32, duration_s: u64) -> String {
    // Offer 1.5x capacity over 100,000 keys so that every shard is written at its limit.
    format!(
        r#"{{"format":1,"seed":1,"duration_s":{duration_s},"stream":{{"ShardCount":{shards}}},
        "producer":{{"records_per_s":{},"record_bytes":100,"partition_keys":100000}}}}"#,
        u64::from(shards) * 1_500
    )
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let day = if quick { 3_600 } else { 86_400 };
    bench(
        "100 shards at full write capacity",
        &full_capacity(100, day),
    );
    bench(
        "1,000 shards at full write capacity",
        &full_capacity(1_000, day),
    );
    bench(
        "100 shards, ParallelizationFactor 10, a mapping (1 h)",
        HEAVY,
    );
    bench(
        "100 shards, throttled, resending with jitter",
        r#"{"format":1,"seed":1,"duration_s":3600,"stream":{"ShardCount":100},
          "producer":{"records_per_s":120000,"record_bytes":100,"partition_keys":100000,
          "retry_failed_records":true,"lost_response_rate":0.001,"request_timeout_ms":2000}}"#,
    );
}
