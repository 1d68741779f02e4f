//! Export for a blog post: the stream picture or a chart as PNG (the canvas's own
//! pixels) or SVG (written by `view::svg` from the same data, as vectors), and the
//! run's report as JSON (the report the command-line runner writes). Downloads are
//! made in the page (a data or blob URL and a link clicked), so they need no network.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{HtmlAnchorElement, HtmlCanvasElement, HtmlSelectElement};
use yew::prelude::*;

use crate::sim::{ReportOptions, Simulation, Snapshot};
use crate::view::charts::{self, ChartKind, ChartLimits, Resolution};
use crate::view::embed::scenario_name;
use crate::view::picture::{self, Theme};
use crate::view::svg;

/// What to export. Charts by index: kind × 2 + resolution, as the page lays them out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Export {
    StreamPng,
    StreamSvg,
    ChartPng(usize),
    ChartSvg(usize),
    Report,
}

const RESOLUTIONS: [Resolution; 2] = [Resolution::PerSecond, Resolution::PerMinute];

fn chart_of(i: usize) -> Option<(ChartKind, Resolution)> {
    Some((*ChartKind::ALL.get(i / 2)?, *RESOLUTIONS.get(i % 2)?))
}

#[derive(Properties, PartialEq)]
pub struct ExportsProps {
    pub on_export: Callback<Export>,
    /// Why the last export failed, if it did.
    pub error: Option<String>,
}

/// The export buttons.
#[function_component(Exports)]
pub fn exports(props: &ExportsProps) -> Html {
    let chart = use_state(|| 0_usize);
    let on_chart = {
        let chart = chart.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            chart.set(v.parse().unwrap_or(0));
        })
    };
    let send = |what: Export| props.on_export.reform(move |_: MouseEvent| what);
    html! {
        <div class="exports" data-testid="exports">
            <p class="hint">{ "Downloads are made in your browser; nothing is sent anywhere." }</p>
            <div class="export-row">
                <span>{ "Stream picture" }</span>
                <button type="button" data-testid="export-stream-png" onclick={send(Export::StreamPng)}>{ "PNG" }</button>
                <button type="button" data-testid="export-stream-svg" onclick={send(Export::StreamSvg)}>{ "SVG" }</button>
            </div>
            <div class="export-row">
                <label class="visually-hidden" for="export-chart">{ "Chart to export" }</label>
                <select id="export-chart" data-testid="export-chart" onchange={on_chart}>
                    { for (0..ChartKind::ALL.len() * 2).filter_map(|i| chart_of(i).map(|(k, r)| html! {
                        <option value={i.to_string()} selected={i == *chart}>{ format!("{}, {}", k.title(), r.label()) }</option>
                    })) }
                </select>
                <button type="button" data-testid="export-chart-png" onclick={send(Export::ChartPng(*chart))}>{ "PNG" }</button>
                <button type="button" data-testid="export-chart-svg" onclick={send(Export::ChartSvg(*chart))}>{ "SVG" }</button>
            </div>
            <div class="export-row">
                <span>{ "The run's report" }</span>
                <button type="button" data-testid="export-report" onclick={send(Export::Report)}>{ "JSON" }</button>
            </div>
            if let Some(e) = &props.error {
                <p class="knob-error" role="alert" data-testid="export-error">{ e }</p>
            }
        </div>
    }
}

fn js(e: &JsValue) -> String {
    e.as_string()
        .unwrap_or_else(|| format!("{e:?}"))
        .chars()
        .take(200)
        .collect()
}

/// Clicks a link to `href` that downloads as `file`.
fn download(href: &str, file: &str) -> Result<(), String> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let a: HtmlAnchorElement = document
        .create_element("a")
        .map_err(|e| js(&e))?
        .dyn_into()
        .map_err(|_| "not a link".to_string())?;
    a.set_href(href);
    a.set_download(file);
    a.set_attribute("hidden", "").map_err(|e| js(&e))?;
    let body = document.body().ok_or("no body")?;
    body.append_child(&a).map_err(|e| js(&e))?;
    a.click();
    let _ = body.remove_child(&a);
    Ok(())
}

/// Downloads `text` as a file of type `mime`, through a blob URL freed a minute later.
fn download_text(text: &str, mime: &str, file: &str) -> Result<(), String> {
    let parts = web_sys::js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob =
        web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(|e| js(&e))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| js(&e))?;
    let result = download(&url, file);
    gloo::timers::callback::Timeout::new(60_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    result
}

fn png(canvas: Option<HtmlCanvasElement>, file: &str) -> Result<(), String> {
    let canvas = canvas.ok_or("that picture is not on the page")?;
    let data = canvas.to_data_url().map_err(|e| js(&e))?;
    download(&data, file)
}

fn width_of(canvas: Option<HtmlCanvasElement>, fallback: f64) -> f64 {
    canvas
        .map(|c| f64::from(c.client_width()))
        .filter(|w| *w > 0.0)
        .unwrap_or(fallback)
}

/// Makes the export `what` of the run and downloads it. `stream_input` is what the
/// page paints the stream picture from (its motion and followed record included).
#[allow(clippy::too_many_arguments)]
pub fn export(
    what: Export,
    file_stem: &str,
    sim: &Simulation,
    snapshot: &Snapshot,
    stream: &NodeRef,
    charts_refs: &[NodeRef],
    theme: &Theme,
    stream_input: &picture::StreamInput<'_>,
) -> Result<(), String> {
    let stem = format!(
        "kinesis-playground-{}-{}s",
        scenario_name(file_stem),
        snapshot.now.0 / 1_000
    );
    let limits = ChartLimits {
        write_records_per_s: snapshot.shards.len() as u64 * 1_000,
        concurrency: snapshot.concurrency.limit,
    };
    let chart_name = |i: usize| {
        chart_of(i).map_or("chart".to_string(), |(k, r)| {
            format!("{}-{}", k.id(), r.id())
        })
    };
    match what {
        Export::StreamPng => png(stream.cast(), &format!("{stem}-stream.png")),
        Export::StreamSvg => {
            let picture = picture::picture(stream_input, width_of(stream.cast(), 800.0), theme);
            let title = format!("{} at {}", sim.scenario().title, snapshot.now);
            download_text(
                &svg::picture(&picture, &title),
                "image/svg+xml",
                &format!("{stem}-stream.svg"),
            )
        }
        Export::ChartPng(i) => png(
            charts_refs.get(i).and_then(NodeRef::cast),
            &format!("{stem}-{}.png", chart_name(i)),
        ),
        Export::ChartSvg(i) => {
            let (kind, resolution) = chart_of(i).ok_or("no such chart")?;
            let data = charts::series(kind, resolution, sim.metrics(), snapshot.now, &limits);
            let width = width_of(charts_refs.get(i).and_then(NodeRef::cast), 640.0);
            download_text(
                &svg::chart(&data, theme, width, (width * 0.42).clamp(200.0, 320.0)),
                "image/svg+xml",
                &format!("{stem}-{}.svg", chart_name(i)),
            )
        }
        Export::Report => {
            let report = sim.report(ReportOptions::default());
            let json = serde_json::to_string_pretty(&report)
                .map_err(|e| format!("the report could not be written: {e}"))?;
            download_text(&json, "application/json", &format!("{stem}-report.json"))
        }
    }
}
