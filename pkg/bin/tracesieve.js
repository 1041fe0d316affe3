#!/usr/bin/env node
// The tracesieve command: compiles a policy for the browser module (which has no policy
// compiler) and checks policies, e.g. in a build step or CI.
//
//   tracesieve compile <policy.json> [-o <out.json>]   the compiled policy as JSON
//   tracesieve check <policy.json>...                  validate; exit 1 listing problems
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const lib = require('../src/node.cjs');

const USAGE = `usage: tracesieve compile <policy.json> [-o <out.json>]
       tracesieve check <policy.json>...
       tracesieve --version

compile  validates a policy and writes it compiled, as JSON ({"tracesieve", "compiled"}),
         to <out.json> or standard output: what createTracesSampler and createBeforeSend
         take in browsers. Compiled policies are for the same version of tracesieve.
check    validates policies and lists every problem with its JSON path.`;

function fail(message) {
  process.stderr.write(`tracesieve: ${message}\n`);
  process.exit(1);
}

/** The policy file's compiled form, or exit listing its problems. */
function compile(file) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    fail(`cannot read ${file}: ${e.message}`);
  }
  try {
    return lib.compilePolicy(text);
  } catch (e) {
    if (!(e instanceof lib.PolicyError)) throw e;
    fail(`${file}: ${e.message}`);
  }
}

function main(args) {
  const [command, ...rest] = args;
  if (command === '--version') return void process.stdout.write(`${lib.version}\n`);
  if (command === 'compile') {
    const out = rest.indexOf('-o');
    const output = out >= 0 ? rest[out + 1] : undefined;
    const files = out >= 0 ? rest.filter((_, i) => i !== out && i !== out + 1) : rest;
    if (files.length !== 1 || (out >= 0 && !output)) fail(`compile takes one policy file\n${USAGE}`);
    const json = `${JSON.stringify(compile(files[0]))}\n`;
    if (output) writeFileSync(output, json);
    else process.stdout.write(json);
    return;
  }
  if (command === 'check' && rest.length > 0) {
    for (const file of rest) compile(file);
    return void process.stdout.write(`${rest.length} ${rest.length === 1 ? 'policy' : 'policies'} valid\n`);
  }
  if (command === '--help' || command === '-h') return void process.stdout.write(`${USAGE}\n`);
  fail(`unknown command${command ? ` ${command}` : ''}\n${USAGE}`);
}

main(process.argv.slice(2));
