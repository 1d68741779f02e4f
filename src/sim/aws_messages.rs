//! The JSON the event source mapping writes in AWS's format: the Kinesis event records
//! an invocation carries, a tumbling window's fields, what an event weighs against
//! Lambda's 6 MB payload, and the on-failure destination message. The batching rules that decide what goes in them
//! live in `esm`.
//!
//! Formats: ../shared/reference/aws-semantics.md §3 ("OnFailure content", "Tumbling
//! windows") and the events AWS sent in LocalStack's recorded tests (source LS there).

use serde_json::{json, Value};

use super::shard::{sequence_number, shard_id};
use super::time::SimTime;

pub const ACCOUNT: &str = "123456789012";
pub const REGION: &str = "us-east-1";

/// Lambda's synchronous invocation payload limit: 6 MB, counted as 6 × 2^20 bytes
/// (../shared/reference/aws-semantics.md §2 BatchSize and §4).
pub const PAYLOAD_BYTES_MAX: u64 = 6 * 1_048_576;

/// The stream's ARN, as `KinesisBatchInfo.streamArn` and `eventSourceARN` give it.
pub fn stream_arn(stream_name: &str) -> String {
    format!("arn:aws:kinesis:{REGION}:{ACCOUNT}:stream/{stream_name}")
}

/// The function's ARN, as `requestContext.functionArn` gives it.
pub fn function_arn(function_name: &str) -> String {
    format!("arn:aws:lambda:{REGION}:{ACCOUNT}:function:{function_name}")
}

/// One record of a Kinesis event, as Lambda sends it (field order as AWS's).
pub fn event_record(
    shard: u32,
    index: u64,
    partition_key: &str,
    data_base64: &str,
    arrival: SimTime,
    stream_arn: &str,
) -> Value {
    let seq = sequence_number(shard, index);
    json!({
        "kinesis": {
            "kinesisSchemaVersion": "1.0",
            "partitionKey": partition_key,
            "sequenceNumber": seq,
            "data": data_base64,
            "approximateArrivalTimestamp": arrival.unix_seconds(),
        },
        "eventSource": "aws:kinesis",
        "eventVersion": "1.0",
        "eventID": format!("{}:{seq}", shard_id(shard)),
        "eventName": "aws:kinesis:record",
        "invokeIdentityArn": format!("arn:aws:iam::{ACCOUNT}:role/lambda-kinesis-role"),
        "awsRegion": REGION,
        "eventSourceARN": stream_arn,
    })
}

/// The fields a tumbling window adds to the event (aws-semantics.md §3, "Tumbling
/// windows"), beside `Records`.
pub fn window_fields(
    event: &mut Value,
    start: SimTime,
    end: SimTime,
    state: Value,
    shard: u32,
    stream_arn: &str,
    is_final: bool,
) {
    event["window"] = json!({ "start": start.iso8601(), "end": end.iso8601() });
    event["state"] = state;
    event["shardId"] = json!(shard_id(shard));
    event["eventSourceARN"] = json!(stream_arn);
    event["isFinalInvokeForWindow"] = json!(is_final);
    event["isWindowTerminatedEarly"] = json!(false);
}

/// The batch an on-failure message describes: its `KinesisBatchInfo`.
#[derive(Clone, Copy, Debug)]
pub struct FailedBatch<'a> {
    pub shard: u32,
    /// Shard indices of its first and last record.
    pub first: u64,
    pub last: u64,
    pub first_arrival: SimTime,
    pub last_arrival: SimTime,
    pub records: u64,
    pub stream_arn: &'a str,
}

/// Why the function's last try did not succeed, for an on-failure message's
/// `responseContext`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LastResponse {
    /// Records given up before a try (RecordAgeExceeded): no `responseContext`.
    None,
    /// The function threw or timed out: `functionError` is `Unhandled`.
    FunctionError,
    /// The function answered (a reported item failure, an unreadable response):
    /// AWS sends `functionError` with null (issue 15, item 3).
    Answered,
}

/// The message an on-failure destination receives, in AWS's key order
/// (aws-semantics.md §3, "OnFailure content"): `requestContext`, `responseContext`
/// (left out for `LastResponse::None`), `version`, `timestamp`, `KinesisBatchInfo`.
pub fn on_failure_message(
    request_id: &str,
    function_name: &str,
    condition: &str,
    approximate_invoke_count: u32,
    last: LastResponse,
    now: SimTime,
    batch: &FailedBatch<'_>,
) -> Value {
    let mut message = serde_json::Map::new();
    message.insert(
        "requestContext".into(),
        json!({
            "requestId": request_id,
            "functionArn": function_arn(function_name),
            "condition": condition,
            "approximateInvokeCount": approximate_invoke_count,
        }),
    );
    let error = match last {
        LastResponse::None => None,
        LastResponse::FunctionError => Some(json!("Unhandled")),
        LastResponse::Answered => Some(Value::Null),
    };
    if let Some(error) = error {
        message.insert(
            "responseContext".into(),
            json!({ "statusCode": 200, "executedVersion": "$LATEST", "functionError": error }),
        );
    }
    message.insert("version".into(), json!("1.0"));
    message.insert("timestamp".into(), json!(now.iso8601()));
    message.insert(
        "KinesisBatchInfo".into(),
        json!({
            "shardId": shard_id(batch.shard),
            "startSequenceNumber": sequence_number(batch.shard, batch.first),
            "endSequenceNumber": sequence_number(batch.shard, batch.last),
            "approximateArrivalOfFirstRecord": batch.first_arrival.iso8601(),
            "approximateArrivalOfLastRecord": batch.last_arrival.iso8601(),
            "batchSize": batch.records,
            "streamArn": batch.stream_arn,
        }),
    );
    Value::Object(message)
}

/// Bytes of `s` inside a JSON string as serde_json writes it, quotes left out: `"`
/// and `\` and the control characters are escaped, everything else is its UTF-8.
pub fn json_string_bytes(s: &str) -> u64 {
    s.chars()
        .map(|c| match c {
            '"' | '\\' | '\u{8}' | '\u{c}' | '\n' | '\r' | '\t' => 2,
            c if (c as u32) < 0x20 => 6,
            c => c.len_utf8() as u64,
        })
        .sum()
}

/// What an event weighs, measured once per mapping on the records [`event_record`]
/// builds, so that the 6 MB limit applies to the JSON actually sent.
///
/// An event is `{"Records":[r1,r2,…]}` (plus the tumbling window's fields): its size is
/// [`EventSize::envelope_bytes`] plus, for each record, [`EventSize::record_bytes`]
/// (the record's JSON and the comma after it). This is exact but for the arrival
/// timestamp, counted at its longest (milliseconds with three digits): a record that
/// arrived on a whole 10 ms weighs up to 2 bytes less than counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EventSize {
    /// A record's JSON with an empty key and empty data, and the comma after it.
    record_fixed_bytes: u64,
    envelope_bytes: u64,
}

/// The longest state the playground's functions return, counted for a tumbling
/// window's event: `{"records":N}` or `{"sum":X}` with a number of up to 24
/// characters, as serde_json writes a u64 or an f64.
const WINDOW_STATE_BYTES_MAX: u64 = 34;

impl EventSize {
    /// Sizes for a mapping on `stream_arn`, with a tumbling window's fields if
    /// `tumbling` (their state counted at [`WINDOW_STATE_BYTES_MAX`], or at
    /// `response_state_bytes` when the function returns a fixed state).
    pub fn new(stream_arn: &str, tumbling: bool, response_state_bytes: Option<u64>) -> Self {
        // The longest timestamp: a whole second takes ".0", a millisecond ".001".
        let longest = SimTime(1);
        let record = event_record(0, 0, "", "", longest, stream_arn);
        let record_fixed_bytes = json_len(&record) + 1;
        // `{"Records":[` and `]}` less the comma the last record does not have.
        let mut event = json!({ "Records": [] });
        let mut envelope_bytes = json_len(&event) - 1;
        if tumbling {
            let at = SimTime(0);
            window_fields(&mut event, at, at, json!({}), 0, stream_arn, false);
            let state_bytes = response_state_bytes.unwrap_or(WINDOW_STATE_BYTES_MAX);
            envelope_bytes = json_len(&event) - 1 - 2 + state_bytes;
        }
        EventSize {
            record_fixed_bytes,
            envelope_bytes,
        }
    }

    /// The event's bytes besides its records.
    pub fn envelope_bytes(self) -> u64 {
        self.envelope_bytes
    }

    /// What a record of `data_len` bytes whose partition key takes `key_json_bytes`
    /// in JSON ([`json_string_bytes`]) adds to the event: its JSON, base64 data
    /// included, and a comma.
    pub fn record_bytes(self, data_len: u64, key_json_bytes: u64) -> u64 {
        self.record_fixed_bytes + data_len.div_ceil(3) * 4 + key_json_bytes
    }
}

/// Bytes of `v` as serde_json writes it compactly.
pub fn json_len(v: &Value) -> u64 {
    serde_json::to_string(v).map_or(0, |s| s.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::hash::encode_base64;

    #[test]
    fn a_record_weighs_what_it_serialises_to_with_the_longest_timestamp() {
        let arn = stream_arn("a-stream-with-a-rather-long-name");
        let size = EventSize::new(&arn, false, None);
        for (key, data, ms) in [
            ("k", &b"hello"[..], 1),
            ("key-0042", &[7u8; 1000][..], 123),
            ("qu\"ote\\ é\n", &b""[..], 999),
        ] {
            let v = event_record(3, 77, key, &encode_base64(data), SimTime(ms), &arn);
            assert_eq!(
                size.record_bytes(data.len() as u64, json_string_bytes(key)),
                json_len(&v) + 1,
                "{key:?}"
            );
        }
        // On a whole second the timestamp is 2 bytes shorter than counted.
        let v = event_record(0, 0, "k", "", SimTime(1_000), &arn);
        assert_eq!(size.record_bytes(0, 1), json_len(&v) + 1 + 2);
    }

    #[test]
    fn an_event_weighs_its_envelope_and_its_records() {
        let arn = stream_arn("s");
        let size = EventSize::new(&arn, false, None);
        let records: Vec<Value> = (0..3)
            .map(|i| event_record(0, i, "k", "eA==", SimTime(5), &arn))
            .collect();
        let event = json!({ "Records": records });
        assert_eq!(
            size.envelope_bytes() + 3 * size.record_bytes(1, 1),
            json_len(&event)
        );
        let tumbling = EventSize::new(&arn, true, Some(2));
        let mut event = json!({ "Records": [] });
        let t = SimTime(60_000);
        window_fields(&mut event, SimTime(0), t, json!({}), 0, &arn, false);
        assert_eq!(tumbling.envelope_bytes(), json_len(&event) - 1);
    }

    /// The largest record a stream with mappings may hold (`READ_MAX_RECORD_SIZE_KIB`)
    /// fits one event under Lambda's 6 MB payload, at its heaviest: the longest stream
    /// name (128 characters), a tumbling window's fields, a 256-character key of
    /// control characters (6 bytes each in JSON); and one of 4.5 MiB, 6 MiB as
    /// base64 alone, never does.
    #[test]
    fn the_largest_record_a_mapping_reads_fits_one_event() {
        use crate::sim::scenario::bounds::READ_MAX_RECORD_SIZE_KIB;
        let size = EventSize::new(&stream_arn(&"s".repeat(128)), true, None);
        let record = u64::from(READ_MAX_RECORD_SIZE_KIB) * 1_024;
        let heaviest = size.envelope_bytes() + size.record_bytes(record - 1, 6 * 256);
        assert!(heaviest <= PAYLOAD_BYTES_MAX, "{heaviest}");
        let smallest = EventSize::new(&stream_arn("s"), false, None);
        assert!(
            smallest.envelope_bytes() + smallest.record_bytes(4_608 * 1_024, 1) > PAYLOAD_BYTES_MAX
        );
    }
}
