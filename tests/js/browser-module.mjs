// The browser module (pkg/wasm/browser.wasm: no policy compiler) loaded in Node, for the tests, the
// benchmark and the soak: its own init with the module's bytes, the package's shim over it,
// and policies compiled by the Node package (as a build step would).

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as glue from '../../pkg/wasm/lite/tracesieve_wasm.js';
import { compilePolicy } from 'tracesieve';

const { api, wasmBackend } = createRequire(import.meta.url)('../../pkg/dist/shim.cjs');

await glue.default({ module_or_path: readFileSync(new URL('../../pkg/wasm/browser.wasm', import.meta.url)) });

/** The package's API over the browser module, as the browser entry gives it. */
export const browserModule = api(wasmBackend(glue));

/** The browser module's linear memory. */
export const browserMemory = glue.wasmMemory();

/**
 * The browser module's API with plain policies compiled first by the Node package, so that
 * code written for the other backends runs on it unchanged.
 */
export const browserWithCompiler = {
  ...browserModule,
  createTracesSampler: (policy) => browserModule.createTracesSampler(compilePolicy(policy)),
  createBeforeSend: (policy) => browserModule.createBeforeSend(compilePolicy(policy)),
};
