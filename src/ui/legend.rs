//! The stream picture's legend: every colour and pattern the picture uses, with the
//! same meaning in both themes (design.md). Swatches are CSS, so they follow the theme.

use yew::prelude::*;

/// What each swatch means, by its CSS class.
const ITEMS: [(&str, &str); 10] = [
    ("waiting", "Waiting records"),
    ("batch", "Batch in flight (lifts to the function)"),
    ("retry", "Batch waiting to be retried"),
    ("processed", "Processed"),
    ("poison", "Poison pill"),
    ("throttled", "Throttled put"),
    ("other", "Other functions"),
    ("lost", "Lost (expired)"),
    ("destination", "OnFailure destination"),
    ("traced", "Followed record"),
];

/// The words the picture writes, explained where a reader meets them.
const TERMS: [(&str, &str); 3] = [
    (
        "λ 100",
        "a batch of 100 records handed to the Lambda function (λ stands for Lambda)",
    ),
    (
        "trim horizon",
        "a lane's left end: records older than the retention period leave the stream there",
    ),
    (
        "one cell = N slots",
        "each cell of the concurrency grid stands for N of the account's concurrent executions",
    ),
];

pub fn legend() -> Html {
    html! {
        <figcaption class="legend" data-testid="legend">
            { for ITEMS.iter().map(|&(class, words)| html! {
                <span class="legend-item">
                    <span class={classes!("swatch", class)} aria-hidden="true" />{ words }
                </span>
            }) }
            <dl class="legend-terms" data-testid="legend-terms">
                { for TERMS.iter().map(|&(term, words)| html! {
                    <div>
                        <dt>{ term }</dt>
                        <dd>{ words }</dd>
                    </div>
                }) }
            </dl>
        </figcaption>
    }
}
