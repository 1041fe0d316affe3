// @sentry/browser bundled with esbuild and the wasm backend, in headless Chromium over
// 127.0.0.1: pageload and navigation roots sampled per the policy, checked from the page.
// Twice: 'tracesieve' (the browser module) with the policy compiled by the package's
// `tracesieve compile` command, and 'tracesieve/full' with the policy itself.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

const here = new URL('./', import.meta.url);
const pkg = new URL('../../pkg/', import.meta.url);
const policyFile = new URL('browser/sampling.json', here).pathname;

const VARIANTS = {
  // The default for browsers: no policy compiler in the page.
  browser: { module: 'tracesieve', wasm: new URL('wasm/lite/tracesieve_wasm_bg.wasm', pkg), compiled: true },
  full: { module: 'tracesieve/full', wasm: new URL('wasm/web/tracesieve_wasm_bg.wasm', pkg), compiled: false },
};

/** The policy file compiled by the CLI, as a user's build step would. */
function compiled(dir) {
  const out = join(dir, 'sampling.compiled.json');
  execFileSync(process.execPath, [new URL('bin/tracesieve.js', pkg).pathname, 'compile', policyFile, '-o', out]);
  return out;
}

async function bundle(variant, policyPath) {
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
    alias: { 'tracesieve-under-test': variant.module },
    plugins: [virtual],
  });
  return out.outputFiles[0].text;
}

/** Serves the page, the bundle and the wasm on 127.0.0.1; any other path is the page. */
async function serve(js, wasm) {
  const html = '<!doctype html><meta charset="utf-8"><title>tracesieve</title><script type="module" src="/page.js"></script>';
  const server = createServer((req, res) => {
    const path = req.url.split('?')[0];
    if (path === '/page.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
    else if (path === '/tracesieve_wasm_bg.wasm') res.writeHead(200, { 'content-type': 'application/wasm' }).end(wasm);
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
    const wasm = readFileSync(variant.wasm);
    const server = await serve(await bundle(variant, variant.compiled ? compiled(dir) : policyFile), wasm);
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
