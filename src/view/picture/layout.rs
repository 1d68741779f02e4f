//! Where the lanes go: the picture's sizes, the roomy and compact layouts, and where
//! a record of a shard lies on its tube.

use super::*;

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

pub(super) const PAD_PX: f64 = 12.0;
pub(super) const HEADER_PX: f64 = 24.0;
pub(super) const LANE_WIDE_PX: f64 = 84.0;
pub(super) const LANE_NARROW_PX: f64 = 100.0;
pub(super) const TUBE_PX: f64 = 18.0;
/// Roomy lanes: the tube's offset under the lane's text, leaving a band between them
/// where batches in flight lift towards the functions.
pub(super) const ROOMY_TUBE_DY_PX: f64 = 48.0;
/// The lifted batch's height.
pub(super) const PACKET_PX: f64 = 13.0;
/// The compact layout's label column, left of the tubes.
pub(super) const LABEL_COLUMN_PX: f64 = 70.0;
/// Room right of the tubes for the producers and their arrows.
pub(super) const GUTTER_PX: f64 = 64.0;
/// The producers' bar at the right edge.
pub(super) const PRODUCER_BAR_PX: f64 = 10.0;
/// A give-up takes at least this long, in simulated ms, to travel to its destination.
pub const TRAVEL_MS_MIN: u64 = 3_000;
pub(super) const BUCKET_PX: f64 = 58.0;
pub(super) const FONT_PX: f64 = 12.0;
pub(super) const SMALL_FONT_PX: f64 = 11.0;
/// Poison pills and batches stay at least this wide and tall, however thin the lane.
pub(super) const SPECIAL_MIN_PX: f64 = 4.0;

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
