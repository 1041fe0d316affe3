//! `tracesieve check POLICY...`: every problem of every file, then every warning.

use crate::args::{Args, usage_error};
use crate::{INVALID, Io, OK, USAGE, load};

/// `tracesieve check --help`.
pub const HELP: &str = "\
usage: tracesieve check [--strict] POLICY...

Validates each policy file and lists, on standard error, every problem of every file
(with its JSON path; for invalid JSON, the line and column), then the warnings of the
valid ones: rules that never apply (shadowed by an earlier rule with the same condition,
or after a rule that matches everything), name patterns with route parameters, conditions
on attributes set only after sampling, custom keys that only one SDK passes.

options:
  --strict     fail (exit 1) on warnings too
  -h, --help   this text

Exit codes: 0 all valid, 1 a policy is invalid (or has warnings, with --strict),
2 a file cannot be read or bad arguments.
";

/// Runs `check`.
pub fn main(args: &[String], io: &mut dyn Io) -> i32 {
    let args = match Args::parse(args, &["--strict"], &[], HELP, io) {
        Ok(a) => a,
        Err(code) => return code,
    };
    if args.help {
        io.out(HELP);
        return OK;
    }
    if args.positional.is_empty() {
        return usage_error("check needs at least one policy file", HELP, io);
    }
    let (mut code, mut valid, mut warnings) = (OK, 0, Vec::new());
    for path in &args.positional {
        match load::policy(path, io) {
            Ok(sampler) => {
                valid += 1;
                let policy = sampler.policy().expect("compiled from JSON");
                warnings.extend(tracesieve::lint(policy).into_iter().map(|w| (load::display(path).to_string(), w)));
            }
            Err(c) => code = code.max(c),
        }
    }
    for (file, w) in &warnings {
        io.err(&format!("{file}: warning: {}: {} [{}]\n", w.path, w.message, w.code));
    }
    let total = args.positional.len();
    let noun = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    if code == OK {
        let mut summary = if total == 1 { "policy valid".to_string() } else { format!("{total} policies valid") };
        if !warnings.is_empty() {
            summary.push_str(&format!(", {}", noun(warnings.len(), "warning", "warnings")));
        }
        if args.flag("--strict") && !warnings.is_empty() {
            io.err(&format!("tracesieve: {summary} (--strict fails on warnings)\n"));
            return INVALID;
        }
        io.out(&format!("{}{summary}\n", if total == 1 { "1 " } else { "" }));
        return OK;
    }
    let failed = total - valid;
    let what = if code == USAGE { "invalid or unreadable" } else { "invalid" };
    io.err(&format!("tracesieve: {failed} of {} {what}\n", noun(total, "policy", "policies")));
    code
}
