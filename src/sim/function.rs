//! A Lambda function as the mapping sees it: how long an invocation takes and what it
//! returns, and how the mapping reads that answer.
//!
//! A function handles a batch in `duration_ms + duration_per_record_ms * records`,
//! cut off at its `Timeout`. A batch that holds a poison record fails in the way
//! `on_poison` says. A verbatim `response` is read as AWS reads it when
//! ReportBatchItemFailures is on: `""`, `[]`, `{}`, `{"batchItemFailures":[]}` and
//! `{"batchItemFailures":null}` mean success; an item identifier that is empty, null
//! or not a sequence number of the batch, or any other shape, fails the whole batch.

use serde_json::{json, Value};

use super::scenario::{FunctionConfig, OnPoison, TumblingState};

/// What one invocation came to, as the mapping reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Every record processed.
    Ok,
    /// The function threw: `functionError` is `Unhandled`.
    Error,
    /// The function ran until its timeout.
    Timeout,
    /// ReportBatchItemFailures: records from this sequence number on must be retried.
    Partial { from_sequence_number: String },
    /// The response could not be read as a partial batch response: the whole batch
    /// failed, although the function itself did not throw.
    InvalidResponse,
}

impl Outcome {
    /// The report's word for it: ok, error, partial or timeout.
    pub fn word(&self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Error | Outcome::InvalidResponse => "error",
            Outcome::Timeout => "timeout",
            Outcome::Partial { .. } => "partial",
        }
    }

    pub fn is_function_error(&self) -> bool {
        matches!(self, Outcome::Error | Outcome::Timeout)
    }
}

/// Whether a record with this key and data is poison to the function.
pub fn is_poison(f: &FunctionConfig, partition_key: &str, data: &[u8]) -> bool {
    if f.poison.partition_keys.iter().any(|k| k == partition_key) {
        return true;
    }
    match &f.poison.data_contains {
        Some(needle) if !needle.is_empty() => {
            data.windows(needle.len()).any(|w| w == needle.as_bytes())
        }
        _ => false,
    }
}

/// How long an invocation of `records` records runs before it ends by itself, in ms.
pub fn natural_duration_ms(f: &FunctionConfig, records: u64) -> u64 {
    f.duration_ms + (f.duration_per_record_ms * records as f64).ceil() as u64
}

/// The timeout in ms.
pub fn timeout_ms(f: &FunctionConfig) -> u64 {
    u64::from(f.timeout) * 1_000
}

/// The outcome and duration of an invocation whose batch has `records` records, the
/// first poison record of which (if any) has `poison_sequence_number`.
/// `batch_sequence_numbers` answers whether a sequence number belongs to the batch.
pub fn invoke(
    f: &FunctionConfig,
    records: u64,
    poison_sequence_number: Option<&str>,
    report_batch_item_failures: bool,
    batch_has: &dyn Fn(&str) -> bool,
) -> (Outcome, u64, Option<Value>) {
    let natural = natural_duration_ms(f, records);
    let limit = timeout_ms(f);
    if natural > limit {
        return (Outcome::Timeout, limit, None);
    }
    if let Some(response) = &f.response {
        let outcome = if report_batch_item_failures {
            read_partial_response(response, batch_has)
        } else {
            Outcome::Ok
        };
        return (outcome, natural, Some(response.clone()));
    }
    let Some(poison) = poison_sequence_number else {
        return (Outcome::Ok, natural, None);
    };
    match f.on_poison {
        OnPoison::Throw => (Outcome::Error, natural, None),
        OnPoison::Timeout => (Outcome::Timeout, limit, None),
        OnPoison::Skip => (Outcome::Ok, natural, None),
        OnPoison::ReportItemFailure => {
            let response =
                serde_json::json!({ "batchItemFailures": [ { "itemIdentifier": poison } ] });
            // Without ReportBatchItemFailures in FunctionResponseTypes the mapping
            // ignores the answer: the whole batch counts as processed, pill included.
            let outcome = if report_batch_item_failures {
                read_partial_response(&response, batch_has)
            } else {
                Outcome::Ok
            };
            (outcome, natural, Some(response))
        }
    }
}

/// The `state` a function returns to its tumbling window after a batch of `records`
/// records, worked out from the state the event handed it (`{}` in a new window);
/// `field_sum` adds up a numeric field of the batch's records, read only for
/// [`TumblingState::SumOf`].
pub fn window_state(
    f: &FunctionConfig,
    incoming: &Value,
    records: u64,
    field_sum: impl FnOnce(&str) -> f64,
) -> Value {
    match &f.tumbling_state {
        TumblingState::RecordCount => {
            let before = incoming.get("records").and_then(Value::as_u64).unwrap_or(0);
            json!({ "records": before + records })
        }
        TumblingState::SumOf(field) => {
            let before = incoming.get("sum").and_then(Value::as_f64).unwrap_or(0.0);
            let sum = before + field_sum(field);
            // Whole sums read as integers, as a JavaScript or Python function writes them.
            if sum.fract() == 0.0 && sum.abs() < 9e15 {
                json!({ "sum": sum as i64 })
            } else {
                json!({ "sum": sum })
            }
        }
    }
}

/// The number at `field` of a record's data read as a JSON object; 0 if the data is
/// not JSON, not an object, or has no number there.
pub fn numeric_field(data: &[u8], field: &str) -> f64 {
    serde_json::from_slice::<Value>(data)
        .ok()
        .and_then(|v| v.get(field).and_then(Value::as_f64))
        .unwrap_or(0.0)
}

/// Reads a function's answer as a partial batch response, as AWS does.
pub fn read_partial_response(response: &Value, batch_has: &dyn Fn(&str) -> bool) -> Outcome {
    let failures = match response {
        Value::Null => return Outcome::Ok,
        Value::String(s) if s.is_empty() => return Outcome::Ok,
        Value::Array(a) if a.is_empty() => return Outcome::Ok,
        Value::Object(o) if o.is_empty() => return Outcome::Ok,
        Value::Object(o) => match o.get("batchItemFailures") {
            Some(Value::Null) => return Outcome::Ok,
            Some(Value::Array(items)) => items,
            _ => return Outcome::InvalidResponse,
        },
        _ => return Outcome::InvalidResponse,
    };
    let mut lowest: Option<&str> = None;
    for item in failures {
        let Some(Value::String(id)) = item.get("itemIdentifier") else {
            return Outcome::InvalidResponse;
        };
        if id.is_empty() || !batch_has(id) {
            return Outcome::InvalidResponse;
        }
        // Sequence numbers of one shard have one width: text order is number order.
        if lowest.is_none_or(|l| (id.len(), id.as_str()) < (l.len(), l)) {
            lowest = Some(id);
        }
    }
    match lowest {
        None => Outcome::Ok,
        Some(id) => Outcome::Partial {
            from_sequence_number: id.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn batch_has(id: &str) -> bool {
        id == "11" || id == "12" || id == "13"
    }

    #[test]
    fn empty_answers_mean_success() {
        for r in [
            json!(null),
            json!(""),
            json!([]),
            json!({}),
            json!({"batchItemFailures": []}),
            json!({"batchItemFailures": null}),
        ] {
            assert_eq!(read_partial_response(&r, &batch_has), Outcome::Ok, "{r}");
        }
    }

    #[test]
    fn the_lowest_failed_sequence_number_is_the_checkpoint() {
        let r = json!({"batchItemFailures": [{"itemIdentifier": "13"}, {"itemIdentifier": "12"}]});
        assert_eq!(
            read_partial_response(&r, &batch_has),
            Outcome::Partial {
                from_sequence_number: "12".into()
            }
        );
    }

    #[test]
    fn unreadable_answers_fail_the_whole_batch() {
        for r in [
            json!({"batchItemFailures": [{"itemIdentifier": ""}]}),
            json!({"batchItemFailures": [{"itemIdentifier": null}]}),
            json!({"batchItemFailures": [{"itemIdentifier": "123"}]}),
            json!({"batchItemFailures": [{"id": "12"}]}),
            json!({"foo": [{"itemIdentifier": "12"}]}),
            json!("failed"),
            json!(42),
        ] {
            assert_eq!(
                read_partial_response(&r, &batch_has),
                Outcome::InvalidResponse,
                "{r}"
            );
        }
    }

    #[test]
    fn a_slow_batch_times_out_at_the_function_timeout() {
        let f = FunctionConfig {
            function_name: "f".into(),
            timeout: 3,
            reserved_concurrent_executions: None,
            duration_ms: 100,
            duration_per_record_ms: 50.0,
            poison: Default::default(),
            on_poison: OnPoison::Throw,
            response: None,
            tumbling_state: Default::default(),
        };
        assert_eq!(invoke(&f, 10, None, false, &batch_has).0, Outcome::Ok);
        assert_eq!(invoke(&f, 10, None, false, &batch_has).1, 600);
        assert_eq!(
            invoke(&f, 100, None, false, &batch_has),
            (Outcome::Timeout, 3_000, None)
        );
        let (o, _, r) = invoke(
            &FunctionConfig {
                on_poison: OnPoison::ReportItemFailure,
                ..f.clone()
            },
            3,
            Some("12"),
            true,
            &batch_has,
        );
        assert_eq!(
            o,
            Outcome::Partial {
                from_sequence_number: "12".into()
            }
        );
        assert_eq!(
            r,
            Some(json!({"batchItemFailures": [{"itemIdentifier": "12"}]}))
        );
        let (o, _, _) = invoke(
            &FunctionConfig {
                on_poison: OnPoison::ReportItemFailure,
                ..f
            },
            3,
            Some("12"),
            false,
            &batch_has,
        );
        assert_eq!(
            o,
            Outcome::Ok,
            "without ReportBatchItemFailures the answer is ignored"
        );
    }

    #[test]
    fn poison_matches_by_key_or_data() {
        let f: FunctionConfig = serde_json::from_value(json!({
            "FunctionName": "f", "poison": {"partition_keys": ["bad"], "data_contains": "poison"}
        }))
        .expect("valid");
        assert!(is_poison(&f, "bad", b"x"));
        assert!(is_poison(&f, "ok", b"some poison here"));
        assert!(!is_poison(&f, "ok", b"fine"));
    }
}
