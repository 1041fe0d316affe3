// The package's export conditions, resolved as bundlers and runtimes resolve them: browsers
// get the browser module (no policy compiler), workers and edge runtimes the full wasm
// module (also when their bundler sets `browser` as well), Node its own entries;
// `tracesieve/full` has the compiler everywhere.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { build } from 'esbuild';

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
    external: ['node:*'],
  });
  return Object.keys(out.metafile.inputs)
    .map((f) => f.replace(/^.*?pkg\//, ''))
    .filter((f) => /^(src|wasm)\//.test(f))
    .sort();
}

const BROWSER = ['src/browser.js', 'src/shim.js', 'src/web.js', 'src/wire.js', 'wasm/lite/tracesieve_wasm.js'];
const FULL = ['src/full.js', 'src/shim.js', 'src/web.js', 'src/wire.js', 'wasm/web/tracesieve_wasm.js'];

test('browsers get the browser module', async () => {
  assert.deepEqual(await resolved('tracesieve', [], 'browser'), BROWSER);
  assert.deepEqual(await resolved('tracesieve', ['browser']), BROWSER);
});

test('workers and edge runtimes get the full wasm module, also where they set `browser` too', async () => {
  for (const condition of ['worker', 'workerd', 'edge-light', 'deno']) {
    assert.deepEqual(await resolved('tracesieve', [condition]), FULL, condition);
  }
  // Wrangler (Cloudflare Workers) bundles with these conditions; Next.js edge builds with
  // edge-light and browser.
  assert.deepEqual(await resolved('tracesieve', ['workerd', 'worker', 'browser']), FULL, 'wrangler');
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
