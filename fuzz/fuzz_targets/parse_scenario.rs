//! libFuzzer target: `kinesis_playground::sim::parse_scenario` on any bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| kinesis_playground_fuzz::parse(data));
