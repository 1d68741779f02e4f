//! One shard's lane, layer by layer: the tube and its fill, records put one by one,
//! each mapping's blocked hatch, batches and iterator marker, pills, the followed
//! record, and the lane's words.

use super::*;

/// One shard's lane as the layers draw it: where its tube is and where each record
/// of it lies.
pub(super) struct Lane<'a> {
    pub layout: &'a LaneLayout,
    pub i: usize,
    pub shard: &'a ShardView,
    pub tube_y: f64,
    pub tube_h: f64,
    pub tube_right: f64,
    pub tube_w: f64,
    pub fill_w: f64,
    pub px_per_record: f64,
    pub radius: f64,
}

impl<'a> Lane<'a> {
    pub fn new(layout: &'a LaneLayout, i: usize, shard: &'a ShardView, fullest: u64) -> Self {
        let tube_w = layout.tube_w();
        Lane {
            layout,
            i,
            shard,
            tube_y: layout.tube_top(i),
            tube_h: layout.tube_px,
            tube_right: layout.tube_right_px,
            tube_w,
            fill_w: fill_width(shard.records, fullest, tube_w),
            px_per_record: if fullest == 0 {
                0.0
            } else {
                tube_w / fullest as f64
            },
            radius: if layout.roomy {
                layout.tube_px / 2.0
            } else {
                0.0
            },
        }
    }

    /// The x of the record at `index`.
    pub fn x_of(&self, index: u64) -> f64 {
        record_x(
            index,
            self.shard,
            self.px_per_record,
            self.tube_right,
            self.fill_w,
        )
    }
}

/// The tube, and its fill: processed records (left of the slowest iterator) and
/// waiting ones.
pub(super) fn lane_fill(
    p: &mut Painter<'_>,
    lane: &Lane<'_>,
    mappings: &[MappingView],
    theme: &Theme,
) {
    let (layout, shard) = (lane.layout, lane.shard);
    let (tube_y, tube_h, tube_right, radius) =
        (lane.tube_y, lane.tube_h, lane.tube_right, lane.radius);
    if layout.roomy || layout.pitch_px >= 4.0 {
        p.shapes.push(Shape::Rect {
            x: layout.tube_left_px,
            y: tube_y,
            w: lane.tube_w,
            h: tube_h,
            radius,
            fill: theme.track,
            stroke: None,
        });
    }
    // The slowest iterator splits processed records (left) from waiting ones.
    let slowest = mappings
        .iter()
        .filter_map(|m| m.positions.get(lane.i).copied())
        .min();
    if lane.fill_w <= 0.0 {
        return;
    }
    let fill_left = tube_right - lane.fill_w;
    let waiting_left = match slowest {
        Some(pos) if pos > shard.trim_horizon => lane.x_of(pos),
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

/// Records put one by one: thin ticks, when the lane has room.
pub(super) fn lane_ticks(p: &mut Painter<'_>, lane: &Lane<'_>, theme: &Theme) {
    if lane.tube_h < 8.0 {
        return;
    }
    for mark in lane.shard.marks.iter().filter(|m| !m.poison) {
        let x = lane.x_of(mark.index);
        p.line(
            (x, lane.tube_y + 2.0),
            (x, lane.tube_y + lane.tube_h - 2.0),
            1.0,
            theme.text,
        );
    }
}

/// Mapping `j` on this lane: the blocked hatch, its batches, its iterator marker.
#[allow(clippy::too_many_arguments)]
pub(super) fn mapping_on_lane(
    p: &mut Painter<'_>,
    specials: &mut Vec<Shape>,
    lane: &Lane<'_>,
    j: usize,
    m: &MappingView,
    input: &StreamInput<'_>,
    theme: &Theme,
    drawn: &mut Drawn,
) {
    let (layout, i) = (lane.layout, lane.i);
    let (tube_y, tube_h, tube_right) = (lane.tube_y, lane.tube_h, lane.tube_right);
    let Some(&pos) = m.positions.get(i) else {
        return;
    };
    let x = if lane.fill_w > 0.0 {
        lane.x_of(pos)
    } else {
        tube_right
    };
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
        if !layout.roomy {
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
    if batches.is_empty() && m.busy.get(i).copied().unwrap_or(0) > 0 {
        // No batch detail (an older snapshot): a bracket at the iterator.
        let w = ahead.clamp(SPECIAL_MIN_PX + 2.0, 40.0).min(lane.tube_w);
        let x0 = x.min(tube_right - w);
        let b = Span {
            x0,
            x1: x0 + w,
            y: tube_y,
            h: tube_h,
        };
        bracket(specials, layout, b, false, theme);
        drawn.batches_in_flight += 1;
    }
    let cards = batch_spans(specials, lane, m, batches, theme, drawn);
    if !cards.is_empty() {
        drawn.lifted += batch_cards(specials, layout, i, &cards, input, theme);
    }
    marker(specials, layout, j, x, tube_y, tube_h, theme);
}

/// Each batch's bracket over its run of records (widened to be seen, halves of a
/// bisected batch side by side); returns the batches that get a card.
pub(super) fn batch_spans(
    specials: &mut Vec<Shape>,
    lane: &Lane<'_>,
    m: &MappingView,
    batches: &[BatchView],
    theme: &Theme,
    drawn: &mut Drawn,
) -> Vec<(Span, BatchView)> {
    let layout = lane.layout;
    let mut cards: Vec<(Span, BatchView)> = Vec::new();
    // The right end of the last batch drawn on each lane: halves of a small
    // batch, each widened to be seen, go side by side rather than on top.
    let mut prev_x1: Option<(u32, f64)> = None;
    for b in batches {
        let lanes = f64::from(m.lanes.max(1));
        let slice = lane.tube_h / lanes;
        let (mut x0, mut x1) = (lane.x_of(b.start), lane.x_of(b.end));
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
        if let Some((l, end)) = prev_x1 {
            if l == b.lane && x0 < end + 3.0 {
                let w = x1 - x0;
                x0 = end + 3.0;
                x1 = x0 + w;
            }
        }
        x0 = x0.clamp(layout.tube_left_px, lane.tube_right - min_w);
        x1 = x1.clamp(x0 + min_w.min(lane.tube_right - x0), lane.tube_right);
        prev_x1 = Some((b.lane, x1));
        let span = Span {
            x0,
            x1,
            y: lane.tube_y + f64::from(b.lane) * slice,
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
        bracket(specials, layout, span, waiting, theme);
        if layout.roomy && cards.len() < CARDS_PER_LANE_MAX {
            cards.push((span, *b));
        }
    }
    cards
}

/// Poison pills: vermillion with a hatch, never thinner than SPECIAL_MIN_PX.
pub(super) fn pills(specials: &mut Vec<Shape>, lane: &Lane<'_>, theme: &Theme) {
    let layout = lane.layout;
    for mark in lane.shard.marks.iter().filter(|m| m.poison) {
        let x = lane.x_of(mark.index);
        let w = lane.px_per_record.max(2.0 * SPECIAL_MIN_PX);
        let h = lane.tube_h.max(SPECIAL_MIN_PX + 2.0) + if layout.roomy { 4.0 } else { 0.0 };
        let (x0, y0) = (
            (x - w).max(layout.tube_left_px),
            lane.tube_y + lane.tube_h / 2.0 - h / 2.0,
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
}

/// The followed record: a ring and a pin, one record wide, on top. Returns whether
/// it is on this lane.
pub(super) fn followed(
    specials: &mut Vec<Shape>,
    lane: &Lane<'_>,
    input: &StreamInput<'_>,
    theme: &Theme,
) -> bool {
    let (layout, shard) = (lane.layout, lane.shard);
    let Some(t) = input.traced.filter(|t| t.shard as usize == lane.i) else {
        return false;
    };
    if t.index < shard.trim_horizon || t.index >= shard.write_head || lane.fill_w <= 0.0 {
        return false;
    }
    let (tube_y, tube_h, tube_right) = (lane.tube_y, lane.tube_h, lane.tube_right);
    let x = lane.x_of(t.index);
    let w = lane.px_per_record.max(6.0);
    let x0 = (x + lane.px_per_record / 2.0 - w / 2.0).clamp(layout.tube_left_px, tube_right - w);
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
    true
}

/// The lane's words (roomy lanes) or its label in the column (compact lanes), and the
/// highlight box of the shard the log or the table picked.
pub(super) fn lane_label(
    p: &mut Painter<'_>,
    specials: &mut Vec<Shape>,
    lane: &Lane<'_>,
    input: &StreamInput<'_>,
    right: f64,
    theme: &Theme,
) {
    let (layout, i, shard) = (lane.layout, lane.i, lane.shard);
    // A regular label too close to the highlighted lane's label gives way to it.
    let near_highlight = input.highlight.shard.is_some_and(|h| {
        let d = (h as usize).abs_diff(i) as f64 * layout.pitch_px;
        d > 0.0 && d < LABEL_PITCH_PX
    });
    let highlighted = input.highlight.shard == Some(i as u32);
    if layout.roomy {
        lane_text(p, layout, i, shard, input.mappings, right);
    } else if highlighted || (layout.labelled(i) && !near_highlight) {
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
            PAD_PX - 4.0
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

/// A batch's place on its lane.
#[derive(Clone, Copy, Debug)]
pub(super) struct Span {
    x0: f64,
    x1: f64,
    y: f64,
    h: f64,
}

/// The batches of shard `s` (a mapping's batches come shard by shard).
pub(super) fn shard_batches(batches: &[BatchView], s: u32) -> &[BatchView] {
    let from = batches.partition_point(|b| b.shard < s);
    let to = batches.partition_point(|b| b.shard <= s);
    batches.get(from..to).unwrap_or(&[])
}

pub(super) fn half_prefix(depth: u8) -> String {
    match depth {
        0 => String::new(),
        d => format!("{} ", half_label(d)),
    }
}

/// A batch's bracket over its run of records: solid while invoked, dashed while it
/// waits to be retried. Thin lanes get a filled bar instead.
pub(super) fn bracket(
    shapes: &mut Vec<Shape>,
    layout: &LaneLayout,
    b: Span,
    waiting: bool,
    theme: &Theme,
) {
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
pub(super) const CARDS_PER_LANE_MAX: usize = 4;

/// The card of a batch above its lane, magnified so it reads however few records it
/// holds: `λ 100` while invoked, lifting by the invocation's progress towards the
/// functions (not with reduced motion: then only the bracket shows it); a dashed
/// `retry 3` or `waits` while it waits. Halves of a bisected batch stand side by side
/// with their share (`½ λ 50`, `½ waits`), so the split reads at a glance. Each card
/// is tethered to its bracket.
pub(super) fn batch_cards(
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

/// An iterator marker: a bar across the lane in the text colour, with a head under
/// the tube pointing up on roomy lanes (the second mapping's head a little lower).
pub(super) fn marker(
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

pub(super) fn lane_text(
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
