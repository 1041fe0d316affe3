#!/usr/bin/env node
// The tracesieve command. `check`, `explain`, `simulate`, `diff` and `help` are the Rust
// command line (cli/, built to wasm in pkg/wasm-cli: a module of its own, so that the
// sampler's modules stay small); this file only reads files and writes its outputs, so
// its output is byte for byte that of the Rust binary and of `python -m tracesieve`.
// `compile` (for the browser module, which has no policy compiler) is npm-only:
//
//   tracesieve compile <policy.json> [-o <out.json>]   the compiled policy as JSON
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

const COMPILE_USAGE = `usage: tracesieve compile POLICY [-o OUT]

Validates a policy and writes it compiled, as JSON ({"tracesieve", "compiled"}), to OUT or
standard output: what createTracesSampler and createBeforeSend take in browsers. Compiled
policies are for the same version of tracesieve.
`;

/** The reason a file cannot be read, as the Rust command words it. */
function reason(e) {
  switch (e.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    default:
      return 'cannot read';
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** What the Rust command reads and writes through (`Host` in cli/wasm/src/lib.rs). */
const host = {
  read(path) {
    let bytes;
    try {
      bytes = readFileSync(path === '-' ? 0 : path);
    } catch (e) {
      throw reason(e);
    }
    try {
      return utf8.decode(bytes);
    } catch {
      throw 'not UTF-8';
    }
  },
  out: (text) => writeSync(1, text),
  err: (text) => writeSync(2, text),
  get errIsTerminal() {
    return Boolean(process.stderr.isTTY);
  },
};

/** Writes all of `text` to a file descriptor (synchronously: the exit code comes last). */
function writeSync(fd, text) {
  const { writeSync: write } = require('node:fs');
  const buf = Buffer.from(text, 'utf8');
  for (let off = 0; off < buf.length; ) {
    try {
      off += write(fd, buf, off);
    } catch (e) {
      if (e.code === 'EAGAIN') continue;
      if (e.code === 'EPIPE') return;
      throw e;
    }
  }
}

function compile(rest) {
  const lib = require('../src/node.cjs');
  const fail = (message, code) => {
    process.stderr.write(`tracesieve: ${message}\n`);
    process.exit(code);
  };
  if (rest.includes('--help') || rest.includes('-h')) return void process.stdout.write(COMPILE_USAGE);
  const out = rest.indexOf('-o');
  const output = out >= 0 ? rest[out + 1] : undefined;
  const files = out >= 0 ? rest.filter((_, i) => i !== out && i !== out + 1) : rest;
  if (files.length !== 1 || (out >= 0 && !output)) fail(`compile takes one policy file\n\n${COMPILE_USAGE}`, 2);
  let text;
  try {
    text = host.read(files[0]);
  } catch (e) {
    fail(`cannot read ${files[0]}: ${e}`, 2);
  }
  let compiled;
  try {
    compiled = lib.compilePolicy(text);
  } catch (e) {
    if (!(e instanceof lib.PolicyError)) throw e;
    fail(`${files[0]}: ${e.message}`, 1);
  }
  const json = `${JSON.stringify(compiled)}\n`;
  if (output) writeFileSync(output, json);
  else process.stdout.write(json);
}

const args = process.argv.slice(2);
if (args[0] === 'compile') {
  compile(args.slice(1));
} else {
  const cli = require('../wasm-cli/tracesieve_cli_wasm.js');
  process.exitCode = cli.run(args, host);
}
