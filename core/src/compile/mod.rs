//! Stage 2, compile: a validated policy becomes compiled conditions ([`condition`]) over
//! compiled matchers ([`matcher`]: [`glob`]s, [`route`] templates, patterns folded by
//! [`lowercase`]); the fields they read are collected ([`requirements`]); and a compiled
//! sampler can be written as bytes and loaded back ([`bytes`], checksummed by [`hash`]).

pub mod bytes;
pub(crate) mod condition;
pub(crate) mod glob;
pub(crate) mod hash;
pub(crate) mod lowercase;
pub(crate) mod matcher;
pub(crate) mod requirements;
pub(crate) mod route;
