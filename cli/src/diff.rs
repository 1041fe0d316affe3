//! todo
pub const HELP: &str = "";
pub fn main(_a: &[String], _io: &mut dyn crate::Io) -> i32 {
    0
}
