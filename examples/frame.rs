//! Prints where a playing frame's work goes, natively: the simulation's slice, the
//! snapshot and the stream picture's layout (and the concurrency grid's), for the
//! page's frame benchmark's runs (`tests/browser/frame-bench.test.mjs`: the steady
//! scenario with 4, 64, 512 and 4,096 shards and one mapping with AWS's defaults).
//! A benchmark prints figures; nothing here is compared with a time.
//!
//! `cargo run --release --example frame [-- SHARDS...] [-- --frames N] [-- --warm S]`
//!
//! - `SHARDS`: the shard counts to measure (4, 64, 512 and 4,096 unless given);
//! - `--frames N`: frames measured per run (200);
//! - `--warm S`: simulated seconds run before measuring (600), so the shards hold
//!   records and the mapping reads.

#![allow(clippy::print_stdout, clippy::print_stderr)] // a benchmark prints its figures

use std::time::Instant;

use kinesis_playground::sim::{parse_scenario, SimDuration, SimTime, Simulation};
use kinesis_playground::view::grid::{self, Throttles};
use kinesis_playground::view::knobs;
use kinesis_playground::view::picture::{self, Highlight, LIGHT};

/// The page's default scenario, as the frame benchmark starts it.
const STEADY: &str = include_str!("../static/scenarios/steady.json");

/// The stream canvas's CSS width on the benchmark's 1280x800 page (about).
const WIDTH_PX: f64 = 1_200.0;

/// The window's height on the benchmark's 1280x800 page, and the band the page paints
/// of a picture taller than it (the window and `ON_SCREEN_MARGIN` of a window above and
/// below).
const WINDOW_PX: f64 = 800.0;

/// Median and 95th percentile of `v`, ms.
fn figures(v: &mut [f64]) -> (f64, f64) {
    v.sort_by(f64::total_cmp);
    let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.95))
}

fn run(shards: u32, frames: usize, warm_s: u64) {
    let mut scenario = match parse_scenario(STEADY) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("steady.json: {e}");
            std::process::exit(2);
        }
    };
    scenario.stream.shard_count = shards;
    scenario.duration_s = 31_622_400;
    let scenario = knobs::with_default_mapping(&scenario);
    let mut sim = Simulation::new(&scenario);
    let started = Instant::now();
    sim.run_until(SimTime(warm_s * 1_000), usize::MAX);
    let warm_wall = started.elapsed().as_secs_f64();
    let (mut sim_ms, mut snap_ms, mut pic_ms, mut grid_ms) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut shapes, mut on_screen) = (0, 0);
    let sim_started = sim.now();
    // A frame at 10,000x moves 167 simulated ms; the slice here is bounded by events
    // as the page's budget bounds it by time (a 4 ms slice at about 2 us an event).
    let step = SimDuration::from_ms(167);
    for _ in 0..frames {
        let t0 = Instant::now();
        let to = sim.now() + step;
        sim.run_until(to, 2_000);
        let t1 = Instant::now();
        let snapshot = sim.snapshot();
        let t2 = Instant::now();
        let input = picture::StreamInput {
            text_px: picture::text_px_for(WIDTH_PX, false),
            ..picture::StreamInput::from_snapshot(&snapshot, Highlight::default())
        };
        let (mut p, _) = picture::picture_drawn(&input, WIDTH_PX, &LIGHT);
        shapes = p.shapes.len();
        if p.height_px > WINDOW_PX {
            // The page scrolled to the picture's top, as the benchmark leaves it.
            p.keep_between(
                -WINDOW_PX * picture::ON_SCREEN_MARGIN,
                WINDOW_PX * (1.0 + picture::ON_SCREEN_MARGIN),
            );
        }
        on_screen = p.shapes.len();
        let t3 = Instant::now();
        let throttles = Throttles::default();
        let g = grid::concurrency_picture_drawn(
            &snapshot.concurrency,
            throttles,
            WIDTH_PX,
            grid::TEXT_PX,
            &LIGHT,
        );
        std::hint::black_box(g);
        let t4 = Instant::now();
        let ms = |a: Instant, b: Instant| (b - a).as_secs_f64() * 1e3;
        sim_ms.push(ms(t0, t1));
        snap_ms.push(ms(t1, t2));
        pic_ms.push(ms(t2, t3));
        grid_ms.push(ms(t3, t4));
    }
    let moved_s = sim.now().saturating_since(sim_started).as_ms() as f64 / 1e3;
    let (s50, s95) = figures(&mut sim_ms);
    let (n50, n95) = figures(&mut snap_ms);
    let (p50, p95) = figures(&mut pic_ms);
    let (g50, g95) = figures(&mut grid_ms);
    println!(
        "{shards:>5} shards: warm-up {warm_s} sim s in {warm_wall:.2} wall s; per frame (median / p95 ms): \
         sim slice {s50:.2} / {s95:.2} ({moved_s:.1} sim s in {frames} frames), \
         snapshot {n50:.2} / {n95:.2}, stream picture {p50:.2} / {p95:.2} ({shapes} shapes, {on_screen} painted in a window), grid {g50:.2} / {g95:.2}"
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse::<u64>().ok())
    };
    let frames = value("--frames").unwrap_or(200) as usize;
    let warm_s = value("--warm").unwrap_or(600);
    let mut skip = false;
    let mut counts = Vec::new();
    for a in &args {
        if skip {
            skip = false;
        } else if a.starts_with("--") {
            skip = true;
        } else if let Ok(n) = a.parse::<u32>() {
            counts.push(n);
        } else {
            eprintln!("not a shard count: {a:?}; usage: frame [SHARDS...] [--frames N] [--warm S]");
            std::process::exit(2);
        }
    }
    if counts.is_empty() {
        counts = vec![4, 64, 512, 4_096];
    }
    for shards in counts {
        run(shards, frames.max(1), warm_s);
    }
}
