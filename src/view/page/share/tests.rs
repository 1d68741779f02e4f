use super::*;
use crate::sim::SimTime;
use crate::view::scenarios::choices;

fn replayed(o: &mut Opening) {
    assert!(
        o.effects.is_some_and(|e| e.replay_after_ms.is_some()),
        "a replay waits"
    );
    let share = &mut o.share;
    o.page
        .replay_with(&mut || 0.0, &mut |sim| share.still_after_replay(sim));
}

#[test]
fn a_first_visit_opens_the_first_scenario_and_plays() {
    let all = choices();
    let o = open("", &all);
    assert_eq!(o.selected, 0);
    assert_eq!(
        o.start,
        LinkStart {
            autoplay: true,
            present: false,
            lesson: true
        }
    );
    assert!(o.effects.is_none());
    assert!(o.page.run.is_some());
    assert!(!o.share.embed.on);
}

#[test]
fn a_link_at_a_moment_replays_there_paused_and_says_so_until_the_run_moves() {
    let all = choices();
    let mut o = open("?v=1&s=steady&t=90", &all);
    assert!(!o.start.autoplay);
    replayed(&mut o);
    assert_eq!(
        o.page.run.as_ref().map(|r| r.sim.now()),
        Some(SimTime(90_000))
    );
    assert_eq!(
        o.share.page_caption(&o.page),
        Some("Opened from a link at 00:01:30.000: the same run, paused. Press Play to run on.")
    );
    // The address bar already holds the link: nothing to write.
    let choice = all.get(o.selected);
    assert_eq!(o.share.rendered(&o.page, choice, 0.0), None);
    assert!(o.share.caption.is_some());
    o.page.input(Input::Time(TimeAction::Step), &mut || 0.0);
    let link = o.share.rendered(&o.page, choice, 0.0);
    assert!(o.share.caption.is_none(), "moved on: the caption goes");
    assert!(
        link.is_some_and(|l| l.contains("t=91")),
        "paused: the link is written at once"
    );
}

#[test]
fn an_embed_opens_on_its_still_picture_and_play_starts_the_story_from_its_start() {
    let all = choices();
    let mut o = open("?v=1&s=overflowing-sink&embed=1&ui=none", &all);
    assert!(o.share.embed.on);
    assert_eq!(o.share.show, Show::None);
    assert!(!o.start.autoplay);
    assert!(!o.start.lesson);
    replayed(&mut o);
    assert!(
        o.share.caption.is_some(),
        "the still picture says what it shows"
    );
    let at = o.page.run.as_ref().map(|r| r.sim.now());
    assert!(at.is_some_and(|t| t > SimTime::ZERO), "{at:?}");
    // An embed never writes the address bar.
    assert_eq!(o.share.rendered(&o.page, all.get(o.selected), 0.0), None);
    let input = o.share.play(&mut o.page);
    match input {
        // A story's poster: from the start.
        Input::Play => {
            assert_eq!(
                o.page.run.as_ref().map(|r| r.sim.now()),
                Some(SimTime::ZERO)
            );
            assert!(o.share.caption.is_none());
        }
        // No story: Play plays on from the still picture.
        other => assert_eq!(other, Input::Time(TimeAction::TogglePlay)),
    }
    // Pressed again: play and pause.
    assert_eq!(
        o.share.play(&mut o.page),
        Input::Time(TimeAction::TogglePlay)
    );
}

#[test]
fn an_embed_out_of_view_pauses_and_plays_again_when_back() {
    let mut s = Share::default();
    assert_eq!(s.visibility(Some(false), None, true), Some(false));
    assert_eq!(
        s.visibility(None, Some(false), false),
        None,
        "still out of sight"
    );
    assert_eq!(
        s.visibility(Some(true), None, false),
        None,
        "the tab is hidden"
    );
    assert_eq!(s.visibility(None, Some(true), false), Some(true));
    assert_eq!(
        s.visibility(Some(false), None, false),
        None,
        "paused: stays paused"
    );
    assert_eq!(s.visibility(Some(true), None, false), None);
}

#[test]
fn the_host_pages_commands_become_inputs_and_bad_ones_are_refused() {
    let all = choices();
    let mut o = open("?v=1&s=steady&embed=1", &all);
    let nothing_yet = o.share.tell(&o.page, all.get(o.selected));
    assert!(
        nothing_yet.is_empty(),
        "nothing is told while the replay waits"
    );
    replayed(&mut o);
    let (mut share, page) = (o.share, o.page);
    assert_eq!(share.command(&page, Ok(None)), Answer::Ignore);
    assert_eq!(
        share.command(&page, Err("bad".to_string())),
        Answer::Refuse("bad".to_string())
    );
    assert_eq!(share.command(&page, Ok(Some(Command::Play))), Answer::Play);
    assert_eq!(
        share.command(&page, Ok(Some(Command::Pause))),
        Answer::Drive(None)
    );
    assert_eq!(
        share.command(&page, Ok(Some(Command::Seek(SimTime(5_000))))),
        Answer::Drive(Some(Input::Time(TimeAction::JumpTo(5_000))))
    );
    assert!(matches!(
        share.command(&page, Ok(Some(Command::Beat(3)))),
        Answer::Refuse(_)
    ));
    let nothing = Page::new(None, None);
    assert_eq!(
        share.command(&nothing, Ok(Some(Command::Play))),
        Answer::Refuse("the playground has no run to drive".to_string())
    );
    let told = share.tell(&page, all.get(o.selected));
    assert!(
        matches!(told.first(), Some(Outgoing::Ready { scenario, .. }) if scenario == "steady"),
        "{told:?}"
    );
    assert!(
        share.tell(&page, all.get(o.selected)).is_empty(),
        "told once"
    );
}

#[test]
fn a_lesson_embed_starts_its_lesson_on_play() {
    let all = choices();
    let mut o = open("?v=1&lesson=poison-pill&embed=1", &all);
    assert!(o.start.lesson);
    o.page.open_lesson();
    assert_eq!(
        o.share.command(&o.page, Ok(Some(Command::Play))),
        Answer::Drive(Some(Input::Lesson(LessonAction::Start)))
    );
    assert_eq!(
        o.share.command(&o.page, Ok(Some(Command::Beat(1)))),
        Answer::Drive(Some(Input::Lesson(LessonAction::GoTo(1))))
    );
}
