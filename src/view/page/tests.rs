//! The page driven natively: frames on a fake clock, time controls, settings,
//! replays, lessons, presenter beats and breakpoints.

use super::*;
use crate::sim::{parse_scenario, Milestone};
use crate::view::lesson::Stage;

fn builtin(name: &str) -> Scenario {
    let json = std::fs::read_to_string(format!(
        "{}/static/scenarios/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap_or_else(|e| panic!("{name}: {e}"));
    parse_scenario(&json).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn page(name: &str) -> Page {
    let s = builtin(name);
    Page::new(Some(s.clone()), Some(&s))
}

/// A clock that never moves: no frame ever runs out of its budget.
fn frozen() -> impl FnMut() -> f64 {
    || 0.0
}

fn now(p: &Page) -> SimTime {
    p.run.as_ref().map_or(SimTime::ZERO, |r| r.sim.now())
}

/// Frames 16 ms apart until `done` or `frames` have passed; returns the effects of
/// the last frame.
fn frames(p: &mut Page, from_ms: &mut f64, frames: usize, done: impl Fn(&Page) -> bool) -> Effects {
    let mut last = Effects::default();
    let mut clock = frozen();
    for _ in 0..frames {
        if done(p) {
            break;
        }
        *from_ms += 16.0;
        last = p.input(
            Input::Frame {
                at_ms: *from_ms,
                reduced_motion: false,
            },
            &mut clock,
        );
        if let Some(open) = last.frame_open {
            p.frame_done(open, clock());
        }
    }
    last
}

#[test]
fn play_asks_for_frames_and_a_frame_moves_the_run_at_the_speed() {
    let mut p = page("steady");
    let mut clock = frozen();
    let e = p.input(Input::Play, &mut clock);
    assert!(e.frame, "playing keeps the frame loop going");
    assert_eq!(p.status(), format!("Running at {}", speed_label(p.speed)));
    let mut t = 0.0;
    // The first frame only sets the reference; the next 60 move 60 × 16 ms.
    frames(&mut p, &mut t, 61, |_| false);
    assert_eq!(now(&p), SimTime((60.0 * 16.0 * p.speed) as u64));
    assert!(!p.behind);
    assert_eq!(p.work.len(), 61);
    let e = p.input(Input::Time(TimeAction::TogglePlay), &mut clock);
    assert!(!e.frame, "pausing cancels the frame loop");
    assert_eq!(p.status(), "Paused");
}

#[test]
fn a_frame_stops_at_its_wall_clock_budget_and_the_run_falls_behind() {
    let mut p = page("heavy-100-shards-pf10");
    let mut clock = frozen();
    p.input(Input::Time(TimeAction::Speed(SPEEDS.len() - 1)), &mut clock);
    p.input(Input::Play, &mut clock);
    // Each look at the clock takes 1 ms of wall time: the budget binds at once.
    let mut wall = 0.0;
    let mut slow = || {
        wall += 1.0;
        wall
    };
    for at_ms in [0.0, 16.0] {
        let e = p.input(
            Input::Frame {
                at_ms,
                reduced_motion: false,
            },
            &mut slow,
        );
        assert!(e.paint && e.frame);
        let open = e
            .frame_open
            .unwrap_or_else(|| panic!("a playing frame stays open"));
        p.frame_done(open, slow());
    }
    let asked = SimTime((16.0 * p.speed) as u64);
    assert!(now(&p) < asked, "{} should fall short of {asked}", now(&p));
    assert!(p.behind);
    assert!(p.status().starts_with("Behind"), "{}", p.status());
    // The frame's work is measured on the same clock, and the budget bounds it.
    assert_eq!(p.work.len(), 2);
    assert!(
        p.work.percentile(95.0)
            >= p.budget
                .simulation_ms()
                .min(crate::view::budget::SIMULATION_MS_MIN)
    );
}

/// Frames 16 ms apart whose snapshot and pictures take `paint_ms` each; returns
/// each frame's `(dom, pictures)`.
fn frames_painting(
    p: &mut Page,
    from_ms: &mut f64,
    frames: usize,
    paint_ms: f64,
) -> Vec<(bool, bool)> {
    let mut clock = frozen();
    let mut seen = Vec::new();
    for _ in 0..frames {
        *from_ms += 16.0;
        let e = p.input(
            Input::Frame {
                at_ms: *from_ms,
                reduced_motion: false,
            },
            &mut clock,
        );
        let open = e
            .frame_open
            .unwrap_or_else(|| panic!("a playing frame stays open"));
        seen.push((open.dom, open.pictures));
        let painted = if open.pictures { paint_ms } else { 0.5 };
        p.frame_done(open, open.moved + painted);
    }
    seen
}

#[test]
fn a_frame_that_refreshes_the_dom_leaves_dear_pictures_to_the_next_frame() {
    let mut p = page("steady");
    let mut clock = frozen();
    p.input(Input::Play, &mut clock);
    let mut t = 0.0;
    // Cheap pictures (2 ms): every frame paints them, the DOM's included.
    let cheap = frames_painting(&mut p, &mut t, 60, 2.0);
    assert!(cheap.iter().any(|&(dom, _)| dom));
    assert!(cheap.iter().all(|&(_, pictures)| pictures), "{cheap:?}");
    // Dear pictures (5 ms, as at 4,096 shards): once the budget has learnt it, a
    // frame that refreshes the DOM paints no pictures, and the frame after it does.
    frames_painting(&mut p, &mut t, 30, 5.0);
    let dear = frames_painting(&mut p, &mut t, 60, 5.0);
    let doms: Vec<usize> = (0..dear.len()).filter(|&i| dear[i].0).collect();
    assert!(doms.len() >= 4, "{dear:?}");
    for &i in &doms {
        assert_eq!(dear[i], (true, false), "frame {i} of {dear:?}");
        if let Some(&next) = dear.get(i + 1) {
            assert_eq!(next, (false, true), "frame {} of {dear:?}", i + 1);
        }
    }
    assert!(dear.iter().filter(|&&(_, pictures)| pictures).count() >= dear.len() - doms.len());
}

#[test]
fn reduced_motion_paints_once_a_second() {
    let mut p = page("steady");
    let mut clock = frozen();
    p.input(Input::Play, &mut clock);
    let mut painted = 0;
    for i in 0..120 {
        let e = p.input(
            Input::Frame {
                at_ms: 1_000.0 + f64::from(i) * 16.0,
                reduced_motion: true,
            },
            &mut clock,
        );
        painted += usize::from(e.paint);
    }
    assert!(
        (1..=3).contains(&painted),
        "painted {painted} times in 1.9 s"
    );
}

#[test]
fn step_moves_one_second_and_pauses() {
    let mut p = page("steady");
    let mut clock = frozen();
    p.input(Input::Play, &mut clock);
    let e = p.input(Input::Time(TimeAction::Step), &mut clock);
    assert!(!e.frame && e.paint);
    assert_eq!(now(&p), SimTime::from_s(1));
}

#[test]
fn seeking_stops_at_the_next_milestone_and_says_so() {
    let mut p = page("poison-pill");
    let mut clock = frozen();
    p.input(Input::Time(TimeAction::Seek), &mut clock);
    assert!(p.playing && p.seek.is_some());
    assert_eq!(p.status(), "Seeking the next event…");
    let mut t = 0.0;
    frames(&mut p, &mut t, 10_000, |p| !p.playing);
    let notice = p.notice.clone().unwrap_or_default();
    assert!(notice.starts_with("Stopped: "), "{notice}");
    let run = p.run.as_ref().map(|r| &r.sim);
    let first = run.and_then(|s| s.milestones().values().min().copied());
    assert!(first.is_some_and(|m| m <= now(&p)), "{notice}");
}

#[test]
fn a_jump_back_replays_to_that_moment() {
    let mut p = page("steady");
    let mut clock = frozen();
    for _ in 0..5 {
        p.input(Input::Time(TimeAction::Step), &mut clock);
    }
    let e = p.input(Input::Time(TimeAction::JumpTo(2_000)), &mut clock);
    assert_eq!(e.replay_after_ms, Some(REPLAY_DELAY_MS));
    assert_eq!(p.status(), "Replaying…");
    let e = p.input(Input::Replay, &mut clock);
    assert!(e.paint && e.render);
    assert_eq!(now(&p), SimTime::from_s(2));
    // A jump forward runs frame by frame and pauses when it gets there.
    p.input(Input::Time(TimeAction::JumpTo(9_000)), &mut clock);
    assert_eq!(p.status(), "Going there…");
    let mut t = 0.0;
    frames(&mut p, &mut t, 1_000, |p| !p.playing);
    assert_eq!(now(&p), SimTime::from_s(9));
}

#[test]
fn a_live_setting_changes_the_running_run_and_a_rebuild_replays_to_now() {
    let mut p = page("poison-pill");
    let mut clock = frozen();
    for _ in 0..3 {
        p.input(Input::Time(TimeAction::Step), &mut clock);
    }
    let e = p.input(
        Input::Control(Action::Set(KnobId::BatchSize, 10.0)),
        &mut clock,
    );
    assert_eq!(e.replay_after_ms, None, "BatchSize applies live");
    let batch = |p: &Page| p.scenario().map(|s| s.event_source_mappings[0].batch_size);
    assert_eq!(batch(&p), Some(10));
    assert_eq!(now(&p), SimTime::from_s(3));

    let e = p.input(
        Input::Control(Action::Set(KnobId::ShardCount, 8.0)),
        &mut clock,
    );
    assert_eq!(e.replay_after_ms, Some(REPLAY_DELAY_MS));
    // A change during the replay is refused with the reason.
    p.input(
        Input::Control(Action::Set(KnobId::BatchSize, 20.0)),
        &mut clock,
    );
    assert!(p
        .action_error
        .as_deref()
        .unwrap_or("")
        .starts_with("Replaying"));
    p.input(Input::Replay, &mut clock);
    assert_eq!(now(&p), SimTime::from_s(3));
    assert_eq!(p.scenario().map(|s| s.stream.shard_count), Some(8));
    assert_eq!(batch(&p), Some(10), "the live change survives the rebuild");

    // A refused value names the setting and the range, and changes nothing.
    p.input(
        Input::Control(Action::Set(KnobId::MaximumRecordAgeInSeconds, 30.0)),
        &mut clock,
    );
    let e = p.errors.get(&KnobId::MaximumRecordAgeInSeconds).cloned();
    assert!(
        e.as_deref()
            .is_some_and(|e| e.contains("MaximumRecordAgeInSeconds: 30 is out of range")),
        "{e:?}"
    );
}

#[test]
fn a_locked_setting_is_refused() {
    let mut p = page("poison-pill");
    p.locked = vec![KnobId::BatchSize];
    let mut clock = frozen();
    p.input(
        Input::Control(Action::Set(KnobId::BatchSize, 10.0)),
        &mut clock,
    );
    assert!(p.errors.contains_key(&KnobId::BatchSize));
    let batch = p.scenario().map(|s| s.event_source_mappings[0].batch_size);
    assert_eq!(
        batch,
        Some(builtin("poison-pill").event_source_mappings[0].batch_size)
    );
}

#[test]
fn a_pill_without_a_consumer_adds_one_and_lands_after_the_replay() {
    let mut p = page("steady");
    let mut clock = frozen();
    p.input(Input::Time(TimeAction::Step), &mut clock);
    let e = p.input(Input::Control(Action::InjectPill), &mut clock);
    assert_eq!(e.replay_after_ms, Some(REPLAY_DELAY_MS));
    p.input(Input::Replay, &mut clock);
    assert_eq!(p.pills_injected, 1);
    let s = p.scenario().cloned().unwrap_or_else(|| panic!("a run"));
    assert_eq!(s.event_source_mappings.len(), 1);
    assert_eq!(p.action_error, None);
    p.input(Input::Time(TimeAction::Step), &mut clock);
    let pill = timebar::pill_key(1);
    let found = p.run.as_ref().map(|r| r.sim.find_record(&pill));
    assert!(matches!(found, Some(Ok(_))), "{found:?}");
}

#[test]
fn a_breakpoint_pauses_the_first_time_its_trouble_happens() {
    let mut p = page("poison-pill");
    let mut clock = frozen();
    let i = Breakpoints::kinds()
        .position(|m| m == Milestone::FirstBlockedShard)
        .unwrap_or_else(|| panic!("a breakpoint for a blocked shard"));
    p.input(Input::Time(TimeAction::Breakpoint(i)), &mut clock);
    p.input(Input::Time(TimeAction::Speed(SPEEDS.len() - 1)), &mut clock);
    p.input(Input::Play, &mut clock);
    let mut t = 0.0;
    frames(&mut p, &mut t, 100_000, |p| !p.playing);
    let notice = p.notice.clone().unwrap_or_default();
    assert!(notice.starts_with("Paused: "), "{notice}");
    let blocked = p.run.as_ref().and_then(|r| {
        r.sim
            .milestones()
            .get(&Milestone::FirstBlockedShard)
            .copied()
    });
    assert!(blocked.is_some_and(|b| b <= now(&p)), "{notice}");
}

#[test]
fn a_lesson_plays_to_its_step_pauses_there_and_back_rewinds() {
    let s = builtin("poison-pill");
    let (mut p, e) = page("steady").chosen(Some(s));
    assert!(
        e.render && !e.frame,
        "a lesson opens at its introduction, paused"
    );
    assert_eq!(p.lesson.as_ref().map(Player::stage), Some(Stage::Intro));
    let mut clock = frozen();
    let e = p.input(Input::Lesson(LessonAction::Start), &mut clock);
    assert!(e.frame && p.playing);
    let stop = p
        .lesson
        .as_ref()
        .and_then(|l| l.stop_at(SimTime::ZERO))
        .unwrap_or_else(|| panic!("the first step has a moment"));
    let mut t = 0.0;
    frames(&mut p, &mut t, 100_000, |p| !p.playing);
    assert_eq!(now(&p), stop, "a lesson stops exactly at its step's moment");
    assert_eq!(
        p.lesson.as_ref().map(Player::stage),
        Some(Stage::AtStep { step: 0 })
    );
    assert!(!p.narration.is_empty());
    // Time controls other than play leave the lesson for free play.
    p.input(Input::Lesson(LessonAction::Back), &mut clock);
    assert_eq!(p.pending.as_ref().map(|(_, at)| *at), Some(SimTime::ZERO));
    p.input(Input::Replay, &mut clock);
    assert_eq!(now(&p), SimTime::ZERO);
    p.input(Input::Time(TimeAction::Step), &mut clock);
    assert_eq!(p.lesson.as_ref().map(Player::stage), Some(Stage::FreePlay));
    assert_eq!(p.narration, "You left the lesson for free play.");
}

#[test]
fn presenter_mode_makes_beats_of_the_milestones_and_asks_for_full_screen() {
    let mut p = page("steady");
    let mut clock = frozen();
    p.input(Input::Present(Act::Toggle), &mut clock);
    assert!(p.presenter.is_some());
    assert!(
        p.lesson.is_some(),
        "a scenario without a lesson gets one for presenting"
    );
    assert!(p.narration.starts_with("Presenter mode."));
    let e = p.input(Input::Present(Act::Fullscreen), &mut clock);
    assert_eq!(e.fullscreen, Some(true));
    let beats = p.lesson.as_ref().map_or(0, Player::steps);
    p.input(Input::Present(Act::Digit(9)), &mut clock);
    p.input(Input::Present(Act::Digit(9)), &mut clock);
    p.input(Input::Present(Act::Go), &mut clock);
    assert_eq!(
        p.notice.as_deref(),
        Some(format!("There is no beat 99: beats 0 to {beats}.").as_str())
    );
    let e = p.input(Input::Present(Act::Toggle), &mut clock);
    assert_eq!(e.fullscreen, Some(false));
    assert!(p.presenter.is_none() && p.lesson.is_none());
    assert_eq!(p.narration, "Presenter mode off.");
}

#[test]
fn the_presenters_next_key_walks_the_lessons_beats() {
    let mut p = page("poison-pill");
    p.open_lesson();
    let mut clock = frozen();
    p.input(Input::Present(Act::Toggle), &mut clock);
    assert_eq!(p.lesson.as_ref().map(Player::beat), Some(0));
    // Next: out of the introduction, playing towards the first step.
    p.input(Input::Present(Act::Next), &mut clock);
    assert!(p.playing);
    // Next again while it plays: at the step's moment at once.
    let stop = p.lesson.as_ref().and_then(|l| l.stop_at(SimTime::ZERO));
    p.input(Input::Present(Act::Next), &mut clock);
    assert_eq!(Some(now(&p)), stop);
    assert_eq!(p.lesson.as_ref().map(Player::beat), Some(1));
    assert!(!p.playing);
    // Blank, then any key shows the screen again without moving the talk.
    p.input(Input::Present(Act::Blank), &mut clock);
    p.input(Input::Present(Act::Next), &mut clock);
    assert_eq!(p.lesson.as_ref().map(Player::beat), Some(1));
    assert_eq!(p.presenter.as_ref().map(|p| p.blank), Some(false));
    // Previous: back a beat, replayed.
    p.input(Input::Present(Act::Previous), &mut clock);
    assert!(p.pending.is_some());
    p.input(Input::Replay, &mut clock);
    assert_eq!(p.lesson.as_ref().map(Player::beat), Some(0));
}

#[test]
fn choosing_a_scenario_builds_a_new_page_and_keeps_the_readers_choices() {
    let mut p = page("poison-pill");
    let mut clock = frozen();
    p.input(Input::Time(TimeAction::Speed(1)), &mut clock);
    p.input(Input::Time(TimeAction::Breakpoint(0)), &mut clock);
    p.input(Input::Control(Action::PillEvery(60)), &mut clock);
    p.input(Input::Play, &mut clock);
    p.input(Input::Time(TimeAction::Step), &mut clock);
    p.input(Input::Play, &mut clock);
    let speed = p.speed;
    let armed = p.breakpoints.clone();
    let (next, e) = p.chosen(Some(builtin("steady")));
    assert_eq!(next.speed, speed);
    assert_eq!(next.breakpoints, armed);
    assert_eq!(next.pill_every_s, 0, "the old run's pills go with it");
    assert_eq!(now(&next), SimTime::ZERO);
    assert!(
        next.playing && e.frame,
        "a free-play scenario keeps playing"
    );
    // A scenario that does not parse still gives a page, that cannot run.
    let (broken, e) = next.chosen(None);
    assert_eq!(broken.status(), "Cannot run");
    assert!(!e.frame);
}

/// Plays a lesson as a reader does: Start, then every step (answering its question
/// with the first choice) until `until` says stop or the lesson ends.
fn play_lesson(p: &mut Page, t: &mut f64, until: impl Fn(&Page) -> bool) {
    let mut clock = frozen();
    p.input(Input::Lesson(LessonAction::Start), &mut clock);
    loop {
        frames(p, t, 1_000_000, |p| !p.playing);
        if until(p) {
            return;
        }
        let Some(player) = &p.lesson else { return };
        match player.stage() {
            Stage::AtStep { .. } => {
                if player.is_waiting_for_answer() {
                    p.input(Input::Lesson(LessonAction::Choose(0)), &mut clock);
                    p.input(Input::Lesson(LessonAction::Reveal), &mut clock);
                }
                p.input(Input::Lesson(LessonAction::Continue), &mut clock);
            }
            _ => return,
        }
    }
}

#[test]
fn play_freely_from_the_end_of_a_lesson_plays() {
    let mut p = page("fixes-compared");
    p.open_lesson();
    let mut t = 0.0;
    play_lesson(&mut p, &mut t, |_| false);
    assert_eq!(p.lesson.as_ref().map(Player::stage), Some(Stage::End));
    assert!(!p.playing, "the end of a lesson pauses");
    let ended = now(&p);
    let mut clock = frozen();
    let e = p.input(Input::Lesson(LessonAction::FreePlay), &mut clock);
    assert_eq!(p.lesson.as_ref().map(Player::stage), Some(Stage::FreePlay));
    assert!(p.playing && e.frame, "free play from the end plays on");
    assert_eq!(p.speed, SPEED_DEFAULT, "at the page's default speed");
    frames(&mut p, &mut t, 10, |_| false);
    assert!(now(&p) > ended, "the run went on from {ended}");
}

#[test]
fn a_lesson_hides_the_description_until_its_end() {
    let (mut p, _) = page("steady").chosen(Some(builtin("overflowing-sink")));
    assert!(p.hides_description(), "at the introduction");
    let mut t = 0.0;
    play_lesson(&mut p, &mut t, |p| {
        let running = p.lesson.as_ref().map(Player::stage) != Some(Stage::End);
        assert!(!running || p.hides_description(), "while the lesson runs");
        false
    });
    assert_eq!(p.lesson.as_ref().map(Player::stage), Some(Stage::End));
    assert!(!p.hides_description(), "at the end: the story told");
    let mut clock = frozen();
    p.input(Input::Lesson(LessonAction::Restart), &mut clock);
    assert!(p.hides_description());
    p.input(Input::Lesson(LessonAction::FreePlay), &mut clock);
    assert!(!p.hides_description(), "free play");
    assert!(!page("steady").hides_description(), "no lesson");
}

/// The page's UpdateShardCount (issue 15): "add shards", what a reader tries first on
/// a hot key, is a target and a moment; it rebuilds the run, which then reshards at
/// that moment, and AWS's limits are refused in words.
#[test]
fn update_shard_count_on_the_page_reshards_the_run_at_its_moment() {
    let mut p = page("hot-key");
    let mut clock = frozen();
    let shards = p.scenario().map_or(0, |s| s.stream.shard_count);
    assert_eq!(
        p.scenario()
            .and_then(|s| knobs::get(KnobId::ReshardAtS, s, Target::default())),
        None,
        "no moment until there is a reshard"
    );
    // More than double is refused with AWS's rule, and nothing replays.
    let e = p.input(
        Input::Control(Action::Set(KnobId::TargetShardCount, f64::from(4 * shards))),
        &mut clock,
    );
    assert_eq!(e.replay_after_ms, None);
    let refused = p
        .errors
        .get(&KnobId::TargetShardCount)
        .cloned()
        .unwrap_or_default();
    assert!(refused.contains("is more than double"), "{refused}");
    let e = p.input(
        Input::Control(Action::Set(KnobId::TargetShardCount, f64::from(2 * shards))),
        &mut clock,
    );
    assert_eq!(
        e.replay_after_ms,
        Some(REPLAY_DELAY_MS),
        "a reshard rebuilds"
    );
    p.input(Input::Replay, &mut clock);
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    p.input(
        Input::Control(Action::Set(KnobId::ReshardAtS, 5.0)),
        &mut clock,
    );
    p.input(Input::Replay, &mut clock);
    let s = p.scenario().cloned().unwrap_or_else(|| builtin("hot-key"));
    assert_eq!(s.stream.reshards.len(), 1);
    assert_eq!(s.stream.reshards[0].at_s, 5);
    assert_eq!(s.stream.reshards[0].target_shard_count, Some(2 * shards));
    p.input(Input::Time(TimeAction::JumpTo(6_000)), &mut clock);
    let mut t = 0.0;
    frames(&mut p, &mut t, 1_000, |p| !p.playing);
    let open = p.run.as_ref().map_or(0, |r| {
        r.snapshot
            .lineage
            .iter()
            .filter(|l| l.closed_at.is_none())
            .count()
    });
    assert_eq!(open, 2 * shards as usize, "the children are open");
}
