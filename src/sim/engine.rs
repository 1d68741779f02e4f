//! STUB: the simulation facade. The real engine replaces these bodies.

use super::scenario::Scenario;
use super::time::{SimDuration, SimTime};

/// A change applied to a running simulation at the next step boundary.
#[derive(Clone, Debug, PartialEq)]
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

#[derive(Debug)]
pub struct Simulation {
    scenario: Scenario,
    now: SimTime,
}

impl Simulation {
    /// A simulation of a scenario that has passed `Scenario::validate`.
    pub fn new(scenario: &Scenario) -> Self {
        Simulation { scenario: scenario.clone(), now: SimTime::ZERO }
    }

    pub fn seed(&self) -> u64 {
        self.scenario.seed
    }

    pub fn now(&self) -> SimTime {
        self.now
    }

    /// The end of the run as the scenario sets it.
    pub fn end(&self) -> SimTime {
        SimTime::from_s(self.scenario.duration_s)
    }

    /// Moves time forward to `until` (never past the end), handling at most
    /// `max_events` events; returns how many it handled.
    pub fn run_until(&mut self, until: SimTime, _max_events: usize) -> usize {
        self.now = until.min(self.end());
        0
    }

    pub fn apply(&mut self, _command: Command) {}

    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            now: self.now,
            seed: self.scenario.seed,
            stream_name: self.scenario.stream.stream_name.clone(),
            retention: SimDuration::from_hours(self.scenario.stream.retention_period_hours.into()),
            totals: StreamTotals::default(),
            shards: Vec::new(),
        }
    }
}
