'use strict';
// Node, CommonJS: the native (napi-rs) addon for this platform, from its package (an
// optional dependency, see platform.cjs), or the wasm backend when it cannot be loaded (no
// package for this platform, `--omit=optional`, a runtime without native addons).
const { api, nativeBackend, wasmBackend } = require('../dist/shim.cjs');
const { nativeAddon } = require('./platform.cjs');

function load() {
  const addon = nativeAddon();
  if (addon !== null) {
    // A build inside the package first: a checkout of the repository, where `make build-js`
    // puts one (the published tarball carries none); then the platform package.
    for (const id of [`../native/${addon.file}`, addon.name]) {
      try {
        return api(nativeBackend(require(id)));
      } catch {
        // Not there, or not loadable here: the next place, then wasm.
      }
    }
  }
  return api(wasmBackend(require('../wasm/node/tracesieve_wasm.js')));
}

module.exports = load();
/** Nothing to wait for in Node. */
module.exports.ready = async () => {};
module.exports.recordToFile = require('./record.cjs').recordToFile;
