// The package's export conditions, resolved as bundlers and runtimes resolve them: browsers
// get the browser module (no policy compiler), Cloudflare Workers (`workerd`, `worker`) the
// full module imported as a module, edge runtimes the full wasm module (also when their
// bundler sets `browser` as well), Node its own entries; `tracesieve/full` has the compiler
// everywhere. Each wasm module is one file, also a subpath export.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { build } from 'esbuild';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';

/** The package files a bundle of `import * from spec` pulls in, under `conditions`. */
async function resolved(spec, conditions, platform = 'neutral') {
  const out = await build({
    stdin: { contents: `export * from '${spec}';`, resolveDir: new URL('.', import.meta.url).pathname },
    bundle: true,
    write: false,
    format: 'esm',
    platform,
    conditions,
    mainFields: platform === 'browser' ? ['browser', 'module', 'main'] : ['module', 'main'],
    metafile: true,
    logLevel: 'silent',
    outdir: 'out',
    loader: { '.wasm': 'file' },
    external: ['node:*'],
  });
  return Object.keys(out.metafile.inputs)
    .map((f) => f.replace(/^.*?pkg\//, ''))
    .filter((f) => /^(src|wasm)\//.test(f))
    .sort();
}

const BROWSER = ['src/browser.js', 'src/shim.js', 'src/web.js', 'src/wire.js', 'wasm/lite/tracesieve_wasm.js'];
const FULL = ['src/full.js', 'src/shim.js', 'src/web.js', 'src/wire.js', 'wasm/web/tracesieve_wasm.js'];
const WORKERD = ['src/shim.js', 'src/web.js', 'src/wire.js', 'src/workerd.js', 'wasm/full.wasm', 'wasm/web/tracesieve_wasm.js'];

test('browsers get the browser module', async () => {
  assert.deepEqual(await resolved('tracesieve', [], 'browser'), BROWSER);
  assert.deepEqual(await resolved('tracesieve', ['browser']), BROWSER);
});

test('Cloudflare Workers get the full module imported as a module, also where `browser` is set too', async () => {
  for (const condition of ['worker', 'workerd']) {
    assert.deepEqual(await resolved('tracesieve', [condition]), WORKERD, condition);
  }
  // Wrangler (Cloudflare Workers) bundles with these conditions.
  assert.deepEqual(await resolved('tracesieve', ['workerd', 'worker', 'browser']), WORKERD, 'wrangler');
});

test('edge runtimes and Deno get the full wasm module, also where they set `browser` too', async () => {
  for (const condition of ['edge-light', 'deno']) {
    assert.deepEqual(await resolved('tracesieve', [condition]), FULL, condition);
  }
  // Next.js edge builds with edge-light and browser.
  assert.deepEqual(await resolved('tracesieve', ['edge-light'], 'browser'), FULL, 'next.js edge');
  assert.deepEqual(await resolved('tracesieve', []), FULL, 'no condition: the default');
});

test('tracesieve/browser is the browser module under any condition', async () => {
  for (const conditions of [[], ['worker'], ['workerd', 'worker', 'browser']]) {
    assert.deepEqual(await resolved('tracesieve/browser', conditions), BROWSER, conditions.join());
  }
});

test('tracesieve/full, /wasm and /native outside Node: the full wasm module', async () => {
  for (const spec of ['tracesieve/full', 'tracesieve/wasm', 'tracesieve/native']) {
    assert.deepEqual(await resolved(spec, [], 'browser'), FULL, spec);
  }
});

test('each wasm module is one file, exported as a subpath', async () => {
  const require = createRequire(import.meta.url);
  assert.match(require.resolve('tracesieve/wasm/browser.wasm'), /pkg\/wasm\/browser\.wasm$/);
  assert.match(require.resolve('tracesieve/wasm/full.wasm'), /pkg\/wasm\/full\.wasm$/);
  const wasmFiles = (dir) =>
    readdirSync(dir, { recursive: true }).filter((f) => f.endsWith('.wasm')).sort();
  assert.deepEqual(wasmFiles(new URL('../../pkg/wasm/', import.meta.url)), ['browser.wasm', 'full.wasm']);
});

test('a default export in Node (import and require) with every named export', async () => {
  const esm = await import('tracesieve');
  assert.equal(esm.default.createTracesSampler, esm.createTracesSampler);
  assert.equal(esm.default.ready, esm.ready);
  const cjs = createRequire(import.meta.url)('tracesieve');
  assert.equal(cjs, esm.default, 'one instance for import and require');
  assert.equal(typeof cjs.createTracesSampler({ defaultRate: 1 }), 'function');
});
