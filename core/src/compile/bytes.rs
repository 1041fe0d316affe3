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
use alloc::vec::Vec;

use crate::compile::condition::Cond;
use crate::compile::hash::fnv1a;
use crate::compile::matcher::{CompiledMatcher, Pattern, Test};
use crate::compile::requirements::Requirements;
use crate::compile::rules::{CompiledRule, Parts};
use crate::context::Field;
use crate::policy::error::PolicyError;
use crate::policy::model::{MAX_DEPTH, Scalar, is_unit};
use crate::text::glob::Glob;
use crate::text::route::Route;

/// The first bytes of every compiled policy: `TSV` and the format's number, [`FORMAT`].
const MAGIC: &[u8; 4] = b"TSV\x02";
/// The number of the compiled format. Format 2 added the sampler's requirements, so that
/// loading does not collect them again.
const FORMAT: u8 = MAGIC[3];

/// Writes values into compiled-policy bytes; [`finish`](Self::finish) seals them.
#[derive(Default)]
pub struct ByteWriter {
    payload: Vec<u8>,
}

impl ByteWriter {
    /// An empty writer.
    pub fn new() -> Self {
        ByteWriter::default()
    }

    /// Writes a byte.
    pub fn u8(&mut self, v: u8) {
        self.payload.push(v);
    }

    /// Writes a boolean.
    pub fn bool(&mut self, v: bool) {
        self.u8(u8::from(v));
    }

    /// Writes an unsigned number (LEB128).
    pub fn usize(&mut self, mut v: usize) {
        while v >= 0x80 {
            self.u8(v as u8 | 0x80);
            v >>= 7;
        }
        self.u8(v as u8);
    }

    /// Writes a float.
    pub fn f64(&mut self, v: f64) {
        self.payload.extend_from_slice(&v.to_le_bytes());
    }

    /// Writes a string.
    pub fn str(&mut self, v: &str) {
        self.usize(v.len());
        self.payload.extend_from_slice(v.as_bytes());
    }

    fn list<T>(&mut self, items: &[T], put: impl Fn(&mut Self, &T)) {
        self.usize(items.len());
        items.iter().for_each(|item| put(self, item));
    }

    /// The sealed bytes: a header (magic, version, checksum), then what was written.
    pub fn finish(self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.payload.len() + 32);
        out.extend_from_slice(MAGIC);
        out.push(crate::VERSION.len() as u8);
        out.extend_from_slice(crate::VERSION.as_bytes());
        out.extend_from_slice(&checksum(&self.payload).to_le_bytes());
        out.extend_from_slice(&self.payload);
        out
    }
}

/// The former name of [`ByteReader`]: `tracesieve::compiled::Reader` keeps working.
pub use ByteReader as Reader;
/// The former name of [`ByteWriter`]: `tracesieve::compiled::Writer` keeps working.
pub use ByteWriter as Writer;

/// Reads the values of compiled-policy bytes, in the order they were written. Every read
/// checks what it reads and gives `None` for bytes that are not what it expects.
pub struct ByteReader<'b> {
    rest: &'b [u8],
    depth: usize,
}

impl<'b> ByteReader<'b> {
    /// Opens sealed bytes from [`ByteWriter::finish`].
    ///
    /// # Errors
    /// Bytes that are not a compiled policy, were compiled by another version of
    /// tracesieve, or fail their checksum.
    pub fn open(bytes: &'b [u8]) -> Result<ByteReader<'b>, PolicyError> {
        let rest = match bytes.strip_prefix(b"TSV").and_then(<[u8]>::split_first) {
            Some((&FORMAT, rest)) => rest,
            Some((&format, _)) => return Err(other_format(format)),
            None => return Err(invalid("is not a compiled tracesieve policy")),
        };
        let (&len, rest) = rest.split_first().ok_or_else(corrupt)?;
        let (version, rest) = rest.split_at_checked(usize::from(len)).ok_or_else(corrupt)?;
        if version != crate::VERSION.as_bytes() {
            let mut message = String::from("was compiled by tracesieve ");
            message.push_str(core::str::from_utf8(version).unwrap_or("(unknown)"));
            message.push_str(", and this is ");
            message.push_str(crate::VERSION);
            message.push_str(": compile the policy again with this version");
            return Err(invalid(&message));
        }
        let (sum, payload) = rest.split_first_chunk::<8>().ok_or_else(corrupt)?;
        if u64::from_le_bytes(*sum) != checksum(payload) {
            return Err(corrupt());
        }
        Ok(ByteReader { rest: payload, depth: 0 })
    }

    /// Checks that every byte was read.
    ///
    /// # Errors
    /// Bytes left over, or a value that did not read (`ok` false).
    pub fn finish(self, ok: bool) -> Result<(), PolicyError> {
        if ok && self.rest.is_empty() { Ok(()) } else { Err(corrupt()) }
    }

    /// Reads a byte.
    pub fn u8(&mut self) -> Option<u8> {
        let (&v, rest) = self.rest.split_first()?;
        self.rest = rest;
        Some(v)
    }

    /// Reads a boolean.
    pub fn bool(&mut self) -> Option<bool> {
        match self.u8()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }

    /// Reads an unsigned number.
    pub fn usize(&mut self) -> Option<usize> {
        let mut v = 0usize;
        for shift in (0..usize::BITS).step_by(7) {
            let b = self.u8()?;
            v |= usize::from(b & 0x7f).checked_shl(shift)?;
            if b < 0x80 {
                return Some(v);
            }
        }
        None
    }

    /// Reads a float.
    pub fn f64(&mut self) -> Option<f64> {
        let (v, rest) = self.rest.split_first_chunk::<8>()?;
        self.rest = rest;
        Some(f64::from_le_bytes(*v))
    }

    /// Reads a string.
    pub fn str(&mut self) -> Option<&'b str> {
        let len = self.usize()?;
        let (v, rest) = self.rest.split_at_checked(len)?;
        self.rest = rest;
        core::str::from_utf8(v).ok()
    }

    /// Reads a list: its length (at most one item per byte left), then each item.
    fn list<T>(&mut self, get: impl Fn(&mut Self) -> Option<T>) -> Option<Box<[T]>> {
        let len = self.usize().filter(|n| *n <= self.rest.len())?;
        (0..len).map(|_| get(self)).collect()
    }

    fn rate(&mut self) -> Option<f64> {
        self.f64().filter(|r| is_unit(*r))
    }
}

fn checksum(bytes: &[u8]) -> u64 {
    // Against damage, not against forgery (the bytes are code the user ships).
    fnv1a(bytes)
}

fn invalid(message: &str) -> PolicyError {
    PolicyError::document(message)
}

/// The error for bytes of another compiled format (older or newer).
fn other_format(format: u8) -> PolicyError {
    let mut message = String::from("is in compiled-policy format ");
    crate::text::num::write_f64(&mut message, f64::from(format));
    message.push_str(", and this tracesieve reads format ");
    crate::text::num::write_f64(&mut message, f64::from(FORMAT));
    message.push_str(": compile the policy again with this version");
    invalid(&message)
}

/// The error for bytes that do not read as a compiled policy.
pub(crate) fn corrupt() -> PolicyError {
    invalid("is damaged: its bytes do not read as a compiled tracesieve policy")
}

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
