//! What the command reads and writes, abstracted so that every front end runs the same code.

use std::io::{IsTerminal, Read, Write};

/// Files in, text out. `read` gets a file's text, or standard input's for `-`; failures
/// are a short reason shared by every front end (`no such file`, `permission denied`, `is a
/// directory`, `not UTF-8`, `cannot read`) so that messages agree byte for byte.
pub trait Io {
    /// The whole text of `path` (`-`: standard input), or why it cannot be read.
    fn read(&mut self, path: &str) -> Result<String, String>;
    /// Writes to standard output.
    fn out(&mut self, text: &str);
    /// Writes to standard error.
    fn err(&mut self, text: &str);
    /// Whether standard error is a terminal (for a progress bar). Default: no.
    fn err_is_terminal(&self) -> bool {
        false
    }
    /// Flushes what was written (called once, at the end of [`run`](crate::run)).
    fn flush(&mut self) {}
}

/// The process's files, standard input, output and error.
#[derive(Default)]
pub struct StdIo {
    out: Vec<u8>,
}

impl StdIo {
    /// A new `StdIo`; standard output is buffered until [`Io::flush`].
    pub fn new() -> Self {
        StdIo::default()
    }
}

/// The shared reason for an I/O error.
fn reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        NotFound => "no such file",
        PermissionDenied => "permission denied",
        IsADirectory => "is a directory",
        InvalidData => "not UTF-8",
        _ => "cannot read",
    }
    .into()
}

impl Io for StdIo {
    fn read(&mut self, path: &str) -> Result<String, String> {
        let mut bytes = Vec::new();
        let read = if path == "-" {
            std::io::stdin().lock().read_to_end(&mut bytes).map(|_| ())
        } else {
            std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut bytes)).map(|_| ())
        };
        read.map_err(|e| reason(&e))?;
        String::from_utf8(bytes).map_err(|_| "not UTF-8".into())
    }

    fn out(&mut self, text: &str) {
        self.out.extend_from_slice(text.as_bytes());
        if self.out.len() > 1 << 16 {
            self.flush();
        }
    }

    fn err(&mut self, text: &str) {
        self.flush();
        // A closed standard error has nowhere to report to.
        let _ = std::io::stderr().lock().write_all(text.as_bytes());
    }

    fn err_is_terminal(&self) -> bool {
        std::io::stderr().is_terminal()
    }

    fn flush(&mut self) {
        let mut stdout = std::io::stdout().lock();
        // A closed pipe (`| head`) is not an error of the command.
        let _ = stdout.write_all(&self.out).and_then(|()| stdout.flush());
        self.out.clear();
    }
}

/// Files held in memory, outputs collected: for tests and embedders.
#[derive(Default)]
pub struct MemoryIo {
    /// The files by path (`-` for standard input).
    pub files: Vec<(String, String)>,
    /// What was written to standard output.
    pub stdout: String,
    /// What was written to standard error.
    pub stderr: String,
}

impl Io for MemoryIo {
    fn read(&mut self, path: &str) -> Result<String, String> {
        self.files.iter().find(|(p, _)| p == path).map(|(_, t)| t.clone()).ok_or_else(|| "no such file".into())
    }
    fn out(&mut self, text: &str) {
        self.stdout.push_str(text);
    }
    fn err(&mut self, text: &str) {
        self.stderr.push_str(text);
    }
}
