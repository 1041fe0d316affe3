//! Validation of a [`Policy`]: everything JSON types alone cannot check (ranges, ids,
//! globs, field kinds, limits), once, for parsed and hand-built policies alike.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::policy::error::Problems;
use crate::policy::keys;
use crate::policy::model::{Condition, GEN_AI_RULE_ID, MAX_DEPTH, MAX_RULES, Matcher, Operators, Policy, Rule, Scalar};
use crate::text::glob::Glob;
use crate::text::path::{index_path, key_path, quote};
use crate::text::route::Route;

/// Which fields a condition may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Trace,
    Error,
}

impl Kind {
    /// The keys a condition of this kind may have.
    pub(crate) fn fields(self) -> &'static [&'static str] {
        match self {
            Kind::Trace => keys::TRACE_CONDITION,
            Kind::Error => keys::ERROR_CONDITION,
        }
    }
}

/// `unknown field "k" (expected one of a, b, c)`.
pub(crate) fn unknown_field(key: &str, expected: &[&str]) -> String {
    format!("unknown field {} (expected one of {})", quote(key), expected.join(", "))
}

fn check_rate(problems: &mut Problems, path: &str, rate: f64) {
    if !(0.0..=1.0).contains(&rate) {
        problems.add(path, format!("expected a number in [0, 1], found {}", crate::text::num::f64_text(rate)));
    }
}

impl Policy {
    /// Checks everything that JSON types alone cannot: ranges, ids, globs, field kinds,
    /// limits. Problems already in `problems` (from parsing) hide their descendants.
    pub(crate) fn validate(&self, mut problems: Problems) -> Problems {
        let mut v = Validator { problems: &problems, found: Problems::new(), ids: Vec::new() };
        v.rate("defaultRate", self.default_rate);
        if let Some(g) = &self.gen_ai {
            v.rate("genAi.rate", g.rate);
            v.ids.push((String::from(GEN_AI_RULE_ID), String::from("genAi")));
            for (i, route) in g.routes.iter().enumerate() {
                v.glob(&index_path("genAi.routes", i), route, false);
            }
        }
        let error_rules = self.errors.as_ref().map_or(&[][..], |e| &e.rules[..]);
        if self.rules.len() + error_rules.len() > MAX_RULES {
            v.add("rules", format!("{} rules (at most {MAX_RULES})", self.rules.len() + error_rules.len()));
        }
        for (i, rule) in self.rules.iter().enumerate() {
            v.rule(&index_path("rules", i), rule, Kind::Trace);
        }
        if let Some(errors) = &self.errors {
            v.rate("errors.defaultRate", errors.default_rate);
            for (i, rule) in errors.rules.iter().enumerate() {
                v.rule(&index_path("errors.rules", i), rule, Kind::Error);
            }
        }
        let Validator { found, .. } = v;
        for p in found.into_list() {
            if !problems.covers(&p.path) {
                problems.add(&p.path, p.message);
            }
        }
        problems
    }
}

struct Validator<'p> {
    problems: &'p Problems,
    found: Problems,
    /// (id, path of the rule that first used it)
    ids: Vec<(String, String)>,
}

impl Validator<'_> {
    fn add(&mut self, path: &str, message: impl Into<String>) {
        if !self.problems.covers(path) {
            self.found.add(path, message);
        }
    }

    fn rate(&mut self, path: &str, rate: f64) {
        let mut p = Problems::new();
        check_rate(&mut p, path, rate);
        for problem in p.into_list() {
            self.add(&problem.path, problem.message);
        }
    }

    fn rule(&mut self, path: &str, rule: &Rule, kind: Kind) {
        if let Some(id) = &rule.id {
            let id_path = key_path(path, "id");
            if id.is_empty() {
                self.add(&id_path, "expected a non-empty string");
            } else if let Some((_, first)) = self.ids.iter().find(|(seen, _)| seen == id) {
                let msg = format!("duplicate id {} (first used at {first})", quote(id));
                self.add(&id_path, msg);
            } else {
                self.ids.push((id.clone(), id_path));
            }
        }
        self.rate(&key_path(path, "rate"), rule.rate);
        if kind == Kind::Error && rule.override_parent {
            let expected = ["id", "when", "rate", "description"];
            self.add(path, unknown_field("overrideParent", &expected));
        }
        self.condition(&key_path(path, "when"), &rule.when, kind, 1);
    }

    fn condition(&mut self, path: &str, c: &Condition, kind: Kind, depth: usize) {
        if depth > MAX_DEPTH {
            self.add(path, format!("conditions nest deeper than {MAX_DEPTH}"));
            return;
        }
        let used = c.used_fields();
        if used.is_empty() {
            let msg = format!("empty condition (expected at least one of {})", kind.fields().join(", "));
            self.add(path, msg);
        }
        for field in used {
            if !kind.fields().contains(&field) {
                self.add(path, unknown_field(field, kind.fields()));
            }
        }
        for (field, matcher) in c.field_matchers() {
            if let Some(m) = matcher {
                self.matcher(&key_path(path, field.as_str()), m);
            }
        }
        if let Some(m) = &c.method {
            self.method_case(&key_path(path, "method"), m);
        }
        for (key, map) in [("attributes", &c.attributes), ("custom", &c.custom), ("tags", &c.tags)] {
            for (k, m) in map {
                let at = key_path(&key_path(path, key), k);
                let keys = k.split('.').count();
                if key == "custom" && keys > MAX_DEPTH {
                    self.add(&at, format!("a path of {keys} keys (at most {MAX_DEPTH})"));
                }
                self.matcher(&at, m);
            }
        }
        for (key, list) in [("any", &c.any), ("all", &c.all)] {
            match list {
                Some(list) if list.is_empty() => self.add(&key_path(path, key), "expected a non-empty array"),
                Some(list) => {
                    for (i, sub) in list.iter().enumerate() {
                        self.condition(&index_path(&key_path(path, key), i), sub, kind, depth + 1);
                    }
                }
                None => {}
            }
        }
        if let Some(sub) = &c.not {
            self.condition(&key_path(path, "not"), sub, kind, depth + 1);
        }
    }

    fn matcher(&mut self, path: &str, m: &Matcher) {
        match m {
            Matcher::Glob(g) => self.glob(path, g, false),
            Matcher::Globs(gs) => self.globs(path, gs, false),
            Matcher::Number(n) if !n.is_finite() => {
                self.add(path, format!("expected a finite number, found {}", crate::text::num::f64_text(*n)))
            }
            Matcher::Number(_) | Matcher::Bool(_) => {}
            Matcher::Ops(ops) => self.operators(path, ops),
        }
    }

    fn operators(&mut self, path: &str, ops: &Operators) {
        let strings = [
            ("glob", &ops.glob),
            ("prefix", &ops.prefix),
            ("suffix", &ops.suffix),
            ("contains", &ops.contains),
            ("route", &ops.route),
        ];
        let numbers = [("gt", ops.gt), ("gte", ops.gte), ("lt", ops.lt), ("lte", ops.lte)];
        let any_test = ops.eq.is_some()
            || ops.exists.is_some()
            || strings.iter().any(|(_, s)| s.is_some())
            || numbers.iter().any(|(_, n)| n.is_some());
        if !any_test {
            let msg = "empty matcher (expected at least one of eq, glob, prefix, suffix, contains, route, gt, gte, lt, lte, exists)";
            self.add(path, msg);
        }
        if let Some(eq) = &ops.eq {
            if eq.is_empty() {
                self.add(&key_path(path, "eq"), "expected a non-empty array");
            }
            for (i, s) in eq.iter().enumerate() {
                if matches!(s, Scalar::Num(n) if !n.is_finite()) {
                    self.add(&index_path(&key_path(path, "eq"), i), "expected a finite number");
                }
            }
        }
        for (key, list) in strings {
            if let Some(list) = list {
                let list_path = key_path(path, key);
                if key == "glob" {
                    self.globs(&list_path, list, ops.ignore_case);
                } else if key == "route" {
                    self.routes(&list_path, list);
                } else if list.is_empty() {
                    self.add(&list_path, "expected a non-empty array");
                }
            }
        }
        for (key, n) in numbers {
            if n.is_some_and(|n| !n.is_finite()) {
                self.add(&key_path(path, key), "expected a finite number");
            }
        }
    }

    fn globs(&mut self, path: &str, globs: &[String], ignore_case: bool) {
        match globs {
            [] => self.add(path, "expected a non-empty array"),
            [one] => self.glob(path, one, ignore_case),
            many => {
                for (i, g) in many.iter().enumerate() {
                    self.glob(&index_path(path, i), g, ignore_case);
                }
            }
        }
    }

    /// A `method` pattern with lower-case letters and no `ignoreCase` never matches: every
    /// SDK reports methods upper-case (and the sampler upper-cases any that is not).
    fn method_case(&mut self, path: &str, m: &Matcher) {
        let (lists, ignore_case): (Vec<(String, Vec<&str>)>, bool) = match m {
            Matcher::Glob(g) => (alloc::vec![(String::from(path), alloc::vec![g.as_str()])], false),
            Matcher::Globs(gs) => (alloc::vec![(String::from(path), gs.iter().map(String::as_str).collect())], false),
            Matcher::Ops(ops) => {
                let eq = ops
                    .eq
                    .iter()
                    .flatten()
                    .filter_map(|s| if let Scalar::Str(s) = s { Some(s.as_str()) } else { None });
                let mut lists = alloc::vec![(key_path(path, "eq"), eq.collect::<Vec<_>>())];
                let strings = [
                    ("glob", &ops.glob),
                    ("prefix", &ops.prefix),
                    ("suffix", &ops.suffix),
                    ("contains", &ops.contains),
                    ("route", &ops.route),
                ];
                for (key, list) in strings {
                    if let Some(list) = list {
                        lists.push((key_path(path, key), list.iter().map(String::as_str).collect()));
                    }
                }
                (lists, ops.ignore_case)
            }
            Matcher::Number(_) | Matcher::Bool(_) => return,
        };
        if ignore_case {
            return;
        }
        for (list_path, patterns) in lists {
            for (i, p) in patterns.iter().enumerate() {
                if p.chars().any(char::is_lowercase) {
                    let at = if patterns.len() == 1 { list_path.clone() } else { index_path(&list_path, i) };
                    let upper: String = p.chars().flat_map(char::to_uppercase).collect();
                    let msg = format!(
                        "{} never matches: SDKs report methods upper-case (write {}, or set ignoreCase)",
                        quote(truncated(p)),
                        quote(truncated(&upper))
                    );
                    self.add(&at, msg);
                }
            }
        }
    }

    fn routes(&mut self, path: &str, routes: &[String]) {
        if routes.is_empty() {
            self.add(path, "expected a non-empty array");
        }
        for (i, route) in routes.iter().enumerate() {
            if let Err(e) = Route::new(route, false) {
                let at = if routes.len() == 1 { String::from(path) } else { index_path(path, i) };
                self.add(&at, format!("bad route template {}: {e}", quote(truncated(route))));
            }
        }
    }

    fn glob(&mut self, path: &str, glob: &str, ignore_case: bool) {
        if let Err(e) = Glob::new(glob, ignore_case) {
            self.add(path, format!("bad glob {}: {e}", quote(truncated(glob))));
        }
    }
}

/// At most 64 characters of `s`, for messages.
fn truncated(s: &str) -> &str {
    s.char_indices().nth(64).map_or(s, |(i, _)| &s[..i])
}
