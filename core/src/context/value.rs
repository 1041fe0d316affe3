//! Values read from a sampling context.

use alloc::borrow::Cow;

/// One value read from a sampling context: the thing a [`Matcher`](crate::Matcher) tests.
///
/// Strings are [`Cow`] so that a context can lend its own strings (no allocation) or hand
/// over a string it had to convert (a binding reading a JavaScript or Python string).
#[derive(Clone, Debug, PartialEq)]
pub enum Value<'a> {
    /// A string.
    Str(Cow<'a, str>),
    /// A number (every number is an `f64`, as in JavaScript and JSON).
    Num(f64),
    /// A boolean.
    Bool(bool),
    /// Something present that is not a scalar (an object, an array): it matches only
    /// `exists: true`.
    Other,
}

impl<'a> Value<'a> {
    /// A borrowed string value.
    pub const fn str(s: &'a str) -> Self {
        Value::Str(Cow::Borrowed(s))
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The number, if this is one.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Num(n) => Some(*n),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// A copy that owns its string, independent of the context it was read from.
    pub fn into_owned(self) -> Value<'static> {
        match self {
            Value::Str(s) => Value::Str(Cow::Owned(s.into_owned())),
            Value::Num(n) => Value::Num(n),
            Value::Bool(b) => Value::Bool(b),
            Value::Other => Value::Other,
        }
    }
}

impl<'a> From<&'a str> for Value<'a> {
    fn from(s: &'a str) -> Self {
        Value::str(s)
    }
}

impl From<f64> for Value<'_> {
    fn from(n: f64) -> Self {
        Value::Num(n)
    }
}

impl From<bool> for Value<'_> {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}
