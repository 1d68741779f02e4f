//! The journal: what happened, in words, naming the setting responsible ("batch
//! split 100 to 50 because BisectBatchOnFunctionError is on"), for the page's event
//! log and for narration.
//!
//! Bounded twice: it keeps the last `JOURNAL_MAX` entries, and an event that repeats
//! (the same kind on the same shard and mapping) is written at most once per
//! `REPEAT_MS` of simulated time, the repeats counted into the next entry. The first
//! time each kind of trouble happens is a [`Milestone`]: the page's "run to the next
//! interesting event" stops there.
//!
//! An entry keeps what its words are made of and writes them when read
//! ([`Entry::text`]): the journal keeps 500 entries, and at 1,000 throttled shards
//! it is written a few hundred times a second, so that formatting each one when it
//! was written was a tenth of such a run's time (issue 11).

use std::collections::{BTreeMap, VecDeque};
use std::fmt::Write as _;

use super::mapping_said::Said;
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

/// What an entry says, before it is put into words: the entries written on the steady
/// path of a big run keep their figures; every other entry its sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Words {
    Text(String),
    /// A shard refused part of a second's writes.
    WriteThrottled {
        shard: u32,
        second: SimTime,
        accepted: u64,
        throttled: u64,
    },
    /// An invocation found no concurrency left (`Said::InvocationThrottled`).
    InvocationThrottled {
        shard: u32,
        function: String,
        reserved: Option<u32>,
        limit: u32,
    },
}

impl From<String> for Words {
    fn from(text: String) -> Self {
        Words::Text(text)
    }
}

impl Words {
    fn write_to(&self, out: &mut String) -> std::fmt::Result {
        match self {
            Words::Text(text) => out.write_str(text),
            Words::WriteThrottled {
                shard,
                second,
                accepted,
                throttled,
            } => write!(
                out,
                "shard {shard} took {accepted} records and throttled {throttled} in second {second} (WriteProvisionedThroughputExceeded): a shard takes 1,000 records or 1 MiB per second"
            ),
            Words::InvocationThrottled {
                shard,
                function,
                reserved,
                limit,
            } => write!(
                out,
                "{}",
                Said::InvocationThrottled {
                    shard: *shard,
                    function,
                    reserved: *reserved,
                    limit: *limit,
                }
            ),
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
    words: Words,
    /// Events like this one folded into it since the entry before of its kind.
    repeats: u64,
    pub shard: Option<u32>,
    pub mapping: Option<usize>,
    /// Set when this entry is the first of its kind of trouble.
    pub milestone: Option<Milestone>,
}

impl Entry {
    /// What happened, in words.
    pub fn text(&self) -> String {
        let mut text = String::new();
        // Writing to a String does not fail.
        let _ = self.words.write_to(&mut text);
        if self.repeats > 0 {
            let _ = write!(
                text,
                " ({} more like it since the last entry)",
                self.repeats
            );
        }
        text
    }
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
    pub fn write<W: Into<Words>>(
        &mut self,
        at: SimTime,
        kind: Kind,
        shard: Option<u32>,
        mapping: Option<usize>,
        text: impl FnOnce() -> W,
    ) {
        self.write_milestone(at, kind, shard, mapping, None, text);
    }

    /// As [`Journal::write`], and marks `milestone` the first time it happens (that
    /// entry is always written).
    pub fn write_milestone<W: Into<Words>>(
        &mut self,
        at: SimTime,
        kind: Kind,
        shard: Option<u32>,
        mapping: Option<usize>,
        milestone: Option<Milestone>,
        text: impl FnOnce() -> W,
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
        self.entries.push_back(Entry {
            number: self.written,
            at,
            kind,
            words: text().into(),
            repeats,
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
                || String::from("throttled"),
            );
        }
        let texts: Vec<String> = j.entries().map(Entry::text).collect();
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
            String::from("another shard")
        });
        assert_eq!(
            j.entries().last().map(Entry::text).as_deref(),
            Some("another shard")
        );
    }

    #[test]
    fn kept_figures_are_put_into_words_when_read() {
        let mut j = Journal::default();
        for t in 0..11 {
            j.write(
                SimTime(t * 1_000),
                Kind::WriteThrottled,
                Some(3),
                None,
                || Words::WriteThrottled {
                    shard: 3,
                    second: SimTime(t * 1_000),
                    accepted: 1_000,
                    throttled: 20 + t,
                },
            );
        }
        j.write(
            SimTime(0),
            Kind::InvocationThrottled,
            Some(1),
            Some(0),
            || Words::InvocationThrottled {
                shard: 1,
                function: "enrich".into(),
                reserved: None,
                limit: 1_000,
            },
        );
        let texts: Vec<String> = j.entries().map(Entry::text).collect();
        assert_eq!(
            texts,
            [
                "shard 3 took 1000 records and throttled 20 in second 00:00:00.000 (WriteProvisionedThroughputExceeded): a shard takes 1,000 records or 1 MiB per second",
                "shard 3 took 1000 records and throttled 30 in second 00:00:10.000 (WriteProvisionedThroughputExceeded): a shard takes 1,000 records or 1 MiB per second (9 more like it since the last entry)",
                "enrich throttled on shard 1: the account's 1000 concurrent executions are all in use (ConcurrentExecutions); the batch waits 1 s and does not use up a retry",
            ]
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
