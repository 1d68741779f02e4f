//! The two themes' colours and the WCAG contrast maths that keeps their text
//! readable.

/// Colours of one theme: Okabe-Ito for meanings, neutral greys for the rest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Theme {
    pub background: &'static str,
    pub text: &'static str,
    pub muted: &'static str,
    /// The empty tube.
    pub track: &'static str,
    /// Records waiting in the shard.
    pub waiting: &'static str,
    /// Records every mapping has processed (still in the shard until trimmed).
    pub processed: &'static str,
    /// Flow marks riding the waiting and the processed fill.
    pub flow_on_waiting: &'static str,
    pub flow_on_processed: &'static str,
    /// A batch in flight.
    pub batch: &'static str,
    /// A poison pill, and (faintly) the lane blocked behind it.
    pub poison: &'static str,
    pub poison_hatch: &'static str,
    pub blocked_hatch: &'static str,
    /// Entries throttled at the write head.
    pub throttled: &'static str,
    pub throttled_outline: &'static str,
    /// Records lost to the trim horizon, in the bucket.
    pub lost: &'static str,
    pub lost_fill: &'static str,
    /// What the bucket holds, filling from its bottom.
    pub lost_level: &'static str,
    /// The outline of a highlighted lane and of the followed record.
    pub highlight: &'static str,
    /// Text on a batch (dark on orange in both themes).
    pub on_batch: &'static str,
    /// The OnFailure destination's box.
    pub destination_fill: &'static str,
    /// Slots of the mapped functions (in order), of the account's other functions,
    /// and free ones.
    pub functions: [&'static str; 3],
    pub other_functions: &'static str,
    pub free_slot: &'static str,
    /// Chart grid lines and the limit line.
    pub grid: &'static str,
    pub limit: &'static str,
    /// Chart lines: a second value line, and trouble (errors, throttles, losses).
    pub value_alt: &'static str,
    pub trouble: &'static str,
    pub trouble_alt: &'static str,
}

pub const LIGHT: Theme = Theme {
    background: "#ffffff",
    text: "#1b1f24",
    muted: "#57606a",
    track: "#e6e9ed",
    waiting: "#0072B2",
    processed: "#7fcbb3",
    flow_on_waiting: "#9fd0ee",
    flow_on_processed: "#2f7d66",
    batch: "#E69F00",
    poison: "#D55E00",
    poison_hatch: "#3b1700",
    blocked_hatch: "rgba(213, 94, 0, 0.40)",
    throttled: "#F0E442",
    throttled_outline: "#3d3a00",
    lost: "#1b1f24",
    lost_fill: "#f3f4f6",
    lost_level: "#c4cad3",
    highlight: "#1b1f24",
    on_batch: "#1b1f24",
    destination_fill: "#fff4dc",
    functions: ["#0072B2", "#E69F00", "#009E73"],
    other_functions: "#CC79A7",
    free_slot: "#e6e9ed",
    grid: "#d8dee4",
    limit: "#1b1f24",
    value_alt: "#009E73",
    trouble: "#D55E00",
    trouble_alt: "#CC79A7",
};

pub const DARK: Theme = Theme {
    background: "#161b22",
    text: "#e6edf3",
    muted: "#9da7b3",
    track: "#252c35",
    waiting: "#3d9bd6",
    processed: "#1f6b56",
    flow_on_waiting: "#0b3f63",
    flow_on_processed: "#7fd4b8",
    batch: "#E69F00",
    poison: "#D55E00",
    poison_hatch: "#fff3e8",
    blocked_hatch: "rgba(240, 120, 40, 0.45)",
    throttled: "#F0E442",
    throttled_outline: "#0d1117",
    lost: "#f0f3f6",
    lost_fill: "#0d1117",
    lost_level: "#3b4450",
    highlight: "#f0f3f6",
    on_batch: "#0d1117",
    destination_fill: "#2b2213",
    functions: ["#3d9bd6", "#E69F00", "#009E73"],
    other_functions: "#CC79A7",
    free_slot: "#252c35",
    grid: "#30363d",
    limit: "#e6edf3",
    value_alt: "#009E73",
    trouble: "#f07b3f",
    trouble_alt: "#CC79A7",
};

impl Theme {
    pub fn for_scheme(dark: bool) -> &'static Theme {
        if dark {
            &DARK
        } else {
            &LIGHT
        }
    }

    /// The colour of the `i`th mapped function's slots and markers.
    pub fn function(&self, i: usize) -> &'static str {
        self.functions[i % self.functions.len()]
    }
}

/// `#rrggbb` as red, green, blue in 0..=255; `None` for anything else.
pub fn parse_hex(colour: &str) -> Option<(u8, u8, u8)> {
    let hex = colour.strip_prefix('#')?;
    if hex.len() != 6 {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
    Some((byte(0)?, byte(2)?, byte(4)?))
}

/// WCAG 2 relative luminance of an sRGB colour.
pub fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
}

/// WCAG 2 contrast ratio of two `#rrggbb` colours (1 to 21); `None` if either is not
/// in that form.
pub fn contrast(a: &str, b: &str) -> Option<f64> {
    let la = luminance(parse_hex(a)?);
    let lb = luminance(parse_hex(b)?);
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    Some((hi + 0.05) / (lo + 0.05))
}
