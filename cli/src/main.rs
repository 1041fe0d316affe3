//! The `tracesieve` command: [`tracesieve_cli::run`] over the process's files and streams.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = tracesieve_cli::run(&args, &mut tracesieve_cli::StdIo::new());
    std::process::exit(code);
}
