//! The simulation core. Pure Rust: no clock, no entropy, no web APIs.
//!
//! Build a [`Simulation`] from a [`Scenario`] (its seed is in the scenario), move it
//! with [`Simulation::run_until`], read it with [`Simulation::snapshot`] and
//! [`Simulation::report`]. The same scenario and seed give the same run, bit for bit.
//!
//! - `time`, `rng`, `queue`: simulated time, seeded randomness, the event queue.
//! - `scenario`: the input format and its validation.
//! - `hash`, `shard`, `rate_limiter`, `stream`: the stream and its limits.
//! - `producer`: synthetic load, explicit puts, retries, timeouts, duplicates.
//! - `metrics`, `report`: CloudWatch-style series and the run's report.
//! - `lesson`, `challenge`: guided lessons and goals scored on a fixed seed.

pub mod aws_messages;
pub mod challenge;
pub mod concurrency;
pub mod engine;
pub mod esm;
pub mod function;
pub mod hash;
pub mod journal;
mod json_path;
pub mod lanes;
pub mod lesson;
mod mapping_said;
pub mod metrics;
pub mod producer;
pub mod queue;
pub mod rate_limiter;
pub mod report;
pub mod reshard;
pub mod rng;
pub mod scenario;
pub mod shard;
pub mod stream;
pub mod time;
pub mod trace;

pub use engine::{
    Command, ConcurrencyView, FunctionView, MappingView, Mark, ShardLineage, ShardView, Simulation,
    Snapshot, StreamTotals,
};
pub use esm::{BatchState, BatchView, Ended, GiveUp, GiveUpCondition, InvocationView};
pub use report::{Report, ReportOptions};
pub use scenario::{parse_scenario, Scenario, ScenarioError};
pub use time::{SimDuration, SimTime};
