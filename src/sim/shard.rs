//! A shard: its hash key range, its records between the trim horizon and the write
//! head, and its per-shard sequence numbers.
//!
//! Records that behave alike are kept as a [`Run`]: a count of records of one size
//! from one flow, arriving evenly over a span of time. Records that matter one by one
//! (explicit puts, poison pills, traced records) are kept as a [`Record`]. A shard's
//! log is a queue of both in sequence order, so a day at 1,000 records/s is one run,
//! not 86.4 million entries, while a single record keeps its identity and place.
//!
//! Every record has an index: its position in the shard's sequence, counting from 0.
//! The index is what the simulator reasons with; [`sequence_number`] turns it into a
//! decimal string that looks and sorts like AWS's.

use std::collections::VecDeque;

use super::hash::HashKeyRange;
use super::time::{SimDuration, SimTime};

/// Records of one flow that arrived evenly: record `i` of the run (0-based) arrived
/// at `start + floor(i * span_ms / count)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    /// Shard index of the first record.
    pub first: u64,
    pub count: u64,
    pub start: SimTime,
    pub span_ms: u64,
    /// Data bytes of each record.
    pub record_bytes: u32,
    /// Partition key bytes of each record (they count toward the write limit).
    pub key_bytes: u32,
    /// The flow's own position of the first record: the producer uses it to say
    /// which partition key a record of the run carries.
    pub flow_ordinal: u64,
}

/// One record with its own identity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub index: u64,
    pub arrival: SimTime,
    pub partition_key: String,
    pub data: Vec<u8>,
    /// Which explicit put this record came from, as `(call, entry)`, if any.
    pub put: Option<(usize, usize)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment {
    Run(Run),
    One(Record),
}

impl Run {
    /// Arrival of the run's `i`-th record.
    pub fn arrival_of(&self, i: u64) -> SimTime {
        debug_assert!(i < self.count);
        // In u64 when the product fits (always, in practice): u128 division is slow.
        let offset = match i.checked_mul(self.span_ms) {
            Some(p) => p / self.count,
            None => ((u128::from(i) * u128::from(self.span_ms)) / u128::from(self.count)) as u64,
        };
        SimTime(self.start.0 + offset)
    }

    /// How many of the run's records arrived at or before `t`.
    pub fn count_arrived_by(&self, t: SimTime) -> u64 {
        if t < self.start {
            return 0;
        }
        if self.span_ms == 0 {
            return self.count;
        }
        // i is in if i*span/count <= t-start, i.e. i*span < (t-start+1)*count.
        let since = t.0 - self.start.0 + 1;
        if let Some(n) = since.checked_mul(self.count) {
            return n.div_ceil(self.span_ms).min(self.count);
        }
        let n = u128::from(since) * u128::from(self.count);
        let k = n.div_ceil(u128::from(self.span_ms));
        k.min(u128::from(self.count)) as u64
    }

    pub fn bytes_each(&self) -> u64 {
        u64::from(self.record_bytes) + u64::from(self.key_bytes)
    }
}

impl Segment {
    pub fn first_index(&self) -> u64 {
        match self {
            Segment::Run(r) => r.first,
            Segment::One(r) => r.index,
        }
    }

    pub fn count(&self) -> u64 {
        match self {
            Segment::Run(r) => r.count,
            Segment::One(_) => 1,
        }
    }

    pub fn first_arrival(&self) -> SimTime {
        match self {
            Segment::Run(r) => r.start,
            Segment::One(r) => r.arrival,
        }
    }

    fn bytes(&self) -> u64 {
        match self {
            Segment::Run(r) => r.count * r.bytes_each(),
            Segment::One(r) => (r.data.len() + r.partition_key.len()) as u64,
        }
    }
}

/// What a trim removed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Trimmed {
    pub records: u64,
    pub bytes: u64,
}

#[derive(Debug)]
pub struct Shard {
    pub index: u32,
    pub range: HashKeyRange,
    /// AWS's id of the shard ([`shard_id`]), made once: every snapshot carries it.
    id: String,
    segments: VecDeque<Segment>,
    /// How many of `segments` are records kept one by one ([`Segment::One`]): a
    /// snapshot looks for them only when there are some.
    ones: usize,
    /// The index the next record will get.
    next_index: u64,
    /// The index of the oldest record still in the shard (the trim horizon).
    horizon: u64,
    records: u64,
    bytes: u64,
    /// When a reshard closed the shard (it takes no more writes), if one did.
    closed_at: Option<SimTime>,
    /// The shards this one was split or merged from, and those it was split or
    /// merged into (indexes).
    pub parents: Vec<u32>,
    pub children: Vec<u32>,
}

/// A shard's state in its life through resharding (K-API; K-DG23 after-resharding).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShardStatus {
    /// Takes writes.
    Open,
    /// Closed by a reshard: takes no writes; its records stay readable.
    Closed,
    /// Closed, and retention has passed since: all its records are gone.
    Expired,
}

impl ShardStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ShardStatus::Open => "OPEN",
            ShardStatus::Closed => "CLOSED",
            ShardStatus::Expired => "EXPIRED",
        }
    }
}

/// The playground's fixed prefix for sequence numbers: AWS's are 56 decimal digits
/// and often begin with 49.
const SEQUENCE_PREFIX: &str = "4959";

/// A decimal sequence number for record `index` of shard `shard`: 56 digits that grow
/// with the index within a shard and are not comparable across shards, as in AWS.
pub fn sequence_number(shard: u32, index: u64) -> String {
    // Prefix (4) + a per-shard part (20) + the index (32) = 56 digits.
    let shard_part = 10_000_000_000u64 + u64::from(shard) * 7_919;
    format!("{SEQUENCE_PREFIX}{shard_part:020}{index:032}")
}

/// The shard and index a sequence number stands for, if it is one of ours.
pub fn parse_sequence_number(s: &str) -> Option<(u32, u64)> {
    if s.len() != 56 || !s.starts_with(SEQUENCE_PREFIX) || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let shard_part: u64 = s[4..24].parse().ok()?;
    let delta = shard_part.checked_sub(10_000_000_000)?;
    if delta % 7_919 != 0 {
        return None;
    }
    let shard = u32::try_from(delta / 7_919).ok()?;
    let index = s[24..].parse().ok()?;
    Some((shard, index))
}

/// The shard id AWS gives the `index`-th shard of a new stream.
pub fn shard_id(index: u32) -> String {
    format!("shardId-{index:012}")
}

impl Shard {
    pub fn new(index: u32, range: HashKeyRange) -> Self {
        Shard {
            index,
            range,
            id: shard_id(index),
            segments: VecDeque::new(),
            ones: 0,
            next_index: 0,
            horizon: 0,
            records: 0,
            bytes: 0,
            closed_at: None,
            parents: Vec::new(),
            children: Vec::new(),
        }
    }

    pub fn id(&self) -> String {
        self.id.clone()
    }

    /// Closes the shard at `at`: it takes no more writes.
    pub fn close(&mut self, at: SimTime) {
        self.closed_at.get_or_insert(at);
    }

    pub fn closed_at(&self) -> Option<SimTime> {
        self.closed_at
    }

    pub fn is_open(&self) -> bool {
        self.closed_at.is_none()
    }

    /// Open, closed, or expired at `now` with `retention`: a closed shard expires
    /// once retention has passed since it closed, when every record it took (all
    /// written before it closed) has been trimmed.
    pub fn status(&self, now: SimTime, retention: SimDuration) -> ShardStatus {
        match self.closed_at {
            None => ShardStatus::Open,
            Some(c) if now.0 >= c.0.saturating_add(retention.0) && self.records == 0 => {
                ShardStatus::Expired
            }
            Some(_) => ShardStatus::Closed,
        }
    }

    /// How many records the shard keeps one by one (explicit puts, poison pills,
    /// traced records) rather than in runs.
    pub fn ones(&self) -> usize {
        self.ones
    }

    /// Records in the shard now.
    pub fn records(&self) -> u64 {
        self.records
    }

    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// The index the next record written will get.
    pub fn write_head(&self) -> u64 {
        self.next_index
    }

    /// The index of the oldest record still readable.
    pub fn trim_horizon(&self) -> u64 {
        self.horizon
    }

    pub fn oldest_arrival(&self) -> Option<SimTime> {
        self.segments.front().map(Segment::first_arrival)
    }

    pub fn segments(&self) -> impl DoubleEndedIterator<Item = &Segment> + ExactSizeIterator {
        self.segments.iter()
    }

    /// The segments from the one that holds `index` on (all of them if `index` is
    /// below the trim horizon).
    pub fn segments_from(&self, index: u64) -> impl Iterator<Item = &Segment> {
        let n = self.segments.len();
        // Readers keep up near the write head: the last segment first, without a
        // search over the day's segments (the steady path asks several times an
        // invocation, issue 11). Segments are contiguous and in order, so this is
        // what the search would find.
        let i = match self.segments.back() {
            Some(g) if g.first_index() <= index => {
                n - usize::from(index < g.first_index() + g.count())
            }
            _ => self
                .segments
                .partition_point(|g| g.first_index() + g.count() <= index),
        };
        self.segments.range(i..)
    }

    /// The index after the last record that has arrived by `now`: a reader at `now`
    /// sees the records before it. Only the last run can reach into the future (the
    /// current second's bulk records are appended when the second starts).
    pub fn visible_end(&self, now: SimTime) -> u64 {
        match self.segments.back() {
            Some(Segment::Run(r)) => r.first + r.count_arrived_by(now),
            _ => self.next_index,
        }
    }

    /// The first index whose record arrived after `t` (the write head if none).
    pub fn first_index_after(&self, t: SimTime) -> u64 {
        let i = self.segments.partition_point(|g| match g {
            Segment::One(r) => r.arrival <= t,
            Segment::Run(r) => r.arrival_of(r.count - 1) <= t,
        });
        match self.segments.get(i) {
            None => self.next_index,
            Some(Segment::One(r)) => r.index,
            Some(Segment::Run(r)) => r.first + r.count_arrived_by(t),
        }
    }

    /// What one GetRecords call from `from` returns: records before `to`, at most
    /// `max_records` of them and `max_bytes` in all. Returns the index after the last
    /// record returned and the bytes returned.
    pub fn read(&self, from: u64, to: u64, max_records: u64, max_bytes: u64) -> (u64, u64) {
        let (mut end, mut records, mut bytes) = (from.max(self.horizon), 0u64, 0u64);
        for g in self.segments_from(end) {
            if end >= to || records >= max_records {
                break;
            }
            match g {
                Segment::One(r) => {
                    let size = (r.data.len() + r.partition_key.len()) as u64;
                    if bytes + size > max_bytes {
                        break;
                    }
                    bytes += size;
                    records += 1;
                    end = r.index + 1;
                }
                Segment::Run(r) => {
                    let each = r.bytes_each();
                    let here = (r.first + r.count).min(to) - end;
                    let fit = here
                        .min(max_records - records)
                        .min((max_bytes - bytes) / each.max(1));
                    bytes += fit * each;
                    records += fit;
                    end += fit;
                    if fit < here {
                        break;
                    }
                }
            }
        }
        (end, bytes)
    }

    /// When the shard's records arrived, as at most about `max_knots` knots `(index,
    /// arrival)` in index order: the first and last record of sampled segments, and
    /// always the oldest and the newest record. Between two knots records arrived
    /// evenly (exact within a run; an estimate across skipped segments), and a knot
    /// pair one index apart with a long time between says nothing arrived then. The
    /// picture draws a shard as a tube whose length is time from this.
    pub fn timeline(&self, max_knots: usize) -> Vec<(u64, SimTime)> {
        let n = self.segments.len();
        let mut knots = Vec::with_capacity(max_knots.min(2 * n) + 2);
        if n == 0 {
            return knots;
        }
        let stride = (2 * n).div_ceil(max_knots.max(2)).max(1);
        let mut push = |g: &Segment| {
            knots.push((g.first_index(), g.first_arrival()));
            if let Segment::Run(r) = g {
                if r.count > 1 {
                    knots.push((r.first + r.count - 1, r.arrival_of(r.count - 1)));
                }
            }
        };
        for i in (0..n).step_by(stride) {
            push(&self.segments[i]);
        }
        if (n - 1) % stride != 0 {
            push(&self.segments[n - 1]);
        }
        // The oldest record is the trim horizon's, even part way into a run.
        if let (Some(first), Some(arrival)) = (knots.first_mut(), self.arrival_at(self.horizon)) {
            *first = (self.horizon, arrival);
        }
        knots.dedup_by_key(|k| k.0);
        knots
    }

    /// When the record at `index` arrived, if it is still in the shard.
    pub fn arrival_at(&self, index: u64) -> Option<SimTime> {
        match self.segments_from(index).next()? {
            Segment::One(r) if r.index == index => Some(r.arrival),
            Segment::Run(r) if r.first <= index && index < r.first + r.count => {
                Some(r.arrival_of(index - r.first))
            }
            _ => None,
        }
    }

    /// Appends `count` records that arrive evenly over `[start, start + span_ms)`.
    /// Joins the previous run when it is the same flow continuing at nearly the same
    /// rate, so that steady load stays one run however long it lasts.
    pub fn append_run(
        &mut self,
        count: u64,
        start: SimTime,
        span_ms: u64,
        record_bytes: u32,
        key_bytes: u32,
        flow_ordinal: u64,
    ) {
        if count == 0 {
            return;
        }
        let run = Run {
            first: self.next_index,
            count,
            start,
            span_ms,
            record_bytes,
            key_bytes,
            flow_ordinal,
        };
        self.next_index += count;
        self.records += count;
        self.bytes += run.count * run.bytes_each();
        if let Some(Segment::Run(prev)) = self.segments.back_mut() {
            if joins(prev, &run) {
                prev.count += run.count;
                prev.span_ms += run.span_ms;
                return;
            }
        }
        self.segments.push_back(Segment::Run(run));
    }

    /// Appends one record arriving at `arrival`. Records of the last run that arrive
    /// later than it (they are written ahead of time for the current second and
    /// nobody can have read them yet) move behind it, so that the sequence order is
    /// the arrival order. Returns the record's index.
    pub fn append_record(
        &mut self,
        arrival: SimTime,
        partition_key: String,
        data: Vec<u8>,
        put: Option<(usize, usize)>,
    ) -> u64 {
        let tail = self.split_off_after(arrival);
        let index = self.next_index - tail.as_ref().map_or(0, |t| t.count);
        let record = Record {
            index,
            arrival,
            partition_key,
            data,
            put,
        };
        self.records += 1;
        self.bytes += (record.data.len() + record.partition_key.len()) as u64;
        self.segments.push_back(Segment::One(record));
        self.ones += 1;
        self.next_index += 1;
        if let Some(mut t) = tail {
            t.first = index + 1;
            self.segments.push_back(Segment::Run(t));
        }
        index
    }

    /// Cuts from the last run the records arriving after `t` and returns them.
    fn split_off_after(&mut self, t: SimTime) -> Option<Run> {
        let Some(Segment::Run(last)) = self.segments.back_mut() else {
            return None;
        };
        let keep = last.count_arrived_by(t);
        if keep == last.count {
            return None;
        }
        let tail_start = last.arrival_of(keep);
        let end = SimTime(last.start.0 + last.span_ms);
        let tail = Run {
            first: last.first + keep,
            count: last.count - keep,
            start: tail_start,
            span_ms: end.0.saturating_sub(tail_start.0),
            record_bytes: last.record_bytes,
            key_bytes: last.key_bytes,
            flow_ordinal: last.flow_ordinal + keep,
        };
        if keep == 0 {
            self.segments.pop_back();
        } else {
            last.count = keep;
            last.span_ms = tail_start.0 - last.start.0;
        }
        Some(tail)
    }

    /// Removes every record whose arrival is at or before `now - retention`, the
    /// records that have left the trim horizon. Returns what it removed.
    pub fn trim(&mut self, now: SimTime, retention: SimDuration) -> Trimmed {
        let mut out = Trimmed::default();
        if now.0 < retention.0 {
            return out;
        }
        let cutoff = SimTime(now.0 - retention.0);
        while let Some(front) = self.segments.front_mut() {
            if front.first_arrival() > cutoff {
                break;
            }
            match front {
                Segment::One(_) => {
                    let bytes = front.bytes();
                    self.segments.pop_front();
                    self.ones -= 1;
                    out.records += 1;
                    out.bytes += bytes;
                }
                Segment::Run(run) => {
                    let gone = run.count_arrived_by(cutoff);
                    if gone == run.count {
                        let bytes = front.bytes();
                        out.records += gone;
                        out.bytes += bytes;
                        self.segments.pop_front();
                    } else {
                        let new_start = run.arrival_of(gone);
                        out.records += gone;
                        out.bytes += gone * run.bytes_each();
                        run.span_ms -= new_start.0 - run.start.0;
                        run.start = new_start;
                        run.first += gone;
                        run.flow_ordinal += gone;
                        run.count -= gone;
                        break;
                    }
                }
            }
        }
        self.records -= out.records;
        self.bytes -= out.bytes;
        self.horizon = self
            .segments
            .front()
            .map_or(self.next_index, Segment::first_index);
        out
    }

    /// Checks the log's bookkeeping; for tests and debug builds.
    pub fn check_invariants(&self) {
        let mut expect = self.horizon;
        let (mut records, mut bytes) = (0, 0);
        let mut last_arrival = SimTime::ZERO;
        for s in &self.segments {
            assert_eq!(
                s.first_index(),
                expect,
                "shard {}: a gap or overlap in the indices",
                self.index
            );
            assert!(s.count() > 0, "shard {}: an empty segment", self.index);
            assert!(
                s.first_arrival() >= last_arrival,
                "shard {}: arrivals go backwards",
                self.index
            );
            last_arrival = match s {
                Segment::Run(r) => r.arrival_of(r.count - 1),
                Segment::One(r) => r.arrival,
            };
            expect += s.count();
            records += s.count();
            bytes += s.bytes();
        }
        assert_eq!(
            expect, self.next_index,
            "shard {}: the write head does not follow the log",
            self.index
        );
        assert_eq!(
            (records, bytes),
            (self.records, self.bytes),
            "shard {}: counts drifted",
            self.index
        );
        let ones = self
            .segments
            .iter()
            .filter(|s| matches!(s, Segment::One(_)))
            .count();
        assert_eq!(
            ones, self.ones,
            "shard {}: the count of records kept one by one drifted",
            self.index
        );
    }
}

/// Whether `next` continues `prev` closely enough to be the same run: same flow and
/// record shape, starting where `prev` ends, at a rate within 1 record per second or
/// 2% of `prev`'s (so that a rate with a fraction, 612.5/s, still makes one run).
fn joins(prev: &Run, next: &Run) -> bool {
    if prev.record_bytes != next.record_bytes
        || prev.key_bytes != next.key_bytes
        || prev.flow_ordinal + prev.count != next.flow_ordinal
        || prev.start.0 + prev.span_ms != next.start.0
        || prev.span_ms == 0
        || next.span_ms == 0
    {
        return false;
    }
    // Rates in records per second, compared without floating point.
    let a = u128::from(prev.count) * u128::from(next.span_ms);
    let b = u128::from(next.count) * u128::from(prev.span_ms);
    let diff = a.abs_diff(b);
    let span_product = u128::from(prev.span_ms) * u128::from(next.span_ms);
    // |rate_prev - rate_next| <= 1/s  <=>  diff * 1000 <= span_product.
    let within_one = diff * 1_000 <= span_product;
    let within_two_percent = diff * 50 <= a;
    within_one || within_two_percent
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::hash::even_split;

    fn shard() -> Shard {
        Shard::new(0, even_split(1)[0])
    }

    #[test]
    fn steady_seconds_join_into_one_run() {
        let mut s = shard();
        for sec in 0..86_400u64 {
            s.append_run(1_000, SimTime::from_s(sec), 1_000, 100, 8, sec * 1_000);
        }
        assert_eq!(s.segments().len(), 1);
        assert_eq!(s.records(), 86_400_000);
        assert_eq!(s.bytes(), 86_400_000 * 108);
        s.check_invariants();
    }

    #[test]
    fn a_fractional_rate_still_joins() {
        let mut s = shard();
        let mut ordinal = 0;
        for sec in 0..100u64 {
            let n = if sec % 2 == 0 { 612 } else { 613 };
            s.append_run(n, SimTime::from_s(sec), 1_000, 100, 8, ordinal);
            ordinal += n;
        }
        assert_eq!(s.segments().len(), 1);
    }

    #[test]
    fn records_kept_one_by_one_are_counted_as_they_come_and_go() {
        let mut s = shard();
        s.append_run(1_000, SimTime::from_s(0), 1_000, 100, 8, 0);
        assert_eq!(s.ones(), 0, "a run is not a record kept one by one");
        s.append_record(SimTime(1_500), "pill".into(), b"x".to_vec(), None);
        s.append_run(1_000, SimTime::from_s(2), 1_000, 100, 8, 1_000);
        s.append_record(SimTime(3_000), "put".into(), b"y".to_vec(), Some((0, 0)));
        assert_eq!(s.ones(), 2);
        s.check_invariants();
        // The trim horizon takes the first run and the first record, not the second.
        s.trim(SimTime(2_500), SimDuration(1_000));
        assert_eq!(s.ones(), 1);
        s.check_invariants();
        s.trim(SimTime(10_000), SimDuration(1_000));
        assert_eq!((s.ones(), s.records()), (0, 0));
        s.check_invariants();
    }

    #[test]
    fn a_rate_change_starts_a_new_run() {
        let mut s = shard();
        s.append_run(1_000, SimTime::from_s(0), 1_000, 100, 8, 0);
        s.append_run(300, SimTime::from_s(1), 1_000, 100, 8, 1_000);
        assert_eq!(s.segments().len(), 2);
        s.check_invariants();
    }

    #[test]
    fn arrivals_are_even_and_counted_exactly() {
        let run = Run {
            first: 0,
            count: 4,
            start: SimTime(1_000),
            span_ms: 1_000,
            record_bytes: 1,
            key_bytes: 1,
            flow_ordinal: 0,
        };
        let arrivals: Vec<u64> = (0..4).map(|i| run.arrival_of(i).0).collect();
        assert_eq!(arrivals, vec![1_000, 1_250, 1_500, 1_750]);
        assert_eq!(run.count_arrived_by(SimTime(999)), 0);
        assert_eq!(run.count_arrived_by(SimTime(1_000)), 1);
        assert_eq!(run.count_arrived_by(SimTime(1_249)), 1);
        assert_eq!(run.count_arrived_by(SimTime(1_250)), 2);
        assert_eq!(run.count_arrived_by(SimTime(1_750)), 4);
        for t in 900..2_100 {
            let brute = (0..4).filter(|&i| run.arrival_of(i).0 <= t).count() as u64;
            assert_eq!(run.count_arrived_by(SimTime(t)), brute, "t={t}");
        }
    }

    #[test]
    fn a_record_mid_second_goes_between_the_records_around_it() {
        let mut s = shard();
        s.append_run(1_000, SimTime::from_s(0), 1_000, 100, 8, 0);
        let i = s.append_record(SimTime(500), "k".into(), b"x".to_vec(), Some((0, 0)));
        assert_eq!(i, 501, "records arriving at 0..=500 ms come first");
        assert_eq!(s.write_head(), 1_001);
        let kinds: Vec<(u64, u64)> = s.segments().map(|g| (g.first_index(), g.count())).collect();
        assert_eq!(kinds, vec![(0, 501), (501, 1), (502, 499)]);
        s.check_invariants();
    }

    #[test]
    fn trimming_removes_exactly_the_records_past_retention() {
        let mut s = shard();
        s.append_run(1_000, SimTime::from_s(0), 1_000, 100, 8, 0);
        s.append_record(SimTime(1_500), "k".into(), vec![0; 10], None);
        let retention = SimDuration::from_s(10);
        assert_eq!(s.trim(SimTime(9_999), retention).records, 0);
        let t = s.trim(SimTime(10_000), retention);
        assert_eq!(
            (t.records, t.bytes),
            (1, 108),
            "only the record that arrived at 0 ms"
        );
        assert_eq!(s.trim(SimTime(10_499), retention).records, 499);
        assert_eq!(s.trim_horizon(), 500);
        assert_eq!(s.trim(SimTime(11_500), retention).records, 501);
        assert_eq!(s.records(), 0);
        assert_eq!(s.trim_horizon(), s.write_head());
        s.check_invariants();
    }

    #[test]
    fn readers_see_only_records_that_have_arrived() {
        let mut s = shard();
        s.append_run(1_000, SimTime::from_s(0), 1_000, 100, 8, 0);
        assert_eq!(s.visible_end(SimTime(0)), 1);
        assert_eq!(s.visible_end(SimTime(499)), 500);
        assert_eq!(s.visible_end(SimTime(5_000)), 1_000);
        s.append_record(SimTime(600), "k".into(), vec![], None);
        assert_eq!(
            s.visible_end(SimTime(600)),
            602,
            "601 bulk records and the explicit one"
        );
        assert_eq!(s.arrival_at(601), Some(SimTime(600)));
        assert_eq!(s.arrival_at(602), Some(SimTime(601)));
        assert_eq!(s.arrival_at(5_000), None);
        assert_eq!(
            s.segments_from(601).next().map(Segment::first_index),
            Some(601)
        );
    }

    #[test]
    fn reads_stop_at_records_bytes_or_the_end() {
        let mut s = shard();
        s.append_run(1_000, SimTime::from_s(0), 1_000, 100, 8, 0);
        s.append_record(SimTime(1_000), "key".into(), vec![0; 97], None);
        s.append_run(1_000, SimTime::from_s(1), 1_000, 100, 8, 1_000);
        assert_eq!(
            s.read(0, 2_001, 10_000, u64::MAX),
            (2_001, 2_000 * 108 + 100)
        );
        assert_eq!(s.read(0, 2_001, 10, u64::MAX), (10, 1_080));
        assert_eq!(s.read(0, 2_001, 10_000, 1_080 + 107), (10, 1_080));
        assert_eq!(
            s.read(995, 2_001, 10_000, 5 * 108 + 100),
            (1_001, 5 * 108 + 100)
        );
        assert_eq!(s.first_index_after(SimTime(499)), 500);
        assert_eq!(s.first_index_after(SimTime(999)), 1_000);
        assert_eq!(s.first_index_after(SimTime(1_000)), 1_002);
        assert_eq!(s.first_index_after(SimTime(9_000)), 2_001);
    }

    #[test]
    fn a_timeline_says_when_records_arrived_and_where_nothing_did() {
        let mut s = shard();
        assert!(s.timeline(16).is_empty());
        s.append_run(1_000, SimTime::from_s(0), 1_000, 100, 8, 0);
        // A minute with nothing written, then one record, then another second.
        s.append_record(SimTime::from_s(61), "k".into(), vec![], None);
        s.append_run(500, SimTime::from_s(62), 1_000, 100, 8, 1_000);
        assert_eq!(
            s.timeline(16),
            vec![
                (0, SimTime(0)),
                (999, SimTime(999)),
                (1_000, SimTime::from_s(61)),
                (1_001, SimTime::from_s(62)),
                (1_500, SimTime(62_998)),
            ]
        );
        // Part way into the first run, the oldest knot is the trim horizon's record.
        s.trim(SimTime(86_400_500), SimDuration::from_hours(24));
        let knots = s.timeline(16);
        assert_eq!(
            knots.first(),
            Some(&(s.trim_horizon(), s.arrival_at(s.trim_horizon()).unwrap()))
        );
        assert!(knots
            .windows(2)
            .all(|w| w[0].0 < w[1].0 && w[0].1 <= w[1].1));
        // Many segments are sampled, keeping the newest.
        for i in 0..200 {
            s.append_record(SimTime::from_s(100 + i), "k".into(), vec![], None);
        }
        let knots = s.timeline(16);
        assert!(knots.len() <= 18, "{} knots", knots.len());
        assert_eq!(
            knots.last(),
            Some(&(s.write_head() - 1, SimTime::from_s(299)))
        );
    }

    #[test]
    fn sequence_numbers_look_like_aws_and_parse_back() {
        let a = sequence_number(3, 41);
        let b = sequence_number(3, 42);
        assert_eq!(a.len(), 56);
        assert!(a < b);
        assert_eq!(parse_sequence_number(&b), Some((3, 42)));
        assert_eq!(parse_sequence_number("123"), None);
        assert_ne!(sequence_number(0, 5), sequence_number(1, 5));
        assert_eq!(shard_id(7), "shardId-000000000007");
    }
}
