//! The scenario: what a run simulates, in the shared format (`spec/scenario-format.md`).
//!
//! AWS settings keep AWS's own names and spelling (PascalCase); playground-only
//! settings are snake_case with units last. Parsing refuses unknown fields, so a typo
//! such as `BatchSiz` is reported instead of silently ignored. `validate` checks every
//! value against AWS's range and names the field, the value and what is allowed.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::number::Shortest;

/// The scenario's enums without data (`StreamMode`, `Backoff`, `StartingPosition`,
/// `FunctionResponseType`, `OnPoison`) are read by [`unit_variant`], one visitor for
/// all of them, instead of a derived visitor and identifier visitor each: about 1 KB
/// of WebAssembly each in the light embed (issue 16). It asks the deserializer for
/// an enum as the derive does, so a scenario reads and fails the same: the JSON
/// string of a variant's name (or the `{"NAME": null}` form serde_json also takes),
/// and otherwise the derive's errors (`unknown variant `X`, expected one of ...`).
/// Serialising stays derived; a test holds both ways to the same names.
macro_rules! unit_enum_deserialize {
    ($ty:ident { $($variant:ident = $name:literal),+ $(,)? }) => {
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                const ALL: &[$ty] = &[$($ty::$variant),+];
                const NAMES: &[&str] = &[$($name),+];
                let i = unit_variant(d, stringify!($ty), NAMES)?;
                // `unit_variant` returns a place in NAMES, which ALL matches.
                Ok(ALL[i])
            }
        }
    };
}

/// Reads an enum without data whose variants are called `names`; the variant's place
/// in `names`. `name` is the enum's, for the errors' "expected enum NAME".
fn unit_variant<'de, D: serde::Deserializer<'de>>(
    d: D,
    name: &'static str,
    names: &'static [&'static str],
) -> Result<usize, D::Error> {
    use serde::de::{self, DeserializeSeed, EnumAccess, VariantAccess, Visitor};

    /// The variant's name, as the derive's identifier visitor reads it.
    struct Variant(&'static [&'static str]);
    impl<'de> Visitor<'de> for Variant {
        type Value = usize;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("variant identifier")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<usize, E> {
            self.0
                .iter()
                .position(|n| *n == v)
                .ok_or_else(|| E::unknown_variant(v, self.0))
        }
    }
    impl<'de> DeserializeSeed<'de> for Variant {
        type Value = usize;
        fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
            d.deserialize_identifier(self)
        }
    }

    /// The enum, as the derive's visitor reads one without data.
    struct Enum {
        name: &'static str,
        names: &'static [&'static str],
    }
    impl<'de> Visitor<'de> for Enum {
        type Value = usize;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "enum {}", self.name)
        }
        fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<usize, A::Error> {
            let (i, variant) = data.variant_seed(Variant(self.names))?;
            variant.unit_variant()?;
            Ok(i)
        }
    }

    d.deserialize_enum(name, names, Enum { name, names })
}

/// The only scenario format this build reads.
pub const FORMAT: u32 = 1;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub format: u32,
    #[serde(default)]
    pub title: String,
    /// A longer explanation shown with the scenario.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default = "default_seed")]
    pub seed: u64,
    #[serde(default = "default_duration_s")]
    pub duration_s: u64,
    #[serde(default)]
    pub stream: StreamConfig,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub producer: Option<ProducerConfig>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub puts: Vec<PutCall>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub event_source_mappings: Vec<MappingConfig>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub functions: Vec<FunctionConfig>,
    #[serde(default)]
    pub account: AccountConfig,
    /// A guided lesson over this scenario (playground field).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lesson: Option<super::lesson::Lesson>,
    /// A goal the reader reaches by choosing settings, scored on a fixed seed
    /// (playground field).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "light", serde(deserialize_with = "challenge_read_past"))]
    pub challenge: Option<super::challenge::Challenge>,
}

/// The light embed's build (cargo feature `light`, `embed.html`) reads past a
/// scenario's challenge, which it never shows, so that the challenge's deserializer and
/// checks are not in its WebAssembly (issue 16); the value must still be JSON. It
/// fetches only the built-in files, whose challenges the page's build reads and the
/// tests check (`view::scenarios`).
#[cfg(feature = "light")]
fn challenge_read_past<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<super::challenge::Challenge>, D::Error> {
    serde::de::IgnoredAny::deserialize(d)?;
    Ok(None)
}

fn default_seed() -> u64 {
    1
}
fn default_duration_s() -> u64 {
    60
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StreamConfig {
    #[serde(rename = "StreamName", default = "default_stream_name")]
    pub stream_name: String,
    /// AWS creates 4 shards when CreateStream is called without a count.
    #[serde(rename = "ShardCount", default = "default_shard_count")]
    pub shard_count: u32,
    #[serde(rename = "RetentionPeriodHours", default = "default_retention_hours")]
    pub retention_period_hours: u32,
    /// PROVISIONED (the default) or ON_DEMAND, as in CreateStream's StreamModeDetails.
    /// On demand, `ShardCount` is the number of shards AWS keeps behind the stream
    /// during the run (the playground does not split them; see `sim::stream`).
    #[serde(
        rename = "StreamModeDetails",
        default,
        skip_serializing_if = "StreamModeDetails::is_provisioned"
    )]
    pub stream_mode_details: StreamModeDetails,
    /// The largest record (data plus partition key) the stream accepts, in KiB:
    /// 1024 to 10240, 1024 by default (CreateStream, UpdateMaxRecordSize).
    #[serde(
        rename = "MaxRecordSizeInKiB",
        default = "default_max_record_size_kib",
        skip_serializing_if = "is_default_max_record_size_kib"
    )]
    pub max_record_size_in_kib: u32,
    /// On demand: the highest write throughput the stream took in the 30 days before
    /// the run, in MiB/s (1,000 records/s count as 1 MiB/s); 0 is a new stream, which
    /// starts at AWS's 4 MiB/s or 4,000 records/s (playground field).
    #[serde(default, skip_serializing_if = "is_zero_f64")]
    pub previous_peak_write_mib_per_s: f64,
    /// UpdateShardCount, SplitShard and MergeShards calls while the run goes on, in
    /// order of `at_s` (see `sim::reshard`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reshards: Vec<super::reshard::Reshard>,
}

/// The capacity mode of a stream (CreateStream's StreamModeDetails.StreamMode).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub enum StreamMode {
    #[default]
    #[serde(rename = "PROVISIONED")]
    Provisioned,
    #[serde(rename = "ON_DEMAND")]
    OnDemand,
}

unit_enum_deserialize!(StreamMode { Provisioned = "PROVISIONED", OnDemand = "ON_DEMAND" });

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StreamModeDetails {
    #[serde(rename = "StreamMode")]
    pub stream_mode: StreamMode,
}

impl StreamModeDetails {
    pub fn is_provisioned(&self) -> bool {
        self.stream_mode == StreamMode::Provisioned
    }
}

/// AWS's default and smallest MaxRecordSizeInKiB.
pub const MAX_RECORD_SIZE_KIB_MIN: u32 = 1_024;
/// AWS's largest MaxRecordSizeInKiB (10 MiB, since October 2025).
pub const MAX_RECORD_SIZE_KIB_MAX: u32 = 10_240;

fn default_max_record_size_kib() -> u32 {
    MAX_RECORD_SIZE_KIB_MIN
}
fn is_default_max_record_size_kib(v: &u32) -> bool {
    *v == MAX_RECORD_SIZE_KIB_MIN
}
fn is_zero_f64(v: &f64) -> bool {
    *v == 0.0
}

impl StreamConfig {
    /// The largest record the stream accepts, data plus partition key, in bytes.
    pub fn max_record_bytes(&self) -> u64 {
        u64::from(self.max_record_size_in_kib) * 1_024
    }

    pub fn is_on_demand(&self) -> bool {
        self.stream_mode_details.stream_mode == StreamMode::OnDemand
    }
}

fn default_stream_name() -> String {
    "stream".to_string()
}
fn default_shard_count() -> u32 {
    4
}
fn default_retention_hours() -> u32 {
    24
}

impl Default for StreamConfig {
    fn default() -> Self {
        StreamConfig {
            stream_name: default_stream_name(),
            shard_count: default_shard_count(),
            retention_period_hours: default_retention_hours(),
            stream_mode_details: StreamModeDetails::default(),
            max_record_size_in_kib: default_max_record_size_kib(),
            previous_peak_write_mib_per_s: 0.0,
            reshards: Vec::new(),
        }
    }
}

/// How long the producer waits before resending, as in the AWS Architecture Blog's
/// "Exponential Backoff And Jitter", with `expo(n) = min(cap, base * 2^n)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Backoff {
    /// `random(0, expo(n))`: what the AWS SDKs do.
    FullJitter,
    /// `expo(n)/2 + random(0, expo(n)/2)`.
    EqualJitter,
    /// `expo(n)` exactly: every failed caller comes back at the same moment.
    NoJitter,
}

unit_enum_deserialize!(Backoff { FullJitter = "full_jitter", EqualJitter = "equal_jitter", NoJitter = "no_jitter" });

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProducerConfig {
    /// Records offered per second outside bursts (fractions allowed).
    #[serde(default)]
    pub records_per_s: f64,
    /// Data bytes per record; the partition key's bytes count on top, as AWS counts them.
    #[serde(default = "default_record_bytes")]
    pub record_bytes: u32,
    /// Distinct partition keys, named `key-0000`, `key-0001`, ...; MD5 spreads them over
    /// the shards as AWS does, so a few keys can load shards unevenly.
    #[serde(default = "default_partition_keys")]
    pub partition_keys: u32,
    /// The share of all records that carry one hot key, `key-0000` (0 to 1).
    #[serde(default)]
    pub hot_key_share: f64,
    /// Periods in which the producer offers `records_per_s` instead of its usual rate.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bursts: Vec<Burst>,
    /// Records per PutRecords call (AWS allows at most 500).
    #[serde(default = "default_put_batch_records")]
    pub put_batch_records: u32,
    /// SDK retries of a call that failed as a whole (a timeout, no answer).
    #[serde(default = "default_max_retries")]
    pub max_retries: u32,
    /// Resend the entries that a 200 response marked as failed. No SDK does this for
    /// you; a producer that does not loses them.
    #[serde(default)]
    pub retry_failed_records: bool,
    /// How many times a failed entry is resent before the producer gives up on it.
    #[serde(default = "default_resend_max_attempts")]
    pub resend_max_attempts: u32,
    #[serde(default = "default_backoff")]
    pub backoff: Backoff,
    #[serde(default = "default_backoff_base_ms")]
    pub backoff_base_ms: u64,
    #[serde(default = "default_backoff_cap_ms")]
    pub backoff_cap_ms: u64,
    /// How long the SDK waits for an answer before it gives up on an attempt.
    /// 120,000 ms is the JavaScript SDK v2's default socket timeout.
    #[serde(default = "default_request_timeout_ms")]
    pub request_timeout_ms: u64,
    /// The share of calls whose records are written but whose response never arrives:
    /// the producer times out, retries, and writes the records a second time.
    #[serde(default)]
    pub lost_response_rate: f64,
    /// Periods in which the network drops every call: nothing is written, each attempt
    /// waits for `request_timeout_ms`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outages: Vec<Period>,
}

fn default_record_bytes() -> u32 {
    1_000
}
fn default_partition_keys() -> u32 {
    1_000
}
fn default_put_batch_records() -> u32 {
    500
}
fn default_max_retries() -> u32 {
    3
}
fn default_resend_max_attempts() -> u32 {
    10
}
fn default_backoff() -> Backoff {
    Backoff::FullJitter
}
fn default_backoff_base_ms() -> u64 {
    100
}
fn default_backoff_cap_ms() -> u64 {
    20_000
}
fn default_request_timeout_ms() -> u64 {
    120_000
}

impl Default for ProducerConfig {
    fn default() -> Self {
        ProducerConfig {
            records_per_s: 0.0,
            record_bytes: default_record_bytes(),
            partition_keys: default_partition_keys(),
            hot_key_share: 0.0,
            bursts: Vec::new(),
            put_batch_records: default_put_batch_records(),
            max_retries: default_max_retries(),
            retry_failed_records: false,
            resend_max_attempts: default_resend_max_attempts(),
            backoff: default_backoff(),
            backoff_base_ms: default_backoff_base_ms(),
            backoff_cap_ms: default_backoff_cap_ms(),
            request_timeout_ms: default_request_timeout_ms(),
            lost_response_rate: 0.0,
            outages: Vec::new(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Burst {
    pub at_s: u64,
    pub for_s: u64,
    pub records_per_s: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Period {
    pub at_s: u64,
    pub for_s: u64,
}

/// One explicit PutRecords call.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PutCall {
    pub at_ms: u64,
    #[serde(rename = "Records")]
    pub records: Vec<PutEntry>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PutEntry {
    #[serde(rename = "PartitionKey")]
    pub partition_key: String,
    /// Base64, as in the AWS API.
    #[serde(rename = "Data")]
    pub data: String,
    /// A decimal 128-bit hash key that overrides the MD5 of the partition key.
    #[serde(
        rename = "ExplicitHashKey",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub explicit_hash_key: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum StartingPosition {
    #[serde(rename = "TRIM_HORIZON")]
    TrimHorizon,
    #[serde(rename = "LATEST")]
    Latest,
    /// From the first record that arrived at or after `StartingPositionTimestamp`.
    #[serde(rename = "AT_TIMESTAMP")]
    AtTimestamp,
}

unit_enum_deserialize!(StartingPosition { TrimHorizon = "TRIM_HORIZON", Latest = "LATEST", AtTimestamp = "AT_TIMESTAMP" });

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum FunctionResponseType {
    ReportBatchItemFailures,
}

unit_enum_deserialize!(FunctionResponseType { ReportBatchItemFailures = "ReportBatchItemFailures" });

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DestinationConfig {
    #[serde(rename = "OnFailure", default)]
    pub on_failure: OnFailure,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OnFailure {
    #[serde(
        rename = "Destination",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub destination: Option<String>,
}

/// An event source mapping. Defaults are those AWS returns for unset fields (2025).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MappingConfig {
    #[serde(rename = "FunctionName")]
    pub function_name: String,
    #[serde(default)]
    pub created_at_ms: u64,
    #[serde(rename = "BatchSize", default = "default_batch_size")]
    pub batch_size: u32,
    #[serde(rename = "MaximumBatchingWindowInSeconds", default)]
    pub maximum_batching_window_in_seconds: u32,
    #[serde(rename = "ParallelizationFactor", default = "one")]
    pub parallelization_factor: u32,
    #[serde(rename = "StartingPosition", default = "default_starting_position")]
    pub starting_position: StartingPosition,
    /// With AT_TIMESTAMP: where to start, in Unix seconds (a fraction gives
    /// milliseconds), as Lambda's StartingPositionTimestamp. The run's time 0 is
    /// 2026-01-01T00:00:00Z, 1767225600; AWS refuses a timestamp in the future.
    #[serde(
        rename = "StartingPositionTimestamp",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub starting_position_timestamp: Option<f64>,
    #[serde(rename = "MaximumRetryAttempts", default = "minus_one")]
    pub maximum_retry_attempts: i32,
    #[serde(rename = "MaximumRecordAgeInSeconds", default = "minus_one")]
    pub maximum_record_age_in_seconds: i32,
    #[serde(rename = "BisectBatchOnFunctionError", default)]
    pub bisect_batch_on_function_error: bool,
    #[serde(rename = "FunctionResponseTypes", default)]
    pub function_response_types: Vec<FunctionResponseType>,
    #[serde(rename = "TumblingWindowInSeconds", default)]
    pub tumbling_window_in_seconds: u32,
    #[serde(rename = "DestinationConfig", default)]
    pub destination_config: DestinationConfig,
    /// Read through an enhanced fan-out consumer (its own 2 MiB/s per shard) instead
    /// of the shared GetRecords throughput.
    #[serde(default)]
    pub enhanced_fan_out: bool,
}

fn default_batch_size() -> u32 {
    100
}
fn one() -> u32 {
    1
}
fn minus_one() -> i32 {
    -1
}
fn default_starting_position() -> StartingPosition {
    StartingPosition::TrimHorizon
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OnPoison {
    Throw,
    ReportItemFailure,
    Skip,
    Timeout,
}

unit_enum_deserialize!(OnPoison { Throw = "throw", ReportItemFailure = "report_item_failure", Skip = "skip", Timeout = "timeout" });

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Poison {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partition_keys: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_contains: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FunctionConfig {
    #[serde(rename = "FunctionName")]
    pub function_name: String,
    /// Seconds; AWS's default is 3.
    #[serde(rename = "Timeout", default = "default_timeout_s")]
    pub timeout: u32,
    #[serde(rename = "ReservedConcurrentExecutions", default)]
    pub reserved_concurrent_executions: Option<u32>,
    /// Time per invocation, whatever the batch holds.
    #[serde(default = "default_duration_ms")]
    pub duration_ms: u64,
    /// Time per record in the batch, on top of `duration_ms`.
    #[serde(default)]
    pub duration_per_record_ms: f64,
    #[serde(default)]
    pub poison: Poison,
    #[serde(default = "default_on_poison")]
    pub on_poison: OnPoison,
    /// When set, every invocation returns this JSON value verbatim.
    #[serde(default)]
    pub response: Option<serde_json::Value>,
    /// With a tumbling window, the `state` the function returns (without a verbatim
    /// `response`): by default the running count of the window's records.
    #[serde(default, skip_serializing_if = "TumblingState::is_default")]
    pub tumbling_state: TumblingState,
}

/// The `state` a function returns to a tumbling window, worked out from the state
/// the event handed it and the batch's records (aws-semantics.md §3, "Tumbling
/// windows": the response must carry `state`, which the next invocation of the
/// window receives).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TumblingState {
    /// `{"records": N}`: the running count of the window's records.
    #[default]
    RecordCount,
    /// `{"sum": X}`: the running total of this numeric field of each record's data
    /// read as a JSON object (a record without it adds 0). Written
    /// `{"sum_of": "FIELD"}`.
    SumOf(String),
}

impl TumblingState {
    pub fn is_default(&self) -> bool {
        *self == TumblingState::RecordCount
    }
}

fn default_timeout_s() -> u32 {
    3
}
fn default_duration_ms() -> u64 {
    100
}
fn default_on_poison() -> OnPoison {
    OnPoison::Throw
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountConfig {
    /// The Region's concurrency limit, shared by every function in the account.
    #[serde(
        rename = "ConcurrentExecutions",
        default = "default_account_concurrency"
    )]
    pub concurrent_executions: u32,
    /// Concurrency that the account's other functions want, whatever the stream does.
    #[serde(default)]
    pub other_functions_concurrency: u32,
    /// When the other functions' demand begins, in seconds from the start.
    #[serde(default)]
    pub other_functions_from_s: u64,
}

fn default_account_concurrency() -> u32 {
    1_000
}

impl Default for AccountConfig {
    fn default() -> Self {
        AccountConfig {
            concurrent_executions: default_account_concurrency(),
            other_functions_concurrency: 0,
            other_functions_from_s: 0,
        }
    }
}

/// One thing wrong with a scenario: where, and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// A path such as `event_source_mappings[0].BatchSize`.
    pub field: String,
    pub message: String,
}

/// Why a scenario was refused. Holds every problem found, not only the first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    pub errors: Vec<FieldError>,
}

impl ScenarioError {
    fn one(field: impl Into<String>, message: impl Into<String>) -> Self {
        ScenarioError {
            errors: vec![FieldError {
                field: field.into(),
                message: message.into(),
            }],
        }
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            if e.field.is_empty() {
                write!(f, "{}", e.message)?;
            } else {
                write!(f, "{}: {}", e.field, e.message)?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for ScenarioError {}

/// Reads a scenario from JSON and validates it.
///
/// A malformed document or a field of the wrong type is one error naming its field
/// path (`super::json_path`: worked out from where serde_json stopped, instead of a
/// second, path-tracking copy of the deserializer in the page's WebAssembly). Text
/// after the scenario's closing brace is refused too.
pub fn parse_scenario(json: &str) -> Result<Scenario, ScenarioError> {
    let scenario: Scenario = serde_json::from_str(json)
        .map_err(|e| ScenarioError::one(super::json_path::error_path(json, &e), e.to_string()))?;
    scenario.validate()?;
    Ok(scenario)
}

/// Upper bounds that are the playground's own, not AWS's, kept so a run stays
/// within a browser's memory and a reader's patience.
pub mod bounds {
    /// AWS's UpdateShardCount allows at most 10,000 shards per stream.
    pub const SHARDS_MAX: u32 = 10_000;
    /// A year and a day of simulated time.
    pub const DURATION_S_MAX: u64 = 366 * 86_400;
    pub const RECORDS_PER_S_MAX: f64 = 100_000_000.0;
    /// The per-stream default MaxRecordSizeInKiB is 1024.
    pub const RECORD_BYTES_MAX: u32 = 1_048_576;
    /// AWS's largest data blob (the Data shape's maximum since October 2025: 10 MiB).
    pub const DATA_BYTES_MAX: u32 = 10_485_760;
    /// AWS's largest PutRecords request, data and partition keys together (10 MiB
    /// since October 2025; 5 MiB before).
    pub const PUT_RECORDS_REQUEST_BYTES_MAX: u64 = 10_485_760;
    /// On demand: the write throughput an on-demand stream scales to in us-east-1,
    /// us-west-2 and eu-west-1 (10 GB/s, taken as 10,240 MiB/s), AWS quotas page.
    pub const ON_DEMAND_WRITE_MIB_PER_S_MAX: f64 = 10_240.0;
    /// The largest MaxRecordSizeInKiB a stream with mappings may have. GetRecords
    /// reads any record (a call returns up to 10 MiB), but the mapping sends it to the
    /// function base64-encoded in an event that Lambda holds to 6 MB: a record of
    /// 4 MiB weighs about 5.3 MiB there and always fits; one of 4.5 MiB weighs 6 MiB
    /// as base64 alone and never does, and AWS does not document what a mapping does
    /// with such a record.
    pub const READ_MAX_RECORD_SIZE_KIB: u32 = 4_096;
    /// On demand: a new stream's write capacity is 4 MB/s, the capacity of 4 shards.
    pub const ON_DEMAND_SHARDS_MIN: u32 = 4;
    pub const PARTITION_KEYS_MAX: u32 = 1_000_000;
    pub const RETRIES_MAX: u32 = 100;
    pub const BACKOFF_MS_MAX: u64 = 600_000;
    pub const REQUEST_TIMEOUT_MS_MAX: u64 = 3_600_000;
    pub const EXPLICIT_PUT_RECORDS_MAX: usize = 100_000;
    pub const FUNCTION_DURATION_MS_MAX: u64 = 5_400_000;
    pub const ACCOUNT_CONCURRENCY_MAX: u32 = 1_000_000;
}

/// Collects every problem in a scenario before reporting.
struct Checker {
    errors: Vec<FieldError>,
}

impl Checker {
    fn fail(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.errors.push(FieldError {
            field: field.into(),
            message: message.into(),
        });
    }

    fn range_u64(&mut self, field: &str, value: u64, min: u64, max: u64, why: &str) {
        if value < min || value > max {
            self.fail(
                field,
                format!("{value} is out of range: allowed {min} to {max}{why}"),
            );
        }
    }

    fn range_f64(&mut self, field: &str, value: f64, min: f64, max: f64, why: &str) {
        if !value.is_finite() || value < min || value > max {
            let (value, min, max) = (Shortest(value), Shortest(min), Shortest(max));
            self.fail(
                field,
                format!("{value} is out of range: allowed {min} to {max}{why}"),
            );
        }
    }
}

impl Scenario {
    /// Checks every value against AWS's range (or the playground's, where AWS has none).
    pub fn validate(&self) -> Result<(), ScenarioError> {
        use bounds::*;
        let mut c = Checker { errors: Vec::new() };
        if self.format != FORMAT {
            c.fail(
                "format",
                format!(
                    "{} is not a format this build reads: allowed {FORMAT}",
                    self.format
                ),
            );
        }
        c.range_u64(
            "duration_s",
            self.duration_s,
            1,
            DURATION_S_MAX,
            " seconds (one year and a day)",
        );

        let s = &self.stream;
        let name_ok = !s.stream_name.is_empty()
            && s.stream_name.len() <= 128
            && s.stream_name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b));
        if !name_ok {
            c.fail(
                "stream.StreamName",
                format!("{:?} is not a valid stream name: allowed 1 to 128 characters of a-z, A-Z, 0-9, _ . -", s.stream_name),
            );
        }
        c.range_u64(
            "stream.ShardCount",
            s.shard_count.into(),
            1,
            SHARDS_MAX.into(),
            " (AWS's UpdateShardCount maximum)",
        );
        for (field, message) in super::reshard::check(
            &s.reshards,
            s.shard_count,
            s.is_on_demand(),
            self.duration_s,
        ) {
            c.fail(field, message);
        }
        c.range_u64(
            "stream.RetentionPeriodHours",
            s.retention_period_hours.into(),
            24,
            8_760,
            " hours (AWS: 24 hours to 365 days)",
        );

        c.range_u64(
            "stream.MaxRecordSizeInKiB",
            s.max_record_size_in_kib.into(),
            MAX_RECORD_SIZE_KIB_MIN.into(),
            MAX_RECORD_SIZE_KIB_MAX.into(),
            " KiB (AWS: 1 MiB to 10 MiB, set with CreateStream or UpdateMaxRecordSize)",
        );
        if !self.event_source_mappings.is_empty()
            && s.max_record_size_in_kib > READ_MAX_RECORD_SIZE_KIB
        {
            c.fail(
                "stream.MaxRecordSizeInKiB",
                format!(
                    "{} with an event source mapping is not modelled: allowed 1024 to {READ_MAX_RECORD_SIZE_KIB} KiB while the stream has mappings (a record of 4.5 MiB or more, base64-encoded, does not fit Lambda's 6 MB invocation payload, and AWS does not document what the mapping does with such a record)",
                    s.max_record_size_in_kib
                ),
            );
        }
        if s.is_on_demand() {
            c.range_u64(
                "stream.ShardCount",
                s.shard_count.into(),
                ON_DEMAND_SHARDS_MIN.into(),
                SHARDS_MAX.into(),
                " with StreamMode ON_DEMAND (the shards behind the stream: a new on-demand stream starts with 4 MB/s of write, 4 shards' worth)",
            );
            c.range_f64(
                "stream.previous_peak_write_mib_per_s",
                s.previous_peak_write_mib_per_s,
                0.0,
                ON_DEMAND_WRITE_MIB_PER_S_MAX,
                " MiB/s (0 is a new stream; AWS scales an on-demand stream to at most 10 GB/s of write)",
            );
        } else if s.previous_peak_write_mib_per_s != 0.0 {
            c.fail(
                "stream.previous_peak_write_mib_per_s",
                format!(
                    "{} applies only to an on-demand stream: allowed 0 with StreamMode PROVISIONED (set StreamModeDetails.StreamMode to ON_DEMAND)",
                    Shortest(s.previous_peak_write_mib_per_s)
                ),
            );
        }

        if let Some(p) = &self.producer {
            self.validate_producer(&mut c, p);
        }

        let explicit: usize = self.puts.iter().map(|p| p.records.len()).sum();
        if explicit > EXPLICIT_PUT_RECORDS_MAX {
            c.fail("puts", format!("{explicit} explicit records: allowed at most {EXPLICIT_PUT_RECORDS_MAX}; use a producer for bulk load"));
        }
        for (i, call) in self.puts.iter().enumerate() {
            let at = format!("puts[{i}]");
            if call.records.is_empty() || call.records.len() > 500 {
                c.fail(
                    format!("{at}.Records"),
                    format!(
                        "{} records in one PutRecords call: allowed 1 to 500 (AWS)",
                        call.records.len()
                    ),
                );
            }
            if call.at_ms > self.duration_s.saturating_mul(1_000) {
                c.fail(
                    format!("{at}.at_ms"),
                    format!(
                        "{} is after the end of the run at {} ms",
                        call.at_ms,
                        self.duration_s * 1_000
                    ),
                );
            }
            for (j, r) in call.records.iter().enumerate() {
                let at = format!("{at}.Records[{j}]");
                let key_chars = r.partition_key.chars().count();
                if !(1..=256).contains(&key_chars) {
                    c.fail(
                        format!("{at}.PartitionKey"),
                        format!("{key_chars} characters: allowed 1 to 256 (AWS)"),
                    );
                }
                // A record over the stream's MaxRecordSizeInKiB is valid input: AWS
                // refuses its call when it is made (see `sim::producer`). Data over
                // the API's own maximum cannot be sent at all.
                match super::hash::decode_base64(&r.data) {
                    Err(why) => c.fail(format!("{at}.Data"), format!("is not valid base64: {why}")),
                    Ok(bytes) if bytes.len() > DATA_BYTES_MAX as usize => c.fail(
                        format!("{at}.Data"),
                        format!("{} bytes: allowed at most {DATA_BYTES_MAX} (AWS's largest data blob, 10 MiB)", bytes.len()),
                    ),
                    Ok(_) => {}
                }
                if let Some(h) = &r.explicit_hash_key {
                    if super::hash::parse_hash_key(h).is_none() {
                        c.fail(
                            format!("{at}.ExplicitHashKey"),
                            format!("{h:?} is not a decimal number from 0 to 2^128-1"),
                        );
                    }
                }
            }
        }

        for (i, m) in self.event_source_mappings.iter().enumerate() {
            self.validate_mapping(&mut c, i, m);
        }
        for (i, f) in self.functions.iter().enumerate() {
            let at = format!("functions[{i}]");
            if !function_name_ok(&f.function_name) {
                c.fail(
                    format!("{at}.FunctionName"),
                    format!("{:?} is not a valid function name: allowed 1 to 64 characters of a-z, A-Z, 0-9, - and _ (AWS Lambda)", f.function_name),
                );
            }
            if self.functions[..i]
                .iter()
                .any(|g| g.function_name == f.function_name)
            {
                c.fail(
                    format!("{at}.FunctionName"),
                    format!("{:?} is defined twice: each function once", f.function_name),
                );
            }
            c.range_u64(
                &format!("{at}.Timeout"),
                f.timeout.into(),
                1,
                900,
                " seconds (AWS)",
            );
            c.range_u64(
                &format!("{at}.duration_ms"),
                f.duration_ms,
                0,
                FUNCTION_DURATION_MS_MAX,
                " ms",
            );
            c.range_f64(
                &format!("{at}.duration_per_record_ms"),
                f.duration_per_record_ms,
                0.0,
                60_000.0,
                " ms",
            );
            if let Some(r) = f.reserved_concurrent_executions {
                let max = self.account.concurrent_executions.saturating_sub(100);
                c.range_u64(
                    &format!("{at}.ReservedConcurrentExecutions"),
                    r.into(),
                    0,
                    max.into(),
                    " (AWS keeps 100 of the account's concurrency unreserved)",
                );
            }
            if let TumblingState::SumOf(field) = &f.tumbling_state {
                if field.is_empty() || field.len() > 256 {
                    c.fail(
                        format!("{at}.tumbling_state.sum_of"),
                        format!("{field:?} is not a field name: allowed 1 to 256 characters"),
                    );
                }
            }
        }
        let reserved: u64 = self
            .functions
            .iter()
            .filter_map(|f| f.reserved_concurrent_executions)
            .map(u64::from)
            .sum();
        let reservable = u64::from(self.account.concurrent_executions.saturating_sub(100));
        if reserved > reservable {
            c.fail(
                "functions",
                format!("{reserved} reserved in all: allowed at most {reservable} (the account limit less the 100 AWS keeps unreserved)"),
            );
        }
        c.range_u64(
            "account.ConcurrentExecutions",
            self.account.concurrent_executions.into(),
            1,
            ACCOUNT_CONCURRENCY_MAX.into(),
            " (AWS's default is 1,000 per Region)",
        );
        c.range_u64(
            "account.other_functions_concurrency",
            self.account.other_functions_concurrency.into(),
            0,
            ACCOUNT_CONCURRENCY_MAX.into(),
            "",
        );

        if let Some(lesson) = &self.lesson {
            for (field, message) in lesson.problems(self.duration_s) {
                c.fail(format!("lesson.{field}"), message);
            }
        }
        // The light build reads every challenge as none (`challenge_read_past`), so
        // that these checks are not in its WebAssembly either.
        #[cfg(not(feature = "light"))]
        if let Some(challenge) = &self.challenge {
            for (field, message) in challenge.problems() {
                c.fail(format!("challenge.{field}"), message);
            }
        }
        if c.errors.is_empty() {
            Ok(())
        } else {
            Err(ScenarioError { errors: c.errors })
        }
    }

    fn validate_producer(&self, c: &mut Checker, p: &ProducerConfig) {
        use bounds::*;
        c.range_f64(
            "producer.records_per_s",
            p.records_per_s,
            0.0,
            RECORDS_PER_S_MAX,
            " records/s",
        );
        // Data alone may be up to the stream's MaxRecordSizeInKiB; a record whose data
        // plus partition key is over it is valid input, refused by AWS when its calls
        // are made (see `sim::producer`).
        let max_record = self.stream.max_record_bytes();
        c.range_u64(
            "producer.record_bytes",
            p.record_bytes.into(),
            1,
            max_record,
            &format!(
                " bytes (the stream's MaxRecordSizeInKiB of {} KiB)",
                self.stream.max_record_size_in_kib
            ),
        );
        c.range_u64(
            "producer.partition_keys",
            p.partition_keys.into(),
            1,
            PARTITION_KEYS_MAX.into(),
            " keys",
        );
        c.range_f64("producer.hot_key_share", p.hot_key_share, 0.0, 1.0, "");
        c.range_u64(
            "producer.put_batch_records",
            p.put_batch_records.into(),
            1,
            500,
            " records per PutRecords call (AWS)",
        );
        c.range_u64(
            "producer.max_retries",
            p.max_retries.into(),
            0,
            RETRIES_MAX.into(),
            "",
        );
        c.range_u64(
            "producer.resend_max_attempts",
            p.resend_max_attempts.into(),
            0,
            RETRIES_MAX.into(),
            "",
        );
        c.range_u64(
            "producer.backoff_base_ms",
            p.backoff_base_ms,
            1,
            BACKOFF_MS_MAX,
            " ms",
        );
        c.range_u64(
            "producer.backoff_cap_ms",
            p.backoff_cap_ms,
            p.backoff_base_ms.max(1),
            BACKOFF_MS_MAX,
            " ms (at least backoff_base_ms)",
        );
        c.range_u64(
            "producer.request_timeout_ms",
            p.request_timeout_ms,
            1,
            REQUEST_TIMEOUT_MS_MAX,
            " ms",
        );
        c.range_f64(
            "producer.lost_response_rate",
            p.lost_response_rate,
            0.0,
            1.0,
            "",
        );
        for (i, b) in p.bursts.iter().enumerate() {
            let at = format!("producer.bursts[{i}]");
            c.range_f64(
                &format!("{at}.records_per_s"),
                b.records_per_s,
                0.0,
                RECORDS_PER_S_MAX,
                " records/s",
            );
            c.range_u64(
                &format!("{at}.for_s"),
                b.for_s,
                1,
                DURATION_S_MAX,
                " seconds",
            );
            c.range_u64(
                &format!("{at}.at_s"),
                b.at_s,
                0,
                self.duration_s,
                " seconds (within the run)",
            );
        }
        for (i, o) in p.outages.iter().enumerate() {
            let at = format!("producer.outages[{i}]");
            c.range_u64(
                &format!("{at}.for_s"),
                o.for_s,
                1,
                DURATION_S_MAX,
                " seconds",
            );
            c.range_u64(
                &format!("{at}.at_s"),
                o.at_s,
                0,
                self.duration_s,
                " seconds (within the run)",
            );
        }
    }

    fn validate_mapping(&self, c: &mut Checker, i: usize, m: &MappingConfig) {
        let at = format!("event_source_mappings[{i}]");
        if !self
            .functions
            .iter()
            .any(|f| f.function_name == m.function_name)
        {
            let known: Vec<&str> = self
                .functions
                .iter()
                .map(|f| f.function_name.as_str())
                .collect();
            c.fail(
                format!("{at}.FunctionName"),
                format!(
                    "{:?} names no function: allowed one of {known:?} (add it to \"functions\")",
                    m.function_name
                ),
            );
        }
        c.range_u64(
            &format!("{at}.BatchSize"),
            m.batch_size.into(),
            1,
            10_000,
            " (AWS, for Kinesis)",
        );
        c.range_u64(
            &format!("{at}.MaximumBatchingWindowInSeconds"),
            m.maximum_batching_window_in_seconds.into(),
            0,
            300,
            " seconds (AWS)",
        );
        c.range_u64(
            &format!("{at}.ParallelizationFactor"),
            m.parallelization_factor.into(),
            1,
            10,
            " (AWS)",
        );
        if m.maximum_retry_attempts < -1 || m.maximum_retry_attempts > 10_000 {
            c.fail(
                format!("{at}.MaximumRetryAttempts"),
                format!("{} is out of range: allowed -1 (retry until the record expires) or 0 to 10000 (AWS)", m.maximum_retry_attempts),
            );
        }
        let age = m.maximum_record_age_in_seconds;
        if !(age == -1 || (60..=604_800).contains(&age)) {
            c.fail(
                format!("{at}.MaximumRecordAgeInSeconds"),
                format!("{age} is out of range: allowed -1 (no limit) or 60 to 604800 seconds (AWS rejects 0 to 59)"),
            );
        }
        c.range_u64(
            &format!("{at}.TumblingWindowInSeconds"),
            m.tumbling_window_in_seconds.into(),
            0,
            900,
            " seconds (AWS; 0 is off)",
        );
        if m.tumbling_window_in_seconds > 0 && m.parallelization_factor > 1 {
            c.fail(
                format!("{at}.TumblingWindowInSeconds"),
                format!(
                    "{} with ParallelizationFactor {} is not modelled: allowed with ParallelizationFactor 1 (a window aggregates one shard in order; AWS documents no rule for more)",
                    m.tumbling_window_in_seconds, m.parallelization_factor
                ),
            );
        }
        let created_s = EPOCH_S + m.created_at_ms as f64 / 1_000.0;
        let (created, epoch) = (Shortest(created_s), Shortest(EPOCH_S));
        match (m.starting_position, m.starting_position_timestamp) {
            (StartingPosition::AtTimestamp, None) => c.fail(
                format!("{at}.StartingPositionTimestamp"),
                format!("missing: StartingPosition AT_TIMESTAMP needs one, in Unix seconds: allowed 0 to {created} (the mapping's creation; AWS refuses a timestamp in the future)"),
            ),
            (StartingPosition::AtTimestamp, Some(ts)) if !ts.is_finite() || !(0.0..=created_s).contains(&ts) => c.fail(
                format!("{at}.StartingPositionTimestamp"),
                format!("{} is out of range: allowed 0 to {created} Unix seconds (the mapping's creation at created_at_ms {}; AWS refuses a timestamp in the future, and the run starts at {epoch}, 2026-01-01T00:00:00Z)", Shortest(ts), m.created_at_ms),
            ),
            (StartingPosition::TrimHorizon | StartingPosition::Latest, Some(ts)) => c.fail(
                format!("{at}.StartingPositionTimestamp"),
                format!("{} is set with StartingPosition {}: allowed only with AT_TIMESTAMP", Shortest(ts), if m.starting_position == StartingPosition::Latest { "LATEST" } else { "TRIM_HORIZON" }),
            ),
            _ => {}
        }
        if m.function_response_types.len() > 1 {
            c.fail(
                format!("{at}.FunctionResponseTypes"),
                "allowed [] or [\"ReportBatchItemFailures\"]",
            );
        }
        if m.created_at_ms > self.duration_s.saturating_mul(1_000) {
            c.fail(
                format!("{at}.created_at_ms"),
                format!(
                    "{} is after the end of the run at {} ms",
                    m.created_at_ms,
                    self.duration_s * 1_000
                ),
            );
        }
        if let Some(arn) = &m.destination_config.on_failure.destination {
            let ok = ["arn:aws:sqs:", "arn:aws:sns:", "arn:aws:s3:"]
                .iter()
                .any(|p| arn.starts_with(p));
            if !ok {
                c.fail(
                    format!("{at}.DestinationConfig.OnFailure.Destination"),
                    format!("{arn:?} is not an SQS, SNS or S3 ARN: allowed arn:aws:sqs:..., arn:aws:sns:... or arn:aws:s3:::bucket"),
                );
            } else if !arn_chars_ok(arn) {
                // An ARN is one line of printable characters; anything else would end
                // up inside the exported CLI and CloudFormation texts.
                c.fail(
                    format!("{at}.DestinationConfig.OnFailure.Destination"),
                    format!("{arn:?} is not a valid ARN: allowed up to {ARN_LEN_MAX} characters of a-z, A-Z, 0-9 and : / _ . - + = , @"),
                );
            }
        }
    }
}

/// The run's time 0 in Unix seconds: 2026-01-01T00:00:00Z (`sim::time::EPOCH_MS`).
const EPOCH_S: f64 = super::time::EPOCH_MS as f64 / 1_000.0;

/// AWS Lambda's function names: 1 to 64 letters, digits, hyphens and underscores.
fn function_name_ok(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The longest destination ARN AWS accepts.
const ARN_LEN_MAX: usize = 350;

/// An ARN's characters: one line, no spaces, no quotes.
fn arn_chars_ok(arn: &str) -> bool {
    arn.len() <= ARN_LEN_MAX
        && arn
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b":/_.-+=,@".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_without_data_read_the_names_they_write_and_refuse_others_as_the_derive_did() {
        fn round_trip<T: Serialize + for<'de> Deserialize<'de> + PartialEq + fmt::Debug>(
            all: &[T],
        ) {
            for v in all {
                let json = serde_json::to_string(v).unwrap_or_default();
                let back: Result<T, _> = serde_json::from_str(&json);
                assert_eq!(back.as_ref().ok(), Some(v), "{json}");
                // serde_json's other form of a variant without data.
                let map = format!("{{{json}:null}}");
                let back: Result<T, _> = serde_json::from_str(&map);
                assert_eq!(back.as_ref().ok(), Some(v), "{map}");
            }
        }
        round_trip(&[StreamMode::Provisioned, StreamMode::OnDemand]);
        round_trip(&[Backoff::FullJitter, Backoff::EqualJitter, Backoff::NoJitter]);
        use StartingPosition::*;
        round_trip(&[TrimHorizon, Latest, AtTimestamp]);
        round_trip(&[FunctionResponseType::ReportBatchItemFailures]);
        use OnPoison::*;
        round_trip(&[Throw, ReportItemFailure, Skip, Timeout]);

        let e = |json: &str| {
            serde_json::from_str::<StartingPosition>(json)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
        };
        assert_eq!(
            e(r#""LATE""#),
            "unknown variant `LATE`, expected one of `TRIM_HORIZON`, `LATEST`, `AT_TIMESTAMP` at line 1 column 6"
        );
        assert_eq!(e("5"), "expected value at line 1 column 1");
        assert_eq!(
            e(r#"{"LATEST":1}"#),
            "invalid type: integer `1`, expected unit at line 1 column 11"
        );
        assert_eq!(
            serde_json::from_str::<FunctionResponseType>(r#""X""#)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default(),
            "unknown variant `X`, expected `ReportBatchItemFailures` at line 1 column 3"
        );
        // Through the scenario, with the field's path.
        let e = errors_of(
            r#"{"format":1,"functions":[{"FunctionName":"f"}],"event_source_mappings":[{"FunctionName":"f","StartingPosition":"EARLIEST"}]}"#,
        );
        assert!(
            e.contains("event_source_mappings[0].StartingPosition")
                && e.contains("unknown variant `EARLIEST`, expected one of `TRIM_HORIZON`, `LATEST`, `AT_TIMESTAMP`"),
            "{e}"
        );
    }

    fn errors_of(json: &str) -> String {
        match parse_scenario(json) {
            Ok(_) => panic!("accepted: {json}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn a_challenge_is_checked_by_the_page_and_read_as_none_by_the_light_build() {
        // An empty goal, no goals, no settings: three problems for the page.
        let json = r#"{"format":1,"challenge":{"goal":" ","goals":{},"knobs":[],"seed":1}}"#;
        if cfg!(feature = "light") {
            let s = parse_scenario(json).unwrap_or_else(|e| panic!("{e}"));
            assert!(s.challenge.is_none());
        } else {
            let e = errors_of(json);
            assert!(e.contains("challenge.goal: is empty"), "{e}");
            assert!(e.contains("challenge.goals: sets no goal"), "{e}");
            assert!(e.contains("challenge.knobs: is empty"), "{e}");
        }
    }

    #[test]
    fn the_smallest_scenario_takes_aws_defaults() {
        let s = parse_scenario(r#"{"format":1}"#).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.stream.shard_count, 4);
        assert_eq!(s.stream.retention_period_hours, 24);
        assert_eq!(s.account.concurrent_executions, 1_000);
    }

    #[test]
    fn a_wrong_type_names_its_field() {
        let e = errors_of(r#"{"format":1,"stream":{"ShardCount":"four"}}"#);
        assert!(e.starts_with("stream.ShardCount: invalid type"), "{e}");
    }

    #[test]
    fn an_unknown_field_is_refused_with_the_allowed_names() {
        let e = errors_of(r#"{"format":1,"stream":{"ShardCont":4}}"#);
        assert!(
            e.contains("unknown field `ShardCont`") && e.contains("ShardCount"),
            "{e}"
        );
    }

    #[test]
    fn out_of_range_values_name_field_value_and_range() {
        let e = errors_of(r#"{"format":1,"stream":{"RetentionPeriodHours":12,"ShardCount":0}}"#);
        assert!(
            e.contains("stream.RetentionPeriodHours: 12 is out of range: allowed 24 to 8760"),
            "{e}"
        );
        assert!(
            e.contains("stream.ShardCount: 0 is out of range: allowed 1 to 10000"),
            "{e}"
        );
    }

    #[test]
    fn names_and_arns_that_would_break_the_exported_texts_are_refused() {
        // A newline in a name would add lines to the CloudFormation template.
        let e = errors_of(
            r#"{"format":1,"functions":[{"FunctionName":"evil\n  Evil: yes"}],"event_source_mappings":[{"FunctionName":"evil\n  Evil: yes"}]}"#,
        );
        assert!(
            e.contains("functions[0].FunctionName") && e.contains("is not a valid function name"),
            "{e}"
        );
        let long = "f".repeat(65);
        assert!(errors_of(&format!(
            r#"{{"format":1,"functions":[{{"FunctionName":"{long}"}}]}}"#
        ))
        .contains("1 to 64 characters"));
        let e = errors_of(
            r#"{"format":1,"functions":[{"FunctionName":"f"}],"event_source_mappings":[{"FunctionName":"f","DestinationConfig":{"OnFailure":{"Destination":"arn:aws:sqs:us-east-1:123456789012:q\nX: y"}}}]}"#,
        );
        assert!(e.contains("is not a valid ARN"), "{e}");
        assert!(parse_scenario(
            r#"{"format":1,"functions":[{"FunctionName":"process_orders-2"}],"event_source_mappings":[{"FunctionName":"process_orders-2","DestinationConfig":{"OnFailure":{"Destination":"arn:aws:sqs:us-east-1:123456789012:stream-failures"}}}]}"#
        )
        .is_ok());
    }

    #[test]
    fn max_record_age_rejects_0_to_59_as_aws_does() {
        let base = r#"{"format":1,"functions":[{"FunctionName":"f"}],"event_source_mappings":[{"FunctionName":"f","MaximumRecordAgeInSeconds":AGE}]}"#;
        assert!(errors_of(&base.replace("AGE", "30"))
            .contains("MaximumRecordAgeInSeconds: 30 is out of range"));
        assert!(parse_scenario(&base.replace("AGE", "60")).is_ok());
        assert!(parse_scenario(&base.replace("AGE", "-1")).is_ok());
    }

    /// AWS's UpdateMaxRecordSize reference: "Specify a value between 1024 and 10240
    /// KiB (1 to 10 MiB)"; the Kinesis API model's MaxRecordSizeInKiB shape (botocore
    /// 1.43.11: min 1024, max 10240).
    #[test]
    fn max_record_size_takes_aws_s_range_and_bounds_the_producer_s_records() {
        let e = errors_of(r#"{"format":1,"stream":{"MaxRecordSizeInKiB":512}}"#);
        assert!(
            e.contains("stream.MaxRecordSizeInKiB: 512 is out of range: allowed 1024 to 10240 KiB"),
            "{e}"
        );
        assert!(
            errors_of(r#"{"format":1,"stream":{"MaxRecordSizeInKiB":10241}}"#)
                .contains("allowed 1024 to 10240")
        );
        let s = parse_scenario(r#"{"format":1,"stream":{"MaxRecordSizeInKiB":10240}}"#)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.stream.max_record_bytes(), 10_485_760);
        assert_eq!(
            parse_scenario(r#"{"format":1}"#)
                .unwrap_or_else(|e| panic!("{e}"))
                .stream
                .max_record_size_in_kib,
            1_024,
            "AWS's default for new and existing streams"
        );
        let e = errors_of(r#"{"format":1,"producer":{"record_bytes":1048577}}"#);
        assert!(
            e.contains("producer.record_bytes: 1048577 is out of range: allowed 1 to 1048576 bytes (the stream's MaxRecordSizeInKiB of 1024 KiB)"),
            "{e}"
        );
        assert!(parse_scenario(
            r#"{"format":1,"stream":{"MaxRecordSizeInKiB":4096},"producer":{"record_bytes":3000000}}"#
        )
        .is_ok());
    }

    #[test]
    fn records_a_mapping_could_not_read_are_refused_as_not_modelled() {
        let e = errors_of(
            r#"{"format":1,"stream":{"MaxRecordSizeInKiB":4097},"functions":[{"FunctionName":"f"}],"event_source_mappings":[{"FunctionName":"f"}]}"#,
        );
        assert!(
            e.contains("stream.MaxRecordSizeInKiB: 4097 with an event source mapping is not modelled: allowed 1024 to 4096 KiB"),
            "{e}"
        );
        assert!(parse_scenario(
            r#"{"format":1,"stream":{"MaxRecordSizeInKiB":4096},"functions":[{"FunctionName":"f"}],"event_source_mappings":[{"FunctionName":"f"}]}"#
        )
        .is_ok());
    }

    #[test]
    fn on_demand_needs_its_starting_shards_and_the_peak_belongs_to_on_demand() {
        let ok = parse_scenario(
            r#"{"format":1,"stream":{"StreamModeDetails":{"StreamMode":"ON_DEMAND"},"previous_peak_write_mib_per_s":12.5}}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(ok.stream.is_on_demand());
        let e = errors_of(
            r#"{"format":1,"stream":{"StreamModeDetails":{"StreamMode":"ON_DEMAND"},"ShardCount":2}}"#,
        );
        assert!(
            e.contains("stream.ShardCount: 2 is out of range: allowed 4 to 10000 with StreamMode ON_DEMAND"),
            "{e}"
        );
        let e = errors_of(r#"{"format":1,"stream":{"previous_peak_write_mib_per_s":3}}"#);
        assert!(
            e.contains(
                "stream.previous_peak_write_mib_per_s: 3 applies only to an on-demand stream"
            ),
            "{e}"
        );
        let e = errors_of(
            r#"{"format":1,"stream":{"StreamModeDetails":{"StreamMode":"ON_DEMAND"},"previous_peak_write_mib_per_s":20000}}"#,
        );
        assert!(e.contains("allowed 0 to 10240 MiB/s"), "{e}");
        let e =
            errors_of(r#"{"format":1,"stream":{"StreamModeDetails":{"StreamMode":"SOMETIMES"}}}"#);
        assert!(
            e.starts_with("stream.StreamModeDetails.StreamMode: unknown variant `SOMETIMES`")
                && e.contains("ON_DEMAND"),
            "{e}"
        );
    }

    /// Lambda's CreateEventSourceMapping (botocore 1.43.11 model):
    /// "StartingPositionTimestamp: With StartingPosition set to AT_TIMESTAMP, the time
    /// from which to start reading. StartingPositionTimestamp cannot be in the future."
    #[test]
    fn at_timestamp_needs_a_timestamp_that_is_not_in_the_future() {
        let base = r#"{"format":1,"duration_s":600,"functions":[{"FunctionName":"f"}],"event_source_mappings":[{"FunctionName":"f","created_at_ms":60000,MORE}]}"#;
        let at = |more: &str| base.replace("MORE", more);
        assert!(parse_scenario(&at(
            r#""StartingPosition":"AT_TIMESTAMP","StartingPositionTimestamp":1767225630.5"#
        ))
        .is_ok());
        // Exactly the creation time is not in the future.
        assert!(parse_scenario(&at(
            r#""StartingPosition":"AT_TIMESTAMP","StartingPositionTimestamp":1767225660"#
        ))
        .is_ok());
        let e = errors_of(&at(
            r#""StartingPosition":"AT_TIMESTAMP","StartingPositionTimestamp":1767225661"#,
        ));
        assert!(
            e.contains("event_source_mappings[0].StartingPositionTimestamp: 1767225661 is out of range: allowed 0 to 1767225660 Unix seconds (the mapping's creation at created_at_ms 60000; AWS refuses a timestamp in the future"),
            "{e}"
        );
        let e = errors_of(&at(r#""StartingPosition":"AT_TIMESTAMP""#));
        assert!(
            e.contains("event_source_mappings[0].StartingPositionTimestamp: missing"),
            "{e}"
        );
        let e = errors_of(&at(
            r#""StartingPosition":"LATEST","StartingPositionTimestamp":1767225600"#,
        ));
        assert!(
            e.contains("is set with StartingPosition LATEST: allowed only with AT_TIMESTAMP"),
            "{e}"
        );
    }

    #[test]
    fn a_mapping_must_name_a_defined_function() {
        let e = errors_of(
            r#"{"format":1,"functions":[{"FunctionName":"f"}],"event_source_mappings":[{"FunctionName":"g"}]}"#,
        );
        assert!(
            e.contains("event_source_mappings[0].FunctionName: \"g\" names no function"),
            "{e}"
        );
    }

    #[test]
    fn malformed_json_and_unknown_format_are_refused() {
        assert!(errors_of(r#"{"format":1,"#).contains("EOF"));
        assert!(errors_of(r#"{"format":2}"#).contains("format: 2 is not a format this build reads"));
    }

    #[test]
    fn bad_base64_and_oversized_calls_are_refused() {
        let e = errors_of(
            r#"{"format":1,"puts":[{"at_ms":0,"Records":[{"PartitionKey":"k","Data":"@@@"}]}]}"#,
        );
        // The Kinesis API model's Data shape: at most 10485760 bytes.
        let big = crate::sim::hash::encode_base64(&vec![0u8; 10_485_761]);
        let e2 = errors_of(&format!(
            r#"{{"format":1,"puts":[{{"at_ms":0,"Records":[{{"PartitionKey":"k","Data":"{big}"}}]}}]}}"#
        ));
        assert!(
            e2.contains("puts[0].Records[0].Data: 10485761 bytes: allowed at most 10485760"),
            "{e2}"
        );
        assert!(
            e.contains("puts[0].Records[0].Data: is not valid base64"),
            "{e}"
        );
        let many: Vec<String> = (0..501)
            .map(|i| format!(r#"{{"PartitionKey":"k{i}","Data":""}}"#))
            .collect();
        let e = errors_of(&format!(
            r#"{{"format":1,"puts":[{{"at_ms":0,"Records":[{}]}}]}}"#,
            many.join(",")
        ));
        assert!(
            e.contains("puts[0].Records: 501 records in one PutRecords call: allowed 1 to 500"),
            "{e}"
        );
    }
}
