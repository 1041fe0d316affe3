//! Foreign objects: what a binding implements so the core can read an SDK's sampling
//! context straight from a JavaScript object, a Python dict or a JSON value.

use crate::context::value::Value;

/// A dynamically typed value of a host language (a JavaScript value, a Python object, a
/// `serde_json::Value`), read lazily by the [SDK adapters](crate::sdk).
///
/// `'a` is how long the strings it lends live; a host that has to convert strings uses
/// `'static` and returns owned strings. Implementations must not fail: anything that
/// cannot be read (a getter that throws, a wrong type) is `None`.
pub trait HostObject<'a>: Sized {
    /// The property or item `key` of this value; `None` when this is not an object, or
    /// the key is missing or `null`/`undefined`/`None`.
    fn get(&self, key: &str) -> Option<Self>;

    /// This value as a [`Value`]: strings, numbers and booleans as themselves, anything
    /// else present as [`Value::Other`], `null`/`undefined`/`None` as `None`.
    fn value(&self) -> Option<Value<'a>>;

    /// Whether this is an object with a key that starts with `prefix`.
    fn has_key_with_prefix(&self, prefix: &str) -> bool;

    /// The item at `index` of a sequence (a Python list or tuple, a JSON array); a
    /// negative index counts from the end. `None` when this is not a sequence or the index
    /// is out of range. The default has no sequences.
    fn index(&self, index: isize) -> Option<Self> {
        let _ = index;
        None
    }

    /// Whether this is a mapping (a dict, a JSON object), whose keys [`get`](Self::get)
    /// reads. The default: any present value that is not a scalar.
    fn is_map(&self) -> bool {
        matches!(self.value(), Some(Value::Other))
    }

    /// Whether a read through this value, or any value reached from it, failed (a getter
    /// or `__eq__` raised, a string was too long to read). Adapters report it as
    /// [`Context::read_failed`](crate::Context::read_failed). The default never fails.
    fn failed(&self) -> bool {
        false
    }
}

/// Looks up a dotted path: the whole key first (`"user.tier"` as one key), then the key
/// split on dots (`user` → `tier`).
///
/// ```
/// use tracesieve::host::lookup;
/// let ctx = serde_json::json!({ "wsgi_environ": { "HTTP_USER_AGENT": "kube-probe/1.29" }, "a.b": 1 });
/// assert!(lookup(&&ctx, "wsgi_environ.HTTP_USER_AGENT").is_some());
/// assert!(lookup(&&ctx, "a.b").is_some());
/// ```
pub fn lookup<'a, H: HostObject<'a>>(root: &H, path: &str) -> Option<H> {
    // Present means a value (not only a key): a read plan's probe has keys without values.
    if let Some(v) = root.get(path).filter(|v| v.value().is_some()) {
        return Some(v);
    }
    let mut parts = path.split('.');
    let first = parts.next()?;
    if first.len() == path.len() {
        return None;
    }
    parts.try_fold(root.get(first)?, |v, part| v.get(part))
}

#[cfg(feature = "json")]
impl<'a> HostObject<'a> for &'a serde_json::Value {
    fn get(&self, key: &str) -> Option<Self> {
        self.as_object()?.get(key).filter(|v| !v.is_null())
    }

    fn value(&self) -> Option<Value<'a>> {
        use serde_json::Value as J;
        let v: &'a J = self;
        match v {
            J::Null => None,
            J::String(s) => Some(Value::str(s)),
            J::Number(n) => n.as_f64().map(Value::Num),
            J::Bool(b) => Some(Value::Bool(*b)),
            J::Array(_) | J::Object(_) => Some(Value::Other),
        }
    }

    fn has_key_with_prefix(&self, prefix: &str) -> bool {
        self.as_object().is_some_and(|o| o.keys().any(|k| k.starts_with(prefix)))
    }

    fn index(&self, index: isize) -> Option<Self> {
        let items = self.as_array()?;
        let i = if index < 0 { items.len().checked_sub(index.unsigned_abs())? } else { index.unsigned_abs() };
        items.get(i).filter(|v| !v.is_null())
    }

    fn is_map(&self) -> bool {
        self.is_object()
    }
}
