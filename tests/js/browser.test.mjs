// @sentry/browser bundled with esbuild and the wasm backend, in headless Chromium over
// 127.0.0.1: pageload and navigation roots sampled per the policy, checked from the page.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

const here = new URL('./', import.meta.url);
const wasmFile = new URL('../../pkg/wasm/web/tracesieve_wasm_bg.wasm', import.meta.url);

async function bundle() {
  const out = await build({
    entryPoints: [new URL('browser/page.mjs', here).pathname],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    minify: true,
    logLevel: 'warning',
  });
  return out.outputFiles[0].text;
}

/** Serves the page, the bundle and the wasm on 127.0.0.1; any other path is the page. */
async function serve(js) {
  const wasm = readFileSync(wasmFile);
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

test('headless Chromium: pageload and navigation roots sampled per policy (wasm backend)', async () => {
  const server = await serve(await bundle());
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    for (const lifecycle of ['static', 'stream']) {
      const page = await browser.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(`http://127.0.0.1:${server.address().port}/checkout?lifecycle=${lifecycle}`);
      const result = await page.evaluate(() => window.__done);
      await page.close();
      assert.deepEqual(errors, []);
      assert.equal(result.version, JSON.parse(readFileSync(new URL('../../pkg/package.json', import.meta.url))).version);
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
  }
});
