//! Paints a [`Picture`] on a `<canvas>`. Knows nothing of shards or slots: every
//! position and colour comes from `view::picture` and `view::grid`. Sharp on high-density screens: the backing store is
//! sized in device pixels and the drawing scaled back to CSS pixels (and, in
//! presenter mode, up to the box the layout gives the canvas).

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use crate::sim::Shortest;
use crate::view::picture::{Align, Picture, Shape};

const FONT_FAMILY: &str = "system-ui, -apple-system, \"Segoe UI\", Roboto, sans-serif";

/// Resizes `canvas` to the picture (its CSS height follows the picture; its CSS width
/// is the page's) and paints it.
pub fn paint(canvas: &HtmlCanvasElement, picture: &Picture) -> Result<(), JsValue> {
    set_css_height(canvas, picture.height_px)?;
    paint_in_box(
        canvas,
        picture,
        (picture.width_px, picture.height_px),
        1.0,
        (0.0, 0.0),
    )
}

/// Paints `picture` into a canvas whose CSS box (`box_px`, width and height) the page's
/// layout decides, `scale` times larger with its top left corner at `origin_px`, the
/// rest of the box in the picture's background. The backing store is the box in
/// device pixels, so the enlarged picture is drawn sharp, never upscaled.
pub fn paint_in_box(
    canvas: &HtmlCanvasElement,
    picture: &Picture,
    box_px: (f64, f64),
    scale: f64,
    origin_px: (f64, f64),
) -> Result<(), JsValue> {
    let dpr = web_sys::window()
        .map_or(1.0, |w| w.device_pixel_ratio())
        .clamp(1.0, 4.0);
    let backing_w = (box_px.0 * dpr).round() as u32;
    let backing_h = (box_px.1 * dpr).round() as u32;
    if canvas.width() != backing_w {
        canvas.set_width(backing_w);
    }
    if canvas.height() != backing_h {
        canvas.set_height(backing_h);
    }

    let ctx: CanvasRenderingContext2d = canvas
        .get_context("2d")?
        .ok_or_else(|| JsValue::from_str("no 2d context"))?
        .dyn_into()?;
    ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0)?;
    ctx.set_fill_style_str(picture.background);
    ctx.fill_rect(0.0, 0.0, box_px.0, box_px.1);
    let k = dpr * scale;
    ctx.set_transform(k, 0.0, 0.0, k, dpr * origin_px.0, dpr * origin_px.1)?;

    // Setting a font, an alignment or a colour is slow (each passes a string to the
    // browser, which parses it): only when it changes. Hundreds of lanes are mostly
    // square rectangles, filled without a path.
    let mut font: Option<(bool, u64)> = None;
    let mut text_align: Option<Align> = None;
    ctx.set_text_baseline("alphabetic");
    let mut fill_style = picture.background;
    for shape in &picture.shapes {
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
                if *fill != fill_style {
                    ctx.set_fill_style_str(fill);
                    fill_style = fill;
                }
                if *radius <= 0.0 && stroke.is_none() {
                    ctx.fill_rect(*x, *y, *w, *h);
                    continue;
                }
                ctx.begin_path();
                ctx.round_rect_with_f64(*x, *y, *w, *h, *radius)?;
                ctx.fill();
                if let Some(stroke) = stroke {
                    ctx.set_line_width(1.0);
                    ctx.set_stroke_style_str(stroke);
                    ctx.stroke();
                }
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
                if *dashed {
                    let dash = js_sys_array(&[4.0, 3.0]);
                    ctx.set_line_dash(&dash)?;
                }
                ctx.set_line_width(*width);
                ctx.set_stroke_style_str(stroke);
                ctx.stroke_rect(*x, *y, *w, *h);
                if *dashed {
                    ctx.set_line_dash(&js_sys_array(&[]))?;
                }
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
                ctx.save();
                ctx.begin_path();
                ctx.rect(*x, *y, *w, *h);
                ctx.clip();
                ctx.begin_path();
                // Lines rising to the right, x - y = c, across the whole rectangle.
                let mut c = -h;
                while c < *w {
                    ctx.move_to(x + c, y + h);
                    ctx.line_to(x + c + h, *y);
                    c += spacing.max(1.0);
                }
                ctx.set_line_width(*width);
                ctx.set_stroke_style_str(stroke);
                ctx.stroke();
                ctx.restore();
            }
            Shape::Polygon { points, fill } => {
                let mut it = points.iter();
                if let Some(first) = it.next() {
                    ctx.begin_path();
                    ctx.move_to(first.0, first.1);
                    for p in it {
                        ctx.line_to(p.0, p.1);
                    }
                    ctx.close_path();
                    ctx.set_fill_style_str(fill);
                    fill_style = fill;
                    ctx.fill();
                }
            }
            Shape::Line {
                from,
                to,
                width,
                stroke,
            } => {
                ctx.begin_path();
                ctx.move_to(from.0, from.1);
                ctx.line_to(to.0, to.1);
                ctx.set_line_width(*width);
                ctx.set_stroke_style_str(stroke);
                ctx.stroke();
            }
            Shape::Text {
                x,
                y,
                text,
                align,
                size_px,
                bold,
                colour,
            } => {
                if font != Some((*bold, size_px.to_bits())) {
                    let weight = if *bold { "600" } else { "400" };
                    ctx.set_font(&format!("{weight} {}px {FONT_FAMILY}", Shortest(*size_px)));
                    font = Some((*bold, size_px.to_bits()));
                }
                if text_align != Some(*align) {
                    ctx.set_text_align(match align {
                        Align::Left => "left",
                        Align::Right => "right",
                        Align::Center => "center",
                    });
                    text_align = Some(*align);
                }
                if *colour != fill_style {
                    ctx.set_fill_style_str(colour);
                    fill_style = colour;
                }
                ctx.fill_text(text, *x, *y)?;
            }
        }
    }
    Ok(())
}

/// A JavaScript array of numbers (for `setLineDash`).
fn js_sys_array(values: &[f64]) -> JsValue {
    values
        .iter()
        .map(|v| JsValue::from_f64(*v))
        .collect::<web_sys::js_sys::Array>()
        .into()
}

/// Leaves the canvas's CSS height to the style sheet (presenter mode's layout).
pub fn clear_css_height(canvas: &HtmlCanvasElement) -> Result<(), JsValue> {
    let style = canvas.style();
    if !style.get_property_value("height")?.is_empty() {
        style.remove_property("height")?;
    }
    Ok(())
}

/// Sets the canvas's CSS height (its width is the page's), leaving its other styles.
pub fn set_css_height(canvas: &HtmlCanvasElement, height_px: f64) -> Result<(), JsValue> {
    let style = canvas.style();
    let wanted = format!("{}px", Shortest(height_px));
    if style.get_property_value("height")? != wanted {
        style.set_property("height", &wanted)?;
    }
    Ok(())
}
