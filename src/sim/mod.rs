//! The simulation core. Pure Rust: no clock, no entropy, no web APIs.
//!
//! Build a [`Simulation`] from a [`Scenario`] (its seed is in the scenario), move it
//! with [`Simulation::run_until`], read it with [`Simulation::snapshot`] and
//! [`Simulation::report`]. The same scenario and seed give the same run, bit for bit.

pub mod engine;
pub mod hash;
pub mod queue;
pub mod rng;
pub mod scenario;
pub mod time;

pub use engine::{Command, ShardView, Simulation, Snapshot, StreamTotals};
pub use scenario::{parse_scenario, Scenario, ScenarioError};
pub use time::{SimDuration, SimTime};
