// Deno and Bun for real (the npm packages `deno` and `bun`, pinned in package.json, ship the
// binaries): runtimes/decide.mjs, the README's quick start, imports 'tracesieve' as each
// runtime resolves it and prints its decisions. Deno gets the full wasm module (the `deno`
// condition), which it reads from the package through a file: URL: without --allow-read it
// must fail with Deno's own message, as docs/runtimes.md says. Bun gets the Node entries,
// and the native addon through 'tracesieve/native'.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const here = new URL('./', import.meta.url).pathname;
const bin = (name) => join(here, 'node_modules', '.bin', name);
const version = JSON.parse(readFileSync(new URL('../../pkg/package.json', import.meta.url))).version;
const EXPECTED = { health: 0, checkout: 1, other: 0.25, version, defaultExport: true };

/** Runs `cmd args` in tests/js; its status, its last stdout line as JSON (if any), stderr. */
function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { cwd: here, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NO_COLOR: '1', ...env } });
  assert.equal(r.error, undefined, `${cmd}: ${r.error}`);
  const last = r.stdout.trim().split('\n').pop();
  return { status: r.status, out: r.status === 0 ? JSON.parse(last) : null, stderr: r.stderr };
}

test('Deno: the full wasm module, with --allow-read; a clear refusal without it', () => {
  const denoDir = mkdtempSync(join(tmpdir(), 'tracesieve-deno-'));
  try {
    const env = { DENO_DIR: denoDir };
    const ok = run(bin('deno'), ['run', '--no-lock', '--allow-read', 'runtimes/decide.mjs'], env);
    assert.equal(ok.status, 0, ok.stderr);
    assert.deepEqual(ok.out, { ...EXPECTED, backend: 'wasm' });
    const denied = run(bin('deno'), ['run', '--no-lock', 'runtimes/decide.mjs'], env);
    assert.notEqual(denied.status, 0);
    assert.match(denied.stderr, /NotCapable: Requires read access to ".*pkg\/wasm\/full\.wasm", run again with the --allow-read flag/);
  } finally {
    rmSync(denoDir, { recursive: true, force: true });
  }
});

test('Bun: the Node entries (wasm), and the native addon through tracesieve/native', () => {
  const wasm = run(bin('bun'), ['runtimes/decide.mjs']);
  assert.equal(wasm.status, 0, wasm.stderr);
  assert.deepEqual(wasm.out, { ...EXPECTED, backend: 'wasm' });
  const native = run(bin('bun'), ['runtimes/decide.mjs', 'native']);
  assert.equal(native.status, 0, native.stderr);
  assert.deepEqual(native.out, { ...EXPECTED, backend: 'native' });
});
