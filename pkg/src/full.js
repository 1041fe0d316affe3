// Web workers, edge runtimes, and browsers that import 'tracesieve/full': the wasm module
// with the policy compiler, loaded asynchronously. Call `await ready()` once before
// creating samplers.
import init, * as wasm from '../wasm/web/tracesieve_wasm.js';
import { webApi } from './web.js';

export { PolicyError, version } from './web.js';

export const { ready, createTracesSampler, createBeforeSend, compilePolicy } = webApi(init, wasm);

export const backend = 'wasm';
