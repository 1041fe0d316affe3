//! tracesieve with the real `sentry` crate: envelopes captured by its test transport.
fn main() {}
