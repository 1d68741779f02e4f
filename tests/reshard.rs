//! Resharding while the stream runs (issue 15, item 10), through the public API.
//!
//! Sources (see `/work/shared/reference/aws-semantics.md` §1, "Resharding",
//! "UpdateShardCount" and "Even split at creation"; §3, "Tumbling windows"):
//! - K-API SplitShard / MergeShards / UpdateShardCount: splits and merges are
//!   pairwise on adjacent ranges; UpdateShardCount is for provisioned streams, at
//!   most 10 scalings per rolling 24 hours, between half and double the current
//!   count, at most 10,000 shards.
//! - K-DG23 after-resharding: a parent goes OPEN → CLOSED → EXPIRED (after
//!   retention), stays readable while closed, and must be read to its end before its
//!   children, or per-key order breaks.
//! - The aws-cli describe-stream example: even ranges `floor(i·2^128/N)`.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a test may stop at the first surprise

use std::collections::BTreeMap;

use kinesis_playground::sim::{
    even_split, hash_key, parse_scenario, ReportOptions, ShardStatus, SimTime, Simulation,
};
use serde_json::Value;

fn sim_of(json: &str, log: bool) -> Simulation {
    let scenario = parse_scenario(json).unwrap_or_else(|e| panic!("scenario refused: {e}"));
    Simulation::with_options(&scenario, log)
}

fn run(json: &str) -> Simulation {
    let mut sim = sim_of(json, false);
    sim.run_to_end();
    sim.check_invariants();
    sim
}

fn refused(json: &str) -> String {
    match parse_scenario(json) {
        Ok(_) => panic!("accepted: {json}"),
        Err(e) => e.to_string(),
    }
}

fn with_reshards(shards: u32, reshards: &str) -> String {
    format!(
        r#"{{"format":1,"duration_s":120,"stream":{{"ShardCount":{shards},"reshards":{reshards}}},
        "producer":{{"records_per_s":400,"record_bytes":100,"partition_keys":200}}}}"#
    )
}

#[test]
fn update_shard_count_opens_children_with_aws_even_ranges_and_numbers() {
    let mut sim = sim_of(
        &with_reshards(2, r#"[{"at_s":30,"TargetShardCount":4}]"#),
        false,
    );
    sim.run_until(SimTime::from_s(31), usize::MAX);
    let snap = sim.snapshot();
    let ids: Vec<&str> = snap.shards.iter().map(|s| s.shard_id.as_str()).collect();
    // New shards are numbered on from the highest id (K-API ListShards examples).
    assert_eq!(
        ids,
        [
            "shardId-000000000000",
            "shardId-000000000001",
            "shardId-000000000002",
            "shardId-000000000003",
            "shardId-000000000004",
            "shardId-000000000005"
        ]
    );
    let even = even_split(4);
    for (i, l) in snap.lineage[2..].iter().enumerate() {
        assert_eq!(l.status, ShardStatus::Open);
        assert_eq!(l.starting_hash_key, even[i].starting_hash_key);
        assert_eq!(l.ending_hash_key, even[i].ending_hash_key);
        // Each child of 2 → 4 lies within one parent.
        let parent = if i < 2 {
            "shardId-000000000000"
        } else {
            "shardId-000000000001"
        };
        assert_eq!(l.parents, [parent]);
    }
    for l in &snap.lineage[..2] {
        assert_eq!(l.status, ShardStatus::Closed);
        assert_eq!(l.closed_at, Some(SimTime::from_s(30)));
        assert_eq!(l.children.len(), 2);
    }
    sim.check_invariants();
}

#[test]
fn split_and_merge_make_adjacent_ranges() {
    let key = "100000000000000000000000000000000000000";
    let sim = run(&with_reshards(
        2,
        &format!(
            r#"[{{"at_s":20,"ShardToSplit":"shardId-000000000000","NewStartingHashKey":"{key}"}},
               {{"at_s":40,"ShardToMerge":"shardId-000000000003","AdjacentShardToMerge":"shardId-000000000001"}}]"#
        ),
    ));
    let snap = sim.snapshot();
    let l = &snap.lineage;
    assert_eq!(l.len(), 5);
    let k: u128 = key.parse().unwrap();
    // SplitShard: the new key and those above it go to the second child.
    assert_eq!((l[2].starting_hash_key, l[2].ending_hash_key), (0, k - 1));
    assert_eq!(l[3].starting_hash_key, k);
    assert_eq!(l[3].ending_hash_key, even_split(2)[0].ending_hash_key);
    // MergeShards: one child with both ranges, both parents.
    assert_eq!(l[4].starting_hash_key, k);
    assert_eq!(l[4].ending_hash_key, u128::MAX);
    assert_eq!(
        l[4].parents,
        ["shardId-000000000003", "shardId-000000000001"]
    );
    let open: Vec<usize> = (0..5)
        .filter(|&i| l[i].status == ShardStatus::Open)
        .collect();
    assert_eq!(open, [2, 4]);
}

#[test]
fn writes_go_to_the_open_children_by_hash_key() {
    let json = r#"{"format":1,"duration_s":120,"stream":{"ShardCount":2,
        "reshards":[{"at_s":60,"TargetShardCount":4}]},
        "producer":{"records_per_s":1000,"record_bytes":100,"partition_keys":500,"hot_key_share":0.5}}"#;
    let mut sim = sim_of(json, false);
    sim.run_until(SimTime::from_s(60), usize::MAX);
    let heads: Vec<u64> = sim.stream().shards.iter().map(|s| s.write_head()).collect();
    sim.run_to_end();
    sim.check_invariants();
    let shards = &sim.stream().shards;
    // The closed parents took nothing after the reshard.
    assert_eq!(shards[0].write_head(), heads[0]);
    assert_eq!(shards[1].write_head(), heads[1]);
    // Every child took records, and the hot key's child takes the most: one key
    // maps to one shard whatever the count.
    let hot = sim.stream().shard_for_hash(hash_key("key-0000"));
    assert!(hot >= 2, "the hot key goes to a child, not {hot}");
    for s in 2..6 {
        assert!(shards[s].write_head() > 0, "child {s} took nothing");
        if s != hot {
            assert!(shards[hot].write_head() > shards[s].write_head());
        }
    }
}

#[test]
fn explicit_puts_after_a_split_go_to_the_child() {
    let json = r#"{"format":1,"duration_s":30,"stream":{"ShardCount":1,
        "reshards":[{"at_s":10,"ShardToSplit":"shardId-000000000000"}]},
        "puts":[{"at_ms":5000,"Records":[{"PartitionKey":"k","Data":"aGk="}]},
                {"at_ms":15000,"Records":[{"PartitionKey":"k","Data":"aGk="}]}]}"#;
    let sim = run(json);
    let child = if hash_key("k") <= even_split(2)[0].ending_hash_key {
        1
    } else {
        2
    };
    let shards = &sim.stream().shards;
    assert_eq!(shards[0].write_head(), 1);
    assert_eq!(shards[child].write_head(), 1);
    assert_eq!(shards[3 - child].write_head(), 0);
}

/// The mapping reads a parent to its end, and processes it, before it reads its
/// children: every invocation on a parent ends before the first on any child, so
/// per-key order holds across the split (K-DG23 after-resharding).
#[test]
fn the_mapping_finishes_a_parent_before_its_children() {
    // A backlog at the reshard: 2 shards of 200 records/s, a function that takes
    // 100 records per 1.5 s per lane (two lanes a shard: 133 a second): a
    // backlog of about 2,000 records a parent.
    let json = r#"{"format":1,"duration_s":120,"stream":{"ShardCount":2,
        "reshards":[{"at_s":30,"TargetShardCount":4}]},
        "producer":{"records_per_s":400,"record_bytes":100,"partition_keys":40,"hot_key_share":0.2},
        "functions":[{"FunctionName":"f","duration_ms":1500}],
        "event_source_mappings":[{"FunctionName":"f","BatchSize":100,"ParallelizationFactor":2}]}"#;
    let mut sim = sim_of(json, true);
    sim.run_to_end();
    sim.check_invariants();
    let report = serde_json::to_value(sim.report(ReportOptions {
        invocations: true,
        per_second: false,
        journal: false,
    }))
    .unwrap();
    let log = report["invocations"].as_array().unwrap();
    let mut first_start: BTreeMap<String, u64> = BTreeMap::new();
    let mut last_end: BTreeMap<String, u64> = BTreeMap::new();
    for inv in log {
        let shard = inv["shardId"].as_str().unwrap().to_string();
        let (start, end) = (
            inv["start_ms"].as_u64().unwrap(),
            inv["end_ms"].as_u64().unwrap(),
        );
        first_start.entry(shard.clone()).or_insert(start);
        let e = last_end.entry(shard).or_insert(0);
        *e = (*e).max(end);
    }
    let snap = sim.snapshot();
    for (i, l) in snap.lineage.iter().enumerate().skip(2) {
        let child = &snap.shards[i].shard_id;
        let started = first_start[child];
        for p in &l.parents {
            assert!(
                last_end[p] <= started,
                "{child} started at {started} ms, before its parent {p} ended at {} ms",
                last_end[p]
            );
        }
        // The parent had a backlog: the children waited past the reshard.
        assert!(started > 35_000, "{child} started at {started} ms");
    }
    // Per key, records are first processed in the order they were written: parent
    // records (written first) before child records.
    let mut last_seen: BTreeMap<String, (u64, String)> = BTreeMap::new();
    for inv in log {
        let start = inv["start_ms"].as_u64().unwrap();
        let shard = inv["shardId"].as_str().unwrap();
        for r in inv["event"]["Records"].as_array().unwrap() {
            let key = r["kinesis"]["partitionKey"].as_str().unwrap().to_string();
            if let Some((_, was)) = last_seen.get(&key) {
                let was_child = snap.shards.iter().position(|s| &s.shard_id == was).unwrap() >= 2;
                let now_parent = snap
                    .shards
                    .iter()
                    .position(|s| s.shard_id == shard)
                    .unwrap()
                    < 2;
                assert!(
                    !(was_child && now_parent),
                    "key {key}: a parent record after a child's"
                );
            }
            last_seen.insert(key, (start, shard.to_string()));
        }
    }
    let m = &sim.mappings()[0];
    assert!(m.stats.succeeded > 0);
}

#[test]
fn a_parent_s_tumbling_window_closes_with_it() {
    let json = r#"{"format":1,"duration_s":120,"stream":{"ShardCount":1,
        "reshards":[{"at_s":30,"ShardToSplit":"shardId-000000000000"}]},
        "producer":{"records_per_s":50,"record_bytes":100,"partition_keys":20},
        "functions":[{"FunctionName":"f","duration_ms":50}],
        "event_source_mappings":[{"FunctionName":"f","BatchSize":100,"TumblingWindowInSeconds":60}]}"#;
    let sim = run(json);
    let windows = &sim.mappings()[0].windows;
    let parent: Vec<&Value> = windows
        .iter()
        .filter(|w| w["shardId"] == "shardId-000000000000")
        .collect();
    // The window [0, 60 s) of the parent closed when the parent ended, at about 30 s,
    // not at 60 s; the children start their own windows.
    assert_eq!(parent.len(), 1, "{windows:?}");
    let written = parent[0]["written_at"].as_str().unwrap();
    assert!(written < "2026-01-01T00:00:40", "closed at {written}");
    assert!(windows
        .iter()
        .any(|w| w["shardId"] == "shardId-000000000001"));
}

#[test]
fn a_closed_parent_expires_after_retention() {
    let json = r#"{"format":1,"duration_s":90000,"stream":{"ShardCount":2,"RetentionPeriodHours":24,
        "reshards":[{"at_s":100,"MergeShards_":null}]}}"#;
    // (A misspelt field is refused, as every unknown field is.)
    assert!(refused(json).contains("MergeShards_"));
    let json = r#"{"format":1,"duration_s":90000,"stream":{"ShardCount":2,"RetentionPeriodHours":24,
        "reshards":[{"at_s":100,"ShardToMerge":"shardId-000000000000","AdjacentShardToMerge":"shardId-000000000001"}]},
        "producer":{"records_per_s":2,"record_bytes":100,"partition_keys":10}}"#;
    let mut sim = sim_of(json, false);
    // A day after its first records, the parent still holds those of seconds 50 to
    // 99: closed, and readable.
    sim.run_until(SimTime::from_s(86_450), usize::MAX);
    let snap = sim.snapshot();
    assert_eq!(snap.lineage[0].status, ShardStatus::Closed);
    assert!(snap.shards[0].records > 0, "a closed parent stays readable");
    sim.run_until(SimTime::from_s(100 + 86_401), usize::MAX);
    let snap = sim.snapshot();
    assert_eq!(snap.lineage[0].status, ShardStatus::Expired);
    assert_eq!(snap.lineage[1].status, ShardStatus::Expired);
    assert_eq!(snap.shards[0].records, 0);
    assert_eq!(snap.lineage[2].status, ShardStatus::Open);
    sim.check_invariants();
    let report = serde_json::to_value(sim.report(ReportOptions::default())).unwrap();
    assert_eq!(report["stream"]["shards"][0]["status"], "EXPIRED");
    assert_eq!(report["stream"]["shards"][2]["status"], Value::Null);
}

#[test]
fn bad_reshards_are_refused_naming_what_is_allowed() {
    let e = refused(&with_reshards(4, r#"[{"at_s":10,"TargetShardCount":9}]"#));
    assert!(
        e.contains("stream.reshards[0]") && e.contains("allowed 2 to 8"),
        "{e}"
    );
    let e = refused(&with_reshards(4, r#"[{"at_s":10,"TargetShardCount":1}]"#));
    assert!(
        e.contains("less than half") && e.contains("allowed 2 to 8"),
        "{e}"
    );
    let e = refused(&with_reshards(
        4,
        r#"[{"at_s":10,"TargetShardCount":6,"ScalingType":"X"}]"#,
    ));
    assert!(e.contains("UNIFORM_SCALING"), "{e}");
    // Eleven scalings within 24 hours: the eleventh is refused.
    let many: Vec<String> = (0..11)
        .map(|i| {
            format!(
                r#"{{"at_s":{},"TargetShardCount":{}}}"#,
                10 + i,
                if i % 2 == 0 { 5 } else { 4 }
            )
        })
        .collect();
    let e = refused(&with_reshards(4, &format!("[{}]", many.join(","))));
    assert!(
        e.contains("stream.reshards[10]") && e.contains("at most 10 per rolling 24 hours"),
        "{e}"
    );
    assert!(!e.contains("stream.reshards[9]"), "{e}");
    let e = refused(&with_reshards(
        2,
        r#"[{"at_s":10,"ShardToSplit":"shardId-000000000007"}]"#,
    ));
    assert!(
        e.contains("not an open shard") && e.contains("shardId-000000000001"),
        "{e}"
    );
    let e = refused(&with_reshards(
        2,
        r#"[{"at_s":10,"ShardToSplit":"shardId-000000000000"},{"at_s":20,"ShardToSplit":"shardId-000000000000"}]"#,
    ));
    assert!(
        e.contains("stream.reshards[1]") && e.contains("not an open shard"),
        "{e}"
    );
    let e = refused(&with_reshards(
        3,
        r#"[{"at_s":10,"ShardToMerge":"shardId-000000000000","AdjacentShardToMerge":"shardId-000000000002"}]"#,
    ));
    assert!(e.contains("not adjacent"), "{e}");
    let e = refused(&with_reshards(
        2,
        r#"[{"at_s":10,"ShardToSplit":"shardId-000000000000","NewStartingHashKey":"0"}]"#,
    ));
    assert!(e.contains("outside") && e.contains("allowed 1 to"), "{e}");
    let e = refused(&with_reshards(
        2,
        r#"[{"at_s":10,"TargetShardCount":3,"ShardToSplit":"shardId-000000000000"}]"#,
    ));
    assert!(e.contains("exactly one of"), "{e}");
    let e = refused(&with_reshards(2, r#"[{"at_s":500,"TargetShardCount":3}]"#));
    assert!(
        e.contains("stream.reshards[0].at_s") && e.contains("allowed 0 to 119"),
        "{e}"
    );
    let e = refused(&with_reshards(
        2,
        r#"[{"at_s":20,"TargetShardCount":3},{"at_s":20,"TargetShardCount":4}]"#,
    ));
    assert!(
        e.contains("stream.reshards[1].at_s") && e.contains("one reshard a second"),
        "{e}"
    );
    let e = refused(
        r#"{"format":1,"stream":{"ShardCount":4,"StreamModeDetails":{"StreamMode":"ON_DEMAND"},
        "reshards":[{"at_s":10,"TargetShardCount":8}]}}"#,
    );
    assert!(
        e.contains("ON_DEMAND") && e.contains("PROVISIONED streams only"),
        "{e}"
    );
}
