// The package's command, `tracesieve` (pkg/bin/tracesieve.js), run as a user's build step
// would: `compile` writes a compiled policy that every backend loads; bad policies exit 1
// listing their problems; usage errors exit 2. (The other commands are the Rust command
// line: tests/cli/front_ends.py compares them with the Rust binary and python -m.)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as wasm from 'tracesieve';
import * as native from 'tracesieve/native';

const bin = new URL('../../pkg/bin/tracesieve.js', import.meta.url).pathname;
const run = (...args) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

function withDir(body) {
  const dir = mkdtempSync(join(tmpdir(), 'tracesieve-cli-'));
  try {
    body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const POLICY = { defaultRate: 0.2, genAi: { routes: ['/api/chat*'] }, rules: [{ id: 'health', when: { path: '/healthz' }, rate: 0 }] };

test('compile writes a compiled policy that every backend loads', () => {
  withDir((dir) => {
    const file = join(dir, 'sampling.json');
    writeFileSync(file, JSON.stringify(POLICY));
    const toStdout = run('compile', file);
    assert.equal(toStdout.status, 0, toStdout.stderr);
    const out = join(dir, 'sampling.compiled.json');
    assert.equal(run('compile', file, '-o', out).status, 0);
    const compiled = JSON.parse(readFileSync(out, 'utf8'));
    assert.deepEqual(JSON.parse(toStdout.stdout), compiled);
    assert.deepEqual(Object.keys(compiled), ['tracesieve', 'compiled']);
    assert.equal(compiled.tracesieve, wasm.version);
    assert.deepEqual(compiled, wasm.compilePolicy(POLICY));
    for (const lib of [wasm, native]) {
      const sampler = lib.createTracesSampler(compiled);
      assert.equal(sampler({ name: 'GET /healthz' }), 0);
      assert.equal(sampler({ name: 'POST /api/chat' }), 1);
      assert.equal(sampler({ name: 'GET /orders' }), 0.2);
    }
  });
});

test('a bad policy exits 1 listing every problem with its path', () => {
  withDir((dir) => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ defaultRate: 2, rules: [{ when: { path: { prefix: 3 } }, rate: 1 }] }));
    for (const args of [['compile', file], ['check', file]]) {
      const r = run(...args);
      assert.equal(r.status, 1);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /bad\.json: invalid tracesieve policy \(2 problems\)/);
      assert.match(r.stderr, /defaultRate: expected a number in \[0, 1\], found 2/);
      assert.match(r.stderr, /rules\[0\]\.when\.path\.prefix: expected a string or an array of strings, found 3/);
    }
    assert.match(run('compile', join(dir, 'missing.json')).stderr, /cannot read .*missing\.json/);
  });
});

test('check, --version, usage', () => {
  withDir((dir) => {
    const a = join(dir, 'a.json');
    const b = join(dir, 'b.json');
    writeFileSync(a, '{"defaultRate": 1}');
    writeFileSync(b, JSON.stringify(POLICY));
    const r = run('check', a, b);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '2 policies valid\n');
  });
  assert.equal(run('--version').stdout, `${wasm.version}\n`);
  assert.match(run('--help').stdout, /^usage: tracesieve <command>/);
  assert.match(run('--help').stdout, /\n  compile POLICY \[-o OUT\] /);
  assert.match(run('compile', '--help').stdout, /^usage: tracesieve compile POLICY/);
  const unknown = run('frobnicate');
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown command frobnicate\n\nusage:/);
  assert.equal(run('compile').status, 2);
});
