// What the entry points outside Node share: a wasm module loaded asynchronously, once.
import { PolicyError, api, wasmBackend } from './shim.js';

export { PolicyError };

/** The package version (set by `ready()`). */
export let version;

/**
 * The public API over a wasm-bindgen module for the web (`init`, and the module's
 * exports): `ready(input)` loads it; the other functions need it loaded. `defaultInput`
 * is what `ready()` loads when given nothing (a compiled `WebAssembly.Module` where the
 * runtime imports `.wasm` files as modules); without it, `ready()` fetches the `.wasm`
 * file next to the module's JavaScript. The returned object is also the entry's default
 * export.
 */
export function webApi(init, wasm, defaultInput = undefined) {
  let lib = null;
  const loaded = () => {
    if (!lib) throw new Error('tracesieve: call `await ready()` before creating a sampler');
    return lib;
  };
  return {
    /**
     * Loads the wasm module. Pass a URL, a `Response`, bytes or a compiled
     * `WebAssembly.Module` where the default does not work (bundlers that do not copy the
     * file: import 'tracesieve/wasm/browser.wasm' or 'tracesieve/wasm/full.wasm' as a URL).
     */
    async ready(input) {
      if (!lib) {
        const source = input === undefined ? defaultInput : input;
        await init(source === undefined ? undefined : { module_or_path: source });
        lib = api(wasmBackend(wasm));
        version = lib.version;
      }
    },
    createTracesSampler: (policy, options) => loaded().createTracesSampler(policy, options),
    createBeforeSend: (policy) => loaded().createBeforeSend(policy),
    compilePolicy: (policy) => loaded().compilePolicy(policy),
    PolicyError,
    backend: 'wasm',
    /** The package version, once `ready()` has resolved. */
    get version() {
      return version;
    },
  };
}
