//! Recording real roots: one decided trace root as a traffic line, the canonical JSON
//! object that `tracesieve simulate` and `diff` read (`docs/cli.md`, "Traffic lines"), for
//! every binding's `record` option.
//!
//! A line holds the canonical fields (`name`, `op`, `origin`, `method`, `path`), the
//! parent's decision, a forced decision, the attribute and custom keys the policy reads
//! (with the AI signals when the built-in `genAi` rule is on) and the keys the user lists
//! ([`RecordKeys`]), the trace's `sampleRand` when known, and the decision. Nothing else of
//! the context is read, so no other user data can reach the line.
//!
//! ```
//! use tracesieve::sdk::{RecordKeys, record_line};
//! use tracesieve::{Sampler, SpanContext, Value};
//! let sampler = Sampler::from_json(r#"{"defaultRate": 0.2, "rules": [
//!     {"id": "pro", "when": {"custom": {"tier": "pro"}}, "rate": 1}]}"#).unwrap();
//! let custom = [("tier", Value::str("pro")), ("email", Value::str("a@b.c"))];
//! let ctx = SpanContext { name: Some("GET /a"), custom: &custom, sample_rand: Some(0.5), ..Default::default() };
//! let decision = sampler.decide(&ctx);
//! let line = record_line(&ctx, sampler.requirements(), &RecordKeys::default(), &decision, None, None);
//! assert_eq!(line, r#"{"name":"GET /a","custom":{"tier":"pro"},"sampleRand":0.5,"decision":{"rate":1,"reason":"rule","ruleId":"pro","sampled":true}}"#);
//! ```

use alloc::string::String;
use alloc::vec::Vec;

use crate::compile::requirements::Requirements;
use crate::context::value::Value;
use crate::context::{Context, Field};
use crate::decide::decision::Decision;
use crate::decide::genai;
use crate::text::json::{write_number, write_str};

/// The canonical fields of a trace root, written to every line when present.
pub const RECORD_FIELDS: [Field; 5] = [Field::Name, Field::Op, Field::Origin, Field::Method, Field::Path];

/// Well-known AI attribute keys, recorded when the policy's `genAi` rule is on (it asks
/// whether any `gen_ai.*` attribute is present), so that `simulate` sees the same AI run.
pub const RECORD_AI_ATTRIBUTES: [&str; 6] = [
    "gen_ai.operation.name",
    "gen_ai.system",
    "gen_ai.request.model",
    "gen_ai.agent.name",
    genai::VERCEL_OPERATION_ID,
    genai::VERCEL_SENTRY_OPERATION_ID,
];

/// The attribute written when a root has some `gen_ai.*` attribute but none of
/// [`RECORD_AI_ATTRIBUTES`]: a marker (its value `true`), not the user's key.
pub const RECORD_AI_MARKER: &str = "gen_ai.*";

/// The keys a user asks to record besides those the policy reads.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RecordKeys {
    /// Span attribute keys.
    pub attributes: Vec<String>,
    /// Custom sampling-context paths (dotted, as conditions name them).
    pub custom: Vec<String>,
}

impl RecordKeys {
    /// The requirements of a sampler that records: `req` and these keys, every canonical
    /// field and the parent (bindings that read along a plan, as the JavaScript wire does,
    /// read these).
    pub fn requirements(&self, req: &Requirements) -> Requirements {
        let mut out = req.clone();
        for f in RECORD_FIELDS {
            out.add_field(f);
        }
        out.attributes.extend(self.attributes.iter().cloned());
        if req.attribute_prefixes {
            out.attributes.extend(RECORD_AI_ATTRIBUTES.iter().map(|k| String::from(*k)));
        }
        out.custom.extend(self.custom.iter().cloned());
        out.parent = true;
        out.dedupe();
        out
    }

    /// Reads `{"attributes": [...], "custom": [...]}` (both optional), as bindings pass it.
    ///
    /// # Errors
    /// What is wrong, for text that is not such an object.
    pub fn from_json(text: &str) -> Result<RecordKeys, String> {
        let v = crate::text::json::parse(text)?;
        let obj = v.as_object().ok_or_else(|| String::from("record keys: expected an object"))?;
        let list = |name: &str| -> Result<Vec<String>, String> {
            match obj.get(name) {
                None => Ok(Vec::new()),
                Some(v) => v
                    .as_array()
                    .and_then(|a| a.iter().map(|s| s.as_str().map(String::from)).collect::<Option<Vec<_>>>())
                    .ok_or_else(|| alloc::format!("record keys: {name} must be an array of strings")),
            }
        };
        Ok(RecordKeys { attributes: list("attributes")?, custom: list("custom")? })
    }
}

fn write_value(out: &mut String, v: &Value<'_>) {
    match v {
        Value::Str(s) => write_str(out, s),
        Value::Num(n) => write_number(out, *n),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Other => out.push_str("{}"),
    }
}

/// Writes `"key":` after a comma when needed.
fn key(out: &mut String, first: &mut bool, k: &str) {
    if !*first {
        out.push(',');
    }
    *first = false;
    write_str(out, k);
    out.push(':');
}

/// Writes an object of the keys of `keys` that `read` finds, in order, each once; nothing
/// if none is found.
fn section<'k>(
    out: &mut String,
    first: &mut bool,
    name: &str,
    keys: impl Iterator<Item = &'k str>,
    mut read: impl FnMut(&str) -> Option<Value<'static>>,
) {
    let mut seen: Vec<&str> = Vec::new();
    let mut inner = String::new();
    let mut inner_first = true;
    for k in keys {
        if seen.contains(&k) {
            continue;
        }
        seen.push(k);
        if let Some(v) = read(k) {
            key(&mut inner, &mut inner_first, k);
            write_value(&mut inner, &v);
        }
    }
    if !inner_first {
        key(out, first, name);
        out.push('{');
        out.push_str(&inner);
        out.push('}');
    }
}

/// One decided trace root as a traffic line (one JSON object, no newline), in the shape
/// `tracesieve simulate` reads. `req` is the sampler's [`requirements`](crate::Sampler::requirements);
/// `sample_rand` is used when the context does not carry one; `timestamp` (seconds since
/// 1970) is written when given.
pub fn record_line<C: Context + ?Sized>(
    ctx: &C,
    req: &Requirements,
    extra: &RecordKeys,
    decision: &Decision<'_>,
    sample_rand: Option<f64>,
    timestamp: Option<f64>,
) -> String {
    let mut out = String::with_capacity(256);
    out.push('{');
    let mut first = true;
    for f in RECORD_FIELDS {
        if let Some(v) = ctx.field(f) {
            key(&mut out, &mut first, f.as_str());
            write_value(&mut out, &v);
        }
    }
    let ai = req.attribute_prefixes;
    let attr_keys = req
        .attributes
        .iter()
        .chain(extra.attributes.iter())
        .map(String::as_str)
        .chain(RECORD_AI_ATTRIBUTES.iter().copied().filter(|_| ai));
    let mut ai_found = false;
    let mut attrs = String::new();
    let mut attrs_first = true;
    section(&mut attrs, &mut attrs_first, "attributes", attr_keys, |k| {
        let v = ctx.attribute(k).map(Value::into_owned);
        ai_found |= v.is_some() && k.starts_with(genai::ATTRIBUTE_PREFIX);
        v
    });
    if ai && !ai_found && ctx.has_attribute_prefix(genai::ATTRIBUTE_PREFIX) {
        // Some gen_ai.* attribute the list does not name: a marker keeps the AI signal.
        if attrs.is_empty() {
            key(&mut out, &mut first, "attributes");
            out.push('{');
        } else {
            out.push_str(if first { "" } else { "," });
            first = false;
            out.push_str(&attrs[..attrs.len() - 1]);
            out.push(',');
        }
        write_str(&mut out, RECORD_AI_MARKER);
        out.push_str(":true}");
    } else if !attrs.is_empty() {
        out.push_str(if first { "" } else { "," });
        first = false;
        out.push_str(&attrs);
    }
    let custom_keys = req.custom.iter().chain(extra.custom.iter()).map(String::as_str);
    section(&mut out, &mut first, "custom", custom_keys, |k| ctx.custom(k).map(Value::into_owned));
    let (ps, pr) = (ctx.parent_sampled(), ctx.parent_sample_rate());
    if ps.is_some() || pr.is_some() {
        key(&mut out, &mut first, "parent");
        out.push('{');
        let mut pf = true;
        if let Some(s) = ps {
            key(&mut out, &mut pf, "sampled");
            out.push_str(if s { "true" } else { "false" });
        }
        if let Some(r) = pr {
            key(&mut out, &mut pf, "sampleRate");
            write_number(&mut out, r);
        }
        out.push('}');
    }
    if let Some(f) = ctx.forced() {
        key(&mut out, &mut first, "sampled");
        out.push_str(if f { "true" } else { "false" });
    }
    let rand = ctx.sample_rand().or(sample_rand).filter(|r| (0.0..1.0).contains(r));
    if let Some(r) = rand {
        key(&mut out, &mut first, "sampleRand");
        write_number(&mut out, r);
    }
    if let Some(t) = timestamp.filter(|t| t.is_finite()) {
        key(&mut out, &mut first, "timestamp");
        write_number(&mut out, t);
    }
    key(&mut out, &mut first, "decision");
    out.push_str("{\"rate\":");
    write_number(&mut out, decision.rate);
    out.push_str(",\"reason\":");
    write_str(&mut out, decision.reason.as_str());
    out.push_str(",\"ruleId\":");
    match decision.rule_id {
        Some(id) => write_str(&mut out, id),
        None => out.push_str("null"),
    }
    if let Some(s) = decision.sampled.or(rand.map(|r| r < decision.rate)) {
        out.push_str(",\"sampled\":");
        out.push_str(if s { "true" } else { "false" });
    }
    out.push_str("}}");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Sampler, SpanContext};

    #[test]
    fn reads_only_what_the_policy_and_the_user_name() {
        let sampler = Sampler::from_json(
            r#"{"defaultRate": 0.2, "rules": [{"id": "m", "when": {"attributes": {"http.method": "GET"}}, "rate": 0.5}]}"#,
        )
        .unwrap();
        let attrs = [("http.method", Value::str("GET")), ("user.email", Value::str("x")), ("tier", Value::Num(2.0))];
        let ctx = SpanContext {
            name: Some("GET \"/a\""),
            op: Some("http.server"),
            attributes: &attrs,
            parent_sampled: Some(true),
            parent_sample_rate: Some(0.25),
            ..Default::default()
        };
        let d = sampler.decide(&ctx);
        let keys = RecordKeys { attributes: alloc::vec!["tier".into(), "missing".into()], custom: Vec::new() };
        let line = record_line(&ctx, sampler.requirements(), &keys, &d, Some(0.125), Some(10.0));
        assert_eq!(
            line,
            r#"{"name":"GET \"/a\"","op":"http.server","attributes":{"http.method":"GET","tier":2},"parent":{"sampled":true,"sampleRate":0.25},"sampleRand":0.125,"timestamp":10,"decision":{"rate":0.25,"reason":"parent","ruleId":null,"sampled":true}}"#
        );
    }

    #[test]
    fn ai_marker() {
        let sampler = Sampler::from_json(r#"{"defaultRate": 0}"#).unwrap();
        let attrs = [("gen_ai.secret.prompt", Value::str("hi")), ("other", Value::str("x"))];
        let ctx = SpanContext { attributes: &attrs, ..Default::default() };
        let d = sampler.decide(&ctx);
        let line = record_line(&ctx, sampler.requirements(), &RecordKeys::default(), &d, None, None);
        assert_eq!(line, r#"{"attributes":{"gen_ai.*":true},"decision":{"rate":1,"reason":"genAi","ruleId":"genAi"}}"#);
        let attrs = [("gen_ai.system", Value::str("openai"))];
        let ctx = SpanContext { name: Some("n"), attributes: &attrs, ..Default::default() };
        let line = record_line(&ctx, sampler.requirements(), &RecordKeys::default(), &d, None, None);
        assert!(line.starts_with(r#"{"name":"n","attributes":{"gen_ai.system":"openai"},"decision""#), "{line}");
    }

    #[test]
    fn keys_from_json() {
        let k = RecordKeys::from_json(r#"{"attributes": ["a"], "custom": ["b.c"]}"#).unwrap();
        assert_eq!(k.attributes, ["a"]);
        assert_eq!(k.custom, ["b.c"]);
        assert!(RecordKeys::from_json(r#"{"custom": [1]}"#).is_err());
        assert_eq!(RecordKeys::from_json("{}").unwrap(), RecordKeys::default());
    }
}
