//! The stream picture as plain data: where each shard's lane, fill, iterator markers,
//! pills, batches and labels go, and in which colours (design.md). Shards are
//! horizontal tubes, one a lane; records enter at the right (the write head) and age
//! towards the left (the trim horizon), where unprocessed records drop into the "lost"
//! bucket under the lanes. (A *lane* here is a shard as drawn; `sim::lanes` are a
//! shard's ParallelizationFactor lanes, drawn as slices of its tube.)
//!
//! - `theme`: the two themes ([`Theme`]) and the WCAG contrast maths;
//! - `shapes`: what every picture is made of ([`Shape`], [`Picture`]);
//! - `layout`: where lanes go ([`LaneLayout`]) and where a record lies;
//! - `labels`: shard labels, ages and other words on the picture;
//! - `hit`: the record under a click;
//! - this module: the picture, drawn in layers ([`picture_drawn`]) by `lane`
//!   (each shard's lane), `producer` (the producer's arrows) and `sink` (the lost
//!   bucket and the destinations).
//!
//! Pure: no web APIs. `ui::canvas` paints the [`Picture`]; its tests run natively.

use crate::sim::{
    BatchState, BatchView, Clamp, MappingView, ShardLineage, ShardStatus, ShardView, SimDuration,
    SimTime, Snapshot,
};
use crate::view::format::{count, grouped, per_s};

mod flow;
mod hit;
mod labels;
mod lane;
mod layout;
mod producer;
mod shapes;
mod sink;
mod theme;

use flow::*;
pub use hit::*;
pub use labels::*;
use lane::*;
pub use layout::*;
pub use producer::*;
pub use shapes::*;
use sink::*;
pub use theme::*;

/// What the stream picture draws.
#[derive(Clone, Copy, Debug)]
pub struct StreamInput<'a> {
    pub shards: &'a [ShardView],
    pub mappings: &'a [MappingView],
    /// Per shard, beside `shards`: where it stands in resharding (empty when the
    /// stream never resharded, or the caller has no snapshot).
    pub lineage: &'a [ShardLineage],
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
    /// The stream's retention: the tube's length.
    pub retention: SimDuration,
    /// The smallest text on the picture, in CSS pixels ([`text_px_for`]): everything
    /// on it scales with it.
    pub text_px: f64,
}

/// The picture's sizes are designed for this smallest text; it is drawn scaled so
/// that its smallest text is [`StreamInput::text_px`].
pub const DESIGN_TEXT_PX: f64 = 12.0;

/// The smallest text of a picture `width_px` wide (CSS pixels): 12 px on a phone, 14
/// on a desktop page, 24 in presenter mode (where `view::presenter::fit` then
/// enlarges the whole picture to fill the screen).
pub fn text_px_for(width_px: f64, presenter: bool) -> f64 {
    if presenter {
        24.0
    } else if width_px < 500.0 {
        12.0
    } else {
        14.0
    }
}

/// How much the picture is scaled from its design sizes.
pub fn scale_of(input: &StreamInput<'_>) -> f64 {
    (input.text_px / DESIGN_TEXT_PX).clamp_to(0.75, 4.0)
}

/// The width the picture is laid out at, in design pixels, when drawn `width_px`
/// wide at `scale`.
pub fn logical_width(width_px: f64, scale: f64) -> f64 {
    (width_px / scale).max(2.0 * PAD_PX + DRAIN_PX + GUTTER_PX + LABEL_COLUMN_PX + 60.0)
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
            lineage: &[],
            lost: (!mappings.is_empty()).then_some(0),
            highlight: Highlight::default(),
            now: SimTime::ZERO,
            motion: true,
            travel_ms: TRAVEL_MS_MIN,
            traced: None,
            retention: SimDuration::from_hours(24),
            text_px: DESIGN_TEXT_PX,
        }
    }

    pub fn from_snapshot(snapshot: &'a Snapshot, highlight: Highlight) -> Self {
        let lost = (!snapshot.mappings.is_empty())
            .then(|| snapshot.mappings.iter().map(|m| m.stats.expired).sum());
        StreamInput {
            shards: &snapshot.shards,
            mappings: &snapshot.mappings,
            lineage: &snapshot.lineage,
            lost,
            highlight,
            now: snapshot.now,
            motion: true,
            travel_ms: TRAVEL_MS_MIN,
            traced: None,
            retention: snapshot.retention,
            text_px: DESIGN_TEXT_PX,
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
    /// Records drawn one by one near the write head, and flow marks riding the fill.
    pub beads: usize,
    pub flow_marks: usize,
    pub traced: bool,
    /// Each lane's tube centre, y, and the tubes' left and right x, in whole CSS
    /// pixels: where a reader (or a test) clicks to pick a record.
    pub lane_ys: Vec<i64>,
    /// Each lane's fill, from its oldest record to the write head, in whole CSS
    /// pixels: it grows as the shard fills.
    pub fill_px: Vec<i64>,
    /// Records a second pouring out of the tubes' ends into the lost bucket (read by
    /// no mapping before the trim horizon took them).
    pub pouring: u64,
    pub tube_xs: (i64, i64),
}

/// The lanes of the picture `width_px` wide (CSS pixels), shards only (no mappings,
/// no bucket). Kept for callers that have no snapshot.
pub fn stream_picture(shards: &[ShardView], width_px: f64, theme: &Theme) -> Picture {
    let input = StreamInput {
        shards,
        mappings: &[],
        lineage: &[],
        lost: None,
        highlight: Highlight::default(),
        now: SimTime::ZERO,
        motion: false,
        travel_ms: TRAVEL_MS_MIN,
        traced: None,
        retention: SimDuration::from_hours(24),
        text_px: DESIGN_TEXT_PX,
    };
    picture(&input, width_px, theme)
}

/// The whole stream picture `width_px` wide (CSS pixels).
pub fn picture(input: &StreamInput<'_>, width_px: f64, theme: &Theme) -> Picture {
    picture_drawn(input, width_px, theme).0
}

/// The whole stream picture `width_px` wide (CSS pixels), and what it drew: the
/// headings, then each lane back to front (its tube and fill, records put one by one,
/// each mapping's batches and marker, pills, the followed record, the producer's
/// arrow, its label), then what must stay visible on top of every lane, then the lost
/// bucket and the destinations under the lanes.
pub fn picture_drawn(input: &StreamInput<'_>, width_px: f64, theme: &Theme) -> (Picture, Drawn) {
    let scale = scale_of(input);
    let (mut picture, mut drawn) = picture_laid_out(input, logical_width(width_px, scale), theme);
    picture.scale(scale);
    for y in drawn.lane_ys.iter_mut().chain(drawn.fill_px.iter_mut()) {
        *y = (*y as f64 * scale).round() as i64;
    }
    drawn.tube_xs = (
        (drawn.tube_xs.0 as f64 * scale).round() as i64,
        (drawn.tube_xs.1 as f64 * scale).round() as i64,
    );
    (picture, drawn)
}

/// [`picture_drawn`] at its design sizes, `width_px` design pixels wide.
fn picture_laid_out(input: &StreamInput<'_>, width_px: f64, theme: &Theme) -> (Picture, Drawn) {
    let shards = input.shards;
    let mut drawn = Drawn::default();
    let mut p = Painter {
        shapes: Vec::new(),
        theme,
    };
    let right = width_px - PAD_PX;
    if shards.is_empty() {
        return (no_shards(p, width_px, theme), drawn);
    }
    let layout = LaneLayout::scaled(shards.len(), width_px, scale_of(input));
    let axis = TimeAxis::new(&layout, input.now, input.retention);
    drawn.lane_ys = (0..shards.len())
        .map(|i| (layout.tube_top(i) + layout.tube_px / 2.0).round() as i64)
        .collect();
    drawn.tube_xs = (
        layout.tube_left_px.round() as i64,
        layout.tube_right_px.round() as i64,
    );
    let marks = headings(&mut p, &layout, &axis, right);
    if !layout.roomy && layout.pitch_px < 4.0 {
        // Thin lanes: one track behind them all rather than hundreds of tubes.
        p.rect(
            layout.tube_left_px,
            layout.lane_top(0),
            layout.tube_w(),
            layout.pitch_px * shards.len() as f64,
            theme.track,
        );
    }
    producer_bar(&mut p, &layout, shards, right, theme);

    // Back to front: tubes and fills, then what must stay visible on top.
    let mut specials: Vec<Shape> = Vec::new();
    let mut pours: Vec<Pour> = Vec::new();
    for (i, shard) in shards.iter().enumerate() {
        let mut lane = Lane::new(&layout, i, shard, axis);
        drawn.fill_px.push(lane.fill_w.round() as i64);
        let newest = beads_of(&lane);
        lane.bar_end = newest.bar_end;
        // The fill's pieces and where processed records end, for the fill and the
        // flow marks over it.
        let pieces = lane.filled();
        let split = processed_split(&lane, input.mappings);
        lane_fill(&mut p, &lane, &pieces, split, theme);
        axis_ticks_on(&mut p, &lane, &marks, theme);
        if input.motion {
            drawn.flow_marks += flow_marks(&mut p, &lane, &pieces, split, theme);
        }
        drawn.beads += beads(&mut p, &lane, &newest, input.mappings, theme);
        lane_ticks(&mut p, &lane, theme);
        resharded(&mut p, &lane, input.lineage.get(i), theme);
        for (j, m) in input.mappings.iter().enumerate() {
            mapping_on_lane(
                &mut p,
                &mut specials,
                &mut lane,
                j,
                m,
                input,
                theme,
                &mut drawn,
            );
        }
        pills(&mut specials, &lane, theme);
        drawn.traced |= followed(&mut specials, &lane, input, theme);
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
        lane_label(&mut p, &mut specials, &lane, input, right, theme);
        pours.extend(pour_of(&lane, input));
    }
    if layout.pitch_px < SHARED_ARROW_PITCH_PX
        && shared_arrow(&mut p, &layout, shards, right, theme)
    {
        drawn.producer_arrows = 1;
    }
    p.shapes.append(&mut specials);

    let mut height_px = layout.bottom(shards.len()) + 6.0;
    if let Some(lost) = input.lost {
        let bucket_top = height_px + 10.0;
        drawn.pouring = pour(&mut p, &layout, &pours, bucket_top, input, theme);
        height_px = under_lanes(
            &mut p, &layout, height_px, right, lost, input, theme, &mut drawn,
        );
    }
    let picture = Picture {
        width_px,
        height_px,
        background: theme.background,
        shapes: p.shapes,
    };
    (picture, drawn)
}

/// A picture that says there is nothing to draw.
fn no_shards(mut p: Painter<'_>, width_px: f64, theme: &Theme) -> Picture {
    let height_px = 72.0;
    p.text(
        width_px / 2.0,
        height_px / 2.0 + 4.0,
        "No shards to draw yet".to_string(),
        Align::Center,
        Style::Muted,
    );
    Picture {
        width_px,
        height_px,
        background: theme.background,
        shapes: p.shapes,
    }
}

/// The words over the lanes: which end is which, the producer, and the time axis's
/// marks (`1 s`, `1 min`, `1 h`...) wherever they fit between them.
fn headings(p: &mut Painter<'_>, layout: &LaneLayout, axis: &TimeAxis, right: f64) -> Vec<f64> {
    const Y: f64 = 16.0;
    let retention = retention_words(axis.retention_ms);
    let left = if layout.wide {
        format!("◂ {retention} ago: trim horizon")
    } else {
        format!("◂ {retention} ago")
    };
    let head = "now ▸";
    let mut taken: Vec<(f64, f64)> = vec![
        (
            layout.tube_left_px,
            layout.tube_left_px + text_w(&left, 12.0),
        ),
        (layout.tube_right_px - text_w(head, 12.0), right),
    ];
    p.text(layout.tube_left_px, Y, left, Align::Left, Style::Muted);
    p.text(
        layout.tube_right_px,
        Y,
        head.to_string(),
        Align::Right,
        Style::Muted,
    );
    if layout.wide {
        p.text(right, Y, "producer".to_string(), Align::Right, Style::Muted);
    }
    let mut marks = Vec::new();
    // The marks that say most first: a minute, an hour, half a day, a second.
    let rank = |ms: u64| match ms / 1_000 {
        60 => 0,
        3_600 => 1,
        43_200 => 2,
        1 => 3,
        _ => 4,
    };
    // Each after those of its rank and before: a stable sort's order, without a sort's
    // code in the light embed's WebAssembly for this one short list (issue 16).
    let mut candidates: Vec<(u64, &str)> = Vec::new();
    for (ms, label) in axis_marks(axis.retention_ms) {
        let at = candidates.partition_point(|&(m, _)| rank(m) <= rank(ms));
        candidates.insert(at, (ms, label));
    }
    for (ms, label) in candidates {
        let x = axis.x_of_age(ms);
        let w = text_w(label, 12.0);
        let (x0, x1) = (x - w / 2.0 - 6.0, x + w / 2.0 + 6.0);
        if taken.iter().any(|&(a, b)| x0 < b && a < x1) {
            continue;
        }
        taken.push((x0, x1));
        p.text(x, Y, label.to_string(), Align::Center, Style::Muted);
        p.line((x, Y + 3.0), (x, layout.top_px), 1.0, p.theme.muted);
        marks.push(x);
    }
    marks
}

/// A retention in words: `24 h`, `36 h`, `7 d`.
pub fn retention_words(ms: u64) -> String {
    let h = ms / 3_600_000;
    if h >= 48 && h % 24 == 0 {
        format!("{} d", h / 24)
    } else if h >= 1 && ms % 3_600_000 == 0 {
        format!("{h} h")
    } else {
        age(ms)
    }
}

/// The ages the time axis marks, shorter than the retention.
pub fn axis_marks(retention_ms: u64) -> impl Iterator<Item = (u64, &'static str)> {
    const S: u64 = 1_000;
    const H: u64 = 3_600 * S;
    [
        (S, "1 s"),
        (10 * S, "10 s"),
        (60 * S, "1 min"),
        (10 * 60 * S, "10 min"),
        (H, "1 h"),
        (6 * H, "6 h"),
        (12 * H, "12 h"),
        (24 * H, "1 d"),
        (7 * 24 * H, "7 d"),
        (30 * 24 * H, "30 d"),
        (100 * 24 * H, "100 d"),
    ]
    .into_iter()
    .filter(move |&(ms, _)| ms < retention_ms)
}

/// A box on the picture: `(x0, y0, x1, y1)`.
pub type TextBox = (f64, f64, f64, f64);

/// The box a text shape takes, as `(x0, y0, x1, y1)`, by [`text_w`]'s estimate of
/// its width: from the cap height above the baseline to the descenders below.
pub fn text_box(shape: &Shape) -> Option<TextBox> {
    let Shape::Text {
        x,
        y,
        text,
        align,
        size_px,
        bold,
        ..
    } = shape
    else {
        return None;
    };
    let w = if *bold {
        bold_text_w(text, *size_px)
    } else {
        text_w(text, *size_px)
    };
    let x0 = match align {
        Align::Left => *x,
        Align::Right => x - w,
        Align::Center => x - w / 2.0,
    };
    Some((x0, y - 0.74 * size_px, x0 + w, y + 0.2 * size_px))
}

/// The pairs of texts on the picture whose boxes ([`text_box`]) overlap.
pub fn overlapping_texts(p: &Picture) -> Vec<(String, String)> {
    let boxes: Vec<(&str, TextBox)> = p
        .shapes
        .iter()
        .filter_map(|s| match s {
            Shape::Text { text, .. } if !text.trim().is_empty() => {
                Some((text.as_str(), text_box(s)?))
            }
            _ => None,
        })
        .collect();
    let mut out = Vec::new();
    for (i, (a, ba)) in boxes.iter().enumerate() {
        for (b, bb) in &boxes[i + 1..] {
            if ba.0 < bb.2 && bb.0 < ba.2 && ba.1 < bb.3 && bb.1 < ba.3 {
                out.push((a.to_string(), b.to_string()));
            }
        }
    }
    out
}

/// About how wide `text` is in bold at `size_px`: a tenth wider than [`text_w`].
pub fn bold_text_w(text: &str, size_px: f64) -> f64 {
    text_w(text, size_px) * 1.1
}

/// Whether `text` at `size_px` fits in `room` px, with a twentieth to spare: the
/// browser's sans-serif runs a little wider than [`text_w`] guesses.
pub fn fits_in(text: &str, size_px: f64, room: f64) -> bool {
    text_w(text, size_px) * 1.05 <= room
}

/// `text` cut short with an ellipsis so that it [`fits_in`] `room` px at `size_px`
/// (as it is when it fits already).
pub fn shortened(text: &str, size_px: f64, room: f64) -> String {
    if fits_in(text, size_px, room) {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    (1..chars.len())
        .rev()
        .map(|n| chars[..n].iter().collect::<String>() + "…")
        .find(|t| fits_in(t, size_px, room))
        .unwrap_or_else(|| "…".to_string())
}

/// About how wide `text` is at `size_px` (the canvas's sans-serif averages a little
/// over half its size a character).
pub fn text_w(text: &str, size_px: f64) -> f64 {
    text.chars().count() as f64 * size_px * 0.56
}

/// The lost bucket under the lanes, the destinations' boxes and the give-ups on their
/// way there. Returns the picture's height.
#[allow(clippy::too_many_arguments)]
fn under_lanes(
    p: &mut Painter<'_>,
    layout: &LaneLayout,
    top: f64,
    right: f64,
    lost: u64,
    input: &StreamInput<'_>,
    theme: &Theme,
    drawn: &mut Drawn,
) -> f64 {
    // Beside a destination box on the same row, the mappings' lines stop short of it.
    let text_right = if input.mappings.iter().any(|m| m.destination.is_some())
        && destinations_beside(layout, right)
    {
        right - DESTINATION_W_PX - 12.0
    } else {
        right
    };
    let height_px = bucket(
        p,
        layout,
        top,
        text_right,
        lost,
        drawn.pouring,
        input,
        theme,
    );
    let (box_top, h) = destinations(p, layout, height_px, right, input, theme, drawn);
    if let Some(target) = box_top {
        give_ups_travel(p, layout, target, input, theme, drawn);
    }
    h
}

#[cfg(test)]
mod tests;
