// Node, ES modules: the same instance as the CommonJS entry (no dual-package hazard).
import lib from './node.cjs';

export const { createTracesSampler, createBeforeSend, compilePolicy, PolicyError, version, backend, ready, recordToFile } = lib;
export default lib;
