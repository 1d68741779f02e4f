//! Follow a record, in words: the path of the followed record (`sim::trace`) as a
//! list of lines with times, from its partition key and hash to its shard and lane,
//! through its batches, invocations, retries and splits, to its end. Also replaying a
//! run with the trace switched on. Pure; `ui::trace` shows it.

use super::format::{count, grouped};
use super::picture::{destination_label, half_label};
use crate::sim::{End, Scenario, SimTime, Simulation, StepKind, Trace, TraceTarget};

/// What a line of the path is about, for its style.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    /// Where the record is: key, hash, shard, lane.
    Place,
    Step,
    /// Something went wrong: a failure, a throttle, a split.
    Trouble,
    Succeeded,
    /// Given up or expired.
    Lost,
    Pending,
}

impl Tone {
    pub fn class(self) -> &'static str {
        match self {
            Tone::Place => "place",
            Tone::Step => "step",
            Tone::Trouble => "trouble",
            Tone::Succeeded => "succeeded",
            Tone::Lost => "lost",
            Tone::Pending => "pending",
        }
    }
}

/// One line of the path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// `00:01:02.345`, or empty for lines about where the record is.
    pub at: String,
    pub text: String,
    pub tone: Tone,
}

/// How the path ends so far, in one word for tests and styles: `succeeded`,
/// `destination`, `discarded`, `expired`, `skipped`, `pending` (or `unwritten` before the stream
/// holds the record).
pub fn end_word(trace: &Trace) -> &'static str {
    match trace.end() {
        Some(End::Succeeded) => "succeeded",
        Some(End::SentToDestination { .. }) => "destination",
        Some(End::Discarded { .. }) => "discarded",
        Some(End::Expired) => "expired",
        Some(End::Skipped) => "skipped",
        None if trace.placement.is_none() => "unwritten",
        None => "pending",
    }
}

/// The path in words, at most a line a step plus the place lines, and a last line
/// saying where it stands when it has not ended.
pub fn lines(trace: &Trace, function_name: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let place = |text: String| Line {
        at: String::new(),
        text,
        tone: Tone::Place,
    };
    let Some(p) = &trace.placement else {
        out.push(Line {
            at: String::new(),
            text: format!(
                "Record {} of shard {} is not written yet",
                grouped(trace.target.index),
                trace.target.shard
            ),
            tone: Tone::Pending,
        });
        return out;
    };
    let what = if p.poison {
        "a poison pill, put one by one"
    } else if p.explicit {
        "put one by one"
    } else {
        "from the producer's steady load"
    };
    out.push(place(format!(
        "Partition key \"{}\" ({what})",
        p.partition_key
    )));
    out.push(place(format!(
        "MD5 of the key: hash key {}, at {} of the hash space",
        short_number(p.hash_key),
        share(p.hash_key)
    )));
    out.push(place(format!(
        "Shard {} ({}): it holds hash keys {} to {} ({} to {})",
        trace.target.shard,
        p.shard_id,
        short_number(p.range.starting_hash_key),
        short_number(p.range.ending_hash_key),
        share(p.range.starting_hash_key),
        share(p.range.ending_hash_key)
    )));
    if p.lanes > 1 {
        out.push(place(format!(
            "Lane {} of {}: MD5 of the key mod ParallelizationFactor {}; records of one key keep their order",
            p.lane, p.lanes, p.lanes
        )));
    }
    out.push(Line {
        at: p.arrival.to_string(),
        text: format!(
            "Written: record {} of the shard, sequence number {}",
            grouped(trace.target.index),
            short_digits(&p.sequence_number)
        ),
        tone: Tone::Step,
    });
    let omitted_at = trace.steps.len().saturating_sub(1);
    for (k, s) in trace.steps.iter().enumerate() {
        if k == omitted_at && trace.omitted > 0 {
            out.push(Line {
                at: String::new(),
                text: format!(
                    "… {} more, and {} invocations in all (the list keeps its first steps and the end)",
                    count(trace.omitted, "step", "steps"),
                    grouped(u64::from(trace.invocations))
                ),
                tone: Tone::Trouble,
            });
        }
        let (text, tone) = step_words(&s.kind, function_name);
        out.push(Line {
            at: s.at.to_string(),
            text,
            tone,
        });
    }
    if !trace.is_over() {
        let text = match trace.steps.last().map(|s| &s.kind) {
            Some(StepKind::Invoked { ends_at, .. }) => {
                format!("Still pending: in flight until {ends_at}")
            }
            Some(StepKind::RetryScheduled { .. } | StepKind::Throttled) => {
                "Still pending: its batch waits to be retried, holding its lane up".to_string()
            }
            _ => "Still pending: waiting in its lane for the mapping's iterator".to_string(),
        };
        out.push(Line {
            at: String::new(),
            text,
            tone: Tone::Pending,
        });
    }
    out
}

/// A 128-bit number with its middle left out when long: `1917504…618020`.
pub fn short_number(n: u128) -> String {
    short_digits(&n.to_string())
}

/// A long string of digits with its middle left out: `4959000…029034`.
pub fn short_digits(s: &str) -> String {
    if s.len() <= 14 || !s.is_ascii() {
        return s.to_string();
    }
    format!("{}…{}", &s[..7], &s[s.len() - 6..])
}

/// Where a hash key lies in the hash space, 0 to 2^128, as a percentage.
pub fn share(n: u128) -> String {
    let pct = n as f64 / 2f64.powi(128) * 100.0;
    format!("{pct:.1}%")
}

fn step_words(kind: &StepKind, function_name: &str) -> (String, Tone) {
    match kind {
        StepKind::Invoked {
            records,
            attempt,
            depth,
            ends_at,
            ..
        } => {
            let batch = if *depth > 0 {
                format!(
                    "a bisected half ({} of the first batch) of {}",
                    half_label(*depth),
                    count(*records, "record", "records")
                )
            } else {
                format!("a batch of {}", count(*records, "record", "records"))
            };
            let attempt = if *attempt > 1 {
                format!(" (invocation {attempt} of these records)")
            } else {
                String::new()
            };
            (
                format!("In {batch} handed to {function_name}{attempt}; it runs until {ends_at}"),
                Tone::Step,
            )
        }
        StepKind::Throttled => (
            "Invocation throttled: no concurrency to spare; the batch waits 1 s and uses up no retry"
                .to_string(),
            Tone::Trouble,
        ),
        StepKind::Failed { outcome } => (
            format!("The invocation failed ({outcome}): the batch holds its lane up"),
            Tone::Trouble,
        ),
        StepKind::ReportedFailure { retried } => (
            format!(
                "The function reported a failed record at or before it (ReportBatchItemFailures): the {} from there are retried",
                count(*retried, "record", "records")
            ),
            Tone::Trouble,
        ),
        StepKind::Split {
            records,
            half,
            first,
        } => (
            format!(
                "Batch of {} split in two (BisectBatchOnFunctionError): it is in the {} half, of {}",
                grouped(*records),
                if *first { "first" } else { "second" },
                grouped(*half)
            ),
            Tone::Trouble,
        ),
        StepKind::RetryScheduled { retry, backoff_ms } => (
            format!(
                "Retry {retry} in {} (MaximumRetryAttempts counts it)",
                super::picture::age(*backoff_ms)
            ),
            Tone::Trouble,
        ),
        StepKind::End(End::Succeeded) => (
            format!("Succeeded: {function_name} processed it and the checkpoint moved past it"),
            Tone::Succeeded,
        ),
        StepKind::End(End::SentToDestination {
            destination,
            condition,
        }) => (
            format!(
                "Given up ({condition}): its batch is described in an on-failure message to the {}",
                destination_label(destination)
            ),
            Tone::Lost,
        ),
        StepKind::End(End::Discarded { condition }) => (
            format!("Given up ({condition}) and dropped: no OnFailure destination is set"),
            Tone::Lost,
        ),
        StepKind::End(End::Skipped) => (
            "Skipped: written before the mapping started reading at LATEST (StartingPosition), so it is never read"
                .to_string(),
            Tone::Lost,
        ),
        StepKind::End(End::Expired) => (
            "Expired: it left the stream at the trim horizon before it was processed (lost)"
                .to_string(),
            Tone::Lost,
        ),
    }
}

/// The run of `scenario` to `until` with `target` followed from the start: the same
/// run (runs are deterministic), now with the record's path.
pub fn replay_following(
    scenario: &Scenario,
    target: TraceTarget,
    until: SimTime,
) -> Result<Simulation, String> {
    let mut sim = Simulation::new(scenario);
    sim.follow(target)?;
    let until = until.min(sim.end());
    while sim.now() < until {
        sim.run_until(until, 1_000_000);
    }
    Ok(sim)
}

/// At most this far (in records) a record is looked for around its index when a
/// replay put it elsewhere.
pub const RELOCATE_MAX: u64 = 256;

/// The same record as `index` of `shard` in `live`, in `replayed`: the same index
/// when it holds the same partition key and arrival there, else the nearest index
/// that does. A replay can shift indices: a pill injected on a whole second was put
/// after that second's bulk records, and the replay puts it before them.
pub fn relocate(live: &Simulation, replayed: &Simulation, shard: u32, index: u64) -> Option<u64> {
    let want = live.record_key(shard, index)?;
    let same = |i: u64| replayed.record_key(shard, i).is_some_and(|k| k == want);
    if same(index) {
        return Some(index);
    }
    (1..=RELOCATE_MAX).find_map(|d| {
        [index.checked_add(d), index.checked_sub(d)]
            .into_iter()
            .flatten()
            .find(|&i| same(i))
    })
}

/// Follows the record at `index` of `shard` in `live` through mapping `mapping`:
/// the run of `scenario` (the live run's settings) is replayed to `live`'s moment,
/// the record found in it again, and replayed once more with the trace on.
pub fn follow_in_replay(
    scenario: &Scenario,
    live: &Simulation,
    shard: u32,
    index: u64,
    mapping: usize,
) -> Result<Simulation, String> {
    let now = live.now();
    let mut probe = Simulation::new(scenario);
    while probe.now() < now.min(probe.end()) {
        probe.run_until(now, 1_000_000);
    }
    let index = relocate(live, &probe, shard, index).ok_or_else(|| {
        format!(
            "record {} of shard {shard} could not be found again in the replayed run",
            grouped(index)
        )
    })?;
    replay_following(
        scenario,
        TraceTarget {
            shard,
            index,
            mapping,
        },
        now,
    )
}

/// How long a give-up travels to its destination on the page, in simulated ms: a
/// little under a second of the reader's time at `speed`, at least
/// [`super::picture::TRAVEL_MS_MIN`].
pub fn travel_ms(speed: f64) -> u64 {
    let ms = (speed.max(0.0) * 800.0).min(86_400_000.0) as u64;
    ms.max(super::picture::TRAVEL_MS_MIN)
}

/// The callout shown by a clicked record, this wide in CSS px.
pub const CALLOUT_WIDTH_PX: f64 = 280.0;

/// Where the callout goes for a click at (`x`, `y`) on a picture `width` px wide: its
/// left and top edges in px, just under the click, kept inside the picture.
pub fn callout_position(x: f64, y: f64, width: f64) -> (f64, f64) {
    let left = (x - CALLOUT_WIDTH_PX / 2.0)
        .min(width - CALLOUT_WIDTH_PX)
        .max(0.0);
    (left, y.max(0.0) + 14.0)
}

/// The followed record in one sentence, for the callout by the click: its key and
/// shard, its invocations and how it stands. The whole path is in the trace panel.
pub fn summary(trace: &Trace) -> String {
    let Some(p) = &trace.placement else {
        return format!(
            "Following record {} of shard {}: not written yet.",
            grouped(trace.target.index),
            trace.target.shard
        );
    };
    let failed = trace
        .steps
        .iter()
        .filter(|s| matches!(s.kind, StepKind::Failed { .. }))
        .count() as u64;
    let invoked = match (trace.invocations, failed) {
        (0, _) => "not invoked yet".to_string(),
        (n, 0) => format!("in {}", count(u64::from(n), "invocation", "invocations")),
        (n, f) => format!(
            "in {}, {} failed",
            count(u64::from(n), "invocation", "invocations"),
            grouped(f)
        ),
    };
    let stands = match end_word(trace) {
        "succeeded" => "processed",
        "destination" => "sent to the OnFailure destination",
        "discarded" => "given up and discarded",
        "expired" => "expired before it was processed",
        "skipped" => "skipped (before the LATEST starting position)",
        _ => "still waiting",
    };
    let what = if p.poison { "the pill" } else { "the record" };
    format!(
        "Following {what} \"{}\" on {}: {invoked}; {stands}.",
        p.partition_key, p.shard_id
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{parse_scenario, Placement};

    fn scenario(mapping: &str) -> Scenario {
        let json = format!(
            r#"{{"format":1,"duration_s":120,"stream":{{"ShardCount":2}},
            "puts":[{{"at_ms":0,"Records":[{{"PartitionKey":"a","Data":"YQ=="}}]}},
              {{"at_ms":5000,"Records":[{{"PartitionKey":"pill","Data":"cG9pc29u"}}]}}],
            "functions":[{{"FunctionName":"f","duration_ms":20,"poison":{{"data_contains":"poison"}}}}],
            "event_source_mappings":[{{"FunctionName":"f"{mapping}}}]}}"#
        );
        parse_scenario(&json).expect("scenario")
    }

    fn followed(s: &Scenario, key: &str, until: SimTime) -> Trace {
        let probe = replay_following(
            s,
            TraceTarget {
                shard: 0,
                index: 0,
                mapping: 0,
            },
            SimTime(6_000),
        )
        .expect("replay");
        let (shard, index) = probe.find_record(key).expect("the record");
        let sim = replay_following(
            s,
            TraceTarget {
                shard,
                index,
                mapping: 0,
            },
            until,
        )
        .expect("replay");
        sim.trace().cloned().expect("trace")
    }

    #[test]
    fn a_successful_path_reads_from_key_to_success() {
        let s = scenario("");
        let t = followed(&s, "a", SimTime(60_000));
        let l = lines(&t, "f");
        let text: Vec<&str> = l.iter().map(|l| l.text.as_str()).collect();
        assert!(text[0].starts_with("Partition key \"a\""), "{text:?}");
        assert!(text[1].starts_with("MD5 of the key: hash key "), "{text:?}");
        assert!(text[1].contains("% of the hash space"), "{text:?}");
        assert!(text[2].contains("it holds hash keys"), "{text:?}");
        assert!(text
            .iter()
            .any(|t| t.starts_with("In a batch of 1 record handed to f")));
        assert_eq!(l.last().map(|l| l.tone), Some(Tone::Succeeded));
        assert_eq!(end_word(&t), "succeeded");
        assert!(l
            .iter()
            .filter(|l| l.tone != Tone::Place)
            .all(|l| !l.at.is_empty()));
    }

    #[test]
    fn a_pill_still_retrying_says_it_is_pending_and_its_retries() {
        let s = scenario("");
        let t = followed(&s, "pill", SimTime(30_000));
        assert_eq!(end_word(&t), "pending");
        let l = lines(&t, "f");
        assert!(
            l.iter().any(|l| l.text.starts_with("Retry 1 in 1 s")),
            "{l:?}"
        );
        assert!(l
            .iter()
            .any(|l| l.text.starts_with("The invocation failed (error)")));
        assert_eq!(l.last().map(|l| l.tone), Some(Tone::Pending));
    }

    #[test]
    fn the_callout_sums_the_path_up_by_the_click() {
        let s = scenario("");
        let pill = followed(&s, "pill", SimTime(30_000));
        let text = summary(&pill);
        assert!(
            text.starts_with("Following the pill \"pill\" on shardId-"),
            "{text}"
        );
        assert!(text.contains(" failed; still waiting."), "{text}");
        let a = followed(&s, "a", SimTime(60_000));
        assert!(
            summary(&a).ends_with(": in 1 invocation; processed."),
            "{}",
            summary(&a)
        );
        // Under the click, inside the picture.
        assert_eq!(callout_position(400.0, 30.0, 1_000.0), (260.0, 44.0));
        assert_eq!(callout_position(10.0, 30.0, 1_000.0).0, 0.0);
        assert_eq!(callout_position(990.0, 30.0, 1_000.0).0, 720.0);
        assert_eq!(
            callout_position(100.0, 0.0, 200.0).0,
            0.0,
            "narrower than it"
        );
    }

    #[test]
    fn a_pill_sent_to_a_destination_names_it() {
        let s = scenario(
            r#","MaximumRetryAttempts":0,"DestinationConfig":{"OnFailure":{"Destination":"arn:aws:sns:us-east-1:123456789012:alerts"}}"#,
        );
        let t = followed(&s, "pill", SimTime(60_000));
        assert_eq!(end_word(&t), "destination");
        let last = lines(&t, "f").pop().expect("a line");
        assert!(last.text.contains("SNS topic alerts"), "{last:?}");
        assert_eq!(last.tone, Tone::Lost);
    }

    /// The steady scenario with a mapping at AWS's defaults, as the page builds it
    /// when a pill is injected into it.
    fn steady_with_mapping() -> Scenario {
        let steady = crate::view::scenarios::choices()
            .into_iter()
            .find(|c| c.file == "steady.json")
            .and_then(|c| c.scenario.ok())
            .expect("steady.json");
        crate::view::knobs::with_default_mapping(&steady)
    }

    /// Injects the pill `pill-1` into `live` now, then runs it on to `until`.
    fn inject_pill_and_run(live: &mut Simulation, until: SimTime) {
        live.apply(&crate::sim::Command::InjectPoison {
            partition_key: "pill-1".to_string(),
        })
        .expect("inject");
        while live.now() < until {
            live.run_until(until, 1000);
        }
    }

    /// Where following `pill-1` in a replay of `live` places it.
    fn pill_placed_in_replay(live: &Simulation) -> Placement {
        let (s, i) = live.find_record("pill-1").expect("the pill");
        let found = follow_in_replay(live.current_scenario(), live, s, i, 0).expect("follow");
        found
            .trace()
            .and_then(|t| t.placement.clone())
            .expect("placed")
    }

    #[test]
    fn a_pill_injected_on_a_whole_second_is_found_again_in_the_replay() {
        let json = r#"{"format":1,"duration_s":600,"stream":{"ShardCount":1},
            "producer":{"records_per_s":50},
            "functions":[{"FunctionName":"f"}],"event_source_mappings":[{"FunctionName":"f"}]}"#;
        let mut live = Simulation::new(&parse_scenario(json).expect("scenario"));
        live.run_until(SimTime(10_000), usize::MAX);
        inject_pill_and_run(&mut live, SimTime(20_000));
        let (s, i) = live.find_record("pill-1").expect("the pill");
        let scenario = live.current_scenario().clone();
        let replayed = replay_following(
            &scenario,
            TraceTarget {
                shard: s,
                index: i,
                mapping: 0,
            },
            SimTime(20_000),
        )
        .expect("replay");
        let naive = replayed.trace().and_then(|t| t.placement.clone());
        let placed = pill_placed_in_replay(&live);
        assert_eq!(placed.partition_key, "pill-1");
        assert!(placed.poison);
        // The reason for relocating: the same index is another record in the replay.
        assert_ne!(naive.map(|p| p.partition_key).as_deref(), Some("pill-1"));
    }

    #[test]
    fn a_pill_injected_at_time_zero_on_the_steady_scenario_is_followed() {
        let mut live = Simulation::new(&steady_with_mapping());
        live.run_until(SimTime(36_998), usize::MAX);
        inject_pill_and_run(&mut live, SimTime(60_000));
        assert_eq!(pill_placed_in_replay(&live).partition_key, "pill-1");
    }

    #[test]
    fn a_pill_injected_mid_second_among_bulk_records_is_followed() {
        let mut live = crate::view::timebar::replay(&steady_with_mapping(), SimTime(123_996));
        inject_pill_and_run(&mut live, SimTime(263_986));
        assert_eq!(pill_placed_in_replay(&live).partition_key, "pill-1");
    }

    #[test]
    fn hash_keys_read_short_with_their_place_in_the_hash_space() {
        assert_eq!(short_number(12_345), "12345");
        assert_eq!(short_number(u128::MAX), "3402823…211455");
        assert_eq!(share(0), "0.0%");
        assert_eq!(share(u128::MAX / 2), "50.0%");
        assert_eq!(share(u128::MAX), "100.0%");
    }

    #[test]
    fn travel_stays_visible_when_fast_forwarding() {
        assert_eq!(travel_ms(1.0), super::super::picture::TRAVEL_MS_MIN);
        assert_eq!(travel_ms(3_600.0), 2_880_000);
        assert!(travel_ms(f64::INFINITY) <= 86_400_000);
    }
}
