//! A small argument parser: positional arguments, flags and `--name value` options.

use crate::{Io, USAGE};

/// The parsed arguments of one command.
pub struct Args {
    /// Positional arguments (`-` included), in order.
    pub positional: Vec<String>,
    /// Flags that were given (`--strict`).
    pub flags: Vec<&'static str>,
    /// Options with their values (`--format json`, `--format=json`).
    pub options: Vec<(&'static str, String)>,
    /// Whether `--help` or `-h` was given.
    pub help: bool,
}

impl Args {
    /// Parses `args` for a command that knows `flags` and `options` (names with `--`).
    /// On error, writes it with the command's `help` and returns the exit code.
    pub fn parse(
        args: &[String],
        flags: &[&'static str],
        options: &[&'static str],
        help: &str,
        io: &mut dyn Io,
    ) -> Result<Args, i32> {
        let mut out = Args { positional: Vec::new(), flags: Vec::new(), options: Vec::new(), help: false };
        let mut iter = args.iter();
        let mut only_positional = false;
        while let Some(arg) = iter.next() {
            if only_positional || arg == "-" || !arg.starts_with('-') {
                out.positional.push(arg.clone());
                continue;
            }
            if arg == "--" {
                only_positional = true;
            } else if arg == "--help" || arg == "-h" {
                out.help = true;
            } else if let Some(flag) = flags.iter().find(|f| **f == arg) {
                out.flags.push(flag);
            } else {
                let (name, inline) = match arg.split_once('=') {
                    Some((n, v)) => (n, Some(v.to_string())),
                    None => (arg.as_str(), None),
                };
                let Some(option) = options.iter().find(|o| **o == name) else {
                    return Err(usage_error(&format!("unknown option {arg}"), help, io));
                };
                let Some(value) = inline.or_else(|| iter.next().cloned()) else {
                    return Err(usage_error(&format!("{option} needs a value"), help, io));
                };
                out.options.push((option, value));
            }
        }
        Ok(out)
    }

    /// Whether `flag` was given.
    pub fn flag(&self, flag: &str) -> bool {
        self.flags.contains(&flag)
    }

    /// The last value of `option`, if given.
    pub fn option(&self, option: &str) -> Option<&str> {
        self.options.iter().rev().find(|(o, _)| *o == option).map(|(_, v)| v.as_str())
    }

    /// The value of `option`, which must be one of `allowed` (the first is the default).
    pub fn choice(
        &self,
        option: &str,
        allowed: &[&'static str],
        help: &str,
        io: &mut dyn Io,
    ) -> Result<&'static str, i32> {
        match self.option(option) {
            None => Ok(allowed[0]),
            Some(v) => allowed.iter().find(|a| **a == v).copied().ok_or_else(|| {
                usage_error(&format!("{option} must be one of {}, not {v:?}", allowed.join(", ")), help, io)
            }),
        }
    }
}

/// Writes `message` and the command's help to standard error; returns [`USAGE`].
pub fn usage_error(message: &str, help: &str, io: &mut dyn Io) -> i32 {
    io.err(&format!("tracesieve: {message}\n\n{help}"));
    USAGE
}
