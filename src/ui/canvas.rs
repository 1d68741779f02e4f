//! Paints a [`Picture`] on a `<canvas>`. Knows nothing of shards: every position and
//! colour comes from `lanes.rs`. Sharp on high-density screens: the backing store is
//! sized in device pixels and the drawing scaled back to CSS pixels.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use crate::view::lanes::{Align, Picture, Shape};

const FONT_FAMILY: &str = "system-ui, -apple-system, \"Segoe UI\", Roboto, sans-serif";

/// Resizes `canvas` to the picture (its CSS height follows the picture; its CSS width
/// is the page's) and paints it.
pub fn paint(canvas: &HtmlCanvasElement, picture: &Picture) -> Result<(), JsValue> {
    let dpr = web_sys::window()
        .map_or(1.0, |w| w.device_pixel_ratio())
        .clamp(1.0, 4.0);
    let backing_w = (picture.width_px * dpr).round() as u32;
    let backing_h = (picture.height_px * dpr).round() as u32;
    if canvas.width() != backing_w {
        canvas.set_width(backing_w);
    }
    if canvas.height() != backing_h {
        canvas.set_height(backing_h);
    }
    let style = format!("height: {}px", picture.height_px);
    if canvas.get_attribute("style").as_deref() != Some(style.as_str()) {
        canvas.set_attribute("style", &style)?;
    }

    let ctx: CanvasRenderingContext2d = canvas
        .get_context("2d")?
        .ok_or_else(|| JsValue::from_str("no 2d context"))?
        .dyn_into()?;
    ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0)?;
    ctx.set_fill_style_str(picture.background);
    ctx.fill_rect(0.0, 0.0, picture.width_px, picture.height_px);

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
                ctx.begin_path();
                ctx.round_rect_with_f64(*x, *y, *w, *h, *radius)?;
                ctx.set_fill_style_str(fill);
                ctx.fill();
                if let Some(stroke) = stroke {
                    ctx.set_line_width(1.0);
                    ctx.set_stroke_style_str(stroke);
                    ctx.stroke();
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
                let weight = if *bold { "600" } else { "400" };
                ctx.set_font(&format!("{weight} {size_px}px {FONT_FAMILY}"));
                ctx.set_text_align(match align {
                    Align::Left => "left",
                    Align::Right => "right",
                    Align::Center => "center",
                });
                ctx.set_text_baseline("alphabetic");
                ctx.set_fill_style_str(colour);
                ctx.fill_text(text, *x, *y)?;
            }
        }
    }
    Ok(())
}
