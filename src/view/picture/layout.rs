//! Where the lanes go: the picture's sizes, the roomy and compact layouts, and where
//! a record of a shard lies on its tube.

use super::*;
use crate::sim::SimDuration;

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
/// Room left of the tubes for the drain: what reaches the trim horizon unread pours
/// down it into the lost bucket.
pub(super) const DRAIN_PX: f64 = 16.0;
/// Room right of the tubes for the producers and their arrows.
pub(super) const GUTTER_PX: f64 = 64.0;
/// The producers' bar at the right edge.
pub(super) const PRODUCER_BAR_PX: f64 = 10.0;
/// A give-up takes at least this long, in simulated ms, to travel to its destination.
pub const TRAVEL_MS_MIN: u64 = 3_000;
pub(super) const BUCKET_PX: f64 = 58.0;
pub(super) const FONT_PX: f64 = 13.0;
pub(super) const SMALL_FONT_PX: f64 = 12.0;
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
        Self::scaled(shards, width_px, 1.0)
    }

    /// As [`LaneLayout::new`], for a picture drawn `scale` times its design size:
    /// thin lanes then share at most [`LANES_HEIGHT_MAX_PX`] CSS pixels (not design
    /// ones), so that a large picture of many shards still fits a screen.
    pub fn scaled(shards: usize, width_px: f64, scale: f64) -> Self {
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
                tube_left_px: PAD_PX + DRAIN_PX,
                tube_right_px: right,
                label_every: 1,
            };
        }
        let height_max = if wide {
            LANES_HEIGHT_MAX_PX
        } else {
            LANES_HEIGHT_MAX_PX * 0.8
        } / scale.max(1.0);
        let pitch = (height_max / shards as f64).clamp_to(PITCH_MIN_PX, PITCH_MAX_PX);
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
            tube_left_px: PAD_PX + LABEL_COLUMN_PX + DRAIN_PX,
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

/// The tube's time axis: the write head is now, the tube's left end is now minus the
/// retention (the trim horizon of a full shard). A record `a` old lies a share
/// `(a / retention)^AXIS_POWER` of the tube back from the head: stretched near the
/// head, so the last second and the last day both read (at 24 hours' retention, 1 s
/// is 6% of the tube, 1 min 16%, 1 h 45%, 12 h 84%).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TimeAxis {
    pub now: SimTime,
    pub retention_ms: u64,
    pub left_px: f64,
    pub right_px: f64,
}

/// The time axis's power: 1 is linear; smaller stretches the recent end more.
pub const AXIS_POWER: f64 = 0.25;

impl TimeAxis {
    pub fn new(layout: &LaneLayout, now: SimTime, retention: SimDuration) -> Self {
        TimeAxis {
            now,
            retention_ms: retention.as_ms().max(1),
            left_px: layout.tube_left_px,
            right_px: layout.tube_right_px,
        }
    }

    fn width(&self) -> f64 {
        self.right_px - self.left_px
    }

    /// The x of an age in ms (clamped to the tube).
    pub fn x_of_age(&self, age_ms: u64) -> f64 {
        let share =
            (age_ms.min(self.retention_ms) as f64 / self.retention_ms as f64).powf(AXIS_POWER);
        self.right_px - share * self.width()
    }

    /// The x of a record that arrived at `t` (a record of the current second that has
    /// not arrived yet stands at the head).
    pub fn x_of(&self, t: SimTime) -> f64 {
        self.x_of_age(self.now.0.saturating_sub(t.0))
    }

    /// The age at `x`, in ms: the inverse of [`TimeAxis::x_of_age`].
    pub fn age_at(&self, x: f64) -> u64 {
        let share = ((self.right_px - x) / self.width()).clamp_to(0.0, 1.0);
        (share.powf(1.0 / AXIS_POWER) * self.retention_ms as f64).round() as u64
    }
}

/// A shard's knots `(index, arrival)`: its timeline, or, for a view without one, its
/// records spread evenly from the oldest arrival to now.
pub fn knots(shard: &ShardView, now: SimTime) -> std::borrow::Cow<'_, [(u64, SimTime)]> {
    if !shard.timeline.is_empty() || shard.records == 0 {
        return std::borrow::Cow::Borrowed(&shard.timeline);
    }
    let oldest = shard.oldest_arrival.unwrap_or(now);
    std::borrow::Cow::Owned(vec![
        (shard.trim_horizon, oldest),
        (
            shard.write_head.saturating_sub(1).max(shard.trim_horizon),
            now,
        ),
    ])
}

/// When the record at `index` arrived, by the knots (between two knots records
/// arrived evenly); before the first knot, the first's; after the last, the last's.
pub fn arrival_of(knots: &[(u64, SimTime)], index: u64) -> Option<SimTime> {
    let k = knots.partition_point(|&(i, _)| i <= index);
    match (k.checked_sub(1).and_then(|k| knots.get(k)), knots.get(k)) {
        (Some(&(i0, t0)), Some(&(i1, t1))) => {
            let share = (index - i0) as f64 / (i1 - i0).max(1) as f64;
            Some(SimTime(
                t0.0 + (share * t1.0.saturating_sub(t0.0) as f64) as u64,
            ))
        }
        (Some(&(_, t)), None) | (None, Some(&(_, t))) => Some(t),
        (None, None) => None,
    }
}

/// The first record that arrived at or after `t`, by the knots (the inverse of
/// [`arrival_of`]); `None` if every record arrived before `t`.
pub fn index_at(knots: &[(u64, SimTime)], t: SimTime) -> Option<u64> {
    let k = knots.partition_point(|&(_, a)| a < t);
    let &(i1, t1) = knots.get(k)?;
    let Some(&(i0, t0)) = k.checked_sub(1).and_then(|k| knots.get(k)) else {
        return Some(i1);
    };
    let share = (t.0 - t0.0) as f64 / t1.0.saturating_sub(t0.0).max(1) as f64;
    Some((i0 + (share * (i1 - i0) as f64).ceil() as u64).min(i1))
}

/// Whether the records between two neighbouring knots are a flow (drawn filled)
/// rather than two records with nothing between them (an empty stretch of tube).
pub fn flows_between(a: (u64, SimTime), b: (u64, SimTime)) -> bool {
    b.0 - a.0 > 1 || b.1 .0.saturating_sub(a.1 .0) <= 1_000
}
