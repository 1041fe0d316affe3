// Browsers: the small wasm module, which loads compiled policies (`npx tracesieve compile`)
// and has no policy compiler; 'tracesieve/full' has one. Call `await ready()` once before
// creating samplers (e.g. before `Sentry.init`).
import init, * as wasm from '../wasm/lite/tracesieve_wasm.js';
import { webApi } from './web.js';

export { PolicyError, version } from './web.js';

export const { ready, createTracesSampler, createBeforeSend, compilePolicy } = webApi(init, wasm);

export const backend = 'wasm';
