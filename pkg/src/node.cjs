'use strict';
// Node, CommonJS: the wasm backend (measured faster than the native addon per decision;
// see README.md). `require('tracesieve/native')` selects the native addon.
const { api, wasmBackend } = require('../dist/shim.cjs');

module.exports = api(wasmBackend(require('../wasm/node/tracesieve_wasm.js')));
/** Nothing to wait for in Node: the wasm module is loaded synchronously. */
module.exports.ready = async () => {};
module.exports.recordToFile = require('./record.cjs').recordToFile;
