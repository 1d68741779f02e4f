//! Side by side: the same scenario and seed run under two settings, in lockstep, with a
//! table of what differs. The page shows two stream pictures over one clock; this
//! module builds the two runs, moves them together and reads the differences.
//!
//! A comparison is a [`Variation`]: knob values for the left run and for the right,
//! applied on top of the scenario as it is set now. Both runs share the seed, so every
//! difference between them comes from the settings.

use crate::sim::{MappingStats, Scenario, SimTime, Simulation};
use crate::view::format::grouped;
use crate::view::knobs::{self, KnobId, Target};
use crate::view::picture::age;

/// Two settings to run side by side.
#[derive(Clone, Debug, PartialEq)]
pub struct Variation {
    pub title: String,
    pub left_label: String,
    pub right_label: String,
    pub left: Vec<(KnobId, f64)>,
    pub right: Vec<(KnobId, f64)>,
}

/// The knob value that makes the function report its poison records as item failures
/// (`on_poison` choice 1), so that ReportBatchItemFailures has something to act on.
const ON_POISON_REPORT: f64 = 1.0;

impl Variation {
    /// One knob at two values, labelled as the page labels it (AWS's name where AWS
    /// has one, plain words where it has none) and the knob's display.
    pub fn of_knob(id: KnobId, left: f64, right: f64) -> Variation {
        let knob = id.knob();
        Variation {
            title: format!(
                "{} {} or {}",
                knob.label(),
                knobs::display(knob, left),
                knobs::display(knob, right)
            ),
            left_label: format!("{} {}", knob.label(), knobs::display(knob, left)),
            right_label: format!("{} {}", knob.label(), knobs::display(knob, right)),
            left: vec![(id, left)],
            right: vec![(id, right)],
        }
    }
}

/// The comparisons that make sense for `scenario`: the fixes for a failing batch and
/// the ways to read faster when it has a mapping, more shards always.
pub fn presets(scenario: &Scenario) -> Vec<Variation> {
    let mut out = Vec::new();
    if !scenario.event_source_mappings.is_empty() {
        out.push(Variation::of_knob(
            KnobId::BisectBatchOnFunctionError,
            0.0,
            1.0,
        ));
        let mut partial = Variation::of_knob(KnobId::ReportBatchItemFailures, 0.0, 1.0);
        partial
            .title
            .push_str(" (the function reports the failed record)");
        partial.right.push((KnobId::OnPoison, ON_POISON_REPORT));
        partial.right_label = "ReportBatchItemFailures on, failed record reported".to_string();
        out.push(partial);
        out.push(Variation::of_knob(KnobId::MaximumRetryAttempts, -1.0, 2.0));
        if scenario
            .event_source_mappings
            .iter()
            .all(|m| m.tumbling_window_in_seconds == 0)
        {
            out.push(Variation::of_knob(KnobId::ParallelizationFactor, 1.0, 10.0));
        }
        out.push(Variation::of_knob(KnobId::BatchSize, 100.0, 10.0));
    }
    let shards = f64::from(scenario.stream.shard_count);
    let more = (shards * 2.0).min(KnobId::ShardCount.knob().max);
    if more > shards {
        out.push(Variation::of_knob(KnobId::ShardCount, shards, more));
    }
    out
}

/// `base` with the variation's values for one side, validated.
fn side(base: &Scenario, values: &[(KnobId, f64)]) -> Result<Scenario, String> {
    let target = Target::of_mapping(base, 0);
    let mut s = base.clone();
    for &(id, v) in values {
        s = knobs::rebuilt(&s, id, target, v)?;
    }
    Ok(s)
}

/// Two runs of one scenario and seed, moved together.
#[derive(Debug)]
pub struct Pair {
    pub variation: Variation,
    pub left: Simulation,
    pub right: Simulation,
}

impl Pair {
    /// Builds both runs; the error names the side and the setting refused.
    pub fn new(base: &Scenario, variation: Variation) -> Result<Pair, String> {
        let left =
            side(base, &variation.left).map_err(|e| format!("{}: {e}", variation.left_label))?;
        let right =
            side(base, &variation.right).map_err(|e| format!("{}: {e}", variation.right_label))?;
        Ok(Pair {
            variation,
            left: Simulation::new(&left),
            right: Simulation::new(&right),
        })
    }

    /// The moment both runs have reached: the clock the page shows.
    pub fn now(&self) -> SimTime {
        self.left.now().min(self.right.now())
    }

    pub fn end(&self) -> SimTime {
        self.left.end().min(self.right.end())
    }

    pub fn finished(&self) -> bool {
        self.now() >= self.end()
    }

    /// Moves both runs towards `until`, at most `max_events` events each, the one
    /// behind first. Returns whether both got there.
    pub fn run_until(&mut self, until: SimTime, max_events: usize) -> bool {
        let until = until.min(self.end());
        for sim in [&mut self.left, &mut self.right] {
            if sim.now() < until {
                sim.run_until(until, max_events);
            }
        }
        self.now() >= until
    }

    /// The table of what differs, read from both runs now.
    pub fn rows(&self) -> Vec<Row> {
        rows(&self.left, &self.right)
    }
}

/// Which value of a row is the better one, when one is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Better {
    Lower,
    Higher,
    /// Neither is better: a fact about the run (invocations, for instance).
    Neither,
}

/// Which side a row favours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Left,
    Right,
}

/// One line of the comparison table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub name: &'static str,
    pub left: String,
    pub right: String,
    pub differs: bool,
    /// The side that did better, when the values differ and one is better.
    pub better: Option<Side>,
}

impl Row {
    /// The row's name as an id: lower case, words joined by dashes.
    pub fn id(&self) -> String {
        self.name
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_ascii_lowercase)
            .collect::<Vec<_>>()
            .join("-")
    }
}

/// What each row measures, in order: name, which way is better, how to show it.
const ROWS: [(&str, Better, bool); 14] = [
    ("Records written", Better::Neither, false),
    ("Processed successfully", Better::Higher, false),
    ("Sent to the on-failure destination", Better::Lower, false),
    ("Given up, no destination", Better::Lower, false),
    ("Expired unprocessed (lost)", Better::Lower, false),
    ("Waiting", Better::Lower, false),
    ("Redelivered (processed again)", Better::Lower, false),
    ("Invocations", Better::Neither, false),
    ("Function errors", Better::Lower, false),
    ("Batches split", Better::Neither, false),
    ("Throttled invocations", Better::Lower, false),
    ("Highest IteratorAge", Better::Lower, true),
    ("Highest concurrent executions", Better::Neither, false),
    ("Other functions' throttles", Better::Lower, false),
];

/// Each row's figure for one run, in the order of [`ROWS`]. Read from the mappings'
/// counters, not a snapshot: the page asks for it every frame.
fn figures(sim: &Simulation) -> [u64; ROWS.len()] {
    let mappings = sim.mappings();
    let sum = |f: fn(&MappingStats) -> u64| -> u64 { mappings.iter().map(|m| f(&m.stats)).sum() };
    let written = sim.totals().records_written;
    let resolved = sum(|s| s.succeeded + s.on_failure + s.discarded + s.expired + s.skipped);
    let waiting = (written * mappings.len() as u64).saturating_sub(resolved);
    let max_age = mappings
        .iter()
        .map(|m| m.stats.max_iterator_age_ms)
        .max()
        .unwrap_or(0);
    [
        written,
        sum(|s| s.succeeded),
        sum(|s| s.on_failure),
        sum(|s| s.discarded),
        sum(|s| s.expired),
        waiting,
        sum(|s| s.redelivered),
        sum(|s| s.invocations),
        sum(|s| s.function_errors),
        sum(|s| s.batches_split),
        sum(|s| s.throttles),
        max_age,
        sim.max_concurrent_executions(),
        sim.other_functions_throttles(),
    ]
}

/// The comparison table for two runs: every row, with whether it differs and which
/// side did better.
pub fn rows(left: &Simulation, right: &Simulation) -> Vec<Row> {
    let (l, r) = (figures(left), figures(right));
    ROWS.iter()
        .zip(l.iter().zip(&r))
        .map(|(&(name, better, is_age), (&a, &b))| {
            let show = |v: u64| if is_age { age(v) } else { grouped(v) };
            let favoured = match better {
                _ if a == b => None,
                Better::Neither => None,
                Better::Lower => Some(if a < b { Side::Left } else { Side::Right }),
                Better::Higher => Some(if a > b { Side::Left } else { Side::Right }),
            };
            Row {
                name,
                left: show(a),
                right: show(b),
                differs: a != b,
                better: favoured,
            }
        })
        .collect()
}

/// One sentence for the reader (and the live region) on the comparison so far.
pub fn summary(rows: &[Row], variation: &Variation) -> String {
    let differing: Vec<&Row> = rows.iter().filter(|r| r.differs).collect();
    if differing.is_empty() {
        return format!(
            "So far {} and {} give the same figures.",
            variation.left_label, variation.right_label
        );
    }
    let names: Vec<String> = differing
        .iter()
        .take(3)
        .map(|r| format!("{} ({} against {})", r.name.to_lowercase(), r.left, r.right))
        .collect();
    format!(
        "{} of {} figures differ: {}.",
        differing.len(),
        rows.len(),
        names.join("; ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::parse_scenario;

    fn pill_scenario() -> Scenario {
        parse_scenario(
            r#"{
              "format": 1, "title": "pill", "seed": 7, "duration_s": 300,
              "stream": {"StreamName": "s", "ShardCount": 1},
              "producer": {"records_per_s": 50, "record_bytes": 200, "partition_keys": 100},
              "puts": [{"at_ms": 10000, "Records": [{"PartitionKey": "bad", "Data": "cG9pc29u"}]}],
              "functions": [{"FunctionName": "f", "duration_ms": 20,
                             "poison": {"data_contains": "poison"}, "on_poison": "throw"}],
              "event_source_mappings": [{"FunctionName": "f", "BatchSize": 100,
                                         "MaximumRetryAttempts": 2,
                                         "DestinationConfig": {"OnFailure": {"Destination": "arn:aws:sqs:us-east-1:123456789012:dlq"}}}]
            }"#,
        )
        .expect("the test scenario parses")
    }

    fn row<'a>(rows: &'a [Row], name: &str) -> &'a Row {
        rows.iter()
            .find(|r| r.name == name)
            .expect("the row exists")
    }

    #[test]
    fn bisect_off_and_on_differ_in_what_reaches_the_destination() {
        let base = pill_scenario();
        let v = presets(&base)
            .into_iter()
            .find(|v| v.left == vec![(KnobId::BisectBatchOnFunctionError, 0.0)])
            .expect("bisect is offered for a scenario with a mapping");
        let mut pair = Pair::new(&base, v).expect("both sides are valid");
        while !pair.finished() {
            pair.run_until(pair.end(), 100_000);
        }
        let rows = pair.rows();
        let sent = row(&rows, "Sent to the on-failure destination");
        // Without bisect the whole batch around the pill goes; with it, only the pill.
        let (l, r): (u64, u64) = (
            sent.left.replace(',', "").parse().expect("a count"),
            sent.right.replace(',', "").parse().expect("a count"),
        );
        assert!(l > 1, "without bisect a whole batch is given up: {l}");
        assert_eq!(r, 1, "with bisect only the pill is given up");
        assert!(sent.differs);
        assert_eq!(sent.id(), "sent-to-the-on-failure-destination");
        assert_eq!(sent.better, Some(Side::Right));
        assert!(row(&rows, "Batches split").differs);
        let written = row(&rows, "Records written");
        assert_eq!(
            written.left, written.right,
            "the same seed writes the same records"
        );
        assert!(!written.differs);
        assert_eq!(written.better, None);
        assert!(summary(&rows, &pair.variation).contains("differ"));
    }

    #[test]
    fn both_runs_move_in_lockstep() {
        let mut pair = Pair::new(
            &pill_scenario(),
            Variation::of_knob(KnobId::ParallelizationFactor, 1.0, 10.0),
        )
        .expect("both sides are valid");
        // A small event budget: the runs stop short, and the clock is the one behind.
        let reached = pair.run_until(SimTime::from_s(60), 50);
        assert!(!reached);
        assert_eq!(pair.now(), pair.left.now().min(pair.right.now()));
        while !pair.run_until(SimTime::from_s(60), 50) {}
        assert_eq!(pair.left.now(), SimTime::from_s(60));
        assert_eq!(pair.right.now(), SimTime::from_s(60));
        assert_eq!(pair.now(), SimTime::from_s(60));
    }

    #[test]
    fn a_side_out_of_range_is_refused_with_its_name() {
        let e = Pair::new(
            &pill_scenario(),
            Variation::of_knob(KnobId::BatchSize, 100.0, 20_000.0),
        )
        .expect_err("BatchSize 20,000 is over AWS's limit for Kinesis");
        assert!(e.contains("BatchSize"), "{e}");
        assert!(e.contains("10,000") || e.contains("10000"), "{e}");
    }

    #[test]
    fn presets_follow_the_scenario() {
        let mut s = pill_scenario();
        let titles: Vec<String> = presets(&s).into_iter().map(|v| v.title).collect();
        assert!(titles
            .iter()
            .any(|t| t.starts_with("ParallelizationFactor")));
        s.event_source_mappings.clear();
        let without: Vec<Variation> = presets(&s);
        assert_eq!(without.len(), 1, "only more shards without a mapping");
        assert_eq!(without[0].left, vec![(KnobId::ShardCount, 1.0)]);
        assert_eq!(without[0].right, vec![(KnobId::ShardCount, 2.0)]);
    }
}
