//! The tracesieve command line, written once for every front end.
//!
//! [`run`] takes the arguments (without the program name) and an [`Io`] that reads files
//! (or standard input, `-`) and writes standard output and standard error; it returns the
//! exit code. The Rust binary (`src/main.rs`), the Python package (`python -m tracesieve`)
//! and the npm package (`npx tracesieve`, through a wasm build of this crate) only supply
//! an [`Io`], so their outputs are the same byte for byte.
//!
//! Exit codes: [`OK`] (0), [`INVALID`] (1: an invalid policy, or warnings with `--strict`),
//! [`USAGE`] (2: bad arguments, unreadable or malformed input).

mod args;
mod check;
mod context;
mod diff;
mod explain;
mod html;
mod io;
mod load;
mod simulate;
mod table;
mod traffic;

pub use io::{Io, MemoryIo, StdIo};

/// Exit code: success.
pub const OK: i32 = 0;
/// Exit code: an invalid policy, or warnings with `--strict`.
pub const INVALID: i32 = 1;
/// Exit code: a usage error, or input that cannot be read or parsed.
pub const USAGE: i32 = 2;

/// The usage of the whole command, printed by `help`, `--help` and without arguments.
pub const USAGE_TEXT: &str = "\
usage: tracesieve <command> [options]

commands:
  check POLICY...                 validate policies: every problem, then warnings
  explain POLICY CONTEXT          the decision for one root, and why
  simulate POLICY TRAFFIC         what a policy keeps of recorded traffic (JSONL)
  diff OLD NEW TRAFFIC            what changes between two policies on recorded traffic
  compile POLICY [-o OUT]         (npm package only) compile a policy for the browser module
  help [COMMAND]                  this text, or a command's

Files may be `-` for standard input. `tracesieve help COMMAND` or `tracesieve COMMAND --help`
describes a command. Exit codes: 0 ok, 1 invalid policy (or warnings with --strict),
2 usage error or unreadable input.
";

/// Runs the command line `args` (without the program name); returns the exit code.
pub fn run(args: &[String], io: &mut dyn Io) -> i32 {
    let code = dispatch(args, io);
    io.flush();
    code
}

fn dispatch(args: &[String], io: &mut dyn Io) -> i32 {
    let Some((command, rest)) = args.split_first() else {
        io.err(USAGE_TEXT);
        return USAGE;
    };
    match command.as_str() {
        "check" => check::main(rest, io),
        "explain" => explain::main(rest, io),
        "simulate" => simulate::main(rest, io),
        "diff" => diff::main(rest, io),
        "help" | "--help" | "-h" => help(rest, io),
        "--version" | "-V" => {
            io.out(&format!("{}\n", tracesieve::VERSION));
            OK
        }
        other => {
            io.err(&format!("tracesieve: unknown command {other}\n\n{USAGE_TEXT}"));
            USAGE
        }
    }
}

/// `help [COMMAND]`.
fn help(rest: &[String], io: &mut dyn Io) -> i32 {
    let text = match rest.first().map(String::as_str) {
        None => USAGE_TEXT,
        Some("check") => check::HELP,
        Some("explain") => explain::HELP,
        Some("simulate") => simulate::HELP,
        Some("diff") => diff::HELP,
        Some(other) => {
            io.err(&format!("tracesieve: no help for unknown command {other}\n\n{USAGE_TEXT}"));
            return USAGE;
        }
    };
    io.out(text);
    OK
}
