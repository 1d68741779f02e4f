//! Draws one chart's [`ChartData`] on a `<canvas>` with plotters: title, legend with
//! the newest values, axes with units, the limit dashed, trouble in warm colours.
//! What to draw comes from `view::charts`; this file only draws it. Sharp on
//! high-density screens: the backing store is in device pixels and every size here
//! is scaled by the device pixel ratio.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use super::canvas::set_css_height;
use crate::view::charts::{clock_label, line_styles, short_number, time_ticks, ChartData, Role};
use crate::view::picture::{parse_hex, Theme};

const FONT_FAMILY: &str = "system-ui, -apple-system, \"Segoe UI\", Roboto, sans-serif";

fn rgb(colour: &str) -> RGBColor {
    let (r, g, b) = parse_hex(colour).unwrap_or((128, 128, 128));
    RGBColor(r, g, b)
}

fn err<E: std::fmt::Debug>(e: E) -> JsValue {
    JsValue::from_str(&format!("drawing a chart failed: {e:?}"))
}

/// The chart's text in its design, CSS pixels: [`draw`] scales everything written
/// on it by `text_px / DESIGN_TEXT_PX`.
const DESIGN_TEXT_PX: f64 = 11.0;

/// The chart's CSS height for a CSS width and its smallest text (taller for larger
/// text, so the plot keeps its room).
pub fn height_for(width_px: f64, text_px: f64) -> f64 {
    (width_px * 0.42).clamp(170.0, 220.0) + (text_px / DESIGN_TEXT_PX - 1.0).max(0.0) * 80.0
}

/// Sizes `canvas` (CSS width from the page, height from [`height_for`]) and draws,
/// its smallest text `text_px` tall (`view::picture::text_px_for`: 12 on a phone, 14
/// on a desktop page, 24 in presenter mode).
pub fn draw(
    canvas: &HtmlCanvasElement,
    data: &ChartData,
    theme: &Theme,
    text_px: f64,
) -> Result<(), JsValue> {
    let dpr = web_sys::window()
        .map_or(1.0, |w| w.device_pixel_ratio())
        .clamp(1.0, 4.0);
    let width_px = match canvas.client_width() {
        w if w > 0 => f64::from(w),
        _ => 480.0,
    };
    let height_px = height_for(width_px, text_px);
    let backing_w = (width_px * dpr).round() as u32;
    let backing_h = (height_px * dpr).round() as u32;
    if canvas.width() != backing_w {
        canvas.set_width(backing_w);
    }
    if canvas.height() != backing_h {
        canvas.set_height(backing_h);
    }
    set_css_height(canvas, height_px)?;
    let backend = CanvasBackend::with_canvas_object(canvas.clone())
        .ok_or_else(|| JsValue::from_str("no 2d context for a chart"))?;
    let measure = Measure {
        ctx: canvas
            .get_context("2d")?
            .ok_or_else(|| JsValue::from_str("no 2d context for a chart"))?
            .dyn_into()?,
    };
    let root = backend.into_drawing_area();
    let fits = draw_on(&root, &measure, data, theme, dpr, text_px / DESIGN_TEXT_PX)?;
    // For the tests: whether every line of the drawn title fits the chart.
    canvas.set_attribute("data-title-fits", if fits { "true" } else { "false" })
}

/// Measures the chart's words on its own canvas (`measureText`), in whole device
/// pixels. Plotters' own estimate (`estimate_text_size` on the web) adds a `<span>`
/// to the page, reads its `offsetWidth` and removes it: a layout of the whole page
/// for every word measured, the largest share of a playing frame's work at few
/// shards (issue 11). Measured as that span was, in the regular weight of the
/// font's family and size (the span's `font-style` was plotters' style name,
/// which CSS ignores), so that the legend and the title wrap where they did.
struct Measure {
    ctx: CanvasRenderingContext2d,
}

impl Measure {
    /// The width of `text` at `size_px` device pixels.
    fn width(&self, text: &str, size_px: f64) -> i32 {
        self.ctx.set_font(&format!("{size_px}px {FONT_FAMILY}"));
        self.ctx
            .measure_text(text)
            .map_or(i32::MAX, |m| m.width().round() as i32)
    }
}

fn draw_on(
    root: &DrawingArea<CanvasBackend, Shift>,
    measure: &Measure,
    data: &ChartData,
    theme: &Theme,
    dpr: f64,
    text_scale: f64,
) -> Result<bool, JsValue> {
    let px = |css: f64| (css * dpr).round() as i32;
    // Sizes that follow the text.
    let tp = |css: f64| px(css * text_scale);
    let k = text_scale;
    let font = |size: f64, colour: &str| (FONT_FAMILY, size * dpr).into_font().color(&rgb(colour));
    let text = rgb(theme.text);
    root.fill(&rgb(theme.background)).map_err(err)?;

    // Title, and under it a legend: each line's name and newest value.
    let title = (FONT_FAMILY, 13.0 * k * dpr)
        .into_font()
        .style(FontStyle::Bold)
        .color(&text);
    let (width, _) = root.dim_in_pixel();
    // A title too wide for the chart wraps at words (never cut).
    let mut y = px(4.0);
    let room = width as i32 - px(16.0);
    // Measured in the regular weight: the bold title runs about a tenth wider.
    let text_width = |line: &str| measure.width(line, 13.0 * k * dpr);
    let fits_room = |l: &str| f64::from(text_width(l)) * 1.1 <= f64::from(room);
    let lines = crate::view::charts::title_lines(&data.title, fits_room);
    let fits = lines.iter().all(|l| fits_room(l));
    for line in &lines {
        root.draw_text(line, &title, (px(8.0), y)).map_err(err)?;
        y += tp(17.0);
    }
    let legend = font(11.0 * k, theme.text);
    let mut x = px(8.0);
    y += px(3.0);
    let mut styles = Vec::with_capacity(data.lines.len());
    for (line, (colour, dashed)) in data.lines.iter().zip(line_styles(data, theme)) {
        styles.push((rgb(colour), dashed));
        let newest = line.points.last().map_or(0.0, |p| p.1);
        let label = format!("{} {}", line.name, short_number(newest));
        let item_w = measure.width(&label, 11.0 * k * dpr) + px(26.0);
        if x > px(8.0) && x + item_w > width as i32 - px(8.0) {
            x = px(8.0);
            y += tp(15.0);
        }
        let swatch_y = y + tp(6.0);
        let swatch = ShapeStyle {
            color: rgb(colour).to_rgba(),
            filled: false,
            stroke_width: (2.0 * dpr).round() as u32,
        };
        if dashed {
            root.draw(&PathElement::new(
                vec![(x, swatch_y), (x + px(5.0), swatch_y)],
                swatch,
            ))
            .map_err(err)?;
            root.draw(&PathElement::new(
                vec![(x + px(9.0), swatch_y), (x + px(14.0), swatch_y)],
                swatch,
            ))
            .map_err(err)?;
        } else {
            root.draw(&PathElement::new(
                vec![(x, swatch_y), (x + px(14.0), swatch_y)],
                swatch,
            ))
            .map_err(err)?;
        }
        root.draw_text(&label, &legend, (x + px(18.0), y))
            .map_err(err)?;
        x += item_w;
    }
    let header = y + tp(18.0);
    let (_, plot) = root.split_vertically(header);
    // As many y labels as stand apart at this text size (five when there is room).
    let plot_h = plot.dim_in_pixel().1 as i32 - tp(14.0) - tp(22.0);
    let y_labels = (plot_h / tp(18.0).max(1)).clamp(2, 5) as usize;

    let y_max = nice_ceiling(data.y_max(0.0) * 1.08).max(1.0);
    let (x0, x1) = data.x_range;
    let mut chart = ChartBuilder::on(&plot)
        .margin_right(tp(28.0))
        .margin_top(tp(14.0))
        .x_label_area_size(tp(22.0))
        .y_label_area_size(tp(44.0))
        .build_cartesian_2d(x0..x1.max(x0 + 1.0), 0.0..y_max)
        .map_err(err)?;
    let no_label = |_: &f64| String::new();
    let y_fmt = |y: &f64| short_number(*y);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_label_formatter(&no_label)
        .set_tick_mark_size(LabelAreaPosition::Bottom, 0)
        .y_labels(y_labels)
        .y_label_formatter(&y_fmt)
        .bold_line_style(rgb(theme.grid))
        .light_line_style(TRANSPARENT)
        .axis_style(rgb(theme.muted))
        .label_style(font(11.0 * k, theme.muted))
        .draw()
        .map_err(err)?;
    // The x axis at round times (plotters would pick round numbers of seconds).
    // A label is about 60 px wide at 11 px text: room for one every 90 px.
    let plot_css_w = f64::from(width) / dpr - 70.0 * k;
    let max_ticks = ((plot_css_w / (90.0 * k)).floor() as usize).clamp(2, 8);
    let tick_font = font(11.0 * k, theme.muted).pos(Pos::new(HPos::Center, VPos::Top));
    for t in time_ticks(x0, x1, max_ticks) {
        chart
            .draw_series(LineSeries::new(
                [(t, 0.0), (t, y_max)],
                ShapeStyle {
                    color: rgb(theme.grid).to_rgba(),
                    filled: false,
                    stroke_width: dpr.round() as u32,
                },
            ))
            .map_err(err)?;
        let (bx, by) = chart.backend_coord(&(t, 0.0));
        root.draw_text(&clock_label(t), &tick_font, (bx, by + px(5.0)))
            .map_err(err)?;
    }
    // The unit, above the y axis.
    plot.draw_text(
        data.y_unit,
        &font(11.0 * k, theme.muted),
        (px(4.0), px(0.0)),
    )
    .map_err(err)?;

    // Limits first, values on top, trouble on top of all.
    for role in [Role::Limit, Role::Value, Role::Trouble] {
        for (line, (colour, dashed)) in data.lines.iter().zip(&styles) {
            if line.role != role || line.points.is_empty() {
                continue;
            }
            if line.role == Role::Trouble && line.points.iter().all(|p| p.1 == 0.0) {
                continue;
            }
            let style = ShapeStyle {
                color: colour.to_rgba(),
                filled: false,
                stroke_width: ((if *dashed { 1.5 } else { 2.0 }) * dpr).round() as u32,
            };
            if let [only] = line.points.as_slice() {
                // One period so far: a dot, since a line needs two.
                chart
                    .draw_series(std::iter::once(Circle::new(*only, px(3.0), style.filled())))
                    .map_err(err)?;
            } else if *dashed {
                chart
                    .draw_series(DashedLineSeries::new(
                        line.points.iter().copied(),
                        px(6.0),
                        px(4.0),
                        style,
                    ))
                    .map_err(err)?;
            } else {
                chart
                    .draw_series(LineSeries::new(line.points.iter().copied(), style))
                    .map_err(err)?;
            }
        }
    }
    root.present().map_err(err)?;
    Ok(fits)
}

/// A round number (1, 1.2, 1.5, 2... 8 times a power of ten), at least `y`: round axis maxima.
fn nice_ceiling(y: f64) -> f64 {
    if !(y.is_finite() && y > 0.0) {
        return 1.0;
    }
    let p = 10f64.powf(y.log10().floor());
    [1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0]
        .iter()
        .map(|k| k * p)
        .find(|v| *v >= y)
        .unwrap_or(10.0 * p)
}
