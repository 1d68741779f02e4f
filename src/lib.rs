//! Kinesis Playground: a deterministic simulation of Amazon Kinesis Data Streams and
//! the AWS Lambda event source mapping, with a web playground on top.
//!
//! `sim` is the pure core: no clock, no entropy, no web APIs. Time and a seed are
//! inputs. `share` writes and reads links and AWS configurations. `view` computes
//! what the page shows, also without web APIs. `ui` is the
//! Yew front end and exists only on wasm32. `cli` is the native scenario runner.

pub mod share;
pub mod sim;
pub mod view;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;

#[cfg(target_arch = "wasm32")]
pub mod ui;
