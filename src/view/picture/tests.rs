//! The stream picture's layout, colours, labels and hit-testing, natively.

use super::*;
use crate::sim::SimTime;
use crate::sim::{MappingStats, MappingView, Mark};

/// The moment the tests draw at, give or take a few seconds: an hour in.
const NOW: u64 = 3_600_000;

/// A shard whose records arrived evenly over the hour up to [`NOW`].
fn shard(i: usize, records: u64, throttled_last_s: u64) -> ShardView {
    ShardView {
        shard_id: format!("shardId-{i:012}"),
        records,
        bytes: records * 500,
        oldest_arrival: (records > 0).then_some(SimTime(0)),
        incoming_last_s: 625,
        throttled_last_s,
        trim_horizon: 0,
        write_head: records,
        marks: Vec::new(),
        timeline: match records {
            0 => Vec::new(),
            1 => vec![(0, SimTime(NOW))],
            n => vec![(0, SimTime(0)), (n - 1, SimTime(NOW))],
        },
    }
}

fn mapping(positions: Vec<u64>, blocked: Vec<bool>, busy: Vec<u32>) -> MappingView {
    let n = positions.len();
    MappingView {
        function_name: "process-orders".to_string(),
        lanes: 1,
        positions,
        blocked,
        busy,
        expired_last_s: vec![0; n],
        iterator_age_ms: vec![7_200_000; n],
        stats: MappingStats::default(),
        batches: Vec::new(),
        give_ups: Vec::new(),
        invocations: Vec::new(),
        destination: None,
    }
}

fn rects(p: &Picture, colour: &str) -> Vec<(f64, f64, f64, f64)> {
    p.shapes
        .iter()
        .filter_map(|s| match s {
            Shape::Rect {
                x, y, w, h, fill, ..
            } if *fill == colour => Some((*x, *y, *w, *h)),
            _ => None,
        })
        .collect()
}

fn texts(p: &Picture) -> Vec<&str> {
    p.shapes
        .iter()
        .filter_map(|s| match s {
            Shape::Text { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect()
}

/// A shard that holds what arrived since `from_ms`, at 100 records a second.
fn shard_since(i: usize, from_ms: u64) -> ShardView {
    let records = (NOW - from_ms) / 10;
    ShardView {
        oldest_arrival: Some(SimTime(from_ms)),
        timeline: vec![(0, SimTime(from_ms)), (records - 1, SimTime(NOW))],
        ..shard(i, records, 0)
    }
}

fn at_now(shards: &[ShardView], mappings: &[MappingView]) -> Picture {
    let input = StreamInput {
        now: SimTime(NOW),
        ..StreamInput::from_snapshot_parts(shards, mappings)
    };
    picture(&input, 1_000.0, &LIGHT)
}

/// The fills left of the write head (the producer's arrows, the same blue, lie right
/// of it), left to right, lane by lane; not the beads (ringed, `flow`).
fn fills(p: &Picture, colour: &str, shards: usize) -> Vec<(f64, f64, f64, f64)> {
    let right = LaneLayout::new(shards, 1_000.0).tube_right_px;
    p.shapes
        .iter()
        .filter_map(|s| match s {
            Shape::Rect {
                x,
                y,
                w,
                h,
                fill,
                stroke: None,
                ..
            } if *fill == colour && *x < right => Some((*x, *y, *w, *h)),
            _ => None,
        })
        .collect()
}

/// The records drawn one by one near the write head (`flow`): round, ringed.
fn beads(p: &Picture) -> Vec<(f64, f64, f64, f64)> {
    p.shapes
        .iter()
        .filter_map(|s| match s {
            Shape::Rect {
                x,
                y,
                w,
                h,
                stroke: Some(_),
                radius,
                ..
            } if (*radius * 2.0 - *w).abs() < 1e-9 && w == h => Some((*x, *y, *w, *h)),
            _ => None,
        })
        .collect()
}

#[test]
fn a_tube_is_the_retention_and_fills_from_the_write_head_as_its_records_age() {
    // Records for the last minute, the last hour, none.
    let shards = [
        shard_since(0, NOW - 60_000),
        shard_since(1, 0),
        shard(2, 0, 0),
    ];
    let p = at_now(&shards, &[]);
    let layout = LaneLayout::new(3, 1_000.0);
    let axis = TimeAxis::new(&layout, SimTime(NOW), SimDuration::from_hours(24));
    let f = fills(&p, LIGHT.waiting, 3);
    assert_eq!(f.len(), 2, "an empty shard has no fill");
    let (minute, hour) = (f[0], f[1]);
    // Both reach the write head: the fill, then the newest records one by one.
    let beads = beads(&p);
    for r in [minute, hour] {
        let on_lane: Vec<_> = beads
            .iter()
            .filter(|b| b.1 <= r.1 + r.3 && b.1 + b.3 >= r.1)
            .collect();
        let newest = on_lane.iter().map(|b| b.0 + b.2 / 2.0).fold(0.0, f64::max);
        assert!((newest - layout.tube_right_px).abs() < 1e-9, "{on_lane:?}");
        let oldest = on_lane.iter().map(|b| b.0).fold(f64::INFINITY, f64::min);
        let gap = oldest - (r.0 + r.2);
        assert!(gap > 0.0 && gap < BEAD_GAP_PX, "{r:?} {on_lane:?}");
    }
    assert!(
        (minute.0 - axis.x_of_age(60_000)).abs() < 1e-6,
        "{minute:?}"
    );
    assert!((hour.0 - axis.x_of_age(3_600_000)).abs() < 1e-6, "{hour:?}");
    assert!(
        hour.2 > 2.0 * minute.2,
        "an hour reaches well past a minute"
    );
    assert!(
        hour.0 > layout.tube_left_px + layout.tube_w() / 3.0,
        "an hour is not a day"
    );
    // A day's records fill the whole tube.
    let day = [ShardView {
        oldest_arrival: Some(SimTime(0)),
        timeline: vec![(0, SimTime(0)), (999, SimTime(86_400_000))],
        ..shard(0, 1_000, 0)
    }];
    let input = StreamInput {
        now: SimTime(86_400_000),
        ..StreamInput::from_snapshot_parts(&day, &[])
    };
    let f = fills(&picture(&input, 1_000.0, &LIGHT), LIGHT.waiting, 1);
    assert!(
        (f[0].0 - LaneLayout::new(1, 1_000.0).tube_left_px).abs() < 1e-6,
        "{f:?}"
    );
}

#[test]
fn the_time_axis_stretches_the_recent_end_and_inverts() {
    let layout = LaneLayout::new(1, 1_000.0);
    let axis = TimeAxis::new(&layout, SimTime(NOW), SimDuration::from_hours(24));
    let share = |ms: u64| (layout.tube_right_px - axis.x_of_age(ms)) / layout.tube_w();
    assert_eq!(share(0), 0.0);
    assert!((share(86_400_000) - 1.0).abs() < 1e-12);
    assert!(
        (share(172_800_000) - 1.0).abs() < 1e-12,
        "never past the trim horizon"
    );
    for (ms, expected) in [
        (1_000, 0.058),
        (60_000, 0.162),
        (3_600_000, 0.452),
        (43_200_000, 0.841),
    ] {
        assert!(
            (share(ms) - expected).abs() < 0.001,
            "{ms} ms: {}",
            share(ms)
        );
        let back = axis.age_at(axis.x_of_age(ms));
        assert!(back.abs_diff(ms) <= ms / 1_000 + 1, "{ms} → {back}");
    }
    let marks: Vec<&str> = axis_marks(86_400_000).map(|m| m.1).collect();
    assert_eq!(
        marks,
        ["1 s", "10 s", "1 min", "10 min", "1 h", "6 h", "12 h"]
    );
}

#[test]
fn knots_place_records_in_time_and_back() {
    let knots = [
        (100, SimTime(0)),
        (199, SimTime(99_000)),
        (200, SimTime(500_000)),
    ];
    assert_eq!(arrival_of(&knots, 100), Some(SimTime(0)));
    assert_eq!(arrival_of(&knots, 150), Some(SimTime(50_000)));
    assert_eq!(arrival_of(&knots, 200), Some(SimTime(500_000)));
    assert_eq!(arrival_of(&knots, 5_000), Some(SimTime(500_000)));
    assert_eq!(arrival_of(&[], 5), None);
    assert_eq!(index_at(&knots, SimTime(50_000)), Some(150));
    assert_eq!(
        index_at(&knots, SimTime(200_000)),
        Some(200),
        "nothing arrived in between"
    );
    assert_eq!(index_at(&knots, SimTime(600_000)), None);
    assert!(flows_between(knots[0], knots[1]));
    assert!(!flows_between(knots[1], knots[2]), "401 s without a record");
}

#[test]
fn a_stretch_with_nothing_written_stays_empty() {
    // A flow for the first half hour, nothing, then one record a minute ago.
    let s = ShardView {
        oldest_arrival: Some(SimTime(0)),
        timeline: vec![
            (0, SimTime(0)),
            (17_999, SimTime(1_800_000)),
            (18_000, SimTime(NOW - 60_000)),
        ],
        ..shard(0, 18_001, 0)
    };
    let p = at_now(std::slice::from_ref(&s), &[]);
    let layout = LaneLayout::new(1, 1_000.0);
    let axis = TimeAxis::new(&layout, SimTime(NOW), SimDuration::from_hours(24));
    let f = fills(&p, LIGHT.waiting, 1);
    assert!((f[0].0 - axis.x_of_age(NOW)).abs() < 1e-6);
    assert!((f[0].0 + f[0].2 - axis.x_of_age(1_800_000)).abs() < 1e-6);
    assert_eq!(f.len(), 1, "{f:?}");
    let b = beads(&p);
    assert_eq!(b.len(), 1, "the lone record is a bead of its own: {b:?}");
    assert!((b[0].0 + b[0].2 / 2.0 - axis.x_of_age(60_000)).abs() < 1e-6);
}

#[test]
fn processed_records_fade_behind_the_iterator_and_waiting_ones_stay_blue() {
    let shards = [shard(0, 1_000, 0)];
    let mappings = [mapping(vec![750], vec![false], vec![0])];
    let input = StreamInput {
        shards: &shards,
        mappings: &mappings,
        lineage: &[],
        lost: Some(0),
        highlight: Highlight::default(),
        now: SimTime(NOW),
        motion: true,
        travel_ms: TRAVEL_MS_MIN,
        traced: None,
        retention: SimDuration::from_hours(24),
        text_px: DESIGN_TEXT_PX,
    };
    let p = picture(&input, 1_000.0, &LIGHT);
    let layout = LaneLayout::new(1, 1_000.0);
    let axis = TimeAxis::new(&layout, SimTime(NOW), SimDuration::from_hours(24));
    let processed = rects(&p, LIGHT.processed);
    let waiting = rects(&p, LIGHT.waiting);
    // Record 750 of 1,000 over the hour arrived 15 minutes ago.
    let split = axis.x_of_age(NOW - arrival_of(&shards[0].timeline, 750).unwrap().0);
    assert!((axis.x_of_age(NOW) - processed[0].0).abs() < 1e-6);
    assert!((processed[0].0 + processed[0].2 - split).abs() < 1e-6);
    assert!((waiting[0].0 - split).abs() < 1e-6);
    // The marker bar (text colour) is centred on the boundary.
    let bar = rects(&p, LIGHT.text)[0];
    assert!((bar.0 + bar.2 / 2.0 - waiting[0].0).abs() < 1e-9);
    assert!(texts(&p).contains(&"iterator age 2 h 00 min"));
    assert!(texts(&p).contains(&"lost: expired unprocessed"));
}

#[test]
fn at_512_shards_lanes_are_thin_labels_thin_out_and_trouble_stays_visible() {
    let mut shards: Vec<ShardView> = (0..512).map(|i| shard(i, 10_000, 0)).collect();
    shards[300].marks.push(Mark {
        index: 9_000,
        arrival: SimTime(0),
        partition_key: "order-4711".to_string(),
        poison: true,
    });
    shards[301].throttled_last_s = 5;
    let mut blocked = vec![false; 512];
    blocked[300] = true;
    let mappings = [mapping(vec![9_000; 512], blocked, vec![1; 512])];
    let input = StreamInput {
        shards: &shards,
        mappings: &mappings,
        lineage: &[],
        lost: Some(12),
        highlight: Highlight {
            shard: Some(7),
            mapping: None,
        },
        now: SimTime(NOW),
        motion: true,
        travel_ms: TRAVEL_MS_MIN,
        traced: None,
        retention: SimDuration::from_hours(24),
        text_px: DESIGN_TEXT_PX,
    };
    let p = picture(&input, 1_280.0, &DARK);
    let layout = LaneLayout::new(512, 1_280.0);
    assert_eq!(layout.pitch_px, PITCH_MIN_PX);
    assert_eq!(layout.label_every, 20);
    let labels: Vec<&str> = texts(&p)
        .into_iter()
        .filter(|t| t.starts_with("shard "))
        .collect();
    assert_eq!(
        labels.len(),
        512 / 20 + 1,
        "every 20th and the highlighted one, shard 0 giving way to it"
    );
    assert!(!labels.contains(&"shard 0"));
    assert!(labels.contains(&"shard 7") && labels.contains(&"shard 500"));
    let pill = rects(&p, DARK.poison);
    assert!(
        pill.iter()
            .any(|r| r.2 >= SPECIAL_MIN_PX && r.3 >= SPECIAL_MIN_PX),
        "the pill is at least {SPECIAL_MIN_PX} px: {pill:?}"
    );
    assert!(!rects(&p, DARK.throttled).is_empty());
    let outlined = p.shapes.iter().any(
        |s| matches!(s, Shape::Outline { stroke, h, .. } if *stroke == DARK.highlight && *h >= 8.0),
    );
    assert!(
        outlined,
        "the highlighted lane is outlined at least 8 px tall"
    );
    assert!(p.height_px < LANES_HEIGHT_MAX_PX + 150.0, "{}", p.height_px);
    assert!(p.shapes.len() < 512 * 8, "{} shapes", p.shapes.len());
}

#[test]
fn label_steps_are_round_numbers() {
    assert_eq!(label_every(22.0), 1);
    assert_eq!(label_every(7.5), 2);
    assert_eq!(label_every(4.8), 5);
    assert_eq!(label_every(1.3), 10);
    assert_eq!(label_every(1.0), 20);
    assert_eq!(label_every(0.1), 200);
}

#[test]
fn every_lane_shows_records_and_rates_with_units() {
    for width in [390.0, 1_000.0] {
        let p = stream_picture(&[shard(3, 12_345, 40)], width, &DARK);
        let all = texts(&p).join(" | ");
        assert!(all.contains("shard 3"), "{all}");
        assert!(all.contains("12,345 records"), "{all}");
        assert!(all.contains("625 records/s in"), "{all}");
        assert!(all.contains("40 throttled/s"), "{all}");
    }
}

#[test]
fn throttling_draws_a_marker_only_when_it_happens() {
    let with = stream_picture(&[shard(0, 10, 5)], 800.0, &LIGHT);
    let without = stream_picture(&[shard(0, 10, 0)], 800.0, &LIGHT);
    assert!(!rects(&with, LIGHT.throttled).is_empty());
    assert!(rects(&without, LIGHT.throttled).is_empty());
}

#[test]
fn everything_stays_inside_the_picture() {
    for n in [1, 8, 9, 64, 512] {
        let shards: Vec<ShardView> = (0..n).map(|i| shard(i, 100 * i as u64, 1)).collect();
        let mut m = mapping(vec![50; n], vec![true; n], vec![2; n]);
        m.destination = Some("arn:aws:sqs:us-east-1:123456789012:a-very-long-queue-name".into());
        m.stats.on_failure = 123_456_789;
        m.batches = (0..n as u32)
            .flat_map(|s| {
                [
                    BatchView {
                        shard: s,
                        ..batch(0, 60, in_flight(0, 10), 1)
                    },
                    BatchView {
                        shard: s,
                        ..batch(
                            60,
                            60 + 100 * u64::from(s),
                            BatchState::Waiting { until: None },
                            1,
                        )
                    },
                ]
            })
            .collect();
        m.give_ups = vec![crate::sim::GiveUp {
            at: SimTime(0),
            shard: (n - 1) as u32,
            lane: 0,
            start: 0,
            records: 3,
            to_destination: true,
            condition: crate::sim::GiveUpCondition::RetryAttemptsExhausted,
        }];
        let mappings = [m];
        let input = StreamInput {
            shards: &shards,
            mappings: &mappings,
            lineage: &[],
            lost: Some(3),
            highlight: Highlight {
                shard: Some(0),
                mapping: Some(0),
            },
            now: SimTime(NOW),
            motion: true,
            travel_ms: TRAVEL_MS_MIN,
            traced: None,
            retention: SimDuration::from_hours(24),
            text_px: DESIGN_TEXT_PX,
        };
        for width in [200.0, 390.0, 599.0, 600.0, 1_280.0] {
            let p = picture(&input, width, &LIGHT);
            for s in &p.shapes {
                let (x0, y0, x1, y1) = match s {
                    Shape::Rect { x, y, w, h, .. }
                    | Shape::Outline { x, y, w, h, .. }
                    | Shape::Hatch { x, y, w, h, .. } => (*x, *y, x + w, y + h),
                    Shape::Line { from, to, .. } => (
                        from.0.min(to.0),
                        from.1.min(to.1),
                        from.0.max(to.0),
                        from.1.max(to.1),
                    ),
                    Shape::Polygon { points, .. } => points
                        .iter()
                        .fold((f64::MAX, f64::MAX, 0.0_f64, 0.0_f64), |(a, b, c, d), p| {
                            (a.min(p.0), b.min(p.1), c.max(p.0), d.max(p.1))
                        }),
                    Shape::Text { x, y, .. } => (*x, *y, *x, *y),
                };
                assert!(
                    x0 >= 0.0 && y0 >= 0.0 && x1 <= p.width_px && y1 <= p.height_px,
                    "{s:?} outside {width} with {n} shards"
                );
            }
        }
    }
}

#[test]
fn no_shards_is_said_not_drawn_blank() {
    let p = stream_picture(&[], 800.0, &LIGHT);
    assert_eq!(texts(&p), ["No shards to draw yet"]);
    assert_eq!(
        describe(&[]),
        "0 shards holding 0 records; 0 records/s in, 0 entries/s throttled in the last second"
    );
}

#[test]
fn shard_labels_and_ages_are_short() {
    assert_eq!(shard_label("shardId-000000000003"), "shard 3");
    assert_eq!(shard_label("custom"), "custom");
    assert_eq!(age(850), "850 ms");
    assert_eq!(age(42_000), "42 s");
    assert_eq!(age(185_000), "3 min 05 s");
    assert_eq!(age(90_000_000), "1 d 01 h");
}

#[test]
fn text_colours_meet_wcag_aa_in_both_themes() {
    for theme in [&LIGHT, &DARK] {
        for (name, fg, bg) in [
            ("text", theme.text, theme.background),
            ("muted", theme.muted, theme.background),
            ("lost count", theme.lost, theme.background),
            ("lost count in the bucket", theme.lost, theme.lost_fill),
            ("chart limit", theme.limit, theme.background),
        ] {
            let ratio = contrast(fg, bg).unwrap_or(0.0);
            assert!(ratio >= 4.5, "{name}: {fg} on {bg} is {ratio:.2}");
        }
        // Processed records stand out from the empty tube and from waiting ones
        // (which differ in hue too: green against blue).
        for (name, a, b, least) in [
            ("processed on the track", theme.processed, theme.track, 1.5),
            (
                "waiting against processed",
                theme.waiting,
                theme.processed,
                1.9,
            ),
            ("waiting on the track", theme.waiting, theme.track, 3.0),
            (
                "the bucket's level in the bucket",
                theme.lost_level,
                theme.lost_fill,
                1.3,
            ),
        ] {
            let ratio = contrast(a, b).unwrap_or(0.0);
            assert!(ratio >= least, "{name}: {a} against {b} is {ratio:.2}");
        }
        // Stripes on yellow read in grey print.
        let stripes = contrast(theme.throttled_outline, theme.throttled).unwrap_or(0.0);
        assert!(stripes >= 4.5, "{stripes}");
        let hatch = contrast(theme.poison_hatch, theme.poison).unwrap_or(0.0);
        assert!(hatch >= 3.0, "poison hatch {hatch}");
        // Lines and markers (non-text) need 3:1 against the page.
        for c in [
            theme.waiting,
            theme.value_alt,
            theme.trouble,
            theme.trouble_alt,
            theme.function(0),
            theme.other_functions,
        ] {
            let ratio = contrast(c, theme.background).unwrap_or(0.0);
            assert!(ratio >= 3.0, "{c} on {} is {ratio:.2}", theme.background);
        }
    }
    assert_eq!(
        contrast("#000000", "#ffffff").map(|r| r.round()),
        Some(21.0)
    );
    assert_eq!(contrast("red", "#ffffff"), None);
}

fn batch(start: u64, end: u64, state: BatchState, depth: u8) -> BatchView {
    BatchView {
        shard: 0,
        lane: 0,
        start,
        end,
        records: end - start,
        state,
        depth,
        retries: u32::from(depth == 0),
        invokes: 1,
    }
}

fn in_flight(started: u64, ends: u64) -> BatchState {
    BatchState::InFlight {
        started: SimTime(NOW + started),
        ends: SimTime(NOW + ends),
    }
}

fn one_lane(mappings: &[MappingView], now: u64, motion: bool) -> (Picture, Drawn) {
    let shards = [shard(0, 1_000, 0)];
    let input = StreamInput {
        shards: &shards,
        mappings,
        lineage: &[],
        lost: Some(0),
        highlight: Highlight::default(),
        now: SimTime(NOW + now),
        motion,
        travel_ms: TRAVEL_MS_MIN,
        traced: None,
        retention: SimDuration::from_hours(24),
        text_px: DESIGN_TEXT_PX,
    };
    picture_drawn(&input, 1_000.0, &LIGHT)
}

/// The top of the packet (the filled orange rectangle above the tube).
fn packet_top(p: &Picture) -> Option<f64> {
    rects(p, LIGHT.batch).first().map(|r| r.1)
}

#[test]
fn a_batch_in_flight_is_a_bracket_that_lifts_with_its_invocations_progress() {
    let mut m = mapping(vec![500], vec![false], vec![1]);
    m.batches = vec![batch(500, 600, in_flight(1_000, 2_000), 0)];
    let (start, drawn) = one_lane(std::slice::from_ref(&m), 1_000, true);
    let (half, _) = one_lane(std::slice::from_ref(&m), 1_500, true);
    let (end, _) = one_lane(std::slice::from_ref(&m), 2_000, true);
    assert_eq!(drawn.batches_in_flight, 1);
    let layout = LaneLayout::new(1, 1_000.0);
    let bracket = start
        .shapes
        .iter()
        .find_map(|s| match s {
            Shape::Outline {
                x,
                w,
                stroke,
                dashed: false,
                ..
            } if *stroke == LIGHT.batch => Some((*x, *w)),
            _ => None,
        })
        .expect("a bracket");
    // Over its records' place in time: records 500 to 600 of the hour's 1,000.
    let axis = TimeAxis::new(&layout, SimTime(NOW + 1_000), SimDuration::from_hours(24));
    let knots = &shard(0, 1_000, 0).timeline;
    let (x0, x1) = (
        axis.x_of(arrival_of(knots, 500).unwrap()),
        axis.x_of(arrival_of(knots, 600).unwrap()),
    );
    assert!(
        (bracket.0 - x0).abs() < 1e-6 && (bracket.1 - (x1 - x0)).abs() < 1e-6,
        "{bracket:?}"
    );
    let (y0, y1, y2) = (
        packet_top(&start).expect("packet"),
        packet_top(&half).expect("packet"),
        packet_top(&end).expect("packet"),
    );
    assert!(y0 > y1 && y1 > y2, "it rises: {y0} {y1} {y2}");
    assert!(
        (y0 - (layout.tube_top(0) - 5.0 - PACKET_PX)).abs() < 1e-9,
        "it starts just above its lane: {y0}"
    );
    assert!(
        y2 >= layout.lane_top(0) + 14.0,
        "it stops under the lane's text"
    );
    assert!(texts(&start).contains(&"λ 100"));
    // With reduced motion: the bracket alone, no lift.
    assert_eq!(drawn.lifted, 1);
    let (still, drawn) = one_lane(std::slice::from_ref(&m), 1_500, false);
    assert_eq!((drawn.batches_in_flight, drawn.lifted), (1, 0));
    assert_eq!(packet_top(&still), None);
}

#[test]
fn a_bisected_batch_shows_two_halves_with_a_gap_one_lifted_one_waiting() {
    let mut m = mapping(vec![500], vec![true], vec![1]);
    m.batches = vec![
        batch(500, 550, in_flight(0, 1_000), 1),
        batch(550, 600, BatchState::Waiting { until: None }, 1),
    ];
    let (p, drawn) = one_lane(std::slice::from_ref(&m), 500, true);
    assert_eq!(
        (drawn.batches_in_flight, drawn.batches_waiting, drawn.halves),
        (1, 1, 2)
    );
    let outlines: Vec<(f64, f64, bool)> = p
        .shapes
        .iter()
        .filter_map(|s| match s {
            Shape::Outline {
                x,
                w,
                h,
                stroke,
                dashed,
                ..
            } if *stroke == LIGHT.batch && *h > PACKET_PX + 1.0 => Some((*x, *w, *dashed)),
            _ => None,
        })
        .collect();
    assert_eq!(outlines.len(), 2, "{outlines:?}");
    let (a, b) = (outlines[0], outlines[1]);
    assert!(
        !a.2 && b.2,
        "the half in flight is solid, the waiting one dashed"
    );
    assert!(
        b.0 - (a.0 + a.1) >= 2.9,
        "a visible gap between the halves: {outlines:?}"
    );
    let all = texts(&p);
    assert!(
        all.contains(&"½ λ 50") && all.contains(&"½ waits"),
        "{all:?}"
    );
}

#[test]
fn halves_of_a_tiny_batch_stand_side_by_side() {
    let mut m = mapping(vec![500], vec![true], vec![1]);
    // One record each: far narrower than a bracket can be drawn.
    m.batches = vec![
        batch(500, 501, in_flight(0, 1_000), 7),
        batch(501, 502, BatchState::Waiting { until: None }, 7),
    ];
    let (p, _) = one_lane(std::slice::from_ref(&m), 500, true);
    let xs: Vec<(f64, f64)> = p
        .shapes
        .iter()
        .filter_map(|s| match s {
            Shape::Outline {
                x, w, h, stroke, ..
            } if *stroke == LIGHT.batch && *h > PACKET_PX + 1.0 => Some((*x, *w)),
            _ => None,
        })
        .collect();
    assert_eq!(xs.len(), 2);
    assert!(xs[1].0 >= xs[0].0 + xs[0].1 + 2.9, "side by side: {xs:?}");
}

#[test]
fn give_ups_travel_to_a_labelled_destination_and_without_one_the_discarded_count_shows() {
    let mut m = mapping(vec![500], vec![false], vec![0]);
    m.destination = Some("arn:aws:sqs:us-east-1:123456789012:orders-dlq".to_string());
    m.stats.on_failure = 1_234;
    m.give_ups = vec![crate::sim::GiveUp {
        at: SimTime(NOW + 10_000),
        shard: 0,
        lane: 0,
        start: 500,
        records: 100,
        to_destination: true,
        condition: crate::sim::GiveUpCondition::RetryAttemptsExhausted,
    }];
    let (p, drawn) = one_lane(std::slice::from_ref(&m), 11_000, true);
    assert_eq!(drawn.destination.as_deref(), Some("SQS queue orders-dlq"));
    assert_eq!((drawn.sent, drawn.travelling), (1_234, 1));
    let all = texts(&p);
    assert!(all.contains(&"1,234 records"), "{all:?}");
    assert!(
        all.iter().any(|t| t.contains("SQS queue orders-dlq")),
        "{all:?}"
    );
    // Arrived: it no longer travels; with reduced motion it never does.
    assert_eq!(
        one_lane(std::slice::from_ref(&m), 13_001, true)
            .1
            .travelling,
        0
    );
    assert_eq!(
        one_lane(std::slice::from_ref(&m), 11_000, false)
            .1
            .travelling,
        0
    );
    // No destination: no box, the discarded records are counted instead.
    m.destination = None;
    m.stats.discarded = 7;
    let (p, drawn) = one_lane(std::slice::from_ref(&m), 11_000, true);
    assert_eq!(
        (drawn.destination, drawn.discarded, drawn.travelling),
        (None, 7, 0)
    );
    assert!(texts(&p).contains(&"7 records discarded"));
    assert!(rects(&p, LIGHT.destination_fill).is_empty());
}

#[test]
fn destinations_are_named_by_kind() {
    assert_eq!(
        destination_label("arn:aws:sns:us-east-1:123456789012:alerts"),
        "SNS topic alerts"
    );
    assert_eq!(
        destination_label("arn:aws:s3:::failures"),
        "S3 bucket failures"
    );
    assert_eq!(
        destination_label("arn:aws:kafka:us-east-1:123456789012:cluster/c/abc"),
        "Kafka topic abc"
    );
    assert_eq!(half_label(1), "½");
    assert_eq!(half_label(4), "1/16");
}

#[test]
fn producer_arrows_thicken_with_the_rate_and_a_throttled_put_bounces_back() {
    assert_eq!(arrow_px(0, 18.0), 0.0);
    assert!(arrow_px(100, 18.0) < arrow_px(1_000, 18.0));
    assert_eq!(
        arrow_px(5_000, 18.0),
        arrow_px(1_000, 18.0),
        "a shard takes 1,000/s"
    );
    assert!(
        arrow_px(1_000, 2.0) <= 1.6,
        "never thicker than a thin tube"
    );
    let shards = [shard(0, 100, 30)];
    let at = |ms: u64, motion: bool| {
        let input = StreamInput {
            now: SimTime(NOW + ms),
            motion,
            ..StreamInput::from_snapshot_parts(&shards, &[])
        };
        picture_drawn(&input, 1_000.0, &LIGHT)
    };
    let (early, drawn) = at(100, true);
    assert_eq!((drawn.producer_arrows, drawn.bounces), (1, 1));
    // The bounce is the square; the gate at the head is tall and thin.
    let x = |p: &Picture| {
        rects(p, LIGHT.throttled)
            .into_iter()
            .find(|r| (r.2 - r.3).abs() < 1e-9)
            .map(|r| r.0)
    };
    let gate = rects(&early, LIGHT.throttled)
        .into_iter()
        .any(|r| r.3 > 3.0 * r.2);
    assert!(
        gate,
        "the write limit's gate turns yellow while it throttles"
    );
    let (late, _) = at(900, true);
    let layout = LaneLayout::new(1, 1_000.0);
    assert!(x(&early) < x(&late), "it moves back towards the producer");
    assert!(x(&early).is_some_and(|x| x > layout.tube_right_px));
    assert_eq!(
        x(&at(100, false).0),
        x(&at(900, false).0),
        "still with reduced motion"
    );
}

#[test]
fn the_followed_record_is_ringed_and_a_click_finds_it_again() {
    let mut shards = [shard(0, 1_000, 0), shard(1, 500, 0)];
    shards[1].marks.push(Mark {
        index: 250,
        arrival: SimTime(NOW * 3 / 4),
        partition_key: "pill".to_string(),
        poison: true,
    });
    shards[1].oldest_arrival = Some(SimTime(NOW / 2));
    shards[1].timeline = vec![(0, SimTime(NOW / 2)), (499, SimTime(NOW))];
    let layout = LaneLayout::new(2, 1_000.0);
    let axis = TimeAxis::new(&layout, SimTime(NOW), SimDuration::from_hours(24));
    let base = StreamInput {
        now: SimTime(NOW),
        ..StreamInput::from_snapshot_parts(&shards, &[])
    };
    // A click on the pill's lane near its x picks the pill.
    let pill_x = axis.x_of(SimTime(NOW * 3 / 4)) + 2.0;
    let y = layout.tube_top(1) + 5.0;
    assert_eq!(record_at_point(&base, 1_000.0, pill_x, y), Some((1, 250)));
    // Elsewhere: the record under the point.
    let x = axis.x_of(arrival_of(&shards[0].timeline, 700).unwrap());
    assert_eq!(
        record_at_point(&base, 1_000.0, x, layout.tube_top(0) + 5.0),
        Some((0, 700))
    );
    assert_eq!(
        record_at_point(&base, 1_000.0, x, 2.0),
        None,
        "above the lanes"
    );
    assert_eq!(
        record_at_point(&base, 1_000.0, layout.tube_left_px + 5.0, y),
        None,
        "left of shard 1's fill"
    );
    // Drawn twice as large, the same point twice as far finds the same record.
    let large = StreamInput {
        text_px: 2.0 * DESIGN_TEXT_PX,
        ..base
    };
    assert_eq!(
        record_at_point(&large, 2_000.0, 2.0 * x, 2.0 * (layout.tube_top(0) + 5.0)),
        Some((0, 700))
    );
    let input = StreamInput {
        traced: Some(Traced {
            shard: 0,
            index: 700,
        }),
        ..base
    };
    let (p, drawn) = picture_drawn(&input, 1_000.0, &LIGHT);
    assert!(drawn.traced);
    assert!(texts(&p).contains(&"followed"));
    let ring = p.shapes.iter().any(|s| {
        matches!(s, Shape::Outline { x: rx, w, stroke, .. }
        if *stroke == LIGHT.highlight && *rx <= x && x <= rx + w)
    });
    assert!(ring, "a ring around the record");
}

#[test]
fn sixty_four_busy_shards_stay_a_bounded_number_of_shapes() {
    let shards: Vec<ShardView> = (0..64).map(|i| shard(i, 50_000, 20)).collect();
    let mut m = mapping(vec![40_000; 64], vec![false; 64], vec![1; 64]);
    m.lanes = 10;
    m.batches = (0..64u32)
        .flat_map(|s| {
            (0..10u32).map(move |l| BatchView {
                shard: s,
                lane: l,
                ..batch(40_000, 40_500, in_flight(0, 1_000), 0)
            })
        })
        .collect();
    let mappings = [m];
    let input = StreamInput {
        now: SimTime(NOW + 500),
        ..StreamInput::from_snapshot_parts(&shards, &mappings)
    };
    let (p, drawn) = picture_drawn(&input, 1_280.0, &DARK);
    assert_eq!(drawn.batches_in_flight, 640);
    assert!(p.shapes.len() < 64 * 24, "{} shapes", p.shapes.len());
}

#[test]
fn resharded_shards_are_named_together() {
    let ids = |n: &[u64]| n.iter().map(|&i| shard_id_of(i)).collect::<Vec<_>>();
    assert_eq!(shards_named(&ids(&[4])), "shard 4");
    assert_eq!(shards_named(&ids(&[2, 3])), "shards 2, 3");
    assert_eq!(shards_named(&["a".to_string(), "b".to_string()]), "a, b");
    let closed = ShardLineage {
        status: ShardStatus::Closed,
        starting_hash_key: 0,
        ending_hash_key: u128::MAX,
        parents: Vec::new(),
        children: ids(&[6, 7]),
        closed_at: Some(SimTime(240_000)),
    };
    assert_eq!(
        closed_words(&closed),
        ["closed → shards 6, 7", "closed → 6, 7", "closed"]
    );
    assert_eq!(parent_words(&closed), None);
    let child = ShardLineage {
        status: ShardStatus::Open,
        parents: ids(&[0, 1]),
        children: Vec::new(),
        closed_at: None,
        ..closed
    };
    assert!(closed_words(&child).is_empty());
    assert_eq!(parent_words(&child).as_deref(), Some("from shards 0, 1"));
}

fn shard_id_of(i: u64) -> String {
    crate::sim::shard_id(u32::try_from(i).unwrap_or(u32::MAX))
}
