// `tracesieve simulate --format html` (through the package's bin, i.e. the wasm build of
// the Rust command line) opened in headless Chromium: the page renders one row and one bar
// per step, the bars' widths follow the expected kept counts, and the timeline is drawn
// when the traffic carries timestamps.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = new URL('../../', import.meta.url).pathname;
const bin = join(root, 'pkg/bin/tracesieve.js');

function report(traffic) {
  const r = spawnSync(process.execPath, [bin, 'simulate', '--format', 'html', 'examples/policy.json', traffic], {
    cwd: root,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

async function render(html, body) {
  const dir = mkdtempSync(join(tmpdir(), 'tracesieve-report-'));
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const file = join(dir, 'report.html');
    writeFileSync(file, html);
    const page = await browser.newPage();
    const requests = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(file).href);
    await body(page);
    assert.deepEqual(requests.filter((u) => !u.startsWith('file:')), [], 'the page is self-contained');
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the html report renders every step with its bar', async () => {
  await render(report('examples/traffic.jsonl'), async (page) => {
    const rows = await page.$$eval('#steps tr.step', (trs) =>
      trs.map((tr) => ({
        id: tr.dataset.step,
        roots: Number(tr.children[2].textContent),
        kept: tr.children[6].textContent,
        barWidth: tr.querySelector('.kept').getBoundingClientRect().width,
        barTotal: tr.querySelector('.bar').getBoundingClientRect().width,
      })),
    );
    assert.deepEqual(
      rows.map((r) => [r.id, r.roots, r.kept]),
      [
        ['genAi', 507, '507'],
        ['health', 633, '0'],
        ['payment', 346, '158'],
        ['search', 305, '2'],
        ['(parent)', 655, '306'],
        ['(default)', 1554, '332'],
      ],
    );
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    assert.equal(byId.health.barWidth, 0, 'a rate of 0 keeps nothing');
    // genAi keeps all 507 of 4000 roots: its green bar is 507/4000 of the bar.
    assert.ok(Math.abs(byId.genAi.barWidth - (byId.genAi.barTotal * 507) / 4000) < 1);
    assert.equal(await page.$('#timeline'), null, 'no timestamps, no timeline');
    assert.match(await page.textContent('tr.total'), /total\s*4000/);
  });
});

test('the html report draws kept roots over time when lines carry timestamps', async () => {
  await render(report('tests/cli/fixtures/traffic_sdk.jsonl'), async (page) => {
    assert.equal(await page.$$eval('#timeline rect.kept-bucket', (r) => r.length), 60);
    const drawn = await page.$$eval('#timeline rect.kept-bucket', (r) => r.filter((x) => x.getBBox().height > 0).length);
    assert.ok(drawn >= 3, `kept roots drawn in ${drawn} buckets`);
    assert.match(await page.textContent('body'), /per second/);
  });
});
