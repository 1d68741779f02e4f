//! The fuzz targets (issue 7): every parser that takes outside input, and the run
//! behind it. Plain functions, so that two runners call the very same code:
//! `cargo fuzz` (libFuzzer, nightly only; `fuzz_targets/`) and the stable test
//! `tests/fuzz_corpus.rs` of the main package, which includes this file as a module
//! and runs the committed corpus and a seeded mutation loop through it.
//!
//! Outside input is: a scenario, as JSON text (a file or standard input for the
//! command-line runner, a built-in or pasted scenario for the page); the state in a
//! link's query string (`src/share/url.rs`); and a real AWS configuration pasted into
//! the page (`src/share/aws.rs`). (The runner's argument parsing is private to `cli`
//! and tested there.) A target may refuse an input; it must never panic on one.

use kinesis_playground::share::{aws, url};
use kinesis_playground::sim::{parse_scenario, ReportOptions, Scenario, SimTime, Simulation};
use kinesis_playground::view::scenarios::BUILT_IN;

/// The run target simulates at most this much of a scenario, so that each input stays
/// fast: the first 30 seconds.
pub const RUN_S_MAX: u64 = 30;
/// Shards beyond this are cut off before the run (any count is valid; 4 are enough to
/// reach every code path and keep each input fast).
pub const SHARDS_MAX: u32 = 4;
/// The bulk producer hashes each of its partition keys once: cut off here for speed.
pub const PARTITION_KEYS_MAX: u32 = 1_000;
/// Bytes of one synthetic record at most. The invocation log and S3 destination
/// messages hold every record's data in base64 and are bounded in records, not bytes:
/// at 1 MiB a record one input could take gigabytes.
pub const RECORD_BYTES_MAX: u32 = 10_000;
/// Bulk records per second at most (bursts too): every record delivered is logged as
/// JSON, and the shipped heavy scenario took 11 s an input in the sanitized build.
pub const RECORDS_PER_S_MAX: f64 = 200.0;
/// Events handled per input at most, whatever the scenario asks for: with 40 lanes
/// invoking back to back and every invocation logged, 100,000 took over 10 s in the
/// sanitized libFuzzer build.
pub const EVENTS_MAX: usize = 20_000;

/// The text a runner would hand to the parser. The command-line runner refuses bytes
/// that are not UTF-8 before parsing; here they are parsed with replacement
/// characters instead, so that such inputs still reach the parser.
fn text_of(data: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(data)
}

/// Target `parse_scenario`: any input is either refused with a message, or accepted
/// as a valid scenario that survives a round trip through its own JSON unchanged.
pub fn parse(data: &[u8]) {
    let text = text_of(data);
    match parse_scenario(&text) {
        Err(e) => {
            let message = e.to_string();
            assert!(!message.is_empty(), "a refusal without a message");
        }
        Ok(scenario) => {
            if let Err(e) = scenario.validate() {
                panic!("parse_scenario accepted a scenario that validate refuses: {e}");
            }
            let again = match serde_json::to_string(&scenario) {
                Ok(json) => json,
                Err(e) => panic!("an accepted scenario does not serialize: {e}"),
            };
            match parse_scenario(&again) {
                Ok(back) => assert!(
                    back == scenario,
                    "a scenario changed on a round trip through its JSON:\n{again}"
                ),
                Err(e) => panic!("an accepted scenario, serialized, is refused: {e}\n{again}"),
            }
        }
    }
}

/// Cuts a valid scenario down to what one fuzz input may cost. Every change keeps it
/// valid: fewer shards, fewer synthetic keys, smaller and fewer synthetic records.
pub fn bound(scenario: &mut Scenario) {
    scenario.stream.shard_count = scenario.stream.shard_count.min(SHARDS_MAX);
    if let Some(p) = &mut scenario.producer {
        p.partition_keys = p.partition_keys.min(PARTITION_KEYS_MAX);
        p.record_bytes = p.record_bytes.min(RECORD_BYTES_MAX);
        p.records_per_s = p.records_per_s.min(RECORDS_PER_S_MAX);
        for b in &mut p.bursts {
            b.records_per_s = b.records_per_s.min(RECORDS_PER_S_MAX);
        }
    }
}

/// Target `run_scenario`: the full path. Parse; if accepted, bound it, build the
/// simulation with the invocation log, run it for at most `RUN_S_MAX` simulated
/// seconds and `EVENTS_MAX` events, check the simulator's invariants, and build and
/// serialize the report with every option on.
pub fn run(data: &[u8]) {
    let text = text_of(data);
    let Ok(mut scenario) = parse_scenario(&text) else {
        return;
    };
    bound(&mut scenario);
    if let Err(e) = scenario.validate() {
        panic!("bounding made a valid scenario invalid: {e}");
    }
    let mut sim = Simulation::with_options(&scenario, true);
    let until = SimTime::from_s(RUN_S_MAX.min(scenario.duration_s));
    sim.run_until(until, EVENTS_MAX);
    sim.check_invariants();
    let report = sim.report(ReportOptions {
        invocations: true,
        per_second: true,
        journal: true,
    });
    match serde_json::to_string(&report) {
        Ok(json) => assert!(json.starts_with('{'), "a report that is not an object"),
        Err(e) => panic!("a report does not serialize: {e}"),
    }
}

/// A built-in scenario by its file name without `.json`, parsed once per process.
fn built_in(name: &str) -> Option<Scenario> {
    static PARSED: std::sync::OnceLock<Vec<(&'static str, Option<Scenario>)>> =
        std::sync::OnceLock::new();
    let parsed = PARSED.get_or_init(|| {
        BUILT_IN
            .iter()
            .map(|b| {
                let name = b.file.strip_suffix(".json").unwrap_or(b.file);
                (name, parse_scenario(b.json).ok())
            })
            .collect()
    });
    parsed
        .iter()
        .find(|(n, _)| *n == name)
        .and_then(|(_, s)| s.clone())
}

fn is_built_in(name: &str) -> bool {
    BUILT_IN
        .iter()
        .any(|b| b.file.strip_suffix(".json") == Some(name))
}

/// The scenario a link falls back to when it names none or an unknown one.
const DEFAULT_SCENARIO: &str = "steady";

/// Target `url_state`: a link's query string, read as the page reads it. `url::parse`
/// names every part it cannot read; the scenario it picks is a built-in one;
/// `url::apply_knobs` leaves the scenario valid whatever the values; and the link
/// written for the result reads back with no problem, to the same seed and moment
/// (and embed options, when it embeds).
pub fn url_state(data: &[u8]) {
    let text = text_of(data);
    let read = url::parse(&text, &is_built_in, DEFAULT_SCENARIO);
    for p in &read.problems {
        assert!(!p.is_empty(), "a problem without words");
    }
    let state = read.state;
    assert!(
        is_built_in(&state.scenario),
        "url::parse picked {:?}, which is not a built-in scenario",
        state.scenario
    );
    assert!(
        state.at <= SimTime::from_s(31_622_400),
        "a moment past a year: {:?}",
        state.at
    );
    let Some(base) = built_in(&state.scenario) else {
        panic!("the built-in scenario {} does not parse", state.scenario);
    };
    let mut scenario = base.clone();
    let problems = url::apply_knobs(&mut scenario, &state.knobs);
    for p in &problems {
        assert!(!p.is_empty(), "a knob problem without words");
    }
    if let Some(seed) = state.seed {
        scenario.seed = seed;
    }
    if let Err(e) = scenario.validate() {
        panic!("a link made the scenario invalid: {e}");
    }
    let link = url::write(&state.scenario, &base, &scenario, state.at, &state.embed);
    let again = url::parse(&link, &is_built_in, DEFAULT_SCENARIO);
    assert!(
        again.problems.is_empty(),
        "the link written for a run does not read back cleanly: {link}\n{:?}",
        again.problems
    );
    assert_eq!(again.state.scenario, state.scenario, "{link}");
    assert_eq!(again.state.at, state.at, "{link}");
    assert_eq!(
        again.state.seed.unwrap_or(base.seed),
        scenario.seed,
        "{link}"
    );
    // A link writes embed options only when it embeds.
    if state.embed.on {
        assert_eq!(again.state.embed, state.embed, "{link}");
    }
}

/// Built-in scenarios a pasted configuration is read into: one mapping, several
/// mappings, and a tumbling window.
const IMPORT_BASES: &[&str] = &["poison-pill", "fixes-compared", "tumbling-windows"];

/// Target `aws_import`: text pasted as a real AWS response
/// (`aws lambda get-event-source-mapping`, `aws kinesis describe-stream-summary`),
/// read into each of a few built-in scenarios. It is refused with a message, or gives
/// a valid scenario that the page can show as CLI commands and CloudFormation and
/// share as JSON (the scenario survives a round trip through it).
pub fn aws_import(data: &[u8]) {
    let text = text_of(data);
    for name in IMPORT_BASES {
        let Some(base) = built_in(name) else {
            panic!("the built-in scenario {name} does not parse");
        };
        match aws::import(&base, &text) {
            Err(message) => assert!(!message.is_empty(), "a refusal without a message"),
            Ok(imported) => {
                let s = &imported.scenario;
                if let Err(e) = s.validate() {
                    panic!("import accepted settings that validate refuses: {e}");
                }
                assert!(aws::cli(s).starts_with("aws kinesis create-stream"));
                assert!(aws::cloudformation(s).starts_with("AWSTemplateFormatVersion"));
                let json = match serde_json::to_string(s) {
                    Ok(json) => json,
                    Err(e) => panic!("an imported scenario does not serialize: {e}"),
                };
                match parse_scenario(&json) {
                    Ok(back) => assert!(
                        &back == s,
                        "an imported scenario changed on a round trip through its JSON"
                    ),
                    Err(e) => panic!("an imported scenario, serialized, is refused: {e}"),
                }
            }
        }
    }
}
