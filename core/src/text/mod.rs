//! Text: the crate's own strict JSON reader and writer ([`json`]), and numbers as text
//! ([`num`]: shortest round-trip formatting and correctly rounded parsing).

pub mod json;
pub(crate) mod num;
