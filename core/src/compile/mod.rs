//! Stage 2, compile: a validated policy becomes compiled conditions ([`condition`]) over
//! compiled matchers ([`matcher`]: globs, route templates, case-folded patterns), and a
//! compiled sampler can be written as bytes and loaded back ([`bytes`]).

pub mod bytes;
pub(crate) mod condition;
pub(crate) mod glob;
pub(crate) mod lowercase;
pub(crate) mod matcher;
pub(crate) mod route;
