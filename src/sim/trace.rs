//! Follow one record: the path of a chosen record through one mapping, step by step,
//! from its partition key and hash to its shard and lane, through every batch it was
//! in, every invocation, retry and bisect split, to its end: success, the OnFailure
//! destination, discarded, or expired (trimmed before it was processed).
//!
//! The engine fills a [`Trace`] only for the record chosen with
//! [`crate::sim::Simulation::follow`]; runs are deterministic, so a page that wants
//! the path of a record it sees now rebuilds the run with the trace on and replays it
//! to the same moment. A trace keeps at most [`TRACE_STEPS_MAX`] steps: a pill retried for
//! a day would make thousands, so the middle ones are counted, not kept, and the end
//! is always kept.

use super::esm::GiveUpCondition;
use super::hash::HashKeyRange;
use super::time::SimTime;

/// At most this many steps are kept; the end is always kept.
pub const TRACE_STEPS_MAX: usize = 120;

/// The record to follow: the `index`-th record of shard `shard`, through mapping
/// `mapping`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TraceTarget {
    pub shard: u32,
    pub index: u64,
    pub mapping: usize,
}

/// Where the record landed: known once the stream holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placement {
    pub partition_key: String,
    /// MD5 of the partition key, as a 128-bit number.
    pub hash_key: u128,
    /// The shard's hash key range, which holds `hash_key`.
    pub range: HashKeyRange,
    pub shard_id: String,
    pub sequence_number: String,
    pub arrival: SimTime,
    /// Its lane in the mapping (`MD5(key) mod ParallelizationFactor`), and the lanes.
    pub lane: u32,
    pub lanes: u32,
    /// Put one by one (an explicit put or a pill), not part of the bulk load.
    pub explicit: bool,
    pub poison: bool,
}

/// How a traced record's story ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum End {
    /// An invocation with it succeeded (or checkpointed past it).
    Succeeded,
    /// Described in an on-failure message to this destination.
    SentToDestination {
        destination: String,
        condition: GiveUpCondition,
    },
    /// Given up with no destination: dropped.
    Discarded { condition: GiveUpCondition },
    /// It left the stream (the trim horizon) before the mapping processed it.
    Expired,
    /// Written before the mapping started at its LATEST starting position: never read.
    Skipped,
}

/// One thing that happened to the record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepKind {
    /// In a batch handed to the function.
    Invoked {
        /// The lane's records in the batch, and the batch's shard indices.
        records: u64,
        start: u64,
        end: u64,
        /// 1 for the first try.
        attempt: u32,
        /// Bisect depth of the batch (0: whole).
        depth: u8,
        ends_at: SimTime,
    },
    /// No concurrency to spare: the batch waits a second without using up a retry.
    Throttled,
    /// The invocation failed (`error`, `timeout`, ...).
    Failed {
        outcome: &'static str,
    },
    /// The function reported a record at or before it as failed
    /// (ReportBatchItemFailures): it is retried with the rest from there.
    ReportedFailure {
        retried: u64,
    },
    /// The failed batch was split in two; the record is in the half of `half`
    /// records, the first half when `first`.
    Split {
        records: u64,
        half: u64,
        first: bool,
    },
    /// Retry number `retry` after `backoff_ms`.
    RetryScheduled {
        retry: u32,
        backoff_ms: u64,
    },
    End(End),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub at: SimTime,
    pub kind: StepKind,
}

/// The path of one record so far.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trace {
    pub target: TraceTarget,
    /// `None` until the stream holds the record.
    pub placement: Option<Placement>,
    pub steps: Vec<Step>,
    /// Steps not kept (over [`TRACE_STEPS_MAX`]).
    pub omitted: u64,
    /// Invocations the record was in, all of them.
    pub invocations: u32,
}

impl Trace {
    pub fn new(target: TraceTarget) -> Self {
        Trace {
            target,
            placement: None,
            steps: Vec::new(),
            omitted: 0,
            invocations: 0,
        }
    }

    /// How it ended, if it has.
    pub fn end(&self) -> Option<&End> {
        self.steps.last().and_then(|s| match &s.kind {
            StepKind::End(e) => Some(e),
            _ => None,
        })
    }

    pub fn is_over(&self) -> bool {
        self.end().is_some()
    }

    /// Whether shard `s`, lane `l`, indices `[start, end)` hold the record.
    pub fn holds(&self, s: usize, l: usize, start: u64, end: u64) -> bool {
        !self.is_over()
            && self.target.shard as usize == s
            && (start..end).contains(&self.target.index)
            && self
                .placement
                .as_ref()
                .is_some_and(|p| p.lane as usize == l)
    }

    /// Notes a step; once over, nothing more. Past [`TRACE_STEPS_MAX`] the step is counted
    /// instead, unless it is the end.
    pub fn push(&mut self, at: SimTime, kind: StepKind) {
        if self.is_over() {
            return;
        }
        if matches!(kind, StepKind::Invoked { .. }) {
            self.invocations += 1;
        }
        if self.steps.len() + 1 >= TRACE_STEPS_MAX && !matches!(kind, StepKind::End(_)) {
            self.omitted += 1;
            return;
        }
        self.steps.push(Step { at, kind });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placed() -> Trace {
        let mut t = Trace::new(TraceTarget {
            shard: 0,
            index: 5,
            mapping: 0,
        });
        t.placement = Some(Placement {
            partition_key: "k".into(),
            hash_key: 1,
            range: HashKeyRange {
                starting_hash_key: 0,
                ending_hash_key: u128::MAX,
            },
            shard_id: "shardId-000000000000".into(),
            sequence_number: "1".into(),
            arrival: SimTime(0),
            lane: 1,
            lanes: 2,
            explicit: true,
            poison: false,
        });
        t
    }

    #[test]
    fn a_trace_is_bounded_keeps_its_end_and_stops_there() {
        let mut t = placed();
        for i in 0..1_000 {
            t.push(SimTime(i), StepKind::Throttled);
        }
        assert_eq!(t.steps.len(), TRACE_STEPS_MAX - 1);
        assert_eq!(t.omitted, 1_000 - (TRACE_STEPS_MAX as u64 - 1));
        t.push(SimTime(2_000), StepKind::End(End::Expired));
        assert_eq!(t.steps.len(), TRACE_STEPS_MAX);
        assert_eq!(t.end(), Some(&End::Expired));
        t.push(SimTime(3_000), StepKind::Throttled);
        assert_eq!(t.steps.len(), TRACE_STEPS_MAX, "nothing after the end");
    }

    #[test]
    fn holds_checks_shard_lane_and_range() {
        let t = placed();
        assert!(t.holds(0, 1, 5, 6));
        assert!(!t.holds(0, 0, 0, 10), "another lane");
        assert!(!t.holds(1, 1, 0, 10), "another shard");
        assert!(!t.holds(0, 1, 6, 10), "outside the range");
        let unplaced = Trace::new(t.target);
        assert!(!unplaced.holds(0, 1, 0, 10), "not written yet");
    }
}
