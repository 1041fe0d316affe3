// What the entry points outside Node share: a wasm module loaded asynchronously, once.
import { PolicyError, api, wasmBackend } from './shim.js';

export { PolicyError };

/** The package version (set by `ready()`). */
export let version;

/**
 * The public API over a wasm-bindgen module for the web (`init`, and the module's
 * exports): `ready(input)` loads it; the other functions need it loaded.
 */
export function webApi(init, wasm) {
  let lib = null;
  const loaded = () => {
    if (!lib) throw new Error('tracesieve: call `await ready()` before creating a sampler');
    return lib;
  };
  return {
    /**
     * Loads the wasm module. Without an argument it fetches the `.wasm` file next to the
     * module's JavaScript; pass a URL, a `Response`, bytes or a compiled
     * `WebAssembly.Module` where that does not work (bundlers that do not copy the file,
     * edge runtimes).
     */
    async ready(input) {
      if (!lib) {
        await init(input === undefined ? undefined : { module_or_path: input });
        lib = api(wasmBackend(wasm));
        version = lib.version;
      }
    },
    createTracesSampler: (policy) => loaded().createTracesSampler(policy),
    createBeforeSend: (policy) => loaded().createBeforeSend(policy),
    compilePolicy: (policy) => loaded().compilePolicy(policy),
  };
}
