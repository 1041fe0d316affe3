// The JavaScript quick starts of README.md and pkg/README.md work as written: every `js`
// block that sets up @sentry/node runs as an ES module in a fresh directory (with the
// README's `sampling.json`, the bundled policy), and the SDK it configured samples with
// tracesieve. Only what the text leaves to the reader is supplied: a `dsn` variable where a
// block uses one it does not define, and SENTRY_DSN.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const DSN = 'http://public@127.0.0.1:9/1';

/** The `js` code blocks of a Markdown file that use @sentry/node. */
function nodeBlocks(file) {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]).filter((code) => code.includes("'@sentry/node'"));
}

/** After a block: the SDK it set up has a tracesSampler from tracesieve that decides. */
const CHECK = `
const __options = Sentry.getClient()?.getOptions();
if (typeof __options?.tracesSampler !== 'function') throw new Error('Sentry.init got no tracesSampler');
const __chat = __options.tracesSampler({ name: 'POST /api/chat', attributes: { 'sentry.op': 'http.server', 'url.path': '/api/chat' } });
const __health = __options.tracesSampler({ name: 'GET /healthz', attributes: { 'sentry.op': 'http.server', 'url.path': '/healthz' } });
if (__chat !== 1 || __health !== 0) throw new Error('unexpected rates ' + __chat + ' ' + __health);
if (typeof __options.tracesSampler.stats !== 'function') throw new Error('not a tracesieve sampler');
await Sentry.close(100);
console.log('quick start ok');
`;

for (const file of ['README.md', 'pkg/README.md']) {
  const blocks = nodeBlocks(file);
  test(`${file} has a JavaScript quick start for @sentry/node`, () => assert.ok(blocks.length > 0));
  blocks.forEach((code, i) => {
    test(`${file}: @sentry/node block ${i + 1} runs as written`, () => {
      const dir = mkdtempSync(join(tmpdir(), 'tracesieve-readme-'));
      try {
        copyFileSync(join(root, 'examples/policy.json'), join(dir, 'sampling.json'));
        symlinkSync(join(root, 'tests/js/node_modules'), join(dir, 'node_modules'), 'dir');
        const needsDsn = /\bdsn\b(?!:)/.test(code.replace(/dsn:/g, '')) && !/\b(const|let|var) dsn\b/.test(code);
        const prefix = needsDsn ? `const dsn = ${JSON.stringify(DSN)};\n` : '';
        writeFileSync(join(dir, 'quickstart.mjs'), prefix + code + CHECK);
        const out = execFileSync(process.execPath, ['quickstart.mjs'], {
          cwd: dir,
          env: { ...process.env, SENTRY_DSN: DSN },
          encoding: 'utf8',
          timeout: 30_000,
        });
        assert.match(out, /quick start ok/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
