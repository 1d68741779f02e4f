//! The pictures and charts the page draws, one call each: the stream, the account's
//! concurrency, a chart. Each sizes its `<canvas>` to the canvas's CSS width (the
//! page's layout decides it) and sets the CSS height it needs. Layout, colours and
//! series come from `crate::view` (pure, tested natively); this file only wires them
//! to the canvas.

use wasm_bindgen::JsValue;
use web_sys::HtmlCanvasElement;

pub use crate::view::charts::{ChartKind, ChartLimits, Resolution};
pub use crate::view::picture::{Highlight, Theme};

use super::{canvas, charts};
use crate::sim::metrics::Metrics;
use crate::sim::{SimTime, Snapshot};
use crate::view::charts::series;
use crate::view::{grid, picture};

/// The canvas's CSS width, or a guess while it is not laid out yet.
fn css_width(canvas: &HtmlCanvasElement) -> f64 {
    match canvas.client_width() {
        w if w > 0 => f64::from(w),
        _ => 600.0,
    }
}

/// The room a presenter-mode picture has: from the canvas's top to the bottom of the
/// window, less the beat bar's strip.
fn presenter_room(canvas: &HtmlCanvasElement) -> f64 {
    let window_h = web_sys::window()
        .and_then(|w| w.inner_height().ok())
        .and_then(|h| h.as_f64())
        .unwrap_or(800.0);
    let top = canvas.get_bounding_client_rect().top().max(0.0);
    (window_h - top - 96.0).max(200.0)
}

thread_local! {
    /// The last presenter text size worked out, by what it depends on: (width,
    /// room, shards, mappings) and the size. Worked out again only when they change.
    static PRESENTER_TEXT: std::cell::Cell<((u32, u32, usize, usize), f64)> =
        const { std::cell::Cell::new(((0, 0, 0, 0), 0.0)) };
}

thread_local! {
    static PAINTED_TEXT_PX: std::cell::Cell<f64> = const { std::cell::Cell::new(14.0) };
}

/// The smallest text the stream picture was last painted with: a click on it is
/// read at the same scale.
pub fn painted_text_px() -> f64 {
    PAINTED_TEXT_PX.with(std::cell::Cell::get)
}

/// The smallest text of the stream picture: by the canvas's width, or in presenter
/// mode as large as fills the room (`picture::presenter_text_px`).
fn stream_text_px(
    canvas: &HtmlCanvasElement,
    input: &picture::StreamInput<'_>,
    presenter: bool,
) -> f64 {
    let width = css_width(canvas);
    if !presenter {
        return picture::text_px_for(width, false);
    }
    let room = presenter_room(canvas);
    let key = (
        width as u32,
        room as u32,
        input.shards.len(),
        input.mappings.len(),
    );
    let (known, text_px) = PRESENTER_TEXT.with(std::cell::Cell::get);
    if known == key {
        return text_px;
    }
    let text_px = picture::presenter_text_px(input, width, room);
    PRESENTER_TEXT.with(|c| c.set((key, text_px)));
    text_px
}

/// The stream picture: every shard a lane whose length is the retention (the trim
/// horizon left, the write head right, the recent end stretched), filled from its
/// oldest record to the head (processed records faded green, waiting ones blue), each mapping's iterator marker per lane, blocked lanes
/// hatched, poison pills vermillion with a hatch, batches in flight as orange
/// brackets, throttled write heads striped yellow, the highlighted shard outlined,
/// and under the lanes the lost bucket counting the mappings' expired records
/// (`stats.expired`; the producer's losses are not in it). Returns the CSS height it
/// used.
pub fn paint_stream(
    canvas: &HtmlCanvasElement,
    snapshot: &Snapshot,
    theme: &Theme,
    highlight: &Highlight,
) -> Result<f64, JsValue> {
    paint_stream_with(
        canvas,
        snapshot,
        theme,
        highlight,
        &StreamOptions::default(),
    )
}

/// How the stream picture moves, and the record it marks.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StreamOptions {
    /// False with reduced motion: no lifting, travelling or bouncing.
    pub motion: bool,
    /// How long a give-up travels to its destination, simulated ms.
    pub travel_ms: u64,
    pub traced: Option<picture::Traced>,
    /// Presenter mode: the picture's text at least 24 px.
    pub presenter: bool,
}

impl Default for StreamOptions {
    fn default() -> Self {
        StreamOptions {
            motion: true,
            travel_ms: picture::TRAVEL_MS_MIN,
            traced: None,
            presenter: false,
        }
    }
}

/// As [`paint_stream`], with batches lifting by their invocation's progress, give-ups
/// travelling to the OnFailure destination's box, producers' arrows and bounces (all
/// still with reduced motion), and the followed record ringed. Also says what it drew
/// in the canvas's `data-*` attributes (`data-batches-in-flight`, `data-batches-waiting`,
/// `data-halves`, `data-destination`, `data-sent`, `data-discarded`, `data-travelling`,
/// `data-producer-arrows`, `data-bounces`, `data-traced`, where the lanes are:
/// `data-lane-ys`, `data-tube-xs`, how far the first 64 lanes are filled:
/// `data-fill-px`, the records a second pouring into the lost bucket: `data-pouring`,
/// and the smallest text: `data-text-px`), for tests and tools,
/// touching the DOM only when that changes.
pub fn paint_stream_with(
    canvas: &HtmlCanvasElement,
    snapshot: &Snapshot,
    theme: &Theme,
    highlight: &Highlight,
    options: &StreamOptions,
) -> Result<f64, JsValue> {
    let width = css_width(canvas);
    let mut input = picture::StreamInput {
        motion: options.motion,
        travel_ms: options.travel_ms,
        traced: options.traced,
        ..picture::StreamInput::from_snapshot(snapshot, *highlight)
    };
    input.text_px = stream_text_px(canvas, &input, options.presenter);
    PAINTED_TEXT_PX.with(|c| c.set(input.text_px));
    let (picture, drawn) = picture::picture_drawn(&input, width, theme);
    canvas::paint(canvas, &picture)?;
    let attributes = [
        (
            "data-batches-in-flight",
            drawn.batches_in_flight.to_string(),
        ),
        ("data-batches-waiting", drawn.batches_waiting.to_string()),
        ("data-lifted", drawn.lifted.to_string()),
        ("data-halves", drawn.halves.to_string()),
        ("data-destination", drawn.destination.unwrap_or_default()),
        ("data-sent", drawn.sent.to_string()),
        ("data-discarded", drawn.discarded.to_string()),
        ("data-travelling", drawn.travelling.to_string()),
        ("data-producer-arrows", drawn.producer_arrows.to_string()),
        ("data-bounces", drawn.bounces.to_string()),
        ("data-traced", drawn.traced.to_string()),
        (
            "data-lane-ys",
            drawn
                .lane_ys
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(","),
        ),
        (
            "data-tube-xs",
            format!("{},{}", drawn.tube_xs.0, drawn.tube_xs.1),
        ),
        (
            "data-fill-px",
            drawn
                .fill_px
                .iter()
                .take(64)
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(","),
        ),
        ("data-pouring", drawn.pouring.to_string()),
        ("data-text-px", input.text_px.to_string()),
    ];
    let summary: String = attributes
        .iter()
        .map(|(_, v)| v.as_str())
        .collect::<Vec<_>>()
        .join("|");
    if canvas.get_attribute("data-summary").as_deref() != Some(summary.as_str()) {
        for (name, value) in &attributes {
            canvas.set_attribute(name, value)?;
        }
        canvas.set_attribute("data-summary", &summary)?;
    }
    Ok(picture.height_px)
}

/// The account's concurrency: a fixed grid of slots (one cell per 1, 10 or 100 slots),
/// filled by function, reserved capacity outlined, the other functions' throttles as
/// a striped bar at the grid's edge when `other_throttled_last_s > 0`, and a legend
/// with counts. Returns the CSS height it used.
pub fn paint_concurrency(
    canvas: &HtmlCanvasElement,
    snapshot: &Snapshot,
    other_throttled_last_s: u64,
    theme: &Theme,
) -> Result<f64, JsValue> {
    let picture = grid::concurrency_picture(
        &snapshot.concurrency,
        other_throttled_last_s,
        css_width(canvas),
        theme,
    );
    canvas::paint(canvas, &picture)?;
    Ok(picture.height_px)
}

/// One chart over the simulation's metrics up to `now` at `resolution`, with its
/// title, legend (newest values), axes and units, the limit dashed and trouble in
/// warm colours. Also sets `data-latest` on the canvas (the first line's newest
/// value, in the chart's unit) for tests and screen-reader text. Cheap to call every
/// frame: when the chart's data, size and theme have not changed since the last
/// call (remembered in the canvas's `data-drawn` attribute) it draws nothing.
pub fn paint_chart(
    canvas: &HtmlCanvasElement,
    chart: ChartKind,
    resolution: Resolution,
    metrics: &Metrics,
    now: SimTime,
    limits: &ChartLimits,
    theme: &Theme,
) -> Result<(), JsValue> {
    let data = series(chart, resolution, metrics, now, limits);
    // Drawing a chart takes milliseconds; its data moves once a simulated second.
    let dpr = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());
    let drawn = format!(
        "{}|{dpr}|{}|{}",
        canvas.client_width(),
        theme.background,
        data.signature()
    );
    if canvas.get_attribute("data-drawn").as_deref() == Some(drawn.as_str()) {
        return Ok(());
    }
    charts::draw(canvas, &data, theme)?;
    canvas.set_attribute("data-drawn", &drawn)?;
    let latest = data.latest.to_string();
    if canvas.get_attribute("data-latest").as_deref() != Some(latest.as_str()) {
        canvas.set_attribute("data-latest", &latest)?;
    }
    Ok(())
}
