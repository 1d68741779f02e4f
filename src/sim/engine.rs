//! The simulation: builds the stream and producers from a scenario, runs events in
//! time order, and answers with snapshots for drawing and a report.
//!
//! Time moves only through [`Simulation::run_until`]; commands from the page apply
//! between events. Each whole second has a tick that trims the shards and runs the
//! bulk producer; explicit puts and their retries are events of their own.

use super::concurrency::Concurrency;
use super::esm::{Ctx, EsmEvent, Mapping};
use super::metrics::{Metric, Metrics};
use super::producer::{BulkProducer, ExplicitPuts, ProducerStats, PutAttempt};
use super::queue::EventQueue;
use super::scenario::{FunctionConfig, Scenario};
use super::stream::Stream;
use super::time::{SimDuration, SimTime};

/// A change applied to a running simulation at the next step boundary.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Command {
    /// The producer's steady rate, records/s.
    SetRecordsPerS(f64),
    /// Bytes of data per producer record.
    SetRecordBytes(u32),
    /// The stream's retention; a decrease takes effect at once, as in AWS.
    SetRetentionHours(u32),
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
    /// Requests of the account's other functions throttled, summed per second.
    other_throttles: u64,
    wake: Vec<(SimTime, EsmEvent)>,
}

impl Simulation {
    /// A simulation of a scenario that has passed [`Scenario::validate`].
    pub fn new(scenario: &Scenario) -> Self {
        Self::with_options(scenario, false)
    }

    /// As [`Simulation::new`]; with `log_invocations`, every invocation's event is
    /// kept for the report (up to a limit).
    pub fn with_options(scenario: &Scenario, log_invocations: bool) -> Self {
        let seed = scenario.seed;
        let retention = SimDuration::from_hours(scenario.stream.retention_period_hours.into());
        let stream = Stream::new(
            &scenario.stream.stream_name,
            scenario.stream.shard_count,
            retention,
        );
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
            other_throttles: 0,
            wake: Vec::new(),
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
                if !self.mappings.is_empty() {
                    let horizons = self.stream.horizons_at(self.now);
                    self.with_mappings(|m, ctx| {
                        if m.is_started() {
                            m.expire(&horizons, ctx);
                        }
                    });
                }
                self.trimmed += self.stream.trim(self.now).records;
                if let Some(p) = &mut self.producer {
                    p.second(t, &mut self.stream, &mut self.metrics, &mut self.stats);
                }
                let account = &self.scenario.account;
                if t == account.other_functions_from_s {
                    self.concurrency
                        .set_other_demand(account.other_functions_concurrency);
                }
                let throttled = self.concurrency.settle_others();
                if throttled > 0 {
                    self.other_throttles += u64::from(throttled);
                    self.metrics
                        .record(Metric::OtherFunctionsThrottles, t, u64::from(throttled));
                }
                self.note_concurrency();
                self.metrics.touch(t);
                let next = SimTime::from_s(t + 1);
                if next < self.end {
                    self.queue.push(next, Event::Tick(t + 1));
                }
            }
            Event::Put(attempt) => {
                if let Some((at, next)) = self.puts.attempt(
                    self.now,
                    &attempt,
                    &mut self.stream,
                    &mut self.metrics,
                    &mut self.stats,
                ) {
                    self.queue.push(at, Event::Put(next));
                }
            }
            Event::MappingStart(i) => self.with_mapping(i, |m, ctx| m.start(ctx)),
            Event::Esm(i, e) => {
                self.with_mapping(i, |m, ctx| m.handle(e, ctx));
                self.note_concurrency();
            }
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
            wake: &mut self.wake,
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

    /// Records how many instances of the mapped functions run now.
    fn note_concurrency(&mut self) {
        if self.mappings.is_empty() {
            return;
        }
        let running = self.running_mapped();
        self.max_concurrent = self.max_concurrent.max(running);
        self.metrics
            .record(Metric::ConcurrentExecutions, self.now.second(), running);
    }

    /// Instances of the functions that mappings invoke, running now.
    pub fn running_mapped(&self) -> u64 {
        let mut seen = Vec::new();
        let mut n = 0;
        for m in &self.mappings {
            if !seen.contains(&m.function) {
                seen.push(m.function);
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

    pub fn apply(&mut self, command: Command) {
        match command {
            Command::SetRecordsPerS(r) => {
                if let Some(p) = &mut self.producer {
                    p.set_records_per_s(r.max(0.0));
                }
            }
            Command::SetRecordBytes(b) => {
                if let Some(p) = &mut self.producer {
                    p.set_record_bytes(b.clamp(1, super::scenario::bounds::RECORD_BYTES_MAX));
                }
            }
            Command::SetRetentionHours(h) => {
                self.stream.retention = SimDuration::from_hours(h.clamp(24, 8_760).into());
            }
        }
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
                }
            })
            .collect();
        Snapshot {
            now: self.now,
            seed: self.scenario.seed,
            stream_name: self.stream.name.clone(),
            retention: self.stream.retention,
            totals: self.totals(),
            shards,
        }
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
