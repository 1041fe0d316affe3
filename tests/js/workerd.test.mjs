// Cloudflare Workers for real: the Worker (workerd/worker.mjs) bundled as wrangler bundles it
// (esbuild, the `workerd`, `worker` and `browser` conditions, `.wasm` files kept as modules
// that workerd imports compiled), run by workerd (miniflare, from npm), its decisions read
// over HTTP on 127.0.0.1. `await ready()` needs no argument there: the entry imports its
// wasm module.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';

const here = new URL('./', import.meta.url);
const pkgVersion = JSON.parse(readFileSync(new URL('../../pkg/package.json', here))).version;

test('Cloudflare Workers (workerd): `await ready()` then decisions over HTTP', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tracesieve-workerd-'));
  let mf;
  try {
    await build({
      entryPoints: [new URL('workerd/worker.mjs', here).pathname],
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      conditions: ['workerd', 'worker', 'browser'],
      mainFields: ['browser', 'module', 'main'],
      loader: { '.wasm': 'copy' },
      outdir: dir,
      entryNames: 'worker',
      logLevel: 'warning',
    });
    const wasm = readdirSync(dir).filter((f) => f.endsWith('.wasm'));
    assert.equal(wasm.length, 1, 'the Worker carries one wasm module');
    assert.equal(readFileSync(join(dir, wasm[0])).length, readFileSync(new URL('../../pkg/wasm/full.wasm', here)).length);
    mf = new Miniflare({
      modules: true,
      scriptPath: join(dir, 'worker.js'),
      modulesRoot: dir,
      modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
      compatibilityDate: '2026-07-01',
      host: '127.0.0.1',
      port: 0,
    });
    const base = await mf.ready;
    assert.equal(base.hostname, '127.0.0.1');
    const decide = async (name, op = 'http.server') => {
      const res = await fetch(new URL(`/?name=${encodeURIComponent(name)}&op=${op}`, base));
      assert.equal(res.status, 200, await res.clone().text());
      return res.json();
    };
    const health = await decide('GET /healthz');
    assert.equal(health.rate, 0);
    assert.equal(health.explain.ruleId, 'health');
    assert.equal(health.backend, 'wasm');
    assert.equal(health.version, pkgVersion);
    assert.equal(health.sameDefault, true);
    const checkout = await decide('POST /checkout/pay');
    assert.equal(checkout.rate, 1);
    assert.equal(checkout.explain.ruleId, 'checkout');
    const other = await decide('GET /');
    assert.equal(other.rate, 0.25);
    assert.equal(other.explain.reason, 'default');
  } finally {
    await mf?.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});
