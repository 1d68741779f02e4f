//! The producer: its bar at the right, an arrow into each write head, throttled puts
//! bouncing back.

use super::*;

/// The producers' bar at the right edge, beside every lane.
pub(super) fn producer_bar(
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
pub(super) const SHARED_ARROW_PITCH_PX: f64 = 3.0;

/// One arrow from the producer into all the thin lanes' write heads, as thick as the
/// shards' mean write rate makes it.
pub(super) fn shared_arrow(
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

/// The producer's arrow into lane `i`'s write head, thickening with the rate, the
/// write limit as a gate at the head (yellow while it throttles), and a throttled
/// put bouncing back off it: a yellow striped square moving away from the head.
#[allow(clippy::too_many_arguments)]
pub(super) fn producer_arrow(
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
    // The write limit: a gate at the write head, striped yellow while it refuses puts.
    if layout.roomy {
        let (gx, gw, gh) = (layout.tube_right_px + 1.0, 4.0, tube_h + 10.0);
        let gy = cy - gh / 2.0;
        if shard.throttled_last_s > 0 {
            specials.push(Shape::Rect {
                x: gx,
                y: gy,
                w: gw,
                h: gh,
                radius: 1.0,
                fill: theme.throttled,
                stroke: Some(theme.throttled_outline),
            });
        } else {
            p.rect(gx, gy, gw, gh, theme.muted);
        }
    }
    if shard.throttled_last_s > 0 {
        drawn.bounces += 1;
        let side = tube_h.clamp_to(2.0, 12.0);
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
