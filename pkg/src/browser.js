// Browsers, web workers and edge runtimes: the wasm backend, loaded asynchronously.
// Call `await ready()` once before creating samplers (e.g. before `Sentry.init`).
import init, * as wasm from '../wasm/web/tracesieve_wasm.js';
import { PolicyError, api, wasmBackend } from './shim.js';

export { PolicyError };

let lib = null;

/**
 * Loads the wasm module. Without an argument it fetches `tracesieve_wasm_bg.wasm` next
 * to this module; pass a URL, a `Response`, bytes or a compiled `WebAssembly.Module`
 * where that does not work (bundlers that do not copy the file, edge runtimes).
 */
export async function ready(input) {
  if (!lib) {
    await init(input === undefined ? undefined : { module_or_path: input });
    lib = api(wasmBackend(wasm));
    version = lib.version;
  }
}

/** The package version (set by `ready()`). */
export let version;

function loaded() {
  if (!lib) throw new Error('tracesieve: call `await ready()` before creating a sampler');
  return lib;
}

/** See index.d.ts. */
export function createTracesSampler(policy) {
  return loaded().createTracesSampler(policy);
}

/** See index.d.ts. */
export function createBeforeSend(policy) {
  return loaded().createBeforeSend(policy);
}

export const backend = 'wasm';

/** For the conformance vectors only (not a public API); see shim.js. */
export function _vectors(policy, shape) {
  return loaded()._vectors(policy, shape);
}
