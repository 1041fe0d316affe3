//! JSON paths, as problems name where they are: `rules[2].when.path`,
//! `rules[0].when.attributes["gen_ai.system"]`.

use alloc::format;
use alloc::string::{String, ToString};

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
}
