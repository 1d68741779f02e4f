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

pub fn legend() -> Html {
    html! {
        <figcaption class="legend" data-testid="legend">
            { for ITEMS.iter().map(|&(class, words)| html! {
                <span class="legend-item">
                    <span class={classes!("swatch", class)} aria-hidden="true" />{ words }
                </span>
            }) }
        </figcaption>
    }
}
