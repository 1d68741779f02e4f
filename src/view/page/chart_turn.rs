//! Which charts a playing frame paints: one, in turn, of those the window shows, so
//! that a frame's cost stays level (a chart changes once a simulated second or
//! minute, and each is still repainted several times a second; one scrolled into view
//! is painted within a few frames, and every chart when the run pauses). Charts off
//! screen met on the way only have their newest value (`data-latest`) updated.

use crate::view::charts::{ChartKind, Resolution};

/// Chart canvases: each chart kind per second and per minute.
pub const CHART_CANVASES: usize = ChartKind::ALL.len() * 2;
/// Charts repainted in each playing frame, in turn, of those on screen.
pub const CHARTS_PER_FRAME: usize = 1;
/// Charts off screen whose newest value each playing frame updates, in the same turn,
/// without drawing them.
pub const CHARTS_OFF_SCREEN_PER_FRAME: usize = 2;

/// The chart on canvas `i`: kind by kind, each per second then per minute.
pub fn chart_at(i: usize) -> Option<(ChartKind, Resolution)> {
    let kind = *ChartKind::ALL.get(i / 2)?;
    let resolution = if i % 2 == 0 {
        Resolution::PerSecond
    } else {
        Resolution::PerMinute
    };
    Some((kind, resolution))
}

/// What a playing frame does to one chart canvas.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChartWork {
    /// On screen: draw it.
    Paint(usize),
    /// Off screen: its newest value only.
    Latest(usize),
}

/// Whose turn it is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ChartTurn {
    next: usize,
}

impl ChartTurn {
    /// This frame's work, from the canvas whose turn it is, handed to `work` canvas by
    /// canvas: until one chart on screen (`shown`) is painted, or two off screen are
    /// told, or every canvas was looked at.
    pub fn plan(&mut self, shown: impl Fn(usize) -> bool, mut work: impl FnMut(ChartWork)) {
        let first = self.next % CHART_CANVASES;
        let (mut painted, mut told) = (0, 0);
        for n in 0..CHART_CANVASES {
            let i = (first + n) % CHART_CANVASES;
            if shown(i) {
                work(ChartWork::Paint(i));
                painted += 1;
            } else {
                work(ChartWork::Latest(i));
                told += 1;
            }
            if painted == CHARTS_PER_FRAME
                || told == CHARTS_OFF_SCREEN_PER_FRAME
                || n + 1 == CHART_CANVASES
            {
                self.next = (i + 1) % CHART_CANVASES;
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(turn: &mut ChartTurn, shown: impl Fn(usize) -> bool) -> Vec<ChartWork> {
        let mut work = Vec::new();
        turn.plan(shown, |w| work.push(w));
        work
    }

    #[test]
    fn every_canvas_is_a_chart_kind_at_both_resolutions() {
        assert_eq!(
            chart_at(0),
            Some((ChartKind::ALL[0], Resolution::PerSecond))
        );
        assert_eq!(
            chart_at(3),
            Some((ChartKind::ALL[1], Resolution::PerMinute))
        );
        assert!(chart_at(CHART_CANVASES - 1).is_some());
        assert_eq!(chart_at(CHART_CANVASES), None);
    }

    #[test]
    fn charts_on_screen_are_painted_one_a_frame_in_turn() {
        let mut turn = ChartTurn::default();
        let on_screen = |i: usize| i < 4;
        let frames: Vec<_> = (0..5).map(|_| plan(&mut turn, on_screen)).collect();
        assert_eq!(
            frames,
            [
                vec![ChartWork::Paint(0)],
                vec![ChartWork::Paint(1)],
                vec![ChartWork::Paint(2)],
                vec![ChartWork::Paint(3)],
                // Off screen: two told, and the turn goes on past them.
                vec![ChartWork::Latest(4), ChartWork::Latest(5)],
            ]
        );
        let more: Vec<_> = (0..3).map(|_| plan(&mut turn, on_screen)).collect();
        assert_eq!(more[0], [ChartWork::Latest(6), ChartWork::Latest(7)]);
        assert_eq!(more[1], [ChartWork::Latest(8), ChartWork::Latest(9)]);
        assert_eq!(more[2], [ChartWork::Paint(0)], "round again");
    }

    #[test]
    fn a_chart_met_off_screen_is_told_before_the_one_painted() {
        let mut turn = ChartTurn::default();
        assert_eq!(
            plan(&mut turn, |i| i == 1),
            [ChartWork::Latest(0), ChartWork::Paint(1)]
        );
        assert_eq!(plan(&mut turn, |i| i == 1)[0], ChartWork::Latest(2));
    }

    #[test]
    fn with_every_chart_hidden_the_turn_still_moves() {
        // Presenter mode hides all but one chart's pair; a window scrolled away
        // hides them all.
        let mut turn = ChartTurn::default();
        let seen: Vec<_> = (0..CHART_CANVASES)
            .map(|_| plan(&mut turn, |_| false))
            .collect();
        assert!(seen.iter().all(|w| w.len() == CHARTS_OFF_SCREEN_PER_FRAME));
    }
}
