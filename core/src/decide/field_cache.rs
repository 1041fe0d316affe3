//! The per-decision field cache: a context's fields, each read at most once and normalised
//! as conditions compare them.

use alloc::borrow::Cow;

use crate::context::value::Value;
use crate::context::{Context, Field, strip_query};

/// Reads a context for one decision: each field at most once, normalised (methods
/// upper-cased, paths without query or fragment).
pub(crate) struct FieldCache<'c, C: Context + ?Sized> {
    ctx: &'c C,
    fields: [Option<Option<Value<'c>>>; Field::ALL.len()],
}

impl<'c, C: Context + ?Sized> FieldCache<'c, C> {
    pub(crate) fn new(ctx: &'c C) -> Self {
        FieldCache { ctx, fields: Default::default() }
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
