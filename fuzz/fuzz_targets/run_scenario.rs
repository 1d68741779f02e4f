//! libFuzzer target: parse, build, run a bounded time, check invariants, report.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| kinesis_playground_fuzz::run(data));
