//! The first minute: the start card a first visit shows (paths to take: after an
//! incident, the basics, free play), the picker's sections (free play, lessons,
//! challenges) and the page's keys as `?` lists them. Pure, tested natively.
//!
//! The card shows only on a link that names no scenario: every link the page writes
//! names one (`s=`), so a reader who has chosen, or who reloads, does not see it
//! again; embeds and links to a scenario or a lesson never show it. Nothing is kept
//! in storage.

use super::embed::scenario_name;
use super::scenarios::Choice;

/// Whether the page opened from `query` shows the start card: no scenario named,
/// and not an embed (an embed's link always names its scenario anyway).
pub fn shows_card(query: &str) -> bool {
    query.trim_start_matches('?').trim().is_empty()
}

/// The picker's sections, in the order it lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    FreePlay,
    Lessons,
    Challenges,
}

impl Section {
    pub const ALL: [Section; 3] = [Section::FreePlay, Section::Lessons, Section::Challenges];

    pub fn title(self) -> &'static str {
        match self {
            Section::FreePlay => "Free play",
            Section::Lessons => "Lessons",
            Section::Challenges => "Challenges",
        }
    }

    /// The section a built-in scenario belongs to: a challenge, a guided lesson, or
    /// a scenario to play with (one that fails to parse is listed there too).
    pub fn of(choice: &Choice) -> Section {
        match &choice.scenario {
            Ok(s) if s.challenge.is_some() => Section::Challenges,
            Ok(s) if s.lesson.is_some() => Section::Lessons,
            _ => Section::FreePlay,
        }
    }
}

/// The picker's groups: each section with the indices (into `choices`) of its
/// scenarios, in the built-in order; empty sections left out.
pub fn picker_groups(choices: &[Choice]) -> Vec<(Section, Vec<usize>)> {
    Section::ALL
        .iter()
        .map(|&section| {
            let of: Vec<usize> = (0..choices.len())
                .filter(|&i| Section::of(&choices[i]) == section)
                .collect();
            (section, of)
        })
        .filter(|(_, of)| !of.is_empty())
        .collect()
}

/// One scenario on a path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// The link that opens it (`?lesson=poison-pill`), relative to the page.
    pub href: String,
    pub title: String,
    pub section: Section,
}

/// A way into the playground the start card offers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Path {
    /// For `data-testid`: `start-incident`, `start-basics`.
    pub id: &'static str,
    pub title: &'static str,
    pub blurb: &'static str,
    /// The words of the link to its first step.
    pub go: &'static str,
    pub steps: Vec<Step>,
}

/// After an incident: the pill, the sink it overflows into, the fixes, then the
/// challenge that checks the reader can apply them.
const INCIDENT: [&str; 4] = [
    "poison-pill",
    "overflowing-sink",
    "fixes-compared",
    "challenge-poison-pill",
];

/// The basics, from the producer's side to the consumer's.
const BASICS: [&str; 6] = [
    "partial-failures",
    "burst-hidden-by-the-minute",
    "scaling-reads",
    "at-least-once",
    "timeouts-and-duplicates",
    "concurrency-budget",
];

fn steps(names: &[&str], choices: &[Choice]) -> Vec<Step> {
    names
        .iter()
        .filter_map(|&name| {
            let c = choices.iter().find(|c| scenario_name(c.file) == name)?;
            let section = Section::of(c);
            let key = if section == Section::Lessons {
                "lesson"
            } else {
                "s"
            };
            Some(Step {
                href: format!("?{key}={name}"),
                title: c.title.clone(),
                section,
            })
        })
        .collect()
}

/// The paths through the built-in scenarios, each with the steps this build has
/// (a missing file is left out, never linked).
pub fn paths(choices: &[Choice]) -> Vec<Path> {
    vec![
        Path {
            id: "incident",
            title: "Had an incident?",
            blurb: "A bad record stopped a shard and data expired? Watch it happen, see where the records went, compare the fixes, then fix it yourself.",
            go: "Start with the poison pill",
            steps: steps(&INCIDENT, choices),
        },
        Path {
            id: "basics",
            title: "Learn the basics",
            blurb: "Short guided lessons: predict, then watch the picture answer.",
            go: "Start with lesson 1",
            steps: steps(&BASICS, choices),
        },
    ]
}

/// The page's keys outside presenter mode, as `?` lists them.
pub const PAGE_KEYS: [(&str, &str); 6] = [
    ("Space or K", "play and pause"),
    (".", "step one second"),
    (
        "N",
        "run to the next event (the next first-time trouble) and pause there",
    ),
    ("P", "presenter mode (its own keys: ? there lists them)"),
    ("?", "this list of keys"),
    ("Escape", "close this list"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::scenarios::choices;

    #[test]
    fn only_a_link_without_a_scenario_shows_the_card() {
        assert!(shows_card(""));
        assert!(shows_card("?"));
        for query in [
            "?v=1&s=steady",
            "?lesson=poison-pill",
            "?s=poison-pill&embed=1",
        ] {
            assert!(!shows_card(query), "{query}");
        }
    }

    #[test]
    fn the_incident_path_is_the_pill_the_sink_the_fixes_then_a_challenge() {
        let all = choices();
        let paths = paths(&all);
        let incident = &paths[0];
        let hrefs: Vec<&str> = incident.steps.iter().map(|s| s.href.as_str()).collect();
        assert_eq!(
            hrefs,
            [
                "?lesson=poison-pill",
                "?lesson=overflowing-sink",
                "?lesson=fixes-compared",
                "?s=challenge-poison-pill"
            ]
        );
        assert_eq!(incident.steps[3].section, Section::Challenges);
        let basics = &paths[1];
        assert_eq!(
            basics.steps.len(),
            BASICS.len(),
            "every basic lesson is built in"
        );
        assert!(basics.steps.iter().all(|s| s.section == Section::Lessons));
    }

    #[test]
    fn the_picker_groups_free_play_lessons_and_challenges() {
        let all = choices();
        let groups = picker_groups(&all);
        let sections: Vec<Section> = groups.iter().map(|g| g.0).collect();
        assert_eq!(sections, Section::ALL);
        let listed: usize = groups.iter().map(|g| g.1.len()).sum();
        assert_eq!(listed, all.len(), "every scenario listed once");
        // The first option is still the page's first scenario.
        assert_eq!(groups[0].1[0], 0);
        for (section, of) in &groups {
            for &i in of {
                assert_eq!(Section::of(&all[i]), *section, "{}", all[i].title);
            }
        }
        assert!(groups[2]
            .1
            .iter()
            .all(|&i| all[i].title.starts_with("Challenge")));
    }
}
