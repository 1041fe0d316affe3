// @sentry/browser bundled with esbuild and the wasm backend, in headless Chromium over
// 127.0.0.1: pageload and navigation roots sampled per the policy, checked from the page.
// Twice: 'tracesieve' (the browser module) with the policy compiled by the package's
// `tracesieve compile` command, and 'tracesieve/full' with the policy itself. The page
// follows the esbuild recipe of docs/runtimes.md: the module's subpath export
// ('tracesieve/wasm/browser.wasm' or 'tracesieve/wasm/full.wasm') imported through the
// `file` loader, its URL given to `ready()`; and it reads the package's default export.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

const here = new URL('./', import.meta.url);
const pkg = new URL('../../pkg/', import.meta.url);
const policyFile = new URL('browser/sampling.json', here).pathname;

const VARIANTS = {
  // The default for browsers: no policy compiler in the page.
  browser: { module: 'tracesieve', wasm: 'tracesieve/wasm/browser.wasm', file: new URL('wasm/browser.wasm', pkg), compiled: true },
  full: { module: 'tracesieve/full', wasm: 'tracesieve/wasm/full.wasm', file: new URL('wasm/full.wasm', pkg), compiled: false },
};

/** The policy file compiled by the CLI, as a user's build step would. */
function compiled(dir) {
  const out = join(dir, 'sampling.compiled.json');
  execFileSync(process.execPath, [new URL('bin/tracesieve.js', pkg).pathname, 'compile', policyFile, '-o', out]);
  return out;
}

/** The page bundled by esbuild: its files by URL path (the script, the hashed wasm file). */
async function bundle(variant, policyPath, dir) {
  const virtual = {
    name: 'virtual',
    setup(b) {
      b.onResolve({ filter: /^virtual:policy$/ }, () => ({ path: policyPath }));
    },
  };
  const out = await build({
    entryPoints: [new URL('browser/page.mjs', here).pathname],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    minify: true,
    logLevel: 'warning',
    outdir: join(dir, 'out'),
    entryNames: 'page',
    publicPath: '/',
    loader: { '.wasm': 'file' },
    alias: { 'tracesieve-under-test': variant.module, 'tracesieve-wasm-under-test': variant.wasm },
    plugins: [virtual],
  });
  return new Map(out.outputFiles.map((f) => [`/${basename(f.path)}`, f.contents]));
}

/** Serves the page and the bundle's files on 127.0.0.1; any other path is the page. */
async function serve(files) {
  const html = '<!doctype html><meta charset="utf-8"><title>tracesieve</title><script type="module" src="/page.js"></script>';
  const types = { js: 'text/javascript', wasm: 'application/wasm' };
  const server = createServer((req, res) => {
    const path = req.url.split('?')[0];
    if (files.has(path)) res.writeHead(200, { 'content-type': types[path.split('.').pop()] }).end(files.get(path));
    else if (path === '/favicon.ico') res.writeHead(404).end();
    else res.writeHead(200, { 'content-type': 'text/html' }).end(html);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return server;
}

function roots(envelopes) {
  const out = [];
  for (const [, items] of envelopes) {
    for (const [h, p] of items) {
      if (h.type === 'transaction') out.push({ name: p.transaction, op: p.contexts.trace.op });
      if (h.type === 'span') for (const s of p.items ?? []) if (s.is_segment) out.push({ name: s.name, op: s.attributes?.['sentry.op']?.value });
    }
  }
  return out;
}

for (const [name, variant] of Object.entries(VARIANTS)) {
  test(`headless Chromium: pageload and navigation roots sampled per policy (${variant.module})`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracesieve-browser-'));
    const wasm = readFileSync(variant.file);
    const files = await bundle(variant, variant.compiled ? compiled(dir) : policyFile, dir);
    assert.deepEqual([...files.keys()].filter((f) => f.endsWith('.wasm')).length, 1, 'esbuild emits the one module');
    const server = await serve(files);
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      for (const lifecycle of ['static', 'stream']) {
        const page = await browser.newPage();
        const errors = [];
        const wasmSizes = [];
        page.on('pageerror', (e) => errors.push(String(e)));
        page.on('response', async (r) => r.url().endsWith('.wasm') && wasmSizes.push((await r.body()).length));
        await page.goto(`http://127.0.0.1:${server.address().port}/checkout?lifecycle=${lifecycle}`);
        const result = await page.evaluate(() => window.__done);
        await page.close();
        assert.deepEqual(errors, []);
        assert.deepEqual(wasmSizes, [wasm.length], `the page loads the ${name} module once`);
        assert.equal(result.version, JSON.parse(readFileSync(new URL('package.json', pkg))).version);
        assert.deepEqual(result.defaultExport, { same: true, version: result.version, backend: 'wasm' });
        if (variant.compiled) assert.match(result.plain, /^PolicyError: .*loads compiled policies only.*tracesieve compile/);
        else assert.equal(result.plain, 1, 'the full module compiles policies in the page');
        const ops = result.seen.map((s) => s.op);
        assert.deepEqual(ops, ['pageload', 'navigation', 'navigation', 'navigation', 'navigation'], JSON.stringify(result.seen));
        const st = result.stats.traces;
        assert.equal(st.total, 5);
        assert.equal(st.byRule.checkout, 3, `${lifecycle}: ${JSON.stringify(result.seen)}`);
        assert.equal(st.byRule.health, 1);
        assert.equal(st.byReason.default, 1);
        assert.equal(result.stats.fallbacks, 0);
        const sent = roots(result.envelopes);
        assert.equal(sent.length, 3, `${lifecycle}: sent ${JSON.stringify(sent)}`);
        assert.deepEqual(sent.map((r) => r.op).sort(), ['navigation', 'navigation', 'pageload']);
      }
    } finally {
      await browser.close();
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
