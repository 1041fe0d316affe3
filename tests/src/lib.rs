//! Conformance vectors for tracesieve; the runner is `rust/vectors.rs`.
