//! The challenge panel: the goal, the settings that count (with their values now),
//! "Check my settings", and the verdict with each goal's figure and why. The scoring
//! is `view::lesson_challenge` and `sim::challenge`; this only draws it.

use yew::prelude::*;

use crate::sim::Challenge;
use crate::view::page::check::CheckState;

#[derive(Properties, PartialEq)]
pub struct ChallengeProps {
    pub challenge: Challenge,
    /// The settings that count, with their values in the reader's run.
    pub settings: Vec<(String, String)>,
    pub state: CheckState,
    pub on_check: Callback<()>,
}

#[function_component(ChallengePanel)]
pub fn challenge_panel(props: &ChallengeProps) -> Html {
    let c = &props.challenge;
    let running = matches!(props.state, CheckState::Running(_));
    let verdict = match &props.state {
        CheckState::Idle => Html::default(),
        CheckState::Running(p) => html! {
            <p class="challenge-progress" role="status" data-testid="challenge-progress">
                { format!("Running the challenge on seed {}… {:.0}%", c.seed, p * 100.0) }
            </p>
        },
        CheckState::Refused(e) => html! {
            <p class="challenge-refused" role="alert" data-testid="challenge-refused">{ e }</p>
        },
        CheckState::Done(score, scored, took_ms) => html! {
            <div class={classes!("challenge-verdict", if score.passed { "passed" } else { "failed" })}
                role="status" data-testid="challenge-verdict" data-passed={score.passed.to_string()}>
                <p class="challenge-headline">
                    { if score.passed { "Passed: every goal holds." } else { "Not yet: a goal is missed." } }
                </p>
                <ul class="challenge-checks">
                    { for score.checks.iter().enumerate().map(|(i, check)| html! {
                        <li class={if check.passed { "ok" } else { "missed" }}
                            data-testid={format!("challenge-check-{i}")} data-passed={check.passed.to_string()}
                            data-value={check.value.to_string()}>
                            <span class="challenge-mark" aria-hidden="true">{ if check.passed { "✓" } else { "✗" } }</span>
                            <span>
                                <strong>{ &check.goal }</strong>
                                { if check.passed { ": met. " } else { ": missed. " } }
                                { capitalised(&check.why) }
                                { "." }
                            </span>
                        </li>
                    }) }
                </ul>
                <p class="challenge-scored">
                    { format!("Scored on seed {} with ", c.seed) }
                    { scored.iter().map(|(k, v)| format!("{k} = {v}")).collect::<Vec<_>>().join(", ") }
                    { format!(" ({:.2} s to run).", took_ms / 1_000.0) }
                </p>
                if score.passed && !c.debrief.is_empty() {
                    <p class="challenge-debrief">{ &c.debrief }</p>
                }
            </div>
        },
    };
    html! {
        <section class="challenge" aria-label="Challenge" data-testid="challenge">
            <header class="lesson-head">
                <span class="lesson-kicker">{ "Challenge" }</span>
                <span class="lesson-progress num">{ format!("scored on seed {}", c.seed) }</span>
            </header>
            <p class="lesson-text" data-testid="challenge-goal">{ &c.goal }</p>
            <div class="challenge-knobs">
                <span class="challenge-knobs-title">{ "Settings that count (the controls on the left):" }</span>
                <ul>
                    { for props.settings.iter().map(|(k, v)| html! {
                        <li><code>{ k }</code>{ " = " }<span class="num">{ v }</span></li>
                    }) }
                </ul>
            </div>
            <div class="lesson-buttons">
                <button type="button" class="primary" data-testid="challenge-check" disabled={running}
                    onclick={props.on_check.reform(|_| ())}>
                    { if running { "Checking…" } else { "Check my settings" } }
                </button>
            </div>
            { verdict }
        </section>
    }
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
