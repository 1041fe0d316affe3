//! Decimal text to `f64` and back, exactly, without core's float code.
//!
//! `str::parse::<f64>` and `{}` on an `f64` bring core's float algorithms and their tables
//! (tens of kilobytes) into the wasm module. This module replaces both: [`parse_f64`] reads
//! decimal text correctly rounded (an exact fast path, else an exact division of big
//! integers held on the stack), and [`write_f64`] writes integers itself and the rest with
//! `ryu` in its `small` build.

use alloc::string::String;

mod big;

use big::Big;

/// Significant decimal digits [`parse_f64`] keeps; the ones after count as one sticky `1`
/// digit when any of them is nonzero. A halfway point between two adjacent `f64` has at most
/// 767 significant digits, so the text and its kept digits (then that `1`) round alike.
const MAX_DIGITS: usize = 800;

/// The correctly rounded (to nearest, ties to even) `f64` of a decimal number of the grammar
/// `[+-]? (digits ["." digits*] | "." digits) ([eE] [+-]? digits)?`, as `str::parse` gives
/// it: overflow to ±infinity, underflow to ±0, `-0` as `-0.0`, any number of digits.
///
/// Other texts, including `inf`, `NaN` and surrounding whitespace, are `None` (`str::parse`
/// takes the words for infinity and NaN). The one other difference: `str::parse` stops
/// reading an exponent's digits once it reaches 65,536, which misreads texts that offset
/// such an exponent with as many digits (`0.` and 70,000 zeros, then `1e70001`, is 1).
pub(crate) fn parse_f64(text: &str) -> Option<f64> {
    let (negative, rest) = match text.as_bytes() {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        rest => (false, rest),
    };
    let (int, rest) = split_digits(rest);
    let (frac, rest) = match rest {
        [b'.', rest @ ..] => split_digits(rest),
        _ => (&[][..], rest),
    };
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    let exp = match rest {
        [] => 0,
        [b'e' | b'E', rest @ ..] => exponent(rest)?,
        _ => return None,
    };
    let magnitude = decimal(int, frac, exp);
    Some(if negative { -magnitude } else { magnitude })
}

/// The leading ASCII digits of `s`, and the rest.
fn split_digits(s: &[u8]) -> (&[u8], &[u8]) {
    s.split_at(s.iter().position(|b| !b.is_ascii_digit()).unwrap_or(s.len()))
}

/// The value of an exponent's text (`[+-]? digits`), its magnitude capped at 2^48: far
/// beyond any finite or nonzero result, and far from overflowing when digit counts are added.
fn exponent(s: &[u8]) -> Option<i64> {
    let (negative, digits) = match s {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        rest => (false, rest),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let e = digits.iter().fold(0i64, |e, d| (e * 10 + i64::from(d - b'0')).min(1 << 48));
    Some(if negative { -e } else { e })
}

/// The nonnegative value `int.frac × 10^exp` (digit strings, not both empty), rounded.
fn decimal(int: &[u8], frac: &[u8], exp: i64) -> f64 {
    let digits = || int.iter().chain(frac).map(|d| d - b'0');
    let total = int.len() + frac.len();
    let lead = digits().take_while(|&d| d == 0).count();
    if lead == total {
        return 0.0;
    }
    let trail = digits().rev().take_while(|&d| d == 0).count();
    // From the first nonzero digit through the last: the value is `significant × 10^e`.
    let kept = (total - lead - trail).min(MAX_DIGITS);
    let sticky = total - lead - trail > kept;
    let kept_digits = || digits().skip(lead).take(kept);
    let dropped = (total - lead - kept) as i64;
    let e = exp.saturating_sub(frac.len() as i64).saturating_add(dropped).saturating_sub(i64::from(sticky));
    let n = kept + usize::from(sticky);
    // The value is in [10^(n+e-1), 10^(n+e)): beyond the largest `f64`, or below half the
    // smallest subnormal (2.47e-324).
    match e.saturating_add(n as i64) {
        311.. => return f64::INFINITY,
        ..=-324 => return 0.0,
        _ => {}
    }
    if n <= 19 {
        let d = kept_digits().fold(0u64, |d, x| d * 10 + u64::from(x));
        if d <= 1 << 53 && (-22..=22).contains(&e) {
            // Clinger's fast path: `d` and `10^|e|` are exact, so one IEEE operation rounds.
            let p = (0..e.unsigned_abs()).fold(1.0, |p, _| p * 10.0);
            return if e >= 0 { d as f64 * p } else { d as f64 / p };
        }
    }
    exact(kept_digits().chain(sticky.then_some(1)), e)
}

/// The rounded value of `digits × 10^e` (`digits` nonzero, at most 801 of them; `e` as
/// [`decimal`] bounds it): `a / b × 2^e` with `a = digits × 5^e` or `b = 5^-e`, divided
/// into a 64- or 65-bit quotient and a sticky remainder.
fn exact(digits: impl Iterator<Item = u8>, e: i64) -> f64 {
    let mut a = Big::new(0);
    let (mut chunk, mut len) = (0, 0);
    for d in digits {
        chunk = chunk * 10 + u32::from(d);
        len += 1;
        if len == 9 {
            a.mul_add(1_000_000_000, chunk);
            (chunk, len) = (0, 0);
        }
    }
    a.mul_add(10u32.pow(len), chunk);
    let mut b = Big::new(1);
    if e >= 0 { &mut a } else { &mut b }.mul_pow5(e.unsigned_abs());
    // Align so that `a` has 64 bits more than `b`: the quotient is in [2^63, 2^65).
    let t = a.bits() as i64 - b.bits() as i64 - 64;
    if t < 0 {
        a.shl(t.unsigned_abs() as usize);
    }
    b.shl(64 + t.max(0) as usize);
    // Restoring division, one quotient bit per step: `b` goes from `b << 64` to `b`.
    let mut q = 0u128;
    for i in 0..65 {
        if i > 0 {
            b.shr1();
        }
        q <<= 1;
        if a.at_least(&b) {
            a.sub(&b);
            q |= 1;
        }
    }
    round(q, !a.is_zero(), t + e)
}

/// The `f64` nearest to `(q + s) × 2^t`, where `s` is 0, or in (0, 1) when `sticky`: `q`
/// rounded to 53 bits (fewer below 2^-1022), half to even.
fn round(q: u128, sticky: bool, t: i64) -> f64 {
    let top = 127 - i64::from(q.leading_zeros()) + t;
    // The weight of the result's last bit, and how many bits of `q` are below it (≥ 11).
    let lsb = (top - 52).max(-1074);
    let drop = lsb - t;
    if drop >= 128 {
        return 0.0;
    }
    let (mut m, rest, half) = (q >> drop, q & ((1 << drop) - 1), 1u128 << (drop - 1));
    if rest > half || (rest == half && (sticky || m & 1 == 1)) {
        m += 1;
    }
    let (m, lsb) = if m == 1 << 53 { (m >> 1, lsb + 1) } else { (m, lsb) };
    if lsb + 1075 >= 2047 {
        return f64::INFINITY;
    }
    // A normal number has `m` in [2^52, 2^53): adding it carries its leading bit into the
    // biased exponent. A subnormal one (`lsb` = -1074) is `m` itself.
    f64::from_bits((((lsb + 1074) as u64) << 52) + m as u64)
}

/// Writes `n` as JSON-compatible text that [`parse_f64`] reads back as `n`: integral values
/// below 10^15 in magnitude as integers (`2`, `-3`; `-0.0` as `0`, as `JSON.stringify` does),
/// others in shortest round-trip form (`0.1`, `1e-7`, `1.5e300`, `1000000000000000`).
///
/// A non-finite `n` is written as Rust's `Display` writes it (`inf`, `-inf`, `NaN`): that is
/// not JSON, so JSON writers must handle it first.
pub(crate) fn write_f64(out: &mut String, n: f64) {
    if n.abs() < 1e15 && n == (n as i64) as f64 {
        let (mut v, mut digits, mut at) = ((n as i64).unsigned_abs(), [0u8; 16], 16);
        if n < 0.0 {
            out.push('-');
        }
        loop {
            at -= 1;
            digits[at] = b'0' + (v % 10) as u8;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        out.extend(digits[at..].iter().map(|&d| char::from(d)));
    } else {
        let mut buffer = ryu::Buffer::new();
        let text = buffer.format(n);
        // `ryu` writes integers from 10^15 to 10^16 as `1000000000000000.0`.
        out.push_str(text.strip_suffix(".0").unwrap_or(text));
    }
}

/// `n` as [`write_f64`] writes it, for messages.
pub(crate) fn f64_text(n: f64) -> String {
    let mut out = String::new();
    write_f64(&mut out, n);
    out
}

#[cfg(test)]
mod tests {
    extern crate std;

    use super::*;
    use proptest::prelude::*;
    use std::string::ToString;
    use std::vec::Vec;
    use std::{format, vec};

    /// `parse_f64` gives what `str::parse` gives (as bits: `-0.0` is not `0.0`).
    fn agrees(text: &str) -> Option<f64> {
        let (ours, theirs) = (parse_f64(text), text.parse::<f64>().ok());
        assert_eq!(ours.map(f64::to_bits), theirs.map(f64::to_bits), "{:.80}", text);
        ours
    }

    /// Random ASCII digits, `len` of them, zeros and nines more often than the others.
    fn digits(len: core::ops::Range<usize>) -> impl Strategy<Value = String> {
        let digit = prop_oneof![3 => 0u8..10, 1 => Just(0u8), 1 => Just(9u8)];
        prop::collection::vec(digit, len).prop_map(|d| d.into_iter().map(|d| char::from(b'0' + d)).collect())
    }

    /// A decimal text of Rust's grammar (or an empty mantissa, which both refuse).
    fn decimal_text() -> impl Strategy<Value = String> {
        let sign = || prop::sample::select(&["", "+", "-"][..]);
        let many = || prop_oneof![5 => digits(0..40), 1 => digits(700..900)];
        let exponent = prop_oneof![
            4 => (0..400i64).prop_map(|e| e.to_string()),
            1 => (0..100_000i64).prop_map(|e| e.to_string()),
            1 => digits(1..25),
        ];
        let exponent = (prop::sample::select(&["e", "E"][..]), sign(), exponent);
        (sign(), many(), prop::option::of(many()), prop::option::of(exponent)).prop_map(|(s, int, frac, exp)| {
            let frac = frac.map(|f| format!(".{f}")).unwrap_or_default();
            let exp = exp.map(|(e, s, n)| format!("{e}{s}{n}")).unwrap_or_default();
            format!("{s}{int}{frac}{exp}")
        })
    }

    /// Finite `f64`: any bits, small ones (subnormals) and the largest binade more often.
    fn finite() -> impl Strategy<Value = f64> {
        prop_oneof![any::<u64>(), 0..1u64 << 54, 0x7fe0_0000_0000_0000..0x7ff0_0000_0000_0000u64]
            .prop_map(f64::from_bits)
            .prop_filter("finite", |x| x.is_finite())
    }

    /// The exact decimal digits of `x ≥ 0`: 310 before the point, 1,075 after it (enough for
    /// any `f64` and for the midpoint of two).
    fn exact_digits(x: f64) -> Vec<u8> {
        format!("{x:01386.1075}").bytes().filter(u8::is_ascii_digit).map(|d| d - b'0').collect()
    }

    /// The text of `digits` (1,075 after the point) then `more` digits, with a point or, when
    /// `shifted`, as an integer with an exponent.
    fn text_of(digits: &[u8], more: &str, shifted: bool) -> String {
        let s: String = digits.iter().map(|&d| char::from(b'0' + d)).chain(more.chars()).collect();
        let point = digits.len() - 1075;
        if shifted { format!("{s}e-{}", 1075 + more.len()) } else { format!("{}.{}", &s[..point], &s[point..]) }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn random_decimal_texts_agree_with_std(text in decimal_text()) {
            agrees(&text);
        }

        #[test]
        fn formatted_floats_read_back(x in finite(), n in 0usize..30) {
            let texts = [x.to_string(), format!("{x:e}"), format!("{x:E}"), format!("{x:.17e}"), format!("{x:.1100}")];
            for text in texts {
                prop_assert_eq!(agrees(&text).map(f64::to_bits), Some(x.to_bits()), "{:.80}", text);
            }
            let e = agrees(&format!("{x:.n$e}")).unwrap();
            prop_assert!(n < 16 || e.to_bits() == x.to_bits());
            agrees(&format!("{x:.n$}"));
        }

        #[test]
        fn written_floats_read_back(x in finite()) {
            let mut text = String::new();
            write_f64(&mut text, x);
            let back = parse_f64(&text).unwrap();
            prop_assert_eq!(back.to_bits(), if x == 0.0 { 0 } else { x.to_bits() }, "{}", text);
            prop_assert!(matches!(serde_json::from_str(&text), Ok(serde_json::Value::Number(_))), "{}", text);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn midpoints_round_half_to_even(bits in prop_oneof![0..0x7fef_ffff_ffff_ffffu64, 0..1u64 << 54]) {
            let (x, y) = (f64::from_bits(bits), f64::from_bits(bits + 1));
            let (dx, dy) = (exact_digits(x), exact_digits(y));
            // mid = (x + y) / 2 exactly: add from the last digit, then halve from the first.
            let (mut sum, mut carry) = (vec![0u8; dx.len()], 0);
            for ((s, a), b) in sum.iter_mut().zip(&dx).zip(&dy).rev() {
                (*s, carry) = ((a + b + carry) % 10, (a + b + carry) / 10);
            }
            let mut rest = carry;
            let mid: Vec<u8> = sum.iter().map(|&s| { let v = rest * 10 + s; rest = v % 2; v / 2 }).collect();
            prop_assert_eq!(rest, 0);
            // Just below the midpoint: one less in the last place, then nines.
            let mut below = mid.clone();
            let last = below.iter().rposition(|&d| d > 0).unwrap();
            below[last] -= 1;
            below[last + 1..].fill(9);
            let even = if bits % 2 == 0 { x } else { y };
            for shifted in [false, true] {
                prop_assert_eq!(agrees(&text_of(&mid, "", shifted)), Some(even));
                prop_assert_eq!(agrees(&text_of(&mid, "00001", shifted)), Some(y));
                prop_assert_eq!(agrees(&text_of(&below, "99999", shifted)), Some(x));
            }
        }
    }

    #[test]
    fn hard_cases() {
        let (max, tiny) = (f64::MAX, f64::from_bits(1));
        let two53 = 9007199254740992.0;
        for (text, want) in [
            ("9007199254740993", two53),
            ("9007199254740992.5", two53),
            ("9007199254740993.0000000000000000000000000001", two53 + 2.0),
            ("9007199254740995", two53 + 4.0),
            ("9007199254740994.9999999999999999999999", two53 + 2.0),
            ("5e-324", tiny),
            ("2.4703282292062327e-324", 0.0),
            ("2.4703282292062328e-324", tiny),
            ("2.4703282292062327208828439643411068618252990130716238221279284125033775363e-324", 0.0),
            ("2.4703282292062327208828439643411068618252990130716238221279284125033775364e-324", tiny),
            ("2.2250738585072011e-308", f64::from_bits(0x000f_ffff_ffff_ffff)),
            ("2.2250738585072014e-308", f64::MIN_POSITIVE),
            ("1.7976931348623157e308", max),
            ("1.7976931348623158e308", max),
            ("1.7976931348623159e308", f64::INFINITY),
            ("-1e400", f64::NEG_INFINITY),
            ("0.1", 0.1),
            ("0.30000000000000004", 0.1 + 0.2),
            ("0e999999", 0.0),
            ("1e-400", 0.0),
            ("1e99999999999999999999", f64::INFINITY),
            ("1e-99999999999999999999", 0.0),
            ("123456789012345678901234567890", 1.2345678901234568e29),
            ("1.", 1.0),
            (".5", 0.5),
            ("+.5e1", 5.0),
            ("-.25E-0", -0.25),
            ("00000000000000000000000000001.5", 1.5),
            ("-0", -0.0),
            ("-0.0e-5", -0.0),
        ] {
            assert_eq!(agrees(text).map(f64::to_bits), Some(want.to_bits()), "{text}");
        }
        let long = format!("0.{}1e400", "0".repeat(399));
        assert_eq!(agrees(&long), Some(1.0));
    }

    #[test]
    fn a_mebibyte_of_digits() {
        let mib = 1 << 20;
        let zeros = "0".repeat(mib);
        // Digits from a xorshift generator.
        let random: String = (0..mib)
            .scan(0x9e37_79b9_7f4a_7c15u64, |s, _| {
                *s ^= *s << 13;
                *s ^= *s >> 7;
                *s ^= *s << 17;
                Some(char::from(b'0' + (*s % 10) as u8))
            })
            .collect();
        let exact = |text: &str, want: Option<f64>| {
            let got = agrees(text);
            assert!(want.is_none() || got == want, "{text:.40}: {got:?}");
        };
        exact(&format!("1{zeros}"), Some(f64::INFINITY));
        exact(&format!("1.{}", "9".repeat(mib)), Some(2.0));
        exact(&format!("0.{random}"), None);
        exact(&format!("{}.{random}", &random[..300]), None);
        // `str::parse` caps explicit exponents near 65,536, so these are checked against the
        // same numbers written without one.
        for (text, plain) in [
            (format!("0.{zeros}1e1048577"), "1".to_string()),
            (format!("9007199254740993{zeros}e-{mib}"), format!("9007199254740993.{zeros}")),
            (format!("9007199254740993{zeros}1e-{}", mib + 1), format!("9007199254740993.{zeros}1")),
            (format!("{random}e-{}", mib - 5), format!("{}.{}", &random[..5], &random[5..])),
            (format!("{random}.{random}e-1048880"), format!("0.{}{random}{random}", "0".repeat(304))),
        ] {
            assert_eq!(parse_f64(&text), agrees(&plain), "{plain:.40}");
        }
        assert_eq!(parse_f64(&format!("0.{zeros}1e1048577")), Some(1.0));
        assert_eq!(parse_f64(&format!("9007199254740993{zeros}1e-{}", mib + 1)), Some(9007199254740994.0));
    }

    #[test]
    fn refuses_what_is_not_a_decimal_number() {
        for text in [
            "", "+", "-", ".", "e5", "1e", "1e+", "1e-", ".e1", "1.2.3", " 1", "1 ", "--1", "+-1", "1.5E+-3", "0x10",
            "1_000", "1e5.0", "1,5", "١", "inf", "-inf", "+infinity", "Infinity", "nan", "NaN", "-NaN",
        ] {
            assert_eq!(parse_f64(text), None, "{text:?}");
        }
    }

    #[test]
    fn writes_integers_plainly_and_the_rest_shortest() {
        let mut out = String::new();
        for n in [2.0, 1.5, -0.1, 0.25, 0.0, -0.0, -3.0, 200.0, 999_999_999_999_999.0, -999_999_999_999_999.0, 1e15] {
            write_f64(&mut out, n);
            out.push(' ');
        }
        for n in [0.1, 1e-7, 1.5e300, 5e-324, f64::INFINITY, f64::NEG_INFINITY, f64::NAN] {
            write_f64(&mut out, n);
            out.push(' ');
        }
        let want =
            "2 1.5 -0.1 0.25 0 0 -3 200 999999999999999 -999999999999999 1000000000000000 0.1 1e-7 1.5e300 5e-324";
        assert_eq!(out, format!("{want} inf -inf NaN "));
        assert_eq!(f64_text(-0.1), "-0.1");
    }
}
