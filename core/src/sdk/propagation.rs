//! Consistent randomness for callers that decide themselves: `sentry-trace` and `baggage`
//! parsing, and the `sample_rand` backfill rule.
//!
//! Every Sentry SDK compares its rate with the trace's one `sample_rand` (a float in
//! [0, 1) drawn once by the head of the trace and propagated in `baggage`), so that every
//! service keeps or drops the same traces. The core draws no random numbers itself: a
//! caller that must backfill passes in a uniform number it drew.

use alloc::string::String;

/// The parts of a `sentry-trace` header: `<trace_id>-<span_id>[-<sampled>]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SentryTrace<'a> {
    /// 32 lower-case hex digits.
    pub trace_id: Option<&'a str>,
    /// 16 lower-case hex digits: the parent span.
    pub span_id: Option<&'a str>,
    /// The parent decision; `None` when deferred (no flag).
    pub sampled: Option<bool>,
}

fn hex_prefix(s: &str, n: usize) -> Option<(&str, &str)> {
    let head = s.get(..n)?;
    head.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)).then(|| (head, &s[n..]))
}

/// Parses a `sentry-trace` header exactly as the SDKs' shared pattern
/// `^[ \t]*([0-9a-f]{32})?-?([0-9a-f]{16})?-?([01])?[ \t]*$` does; `None` if it does not match.
///
/// ```
/// use tracesieve::propagation::parse_sentry_trace;
/// let t = parse_sentry_trace("771a43a4192642f0b136d5159a501700-b2d8f6b2e2a5a3c1-1").unwrap();
/// assert_eq!(t.sampled, Some(true));
/// assert_eq!(parse_sentry_trace("not a header"), None);
/// ```
pub fn parse_sentry_trace(header: &str) -> Option<SentryTrace<'_>> {
    let s = header.trim_matches([' ', '\t']);
    for (take_trace, take_span) in [(true, true), (true, false), (false, true), (false, false)] {
        let mut rest = s;
        let mut out = SentryTrace { trace_id: None, span_id: None, sampled: None };
        if take_trace {
            let Some((id, r)) = hex_prefix(rest, 32) else { continue };
            (out.trace_id, rest) = (Some(id), r);
        }
        rest = rest.strip_prefix('-').unwrap_or(rest);
        if take_span {
            let Some((id, r)) = hex_prefix(rest, 16) else { continue };
            (out.span_id, rest) = (Some(id), r);
        }
        rest = rest.strip_prefix('-').unwrap_or(rest);
        match rest {
            "" => return Some(out),
            "1" | "0" => return Some(SentryTrace { sampled: Some(rest == "1"), ..out }),
            _ => {}
        }
    }
    None
}

/// The Sentry entries of a `baggage` header that matter for sampling.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SentryBaggage {
    /// `sentry-sample_rand`, when a valid float in [0, 1).
    pub sample_rand: Option<f64>,
    /// `sentry-sample_rate`, when a valid float in [0, 1].
    pub sample_rate: Option<f64>,
    /// `sentry-sampled` (`true` / `false`).
    pub sampled: Option<bool>,
}

/// Parses the Sentry entries of a W3C `baggage` header; other entries, properties and
/// invalid values are ignored.
///
/// ```
/// use tracesieve::propagation::parse_baggage;
/// let b = parse_baggage("other=1, sentry-sample_rand=0.25,sentry-sample_rate=0.5;p=1, sentry-sampled=true");
/// assert_eq!((b.sample_rand, b.sample_rate, b.sampled), (Some(0.25), Some(0.5), Some(true)));
/// ```
pub fn parse_baggage(header: &str) -> SentryBaggage {
    let mut out = SentryBaggage::default();
    for member in header.split(',') {
        let member = member.split(';').next().unwrap_or("");
        let Some((key, value)) = member.split_once('=') else { continue };
        let value = percent_decode(value.trim());
        match key.trim() {
            "sentry-sample_rand" => out.sample_rand = parse_unit(&value).filter(|r| *r < 1.0),
            "sentry-sample_rate" => out.sample_rate = parse_unit(&value),
            "sentry-sampled" => out.sampled = value.parse().ok(),
            _ => {}
        }
    }
    out
}

/// A decimal number in [0, 1] (no `inf`, `NaN` or garbage).
fn parse_unit(s: &str) -> Option<f64> {
    let plain = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'));
    crate::text::num::parse_f64(s).filter(|x| plain && (0.0..=1.0).contains(x))
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = alloc::vec::Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| core::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_default()
}

/// What an incoming request says about its trace's sampling.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct IncomingTrace {
    /// The parent decision, from the `sentry-trace` flag.
    pub parent_sampled: Option<bool>,
    /// The parent's rate, from `sentry-sample_rate`.
    pub parent_sample_rate: Option<f64>,
    /// The trace's `sample_rand`, from `sentry-sample_rand`.
    pub sample_rand: Option<f64>,
}

impl IncomingTrace {
    /// Reads the `sentry-trace` and `baggage` headers of an incoming request.
    ///
    /// ```
    /// use tracesieve::propagation::IncomingTrace;
    /// let t = IncomingTrace::from_headers(
    ///     Some("771a43a4192642f0b136d5159a501700-b2d8f6b2e2a5a3c1-0"),
    ///     Some("sentry-sample_rate=0.25"),
    /// );
    /// assert_eq!((t.parent_sampled, t.parent_sample_rate, t.sample_rand), (Some(false), Some(0.25), None));
    /// // Not sampled at 0.25: a backfilled sample_rand lies in [0.25, 1).
    /// assert_eq!(t.sample_rand_or_backfill(0.0), 0.25);
    /// ```
    pub fn from_headers(sentry_trace: Option<&str>, baggage: Option<&str>) -> Self {
        let trace = sentry_trace.and_then(parse_sentry_trace);
        let baggage = baggage.map(parse_baggage).unwrap_or_default();
        IncomingTrace {
            parent_sampled: trace.and_then(|t| t.sampled),
            parent_sample_rate: baggage.sample_rate,
            sample_rand: baggage.sample_rand,
        }
    }

    /// The trace's `sample_rand`, or one backfilled from `uniform` (a caller-drawn number
    /// in [0, 1)) by [`backfill_sample_rand`].
    pub fn sample_rand_or_backfill(&self, uniform: f64) -> f64 {
        self.sample_rand.unwrap_or_else(|| backfill_sample_rand(self.parent_sampled, self.parent_sample_rate, uniform))
    }
}

/// The backfill rule for a trace that arrives with a decision and a rate but no
/// `sample_rand`: draw it in [0, rate) when sampled and in [rate, 1) when not, so that
/// comparing it with the same rate reproduces the upstream decision. Without both, or when
/// the interval is empty (sampled at rate 0, unsampled at rate 1), `uniform` itself.
///
/// ```
/// use tracesieve::propagation::backfill_sample_rand;
/// assert_eq!(backfill_sample_rand(Some(true), Some(0.5), 0.5), 0.25);
/// assert_eq!(backfill_sample_rand(Some(false), Some(0.5), 0.5), 0.75);
/// assert_eq!(backfill_sample_rand(None, Some(0.5), 0.5), 0.5);
/// ```
pub fn backfill_sample_rand(sampled: Option<bool>, rate: Option<f64>, uniform: f64) -> f64 {
    let uniform = if (0.0..1.0).contains(&uniform) { uniform } else { 0.0 };
    match (sampled, rate.filter(|r| (0.0..=1.0).contains(r))) {
        (Some(true), Some(rate)) if rate > 0.0 => uniform * rate,
        (Some(false), Some(rate)) if rate < 1.0 => rate + uniform * (1.0 - rate),
        _ => uniform,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: &str = "771a43a4192642f0b136d5159a501700";
    const S: &str = "b2d8f6b2e2a5a3c1";

    #[test]
    fn sentry_trace_forms() {
        let full = alloc::format!("{T}-{S}-0");
        assert_eq!(
            parse_sentry_trace(&full),
            Some(SentryTrace { trace_id: Some(T), span_id: Some(S), sampled: Some(false) })
        );
        let deferred = alloc::format!(" {T}-{S}\t");
        assert_eq!(parse_sentry_trace(&deferred).unwrap().sampled, None);
        assert_eq!(parse_sentry_trace(&alloc::format!("{S}-1")).unwrap().span_id, Some(S));
        assert_eq!(parse_sentry_trace(&alloc::format!("{T}-{S}-2")), None);
        assert_eq!(parse_sentry_trace(&alloc::format!("{}-{S}", T.to_uppercase())), None);
    }

    #[test]
    fn baggage_values() {
        let b = parse_baggage("sentry-sample_rand=1, sentry-sample_rate=NaN, sentry-sampled=maybe");
        assert_eq!(b, SentryBaggage::default());
        assert_eq!(parse_baggage("sentry-sample_rate=0%2E5").sample_rate, Some(0.5));
        assert_eq!(parse_baggage("sentry-sample_rand=inf").sample_rand, None);
    }

    #[test]
    fn backfill_intervals() {
        assert_eq!(backfill_sample_rand(Some(true), Some(0.0), 0.3), 0.3);
        assert_eq!(backfill_sample_rand(Some(false), Some(1.0), 0.3), 0.3);
        let r = backfill_sample_rand(Some(false), Some(0.2), 0.999_999);
        assert!((0.2..1.0).contains(&r));
    }
}
