//! The bridge to real AWS: the playground's settings as the `aws` CLI commands and
//! the CloudFormation that would create them, and a real configuration pasted back
//! in (`aws lambda get-event-source-mapping`, `aws lambda list-event-source-mappings`,
//! `aws kinesis describe-stream-summary` or `describe-stream`). The ARNs it writes name the region and
//! account of the pasted configuration (or of the scenario's destination), so a
//! mapping pasted from eu-west-1 goes back to eu-west-1.

use serde_json::Value;

use crate::sim::{
    apply_reshard, plan_reshard, DestinationConfig, FunctionResponseType, MappingConfig, OnFailure,
    OpenShard, Operation, Scenario, StartingPosition, MAX_RECORD_SIZE_KIB_MIN, UNIFORM_SCALING,
};
use crate::view::knobs::{self, Aws, Knob, KnobId, Target, Text, KNOBS, RUN_START_UNIX_S};

/// A mapping's scalar AWS properties, from the settings table, in its order, with
/// their values in mapping `i`.
fn mapping_properties(s: &Scenario, i: usize) -> impl Iterator<Item = (&'static Knob, f64)> + '_ {
    let target = Target::of_mapping(s, i);
    KNOBS
        .iter()
        .filter(|k| k.aws == Aws::MappingProperty)
        .filter_map(move |k| Some((k, (k.get)(s, target)?)))
}

/// The table's mapping property of this AWS name.
fn property(name: &str) -> Option<&'static Knob> {
    knobs::of_name(name).filter(|k| k.aws == Aws::MappingProperty)
}

/// A property's value as JSON (and YAML) write it: `true`/`false` for a toggle.
fn json_value(knob: &Knob, v: f64) -> Value {
    match knob.text {
        Text::Flag => Value::from(v != 0.0),
        _ => Value::from(v as i64),
    }
}

/// `BatchSize` → `batch-size`, the CLI's spelling of a property.
fn kebab(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('-');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

const REGION: &str = "us-east-1";
const ACCOUNT: &str = "123456789012";

/// The region and account the generated ARNs name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub region: String,
    pub account: String,
}

impl Default for Place {
    fn default() -> Self {
        Place {
            region: REGION.to_string(),
            account: ACCOUNT.to_string(),
        }
    }
}

impl Place {
    /// The region and account of an ARN (`arn:partition:service:region:account:…`),
    /// when it names both (an S3 bucket's ARN names neither).
    pub fn of_arn(arn: &str) -> Option<Place> {
        let mut parts = arn.split(':');
        let (Some("arn"), Some(_), Some(_), Some(region), Some(account)) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return None;
        };
        let fine =
            |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        (fine(region) && fine(account)).then(|| Place {
            region: region.to_string(),
            account: account.to_string(),
        })
    }

    /// The place the scenario's own ARNs name: its first on-failure destination that
    /// names a region and an account, or the default (us-east-1, 123456789012).
    pub fn of_scenario(s: &Scenario) -> Place {
        s.event_source_mappings
            .iter()
            .filter_map(|m| m.destination_config.on_failure.destination.as_deref())
            .find_map(Place::of_arn)
            .unwrap_or_default()
    }
}

fn stream_arn(s: &Scenario, at: &Place) -> String {
    format!(
        "arn:aws:kinesis:{}:{}:stream/{}",
        at.region, at.account, s.stream.stream_name
    )
}

fn starting_position(p: StartingPosition) -> &'static str {
    match p {
        StartingPosition::TrimHorizon => "TRIM_HORIZON",
        StartingPosition::Latest => "LATEST",
        StartingPosition::AtTimestamp => "AT_TIMESTAMP",
    }
}

/// Quotes a value for a POSIX shell.
fn sh(v: &str) -> String {
    if !v.is_empty()
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:/=$".contains(&b))
    {
        v.to_string()
    } else {
        format!("'{}'", v.replace('\'', r"'\''"))
    }
}

/// The `aws` CLI commands that create the scenario's stream, mappings and function
/// settings, with every setting under AWS's own name, in the scenario's place
/// ([`Place::of_scenario`]).
pub fn cli(s: &Scenario) -> String {
    cli_at(s, &Place::of_scenario(s))
}

/// [`cli`] with every ARN in this region and account.
pub fn cli_at(s: &Scenario, at: &Place) -> String {
    let name = sh(&s.stream.stream_name);
    // CreateStream takes StreamModeDetails as `--stream-mode-details StreamMode=...`
    // (AWS CLI reference, kinesis create-stream); a provisioned stream must name its
    // shards and an on-demand one does not ("For the data streams with a provisioned
    // mode, you must specify the number of shards", Kinesis API CreateStream).
    let mut out = vec![if s.stream.is_on_demand() {
        format!(
            "aws kinesis create-stream --stream-name {name} --stream-mode-details StreamMode=ON_DEMAND\n# On demand, AWS manages the shards; the playground keeps ShardCount {} behind the stream.",
            s.stream.shard_count
        )
    } else {
        format!(
            "aws kinesis create-stream --stream-name {name} --shard-count {} --stream-mode-details StreamMode=PROVISIONED",
            s.stream.shard_count
        )
    }];
    if s.stream.max_record_size_in_kib != MAX_RECORD_SIZE_KIB_MIN {
        // UpdateMaxRecordSize, 1024 to 10240 KiB (Kinesis API reference); the CLI
        // spells MaxRecordSizeInKiB as botocore snake-cases it, `max_record_size_in_ki_b`
        // (the SDKs' UpdateMaxRecordSizeInput), so `--max-record-size-in-ki-b`.
        out.push(format!(
            "aws kinesis update-max-record-size --stream-arn {} --max-record-size-in-ki-b {}",
            sh(&stream_arn(s, at)),
            s.stream.max_record_size_in_kib
        ));
    }
    if s.stream.retention_period_hours != 24 {
        out.push(format!(
            "aws kinesis increase-stream-retention-period --stream-name {name} --retention-period-hours {}",
            s.stream.retention_period_hours
        ));
    }
    out.extend(reshard_commands(s, &name));
    if s.account.concurrent_executions != 1_000 {
        out.push(format!(
            "# The account's ConcurrentExecutions is a quota, raised on request:\naws service-quotas request-service-quota-increase --service-code lambda --quota-code L-B99A9384 --desired-value {}",
            s.account.concurrent_executions
        ));
    }
    for f in &s.functions {
        if let Some(r) = f.reserved_concurrent_executions {
            out.push(format!("aws lambda put-function-concurrency --function-name {} --reserved-concurrent-executions {r}", sh(&f.function_name)));
        }
        out.push(format!(
            "aws lambda update-function-configuration --function-name {} --timeout {}",
            sh(&f.function_name),
            f.timeout
        ));
    }
    for (i, m) in s.event_source_mappings.iter().enumerate() {
        let mut c = vec![
            "aws lambda create-event-source-mapping".to_string(),
            format!("--function-name {}", sh(&m.function_name)),
            format!("--event-source-arn {}", sh(&stream_arn(s, at))),
            format!(
                "--starting-position {}",
                starting_position(m.starting_position)
            ),
        ];
        if let Some(ts) = m.starting_position_timestamp {
            // Unix seconds, as CreateEventSourceMapping's StartingPositionTimestamp
            // (Lambda API reference: "the time from which to start reading, in Unix
            // time seconds").
            c.push(format!("--starting-position-timestamp {ts}"));
        }
        for (knob, v) in mapping_properties(s, i) {
            let flag = kebab(knob.name);
            c.push(match knob.text {
                Text::Flag if v != 0.0 => format!("--{flag}"),
                Text::Flag => format!("--no-{flag}"),
                _ => format!("--{flag} {v}"),
            });
        }
        if !m.function_response_types.is_empty() {
            c.push("--function-response-types ReportBatchItemFailures".to_string());
        }
        if let Some(d) = &m.destination_config.on_failure.destination {
            c.push(format!(
                "--destination-config {}",
                sh(&format!(r#"{{"OnFailure":{{"Destination":"{d}"}}}}"#))
            ));
        }
        if m.enhanced_fan_out {
            out.push(format!(
                "# enhanced fan-out: register a consumer and use its ARN as --event-source-arn\naws kinesis register-stream-consumer --stream-arn {} --consumer-name {}-consumer",
                sh(&stream_arn(s, at)),
                sh(&m.function_name)
            ));
        }
        out.push(c.join(" \\\n    "));
    }
    out.join("\n\n")
}

/// The stream's reshards as the `aws kinesis` commands that make them, each said
/// when to run. The flags are AWS CLI's (reference, kinesis update-shard-count,
/// split-shard, merge-shards): `--target-shard-count` with `--scaling-type
/// UNIFORM_SCALING`, `--shard-to-split` with `--new-starting-hash-key` (which AWS
/// requires: where the scenario leaves it out, the key the playground splits at, the
/// middle of the parent's range), `--shard-to-merge` with `--adjacent-shard-to-merge`.
fn reshard_commands(s: &Scenario, name: &str) -> Vec<String> {
    let mut open = OpenShard::created(s.stream.shard_count);
    let mut next = open.len();
    let mut scalings = Vec::new();
    let mut out = Vec::new();
    for r in &s.stream.reshards {
        let when = format!("# {} s into the run:", r.at_s);
        let command = r.operation().and_then(|op| {
            let p = plan_reshard(&open, &op, r.at_s, &scalings)?;
            let line = match &op {
                Operation::UpdateShardCount(n) => {
                    scalings.push(r.at_s);
                    format!("aws kinesis update-shard-count --stream-name {name} --target-shard-count {n} --scaling-type {UNIFORM_SCALING}")
                }
                Operation::Split { shard, .. } => {
                    let key = p.opens.get(1).map_or(0, |(range, _)| range.starting_hash_key);
                    format!(
                        "aws kinesis split-shard --stream-name {name} --shard-to-split {} --new-starting-hash-key {key}",
                        sh(shard)
                    )
                }
                Operation::Merge(a, b) => format!(
                    "aws kinesis merge-shards --stream-name {name} --shard-to-merge {} --adjacent-shard-to-merge {}",
                    sh(a),
                    sh(b)
                ),
            };
            apply_reshard(&mut open, &mut next, &p);
            Ok(line)
        });
        match command {
            Ok(line) => out.push(format!("{when}\n{line}")),
            // A valid scenario has none; said rather than dropped.
            Err(e) => out.push(format!(
                "{when} {} the playground cannot write: {e}",
                r.call()
            )),
        }
    }
    out
}

/// A CloudFormation template (YAML) for the scenario's stream, its functions'
/// settings (Timeout, ReservedConcurrentExecutions; the code is yours: a placeholder
/// handler and a role passed as a parameter), an enhanced fan-out consumer where a
/// mapping uses one, and the mappings, every setting under AWS's own name.
pub fn cloudformation(s: &Scenario) -> String {
    let mut y = String::from(
        "AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  FunctionRoleArn:\n    Type: String\n    Description: The execution role of the functions (kinesis:GetRecords and friends)\nResources:\n",
    );
    if s.account.concurrent_executions != 1_000 {
        y.push_str(&format!(
            "  # The account's ConcurrentExecutions ({}) is a Service Quotas request (L-B99A9384), not a resource.\n",
            s.account.concurrent_executions
        ));
    }
    // AWS::Kinesis::Stream's StreamModeDetails (StreamMode: ON_DEMAND | PROVISIONED)
    // and MaxRecordSizeInKiB (Integer) properties (CloudFormation template reference).
    // An on-demand stream names no ShardCount: AWS manages its shards.
    let shards = if s.stream.is_on_demand() {
        format!(
            "      # On demand, AWS manages the shards; the playground keeps ShardCount {} behind the stream.\n",
            s.stream.shard_count
        )
    } else {
        format!("      ShardCount: {}\n", s.stream.shard_count)
    };
    y.push_str(&format!(
        "  Stream:\n    Type: AWS::Kinesis::Stream\n    Properties:\n      Name: {}\n{shards}      RetentionPeriodHours: {}\n      StreamModeDetails:\n        StreamMode: {}\n      MaxRecordSizeInKiB: {}\n",
        s.stream.stream_name,
        s.stream.retention_period_hours,
        if s.stream.is_on_demand() { "ON_DEMAND" } else { "PROVISIONED" },
        s.stream.max_record_size_in_kib
    ));
    if !s.stream.reshards.is_empty() {
        // A reshard is a call at a time, not a resource: a template says what the
        // stream is. Changing ShardCount in a stack update makes CloudFormation call
        // UpdateShardCount (AWS::Kinesis::Stream, ShardCount: "Update requires: No
        // interruption").
        y.push_str("      # Reshards during the run are calls at a time (the CLI commands); a stack update of ShardCount makes CloudFormation call UpdateShardCount:\n");
        for r in &s.stream.reshards {
            let what = match r.operation() {
                Ok(Operation::UpdateShardCount(n)) => {
                    format!(
                        "UpdateShardCount TargetShardCount: {n}, ScalingType: {UNIFORM_SCALING}"
                    )
                }
                Ok(Operation::Split { shard, .. }) => format!("SplitShard ShardToSplit: {shard}"),
                Ok(Operation::Merge(a, b)) => {
                    format!("MergeShards ShardToMerge: {a}, AdjacentShardToMerge: {b}")
                }
                Err(e) => e,
            };
            y.push_str(&format!("      #   at {} s: {what}\n", r.at_s));
        }
    }
    for (i, f) in s.functions.iter().enumerate() {
        y.push_str(&format!(
            "  Function{i}:\n    Type: AWS::Lambda::Function\n    Properties:\n      FunctionName: {}\n      Runtime: nodejs22.x\n      Handler: index.handler\n      Role: !Ref FunctionRoleArn\n      Timeout: {}\n",
            f.function_name, f.timeout
        ));
        if let Some(r) = f.reserved_concurrent_executions {
            y.push_str(&format!("      ReservedConcurrentExecutions: {r}\n"));
        }
        y.push_str("      Code:\n        ZipFile: |\n          exports.handler = async (event) => ({ batchItemFailures: [] });\n");
    }
    for (i, m) in s.event_source_mappings.iter().enumerate() {
        let function = s
            .functions
            .iter()
            .position(|f| f.function_name == m.function_name)
            .map_or(m.function_name.clone(), |f| format!("!Ref Function{f}"));
        let source = if m.enhanced_fan_out {
            y.push_str(&format!(
                "  Consumer{i}:\n    Type: AWS::Kinesis::StreamConsumer\n    Properties:\n      ConsumerName: {}-consumer\n      StreamARN: !GetAtt Stream.Arn\n",
                m.function_name
            ));
            format!("!GetAtt Consumer{i}.ConsumerARN")
        } else {
            "!GetAtt Stream.Arn".to_string()
        };
        y.push_str(&format!(
            "  Mapping{i}:\n    Type: AWS::Lambda::EventSourceMapping\n    Properties:\n      FunctionName: {function}\n      EventSourceArn: {source}\n      StartingPosition: {}\n",
            starting_position(m.starting_position),
        ));
        if let Some(ts) = m.starting_position_timestamp {
            // AWS::Lambda::EventSourceMapping's StartingPositionTimestamp: a Number,
            // Unix seconds (CloudFormation template reference).
            y.push_str(&format!("      StartingPositionTimestamp: {ts}\n"));
        }
        for (knob, v) in mapping_properties(s, i) {
            y.push_str(&format!("      {}: {}\n", knob.name, json_value(knob, v)));
        }
        if !m.function_response_types.is_empty() {
            y.push_str("      FunctionResponseTypes:\n        - ReportBatchItemFailures\n");
        }
        if let Some(d) = &m.destination_config.on_failure.destination {
            y.push_str(&format!(
                "      DestinationConfig:\n        OnFailure:\n          Destination: {d}\n"
            ));
        }
    }
    y
}

/// Mapping `i` as `aws lambda get-event-source-mapping` prints it (with a made-up
/// UUID, in the scenario's place), so a configuration can go to AWS and back.
pub fn event_source_mapping(s: &Scenario, i: usize) -> Option<String> {
    event_source_mapping_at(s, i, &Place::of_scenario(s))
}

/// [`event_source_mapping`] with its ARNs in this region and account.
pub fn event_source_mapping_at(s: &Scenario, i: usize, at: &Place) -> Option<String> {
    let m = s.event_source_mappings.get(i)?;
    let source = if m.enhanced_fan_out {
        format!(
            "{}/consumer/{}-consumer:1767225600",
            stream_arn(s, at),
            m.function_name
        )
    } else {
        stream_arn(s, at)
    };
    let mut on_failure = serde_json::Map::new();
    if let Some(d) = &m.destination_config.on_failure.destination {
        on_failure.insert("Destination".into(), Value::from(d.as_str()));
    }
    let mut v = serde_json::json!({
        "UUID": format!("00000000-0000-4000-8000-{i:012}"),
        "StartingPosition": starting_position(m.starting_position),
        "EventSourceArn": source,
        "FunctionArn": format!("arn:aws:lambda:{}:{}:function:{}", at.region, at.account, m.function_name),
        "LastModified": 1_767_225_600.0,
        "LastProcessingResult": "No records processed",
        "State": "Enabled",
        "StateTransitionReason": "User action",
        "DestinationConfig": { "OnFailure": on_failure },
        "FunctionResponseTypes": if m.function_response_types.is_empty() {
            Vec::new()
        } else {
            vec!["ReportBatchItemFailures"]
        },
    });
    if let Some(fields) = v.as_object_mut() {
        for (knob, value) in mapping_properties(s, i) {
            fields.insert(knob.name.to_string(), json_value(knob, value));
        }
        if let Some(ts) = m.starting_position_timestamp {
            // As the API returns it: a timestamp in Unix seconds.
            fields.insert("StartingPositionTimestamp".into(), Value::from(ts));
        }
    }
    serde_json::to_string_pretty(&v).ok()
}

/// What a pasted configuration changed.
#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    pub scenario: Scenario,
    /// Fields of the paste the playground does not model, named so the reader knows.
    pub ignored: Vec<String>,
    /// What the import changed to fit the run, in words, for the reader.
    pub notes: Vec<String>,
    /// The region and account the pasted ARNs name (the stream's, else the
    /// function's), for the commands written back.
    pub place: Option<Place>,
}

/// One Kinesis mapping of a pasted `list-event-source-mappings` output, to choose
/// from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listed {
    /// Its place in `EventSourceMappings`.
    pub index: usize,
    /// The function, the stream and the UUID, in words.
    pub label: String,
}

/// The Kinesis mappings a pasted `aws lambda list-event-source-mappings` output
/// (`{"EventSourceMappings": [...]}`) lists, or `None` when the paste is not one.
pub fn listed(pasted: &str) -> Option<Vec<Listed>> {
    let v: Value = serde_json::from_str(pasted).ok()?;
    let list = v.get("EventSourceMappings")?.as_array()?;
    Some(
        list.iter()
            .enumerate()
            .filter(|(_, m)| is_kinesis(m))
            .map(|(index, m)| {
                let text = |k: &str| m.get(k).and_then(Value::as_str).unwrap_or("");
                let function = text("FunctionArn")
                    .split(":function:")
                    .nth(1)
                    .map_or("", |n| n.split(':').next().unwrap_or(n));
                let stream = text("EventSourceArn")
                    .split(":stream/")
                    .nth(1)
                    .map_or("", |n| n.split('/').next().unwrap_or(n));
                Listed {
                    index,
                    label: format!("{function} on {stream} ({})", text("UUID")),
                }
            })
            .collect(),
    )
}

/// A listed mapping that reads a Kinesis stream.
fn is_kinesis(m: &Value) -> bool {
    m.get("EventSourceArn")
        .and_then(Value::as_str)
        .is_some_and(|a| a.starts_with("arn:") && a.contains(":kinesis:"))
}

/// The one mapping of a `list-event-source-mappings` output to read: the one at
/// `choice`, or the only Kinesis mapping listed.
fn chosen(list: &Value, choice: Option<usize>) -> Result<&serde_json::Map<String, Value>, String> {
    let list = list.as_array().ok_or("EventSourceMappings is not a list")?;
    if list.is_empty() {
        return Err("the list is empty (EventSourceMappings: []): no mapping matched. Run aws lambda list-event-source-mappings with --function-name or --event-source-arn of a mapping that exists, or paste get-event-source-mapping output".to_string());
    }
    let kinesis: Vec<usize> = (0..list.len()).filter(|&i| is_kinesis(&list[i])).collect();
    let index = match (choice, kinesis.as_slice()) {
        (_, []) => {
            return Err(format!(
                "none of the {} mappings listed reads a Kinesis stream (their EventSourceArn is not arn:aws:kinesis:…)",
                list.len()
            ))
        }
        (Some(i), _) if kinesis.contains(&i) => i,
        (Some(i), _) => {
            return Err(format!(
                "mapping {} of the list is not a Kinesis mapping",
                i + 1
            ))
        }
        (None, [only]) => *only,
        (None, several) => {
            return Err(format!(
                "the list holds {} Kinesis mappings: choose the one to load",
                several.len()
            ))
        }
    };
    list[index]
        .as_object()
        .ok_or_else(|| format!("mapping {} of the list is not an object", index + 1))
}

/// Reads a pasted `aws lambda get-event-source-mapping` (or create/update) response,
/// `aws lambda list-event-source-mappings` output listing one Kinesis mapping,
/// `aws kinesis describe-stream-summary` output, or an `aws kinesis
/// update-shard-count` response, into `base`: the first mapping (or
/// the stream) takes the pasted settings. Anything it cannot read is refused with a
/// message naming it; a list of several mappings asks for [`import_chosen`].
pub fn import(base: &Scenario, pasted: &str) -> Result<Imported, String> {
    import_chosen(base, pasted, None)
}

/// [`import`], reading mapping `choice` (its index in `EventSourceMappings`, see
/// [`listed`]) of a pasted `list-event-source-mappings` output.
pub fn import_chosen(
    base: &Scenario,
    pasted: &str,
    choice: Option<usize>,
) -> Result<Imported, String> {
    let v: Value =
        serde_json::from_str(pasted).map_err(|e| format!("the pasted text is not JSON: {e}"))?;
    let mut obj = v
        .as_object()
        .ok_or("the pasted JSON is not an object: paste the whole response")?;
    if let Some(list) = obj.get("EventSourceMappings") {
        obj = chosen(list, choice)?;
    }
    let mut s = base.clone();
    let mut ignored = Vec::new();
    let mut notes = Vec::new();
    let place = ["EventSourceArn", "FunctionArn"]
        .iter()
        .filter_map(|k| obj.get(*k).and_then(Value::as_str))
        .find_map(Place::of_arn);
    let stream_key = ["StreamDescriptionSummary", "StreamDescription"]
        .into_iter()
        .find(|k| obj.contains_key(*k));
    if obj.contains_key("TargetShardCount") && obj.contains_key("CurrentShardCount") {
        read_update_shard_count(obj, &mut s, &mut ignored, &mut notes)?;
    } else if let Some(key) = stream_key {
        let d = obj[key]
            .as_object()
            .ok_or_else(|| format!("{key} is not an object"))?;
        read_stream(key, d, &mut s, &mut ignored)?;
    } else if obj.contains_key("EventSourceArn")
        || obj.contains_key("BatchSize")
        || obj.contains_key("UUID")
        || obj.contains_key("StartingPosition")
    {
        let mut m = base
            .event_source_mappings
            .first()
            .cloned()
            .ok_or("the scenario has no event source mapping to take the pasted settings")?;
        read_mapping(obj, &mut m, &mut s, &mut ignored, &mut notes)?;
        s.event_source_mappings[0] = m;
    } else {
        return Err("this is neither a get-event-source-mapping response (EventSourceArn, BatchSize, ...), list-event-source-mappings output (EventSourceMappings), describe-stream-summary or describe-stream output (StreamDescriptionSummary, StreamDescription) nor an update-shard-count response (CurrentShardCount, TargetShardCount)".to_string());
    }
    s.validate()
        .map_err(|e| format!("the pasted settings are outside what AWS allows:\n{e}"))?;
    let place = place.or_else(|| {
        stream_key
            .and_then(|k| obj.get(k))
            .or(Some(&v))
            .and_then(|d| d.get("StreamARN"))
            .and_then(Value::as_str)
            .and_then(Place::of_arn)
    });
    Ok(Imported {
        scenario: s,
        ignored,
        notes,
        place,
    })
}

/// A pasted `aws kinesis update-shard-count` response (the Kinesis API reference's
/// UpdateShardCount response: StreamName, StreamARN, CurrentShardCount,
/// TargetShardCount): the stream starts with CurrentShardCount shards and the
/// UpdateShardCount takes effect during the run, at the page's "UpdateShardCount at"
/// (a minute in unless the scenario has one already), which the notes say. SplitShard
/// and MergeShards answer with no body, so nothing of theirs can be pasted.
fn read_update_shard_count(
    obj: &serde_json::Map<String, Value>,
    s: &mut Scenario,
    ignored: &mut Vec<String>,
    notes: &mut Vec<String>,
) -> Result<(), String> {
    let mut target = None;
    for (k, val) in obj {
        match k.as_str() {
            "StreamName" => s.stream.stream_name = string(k, val)?,
            "StreamARN" => {}
            "CurrentShardCount" => s.stream.shard_count = whole(k, val)?,
            "TargetShardCount" => target = Some(whole::<u32>(k, val)?),
            _ => ignored.push(k.clone()),
        }
    }
    if let Some(n) = target {
        knobs::set(KnobId::TargetShardCount, s, Target::default(), n.into())?;
        let at = knobs::get(KnobId::ReshardAtS, s, Target::default()).unwrap_or_default();
        notes.push(format!(
            "UpdateShardCount from {} to {n} shards takes effect {at} s into the run (AWS took it when it was called; the page's \"UpdateShardCount at\" moves it)",
            s.stream.shard_count
        ));
    }
    Ok(())
}

/// A pasted `describe-stream-summary` (`StreamDescriptionSummary`) or
/// `describe-stream` (`StreamDescription`) into the scenario's stream. Field names as
/// the Kinesis API reference's StreamDescriptionSummary and StreamDescription give
/// them; StreamModeDetails and MaxRecordSizeInKiB go through the settings table.
fn read_stream(
    key: &str,
    d: &serde_json::Map<String, Value>,
    s: &mut Scenario,
    ignored: &mut Vec<String>,
) -> Result<(), String> {
    if d.get("HasMoreShards").and_then(Value::as_bool) == Some(true) {
        return Err(format!("{key}.HasMoreShards is true: the pasted shard list is cut short, so its open shards cannot be counted. Paste aws kinesis describe-stream-summary output, which says OpenShardCount"));
    }
    for (k, val) in d {
        match k.as_str() {
            "StreamName" => s.stream.stream_name = string(k, val)?,
            "OpenShardCount" => s.stream.shard_count = whole(k, val)?,
            // describe-stream lists the shards: the open ones have no
            // EndingSequenceNumber (Kinesis API reference, SequenceNumberRange).
            "Shards" => {
                let shards = val
                    .as_array()
                    .ok_or_else(|| format!("{key}.Shards: {val} is not a list"))?;
                let open = shards
                    .iter()
                    .filter(|sh| {
                        sh.get("SequenceNumberRange")
                            .and_then(|r| r.get("EndingSequenceNumber"))
                            .is_none_or(Value::is_null)
                    })
                    .count();
                s.stream.shard_count = u32::try_from(open)
                    .map_err(|_| format!("{key}.Shards: {open} open shards is too many"))?;
            }
            "RetentionPeriodHours" => s.stream.retention_period_hours = whole(k, val)?,
            "StreamModeDetails" => {
                let mode = val.get("StreamMode").and_then(Value::as_str);
                let index = match mode {
                    Some("PROVISIONED") => 0.0,
                    Some("ON_DEMAND") => 1.0,
                    _ => {
                        return Err(format!(
                            "{key}.StreamModeDetails: {val} is not {{\"StreamMode\": \"PROVISIONED\"}} or {{\"StreamMode\": \"ON_DEMAND\"}}"
                        ))
                    }
                };
                knobs::set(KnobId::StreamMode, s, Target::default(), index)?;
            }
            "MaxRecordSizeInKiB" => {
                let kib: u32 = whole(k, val)?;
                knobs::set(KnobId::MaxRecordSizeInKiB, s, Target::default(), kib.into())?;
            }
            _ => ignored.push(format!("{key}.{k}")),
        }
    }
    Ok(())
}

/// A timestamp as AWS's tools print it: Unix seconds (the API, the CLI v1), or ISO
/// 8601 (the CLI v2's default `cli_timestamp_format`), `2026-01-01T00:00:30Z`,
/// `2026-01-01T00:00:30.250000+00:00`; `None` for anything else.
pub fn unix_seconds(v: &Value) -> Option<f64> {
    if let Some(n) = v.as_f64() {
        return n.is_finite().then_some(n);
    }
    let t = v.as_str()?.trim();
    let digits = |from: usize, len: usize| -> Option<i64> {
        let part = t.get(from..from + len)?;
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let seps = t.as_bytes();
    let sep_ok = seps.len() >= 19
        && seps[4] == b'-'
        && seps[7] == b'-'
        && (seps[10] == b'T' || seps[10] == b' ')
        && seps[13] == b':'
        && seps[16] == b':';
    if !sep_ok {
        return None;
    }
    let (year, month, day) = (digits(0, 4)?, digits(5, 2)?, digits(8, 2)?);
    let (hour, minute, second) = (digits(11, 2)?, digits(14, 2)?, digits(17, 2)?);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => return None,
    };
    if !(1..=month_days).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut rest = &t[19..];
    let mut fraction = 0.0;
    if let Some(f) = rest.strip_prefix('.') {
        let n = f.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return None;
        }
        fraction = format!("0.{}", &f[..n]).parse().ok()?;
        rest = &f[n..];
    }
    let offset_s = match rest {
        "Z" | "z" | "" => 0,
        _ => {
            let sign = match rest.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let hm = rest[1..].replace(':', "");
            if hm.len() != 4 || !hm.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let h: i64 = hm[..2].parse().ok()?;
            let m: i64 = hm[2..].parse().ok()?;
            sign * (h * 3_600 + m * 60)
        }
    };
    // Howard Hinnant's days_from_civil.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let whole = days * 86_400 + hour * 3_600 + minute * 60 + second - offset_s;
    Some(whole as f64 + fraction)
}

fn string(k: &str, v: &Value) -> Result<String, String> {
    v.as_str()
        .map(str::to_string)
        .ok_or_else(|| format!("{k}: {v} is not a string"))
}

fn whole<T: TryFrom<i64>>(k: &str, v: &Value) -> Result<T, String> {
    v.as_i64()
        .and_then(|n| T::try_from(n).ok())
        .ok_or_else(|| format!("{k}: {v} is not a whole number in range"))
}

fn read_mapping(
    obj: &serde_json::Map<String, Value>,
    m: &mut MappingConfig,
    s: &mut Scenario,
    ignored: &mut Vec<String>,
    notes: &mut Vec<String>,
) -> Result<(), String> {
    let mut timestamp = None;
    for (k, v) in obj {
        if let Some(knob) = property(k) {
            let value = match knob.text {
                Text::Flag => v
                    .as_bool()
                    .map(f64::from)
                    .ok_or_else(|| format!("{k}: {v} is not true or false"))?,
                _ => v
                    .as_i64()
                    .map(|n| n as f64)
                    .ok_or_else(|| format!("{k}: {v} is not a whole number in range"))?,
            };
            // The table writes scenarios: give it one that holds this mapping.
            let mut one = Scenario {
                event_source_mappings: vec![m.clone()],
                ..s.clone()
            };
            knobs::set(knob.id, &mut one, Target::default(), value)?;
            *m = one.event_source_mappings.swap_remove(0);
            continue;
        }
        match k.as_str() {
            "StartingPosition" => {
                m.starting_position = match v.as_str() {
                    Some("TRIM_HORIZON") => StartingPosition::TrimHorizon,
                    Some("LATEST") => StartingPosition::Latest,
                    Some("AT_TIMESTAMP") => StartingPosition::AtTimestamp,
                    _ => {
                        return Err(format!(
                            "{k}: {v} is not TRIM_HORIZON, LATEST or AT_TIMESTAMP"
                        ))
                    }
                };
                if m.starting_position != StartingPosition::AtTimestamp {
                    m.starting_position_timestamp = None;
                }
            }
            "StartingPositionTimestamp" => {
                let ts = unix_seconds(v).ok_or_else(|| {
                    format!("{k}: {v} is not a time: allowed Unix seconds (1767225600) or ISO 8601 (\"2026-01-01T00:00:00Z\")")
                })?;
                timestamp = Some((ts, v.to_string()));
            }
            "FunctionResponseTypes" => {
                let types = v
                    .as_array()
                    .ok_or_else(|| format!("{k}: {v} is not a list"))?;
                m.function_response_types = Vec::new();
                for t in types {
                    match t.as_str() {
                        Some("ReportBatchItemFailures") => m
                            .function_response_types
                            .push(FunctionResponseType::ReportBatchItemFailures),
                        _ => return Err(format!("{k}: {t} is not ReportBatchItemFailures")),
                    }
                }
            }
            "DestinationConfig" => {
                let dest = v
                    .get("OnFailure")
                    .and_then(|o| o.get("Destination"))
                    .and_then(Value::as_str);
                m.destination_config = DestinationConfig {
                    on_failure: OnFailure {
                        destination: dest.map(str::to_string),
                    },
                };
            }
            "FunctionArn" => {
                let name = v
                    .as_str()
                    .and_then(|a| a.split(":function:").nth(1))
                    .map(|n| n.split(':').next().unwrap_or(n).to_string());
                let name = name.ok_or_else(|| format!("{k}: {v} is not a Lambda function ARN"))?;
                if let Some(f) = s
                    .functions
                    .iter_mut()
                    .find(|f| f.function_name == m.function_name)
                {
                    f.function_name = name.clone();
                }
                m.function_name = name;
            }
            "EventSourceArn" => {
                let arn = v
                    .as_str()
                    .ok_or_else(|| format!("{k}: {v} is not a string"))?;
                let stream = arn
                    .split(":stream/")
                    .nth(1)
                    .ok_or_else(|| format!("{k}: {arn:?} is not a Kinesis stream ARN"))?;
                m.enhanced_fan_out = stream.contains("/consumer/");
                s.stream.stream_name = stream.split('/').next().unwrap_or(stream).to_string();
            }
            _ => ignored.push(k.clone()),
        }
    }
    if let Some((ts, pasted)) = timestamp {
        m.starting_position_timestamp = Some(ts);
        // AWS refuses a timestamp in the future, so a real mapping was created after
        // its timestamp. The run starts at 2026-01-01 with the mapping created at its
        // created_at_ms: a real timestamp later than that (most are) is taken as the
        // run's start, so that the mapping reads the run from its first record.
        let created = RUN_START_UNIX_S + m.created_at_ms as f64 / 1_000.0;
        if m.starting_position == StartingPosition::AtTimestamp && ts > created {
            m.starting_position_timestamp = Some(RUN_START_UNIX_S);
            notes.push(format!(
                "StartingPositionTimestamp {pasted} is later than the playground's mapping is created ({} s into a run that starts at 2026-01-01T00:00:00Z, Unix {RUN_START_UNIX_S}), and a mapping cannot start after its creation: the run is taken to start at that moment, so the mapping reads from the run's start (0 s)",
                m.created_at_ms as f64 / 1_000.0
            ));
        }
    }
    Ok(())
}
