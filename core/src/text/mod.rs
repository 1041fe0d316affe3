//! Text: the crate's own strict JSON reader and writer ([`json`], objects in document
//! order by [`object`]), numbers as text ([`num`]: shortest round-trip formatting and
//! correctly rounded parsing), the JSON paths problems are reported at ([`path`]), and the
//! pattern languages of policies: [`glob`]s and [`route`] templates, case-folded by
//! [`lowercase`]. The policy validates its patterns with them; `compile/` matches with them.

pub(crate) mod glob;
pub mod json;
pub(crate) mod lowercase;
pub(crate) mod num;
pub(crate) mod object;
pub(crate) mod path;
pub(crate) mod route;
