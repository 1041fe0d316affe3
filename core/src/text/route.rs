//! Route templates: the `route` operator. `/users/:id` matches `/users/42`, segment by
//! segment, in linear time.
//!
//! Users write the route they see in Sentry (`GET /users/:id`, `/users/{id}`), but at
//! sampling time every SDK has only the raw path: the route name arrives when the request
//! ends. A template bridges the two:
//!
//! - `:name`, `{name}`, `<name>` and `<conv:name>` (Flask, Django) each match exactly one
//!   non-empty segment;
//! - a last segment `*`, `*name`, `{*name}` or `:name*` matches the rest: one or more
//!   segments;
//! - any other segment matches itself (case-sensitive, unless `ignoreCase`);
//! - one trailing slash on the value (and on the template) is ignored.
//!
//! Segments are split on `/`, so a template also works on a name such as
//! `GET /users/:id`.

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::fmt;

use crate::text::glob::MAX_GLOB_LEN;
use crate::text::lowercase::{fold, fold_str};

/// Why a route template does not compile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RouteError {
    /// A parameter with no name (`:`, `{}`, `<>`, `<int:>`).
    UnnamedParameter(usize),
    /// A segment that mixes a parameter or wildcard with other text (`{id}.json`, `a*b`).
    MixedSegment(usize),
    /// A rest wildcard (`*`, `:name*`, ...) before the last segment.
    RestNotLast(usize),
    /// The template is longer than [`MAX_GLOB_LEN`] bytes.
    TooLong(usize),
}

impl fmt::Display for RouteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RouteError::UnnamedParameter(i) => write!(f, "segment {i} is a parameter with no name"),
            RouteError::MixedSegment(i) => write!(
                f,
                "segment {i} mixes a parameter or wildcard with text (a parameter is a whole segment; use glob for partial matches)"
            ),
            RouteError::RestNotLast(i) => {
                write!(f, "segment {i} matches the rest of the path, so it must be the last segment")
            }
            RouteError::TooLong(n) => write!(f, "{n} bytes long (at most {MAX_GLOB_LEN})"),
        }
    }
}

/// One segment of a template.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Segment {
    /// Matches this text (folded when the route ignores case).
    Literal(Box<str>),
    /// Matches one non-empty segment.
    Param,
}

/// A compiled route template.
#[derive(Clone, Debug)]
pub struct Route {
    source: Box<str>,
    segments: Box<[Segment]>,
    /// Whether the last segment matches the rest (one or more segments).
    rest: bool,
    ignore_case: bool,
}

/// What one template segment is.
enum Kind<'t> {
    Literal(&'t str),
    Param,
    Rest,
}

fn is_name(s: &str) -> bool {
    !s.is_empty() && !s.contains(['/', '{', '}', '<', '>', ':', '*'])
}

/// Classifies segment `i` of a template.
fn classify(segment: &str, i: usize) -> Result<Kind<'_>, RouteError> {
    let inner = |open: char, close: char| segment.strip_prefix(open)?.strip_suffix(close);
    // A parameter's name: a parameter (one segment) or, with `rest`, the rest wildcard.
    let param = |name: &str, rest: bool| match (is_name(name), name.is_empty()) {
        (true, _) if rest => Ok(Kind::Rest),
        (true, _) => Ok(Kind::Param),
        (false, true) => Err(RouteError::UnnamedParameter(i)),
        (false, false) => Err(RouteError::MixedSegment(i)),
    };
    if segment == "*" {
        return Ok(Kind::Rest);
    }
    if let Some(name) = segment.strip_prefix('*') {
        return if is_name(name) { Ok(Kind::Rest) } else { Err(RouteError::MixedSegment(i)) };
    }
    if let Some(name) = segment.strip_prefix(':') {
        // `:name`, or `:name*` for the rest.
        return match name.strip_suffix('*') {
            Some(name) => param(name, true),
            None => param(name, false),
        };
    }
    if let Some(name) = inner('{', '}') {
        // `{name}`, or `{*name}` for the rest.
        return match name.strip_prefix('*') {
            Some(name) => param(name, true),
            None => param(name, false),
        };
    }
    if let Some(inside) = inner('<', '>') {
        // `<name>` or `<converter:name>` (Flask, Django); a converter with no name is unnamed.
        let name = inside.rsplit_once(':').map_or(inside, |(conv, name)| if is_name(conv) { name } else { "" });
        return param(name, false);
    }
    if segment.contains(['{', '}', '<', '>', '*']) {
        return Err(RouteError::MixedSegment(i));
    }
    Ok(Kind::Literal(segment))
}

/// `s` without one trailing `/`, unless `s` is just `/`.
fn trim_slash(s: &str) -> &str {
    match s.strip_suffix('/') {
        Some(head) if !head.is_empty() => head,
        _ => s,
    }
}

impl Route {
    /// Compiles a template; `ignore_case` folds literal segments.
    ///
    /// # Errors
    /// [`RouteError`] for an unnamed parameter, a segment that mixes a parameter with
    /// text, a rest wildcard before the end, or a template over [`MAX_GLOB_LEN`] bytes.
    pub fn new(template: &str, ignore_case: bool) -> Result<Route, RouteError> {
        if template.len() > MAX_GLOB_LEN {
            return Err(RouteError::TooLong(template.len()));
        }
        let parts: Vec<&str> = trim_slash(template).split('/').collect();
        let mut segments = Vec::with_capacity(parts.len());
        let mut rest = false;
        for (i, part) in parts.iter().enumerate() {
            match classify(part, i)? {
                Kind::Literal(text) if ignore_case => segments.push(Segment::Literal(fold_str(text).into())),
                Kind::Literal(text) => segments.push(Segment::Literal(text.into())),
                Kind::Param => segments.push(Segment::Param),
                Kind::Rest if i + 1 == parts.len() => rest = true,
                Kind::Rest => return Err(RouteError::RestNotLast(i)),
            }
        }
        Ok(Route { source: template.into(), segments: segments.into(), rest, ignore_case })
    }

    /// The template as written.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Whether literal segments compare without case.
    pub fn ignores_case(&self) -> bool {
        self.ignore_case
    }

    /// Whether `value` matches the template.
    ///
    /// ```
    /// use tracesieve::Route;
    /// let r = Route::new("/users/:id/files/{*rest}", false).unwrap();
    /// assert!(r.is_match("/users/42/files/a/b.txt"));
    /// assert!(!r.is_match("/users/42/files"));
    /// assert!(!r.is_match("/users//files/a"));
    /// ```
    pub fn is_match(&self, value: &str) -> bool {
        let mut parts = trim_slash(value).split('/');
        for segment in self.segments.iter() {
            let Some(part) = parts.next() else { return false };
            let ok = match segment {
                Segment::Param => !part.is_empty(),
                Segment::Literal(text) if self.ignore_case => part.chars().map(fold).eq(text.chars()),
                Segment::Literal(text) => part == &**text,
            };
            if !ok {
                return false;
            }
        }
        match parts.next() {
            // The rest wildcard needs at least one segment with something in it.
            Some(first) if self.rest => !first.is_empty() || parts.next().is_some(),
            Some(_) => false,
            None => !self.rest,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(template: &str, value: &str) -> bool {
        Route::new(template, false).unwrap().is_match(value)
    }

    #[test]
    fn parameter_forms_match_one_non_empty_segment() {
        for t in ["/users/:id", "/users/{id}", "/users/<id>", "/users/<int:id>"] {
            assert!(m(t, "/users/42"), "{t}");
            assert!(m(t, "/users/42/"), "{t}: one trailing slash");
            assert!(!m(t, "/users/42//"), "{t}: two trailing slashes");
            assert!(!m(t, "/users/"), "{t}: empty segment");
            assert!(!m(t, "/users"), "{t}");
            assert!(!m(t, "/users/42/x"), "{t}");
            assert!(!m(t, "/Users/42"), "{t}: case-sensitive");
        }
    }

    #[test]
    fn rest_forms_match_one_or_more_segments() {
        for t in ["/files/*", "/files/*path", "/files/{*path}", "/files/:path*"] {
            assert!(m(t, "/files/a"), "{t}");
            assert!(m(t, "/files/a/b/c"), "{t}");
            assert!(!m(t, "/files"), "{t}");
            assert!(!m(t, "/files/"), "{t}");
            assert!(!m(t, "/other/a"), "{t}");
        }
    }

    #[test]
    fn names_and_case() {
        assert!(m("GET /users/:id", "GET /users/7"));
        assert!(!m("GET /users/:id", "POST /users/7"));
        assert!(Route::new("/API/:v", true).unwrap().is_match("/api/x"));
        assert!(m("/", "/"));
        assert!(!m("/", "/a"));
        assert!(m("/v1/models/gemini:generate", "/v1/models/gemini:generate"));
    }

    #[test]
    fn bad_templates() {
        assert_eq!(Route::new("/users/:", false).unwrap_err(), RouteError::UnnamedParameter(2));
        assert_eq!(Route::new("/users/{}", false).unwrap_err(), RouteError::UnnamedParameter(2));
        assert_eq!(Route::new("/users/<int:>", false).unwrap_err(), RouteError::UnnamedParameter(2));
        assert_eq!(Route::new("/users/{id}.json", false).unwrap_err(), RouteError::MixedSegment(2));
        assert_eq!(Route::new("/a*b", false).unwrap_err(), RouteError::MixedSegment(1));
        assert_eq!(Route::new("/*/x", false).unwrap_err(), RouteError::RestNotLast(1));
        assert!(Route::new(&"a".repeat(MAX_GLOB_LEN + 1), false).is_err());
    }
}
