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

use crate::sim::{BatchState, BatchView, MappingView, ShardView, SimTime, Snapshot};
use crate::view::format::{count, grouped, per_s};

mod hit;
mod labels;
mod lane;
mod layout;
mod producer;
mod shapes;
mod sink;
mod theme;

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
    let width_px = width_px.max(2.0 * PAD_PX + GUTTER_PX + LABEL_COLUMN_PX + 60.0);
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
    let layout = LaneLayout::new(shards.len(), width_px);
    drawn.lane_ys = (0..shards.len())
        .map(|i| (layout.tube_top(i) + layout.tube_px / 2.0).round() as i64)
        .collect();
    drawn.tube_xs = (
        layout.tube_left_px.round() as i64,
        layout.tube_right_px.round() as i64,
    );
    headings(&mut p, &layout, right);
    let fullest = shards.iter().map(|s| s.records).max().unwrap_or(0);
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
    for (i, shard) in shards.iter().enumerate() {
        let lane = Lane::new(&layout, i, shard, fullest);
        lane_fill(&mut p, &lane, input.mappings, theme);
        lane_ticks(&mut p, &lane, theme);
        for (j, m) in input.mappings.iter().enumerate() {
            mapping_on_lane(&mut p, &mut specials, &lane, j, m, input, theme, &mut drawn);
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
    }
    if layout.pitch_px < SHARED_ARROW_PITCH_PX
        && shared_arrow(&mut p, &layout, shards, right, theme)
    {
        drawn.producer_arrows = 1;
    }
    p.shapes.append(&mut specials);

    let mut height_px = layout.bottom(shards.len()) + 6.0;
    if let Some(lost) = input.lost {
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

/// The words over the lanes: which end is which, and the producer.
fn headings(p: &mut Painter<'_>, layout: &LaneLayout, right: f64) {
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
    let height_px = bucket(p, layout, top, text_right, lost, input, theme);
    let (box_top, h) = destinations(p, layout, height_px, right, input, theme, drawn);
    if let Some(target) = box_top {
        give_ups_travel(p, layout, target, input, theme, drawn);
    }
    h
}

#[cfg(test)]
mod tests;
