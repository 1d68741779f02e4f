//! The lessons: every shipped scenario with a `lesson` runs headless, every step that
//! waits for a milestone gets it (a lesson never waits for nothing), and each lesson's
//! teaching point holds in its report.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a test may stop at the first surprise

use kinesis_playground::sim::{
    milestone_named, parse_scenario, ReportOptions, ShardStatus, Simulation,
};
use serde_json::Value;

fn file(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/static/scenarios/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("scenario file")
}

/// Runs a scenario, after `change` has edited its JSON; returns the simulation and its report.
fn run_with(name: &str, change: impl FnOnce(&mut Value)) -> (Simulation, Value) {
    let mut json: Value = serde_json::from_str(&file(name)).expect("JSON");
    change(&mut json);
    let scenario = parse_scenario(&json.to_string()).unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut sim = Simulation::new(&scenario);
    sim.run_to_end();
    sim.check_invariants();
    let report = serde_json::to_value(sim.report(ReportOptions::default())).expect("report");
    (sim, report)
}

fn run(name: &str) -> Value {
    run_with(name, |_| {}).1
}

fn total(r: &Value, name: &str) -> u64 {
    r["totals"][name]
        .as_u64()
        .unwrap_or_else(|| panic!("totals.{name}"))
}

const LESSONS: &[&str] = &[
    "poison-pill.json",
    "overflowing-sink.json",
    "fixes-compared.json",
    "partial-failures.json",
    "burst-hidden-by-the-minute.json",
    "timeouts-and-duplicates.json",
    "at-least-once.json",
    "scaling-reads.json",
    "concurrency-budget.json",
    "tumbling-windows.json",
    "several-consumers.json",
    "on-demand-throttles-anyway.json",
    "hot-key-after-resharding.json",
];

#[test]
fn every_lesson_reaches_every_milestone_it_waits_for() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/static/scenarios");
    let mut with_lessons = Vec::new();
    for entry in std::fs::read_dir(dir).expect("dir") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("name")
            .to_string();
        let scenario = parse_scenario(&file(&name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let Some(lesson) = &scenario.lesson else {
            continue;
        };
        with_lessons.push(name.clone());
        assert!(
            !lesson.takeaway.is_empty(),
            "{name}: a lesson ends with what to remember"
        );
        assert!(
            lesson.steps.iter().any(|s| s.predict.is_some()),
            "{name}: a lesson asks the reader to predict"
        );
        let mut sim = Simulation::new(&scenario);
        sim.run_to_end();
        for step in &lesson.steps {
            if let Some(on) = &step.on {
                let m = milestone_named(on).expect("validated");
                assert!(
                    sim.milestones().contains_key(&m),
                    "{name}: the step waiting for {on} would wait forever"
                );
            }
        }
    }
    with_lessons.sort();
    let mut expected: Vec<String> = LESSONS.iter().map(|s| s.to_string()).collect();
    expected.sort();
    assert_eq!(
        with_lessons, expected,
        "every failure story of the podcast has a lesson"
    );
}

#[test]
fn lesson_1_the_pill_blocks_the_shard_for_a_day() {
    let r = run("poison-pill.json");
    assert!(total(&r, "max_iterator_age_ms") > 23 * 3_600_000);
    assert!(
        total(&r, "records_expired") > 0,
        "the pill leaves through the trim horizon"
    );
}

#[test]
fn lesson_2_the_sink_overflows() {
    assert!(total(&run("overflowing-sink.json"), "records_expired") > 100_000);
}

#[test]
fn lesson_3_each_fix_gives_up_something_different() {
    let r = run("fixes-compared.json");
    let m = |i: usize, k: &str| r["event_source_mappings"][i][k].as_u64().expect("number");
    for i in 0..3 {
        assert_eq!(
            m(i, "records_expired"),
            0,
            "mapping {i} does not block for a day"
        );
    }
    assert!(
        m(0, "records_on_failure") > 10,
        "retries alone give up the whole batch"
    );
    assert_eq!(
        m(1, "records_on_failure"),
        1,
        "bisection gives up the pill alone"
    );
    assert!(
        m(2, "records_redelivered") < m(0, "records_redelivered")
            && m(2, "records_redelivered") < m(1, "records_redelivered")
    );
}

#[test]
fn lesson_4_trusting_the_200_loses_a_third() {
    let r = run("partial-failures.json");
    let lost = r["producer"]["records_lost"].as_u64().expect("n");
    assert_eq!(lost * 3, r["producer"]["records_put"].as_u64().expect("n"));
    let (_, fixed) = run_with("partial-failures.json", |s| {
        s["producer"]["retry_failed_records"] = true.into();
        s["producer"]["records_per_s"] = 700.into();
        s["producer"]["bursts"] =
            serde_json::json!([{"at_s": 10, "for_s": 5, "records_per_s": 1500}]);
    });
    assert_eq!(
        fixed["producer"]["records_lost"], 0,
        "resending with backoff loses nothing once the load fits"
    );
}

#[test]
fn lesson_5_the_minute_hides_the_second() {
    let (sim, _) = run_with("burst-hidden-by-the-minute.json", |_| {});
    use kinesis_playground::sim::Metric;
    let per_s: Vec<u64> = sim
        .metrics()
        .per_second
        .series(Metric::WriteProvisionedThroughputExceeded)
        .collect();
    assert_eq!(per_s[30], 4_000);
    let minute = sim
        .metrics()
        .per_minute
        .value_at(Metric::IncomingRecords, 0)
        .expect("minute 0");
    assert!(minute < 300 * 60);
}

#[test]
fn lesson_6_default_timeouts_wait_minutes() {
    let r = run("timeouts-and-duplicates.json");
    assert!(r["producer"]["max_latency_ms"].as_u64() >= Some(120_000));
    assert!(r["producer"]["duplicates_written"].as_u64() > Some(0));
    let (_, short) = run_with("timeouts-and-duplicates.json", |s| {
        s["producer"]["request_timeout_ms"] = 1_000.into();
    });
    // Seconds after the 10-second outage rather than minutes: the resent backlog is
    // itself throttled for a while.
    assert!(
        short["producer"]["max_latency_ms"].as_u64() < Some(60_000),
        "{}",
        short["producer"]
    );
    // The price: a call that timed out after its write succeeded is sent again.
    assert!(
        short["producer"]["duplicates_written"].as_u64() > Some(0),
        "{}",
        short["producer"]
    );
}

#[test]
fn lesson_7_records_arrive_more_than_once() {
    let r = run("at-least-once.json");
    assert!(
        r["producer"]["duplicates_written"].as_u64() > Some(0),
        "producer retries write copies"
    );
    assert!(
        total(&r, "records_redelivered") > 0,
        "batch retries deliver records again"
    );
}

#[test]
fn lesson_8_parallelization_adds_read_throughput_and_costs_concurrency() {
    let slow = run("scaling-reads.json");
    assert!(
        total(&slow, "max_iterator_age_ms") > 600_000,
        "falls behind: {}",
        total(&slow, "max_iterator_age_ms")
    );
    let (_, fast) = run_with("scaling-reads.json", |s| {
        s["event_source_mappings"][0]["ParallelizationFactor"] = 4.into();
    });
    assert!(
        total(&fast, "max_iterator_age_ms") < 30_000,
        "keeps up: {}",
        total(&fast, "max_iterator_age_ms")
    );
    assert!(
        total(&fast, "max_concurrent_executions") > 2 * total(&slow, "max_concurrent_executions")
    );
    // More shards also keep up: each shard gets its own reader (and is paid per hour).
    let (_, sharded) = run_with("scaling-reads.json", |s| {
        s["stream"]["ShardCount"] = 4.into();
    });
    assert!(
        total(&sharded, "max_iterator_age_ms") < 30_000,
        "keeps up: {}",
        total(&sharded, "max_iterator_age_ms")
    );
    assert!(total(&sharded, "max_concurrent_executions") >= 4);
}

#[test]
fn lesson_9_the_stream_starves_checkout_and_reserved_concurrency_fixes_it() {
    let r = run("concurrency-budget.json");
    assert_eq!(total(&r, "max_concurrent_executions"), 1_000);
    assert!(r["account"]["other_functions_throttles"].as_u64() > Some(0));
    let (_, fixed) = run_with("concurrency-budget.json", |s| {
        s["functions"][0]["ReservedConcurrentExecutions"] = 900.into();
    });
    assert_eq!(fixed["account"]["other_functions_throttles"], 0);
}

#[test]
fn lesson_10_a_window_writes_once() {
    let r = run("tumbling-windows.json");
    let writes = |i: usize| {
        r["event_source_mappings"][i]["downstream_writes"]
            .as_u64()
            .expect("n")
    };
    assert!(writes(0) > 100_000, "one write per record");
    assert_eq!(
        writes(1),
        18,
        "one per closed window and shard: 9 windows x 2 shards"
    );
}

#[test]
fn lesson_11_seven_consumers_share_five_reads_and_fan_out_does_not() {
    let r = run("several-consumers.json");
    let throttles = |r: &Value| {
        r["event_source_mappings"]
            .as_array()
            .expect("a")
            .iter()
            .map(|m| m["read_throttles"].as_u64().expect("n"))
            .sum::<u64>()
    };
    assert!(throttles(&r) > 0);
    let (_, efo) = run_with("several-consumers.json", |s| {
        for m in s["event_source_mappings"].as_array_mut().expect("a") {
            m["enhanced_fan_out"] = true.into();
        }
    });
    assert_eq!(throttles(&efo), 0);
}

/// Lesson 12 (issue 15): an on-demand stream throttles anyway. AWS's capacity-mode page:
/// an on-demand stream "accommodates up to double the peak write throughput observed
/// in the previous 30 days", "write throttling can occur if your traffic increases to
/// more than double the previous peak within a 15-minute duration", and the stream
/// adapts to uneven keys "unless a single partition key exceeds a shard's 1 MB/s
/// throughput and 1000 records per second limits".
#[test]
fn lesson_12_on_demand_throttles_past_double_the_peak_and_a_hot_key_throttles_anyway() {
    use kinesis_playground::sim::Metric;
    let per_s = |sim: &Simulation, m| -> Vec<u64> { sim.metrics().per_second.series(m).collect() };
    let (sim, report) = run_with("on-demand-throttles-anyway.json", |_| {});
    let incoming = per_s(&sim, Metric::IncomingRecords);
    let throttled = per_s(&sim, Metric::WriteProvisionedThroughputExceeded);
    // 9,000 records/s offered from 00:02:00: the stream takes double its 3 MiB/s peak,
    // 6,000 records/s, until the first minute at 6,000 counts, at 00:18:00.
    assert!(throttled[..120].iter().all(|&n| n == 0));
    assert!(
        incoming[121..1_080].iter().all(|&n| n == 6_000),
        "{:?}",
        &incoming[1_075..1_085]
    );
    assert!(
        throttled[121..1_080].iter().all(|&n| n >= 2_980),
        "{:?}",
        &throttled[121..125]
    );
    // Then the capacity is 12,000, and only the hot key's shard still throttles: it is
    // offered over 1,500 records/s and takes its 1,000.
    assert!(
        throttled[1_080..].iter().all(|&n| (500..=700).contains(&n)),
        "{:?}",
        &throttled[1_080..1_085]
    );
    assert_eq!(
        report["stream"]["on_demand"]["write_capacity_records_per_s"],
        12_000
    );
    let at_end: Vec<_> = (0..16)
        .map(|s| sim.stream().last_second(s, 1_800))
        .collect();
    let throttling: Vec<_> = at_end.iter().filter(|st| st.throttled > 0).collect();
    assert_eq!(throttling.len(), 1, "{at_end:?}");
    assert_eq!(throttling[0].accepted, 1_000);
    // Without the hot key, nothing is throttled once the capacity has followed; the
    // stream-wide throttling before is the same.
    let (even, _) = run_with("on-demand-throttles-anyway.json", |s| {
        s["producer"]["hot_key_share"] = 0.0.into();
    });
    let throttled_even = per_s(&even, Metric::WriteProvisionedThroughputExceeded);
    assert!(throttled_even[1_080..].iter().all(|&n| n == 0));
    assert!(throttled_even[121..1_080].iter().all(|&n| n >= 2_980));
}

/// Plays a lesson as the page does (frames of 250 ms of simulated time, each clamped
/// to the step's planned moment; a step due at once speaks at once) and calls `at` at
/// every step with the run as the page shows it then.
fn play_lesson(name: &str, mut at: impl FnMut(usize, &Simulation)) {
    use kinesis_playground::sim::{SimDuration, SimTime};
    use kinesis_playground::view::lesson::{plan, LessonAction, Player, Stage};
    let scenario = parse_scenario(&file(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let lesson = scenario.lesson.clone().expect("a lesson");
    let moments = plan(&scenario, &lesson);
    let mut p = Player::new(lesson, moments);
    let mut sim = Simulation::new(&scenario);
    p.act(LessonAction::Start);
    while p.is_running() {
        while !p.is_due(sim.now(), sim.milestones()) && !sim.is_finished() {
            let mut to: SimTime = sim.now() + SimDuration::from_ms(250);
            if let Some(stop) = p.stop_at(sim.now()) {
                to = to.min(stop);
            }
            sim.run_until(to, usize::MAX);
        }
        if !p.is_due(sim.now(), sim.milestones()) {
            panic!("{name}: the run ended before step {:?}", p.stage());
        }
        p.arrive(sim.now());
        let Stage::AtStep { step } = p.stage() else {
            unreachable!()
        };
        at(step, &sim);
        if p.is_waiting_for_answer() {
            p.act(LessonAction::ShowAnswer);
        }
        p.act(LessonAction::Continue);
    }
    assert_eq!(p.stage(), Stage::End, "{name}");
}

/// What a run shows at a step, in the figures the page draws them from.
struct Shown {
    blocked: Vec<bool>,
    /// Per mapping: records sent to the OnFailure destination.
    on_failure: Vec<u64>,
    expired: u64,
    /// Per mapping, the oldest shard's iterator age.
    age_s: Vec<u64>,
    waiting: u64,
    redelivered: Vec<u64>,
    read_throttles: u64,
    producer_lost: u64,
    put_throttled: u64,
    duplicates: u64,
    running: u32,
    report: Value,
}

fn shown(sim: &Simulation) -> Shown {
    let s = sim.snapshot();
    let m = &s.mappings;
    Shown {
        blocked: m.iter().map(|m| m.blocked.iter().any(|&b| b)).collect(),
        on_failure: m.iter().map(|m| m.stats.on_failure).collect(),
        expired: m.iter().map(|m| m.stats.expired).sum(),
        age_s: m
            .iter()
            .map(|m| m.iterator_age_ms.iter().max().copied().unwrap_or(0) / 1_000)
            .collect(),
        waiting: m
            .first()
            .map(|m| {
                m.positions
                    .iter()
                    .zip(&s.shards)
                    .map(|(p, sh)| sh.write_head - p)
                    .sum()
            })
            .unwrap_or(0),
        redelivered: m.iter().map(|m| m.stats.redelivered).collect(),
        read_throttles: m.iter().map(|m| m.stats.read_throttles).sum(),
        producer_lost: s.totals.producer_lost,
        put_throttled: s.totals.put_throttled,
        duplicates: s.totals.duplicates,
        running: s.concurrency.functions.iter().map(|f| f.running).sum(),
        report: serde_json::to_value(sim.report(ReportOptions::default())).expect("report"),
    }
}

const DAY_S: u64 = 86_400;

/// Each lesson's words agree with what the page shows at each step: the claims the
/// words make, checked against the run at the step's moment. A lesson whose words and
/// moments change must change its checks here.
fn check_claims(name: &str, step: usize, sim: &Simulation) {
    let s = shown(sim);
    let now_s = sim.now().0 / 1_000;
    let at = format!("{name} step {} at {}", step + 1, sim.now());
    let ok = |cond: bool, claim: &str| assert!(cond, "{at}: {claim}");
    match (name, step) {
        ("poison-pill.json", 0) => {
            ok(s.blocked == [false], "all is well");
            ok(s.age_s[0] <= 2, "the iterator a second or so behind");
        }
        ("poison-pill.json", 1) => ok(s.blocked == [true], "the shard is blocked"),
        ("poison-pill.json", 2) => {
            ok(s.blocked == [true], "still blocked");
            ok(s.waiting > 2_000_000, "2 million records wait");
            ok(
                (11 * 3_600..=12 * 3_600).contains(&s.age_s[0]),
                "IteratorAge 12 h",
            );
            ok(s.expired == 0, "nothing lost yet");
        }
        ("poison-pill.json", 3) => {
            ok(s.blocked == [false], "the mapping moved again");
            ok(
                s.age_s[0] > 23 * 3_600,
                "the records behind it are a day old",
            );
            ok(s.expired > 0, "those that expired meanwhile are lost");
        }
        ("overflowing-sink.json", 0) => ok(s.blocked == [true], "blocked"),
        ("overflowing-sink.json", 1) => {
            ok(s.blocked == [true], "the pill has not expired yet");
            ok(s.expired == 0, "nothing lost before the question");
        }
        ("overflowing-sink.json", 2) => {
            ok(s.blocked == [false], "the drain is open: the mapping moves");
            ok(s.age_s[0] > 23 * 3_600, "reading records a day old");
            ok(
                (1_000..10_000).contains(&s.expired),
                "a few thousand expired",
            );
        }
        ("overflowing-sink.json", 3) => {
            ok(
                (140_000..155_000).contains(&s.expired),
                "about 148,000 lost",
            );
            let (end, _) = run_with(name, |_| {});
            let lost_at_end: u64 = end
                .snapshot()
                .mappings
                .iter()
                .map(|m| m.stats.expired)
                .sum();
            ok(lost_at_end == s.expired, "the loss has stopped");
        }
        ("fixes-compared.json", 0) => {
            ok(s.blocked == [false; 3], "the pill has not arrived");
            ok(s.on_failure == [0; 3], "nothing given up");
        }
        ("fixes-compared.json", 1) => {
            ok(
                s.on_failure == [0, 0, 2],
                "partial gave up first, 2 records",
            );
            ok(
                s.blocked == [true, true, false],
                "the other two still retry",
            );
        }
        ("fixes-compared.json", 2) => {
            ok(s.on_failure == [61, 1, 2], "61, 1 and 2 to the queue");
            ok(s.blocked == [false; 3], "none blocks its shard");
            ok(
                s.redelivered[1] > s.redelivered[2],
                "bisection redelivers more",
            );
        }
        ("partial-failures.json", 0) => {
            ok(
                s.producer_lost == 0 && s.put_throttled == 0,
                "no call made yet",
            );
        }
        ("partial-failures.json", 1) => {
            ok(s.producer_lost > 0, "records lost by the producer");
            ok(
                s.producer_lost == s.put_throttled,
                "the throttled entries, not resent",
            );
        }
        ("burst-hidden-by-the-minute.json", 0) => ok(s.put_throttled == 0, "nothing throttled"),
        ("burst-hidden-by-the-minute.json", 1) => {
            ok(s.put_throttled == 4_000, "4,000 records throttled");
        }
        ("timeouts-and-duplicates.json", 0) => {
            let wait = s.report["producer"]["max_latency_ms"].as_u64().expect("n");
            ok(wait < 1_000, "calls take milliseconds");
        }
        ("timeouts-and-duplicates.json", 1) => {
            let wait = s.report["producer"]["max_latency_ms"].as_u64().expect("n");
            ok((120_000..130_000).contains(&wait), "a 2-minute wait");
            ok(s.duplicates > 0, "duplicates written");
        }
        ("at-least-once.json", 0) => ok(s.duplicates > 0, "duplicates written"),
        ("at-least-once.json", 1) => ok(s.blocked == [true], "a batch failed"),
        ("scaling-reads.json", 0) => ok(s.age_s[0] > 60, "IteratorAge climbs"),
        ("scaling-reads.json", 1) => ok(s.age_s[0] > 300, "still climbing"),
        ("concurrency-budget.json", 0) => ok(s.running == 1_000, "1,000 instances"),
        ("concurrency-budget.json", 1) => {
            let throttled = s.report["account"]["other_functions_throttles"]
                .as_u64()
                .expect("n");
            ok(throttled > 0, "checkout is throttled");
        }
        ("tumbling-windows.json", 0) => ok(now_s == 30, "at 00:00:30"),
        ("tumbling-windows.json", 1) => {
            let writes = |i: usize| {
                s.report["event_source_mappings"][i]["downstream_writes"]
                    .as_u64()
                    .expect("n")
            };
            ok(writes(0) > 100_000, "one write per record");
            ok(writes(1) == 18, "one per window and shard");
        }
        ("several-consumers.json", 0) => ok(s.read_throttles == 0, "no read refused yet"),
        ("several-consumers.json", 1) => ok(s.read_throttles > 0, "reads refused"),
        ("on-demand-throttles-anyway.json", 0) => ok(s.put_throttled == 0, "not yet"),
        ("on-demand-throttles-anyway.json", 1) => ok(s.put_throttled > 0, "throttled at once"),
        ("on-demand-throttles-anyway.json", 2 | 3) => {
            let shards = sim.snapshot().shards;
            let throttling = shards.iter().filter(|sh| sh.throttled_last_s > 0).count();
            ok(throttling == 1, "one shard still refuses records");
            ok(now_s < DAY_S, "within the run");
        }
        ("hot-key-after-resharding.json", 0) => {
            ok(sim.snapshot().shards.len() == 2, "two shards");
            ok(s.put_throttled > 0, "throttled");
        }
        ("hot-key-after-resharding.json", 1) => {
            let shards = sim.snapshot().shards;
            ok(shards.len() == 2, "two shards");
            let throttling = shards.iter().filter(|sh| sh.throttled_last_s > 0).count();
            ok(throttling == 2, "both shards throttle");
        }
        ("hot-key-after-resharding.json", 2 | 3) => {
            let snap = sim.snapshot();
            let open: Vec<usize> = (0..snap.shards.len())
                .filter(|&i| snap.lineage[i].status == ShardStatus::Open)
                .collect();
            ok(
                open.len() == if step == 2 { 4 } else { 8 },
                "four, then eight shards",
            );
            let throttling: Vec<u64> = open
                .iter()
                .map(|&i| snap.shards[i].throttled_last_s)
                .filter(|&t| t > 0)
                .collect();
            ok(throttling.len() == 1, "one shard still throttles");
            let (lo, hi) = if step == 2 { (850, 950) } else { (500, 600) };
            ok(
                (lo..=hi).contains(&throttling[0]),
                "about 900, then about 550 refused a second",
            );
        }
        _ => panic!("{at}: no checks for this step: add them here"),
    }
}

#[test]
fn every_lesson_step_says_what_the_page_shows_then() {
    for name in LESSONS {
        play_lesson(name, |step, sim| check_claims(name, step, sim));
    }
}

/// No choice gives the answer away by its length: the longest of a prediction's
/// choices is at most 1.6 times the shortest.
#[test]
fn prediction_choices_are_of_similar_length() {
    for name in LESSONS {
        let scenario = parse_scenario(&file(name)).expect("scenario");
        for (i, step) in scenario.lesson.expect("lesson").steps.iter().enumerate() {
            let Some(p) = &step.predict else { continue };
            let lengths: Vec<usize> = p.choices.iter().map(|c| c.chars().count()).collect();
            let (short, long) = (lengths.iter().min(), lengths.iter().max());
            let (Some(&short), Some(&long)) = (short, long) else {
                continue;
            };
            assert!(
                long * 10 <= short * 16,
                "{name} step {}: choices of {lengths:?} characters: {:?}",
                i + 1,
                p.choices
            );
        }
    }
}

/// Every lesson but those whose fix is in the function's code ends with "Try it": its
/// setting at the value the lesson ran with, against the fix, run side by side.
#[test]
fn every_lesson_offers_its_fix_side_by_side() {
    use kinesis_playground::view::compare::Pair;
    use kinesis_playground::view::knobs::{self, Target};
    use kinesis_playground::view::lesson::try_it;
    // The fix for duplicates is an idempotent consumer: no setting.
    const IN_CODE: &[&str] = &["at-least-once.json"];
    for name in LESSONS {
        let scenario = parse_scenario(&file(name)).expect("scenario");
        let lesson = scenario.lesson.clone().expect("lesson");
        let variation = try_it(&lesson).unwrap_or_else(|e| panic!("{name}: {e}"));
        let Some(v) = variation else {
            assert!(IN_CODE.contains(name), "{name}: no Try it");
            continue;
        };
        let (id, from) = v.left[0];
        assert_eq!(
            knobs::get(id, &scenario, Target::of_mapping(&scenario, 0)),
            Some(from),
            "{name}: Try it starts from the lesson's own value"
        );
        assert_ne!(v.left, v.right, "{name}");
        Pair::new(&scenario, v).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}
