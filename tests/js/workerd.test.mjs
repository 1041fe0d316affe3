// Cloudflare Workers for real: the Worker (workerd/worker.mjs) bundled as wrangler bundles it
// (esbuild, the `workerd`, `worker` and `browser` conditions, `.wasm` files kept as modules
// that workerd imports compiled), run by workerd (miniflare, from npm), its decisions read
// over HTTP on 127.0.0.1. `await ready()` needs no argument there: the entry imports its
// wasm module. Then the same with @sentry/cloudflare's `withSentry`, which sends the sampled
// roots to a DSN on 127.0.0.1.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';

const here = new URL('./', import.meta.url);
const pkgVersion = JSON.parse(readFileSync(new URL('../../pkg/package.json', here))).version;

/** Bundles `entry` as wrangler does into `dir` (worker.js and the wasm file beside it). */
async function bundleWorker(entry, dir) {
  await build({
    entryPoints: [new URL(entry, here).pathname],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    loader: { '.wasm': 'copy' },
    external: ['node:*', 'cloudflare:*'],
    outdir: dir,
    entryNames: 'worker',
    logLevel: 'warning',
  });
}

/** The bundled Worker in `dir` run by workerd (miniflare) on 127.0.0.1. */
function worker(dir, options = {}) {
  return new Miniflare({
    modules: true,
    scriptPath: join(dir, 'worker.js'),
    modulesRoot: dir,
    modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
    compatibilityDate: '2026-07-01',
    host: '127.0.0.1',
    port: 0,
    ...options,
  });
}

test('Cloudflare Workers (workerd): `await ready()` then decisions over HTTP', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tracesieve-workerd-'));
  let mf;
  try {
    await bundleWorker('workerd/worker.mjs', dir);
    const wasm = readdirSync(dir).filter((f) => f.endsWith('.wasm'));
    assert.equal(wasm.length, 1, 'the Worker carries one wasm module');
    assert.equal(readFileSync(join(dir, wasm[0])).length, readFileSync(new URL('../../pkg/wasm/full.wasm', here)).length);
    mf = worker(dir);
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

test('Cloudflare Workers with @sentry/cloudflare withSentry: roots sampled per policy, sent to the DSN', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tracesieve-workerd-sentry-'));
  const envelopes = [];
  const sink = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      envelopes.push(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200).end('{}');
    });
  });
  await new Promise((r) => sink.listen(0, '127.0.0.1', r));
  let mf;
  try {
    await bundleWorker('workerd/sentry-worker.mjs', dir);
    mf = worker(dir, {
      compatibilityFlags: ['nodejs_compat'],
      bindings: { DSN: `http://public@127.0.0.1:${sink.address().port}/1` },
    });
    const base = await mf.ready;
    const seen = {};
    for (const path of ['/healthz', '/checkout/pay', '/other']) {
      const res = await fetch(new URL(path, base));
      assert.equal(res.status, 200, await res.clone().text());
      seen[path] = await res.json();
    }
    // @sentry/cloudflare names the root by its method alone when it samples it (the path is
    // in `url.path`): policies match `path` there, not `name` (docs/runtimes.md).
    assert.deepEqual(seen['/healthz'], { name: 'GET', op: 'http.server', rate: 0, ruleId: 'health' });
    assert.deepEqual(seen['/checkout/pay'], { name: 'GET', op: 'http.server', rate: 1, ruleId: 'checkout' });
    assert.equal(seen['/other'].rate, 0);
    // The SDK flushes through ctx.waitUntil after each response (SDK 11 sends roots as span
    // envelopes): wait for the one sampled root.
    const sent = () => envelopes.filter((e) => /"type":"(transaction|span)"/.test(e));
    for (let i = 0; i < 50 && sent().length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(sent().length, 1, `one sampled root sent: ${envelopes.map((e) => e.slice(0, 300)).join('\n')}`);
    assert.match(sent()[0], /\/checkout\/pay/);
    assert.doesNotMatch(envelopes.join('\n'), /\/healthz|\/other/);
  } finally {
    await mf?.dispose();
    sink.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
