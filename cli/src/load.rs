//! Reading inputs: files by name (or `-`), policies, and the messages when they fail.

use tracesieve::Sampler;

use crate::{INVALID, Io, USAGE};

/// How a file is named in messages: its path, or `<stdin>` for `-`.
pub fn display(path: &str) -> &str {
    if path == "-" { "<stdin>" } else { path }
}

/// The text of `path`, or writes `cannot read PATH: REASON` and returns [`USAGE`].
pub fn text(path: &str, io: &mut dyn Io) -> Result<String, i32> {
    io.read(path).map_err(|reason| {
        io.err(&format!("tracesieve: cannot read {}: {reason}\n", display(path)));
        USAGE
    })
}

/// The sampler of the policy file `path`, or writes why not and returns the exit code:
/// [`USAGE`] when it cannot be read, [`INVALID`] when it is not a valid policy (every
/// problem with its JSON path; JSON syntax errors with their line and column).
pub fn policy(path: &str, io: &mut dyn Io) -> Result<Sampler, i32> {
    let text = text(path, io)?;
    Sampler::from_json(&text).map_err(|e| {
        io.err(&format!("{}: {e}\n", display(path)));
        INVALID
    })
}
