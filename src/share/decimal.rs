//! Reads a decimal number as `str::parse::<f64>` does (the same grammar, the same
//! correctly rounded result), without the standard library's parser, whose
//! 128-bit power-of-five table and fast paths are about 10 KiB of the light
//! embed's gzipped WebAssembly (issue 16, docs/bundle-size.md). The link reader
//! (`share::url`) is its only user: it reads a handful of short numbers, so speed
//! does not matter here. Checked against `str::parse` in this module's tests.
//!
//! How: a first guess in `f64` arithmetic from the leading digits, then corrected
//! one step at a time by comparing the exact decimal with the exact midpoints to
//! the guess's neighbours (big integers, ties to even).

use std::cmp::Ordering;

use crate::sim::float_parts;

/// The value of `s`, or `None` where `str::parse::<f64>` would fail.
pub fn parse_f64(s: &str) -> Option<f64> {
    let (neg, rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let magnitude = if rest.eq_ignore_ascii_case("inf") || rest.eq_ignore_ascii_case("infinity") {
        f64::INFINITY
    } else if rest.eq_ignore_ascii_case("nan") {
        f64::NAN
    } else {
        finite(rest.as_bytes())?
    };
    Some(if neg { -magnitude } else { magnitude })
}

/// Digits with an optional point and exponent, unsigned.
fn finite(b: &[u8]) -> Option<f64> {
    let mut digits: Vec<u8> = Vec::new();
    let mut exp10: i64 = 0;
    let mut seen = false;
    let mut i = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        seen = true;
        if !(digits.is_empty() && b[i] == b'0') {
            digits.push(b[i] - b'0');
        }
        i += 1;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            seen = true;
            if digits.is_empty() && b[i] == b'0' {
                exp10 -= 1;
            } else {
                digits.push(b[i] - b'0');
                exp10 -= 1;
            }
            i += 1;
        }
    }
    if !seen {
        return None;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        let neg = match b.get(i) {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        let start = i;
        let mut e: i64 = 0;
        while i < b.len() && b[i].is_ascii_digit() {
            e = (e * 10 + i64::from(b[i] - b'0')).min(1 << 40);
            i += 1;
        }
        if i == start {
            return None;
        }
        exp10 += if neg { -e } else { e };
    }
    if i != b.len() {
        return None;
    }
    while digits.last() == Some(&0) {
        digits.pop();
        exp10 += 1;
    }
    if digits.is_empty() {
        return Some(0.0);
    }
    // The value is below 10^(len + exp10) and at least 10^(len + exp10 - 1).
    let top = digits.len() as i64 + exp10;
    if top > 310 {
        return Some(f64::INFINITY);
    }
    if top < -324 {
        return Some(0.0);
    }
    Some(rounded(&digits, exp10))
}

/// `digits` × 10^`exp10`, correctly rounded; the value is within f64's range give
/// or take one power of ten.
fn rounded(digits: &[u8], exp10: i64) -> f64 {
    let lead = digits.len().min(19);
    let w = digits[..lead]
        .iter()
        .fold(0u64, |w, &d| w * 10 + u64::from(d));
    let q = (exp10 + (digits.len() - lead) as i64) as i32;
    let mut x = (w as f64) * 10f64.powi(q / 2) * 10f64.powi(q - q / 2);
    if x == 0.0 {
        x = f64::from_bits(1);
    }
    if x.is_infinite() {
        x = f64::MAX;
    }
    let mut value = Big::from_digits(digits);
    let mut value_exp10 = exp10;
    // Keeps the exponents the comparisons scale by small.
    if value_exp10 > 0 {
        value.mul_pow10(value_exp10 as u32);
        value_exp10 = 0;
    }
    loop {
        let (m, e) = float_parts(x);
        let odd = m & 1 == 1;
        let above = compare(&value, value_exp10, 2 * m + 1, e - 1);
        if above == Ordering::Greater || (above == Ordering::Equal && odd) {
            if x == f64::MAX {
                return f64::INFINITY;
            }
            x = f64::from_bits(x.to_bits() + 1);
            continue;
        }
        // The midpoint below: a binade's first value has a neighbour half as far.
        let below = if m == 1 << 52 && e > -1074 {
            compare(&value, value_exp10, 4 * m - 1, e - 2)
        } else {
            compare(&value, value_exp10, 2 * m - 1, e - 1)
        };
        if below == Ordering::Less || (below == Ordering::Equal && odd) {
            if x.to_bits() == 1 {
                return 0.0;
            }
            x = f64::from_bits(x.to_bits() - 1);
            continue;
        }
        return x;
    }
}

/// `value` × 10^`value_exp10` (the exponent 0 or below) against `n` × 2^`e`.
fn compare(value: &Big, value_exp10: i64, n: u64, e: i64) -> Ordering {
    let mut left = value.clone();
    let mut right = Big::from_u64(n);
    if value_exp10 < 0 {
        right.mul_pow10((-value_exp10) as u32);
    }
    if e >= 0 {
        right.shl(e as u32);
    } else {
        left.shl((-e) as u32);
    }
    left.cmp(&right)
}

/// An unsigned big integer, 32-bit limbs, least significant first, no leading zeros.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Big(Vec<u32>);

impl Big {
    fn from_u64(n: u64) -> Big {
        let mut b = Big(vec![n as u32, (n >> 32) as u32]);
        b.trim();
        b
    }

    fn from_digits(digits: &[u8]) -> Big {
        let mut b = Big(Vec::new());
        for chunk in digits.chunks(9) {
            let n = chunk.iter().fold(0u32, |n, &d| n * 10 + u32::from(d));
            b.mul_add(10u32.pow(chunk.len() as u32), n);
        }
        b
    }

    fn trim(&mut self) {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
    }

    fn mul_add(&mut self, by: u32, add: u32) {
        let mut carry = u64::from(add);
        for limb in &mut self.0 {
            let v = u64::from(*limb) * u64::from(by) + carry;
            *limb = v as u32;
            carry = v >> 32;
        }
        if carry > 0 {
            self.0.push(carry as u32);
        }
        self.trim();
    }

    fn mul_pow10(&mut self, mut k: u32) {
        while k > 0 {
            let step = k.min(9);
            self.mul_add(10u32.pow(step), 0);
            k -= step;
        }
    }

    fn shl(&mut self, bits: u32) {
        if self.0.is_empty() {
            return;
        }
        let (limbs, bits) = ((bits / 32) as usize, bits % 32);
        if bits > 0 {
            let mut carry = 0u32;
            for limb in &mut self.0 {
                let v = (u64::from(*limb) << bits) | u64::from(carry);
                *limb = v as u32;
                carry = (v >> 32) as u32;
            }
            if carry > 0 {
                self.0.push(carry);
            }
        }
        self.0.splice(0..0, std::iter::repeat_n(0, limbs));
    }

    fn cmp(&self, other: &Big) -> Ordering {
        self.0
            .len()
            .cmp(&other.0.len())
            .then_with(|| self.0.iter().rev().cmp(other.0.iter().rev()))
    }
}

#[cfg(test)]
mod tests {
    use super::parse_f64;

    fn same(s: &str) {
        let want = s.parse::<f64>().ok();
        let got = parse_f64(s);
        match (want, got) {
            (Some(w), Some(g)) if w.is_nan() => assert!(g.is_nan(), "{s:?}: {g}"),
            (Some(w), Some(g)) => assert_eq!(w.to_bits(), g.to_bits(), "{s:?}: {w} against {g}"),
            (None, None) => {}
            _ => panic!("{s:?}: str::parse {want:?}, parse_f64 {got:?}"),
        }
    }

    #[test]
    fn reads_what_str_parse_reads() {
        for s in [
            "0",
            "1",
            "-1",
            "+1",
            "1.",
            ".5",
            "-.5",
            "0.1",
            "0.30000000000000004",
            "60",
            "0.25",
            "100000",
            "31622400",
            "31622400.5",
            "12.345",
            "1e3",
            "1E3",
            "1e+3",
            "1e-3",
            "2.5e-1",
            "inf",
            "-Infinity",
            "NaN",
            "nan",
            "00012",
            "0.000",
            "-0",
            "1e308",
            "1.7976931348623157e308",
            "1.7976931348623158e308",
            "1.8e308",
            "1e309",
            "4.9e-324",
            "2.4703282292062327e-324",
            "2.4703282292062328e-324",
            "5e-324",
            "1e-400",
            "2.2250738585072011e-308",
            "2.2250738585072014e-308",
            "9007199254740993",
            "9007199254740992.5",
            "123456789012345678901234567890",
            "0.1000000000000000055511151231257827021181583404541015625",
            "1e99999999999999999999",
            "1e-99999999999999999999",
            "",
            ".",
            "e5",
            "1e",
            "1e+",
            "+",
            "-",
            "1.2.3",
            "1 ",
            " 1",
            "0x10",
            "1_0",
            "++1",
            "in",
            "infinit",
            "1e5x",
            "5.e2",
            "-.e2",
        ] {
            same(s);
        }
    }

    #[test]
    fn every_shortest_text_reads_back() {
        // A deterministic walk over many magnitudes: what f64's Display writes (and
        // the link writer writes) reads back to the same bits.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..5_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let f = f64::from_bits(x);
            if f.is_finite() {
                same(&f.to_string());
                same(&format!("{f:e}"));
                same(&format!("{f:.3}"));
            }
        }
    }
}
