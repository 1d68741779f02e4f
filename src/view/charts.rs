//! STUB (issue 4): the charts' data, replaced at merge time by the real module that
//! the pictures-and-charts work builds. Only the interface the page calls is here.

use crate::sim::metrics::{Metric, Metrics, Tier};
use crate::sim::SimTime;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChartKind {
    IteratorAge,
    Incoming,
    Concurrency,
    Errors,
    Lost,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resolution {
    PerSecond,
    PerMinute,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChartLimits {
    pub write_records_per_s: u64,
    pub concurrency: u32,
}

/// What a chart plots.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartData {
    /// The latest per-period value of the chart's main metric.
    pub latest: f64,
}

impl ChartKind {
    pub const ALL: [ChartKind; 5] = [
        ChartKind::IteratorAge,
        ChartKind::Incoming,
        ChartKind::Concurrency,
        ChartKind::Errors,
        ChartKind::Lost,
    ];

    pub fn title(self) -> &'static str {
        match self {
            ChartKind::IteratorAge => "Iterator age",
            ChartKind::Incoming => "Incoming records",
            ChartKind::Concurrency => "Concurrent executions",
            ChartKind::Errors => "Errors",
            ChartKind::Lost => "Records lost",
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            ChartKind::IteratorAge => "iterator-age",
            ChartKind::Incoming => "incoming",
            ChartKind::Concurrency => "concurrency",
            ChartKind::Errors => "errors",
            ChartKind::Lost => "lost",
        }
    }
}

pub fn series(
    chart: ChartKind,
    resolution: Resolution,
    metrics: &Metrics,
    now: SimTime,
    _limits: &ChartLimits,
) -> ChartData {
    let tier: &Tier = match resolution {
        Resolution::PerSecond => &metrics.per_second,
        Resolution::PerMinute => &metrics.per_minute,
    };
    // The newest period that has ended, or the current one when none has.
    let now_s = now.second();
    let current = now_s / tier.period_s;
    let at_s = current.saturating_sub(1) * tier.period_s;
    let latest_of = |m: Metric| tier.value_at(m, at_s).unwrap_or(0);
    let latest = match chart {
        ChartKind::IteratorAge => latest_of(Metric::IteratorAge) as f64 / 1_000.0,
        ChartKind::Incoming => latest_of(Metric::IncomingRecords) as f64,
        ChartKind::Concurrency => latest_of(Metric::ConcurrentExecutions) as f64,
        ChartKind::Errors => latest_of(Metric::Errors) as f64,
        ChartKind::Lost => {
            let kept = |m: Metric| tier.series(m).sum::<u64>();
            (kept(Metric::RecordsExpired) + kept(Metric::ProducerLostRecords)) as f64
        }
    };
    ChartData { latest }
}
