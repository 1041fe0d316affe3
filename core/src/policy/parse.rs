//! JSON → [`Policy`]: every JSON-shape problem, each at its path. Ranges, ids, globs and
//! limits are checked once, by `Policy::validate`, for parsed and hand-built policies alike.

use alloc::boxed::Box;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::text::json::{self, Map, Value as Json};

use crate::policy::error::{PolicyError, Problem, Problems};
use crate::policy::keys::{ERROR_RULE, ERRORS, GEN_AI, OPERATORS, RULE, TOP};
use crate::policy::model::{Condition, ErrorPolicy, GenAiRule, Matcher, Operators, ParentMode, Policy, Rule, Scalar};
use crate::policy::validate::{Kind, unknown_field};
use crate::text::path::{index_path, key_path, quote};

/// The largest policy text accepted, in bytes.
pub const MAX_POLICY_BYTES: usize = 1 << 20;

impl Policy {
    /// Parses and validates a JSON policy.
    ///
    /// # Errors
    /// [`PolicyError`] listing every problem with its JSON path; a text over 1 MiB or that
    /// is not JSON is one problem at `policy`.
    pub fn from_json(text: &str) -> Result<Policy, PolicyError> {
        if text.len() > MAX_POLICY_BYTES {
            let message = format!("policy text is {} bytes (at most {MAX_POLICY_BYTES})", text.len());
            return Err(PolicyError::new(alloc::vec![Problem { path: "policy".into(), message }]));
        }
        let (json, repeated) = json::parse_strict(text).map_err(|e| {
            PolicyError::new(alloc::vec![Problem { path: "policy".into(), message: format!("invalid JSON: {e}") }])
        })?;
        let mut problems = Problems::new();
        for path in repeated {
            // The path is where the key's value sits; name the key itself.
            problems.add(&path, "repeated key (JSON objects name each key once; the last value would silently win)");
        }
        Self::from_parsed(&json, problems)
    }

    /// Validates a policy that is already a [`json::Value`].
    ///
    /// # Errors
    /// [`PolicyError`] listing every problem with its JSON path.
    pub fn from_json_value(json: &Json) -> Result<Policy, PolicyError> {
        Self::from_parsed(json, Problems::new())
    }

    fn from_parsed(json: &Json, mut problems: Problems) -> Result<Policy, PolicyError> {
        let policy = Parser { problems: &mut problems }.policy(json);
        policy.validate(problems).in_document_order(json).into_result(policy)
    }
}

struct Parser<'p> {
    problems: &'p mut Problems,
}

/// A JSON value for messages: compact, at most about 40 characters.
fn show(v: &Json) -> String {
    let s = v.to_string();
    match s.char_indices().nth(40) {
        Some((i, _)) => format!("{}...", &s[..i]),
        None => s,
    }
}

impl Parser<'_> {
    fn expected(&mut self, path: &str, what: &str, found: &Json) {
        self.problems.add(path, format!("expected {what}, found {}", show(found)));
    }

    /// The object at `path`, or a problem there.
    fn object<'j>(&mut self, path: &str, v: &'j Json) -> Option<&'j Map> {
        let obj = v.as_object();
        if obj.is_none() {
            let what = if path.is_empty() { "a JSON object" } else { "an object" };
            self.expected(path, what, v);
        }
        obj
    }

    /// Whether `key`, a member of the object at `path`, is in `known`; if not, reports it
    /// (as an unknown `noun`) where the walk over the members meets it, so that problems
    /// come out in document order.
    fn known(&mut self, path: &str, key: &str, known: &[&str], noun: &str) -> bool {
        let is_known = known.contains(&key);
        if !is_known {
            let msg = match noun {
                "operator" => format!("unknown operator {} (expected one of {})", quote(key), known.join(", ")),
                _ => unknown_field(key, known),
            };
            self.problems.add(path, msg);
        }
        is_known
    }

    fn number(&mut self, path: &str, v: &Json, what: &str) -> f64 {
        v.as_f64().unwrap_or_else(|| {
            self.expected(path, what, v);
            0.0
        })
    }

    fn rate(&mut self, path: &str, v: &Json) -> f64 {
        self.number(path, v, "a number in [0, 1]")
    }

    /// A required rate that the object lacks.
    fn missing_rate(&mut self, path: &str) {
        self.problems.add(path, "missing (expected a number in [0, 1])");
    }

    fn boolean(&mut self, path: &str, v: &Json) -> bool {
        v.as_bool().unwrap_or_else(|| {
            self.expected(path, "a boolean", v);
            false
        })
    }

    fn string(&mut self, path: &str, v: &Json) -> String {
        match v.as_str() {
            Some(s) => s.to_string(),
            None => {
                self.expected(path, "a string", v);
                String::new()
            }
        }
    }

    fn strings(&mut self, path: &str, v: &Json) -> Vec<String> {
        match v {
            Json::String(s) => alloc::vec![s.clone()],
            Json::Array(items) => items.iter().enumerate().map(|(i, s)| self.string(&index_path(path, i), s)).collect(),
            other => {
                self.expected(path, "a string or an array of strings", other);
                Vec::new()
            }
        }
    }

    fn policy(&mut self, v: &Json) -> Policy {
        let mut policy = Policy::with_default_rate(0.0);
        let Some(obj) = self.object("", v) else {
            return policy;
        };
        for (key, value) in obj.iter() {
            if !self.known("", key, TOP, "field") {
                continue;
            }
            match key.as_str() {
                "version" if value.as_f64() != Some(1.0) => {
                    let msg = format!("unsupported version {} (this tracesieve supports version 1)", show(value));
                    self.problems.add("version", msg);
                }
                "defaultRate" => policy.default_rate = self.rate("defaultRate", value),
                "parent" => match value.as_str() {
                    Some("inherit") => {}
                    Some("ignore") => policy.parent = ParentMode::Ignore,
                    _ => self.expected("parent", "\"inherit\" or \"ignore\"", value),
                },
                "genAi" => match value {
                    Json::Bool(true) => {}
                    Json::Bool(false) => policy.gen_ai = None,
                    Json::Object(_) => policy.gen_ai = Some(self.gen_ai(value)),
                    other => self.expected("genAi", "true, false or an object", other),
                },
                "rules" => policy.rules = self.rules("rules", value, Kind::Trace),
                "errors" => policy.errors = Some(self.errors(value)),
                _ => {} // `version` 1, and `$schema` (for editors; its value is ignored)
            }
        }
        if !obj.contains_key("defaultRate") {
            self.missing_rate("defaultRate");
        }
        policy
    }

    fn gen_ai(&mut self, v: &Json) -> GenAiRule {
        let mut rule = GenAiRule::default();
        let Some(obj) = self.object("genAi", v) else {
            return rule;
        };
        for (key, value) in obj.iter() {
            if !self.known("genAi", key, GEN_AI, "field") {
                continue;
            }
            let p = key_path("genAi", key);
            match key.as_str() {
                "rate" => rule.rate = self.rate(&p, value),
                "overrideParent" => rule.override_parent = self.boolean(&p, value),
                "routes" => match value {
                    Json::Array(a) if a.is_empty() => self.problems.add(&p, "expected a non-empty array of globs"),
                    Json::Array(_) => rule.routes = self.strings(&p, value),
                    other => self.expected(&p, "a non-empty array of globs", other),
                },
                "description" => rule.description = Some(self.string(&p, value)),
                _ => unreachable!("filtered by GEN_AI"),
            }
        }
        rule
    }

    fn errors(&mut self, v: &Json) -> ErrorPolicy {
        let mut errors = ErrorPolicy::default();
        let Some(obj) = self.object("errors", v) else {
            return errors;
        };
        for (key, value) in obj.iter() {
            if !self.known("errors", key, ERRORS, "field") {
                continue;
            }
            match key.as_str() {
                "defaultRate" => errors.default_rate = self.rate("errors.defaultRate", value),
                "rules" => errors.rules = self.rules("errors.rules", value, Kind::Error),
                _ => unreachable!("filtered by ERRORS"),
            }
        }
        errors
    }

    fn rules(&mut self, path: &str, v: &Json, kind: Kind) -> Vec<Rule> {
        match v.as_array() {
            Some(items) => items.iter().enumerate().map(|(i, r)| self.rule(&index_path(path, i), r, kind)).collect(),
            None => {
                self.expected(path, "an array of rules", v);
                Vec::new()
            }
        }
    }

    fn rule(&mut self, path: &str, v: &Json, kind: Kind) -> Rule {
        let mut rule = Rule::new(Condition::default(), 0.0);
        let known = if kind == Kind::Trace { RULE } else { ERROR_RULE };
        let Some(obj) = self.object(path, v) else {
            return rule;
        };
        for (key, value) in obj.iter() {
            if !self.known(path, key, known, "field") {
                continue;
            }
            let p = key_path(path, key);
            match key.as_str() {
                "id" => rule.id = Some(self.string(&p, value)),
                "when" => rule.when = self.condition(&p, value, kind),
                "rate" => rule.rate = self.rate(&p, value),
                "overrideParent" => rule.override_parent = self.boolean(&p, value),
                "description" => rule.description = Some(self.string(&p, value)),
                _ => unreachable!("filtered by the rule's keys"),
            }
        }
        if !obj.contains_key("when") {
            self.problems.add(&key_path(path, "when"), "missing (expected a condition object)");
        }
        if !obj.contains_key("rate") {
            self.missing_rate(&key_path(path, "rate"));
        }
        rule
    }

    fn condition(&mut self, path: &str, v: &Json, kind: Kind) -> Condition {
        let mut c = Condition::default();
        let Some(obj) = self.object(path, v) else {
            return c;
        };
        for (key, value) in obj.iter() {
            if !self.known(path, key, kind.fields(), "field") {
                continue;
            }
            let p = key_path(path, key);
            match key.as_str() {
                "name" => c.name = Some(self.matcher(&p, value)),
                "op" => c.op = Some(self.matcher(&p, value)),
                "origin" => c.origin = Some(self.matcher(&p, value)),
                "method" => c.method = Some(self.matcher(&p, value)),
                "path" => c.path = Some(self.matcher(&p, value)),
                "exception" => c.exception = Some(self.matcher(&p, value)),
                "level" => c.level = Some(self.matcher(&p, value)),
                "logger" => c.logger = Some(self.matcher(&p, value)),
                "message" => c.message = Some(self.matcher(&p, value)),
                "parentSampled" => c.parent_sampled = Some(self.boolean(&p, value)),
                "genAi" => c.gen_ai = Some(self.boolean(&p, value)),
                "attributes" => c.attributes = self.matchers(&p, value),
                "custom" => c.custom = self.matchers(&p, value),
                "tags" => c.tags = self.matchers(&p, value),
                "any" => c.any = Some(self.conditions(&p, value, kind)),
                "all" => c.all = Some(self.conditions(&p, value, kind)),
                "not" => c.not = Some(Box::new(self.condition(&p, value, kind))),
                _ => unreachable!("filtered by kind.fields()"),
            }
        }
        c
    }

    fn conditions(&mut self, path: &str, v: &Json, kind: Kind) -> Vec<Condition> {
        match v.as_array() {
            Some(items) => {
                items.iter().enumerate().map(|(i, c)| self.condition(&index_path(path, i), c, kind)).collect()
            }
            None => {
                self.expected(path, "a non-empty array of conditions", v);
                alloc::vec![Condition { gen_ai: Some(false), ..Condition::default() }]
            }
        }
    }

    fn matchers(&mut self, path: &str, v: &Json) -> Vec<(String, Matcher)> {
        match v.as_object() {
            Some(obj) if obj.is_empty() => {
                self.problems.add(path, "expected a non-empty object of matchers");
                Vec::new()
            }
            Some(obj) => obj.iter().map(|(k, m)| (k.clone(), self.matcher(&key_path(path, k), m))).collect(),
            None => {
                self.expected(path, "an object of matchers", v);
                Vec::new()
            }
        }
    }

    fn matcher(&mut self, path: &str, v: &Json) -> Matcher {
        match v {
            Json::String(s) => Matcher::Glob(s.clone()),
            Json::Array(_) => Matcher::Globs(self.strings(path, v)),
            Json::Number(n) => Matcher::Number(*n),
            Json::Bool(b) => Matcher::Bool(*b),
            Json::Object(_) => Matcher::Ops(self.operators(path, v)),
            Json::Null => {
                let what = "a glob, an array of globs, a number, a boolean or an object of operators";
                self.expected(path, what, v);
                Matcher::Bool(false)
            }
        }
    }

    fn operators(&mut self, path: &str, v: &Json) -> Operators {
        let mut ops = Operators::default();
        let Some(obj) = self.object(path, v) else {
            return ops;
        };
        for (key, value) in obj.iter() {
            if !self.known(path, key, OPERATORS, "operator") {
                continue;
            }
            let p = key_path(path, key);
            match key.as_str() {
                "eq" => ops.eq = Some(self.scalars(&p, value)),
                "glob" => ops.glob = Some(self.strings(&p, value)),
                "prefix" => ops.prefix = Some(self.strings(&p, value)),
                "suffix" => ops.suffix = Some(self.strings(&p, value)),
                "contains" => ops.contains = Some(self.strings(&p, value)),
                "route" => ops.route = Some(self.strings(&p, value)),
                "gt" => ops.gt = Some(self.number(&p, value, "a number")),
                "gte" => ops.gte = Some(self.number(&p, value, "a number")),
                "lt" => ops.lt = Some(self.number(&p, value, "a number")),
                "lte" => ops.lte = Some(self.number(&p, value, "a number")),
                "exists" => ops.exists = Some(self.boolean(&p, value)),
                "ignoreCase" => ops.ignore_case = self.boolean(&p, value),
                _ => unreachable!("filtered by OPERATORS"),
            }
        }
        ops
    }

    fn scalars(&mut self, path: &str, v: &Json) -> Vec<Scalar> {
        match v {
            Json::Array(items) => {
                items.iter().enumerate().filter_map(|(i, s)| self.scalar(&index_path(path, i), s)).collect()
            }
            other => self.scalar(path, other).into_iter().collect(),
        }
    }

    fn scalar(&mut self, path: &str, v: &Json) -> Option<Scalar> {
        match v {
            Json::String(s) => Some(Scalar::Str(s.clone())),
            Json::Number(n) => Some(Scalar::Num(*n)),
            Json::Bool(b) => Some(Scalar::Bool(*b)),
            other => {
                self.expected(path, "a string, a number or a boolean", other);
                None
            }
        }
    }
}
