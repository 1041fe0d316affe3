// The documentation of this module is docs/policy.md of the repository (core/policy.md is a
// link to it, which `cargo package` resolves): the policy reference, readable on docs.rs.
// The module holds no items.
#![doc = include_str!("../policy.md")]
