//! Which record is under a point of the picture (a click).

use super::*;

/// The record under the point `(x, y)` of the picture of `input` drawn `width_px`
/// wide (CSS pixels), as (shard, index): the lane from `y`, the record from `x` by its
/// age on the time axis (a record put one by one within a few pixels wins, so a pill
/// is easy to pick). `None` off the lanes or their fill.
pub fn record_at_point(
    input: &StreamInput<'_>,
    width_px: f64,
    x: f64,
    y: f64,
) -> Option<(u32, u64)> {
    let shards = input.shards;
    let scale = scale_of(input);
    let (width_px, x, y) = (logical_width(width_px, scale), x / scale, y / scale);
    let layout = LaneLayout::scaled(shards.len(), width_px, scale);
    let i = ((y - layout.top_px) / layout.pitch_px).floor();
    if i < 0.0 || i >= shards.len() as f64 {
        return None;
    }
    let i = i as usize;
    let shard = shards.get(i)?;
    let lane = Lane::new(
        &layout,
        i,
        shard,
        TimeAxis::new(&layout, input.now, input.retention),
    );
    if lane.fill_w <= 0.0 {
        return None;
    }
    let right = layout.tube_right_px;
    if x < right - lane.fill_w - 2.0 || x > right + 2.0 {
        return None;
    }
    let near = shard
        .marks
        .iter()
        .map(|m| (m, (lane.axis.x_of(m.arrival) - x).abs()))
        .filter(|(_, d)| *d <= 5.0)
        .min_by(|a, b| a.1.total_cmp(&b.1));
    if let Some((m, _)) = near {
        return Some((i as u32, m.index));
    }
    let arrival = SimTime(input.now.0.saturating_sub(lane.axis.age_at(x)));
    let index = index_at(&lane.knots, arrival)
        .unwrap_or(shard.write_head)
        .clamp(shard.trim_horizon, shard.write_head.saturating_sub(1));
    Some((i as u32, index))
}
