//! Conformance support for tracesieve: the seeded generator of differential cases
//! ([`generate`]) and the Rust-shaped cases' transaction contexts ([`rust_shape`]). The
//! vector runner is `rust/vectors.rs`.

pub mod generate;
pub mod rust_shape;
