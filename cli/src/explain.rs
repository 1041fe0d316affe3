//! `tracesieve explain POLICY CONTEXT`: one decision, and what it read.

use serde_json::{Map, Value as Json, json};
use tracesieve::{Explanation, Value};

use crate::args::{Args, usage_error};
use crate::context::{self, SDK_NAMES, Sdk};
use crate::{Io, OK, USAGE, load};

/// `tracesieve explain --help`.
pub const HELP: &str = "\
usage: tracesieve explain [--sdk SHAPE] [--format text|json] POLICY CONTEXT

Decides one trace root (CONTEXT: a JSON file, or - for standard input) and says why: the
rate, the step that decided (forced, genAi, rule, parent, default), the rule id, and the
fields the policy read. CONTEXT may also be a traffic line ({\"sdk\", \"context\",
\"sampleRand\"}, or a canonical line with \"parent\": {\"sampled\", \"sampleRate\"}).

options:
  --sdk SHAPE        how to read CONTEXT: canonical (default: the policy's field names),
                     js (@sentry/core's samplingContext), python (sentry-sdk's
                     sampling_context), rust ({name, op, sampled, custom})
  --format FORMAT    text (default) or json: {\"rate\", \"reason\", \"ruleId\", \"sampled\", \"fields\"}
  -h, --help         this text
";

/// Runs `explain`.
pub fn main(args: &[String], io: &mut dyn Io) -> i32 {
    let args = match Args::parse(args, &[], &["--sdk", "--format"], HELP, io) {
        Ok(a) => a,
        Err(code) => return code,
    };
    if args.help {
        io.out(HELP);
        return OK;
    }
    let [policy, context] = args.positional.as_slice() else {
        return usage_error("explain takes a policy file and a context file", HELP, io);
    };
    let (format, sdk_name) =
        match (args.choice("--format", &["text", "json"], HELP, io), args.choice("--sdk", &SDK_NAMES, HELP, io)) {
            (Ok(f), Ok(s)) => (f, s),
            (Err(code), _) | (_, Err(code)) => return code,
        };
    let sampler = match load::policy(policy, io) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let text = match load::text(context, io) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let json: Json = match serde_json::from_str(&text) {
        Ok(j) => j,
        Err(e) => {
            io.err(&format!("tracesieve: {}: invalid JSON: {e}\n", load::display(context)));
            return USAGE;
        }
    };
    let mut sdk = Sdk::from_name(sdk_name).unwrap_or(Sdk::Canonical);
    let (mut ctx, mut rand) = (&json, None);
    if let (Some(shape), Some(inner)) = (json.get("sdk"), json.get("context")) {
        let Some(shape) = shape.as_str().and_then(Sdk::from_name) else {
            io.err(&format!(
                "tracesieve: {}: unknown sdk {shape} (expected one of {})\n",
                load::display(context),
                SDK_NAMES.join(", ")
            ));
            return USAGE;
        };
        (sdk, ctx, rand) = (shape, inner, json.get("sampleRand").and_then(Json::as_f64));
    }
    if !ctx.is_object() {
        io.err(&format!("tracesieve: {}: the context must be a JSON object\n", load::display(context)));
        return USAGE;
    }
    let e = context::explain(&sampler, sdk, ctx, rand);
    match format {
        "json" => io.out(&format!("{}\n", to_json(&e))),
        _ => io.out(&to_text(&e)),
    }
    OK
}

/// A value the sampler read, as JSON (`null` for a non-scalar).
fn value(v: &Value<'_>) -> Json {
    match v {
        Value::Str(s) => Json::from(s.as_ref()),
        Value::Num(n) => json!(n),
        Value::Bool(b) => Json::from(*b),
        Value::Other => Json::Null,
    }
}

/// What the decision read: `{"path": ..., "attributes": {...}, "custom": {...}, "parentSampled": ...}`.
fn fields(e: &Explanation<'_>) -> Map<String, Json> {
    let mut out = Map::new();
    for (field, v) in &e.fields {
        out.insert(field.as_str().into(), value(v));
    }
    for (key, list) in [("attributes", &e.attributes), ("custom", &e.custom), ("tags", &e.tags)] {
        if !list.is_empty() {
            out.insert(key.into(), list.iter().map(|(k, v)| (k.clone(), value(v))).collect::<Map<_, _>>().into());
        }
    }
    let mut opt = |key: &str, v: Option<Json>| {
        if let Some(v) = v {
            out.insert(key.into(), v);
        }
    };
    opt("parentSampled", e.parent_sampled.map(Json::from));
    opt("parentSampleRate", e.parent_sample_rate.map(|r| json!(r)));
    opt("forced", e.forced.map(Json::from));
    opt("genAi", e.gen_ai.map(Json::from));
    out
}

/// `{"rate", "reason", "ruleId", "sampled", "fields"}`.
fn to_json(e: &Explanation<'_>) -> Json {
    let d = &e.decision;
    json!({ "rate": d.rate, "reason": d.reason.as_str(), "ruleId": d.rule_id, "sampled": d.sampled, "fields": fields(e) })
}

/// The explanation as aligned text.
fn to_text(e: &Explanation<'_>) -> String {
    let d = &e.decision;
    let mut out = format!("rate     {}\nreason   {}\n", d.rate, d.reason);
    out.push_str(&format!("rule     {}\n", d.rule_id.unwrap_or("-")));
    if let Some(s) = d.sampled {
        out.push_str(&format!("sampled  {s}\n"));
    }
    let read = fields(e);
    if read.is_empty() {
        out.push_str("read     nothing\n");
    }
    for (i, (k, v)) in read.iter().enumerate() {
        out.push_str(&format!("{} {k} = {v}\n", if i == 0 { "read    " } else { "        " }));
    }
    out
}
