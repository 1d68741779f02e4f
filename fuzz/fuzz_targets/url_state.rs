//! libFuzzer target: see `kinesis_playground_fuzz::url_state`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| kinesis_playground_fuzz::url_state(data));
