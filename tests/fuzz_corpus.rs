//! The fuzz targets on the stable toolchain (issue 7): every file of the committed
//! corpus (`fuzz/corpus/<target>/`), then a seeded, bounded loop of mutations of it,
//! for each parser of outside input (a scenario's JSON, a link's query string, a
//! pasted AWS configuration) and the run behind a scenario,
//! through the very functions that `cargo fuzz` runs (`fuzz/src/lib.rs`, included
//! here as a module). libFuzzer itself needs nightly; this runs wherever `cargo test`
//! does. It is not coverage-guided: it is a regression net and a cheap fuzzer.
//!
//! Mutations: byte flips, insertions, deletions, duplicated and truncated spans,
//! splices of two inputs, and JSON-aware ones: a number made extreme, a string made
//! markup, huge or odd, a value replaced, a key removed, renamed or added, a value
//! nested deeply.
//!
//! - `FUZZ_CASES=N` runs N mutations per target instead of the default.
//! - `FUZZ_SEED=S` (decimal or `0x` hex) runs only the mutation with that seed, as a
//!   failure prints it.
//!
//! A failing input is written to `target/fuzz-failures/` and its seed printed, so it
//! can be replayed and added to the corpus. Each target writes one line
//! `fuzz NAME: N inputs passed` to standard error, past the harness's capture, for
//! `scripts/test.sh`.

#![allow(
    clippy::print_stderr,
    reason = "a failing input prints its seed and where it was saved"
)]
#![allow(clippy::expect_used, clippy::unwrap_used)] // a test may stop at the first surprise

mod common;
#[path = "../fuzz/src/lib.rs"]
mod targets;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::{Map, Value};

/// SplitMix64, as in `tests/properties.rs`.
#[derive(Clone, Debug)]
struct Gen(u64);

impl Gen {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    fn chance(&mut self, one_in: u64) -> bool {
        self.next_u64() % one_in == 0
    }
}

// ---------------------------------------------------------------------------------
// Running inputs.

/// Runs one target on one input; the panic message if it panicked.
fn panics(target: fn(&[u8]), data: &[u8]) -> Option<String> {
    common::catch_quietly(|| target(data)).err()
}

/// Writes one line to standard error, past the harness's capture, in one write.
fn note(line: &str) {
    let _ = std::io::stderr()
        .lock()
        .write_all(format!("{line}\n").as_bytes());
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The committed corpus of a target, in name order.
fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = root().join("fuzz/corpus").join(target);
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.expect("a directory entry").path();
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (name, std::fs::read(&path).expect("a corpus file"))
        })
        .collect();
    files.sort();
    files
}

/// Saves a failing input where it can be replayed from, and says how.
fn save_failure(target: &str, label: &str, data: &[u8]) -> PathBuf {
    let dir = root().join("target/fuzz-failures");
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(format!("{target}-{label}"));
    let _ = std::fs::write(&path, data);
    path
}

fn shown(data: &[u8]) -> String {
    let text = String::from_utf8_lossy(data);
    let mut s: String = text.chars().take(400).collect();
    if text.chars().count() > 400 {
        s.push('…');
    }
    format!("{s:?} ({} bytes)", data.len())
}

// ---------------------------------------------------------------------------------
// Mutations.

/// Numbers at and past the edges of every range the format has.
const EXTREME_NUMBERS: &[&str] = &[
    "0",
    "-1",
    "1",
    "-0",
    "0.5",
    "59",
    "60",
    "255",
    "256",
    "500",
    "501",
    "1000",
    "10000",
    "10001",
    "1048576",
    "1048577",
    "4294967295",
    "4294967296",
    "9007199254740993",
    "18446744073709551615",
    "18446744073709551616",
    "-9223372036854775808",
    "1e308",
    "-1e308",
    "1e-320",
    "1e400",
    "31622400",
    "31622401",
];

fn odd_string(g: &mut Gen) -> String {
    match g.below(12) {
        0 => "<script>alert(1)</script>".into(),
        1 => "</title><img src=x onerror=alert(1)>".into(),
        2 => "A".repeat(1 + g.below(100_000)),
        3 => "\u{0}".into(),
        4 => "\u{202e}rtl\u{200b}zero-width".into(),
        5 => "🔑".repeat(1 + g.below(300)),
        6 => String::new(),
        7 => "cG9pc29u".into(), // "poison" in base64
        8 => "arn:aws:s3:::bucket".into(),
        9 => "TRIM_HORIZON".into(),
        10 => "340282366920938463463374607431768211455".into(),
        _ => "%s%n{{}}'\"\\".into(),
    }
}

fn odd_value(g: &mut Gen) -> Value {
    match g.below(8) {
        0 => Value::Null,
        1 => Value::Bool(g.chance(2)),
        2 => Value::String(odd_string(g)),
        3 => Value::Array(Vec::new()),
        4 => Value::Object(Map::new()),
        5 => {
            let depth = 1 + g.below(120);
            serde_json::from_str(&format!("{}{}", "[".repeat(depth), "]".repeat(depth)))
                .unwrap_or(Value::Null)
        }
        _ => serde_json::from_str(EXTREME_NUMBERS[g.below(EXTREME_NUMBERS.len())])
            .unwrap_or(Value::Null),
    }
}

/// Visits a random node of `v` (each node about equally likely) and changes it.
fn mutate_value(g: &mut Gen, v: &mut Value) {
    let nodes = count_nodes(v);
    let mut target = g.below(nodes);
    mutate_nth(g, v, &mut target);
}

fn count_nodes(v: &Value) -> usize {
    1 + match v {
        Value::Array(a) => a.iter().map(count_nodes).sum(),
        Value::Object(o) => o.values().map(count_nodes).sum(),
        _ => 0,
    }
}

/// Keys the format knows, to add where they do not belong or misspelled.
const KEYS: &[&str] = &[
    "format",
    "seed",
    "duration_s",
    "ShardCount",
    "BatchSize",
    "ParallelizationFactor",
    "TumblingWindowInSeconds",
    "records_per_s",
    "record_bytes",
    "response",
    "poison",
    "ReservedConcurrentExecutions",
    "ExplicitHashKey",
    "at_ms",
];

fn mutate_nth(g: &mut Gen, v: &mut Value, n: &mut usize) -> bool {
    if *n == 0 {
        match v {
            Value::Number(_) => {
                let text = EXTREME_NUMBERS[g.below(EXTREME_NUMBERS.len())];
                *v = serde_json::from_str(text).unwrap_or(Value::Null);
            }
            Value::String(s) => {
                *s = if g.chance(3) {
                    s.repeat(1 + g.below(1_000))
                } else {
                    odd_string(g)
                };
            }
            Value::Bool(b) => *b = !*b,
            Value::Array(a) => match g.below(3) {
                0 => a.clear(),
                1 if !a.is_empty() => {
                    let copy = a[g.below(a.len())].clone();
                    for _ in 0..1 + g.below(50) {
                        a.push(copy.clone());
                    }
                }
                _ => a.push(odd_value(g)),
            },
            Value::Object(o) => match g.below(4) {
                0 if !o.is_empty() => {
                    let k = o.keys().nth(g.below(o.len())).cloned().unwrap_or_default();
                    o.remove(&k);
                }
                1 if !o.is_empty() => {
                    let k = o.keys().nth(g.below(o.len())).cloned().unwrap_or_default();
                    if let Some(val) = o.remove(&k) {
                        o.insert(format!("{k}x"), val);
                    }
                }
                _ => {
                    let k = KEYS[g.below(KEYS.len())].to_string();
                    o.insert(k, odd_value(g));
                }
            },
            Value::Null => *v = odd_value(g),
        }
        if g.chance(8) {
            *v = odd_value(g);
        }
        return true;
    }
    *n -= 1;
    match v {
        Value::Array(a) => a.iter_mut().any(|c| mutate_nth(g, c, n)),
        Value::Object(o) => o.values_mut().any(|c| mutate_nth(g, c, n)),
        _ => false,
    }
}

/// Values a link part may take: edges of the knobs' ranges, words the format knows,
/// and escapes that are broken or odd.
const LINK_VALUES: &[&str] = &[
    "",
    "0",
    "-1",
    "1",
    "1.5",
    "NaN",
    "inf",
    "-0",
    "1e400",
    "none",
    "latest",
    "trim_horizon",
    "sqs",
    "s3",
    "throw",
    "skip",
    "timeout",
    "dark",
    "min",
    "shards,pf",
    "%",
    "%4",
    "%zz",
    "%FF",
    "%E2%82",
    "%00",
    "+",
    "%3Cscript%3E",
    "18446744073709551616",
    "31622401",
];

/// Keys a link may carry, and some it may not.
const LINK_KEYS: &[&str] = &[
    "v", "s", "seed", "t", "embed", "theme", "ui", "lock", "autoplay", "shards", "rate", "pf",
    "tumble", "batch", "age", "retries", "dest", "reserved", "onpoison", "hot", "x", "S", "",
];

/// One link-aware mutation, when `data` looks like a query string: a part's value or
/// key replaced, a part duplicated, removed or added.
fn mutate_link(g: &mut Gen, data: &mut Vec<u8>) -> bool {
    let text = String::from_utf8_lossy(data).into_owned();
    if !text.contains('=') {
        return false;
    }
    let mut parts: Vec<String> = text.split('&').map(str::to_string).collect();
    let i = g.below(parts.len());
    let (key, value) = match parts[i].split_once('=') {
        Some((k, v)) => (k.to_string(), v.to_string()),
        None => (parts[i].clone(), String::new()),
    };
    match g.below(5) {
        0 => parts[i] = format!("{key}={}", LINK_VALUES[g.below(LINK_VALUES.len())]),
        1 => parts[i] = format!("{}={value}", LINK_KEYS[g.below(LINK_KEYS.len())]),
        2 => {
            let copy = parts[i].clone();
            parts.insert(g.below(parts.len() + 1), copy);
        }
        3 => {
            parts.remove(i);
        }
        _ => parts.push(format!(
            "{}={}",
            LINK_KEYS[g.below(LINK_KEYS.len())],
            LINK_VALUES[g.below(LINK_VALUES.len())]
        )),
    }
    *data = parts.join("&").into_bytes();
    true
}

/// One mutation of `data`, byte-level or (when it is JSON or a link) structural.
fn mutate(g: &mut Gen, data: &mut Vec<u8>, other: &[u8]) {
    if g.chance(3) && mutate_link(g, data) {
        return;
    }
    if g.chance(2) {
        if let Ok(mut v) = serde_json::from_slice::<Value>(data) {
            mutate_value(g, &mut v);
            if let Ok(text) = serde_json::to_vec(&v) {
                *data = text;
                return;
            }
        }
    }
    let len = data.len();
    match g.below(7) {
        0 if len > 0 => {
            let i = g.below(len);
            data[i] ^= 1 << g.below(8);
        }
        1 if len > 0 => {
            let i = g.below(len);
            data[i] = g.next_u64() as u8;
        }
        2 => {
            let at = g.below(len + 1);
            let bytes: Vec<u8> = (0..1 + g.below(8)).map(|_| g.next_u64() as u8).collect();
            data.splice(at..at, bytes);
        }
        3 if len > 0 => {
            let from = g.below(len);
            let to = (from + 1 + g.below(64)).min(len);
            data.drain(from..to);
        }
        4 if len > 0 => {
            let from = g.below(len);
            let to = (from + 1 + g.below(256)).min(len);
            let span = data[from..to].to_vec();
            data.splice(to..to, span);
        }
        5 => data.truncate(g.below(len + 1)),
        _ if !other.is_empty() => {
            // Splice: this input's head, the other's tail.
            let head = g.below(len + 1);
            let tail = g.below(other.len());
            data.truncate(head);
            data.extend_from_slice(&other[tail..]);
        }
        _ => data.push(b'}'),
    }
}

// ---------------------------------------------------------------------------------
// The tests.

/// Runs the corpus, then `mutations` mutated inputs, through `target`.
fn fuzz(name: &str, corpus_dir: &str, target: fn(&[u8]), mutations: u64) {
    let started = Instant::now();
    let seeds = corpus(corpus_dir);
    assert!(
        seeds.len() >= 40,
        "the corpus of {corpus_dir} has {} files",
        seeds.len()
    );
    let mut failures = Vec::new();
    let only = common::env_u64("FUZZ_SEED");
    if only.is_none() {
        for (file, data) in &seeds {
            if let Some(why) = panics(target, data) {
                failures.push(format!("corpus file {file}: {why}"));
            }
        }
    }
    let base = name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let case_seeds: Vec<u64> = match only {
        Some(seed) => vec![seed],
        None => {
            let n = common::env_u64("FUZZ_CASES").unwrap_or(mutations);
            (0..n).map(|i| Gen(base ^ i).next_u64()).collect()
        }
    };
    for &seed in &case_seeds {
        let mut g = Gen(seed);
        let mut data = seeds[g.below(seeds.len())].1.clone();
        let other = &seeds[g.below(seeds.len())].1;
        for _ in 0..1 + g.below(4) {
            mutate(&mut g, &mut data, other);
        }
        if let Some(why) = panics(target, &data) {
            let path = save_failure(name, &format!("{seed:#018x}"), &data);
            failures.push(format!(
                "mutation seed {seed:#x} (rerun: FUZZ_SEED={seed:#x} cargo test --test fuzz_corpus {name}; saved to {}): {why}\ninput: {}",
                path.display(),
                shown(&data)
            ));
        }
    }
    let ran = if only.is_some() { 0 } else { seeds.len() } + case_seeds.len();
    if !failures.is_empty() {
        for f in &failures {
            eprintln!("\n{f}");
        }
        panic!("{} of {ran} inputs made {name} panic", failures.len());
    }
    note(&format!(
        "fuzz {name}: {ran} inputs passed ({} corpus files, {} mutations) in {:.1} s",
        if only.is_some() { 0 } else { seeds.len() },
        case_seeds.len(),
        started.elapsed().as_secs_f64()
    ));
}

#[test]
fn parse_scenario_never_panics() {
    fuzz("parse_scenario", "parse_scenario", targets::parse, 300);
}

#[test]
fn a_parsed_scenario_runs_checks_and_reports_without_panicking() {
    fuzz("run_scenario", "run_scenario", targets::run, 600);
}

#[test]
fn a_link_is_read_applied_and_written_without_panicking() {
    fuzz("url_state", "url_state", targets::url_state, 10_000);
}

#[test]
fn a_pasted_aws_configuration_is_imported_without_panicking() {
    fuzz("aws_import", "aws_import", targets::aws_import, 2_000);
}

/// A refusal names the field `serde_path_to_error` names for the same error, with
/// serde_json's message unchanged: `parse_scenario` works the path out from where
/// serde_json stopped (`src/sim/json_path.rs`, issue 16), so that the page carries one
/// copy of the scenario's deserializer, not a second, path-tracking one. The
/// reference is the crate the page used before, kept as a dev-dependency for this.
fn names_the_field_serde_path_to_error_names(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut de = serde_json::Deserializer::from_str(&text);
    let want =
        match serde_path_to_error::deserialize::<_, kinesis_playground::sim::Scenario>(&mut de) {
            // As parse_scenario wrote it with serde_path_to_error: no path for the whole
            // document ("."), nor for a key that is empty.
            Err(e) => match e.path().to_string() {
                path if path == "." || path.is_empty() => e.inner().to_string(),
                path => format!("{path}: {}", e.inner()),
            },
            // Text after the scenario: refused since this change, as the whole document.
            Ok(_) => match de.end() {
                Err(e) => e.to_string(),
                Ok(()) => return,
            },
        };
    match kinesis_playground::sim::parse_scenario(&text) {
        Ok(_) => panic!("accepted what serde_path_to_error refuses with {want:?}"),
        Err(got) => assert_eq!(got.to_string(), want),
    }
}

#[test]
fn a_refusal_names_the_field_as_serde_path_to_error_did() {
    // Both corpora: the parser's (mostly broken documents) and the run's (mostly
    // valid scenarios, so that the mutations reach deep fields).
    fuzz(
        "scenario_error_path",
        "parse_scenario",
        names_the_field_serde_path_to_error_names,
        2_000,
    );
    fuzz(
        "scenario_error_path_deep",
        "run_scenario",
        names_the_field_serde_path_to_error_names,
        2_000,
    );
}

/// The link mutations reach what they are meant to: links that still read cleanly,
/// and links with parts that are named as problems.
#[test]
fn link_mutations_keep_some_links_clean_and_break_others() {
    let seeds = corpus("url_state");
    let (mut clean, mut named) = (0, 0);
    for i in 0..400u64 {
        let mut g = Gen(i);
        let mut data = seeds[g.below(seeds.len())].1.clone();
        if !mutate_link(&mut g, &mut data) {
            continue;
        }
        let read = kinesis_playground::share::url::parse(
            &String::from_utf8_lossy(&data),
            &|_| true,
            "steady",
        );
        if read.problems.is_empty() {
            clean += 1;
        } else {
            named += 1;
        }
    }
    assert!(clean >= 40 && named >= 40, "clean {clean}, named {named}");
}

/// The mutations reach what they are meant to: valid scenarios still (so the run
/// target is exercised), and refusals.
#[test]
fn mutations_keep_some_inputs_valid_and_break_others() {
    let seeds = corpus("run_scenario");
    let (mut valid, mut refused) = (0, 0);
    for i in 0..400u64 {
        let mut g = Gen(i);
        let mut data = seeds[g.below(seeds.len())].1.clone();
        let other = seeds[g.below(seeds.len())].1.clone();
        mutate(&mut g, &mut data, &other);
        match kinesis_playground::sim::parse_scenario(&String::from_utf8_lossy(&data)) {
            Ok(_) => valid += 1,
            Err(_) => refused += 1,
        }
    }
    assert!(
        valid >= 40 && refused >= 40,
        "valid {valid}, refused {refused}"
    );
}

/// The corpus directories of both targets hold every shipped scenario.
#[test]
fn the_corpus_holds_every_shipped_scenario() {
    let shipped: Vec<String> = std::fs::read_dir(root().join("static/scenarios"))
        .expect("static/scenarios")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    for target in ["parse_scenario", "run_scenario"] {
        for name in &shipped {
            let path = root()
                .join("fuzz/corpus")
                .join(target)
                .join(format!("static-{name}"));
            assert!(
                Path::new(&path).exists(),
                "{} is missing: copy static/scenarios/{name} there",
                path.display()
            );
        }
    }
}
