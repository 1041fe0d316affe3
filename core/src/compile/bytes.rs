//! Compiled policies: a [`Sampler`](crate::Sampler) as bytes, to load where the policy compiler is not
//! wanted (a browser page, where every kilobyte of wasm counts, or a small device).
//!
//! [`Sampler::to_compiled`](crate::Sampler::to_compiled) writes what [`Sampler::new`](crate::Sampler::new) built (rules with their compiled
//! conditions, ids, rates); [`Sampler::from_compiled`](crate::Sampler::from_compiled) reads it back without parsing or
//! validating a policy, so a program that only loads compiled policies links none of that
//! code. The bytes are for the same version of tracesieve only (the compiled form is not a
//! stable format): loading them checks the version and a checksum, and every value read,
//! so that bytes of any other origin are refused, never trusted.
//!
//! A [`ByteWriter`] and a [`ByteReader`] let bindings put more into the same bytes (the
//! JavaScript package adds its read plans, [`ReadPlan::encode`](crate::sdk::ReadPlan::encode)).
//!
//! ```
//! use tracesieve::{Sampler, SpanContext};
//! let sampler = Sampler::from_json(r#"{"defaultRate": 0.1,
//!     "rules": [{"id": "health", "when": {"path": "/health*"}, "rate": 0}]}"#).unwrap();
//! let bytes = sampler.to_compiled();
//! let loaded = Sampler::from_compiled(&bytes).unwrap();
//! let health = SpanContext { path: Some("/healthz"), ..Default::default() };
//! assert_eq!(loaded.decide(&health).rule_id, Some("health"));
//! assert!(Sampler::from_compiled(b"{}").is_err());
//! ```

use alloc::boxed::Box;
use alloc::string::String;

pub use crate::compile::codec::{ByteReader, ByteWriter, Reader, Writer};
use crate::compile::condition::Cond;
use crate::compile::matcher::{CompiledMatcher, Pattern, Test};
use crate::compile::requirements::Requirements;
use crate::compile::rules::{CompiledRule, Parts};
use crate::context::Field;
use crate::policy::model::{MAX_DEPTH, Scalar};
use crate::text::glob::Glob;
use crate::text::route::Route;

impl Parts {
    /// Writes the compiled rules and rates (without a header) into `w`.
    pub(crate) fn encode(&self, w: &mut ByteWriter) {
        w.f64(self.default_rate);
        w.bool(self.inherit_parent);
        w.list(&self.ids, |w, id| w.str(id));
        w.list(&self.overrides, put_rule);
        w.list(&self.rules, put_rule);
        w.f64(self.error_default_rate);
        w.list(&self.error_ids, |w, id| w.str(id));
        w.list(&self.error_rules, put_rule);
        put_requirements(w, &self.requirements);
    }

    /// Reads what [`encode`](Self::encode) wrote; `None` if the bytes are not that.
    pub(crate) fn decode(r: &mut ByteReader<'_>) -> Option<Parts> {
        let default_rate = r.rate()?;
        let inherit_parent = r.bool()?;
        let ids = r.list(|r| r.str().map(String::from))?;
        let overrides = r.list(get_rule)?;
        let rules = r.list(get_rule)?;
        let error_default_rate = r.rate()?;
        let error_ids = r.list(|r| r.str().map(String::from))?;
        let error_rules = r.list(get_rule)?;
        let requirements = get_requirements(r)?;
        let slots_ok = |rules: &[CompiledRule], n: usize| rules.iter().all(|c| c.slot < n);
        let ok = slots_ok(&overrides, ids.len())
            && slots_ok(&rules, ids.len())
            && slots_ok(&error_rules, error_ids.len())
            && error_rules.iter().all(|c| !c.gen_ai);
        let parts = Parts {
            default_rate,
            inherit_parent,
            overrides,
            rules,
            ids,
            error_default_rate,
            error_rules,
            error_ids,
            requirements,
        };
        ok.then_some(parts)
    }
}

/// How a rule is marked as the built-in AI rule or a user rule (as [`Reason`](crate::Reason)
/// numbers its `GenAi` and `Rule` steps).
const GEN_AI_RULE: u8 = 1;
const USER_RULE: u8 = 2;

/// What the rules read, as [`Parts::compile`] collected it (each key once).
fn put_requirements(w: &mut ByteWriter, req: &Requirements) {
    w.list(&req.fields, |w, f| w.u8(*f as u8));
    for keys in [&req.attributes, &req.custom, &req.tags] {
        w.list(keys, |w, k| w.str(k));
    }
    w.bool(req.attribute_prefixes);
    w.bool(req.parent);
}

fn get_requirements(r: &mut ByteReader<'_>) -> Option<Requirements> {
    let fields = r.list(|r| Field::ALL.get(usize::from(r.u8()?)).copied())?.into_vec();
    let mut keys = || r.list(|r| r.str().map(String::from)).map(<[String]>::into_vec);
    let (attributes, custom, tags) = (keys()?, keys()?, keys()?);
    Some(Requirements { fields, attributes, custom, tags, attribute_prefixes: r.bool()?, parent: r.bool()? })
}

fn put_rule(w: &mut ByteWriter, c: &CompiledRule) {
    put_cond(w, &c.cond);
    w.f64(c.rate);
    w.usize(c.slot);
    w.u8(if c.gen_ai { GEN_AI_RULE } else { USER_RULE });
}

/// A rule: it decides as a rule, or as the built-in AI rule (trace rules only, which
/// [`Parts::decode`] checks).
fn get_rule(r: &mut ByteReader<'_>) -> Option<CompiledRule> {
    let cond = get_cond(r)?;
    let rate = r.rate()?;
    let slot = r.usize()?;
    let gen_ai = match r.u8()? {
        GEN_AI_RULE => true,
        USER_RULE => false,
        _ => return None,
    };
    Some(CompiledRule { cond, rate, slot, gen_ai })
}

fn put_cond(w: &mut ByteWriter, c: &Cond) {
    match c {
        Cond::Field(f, m) => {
            w.u8(0);
            w.u8(*f as u8);
            put_matcher(w, m);
        }
        Cond::ParentSampled(b) => {
            w.u8(1);
            w.bool(*b);
        }
        Cond::Attribute(k, m) | Cond::Custom(k, m) | Cond::Tag(k, m) => {
            w.u8(match c {
                Cond::Attribute(..) => 2,
                Cond::Custom(..) => 3,
                _ => 4,
            });
            w.str(k);
            put_matcher(w, m);
        }
        Cond::GenAi(b) => {
            w.u8(5);
            w.bool(*b);
        }
        Cond::All(cs) | Cond::Any(cs) => {
            w.u8(if matches!(c, Cond::All(_)) { 6 } else { 7 });
            w.list(cs, put_cond);
        }
        Cond::Not(c) => {
            w.u8(8);
            put_cond(w, c);
        }
    }
}

/// How deep compiled conditions nest at most. A policy nests at most `MAX_DEPTH` levels;
/// each compiles to at most two (an `All` of its keys, and the `any` / `all` / `not` among
/// them), then the leaf tests and the rule's own level: deeper bytes are no policy's, and
/// are refused before they can exhaust the stack.
const MAX_COND_DEPTH: usize = 2 * MAX_DEPTH + 4;

fn get_cond(r: &mut ByteReader<'_>) -> Option<Cond> {
    r.depth += 1;
    if r.depth > MAX_COND_DEPTH {
        return None;
    }
    let keyed = |r: &mut ByteReader<'_>| Some((Box::<str>::from(r.str()?), get_matcher(r)?));
    let cond = match r.u8()? {
        0 => Cond::Field(*Field::ALL.get(usize::from(r.u8()?))?, get_matcher(r)?),
        1 => Cond::ParentSampled(r.bool()?),
        2 => keyed(r).map(|(k, m)| Cond::Attribute(k, m))?,
        3 => keyed(r).map(|(k, m)| Cond::Custom(k, m))?,
        4 => keyed(r).map(|(k, m)| Cond::Tag(k, m))?,
        5 => Cond::GenAi(r.bool()?),
        6 => Cond::All(r.list(get_cond)?),
        7 => Cond::Any(r.list(get_cond)?),
        8 => Cond::Not(Box::new(get_cond(r)?)),
        _ => return None,
    };
    r.depth -= 1;
    Some(cond)
}

fn put_matcher(w: &mut ByteWriter, m: &CompiledMatcher) {
    match m {
        CompiledMatcher::One(p) => {
            w.u8(0);
            put_pattern(w, p);
        }
        CompiledMatcher::Any(ps) => {
            w.u8(1);
            w.list(ps, put_pattern);
        }
        CompiledMatcher::Exists(b) => {
            w.u8(2);
            w.bool(*b);
        }
        CompiledMatcher::All(tests) => {
            w.u8(3);
            w.list(tests, put_test);
        }
    }
}

fn get_matcher(r: &mut ByteReader<'_>) -> Option<CompiledMatcher> {
    Some(match r.u8()? {
        0 => CompiledMatcher::One(get_pattern(r)?),
        1 => CompiledMatcher::Any(r.list(get_pattern)?),
        2 => CompiledMatcher::Exists(r.bool()?),
        3 => CompiledMatcher::All(r.list(get_test)?),
        _ => return None,
    })
}

fn put_test(w: &mut ByteWriter, t: &Test) {
    match t {
        Test::Str(ps) => {
            w.u8(0);
            w.list(ps, put_pattern);
        }
        Test::Eq(scalars, fold) => {
            w.u8(1);
            w.list(scalars, put_scalar);
            w.bool(*fold);
        }
        Test::Gt(n) | Test::Gte(n) | Test::Lt(n) | Test::Lte(n) => {
            w.u8(match t {
                Test::Gt(_) => 2,
                Test::Gte(_) => 3,
                Test::Lt(_) => 4,
                _ => 5,
            });
            w.f64(*n);
        }
        Test::Exists(b) => {
            w.u8(6);
            w.bool(*b);
        }
    }
}

fn get_test(r: &mut ByteReader<'_>) -> Option<Test> {
    Some(match r.u8()? {
        0 => Test::Str(r.list(get_pattern)?),
        1 => Test::Eq(r.list(get_scalar)?, r.bool()?),
        2 => Test::Gt(r.f64()?),
        3 => Test::Gte(r.f64()?),
        4 => Test::Lt(r.f64()?),
        5 => Test::Lte(r.f64()?),
        6 => Test::Exists(r.bool()?),
        _ => return None,
    })
}

fn put_scalar(w: &mut ByteWriter, s: &Scalar) {
    match s {
        Scalar::Str(s) => {
            w.u8(0);
            w.str(s);
        }
        Scalar::Num(n) => {
            w.u8(1);
            w.f64(*n);
        }
        Scalar::Bool(b) => {
            w.u8(2);
            w.bool(*b);
        }
    }
}

fn get_scalar(r: &mut ByteReader<'_>) -> Option<Scalar> {
    Some(match r.u8()? {
        0 => Scalar::Str(r.str()?.into()),
        1 => Scalar::Num(r.f64()?),
        2 => Scalar::Bool(r.bool()?),
        _ => return None,
    })
}

fn put_pattern(w: &mut ByteWriter, p: &Pattern) {
    let (tag, text) = match p {
        Pattern::Exact(s) => (0, &**s),
        Pattern::Prefix(s) => (1, &**s),
        Pattern::Suffix(s) => (2, &**s),
        Pattern::Contains(s) => (3, &**s),
        Pattern::Anything => (4, ""),
        // A glob is written as its source and compiled again when read.
        Pattern::Glob(g) => (if g.ignores_case() { 6 } else { 5 }, g.as_str()),
        Pattern::FoldedPrefix(s) => (7, &**s),
        Pattern::FoldedSuffix(s) => (8, &**s),
        Pattern::FoldedContains(s) => (9, &**s),
        Pattern::Route(r) => (if r.ignores_case() { 11 } else { 10 }, r.as_str()),
    };
    w.u8(tag);
    w.str(text);
}

fn get_pattern(r: &mut ByteReader<'_>) -> Option<Pattern> {
    let tag = r.u8()?;
    let text: Box<str> = r.str()?.into();
    Some(match tag {
        0 => Pattern::Exact(text),
        1 => Pattern::Prefix(text),
        2 => Pattern::Suffix(text),
        3 => Pattern::Contains(text),
        4 => Pattern::Anything,
        5 | 6 => Pattern::Glob(Box::new(Glob::new(&text, tag == 6).ok()?)),
        7 => Pattern::FoldedPrefix(text),
        8 => Pattern::FoldedSuffix(text),
        9 => Pattern::FoldedContains(text),
        10 | 11 => Pattern::Route(Box::new(Route::new(&text, tag == 11).ok()?)),
        _ => return None,
    })
}
