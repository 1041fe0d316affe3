// Node, ES modules: the native addon (wasm when it cannot load); see native.cjs.
import lib from './native.cjs';

export const { createTracesSampler, createBeforeSend, compilePolicy, PolicyError, version, backend, ready, recordToFile } = lib;
export default lib;
