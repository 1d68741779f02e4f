//! Which record is under a point of the picture (a click).

use super::*;

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
