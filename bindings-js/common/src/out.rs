//! The JSON text the engine hands to JavaScript (plans, explanations, stats, errors),
//! written as it goes: no value tree, no map behind it (the browser module has neither).

use alloc::string::String;

use tracesieve::json::{write_number, write_str};
use tracesieve::sdk::ReadPlan;
use tracesieve::{Counts, Explanation, PolicyError, Value};

/// JSON text under construction.
#[derive(Default)]
pub(crate) struct Out(String);

/// The members of an object being written.
pub(crate) struct Members<'o> {
    out: &'o mut Out,
    first: bool,
}

impl Out {
    /// Writes an object whose members `body` writes, and gives the text.
    pub(crate) fn object_text(body: impl FnOnce(&mut Members<'_>)) -> String {
        let mut out = Out::default();
        out.object(body);
        out.0
    }

    fn object(&mut self, body: impl FnOnce(&mut Members<'_>)) {
        self.0.push('{');
        body(&mut Members { out: self, first: true });
        self.0.push('}');
    }

    fn str(&mut self, s: &str) {
        write_str(&mut self.0, s);
    }

    fn num(&mut self, n: f64) {
        write_number(&mut self.0, n);
    }

    fn raw(&mut self, text: &str) {
        self.0.push_str(text);
    }

    fn bool(&mut self, b: bool) {
        self.raw(if b { "true" } else { "false" });
    }

    /// `[a,b,...]`, each item written by `each`.
    fn array<T>(&mut self, items: impl IntoIterator<Item = T>, mut each: impl FnMut(&mut Out, T)) {
        self.0.push('[');
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                self.0.push(',');
            }
            each(self, item);
        }
        self.0.push(']');
    }

    fn value(&mut self, v: &Value<'_>) {
        match v {
            Value::Str(s) => self.str(s),
            Value::Num(n) => self.num(*n),
            Value::Bool(b) => self.bool(*b),
            Value::Other => self.raw("{}"),
        }
    }
}

impl Members<'_> {
    /// Starts member `key`: the caller writes its value next.
    pub(crate) fn key(&mut self, key: &str) -> &mut Out {
        if !self.first {
            self.out.0.push(',');
        }
        self.first = false;
        self.out.str(key);
        self.out.0.push(':');
        self.out
    }

    pub(crate) fn str(&mut self, key: &str, s: &str) {
        self.key(key).str(s);
    }

    pub(crate) fn num(&mut self, key: &str, n: f64) {
        self.key(key).num(n);
    }

    fn opt<T>(&mut self, key: &str, v: Option<T>, write: impl FnOnce(&mut Out, T)) {
        match v {
            Some(v) => write(self.key(key), v),
            None => self.key(key).raw("null"),
        }
    }

    /// An object of `pairs` at `key`, unless there are none.
    fn pairs(&mut self, key: &str, pairs: &[(String, Value<'static>)]) {
        if !pairs.is_empty() {
            self.key(key).object(|m| pairs.iter().for_each(|(k, v)| m.key(k).value(v)));
        }
    }
}

/// `{"message": ..., "problems": [{"path", "message"}]}`: what the shim throws as a
/// `PolicyError`.
pub(crate) fn error_json(e: &PolicyError) -> String {
    Out::object_text(|m| {
        m.str("message", &e.to_text());
        m.key("problems").array(e.problems(), |out, p| {
            out.object(|m| {
                m.str("path", &p.path);
                m.str("message", &p.message);
            });
        });
    })
}

/// `{"message": ..., "problems": []}`: an error that is about no place in the policy.
pub(crate) fn message_json(message: &str) -> String {
    Out::object_text(|m| {
        m.str("message", message);
        m.key("problems").raw("[]");
    })
}

/// A plan: its nodes in preorder, each `[key, parent, end, [scan prefixes], primary]`.
pub(crate) fn plan_json(out: &mut Out, plan: &ReadPlan) {
    out.array(plan.nodes(), |out, n| {
        out.raw("[");
        out.str(&n.key);
        out.raw(",");
        out.num(n.parent as f64);
        out.raw(",");
        out.num(n.end as f64);
        out.raw(",");
        out.array(&n.scans, |out, s| out.str(s));
        out.raw(",");
        out.bool(n.primary);
        out.raw("]");
    });
}

/// `{"rate", "reason", "ruleId", "sampled", "fallback", "context": {...}}`: the context has
/// the fields read, then `attributes`, `custom` and `tags` (if any were read), then the
/// parent decision and rate and the AI predicate (if known).
pub(crate) fn explanation_json(x: &Explanation<'_>, fallback: bool) -> String {
    let d = &x.decision;
    Out::object_text(|m| {
        m.num("rate", d.rate);
        m.str("reason", d.reason.as_str());
        m.opt("ruleId", d.rule_id, Out::str);
        m.opt("sampled", d.sampled, Out::bool);
        m.key("fallback").bool(fallback);
        m.key("context").object(|m| {
            x.fields.iter().for_each(|(f, v)| m.key(f.as_str()).value(v));
            m.pairs("attributes", &x.attributes);
            m.pairs("custom", &x.custom);
            m.pairs("tags", &x.tags);
            if let Some(b) = x.parent_sampled {
                m.key("parentSampled").bool(b);
            }
            if let Some(r) = x.parent_sample_rate {
                m.num("parentSampleRate", r);
            }
            if let Some(b) = x.gen_ai {
                m.key("genAi").bool(b);
            }
        });
    })
}

/// `{"total", "byReason": {reason: n}, "byRule": {id: n}}`.
pub(crate) fn counts_json(out: &mut Out, c: &Counts) {
    out.object(|m| {
        m.num("total", c.total as f64);
        m.key("byReason").object(|m| c.by_reason.iter().for_each(|(r, n)| m.num(r.as_str(), *n as f64)));
        m.key("byRule").object(|m| c.by_rule.iter().for_each(|(id, n)| m.num(id, *n as f64)));
    });
}
