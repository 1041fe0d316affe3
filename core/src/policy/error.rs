//! Policy errors: every problem, each with the JSON path where it is.

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

    /// Every problem found: JSON-shape problems in document order, then the validator's
    /// (ranges, ids, globs, limits) from the top of the policy down.
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

    /// `Ok(ok)`, or every problem in the order found: the parser walks the document in
    /// its order (repeated keys first, as the JSON reader finds them), then the validator
    /// adds what JSON types cannot check, walking the policy top to bottom.
    pub(crate) fn into_result<T>(self, ok: T) -> Result<T, PolicyError> {
        if self.list.is_empty() { Ok(ok) } else { Err(PolicyError::new(self.list)) }
    }
}

fn display_path(path: &str) -> String {
    if path.is_empty() { "policy".to_string() } else { path.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

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
