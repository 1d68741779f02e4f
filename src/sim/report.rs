//! The run's report in the shared format (`spec/scenario-format.md`): totals, the
//! invocation log, on-failure messages and CloudWatch-style metrics.

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use super::engine::Simulation;
use super::metrics::{Metric, Tier};
use super::scenario::FORMAT;
use super::shard::{sequence_number, shard_id};

#[derive(Debug, Serialize)]
pub struct Report {
    pub format: u32,
    pub seed: u64,
    pub title: String,
    pub duration_s: u64,
    pub totals: Totals,
    pub producer: ProducerReport,
    pub stream: StreamReport,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invocations: Option<Vec<serde_json::Value>>,
    pub on_failure: Vec<serde_json::Value>,
    /// What each closed tumbling window handed on: one write per window.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tumbling_windows: Vec<serde_json::Value>,
    pub event_source_mappings: Vec<MappingReport>,
    pub account: AccountReport,
    pub metrics: MetricsReport,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metrics_per_second: Option<MetricsReport>,
    /// What happened, in words (the last entries kept), with `--journal`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub journal: Option<Vec<JournalEntryReport>>,
    /// The first time each kind of trouble happened, in ms.
    pub milestones: Vec<MilestoneReport>,
    /// What this run did not model that its scenario asked for.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct JournalEntryReport {
    pub at_ms: u64,
    pub at: String,
    pub text: String,
    #[serde(rename = "ShardId", skip_serializing_if = "Option::is_none")]
    pub shard_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub milestone: Option<&'static str>,
}

#[derive(Debug, Serialize)]
pub struct MilestoneReport {
    pub milestone: &'static str,
    pub at_ms: u64,
}

/// The totals named by the spec; every name is a contract.
#[derive(Debug, Default, Serialize)]
pub struct Totals {
    pub records_put: u64,
    pub records_written: u64,
    pub put_throttled: u64,
    pub records_delivered: u64,
    pub records_succeeded: u64,
    pub records_on_failure: u64,
    pub records_expired: u64,
    pub records_pending: u64,
    pub invocations: u64,
    pub function_errors: u64,
    pub throttles: u64,
    pub max_iterator_age_ms: u64,
    pub max_concurrent_executions: u64,
    /// Records given up on with no OnFailure destination: dropped, as AWS does.
    pub records_discarded: u64,
    /// Records before a LATEST starting position: never the mapping's to process.
    pub records_skipped: u64,
    /// Deliveries of records that had been delivered before (retries, bisection).
    pub records_redelivered: u64,
}

/// One mapping's share of the totals.
#[derive(Debug, Serialize)]
pub struct MappingReport {
    #[serde(rename = "FunctionName")]
    pub function_name: String,
    pub records_delivered: u64,
    pub records_redelivered: u64,
    pub records_succeeded: u64,
    pub records_on_failure: u64,
    pub records_discarded: u64,
    pub records_expired: u64,
    pub records_skipped: u64,
    pub records_pending: u64,
    pub invocations: u64,
    pub function_errors: u64,
    pub throttles: u64,
    pub read_throttles: u64,
    pub batches_split: u64,
    pub on_failure_messages: u64,
    pub max_iterator_age_ms: u64,
    /// Tumbling windows whose final invocation succeeded.
    pub windows_closed: u64,
    /// Writes the function makes downstream: one per window with a tumbling window,
    /// one per record without.
    pub downstream_writes: u64,
    /// Whether the invocation log hit its size limit.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub invocations_truncated: bool,
}

#[derive(Debug, Serialize)]
pub struct AccountReport {
    #[serde(rename = "ConcurrentExecutions")]
    pub concurrent_executions: u32,
    pub other_functions_concurrency: u32,
    /// Requests of the account's other functions throttled, summed per second.
    pub other_functions_throttles: u64,
}

#[derive(Debug, Serialize)]
pub struct ProducerReport {
    pub records_put: u64,
    pub records_written_distinct: u64,
    pub duplicates_written: u64,
    pub records_lost: u64,
    pub records_pending_retry: u64,
    pub entries_throttled: u64,
    pub calls: u64,
    pub timeouts: u64,
    pub max_latency_ms: u64,
    /// Records in PutRecords calls AWS refused whole as invalid
    /// (InvalidArgumentException: a record over MaxRecordSizeInKiB, or a call over
    /// 10 MiB); they are among `records_lost`.
    pub records_refused: u64,
}

#[derive(Debug, Serialize)]
pub struct StreamReport {
    #[serde(rename = "StreamName")]
    pub stream_name: String,
    #[serde(rename = "RetentionPeriodHours")]
    pub retention_period_hours: u64,
    #[serde(rename = "StreamModeDetails")]
    pub stream_mode_details: super::scenario::StreamModeDetails,
    #[serde(rename = "MaxRecordSizeInKiB")]
    pub max_record_size_in_kib: u32,
    /// On demand: the stream-wide write capacity at the end, in records/s (the same
    /// figure in thousandths of a MiB/s), and the peak it is double of.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_demand: Option<OnDemandReport>,
    pub records_in_stream: u64,
    pub records_trimmed: u64,
    pub shards: Vec<ShardReport>,
}

/// An on-demand stream's write capacity (AWS: double the previous peak, at least
/// 4 MiB/s or 4,000 records/s).
#[derive(Debug, Serialize)]
pub struct OnDemandReport {
    pub write_capacity_records_per_s: u64,
    pub write_capacity_mib_per_s: f64,
    pub peak_write_mib_per_s: f64,
}

#[derive(Debug, Serialize)]
pub struct ShardReport {
    #[serde(rename = "ShardId")]
    pub shard_id: String,
    #[serde(rename = "HashKeyRange")]
    pub hash_key_range: HashKeyRangeReport,
    pub records: u64,
    pub bytes: u64,
    /// The sequence number the next record written to the shard will get.
    pub write_head_sequence_number: String,
    /// The shards a reshard made this one from (ListShards' ParentShardId and
    /// AdjacentParentShardId; UpdateShardCount's children may have more than two
    /// here, see `sim::reshard`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parent_shard_ids: Vec<String>,
    /// CLOSED or EXPIRED once a reshard closed the shard; left out while OPEN.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<&'static str>,
    /// When a reshard closed the shard, in seconds of the run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closed_at_s: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct HashKeyRangeReport {
    #[serde(rename = "StartingHashKey")]
    pub starting_hash_key: String,
    #[serde(rename = "EndingHashKey")]
    pub ending_hash_key: String,
}

/// One resolution of the metrics: `period_s`, `start_s`, then one array per metric
/// under its CloudWatch name, in a fixed order.
#[derive(Debug)]
pub struct MetricsReport {
    pub period_s: u64,
    pub start_s: u64,
    pub series: Vec<(&'static str, Vec<u64>)>,
}

impl MetricsReport {
    pub fn of(tier: &Tier) -> Self {
        MetricsReport {
            period_s: tier.period_s,
            start_s: tier.start_s(),
            series: Metric::ALL
                .iter()
                .map(|&m| (m.name(), tier.series(m).collect()))
                .collect(),
        }
    }

    pub fn get(&self, name: &str) -> Option<&[u64]> {
        self.series
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_slice())
    }
}

impl Serialize for MetricsReport {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.series.len() + 2))?;
        map.serialize_entry("period_s", &self.period_s)?;
        map.serialize_entry("start_s", &self.start_s)?;
        for (name, values) in &self.series {
            map.serialize_entry(name, values)?;
        }
        map.end()
    }
}

/// What to put in a report beyond what the spec always asks for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReportOptions {
    pub invocations: bool,
    pub per_second: bool,
    /// Include the journal: what happened, in words.
    pub journal: bool,
}

impl Simulation {
    pub fn report(&self, options: ReportOptions) -> Report {
        let t = self.totals();
        let p = self.producer_stats();
        let stream = self.stream();
        let notes = Vec::new();
        let mappings: Vec<MappingReport> = self
            .mappings()
            .iter()
            .map(|m| {
                let st = &m.stats;
                MappingReport {
                    function_name: m.cfg.function_name.clone(),
                    records_delivered: st.delivered,
                    records_redelivered: st.redelivered,
                    records_succeeded: st.succeeded,
                    records_on_failure: st.on_failure,
                    records_discarded: st.discarded,
                    records_expired: st.expired,
                    records_skipped: st.skipped,
                    records_pending: m.pending(stream, self.keys()),
                    invocations: st.invocations,
                    function_errors: st.function_errors,
                    throttles: st.throttles,
                    read_throttles: st.read_throttles,
                    batches_split: st.batches_split,
                    on_failure_messages: st.on_failure_messages,
                    max_iterator_age_ms: st.max_iterator_age_ms,
                    windows_closed: st.windows_closed,
                    downstream_writes: if m.cfg.tumbling_window_in_seconds > 0 {
                        st.windows_closed
                    } else {
                        st.succeeded
                    },
                    invocations_truncated: m.log_truncated,
                }
            })
            .collect();
        let sum = |f: fn(&MappingReport) -> u64| mappings.iter().map(f).sum::<u64>();
        let invocations = options.invocations.then(|| {
            let mut all: Vec<serde_json::Value> = self
                .mappings()
                .iter()
                .filter_map(|m| m.invocation_log())
                .flatten()
                .cloned()
                .collect();
            all.sort_by_key(|v| v["start_ms"].as_u64().unwrap_or(0));
            all
        });
        let on_failure = self
            .mappings()
            .iter()
            .flat_map(|m| m.on_failure.iter().cloned())
            .collect();
        let tumbling_windows = self
            .mappings()
            .iter()
            .flat_map(|m| m.windows.iter().cloned())
            .collect();
        Report {
            format: FORMAT,
            seed: self.seed(),
            title: self.scenario().title.clone(),
            duration_s: self.scenario().duration_s,
            totals: Totals {
                records_put: t.records_put,
                records_written: t.records_written,
                put_throttled: t.put_throttled,
                records_delivered: sum(|m| m.records_delivered),
                records_succeeded: sum(|m| m.records_succeeded),
                records_on_failure: sum(|m| m.records_on_failure),
                records_expired: sum(|m| m.records_expired),
                records_pending: sum(|m| m.records_pending),
                invocations: sum(|m| m.invocations),
                function_errors: sum(|m| m.function_errors),
                throttles: sum(|m| m.throttles),
                max_iterator_age_ms: mappings
                    .iter()
                    .map(|m| m.max_iterator_age_ms)
                    .max()
                    .unwrap_or(0),
                max_concurrent_executions: self.max_concurrent_executions(),
                records_discarded: sum(|m| m.records_discarded),
                records_skipped: sum(|m| m.records_skipped),
                records_redelivered: sum(|m| m.records_redelivered),
            },
            producer: ProducerReport {
                records_put: p.records_put,
                records_written_distinct: p.written_distinct,
                duplicates_written: p.duplicates,
                records_lost: p.lost,
                records_pending_retry: self.producer_pending(),
                entries_throttled: p.throttled,
                calls: p.calls,
                timeouts: p.timeouts,
                max_latency_ms: p.max_latency_ms,
                records_refused: p.refused,
            },
            stream: StreamReport {
                stream_name: stream.name.clone(),
                retention_period_hours: stream.retention.as_ms() / 3_600_000,
                stream_mode_details: self.scenario().stream.stream_mode_details,
                max_record_size_in_kib: self.scenario().stream.max_record_size_in_kib,
                on_demand: stream.on_demand_capacity_now().map(|cap| OnDemandReport {
                    write_capacity_records_per_s: cap,
                    write_capacity_mib_per_s: cap as f64 / 1_000.0,
                    peak_write_mib_per_s: stream.on_demand_peak_milli().unwrap_or(0) as f64
                        / 1_000.0,
                }),
                records_in_stream: stream.records(),
                records_trimmed: t.records_trimmed,
                shards: stream
                    .shards
                    .iter()
                    .map(|s| ShardReport {
                        shard_id: s.id(),
                        hash_key_range: HashKeyRangeReport {
                            starting_hash_key: s.range.starting_hash_key.to_string(),
                            ending_hash_key: s.range.ending_hash_key.to_string(),
                        },
                        records: s.records(),
                        bytes: s.bytes(),
                        write_head_sequence_number: sequence_number(s.index, s.write_head()),
                        parent_shard_ids: s.parents.iter().map(|&p| shard_id(p)).collect(),
                        status: s
                            .closed_at()
                            .map(|_| s.status(self.now(), stream.retention).as_str()),
                        closed_at_s: s.closed_at().map(|c| c.0 as f64 / 1_000.0),
                    })
                    .collect(),
            },
            invocations,
            on_failure,
            tumbling_windows,
            event_source_mappings: mappings,
            account: AccountReport {
                concurrent_executions: self.scenario().account.concurrent_executions,
                other_functions_concurrency: self.scenario().account.other_functions_concurrency,
                other_functions_throttles: self.other_functions_throttles(),
            },
            metrics: MetricsReport::of(&self.metrics().per_minute),
            metrics_per_second: options
                .per_second
                .then(|| MetricsReport::of(&self.metrics().per_second)),
            journal: options.journal.then(|| {
                self.journal()
                    .map(|e| JournalEntryReport {
                        at_ms: e.at.0,
                        at: e.at.to_string(),
                        text: e.text(),
                        shard_id: e.shard.map(shard_id),
                        milestone: e.milestone.map(|m| m.label()),
                    })
                    .collect()
            }),
            milestones: self
                .milestones()
                .iter()
                .map(|(m, t)| MilestoneReport {
                    milestone: m.label(),
                    at_ms: t.0,
                })
                .collect(),
            notes,
        }
    }
}
