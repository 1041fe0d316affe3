// Web workers, Deno, edge runtimes, and browsers that import 'tracesieve/full': the wasm
// module with the policy compiler (wasm/full.wasm), fetched next to this module. Call
// `await ready()` once before creating samplers.
import init, * as wasm from '../wasm/web/tracesieve_wasm.js';
import { webApi } from './web.js';

export { PolicyError, version } from './web.js';

const lib = webApi(init, wasm);

export const { ready, createTracesSampler, createBeforeSend, compilePolicy } = lib;

export const backend = 'wasm';

/** Every export as one object, for `import tracesieve from 'tracesieve'`. */
export default lib;
