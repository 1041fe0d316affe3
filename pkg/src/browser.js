// Browsers: the small wasm module (wasm/browser.wasm), which loads compiled policies
// (`npx tracesieve compile`) and has no policy compiler; 'tracesieve/full' has one. Call
// `await ready()` once before creating samplers (e.g. before `Sentry.init`).
import init, * as wasm from '../wasm/lite/tracesieve_wasm.js';
import { webApi } from './web.js';

export { PolicyError, version } from './web.js';

const lib = webApi(init, wasm);

export const { ready, createTracesSampler, createBeforeSend, compilePolicy } = lib;

export const backend = 'wasm';

/** Every export as one object, for `import tracesieve from 'tracesieve'`. */
export default lib;
