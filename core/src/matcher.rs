//! Compiled matchers: a [`Matcher`] ready to test values.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

use crate::glob::{Glob, fold, fold_str};
use crate::policy::{Matcher, Operators, Scalar};
use crate::value::Value;

/// One compiled test; a matcher holds if all its tests do.
#[derive(Clone, Debug)]
enum Test {
    Eq(Box<[Scalar]>, bool),
    Glob(Box<[Glob]>),
    Prefix(Box<[String]>, bool),
    Suffix(Box<[String]>, bool),
    Contains(Box<[String]>, bool),
    Gt(f64),
    Gte(f64),
    Lt(f64),
    Lte(f64),
    Exists(bool),
}

/// A matcher compiled for testing: globs compiled, case-insensitive patterns folded.
#[derive(Clone, Debug)]
pub(crate) struct CompiledMatcher {
    tests: Box<[Test]>,
}

fn globs(patterns: &[String], ignore_case: bool) -> Box<[Glob]> {
    // Globs were validated by `Policy::validate`; one that fails here cannot match.
    patterns.iter().filter_map(|p| Glob::new(p, ignore_case).ok()).collect()
}

fn folded(patterns: &[String], ignore_case: bool) -> Box<[String]> {
    patterns.iter().map(|p| if ignore_case { fold_str(p) } else { p.clone() }).collect()
}

impl CompiledMatcher {
    pub(crate) fn new(m: &Matcher) -> Self {
        let tests = match m {
            Matcher::Glob(g) => alloc::vec![Test::Glob(globs(core::slice::from_ref(g), false))],
            Matcher::Globs(gs) => alloc::vec![Test::Glob(globs(gs, false))],
            Matcher::Number(n) => alloc::vec![Test::Eq(Box::new([Scalar::Num(*n)]), false)],
            Matcher::Bool(b) => alloc::vec![Test::Eq(Box::new([Scalar::Bool(*b)]), false)],
            Matcher::Ops(ops) => Self::operators(ops),
        };
        CompiledMatcher { tests: tests.into_boxed_slice() }
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
            tests.push(Test::Glob(globs(g, ic)));
        }
        if let Some(p) = &ops.prefix {
            tests.push(Test::Prefix(folded(p, ic), ic));
        }
        if let Some(p) = &ops.suffix {
            tests.push(Test::Suffix(folded(p, ic), ic));
        }
        if let Some(p) = &ops.contains {
            tests.push(Test::Contains(folded(p, ic), ic));
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
    pub(crate) fn matches(&self, value: Option<&Value<'_>>) -> bool {
        self.tests.iter().all(|t| t.matches(value))
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
            (Test::Glob(any), Value::Str(s)) => any.iter().any(|g| g.is_match(s)),
            (Test::Prefix(any, ic), Value::Str(s)) => any.iter().any(|p| starts_with(s, p, *ic)),
            (Test::Suffix(any, ic), Value::Str(s)) => any.iter().any(|p| ends_with(s, p, *ic)),
            (Test::Contains(any, ic), Value::Str(s)) => any.iter().any(|p| contains(s, p, *ic)),
            (Test::Gt(n), Value::Num(v)) => v > n,
            (Test::Gte(n), Value::Num(v)) => v >= n,
            (Test::Lt(n), Value::Num(v)) => v < n,
            (Test::Lte(n), Value::Num(v)) => v <= n,
            _ => false,
        }
    }
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

/// `s` starts with `p`; with `ic`, `p` is already folded and `s` is folded on the fly.
fn starts_with(s: &str, p: &str, ic: bool) -> bool {
    if !ic {
        return s.starts_with(p);
    }
    let mut chars = s.chars();
    p.chars().all(|want| chars.next().is_some_and(|c| fold(c) == want))
}

fn ends_with(s: &str, p: &str, ic: bool) -> bool {
    if !ic {
        return s.ends_with(p);
    }
    let mut chars = s.chars().rev();
    p.chars().rev().all(|want| chars.next().is_some_and(|c| fold(c) == want))
}

fn contains(s: &str, p: &str, ic: bool) -> bool {
    if !ic {
        return s.contains(p);
    }
    s.char_indices().map(|(i, _)| i).chain(core::iter::once(s.len())).any(|i| starts_with(&s[i..], p, true))
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
}
