// The page for bundlers that do not rewrite `new URL(file, import.meta.url)` (esbuild, Bun):
// the browser module's subpath export imported as a URL (their `file` loader) and given to
// `ready()`, the recipe of docs/runtimes.md.
import wasmUrl from 'tracesieve/wasm/browser.wasm';
import { check } from './check.mjs';

window.__done = check(wasmUrl);
