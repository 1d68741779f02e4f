//! The counters under the picture, in words: what each counts, its figure now, its
//! unit and a hint; and the concurrency grid's description for screen readers.

use crate::sim::{MappingStats, Snapshot};
use crate::view::format::grouped;

/// One counter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Counter {
    /// Its `data-testid` is `counter-{id}`.
    pub id: &'static str,
    pub label: &'static str,
    pub value: u64,
    pub unit: &'static str,
    pub hint: &'static str,
}

const fn counter(
    id: &'static str,
    label: &'static str,
    value: u64,
    unit: &'static str,
    hint: &'static str,
) -> Counter {
    Counter {
        id,
        label,
        value,
        unit,
        hint,
    }
}

/// The stream's counters, the mappings' (when there are any) and the other
/// functions' throttles (`other_throttles`, which the snapshot does not carry).
pub fn counters(snapshot: &Snapshot, other_throttles: u64) -> Vec<Counter> {
    let totals = &snapshot.totals;
    let sum = |f: fn(&MappingStats) -> u64| -> u64 {
        snapshot.mappings.iter().map(|m| f(&m.stats)).sum()
    };
    let mut out = vec![
        counter(
            "records-put",
            "Put",
            totals.records_put,
            "records",
            "First tries the producer made",
        ),
        counter(
            "records-written",
            "Written",
            totals.records_written,
            "records",
            "Accepted into the stream, duplicates included",
        ),
        counter(
            "put-throttled",
            "Write throttled",
            totals.put_throttled,
            "entries",
            "Rejected with ProvisionedThroughputExceededException",
        ),
        counter(
            "producer-lost",
            "Lost by producer",
            totals.producer_lost,
            "records",
            "Given up on or ignored by the producer: never written",
        ),
        counter(
            "duplicates",
            "Duplicates",
            totals.duplicates,
            "records",
            "Extra copies written because a timed-out call was retried",
        ),
        counter(
            "records-trimmed",
            "Trimmed",
            totals.records_trimmed,
            "records",
            "Left the stream through the trim horizon",
        ),
    ];
    if !snapshot.mappings.is_empty() {
        out.extend([
            counter(
                "invocations",
                "Invocations",
                sum(|s| s.invocations),
                "calls",
                "Function invocations by the mappings",
            ),
            counter(
                "errors",
                "Errors",
                sum(|s| s.function_errors),
                "calls",
                "Invocations that ended in a function error",
            ),
            counter(
                "throttles",
                "Throttles",
                sum(|s| s.throttles),
                "requests",
                "Invocations refused for lack of concurrency",
            ),
            counter(
                "expired",
                "Expired",
                sum(|s| s.expired),
                "records",
                "Left the stream before the mapping processed them",
            ),
            counter(
                "on-failure",
                "Sent to OnFailure",
                sum(|s| s.on_failure),
                "records",
                "Described in an on-failure destination message",
            ),
            counter(
                "discarded",
                "Discarded",
                sum(|s| s.discarded),
                "records",
                "Given up on with no destination: dropped",
            ),
        ]);
    }
    out.push(counter(
        "other-throttles",
        "Other functions throttled",
        other_throttles,
        "requests",
        "Requests of the account's other functions refused",
    ));
    out
}

/// The concurrency grid in a sentence.
pub fn describe_concurrency(s: &Snapshot) -> String {
    let c = &s.concurrency;
    let running: u32 = c.functions.iter().map(|f| f.running).sum();
    format!(
        "Account concurrency: {} of {} instances held by the stream's functions, {} by other functions (wanting {})",
        grouped(running.into()),
        grouped(c.limit.into()),
        grouped(c.other_running.into()),
        grouped(c.other_demand.into()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{parse_scenario, SimTime, Simulation};

    fn snapshot(json: &str, s: u64) -> Snapshot {
        let scenario = parse_scenario(json).unwrap_or_else(|e| panic!("{e}"));
        let mut sim = Simulation::new(&scenario);
        sim.run_until(SimTime(s * 1_000), usize::MAX);
        sim.snapshot()
    }

    #[test]
    fn a_stream_without_a_mapping_counts_only_the_stream_and_the_other_functions() {
        let s = snapshot(
            r#"{"format":1,"duration_s":60,"stream":{"ShardCount":1},"producer":{"records_per_s":10}}"#,
            5,
        );
        let c = counters(&s, 3);
        let ids: Vec<_> = c.iter().map(|c| c.id).collect();
        assert_eq!(
            ids,
            [
                "records-put",
                "records-written",
                "put-throttled",
                "producer-lost",
                "duplicates",
                "records-trimmed",
                "other-throttles"
            ]
        );
        assert_eq!(c[1].value, s.totals.records_written);
        assert!(c[1].value > 0);
        assert_eq!(c[6].value, 3);
    }

    #[test]
    fn a_mapping_adds_its_counters_summed_over_the_mappings() {
        let s = snapshot(
            r#"{"format":1,"duration_s":60,"stream":{"ShardCount":1},"producer":{"records_per_s":10},
            "functions":[{"FunctionName":"f"}],"event_source_mappings":[{"FunctionName":"f"}]}"#,
            10,
        );
        let c = counters(&s, 0);
        assert_eq!(c.len(), 13);
        let invocations = c.iter().find(|c| c.id == "invocations").map(|c| c.value);
        assert_eq!(invocations, Some(s.mappings[0].stats.invocations));
        assert!(invocations > Some(0));
        assert!(describe_concurrency(&s).starts_with("Account concurrency: "));
    }
}
