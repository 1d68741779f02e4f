//! STUB (issue 4): the pictures and charts, replaced at merge time by the real module
//! that the pictures-and-charts work builds. Only the interface the page calls is here.

use wasm_bindgen::JsValue;
use web_sys::HtmlCanvasElement;

pub use crate::view::charts::{ChartKind, ChartLimits, Resolution};
pub use crate::view::lanes::Theme;

use super::canvas;
use crate::sim::metrics::Metrics;
use crate::sim::{SimTime, Snapshot};
use crate::view::lanes::{self, Align, Picture, Shape};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Highlight {
    pub shard: Option<u32>,
    pub mapping: Option<usize>,
}

pub fn paint_stream(
    canvas: &HtmlCanvasElement,
    snapshot: &Snapshot,
    theme: &Theme,
    highlight: &Highlight,
) -> Result<f64, JsValue> {
    let _ = highlight;
    let picture = lanes::stream_picture(&snapshot.shards, f64::from(canvas.client_width()), theme);
    canvas::paint(canvas, &picture)?;
    Ok(picture.height_px)
}

pub fn paint_concurrency(
    canvas: &HtmlCanvasElement,
    snapshot: &Snapshot,
    other_throttled_last_s: u64,
    theme: &Theme,
) -> Result<f64, JsValue> {
    let c = &snapshot.concurrency;
    let running: u32 = c.functions.iter().map(|f| f.running).sum();
    let text = format!(
        "concurrency (stub): {running} of {} running, other functions {} of {} wanted, {other_throttled_last_s} throttled/s",
        c.limit, c.other_running, c.other_demand
    );
    let picture = Picture {
        width_px: f64::from(canvas.client_width()).max(40.0),
        height_px: 40.0,
        background: theme.background,
        shapes: vec![Shape::Text {
            x: 8.0,
            y: 24.0,
            text,
            align: Align::Left,
            size_px: 12.0,
            bold: false,
            colour: theme.text,
        }],
    };
    canvas::paint(canvas, &picture)?;
    Ok(picture.height_px)
}

pub fn paint_chart(
    canvas: &HtmlCanvasElement,
    chart: ChartKind,
    resolution: Resolution,
    metrics: &Metrics,
    now: SimTime,
    limits: &ChartLimits,
    theme: &Theme,
) -> Result<(), JsValue> {
    let data = crate::view::charts::series(chart, resolution, metrics, now, limits);
    let picture = Picture {
        width_px: f64::from(canvas.client_width()).max(40.0),
        height_px: 120.0,
        background: theme.background,
        shapes: vec![Shape::Text {
            x: 8.0,
            y: 24.0,
            text: format!("chart (stub): latest {}", data.latest),
            align: Align::Left,
            size_px: 12.0,
            bold: false,
            colour: theme.muted,
        }],
    };
    canvas::paint(canvas, &picture)
}
