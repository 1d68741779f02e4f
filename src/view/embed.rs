//! The page's link, without a browser: opening the page from its address (which
//! scenario, its knobs and seed, the moment, the embed's options, and every part
//! that could not be read), when to write the address back, which controls an embed
//! shows and locks, the still picture an embed shows before anyone presses Play, and
//! the `<iframe>` snippet of the "Embed this" dialog.
//!
//! Text that came from a link is only ever quoted inside messages, and the page
//! shows messages as text, never as markup.

use crate::share::url::{self, Embed};
use crate::sim::{Scenario, Shortest, SimDuration, SimTime, Simulation};
use crate::view::format::escape_markup;
use crate::view::knobs::{self, KnobId};
use crate::view::pace::{SPEEDS, SPEED_DEFAULT};
use crate::view::scenarios::{Choice, FILES};

/// The page as its link opens it.
#[derive(Clone, Debug, PartialEq)]
pub struct Opened {
    /// Index into the built-in choices.
    pub selected: usize,
    /// The scenario with the link's knobs and seed applied (`None` when the chosen
    /// built-in scenario itself does not parse).
    pub scenario: Option<Scenario>,
    /// The moment to replay to (within the run).
    pub at: SimTime,
    pub embed: Embed,
    /// `present=1`: open in presenter mode.
    pub present: bool,
    /// `lesson=` named the scenario: open its guided lesson, embedded or not.
    pub lesson: bool,
    /// Every part of the link that could not be read, and what was done instead.
    pub problems: Vec<String>,
}

/// `poison-pill.json` as `poison-pill`: a scenario's name in links.
pub fn scenario_name(file: &str) -> &str {
    file.strip_suffix(".json").unwrap_or(file)
}

/// Reads the page's query string (`location.search`, with or without `?`).
pub fn open(query: &str, choices: &[Choice]) -> Opened {
    let known = |name: &str| {
        choices
            .iter()
            .any(|c| scenario_name(c.file) == name && c.scenario.is_ok())
    };
    let default = choices.first().map_or("", |c| scenario_name(c.file));
    let read = url::parse(query, &known, default);
    let mut problems = read.problems;
    let state = read.state;
    let selected = choices
        .iter()
        .position(|c| scenario_name(c.file) == state.scenario)
        .unwrap_or(0);
    let mut at = state.at;
    let scenario = choices
        .get(selected)
        .and_then(|c| c.scenario.as_ref().ok())
        .map(|s| {
            let mut s = s.clone();
            problems.extend(url::apply_knobs(&mut s, &state.knobs));
            if let Some(seed) = state.seed {
                s.seed = seed;
            }
            let end = SimTime::from_s(s.duration_s);
            if at > end {
                problems.push(format!(
                    "t: {} s is after the end of this run ({} s); showing its end",
                    Shortest(at.0 as f64 / 1_000.0),
                    s.duration_s
                ));
                at = end;
            }
            s
        });
    Opened {
        selected,
        scenario,
        at,
        embed: state.embed,
        present: state.present,
        lesson: state.lesson,
        problems,
    }
}

/// The link of the page's current state: the chosen built-in scenario, every knob
/// changed from it, the seed and the moment (and the embed's options when `embed.on`).
pub fn link(choice: &Choice, current: &Scenario, at: SimTime, embed: &Embed) -> String {
    match &choice.scenario {
        Ok(base) => url::write(scenario_name(choice.file), base, current, at, embed),
        Err(_) => format!("?v={}&s={}", url::VERSION, scenario_name(choice.file)),
    }
}

/// Which controls a page shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Show {
    /// Everything: the controls panel, the time controls, the log, the table.
    All,
    /// The time controls (play, step, speed) over the picture, no knobs.
    Time,
    /// The picture and charts alone, with a Play button.
    None,
}

pub fn show(embed: &Embed) -> Show {
    match embed.ui.as_deref() {
        Some("time") => Show::Time,
        Some("none") => Show::None,
        _ => Show::All,
    }
}

/// The page knob a link key sets, where the page has one (`start` and `efo` are set
/// by links and pasted configurations only).
pub fn knob_of_key(key: &str) -> Option<KnobId> {
    knobs::of_key(key).filter(|k| k.on_page).map(|k| k.id)
}

/// The knobs an embed locks (`lock=all` locks every one).
pub fn locked(embed: &Embed) -> Vec<KnobId> {
    if embed.lock.iter().any(|k| k == "all") {
        return knobs::on_page().map(|k| k.id).collect();
    }
    embed.lock.iter().filter_map(|k| knob_of_key(k)).collect()
}

/// The message a locked knob's change gets.
pub fn locked_message(id: KnobId) -> String {
    format!(
        "{} is locked in this embedded playground: open it in a full page to change it",
        id.knob().name
    )
}

/// The address bar follows the run, but not every frame: a new link is written at
/// once after a change or a pause (`force`), and while running at most once a second.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AddressBar {
    written: String,
    at_ms: Option<f64>,
}

/// While running, the address bar changes at most this often, in wall-clock ms.
pub const ADDRESS_EVERY_MS: f64 = 1_000.0;

impl AddressBar {
    /// Whether `link` should be written now (and, if so, remembers it as written).
    pub fn due(&mut self, link: &str, now_ms: f64, force: bool) -> bool {
        if link == self.written {
            return false;
        }
        let waited = self.at_ms.is_none_or(|t| now_ms - t >= ADDRESS_EVERY_MS);
        if !force && !waited {
            return false;
        }
        self.written = link.to_string();
        self.at_ms = Some(now_ms);
        true
    }

    /// The link the page was opened with counts as written.
    pub fn opened_with(&mut self, link: &str) {
        self.written = link.to_string();
    }
}

/// How far the still picture may run, in simulated time and in events: enough to
/// reach most stories' first turn, cheap enough for a page with five embeds.
pub const STILL_CAP: SimDuration = SimDuration::from_s(600);
pub const STILL_EVENTS_MAX: u64 = 400_000;

/// Runs `sim` to the picture an embed shows before anyone presses Play: the first
/// milestone (the moment the story turns), or, when none comes, ten simulated minutes
/// (or the run's end, or the event budget). Returns what the caption says.
pub fn advance_to_still(sim: &mut Simulation) -> String {
    let cap = (sim.now() + STILL_CAP).min(sim.end());
    let events_cap = sim.events_handled() + STILL_EVENTS_MAX;
    let told = sim.milestones().len();
    while sim.now() < cap && !sim.is_finished() && sim.events_handled() < events_cap {
        let to = (sim.now() + SimDuration::from_s(1)).min(cap);
        while sim.now() < to && !sim.is_finished() && sim.events_handled() < events_cap {
            sim.run_until(to, 10_000);
        }
        if sim.milestones().len() > told {
            break;
        }
    }
    let first = sim
        .milestones()
        .iter()
        .min_by_key(|(_, &t)| t)
        .filter(|_| sim.milestones().len() > told);
    match first {
        Some((m, t)) => format!("Paused at {t}: {}. Press Play to run on.", m.label()),
        None => format!("Paused at {}. Press Play to run.", sim.now()),
    }
}

/// The moment a story is about: for a scenario with a lesson, its last step's moment
/// in an unchanged run (the overflowing sink's lost records at 28 h, the poison pill
/// leaving the stream at 24 h); `None` for a scenario without one, or whose steps the
/// run never reaches.
pub fn story_moment(scenario: &Scenario) -> Option<SimTime> {
    let lesson = scenario.lesson.as_ref()?;
    crate::view::lesson::plan(scenario, lesson)
        .into_iter()
        .flatten()
        .max()
}

/// The events the poster frame of a story may take to compute (the overflowing sink's
/// 28 hours take far fewer).
pub const STORY_EVENTS_MAX: u64 = 4_000_000;

/// Runs `sim` to `at`, the moment its story is about (see [`story_moment`]), for an
/// embed's poster frame, within [`STORY_EVENTS_MAX`] events. Returns what the caption
/// says: Play then plays the story from its start.
pub fn advance_to_story(sim: &mut Simulation, at: SimTime) -> String {
    let to = at.min(sim.end());
    let events_cap = sim.events_handled() + STORY_EVENTS_MAX;
    while sim.now() < to && !sim.is_finished() && sim.events_handled() < events_cap {
        sim.run_until(to, 10_000);
    }
    let latest = sim
        .milestones()
        .iter()
        .filter(|(_, &t)| t <= sim.now())
        .max_by_key(|(_, &t)| t)
        .map(|(m, _)| m.label());
    match latest {
        Some(label) => format!(
            "Paused at {}, the moment this story is about (the last turn: {label}). Press Play to watch it from the start.",
            sim.now()
        ),
        None => format!(
            "Paused at {}, the moment this story is about. Press Play to watch it from the start.",
            sim.now()
        ),
    }
}

/// How long, in wall-clock seconds, an embed's story should take to play to its moment
/// at its pace: long enough to watch, short enough not to lose the reader.
pub const STORY_WALL_S: f64 = 12.0;

/// The story's pace: the slowest of the page's speeds, from the default up, at which
/// the run reaches `moment` within [`STORY_WALL_S`] of wall time; the default for a
/// scenario without a story.
pub fn story_speed(moment: Option<SimTime>) -> f64 {
    let Some(to) = moment else {
        return SPEED_DEFAULT;
    };
    let to_s = to.0 as f64 / 1_000.0;
    let fastest = SPEEDS[SPEEDS.len() - 1];
    SPEEDS
        .iter()
        .copied()
        .filter(|&s| s >= SPEED_DEFAULT)
        .find(|&s| to_s / s <= STORY_WALL_S)
        .unwrap_or(fastest)
}

/// A speed as a link writes it (`speed=3600`).
pub fn speed_text(speed: f64) -> String {
    Shortest(speed).to_string()
}

/// The link `query` (written by [`link`]) naming its scenario with `lesson=`, so that
/// the embed opens the scenario's guided lesson.
pub fn lesson_link(query: &str) -> String {
    let head = format!("?v={}&s=", url::VERSION);
    match query.strip_prefix(&head) {
        Some(rest) => format!("?v={}&lesson={rest}", url::VERSION),
        None => query.to_string(),
    }
}

/// The link as Markdown, for posts and notes that take no `<iframe>`:
/// `[Kinesis Playground: title](address)`. Brackets in the title are escaped, and
/// the address is written between `<` and `>` so that parentheses in it are safe.
pub fn markdown(title: &str, address: &str) -> String {
    let mut t = String::new();
    for c in title.chars() {
        if matches!(c, '[' | ']' | '\\' | '*' | '_' | '`') {
            t.push('\\');
        }
        t.push(c);
    }
    let a: String = address
        .chars()
        .filter(|c| !matches!(c, '<' | '>' | '\n' | '\r'))
        .collect();
    format!("[Kinesis Playground: {t}](<{a}>)")
}

/// The dialog's size presets: what blogs and slide decks use.
pub const SIZE_PRESETS: [(&str, &str, u32); 4] = [
    ("640 × 400", "640px", 400),
    ("800 × 500", "800px", 500),
    ("Slide 16:9 (960 × 540)", "960px", 540),
    ("Full width × 600", "100%", 600),
];

/// The "Embed this" dialog's choices.
#[derive(Clone, Debug, PartialEq)]
pub struct Snippet {
    /// The page's address without its query (`https://example.com/playground/`), or
    /// empty for a relative `src`.
    pub page: String,
    pub width: String,
    pub height_px: u32,
    pub sandbox: bool,
}

/// Sizes a snippet may ask for: a CSS width (`100%` or pixels from 320) and a height.
pub const SNIPPET_HEIGHT_MIN_PX: u32 = 240;
pub const SNIPPET_HEIGHT_MAX_PX: u32 = 2_000;

/// Reads the dialog's width field: `100%`, `NN%` (1 to 100) or pixels 320 to 4000.
pub fn snippet_width(v: &str) -> Result<String, String> {
    let v = v.trim();
    if let Some(p) = v.strip_suffix('%') {
        return match p.trim().parse::<u32>() {
            Ok(p) if (1..=100).contains(&p) => Ok(format!("{p}%")),
            _ => Err(format!(
                "width: {v:?} is not allowed: 1% to 100%, or 320 to 4000 pixels"
            )),
        };
    }
    match v.trim_end_matches("px").trim().parse::<u32>() {
        Ok(px) if (320..=4_000).contains(&px) => Ok(format!("{px}px")),
        _ => Err(format!(
            "width: {v:?} is not allowed: 1% to 100%, or 320 to 4000 pixels"
        )),
    }
}

/// The light embed's folder, next to the full page (`dist/embed/`): a page of its own
/// with its own, smaller WebAssembly (`src/bin/embed.rs`, issue 16).
pub const LIGHT_DIR: &str = "embed/";

/// The light embed's address for the page at `page` (as [`Snippet::page`] holds it):
/// `https://h/p/index.html` and `https://h/p/` give `https://h/p/embed/`,
/// `./index.html` gives `./embed/`, and an empty page `embed/`.
pub fn light_page(page: &str) -> String {
    let folder = page.rfind('/').map_or("", |i| &page[..=i]);
    format!("{folder}{LIGHT_DIR}")
}

/// Whether the light embed shows what the link asks for: everything but a guided
/// lesson (`lesson=`), which only the full page has.
pub fn light_shows(query: &str) -> bool {
    !query
        .trim_start_matches('?')
        .split('&')
        .any(|kv| kv.split('=').next() == Some("lesson"))
}

/// The light embed's link to the full page, from its own folder, with `query`.
pub fn full_from_light(query: &str) -> String {
    format!("../index.html{query}")
}

/// Where the light embed fetches a built-in scenario: the site's copy of
/// `static/scenarios/`, beside its folder.
pub fn scenario_url(file: &str) -> String {
    format!("../scenarios/{file}")
}

/// The built-in file a link names (`s=` or `lesson=`), or the first one when it names
/// none it knows: the one file the light embed fetches. [`open`] then reads the rest of
/// the link (and names what it could not read) against that file alone.
pub fn light_file(query: &str) -> &'static str {
    let known = |name: &str| FILES.iter().any(|f| scenario_name(f) == name);
    let default = FILES.first().map_or("", |f| scenario_name(f));
    let state = url::parse(query, &known, default).state;
    FILES
        .iter()
        .copied()
        .find(|f| scenario_name(f) == state.scenario)
        .or_else(|| FILES.first().copied())
        .unwrap_or("steady.json")
}

/// What the light embed says when its scenario could not be fetched (`why`: the
/// browser's reason, or the HTTP status).
pub fn fetch_failed(file: &str, why: &str) -> String {
    format!(
        "The scenario {} could not be loaded ({why}). The playground's server must serve \
         scenarios/{file} next to the embed; when the embed is framed from another site or \
         sandboxed, it must also allow it with CORS (Access-Control-Allow-Origin: *), as it \
         does for the page's .js and .wasm.",
        scenario_url(file)
    )
}

/// The `<iframe>` that embeds the page at `query` (a link written by [`link`]): the
/// light embed, or for a guided lesson the full page.
pub fn snippet(s: &Snippet, query: &str) -> String {
    let src = if light_shows(query) {
        format!("{}{query}", light_page(&s.page))
    } else {
        format!("{}{query}", s.page)
    };
    let sandbox = if s.sandbox {
        " sandbox=\"allow-scripts allow-popups\""
    } else {
        ""
    };
    format!(
        "<iframe src=\"{}\" title=\"Kinesis Playground\" loading=\"lazy\" allow=\"fullscreen\"{sandbox}\n        style=\"width:{};height:{}px;max-width:100%;border:0\"></iframe>",
        escape_markup(&src),
        escape_markup(&s.width),
        s.height_px.clamp(SNIPPET_HEIGHT_MIN_PX, SNIPPET_HEIGHT_MAX_PX),
    )
}

/// The page's address without query or fragment: `https://h/p/index.html?x#y` gives
/// `https://h/p/index.html`.
pub fn page_address(href: &str) -> String {
    let end = href.find(['?', '#']).unwrap_or(href.len());
    href[..end].to_string()
}

/// The page's file relative to its own folder, for an `src` on the same site:
/// `https://h/p/index.html?x` gives `./index.html`, `https://h/p/` gives `./`. Always
/// `./` first, so a path segment such as `javascript:x` is never read as a scheme.
pub fn relative_page(href: &str) -> String {
    let page = page_address(href);
    match page.rsplit_once('/') {
        Some((_, file)) if !file.is_empty() => format!("./{file}"),
        _ => "./".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::scenarios::choices;

    #[test]
    fn every_link_key_with_a_page_knob_names_the_same_setting() {
        for (key, name) in url::knob_keys() {
            match knob_of_key(key) {
                Some(id) => assert_eq!(id.knob().name, name, "{key}"),
                None => assert!(["start", "efo"].contains(&key), "{key} has no page knob"),
            }
        }
        // And every page knob can be carried by a link, and locked.
        for k in knobs::on_page() {
            assert!(
                url::knob_keys().any(|(key, _)| knob_of_key(key) == Some(k.id)),
                "{} cannot be carried by a link",
                k.name
            );
            let lock = Embed {
                lock: vec![k.key.to_string()],
                ..Embed::default()
            };
            assert_eq!(locked(&lock), vec![k.id]);
        }
    }

    #[test]
    fn the_address_bar_is_written_on_changes_and_at_most_once_a_second_while_running() {
        let mut bar = AddressBar::default();
        bar.opened_with("?v=1&s=steady");
        assert!(!bar.due("?v=1&s=steady", 0.0, true), "unchanged");
        assert!(bar.due("?v=1&s=steady&t=1", 10.0, false), "the first write");
        assert!(!bar.due("?v=1&s=steady&t=1.5", 500.0, false), "too soon");
        assert!(
            bar.due("?v=1&s=steady&t=1.5", 600.0, true),
            "a change or pause"
        );
        assert!(!bar.due("?v=1&s=steady&t=2", 1_500.0, false));
        assert!(
            bar.due("?v=1&s=steady&t=2", 1_600.0, false),
            "a second later"
        );
    }

    #[test]
    fn a_link_opens_its_scenario_with_its_knobs_seed_and_moment() {
        let all = choices();
        let o = open("?v=1&s=poison-pill&seed=9&t=90&batch=10&ui=time", &all);
        assert!(o.problems.is_empty(), "{:?}", o.problems);
        assert_eq!(scenario_name(all[o.selected].file), "poison-pill");
        let s = o.scenario.expect("runs");
        assert_eq!((s.seed, s.event_source_mappings[0].batch_size), (9, 10));
        assert_eq!(o.at, SimTime(90_000));
        assert_eq!(show(&o.embed), Show::Time);
        // And the link of that state is the link it was opened with.
        assert_eq!(
            link(&all[o.selected], &s, o.at, &o.embed),
            "?v=1&s=poison-pill&seed=9&t=90&batch=10"
        );
    }

    #[test]
    fn every_malformed_link_opens_a_valid_run_with_a_message() {
        let all = choices();
        for link in [
            "?v=1&s=poi",
            "?v=1&s=poison-pill&batch=",
            "?v=1&s=poison-pill&ba",
            "?v=1&s=poison-pill&batch=1%",
            "?shards=abc",
            "?shards=0",
            "?age=30",
            "?t=NaN",
            "?t=-1",
            "?seed=-1",
            "?v=99",
            "?s=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
            "?title=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
            "?theme=%22%3E%3Csvg%20onload%3Dx%3E&embed=1",
            "?ui=everything&embed=1",
            "?lock=nothing&embed=1",
            "?embed=yes",
            "?s=poison-pill&pf=2&tumble=60",
            "?s=steady&batch=50",
            "?%FF=1",
            "?s=tumbling-windows&length=1",
        ] {
            let o = open(link, &all);
            assert!(!o.problems.is_empty(), "{link}: no message");
            let s = o.scenario.as_ref().expect("a scenario");
            assert!(s.validate().is_ok(), "{link}: not a valid run");
            // The page's own link of that state opens cleanly: the bad parts are gone.
            let again = link_of(&all, &o);
            let reopened = open(&again, &all);
            assert!(
                reopened.problems.is_empty(),
                "{link} -> {again}: {:?}",
                reopened.problems
            );
            assert_eq!(reopened.scenario.as_ref(), Some(s), "{link}");
        }
    }

    fn link_of(all: &[Choice], o: &Opened) -> String {
        let s = o.scenario.as_ref().expect("a scenario");
        link(&all[o.selected], s, o.at, &o.embed)
    }

    #[test]
    fn a_moment_after_the_end_is_named_and_clamped() {
        let all = choices();
        let o = open("?s=steady&length=60&t=500", &all);
        assert_eq!(o.at, SimTime(60_000));
        assert!(
            o.problems[0].contains("t: 500 s is after the end of this run (60 s)"),
            "{:?}",
            o.problems
        );
    }

    #[test]
    fn locks_name_page_knobs_and_all_locks_every_one() {
        let mut e = Embed {
            lock: vec!["shards".into(), "pf".into(), "efo".into()],
            ..Embed::default()
        };
        assert_eq!(
            locked(&e),
            vec![KnobId::ShardCount, KnobId::ParallelizationFactor]
        );
        e.lock = vec!["all".into()];
        assert_eq!(locked(&e).len(), knobs::on_page().count());
        assert!(locked_message(KnobId::BatchSize).starts_with("BatchSize is locked"));
    }

    #[test]
    fn the_still_picture_stops_at_the_first_milestone() {
        let all = choices();
        let o = open("?s=poison-pill", &all);
        let s = o.scenario.expect("runs");
        let mut sim = Simulation::new(&s);
        let caption = advance_to_still(&mut sim);
        let (m, t) = sim
            .milestones()
            .iter()
            .min_by_key(|(_, &t)| t)
            .expect("a milestone within ten minutes");
        assert!(sim.now() >= *t && sim.now() <= *t + SimDuration::from_s(1));
        assert!(caption.contains(m.label()), "{caption}");
        // Deterministic: the same still every time.
        let mut again = Simulation::new(&s);
        assert_eq!(advance_to_still(&mut again), caption);
        // A scenario where nothing goes wrong stops at ten minutes.
        let steady = open("?s=steady", &all).scenario.expect("runs");
        let mut sim = Simulation::new(&steady);
        let caption = advance_to_still(&mut sim);
        assert!(sim.milestones().is_empty());
        assert_eq!(sim.now(), SimTime::ZERO + STILL_CAP);
        assert!(caption.starts_with("Paused at 00:10:00"), "{caption}");
    }

    #[test]
    fn a_story_is_embedded_at_its_moment_and_its_pace() {
        let all = choices();
        let sink = open("?s=overflowing-sink", &all).scenario.expect("runs");
        let at = story_moment(&sink).expect("the sink's lesson has moments");
        // The lost count's step, past the day the pill blocked the shard.
        assert!(at >= SimTime::from_s(26 * 3_600), "{at}");
        let speed = story_speed(Some(at));
        let wall_s = at.0 as f64 / 1_000.0 / speed;
        assert!(
            (2.0..=STORY_WALL_S).contains(&wall_s),
            "{speed}x: {wall_s} s"
        );
        // Its poster frame is that moment, deterministically.
        let mut sim = Simulation::new(&sink);
        let caption = advance_to_story(&mut sim, at);
        assert_eq!(sim.now(), at);
        assert!(sim.totals().records_written > 0);
        assert!(
            caption.contains("the moment this story is about"),
            "{caption}"
        );
        assert!(
            caption.contains("Press Play to watch it from the start"),
            "{caption}"
        );
        let mut again = Simulation::new(&sink);
        assert_eq!(advance_to_story(&mut again, at), caption);
        // A short scenario without a lesson keeps the default pace.
        let steady = open("?s=steady&length=600", &all).scenario.expect("runs");
        assert_eq!(story_moment(&steady), None);
        assert_eq!(story_speed(None), SPEED_DEFAULT);
        // The speed travels in the link, and a bad one is named.
        let e = Embed {
            on: true,
            speed: Some(speed_text(speed)),
            ..Embed::default()
        };
        let q = link(
            &all[open("?s=overflowing-sink", &all).selected],
            &sink,
            at,
            &e,
        );
        assert!(q.contains(&format!("&speed={speed}")), "{q}");
        let back = open(&q, &all);
        assert!(back.problems.is_empty(), "{:?}", back.problems);
        assert_eq!(
            (back.at, back.embed.speed.as_deref()),
            (at, Some(&*speed_text(speed)))
        );
        let bad = open("?s=steady&embed=1&speed=7", &all);
        assert!(bad.problems[0].starts_with("speed: \"7\" is not one of the page's speeds"));
        assert_eq!(bad.embed.speed, None);
        // And a lesson's link names it with lesson=.
        assert_eq!(
            lesson_link("?v=1&s=poison-pill&embed=1"),
            "?v=1&lesson=poison-pill&embed=1"
        );
        assert!(open(&lesson_link(&q), &all).lesson);
    }

    #[test]
    fn the_markdown_form_is_a_link_that_markup_cannot_break() {
        assert_eq!(
            markdown("One poison pill", "https://h/p/?v=1&s=poison-pill"),
            "[Kinesis Playground: One poison pill](<https://h/p/?v=1&s=poison-pill>)"
        );
        assert_eq!(
            markdown("a [b] *c*", "https://h/(x)>y"),
            "[Kinesis Playground: a \\[b\\] \\*c\\*](<https://h/(x)y>)"
        );
        for (_, w, h) in SIZE_PRESETS {
            assert_eq!(snippet_width(w).as_deref(), Ok(w));
            assert!((SNIPPET_HEIGHT_MIN_PX..=SNIPPET_HEIGHT_MAX_PX).contains(&h));
        }
    }

    #[test]
    fn the_snippet_escapes_its_address_and_checks_its_size() {
        let s = Snippet {
            page: "https://example.com/a\"b/".into(),
            width: snippet_width("100%").expect("ok"),
            height_px: 600,
            sandbox: true,
        };
        let html = snippet(&s, "?v=1&s=steady&embed=1");
        assert!(html
            .contains("src=\"https://example.com/a&quot;b/embed/?v=1&amp;s=steady&amp;embed=1\""));
        // A lesson is the full page's.
        let lesson = snippet(&s, "?v=1&lesson=poison-pill&embed=1");
        assert!(lesson.contains("src=\"https://example.com/a&quot;b/?v=1&amp;lesson=poison-pill"));
        assert!(html.contains("sandbox=\"allow-scripts allow-popups\""));
        assert!(html.contains("allow=\"fullscreen\""));
        assert!(html.contains("width:100%;height:600px"));
        assert_eq!(snippet_width("640").as_deref(), Ok("640px"));
        assert_eq!(snippet_width(" 800px ").as_deref(), Ok("800px"));
        for bad in ["200", "0%", "150%", "wide", "\"><script>"] {
            let e = snippet_width(bad).expect_err(bad);
            assert!(e.contains("1% to 100%, or 320 to 4000 pixels"), "{e}");
        }
        assert_eq!(
            page_address("http://h/some/path/index.html?v=1#x"),
            "http://h/some/path/index.html"
        );
        assert_eq!(page_address("http://h/p/"), "http://h/p/");
        assert_eq!(relative_page("http://h/p/index.html?v=1"), "./index.html");
        assert_eq!(
            relative_page("http://h/p/javascript:alert(1)?v=1"),
            "./javascript:alert(1)"
        );
        assert_eq!(relative_page("http://h/p/?v=1#x"), "./");
    }

    #[test]
    fn the_light_embed_sits_beside_the_page_and_fetches_the_one_scenario_named() {
        assert_eq!(light_page("https://h/p/index.html"), "https://h/p/embed/");
        assert_eq!(light_page("https://h/p/"), "https://h/p/embed/");
        assert_eq!(light_page("./index.html"), "./embed/");
        assert_eq!(light_page(""), "embed/");
        assert_eq!(light_file("?v=1&s=poison-pill&embed=1"), "poison-pill.json");
        assert_eq!(
            light_file("?lesson=overflowing-sink"),
            "overflowing-sink.json"
        );
        // No name, or one it does not know: the first, and open() names the problem.
        assert_eq!(light_file(""), "steady.json");
        assert_eq!(light_file("?s=nope&embed=1"), "steady.json");
        let one = [crate::view::scenarios::choice(
            "steady.json",
            crate::view::scenarios::BUILT_IN[0].json,
        )];
        let o = open("?v=1&s=nope&embed=1&ui=time", &one);
        assert!(o.scenario.is_some());
        assert!(
            o.problems.iter().any(|p| p.contains("nope")),
            "{:?}",
            o.problems
        );
        // The light embed opens a link exactly as the full page does.
        let q = "?v=1&s=poison-pill&shards=8&seed=7&t=90&embed=1&ui=none&theme=dark";
        let file = light_file(q);
        let json = crate::view::scenarios::BUILT_IN
            .iter()
            .find(|b| b.file == file)
            .expect("built in")
            .json;
        let light = open(q, &[crate::view::scenarios::choice(file, json)]);
        let full = open(q, &choices());
        assert_eq!(light.scenario, full.scenario);
        assert_eq!((light.at, &light.embed), (full.at, &full.embed));
        assert_eq!(light.problems, full.problems);
        assert!(light_shows(q));
        assert!(!light_shows("?v=1&lesson=poison-pill&embed=1"));
        assert_eq!(
            full_from_light("?v=1&s=steady"),
            "../index.html?v=1&s=steady"
        );
        let m = fetch_failed("steady.json", "TypeError: Failed to fetch");
        assert!(
            m.contains("../scenarios/steady.json") && m.contains("CORS"),
            "{m}"
        );
    }
}
