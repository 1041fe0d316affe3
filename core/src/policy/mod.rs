//! Stage 1, the policy: the typed model of the JSON format ([`model`]) and its keys
//! ([`keys`], one table per object), read from JSON
//! ([`parse`]), validated ([`validate`]), written back ([`serialize`]), and the errors
//! that report every problem with its JSON path ([`error`]); warnings about rules that
//! are valid but will not do what their author meant ([`lint`]).

pub(crate) mod error;
pub(crate) mod keys;
pub(crate) mod lint;
pub(crate) mod model;
pub(crate) mod parse;
pub(crate) mod serialize;
pub(crate) mod validate;
