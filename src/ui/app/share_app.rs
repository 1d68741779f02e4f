//! The App's share slice, kept out of `app.rs`: opening the page from its link,
//! keeping the address bar current, embed mode (its chrome, locks, theme, the still
//! picture, pausing out of view), the "Embed this" dialog, export and the AWS bridge.
//! A child module of `app`; the decisions themselves are in `view::embed`,
//! `view::page` and `share` (tested natively).

use yew::prelude::*;

use super::{App, Msg, ThemeChoice};
use crate::share::url::{self, Embed};
use crate::sim::{Scenario, SimTime, Simulation};
use crate::ui;
use crate::ui::bridge::Bridge;
use crate::ui::embed::{disable_locked, fullscreen_enabled, toggle_fullscreen, watch, Watchers};
use crate::ui::export::{self, Export, Exports};
use crate::ui::postmessage::Received;
use crate::ui::share::{self, copied_words, EmbedDialog, LinkProblems};
use crate::ui::timebar::TimeAction;
use crate::view::embed::{self, AddressBar, Show};
use crate::view::lesson::LessonAction;
use crate::view::page::{Input, Page};
use crate::view::picture::{self, DARK, LIGHT};
use crate::view::postmessage::{self, Command, Outgoing, Told};

/// What the share slice keeps.
#[derive(Debug)]
pub struct ShareState {
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
    /// What the paused embed says under its Play button.
    caption: Option<String>,
    /// The moment the caption describes: shown only while the run is there.
    caption_at: SimTime,
    dialog: bool,
    export_error: Option<String>,
    link_copied: Option<bool>,
    in_view: bool,
    shown: bool,
    /// Paused because it went out of view while playing: play again when back.
    resume: bool,
    _watchers: Option<Watchers>,
    /// What the parent window has been told (an embed in a frame).
    told: Told,
    /// The host page's messages, heard in an embed inside a frame.
    _messages: Option<gloo::events::EventListener>,
}

impl Default for ShareState {
    fn default() -> Self {
        ShareState {
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
            _watchers: None,
            told: Told::default(),
            _messages: None,
        }
    }
}

/// How the page starts, from its link.
pub struct LinkStart {
    /// Play at once (a link without a moment, or an embed with autoplay).
    pub autoplay: bool,
    /// `present=1`: open in presenter mode.
    pub present: bool,
    /// Open the scenario's guided lesson, if it has one: always on the page, in an
    /// embed only when the link names it with `lesson=`.
    pub lesson: bool,
}

pub enum ShareMsg {
    DismissProblems,
    InView(bool),
    Shown(bool),
    Dialog(bool),
    Export(Export),
    Import(Box<Scenario>),
    CopyLink,
    LinkCopied(bool),
    /// The embed's Play button: from a poster frame, the story from its start.
    Play,
    /// A message from the host page (`view::postmessage`).
    Message(Box<Received>),
}

impl ShareState {
    /// After a replay: the still picture, when the page opened for one.
    pub(super) fn still_after_replay(&mut self, sim: &mut Simulation) {
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
}

impl App {
    /// Opens the page as its link says. Returns whether the page should start
    /// playing (the caller still honours reduced motion).
    pub(super) fn open_link(&mut self, ctx: &Context<Self>) -> LinkStart {
        let query = share::location_query();
        if query.trim_start_matches('?').is_empty() {
            return LinkStart {
                autoplay: true,
                present: false,
                lesson: true,
            };
        }
        let opened = embed::open(&query, &self.choices);
        let present = opened.present;
        let lesson = !opened.embed.on || opened.lesson;
        self.share.problems = opened.problems;
        self.share.show = if opened.embed.on {
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
        if opened.embed.on {
            self.open_embedded(ctx, &opened.embed);
        }
        self.share.embed = opened.embed;
        self.selected = opened.selected;
        let original = self
            .choices
            .get(self.selected)
            .and_then(|c| c.scenario.as_ref().ok())
            .cloned();
        let Some(scenario) = opened.scenario else {
            self.page = Page::new(original, None);
            self.page.locked = locked;
            return LinkStart {
                autoplay: false,
                present,
                lesson,
            };
        };
        self.page = Page::new(original, Some(&scenario));
        self.page.locked = locked;
        // An embed plays at its link's speed, or at its story's pace.
        let lesson_opens = lesson && scenario.lesson.is_some();
        if self.share.embed.on && !lesson_opens {
            let story = embed::story_moment(&scenario);
            self.share.story = story;
            self.page.speed = match self.share.embed.speed.as_deref().and_then(url::speed_value) {
                Some(v) => v,
                None => embed::story_speed(story),
            };
        } else if let Some(v) = self.share.embed.speed.as_deref().and_then(url::speed_value) {
            self.page.speed = v;
        }
        self.table_open =
            self.page.run.as_ref().is_some_and(|r| {
                r.snapshot.shards.len() <= crate::view::table::TABLE_OPEN_SHARDS_MAX
            });
        // A still picture for readers who never press Play: the moment of the link,
        // or the run's first turn. A lesson's still picture is its introduction's, at
        // the start: the card and the picture say the same moment.
        let still = self.share.embed.on && !autoplay && opened.at == SimTime::ZERO && !lesson_opens;
        if opened.at > SimTime::ZERO || still {
            self.share.still = still;
            if !still {
                self.share.caption_at = opened.at;
                self.share.caption = Some(if self.share.embed.on {
                    format!("Paused at {}. Press Play to run on.", opened.at)
                } else {
                    format!(
                        "Opened from a link at {}: the same run, paused. Press Play to run on.",
                        opened.at
                    )
                });
            }
            let effects = self.page.replay_to(scenario, opened.at);
            self.carry_out(ctx, effects);
        }
        if !self.share.embed.on {
            if let (Some(choice), Some(current)) =
                (self.choices.get(self.selected), scenario_of(self))
            {
                let written = embed::link(choice, &current, opened.at, &Embed::default());
                self.share.address.opened_with(&written);
            }
        }
        LinkStart {
            autoplay,
            present,
            lesson,
        }
    }

    fn open_embedded(&mut self, ctx: &Context<Self>, options: &Embed) {
        self.theme = match options.theme.as_deref() {
            Some("light") => ThemeChoice::Light,
            Some("dark") => ThemeChoice::Dark,
            _ => ThemeChoice::Auto,
        };
        self.apply_theme();
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("data-embed", "1");
            if options.theme.as_deref() == Some("transparent") {
                let _ = root.set_attribute("data-embed-bg", "transparent");
            }
        }
        let link = ctx.link();
        if ui::postmessage::in_frame() {
            self.share._messages = ui::postmessage::listen(
                link.callback(|m| Msg::Share(ShareMsg::Message(Box::new(m)))),
            );
        }
        self.share._watchers = Some(watch(
            link.callback(|v| Msg::Share(ShareMsg::InView(v))),
            link.callback(|v| Msg::Share(ShareMsg::Shown(v))),
        ));
    }

    pub(super) fn on_share(&mut self, ctx: &Context<Self>, msg: ShareMsg) {
        match msg {
            ShareMsg::DismissProblems => self.share.problems.clear(),
            ShareMsg::InView(v) => self.visibility(ctx, Some(v), None),
            ShareMsg::Shown(v) => self.visibility(ctx, None, Some(v)),
            ShareMsg::Dialog(open) => self.share.dialog = open,
            ShareMsg::Export(what) => {
                self.share.export_error = self.page.run.as_ref().and_then(|run| {
                    let file = self.choices.get(self.selected).map_or("run", |c| c.file);
                    let theme = if self.dark() { &DARK } else { &LIGHT };
                    let input = picture::StreamInput {
                        motion: !super::matches(super::REDUCED_MOTION_QUERY),
                        travel_ms: crate::view::trace::travel_ms(self.page.speed),
                        traced: run.sim.trace().map(|t| picture::Traced {
                            shard: t.target.shard,
                            index: t.target.index,
                        }),
                        text_px: 14.0,
                        ..picture::StreamInput::from_snapshot(&run.snapshot, self.highlight)
                    };
                    export::export(
                        what,
                        file,
                        &run.sim,
                        &run.snapshot,
                        &self.stream_canvas,
                        &self.chart_canvases,
                        theme,
                        &input,
                    )
                    .err()
                });
            }
            ShareMsg::Import(scenario) => {
                if self.page.pending.is_none() {
                    self.schedule_replay(ctx, *scenario);
                }
            }
            ShareMsg::CopyLink => {
                let link = ctx.link().clone();
                share::copy_text(
                    &share::location_href(),
                    Callback::from(move |ok| {
                        link.send_message(Msg::Share(ShareMsg::LinkCopied(ok)));
                    }),
                );
            }
            ShareMsg::LinkCopied(ok) => self.share.link_copied = Some(ok),
            ShareMsg::Play => {
                if std::mem::take(&mut self.share.poster) && !self.page.playing {
                    // The poster showed the story's moment: play the story from its start.
                    let moved = self.page.run.as_ref().map(|r| r.sim.now());
                    if moved == Some(self.share.caption_at) {
                        self.page.restart();
                        self.share.caption = None;
                        self.drive(ctx, Input::Play);
                        return;
                    }
                }
                self.drive(ctx, Input::Time(TimeAction::TogglePlay));
            }
            ShareMsg::Message(m) => self.on_message(ctx, &m),
        }
    }

    /// A message from the host page: played, paused, sought or sent to a beat; a bad
    /// one is answered with `kp:error`, an unknown one ignored.
    fn on_message(&mut self, ctx: &Context<Self>, m: &Received) {
        let refuse =
            |message: String| ui::postmessage::post_to(&m.source, &Outgoing::Error { message });
        let command = match postmessage::parse(m.incoming()) {
            Ok(Some(c)) => c,
            Ok(None) => return,
            Err(e) => return refuse(e),
        };
        if self.page.run.is_none() {
            return refuse("the playground has no run to drive".to_string());
        }
        match command {
            Command::Play
                if self
                    .page
                    .lesson
                    .as_ref()
                    .is_some_and(|p| p.stage() == crate::view::lesson::Stage::Intro) =>
            {
                self.drive(ctx, Input::Lesson(LessonAction::Start));
            }
            Command::Play if !self.page.playing => self.on_share(ctx, ShareMsg::Play),
            Command::Pause if self.page.playing => {
                self.drive(ctx, Input::Time(TimeAction::TogglePlay));
            }
            Command::Play | Command::Pause => {}
            Command::Seek(at) => {
                self.share.poster = false;
                self.drive(ctx, Input::Time(TimeAction::JumpTo(at.0)));
            }
            Command::Beat(n) => {
                let beats = self
                    .page
                    .lesson
                    .as_ref()
                    .map(crate::view::lesson::Player::steps);
                match postmessage::beat_refusal(beats, n) {
                    Some(e) => refuse(e),
                    None => {
                        self.drive(ctx, Input::Lesson(LessonAction::GoTo(n)));
                    }
                }
            }
        }
        ctx.link().send_message(Msg::Repaint);
    }

    /// Tells the parent window what happened since the last render (an embed in a
    /// frame): ready, the lesson's beat, milestones.
    fn tell_parent(&mut self) {
        if self.share._messages.is_none() {
            return;
        }
        let Some(run) = self
            .page
            .run
            .as_ref()
            .filter(|_| self.page.pending.is_none())
        else {
            return;
        };
        let ready = self.choices.get(self.selected).map(|c| Outgoing::Ready {
            scenario: embed::scenario_name(c.file).to_string(),
            end_ms: run.sim.end().0,
            beats: self
                .page
                .lesson
                .as_ref()
                .map_or(0, crate::view::lesson::Player::steps),
        });
        let beat = self.page.lesson.as_ref().map(|p| (p.beat(), p.steps()));
        for event in self.share.told.due(ready, beat, run.sim.milestones()) {
            ui::postmessage::post_to_parent(&event);
        }
    }

    fn visibility(&mut self, ctx: &Context<Self>, in_view: Option<bool>, shown: Option<bool>) {
        let before = self.share.in_view && self.share.shown;
        if let Some(v) = in_view {
            self.share.in_view = v;
        }
        if let Some(v) = shown {
            self.share.shown = v;
        }
        let now = self.share.in_view && self.share.shown;
        if before && !now && self.page.playing {
            self.pause();
            self.share.resume = true;
        } else if !before && now && self.share.resume {
            self.share.resume = false;
            self.drive(ctx, Input::Play);
        }
    }

    /// After every render: locks applied, and the address bar current (on a change
    /// or a pause at once, while running at most once a second).
    pub(super) fn share_rendered(&mut self) {
        let moved =
            self.page.run.as_ref().is_some_and(|r| {
                self.page.pending.is_none() && r.sim.now() != self.share.caption_at
            });
        if self.page.playing || moved {
            self.share.caption = None;
        }
        if !self.page.locked.is_empty() {
            disable_locked(&self.page.locked);
        }
        self.tell_parent();
        if self.share.embed.on {
            return;
        }
        let (Some(run), Some(choice)) = (&self.page.run, self.choices.get(self.selected)) else {
            return;
        };
        let at = self
            .page
            .pending
            .as_ref()
            .map_or(run.sim.now(), |(_, at)| *at);
        let current = self
            .page
            .pending
            .as_ref()
            .map_or(run.sim.current_scenario(), |(s, _)| s);
        let link = embed::link(choice, current, at, &Embed::default());
        if self
            .share
            .address
            .due(&link, super::now_ms(), !self.page.playing)
        {
            share::replace_query(&link);
        }
    }

    pub(super) fn view_link_problems(&self, ctx: &Context<Self>) -> Html {
        html! {
            <LinkProblems problems={self.share.problems.clone()}
                on_dismiss={ctx.link().callback(|_| Msg::Share(ShareMsg::DismissProblems))} />
        }
    }

    /// Above the embed's picture: its Play button (when no time controls show) and
    /// what the paused picture shows, and a link to the full page.
    pub(super) fn view_embed_overlay(&self, ctx: &Context<Self>) -> Html {
        if self.page.run.is_none() {
            return Html::default();
        }
        if !self.share.embed.on {
            return match &self.share.caption {
                Some(c) if !self.page.playing && self.page.pending.is_none() => {
                    html! { <p class="notice" data-testid="link-caption">{ c }</p> }
                }
                _ => Html::default(),
            };
        }
        let at = self
            .page
            .run
            .as_ref()
            .map_or(SimTime::ZERO, |r| r.sim.now());
        let full_page = match (self.choices.get(self.selected), scenario_of(self)) {
            (Some(c), Some(current)) => format!(
                "{}{}",
                embed::relative_page(&share::location_href()),
                embed::link(c, &current, at, &Embed::default())
            ),
            _ => String::new(),
        };
        let play = ctx.link().callback(|_| Msg::Share(ShareMsg::Play));
        html! {
            <div class="embed-bar" data-testid="embed-bar" data-speed={embed::speed_text(self.page.speed)}>
                // With the time controls shown, their Play button is the one; without
                // them, this one plays and pauses.
                if self.share.show == Show::None && self.page.pending.is_none() {
                    <button type="button" class="embed-play" data-testid="embed-play"
                        aria-pressed={self.page.playing.to_string()} onclick={play}>
                        if self.page.playing {
                            { "Pause" }
                        } else {
                            <span aria-hidden="true">{ "\u{25B6} " }</span>{ "Play" }
                        }
                    </button>
                }
                if !self.page.playing && self.page.pending.is_none() {
                    if let Some(c) = &self.share.caption {
                        <span class="embed-caption" data-testid="embed-caption">{ c }</span>
                    }
                }
                if fullscreen_enabled() {
                    <button type="button" data-testid="embed-fullscreen"
                        onclick={Callback::from(|_: MouseEvent| toggle_fullscreen())}>
                        { "Full screen" }
                    </button>
                }
                <a class="embed-open" href={full_page} target="_blank" rel="noopener" data-testid="embed-open">
                    { "Open in the playground" }
                </a>
            </div>
        }
    }

    /// The panel's share tools: the link, "Embed this", export, the AWS bridge.
    pub(super) fn view_share_tools(&self, ctx: &Context<Self>) -> Html {
        if self.share.embed.on {
            return Html::default();
        }
        let Some(run) = &self.page.run else {
            return Html::default();
        };
        let link = ctx.link();
        html! {
            <div class="share-tools" data-testid="share-tools">
                <details class="group" data-testid="group-share">
                    <summary>{ "Share and embed" }</summary>
                    <p class="hint">{ "The address bar holds this run: the scenario, the seed, every setting changed and the moment. Opening it replays the same run." }</p>
                    <div class="export-row">
                        <button type="button" data-testid="copy-link" onclick={link.callback(|_| Msg::Share(ShareMsg::CopyLink))}>{ "Copy the link" }</button>
                        <button type="button" data-testid="embed-this" onclick={link.callback(|_| Msg::Share(ShareMsg::Dialog(true)))}>{ "Embed this" }</button>
                    </div>
                    if let Some(ok) = self.share.link_copied {
                        <p role="status" class="hint" data-testid="link-copied">{ copied_words(ok) }</p>
                    }
                </details>
                <details class="group" data-testid="group-export">
                    <summary>{ "Export" }</summary>
                    <Exports on_export={link.callback(|e| Msg::Share(ShareMsg::Export(e)))}
                        error={self.share.export_error.clone()} />
                </details>
                <details class="group" data-testid="group-aws">
                    <summary>{ "On real AWS" }</summary>
                    <Bridge scenario={run.sim.current_scenario().clone()}
                        on_import={link.callback(|s| Msg::Share(ShareMsg::Import(Box::new(s))))} />
                </details>
                if self.share.dialog {
                    if let Some(choice) = self.choices.get(self.selected) {
                        <EmbedDialog choice={choice.clone()} current={run.sim.current_scenario().clone()}
                            at={run.sim.now()} on_close={link.callback(|_| Msg::Share(ShareMsg::Dialog(false)))} />
                    }
                }
            </div>
        }
    }
}

/// The scenario running (or about to be replayed).
fn scenario_of(app: &App) -> Option<Scenario> {
    app.page
        .pending
        .as_ref()
        .map(|(s, _)| s.clone())
        .or_else(|| app.page.scenario().cloned())
}
