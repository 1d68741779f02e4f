//! Follow a record (`sim::trace`), and what the snapshot says of batches and
//! give-ups, pinned on small scenarios: four records on one shard, `c` poison.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a test may stop at the first surprise

use kinesis_playground::sim::{
    hash_key, parse_scenario, BatchState, End, GiveUpCondition, ReportOptions, Scenario, SimTime,
    Simulation, StepKind, Trace, TraceTarget,
};

const DLQ: &str = "arn:aws:sqs:us-east-1:123456789012:dlq";

/// Four records on one shard at 0 ms (`a`, `b`, `c` poison, `d`) and `e` at 5 s.
fn four_records(mapping: &str, function: &str, duration_s: u64, retention_h: u32) -> Scenario {
    let json = format!(
        r#"{{"format":1,"duration_s":{duration_s},"stream":{{"ShardCount":1,"RetentionPeriodHours":{retention_h}}},
        "puts":[{{"at_ms":0,"Records":[{{"PartitionKey":"a","Data":"YQ=="}},{{"PartitionKey":"b","Data":"Yg=="}},
          {{"PartitionKey":"c","Data":"cG9pc29u"}},{{"PartitionKey":"d","Data":"ZA=="}}]}},
          {{"at_ms":5000,"Records":[{{"PartitionKey":"e","Data":"ZQ=="}}]}}],
        "functions":[{{"FunctionName":"f","duration_ms":20,"poison":{{"data_contains":"poison"}}{function}}}],
        "event_source_mappings":[{{"FunctionName":"f"{mapping}}}]}}"#
    );
    parse_scenario(&json).unwrap_or_else(|e| panic!("scenario refused: {e}\n{json}"))
}

fn follow(scenario: &Scenario, index: u64) -> Trace {
    let mut sim = Simulation::new(scenario);
    sim.follow(TraceTarget {
        shard: 0,
        index,
        mapping: 0,
    })
    .expect("follow");
    sim.run_to_end();
    sim.check_invariants();
    sim.trace().cloned().expect("a trace")
}

/// The steps in short words, for readable assertions.
fn words(t: &Trace) -> Vec<String> {
    t.steps
        .iter()
        .map(|s| match &s.kind {
            StepKind::Invoked {
                records,
                attempt,
                depth,
                ..
            } => format!("invoked {records} try {attempt} depth {depth}"),
            StepKind::Throttled => "throttled".into(),
            StepKind::Failed { outcome } => format!("failed {outcome}"),
            StepKind::ReportedFailure { retried } => format!("reported, {retried} retried"),
            StepKind::Split {
                records,
                half,
                first,
            } => format!(
                "split {records} into {} half of {half}",
                if *first { "first" } else { "second" }
            ),
            StepKind::RetryScheduled { retry, .. } => format!("retry {retry}"),
            StepKind::End(End::Succeeded) => "succeeded".into(),
            StepKind::End(End::Expired) => "expired".into(),
            StepKind::End(End::Skipped) => "skipped".into(),
            StepKind::End(End::Discarded { condition }) => format!("discarded {condition}"),
            StepKind::End(End::SentToDestination {
                destination,
                condition,
            }) => format!("sent to {destination} {condition}"),
        })
        .collect()
}

#[test]
fn a_plain_record_is_invoked_once_and_succeeds_with_its_key_hash_and_shard() {
    // A function that handles the pill itself: every batch succeeds.
    let t = follow(&four_records("", r#","on_poison":"skip""#, 10, 24), 0);
    assert_eq!(words(&t), ["invoked 4 try 1 depth 0", "succeeded"]);
    let p = t.placement.as_ref().expect("placed");
    assert_eq!(p.partition_key, "a");
    assert_eq!(p.hash_key, hash_key("a"));
    assert!(p.range.starting_hash_key <= p.hash_key && p.hash_key <= p.range.ending_hash_key);
    assert_eq!(p.shard_id, "shardId-000000000000");
    assert_eq!((p.lane, p.lanes, p.explicit, p.poison), (0, 1, true, false));
    assert_eq!(
        t.steps[1].at,
        SimTime(20),
        "ends when the 20 ms invocation does"
    );
}

#[test]
fn the_pill_is_retried_until_it_expires_and_the_trace_stays_bounded() {
    // Retention 24 h, MaximumRetryAttempts -1: retried about once a minute for a day.
    let t = follow(&four_records("", "", 25 * 3_600, 24), 2);
    assert!(t.placement.as_ref().is_some_and(|p| p.poison));
    let w = words(&t);
    assert_eq!(
        w[..3],
        ["invoked 4 try 1 depth 0", "failed error", "retry 1"]
    );
    assert_eq!(t.end(), Some(&End::Expired));
    let end = t.steps.last().expect("an end").at;
    assert!(
        (24 * 3_600_000..24 * 3_600_000 + 120_000).contains(&end.0),
        "expires after a day: {end}"
    );
    assert!(t.invocations > 1_000, "{} invocations", t.invocations);
    assert_eq!(t.steps.len(), kinesis_playground::sim::TRACE_STEPS_MAX);
    assert!(t.omitted > 2_000, "{} omitted", t.omitted);
}

#[test]
fn bisect_splits_down_to_the_pill_and_its_neighbour_succeeds_in_a_half() {
    let scenario = four_records(
        &format!(
            r#","BisectBatchOnFunctionError":true,"MaximumRetryAttempts":1,"DestinationConfig":{{"OnFailure":{{"Destination":"{DLQ}"}}}}"#
        ),
        "",
        60,
        24,
    );
    let pill = follow(&scenario, 2);
    assert_eq!(
        words(&pill),
        [
            "invoked 4 try 1 depth 0",
            "failed error",
            "split 4 into second half of 2",
            "invoked 2 try 2 depth 1",
            "failed error",
            "split 2 into first half of 1",
            "invoked 1 try 3 depth 2",
            "failed error",
            "retry 1",
            "invoked 1 try 4 depth 2",
            "failed error",
            &format!("sent to {DLQ} RetryAttemptsExhausted"),
        ]
    );
    let a = follow(&scenario, 0);
    assert_eq!(
        words(&a),
        [
            "invoked 4 try 1 depth 0",
            "failed error",
            "split 4 into first half of 2",
            "invoked 2 try 2 depth 1",
            "succeeded",
        ]
    );
}

#[test]
fn report_batch_item_failures_checkpoints_before_the_pill_and_retries_from_it() {
    let scenario = four_records(
        &format!(
            r#","FunctionResponseTypes":["ReportBatchItemFailures"],"MaximumRetryAttempts":1,"DestinationConfig":{{"OnFailure":{{"Destination":"{DLQ}"}}}}"#
        ),
        r#","on_poison":"report_item_failure""#,
        60,
        24,
    );
    assert_eq!(
        words(&follow(&scenario, 1)),
        ["invoked 4 try 1 depth 0", "succeeded"],
        "b, before the pill, is checkpointed"
    );
    let d = follow(&scenario, 3);
    assert_eq!(
        words(&d),
        [
            "invoked 4 try 1 depth 0",
            "reported, 2 retried",
            // The checkpoint moved: c and d are a new batch, tried at once, whose
            // attempts are counted afresh (issue 15, item 5).
            "invoked 2 try 1 depth 0",
            "reported, 2 retried",
            "retry 1",
            "invoked 2 try 2 depth 0",
            "reported, 2 retried",
            &format!("sent to {DLQ} RetryAttemptsExhausted"),
        ]
    );
    // After the give-up the lane resumes: e, put at 5 s, succeeds.
    assert_eq!(
        words(&follow(&scenario, 4)),
        ["invoked 1 try 1 depth 0", "succeeded"]
    );
}

#[test]
fn a_good_record_in_a_failing_batch_goes_to_sqs_with_it() {
    let scenario = four_records(
        &format!(
            r#","MaximumRetryAttempts":2,"DestinationConfig":{{"OnFailure":{{"Destination":"{DLQ}"}}}}"#
        ),
        "",
        60,
        24,
    );
    let b = follow(&scenario, 1);
    assert_eq!(
        words(&b),
        [
            "invoked 4 try 1 depth 0",
            "failed error",
            "retry 1",
            "invoked 4 try 2 depth 0",
            "failed error",
            "retry 2",
            "invoked 4 try 3 depth 0",
            "failed error",
            &format!("sent to {DLQ} RetryAttemptsExhausted"),
        ]
    );
    // Without a destination the same records are discarded.
    let none = four_records(r#","MaximumRetryAttempts":0"#, "", 60, 24);
    assert_eq!(
        words(&follow(&none, 1)).last().map(String::as_str),
        Some("discarded RetryAttemptsExhausted")
    );
}

#[test]
fn a_record_before_a_latest_starting_position_is_skipped_and_a_later_one_is_read() {
    let scenario = four_records(
        r#","created_at_ms":2000,"StartingPosition":"LATEST""#,
        "",
        30,
        24,
    );
    assert_eq!(words(&follow(&scenario, 0)), ["skipped"]);
    let e = follow(&scenario, 4);
    assert_eq!(words(&e), ["invoked 1 try 1 depth 0", "succeeded"]);
    assert_eq!(e.steps[0].at, SimTime(5_000), "read as soon as it arrives");
}

#[test]
fn following_a_record_changes_nothing_in_the_run() {
    let scenario = four_records(r#","BisectBatchOnFunctionError":true"#, "", 600, 24);
    let report = |follow: bool| {
        let mut sim = Simulation::with_options(&scenario, true);
        if follow {
            sim.follow(TraceTarget {
                shard: 0,
                index: 2,
                mapping: 0,
            })
            .expect("follow");
        }
        sim.run_to_end();
        serde_json::to_string(&sim.report(ReportOptions {
            invocations: true,
            per_second: true,
            journal: true,
        }))
        .expect("report")
    };
    assert_eq!(report(false), report(true));
}

#[test]
fn follow_refuses_a_shard_or_mapping_that_does_not_exist() {
    let mut sim = Simulation::new(&four_records("", "", 10, 24));
    let e = sim
        .follow(TraceTarget {
            shard: 3,
            index: 0,
            mapping: 0,
        })
        .expect_err("no shard 3");
    assert!(e.contains("no shard 3") && e.contains("has 1"), "{e}");
    let e = sim
        .follow(TraceTarget {
            shard: 0,
            index: 0,
            mapping: 2,
        })
        .expect_err("no mapping 2");
    assert!(e.contains("mapping 2"), "{e}");
}

#[test]
fn a_partition_key_finds_its_newest_record() {
    let mut sim = Simulation::new(&four_records("", "", 10, 24));
    sim.run_until(SimTime(6_000), usize::MAX);
    assert_eq!(sim.find_record("c"), Ok((0, 2)));
    assert_eq!(sim.find_record("e"), Ok((0, 4)));
    let e = sim.find_record("zzz").expect_err("no such record");
    assert!(e.contains("zzz"), "{e}");
    assert!(sim.find_record("").is_err());
    // Bulk records: the key plan says which key each carries.
    let bulk = parse_scenario(
        r#"{"format":1,"duration_s":30,"stream":{"ShardCount":2},
        "producer":{"records_per_s":100,"partition_keys":10},
        "functions":[{"FunctionName":"f"}],"event_source_mappings":[{"FunctionName":"f"}]}"#,
    )
    .expect("scenario");
    let mut sim = Simulation::new(&bulk);
    sim.run_until(SimTime(10_000), usize::MAX);
    let (s, i) = sim.find_record("key-0003").expect("a bulk record");
    sim.follow(TraceTarget {
        shard: s,
        index: i,
        mapping: 0,
    })
    .expect("follow");
    let p = sim
        .trace()
        .and_then(|t| t.placement.clone())
        .expect("placed");
    assert_eq!(p.partition_key, "key-0003");
    assert!(!p.explicit);
}

#[test]
fn the_snapshot_shows_a_batch_in_flight_a_waiting_half_and_give_ups() {
    let scenario = four_records(
        &format!(
            r#","BisectBatchOnFunctionError":true,"MaximumRetryAttempts":0,"DestinationConfig":{{"OnFailure":{{"Destination":"{DLQ}"}}}}"#
        ),
        "",
        60,
        24,
    );
    let mut sim = Simulation::new(&scenario);
    sim.run_until(SimTime(10), usize::MAX);
    let m = &sim.snapshot().mappings[0];
    assert_eq!(m.batches.len(), 1, "{:?}", m.batches);
    let b = m.batches[0];
    assert_eq!(
        (b.shard, b.lane, b.start, b.end, b.records),
        (0, 0, 0, 4, 4)
    );
    assert_eq!(
        b.state,
        BatchState::InFlight {
            started: SimTime(0),
            ends: SimTime(20)
        }
    );
    // The first try failed at 20 ms and was split: the first half runs, the second waits.
    sim.run_until(SimTime(30), usize::MAX);
    let m = &sim.snapshot().mappings[0];
    let halves: Vec<_> = m
        .batches
        .iter()
        .map(|b| {
            (
                b.start,
                b.end,
                b.records,
                b.depth,
                matches!(b.state, BatchState::InFlight { .. }),
            )
        })
        .collect();
    assert_eq!(halves, [(0, 2, 2, 1, true), (2, 4, 2, 1, false)]);
    sim.run_to_end();
    let m = &sim.snapshot().mappings[0];
    assert!(m.batches.is_empty());
    assert_eq!(m.destination.as_deref(), Some(DLQ));
    let given: u64 = m.give_ups.iter().map(|g| g.records).sum();
    assert_eq!(given, m.stats.on_failure);
    assert!(m
        .give_ups
        .iter()
        .all(|g| g.to_destination && g.condition == GiveUpCondition::RetryAttemptsExhausted));
}
