/* @ts-self-types="./tracesieve_wasm.d.ts" */

/**
 * A compiled policy with its scratch buffers.
 */
class Sampler {
    static __wrap(ptr) {
        const obj = Object.create(Sampler.prototype);
        obj.__wbg_ptr = ptr;
        SamplerFinalization.register(obj, obj.__wbg_ptr, obj);
        return obj;
    }
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        SamplerFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        wasm.__wbg_sampler_free(ptr, 0);
    }
    /**
     * The policy as compiled-policy bytes, for [`load`](Self::load).
     * @returns {Uint8Array}
     */
    compiled() {
        const ret = wasm.sampler_compiled(this.__wbg_ptr);
        var v1 = getArrayU8FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 1, 1);
        return v1;
    }
    /**
     * Decides an error event from the first `len` bytes of the scratch buffer.
     * @param {number} len
     * @returns {number}
     */
    decideError(len) {
        const ret = wasm.sampler_decideError(this.__wbg_ptr, len);
        return ret;
    }
    /**
     * Decides a trace root from the first `len` bytes of the scratch buffer: the rate.
     * @param {number} len
     * @returns {number}
     */
    decide(len) {
        const ret = wasm.sampler_decide(this.__wbg_ptr, len);
        return ret;
    }
    /**
     * Explains a trace root or an error event, as JSON.
     * @param {number} len
     * @param {boolean} error
     * @returns {string}
     */
    explain(len, error) {
        let deferred1_0;
        let deferred1_1;
        try {
            const ret = wasm.sampler_explain(this.__wbg_ptr, len, error);
            deferred1_0 = ret[0];
            deferred1_1 = ret[1];
            return getStringFromWasm0(ret[0], ret[1]);
        } finally {
            wasm.__wbindgen_free(deferred1_0, deferred1_1, 1);
        }
    }
    /**
     * Loads a compiled policy (the bytes of [`compiled`](Self::compiled)); throws as
     * [`new`](Self::new).
     * @param {Uint8Array | number[]} bytes
     * @param {any} strings
     * @returns {Sampler}
     */
    static load(bytes, strings) {
        const ptr0 = passArray8ToWasm0(bytes, wasm.__wbindgen_malloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.sampler_load(ptr0, len0, strings);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return Sampler.__wrap(ret[0]);
    }
    /**
     * Compiles a JSON policy for contexts of `shape` (`js`, or `canonical` / `python` for
     * the conformance vectors); throws an `Error` whose message is the policy error as
     * JSON.
     * @param {string} policy
     * @param {string} shape
     * @param {any} strings
     */
    constructor(policy, shape, strings) {
        let ptr0, len0, ptr1, len1;
        try {
            ptr0 = passStringToWasm0(policy, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len0 = WASM_VECTOR_LEN;
            ptr1 = passStringToWasm0(shape, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len1 = WASM_VECTOR_LEN;
        } catch (e) {
            if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
            if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
            throw e;
        }
        const ret = wasm.sampler_new(ptr0, len0, ptr1, len1, strings);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        this.__wbg_ptr = ret[0];
        SamplerFinalization.register(this, this.__wbg_ptr, this);
        return this;
    }
    /**
     * The read plans as JSON.
     * @returns {string}
     */
    plans() {
        let deferred1_0;
        let deferred1_1;
        try {
            const ret = wasm.sampler_plans(this.__wbg_ptr);
            deferred1_0 = ret[0];
            deferred1_1 = ret[1];
            return getStringFromWasm0(ret[0], ret[1]);
        } finally {
            wasm.__wbindgen_free(deferred1_0, deferred1_1, 1);
        }
    }
    /**
     * Makes the scratch buffer `len` bytes long and returns its address in wasm memory.
     * @param {number} len
     * @returns {number}
     */
    scratch(len) {
        const ret = wasm.sampler_scratch(this.__wbg_ptr, len);
        return ret >>> 0;
    }
    /**
     * The counters as JSON.
     * @returns {string}
     */
    stats() {
        let deferred1_0;
        let deferred1_1;
        try {
            const ret = wasm.sampler_stats(this.__wbg_ptr);
            deferred1_0 = ret[0];
            deferred1_1 = ret[1];
            return getStringFromWasm0(ret[0], ret[1]);
        } finally {
            wasm.__wbindgen_free(deferred1_0, deferred1_1, 1);
        }
    }
}
if (Symbol.dispose) Sampler.prototype[Symbol.dispose] = Sampler.prototype.free;
exports.Sampler = Sampler;

/**
 * The package version.
 * @returns {string}
 */
function version() {
    let deferred1_0;
    let deferred1_1;
    try {
        const ret = wasm.version();
        deferred1_0 = ret[0];
        deferred1_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred1_0, deferred1_1, 1);
    }
}
exports.version = version;

/**
 * The module's linear memory, where the scratch buffers live.
 * @returns {any}
 */
function wasmMemory() {
    const ret = wasm.wasmMemory();
    return ret;
}
exports.wasmMemory = wasmMemory;
function __wbg_get_imports() {
    const import0 = {
        __proto__: null,
        __wbg_Error_208446807d0d1e30: function(arg0, arg1) {
            const ret = Error(getStringFromWasm0(arg0, arg1));
            return ret;
        },
        __wbg___wbindgen_memory_17a1178bc3328ea3: function() {
            const ret = wasm.memory;
            return ret;
        },
        __wbg___wbindgen_throw_4c88d8bf264fd984: function(arg0, arg1) {
            throw new Error(getStringFromWasm0(arg0, arg1));
        },
        __wbg_fetch_16931d07bdd4a03f: function(arg0, arg1, arg2, arg3) {
            const ret = arg0.fetch(arg1 >>> 0, arg2 >>> 0, arg3 >>> 0);
            return ret;
        },
        __wbindgen_init_externref_table: function() {
            const table = wasm.__wbindgen_externrefs;
            table.set(0, undefined);
            table.set(1024, undefined);
            table.set(1025, null);
            table.set(1026, true);
            table.set(1027, false);
        },
    };
    return {
        __proto__: null,
        "./tracesieve_wasm_bg.js": import0,
    };
}

const SamplerFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_sampler_free(ptr, 1));

function getArrayU8FromWasm0(ptr, len) {
    ptr = ptr >>> 0;
    return getUint8ArrayMemory0().subarray(ptr / 1, ptr / 1 + len);
}

function getStringFromWasm0(ptr, len) {
    ptr = ptr >>> 0;
    return decodeText(getUint8ArrayMemory0().subarray(ptr, ptr + len));
}

let cachedUint8ArrayMemory0 = null;
function getUint8ArrayMemory0() {
    if (cachedUint8ArrayMemory0 === null || cachedUint8ArrayMemory0.byteLength === 0) {
        cachedUint8ArrayMemory0 = new Uint8Array(wasm.memory.buffer);
    }
    return cachedUint8ArrayMemory0;
}

function passArray8ToWasm0(arg, malloc) {
    const ptr = malloc(arg.length * 1, 1) >>> 0;
    getUint8ArrayMemory0().set(arg, ptr / 1);
    WASM_VECTOR_LEN = arg.length;
    return ptr;
}

function passStringToWasm0(arg, malloc, realloc) {
    if (realloc === undefined) {
        const buf = cachedTextEncoder.encode(arg);
        const ptr = malloc(buf.length, 1) >>> 0;
        getUint8ArrayMemory0().subarray(ptr, ptr + buf.length).set(buf);
        WASM_VECTOR_LEN = buf.length;
        return ptr;
    }

    let len = arg.length;
    let ptr = malloc(len, 1) >>> 0;

    const mem = getUint8ArrayMemory0();

    let offset = 0;

    for (; offset < len; offset++) {
        const code = arg.charCodeAt(offset);
        if (code > 0x7F) break;
        mem[ptr + offset] = code;
    }
    if (offset !== len) {
        if (offset !== 0) {
            arg = arg.slice(offset);
        }
        ptr = realloc(ptr, len, len = offset + arg.length * 3, 1) >>> 0;
        const view = getUint8ArrayMemory0().subarray(ptr + offset, ptr + len);
        const ret = cachedTextEncoder.encodeInto(arg, view);

        offset += ret.written;
        ptr = realloc(ptr, len, offset, 1) >>> 0;
    }

    WASM_VECTOR_LEN = offset;
    return ptr;
}

function takeFromExternrefTable0(idx) {
    const value = wasm.__wbindgen_externrefs.get(idx);
    wasm.__externref_table_dealloc(idx);
    return value;
}

let cachedTextDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
cachedTextDecoder.decode();
function decodeText(bytes) {
    return cachedTextDecoder.decode(bytes);
}

const cachedTextEncoder = new TextEncoder();

if (!('encodeInto' in cachedTextEncoder)) {
    cachedTextEncoder.encodeInto = function (arg, view) {
        const buf = cachedTextEncoder.encode(arg);
        view.set(buf);
        return {
            read: arg.length,
            written: buf.length
        };
    };
}

let WASM_VECTOR_LEN = 0;

const wasmPath = `${__dirname}/tracesieve_wasm_bg.wasm`;
const wasmBytes = require('fs').readFileSync(wasmPath);
const wasmModule = new WebAssembly.Module(wasmBytes);
let wasmInstance = new WebAssembly.Instance(wasmModule, __wbg_get_imports());
let wasm = wasmInstance.exports;
wasm.__wbindgen_start();
