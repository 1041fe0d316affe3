//! `python -m tracesieve`: the Rust command line (`tracesieve_cli`) with the process's
//! files and streams, so its output is byte for byte that of the other front ends.

use pyo3::prelude::*;

/// Runs the command line `args` (without the program name); returns the exit code.
#[pyfunction]
pub fn run_cli(py: Python<'_>, args: Vec<String>) -> i32 {
    py.detach(|| tracesieve_cli::run(&args, &mut tracesieve_cli::StdIo::new()))
}
