//! The light embed (issue 16): what the "Embed this" snippet frames, built by
//! `embed.html` into `dist/embed/` with its own WebAssembly. It reads the same link
//! as the full page (`view::embed::open`), fetches the one built-in scenario the link
//! names (`../scenarios/NAME.json`, the files the site ships) instead of compiling all
//! of them in, and shows the stream picture (the same `view::picture` code, painted by
//! `ui::paint`), its clock, the time controls (`ui=all` and `ui=time`: play, a step,
//! the speed and the timeline) or a Play button (`ui=none`), the still picture or the
//! story's poster an embed opens on, and a link to the full playground, where the
//! knobs, charts, log, lessons and everything else are. It speaks the same
//! postMessage interface (`view::postmessage`). Everything the full page adds is left
//! out, so that the linker drops it: the wasm is about half the page's.

#[cfg(target_arch = "wasm32")]
mod light {
    use gloo::events::EventListener;
    use gloo::render::{request_animation_frame, AnimationFrame};
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};
    use web_sys::js_sys::{Function, Reflect};
    use web_sys::{HtmlCanvasElement, HtmlInputElement, HtmlSelectElement};
    use yew::prelude::*;

    use kinesis_playground::share::url::{self, Embed};
    use kinesis_playground::sim::{Scenario, SimTime, Simulation};
    use kinesis_playground::ui::embed::{self as watchers, Watchers};
    use kinesis_playground::ui::paint::{self, StreamOptions};
    use kinesis_playground::ui::postmessage::{self as messages, Received};
    use kinesis_playground::view::embed::{self, Show};
    use kinesis_playground::view::pace::{speed_index, speed_label, Pace, SPEEDS};
    use kinesis_playground::view::picture::Theme;
    use kinesis_playground::view::postmessage::{self, Command, Outgoing, Told};
    use kinesis_playground::view::{scenarios, timebar};

    /// Events a frame may handle: a frame stays short at any speed, the run catches up.
    const FRAME_EVENTS: usize = 200_000;

    pub enum Msg {
        Fetched(Result<String, String>),
        Toggle,
        Step,
        Speed(usize),
        JumpTo(SimTime),
        Frame(f64),
        Message(Box<Received>),
        InView(bool),
        Shown(bool),
        DismissProblems,
    }

    struct Run {
        scenario: Scenario,
        sim: Simulation,
    }

    pub struct Light {
        query: String,
        file: &'static str,
        /// The scenario as the site ships it, which the full page's link is written
        /// against.
        choice: Option<scenarios::Choice>,
        embed: Embed,
        show: Show,
        run: Option<Run>,
        title: String,
        error: Option<String>,
        problems: Vec<String>,
        /// What the paused picture shows, until the run moves.
        caption: Option<(String, SimTime)>,
        /// The story's poster: Play plays the story from its start.
        poster: bool,
        playing: bool,
        speed_index: usize,
        pace: Pace,
        frame: Option<AnimationFrame>,
        canvas: NodeRef,
        dark: bool,
        motion: bool,
        told: Told,
        _messages: Option<EventListener>,
        _watchers: Option<Watchers>,
        in_view: bool,
        shown: bool,
        resume: bool,
    }

    fn matches(query: &str) -> bool {
        web_sys::window()
            .and_then(|w| w.match_media(query).ok().flatten())
            .is_some_and(|m| m.matches())
    }

    fn function(target: &JsValue, name: &str) -> Option<Function> {
        Reflect::get(target, &JsValue::from_str(name))
            .ok()
            .and_then(|f| f.dyn_into::<Function>().ok())
    }

    /// A rejection's reason as text: an error's message, or what it says.
    fn reason(e: &JsValue) -> String {
        Reflect::get(e, &JsValue::from_str("message"))
            .ok()
            .and_then(|m| m.as_string())
            .or_else(|| e.as_string())
            .unwrap_or_else(|| "the request failed".to_string())
    }

    fn then(promise: &JsValue, ok: &JsValue, err: &JsValue) {
        if let Some(f) = function(promise, "then") {
            let _ = f.call2(promise, ok, err);
        }
    }

    /// Fetches `address` as text (window.fetch, through `Reflect`: no web-sys types
    /// for it), and tells `done` the text or why there is none.
    fn fetch_text(address: &str, done: Callback<Result<String, String>>) {
        let Some(window) = web_sys::window() else {
            return done.emit(Err("no window".to_string()));
        };
        let Some(fetch) = function(&window, "fetch") else {
            return done.emit(Err("this browser cannot fetch".to_string()));
        };
        let promise = match fetch.call1(&window, &JsValue::from_str(address)) {
            Ok(p) => p,
            Err(e) => return done.emit(Err(reason(&e))),
        };
        let failed = done.clone();
        let on_error = Closure::once_into_js(move |e: JsValue| failed.emit(Err(reason(&e))));
        let on_response = Closure::once_into_js(move |r: JsValue| {
            let ok = Reflect::get(&r, &JsValue::from_str("ok"))
                .ok()
                .and_then(|v| v.as_bool())
                .unwrap_or(false);
            if !ok {
                let status = Reflect::get(&r, &JsValue::from_str("status"))
                    .ok()
                    .and_then(|v| v.as_f64())
                    .unwrap_or(0.0);
                return done.emit(Err(format!("HTTP {status}")));
            }
            let Some(text) = function(&r, "text").and_then(|f| f.call0(&r).ok()) else {
                return done.emit(Err("the response has no text".to_string()));
            };
            let failed = done.clone();
            let on_text = Closure::once_into_js(move |t: JsValue| {
                done.emit(
                    t.as_string()
                        .ok_or_else(|| "the response is not text".to_string()),
                );
            });
            let on_error = Closure::once_into_js(move |e: JsValue| failed.emit(Err(reason(&e))));
            then(&text, &on_text, &on_error);
        });
        then(&promise, &on_response, &on_error);
    }

    impl Component for Light {
        type Message = Msg;
        type Properties = ();

        fn create(ctx: &Context<Self>) -> Self {
            let query = web_sys::window()
                .and_then(|w| w.location().search().ok())
                .unwrap_or_default();
            let file = embed::light_file(&query);
            fetch_text(
                &embed::scenario_url(file),
                ctx.link().callback(Msg::Fetched),
            );
            Light {
                query,
                file,
                choice: None,
                embed: Embed::default(),
                show: Show::Time,
                run: None,
                title: embed::scenario_name(file).replace('-', " "),
                error: None,
                problems: Vec::new(),
                caption: None,
                poster: false,
                playing: false,
                speed_index: speed_index(f64::NAN),
                pace: Pace::default(),
                frame: None,
                canvas: NodeRef::default(),
                dark: matches("(prefers-color-scheme: dark)"),
                motion: !matches("(prefers-reduced-motion: reduce)"),
                told: Told::default(),
                _messages: None,
                _watchers: None,
                in_view: true,
                shown: true,
                resume: false,
            }
        }

        fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
            match msg {
                Msg::Fetched(Ok(json)) => self.open(ctx, &json),
                Msg::Fetched(Err(why)) => {
                    self.error = Some(embed::fetch_failed(self.file, &why));
                    self.watch(ctx);
                }
                Msg::Toggle => {
                    if self.playing {
                        self.pause();
                    } else {
                        self.play(ctx);
                    }
                }
                Msg::Step => {
                    self.pause();
                    if let Some(run) = &self.run {
                        let to = timebar::step_target(run.sim.now(), run.sim.end());
                        self.jump(to);
                    }
                }
                Msg::Speed(i) => self.speed_index = i.min(SPEEDS.len() - 1),
                Msg::JumpTo(to) => self.jump(to),
                Msg::Frame(ms) => {
                    self.frame = None;
                    if !self.playing {
                        return false;
                    }
                    let step = self.pace.advance(ms, SPEEDS[self.speed_index]);
                    if let Some(run) = &mut self.run {
                        let to = (run.sim.now() + step).min(run.sim.end());
                        run.sim.run_until(to, FRAME_EVENTS);
                        if run.sim.is_finished() || run.sim.now() >= run.sim.end() {
                            self.playing = false;
                        }
                    }
                    if self.playing {
                        self.next_frame(ctx);
                    }
                }
                Msg::Message(m) => self.on_message(ctx, &m),
                Msg::InView(v) => self.visibility(ctx, Some(v), None),
                Msg::Shown(v) => self.visibility(ctx, None, Some(v)),
                Msg::DismissProblems => self.problems.clear(),
            }
            true
        }

        fn view(&self, ctx: &Context<Self>) -> Html {
            let link = ctx.link();
            let now = self.run.as_ref().map_or(SimTime::ZERO, |r| r.sim.now());
            let end = self.run.as_ref().map_or(SimTime::ZERO, |r| r.sim.end());
            let full_page = match (&self.run, &self.choice) {
                (Some(run), Some(choice)) => embed::full_from_light(&embed::link(
                    choice,
                    &run.scenario,
                    now,
                    &Embed::default(),
                )),
                _ => embed::full_from_light(&self.query),
            };
            let caption = self
                .caption
                .as_ref()
                .filter(|(_, at)| !self.playing && *at == now)
                .map(|(c, _)| c.clone());
            html! {
                <main class="light" data-testid="embed-light" data-speed={embed::speed_text(SPEEDS[self.speed_index])}>
                    <div class="light-head">
                        <h1 class="light-title" data-testid="scenario-title">{ &self.title }</h1>
                        <span class="light-clock num" data-testid="clock">{ now.to_string() }</span>
                    </div>
                    if let Some(e) = &self.error {
                        <p class="light-error" role="alert" data-testid="embed-error">{ e }</p>
                    }
                    if !self.problems.is_empty() {
                        <div class="light-problems" role="status" data-testid="link-problems">
                            <p>{ "Parts of this link could not be read:" }</p>
                            <ul>{ for self.problems.iter().map(|p| html! { <li>{ p }</li> }) }</ul>
                            <button type="button" data-testid="link-problems-dismiss"
                                onclick={link.callback(|_| Msg::DismissProblems)}>{ "Dismiss" }</button>
                        </div>
                    }
                    <canvas ref={self.canvas.clone()} data-testid="stream-canvas"
                        role="img" aria-label={format!("The stream of {} at {now}", self.title)}></canvas>
                    if self.run.is_some() {
                        if self.show == Show::None {
                            <div class="light-bar" data-testid="embed-bar">
                                <button type="button" class="primary" data-testid="embed-play"
                                    aria-pressed={self.playing.to_string()} onclick={link.callback(|_| Msg::Toggle)}>
                                    { if self.playing { "Pause" } else { "\u{25B6} Play" } }
                                </button>
                            </div>
                        } else {
                            { self.view_time(ctx, now, end) }
                        }
                    }
                    if let Some(c) = caption {
                        <p class="light-caption" data-testid="embed-caption">{ c }</p>
                    }
                    <p class="light-links">
                        <a href={full_page.clone()} target="_blank" rel="noopener" data-testid="embed-open">
                            { "Open in the playground" }
                        </a>
                        if self.show == Show::All && !self.embed.lock.iter().any(|k| k == "all") {
                            <a href={full_page} target="_blank" rel="noopener" data-testid="embed-settings">
                                { "Change the settings" }
                            </a>
                        }
                    </p>
                </main>
            }
        }

        fn rendered(&mut self, _ctx: &Context<Self>, _first: bool) {
            if let (Some(run), Some(canvas)) = (&self.run, self.canvas.cast::<HtmlCanvasElement>())
            {
                let options = StreamOptions {
                    motion: self.motion,
                    ..StreamOptions::default()
                };
                // A failure to paint leaves the canvas as it was: the clock still tells.
                let _ = paint::paint_stream_with(
                    &canvas,
                    &run.sim.snapshot(),
                    Theme::for_scheme(self.dark),
                    &Default::default(),
                    &options,
                );
            }
            self.tell_parent();
        }
    }

    impl Light {
        fn open(&mut self, ctx: &Context<Self>, json: &str) {
            let choice = scenarios::choice(self.file, json);
            self.title = choice.title.clone();
            let opened = embed::open(&self.query, std::slice::from_ref(&choice));
            let parsed = choice.scenario.clone();
            self.choice = Some(choice);
            self.problems = opened.problems;
            self.embed = opened.embed;
            self.show = embed::show(&self.embed);
            self.theme();
            self.watch(ctx);
            let Some(scenario) = opened.scenario else {
                if let Err(e) = &parsed {
                    self.error = Some(format!("This scenario does not parse: {e}"));
                }
                return;
            };
            let story = embed::story_moment(&scenario);
            let speed = match self.embed.speed.as_deref().and_then(url::speed_value) {
                Some(v) => v,
                None => embed::story_speed(story),
            };
            self.speed_index = speed_index(speed);
            let mut sim = Simulation::new(&scenario);
            let caption = if opened.at > SimTime::ZERO {
                sim = timebar::replay(&scenario, opened.at);
                Some(format!("Paused at {}. Press Play to run on.", opened.at))
            } else if self.embed.autoplay {
                None
            } else if let Some(moment) = story {
                self.poster = true;
                Some(embed::advance_to_story(&mut sim, moment))
            } else {
                Some(embed::advance_to_still(&mut sim))
            };
            self.caption = caption.map(|c| (c, sim.now()));
            self.run = Some(Run { scenario, sim });
            // As the full page: autoplay plays from the link's moment too.
            if self.embed.autoplay {
                self.play(ctx);
            }
        }

        /// The link's theme on the document (`data-theme`, `data-embed-bg`), and the
        /// picture's colours.
        fn theme(&mut self) {
            let theme = self.embed.theme.as_deref();
            match theme {
                Some("light") => self.dark = false,
                Some("dark") => self.dark = true,
                _ => {}
            }
            let root = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element());
            if let Some(root) = root {
                let _ = root.set_attribute("data-embed", "1");
                if let Some(t @ ("light" | "dark")) = theme {
                    let _ = root.set_attribute("data-theme", t);
                }
                if theme == Some("transparent") {
                    let _ = root.set_attribute("data-embed-bg", "transparent");
                }
            }
        }

        /// Listens to the host page (when framed) and pauses out of view.
        fn watch(&mut self, ctx: &Context<Self>) {
            let link = ctx.link();
            if messages::in_frame() && self._messages.is_none() {
                self._messages = messages::listen(link.callback(|m| Msg::Message(Box::new(m))));
            }
            if self._watchers.is_none() {
                self._watchers = Some(watchers::watch(
                    link.callback(Msg::InView),
                    link.callback(Msg::Shown),
                ));
            }
        }

        fn next_frame(&mut self, ctx: &Context<Self>) {
            if self.frame.is_none() {
                let link = ctx.link().clone();
                self.frame = Some(request_animation_frame(move |ms| {
                    link.send_message(Msg::Frame(ms));
                }));
            }
        }

        fn play(&mut self, ctx: &Context<Self>) {
            let Some(run) = &mut self.run else {
                return;
            };
            if std::mem::take(&mut self.poster) {
                run.sim = Simulation::new(&run.scenario);
            } else if run.sim.is_finished() || run.sim.now() >= run.sim.end() {
                return;
            }
            self.playing = true;
            self.pace.reset();
            self.next_frame(ctx);
        }

        fn pause(&mut self) {
            self.playing = false;
            self.frame = None;
        }

        /// Goes to `to`: on from here, or (back) the run replayed from its start.
        fn jump(&mut self, to: SimTime) {
            self.poster = false;
            let Some(run) = &mut self.run else {
                return;
            };
            let to = to.min(run.sim.end());
            if to < run.sim.now() {
                run.sim = timebar::replay(&run.scenario, to);
            } else {
                while run.sim.now() < to && !run.sim.is_finished() {
                    run.sim.run_until(to, 1_000_000);
                }
            }
            self.pace.reset();
        }

        fn on_message(&mut self, ctx: &Context<Self>, m: &Received) {
            let refuse =
                |message: String| messages::post_to(&m.source, &Outgoing::Error { message });
            match postmessage::parse(m.incoming()) {
                Ok(None) => {}
                Ok(Some(Command::Play)) => self.play(ctx),
                Ok(Some(Command::Pause)) => self.pause(),
                Ok(Some(Command::Seek(t))) => self.jump(t),
                Ok(Some(Command::Beat(n))) => {
                    if let Some(e) = postmessage::beat_refusal(None, n) {
                        refuse(e);
                    }
                }
                Err(e) => refuse(e),
            }
        }

        /// Tells the parent window: ready once the run exists, then each milestone.
        fn tell_parent(&mut self) {
            if self._messages.is_none() {
                return;
            }
            let Some(run) = &self.run else {
                return;
            };
            let ready = Outgoing::Ready {
                scenario: embed::scenario_name(self.file).to_string(),
                end_ms: run.sim.end().0,
                beats: 0,
            };
            for event in self.told.due(Some(ready), None, run.sim.milestones()) {
                messages::post_to_parent(&event);
            }
        }

        fn visibility(&mut self, ctx: &Context<Self>, in_view: Option<bool>, shown: Option<bool>) {
            let before = self.in_view && self.shown;
            self.in_view = in_view.unwrap_or(self.in_view);
            self.shown = shown.unwrap_or(self.shown);
            let now = self.in_view && self.shown;
            if before && !now && self.playing {
                self.pause();
                self.resume = true;
            } else if !before && now && std::mem::take(&mut self.resume) {
                self.play(ctx);
            }
        }

        /// The time controls: play, a step, the speed and the timeline.
        fn view_time(&self, ctx: &Context<Self>, now: SimTime, end: SimTime) -> Html {
            let link = ctx.link();
            let on_speed = link.callback(|e: Event| {
                Msg::Speed(
                    e.target_unchecked_into::<HtmlSelectElement>()
                        .value()
                        .parse()
                        .unwrap_or(0),
                )
            });
            let on_jump = link.callback(|e: Event| {
                let s: u64 = e
                    .target_unchecked_into::<HtmlInputElement>()
                    .value()
                    .parse()
                    .unwrap_or(0);
                Msg::JumpTo(SimTime::from_s(s))
            });
            let (now_s, end_s) = (now.0 / 1_000, end.0 / 1_000);
            html! {
                <div class="light-bar timebar" role="group" aria-label="Time controls" data-testid="timebar">
                    <button type="button" class="primary" data-testid="play"
                        aria-pressed={self.playing.to_string()} onclick={link.callback(|_| Msg::Toggle)}>
                        { if self.playing { "Pause" } else { "Play" } }
                    </button>
                    <button type="button" data-testid="step" onclick={link.callback(|_| Msg::Step)}
                        title="Move one simulated second">{ "Step 1 s" }</button>
                    <label class="speed">
                        <span>{ "Speed" }</span>
                        <select data-testid="speed" onchange={on_speed}>
                            { for SPEEDS.iter().enumerate().map(|(i, &s)| html! {
                                <option value={i.to_string()} selected={i == self.speed_index}>{ speed_label(s) }</option>
                            }) }
                        </select>
                    </label>
                    <input type="range" class="light-timeline" data-testid="timeline" min="0"
                        max={end_s.to_string()} step="1" value={now_s.to_string()}
                        aria-label="Moment in the run: going back replays the run to there"
                        aria-valuetext={format!("{now} of {end}")} onchange={on_jump} />
                </div>
            }
        }
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {
    yew::Renderer::<light::Light>::new().render();
}

/// Natively there is nothing to run: the light embed is a web page.
#[cfg(not(target_arch = "wasm32"))]
fn main() {}
