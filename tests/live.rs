//! The running simulation as the page drives it: commands and changed scenarios
//! between events, the journal in words, milestones, and the snapshot it draws.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a test may stop at the first surprise

use kinesis_playground::sim::{
    parse_scenario, Command, EntryKind, Milestone, Reconfigured, Scenario, SimTime, Simulation,
};

fn sim(json: &str) -> Simulation {
    Simulation::new(&parse_scenario(json).unwrap_or_else(|e| panic!("{e}")))
}

const STEADY: &str = r#"{"format":1,"duration_s":7200,"stream":{"ShardCount":2},
  "producer":{"records_per_s":200,"partition_keys":100},
  "functions":[{"FunctionName":"f","duration_ms":50}],
  "event_source_mappings":[{"FunctionName":"f","BatchSize":100}]}"#;

/// The running scenario with `change` made to it, as the page builds it.
fn changed(sim: &Simulation, change: impl FnOnce(&mut Scenario)) -> Scenario {
    let mut next = sim.current_scenario().clone();
    change(&mut next);
    next
}

fn journal_has(sim: &Simulation, kind: EntryKind, needle: &str) -> bool {
    sim.journal()
        .any(|e| e.kind == kind && e.text().contains(needle))
}

#[test]
fn a_bad_value_is_refused_with_the_range_and_nothing_changes() {
    let mut s = sim(STEADY);
    let before = s.current_scenario().clone();
    let zero = changed(&s, |n| n.event_source_mappings[0].batch_size = 0);
    let e = s.reconfigure(&zero).expect_err("refused");
    assert!(
        e.contains("event_source_mappings[0].BatchSize: 0 is out of range: allowed 1 to 10000"),
        "{e}"
    );
    let young = changed(&s, |n| {
        n.event_source_mappings[0].batch_size = 500;
        n.event_source_mappings[0].maximum_record_age_in_seconds = 30;
    });
    let e = s.reconfigure(&young).expect_err("refused");
    assert!(e.contains("allowed -1 (no limit) or 60 to 604800"), "{e}");
    assert_eq!(s.current_scenario(), &before, "nothing of a refused change");
    let bigger = changed(&s, |n| n.event_source_mappings[0].batch_size = 500);
    assert_eq!(s.reconfigure(&bigger), Ok(Reconfigured::Live));
    assert_eq!(
        s.current_scenario().event_source_mappings[0].batch_size,
        500
    );
}

/// What shapes the run from its start is not taken live: the simulation says so and
/// keeps running what it ran.
#[test]
fn a_change_that_shapes_the_run_asks_for_a_rebuild() {
    let mut s = sim(STEADY);
    s.run_until(SimTime::from_s(10), usize::MAX);
    let before = s.current_scenario().clone();
    for next in [
        changed(&s, |n| n.stream.shard_count = 4),
        changed(&s, |n| {
            n.event_source_mappings[0].parallelization_factor = 2;
        }),
        changed(&s, |n| n.seed += 1),
        changed(&s, |n| n.event_source_mappings.clear()),
        changed(&s, |n| {
            n.event_source_mappings[0].batch_size = 10; // live
            n.producer.as_mut().expect("a producer").partition_keys = 7; // not live
        }),
    ] {
        assert_eq!(s.reconfigure(&next), Ok(Reconfigured::NeedsRebuild));
        assert_eq!(s.current_scenario(), &before);
    }
    // A scenario without a producer gets one by a rebuild, not a rate on nothing.
    let mut puts = sim(r#"{"format":1,"duration_s":60}"#);
    let rate = changed(&puts, |n| {
        n.producer
            .get_or_insert_with(Default::default)
            .records_per_s = 10.0;
    });
    assert_eq!(puts.reconfigure(&rate), Ok(Reconfigured::NeedsRebuild));
}

#[test]
fn an_injected_pill_blocks_its_shard_until_the_retry_limit_lets_it_go() {
    let mut s = sim(STEADY);
    s.run_until(SimTime::from_s(60), usize::MAX);
    let age_before = s.snapshot().mappings[0]
        .iterator_age_ms
        .iter()
        .copied()
        .max()
        .unwrap_or(0);
    assert!(
        age_before < 2_000,
        "a healthy consumer is close behind: {age_before} ms"
    );
    s.apply(&Command::InjectPoison {
        partition_key: "pill".into(),
    })
    .expect("allowed");
    s.run_until(SimTime::from_s(600), usize::MAX);
    s.check_invariants();
    let snap = s.snapshot();
    let pill_shard = snap.mappings[0]
        .blocked
        .iter()
        .position(|&b| b)
        .expect("a shard is blocked");
    let marks = &snap.shards[pill_shard].marks;
    assert!(
        marks.iter().any(|m| m.poison && m.partition_key == "pill"),
        "the pill is drawn one by one: {marks:?}"
    );
    let pill = marks
        .iter()
        .find(|m| m.poison)
        .map(|m| m.index)
        .unwrap_or(0);
    assert!(
        snap.mappings[0].positions[pill_shard] <= pill,
        "the iterator stands at or before the pill"
    );
    assert_eq!(
        snap.mappings[0].blocked.iter().filter(|&&b| b).count(),
        1,
        "only the pill's shard"
    );
    assert!(
        snap.mappings[0].iterator_age_ms[pill_shard] > 500_000,
        "its iterator age climbs: {:?}",
        snap.mappings[0].iterator_age_ms
    );
    assert!(s.milestones().contains_key(&Milestone::FirstBlockedShard));
    assert!(journal_has(
        &s,
        EntryKind::BatchFailed,
        "MaximumRetryAttempts is -1: retry until the records expire"
    ));

    // The fix, applied while it runs: give up after 2 retries, keep the batch in a queue.
    let fixed = changed(&s, |n| {
        let m = &mut n.event_source_mappings[0];
        m.maximum_retry_attempts = 2;
        m.destination_config.on_failure.destination =
            Some("arn:aws:sqs:us-east-1:123456789012:dlq".into());
    });
    assert_eq!(s.reconfigure(&fixed), Ok(Reconfigured::Live));
    s.run_until(SimTime::from_s(1_200), usize::MAX);
    s.check_invariants();
    let snap = s.snapshot();
    assert!(
        !snap.mappings[0].blocked[pill_shard],
        "the shard moves again"
    );
    assert!(
        snap.mappings[0].iterator_age_ms[pill_shard] < 2_000,
        "and catches up: {:?}",
        snap.mappings[0].iterator_age_ms
    );
    assert!(snap.mappings[0].stats.on_failure >= 1);
    assert!(journal_has(
        &s,
        EntryKind::SentToDestination,
        "RetryAttemptsExhausted"
    ));
    assert!(journal_has(
        &s,
        EntryKind::ShardUnblocked,
        &format!("shard {pill_shard} moves again after")
    ));
}

#[test]
fn bisection_is_explained_by_its_setting() {
    let mut s = sim(&STEADY.replace(
        r#""BatchSize":100"#,
        r#""BatchSize":100,"BisectBatchOnFunctionError":true"#,
    ));
    s.run_until(SimTime::from_s(30), usize::MAX);
    s.apply(&Command::InjectPoison {
        partition_key: "pill".into(),
    })
    .expect("allowed");
    s.run_until(SimTime::from_s(60), usize::MAX);
    let split = s
        .journal()
        .find(|e| e.kind == EntryKind::BatchSplit)
        .expect("a split");
    assert!(
        split
            .text()
            .contains("because BisectBatchOnFunctionError is on"),
        "{}",
        split.text()
    );
    assert!(
        split.shard.is_some() && split.mapping == Some(0),
        "the entry says what it speaks of"
    );
}

#[test]
fn write_throttles_and_expiry_name_their_limits() {
    let mut s = sim(
        r#"{"format":1,"duration_s":100000,"stream":{"ShardCount":1},"producer":{"records_per_s":1500},
        "functions":[{"FunctionName":"f","duration_ms":2000,"Timeout":5}],
        "event_source_mappings":[{"FunctionName":"f","BatchSize":100}]}"#,
    );
    s.run_to_end();
    s.check_invariants();
    assert!(journal_has(
        &s,
        EntryKind::WriteThrottled,
        "WriteProvisionedThroughputExceeded"
    ));
    assert!(journal_has(
        &s,
        EntryKind::ProducerLost,
        "retry_failed_records is off"
    ));
    // 1,000 records/s in, 50 records/s out: the consumer, 5% as fast as the trim
    // horizon once that starts moving at 24 h, meets it at about 25.3 h.
    assert!(journal_has(
        &s,
        EntryKind::RecordsExpired,
        "RetentionPeriodHours 24"
    ));
    let m = s.milestones();
    assert_eq!(m.get(&Milestone::FirstWriteThrottle), Some(&SimTime(0)));
    assert!(m
        .get(&Milestone::FirstExpiry)
        .is_some_and(|t| *t >= SimTime::from_s(86_400)));
}

#[test]
fn the_concurrency_story_is_told_and_reserved_concurrency_applies_live() {
    let mut s = sim(r#"{"format":1,"duration_s":60,"stream":{"ShardCount":20},
        "producer":{"records_per_s":8000,"partition_keys":10000},
        "functions":[{"FunctionName":"stream-fn","duration_ms":2000,"Timeout":10}],
        "event_source_mappings":[{"FunctionName":"stream-fn","ParallelizationFactor":10,"BatchSize":10}],
        "account":{"ConcurrentExecutions":200,"other_functions_concurrency":30,"other_functions_from_s":10}}"#);
    s.run_until(SimTime::from_s(20), usize::MAX);
    let c = s.snapshot().concurrency;
    assert_eq!(c.limit, 200);
    assert_eq!(
        c.functions[0].running, 200,
        "20 shards x 10 lanes take the whole account"
    );
    assert_eq!(c.other_running, 0);
    assert!(s
        .milestones()
        .contains_key(&Milestone::FirstOtherFunctionThrottle));
    assert!(journal_has(
        &s,
        EntryKind::OtherFunctionsThrottled,
        "ConcurrentExecutions"
    ));
    let reserved = changed(&s, |n| {
        n.functions[0].reserved_concurrent_executions = Some(100);
    });
    assert_eq!(s.reconfigure(&reserved), Ok(Reconfigured::Live));
    s.run_until(SimTime::from_s(40), usize::MAX);
    s.check_invariants();
    let c = s.snapshot().concurrency;
    assert!(c.functions[0].running <= 100, "{}", c.functions[0].running);
    assert_eq!(
        c.other_running, 30,
        "the other functions get their instances back"
    );
    let more = changed(&s, |n| {
        n.functions[0].reserved_concurrent_executions = Some(150);
    });
    let e = s.reconfigure(&more).expect_err("refused");
    assert!(
        e.contains("ReservedConcurrentExecutions: 150 is out of range: allowed 0 to 100"),
        "{e}"
    );
}
