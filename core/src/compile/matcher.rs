//! Compiled matchers: a [`Matcher`] ready to test values.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

use crate::context::value::Value;
use crate::policy::model::{Matcher, Operators, Scalar};
use crate::text::glob::{Glob, GlobShape};
use crate::text::lowercase::{fold, fold_str};
use crate::text::route::Route;

/// A string test in its cheapest form: case-sensitive globs of the common shapes and
/// `prefix`/`suffix`/`contains` become plain comparisons; other globs stay globs.
#[derive(Clone, Debug)]
pub(crate) enum Pattern {
    Exact(Box<str>),
    Prefix(Box<str>),
    Suffix(Box<str>),
    Contains(Box<str>),
    Anything,
    Glob(Box<Glob>),
    /// A route template (`route`).
    Route(Box<Route>),
    /// `prefix` / `suffix` / `contains` with `ignoreCase` (the pattern is folded).
    FoldedPrefix(Box<str>),
    FoldedSuffix(Box<str>),
    FoldedContains(Box<str>),
}

impl Pattern {
    fn glob(pattern: &str, ignore_case: bool) -> Option<Pattern> {
        // Globs were validated by `Policy::validate`; one that fails here cannot match.
        let glob = Glob::new(pattern, ignore_case).ok()?;
        Some(match glob.shape() {
            GlobShape::Exact(l) => Pattern::Exact(l.as_str().into()),
            GlobShape::Prefix(l) => Pattern::Prefix(l.as_str().into()),
            GlobShape::Suffix(l) => Pattern::Suffix(l.as_str().into()),
            GlobShape::Contains(l) => Pattern::Contains(l.as_str().into()),
            GlobShape::Anything => Pattern::Anything,
            GlobShape::General => Pattern::Glob(Box::new(glob)),
        })
    }

    #[inline]
    fn is_match(&self, s: &str) -> bool {
        match self {
            Pattern::Exact(p) => s.len() == p.len() && bytes_eq(s.as_bytes(), p.as_bytes()),
            Pattern::Prefix(p) => s.get(..p.len()).is_some_and(|head| bytes_eq(head.as_bytes(), p.as_bytes())),
            Pattern::Suffix(p) => s.len() >= p.len() && bytes_eq(&s.as_bytes()[s.len() - p.len()..], p.as_bytes()),
            Pattern::Contains(p) => contains(s, p),
            Pattern::Anything => true,
            Pattern::Glob(g) => g.is_match(s),
            Pattern::Route(r) => r.is_match(s),
            Pattern::FoldedPrefix(p) => starts_with_folded(s, p),
            Pattern::FoldedSuffix(p) => ends_with_folded(s, p),
            Pattern::FoldedContains(p) => contains_folded(s, p),
        }
    }
}

/// One compiled test; a matcher holds if all its tests do.
#[derive(Clone, Debug)]
pub(crate) enum Test {
    /// A string matching any of these.
    Str(Box<[Pattern]>),
    /// Equal to any of these (strings folded when the flag is set).
    Eq(Box<[Scalar]>, bool),
    Gt(f64),
    Gte(f64),
    Lt(f64),
    Lte(f64),
    Exists(bool),
}

/// A matcher compiled for testing: the common single tests in their own variants (one
/// test less to dispatch per decision), anything else as a list of tests.
#[derive(Clone, Debug)]
pub(crate) enum CompiledMatcher {
    /// One string pattern.
    One(Pattern),
    /// A string matching any of these patterns.
    Any(Box<[Pattern]>),
    /// `exists`: present or missing.
    Exists(bool),
    /// Every test must hold.
    All(Box<[Test]>),
}

impl CompiledMatcher {
    pub(crate) fn new(m: &Matcher) -> Self {
        let mut tests = match m {
            Matcher::Glob(g) => alloc::vec![Test::Str(Pattern::glob(g, false).into_iter().collect())],
            Matcher::Globs(gs) => alloc::vec![Test::Str(gs.iter().filter_map(|g| Pattern::glob(g, false)).collect())],
            Matcher::Number(n) => alloc::vec![Test::Eq(Box::new([Scalar::Num(*n)]), false)],
            Matcher::Bool(b) => alloc::vec![Test::Eq(Box::new([Scalar::Bool(*b)]), false)],
            Matcher::Ops(ops) => Self::operators(ops),
        };
        match tests.as_mut_slice() {
            [Test::Str(patterns)] if patterns.len() == 1 => {
                let mut one = core::mem::take(patterns).into_vec();
                CompiledMatcher::One(one.pop().expect("one pattern"))
            }
            [Test::Str(patterns)] => CompiledMatcher::Any(core::mem::take(patterns)),
            [Test::Exists(e)] => CompiledMatcher::Exists(*e),
            _ => CompiledMatcher::All(tests.into_boxed_slice()),
        }
    }

    fn operators(ops: &Operators) -> Vec<Test> {
        let ic = ops.ignore_case;
        let mut tests = Vec::new();
        if let Some(eq) = &ops.eq {
            let eq = eq.iter().map(|s| match (s, ic) {
                (Scalar::Str(s), true) => Scalar::Str(fold_str(s)),
                (s, _) => s.clone(),
            });
            tests.push(Test::Eq(eq.collect(), ic));
        }
        if let Some(g) = &ops.glob {
            tests.push(Test::Str(g.iter().filter_map(|g| Pattern::glob(g, ic)).collect()));
        }
        type Make = fn(Box<str>) -> Pattern;
        let plain: [(&Option<Vec<String>>, Make, Make); 3] = [
            (&ops.prefix, Pattern::Prefix, Pattern::FoldedPrefix),
            (&ops.suffix, Pattern::Suffix, Pattern::FoldedSuffix),
            (&ops.contains, Pattern::Contains, Pattern::FoldedContains),
        ];
        for (list, make, make_folded) in plain {
            if let Some(list) = list {
                let patterns =
                    list.iter().map(|p| if ic { make_folded(fold_str(p).into()) } else { make(p.as_str().into()) });
                tests.push(Test::Str(patterns.collect()));
            }
        }
        if let Some(routes) = &ops.route {
            // Templates were validated by `Policy::validate`; one that fails here cannot match.
            let routes = routes.iter().filter_map(|r| Route::new(r, ic).ok()).map(|r| Pattern::Route(Box::new(r)));
            tests.push(Test::Str(routes.collect()));
        }
        let numeric =
            [(ops.gt, Test::Gt as fn(f64) -> Test), (ops.gte, Test::Gte), (ops.lt, Test::Lt), (ops.lte, Test::Lte)];
        tests.extend(numeric.into_iter().filter_map(|(n, make)| n.map(make)));
        if let Some(e) = ops.exists {
            tests.push(Test::Exists(e));
        }
        tests
    }

    /// Whether `value` (`None`: the field is missing) passes every test.
    #[inline]
    pub(crate) fn matches(&self, value: Option<&Value<'_>>) -> bool {
        match self {
            CompiledMatcher::One(p) => matches!(value, Some(Value::Str(s)) if p.is_match(s)),
            CompiledMatcher::Any(patterns) => {
                matches!(value, Some(Value::Str(s)) if patterns.iter().any(|p| p.is_match(s)))
            }
            CompiledMatcher::Exists(e) => value.is_some() == *e,
            CompiledMatcher::All(tests) => tests.iter().all(|t| t.matches(value)),
        }
    }
}

impl Test {
    fn matches(&self, value: Option<&Value<'_>>) -> bool {
        let Some(value) = value else {
            return matches!(self, Test::Exists(false));
        };
        match (self, value) {
            (Test::Exists(e), _) => *e,
            (Test::Eq(any, ic), v) => any.iter().any(|s| scalar_eq(s, v, *ic)),
            (Test::Str(any), Value::Str(s)) => any.iter().any(|p| p.is_match(s)),
            (Test::Gt(n), Value::Num(v)) => v > n,
            (Test::Gte(n), Value::Num(v)) => v >= n,
            (Test::Lt(n), Value::Num(v)) => v < n,
            (Test::Lte(n), Value::Num(v)) => v <= n,
            _ => false,
        }
    }
}

/// Equal slices of equal length. Short ones are compared inline: most comparisons in a
/// policy are short literals that differ early, where a call to `memcmp` costs more than
/// the comparison.
#[inline]
fn bytes_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() > 16 {
        return a == b;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The haystack length up to which [`contains`] scans for the needle's first byte instead
/// of setting up the standard library's two-way search (whose setup dominates for the
/// names and paths policies test).
const SHORT_HAYSTACK: usize = 256;

/// `h` contains `n`: for short haystacks (at most [`SHORT_HAYSTACK`] bytes) each window's
/// first and last byte are tested before the rest (most windows fail there); longer ones use
/// the standard library's linear-time search.
fn contains(haystack: &str, needle: &str) -> bool {
    if haystack.len() > SHORT_HAYSTACK {
        return haystack.contains(needle);
    }
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    let Some((&first, rest)) = n.split_first() else { return true };
    let last = n[n.len() - 1];
    h.windows(n.len()).any(|w| w[0] == first && w[w.len() - 1] == last && bytes_eq(&w[1..], rest))
}

fn scalar_eq(want: &Scalar, v: &Value<'_>, ic: bool) -> bool {
    match (want, v) {
        (Scalar::Str(w), Value::Str(s)) => {
            if ic {
                s.chars().map(fold).eq(w.chars())
            } else {
                w == s
            }
        }
        (Scalar::Num(w), Value::Num(n)) => w == n,
        (Scalar::Bool(w), Value::Bool(b)) => w == b,
        _ => false,
    }
}

/// `s` starts with `p` (already folded), `s` folded on the fly.
fn starts_with_folded(s: &str, p: &str) -> bool {
    let mut chars = s.chars();
    p.chars().all(|want| chars.next().is_some_and(|c| fold(c) == want))
}

fn ends_with_folded(s: &str, p: &str) -> bool {
    let mut chars = s.chars().rev();
    p.chars().rev().all(|want| chars.next().is_some_and(|c| fold(c) == want))
}

fn contains_folded(s: &str, p: &str) -> bool {
    s.char_indices().map(|(i, _)| i).chain(core::iter::once(s.len())).any(|i| starts_with_folded(&s[i..], p))
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::borrow::Cow;

    fn ops(f: impl FnOnce(&mut Operators)) -> CompiledMatcher {
        let mut o = Operators::default();
        f(&mut o);
        CompiledMatcher::new(&Matcher::Ops(o))
    }

    fn s(v: &str) -> Value<'_> {
        Value::Str(Cow::Borrowed(v))
    }

    #[test]
    fn strict_types() {
        let m = CompiledMatcher::new(&Matcher::Glob("200".into()));
        assert!(m.matches(Some(&s("200"))));
        assert!(!m.matches(Some(&Value::Num(200.0))));
        let m = CompiledMatcher::new(&Matcher::Number(200.0));
        assert!(m.matches(Some(&Value::Num(200.0))));
        assert!(!m.matches(Some(&s("200"))));
        assert!(!m.matches(None));
    }

    #[test]
    fn exists_and_missing() {
        assert!(ops(|o| o.exists = Some(false)).matches(None));
        assert!(!ops(|o| o.exists = Some(false)).matches(Some(&Value::Other)));
        assert!(ops(|o| o.exists = Some(true)).matches(Some(&Value::Other)));
        assert!(!ops(|o| o.gt = Some(1.0)).matches(None));
    }

    #[test]
    fn ignore_case_string_ops() {
        let m = ops(|o| {
            o.prefix = Some(alloc::vec!["/API".into()]);
            o.ignore_case = true;
        });
        assert!(m.matches(Some(&s("/api/chat"))));
        let m = ops(|o| {
            o.contains = Some(alloc::vec!["BOT".into()]);
            o.ignore_case = true;
        });
        assert!(m.matches(Some(&s("Googlebot/2.1"))));
        let m = ops(|o| {
            o.suffix = Some(alloc::vec!["Ä".into()]);
            o.ignore_case = true;
        });
        assert!(m.matches(Some(&s("xä"))));
    }

    #[test]
    fn numeric_ranges() {
        let m = ops(|o| {
            o.gte = Some(10.0);
            o.lt = Some(20.0);
        });
        assert!(m.matches(Some(&Value::Num(10.0))));
        assert!(!m.matches(Some(&Value::Num(20.0))));
        assert!(!m.matches(Some(&s("15"))));
    }

    #[test]
    fn contains_agrees_with_std_on_short_and_long_haystacks() {
        let long = "ab".repeat(SHORT_HAYSTACK) + "/api/chat";
        let hays = [
            "",
            "a",
            "GET /api/chat",
            "/api/cha",
            "é/api/chat",
            "aaab",
            "GET /api/orders/5711",
            "0123456789abcdef/api/chat",
            "/api/chat/api/chat/api/chat/x",
            "\0\u{1}\u{80}\u{7f}\u{ff}é\0",
            long.as_str(),
            &long[..long.len() - 1],
        ];
        for h in hays {
            for n in ["", "a", "b", "/api/chat", "ab", "aab", "é", "t", "\0", "\u{80}", "\u{ff}é", "/api/chat/x", "x"]
            {
                assert_eq!(contains(h, n), h.contains(n), "{h:?} contains {n:?}");
            }
        }
    }
}
