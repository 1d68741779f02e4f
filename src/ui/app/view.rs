//! The App's markup and painting, kept out of `app.rs`: the page's HTML from the
//! page model's state, and the canvases painted from the latest snapshot.

use super::*;
use crate::view::page::counters::{counters, describe_concurrency};
use crate::view::page::panels::{app_classes, charts_shown, description, Description};

impl App {
    /// The whole page.
    pub(super) fn html(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let snapshot = self.page.run.as_ref().map(|r| &r.snapshot);
        let now = snapshot.map_or_else(|| "--:--:--.---".to_string(), |s| s.now.to_string());
        let end = self.page.run.as_ref().map(|r| r.sim.end().to_string());
        let seed = self
            .page
            .run
            .as_ref()
            .map_or_else(|| "none".to_string(), |r| r.sim.seed().to_string());
        let picker = html! {
            <Picker groups={Rc::clone(&self.picker_groups)} selected={self.selected}
                on_select={link.callback(Msg::SelectScenario)} />
        };
        // A first visit's start card, where a lesson would be (never over one).
        let start_card = self.panels.shows_start_card(&self.page);
        let classes = app_classes(&self.page, self.share.state.embed.on);
        let disabled = self.page.run.is_none();
        let scenario = self
            .page
            .run
            .as_ref()
            .map(|r| r.sim.current_scenario().clone());

        html! {
            <div class={classes!("app", classes[0], classes[1], classes[2])} data-testid="app"
                data-present={self.page.presenter.is_some().to_string()}>
                <header class="topbar">
                    <h1 class="brand" data-testid="title">{ "Kinesis Playground" }</h1>
                    <div class="readouts">
                        if !self.panels.comparing {
                        <div class="readout">
                            <span class="readout-label">{ "Simulated time" }</span>
                            <span class="readout-value num" data-testid="clock">{ now }</span>
                            if let Some(end) = end {
                                <span class="readout-of num">{ format!("of {end}") }</span>
                            }
                        </div>
                        }
                        <div class="readout readout-seed">
                            <span class="readout-label">{ "Seed" }</span>
                            <span class="readout-value num" data-testid="seed">{ seed }</span>
                        </div>
                    </div>
                    <div class="topbar-actions">
                        if !self.panels.comparing {
                            <button type="button" data-testid="open-compare" disabled={self.page.run.is_none()}
                                title="Run this scenario twice on the same seed under two settings, side by side"
                                onclick={link.callback(|_| Msg::Compare(true))}>
                                { "Compare side by side" }
                            </button>
                            <button type="button" class="present-toggle" data-testid="present"
                                aria-pressed={self.page.presenter.is_some().to_string()}
                                title="Presenter mode: large type, one chart, keys for clickers (P)"
                                onclick={link.callback(|_| Msg::Present(Act::Toggle))}>
                                { if self.page.presenter.is_some() { "Presenting" } else { "Present" } }
                            </button>
                        }
                        <button type="button" class="theme-toggle" data-testid="theme"
                            onclick={link.callback(|_| Msg::Panel(PanelAction::CycleTheme))}>
                            { self.panels.theme.label() }
                        </button>
                    </div>
                    if let Some(presenter) = &self.page.presenter {
                        <PresenterBar presenter={presenter.clone()}
                            beat={self.page.lesson.as_ref().map_or(0, Player::beat)}
                            beats={self.page.lesson.as_ref().map_or(0, Player::steps)}
                            title={scenario.as_ref().map_or_else(String::new, |s| s.title.clone())}
                            on_leave={link.callback(|()| Msg::Present(Act::Toggle))}
                            on_help={link.callback(|()| Msg::Present(Act::Help))}
                            on_fullscreen={link.callback(|()| Msg::Present(Act::Fullscreen))} />
                    }
                </header>
                { self.view_link_problems(ctx) }
                if let (true, Some(scenario)) = (self.panels.comparing, scenario.clone()) {
                    <main class="compare-layout">
                        <Compare {scenario} dark={self.dark()} variation={self.panels.compare_with.clone()}
                            on_close={link.callback(|()| Msg::Compare(false))} />
                    </main>
                } else {
                <main class="layout">
                    if self.share.state.show != embed::Show::None {
                    <section class="time-area" aria-label="Time">
                        <Timebar playing={self.page.playing} seeking={self.page.seek.as_ref().is_some_and(|s| !s.jump)} {disabled}
                            speed_index={speed_index(self.page.speed)} status={self.page.status()}
                            now_s={snapshot.map_or(0, |s| s.now.second())}
                            end_s={self.page.run.as_ref().map_or(0, |r| r.sim.end().second())}
                            breakpoints={Breakpoints::kinds().map(|m| (m.label(), self.page.breakpoints.is_armed(m))).collect::<Vec<_>>()}
                            on_action={link.callback(Msg::Time)} />
                        if let Some(n) = &self.page.notice {
                            <p class="notice" data-testid="notice">{ n }</p>
                        }
                    </section>
                    }
                    if self.page.lesson.is_some() || self.challenge().is_some() || start_card {
                        <div class="lesson-area">
                            if start_card {
                                <StartCard paths={Rc::clone(&self.start_paths)}
                                    on_dismiss={link.callback(|()| Msg::Panel(PanelAction::StartCard(false)))} />
                            }
                            if let Some(player) = &self.page.lesson {
                                <LessonPanel player={player.clone()} playing={self.page.playing}
                                    replaying={self.page.pending.is_some()}
                                    on_action={link.callback(Msg::Lesson)}
                                    on_try={link.callback(Msg::TryIt)} />
                            }
                            if let (Some(c), Some(run)) = (self.challenge(), &self.page.run) {
                                <ChallengePanel challenge={c.clone()}
                                    settings={settings_scored(run.sim.current_scenario(), c)}
                                    state={self.check.state.clone()}
                                    on_check={link.callback(|()| Msg::CheckChallenge)} />
                            }
                        </div>
                    }
                    <section class="stage" aria-label="The stream">
                        // The picker above the picture, near the top on phones too.
                        if !self.share.state.embed.on {
                            <div class="scenario-bar">{ picker.clone() }</div>
                        }
                        { self.view_embed_overlay(ctx) }
                        { self.view_picture(ctx) }
                    </section>
                    if let Some(snapshot) = snapshot {
                        <section class="counters-area" aria-label="Counters">
                            { self.view_counters(snapshot) }
                            { view_windows(snapshot) }
                        </section>
                    }
                    <section class="charts-area" aria-label="Charts">
                        { self.view_charts() }
                        if let Some(run) = &self.page.run {
                            <ShardTable rows={table::shard_rows(&run.snapshot)}
                                shard_count={run.snapshot.shards.len()}
                                mapping_names={run.snapshot.mappings.iter().map(|m| m.function_name.clone()).collect::<Vec<_>>()}
                                open={self.panels.table_open} highlight={self.panels.highlight}
                                on_toggle={link.callback(|open| Msg::Panel(PanelAction::Table(open)))} />
                        }
                    </section>
                    if self.share.state.show == embed::Show::All {
                    <aside class="panel" aria-label="Controls">
                        if self.share.state.embed.on {
                            { picker }
                        }
                        { self.view_description() }
                        if let Some(scenario) = scenario {
                            <Controls target={Target::of_mapping(&scenario, self.page.target_mapping)} {scenario}
                                errors={self.page.errors.clone()} action_error={self.page.action_error.clone()}
                                pill_every_s={self.page.pill_every_s} pills_injected={self.page.pills_injected}
                                open={matches(WIDE_QUERY)}
                                on_action={link.callback(Msg::Control)} />
                        }
                        { self.view_share_tools(ctx) }
                    </aside>
                    }
                    <aside class="log-area" aria-label="Event log">
                        { self.view_trace(ctx) }
                        if let Some(run) = &self.page.run {
                            <EventLog lines={table::log_lines(run.sim.journal(), LOG_LINES_MAX)}
                                selected={self.panels.selected_entry} on_pick={link.callback(|pick| Msg::Panel(PanelAction::Pick(pick)))}
                                on_jump={link.callback(|ms| Msg::Time(TimeAction::JumpTo(ms)))} />
                        }
                    </aside>
                </main>
                }
                if self.panels.keys_help {
                    <KeysHelp on_close={link.callback(|()| Msg::Panel(PanelAction::KeysHelp(false)))} />
                }
                <div class="visually-hidden" aria-live="polite" data-testid="narration">{ &self.page.narration }</div>
                if let Some(presenter) = &self.page.presenter {
                    <PresenterOverlays presenter={presenter.clone()} />
                }
                <footer class="footer">
                    <p class="keys">{ "Keys: Space or K plays and pauses, . steps one second, N runs to the next event, ? lists them all." }</p>
                    <span class="num" data-testid="frame-work"
                        data-median={format!("{:.3}", self.page.work.percentile(50.0))}
                        data-p95={format!("{:.3}", self.page.work.percentile(95.0))}
                        data-frames={self.page.work.len().to_string()}
                        data-split={self.split.summary()}>
                        { self.page.frame_figure() }
                    </span>
                </footer>
            </div>
        }
    }

    pub(super) fn view_trace(&self, ctx: &Context<Self>) -> Html {
        if self.page.run.is_none() {
            return Html::default();
        }
        let (lines, end) = follow::path(&self.page);
        html! {
            <TracePanel {lines} end={end} error={self.follow.error.clone()}
                on_follow_key={ctx.link().callback(|key| Msg::Follow(FollowAction::Key(key)))}
                on_stop={ctx.link().callback(|_| Msg::Follow(FollowAction::Stop))} />
        }
    }

    /// By a clicked record: what following it found, in a sentence, and a way to its
    /// whole path (in "Follow a record", further down the page).
    fn view_follow_callout(&self, ctx: &Context<Self>) -> Html {
        let Some(callout) = self.follow.callout(&self.page) else {
            return Html::default();
        };
        let link = ctx.link();
        html! {
            <div class="follow-callout" role="status" data-testid="follow-callout"
                style={format!("left:{:.0}px;top:{:.0}px;width:{:.0}px", callout.left_px, callout.top_px, trace::CALLOUT_WIDTH_PX)}>
                <p>{ callout.text }</p>
                <div class="follow-callout-buttons">
                    if callout.show_path {
                        <button type="button" data-testid="follow-callout-show"
                            onclick={link.callback(|_| Msg::Follow(FollowAction::ShowPath))}>{ "Show the whole path" }</button>
                    }
                    <button type="button" class="follow-callout-close" data-testid="follow-callout-close"
                        aria-label="Close" onclick={link.callback(|_| Msg::Follow(FollowAction::CloseCallout))}>{ "×" }</button>
                </div>
            </div>
        }
    }

    pub(super) fn view_picture(&self, ctx: &Context<Self>) -> Html {
        let choice = self.choices.get(self.selected);
        let on_click = ctx.link().callback(|e: MouseEvent| {
            let (x, y) = (f64::from(e.offset_x()), f64::from(e.offset_y()));
            let (x, y, width) = e
                .target_dyn_into::<HtmlCanvasElement>()
                .map_or((x, y, 0.0), |c| paint::picture_point(&c, x, y));
            Msg::Follow(FollowAction::At(x, y, width))
        });
        match (choice, &self.page.run) {
            (_, Some(run)) => html! {
                <>
                <figure class="picture">
                    <canvas ref={self.stream_canvas.clone()} data-testid="stream-canvas" role="img"
                        class="stream-canvas" onclick={on_click}
                        aria-label={picture::describe(&run.snapshot.shards)} />
                    <canvas ref={self.concurrency_canvas.clone()} class="concurrency-canvas"
                        data-testid="concurrency-canvas" role="img"
                        aria-label={describe_concurrency(&run.snapshot)} />
                    { self.view_follow_callout(ctx) }
                    { crate::ui::legend::legend() }
                    if self.page.pending.is_some() {
                        <div class="replaying" role="status" data-testid="replaying">{ "Replaying the run from the start…" }</div>
                    }
                </figure>
                </>
            },
            (
                Some(Choice {
                    file,
                    scenario: Err(errors),
                    ..
                }),
                None,
            ) => html! {
                <div class="error" role="alert" data-testid="scenario-error">
                    <h2>{ "This scenario cannot run" }</h2>
                    <p>{ format!("static/scenarios/{file} has these problems:") }</p>
                    <pre>{ errors }</pre>
                </div>
            },
            _ => html! {
                <div class="error" role="alert" data-testid="scenario-error">
                    <h2>{ "No scenario to run" }</h2>
                    <p>{ "This build has no built-in scenarios." }</p>
                </div>
            },
        }
    }

    pub(super) fn view_description(&self) -> Html {
        let scenario = self
            .choices
            .get(self.selected)
            .and_then(|c| c.scenario.as_ref().ok());
        match description(&self.page, scenario) {
            Description::None => Html::default(),
            // It tells the story, answers included: kept for the lesson's end.
            Description::Hidden => html! {
                <p class="description description-hidden" data-testid="description-hidden">
                    { "The scenario's description comes back at the end of the lesson: it would give the answers away." }
                </p>
            },
            Description::Shown(text) => {
                html! { <p class="description" data-testid="description">{ text }</p> }
            }
        }
    }

    pub(super) fn view_charts(&self) -> Html {
        let resolutions = [
            (Resolution::PerSecond, "per-second", "per second"),
            (Resolution::PerMinute, "per-minute", "per minute"),
        ];
        html! {
            <div class="charts">
                // Presenter mode shows one chart, the one chosen (G shows the next).
                { for charts_shown(&self.page).map(|(k, kind)| html! {
                    <figure class="chart" data-testid={format!("chart-{}", kind.id())}>
                        <figcaption class="chart-title">{ kind.title() }</figcaption>
                        <div class="chart-pair">
                            { for resolutions.iter().enumerate().map(|(r, &(_, id, words))| html! {
                                <div class="chart-cell">
                                    <span class="chart-res">{ words }</span>
                                    <canvas ref={self.chart_canvases[k * 2 + r].clone()}
                                        data-testid={format!("chart-{}-{id}", kind.id())}
                                        role="img" aria-label={format!("{} {words}", kind.title())} />
                                </div>
                            }) }
                        </div>
                    </figure>
                }) }
            </div>
        }
    }

    pub(super) fn view_counters(&self, snapshot: &Snapshot) -> Html {
        let other_throttles = self
            .page
            .run
            .as_ref()
            .map_or(0, |r| r.sim.other_functions_throttles());
        html! {
            <div class="counters">
                { for counters(snapshot, other_throttles).into_iter().map(|c| html! {
                    <div class="counter" data-testid={format!("counter-{}", c.id)} data-value={c.value.to_string()} title={c.hint}>
                        <span class="counter-label">{ c.label }</span>
                        <span class="counter-reading">
                            <span class="counter-value num">{ grouped(c.value) }</span>
                            <span class="counter-unit">{ c.unit }</span>
                        </span>
                    </div>
                }) }
            </div>
        }
    }

    /// Paints every picture and chart.
    pub(super) fn paint(&self) {
        self.paint_charts(0..CHART_CANVASES);
        self.paint_pictures();
    }

    /// Paints a playing frame: the stream and the concurrency, and the charts in
    /// turn (`view::page::chart_turn`): one a frame of those the window shows.
    /// A playing frame's charts (those on screen, in turn) and, unless the frame
    /// leaves them to the next (`FrameOpen::pictures`), its pictures.
    pub(super) fn paint_playing(&mut self, pictures: bool) {
        let started = now_ms();
        let window_h = web_sys::window()
            .and_then(|w| w.inner_height().ok())
            .and_then(|h| h.as_f64())
            .unwrap_or(f64::INFINITY);
        let canvases = &self.chart_canvases;
        let shown = |i: usize| {
            canvases[i].cast::<HtmlCanvasElement>().is_some_and(|c| {
                let r = c.get_bounding_client_rect();
                r.bottom() > 0.0 && r.top() < window_h && r.width() > 0.0
            })
        };
        let mut turn = self.chart_turn;
        turn.plan(shown, |work| match work {
            ChartWork::Paint(i) => self.paint_charts(i..i + 1),
            // Off screen: only its newest value, for tests and screen readers.
            ChartWork::Latest(i) => self.chart_latest(i),
        });
        self.chart_turn = turn;
        let charted = now_ms();
        self.split.add(Part::Charts, charted - started);
        if pictures {
            self.paint_pictures();
            self.split.add(Part::Pictures, now_ms() - charted);
        }
    }

    pub(super) fn paint_pictures(&self) {
        let Some(run) = &self.page.run else {
            return;
        };
        let theme: &Theme = if self.dark() { &DARK } else { &LIGHT };
        let snapshot = &run.snapshot;
        // The grid first: its height moves presenter mode's layout, which sizes the
        // stream canvas.
        let metrics = run.sim.metrics();
        let now = snapshot.now;
        let options = paint::StreamOptions {
            motion: !matches(REDUCED_MOTION_QUERY),
            travel_ms: trace::travel_ms(self.page.speed),
            traced: run.sim.trace().map(|t| picture::Traced {
                shard: t.target.shard,
                index: t.target.index,
            }),
            fit: self.page.presenter.is_some(),
            on_screen_only: true,
        };
        if let Some(canvas) = self.concurrency_canvas.cast::<HtmlCanvasElement>() {
            let last_s = now.second().saturating_sub(1);
            let per_s = |m| metrics.per_second.value_at(m, last_s).unwrap_or(0);
            let throttles = crate::view::grid::Throttles {
                stream_per_s: per_s(Metric::Throttles),
                other_per_s: per_s(Metric::OtherFunctionsThrottles),
                lit: crate::view::grid::flash_lit(
                    gloo::utils::window().performance().map_or(0.0, |p| p.now()),
                    !matches(REDUCED_MOTION_QUERY),
                ),
            };
            let text_px = if self.page.presenter.is_some() {
                crate::view::grid::PRESENTER_TEXT_PX
            } else {
                crate::view::grid::TEXT_PX
            };
            if let Err(e) =
                paint::paint_concurrency(&canvas, snapshot, throttles, &options, text_px, theme)
            {
                gloo::console::error!("painting the concurrency failed:", e);
            }
        }
        if let Some(canvas) = self.stream_canvas.cast::<HtmlCanvasElement>() {
            if let Err(e) =
                paint::paint_stream_with(&canvas, snapshot, theme, &self.panels.highlight, &options)
            {
                gloo::console::error!("painting the stream failed:", e);
            }
        }
    }

    /// Keeps the newest value (`data-latest`) of the chart whose canvas is numbered
    /// `i` up to date without drawing it.
    fn chart_latest(&self, i: usize) {
        let (Some(run), Some(canvas)) = (
            &self.page.run,
            self.chart_canvases[i].cast::<HtmlCanvasElement>(),
        ) else {
            return;
        };
        let Some((kind, resolution)) = chart_at(i) else {
            return;
        };
        let snapshot = &run.snapshot;
        let limits = ChartLimits {
            write_records_per_s: snapshot.shards.len() as u64 * 1_000,
            concurrency: snapshot.concurrency.limit,
        };
        let metrics = run.sim.metrics();
        if let Err(e) =
            paint::chart_latest(&canvas, kind, resolution, metrics, snapshot.now, &limits)
        {
            gloo::console::error!("reading a chart's newest value failed:", e);
        }
    }

    /// Paints the charts whose canvases are numbered in `which` (kind by kind, each
    /// per second then per minute).
    fn paint_charts(&self, which: std::ops::Range<usize>) {
        let Some(run) = &self.page.run else {
            return;
        };
        let theme: &Theme = if self.dark() { &DARK } else { &LIGHT };
        let snapshot = &run.snapshot;
        let metrics = run.sim.metrics();
        let now = snapshot.now;
        let limits = ChartLimits {
            write_records_per_s: snapshot.shards.len() as u64 * 1_000,
            concurrency: snapshot.concurrency.limit,
        };
        let stream_width = self
            .stream_canvas
            .cast::<HtmlCanvasElement>()
            .map_or(1_000.0, |c| paint::css_width(&c));
        // The charts' text is the stream picture's (14 px on a desktop page, 12 on a
        // phone, 24 in presenter mode), though a chart is narrower: by the stream
        // canvas's width, as the picture reckons it.
        let text_px = picture::text_px_for(stream_width, self.page.presenter.is_some());
        let look = paint::ChartLook { theme, text_px };
        for i in which {
            let (Some((kind, resolution)), Some(canvas)) = (
                chart_at(i),
                self.chart_canvases[i].cast::<HtmlCanvasElement>(),
            ) else {
                continue;
            };
            if let Err(e) =
                paint::paint_chart(&canvas, kind, resolution, metrics, now, &limits, look)
            {
                gloo::console::error!("painting a chart failed:", e);
            }
        }
    }
}

/// The open tumbling windows and the state each one's next invocation is handed
/// (`view::windows`); nothing without them.
fn view_windows(snapshot: &Snapshot) -> Html {
    let lines = crate::view::windows::window_lines(snapshot);
    if lines.is_empty() {
        return html! {};
    }
    html! {
        <div class="windows" data-testid="tumbling-windows">
            <h3 class="windows-title">{ "Open tumbling windows: the state the function returned, handed to its next invocation" }</h3>
            <ul>
                { for lines.into_iter().map(|l| html! { <li>{ l }</li> }) }
            </ul>
        </div>
    }
}
