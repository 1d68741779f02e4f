//! The shard table (the canvas's accessible twin) and the event log, as plain rows.
//! Pure: no web APIs, so it is tested natively.

use crate::sim::{Entry, Milestone, SimTime, Snapshot};

use super::format::grouped;
use super::picture::shard_label;

/// Above this many shards the table starts collapsed.
pub const TABLE_OPEN_SHARDS_MAX: usize = 16;

/// Rows the table shows at most (the picture shows them all).
pub const TABLE_ROWS_MAX: usize = 1_024;

/// One mapping's iterator on one shard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IteratorCell {
    /// Records between the iterator and the write head.
    pub behind: u64,
    pub age: String,
    pub blocked: bool,
}

/// One shard's row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShardRow {
    pub index: u32,
    pub label: String,
    pub records: u64,
    pub incoming_last_s: u64,
    pub throttled_last_s: u64,
    /// A failed batch holds up this shard (or a lane of it) in some mapping.
    pub blocked: bool,
    pub iterators: Vec<IteratorCell>,
}

/// The rows of the shard table, in shard order.
pub fn shard_rows(snapshot: &Snapshot) -> Vec<ShardRow> {
    snapshot
        .shards
        .iter()
        .take(TABLE_ROWS_MAX)
        .enumerate()
        .map(|(i, s)| {
            let iterators: Vec<IteratorCell> = snapshot
                .mappings
                .iter()
                .map(|m| IteratorCell {
                    behind: s
                        .write_head
                        .saturating_sub(m.positions.get(i).copied().unwrap_or(s.write_head)),
                    age: age(m.iterator_age_ms.get(i).copied().unwrap_or(0)),
                    blocked: m.blocked.get(i).copied().unwrap_or(false),
                })
                .collect();
            ShardRow {
                index: i as u32,
                label: shard_label(&s.shard_id),
                records: s.records,
                incoming_last_s: s.incoming_last_s,
                throttled_last_s: s.throttled_last_s,
                blocked: iterators.iter().any(|c| c.blocked),
                iterators,
            }
        })
        .collect()
}

/// An age in words: `0 s`, `42 s`, `3 min 05 s`, `2 h 03 min`, `1 d 02 h`.
pub fn age(ms: u64) -> String {
    let s = ms / 1_000;
    match s {
        0..=59 => format!("{s} s"),
        60..=3_599 => format!("{} min {:02} s", s / 60, s % 60),
        3_600..=86_399 => format!("{} h {:02} min", s / 3_600, (s % 3_600) / 60),
        _ => format!("{} d {:02} h", s / 86_400, (s % 86_400) / 3_600),
    }
}

/// One line of the event log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogLine {
    pub number: u64,
    pub at: String,
    /// The entry's moment, for "go to this moment".
    pub at_ms: u64,
    pub text: String,
    pub milestone: Option<&'static str>,
    pub shard: Option<u32>,
    pub mapping: Option<usize>,
}

/// The newest `max` journal entries, newest first.
pub fn log_lines<'a>(
    entries: impl DoubleEndedIterator<Item = &'a Entry>,
    max: usize,
) -> Vec<LogLine> {
    entries
        .rev()
        .take(max)
        .map(|e| LogLine {
            number: e.number,
            at: e.at.to_string(),
            at_ms: e.at.as_ms(),
            text: e.text(),
            milestone: e.milestone.map(Milestone::label),
            shard: e.shard,
            mapping: e.mapping,
        })
        .collect()
}

/// What the polite live region says when a milestone is reached.
pub fn narrate(milestone: Milestone, at: SimTime) -> String {
    let label = milestone.label();
    let mut first = label.chars();
    let label = match first.next() {
        Some(c) => c.to_uppercase().chain(first).collect(),
        None => String::new(),
    };
    format!("{label} at {at}.")
}

/// `records` with thousands grouped, for the table's cells.
pub fn cell(n: u64) -> String {
    grouped(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{parse_scenario, Command, Simulation};

    #[test]
    fn ages_read_in_words() {
        assert_eq!(age(0), "0 s");
        assert_eq!(age(42_999), "42 s");
        assert_eq!(age(185_000), "3 min 05 s");
        assert_eq!(age(7_380_000), "2 h 03 min");
        assert_eq!(age(93_600_000), "1 d 02 h");
    }

    #[test]
    fn a_pill_blocks_its_shards_row_and_the_log_marks_the_milestone() {
        let s = parse_scenario(
            r#"{"format":1,"duration_s":600,"stream":{"ShardCount":2},
                "producer":{"records_per_s":10},
                "functions":[{"FunctionName":"f"}],
                "event_source_mappings":[{"FunctionName":"f"}]}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let mut sim = Simulation::new(&s);
        sim.run_until(SimTime(5_000), usize::MAX);
        sim.apply(&Command::InjectPoison {
            partition_key: "pill-1".to_string(),
        })
        .unwrap_or_else(|e| panic!("{e}"));
        sim.run_until(SimTime(60_000), usize::MAX);
        let rows = shard_rows(&sim.snapshot());
        assert_eq!(rows.len(), 2);
        assert_eq!(rows.iter().filter(|r| r.blocked).count(), 1, "{rows:?}");
        let lines = log_lines(sim.journal(), 50);
        assert!(
            lines.windows(2).all(|w| w[0].number > w[1].number),
            "newest first"
        );
        let blocked = lines
            .iter()
            .find(|l| l.milestone == Some(Milestone::FirstBlockedShard.label()))
            .unwrap_or_else(|| panic!("{lines:?}"));
        assert_eq!(
            blocked.shard,
            rows.iter().find(|r| r.blocked).map(|r| r.index)
        );
        assert_eq!(
            narrate(Milestone::FirstBlockedShard, SimTime(61_000)),
            "First blocked shard at 00:01:01.000."
        );
    }
}
