//! Policy errors: every problem, each with the JSON path where it is.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

/// One problem in a policy: where it is (a JSON path such as `rules[2].when`) and what
/// was expected there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The JSON path of the offending value: `policy` for the whole document, else
    /// `defaultRate`, `rules[2].when.path`, `rules[0].when.attributes["gen_ai.system"]`...
    pub path: String,
    /// What is wrong and what was expected.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// A policy that cannot be used, with every problem found in it (not only the first).
///
/// ```
/// let err = tracesieve::Sampler::from_json(r#"{"defaultRate": 2, "rules": [{"when": {}}]}"#)
///     .unwrap_err();
/// assert_eq!(err.problems().len(), 3);
/// assert!(err.to_string().contains("defaultRate: expected a number in [0, 1], found 2"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyError {
    problems: Vec<Problem>,
}

impl PolicyError {
    pub(crate) fn new(problems: Vec<Problem>) -> Self {
        debug_assert!(!problems.is_empty());
        PolicyError { problems }
    }

    /// An error about the policy document as a whole (path `policy`): what a binding
    /// raises when its host's policy value cannot be written as JSON text at all.
    ///
    /// ```
    /// let err = tracesieve::PolicyError::document("cannot be written as JSON (cyclic)");
    /// assert_eq!(err.to_string(), "invalid tracesieve policy: policy: cannot be written as JSON (cyclic)");
    /// ```
    pub fn document(message: impl Into<String>) -> Self {
        PolicyError::new(alloc::vec![Problem { path: "policy".into(), message: message.into() }])
    }

    /// Every problem found, in document order.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }
}

impl PolicyError {
    /// The error as text, as [`Display`](fmt::Display) writes it: `invalid tracesieve
    /// policy: path: message`, or a count and one problem per line.
    pub fn to_text(&self) -> String {
        let mut out = String::from("invalid tracesieve policy");
        let many = self.problems.len() > 1;
        if many {
            out.push_str(" (");
            crate::num::write_f64(&mut out, self.problems.len() as f64);
            out.push_str(" problems):");
        } else {
            out.push_str(": ");
        }
        for p in &self.problems {
            if many {
                out.push_str("\n  ");
            }
            out.push_str(&p.path);
            out.push_str(": ");
            out.push_str(&p.message);
        }
        out
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_text())
    }
}

#[cfg(feature = "std")]
impl std::error::Error for PolicyError {}

/// A JSON path under construction, and the problems found so far.
pub(crate) struct Problems {
    list: Vec<Problem>,
}

impl Problems {
    pub(crate) fn new() -> Self {
        Problems { list: Vec::new() }
    }

    pub(crate) fn add(&mut self, path: &str, message: impl Into<String>) {
        self.list.push(Problem { path: display_path(path), message: message.into() });
    }

    /// Whether a problem was already reported at `path` or at one of its ancestors.
    pub(crate) fn covers(&self, path: &str) -> bool {
        let path = display_path(path);
        self.list.iter().any(|p| {
            p.path == "policy"
                || path
                    .strip_prefix(p.path.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('.') || rest.starts_with('['))
        })
    }

    pub(crate) fn into_list(self) -> Vec<Problem> {
        self.list
    }

    /// `Ok(ok)`, or every problem in document order.
    pub(crate) fn into_result<T>(self, ok: T) -> Result<T, PolicyError> {
        if self.list.is_empty() {
            return Ok(ok);
        }
        let keyed = self.list.into_iter().map(|p| (document_order(&p.path), p)).collect();
        Err(PolicyError::new(merge_sort(keyed).into_iter().map(|(_, p)| p).collect()))
    }
}

/// Sorts by the first element, stably, in O(n log n): a merge sort, because the standard
/// library's sorts would bring kilobytes of code into the wasm module.
fn merge_sort<K: Ord, T>(mut items: Vec<(K, T)>) -> Vec<(K, T)> {
    if items.len() < 2 {
        return items;
    }
    let right = merge_sort(items.split_off(items.len() / 2));
    let left = merge_sort(items);
    let mut merged = Vec::with_capacity(left.len() + right.len());
    let (mut left, mut right) = (left.into_iter().peekable(), right.into_iter().peekable());
    while let (Some(l), Some(r)) = (left.peek(), right.peek()) {
        // Ties take from the left: stable.
        let next = if r.0 < l.0 { right.next() } else { left.next() };
        merged.extend(next);
    }
    merged.extend(left);
    merged.extend(right);
    merged
}

/// Keys in the order the format documents them, so problems read top to bottom.
const KEY_ORDER: &[&str] = &[
    "policy", "version", "defaultRate", "parent", "genAi", "rules", "errors", "id", "when", "rate", "overrideParent",
    "routes", "description", "name", "op", "origin", "method", "path", "parentSampled", "attributes", "custom",
    "exception", "level", "logger", "message", "tags", "any", "all", "not", "eq", "glob", "prefix", "suffix",
    "contains", "route", "gt", "gte", "lt", "lte", "exists", "ignoreCase",
];

/// A sort key for a path: keys by [`KEY_ORDER`] (unknown keys after, by name), indices by number.
fn document_order(path: &str) -> Vec<(usize, usize, String)> {
    let mut key = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        rest = rest.strip_prefix('.').unwrap_or(rest);
        let (segment, tail) = if let Some(inner) = rest.strip_prefix('[') {
            let end = if inner.starts_with('"') { inner.find("\"]").map(|i| i + 1) } else { inner.find(']') };
            let end = end.unwrap_or(inner.len());
            (&inner[..end], inner.get(end + 1..).unwrap_or(""))
        } else {
            let end = rest.find(['.', '[']).unwrap_or(rest.len());
            (&rest[..end], &rest[end..])
        };
        key.push(match (segment.parse::<usize>(), KEY_ORDER.iter().position(|k| *k == segment)) {
            (Ok(i), _) => (0, i, String::new()),
            (_, Some(rank)) => (1, rank, String::new()),
            _ => (2, 0, segment.to_string()),
        });
        rest = tail;
    }
    key
}

fn display_path(path: &str) -> String {
    if path.is_empty() { "policy".to_string() } else { path.to_string() }
}

/// `parent` + `.key`, or `parent["key"]` when the key is not identifier-like.
pub(crate) fn key_path(parent: &str, key: &str) -> String {
    let mut chars = key.chars();
    let identifier = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    match (identifier, parent.is_empty()) {
        (true, true) => key.to_string(),
        (true, false) => format!("{parent}.{key}"),
        (false, _) => format!("{parent}[{}]", quote(key)),
    }
}

/// `parent[i]`.
pub(crate) fn index_path(parent: &str, i: usize) -> String {
    format!("{parent}[{i}]")
}

/// A string as a JSON string literal.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(key_path("", "rules"), "rules");
        assert_eq!(key_path("rules[0].when", "path"), "rules[0].when.path");
        assert_eq!(key_path("a.attributes", "gen_ai.system"), "a.attributes[\"gen_ai.system\"]");
        assert_eq!(index_path("rules", 3), "rules[3]");
    }

    #[test]
    fn document_order_sorts_keys_and_indices() {
        let mut paths =
            ["rules[10].rate", "rules[2].when", "errors.defaultRate", "defaultRate", "rules[2].id", "policy"];
        paths.sort_by_key(|p| document_order(p));
        assert_eq!(
            paths,
            ["policy", "defaultRate", "rules[2].id", "rules[2].when", "rules[10].rate", "errors.defaultRate"]
        );
    }

    #[test]
    fn merge_sort_is_stable() {
        let items: Vec<(u32, usize)> = (0..100).map(|i| ((i * 7919 % 13) as u32, i)).collect();
        let mut want = items.clone();
        want.sort_by_key(|(k, _)| *k);
        assert_eq!(merge_sort(items), want);
        assert_eq!(merge_sort(Vec::<(u8, u8)>::new()), []);
    }

    #[test]
    fn covers_descendants_only() {
        let mut p = Problems::new();
        p.add("rules[1].when", "x");
        assert!(p.covers("rules[1].when"));
        assert!(p.covers("rules[1].when.any[0]"));
        assert!(!p.covers("rules[1].whenever"));
        assert!(!p.covers("rules[10].when"));
    }
}
