//! The account's concurrency as a fixed grid of slots (design.md): one cell a slot,
//! or ten, or a hundred when the limit is large. Cells fill with the colour of the
//! function that holds them: the mapped functions first (their reserved capacity
//! outlined), then the account's other functions (reddish purple), then free slots.
//! When the other functions are throttled a striped yellow bar lights up at the
//! grid's edge. A legend with counts sits under the grid.
//!
//! Pure: no web APIs; `ui::canvas` paints the [`Picture`].

use super::format::{count, grouped};
use super::picture::{Align, Picture, Shape, Theme};
use crate::sim::ConcurrencyView;

const PAD_PX: f64 = 12.0;
const TITLE_PX: f64 = 22.0;
/// Room right of the grid for the throttle bar.
const EDGE_PX: f64 = 22.0;
const ROWS_MAX: u64 = 10;
const LEGEND_LINE_PX: f64 = 18.0;
const FONT_PX: f64 = 12.0;

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

/// The grid `width_px` wide (CSS pixels).
pub fn concurrency_picture(
    view: &ConcurrencyView,
    other_throttled_last_s: u64,
    width_px: f64,
    theme: &Theme,
) -> Picture {
    let width_px = width_px.max(160.0);
    let mut shapes = Vec::new();
    let text = |x, y, text: String, bold, colour| Shape::Text {
        x,
        y,
        text,
        align: Align::Left,
        size_px: FONT_PX,
        bold,
        colour,
    };
    let pitch = if width_px >= 600.0 { 12.0 } else { 10.0 };
    let cell = pitch - 2.0;
    let usable = width_px - 2.0 * PAD_PX - EDGE_PX;
    let columns = ((usable / pitch).floor() as u64).max(1);
    let limit = u64::from(view.limit);
    let per_cell = slots_per_cell(view.limit, columns);
    let cells = limit.div_ceil(per_cell);
    let rows = cells.div_ceil(columns).max(1);
    let segs = segments(view);

    shapes.push(text(
        PAD_PX,
        15.0,
        format!("Account concurrency: {}", count(limit, "slot", "slots")),
        true,
        theme.text,
    ));

    let colour = |h: Holder| match h {
        Holder::Function(i) => theme.function(i),
        Holder::Other => theme.other_functions,
        Holder::Free => theme.free_slot,
    };
    for c in 0..cells {
        let x = PAD_PX + (c % columns) as f64 * pitch;
        let y = TITLE_PX + (c / columns) as f64 * pitch;
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
    let grid_right = PAD_PX + columns.min(cells) as f64 * pitch;
    let grid_bottom = TITLE_PX + rows as f64 * pitch;
    if other_throttled_last_s > 0 {
        let x = grid_right + 4.0;
        shapes.push(Shape::Rect {
            x,
            y: TITLE_PX,
            w: 12.0,
            h: grid_bottom - TITLE_PX - 2.0,
            radius: 2.0,
            fill: theme.throttled,
            stroke: Some(theme.throttled_outline),
        });
        shapes.push(Shape::Hatch {
            x,
            y: TITLE_PX,
            w: 12.0,
            h: grid_bottom - TITLE_PX - 2.0,
            spacing: 5.0,
            width: 1.5,
            stroke: theme.throttled_outline,
        });
    }

    // The legend, flowing left to right and wrapping.
    let mut items: Vec<(Option<&'static str>, bool, String)> = Vec::new();
    for (i, f) in view.functions.iter().enumerate() {
        let mut s = format!("{}: {} running", f.function_name, grouped(f.running.into()));
        if let Some(r) = f.reserved {
            s.push_str(&format!(" of {} reserved", grouped(r.into())));
        }
        items.push((Some(theme.function(i)), f.reserved.is_some(), s));
    }
    items.push((
        Some(theme.other_functions),
        false,
        format!(
            "other functions: {} running of {} wanted",
            grouped(view.other_running.into()),
            grouped(view.other_demand.into())
        ),
    ));
    let used: u64 = segs
        .iter()
        .filter(|s| s.holder != Holder::Free)
        .map(|s| s.len)
        .sum();
    items.push((
        Some(theme.free_slot),
        false,
        format!("free: {}", grouped(limit - used)),
    ));
    if other_throttled_last_s > 0 {
        items.push((
            Some(theme.throttled),
            false,
            format!(
                "other functions throttled: {}/s",
                grouped(other_throttled_last_s)
            ),
        ));
    }
    items.push((
        None,
        false,
        format!("one cell = {}", count(per_cell, "slot", "slots")),
    ));
    let mut x = PAD_PX;
    let mut y = grid_bottom + 16.0;
    for (swatch, outlined, label) in items {
        let w = 16.0 + label.chars().count() as f64 * 6.6 + 14.0;
        if x > PAD_PX && x + w > width_px - PAD_PX {
            x = PAD_PX;
            y += LEGEND_LINE_PX;
        }
        if let Some(fill) = swatch {
            shapes.push(Shape::Rect {
                x,
                y: y - 9.0,
                w: 10.0,
                h: 10.0,
                radius: 0.0,
                fill,
                stroke: Some(if outlined { theme.text } else { theme.muted }),
            });
        }
        let label_x = if swatch.is_some() { x + 15.0 } else { x };
        shapes.push(text(label_x, y, label, false, theme.text));
        x += w;
    }
    Picture {
        width_px,
        height_px: y + 8.0,
        background: theme.background,
        shapes,
    }
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
    fn the_full_heavy_grid_is_all_function_colour() {
        let p = concurrency_picture(&view(1_000, 1_000, None, 0), 0, 1_280.0, &LIGHT);
        let filled = p
            .shapes
            .iter()
            .filter(|s| matches!(s, Shape::Rect { fill, h, stroke: None, .. } if *fill == LIGHT.functions[0] && *h > 9.0))
            .count();
        assert_eq!(filled, 1_000);
        assert!(p.height_px < 260.0, "{}", p.height_px);
    }

    #[test]
    fn throttles_light_the_edge_and_say_how_many() {
        let quiet = concurrency_picture(&view(100, 10, None, 90), 0, 400.0, &LIGHT);
        let loud = concurrency_picture(&view(100, 10, None, 90), 7, 400.0, &LIGHT);
        let has_bar = |p: &Picture| p.shapes.iter().any(|s| matches!(s, Shape::Hatch { .. }));
        assert!(!has_bar(&quiet));
        assert!(has_bar(&loud));
        let said = loud.shapes.iter().any(
            |s| matches!(s, Shape::Text { text, .. } if text == "other functions throttled: 7/s"),
        );
        assert!(said);
    }

    #[test]
    fn the_legend_says_what_a_cell_holds() {
        let p = concurrency_picture(&view(1_000, 0, None, 0), 0, 390.0, &LIGHT);
        let said = p
            .shapes
            .iter()
            .any(|s| matches!(s, Shape::Text { text, .. } if text == "one cell = 10 slots"));
        assert!(said);
    }

    #[test]
    fn everything_stays_inside_at_phone_width() {
        let p = concurrency_picture(&view(1_000, 400, Some(500), 300), 3, 390.0, &LIGHT);
        for s in &p.shapes {
            if let Shape::Rect { x, y, w, h, .. } = s {
                assert!(
                    *x >= 0.0 && x + w <= p.width_px && y + h <= p.height_px,
                    "{s:?}"
                );
            }
        }
    }
}
