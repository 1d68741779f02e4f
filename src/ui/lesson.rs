//! The lesson player's panel: the introduction with "Start", each step's words, the
//! prediction (choose, check, see the answer and why), Back, Continue, free play, and
//! at the end the takeaway and what the model simplifies. The logic is
//! `view::lesson::Player`; this only draws it and turns clicks into actions.

use web_sys::HtmlElement;
use yew::prelude::*;

use crate::sim::Step;
use crate::view::compare::Variation;
use crate::view::lesson::{is_right, try_it, Guess, LessonAction, Player, Stage};

#[derive(Properties, PartialEq)]
pub struct LessonProps {
    pub player: Player,
    /// The run is playing (towards the next step).
    pub playing: bool,
    /// A rebuild is replaying the run to a step's moment.
    pub replaying: bool,
    pub on_action: Callback<LessonAction>,
    /// "Try it": open Compare side by side with the lesson's fix.
    pub on_try: Callback<Variation>,
}

#[function_component(LessonPanel)]
pub fn lesson_panel(props: &LessonProps) -> Html {
    let p = &props.player;
    let stage = p.stage();
    let focus = use_node_ref();
    {
        // A new stage takes the keyboard focus to its first control, so Enter or
        // Space goes on; the polite live region reads the words.
        let focus = focus.clone();
        use_effect_with((stage, props.player.is_waiting_for_answer()), move |_| {
            if let Some(el) = focus.cast::<HtmlElement>() {
                let _ = el.focus();
            }
        });
    }
    let on = |a: LessonAction| props.on_action.reform(move |_| a);
    let busy = props.replaying;
    let back = html! {
        <button type="button" data-testid="lesson-back" disabled={busy}
            onclick={on(LessonAction::Back)}>{ "Back" }</button>
    };
    let free = html! {
        <button type="button" class="lesson-quiet" data-testid="lesson-free-play"
            onclick={on(LessonAction::FreePlay)}
            title="Leave the lesson here: the run stays, every control is yours">
            { "Free play" }
        </button>
    };
    let body = match stage {
        Stage::Intro => html! {
            <>
                <p class="lesson-text" data-testid="lesson-text">{ &p.lesson().intro }</p>
                <div class="lesson-buttons">
                    <button type="button" class="primary" data-testid="lesson-start" ref={focus.clone()}
                        disabled={busy} onclick={on(LessonAction::Start)}>{ "Start" }</button>
                    { free }
                </div>
            </>
        },
        Stage::Running { .. } => html! {
            <>
                <p class="lesson-text lesson-waiting" data-testid="lesson-text">
                    { "Watch the picture: the run pauses when the next step comes." }
                </p>
                <div class="lesson-buttons">
                    <button type="button" data-testid="lesson-play" ref={focus.clone()}
                        aria-pressed={(!props.playing).to_string()}
                        onclick={on(LessonAction::TogglePlay)}>
                        { if props.playing { "Pause" } else { "Resume" } }
                    </button>
                    { back }
                    { free }
                </div>
            </>
        },
        Stage::AtStep { step } => {
            let Some(s) = p.lesson().steps.get(step) else {
                return Html::default();
            };
            let waiting = p.is_waiting_for_answer();
            let has_question = s.predict.is_some();
            html! {
                <>
                    <p class="lesson-text" data-testid="lesson-text">{ &s.say }</p>
                    { view_prediction(s, p.guess(step), &props.on_action, &focus) }
                    <div class="lesson-buttons">
                        if has_question {
                            { back }
                            <button type="button" class="primary" data-testid="lesson-continue"
                                ref={if waiting { NodeRef::default() } else { focus.clone() }}
                                disabled={waiting || busy} onclick={on(LessonAction::Continue)}
                                title={waiting.then_some("Answer the question first")}>
                                { "Continue" }
                            </button>
                        } else {
                            { back }
                            <button type="button" class="primary" data-testid="lesson-continue"
                                ref={focus.clone()} disabled={busy}
                                onclick={on(LessonAction::Continue)}>{ "Continue" }</button>
                        }
                        { free }
                    </div>
                </>
            }
        }
        Stage::End => {
            let lesson = p.lesson();
            html! {
                <>
                    if !lesson.takeaway.is_empty() {
                        <h3 class="lesson-subtitle">{ "What to remember" }</h3>
                        <p class="lesson-text" data-testid="lesson-takeaway">{ &lesson.takeaway }</p>
                    }
                    if !lesson.simplifications.is_empty() {
                        <h3 class="lesson-subtitle">{ "What the model simplifies" }</h3>
                        <ul class="lesson-simplifications" data-testid="lesson-simplifications">
                            { for lesson.simplifications.iter().map(|s| html! { <li>{ s }</li> }) }
                        </ul>
                    }
                    { view_try_it(p, &props.on_try) }
                    <div class="lesson-buttons">
                        { back }
                        <button type="button" data-testid="lesson-restart"
                            onclick={on(LessonAction::Restart)}>{ "Start the lesson again" }</button>
                        <button type="button" class="primary" data-testid="lesson-free-play" ref={focus.clone()}
                            onclick={on(LessonAction::FreePlay)}>{ "Play freely from here" }</button>
                    </div>
                </>
            }
        }
        Stage::FreePlay => html! {
            <div class="lesson-buttons lesson-left">
                <p class="lesson-text">{ "Free play: every control is yours." }</p>
                <button type="button" data-testid="lesson-restart" ref={focus.clone()}
                    onclick={on(LessonAction::Restart)}>{ "Start the lesson again" }</button>
            </div>
        },
    };
    let class = classes!(
        "lesson",
        matches!(stage, Stage::FreePlay).then_some("lesson-free"),
        matches!(stage, Stage::End).then_some("lesson-end"),
    );
    html! {
        <section {class} aria-label="Lesson" data-testid="lesson"
            data-stage={stage_name(stage)} data-step={step_of(stage)}>
            <header class="lesson-head">
                <span class="lesson-kicker">{ "Lesson" }</span>
                <span class="lesson-progress num" data-testid="lesson-progress">{ p.progress() }</span>
                if p.steps() > 0 && !matches!(stage, Stage::FreePlay) {
                    { view_dots(p, stage) }
                }
            </header>
            { body }
        </section>
    }
}

/// The end's "Try it": the lesson's fix, run side by side with the lesson as it ran.
fn view_try_it(p: &Player, on_try: &Callback<Variation>) -> Html {
    let Ok(Some(v)) = try_it(p.lesson()) else {
        return Html::default();
    };
    let what = format!(
        "The fix, {}, against this lesson's {}: the same run on the same seed, side by side.",
        v.right_label, v.left_label
    );
    let onclick = on_try.reform(move |_| v.clone());
    html! {
        <div class="lesson-try" data-testid="lesson-try">
            <h3 class="lesson-subtitle">{ "Try it" }</h3>
            <p class="lesson-text">{ what }</p>
            <button type="button" class="primary" data-testid="lesson-try-it" {onclick}>
                { "Try the fix in Compare" }
            </button>
        </div>
    }
}

/// The stage's name for tests and styling.
fn stage_name(stage: Stage) -> &'static str {
    match stage {
        Stage::Intro => "intro",
        Stage::Running { .. } => "running",
        Stage::AtStep { .. } => "step",
        Stage::End => "end",
        Stage::FreePlay => "free-play",
    }
}

fn step_of(stage: Stage) -> String {
    match stage {
        Stage::Running { step } | Stage::AtStep { step } => step.to_string(),
        _ => String::new(),
    }
}

/// One dot a step: done, current, to come.
fn view_dots(p: &Player, stage: Stage) -> Html {
    let current = match stage {
        Stage::Running { step } | Stage::AtStep { step } => Some(step),
        Stage::End => Some(p.steps()),
        _ => None,
    };
    html! {
        <span class="lesson-dots" aria-hidden="true">
            { for (0..p.steps()).map(|i| {
                let class = match current {
                    Some(c) if i < c => "dot done",
                    Some(c) if i == c && matches!(stage, Stage::AtStep { .. }) => "dot here",
                    _ => "dot",
                };
                html! { <span {class} /> }
            }) }
        </span>
    }
}

/// The step's question: choices as radio buttons, "Check my answer", then whether it
/// was right, the answer and why.
fn view_prediction(
    step: &Step,
    guess: Guess,
    on_action: &Callback<LessonAction>,
    focus: &NodeRef,
) -> Html {
    let Some(p) = &step.predict else {
        return Html::default();
    };
    let revealed = match guess {
        Guess::Revealed(i) => Some(i),
        _ => None,
    };
    let chosen = match guess {
        Guess::Chosen(i) | Guess::Revealed(i) => Some(i),
        Guess::Pending | Guess::Told => None,
    };
    let told = guess == Guess::Told;
    let shown = told || revealed.is_some();
    html! {
        <fieldset class="predict" data-testid="predict">
            <legend class="predict-question">
                <span class="predict-kicker">{ "Predict" }</span>
                { &p.question }
            </legend>
            <div class="predict-choices">
                { for p.choices.iter().enumerate().map(|(i, choice)| {
                    let right = shown && i == p.answer;
                    let wrong = revealed == Some(i) && i != p.answer;
                    let class = classes!(
                        "predict-choice",
                        (chosen == Some(i)).then_some("chosen"),
                        right.then_some("right"),
                        wrong.then_some("wrong"),
                    );
                    let node = if i == 0 && !shown { focus.clone() } else { NodeRef::default() };
                    html! {
                        <label {class} data-testid={format!("predict-choice-{i}")}>
                            <input type="radio" name="predict" ref={node}
                                checked={chosen == Some(i)} disabled={shown}
                                onchange={on_action.reform(move |_| LessonAction::Choose(i))} />
                            <span>{ choice }</span>
                            if right { <span class="predict-mark">{ "the answer" }</span> }
                        </label>
                    }
                }) }
            </div>
            if let Some(i) = revealed {
                <div class={classes!("predict-reveal", if is_right(step, i) { "right" } else { "wrong" })}
                    data-testid="predict-reveal" role="status">
                    <strong>{ if is_right(step, i) { "Right." } else { "Not quite." } }</strong>
                    { " The answer: " }
                    <em>{ p.choices.get(p.answer).cloned().unwrap_or_default() }</em>
                    { ". " }
                    { &p.why }
                </div>
            } else if told {
                <div class="predict-reveal" data-testid="predict-reveal" role="status">
                    <strong>{ "The answer: " }</strong>
                    <em>{ p.choices.get(p.answer).cloned().unwrap_or_default() }</em>
                    { ". " }
                    { &p.why }
                </div>
            } else {
                <button type="button" class="primary" data-testid="predict-check"
                    disabled={chosen.is_none()}
                    onclick={on_action.reform(|_| LessonAction::Reveal)}>{ "Check my answer" }</button>
            }
        </fieldset>
    }
}
