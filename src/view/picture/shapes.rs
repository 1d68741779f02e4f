//! The shapes every picture is made of, and the painter that writes them.

use super::*;

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
    /// A rectangle's outline only.
    Outline {
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        width: f64,
        stroke: &'static str,
        dashed: bool,
    },
    /// Diagonal stripes (rising to the right) clipped to a rectangle: pills, blocked
    /// lanes, throttles. Readable in grey print and without colour vision.
    Hatch {
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        spacing: f64,
        width: f64,
        stroke: &'static str,
    },
    Line {
        from: (f64, f64),
        to: (f64, f64),
        width: f64,
        stroke: &'static str,
    },
    /// A closed, filled polygon (the iterator markers' heads).
    Polygon {
        points: Vec<(f64, f64)>,
        fill: &'static str,
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

impl Picture {
    /// The same picture `k` times larger: every place, size, line and text.
    pub fn scale(&mut self, k: f64) {
        if (k - 1.0).abs() < 1e-9 {
            return;
        }
        self.width_px *= k;
        self.height_px *= k;
        for shape in &mut self.shapes {
            match shape {
                Shape::Rect {
                    x, y, w, h, radius, ..
                } => {
                    (*x, *y, *w, *h, *radius) = (*x * k, *y * k, *w * k, *h * k, *radius * k);
                }
                Shape::Outline {
                    x, y, w, h, width, ..
                } => {
                    (*x, *y, *w, *h, *width) = (*x * k, *y * k, *w * k, *h * k, *width * k);
                }
                Shape::Hatch {
                    x,
                    y,
                    w,
                    h,
                    spacing,
                    width,
                    ..
                } => {
                    (*x, *y, *w, *h) = (*x * k, *y * k, *w * k, *h * k);
                    (*spacing, *width) = (*spacing * k, *width * k);
                }
                Shape::Line {
                    from, to, width, ..
                } => {
                    *from = (from.0 * k, from.1 * k);
                    *to = (to.0 * k, to.1 * k);
                    *width *= k;
                }
                Shape::Polygon { points, .. } => {
                    for pt in points {
                        *pt = (pt.0 * k, pt.1 * k);
                    }
                }
                Shape::Text { x, y, size_px, .. } => {
                    (*x, *y, *size_px) = (*x * k, *y * k, *size_px * k);
                }
            }
        }
    }
}

impl Shape {
    /// The rows it covers, `(top, bottom)` in CSS pixels (a text's from above its
    /// capitals to below its descenders).
    pub fn rows(&self) -> (f64, f64) {
        match self {
            Shape::Rect { y, h, .. } | Shape::Outline { y, h, .. } | Shape::Hatch { y, h, .. } => {
                (y.min(y + h), y.max(y + h))
            }
            Shape::Line {
                from, to, width, ..
            } => (from.1.min(to.1) - width, from.1.max(to.1) + width),
            Shape::Polygon { points, .. } => points
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| {
                    (a.min(p.1), b.max(p.1))
                }),
            Shape::Text { y, size_px, .. } => (y - size_px, y + size_px * 0.4),
        }
    }
}

/// Of a picture taller than the window, the page paints the rows the window shows
/// and this share of a window above and below them: enough for the scrolling of one
/// frame (the next paints the rows then in view), and no more, since at thousands of
/// shards the rows painted are most of a frame's pictures (4,096 shards: 1,689 shapes
/// with half a window each side).
pub const ON_SCREEN_MARGIN: f64 = 0.125;

impl Picture {
    /// Leaves out the shapes wholly above `top` or below `bottom` (CSS pixels): the
    /// page paints only the rows the window shows of a picture taller than it.
    /// What is kept keeps its order, so what it paints is what the whole picture
    /// paints there.
    pub fn keep_between(&mut self, top: f64, bottom: f64) {
        self.shapes.retain(|s| {
            let (t, b) = s.rows();
            b >= top && t <= bottom
        });
    }
}

/// What the page highlights (a clicked journal entry or table row).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Highlight {
    pub shard: Option<u32>,
    pub mapping: Option<usize>,
}

#[derive(Clone, Copy)]
pub(super) enum Style {
    Normal,
    Bold,
    Small,
    Muted,
}

pub(super) struct Painter<'t> {
    pub(super) shapes: Vec<Shape>,
    pub(super) theme: &'t Theme,
}

impl Painter<'_> {
    pub(super) fn text(&mut self, x: f64, y: f64, text: String, align: Align, style: Style) {
        let (size_px, bold, colour) = match style {
            Style::Normal => (FONT_PX, false, self.theme.text),
            Style::Bold => (FONT_PX, true, self.theme.text),
            Style::Small => (SMALL_FONT_PX, false, self.theme.text),
            Style::Muted => (SMALL_FONT_PX, false, self.theme.muted),
        };
        self.shapes.push(Shape::Text {
            x,
            y,
            text,
            align,
            size_px,
            bold,
            colour,
        });
    }

    pub(super) fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, fill: &'static str) {
        self.shapes.push(Shape::Rect {
            x,
            y,
            w,
            h,
            radius: 0.0,
            fill,
            stroke: None,
        });
    }

    pub(super) fn line(
        &mut self,
        from: (f64, f64),
        to: (f64, f64),
        width: f64,
        stroke: &'static str,
    ) {
        self.shapes.push(Shape::Line {
            from,
            to,
            width,
            stroke,
        });
    }
}

/// A square of yellow with dark diagonal stripes and outline: readable in grey print.
pub(super) fn throttle_marker(shapes: &mut Vec<Shape>, x: f64, y: f64, side: f64, theme: &Theme) {
    shapes.push(Shape::Rect {
        x,
        y,
        w: side,
        h: side,
        radius: 2.0,
        fill: theme.throttled,
        stroke: Some(theme.throttled_outline),
    });
    shapes.push(Shape::Hatch {
        x,
        y,
        w: side,
        h: side,
        spacing: 5.0,
        width: 1.5,
        stroke: theme.throttled_outline,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::ShardView;

    fn shard(i: usize) -> ShardView {
        ShardView {
            shard_id: format!("shardId-{i:012}"),
            records: 1_000,
            bytes: 500_000,
            oldest_arrival: Some(SimTime(0)),
            incoming_last_s: 625,
            throttled_last_s: 0,
            trim_horizon: 0,
            write_head: 1_000,
            marks: Vec::new(),
            timeline: vec![(0, SimTime(0)), (999, SimTime(3_600_000))],
        }
    }

    #[test]
    fn keeping_a_band_keeps_every_shape_that_reaches_into_it_in_order() {
        let shards: Vec<ShardView> = (0..4_096).map(shard).collect();
        let whole = stream_picture(&shards, 1_200.0, &LIGHT);
        let (top, bottom) = (1_000.0, 1_800.0);
        let mut band = whole.clone();
        band.keep_between(top, bottom);
        let reaches = |s: &Shape| {
            let (t, b) = s.rows();
            b >= top && t <= bottom
        };
        let expected: Vec<&Shape> = whole.shapes.iter().filter(|s| reaches(s)).collect();
        assert_eq!(band.shapes.iter().collect::<Vec<_>>(), expected);
        assert!(!band.shapes.is_empty());
        assert!(
            band.shapes.len() * 3 < whole.shapes.len(),
            "{} of {} shapes kept",
            band.shapes.len(),
            whole.shapes.len()
        );
        // The band's size and background stay the whole picture's.
        assert_eq!(
            (band.width_px, band.height_px, band.background),
            (whole.width_px, whole.height_px, whole.background)
        );
    }

    #[test]
    fn a_shapes_rows_cover_it() {
        let text = Shape::Text {
            x: 0.0,
            y: 20.0,
            text: "1 min".to_string(),
            align: Align::Left,
            size_px: 10.0,
            bold: false,
            colour: LIGHT.text,
        };
        assert_eq!(text.rows(), (10.0, 24.0));
        let line = Shape::Line {
            from: (0.0, 30.0),
            to: (5.0, 10.0),
            width: 1.0,
            stroke: LIGHT.text,
        };
        assert_eq!(line.rows(), (9.0, 31.0));
        let rect = Shape::Rect {
            x: 0.0,
            y: 5.0,
            w: 3.0,
            h: 2.0,
            radius: 0.0,
            fill: LIGHT.text,
            stroke: None,
        };
        assert_eq!(rect.rows(), (5.0, 7.0));
    }
}
