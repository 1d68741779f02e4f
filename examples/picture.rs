//! Draws the stream picture of a scenario at a moment as SVG, without a browser: for
//! looking at the picture while changing it.
//!
//! `cargo run --example picture -- static/scenarios/poison-pill.json 3600 1280 14 [dark] > out.svg`
//! (scenario, simulated seconds, width in CSS px, smallest text in px).

#![allow(clippy::print_stderr, clippy::print_stdout)] // a command-line tool

use kinesis_playground::sim::{parse_scenario, SimTime, Simulation};
use kinesis_playground::view::picture::{self, Highlight, DARK, LIGHT};
use kinesis_playground::view::svg;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: picture SCENARIO.json SECONDS WIDTH_PX TEXT_PX [dark]";
    let [file, seconds, width, text_px, rest @ ..] = args.as_slice() else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    let parse = |s: &str, what: &str| -> f64 {
        s.parse().unwrap_or_else(|_| {
            eprintln!("{what} must be a number, not {s:?}; {usage}");
            std::process::exit(2)
        })
    };
    let json = std::fs::read_to_string(file).unwrap_or_else(|e| {
        eprintln!("cannot read {file}: {e}");
        std::process::exit(2)
    });
    let scenario = parse_scenario(&json).unwrap_or_else(|e| {
        eprintln!("{file}: {e}");
        std::process::exit(2)
    });
    let mut sim = Simulation::new(&scenario);
    sim.run_until(
        SimTime((parse(seconds, "SECONDS") * 1_000.0) as u64),
        usize::MAX,
    );
    let snapshot = sim.snapshot();
    let input = picture::StreamInput {
        text_px: parse(text_px, "TEXT_PX"),
        ..picture::StreamInput::from_snapshot(&snapshot, Highlight::default())
    };
    let theme = if rest.first().map(String::as_str) == Some("dark") {
        &DARK
    } else {
        &LIGHT
    };
    let p = picture::picture(&input, parse(width, "WIDTH_PX"), theme);
    println!("{}", svg::picture(&p, file));
}
