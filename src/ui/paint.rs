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
use crate::sim::{Metrics, Shortest, SimTime, Snapshot};
use crate::view::charts::series;
use crate::view::presenter::{self, Fit};
use crate::view::{grid, picture};

/// The canvas's CSS width, or a guess while it is not laid out yet.
pub fn css_width(canvas: &HtmlCanvasElement) -> f64 {
    match canvas.client_width() {
        w if w > 0 => f64::from(w),
        _ => 600.0,
    }
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
    /// Presenter mode: the style sheet sizes the canvas, and the picture is laid out
    /// and enlarged to fill that box (`view::presenter::fit`).
    pub fit: bool,
    /// Paint only what the window shows of a picture taller than the window (and a
    /// margin round it): thousands of lanes are thousands of canvas calls, most of
    /// them off screen. The caller repaints when the page scrolls.
    pub on_screen_only: bool,
}

impl Default for StreamOptions {
    fn default() -> Self {
        StreamOptions {
            motion: true,
            travel_ms: picture::TRAVEL_MS_MIN,
            traced: None,
            fit: false,
            on_screen_only: false,
        }
    }
}

/// The fit last used, kept on the canvas as `data-fit`: the box's width and height,
/// then the fit's layout width and height, scale and origin.
fn fit_of(canvas: &HtmlCanvasElement) -> Option<(f64, f64, Fit)> {
    let text = canvas.get_attribute("data-fit")?;
    let v: Vec<f64> = text.split(',').filter_map(|x| x.parse().ok()).collect();
    match v.as_slice() {
        &[bw, bh, layout_w_px, layout_h_px, scale, x_px, y_px] => Some((
            bw,
            bh,
            Fit {
                layout_w_px,
                layout_h_px,
                scale,
                x_px,
                y_px,
            },
        )),
        _ => None,
    }
}

/// A point of the stream canvas (CSS pixels from its top left corner) in the
/// picture's own coordinates, with the width the picture was laid out at: the same
/// point outside presenter mode, scaled back inside it.
pub fn picture_point(canvas: &HtmlCanvasElement, x: f64, y: f64) -> (f64, f64, f64) {
    match fit_of(canvas) {
        Some((_, _, f)) => (
            (x - f.x_px) / f.scale,
            (y - f.y_px) / f.scale,
            f.layout_w_px,
        ),
        None => (x, y, f64::from(canvas.client_width())),
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
/// records drawn one by one and the flow marks riding the fill: `data-beads`,
/// `data-flow-marks`, and the smallest text: `data-text-px`), for tests and tools,
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
    // The smallest text: by the canvas's width, or 24 px in presenter mode, where the
    // fit below only ever enlarges it.
    input.text_px = picture::text_px_for(width, options.fit);
    let (picture, drawn) = if options.fit {
        // The style sheet sizes the box; the picture fills it.
        canvas::clear_css_height(canvas)?;
        let box_px = (
            f64::from(canvas.client_width()).max(1.0),
            f64::from(canvas.client_height()).max(1.0),
        );
        let cached = fit_of(canvas).filter(|&(bw, bh, _)| (bw, bh) == box_px);
        let mut fit = cached.map(|(_, _, f)| f);
        let mut laid = fit.map(|f| picture::picture_drawn(&input, f.layout_w_px, theme));
        // Fit again when the box changed or the picture's height did (a destination
        // box appeared, a shard was added).
        if laid
            .as_ref()
            .zip(fit)
            .is_none_or(|((p, _), f)| p.height_px != f.layout_h_px)
        {
            let f = presenter::fit(box_px.0, box_px.1, |w| {
                picture::picture_drawn(&input, w, theme).0.height_px
            });
            laid = Some(picture::picture_drawn(&input, f.layout_w_px, theme));
            fit = Some(f);
        }
        let (Some((picture, mut drawn)), Some(f)) = (laid, fit) else {
            return Err(JsValue::from_str("no fit"));
        };
        canvas::paint_in_box(canvas, &picture, box_px, f.scale, (f.x_px, f.y_px))?;
        let fit_text = format!(
            "{},{},{},{},{},{},{}",
            Shortest(box_px.0),
            Shortest(box_px.1),
            Shortest(f.layout_w_px),
            Shortest(picture.height_px),
            Shortest(f.scale),
            Shortest(f.x_px),
            Shortest(f.y_px)
        );
        if canvas.get_attribute("data-fit").as_deref() != Some(fit_text.as_str()) {
            canvas.set_attribute("data-fit", &fit_text)?;
        }
        // Where the lanes are, in the canvas's CSS pixels.
        for y in &mut drawn.lane_ys {
            *y = (*y as f64 * f.scale + f.y_px).round() as i64;
        }
        let x = |x: i64| (x as f64 * f.scale + f.x_px).round() as i64;
        drawn.tube_xs = (x(drawn.tube_xs.0), x(drawn.tube_xs.1));
        (picture, drawn)
    } else {
        if canvas.has_attribute("data-fit") {
            canvas.remove_attribute("data-fit")?;
        }
        let (mut picture, drawn) = picture::picture_drawn(&input, width, theme);
        if options.on_screen_only {
            if let Some((top, bottom)) = on_screen(canvas, picture.height_px) {
                picture.keep_between(top, bottom);
            }
        }
        canvas::paint(canvas, &picture)?;
        (picture, drawn)
    };
    // What it drew changes far less often than it is painted: the attributes are
    // written (a few thousand numbers at thousands of shards) only when a digest of
    // it changes.
    let summary = format!("{:016x}", digest(&drawn, input.text_px));
    if canvas.get_attribute("data-summary").as_deref() == Some(summary.as_str()) {
        return Ok(picture.height_px);
    }
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
        ("data-beads", drawn.beads.to_string()),
        ("data-flow-marks", drawn.flow_marks.to_string()),
        ("data-text-px", Shortest(input.text_px).to_string()),
    ];
    for (name, value) in &attributes {
        if canvas.get_attribute(name).as_deref() != Some(value.as_str()) {
            canvas.set_attribute(name, value)?;
        }
    }
    canvas.set_attribute("data-summary", &summary)?;
    Ok(picture.height_px)
}

/// A digest of what the stream picture drew (the fields its `data-*` attributes
/// say), to tell whether they changed.
fn digest(drawn: &picture::Drawn, text_px: f64) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    let d = drawn;
    (d.batches_in_flight, d.batches_waiting, d.lifted, d.halves).hash(&mut h);
    (&d.destination, d.sent, d.discarded, d.travelling).hash(&mut h);
    (d.producer_arrows, d.bounces, d.traced, d.pouring).hash(&mut h);
    (d.beads, d.flow_marks, d.tube_xs, &d.lane_ys).hash(&mut h);
    d.fill_px.iter().take(64).for_each(|x| x.hash(&mut h));
    text_px.to_bits().hash(&mut h);
    h.finish()
}

/// The rows of a picture `height_px` tall painted on `canvas` that the window
/// shows, with a margin of [`picture::ON_SCREEN_MARGIN`] of a window above and below, in the picture's CSS
/// pixels; `None` when it all fits (or the window cannot say).
fn on_screen(canvas: &HtmlCanvasElement, height_px: f64) -> Option<(f64, f64)> {
    let window_h = web_sys::window()?.inner_height().ok()?.as_f64()?;
    if height_px <= window_h {
        return None;
    }
    let top = canvas.get_bounding_client_rect().top();
    let margin = window_h * picture::ON_SCREEN_MARGIN;
    Some((-top - margin, window_h - top + margin))
}

/// The account's concurrency: a fixed grid of slots (one cell per 1, 10 or 100 slots,
/// said in words), filled by function, reserved capacity outlined, requests that find
/// no free slot marked striped at the grid's edge, and a legend with counts, its text
/// `text_px` tall. Says what it drew in `data-*` attributes (`data-per-cell`,
/// `data-stream-slots`, `data-other-slots`, `data-stream-marks`, `data-other-marks`,
/// `data-other-waiting`, `data-text-px`), and the invocations it shows arriving and
/// ended (`data-arriving`, `data-ended-ok`, `data-ended-failed`; see
/// [`grid::visits`], shown for `show_ms` of simulated time each). Returns the CSS
/// height it used.
pub fn paint_concurrency(
    canvas: &HtmlCanvasElement,
    snapshot: &Snapshot,
    throttles: grid::Throttles,
    options: &StreamOptions,
    text_px: f64,
    theme: &Theme,
) -> Result<f64, JsValue> {
    let visits = grid::visits(snapshot, options.travel_ms);
    let (picture, drawn) = grid::concurrency_picture_visited(
        &snapshot.concurrency,
        throttles,
        &visits,
        options.motion,
        css_width(canvas),
        text_px,
        theme,
    );
    canvas::paint(canvas, &picture)?;
    let attributes = [
        ("data-per-cell", drawn.per_cell),
        ("data-stream-slots", drawn.stream_slots),
        ("data-other-slots", drawn.other_slots),
        ("data-stream-marks", drawn.stream_marks),
        ("data-other-marks", drawn.other_marks),
        ("data-other-waiting", drawn.other_waiting),
        ("data-text-px", drawn.text_px),
        ("data-arriving", drawn.arriving),
        ("data-ended-ok", drawn.ended_ok),
        ("data-ended-failed", drawn.ended_failed),
    ];
    for (name, value) in attributes {
        let value = value.to_string();
        if canvas.get_attribute(name).as_deref() != Some(value.as_str()) {
            canvas.set_attribute(name, &value)?;
        }
    }
    Ok(picture.height_px)
}

/// How a chart is drawn: its theme and its smallest text, in CSS pixels.
#[derive(Clone, Copy, Debug)]
pub struct ChartLook<'t> {
    pub theme: &'t Theme,
    pub text_px: f64,
}

/// One chart over the simulation's metrics up to `now` at `resolution`, with its
/// title, legend (newest values), axes and units, the limit dashed and trouble in
/// warm colours, its smallest text `look.text_px` tall (said in `data-text-px`).
/// Also sets `data-latest` on the canvas (the first line's newest value, in the chart's unit) for tests and
/// screen-reader text. Cheap to call every frame: when the chart's data, size, text
/// and theme have not changed since the last call (remembered in the canvas's
/// `data-drawn` attribute) it draws nothing.
pub fn paint_chart(
    canvas: &HtmlCanvasElement,
    chart: ChartKind,
    resolution: Resolution,
    metrics: &Metrics,
    now: SimTime,
    limits: &ChartLimits,
    look: ChartLook<'_>,
) -> Result<(), JsValue> {
    let ChartLook { theme, text_px } = look;
    let data = series(chart, resolution, metrics, now, limits);
    // Drawing a chart takes milliseconds; its data moves once a simulated second.
    let dpr = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());
    let drawn = format!(
        "{}|{dpr}|{text_px}|{}|{}",
        canvas.client_width(),
        theme.background,
        data.signature()
    );
    if canvas.get_attribute("data-drawn").as_deref() == Some(drawn.as_str()) {
        return Ok(());
    }
    charts::draw(canvas, &data, theme, text_px)?;
    canvas.set_attribute("data-drawn", &drawn)?;
    canvas.set_attribute("data-text-px", &text_px.to_string())?;
    set_latest(canvas, data.latest)
}

/// Keeps a chart's `data-latest` (its first line's newest value, for tests and
/// screen-reader text) up to date without drawing it: for a chart off screen while
/// the run plays.
pub fn chart_latest(
    canvas: &HtmlCanvasElement,
    chart: ChartKind,
    resolution: Resolution,
    metrics: &Metrics,
    now: SimTime,
    limits: &ChartLimits,
) -> Result<(), JsValue> {
    set_latest(
        canvas,
        series(chart, resolution, metrics, now, limits).latest,
    )
}

/// Writes a chart's `data-latest` when it differs from what the canvas says.
fn set_latest(canvas: &HtmlCanvasElement, latest: f64) -> Result<(), JsValue> {
    let latest = latest.to_string();
    if canvas.get_attribute("data-latest").as_deref() != Some(latest.as_str()) {
        canvas.set_attribute("data-latest", &latest)?;
    }
    Ok(())
}
