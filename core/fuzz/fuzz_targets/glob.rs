//! Glob matching against a reference matcher (plain dynamic programming over characters),
//! for arbitrary patterns and strings, with and without ignoreCase.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use tracesieve::Glob;

#[derive(Arbitrary, Debug)]
struct Input {
    pattern: String,
    haystack: String,
    ignore_case: bool,
}

#[derive(Clone, Copy, PartialEq)]
enum Tok {
    Char(char),
    One,
    Star,
}

fn fold(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

/// The reference: `None` for a pattern with a dangling escape.
fn reference(pattern: &str, s: &str, ignore_case: bool) -> Option<bool> {
    let norm = |c: char| if ignore_case { fold(c) } else { c };
    let mut toks = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        toks.push(match c {
            '*' => Tok::Star,
            '?' => Tok::One,
            '\\' => Tok::Char(norm(chars.next()?)),
            c => Tok::Char(norm(c)),
        });
    }
    let s: Vec<char> = s.chars().map(norm).collect();
    // m[j]: the first i tokens match the first j characters.
    let mut m = vec![false; s.len() + 1];
    m[0] = true;
    for t in toks {
        let mut next = vec![false; s.len() + 1];
        for j in 0..=s.len() {
            next[j] = match t {
                Tok::Star => m[j] || (j > 0 && next[j - 1]),
                Tok::One => j > 0 && m[j - 1],
                Tok::Char(c) => j > 0 && m[j - 1] && s[j - 1] == c,
            };
        }
        m = next;
    }
    Some(m[s.len()])
}

fuzz_target!(|input: Input| {
    if input.pattern.len() > 64 || input.haystack.len() > 256 {
        return;
    }
    let want = reference(&input.pattern, &input.haystack, input.ignore_case);
    match Glob::new(&input.pattern, input.ignore_case) {
        Ok(g) => assert_eq!(Some(g.is_match(&input.haystack)), want, "{input:?}"),
        Err(_) => assert_eq!(want, None, "{input:?}"),
    }
});
