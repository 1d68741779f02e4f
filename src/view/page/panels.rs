//! What the page shows round the run, beside [`Page`](super::Page): the theme the
//! reader chose, the start card of a first visit, the list of keys, the shard table
//! open or closed, the side-by-side comparison in place of the playground, and the
//! log entry picked. Plain flags and the rules between them; `ui` draws them.

use crate::view::charts::ChartKind;
use crate::view::compare::Variation;
use crate::view::picture::Highlight;
use crate::view::presenter::Act;
use crate::view::table::TABLE_OPEN_SHARDS_MAX;

use super::Page;

/// The reader's choice of colours.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ThemeChoice {
    /// Follow the system (prefers-color-scheme).
    #[default]
    Auto,
    Light,
    Dark,
}

impl ThemeChoice {
    /// The theme button's next choice: system, light, dark, system again.
    pub fn next(self) -> Self {
        match self {
            ThemeChoice::Auto => ThemeChoice::Light,
            ThemeChoice::Light => ThemeChoice::Dark,
            ThemeChoice::Dark => ThemeChoice::Auto,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ThemeChoice::Auto => "Theme: system",
            ThemeChoice::Light => "Theme: light",
            ThemeChoice::Dark => "Theme: dark",
        }
    }

    /// The page root's `data-theme`; `None` follows the system.
    pub fn attribute(self) -> Option<&'static str> {
        match self {
            ThemeChoice::Auto => None,
            ThemeChoice::Light => Some("light"),
            ThemeChoice::Dark => Some("dark"),
        }
    }

    /// Dark colours, given whether the system asks for them.
    pub fn dark(self, system_dark: bool) -> bool {
        match self {
            ThemeChoice::Auto => system_dark,
            ThemeChoice::Light => false,
            ThemeChoice::Dark => true,
        }
    }

    /// An embed's `theme=` option (`transparent` keeps the system's colours).
    pub fn of_embed(theme: Option<&str>) -> Self {
        match theme {
            Some("light") => ThemeChoice::Light,
            Some("dark") => ThemeChoice::Dark,
            _ => ThemeChoice::Auto,
        }
    }
}

/// A reader's act on the panels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PanelAction {
    /// Show (true) or close the start card of a first visit.
    StartCard(bool),
    /// Show (true) or close the list of keys (`?`).
    KeysHelp(bool),
    /// Open or close the shard table.
    Table(bool),
    /// The theme button: the next choice.
    CycleTheme,
    /// A log entry picked (its number, what it highlights), or the pick undone.
    Pick(Option<(u64, Highlight)>),
}

/// What the browser must do after a [`PanelAction`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PanelEffects {
    /// Refresh the DOM.
    pub render: bool,
    /// Set the page root's theme ([`ThemeChoice::attribute`]).
    pub theme: bool,
    /// Paint the pictures (a new highlight).
    pub paint: bool,
}

/// The page's panels and what is picked in them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Panels {
    pub theme: ThemeChoice,
    /// The start card of a first visit (a link naming no scenario) is open.
    pub start_card: bool,
    /// The list of keys (`?`) is open.
    pub keys_help: bool,
    /// The shard table is open.
    pub table_open: bool,
    /// The side-by-side comparison is open in place of the playground.
    pub comparing: bool,
    /// The comparison Compare opens with (a lesson's "Try it"), if not its first
    /// preset.
    pub compare_with: Option<Variation>,
    /// The log entry picked, by number, and what it highlights.
    pub selected_entry: Option<u64>,
    pub highlight: Highlight,
}

impl Panels {
    /// The shard table opens by itself for a stream of a few shards.
    pub fn table_opens(page: &Page) -> bool {
        page.run
            .as_ref()
            .is_some_and(|r| r.snapshot.shards.len() <= TABLE_OPEN_SHARDS_MAX)
    }

    /// Carries out a reader's act on the panels.
    pub fn act(&mut self, action: PanelAction) -> PanelEffects {
        let render = |render| PanelEffects {
            render,
            ..PanelEffects::default()
        };
        match action {
            PanelAction::StartCard(open) => {
                self.start_card = open;
                render(true)
            }
            PanelAction::KeysHelp(open) => render(self.set_keys_help(open)),
            PanelAction::Table(open) => render(self.set_table(open)),
            PanelAction::CycleTheme => {
                self.theme = self.theme.next();
                PanelEffects {
                    render: true,
                    theme: true,
                    paint: false,
                }
            }
            PanelAction::Pick(pick) => {
                self.selected_entry = pick.map(|(n, _)| n);
                self.highlight = pick.map(|(_, h)| h).unwrap_or_default();
                PanelEffects {
                    render: true,
                    theme: false,
                    paint: true,
                }
            }
        }
    }

    /// Another scenario chosen: the start card closes, the pick and the highlight
    /// go, the table opens as the new stream's size says.
    pub fn chosen(&mut self, page: &Page) {
        self.start_card = false;
        self.highlight = Highlight::default();
        self.selected_entry = None;
        if page.run.is_some() {
            self.table_open = Self::table_opens(page);
        }
    }

    /// A replay changed the number of shards from `shards_before`: the table opens
    /// or closes as the new size says.
    pub fn replayed(&mut self, page: &Page, shards_before: usize) {
        if shard_count(page) != shards_before {
            self.table_open = Self::table_opens(page);
        }
    }

    /// The start card shows where a lesson would be, never over one or over the
    /// comparison.
    pub fn shows_start_card(&self, page: &Page) -> bool {
        self.start_card && page.lesson.is_none() && !self.comparing
    }

    /// Opens or closes the list of keys; whether that changed anything.
    pub fn set_keys_help(&mut self, open: bool) -> bool {
        std::mem::replace(&mut self.keys_help, open) != open
    }

    /// Opens or closes the shard table; whether that changed anything.
    pub fn set_table(&mut self, open: bool) -> bool {
        std::mem::replace(&mut self.table_open, open) != open
    }

    /// Opens (with a run to compare) or closes the comparison. Returns whether
    /// presenter mode must be left first (opening it while presenting).
    pub fn compare(&mut self, open: bool, page: &Page) -> bool {
        if open && page.run.is_some() {
            self.comparing = true;
        } else {
            self.comparing = false;
            self.compare_with = None;
        }
        open && page.presenter.is_some()
    }

    /// A presenter key reaches the page, but presenter mode does not open over the
    /// comparison.
    pub fn takes_present(&self, act: Act, page: &Page) -> bool {
        !(act == Act::Toggle && page.presenter.is_none() && self.comparing)
    }
}

/// The page root's classes beyond `app`: presenter mode (with its controls shown),
/// the concurrency grid above the one chart when that chart is the concurrency one,
/// and an embed's.
pub fn app_classes(page: &Page, embedded: bool) -> [Option<&'static str>; 3] {
    let present = page.presenter.as_ref().map(|p| {
        if p.controls {
            "present present-controls"
        } else {
            "present"
        }
    });
    let grid_first = page
        .presenter
        .as_ref()
        .is_some_and(|p| ChartKind::ALL.get(p.chart) == Some(&ChartKind::Concurrency));
    [
        present,
        grid_first.then_some("present-grid-first"),
        embedded.then_some("embedded"),
    ]
}

/// The charts the page shows, by kind: all of them, or in presenter mode the one
/// chosen (G shows the next).
pub fn charts_shown(page: &Page) -> impl Iterator<Item = (usize, ChartKind)> + '_ {
    ChartKind::ALL
        .into_iter()
        .enumerate()
        .filter(|&(k, _)| page.presenter.as_ref().is_none_or(|p| p.chart == k))
}

/// The scenario's description, as the panel shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Description<'a> {
    None,
    /// Held back while its lesson is on screen: it tells the story, answers included.
    Hidden,
    Shown(&'a str),
}

pub fn description<'a>(page: &Page, scenario: Option<&'a crate::sim::Scenario>) -> Description<'a> {
    match scenario {
        Some(s) if !s.description.is_empty() => {
            if page.hides_description() {
                Description::Hidden
            } else {
                Description::Shown(&s.description)
            }
        }
        _ => Description::None,
    }
}

/// The run's shards, none without a run.
pub fn shard_count(page: &Page) -> usize {
    page.run.as_ref().map_or(0, |r| r.snapshot.shards.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::scenarios;

    fn page(file: &str) -> Page {
        let choices = scenarios::choices();
        let s = choices
            .iter()
            .find(|c| c.file == file)
            .and_then(|c| c.scenario.as_ref().ok())
            .cloned()
            .unwrap_or_else(|| panic!("{file}"));
        Page::new(Some(s.clone()), Some(&s))
    }

    #[test]
    fn the_theme_button_cycles_system_light_dark() {
        let mut t = ThemeChoice::default();
        let mut seen = Vec::new();
        for _ in 0..4 {
            seen.push((t.label(), t.attribute(), t.dark(true)));
            t = t.next();
        }
        assert_eq!(
            seen,
            [
                ("Theme: system", None, true),
                ("Theme: light", Some("light"), false),
                ("Theme: dark", Some("dark"), true),
                ("Theme: system", None, true),
            ]
        );
        assert!(!ThemeChoice::Auto.dark(false));
        assert_eq!(ThemeChoice::of_embed(Some("dark")), ThemeChoice::Dark);
        assert_eq!(ThemeChoice::of_embed(Some("light")), ThemeChoice::Light);
        assert_eq!(
            ThemeChoice::of_embed(Some("transparent")),
            ThemeChoice::Auto
        );
        assert_eq!(ThemeChoice::of_embed(None), ThemeChoice::Auto);
    }

    #[test]
    fn the_start_card_never_covers_a_lesson_or_the_comparison() {
        let mut panels = Panels {
            start_card: true,
            ..Panels::default()
        };
        let mut p = page("steady.json");
        assert!(panels.shows_start_card(&p));
        assert!(!panels.compare(true, &p));
        assert!(!panels.shows_start_card(&p));
        panels.compare(false, &p);
        p.open_lesson();
        let mut lesson = page("poison-pill.json");
        assert!(panels.shows_start_card(&p), "steady has no lesson");
        lesson.open_lesson();
        assert!(!panels.shows_start_card(&lesson));
        panels.chosen(&lesson);
        assert!(!panels.start_card, "choosing a scenario closes it");
    }

    #[test]
    fn presenter_mode_classes_the_page_and_shows_one_chart() {
        let mut p = page("steady.json");
        assert_eq!(app_classes(&p, false), [None, None, None]);
        assert_eq!(app_classes(&p, true), [None, None, Some("embedded")]);
        assert_eq!(charts_shown(&p).count(), ChartKind::ALL.len());
        p.enter_present();
        let chart = p.presenter.as_ref().map_or(0, |pr| pr.chart);
        assert_eq!(
            charts_shown(&p).map(|(k, _)| k).collect::<Vec<_>>(),
            [chart]
        );
        assert_eq!(app_classes(&p, false)[0], Some("present"));
        if let Some(pr) = &mut p.presenter {
            pr.controls = true;
            pr.chart = ChartKind::ALL
                .iter()
                .position(|&k| k == ChartKind::Concurrency)
                .unwrap_or(0);
        }
        assert_eq!(
            app_classes(&p, false),
            [
                Some("present present-controls"),
                Some("present-grid-first"),
                None
            ]
        );
    }

    #[test]
    fn a_lessons_description_waits_for_its_end() {
        let mut p = page("poison-pill.json");
        let s = p.original.clone();
        assert!(matches!(description(&p, s.as_ref()), Description::Shown(_)));
        p.open_lesson();
        assert_eq!(description(&p, s.as_ref()), Description::Hidden);
        assert_eq!(description(&p, None), Description::None);
    }

    #[test]
    fn flags_say_when_they_change() {
        let mut panels = Panels::default();
        let render = |render| PanelEffects {
            render,
            ..PanelEffects::default()
        };
        assert_eq!(panels.act(PanelAction::KeysHelp(true)), render(true));
        assert_eq!(panels.act(PanelAction::KeysHelp(true)), render(false));
        assert_eq!(panels.act(PanelAction::KeysHelp(false)), render(true));
        assert_eq!(panels.act(PanelAction::Table(true)), render(true));
        assert_eq!(panels.act(PanelAction::Table(true)), render(false));
        assert_eq!(panels.act(PanelAction::StartCard(true)), render(true));
        assert!(panels.start_card);
    }

    #[test]
    fn a_pick_highlights_and_repaints_and_the_theme_button_sets_the_theme() {
        let mut panels = Panels::default();
        let h = Highlight {
            shard: Some(2),
            ..Highlight::default()
        };
        let e = panels.act(PanelAction::Pick(Some((7, h))));
        assert!(e.paint && e.render && !e.theme);
        assert_eq!((panels.selected_entry, panels.highlight), (Some(7), h));
        panels.act(PanelAction::Pick(None));
        assert_eq!(
            (panels.selected_entry, panels.highlight),
            (None, Highlight::default())
        );
        let e = panels.act(PanelAction::CycleTheme);
        assert!(e.theme && e.render);
        assert_eq!(panels.theme, ThemeChoice::Light);
    }

    #[test]
    fn compare_leaves_presenter_mode_and_presenting_waits_for_it_to_close() {
        let mut panels = Panels {
            compare_with: Some(Variation::of_knob(
                crate::view::knobs::KnobId::BatchSize,
                100.0,
                10.0,
            )),
            ..Panels::default()
        };
        let mut p = page("steady.json");
        p.enter_present();
        assert!(panels.compare(true, &p), "presenter mode is left first");
        assert!(panels.comparing);
        p.leave_present();
        assert!(!panels.takes_present(Act::Toggle, &p));
        assert!(panels.takes_present(Act::Help, &p));
        panels.compare(false, &p);
        assert!(!panels.comparing);
        assert_eq!(panels.compare_with, None);
        assert!(panels.takes_present(Act::Toggle, &p));
    }

    #[test]
    fn the_table_opens_for_a_few_shards_and_follows_a_replay_that_reshapes_the_stream() {
        let p = page("steady.json");
        let mut panels = Panels::default();
        panels.chosen(&p);
        assert_eq!(panels.table_open, shard_count(&p) <= TABLE_OPEN_SHARDS_MAX);
        panels.table_open = !panels.table_open;
        let before = panels.table_open;
        panels.replayed(&p, shard_count(&p));
        assert_eq!(
            panels.table_open, before,
            "same shards: the reader's choice stays"
        );
        panels.replayed(&p, shard_count(&p) + 1);
        assert_eq!(panels.table_open, Panels::table_opens(&p));
    }
}
