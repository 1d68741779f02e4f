//! The account's concurrency as a fixed grid of slots (design.md): one cell a slot,
//! or ten, or a hundred when the limit is large, said in words over the grid. Cells
//! fill with the colour of the function that holds them: the mapped functions first
//! (their reserved capacity outlined), then the account's other functions (reddish
//! purple), then free slots. Requests that find no free slot are marked at the grid's
//! bottom edge, striped yellow, one mark a cell's worth: the stream's functions'
//! throttled invocations (last second), then the other functions' requests waiting
//! for a slot. A legend with counts sits under the grid.
//!
//! Text is `text_px` tall ([`TEXT_PX`] on the page, [`PRESENTER_TEXT_PX`] in
//! presenter mode) and wraps to the width. Pure: no web APIs; `ui::canvas` paints
//! the [`Picture`].

use super::format::{count, grouped};
use super::picture::{Align, Picture, Shape, Theme};
use crate::sim::{ConcurrencyView, Ended, Snapshot};

/// The grid's text on the page, desktop and phone (CSS pixels).
pub const TEXT_PX: f64 = 14.0;
/// The grid's text in presenter mode.
pub const PRESENTER_TEXT_PX: f64 = 24.0;
/// Text is never drawn smaller than this, whatever is asked.
pub const TEXT_PX_MIN: f64 = 10.0;
const ROWS_MAX: u64 = 10;
/// Estimated width of a character of the canvas's sans-serif, in ems (a little
/// generous, so estimated lines are never shorter than drawn ones).
const CHAR_EM: f64 = 0.56;
const BOLD_CHAR_EM: f64 = 0.6;
/// The throttle marks under the grid take at most this many rows.
const MARK_ROWS_MAX: u64 = 3;

/// Requests refused for want of a slot in the last whole second, from the metrics
/// (the snapshot holds the other functions' waiting requests itself).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Throttles {
    /// The stream's (mapped) functions' invocations throttled (`Throttles`).
    pub stream_per_s: u64,
    /// The account's other functions' requests throttled (`OtherFunctionsThrottles`).
    pub other_per_s: u64,
    /// The flash's lit half ([`flash_lit`]): the marks and the grid's edge light up
    /// while requests are being refused.
    pub lit: bool,
}

/// How long the throttle marks' flash stays lit, and then dark, in wall-clock ms:
/// 1.25 flashes a second, under WCAG's three (2.3.1).
pub const FLASH_HALF_PERIOD_MS: f64 = 400.0;

/// Whether the flash is lit at wall-clock `ms` (the page's clock; never with reduced
/// motion, where the striped marks alone say it).
pub fn flash_lit(ms: f64, motion: bool) -> bool {
    motion && (ms / FLASH_HALF_PERIOD_MS).floor() as i64 % 2 == 0
}

/// An invocation of a mapped function as the grid shows it: a batch arriving at an
/// instance of the function, running there, then how it ended.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Visit {
    /// The function (its index in [`ConcurrencyView::functions`]).
    pub function: usize,
    pub records: u64,
    pub phase: Phase,
}

/// Where a [`Visit`] is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Phase {
    /// On its way from the stream to the grid: 0 just handed over, 1 at its cell.
    Arriving(f64),
    /// At its cell, the function running.
    Running,
    /// Ended as it says: 0 just now, 1 about to go.
    Ended(Ended, f64),
}

/// The invocations to show at the snapshot's moment, oldest first. Each arrives at
/// the grid from its start, landing when it ends but taking between a sixth and a
/// half of `show_ms` of simulated time to fall (the page passes a little under a
/// second of the reader's time at the chosen speed), runs there, and shows how it
/// ended for half of `show_ms`. The outcome is never shown before the invocation
/// has ended.
pub fn visits(snapshot: &Snapshot, show_ms: u64) -> Vec<Visit> {
    let now = snapshot.now.0;
    let half = (show_ms / 2).max(1);
    let functions = &snapshot.concurrency.functions;
    let mut out = Vec::new();
    for m in &snapshot.mappings {
        let Some(function) = functions
            .iter()
            .position(|f| f.function_name == m.function_name)
        else {
            continue;
        };
        for v in &m.invocations {
            let (started, ends) = (v.started.0, v.ends.0);
            if now < started {
                continue;
            }
            // It lands when it ends (as an invocation that short is seen), but takes
            // at least a third of the half to fall and at most the half.
            let landed = started + ends.saturating_sub(started).clamp(half / 3, half);
            let phase = if now < landed {
                Phase::Arriving((now - started) as f64 / (landed - started) as f64)
            } else if now < ends {
                Phase::Running
            } else {
                let since = now - ends.max(landed);
                if since >= half {
                    continue;
                }
                Phase::Ended(v.ended, since as f64 / half as f64)
            };
            out.push(Visit {
                function,
                records: v.records,
                phase,
            });
        }
    }
    out
}

/// What the grid drew, for the canvas's `data-*` attributes and tests.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GridDrawn {
    pub per_cell: u64,
    pub cells: u64,
    /// Slots held by the mapped functions, and by the other functions.
    pub stream_slots: u64,
    pub other_slots: u64,
    /// The throttle marks at the edge: the stream's functions', the other functions'.
    pub stream_marks: u64,
    pub other_marks: u64,
    /// The other functions' requests waiting for a slot.
    pub other_waiting: u64,
    /// Whether the marks and the grid's edge were drawn lit (the flash's on half).
    pub lit: bool,
    pub text_px: u64,
    /// Batches drawn on their way to the grid, and invocations drawn ended: done,
    /// and failed (an error, a timeout or a partial failure).
    pub arriving: u64,
    pub ended_ok: u64,
    pub ended_failed: u64,
}

/// Who holds a run of slots.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holder {
    /// The `i`th function of the scenario (a mapped function).
    Function(usize),
    /// The account's other functions.
    Other,
    Free,
}

/// A run of slots in grid order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segment {
    pub start: u64,
    pub len: u64,
    pub holder: Holder,
    /// Part of a function's reserved concurrency (outlined in its colour).
    pub reserved_by: Option<usize>,
}

/// The slots in grid order: each function's reserved block (its running instances,
/// then its reserved but idle slots), then the unreserved pool: unreserved
/// functions' instances, the other functions', free slots. Never more than `limit`.
pub fn segments(view: &ConcurrencyView) -> Vec<Segment> {
    let limit = u64::from(view.limit);
    let mut out = Vec::new();
    let mut at = 0u64;
    let mut push = |out: &mut Vec<Segment>, len: u64, holder, reserved_by| {
        let len = len.min(limit - at);
        if len > 0 {
            out.push(Segment {
                start: at,
                len,
                holder,
                reserved_by,
            });
            at += len;
        }
    };
    for (i, f) in view.functions.iter().enumerate() {
        if let Some(r) = f.reserved {
            let r = u64::from(r);
            let running = u64::from(f.running).min(r);
            push(&mut out, running, Holder::Function(i), Some(i));
            push(&mut out, r - running, Holder::Free, Some(i));
        }
    }
    for (i, f) in view.functions.iter().enumerate() {
        if f.reserved.is_none() {
            push(&mut out, u64::from(f.running), Holder::Function(i), None);
        }
    }
    push(&mut out, u64::from(view.other_running), Holder::Other, None);
    // Whatever is left is free (push stops at the limit).
    push(&mut out, limit, Holder::Free, None);
    out
}

/// How many slots one cell stands for: 1, 10, 100... the smallest that fits the
/// grid in `ROWS_MAX` rows of `columns`.
pub fn slots_per_cell(limit: u32, columns: u64) -> u64 {
    let capacity = columns.max(1) * ROWS_MAX;
    let mut k = 1u64;
    while u64::from(limit).div_ceil(k) > capacity {
        k *= 10;
    }
    k
}

/// What one cell shows: each holder's share of its slots, in grid order, and the
/// function whose reserved capacity it belongs to.
pub fn cell_contents(
    segments: &[Segment],
    cell: u64,
    per_cell: u64,
    limit: u64,
) -> (Vec<(Holder, f64)>, Option<usize>) {
    let start = cell * per_cell;
    let end = (start + per_cell).min(limit);
    let size = end.saturating_sub(start).max(1) as f64;
    let mut shares = Vec::new();
    let mut reserved = None;
    for s in segments {
        let lo = s.start.max(start);
        let hi = (s.start + s.len).min(end);
        if hi > lo {
            shares.push((s.holder, (hi - lo) as f64 / size));
            reserved = reserved.or(s.reserved_by);
        }
    }
    (shares, reserved)
}

/// "One square = 10 slots", in plain words: what a cell of the grid stands for.
pub fn cell_words(per_cell: u64) -> String {
    if per_cell == 1 {
        "One square = one slot: a slot runs one instance of a function.".to_string()
    } else {
        format!(
            "One square = {} slots: a slot runs one instance of a function.",
            grouped(per_cell)
        )
    }
}

/// How wide `text` is drawn at `size_px`, estimated.
pub fn text_width(text: &str, size_px: f64, bold: bool) -> f64 {
    let em = if bold { BOLD_CHAR_EM } else { CHAR_EM };
    text.chars().count() as f64 * size_px * em
}

/// `text` broken at spaces into lines at most `width_px` wide (a word longer than the
/// width stays whole on its own line).
pub fn wrap(text: &str, size_px: f64, bold: bool, width_px: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if !line.is_empty() && text_width(&candidate, size_px, bold) > width_px {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The grid `width_px` wide (CSS pixels) with text `text_px` tall.
pub fn concurrency_picture(
    view: &ConcurrencyView,
    throttles: Throttles,
    width_px: f64,
    text_px: f64,
    theme: &Theme,
) -> Picture {
    concurrency_picture_drawn(view, throttles, width_px, text_px, theme).0
}

/// [`concurrency_picture`], and what it drew.
pub fn concurrency_picture_drawn(
    view: &ConcurrencyView,
    throttles: Throttles,
    width_px: f64,
    text_px: f64,
    theme: &Theme,
) -> (Picture, GridDrawn) {
    concurrency_picture_visited(view, throttles, &[], true, width_px, text_px, theme)
}

/// [`concurrency_picture_drawn`] with the invocations to show ([`visits`]): each
/// batch drops from the grid's top to a cell of its function (only with `motion`),
/// and a badge on the cell says how it ended (✓ done, ◐ partly failed, ✗ an error or
/// a timeout). The newest wins a cell.
pub fn concurrency_picture_visited(
    view: &ConcurrencyView,
    throttles: Throttles,
    visits: &[Visit],
    motion: bool,
    width_px: f64,
    text_px: f64,
    theme: &Theme,
) -> (Picture, GridDrawn) {
    let text_px = text_px.max(TEXT_PX_MIN);
    let width_px = width_px.max(160.0);
    let pad = (text_px * 0.75).max(12.0);
    let line = (text_px * 1.35).ceil();
    let text_w = width_px - 2.0 * pad;
    let mut shapes = Vec::new();
    let text = |shapes: &mut Vec<Shape>, x, y, text: String, bold, colour| {
        shapes.push(Shape::Text {
            x,
            y,
            text,
            align: Align::Left,
            size_px: text_px,
            bold,
            colour,
        });
    };
    // Cells a little smaller than the text; bigger on a projector.
    let pitch = if width_px >= 600.0 {
        (text_px * 0.8).clamp(12.0, 22.0)
    } else {
        (text_px * 0.7).clamp(10.0, 18.0)
    }
    .round();
    let cell = pitch - 2.0;
    let columns = ((text_w / pitch).floor() as u64).max(1);
    let limit = u64::from(view.limit);
    let per_cell = slots_per_cell(view.limit, columns);
    let cells = limit.div_ceil(per_cell);
    let rows = cells.div_ceil(columns).max(1);
    let segs = segments(view);

    // The title, and what a square stands for, in words.
    let mut y = pad + text_px;
    for l in wrap(
        &format!("Account concurrency: {}", count(limit, "slot", "slots")),
        text_px,
        true,
        text_w,
    ) {
        text(&mut shapes, pad, y, l, true, theme.text);
        y += line;
    }
    for l in wrap(&cell_words(per_cell), text_px, false, text_w) {
        text(&mut shapes, pad, y, l, false, theme.muted);
        y += line;
    }
    // With motion, batches fall as cards through a band of their own between the
    // words and the grid, so that a card never lies over the words (a run paused
    // as a batch starts would freeze it there): a card and a half high, so that even
    // a card bound for the first row is seen to fall, and the grid still fits beside
    // the picture in presenter mode at 1920x1080.
    let card_px = (text_px * 0.8).round().max(TEXT_PX_MIN);
    let card_h = card_px + 6.0;
    let words_bottom = y - line + 0.3 * text_px;
    let band = if motion { 1.5 * card_h } else { 0.0 };
    let grid_top = y - text_px + 6.0 + band;

    let colour = |h: Holder| match h {
        Holder::Function(i) => theme.function(i),
        Holder::Other => theme.other_functions,
        Holder::Free => theme.free_slot,
    };
    for c in 0..cells {
        let x = pad + (c % columns) as f64 * pitch;
        let y = grid_top + (c / columns) as f64 * pitch;
        let (shares, reserved) = cell_contents(&segs, c, per_cell, limit);
        shapes.push(Shape::Rect {
            x,
            y,
            w: cell,
            h: cell,
            radius: 0.0,
            fill: theme.free_slot,
            stroke: None,
        });
        // Grouped cells fill from the bottom up, one band per holder.
        let mut bottom = y + cell;
        for (holder, share) in shares {
            if holder == Holder::Free {
                continue;
            }
            let h = cell * share;
            shapes.push(Shape::Rect {
                x,
                y: bottom - h,
                w: cell,
                h,
                radius: 0.0,
                fill: colour(holder),
                stroke: None,
            });
            bottom -= h;
        }
        if reserved.is_some() {
            shapes.push(Shape::Outline {
                x: x - 0.5,
                y: y - 0.5,
                w: cell + 1.0,
                h: cell + 1.0,
                width: 1.5,
                stroke: theme.text,
                dashed: false,
            });
        }
    }
    let grid_bottom = grid_top + rows as f64 * pitch;

    // The invocations: the k-th of a function goes to the k-th slot it holds (round
    // the slots it holds, or its first slot when it holds none now).
    // A cell shows its newest batch on the way and, under it, its newest ending.
    let mut arriving_at: Vec<Option<&Visit>> = vec![None; cells as usize];
    let mut ended_at: Vec<Option<&Visit>> = vec![None; cells as usize];
    let mut seen = vec![0u64; view.functions.len()];
    for v in visits {
        let held: Vec<&Segment> = segs
            .iter()
            .filter(|s| s.holder == Holder::Function(v.function))
            .collect();
        let slots: u64 = held.iter().map(|s| s.len).sum();
        let anchor = segs
            .iter()
            .find(|s| s.reserved_by == Some(v.function))
            .or_else(|| segs.iter().find(|s| s.reserved_by.is_none()))
            .map_or(0, |s| s.start);
        let k = seen.get(v.function).copied().unwrap_or(0);
        if let Some(n) = seen.get_mut(v.function) {
            *n += 1;
        }
        let slot = if slots == 0 {
            anchor
        } else {
            let mut k = k % slots;
            let mut at = anchor;
            for s in &held {
                if k < s.len {
                    at = s.start + k;
                    break;
                }
                k -= s.len;
            }
            at
        };
        let cells = match v.phase {
            Phase::Ended(..) => &mut ended_at,
            Phase::Arriving(_) | Phase::Running => &mut arriving_at,
        };
        if let Some(c) = cells.get_mut((slot / per_cell) as usize) {
            *c = Some(v);
        }
    }
    let (mut arriving, mut ended_ok, mut ended_failed) = (0u64, 0u64, 0u64);
    // Falling cards go under the grid, so that a card bound for a lower row passes
    // under the cells above it; a card that would cover another is left out.
    let mut cards: Vec<Shape> = Vec::new();
    let mut card_boxes: Vec<(f64, f64, f64, f64)> = Vec::new();
    let shown = ended_at
        .iter()
        .enumerate()
        .chain(arriving_at.iter().enumerate());
    for (c, v) in shown {
        let Some(v) = v else { continue };
        let x = pad + (c as u64 % columns) as f64 * pitch;
        let y = grid_top + (c as u64 / columns) as f64 * pitch;
        match v.phase {
            Phase::Arriving(q) if motion => {
                // From under the words down to its cell, slowing as it lands.
                let e = 1.0 - (1.0 - q) * (1.0 - q);
                let label = format!("λ {}", grouped(v.records));
                let w = text_width(&label, card_px, true) + 8.0;
                let h = card_h;
                let top = words_bottom + (y - h - 2.0 - words_bottom) * e;
                let left = (x + cell / 2.0 - w / 2.0).clamp(2.0, width_px - w - 2.0);
                let covers = |b: &(f64, f64, f64, f64)| {
                    left < b.0 + b.2 + 2.0
                        && b.0 < left + w + 2.0
                        && top < b.1 + b.3
                        && b.1 < top + h
                };
                if card_boxes.iter().any(covers) {
                    continue;
                }
                card_boxes.push((left, top, w, h));
                cards.push(Shape::Rect {
                    x: left,
                    y: top,
                    w,
                    h,
                    radius: 3.0,
                    fill: theme.batch,
                    stroke: Some(theme.on_batch),
                });
                cards.push(Shape::Text {
                    x: left + w / 2.0,
                    y: top + h - 4.0,
                    text: label,
                    align: Align::Center,
                    size_px: card_px,
                    bold: true,
                    colour: theme.on_batch,
                });
                arriving += 1;
            }
            Phase::Ended(how, _) => {
                let (fill, glyph) = match how {
                    Ended::Ok => (theme.processed, "✓"),
                    Ended::Partial => (theme.batch, "◐"),
                    Ended::Error | Ended::Timeout => (theme.poison, "✗"),
                };
                let r = (cell * 0.7).max(text_px * 0.65);
                shapes.push(Shape::Rect {
                    x: x + cell / 2.0 - r,
                    y: y + cell / 2.0 - r,
                    w: 2.0 * r,
                    h: 2.0 * r,
                    radius: r,
                    fill,
                    stroke: Some(theme.text),
                });
                shapes.push(Shape::Text {
                    x: x + cell / 2.0,
                    y: y + cell / 2.0 + r * 0.55,
                    text: glyph.to_string(),
                    align: Align::Center,
                    size_px: (r * 1.5).round(),
                    bold: true,
                    colour: theme.text,
                });
                if how == Ended::Ok {
                    ended_ok += 1;
                } else {
                    ended_failed += 1;
                }
            }
            Phase::Arriving(_) | Phase::Running => {}
        }
    }
    shapes.splice(0..0, cards);

    // The edge: under the grid, a striped mark a cell's worth of refused requests,
    // the stream's functions' first, then the other functions', each edged in the
    // colour of whose requests they are. Its first row is kept even when empty, so
    // the grid does not jump when throttles start.
    let stream_throttled = throttles.stream_per_s;
    let other_waiting = u64::from(view.other_demand.saturating_sub(view.other_running));
    let wanted = |n: u64, per_s: u64| n.div_ceil(per_cell).max(u64::from(per_s > 0));
    let edge_top = grid_bottom + 4.0;
    let room = MARK_ROWS_MAX * columns;
    let mut at = 0u64;
    let mut drawn_marks = [0u64; 2];
    let mut mark_at: Vec<(f64, f64)> = Vec::new();
    for (kind, n, edging) in [
        (
            0,
            wanted(stream_throttled, stream_throttled),
            theme.function(0),
        ),
        (
            1,
            wanted(other_waiting, throttles.other_per_s),
            theme.other_functions,
        ),
    ] {
        if n > 0 && at > 0 {
            at += 1;
        }
        for _ in 0..n {
            if at >= room {
                break;
            }
            let x = pad + (at % columns) as f64 * pitch;
            let y = edge_top + (at / columns) as f64 * pitch;
            shapes.push(Shape::Rect {
                x,
                y,
                w: cell,
                h: cell,
                radius: 0.0,
                fill: theme.throttled,
                stroke: Some(edging),
            });
            shapes.push(Shape::Hatch {
                x,
                y,
                w: cell,
                h: cell,
                spacing: (cell / 2.5).max(3.0),
                width: 1.5,
                stroke: theme.throttled_outline,
            });
            drawn_marks[kind] += 1;
            mark_at.push((x, y));
            at += 1;
        }
    }
    let [stream_marks, other_marks] = drawn_marks;
    if throttles.lit && !mark_at.is_empty() {
        // The flash: the grid's edge, where requests are refused, lights up, and the
        // marks' edging thickens.
        let grid_w = columns as f64 * pitch - 1.0;
        shapes.push(Shape::Rect {
            x: pad - 2.0,
            y: grid_bottom - 1.0,
            w: grid_w + 4.0,
            h: 4.0,
            radius: 0.0,
            fill: theme.throttled,
            stroke: Some(theme.throttled_outline),
        });
        for &(x, y) in &mark_at {
            shapes.push(Shape::Outline {
                x: x - 1.5,
                y: y - 1.5,
                w: cell + 3.0,
                h: cell + 3.0,
                width: 2.0,
                stroke: theme.throttled_outline,
                dashed: false,
            });
        }
    }
    let lit = throttles.lit && !mark_at.is_empty();
    let edge_bottom = edge_top + at.div_ceil(columns).max(1) as f64 * pitch;

    // The legend, flowing left to right and wrapping.
    enum Swatch {
        Fill(&'static str, bool),
        Throttled(&'static str),
        /// The label's own first characters are its swatch.
        None,
    }
    let mut items: Vec<(Swatch, String)> = Vec::new();
    for (i, f) in view.functions.iter().enumerate() {
        let mut s = format!("{}: {} running", f.function_name, grouped(f.running.into()));
        if let Some(r) = f.reserved {
            s.push_str(&format!(" of {} reserved", grouped(r.into())));
        }
        items.push((Swatch::Fill(theme.function(i), f.reserved.is_some()), s));
    }
    if stream_throttled > 0 {
        let who = match view.functions.as_slice() {
            [only] => only.function_name.as_str(),
            _ => "the stream's functions",
        };
        items.push((
            Swatch::Throttled(theme.function(0)),
            format!("{who} throttled: {}/s", grouped(stream_throttled)),
        ));
    }
    items.push((
        Swatch::Fill(theme.other_functions, false),
        format!(
            "other functions: {} running of {} wanted",
            grouped(view.other_running.into()),
            grouped(view.other_demand.into())
        ),
    ));
    if other_waiting > 0 || throttles.other_per_s > 0 {
        let mut s = format!(
            "other functions throttled: {} waiting for a slot",
            grouped(other_waiting)
        );
        if throttles.other_per_s > 0 {
            s.push_str(&format!(", {} refused/s", grouped(throttles.other_per_s)));
        }
        items.push((Swatch::Throttled(theme.other_functions), s));
    }
    if !view.functions.is_empty() {
        items.push((Swatch::None, "✓ done ✗ failed ◐ partly failed".to_string()));
    }
    let used: u64 = segs
        .iter()
        .filter(|s| s.holder != Holder::Free)
        .map(|s| s.len)
        .sum();
    items.push((
        Swatch::Fill(theme.free_slot, false),
        format!("free: {}", grouped(limit - used)),
    ));
    let swatch_px = (text_px * 0.75).round();
    let gap = text_px;
    let mut x = pad;
    let mut y = edge_bottom + line;
    for (swatch, label) in items {
        let label_dx = match swatch {
            Swatch::None => 0.0,
            _ => swatch_px + text_px * 0.4,
        };
        let lines = wrap(&label, text_px, false, text_w - label_dx);
        let w = label_dx
            + lines
                .iter()
                .map(|l| text_width(l, text_px, false))
                .fold(0.0, f64::max);
        if x > pad && (x + w > width_px - pad || lines.len() > 1) {
            x = pad;
            y += line;
        }
        let (sx, sy) = (x, y - swatch_px + 1.0);
        match swatch {
            Swatch::Fill(fill, outlined) => shapes.push(Shape::Rect {
                x: sx,
                y: sy,
                w: swatch_px,
                h: swatch_px,
                radius: 0.0,
                fill,
                stroke: Some(if outlined { theme.text } else { theme.muted }),
            }),
            Swatch::Throttled(edging) => {
                shapes.push(Shape::Rect {
                    x: sx,
                    y: sy,
                    w: swatch_px,
                    h: swatch_px,
                    radius: 0.0,
                    fill: theme.throttled,
                    stroke: Some(edging),
                });
                shapes.push(Shape::Hatch {
                    x: sx,
                    y: sy,
                    w: swatch_px,
                    h: swatch_px,
                    spacing: (swatch_px / 2.5).max(3.0),
                    width: 1.5,
                    stroke: theme.throttled_outline,
                });
            }
            Swatch::None => {}
        }
        let n = lines.len();
        for (k, l) in lines.into_iter().enumerate() {
            text(&mut shapes, x + label_dx, y, l, false, theme.text);
            if k + 1 < n {
                y += line;
            }
        }
        x += w + gap;
        if n > 1 {
            x = width_px;
        }
    }
    let drawn = GridDrawn {
        per_cell,
        cells,
        stream_slots: segs
            .iter()
            .filter(|s| matches!(s.holder, Holder::Function(_)))
            .map(|s| s.len)
            .sum(),
        other_slots: segs
            .iter()
            .filter(|s| s.holder == Holder::Other)
            .map(|s| s.len)
            .sum(),
        stream_marks,
        other_marks,
        other_waiting,
        lit,
        text_px: text_px.round() as u64,
        arriving,
        ended_ok,
        ended_failed,
    };
    let picture = Picture {
        width_px,
        height_px: y + (text_px * 0.6).ceil() + 4.0,
        background: theme.background,
        shapes,
    };
    (picture, drawn)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::FunctionView;
    use crate::view::picture::LIGHT;

    fn view(limit: u32, running: u32, reserved: Option<u32>, other: u32) -> ConcurrencyView {
        ConcurrencyView {
            limit,
            functions: vec![FunctionView {
                function_name: "enrich".to_string(),
                reserved,
                running,
            }],
            other_running: other,
            other_demand: other,
        }
    }

    /// The poison-pill scenario at `ms`: ok invocations for a minute, then the pill's
    /// batch failing again and again.
    fn poison_pill_at(ms: u64) -> Snapshot {
        scenario_at(include_str!("../../static/scenarios/poison-pill.json"), ms)
    }

    fn concurrency_budget_at(ms: u64) -> Snapshot {
        scenario_at(
            include_str!("../../static/scenarios/concurrency-budget.json"),
            ms,
        )
    }

    /// The snapshot of the scenario `json` run to `ms`.
    fn scenario_at(json: &str, ms: u64) -> Snapshot {
        let scenario = crate::sim::parse_scenario(json).unwrap();
        let mut sim = crate::sim::Simulation::new(&scenario);
        sim.run_until(crate::sim::SimTime(ms), usize::MAX);
        sim.snapshot()
    }

    /// The snapshot holding one invocation of its function, `v`, at `ms`.
    fn with_one(snapshot: &Snapshot, v: crate::sim::InvocationView, ms: u64) -> Snapshot {
        let mut s = snapshot.clone();
        s.mappings[0].invocations = vec![v];
        s.now = crate::sim::SimTime(ms);
        s
    }

    #[test]
    fn an_invocation_arrives_at_the_grid_runs_and_shows_how_it_ended_only_once_it_has() {
        let show_ms = 3_000;
        let snapshot = poison_pill_at(30_000);
        let newest = *snapshot.mappings[0].invocations.last().unwrap();
        assert_eq!(newest.ended, Ended::Ok, "before the pill, batches succeed");
        let started = newest.started.0;
        let phase = |v, ms| {
            let s = with_one(&snapshot, v, ms);
            let seen = visits(&s, show_ms);
            assert!(seen.len() <= 1);
            seen.first().map(|v| (v.function, v.records, v.phase))
        };
        let records = newest.records;
        assert_eq!(
            newest.ends.0 - started,
            200,
            "100 ms and 2 ms for each of 50 records"
        );
        // It falls for a sixth of the showing time (its 200 ms are shorter), lands,
        // and shows its ending for half of it.
        assert_eq!(
            phase(newest, started),
            Some((0, records, Phase::Arriving(0.0)))
        );
        assert_eq!(
            phase(newest, started + 250),
            Some((0, records, Phase::Arriving(0.5)))
        );
        assert_eq!(
            phase(newest, started + 500),
            Some((0, records, Phase::Ended(Ended::Ok, 0.0)))
        );
        assert_eq!(
            phase(newest, started + 1_250),
            Some((0, records, Phase::Ended(Ended::Ok, 0.5)))
        );
        assert_eq!(phase(newest, started + 2_000), None, "gone");
        assert_eq!(phase(newest, started - 1), None, "not yet");
        // A long invocation runs at its cell, and says nothing of its outcome until
        // it has ended.
        let long = crate::sim::InvocationView {
            ends: crate::sim::SimTime(started + 60_000),
            ended: Ended::Error,
            ..newest
        };
        assert_eq!(
            phase(long, started + 59_999),
            Some((0, records, Phase::Running))
        );
        assert_eq!(
            phase(long, started + 60_000),
            Some((0, records, Phase::Ended(Ended::Error, 0.0)))
        );
    }

    #[test]
    fn the_pills_failures_end_in_the_grid_as_failed_and_healthy_batches_as_done() {
        let draw = |s: &Snapshot, motion| {
            concurrency_picture_visited(
                &s.concurrency,
                Throttles::default(),
                &visits(s, 3_000),
                motion,
                800.0,
                TEXT_PX,
                &LIGHT,
            )
        };
        // A minute in, the pill's batch fails and is retried: its invocations end
        // failed. Before it, they end done.
        let healthy = poison_pill_at(30_000);
        let blocked = poison_pill_at(600_000);
        let last = *blocked.mappings[0].invocations.last().unwrap();
        assert_eq!(last.ended, Ended::Error);
        let (_, d) = draw(&healthy, true);
        assert!(d.ended_ok + d.arriving >= 1 && d.ended_failed == 0, "{d:?}");
        // Its retries come seconds apart: a moment the newest has ended and landed.
        let mut shown = blocked.clone();
        shown.now = crate::sim::SimTime(last.ends.0.max(last.started.0 + 1_500) + 100);
        let (p, d) = draw(&shown, true);
        assert_eq!((d.ended_failed, d.ended_ok), (1, 0), "{d:?}");
        assert!(says(&p, "✗"));
        // Arriving batches are drawn only with motion; endings are drawn either way.
        let mut arriving = blocked;
        arriving.now = crate::sim::SimTime(last.started.0 + 100);
        assert_eq!(draw(&arriving, true).1.arriving, 1);
        assert!(says(
            &draw(&arriving, true).0,
            &format!("λ {}", last.records)
        ));
        assert_eq!(draw(&arriving, false).1.arriving, 0);
        assert_eq!(draw(&shown, false).1.ended_failed, 1);
        // A batch a second after the last one falls over the cell while the last
        // one's ending still shows under it.
        let mut both = poison_pill_at(30_000);
        let newest = *both.mappings[0].invocations.last().unwrap();
        let next = crate::sim::InvocationView {
            started: crate::sim::SimTime(newest.started.0 + 1_000),
            ends: crate::sim::SimTime(newest.ends.0 + 1_000),
            ..newest
        };
        both.mappings[0].invocations = vec![newest, next];
        both.now = crate::sim::SimTime(next.started.0 + 100);
        let (_, d) = draw(&both, true);
        assert_eq!((d.arriving, d.ended_ok), (1, 1), "{d:?}");
    }

    #[test]
    fn a_thousand_batches_at_once_fall_as_cards_that_never_cover_each_other_or_the_words() {
        let mut s = concurrency_budget_at(60_000);
        let newest = s.mappings[0]
            .invocations
            .iter()
            .map(|v| v.started.0)
            .max()
            .unwrap();
        s.now = crate::sim::SimTime(newest + 50);
        let visits = visits(&s, 3_000);
        assert!(visits.len() >= 32, "{}", visits.len());
        let (p, d) = concurrency_picture_visited(
            &s.concurrency,
            Throttles::default(),
            &visits,
            true,
            480.0,
            PRESENTER_TEXT_PX,
            &LIGHT,
        );
        assert!(d.arriving >= 1, "{d:?}");
        let cards: Vec<(f64, f64, f64, f64)> = p
            .shapes
            .iter()
            .take_while(|s| !matches!(s, Shape::Rect { fill, .. } if *fill == LIGHT.free_slot))
            .filter_map(|s| match s {
                Shape::Rect {
                    x, y, w, h, fill, ..
                } if *fill == LIGHT.batch => Some((*x, *y, *w, *h)),
                _ => None,
            })
            .collect();
        assert_eq!(
            cards.len() as u64,
            d.arriving,
            "every card drawn before the grid and its words"
        );
        for (i, a) in cards.iter().enumerate() {
            for b in &cards[i + 1..] {
                let apart =
                    a.0 + a.2 <= b.0 || b.0 + b.2 <= a.0 || a.1 + a.3 <= b.1 || b.1 + b.3 <= a.1;
                assert!(apart, "{a:?} covers {b:?}");
            }
        }
        // The words above the grid (the title, what a square stands for) end where
        // the first card may start: below their last baseline and its descent.
        let grid_top = p
            .shapes
            .iter()
            .find_map(|s| match s {
                Shape::Rect { y, fill, .. } if *fill == LIGHT.free_slot => Some(*y),
                _ => None,
            })
            .unwrap();
        let words_baseline = p
            .shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Text { text, y, .. } if !text.starts_with('λ') && *y < grid_top => Some(*y),
                _ => None,
            })
            .fold(f64::MIN, f64::max);
        assert!(words_baseline > 0.0, "the words are above the grid");
        for card in &cards {
            assert!(
                card.1 >= words_baseline + 0.25 * PRESENTER_TEXT_PX,
                "{card:?} lies over the words (their last baseline at {words_baseline})"
            );
        }
    }

    #[test]
    fn a_batch_falls_from_under_the_words_to_its_cell_and_only_with_motion() {
        let s = concurrency_budget_at(10_000);
        let card_at = |q: f64, motion: bool| {
            let one = [Visit {
                function: 0,
                records: 100,
                phase: Phase::Arriving(q),
            }];
            let (p, d) = concurrency_picture_visited(
                &s.concurrency,
                Throttles::default(),
                &one,
                motion,
                800.0,
                TEXT_PX,
                &LIGHT,
            );
            let card = p.shapes.iter().find_map(|s| match s {
                Shape::Rect { y, h, fill, .. } if *fill == LIGHT.batch => Some((*y, *h)),
                _ => None,
            });
            let grid_top = p.shapes.iter().find_map(|s| match s {
                Shape::Rect { y, fill, .. } if *fill == LIGHT.free_slot => Some(*y),
                _ => None,
            });
            (card, grid_top.unwrap(), d.arriving)
        };
        let (Some((start, h)), grid_top, _) = card_at(0.0, true) else {
            panic!("no card drawn at the start of its fall")
        };
        let (Some((landed, _)), ..) = card_at(1.0, true) else {
            panic!("no card drawn as it lands")
        };
        assert!(
            landed - start >= 0.75 * h,
            "it falls most of its own height: from {start} to {landed}"
        );
        // Without motion there is no card and no band for one: the grid moves up.
        let (still, still_top, arriving) = card_at(0.5, false);
        assert_eq!((still, arriving), (None, 0));
        assert!(still_top < grid_top, "{still_top} vs {grid_top}");
    }

    fn texts(p: &Picture) -> Vec<(&str, f64)> {
        p.shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Text { text, size_px, .. } => Some((text.as_str(), *size_px)),
                _ => None,
            })
            .collect()
    }

    /// The picture says `words`, on one line or wrapped over several.
    fn says(p: &Picture, words: &str) -> bool {
        let all: Vec<&str> = texts(p).iter().map(|(t, _)| *t).collect();
        all.join(" ").contains(words)
    }

    /// Full cells of `fill` (a band of a grouped cell counts by its share).
    fn filled_cells(p: &Picture, fill: &str, cell: f64) -> f64 {
        p.shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Rect {
                    fill: f,
                    h,
                    w,
                    stroke: None,
                    ..
                } if *f == fill && (*w - cell).abs() < 0.01 => Some(h / cell),
                _ => None,
            })
            .sum()
    }

    #[test]
    fn segments_fill_reserved_blocks_first_and_never_exceed_the_limit() {
        let s = segments(&view(1_000, 30, Some(100), 50));
        assert_eq!(
            s.iter().map(|s| (s.len, s.holder)).collect::<Vec<_>>(),
            [
                (30, Holder::Function(0)),
                (70, Holder::Free),
                (50, Holder::Other),
                (850, Holder::Free)
            ]
        );
        assert_eq!(s[1].reserved_by, Some(0));
        assert_eq!(s[2].reserved_by, None);
        let full = segments(&view(10, 8, None, 50));
        assert_eq!(full.iter().map(|s| s.len).sum::<u64>(), 10);
    }

    #[test]
    fn large_limits_are_grouped_in_tens_or_hundreds() {
        assert_eq!(slots_per_cell(100, 50), 1);
        assert_eq!(slots_per_cell(1_000, 100), 1);
        assert_eq!(slots_per_cell(1_000, 35), 10);
        assert_eq!(slots_per_cell(10_000, 35), 100);
        assert_eq!(slots_per_cell(0, 10), 1);
    }

    #[test]
    fn a_grouped_cell_shows_each_holders_share() {
        let s = segments(&view(1_000, 15, None, 0));
        let (shares, reserved) = cell_contents(&s, 1, 10, 1_000);
        assert_eq!(
            shares,
            [(Holder::Function(0), 0.5), (Holder::Free, 0.5)],
            "slots 10..20: five running, five free"
        );
        assert_eq!(reserved, None);
    }

    #[test]
    fn cells_fill_with_the_colour_of_the_function_holding_them() {
        // 1,000 slots in cells of ten: 400 held by the stream's function, 300 by the
        // others, 300 free.
        let (p, drawn) = concurrency_picture_drawn(
            &view(1_000, 400, None, 300),
            Throttles::default(),
            390.0,
            TEXT_PX,
            &LIGHT,
        );
        assert_eq!(drawn.per_cell, 10);
        assert_eq!((drawn.stream_slots, drawn.other_slots), (400, 300));
        let cell = 10.0 - 2.0;
        assert!((filled_cells(&p, LIGHT.functions[0], cell) - 40.0).abs() < 1e-9);
        assert!((filled_cells(&p, LIGHT.other_functions, cell) - 30.0).abs() < 1e-9);
        // Every cell has its free background under it.
        assert!((filled_cells(&p, LIGHT.free_slot, cell) - 100.0).abs() < 1e-9);
        // Full: every cell in the function's colour, in one cell a slot at 100.
        let (p, drawn) = concurrency_picture_drawn(
            &view(100, 100, None, 0),
            Throttles::default(),
            390.0,
            TEXT_PX,
            &LIGHT,
        );
        assert_eq!(drawn.per_cell, 1);
        assert!((filled_cells(&p, LIGHT.functions[0], cell) - 100.0).abs() < 1e-9);
        assert!(p.height_px < 260.0, "{}", p.height_px);
    }

    #[test]
    fn the_other_functions_waiting_requests_are_marked_at_the_edge() {
        // The concurrency budget at minute 2: the stream's function holds all 1,000
        // slots, the other functions want 50 and run none.
        let mut v = view(1_000, 1_000, None, 0);
        v.other_demand = 50;
        let quiet = concurrency_picture_drawn(
            &view(1_000, 1_000, None, 0),
            Throttles::default(),
            390.0,
            TEXT_PX,
            &LIGHT,
        );
        assert_eq!((quiet.1.stream_marks, quiet.1.other_marks), (0, 0));
        assert!(!quiet
            .0
            .shapes
            .iter()
            .any(|s| matches!(s, Shape::Hatch { .. })));
        let (p, drawn) = concurrency_picture_drawn(
            &v,
            Throttles {
                stream_per_s: 0,
                other_per_s: 50,
                ..Throttles::default()
            },
            390.0,
            TEXT_PX,
            &LIGHT,
        );
        assert_eq!(drawn.other_waiting, 50);
        assert_eq!(drawn.other_marks, 5, "50 requests in cells of ten");
        let edge = p
            .shapes
            .iter()
            .filter(|s| matches!(s, Shape::Rect { fill, stroke: Some(e), .. } if *fill == LIGHT.throttled && *e == LIGHT.other_functions))
            .count();
        assert_eq!(edge, 5 + 1, "five marks and the legend's swatch");
        // The marks sit under the grid's last row.
        let grid_bottom = p
            .shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Rect {
                    y,
                    h,
                    fill,
                    stroke: None,
                    ..
                } if *fill == LIGHT.functions[0] => Some(y + h),
                _ => None,
            })
            .fold(0.0, f64::max);
        let hatches: Vec<f64> = p
            .shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Hatch { y, .. } => Some(*y),
                _ => None,
            })
            .collect();
        assert_eq!(hatches.len(), 6);
        for y in hatches {
            assert!(y > grid_bottom, "{y} under {grid_bottom}");
        }
        assert!(says(
            &p,
            "other functions throttled: 50 waiting for a slot, 50 refused/s"
        ));
    }

    #[test]
    fn refused_requests_flash_at_the_grid_edge_and_a_quiet_grid_never_does() {
        let busy = view(10, 4, None, 12);
        let refused = Throttles {
            stream_per_s: 0,
            other_per_s: 6,
            lit: true,
        };
        let lit_bar = |p: &Picture| {
            p.shapes.iter().any(|s| {
                matches!(s, Shape::Rect { fill, stroke: Some(e), h, .. }
                    if *fill == LIGHT.throttled && *e == LIGHT.throttled_outline && *h == 4.0)
            })
        };
        let (on, drawn_on) = concurrency_picture_drawn(&busy, refused, 400.0, 14.0, &LIGHT);
        assert!(drawn_on.lit && lit_bar(&on), "the edge lights up");
        let dark = Throttles {
            lit: false,
            ..refused
        };
        let (off, drawn_off) = concurrency_picture_drawn(&busy, dark, 400.0, 14.0, &LIGHT);
        assert!(!drawn_off.lit && !lit_bar(&off), "and goes dark");
        assert_eq!(
            drawn_on.other_marks, drawn_off.other_marks,
            "the marks stay"
        );
        // Nothing refused: nothing flashes, whatever the phase.
        let quiet = view(10, 4, None, 2);
        let (q, drawn_q) = concurrency_picture_drawn(
            &quiet,
            Throttles {
                lit: true,
                ..Throttles::default()
            },
            400.0,
            14.0,
            &LIGHT,
        );
        assert!(!drawn_q.lit && !lit_bar(&q));
        // The phase: lit, dark, lit, 400 ms each; never with reduced motion.
        assert!(flash_lit(0.0, true) && !flash_lit(400.0, true) && flash_lit(800.0, true));
        assert!(!flash_lit(0.0, false) && !flash_lit(800.0, false));
    }

    #[test]
    fn the_stream_functions_throttles_are_marked_too() {
        let (p, drawn) = concurrency_picture_drawn(
            &view(100, 100, None, 0),
            Throttles {
                stream_per_s: 7,
                other_per_s: 0,
                ..Throttles::default()
            },
            400.0,
            TEXT_PX,
            &LIGHT,
        );
        assert_eq!((drawn.stream_marks, drawn.other_marks), (7, 0));
        assert!(says(&p, "enrich throttled: 7/s"));
        // A rate with none waiting still shows one mark.
        let (_, drawn) = concurrency_picture_drawn(
            &view(1_000, 10, None, 0),
            Throttles {
                stream_per_s: 0,
                other_per_s: 3,
                ..Throttles::default()
            },
            400.0,
            TEXT_PX,
            &LIGHT,
        );
        assert_eq!(drawn.other_marks, 1);
    }

    #[test]
    fn the_grid_says_what_a_square_holds_in_words() {
        let p = concurrency_picture(
            &view(1_000, 0, None, 0),
            Throttles::default(),
            390.0,
            TEXT_PX,
            &LIGHT,
        );
        assert!(says(
            &p,
            "One square = 10 slots: a slot runs one instance of a function."
        ));
        let p = concurrency_picture(
            &view(100, 0, None, 0),
            Throttles::default(),
            1_280.0,
            TEXT_PX,
            &LIGHT,
        );
        assert!(says(&p, "One square = one slot"));
    }

    #[test]
    fn text_is_the_size_asked_and_stays_inside_at_every_width() {
        let v = ConcurrencyView {
            other_demand: 400,
            ..view(1_000, 400, Some(500), 300)
        };
        let t = Throttles {
            stream_per_s: 12,
            other_per_s: 100,
            ..Throttles::default()
        };
        for (width, size) in [
            (390.0, TEXT_PX),
            (800.0, TEXT_PX),
            (1_280.0, TEXT_PX),
            (480.0, PRESENTER_TEXT_PX),
            (1_900.0, PRESENTER_TEXT_PX),
        ] {
            let (p, drawn) = concurrency_picture_drawn(&v, t, width, size, &LIGHT);
            assert_eq!(drawn.text_px, size as u64);
            let mut boxes = Vec::new();
            for s in &p.shapes {
                match s {
                    Shape::Rect { x, y, w, h, .. } => assert!(
                        *x >= 0.0 && x + w <= p.width_px && y + h <= p.height_px,
                        "{width}: {s:?}"
                    ),
                    Shape::Text {
                        x,
                        y,
                        text,
                        size_px,
                        bold,
                        ..
                    } => {
                        assert!(*size_px >= size, "{width}: {text} at {size_px}");
                        let w = text_width(text, *size_px, *bold);
                        assert!(x + w <= p.width_px, "{width}: {text:?} overflows");
                        assert!(*y <= p.height_px, "{width}: {text:?} below");
                        boxes.push((*x, y - size_px, x + w, *y, text.clone()));
                    }
                    _ => {}
                }
            }
            for (i, a) in boxes.iter().enumerate() {
                for b in &boxes[i + 1..] {
                    let apart = a.2 <= b.0 || b.2 <= a.0 || a.3 <= b.1 || b.3 <= a.1;
                    assert!(apart, "{width}: {:?} overlaps {:?}", a.4, b.4);
                }
            }
        }
    }

    #[test]
    fn long_words_wrap_to_the_width() {
        assert_eq!(
            wrap("one two three", 10.0, false, 1_000.0),
            ["one two three"]
        );
        let lines = wrap("one two three four", 10.0, false, 50.0);
        assert!(lines.len() >= 2, "{lines:?}");
        for l in &lines {
            assert!(
                text_width(l, 10.0, false) <= 50.0 || !l.contains(' '),
                "{l}"
            );
        }
    }
}
