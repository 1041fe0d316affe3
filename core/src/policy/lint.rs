//! Policy lint: valid policies that probably do not do what their author meant.
//!
//! [`lint`] reports [`Warning`]s, each with the JSON path of the value it is about, in
//! the same path syntax as [`Problem`](crate::Problem):
//!
//! - `shadowed`: a rule with the same condition as a rule evaluated before it never applies;
//! - `unreachable`: a rule evaluated after one whose condition always holds never applies;
//! - `route-in-name`: a `name` pattern with route parameters (`:id`, `{id}`, `<id>`): at
//!   sampling time names are raw (`GET /users/42`), so it never matches a real request;
//! - `after-sampling`: a condition on an attribute the SDKs set only after the sampling
//!   decision (`http.route`, `http.response.status_code`, `gen_ai.usage.*`, `gen_ai.response.*`);
//! - `sdk-specific-custom`: a `custom` key that only one SDK passes (`wsgi_environ.*`,
//!   `asgi_scope.*`, `normalizedRequest.*`, `celery_job.*`, ...).
//!
//! ```
//! let policy = tracesieve::Policy::from_json(r#"{"defaultRate": 0.1, "rules": [
//!     {"id": "users", "when": {"name": "GET /users/:id"}, "rate": 0.5}]}"#).unwrap();
//! let warnings = tracesieve::lint(&policy);
//! assert_eq!(warnings[0].code, "route-in-name");
//! assert_eq!(warnings[0].path, "rules[0].when.name");
//! ```

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::policy::model::{Condition, Matcher, Operators, Policy, Rule, Scalar};
use crate::text::path::{index_path, key_path};

/// One warning: where (a JSON path such as `rules[2].when.name`), a stable code, and what
/// is probably wrong with a suggestion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// The JSON path of the value the warning is about.
    pub path: String,
    /// A stable identifier: `shadowed`, `unreachable`, `route-in-name`, `after-sampling`,
    /// `sdk-specific-custom`.
    pub code: &'static str,
    /// What is wrong, and what to write instead.
    pub message: String,
}

impl core::fmt::Display for Warning {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}: {} [{}]", self.path, self.message, self.code)
    }
}

/// Attributes the SDKs set only after the sampling decision: exact keys, then prefixes.
const AFTER_SAMPLING: &[&str] = &["http.route", "http.response.status_code"];
const AFTER_SAMPLING_PREFIXES: &[&str] = &["gen_ai.usage.", "gen_ai.response."];

/// Custom-context keys that only one SDK passes, with that SDK.
const SDK_SPECIFIC: &[(&str, &str)] = &[
    ("wsgi_environ", "sentry-sdk (WSGI)"),
    ("asgi_scope", "sentry-sdk (ASGI)"),
    ("aiohttp_request", "sentry-sdk (aiohttp)"),
    ("tornado_request", "sentry-sdk (Tornado)"),
    ("sanic_request", "sentry-sdk (Sanic)"),
    ("celery_job", "sentry-sdk (Celery)"),
    ("rq_job", "sentry-sdk (RQ)"),
    ("aws_event", "sentry-sdk (AWS Lambda)"),
    ("aws_context", "sentry-sdk (AWS Lambda)"),
    ("gcp_env", "sentry-sdk (GCP)"),
    ("gcp_event", "sentry-sdk (GCP)"),
    ("normalizedRequest", "@sentry/node"),
    ("request", "@sentry/node (v7)"),
];

/// Every warning of a valid policy, trace rules first, then error rules; within each,
/// rule by rule in document order.
pub fn lint(policy: &Policy) -> Vec<Warning> {
    let mut out = Vec::new();
    rule_warnings(&policy.rules, "rules", true, &mut out);
    if let Some(errors) = &policy.errors {
        rule_warnings(&errors.rules, &key_path("errors", "rules"), false, &mut out);
    }
    out
}

/// The warnings of a list of rules, rule by rule.
fn rule_warnings(rules: &[Rule], base: &str, split: bool, out: &mut Vec<Warning>) {
    let mut order = order_warnings(rules, base, split).into_iter().peekable();
    for (i, rule) in rules.iter().enumerate() {
        while let Some((_, w)) = order.next_if(|(j, _)| *j == i) {
            out.push(w);
        }
        condition_warnings(&rule.when, &key_path(&index_path(base, i), "when"), out);
    }
}

/// How a rule is named in a message: `rules[1] ("health")`.
fn rule_name(base: &str, i: usize, rule: &Rule) -> String {
    match &rule.id {
        Some(id) => format!("{} (\"{id}\")", index_path(base, i)),
        None => index_path(base, i),
    }
}

/// `shadowed` and `unreachable`, in the order the sampler evaluates the rules: trace rules
/// with `overrideParent` first, then the others (`split` false for error rules, which
/// have no parent step).
fn order_warnings(rules: &[Rule], base: &str, split: bool) -> Vec<(usize, Warning)> {
    let mut order: Vec<usize> = (0..rules.len()).filter(|&i| split && rules[i].override_parent).collect();
    order.extend((0..rules.len()).filter(|&i| !split || !rules[i].override_parent));
    let mut found: Vec<(usize, Warning)> = Vec::new();
    let mut catch_all: Option<usize> = None;
    for (pos, &j) in order.iter().enumerate() {
        let path = index_path(base, j);
        if let Some(c) = catch_all {
            let message = format!(
                "never applies: {} before it matches every root (its condition always holds)",
                rule_name(base, c, &rules[c])
            );
            found.push((j, Warning { path, code: "unreachable", message }));
            continue;
        }
        if let Some(&i) = order[..pos].iter().find(|&&i| rules[i].when == rules[j].when) {
            let message = format!(
                "never applies: {} has the same condition and is evaluated first{}",
                rule_name(base, i, &rules[i]),
                if i > j { " (rules with overrideParent come first)" } else { "" }
            );
            found.push((j, Warning { path, code: "shadowed", message }));
            continue;
        }
        if always_holds(&rules[j].when) {
            catch_all = Some(j);
        }
    }
    found.sort_by_key(|(j, _)| *j);
    found
}

/// Whether a condition holds for every root. Conservative: `name` globs of `*` only, or
/// `{"exists": true}` on `name` (every root has a name), and combinations of those.
fn always_holds(c: &Condition) -> bool {
    let only = Condition {
        name: c.name.clone(),
        any: c.any.clone(),
        all: c.all.clone(),
        not: c.not.clone(),
        ..Default::default()
    };
    if only != *c {
        return false;
    }
    c.name.as_ref().is_none_or(matches_any_string)
        && c.any.as_ref().is_none_or(|list| list.iter().any(always_holds))
        && c.all.as_ref().is_none_or(|list| list.iter().all(always_holds))
        && c.not.as_ref().is_none_or(|inner| never_holds(inner))
}

/// Whether a condition holds for no root: only `{"name": {"exists": false}}` and combinations.
fn never_holds(c: &Condition) -> bool {
    let only = Condition {
        name: c.name.clone(),
        any: c.any.clone(),
        all: c.all.clone(),
        not: c.not.clone(),
        ..Default::default()
    };
    if only != *c || (c.name.is_none() && c.any.is_none() && c.all.is_none() && c.not.is_none()) {
        return false;
    }
    let name_never = matches!(&c.name, Some(Matcher::Ops(ops)) if ops.exists == Some(false)
        && *ops == Operators { exists: Some(false), ..Default::default() });
    name_never
        || c.any.as_ref().is_some_and(|list| list.iter().all(never_holds))
        || c.all.as_ref().is_some_and(|list| list.iter().any(never_holds))
        || c.not.as_ref().is_some_and(|inner| always_holds(inner))
}

/// A matcher that every string matches: globs made of `*` only, or `{"exists": true}`.
fn matches_any_string(m: &Matcher) -> bool {
    let star = |g: &String| !g.is_empty() && g.chars().all(|ch| ch == '*');
    match m {
        Matcher::Glob(g) => star(g),
        Matcher::Globs(gs) => gs.iter().any(star),
        Matcher::Ops(ops) => {
            let exists = *ops == Operators { exists: Some(true), ignore_case: ops.ignore_case, ..Default::default() };
            let glob = ops.glob.as_ref().is_some_and(|gs| gs.iter().any(star))
                && *ops == Operators { glob: ops.glob.clone(), ignore_case: ops.ignore_case, ..Default::default() };
            exists || glob
        }
        Matcher::Number(_) | Matcher::Bool(_) => false,
    }
}

/// `route-in-name`, `after-sampling` and `sdk-specific-custom` in one condition and the
/// conditions nested in it.
fn condition_warnings(c: &Condition, path: &str, out: &mut Vec<Warning>) {
    if let Some(param) = c.name.as_ref().and_then(|name| patterns(name).into_iter().find_map(route_parameter)) {
        out.push(Warning {
            path: key_path(path, "name"),
            code: "route-in-name",
            message: format!(
                "the name pattern contains the route parameter {param:?}, but names are raw at sampling time \
                 (\"GET /users/42\", not \"GET /users/:id\"): match \"path\" with the \"route\" operator instead"
            ),
        });
    }
    for (key, _) in &c.attributes {
        let late = AFTER_SAMPLING.contains(&key.as_str()) || AFTER_SAMPLING_PREFIXES.iter().any(|p| key.starts_with(p));
        if late {
            out.push(Warning {
                path: key_path(&key_path(path, "attributes"), key),
                code: "after-sampling",
                message: format!(
                    "the SDKs set {key:?} only after the sampling decision, so this condition never sees it{}",
                    if key == "http.route" { ": match \"path\" with the \"route\" operator instead" } else { "" }
                ),
            });
        }
    }
    for (key, _) in &c.custom {
        let first = key.split('.').next().unwrap_or(key);
        if let Some((_, sdk)) = SDK_SPECIFIC.iter().find(|(k, _)| *k == first) {
            out.push(Warning {
                path: key_path(&key_path(path, "custom"), key),
                code: "sdk-specific-custom",
                message: format!(
                    "only {sdk} passes {first:?}: every SDK gives \"path\" and \"method\", use those instead"
                ),
            });
        }
    }
    for (combinator, list) in [("any", &c.any), ("all", &c.all)] {
        for (i, inner) in list.iter().flatten().enumerate() {
            condition_warnings(inner, &index_path(&key_path(path, combinator), i), out);
        }
    }
    if let Some(inner) = &c.not {
        condition_warnings(inner, &key_path(path, "not"), out);
    }
}

/// The string patterns of a matcher (globs and string operators).
fn patterns(m: &Matcher) -> Vec<&str> {
    match m {
        Matcher::Glob(g) => alloc::vec![g.as_str()],
        Matcher::Globs(gs) => gs.iter().map(String::as_str).collect(),
        Matcher::Ops(ops) => {
            let strings = [&ops.glob, &ops.prefix, &ops.suffix, &ops.contains, &ops.route];
            let mut all: Vec<&str> = strings.into_iter().flatten().flatten().map(String::as_str).collect();
            all.extend(ops.eq.iter().flatten().filter_map(|s| match s {
                Scalar::Str(s) => Some(s.as_str()),
                _ => None,
            }));
            all
        }
        Matcher::Number(_) | Matcher::Bool(_) => None.into_iter().collect(),
    }
}

/// The first route parameter of a pattern: a path segment `:id`, `{id}` or `<id>` (or
/// `<int:id>`), returned as written.
fn route_parameter(pattern: &str) -> Option<&str> {
    pattern.split('/').skip(1).find(|segment| {
        let ident = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':');
        let ident_start = |s: &str| s.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
        if let Some(rest) = segment.strip_prefix(':') {
            ident(rest) && ident_start(rest)
        } else if let Some(inner) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            ident(inner) && ident_start(inner)
        } else if let Some(inner) = segment.strip_prefix('<').and_then(|s| s.strip_suffix('>')) {
            ident(inner) && ident_start(inner)
        } else {
            false
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn route_parameters() {
        assert_eq!(route_parameter("GET /users/:id"), Some(":id"));
        assert_eq!(route_parameter("/users/{user_id}/posts"), Some("{user_id}"));
        assert_eq!(route_parameter("/users/<int:id>"), Some("<int:id>"));
        assert_eq!(route_parameter("GET /users/*"), None);
        assert_eq!(route_parameter("GET /a:b/{}"), None);
        assert_eq!(route_parameter("no slash :id"), None);
    }
}
