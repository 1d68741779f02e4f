//! The challenges: each shipped challenge fails with the scenario's own settings and
//! passes with a known good one, scored by the same function the page's "Check my
//! settings" uses, on the challenge's fixed seed. The figures are asserted, so a change
//! in the model that moves them is seen here.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a test may stop at the first surprise

use kinesis_playground::sim::{parse_scenario, run_and_score, Check, Scenario, Score};
use kinesis_playground::view::scenarios;
use serde_json::{json, Value};

fn file(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/static/scenarios/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("scenario file")
}

fn scenario_with(name: &str, change: impl FnOnce(&mut Value)) -> Scenario {
    let mut json: Value = serde_json::from_str(&file(name)).expect("JSON");
    change(&mut json);
    scenarios::parse(&json.to_string()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Scores the challenge in `name` after `change` has edited its JSON.
fn score_with(name: &str, change: impl FnOnce(&mut Value)) -> Score {
    let s = scenario_with(name, change);
    let challenge = s.challenge.clone().expect("a challenge");
    run_and_score(&challenge, &s)
}

/// Each check as (passed, value): the figures the verdict rests on.
fn figures(score: &Score) -> Vec<(bool, u64)> {
    score
        .checks
        .iter()
        .map(|c: &Check| (c.passed, c.value))
        .collect()
}

const CHALLENGES: &[&str] = &[
    "challenge-poison-pill.json",
    "challenge-keep-checkout-alive.json",
    "challenge-keep-up.json",
];

#[test]
fn every_shipped_challenge_is_listed_here() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/static/scenarios");
    let mut found: Vec<String> = std::fs::read_dir(dir)
        .expect("dir")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| {
            scenarios::parse(&file(n))
                .map(|s| s.challenge.is_some())
                .unwrap_or(false)
        })
        .collect();
    found.sort();
    let mut expected: Vec<String> = CHALLENGES.iter().map(|s| s.to_string()).collect();
    expected.sort();
    assert_eq!(found, expected);
}

#[test]
fn the_scenario_seed_does_not_change_the_verdict() {
    // The challenge's seed is fixed: the page's seed is not what is scored.
    let a = score_with("challenge-keep-up.json", |_| {});
    let b = score_with("challenge-keep-up.json", |s| s["seed"] = 12345.into());
    assert_eq!(a, b);
}

#[test]
fn poison_pill_defaults_lose_data_and_a_destination_saves_it() {
    let name = "challenge-poison-pill.json";
    let defaults = score_with(name, |_| {});
    assert!(!defaults.passed);
    // Blocked for a day: 2,751 records expire and the oldest waits 86,398 s.
    assert_eq!(figures(&defaults), [(false, 2_751), (false, 86_398)]);
    assert!(
        defaults.checks[0]
            .why
            .starts_with("2,751 records lost: 2,751 expired"),
        "{}",
        defaults.checks[0].why
    );

    // Giving up without a destination: the block is gone, but 51 records are dropped.
    let no_destination = score_with(name, |s| {
        s["event_source_mappings"][0]["MaximumRetryAttempts"] = 2.into();
    });
    assert_eq!(figures(&no_destination), [(false, 51), (true, 3)]);
    assert!(no_destination.checks[0]
        .why
        .contains("51 given up with no destination"));

    // Bisection alone still retries the pill until it expires.
    let bisect = score_with(name, |s| {
        s["event_source_mappings"][0]["BisectBatchOnFunctionError"] = true.into();
    });
    assert!(!bisect.passed);

    // Retries with an on-failure destination: nothing lost, nothing waits long.
    let fixed = score_with(name, |s| {
        let m = &mut s["event_source_mappings"][0];
        m["MaximumRetryAttempts"] = 2.into();
        m["DestinationConfig"] =
            json!({"OnFailure": {"Destination": "arn:aws:sqs:us-east-1:123456789012:orders-dlq"}});
    });
    assert!(fixed.passed, "{fixed:?}");
    assert_eq!(figures(&fixed), [(true, 0), (true, 3)]);
}

#[test]
fn checkout_is_throttled_by_default_and_reserved_concurrency_keeps_it_alive() {
    let name = "challenge-keep-checkout-alive.json";
    let defaults = score_with(name, |_| {});
    assert!(!defaults.passed);
    assert_eq!(figures(&defaults), [(true, 113), (false, 5_881)]);

    let reserved = score_with(name, |s| {
        s["functions"][0]["ReservedConcurrentExecutions"] = 900.into();
    });
    assert!(reserved.passed, "{reserved:?}");
    assert_eq!(figures(&reserved), [(true, 169), (true, 0)]);

    // Fewer lanes also leave room for checkout.
    let fewer_lanes = score_with(name, |s| {
        s["event_source_mappings"][0]["ParallelizationFactor"] = 5.into();
    });
    assert_eq!(figures(&fewer_lanes), [(true, 84), (true, 0)]);
}

#[test]
fn keep_up_fails_by_default_and_passes_with_two_lanes_a_shard() {
    let name = "challenge-keep-up.json";
    let defaults = score_with(name, |_| {});
    assert_eq!(figures(&defaults), [(false, 713), (true, 2)]);

    let two = score_with(name, |s| {
        s["event_source_mappings"][0]["ParallelizationFactor"] = 2.into();
    });
    assert!(two.passed, "{two:?}");
    assert_eq!(figures(&two), [(true, 0), (true, 4)]);

    // Four lanes keep up too, but run 8 instances: more than allowed.
    let four = score_with(name, |s| {
        s["event_source_mappings"][0]["ParallelizationFactor"] = 4.into();
    });
    assert_eq!(figures(&four), [(true, 0), (false, 8)]);

    // Twice the shards is the other way.
    let shards = score_with(name, |s| s["stream"]["ShardCount"] = 4.into());
    assert!(shards.passed, "{shards:?}");
}

#[test]
fn a_bad_challenge_is_refused_with_the_field_named() {
    let mut json: Value = serde_json::from_str(&file("challenge-keep-up.json")).expect("JSON");
    json["challenge"]["knobs"] = json!(["ParallelisationFactor"]);
    json["challenge"]["goals"] = json!({});
    let e = scenarios::parse(&json.to_string())
        .expect_err("refused")
        .to_string();
    assert!(e.contains("challenge.goals: sets no goal"), "{e}");
    assert!(
        e.contains("challenge.knobs[0]: \"ParallelisationFactor\" is not a setting of the page"),
        "{e}"
    );
    // The core alone cannot read the settings table: a name the page does not show
    // is refused by the page's reading (and the CLI's), not by `sim::parse_scenario`.
    json["challenge"]["goals"] = json!({"no_data_lost": true});
    assert!(parse_scenario(&json.to_string()).is_ok());
    let e = scenarios::parse(&json.to_string())
        .expect_err("refused")
        .to_string();
    assert_eq!(e.lines().count(), 1, "only the name is wrong: {e}");
    assert!(
        e.contains("allowed one of [\"duration_s\", \"ShardCount\""),
        "{e}"
    );
    json["challenge"]["goals"] = json!({"iterator_age_max": 60});
    let e = scenarios::parse(&json.to_string())
        .expect_err("refused")
        .to_string();
    assert!(
        e.contains("challenge.goals") && e.contains("iterator_age_max"),
        "{e}"
    );
}

/// A challenge may offer the settings added in session 5 by the names the page shows
/// (issues 12, 15); a name the page does not show, such as the JSON's structure
/// `StreamModeDetails`, is refused with the names allowed.
#[test]
fn a_challenge_may_offer_the_stream_mode_record_size_and_starting_position() {
    let s = scenario_with("challenge-keep-up.json", |json| {
        json["challenge"]["knobs"] = json!([
            "StreamMode",
            "MaxRecordSizeInKiB",
            "StartingPosition",
            "StartingPositionTimestamp"
        ]);
    });
    assert_eq!(s.challenge.expect("a challenge").knobs.len(), 4);
    let mut json: Value = serde_json::from_str(&file("challenge-keep-up.json")).expect("JSON");
    json["challenge"]["knobs"] = json!(["StreamModeDetails"]);
    let e = scenarios::parse(&json.to_string())
        .expect_err("refused")
        .to_string();
    assert!(
        e.contains("challenge.knobs[0]: \"StreamModeDetails\" is not a setting of the page: allowed one of")
            && e.contains("\"StreamMode\""),
        "{e}"
    );
}
