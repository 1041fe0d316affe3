//! Canonical field extraction helpers shared by every binding: the path of a URL, the
//! method and path of a name like `GET /api/chat`.

pub use crate::context::strip_query;

/// The HTTP methods recognised at the start of a span name.
pub const HTTP_METHODS: [&str; 9] = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "CONNECT", "TRACE"];

/// The path of a URL (`https://host/a/b?q#f` → `/a/b`), of a protocol-relative URL
/// (`//host/a`), or of an HTTP target (`/a/b?q` → `/a/b`). A URL without a path gives `/`.
///
/// ```
/// use tracesieve::extract::path_of;
/// assert_eq!(path_of("https://example.com/api/chat?x=1#top"), "/api/chat");
/// assert_eq!(path_of("http://example.com"), "/");
/// assert_eq!(path_of("/api/chat?stream=true"), "/api/chat");
/// ```
pub fn path_of(url: &str) -> &str {
    let after_authority = if let Some(rest) = url.strip_prefix("//") {
        Some(rest)
    } else {
        url.find("://").filter(|&i| is_scheme(&url[..i])).map(|i| &url[i + 3..])
    };
    match after_authority {
        Some(rest) => match rest.find(['/', '?', '#']) {
            Some(i) if rest.as_bytes()[i] == b'/' => strip_query(&rest[i..]),
            _ => "/",
        },
        None => strip_query(url),
    }
}

fn is_scheme(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// The method and path of a span name of the form `VERB /path` (`GET /api/chat?x` →
/// `("GET", "/api/chat")`), as JavaScript and Rust HTTP server roots are named. The verb
/// must be an upper-case HTTP method and the rest must start with `/`.
///
/// ```
/// use tracesieve::extract::split_name;
/// assert_eq!(split_name("POST /api/chat"), Some(("POST", "/api/chat")));
/// assert_eq!(split_name("GET"), None);
/// assert_eq!(split_name("generic WSGI request"), None);
/// ```
pub fn split_name(name: &str) -> Option<(&str, &str)> {
    let (verb, rest) = name.split_once(' ')?;
    (HTTP_METHODS.contains(&verb) && rest.starts_with('/')).then(|| (verb, strip_query(rest)))
}

/// The method of a `VERB /path` name, or a bare verb name (`GET`, as JavaScript v11 names
/// streamed server roots).
pub fn method_of_name(name: &str) -> Option<&str> {
    split_name(name).map(|(m, _)| m).or_else(|| HTTP_METHODS.contains(&name).then_some(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(path_of("https://x.io/api/chat?x=1"), "/api/chat");
        assert_eq!(path_of("https://x.io?x=1"), "/");
        assert_eq!(path_of("//x.io/a#b"), "/a");
        assert_eq!(path_of("/a/b"), "/a/b");
        assert_eq!(path_of("/a/b#frag"), "/a/b");
        assert_eq!(path_of("a:b/c"), "a:b/c");
        assert_eq!(path_of(""), "");
    }

    #[test]
    fn names() {
        assert_eq!(split_name("GET /x?y=1"), Some(("GET", "/x")));
        assert_eq!(split_name("get /x"), None);
        assert_eq!(split_name("GET x"), None);
        assert_eq!(method_of_name("GET"), Some("GET"));
        assert_eq!(method_of_name("chat gpt-4o"), None);
    }
}
