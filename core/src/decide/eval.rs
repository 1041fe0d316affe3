//! Evaluating compiled conditions against a context, through the per-decision field cache.

use crate::compile::condition::Cond;
use crate::context::value::Value;
use crate::context::{Context, Field};
use crate::decide::field_cache::FieldCache;
use crate::decide::genai;

impl Cond {
    /// Whether the condition holds for the context behind `r`.
    pub(crate) fn eval<C: Context + ?Sized>(&self, r: &mut FieldCache<'_, C>) -> bool {
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
}

/// The part of a qualified type name after its last `.` or `:` (`app.errors.MyError` →
/// `MyError`, `std::io::Error` → `Error`), if it has one.
fn short_type_name(name: &str) -> Option<&str> {
    name.rfind(['.', ':']).map(|i| &name[i + 1..])
}
