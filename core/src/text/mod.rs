//! Text: the crate's own strict JSON reader and writer ([`json`], objects in document order), and numbers as text
//! ([`num`]: shortest round-trip formatting and correctly rounded parsing), and the JSON
//! paths problems are reported at ([`path`]).

pub mod json;
pub(crate) mod num;
pub(crate) mod object;
pub(crate) mod path;
