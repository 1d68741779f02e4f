//! The simulation core. Pure Rust: no clock, no entropy, no web APIs.
//!
//! Build a [`Simulation`] from a [`Scenario`] (its seed is in the scenario), move it
//! with [`Simulation::run_until`], read it with [`Simulation::snapshot`] and
//! [`Simulation::report`]. The same scenario and seed give the same run, bit for bit.
//!
//! The modules are private: what the rest of the crate, the tests, the examples and
//! the fuzz targets may use is re-exported below, grouped by what it is for. The
//! modules, for a reader of the core:
//!
//! - `time`, `rng`, `queue`: simulated time, seeded randomness, the event queue.
//! - `scenario`: the input format and its validation.
//! - `hash`, `shard`, `rate_limiter`, `stream`: the stream and its limits.
//! - `producer`: synthetic load, explicit puts, retries, timeouts, duplicates.
//! - `esm`, `lanes`, `function`, `concurrency`: the event source mapping, its lanes,
//!   the function and the account's concurrency; `aws_messages` and `mapping_said`
//!   build what AWS would send and what the journal says.
//! - `engine`: the [`Simulation`] that ties them together, its [`Command`]s, a
//!   changed scenario taken live ([`Simulation::reconfigure`]) and [`Snapshot`].
//! - `metrics`, `report`, `journal`, `trace`: CloudWatch-style series, the run's
//!   report, its journal and a record's trace.
//! - `lesson`, `challenge`: guided lessons and goals scored on a fixed seed.

mod aws_messages;
mod challenge;
mod concurrency;
// `pub(crate)` only for `view::picture`'s tests, which name `engine::` and `esm::`
// paths; everything else reaches these through the re-exports below.
mod engine;
mod esm;
mod function;
mod hash;
mod journal;
mod json_path;
mod lanes;
mod lesson;
mod mapping_said;
mod metrics;
mod number;
mod order;
mod producer;
mod queue;
mod rate_limiter;
mod report;
mod reshard;
mod rng;
mod scenario;
mod shard;
mod stream;
mod time;
mod trace;

// A run: build, move, command or reconfigure, read.
pub use engine::{
    Command, ConcurrencyView, FunctionView, MappingView, Mark, Reconfigured, ShardLineage,
    ShardView, Simulation, Snapshot, StreamTotals,
};
pub use esm::{
    BatchState, BatchView, Ended, GiveUp, GiveUpCondition, InvocationView, MappingStats,
};
pub use time::{SimDuration, SimTime, EPOCH_MS};

// The scenario format (the shared contract, `docs/scenario-format.md`) and its
// validation. `bounds` holds the playground's own upper limits.
pub use scenario::{
    bounds, parse_scenario, AccountConfig, Backoff, Burst, DestinationConfig, FieldError,
    FunctionConfig, FunctionResponseType, MappingConfig, OnFailure, OnPoison, Period, Poison,
    ProducerConfig, PutCall, PutEntry, Scenario, ScenarioError, StartingPosition, StreamConfig,
    StreamMode, StreamModeDetails, TumblingState, MAX_RECORD_SIZE_KIB_MAX, MAX_RECORD_SIZE_KIB_MIN,
};

// What a run says: its report, CloudWatch-style metrics, the journal and a record's
// trace.
pub use journal::{Entry, Kind as EntryKind, Milestone};
pub use metrics::{Metric, Metrics, Stat, Tier};
pub use report::{Report, ReportOptions};
pub use trace::{End, Placement, StepKind, Trace, TraceTarget, TRACE_STEPS_MAX};

// Lessons and challenges carried by a scenario.
pub use challenge::{run_and_score, score, Challenge, Check, Goals, Score};
pub use lesson::{milestone_named, Lesson, Prediction, Step, TryIt, MILESTONE_NAMES};

// AWS's own rules, public so tests check them against AWS's documentation: the
// partition-key hash and shard ranges, sequence numbers, the write limits, the
// size of an invocation's payload, the lane a key goes to.
pub use aws_messages::{json_string_bytes, EventSize, PAYLOAD_BYTES_MAX};
pub use hash::{encode_base64, even_split, hash_key, shard_for, HashKeyRange};
pub use lanes::lane_of_key;
pub use rate_limiter::{WRITE_BURST_BYTES_MAX, WRITE_BYTES_PER_S_MAX, WRITE_RECORDS_PER_S_MAX};
pub use shard::{parse_sequence_number, Segment};

// Resharding as AWS checks and does it (UpdateShardCount, SplitShard, MergeShards),
// public so property tests draw valid reshards: the shards open at a moment, a
// reshard's plan against them, and the plan applied.
pub use reshard::{
    apply as apply_reshard, plan as plan_reshard, OpenShard, Operation, Reshard, UNIFORM_SCALING,
};
pub use shard::{shard_id, ShardStatus};

// A stable sort order small in code, for the light embed (issue 16).
pub use order::stable_order;

// f64 written as std's `{}` and `{:.N}` write it, without std's float formatting,
// for the light embed (issue 16).
pub(crate) use number::float_parts;
pub use number::{Clamp, Fixed, Shortest};
