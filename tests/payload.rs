//! Lambda's 6 MB synchronous payload limit, measured on the events the simulator sends
//! (issue 15, item 1). AWS stops a batch at 6 MB of invocation payload
//! (../shared/reference/aws-semantics.md §2, BatchSize; §4, "Payload limit: 6 MB
//! request"): the event JSON itself, with each record's base64 data, its stream ARN
//! and the rest, must fit in 6,291,456 bytes.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a test may stop at the first surprise

use kinesis_playground::sim::{
    json_string_bytes, parse_scenario, EventSize, ReportOptions, Simulation, PAYLOAD_BYTES_MAX,
};
use serde_json::Value;

/// A stream name as long as AWS allows (128 characters), so that the ARN in every
/// record weighs as much as it can.
const LONG_NAME: &str =
    "a-stream-whose-name-is-as-long-as-aws-allows-so-that-every-record-carries-the-longest-arn-there-can-be-in-an-event-0123456789abc";

/// A shipped scenario whose mappings all start 5 minutes late at the trim horizon
/// with BatchSize 10,000 and a 10 s batching window: a backlog, so that batches are as large as the payload
/// allows. Returns the invocation log.
fn backlog_run(file: &str) -> Vec<Value> {
    assert_eq!(LONG_NAME.len(), 128);
    let path = format!("{}/static/scenarios/{file}", env!("CARGO_MANIFEST_DIR"));
    let mut s: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("scenario file")).expect("JSON");
    s["stream"]["StreamName"] = Value::from(LONG_NAME);
    s["duration_s"] = Value::from(330);
    // Lessons and challenges are timed for the scenario's own length.
    let o = s.as_object_mut().expect("object");
    o.remove("lesson");
    o.remove("challenge");
    for m in s["event_source_mappings"].as_array_mut().expect("mappings") {
        m["BatchSize"] = Value::from(10_000);
        m["created_at_ms"] = Value::from(300_000);
        m["StartingPosition"] = Value::from("TRIM_HORIZON");
        // Reads bring 2 MiB a second: the window lets a batch gather past one read.
        m["MaximumBatchingWindowInSeconds"] = Value::from(10);
    }
    let scenario = parse_scenario(&s.to_string()).unwrap_or_else(|e| panic!("{file}: {e}"));
    let mut sim = Simulation::with_options(&scenario, true);
    sim.run_to_end();
    sim.check_invariants();
    let r = serde_json::to_value(sim.report(ReportOptions {
        invocations: true,
        per_second: false,
        journal: false,
    }))
    .expect("report");
    r["invocations"].as_array().expect("log").clone()
}

/// The bytes of data a base64 string stands for.
fn decoded_len(b64: &str) -> u64 {
    let pad = b64.bytes().rev().take_while(|&b| b == b'=').count() as u64;
    b64.len() as u64 / 4 * 3 - pad
}

#[test]
fn no_backlog_batch_is_over_6_mb_and_the_estimate_bounds_the_event_tightly() {
    let arn = format!("arn:aws:kinesis:us-east-1:123456789012:stream/{LONG_NAME}");
    let mut reached = 0;
    for file in [
        "scaling-reads.json",
        "poison-pill.json",
        "several-consumers.json",
        "tumbling-windows.json",
    ] {
        let log = backlog_run(file);
        let largest = log
            .iter()
            .map(|i| &i["event"])
            .max_by_key(|e| serde_json::to_string(e).expect("JSON").len())
            .unwrap_or_else(|| panic!("{file}: no invocation"));
        let real = serde_json::to_string(largest).expect("JSON").len() as u64;
        // The mapping that sent it had a tumbling window if the event says so.
        let tumbling = largest.get("window").is_some();
        let sizes = EventSize::new(&arn, tumbling, None);
        let records = largest["Records"].as_array().expect("Records");
        let n = records.len() as u64;
        let mut estimate = sizes.envelope_bytes();
        let mut biggest_record = 0;
        for r in records {
            assert_eq!(r["eventSourceARN"], arn.as_str(), "{file}");
            let k = &r["kinesis"];
            let b = sizes.record_bytes(
                decoded_len(k["data"].as_str().expect("data")),
                json_string_bytes(k["partitionKey"].as_str().expect("key")),
            );
            biggest_record = biggest_record.max(b);
            estimate += b;
        }
        assert!(
            real <= PAYLOAD_BYTES_MAX,
            "{file}: an event of {real} bytes ({n} records) is over AWS's 6,291,456"
        );
        assert_eq!(PAYLOAD_BYTES_MAX, 6_291_456);
        // The estimate counts each timestamp at its longest (up to 2 bytes a record
        // more) and a tumbling window's state at its longest (34 bytes).
        let slack = 2 * n + if tumbling { 34 } else { 0 };
        assert!(
            estimate >= real && estimate - real <= slack,
            "{file}: estimated {estimate} bytes for an event of {real} ({n} records)"
        );
        assert!(
            estimate <= PAYLOAD_BYTES_MAX,
            "{file}: the batch was cut past 6 MB"
        );
        if n < 10_000 && estimate + biggest_record > PAYLOAD_BYTES_MAX {
            // Cut by the payload, not by BatchSize: one more record would not fit.
            reached += 1;
        }
    }
    assert!(
        reached >= 2,
        "the 6 MB limit cut the largest batch of at least two scenarios"
    );
}
