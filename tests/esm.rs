//! The event source mapping and Lambda, each rule pinned to a small scenario with an
//! exact outcome, from AWS's documentation (`reference/aws-semantics.md`, §2 to §4).
//!
//! The playground's own choices where AWS publishes no number (see `sim::esm`): a
//! failed batch is retried after 1 s, doubling to at most 60 s; a throttled one after
//! 1 s; a read sees a record as soon as it arrives.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a test may stop at the first surprise

use kinesis_playground::sim::{lane_of_key, parse_scenario, ReportOptions, Simulation};
use serde_json::Value;

const DLQ: &str =
    r#""DestinationConfig":{"OnFailure":{"Destination":"arn:aws:sqs:us-east-1:123456789012:dlq"}}"#;

fn run(json: &str) -> Value {
    let scenario = parse_scenario(json).unwrap_or_else(|e| panic!("scenario refused: {e}\n{json}"));
    let mut sim = Simulation::with_options(&scenario, true);
    sim.run_to_end();
    sim.check_invariants();
    serde_json::to_value(sim.report(ReportOptions {
        invocations: true,
        per_second: true,
        journal: true,
    }))
    .expect("report")
}

/// Four records on one shard; `c` is poison. `mapping` and `function` are spliced in.
fn four_records(mapping: &str, function: &str, duration_s: u64) -> String {
    format!(
        r#"{{"format":1,"duration_s":{duration_s},"stream":{{"ShardCount":1}},
        "puts":[{{"at_ms":0,"Records":[{{"PartitionKey":"a","Data":"YQ=="}},{{"PartitionKey":"b","Data":"Yg=="}},
          {{"PartitionKey":"c","Data":"cG9pc29u"}},{{"PartitionKey":"d","Data":"ZA=="}}]}},
          {{"at_ms":5000,"Records":[{{"PartitionKey":"e","Data":"ZQ=="}}]}}],
        "functions":[{{"FunctionName":"f","duration_ms":20,"poison":{{"data_contains":"poison"}}{function}}}],
        "event_source_mappings":[{{"FunctionName":"f"{mapping}}}]}}"#
    )
}

/// Each invocation as (start ms, outcome, partition keys of its records).
fn invocations(r: &Value) -> Vec<(u64, String, Vec<String>)> {
    r["invocations"]
        .as_array()
        .expect("invocations")
        .iter()
        .map(|i| {
            let keys = i["event"]["Records"]
                .as_array()
                .expect("records")
                .iter()
                .map(|x| {
                    x["kinesis"]["partitionKey"]
                        .as_str()
                        .expect("key")
                        .to_string()
                })
                .collect();
            (
                i["start_ms"].as_u64().expect("start"),
                i["outcome"].as_str().expect("outcome").to_string(),
                keys,
            )
        })
        .collect()
}

fn keys(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn total(r: &Value, name: &str) -> u64 {
    r["totals"][name]
        .as_u64()
        .unwrap_or_else(|| panic!("totals.{name}"))
}

#[test]
fn with_defaults_one_poison_record_blocks_its_shard_and_the_batch_is_retried_whole() {
    let r = run(&four_records("", "", 30));
    let inv = invocations(&r);
    let starts: Vec<u64> = inv.iter().map(|i| i.0).collect();
    // Each try takes 20 ms; retries wait 1, 2, 4, 8 s.
    assert_eq!(starts, vec![0, 1_020, 3_040, 7_060, 15_080]);
    for (_, outcome, k) in &inv {
        assert_eq!(outcome, "error");
        assert_eq!(
            k,
            &keys(&["a", "b", "c", "d"]),
            "the same batch every time: `e` waits behind it"
        );
    }
    assert_eq!(total(&r, "records_succeeded"), 0);
    assert_eq!(total(&r, "records_pending"), 5);
    assert_eq!(total(&r, "function_errors"), 5);
    assert!(r["on_failure"].as_array().expect("array").is_empty());
}

#[test]
fn report_batch_item_failures_checkpoints_at_the_lowest_failed_record() {
    let r = run(&four_records(
        r#","FunctionResponseTypes":["ReportBatchItemFailures"]"#,
        r#","on_poison":"report_item_failure""#,
        10,
    ));
    let inv = invocations(&r);
    assert_eq!(inv[0].1, "partial");
    assert_eq!(inv[0].2, keys(&["a", "b", "c", "d"]));
    assert_eq!(
        inv[1].2,
        keys(&["c", "d"]),
        "a and b were checkpointed; c and d are retried"
    );
    assert_eq!(total(&r, "records_succeeded"), 2);
    assert_eq!(
        total(&r, "function_errors"),
        0,
        "a partial response is not a function error"
    );
    let seq_c = r["invocations"][0]["event"]["Records"][2]["kinesis"]["sequenceNumber"].clone();
    assert_eq!(
        r["invocations"][0]["response"]["batchItemFailures"][0]["itemIdentifier"],
        seq_c
    );
}

/// AWS's on-failure message carries `responseContext.functionError` also when the
/// function did not throw, as null (issue 15, item 3; the message format in
/// ../shared/reference/aws-semantics.md §3, "OnFailure content", and the records
/// AWS sent, https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html).
#[test]
fn a_reported_item_failure_given_up_has_a_null_function_error() {
    let r = run(&four_records(
        &format!(
            r#","FunctionResponseTypes":["ReportBatchItemFailures"],"MaximumRetryAttempts":1,{DLQ}"#
        ),
        r#","on_poison":"report_item_failure""#,
        10,
    ));
    let m = &r["on_failure"][0];
    assert_eq!(m["requestContext"]["condition"], "RetryAttemptsExhausted");
    assert_eq!(
        m["responseContext"],
        serde_json::json!({"statusCode":200,"executedVersion":"$LATEST","functionError":null})
    );
}

/// When a partial response moves the checkpoint, the records from the failed item on
/// are a new batch whose attempts are counted afresh: with MaximumRetryAttempts 1 the
/// pill is delivered once in the first batch and 1 + 1 times in the new one, as on
/// AWS (issue 15, item 5; ../shared/reference/aws-semantics.md §3,
/// "ReportBatchItemFailures": Lambda checkpoints at the lowest failed sequence number
/// and retries from there; §2, MaximumRetryAttempts counts function errors of a batch).
#[test]
fn after_a_partial_response_moves_the_checkpoint_the_rest_is_a_new_batch_with_fresh_attempts() {
    let r = run(&four_records(
        &format!(
            r#","FunctionResponseTypes":["ReportBatchItemFailures"],"MaximumRetryAttempts":1,{DLQ}"#
        ),
        r#","on_poison":"report_item_failure""#,
        30,
    ));
    let inv = invocations(&r);
    let with_pill: Vec<&Vec<String>> = inv
        .iter()
        .map(|i| &i.2)
        .filter(|k| k.contains(&"c".to_string()))
        .collect();
    assert_eq!(
        with_pill,
        [
            &keys(&["a", "b", "c", "d"]),
            &keys(&["c", "d"]),
            &keys(&["c", "d"])
        ],
        "once in the first batch, MaximumRetryAttempts + 1 = 2 times after the move"
    );
    // The new batch is tried at once after the move (a next batch is), then retried
    // after the playground's 1 s.
    let starts: Vec<u64> = inv.iter().map(|i| i.0).take(3).collect();
    assert_eq!(starts, [0, 20, 1_040]);
    let m = &r["on_failure"][0];
    assert_eq!(m["requestContext"]["condition"], "RetryAttemptsExhausted");
    assert_eq!(m["KinesisBatchInfo"]["batchSize"], 2, "c and d");
    assert_eq!(
        (
            total(&r, "records_on_failure"),
            total(&r, "records_succeeded")
        ),
        (2, 3),
        "a and b before the pill, e after the give-up"
    );
}

#[test]
fn without_report_batch_item_failures_a_partial_response_counts_as_success() {
    let r = run(&four_records(
        "",
        r#","on_poison":"report_item_failure""#,
        10,
    ));
    assert_eq!(invocations(&r).len(), 2, "one for a to d, one for e");
    assert_eq!(
        total(&r, "records_succeeded"),
        5,
        "the mapping ignored the response: the pill passed as processed"
    );
}

#[test]
fn empty_and_null_partial_responses_are_success_and_unreadable_ones_fail_the_batch() {
    for ok in [
        r#""""#,
        "{}",
        "[]",
        r#"{"batchItemFailures":[]}"#,
        r#"{"batchItemFailures":null}"#,
    ] {
        let r = run(&four_records(
            r#","FunctionResponseTypes":["ReportBatchItemFailures"]"#,
            &format!(r#","response":{ok}"#),
            6,
        ));
        assert_eq!(total(&r, "records_succeeded"), 5, "response {ok}");
    }
    for bad in [
        r#"{"batchItemFailures":[{"itemIdentifier":"123"}]}"#,
        r#"{"batchItemFailures":[{"itemIdentifier":""}]}"#,
        r#"{"foo":1}"#,
    ] {
        let r = run(&four_records(
            r#","FunctionResponseTypes":["ReportBatchItemFailures"]"#,
            &format!(r#","response":{bad}"#),
            6,
        ));
        assert_eq!(total(&r, "records_succeeded"), 0, "response {bad}");
        assert!(
            total(&r, "invocations") >= 2,
            "response {bad}: the batch is retried"
        );
        assert_eq!(
            total(&r, "function_errors"),
            0,
            "response {bad}: the function itself did not fail"
        );
    }
}

#[test]
fn bisect_isolates_the_pill_without_using_up_retries() {
    let r = run(&four_records(
        &format!(r#","BisectBatchOnFunctionError":true,"MaximumRetryAttempts":0,{DLQ}"#),
        "",
        10,
    ));
    let inv = invocations(&r);
    let batches: Vec<(&str, Vec<String>)> =
        inv.iter().map(|i| (i.1.as_str(), i.2.clone())).collect();
    assert_eq!(
        &batches[..5],
        &[
            ("error", keys(&["a", "b", "c", "d"])),
            ("ok", keys(&["a", "b"])),
            ("error", keys(&["c", "d"])),
            ("error", keys(&["c"])),
            ("ok", keys(&["d"])),
        ]
    );
    // With MaximumRetryAttempts 0 the pill alone is given up; the splits were free.
    assert_eq!(total(&r, "records_on_failure"), 1);
    assert_eq!(total(&r, "records_succeeded"), 4, "a, b, d and later e");
    let m = &r["on_failure"][0];
    assert_eq!(m["requestContext"]["condition"], "RetryAttemptsExhausted");
    assert_eq!(m["requestContext"]["approximateInvokeCount"], 3);
    assert_eq!(m["KinesisBatchInfo"]["batchSize"], 1);
    assert_eq!(
        m["KinesisBatchInfo"]["startSequenceNumber"],
        m["KinesisBatchInfo"]["endSequenceNumber"]
    );
    assert_eq!(
        m["KinesisBatchInfo"]["startSequenceNumber"],
        r["invocations"][0]["event"]["Records"][2]["kinesis"]["sequenceNumber"]
    );
}

#[test]
fn maximum_retry_attempts_sends_the_batch_to_the_destination_and_unblocks_the_shard() {
    let r = run(&four_records(
        &format!(r#","MaximumRetryAttempts":2,{DLQ}"#),
        "",
        10,
    ));
    let inv = invocations(&r);
    assert_eq!(
        inv.iter().filter(|i| i.1 == "error").count(),
        3,
        "the first try and two retries"
    );
    assert_eq!(
        inv[3].2,
        keys(&["e"]),
        "after the batch is given up, the shard moves on"
    );
    assert_eq!(inv[3].1, "ok");
    // The two retries, and not the first try nor `e`'s fresh batch, count as Retries.
    let retries: u64 = r["metrics"]["Retries"]
        .as_array()
        .expect("series")
        .iter()
        .filter_map(Value::as_u64)
        .sum();
    assert_eq!(retries, 2);
    let m = &r["on_failure"][0];
    assert_eq!(r["on_failure"].as_array().map(Vec::len), Some(1));
    let order: Vec<&str> = m
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        order,
        [
            "requestContext",
            "responseContext",
            "version",
            "timestamp",
            "KinesisBatchInfo"
        ]
    );
    assert_eq!(m["requestContext"]["condition"], "RetryAttemptsExhausted");
    assert_eq!(m["requestContext"]["approximateInvokeCount"], 3);
    assert_eq!(
        m["requestContext"]["functionArn"],
        "arn:aws:lambda:us-east-1:123456789012:function:f"
    );
    assert_eq!(
        m["responseContext"],
        serde_json::json!({"statusCode":200,"executedVersion":"$LATEST","functionError":"Unhandled"})
    );
    assert_eq!(m["version"], "1.0");
    // Given up when the third try ended: 3,040 + 20 ms.
    assert_eq!(m["timestamp"], "2026-01-01T00:00:03.060Z");
    let info = &m["KinesisBatchInfo"];
    assert_eq!(info["shardId"], "shardId-000000000000");
    assert_eq!(info["batchSize"], 4);
    assert_eq!(
        info["approximateArrivalOfFirstRecord"],
        "2026-01-01T00:00:00.000Z"
    );
    assert_eq!(
        info["streamArn"],
        "arn:aws:kinesis:us-east-1:123456789012:stream/stream"
    );
    assert!(
        m.get("payload").is_none(),
        "SQS and SNS messages carry no records"
    );
    assert_eq!(
        (
            total(&r, "records_on_failure"),
            total(&r, "records_succeeded")
        ),
        (4, 1)
    );
}

#[test]
fn an_s3_destination_also_receives_the_records() {
    let s3 = r#","MaximumRetryAttempts":0,"DestinationConfig":{"OnFailure":{"Destination":"arn:aws:s3:::failed-batches"}}"#;
    let r = run(&four_records(s3, "", 6));
    let records = r["on_failure"][0]["payload"]["Records"]
        .as_array()
        .expect("payload.Records");
    assert_eq!(records.len(), 4);
    assert_eq!(records[2]["kinesis"]["data"], "cG9pc29u");
    assert_eq!(
        records[2]["eventID"]
            .as_str()
            .map(|s| s.starts_with("shardId-000000000000:4959")),
        Some(true)
    );
}

#[test]
fn given_up_records_without_a_destination_are_discarded() {
    let r = run(&four_records(r#","MaximumRetryAttempts":0"#, "", 10));
    assert_eq!(total(&r, "records_discarded"), 4);
    assert_eq!(total(&r, "records_on_failure"), 0);
    assert_eq!(total(&r, "records_succeeded"), 1);
}

#[test]
fn maximum_record_age_sends_only_the_old_records_away_and_invokes_the_rest() {
    // The mapping is created at 90 s: `old` is 90 s old, `young` 40 s.
    let r = run(&format!(
        r#"{{"format":1,"duration_s":100,"stream":{{"ShardCount":1}},
        "puts":[{{"at_ms":0,"Records":[{{"PartitionKey":"old","Data":"MQ=="}}]}},{{"at_ms":50000,"Records":[{{"PartitionKey":"young","Data":"Mg=="}}]}}],
        "functions":[{{"FunctionName":"f","duration_ms":20}}],
        "event_source_mappings":[{{"FunctionName":"f","created_at_ms":90000,"MaximumRecordAgeInSeconds":60,{DLQ}}}]}}"#
    ));
    let inv = invocations(&r);
    assert_eq!(inv.len(), 1);
    assert_eq!(inv[0].2, keys(&["young"]));
    let m = &r["on_failure"][0];
    assert_eq!(m["requestContext"]["condition"], "RecordAgeExceeded");
    assert!(
        m.get("responseContext").is_none(),
        "RecordAgeExceeded has no responseContext"
    );
    assert_eq!(m["KinesisBatchInfo"]["batchSize"], 1);
    assert_eq!(
        (
            total(&r, "records_on_failure"),
            total(&r, "records_succeeded")
        ),
        (1, 1)
    );
}

/// A record that reached MaximumRecordAgeInSeconds before its batch was ever invoked
/// is described with `approximateInvokeCount` 1, not 0: the messages AWS sent in
/// LocalStack's recorded test `test_kinesis_maximum_record_age_exceeded
/// [expire-before-ingestion]` (source LS in ../shared/reference/aws-semantics.md,
/// recorded 2025-04-13) carry 1 with `condition` RecordAgeExceeded (issue 15, item 4).
#[test]
fn a_record_too_old_before_any_invocation_counts_one_invoke() {
    let r = run(&format!(
        r#"{{"format":1,"duration_s":100,"stream":{{"ShardCount":1}},
        "puts":[{{"at_ms":0,"Records":[{{"PartitionKey":"old","Data":"MQ=="}}]}}],
        "functions":[{{"FunctionName":"f","duration_ms":20}}],
        "event_source_mappings":[{{"FunctionName":"f","created_at_ms":90000,"MaximumRecordAgeInSeconds":60,"MaximumRetryAttempts":0,{DLQ}}}]}}"#
    ));
    assert!(invocations(&r).is_empty(), "the record was never invoked");
    let m = &r["on_failure"][0];
    assert_eq!(m["requestContext"]["condition"], "RecordAgeExceeded");
    assert_eq!(m["requestContext"]["approximateInvokeCount"], 1);
}

#[test]
fn a_throttled_batch_is_retried_without_using_up_retries() {
    // One slot in the account, held by another function every second.
    let r = run(&four_records(
        &format!(r#","MaximumRetryAttempts":0,{DLQ}"#),
        "",
        20,
    )
    .replace(r#""event_source_mappings""#, r#""account":{"ConcurrentExecutions":1,"other_functions_concurrency":1},"event_source_mappings""#));
    assert_eq!(total(&r, "invocations"), 0);
    assert!(
        total(&r, "throttles") >= 19,
        "throttled about once a second: {}",
        total(&r, "throttles")
    );
    assert_eq!(
        total(&r, "records_on_failure"),
        0,
        "throttles do not count as retries"
    );
    assert_eq!(total(&r, "records_pending"), 5);
}

/// Two keys that fall in different lanes with ParallelizationFactor 2.
fn keys_in_two_lanes() -> (String, String) {
    let first = "k0".to_string();
    let lane = lane_of_key(&first, 2);
    let other = (1..)
        .map(|i| format!("k{i}"))
        .find(|k| lane_of_key(k, 2) != lane)
        .expect("some key");
    (first, other)
}

#[test]
fn with_parallelization_a_pill_blocks_only_its_own_keys() {
    let (pill_key, other_key) = keys_in_two_lanes();
    let scenario = |pf: u32| {
        format!(
            r#"{{"format":1,"duration_s":10,"stream":{{"ShardCount":1}},
            "puts":[{{"at_ms":0,"Records":[{{"PartitionKey":"{pill_key}","Data":"cG9pc29u"}},
              {{"PartitionKey":"{other_key}","Data":"MQ=="}},{{"PartitionKey":"{other_key}","Data":"Mg=="}},{{"PartitionKey":"{pill_key}","Data":"Mw=="}}]}}],
            "functions":[{{"FunctionName":"f","duration_ms":20,"poison":{{"data_contains":"poison"}}}}],
            "event_source_mappings":[{{"FunctionName":"f","ParallelizationFactor":{pf}}}]}}"#
        )
    };
    let one = run(&scenario(1));
    assert_eq!(
        total(&one, "records_succeeded"),
        0,
        "with the default, the whole shard waits"
    );
    let two = run(&scenario(2));
    assert_eq!(
        total(&two, "records_succeeded"),
        2,
        "the other key's lane goes on"
    );
    let ok: Vec<Vec<String>> = invocations(&two)
        .into_iter()
        .filter(|i| i.1 == "ok")
        .map(|i| i.2)
        .collect();
    assert_eq!(ok, vec![vec![other_key.clone(), other_key.clone()]]);
    let data: Vec<&str> = two["invocations"]
        .as_array()
        .expect("log")
        .iter()
        .filter(|i| i["outcome"] == "ok")
        .flat_map(|i| {
            i["event"]["Records"]
                .as_array()
                .expect("r")
                .iter()
                .map(|x| x["kinesis"]["data"].as_str().expect("d"))
        })
        .collect();
    assert_eq!(data, vec!["MQ==", "Mg=="], "order is kept within the key");
    assert!(total(&two, "max_concurrent_executions") <= 2);
}

#[test]
fn latest_starts_at_the_tip_and_trim_horizon_at_the_oldest_record() {
    let scenario = |position: &str| {
        format!(
            r#"{{"format":1,"duration_s":10,"stream":{{"ShardCount":1}},
            "puts":[{{"at_ms":0,"Records":[{{"PartitionKey":"a","Data":"MQ=="}},{{"PartitionKey":"b","Data":"Mg=="}},{{"PartitionKey":"c","Data":"Mw=="}}]}},
              {{"at_ms":6000,"Records":[{{"PartitionKey":"d","Data":"NA=="}}]}}],
            "functions":[{{"FunctionName":"f","duration_ms":20}}],
            "event_source_mappings":[{{"FunctionName":"f","created_at_ms":5000,"StartingPosition":"{position}"}}]}}"#
        )
    };
    let latest = run(&scenario("LATEST"));
    assert_eq!(
        (
            total(&latest, "records_skipped"),
            total(&latest, "records_succeeded")
        ),
        (3, 1)
    );
    let horizon = run(&scenario("TRIM_HORIZON"));
    assert_eq!(
        (
            total(&horizon, "records_skipped"),
            total(&horizon, "records_succeeded")
        ),
        (0, 4)
    );
    assert_eq!(
        invocations(&horizon)[0].0,
        5_000,
        "created after the records were written, it reads them at once"
    );
}

#[test]
fn batch_size_cuts_batches() {
    let records: Vec<String> = (0..250)
        .map(|i| format!(r#"{{"PartitionKey":"k{i}","Data":"eA=="}}"#))
        .collect();
    let r = run(&format!(
        r#"{{"format":1,"duration_s":10,"stream":{{"ShardCount":1}},"puts":[{{"at_ms":0,"Records":[{}]}}],
        "functions":[{{"FunctionName":"f","duration_ms":20}}],"event_source_mappings":[{{"FunctionName":"f","BatchSize":100}}]}}"#,
        records.join(",")
    ));
    let sizes: Vec<usize> = invocations(&r).iter().map(|i| i.2.len()).collect();
    assert_eq!(sizes, vec![100, 100, 50]);
    let starts: Vec<u64> = invocations(&r).iter().map(|i| i.0).collect();
    assert_eq!(starts, vec![0, 20, 40], "back to back while records wait");
}

#[test]
fn the_6_mb_payload_limit_cuts_a_batch_of_large_records() {
    // 1,000,000-byte records: base64 makes each about 1.33 MB in the event, so four
    // fit in 6 MB and a fifth does not. The 2 MiB/s read limit brings two a second;
    // the batching window lets them gather.
    let r = run(r#"{"format":1,"duration_s":40,"stream":{"ShardCount":1},
        "producer":{"records_per_s":1,"record_bytes":1000000},
        "functions":[{"FunctionName":"f","duration_ms":20}],
        "event_source_mappings":[{"FunctionName":"f","created_at_ms":20000,"BatchSize":100,"MaximumBatchingWindowInSeconds":10}]}"#);
    let sizes: Vec<usize> = invocations(&r).iter().map(|i| i.2.len()).collect();
    assert!(sizes.iter().all(|&n| n <= 4), "{sizes:?}");
    assert_eq!(sizes.iter().max(), Some(&4), "{sizes:?}");
}

#[test]
fn a_batching_window_gathers_records_until_it_closes() {
    let r = run(
        r#"{"format":1,"duration_s":60,"stream":{"ShardCount":1},"producer":{"records_per_s":10,"partition_keys":10},
        "functions":[{"FunctionName":"f","duration_ms":20}],
        "event_source_mappings":[{"FunctionName":"f","BatchSize":1000,"MaximumBatchingWindowInSeconds":5}]}"#,
    );
    let inv = invocations(&r);
    assert!(
        (10..=13).contains(&inv.len()),
        "{} invocations in a minute with a 5 s window",
        inv.len()
    );
    let middle: Vec<usize> = inv[1..inv.len() - 1].iter().map(|i| i.2.len()).collect();
    assert!(
        middle.iter().all(|&n| (45..=55).contains(&n)),
        "about 5 s of 10 records/s each: {middle:?}"
    );
}

#[test]
fn several_standard_consumers_share_five_reads_a_second_and_enhanced_fan_out_does_not() {
    let scenario = |mappings: usize, efo: bool| {
        let functions: Vec<String> = (0..mappings)
            .map(|i| format!(r#"{{"FunctionName":"f{i}","duration_ms":20}}"#))
            .collect();
        let esms: Vec<String> = (0..mappings)
            .map(|i| format!(r#"{{"FunctionName":"f{i}","enhanced_fan_out":{efo}}}"#))
            .collect();
        format!(
            r#"{{"format":1,"duration_s":60,"stream":{{"ShardCount":1}},"producer":{{"records_per_s":100}},
            "functions":[{}],"event_source_mappings":[{}]}}"#,
            functions.join(","),
            esms.join(",")
        )
    };
    let read_throttles = |r: &Value| {
        r["metrics"]["ReadProvisionedThroughputExceeded"]
            .as_array()
            .expect("series")
            .iter()
            .map(|v| v.as_u64().expect("n"))
            .sum::<u64>()
    };
    assert_eq!(read_throttles(&run(&scenario(1, false))), 0);
    assert_eq!(
        read_throttles(&run(&scenario(5, false))),
        0,
        "five consumers polling once a second fit"
    );
    let seven = run(&scenario(7, false));
    assert!(
        read_throttles(&seven) > 0,
        "seven consumers on one shard exceed 5 GetRecords/s"
    );
    assert_eq!(
        read_throttles(&run(&scenario(7, true))),
        0,
        "enhanced fan-out has its own throughput"
    );
}

/// Per second, the GetRecords calls the shard refused (ReadProvisionedThroughputExceeded).
fn read_refusals(r: &Value) -> Vec<u64> {
    r["metrics_per_second"]["ReadProvisionedThroughputExceeded"]
        .as_array()
        .expect("series")
        .iter()
        .map(|v| v.as_u64().expect("n"))
        .collect()
}

/// How many records the invocations that started in `[from_ms, to_ms)` carried.
fn records_invoked_between(r: &Value, from_ms: u64, to_ms: u64) -> usize {
    invocations(r)
        .iter()
        .filter(|i| (from_ms..to_ms).contains(&i.0))
        .map(|i| i.2.len())
        .sum()
}

/// Kinesis API, GetRecords (aws-semantics.md section 1): one call returns up to 10 MiB,
/// and "if a call returns 10 MiB of data, subsequent calls made within the next 5
/// seconds throw ProvisionedThroughputExceededException". A backlog of twenty records
/// of 1 MiB, partition key included: the first call brings ten (10 MiB), Lambda's 6 MB
/// payload cuts them into batches of four, and the eleventh record waits 5 s for the
/// next call.
#[test]
fn after_a_backlog_one_call_reads_10_mib_and_the_shard_refuses_reads_for_5_seconds() {
    let r = run(r#"{"format":1,"duration_s":32,"stream":{"ShardCount":1},
        "producer":{"records_per_s":1,"record_bytes":1048568,"partition_keys":1},
        "functions":[{"FunctionName":"f","duration_ms":20}],
        "event_source_mappings":[{"FunctionName":"f","created_at_ms":20000,"StartingPosition":"TRIM_HORIZON"}]}"#);
    let batches: Vec<usize> = invocations(&r)
        .iter()
        .filter(|i| i.0 < 25_000)
        .map(|i| i.2.len())
        .collect();
    assert_eq!(
        batches,
        [4, 4, 2],
        "one call's ten records, by the 6 MB payload"
    );
    let refused = read_refusals(&r);
    assert!(
        refused[20..25].iter().all(|&n| n > 0),
        "seconds 20 to 24 refuse reads: {refused:?}"
    );
    assert_eq!(
        records_invoked_between(&r, 25_000, 25_100),
        10,
        "the next call, at 25 s, brings ten more"
    );
}

/// GetRecords returns at most 10,000 records a call (Kinesis API). Records of about
/// 1 KB: 10,000 of them are about 9.6 MiB, under the call's 10 MiB, so the record
/// limit binds; the shard then refuses reads until the 2 MiB a second have paid for
/// them (4 s).
#[test]
fn a_backlog_of_small_records_is_read_10000_records_a_call() {
    let r = run(r#"{"format":1,"duration_s":36,"stream":{"ShardCount":1},
        "producer":{"records_per_s":1000,"record_bytes":1000,"partition_keys":1},
        "functions":[{"FunctionName":"f","duration_ms":20}],
        "event_source_mappings":[{"FunctionName":"f","created_at_ms":30000,"BatchSize":10000,"StartingPosition":"TRIM_HORIZON"}]}"#);
    assert_eq!(records_invoked_between(&r, 30_000, 34_000), 10_000);
    let refused = read_refusals(&r);
    assert!(
        refused[30..34].iter().all(|&n| n > 0),
        "seconds 30 to 33 refuse reads: {refused:?}"
    );
    assert!(
        records_invoked_between(&r, 34_000, 34_100) > 0,
        "read again at 34 s"
    );
}

/// 100 shards, ParallelizationFactor 10, long invocations: every lane busy. Another
/// function needs 50 instances from 10 s on.
fn concurrency_story(reserved: &str) -> String {
    format!(
        r#"{{"format":1,"duration_s":30,"stream":{{"ShardCount":100}},
        "producer":{{"records_per_s":40000,"record_bytes":100,"partition_keys":100000}},
        "functions":[{{"FunctionName":"f","duration_ms":2000,"Timeout":10{reserved}}}],
        "event_source_mappings":[{{"FunctionName":"f","ParallelizationFactor":10,"BatchSize":10}}],
        "account":{{"ConcurrentExecutions":1000,"other_functions_concurrency":50,"other_functions_from_s":10}}}}"#
    )
}

#[test]
fn a_hundred_shards_at_parallelization_ten_take_the_whole_account_and_starve_another_function() {
    let r = run(&concurrency_story(""));
    assert_eq!(total(&r, "max_concurrent_executions"), 1_000);
    assert!(
        r["account"]["other_functions_throttles"].as_u64() > Some(0),
        "{}",
        r["account"]
    );
    let fixed = run(&concurrency_story(r#","ReservedConcurrentExecutions":900"#));
    assert_eq!(
        total(&fixed, "max_concurrent_executions"),
        900,
        "reserved concurrency caps the stream's function"
    );
    assert_eq!(
        fixed["account"]["other_functions_throttles"], 0,
        "and leaves room for the others"
    );
}

#[test]
fn a_function_timeout_fails_the_batch() {
    let r = run(&four_records(
        r#","MaximumRetryAttempts":0"#,
        r#","on_poison":"timeout","Timeout":2"#,
        10,
    ));
    let first = &r["invocations"][0];
    assert_eq!(first["outcome"], "timeout");
    assert_eq!(first["end_ms"].as_u64(), Some(2_000));
    assert_eq!(total(&r, "function_errors"), 1);
}

/// A shipped scenario with changes to its first mapping (and function), run without
/// the invocation log.
fn story(file: &str, mapping: &Value, function: &Value) -> Value {
    let path = format!("{}/static/scenarios/{file}", env!("CARGO_MANIFEST_DIR"));
    let mut s: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("scenario file")).expect("JSON");
    for (k, v) in mapping.as_object().expect("object") {
        s["event_source_mappings"][0][k] = v.clone();
    }
    for (k, v) in function.as_object().expect("object") {
        s["functions"][0][k] = v.clone();
    }
    let scenario = parse_scenario(&s.to_string()).unwrap_or_else(|e| panic!("{e}"));
    let mut sim = Simulation::new(&scenario);
    sim.run_to_end();
    sim.check_invariants();
    serde_json::to_value(sim.report(ReportOptions::default())).expect("report")
}

fn dlq() -> Value {
    serde_json::json!({"OnFailure": {"Destination": "arn:aws:sqs:us-east-1:123456789012:dlq"}})
}

#[test]
fn the_poison_pill_story_blocks_for_a_day_then_the_sink_overflows() {
    let r = story(
        "overflowing-sink.json",
        &serde_json::json!({}),
        &serde_json::json!({}),
    );
    // Blocked until retention removed the pill: a day behind.
    assert!(
        total(&r, "max_iterator_age_ms") >= 86_000_000,
        "{}",
        total(&r, "max_iterator_age_ms")
    );
    let age = r["metrics"]["IteratorAge"].as_array().expect("series");
    let hour = |h: usize| age[h * 60].as_u64().expect("n");
    assert!(
        hour(2) < hour(12) && hour(12) < hour(23),
        "IteratorAge climbs while blocked"
    );
    // Retried about once a minute, not thousands of times: 1,440 minutes in a day.
    assert!(
        (1_400..=1_500).contains(&total(&r, "function_errors")),
        "{}",
        total(&r, "function_errors")
    );
    // The peak's records reach the trim horizon faster than the consumer takes
    // them: the sink overflows.
    let expired = total(&r, "records_expired");
    assert!(expired > 100_000, "only {expired} records expired");
    let expired_per_minute = r["metrics"]["RecordsExpired"].as_array().expect("series");
    let late = expired_per_minute[27 * 60..]
        .iter()
        .map(|v| v.as_u64().expect("n"))
        .sum::<u64>();
    assert!(
        late > 100_000,
        "the losses come when the peak reaches the horizon, 27 h in: {late}"
    );
    // Accounting closes (check_invariants in `story`), and is reported as such.
    let accounted = total(&r, "records_succeeded")
        + total(&r, "records_on_failure")
        + expired
        + total(&r, "records_pending")
        + total(&r, "records_discarded");
    assert_eq!(accounted, total(&r, "records_written"));
}

#[test]
fn each_fix_stops_the_loss_and_reprocesses_a_different_amount() {
    let none = serde_json::json!({});
    let retries = story(
        "overflowing-sink.json",
        &serde_json::json!({"MaximumRetryAttempts": 2, "DestinationConfig": dlq()}),
        &none,
    );
    let bisect = story(
        "overflowing-sink.json",
        &serde_json::json!({"MaximumRetryAttempts": 2, "BisectBatchOnFunctionError": true, "DestinationConfig": dlq()}),
        &none,
    );
    let partial = story(
        "overflowing-sink.json",
        &serde_json::json!({"MaximumRetryAttempts": 2, "FunctionResponseTypes": ["ReportBatchItemFailures"], "DestinationConfig": dlq()}),
        &serde_json::json!({"on_poison": "report_item_failure"}),
    );
    for (name, r) in [
        ("retries", &retries),
        ("bisect", &bisect),
        ("partial", &partial),
    ] {
        assert_eq!(total(r, "records_expired"), 0, "{name}: nothing expires");
        assert!(
            total(r, "max_iterator_age_ms") < 4 * 3_600_000,
            "{name}: the shard never falls a day behind"
        );
    }
    // The whole batch goes to the destination, good records with the pill...
    let whole = total(&retries, "records_on_failure");
    assert!(whole > 10, "{whole}");
    assert_eq!(
        retries["on_failure"][0]["KinesisBatchInfo"]["batchSize"].as_u64(),
        Some(whole)
    );
    // ...bisection isolates the pill...
    assert_eq!(total(&bisect, "records_on_failure"), 1);
    // ...and partial batch responses retry from the pill on, reprocessing least.
    assert!(total(&partial, "records_on_failure") < whole);
    let redelivered = |r: &Value| total(r, "records_redelivered");
    assert!(
        redelivered(&partial) < redelivered(&retries),
        "{} vs {}",
        redelivered(&partial),
        redelivered(&retries)
    );
    assert!(
        redelivered(&partial) < redelivered(&bisect),
        "{} vs {}",
        redelivered(&partial),
        redelivered(&bisect)
    );
}

fn tumbling(window_s: u32, function: &str) -> String {
    format!(
        r#"{{"format":1,"duration_s":200,"stream":{{"ShardCount":1}},"producer":{{"records_per_s":20,"partition_keys":10}},
        "functions":[{{"FunctionName":"agg","duration_ms":50{function}}}],
        "event_source_mappings":[{{"FunctionName":"agg","BatchSize":100,"TumblingWindowInSeconds":{window_s}}}]}}"#
    )
}

#[test]
fn a_tumbling_window_passes_state_and_writes_once_per_window() {
    let r = run(&tumbling(60, ""));
    let m = &r["event_source_mappings"][0];
    // Windows [0, 60), [60, 120) and [120, 180) s closed; [180, 240) is still open.
    assert_eq!(m["windows_closed"], 3);
    assert_eq!(m["downstream_writes"], 3, "one write per window");
    let plain = run(&tumbling(0, ""));
    assert_eq!(
        plain["event_source_mappings"][0]["downstream_writes"],
        plain["event_source_mappings"][0]["records_succeeded"],
        "one write per record"
    );
    assert!(plain["event_source_mappings"][0]["downstream_writes"].as_u64() > Some(3_900));

    let log = r["invocations"].as_array().expect("log");
    let mut previous_state: Option<Value> = None;
    for i in log {
        let e = &i["event"];
        let start = e["window"]["start"]
            .as_str()
            .expect("window.start")
            .to_string();
        let end = e["window"]["end"].as_str().expect("window.end").to_string();
        assert_eq!(e["shardId"], "shardId-000000000000");
        assert_eq!(e["isWindowTerminatedEarly"], false);
        match &previous_state {
            // The state returned by the last invocation of this window comes back.
            Some(state) => assert_eq!(&e["state"], state, "at {}", i["start_ms"]),
            None => assert_eq!(
                e["state"],
                serde_json::json!({}),
                "a window starts with empty state"
            ),
        }
        for rec in e["Records"].as_array().expect("records") {
            let at = rec["kinesis"]["approximateArrivalTimestamp"]
                .as_f64()
                .expect("ts");
            let (s, t) = (iso_to_unix(&start), iso_to_unix(&end));
            assert!(s <= at && at < t, "a record at {at} in window [{s}, {t})");
        }
        if e["isFinalInvokeForWindow"] == true {
            assert!(
                e["Records"].as_array().expect("records").is_empty(),
                "the final invocation carries no records"
            );
            previous_state = None;
        } else {
            previous_state = Some(i["response"]["state"].clone());
        }
    }
    let w = &r["tumbling_windows"][0];
    assert_eq!(w["records"], 1_200, "20 records/s for 60 s");
    assert_eq!(w["state"]["records"], 1_200);
}

/// Seconds since the Unix epoch of `2026-01-01T00:MM:SS.000Z`-style times used here.
fn iso_to_unix(iso: &str) -> f64 {
    let minutes: f64 = iso[14..16].parse().expect("minutes");
    let seconds: f64 = iso[17..23].parse().expect("seconds");
    1_767_225_600.0 + minutes * 60.0 + seconds
}

/// Amounts 1, 2, 3 at 0 s and 4 at 10 s in the window [0, 60) s, 10 at 70 s in the
/// next; a function `function` aggregates them in 60 s tumbling windows.
fn amounts(function: &str) -> String {
    format!(
        r#"{{"format":1,"duration_s":150,"stream":{{"ShardCount":1}},
        "puts":[{{"at_ms":0,"Records":[{{"PartitionKey":"a","Data":"eyJhbW91bnQiOjF9"}},{{"PartitionKey":"a","Data":"eyJhbW91bnQiOjJ9"}},{{"PartitionKey":"a","Data":"eyJhbW91bnQiOjN9"}}]}},
          {{"at_ms":10000,"Records":[{{"PartitionKey":"a","Data":"eyJhbW91bnQiOjR9"}}]}},
          {{"at_ms":70000,"Records":[{{"PartitionKey":"a","Data":"eyJhbW91bnQiOjEwfQ=="}}]}}],
        "functions":[{{"FunctionName":"agg","duration_ms":50{function}}}],
        "event_source_mappings":[{{"FunctionName":"agg","BatchSize":100,"TumblingWindowInSeconds":60}}]}}"#
    )
}

/// Each invocation's (state handed in, state returned, final).
fn window_states(r: &Value) -> Vec<(Value, Value, bool)> {
    r["invocations"]
        .as_array()
        .expect("log")
        .iter()
        .map(|i| {
            (
                i["event"]["state"].clone(),
                i["response"]["state"].clone(),
                i["event"]["isFinalInvokeForWindow"] == true,
            )
        })
        .collect()
}

/// The state handed to the next invocation of a window is what the function returned,
/// and a new window starts with empty state (issue 15, item 2;
/// ../shared/reference/aws-semantics.md §3, "Tumbling windows": the response must
/// carry `state`, passed on to the window's next invocation).
#[test]
fn a_tumbling_window_hands_on_the_state_the_function_returned() {
    use serde_json::json;
    let r = run(&amounts(r#","tumbling_state":{"sum_of":"amount"}"#));
    assert_eq!(
        window_states(&r),
        [
            (json!({}), json!({"sum": 6}), false),
            (json!({"sum": 6}), json!({"sum": 10}), false),
            (json!({"sum": 10}), json!({"sum": 10}), true),
            (json!({}), json!({"sum": 10}), false),
            (json!({"sum": 10}), json!({"sum": 10}), true),
        ],
        "a running total of the amounts; the window of 70 s starts afresh"
    );
    assert_eq!(r["tumbling_windows"][0]["state"], json!({"sum": 10}));
    assert_eq!(r["tumbling_windows"][0]["records"], 4);

    // A function that returns a fixed state: that, not a count, is handed on.
    let r = run(&amounts(r#","response":{"state":{"fixed":true}}"#));
    let states = window_states(&r);
    assert_eq!(states[0].0, json!({}), "a window starts with empty state");
    assert_eq!(states[1].0, json!({"fixed": true}));
    assert_eq!(r["tumbling_windows"][0]["state"], json!({"fixed": true}));

    // By default the function returns the running count of the window's records.
    let r = run(&amounts(""));
    assert_eq!(
        window_states(&r)[1],
        (json!({"records": 3}), json!({"records": 4}), false)
    );
}

#[test]
fn the_snapshot_shows_each_open_window_and_its_state() {
    let json = amounts(r#","tumbling_state":{"sum_of":"amount"}"#);
    let scenario = parse_scenario(&json).expect("valid");
    let mut sim = Simulation::new(&scenario);
    sim.run_until(kinesis_playground::sim::SimTime::from_s(30), usize::MAX);
    let open = &sim.snapshot().tumbling_windows[0];
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].records, 4);
    assert_eq!(open[0].state, serde_json::json!({"sum": 10}));
    sim.run_until(kinesis_playground::sim::SimTime::from_s(65), usize::MAX);
    assert!(
        sim.snapshot().tumbling_windows[0].is_empty(),
        "the window closed at 60 s and no record of the next has been processed"
    );
}

#[test]
fn a_tumbling_state_sum_of_no_field_is_refused() {
    let e = parse_scenario(&amounts(r#","tumbling_state":{"sum_of":""}"#))
        .expect_err("refused")
        .to_string();
    assert!(
        e.contains("functions[0].tumbling_state.sum_of") && e.contains("allowed 1 to 256"),
        "{e}"
    );
}

#[test]
fn a_tumbling_window_response_without_state_fails_the_batch() {
    let r = run(&tumbling(60, r#","response":{"ok":true}"#));
    assert_eq!(r["event_source_mappings"][0]["records_succeeded"], 0);
    assert_eq!(r["invocations"][0]["outcome"], "error");
}

#[test]
fn a_tumbling_window_with_parallelization_is_refused_with_the_reason() {
    let json = tumbling(60, "").replace(
        r#""TumblingWindowInSeconds":60"#,
        r#""TumblingWindowInSeconds":60,"ParallelizationFactor":2"#,
    );
    let e = parse_scenario(&json).expect_err("refused").to_string();
    assert!(e.contains("event_source_mappings[0].TumblingWindowInSeconds: 60 with ParallelizationFactor 2 is not modelled"), "{e}");
}

#[test]
fn a_function_that_handles_the_pill_itself_moves_on() {
    let r = run(&four_records("", r#","on_poison":"skip""#, 10));
    assert_eq!(total(&r, "records_succeeded"), 5);
    assert_eq!(total(&r, "function_errors"), 0);
    assert_eq!(
        invocations(&r).len(),
        2,
        "one batch for a to d, one for e: no retries"
    );
}
