//! One shard's lane, layer by layer: the tube and its fill, records put one by one,
//! each mapping's blocked hatch, batches and iterator marker, pills, the followed
//! record, and the lane's words.

use super::*;

/// One shard's lane as the layers draw it: where its tube is and where each record
/// of it lies (by its age, on the picture's time axis).
pub(super) struct Lane<'a> {
    pub layout: &'a LaneLayout,
    pub i: usize,
    pub shard: &'a ShardView,
    pub axis: TimeAxis,
    pub knots: std::borrow::Cow<'a, [(u64, SimTime)]>,
    pub tube_y: f64,
    pub tube_h: f64,
    pub tube_right: f64,
    pub tube_w: f64,
    /// From the oldest record to the write head; 0 for an empty shard.
    pub fill_w: f64,
    pub radius: f64,
    /// Where batch cards already stand above the lane, `(x0, x1)`: the next
    /// mapping's cards go beside them, never on top.
    pub cards_taken: Vec<(f64, f64)>,
    /// Where the mappings' numbers already stand under the lane.
    pub numbers_taken: Vec<(f64, f64)>,
    /// The fill stops here; the newest records right of it are beads (`flow`).
    pub bar_end: f64,
}

impl<'a> Lane<'a> {
    pub fn new(layout: &'a LaneLayout, i: usize, shard: &'a ShardView, axis: TimeAxis) -> Self {
        let knots = knots(shard, axis.now);
        let fill_w = match knots.first() {
            Some(&(_, oldest)) if shard.records > 0 => (axis.right_px - axis.x_of(oldest)).max(2.0),
            _ => 0.0,
        };
        Lane {
            layout,
            i,
            shard,
            axis,
            knots,
            tube_y: layout.tube_top(i),
            tube_h: layout.tube_px,
            tube_right: layout.tube_right_px,
            tube_w: layout.tube_w(),
            fill_w,
            radius: if layout.roomy {
                layout.tube_px / 2.0
            } else {
                0.0
            },
            cards_taken: Vec::new(),
            numbers_taken: Vec::new(),
            bar_end: layout.tube_right_px,
        }
    }

    /// The x of the record at `index`: the write head for one not written yet, the
    /// oldest record's place for one already trimmed.
    pub fn x_of(&self, index: u64) -> f64 {
        if index >= self.shard.write_head {
            return self.tube_right;
        }
        match arrival_of(&self.knots, index.max(self.shard.trim_horizon)) {
            Some(t) => self.axis.x_of(t),
            None => self.tube_right,
        }
    }

    /// The stretches of tube that hold records, left to right, as `(x0, x1, h)`:
    /// one for a steady flow, several where nothing arrived for a while or the rate
    /// changed. `h` is the fill's height: the tube's at a shard's write limit of
    /// 1,000 records/s, less for slower flows (never under a third of it).
    pub fn filled(&self) -> Vec<(f64, f64, f64)> {
        let mut out: Vec<(f64, f64, f64)> = Vec::new();
        if self.fill_w <= 0.0 {
            return out;
        }
        // Thin lanes keep the whole height (and one piece a stretch: fewer shapes).
        let thin = !self.layout.roomy && self.tube_h < 8.0;
        let height = |per_s: f64| {
            if thin {
                self.tube_h
            } else {
                (self.tube_h * (per_s / 1_000.0).clamp_to(0.34, 1.0)).round()
            }
        };
        for w in self.knots.windows(2) {
            if !flows_between(w[0], w[1]) {
                continue;
            }
            let (x0, x1) = (self.axis.x_of(w[0].1), self.axis.x_of(w[1].1));
            let ms = w[1].1 .0.saturating_sub(w[0].1 .0).max(1);
            let h = height((w[1].0 - w[0].0) as f64 * 1_000.0 / ms as f64);
            match out.last_mut() {
                Some(last) if x0 <= last.1 + 1.0 && (last.2 - h).abs() < 1.0 => {
                    last.1 = last.1.max(x1);
                }
                _ => out.push((x0, x1, h)),
            }
        }
        // The newest records reach the head; a lone record shows as a sliver.
        match out.last_mut() {
            Some(last) if self.tube_right - last.1 < 2.0 => last.1 = self.tube_right,
            _ => {
                let x = self
                    .knots
                    .last()
                    .map_or(self.tube_right, |k| self.axis.x_of(k.1));
                out.push((
                    (x - 1.0).max(self.tube_right - self.fill_w),
                    (x + 1.0).min(self.tube_right),
                    self.tube_h,
                ));
            }
        }
        out
    }
}

/// The tube, and its fill from the oldest record to the write head: processed
/// records (left of the slowest iterator) and waiting ones, as thick as the rate they
/// were written at (the whole tube at the write limit); stretches of time when
/// nothing arrived stay empty.
pub(super) fn lane_fill(
    p: &mut Painter<'_>,
    lane: &Lane<'_>,
    pieces: &[(f64, f64, f64)],
    split: f64,
    theme: &Theme,
) {
    let layout = lane.layout;
    let (tube_y, tube_h, radius) = (lane.tube_y, lane.tube_h, lane.radius);
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
    // Thin lanes keep the whole height: a fuller shard reads by its length there.
    let thin = !layout.roomy && tube_h < 8.0;
    let mut piece = |x0: f64, x1: f64, h: f64, fill: &'static str| {
        let x1 = x1.min(lane.bar_end);
        if x1 - x0 < 0.5 {
            return;
        }
        let h = if thin { tube_h } else { h.max(1.0) };
        p.shapes.push(Shape::Rect {
            x: x0,
            y: tube_y + (tube_h - h) / 2.0,
            w: x1 - x0,
            h,
            radius: radius.min((x1 - x0) / 2.0).min(h / 2.0),
            fill,
            stroke: None,
        });
    };
    for &(x0, x1, h) in pieces {
        if split > x0 {
            piece(x0, split.min(x1), h, theme.processed);
        }
        if split < x1 {
            // Waiting records stay at least a sliver wide.
            let from = split.max(x0).min(x1 - 2.0);
            piece(from, x1, h, theme.waiting);
        }
    }
}

/// The slowest mapping's position in the lane's shard: records before it are
/// processed by every mapping.
pub(super) fn slowest_position(lane: &Lane<'_>, mappings: &[MappingView]) -> Option<u64> {
    mappings
        .iter()
        .filter_map(|m| m.positions.get(lane.i).copied())
        .min()
}

/// Where the slowest iterator splits processed records (left of it) from waiting
/// ones (right), in x; minus infinity when nothing is processed.
pub(super) fn processed_split(lane: &Lane<'_>, mappings: &[MappingView]) -> f64 {
    match slowest_position(lane, mappings) {
        Some(pos) if pos > lane.shard.trim_horizon => lane.x_of(pos),
        _ => f64::NEG_INFINITY,
    }
}

/// The time axis's marks across the tube, as thin gaps in its fill: a ruler.
pub(super) fn axis_ticks_on(p: &mut Painter<'_>, lane: &Lane<'_>, marks: &[f64], theme: &Theme) {
    if lane.tube_h < 6.0 {
        return;
    }
    for &x in marks {
        p.line(
            (x, lane.tube_y),
            (x, lane.tube_y + lane.tube_h),
            1.0,
            theme.background,
        );
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

/// A shard in resharding (issue 15, item 10): a closed one gets a cap where its
/// writes ended and, in the empty tube after it, the shards its hash keys went to; a
/// child names the shards it came from in the empty tube before its first record. On
/// roomy lanes the words go in the lane's line (`lane_text`) and only the cap is here.
pub(super) fn resharded(
    p: &mut Painter<'_>,
    lane: &Lane<'_>,
    lineage: Option<&ShardLineage>,
    theme: &Theme,
) {
    const GAP_PX: f64 = 6.0;
    let Some(l) = lineage else {
        return;
    };
    let closed_x = l
        .closed_at
        .filter(|_| l.status != ShardStatus::Open)
        .map(|t| lane.axis.x_of(t).min(lane.tube_right));
    if let Some(x) = closed_x {
        p.rect(x - 1.0, lane.tube_y, 2.0, lane.tube_h, theme.text);
    }
    if lane.layout.roomy || lane.tube_h < SMALL_FONT_PX + 2.0 {
        return;
    }
    let y = lane.tube_y + lane.tube_h / 2.0 + SMALL_FONT_PX * 0.35;
    // The longest of the closed shard's wordings that fits: after the cap, or (when
    // it closed a moment ago) joined to the words before its first record.
    let first = if lane.fill_w > 0.0 {
        lane.tube_right - lane.fill_w
    } else {
        lane.tube_right
    };
    let room_before = first - lane.layout.tube_left_px - 2.0 * GAP_PX;
    let before = |p: &mut Painter<'_>, w: &str| {
        let fits = fits_in(w, SMALL_FONT_PX, room_before);
        if fits {
            p.text(first - GAP_PX, y, w.to_string(), Align::Right, Style::Small);
        }
        fits
    };
    let from = parent_words(l);
    if let Some(x) = closed_x {
        let room_after = lane.tube_right - x - 2.0 * GAP_PX;
        for c in closed_words(l) {
            if fits_in(&c, SMALL_FONT_PX, room_after) {
                p.text(x + GAP_PX, y, c, Align::Left, Style::Small);
                break;
            }
            let joined = from.as_ref().map_or(c.clone(), |f| format!("{f} · {c}"));
            if before(p, &joined) {
                return;
            }
        }
    }
    if let Some(f) = from {
        before(p, &f);
    }
}

/// Mapping `j` on this lane: the blocked hatch, its batches, its iterator marker.
#[allow(clippy::too_many_arguments)]
pub(super) fn mapping_on_lane(
    p: &mut Painter<'_>,
    specials: &mut Vec<Shape>,
    lane: &mut Lane<'_>,
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
        let w = ahead.clamp_to(SPECIAL_MIN_PX + 2.0, 40.0).min(lane.tube_w);
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
        let tag = mapping_tag(j, input.mappings.len());
        let mut taken = std::mem::take(&mut lane.cards_taken);
        drawn.lifted += batch_cards(specials, layout, i, &cards, &tag, &mut taken, input, theme);
        lane.cards_taken = taken;
    }
    marker(
        specials,
        layout,
        (j, input.mappings.len()),
        x,
        tube_y,
        tube_h,
        theme,
    );
    if layout.roomy && input.mappings.len() > 1 {
        mapping_number(specials, lane, j, x, theme);
    }
}

/// Mapping `j`'s number beside its marker's head, right of the numbers already
/// there (left of them near the write head).
fn mapping_number(specials: &mut Vec<Shape>, lane: &mut Lane<'_>, j: usize, x: f64, theme: &Theme) {
    let w = bold_text_w(&(j + 1).to_string(), SMALL_FONT_PX) + 3.0;
    let free = |x0: f64, taken: &[(f64, f64)]| !taken.iter().any(|&(a, z)| x0 < z && a < x0 + w);
    let mut x0 = x + 7.0;
    while !free(x0, &lane.numbers_taken) {
        x0 += w;
    }
    if x0 + w > lane.tube_right + 6.0 {
        x0 = x - 7.0 - w;
        while !free(x0, &lane.numbers_taken) {
            x0 -= w;
        }
    }
    lane.numbers_taken.push((x0, x0 + w));
    specials.push(Shape::Text {
        x: x0,
        y: lane.tube_y + lane.tube_h + 17.0,
        text: (j + 1).to_string(),
        align: Align::Left,
        size_px: SMALL_FONT_PX,
        bold: true,
        colour: theme.text,
    });
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
        x0 = x0.clamp_to(layout.tube_left_px, lane.tube_right - min_w);
        x1 = x1.clamp_to(x0 + min_w.min(lane.tube_right - x0), lane.tube_right);
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
        let w = 2.0 * SPECIAL_MIN_PX;
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
    let w = 6.0;
    let x0 = (x - w / 2.0).clamp_to(layout.tube_left_px, tube_right - w);
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
    // Its word, unless a batch card stands there (the ring and pin still say it).
    let tx = cx.clamp_to(layout.tube_left_px + 24.0, tube_right - 24.0);
    let half = text_w("followed", 12.0) * 0.55 + 4.0;
    let clear = !lane
        .cards_taken
        .iter()
        .any(|&(a, z)| tx - half < z && a < tx + half);
    if layout.roomy && clear {
        specials.push(Shape::Text {
            x: tx,
            y: tip - 9.0,
            text: "followed".to_string(),
            align: Align::Center,
            size_px: 12.0,
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
        lane_text(p, layout, i, shard, input, right);
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

/// How a mapping is named on the lanes when there are several: `1: `, `2: `...
/// (the lines beside the bucket say which function each number is); nothing when
/// there is one.
pub fn mapping_tag(j: usize, mappings: usize) -> String {
    if mappings > 1 {
        format!("{}: ", j + 1)
    } else {
        String::new()
    }
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
#[allow(clippy::too_many_arguments)]
pub(super) fn batch_cards(
    shapes: &mut Vec<Shape>,
    layout: &LaneLayout,
    i: usize,
    cards: &[(Span, BatchView)],
    tag: &str,
    taken: &mut Vec<(f64, f64)>,
    input: &StreamInput<'_>,
    theme: &Theme,
) -> usize {
    const GAP_PX: f64 = 6.0;
    let label = |b: &BatchView| match b.state {
        BatchState::InFlight { .. } => {
            format!("{tag}{}λ {}", half_prefix(b.depth), grouped(b.records))
        }
        BatchState::Waiting { .. } if b.invokes > 0 && b.retries > 0 => {
            format!("{tag}{}retry {}", half_prefix(b.depth), b.retries)
        }
        BatchState::Waiting { .. } => format!("{tag}{}waits", half_prefix(b.depth)),
    };
    let shown: Vec<(&Span, &BatchView, String, f64)> = cards
        .iter()
        .filter(|(_, b)| input.motion || matches!(b.state, BatchState::Waiting { .. }))
        .map(|(span, b)| {
            let text = label(b);
            let w = (text_w(&text, 12.0) * 1.07 + 12.0).max(34.0);
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
        // Beside the cards already above this lane (another mapping's), or not at all.
        while let Some(&(_, end)) = taken
            .iter()
            .find(|&&(a, z)| x < z + GAP_PX && a < x + w + GAP_PX)
        {
            x = end + GAP_PX;
        }
        if x + w > layout.tube_right_px + GUTTER_PX - PRODUCER_BAR_PX - 4.0 {
            continue;
        }
        taken.push((x, x + w));
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
            size_px: 12.0,
            bold: true,
            colour: if waiting { theme.text } else { theme.on_batch },
        });
        x += w + GAP_PX;
    }
    lifted
}

/// An iterator marker: a bar across the lane in the text colour, with a head under
/// the tube pointing up on roomy lanes (the second mapping's head a little lower).
/// With several mappings each head is in its function's colour and numbered beside
/// it, the numbers side by side when the markers stand together.
pub(super) fn marker(
    shapes: &mut Vec<Shape>,
    layout: &LaneLayout,
    (mapping, mappings): (usize, usize),
    x: f64,
    tube_y: f64,
    tube_h: f64,
    theme: &Theme,
) {
    let w = if layout.pitch_px >= 4.0 { 3.0 } else { 2.0 };
    let overhang = if layout.roomy { 4.0 } else { 0.0 };
    let x = x.clamp_to(
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
            fill: if mappings > 1 {
                theme.function(mapping)
            } else {
                theme.text
            },
        });
    }
}

pub(super) fn lane_text(
    p: &mut Painter<'_>,
    layout: &LaneLayout,
    i: usize,
    shard: &ShardView,
    input: &StreamInput<'_>,
    right: f64,
) {
    let mappings = input.mappings;
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
    let label = shard_label(&shard.shard_id);
    let detail_x = left + bold_text_w(&label, FONT_PX) + 8.0;
    p.text(left, text_y, label, Align::Left, Style::Bold);
    let busy: u32 = mappings.iter().filter_map(|m| m.busy.get(i).copied()).sum();
    // The detail ends before the counts on the right (or the picture's edge when
    // they go under the tube): the longest wordings that fit, the counts shortened
    // before the detail loses its words.
    let (long, short) = match (oldest_age, blocked) {
        (Some(a), true) => (
            format!("blocked · iterator age {}", age(a)),
            format!("blocked · {}", age(a)),
        ),
        (Some(a), false) => (format!("iterator age {}", age(a)), age(a)),
        (None, _) => (shard.shard_id.clone(), String::new()),
    };
    // A resharded shard says so first (issue 15, item 10): it closed and where its
    // keys went, or where it came from; then the shorter details after it.
    let reshard = input.lineage.get(i).and_then(|l| {
        closed_words(l)
            .into_iter()
            .next()
            .or_else(|| parent_words(l))
    });
    let mut details = Vec::new();
    if let Some(r) = &reshard {
        details.push(format!("{r} · {long}"));
        details.push(r.clone());
    }
    if busy > 0 {
        details.push(format!(
            "{long} · {} in flight",
            count(busy.into(), "batch", "batches")
        ));
    }
    details.push(long);
    details.push(short);
    let throttled = match shard.throttled_last_s {
        0 => String::new(),
        n => format!(" · {} throttled", per_s(n, "")).replace(" /s", "/s"),
    };
    let counts = [
        format!("{records} · {rates}"),
        format!(
            "{records} · {} in{throttled}",
            per_s(shard.incoming_last_s, "records")
        ),
        format!("{records}{throttled}"),
    ];
    let fits = |d: &str, c: &str| {
        let room = if layout.wide {
            right - text_w(c, FONT_PX) - 12.0 - detail_x
        } else {
            right - detail_x
        };
        text_w(d, SMALL_FONT_PX) <= room
    };
    let (detail, right_text) = details
        .iter()
        .flat_map(|d| counts.iter().map(move |c| (d, c)))
        .find(|(d, c)| fits(d, c))
        .map_or((String::new(), counts[2].clone()), |(d, c)| {
            (d.clone(), c.clone())
        });
    p.text(detail_x, text_y, detail, Align::Left, Style::Muted);
    if layout.wide {
        p.text(right, text_y, right_text, Align::Right, Style::Normal);
    } else {
        // Under the tube the counts have the lane's width up to the producer's bar
        // (which runs down beside every lane but the last): the longest wording that
        // fits it, so that a phone does not cut "throttled/s" at the bar or its edge.
        let end = if i + 1 < input.shards.len() {
            right - PRODUCER_BAR_PX - 4.0
        } else {
            right
        };
        let room = end - left;
        let right_text = counts
            .iter()
            .find(|c| fits_in(c, SMALL_FONT_PX, room))
            .unwrap_or(&counts[2])
            .clone();
        let below = layout.tube_top(i) + layout.tube_px + 30.0;
        p.text(end, below, right_text, Align::Right, Style::Small);
    }
}
