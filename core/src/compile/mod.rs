//! Stage 2, compile: a validated policy becomes compiled rules ([`rules`]) whose conditions
//! ([`condition`]) hold compiled matchers ([`matcher`], over the [`glob`](crate::text::glob)s
//! and [`route`](crate::text::route) templates of `text/`); the fields they read are
//! collected ([`requirements`], with the AI predicate's signals from [`ai_signals`]); and
//! the compiled rules can be written as bytes and read back ([`bytes`], over the
//! [`codec`], checksummed by [`hash`]). Evaluating them is stage 4's (`decide/`).

pub(crate) mod ai_signals;
pub mod bytes;
pub(crate) mod codec;
pub(crate) mod condition;
pub(crate) mod hash;
pub(crate) mod matcher;
pub(crate) mod requirements;
pub(crate) mod rules;
