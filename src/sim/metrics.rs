//! CloudWatch-style metrics under AWS's names, per second, per minute and per hour.
//!
//! CloudWatch shows Kinesis and Lambda metrics per minute at best, while the limits
//! they report on are per second: a one-second spike hides in a minute's sum. So
//! every metric is kept at three resolutions. Memory is bounded by windows, not by
//! how long a run lasts: the last day per second, the last 15 days per minute (as
//! long as CloudWatch keeps one-minute data) and every hour of the run.

use std::collections::VecDeque;

/// How a metric's values combine within a period.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stat {
    Sum,
    Maximum,
}

macro_rules! metrics {
    ($($variant:ident => $name:literal, $stat:ident, $doc:literal;)*) => {
        /// A metric, named as in CloudWatch.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Metric {
            $(#[doc = $doc] $variant,)*
        }

        impl Metric {
            pub const ALL: &'static [Metric] = &[$(Metric::$variant,)*];

            /// The CloudWatch metric name.
            pub fn name(self) -> &'static str {
                match self { $(Metric::$variant => $name,)* }
            }

            /// The statistic a period shows: Sum for counts, Maximum for ages and gauges.
            pub fn stat(self) -> Stat {
                match self { $(Metric::$variant => Stat::$stat,)* }
            }
        }
    };
}

metrics! {
    IncomingRecords => "IncomingRecords", Sum, "Records written to the stream (AWS/Kinesis).";
    IncomingBytes => "IncomingBytes", Sum, "Bytes written to the stream, partition keys included.";
    WriteProvisionedThroughputExceeded => "WriteProvisionedThroughputExceeded", Sum, "Records rejected by the per-shard write limit.";
    PutRecordsTotalRecords => "PutRecords.TotalRecords", Sum, "Records sent in PutRecords calls, each attempt counted.";
    PutRecordsSuccessfulRecords => "PutRecords.SuccessfulRecords", Sum, "Records that PutRecords accepted.";
    PutRecordsFailedRecords => "PutRecords.FailedRecords", Sum, "Records that PutRecords rejected with InternalFailure.";
    PutRecordsThrottledRecords => "PutRecords.ThrottledRecords", Sum, "Records that PutRecords rejected with ProvisionedThroughputExceededException.";
    ReadProvisionedThroughputExceeded => "ReadProvisionedThroughputExceeded", Sum, "GetRecords calls rejected by the per-shard read limit.";
    IteratorAgeMilliseconds => "IteratorAgeMilliseconds", Maximum, "Age of the last record read by GetRecords (AWS/Kinesis).";
    Invocations => "Invocations", Sum, "Function invocations by the event source mappings (AWS/Lambda).";
    Errors => "Errors", Sum, "Invocations that ended in a function error.";
    Throttles => "Throttles", Sum, "Invocation requests refused for lack of concurrency.";
    ConcurrentExecutions => "ConcurrentExecutions", Maximum, "Instances of the mapped functions running at once.";
    IteratorAge => "IteratorAge", Maximum, "Age of the last record of an event when the mapping sends it (AWS/Lambda).";
    RecordsExpired => "RecordsExpired", Sum, "Playground metric: records that left the stream before a mapping processed them.";
    ProducerLostRecords => "ProducerLostRecords", Sum, "Playground metric: records the producer gave up on, never written.";
    OtherFunctionsThrottles => "OtherFunctionsThrottles", Sum, "Playground metric: requests of the account's other functions throttled, per second.";
    Retries => "Retries", Sum, "Playground metric: invocations that deliver records already delivered before (a retried batch or a bisected half).";
}

const N: usize = 18;

/// One resolution: a window of periods, each holding every metric.
#[derive(Clone, Debug)]
pub struct Tier {
    pub period_s: u64,
    window: usize,
    /// The period index (time / period) of `data[0]`.
    first_period: u64,
    data: VecDeque<[u64; N]>,
}

impl Tier {
    fn new(period_s: u64, window: usize) -> Self {
        Tier {
            period_s,
            window,
            first_period: 0,
            data: VecDeque::new(),
        }
    }

    fn slot(&mut self, t_s: u64) -> Option<&mut [u64; N]> {
        let p = t_s / self.period_s;
        // The common case: the newest period, already there.
        if let Some(last) = (p + 1).checked_sub(self.first_period) {
            if last > 0 && last as usize == self.data.len() && self.data.len() <= self.window {
                return self.data.back_mut();
            }
        }
        if p < self.first_period {
            // Older than the window: no longer kept.
            return None;
        }
        while self.first_period + self.data.len() as u64 <= p {
            self.data.push_back([0; N]);
        }
        while self.data.len() > self.window {
            self.data.pop_front();
            self.first_period += 1;
        }
        let i = (p - self.first_period) as usize;
        self.data.get_mut(i)
    }

    /// The start, in seconds, of the first period still kept.
    pub fn start_s(&self) -> u64 {
        self.first_period * self.period_s
    }

    pub fn len(&self) -> usize {
        self.data.len()
    }

    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The kept values of one metric, oldest first.
    pub fn series(&self, m: Metric) -> impl ExactSizeIterator<Item = u64> + '_ {
        self.data.iter().map(move |row| row[m as usize])
    }

    /// The value of `m` in the period that holds `t_s`, if kept.
    pub fn value_at(&self, m: Metric, t_s: u64) -> Option<u64> {
        let p = t_s / self.period_s;
        let i = p.checked_sub(self.first_period)?;
        self.data
            .get(usize::try_from(i).ok()?)
            .map(|row| row[m as usize])
    }
}

/// Every metric at three resolutions.
#[derive(Clone, Debug)]
pub struct Metrics {
    pub per_second: Tier,
    pub per_minute: Tier,
    pub per_hour: Tier,
    /// The second whose period is the newest of every tier, if so: recording at it
    /// again needs no lookup (the steady path records several metrics per event).
    newest_s: Option<u64>,
}

/// A day of per-second values.
pub const PER_SECOND_WINDOW: usize = 86_400;
/// Fifteen days of per-minute values, as CloudWatch keeps one-minute data.
pub const PER_MINUTE_WINDOW: usize = 15 * 1_440;
/// A year and a day of hourly values: longer than any run.
pub const PER_HOUR_WINDOW: usize = 366 * 24 + 1;

impl Default for Metrics {
    fn default() -> Self {
        Metrics {
            per_second: Tier::new(1, PER_SECOND_WINDOW),
            per_minute: Tier::new(60, PER_MINUTE_WINDOW),
            per_hour: Tier::new(3_600, PER_HOUR_WINDOW),
            newest_s: None,
        }
    }
}

impl Metrics {
    /// Records `value` for `m` at second `t_s`: added for a Sum, kept if larger for a
    /// Maximum.
    #[inline]
    pub fn record(&mut self, m: Metric, t_s: u64, value: u64) {
        if self.newest_s != Some(t_s) {
            self.record_elsewhere(m, t_s, value);
            return;
        }
        // The steady path: the newest period of every tier, several times an event.
        let i = m as usize;
        let tiers = [
            &mut self.per_second,
            &mut self.per_minute,
            &mut self.per_hour,
        ];
        match m.stat() {
            Stat::Sum => {
                for tier in tiers {
                    if let Some(row) = tier.data.back_mut() {
                        row[i] += value;
                    }
                }
            }
            Stat::Maximum => {
                for tier in tiers {
                    if let Some(row) = tier.data.back_mut() {
                        row[i] = row[i].max(value);
                    }
                }
            }
        }
    }

    /// As [`Metrics::record`], at a second that is not the newest of every tier.
    #[inline(never)]
    fn record_elsewhere(&mut self, m: Metric, t_s: u64, value: u64) {
        let stat = m.stat();
        for tier in [
            &mut self.per_second,
            &mut self.per_minute,
            &mut self.per_hour,
        ] {
            if let Some(row) = tier.slot(t_s) {
                let v = &mut row[m as usize];
                match stat {
                    Stat::Sum => *v += value,
                    Stat::Maximum => *v = (*v).max(value),
                }
            }
        }
        self.note_newest(t_s);
    }

    /// Remembers `t_s` as the newest second if every tier's newest period holds it
    /// (after `slot(t_s)` on each).
    fn note_newest(&mut self, t_s: u64) {
        let newest = |t: &Tier| {
            !t.data.is_empty() && t_s / t.period_s + 1 == t.first_period + t.data.len() as u64
        };
        self.newest_s =
            (newest(&self.per_second) && newest(&self.per_minute) && newest(&self.per_hour))
                .then_some(t_s);
    }

    /// Makes sure every tier has a period for second `t_s`, so that quiet periods
    /// show as zeros rather than as missing.
    pub fn touch(&mut self, t_s: u64) {
        for tier in [
            &mut self.per_second,
            &mut self.per_minute,
            &mut self.per_hour,
        ] {
            tier.slot(t_s);
        }
        self.note_newest(t_s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_enum_fits_the_rows() {
        assert_eq!(Metric::ALL.len(), N);
        for (i, m) in Metric::ALL.iter().enumerate() {
            assert_eq!(*m as usize, i);
        }
    }

    #[test]
    fn sums_add_and_maxima_keep_the_largest() {
        let mut m = Metrics::default();
        m.record(Metric::IncomingRecords, 0, 5);
        m.record(Metric::IncomingRecords, 59, 7);
        m.record(Metric::IncomingRecords, 60, 1);
        m.record(Metric::IteratorAge, 10, 300);
        m.record(Metric::IteratorAge, 20, 100);
        assert_eq!(
            m.per_minute
                .series(Metric::IncomingRecords)
                .collect::<Vec<_>>(),
            vec![12, 1]
        );
        assert_eq!(m.per_second.value_at(Metric::IncomingRecords, 59), Some(7));
        assert_eq!(m.per_minute.value_at(Metric::IteratorAge, 0), Some(300));
        assert_eq!(m.per_hour.value_at(Metric::IncomingRecords, 0), Some(13));
        assert_eq!(m.per_second.len(), 61);
    }

    #[test]
    fn windows_keep_memory_bounded() {
        let mut m = Metrics::default();
        let two_days = 2 * 86_400;
        for t in 0..two_days {
            m.record(Metric::IncomingRecords, t, 1);
        }
        assert_eq!(m.per_second.len(), PER_SECOND_WINDOW);
        assert_eq!(m.per_second.start_s(), two_days - PER_SECOND_WINDOW as u64);
        assert_eq!(m.per_second.value_at(Metric::IncomingRecords, 0), None);
        assert_eq!(m.per_minute.len(), 2 * 1_440);
        assert_eq!(
            m.per_hour.series(Metric::IncomingRecords).sum::<u64>(),
            two_days
        );
    }
}
