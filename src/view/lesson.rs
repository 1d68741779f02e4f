//! The lesson player's logic: which step is due given the simulation's time and
//! milestones, the reader's prediction (pending, chosen, revealed), Back, the end and
//! free play. Pure: the page owns the simulation and asks the player where to stop,
//! how fast to go and what to say; tested natively.
//!
//! A lesson runs in segments. From the introduction, "Start" plays towards step 0;
//! when a step's moment comes (`at_s`: exactly that simulated second; `on`: the frame
//! its milestone is first seen) the run pauses and the step speaks. A step with a
//! prediction asks its question there, before the moment it leads to is shown, and the
//! run does not go on until the reader has chosen and seen the answer. "Back" returns
//! to the previous step at the moment it was shown: runs are deterministic, so the page
//! rebuilds the simulation and runs it to that moment. "Free play" leaves the lesson.

use std::collections::BTreeMap;

use crate::sim::{milestone_named, Lesson, Milestone, Scenario, SimTime, Simulation, Step};
use crate::view::compare::Variation;
use crate::view::knobs;
use crate::view::pace::SPEEDS;

/// A stretch of a lesson (from one step to the next) is played in about this many
/// wall-clock seconds, whatever its simulated length.
pub const SEGMENT_WALL_S: f64 = 6.0;

/// Every stretch takes between these many wall-clock seconds (at the speed asked:
/// a frame that runs out of its budget can still fall behind).
pub const SEGMENT_WALL_S_RANGE: (f64, f64) = (4.0, 8.0);

/// The player's plan looks for milestones this far ahead in one call.
const PLAN_SLICE_MS: u64 = 60_000;

/// Where the reader is in the lesson.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// The introduction, with "Start".
    Intro,
    /// Playing towards step `step`.
    Running { step: usize },
    /// Paused at step `step`, which speaks (and may ask).
    AtStep { step: usize },
    /// After the last step: the takeaway and what the model simplifies.
    End,
    /// The reader left the lesson; every control is theirs.
    FreePlay,
}

/// The reader's answer to a step's prediction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Guess {
    /// Nothing chosen yet.
    Pending,
    /// A choice made, not yet checked: the reader may still change it.
    Chosen(usize),
    /// Checked: the answer and why are shown.
    Revealed(usize),
    /// The answer and why shown with no choice made (a presenter asked the room).
    Told,
}

/// What the reader asked the player to do (the page's buttons and keys).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LessonAction {
    Start,
    Choose(usize),
    Reveal,
    Continue,
    Back,
    /// Pause or resume while running towards a step.
    TogglePlay,
    FreePlay,
    /// Back to the introduction, from time zero.
    Restart,
    /// Show the answer without a choice (presenter mode).
    ShowAnswer,
    /// Go to beat N at once (0 is the introduction, N the Nth step).
    GoTo(usize),
}

/// The run must be rebuilt and run to `at` (Back, or restarting the lesson).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rewind {
    pub at: SimTime,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Player {
    lesson: Lesson,
    stage: Stage,
    /// Each step's prediction, as the reader left it.
    guesses: Vec<Guess>,
    /// When each step was shown, once it has been.
    reached: Vec<Option<SimTime>>,
    /// Each step's moment in an unchanged run: `at_s`, or when a headless run of the
    /// scenario first reached the milestone (none if it never did).
    plan: Vec<Option<SimTime>>,
}

/// Each step's moment in an unchanged run of `scenario`: its `at_s`, or the time a
/// headless run first reaches its milestone. The run stops once every milestone a step
/// waits for is found, or at the end.
pub fn plan(scenario: &Scenario, lesson: &Lesson) -> Vec<Option<SimTime>> {
    let wanted: Vec<Milestone> = lesson
        .steps
        .iter()
        .filter_map(|s| s.on.as_deref().and_then(milestone_named))
        .collect();
    let mut sim = Simulation::new(scenario);
    while !sim.is_finished() && !wanted.iter().all(|m| sim.milestones().contains_key(m)) {
        let to = sim.now() + crate::sim::SimDuration::from_ms(PLAN_SLICE_MS);
        sim.run_until(to, usize::MAX);
    }
    lesson
        .steps
        .iter()
        .map(|s| moment(s, sim.milestones()))
        .collect()
}

/// A step's moment given the milestones reached so far, if it is known.
fn moment(step: &Step, milestones: &BTreeMap<Milestone, SimTime>) -> Option<SimTime> {
    match (&step.at_s, &step.on) {
        (Some(at), _) => Some(SimTime::from_s(*at)),
        (None, Some(on)) => milestone_named(on).and_then(|m| milestones.get(&m).copied()),
        (None, None) => None,
    }
}

impl Player {
    /// A player at the introduction. `plan` comes from [`plan`] (one entry a step).
    pub fn new(lesson: Lesson, plan: Vec<Option<SimTime>>) -> Player {
        let n = lesson.steps.len();
        let mut plan = plan;
        plan.resize(n, None);
        Player {
            lesson,
            stage: Stage::Intro,
            guesses: vec![Guess::Pending; n],
            reached: vec![None; n],
            plan,
        }
    }

    pub fn lesson(&self) -> &Lesson {
        &self.lesson
    }

    pub fn stage(&self) -> Stage {
        self.stage
    }

    pub fn steps(&self) -> usize {
        self.lesson.steps.len()
    }

    /// The step being shown or played towards.
    pub fn step(&self) -> Option<&Step> {
        match self.stage {
            Stage::Running { step } | Stage::AtStep { step } => self.lesson.steps.get(step),
            _ => None,
        }
    }

    pub fn guess(&self, step: usize) -> Guess {
        self.guesses.get(step).copied().unwrap_or(Guess::Pending)
    }

    /// When step `step` was shown, if it has been.
    pub fn reached(&self, step: usize) -> Option<SimTime> {
        self.reached.get(step).copied().flatten()
    }

    /// Playing towards a step: the page's time controls belong to the player.
    pub fn is_running(&self) -> bool {
        matches!(self.stage, Stage::Running { .. })
    }

    /// The lesson is on screen (not left for free play).
    pub fn is_active(&self) -> bool {
        self.stage != Stage::FreePlay
    }

    /// While running: the run must not go past this moment in this frame, so an
    /// `at_s` step stops exactly at its second and an `on` step at its milestone's
    /// time in an unchanged run.
    pub fn stop_at(&self, now: SimTime) -> Option<SimTime> {
        let Stage::Running { step } = self.stage else {
            return None;
        };
        let planned = self.plan.get(step).copied().flatten()?;
        if planned > now {
            return Some(planned);
        }
        // A milestone is counted when its second closes (a burst's throttles stamped
        // 00:00:30 are seen at 00:00:31): within the second after its planned moment,
        // stop at whole seconds, so the step speaks exactly when it is first seen.
        // Later (the reader changed the run), only the milestone counts.
        let within = now < planned + crate::sim::SimDuration::from_s(1);
        let on_step = self.lesson.steps.get(step).is_some_and(|s| s.on.is_some());
        (within && on_step).then(|| SimTime::from_s(now.0 / 1_000 + 1))
    }

    /// While running: whether the step played towards is due, given the run's time and
    /// the milestones reached.
    pub fn is_due(&self, now: SimTime, milestones: &BTreeMap<Milestone, SimTime>) -> bool {
        let Some(step) = self.step().filter(|_| self.is_running()) else {
            return false;
        };
        match (&step.at_s, &step.on) {
            (Some(at), _) => now >= SimTime::from_s(*at),
            (None, Some(on)) => milestone_named(on).is_some_and(|m| milestones.contains_key(&m)),
            (None, None) => true,
        }
    }

    /// The run reached the step played towards: pause there and speak.
    pub fn arrive(&mut self, now: SimTime) {
        if let Stage::Running { step } = self.stage {
            if let Some(r) = self.reached.get_mut(step) {
                *r = Some(now);
            }
            self.stage = Stage::AtStep { step };
        }
    }

    /// The run ended before the step played towards was due: the lesson ends.
    pub fn run_ended(&mut self) {
        if self.is_running() {
            self.stage = Stage::End;
        }
    }

    /// The step shown asks a question that has not been revealed yet.
    pub fn is_waiting_for_answer(&self) -> bool {
        match self.stage {
            Stage::AtStep { step } => {
                self.lesson
                    .steps
                    .get(step)
                    .is_some_and(|s| s.predict.is_some())
                    && !matches!(self.guess(step), Guess::Revealed(_) | Guess::Told)
            }
            _ => false,
        }
    }

    /// The beat on screen: 0 for the introduction, N at (or just after) step N.
    pub fn beat(&self) -> usize {
        match self.stage {
            Stage::Intro | Stage::FreePlay => 0,
            Stage::Running { step } => step,
            Stage::AtStep { step } => step + 1,
            Stage::End => self.lesson.steps.len(),
        }
    }

    /// What "next beat" means here: start, show the answer the room gave, continue.
    /// `None` while running (the page plays on to the step at once) or at the end.
    pub fn next_beat(&self) -> Option<LessonAction> {
        match self.stage {
            Stage::Intro => Some(LessonAction::Start),
            Stage::AtStep { .. } if self.is_waiting_for_answer() => Some(LessonAction::ShowAnswer),
            Stage::AtStep { .. } => Some(LessonAction::Continue),
            Stage::Running { .. } | Stage::End | Stage::FreePlay => None,
        }
    }

    /// How fast to play towards the current step from `now`: the stretch takes about
    /// [`SEGMENT_WALL_S`] wall-clock seconds whatever its simulated length, at a speed
    /// between the page's slowest and fastest ones (not only the presets: see
    /// [`stretch_speed`]). An `on` step not in the plan is played towards the run's
    /// `end`.
    pub fn speed(&self, now: SimTime, end: SimTime) -> f64 {
        let Stage::Running { step } = self.stage else {
            return 1.0;
        };
        let target = self
            .plan
            .get(step)
            .copied()
            .flatten()
            .filter(|&at| at > now)
            .unwrap_or(end);
        stretch_speed(target.0.saturating_sub(now.0))
    }

    /// Applies the reader's action. Returns a rewind when the run must be rebuilt
    /// and run to a moment (Back, Restart). Actions that do not apply here are ignored.
    pub fn act(&mut self, action: LessonAction) -> Option<Rewind> {
        match (action, self.stage) {
            (LessonAction::Start, Stage::Intro) => {
                self.stage = if self.lesson.steps.is_empty() {
                    Stage::End
                } else {
                    Stage::Running { step: 0 }
                };
                None
            }
            (LessonAction::Choose(i), Stage::AtStep { step }) => {
                let choices = self
                    .lesson
                    .steps
                    .get(step)
                    .and_then(|s| s.predict.as_ref())
                    .map_or(0, |p| p.choices.len());
                if i < choices && !matches!(self.guess(step), Guess::Revealed(_) | Guess::Told) {
                    self.guesses[step] = Guess::Chosen(i);
                }
                None
            }
            (LessonAction::Reveal, Stage::AtStep { step }) => {
                if let Guess::Chosen(i) = self.guess(step) {
                    self.guesses[step] = Guess::Revealed(i);
                }
                None
            }
            (LessonAction::ShowAnswer, Stage::AtStep { step }) => {
                if self.is_waiting_for_answer() {
                    self.guesses[step] = match self.guess(step) {
                        Guess::Chosen(i) => Guess::Revealed(i),
                        _ => Guess::Told,
                    };
                }
                None
            }
            (LessonAction::GoTo(beat), _) => self.go_to(beat),
            (LessonAction::Continue, Stage::AtStep { step }) => {
                if !self.is_waiting_for_answer() {
                    self.stage = if step + 1 < self.lesson.steps.len() {
                        Stage::Running { step: step + 1 }
                    } else {
                        Stage::End
                    };
                }
                None
            }
            (LessonAction::Back, Stage::Running { step } | Stage::AtStep { step }) => {
                self.back_from(step)
            }
            (LessonAction::Back, Stage::End) => self.back_from(self.lesson.steps.len()),
            (LessonAction::FreePlay, _) => {
                self.stage = Stage::FreePlay;
                None
            }
            (LessonAction::Restart, _) => {
                self.stage = Stage::Intro;
                Some(Rewind { at: SimTime::ZERO })
            }
            _ => None,
        }
    }

    /// To beat `beat` at its planned moment: the introduction at zero, or step
    /// `beat - 1`. `None` (nothing changes) for a beat that is not there or whose
    /// milestone the run never reaches.
    fn go_to(&mut self, beat: usize) -> Option<Rewind> {
        if beat == 0 {
            self.stage = Stage::Intro;
            return Some(Rewind { at: SimTime::ZERO });
        }
        let step = beat - 1;
        let at = self.plan.get(step).copied().flatten()?;
        self.reached[step] = Some(at);
        self.stage = Stage::AtStep { step };
        Some(Rewind { at })
    }

    /// Back from step `step` (or from the end, `step` = the number of steps) to the
    /// step before it, at the moment it was shown; from the first step, to the
    /// introduction at time zero.
    fn back_from(&mut self, step: usize) -> Option<Rewind> {
        let previous = (0..step.min(self.lesson.steps.len()))
            .rev()
            .find_map(|i| self.reached(i).map(|at| (i, at)));
        match previous {
            Some((i, at)) => {
                self.stage = Stage::AtStep { step: i };
                Some(Rewind { at })
            }
            None => {
                self.stage = Stage::Intro;
                Some(Rewind { at: SimTime::ZERO })
            }
        }
    }

    /// "Step 2 of 4", or where the lesson stands.
    pub fn progress(&self) -> String {
        let n = self.lesson.steps.len();
        match self.stage {
            Stage::Intro if n == 0 => "Introduction".to_string(),
            Stage::Intro => format!("Introduction · {n} steps"),
            Stage::Running { step } => format!("On the way to step {} of {n}", step + 1),
            Stage::AtStep { step } => format!("Step {} of {n}", step + 1),
            Stage::End => "The end".to_string(),
            Stage::FreePlay => "Free play".to_string(),
        }
    }

    /// What the polite live region says on arriving at the current stage.
    pub fn narration(&self) -> String {
        match self.stage {
            Stage::Intro => self.lesson.intro.clone(),
            Stage::AtStep { step } => {
                let Some(s) = self.lesson.steps.get(step) else {
                    return String::new();
                };
                match &s.predict {
                    Some(p) => format!("{} {}", s.say, p.question),
                    None => s.say.clone(),
                }
            }
            Stage::End => format!("What to remember: {}", self.lesson.takeaway),
            Stage::Running { .. } | Stage::FreePlay => String::new(),
        }
    }
}

/// The speed that plays `gap_ms` of simulated time in about [`SEGMENT_WALL_S`]
/// wall-clock seconds: rounded to two significant figures (so the status line reads
/// "Running at 8.3×", and the stretch takes within 5% of its six seconds), within the
/// page's slowest and fastest speeds.
pub fn stretch_speed(gap_ms: u64) -> f64 {
    let wanted = gap_ms as f64 / 1_000.0 / SEGMENT_WALL_S;
    let (slowest, fastest) = (SPEEDS[0], SPEEDS[SPEEDS.len() - 1]);
    if wanted.is_nan() || wanted <= slowest {
        return slowest;
    }
    // Two significant figures, by whole numbers so that 8.3 is 83 / 10, not 8.300…01.
    let exponent = wanted.log10().floor() as i32 - 1;
    let rounded = if exponent < 0 {
        let scale = 10f64.powi(-exponent);
        (wanted * scale).round() / scale
    } else {
        let scale = 10f64.powi(exponent);
        (wanted / scale).round() * scale
    };
    rounded.min(fastest)
}

/// The lesson's "Try it", as a comparison the page runs side by side: its setting at
/// the value the lesson ran with, and at the fix. An error names a setting the page
/// does not know.
pub fn try_it(lesson: &Lesson) -> Result<Option<Variation>, String> {
    let Some(t) = &lesson.try_it else {
        return Ok(None);
    };
    let knob = knobs::of_key(&t.setting).ok_or_else(|| {
        format!(
            "lesson.try_it.setting: {:?} is not a setting's link key",
            t.setting
        )
    })?;
    let mut v = Variation::of_knob(knob.id, t.from, t.to);
    v.title = format!("Try it: {}", v.title);
    Ok(Some(v))
}

/// Whether the answer `chosen` to `step`'s prediction is right.
pub fn is_right(step: &Step, chosen: usize) -> bool {
    step.predict.as_ref().is_some_and(|p| p.answer == chosen)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{parse_scenario, Prediction};
    use crate::view::timebar::replay;

    fn scenario(json: &str) -> Scenario {
        parse_scenario(json).unwrap_or_else(|e| panic!("{e}"))
    }

    fn poison() -> Scenario {
        scenario(include_str!("../../static/scenarios/poison-pill.json"))
    }

    fn player_of(s: &Scenario) -> Player {
        let lesson = s.lesson.clone().unwrap_or_else(|| panic!("a lesson"));
        let plan = plan(s, &lesson);
        Player::new(lesson, plan)
    }

    /// Plays as the page does: frames of `frame_ms` simulated time, each clamped to
    /// `stop_at`, checking `is_due` after each. Returns the moment of arrival.
    fn play_to_step(p: &mut Player, sim: &mut Simulation, frame_ms: u64) -> SimTime {
        assert!(p.is_running(), "{:?}", p.stage());
        while !sim.is_finished() {
            let mut to = sim.now() + crate::sim::SimDuration::from_ms(frame_ms);
            if let Some(stop) = p.stop_at(sim.now()) {
                to = to.min(stop);
            }
            sim.run_until(to, usize::MAX);
            if p.is_due(sim.now(), sim.milestones()) {
                p.arrive(sim.now());
                return sim.now();
            }
        }
        p.run_ended();
        sim.now()
    }

    #[test]
    fn the_plan_knows_every_step_moment() {
        let s = poison();
        let p = player_of(&s);
        // at 50 s; first blocked shard; at 12 h; at 1d 00:02, once the pill has
        // expired (1d 00:01) and the mapping has moved on at its next retry.
        assert_eq!(p.plan[0], Some(SimTime::from_s(50)));
        assert_eq!(p.plan[1], Some(SimTime(60_202)));
        assert_eq!(p.plan[2], Some(SimTime::from_s(43_200)));
        assert_eq!(p.plan[3], Some(SimTime::from_s(86_520)));
    }

    #[test]
    fn a_lesson_stops_exactly_at_each_moment_and_asks_first() {
        let s = poison();
        let mut p = player_of(&s);
        let mut sim = Simulation::new(&s);
        assert_eq!(p.stage(), Stage::Intro);
        assert!(!p.is_running());
        assert_eq!(p.act(LessonAction::Start), None);
        assert_eq!(p.stage(), Stage::Running { step: 0 });
        // 50 s away: played in about 6 s, at 8.3 x (between the presets 1 x and 10 x).
        assert_eq!(p.speed(sim.now(), sim.end()), 8.3);

        // Frames of 7 s never overshoot 50 s.
        assert_eq!(play_to_step(&mut p, &mut sim, 7_000), SimTime::from_s(50));
        assert_eq!(p.stage(), Stage::AtStep { step: 0 });
        assert!(p.is_waiting_for_answer());
        assert!(p.narration().contains("One bad record is about to arrive"));

        // Continue does nothing until the prediction is revealed.
        p.act(LessonAction::Continue);
        assert_eq!(p.stage(), Stage::AtStep { step: 0 });
        p.act(LessonAction::Reveal);
        assert_eq!(
            p.guess(0),
            Guess::Pending,
            "nothing chosen: nothing to reveal"
        );
        p.act(LessonAction::Choose(7));
        assert_eq!(p.guess(0), Guess::Pending, "not a choice");
        p.act(LessonAction::Choose(0));
        p.act(LessonAction::Choose(2));
        assert_eq!(
            p.guess(0),
            Guess::Chosen(2),
            "a choice may change until checked"
        );
        p.act(LessonAction::Reveal);
        assert_eq!(p.guess(0), Guess::Revealed(2));
        p.act(LessonAction::Choose(1));
        assert_eq!(p.guess(0), Guess::Revealed(2), "a revealed answer stays");
        let step0 = p.step().cloned().unwrap_or_else(|| panic!("step"));
        assert!(!is_right(&step0, 2));
        assert!(is_right(&step0, 1));
        assert!(!p.is_waiting_for_answer());

        p.act(LessonAction::Continue);
        assert_eq!(p.stage(), Stage::Running { step: 1 });
        // The milestone is 10.2 s away: 1.7 x.
        assert_eq!(p.speed(sim.now(), sim.end()), 1.7);
        // The frame stops at the milestone's time, even in frames of a minute.
        let at = play_to_step(&mut p, &mut sim, 60_000);
        assert_eq!(at, SimTime(60_202));
        assert!(sim.milestones().contains_key(&Milestone::FirstBlockedShard));
        assert!(p.narration().contains("the shard is blocked"));

        p.act(LessonAction::Continue);
        // Twelve hours away: 43,140 s / 6 s, to two figures.
        assert_eq!(p.speed(sim.now(), sim.end()), 7_200.0);
        assert_eq!(
            play_to_step(&mut p, &mut sim, 3_600_000),
            SimTime::from_s(43_200)
        );
        p.act(LessonAction::Continue);
        assert_eq!(
            play_to_step(&mut p, &mut sim, 3_600_000),
            SimTime::from_s(86_520)
        );
        p.act(LessonAction::Continue);
        assert_eq!(p.stage(), Stage::End);
        assert!(p
            .narration()
            .starts_with("What to remember: With the defaults"));
    }

    #[test]
    fn back_returns_to_the_previous_step_at_its_moment() {
        let s = poison();
        let mut p = player_of(&s);
        let mut sim = Simulation::new(&s);
        p.act(LessonAction::Start);
        play_to_step(&mut p, &mut sim, 1_000);
        p.act(LessonAction::Choose(1));
        p.act(LessonAction::Reveal);
        p.act(LessonAction::Continue);
        let blocked_at = play_to_step(&mut p, &mut sim, 1_000);
        p.act(LessonAction::Continue);
        // Back while running towards step 2: to step 1, where it was shown.
        assert_eq!(p.act(LessonAction::Back), Some(Rewind { at: blocked_at }));
        assert_eq!(p.stage(), Stage::AtStep { step: 1 });
        // The rebuilt run is the run the reader saw at that moment.
        let rebuilt = replay(&s, blocked_at);
        assert_eq!(rebuilt.snapshot(), sim.snapshot());
        // Back again: step 0 at 50 s, its answer kept.
        assert_eq!(
            p.act(LessonAction::Back),
            Some(Rewind {
                at: SimTime::from_s(50)
            })
        );
        assert_eq!(p.stage(), Stage::AtStep { step: 0 });
        assert_eq!(p.guess(0), Guess::Revealed(1));
        assert!(!p.is_waiting_for_answer());
        // Back from the first step: the introduction, from zero.
        assert_eq!(
            p.act(LessonAction::Back),
            Some(Rewind { at: SimTime::ZERO })
        );
        assert_eq!(p.stage(), Stage::Intro);
        assert_eq!(p.act(LessonAction::Back), None, "nothing before the intro");
    }

    #[test]
    fn back_from_the_end_returns_to_the_last_step() {
        let s = scenario(include_str!(
            "../../static/scenarios/burst-hidden-by-the-minute.json"
        ));
        let mut p = player_of(&s);
        let mut sim = Simulation::new(&s);
        p.act(LessonAction::Start);
        play_to_step(&mut p, &mut sim, 500);
        p.act(LessonAction::Choose(1));
        p.act(LessonAction::Reveal);
        p.act(LessonAction::Continue);
        // The burst's throttles are counted when its second closes: the milestone is
        // stamped 00:00:30 and first seen by the frame that ends at 00:00:31.
        let seen = play_to_step(&mut p, &mut sim, 500);
        assert_eq!(seen, SimTime::from_s(31));
        // Whatever the frames: a frame of 27 ms at 1.7x is 46 ms, yet the step speaks
        // exactly when the second closes, as the picture and the counters show it.
        let mut q = player_of(&s);
        let mut again = Simulation::new(&s);
        q.act(LessonAction::Start);
        play_to_step(&mut q, &mut again, 46);
        q.act(LessonAction::Choose(1));
        q.act(LessonAction::Reveal);
        q.act(LessonAction::Continue);
        assert_eq!(play_to_step(&mut q, &mut again, 46), SimTime::from_s(31));
        p.act(LessonAction::Continue);
        assert_eq!(p.stage(), Stage::End);
        assert_eq!(p.act(LessonAction::Back), Some(Rewind { at: seen }));
        assert_eq!(p.stage(), Stage::AtStep { step: 1 });
    }

    #[test]
    fn a_milestone_reached_before_its_step_is_due_at_once() {
        // partial-failures: the producer loses records from the first second, before
        // step 0 at 5 s; step 1 waits for that loss and is due as soon as it plays.
        let s = scenario(include_str!("../../static/scenarios/partial-failures.json"));
        let step = |at_s: Option<u64>, on: Option<&str>| Step {
            at_s,
            on: on.map(str::to_string),
            say: "s".into(),
            predict: None,
        };
        let lesson = Lesson {
            intro: "i".into(),
            steps: vec![step(Some(5), None), step(None, Some("first_producer_loss"))],
            takeaway: "t".into(),
            simplifications: vec![],
            try_it: None,
        };
        let moments = plan(&s, &lesson);
        let mut p = Player::new(lesson, moments);
        let mut sim = Simulation::new(&s);
        p.act(LessonAction::Start);
        assert_eq!(play_to_step(&mut p, &mut sim, 1_000), SimTime::from_s(5));
        p.act(LessonAction::Continue);
        assert_eq!(p.stop_at(sim.now()), None, "its planned moment has passed");
        assert!(p.is_due(sim.now(), sim.milestones()));
    }

    #[test]
    fn free_play_leaves_at_any_step_and_restart_comes_back() {
        let s = poison();
        for at in 0..3 {
            let mut p = player_of(&s);
            p.act(LessonAction::Start);
            if at > 0 {
                p.arrive(SimTime::from_s(50));
            }
            if at > 1 {
                p.act(LessonAction::Choose(1));
                p.act(LessonAction::Reveal);
                p.act(LessonAction::Continue);
            }
            p.act(LessonAction::FreePlay);
            assert_eq!(p.stage(), Stage::FreePlay);
            assert!(!p.is_active());
            assert!(!p.is_running());
            assert_eq!(p.stop_at(SimTime::ZERO), None);
            assert!(!p.is_due(SimTime::from_s(100), &BTreeMap::new()));
            assert_eq!(p.act(LessonAction::Continue), None);
            assert_eq!(p.stage(), Stage::FreePlay);
            assert_eq!(
                p.act(LessonAction::Restart),
                Some(Rewind { at: SimTime::ZERO })
            );
            assert_eq!(p.stage(), Stage::Intro);
        }
    }

    #[test]
    fn beats_for_presenting() {
        let s = poison();
        let mut p = player_of(&s);
        assert_eq!(p.beat(), 0);
        assert_eq!(p.next_beat(), Some(LessonAction::Start));
        p.act(LessonAction::Start);
        assert_eq!(p.beat(), 0, "on the way to beat 1");
        assert_eq!(p.next_beat(), None);
        p.arrive(SimTime::from_s(50));
        assert_eq!(p.beat(), 1);
        // The room answered aloud: next shows the answer, then goes on.
        assert_eq!(p.next_beat(), Some(LessonAction::ShowAnswer));
        p.act(LessonAction::ShowAnswer);
        assert_eq!(p.guess(0), Guess::Told);
        assert!(!p.is_waiting_for_answer());
        p.act(LessonAction::Choose(0));
        assert_eq!(p.guess(0), Guess::Told, "told answers stay");
        assert_eq!(p.next_beat(), Some(LessonAction::Continue));
        // Reset to beat 3: step 3 at 12 hours.
        assert_eq!(
            p.act(LessonAction::GoTo(3)),
            Some(Rewind {
                at: SimTime::from_s(43_200)
            })
        );
        assert_eq!(p.stage(), Stage::AtStep { step: 2 });
        assert_eq!(p.beat(), 3);
        // Beat 2 waits for a milestone: its planned moment.
        assert_eq!(
            p.act(LessonAction::GoTo(2)),
            Some(Rewind {
                at: SimTime(60_202)
            })
        );
        assert_eq!(p.act(LessonAction::GoTo(9)), None, "no beat 9");
        assert_eq!(p.beat(), 2);
        assert_eq!(
            p.act(LessonAction::GoTo(0)),
            Some(Rewind { at: SimTime::ZERO })
        );
        assert_eq!(p.stage(), Stage::Intro);
    }

    #[test]
    fn a_run_that_ends_first_ends_the_lesson() {
        let lesson = Lesson {
            intro: "i".into(),
            steps: vec![Step {
                at_s: None,
                on: Some("first_expiry".into()),
                say: "never".into(),
                predict: Some(Prediction {
                    question: "q".into(),
                    choices: vec!["a".into(), "b".into()],
                    answer: 0,
                    why: "w".into(),
                }),
            }],
            takeaway: "t".into(),
            simplifications: vec![],
            try_it: None,
        };
        let s = scenario(include_str!("../../static/scenarios/steady.json"));
        let plan = plan(&s, &lesson);
        assert_eq!(plan, vec![None]);
        let mut p = Player::new(lesson, plan);
        p.act(LessonAction::Start);
        // No plan: the step is played towards the end of the run.
        assert_eq!(p.stop_at(SimTime::ZERO), None);
        assert_eq!(p.speed(SimTime::ZERO, SimTime::from_s(3_600)), 600.0);
        p.run_ended();
        assert_eq!(p.stage(), Stage::End);
    }

    #[test]
    fn a_stretch_speed_has_two_figures_within_the_pages_speeds() {
        assert_eq!(stretch_speed(50_000), 8.3);
        assert_eq!(stretch_speed(60_000), 10.0);
        assert_eq!(stretch_speed(86_400_000), 14_000.0);
        assert_eq!(stretch_speed(0), SPEEDS[0], "nothing to play: the slowest");
        assert_eq!(stretch_speed(u64::MAX), SPEEDS[SPEEDS.len() - 1]);
    }

    /// Every stretch of every lesson, played as the page plays it, takes 4 to 8 s of
    /// wall time at the speed the player asks: its simulated length over its speed.
    #[test]
    fn every_stretch_of_every_lesson_takes_four_to_eight_seconds() {
        let (low, high) = SEGMENT_WALL_S_RANGE;
        for b in crate::view::scenarios::BUILT_IN {
            let s = scenario(b.json);
            if s.lesson.is_none() {
                continue;
            }
            let mut p = player_of(&s);
            let mut sim = Simulation::new(&s);
            p.act(LessonAction::Start);
            while let Stage::Running { step } = p.stage() {
                let from = sim.now();
                let speed = p.speed(sim.now(), sim.end());
                // A milestone the plan saw at or before this moment (partial-failures
                // loses records in its first second) is shown at the next frame.
                let at_once = p.plan[step].is_some_and(|at| at <= from);
                // As the page does: a step due at once (its milestone came earlier)
                // speaks at once, with nothing to play.
                let at = if p.is_due(sim.now(), sim.milestones()) {
                    p.arrive(sim.now());
                    sim.now()
                } else {
                    play_to_step(&mut p, &mut sim, 250)
                };
                let simulated_s = (at.0 - from.0) as f64 / 1_000.0;
                let wall_s = simulated_s / speed;
                // A milestone reached before its step is due speaks at once.
                assert!(
                    simulated_s == 0.0 || at_once || (low..=high).contains(&wall_s),
                    "{} step {step}: {simulated_s} s simulated at {speed} x takes {wall_s:.1} s",
                    b.file
                );
                if p.is_waiting_for_answer() {
                    p.act(LessonAction::Choose(0));
                    p.act(LessonAction::Reveal);
                }
                p.act(LessonAction::Continue);
            }
            assert_eq!(p.stage(), Stage::End, "{}", b.file);
        }
    }

    #[test]
    fn every_lesson_plays_to_its_end() {
        for b in crate::view::scenarios::BUILT_IN {
            let s = scenario(b.json);
            if s.lesson.is_none() {
                continue;
            }
            let mut p = player_of(&s);
            let mut sim = Simulation::new(&s);
            p.act(LessonAction::Start);
            let mut last = SimTime::ZERO;
            while p.is_running() {
                let at = play_to_step(&mut p, &mut sim, 250);
                assert!(at >= last, "{}: steps in time order", b.file);
                last = at;
                if let Stage::AtStep { step } = p.stage() {
                    assert_eq!(p.reached(step), Some(at));
                    if p.is_waiting_for_answer() {
                        p.act(LessonAction::Choose(0));
                        p.act(LessonAction::Reveal);
                    }
                    p.act(LessonAction::Continue);
                }
            }
            assert_eq!(p.stage(), Stage::End, "{}", b.file);
            assert!(
                p.reached.iter().all(Option::is_some),
                "{}: every step was shown",
                b.file
            );
        }
    }
}
