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
//! out, so that the linker drops it.
//!
//! Its DOM is a handful of elements, so it is built and updated with web-sys directly
//! rather than by Yew's renderer (about 33 KiB of the gzipped wasm, docs/bundle-size.md):
//! the elements are made once, the ones shown only sometimes are put in or taken out
//! in place (never moved, so that a focused control keeps its focus), and every
//! message is followed by one render that writes only what changed. Only
//! `yew::Callback` (a shared closure, which `ui::embed` and `ui::postmessage` take) is
//! used from Yew.

#[cfg(target_arch = "wasm32")]
mod light {
    use std::cell::RefCell;
    use std::collections::VecDeque;
    use std::rc::Rc;

    use gloo::events::EventListener;
    use gloo::render::{request_animation_frame, AnimationFrame};
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};
    use web_sys::js_sys::{Function, Reflect};
    use web_sys::{Document, Element, HtmlCanvasElement, HtmlInputElement, HtmlSelectElement};
    use yew::Callback;

    use kinesis_playground::share::url::{self, Embed};
    use kinesis_playground::sim::{parse_scenario, Scenario, Shortest, SimTime, Simulation};
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
        dark: bool,
        motion: bool,
        told: Told,
        messages: Option<EventListener>,
        watchers: Option<Watchers>,
        in_view: bool,
        shown: bool,
        resume: bool,
        dom: Option<Dom>,
    }

    /// The page: the light embed's state, the messages waiting for it, and the
    /// listeners that send them.
    pub struct Page {
        light: RefCell<Light>,
        queue: RefCell<VecDeque<Msg>>,
        listeners: RefCell<Vec<EventListener>>,
    }

    /// Hands `msg` to the page; handled at once, or after the message being handled
    /// (a listener that fires while the state is borrowed waits its turn).
    fn send(page: &Rc<Page>, msg: Msg) {
        page.queue.borrow_mut().push_back(msg);
        let Ok(mut light) = page.light.try_borrow_mut() else {
            return;
        };
        let mut changed = false;
        loop {
            let next = page.queue.borrow_mut().pop_front();
            let Some(msg) = next else {
                break;
            };
            changed |= light.update(page, msg);
        }
        if changed {
            light.render(page);
        }
    }

    /// A callback that sends what `f` makes of its argument.
    fn callback<T: 'static>(page: &Rc<Page>, f: impl Fn(T) -> Msg + 'static) -> Callback<T> {
        let page = page.clone();
        Callback::from(move |v: T| send(&page, f(v)))
    }

    /// Sends `f(event)` whenever `target` fires `kind`.
    fn on(
        page: &Rc<Page>,
        target: &Element,
        kind: &'static str,
        f: impl Fn(&web_sys::Event) -> Msg + 'static,
    ) {
        let p = page.clone();
        let listener = EventListener::new(target, kind, move |e| send(&p, f(e)));
        page.listeners.borrow_mut().push(listener);
    }

    /// The elements, made once.
    struct Dom {
        main: Element,
        title: Element,
        clock: Element,
        error: Element,
        problems: Element,
        problem_list: Element,
        canvas: HtmlCanvasElement,
        links: Element,
        open: Element,
        settings: Element,
        caption: Element,
        /// The time controls, or the Play button alone: made once the run exists.
        bar: Option<Bar>,
    }

    struct Bar {
        root: Element,
        play: Element,
        speed: Option<HtmlSelectElement>,
        timeline: Option<HtmlInputElement>,
    }

    /// `tag` with `attributes` and, when not empty, `text`.
    fn make(doc: &Document, tag: &str, attributes: &[(&str, &str)], text: &str) -> Option<Element> {
        let e = doc.create_element(tag).ok()?;
        for (k, v) in attributes {
            let _ = e.set_attribute(k, v);
        }
        if !text.is_empty() {
            e.set_text_content(Some(text));
        }
        Some(e)
    }

    fn append(parent: &Element, child: &Element) {
        let _ = parent.append_child(child);
    }

    /// Writes `text` into `e` when it differs.
    fn set_text(e: &Element, text: &str) {
        if e.text_content().as_deref() != Some(text) {
            e.set_text_content(Some(text));
        }
    }

    /// Writes attribute `name` when it differs.
    fn set_attr(e: &Element, name: &str, value: &str) {
        if e.get_attribute(name).as_deref() != Some(value) {
            let _ = e.set_attribute(name, value);
        }
    }

    fn is_child(parent: &Element, e: &Element) -> bool {
        e.parent_element().as_ref() == Some(parent)
    }

    /// Puts `e` into `parent` (before the first of `later` that is there) or takes it
    /// out, as `present` says; an element already in place is left where it is.
    fn place(parent: &Element, e: &Element, present: bool, later: &[&Element]) {
        let there = is_child(parent, e);
        if present && !there {
            let next = later.iter().find(|l| is_child(parent, l));
            let _ = parent.insert_before(e, next.map(|l| l.as_ref()));
        } else if !present && there {
            e.remove();
        }
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
                return done.emit(Err(format!("HTTP {}", Shortest(status))));
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

    impl Dom {
        /// The page's elements; `None` only where the browser refuses to make one.
        fn new(doc: &Document, page: &Rc<Page>, title: &str) -> Option<Dom> {
            let main = make(
                doc,
                "main",
                &[("class", "light"), ("data-testid", "embed-light")],
                "",
            )?;
            let head = make(doc, "div", &[("class", "light-head")], "")?;
            let title = make(
                doc,
                "h1",
                &[("class", "light-title"), ("data-testid", "scenario-title")],
                title,
            )?;
            let clock = make(
                doc,
                "span",
                &[("class", "light-clock num"), ("data-testid", "clock")],
                "",
            )?;
            append(&head, &title);
            append(&head, &clock);
            let error = make(
                doc,
                "p",
                &[
                    ("class", "light-error"),
                    ("role", "alert"),
                    ("data-testid", "embed-error"),
                ],
                "",
            )?;
            let problems = make(
                doc,
                "div",
                &[
                    ("class", "light-problems"),
                    ("role", "status"),
                    ("data-testid", "link-problems"),
                ],
                "",
            )?;
            let problem_list = make(doc, "ul", &[], "")?;
            let dismiss = make(
                doc,
                "button",
                &[("type", "button"), ("data-testid", "link-problems-dismiss")],
                "Dismiss",
            )?;
            on(page, &dismiss, "click", |_| Msg::DismissProblems);
            append(
                &problems,
                &make(doc, "p", &[], "Parts of this link could not be read:")?,
            );
            append(&problems, &problem_list);
            append(&problems, &dismiss);
            let canvas = make(
                doc,
                "canvas",
                &[("data-testid", "stream-canvas"), ("role", "img")],
                "",
            )?
            .dyn_into::<HtmlCanvasElement>()
            .ok()?;
            let caption = make(
                doc,
                "p",
                &[("class", "light-caption"), ("data-testid", "embed-caption")],
                "",
            )?;
            let links = make(doc, "p", &[("class", "light-links")], "")?;
            let link = |testid: &str, text: &str| {
                make(
                    doc,
                    "a",
                    &[
                        ("target", "_blank"),
                        ("rel", "noopener"),
                        ("data-testid", testid),
                    ],
                    text,
                )
            };
            let open = link("embed-open", "Open in the playground")?;
            let settings = link("embed-settings", "Change the settings")?;
            append(&links, &open);
            append(&main, &head);
            append(&main, &canvas);
            append(&main, &links);
            Some(Dom {
                main,
                title,
                clock,
                error,
                problems,
                problem_list,
                canvas,
                links,
                open,
                settings,
                caption,
                bar: None,
            })
        }
    }

    impl Bar {
        /// The Play button alone (`ui=none`).
        fn play_only(doc: &Document, page: &Rc<Page>) -> Option<Bar> {
            let root = make(
                doc,
                "div",
                &[("class", "light-bar"), ("data-testid", "embed-bar")],
                "",
            )?;
            let play = make(
                doc,
                "button",
                &[
                    ("type", "button"),
                    ("class", "primary"),
                    ("data-testid", "embed-play"),
                ],
                "",
            )?;
            on(page, &play, "click", |_| Msg::Toggle);
            append(&root, &play);
            Some(Bar {
                root,
                play,
                speed: None,
                timeline: None,
            })
        }

        /// The time controls: play, a step, the speed and the timeline.
        fn time(doc: &Document, page: &Rc<Page>) -> Option<Bar> {
            let root = make(
                doc,
                "div",
                &[
                    ("class", "light-bar timebar"),
                    ("role", "group"),
                    ("aria-label", "Time controls"),
                    ("data-testid", "timebar"),
                ],
                "",
            )?;
            let play = make(
                doc,
                "button",
                &[
                    ("type", "button"),
                    ("class", "primary"),
                    ("data-testid", "play"),
                ],
                "",
            )?;
            on(page, &play, "click", |_| Msg::Toggle);
            let step = make(
                doc,
                "button",
                &[
                    ("type", "button"),
                    ("data-testid", "step"),
                    ("title", "Move one simulated second"),
                ],
                "Step 1 s",
            )?;
            on(page, &step, "click", |_| Msg::Step);
            let label = make(doc, "label", &[("class", "speed")], "")?;
            append(&label, &make(doc, "span", &[], "Speed")?);
            let select = make(doc, "select", &[("data-testid", "speed")], "")?;
            for (i, &s) in SPEEDS.iter().enumerate() {
                append(
                    &select,
                    &make(doc, "option", &[("value", &i.to_string())], &speed_label(s))?,
                );
            }
            on(page, &select, "change", |e| {
                Msg::Speed(
                    e.target()
                        .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
                        .and_then(|s| s.value().parse().ok())
                        .unwrap_or(0),
                )
            });
            append(&label, &select);
            let timeline = make(
                doc,
                "input",
                &[
                    ("type", "range"),
                    ("class", "light-timeline"),
                    ("data-testid", "timeline"),
                    ("min", "0"),
                    ("step", "1"),
                    (
                        "aria-label",
                        "Moment in the run: going back replays the run to there",
                    ),
                ],
                "",
            )?;
            on(page, &timeline, "change", |e| {
                let s: u64 = e
                    .target()
                    .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
                    .and_then(|i| i.value().parse().ok())
                    .unwrap_or(0);
                Msg::JumpTo(SimTime::from_s(s))
            });
            for e in [&play, &step, &label, &timeline] {
                append(&root, e);
            }
            Some(Bar {
                root,
                play,
                speed: select.dyn_into::<HtmlSelectElement>().ok(),
                timeline: timeline.dyn_into::<HtmlInputElement>().ok(),
            })
        }
    }

    /// Starts the light embed: the page's elements in place of the placeholder, and
    /// the scenario's fetch.
    pub fn start() {
        let query = web_sys::window()
            .and_then(|w| w.location().search().ok())
            .unwrap_or_default();
        let file = embed::light_file(&query);
        let light = Light {
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
            dark: matches("(prefers-color-scheme: dark)"),
            motion: !matches("(prefers-reduced-motion: reduce)"),
            told: Told::default(),
            messages: None,
            watchers: None,
            in_view: true,
            shown: true,
            resume: false,
            dom: None,
        };
        let page = Rc::new(Page {
            light: RefCell::new(light),
            queue: RefCell::new(VecDeque::new()),
            listeners: RefCell::new(Vec::new()),
        });
        let doc = web_sys::window().and_then(|w| w.document());
        if let (Some(doc), Some(body)) = (doc.as_ref(), doc.as_ref().and_then(|d| d.body())) {
            let title = page.light.borrow().title.clone();
            if let Some(dom) = Dom::new(doc, &page, &title) {
                // The placeholder goes as the page arrives.
                body.set_text_content(None);
                let _ = body.append_child(&dom.main);
                page.light.borrow_mut().dom = Some(dom);
            }
        }
        page.light.borrow_mut().render(&page);
        fetch_text(&embed::scenario_url(file), callback(&page, Msg::Fetched));
    }

    impl Light {
        /// Handles `msg`; whether the page is to be drawn again.
        fn update(&mut self, page: &Rc<Page>, msg: Msg) -> bool {
            match msg {
                Msg::Fetched(Ok(json)) => self.open(page, &json),
                Msg::Fetched(Err(why)) => {
                    self.error = Some(embed::fetch_failed(self.file, &why));
                    self.watch(page);
                }
                Msg::Toggle => {
                    if self.playing {
                        self.pause();
                    } else {
                        self.play(page);
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
                        self.next_frame(page);
                    }
                }
                Msg::Message(m) => self.on_message(page, &m),
                Msg::InView(v) => self.visibility(page, Some(v), None),
                Msg::Shown(v) => self.visibility(page, None, Some(v)),
                Msg::DismissProblems => self.problems.clear(),
            }
            true
        }

        /// Writes the state into the elements, paints the picture and tells the
        /// parent window what is new.
        fn render(&mut self, page: &Rc<Page>) {
            if self.run.is_some() {
                self.make_bar(page);
            }
            if let Some(dom) = &self.dom {
                self.draw(dom);
            }
            self.tell_parent();
        }

        fn make_bar(&mut self, page: &Rc<Page>) {
            let Some(dom) = &mut self.dom else {
                return;
            };
            if dom.bar.is_some() {
                return;
            }
            let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
                return;
            };
            dom.bar = if self.show == Show::None {
                Bar::play_only(&doc, page)
            } else {
                Bar::time(&doc, page)
            };
        }

        fn draw(&self, dom: &Dom) {
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
                .map(|(c, _)| c.as_str());
            set_attr(
                &dom.main,
                "data-speed",
                &embed::speed_text(SPEEDS[self.speed_index]),
            );
            set_text(&dom.title, &self.title);
            set_text(&dom.clock, &now.to_string());
            set_attr(
                &dom.canvas,
                "aria-label",
                &format!("The stream of {} at {now}", self.title),
            );

            // In the page's order: head, error, problems, canvas, bar, caption, links.
            let bar = dom.bar.as_ref().filter(|_| self.run.is_some());
            let bar_root = bar.map(|b| &b.root);
            let after_bar: Vec<&Element> = [bar_root, Some(&dom.caption), Some(&dom.links)]
                .into_iter()
                .flatten()
                .collect();
            if let Some(e) = &self.error {
                set_text(&dom.error, e);
            }
            let mut later = vec![&dom.problems, dom.canvas.as_ref()];
            later.extend(after_bar.iter().copied());
            place(&dom.main, &dom.error, self.error.is_some(), &later);
            if !self.problems.is_empty() && !is_child(&dom.main, &dom.problems) {
                dom.problem_list.set_text_content(None);
                if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
                    for p in &self.problems {
                        if let Some(li) = make(&doc, "li", &[], p) {
                            append(&dom.problem_list, &li);
                        }
                    }
                }
            }
            place(
                &dom.main,
                &dom.problems,
                !self.problems.is_empty(),
                &later[1..],
            );
            if let Some(bar) = bar {
                self.draw_bar(bar, now, end);
                place(&dom.main, &bar.root, true, &[&dom.caption, &dom.links]);
            }
            if let Some(c) = caption {
                set_text(&dom.caption, c);
            }
            place(&dom.main, &dom.caption, caption.is_some(), &[&dom.links]);

            set_attr(&dom.open, "href", &full_page);
            let settings = self.show == Show::All && !self.embed.lock.iter().any(|k| k == "all");
            if settings {
                set_attr(&dom.settings, "href", &full_page);
            }
            place(&dom.links, &dom.settings, settings, &[]);

            if let Some(run) = &self.run {
                let options = StreamOptions {
                    motion: self.motion,
                    ..StreamOptions::default()
                };
                // A failure to paint leaves the canvas as it was: the clock still tells.
                let _ = paint::paint_stream_with(
                    &dom.canvas,
                    &run.sim.snapshot(),
                    Theme::for_scheme(self.dark),
                    &Default::default(),
                    &options,
                );
            }
        }

        fn draw_bar(&self, bar: &Bar, now: SimTime, end: SimTime) {
            set_attr(&bar.play, "aria-pressed", &self.playing.to_string());
            let play = match (self.playing, bar.speed.is_some()) {
                (true, _) => "Pause",
                (false, true) => "Play",
                (false, false) => "\u{25B6} Play",
            };
            set_text(&bar.play, play);
            if let Some(select) = &bar.speed {
                let i = i32::try_from(self.speed_index).unwrap_or(0);
                if select.selected_index() != i {
                    select.set_selected_index(i);
                }
            }
            if let Some(timeline) = &bar.timeline {
                let (now_s, end_s) = (now.0 / 1_000, end.0 / 1_000);
                // The maximum first, or the value would be clamped to the old one.
                set_attr(timeline, "max", &end_s.to_string());
                let value = now_s.to_string();
                if timeline.value() != value {
                    timeline.set_value(&value);
                }
                set_attr(timeline, "aria-valuetext", &format!("{now} of {end}"));
            }
        }

        fn open(&mut self, page: &Rc<Page>, json: &str) {
            // The core's parser alone (`parse_scenario`: the document's shape and every
            // value's range), not `scenarios::choice`'s, which also names the settings a
            // challenge offers against the knob table: the embed shows no challenge, and
            // fetches only the built-in files, whose challenges `view::scenarios`'s tests
            // check. That check's texts and formatting stay out of the embed (issue 16).
            let scenario = parse_scenario(json).map_err(|e| e.to_string());
            let title = match &scenario {
                Ok(s) if !s.title.is_empty() => s.title.clone(),
                _ => self.file.trim_end_matches(".json").to_string(),
            };
            let choice = scenarios::Choice {
                file: self.file,
                title,
                scenario,
            };
            self.title = choice.title.clone();
            let opened = embed::open(&self.query, std::slice::from_ref(&choice));
            let parsed = choice.scenario.clone();
            self.choice = Some(choice);
            self.problems = opened.problems;
            self.embed = opened.embed;
            self.show = embed::show(&self.embed);
            self.theme();
            self.watch(page);
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
                self.play(page);
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
        fn watch(&mut self, page: &Rc<Page>) {
            if messages::in_frame() && self.messages.is_none() {
                self.messages = messages::listen(callback(page, |m| Msg::Message(Box::new(m))));
            }
            if self.watchers.is_none() {
                self.watchers = Some(watchers::watch(
                    callback(page, Msg::InView),
                    callback(page, Msg::Shown),
                ));
            }
        }

        fn next_frame(&mut self, page: &Rc<Page>) {
            if self.frame.is_none() {
                let page = page.clone();
                self.frame = Some(request_animation_frame(move |ms| {
                    send(&page, Msg::Frame(ms));
                }));
            }
        }

        fn play(&mut self, page: &Rc<Page>) {
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
            self.next_frame(page);
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

        fn on_message(&mut self, page: &Rc<Page>, m: &Received) {
            let refuse =
                |message: String| messages::post_to(&m.source, &Outgoing::Error { message });
            match postmessage::parse(m.incoming()) {
                Ok(None) => {}
                Ok(Some(Command::Play)) => self.play(page),
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
            if self.messages.is_none() {
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

        fn visibility(&mut self, page: &Rc<Page>, in_view: Option<bool>, shown: Option<bool>) {
            let before = self.in_view && self.shown;
            self.in_view = in_view.unwrap_or(self.in_view);
            self.shown = shown.unwrap_or(self.shown);
            let now = self.in_view && self.shown;
            if before && !now && self.playing {
                self.pause();
                self.resume = true;
            } else if !before && now && std::mem::take(&mut self.resume) {
                self.play(page);
            }
        }
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {
    light::start();
}

/// Natively there is nothing to run: the light embed is a web page.
#[cfg(not(target_arch = "wasm32"))]
fn main() {}
