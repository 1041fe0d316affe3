//! Policy errors: every problem, each with the JSON path where it is.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use crate::text::json::Value as Json;

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

    /// Every problem found, in the order of the document (for a policy read from JSON;
    /// from the top of the policy down for one built in code).
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
            crate::text::num::write_f64(&mut out, self.problems.len() as f64);
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

    /// The problems in the order of the places they name in `doc`, the parsed policy
    /// (stable: problems at one place keep the order found). A place's own problems come
    /// before those inside it, and a missing key's after its object's members.
    ///
    /// The parser finds its problems in document order, but the validator checks the
    /// policy after it, top to bottom: this puts the two lists together as the document
    /// reads. An insertion by binary search, not a sort: the standard library's sorts
    /// would bring kilobytes of code into the wasm module.
    pub(crate) fn in_document_order(self, doc: &Json) -> Problems {
        let mut ranked: Vec<(Vec<usize>, Problem)> = Vec::with_capacity(self.list.len());
        for p in self.list {
            let rank = document_rank(doc, &p.path);
            let at = ranked.partition_point(|(r, _)| *r <= rank);
            ranked.insert(at, (rank, p));
        }
        Problems { list: ranked.into_iter().map(|(_, p)| p).collect() }
    }

    /// `Ok(ok)`, or every problem, in the order they are listed (see
    /// [`in_document_order`](Self::in_document_order)).
    pub(crate) fn into_result<T>(self, ok: T) -> Result<T, PolicyError> {
        if self.list.is_empty() { Ok(ok) } else { Err(PolicyError::new(self.list)) }
    }
}

/// Where `path` is in `doc`: the place of each key or index along it among its siblings;
/// a key or index that `doc` lacks ranks after every sibling, and ends the walk.
fn document_rank(doc: &Json, path: &str) -> Vec<usize> {
    let mut rank = Vec::new();
    let mut node = Some(doc);
    let mut rest = if path == "policy" { "" } else { path };
    while !rest.is_empty() {
        let (key, index, tail) = first_segment(rest);
        let (place, child) = match (node, key, index) {
            (Some(Json::Object(map)), Some(k), _) => (map.position(&k), map.get(&k)),
            (Some(Json::Array(items)), _, Some(i)) => (items.get(i).map(|_| i), items.get(i)),
            _ => (None, None),
        };
        rank.push(place.unwrap_or(usize::MAX));
        node = child;
        rest = tail;
        if place.is_none() {
            break;
        }
    }
    rank
}

/// The first segment of a path as [`key_path`](crate::text::path::key_path) and
/// [`index_path`](crate::text::path::index_path) write them: `key`, `.key`, `["key"]` or
/// `[i]`; and the rest of the path.
fn first_segment(path: &str) -> (Option<String>, Option<usize>, &str) {
    let path = path.strip_prefix('.').unwrap_or(path);
    if let Some(inner) = path.strip_prefix("[\"") {
        // The literal ends at the first `"` not escaped by a backslash.
        let mut escaped = false;
        let end = inner.char_indices().find(|&(_, c)| {
            let closes = c == '"' && !escaped;
            escaped = c == '\\' && !escaped;
            closes
        });
        let Some((end, _)) = end else { return (None, None, "") };
        let key = crate::text::json::parse(&path[1..end + 3]).ok().and_then(|v| v.as_str().map(String::from));
        return (key, None, inner.get(end + 2..).unwrap_or(""));
    }
    if let Some(inner) = path.strip_prefix('[') {
        let end = inner.find(']').unwrap_or(inner.len());
        return (None, inner[..end].parse().ok(), inner.get(end + 1..).unwrap_or(""));
    }
    let end = path.find(['.', '[']).unwrap_or(path.len());
    (Some(path[..end].to_string()), None, &path[end..])
}

fn display_path(path: &str) -> String {
    if path.is_empty() { "policy".to_string() } else { path.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_follow_the_document() {
        let doc = crate::text::json::parse(
            r#"{"rules": [{"when": {"attributes": {"a.b": 1, "x\"]y": 2}}, "id": 1}], "defaultRate": 2}"#,
        )
        .unwrap();
        let mut p = Problems::new();
        for path in [
            "defaultRate",
            "rules[0].rate",
            "rules[0].id",
            "rules[0].when.attributes[\"x\\\"]y\"]",
            "rules[0].when.attributes[\"a.b\"]",
            "rules[0]",
            "rules[0].id",
            "",
        ] {
            p.add(path, path);
        }
        let order: Vec<String> = p.in_document_order(&doc).into_list().into_iter().map(|p| p.message).collect();
        assert_eq!(
            order,
            [
                "",
                "rules[0]",
                "rules[0].when.attributes[\"a.b\"]",
                "rules[0].when.attributes[\"x\\\"]y\"]",
                "rules[0].id",
                "rules[0].id",
                "rules[0].rate",
                "defaultRate"
            ]
        );
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
