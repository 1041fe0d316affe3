//! Traffic lines (JSONL): canonical lines, as in `examples/traffic.jsonl`, and SDK-shaped
//! lines `{"sdk": "js", "context": {...}, "sampleRand": 0.42}`.

use serde_json::Value as Json;

use crate::context::{SDK_NAMES, Sdk};

/// One root of a traffic file, parsed.
pub struct Root {
    /// The line (1-based).
    pub line: usize,
    /// How to read [`Root::context`].
    pub sdk: Sdk,
    /// The whole line; the context is the line itself (canonical) or its `context`.
    pub json: Json,
    /// The trace's `sample_rand`, when the line has one.
    pub sample_rand: Option<f64>,
    /// Seconds since the Unix epoch, when the line has a `timestamp`.
    pub timestamp: Option<f64>,
}

impl Root {
    /// The context the sampler reads.
    pub fn context(&self) -> &Json {
        match self.sdk {
            Sdk::Canonical if self.json.get("sdk").is_none() => &self.json,
            _ => &self.json["context"],
        }
    }

    /// A short label for examples: the trace id, else the name, else the path.
    pub fn label(&self) -> String {
        let ctx = self.context();
        let s = |v: &Json, k: &str| v.get(k).and_then(Json::as_str).map(str::to_string);
        s(&self.json, "traceId").or_else(|| s(ctx, "name")).or_else(|| s(ctx, "path")).unwrap_or_default()
    }
}

/// The roots of `text`, read lazily; an error names `file:line`.
pub fn roots<'t>(file: &'t str, text: &'t str) -> impl Iterator<Item = Result<Root, String>> + 't {
    text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()).map(move |(i, l)| parse(file, i + 1, l))
}

fn parse(file: &str, line: usize, text: &str) -> Result<Root, String> {
    let at = |what: String| format!("{file}:{line}: {what}");
    let json: Json = serde_json::from_str(text)
        .map_err(|e| at(format!("invalid JSON at column {}: {}", e.column(), invalid_json_reason(&e))))?;
    if !json.is_object() {
        return Err(at("expected a JSON object (a traffic line)".into()));
    }
    let sdk = match json.get("sdk") {
        None => Sdk::Canonical,
        Some(name) => {
            let sdk = name.as_str().and_then(Sdk::from_name);
            let sdk =
                sdk.ok_or_else(|| at(format!("unknown sdk {name} (expected one of {})", SDK_NAMES.join(", "))))?;
            if !json.get("context").is_some_and(Json::is_object) {
                return Err(at("an \"sdk\" line needs a \"context\" object".into()));
            }
            sdk
        }
    };
    let sample_rand = match json.get("sampleRand") {
        None | Some(Json::Null) => None,
        Some(r) => Some(
            r.as_f64()
                .filter(|r| (0.0..1.0).contains(r))
                .ok_or_else(|| at(format!("sampleRand must be a number in [0, 1), not {r}")))?,
        ),
    };
    let timestamp = match json.get("timestamp") {
        None | Some(Json::Null) => None,
        Some(t) => Some(
            timestamp(t)
                .ok_or_else(|| at(format!("timestamp must be seconds since 1970 or an RFC 3339 date, not {t}")))?,
        ),
    };
    Ok(Root { line, sdk, json, sample_rand, timestamp })
}

/// serde_json's message without its position (a line is one line: the column is enough).
fn invalid_json_reason(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// Seconds since the epoch: a number, or an RFC 3339 text (`2025-01-31T12:00:00.5Z`, or
/// with an offset `+01:00`).
fn timestamp(t: &Json) -> Option<f64> {
    if let Some(n) = t.as_f64() {
        return n.is_finite().then_some(n);
    }
    let s = t.as_str()?;
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
    let (y, mo, d, h, mi, sec) = (num(0..4)?, num(5..7)?, num(8..10)?, num(11..13)?, num(14..16)?, num(17..19)?);
    if !matches!(s.as_bytes().get(10), Some(b'T' | b't' | b' ')) {
        return None;
    }
    let mut rest = &s[19..];
    let mut frac = 0.0;
    if let Some(r) = rest.strip_prefix('.') {
        let digits = r.find(|c: char| !c.is_ascii_digit()).unwrap_or(r.len());
        frac = format!("0.{}", &r[..digits]).parse().ok()?;
        rest = &r[digits..];
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let oh: i64 = rest.get(1..3)?.parse().ok()?;
            let om: i64 = rest.get(4..6)?.parse().ok()?;
            sign * (oh * 3600 + om * 60)
        }
    };
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if mo <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (mo + if mo > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some((days * 86_400 + h * 3600 + mi * 60 + sec - offset) as f64 + frac)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        assert_eq!(timestamp(&Json::from("1970-01-01T00:00:00Z")), Some(0.0));
        assert_eq!(timestamp(&Json::from("2025-01-31T12:00:00.5Z")), Some(1_738_324_800.5));
        assert_eq!(timestamp(&Json::from("2025-01-31T13:00:00+01:00")), Some(1_738_324_800.0));
        assert_eq!(timestamp(&serde_json::json!(12.5)), Some(12.5));
        assert_eq!(timestamp(&Json::from("yesterday")), None);
    }

    #[test]
    fn lines_and_errors() {
        let text =
            "{\"path\": \"/a\", \"sampleRand\": 0.5}\n\n{\"sdk\": \"js\", \"context\": {\"name\": \"GET /\"}}\n{bad";
        let got: Vec<_> = roots("t.jsonl", text).collect();
        assert_eq!(got.len(), 3);
        assert_eq!(got[0].as_ref().map(|r| r.sample_rand).ok(), Some(Some(0.5)));
        assert_eq!(got[1].as_ref().map(|r| (r.line, r.sdk)).ok(), Some((3, Sdk::Js)));
        assert!(got[2].as_ref().err().is_some_and(|e| e.starts_with("t.jsonl:4: invalid JSON at column ")));
        let unknown = roots("t", "{\"sdk\": \"go\", \"context\": {}}").next();
        assert!(unknown.is_some_and(|r| r.err().is_some_and(|e| e.contains("unknown sdk \"go\""))));
    }
}
