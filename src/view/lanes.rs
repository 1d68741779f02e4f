//! The stream picture as plain data: where each shard's lane, fill and labels go, and
//! in which colours (design.md). Shards are horizontal tubes, one a lane; records enter
//! at the right (the write head) and age towards the left (the trim horizon).
//!
//! Pure: no web APIs. `ui::canvas` paints the [`Picture`]; its tests run
//! natively.

use super::format::{count, grouped, per_s};
use crate::sim::ShardView;

/// Lanes drawn at most; the rest are summed up in one line under the picture.
pub const LANES_DRAWN_MAX: usize = 32;

/// Below this width each lane takes two lines of text instead of one.
pub const WIDE_MIN_PX: f64 = 600.0;

const PAD_PX: f64 = 12.0;
const HEADER_PX: f64 = 26.0;
const LANE_WIDE_PX: f64 = 44.0;
const LANE_NARROW_PX: f64 = 60.0;
const TUBE_PX: f64 = 16.0;
/// Room right of the tubes for the throttle marker.
const GUTTER_PX: f64 = 22.0;
const FONT_PX: f64 = 12.0;
const SMALL_FONT_PX: f64 = 11.0;

/// Colours of one theme: Okabe-Ito for meanings, neutral greys for the rest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Theme {
    pub background: &'static str,
    pub text: &'static str,
    pub muted: &'static str,
    /// The empty tube.
    pub track: &'static str,
    /// Records waiting in the shard.
    pub waiting: &'static str,
    /// Entries throttled at the write head.
    pub throttled: &'static str,
    pub throttled_outline: &'static str,
}

pub const LIGHT: Theme = Theme {
    background: "#ffffff",
    text: "#1b1f24",
    muted: "#57606a",
    track: "#e6e9ed",
    waiting: "#0072B2",
    throttled: "#F0E442",
    throttled_outline: "#3d3a00",
};

pub const DARK: Theme = Theme {
    background: "#161b22",
    text: "#e6edf3",
    muted: "#9da7b3",
    track: "#252c35",
    waiting: "#3d9bd6",
    throttled: "#F0E442",
    throttled_outline: "#0d1117",
};

impl Theme {
    pub fn for_scheme(dark: bool) -> &'static Theme {
        if dark {
            &DARK
        } else {
            &LIGHT
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
    Center,
}

/// One thing to paint, in CSS pixels from the picture's top left corner.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    Rect {
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        radius: f64,
        fill: &'static str,
        stroke: Option<&'static str>,
    },
    Line {
        from: (f64, f64),
        to: (f64, f64),
        width: f64,
        stroke: &'static str,
    },
    /// `y` is the text's alphabetic baseline.
    Text {
        x: f64,
        y: f64,
        text: String,
        align: Align,
        size_px: f64,
        bold: bool,
        colour: &'static str,
    },
}

/// A whole picture: its size and what to paint, back to front.
#[derive(Clone, Debug, PartialEq)]
pub struct Picture {
    pub width_px: f64,
    pub height_px: f64,
    pub background: &'static str,
    pub shapes: Vec<Shape>,
}

/// `shardId-000000000003` as `shard 3`; other ids as they are.
pub fn shard_label(shard_id: &str) -> String {
    match shard_id.strip_prefix("shardId-").map(str::parse::<u64>) {
        Some(Ok(n)) => format!("shard {n}"),
        _ => shard_id.to_string(),
    }
}

/// The picture in words, for screen readers.
pub fn describe(shards: &[ShardView]) -> String {
    let records: u64 = shards.iter().map(|s| s.records).sum();
    let incoming: u64 = shards.iter().map(|s| s.incoming_last_s).sum();
    let throttled: u64 = shards.iter().map(|s| s.throttled_last_s).sum();
    format!(
        "{} holding {}; {} in, {} throttled in the last second",
        count(shards.len() as u64, "shard", "shards"),
        count(records, "record", "records"),
        per_s(incoming, "records"),
        per_s(throttled, "entries"),
    )
}

/// Lays the shards out as lanes in a picture `width_px` wide (CSS pixels). Each lane's
/// fill is its records relative to the fullest shard, grown from the write head.
pub fn stream_picture(shards: &[ShardView], width_px: f64, theme: &Theme) -> Picture {
    let width_px = width_px.max(2.0 * PAD_PX + GUTTER_PX + 40.0);
    let mut shapes = Vec::new();
    let left = PAD_PX;
    let right = width_px - PAD_PX;
    let muted_text = |x, y, text: &str, align| Shape::Text {
        x,
        y,
        text: text.to_string(),
        align,
        size_px: SMALL_FONT_PX,
        bold: false,
        colour: theme.muted,
    };

    if shards.is_empty() {
        let height_px = 72.0;
        shapes.push(muted_text(
            width_px / 2.0,
            height_px / 2.0 + 4.0,
            "No shards to draw yet",
            Align::Center,
        ));
        return Picture {
            width_px,
            height_px,
            background: theme.background,
            shapes,
        };
    }

    shapes.push(muted_text(
        left,
        16.0,
        "◂ trim horizon (oldest)",
        Align::Left,
    ));
    shapes.push(muted_text(
        right,
        16.0,
        "write head (newest) ▸",
        Align::Right,
    ));

    let wide = width_px >= WIDE_MIN_PX;
    let lane_px = if wide { LANE_WIDE_PX } else { LANE_NARROW_PX };
    let tube_left = left;
    let tube_right = right - GUTTER_PX;
    let tube_w = tube_right - tube_left;
    let fullest = shards.iter().map(|s| s.records).max().unwrap_or(0);

    let drawn = &shards[..shards.len().min(LANES_DRAWN_MAX)];
    for (i, shard) in drawn.iter().enumerate() {
        let top = HEADER_PX + i as f64 * lane_px;
        let text_y = top + 13.0;
        let tube_y = top + 19.0;
        let text = |x, y, text: String, align, bold| Shape::Text {
            x,
            y,
            text,
            align,
            size_px: FONT_PX,
            bold,
            colour: theme.text,
        };
        let records = count(shard.records, "record", "records");
        let rates = format!(
            "{} in · {} throttled/s",
            per_s(shard.incoming_last_s, "records"),
            grouped(shard.throttled_last_s)
        );
        if wide {
            shapes.push(text(
                left,
                text_y,
                shard_label(&shard.shard_id),
                Align::Left,
                true,
            ));
            shapes.push(muted_text(
                left + 64.0,
                text_y,
                &shard.shard_id,
                Align::Left,
            ));
            shapes.push(text(
                right,
                text_y,
                format!("{records} · {rates}"),
                Align::Right,
                false,
            ));
        } else {
            shapes.push(text(
                left,
                text_y,
                shard_label(&shard.shard_id),
                Align::Left,
                true,
            ));
            shapes.push(text(right, text_y, records, Align::Right, false));
            shapes.push(text(
                right,
                tube_y + TUBE_PX + 15.0,
                rates,
                Align::Right,
                false,
            ));
        }

        shapes.push(Shape::Rect {
            x: tube_left,
            y: tube_y,
            w: tube_w,
            h: TUBE_PX,
            radius: TUBE_PX / 2.0,
            fill: theme.track,
            stroke: None,
        });
        let fill_w = fill_width(shard.records, fullest, tube_w);
        if fill_w > 0.0 {
            shapes.push(Shape::Rect {
                x: tube_right - fill_w,
                y: tube_y,
                w: fill_w,
                h: TUBE_PX,
                radius: (TUBE_PX / 2.0).min(fill_w / 2.0),
                fill: theme.waiting,
                stroke: None,
            });
        }
        if shard.throttled_last_s > 0 {
            throttle_marker(&mut shapes, tube_right + 6.0, tube_y, TUBE_PX, theme);
        }
    }

    let mut height_px = HEADER_PX + drawn.len() as f64 * lane_px + 6.0;
    let hidden = shards.len() - drawn.len();
    if hidden > 0 {
        let text = format!(
            "+ {} not drawn",
            count(hidden as u64, "more shard", "more shards")
        );
        shapes.push(muted_text(left, height_px + 10.0, &text, Align::Left));
        height_px += 20.0;
    }
    Picture {
        width_px,
        height_px,
        background: theme.background,
        shapes,
    }
}

/// The width of a lane's fill: its records relative to the fullest shard; a shard that
/// holds anything shows at least a sliver.
pub fn fill_width(records: u64, fullest: u64, tube_w: f64) -> f64 {
    if records == 0 || fullest == 0 {
        return 0.0;
    }
    let share = records as f64 / fullest as f64;
    (share * tube_w).clamp(2.0, tube_w)
}

/// A square of yellow with dark diagonal stripes and outline: readable in grey print.
fn throttle_marker(shapes: &mut Vec<Shape>, x: f64, y: f64, side: f64, theme: &Theme) {
    shapes.push(Shape::Rect {
        x,
        y,
        w: side,
        h: side,
        radius: 2.0,
        fill: theme.throttled,
        stroke: None,
    });
    // Stripes of slope -1 (x + y = c), clipped to the square.
    let mut c = 4.0;
    while c < 2.0 * side {
        let from = (x + (c - side).max(0.0), y + c.min(side));
        let to = (x + c.min(side), y + (c - side).max(0.0));
        shapes.push(Shape::Line {
            from,
            to,
            width: 1.5,
            stroke: theme.throttled_outline,
        });
        c += 5.0;
    }
    shapes.push(Shape::Rect {
        x,
        y,
        w: side,
        h: side,
        radius: 2.0,
        fill: "transparent",
        stroke: Some(theme.throttled_outline),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shard(i: usize, records: u64, throttled_last_s: u64) -> ShardView {
        ShardView {
            shard_id: format!("shardId-{i:012}"),
            records,
            bytes: records * 500,
            oldest_arrival: None,
            incoming_last_s: 625,
            throttled_last_s,
            trim_horizon: 0,
            write_head: records,
            marks: Vec::new(),
        }
    }

    fn fills(p: &Picture, theme: &Theme) -> Vec<(f64, f64)> {
        p.shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Rect { x, w, fill, .. } if *fill == theme.waiting => Some((*x, *w)),
                _ => None,
            })
            .collect()
    }

    fn texts(p: &Picture) -> Vec<&str> {
        p.shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn fills_are_relative_to_the_fullest_shard_and_grow_from_the_write_head() {
        let shards = [shard(0, 1_000, 0), shard(1, 500, 0), shard(2, 0, 0)];
        let p = stream_picture(&shards, 1_000.0, &LIGHT);
        let f = fills(&p, &LIGHT);
        assert_eq!(f.len(), 2, "an empty shard has no fill");
        let (x0, w0) = f[0];
        let (x1, w1) = f[1];
        assert!(
            (w1 * 2.0 - w0).abs() < 1e-9,
            "half the records, half the width: {w0} {w1}"
        );
        assert!(
            (x0 + w0 - (x1 + w1)).abs() < 1e-9,
            "both fills end at the write head"
        );
        assert_eq!(x0, PAD_PX, "the fullest shard fills the whole tube");
    }

    #[test]
    fn a_sliver_shows_for_a_nearly_empty_shard() {
        assert_eq!(fill_width(1, 1_000_000, 500.0), 2.0);
        assert_eq!(fill_width(0, 0, 500.0), 0.0);
        assert_eq!(fill_width(7, 7, 500.0), 500.0);
    }

    #[test]
    fn every_lane_shows_records_and_rates_with_units() {
        for width in [390.0, 1_000.0] {
            let p = stream_picture(&[shard(3, 12_345, 40)], width, &DARK);
            let all = texts(&p).join(" | ");
            assert!(all.contains("shard 3"), "{all}");
            assert!(all.contains("12,345 records"), "{all}");
            assert!(all.contains("625 records/s in"), "{all}");
            assert!(all.contains("40 throttled/s"), "{all}");
        }
    }

    #[test]
    fn throttling_draws_a_marker_only_when_it_happens() {
        let with = stream_picture(&[shard(0, 10, 5)], 800.0, &LIGHT);
        let without = stream_picture(&[shard(0, 10, 0)], 800.0, &LIGHT);
        let has_marker = |p: &Picture| {
            p.shapes
                .iter()
                .any(|s| matches!(s, Shape::Rect { fill, .. } if *fill == LIGHT.throttled))
        };
        assert!(has_marker(&with));
        assert!(!has_marker(&without));
    }

    #[test]
    fn everything_stays_inside_the_picture() {
        let shards: Vec<ShardView> = (0..8).map(|i| shard(i, 100 * i as u64, i as u64)).collect();
        for width in [200.0, 390.0, 599.0, 600.0, 1_280.0] {
            let p = stream_picture(&shards, width, &LIGHT);
            for s in &p.shapes {
                let (x0, y0, x1, y1) = match s {
                    Shape::Rect { x, y, w, h, .. } => (*x, *y, x + w, y + h),
                    Shape::Line { from, to, .. } => (
                        from.0.min(to.0),
                        from.1.min(to.1),
                        from.0.max(to.0),
                        from.1.max(to.1),
                    ),
                    Shape::Text { x, y, .. } => (*x, *y, *x, *y),
                };
                assert!(
                    x0 >= 0.0 && y0 >= 0.0 && x1 <= p.width_px && y1 <= p.height_px,
                    "{s:?} outside {width}"
                );
            }
        }
    }

    #[test]
    fn many_shards_are_capped_and_counted() {
        let shards: Vec<ShardView> = (0..100).map(|i| shard(i, 1, 0)).collect();
        let p = stream_picture(&shards, 800.0, &LIGHT);
        assert_eq!(fills(&p, &LIGHT).len(), LANES_DRAWN_MAX);
        assert!(texts(&p).contains(&"+ 68 more shards not drawn"));
    }

    #[test]
    fn no_shards_is_said_not_drawn_blank() {
        let p = stream_picture(&[], 800.0, &LIGHT);
        assert_eq!(texts(&p), ["No shards to draw yet"]);
        assert_eq!(
            describe(&[]),
            "0 shards holding 0 records; 0 records/s in, 0 entries/s throttled in the last second"
        );
    }

    #[test]
    fn shard_labels_are_short() {
        assert_eq!(shard_label("shardId-000000000003"), "shard 3");
        assert_eq!(shard_label("custom"), "custom");
    }
}
