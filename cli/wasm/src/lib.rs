//! The tracesieve command line for Node: [`run`] runs `tracesieve_cli::run` with the
//! files read and the outputs written by the JavaScript host (`pkg/bin/tracesieve.js`).

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// The JavaScript side: `{ read(path), out(text), err(text), errIsTerminal }`.
    pub type Host;

    /// The text of `path` (`-`: standard input); throws the shared reason string.
    #[wasm_bindgen(method, catch)]
    fn read(this: &Host, path: &str) -> Result<String, JsValue>;
    /// Writes to standard output.
    #[wasm_bindgen(method)]
    fn out(this: &Host, text: &str);
    /// Writes to standard error.
    #[wasm_bindgen(method)]
    fn err(this: &Host, text: &str);
    /// Whether standard error is a terminal.
    #[wasm_bindgen(method, getter, js_name = errIsTerminal)]
    fn err_is_terminal(this: &Host) -> bool;
}

struct JsIo<'h> {
    host: &'h Host,
    out: String,
}

impl tracesieve_cli::Io for JsIo<'_> {
    fn read(&mut self, path: &str) -> Result<String, String> {
        self.host.read(path).map_err(|e| e.as_string().unwrap_or_else(|| "cannot read".into()))
    }
    fn out(&mut self, text: &str) {
        self.out.push_str(text);
        if self.out.len() > 1 << 16 {
            self.flush();
        }
    }
    fn err(&mut self, text: &str) {
        self.flush();
        self.host.err(text);
    }
    fn err_is_terminal(&self) -> bool {
        self.host.err_is_terminal()
    }
    fn flush(&mut self) {
        if !self.out.is_empty() {
            self.host.out(&self.out);
            self.out.clear();
        }
    }
}

/// Runs the command line `args` (without the program name); returns the exit code.
#[wasm_bindgen]
pub fn run(args: Vec<String>, host: &Host) -> i32 {
    tracesieve_cli::run(&args, &mut JsIo { host, out: String::new() })
}
