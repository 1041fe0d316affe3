//! JSON → [`Policy`]: every JSON-shape problem, each at its path. Ranges, ids, globs and
//! limits are checked once, by `Policy::validate`, for parsed and hand-built policies alike.

use alloc::boxed::Box;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::json::{self, Map, Value as Json};

use crate::error::{PolicyError, Problem, Problems, index_path, key_path};
use crate::policy::{Condition, ErrorPolicy, GenAiRule, Matcher, Operators, ParentMode, Policy, Rule, Scalar};
use crate::validate::{Kind, unknown_field};

/// The largest policy text accepted, in bytes.
pub const MAX_POLICY_BYTES: usize = 1 << 20;

const TOP: &[&str] = &["version", "defaultRate", "parent", "genAi", "rules", "errors"];
const RULE: &[&str] = &["id", "when", "rate", "overrideParent", "description"];
const ERROR_RULE: &[&str] = &["id", "when", "rate", "description"];
const GEN_AI: &[&str] = &["rate", "overrideParent", "routes", "description"];
const ERRORS: &[&str] = &["defaultRate", "rules"];
const OPERATORS: &[&str] =
    &["eq", "glob", "prefix", "suffix", "contains", "route", "gt", "gte", "lt", "lte", "exists", "ignoreCase"];

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
        policy.validate(problems).into_result(policy)
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

    /// The object at `path`, reporting unknown keys against `known`.
    fn object<'j>(&mut self, path: &str, v: &'j Json, known: &[&str], noun: &str) -> Option<&'j Map> {
        let Some(obj) = v.as_object() else {
            let what = if path.is_empty() { "a JSON object" } else { "an object" };
            self.expected(path, what, v);
            return None;
        };
        for key in obj.keys().filter(|k| !known.contains(&k.as_str())) {
            let msg = match noun {
                "operator" => {
                    format!("unknown operator {} (expected one of {})", crate::error::quote(key), known.join(", "))
                }
                _ => unknown_field(key, known),
            };
            self.problems.add(path, msg);
        }
        Some(obj)
    }

    fn number(&mut self, path: &str, v: &Json, what: &str) -> f64 {
        v.as_f64().unwrap_or_else(|| {
            self.expected(path, what, v);
            0.0
        })
    }

    fn rate(&mut self, path: &str, v: Option<&Json>, default: Option<f64>) -> f64 {
        match (v, default) {
            (Some(v), _) => self.number(path, v, "a number in [0, 1]"),
            (None, Some(d)) => d,
            (None, None) => {
                self.problems.add(path, "missing (expected a number in [0, 1])");
                0.0
            }
        }
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
        let Some(obj) = self.object("", v, TOP, "field") else {
            return policy;
        };
        if let Some(version) = obj.get("version") {
            if version.as_f64() != Some(1.0) {
                let msg = format!("unsupported version {} (this tracesieve supports version 1)", show(version));
                self.problems.add("version", msg);
            }
        }
        policy.default_rate = self.rate("defaultRate", obj.get("defaultRate"), None);
        match obj.get("parent").map(|p| (p, p.as_str())) {
            None | Some((_, Some("inherit"))) => {}
            Some((_, Some("ignore"))) => policy.parent = ParentMode::Ignore,
            Some((p, _)) => self.expected("parent", "\"inherit\" or \"ignore\"", p),
        }
        match obj.get("genAi") {
            None | Some(Json::Bool(true)) => {}
            Some(Json::Bool(false)) => policy.gen_ai = None,
            Some(g @ Json::Object(_)) => policy.gen_ai = Some(self.gen_ai(g)),
            Some(other) => self.expected("genAi", "true, false or an object", other),
        }
        if let Some(rules) = obj.get("rules") {
            policy.rules = self.rules("rules", rules, Kind::Trace);
        }
        if let Some(errors) = obj.get("errors") {
            policy.errors = Some(self.errors(errors));
        }
        policy
    }

    fn gen_ai(&mut self, v: &Json) -> GenAiRule {
        let mut rule = GenAiRule::default();
        let Some(obj) = self.object("genAi", v, GEN_AI, "field") else {
            return rule;
        };
        rule.rate = self.rate("genAi.rate", obj.get("rate"), Some(1.0));
        if let Some(o) = obj.get("overrideParent") {
            rule.override_parent = self.boolean("genAi.overrideParent", o);
        }
        if let Some(routes) = obj.get("routes") {
            match routes {
                Json::Array(a) if a.is_empty() => {
                    self.problems.add("genAi.routes", "expected a non-empty array of globs")
                }
                Json::Array(_) => rule.routes = self.strings("genAi.routes", routes),
                other => self.expected("genAi.routes", "a non-empty array of globs", other),
            }
        }
        if let Some(d) = obj.get("description") {
            rule.description = Some(self.string("genAi.description", d));
        }
        rule
    }

    fn errors(&mut self, v: &Json) -> ErrorPolicy {
        let mut errors = ErrorPolicy::default();
        if let Some(obj) = self.object("errors", v, ERRORS, "field") {
            errors.default_rate = self.rate("errors.defaultRate", obj.get("defaultRate"), Some(1.0));
            if let Some(rules) = obj.get("rules") {
                errors.rules = self.rules("errors.rules", rules, Kind::Error);
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
        let Some(obj) = self.object(path, v, known, "field") else {
            return rule;
        };
        if let Some(id) = obj.get("id") {
            rule.id = Some(self.string(&key_path(path, "id"), id));
        }
        let when_path = key_path(path, "when");
        match obj.get("when") {
            Some(w) => rule.when = self.condition(&when_path, w, kind),
            None => self.problems.add(&when_path, "missing (expected a condition object)"),
        }
        rule.rate = self.rate(&key_path(path, "rate"), obj.get("rate"), None);
        if let (Some(o), Kind::Trace) = (obj.get("overrideParent"), kind) {
            rule.override_parent = self.boolean(&key_path(path, "overrideParent"), o);
        }
        if let Some(d) = obj.get("description") {
            rule.description = Some(self.string(&key_path(path, "description"), d));
        }
        rule
    }

    fn condition(&mut self, path: &str, v: &Json, kind: Kind) -> Condition {
        let mut c = Condition::default();
        let Some(obj) = self.object(path, v, kind.fields(), "field") else {
            return c;
        };
        for (key, value) in obj.iter().filter(|(k, _)| kind.fields().contains(&k.as_str())) {
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
        let Some(obj) = self.object(path, v, OPERATORS, "operator") else {
            return ops;
        };
        for (key, value) in obj.iter().filter(|(k, _)| OPERATORS.contains(&k.as_str())) {
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
