//! Every knob the page offers: AWS's name, a one-line explanation, the range and step
//! AWS allows (or the playground's where AWS has none), the default, the unit, where
//! the range comes from, and whether it applies live (a [`Command`]) or reshapes the
//! simulation (a rebuild replayed to the same moment).
//!
//! Values are `f64` whatever the control: a toggle is 0 or 1, a choice its index, an
//! optional number uses -1 for "off". Pure: tested natively against the scenario's own
//! validator, so the page's ranges cannot drift from what the core accepts.

use crate::sim::scenario::{
    bounds, FunctionConfig, FunctionResponseType, MappingConfig, OnPoison, ProducerConfig,
};
use crate::sim::{Command, Scenario};

/// The controls' groups, in the order the page shows them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    Stream,
    Producer,
    Mapping,
    Function,
    Account,
}

impl Group {
    pub const ALL: [Group; 5] = [
        Group::Stream,
        Group::Producer,
        Group::Mapping,
        Group::Function,
        Group::Account,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Group::Stream => "Stream",
            Group::Producer => "Producer",
            Group::Mapping => "Event source mapping",
            Group::Function => "Function",
            Group::Account => "Account",
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            Group::Stream => "stream",
            Group::Producer => "producer",
            Group::Mapping => "mapping",
            Group::Function => "function",
            Group::Account => "account",
        }
    }
}

/// How a change reaches the simulation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Apply {
    /// A [`Command`] applied to the running simulation.
    Live,
    /// The scenario changes and the simulation is rebuilt and replayed to now.
    Rebuild,
}

/// How the page draws the knob.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Control {
    /// A range slider with the number beside it. `log` sliders move by factors.
    Slider { log: bool },
    /// One of these labels (the value is the index).
    Choice(&'static [&'static str]),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum KnobId {
    DurationS,
    ShardCount,
    RetentionPeriodHours,
    RecordsPerS,
    RecordBytes,
    PartitionKeys,
    HotKeyShare,
    RetryFailedRecords,
    RequestTimeoutMs,
    BatchSize,
    MaximumBatchingWindowInSeconds,
    ParallelizationFactor,
    MaximumRetryAttempts,
    MaximumRecordAgeInSeconds,
    BisectBatchOnFunctionError,
    ReportBatchItemFailures,
    OnFailureDestination,
    TumblingWindowInSeconds,
    DurationMs,
    DurationPerRecordMs,
    Timeout,
    OnPoison,
    ReservedConcurrentExecutions,
    AccountConcurrentExecutions,
    OtherFunctionsConcurrency,
}

/// One knob.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Knob {
    pub id: KnobId,
    /// AWS's own name, or the playground's snake_case name for simulated settings.
    pub name: &'static str,
    pub group: Group,
    /// One line in plain words.
    pub explain: &'static str,
    pub control: Control,
    pub min: f64,
    pub max: f64,
    pub step: f64,
    pub default: f64,
    /// Shown after the number; empty for counts without a unit.
    pub unit: &'static str,
    /// Where the range comes from.
    pub source: &'static str,
    pub apply: Apply,
}

/// The OnFailure destinations the page offers, by the choice's index.
pub const DESTINATIONS: [&str; 4] = ["none", "SQS queue", "SNS topic", "S3 bucket"];
const DESTINATION_ARNS: [&str; 3] = [
    "arn:aws:sqs:us-east-1:123456789012:stream-failures",
    "arn:aws:sns:us-east-1:123456789012:stream-failures",
    "arn:aws:s3:::stream-failures",
];

/// What the function does with a poison record, by the choice's index.
pub const ON_POISON: [&str; 4] = [
    "throw (the batch fails)",
    "report the item failure",
    "skip it",
    "hang until the timeout",
];
const ON_POISON_VALUES: [OnPoison; 4] = [
    OnPoison::Throw,
    OnPoison::ReportItemFailure,
    OnPoison::Skip,
    OnPoison::Timeout,
];

const OFF_OR_ON: [&str; 2] = ["off", "on"];

const fn slider(log: bool) -> Control {
    Control::Slider { log }
}

/// Every knob, grouped, in the order the page shows them.
pub const KNOBS: &[Knob] = &[
    Knob {
        id: KnobId::DurationS,
        name: "duration_s",
        group: Group::Stream,
        explain: "How long the run lasts; the clock stops at its end.",
        control: slider(true),
        min: 1.0,
        max: bounds::DURATION_S_MAX as f64,
        step: 1.0,
        default: 60.0,
        unit: "s",
        source: "Playground: 1 second to a year and a day",
        apply: Apply::Rebuild,
    },
    Knob {
        id: KnobId::ShardCount,
        name: "ShardCount",
        group: Group::Stream,
        explain: "Shards in the stream; each takes 1,000 records/s or 1 MiB/s of writes.",
        control: slider(true),
        min: 1.0,
        max: bounds::SHARDS_MAX as f64,
        step: 1.0,
        default: 4.0,
        unit: "shards",
        source: "Kinesis UpdateShardCount: 1 to 10,000 per stream",
        apply: Apply::Rebuild,
    },
    Knob {
        id: KnobId::RetentionPeriodHours,
        name: "RetentionPeriodHours",
        group: Group::Stream,
        explain: "How long a record stays before it leaves through the trim horizon.",
        control: slider(true),
        min: 24.0,
        max: 8_760.0,
        step: 1.0,
        default: 24.0,
        unit: "hours",
        source: "Kinesis API: 24 hours to 365 days",
        apply: Apply::Live,
    },
    Knob {
        id: KnobId::RecordsPerS,
        name: "records_per_s",
        group: Group::Producer,
        explain: "Records the producer offers each second.",
        control: slider(true),
        min: 0.0,
        max: bounds::RECORDS_PER_S_MAX,
        step: 1.0,
        default: 0.0,
        unit: "records/s",
        source: "Playground: 0 to 100,000,000",
        apply: Apply::Live,
    },
    Knob {
        id: KnobId::RecordBytes,
        name: "record_bytes",
        group: Group::Producer,
        explain: "Data bytes per record; the partition key counts on top.",
        control: slider(true),
        min: 1.0,
        max: bounds::RECORD_BYTES_MAX as f64,
        step: 1.0,
        default: 1_000.0,
        unit: "bytes",
        source: "Kinesis: at most 1 MiB per record (MaxRecordSizeInKiB 1024)",
        apply: Apply::Live,
    },
    Knob {
        id: KnobId::PartitionKeys,
        name: "partition_keys",
        group: Group::Producer,
        explain: "Distinct partition keys; MD5 spreads them over the shards.",
        control: slider(true),
        min: 1.0,
        max: bounds::PARTITION_KEYS_MAX as f64,
        step: 1.0,
        default: 1_000.0,
        unit: "keys",
        source: "Playground: 1 to 1,000,000",
        apply: Apply::Rebuild,
    },
    Knob {
        id: KnobId::HotKeyShare,
        name: "hot_key_share",
        group: Group::Producer,
        explain: "Share of all records that carry one hot key, key-0000.",
        control: slider(false),
        min: 0.0,
        max: 1.0,
        step: 0.01,
        default: 0.0,
        unit: "of records",
        source: "Playground: 0 to 1",
        apply: Apply::Rebuild,
    },
    Knob {
        id: KnobId::RetryFailedRecords,
        name: "retry_failed_records",
        group: Group::Producer,
        explain: "Resend entries a 200 response marked as failed; no SDK does it for you.",
        control: Control::Choice(&OFF_OR_ON),
        min: 0.0,
        max: 1.0,
        step: 1.0,
        default: 0.0,
        unit: "",
        source: "Producer code: your choice",
        apply: Apply::Live,
    },
    Knob {
        id: KnobId::RequestTimeoutMs,
        name: "request_timeout_ms",
        group: Group::Producer,
        explain: "How long the SDK waits for an answer before it retries the call.",
        control: slider(true),
        min: 1.0,
        max: bounds::REQUEST_TIMEOUT_MS_MAX as f64,
        step: 1.0,
        default: 120_000.0,
        unit: "ms",
        source: "Playground: 1 ms to 1 hour (JavaScript SDK v2 default: 2 minutes)",
        apply: Apply::Live,
    },
    Knob {
        id: KnobId::BatchSize,
        name: "BatchSize",
        group: Group::Mapping,
        explain: "Most records handed to one invocation.",
        control: slider(true),
        min: 1.0,
        max: 10_000.0,
        step: 1.0,
        default: 100.0,
        unit: "records",
        source: "AWS Lambda API: 1 to 10,000 for Kinesis",
        apply: Apply::Live,
    },
    Knob {
        id: KnobId::MaximumBatchingWindowInSeconds,
        name: "MaximumBatchingWindowInSeconds",
        group: Group::Mapping,
        explain: "How long the mapping gathers records before it invokes.",
        control: slider(false),
        min: 0.0,
        max: 300.0,
        step: 1.0,
        default: 0.0,
        unit: "s",
        source: "AWS Lambda API: 0 to 300 seconds",
        apply: Apply::Live,
    },
    Knob {
        id: KnobId::ParallelizationFactor,
        name: "ParallelizationFactor",
        group: Group::Mapping,
        explain: "Batches per shard at once; order is kept per partition key.",
        control: slider(false),
        min: 1.0,
        max: 10.0,
        step: 1.0,
        default: 1.0,
        unit: "per shard",
        source: "AWS Lambda API: 1 to 10",
        apply: Apply::Rebuild,
    },
    Knob {
        id: KnobId::MaximumRetryAttempts,
        name: "MaximumRetryAttempts",
        group: Group::Mapping,
        explain: "Retries of a failed batch; -1 retries until the records expire.",
        control: slider(true),
        min: -1.0,
        max: 10_000.0,
        step: 1.0,
        default: -1.0,
        unit: "retries",
        source: "AWS Lambda API: -1 or 0 to 10,000",
        apply: Apply::Live,
    },
    Knob {
        id: KnobId::MaximumRecordAgeInSeconds,
        name: "MaximumRecordAgeInSeconds",
        group: Group::Mapping,
        explain: "Give up on records older than this; -1 means no limit.",
        control: slider(true),
        min: -1.0,
        max: 604_800.0,
        step: 1.0,
        default: -1.0,
        unit: "s",
        source: "AWS Lambda API: -1 or 60 to 604,800 seconds",
        apply: Apply::Live,
    },
    Knob {
        id: KnobId::BisectBatchOnFunctionError,
        name: "BisectBatchOnFunctionError",
        group: Group::Mapping,
        explain: "Split a failed batch in two and retry each half.",
        control: Control::Choice(&OFF_OR_ON),
        min: 0.0,
        max: 1.0,
        step: 1.0,
        default: 0.0,
        unit: "",
        source: "AWS Lambda API: true or false",
        apply: Apply::Live,
    },
    Knob {
        id: KnobId::ReportBatchItemFailures,
        name: "ReportBatchItemFailures",
        group: Group::Mapping,
        explain: "The function names the first record that failed; only the rest is retried.",
        control: Control::Choice(&OFF_OR_ON),
        min: 0.0,
        max: 1.0,
        step: 1.0,
        default: 0.0,
        unit: "",
        source: "AWS Lambda API: FunctionResponseTypes",
        apply: Apply::Live,
    },
    Knob {
        id: KnobId::OnFailureDestination,
        name: "OnFailure destination",
        group: Group::Mapping,
        explain: "Where a batch given up on is described; with none it is dropped.",
        control: Control::Choice(&DESTINATIONS),
        min: 0.0,
        max: 3.0,
        step: 1.0,
        default: 0.0,
        unit: "",
        source: "AWS Lambda API: DestinationConfig, an SQS, SNS or S3 ARN",
        apply: Apply::Live,
    },
    Knob {
        id: KnobId::TumblingWindowInSeconds,
        name: "TumblingWindowInSeconds",
        group: Group::Mapping,
        explain: "Aggregate records in windows of this length; 0 is off.",
        control: slider(false),
        min: 0.0,
        max: 900.0,
        step: 1.0,
        default: 0.0,
        unit: "s",
        source: "AWS Lambda API: 0 to 900 seconds",
        apply: Apply::Rebuild,
    },
    Knob {
        id: KnobId::DurationMs,
        name: "duration_ms",
        group: Group::Function,
        explain: "Time per invocation, whatever the batch holds.",
        control: slider(true),
        min: 0.0,
        max: bounds::FUNCTION_DURATION_MS_MAX as f64,
        step: 1.0,
        default: 100.0,
        unit: "ms",
        source: "Playground: 0 to 90 minutes",
        apply: Apply::Live,
    },
    Knob {
        id: KnobId::DurationPerRecordMs,
        name: "duration_per_record_ms",
        group: Group::Function,
        explain: "Time per record in the batch, on top of duration_ms.",
        control: slider(false),
        min: 0.0,
        max: 60_000.0,
        step: 0.1,
        default: 0.0,
        unit: "ms",
        source: "Playground: 0 to 60,000 ms",
        apply: Apply::Live,
    },
    Knob {
        id: KnobId::Timeout,
        name: "Timeout",
        group: Group::Function,
        explain: "Lambda stops an invocation that runs longer than this.",
        control: slider(false),
        min: 1.0,
        max: 900.0,
        step: 1.0,
        default: 3.0,
        unit: "s",
        source: "AWS Lambda API: 1 to 900 seconds",
        apply: Apply::Live,
    },
    Knob {
        id: KnobId::OnPoison,
        name: "on_poison",
        group: Group::Function,
        explain: "What your code does with a record it cannot handle.",
        control: Control::Choice(&ON_POISON),
        min: 0.0,
        max: 3.0,
        step: 1.0,
        default: 0.0,
        unit: "",
        source: "Your function's code",
        apply: Apply::Live,
    },
    Knob {
        id: KnobId::ReservedConcurrentExecutions,
        name: "ReservedConcurrentExecutions",
        group: Group::Function,
        explain: "Instances kept for this function, and its ceiling; -1 is off.",
        control: slider(true),
        min: -1.0,
        max: (bounds::ACCOUNT_CONCURRENCY_MAX - 100) as f64,
        step: 1.0,
        default: -1.0,
        unit: "instances",
        source: "AWS Lambda API: 0 to the account limit less 100",
        apply: Apply::Live,
    },
    Knob {
        id: KnobId::AccountConcurrentExecutions,
        name: "ConcurrentExecutions",
        group: Group::Account,
        explain: "The Region's concurrency, shared by every function in the account.",
        control: slider(true),
        min: 1.0,
        max: bounds::ACCOUNT_CONCURRENCY_MAX as f64,
        step: 1.0,
        default: 1_000.0,
        unit: "instances",
        source: "AWS Lambda quota: 1,000 by default, raised on request",
        apply: Apply::Live,
    },
    Knob {
        id: KnobId::OtherFunctionsConcurrency,
        name: "other_functions_concurrency",
        group: Group::Account,
        explain: "Instances the account's other functions want.",
        control: slider(true),
        min: 0.0,
        max: bounds::ACCOUNT_CONCURRENCY_MAX as f64,
        step: 1.0,
        default: 0.0,
        unit: "instances",
        source: "Playground: 0 to 1,000,000",
        apply: Apply::Live,
    },
];

impl KnobId {
    /// The knob's definition.
    pub fn knob(self) -> &'static Knob {
        // Every id has exactly one entry (tested).
        let i = KNOBS.iter().position(|k| k.id == self).unwrap_or(0);
        &KNOBS[i]
    }

    /// Stable, for `data-testid`: `knob-<id>`.
    pub fn test_id(self) -> String {
        let name = self.knob().name;
        let mut out = String::with_capacity(name.len() + 4);
        let mut prev_lower = false;
        for c in name.chars() {
            if c.is_ascii_uppercase() {
                if prev_lower {
                    out.push('-');
                }
                out.push(c.to_ascii_lowercase());
                prev_lower = false;
            } else if c == '_' || c == ' ' {
                out.push('-');
                prev_lower = false;
            } else {
                out.push(c);
                prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
            }
        }
        if self == KnobId::AccountConcurrentExecutions {
            out.insert_str(0, "account-");
        }
        out
    }
}

/// Which mapping and function the per-mapping and per-function knobs act on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Target {
    pub mapping: usize,
    pub function: usize,
}

impl Target {
    /// Mapping `mapping` and the function it invokes (or function 0).
    pub fn of_mapping(scenario: &Scenario, mapping: usize) -> Target {
        let function = scenario
            .event_source_mappings
            .get(mapping)
            .and_then(|m| {
                scenario
                    .functions
                    .iter()
                    .position(|f| f.function_name == m.function_name)
            })
            .unwrap_or(0);
        Target { mapping, function }
    }
}

fn b(x: bool) -> f64 {
    if x {
        1.0
    } else {
        0.0
    }
}

/// A toggle's value: 0 is off, 1 is on, anything else is refused.
fn flag(id: KnobId, v: f64) -> Result<bool, String> {
    match v {
        0.0 => Ok(false),
        1.0 => Ok(true),
        _ => Err(format!(
            "{}: {v} is not a choice: allowed 0 (off) or 1 (on)",
            id.knob().name
        )),
    }
}

/// The knob's value in `scenario`, or `None` when the scenario lacks what it sets (no
/// mapping, no function). Producer knobs read the defaults when there is no producer.
pub fn get(id: KnobId, scenario: &Scenario, target: Target) -> Option<f64> {
    let default_producer = ProducerConfig::default();
    let p = scenario.producer.as_ref().unwrap_or(&default_producer);
    let m = scenario.event_source_mappings.get(target.mapping);
    let f = scenario.functions.get(target.function);
    Some(match id {
        KnobId::DurationS => scenario.duration_s as f64,
        KnobId::ShardCount => scenario.stream.shard_count.into(),
        KnobId::RetentionPeriodHours => scenario.stream.retention_period_hours.into(),
        KnobId::RecordsPerS => p.records_per_s,
        KnobId::RecordBytes => p.record_bytes.into(),
        KnobId::PartitionKeys => p.partition_keys.into(),
        KnobId::HotKeyShare => p.hot_key_share,
        KnobId::RetryFailedRecords => b(p.retry_failed_records),
        KnobId::RequestTimeoutMs => p.request_timeout_ms as f64,
        KnobId::BatchSize => m?.batch_size.into(),
        KnobId::MaximumBatchingWindowInSeconds => m?.maximum_batching_window_in_seconds.into(),
        KnobId::ParallelizationFactor => m?.parallelization_factor.into(),
        KnobId::MaximumRetryAttempts => m?.maximum_retry_attempts.into(),
        KnobId::MaximumRecordAgeInSeconds => m?.maximum_record_age_in_seconds.into(),
        KnobId::BisectBatchOnFunctionError => b(m?.bisect_batch_on_function_error),
        KnobId::ReportBatchItemFailures => b(!m?.function_response_types.is_empty()),
        KnobId::OnFailureDestination => {
            match m?.destination_config.on_failure.destination.as_deref() {
                None => 0.0,
                Some(a) if a.starts_with("arn:aws:sqs:") => 1.0,
                Some(a) if a.starts_with("arn:aws:sns:") => 2.0,
                Some(_) => 3.0,
            }
        }
        KnobId::TumblingWindowInSeconds => m?.tumbling_window_in_seconds.into(),
        KnobId::DurationMs => f?.duration_ms as f64,
        KnobId::DurationPerRecordMs => f?.duration_per_record_ms,
        KnobId::Timeout => f?.timeout.into(),
        KnobId::OnPoison => {
            let on = f?.on_poison;
            ON_POISON_VALUES.iter().position(|&o| o == on).unwrap_or(0) as f64
        }
        KnobId::ReservedConcurrentExecutions => {
            f?.reserved_concurrent_executions.map_or(-1.0, f64::from)
        }
        KnobId::AccountConcurrentExecutions => scenario.account.concurrent_executions.into(),
        KnobId::OtherFunctionsConcurrency => scenario.account.other_functions_concurrency.into(),
    })
}

/// A whole number from a value the reader gave, or why not.
fn whole<T: TryFrom<i64>>(knob: &Knob, v: f64) -> Result<T, String> {
    if !v.is_finite() || v.fract() != 0.0 {
        return Err(format!(
            "{}: {v} is not a whole number: allowed {} to {}",
            knob.name, knob.min, knob.max
        ));
    }
    T::try_from(v as i64).map_err(|_| {
        format!(
            "{}: {v} is out of range: allowed {} to {}",
            knob.name, knob.min, knob.max
        )
    })
}

fn arn_of(v: f64) -> Result<Option<String>, String> {
    let i = whole::<usize>(KnobId::OnFailureDestination.knob(), v)?;
    match i {
        0 => Ok(None),
        1..=3 => Ok(Some(DESTINATION_ARNS[i - 1].to_string())),
        _ => Err(format!(
            "OnFailure destination: {i} is not a choice: allowed 0 to 3"
        )),
    }
}

fn on_poison_of(v: f64) -> Result<OnPoison, String> {
    let i = whole::<usize>(KnobId::OnPoison.knob(), v)?;
    ON_POISON_VALUES
        .get(i)
        .copied()
        .ok_or_else(|| format!("on_poison: {i} is not a choice: allowed 0 to 3"))
}

fn reserved_of(v: f64) -> Result<Option<u32>, String> {
    if v < 0.0 {
        Ok(None)
    } else {
        whole::<u32>(KnobId::ReservedConcurrentExecutions.knob(), v).map(Some)
    }
}

fn mapping_mut(s: &mut Scenario, t: Target) -> Result<&mut MappingConfig, String> {
    s.event_source_mappings
        .get_mut(t.mapping)
        .ok_or_else(|| "the scenario has no event source mapping: add one first".to_string())
}

fn function_mut(s: &mut Scenario, t: Target) -> Result<&mut FunctionConfig, String> {
    s.functions
        .get_mut(t.function)
        .ok_or_else(|| "the scenario has no function: add a mapping first".to_string())
}

/// Sets the knob in `scenario`. Converts the number only: the range is checked by
/// [`Scenario::validate`], whose message names the setting and the allowed range.
pub fn set(id: KnobId, scenario: &mut Scenario, target: Target, v: f64) -> Result<(), String> {
    let knob = id.knob();
    match id {
        KnobId::DurationS => scenario.duration_s = whole(knob, v)?,
        KnobId::ShardCount => scenario.stream.shard_count = whole(knob, v)?,
        KnobId::RetentionPeriodHours => scenario.stream.retention_period_hours = whole(knob, v)?,
        KnobId::RecordsPerS
        | KnobId::RecordBytes
        | KnobId::PartitionKeys
        | KnobId::HotKeyShare
        | KnobId::RetryFailedRecords
        | KnobId::RequestTimeoutMs => {
            let p = scenario.producer.get_or_insert_with(Default::default);
            match id {
                KnobId::RecordsPerS => p.records_per_s = v,
                KnobId::RecordBytes => p.record_bytes = whole(knob, v)?,
                KnobId::PartitionKeys => p.partition_keys = whole(knob, v)?,
                KnobId::HotKeyShare => p.hot_key_share = v,
                KnobId::RetryFailedRecords => p.retry_failed_records = flag(id, v)?,
                _ => p.request_timeout_ms = whole(knob, v)?,
            }
        }
        KnobId::BatchSize => mapping_mut(scenario, target)?.batch_size = whole(knob, v)?,
        KnobId::MaximumBatchingWindowInSeconds => {
            mapping_mut(scenario, target)?.maximum_batching_window_in_seconds = whole(knob, v)?;
        }
        KnobId::ParallelizationFactor => {
            mapping_mut(scenario, target)?.parallelization_factor = whole(knob, v)?;
        }
        KnobId::MaximumRetryAttempts => {
            mapping_mut(scenario, target)?.maximum_retry_attempts = whole(knob, v)?;
        }
        KnobId::MaximumRecordAgeInSeconds => {
            mapping_mut(scenario, target)?.maximum_record_age_in_seconds = whole(knob, v)?;
        }
        KnobId::BisectBatchOnFunctionError => {
            mapping_mut(scenario, target)?.bisect_batch_on_function_error = flag(id, v)?;
        }
        KnobId::ReportBatchItemFailures => {
            mapping_mut(scenario, target)?.function_response_types = if flag(id, v)? {
                vec![FunctionResponseType::ReportBatchItemFailures]
            } else {
                Vec::new()
            };
        }
        KnobId::OnFailureDestination => {
            mapping_mut(scenario, target)?
                .destination_config
                .on_failure
                .destination = arn_of(v)?;
        }
        KnobId::TumblingWindowInSeconds => {
            mapping_mut(scenario, target)?.tumbling_window_in_seconds = whole(knob, v)?;
        }
        KnobId::DurationMs => function_mut(scenario, target)?.duration_ms = whole(knob, v)?,
        KnobId::DurationPerRecordMs => function_mut(scenario, target)?.duration_per_record_ms = v,
        KnobId::Timeout => function_mut(scenario, target)?.timeout = whole(knob, v)?,
        KnobId::OnPoison => function_mut(scenario, target)?.on_poison = on_poison_of(v)?,
        KnobId::ReservedConcurrentExecutions => {
            function_mut(scenario, target)?.reserved_concurrent_executions = reserved_of(v)?;
        }
        KnobId::AccountConcurrentExecutions => {
            scenario.account.concurrent_executions = whole(knob, v)?;
        }
        KnobId::OtherFunctionsConcurrency => {
            scenario.account.other_functions_concurrency = whole(knob, v)?;
        }
    }
    Ok(())
}

/// The live command for a knob, or `Ok(None)` when the knob needs a rebuild.
/// `current` is the scenario as it runs now (for the other half of a paired setting).
pub fn command(
    id: KnobId,
    current: &Scenario,
    target: Target,
    v: f64,
) -> Result<Option<Command>, String> {
    let knob = id.knob();
    let mapping = target.mapping;
    let function = target.function;
    let f = current.functions.get(function);
    Ok(Some(match id {
        KnobId::DurationS
        | KnobId::ShardCount
        | KnobId::PartitionKeys
        | KnobId::HotKeyShare
        | KnobId::ParallelizationFactor
        | KnobId::TumblingWindowInSeconds => return Ok(None),
        KnobId::RetentionPeriodHours => Command::SetRetentionHours(whole(knob, v)?),
        KnobId::RecordsPerS => Command::SetRecordsPerS(v),
        KnobId::RecordBytes => Command::SetRecordBytes(whole(knob, v)?),
        KnobId::RetryFailedRecords => Command::SetRetryFailedRecords(flag(id, v)?),
        KnobId::RequestTimeoutMs => Command::SetRequestTimeoutMs(whole(knob, v)?),
        KnobId::BatchSize => Command::SetBatchSize {
            mapping,
            value: whole(knob, v)?,
        },
        KnobId::MaximumBatchingWindowInSeconds => Command::SetBatchingWindow {
            mapping,
            seconds: whole(knob, v)?,
        },
        KnobId::MaximumRetryAttempts => Command::SetMaximumRetryAttempts {
            mapping,
            value: whole(knob, v)?,
        },
        KnobId::MaximumRecordAgeInSeconds => Command::SetMaximumRecordAge {
            mapping,
            seconds: whole(knob, v)?,
        },
        KnobId::BisectBatchOnFunctionError => Command::SetBisect {
            mapping,
            on: flag(id, v)?,
        },
        KnobId::ReportBatchItemFailures => Command::SetReportBatchItemFailures {
            mapping,
            on: flag(id, v)?,
        },
        KnobId::OnFailureDestination => Command::SetOnFailureDestination {
            mapping,
            arn: arn_of(v)?,
        },
        KnobId::DurationMs => Command::SetFunctionDuration {
            function,
            duration_ms: whole(knob, v)?,
            per_record_ms: f.map_or(0.0, |f| f.duration_per_record_ms),
        },
        KnobId::DurationPerRecordMs => Command::SetFunctionDuration {
            function,
            duration_ms: f.map_or(100, |f| f.duration_ms),
            per_record_ms: v,
        },
        KnobId::Timeout => Command::SetFunctionTimeout {
            function,
            seconds: whole(knob, v)?,
        },
        KnobId::OnPoison => Command::SetOnPoison {
            function,
            on_poison: on_poison_of(v)?,
        },
        KnobId::ReservedConcurrentExecutions => Command::SetReservedConcurrency {
            function,
            value: reserved_of(v)?,
        },
        KnobId::AccountConcurrentExecutions => Command::SetAccountConcurrency(whole(knob, v)?),
        KnobId::OtherFunctionsConcurrency => Command::SetOtherFunctionsConcurrency(whole(knob, v)?),
    }))
}

/// The scenario with `id` set to `v`, validated: what a rebuild runs. The error is the
/// validator's message (field, value and allowed range).
pub fn rebuilt(current: &Scenario, id: KnobId, target: Target, v: f64) -> Result<Scenario, String> {
    let mut next = current.clone();
    set(id, &mut next, target, v)?;
    next.validate().map_err(|e| e.to_string())?;
    Ok(next)
}

/// The scenario with an event source mapping (and its function) at AWS's defaults,
/// for scenarios that have none: the pill and the concurrency need a consumer.
pub fn with_default_mapping(current: &Scenario) -> Scenario {
    let mut next = current.clone();
    let name = "consumer".to_string();
    if !next.functions.iter().any(|f| f.function_name == name) {
        let json = r#"{"FunctionName":"consumer"}"#;
        if let Ok(f) = serde_json::from_str::<FunctionConfig>(json) {
            next.functions.push(f);
        }
    }
    let json = r#"{"FunctionName":"consumer"}"#;
    if let Ok(m) = serde_json::from_str::<MappingConfig>(json) {
        next.event_source_mappings.push(m);
    }
    next
}

/// Slider positions for a log knob: the slider runs 0 to `LOG_STEPS`.
pub const LOG_STEPS: f64 = 1_000.0;

/// The slider position of `v` on a log knob (0 for values at or below the minimum).
/// Knobs whose minimum is -1 ("off", "no limit") keep position 0 for it.
pub fn log_position(knob: &Knob, v: f64) -> f64 {
    let lo = knob.min.max(0.0);
    let span = (knob.max - lo + 1.0).ln();
    if v < 0.0 || span <= 0.0 {
        return 0.0;
    }
    let p = ((v - lo + 1.0).ln() / span * LOG_STEPS)
        .round()
        .clamp(0.0, LOG_STEPS);
    if knob.min < 0.0 {
        p.max(1.0)
    } else {
        p
    }
}

/// The value at a log slider's position, rounded to whole numbers and to three
/// significant figures so that it reads well (1, 2, ... 100, 102, ... 1,000, 1,020).
pub fn log_value(knob: &Knob, position: f64) -> f64 {
    let lo = knob.min.max(0.0);
    let span = (knob.max - lo + 1.0).ln();
    if position >= LOG_STEPS {
        return knob.max;
    }
    if knob.min < 0.0 && position <= 0.0 {
        return knob.min;
    }
    let raw = (position.max(0.0) / LOG_STEPS * span).exp() - 1.0 + lo;
    let rounded = if raw >= 100.0 {
        let scale = 10f64.powf(raw.log10().floor() - 2.0);
        (raw / scale).round() * scale
    } else {
        raw.round()
    };
    rounded.clamp(lo, knob.max)
}

/// A value as the control shows it: `-1` knobs read "off" or "no limit" or "until
/// expiry", choices their label.
pub fn display(knob: &Knob, v: f64) -> String {
    match (knob.id, knob.control) {
        (_, Control::Choice(labels)) => labels
            .get(v.max(0.0) as usize)
            .map_or_else(|| v.to_string(), |l| (*l).to_string()),
        (KnobId::MaximumRetryAttempts, _) if v < 0.0 => "until expiry".to_string(),
        (KnobId::MaximumRecordAgeInSeconds, _) if v < 0.0 => "no limit".to_string(),
        (KnobId::ReservedConcurrentExecutions, _) if v < 0.0 => "off".to_string(),
        (KnobId::HotKeyShare, _) => format!("{:.0}%", v * 100.0),
        _ => super::format::grouped_f64(v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{parse_scenario, Simulation};

    fn full() -> Scenario {
        let mut s = parse_scenario(
            r#"{"format":1,"duration_s":600,"producer":{"records_per_s":100},
                "functions":[{"FunctionName":"f"}],
                "event_source_mappings":[{"FunctionName":"f"}]}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        s.validate().unwrap_or_else(|e| panic!("{e}"));
        s.account.concurrent_executions = 1_000;
        s
    }

    #[test]
    fn every_id_has_one_knob_and_a_unique_test_id() {
        let mut ids: Vec<KnobId> = KNOBS.iter().map(|k| k.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), KNOBS.len());
        let mut tids: Vec<String> = KNOBS.iter().map(|k| k.id.test_id()).collect();
        tids.sort();
        tids.dedup();
        assert_eq!(tids.len(), KNOBS.len(), "{tids:?}");
        assert_eq!(KnobId::BatchSize.test_id(), "batch-size");
        assert_eq!(KnobId::RecordsPerS.test_id(), "records-per-s");
        assert_eq!(
            KnobId::AccountConcurrentExecutions.test_id(),
            "account-concurrent-executions"
        );
        for k in KNOBS {
            assert_eq!(k.id.knob().id, k.id);
            assert!(!k.explain.is_empty() && !k.source.is_empty(), "{}", k.name);
        }
    }

    #[test]
    fn the_defaults_are_what_the_scenario_format_defaults_to() {
        let s = full();
        for k in KNOBS {
            if matches!(k.id, KnobId::RecordsPerS | KnobId::DurationS) {
                continue; // the fixture offers 100 records/s for 600 s
            }
            assert_eq!(
                get(k.id, &s, Target::default()),
                Some(k.default),
                "{}",
                k.name
            );
        }
    }

    /// The range each knob offers is exactly what the validator accepts: the ends
    /// pass, one step beyond each end fails (except where -1 means "off").
    #[test]
    fn ranges_equal_the_validators() {
        let base = full();
        let t = Target::default();
        for k in KNOBS {
            // The reserved concurrency's ceiling is the account limit less 100.
            let mut base = base.clone();
            if k.id == KnobId::ReservedConcurrentExecutions {
                base.account.concurrent_executions = bounds::ACCOUNT_CONCURRENCY_MAX;
            }
            for v in [k.min, k.max] {
                rebuilt(&base, k.id, t, v)
                    .unwrap_or_else(|e| panic!("{} = {v} should pass: {e}", k.name));
            }
            let beyond = [k.min - k.step, k.max + k.step];
            for v in beyond {
                let sentinel_low = k.min == -1.0 && v < k.min;
                if k.id == KnobId::ReservedConcurrentExecutions && v < k.min {
                    continue; // any negative value is "off"
                }
                if sentinel_low || matches!(k.control, Control::Choice(_)) {
                    assert!(rebuilt(&base, k.id, t, v).is_err(), "{} = {v}", k.name);
                    continue;
                }
                let e = rebuilt(&base, k.id, t, v)
                    .err()
                    .unwrap_or_else(|| panic!("{} = {v} should be refused", k.name));
                assert!(!e.is_empty());
            }
        }
        // MaximumRecordAgeInSeconds: AWS rejects 0 to 59.
        let e = rebuilt(&base, KnobId::MaximumRecordAgeInSeconds, t, 30.0)
            .err()
            .unwrap_or_default();
        assert!(
            e.contains("MaximumRecordAgeInSeconds: 30 is out of range"),
            "{e}"
        );
    }

    /// Every knob round-trips through the scenario, and live knobs give the same
    /// scenario through the core's command as through `set`.
    #[test]
    fn every_knob_round_trips_and_commands_agree_with_set() {
        let base = full();
        let t = Target::default();
        for k in KNOBS {
            let v = match k.control {
                Control::Choice(labels) => (labels.len() - 1) as f64,
                _ if k.id == KnobId::HotKeyShare => 0.25,
                _ if k.id == KnobId::DurationPerRecordMs => 2.5,
                _ if k.id == KnobId::MaximumRecordAgeInSeconds => 3_600.0,
                _ if k.id == KnobId::ReservedConcurrentExecutions => 50.0,
                _ => (k.default + 2.0 * k.step).min(k.max),
            };
            let next = rebuilt(&base, k.id, t, v).unwrap_or_else(|e| panic!("{}: {e}", k.name));
            assert_eq!(get(k.id, &next, t), Some(v), "{}", k.name);
            match command(k.id, &base, t, v).unwrap_or_else(|e| panic!("{}: {e}", k.name)) {
                None => assert_eq!(k.apply, Apply::Rebuild, "{}", k.name),
                Some(c) => {
                    assert_eq!(k.apply, Apply::Live, "{}", k.name);
                    let mut sim = Simulation::new(&base);
                    sim.apply(&c).unwrap_or_else(|e| panic!("{}: {e}", k.name));
                    assert_eq!(sim.current_scenario(), &next, "{}", k.name);
                }
            }
        }
    }

    #[test]
    fn a_refused_live_value_names_the_setting_and_range() {
        let base = full();
        let t = Target::default();
        let c = command(KnobId::MaximumRecordAgeInSeconds, &base, t, 30.0)
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("a command"));
        let e = Simulation::new(&base).apply(&c).err().unwrap_or_default();
        assert!(
            e.contains("MaximumRecordAgeInSeconds") && e.contains("60 to 604800"),
            "{e}"
        );
    }

    #[test]
    fn knobs_that_need_a_mapping_say_so_without_one() {
        let mut s = full();
        s.event_source_mappings.clear();
        s.functions.clear();
        assert_eq!(get(KnobId::BatchSize, &s, Target::default()), None);
        let e = rebuilt(&s, KnobId::BatchSize, Target::default(), 10.0)
            .err()
            .unwrap_or_default();
        assert!(e.contains("no event source mapping"), "{e}");
        let with = with_default_mapping(&s);
        with.validate().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            get(KnobId::BatchSize, &with, Target::default()),
            Some(100.0)
        );
    }

    #[test]
    fn log_sliders_cover_the_range_and_read_well() {
        for k in KNOBS {
            if let Control::Slider { log: true } = k.control {
                assert_eq!(log_value(k, 0.0), k.min, "{}", k.name);
                assert_eq!(log_value(k, LOG_STEPS), k.max, "{}", k.name);
                let v = log_value(k, 500.0);
                assert!(v > k.min && v < k.max, "{}", k.name);
                let back = log_value(k, log_position(k, v));
                assert!(
                    (back - v).abs() <= v * 0.05 + 1.0,
                    "{}: {v} -> {back}",
                    k.name
                );
            }
        }
        let reserved = KnobId::ReservedConcurrentExecutions.knob();
        assert_eq!(log_value(reserved, 0.0), -1.0, "position 0 is off");
        assert_eq!(log_position(reserved, -1.0), 0.0);
        assert_eq!(log_position(reserved, 0.0), 1.0);
        let shards = KnobId::ShardCount.knob();
        assert_eq!(log_value(shards, log_position(shards, 64.0)), 64.0);
    }

    #[test]
    fn sentinels_read_in_words() {
        assert_eq!(
            display(KnobId::MaximumRetryAttempts.knob(), -1.0),
            "until expiry"
        );
        assert_eq!(
            display(KnobId::MaximumRecordAgeInSeconds.knob(), -1.0),
            "no limit"
        );
        assert_eq!(
            display(KnobId::ReservedConcurrentExecutions.knob(), -1.0),
            "off"
        );
        assert_eq!(
            display(KnobId::OnFailureDestination.knob(), 1.0),
            "SQS queue"
        );
        assert_eq!(display(KnobId::BatchSize.knob(), 2_500.0), "2,500");
    }
}
