//! Every setting, described once: AWS's name (or the playground's snake_case name for
//! simulated settings), a one-line explanation, the range and step AWS allows (or the
//! playground's where AWS has none), the default, the unit, where the range comes
//! from, its key in a link and how the link writes it, whether AWS's CLI and
//! CloudFormation carry it, how it reads and writes a scenario, and whether a running
//! simulation takes it live (between events) or is rebuilt and replayed to the same
//! moment.
//!
//! The page's controls, the link format (`share::url`), an embed's `lock=`, the
//! challenges' settings and the AWS bridge (`share::aws`) all read [`KNOBS`].
//! Adding a setting is one [`KnobId`] and one row here, plus its behaviour in the
//! core (see `docs/adding-a-setting.md`).
//!
//! Values are `f64` whatever the control: a toggle is 0 or 1, a choice its index, an
//! optional number uses -1 for "off". Pure: tested natively against the scenario's own
//! validator, so the page's ranges cannot drift from what the core accepts.

use crate::sim::{
    bounds, Fixed, FunctionConfig, FunctionResponseType, MappingConfig, OnPoison, ProducerConfig,
    Reshard, Scenario, Shortest, StartingPosition, StreamMode, EPOCH_MS, MAX_RECORD_SIZE_KIB_MAX,
    MAX_RECORD_SIZE_KIB_MIN, UNIFORM_SCALING,
};

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
    /// The running simulation takes the changed scenario between events
    /// ([`Simulation::reconfigure`](crate::sim::Simulation::reconfigure)).
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
    /// A number field alone, for a value whose range is too wide for a slider (a
    /// moment that may lie decades before the run).
    Number,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum KnobId {
    DurationS,
    ShardCount,
    TargetShardCount,
    ReshardAtS,
    RetentionPeriodHours,
    StreamMode,
    PreviousPeakWriteMibPerS,
    MaxRecordSizeInKiB,
    RecordsPerS,
    RecordBytes,
    PartitionKeys,
    HotKeyShare,
    RetryFailedRecords,
    RequestTimeoutMs,
    BatchSize,
    MaximumBatchingWindowInSeconds,
    ParallelizationFactor,
    StartingPosition,
    StartingPositionTimestamp,
    MaximumRetryAttempts,
    MaximumRecordAgeInSeconds,
    BisectBatchOnFunctionError,
    ReportBatchItemFailures,
    OnFailureDestination,
    TumblingWindowInSeconds,
    EnhancedFanOut,
    DurationMs,
    DurationPerRecordMs,
    Timeout,
    OnPoison,
    ReservedConcurrentExecutions,
    AccountConcurrentExecutions,
    OtherFunctionsConcurrency,
}

/// The integer type a link's whole number is read as (so a value too large for the
/// scenario's field is refused as "not a whole number", as links always were).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Int {
    U32,
    I32,
    U64,
}

/// How a link writes and reads a setting's value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Text {
    /// A whole number; the message says it is not `what`.
    Whole(Int, &'static str),
    /// Any number (written as Rust writes an `f64`).
    Number(&'static str),
    /// `1` or `0` (`true`/`on`, `false`/`off` are read too).
    Flag,
    /// One of these words, by the choice's index.
    Words(&'static [&'static str]),
    /// A whole number, or `none` for -1 ("off").
    WholeOrNone(&'static str),
}

/// Where the AWS bridge (`share::aws`) finds the setting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Aws {
    /// Not one AWS property (or written by hand there: the stream's, the function's,
    /// the destination, the response types).
    Elsewhere,
    /// A scalar property of an event source mapping under the knob's `name`: a
    /// CloudFormation property, a `get-event-source-mapping` field, and the CLI flag
    /// `--kebab-case-name` (a toggle as `--name` / `--no-name`).
    MappingProperty,
}

/// Why a value could not be written into a scenario; [`set`] says it in words with
/// the knob's name and range.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Bad {
    NotWhole,
    OutOfRange,
    NotAChoice,
    NoMapping,
    NoFunction,
    /// Outside what this scenario allows here (the range depends on another field:
    /// a timestamp may not be after its mapping's creation), from `.0` to `.1`.
    OutOfRangeHere(f64, f64),
}

/// One setting.
#[derive(Clone, Copy, Debug)]
pub struct Knob {
    pub id: KnobId,
    /// AWS's own name, or the playground's snake_case name for simulated settings.
    pub name: &'static str,
    /// The label the page shows, in plain words, where AWS has no name for the
    /// setting; empty: the page shows `name` (see [`Knob::label`]).
    pub label: &'static str,
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
    /// The page shows a control for it (otherwise links and pasted configurations
    /// set it).
    pub on_page: bool,
    /// Its key in a link (link format v1: a key never changes meaning).
    pub key: &'static str,
    pub text: Text,
    pub aws: Aws,
    /// Its value in a scenario, or `None` when the scenario lacks what it sets.
    pub get: fn(&Scenario, Target) -> Option<f64>,
    /// Writes the value; the range is checked by [`Scenario::validate`].
    pub set: fn(&mut Scenario, Target, f64) -> Result<(), Bad>,
    /// A running simulation takes it live, between events; otherwise a change
    /// rebuilds the run and replays it to the same moment. The core decides
    /// ([`Simulation::reconfigure`](crate::sim::Simulation::reconfigure)); this says
    /// it to the page beforehand, and a test holds the two equal.
    pub live: bool,
}

impl Knob {
    /// What the page calls the setting: AWS's name where AWS has one, plain words
    /// where it has none.
    pub fn label(&self) -> &'static str {
        if self.label.is_empty() {
            self.name
        } else {
            self.label
        }
    }

    /// Whether the page also shows `name` (the scenario JSON's), in small type under
    /// the label: for the settings AWS has no name for.
    pub fn shows_json_name(&self) -> bool {
        self.label() != self.name && self.name.contains('_')
    }

    pub fn apply(&self) -> Apply {
        if self.live {
            Apply::Live
        } else {
            Apply::Rebuild
        }
    }
}

/// A long name in pieces the page may break a line between (`<wbr>` at each
/// capital after a small letter), so "MaximumRecordAgeInSeconds" wraps as
/// "MaximumRecordAgeIn / Seconds", never mid-word.
pub fn word_breaks(name: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut from = 0;
    let mut previous_small = false;
    for (i, c) in name.char_indices() {
        if c.is_uppercase() && previous_small {
            pieces.push(&name[from..i]);
            from = i;
        }
        previous_small = c.is_lowercase();
    }
    pieces.push(&name[from..]);
    pieces
}

/// The OnFailure destinations the page offers, by the choice's index.
pub const DESTINATIONS: [&str; 4] = ["none", "SQS queue", "SNS topic", "S3 bucket"];
/// The ARN each destination choice (after "none") stands for, on the page and in a
/// link's `dest=`.
pub const DESTINATION_ARNS: [&str; 3] = [
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
const STARTING_POSITIONS: [StartingPosition; 3] = [
    StartingPosition::Latest,
    StartingPosition::TrimHorizon,
    StartingPosition::AtTimestamp,
];
const STREAM_MODES: [StreamMode; 2] = [StreamMode::Provisioned, StreamMode::OnDemand];

/// The run's time 0 in Unix seconds (2026-01-01T00:00:00Z): the page and a link give
/// StartingPositionTimestamp in seconds from it; AWS, the scenario and the AWS bridge
/// in Unix seconds.
pub const RUN_START_UNIX_S: f64 = EPOCH_MS as f64 / 1_000.0;

/// A mapping's StartingPositionTimestamp in seconds from the run's start, to the
/// millisecond; `None` unless it starts AT_TIMESTAMP.
fn timestamp_from_start(m: &MappingConfig) -> Option<f64> {
    if m.starting_position != StartingPosition::AtTimestamp {
        return None;
    }
    let ts = m.starting_position_timestamp?;
    Some(((ts - RUN_START_UNIX_S) * 1_000.0).round() / 1_000.0)
}

/// Writes StartingPositionTimestamp as `v` seconds from the run's start, which makes
/// the mapping start AT_TIMESTAMP. AWS refuses a timestamp in the future, so it may be
/// from Unix time 0 (1970) to the mapping's creation (Lambda API,
/// CreateEventSourceMapping: "StartingPositionTimestamp cannot be in the future";
/// `docs/aws-semantics.md`, the mapping's settings).
fn set_timestamp_from_start(m: &mut MappingConfig, v: f64) -> Result<(), Bad> {
    let created = m.created_at_ms as f64 / 1_000.0;
    if !v.is_finite() || v < -RUN_START_UNIX_S || v > created {
        return Err(Bad::OutOfRangeHere(-RUN_START_UNIX_S, created));
    }
    m.starting_position = StartingPosition::AtTimestamp;
    // To the millisecond, as the page shows it and a link writes it.
    m.starting_position_timestamp = Some(RUN_START_UNIX_S + (v * 1_000.0).round() / 1_000.0);
    Ok(())
}

const OFF_OR_ON: [&str; 2] = ["off", "on"];

const fn slider(log: bool) -> Control {
    Control::Slider { log }
}

fn b(x: bool) -> f64 {
    if x {
        1.0
    } else {
        0.0
    }
}

fn whole<T: TryFrom<i64>>(v: f64) -> Result<T, Bad> {
    if !v.is_finite() || v.fract() != 0.0 {
        return Err(Bad::NotWhole);
    }
    T::try_from(v as i64).map_err(|_| Bad::OutOfRange)
}

fn flag(v: f64) -> Result<bool, Bad> {
    match v {
        0.0 => Ok(false),
        1.0 => Ok(true),
        _ => Err(Bad::NotAChoice),
    }
}

fn choice<T: Copy>(of: &[T], v: f64) -> Result<T, Bad> {
    of.get(whole::<usize>(v)?).copied().ok_or(Bad::NotAChoice)
}

fn index_of<T: PartialEq>(of: &[T], x: &T) -> f64 {
    of.iter().position(|o| o == x).unwrap_or(0) as f64
}

fn producer<T>(s: &Scenario, read: impl Fn(&ProducerConfig) -> T) -> T {
    match &s.producer {
        Some(p) => read(p),
        None => read(&ProducerConfig::default()),
    }
}

fn producer_mut(s: &mut Scenario) -> &mut ProducerConfig {
    s.producer.get_or_insert_with(Default::default)
}

fn mapping(s: &Scenario, t: Target) -> Option<&MappingConfig> {
    s.event_source_mappings.get(t.mapping)
}

fn function(s: &Scenario, t: Target) -> Option<&FunctionConfig> {
    s.functions.get(t.function)
}

fn mapping_mut(s: &mut Scenario, t: Target) -> Result<&mut MappingConfig, Bad> {
    s.event_source_mappings
        .get_mut(t.mapping)
        .ok_or(Bad::NoMapping)
}

fn function_mut(s: &mut Scenario, t: Target) -> Result<&mut FunctionConfig, Bad> {
    s.functions.get_mut(t.function).ok_or(Bad::NoFunction)
}

fn destination_index(m: &MappingConfig) -> f64 {
    match m.destination_config.on_failure.destination.as_deref() {
        None => 0.0,
        Some(a) if a.starts_with("arn:aws:sqs:") => 1.0,
        Some(a) if a.starts_with("arn:aws:sns:") => 2.0,
        Some(_) => 3.0,
    }
}

fn destination_arn(v: f64) -> Result<Option<String>, Bad> {
    match whole::<usize>(v)? {
        0 => Ok(None),
        i => DESTINATION_ARNS
            .get(i - 1)
            .map(|a| Some((*a).to_string()))
            .ok_or(Bad::NotAChoice),
    }
}

/// The stream's first UpdateShardCount, the one the page's control sets (a scenario's
/// other reshards, SplitShard and MergeShards among them, links and pasted
/// configurations carry).
fn first_update(s: &Scenario) -> Option<&Reshard> {
    s.stream
        .reshards
        .iter()
        .find(|r| r.target_shard_count.is_some())
}

/// When a new UpdateShardCount takes effect unless the reader says: a minute in, or
/// half a shorter run.
const RESHARD_AT_S_DEFAULT: u64 = 60;

/// Writes the first UpdateShardCount (adding one, at `at_s`, if there is none) and
/// keeps the reshards in order of time, as the scenario format asks.
fn set_first_update(s: &mut Scenario, target: Option<u32>, at_s: Option<u64>) {
    let reshards = &mut s.stream.reshards;
    match reshards.iter().position(|r| r.target_shard_count.is_some()) {
        Some(i) => {
            if let Some(n) = target {
                reshards[i].target_shard_count = Some(n);
            }
            if let Some(at) = at_s {
                reshards[i].at_s = at;
            }
        }
        None => {
            // A new one doubles the stream unless the reader says: what "add shards"
            // means first.
            let n = target.unwrap_or((2 * s.stream.shard_count).min(bounds::SHARDS_MAX));
            let at = at_s.unwrap_or(RESHARD_AT_S_DEFAULT.min(s.duration_s / 2));
            reshards.push(Reshard {
                at_s: at,
                target_shard_count: Some(n),
                scaling_type: Some(UNIFORM_SCALING.to_string()),
                ..Reshard::default()
            });
        }
    }
    // In time order, equal times as they were: a stable sort (`stable_order`, small
    // in the light embed's code, issue 16).
    let order =
        crate::sim::stable_order(reshards.len(), &|a, b| reshards[a].at_s < reshards[b].at_s);
    let mut slots: Vec<Option<Reshard>> = std::mem::take(reshards).into_iter().map(Some).collect();
    reshards.extend(order.into_iter().filter_map(|i| slots[i].take()));
}

/// A row's explanation, which only the page's controls show: empty in the light
/// embed (feature `light`, issue 16), which reads the table for links alone, so that
/// its WebAssembly does not carry the words. (`source` stays: range errors quote it.)
const fn page_text(text: &'static str) -> &'static str {
    if cfg!(feature = "light") {
        ""
    } else {
        text
    }
}

/// The values every row starts from; a row names what differs.
const ROW: Knob = Knob {
    id: KnobId::DurationS,
    name: "",
    label: "",
    group: Group::Stream,
    explain: page_text(""),
    control: slider(false),
    min: 0.0,
    max: 0.0,
    step: 1.0,
    default: 0.0,
    unit: "",
    source: "",
    on_page: true,
    key: "",
    text: Text::Whole(Int::U32, "a whole number"),
    aws: Aws::Elsewhere,
    get: |_, _| None,
    set: |_, _, _| Ok(()),
    live: false,
};

/// Every setting, grouped, in the order the page shows them and links write them.
pub const KNOBS: &[Knob] = &[
    Knob {
        id: KnobId::DurationS,
        name: "duration_s",
        label: "Run length",
        group: Group::Stream,
        explain: page_text("How long the run lasts; the clock stops at its end."),
        control: slider(true),
        min: 1.0,
        max: bounds::DURATION_S_MAX as f64,
        default: 60.0,
        unit: "s",
        source: "Playground: 1 second to a year and a day",
        key: "length",
        text: Text::Whole(Int::U64, "a whole number of seconds"),
        get: |s, _| Some(s.duration_s as f64),
        set: |s, _, v| {
            s.duration_s = whole(v)?;
            Ok(())
        },
        ..ROW
    },
    Knob {
        id: KnobId::ShardCount,
        name: "ShardCount",
        group: Group::Stream,
        explain: page_text("Shards in the stream; each takes 1,000 records/s or 1 MiB/s of writes. On demand: the shards AWS keeps behind the stream, at least 4, fixed for the run (the model does not split them)."),
        control: slider(true),
        min: 1.0,
        max: bounds::SHARDS_MAX as f64,
        default: 4.0,
        unit: "shards",
        source: "Kinesis UpdateShardCount: 1 to 10,000 per stream",
        key: "shards",
        get: |s, _| Some(s.stream.shard_count.into()),
        set: |s, _, v| {
            s.stream.shard_count = whole(v)?;
            Ok(())
        },
        ..ROW
    },
    Knob {
        id: KnobId::TargetShardCount,
        name: "TargetShardCount",
        label: "UpdateShardCount to",
        group: Group::Stream,
        explain: page_text("Resharding while the run goes on: at its time, UpdateShardCount closes every open shard and opens this many, with an even split of the hash keys; a mapping reads each parent to its end before its children. Provisioned streams only; none: no resharding."),
        control: slider(true),
        min: -1.0,
        max: bounds::SHARDS_MAX as f64,
        default: -1.0,
        unit: "shards",
        source: "Kinesis UpdateShardCount: UNIFORM_SCALING to between half and double the open shards, at most 10,000, at most 10 times in 24 hours",
        key: "reshardto",
        text: Text::WholeOrNone("a whole number of shards, or none"),
        get: |s, _| {
            (!s.stream.is_on_demand())
                .then(|| first_update(s).and_then(|r| r.target_shard_count).map_or(-1.0, f64::from))
        },
        set: |s, _, v| {
            if v == -1.0 {
                if let Some(i) = s.stream.reshards.iter().position(|r| r.target_shard_count.is_some()) {
                    s.stream.reshards.remove(i);
                }
                return Ok(());
            }
            set_first_update(s, Some(whole(v)?), None);
            Ok(())
        },
        ..ROW
    },
    Knob {
        id: KnobId::ReshardAtS,
        name: "reshard_at_s",
        label: "UpdateShardCount at",
        group: Group::Stream,
        explain: page_text("The second of the run at whose start that UpdateShardCount takes effect (AWS's stream is UPDATING for seconds to minutes first; the model reshards at once)."),
        control: Control::Number,
        min: 0.0,
        max: (bounds::DURATION_S_MAX - 1) as f64,
        default: RESHARD_AT_S_DEFAULT as f64,
        unit: "s",
        source: "Playground: within the run (the scenario's stream.reshards[].at_s)",
        key: "reshardat",
        text: Text::Whole(Int::U64, "a whole number of seconds"),
        get: |s, _| first_update(s).map(|r| r.at_s as f64),
        set: |s, _, v| {
            set_first_update(s, None, Some(whole(v)?));
            Ok(())
        },
        ..ROW
    },
    Knob {
        id: KnobId::RetentionPeriodHours,
        name: "RetentionPeriodHours",
        group: Group::Stream,
        explain: page_text("How long a record stays before it leaves through the trim horizon (the stream's oldest end, the picture's left edge)."),
        control: slider(true),
        min: 24.0,
        max: 8_760.0,
        default: 24.0,
        unit: "hours",
        source: "Kinesis API: 24 hours to 365 days",
        key: "retention",
        text: Text::Whole(Int::U32, "a whole number of hours"),
        get: |s, _| Some(s.stream.retention_period_hours.into()),
        set: |s, _, v| {
            s.stream.retention_period_hours = whole(v)?;
            Ok(())
        },
        live: true,
        ..ROW
    },
    Knob {
        id: KnobId::StreamMode,
        name: "StreamMode",
        group: Group::Stream,
        explain: page_text("Provisioned: you choose the shards. On demand: AWS lets the stream write up to double its previous peak (at least 4 MiB/s or 4,000 records/s); each shard still keeps its own 1 MiB/s, so a hot key throttles."),
        control: Control::Choice(&["PROVISIONED", "ON_DEMAND"]),
        min: 0.0,
        max: 1.0,
        default: 0.0,
        source: "Kinesis CreateStream and UpdateStreamMode: StreamModeDetails, PROVISIONED or ON_DEMAND",
        key: "mode",
        text: Text::Words(&["provisioned", "on_demand"]),
        get: |s, _| {
            Some(index_of(
                &STREAM_MODES,
                &s.stream.stream_mode_details.stream_mode,
            ))
        },
        set: |s, _, v| {
            let mode = choice(&STREAM_MODES, v)?;
            s.stream.stream_mode_details.stream_mode = mode;
            if mode == StreamMode::Provisioned {
                // The previous peak belongs to an on-demand stream only.
                s.stream.previous_peak_write_mib_per_s = 0.0;
            }
            Ok(())
        },
        ..ROW
    },
    Knob {
        id: KnobId::PreviousPeakWriteMibPerS,
        name: "previous_peak_write_mib_per_s",
        label: "Previous peak write",
        group: Group::Stream,
        explain: page_text("On demand: the highest write the stream took in the 30 days before the run; it may write up to double that at once (0: a new stream, 4 MiB/s). Not an AWS setting but the stream's history, so the AWS texts leave it out."),
        control: slider(true),
        min: 0.0,
        max: bounds::ON_DEMAND_WRITE_MIB_PER_S_MAX,
        default: 0.0,
        unit: "MiB/s",
        source: "AWS's capacity-mode page: up to double the previous 30 days' peak write; AWS quotas page: at most 10 GB/s",
        key: "peak",
        text: Text::Number("a number of MiB/s"),
        get: |s, _| {
            s.stream
                .is_on_demand()
                .then_some(s.stream.previous_peak_write_mib_per_s)
        },
        set: |s, _, v| {
            // The peak belongs to an on-demand stream: a peak makes the stream one.
            if v != 0.0 {
                s.stream.stream_mode_details.stream_mode = StreamMode::OnDemand;
            }
            s.stream.previous_peak_write_mib_per_s = v;
            Ok(())
        },
        ..ROW
    },
    Knob {
        id: KnobId::MaxRecordSizeInKiB,
        name: "MaxRecordSizeInKiB",
        group: Group::Stream,
        explain: page_text("The largest record the stream takes, data and partition key together; above 1 MiB a shard's writes draw on a 10 MiB burst. The slider moves by 1 MiB; type any whole KiB."),
        min: MAX_RECORD_SIZE_KIB_MIN as f64,
        max: MAX_RECORD_SIZE_KIB_MAX as f64,
        step: 1_024.0,
        default: MAX_RECORD_SIZE_KIB_MIN as f64,
        unit: "KiB",
        source: "Kinesis UpdateMaxRecordSize: 1024 to 10240 KiB (1 to 10 MiB); at most 4096 while a mapping reads the stream (a record of 4.5 MiB does not fit Lambda's 6 MB payload once base64-encoded, and AWS does not document what the mapping does then)",
        key: "maxrecord",
        text: Text::Whole(Int::U32, "a whole number of KiB"),
        get: |s, _| Some(s.stream.max_record_size_in_kib.into()),
        set: |s, _, v| {
            s.stream.max_record_size_in_kib = whole(v)?;
            Ok(())
        },
        ..ROW
    },
    Knob {
        id: KnobId::RecordsPerS,
        name: "records_per_s",
        label: "Records per second",
        group: Group::Producer,
        explain: page_text("Records the producer offers each second."),
        control: slider(true),
        min: 0.0,
        max: bounds::RECORDS_PER_S_MAX,
        default: 0.0,
        unit: "records/s",
        source: "Playground: 0 to 100,000,000",
        key: "rate",
        text: Text::Number("a number of records per second"),
        get: |s, _| Some(producer(s, |p| p.records_per_s)),
        set: |s, _, v| {
            producer_mut(s).records_per_s = v;
            Ok(())
        },
        live: true,
        ..ROW
    },
    Knob {
        id: KnobId::RecordBytes,
        name: "record_bytes",
        label: "Record size",
        group: Group::Producer,
        explain: page_text("Data bytes per record; the partition key counts on top."),
        control: slider(true),
        min: 1.0,
        max: bounds::RECORD_BYTES_MAX as f64,
        default: 1_000.0,
        unit: "bytes",
        source: "Kinesis: data and key at most MaxRecordSizeInKiB (1 MiB unless raised; type a larger number then)",
        key: "bytes",
        text: Text::Whole(Int::U32, "a whole number of bytes"),
        get: |s, _| Some(producer(s, |p| p.record_bytes).into()),
        set: |s, _, v| {
            producer_mut(s).record_bytes = whole(v)?;
            Ok(())
        },
        live: true,
        ..ROW
    },
    Knob {
        id: KnobId::PartitionKeys,
        name: "partition_keys",
        label: "Partition keys",
        group: Group::Producer,
        explain: page_text("Distinct partition keys; MD5 spreads them over the shards."),
        control: slider(true),
        min: 1.0,
        max: bounds::PARTITION_KEYS_MAX as f64,
        default: 1_000.0,
        unit: "keys",
        source: "Playground: 1 to 1,000,000",
        key: "keys",
        get: |s, _| Some(producer(s, |p| p.partition_keys).into()),
        set: |s, _, v| {
            producer_mut(s).partition_keys = whole(v)?;
            Ok(())
        },
        ..ROW
    },
    Knob {
        id: KnobId::HotKeyShare,
        name: "hot_key_share",
        label: "Hot key share",
        group: Group::Producer,
        explain: page_text("Share of all records that carry one hot key, key-0000."),
        min: 0.0,
        max: 1.0,
        step: 0.01,
        default: 0.0,
        unit: "of records",
        source: "Playground: 0 to 1",
        key: "hot",
        text: Text::Number("a number from 0 to 1"),
        get: |s, _| Some(producer(s, |p| p.hot_key_share)),
        set: |s, _, v| {
            producer_mut(s).hot_key_share = v;
            Ok(())
        },
        ..ROW
    },
    Knob {
        id: KnobId::RetryFailedRecords,
        name: "retry_failed_records",
        label: "Resend failed records",
        group: Group::Producer,
        explain: page_text("Resend entries a 200 response marked as failed; no SDK does it for you."),
        control: Control::Choice(&OFF_OR_ON),
        min: 0.0,
        max: 1.0,
        default: 0.0,
        source: "Producer code: your choice",
        key: "resend",
        text: Text::Flag,
        get: |s, _| Some(b(producer(s, |p| p.retry_failed_records))),
        set: |s, _, v| {
            producer_mut(s).retry_failed_records = flag(v)?;
            Ok(())
        },
        live: true,
        ..ROW
    },
    Knob {
        id: KnobId::RequestTimeoutMs,
        name: "request_timeout_ms",
        label: "Request timeout",
        group: Group::Producer,
        explain: page_text("How long the SDK waits for an answer before it retries the call."),
        control: slider(true),
        min: 1.0,
        max: bounds::REQUEST_TIMEOUT_MS_MAX as f64,
        default: 120_000.0,
        unit: "ms",
        source: "Playground: 1 ms to 1 hour (JavaScript SDK v2 default: 2 minutes)",
        key: "reqtimeout",
        text: Text::Whole(Int::U64, "a whole number of ms"),
        get: |s, _| Some(producer(s, |p| p.request_timeout_ms) as f64),
        set: |s, _, v| {
            producer_mut(s).request_timeout_ms = whole(v)?;
            Ok(())
        },
        live: true,
        ..ROW
    },
    Knob {
        id: KnobId::BatchSize,
        name: "BatchSize",
        group: Group::Mapping,
        explain: page_text("Most records handed to one invocation."),
        control: slider(true),
        min: 1.0,
        max: 10_000.0,
        default: 100.0,
        unit: "records",
        source: "AWS Lambda API: 1 to 10,000 for Kinesis",
        key: "batch",
        aws: Aws::MappingProperty,
        get: |s, t| Some(mapping(s, t)?.batch_size.into()),
        set: |s, t, v| {
            mapping_mut(s, t)?.batch_size = whole(v)?;
            Ok(())
        },
        live: true,
        ..ROW
    },
    Knob {
        id: KnobId::MaximumBatchingWindowInSeconds,
        name: "MaximumBatchingWindowInSeconds",
        group: Group::Mapping,
        explain: page_text("How long the mapping gathers records before it invokes."),
        min: 0.0,
        max: 300.0,
        default: 0.0,
        unit: "s",
        source: "AWS Lambda API: 0 to 300 seconds",
        key: "window",
        text: Text::Whole(Int::U32, "a whole number of seconds"),
        aws: Aws::MappingProperty,
        get: |s, t| Some(mapping(s, t)?.maximum_batching_window_in_seconds.into()),
        set: |s, t, v| {
            mapping_mut(s, t)?.maximum_batching_window_in_seconds = whole(v)?;
            Ok(())
        },
        live: true,
        ..ROW
    },
    Knob {
        id: KnobId::ParallelizationFactor,
        name: "ParallelizationFactor",
        group: Group::Mapping,
        explain: page_text("Batches per shard at once; order is kept per partition key."),
        min: 1.0,
        max: 10.0,
        default: 1.0,
        unit: "per shard",
        source: "AWS Lambda API: 1 to 10",
        key: "pf",
        aws: Aws::MappingProperty,
        get: |s, t| Some(mapping(s, t)?.parallelization_factor.into()),
        set: |s, t, v| {
            mapping_mut(s, t)?.parallelization_factor = whole(v)?;
            Ok(())
        },
        ..ROW
    },
    Knob {
        id: KnobId::StartingPosition,
        name: "StartingPosition",
        group: Group::Mapping,
        explain: page_text("Where a new mapping starts reading: the newest record, the oldest, or the first that arrived at or after StartingPositionTimestamp."),
        control: Control::Choice(&["LATEST", "TRIM_HORIZON", "AT_TIMESTAMP"]),
        min: 0.0,
        max: 2.0,
        default: 1.0,
        source: "AWS Lambda API: LATEST, TRIM_HORIZON or AT_TIMESTAMP",
        key: "start",
        text: Text::Words(&["latest", "trim_horizon", "at_timestamp"]),
        get: |s, t| {
            Some(index_of(
                &STARTING_POSITIONS,
                &mapping(s, t)?.starting_position,
            ))
        },
        set: |s, t, v| {
            let m = mapping_mut(s, t)?;
            let at = choice(&STARTING_POSITIONS, v)?;
            m.starting_position = at;
            // The timestamp belongs to AT_TIMESTAMP alone; choosing it starts at the
            // run's start until a timestamp is set.
            m.starting_position_timestamp = match at {
                StartingPosition::AtTimestamp => {
                    Some(m.starting_position_timestamp.unwrap_or(RUN_START_UNIX_S))
                }
                _ => None,
            };
            Ok(())
        },
        ..ROW
    },
    Knob {
        id: KnobId::StartingPositionTimestamp,
        name: "StartingPositionTimestamp",
        group: Group::Mapping,
        explain: page_text("With AT_TIMESTAMP, the moment to start from, in seconds from the run's start (negative: before it). AWS takes Unix seconds; the run starts at 2026-01-01T00:00:00Z, 1767225600."),
        control: Control::Number,
        min: -RUN_START_UNIX_S,
        max: bounds::DURATION_S_MAX as f64,
        default: 0.0,
        unit: "s from the run's start",
        source: "AWS Lambda API: Unix seconds, not in the future: at most the mapping's creation",
        key: "startts",
        text: Text::Number("a number of seconds from the run's start"),
        get: |s, t| timestamp_from_start(mapping(s, t)?),
        set: |s, t, v| set_timestamp_from_start(mapping_mut(s, t)?, v),
        ..ROW
    },
    Knob {
        id: KnobId::MaximumRetryAttempts,
        name: "MaximumRetryAttempts",
        group: Group::Mapping,
        explain: page_text("Retries of a failed batch; -1 retries until the records expire."),
        control: slider(true),
        min: -1.0,
        max: 10_000.0,
        default: -1.0,
        unit: "retries",
        source: "AWS Lambda API: -1 or 0 to 10,000",
        key: "retries",
        text: Text::Whole(Int::I32, "a whole number"),
        aws: Aws::MappingProperty,
        get: |s, t| Some(mapping(s, t)?.maximum_retry_attempts.into()),
        set: |s, t, v| {
            mapping_mut(s, t)?.maximum_retry_attempts = whole(v)?;
            Ok(())
        },
        live: true,
        ..ROW
    },
    Knob {
        id: KnobId::MaximumRecordAgeInSeconds,
        name: "MaximumRecordAgeInSeconds",
        group: Group::Mapping,
        explain: page_text("Give up on records older than this; -1 means no limit."),
        control: slider(true),
        min: -1.0,
        max: 604_800.0,
        default: -1.0,
        unit: "s",
        source: "AWS Lambda API: -1 or 60 to 604,800 seconds",
        key: "age",
        text: Text::Whole(Int::I32, "a whole number of seconds"),
        aws: Aws::MappingProperty,
        get: |s, t| Some(mapping(s, t)?.maximum_record_age_in_seconds.into()),
        set: |s, t, v| {
            mapping_mut(s, t)?.maximum_record_age_in_seconds = whole(v)?;
            Ok(())
        },
        live: true,
        ..ROW
    },
    Knob {
        id: KnobId::BisectBatchOnFunctionError,
        name: "BisectBatchOnFunctionError",
        group: Group::Mapping,
        explain: page_text("Split a failed batch in two and retry each half."),
        control: Control::Choice(&OFF_OR_ON),
        min: 0.0,
        max: 1.0,
        default: 0.0,
        source: "AWS Lambda API: true or false",
        key: "bisect",
        text: Text::Flag,
        aws: Aws::MappingProperty,
        get: |s, t| Some(b(mapping(s, t)?.bisect_batch_on_function_error)),
        set: |s, t, v| {
            mapping_mut(s, t)?.bisect_batch_on_function_error = flag(v)?;
            Ok(())
        },
        live: true,
        ..ROW
    },
    Knob {
        id: KnobId::ReportBatchItemFailures,
        name: "ReportBatchItemFailures",
        group: Group::Mapping,
        explain: page_text("The function names the first record that failed; only the rest is retried."),
        control: Control::Choice(&OFF_OR_ON),
        min: 0.0,
        max: 1.0,
        default: 0.0,
        source: "AWS Lambda API: FunctionResponseTypes",
        key: "rbif",
        text: Text::Flag,
        get: |s, t| Some(b(!mapping(s, t)?.function_response_types.is_empty())),
        set: |s, t, v| {
            mapping_mut(s, t)?.function_response_types = if flag(v)? {
                vec![FunctionResponseType::ReportBatchItemFailures]
            } else {
                Vec::new()
            };
            Ok(())
        },
        live: true,
        ..ROW
    },
    Knob {
        id: KnobId::OnFailureDestination,
        name: "OnFailure destination",
        group: Group::Mapping,
        explain: page_text("Where a batch given up on is described; with none it is dropped."),
        control: Control::Choice(&DESTINATIONS),
        min: 0.0,
        max: 3.0,
        default: 0.0,
        source: "AWS Lambda API: DestinationConfig, an SQS, SNS or S3 ARN",
        key: "dest",
        text: Text::Words(&["none", "sqs", "sns", "s3"]),
        get: |s, t| Some(destination_index(mapping(s, t)?)),
        set: |s, t, v| {
            let arn = destination_arn(v)?;
            mapping_mut(s, t)?.destination_config.on_failure.destination = arn;
            Ok(())
        },
        live: true,
        ..ROW
    },
    Knob {
        id: KnobId::TumblingWindowInSeconds,
        name: "TumblingWindowInSeconds",
        group: Group::Mapping,
        explain: page_text("Aggregate records in windows of this length; 0 is off."),
        min: 0.0,
        max: 900.0,
        default: 0.0,
        unit: "s",
        source: "AWS Lambda API: 0 to 900 seconds",
        key: "tumble",
        text: Text::Whole(Int::U32, "a whole number of seconds"),
        aws: Aws::MappingProperty,
        get: |s, t| Some(mapping(s, t)?.tumbling_window_in_seconds.into()),
        set: |s, t, v| {
            mapping_mut(s, t)?.tumbling_window_in_seconds = whole(v)?;
            Ok(())
        },
        ..ROW
    },
    Knob {
        id: KnobId::EnhancedFanOut,
        name: "enhanced fan-out",
        label: "Enhanced fan-out",
        group: Group::Mapping,
        explain: page_text("The mapping reads through a registered consumer with its own 2 MiB/s per shard."),
        control: Control::Choice(&OFF_OR_ON),
        min: 0.0,
        max: 1.0,
        default: 0.0,
        source: "Kinesis RegisterStreamConsumer: a consumer ARN as EventSourceArn",
        on_page: false,
        key: "efo",
        text: Text::Flag,
        get: |s, t| Some(b(mapping(s, t)?.enhanced_fan_out)),
        set: |s, t, v| {
            mapping_mut(s, t)?.enhanced_fan_out = flag(v)?;
            Ok(())
        },
        ..ROW
    },
    Knob {
        id: KnobId::DurationMs,
        name: "duration_ms",
        label: "Function run time",
        group: Group::Function,
        explain: page_text("Time per invocation, whatever the batch holds."),
        control: slider(true),
        min: 0.0,
        max: bounds::FUNCTION_DURATION_MS_MAX as f64,
        default: 100.0,
        unit: "ms",
        source: "Playground: 0 to 90 minutes",
        key: "dur",
        text: Text::Whole(Int::U64, "a whole number of ms"),
        get: |s, t| Some(function(s, t)?.duration_ms as f64),
        set: |s, t, v| {
            function_mut(s, t)?.duration_ms = whole(v)?;
            Ok(())
        },
        live: true,
        ..ROW
    },
    Knob {
        id: KnobId::DurationPerRecordMs,
        name: "duration_per_record_ms",
        label: "Run time per record",
        group: Group::Function,
        explain: page_text("Time per record in the batch, on top of the function run time."),
        min: 0.0,
        max: 60_000.0,
        step: 0.1,
        default: 0.0,
        unit: "ms",
        source: "Playground: 0 to 60,000 ms",
        key: "perrec",
        text: Text::Number("a number of ms"),
        get: |s, t| Some(function(s, t)?.duration_per_record_ms),
        set: |s, t, v| {
            function_mut(s, t)?.duration_per_record_ms = v;
            Ok(())
        },
        live: true,
        ..ROW
    },
    Knob {
        id: KnobId::Timeout,
        name: "Timeout",
        group: Group::Function,
        explain: page_text("Lambda stops an invocation that runs longer than this."),
        min: 1.0,
        max: 900.0,
        default: 3.0,
        unit: "s",
        source: "AWS Lambda API: 1 to 900 seconds",
        key: "timeout",
        text: Text::Whole(Int::U32, "a whole number of seconds"),
        get: |s, t| Some(function(s, t)?.timeout.into()),
        set: |s, t, v| {
            function_mut(s, t)?.timeout = whole(v)?;
            Ok(())
        },
        live: true,
        ..ROW
    },
    Knob {
        id: KnobId::OnPoison,
        name: "on_poison",
        label: "On a poison record",
        group: Group::Function,
        explain: page_text("What your code does with a record it cannot handle."),
        control: Control::Choice(&ON_POISON),
        min: 0.0,
        max: 3.0,
        default: 0.0,
        source: "Your function's code",
        key: "onpoison",
        text: Text::Words(&["throw", "report_item_failure", "skip", "timeout"]),
        get: |s, t| Some(index_of(&ON_POISON_VALUES, &function(s, t)?.on_poison)),
        set: |s, t, v| {
            function_mut(s, t)?.on_poison = choice(&ON_POISON_VALUES, v)?;
            Ok(())
        },
        live: true,
        ..ROW
    },
    Knob {
        id: KnobId::ReservedConcurrentExecutions,
        name: "ReservedConcurrentExecutions",
        group: Group::Function,
        explain: page_text("Instances kept for this function, and its ceiling; -1 is off."),
        control: slider(true),
        min: -1.0,
        max: (bounds::ACCOUNT_CONCURRENCY_MAX - 100) as f64,
        default: -1.0,
        unit: "instances",
        source: "AWS Lambda API: 0 to the account limit less 100",
        key: "reserved",
        text: Text::WholeOrNone("a whole number or none"),
        get: |s, t| {
            Some(
                function(s, t)?
                    .reserved_concurrent_executions
                    .map_or(-1.0, f64::from),
            )
        },
        set: |s, t, v| {
            let reserved = if v < 0.0 { None } else { Some(whole(v)?) };
            function_mut(s, t)?.reserved_concurrent_executions = reserved;
            Ok(())
        },
        live: true,
        ..ROW
    },
    Knob {
        id: KnobId::AccountConcurrentExecutions,
        name: "ConcurrentExecutions",
        group: Group::Account,
        explain: page_text("The Region's concurrency, shared by every function in the account."),
        control: slider(true),
        min: 1.0,
        max: bounds::ACCOUNT_CONCURRENCY_MAX as f64,
        default: 1_000.0,
        unit: "instances",
        source: "AWS Lambda quota: 1,000 by default, raised on request",
        key: "acct",
        get: |s, _| Some(s.account.concurrent_executions.into()),
        set: |s, _, v| {
            s.account.concurrent_executions = whole(v)?;
            Ok(())
        },
        live: true,
        ..ROW
    },
    Knob {
        id: KnobId::OtherFunctionsConcurrency,
        name: "other_functions_concurrency",
        label: "Other functions' demand",
        group: Group::Account,
        explain: page_text("Concurrent instances the account's other functions want, sharing ConcurrentExecutions."),
        control: slider(true),
        min: 0.0,
        max: bounds::ACCOUNT_CONCURRENCY_MAX as f64,
        default: 0.0,
        unit: "instances",
        source: "Playground: 0 to 1,000,000",
        key: "other",
        get: |s, _| Some(s.account.other_functions_concurrency.into()),
        set: |s, _, v| {
            s.account.other_functions_concurrency = whole(v)?;
            Ok(())
        },
        live: true,
        ..ROW
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

/// The knobs the page shows a control for, in its order.
pub fn on_page() -> impl Iterator<Item = &'static Knob> {
    KNOBS.iter().filter(|k| k.on_page)
}

/// The knob a link writes under `key`.
pub fn of_key(key: &str) -> Option<&'static Knob> {
    KNOBS.iter().find(|k| k.key == key)
}

/// The knob of this name (AWS's, or the playground's for simulated settings).
pub fn of_name(name: &str) -> Option<&'static Knob> {
    KNOBS.iter().find(|k| k.name == name)
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

/// The knob's value in `scenario`, or `None` when the scenario lacks what it sets (no
/// mapping, no function). Producer knobs read the defaults when there is no producer.
pub fn get(id: KnobId, scenario: &Scenario, target: Target) -> Option<f64> {
    (id.knob().get)(scenario, target)
}

/// Sets the knob in `scenario`. Converts the number only: the range is checked by
/// [`Scenario::validate`], whose message names the setting and the allowed range.
pub fn set(id: KnobId, scenario: &mut Scenario, target: Target, v: f64) -> Result<(), String> {
    let knob = id.knob();
    let (value, min, max) = (Shortest(v), Shortest(knob.min), Shortest(knob.max));
    (knob.set)(scenario, target, v).map_err(|bad| match bad {
        Bad::NotWhole => format!(
            "{}: {value} is not a whole number: allowed {min} to {max}",
            knob.name
        ),
        Bad::OutOfRange => format!(
            "{}: {value} is out of range: allowed {min} to {max}",
            knob.name
        ),
        Bad::NotAChoice => match knob.control {
            Control::Choice(labels) if labels == OFF_OR_ON => format!(
                "{}: {value} is not a choice: allowed 0 (off) or 1 (on)",
                knob.name
            ),
            _ => format!("{}: {value} is not a choice: allowed 0 to {max}", knob.name),
        },
        Bad::OutOfRangeHere(min, max) => format!(
            "{}: {value} is out of range: allowed {} to {}{} ({})",
            knob.name,
            Shortest(min),
            Shortest(max),
            if knob.unit.is_empty() {
                String::new()
            } else {
                format!(" {}", knob.unit)
            },
            knob.source
        ),
        Bad::NoMapping => "the scenario has no event source mapping: add one first".to_string(),
        Bad::NoFunction => "the scenario has no function: add a mapping first".to_string(),
    })
}

/// The scenario with `id` set to `v`, validated. The error is the knob's or the
/// validator's message (field, value and allowed range). (The page hands its changed
/// scenario to `Simulation::reconfigure`, which validates it there, once.)
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
            .map_or_else(|| Shortest(v).to_string(), |l| (*l).to_string()),
        (KnobId::MaximumRetryAttempts, _) if v < 0.0 => "until expiry".to_string(),
        (KnobId::MaximumRecordAgeInSeconds, _) if v < 0.0 => "no limit".to_string(),
        (KnobId::ReservedConcurrentExecutions, _) if v < 0.0 => "off".to_string(),
        (KnobId::TargetShardCount, _) if v < 0.0 => "none".to_string(),
        (KnobId::HotKeyShare, _) => format!("{}%", Fixed(v * 100.0, 0)),
        // A moment before the run reads "-3,600"; milliseconds keep three places.
        (KnobId::StartingPositionTimestamp, _) if v.fract() != 0.0 => Fixed(v, 3).to_string(),
        (KnobId::StartingPositionTimestamp, _) if v < 0.0 => {
            format!("-{}", super::format::grouped_f64(-v))
        }
        _ => super::format::grouped_f64(v),
    }
}

/// What a row's number box holds for `v`. A playground "none" (`Text::WholeOrNone`:
/// -1 stands for a setting left out, which AWS writes as no number at all) is an
/// empty box whose placeholder ([`box_placeholder`]) says what empty means; AWS's own
/// -1s (MaximumRetryAttempts, MaximumRecordAgeInSeconds) stay -1, as a configuration
/// writes them.
pub fn box_value(knob: &Knob, v: f64) -> String {
    match knob.text {
        Text::WholeOrNone(_) if v < 0.0 => String::new(),
        _ => Shortest(v).to_string(),
    }
}

/// The placeholder of a row's number box, where an empty box means something.
pub fn box_placeholder(knob: &Knob) -> Option<String> {
    matches!(knob.text, Text::WholeOrNone(_)).then(|| display(knob, -1.0))
}

/// What the reader typed in a row's number box: its value, or `None` when it is not
/// a number. An optional whole number's empty box (or `none`) is -1.
pub fn typed_value(knob: &Knob, text: &str) -> Option<f64> {
    let t = text.trim();
    match knob.text {
        Text::WholeOrNone(_) if t.is_empty() || t.eq_ignore_ascii_case("none") => Some(-1.0),
        _ => t.parse().ok(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_optional_whole_number_off_is_an_empty_box_that_says_so() {
        let target = KnobId::TargetShardCount.knob();
        assert_eq!(box_value(target, -1.0), "");
        assert_eq!(box_value(target, 8.0), "8");
        assert_eq!(box_placeholder(target).as_deref(), Some("none"));
        assert_eq!(typed_value(target, " "), Some(-1.0));
        assert_eq!(typed_value(target, "none"), Some(-1.0));
        assert_eq!(typed_value(target, "8"), Some(8.0));
        let reserved = KnobId::ReservedConcurrentExecutions.knob();
        assert_eq!(box_value(reserved, -1.0), "");
        assert_eq!(box_placeholder(reserved).as_deref(), Some("off"));
        // AWS's own -1 is kept as AWS writes it; empty is not a number there.
        let retries = KnobId::MaximumRetryAttempts.knob();
        assert_eq!(box_value(retries, -1.0), "-1");
        assert_eq!(box_placeholder(retries), None);
        assert_eq!(typed_value(retries, ""), None);
        assert_eq!(typed_value(retries, "-1"), Some(-1.0));
        assert_eq!(typed_value(retries, "ten"), None);
    }

    #[test]
    fn every_label_reads_as_words() {
        for k in KNOBS.iter().filter(|k| k.on_page) {
            let label = k.label();
            assert!(!label.contains('_'), "{}: {label}", k.name);
            assert_eq!(word_breaks(label).concat(), label);
        }
        // AWS's names are kept; the playground's own get words and keep the JSON name.
        assert_eq!(
            KnobId::MaximumRecordAgeInSeconds.knob().label(),
            "MaximumRecordAgeInSeconds"
        );
        assert!(!KnobId::MaximumRecordAgeInSeconds.knob().shows_json_name());
        assert_eq!(KnobId::HotKeyShare.knob().label(), "Hot key share");
        assert!(KnobId::OtherFunctionsConcurrency.knob().shows_json_name());
        assert_eq!(
            word_breaks("MaximumRecordAgeInSeconds"),
            ["Maximum", "Record", "Age", "In", "Seconds"]
        );
        assert_eq!(word_breaks("Run length"), ["Run length"]);
    }

    use super::*;
    use crate::sim::{parse_scenario, Reconfigured, Simulation};

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
            if k.id == KnobId::StartingPositionTimestamp {
                // No timestamp unless the mapping starts AT_TIMESTAMP; choosing that
                // starts at the run's start, the row's default.
                assert_eq!(get(k.id, &s, Target::default()), None);
                let at = rebuilt(&s, KnobId::StartingPosition, Target::default(), 2.0)
                    .unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(get(k.id, &at, Target::default()), Some(k.default));
                continue;
            }
            if k.id == KnobId::ReshardAtS {
                // No time unless there is an UpdateShardCount; choosing a target makes
                // one a minute in, the row's default.
                assert_eq!(get(k.id, &s, Target::default()), None);
                let up = rebuilt(&s, KnobId::TargetShardCount, Target::default(), 8.0)
                    .unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(get(k.id, &up, Target::default()), Some(k.default));
                continue;
            }
            if k.id == KnobId::PreviousPeakWriteMibPerS {
                // Only an on-demand stream has a previous peak; a new one's is 0.
                assert_eq!(get(k.id, &s, Target::default()), None);
                let mut od = s.clone();
                od.stream.shard_count = 4;
                let od = rebuilt(&od, KnobId::StreamMode, Target::default(), 1.0)
                    .unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(get(k.id, &od, Target::default()), Some(k.default));
                continue;
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
            if k.id == KnobId::MaxRecordSizeInKiB {
                // AWS's 10 MiB; the model takes over 4 MiB only with no mapping reading.
                base.event_source_mappings.clear();
                base.functions.clear();
            }
            if k.id == KnobId::TargetShardCount {
                // Double and half the open shards: 10,000 from 5,000.
                base.stream.shard_count = 5_000;
            }
            if k.id == KnobId::ReshardAtS {
                // Within the run: the longest run's last second.
                base.duration_s = bounds::DURATION_S_MAX;
            }
            if k.id == KnobId::StartingPositionTimestamp {
                // From Unix time 0 to the mapping's creation, here the longest run's end.
                base.duration_s = bounds::DURATION_S_MAX;
                base.event_source_mappings[0].created_at_ms = bounds::DURATION_S_MAX * 1_000;
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

    /// Every knob round-trips through the scenario, and a live knob's change reaches
    /// a running simulation as commands that make it run exactly the new scenario.
    #[test]
    fn every_knob_round_trips_and_live_changes_give_the_same_scenario() {
        let base = full();
        let t = Target::default();
        for k in KNOBS {
            let v = match k.control {
                Control::Choice(_) if k.default > 0.0 => 0.0,
                Control::Choice(labels) => (labels.len() - 1) as f64,
                _ if k.id == KnobId::HotKeyShare => 0.25,
                _ if k.id == KnobId::DurationPerRecordMs => 2.5,
                _ if k.id == KnobId::MaximumRecordAgeInSeconds => 3_600.0,
                _ if k.id == KnobId::ReservedConcurrentExecutions => 50.0,
                _ if k.id == KnobId::TargetShardCount => 8.0,
                _ if k.id == KnobId::MaxRecordSizeInKiB => 2_048.0,
                _ if k.id == KnobId::StartingPositionTimestamp => -3_600.5,
                _ => (k.default + 2.0 * k.step).min(k.max),
            };
            let next = rebuilt(&base, k.id, t, v).unwrap_or_else(|e| panic!("{}: {e}", k.name));
            assert_eq!(get(k.id, &next, t), Some(v), "{}", k.name);
            assert_ne!(next, base, "{}: {v} is a change", k.name);
            // The core decides what it takes live; the row says the same to the page.
            let mut sim = Simulation::new(&base);
            match sim.reconfigure(&next) {
                Ok(Reconfigured::Live) => {
                    assert_eq!(k.apply(), Apply::Live, "{}", k.name);
                    assert_eq!(sim.current_scenario(), &next, "{}", k.name);
                }
                Ok(Reconfigured::NeedsRebuild) => {
                    assert_eq!(k.apply(), Apply::Rebuild, "{}", k.name);
                    assert_eq!(sim.current_scenario(), &base, "{}", k.name);
                }
                Err(e) => panic!("{}: {e}", k.name),
            }
        }
    }

    #[test]
    fn several_changes_at_once_reach_every_mapping_and_function() {
        let mut base = full();
        base.functions.push(base.functions[0].clone());
        base.functions[1].function_name = "g".into();
        base.event_source_mappings
            .push(base.event_source_mappings[0].clone());
        base.event_source_mappings[1].function_name = "g".into();
        base.validate().unwrap_or_else(|e| panic!("{e}"));
        let second = Target::of_mapping(&base, 1);
        assert_eq!(second.function, 1);
        let next = rebuilt(&base, KnobId::BatchSize, second, 10.0)
            .and_then(|n| rebuilt(&n, KnobId::Timeout, second, 30.0))
            .and_then(|n| rebuilt(&n, KnobId::RecordsPerS, second, 5.0))
            .unwrap_or_else(|e| panic!("{e}"));
        let mut sim = Simulation::new(&base);
        assert_eq!(sim.reconfigure(&next), Ok(Reconfigured::Live));
        assert_eq!(sim.current_scenario(), &next);
        // One rebuild knob among them makes it a rebuild, and nothing changes.
        let pf = rebuilt(&next, KnobId::ParallelizationFactor, second, 2.0)
            .unwrap_or_else(|e| panic!("{e}"));
        let mut sim = Simulation::new(&base);
        assert_eq!(sim.reconfigure(&pf), Ok(Reconfigured::NeedsRebuild));
        assert_eq!(sim.current_scenario(), &base);
        // So does anything no knob reads.
        let mut seed = next.clone();
        seed.seed += 1;
        assert_eq!(sim.reconfigure(&seed), Ok(Reconfigured::NeedsRebuild));
        assert_eq!(sim.reconfigure(&base.clone()), Ok(Reconfigured::Live));
    }

    #[test]
    fn a_refused_value_names_the_setting_and_range() {
        let base = full();
        let t = Target::default();
        let e = rebuilt(&base, KnobId::MaximumRecordAgeInSeconds, t, 30.0)
            .err()
            .unwrap_or_default();
        assert!(
            e.contains("MaximumRecordAgeInSeconds") && e.contains("60 to 604800"),
            "{e}"
        );
        let e = rebuilt(&base, KnobId::OnPoison, t, 7.0)
            .err()
            .unwrap_or_default();
        assert_eq!(e, "on_poison: 7 is not a choice: allowed 0 to 3");
        let e = rebuilt(&base, KnobId::BisectBatchOnFunctionError, t, 2.0)
            .err()
            .unwrap_or_default();
        assert_eq!(
            e,
            "BisectBatchOnFunctionError: 2 is not a choice: allowed 0 (off) or 1 (on)"
        );
        // A timestamp after the mapping's creation (here the run's start) is refused
        // in the page's unit, with AWS's rule.
        let e = rebuilt(&base, KnobId::StartingPositionTimestamp, t, 30.0)
            .err()
            .unwrap_or_default();
        assert_eq!(
            e,
            "StartingPositionTimestamp: 30 is out of range: allowed -1767225600 to 0 s from the run's start (AWS Lambda API: Unix seconds, not in the future: at most the mapping's creation)"
        );
        // On demand needs AWS's starting 4 shards' worth; the validator says so.
        let mut one = base.clone();
        one.stream.shard_count = 1;
        let e = rebuilt(&one, KnobId::StreamMode, t, 1.0)
            .err()
            .unwrap_or_default();
        assert!(
            e.contains("stream.ShardCount: 1 is out of range: allowed 4 to 10000 with StreamMode ON_DEMAND"),
            "{e}"
        );
        // Over 4 MiB with a mapping is outside the model, and said so.
        let e = rebuilt(&base, KnobId::MaxRecordSizeInKiB, t, 5_120.0)
            .err()
            .unwrap_or_default();
        assert!(
            e.contains(
                "stream.MaxRecordSizeInKiB: 5120 with an event source mapping is not modelled"
            ),
            "{e}"
        );
    }

    /// StartingPosition and its timestamp move together: a timestamp makes the
    /// mapping start AT_TIMESTAMP, another position drops it, and the scenario holds
    /// Unix seconds as AWS does (issue 15, item 11).
    #[test]
    fn the_timestamp_belongs_to_at_timestamp() {
        let base = full();
        let t = Target::default();
        let at = rebuilt(&base, KnobId::StartingPositionTimestamp, t, -60.25)
            .unwrap_or_else(|e| panic!("{e}"));
        let m = &at.event_source_mappings[0];
        assert_eq!(m.starting_position, StartingPosition::AtTimestamp);
        assert_eq!(m.starting_position_timestamp, Some(1_767_225_539.75));
        assert_eq!(get(KnobId::StartingPosition, &at, t), Some(2.0));
        assert_eq!(
            display(KnobId::StartingPositionTimestamp.knob(), -60.25),
            "-60.250"
        );
        assert_eq!(
            display(KnobId::StartingPositionTimestamp.knob(), -3_600.0),
            "-3,600"
        );
        let back = rebuilt(&at, KnobId::StartingPosition, t, 1.0).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            back.event_source_mappings[0].starting_position_timestamp,
            None
        );
        assert_eq!(get(KnobId::StartingPositionTimestamp, &back, t), None);
        assert_eq!(back, base);
        // Switching back to provisioned forgets the on-demand peak, which only an
        // on-demand stream may have.
        let mut od = rebuilt(&base, KnobId::StreamMode, t, 1.0).unwrap_or_else(|e| panic!("{e}"));
        od.stream.previous_peak_write_mib_per_s = 8.0;
        od.validate().unwrap_or_else(|e| panic!("{e}"));
        let p = rebuilt(&od, KnobId::StreamMode, t, 0.0).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.stream, base.stream);
    }

    /// The page's UpdateShardCount is the stream's first one: set, it keeps the other
    /// reshards (a split) and their order in time; `none` removes it alone; an
    /// on-demand stream, which AWS reshards itself, has no such control (issue 15).
    #[test]
    fn the_page_sets_the_first_update_shard_count_and_keeps_the_rest() {
        let mut base = full();
        base.stream.reshards.push(Reshard {
            at_s: 30,
            shard_to_split: Some("shardId-000000000000".into()),
            ..Reshard::default()
        });
        base.validate().unwrap_or_else(|e| panic!("{e}"));
        let t = Target::default();
        assert_eq!(get(KnobId::TargetShardCount, &base, t), Some(-1.0));
        assert_eq!(display(KnobId::TargetShardCount.knob(), -1.0), "none");
        let up = rebuilt(&base, KnobId::TargetShardCount, t, 8.0).unwrap_or_else(|e| panic!("{e}"));
        let at: Vec<u64> = up.stream.reshards.iter().map(|r| r.at_s).collect();
        assert_eq!(at, [30, 60], "in order of time");
        assert_eq!(
            up.stream.reshards[1].scaling_type.as_deref(),
            Some(UNIFORM_SCALING)
        );
        // Before the split, the split's shard would be closed already: refused, said so.
        let e = rebuilt(&up, KnobId::ReshardAtS, t, 10.0)
            .err()
            .unwrap_or_default();
        assert!(e.contains("is not an open shard at that time"), "{e}");
        let early = rebuilt(&up, KnobId::ReshardAtS, t, 45.0).unwrap_or_else(|e| panic!("{e}"));
        let at: Vec<u64> = early.stream.reshards.iter().map(|r| r.at_s).collect();
        assert_eq!(at, [30, 45]);
        assert_eq!(get(KnobId::TargetShardCount, &early, t), Some(8.0));
        let none =
            rebuilt(&early, KnobId::TargetShardCount, t, -1.0).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(none, base, "none removes the UpdateShardCount only");
        // Past the run's end, in AWS's words.
        let e = rebuilt(&up, KnobId::ReshardAtS, t, 600.0)
            .err()
            .unwrap_or_default();
        assert!(
            e.contains("600 is not within the run: allowed 0 to 599"),
            "{e}"
        );
        let mut od = full();
        od.stream.stream_mode_details.stream_mode = StreamMode::OnDemand;
        assert_eq!(get(KnobId::TargetShardCount, &od, t), None);
    }

    #[test]
    fn names_and_keys_are_unique_and_the_destination_is_one_arn() {
        let mut names: Vec<&str> = KNOBS.iter().map(|k| k.name).collect();
        let mut keys: Vec<&str> = KNOBS.iter().map(|k| k.key).collect();
        names.sort_unstable();
        names.dedup();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(names.len(), KNOBS.len());
        assert_eq!(keys.len(), KNOBS.len());
        for k in KNOBS {
            assert_eq!(of_key(k.key).map(|o| o.id), Some(k.id));
            assert_eq!(of_name(k.name).map(|o| o.id), Some(k.id));
        }
        let sqs = rebuilt(
            &full(),
            KnobId::OnFailureDestination,
            Target::default(),
            1.0,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            sqs.event_source_mappings[0]
                .destination_config
                .on_failure
                .destination
                .as_deref(),
            Some(DESTINATION_ARNS[0])
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
