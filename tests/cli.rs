//! The command-line runner as a user meets it: the shipped scenarios run, and bad
//! input is refused with a message naming the field, the value and what is allowed.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a test may stop at the first surprise

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn runner(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kinesis-playground"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the runner starts");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write stdin");
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("the runner ends")
}

fn refused(args: &[&str], stdin: Option<&str>) -> String {
    let out = runner(args, stdin);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        out.status.code(),
        Some(2),
        "expected exit 2 for {args:?}; stderr: {err}"
    );
    assert!(out.stdout.is_empty(), "a refused run printed a report");
    assert!(!err.contains("panicked"), "the runner panicked: {err}");
    err
}

#[test]
fn every_shipped_scenario_runs_and_reports() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/static/scenarios");
    let mut ran = 0;
    for entry in std::fs::read_dir(dir).expect("static/scenarios exists") {
        let path = entry.expect("entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        // A minute of each is enough to prove it runs; the full runs are in esm.rs.
        let out = runner(
            &[
                "run",
                path.to_str().expect("utf-8 path"),
                "--duration",
                "60",
                "--journal",
            ],
            None,
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{}: {err}", path.display());
        let report: serde_json::Value =
            serde_json::from_slice(&out.stdout).expect("the report is JSON");
        assert_eq!(report["format"], 1);
        for key in [
            "records_put",
            "records_written",
            "put_throttled",
            "records_succeeded",
            "records_pending",
        ] {
            assert!(
                report["totals"][key].is_u64(),
                "{}: totals.{key} missing",
                path.display()
            );
        }
        assert_eq!(report["metrics"]["period_s"], 60);
        assert_eq!(report["duration_s"], 60);
        assert!(report["journal"].is_array());
        ran += 1;
    }
    assert!(ran >= 5, "only {ran} scenarios shipped");
}

#[test]
fn a_scenario_can_come_from_standard_input_with_another_seed() {
    let scenario = r#"{"format":1,"seed":1,"duration_s":5,"stream":{"ShardCount":1},"producer":{"records_per_s":10}}"#;
    let out = runner(
        &["run", "-", "--seed", "42", "--per-second"],
        Some(scenario),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(report["seed"], 42);
    assert_eq!(report["totals"]["records_put"], 50);
    assert_eq!(
        report["metrics_per_second"]["IncomingRecords"]
            .as_array()
            .map(Vec::len),
        Some(5)
    );
}

#[test]
fn out_of_range_values_are_refused_naming_field_value_and_range() {
    let err = refused(
        &["run", "-"],
        Some(r#"{"format":1,"stream":{"ShardCount":0,"RetentionPeriodHours":9000}}"#),
    );
    assert!(
        err.contains("stream.ShardCount: 0 is out of range: allowed 1 to 10000"),
        "{err}"
    );
    assert!(
        err.contains("stream.RetentionPeriodHours: 9000 is out of range: allowed 24 to 8760"),
        "{err}"
    );
    let err = refused(
        &["run", "-"],
        Some(r#"{"format":1,"producer":{"put_batch_records":501}}"#),
    );
    assert!(
        err.contains("producer.put_batch_records: 501 is out of range: allowed 1 to 500"),
        "{err}"
    );
}

/// A challenge may offer only settings the page shows; the runner checks the names
/// against the page's settings table, as the page does.
#[test]
fn a_challenge_naming_no_setting_of_the_page_is_refused() {
    let json = r#"{"format":1,"challenge":{"goal":"Keep up","goals":{"no_data_lost":true},"knobs":["BatchSize","BatchSise"],"seed":1}}"#;
    let err = refused(&["run", "-"], Some(json));
    assert!(
        err.contains(
            "challenge.knobs[1]: \"BatchSise\" is not a setting of the page: allowed one of ["
        ) && err.contains("\"BatchSize\""),
        "{err}"
    );
}

#[test]
fn malformed_input_is_refused_not_panicked_on() {
    for bad in [
        "",
        "{",
        "[]",
        "null",
        r#"{"format":"1"}"#,
        r#"{"format":1,"seed":-3}"#,
        r#"{"format":1,"seed":1e40}"#,
        "\u{0}",
    ] {
        let err = refused(&["run", "-"], Some(bad));
        assert!(err.contains("is not a valid scenario"), "{bad:?}: {err}");
    }
    let err = refused(&["run", "/nonexistent/scenario.json"], None);
    assert!(
        err.contains("cannot read /nonexistent/scenario.json"),
        "{err}"
    );
    let err = refused(&["run"], None);
    assert!(
        err.contains("no scenario file given") && err.contains("usage:"),
        "{err}"
    );
    let err = refused(&["run", "-", "--duration", "0"], Some(r#"{"format":1}"#));
    assert!(
        err.contains("--duration 0 is out of range: allowed 1 to 31622400 seconds"),
        "{err}"
    );
    let err = refused(&["fly", "x.json"], None);
    assert!(err.contains("unknown command \"fly\""), "{err}");
}

/// The runner carries the stream's capacity mode, its MaxRecordSizeInKiB and an
/// AT_TIMESTAMP starting position through to the report (issue 15), and refuses what
/// AWS refuses with the field, the value and the range.
#[test]
fn the_runner_carries_on_demand_max_record_size_and_at_timestamp() {
    let scenario = r#"{"format":1,"duration_s":30,
      "stream":{"StreamModeDetails":{"StreamMode":"ON_DEMAND"},"ShardCount":4,"MaxRecordSizeInKiB":2048},
      "producer":{"records_per_s":5000,"record_bytes":100},
      "functions":[{"FunctionName":"f"}],
      "event_source_mappings":[{"FunctionName":"f","created_at_ms":10000,
        "StartingPosition":"AT_TIMESTAMP","StartingPositionTimestamp":1767225605}]}"#;
    let out = runner(&["run", "-"], Some(scenario));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).expect("a JSON report");
    assert_eq!(r["stream"]["StreamModeDetails"]["StreamMode"], "ON_DEMAND");
    assert_eq!(r["stream"]["MaxRecordSizeInKiB"], 2048);
    // A new on-demand stream: 4 MB/s, 4,000 records/s (AWS's quotas page).
    assert_eq!(
        r["stream"]["on_demand"]["write_capacity_records_per_s"],
        4_000
    );
    assert!(r["totals"]["put_throttled"].as_u64().unwrap() > 0);
    // The 5 s of records before the timestamp are skipped: 4,000 a second.
    assert_eq!(r["totals"]["records_skipped"], 20_000);
    assert_eq!(r["producer"]["records_refused"], 0);

    let err = refused(
        &["run", "-"],
        Some(r#"{"format":1,"stream":{"MaxRecordSizeInKiB":20480}}"#),
    );
    assert!(
        err.contains("stream.MaxRecordSizeInKiB: 20480 is out of range: allowed 1024 to 10240 KiB"),
        "{err}"
    );
    let err = refused(
        &["run", "-"],
        Some(
            r#"{"format":1,"functions":[{"FunctionName":"f"}],"event_source_mappings":[{"FunctionName":"f","StartingPosition":"AT_TIMESTAMP","StartingPositionTimestamp":1893456000}]}"#,
        ),
    );
    assert!(
        err.contains("event_source_mappings[0].StartingPositionTimestamp: 1893456000 is out of range: allowed 0 to 1767225600 Unix seconds"),
        "{err}"
    );
}
