// Cloudflare Workers (the `workerd` and `worker` export conditions): the full wasm module,
// imported as a module (wrangler and miniflare import a `.wasm` file as a compiled
// `WebAssembly.Module`), so `await ready()` needs no argument and fetches nothing (workerd
// has no URL to fetch it from).
import module from '../wasm/full.wasm';
import init, * as wasm from '../wasm/web/tracesieve_wasm.js';
import { webApi } from './web.js';

export { PolicyError, version } from './web.js';

const lib = webApi(init, wasm, module);

export const { ready, createTracesSampler, createBeforeSend, compilePolicy } = lib;

export const backend = 'wasm';

/** Every export as one object, for `import tracesieve from 'tracesieve'`. */
export default lib;
