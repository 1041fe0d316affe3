//! A small, strict JSON reader and writer (RFC 8259): what policies are parsed with, and
//! what the bindings write their replies in. It keeps `serde_json` (and its float tables)
//! out of builds that only need this, such as the wasm module of the npm package.
//!
//! ```
//! use tracesieve::json::{self, Value};
//!
//! let v = json::parse(r#"{"rate": 0.25, "ids": ["a", "b"]}"#).unwrap();
//! assert_eq!(v.get("rate").and_then(Value::as_f64), Some(0.25));
//! assert_eq!(v.to_string(), r#"{"rate":0.25,"ids":["a","b"]}"#);
//! assert!(json::parse("[1,]").unwrap_err().contains("line 1 column 4"));
//! ```

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// The deepest nesting of arrays and objects [`parse`] accepts (as `serde_json`'s default).
pub const MAX_NESTING: usize = 128;

pub use crate::text::object::OrderedMap;

/// A JSON object: its members in document order; a repeated key keeps its first place and
/// its last value ([`parse_strict`] reports repeated keys).
pub type Map = OrderedMap<Value>;

/// A JSON value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number: always finite (a literal beyond `f64` is a parse error).
    Number(f64),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object.
    Object(Map),
}

impl Value {
    /// The number, if this is one.
    pub fn as_f64(&self) -> Option<f64> {
        if let Value::Number(n) = self { Some(*n) } else { None }
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        if let Value::Bool(b) = self { Some(*b) } else { None }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        if let Value::String(s) = self { Some(s) } else { None }
    }

    /// The items, if this is an array.
    pub fn as_array(&self) -> Option<&[Value]> {
        if let Value::Array(a) = self { Some(a) } else { None }
    }

    /// The members, if this is an object.
    pub fn as_object(&self) -> Option<&Map> {
        if let Value::Object(o) = self { Some(o) } else { None }
    }

    /// The member `key`, if this is an object that has it.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object()?.get(key)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.into())
    }
}

impl From<f64> for Value {
    fn from(n: f64) -> Self {
        Value::Number(n)
    }
}

impl From<u64> for Value {
    fn from(n: u64) -> Self {
        Value::Number(n as f64)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

impl Value {
    /// The value as compact JSON text (non-finite numbers as `null`), as [`Display`](fmt::Display)
    /// writes it.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Value::Null => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Number(n) => write_number(out, *n),
            Value::String(s) => write_str(out, s),
            Value::Array(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    v.write(out);
                }
                out.push(']');
            }
            Value::Object(members) => {
                out.push('{');
                for (i, (k, v)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_str(out, k);
                    out.push(':');
                    v.write(out);
                }
                out.push('}');
            }
        }
    }
}

/// Writes `n` as JSON: as [`Value::to_json`] writes numbers, and `null` if not finite.
pub fn write_number(out: &mut String, n: f64) {
    if n.is_finite() { crate::text::num::write_f64(out, n) } else { out.push_str("null") }
}

/// Compact JSON text. Numbers are written as JavaScript's `JSON.stringify` writes them for
/// integers (`2`, not `2.0`) and in shortest round-trip form otherwise (`0.1`, `1e-7`).
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_json())
    }
}

/// Writes `s` as a JSON string literal, with `"`, `\` and control characters escaped (for
/// bindings that write JSON text as they go).
pub fn write_str(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..0x20 => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if escape.is_empty() {
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// Parses one JSON document (surrounding whitespace allowed).
///
/// # Errors
/// What is wrong and where, e.g. `expected a value at line 1 column 4`: a syntax error, a
/// lone surrogate escape, a number beyond `f64`, or nesting deeper than [`MAX_NESTING`].
pub fn parse(text: &str) -> Result<Value, String> {
    parse_with(text, None)
}

/// Parses one JSON document as [`parse`] does, and lists the path of every repeated object
/// key (each after the first), in document order: `rules`, `rules[0].when.path`,
/// `custom["user.tier"]`. Where [`parse`] silently keeps the last value of a repeated key,
/// a policy reader can report it.
///
/// ```
/// let (v, repeated) = tracesieve::json::parse_strict(r#"{"a": {"b": 1, "b": 2}, "a": 3}"#).unwrap();
/// assert_eq!(v.get("a").and_then(|a| a.as_f64()), Some(3.0));
/// assert_eq!(repeated, ["a.b", "a"]);
/// ```
///
/// # Errors
/// As [`parse`].
pub fn parse_strict(text: &str) -> Result<(Value, Vec<String>), String> {
    let mut repeated = Repeated { path: String::new(), found: Vec::new() };
    parse_with(text, Some(&mut repeated)).map(|v| (v, repeated.found))
}

/// Where the reader is (a JSON path) and the repeated keys found so far.
struct Repeated {
    path: String,
    found: Vec<String>,
}

fn parse_with(text: &str, repeated: Option<&mut Repeated>) -> Result<Value, String> {
    let mut r = Parser { text, at: 0, repeated };
    let value = r.value(MAX_NESTING).and_then(|v| {
        r.space();
        if r.at == text.len() { Ok(v) } else { Err("trailing characters") }
    });
    value.map_err(|what| {
        let before = &text.as_bytes()[..r.at.min(text.len())];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = before.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
        format!("{what} at line {line} column {column}")
    })
}

struct Parser<'t, 'r> {
    text: &'t str,
    at: usize,
    repeated: Option<&'r mut Repeated>,
}

type Parsed<T> = Result<T, &'static str>;

impl Parser<'_, '_> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    /// Consumes `word` if the text continues with it.
    fn eat(&mut self, word: &str) -> bool {
        let found = self.text[self.at..].starts_with(word);
        if found {
            self.at += word.len();
        }
        found
    }

    fn value(&mut self, depth: usize) -> Parsed<Value> {
        self.space();
        match self.peek() {
            None => Err("EOF while parsing a value"),
            Some(b'"') => self.string().map(Value::String),
            Some(b'[' | b'{') if depth == 0 => Err("recursion limit exceeded"),
            Some(b'[') => self.array(depth - 1),
            Some(b'{') => self.object(depth - 1),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ if self.eat("null") => Ok(Value::Null),
            _ if self.eat("true") => Ok(Value::Bool(true)),
            _ if self.eat("false") => Ok(Value::Bool(false)),
            _ => Err("expected a value"),
        }
    }

    /// The items after `[`, through the closing `]`.
    fn array(&mut self, depth: usize) -> Parsed<Value> {
        self.at += 1;
        let mut items = Vec::new();
        self.space();
        if self.eat("]") {
            return Ok(Value::Array(items));
        }
        loop {
            let mark = self.enter(|parent| crate::text::path::index_path(parent, items.len()));
            items.push(self.value(depth)?);
            self.leave(mark);
            self.space();
            if self.eat("]") {
                return Ok(Value::Array(items));
            }
            if !self.eat(",") {
                return Err("expected `,` or `]`");
            }
        }
    }

    /// The members after `{`, through the closing `}`.
    fn object(&mut self, depth: usize) -> Parsed<Value> {
        self.at += 1;
        let mut members = Map::new();
        self.space();
        if self.eat("}") {
            return Ok(Value::Object(members));
        }
        loop {
            self.space();
            if self.peek() != Some(b'"') {
                return Err("expected a string key");
            }
            let key = self.string()?;
            self.space();
            if !self.eat(":") {
                return Err("expected `:`");
            }
            let mark = self.enter(|parent| crate::text::path::key_path(parent, &key));
            let value = self.value(depth)?;
            if members.insert(key, value).is_some() {
                if let Some(r) = self.repeated.as_deref_mut() {
                    r.found.push(r.path.clone());
                }
            }
            self.leave(mark);
            self.space();
            if self.eat("}") {
                return Ok(Value::Object(members));
            }
            if !self.eat(",") {
                return Err("expected `,` or `}`");
            }
        }
    }

    /// When tracking repeated keys, moves the path to a child (`child` makes its path from
    /// the parent's); returns where the parent's path ends.
    fn enter(&mut self, child: impl FnOnce(&str) -> String) -> usize {
        match self.repeated.as_deref_mut() {
            Some(r) => {
                let end = r.path.len();
                r.path = child(&r.path);
                end
            }
            None => 0,
        }
    }

    /// Moves the path back to the parent's, which ended at `end`.
    fn leave(&mut self, end: usize) {
        if let Some(r) = self.repeated.as_deref_mut() {
            r.path.truncate(end);
        }
    }

    /// A number literal, in JSON's grammar, read exactly (correctly rounded).
    fn number(&mut self) -> Parsed<Value> {
        let start = self.at;
        let digits = |r: &mut Self| {
            let from = r.at;
            while matches!(r.peek(), Some(b'0'..=b'9')) {
                r.at += 1;
            }
            r.at - from
        };
        self.eat("-");
        match digits(self) {
            0 => return Err("invalid number"),
            n if n > 1 && self.text.as_bytes()[self.at - n] == b'0' => return Err("invalid number"),
            _ => {}
        }
        if self.eat(".") && digits(self) == 0 {
            return Err("invalid number");
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if !self.eat("+") {
                self.eat("-");
            }
            if digits(self) == 0 {
                return Err("invalid number");
            }
        }
        match crate::text::num::parse_f64(&self.text[start..self.at]) {
            Some(n) if n.is_finite() => Ok(Value::Number(n)),
            _ => Err("number out of range"),
        }
    }

    /// A string literal, from its opening quote through its closing one.
    fn string(&mut self) -> Parsed<String> {
        self.at += 1;
        let mut out = String::new();
        loop {
            let rest = &self.text.as_bytes()[self.at..];
            let plain = rest.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20);
            let Some(n) = plain else { return Err("EOF while parsing a string") };
            out.push_str(&self.text[self.at..self.at + n]);
            self.at += n;
            match rest[n] {
                b'"' => {
                    self.at += 1;
                    return Ok(out);
                }
                b'\\' => {
                    self.at += 1;
                    out.push(self.escape()?);
                }
                _ => return Err("control character in a string"),
            }
        }
    }

    /// The character of the escape after a backslash (a surrogate pair as one).
    fn escape(&mut self) -> Parsed<char> {
        let c = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.at += 1;
                let unit = self.hex4()?;
                return match unit {
                    0xd800..0xdc00 if self.eat("\\u") => match self.hex4()? {
                        low @ 0xdc00..0xe000 => {
                            let c = 0x10000 + ((u32::from(unit) - 0xd800) << 10) + (u32::from(low) - 0xdc00);
                            char::from_u32(c).ok_or("invalid escape")
                        }
                        _ => Err("lone leading surrogate in hex escape"),
                    },
                    0xd800..0xe000 => Err("lone surrogate in hex escape"),
                    _ => char::from_u32(u32::from(unit)).ok_or("invalid escape"),
                };
            }
            _ => return Err("invalid escape"),
        };
        self.at += 1;
        Ok(c)
    }

    fn hex4(&mut self) -> Parsed<u16> {
        let hex = self.text.get(self.at..self.at + 4).ok_or("EOF while parsing a string")?;
        let unit = u16::from_str_radix(hex, 16).map_err(|_| "invalid escape")?;
        if hex.starts_with('+') {
            return Err("invalid escape");
        }
        self.at += 4;
        Ok(unit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn reads_what_json_allows() {
        let v = parse(" {\"a\": [1, -0.5, 2e3, true, null, \"x\\u00e9\\ud83d\\ude00\\n\"], \"a\": 3} ").unwrap();
        assert_eq!(v.get("a"), Some(&Value::Number(3.0)), "the last of a repeated key wins");
        let v = parse("[1, -0.5, 2E+3, 0.1e-2, true, null, \"x\\u00e9\\ud83d\\ude00\\n\\/\"]").unwrap();
        let items = v.as_array().unwrap();
        assert_eq!(items[2].as_f64(), Some(2000.0));
        assert_eq!(items[3].as_f64(), Some(0.001));
        assert_eq!(items[6].as_str(), Some("xé😀\n/"));
        assert_eq!(parse("0.1").unwrap().as_f64(), Some(0.1), "exact");
        assert_eq!(parse("123456789012345678901234567890").unwrap().as_f64(), Some(1.2345678901234568e29));
    }

    #[test]
    fn refuses_what_json_does_not() {
        for (text, what) in [
            ("", "EOF while parsing a value at line 1 column 1"),
            ("[1,]", "expected a value at line 1 column 4"),
            ("{\"a\": 1,}", "expected a string key"),
            ("{a: 1}", "expected a string key"),
            ("[1 2]", "expected `,` or `]`"),
            ("{\"a\" 1}", "expected `:`"),
            ("{\"a\": 1 \"b\"}", "expected `,` or `}`"),
            ("01", "invalid number"),
            ("1.", "invalid number"),
            ("-", "invalid number"),
            ("1e", "invalid number"),
            (".5", "expected a value"),
            ("1e400", "number out of range"),
            ("\"\\ud800\"", "lone surrogate"),
            ("\"\\ud800\\u0041\"", "lone leading surrogate"),
            ("\"\\udc00\"", "lone surrogate"),
            ("\"\\u+123\"", "invalid escape"),
            ("\"\\x\"", "invalid escape"),
            ("\"a\tb\"", "control character"),
            ("\"abc", "EOF while parsing a string"),
            ("nul", "expected a value"),
            ("1 2", "trailing characters at line 1 column 3"),
            ("[\n  1,\n  ]", "expected a value at line 3 column 3"),
        ] {
            let err = parse(text).unwrap_err();
            assert!(err.contains(what), "{text:?}: {err}");
        }
    }

    #[test]
    fn nesting_is_bounded_without_recursing_past_it() {
        let ok = "[".repeat(MAX_NESTING) + &"]".repeat(MAX_NESTING);
        assert!(parse(&ok).is_ok());
        let deep = "[".repeat(100_000) + &"]".repeat(100_000);
        assert!(parse(&deep).unwrap_err().contains("recursion limit exceeded"));
    }

    #[test]
    fn writes_what_it_reads() {
        let text = r#"{"a":[1,-0.5,2000,0.001,1e-7,true,null],"b":"q\"\\\n\u0001é","c":{}}"#;
        let v = parse(text).unwrap();
        assert_eq!(parse(&v.to_string()).unwrap(), v);
        assert_eq!(Value::Number(2.0).to_string(), "2");
        assert_eq!(Value::Number(0.1).to_string(), "0.1");
        assert_eq!(Value::Number(f64::NAN).to_string(), "null");
        assert_eq!(Value::from("\u{1}").to_string(), "\"\\u0001\"");
    }
}
