//! The built-in scenarios, embedded in the full page's binary from
//! `static/scenarios/*.json` (the same files are copied into the site, so the page can
//! also link them). The light embed (`src/bin/embed.rs`) names them with [`FILES`]
//! only and fetches the one its link asks for, so that their JSON is not in its wasm.
//!
//! Pure: no web APIs, so its tests check natively that every file in
//! `static/scenarios/` is embedded and parses.
//!
//! [`parse`] is how the page and the CLI read a scenario: the core's parser, and then
//! the settings a challenge offers named against the settings table (`view::knobs`),
//! which the core cannot read.

use crate::sim::{parse_scenario, FieldError, Scenario, ScenarioError};
use crate::view::knobs;

/// One file of `static/scenarios/`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BuiltIn {
    pub file: &'static str,
    pub json: &'static str,
}

macro_rules! built_in {
    ($($file:literal),* $(,)?) => {
        /// Every built-in scenario, in the order the picker lists them; the first is
        /// shown when the page opens.
        pub const BUILT_IN: &[BuiltIn] = &[$(BuiltIn { file: $file, json: include_str!(concat!("../../static/scenarios/", $file)) }),*];
        /// The same files' names alone, in the same order (the light embed's list: it
        /// carries no JSON).
        pub const FILES: &[&str] = &[$($file),*];
    };
}

built_in! {
    "steady.json",
    "hot-key.json",
    "burst-hidden-by-the-minute.json",
    "partial-failures.json",
    "timeouts-and-duplicates.json",
    "explicit-puts.json",
    "poison-pill.json",
    "overflowing-sink.json",
    "fixes-compared.json",
    "at-least-once.json",
    "scaling-reads.json",
    "concurrency-budget.json",
    "tumbling-windows.json",
    "several-consumers.json",
    "on-demand-throttles-anyway.json",
    "hot-key-after-resharding.json",
    "challenge-poison-pill.json",
    "challenge-keep-checkout-alive.json",
    "challenge-keep-up.json",
    "heavy-100-shards-pf10.json",
}

/// A built-in scenario as the picker offers it.
#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    pub file: &'static str,
    /// The scenario's title, or its file name when it has none or fails to parse.
    pub title: String,
    /// The parsed scenario, or every problem found in it.
    pub scenario: Result<Scenario, String>,
}

/// Parses every built-in scenario. A file that fails stays in the list with its
/// errors, so the page can show them instead of hiding the file.
pub fn choices() -> Vec<Choice> {
    BUILT_IN.iter().map(|b| choice(b.file, b.json)).collect()
}

/// One built-in scenario parsed from its JSON (compiled in, or fetched by the light
/// embed).
pub fn choice(file: &'static str, json: &str) -> Choice {
    let scenario = parse(json).map_err(|e| e.to_string());
    let title = match &scenario {
        Ok(s) if !s.title.is_empty() => s.title.clone(),
        _ => file.trim_end_matches(".json").to_string(),
    };
    Choice {
        file,
        title,
        scenario,
    }
}

/// Reads a scenario as the page and the CLI do: [`parse_scenario`], and then every
/// setting its challenge offers must be a setting of the page, by the name the page
/// shows. When the core refused the scenario too, its errors come first and these
/// follow, so one reading names every problem.
pub fn parse(json: &str) -> Result<Scenario, ScenarioError> {
    match parse_scenario(json) {
        Ok(s) => {
            let errors = challenge_settings_unknown(&s);
            if errors.is_empty() {
                Ok(s)
            } else {
                Err(ScenarioError { errors })
            }
        }
        Err(mut e) => {
            // Refused by a rule of the core, not for its shape: its challenge can
            // still be read.
            if let Ok(s) = serde_json::from_str::<Scenario>(json) {
                e.errors.extend(challenge_settings_unknown(&s));
            }
            Err(e)
        }
    }
}

/// The settings a scenario's challenge names that the page does not show, each with
/// the names allowed.
fn challenge_settings_unknown(s: &Scenario) -> Vec<FieldError> {
    let Some(challenge) = &s.challenge else {
        return Vec::new();
    };
    let shown = |name: &str| knobs::of_name(name).is_some_and(|k| k.on_page);
    challenge
        .knobs
        .iter()
        .enumerate()
        .filter(|(_, name)| !shown(name))
        .map(|(i, name)| {
            let allowed: Vec<&str> = knobs::on_page().map(|k| k.name).collect();
            FieldError {
                field: format!("challenge.knobs[{i}]"),
                message: format!(
                    "{name:?} is not a setting of the page: allowed one of {allowed:?}"
                ),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_scenario_parses() {
        for c in choices() {
            if let Err(e) = &c.scenario {
                panic!("static/scenarios/{}:\n{e}", c.file);
            }
        }
    }

    #[test]
    fn a_challenge_naming_no_setting_of_the_page_is_refused_with_the_names_allowed() {
        let json = r#"{"format":1,"challenge":{"goal":"Keep up","goals":{"no_data_lost":true},"knobs":["BatchSiz","BatchSize"],"seed":1}}"#;
        assert!(
            parse_scenario(json).is_ok(),
            "the core alone takes any name"
        );
        let e = parse(json).expect_err("refused").to_string();
        assert!(
            e.starts_with("challenge.knobs[0]: \"BatchSiz\" is not a setting of the page: allowed one of [\"duration_s\", \"ShardCount\""),
            "{e}"
        );
        assert_eq!(e.lines().count(), 1, "{e}");
        // With the core's own refusals, both are said.
        let both = json.replace(r#""goals":{"no_data_lost":true}"#, r#""goals":{}"#);
        let e = parse(&both).expect_err("refused").to_string();
        assert!(e.contains("challenge.goals: sets no goal"), "{e}");
        assert!(e.contains("challenge.knobs[0]: \"BatchSiz\""), "{e}");
    }

    #[test]
    fn every_file_in_static_scenarios_is_built_in() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/static/scenarios");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{dir}: {e}"))
            .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
            .filter(|name| name.ends_with(".json"))
            .collect();
        on_disk.sort();
        let mut embedded: Vec<&str> = BUILT_IN.iter().map(|b| b.file).collect();
        embedded.sort_unstable();
        assert_eq!(
            on_disk, embedded,
            "add new files to BUILT_IN in src/view/scenarios.rs"
        );
        let named: Vec<&str> = BUILT_IN.iter().map(|b| b.file).collect();
        assert_eq!(
            FILES,
            named.as_slice(),
            "the light embed's list is the same"
        );
    }
}
