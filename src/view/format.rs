//! Numbers as the page prints them: thousands grouped, units always shown.
//!
//! Pure: no web APIs, so it is tested natively.

use crate::sim::Fixed;

/// `1234567` as `"1,234,567"`.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A decimal that is usually whole: `2500.0` as `"2,500"`, `0.5` as `"0.50"`.
pub fn grouped_f64(x: f64) -> String {
    if x.is_finite() && x >= 0.0 && x.fract() == 0.0 && x < 1e18 {
        grouped(x as u64)
    } else {
        Fixed(x, 2).to_string()
    }
}

/// A count with its unit, singular or plural: `1 record`, `2,500 records`.
pub fn count(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", grouped(n), if n == 1 { one } else { many })
}

/// A rate with its unit: `2,500 records/s`.
pub fn per_s(n: u64, unit: &str) -> String {
    format!("{} {unit}/s", grouped(n))
}

/// Text made safe inside HTML or XML (SVG) content and attribute values: the five
/// markup characters escaped (`&#39;` reads the same in both), and the control
/// characters XML 1.0 forbids dropped.
pub fn escape_markup(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_escaped_for_html_and_xml() {
        assert_eq!(
            escape_markup("<img src=x onerror='a(\"b\")'>&\u{7}"),
            "&lt;img src=x onerror=&#39;a(&quot;b&quot;)&#39;&gt;&amp;"
        );
        assert_eq!(escape_markup("shard 0\n"), "shard 0\n");
    }

    #[test]
    fn groups_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1_000), "1,000");
        assert_eq!(grouped(123_456), "123,456");
        assert_eq!(grouped(1_234_567), "1,234,567");
        assert_eq!(grouped(u64::MAX), "18,446,744,073,709,551,615");
    }

    #[test]
    fn whole_decimals_are_grouped_and_fractions_keep_two_places() {
        assert_eq!(grouped_f64(2_500.0), "2,500");
        assert_eq!(grouped_f64(0.5), "0.50");
    }

    #[test]
    fn units_are_always_shown() {
        assert_eq!(count(1, "record", "records"), "1 record");
        assert_eq!(count(0, "record", "records"), "0 records");
        assert_eq!(count(2_500, "record", "records"), "2,500 records");
        assert_eq!(per_s(12_000, "records"), "12,000 records/s");
    }
}
