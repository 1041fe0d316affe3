//! Conformance support for tracesieve: the seeded generator of differential cases
//! ([`generate`]). The vector runner is `rust/vectors.rs`.

pub mod generate;
