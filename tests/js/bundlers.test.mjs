// Browser bundles from each bundler, in headless Chromium over 127.0.0.1, as docs/runtimes.md
// recommends: bundlers/page.mjs (`ready()` given the URL of 'tracesieve/wasm/browser.wasm')
// built by esbuild and by `bun build` (Bun from npm), bundlers/page-auto.mjs (`ready()` with
// no argument) built by Vite and webpack, which copy the module themselves; the decisions
// are read from the page. Before the subpath export, esbuild and Bun bundles failed with
// `failed to fetch Wasm: 404`.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { compilePolicy } from 'tracesieve';

const here = new URL('./', import.meta.url).pathname;
const page = join(here, 'bundlers', 'page.mjs');
const pageAuto = join(here, 'bundlers', 'page-auto.mjs');
const version = JSON.parse(readFileSync(new URL('../../pkg/package.json', import.meta.url))).version;
const browserWasm = readFileSync(new URL('../../pkg/wasm/browser.wasm', import.meta.url));
const policy = compilePolicy({
  defaultRate: 0.25,
  rules: [
    { id: 'health', when: { name: 'GET /healthz' }, rate: 0 },
    { id: 'checkout', when: { name: 'POST /checkout*' }, rate: 1 },
  ],
});

/** Each bundler writes the page's bundle into `out` as page.js, the wasm file beside it. */
const BUNDLERS = {
  esbuild: (out) =>
    build({
      entryPoints: [page],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      minify: true,
      outdir: out,
      entryNames: 'page',
      publicPath: '/',
      loader: { '.wasm': 'file' },
      logLevel: 'warning',
    }),
  bun: (out) =>
    execFileSync(
      join(here, 'node_modules', '.bin', 'bun'),
      ['build', page, '--target=browser', '--minify', '--outdir', out, '--entry-naming', 'page.js', '--public-path', '/', '--loader', '.wasm:file'],
      { cwd: here, stdio: ['ignore', 'ignore', 'inherit'] },
    ),
  vite: async (out) => {
    const { build: viteBuild } = await import('vite');
    await viteBuild({
      configFile: false,
      root: here,
      logLevel: 'warn',
      build: {
        outDir: out,
        assetsDir: '.',
        emptyOutDir: false,
        assetsInlineLimit: 0,
        modulePreload: false,
        rollupOptions: { input: pageAuto, output: { entryFileNames: 'page.js' } },
      },
    });
  },
  webpack: async (out) => {
    const { default: webpack } = await import('webpack');
    const stats = await new Promise((resolve, reject) =>
      webpack(
        { mode: 'production', entry: pageAuto, output: { path: out, filename: 'page.js', publicPath: '/' } },
        (err, st) => (err ? reject(err) : resolve(st)),
      ),
    );
    assert.equal(stats.hasErrors(), false, stats.toString('errors-only'));
  },
};

/** Serves the files of `dir` and the compiled policy on 127.0.0.1; any other path is the page. */
async function serve(dir) {
  const html = '<!doctype html><meta charset="utf-8"><title>tracesieve</title><script type="module" src="/page.js"></script>';
  const types = { js: 'text/javascript', wasm: 'application/wasm' };
  const files = new Set(readdirSync(dir));
  const server = createServer((req, res) => {
    const path = req.url.split('?')[0].slice(1);
    if (path === 'policy.json') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(policy));
    else if (files.has(path)) res.writeHead(200, { 'content-type': types[path.split('.').pop()] }).end(readFileSync(join(dir, path)));
    else if (path === 'favicon.ico') res.writeHead(404).end();
    else res.writeHead(200, { 'content-type': 'text/html' }).end(html);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return server;
}

for (const [name, bundle] of Object.entries(BUNDLERS)) {
  test(`${name} bundle in headless Chromium: the browser module loads and decides`, async () => {
    const dir = mkdtempSync(join(tmpdir(), `tracesieve-${name}-`));
    let server;
    let browser;
    try {
      await bundle(dir);
      const wasm = readdirSync(dir).filter((f) => f.endsWith('.wasm'));
      assert.equal(wasm.length, 1, `${name} emits the one module: ${readdirSync(dir)}`);
      assert.ok(readFileSync(join(dir, wasm[0])).equals(browserWasm), 'the browser module');
      server = await serve(dir);
      browser = await chromium.launch({
        executablePath: '/usr/bin/chromium',
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      });
      const tab = await browser.newPage();
      const errors = [];
      const failed = [];
      tab.on('pageerror', (e) => errors.push(String(e)));
      tab.on('response', (r) => r.status() >= 400 && failed.push(`${r.status()} ${r.url()}`));
      await tab.goto(`http://127.0.0.1:${server.address().port}/`);
      const result = await tab.evaluate(() => window.__done);
      assert.deepEqual(errors, []);
      assert.deepEqual(failed, []);
      assert.deepEqual(result, { health: 0, checkout: 1, other: 0.25, backend: 'wasm', version });
    } finally {
      await browser?.close();
      server?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
