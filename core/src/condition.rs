//! Compiled conditions, and the per-decision [`Reader`] that reads each field once.

use alloc::borrow::Cow;
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

use crate::context::{Context, Field};
use crate::extract::strip_query;
use crate::genai;
use crate::matcher::CompiledMatcher;
use crate::policy::{Condition, Matcher};
use crate::sampler::Requirements;
use crate::value::Value;

/// A condition compiled for evaluation.
#[derive(Clone, Debug)]
pub(crate) enum Cond {
    Field(Field, CompiledMatcher),
    ParentSampled(bool),
    Attribute(Box<str>, CompiledMatcher),
    Custom(Box<str>, CompiledMatcher),
    Tag(Box<str>, CompiledMatcher),
    GenAi(bool),
    All(Box<[Cond]>),
    Any(Box<[Cond]>),
    Not(Box<Cond>),
}

impl Cond {
    /// Compiles a validated condition: its keys are ANDed.
    pub(crate) fn new(c: &Condition) -> Cond {
        let mut parts = Vec::new();
        for (field, m) in c.field_matchers() {
            if let Some(m) = m {
                parts.push(Cond::Field(field, CompiledMatcher::new(m)));
            }
        }
        if let Some(b) = c.parent_sampled {
            parts.push(Cond::ParentSampled(b));
        }
        let keyed = |list: &[(String, Matcher)], make: fn(Box<str>, CompiledMatcher) -> Cond| -> Vec<Cond> {
            list.iter().map(|(k, m)| make(k.as_str().into(), CompiledMatcher::new(m))).collect()
        };
        parts.extend(keyed(&c.attributes, Cond::Attribute));
        parts.extend(keyed(&c.custom, Cond::Custom));
        parts.extend(keyed(&c.tags, Cond::Tag));
        if let Some(b) = c.gen_ai {
            parts.push(Cond::GenAi(b));
        }
        if let Some(any) = &c.any {
            parts.push(Cond::Any(any.iter().map(Cond::new).collect()));
        }
        if let Some(all) = &c.all {
            parts.push(Cond::All(all.iter().map(Cond::new).collect()));
        }
        if let Some(not) = &c.not {
            parts.push(Cond::Not(Box::new(Cond::new(not))));
        }
        Cond::all(parts)
    }

    /// `All(parts)`, or the one part itself.
    pub(crate) fn all(mut parts: Vec<Cond>) -> Cond {
        if parts.len() == 1 { parts.pop().expect("one part") } else { Cond::All(parts.into_boxed_slice()) }
    }

    /// Whether the condition holds for the context behind `r`.
    pub(crate) fn eval<C: Context + ?Sized>(&self, r: &mut Reader<'_, C>) -> bool {
        match self {
            Cond::Field(Field::Exception, m) => match r.field(Field::Exception) {
                Some(Value::Str(name)) => {
                    let name: &str = name;
                    m.matches(Some(&Value::str(name)))
                        || short_type_name(name).is_some_and(|s| m.matches(Some(&Value::str(s))))
                }
                other => m.matches(other),
            },
            Cond::Field(f, m) => m.matches(r.field(*f)),
            Cond::ParentSampled(b) => r.context().parent_sampled() == Some(*b),
            Cond::Attribute(k, m) => m.matches(r.context().attribute(k).as_ref()),
            Cond::Custom(k, m) => m.matches(r.context().custom(k).as_ref()),
            Cond::Tag(k, m) => m.matches(r.context().tag(k).as_ref()),
            Cond::GenAi(b) => genai::is_ai_run_read(r) == *b,
            Cond::All(all) => all.iter().all(|c| c.eval(r)),
            Cond::Any(any) => any.iter().any(|c| c.eval(r)),
            Cond::Not(c) => !c.eval(r),
        }
    }

    /// Adds what this condition reads to `req` (keys repeated: [`Requirements::dedupe`]
    /// keeps the first of each).
    pub(crate) fn collect(&self, req: &mut Requirements) {
        match self {
            Cond::Field(f, _) => req.add_field(*f),
            Cond::ParentSampled(_) => req.parent = true,
            Cond::Attribute(k, _) => req.attributes.push(k.as_ref().into()),
            Cond::Custom(k, _) => req.custom.push(k.as_ref().into()),
            Cond::Tag(k, _) => req.tags.push(k.as_ref().into()),
            Cond::GenAi(_) => {
                req.add_field(Field::Op);
                req.add_field(Field::Origin);
                req.add_field(Field::Name);
                req.attributes.push(genai::VERCEL_OPERATION_ID.into());
                req.attributes.push(genai::VERCEL_SENTRY_OPERATION_ID.into());
                req.attribute_prefixes = true;
            }
            Cond::All(cs) | Cond::Any(cs) => cs.iter().for_each(|c| c.collect(req)),
            Cond::Not(c) => c.collect(req),
        }
    }
}

/// The part of a qualified type name after its last `.` or `:` (`app.errors.MyError` →
/// `MyError`, `std::io::Error` → `Error`), if it has one.
fn short_type_name(name: &str) -> Option<&str> {
    name.rfind(['.', ':']).map(|i| &name[i + 1..])
}

/// Reads a context for one decision: each field at most once, normalised (methods
/// upper-cased, paths without query or fragment).
pub(crate) struct Reader<'c, C: Context + ?Sized> {
    ctx: &'c C,
    fields: [Option<Option<Value<'c>>>; Field::ALL.len()],
}

impl<'c, C: Context + ?Sized> Reader<'c, C> {
    pub(crate) fn new(ctx: &'c C) -> Self {
        Reader { ctx, fields: Default::default() }
    }

    pub(crate) fn context(&self) -> &'c C {
        self.ctx
    }

    #[inline]
    pub(crate) fn field(&mut self, f: Field) -> Option<&Value<'c>> {
        let ctx = self.ctx;
        self.fields[f as usize].get_or_insert_with(|| ctx.field(f).map(|v| normalize(f, v))).as_ref()
    }
}

#[inline]
fn normalize(f: Field, v: Value<'_>) -> Value<'_> {
    match (f, v) {
        (Field::Method, Value::Str(m)) if m.bytes().any(|b| b.is_ascii_lowercase()) => {
            Value::Str(Cow::Owned(m.to_ascii_uppercase()))
        }
        (Field::Path, Value::Str(Cow::Borrowed(p))) => Value::str(strip_query(p)),
        (Field::Path, Value::Str(Cow::Owned(mut p))) => {
            let keep = strip_query(&p).len();
            p.truncate(keep);
            Value::Str(Cow::Owned(p))
        }
        (_, v) => v,
    }
}
