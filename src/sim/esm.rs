//! The Lambda event source mapping: it polls each shard, cuts batches, invokes the
//! function, and handles what comes back, as AWS documents it.
//!
//! - Polling: each shard about once a second with a standard iterator, back to back
//!   while records wait. Standard consumers share a shard's 5 GetRecords calls and
//!   2 MiB per second; an enhanced fan-out consumer has its own 2 MiB/s. A call
//!   returns at most 10,000 records and 10 MiB, and a call that takes more than the
//!   second's 2 MiB leaves the shard refusing calls until the 2 MiB a second have
//!   paid for it: 5 s after 10 MiB (`rate_limiter::ReadLimiter`).
//! - Batching: up to BatchSize records and 6 MB of payload, from one shard (one lane
//!   of it with ParallelizationFactor > 1, see `lanes`), gathered for at most
//!   MaximumBatchingWindowInSeconds, a window that starts when the lane's previous
//!   invocation completes.
//! - Errors: a failed batch is retried, blocking its lane, until it succeeds, its
//!   records expire, MaximumRecordAgeInSeconds passes (checked record by record
//!   before each try) or MaximumRetryAttempts is used up. BisectBatchOnFunctionError
//!   splits a failed batch in two without using up a retry. With
//!   ReportBatchItemFailures the checkpoint moves to the lowest failed sequence
//!   number and the rest is retried. Given-up records go to the OnFailure
//!   destination, described by a message in AWS's format.
//! - Throttles: a batch the account cannot run is retried a second later, without
//!   using up MaximumRetryAttempts.
//! - Starting position: TRIM_HORIZON, LATEST, or AT_TIMESTAMP (the first record that
//!   arrived at or after StartingPositionTimestamp; the trim horizon if older).
//!
//! Where AWS publishes no number, the playground's choice is named here: a failed
//! batch is retried after 1 s, doubling to at most 60 s; a throttled one after 1 s;
//! a read sees a record as soon as it arrives; a retry re-reads its batch without
//! spending read throughput.

use serde_json::{json, Value};

use super::aws_messages::{self, json_string_bytes, EventSize, FailedBatch, LastResponse};
use super::concurrency::Concurrency;
use super::function::{self, Outcome};
use super::hash::encode_base64;
use super::journal::{Journal, Kind, Milestone, Words};
use super::lanes::{lane_of_key, LaneIndex};
use super::mapping_said::Said;
use super::metrics::{Metric, Metrics};
use super::producer::KeyPlan;
use super::rate_limiter::{ReadLimiter, READ_CALLS_PER_S_MAX};
use super::rng::SimRng;
use super::scenario::{FunctionConfig, FunctionResponseType, MappingConfig, StartingPosition};
use super::shard::{parse_sequence_number, sequence_number, shard_id, Record, Run, Segment, Shard};
use super::stream::Stream;
use super::time::{SimDuration, SimTime, MS_PER_S};
use super::trace::{End, StepKind, Trace};

/// GetRecords returns at most this many records a call.
pub const GET_RECORDS_MAX: u64 = 10_000;
pub use super::aws_messages::PAYLOAD_BYTES_MAX;
pub const POLL_INTERVAL_MS: u64 = 1_000;
pub const THROTTLE_RETRY_MS: u64 = 1_000;
pub const RETRY_BACKOFF_BASE_MS: u64 = 1_000;
pub const RETRY_BACKOFF_CAP_MS: u64 = 60_000;
/// At most this many invocations and event records are kept for the report.
pub const LOG_INVOCATIONS_MAX: usize = 10_000;
pub const LOG_RECORDS_MAX: u64 = 200_000;
/// At most this many on-failure messages are kept; all are counted.
pub const ON_FAILURE_MESSAGES_MAX: usize = 10_000;

/// At most this many recent give-ups are kept for drawing; all are counted.
pub const RECENT_GIVE_UPS_MAX: usize = 8;
/// At most this many recent invocations are kept for drawing; all are counted.
pub const RECENT_INVOCATIONS_MAX: usize = 64;

/// How an invocation ends, as the page shows it at the function's instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ended {
    /// Every record processed.
    Ok,
    /// ReportBatchItemFailures named a failed record: the records before it are done.
    Partial,
    /// The function threw, or its response could not be read.
    Error,
    /// The function ran until its timeout.
    Timeout,
}

impl Ended {
    fn of(outcome: &Outcome) -> Self {
        match outcome {
            Outcome::Ok => Ended::Ok,
            Outcome::Partial { .. } => Ended::Partial,
            Outcome::Error | Outcome::InvalidResponse => Ended::Error,
            Outcome::Timeout => Ended::Timeout,
        }
    }
}

/// An invocation as the page draws it: a batch handed to an instance of the function
/// at `started`, ending at `ends` as `ended` says. The outcome is decided when the
/// batch is handed over; a page shows it only once `ends` has passed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InvocationView {
    pub shard: u32,
    pub lane: u32,
    pub records: u64,
    pub started: SimTime,
    pub ends: SimTime,
    pub ended: Ended,
}

/// What wakes a mapping up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EsmEvent {
    /// Time to look at a shard: poll, start batches, retry.
    Poll { shard: u32 },
    /// An invocation on a lane has ended.
    Done(LaneId),
}

/// One lane of one shard (ParallelizationFactor lanes a shard): what the mapping
/// batches, invokes, blocks and retries, one invocation at a time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LaneId {
    pub shard: u32,
    pub lane: u32,
}

impl LaneId {
    pub fn new(shard: usize, lane: usize) -> Self {
        LaneId {
            shard: shard as u32,
            lane: lane as u32,
        }
    }

    /// The shard's index, for indexing.
    pub fn s(self) -> usize {
        self.shard as usize
    }

    /// The lane's index within its shard, for indexing.
    pub fn l(self) -> usize {
        self.lane as usize
    }
}

impl std::ops::Index<LaneId> for Vec<Reader> {
    type Output = Lane;
    // Inlined in the page's build too (opt-level "s" left it a call, 6.5% of the
    // heavy scenario's time in the browser).
    #[inline]
    fn index(&self, id: LaneId) -> &Lane {
        &self[id.s()].lanes[id.l()]
    }
}

impl std::ops::IndexMut<LaneId> for Vec<Reader> {
    #[inline]
    fn index_mut(&mut self, id: LaneId) -> &mut Lane {
        &mut self[id.s()].lanes[id.l()]
    }
}

/// What one mapping did, over the whole run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MappingStats {
    /// Records handed to the function, summed over invocations.
    pub delivered: u64,
    /// Deliveries of records that had been delivered before.
    pub redelivered: u64,
    pub succeeded: u64,
    /// Records described by an on-failure destination message.
    pub on_failure: u64,
    /// Records given up on with no destination configured: dropped, as AWS does.
    pub discarded: u64,
    /// Records that left the stream before the mapping processed them.
    pub expired: u64,
    /// Records before the mapping's LATEST starting position.
    pub skipped: u64,
    pub invocations: u64,
    pub function_errors: u64,
    pub throttles: u64,
    pub read_throttles: u64,
    pub batches_split: u64,
    pub max_iterator_age_ms: u64,
    pub on_failure_messages: u64,
    /// Tumbling windows whose final invocation succeeded: one downstream write each.
    pub windows_closed: u64,
}

/// Records the mapping gave up on at one moment: sent to the OnFailure destination,
/// or dropped with none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GiveUp {
    pub at: SimTime,
    pub shard: u32,
    pub lane: u32,
    /// The shard index the given-up range starts at.
    pub start: u64,
    pub records: u64,
    /// Described in an on-failure message; false: discarded.
    pub to_destination: bool,
    /// `RetryAttemptsExhausted` or `RecordAgeExceeded`.
    pub condition: GiveUpCondition,
}

/// Why the mapping gave records up, as AWS names it in an on-failure message's
/// `requestContext.condition`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GiveUpCondition {
    /// MaximumRetryAttempts used up.
    RetryAttemptsExhausted,
    /// Older than MaximumRecordAgeInSeconds before a try.
    RecordAgeExceeded,
}

impl GiveUpCondition {
    /// AWS's name for it.
    pub fn as_str(self) -> &'static str {
        match self {
            GiveUpCondition::RetryAttemptsExhausted => "RetryAttemptsExhausted",
            GiveUpCondition::RecordAgeExceeded => "RecordAgeExceeded",
        }
    }
}

impl std::fmt::Display for GiveUpCondition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An open tumbling window as the page shows it: the state its last successful
/// invocation returned, which the next one is handed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WindowView {
    pub shard: u32,
    pub lane: u32,
    pub start: SimTime,
    pub end: SimTime,
    /// Records the window's successful invocations processed.
    pub records: u64,
    pub state: Value,
}

/// What a batch is doing now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BatchState {
    /// The function runs it, from `started` to `ends`.
    InFlight { started: SimTime, ends: SimTime },
    /// It failed (or is a bisected half) and waits, until `until` when a backoff or a
    /// throttle holds it.
    Waiting { until: Option<SimTime> },
}

/// A batch as the page draws it: a run of a lane's records in a shard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BatchView {
    pub shard: u32,
    pub lane: u32,
    /// Shard indices `[start, end)`; with several lanes, other lanes' records lie
    /// between the batch's own.
    pub start: u64,
    pub end: u64,
    /// The lane's records in it.
    pub records: u64,
    pub state: BatchState,
    /// How many times BisectBatchOnFunctionError halved it (0: a whole batch).
    pub depth: u8,
    /// Failures so far (what MaximumRetryAttempts counts).
    pub retries: u32,
    /// Invocations so far, this one included.
    pub invokes: u32,
}

/// Records of a lane waiting to be (re)processed: `[start, end)` in shard indices,
/// counting only the lane's records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Pending {
    start: u64,
    end: u64,
    /// Function errors (or partial failures) so far: what MaximumRetryAttempts counts.
    retries: u32,
    /// Invocations so far: the on-failure message's approximateInvokeCount.
    invokes: u32,
    /// The final invocation of a tumbling window: no records, the window's state.
    window_final: bool,
    /// How many times BisectBatchOnFunctionError halved the batch this range came
    /// from (0: a whole batch). Drawn only; no rule depends on it.
    depth: u8,
}

/// A tumbling window being aggregated on a lane.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Window {
    start: SimTime,
    end: SimTime,
    records: u64,
    invocations: u32,
    /// The `state` the window's last successful invocation returned: what the next
    /// one is handed (aws-semantics.md §3, "Tumbling windows").
    state: Value,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Flight {
    outcome: Outcome,
    records: u64,
    /// Arrival of the batch's first record, with a tumbling window (None without).
    first_arrival: Option<SimTime>,
    /// With a tumbling window, the `state` the function's response carries.
    state: Option<Value>,
    /// The segments the batch was cut from, kept when a trim is about to pass the
    /// batch's start while the function runs (`expire`): its records must still be
    /// counted when the invocation ends. Until then the shard holds them as they were
    /// (appends change only records nobody has read yet), so the steady path copies
    /// nothing.
    segments: Option<Vec<Segment>>,
    /// When the invocation started and when it ends (drawn only).
    started: SimTime,
    ends: SimTime,
}

#[derive(Clone, Debug, Default)]
struct Lane {
    /// Where the next new batch starts.
    frontier: u64,
    /// Ranges to (re)process, the next on top (last).
    work: Vec<Pending>,
    in_flight: Option<Flight>,
    /// Not before this time: a retry's backoff or a throttle.
    wake_at: Option<SimTime>,
    /// The batching window's end, while gathering.
    window_until: Option<SimTime>,
    /// Everything of the lane before this index has been delivered at least once.
    delivered_to: u64,
    /// The tumbling window whose state the lane carries.
    window: Option<Window>,
    /// Since when a failed batch has held the lane up.
    blocked_since: Option<SimTime>,
    /// The batch a throttled invocation was refused with, and where it starts: the
    /// retry a second later invokes the same range, so it is not cut again (issue
    /// 11; a lane of an account at its concurrency limit is throttled about as often
    /// as it invokes).
    refused: Option<(u64, Batch)>,
}

impl Lane {
    /// Everything of the lane before this index is resolved.
    fn done_to(&self) -> u64 {
        self.work.last().map_or(self.frontier, |p| p.start)
    }
}

#[derive(Clone, Debug)]
struct Reader {
    lanes: Vec<Lane>,
    index: LaneIndex,
    /// Records before this index have been read by GetRecords.
    read_to: u64,
    /// No GetRecords before this time: after a read that returned everything there
    /// was, the next waits for the polling interval.
    no_read_before: SimTime,
    next_poll: Option<SimTime>,
    efo: ReadLimiter,
    /// The last second whose trim took records of this shard before the mapping
    /// processed them, and how many (the picture pours them into the lost bucket).
    expired_at: (u64, u64),
    /// The trim horizon `expire` last applied: nothing of the reader lies before it
    /// but a batch in flight, settled when it ends, so a horizon that has not moved
    /// needs no pass over the lanes (every second, every shard, on the steady path).
    expired_to: u64,
}

/// The records of one lane in a range of a shard, as a batch.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Batch {
    end: u64,
    records: u64,
    payload_bytes: u64,
    first: Option<u64>,
    last: Option<u64>,
    /// When the record at `last` arrived, found while cutting the batch, so that the
    /// steady path does not look it up again (issue 11).
    last_arrival: Option<SimTime>,
}

/// Everything a mapping needs from the rest of the simulation for one step.
#[derive(Debug)]
pub struct Ctx<'a> {
    pub now: SimTime,
    pub stream: &'a mut Stream,
    pub keys: Option<&'a KeyPlan>,
    pub functions: &'a [FunctionConfig],
    pub concurrency: &'a mut Concurrency,
    pub metrics: &'a mut Metrics,
    pub journal: &'a mut Journal,
    /// This mapping's index, for the journal.
    pub mapping: usize,
    pub wake: &'a mut Vec<(SimTime, EsmEvent)>,
    /// The record being followed through this mapping, if any.
    pub trace: Option<&'a mut Trace>,
}

/// Notes a step of the followed record, if lane `l` of shard `s` holds it in
/// `[start, end)`.
fn note(
    ctx: &mut Ctx<'_>,
    s: usize,
    l: usize,
    start: u64,
    end: u64,
    kind: impl FnOnce() -> StepKind,
) {
    let now = ctx.now;
    if let Some(t) = ctx.trace.as_deref_mut() {
        if t.holds(s, l, start, end) {
            t.push(now, kind());
        }
    }
}

#[derive(Debug)]
pub struct Mapping {
    pub cfg: MappingConfig,
    pub function: usize,
    readers: Vec<Reader>,
    pub stats: MappingStats,
    started: bool,
    ids: SimRng,
    pub on_failure: Vec<Value>,
    /// The newest give-ups, oldest first (at most [`RECENT_GIVE_UPS_MAX`]).
    pub recent_give_ups: std::collections::VecDeque<GiveUp>,
    /// The newest invocations, oldest first (at most [`RECENT_INVOCATIONS_MAX`]).
    pub recent_invocations: std::collections::VecDeque<InvocationView>,
    /// What each closed tumbling window handed on (its final state).
    pub windows: Vec<Value>,
    log: Option<Vec<Value>>,
    logged_records: u64,
    pub log_truncated: bool,
    stream_arn: String,
    /// What the events this mapping sends weigh (the 6 MB payload limit).
    event_size: EventSize,
}

fn arrival(shard: &Shard, index: u64) -> SimTime {
    shard.arrival_at(index).unwrap_or(SimTime::ZERO)
}

impl Mapping {
    pub fn new(
        cfg: &MappingConfig,
        function: usize,
        stream: &Stream,
        keys: Option<&KeyPlan>,
        seed: u64,
        index: usize,
        log: bool,
    ) -> Self {
        let lanes = cfg.parallelization_factor.max(1);
        let readers = (0..stream.shard_count())
            .map(|s| Reader {
                lanes: vec![Lane::default(); lanes as usize],
                index: LaneIndex::new(lanes, s, keys),
                read_to: 0,
                no_read_before: SimTime::ZERO,
                next_poll: None,
                efo: ReadLimiter::default(),
                expired_at: (0, 0),
                expired_to: 0,
            })
            .collect();
        Mapping {
            cfg: cfg.clone(),
            function,
            readers,
            stats: MappingStats::default(),
            started: false,
            ids: SimRng::child(seed, &format!("esm.{index}.ids")),
            on_failure: Vec::new(),
            recent_give_ups: std::collections::VecDeque::new(),
            recent_invocations: std::collections::VecDeque::with_capacity(RECENT_INVOCATIONS_MAX),
            windows: Vec::new(),
            log: log.then(Vec::new),
            logged_records: 0,
            log_truncated: false,
            stream_arn: aws_messages::stream_arn(&stream.name),
            event_size: EventSize::new(
                &aws_messages::stream_arn(&stream.name),
                cfg.tumbling_window_in_seconds > 0,
                None,
            ),
        }
    }

    /// Takes new settings that need no rebuild: everything but the function, the
    /// ParallelizationFactor, the starting position, the creation time and
    /// TumblingWindowInSeconds, which stay as they were.
    pub fn reconfigure(&mut self, cfg: &MappingConfig) {
        let kept = self.cfg.clone();
        self.cfg = MappingConfig {
            function_name: kept.function_name,
            created_at_ms: kept.created_at_ms,
            parallelization_factor: kept.parallelization_factor,
            starting_position: kept.starting_position,
            tumbling_window_in_seconds: kept.tumbling_window_in_seconds,
            enhanced_fan_out: kept.enhanced_fan_out,
            ..cfg.clone()
        };
    }

    pub fn created_at(&self) -> SimTime {
        SimTime(self.cfg.created_at_ms)
    }

    pub fn invocation_log(&self) -> Option<&[Value]> {
        self.log.as_deref()
    }

    fn report_item_failures(&self) -> bool {
        self.cfg
            .function_response_types
            .contains(&FunctionResponseType::ReportBatchItemFailures)
    }

    /// The mapping comes into being: it takes its starting position on every shard
    /// and polls each at once.
    pub fn start(&mut self, ctx: &mut Ctx<'_>) {
        assert!(!self.started, "a mapping starts once");
        self.started = true;
        // A function that returns a fixed state hands that on: count it in the event.
        let fixed_state = ctx.functions[self.function]
            .response
            .as_ref()
            .and_then(|r| r.get("state"))
            .map(aws_messages::json_len);
        if fixed_state.is_some() {
            self.event_size = EventSize::new(
                &self.stream_arn,
                self.cfg.tumbling_window_in_seconds > 0,
                fixed_state,
            );
        }
        let mut skipped = Vec::new();
        for (s, reader) in self.readers.iter_mut().enumerate() {
            let shard = &ctx.stream.shards[s];
            let position = match self.cfg.starting_position {
                // Records trimmed before the mapping existed left unprocessed.
                StartingPosition::TrimHorizon => {
                    self.stats.expired += shard.trim_horizon();
                    shard.trim_horizon()
                }
                StartingPosition::Latest => {
                    let p = shard.visible_end(ctx.now);
                    self.stats.skipped += p;
                    skipped.push((s, reader.lanes.len(), p));
                    p
                }
                // The first record that arrived at or after the timestamp; the trim
                // horizon if the timestamp is older (GetShardIterator AT_TIMESTAMP).
                // Records before it are skipped; if it falls at the trim horizon,
                // records trimmed before the mapping existed count as expired, as
                // with TRIM_HORIZON (their arrival times are no longer kept).
                StartingPosition::AtTimestamp => {
                    let p = at_timestamp(shard, self.cfg.starting_position_timestamp);
                    if p == shard.trim_horizon() {
                        self.stats.expired += p;
                    } else {
                        self.stats.skipped += p;
                        skipped.push((s, reader.lanes.len(), p));
                    }
                    p
                }
            };
            reader.read_to = position;
            for lane in &mut reader.lanes {
                lane.frontier = position;
                lane.delivered_to = position;
            }
            reader.next_poll = Some(ctx.now);
            ctx.wake.push((ctx.now, EsmEvent::Poll { shard: s as u32 }));
        }
        for (s, lanes, p) in skipped {
            for l in 0..lanes {
                note(ctx, s, l, 0, p, || StepKind::End(End::Skipped));
            }
        }
    }

    pub fn is_started(&self) -> bool {
        self.started
    }

    /// A reshard opened new shards (the stream's shards past the mapping's): the
    /// mapping reads each from its start, once its parents are read to their end
    /// and processed (`parents_done`), as AWS's mapping does (K-DG23
    /// after-resharding: read a parent to its end before its children, or per-key
    /// order breaks).
    pub fn add_shards(&mut self, ctx: &mut Ctx<'_>) {
        let lanes = self.cfg.parallelization_factor.max(1);
        for s in self.readers.len()..ctx.stream.shard_count() {
            self.readers.push(Reader {
                lanes: vec![Lane::default(); lanes as usize],
                index: LaneIndex::new(lanes, s, ctx.keys),
                read_to: 0,
                no_read_before: SimTime::ZERO,
                next_poll: None,
                efo: ReadLimiter::default(),
                expired_at: (0, 0),
                expired_to: 0,
            });
            if self.started {
                self.schedule_poll(s, ctx.now, ctx);
            }
        }
    }

    /// Shard `s` is closed, and everything in it has been read and processed or
    /// given up (or expired): its children can be read.
    fn finished(&self, s: usize, stream: &Stream) -> bool {
        let shard = &stream.shards[s];
        let end = shard.write_head();
        let r = &self.readers[s];
        !shard.is_open()
            && r.read_to >= end
            && r.lanes.iter().all(|l| {
                l.frontier >= end
                    && l.work.is_empty()
                    && l.in_flight.is_none()
                    && l.window.is_none()
            })
    }

    /// Every parent of shard `s` is finished (true for a shard without parents).
    fn parents_done(&self, s: usize, stream: &Stream) -> bool {
        stream.shards[s]
            .parents
            .iter()
            .all(|&p| self.finished(p as usize, stream))
    }

    /// How many of the lane's records lie in `[from, to)`.
    fn count(&self, shard: &Shard, id: LaneId, from: u64, to: u64, keys: Option<&KeyPlan>) -> u64 {
        self.count_in(shard.segments_from(from), id, from, to, keys)
    }

    /// How many of the lane's records among `segments` lie in `[from, to)`.
    fn count_in<'g>(
        &self,
        segments: impl Iterator<Item = &'g Segment>,
        id: LaneId,
        from: u64,
        to: u64,
        keys: Option<&KeyPlan>,
    ) -> u64 {
        let (s, lane) = (id.s(), id.l());
        lane_pieces(segments, &self.readers[s].index, lane, from, to, keys)
            .map(|p| p.count())
            .sum()
    }

    /// How many of the lane's records of the batch in flight `f` lie in `[from, to)`
    /// (a part of its range), counted in the segments kept for it if a trim passed.
    fn count_flight(
        &self,
        f: &Flight,
        shard: &Shard,
        id: LaneId,
        from: u64,
        to: u64,
        keys: Option<&KeyPlan>,
    ) -> u64 {
        match &f.segments {
            Some(g) => self.count_in(g.iter(), id, from, to, keys),
            None => self.count(shard, id, from, to, keys),
        }
    }

    /// The lane's next batch from `from`, reading no further than `to`.
    fn take(
        &self,
        shard: &Shard,
        s: usize,
        lane: usize,
        from: u64,
        to: u64,
        keys: Option<&KeyPlan>,
    ) -> Batch {
        let index = &self.readers[s].index;
        let lanes = index.lanes();
        let max_records = u64::from(self.cfg.batch_size);
        let window_ms = u64::from(self.cfg.tumbling_window_in_seconds) * MS_PER_S;
        let sizes = self.event_size;
        let mut b = Batch {
            end: from,
            payload_bytes: sizes.envelope_bytes(),
            ..Batch::default()
        };
        let mut window_end: Option<SimTime> = None;
        for g in shard.segments_from(from) {
            if b.end >= to {
                break;
            }
            match g {
                Segment::One(r) => {
                    if r.index < from {
                        continue;
                    }
                    if lanes > 1 && lane_of_key(&r.partition_key, lanes) != lane {
                        b.end = r.index + 1;
                        continue;
                    }
                    let size = sizes
                        .record_bytes(r.data.len() as u64, json_string_bytes(&r.partition_key));
                    let full = b.records >= max_records
                        || (b.records > 0 && b.payload_bytes + size > PAYLOAD_BYTES_MAX);
                    let other_window = window_end.is_some_and(|w| r.arrival >= w);
                    if full || other_window {
                        return b;
                    }
                    if window_ms > 0 && window_end.is_none() {
                        window_end =
                            Some(window_start(r.arrival, window_ms) + SimDuration(window_ms));
                    }
                    b.records += 1;
                    b.payload_bytes += size;
                    b.first.get_or_insert(r.index);
                    b.last = Some(r.index);
                    b.last_arrival = Some(r.arrival);
                    b.end = r.index + 1;
                }
                Segment::Run(r) => {
                    let lo = b.end.max(r.first);
                    let mut hi = to.min(r.first + r.count);
                    if lo >= hi {
                        continue;
                    }
                    let o1 = r.flow_ordinal + (lo - r.first);
                    let before = index.bulk_before(lane, o1, keys);
                    let first_o = index.nth_bulk_from(
                        lane,
                        o1,
                        before,
                        r.flow_ordinal + (hi - r.first),
                        0,
                        keys,
                    );
                    let Some(first_o) = first_o else {
                        b.end = hi;
                        continue;
                    };
                    if window_ms > 0 {
                        let w = *window_end.get_or_insert_with(|| {
                            let a = r.arrival_of(first_o - r.flow_ordinal);
                            window_start(a, window_ms) + SimDuration(window_ms)
                        });
                        hi = hi.min(r.first + r.count_arrived_by(SimTime(w.0 - 1)));
                        if hi <= lo {
                            return b;
                        }
                    }
                    let o2 = r.flow_ordinal + (hi - r.first);
                    let here = index.bulk_before(lane, o2, keys) - before;
                    let size =
                        sizes.record_bytes(u64::from(r.record_bytes), u64::from(r.key_bytes));
                    // A batch holds at least one record, however large.
                    let room_bytes = (PAYLOAD_BYTES_MAX.saturating_sub(b.payload_bytes) / size)
                        .max(u64::from(b.records == 0));
                    let room = (max_records - b.records).min(room_bytes);
                    let k = here.min(room);
                    if k > 0 {
                        let last_o = index
                            .nth_bulk_from(lane, o1, before, o2, k - 1, keys)
                            .unwrap_or(o2 - 1);
                        b.first.get_or_insert(r.first + (first_o - r.flow_ordinal));
                        b.last = Some(r.first + (last_o - r.flow_ordinal));
                        b.last_arrival = Some(r.arrival_of(last_o - r.flow_ordinal));
                        b.records += k;
                        b.payload_bytes += k * size;
                    }
                    if k < here {
                        let last = b.last.unwrap_or(lo);
                        b.end = last + 1;
                        return b;
                    }
                    b.end = hi;
                    if hi < (to.min(r.first + r.count)) {
                        // Cut at the tumbling window's end.
                        return b;
                    }
                }
            }
        }
        b.end = to.max(from);
        b
    }

    /// The trim horizon of each shard is about to move to `horizons[s]`: the lane
    /// records it will pass before the mapping processed them expire. Called before
    /// the stream trims, while the records can still be counted. A batch in flight
    /// is settled when its invocation ends.
    pub fn expire(&mut self, horizons: &[u64], ctx: &mut Ctx<'_>) {
        for (s, &horizon) in horizons.iter().enumerate() {
            if horizon <= self.readers[s].expired_to {
                continue;
            }
            self.readers[s].expired_to = horizon;
            let shard = &ctx.stream.shards[s];
            let mut gone = Vec::new();
            for l in 0..self.readers[s].lanes.len() {
                let id = LaneId::new(s, l);
                let lane = &self.readers[id];
                let skip = lane.in_flight.is_some().then(|| lane.work.len() - 1);
                let snapshot = lane
                    .in_flight
                    .as_ref()
                    .is_some_and(|f| f.segments.is_none())
                    && lane.work.last().is_some_and(|p| p.start < horizon);
                let mut expired = 0;
                let mut cuts = Vec::new();
                for (i, p) in lane.work.iter().enumerate() {
                    if Some(i) != skip && p.start < horizon {
                        let cut = horizon.min(p.end);
                        expired += self.count(shard, id, p.start, cut, ctx.keys);
                        cuts.push((i, cut));
                        gone.push((l, p.start, cut));
                    }
                }
                if lane.frontier < horizon {
                    expired += self.count(shard, id, lane.frontier, horizon, ctx.keys);
                    gone.push((l, lane.frontier, horizon));
                }
                let lane = &mut self.readers[id];
                if snapshot {
                    if let (Some(f), Some(p)) = (&mut lane.in_flight, lane.work.last()) {
                        f.segments = Some(
                            shard
                                .segments_from(p.start)
                                .take_while(|g| g.first_index() < p.end)
                                .cloned()
                                .collect(),
                        );
                    }
                }
                for (i, cut) in cuts {
                    lane.work[i].start = cut;
                }
                // A window's final invocation has no records (start == end): keep it.
                lane.work.retain(|p| p.start < p.end || p.window_final);
                lane.frontier = lane.frontier.max(horizon);
                lane.delivered_to = lane.delivered_to.max(horizon);
                if expired > 0 {
                    let second = ctx.now.second();
                    let at = &mut self.readers[s].expired_at;
                    *at = (second, if at.0 == second { at.1 } else { 0 } + expired);
                    self.stats.expired += expired;
                    ctx.metrics
                        .record(Metric::RecordsExpired, ctx.now.second(), expired);
                    let said = Said::Expired {
                        records: expired,
                        shard: s as u32,
                        function: &self.cfg.function_name,
                        retention_hours: ctx.stream.retention.as_ms() / 3_600_000,
                    };
                    ctx.journal.write_milestone(
                        ctx.now,
                        Kind::RecordsExpired,
                        Some(s as u32),
                        Some(ctx.mapping),
                        Some(Milestone::FirstExpiry),
                        || said.to_string(),
                    );
                }
            }
            for (l, a, b) in gone {
                note(ctx, s, l, a, b, || StepKind::End(End::Expired));
            }
            let reader = &mut self.readers[s];
            reader.read_to = reader.read_to.max(horizon);
        }
    }

    /// Handles an event for this mapping.
    pub fn handle(&mut self, event: EsmEvent, ctx: &mut Ctx<'_>) {
        match event {
            EsmEvent::Poll { shard } => {
                let r = &mut self.readers[shard as usize];
                if r.next_poll == Some(ctx.now) {
                    r.next_poll = None;
                }
                self.dispatch(shard as usize, ctx);
            }
            EsmEvent::Done(id) => {
                self.finish(id, ctx);
                self.dispatch(id.s(), ctx);
            }
        }
    }

    fn schedule_poll(&mut self, s: usize, at: SimTime, ctx: &mut Ctx<'_>) {
        let r = &mut self.readers[s];
        if r.next_poll.is_none_or(|p| at < p || p < ctx.now) {
            r.next_poll = Some(at);
            ctx.wake.push((at, EsmEvent::Poll { shard: s as u32 }));
        }
    }

    /// Starts what can start on shard `s`: batches on idle lanes, a read when they
    /// need records, and the next poll.
    fn dispatch(&mut self, s: usize, ctx: &mut Ctx<'_>) {
        let now = ctx.now;
        if !self.parents_done(s, ctx.stream) {
            // A child waits for its parents; a parent that finishes wakes it.
            self.schedule_poll(s, SimTime(now.0 + POLL_INTERVAL_MS), ctx);
            return;
        }
        let visible = ctx.stream.shards[s].visible_end(now);
        let mut read_wait: Option<SimTime> = None;
        for pass in 0..2 {
            let mut want_read = false;
            for l in 0..self.readers[s].lanes.len() {
                let id = LaneId::new(s, l);
                // Busy lanes that nothing holds up (most of them, with many) are passed
                // over after one look. A step never blocks a lane (only an ending
                // invocation does), so `blocked` stays true after it if it was.
                let lane = &self.readers[id];
                let busy = lane.in_flight.is_some() || lane.wake_at.is_some_and(|w| w > now);
                let blocked = lane.blocked_since.is_some();
                if !busy && self.lane_step(id, ctx) {
                    want_read = true;
                }
                if blocked {
                    self.note_unblocked(id, ctx);
                }
            }
            if !want_read || pass == 1 || visible <= self.readers[s].read_to {
                break;
            }
            let not_before = self.readers[s].no_read_before;
            if now < not_before {
                read_wait = Some(not_before);
                break;
            }
            if !self.get_records(s, visible, ctx) {
                // The limit is per second: try again when the next one starts.
                read_wait = Some(SimTime::from_s(now.second() + 1));
                break;
            }
        }
        // Lanes with nothing in flight and no backoff to sit out (gathering in a
        // batching window included) want the next poll.
        let idle = self.readers[s]
            .lanes
            .iter()
            .any(|l| l.in_flight.is_none() && l.wake_at.is_none_or(|w| w <= now));
        if self.finished(s, ctx.stream) {
            // A closed shard read to its end polls no more: its children go on.
            for c in ctx.stream.shards[s].children.clone() {
                self.schedule_poll(c as usize, now, ctx);
            }
            return;
        }
        if let Some(at) = read_wait {
            self.schedule_poll(s, at, ctx);
        } else if idle {
            self.schedule_poll(s, SimTime(now.0 + POLL_INTERVAL_MS), ctx);
        }
    }

    /// A lane that was held up by a failed batch moves again once no batch that
    /// failed is left on it.
    fn note_unblocked(&mut self, id: LaneId, ctx: &mut Ctx<'_>) {
        let lane = &mut self.readers[id];
        let Some(since) = lane.blocked_since else {
            return;
        };
        if lane.work.last().is_some_and(|p| p.invokes > 0) {
            return;
        }
        lane.blocked_since = None;
        let blocked = SimTime(ctx.now.saturating_since(since).as_ms());
        let said = Said::Unblocked {
            shard: id.shard,
            blocked,
        };
        ctx.journal.write(
            ctx.now,
            Kind::ShardUnblocked,
            Some(id.shard),
            Some(ctx.mapping),
            || said.to_string(),
        );
    }

    /// One GetRecords call on shard `s`; false if the read limit refused it.
    fn get_records(&mut self, s: usize, visible: u64, ctx: &mut Ctx<'_>) -> bool {
        let second = ctx.now.second();
        let allowed = if self.cfg.enhanced_fan_out {
            self.readers[s].efo.begin(second, None)
        } else {
            ctx.stream.read_limiters[s].begin(second, Some(READ_CALLS_PER_S_MAX))
        };
        let shard = &ctx.stream.shards[s];
        let from = self.readers[s].read_to;
        // A read that cannot return even one record within the bytes it may take (an
        // enhanced fan-out consumer's second) is refused like one over the call limit.
        let read = allowed
            .map(|max_bytes| shard.read(from, visible, GET_RECORDS_MAX, max_bytes))
            .filter(|&(end, _)| end > from);
        let Some((end, bytes)) = read else {
            self.stats.read_throttles += 1;
            if !self.cfg.enhanced_fan_out {
                let said = Said::ReadThrottled {
                    shard: s as u32,
                    function: &self.cfg.function_name,
                };
                ctx.journal.write_milestone(
                    ctx.now,
                    Kind::ReadThrottled,
                    Some(s as u32),
                    Some(ctx.mapping),
                    Some(Milestone::FirstReadThrottle),
                    || said.to_string(),
                );
            }
            if !self.cfg.enhanced_fan_out {
                ctx.metrics
                    .record(Metric::ReadProvisionedThroughputExceeded, second, 1);
            }
            return false;
        };
        if !self.cfg.enhanced_fan_out {
            let age = ctx.now.saturating_since(arrival(shard, end - 1)).as_ms();
            ctx.metrics
                .record(Metric::IteratorAgeMilliseconds, second, age);
        }
        if self.cfg.enhanced_fan_out {
            self.readers[s].efo.served(bytes);
        } else {
            ctx.stream.read_limiters[s].served(bytes);
        }
        // Back to back only while the read was cut short by a limit: more records
        // wait. Otherwise the next read waits for the polling interval.
        let cut_short = end < visible;
        self.readers[s].no_read_before = if cut_short {
            ctx.now
        } else {
            SimTime(ctx.now.0 + POLL_INTERVAL_MS)
        };
        self.readers[s].read_to = end;
        true
    }

    /// Moves lane `l` of shard `s` on if it is idle; true if it waits for records
    /// that a read could bring.
    fn lane_step(&mut self, id: LaneId, ctx: &mut Ctx<'_>) -> bool {
        let (s, l) = (id.s(), id.l());
        let now = ctx.now;
        // The batch just cut for the top range, so that it is not cut twice.
        let mut cut: Option<Batch> = None;
        loop {
            let lane = &self.readers[id];
            if lane.in_flight.is_some() || lane.wake_at.is_some_and(|w| w > now) {
                return false;
            }
            if !self.readers[id].work.is_empty() {
                if self.start_top(id, cut.take(), ctx) {
                    return false;
                }
                continue;
            }
            let (frontier, read_to) = (lane.frontier, self.readers[s].read_to);
            if let Some(w) = &lane.window {
                let shard = &ctx.stream.shards[s];
                let next = (frontier < read_to).then(|| arrival(shard, frontier));
                let window_read = shard.first_index_after(SimTime(w.end.0 - 1)) <= frontier;
                // A closed shard read to its end closes its window (windows do not
                // survive resharding; children start fresh: L-DG23).
                let shard_ended = !shard.is_open() && frontier >= shard.write_head();
                if next.is_some_and(|a| a >= w.end)
                    || (next.is_none() && now >= w.end && window_read)
                    || (next.is_none() && shard_ended)
                {
                    let last = Pending {
                        start: frontier,
                        end: frontier,
                        retries: 0,
                        invokes: 0,
                        window_final: true,
                        depth: 0,
                    };
                    self.readers[id].work.push(last);
                    continue;
                }
                if next.is_none() && now < w.end {
                    // Wake at the window's end for its final invocation.
                    self.schedule_poll(s, w.end, ctx);
                }
            }
            if frontier >= read_to {
                return true;
            }
            let b = self.take(&ctx.stream.shards[s], s, l, frontier, read_to, ctx.keys);
            if b.records == 0 {
                self.readers[id].frontier = b.end.max(frontier);
                return true;
            }
            let window_s = self.cfg.maximum_batching_window_in_seconds;
            let full = b.records >= u64::from(self.cfg.batch_size) || b.end < read_to;
            if window_s > 0 && !full {
                let until = *self.readers[id]
                    .window_until
                    .get_or_insert(SimTime(now.0 + u64::from(window_s) * MS_PER_S));
                if now < until {
                    // Through schedule_poll, which keeps one poll per shard: waking
                    // here on every dispatch made an event storm with several lanes.
                    self.schedule_poll(s, until, ctx);
                    return true;
                }
            }
            let lane = &mut self.readers[id];
            lane.window_until = None;
            lane.work.push(Pending {
                start: frontier,
                end: b.end,
                retries: 0,
                invokes: 0,
                window_final: false,
                depth: 0,
            });
            lane.frontier = b.end;
            cut = Some(b);
        }
    }

    /// Tries the top range of lane `l`: sends records past MaximumRecordAgeInSeconds
    /// to the destination, then invokes the rest. True if the lane is now busy or
    /// waiting; false if the range was used up and the lane can go on. `cut` is the
    /// batch of the whole top range when the caller has just cut it.
    fn start_top(&mut self, id: LaneId, cut: Option<Batch>, ctx: &mut Ctx<'_>) -> bool {
        let s = id.s();
        let now = ctx.now;
        let Some(mut p) = self.readers[id].work.last().copied() else {
            return false;
        };
        let whole = p.start;
        if p.window_final {
            let b = Batch {
                end: p.end,
                ..Batch::default()
            };
            return self.try_invoke(id, p, &b, ctx);
        }
        if self.cfg.maximum_record_age_in_seconds > 0 && p.start < p.end {
            let max_age_ms =
                u64::try_from(self.cfg.maximum_record_age_in_seconds).unwrap_or(0) * MS_PER_S;
            if now.0 > max_age_ms {
                let too_old = ctx.stream.shards[s]
                    .first_index_after(SimTime(now.0 - max_age_ms - 1))
                    .clamp(p.start, p.end);
                if too_old > p.start {
                    let old = Pending { end: too_old, ..p };
                    self.give_up(id, old, GiveUpCondition::RecordAgeExceeded, None, ctx);
                    p.start = too_old;
                }
            }
        }
        if p.start >= p.end {
            self.readers[id].work.pop();
            return false;
        }
        *self.readers[id]
            .work
            .last_mut()
            .unwrap_or_else(|| unreachable!()) = p;
        let b = match cut {
            Some(b) if p.start == whole => {
                debug_assert_eq!(b, self.take_range(id, p.start, p.end, ctx));
                b
            }
            _ => match self.readers[id].refused.take() {
                // Which records a range holds does not change while it waits (a trim
                // that passes its start moves the start); when the last arrived
                // may, as the second's run it lies in grows.
                Some((start, mut b)) if (start, b.end) == (p.start, p.end) => {
                    b.last_arrival = b.last.map(|i| arrival(&ctx.stream.shards[s], i));
                    debug_assert_eq!(b, self.take_range(id, p.start, p.end, ctx));
                    b
                }
                _ => self.take_range(id, p.start, p.end, ctx),
            },
        };
        if b.records == 0 {
            self.readers[id].work.pop();
            return false;
        }
        self.try_invoke(id, p, &b, ctx)
    }

    /// Invokes the function for `p` if the account has concurrency to spare; else the
    /// lane waits a second. True either way: the lane is busy or waiting.
    fn try_invoke(&mut self, id: LaneId, p: Pending, b: &Batch, ctx: &mut Ctx<'_>) -> bool {
        let (s, l) = (id.s(), id.l());
        let now = ctx.now;
        if !ctx.concurrency.try_acquire(self.function) {
            self.stats.throttles += 1;
            let reserved = ctx.functions[self.function].reserved_concurrent_executions;
            let limit = ctx.concurrency.limit();
            let milestone = if reserved.is_some() {
                Milestone::FirstInvocationThrottle
            } else {
                Milestone::ConcurrencyLimitReached
            };
            ctx.journal.write_milestone(
                now,
                Kind::InvocationThrottled,
                Some(id.shard),
                Some(ctx.mapping),
                Some(milestone),
                || Words::InvocationThrottled {
                    shard: id.shard,
                    function: self.cfg.function_name.clone(),
                    reserved,
                    limit,
                },
            );
            ctx.metrics.record(Metric::Throttles, now.second(), 1);
            note(ctx, s, l, p.start, p.end, || StepKind::Throttled);
            let at = SimTime(now.0 + THROTTLE_RETRY_MS);
            self.readers[id].wake_at = Some(at);
            if !p.window_final {
                self.readers[id].refused = Some((p.start, b.clone()));
            }
            ctx.wake.push((at, EsmEvent::Poll { shard: id.shard }));
            return true;
        }
        self.invoke(id, p, b, ctx);
        true
    }

    /// The lane's records in exactly `[start, end)` as a batch.
    fn take_range(&self, id: LaneId, start: u64, end: u64, ctx: &Ctx<'_>) -> Batch {
        let (s, l) = (id.s(), id.l());
        let index = &self.readers[s].index;
        let mut b = Batch {
            end,
            payload_bytes: self.event_size.envelope_bytes(),
            ..Batch::default()
        };
        // Piece by piece: counts, ends and sizes come from arithmetic, not record by record.
        for piece in lane_pieces(
            ctx.stream.shards[s].segments_from(start),
            index,
            l,
            start,
            end,
            ctx.keys,
        ) {
            let c = piece.count();
            if b.first.is_none() {
                b.first = piece.nth(0, index, l, ctx.keys);
            }
            let last = piece.nth_arrival(c - 1, index, l, ctx.keys);
            b.last = last.map(|(i, _)| i);
            b.last_arrival = last.map(|(_, a)| a);
            b.records += c;
            b.payload_bytes += c * piece.event_bytes_each(self.event_size);
        }
        b
    }

    /// The index of the lane's `k`-th (0-based) record in `[start, end)`.
    fn nth_record(
        &self,
        shard: &Shard,
        id: LaneId,
        start: u64,
        end: u64,
        mut k: u64,
        keys: Option<&KeyPlan>,
    ) -> Option<u64> {
        let (s, l) = (id.s(), id.l());
        let index = &self.readers[s].index;
        for piece in lane_pieces(shard.segments_from(start), index, l, start, end, keys) {
            let c = piece.count();
            if k < c {
                return piece.nth(k, index, l, keys);
            }
            k -= c;
        }
        None
    }

    /// The first poison record among the lane's records in `[start, end)`: only
    /// records put one by one can be poison.
    fn first_poison(
        &self,
        shard: &Shard,
        id: LaneId,
        start: u64,
        end: u64,
        f: &FunctionConfig,
    ) -> Option<u64> {
        let (s, l) = (id.s(), id.l());
        if f.poison.partition_keys.is_empty()
            && f.poison.data_contains.as_deref().is_none_or(str::is_empty)
        {
            return None;
        }
        lane_pieces(
            shard.segments_from(start),
            &self.readers[s].index,
            l,
            start,
            end,
            None,
        )
        .find_map(|p| match p {
            Piece::One(r) if function::is_poison(f, &r.partition_key, &r.data) => Some(r.index),
            _ => None,
        })
    }

    /// Calls `f` for every lane record in `[start, end)` in order, until it returns
    /// true. For individual records the view holds key and data; for bulk records the
    /// synthetic ones.
    fn visit(
        &self,
        shard: &Shard,
        id: LaneId,
        start: u64,
        end: u64,
        keys: Option<&KeyPlan>,
        f: &mut dyn FnMut(u64, RecordView<'_>) -> bool,
    ) {
        let (s, l) = (id.s(), id.l());
        let index = &self.readers[s].index;
        for piece in lane_pieces(shard.segments_from(start), index, l, start, end, keys) {
            match piece {
                Piece::One(r) => {
                    let v = RecordView {
                        key: r.partition_key.clone(),
                        data: Some(&r.data),
                        data_len: r.data.len() as u64,
                        arrival: r.arrival,
                    };
                    if f(r.index, v) {
                        return;
                    }
                }
                Piece::Bulk { run, o1, o2, .. } => {
                    let mut k = 0;
                    while let Some(o) = index.nth_bulk(l, o1, o2, k, keys) {
                        let key = keys.map_or_else(String::new, |p| p.key_name(p.key_for(s, o)));
                        let v = RecordView {
                            key,
                            data: None,
                            data_len: u64::from(run.record_bytes),
                            arrival: run.arrival_of(o - run.flow_ordinal),
                        };
                        if f(run.first + (o - run.flow_ordinal), v) {
                            return;
                        }
                        k += 1;
                    }
                }
            }
        }
    }

    fn invoke(&mut self, id: LaneId, mut p: Pending, b: &Batch, ctx: &mut Ctx<'_>) {
        let (s, l) = (id.s(), id.l());
        let now = ctx.now;
        let second = now.second();
        let f = &ctx.functions[self.function];
        let shard = &ctx.stream.shards[s];
        let poison = self
            .first_poison(shard, id, p.start, p.end, f)
            .map(|i| sequence_number(id.shard, i));
        let lanes = self.readers[s].index.lanes();
        let (start, end) = (p.start, p.end);
        let batch_has = |seq: &str| {
            parse_sequence_number(seq).is_some_and(|(sh, i)| {
                sh as usize == s
                    && (start..end).contains(&i)
                    && shard.segments_from(i).next().is_some_and(|g| match g {
                        Segment::One(r) => {
                            r.index == i
                                && (lanes == 1 || lane_of_key(&r.partition_key, lanes) == l)
                        }
                        Segment::Run(_) => true,
                    })
            })
        };
        let (mut outcome, duration_ms, mut response) = function::invoke(
            f,
            b.records,
            poison.as_deref(),
            self.report_item_failures(),
            &batch_has,
        );
        if self.cfg.tumbling_window_in_seconds > 0 && outcome == Outcome::Ok {
            // With a tumbling window the response must carry the state onward. The
            // function works it out from the state the event hands it: the window's
            // last returned state, or empty in a new window.
            match &response {
                Some(v) if v.get("state").is_none() => outcome = Outcome::InvalidResponse,
                Some(_) => {}
                None => {
                    let incoming = self.readers[id]
                        .window
                        .as_ref()
                        .map_or_else(|| json!({}), |w| w.state.clone());
                    let state = function::window_state(f, &incoming, b.records, |field| {
                        let mut sum = 0.0;
                        self.visit(shard, id, p.start, p.end, ctx.keys, &mut |i, v| {
                            sum += match v.data {
                                Some(d) => function::numeric_field(d, field),
                                None => function::numeric_field(
                                    &synthetic_data(s, i, v.data_len),
                                    field,
                                ),
                            };
                            false
                        });
                        sum
                    });
                    response = Some(json!({ "state": state }));
                }
            }
        }
        let returned_state = response.as_ref().and_then(|v| v.get("state")).cloned();
        debug_assert_eq!(b.last_arrival, b.last.map(|i| arrival(shard, i)));
        let last_arrival = b.last_arrival.unwrap_or(now);
        let age = now.saturating_since(last_arrival).as_ms();
        self.stats.max_iterator_age_ms = self.stats.max_iterator_age_ms.max(age);
        ctx.metrics.record(Metric::IteratorAge, second, age);
        if p.invokes > 0 && !self.cfg.enhanced_fan_out {
            // A retry reads its batch again from the checkpoint.
            ctx.metrics
                .record(Metric::IteratorAgeMilliseconds, second, age);
        }
        ctx.metrics.record(Metric::Invocations, second, 1);
        self.stats.invocations += 1;
        self.stats.delivered += b.records;
        let lane = &self.readers[id];
        let fresh_from = lane.delivered_to.clamp(p.start, p.end);
        let fresh = if fresh_from == p.start {
            b.records
        } else {
            self.count(shard, id, fresh_from, p.end, ctx.keys)
        };
        self.stats.redelivered += b.records - fresh.min(b.records);
        if fresh < b.records {
            ctx.metrics.record(Metric::Retries, second, 1);
        }
        if outcome.is_function_error() {
            self.stats.function_errors += 1;
            ctx.metrics.record(Metric::Errors, second, 1);
        }
        let end_at = SimTime(now.0 + duration_ms);
        note(ctx, s, l, p.start, p.end, || StepKind::Invoked {
            records: b.records,
            start: p.start,
            end: p.end,
            attempt: p.invokes + 1,
            depth: p.depth,
            ends_at: end_at,
        });
        self.log_invocation(id, &p, end_at, &outcome, response, ctx);
        p.invokes += 1;
        let lane = &mut self.readers[id];
        lane.delivered_to = lane.delivered_to.max(p.end);
        *lane.work.last_mut().unwrap_or_else(|| unreachable!()) = p;
        // Only a tumbling window reads it: no lookup on the steady path.
        let first_arrival = (self.cfg.tumbling_window_in_seconds > 0)
            .then(|| b.first.map(|i| arrival(&ctx.stream.shards[s], i)))
            .flatten();
        if self.recent_invocations.len() >= RECENT_INVOCATIONS_MAX {
            self.recent_invocations.pop_front();
        }
        self.recent_invocations.push_back(InvocationView {
            shard: id.shard,
            lane: id.lane,
            records: b.records,
            started: now,
            ends: end_at,
            ended: Ended::of(&outcome),
        });
        let lane = &mut self.readers[id];
        lane.in_flight = Some(Flight {
            outcome,
            records: b.records,
            first_arrival,
            state: returned_state,
            segments: None,
            started: now,
            ends: end_at,
        });
        ctx.wake.push((end_at, EsmEvent::Done(id)));
    }

    /// An invocation on lane `l` of shard `s` has ended: act on its outcome.
    fn finish(&mut self, id: LaneId, ctx: &mut Ctx<'_>) {
        let (s, l) = (id.s(), id.l());
        ctx.concurrency.release(self.function);
        let lane = &mut self.readers[id];
        let Some(mut p) = lane.work.last().copied() else {
            unreachable!("an invocation ended with no batch");
        };
        // The steady path: a success outside a tumbling window needs only the count,
        // so the flight is not moved out of the lane (issue 11).
        if let Some(Flight {
            outcome: Outcome::Ok,
            records,
            ..
        }) = lane.in_flight
        {
            if self.cfg.tumbling_window_in_seconds == 0 {
                lane.in_flight = None;
                lane.work.pop();
                note(ctx, s, l, p.start, p.end, || StepKind::End(End::Succeeded));
                self.stats.succeeded += records;
                return;
            }
        }
        let Some(flight) = lane.in_flight.take() else {
            unreachable!("an invocation ended on an idle lane");
        };
        if flight.outcome == Outcome::Ok {
            note(ctx, s, l, p.start, p.end, || StepKind::End(End::Succeeded));
            self.stats.succeeded += flight.records;
            self.readers[id].work.pop();
            if self.cfg.tumbling_window_in_seconds > 0 {
                self.advance_window(id, &p, &flight, ctx);
            }
            return;
        }
        // Whether a partial response moved the checkpoint: the records from the failed
        // item on are then a new batch.
        let mut moved = false;
        if let Outcome::Partial {
            from_sequence_number,
        } = &flight.outcome
        {
            let done = self.count_flight(
                &flight,
                &ctx.stream.shards[s],
                id,
                p.start,
                parse_sequence_number(from_sequence_number)
                    .map_or(p.start, |(_, i)| i)
                    .clamp(p.start, p.end),
                ctx.keys,
            );
            let said = Said::PartialFailure {
                shard: id.shard,
                function: &self.cfg.function_name,
                done,
                rest: flight.records - done,
            };
            ctx.journal.write(
                ctx.now,
                Kind::PartialFailure,
                Some(id.shard),
                Some(ctx.mapping),
                || said.to_string(),
            );
            let at = parse_sequence_number(from_sequence_number)
                .map_or(p.start, |(_, i)| i)
                .clamp(p.start, p.end);
            self.stats.succeeded +=
                self.count_flight(&flight, &ctx.stream.shards[s], id, p.start, at, ctx.keys);
            note(ctx, s, l, p.start, at, || StepKind::End(End::Succeeded));
            note(ctx, s, l, at, p.end, || StepKind::ReportedFailure {
                retried: flight.records - done,
            });
            moved = at > p.start;
            p.start = at;
        }
        // Records that left the stream while the function ran have expired.
        let horizon = ctx.stream.shards[s].trim_horizon();
        if p.start < horizon {
            let cut = horizon.min(p.end);
            let n = self.count_flight(&flight, &ctx.stream.shards[s], id, p.start, cut, ctx.keys);
            note(ctx, s, l, p.start, cut, || StepKind::End(End::Expired));
            self.stats.expired += n;
            ctx.metrics
                .record(Metric::RecordsExpired, ctx.now.second(), n);
            p.start = cut;
        }
        if moved {
            // The checkpoint moved: AWS treats the records from the failed item on as a
            // new batch whose attempts are counted afresh, so a failing item is
            // delivered MaximumRetryAttempts + 1 times after the move (issue 15,
            // item 5; ../shared/reference/aws-semantics.md §3, "ReportBatchItemFailures":
            // Lambda checkpoints at the lowest failed sequence number and retries from
            // there). It is tried at once, as a next batch is.
            p.retries = 0;
            p.invokes = 0;
            let lane = &mut self.readers[id];
            *lane.work.last_mut().unwrap_or_else(|| unreachable!()) = p;
            if p.start >= p.end {
                lane.work.pop();
            }
            return;
        }
        let left = self.count(&ctx.stream.shards[s], id, p.start, p.end, ctx.keys);
        let partial = matches!(flight.outcome, Outcome::Partial { .. });
        if !partial {
            let outcome = flight.outcome.word();
            note(ctx, s, l, p.start, p.end, || StepKind::Failed { outcome });
        }
        if left > 0 && self.readers[id].blocked_since.is_none() {
            self.readers[id].blocked_since = Some(ctx.now);
            let said = Said::Blocked {
                shard: id.shard,
                lane: (self.readers[s].lanes.len() > 1).then_some(id.lane),
            };
            ctx.journal.write_milestone(
                ctx.now,
                Kind::ShardBlocked,
                Some(id.shard),
                Some(ctx.mapping),
                Some(Milestone::FirstBlockedShard),
                || said.to_string(),
            );
        }
        if self.cfg.bisect_batch_on_function_error && !partial && left > 1 {
            let said = Said::Split {
                shard: id.shard,
                records: left,
                outcome: flight.outcome.word(),
            };
            ctx.journal.write(
                ctx.now,
                Kind::BatchSplit,
                Some(id.shard),
                Some(ctx.mapping),
                || said.to_string(),
            );
            self.bisect(id, p, left, ctx);
        } else {
            p.retries += 1;
            self.after_failure(id, p, &flight.outcome, ctx);
        }
    }

    /// A tumbling window's invocation succeeded: the state grows, or, after the
    /// window's final invocation, its result is handed on and the window closes.
    fn advance_window(&mut self, id: LaneId, p: &Pending, flight: &Flight, ctx: &mut Ctx<'_>) {
        let lane = &mut self.readers[id];
        if p.window_final {
            if let Some(w) = lane.window.take() {
                self.stats.windows_closed += 1;
                let said = Said::WindowClosed {
                    shard: id.shard,
                    start: w.start,
                    end: w.end,
                    records: w.records,
                    window_s: self.cfg.tumbling_window_in_seconds,
                };
                ctx.journal.write(
                    ctx.now,
                    Kind::WindowClosed,
                    Some(id.shard),
                    Some(ctx.mapping),
                    || said.to_string(),
                );
                if self.windows.len() < ON_FAILURE_MESSAGES_MAX {
                    self.windows.push(json!({
                        "FunctionName": self.cfg.function_name,
                        "shardId": shard_id(id.shard),
                        "window": { "start": w.start.iso8601(), "end": w.end.iso8601() },
                        "records": w.records,
                        "invocations": w.invocations + 1,
                        "written_at": ctx.now.iso8601(),
                        // What the final invocation returned: the window's result.
                        "state": flight.state.clone().unwrap_or(w.state),
                    }));
                }
            }
            return;
        }
        let size_ms = u64::from(self.cfg.tumbling_window_in_seconds) * MS_PER_S;
        let first = flight.first_arrival.unwrap_or(ctx.now);
        let w = lane.window.get_or_insert_with(|| {
            let start = window_start(first, size_ms);
            Window {
                start,
                end: SimTime(start.0 + size_ms),
                records: 0,
                invocations: 0,
                state: json!({}),
            }
        });
        w.records += flight.records;
        w.invocations += 1;
        w.state = flight.state.clone().unwrap_or_else(|| json!({}));
    }

    /// Splits `p`, the top range, in two halves of the lane's records; the first
    /// half is tried next, at once. The split does not use up a retry.
    fn bisect(&mut self, id: LaneId, p: Pending, records: u64, ctx: &mut Ctx<'_>) {
        let (s, l) = (id.s(), id.l());
        let mid = self
            .nth_record(
                &ctx.stream.shards[s],
                id,
                p.start,
                p.end,
                records / 2,
                ctx.keys,
            )
            .unwrap_or(p.end);
        self.stats.batches_split += 1;
        let first = records / 2;
        note(ctx, s, l, p.start, mid, || StepKind::Split {
            records,
            half: first,
            first: true,
        });
        note(ctx, s, l, mid, p.end, || StepKind::Split {
            records,
            half: records - first,
            first: false,
        });
        let lane = &mut self.readers[id];
        lane.work.pop();
        let depth = p.depth.saturating_add(1);
        lane.work.push(Pending {
            start: mid,
            depth,
            ..p
        });
        lane.work.push(Pending {
            end: mid,
            depth,
            ..p
        });
    }

    /// After a failed try of the top range: retry it later, or give it up once
    /// MaximumRetryAttempts is used up.
    fn after_failure(&mut self, id: LaneId, p: Pending, outcome: &Outcome, ctx: &mut Ctx<'_>) {
        let (s, l) = (id.s(), id.l());
        let lane = &mut self.readers[id];
        *lane.work.last_mut().unwrap_or_else(|| unreachable!()) = p;
        if p.start >= p.end && !p.window_final {
            lane.work.pop();
            return;
        }
        let max = self.cfg.maximum_retry_attempts;
        if max >= 0 && i64::from(p.retries) > i64::from(max) {
            lane.work.pop();
            self.give_up(
                id,
                p,
                GiveUpCondition::RetryAttemptsExhausted,
                Some(outcome),
                ctx,
            );
            return;
        }
        let backoff = RETRY_BACKOFF_BASE_MS
            .saturating_mul(1 << (p.retries.saturating_sub(1)).min(16))
            .min(RETRY_BACKOFF_CAP_MS);
        let at = SimTime(ctx.now.0 + backoff);
        note(ctx, s, l, p.start, p.end, || StepKind::RetryScheduled {
            retry: p.retries,
            backoff_ms: backoff,
        });
        let said = Said::BatchFailed {
            shard: id.shard,
            outcome: outcome.word(),
            retry: p.retries,
            backoff_ms: backoff,
            maximum_retry_attempts: max,
        };
        ctx.journal.write(
            ctx.now,
            Kind::BatchFailed,
            Some(id.shard),
            Some(ctx.mapping),
            || said.to_string(),
        );
        let lane = &mut self.readers[id];
        lane.wake_at = Some(at);
        ctx.wake.push((at, EsmEvent::Poll { shard: id.shard }));
    }

    /// Gives up the lane's records in `p`: one on-failure message describes them,
    /// or, with no destination, they are dropped.
    fn give_up(
        &mut self,
        id: LaneId,
        p: Pending,
        reason: GiveUpCondition,
        outcome: Option<&Outcome>,
        ctx: &mut Ctx<'_>,
    ) {
        let (s, l) = (id.s(), id.l());
        let b = self.take_range(id, p.start, p.end, ctx);
        if b.records == 0 {
            return;
        }
        let condition = reason;
        let setting = match reason {
            GiveUpCondition::RecordAgeExceeded => self.cfg.maximum_record_age_in_seconds,
            GiveUpCondition::RetryAttemptsExhausted => self.cfg.maximum_retry_attempts,
        };
        if self.recent_give_ups.len() >= RECENT_GIVE_UPS_MAX {
            self.recent_give_ups.pop_front();
        }
        self.recent_give_ups.push_back(GiveUp {
            at: ctx.now,
            shard: id.shard,
            lane: id.lane,
            start: p.start,
            records: b.records,
            to_destination: self.cfg.destination_config.on_failure.destination.is_some(),
            condition,
        });
        let destination = self.cfg.destination_config.on_failure.destination.clone();
        note(ctx, s, l, p.start, p.end, || {
            StepKind::End(match &destination {
                Some(d) => End::SentToDestination {
                    destination: d.clone(),
                    condition,
                },
                None => End::Discarded { condition },
            })
        });
        let Some(destination) = destination else {
            self.stats.discarded += b.records;
            let said = Said::GaveUp {
                shard: id.shard,
                records: b.records,
                condition,
                setting,
                destination: None,
            };
            ctx.journal.write_milestone(
                ctx.now,
                Kind::Discarded,
                Some(id.shard),
                Some(ctx.mapping),
                Some(Milestone::FirstOnFailure),
                || said.to_string(),
            );
            return;
        };
        let said = Said::GaveUp {
            shard: id.shard,
            records: b.records,
            condition,
            setting,
            destination: Some(&destination),
        };
        ctx.journal.write_milestone(
            ctx.now,
            Kind::SentToDestination,
            Some(id.shard),
            Some(ctx.mapping),
            Some(Milestone::FirstOnFailure),
            || said.to_string(),
        );
        self.stats.on_failure += b.records;
        self.stats.on_failure_messages += 1;
        if self.on_failure.len() >= ON_FAILURE_MESSAGES_MAX {
            return;
        }
        let shard = &ctx.stream.shards[s];
        let (first, last_index) = (b.first.unwrap_or(p.start), b.last.unwrap_or(p.start));
        let last = match outcome {
            None => LastResponse::None,
            Some(o) if o.is_function_error() => LastResponse::FunctionError,
            Some(_) => LastResponse::Answered,
        };
        // A record that reached MaximumRecordAgeInSeconds before its batch was ever
        // invoked still counts 1, as in the messages AWS sent (issue 15, item 4;
        // LS snapshot `test_kinesis_maximum_record_age_exceeded[expire-before-ingestion]`,
        // ../shared/reference/aws-semantics.md's source key LS).
        let invoke_count = p.invokes.max(1);
        let request_id = self.uuid();
        let mut message = aws_messages::on_failure_message(
            &request_id,
            &self.cfg.function_name,
            condition.as_str(),
            invoke_count,
            last,
            ctx.now,
            &FailedBatch {
                shard: id.shard,
                first,
                last: last_index,
                first_arrival: arrival(shard, first),
                last_arrival: arrival(shard, last_index),
                records: b.records,
                stream_arn: &self.stream_arn,
            },
        );
        if destination.starts_with("arn:aws:s3:") {
            message["payload"] = json!({ "Records": self.event_records(id, p.start, p.end, ctx) });
        }
        self.on_failure.push(message);
    }

    fn uuid(&mut self) -> String {
        let a = self.ids.up_to(u64::MAX);
        let b = self.ids.up_to(u64::MAX);
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0x0fff,
            0x8000 | (b >> 48) & 0x3fff,
            b & 0xffff_ffff_ffff
        )
    }

    /// The Kinesis event records of the lane's records in `[start, end)`, as Lambda
    /// sends them.
    fn event_records(&self, id: LaneId, start: u64, end: u64, ctx: &Ctx<'_>) -> Vec<Value> {
        let s = id.s();
        let mut out = Vec::new();
        self.visit(
            &ctx.stream.shards[s],
            id,
            start,
            end,
            ctx.keys,
            &mut |i, v| {
                let data = match v.data {
                    Some(d) => encode_base64(d),
                    None => encode_base64(&synthetic_data(s, i, v.data_len)),
                };
                out.push(aws_messages::event_record(
                    id.shard,
                    i,
                    &v.key,
                    &data,
                    v.arrival,
                    &self.stream_arn,
                ));
                false
            },
        );
        out
    }

    fn log_invocation(
        &mut self,
        id: LaneId,
        p: &Pending,
        end: SimTime,
        outcome: &Outcome,
        response: Option<Value>,
        ctx: &Ctx<'_>,
    ) {
        // The invocation starts now and ends at `end`.
        let (s, start) = (id.s(), ctx.now);
        let Some(log) = &self.log else {
            return;
        };
        let records = self.count(&ctx.stream.shards[s], id, p.start, p.end, ctx.keys);
        if log.len() >= LOG_INVOCATIONS_MAX || self.logged_records + records > LOG_RECORDS_MAX {
            self.log_truncated = true;
            return;
        }
        let mut event = json!({ "Records": self.event_records(id, p.start, p.end, ctx) });
        let size_ms = u64::from(self.cfg.tumbling_window_in_seconds) * MS_PER_S;
        if size_ms > 0 {
            // The tumbling window's fields, as Lambda adds them to the event.
            let lane = &self.readers[id];
            let (start, state) = match &lane.window {
                Some(w) => (w.start, w.state.clone()),
                None => {
                    let first = self.first_arrival(id, p, ctx).unwrap_or(start);
                    (window_start(first, size_ms), json!({}))
                }
            };
            aws_messages::window_fields(
                &mut event,
                start,
                SimTime(start.0 + size_ms),
                state,
                id.shard,
                &self.stream_arn,
                p.window_final,
            );
        }
        self.logged_records += records;
        let entry = json!({
            "FunctionName": self.cfg.function_name,
            "shardId": shard_id(id.shard),
            "start_ms": start.0,
            "end_ms": end.0,
            "outcome": outcome.word(),
            "attempt": p.invokes + 1,
            "event": event,
            "response": response.unwrap_or(Value::Null),
        });
        if let Some(log) = &mut self.log {
            log.push(entry);
        }
    }

    fn first_arrival(&self, id: LaneId, p: &Pending, ctx: &Ctx<'_>) -> Option<SimTime> {
        let s = id.s();
        let mut first = None;
        self.visit(
            &ctx.stream.shards[s],
            id,
            p.start,
            p.end,
            ctx.keys,
            &mut |_, v| {
                first = Some(v.arrival);
                true
            },
        );
        first
    }

    /// Records of this mapping not yet processed: still in the stream, or in an
    /// invocation that has not ended.
    pub fn pending(&self, stream: &Stream, keys: Option<&KeyPlan>) -> u64 {
        let mut n = 0;
        for (s, r) in self.readers.iter().enumerate() {
            let shard = &stream.shards[s];
            for (l, lane) in r.lanes.iter().enumerate() {
                n += self.count(
                    shard,
                    LaneId::new(s, l),
                    lane.done_to(),
                    shard.write_head(),
                    keys,
                );
                if let (Some(f), Some(p)) = (&lane.in_flight, lane.work.last()) {
                    // Records of the batch in flight that have left the stream.
                    let gone = shard.trim_horizon().clamp(p.start, p.end);
                    n += self.count_flight(f, shard, LaneId::new(s, l), p.start, gone, keys);
                }
            }
        }
        n
    }

    /// The oldest index of shard `s` that the mapping has not resolved: where its
    /// iterator stands.
    pub fn position(&self, s: usize) -> u64 {
        self.readers[s]
            .lanes
            .iter()
            .map(Lane::done_to)
            .min()
            .unwrap_or(0)
    }

    /// Whether shard `s` has a batch that failed and waits to be retried.
    pub fn is_blocked(&self, s: usize) -> bool {
        self.readers[s]
            .lanes
            .iter()
            .any(|l| l.blocked_since.is_some())
    }

    /// The tumbling windows open on the mapping's lanes, shard by shard.
    pub fn open_windows(&self) -> Vec<WindowView> {
        let mut out = Vec::new();
        for (s, r) in self.readers.iter().enumerate() {
            for (l, lane) in r.lanes.iter().enumerate() {
                if let Some(w) = &lane.window {
                    out.push(WindowView {
                        shard: s as u32,
                        lane: l as u32,
                        start: w.start,
                        end: w.end,
                        records: w.records,
                        state: w.state.clone(),
                    });
                }
            }
        }
        out
    }

    /// Parallel lanes per shard (the ParallelizationFactor).
    pub fn lanes(&self) -> u32 {
        self.readers.first().map_or(1, |r| r.index.lanes())
    }

    /// The batches in flight, and the failed or bisected ones waiting on their lane,
    /// shard by shard, at most `max` of them.
    pub fn batches(&self, stream: &Stream, keys: Option<&KeyPlan>, max: usize) -> Vec<BatchView> {
        let mut out = Vec::new();
        for (s, r) in self.readers.iter().enumerate() {
            let shard = &stream.shards[s];
            for (l, lane) in r.lanes.iter().enumerate() {
                let mut top = true;
                // The top of the stack, and the other half of a bisected batch.
                for p in lane.work.iter().rev().take(2) {
                    if out.len() >= max {
                        return out;
                    }
                    let in_flight = if top { lane.in_flight.as_ref() } else { None };
                    top = false;
                    let (state, records) = match in_flight {
                        Some(f) => (
                            BatchState::InFlight {
                                started: f.started,
                                ends: f.ends,
                            },
                            f.records,
                        ),
                        None if p.invokes > 0 || p.depth > 0 => (
                            BatchState::Waiting {
                                until: lane.wake_at,
                            },
                            self.count(
                                shard,
                                LaneId::new(s, l),
                                p.start.max(shard.trim_horizon()),
                                p.end,
                                keys,
                            ),
                        ),
                        None => continue,
                    };
                    if records == 0 && !p.window_final {
                        continue;
                    }
                    out.push(BatchView {
                        shard: s as u32,
                        lane: l as u32,
                        start: p.start,
                        end: p.end,
                        records,
                        state,
                        depth: p.depth,
                        retries: p.retries,
                        invokes: p.invokes,
                    });
                }
            }
        }
        out
    }

    /// The record at `index` of shard `s`: its lane, partition key, arrival, and
    /// its data when it was put one by one. `None` if the shard does not hold it.
    pub fn record_at(
        &self,
        stream: &Stream,
        keys: Option<&KeyPlan>,
        s: usize,
        index: u64,
    ) -> Option<(u32, String, SimTime, Option<Vec<u8>>)> {
        let shard = stream.shards.get(s)?;
        if index < shard.trim_horizon() || index >= shard.write_head() {
            return None;
        }
        let mut found = None;
        for l in 0..self.readers[s].lanes.len() {
            self.visit(
                shard,
                LaneId::new(s, l),
                index,
                index + 1,
                keys,
                &mut |_, v| {
                    found = Some((l as u32, v.key, v.arrival, v.data.map(<[u8]>::to_vec)));
                    true
                },
            );
            if found.is_some() {
                break;
            }
        }
        found
    }

    /// Records of shard `s` that left the stream unprocessed by this mapping in the
    /// second before `now` or the one it is in (0 when none did).
    pub fn expired_last_s(&self, s: usize, now: SimTime) -> u64 {
        let (second, n) = self.readers[s].expired_at;
        if n > 0 && second + 1 >= now.second() {
            n
        } else {
            0
        }
    }

    /// Lanes of shard `s` running an invocation now.
    pub fn busy_lanes(&self, s: usize) -> usize {
        self.readers[s]
            .lanes
            .iter()
            .filter(|l| l.in_flight.is_some())
            .count()
    }
}

/// A lane's records within one segment of a range: a record put one by one, or the
/// lane's share of a run (bulk ordinals `[o1, o2)`, `count` of them in the lane).
enum Piece<'g> {
    One(&'g Record),
    Bulk {
        run: &'g Run,
        o1: u64,
        o2: u64,
        count: u64,
    },
}

impl Piece<'_> {
    fn count(&self) -> u64 {
        match self {
            Piece::One(_) => 1,
            Piece::Bulk { count, .. } => *count,
        }
    }

    /// The shard index of the piece's `k`-th record.
    fn nth(&self, k: u64, index: &LaneIndex, lane: usize, keys: Option<&KeyPlan>) -> Option<u64> {
        self.nth_arrival(k, index, lane, keys).map(|(i, _)| i)
    }

    /// The shard index of the piece's `k`-th record and when it arrived.
    fn nth_arrival(
        &self,
        k: u64,
        index: &LaneIndex,
        lane: usize,
        keys: Option<&KeyPlan>,
    ) -> Option<(u64, SimTime)> {
        match self {
            Piece::One(r) => (k == 0).then_some((r.index, r.arrival)),
            Piece::Bulk { run, o1, o2, .. } => index.nth_bulk(lane, *o1, *o2, k, keys).map(|o| {
                let i = o - run.flow_ordinal;
                (run.first + i, run.arrival_of(i))
            }),
        }
    }

    /// What each record of the piece adds to an invocation's payload.
    fn event_bytes_each(&self, sizes: EventSize) -> u64 {
        match self {
            Piece::One(r) => {
                sizes.record_bytes(r.data.len() as u64, json_string_bytes(&r.partition_key))
            }
            // Synthetic keys are `key-0000` and up: no character needs escaping.
            Piece::Bulk { run, .. } => {
                sizes.record_bytes(u64::from(run.record_bytes), u64::from(run.key_bytes))
            }
        }
    }
}

/// The pieces of `lane`'s records in `[start, end)`, in order, from `segments` (which
/// must start at or before `start`). Pieces with no record of the lane are skipped.
fn lane_pieces<'g: 'a, 'a, I: Iterator<Item = &'g Segment> + 'a>(
    segments: I,
    index: &'a LaneIndex,
    lane: usize,
    start: u64,
    end: u64,
    keys: Option<&'a KeyPlan>,
) -> impl Iterator<Item = Piece<'a>> + use<'g, 'a, I> {
    let lanes = index.lanes();
    segments
        .take_while(move |g| g.first_index() < end)
        .filter_map(move |g| match g {
            Segment::One(r) => (r.index >= start
                && (lanes == 1 || lane_of_key(&r.partition_key, lanes) == lane))
                .then_some(Piece::One(r)),
            Segment::Run(r) => {
                let (lo, hi) = (start.max(r.first), end.min(r.first + r.count));
                if lo >= hi {
                    return None;
                }
                let (o1, o2) = (
                    r.flow_ordinal + (lo - r.first),
                    r.flow_ordinal + (hi - r.first),
                );
                let count = index.bulk_before(lane, o2, keys) - index.bulk_before(lane, o1, keys);
                (count > 0).then_some(Piece::Bulk {
                    run: r,
                    o1,
                    o2,
                    count,
                })
            }
        })
}

/// What `visit` shows of a record.
struct RecordView<'a> {
    key: String,
    data: Option<&'a [u8]>,
    data_len: u64,
    arrival: SimTime,
}

/// The start of the tumbling window of `size_ms` that holds `t`.
fn window_start(t: SimTime, size_ms: u64) -> SimTime {
    assert!(size_ms > 0, "a tumbling window has a size");
    SimTime(t.0 - t.0 % size_ms)
}

/// The data of a synthetic record: a small JSON document naming it, padded to its
/// size with spaces.
fn synthetic_data(shard: usize, index: u64, len: u64) -> Vec<u8> {
    let mut d = format!("{{\"shard\":{shard},\"record\":{index}}}").into_bytes();
    d.resize(len as usize, b' ');
    d
}

/// The index an AT_TIMESTAMP iterator starts at: the first record whose arrival is at
/// or after `timestamp_s` (Unix seconds; validation makes it present), never before
/// the trim horizon.
fn at_timestamp(shard: &Shard, timestamp_s: Option<f64>) -> u64 {
    let unix_ms = (timestamp_s.unwrap_or(0.0) * 1_000.0).round();
    let sim_ms = unix_ms - super::time::EPOCH_MS as f64;
    if sim_ms <= 0.0 {
        return shard.trim_horizon();
    }
    shard
        .first_index_after(SimTime(sim_ms as u64 - 1))
        .max(shard.trim_horizon())
}
