//! Prints how fast the simulator runs: simulated seconds per wall-clock second for a
//! stream written at its full capacity, throttled, and read by a heavy mapping.
//!
//! `cargo run --release --example bench [-- --quick] [-- --json]`
//!
//! - `--quick`: a simulated hour instead of a day for the full-capacity runs.
//! - `--json`: one JSON object a line (`{"bench":..., "sim_s_per_wall_s":...}`), for
//!   `tests/budgets.mjs`, which compares them with `tests/budgets.json`.
//! - `--only TEXT`: only the benchmarks whose name holds TEXT; `--seconds N`: each cut
//!   to at most N simulated seconds (to profile one under callgrind).
//! - `--fixed`: only the small fixed workload whose instruction count
//!   `scripts/test.sh` measures under `valgrind --tool=callgrind` (a deterministic
//!   figure, unlike wall-clock time on a busy machine): about 0.1 s natively.

#![allow(clippy::print_stdout, clippy::print_stderr)] // a benchmark prints its figures

use std::time::Instant;

use kinesis_playground::sim::{parse_scenario, Scenario, Simulation};

fn scenario(name: &str, json: &str) -> Scenario {
    match parse_scenario(json) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{name}: {e}");
            std::process::exit(2);
        }
    }
}

fn bench(name: &str, json: &str, opts: &Opts) {
    if opts.only.as_deref().is_some_and(|o| !name.contains(o)) {
        return;
    }
    let mut scenario = scenario(name, json);
    if let Some(s) = opts.seconds {
        scenario.duration_s = scenario.duration_s.min(s);
    }
    let mut sim = Simulation::new(&scenario);
    let started = Instant::now();
    sim.run_to_end();
    let wall_s = started.elapsed().as_secs_f64();
    let sim_s = scenario.duration_s as f64;
    let written = sim.totals().records_written;
    let invocations: u64 = sim.mappings().iter().map(|m| m.stats.invocations).sum();
    if opts.json {
        println!(
            r#"{{"bench":{name:?},"sim_s":{sim_s},"wall_s":{wall_s:.6},"sim_s_per_wall_s":{:.1},"records_written":{written},"invocations":{invocations}}}"#,
            sim_s / wall_s
        );
    } else {
        let per_invocation = if invocations > 0 {
            format!(
                ", {:.2e} invocations, {:.0} ns wall each",
                invocations as f64,
                wall_s * 1e9 / invocations as f64
            )
        } else {
            String::new()
        };
        println!(
            "{name:<60} {sim_s:>9.0} sim s in {wall_s:>7.3} wall s = {:>10.0} sim s/wall s ({:.2e} records written, {:.2e} records/wall s{per_invocation})",
            sim_s / wall_s,
            written as f64,
            written as f64 / wall_s
        );
    }
}

/// What the command line asks for.
struct Opts {
    json: bool,
    /// Only the benchmarks whose name holds this.
    only: Option<String>,
    /// Each benchmark cut to at most this many simulated seconds (for profiling).
    seconds: Option<u64>,
}

/// The heavy scenario of issue 3: 100 shards written at full capacity, read by a
/// mapping with ParallelizationFactor 10 (1,000 concurrent batches), for an hour.
const HEAVY: &str = include_str!("../static/scenarios/heavy-100-shards-pf10.json");

/// A poison pill blocking a shard, with retries and a destination.
const POISON: &str = include_str!("../static/scenarios/poison-pill.json");

fn full_capacity(shards: u32, duration_s: u64) -> String {
    // Offer 1.5x capacity over 100,000 keys so that every shard is written at its limit.
    format!(
        r#"{{"format":1,"seed":1,"duration_s":{duration_s},"stream":{{"ShardCount":{shards}}},
        "producer":{{"records_per_s":{},"record_bytes":100,"partition_keys":100000}}}}"#,
        u64::from(shards) * 1_500
    )
}

/// The healthy mapping of issue 11: BatchSize 1000, ParallelizationFactor 2, a 50 ms
/// function, reading a stream written at capacity (see `full_capacity`).
fn with_healthy_mapping(shards: u32, duration_s: u64) -> String {
    format!(
        r#"{{"format":1,"seed":1,"duration_s":{duration_s},"stream":{{"ShardCount":{shards}}},
        "producer":{{"records_per_s":{},"record_bytes":100,"partition_keys":100000}},
        "functions":[{{"FunctionName":"f","duration_ms":50}}],
        "event_source_mappings":[{{"FunctionName":"f","BatchSize":1000,"ParallelizationFactor":2}}]}}"#,
        u64::from(shards) * 1_500
    )
}

const THROTTLED: &str = r#"{"format":1,"seed":1,"duration_s":3600,"stream":{"ShardCount":100},
  "producer":{"records_per_s":120000,"record_bytes":100,"partition_keys":100000,
  "retry_failed_records":true,"lost_response_rate":0.001,"request_timeout_ms":2000}}"#;

/// A scenario cut to its first `duration_s` seconds.
fn cut(name: &str, json: &str, duration_s: u64) -> Scenario {
    let mut s = scenario(name, json);
    s.duration_s = s.duration_s.min(duration_s);
    s
}

/// The fixed workload for instruction counts: every kind of run above, short. It
/// prints a checksum of what it simulated, so that a change in behaviour shows too.
fn fixed() {
    let runs = [
        cut("heavy", HEAVY, 20),
        cut("full capacity", &full_capacity(100, 600), 600),
        cut("throttled", THROTTLED, 60),
        cut("poison pill", POISON, 900),
        // Long enough that the steady path is half the count: a fifth more
        // instructions in it fail the budget (+10%).
        cut("healthy mapping", &with_healthy_mapping(100, 1_800), 1_800),
        // A thousand shards at the account's concurrency limit: about one invocation
        // in two throttled and the journal written every second; about a fifth of
        // the workload's count.
        cut(
            "1,000 shards, a healthy mapping",
            &with_healthy_mapping(1_000, 60),
            60,
        ),
    ];
    let mut written = 0;
    let mut invocations = 0;
    for s in &runs {
        let mut sim = Simulation::new(s);
        sim.run_to_end();
        written += sim.totals().records_written;
        invocations += sim
            .report(Default::default())
            .event_source_mappings
            .iter()
            .map(|m| m.invocations)
            .sum::<u64>();
    }
    println!("fixed workload: {written} records written, {invocations} invocations");
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let flag = |f: &str| args.iter().any(|a| a == f);
    if flag("--fixed") {
        fixed();
        return;
    }
    let opts = Opts {
        json: flag("--json"),
        only: args
            .iter()
            .position(|a| a == "--only")
            .and_then(|i| args.get(i + 1).cloned()),
        seconds: args
            .iter()
            .position(|a| a == "--seconds")
            .and_then(|i| args.get(i + 1))
            .and_then(|s| s.parse().ok()),
    };
    let day = if flag("--quick") { 3_600 } else { 86_400 };
    bench(
        "100 shards at full write capacity",
        &full_capacity(100, day),
        &opts,
    );
    bench(
        "1,000 shards at full write capacity",
        &full_capacity(1_000, day),
        &opts,
    );
    bench(
        "100 shards at full write capacity, a healthy mapping",
        &with_healthy_mapping(100, day),
        &opts,
    );
    bench(
        "1,000 shards at full write capacity, a healthy mapping (1 h)",
        &with_healthy_mapping(1_000, 3_600),
        &opts,
    );
    bench(
        "100 shards, ParallelizationFactor 10, a mapping (1 h)",
        HEAVY,
        &opts,
    );
    bench(
        "100 shards, throttled, resending with jitter",
        THROTTLED,
        &opts,
    );
}
