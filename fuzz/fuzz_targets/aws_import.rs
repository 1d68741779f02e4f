//! libFuzzer target: see `kinesis_playground_fuzz::aws_import`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| kinesis_playground_fuzz::aws_import(data));
