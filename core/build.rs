//! Generates `$OUT_DIR/lowercase_table.rs`, the compact simple lower-case table behind
//! `ignoreCase` (see `src/compile/lowercase.rs`).
//!
//! `char::to_lowercase` would pull core's own lower-case tables (about 12 KB) into every
//! binary, the wasm module included. Most of that mapping is runs of consecutive characters
//! (stride 1, e.g. Cyrillic) or of every other character (stride 2, e.g. Latin Extended-A)
//! that all move by the same amount, so a list of such runs is about ten times smaller.
//!
//! The runs are derived here, on the host, from the host's own `char::to_lowercase`: a build
//! script is compiled by the same compiler as the crate, so its core has the same Unicode
//! version, and the table gives exactly the answers `char::to_lowercase` would give.
//!
//! Output: two parallel arrays, sorted by start and not overlapping.
//! - `RANGES: [u32; N]`, one run each: `start << 9 | len << 1 | (stride - 1)`, covering
//!   `start + k * stride` for `k < len`.
//! - `DELTAS: [u16; N]`: what a run adds to the low 16 bits of a character, wrapping. A
//!   character and its lower case are always in the same Unicode plane (checked here), and
//!   `u16` keeps an entry at 6 bytes where an `i32` would need 8.

use std::fmt::Write;
use std::{env, fs, path::Path};

/// The longest run one entry holds: its length is stored in 8 bits (longer runs are split).
const MAX_LEN: u32 = 255;

/// The first character of `c`'s full lower-case mapping ("simple" lower case), as `u32`;
/// `c` itself for values that are not characters.
fn lower(c: u32) -> u32 {
    char::from_u32(c).map_or(c, |ch| ch.to_lowercase().next().map_or(c, u32::from))
}

/// `c` with `delta` added to its low 16 bits, as the generated lookup computes it.
fn apply(c: u32, delta: u16) -> u32 {
    c & !0xFFFF | u32::from((c as u16).wrapping_add(delta))
}

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    let (mut ranges, mut deltas) = (String::new(), String::new());
    let mut count = 0;
    let mut c = 0;
    while c <= u32::from(char::MAX) {
        if lower(c) == c {
            c += 1;
            continue;
        }
        let delta = (lower(c) as u16).wrapping_sub(c as u16);
        assert_eq!(apply(c, delta), lower(c), "U+{c:04X} and its lower case are in different planes");
        // How many characters `c + k * stride` move by `delta`; for stride 2 the characters
        // in between must be unchanged, since the run covers them too.
        let run = |stride: u32| {
            let follows = |k: &u32| {
                let x = c + k * stride;
                lower(x) == apply(x, delta) && (stride == 1 || lower(x - 1) == x - 1)
            };
            1 + (1..MAX_LEN).take_while(follows).count() as u32
        };
        let (one, two) = (run(1), run(2));
        let (len, stride) = if one >= two { (one, 1) } else { (two, 2) };
        write!(ranges, "{:#x}, ", c << 9 | len << 1 | (stride - 1)).unwrap();
        write!(deltas, "{delta:#x}, ").unwrap();
        count += 1;
        c += (len - 1) * stride + 1;
    }
    let table = format!(
        "/// The runs of characters whose lower case differs, sorted by start (see `build.rs`).\n\
         static RANGES: [u32; {count}] = [{ranges}];\n\
         /// What each run of `RANGES` adds to the low 16 bits of its characters, wrapping.\n\
         static DELTAS: [u16; {count}] = [{deltas}];\n"
    );
    let out = Path::new(&env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("lowercase_table.rs");
    fs::write(out, table).expect("write lowercase_table.rs");
}
