//! Globs: `*` any run, `?` one character, `\` escapes. Linear-time matching.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::text::lowercase::fold;

/// The longest glob a policy may contain, in bytes.
pub const MAX_GLOB_LEN: usize = 4096;

/// Why a glob does not compile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GlobError {
    /// The glob ends with a lone `\`.
    DanglingEscape,
    /// The glob is longer than [`MAX_GLOB_LEN`] bytes.
    TooLong(usize),
}

impl fmt::Display for GlobError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GlobError::DanglingEscape => f.write_str("dangling escape at the end (write \\\\ for a backslash)"),
            GlobError::TooLong(n) => write!(f, "{n} bytes long (at most {MAX_GLOB_LEN})"),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Token {
    Char(char),
    AnyOne,
}

/// A run of tokens between two `*`.
#[derive(Clone, Debug)]
struct Segment {
    tokens: Vec<Token>,
    /// The segment as a plain string when it has no `?`: searched with `str::find`.
    literal: Option<String>,
}

impl Segment {
    fn new(tokens: Vec<Token>) -> Self {
        let literal = tokens
            .iter()
            .map(|t| match t {
                Token::Char(c) => Some(*c),
                Token::AnyOne => None,
            })
            .collect::<Option<String>>();
        Segment { tokens, literal }
    }

    /// Matches the segment at the start of `s`; returns the byte length matched.
    fn match_start(&self, s: &str, fold_case: bool) -> Option<usize> {
        let mut chars = s.char_indices();
        for token in &self.tokens {
            let (_, c) = chars.next()?;
            if let Token::Char(want) = token {
                if *want != if fold_case { fold(c) } else { c } {
                    return None;
                }
            }
        }
        Some(chars.next().map_or(s.len(), |(i, _)| i))
    }

    /// Matches the segment at the end of `s`; returns the byte offset where it starts.
    fn match_end(&self, s: &str, fold_case: bool) -> Option<usize> {
        let mut chars = s.char_indices().rev();
        let mut start = s.len();
        for token in self.tokens.iter().rev() {
            let (i, c) = chars.next()?;
            if let Token::Char(want) = token {
                if *want != if fold_case { fold(c) } else { c } {
                    return None;
                }
            }
            start = i;
        }
        Some(start)
    }

    /// Finds the leftmost match in `s`; returns its byte range.
    fn find(&self, s: &str, fold_case: bool) -> Option<(usize, usize)> {
        if let (Some(lit), false) = (&self.literal, fold_case) {
            return s.find(lit.as_str()).map(|i| (i, i + lit.len()));
        }
        s.char_indices()
            .map(|(i, _)| i)
            .chain(core::iter::once(s.len()))
            .find_map(|i| self.match_start(&s[i..], fold_case).map(|n| (i, i + n)))
    }
}

/// The common shapes of a case-sensitive glob, matched with plain string comparisons.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum GlobShape {
    /// `abc`
    Exact(String),
    /// `abc*`
    Prefix(String),
    /// `*abc`
    Suffix(String),
    /// `*abc*`
    Contains(String),
    /// `*`
    Anything,
    /// Anything else: segment matching.
    General,
}

/// A compiled glob.
///
/// `*` matches any run of characters (including none), `?` exactly one character, `\`
/// makes the next character literal. The glob matches the whole string. Matching never
/// backtracks past a `*`: each segment between stars is matched at its leftmost position,
/// which is enough for globs and keeps the time linear in practice.
#[derive(Clone, Debug)]
pub struct Glob {
    source: String,
    /// The segment before the first `*` (or the whole glob when it has no `*`).
    head: Segment,
    /// `None` when the glob has no `*`; else the segments between stars and the last one.
    star: Option<(Vec<Segment>, Segment)>,
    fold_case: bool,
    shape: GlobShape,
}

impl Glob {
    /// Compiles a glob; with `ignore_case`, it matches regardless of case.
    ///
    /// # Errors
    /// A trailing lone `\`, or a glob longer than [`MAX_GLOB_LEN`] bytes.
    ///
    /// ```
    /// let g = tracesieve::Glob::new("/api/*/chat?", false).unwrap();
    /// assert!(g.is_match("/api/v1/chats"));
    /// assert!(!g.is_match("/api/v1/chat"));
    /// ```
    pub fn new(pattern: &str, ignore_case: bool) -> Result<Glob, GlobError> {
        if pattern.len() > MAX_GLOB_LEN {
            return Err(GlobError::TooLong(pattern.len()));
        }
        let mut parts: Vec<Vec<Token>> = alloc::vec![Vec::new()];
        let mut chars = pattern.chars();
        while let Some(c) = chars.next() {
            let token = match c {
                '*' => {
                    parts.push(Vec::new());
                    continue;
                }
                '?' => Token::AnyOne,
                '\\' => Token::Char(chars.next().ok_or(GlobError::DanglingEscape)?),
                c => Token::Char(c),
            };
            let token = match (token, ignore_case) {
                (Token::Char(c), true) => Token::Char(fold(c)),
                (t, _) => t,
            };
            parts.last_mut().expect("parts is never empty").push(token);
        }
        let head = Segment::new(parts.remove(0));
        let star = parts.pop().map(|tail| {
            let middle = parts.into_iter().filter(|p| !p.is_empty()).map(Segment::new).collect();
            (middle, Segment::new(tail))
        });
        let shape = Self::classify(&head, star.as_ref(), ignore_case);
        Ok(Glob { source: pattern.into(), head, star, fold_case: ignore_case, shape })
    }

    fn classify(head: &Segment, star: Option<&(Vec<Segment>, Segment)>, fold_case: bool) -> GlobShape {
        let literal = |s: &Segment| s.literal.clone();
        if fold_case {
            return GlobShape::General;
        }
        let shape = match star {
            None => literal(head).map(GlobShape::Exact),
            Some((middle, tail)) => match (head.tokens.is_empty(), middle.as_slice(), tail.tokens.is_empty()) {
                (false, [], true) => literal(head).map(GlobShape::Prefix),
                (true, [], false) => literal(tail).map(GlobShape::Suffix),
                (true, [one], true) => literal(one).map(GlobShape::Contains),
                (true, [], true) => Some(GlobShape::Anything),
                _ => None,
            },
        };
        shape.unwrap_or(GlobShape::General)
    }

    /// The glob's shape: a plain string comparison, or [`GlobShape::General`].
    pub(crate) fn shape(&self) -> &GlobShape {
        &self.shape
    }

    /// Whether it matches regardless of case.
    pub(crate) fn ignores_case(&self) -> bool {
        self.fold_case
    }

    /// The glob as written.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Whether the whole of `s` matches.
    pub fn is_match(&self, s: &str) -> bool {
        match &self.shape {
            GlobShape::Exact(lit) => return s == lit,
            GlobShape::Prefix(lit) => return s.starts_with(lit.as_str()),
            GlobShape::Suffix(lit) => return s.ends_with(lit.as_str()),
            GlobShape::Contains(lit) => return s.contains(lit.as_str()),
            GlobShape::Anything => return true,
            GlobShape::General => {}
        }
        let Some(head_len) = self.head.match_start(s, self.fold_case) else {
            return false;
        };
        let Some((middle, tail)) = &self.star else {
            return head_len == s.len();
        };
        let rest = &s[head_len..];
        let Some(tail_start) = tail.match_end(rest, self.fold_case) else {
            return false;
        };
        let mut window = &rest[..tail_start];
        for segment in middle {
            match segment.find(window, self.fold_case) {
                Some((_, end)) => window = &window[end..],
                None => return false,
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, s: &str) -> bool {
        Glob::new(p, false).unwrap().is_match(s)
    }

    #[test]
    fn literal_star_and_question() {
        assert!(m("", ""));
        assert!(!m("", "a"));
        assert!(m("*", ""));
        assert!(m("*", "anything/at/all"));
        assert!(m("/api", "/api"));
        assert!(!m("/api", "/api/chat"));
        assert!(m("/api*", "/api/chat"));
        assert!(m("*chat", "/api/chat"));
        assert!(m("*/api/*", "x/api/y"));
        assert!(!m("*/api/*", "x/ap/y"));
        assert!(m("a?c", "abc"));
        assert!(m("a?c", "aéc"));
        assert!(!m("a?c", "ac"));
        assert!(m("a*b*c", "abc"));
        assert!(m("a*b*c", "aXbYbZc"));
        assert!(!m("a*b*c", "acb"));
        assert!(!m("ab*ba", "aba"));
        assert!(m("ab*ba", "abba"));
        assert!(m("**a**", "a"));
    }

    #[test]
    fn escapes() {
        assert!(m(r"\*", "*"));
        assert!(!m(r"\*", "a"));
        assert!(m(r"a\?", "a?"));
        assert!(!m(r"a\?", "ab"));
        assert!(m(r"\\*", r"\x"));
        assert_eq!(Glob::new("abc\\", false).unwrap_err(), GlobError::DanglingEscape);
    }

    #[test]
    fn ignore_case() {
        let g = Glob::new("/API/*", true).unwrap();
        assert!(g.is_match("/api/Chat"));
        assert!(Glob::new("ÄPFEL", true).unwrap().is_match("äpfel"));
        assert!(!Glob::new("ÄPFEL", false).unwrap().is_match("äpfel"));
    }

    #[test]
    fn pathological_pattern_is_fast() {
        let s: String = core::iter::repeat_n('a', 100_000).collect();
        let g = Glob::new("*a*a*a*a*a*a*a*a*b", false).unwrap();
        assert!(!g.is_match(&s));
        let g = Glob::new("*a?a*a*a*a*a*a*a*b*", true).unwrap();
        assert!(!g.is_match(&s));
    }

    #[test]
    fn too_long() {
        let p: String = core::iter::repeat_n('a', MAX_GLOB_LEN + 1).collect();
        assert!(matches!(Glob::new(&p, false), Err(GlobError::TooLong(_))));
    }
}
