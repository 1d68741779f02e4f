//! The journal: what happened, in words, naming the setting responsible ("batch
//! split 100 to 50 because BisectBatchOnFunctionError is on"), for the page's event
//! log and for narration.
//!
//! Bounded twice: it keeps the last `JOURNAL_MAX` entries, and an event that repeats
//! (the same kind on the same shard and mapping) is written at most once per
//! `REPEAT_MS` of simulated time, the repeats counted into the next entry. The first
//! time each kind of trouble happens is a [`Milestone`]: the page's "run to the next
//! interesting event" stops there.

use std::collections::{BTreeMap, VecDeque};

use super::time::SimTime;

/// At most this many entries are kept.
pub const JOURNAL_MAX: usize = 500;
/// An event that repeats is written at most once in this much simulated time.
pub const REPEAT_MS: u64 = 10_000;

/// What an entry is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    WriteThrottled,
    ProducerLost,
    ReadThrottled,
    BatchFailed,
    BatchSplit,
    PartialFailure,
    ShardBlocked,
    ShardUnblocked,
    SentToDestination,
    Discarded,
    RecordsExpired,
    InvocationThrottled,
    OtherFunctionsThrottled,
    WindowClosed,
    /// A reshard closed shards and opened others.
    Resharded,
    Note,
}

/// The first time something worth stopping for happens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Milestone {
    FirstWriteThrottle,
    FirstProducerLoss,
    FirstBlockedShard,
    FirstExpiry,
    FirstInvocationThrottle,
    ConcurrencyLimitReached,
    FirstOtherFunctionThrottle,
    FirstOnFailure,
    FirstReadThrottle,
}

impl Milestone {
    pub fn label(self) -> &'static str {
        match self {
            Milestone::FirstWriteThrottle => "first write throttle",
            Milestone::FirstProducerLoss => "first record lost by the producer",
            Milestone::FirstBlockedShard => "first blocked shard",
            Milestone::FirstExpiry => "first records expired",
            Milestone::FirstInvocationThrottle => "first invocation throttled",
            Milestone::ConcurrencyLimitReached => "account concurrency limit reached",
            Milestone::FirstOtherFunctionThrottle => "another function throttled",
            Milestone::FirstOnFailure => "first batch given up",
            Milestone::FirstReadThrottle => "first read throttle",
        }
    }
}

/// One thing that happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Position in the whole run's journal, counting from 0 (also after old entries
    /// were dropped).
    pub number: u64,
    pub at: SimTime,
    pub kind: Kind,
    pub text: String,
    pub shard: Option<u32>,
    pub mapping: Option<usize>,
    /// Set when this entry is the first of its kind of trouble.
    pub milestone: Option<Milestone>,
}

/// What makes two events the same for folding repeats: kind, shard and mapping. The
/// shard is the index into the list kept for each kind and mapping (0 for none,
/// shard `s` at `s + 1`), so that a repeat on the steady path (a throttled shard,
/// every shard every second) is found without a search over every shard (issue 11).
type RepeatKey = (Kind, Option<usize>);

#[derive(Clone, Debug, Default)]
pub struct Journal {
    entries: VecDeque<Entry>,
    written: u64,
    /// When each (kind, shard, mapping) was last written, and repeats since.
    last: BTreeMap<RepeatKey, Vec<Option<(SimTime, u64)>>>,
    milestones: BTreeMap<Milestone, SimTime>,
}

impl Journal {
    /// Writes an entry unless the same event was written less than `REPEAT_MS` ago;
    /// `text` is only called when the entry is written.
    pub fn write(
        &mut self,
        at: SimTime,
        kind: Kind,
        shard: Option<u32>,
        mapping: Option<usize>,
        text: impl FnOnce() -> String,
    ) {
        self.write_milestone(at, kind, shard, mapping, None, text);
    }

    /// As [`Journal::write`], and marks `milestone` the first time it happens (that
    /// entry is always written).
    pub fn write_milestone(
        &mut self,
        at: SimTime,
        kind: Kind,
        shard: Option<u32>,
        mapping: Option<usize>,
        milestone: Option<Milestone>,
        text: impl FnOnce() -> String,
    ) {
        let first = milestone.filter(|m| !self.milestones.contains_key(m));
        if let Some(m) = first {
            self.milestones.insert(m, at);
        }
        let by_shard = self.last.entry((kind, mapping)).or_default();
        let i = shard.map_or(0, |s| s as usize + 1);
        if by_shard.len() <= i {
            by_shard.resize(i + 1, None);
        }
        let slot = &mut by_shard[i];
        let repeats = match slot {
            Some((when, repeats)) if first.is_none() && at.0 < when.0 + REPEAT_MS => {
                *repeats += 1;
                return;
            }
            Some((_, repeats)) => std::mem::take(repeats),
            None => 0,
        };
        *slot = Some((at, 0));
        let mut text = text();
        if repeats > 0 {
            text.push_str(&format!(" ({repeats} more like it since the last entry)"));
        }
        self.entries.push_back(Entry {
            number: self.written,
            at,
            kind,
            text,
            shard,
            mapping,
            milestone: first,
        });
        self.written += 1;
        if self.entries.len() > JOURNAL_MAX {
            self.entries.pop_front();
        }
    }

    /// The kept entries, oldest first.
    pub fn entries(&self) -> impl DoubleEndedIterator<Item = &Entry> + ExactSizeIterator {
        self.entries.iter()
    }

    /// Entries written so far, kept or not.
    pub fn written(&self) -> u64 {
        self.written
    }

    /// When each milestone was reached.
    pub fn milestones(&self) -> &BTreeMap<Milestone, SimTime> {
        &self.milestones
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_are_folded_and_milestones_kept_once() {
        let mut j = Journal::default();
        for t in 0..25 {
            j.write_milestone(
                SimTime(t * 1_000),
                Kind::WriteThrottled,
                Some(0),
                None,
                Some(Milestone::FirstWriteThrottle),
                || "throttled".into(),
            );
        }
        let texts: Vec<&str> = j.entries().map(|e| e.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "throttled",
                "throttled (9 more like it since the last entry)",
                "throttled (9 more like it since the last entry)"
            ]
        );
        assert_eq!(j.entries().filter(|e| e.milestone.is_some()).count(), 1);
        assert_eq!(
            j.milestones().get(&Milestone::FirstWriteThrottle),
            Some(&SimTime(0))
        );
        j.write(SimTime(25_000), Kind::WriteThrottled, Some(1), None, || {
            "another shard".into()
        });
        assert_eq!(
            j.entries().last().map(|e| e.text.as_str()),
            Some("another shard")
        );
    }

    #[test]
    fn the_journal_stays_bounded() {
        let mut j = Journal::default();
        for t in 0..2_000u64 {
            j.write(SimTime(t * REPEAT_MS), Kind::Note, None, None, || {
                format!("entry {t}")
            });
        }
        assert_eq!(j.entries().len(), JOURNAL_MAX);
        assert_eq!(j.written(), 2_000);
        assert_eq!(j.entries().next().map(|e| e.number), Some(1_500));
    }
}
