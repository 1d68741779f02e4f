//! Under the lanes: the lost bucket, the OnFailure destinations' boxes and the
//! batches given up on travelling there.

use super::*;

/// The destination box's width.
pub(super) const DESTINATION_W_PX: f64 = 224.0;

/// Whether destination boxes fit right of the bucket. Roomy lanes say each shard's
/// iterator age themselves, so the mappings' lines beside the bucket may give way to
/// the box; thin lanes do not, so there the box goes beside only with room for them.
pub(super) fn destinations_beside(layout: &LaneLayout, right: f64) -> bool {
    let text_px = if layout.roomy { 0.0 } else { 300.0 };
    right - layout.tube_left_px >= 230.0 + 14.0 + text_px + DESTINATION_W_PX
}

/// The OnFailure destinations under the lanes, right of the lost bucket (under it on
/// narrow pictures): a box per mapping that has one, labelled with what it is and the
/// records sent; for a mapping without one that dropped records, the discarded count.
/// Returns where give-ups travel to (the first box's top centre) and the picture's
/// new height.
pub(super) fn destinations(
    p: &mut Painter<'_>,
    layout: &LaneLayout,
    bucket_bottom: f64,
    right: f64,
    input: &StreamInput<'_>,
    theme: &Theme,
    drawn: &mut Drawn,
) -> (Option<(f64, f64)>, f64) {
    let w = DESTINATION_W_PX.min(right - layout.tube_left_px);
    let (x, mut y) = if destinations_beside(layout, right) {
        (right - w, bucket_bottom - BUCKET_PX + 10.0)
    } else {
        (layout.tube_left_px, bucket_bottom + 4.0)
    };
    let mut bottom = bucket_bottom;
    let mut target = None;
    let n = input.mappings.len();
    for (j, m) in input.mappings.iter().enumerate().take(3) {
        match &m.destination {
            Some(arn) => {
                let label = format!("{}{}", mapping_tag(j, n), destination_label(arn));
                let h = BUCKET_PX - 14.0;
                p.shapes.push(Shape::Rect {
                    x,
                    y,
                    w,
                    h,
                    radius: 6.0,
                    fill: theme.destination_fill,
                    stroke: Some(theme.batch),
                });
                let name = shortened(&label, FONT_PX * 1.1, w - 20.0);
                p.text(x + 10.0, y + 16.0, name, Align::Left, Style::Bold);
                p.shapes.push(Shape::Text {
                    x: x + 10.0,
                    y: y + 37.0,
                    text: count(m.stats.on_failure, "record", "records"),
                    align: Align::Left,
                    size_px: 16.0,
                    bold: true,
                    colour: theme.text,
                });
                drawn.sent += m.stats.on_failure;
                if drawn.destination.is_none() {
                    drawn.destination = Some(label);
                    target = Some((x + w / 2.0, y));
                }
                bottom = bottom.max(y + h + 6.0);
                y += h + 6.0;
            }
            None if m.stats.discarded > 0 => {
                drawn.discarded += m.stats.discarded;
                p.text(
                    x,
                    y + 14.0,
                    format!(
                        "{}{} discarded",
                        mapping_tag(j, n),
                        count(m.stats.discarded, "record", "records")
                    ),
                    Align::Left,
                    Style::Bold,
                );
                p.text(
                    x,
                    y + 29.0,
                    "no OnFailure destination".to_string(),
                    Align::Left,
                    Style::Muted,
                );
                bottom = bottom.max(y + 36.0);
                y += 38.0;
            }
            None => {}
        }
    }
    (target, bottom)
}

/// Give-ups on their way from their lane to the destination box at `target`, each
/// for `input.travel_ms` of simulated time after it happened (none with reduced
/// motion: the box's count says it).
pub(super) fn give_ups_travel(
    p: &mut Painter<'_>,
    layout: &LaneLayout,
    target: (f64, f64),
    input: &StreamInput<'_>,
    theme: &Theme,
    drawn: &mut Drawn,
) {
    if !input.motion {
        return;
    }
    let axis = TimeAxis::new(layout, input.now, input.retention);
    for m in input.mappings {
        if m.destination.is_none() {
            continue;
        }
        for g in &m.give_ups {
            let age = input.now.0.saturating_sub(g.at.0);
            if age >= input.travel_ms.max(1) || input.now < g.at {
                continue;
            }
            let q = age as f64 / input.travel_ms.max(1) as f64;
            let s = g.shard as usize;
            // From where its records lie in the lane.
            let from_x = input.shards.get(s).map_or(layout.tube_right_px, |shard| {
                Lane::new(layout, s, shard, axis).x_of(g.start)
            });
            let from = (from_x, layout.tube_top(s) + layout.tube_px / 2.0);
            // Ease out: fast off the lane, slowing into the box.
            let e = 1.0 - (1.0 - q) * (1.0 - q);
            let (x, y) = (
                from.0 + (target.0 - from.0) * e,
                from.1 + (target.1 - 6.0 - from.1) * e,
            );
            drawn.travelling += 1;
            p.line(from, (x, y), 1.5, theme.batch);
            let text = grouped(g.records);
            let w = (text.chars().count() as f64 * 6.2 + 10.0).max(20.0);
            p.shapes.push(Shape::Rect {
                x: x - w / 2.0,
                y: y - 7.0,
                w,
                h: 14.0,
                radius: 3.0,
                fill: theme.batch,
                stroke: Some(theme.on_batch),
            });
            p.shapes.push(Shape::Text {
                x,
                y: y + 4.0,
                text,
                align: Align::Center,
                size_px: 12.0,
                bold: true,
                colour: theme.on_batch,
            });
        }
    }
}

/// The size at which [`fits_in`] measures a text that may be bold (the highlighted
/// mapping's line, the pouring line): bold runs a tenth wider.
const BOLD_FONT_W_PX: f64 = FONT_PX * 1.1;

/// The lost bucket under the trim horizon with its count, a line per mapping and
/// one for what is pouring in. Returns the picture's new height.
#[allow(clippy::too_many_arguments)]
pub(super) fn bucket(
    p: &mut Painter<'_>,
    layout: &LaneLayout,
    top: f64,
    right: f64,
    lost: u64,
    pouring: u64,
    input: &StreamInput<'_>,
    theme: &Theme,
) -> f64 {
    let x = layout.tube_left_px - DRAIN_PX;
    // As wide as its words need on a narrow picture (so the mappings' lines beside it
    // have room), up to 230 px on a wide one.
    let w = (right - x).min(230.0).min((0.5 * (right - x)).max(196.0));
    let y = top + 10.0;
    let h = BUCKET_PX - 14.0;
    p.shapes.push(Shape::Polygon {
        points: vec![(x, y), (x + w, y), (x + w - 8.0, y + h), (x + 8.0, y + h)],
        fill: theme.lost_fill,
    });
    // The bucket fills with the share of everything written that was lost (by its
    // square root, so that the first losses show).
    let written: u64 = input.shards.iter().map(|s| s.write_head).sum();
    if lost > 0 && written > 0 {
        let level = (lost as f64 / written as f64).sqrt().clamp_to(0.08, 1.0) * (h - 2.0);
        let inset = |yy: f64| 8.0 * (yy - y) / h;
        let top_y = y + h - level;
        p.shapes.push(Shape::Polygon {
            points: vec![
                (x + inset(top_y) + 1.0, top_y),
                (x + w - inset(top_y) - 1.0, top_y),
                (x + w - 9.0, y + h - 1.0),
                (x + 9.0, y + h - 1.0),
            ],
            fill: theme.lost_level,
        });
    }
    p.line((x, y), (x + 8.0, y + h), 2.0, theme.lost);
    p.line((x + 8.0, y + h), (x + w - 8.0, y + h), 2.0, theme.lost);
    p.line((x + w - 8.0, y + h), (x + w, y), 2.0, theme.lost);
    p.shapes.push(Shape::Text {
        x: x + 16.0,
        y: y + 24.0,
        text: grouped(lost),
        align: Align::Left,
        size_px: 20.0,
        bold: true,
        colour: theme.lost,
    });
    p.text(
        x + 16.0,
        y + 39.0,
        "lost: expired unprocessed".to_string(),
        Align::Left,
        Style::Small,
    );
    // Beside the bucket: each mapping's worst lane.
    let tx = x + w + 14.0;
    if right - tx > 140.0 {
        let room = right - tx;
        let mut row = 0.0;
        for (j, m) in input.mappings.iter().take(3).enumerate() {
            let worst = m.iterator_age_ms.iter().copied().max().unwrap_or(0);
            let blocked = m.blocked.iter().filter(|b| **b).count();
            let number = if input.mappings.len() > 1 {
                format!("{}", j + 1)
            } else {
                String::new()
            };
            let (name, worst) = (&m.function_name, age(worst));
            let (blocked_long, blocked_short) = match blocked {
                0 => (String::new(), String::new()),
                n => (
                    format!(" · {} blocked", count(n as u64, "shard", "shards")),
                    format!(" · {n} blocked"),
                ),
            };
            // The longest wording that fits the room beside the bucket, rather than
            // run off the picture: the function's name goes before the age does (the
            // lanes' markers carry the mapping's number).
            let wordings = [
                format!("▲{number} {name}: iterator age up to {worst}{blocked_long}"),
                format!("▲{number} {name}: {worst}{blocked_short}"),
                format!("▲{number} iterator age {worst}{blocked_short}"),
                format!("▲{number} {worst}{blocked_short}"),
            ];
            // One mapping has the rows to itself: its name on one, its age under it.
            let first = shortened(&format!("▲ {name}"), BOLD_FONT_W_PX, room);
            let second = [
                format!("iterator age up to {worst}{blocked_long}"),
                format!("iterator age {worst}{blocked_short}"),
            ];
            let second = second.iter().find(|t| fits_in(t, BOLD_FONT_W_PX, room));
            let lines: Vec<&String> = if fits_in(&wordings[0], BOLD_FONT_W_PX, room) {
                vec![&wordings[0]]
            } else if let (1, Some(second)) = (input.mappings.len(), second) {
                vec![&first, second]
            } else {
                vec![wordings
                    .iter()
                    .find(|t| fits_in(t, BOLD_FONT_W_PX, room))
                    .unwrap_or(&wordings[3])]
            };
            let style = if input.highlight.mapping == Some(j) {
                Style::Bold
            } else {
                Style::Normal
            };
            for line in lines {
                p.text(tx, y + 14.0 + row * 16.0, line.clone(), Align::Left, style);
                row += 1.0;
            }
        }
        if pouring > 0 {
            let mut text = format!(
                "▼ {} pour off the trim horizon unread",
                per_s(pouring, "records")
            );
            if !fits_in(&text, BOLD_FONT_W_PX, right - tx) {
                text = format!("▼ {} lost", per_s(pouring, "records"));
            }
            p.text(tx, y + 14.0 + row * 16.0, text, Align::Left, Style::Bold);
        }
    }
    top + BUCKET_PX
}

/// A lane whose unread records are falling off its end: where, and how fast.
pub(super) struct Pour {
    pub y: f64,
    /// Records a second leaving the tube unread.
    pub per_s: f64,
}

/// Whether lane's records left its end unread by some mapping in the last second,
/// and how many: the most any one mapping lost (they are the same records).
pub(super) fn pour_of(lane: &Lane<'_>, input: &StreamInput<'_>) -> Option<Pour> {
    let per_s = input
        .mappings
        .iter()
        .filter_map(|m| m.expired_last_s.get(lane.i).copied())
        .max()
        .filter(|&n| n > 0)?;
    Some(Pour {
        y: lane.tube_y + lane.tube_h / 2.0,
        per_s: per_s as f64,
    })
}

/// What pours out of the tubes' ends: a spout from each such lane into the drain, a
/// stream down the drain into the bucket at `bucket_top` as wide as the rate's order
/// of magnitude (a trickle, then a flood), and drops falling down it (still with
/// reduced motion). Returns the records a second pouring.
pub(super) fn pour(
    p: &mut Painter<'_>,
    layout: &LaneLayout,
    pours: &[Pour],
    bucket_top: f64,
    input: &StreamInput<'_>,
    theme: &Theme,
) -> u64 {
    let Some(top) = pours.iter().map(|q| q.y).reduce(f64::min) else {
        return 0;
    };
    let per_s: f64 = pours.iter().map(|q| q.per_s).sum();
    let x = layout.tube_left_px - DRAIN_PX / 2.0;
    let width = (1.0 + per_s.max(1.0).log10() * 1.6).min(DRAIN_PX - 4.0);
    for q in pours {
        p.line((layout.tube_left_px + 2.0, q.y), (x, q.y), 2.0, theme.lost);
    }
    p.line((x, top), (x, bucket_top + 6.0), width, theme.lost);
    let drops = (2.0 + per_s.max(1.0).log10() * 2.0)
        .round()
        .clamp_to(2.0, 10.0) as usize;
    let phase = if input.motion {
        (input.now.0 % 1_000) as f64 / 1_000.0
    } else {
        0.0
    };
    let side = (width + 3.0).min(DRAIN_PX - 2.0);
    for d in 0..drops {
        let f = (phase + d as f64 / drops as f64).fract();
        let y = top + f * (bucket_top - top);
        p.shapes.push(Shape::Rect {
            x: x - side / 2.0,
            y: y - side / 2.0,
            w: side,
            h: side * 1.4,
            radius: side / 2.0,
            fill: theme.lost,
            stroke: None,
        });
    }
    per_s.round() as u64
}
