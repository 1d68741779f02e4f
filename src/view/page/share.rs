//! The page's share slice as plain state: how the page opens from its link (the
//! scenario, its moment, an embed's options, locks and speed, the still picture or
//! the story's poster, the caption under it), the address bar kept current, an embed
//! pausing out of view and playing again when back, its Play button, the host page's
//! commands, and what the share tools last said (a link copied, an export refused).
//! `ui` (`ui::app::share_app`) holds the browser's handles and carries out what this
//! decides.

use crate::share::url::{self, Embed};
use crate::sim::{Scenario, SimTime, Simulation};
use crate::view::embed::{self, AddressBar, Show};
use crate::view::lesson::{LessonAction, Player, Stage};
use crate::view::postmessage::{self, Command, Outgoing, Told};
use crate::view::scenarios::Choice;

use super::{Effects, Input, Page, TimeAction};

/// What the share slice keeps.
#[derive(Debug)]
pub struct Share {
    pub embed: Embed,
    pub show: Show,
    /// Parts of the link that could not be read, until dismissed.
    pub problems: Vec<String>,
    address: AddressBar,
    /// Compute the still picture with the next replay.
    still: bool,
    /// The moment the scenario's story is about, for the still picture (a poster
    /// frame: Play then plays the story from its start).
    story: Option<SimTime>,
    /// The still picture is a poster frame.
    poster: bool,
    /// What the paused picture says (under an embed's Play button).
    pub caption: Option<String>,
    /// The moment the caption describes: shown only while the run is there.
    caption_at: SimTime,
    /// The "Embed this" dialog is open.
    pub dialog: bool,
    pub export_error: Option<String>,
    pub link_copied: Option<bool>,
    in_view: bool,
    shown: bool,
    /// Paused because it went out of view while playing: play again when back.
    resume: bool,
    /// What the parent window has been told (an embed in a frame).
    told: Told,
}

impl Default for Share {
    fn default() -> Self {
        Share {
            embed: Embed::default(),
            show: Show::All,
            problems: Vec::new(),
            address: AddressBar::default(),
            still: false,
            story: None,
            poster: false,
            caption: None,
            caption_at: SimTime::ZERO,
            dialog: false,
            export_error: None,
            link_copied: None,
            in_view: true,
            shown: true,
            resume: false,
            told: Told::default(),
        }
    }
}

/// How the page starts, from its link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LinkStart {
    /// Play at once (a link without a moment, or an embed with autoplay); the caller
    /// still honours reduced motion.
    pub autoplay: bool,
    /// `present=1`: open in presenter mode.
    pub present: bool,
    /// Open the scenario's guided lesson, if it has one: always on the page, in an
    /// embed only when the link names it with `lesson=`.
    pub lesson: bool,
}

impl LinkStart {
    /// The page plays as it opens: motion is the point of the page, but not for
    /// readers who asked for less, nor under a lesson's introduction or presenter
    /// mode.
    pub fn plays(self, page: &Page, reduced_motion: bool) -> bool {
        self.autoplay && !reduced_motion && page.lesson.is_none() && !self.present
    }
}

/// The page as its link opens it.
#[derive(Debug)]
pub struct Opening {
    /// The choice the link names.
    pub selected: usize,
    pub page: Page,
    pub share: Share,
    pub start: LinkStart,
    /// A replay to the link's moment (or to the still picture) is scheduled: carry
    /// these out.
    pub effects: Option<Effects>,
}

/// What the page does with a message from the host page.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    /// Not a message of ours: nothing, not even a repaint.
    Ignore,
    /// Answer `kp:error` with this.
    Refuse(String),
    /// Give the page this input (none: the command asked for what already is).
    Drive(Option<Input>),
    /// As the embed's Play button ([`Share::play`]).
    Play,
}

/// The first choice's scenario, as shipped.
fn original(choices: &[Choice], selected: usize) -> Option<Scenario> {
    choices
        .get(selected)
        .and_then(|c| c.scenario.as_ref().ok())
        .cloned()
}

/// Opens the page as its query string (`location.search`) says.
pub fn open(query: &str, choices: &[Choice]) -> Opening {
    let mut share = Share::default();
    if query.trim_start_matches('?').is_empty() {
        let first = original(choices, 0);
        return Opening {
            selected: 0,
            page: Page::new(first.clone(), first.as_ref()),
            share,
            start: LinkStart {
                autoplay: true,
                present: false,
                lesson: true,
            },
            effects: None,
        };
    }
    let opened = embed::open(query, choices);
    let present = opened.present;
    let lesson = !opened.embed.on || opened.lesson;
    share.problems = opened.problems;
    share.show = if opened.embed.on {
        embed::show(&opened.embed)
    } else {
        Show::All
    };
    let locked = embed::locked(&opened.embed);
    let autoplay = if opened.embed.on {
        opened.embed.autoplay
    } else {
        opened.at == SimTime::ZERO
    };
    share.embed = opened.embed;
    let selected = opened.selected;
    let Some(scenario) = opened.scenario else {
        let mut page = Page::new(original(choices, selected), None);
        page.locked = locked;
        return Opening {
            selected,
            page,
            share,
            start: LinkStart {
                autoplay: false,
                present,
                lesson,
            },
            effects: None,
        };
    };
    let mut page = Page::new(original(choices, selected), Some(&scenario));
    page.locked = locked;
    // An embed plays at its link's speed, or at its story's pace.
    let lesson_opens = lesson && scenario.lesson.is_some();
    let speed = share.embed.speed.as_deref().and_then(url::speed_value);
    if share.embed.on && !lesson_opens {
        let story = embed::story_moment(&scenario);
        share.story = story;
        page.speed = speed.unwrap_or_else(|| embed::story_speed(story));
    } else if let Some(v) = speed {
        page.speed = v;
    }
    // A still picture for readers who never press Play: the moment of the link, or
    // the run's first turn. A lesson's still picture is its introduction's, at the
    // start: the card and the picture say the same moment.
    let still = share.embed.on && !autoplay && opened.at == SimTime::ZERO && !lesson_opens;
    let mut effects = None;
    if opened.at > SimTime::ZERO || still {
        share.still = still;
        if !still {
            share.caption_at = opened.at;
            share.caption = Some(if share.embed.on {
                format!("Paused at {}. Press Play to run on.", opened.at)
            } else {
                format!(
                    "Opened from a link at {}: the same run, paused. Press Play to run on.",
                    opened.at
                )
            });
        }
        effects = Some(page.replay_to(scenario, opened.at));
    }
    if !share.embed.on {
        if let (Some(choice), Some(current)) = (choices.get(selected), page.scenario_or_pending()) {
            let written = embed::link(choice, current, opened.at, &Embed::default());
            share.address.opened_with(&written);
        }
    }
    Opening {
        selected,
        page,
        share,
        start: LinkStart {
            autoplay,
            present,
            lesson,
        },
        effects,
    }
}

impl Share {
    /// After a replay: the still picture, when the page opened for one.
    pub fn still_after_replay(&mut self, sim: &mut Simulation) {
        if std::mem::take(&mut self.still) {
            self.caption = Some(match self.story {
                Some(at) => {
                    self.poster = true;
                    embed::advance_to_story(sim, at)
                }
                None => embed::advance_to_still(sim),
            });
            self.caption_at = sim.now();
        }
    }

    /// The embed went in or out of view (`in_view`), or its tab was shown or hidden
    /// (`shown`). Returns `Some(false)` to pause (it was playing and is no longer
    /// seen), `Some(true)` to play again (seen again after such a pause).
    pub fn visibility(
        &mut self,
        in_view: Option<bool>,
        shown: Option<bool>,
        playing: bool,
    ) -> Option<bool> {
        let before = self.in_view && self.shown;
        if let Some(v) = in_view {
            self.in_view = v;
        }
        if let Some(v) = shown {
            self.shown = v;
        }
        let now = self.in_view && self.shown;
        if before && !now && playing {
            self.resume = true;
            Some(false)
        } else if !before && now && self.resume {
            self.resume = false;
            Some(true)
        } else {
            None
        }
    }

    /// The embed's Play button: from a poster frame still at the story's moment, the
    /// story from its start (the run restarted); otherwise play or pause.
    pub fn play(&mut self, page: &mut Page) -> Input {
        if std::mem::take(&mut self.poster) && !page.playing {
            let moved = page.run.as_ref().map(|r| r.sim.now());
            if moved == Some(self.caption_at) {
                page.restart();
                self.caption = None;
                return Input::Play;
            }
        }
        Input::Time(TimeAction::TogglePlay)
    }

    /// A command from the host page: played, paused, sought or sent to a beat.
    pub fn command(&mut self, page: &Page, command: Result<Option<Command>, String>) -> Answer {
        let command = match command {
            Ok(Some(c)) => c,
            Ok(None) => return Answer::Ignore,
            Err(e) => return Answer::Refuse(e),
        };
        if page.run.is_none() {
            return Answer::Refuse("the playground has no run to drive".to_string());
        }
        let at_intro = page
            .lesson
            .as_ref()
            .is_some_and(|p| p.stage() == Stage::Intro);
        match command {
            Command::Play if at_intro => Answer::Drive(Some(Input::Lesson(LessonAction::Start))),
            Command::Play if !page.playing => Answer::Play,
            Command::Pause if page.playing => {
                Answer::Drive(Some(Input::Time(TimeAction::TogglePlay)))
            }
            Command::Play | Command::Pause => Answer::Drive(None),
            Command::Seek(at) => {
                self.poster = false;
                Answer::Drive(Some(Input::Time(TimeAction::JumpTo(at.0))))
            }
            Command::Beat(n) => {
                let beats = page.lesson.as_ref().map(Player::steps);
                match postmessage::beat_refusal(beats, n) {
                    Some(e) => Answer::Refuse(e),
                    None => Answer::Drive(Some(Input::Lesson(LessonAction::GoTo(n)))),
                }
            }
        }
    }

    /// What the parent window must be told since the last render (an embed in a
    /// frame): ready, the lesson's beat, milestones. Nothing while a replay waits.
    pub fn tell(&mut self, page: &Page, choice: Option<&Choice>) -> Vec<Outgoing> {
        let Some(run) = page.run.as_ref().filter(|_| page.pending.is_none()) else {
            return Vec::new();
        };
        let ready = choice.map(|c| Outgoing::Ready {
            scenario: embed::scenario_name(c.file).to_string(),
            end_ms: run.sim.end().0,
            beats: page.lesson.as_ref().map_or(0, Player::steps),
        });
        let beat = page.lesson.as_ref().map(|p| (p.beat(), p.steps()));
        self.told.due(ready, beat, run.sim.milestones())
    }

    /// After every render: the caption goes once the run plays or moves from its
    /// moment; and the link the address bar should now hold, if it should change
    /// (on a change or a pause at once, while running at most once a second; never
    /// in an embed).
    pub fn rendered(
        &mut self,
        page: &Page,
        choice: Option<&Choice>,
        now_ms: f64,
    ) -> Option<String> {
        let moved = page
            .run
            .as_ref()
            .is_some_and(|r| page.pending.is_none() && r.sim.now() != self.caption_at);
        if page.playing || moved {
            self.caption = None;
        }
        if self.embed.on {
            return None;
        }
        let (Some(run), Some(choice)) = (&page.run, choice) else {
            return None;
        };
        let at = page.pending.as_ref().map_or(run.sim.now(), |(_, at)| *at);
        let current = page
            .pending
            .as_ref()
            .map_or(run.sim.current_scenario(), |(s, _)| s);
        let link = embed::link(choice, current, at, &Embed::default());
        self.address
            .due(&link, now_ms, !page.playing)
            .then_some(link)
    }

    /// The caption to show on the full page: while paused at its moment.
    pub fn page_caption(&self, page: &Page) -> Option<&str> {
        self.caption
            .as_deref()
            .filter(|_| !page.playing && page.pending.is_none())
    }
}

#[cfg(test)]
mod tests;
