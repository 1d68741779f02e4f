//! Records that move (issue 13, item 3). Where the records near the write head are
//! far enough apart on the time axis, each is drawn as a bead of its own, so a reader
//! sees them arrive one by one and slide towards the trim horizon until they are too
//! close to tell apart and merge into the fill (records the core has written ahead
//! for the current second stay out of the picture until they arrive). Over the fill, flow marks anchored
//! at arrival times (every 100 ms, 1 s, 10 s, 1 min… whichever is far enough apart
//! at that age) ride the tube with the records, so even a stream at its write limit
//! is seen flowing, not a frozen bar. With reduced motion the beads stay (they are
//! the records) and the flow marks go.

use super::*;

/// Neighbouring records at least this far apart (design pixels) are drawn as beads.
pub const BEAD_GAP_PX: f64 = 7.0;

/// At most this many beads a lane (the gap already bounds them by the tube's width).
const BEADS_MAX: usize = 200;

/// Flow marks at least this far apart (design pixels).
pub const FLOW_GAP_PX: f64 = 14.0;

/// The arrival times flow marks are anchored at, in ms: each step a multiple of the
/// one before (at most 7 times it), so a mark keeps its place as it ages into a
/// coarser step, and marks stay within a few times [`FLOW_GAP_PX`] of each other.
const FLOW_STEPS_MS: [u64; 16] = [
    100,
    500,
    1_000,
    5_000,
    10_000,
    30_000,
    60_000,
    300_000,
    600_000,
    1_800_000,
    3_600_000,
    10_800_000,
    21_600_000,
    43_200_000,
    86_400_000,
    604_800_000,
];

/// At most this many flow marks a lane.
const FLOW_MARKS_MAX: usize = 120;

/// A lane's newest records, one bead each, newest first: `(index, x, diameter)`.
pub(super) struct Beads {
    pub beads: Vec<(u64, f64, f64)>,
    /// The fill is drawn up to here; the beads stand right of it.
    pub bar_end: f64,
}

/// Whether a lane has room for beads and flow marks.
fn roomy(lane: &Lane<'_>) -> bool {
    lane.tube_h >= 8.0
}

/// The lane's newest records that stand at least [`BEAD_GAP_PX`] from both
/// neighbours, walking back from the write head until two records are closer.
pub(super) fn beads_of(lane: &Lane<'_>) -> Beads {
    let mut out = Beads {
        beads: Vec::new(),
        bar_end: lane.tube_right,
    };
    let shard = lane.shard;
    if !roomy(lane) || shard.records == 0 || lane.knots.is_empty() {
        return out;
    }
    let oldest = shard.trim_horizon;
    let largest = (lane.tube_h * 0.7).round().max(4.0);
    // The core writes a second's records ahead of their arrival: the walk starts at
    // the newest that has arrived (the rest are not in the picture yet).
    let arrived_by = SimTime(lane.axis.now.0 + 1);
    let mut k = match index_at(&lane.knots, arrived_by) {
        Some(0) => return out,
        Some(first_ahead) => first_ahead - 1,
        None => shard.write_head.saturating_sub(1),
    };
    if k < oldest {
        return out;
    }
    let mut x = lane.x_of(k);
    let mut next_x = f64::INFINITY;
    loop {
        let older_x = if k > oldest {
            lane.x_of(k - 1)
        } else {
            f64::NEG_INFINITY
        };
        if next_x - x < BEAD_GAP_PX || x - older_x < BEAD_GAP_PX {
            break;
        }
        // As large as the tube allows, never touching a neighbour.
        let room = (next_x - x).min(x - older_x) - 1.5;
        out.beads.push((k, x, largest.min(room).max(4.0)));
        if k == oldest || out.beads.len() == BEADS_MAX {
            break;
        }
        (k, next_x, x) = (k - 1, x, older_x);
    }
    if let Some(&(_, x, d)) = out.beads.last() {
        // The fill stops just short of the oldest bead.
        out.bar_end = x - d / 2.0 - 1.0;
    }
    out
}

/// Draws the beads: each record a round mark in its state's colour (processed or
/// waiting), ringed with the background so neighbours read apart. Returns how many.
pub(super) fn beads(
    p: &mut Painter<'_>,
    lane: &Lane<'_>,
    beads: &Beads,
    mappings: &[MappingView],
    theme: &Theme,
) -> usize {
    let slowest = slowest_position(lane, mappings);
    for &(index, x, d) in &beads.beads {
        let y = lane.tube_y + (lane.tube_h - d) / 2.0;
        let fill = match slowest {
            Some(pos) if index < pos => theme.processed,
            _ => theme.waiting,
        };
        p.shapes.push(Shape::Rect {
            x: x - d / 2.0,
            y,
            w: d,
            h: d,
            radius: d / 2.0,
            fill,
            stroke: Some(theme.background),
        });
    }
    beads.beads.len()
}

/// The step of the flow marks at `age_ms`: the finest whose marks stand at least
/// [`FLOW_GAP_PX`] apart there.
fn flow_step_at(axis: &TimeAxis, age_ms: u64) -> u64 {
    let x = axis.x_of_age(age_ms);
    FLOW_STEPS_MS
        .iter()
        .copied()
        .find(|&s| x - axis.x_of_age(age_ms + s) >= FLOW_GAP_PX)
        .unwrap_or(FLOW_STEPS_MS[FLOW_STEPS_MS.len() - 1])
}

/// The arrival times of the flow marks drawn on a lane, newest first, with their x:
/// multiples of the step of their own age, within stretches that hold a flow of
/// records, left of the beads.
pub(super) fn flow_marks_of(lane: &Lane<'_>, bar_end: f64) -> Vec<(SimTime, f64)> {
    let mut out = Vec::new();
    let (Some(&(_, first)), Some(&(_, last))) = (lane.knots.first(), lane.knots.last()) else {
        return out;
    };
    if !roomy(lane) {
        return out;
    }
    let axis = &lane.axis;
    let now = axis.now.0;
    let mut t = now.min(last.0 + 1);
    // Each pass moves back by at least one step of the age reached, so the walk ends
    // within a few passes per mark.
    for _ in 0..FLOW_MARKS_MAX * 12 {
        let step = flow_step_at(axis, now.saturating_sub(t));
        let m = t.saturating_sub(1) / step * step;
        if m < first.0 || t == 0 || out.len() == FLOW_MARKS_MAX {
            break;
        }
        t = m;
        if m % flow_step_at(axis, now - m) != 0 {
            continue;
        }
        let x = axis.x_of(SimTime(m));
        if x >= bar_end - 1.0 || x <= lane.tube_right - lane.fill_w {
            continue;
        }
        let k = lane.knots.partition_point(|&(_, a)| a.0 <= m);
        let flowing = match (k.checked_sub(1).map(|k| lane.knots[k]), lane.knots.get(k)) {
            (Some(a), Some(&b)) => flows_between(a, b),
            _ => false,
        };
        if flowing {
            out.push((SimTime(m), x));
        }
    }
    out
}

/// Draws the flow marks over the lane's fill `pieces` ([`Lane::filled`]): a chevron
/// pointing towards the trim horizon, the way the records travel, in a shade of the
/// fill it stands on (processed left of `split`). Returns how many.
pub(super) fn flow_marks(
    p: &mut Painter<'_>,
    lane: &Lane<'_>,
    pieces: &[(f64, f64, f64)],
    split: f64,
    theme: &Theme,
) -> usize {
    let marks = flow_marks_of(lane, lane.bar_end);
    if marks.is_empty() {
        return 0;
    }
    let mid = lane.tube_y + lane.tube_h / 2.0;
    for &(_, x) in &marks {
        let Some(&(_, _, h)) = pieces.iter().find(|&&(x0, x1, _)| x0 <= x && x <= x1) else {
            continue;
        };
        let c = (h * 0.4).clamp_to(2.5, 5.0);
        let stroke = if x < split {
            theme.flow_on_processed
        } else {
            theme.flow_on_waiting
        };
        p.line((x + c, mid - c), (x, mid), 1.5, stroke);
        p.line((x, mid), (x + c, mid + c), 1.5, stroke);
    }
    marks.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::ShardView;

    /// A shard whose records `0..n` arrived evenly from `from_ms` to `to_ms`.
    fn shard(n: u64, from_ms: u64, to_ms: u64) -> ShardView {
        ShardView {
            shard_id: "shardId-000000000000".to_string(),
            records: n,
            bytes: n * 100,
            oldest_arrival: Some(SimTime(from_ms)),
            incoming_last_s: 0,
            throttled_last_s: 0,
            trim_horizon: 0,
            write_head: n,
            marks: Vec::new(),
            timeline: vec![(0, SimTime(from_ms)), (n - 1, SimTime(to_ms))],
        }
    }

    fn lane_at<'a>(layout: &'a LaneLayout, s: &'a ShardView, now_ms: u64) -> Lane<'a> {
        let axis = TimeAxis::new(layout, SimTime(now_ms), SimDuration::from_hours(24));
        Lane::new(layout, 0, s, axis)
    }

    #[test]
    fn records_a_second_apart_are_beads_and_a_flow_at_the_write_limit_is_not() {
        let layout = LaneLayout::new(1, 1200.0);
        // One record a second for ten seconds, the last one just now.
        let slow = shard(10, 1_000, 10_000);
        let lane = lane_at(&layout, &slow, 10_000);
        let b = beads_of(&lane);
        // The axis is stretched at the head: the newest seconds stand apart, older
        // ones close up into the fill.
        assert!(b.beads.len() >= 3, "{} beads", b.beads.len());
        assert!(b.beads.windows(2).all(|w| w[0].1 - w[1].1 >= BEAD_GAP_PX));
        assert!(
            b.bar_end < b.beads.last().unwrap().1,
            "the fill stops short"
        );

        // 1,000 records a second for a minute: only the newest few stand apart.
        let fast = shard(60_000, 0, 60_000);
        let lane = lane_at(&layout, &fast, 60_000);
        let b = beads_of(&lane);
        assert!(b.beads.len() < 10, "{} beads", b.beads.len());
        assert!(b.bar_end > layout.tube_right_px - 60.0);
    }

    #[test]
    fn flow_marks_ride_the_tube_with_the_records() {
        let layout = LaneLayout::new(1, 1200.0);
        // An hour at the write limit, then five seconds later.
        let s = shard(3_600_000, 0, 3_600_000);
        let before = flow_marks_of(&lane_at(&layout, &s, 3_600_000), layout.tube_right_px);
        let after = flow_marks_of(&lane_at(&layout, &s, 3_605_000), layout.tube_right_px);
        assert!(before.len() >= 8, "{} marks", before.len());
        assert!(before
            .windows(2)
            .all(|w| w[0].1 - w[1].1 >= FLOW_GAP_PX - 0.5));
        // A mark keeps its arrival time and moves left, towards the trim horizon.
        let mut moved = 0;
        for (t, x) in &before {
            if let Some((_, x2)) = after.iter().find(|(t2, _)| t2 == t) {
                assert!(x2 < x, "the mark of {t:?} went from {x} to {x2}");
                moved += 1;
            }
        }
        assert!(moved >= 4, "{moved} marks kept their place in the flow");
    }

    #[test]
    fn no_flow_marks_where_nothing_was_written() {
        let layout = LaneLayout::new(1, 1200.0);
        // Records for the first half hour, then nothing for ten minutes.
        let s = shard(1_800_000, 0, 1_800_000);
        let now = 2_400_000;
        let lane = lane_at(&layout, &s, now);
        let marks = flow_marks_of(&lane, layout.tube_right_px);
        assert!(!marks.is_empty());
        assert!(marks.iter().all(|(t, _)| t.0 <= 1_800_000), "{marks:?}");
    }
}
