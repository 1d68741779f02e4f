//! Writes an `f64` as the standard library's `{}` and `{:.N}` do, character for
//! character, without its float formatting (issue 16).
//!
//! `f64`'s `Display` is Grisu with a Dragon fallback for the shortest digits, and the
//! same pair again for exact rounding, with their tables: about 15 KB of the light
//! embed's WebAssembly for a handful of numbers in messages and labels. Here the
//! shortest digits come from `zmij`, which serde_json already links in to write JSON
//! numbers, and `{:.N}` from the exact decimal expansion of the binary value (m × 5^k
//! in base 10^9 limbs), rounded half to even as std rounds. In the core because the
//! scenario's own checks (`Checker::range_f64`) write numbers, and `view` and `share`
//! use it too. Checked against std's formatting in this module's tests.
//!
//! [`Shortest`] is `{}`: the shortest digits that read back as the same `f64` (the
//! closest such when there are several), laid out without an exponent (`1e21` as 22
//! digits, `1e-7` as `0.0000001`), no `.0` for whole numbers, `-0` for minus zero,
//! `NaN`, `inf`, `-inf`. [`Fixed`] is `{:.N}`: `N` places, the exact binary value
//! rounded half to even (`0.125` at 2 places is `0.12`, `2.5` at none is `2`), the sign
//! kept when the value rounds to zero (`-0.001` at 2 places is `-0.00`). Neither takes a
//! width or other flags: a `{:>8}` of one pads as a string would.
//!
//! Only the `light` build (the embed) writes with this module's code: the full page
//! carries std's float formatting anyway (its charts, log and tables write numbers
//! everywhere), so there the two types write with std, and the page does not carry
//! both. The tests check this module's code against std in every build.
//!
//! [`Clamp::clamp_to`] is `f64::clamp` whose assertion (`min <= max`) does not format
//! the bounds with `{:?}`: std's does, and so takes its float formatting into every
//! build that clamps an `f64` between bounds it cannot prove ordered.

use std::fmt;

/// `{}` of an `f64`, as std writes it: `format!("{}", Shortest(x))`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Shortest(pub f64);

/// `{:.N}` of an `f64`, as std writes it: `format!("{}", Fixed(x, 2))` is `{x:.2}`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fixed(pub f64, pub usize);

impl fmt::Display for Shortest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if cfg!(feature = "light") {
            f.write_str(&shortest(self.0))
        } else {
            write!(f, "{}", self.0)
        }
    }
}

impl fmt::Display for Fixed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if cfg!(feature = "light") {
            f.write_str(&fixed(self.0, self.1))
        } else {
            write!(f, "{:.*}", self.1, self.0)
        }
    }
}

/// `{}` of `x`.
fn shortest(x: f64) -> String {
    if let Some(s) = not_finite(x) {
        return s.to_string();
    }
    let mut out = String::new();
    if x.is_sign_negative() {
        out.push('-');
    }
    if x == 0.0 {
        out.push('0');
        return out;
    }
    let (digits, point) = shortest_digits(x.abs());
    // The value is 0.DIGITS × 10^point.
    if point <= 0 {
        out.push_str("0.");
        push_zeros(&mut out, (-point) as usize);
        out.push_str(&digits);
    } else if (point as usize) < digits.len() {
        out.push_str(&digits[..point as usize]);
        out.push('.');
        out.push_str(&digits[point as usize..]);
    } else {
        out.push_str(&digits);
        push_zeros(&mut out, point as usize - digits.len());
    }
    out
}

/// `{:.places$}` of `x`.
fn fixed(x: f64, places: usize) -> String {
    if let Some(s) = not_finite(x) {
        return s.to_string();
    }
    let mut out = String::new();
    if x.is_sign_negative() {
        out.push('-');
    }
    // The exact value is DIGITS × 10^-scale.
    let (mut digits, scale) = exact_digits(x.abs());
    if digits.len() <= scale {
        let lead = scale + 1 - digits.len();
        digits.splice(0..0, std::iter::repeat_n(b'0', lead));
    }
    if scale <= places {
        digits.extend(std::iter::repeat_n(b'0', places - scale));
    } else {
        let cut = digits.len() - (scale - places);
        let rest = &digits[cut..];
        let up = match rest[0] {
            b'6'..=b'9' => true,
            b'5' => rest[1..].iter().any(|&d| d != b'0') || (cut > 0 && digits[cut - 1] % 2 == 1),
            _ => false,
        };
        digits.truncate(cut);
        if up {
            round_up(&mut digits);
        }
    }
    // At least one digit before the point.
    while digits.len() <= places {
        digits.insert(0, b'0');
    }
    let whole = digits.len() - places;
    let first = digits[..whole - 1]
        .iter()
        .position(|&d| d != b'0')
        .unwrap_or(whole - 1);
    for &d in &digits[first..whole] {
        out.push(char::from(d));
    }
    if places > 0 {
        out.push('.');
        for &d in &digits[whole..] {
            out.push(char::from(d));
        }
    }
    out
}

/// `f64::clamp`, the same result for every input (NaN stays NaN), without the bounds
/// in the message of its assertion.
pub trait Clamp {
    /// `self` if within `min..=max`, else the bound it passed; NaN stays NaN. Panics
    /// if `min > max` or either is NaN.
    fn clamp_to(self, min: f64, max: f64) -> f64;
}

impl Clamp for f64 {
    fn clamp_to(self, min: f64, max: f64) -> f64 {
        assert!(min <= max, "min > max, or either was NaN");
        if self < min {
            min
        } else if self > max {
            max
        } else {
            self
        }
    }
}

/// What std writes for a value that is not finite.
fn not_finite(x: f64) -> Option<&'static str> {
    if x.is_nan() {
        Some("NaN")
    } else if x.is_infinite() {
        Some(if x < 0.0 { "-inf" } else { "inf" })
    } else {
        None
    }
}

fn push_zeros(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n('0', n));
}

/// The shortest round-trip digits of a positive finite `x`, without leading or
/// trailing zeros, and the power of ten that puts the point before the first:
/// `x` = 0.DIGITS × 10^point. zmij writes `1234.0`, `0.001234` or `1.234e33`.
fn shortest_digits(x: f64) -> (String, i32) {
    let mut buffer = zmij::Buffer::new();
    let text = buffer.format_finite(x);
    let (mantissa, exp10) = match text.split_once('e') {
        Some((m, e)) => (m, exponent(e)),
        None => (text, 0),
    };
    let mut point = mantissa.find('.').unwrap_or(mantissa.len()) as i32 + exp10;
    let all: String = mantissa.chars().filter(|c| *c != '.').collect();
    let lead = all.len() - all.trim_start_matches('0').len();
    point -= lead as i32;
    let digits = all[lead..].trim_end_matches('0').to_string();
    // Two shortest candidates equally close (the exact value ends in a 5 one place
    // past them): zmij takes the even one, std the greater.
    let (exact, scale) = exact_digits(x);
    let exact_point = exact.len() as i32 - scale as i32;
    let significant = exact.iter().rposition(|&d| d != b'0').map_or(0, |i| i + 1);
    if exact[significant - 1] == b'5'
        && exact_point - significant as i32 == point - digits.len() as i32 - 1
    {
        let mut up = exact[..significant - 1].to_vec();
        round_up(&mut up);
        let carried = up.len() as i32 - (significant as i32 - 1);
        let last = up.iter().rposition(|&d| d != b'0').map_or(0, |i| i + 1);
        up.truncate(last);
        return (
            String::from_utf8_lossy(&up).into_owned(),
            exact_point + carried,
        );
    }
    (digits, point)
}

/// zmij's exponent (`33`, `-7`), read without std's integer parser's error type.
fn exponent(e: &str) -> i32 {
    let (negative, digits) = match e.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, e.strip_prefix('+').unwrap_or(e)),
    };
    let n = digits
        .bytes()
        .fold(0i32, |n, d| n * 10 + i32::from(d - b'0'));
    if negative {
        -n
    } else {
        n
    }
}

/// The exact decimal value of a positive finite `x` (or zero): its digits (ASCII,
/// no leading zeros, `0` for zero) and how many of them are after the point.
fn exact_digits(x: f64) -> (Vec<u8>, usize) {
    let (m, e) = float_parts(x);
    // m × 2^e: m × 2^e when e ≥ 0, else m × 5^-e / 10^-e.
    let mut n = Decimal::from_u64(m);
    if e >= 0 {
        let mut left = e as u32;
        while left > 0 {
            let step = left.min(29);
            n.mul_small(1 << step);
            left -= step;
        }
        (n.digits(), 0)
    } else {
        let mut left = (-e) as u32;
        while left > 0 {
            let step = left.min(13);
            n.mul_small(5u32.pow(step));
            left -= step;
        }
        (n.digits(), (-e) as usize)
    }
}

/// A positive finite `x` (or zero) as m × 2^e, m an integer: the binary value that
/// the exact expansion here and the link reader's rounding (`share::decimal`) work on.
pub(crate) fn float_parts(x: f64) -> (u64, i64) {
    let bits = x.to_bits();
    let field = ((bits >> 52) & 0x7ff) as i64;
    let frac = bits & ((1 << 52) - 1);
    if field == 0 {
        (frac, -1074)
    } else {
        (frac | (1 << 52), field - 1075)
    }
}

/// Adds one in the last place of ASCII decimal digits, carrying.
fn round_up(digits: &mut Vec<u8>) {
    for d in digits.iter_mut().rev() {
        if *d == b'9' {
            *d = b'0';
        } else {
            *d += 1;
            return;
        }
    }
    digits.insert(0, b'1');
}

/// An unsigned integer in base 10^9 limbs, least significant first.
struct Decimal(Vec<u32>);

const LIMB: u64 = 1_000_000_000;

impl Decimal {
    fn from_u64(n: u64) -> Decimal {
        let mut limbs = Vec::new();
        let mut n = n;
        while n > 0 {
            limbs.push((n % LIMB) as u32);
            n /= LIMB;
        }
        Decimal(limbs)
    }

    /// Multiplies by `f` (at most 2^32 - 1).
    fn mul_small(&mut self, f: u32) {
        let mut carry = 0u64;
        for limb in &mut self.0 {
            let v = u64::from(*limb) * u64::from(f) + carry;
            *limb = (v % LIMB) as u32;
            carry = v / LIMB;
        }
        while carry > 0 {
            self.0.push((carry % LIMB) as u32);
            carry /= LIMB;
        }
    }

    /// The digits, most significant first, without leading zeros; `0` for zero.
    fn digits(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.0.len() * 9);
        for limb in self.0.iter().rev() {
            let mut chunk = [b'0'; 9];
            let mut v = *limb;
            for d in chunk.iter_mut().rev() {
                *d = b'0' + (v % 10) as u8;
                v /= 10;
            }
            out.extend_from_slice(&chunk);
        }
        let lead = out.iter().take_while(|&&d| d == b'0').count();
        out.drain(..lead);
        if out.is_empty() {
            out.push(b'0');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small generator for the tests' bit patterns (xorshift64*).
    struct Bits(u64);

    impl Bits {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }
    }

    fn edge_cases() -> Vec<f64> {
        let mut v = vec![
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.1,
            0.2,
            0.3,
            1.0 / 3.0,
            2.0 / 3.0,
            0.5,
            1.5,
            2.5,
            -2.5,
            3.5,
            0.125,
            0.375,
            -0.125,
            0.001,
            -0.001,
            0.005,
            0.015,
            0.025,
            0.045,
            1.005,
            2.675,
            9.995,
            99.995,
            999.9999,
            0.9999999,
            123456.789,
            1e15,
            1e16,
            1e17,
            1e21,
            1e22,
            1e23,
            1e-7,
            1e-5,
            1e-300,
            1e300,
            1.7976931348623157e308,
            f64::MAX,
            -f64::MAX,
            f64::MIN_POSITIVE,
            f64::EPSILON,
            5e-324,
            -5e-324,
            f64::from_bits(0x000f_ffff_ffff_ffff),
            9007199254740992.0,
            9007199254740993.0,
            18014398509481984.0,
            4503599627370496.5,
            4503599627370497.5,
            123456789012345680000.0,
            0.1 + 0.2,
            60.0,
            3600.0,
            0.25,
            0.75,
            86400.0,
            -3600.5,
            1.0e10,
            f64::NAN,
            -f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        // Every power of two, its neighbours and three times it.
        for p in 0..2046u64 {
            let x = if p < 52 {
                f64::from_bits(1 << p)
            } else {
                f64::from_bits((p - 51) << 52)
            };
            v.extend([
                x,
                -x,
                x * 3.0,
                f64::from_bits(x.to_bits() - 1),
                f64::from_bits(x.to_bits() + 1),
            ]);
        }
        for p in -325..=308 {
            let x: f64 = format!("1e{p}").parse().unwrap_or(0.0);
            v.extend([x, x * 5.0, x * 1.5]);
        }
        v
    }

    fn check(x: f64) {
        assert_eq!(shortest(x), format!("{x}"), "{{}} of {:#x}", x.to_bits());
        for places in 0..=4 {
            assert_eq!(
                fixed(x, places),
                format!("{x:.places$}"),
                "{{:.{places}}} of {:#x}",
                x.to_bits()
            );
        }
    }

    #[test]
    fn edge_cases_are_written_as_std_writes_them() {
        for x in edge_cases() {
            check(x);
        }
        for x in [
            0.0,
            -0.0,
            1e-300,
            2.5,
            0.125,
            1e300,
            f64::MAX,
            5e-324,
            1.0 / 3.0,
        ] {
            for places in [5, 10, 17, 20, 40, 330, 1100] {
                assert_eq!(
                    fixed(x, places),
                    format!("{x:.places$}"),
                    "{places} places of {x:e}"
                );
            }
        }
    }

    #[test]
    fn both_builds_write_the_same() {
        // The light build writes with this module, the page with std.
        for x in [0.1, -2.5, 1e21, 1e-7, f64::NAN] {
            assert_eq!(Shortest(x).to_string(), format!("{x}"));
            assert_eq!(Fixed(x, 2).to_string(), format!("{x:.2}"));
        }
    }

    #[test]
    fn clamp_to_is_std_clamp() {
        let values = [
            f64::NAN,
            f64::NEG_INFINITY,
            -1.0,
            -0.0,
            0.0,
            0.5,
            1.0,
            2.0,
            f64::INFINITY,
        ];
        for x in values {
            for (min, max) in [
                (0.0, 1.0),
                (-0.0, 0.0),
                (0.0, -0.0),
                (-1.0, f64::INFINITY),
                (0.5, 0.5),
            ] {
                assert_eq!(
                    x.clamp_to(min, max).to_bits(),
                    x.clamp(min, max).to_bits(),
                    "{x} in {min}..={max}"
                );
            }
        }
    }

    #[test]
    #[should_panic(expected = "min > max")]
    fn clamp_to_refuses_bounds_out_of_order() {
        let _ = 0.5f64.clamp_to(1.0, 0.0);
    }

    #[test]
    fn ties_round_to_even_on_the_exact_value() {
        assert_eq!(fixed(0.125, 2), "0.12");
        assert_eq!(fixed(0.375, 2), "0.38");
        assert_eq!(fixed(2.5, 0), "2");
        assert_eq!(fixed(3.5, 0), "4");
        assert_eq!(fixed(0.5, 0), "0");
        assert_eq!(fixed(-0.001, 2), "-0.00");
        // 2.675 is 2.67499999... in binary: below the tie.
        assert_eq!(fixed(2.675, 2), "2.67");
        assert_eq!(fixed(9.995, 2), "9.99");
        assert_eq!(fixed(99.5, 0), "100");
    }

    #[test]
    fn whole_numbers_and_small_ones_have_no_exponent() {
        assert_eq!(shortest(1e21), "1000000000000000000000");
        assert_eq!(shortest(1e-7), "0.0000001");
        assert_eq!(shortest(60.0), "60");
        assert_eq!(shortest(-0.0), "-0");
        assert_eq!(shortest(0.1), "0.1");
        assert_eq!(shortest(f64::NAN), "NaN");
    }

    #[test]
    fn random_bit_patterns_are_written_as_std_writes_them() {
        let mut bits = Bits(0x9e37_79b9_7f4a_7c15);
        for _ in 0..20_000 {
            check(f64::from_bits(bits.next()));
        }
    }

    #[test]
    fn decimals_a_page_shows_are_written_as_std_writes_them() {
        // Values near the settings' and the clock's: quotients of small integers,
        // and a random bit pattern within a few powers of two of 1.
        let mut bits = Bits(0x1234_5678_9abc_def1);
        for _ in 0..20_000 {
            let n = (bits.next() % 2_000_001) as f64 - 1_000_000.0;
            let d = [1.0, 2.0, 3.0, 4.0, 8.0, 10.0, 100.0, 1000.0, 7.0, 1024.0]
                [(bits.next() % 10) as usize];
            check(n / d);
            let near_one = f64::from_bits((bits.next() & ((1 << 57) - 1)) | (1021 << 52));
            check(near_one);
        }
    }
}
