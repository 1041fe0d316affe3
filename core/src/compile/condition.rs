//! Compiled conditions: what a policy's `when` becomes, and what each reads (`decide/`
//! evaluates them).

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

use crate::compile::ai_signals::{VERCEL_OPERATION_ID, VERCEL_SENTRY_OPERATION_ID};
use crate::compile::matcher::CompiledMatcher;
use crate::compile::requirements::Requirements;
use crate::context::Field;
use crate::policy::model::{Condition, Matcher};

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
                req.attributes.push(VERCEL_OPERATION_ID.into());
                req.attributes.push(VERCEL_SENTRY_OPERATION_ID.into());
                req.attribute_prefixes = true;
            }
            Cond::All(cs) | Cond::Any(cs) => cs.iter().for_each(|c| c.collect(req)),
            Cond::Not(c) => c.collect(req),
        }
    }
}
