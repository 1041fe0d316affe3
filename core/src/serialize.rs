//! [`Policy`] → JSON: the inverse of parsing, so a policy built or edited in code can be
//! written out, and `Policy::from_json(&p.to_json().to_string())` gives `p` back.

use alloc::string::{String, ToString};

use crate::json::{Map, Value as Json};

use crate::policy::{Condition, ErrorPolicy, GenAiRule, Matcher, Operators, ParentMode, Policy, Rule, Scalar};

impl Policy {
    /// The policy as JSON, in the format of `docs/policy.md` (defaults written out).
    ///
    /// ```
    /// let policy = tracesieve::Policy::from_json(r#"{"defaultRate": 0.5, "rules": [{"when": {"path": "/x*"}, "rate": 0}]}"#).unwrap();
    /// let again = tracesieve::Policy::from_json(&policy.to_json().to_string()).unwrap();
    /// assert_eq!(policy, again);
    /// ```
    pub fn to_json(&self) -> Json {
        let mut out = Map::new();
        out.insert("version".into(), Json::Number(1.0));
        out.insert("defaultRate".into(), Json::from(self.default_rate));
        let parent = match self.parent {
            ParentMode::Inherit => "inherit",
            ParentMode::Ignore => "ignore",
        };
        out.insert("parent".into(), Json::from(parent));
        out.insert("genAi".into(), self.gen_ai.as_ref().map_or(Json::Bool(false), gen_ai));
        out.insert("rules".into(), Json::Array(self.rules.iter().map(|r| rule(r, true)).collect()));
        if let Some(errors) = &self.errors {
            out.insert("errors".into(), errors_json(errors));
        }
        Json::Object(out)
    }
}

fn gen_ai(g: &GenAiRule) -> Json {
    let mut out = Map::new();
    out.insert("rate".into(), Json::from(g.rate));
    out.insert("overrideParent".into(), Json::from(g.override_parent));
    if !g.routes.is_empty() {
        out.insert("routes".into(), strings(&g.routes));
    }
    insert_opt(&mut out, "description", g.description.as_ref());
    Json::Object(out)
}

fn errors_json(e: &ErrorPolicy) -> Json {
    let mut out = Map::new();
    out.insert("defaultRate".into(), Json::from(e.default_rate));
    out.insert("rules".into(), Json::Array(e.rules.iter().map(|r| rule(r, false)).collect()));
    Json::Object(out)
}

fn insert_opt(out: &mut Map, key: &str, value: Option<&String>) {
    if let Some(v) = value {
        out.insert(key.into(), Json::from(v.as_str()));
    }
}

fn rule(r: &Rule, trace: bool) -> Json {
    let mut out = Map::new();
    insert_opt(&mut out, "id", r.id.as_ref());
    out.insert("when".into(), condition(&r.when));
    out.insert("rate".into(), Json::from(r.rate));
    if trace {
        out.insert("overrideParent".into(), Json::from(r.override_parent));
    }
    insert_opt(&mut out, "description", r.description.as_ref());
    Json::Object(out)
}

fn condition(c: &Condition) -> Json {
    let mut out = Map::new();
    for (field, m) in c.field_matchers() {
        if let Some(m) = m {
            out.insert(field.as_str().into(), matcher(m));
        }
    }
    for (key, b) in [("parentSampled", c.parent_sampled), ("genAi", c.gen_ai)] {
        if let Some(b) = b {
            out.insert(key.into(), Json::from(b));
        }
    }
    for (key, map) in [("attributes", &c.attributes), ("custom", &c.custom), ("tags", &c.tags)] {
        if !map.is_empty() {
            out.insert(key.into(), Json::Object(map.iter().map(|(k, m)| (k.clone(), matcher(m))).collect()));
        }
    }
    for (key, list) in [("any", &c.any), ("all", &c.all)] {
        if let Some(list) = list {
            out.insert(key.into(), Json::Array(list.iter().map(condition).collect()));
        }
    }
    if let Some(not) = &c.not {
        out.insert("not".into(), condition(not));
    }
    Json::Object(out)
}

fn matcher(m: &Matcher) -> Json {
    match m {
        Matcher::Glob(g) => Json::from(g.as_str()),
        Matcher::Globs(gs) => strings(gs),
        Matcher::Number(n) => Json::Number(*n),
        Matcher::Bool(b) => Json::Bool(*b),
        Matcher::Ops(ops) => operators(ops),
    }
}

fn operators(ops: &Operators) -> Json {
    let mut out = Map::new();
    if let Some(eq) = &ops.eq {
        out.insert("eq".into(), Json::Array(eq.iter().map(scalar).collect()));
    }
    let lists = [
        ("glob", &ops.glob),
        ("prefix", &ops.prefix),
        ("suffix", &ops.suffix),
        ("contains", &ops.contains),
        ("route", &ops.route),
    ];
    for (key, list) in lists {
        if let Some(list) = list {
            out.insert(key.into(), strings(list));
        }
    }
    for (key, n) in [("gt", ops.gt), ("gte", ops.gte), ("lt", ops.lt), ("lte", ops.lte)] {
        if let Some(n) = n {
            out.insert(key.into(), Json::from(n));
        }
    }
    if let Some(e) = ops.exists {
        out.insert("exists".into(), Json::from(e));
    }
    if ops.ignore_case {
        out.insert("ignoreCase".into(), Json::Bool(true));
    }
    Json::Object(out)
}

fn scalar(s: &Scalar) -> Json {
    match s {
        Scalar::Str(s) => Json::String(s.to_string()),
        Scalar::Num(n) => Json::Number(*n),
        Scalar::Bool(b) => Json::Bool(*b),
    }
}

fn strings(list: &[String]) -> Json {
    Json::Array(list.iter().map(|s| Json::from(s.as_str())).collect())
}
