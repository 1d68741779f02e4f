//! The stream picture as plain data: where each shard's lane, fill, iterator markers,
//! pills, batches and labels go, and in which colours (design.md). Shards are
//! horizontal tubes, one a lane; records enter at the right (the write head) and age
//! towards the left (the trim horizon), where unprocessed records drop into the "lost"
//! bucket under the lanes.
//!
//! Also the shapes every picture is made of ([`Shape`], [`Picture`]), the two themes
//! ([`Theme`]) and the WCAG contrast maths that keeps their text readable.
//!
//! Pure: no web APIs. `ui::canvas` paints the [`Picture`]; its tests run natively.

use super::format::{count, grouped, per_s};
use crate::sim::{BatchState, BatchView, MappingView, ShardView, SimTime, Snapshot};

/// Below this width each roomy lane takes two lines of text instead of one.
pub const WIDE_MIN_PX: f64 = 600.0;
/// Up to this many shards each lane has its own line of text (the roomy layout).
pub const ROOMY_SHARDS_MAX: usize = 8;
/// In the compact layout the lanes share at most this height (CSS pixels)...
pub const LANES_HEIGHT_MAX_PX: f64 = 480.0;
/// ...and each lane is between these two pitches.
pub const PITCH_MIN_PX: f64 = 1.0;
pub const PITCH_MAX_PX: f64 = 22.0;
/// A label needs this much height; thinner lanes are labelled every few lanes.
pub const LABEL_PITCH_PX: f64 = 13.0;

const PAD_PX: f64 = 12.0;
const HEADER_PX: f64 = 24.0;
const LANE_WIDE_PX: f64 = 84.0;
const LANE_NARROW_PX: f64 = 100.0;
const TUBE_PX: f64 = 18.0;
/// Roomy lanes: the tube's offset under the lane's text, leaving a band between them
/// where batches in flight lift towards the functions.
const ROOMY_TUBE_DY_PX: f64 = 48.0;
/// The lifted batch's height.
const PACKET_PX: f64 = 13.0;
/// The compact layout's label column, left of the tubes.
const LABEL_COLUMN_PX: f64 = 70.0;
/// Room right of the tubes for the producers and their arrows.
const GUTTER_PX: f64 = 64.0;
/// The producers' bar at the right edge.
const PRODUCER_BAR_PX: f64 = 10.0;
/// A give-up takes at least this long, in simulated ms, to travel to its destination.
pub const TRAVEL_MS_MIN: u64 = 3_000;
const BUCKET_PX: f64 = 58.0;
const FONT_PX: f64 = 12.0;
const SMALL_FONT_PX: f64 = 11.0;
/// Poison pills and batches stay at least this wide and tall, however thin the lane.
const SPECIAL_MIN_PX: f64 = 4.0;

/// Colours of one theme: Okabe-Ito for meanings, neutral greys for the rest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Theme {
    pub background: &'static str,
    pub text: &'static str,
    pub muted: &'static str,
    /// The empty tube.
    pub track: &'static str,
    /// Records waiting in the shard.
    pub waiting: &'static str,
    /// Records every mapping has processed (still in the shard until trimmed).
    pub processed: &'static str,
    /// A batch in flight.
    pub batch: &'static str,
    /// A poison pill, and (faintly) the lane blocked behind it.
    pub poison: &'static str,
    pub poison_hatch: &'static str,
    pub blocked_hatch: &'static str,
    /// Entries throttled at the write head.
    pub throttled: &'static str,
    pub throttled_outline: &'static str,
    /// Records lost to the trim horizon, in the bucket.
    pub lost: &'static str,
    pub lost_fill: &'static str,
    /// The outline of a highlighted lane and of the followed record.
    pub highlight: &'static str,
    /// Text on a batch (dark on orange in both themes).
    pub on_batch: &'static str,
    /// The OnFailure destination's box.
    pub destination_fill: &'static str,
    /// Slots of the mapped functions (in order), of the account's other functions,
    /// and free ones.
    pub functions: [&'static str; 3],
    pub other_functions: &'static str,
    pub free_slot: &'static str,
    /// Chart grid lines and the limit line.
    pub grid: &'static str,
    pub limit: &'static str,
    /// Chart lines: a second value line, and trouble (errors, throttles, losses).
    pub value_alt: &'static str,
    pub trouble: &'static str,
    pub trouble_alt: &'static str,
}

pub const LIGHT: Theme = Theme {
    background: "#ffffff",
    text: "#1b1f24",
    muted: "#57606a",
    track: "#e6e9ed",
    waiting: "#0072B2",
    processed: "rgba(0, 158, 115, 0.30)",
    batch: "#E69F00",
    poison: "#D55E00",
    poison_hatch: "#3b1700",
    blocked_hatch: "rgba(213, 94, 0, 0.40)",
    throttled: "#F0E442",
    throttled_outline: "#3d3a00",
    lost: "#1b1f24",
    lost_fill: "#f3f4f6",
    highlight: "#1b1f24",
    on_batch: "#1b1f24",
    destination_fill: "#fff4dc",
    functions: ["#0072B2", "#E69F00", "#009E73"],
    other_functions: "#CC79A7",
    free_slot: "#e6e9ed",
    grid: "#d8dee4",
    limit: "#1b1f24",
    value_alt: "#009E73",
    trouble: "#D55E00",
    trouble_alt: "#CC79A7",
};

pub const DARK: Theme = Theme {
    background: "#161b22",
    text: "#e6edf3",
    muted: "#9da7b3",
    track: "#252c35",
    waiting: "#3d9bd6",
    processed: "rgba(0, 158, 115, 0.40)",
    batch: "#E69F00",
    poison: "#D55E00",
    poison_hatch: "#fff3e8",
    blocked_hatch: "rgba(240, 120, 40, 0.45)",
    throttled: "#F0E442",
    throttled_outline: "#0d1117",
    lost: "#f0f3f6",
    lost_fill: "#0d1117",
    highlight: "#f0f3f6",
    on_batch: "#0d1117",
    destination_fill: "#2b2213",
    functions: ["#3d9bd6", "#E69F00", "#009E73"],
    other_functions: "#CC79A7",
    free_slot: "#252c35",
    grid: "#30363d",
    limit: "#e6edf3",
    value_alt: "#009E73",
    trouble: "#f07b3f",
    trouble_alt: "#CC79A7",
};

impl Theme {
    pub fn for_scheme(dark: bool) -> &'static Theme {
        if dark {
            &DARK
        } else {
            &LIGHT
        }
    }

    /// The colour of the `i`th mapped function's slots and markers.
    pub fn function(&self, i: usize) -> &'static str {
        self.functions[i % self.functions.len()]
    }
}

/// `#rrggbb` as red, green, blue in 0..=255; `None` for anything else.
pub fn parse_hex(colour: &str) -> Option<(u8, u8, u8)> {
    let hex = colour.strip_prefix('#')?;
    if hex.len() != 6 {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
    Some((byte(0)?, byte(2)?, byte(4)?))
}

/// WCAG 2 relative luminance of an sRGB colour.
pub fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
}

/// WCAG 2 contrast ratio of two `#rrggbb` colours (1 to 21); `None` if either is not
/// in that form.
pub fn contrast(a: &str, b: &str) -> Option<f64> {
    let la = luminance(parse_hex(a)?);
    let lb = luminance(parse_hex(b)?);
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    Some((hi + 0.05) / (lo + 0.05))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
    Center,
}

/// One thing to paint, in CSS pixels from the picture's top left corner.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    Rect {
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        radius: f64,
        fill: &'static str,
        stroke: Option<&'static str>,
    },
    /// A rectangle's outline only.
    Outline {
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        width: f64,
        stroke: &'static str,
        dashed: bool,
    },
    /// Diagonal stripes (rising to the right) clipped to a rectangle: pills, blocked
    /// lanes, throttles. Readable in grey print and without colour vision.
    Hatch {
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        spacing: f64,
        width: f64,
        stroke: &'static str,
    },
    Line {
        from: (f64, f64),
        to: (f64, f64),
        width: f64,
        stroke: &'static str,
    },
    /// A closed, filled polygon (the iterator markers' heads).
    Polygon {
        points: Vec<(f64, f64)>,
        fill: &'static str,
    },
    /// `y` is the text's alphabetic baseline.
    Text {
        x: f64,
        y: f64,
        text: String,
        align: Align,
        size_px: f64,
        bold: bool,
        colour: &'static str,
    },
}

/// A whole picture: its size and what to paint, back to front.
#[derive(Clone, Debug, PartialEq)]
pub struct Picture {
    pub width_px: f64,
    pub height_px: f64,
    pub background: &'static str,
    pub shapes: Vec<Shape>,
}

/// What the page highlights (a clicked journal entry or table row).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Highlight {
    pub shard: Option<u32>,
    pub mapping: Option<usize>,
}

/// `shardId-000000000003` as `shard 3`; other ids as they are.
pub fn shard_label(shard_id: &str) -> String {
    match shard_id.strip_prefix("shardId-").map(str::parse::<u64>) {
        Some(Ok(n)) => format!("shard {n}"),
        _ => shard_id.to_string(),
    }
}

/// An age in words: `850 ms`, `42 s`, `3 min 05 s`, `2 h 01 min`, `1 d 02 h`.
pub fn age(ms: u64) -> String {
    let s = ms / 1_000;
    match s {
        0 => format!("{ms} ms"),
        1..=59 => format!("{s} s"),
        60..=3_599 => format!("{} min {:02} s", s / 60, s % 60),
        3_600..=86_399 => format!("{} h {:02} min", s / 3_600, s % 3_600 / 60),
        _ => format!("{} d {:02} h", s / 86_400, s % 86_400 / 3_600),
    }
}

/// The picture in words, for screen readers.
pub fn describe(shards: &[ShardView]) -> String {
    let records: u64 = shards.iter().map(|s| s.records).sum();
    let incoming: u64 = shards.iter().map(|s| s.incoming_last_s).sum();
    let throttled: u64 = shards.iter().map(|s| s.throttled_last_s).sum();
    format!(
        "{} holding {}; {} in, {} throttled in the last second",
        count(shards.len() as u64, "shard", "shards"),
        count(records, "record", "records"),
        per_s(incoming, "records"),
        per_s(throttled, "entries"),
    )
}

/// What the stream picture draws.
#[derive(Clone, Copy, Debug)]
pub struct StreamInput<'a> {
    pub shards: &'a [ShardView],
    pub mappings: &'a [MappingView],
    /// Records the mappings lost to the trim horizon (the bucket's count); `None`
    /// draws no bucket.
    pub lost: Option<u64>,
    pub highlight: Highlight,
    /// The simulated moment drawn: batches lift by their invocation's progress.
    pub now: SimTime,
    /// False with reduced motion: batches are brackets that do not lift, give-ups do
    /// not travel, throttled puts do not bounce.
    pub motion: bool,
    /// How long a give-up travels to its destination, in simulated ms (the page
    /// scales it with the speed, so it stays visible when fast-forwarding).
    pub travel_ms: u64,
    /// The record being followed, drawn one by one and highlighted.
    pub traced: Option<Traced>,
}

/// The followed record, as the stream picture marks it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Traced {
    pub shard: u32,
    pub index: u64,
}

impl<'a> StreamInput<'a> {
    /// Shards and mappings with no highlight, at time zero, in motion.
    pub fn from_snapshot_parts(shards: &'a [ShardView], mappings: &'a [MappingView]) -> Self {
        StreamInput {
            shards,
            mappings,
            lost: (!mappings.is_empty()).then_some(0),
            highlight: Highlight::default(),
            now: SimTime::ZERO,
            motion: true,
            travel_ms: TRAVEL_MS_MIN,
            traced: None,
        }
    }

    pub fn from_snapshot(snapshot: &'a Snapshot, highlight: Highlight) -> Self {
        let lost = (!snapshot.mappings.is_empty())
            .then(|| snapshot.mappings.iter().map(|m| m.stats.expired).sum());
        StreamInput {
            shards: &snapshot.shards,
            mappings: &snapshot.mappings,
            lost,
            highlight,
            now: snapshot.now,
            motion: true,
            travel_ms: TRAVEL_MS_MIN,
            traced: None,
        }
    }
}

/// What the picture drew, counted: for tests and the canvas's `data-*` summary.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Drawn {
    pub batches_in_flight: usize,
    pub batches_waiting: usize,
    /// Cards of batches in flight lifted above their lane (none with reduced motion).
    pub lifted: usize,
    /// Batches drawn that are halves of a bisected batch.
    pub halves: usize,
    /// Give-ups on their way to the destination.
    pub travelling: usize,
    /// The destination box's label, e.g. `SQS queue dlq`; `None` when none is set.
    pub destination: Option<String>,
    /// Records sent to the destinations, and dropped for want of one.
    pub sent: u64,
    pub discarded: u64,
    pub producer_arrows: usize,
    pub bounces: usize,
    pub traced: bool,
    /// Each lane's tube centre, y, and the tubes' left and right x, in whole CSS
    /// pixels: where a reader (or a test) clicks to pick a record.
    pub lane_ys: Vec<i64>,
    pub tube_xs: (i64, i64),
}

/// How far an invocation from `started` to `ends` has come at `now`: 0 to 1.
pub fn progress(now: SimTime, started: SimTime, ends: SimTime) -> f64 {
    if ends <= started {
        return 1.0;
    }
    ((now.0.saturating_sub(started.0)) as f64 / (ends.0 - started.0) as f64).clamp(0.0, 1.0)
}

/// An OnFailure destination's ARN in words: `SQS queue dlq`, `SNS topic alerts`,
/// `S3 bucket failures`, `Kafka topic errors`; anything else as its last part.
pub fn destination_label(arn: &str) -> String {
    let kind = match arn.split(':').nth(2) {
        Some("sqs") => "SQS queue",
        Some("sns") => "SNS topic",
        Some("s3") => "S3 bucket",
        Some("kafka") => "Kafka topic",
        _ => "destination",
    };
    let name = arn
        .rsplit([':', '/'])
        .find(|p| !p.is_empty())
        .unwrap_or(arn);
    format!("{kind} {name}")
}

/// The fraction of a batch a bisected half is: `½`, `¼`, `⅛`, then `1/16`...
pub fn half_label(depth: u8) -> String {
    match depth {
        0 => String::new(),
        1 => "½".to_string(),
        2 => "¼".to_string(),
        3 => "⅛".to_string(),
        d => format!("1/{}", 1u64 << u32::from(d).min(62)),
    }
}

/// The record under the point `(x, y)` of a picture `width_px` wide, as (shard,
/// index): the lane from `y`, the record from `x` (a record put one by one within a
/// few pixels wins, so a pill is easy to pick). `None` off the lanes or their fill.
pub fn record_at_point(shards: &[ShardView], width_px: f64, x: f64, y: f64) -> Option<(u32, u64)> {
    let width_px = width_px.max(2.0 * PAD_PX + GUTTER_PX + LABEL_COLUMN_PX + 60.0);
    let layout = LaneLayout::new(shards.len(), width_px);
    let i = ((y - layout.top_px) / layout.pitch_px).floor();
    if i < 0.0 || i >= shards.len() as f64 {
        return None;
    }
    let i = i as usize;
    let shard = shards.get(i)?;
    let fullest = shards.iter().map(|s| s.records).max().unwrap_or(0);
    if shard.records == 0 || fullest == 0 {
        return None;
    }
    let tube_w = layout.tube_w();
    let ppr = tube_w / fullest as f64;
    let right = layout.tube_right_px;
    let fill_w = fill_width(shard.records, fullest, tube_w);
    if x < right - fill_w - 2.0 || x > right + 2.0 {
        return None;
    }
    let near = shard
        .marks
        .iter()
        .map(|m| {
            (
                m,
                (record_x(m.index, shard, ppr, right, fill_w) + ppr / 2.0 - x).abs(),
            )
        })
        .filter(|(_, d)| *d <= 5.0)
        .min_by(|a, b| a.1.total_cmp(&b.1));
    if let Some((m, _)) = near {
        return Some((i as u32, m.index));
    }
    let behind = ((right - x) / ppr).ceil().max(1.0) as u64;
    let index = shard
        .write_head
        .saturating_sub(behind)
        .clamp(shard.trim_horizon, shard.write_head.saturating_sub(1));
    Some((i as u32, index))
}

/// The lanes of the picture `width_px` wide (CSS pixels), shards only (no mappings,
/// no bucket). Kept for callers that have no snapshot.
pub fn stream_picture(shards: &[ShardView], width_px: f64, theme: &Theme) -> Picture {
    let input = StreamInput {
        shards,
        mappings: &[],
        lost: None,
        highlight: Highlight::default(),
        now: SimTime::ZERO,
        motion: false,
        travel_ms: TRAVEL_MS_MIN,
        traced: None,
    };
    picture(&input, width_px, theme)
}

/// Where lanes go: the roomy layout gives each lane a line of text; the compact one
/// stacks thin lanes beside a label column, labelling every `label_every`th lane.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LaneLayout {
    pub roomy: bool,
    pub wide: bool,
    pub top_px: f64,
    /// Distance from one lane's top to the next one's.
    pub pitch_px: f64,
    /// The tube's offset in its lane, and its height.
    pub tube_dy_px: f64,
    pub tube_px: f64,
    pub tube_left_px: f64,
    pub tube_right_px: f64,
    pub label_every: usize,
}

impl LaneLayout {
    pub fn new(shards: usize, width_px: f64) -> Self {
        let wide = width_px >= WIDE_MIN_PX;
        let right = width_px - PAD_PX - GUTTER_PX;
        if shards <= ROOMY_SHARDS_MAX {
            return LaneLayout {
                roomy: true,
                wide,
                top_px: HEADER_PX,
                pitch_px: if wide { LANE_WIDE_PX } else { LANE_NARROW_PX },
                tube_dy_px: ROOMY_TUBE_DY_PX,
                tube_px: TUBE_PX,
                tube_left_px: PAD_PX,
                tube_right_px: right,
                label_every: 1,
            };
        }
        let height_max = if wide {
            LANES_HEIGHT_MAX_PX
        } else {
            LANES_HEIGHT_MAX_PX * 0.8
        };
        let pitch = (height_max / shards as f64).clamp(PITCH_MIN_PX, PITCH_MAX_PX);
        let gap = if pitch >= 8.0 {
            3.0
        } else if pitch >= 3.0 {
            1.0
        } else {
            0.0
        };
        LaneLayout {
            roomy: false,
            wide,
            top_px: HEADER_PX,
            pitch_px: pitch,
            tube_dy_px: gap / 2.0,
            tube_px: pitch - gap,
            tube_left_px: PAD_PX + LABEL_COLUMN_PX,
            tube_right_px: right,
            label_every: label_every(pitch),
        }
    }

    pub fn tube_w(&self) -> f64 {
        self.tube_right_px - self.tube_left_px
    }

    pub fn lane_top(&self, i: usize) -> f64 {
        self.top_px + i as f64 * self.pitch_px
    }

    pub fn tube_top(&self, i: usize) -> f64 {
        self.lane_top(i) + self.tube_dy_px
    }

    pub fn bottom(&self, shards: usize) -> f64 {
        self.lane_top(shards) + if self.roomy { 0.0 } else { 4.0 }
    }

    pub fn labelled(&self, i: usize) -> bool {
        i % self.label_every == 0
    }
}

/// Label every lane, or every 2nd, 5th, 10th, 20th, 50th... so that labels never
/// overlap.
pub fn label_every(pitch_px: f64) -> usize {
    let mut base = 1usize;
    while base < 1_000_000 {
        for k in [1, 2, 5] {
            let step = base * k;
            if step as f64 * pitch_px >= LABEL_PITCH_PX {
                return step;
            }
        }
        base *= 10;
    }
    base
}

/// The x of record `index` on a shard's lane: records are spaced `px_per_record`
/// apart back from the write head at `tube_right`, never beyond the shard's fill.
pub fn record_x(
    index: u64,
    shard: &ShardView,
    px_per_record: f64,
    tube_right: f64,
    fill_w: f64,
) -> f64 {
    let behind = shard.write_head.saturating_sub(index) as f64;
    (tube_right - behind * px_per_record).clamp(tube_right - fill_w, tube_right)
}

/// The width of a lane's fill: its records relative to the fullest shard; a shard that
/// holds anything shows at least a sliver.
pub fn fill_width(records: u64, fullest: u64, tube_w: f64) -> f64 {
    if records == 0 || fullest == 0 {
        return 0.0;
    }
    let share = records as f64 / fullest as f64;
    (share * tube_w).clamp(2.0, tube_w)
}

/// The whole stream picture `width_px` wide (CSS pixels).
pub fn picture(input: &StreamInput<'_>, width_px: f64, theme: &Theme) -> Picture {
    picture_drawn(input, width_px, theme).0
}

/// The whole stream picture `width_px` wide (CSS pixels), and what it drew.
pub fn picture_drawn(input: &StreamInput<'_>, width_px: f64, theme: &Theme) -> (Picture, Drawn) {
    let width_px = width_px.max(2.0 * PAD_PX + GUTTER_PX + LABEL_COLUMN_PX + 60.0);
    let shards = input.shards;
    let mut drawn = Drawn::default();
    let mut p = Painter {
        shapes: Vec::new(),
        theme,
    };
    let left = PAD_PX;
    let right = width_px - PAD_PX;

    if shards.is_empty() {
        let height_px = 72.0;
        p.text(
            width_px / 2.0,
            height_px / 2.0 + 4.0,
            "No shards to draw yet".to_string(),
            Align::Center,
            Style::Muted,
        );
        let picture = Picture {
            width_px,
            height_px,
            background: theme.background,
            shapes: p.shapes,
        };
        return (picture, drawn);
    }

    let layout = LaneLayout::new(shards.len(), width_px);
    drawn.lane_ys = (0..shards.len())
        .map(|i| (layout.tube_top(i) + layout.tube_px / 2.0).round() as i64)
        .collect();
    drawn.tube_xs = (
        layout.tube_left_px.round() as i64,
        layout.tube_right_px.round() as i64,
    );
    p.text(
        layout.tube_left_px,
        16.0,
        "◂ trim horizon (oldest)".to_string(),
        Align::Left,
        Style::Muted,
    );
    p.text(
        layout.tube_right_px,
        16.0,
        if layout.wide {
            "write head (newest)"
        } else {
            "write head"
        }
        .to_string(),
        Align::Right,
        Style::Muted,
    );
    p.text(
        right,
        16.0,
        "producer".to_string(),
        Align::Right,
        Style::Muted,
    );
    let fullest = shards.iter().map(|s| s.records).max().unwrap_or(0);
    let tube_w = layout.tube_w();
    let px_per_record = if fullest == 0 {
        0.0
    } else {
        tube_w / fullest as f64
    };
    let compact = !layout.roomy;
    if compact && layout.pitch_px < 4.0 {
        // Thin lanes: one track behind them all rather than hundreds of tubes.
        p.rect(
            layout.tube_left_px,
            layout.lane_top(0),
            tube_w,
            layout.pitch_px * shards.len() as f64,
            theme.track,
        );
    }
    producer_bar(&mut p, &layout, shards, right, theme);

    // A regular label too close to the highlighted lane's label gives way to it.
    let near_highlight = |i: usize| {
        input.highlight.shard.is_some_and(|h| {
            let d = (h as usize).abs_diff(i) as f64 * layout.pitch_px;
            d > 0.0 && d < LABEL_PITCH_PX
        })
    };
    // Back to front: tubes and fills, then what must stay visible on top.
    let mut specials: Vec<Shape> = Vec::new();
    for (i, shard) in shards.iter().enumerate() {
        let tube_y = layout.tube_top(i);
        let tube_h = layout.tube_px;
        let tube_right = layout.tube_right_px;
        let fill_w = fill_width(shard.records, fullest, tube_w);
        let x_of = |index: u64| record_x(index, shard, px_per_record, tube_right, fill_w);
        let radius = if layout.roomy { tube_h / 2.0 } else { 0.0 };

        if layout.roomy || layout.pitch_px >= 4.0 {
            p.shapes.push(Shape::Rect {
                x: layout.tube_left_px,
                y: tube_y,
                w: tube_w,
                h: tube_h,
                radius,
                fill: theme.track,
                stroke: None,
            });
        }
        // The slowest iterator splits processed records (left) from waiting ones.
        let slowest = input
            .mappings
            .iter()
            .filter_map(|m| m.positions.get(i).copied())
            .min();
        if fill_w > 0.0 {
            let fill_left = tube_right - fill_w;
            let waiting_left = match slowest {
                Some(pos) if pos > shard.trim_horizon => x_of(pos),
                _ => fill_left,
            };
            if waiting_left > fill_left {
                p.shapes.push(Shape::Rect {
                    x: fill_left,
                    y: tube_y,
                    w: waiting_left - fill_left,
                    h: tube_h,
                    radius: radius.min((waiting_left - fill_left) / 2.0),
                    fill: theme.processed,
                    stroke: None,
                });
            }
            let waiting = match slowest {
                Some(pos) => shard.write_head.saturating_sub(pos.max(shard.trim_horizon)),
                None => shard.records,
            };
            if waiting > 0 {
                let w = (tube_right - waiting_left).max(2.0);
                p.shapes.push(Shape::Rect {
                    x: tube_right - w,
                    y: tube_y,
                    w,
                    h: tube_h,
                    radius: radius.min(w / 2.0),
                    fill: theme.waiting,
                    stroke: None,
                });
            }
        }

        // Records put one by one: thin ticks, when the lane has room.
        if tube_h >= 8.0 {
            for mark in shard.marks.iter().filter(|m| !m.poison) {
                let x = x_of(mark.index);
                p.line(
                    (x, tube_y + 2.0),
                    (x, tube_y + tube_h - 2.0),
                    1.0,
                    theme.text,
                );
            }
        }

        // Each mapping: blocked hatch, batches, iterator marker.
        for (j, m) in input.mappings.iter().enumerate() {
            let Some(&pos) = m.positions.get(i) else {
                continue;
            };
            let x = if fill_w > 0.0 { x_of(pos) } else { tube_right };
            let ahead = (tube_right - x).max(0.0);
            if m.blocked.get(i).copied().unwrap_or(false) {
                let w = ahead.max(SPECIAL_MIN_PX);
                if tube_h >= 5.0 {
                    p.shapes.push(Shape::Hatch {
                        x: tube_right - w,
                        y: tube_y,
                        w,
                        h: tube_h,
                        spacing: 6.0,
                        width: 1.5,
                        stroke: theme.blocked_hatch,
                    });
                } else {
                    p.rect(tube_right - w, tube_y, w, tube_h, theme.blocked_hatch);
                }
                if compact {
                    // A flag in the label column, however thin the lane.
                    let h = tube_h.max(SPECIAL_MIN_PX);
                    specials.push(Shape::Rect {
                        x: layout.tube_left_px - 6.0,
                        y: tube_y + tube_h / 2.0 - h / 2.0,
                        w: 4.0,
                        h,
                        radius: 0.0,
                        fill: theme.poison,
                        stroke: None,
                    });
                }
            }
            let batches = shard_batches(&m.batches, i as u32);
            if batches.is_empty() {
                let busy = m.busy.get(i).copied().unwrap_or(0);
                if busy > 0 {
                    // No batch detail (an older snapshot): a bracket at the iterator.
                    let w = ahead.clamp(SPECIAL_MIN_PX + 2.0, 40.0).min(tube_w);
                    let x0 = x.min(tube_right - w);
                    let b = Span {
                        x0,
                        x1: x0 + w,
                        y: tube_y,
                        h: tube_h,
                    };
                    bracket(&mut specials, &layout, b, false, theme);
                    drawn.batches_in_flight += 1;
                }
            }
            let mut cards: Vec<(Span, BatchView)> = Vec::new();
            // The right end of the last batch drawn on each lane: halves of a small
            // batch, each widened to be seen, go side by side rather than on top.
            let mut prev_x1: Option<(u32, f64)> = None;
            for b in batches {
                let lanes = f64::from(m.lanes.max(1));
                let slice = tube_h / lanes;
                let (mut x0, mut x1) = (x_of(b.start), x_of(b.end));
                let min_w = if layout.roomy { 10.0 } else { 4.0 };
                if x1 - x0 < min_w {
                    let c = (x0 + x1) / 2.0;
                    x0 = c - min_w / 2.0;
                    x1 = c + min_w / 2.0;
                }
                if b.depth > 0 && x1 - x0 > 8.0 {
                    // A gap between a bisected batch's halves.
                    x0 += 1.5;
                    x1 -= 1.5;
                }
                if let Some((lane, end)) = prev_x1 {
                    if lane == b.lane && x0 < end + 3.0 {
                        let w = x1 - x0;
                        x0 = end + 3.0;
                        x1 = x0 + w;
                    }
                }
                x0 = x0.clamp(layout.tube_left_px, tube_right - min_w);
                x1 = x1.clamp(x0 + min_w.min(tube_right - x0), tube_right);
                prev_x1 = Some((b.lane, x1));
                let span = Span {
                    x0,
                    x1,
                    y: tube_y + f64::from(b.lane) * slice,
                    h: slice,
                };
                if b.depth > 0 {
                    drawn.halves += 1;
                }
                let waiting = matches!(b.state, BatchState::Waiting { .. });
                if waiting {
                    drawn.batches_waiting += 1;
                } else {
                    drawn.batches_in_flight += 1;
                }
                bracket(&mut specials, &layout, span, waiting, theme);
                if layout.roomy && cards.len() < CARDS_PER_LANE_MAX {
                    cards.push((span, *b));
                }
            }
            if !cards.is_empty() {
                drawn.lifted += batch_cards(&mut specials, &layout, i, &cards, input, theme);
                cards.clear();
            }
            marker(&mut specials, &layout, j, x, tube_y, tube_h, theme);
        }

        // Poison pills: vermillion with a hatch, never thinner than SPECIAL_MIN_PX.
        for mark in shard.marks.iter().filter(|m| m.poison) {
            let x = x_of(mark.index);
            let w = px_per_record.max(2.0 * SPECIAL_MIN_PX);
            let h = tube_h.max(SPECIAL_MIN_PX + 2.0) + if layout.roomy { 4.0 } else { 0.0 };
            let (x0, y0) = (
                (x - w).max(layout.tube_left_px),
                tube_y + tube_h / 2.0 - h / 2.0,
            );
            specials.push(Shape::Rect {
                x: x0,
                y: y0,
                w,
                h,
                radius: 1.0,
                fill: theme.poison,
                stroke: Some(theme.poison_hatch),
            });
            if h >= 8.0 {
                specials.push(Shape::Hatch {
                    x: x0,
                    y: y0,
                    w,
                    h,
                    spacing: 4.0,
                    width: 1.2,
                    stroke: theme.poison_hatch,
                });
            }
        }

        // The followed record: a ring and a pin, one record wide, on top.
        if let Some(t) = input.traced.filter(|t| t.shard as usize == i) {
            if t.index >= shard.trim_horizon && t.index < shard.write_head && fill_w > 0.0 {
                drawn.traced = true;
                let x = x_of(t.index);
                let w = px_per_record.max(6.0);
                let x0 =
                    (x + px_per_record / 2.0 - w / 2.0).clamp(layout.tube_left_px, tube_right - w);
                let pad = if layout.roomy { 4.0 } else { 1.0 };
                specials.push(Shape::Outline {
                    x: x0 - 1.0,
                    y: (tube_y - pad).max(1.0),
                    w: w + 2.0,
                    h: tube_h + 2.0 * pad,
                    width: 2.5,
                    stroke: theme.highlight,
                    dashed: false,
                });
                let cx = x0 + w / 2.0;
                let tip = (tube_y - pad - 1.0).max(8.0);
                specials.push(Shape::Polygon {
                    points: vec![(cx, tip), (cx - 5.0, tip - 7.0), (cx + 5.0, tip - 7.0)],
                    fill: theme.highlight,
                });
                if layout.roomy {
                    specials.push(Shape::Text {
                        x: cx.clamp(layout.tube_left_px + 24.0, tube_right - 24.0),
                        y: tip - 9.0,
                        text: "followed".to_string(),
                        align: Align::Center,
                        size_px: 10.0,
                        bold: true,
                        colour: theme.highlight,
                    });
                }
            }
        }

        // The producer's arrow into the write head; a throttled put bounces back.
        producer_arrow(
            &mut p,
            &mut specials,
            &layout,
            i,
            shard,
            right,
            input,
            theme,
            &mut drawn,
        );

        // Labels.
        let highlighted = input.highlight.shard == Some(i as u32);
        if layout.roomy {
            lane_text(&mut p, &layout, i, shard, input.mappings, right);
        } else if highlighted || (layout.labelled(i) && !near_highlight(i)) {
            let y = layout.lane_top(i) + layout.pitch_px / 2.0 + 4.0;
            if highlighted || layout.pitch_px >= LABEL_PITCH_PX || layout.label_every > 1 {
                p.text(
                    layout.tube_left_px - 10.0,
                    y.max(layout.top_px + 9.0),
                    shard_label(&shard.shard_id),
                    Align::Right,
                    if highlighted {
                        Style::Bold
                    } else {
                        Style::Small
                    },
                );
            }
        }
        if highlighted {
            let h = layout.pitch_px.max(8.0);
            let y = layout.lane_top(i) + layout.pitch_px / 2.0 - h / 2.0;
            // Compact lanes: the box starts at the tube, leaving the label beside it.
            let x = if layout.roomy {
                left - 4.0
            } else {
                layout.tube_left_px - 4.0
            };
            specials.push(Shape::Outline {
                x,
                y: y.max(1.0),
                w: right - x + 4.0,
                h,
                width: 2.0,
                stroke: theme.highlight,
                dashed: false,
            });
        }
    }
    if layout.pitch_px < SHARED_ARROW_PITCH_PX
        && shared_arrow(&mut p, &layout, shards, right, theme)
    {
        drawn.producer_arrows = 1;
    }
    p.shapes.append(&mut specials);

    let mut height_px = layout.bottom(shards.len()) + 6.0;
    if let Some(lost) = input.lost {
        // Beside a destination box on the same row, the mappings' lines stop short of it.
        let text_right = if input.mappings.iter().any(|m| m.destination.is_some())
            && destinations_beside(&layout, right)
        {
            right - DESTINATION_W_PX - 12.0
        } else {
            right
        };
        height_px = bucket(&mut p, &layout, height_px, text_right, lost, input, theme);
        let (box_top, h) =
            destinations(&mut p, &layout, height_px, right, input, theme, &mut drawn);
        if let Some(target) = box_top {
            give_ups_travel(&mut p, &layout, target, input, theme, &mut drawn);
        }
        height_px = h;
    }
    let picture = Picture {
        width_px,
        height_px,
        background: theme.background,
        shapes: p.shapes,
    };
    (picture, drawn)
}

/// A batch's place on its lane.
#[derive(Clone, Copy, Debug)]
struct Span {
    x0: f64,
    x1: f64,
    y: f64,
    h: f64,
}

/// The batches of shard `s` (a mapping's batches come shard by shard).
fn shard_batches(batches: &[BatchView], s: u32) -> &[BatchView] {
    let from = batches.partition_point(|b| b.shard < s);
    let to = batches.partition_point(|b| b.shard <= s);
    batches.get(from..to).unwrap_or(&[])
}

fn half_prefix(depth: u8) -> String {
    match depth {
        0 => String::new(),
        d => format!("{} ", half_label(d)),
    }
}

/// A batch's bracket over its run of records: solid while invoked, dashed while it
/// waits to be retried. Thin lanes get a filled bar instead.
fn bracket(shapes: &mut Vec<Shape>, layout: &LaneLayout, b: Span, waiting: bool, theme: &Theme) {
    if layout.roomy || b.h >= 6.0 {
        let pad = if layout.roomy { 3.0 } else { 1.0 };
        shapes.push(Shape::Outline {
            x: b.x0,
            y: (b.y - pad).max(1.0),
            w: b.x1 - b.x0,
            h: b.h + 2.0 * pad,
            width: if layout.roomy { 2.5 } else { 1.5 },
            stroke: theme.batch,
            dashed: waiting,
        });
    } else {
        let h = b.h.max(1.0);
        shapes.push(Shape::Rect {
            x: b.x0,
            y: b.y,
            w: (b.x1 - b.x0).max(2.0),
            h,
            radius: 0.0,
            fill: if waiting {
                theme.blocked_hatch
            } else {
                theme.batch
            },
            stroke: None,
        });
    }
}

/// At most this many batch cards above one roomy lane (a mapping's batches there).
const CARDS_PER_LANE_MAX: usize = 4;

/// The card of a batch above its lane, magnified so it reads however few records it
/// holds: `λ 100` while invoked, lifting by the invocation's progress towards the
/// functions (not with reduced motion: then only the bracket shows it); a dashed
/// `retry 3` or `waits` while it waits. Halves of a bisected batch stand side by side
/// with their share (`½ λ 50`, `½ waits`), so the split reads at a glance. Each card
/// is tethered to its bracket.
fn batch_cards(
    shapes: &mut Vec<Shape>,
    layout: &LaneLayout,
    i: usize,
    cards: &[(Span, BatchView)],
    input: &StreamInput<'_>,
    theme: &Theme,
) -> usize {
    const GAP_PX: f64 = 6.0;
    let label = |b: &BatchView| match b.state {
        BatchState::InFlight { .. } => {
            format!("{}λ {}", half_prefix(b.depth), grouped(b.records))
        }
        BatchState::Waiting { .. } if b.invokes > 0 && b.retries > 0 => {
            format!("{}retry {}", half_prefix(b.depth), b.retries)
        }
        BatchState::Waiting { .. } => format!("{}waits", half_prefix(b.depth)),
    };
    let shown: Vec<(&Span, &BatchView, String, f64)> = cards
        .iter()
        .filter(|(_, b)| input.motion || matches!(b.state, BatchState::Waiting { .. }))
        .map(|(span, b)| {
            let text = label(b);
            let w = (text.chars().count() as f64 * 6.2 + 12.0).clamp(34.0, 130.0);
            (span, b, text, w)
        })
        .collect();
    if shown.is_empty() {
        return 0;
    }
    let mut lifted = 0;
    let total: f64 = shown.iter().map(|c| c.3).sum::<f64>() + GAP_PX * (shown.len() - 1) as f64;
    let centre = shown.iter().map(|c| (c.0.x0 + c.0.x1) / 2.0).sum::<f64>() / shown.len() as f64;
    let mut x = (centre - total / 2.0)
        .min(layout.tube_right_px - total)
        .max(layout.tube_left_px);
    let low = layout.tube_top(i) - 5.0 - PACKET_PX;
    let high = layout.lane_top(i) + 17.0;
    for (span, b, text, w) in shown {
        let (y, waiting) = match b.state {
            BatchState::InFlight { started, ends } => {
                lifted += 1;
                let lift = progress(input.now, started, ends);
                (low - (low - high).max(0.0) * lift, false)
            }
            BatchState::Waiting { .. } => (low, true),
        };
        for (from, to) in [(span.x0, x + 1.0), (span.x1, x + w - 1.0)] {
            shapes.push(Shape::Line {
                from: (from, span.y - 3.0),
                to: (to, y + PACKET_PX),
                width: 1.0,
                stroke: theme.batch,
            });
        }
        if waiting {
            shapes.push(Shape::Rect {
                x,
                y,
                w,
                h: PACKET_PX,
                radius: 0.0,
                fill: theme.background,
                stroke: None,
            });
            shapes.push(Shape::Outline {
                x,
                y,
                w,
                h: PACKET_PX,
                width: 1.5,
                stroke: theme.batch,
                dashed: true,
            });
        } else {
            shapes.push(Shape::Rect {
                x,
                y,
                w,
                h: PACKET_PX,
                radius: 3.0,
                fill: theme.batch,
                stroke: None,
            });
        }
        shapes.push(Shape::Text {
            x: x + w / 2.0,
            y: y + PACKET_PX - 3.0,
            text,
            align: Align::Center,
            size_px: 10.0,
            bold: true,
            colour: if waiting { theme.text } else { theme.on_batch },
        });
        x += w + GAP_PX;
    }
    lifted
}

/// The producers' bar at the right edge, beside every lane.
fn producer_bar(
    p: &mut Painter<'_>,
    layout: &LaneLayout,
    shards: &[ShardView],
    right: f64,
    theme: &Theme,
) {
    let y0 = layout.tube_top(0);
    let y1 = layout.tube_top(shards.len() - 1) + layout.tube_px;
    p.shapes.push(Shape::Rect {
        x: right - PRODUCER_BAR_PX,
        y: y0,
        w: PRODUCER_BAR_PX,
        h: (y1 - y0).max(2.0),
        radius: 3.0,
        fill: theme.muted,
        stroke: None,
    });
}

/// Lanes closer than this share one producer arrow.
const SHARED_ARROW_PITCH_PX: f64 = 3.0;

/// One arrow from the producer into all the thin lanes' write heads, as thick as the
/// shards' mean write rate makes it.
fn shared_arrow(
    p: &mut Painter<'_>,
    layout: &LaneLayout,
    shards: &[ShardView],
    right: f64,
    theme: &Theme,
) -> bool {
    let total: u64 = shards.iter().map(|s| s.incoming_last_s).sum();
    let mean = total / shards.len().max(1) as u64;
    let t = arrow_px(mean, 14.0) * 2.0;
    if t <= 0.0 {
        return false;
    }
    let head_x = layout.tube_right_px + 2.0;
    let tail_x = right - PRODUCER_BAR_PX - 2.0;
    let cy = (layout.tube_top(0) + layout.tube_top(shards.len() - 1) + layout.tube_px) / 2.0;
    p.shapes.push(Shape::Rect {
        x: head_x + 10.0,
        y: cy - t / 2.0,
        w: (tail_x - head_x - 10.0).max(1.0),
        h: t,
        radius: 0.0,
        fill: theme.waiting,
        stroke: None,
    });
    p.shapes.push(Shape::Polygon {
        points: vec![
            (head_x, cy),
            (head_x + 11.0, cy - t / 2.0 - 5.0),
            (head_x + 11.0, cy + t / 2.0 + 5.0),
        ],
        fill: theme.waiting,
    });
    true
}

/// The arrow's thickness for a write rate: thicker with the rate, up to a shard's
/// 1,000 records/s, never thicker than the tube.
pub fn arrow_px(records_per_s: u64, tube_px: f64) -> f64 {
    if records_per_s == 0 {
        return 0.0;
    }
    let share = records_per_s.min(1_000) as f64 / 1_000.0;
    (1.5 + 8.5 * share).min((tube_px * 0.8).max(1.0))
}

/// The producer's arrow into lane `i`'s write head, thickening with the rate, and a
/// throttled put bouncing back: a yellow striped square moving away from the head.
#[allow(clippy::too_many_arguments)]
fn producer_arrow(
    p: &mut Painter<'_>,
    specials: &mut Vec<Shape>,
    layout: &LaneLayout,
    i: usize,
    shard: &ShardView,
    right: f64,
    input: &StreamInput<'_>,
    theme: &Theme,
    drawn: &mut Drawn,
) {
    let tube_y = layout.tube_top(i);
    let tube_h = layout.tube_px;
    let cy = tube_y + tube_h / 2.0;
    let head_x = layout.tube_right_px + 2.0;
    let tail_x = right - PRODUCER_BAR_PX - 2.0;
    // Lanes thinner than this share one arrow (drawn after them), not one each.
    let t = if layout.pitch_px < SHARED_ARROW_PITCH_PX {
        0.0
    } else {
        arrow_px(shard.incoming_last_s, tube_h)
    };
    if t > 0.0 {
        drawn.producer_arrows += 1;
        // Heads are paths, slower to fill than rectangles: on roomy lanes only.
        let with_head = layout.roomy;
        let shaft_x = if with_head { head_x + 7.0 } else { head_x };
        p.shapes.push(Shape::Rect {
            x: shaft_x,
            y: cy - t / 2.0,
            w: (tail_x - shaft_x).max(1.0),
            h: t,
            radius: 0.0,
            fill: theme.waiting,
            stroke: None,
        });
        if with_head {
            let half = (t / 2.0 + 3.0).min(layout.pitch_px / 2.0);
            p.shapes.push(Shape::Polygon {
                points: vec![
                    (head_x, cy),
                    (head_x + 8.0, cy - half),
                    (head_x + 8.0, cy + half),
                ],
                fill: theme.waiting,
            });
        }
    }
    if shard.throttled_last_s > 0 {
        drawn.bounces += 1;
        let side = tube_h.clamp(2.0, 12.0);
        // Within each simulated second the refused put moves from the head back
        // towards the producer.
        let bounce = if input.motion {
            (input.now.0 % 1_000) as f64 / 1_000.0
        } else {
            0.35
        };
        let room = (tail_x - head_x - side - 2.0).max(0.0);
        let x = head_x + 2.0 + bounce * room;
        if layout.roomy || tube_h >= 8.0 {
            throttle_marker(specials, x, cy - side / 2.0, side, theme);
            if layout.roomy {
                // A chevron saying which way it goes: back out.
                let cx = x + side + 3.0;
                specials.push(Shape::Polygon {
                    points: vec![(cx + 5.0, cy), (cx, cy - 4.0), (cx, cy + 4.0)],
                    fill: theme.throttled_outline,
                });
            }
        } else {
            specials.push(Shape::Rect {
                x,
                y: tube_y,
                w: 10.0,
                h: tube_h.max(2.0),
                radius: 0.0,
                fill: theme.throttled,
                stroke: None,
            });
        }
    }
}

/// The destination box's width.
const DESTINATION_W_PX: f64 = 200.0;

/// Whether destination boxes fit right of the bucket. Roomy lanes say each shard's
/// iterator age themselves, so the mappings' lines beside the bucket may give way to
/// the box; thin lanes do not, so there the box goes beside only with room for them.
fn destinations_beside(layout: &LaneLayout, right: f64) -> bool {
    let text_px = if layout.roomy { 0.0 } else { 300.0 };
    right - layout.tube_left_px >= 230.0 + 14.0 + text_px + DESTINATION_W_PX
}

/// The OnFailure destinations under the lanes, right of the lost bucket (under it on
/// narrow pictures): a box per mapping that has one, labelled with what it is and the
/// records sent; for a mapping without one that dropped records, the discarded count.
/// Returns where give-ups travel to (the first box's top centre) and the picture's
/// new height.
fn destinations(
    p: &mut Painter<'_>,
    layout: &LaneLayout,
    bucket_bottom: f64,
    right: f64,
    input: &StreamInput<'_>,
    theme: &Theme,
    drawn: &mut Drawn,
) -> (Option<(f64, f64)>, f64) {
    let w = DESTINATION_W_PX.min(right - layout.tube_left_px);
    let (x, mut y) = if destinations_beside(layout, right) {
        (right - w, bucket_bottom - BUCKET_PX + 10.0)
    } else {
        (layout.tube_left_px, bucket_bottom + 4.0)
    };
    let mut bottom = bucket_bottom;
    let mut target = None;
    for m in input.mappings.iter().take(3) {
        match &m.destination {
            Some(arn) => {
                let label = destination_label(arn);
                let h = BUCKET_PX - 14.0;
                p.shapes.push(Shape::Rect {
                    x,
                    y,
                    w,
                    h,
                    radius: 6.0,
                    fill: theme.destination_fill,
                    stroke: Some(theme.batch),
                });
                let room = ((w - 20.0) / 6.5) as usize;
                let mut name = label.clone();
                if name.chars().count() > room {
                    name = name
                        .chars()
                        .take(room.saturating_sub(1))
                        .collect::<String>()
                        + "…";
                }
                p.text(x + 10.0, y + 16.0, name, Align::Left, Style::Bold);
                p.shapes.push(Shape::Text {
                    x: x + 10.0,
                    y: y + 37.0,
                    text: count(m.stats.on_failure, "record", "records"),
                    align: Align::Left,
                    size_px: 16.0,
                    bold: true,
                    colour: theme.text,
                });
                drawn.sent += m.stats.on_failure;
                if drawn.destination.is_none() {
                    drawn.destination = Some(label);
                    target = Some((x + w / 2.0, y));
                }
                bottom = bottom.max(y + h + 6.0);
                y += h + 6.0;
            }
            None if m.stats.discarded > 0 => {
                drawn.discarded += m.stats.discarded;
                p.text(
                    x,
                    y + 14.0,
                    format!(
                        "{} discarded",
                        count(m.stats.discarded, "record", "records")
                    ),
                    Align::Left,
                    Style::Bold,
                );
                p.text(
                    x,
                    y + 29.0,
                    "no OnFailure destination".to_string(),
                    Align::Left,
                    Style::Muted,
                );
                bottom = bottom.max(y + 36.0);
                y += 38.0;
            }
            None => {}
        }
    }
    (target, bottom)
}

/// Give-ups on their way from their lane to the destination box at `target`, each
/// for `input.travel_ms` of simulated time after it happened (none with reduced
/// motion: the box's count says it).
fn give_ups_travel(
    p: &mut Painter<'_>,
    layout: &LaneLayout,
    target: (f64, f64),
    input: &StreamInput<'_>,
    theme: &Theme,
    drawn: &mut Drawn,
) {
    if !input.motion {
        return;
    }
    let fullest = input.shards.iter().map(|s| s.records).max().unwrap_or(0);
    let tube_w = layout.tube_w();
    let ppr = if fullest == 0 {
        0.0
    } else {
        tube_w / fullest as f64
    };
    for m in input.mappings {
        if m.destination.is_none() {
            continue;
        }
        for g in &m.give_ups {
            let age = input.now.0.saturating_sub(g.at.0);
            if age >= input.travel_ms.max(1) || input.now < g.at {
                continue;
            }
            let q = age as f64 / input.travel_ms.max(1) as f64;
            let s = g.shard as usize;
            // From where its records lie in the lane.
            let from_x = input.shards.get(s).map_or(layout.tube_right_px, |shard| {
                let fill_w = fill_width(shard.records, fullest, tube_w);
                record_x(g.start, shard, ppr, layout.tube_right_px, fill_w)
            });
            let from = (from_x, layout.tube_top(s) + layout.tube_px / 2.0);
            // Ease out: fast off the lane, slowing into the box.
            let e = 1.0 - (1.0 - q) * (1.0 - q);
            let (x, y) = (
                from.0 + (target.0 - from.0) * e,
                from.1 + (target.1 - 6.0 - from.1) * e,
            );
            drawn.travelling += 1;
            p.line(from, (x, y), 1.5, theme.batch);
            let text = grouped(g.records);
            let w = (text.chars().count() as f64 * 6.2 + 10.0).max(20.0);
            p.shapes.push(Shape::Rect {
                x: x - w / 2.0,
                y: y - 7.0,
                w,
                h: 14.0,
                radius: 3.0,
                fill: theme.batch,
                stroke: Some(theme.on_batch),
            });
            p.shapes.push(Shape::Text {
                x,
                y: y + 4.0,
                text,
                align: Align::Center,
                size_px: 10.0,
                bold: true,
                colour: theme.on_batch,
            });
        }
    }
}

/// An iterator marker: a bar across the lane in the text colour, with a head under
/// the tube pointing up on roomy lanes (the second mapping's head a little lower).
fn marker(
    shapes: &mut Vec<Shape>,
    layout: &LaneLayout,
    mapping: usize,
    x: f64,
    tube_y: f64,
    tube_h: f64,
    theme: &Theme,
) {
    let w = if layout.pitch_px >= 4.0 { 3.0 } else { 2.0 };
    let overhang = if layout.roomy { 4.0 } else { 0.0 };
    let x = x.clamp(
        layout.tube_left_px + w / 2.0,
        layout.tube_right_px - w / 2.0,
    );
    shapes.push(Shape::Rect {
        x: x - w / 2.0,
        y: tube_y - overhang,
        w,
        h: tube_h.max(1.0) + 2.0 * overhang,
        radius: 0.0,
        fill: theme.text,
        stroke: None,
    });
    if layout.roomy {
        let tip = tube_y + tube_h + overhang + 3.0 * (mapping.min(2) as f64);
        let base = tip + 7.0;
        shapes.push(Shape::Polygon {
            points: vec![(x, tip), (x - 5.0, base), (x + 5.0, base)],
            fill: theme.text,
        });
    }
}

fn lane_text(
    p: &mut Painter<'_>,
    layout: &LaneLayout,
    i: usize,
    shard: &ShardView,
    mappings: &[MappingView],
    right: f64,
) {
    let top = layout.lane_top(i);
    let text_y = top + 12.0;
    let left = PAD_PX;
    let records = count(shard.records, "record", "records");
    let rates = format!(
        "{} in · {} throttled/s",
        per_s(shard.incoming_last_s, "records"),
        grouped(shard.throttled_last_s)
    );
    let oldest_age = mappings
        .iter()
        .filter_map(|m| m.iterator_age_ms.get(i).copied())
        .max();
    let blocked = mappings
        .iter()
        .any(|m| m.blocked.get(i).copied().unwrap_or(false));
    p.text(
        left,
        text_y,
        shard_label(&shard.shard_id),
        Align::Left,
        Style::Bold,
    );
    let busy: u32 = mappings.iter().filter_map(|m| m.busy.get(i).copied()).sum();
    let mut detail = match (oldest_age, blocked) {
        (Some(a), true) => format!("blocked · iterator age {}", age(a)),
        (Some(a), false) => format!("iterator age {}", age(a)),
        (None, _) => shard.shard_id.clone(),
    };
    let right_text = format!("{records} · {rates}");
    if busy > 0 {
        let more = format!(" · {} in flight", count(busy.into(), "batch", "batches"));
        // About 6 px a character of the small text, 6.6 of the normal: the detail
        // leaves out the batches rather than run into the counts on the right.
        let fits = !layout.wide
            || left + 58.0 + (detail.chars().count() + more.chars().count()) as f64 * 6.0
                < right - right_text.chars().count() as f64 * 6.6 - 12.0;
        if fits {
            detail.push_str(&more);
        }
    }
    p.text(left + 58.0, text_y, detail, Align::Left, Style::Muted);
    if layout.wide {
        p.text(right, text_y, right_text, Align::Right, Style::Normal);
    } else {
        let below = layout.tube_top(i) + layout.tube_px + 24.0;
        p.text(right, below, right_text, Align::Right, Style::Small);
    }
}

/// The lost bucket under the trim horizon with its count, and a line per mapping.
/// Returns the picture's new height.
fn bucket(
    p: &mut Painter<'_>,
    layout: &LaneLayout,
    top: f64,
    right: f64,
    lost: u64,
    input: &StreamInput<'_>,
    theme: &Theme,
) -> f64 {
    let x = layout.tube_left_px;
    let w = (right - x).min(230.0);
    let y = top + 10.0;
    let h = BUCKET_PX - 14.0;
    // The drain: from the trim horizon down into the bucket.
    p.line((x + 1.0, top - 6.0), (x + 1.0, y), 2.0, theme.lost);
    p.shapes.push(Shape::Polygon {
        points: vec![(x, y), (x + w, y), (x + w - 8.0, y + h), (x + 8.0, y + h)],
        fill: theme.lost_fill,
    });
    p.line((x, y), (x + 8.0, y + h), 2.0, theme.lost);
    p.line((x + 8.0, y + h), (x + w - 8.0, y + h), 2.0, theme.lost);
    p.line((x + w - 8.0, y + h), (x + w, y), 2.0, theme.lost);
    p.shapes.push(Shape::Text {
        x: x + 16.0,
        y: y + 24.0,
        text: grouped(lost),
        align: Align::Left,
        size_px: 22.0,
        bold: true,
        colour: theme.lost,
    });
    p.text(
        x + 16.0,
        y + 39.0,
        "lost: expired unprocessed".to_string(),
        Align::Left,
        Style::Small,
    );
    // Beside the bucket: each mapping's worst lane.
    let tx = x + w + 14.0;
    if right - tx > 140.0 {
        for (j, m) in input.mappings.iter().take(3).enumerate() {
            let worst = m.iterator_age_ms.iter().copied().max().unwrap_or(0);
            let blocked = m.blocked.iter().filter(|b| **b).count();
            let mut text = format!("▲ {}: iterator age up to {}", m.function_name, age(worst));
            if blocked > 0 {
                text.push_str(&format!(
                    " · {} blocked",
                    count(blocked as u64, "shard", "shards")
                ));
            }
            // Too wide for the room beside the bucket (about 7 px a character at this
            // size): say it shorter rather than run off the picture.
            if text.chars().count() as f64 * 7.0 > right - tx {
                text = format!("▲ {}: {}", m.function_name, age(worst));
                if blocked > 0 {
                    text.push_str(&format!(" · {blocked} blocked"));
                }
            }
            let style = if input.highlight.mapping == Some(j) {
                Style::Bold
            } else {
                Style::Normal
            };
            p.text(tx, y + 14.0 + j as f64 * 16.0, text, Align::Left, style);
        }
    }
    top + BUCKET_PX
}

#[derive(Clone, Copy)]
enum Style {
    Normal,
    Bold,
    Small,
    Muted,
}

struct Painter<'t> {
    shapes: Vec<Shape>,
    theme: &'t Theme,
}

impl Painter<'_> {
    fn text(&mut self, x: f64, y: f64, text: String, align: Align, style: Style) {
        let (size_px, bold, colour) = match style {
            Style::Normal => (FONT_PX, false, self.theme.text),
            Style::Bold => (FONT_PX, true, self.theme.text),
            Style::Small => (SMALL_FONT_PX, false, self.theme.text),
            Style::Muted => (SMALL_FONT_PX, false, self.theme.muted),
        };
        self.shapes.push(Shape::Text {
            x,
            y,
            text,
            align,
            size_px,
            bold,
            colour,
        });
    }

    fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, fill: &'static str) {
        self.shapes.push(Shape::Rect {
            x,
            y,
            w,
            h,
            radius: 0.0,
            fill,
            stroke: None,
        });
    }

    fn line(&mut self, from: (f64, f64), to: (f64, f64), width: f64, stroke: &'static str) {
        self.shapes.push(Shape::Line {
            from,
            to,
            width,
            stroke,
        });
    }
}

/// A square of yellow with dark diagonal stripes and outline: readable in grey print.
fn throttle_marker(shapes: &mut Vec<Shape>, x: f64, y: f64, side: f64, theme: &Theme) {
    shapes.push(Shape::Rect {
        x,
        y,
        w: side,
        h: side,
        radius: 2.0,
        fill: theme.throttled,
        stroke: Some(theme.throttled_outline),
    });
    shapes.push(Shape::Hatch {
        x,
        y,
        w: side,
        h: side,
        spacing: 5.0,
        width: 1.5,
        stroke: theme.throttled_outline,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::engine::{MappingView, Mark};
    use crate::sim::esm::MappingStats;
    use crate::sim::SimTime;

    fn shard(i: usize, records: u64, throttled_last_s: u64) -> ShardView {
        ShardView {
            shard_id: format!("shardId-{i:012}"),
            records,
            bytes: records * 500,
            oldest_arrival: None,
            incoming_last_s: 625,
            throttled_last_s,
            trim_horizon: 0,
            write_head: records,
            marks: Vec::new(),
        }
    }

    fn mapping(positions: Vec<u64>, blocked: Vec<bool>, busy: Vec<u32>) -> MappingView {
        let n = positions.len();
        MappingView {
            function_name: "process-orders".to_string(),
            lanes: 1,
            positions,
            blocked,
            busy,
            iterator_age_ms: vec![7_200_000; n],
            stats: MappingStats::default(),
            batches: Vec::new(),
            give_ups: Vec::new(),
            destination: None,
        }
    }

    fn rects(p: &Picture, colour: &str) -> Vec<(f64, f64, f64, f64)> {
        p.shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Rect {
                    x, y, w, h, fill, ..
                } if *fill == colour => Some((*x, *y, *w, *h)),
                _ => None,
            })
            .collect()
    }

    fn texts(p: &Picture) -> Vec<&str> {
        p.shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn fills_are_relative_to_the_fullest_shard_and_grow_from_the_write_head() {
        let shards = [shard(0, 1_000, 0), shard(1, 500, 0), shard(2, 0, 0)];
        let p = stream_picture(&shards, 1_000.0, &LIGHT);
        // Fills only: the producer's arrows (the same blue) lie right of the tubes.
        let right = LaneLayout::new(3, 1_000.0).tube_right_px;
        let f: Vec<_> = rects(&p, LIGHT.waiting)
            .into_iter()
            .filter(|r| r.0 < right)
            .collect();
        assert_eq!(f.len(), 2, "an empty shard has no fill");
        let (x0, _, w0, _) = f[0];
        let (x1, _, w1, _) = f[1];
        assert!(
            (w1 * 2.0 - w0).abs() < 1e-9,
            "half the records, half the width"
        );
        assert!(
            (x0 + w0 - (x1 + w1)).abs() < 1e-9,
            "both end at the write head"
        );
        assert_eq!(x0, PAD_PX, "the fullest shard fills the whole tube");
    }

    #[test]
    fn a_sliver_shows_for_a_nearly_empty_shard() {
        assert_eq!(fill_width(1, 1_000_000, 500.0), 2.0);
        assert_eq!(fill_width(0, 0, 500.0), 0.0);
        assert_eq!(fill_width(7, 7, 500.0), 500.0);
    }

    #[test]
    fn markers_stand_at_their_index_back_from_the_write_head() {
        let s = ShardView {
            trim_horizon: 1_000,
            write_head: 2_000,
            records: 1_000,
            ..shard(0, 0, 0)
        };
        // 1,000 records over 500 px: half a pixel a record.
        assert_eq!(record_x(2_000, &s, 0.5, 600.0, 500.0), 600.0);
        assert_eq!(record_x(1_500, &s, 0.5, 600.0, 500.0), 350.0);
        assert_eq!(record_x(1_000, &s, 0.5, 600.0, 500.0), 100.0);
        assert_eq!(
            record_x(0, &s, 0.5, 600.0, 500.0),
            100.0,
            "never past the trim horizon"
        );
    }

    #[test]
    fn processed_records_fade_behind_the_iterator_and_waiting_ones_stay_blue() {
        let shards = [shard(0, 1_000, 0)];
        let mappings = [mapping(vec![750], vec![false], vec![0])];
        let input = StreamInput {
            shards: &shards,
            mappings: &mappings,
            lost: Some(0),
            highlight: Highlight::default(),
            now: SimTime(0),
            motion: true,
            travel_ms: TRAVEL_MS_MIN,
            traced: None,
        };
        let p = picture(&input, 1_000.0, &LIGHT);
        let layout = LaneLayout::new(1, 1_000.0);
        let tube_w = layout.tube_w();
        let processed = rects(&p, LIGHT.processed);
        let waiting = rects(&p, LIGHT.waiting);
        assert!((processed[0].2 - 0.75 * tube_w).abs() < 1e-9);
        assert!((waiting[0].2 - 0.25 * tube_w).abs() < 1e-9);
        // The marker bar (text colour) is centred on the boundary.
        let bar = rects(&p, LIGHT.text)[0];
        assert!((bar.0 + bar.2 / 2.0 - waiting[0].0).abs() < 1e-9);
        assert!(texts(&p).contains(&"iterator age 2 h 00 min"));
        assert!(texts(&p).contains(&"lost: expired unprocessed"));
    }

    #[test]
    fn at_512_shards_lanes_are_thin_labels_thin_out_and_trouble_stays_visible() {
        let mut shards: Vec<ShardView> = (0..512).map(|i| shard(i, 10_000, 0)).collect();
        shards[300].marks.push(Mark {
            index: 9_000,
            arrival: SimTime(0),
            partition_key: "order-4711".to_string(),
            poison: true,
        });
        shards[301].throttled_last_s = 5;
        let mut blocked = vec![false; 512];
        blocked[300] = true;
        let mappings = [mapping(vec![9_000; 512], blocked, vec![1; 512])];
        let input = StreamInput {
            shards: &shards,
            mappings: &mappings,
            lost: Some(12),
            highlight: Highlight {
                shard: Some(7),
                mapping: None,
            },
            now: SimTime(0),
            motion: true,
            travel_ms: TRAVEL_MS_MIN,
            traced: None,
        };
        let p = picture(&input, 1_280.0, &DARK);
        let layout = LaneLayout::new(512, 1_280.0);
        assert_eq!(layout.pitch_px, PITCH_MIN_PX);
        assert_eq!(layout.label_every, 20);
        let labels: Vec<&str> = texts(&p)
            .into_iter()
            .filter(|t| t.starts_with("shard "))
            .collect();
        assert_eq!(
            labels.len(),
            512 / 20 + 1,
            "every 20th and the highlighted one, shard 0 giving way to it"
        );
        assert!(!labels.contains(&"shard 0"));
        assert!(labels.contains(&"shard 7") && labels.contains(&"shard 500"));
        let pill = rects(&p, DARK.poison);
        assert!(
            pill.iter()
                .any(|r| r.2 >= SPECIAL_MIN_PX && r.3 >= SPECIAL_MIN_PX),
            "the pill is at least {SPECIAL_MIN_PX} px: {pill:?}"
        );
        assert!(!rects(&p, DARK.throttled).is_empty());
        let outlined = p
            .shapes
            .iter()
            .any(|s| matches!(s, Shape::Outline { stroke, h, .. } if *stroke == DARK.highlight && *h >= 8.0));
        assert!(
            outlined,
            "the highlighted lane is outlined at least 8 px tall"
        );
        assert!(p.height_px < LANES_HEIGHT_MAX_PX + 150.0, "{}", p.height_px);
        assert!(p.shapes.len() < 512 * 8, "{} shapes", p.shapes.len());
    }

    #[test]
    fn label_steps_are_round_numbers() {
        assert_eq!(label_every(22.0), 1);
        assert_eq!(label_every(7.5), 2);
        assert_eq!(label_every(4.8), 5);
        assert_eq!(label_every(1.3), 10);
        assert_eq!(label_every(1.0), 20);
        assert_eq!(label_every(0.1), 200);
    }

    #[test]
    fn every_lane_shows_records_and_rates_with_units() {
        for width in [390.0, 1_000.0] {
            let p = stream_picture(&[shard(3, 12_345, 40)], width, &DARK);
            let all = texts(&p).join(" | ");
            assert!(all.contains("shard 3"), "{all}");
            assert!(all.contains("12,345 records"), "{all}");
            assert!(all.contains("625 records/s in"), "{all}");
            assert!(all.contains("40 throttled/s"), "{all}");
        }
    }

    #[test]
    fn throttling_draws_a_marker_only_when_it_happens() {
        let with = stream_picture(&[shard(0, 10, 5)], 800.0, &LIGHT);
        let without = stream_picture(&[shard(0, 10, 0)], 800.0, &LIGHT);
        assert!(!rects(&with, LIGHT.throttled).is_empty());
        assert!(rects(&without, LIGHT.throttled).is_empty());
    }

    #[test]
    fn everything_stays_inside_the_picture() {
        for n in [1, 8, 9, 64, 512] {
            let shards: Vec<ShardView> = (0..n).map(|i| shard(i, 100 * i as u64, 1)).collect();
            let mut m = mapping(vec![50; n], vec![true; n], vec![2; n]);
            m.destination =
                Some("arn:aws:sqs:us-east-1:123456789012:a-very-long-queue-name".into());
            m.stats.on_failure = 123_456_789;
            m.batches = (0..n as u32)
                .flat_map(|s| {
                    [
                        BatchView {
                            shard: s,
                            ..batch(0, 60, in_flight(0, 10), 1)
                        },
                        BatchView {
                            shard: s,
                            ..batch(
                                60,
                                60 + 100 * u64::from(s),
                                BatchState::Waiting { until: None },
                                1,
                            )
                        },
                    ]
                })
                .collect();
            m.give_ups = vec![crate::sim::GiveUp {
                at: SimTime(0),
                shard: (n - 1) as u32,
                lane: 0,
                start: 0,
                records: 3,
                to_destination: true,
                condition: "RetryAttemptsExhausted",
            }];
            let mappings = [m];
            let input = StreamInput {
                shards: &shards,
                mappings: &mappings,
                lost: Some(3),
                highlight: Highlight {
                    shard: Some(0),
                    mapping: Some(0),
                },
                now: SimTime(0),
                motion: true,
                travel_ms: TRAVEL_MS_MIN,
                traced: None,
            };
            for width in [200.0, 390.0, 599.0, 600.0, 1_280.0] {
                let p = picture(&input, width, &LIGHT);
                for s in &p.shapes {
                    let (x0, y0, x1, y1) = match s {
                        Shape::Rect { x, y, w, h, .. }
                        | Shape::Outline { x, y, w, h, .. }
                        | Shape::Hatch { x, y, w, h, .. } => (*x, *y, x + w, y + h),
                        Shape::Line { from, to, .. } => (
                            from.0.min(to.0),
                            from.1.min(to.1),
                            from.0.max(to.0),
                            from.1.max(to.1),
                        ),
                        Shape::Polygon { points, .. } => points
                            .iter()
                            .fold((f64::MAX, f64::MAX, 0.0_f64, 0.0_f64), |(a, b, c, d), p| {
                                (a.min(p.0), b.min(p.1), c.max(p.0), d.max(p.1))
                            }),
                        Shape::Text { x, y, .. } => (*x, *y, *x, *y),
                    };
                    assert!(
                        x0 >= 0.0 && y0 >= 0.0 && x1 <= p.width_px && y1 <= p.height_px,
                        "{s:?} outside {width} with {n} shards"
                    );
                }
            }
        }
    }

    #[test]
    fn no_shards_is_said_not_drawn_blank() {
        let p = stream_picture(&[], 800.0, &LIGHT);
        assert_eq!(texts(&p), ["No shards to draw yet"]);
        assert_eq!(
            describe(&[]),
            "0 shards holding 0 records; 0 records/s in, 0 entries/s throttled in the last second"
        );
    }

    #[test]
    fn shard_labels_and_ages_are_short() {
        assert_eq!(shard_label("shardId-000000000003"), "shard 3");
        assert_eq!(shard_label("custom"), "custom");
        assert_eq!(age(850), "850 ms");
        assert_eq!(age(42_000), "42 s");
        assert_eq!(age(185_000), "3 min 05 s");
        assert_eq!(age(90_000_000), "1 d 01 h");
    }

    #[test]
    fn text_colours_meet_wcag_aa_in_both_themes() {
        for theme in [&LIGHT, &DARK] {
            for (name, fg, bg) in [
                ("text", theme.text, theme.background),
                ("muted", theme.muted, theme.background),
                ("lost count", theme.lost, theme.background),
                ("lost count in the bucket", theme.lost, theme.lost_fill),
                ("chart limit", theme.limit, theme.background),
            ] {
                let ratio = contrast(fg, bg).unwrap_or(0.0);
                assert!(ratio >= 4.5, "{name}: {fg} on {bg} is {ratio:.2}");
            }
            // Stripes on yellow read in grey print.
            let stripes = contrast(theme.throttled_outline, theme.throttled).unwrap_or(0.0);
            assert!(stripes >= 4.5, "{stripes}");
            let hatch = contrast(theme.poison_hatch, theme.poison).unwrap_or(0.0);
            assert!(hatch >= 3.0, "poison hatch {hatch}");
            // Lines and markers (non-text) need 3:1 against the page.
            for c in [
                theme.waiting,
                theme.value_alt,
                theme.trouble,
                theme.trouble_alt,
                theme.function(0),
                theme.other_functions,
            ] {
                let ratio = contrast(c, theme.background).unwrap_or(0.0);
                assert!(ratio >= 3.0, "{c} on {} is {ratio:.2}", theme.background);
            }
        }
        assert_eq!(
            contrast("#000000", "#ffffff").map(|r| r.round()),
            Some(21.0)
        );
        assert_eq!(contrast("red", "#ffffff"), None);
    }

    fn batch(start: u64, end: u64, state: BatchState, depth: u8) -> BatchView {
        BatchView {
            shard: 0,
            lane: 0,
            start,
            end,
            records: end - start,
            state,
            depth,
            retries: u32::from(depth == 0),
            invokes: 1,
        }
    }

    fn in_flight(started: u64, ends: u64) -> BatchState {
        BatchState::InFlight {
            started: SimTime(started),
            ends: SimTime(ends),
        }
    }

    fn one_lane(mappings: &[MappingView], now: u64, motion: bool) -> (Picture, Drawn) {
        let shards = [shard(0, 1_000, 0)];
        let input = StreamInput {
            shards: &shards,
            mappings,
            lost: Some(0),
            highlight: Highlight::default(),
            now: SimTime(now),
            motion,
            travel_ms: TRAVEL_MS_MIN,
            traced: None,
        };
        picture_drawn(&input, 1_000.0, &LIGHT)
    }

    /// The top of the packet (the filled orange rectangle above the tube).
    fn packet_top(p: &Picture) -> Option<f64> {
        rects(p, LIGHT.batch).first().map(|r| r.1)
    }

    #[test]
    fn a_batch_in_flight_is_a_bracket_that_lifts_with_its_invocations_progress() {
        let mut m = mapping(vec![500], vec![false], vec![1]);
        m.batches = vec![batch(500, 600, in_flight(1_000, 2_000), 0)];
        let (start, drawn) = one_lane(std::slice::from_ref(&m), 1_000, true);
        let (half, _) = one_lane(std::slice::from_ref(&m), 1_500, true);
        let (end, _) = one_lane(std::slice::from_ref(&m), 2_000, true);
        assert_eq!(drawn.batches_in_flight, 1);
        let layout = LaneLayout::new(1, 1_000.0);
        let bracket = start
            .shapes
            .iter()
            .find_map(|s| match s {
                Shape::Outline {
                    x,
                    w,
                    stroke,
                    dashed: false,
                    ..
                } if *stroke == LIGHT.batch => Some((*x, *w)),
                _ => None,
            })
            .expect("a bracket");
        // 1,000 records over the tube: the batch is a tenth of it, 100 records back
        // from the iterator's place.
        assert!(
            (bracket.1 - layout.tube_w() / 10.0).abs() < 1e-9,
            "{bracket:?}"
        );
        let (y0, y1, y2) = (
            packet_top(&start).expect("packet"),
            packet_top(&half).expect("packet"),
            packet_top(&end).expect("packet"),
        );
        assert!(y0 > y1 && y1 > y2, "it rises: {y0} {y1} {y2}");
        assert!(
            (y0 - (layout.tube_top(0) - 5.0 - PACKET_PX)).abs() < 1e-9,
            "it starts just above its lane: {y0}"
        );
        assert!(
            y2 >= layout.lane_top(0) + 14.0,
            "it stops under the lane's text"
        );
        assert!(texts(&start).contains(&"λ 100"));
        // With reduced motion: the bracket alone, no lift.
        assert_eq!(drawn.lifted, 1);
        let (still, drawn) = one_lane(std::slice::from_ref(&m), 1_500, false);
        assert_eq!((drawn.batches_in_flight, drawn.lifted), (1, 0));
        assert_eq!(packet_top(&still), None);
    }

    #[test]
    fn a_bisected_batch_shows_two_halves_with_a_gap_one_lifted_one_waiting() {
        let mut m = mapping(vec![500], vec![true], vec![1]);
        m.batches = vec![
            batch(500, 550, in_flight(0, 1_000), 1),
            batch(550, 600, BatchState::Waiting { until: None }, 1),
        ];
        let (p, drawn) = one_lane(std::slice::from_ref(&m), 500, true);
        assert_eq!(
            (drawn.batches_in_flight, drawn.batches_waiting, drawn.halves),
            (1, 1, 2)
        );
        let outlines: Vec<(f64, f64, bool)> = p
            .shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Outline {
                    x,
                    w,
                    h,
                    stroke,
                    dashed,
                    ..
                } if *stroke == LIGHT.batch && *h > PACKET_PX + 1.0 => Some((*x, *w, *dashed)),
                _ => None,
            })
            .collect();
        assert_eq!(outlines.len(), 2, "{outlines:?}");
        let (a, b) = (outlines[0], outlines[1]);
        assert!(
            !a.2 && b.2,
            "the half in flight is solid, the waiting one dashed"
        );
        assert!(
            b.0 - (a.0 + a.1) >= 2.9,
            "a visible gap between the halves: {outlines:?}"
        );
        let all = texts(&p);
        assert!(
            all.contains(&"½ λ 50") && all.contains(&"½ waits"),
            "{all:?}"
        );
    }

    #[test]
    fn halves_of_a_tiny_batch_stand_side_by_side() {
        let mut m = mapping(vec![500], vec![true], vec![1]);
        // One record each: far narrower than a bracket can be drawn.
        m.batches = vec![
            batch(500, 501, in_flight(0, 1_000), 7),
            batch(501, 502, BatchState::Waiting { until: None }, 7),
        ];
        let (p, _) = one_lane(std::slice::from_ref(&m), 500, true);
        let xs: Vec<(f64, f64)> = p
            .shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Outline {
                    x, w, h, stroke, ..
                } if *stroke == LIGHT.batch && *h > PACKET_PX + 1.0 => Some((*x, *w)),
                _ => None,
            })
            .collect();
        assert_eq!(xs.len(), 2);
        assert!(xs[1].0 >= xs[0].0 + xs[0].1 + 2.9, "side by side: {xs:?}");
    }

    #[test]
    fn give_ups_travel_to_a_labelled_destination_and_without_one_the_discarded_count_shows() {
        let mut m = mapping(vec![500], vec![false], vec![0]);
        m.destination = Some("arn:aws:sqs:us-east-1:123456789012:orders-dlq".to_string());
        m.stats.on_failure = 1_234;
        m.give_ups = vec![crate::sim::GiveUp {
            at: SimTime(10_000),
            shard: 0,
            lane: 0,
            start: 500,
            records: 100,
            to_destination: true,
            condition: "RetryAttemptsExhausted",
        }];
        let (p, drawn) = one_lane(std::slice::from_ref(&m), 11_000, true);
        assert_eq!(drawn.destination.as_deref(), Some("SQS queue orders-dlq"));
        assert_eq!((drawn.sent, drawn.travelling), (1_234, 1));
        let all = texts(&p);
        assert!(all.contains(&"1,234 records"), "{all:?}");
        assert!(
            all.iter().any(|t| t.contains("SQS queue orders-dlq")),
            "{all:?}"
        );
        // Arrived: it no longer travels; with reduced motion it never does.
        assert_eq!(
            one_lane(std::slice::from_ref(&m), 13_001, true)
                .1
                .travelling,
            0
        );
        assert_eq!(
            one_lane(std::slice::from_ref(&m), 11_000, false)
                .1
                .travelling,
            0
        );
        // No destination: no box, the discarded records are counted instead.
        m.destination = None;
        m.stats.discarded = 7;
        let (p, drawn) = one_lane(std::slice::from_ref(&m), 11_000, true);
        assert_eq!(
            (drawn.destination, drawn.discarded, drawn.travelling),
            (None, 7, 0)
        );
        assert!(texts(&p).contains(&"7 records discarded"));
        assert!(rects(&p, LIGHT.destination_fill).is_empty());
    }

    #[test]
    fn destinations_are_named_by_kind() {
        assert_eq!(
            destination_label("arn:aws:sns:us-east-1:123456789012:alerts"),
            "SNS topic alerts"
        );
        assert_eq!(
            destination_label("arn:aws:s3:::failures"),
            "S3 bucket failures"
        );
        assert_eq!(
            destination_label("arn:aws:kafka:us-east-1:123456789012:cluster/c/abc"),
            "Kafka topic abc"
        );
        assert_eq!(half_label(1), "½");
        assert_eq!(half_label(4), "1/16");
    }

    #[test]
    fn producer_arrows_thicken_with_the_rate_and_a_throttled_put_bounces_back() {
        assert_eq!(arrow_px(0, 18.0), 0.0);
        assert!(arrow_px(100, 18.0) < arrow_px(1_000, 18.0));
        assert_eq!(
            arrow_px(5_000, 18.0),
            arrow_px(1_000, 18.0),
            "a shard takes 1,000/s"
        );
        assert!(
            arrow_px(1_000, 2.0) <= 1.6,
            "never thicker than a thin tube"
        );
        let shards = [shard(0, 100, 30)];
        let at = |ms: u64, motion: bool| {
            let input = StreamInput {
                now: SimTime(ms),
                motion,
                ..StreamInput::from_snapshot_parts(&shards, &[])
            };
            picture_drawn(&input, 1_000.0, &LIGHT)
        };
        let (early, drawn) = at(100, true);
        assert_eq!((drawn.producer_arrows, drawn.bounces), (1, 1));
        let x = |p: &Picture| rects(p, LIGHT.throttled).first().map(|r| r.0);
        let (late, _) = at(900, true);
        let layout = LaneLayout::new(1, 1_000.0);
        assert!(x(&early) < x(&late), "it moves back towards the producer");
        assert!(x(&early).is_some_and(|x| x > layout.tube_right_px));
        assert_eq!(
            x(&at(100, false).0),
            x(&at(900, false).0),
            "still with reduced motion"
        );
    }

    #[test]
    fn the_followed_record_is_ringed_and_a_click_finds_it_again() {
        let mut shards = [shard(0, 1_000, 0), shard(1, 500, 0)];
        shards[1].marks.push(Mark {
            index: 250,
            arrival: SimTime(0),
            partition_key: "pill".to_string(),
            poison: true,
        });
        let layout = LaneLayout::new(2, 1_000.0);
        let ppr = layout.tube_w() / 1_000.0;
        // A click on the pill's lane near its x picks the pill.
        let pill_x = record_x(250, &shards[1], ppr, layout.tube_right_px, 500.0 * ppr) + 2.0;
        let y = layout.tube_top(1) + 5.0;
        assert_eq!(record_at_point(&shards, 1_000.0, pill_x, y), Some((1, 250)));
        // Elsewhere: the record under the point.
        let x = record_x(700, &shards[0], ppr, layout.tube_right_px, layout.tube_w()) + ppr / 2.0;
        assert_eq!(
            record_at_point(&shards, 1_000.0, x, layout.tube_top(0) + 5.0),
            Some((0, 700))
        );
        assert_eq!(
            record_at_point(&shards, 1_000.0, x, 2.0),
            None,
            "above the lanes"
        );
        assert_eq!(
            record_at_point(&shards, 1_000.0, layout.tube_left_px + 5.0, y),
            None,
            "left of shard 1's fill"
        );
        let input = StreamInput {
            traced: Some(Traced {
                shard: 0,
                index: 700,
            }),
            ..StreamInput::from_snapshot_parts(&shards, &[])
        };
        let (p, drawn) = picture_drawn(&input, 1_000.0, &LIGHT);
        assert!(drawn.traced);
        assert!(texts(&p).contains(&"followed"));
        let ring = p.shapes.iter().any(|s| {
            matches!(s, Shape::Outline { x: rx, w, stroke, .. }
            if *stroke == LIGHT.highlight && *rx <= x && x <= rx + w)
        });
        assert!(ring, "a ring around the record");
    }

    #[test]
    fn sixty_four_busy_shards_stay_a_bounded_number_of_shapes() {
        let shards: Vec<ShardView> = (0..64).map(|i| shard(i, 50_000, 20)).collect();
        let mut m = mapping(vec![40_000; 64], vec![false; 64], vec![1; 64]);
        m.lanes = 10;
        m.batches = (0..64u32)
            .flat_map(|s| {
                (0..10u32).map(move |l| BatchView {
                    shard: s,
                    lane: l,
                    ..batch(40_000, 40_500, in_flight(0, 1_000), 0)
                })
            })
            .collect();
        let mappings = [m];
        let input = StreamInput {
            now: SimTime(500),
            ..StreamInput::from_snapshot_parts(&shards, &mappings)
        };
        let (p, drawn) = picture_drawn(&input, 1_280.0, &DARK);
        assert_eq!(drawn.batches_in_flight, 640);
        assert!(p.shapes.len() < 64 * 24, "{} shapes", p.shapes.len());
    }
}
