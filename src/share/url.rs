//! The URL holds the state: which scenario, its seed, every setting changed from it,
//! and the moment on the clock, in a versioned and readable query string:
//!
//! `?v=1&s=poison-pill&seed=7&t=3600&shards=4&rate=800&bisect=1`
//!
//! The stream's reshards, a list, are one part of their own ([`RESHARDS_KEY`]):
//! `reshards=120:4,240:split:1,300:merge:2:3` (see [`reshards_text`]).
//!
//! Opening the link replays the same run to the same moment. A part that cannot be
//! read (unknown key, wrong type, out of range, a scenario that does not exist) is
//! named in a message and falls back to the scenario's own value; the rest of the link
//! still applies. Nothing in a link is ever shown as markup: messages quote it.

use crate::share::decimal::parse_f64;
use crate::sim::{shard_id, Reshard, Scenario, Shortest, SimTime, UNIFORM_SCALING};
use crate::view::knobs::{self, set, Group, Int, Knob, KnobId, Target, Text, KNOBS};

/// The URL format this build writes. Older versions are read by `parse`.
pub const VERSION: u32 = 1;

/// Longest link part we read; a longer value is refused, not truncated.
const VALUE_LEN_MAX: usize = 200;
/// Longest `reshards=` we read: a list, with hash keys of up to 39 digits.
const RESHARDS_LEN_MAX: usize = 2_000;

fn num<T: std::str::FromStr + Into<f64>>(v: &str, what: &str) -> Result<f64, String> {
    v.parse::<T>()
        .map(Into::into)
        .map_err(|_| format!("{v:?} is not {what}"))
}

fn flag(v: &str) -> Result<bool, String> {
    match v {
        "1" | "true" | "on" => Ok(true),
        "0" | "false" | "off" => Ok(false),
        _ => Err(format!("{v:?} is not 1 or 0")),
    }
}

/// "a, b or c".
fn either(words: &[&str]) -> String {
    match words.split_last() {
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// A knob's value as a link writes it.
fn text_of(text: Text, v: f64) -> String {
    match text {
        Text::Whole(..) => format!("{}", v as i64),
        Text::Number(_) => Shortest(v).to_string(),
        Text::Flag => if v != 0.0 { "1" } else { "0" }.to_string(),
        Text::Words(words) => words
            .get(v.max(0.0) as usize)
            .map_or_else(|| Shortest(v).to_string(), |w| (*w).to_string()),
        Text::WholeOrNone(_) if v < 0.0 => "none".to_string(),
        Text::WholeOrNone(_) => format!("{}", v as i64),
    }
}

/// A knob's value read from a link, or what is wrong with it.
fn value_of(text: Text, v: &str) -> Result<f64, String> {
    match text {
        Text::Whole(Int::U32, what) => num::<u32>(v, what),
        Text::Whole(Int::I32, what) => num::<i32>(v, what),
        // A u64 field: read whole, then as the f64 every knob value is.
        Text::Whole(Int::U64, what) => v
            .parse::<u64>()
            .map(|n| n as f64)
            .map_err(|_| format!("{v:?} is not {what}")),
        Text::Number(what) => parse_f64(v).ok_or_else(|| format!("{v:?} is not {what}")),
        Text::Flag => flag(v).map(|on| if on { 1.0 } else { 0.0 }),
        Text::Words(words) => words
            .iter()
            .position(|w| *w == v)
            .map(|i| i as f64)
            .ok_or_else(|| format!("{v:?} is not {}", either(words))),
        Text::WholeOrNone(_) if v == "none" => Ok(-1.0),
        Text::WholeOrNone(what) => num::<u32>(v, what),
    }
}

/// The first mapping and the function it invokes: what a link's knobs set.
fn first(s: &Scenario) -> Target {
    Target::of_mapping(s, 0)
}

/// A knob's value in `s` as a link writes it; empty when the scenario lacks what it
/// sets (no mapping, no function, no producer).
fn link_value(knob: &Knob, s: &Scenario) -> String {
    if knob.group == Group::Producer && s.producer.is_none() {
        return String::new();
    }
    (knob.get)(s, first(s)).map_or_else(String::new, |v| text_of(knob.text, v))
}

/// Writes a link's value into `s` (the range is checked by the caller's validation).
fn set_from_link(knob: &Knob, s: &mut Scenario, v: &str) -> Result<(), String> {
    let value = value_of(knob.text, v)?;
    let target = first(s);
    set(knob.id, s, target, value)
}

/// The link key of the stream's reshards, all of them in order (link format v1,
/// since session 7; never reused).
pub const RESHARDS_KEY: &str = "reshards";

/// What a `reshards=` value may hold, for messages.
const RESHARDS_ALLOWED: &str = "allowed none, or reshards separated by commas, each AT:N (UpdateShardCount to N shards at second AT), AT:split:SHARD or AT:split:SHARD:HASHKEY (SplitShard), or AT:merge:SHARD:ADJACENT (MergeShards), a SHARD as its number (3 for shardId-000000000003) or its id";

/// A shard id as a link writes it: its number when it is one of the playground's ids.
fn shard_text(id: &str) -> String {
    match id
        .strip_prefix("shardId-")
        .and_then(|n| n.parse::<u32>().ok())
    {
        Some(n) if shard_id(n) == id => n.to_string(),
        _ => id.to_string(),
    }
}

/// A shard as a link names it: a number, or an id as written.
fn shard_of(v: &str) -> Option<String> {
    if v.is_empty() {
        return None;
    }
    Some(match v.parse::<u32>() {
        Ok(n) => shard_id(n),
        Err(_) => v.to_string(),
    })
}

/// The stream's reshards as a link writes them: `none`, or each as `AT:N`
/// (UpdateShardCount; ScalingType is always UNIFORM_SCALING, the only one AWS has),
/// `AT:split:SHARD[:HASHKEY]` or `AT:merge:SHARD:ADJACENT`, separated by commas. A
/// reshard that is not one operation (which validation refuses) is written as its
/// parts would read back.
pub fn reshards_text(reshards: &[Reshard]) -> String {
    if reshards.is_empty() {
        return "none".to_string();
    }
    let one = |r: &Reshard| {
        let at = r.at_s;
        if let Some(n) = r.target_shard_count {
            return format!("{at}:{n}");
        }
        if let Some(shard) = &r.shard_to_split {
            return match &r.new_starting_hash_key {
                Some(k) => format!("{at}:split:{}:{k}", shard_text(shard)),
                None => format!("{at}:split:{}", shard_text(shard)),
            };
        }
        format!(
            "{at}:merge:{}:{}",
            shard_text(r.shard_to_merge.as_deref().unwrap_or_default()),
            shard_text(r.adjacent_shard_to_merge.as_deref().unwrap_or_default())
        )
    };
    reshards.iter().map(one).collect::<Vec<_>>().join(",")
}

/// Reads a `reshards=` value, or says which reshard cannot be read and what is
/// allowed. Whether the reshards suit the stream is the scenario's validation's.
pub fn reshards_of(v: &str) -> Result<Vec<Reshard>, String> {
    if v == "none" {
        return Ok(Vec::new());
    }
    v.split(',')
        .map(|item| {
            let bad = || format!("{} is not a reshard: {RESHARDS_ALLOWED}", quote(item));
            let parts: Vec<&str> = item.split(':').collect();
            let at_s = parts
                .first()
                .and_then(|a| a.parse::<u64>().ok())
                .ok_or_else(bad)?;
            let shard = |i: usize| parts.get(i).and_then(|p| shard_of(p)).ok_or_else(bad);
            let r = match parts.get(1..).unwrap_or_default() {
                [n] => Reshard {
                    at_s,
                    target_shard_count: Some(n.parse().map_err(|_| bad())?),
                    scaling_type: Some(UNIFORM_SCALING.to_string()),
                    ..Reshard::default()
                },
                ["split", _] | ["split", _, _] => Reshard {
                    at_s,
                    shard_to_split: Some(shard(2)?),
                    new_starting_hash_key: parts.get(3).map(|k| (*k).to_string()),
                    ..Reshard::default()
                },
                ["merge", _, _] => Reshard {
                    at_s,
                    shard_to_merge: Some(shard(2)?),
                    adjacent_shard_to_merge: Some(shard(3)?),
                    ..Reshard::default()
                },
                _ => return Err(bad()),
            };
            Ok(r)
        })
        .collect()
}

/// Options for a page embedded in another (`embed=1`), carried by the same link.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Embed {
    pub on: bool,
    /// `light`, `dark` or `transparent`; none follows the reader's system.
    pub theme: Option<String>,
    pub autoplay: bool,
    /// Knob keys the reader may not change.
    pub lock: Vec<String>,
    /// `all`, `time` or `none`: which controls show (none: the picture alone).
    /// Earlier links said `full` (read as `all`) and `min` (read as `time`).
    pub ui: Option<String>,
    /// `speed=3600`: the speed the embed plays at, one of the page's speeds (simulated
    /// seconds per second), written as the link had it; none is the page's default.
    pub speed: Option<String>,
}

/// Reads a `speed=` value: one of the page's speeds.
pub fn speed_value(v: &str) -> Option<f64> {
    let f = parse_f64(v)?;
    crate::view::pace::SPEEDS.iter().copied().find(|&s| s == f)
}

/// The `ui` values a link may carry, and what older links wrote for them.
pub const UI_VALUES: [&str; 3] = ["all", "time", "none"];

fn ui_value(v: &str) -> Option<&'static str> {
    match v {
        "all" | "full" => Some("all"),
        "time" | "min" => Some("time"),
        "none" => Some("none"),
        _ => None,
    }
}

/// What a link says.
#[derive(Clone, Debug, PartialEq)]
pub struct State {
    /// The link format's version the link was written in.
    pub version: u32,
    /// The built-in scenario's file name without `.json`.
    pub scenario: String,
    pub seed: Option<u64>,
    /// The moment on the clock to replay to.
    pub at: SimTime,
    /// Knob keys and values, as written, to apply to the scenario.
    pub knobs: Vec<(String, String)>,
    pub embed: Embed,
    /// `present=1`: open in presenter mode.
    pub present: bool,
    /// The scenario was named by `lesson=`: open its guided lesson (an embed opens
    /// one only when asked this way).
    pub lesson: bool,
}

/// A link read, with every part it could not read named.
#[derive(Clone, Debug, PartialEq)]
pub struct Read {
    pub state: State,
    pub problems: Vec<String>,
}

fn decode(s: &str) -> Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = s
                    .get(i + 1..i + 3)
                    .ok_or("a % that is not followed by two hex digits")?;
                out.push(
                    u8::from_str_radix(hex, 16)
                        .map_err(|_| format!("%{hex} is not a hex escape"))?,
                );
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| "an escape that is not UTF-8".to_string())
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Quotes a value for a message, short and inert.
fn quote(v: &str) -> String {
    let short: String = v.chars().take(40).collect();
    let more = if v.chars().count() > 40 { "..." } else { "" };
    format!("{:?}", format!("{short}{more}"))
}

/// Reads a query string (with or without the leading `?`). `known_scenario` says
/// whether a built-in scenario of that name exists; `default_scenario` is used when
/// the link names none or an unknown one.
pub fn parse(query: &str, known_scenario: &dyn Fn(&str) -> bool, default_scenario: &str) -> Read {
    let mut problems = Vec::new();
    let mut state = State {
        version: VERSION,
        scenario: default_scenario.to_string(),
        seed: None,
        at: SimTime::ZERO,
        knobs: Vec::new(),
        embed: Embed::default(),
        present: false,
        lesson: false,
    };
    let query = query.strip_prefix('?').unwrap_or(query);
    for part in query.split('&').filter(|p| !p.is_empty()) {
        let (raw_key, raw_value) = part.split_once('=').unwrap_or((part, ""));
        let (key, value) = match (decode(raw_key), decode(raw_value)) {
            (Ok(k), Ok(v)) => (k, v),
            (Err(e), _) | (_, Err(e)) => {
                problems.push(format!(
                    "the link part {} could not be read: {e}; it was ignored",
                    quote(part)
                ));
                continue;
            }
        };
        let len_max = if key == RESHARDS_KEY {
            RESHARDS_LEN_MAX
        } else {
            VALUE_LEN_MAX
        };
        if value.len() > len_max {
            problems.push(format!(
                "{key}: a value of {} characters is too long (allowed {len_max}); it was ignored",
                value.len()
            ));
            continue;
        }
        match key.as_str() {
            "v" => match value.parse::<u32>() {
                Ok(v) if (1..=VERSION).contains(&v) => state.version = v,
                _ => problems.push(format!("v: {} is not a link version this page reads (allowed 1 to {VERSION}); reading it as version {VERSION}", quote(&value))),
            },
            // `lesson=` names the scenario too: a lesson is a scenario with a `lesson`.
            "s" | "lesson" => {
                if known_scenario(&value) {
                    state.scenario = value;
                    state.lesson = key == "lesson";
                } else {
                    problems.push(format!("{key}: there is no built-in scenario {}; showing {default_scenario} instead", quote(&value)));
                }
            }
            "present" => match flag(&value) {
                Ok(on) => state.present = on,
                Err(e) => problems.push(format!("present: {e}; not presenting")),
            },
            "seed" => match value.parse() {
                Ok(seed) => state.seed = Some(seed),
                Err(_) => problems.push(format!("seed: {} is not a whole number from 0 to 18446744073709551615; using the scenario's seed", quote(&value))),
            },
            "t" => match parse_f64(&value) {
                Some(t) if t.is_finite() && (0.0..=31_622_400.0).contains(&t) => state.at = SimTime((t * 1_000.0).round() as u64),
                _ => problems.push(format!("t: {} is not a time in seconds from 0 to 31622400; starting at 0", quote(&value))),
            },
            "embed" => match flag(&value) {
                Ok(on) => state.embed.on = on,
                Err(e) => problems.push(format!("embed: {e}; not embedded")),
            },
            "autoplay" => match flag(&value) {
                Ok(on) => state.embed.autoplay = on,
                Err(e) => problems.push(format!("autoplay: {e}; no autoplay")),
            },
            "theme" => match value.as_str() {
                "light" | "dark" | "transparent" => state.embed.theme = Some(value),
                _ => problems.push(format!("theme: {} is not light, dark or transparent; following the system", quote(&value))),
            },
            "speed" => match speed_value(&value) {
                Some(_) => state.embed.speed = Some(value),
                None => problems.push(format!("speed: {} is not one of the page's speeds (0.1, 0.25, 0.5, 1, 10, 60, 600, 3600, 10000, 36000 or 100000); playing at 60", quote(&value))),
            },
            "ui" => match ui_value(&value) {
                Some(ui) => state.embed.ui = Some(ui.to_string()),
                None => problems.push(format!("ui: {} is not all, time or none; showing all", quote(&value))),
            },
            "lock" => {
                for k in value.split(',').filter(|k| !k.is_empty()) {
                    if k == "all" || knobs::of_key(k).is_some() {
                        state.embed.lock.push(k.to_string());
                    } else {
                        problems.push(format!("lock: {} is not a setting a link can carry (nor all); ignored", quote(k)));
                    }
                }
            }
            k if k == RESHARDS_KEY || knobs::of_key(k).is_some() => state.knobs.push((key.clone(), value)),
            _ => problems.push(format!("{} is not a part of a playground link; ignored", quote(&key))),
        }
    }
    // A link without `v` reads as version 1, the first. When a later version renames
    // or rescales a knob, the translation from older versions goes here, keyed on
    // `state.version`, so that links in old blog posts keep replaying.
    Read { state, problems }
}

/// Applies a link's knobs (and its reshards) to `scenario`, one by one: a knob whose
/// value cannot be read or that makes the scenario invalid is named and left at the
/// scenario's value. One that is refused is tried again once after the others, so
/// that the order of a link's parts does not matter where one setting's range depends
/// on another's (the shards and the reshards).
pub fn apply_knobs(scenario: &mut Scenario, knobs: &[(String, String)]) -> Vec<String> {
    let mut refused = Vec::new();
    for (key, value) in knobs {
        if let Err(e) = apply_one(scenario, key, value) {
            refused.push((key, value, e));
        }
    }
    let mut problems = Vec::new();
    for (key, value, first) in refused {
        if apply_one(scenario, key, value).is_err() {
            problems.push(first);
        }
    }
    problems
}

/// Applies one part of a link, or says why not (and nothing changes).
fn apply_one(scenario: &mut Scenario, key: &str, value: &str) -> Result<(), String> {
    let mut next = scenario.clone();
    if key == RESHARDS_KEY {
        let done = reshards_of(value).and_then(|r| {
            next.stream.reshards = r;
            next.validate().map_err(|e| e.to_string())
        });
        return match done {
            Ok(()) => {
                *scenario = next;
                Ok(())
            }
            Err(e) => Err(format!(
                "{key} (the stream's UpdateShardCount, SplitShard and MergeShards): {e}; kept {}",
                quote(&reshards_text(&scenario.stream.reshards))
            )),
        };
    }
    let Some(knob) = knobs::of_key(key) else {
        return Err(format!(
            "{} is not a setting a link can carry; ignored",
            quote(key)
        ));
    };
    let done = set_from_link(knob, &mut next, value)
        .and_then(|()| next.validate().map_err(|e| e.to_string()));
    match done {
        Ok(()) => {
            *scenario = next;
            Ok(())
        }
        Err(e) => Err(format!(
            "{key} ({}): {e}; kept {}",
            knob.name,
            quote(&link_value(knob, scenario))
        )),
    }
}

/// The link for a run: the scenario's name, the seed, every knob whose value differs
/// from `base` (the built-in scenario as shipped), and the moment.
pub fn write(
    name: &str,
    base: &Scenario,
    current: &Scenario,
    at: SimTime,
    embed: &Embed,
) -> String {
    let mut parts = vec![format!("v={VERSION}"), format!("s={}", encode(name))];
    if current.seed != base.seed {
        parts.push(format!("seed={}", current.seed));
    }
    if at > SimTime::ZERO {
        let s = Shortest(at.0 as f64 / 1_000.0);
        parts.push(format!("t={s}"));
    }
    for knob in KNOBS {
        if matches!(knob.id, KnobId::TargetShardCount | KnobId::ReshardAtS) {
            continue; // `reshards=` below carries them with the others
        }
        let (was, is) = (link_value(knob, base), link_value(knob, current));
        if was != is && !is.is_empty() {
            parts.push(format!("{}={}", knob.key, encode(&is)));
        }
    }
    let reshards = reshards_text(&current.stream.reshards);
    if reshards != reshards_text(&base.stream.reshards) {
        // `:` and `,` may stand unescaped in a query (RFC 3986's pchar and
        // sub-delims), which keeps the list readable.
        let readable = encode(&reshards).replace("%3A", ":").replace("%2C", ",");
        parts.push(format!("{RESHARDS_KEY}={readable}"));
    }
    if embed.on {
        parts.push("embed=1".into());
        if let Some(t) = &embed.theme {
            parts.push(format!("theme={t}"));
        }
        if embed.autoplay {
            parts.push("autoplay=1".into());
        }
        if let Some(u) = &embed.ui {
            parts.push(format!("ui={u}"));
        }
        if let Some(v) = &embed.speed {
            parts.push(format!("speed={}", encode(v)));
        }
        if !embed.lock.is_empty() {
            parts.push(format!("lock={}", embed.lock.join(",")));
        }
    }
    format!("?{}", parts.join("&"))
}

/// Every key a link may carry, for documentation and the embed dialog.
pub fn knob_keys() -> impl Iterator<Item = (&'static str, &'static str)> {
    KNOBS.iter().map(|k| (k.key, k.name))
}
