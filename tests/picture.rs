//! The stream picture of every built-in scenario, drawn natively at the widths
//! readers use: no two of its words overlap and none runs off its edge, it stays
//! readable (text at least 14 px on a desktop page, 24 px in presenter mode), shards
//! fill as time passes and what expires unread is drawn pouring out.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a test may stop at the first surprise

use kinesis_playground::sim::{parse_scenario, SimTime, Simulation, Snapshot};
use kinesis_playground::view::picture::{
    self, overlapping_texts, text_box, text_px_for, Highlight, Picture, Shape, DARK, LIGHT,
};

fn scenarios() -> Vec<(String, String)> {
    let dir = format!("{}/static/scenarios", env!("CARGO_MANIFEST_DIR"));
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("scenarios folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).expect("scenario file"))
        })
        .collect();
    out.sort();
    out
}

fn draw(snapshot: &Snapshot, width: f64, presenter: bool, dark: bool) -> Picture {
    let input = picture::StreamInput {
        text_px: text_px_for(width, presenter),
        ..picture::StreamInput::from_snapshot(snapshot, Highlight::default())
    };
    picture::picture(&input, width, if dark { &DARK } else { &LIGHT })
}

/// Snapshots of a scenario at a few moments: early, a third, two thirds and the end
/// (at most a simulated day and a half in, to keep the test quick).
fn moments(json: &str) -> Vec<Snapshot> {
    let scenario = parse_scenario(json).expect("a built-in scenario parses");
    let mut sim = Simulation::new(&scenario);
    let end = (scenario.duration_s * 1_000).min(108_000_000);
    [30_000.min(end), end / 3, end * 2 / 3, end]
        .into_iter()
        .map(|t| {
            sim.run_until(SimTime(t), usize::MAX);
            sim.snapshot()
        })
        .collect()
}

/// A word's box runs off the picture: it would be cut at the canvas's edge. The box is
/// the layout's own estimate of the text's width with a twentieth more, as the
/// browser's sans-serif runs a little wider than the estimate.
fn runs_off(p: &Picture, shape: &Shape) -> bool {
    let Some((x0, _, x1, _)) = text_box(shape) else {
        return false;
    };
    let slack = (x1 - x0) * 0.05;
    x0 - slack / 2.0 < 0.0 || x1 + slack / 2.0 > p.width_px
}

#[test]
fn no_two_words_overlap_or_run_off_the_picture_in_any_scenario_at_any_width() {
    let mut found = Vec::new();
    for (name, json) in scenarios() {
        for snapshot in moments(&json) {
            for (width, presenter) in [
                (358.0, false),
                (560.0, false),
                (620.0, false),
                (760.0, false),
                (1_200.0, false),
                (1_800.0, true),
            ] {
                let p = draw(&snapshot, width, presenter, false);
                let at = format!("{name} at {} s, {width} px", snapshot.now.0 / 1_000);
                for (a, b) in overlapping_texts(&p) {
                    found.push(format!("{at}: {a:?} over {b:?}"));
                }
                for s in &p.shapes {
                    if let Shape::Text { text, .. } = s {
                        if runs_off(&p, s) {
                            found.push(format!("{at}: {text:?} cut at the edge"));
                        }
                    }
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "{} words overlap or are cut:\n{}",
        found.len(),
        found.join("\n")
    );
}

fn text_sizes(p: &Picture) -> Vec<f64> {
    p.shapes
        .iter()
        .filter_map(|s| match s {
            Shape::Text { size_px, .. } => Some(*size_px),
            _ => None,
        })
        .collect()
}

#[test]
fn text_is_at_least_14_px_on_a_desktop_page_and_24_in_presenter_mode() {
    let (_, json) = scenarios()
        .into_iter()
        .find(|(n, _)| n == "poison-pill")
        .unwrap();
    let snapshot = &moments(&json)[1];
    for (width, presenter, least) in [
        (620.0, false, 14.0),
        (1_200.0, false, 14.0),
        (1_800.0, true, 24.0),
        (358.0, false, 12.0),
    ] {
        let p = draw(snapshot, width, presenter, false);
        let smallest = text_sizes(&p).into_iter().fold(f64::MAX, f64::min);
        assert!(
            smallest >= least - 1e-9,
            "{width} px (presenter {presenter}): {smallest} px text"
        );
        assert!(
            (p.width_px - width).abs() < 1e-6,
            "drawn {} px wide for {width}",
            p.width_px
        );
    }
}

fn words(p: &Picture) -> Vec<String> {
    p.shapes
        .iter()
        .filter_map(|s| match s {
            Shape::Text { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect()
}

/// Issue 15, item 10: UpdateShardCount closes every shard and opens two children for
/// each (UNIFORM_SCALING doubling; AWS's "Resharding a stream" page: a parent stays
/// readable, closed, until its records expire). The picture says which shards closed
/// and where their hash keys went, and a child where it came from; before the first
/// reshard it says neither.
#[test]
fn a_resharded_stream_says_which_shards_closed_and_where_their_keys_went() {
    let (_, json) = scenarios()
        .into_iter()
        .find(|(n, _)| n == "hot-key-after-resharding")
        .unwrap();
    let scenario = parse_scenario(&json).unwrap();
    let mut sim = Simulation::new(&scenario);
    let mut at = |s: u64, width: f64| {
        sim.run_until(SimTime(s * 1_000), usize::MAX);
        words(&draw(&sim.snapshot(), width, false, false))
    };
    let before = at(60, 1_280.0);
    assert!(
        !before
            .iter()
            .any(|w| w.contains("closed") || w.contains("from shard")),
        "{before:?}"
    );
    // Six shards (two closed, four children) are roomy lanes: the words lead the
    // lane's line.
    let roomy = at(130, 1_280.0);
    for expected in [
        "closed → shards 2, 3 · ",
        "closed → shards 4, 5 · ",
        "from shard 0 · ",
    ] {
        assert!(
            roomy.iter().any(|w| w.starts_with(expected)),
            "{expected:?} in {roomy:?}"
        );
    }
    // Fourteen are compact: the words stand in the empty tube beside the records
    // (after a closed shard's cap, or before its first record).
    let compact = at(300, 1_280.0);
    let count = |w: &str| compact.iter().filter(|t| t.contains(w)).count();
    assert_eq!(count("closed → shards 2, 3"), 1, "{compact:?}");
    assert_eq!(count("closed → shards 4, 5"), 1, "{compact:?}");
    assert_eq!(count("from shard 0"), 2, "{compact:?}");
    assert_eq!(count("from shard 5"), 2, "{compact:?}");
    // Shards 0 to 5 closed: each says so, and where its keys went.
    assert_eq!(count("closed → "), 6, "{compact:?}");
}
