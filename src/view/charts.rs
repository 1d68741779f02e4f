//! The charts' data: which CloudWatch metrics each chart shows, over which window, in
//! which unit, against which limit. Plain data ready to draw (`ui::charts` draws it
//! with plotters) and tested natively.
//!
//! Per second vs per minute: CloudWatch shows these metrics per minute at best, while
//! the limits are per second, so a one-second spike hides in a minute. Both
//! resolutions here show rates per second (a minute's sum divided by its seconds,
//! "minute average") against the same per-second limit, so side by side the spike
//! that crosses the limit in the per-second chart sits well under it per minute.

use crate::sim::{Metric, Metrics, SimTime, Stat, Tier};
use crate::view::picture::Theme;

/// The per-second charts show this many seconds.
pub const PER_SECOND_WINDOW_S: u64 = 600;
/// The per-minute charts show the whole run (as far as the metrics keep it: 15 days
/// of minutes, then hours), in at most this many points: a longer run is drawn with
/// one point for several minutes, the highest minute among them, so a day-long lesson
/// shows its climb from zero and every peak stays drawn.
pub const PER_MINUTE_POINTS_MAX: u64 = 360;

/// The periods one point may stand for, in periods of its tier: round times.
const BUCKETS: [u64; 10] = [1, 2, 5, 10, 15, 30, 60, 120, 240, 720];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChartKind {
    IteratorAge,
    Incoming,
    Concurrency,
    Errors,
    Lost,
}

impl ChartKind {
    pub const ALL: [ChartKind; 5] = [
        ChartKind::IteratorAge,
        ChartKind::Incoming,
        ChartKind::Concurrency,
        ChartKind::Errors,
        ChartKind::Lost,
    ];

    /// A short title, the same at both resolutions.
    pub fn title(self) -> &'static str {
        match self {
            ChartKind::IteratorAge => "Iterator age",
            ChartKind::Incoming => "Incoming records",
            ChartKind::Concurrency => "Concurrent executions and throttles",
            ChartKind::Errors => "Invocations, errors and retries",
            ChartKind::Lost => "Records lost",
        }
    }

    /// For `data-testid`: `chart-iterator-age` and so on.
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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resolution {
    PerSecond,
    PerMinute,
}

impl Resolution {
    pub fn id(self) -> &'static str {
        match self {
            Resolution::PerSecond => "per-second",
            Resolution::PerMinute => "per-minute",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Resolution::PerSecond => "per second, last 10 minutes",
            Resolution::PerMinute => "per minute, like CloudWatch",
        }
    }
}

/// The limits the charts draw as lines.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChartLimits {
    /// The stream's write limit: shards × 1,000 records/s.
    pub write_records_per_s: u64,
    /// The account's concurrency limit.
    pub concurrency: u32,
}

/// How a line is drawn: the metric itself, a limit (dashed), or trouble (errors,
/// throttles, losses: warm colours).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Value,
    Limit,
    Trouble,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub name: String,
    pub role: Role,
    /// x: seconds since the start of the run; y: in the chart's unit.
    pub points: Vec<(f64, f64)>,
}

/// The colour and dash of each line of a chart, in order: the first value line blue,
/// a second one its alternate colour, limits dashed, the first trouble line
/// vermillion and a second one its alternate. The canvas and the SVG export both use
/// it, so an exported chart looks like the one on the page.
pub fn line_styles(data: &ChartData, theme: &Theme) -> Vec<(&'static str, bool)> {
    let (mut value_i, mut trouble_i) = (0, 0);
    data.lines
        .iter()
        .map(|l| match l.role {
            Role::Value => {
                value_i += 1;
                let colour = if value_i == 1 {
                    theme.waiting
                } else {
                    theme.value_alt
                };
                (colour, false)
            }
            Role::Limit => (theme.limit, true),
            Role::Trouble => {
                trouble_i += 1;
                let colour = if trouble_i == 1 {
                    theme.trouble
                } else {
                    theme.trouble_alt
                };
                (colour, false)
            }
        })
        .collect()
}

/// One chart, ready to draw.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartData {
    pub title: String,
    pub y_unit: &'static str,
    pub lines: Vec<Line>,
    /// The x range to draw, seconds since the start.
    pub x_range: (f64, f64),
    /// The first line's newest value, in a fixed unit (ages in seconds, whatever unit
    /// the chart shows), for the page's `data-latest`.
    pub latest: f64,
}

impl ChartData {
    /// A short fingerprint of what the chart would draw: the same fingerprint, the
    /// same picture, so the page can skip redrawing a chart whose data did not move.
    pub fn signature(&self) -> String {
        let mut s = format!("{}|{:?}|{}", self.title, self.x_range, self.latest);
        for l in &self.lines {
            s.push_str(&format!(
                "|{}:{:?}:{:?}",
                l.points.len(),
                l.points.first(),
                l.points.last()
            ));
        }
        s
    }

    /// The largest y of any line, at least `floor`.
    pub fn y_max(&self, floor: f64) -> f64 {
        self.lines
            .iter()
            .flat_map(|l| l.points.iter().map(|p| p.1))
            .fold(floor, f64::max)
    }
}

/// One period of a tier as a point: its start, and its value (a Sum divided by the
/// seconds it covers when `rate`).
struct Window<'m> {
    tier: &'m Tier,
    /// Period indices to show, `first..end`; the last may be partial.
    first: u64,
    end: u64,
    now_s: u64,
    /// Periods a point stands for (1: every period its own point).
    bucket: u64,
}

impl<'m> Window<'m> {
    fn new(resolution: Resolution, metrics: &'m Metrics, now: SimTime) -> Self {
        // Only whole seconds are final.
        let now_s = now.0 / 1_000;
        let tier = match resolution {
            Resolution::PerSecond => &metrics.per_second,
            // Past the minutes kept, the hours (kept for the whole run).
            Resolution::PerMinute if metrics.per_minute.start_s() > 0 => &metrics.per_hour,
            Resolution::PerMinute => &metrics.per_minute,
        };
        let period = tier.period_s;
        let from_s = match resolution {
            Resolution::PerSecond => now_s.saturating_sub(PER_SECOND_WINDOW_S),
            Resolution::PerMinute => 0,
        }
        .max(tier.start_s());
        let end = now_s.div_ceil(period);
        let periods = end.saturating_sub(from_s / period);
        let bucket = match resolution {
            Resolution::PerSecond => 1,
            Resolution::PerMinute => BUCKETS
                .iter()
                .copied()
                .find(|b| periods.div_ceil(*b) <= PER_MINUTE_POINTS_MAX)
                .unwrap_or(BUCKETS[BUCKETS.len() - 1]),
        };
        Window {
            tier,
            // Buckets start at round times.
            first: from_s / period / bucket * bucket,
            end,
            now_s,
            bucket,
        }
    }

    fn x_range(&self, resolution: Resolution) -> (f64, f64) {
        let period = self.tier.period_s;
        let from = (self.first * period) as f64;
        let span = match resolution {
            Resolution::PerSecond => PER_SECOND_WINDOW_S,
            Resolution::PerMinute => 600,
        };
        (from, (self.now_s as f64).max(from + span as f64))
    }

    /// The first period of each point, and the periods it stands for.
    fn buckets(&self) -> impl Iterator<Item = std::ops::Range<u64>> + '_ {
        (self.first..self.end)
            .step_by(self.bucket as usize)
            .map(|b| b..(b + self.bucket).min(self.end))
    }

    /// Seconds of period `p` that have passed.
    fn seconds_in(&self, p: u64) -> u64 {
        let period = self.tier.period_s;
        (self.now_s.saturating_sub(p * period)).min(period)
    }

    /// One point a bucket: the period's value (a rate for a Sum when `rate`), or the
    /// highest of its periods' values when a point stands for several.
    fn points(&self, m: Metric, scale: f64, rate: bool) -> Vec<(f64, f64)> {
        let period = self.tier.period_s;
        // An age is only measured when records move: a zero is no data, not "no age"
        // (CloudWatch shows no point there either).
        let age = matches!(m, Metric::IteratorAge | Metric::IteratorAgeMilliseconds);
        let value = |p: u64| {
            let v = self.tier.value_at(m, p * period)?;
            if age && v == 0 {
                return None;
            }
            let v = v as f64;
            Some(if rate && m.stat() == Stat::Sum {
                v / self.seconds_in(p).max(1) as f64
            } else {
                v
            })
        };
        self.buckets()
            .filter_map(|b| {
                let start = b.start;
                let v = b.filter_map(value).reduce(f64::max)?;
                Some(((start * period) as f64, v * scale))
            })
            .collect()
    }

    /// Running total since the start of the run (as far as the tier still keeps), at
    /// the start of each bucket, counting the bucket.
    fn cumulative(&self, m: Metric) -> Vec<(f64, f64)> {
        let period = self.tier.period_s;
        let before: u64 = self
            .tier
            .series(m)
            .take(self.first.saturating_sub(self.tier.start_s() / period) as usize)
            .sum();
        let mut total = before as f64;
        self.buckets()
            .filter_map(|b| {
                let start = b.start;
                let mut kept = false;
                for p in b {
                    if let Some(v) = self.tier.value_at(m, p * period) {
                        total += v as f64;
                        kept = true;
                    }
                }
                kept.then_some(((start * period) as f64, total))
            })
            .collect()
    }
}

/// A chart's title in lines that fit: whole words, as many on a line as `fits`
/// allows (a word too long for any line stands alone), so a title is never cut.
pub fn title_lines(title: &str, fits: impl Fn(&str) -> bool) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in title.split(' ').filter(|w| !w.is_empty()) {
        match lines.last_mut() {
            Some(line) if fits(&format!("{line} {word}")) => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// Seconds, minutes or hours: whichever keeps the numbers short.
pub fn age_unit(max_ms: f64) -> (&'static str, f64) {
    if max_ms >= 2.0 * 3_600_000.0 {
        ("h", 1.0 / 3_600_000.0)
    } else if max_ms >= 120_000.0 {
        ("min", 1.0 / 60_000.0)
    } else {
        ("s", 1.0 / 1_000.0)
    }
}

/// The series a chart shows, ready to draw.
pub fn series(
    chart: ChartKind,
    resolution: Resolution,
    metrics: &Metrics,
    now: SimTime,
    limits: &ChartLimits,
) -> ChartData {
    let w = Window::new(resolution, metrics, now);
    let x_range = w.x_range(resolution);
    let per_min = resolution == Resolution::PerMinute;
    let (max_word, rate_word) = if per_min {
        ("minute max", "minute average")
    } else {
        ("max per second", "per second")
    };
    let line = |name: &str, role, points| Line {
        name: name.to_string(),
        role,
        points,
    };
    let limit = |name: &str, y: f64| Line {
        name: name.to_string(),
        role: Role::Limit,
        points: vec![(x_range.0, y), (x_range.1, y)],
    };
    let (title, y_unit, lines) = match chart {
        ChartKind::IteratorAge => {
            let max_ms = w
                .points(Metric::IteratorAge, 1.0, false)
                .iter()
                .chain(w.points(Metric::IteratorAgeMilliseconds, 1.0, false).iter())
                .map(|p| p.1)
                .fold(0.0, f64::max);
            let (unit, scale) = age_unit(max_ms);
            (
                format!("Iterator age ({max_word}, {unit})"),
                unit,
                vec![
                    line(
                        "IteratorAge (Lambda)",
                        Role::Value,
                        w.points(Metric::IteratorAge, scale, false),
                    ),
                    line(
                        "IteratorAgeMilliseconds (Kinesis)",
                        Role::Value,
                        w.points(Metric::IteratorAgeMilliseconds, scale, false),
                    ),
                ],
            )
        }
        ChartKind::Incoming => (
            format!("Incoming records/s ({rate_word})"),
            "records/s",
            vec![
                line(
                    "IncomingRecords",
                    Role::Value,
                    w.points(Metric::IncomingRecords, 1.0, true),
                ),
                limit(
                    "write limit (shards × 1,000/s)",
                    limits.write_records_per_s as f64,
                ),
                line(
                    "WriteProvisionedThroughputExceeded",
                    Role::Trouble,
                    w.points(Metric::WriteProvisionedThroughputExceeded, 1.0, true),
                ),
            ],
        ),
        ChartKind::Concurrency => (
            if per_min {
                "Concurrency and throttles/s (minute max and average)".to_string()
            } else {
                "Concurrency and throttles/s (per second)".to_string()
            },
            "executions, throttles/s",
            vec![
                line(
                    "ConcurrentExecutions",
                    Role::Value,
                    w.points(Metric::ConcurrentExecutions, 1.0, false),
                ),
                limit("account limit", f64::from(limits.concurrency)),
                line(
                    "Throttles",
                    Role::Trouble,
                    w.points(Metric::Throttles, 1.0, true),
                ),
                line(
                    "OtherFunctionsThrottles",
                    Role::Trouble,
                    w.points(Metric::OtherFunctionsThrottles, 1.0, true),
                ),
            ],
        ),
        ChartKind::Errors => (
            format!("Invocations, errors, retries/s ({rate_word})"),
            "per second",
            vec![
                line(
                    "Invocations",
                    Role::Value,
                    w.points(Metric::Invocations, 1.0, true),
                ),
                line("Errors", Role::Trouble, w.points(Metric::Errors, 1.0, true)),
                line(
                    "Retries",
                    Role::Trouble,
                    w.points(Metric::Retries, 1.0, true),
                ),
            ],
        ),
        ChartKind::Lost => (
            "Records lost, total since the start".to_string(),
            "records",
            vec![
                line(
                    "RecordsExpired",
                    Role::Trouble,
                    w.cumulative(Metric::RecordsExpired),
                ),
                line(
                    "ProducerLostRecords",
                    Role::Trouble,
                    w.cumulative(Metric::ProducerLostRecords),
                ),
            ],
        ),
    };
    // `latest` is in a fixed unit, whatever unit the chart shows: ages in seconds.
    let latest = match chart {
        ChartKind::IteratorAge => w
            .points(Metric::IteratorAge, 0.001, false)
            .last()
            .map_or(0.0, |p| p.1),
        _ => lines
            .first()
            .and_then(|l| l.points.last())
            .map_or(0.0, |p| p.1),
    };
    ChartData {
        title,
        y_unit,
        lines,
        x_range,
        latest,
    }
}

/// Round times for the x axis between `x0` and `x1` (seconds), at most `max_ticks`:
/// every 10 s, 30 s, 1 min, 5 min, 10 min, 30 min, 1 h, 2 h...
pub fn time_ticks(x0: f64, x1: f64, max_ticks: usize) -> Vec<f64> {
    const STEPS: [u64; 17] = [
        1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1_800, 3_600, 7_200, 10_800, 21_600, 43_200,
    ];
    if x1.partial_cmp(&x0) != Some(std::cmp::Ordering::Greater) || max_ticks == 0 {
        return Vec::new();
    }
    let span = x1 - x0;
    let step = STEPS
        .iter()
        .map(|s| *s as f64)
        .find(|s| span / s <= max_ticks as f64)
        .unwrap_or_else(|| (span / max_ticks as f64 / 86_400.0).ceil() * 86_400.0);
    let mut t = (x0 / step).ceil() * step;
    let mut out = Vec::new();
    while t <= x1 + 1e-9 {
        out.push(t);
        t += step;
    }
    out
}

/// Seconds since the start as the x axis prints them: `12:30` (m:ss), `1:02:03`
/// (h:mm:ss), `1d 03:00:00`.
pub fn clock_label(s: f64) -> String {
    let s = s.max(0.0) as u64;
    let hms = |s: u64| format!("{}:{:02}:{:02}", s / 3_600, s % 3_600 / 60, s % 60);
    if s >= 86_400 {
        let rest = hms(s % 86_400);
        format!(
            "{}d {}{rest}",
            s / 86_400,
            if s % 86_400 < 36_000 { "0" } else { "" }
        )
    } else if s >= 3_600 {
        hms(s)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

/// A y axis number, short: `950`, `1.5k`, `12k`, `2.5M`, `0.25`.
pub fn short_number(y: f64) -> String {
    let a = y.abs();
    let trim = |s: String| {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    };
    if a >= 1e6 {
        format!("{}M", trim(format!("{:.1}", y / 1e6)))
    } else if a >= 1e4 {
        format!("{}k", trim(format!("{:.0}", y / 1e3)))
    } else if a >= 1e3 {
        format!("{}k", trim(format!("{:.1}", y / 1e3)))
    } else if a >= 10.0 || a == 0.0 {
        format!("{y:.0}")
    } else {
        trim(format!("{y:.2}"))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_title_wraps_at_words_and_is_never_cut() {
        // 7 px a character, as a bold 13 px sans serif about measures.
        let room = |chars: usize| move |line: &str| line.chars().count() <= chars;
        let title = "Concurrency and throttles/s (minute max and average)";
        assert_eq!(title_lines(title, room(80)), [title]);
        let lines = title_lines(title, room(22));
        assert_eq!(lines.join(" "), title, "every word kept, in order");
        assert!(lines.iter().all(|l| l.chars().count() <= 22), "{lines:?}");
        assert_eq!(
            title_lines("IteratorAgeMilliseconds x", room(5)),
            ["IteratorAgeMilliseconds", "x"]
        );
    }

    use super::*;

    const LIMITS: ChartLimits = ChartLimits {
        write_records_per_s: 1_000,
        concurrency: 1_000,
    };

    /// 900 records/s for two minutes, with one second of 5,000 at 00:01:30.
    fn spike() -> Metrics {
        let mut m = Metrics::default();
        for t in 0..120 {
            let v = if t == 90 { 5_000 } else { 900 };
            m.record(Metric::IncomingRecords, t, v);
            if t == 90 {
                m.record(Metric::WriteProvisionedThroughputExceeded, t, 4_000);
            }
        }
        m
    }

    #[test]
    fn a_one_second_spike_shows_per_second_and_hides_in_the_minute_average() {
        let m = spike();
        let now = SimTime(120_000);
        let s = series(ChartKind::Incoming, Resolution::PerSecond, &m, now, &LIMITS);
        let value = &s.lines[0];
        assert_eq!(value.points.len(), 120);
        assert_eq!(value.points[90], (90.0, 5_000.0));
        assert_eq!(s.lines[1].role, Role::Limit);
        assert_eq!(s.lines[1].points[0].1, 1_000.0);
        let minute = series(ChartKind::Incoming, Resolution::PerMinute, &m, now, &LIMITS);
        let avg = &minute.lines[0].points;
        assert_eq!(avg.len(), 2);
        assert!(
            avg.iter().all(|p| p.1 < 1_000.0),
            "the minute average stays under the limit: {avg:?}"
        );
        assert!((avg[1].1 - (59.0 * 900.0 + 5_000.0) / 60.0).abs() < 1e-9);
        assert!(minute.title.contains("minute average"), "{}", minute.title);
        assert!(s.title.contains("records/s"), "{}", s.title);
    }

    #[test]
    fn per_second_shows_only_the_last_ten_minutes_of_whole_seconds() {
        let mut m = Metrics::default();
        for t in 0..2_000 {
            m.record(Metric::IncomingRecords, t, t);
        }
        let s = series(
            ChartKind::Incoming,
            Resolution::PerSecond,
            &m,
            SimTime(1_500_500),
            &LIMITS,
        );
        let p = &s.lines[0].points;
        assert_eq!(p.len(), 600);
        assert_eq!(p[0].0, 900.0);
        assert_eq!(
            p.last().map(|p| p.0),
            Some(1_499.0),
            "1,500 is not over yet"
        );
        assert_eq!(s.latest, 1_499.0);
        assert_eq!(s.x_range, (900.0, 1_500.0));
    }

    #[test]
    fn a_partial_minute_averages_over_the_seconds_it_has_had() {
        let mut m = Metrics::default();
        for t in 0..90 {
            m.record(Metric::Invocations, t, 10);
        }
        let s = series(
            ChartKind::Errors,
            Resolution::PerMinute,
            &m,
            SimTime(90_000),
            &LIMITS,
        );
        assert_eq!(s.lines[0].points, [(0.0, 10.0), (60.0, 10.0)]);
    }

    #[test]
    fn iterator_age_picks_a_readable_unit() {
        let mut m = Metrics::default();
        for t in 0..7_300 {
            m.record(Metric::IteratorAge, t, t * 1_000);
        }
        let s = series(
            ChartKind::IteratorAge,
            Resolution::PerMinute,
            &m,
            SimTime(7_300_000),
            &LIMITS,
        );
        assert_eq!(s.y_unit, "h");
        assert!(
            (s.latest - 7_299.0).abs() < 1e-9,
            "latest is in seconds: {}",
            s.latest
        );
        assert!(s.title.contains("(minute max, h)"), "{}", s.title);
        let early = series(
            ChartKind::IteratorAge,
            Resolution::PerSecond,
            &m,
            SimTime(30_000),
            &LIMITS,
        );
        assert_eq!(early.y_unit, "s");
        assert_eq!(age_unit(200_000.0).0, "min");
    }

    #[test]
    fn losses_are_cumulative_across_the_window_edge() {
        let mut m = Metrics::default();
        for t in 0..1_000 {
            m.record(Metric::RecordsExpired, t, 2);
        }
        let s = series(
            ChartKind::Lost,
            Resolution::PerSecond,
            &m,
            SimTime(1_000_000),
            &LIMITS,
        );
        assert_eq!(s.lines[0].points[0], (400.0, 802.0));
        assert_eq!(s.latest, 2_000.0);
        assert!(s.lines.iter().all(|l| l.role == Role::Trouble));
    }

    /// A day-long climb, as in the poison-pill lesson: the per-minute chart shows it
    /// from zero, one point for five minutes (the highest), and keeps its peak.
    #[test]
    fn a_long_run_shows_whole_downsampled_with_its_peaks() {
        let mut m = Metrics::default();
        let day = 86_400;
        for t in 0..day {
            m.record(Metric::IteratorAge, t, (t + 1) * 1_000);
            m.record(
                Metric::IncomingRecords,
                t,
                if t == 50_000 { 6_000 } else { 60 },
            );
        }
        let now = SimTime(day * 1_000);
        let s = series(
            ChartKind::IteratorAge,
            Resolution::PerMinute,
            &m,
            now,
            &LIMITS,
        );
        let p = &s.lines[0].points;
        assert_eq!(s.x_range, (0.0, 86_400.0), "the whole run");
        assert_eq!(p.len(), 288, "a point every 5 minutes");
        assert!(p.len() as u64 <= PER_MINUTE_POINTS_MAX);
        assert_eq!(p[0], (0.0, 300.0 / 3_600.0), "from the start, in hours");
        assert_eq!(p[1].0, 300.0);
        assert_eq!(p.last().map(|p| p.1), Some(24.0), "up to a day");
        let incoming = series(ChartKind::Incoming, Resolution::PerMinute, &m, now, &LIMITS);
        let peak = incoming.lines[0]
            .points
            .iter()
            .map(|p| p.1)
            .fold(0.0, f64::max);
        assert_eq!(
            peak,
            (59.0 * 60.0 + 6_000.0) / 60.0,
            "the peak minute stays"
        );
        // Six hours in, still every minute.
        let early = series(
            ChartKind::IteratorAge,
            Resolution::PerMinute,
            &m,
            SimTime(6 * 3_600_000),
            &LIMITS,
        );
        assert_eq!(early.lines[0].points.len(), 360);
        assert_eq!(early.x_range.0, 0.0);
    }

    #[test]
    fn past_the_minutes_kept_the_hours_show_the_whole_run() {
        let mut m = Metrics::default();
        let days = 16 * 86_400;
        for t in (0..days).step_by(30) {
            m.record(Metric::RecordsExpired, t, 1);
        }
        m.touch(days - 1);
        let s = series(
            ChartKind::Lost,
            Resolution::PerMinute,
            &m,
            SimTime(days * 1_000),
            &LIMITS,
        );
        let p = &s.lines[0].points;
        assert_eq!(s.x_range.0, 0.0);
        assert!(p.len() as u64 <= PER_MINUTE_POINTS_MAX, "{}", p.len());
        assert_eq!(
            p.last().map(|p| p.1),
            Some((days / 30) as f64),
            "every record counted"
        );
    }

    #[test]
    fn concurrency_has_the_account_limit_and_both_throttles() {
        let m = Metrics::default();
        let s = series(
            ChartKind::Concurrency,
            Resolution::PerSecond,
            &m,
            SimTime(0),
            &LIMITS,
        );
        let names: Vec<&str> = s.lines.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "ConcurrentExecutions",
                "account limit",
                "Throttles",
                "OtherFunctionsThrottles"
            ]
        );
        assert_eq!(s.latest, 0.0, "no data yet");
        assert_eq!(s.y_max(1.0), 1_000.0);
    }

    #[test]
    fn every_chart_has_a_title_an_id_and_a_unit() {
        let m = spike();
        for kind in ChartKind::ALL {
            for res in [Resolution::PerSecond, Resolution::PerMinute] {
                let s = series(kind, res, &m, SimTime(120_000), &LIMITS);
                assert!(!s.title.is_empty() && !s.y_unit.is_empty());
                assert!(!kind.id().contains(' '));
                assert!(s.x_range.1 > s.x_range.0);
            }
        }
    }

    #[test]
    fn time_ticks_fall_on_round_times() {
        assert_eq!(
            time_ticks(900.0, 1_500.0, 6),
            [960.0, 1_080.0, 1_200.0, 1_320.0, 1_440.0],
            "every 2 min"
        );
        assert_eq!(
            time_ticks(0.0, 7_200.0, 5),
            [0.0, 1_800.0, 3_600.0, 5_400.0, 7_200.0]
        );
        assert_eq!(time_ticks(6_600.0, 7_200.0, 4), [6_600.0, 6_900.0, 7_200.0]);
        assert!(time_ticks(5.0, 5.0, 4).is_empty());
    }

    #[test]
    fn ages_without_data_are_gaps_not_zeros() {
        let mut m = Metrics::default();
        m.record(Metric::IteratorAge, 3, 5_000);
        m.touch(9);
        let s = series(
            ChartKind::IteratorAge,
            Resolution::PerSecond,
            &m,
            SimTime(10_000),
            &LIMITS,
        );
        assert_eq!(s.lines[0].points, [(3.0, 5.0)]);
        assert_eq!(s.latest, 5.0);
    }

    #[test]
    fn the_signature_moves_with_the_data() {
        let m = spike();
        let a = series(
            ChartKind::Incoming,
            Resolution::PerSecond,
            &m,
            SimTime(100_000),
            &LIMITS,
        );
        let b = series(
            ChartKind::Incoming,
            Resolution::PerSecond,
            &m,
            SimTime(100_400),
            &LIMITS,
        );
        let c = series(
            ChartKind::Incoming,
            Resolution::PerSecond,
            &m,
            SimTime(101_000),
            &LIMITS,
        );
        assert_eq!(a.signature(), b.signature(), "the same whole seconds");
        assert_ne!(a.signature(), c.signature());
    }

    #[test]
    fn axis_labels_are_short() {
        assert_eq!(clock_label(75.0), "1:15");
        assert_eq!(clock_label(3_725.0), "1:02:05");
        assert_eq!(clock_label(99_000.0), "1d 03:30:00");
        assert_eq!(short_number(950.0), "950");
        assert_eq!(short_number(1_500.0), "1.5k");
        assert_eq!(short_number(100_000.0), "100k");
        assert_eq!(short_number(2_500_000.0), "2.5M");
        assert_eq!(short_number(0.25), "0.25");
        assert_eq!(short_number(0.0), "0");
    }
}
