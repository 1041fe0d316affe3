// The native addon's per-platform packages (napi-rs layout): the loader picks the package
// for the platform, the architecture and the C library (musl or glibc, by /usr/bin/ldd or
// the process report); the main package lists the three as optional dependencies at its own
// version and carries no addon; the package `make build-js` writes for this machine is
// complete; installed side by side with a copy of the main package (no pkg/native/) it is
// what `tracesieve/native` loads, and without it the backend is wasm. `make dist`
// (scripts/test_dist.py) checks the packed tarballs of all three.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const pkg = fileURLToPath(new URL('../../pkg/', import.meta.url));
const platformDir = fileURLToPath(new URL('../../target/npm/', import.meta.url));
const { isMusl, nativeAddon } = require('../../pkg/src/platform.cjs');
const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
const PACKAGES = ['tracesieve-linux-arm64-gnu', 'tracesieve-linux-x64-gnu', 'tracesieve-linux-x64-musl'];

test('the loader picks the package by platform, architecture and C library', () => {
  assert.deepEqual(nativeAddon('linux', 'x64', false), { name: 'tracesieve-linux-x64-gnu', file: 'tracesieve.linux-x64-gnu.node' });
  assert.deepEqual(nativeAddon('linux', 'arm64', false), { name: 'tracesieve-linux-arm64-gnu', file: 'tracesieve.linux-arm64-gnu.node' });
  assert.deepEqual(nativeAddon('linux', 'x64', true), { name: 'tracesieve-linux-x64-musl', file: 'tracesieve.linux-x64-musl.node' });
  // No addon is built for these: wasm.
  for (const [platform, arch, musl] of [['linux', 'arm64', true], ['linux', 'ia32', false], ['darwin', 'arm64', false], ['win32', 'x64', false]]) {
    assert.equal(nativeAddon(platform, arch, musl), null, `${platform} ${arch}`);
  }
});

test('this machine: the C library as the process report gives it, and its package', () => {
  const glibc = process.report.getReport().header.glibcVersionRuntime;
  assert.equal(isMusl(), !glibc);
  assert.equal(nativeAddon()?.name, `tracesieve-${process.platform}-${process.arch}-${glibc ? 'gnu' : 'musl'}`);
});

test('without /usr/bin/ldd, the process report decides: glibc when it gives glibcVersionRuntime', () => {
  // A fresh process whose fs cannot read /usr/bin/ldd (before platform.cjs takes readFileSync),
  // and whose report says glibc (as Node's does here) or not.
  const script = (glibc) => `
    const fs = require('node:fs');
    const read = fs.readFileSync;
    fs.readFileSync = (path, ...rest) => { if (path === '/usr/bin/ldd') throw new Error('ENOENT'); return read(path, ...rest); };
    const report = process.report.getReport;
    process.report.getReport = () => { const r = report.call(process.report); ${glibc ? '' : 'delete r.header.glibcVersionRuntime;'} return r; };
    process.report.excludeNetwork = false;
    const { isMusl } = require(${JSON.stringify(join(pkg, 'src', 'platform.cjs'))});
    console.log(JSON.stringify([isMusl(), process.report.excludeNetwork]));`;
  const run = (glibc) => JSON.parse(execFileSync(process.execPath, ['-e', script(glibc)], { encoding: 'utf8' }));
  assert.deepEqual(run(true), [false, false]);
  assert.deepEqual(run(false), [true, false]);
});

test('the main package: the three packages as optional dependencies at its version, no addon inside', () => {
  assert.deepEqual(Object.keys(manifest.optionalDependencies).sort(), PACKAGES);
  for (const version of Object.values(manifest.optionalDependencies)) assert.equal(version, manifest.version);
  assert.ok(!manifest.files.some((f) => f.startsWith('native')), manifest.files.join(' '));
  assert.ok(existsSync(join(pkg, 'native', nativeAddon().file)), 'make build-js puts the addon in pkg/native/ for the tests');
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: pkg, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  const paths = packed.files.map((f) => f.path);
  assert.ok(paths.includes('src/platform.cjs'));
  assert.deepEqual(paths.filter((p) => p.endsWith('.node') || p.startsWith('native/')), []);
});

test("this machine's platform package: napi-rs layout, one version, both licenses, the addon the tests use", () => {
  const { name, file } = nativeAddon();
  const dir = join(platformDir, name);
  const platform = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const libc = name.endsWith('-musl') ? 'musl' : 'glibc';
  assert.deepEqual(
    { name: platform.name, version: platform.version, os: platform.os, cpu: platform.cpu, libc: platform.libc, main: platform.main },
    { name, version: manifest.version, os: [process.platform], cpu: [process.arch], libc: [libc], main: file },
  );
  assert.deepEqual(platform.files, [file, 'LICENSE-MIT', 'LICENSE-APACHE']);
  assert.equal(platform.license, manifest.license);
  assert.deepEqual(platform.repository, manifest.repository);
  for (const license of ['LICENSE-MIT', 'LICENSE-APACHE']) {
    assert.deepEqual(readFileSync(join(dir, license)), readFileSync(join(pkg, license)), license);
  }
  assert.match(readFileSync(join(dir, 'README.md'), 'utf8'), new RegExp(`^# ${name}\n`));
  assert.deepEqual(readFileSync(join(dir, file)), readFileSync(join(pkg, 'native', file)));
});

/** `backend` of tracesieve/native in a project whose node_modules holds `packages` (name -> directory). */
function installedBackend(packages) {
  const project = mkdtempSync(join(tmpdir(), 'tracesieve-napi-'));
  try {
    for (const [name, dir] of Object.entries(packages)) {
      cpSync(dir, join(project, 'node_modules', name), { recursive: true });
    }
    const script = "const t = require('tracesieve/native'); console.log(JSON.stringify([t.backend, t.createTracesSampler({ defaultRate: 0.25 })({ name: 'x' })]))";
    return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: project, encoding: 'utf8' }));
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
}

test('installed: tracesieve/native loads the platform package, and falls back to wasm without it', () => {
  const { name } = nativeAddon();
  const main = mkdtempSync(join(tmpdir(), 'tracesieve-main-'));
  try {
    // The main package as installed: no pkg/native/.
    for (const p of ['package.json', 'src', 'dist', 'wasm']) cpSync(join(pkg, p), join(main, p), { recursive: true });
    assert.deepEqual(installedBackend({ tracesieve: main, [name]: join(platformDir, name) }), ['native', 0.25]);
    assert.deepEqual(installedBackend({ tracesieve: main }), ['wasm', 0.25]);
  } finally {
    rmSync(main, { recursive: true, force: true });
  }
});
