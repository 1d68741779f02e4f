//! Runs the pure parts of the web app natively: the files in `src/ui/` that use no web
//! APIs (layout and colour maths, number formatting, frame pacing, the built-in
//! scenarios), with the unit tests beside their code.
//!
//! `ui` is compiled only for wasm32, so the files are included here by path; their
//! `crate::sim` is this crate's import of the library's `sim`. Compiling them natively
//! also keeps them free of `web_sys`, which is a wasm32-only dependency.

// The page uses items these tests do not.
#![allow(dead_code)]

use kinesis_playground::sim;

#[path = "../src/ui/format.rs"]
mod format;
#[path = "../src/ui/lanes.rs"]
mod lanes;
#[path = "../src/ui/pace.rs"]
mod pace;
#[path = "../src/ui/scenarios.rs"]
mod scenarios;
