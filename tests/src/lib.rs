//! Conformance support for tracesieve: the seeded generator of differential cases
//! ([`generate`]) and the Rust-shaped cases' transaction contexts ([`rust_shape`]). The
//! vector runner is `rust/vectors.rs`.

pub mod generate;
pub mod rust_shape;

/// The repository README's Rust quick start, compiled as a doctest (with the `sentry`
/// feature this crate enables), so that it works as written.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeQuickStart;
