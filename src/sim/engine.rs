//! The simulation: builds the stream and producers from a scenario, runs events in
//! time order, and answers with snapshots for drawing and a report.
//!
//! Time moves only through [`Simulation::run_until`]; commands from the page (a
//! burst, a pill) and changed scenarios ([`Simulation::reconfigure`]) apply between
//! events. Each whole second has a tick that trims the shards and runs the
//! bulk producer; explicit puts and their retries are events of their own.

use super::concurrency::Concurrency;
use super::esm::{BatchView, Ctx, EsmEvent, GiveUp, InvocationView, Mapping, MappingStats};
use super::journal::{Entry, Journal, Kind, Milestone, Words};
use super::metrics::{Metric, Metrics};
use super::producer::{BulkProducer, ExplicitPuts, ProducerStats, PutAttempt};
use super::queue::EventQueue;
use super::reshard;
use super::scenario::{FunctionConfig, PutCall, PutEntry, Scenario};
use super::shard::shard_id;
use super::stream::Stream;
use super::time::{SimDuration, SimTime};
use super::trace::{Placement, Trace, TraceTarget};

/// An action on a running simulation between two events: what the page's buttons
/// do to the run itself. A changed setting is not a command but a changed scenario,
/// which [`Simulation::reconfigure`] takes.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// The producer offers `records_per_s` for the next `for_s` seconds.
    Burst { records_per_s: f64, for_s: u64 },
    /// Puts one record, now, that every mapped function takes for poison.
    InjectPoison { partition_key: String },
}

/// What a running simulation did with a changed scenario
/// ([`Simulation::reconfigure`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reconfigured {
    /// It runs the new scenario from now on: everything that differed is a setting
    /// it takes live (or nothing differed).
    Live,
    /// Something differs that shapes the run from its start (the shards, the keys,
    /// ParallelizationFactor, a mapping added, the seed...): nothing changed; build a
    /// new simulation from the scenario and run it to the same moment.
    NeedsRebuild,
}

/// `current` with every setting a running simulation takes live copied from `next`:
/// equal to `next` exactly when nothing else differs. This is the one list of live
/// settings; each is taken into the running parts by [`Simulation::take`].
fn with_live_settings(current: &Scenario, next: &Scenario) -> Scenario {
    let mut s = current.clone();
    s.stream.retention_period_hours = next.stream.retention_period_hours;
    if let (Some(p), Some(n)) = (&mut s.producer, &next.producer) {
        p.records_per_s = n.records_per_s;
        p.record_bytes = n.record_bytes;
        p.retry_failed_records = n.retry_failed_records;
        p.request_timeout_ms = n.request_timeout_ms;
    }
    for (m, n) in s
        .event_source_mappings
        .iter_mut()
        .zip(&next.event_source_mappings)
    {
        m.batch_size = n.batch_size;
        m.maximum_batching_window_in_seconds = n.maximum_batching_window_in_seconds;
        m.maximum_retry_attempts = n.maximum_retry_attempts;
        m.maximum_record_age_in_seconds = n.maximum_record_age_in_seconds;
        m.bisect_batch_on_function_error = n.bisect_batch_on_function_error;
        m.function_response_types
            .clone_from(&n.function_response_types);
        m.destination_config
            .on_failure
            .destination
            .clone_from(&n.destination_config.on_failure.destination);
    }
    for (f, n) in s.functions.iter_mut().zip(&next.functions) {
        f.duration_ms = n.duration_ms;
        f.duration_per_record_ms = n.duration_per_record_ms;
        f.timeout = n.timeout;
        f.on_poison = n.on_poison;
        f.reserved_concurrent_executions = n.reserved_concurrent_executions;
    }
    s.account.concurrent_executions = next.account.concurrent_executions;
    s.account.other_functions_concurrency = next.account.other_functions_concurrency;
    s
}

/// Totals over the whole run so far.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StreamTotals {
    /// First tries the producer made.
    pub records_put: u64,
    /// Records accepted into the stream, duplicates included.
    pub records_written: u64,
    /// Entries rejected with ProvisionedThroughputExceededException.
    pub put_throttled: u64,
    /// Records the producer gave up on or ignored: never written.
    pub producer_lost: u64,
    /// Extra copies written because a timed-out call was retried.
    pub duplicates: u64,
    /// Records that left the stream through the trim horizon.
    pub records_trimmed: u64,
}

/// One shard as the page draws it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShardView {
    pub shard_id: String,
    /// Records in the shard now (between the trim horizon and the write head).
    pub records: u64,
    pub bytes: u64,
    /// Arrival time of the oldest record still in the shard.
    pub oldest_arrival: Option<SimTime>,
    /// Records accepted in the last whole second.
    pub incoming_last_s: u64,
    /// Entries throttled in the last whole second.
    pub throttled_last_s: u64,
    /// Index of the oldest record still in the shard.
    pub trim_horizon: u64,
    /// Index the next record written will get.
    pub write_head: u64,
    /// Records put one by one that are still in the shard (the newest
    /// `MARKS_PER_SHARD_MAX`), drawn one by one.
    pub marks: Vec<Mark>,
    /// When the shard's records arrived, as knots `(index, arrival)` in index order
    /// (`Shard::timeline`): the picture places records by their age.
    pub timeline: Vec<(u64, SimTime)>,
}

/// Knots of all shards' timelines in a snapshot, shared out among the shards: a few
/// dozen each for a handful of shards, a handful each for thousands.
pub const TIMELINE_KNOTS_TOTAL: usize = 8_192;

/// A record drawn on its own: a poison pill, or a record put one by one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mark {
    pub index: u64,
    pub arrival: SimTime,
    pub partition_key: String,
    /// Poison to a function that a mapping invokes.
    pub poison: bool,
}

/// At most this many marks per shard in a snapshot.
pub const MARKS_PER_SHARD_MAX: usize = 64;

/// One mapping as the page draws it: where its iterator stands on each shard.
#[derive(Clone, Debug, PartialEq)]
pub struct MappingView {
    pub function_name: String,
    /// Lanes per shard (ParallelizationFactor).
    pub lanes: u32,
    /// Per shard: the index of the oldest record the mapping has not resolved.
    pub positions: Vec<u64>,
    /// Per shard: a failed batch holds it (or one of its lanes) up.
    pub blocked: Vec<bool>,
    /// Per shard: lanes running an invocation now.
    pub busy: Vec<u32>,
    /// Per shard: records that left the stream unprocessed by this mapping in the
    /// last second (they pour into the lost bucket).
    pub expired_last_s: Vec<u64>,
    /// Per shard: how long ago the oldest unresolved record arrived, ms.
    pub iterator_age_ms: Vec<u64>,
    pub stats: MappingStats,
    /// Batches in flight, and failed or bisected ones waiting on their lane, shard
    /// by shard (at most [`BATCH_VIEWS_MAX`]).
    pub batches: Vec<BatchView>,
    /// The newest give-ups, oldest first (at most `esm::RECENT_GIVE_UPS_MAX`).
    pub give_ups: Vec<GiveUp>,
    /// The newest invocations, oldest first (at most `esm::RECENT_INVOCATIONS_MAX`).
    pub invocations: Vec<InvocationView>,
    /// The OnFailure destination's ARN, if one is set.
    pub destination: Option<String>,
}

/// At most this many batches per mapping in a snapshot.
pub const BATCH_VIEWS_MAX: usize = 1_024;

/// A function's share of the account's concurrency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunctionView {
    pub function_name: String,
    pub reserved: Option<u32>,
    pub running: u32,
}

/// The account's concurrency as the page draws it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConcurrencyView {
    pub limit: u32,
    pub functions: Vec<FunctionView>,
    pub other_running: u32,
    pub other_demand: u32,
}

/// A read-only picture of the simulation for drawing.
#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    pub now: SimTime,
    pub seed: u64,
    pub stream_name: String,
    pub retention: SimDuration,
    pub totals: StreamTotals,
    pub shards: Vec<ShardView>,
    pub mappings: Vec<MappingView>,
    pub concurrency: ConcurrencyView,
    /// Per mapping: its open tumbling windows and the state each was last handed
    /// on (issue 15, item 2).
    pub tumbling_windows: Vec<Vec<super::esm::WindowView>>,
    /// Per shard, beside `shards`: where it stands in resharding (issue 15, item 10).
    pub lineage: Vec<ShardLineage>,
}

/// A shard's place in resharding: open, closed or expired, its hash key range, and
/// the shards it came from and went to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShardLineage {
    pub status: super::shard::ShardStatus,
    pub starting_hash_key: u128,
    pub ending_hash_key: u128,
    pub parents: Vec<String>,
    pub children: Vec<String>,
    pub closed_at: Option<SimTime>,
}

#[derive(Clone, Debug, PartialEq)]
enum Event {
    /// The start of a whole second: trim, then the bulk producer's second.
    Tick(u64),
    /// An attempt at an explicit PutRecords call.
    Put(PutAttempt),
    /// An event source mapping is created.
    MappingStart(usize),
    /// Something for an event source mapping.
    Esm(usize, EsmEvent),
}

#[derive(Debug)]
pub struct Simulation {
    scenario: Scenario,
    now: SimTime,
    end: SimTime,
    queue: EventQueue<Event>,
    stream: Stream,
    producer: Option<BulkProducer>,
    puts: ExplicitPuts,
    metrics: Metrics,
    stats: ProducerStats,
    trimmed: u64,
    events: u64,
    functions: Vec<FunctionConfig>,
    concurrency: Concurrency,
    mappings: Vec<Mapping>,
    /// The largest number of mapped-function instances running at once.
    max_concurrent: u64,
    /// The second and the largest ConcurrentExecutions recorded in it: a smaller or
    /// equal figure in the same second changes no maximum, so it is not recorded again.
    concurrency_noted: Option<(u64, u64)>,
    /// Requests of the account's other functions throttled, summed per second.
    other_throttles: u64,
    wake: Vec<(SimTime, EsmEvent)>,
    journal: Journal,
    /// The account's other functions' demand, as set last.
    other_demand: u32,
    /// The record being followed, if any.
    trace: Option<Trace>,
}

/// At most this many bulk records are looked at to find a partition key's newest
/// record.
pub const FIND_RECORD_SCAN_MAX: u64 = 200_000;

impl Simulation {
    /// A simulation of a scenario that has passed [`Scenario::validate`].
    pub fn new(scenario: &Scenario) -> Self {
        Self::with_options(scenario, false)
    }

    /// As [`Simulation::new`]; with `log_invocations`, every invocation's event is
    /// kept for the report (up to a limit).
    pub fn with_options(scenario: &Scenario, log_invocations: bool) -> Self {
        let seed = scenario.seed;
        let stream = Stream::from_config(&scenario.stream);
        let producer = scenario
            .producer
            .as_ref()
            .map(|p| BulkProducer::new(p, &stream, seed));
        let put_cfg = scenario.producer.clone().unwrap_or_default();
        let puts = ExplicitPuts::new(&scenario.puts, &put_cfg, seed);
        let mut queue = EventQueue::default();
        for (at, attempt) in puts.first_attempts() {
            queue.push(at, Event::Put(attempt));
        }
        queue.push(SimTime::ZERO, Event::Tick(0));
        let functions = scenario.functions.clone();
        let reserved: Vec<Option<u32>> = functions
            .iter()
            .map(|f| f.reserved_concurrent_executions)
            .collect();
        let concurrency = Concurrency::new(scenario.account.concurrent_executions, &reserved, 0);
        let keys = producer.as_ref().map(|p| &p.keys);
        let mappings: Vec<Mapping> = scenario
            .event_source_mappings
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let f = functions
                    .iter()
                    .position(|f| f.function_name == m.function_name)
                    .unwrap_or(0);
                Mapping::new(m, f, &stream, keys, seed, i, log_invocations)
            })
            .collect();
        for (i, m) in mappings.iter().enumerate() {
            queue.push(m.created_at(), Event::MappingStart(i));
        }
        Simulation {
            scenario: scenario.clone(),
            now: SimTime::ZERO,
            end: SimTime::from_s(scenario.duration_s),
            queue,
            stream,
            producer,
            puts,
            metrics: Metrics::default(),
            stats: ProducerStats::default(),
            trimmed: 0,
            events: 0,
            functions,
            concurrency,
            mappings,
            max_concurrent: 0,
            concurrency_noted: None,
            other_throttles: 0,
            wake: Vec::new(),
            journal: Journal::default(),
            other_demand: 0,
            trace: None,
        }
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    pub fn seed(&self) -> u64 {
        self.scenario.seed
    }

    pub fn now(&self) -> SimTime {
        self.now
    }

    /// The end of the run as the scenario sets it.
    pub fn end(&self) -> SimTime {
        self.end
    }

    pub fn is_finished(&self) -> bool {
        self.now >= self.end
    }

    /// Events handled since the start.
    pub fn events_handled(&self) -> u64 {
        self.events
    }

    /// Moves time forward to `until` (never past the end), handling at most
    /// `max_events` events; returns how many it handled. When it stops at the cap,
    /// `now` is the time of the last event handled.
    pub fn run_until(&mut self, until: SimTime, max_events: usize) -> usize {
        let until = until.min(self.end);
        let mut handled = 0;
        while handled < max_events {
            let Some((at, event)) = self.queue.pop_due(until) else {
                self.now = self.now.max(until);
                return handled;
            };
            // Events at the end of the run belong to the next run, not this one.
            if at >= self.end {
                self.queue.push(at, event);
                self.now = self.end;
                return handled;
            }
            self.now = at;
            self.handle(event);
            handled += 1;
            self.events += 1;
            if self.trace.as_ref().is_some_and(|t| t.placement.is_none()) {
                self.place_trace();
            }
        }
        handled
    }

    /// Runs to the end of the scenario.
    pub fn run_to_end(&mut self) {
        while !self.is_finished() {
            self.run_until(self.end, usize::MAX);
        }
    }

    fn handle(&mut self, event: Event) {
        match event {
            Event::Tick(t) => {
                self.reshard_at(t);
                if !self.mappings.is_empty() {
                    let horizons = self.stream.horizons_at(self.now);
                    self.with_mappings(|m, ctx| {
                        if m.is_started() {
                            m.expire(&horizons, ctx);
                        }
                    });
                }
                self.trimmed += self.stream.trim(self.now).records;
                self.journal_last_second(t);
                let lost_before = self.stats.lost;
                if let Some(p) = &mut self.producer {
                    p.second(t, &mut self.stream, &mut self.metrics, &mut self.stats);
                }
                self.journal_producer_loss(lost_before);
                let account = &self.scenario.account;
                if t == account.other_functions_from_s {
                    self.other_demand = account.other_functions_concurrency;
                    self.concurrency.set_other_demand(self.other_demand);
                }
                let throttled = self.concurrency.settle_others();
                if throttled > 0 {
                    self.other_throttles += u64::from(throttled);
                    self.metrics
                        .record(Metric::OtherFunctionsThrottles, t, u64::from(throttled));
                    let (limit, mapped) = (self.concurrency.limit(), self.running_mapped());
                    self.journal.write_milestone(self.now, Kind::OtherFunctionsThrottled, None, None, Some(Milestone::FirstOtherFunctionThrottle), || {
                        format!(
                            "{throttled} requests of the account's other functions throttled: the account's {limit} concurrent executions are taken, {mapped} of them by the stream's function (ConcurrentExecutions)"
                        )
                    });
                }
                self.note_concurrency();
                self.metrics.touch(t);
                let next = SimTime::from_s(t + 1);
                if next < self.end {
                    self.queue.push(next, Event::Tick(t + 1));
                }
            }
            Event::Put(attempt) => {
                let lost_before = self.stats.lost;
                if let Some((at, next)) = self.puts.attempt(
                    self.now,
                    &attempt,
                    &mut self.stream,
                    &mut self.metrics,
                    &mut self.stats,
                ) {
                    self.queue.push(at, Event::Put(next));
                }
                self.journal_producer_loss(lost_before);
            }
            Event::MappingStart(i) => self.with_mapping(i, |m, ctx| m.start(ctx)),
            Event::Esm(i, e) => {
                self.with_mapping(i, |m, ctx| m.handle(e, ctx));
                self.note_concurrency();
            }
        }
    }

    /// Carries out the scenario's reshards due at the start of second `t`: parents
    /// close, children open, the producer writes to the children and the mappings
    /// read them after their parents (see `sim::reshard`).
    fn reshard_at(&mut self, t: u64) {
        let due: Vec<usize> = (0..self.scenario.stream.reshards.len())
            .filter(|&i| self.scenario.stream.reshards[i].at_s == t)
            .collect();
        for i in due {
            let r = self.scenario.stream.reshards[i].clone();
            let scalings: Vec<u64> = self.scenario.stream.reshards[..i]
                .iter()
                .filter(|r| r.target_shard_count.is_some())
                .map(|r| r.at_s)
                .collect();
            // Validation has checked the same plan on the same shards.
            let plan = r
                .operation()
                .and_then(|op| reshard::plan(&self.stream.open_shards(), &op, t, &scalings));
            let plan = match plan {
                Ok(p) => p,
                Err(e) => {
                    let call = r.call();
                    self.journal.write(self.now, Kind::Note, None, None, || {
                        format!("{call} refused: {e}")
                    });
                    continue;
                }
            };
            let children = self.stream.reshard(self.now, &plan);
            if let Some(p) = &mut self.producer {
                p.reshard(&self.stream);
            }
            self.with_mappings(|m, ctx| m.add_shards(ctx));
            let names = |v: &[usize]| {
                v.iter()
                    .map(|&s| shard_id(s as u32))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let (closed, opened, call) = (names(&plan.closes), names(&children), r.call());
            let open = self.stream.open_shards().len();
            self.journal.write(self.now, Kind::Resharded, None, None, || {
                format!(
                    "{call}: {closed} closed (readable until retention trims them); {opened} opened; {open} shards open"
                )
            });
        }
    }

    /// Runs `f` on mapping `i` with the rest of the simulation as its context, then
    /// queues what it asked to be woken for.
    fn with_mapping(&mut self, i: usize, f: impl FnOnce(&mut Mapping, &mut Ctx<'_>)) {
        let mut ctx = Ctx {
            now: self.now,
            stream: &mut self.stream,
            keys: self.producer.as_ref().map(|p| &p.keys),
            functions: &self.functions,
            concurrency: &mut self.concurrency,
            metrics: &mut self.metrics,
            journal: &mut self.journal,
            mapping: i,
            wake: &mut self.wake,
            trace: self.trace.as_mut().filter(|t| t.target.mapping == i),
        };
        f(&mut self.mappings[i], &mut ctx);
        for (at, e) in self.wake.drain(..) {
            self.queue.push(at, Event::Esm(i, e));
        }
    }

    fn with_mappings(&mut self, mut f: impl FnMut(&mut Mapping, &mut Ctx<'_>)) {
        for i in 0..self.mappings.len() {
            self.with_mapping(i, &mut f);
        }
    }

    /// Follows one record through mapping `target.mapping` from now on: the engine
    /// notes every batch, invocation, retry and split it is in, and how it ends. Call
    /// it before the record is processed (at the start of a run, then replay: runs are
    /// deterministic). Refused if the shard or the mapping does not exist.
    pub fn follow(&mut self, target: TraceTarget) -> Result<(), String> {
        let shards = self.stream.shard_count();
        if target.shard as usize >= shards {
            return Err(format!(
                "there is no shard {}: the stream has {shards}",
                target.shard
            ));
        }
        if target.mapping >= self.mappings.len() {
            return Err(format!(
                "there is no event source mapping {}: the scenario has {}",
                target.mapping,
                self.mappings.len()
            ));
        }
        self.trace = Some(Trace::new(target));
        self.place_trace();
        Ok(())
    }

    /// The partition key and arrival of the `index`-th record of `shard`, if the
    /// stream holds it and a mapping reads the stream.
    pub fn record_key(&self, shard: u32, index: u64) -> Option<(String, SimTime)> {
        let m = self.mappings.first()?;
        m.record_at(&self.stream, self.keys(), shard as usize, index)
            .map(|(_, key, arrival, _)| (key, arrival))
    }

    /// Stops following the record.
    pub fn unfollow(&mut self) {
        self.trace = None;
    }

    /// The followed record's path so far.
    pub fn trace(&self) -> Option<&Trace> {
        self.trace.as_ref()
    }

    /// Fills in where the followed record landed, once the stream holds it.
    fn place_trace(&mut self) {
        let Some(t) = &mut self.trace else {
            return;
        };
        let s = t.target.shard as usize;
        let shard = &self.stream.shards[s];
        // Not before it arrives: a record put one by one takes its place among the bulk
        // records by arrival, moving the later ones (not yet arrived) up an index.
        if t.target.index >= shard.visible_end(self.now) {
            return;
        }
        let keys = self.producer.as_ref().map(|p| &p.keys);
        let m = &self.mappings[t.target.mapping];
        let Some((lane, key, arrival, data)) = m.record_at(&self.stream, keys, s, t.target.index)
        else {
            return;
        };
        let f = &self.functions[m.function];
        t.placement = Some(Placement {
            hash_key: super::hash::hash_key(&key),
            range: shard.range,
            shard_id: shard.id(),
            sequence_number: super::shard::sequence_number(t.target.shard, t.target.index),
            arrival,
            lane,
            lanes: m.lanes(),
            explicit: data.is_some(),
            poison: data
                .as_deref()
                .is_some_and(|d| super::function::is_poison(f, &key, d)),
            partition_key: key,
        });
    }

    /// The newest record with `partition_key` that has arrived in the stream by now,
    /// as (shard, index):
    /// MD5 of the key picks the shard, then its records are searched from the write
    /// head back (at most [`FIND_RECORD_SCAN_MAX`] bulk records).
    pub fn find_record(&self, partition_key: &str) -> Result<(u32, u64), String> {
        if partition_key.is_empty() || partition_key.len() > 256 {
            return Err(format!(
                "a partition key has 1 to 256 characters; {partition_key:?} has {}",
                partition_key.chars().count()
            ));
        }
        let s = self
            .stream
            .shard_for_hash(super::hash::hash_key(partition_key));
        let shard = &self.stream.shards[s];
        let keys = self.keys();
        let key = keys.and_then(|p| {
            p.shard_keys(s)
                .iter()
                .copied()
                .find(|&k| p.key_name(k) == partition_key)
        });
        // Records that have arrived: later ones may still move up an index.
        let visible = shard.visible_end(self.now);
        let mut scanned = 0u64;
        for g in shard.segments().rev() {
            match g {
                super::shard::Segment::One(r)
                    if r.partition_key == partition_key && r.index < visible =>
                {
                    return Ok((s as u32, r.index));
                }
                super::shard::Segment::One(_) => {}
                super::shard::Segment::Run(r) => {
                    let (Some(plan), Some(k)) = (keys, key) else {
                        continue;
                    };
                    for i in (0..r.count.min(visible.saturating_sub(r.first))).rev() {
                        if scanned >= FIND_RECORD_SCAN_MAX {
                            break;
                        }
                        scanned += 1;
                        if plan.key_for(s, r.flow_ordinal + i) == k {
                            return Ok((s as u32, r.first + i));
                        }
                    }
                }
            }
        }
        Err(format!(
            "no record with partition key {partition_key:?} is in its shard ({}) now",
            shard.id()
        ))
    }

    /// Records how many instances of the mapped functions run now.
    fn note_concurrency(&mut self) {
        if self.mappings.is_empty() {
            return;
        }
        let running = self.running_mapped();
        let second = self.now.second();
        if self
            .concurrency_noted
            .is_some_and(|(s, max)| s == second && running <= max)
        {
            // The steady path: after most events the figure is one this second had.
            return;
        }
        self.concurrency_noted = Some((second, running));
        self.max_concurrent = self.max_concurrent.max(running);
        self.metrics
            .record(Metric::ConcurrentExecutions, second, running);
    }

    /// Instances of the functions that mappings invoke, running now.
    pub fn running_mapped(&self) -> u64 {
        // Each function once, without allocating: this runs after every mapping event.
        let mut n = 0;
        for (i, m) in self.mappings.iter().enumerate() {
            if !self.mappings[..i].iter().any(|e| e.function == m.function) {
                n += u64::from(self.concurrency.running(m.function));
            }
        }
        n
    }

    pub fn mappings(&self) -> &[Mapping] {
        &self.mappings
    }

    pub fn concurrency(&self) -> &Concurrency {
        &self.concurrency
    }

    /// Key plan of the bulk producer, if there is one.
    pub fn keys(&self) -> Option<&super::producer::KeyPlan> {
        self.producer.as_ref().map(|p| &p.keys)
    }

    pub fn max_concurrent_executions(&self) -> u64 {
        self.max_concurrent
    }

    pub fn other_functions_throttles(&self) -> u64 {
        self.other_throttles
    }

    /// Applies `command` now (a burst or a pill): the scenario records it, so a
    /// rebuild replays it. Refused with the validator's message if the scenario it
    /// gives is not valid; nothing changes then.
    pub fn apply(&mut self, command: &Command) -> Result<(), String> {
        let mut next = self.scenario.clone();
        let put = match command {
            Command::Burst {
                records_per_s,
                for_s,
            } => {
                let p = next.producer.get_or_insert_with(Default::default);
                p.bursts.push(super::scenario::Burst {
                    at_s: self.now.second() + 1,
                    for_s: *for_s,
                    records_per_s: *records_per_s,
                });
                None
            }
            Command::InjectPoison { partition_key } => {
                // The pill carries what the first mapped function takes for poison;
                // a function with no poison defined learns that "poison" is.
                let mut data = "poison".to_string();
                for m in &next.event_source_mappings {
                    if let Some(f) = next
                        .functions
                        .iter_mut()
                        .find(|f| f.function_name == m.function_name)
                    {
                        match &f.poison.data_contains {
                            Some(d) if !d.is_empty() => data = d.clone(),
                            _ if f.poison.partition_keys.contains(partition_key) => {}
                            _ => f.poison.data_contains = Some(data.clone()),
                        }
                    }
                }
                let call = PutCall {
                    at_ms: self.now.0,
                    records: vec![PutEntry {
                        partition_key: partition_key.clone(),
                        data: super::hash::encode_base64(data.as_bytes()),
                        explicit_hash_key: None,
                    }],
                };
                next.puts.push(call.clone());
                Some(call)
            }
        };
        next.validate().map_err(|e| e.to_string())?;
        self.take(next);
        if let Some(call) = put {
            let attempt = self.puts.add(call);
            self.queue.push(self.now, Event::Put(attempt));
        }
        Ok(())
    }

    /// Runs `next` instead of the current scenario from now on, between two events.
    /// `next` is validated once; a bad one is refused with the validator's message
    /// (the field, the value, what is allowed) and nothing changes. When every
    /// difference is a setting the simulation takes live (the producer's rate, record
    /// size, retries and timeout; the retention; a mapping's batching, retries, record
    /// age, bisection, response types and destination; a function's duration,
    /// timeout, poison handling and reserved concurrency; the account's limit and its
    /// other functions' demand), it takes them: [`Reconfigured::Live`]. Anything else
    /// shapes the run from its start: [`Reconfigured::NeedsRebuild`], and nothing
    /// changes.
    pub fn reconfigure(&mut self, next: &Scenario) -> Result<Reconfigured, String> {
        next.validate().map_err(|e| e.to_string())?;
        let same_shape = self.scenario.event_source_mappings.len()
            == next.event_source_mappings.len()
            && self.scenario.functions.len() == next.functions.len()
            && self.scenario.producer.is_some() == next.producer.is_some();
        if !same_shape || &with_live_settings(&self.scenario, next) != next {
            return Ok(Reconfigured::NeedsRebuild);
        }
        if next.account.other_functions_concurrency
            != self.scenario.account.other_functions_concurrency
        {
            // The other functions want this many from now on.
            self.other_demand = next.account.other_functions_concurrency;
            self.concurrency.set_other_demand(self.other_demand);
        }
        self.take(next.clone());
        Ok(Reconfigured::Live)
    }

    /// Takes a valid scenario that differs from the running one only in live
    /// settings (and the bursts and puts commands add) into the running parts.
    fn take(&mut self, next: Scenario) {
        if let (Some(p), Some(cfg)) = (&mut self.producer, &next.producer) {
            p.reconfigure(cfg);
        }
        self.stream.retention = SimDuration::from_hours(next.stream.retention_period_hours.into());
        for (m, cfg) in self.mappings.iter_mut().zip(&next.event_source_mappings) {
            m.reconfigure(cfg);
        }
        self.functions.clone_from(&next.functions);
        for (i, f) in next.functions.iter().enumerate() {
            self.concurrency
                .set_reserved(i, f.reserved_concurrent_executions);
        }
        self.concurrency
            .set_limit(next.account.concurrent_executions);
        self.scenario = next;
    }

    /// The scenario as it stands now, with every command and live change taken so
    /// far.
    pub fn current_scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// What happened, in words.
    pub fn journal(&self) -> impl DoubleEndedIterator<Item = &Entry> + ExactSizeIterator {
        self.journal.entries()
    }

    /// When each milestone was reached.
    pub fn milestones(&self) -> &std::collections::BTreeMap<Milestone, SimTime> {
        self.journal.milestones()
    }

    /// Journal entries written so far, kept or not.
    pub fn journal_written(&self) -> u64 {
        self.journal.written()
    }

    /// Notes the shards that throttled writes in the second before `t`.
    fn journal_last_second(&mut self, t: u64) {
        if t == 0 {
            return;
        }
        for s in 0..self.stream.shard_count() {
            let last = self.stream.last_second(s, t);
            if last.throttled == 0 {
                continue;
            }
            let at = SimTime::from_s(t - 1);
            self.journal.write_milestone(
                at,
                Kind::WriteThrottled,
                Some(s as u32),
                None,
                Some(Milestone::FirstWriteThrottle),
                || Words::WriteThrottled {
                    shard: s as u32,
                    second: at,
                    accepted: last.accepted,
                    throttled: last.throttled,
                },
            );
        }
    }

    /// Notes records the producer gave up on since `lost_before`.
    fn journal_producer_loss(&mut self, lost_before: u64) {
        let lost = self.stats.lost - lost_before;
        if lost == 0 {
            return;
        }
        let resend = self
            .scenario
            .producer
            .as_ref()
            .is_some_and(|p| p.retry_failed_records);
        let refused = self.stats.refusal.take();
        self.journal.write_milestone(self.now, Kind::ProducerLost, None, None, Some(Milestone::FirstProducerLoss), || {
            if let Some(why) = refused {
                why
            } else if resend {
                format!("the producer gave up on {lost} records after its retries (resend_max_attempts, max_retries): they were never written")
            } else {
                format!("the producer lost {lost} records: PutRecords answered 200 with them marked failed, and retry_failed_records is off")
            }
        });
    }

    pub fn stream(&self) -> &Stream {
        &self.stream
    }

    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }

    pub fn producer_stats(&self) -> &ProducerStats {
        &self.stats
    }

    /// Records waiting in the producers for a retry: not yet written, not yet lost.
    pub fn producer_pending(&self) -> u64 {
        self.producer.as_ref().map_or(0, BulkProducer::pending) + self.puts.pending()
    }

    pub fn totals(&self) -> StreamTotals {
        StreamTotals {
            records_put: self.stats.records_put,
            records_written: self.stats.written_distinct + self.stats.duplicates,
            put_throttled: self.stats.throttled,
            producer_lost: self.stats.lost,
            duplicates: self.stats.duplicates,
            records_trimmed: self.trimmed,
        }
    }

    pub fn snapshot(&self) -> Snapshot {
        let second = self.now.second();
        let knots_each = (TIMELINE_KNOTS_TOTAL / self.stream.shard_count().max(1)).clamp(4, 64);
        let mapped: Vec<&FunctionConfig> = self
            .mappings
            .iter()
            .map(|m| &self.functions[m.function])
            .collect();
        let shards = self
            .stream
            .shards
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let last = self.stream.last_second(i, second);
                ShardView {
                    shard_id: s.id(),
                    records: s.records(),
                    bytes: s.bytes(),
                    oldest_arrival: s.oldest_arrival(),
                    incoming_last_s: last.accepted,
                    throttled_last_s: last.throttled,
                    trim_horizon: s.trim_horizon(),
                    write_head: s.write_head(),
                    marks: Self::marks(s, &mapped),
                    timeline: s.timeline(knots_each),
                }
            })
            .collect();
        let mappings = self
            .mappings
            .iter()
            .map(|m| {
                let n = self.stream.shard_count();
                let positions: Vec<u64> = (0..n).map(|s| m.position(s)).collect();
                let iterator_age_ms = positions
                    .iter()
                    .enumerate()
                    .map(|(s, &p)| {
                        let shard = &self.stream.shards[s];
                        let p = p.max(shard.trim_horizon());
                        if p < shard.visible_end(self.now) {
                            shard
                                .arrival_at(p)
                                .map_or(0, |a| self.now.saturating_since(a).as_ms())
                        } else {
                            0
                        }
                    })
                    .collect();
                MappingView {
                    function_name: m.cfg.function_name.clone(),
                    lanes: m.lanes(),
                    positions,
                    blocked: (0..n).map(|s| m.is_blocked(s)).collect(),
                    busy: (0..n).map(|s| m.busy_lanes(s) as u32).collect(),
                    expired_last_s: (0..n).map(|s| m.expired_last_s(s, self.now)).collect(),
                    iterator_age_ms,
                    stats: m.stats.clone(),
                    batches: m.batches(&self.stream, self.keys(), BATCH_VIEWS_MAX),
                    give_ups: m.recent_give_ups.iter().copied().collect(),
                    invocations: m.recent_invocations.iter().copied().collect(),
                    destination: m.cfg.destination_config.on_failure.destination.clone(),
                }
            })
            .collect();
        let concurrency = ConcurrencyView {
            limit: self.concurrency.limit(),
            functions: self
                .functions
                .iter()
                .enumerate()
                .map(|(i, f)| FunctionView {
                    function_name: f.function_name.clone(),
                    reserved: f.reserved_concurrent_executions,
                    running: self.concurrency.running(i),
                })
                .collect(),
            other_running: self.concurrency.other_running(),
            other_demand: self.other_demand,
        };
        Snapshot {
            now: self.now,
            seed: self.scenario.seed,
            stream_name: self.stream.name.clone(),
            retention: self.stream.retention,
            totals: self.totals(),
            shards,
            mappings,
            concurrency,
            tumbling_windows: self.mappings.iter().map(Mapping::open_windows).collect(),
            lineage: self
                .stream
                .shards
                .iter()
                .map(|s| ShardLineage {
                    status: s.status(self.now, self.stream.retention),
                    starting_hash_key: s.range.starting_hash_key,
                    ending_hash_key: s.range.ending_hash_key,
                    parents: s.parents.iter().map(|&p| shard_id(p)).collect(),
                    children: s.children.iter().map(|&c| shard_id(c)).collect(),
                    closed_at: s.closed_at(),
                })
                .collect(),
        }
    }

    /// The newest records of `shard` kept one by one, with whether they are poison
    /// to a function that `mapped` lists. A shard of runs only (a bulk producer's)
    /// costs nothing: it is not searched.
    fn marks(shard: &super::shard::Shard, mapped: &[&FunctionConfig]) -> Vec<Mark> {
        let wanted = shard.ones().min(MARKS_PER_SHARD_MAX);
        if wanted == 0 {
            return Vec::new();
        }
        let mut marks: Vec<Mark> = Vec::with_capacity(wanted);
        marks.extend(
            shard
                .segments()
                .rev()
                .filter_map(|g| match g {
                    super::shard::Segment::One(r) => Some(Mark {
                        index: r.index,
                        arrival: r.arrival,
                        partition_key: r.partition_key.clone(),
                        poison: mapped
                            .iter()
                            .any(|f| super::function::is_poison(f, &r.partition_key, &r.data)),
                    }),
                    super::shard::Segment::Run(_) => None,
                })
                .take(wanted),
        );
        marks.reverse();
        marks
    }

    /// Asserts the simulator's own bookkeeping: every record offered is written,
    /// waiting for a retry or lost, and every shard's log adds up.
    pub fn check_invariants(&self) {
        let s = &self.stats;
        assert_eq!(
            s.records_put,
            s.written_distinct + s.lost + self.producer_pending(),
            "producer accounting: put {} != written {} + lost {} + pending {}",
            s.records_put,
            s.written_distinct,
            s.lost,
            self.producer_pending()
        );
        let written = s.written_distinct + s.duplicates;
        assert_eq!(
            written,
            self.stream.records() + self.trimmed,
            "stream accounting: written {written} != in stream + trimmed"
        );
        for shard in &self.stream.shards {
            shard.check_invariants();
        }
        let appended: u64 = self.stream.shards.iter().map(|s| s.write_head()).sum();
        for (i, m) in self.mappings.iter().enumerate() {
            let st = &m.stats;
            let pending = m.pending(&self.stream, self.keys());
            let seen =
                st.succeeded + st.on_failure + st.discarded + st.expired + st.skipped + pending;
            assert_eq!(
                seen, appended,
                "mapping {i}: succeeded {} + on_failure {} + discarded {} + expired {} + skipped {} + pending {pending} != written {appended}",
                st.succeeded, st.on_failure, st.discarded, st.expired, st.skipped
            );
        }
        self.concurrency.check_invariants();
    }
}
