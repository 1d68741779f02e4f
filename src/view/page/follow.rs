//! Following a record, as the page holds it: a click on the picture or a partition
//! key typed finds the record, and the run is replayed from the start with the trace
//! on, through the mapping the controls are set to (`view::trace`); why the last try
//! failed; and the callout by the clicked record, in a sentence, where it goes.

use crate::view::picture::{self, Highlight};
use crate::view::trace::{self, Line};

use super::Page;

/// A reader's act on following a record.
#[derive(Clone, Debug, PartialEq)]
pub enum FollowAction {
    /// Follow the record under a click on the stream picture: x, y, picture width.
    At(f64, f64, f64),
    /// Follow the newest record with this partition key.
    Key(String),
    Stop,
    /// Close the callout by a clicked record.
    CloseCallout,
    /// Scroll the followed record's whole path into view.
    ShowPath,
}

/// What the browser must do after a [`FollowAction`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FollowEffect {
    /// Paint the pictures (the ring round the record) and refresh the DOM.
    Paint,
    /// Refresh the DOM.
    Render,
    /// Scroll the path's panel into view; nothing else changed.
    ScrollToPath,
}

/// The followed record's state on the page.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Follow {
    /// Why the last try to follow a record failed.
    pub error: Option<String>,
    /// Where the reader last clicked the picture to follow a record (x, y, the
    /// picture's width in CSS px), for the callout there.
    pub click: Option<(f64, f64, f64)>,
}

/// The callout by a clicked record: what following it found, placed by the click.
#[derive(Clone, Debug, PartialEq)]
pub struct Callout {
    pub text: String,
    /// The record is followed: offer its whole path.
    pub show_path: bool,
    pub left_px: f64,
    pub top_px: f64,
}

impl Follow {
    /// Carries out a reader's act, `highlight` being what the picture highlights.
    pub fn act(
        &mut self,
        action: FollowAction,
        page: &mut Page,
        highlight: Highlight,
    ) -> FollowEffect {
        match action {
            FollowAction::At(x, y, width) => self.at(page, highlight, (x, y, width)),
            FollowAction::Key(key) => self.key(page, &key),
            FollowAction::Stop => self.stop(page),
            FollowAction::CloseCallout => {
                self.click = None;
                return FollowEffect::Render;
            }
            FollowAction::ShowPath => return FollowEffect::ScrollToPath,
        }
        FollowEffect::Paint
    }

    /// Follows the record under a click at (`x`, `y`) on a picture `width` px wide,
    /// read at the scale it was painted (the canvas's width, as the painting reckons
    /// it).
    pub fn at(&mut self, page: &mut Page, highlight: Highlight, (x, y, width): (f64, f64, f64)) {
        self.click = Some((x, y, width));
        let found = page.run.as_ref().and_then(|r| {
            let input = picture::StreamInput {
                text_px: picture::text_px_for(width, page.presenter.is_some()),
                ..picture::StreamInput::from_snapshot(&r.snapshot, highlight)
            };
            picture::record_at_point(&input, width, x, y)
        });
        self.follow(
            page,
            found.ok_or_else(|| "No record there: click on the records of a lane.".to_string()),
        );
    }

    /// Follows the newest record with this partition key.
    pub fn key(&mut self, page: &mut Page, key: &str) {
        self.click = None;
        let found = page.run.as_ref().map_or_else(
            || Err("Nothing is running.".to_string()),
            |r| r.sim.find_record(key),
        );
        self.follow(page, found);
    }

    pub fn stop(&mut self, page: &mut Page) {
        self.error = None;
        self.click = None;
        if let Some(run) = &mut page.run {
            run.sim.unfollow();
        }
    }

    /// Follows the record at `found` (shard, index) through the mapping the controls
    /// are set to: the run is replayed from the start with the trace on, to the same
    /// moment.
    fn follow(&mut self, page: &mut Page, found: Result<(u32, u64), String>) {
        self.error = None;
        let Some(run) = &page.run else {
            return;
        };
        if run.snapshot.mappings.is_empty() {
            self.error = Some(
                "No event source mapping reads this stream, so a record has no path yet: inject a pill or add a mapping first.".to_string(),
            );
            return;
        }
        let (shard, index) = match found {
            Ok(f) => f,
            Err(e) => {
                self.error = Some(e);
                return;
            }
        };
        let scenario = run.sim.current_scenario().clone();
        let mapping = page.target_mapping.min(run.snapshot.mappings.len() - 1);
        match trace::follow_in_replay(&scenario, &run.sim, shard, index, mapping) {
            Ok(sim) => page.start(Some(sim)),
            Err(e) => self.error = Some(e),
        }
    }

    /// The callout by the clicked record, if one was clicked and there is something
    /// to say.
    pub fn callout(&self, page: &Page) -> Option<Callout> {
        let ((x, y, width), run) = (self.click?, page.run.as_ref()?);
        let trace = run.sim.trace();
        let text = match (&self.error, trace) {
            (Some(e), _) => e.clone(),
            (None, Some(t)) => trace::summary(t),
            (None, None) => return None,
        };
        let (left_px, top_px) = trace::callout_position(x, y, width);
        Some(Callout {
            text,
            show_path: trace.is_some() && self.error.is_none(),
            left_px,
            top_px,
        })
    }
}

/// The followed record's path in words, and the word for how it ended ("" while
/// nothing is followed).
pub fn path(page: &Page) -> (Vec<Line>, &'static str) {
    let Some(run) = &page.run else {
        return (Vec::new(), "");
    };
    let trace = run.sim.trace();
    let name = trace
        .and_then(|t| run.snapshot.mappings.get(t.target.mapping))
        .map_or("the function", |m| m.function_name.as_str());
    let lines = trace.map(|t| trace::lines(t, name)).unwrap_or_default();
    (lines, trace.map_or("", trace::end_word))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::scenarios;

    fn page(file: &str) -> Page {
        let s = scenarios::choices()
            .into_iter()
            .find(|c| c.file == file)
            .and_then(|c| c.scenario.ok())
            .unwrap_or_else(|| panic!("{file}"));
        Page::new(Some(s.clone()), Some(&s))
    }

    fn played(file: &str, s: u64) -> Page {
        let mut p = page(file);
        if let Some(run) = &mut p.run {
            run.sim
                .run_until(crate::sim::SimTime(s * 1_000), usize::MAX);
            run.snapshot = run.sim.snapshot();
        }
        p
    }

    #[test]
    fn a_key_is_followed_in_a_replay_to_the_same_moment() {
        let mut p = played("poison-pill.json", 5);
        let now = p.run.as_ref().map(|r| r.sim.now());
        let key = "key-0003";
        let mut f = Follow::default();
        f.key(&mut p, key);
        let run = p.run.as_ref().unwrap_or_else(|| panic!("a run"));
        if let Some(e) = &f.error {
            panic!("following {key}: {e}");
        }
        assert!(run.sim.trace().is_some(), "followed");
        assert_eq!(Some(run.sim.now()), now, "at the same moment");
        let (lines, _) = path(&p);
        assert!(!lines.is_empty());
        assert_eq!(f.callout(&p), None, "a typed key has no callout");
        assert_eq!(
            f.act(FollowAction::Stop, &mut p, Highlight::default()),
            FollowEffect::Paint
        );
        assert!(p.run.as_ref().is_some_and(|r| r.sim.trace().is_none()));
        assert_eq!(path(&p), (Vec::new(), ""));
    }

    #[test]
    fn a_click_beside_the_records_says_where_to_click() {
        let mut p = played("poison-pill.json", 5);
        let mut f = Follow::default();
        f.at(&mut p, Highlight::default(), (-50.0, -50.0, 1_000.0));
        assert_eq!(
            f.error.as_deref(),
            Some("No record there: click on the records of a lane.")
        );
        let callout = f.callout(&p).unwrap_or_else(|| panic!("a callout"));
        assert_eq!(
            callout.text,
            "No record there: click on the records of a lane."
        );
        assert!(!callout.show_path);
        assert_eq!(
            f.act(FollowAction::CloseCallout, &mut p, Highlight::default()),
            FollowEffect::Render
        );
        assert_eq!(f.callout(&p), None);
        assert_eq!(
            f.act(FollowAction::ShowPath, &mut p, Highlight::default()),
            FollowEffect::ScrollToPath
        );
    }

    #[test]
    fn a_stream_without_a_mapping_has_no_path_to_follow() {
        let mut p = played("steady.json", 2);
        let mut f = Follow::default();
        f.key(&mut p, "any");
        assert!(f
            .error
            .as_deref()
            .is_some_and(|e| e.starts_with("No event source mapping")));
    }
}
