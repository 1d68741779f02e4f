//! The App's share slice, kept out of `app.rs`: the browser's side of opening the
//! page from its link (embed mode's root attributes, its watchers and the host page's
//! messages), the address bar, export and the AWS bridge, and the markup of the
//! embed's bar and the share tools. A child module of `app`; the decisions are in
//! `view::page::share`, `view::embed` and `share` (tested natively).

use yew::prelude::*;

use super::{App, Msg};
use crate::share::url::Embed;
use crate::sim::{Scenario, SimTime};
use crate::ui;
use crate::ui::bridge::Bridge;
use crate::ui::embed::{disable_locked, fullscreen_enabled, toggle_fullscreen, watch, Watchers};
use crate::ui::export::{self, Export, Exports};
use crate::ui::postmessage::Received;
use crate::ui::share::{self, copied_words, EmbedDialog, LinkProblems};
use crate::view::embed::{self, Show};
use crate::view::page::panels::ThemeChoice;
use crate::view::page::share::{Answer, Share};
use crate::view::picture::{self, DARK, LIGHT};
use crate::view::postmessage::{self, Outgoing};

/// The share slice: its state, and the browser's handles an embed keeps.
#[derive(Debug)]
pub struct ShareState {
    pub state: Share,
    _watchers: Option<Watchers>,
    /// The host page's messages, heard in an embed inside a frame.
    _messages: Option<gloo::events::EventListener>,
}

impl ShareState {
    pub(super) fn new(state: Share) -> Self {
        ShareState {
            state,
            _watchers: None,
            _messages: None,
        }
    }
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

impl App {
    /// An embed: its theme and background on the page's root, its watchers (in view,
    /// the tab shown) and, in a frame, the host page's messages.
    pub(super) fn open_embedded(&mut self, ctx: &Context<Self>) {
        let theme = self.share.state.embed.theme.clone();
        self.panels.theme = ThemeChoice::of_embed(theme.as_deref());
        self.apply_theme();
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("data-embed", "1");
            if theme.as_deref() == Some("transparent") {
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
            ShareMsg::DismissProblems => self.share.state.problems.clear(),
            ShareMsg::InView(v) => self.visibility(ctx, Some(v), None),
            ShareMsg::Shown(v) => self.visibility(ctx, None, Some(v)),
            ShareMsg::Dialog(open) => self.share.state.dialog = open,
            ShareMsg::Export(what) => self.export(what),
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
            ShareMsg::LinkCopied(ok) => self.share.state.link_copied = Some(ok),
            ShareMsg::Play => {
                let input = self.share.state.play(&mut self.page);
                self.drive(ctx, input);
            }
            ShareMsg::Message(m) => self.on_message(ctx, &m),
        }
    }

    fn export(&mut self, what: Export) {
        self.share.state.export_error = self.page.run.as_ref().and_then(|run| {
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
                ..picture::StreamInput::from_snapshot(&run.snapshot, self.panels.highlight)
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

    /// A message from the host page: played, paused, sought or sent to a beat; a bad
    /// one is answered with `kp:error`, an unknown one ignored.
    fn on_message(&mut self, ctx: &Context<Self>, m: &Received) {
        let command = postmessage::parse(m.incoming());
        match self.share.state.command(&self.page, command) {
            Answer::Ignore => return,
            Answer::Refuse(message) => {
                return ui::postmessage::post_to(&m.source, &Outgoing::Error { message });
            }
            Answer::Drive(None) => {}
            Answer::Drive(Some(input)) => {
                self.drive(ctx, input);
            }
            Answer::Play => self.on_share(ctx, ShareMsg::Play),
        }
        ctx.link().send_message(Msg::Repaint);
    }

    fn visibility(&mut self, ctx: &Context<Self>, in_view: Option<bool>, shown: Option<bool>) {
        match self
            .share
            .state
            .visibility(in_view, shown, self.page.playing)
        {
            Some(false) => self.pause(),
            Some(true) => {
                self.drive(ctx, crate::view::page::Input::Play);
            }
            None => {}
        }
    }

    /// After every render: locks applied, the parent window told what happened (an
    /// embed in a frame), and the address bar current.
    pub(super) fn share_rendered(&mut self) {
        let choice = self.choices.get(self.selected);
        let link = self
            .share
            .state
            .rendered(&self.page, choice, super::now_ms());
        if !self.page.locked.is_empty() {
            disable_locked(&self.page.locked);
        }
        if self.share._messages.is_some() {
            for event in self.share.state.tell(&self.page, choice) {
                ui::postmessage::post_to_parent(&event);
            }
        }
        if let Some(link) = link {
            share::replace_query(&link);
        }
    }

    pub(super) fn view_link_problems(&self, ctx: &Context<Self>) -> Html {
        html! {
            <LinkProblems problems={self.share.state.problems.clone()}
                on_dismiss={ctx.link().callback(|_| Msg::Share(ShareMsg::DismissProblems))} />
        }
    }

    /// Above the embed's picture: its Play button (when no time controls show) and
    /// what the paused picture shows, and a link to the full page.
    pub(super) fn view_embed_overlay(&self, ctx: &Context<Self>) -> Html {
        if self.page.run.is_none() {
            return Html::default();
        }
        if !self.share.state.embed.on {
            return match self.share.state.page_caption(&self.page) {
                Some(c) => html! { <p class="notice" data-testid="link-caption">{ c }</p> },
                None => Html::default(),
            };
        }
        let at = self
            .page
            .run
            .as_ref()
            .map_or(SimTime::ZERO, |r| r.sim.now());
        let full_page = match (
            self.choices.get(self.selected),
            self.page.scenario_or_pending(),
        ) {
            (Some(c), Some(current)) => format!(
                "{}{}",
                embed::relative_page(&share::location_href()),
                embed::link(c, current, at, &Embed::default())
            ),
            _ => String::new(),
        };
        let play = ctx.link().callback(|_| Msg::Share(ShareMsg::Play));
        html! {
            <div class="embed-bar" data-testid="embed-bar" data-speed={embed::speed_text(self.page.speed)}>
                // With the time controls shown, their Play button is the one; without
                // them, this one plays and pauses.
                if self.share.state.show == Show::None && self.page.pending.is_none() {
                    <button type="button" class="embed-play" data-testid="embed-play"
                        aria-pressed={self.page.playing.to_string()} onclick={play}>
                        if self.page.playing {
                            { "Pause" }
                        } else {
                            <span aria-hidden="true">{ "\u{25B6} " }</span>{ "Play" }
                        }
                    </button>
                }
                if let Some(c) = self.share.state.page_caption(&self.page) {
                    <span class="embed-caption" data-testid="embed-caption">{ c.to_string() }</span>
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
        if self.share.state.embed.on {
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
                    if let Some(ok) = self.share.state.link_copied {
                        <p role="status" class="hint" data-testid="link-copied">{ copied_words(ok) }</p>
                    }
                </details>
                <details class="group" data-testid="group-export">
                    <summary>{ "Export" }</summary>
                    <Exports on_export={link.callback(|e| Msg::Share(ShareMsg::Export(e)))}
                        error={self.share.state.export_error.clone()} />
                </details>
                <details class="group" data-testid="group-aws">
                    <summary>{ "On real AWS" }</summary>
                    <Bridge scenario={run.sim.current_scenario().clone()}
                        on_import={link.callback(|s| Msg::Share(ShareMsg::Import(Box::new(s))))} />
                </details>
                if self.share.state.dialog {
                    if let Some(choice) = self.choices.get(self.selected) {
                        <EmbedDialog choice={choice.clone()} current={run.sim.current_scenario().clone()}
                            at={run.sim.now()} on_close={link.callback(|_| Msg::Share(ShareMsg::Dialog(false)))} />
                    }
                }
            </div>
        }
    }
}
