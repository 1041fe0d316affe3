//! The policy model: a typed mirror of the JSON format, and its validation.
//!
//! Build a [`Policy`] from JSON with [`Policy::from_json`] (feature `json`), or in code
//! (no JSON needed, works without `std`), then compile it with
//! [`Sampler::new`](crate::Sampler::new), which validates it.

use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::error::{Problems, index_path, key_path, quote};
use crate::glob::Glob;

/// The most rules (trace and error rules together) a policy may have.
pub const MAX_RULES: usize = 10_000;
/// The deepest that conditions may nest (`any`, `all`, `not`).
pub const MAX_DEPTH: usize = 32;
/// The id of the built-in AI rule.
pub const GEN_AI_RULE_ID: &str = "genAi";

/// A sampling policy: what [`Sampler`](crate::Sampler) compiles. See `docs/policy.md`.
#[derive(Clone, Debug, PartialEq)]
pub struct Policy {
    /// The rate when nothing else decides (the role of `traces_sample_rate`).
    pub default_rate: f64,
    /// Whether an incoming parent decision is honoured.
    pub parent: ParentMode,
    /// The built-in AI rule, or `None` when the policy says `"genAi": false`.
    pub gen_ai: Option<GenAiRule>,
    /// Trace rules, in order.
    pub rules: Vec<Rule>,
    /// Error-event sampling, if the policy has an `errors` section.
    pub errors: Option<ErrorPolicy>,
}

impl Policy {
    /// A policy with this default rate and nothing else: parent inherited, `genAi` on.
    pub fn with_default_rate(default_rate: f64) -> Self {
        Policy {
            default_rate,
            parent: ParentMode::Inherit,
            gen_ai: Some(GenAiRule::default()),
            rules: Vec::new(),
            errors: None,
        }
    }
}

/// `"parent": "inherit" | "ignore"`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ParentMode {
    /// Honour the parent's rate or decision (precedence step 3). The default.
    #[default]
    Inherit,
    /// Skip step 3: only forced decisions, rules and the default decide.
    Ignore,
}

/// The built-in AI rule (`"genAi"`): matches AI runs, and roots on `routes`.
#[derive(Clone, Debug, PartialEq)]
pub struct GenAiRule {
    /// The rate for AI runs (default 1.0).
    pub rate: f64,
    /// Whether it beats the parent decision (default `true`).
    pub override_parent: bool,
    /// Globs on `path` for routes that serve AI features (empty: none).
    pub routes: Vec<String>,
    /// Free text.
    pub description: Option<String>,
}

impl Default for GenAiRule {
    fn default() -> Self {
        GenAiRule { rate: 1.0, override_parent: true, routes: Vec::new(), description: None }
    }
}

/// One rule: when `when` holds, the rate is `rate`.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    /// The rule's id; `None` means `rules[i]`.
    pub id: Option<String>,
    /// When the rule applies.
    pub when: Condition,
    /// The rate it gives.
    pub rate: f64,
    /// Whether it is evaluated before the parent decision (trace rules only).
    pub override_parent: bool,
    /// Free text.
    pub description: Option<String>,
}

impl Rule {
    /// A rule with no id, evaluated after the parent decision.
    pub fn new(when: Condition, rate: f64) -> Self {
        Rule { id: None, when, rate, override_parent: false, description: None }
    }
}

/// The `errors` section: sampling of error events.
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorPolicy {
    /// The rate when no error rule matches (default 1.0).
    pub default_rate: f64,
    /// Error rules, in order (their conditions use the error fields).
    pub rules: Vec<Rule>,
}

impl Default for ErrorPolicy {
    fn default() -> Self {
        ErrorPolicy { default_rate: 1.0, rules: Vec::new() }
    }
}

/// A condition: every field that is set must hold (AND). The JSON keys of `when`.
///
/// Trace conditions use `name` .. `gen_ai`; error conditions use `exception` .. `tags`;
/// both use `custom` and the combinators.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Condition {
    /// `name`: the root span or transaction name.
    pub name: Option<Matcher>,
    /// `op`: the operation.
    pub op: Option<Matcher>,
    /// `origin`: the instrumentation origin.
    pub origin: Option<Matcher>,
    /// `method`: the upper-case HTTP method.
    pub method: Option<Matcher>,
    /// `path`: the URL path without query or fragment.
    pub path: Option<Matcher>,
    /// `parentSampled`: the parent decision.
    pub parent_sampled: Option<bool>,
    /// `attributes`: span attributes by key.
    pub attributes: Vec<(String, Matcher)>,
    /// `custom`: the custom sampling context by dotted path.
    pub custom: Vec<(String, Matcher)>,
    /// `genAi`: the built-in AI predicate.
    pub gen_ai: Option<bool>,
    /// `exception`: the exception type, short or qualified (errors only).
    pub exception: Option<Matcher>,
    /// `level` (errors only).
    pub level: Option<Matcher>,
    /// `logger` (errors only).
    pub logger: Option<Matcher>,
    /// `message` (errors only).
    pub message: Option<Matcher>,
    /// `tags` by key (errors only).
    pub tags: Vec<(String, Matcher)>,
    /// `any`: at least one of these holds.
    pub any: Option<Vec<Condition>>,
    /// `all`: all of these hold.
    pub all: Option<Vec<Condition>>,
    /// `not`: this does not hold.
    pub not: Option<Box<Condition>>,
}

/// How a field is tested. See "Matchers" in `docs/policy.md`.
#[derive(Clone, Debug, PartialEq)]
pub enum Matcher {
    /// `"glob"`.
    Glob(String),
    /// `["glob", ...]`: any of these globs.
    Globs(Vec<String>),
    /// `3`: equal to this number.
    Number(f64),
    /// `true`: equal to this boolean.
    Bool(bool),
    /// `{ "prefix": ..., ... }`: all of these operators.
    Ops(Operators),
}

/// The operators of an object matcher; all that are set must hold.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Operators {
    /// `eq`: equal to any of these.
    pub eq: Option<Vec<Scalar>>,
    /// `glob`: matches any of these globs.
    pub glob: Option<Vec<String>>,
    /// `prefix`: starts with any of these.
    pub prefix: Option<Vec<String>>,
    /// `suffix`: ends with any of these.
    pub suffix: Option<Vec<String>>,
    /// `contains`: contains any of these.
    pub contains: Option<Vec<String>>,
    /// `gt`: a number greater than this.
    pub gt: Option<f64>,
    /// `gte`: a number at least this.
    pub gte: Option<f64>,
    /// `lt`: a number less than this.
    pub lt: Option<f64>,
    /// `lte`: a number at most this.
    pub lte: Option<f64>,
    /// `exists`: present (`true`) or missing (`false`).
    pub exists: Option<bool>,
    /// `ignoreCase`: string operators compare without case.
    pub ignore_case: bool,
}

/// A JSON scalar, as `eq` compares it.
#[derive(Clone, Debug, PartialEq)]
pub enum Scalar {
    /// A string.
    Str(String),
    /// A number.
    Num(f64),
    /// A boolean.
    Bool(bool),
}

/// Which fields a condition may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Trace,
    Error,
}

impl Kind {
    pub(crate) fn fields(self) -> &'static [&'static str] {
        match self {
            Kind::Trace => &[
                "name",
                "op",
                "origin",
                "method",
                "path",
                "parentSampled",
                "attributes",
                "custom",
                "genAi",
                "any",
                "all",
                "not",
            ],
            Kind::Error => &["exception", "level", "logger", "message", "tags", "custom", "any", "all", "not"],
        }
    }
}

/// `unknown field "k" (expected one of a, b, c)`.
pub(crate) fn unknown_field(key: &str, expected: &[&str]) -> String {
    format!("unknown field {} (expected one of {})", quote(key), expected.join(", "))
}

fn check_rate(problems: &mut Problems, path: &str, rate: f64) {
    if !(0.0..=1.0).contains(&rate) {
        problems.add(path, format!("expected a number in [0, 1], found {rate}"));
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
        let singles = [
            ("name", &c.name),
            ("op", &c.op),
            ("origin", &c.origin),
            ("method", &c.method),
            ("path", &c.path),
            ("exception", &c.exception),
            ("level", &c.level),
            ("logger", &c.logger),
            ("message", &c.message),
        ];
        for (key, matcher) in singles {
            if let Some(m) = matcher {
                self.matcher(&key_path(path, key), m);
            }
        }
        for (key, map) in [("attributes", &c.attributes), ("custom", &c.custom), ("tags", &c.tags)] {
            for (k, m) in map {
                self.matcher(&key_path(&key_path(path, key), k), m);
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
            Matcher::Number(n) if !n.is_finite() => self.add(path, format!("expected a finite number, found {n}")),
            Matcher::Number(_) | Matcher::Bool(_) => {}
            Matcher::Ops(ops) => self.operators(path, ops),
        }
    }

    fn operators(&mut self, path: &str, ops: &Operators) {
        let strings =
            [("glob", &ops.glob), ("prefix", &ops.prefix), ("suffix", &ops.suffix), ("contains", &ops.contains)];
        let numbers = [("gt", ops.gt), ("gte", ops.gte), ("lt", ops.lt), ("lte", ops.lte)];
        let any_test = ops.eq.is_some()
            || ops.exists.is_some()
            || strings.iter().any(|(_, s)| s.is_some())
            || numbers.iter().any(|(_, n)| n.is_some());
        if !any_test {
            let msg =
                "empty matcher (expected at least one of eq, glob, prefix, suffix, contains, gt, gte, lt, lte, exists)";
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

impl Condition {
    /// The JSON names of the keys that are set, in the documented order.
    pub(crate) fn used_fields(&self) -> Vec<&'static str> {
        let set = [
            ("name", self.name.is_some()),
            ("op", self.op.is_some()),
            ("origin", self.origin.is_some()),
            ("method", self.method.is_some()),
            ("path", self.path.is_some()),
            ("parentSampled", self.parent_sampled.is_some()),
            ("attributes", !self.attributes.is_empty()),
            ("custom", !self.custom.is_empty()),
            ("genAi", self.gen_ai.is_some()),
            ("exception", self.exception.is_some()),
            ("level", self.level.is_some()),
            ("logger", self.logger.is_some()),
            ("message", self.message.is_some()),
            ("tags", !self.tags.is_empty()),
            ("any", self.any.is_some()),
            ("all", self.all.is_some()),
            ("not", self.not.is_some()),
        ];
        set.iter().filter(|(_, on)| *on).map(|(k, _)| *k).collect()
    }
}
