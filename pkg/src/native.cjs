'use strict';
// Node, CommonJS: the native (napi-rs) addon for this platform, or the wasm backend when
// the addon cannot be loaded (no build for this platform, a runtime without native addons).
const { api, nativeBackend, wasmBackend } = require('../dist/shim.cjs');

function load() {
  try {
    return api(nativeBackend(require(`../native/tracesieve.${process.platform}-${process.arch}.node`)));
  } catch {
    return api(wasmBackend(require('../wasm/node/tracesieve_wasm.js')));
  }
}

module.exports = load();
/** Nothing to wait for in Node. */
module.exports.ready = async () => {};
module.exports.recordToFile = require('./record.cjs').recordToFile;
