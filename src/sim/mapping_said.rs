//! What the event source mapping says in the journal, in words. `esm` decides what
//! happened and hands it here as data ([`Said`]); the sentences live in this file,
//! apart from the batching rules, and are built only when the journal is kept.

use std::fmt;

use super::esm::GiveUpCondition;
use super::time::SimTime;

/// One journal entry of a mapping, before it is put into words.
#[derive(Clone, Copy, Debug)]
pub enum Said<'a> {
    /// Records of a shard left the stream before the mapping processed them.
    Expired {
        records: u64,
        shard: u32,
        function: &'a str,
        retention_hours: u64,
    },
    /// A lane held up by a failed batch moves again.
    Unblocked { shard: u32, blocked: SimTime },
    /// GetRecords refused: the shard's shared read limit.
    ReadThrottled { shard: u32, function: &'a str },
    /// The function had no concurrency to spare for a batch.
    InvocationThrottled {
        shard: u32,
        function: &'a str,
        /// ReservedConcurrentExecutions, if set; else the account's `limit` bound.
        reserved: Option<u32>,
        limit: u32,
    },
    /// A partial response (ReportBatchItemFailures): `done` records checkpointed,
    /// `rest` to go again.
    PartialFailure {
        shard: u32,
        function: &'a str,
        done: u64,
        rest: u64,
    },
    /// A failed batch holds up its lane (`lane` when the shard has several).
    Blocked { shard: u32, lane: Option<u32> },
    /// BisectBatchOnFunctionError split a failed batch in two.
    Split {
        shard: u32,
        records: u64,
        outcome: &'static str,
    },
    /// A tumbling window's final invocation succeeded.
    WindowClosed {
        shard: u32,
        start: SimTime,
        end: SimTime,
        records: u64,
        window_s: u32,
    },
    /// A batch failed and will be retried after `backoff_ms`.
    BatchFailed {
        shard: u32,
        outcome: &'static str,
        retry: u32,
        backoff_ms: u64,
        maximum_retry_attempts: i32,
    },
    /// Records given up on: described to `destination`, or dropped without one.
    GaveUp {
        shard: u32,
        records: u64,
        condition: GiveUpCondition,
        /// The setting that gave them up: MaximumRecordAgeInSeconds or
        /// MaximumRetryAttempts, by `condition`.
        setting: i32,
        destination: Option<&'a str>,
    },
}

impl fmt::Display for Said<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Said::Expired {
                records,
                shard,
                function,
                retention_hours,
            } => write!(
                f,
                "{records} records of shard {shard} left the stream before {function} processed them (RetentionPeriodHours {retention_hours}): they are lost"
            ),
            Said::Unblocked { shard, blocked } => {
                write!(f, "shard {shard} moves again after {blocked} blocked")
            }
            Said::ReadThrottled { shard, function } => write!(
                f,
                "GetRecords refused on shard {shard}: standard consumers share 5 reads and 2 MiB per second per shard, and a read of up to 10 MiB uses the seconds after it (ReadProvisionedThroughputExceeded); {function} reads again next second"
            ),
            Said::InvocationThrottled {
                shard,
                function,
                reserved,
                limit,
            } => {
                write!(f, "{function} throttled on shard {shard}: ")?;
                match reserved {
                    Some(r) => write!(
                        f,
                        "its reserved concurrency of {r} is all in use (ReservedConcurrentExecutions)"
                    )?,
                    None => write!(
                        f,
                        "the account's {limit} concurrent executions are all in use (ConcurrentExecutions)"
                    )?,
                }
                write!(f, "; the batch waits 1 s and does not use up a retry")
            }
            Said::PartialFailure {
                shard,
                function,
                done,
                rest,
            } if done > 0 => write!(
                f,
                "{function} reported a failed record on shard {shard}: the {done} records before it are checkpointed and the {rest} from it on are a new batch, its attempts counted afresh (ReportBatchItemFailures)"
            ),
            Said::PartialFailure {
                shard,
                function,
                rest,
                ..
            } => write!(
                f,
                "{function} reported its first record failed on shard {shard}: the checkpoint stays and the {rest} records are retried (ReportBatchItemFailures)"
            ),
            Said::Blocked { shard, lane } => {
                match lane {
                    Some(l) => write!(f, "lane {l} of shard {shard} (the keys that hash to it)")?,
                    None => write!(f, "shard {shard}")?,
                }
                write!(
                    f,
                    " blocked: its batch failed, and nothing behind it moves until the batch succeeds, is given up or expires"
                )
            }
            Said::Split {
                shard,
                records,
                outcome,
            } => write!(
                f,
                "batch of {records} records on shard {shard} failed ({outcome}): split into {} and {} because BisectBatchOnFunctionError is on (a split uses up no retry)",
                records / 2,
                records - records / 2
            ),
            Said::WindowClosed {
                shard,
                start,
                end,
                records,
                window_s,
            } => write!(
                f,
                "window {start} to {end} on shard {shard} closed: {records} records, one write (TumblingWindowInSeconds {window_s})"
            ),
            Said::BatchFailed {
                shard,
                outcome,
                retry,
                backoff_ms,
                maximum_retry_attempts,
            } => {
                write!(
                    f,
                    "batch on shard {shard} failed ({outcome}): retry {retry} in {} s because ",
                    backoff_ms / 1_000
                )?;
                if maximum_retry_attempts < 0 {
                    write!(f, "MaximumRetryAttempts is -1: retry until the records expire")
                } else {
                    write!(f, "MaximumRetryAttempts is {maximum_retry_attempts}")
                }
            }
            Said::GaveUp {
                shard,
                records,
                condition,
                setting,
                destination,
            } => {
                let why = match condition {
                    GiveUpCondition::RecordAgeExceeded => "MaximumRecordAgeInSeconds is",
                    GiveUpCondition::RetryAttemptsExhausted => "MaximumRetryAttempts",
                };
                let used = match condition {
                    GiveUpCondition::RecordAgeExceeded => "",
                    GiveUpCondition::RetryAttemptsExhausted => " used up",
                };
                match destination {
                    None => write!(
                        f,
                        "{records} records of shard {shard} dropped ({condition}: {why} {setting}{used}) with no OnFailure destination to keep them"
                    ),
                    Some(d) => write!(
                        f,
                        "{records} records of shard {shard} given up ({condition}: {why} {setting}{used}); their description goes to the OnFailure destination {d}"
                    ),
                }
            }
        }
    }
}
