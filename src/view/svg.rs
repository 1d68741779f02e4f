//! The pictures and charts as SVG, for a blog post: written from the same pure data
//! the canvas paints (`picture::Picture`, `charts::ChartData`), as vector shapes and
//! text, never as a bitmap inside an SVG. Every text is escaped.

use std::fmt::Write as _;

use super::charts::{clock_label, line_styles, short_number, time_ticks, ChartData};
use super::format::escape_markup;
use super::picture::{Align, Picture, Shape, Theme};

const FONT_FAMILY: &str = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif";

/// A number for an attribute: finite, at most two decimals.
fn n(v: f64) -> String {
    if !v.is_finite() {
        return "0".to_string();
    }
    let r = (v * 100.0).round() / 100.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r}")
    }
}

fn open(out: &mut String, width: f64, height: f64, title: &str) {
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"{FONT_FAMILY}\">\n<title>{}</title>\n",
        escape_markup(title),
        w = n(width),
        h = n(height),
    );
}

/// Writes a `<text>` with its baseline at `(x, y)`.
fn text(
    out: &mut String,
    (x, y): (f64, f64),
    s: &str,
    anchor: &str,
    size: f64,
    bold: bool,
    fill: &str,
) {
    let weight = if bold { " font-weight=\"600\"" } else { "" };
    let _ = writeln!(
        out,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\" font-size=\"{}\"{weight} fill=\"{}\">{}</text>",
        n(x),
        n(y),
        n(size),
        escape_markup(fill),
        escape_markup(s)
    );
}

/// A picture of `lanes` or `grid` as SVG: one element a shape, in painting order.
pub fn picture(p: &Picture, title: &str) -> String {
    let mut out = String::new();
    open(&mut out, p.width_px, p.height_px, title);
    let _ = writeln!(
        out,
        "<rect width=\"100%\" height=\"100%\" fill=\"{}\"/>",
        escape_markup(p.background)
    );
    let mut clips = 0;
    for shape in &p.shapes {
        match shape {
            Shape::Rect {
                x,
                y,
                w,
                h,
                radius,
                fill,
                stroke,
            } => {
                let stroke = stroke.map_or(String::new(), |s| {
                    format!(" stroke=\"{}\" stroke-width=\"1\"", escape_markup(s))
                });
                let _ = writeln!(
                    out,
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\" fill=\"{}\"{stroke}/>",
                    n(*x),
                    n(*y),
                    n(w.max(0.0)),
                    n(h.max(0.0)),
                    n(*radius),
                    escape_markup(fill)
                );
            }
            Shape::Outline {
                x,
                y,
                w,
                h,
                width,
                stroke,
                dashed,
            } => {
                let dash = if *dashed {
                    " stroke-dasharray=\"4 3\""
                } else {
                    ""
                };
                let _ = writeln!(
                    out,
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"{}\"{dash}/>",
                    n(*x),
                    n(*y),
                    n(w.max(0.0)),
                    n(h.max(0.0)),
                    escape_markup(stroke),
                    n(*width)
                );
            }
            Shape::Hatch {
                x,
                y,
                w,
                h,
                spacing,
                width,
                stroke,
            } => {
                clips += 1;
                let id = format!("hatch{clips}");
                let mut d = String::new();
                let mut c = -h;
                while c < *w {
                    let _ = write!(d, "M{} {}L{} {}", n(x + c), n(y + h), n(x + c + h), n(*y));
                    c += spacing.max(1.0);
                }
                let _ = writeln!(
                    out,
                    "<clipPath id=\"{id}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/></clipPath><path clip-path=\"url(#{id})\" d=\"{d}\" fill=\"none\" stroke=\"{}\" stroke-width=\"{}\"/>",
                    n(*x),
                    n(*y),
                    n(w.max(0.0)),
                    n(h.max(0.0)),
                    escape_markup(stroke),
                    n(*width)
                );
            }
            Shape::Line {
                from,
                to,
                width,
                stroke,
            } => {
                let _ = writeln!(
                    out,
                    "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"{}\"/>",
                    n(from.0),
                    n(from.1),
                    n(to.0),
                    n(to.1),
                    escape_markup(stroke),
                    n(*width)
                );
            }
            Shape::Polygon { points, fill } => {
                let pts: Vec<String> = points
                    .iter()
                    .map(|p| format!("{},{}", n(p.0), n(p.1)))
                    .collect();
                let _ = writeln!(
                    out,
                    "<polygon points=\"{}\" fill=\"{}\"/>",
                    pts.join(" "),
                    escape_markup(fill)
                );
            }
            Shape::Text {
                x,
                y,
                text: t,
                align,
                size_px,
                bold,
                colour,
            } => {
                let anchor = match align {
                    Align::Left => "start",
                    Align::Right => "end",
                    Align::Center => "middle",
                };
                text(&mut out, (*x, *y), t, anchor, *size_px, *bold, colour);
            }
        }
    }
    out.push_str("</svg>\n");
    out
}

/// One chart as SVG: title, a legend with each line's newest value, axes with the
/// clock and the unit, each line a polyline (a lone point a dot), limits dashed.
pub fn chart(data: &ChartData, theme: &Theme, width: f64, height: f64) -> String {
    let width = width.clamp(320.0, 2_000.0);
    let height = height.clamp(200.0, 1_200.0);
    let mut out = String::new();
    open(&mut out, width, height, &data.title);
    let _ = writeln!(
        out,
        "<rect width=\"100%\" height=\"100%\" fill=\"{}\"/>",
        escape_markup(theme.background)
    );
    text(
        &mut out,
        (8.0, 18.0),
        &data.title,
        "start",
        13.0,
        true,
        theme.text,
    );
    let styles = line_styles(data, theme);
    // The legend: a swatch, the name and the newest value.
    let mut x = 8.0;
    for (line, &(colour, dashed)) in data.lines.iter().zip(&styles) {
        let newest = line
            .points
            .last()
            .filter(|p| p.1.is_finite())
            .map_or("-".to_string(), |p| short_number(p.1));
        let label = format!("{}: {newest}", line.name);
        let dash = if dashed {
            " stroke-dasharray=\"4 3\""
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "<line x1=\"{}\" y1=\"33\" x2=\"{}\" y2=\"33\" stroke=\"{}\" stroke-width=\"2\"{dash}/>",
            n(x),
            n(x + 14.0),
            escape_markup(colour)
        );
        text(
            &mut out,
            (x + 18.0, 37.0),
            &label,
            "start",
            11.0,
            false,
            theme.text,
        );
        x += 26.0 + 6.0 * label.chars().count() as f64;
    }
    let (left, right, top, bottom) = (52.0, width - 12.0, 50.0, height - 24.0);
    let (x0, x1) = data.x_range;
    let x_span = (x1 - x0).max(1.0);
    let y_max = data.y_max(1.0) * 1.1;
    let px = |t: f64| left + (t - x0) / x_span * (right - left);
    let py = |v: f64| bottom - v / y_max * (bottom - top);
    // Axes and grid.
    for i in 0..=4 {
        let v = y_max * f64::from(i) / 4.0;
        let y = py(v);
        let _ = writeln!(
            out,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"1\"/>",
            n(left),
            n(y),
            n(right),
            n(y),
            escape_markup(theme.grid)
        );
        text(
            &mut out,
            (left - 4.0, y + 4.0),
            &short_number(v),
            "end",
            10.0,
            false,
            theme.muted,
        );
    }
    text(
        &mut out,
        (left, top - 4.0),
        data.y_unit,
        "start",
        10.0,
        false,
        theme.muted,
    );
    for t in time_ticks(x0, x1, 6) {
        text(
            &mut out,
            (px(t), bottom + 16.0),
            &clock_label(t),
            "middle",
            10.0,
            false,
            theme.muted,
        );
    }
    for (line, &(colour, dashed)) in data.lines.iter().zip(&styles) {
        let finite: Vec<(f64, f64)> = line
            .points
            .iter()
            .copied()
            .filter(|p| p.0.is_finite() && p.1.is_finite())
            .collect();
        match finite.as_slice() {
            [] => {}
            [(t, v)] => {
                let _ = writeln!(
                    out,
                    "<circle cx=\"{}\" cy=\"{}\" r=\"2.5\" fill=\"{}\"/>",
                    n(px(*t)),
                    n(py(*v)),
                    escape_markup(colour)
                );
            }
            points => {
                let pts: Vec<String> = points
                    .iter()
                    .map(|&(t, v)| format!("{},{}", n(px(t)), n(py(v))))
                    .collect();
                let dash = if dashed {
                    " stroke-dasharray=\"6 4\""
                } else {
                    ""
                };
                let _ = writeln!(
                    out,
                    "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"{dash}/>",
                    pts.join(" "),
                    escape_markup(colour)
                );
            }
        }
    }
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{parse_scenario, SimTime, Simulation};
    use crate::view::charts::{series, ChartKind, ChartLimits, Line, Resolution, Role};
    use crate::view::picture::{self, Highlight, LIGHT};
    use crate::view::scenarios::BUILT_IN;

    /// Element names opened and closed balance, and no attribute holds NaN.
    fn well_formed(svg: &str) {
        let mut stack: Vec<String> = Vec::new();
        let mut rest = svg;
        while let Some(i) = rest.find('<') {
            rest = &rest[i + 1..];
            let end = rest.find('>').expect("a tag ends");
            let tag = &rest[..end];
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(stack.pop().as_deref(), Some(name), "closing {name}");
            } else if !tag.ends_with('/') {
                let name = tag.split([' ', '\n']).next().unwrap_or("");
                stack.push(name.to_string());
            }
            rest = &rest[end + 1..];
        }
        assert!(stack.is_empty(), "unclosed: {stack:?}");
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    }

    fn poison_pill_at(s: u64) -> Simulation {
        let json = BUILT_IN
            .iter()
            .find(|b| b.file == "poison-pill.json")
            .expect("built in")
            .json;
        let mut sim = Simulation::new(&parse_scenario(json).expect("parses"));
        sim.run_until(SimTime::from_s(s), usize::MAX);
        sim
    }

    #[test]
    fn the_stream_picture_becomes_one_element_a_shape() {
        let sim = poison_pill_at(600);
        let snapshot = sim.snapshot();
        let input = picture::StreamInput::from_snapshot(&snapshot, Highlight::default());
        let p = picture::picture(&input, 800.0, &LIGHT);
        let svg = picture(&p, "poison <pill> & \"friends\"");
        well_formed(&svg);
        assert!(svg.contains("<title>poison &lt;pill&gt; &amp; &quot;friends&quot;</title>"));
        // The svg and title lines, the background, one line per shape, the end.
        assert_eq!(svg.lines().count(), 2 + 1 + p.shapes.len() + 1, "{svg}");
        for s in &p.shapes {
            if let Shape::Text { text: t, .. } = s {
                assert!(
                    svg.contains(&format!(">{}</text>", escape_markup(t))),
                    "{t}"
                );
            }
        }
        assert!(!svg.contains("<image"), "vector, not a bitmap");
    }

    #[test]
    fn a_chart_has_its_title_legend_axes_and_each_line() {
        let sim = poison_pill_at(900);
        let limits = ChartLimits {
            write_records_per_s: 1_000,
            concurrency: 1_000,
        };
        let data = series(
            ChartKind::IteratorAge,
            Resolution::PerSecond,
            sim.metrics(),
            sim.now(),
            &limits,
        );
        let svg = chart(&data, &LIGHT, 640.0, 260.0);
        well_formed(&svg);
        assert!(svg.contains(&escape_markup(&data.title)));
        let drawn = data.lines.iter().filter(|l| l.points.len() > 1).count();
        assert!(drawn > 0);
        assert_eq!(svg.matches("<polyline").count(), drawn);
        for l in &data.lines {
            assert!(svg.contains(&escape_markup(&l.name)), "{}", l.name);
        }
        for t in time_ticks(data.x_range.0, data.x_range.1, 6) {
            assert!(svg.contains(&format!(">{}</text>", clock_label(t))), "{t}");
        }
        // A hostile line name stays text.
        let mut data = data;
        data.lines.push(Line {
            name: "<script>alert(1)</script>".into(),
            role: Role::Limit,
            points: vec![(0.0, 1.0), (5.0, 2.0), (10.0, f64::NAN)],
        });
        let svg = chart(&data, &LIGHT, 640.0, 260.0);
        well_formed(&svg);
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("stroke-dasharray=\"6 4\""));
    }
}
