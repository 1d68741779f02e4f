//! The URL holds the state: which scenario, its seed, every setting changed from it,
//! and the moment on the clock, in a versioned and readable query string:
//!
//! `?v=1&s=poison-pill&seed=7&t=3600&shards=4&rate=800&bisect=1`
//!
//! Opening the link replays the same run to the same moment. A part that cannot be
//! read (unknown key, wrong type, out of range, a scenario that does not exist) is
//! named in a message and falls back to the scenario's own value; the rest of the link
//! still applies. Nothing in a link is ever shown as markup: messages quote it.

use crate::sim::scenario::{FunctionResponseType, OnFailure, OnPoison, Scenario, StartingPosition};
use crate::sim::SimTime;

/// The URL format this build writes. Older versions are read by `parse`.
pub const VERSION: u32 = 1;

/// Longest link part we read; a longer value is refused, not truncated.
const VALUE_LEN_MAX: usize = 200;

/// A knob that a link can set: its key in the URL, and how it reads and writes the
/// scenario.
struct Knob {
    key: &'static str,
    /// What the message calls it (AWS's name where AWS has one).
    name: &'static str,
    get: fn(&Scenario) -> String,
    set: fn(&mut Scenario, &str) -> Result<(), String>,
}

fn num<T: std::str::FromStr>(v: &str, what: &str) -> Result<T, String> {
    v.parse().map_err(|_| format!("{v:?} is not {what}"))
}

fn flag(v: &str) -> Result<bool, String> {
    match v {
        "1" | "true" | "on" => Ok(true),
        "0" | "false" | "off" => Ok(false),
        _ => Err(format!("{v:?} is not 1 or 0")),
    }
}

fn on_poison_word(p: OnPoison) -> &'static str {
    match p {
        OnPoison::Throw => "throw",
        OnPoison::ReportItemFailure => "report_item_failure",
        OnPoison::Skip => "skip",
        OnPoison::Timeout => "timeout",
    }
}

/// The first mapping and the function it invokes: what the single-mapping knobs set.
fn first_mapping(s: &mut Scenario) -> Result<&mut crate::sim::scenario::MappingConfig, String> {
    s.event_source_mappings
        .first_mut()
        .ok_or_else(|| "this scenario has no event source mapping".to_string())
}

fn first_function(s: &mut Scenario) -> Result<&mut crate::sim::scenario::FunctionConfig, String> {
    let name = s
        .event_source_mappings
        .first()
        .map(|m| m.function_name.clone());
    let f = match name {
        Some(n) => s.functions.iter_mut().find(|f| f.function_name == n),
        None => s.functions.first_mut(),
    };
    f.ok_or_else(|| "this scenario has no function".to_string())
}

fn producer(s: &mut Scenario) -> &mut crate::sim::scenario::ProducerConfig {
    s.producer.get_or_insert_with(Default::default)
}

fn get_mapping(s: &Scenario) -> Option<&crate::sim::scenario::MappingConfig> {
    s.event_source_mappings.first()
}

fn get_function(s: &Scenario) -> Option<&crate::sim::scenario::FunctionConfig> {
    let name = get_mapping(s).map(|m| m.function_name.as_str());
    match name {
        Some(n) => s.functions.iter().find(|f| f.function_name == n),
        None => s.functions.first(),
    }
}

macro_rules! knobs {
    ($($key:literal, $name:literal, |$g:ident| $get:expr, |$s:ident, $v:ident| $set:expr;)*) => {
        &[$(Knob {
            key: $key,
            name: $name,
            get: |$g: &Scenario| $get,
            set: |$s: &mut Scenario, $v: &str| -> Result<(), String> { $set; Ok(()) },
        },)*]
    };
}

/// Every knob a link can carry, in the order links write them.
const KNOBS: &[Knob] = knobs![
    "shards", "ShardCount", |s| s.stream.shard_count.to_string(), |s, v| s.stream.shard_count = num(v, "a whole number")?;
    "retention", "RetentionPeriodHours", |s| s.stream.retention_period_hours.to_string(), |s, v| s.stream.retention_period_hours = num(v, "a whole number of hours")?;
    "rate", "records_per_s", |s| s.producer.as_ref().map(|p| p.records_per_s.to_string()).unwrap_or_default(), |s, v| producer(s).records_per_s = num(v, "a number of records per second")?;
    "bytes", "record_bytes", |s| s.producer.as_ref().map(|p| p.record_bytes.to_string()).unwrap_or_default(), |s, v| producer(s).record_bytes = num(v, "a whole number of bytes")?;
    "keys", "partition_keys", |s| s.producer.as_ref().map(|p| p.partition_keys.to_string()).unwrap_or_default(), |s, v| producer(s).partition_keys = num(v, "a whole number")?;
    "hot", "hot_key_share", |s| s.producer.as_ref().map(|p| p.hot_key_share.to_string()).unwrap_or_default(), |s, v| producer(s).hot_key_share = num(v, "a number from 0 to 1")?;
    "resend", "retry_failed_records", |s| s.producer.as_ref().map(|p| u8::from(p.retry_failed_records).to_string()).unwrap_or_default(), |s, v| producer(s).retry_failed_records = flag(v)?;
    "reqtimeout", "request_timeout_ms", |s| s.producer.as_ref().map(|p| p.request_timeout_ms.to_string()).unwrap_or_default(), |s, v| producer(s).request_timeout_ms = num(v, "a whole number of ms")?;
    "batch", "BatchSize", |s| get_mapping(s).map(|m| m.batch_size.to_string()).unwrap_or_default(), |s, v| first_mapping(s)?.batch_size = num(v, "a whole number")?;
    "window", "MaximumBatchingWindowInSeconds", |s| get_mapping(s).map(|m| m.maximum_batching_window_in_seconds.to_string()).unwrap_or_default(), |s, v| first_mapping(s)?.maximum_batching_window_in_seconds = num(v, "a whole number of seconds")?;
    "pf", "ParallelizationFactor", |s| get_mapping(s).map(|m| m.parallelization_factor.to_string()).unwrap_or_default(), |s, v| first_mapping(s)?.parallelization_factor = num(v, "a whole number")?;
    "start", "StartingPosition", |s| get_mapping(s).map(|m| if m.starting_position == StartingPosition::Latest { "latest" } else { "trim_horizon" }.to_string()).unwrap_or_default(), |s, v| first_mapping(s)?.starting_position = match v {
        "latest" => StartingPosition::Latest,
        "trim_horizon" => StartingPosition::TrimHorizon,
        _ => return Err(format!("{v:?} is not latest or trim_horizon")),
    };
    "retries", "MaximumRetryAttempts", |s| get_mapping(s).map(|m| m.maximum_retry_attempts.to_string()).unwrap_or_default(), |s, v| first_mapping(s)?.maximum_retry_attempts = num(v, "a whole number")?;
    "age", "MaximumRecordAgeInSeconds", |s| get_mapping(s).map(|m| m.maximum_record_age_in_seconds.to_string()).unwrap_or_default(), |s, v| first_mapping(s)?.maximum_record_age_in_seconds = num(v, "a whole number of seconds")?;
    "bisect", "BisectBatchOnFunctionError", |s| get_mapping(s).map(|m| u8::from(m.bisect_batch_on_function_error).to_string()).unwrap_or_default(), |s, v| first_mapping(s)?.bisect_batch_on_function_error = flag(v)?;
    "rbif", "ReportBatchItemFailures", |s| get_mapping(s).map(|m| u8::from(!m.function_response_types.is_empty()).to_string()).unwrap_or_default(), |s, v| first_mapping(s)?.function_response_types = if flag(v)? { vec![FunctionResponseType::ReportBatchItemFailures] } else { Vec::new() };
    "dest", "OnFailure destination", |s| get_mapping(s).map(|m| destination_word(&m.destination_config.on_failure).to_string()).unwrap_or_default(), |s, v| first_mapping(s)?.destination_config.on_failure = destination_of(v)?;
    "tumble", "TumblingWindowInSeconds", |s| get_mapping(s).map(|m| m.tumbling_window_in_seconds.to_string()).unwrap_or_default(), |s, v| first_mapping(s)?.tumbling_window_in_seconds = num(v, "a whole number of seconds")?;
    "efo", "enhanced fan-out", |s| get_mapping(s).map(|m| u8::from(m.enhanced_fan_out).to_string()).unwrap_or_default(), |s, v| first_mapping(s)?.enhanced_fan_out = flag(v)?;
    "dur", "duration_ms", |s| get_function(s).map(|f| f.duration_ms.to_string()).unwrap_or_default(), |s, v| first_function(s)?.duration_ms = num(v, "a whole number of ms")?;
    "perrec", "duration_per_record_ms", |s| get_function(s).map(|f| f.duration_per_record_ms.to_string()).unwrap_or_default(), |s, v| first_function(s)?.duration_per_record_ms = num(v, "a number of ms")?;
    "timeout", "Timeout", |s| get_function(s).map(|f| f.timeout.to_string()).unwrap_or_default(), |s, v| first_function(s)?.timeout = num(v, "a whole number of seconds")?;
    "onpoison", "on_poison", |s| get_function(s).map(|f| on_poison_word(f.on_poison).to_string()).unwrap_or_default(), |s, v| first_function(s)?.on_poison = match v {
        "throw" => OnPoison::Throw,
        "report_item_failure" => OnPoison::ReportItemFailure,
        "skip" => OnPoison::Skip,
        "timeout" => OnPoison::Timeout,
        _ => return Err(format!("{v:?} is not throw, report_item_failure, skip or timeout")),
    };
    "reserved", "ReservedConcurrentExecutions", |s| get_function(s).map(|f| f.reserved_concurrent_executions.map_or("none".to_string(), |r| r.to_string())).unwrap_or_default(), |s, v| first_function(s)?.reserved_concurrent_executions = if v == "none" { None } else { Some(num(v, "a whole number or none")?) };
    "length", "duration_s", |s| s.duration_s.to_string(), |s, v| s.duration_s = num(v, "a whole number of seconds")?;
    "acct", "ConcurrentExecutions", |s| s.account.concurrent_executions.to_string(), |s, v| s.account.concurrent_executions = num(v, "a whole number")?;
    "other", "other_functions_concurrency", |s| s.account.other_functions_concurrency.to_string(), |s, v| s.account.other_functions_concurrency = num(v, "a whole number")?;
];

fn destination_word(d: &OnFailure) -> &'static str {
    match d.destination.as_deref() {
        None => "none",
        Some(a) if a.starts_with("arn:aws:sqs:") => "sqs",
        Some(a) if a.starts_with("arn:aws:sns:") => "sns",
        Some(_) => "s3",
    }
}

fn destination_of(v: &str) -> Result<OnFailure, String> {
    let arn = match v {
        "none" => None,
        "sqs" => Some("arn:aws:sqs:us-east-1:123456789012:playground-dlq"),
        "sns" => Some("arn:aws:sns:us-east-1:123456789012:playground-failures"),
        "s3" => Some("arn:aws:s3:::playground-failed-batches"),
        _ => return Err(format!("{v:?} is not none, sqs, sns or s3")),
    };
    Ok(OnFailure {
        destination: arn.map(str::to_string),
    })
}

/// Options for a page embedded in another (`embed=1`), carried by the same link.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Embed {
    pub on: bool,
    /// `light`, `dark` or `transparent`; none follows the reader's system.
    pub theme: Option<String>,
    pub autoplay: bool,
    /// Knob keys the reader may not change.
    pub lock: Vec<String>,
    /// `all`, `time` or `none`: which controls show (none: the picture alone).
    /// Earlier links said `full` (read as `all`) and `min` (read as `time`).
    pub ui: Option<String>,
}

/// The `ui` values a link may carry, and what older links wrote for them.
pub const UI_VALUES: [&str; 3] = ["all", "time", "none"];

fn ui_value(v: &str) -> Option<&'static str> {
    match v {
        "all" | "full" => Some("all"),
        "time" | "min" => Some("time"),
        "none" => Some("none"),
        _ => None,
    }
}

/// What a link says.
#[derive(Clone, Debug, PartialEq)]
pub struct State {
    /// The link format's version the link was written in.
    pub version: u32,
    /// The built-in scenario's file name without `.json`.
    pub scenario: String,
    pub seed: Option<u64>,
    /// The moment on the clock to replay to.
    pub at: SimTime,
    /// Knob keys and values, as written, to apply to the scenario.
    pub knobs: Vec<(String, String)>,
    pub embed: Embed,
    /// `present=1`: open in presenter mode.
    pub present: bool,
    /// The scenario was named by `lesson=`: open its guided lesson (an embed opens
    /// one only when asked this way).
    pub lesson: bool,
}

/// A link read, with every part it could not read named.
#[derive(Clone, Debug, PartialEq)]
pub struct Read {
    pub state: State,
    pub problems: Vec<String>,
}

fn decode(s: &str) -> Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = s
                    .get(i + 1..i + 3)
                    .ok_or("a % that is not followed by two hex digits")?;
                out.push(
                    u8::from_str_radix(hex, 16)
                        .map_err(|_| format!("%{hex} is not a hex escape"))?,
                );
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| "an escape that is not UTF-8".to_string())
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Quotes a value for a message, short and inert.
fn quote(v: &str) -> String {
    let short: String = v.chars().take(40).collect();
    let more = if v.chars().count() > 40 { "..." } else { "" };
    format!("{:?}", format!("{short}{more}"))
}

/// Reads a query string (with or without the leading `?`). `known_scenario` says
/// whether a built-in scenario of that name exists; `default_scenario` is used when
/// the link names none or an unknown one.
pub fn parse(query: &str, known_scenario: &dyn Fn(&str) -> bool, default_scenario: &str) -> Read {
    let mut problems = Vec::new();
    let mut state = State {
        version: VERSION,
        scenario: default_scenario.to_string(),
        seed: None,
        at: SimTime::ZERO,
        knobs: Vec::new(),
        embed: Embed::default(),
        present: false,
        lesson: false,
    };
    let query = query.strip_prefix('?').unwrap_or(query);
    for part in query.split('&').filter(|p| !p.is_empty()) {
        let (raw_key, raw_value) = part.split_once('=').unwrap_or((part, ""));
        let (key, value) = match (decode(raw_key), decode(raw_value)) {
            (Ok(k), Ok(v)) => (k, v),
            (Err(e), _) | (_, Err(e)) => {
                problems.push(format!(
                    "the link part {} could not be read: {e}; it was ignored",
                    quote(part)
                ));
                continue;
            }
        };
        if value.len() > VALUE_LEN_MAX {
            problems.push(format!("{key}: a value of {} characters is too long (allowed {VALUE_LEN_MAX}); it was ignored", value.len()));
            continue;
        }
        match key.as_str() {
            "v" => match value.parse::<u32>() {
                Ok(v) if (1..=VERSION).contains(&v) => state.version = v,
                _ => problems.push(format!("v: {} is not a link version this page reads (allowed 1 to {VERSION}); reading it as version {VERSION}", quote(&value))),
            },
            // `lesson=` names the scenario too: a lesson is a scenario with a `lesson`.
            "s" | "lesson" => {
                if known_scenario(&value) {
                    state.scenario = value;
                    state.lesson = key == "lesson";
                } else {
                    problems.push(format!("{key}: there is no built-in scenario {}; showing {default_scenario} instead", quote(&value)));
                }
            }
            "present" => match flag(&value) {
                Ok(on) => state.present = on,
                Err(e) => problems.push(format!("present: {e}; not presenting")),
            },
            "seed" => match value.parse() {
                Ok(seed) => state.seed = Some(seed),
                Err(_) => problems.push(format!("seed: {} is not a whole number from 0 to 18446744073709551615; using the scenario's seed", quote(&value))),
            },
            "t" => match value.parse::<f64>() {
                Ok(t) if t.is_finite() && (0.0..=31_622_400.0).contains(&t) => state.at = SimTime((t * 1_000.0).round() as u64),
                _ => problems.push(format!("t: {} is not a time in seconds from 0 to 31622400; starting at 0", quote(&value))),
            },
            "embed" => match flag(&value) {
                Ok(on) => state.embed.on = on,
                Err(e) => problems.push(format!("embed: {e}; not embedded")),
            },
            "autoplay" => match flag(&value) {
                Ok(on) => state.embed.autoplay = on,
                Err(e) => problems.push(format!("autoplay: {e}; no autoplay")),
            },
            "theme" => match value.as_str() {
                "light" | "dark" | "transparent" => state.embed.theme = Some(value),
                _ => problems.push(format!("theme: {} is not light, dark or transparent; following the system", quote(&value))),
            },
            "ui" => match ui_value(&value) {
                Some(ui) => state.embed.ui = Some(ui.to_string()),
                None => problems.push(format!("ui: {} is not all, time or none; showing all", quote(&value))),
            },
            "lock" => {
                for k in value.split(',').filter(|k| !k.is_empty()) {
                    if k == "all" || KNOBS.iter().any(|knob| knob.key == k) {
                        state.embed.lock.push(k.to_string());
                    } else {
                        problems.push(format!("lock: {} is not a setting a link can carry (nor all); ignored", quote(k)));
                    }
                }
            }
            k if KNOBS.iter().any(|knob| knob.key == k) => state.knobs.push((key.clone(), value)),
            _ => problems.push(format!("{} is not a part of a playground link; ignored", quote(&key))),
        }
    }
    // A link without `v` reads as version 1, the first. When a later version renames
    // or rescales a knob, the translation from older versions goes here, keyed on
    // `state.version`, so that links in old blog posts keep replaying.
    Read { state, problems }
}

/// Applies a link's knobs to `scenario`, one by one: a knob whose value cannot be
/// read or that makes the scenario invalid is named and left at the scenario's value.
pub fn apply_knobs(scenario: &mut Scenario, knobs: &[(String, String)]) -> Vec<String> {
    let mut problems = Vec::new();
    for (key, value) in knobs {
        let Some(knob) = KNOBS.iter().find(|k| k.key == key) else {
            problems.push(format!(
                "{} is not a setting a link can carry; ignored",
                quote(key)
            ));
            continue;
        };
        let mut next = scenario.clone();
        match (knob.set)(&mut next, value) {
            Err(e) => problems.push(format!(
                "{key} ({}): {e}; kept {}",
                knob.name,
                quote(&(knob.get)(scenario))
            )),
            Ok(()) => match next.validate() {
                Ok(()) => *scenario = next,
                Err(e) => problems.push(format!(
                    "{key} ({}): {e}; kept {}",
                    knob.name,
                    quote(&(knob.get)(scenario))
                )),
            },
        }
    }
    problems
}

/// The link for a run: the scenario's name, the seed, every knob whose value differs
/// from `base` (the built-in scenario as shipped), and the moment.
pub fn write(
    name: &str,
    base: &Scenario,
    current: &Scenario,
    at: SimTime,
    embed: &Embed,
) -> String {
    let mut parts = vec![format!("v={VERSION}"), format!("s={}", encode(name))];
    if current.seed != base.seed {
        parts.push(format!("seed={}", current.seed));
    }
    if at > SimTime::ZERO {
        let s = at.0 as f64 / 1_000.0;
        parts.push(format!("t={s}"));
    }
    for knob in KNOBS {
        let (was, is) = ((knob.get)(base), (knob.get)(current));
        if was != is && !is.is_empty() {
            parts.push(format!("{}={}", knob.key, encode(&is)));
        }
    }
    if embed.on {
        parts.push("embed=1".into());
        if let Some(t) = &embed.theme {
            parts.push(format!("theme={t}"));
        }
        if embed.autoplay {
            parts.push("autoplay=1".into());
        }
        if let Some(u) = &embed.ui {
            parts.push(format!("ui={u}"));
        }
        if !embed.lock.is_empty() {
            parts.push(format!("lock={}", embed.lock.join(",")));
        }
    }
    format!("?{}", parts.join("&"))
}

/// Every key a link may carry, for documentation and the embed dialog.
pub fn knob_keys() -> impl Iterator<Item = (&'static str, &'static str)> {
    KNOBS.iter().map(|k| (k.key, k.name))
}
