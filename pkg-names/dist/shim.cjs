var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);

// pkg/src/shim.js
var shim_exports = {};
__export(shim_exports, {
  PolicyError: () => PolicyError,
  api: () => api,
  nativeBackend: () => nativeBackend,
  wasmBackend: () => wasmBackend
});
module.exports = __toCommonJS(shim_exports);

// pkg/src/wire.js
var MAX_STR = 64 * 1024;
var INLINE_STR = 32;
var utf8 = new TextEncoder();
function compilePlan(nodes) {
  const plan = nodes.map(([key, , end, scans, primary]) => {
    const m = /^\[(-?\d+)\]$/.exec(key);
    return { key, index: m ? Number(m[1]) : null, end, scans, primary, children: [] };
  });
  for (let i = 1; i < nodes.length; i++) plan[nodes[i][1]].children.push(i);
  return plan;
}
var at = (i) => 1 + 9 * i;
var Encoder = class {
  /**
   * `lazy`, when given, is `{ values, deferred }`: `values` receives each long string by
   * node index instead of the bytes (wire tag 8), and `deferred` says whether the last
   * encode left any out; the backend fetches the ones a decision needs.
   */
  constructor(plan, buffer, lazy = null) {
    this.plan = plan;
    this.lazy = lazy;
    this.buffer = buffer;
    this.scanAt = [];
    let scans = at(plan.length);
    for (const node of plan) {
      this.scanAt.push(scans);
      scans += node.scans.length;
    }
    this.fixed = Math.ceil(scans / 16) * 16;
    this.buf = null;
    this.view = null;
    this.take(buffer(Math.max(256, this.fixed)));
    this.s = 0;
    this.failed = false;
    this.careful = false;
    this.fast = straightLine(plan, this.scanAt, this.fixed);
  }
  /** Encodes `root`; returns the byte length (the head and the strings). Never throws. */
  encode(root) {
    try {
      return this.run(root, false);
    } catch {
      try {
        return this.run(root, true);
      } catch {
        this.take(this.buffer(1));
        this.buf[0] = 1;
        return 1;
      }
    }
  }
  run(root, careful) {
    this.careful = careful;
    this.failed = false;
    this.s = this.fixed;
    if (this.lazy !== null) this.lazy.deferred = false;
    this.take(this.buffer(this.fixed));
    if (careful || this.fast === null) this.node(0, root);
    else this.fast(root, this);
    const buf = this.buf;
    buf[0] = this.failed ? 1 : 0;
    let s = this.s;
    const end = this.fixed + Math.ceil((s - this.fixed) / 16) * 16;
    if (end > buf.length) this.room(end - s);
    const out = this.buf;
    while (s < end) out[s++] = 0;
    return end;
  }
  /** Makes room for `n` more string bytes (the buffer may move, or have been detached). */
  room(n) {
    if (this.s + n > this.buf.length) this.take(this.buffer(Math.max(2 * this.buf.length, this.s + n)));
  }
  /** Writes into `buf` from now on. */
  take(buf) {
    if (buf === this.buf) return;
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  read(o, node) {
    if (!this.careful) return node.index === null ? o[node.key] : readIndex(o, node.index);
    try {
      return node.index === null ? o[node.key] : readIndex(o, node.index);
    } catch {
      this.failed = true;
      return void 0;
    }
  }
  /**
   * Writes node `i`'s tag (and payload) for value `v`; returns true for an object or
   * array, whose scans and children are written too.
   */
  value(v, i) {
    const buf = this.buf;
    const p = at(i);
    switch (typeof v) {
      case "string":
        if (this.lazy === null || v.length <= INLINE_STR && this.plan[i].primary) this.string(v, i);
        else if (v.length > MAX_STR) {
          buf[p] = 0;
          this.failed = true;
        } else {
          buf[p] = 8;
          this.lazy.values[i] = v;
          this.lazy.deferred = true;
        }
        return false;
      case "number":
        buf[p] = 2;
        this.view.setFloat64(p + 1, v, true);
        return false;
      case "boolean":
        buf[p] = v ? 4 : 3;
        return false;
      case "undefined":
        buf[p] = 0;
        if (i === 0) this.failed = true;
        return false;
      case "object":
      case "function":
        if (v === null) {
          buf[p] = 0;
          if (i === 0) this.failed = true;
          return false;
        }
        buf[p] = Array.isArray(v) ? 7 : 5;
        return true;
      default:
        buf[p] = 6;
        return false;
    }
  }
  node(i, v) {
    if (!this.value(v, i)) return;
    const node = this.plan[i];
    for (let k = 0; k < node.scans.length; k++) this.buf[this.scanAt[i] + k] = this.scan(v, node.scans[k]) ? 1 : 0;
    const children = node.children;
    for (let c = 0; c < children.length; c++) {
      const child = children[c];
      this.node(child, this.read(v, this.plan[child]));
    }
  }
  scan(o, prefix) {
    const first = prefix.charCodeAt(0);
    try {
      for (const k in o) if ((k.charCodeAt(0) === first || prefix === "") && k.startsWith(prefix)) return true;
    } catch {
      this.failed = true;
    }
    return false;
  }
  /**
   * Writes node `i`'s string value: tag 1, then where its UTF-8 starts among the strings
   * and its length; the UTF-8 at the end of the strings.
   */
  string(s, i) {
    const n = s.length;
    const p = at(i);
    if (n > MAX_STR) {
      this.buf[p] = 0;
      this.failed = true;
      return;
    }
    this.room(3 * n);
    const buf = this.buf;
    const start = this.s;
    let q = start;
    for (let k = 0; k < n; k++) {
      const c = s.charCodeAt(k);
      if (c > 127) {
        q = start + utf8.encodeInto(s, buf.subarray(start, start + 3 * n)).written;
        break;
      }
      buf[q++] = c;
    }
    buf[p] = 1;
    this.view.setUint32(p + 1, start - this.fixed, true);
    this.view.setUint32(p + 5, q - start, true);
    this.s = q;
  }
};
function straightLine(plan, scanAt, fixed) {
  const body = [];
  const call = (expr) => `{ w.s = s; ${expr}; s = w.s; buf = w.buf; view = w.view; }`;
  const emit = (i, expr) => {
    const v = `v${i}`;
    const node = plan[i];
    const p = at(i);
    body.push(`const ${v} = ${expr};`);
    const branches = [];
    if (i > 0) branches.push([`${v} === undefined`, `buf[${p}] = 0;`]);
    if (node.scans.length > 0 || node.children.length > 0) {
      const inner = [`buf[${p}] = Array.isArray(${v}) ? 7 : 5;`];
      node.scans.forEach((prefix, k) => {
        inner.push(`buf[${scanAt[i] + k}] = w.scan(${v}, ${JSON.stringify(prefix)}) ? 1 : 0;`);
      });
      branches.push([`(typeof ${v} === 'object' && ${v} !== null) || typeof ${v} === 'function'`, inner]);
    }
    branches.push([`typeof ${v} === 'boolean'`, `buf[${p}] = ${v} ? 4 : 3;`]);
    branches.push([`typeof ${v} === 'number'`, `buf[${p}] = 2; view.setFloat64(${p + 1}, ${v}, true);`]);
    if (node.primary) {
      branches.push([
        `typeof ${v} === 'string' && ${v}.length <= ${INLINE_STR} && s + ${3 * INLINE_STR} <= buf.length`,
        `{ const n = ${v}.length; let q = s;
          for (let k = 0; k < n; k++) { const c = ${v}.charCodeAt(k); if (c > 0x7f) { q = -1; break; } buf[q++] = c; }
          if (q < 0) ${call(`w.string(${v}, ${i})`)}
          else { buf[${p}] = 1; view.setUint32(${p + 1}, s - ${fixed}, true); view.setUint32(${p + 5}, n, true); s = q; } }`
      ]);
    }
    branches.forEach(([cond, code], k) => {
      body.push(`${k ? "} else " : ""}if (${cond}) {`);
      if (Array.isArray(code)) {
        body.push(...code);
        for (const c of node.children) {
          const child = plan[c];
          emit(c, child.index === null ? `${v}[${JSON.stringify(child.key)}]` : `readIndex(${v}, ${child.index})`);
        }
      } else body.push(code);
    });
    body.push(`} else ${call(`w.value(${v}, ${i})`)}`);
  };
  emit(0, "root");
  const source = `return function encode(root, w) {
let buf = w.buf; let view = w.view; let s = w.s;
${body.join("\n")}
w.s = s;
};`;
  try {
    return new Function("readIndex", source)(readIndex);
  } catch {
    return null;
  }
}
function readIndex(o, i) {
  if (!Array.isArray(o)) return void 0;
  return o[i < 0 ? o.length + i : i];
}
function writeUtf8(s, mem, ptr, cap) {
  const n = s.length;
  if (n > cap) return 3 * n;
  let q = ptr;
  for (let k = 0; k < n; k++) {
    const c = s.charCodeAt(k);
    if (c > 127) {
      const { read, written } = utf8.encodeInto(s, mem.subarray(ptr, ptr + cap));
      return read < n ? 3 * n : written;
    }
    mem[q++] = c;
  }
  return n;
}

// pkg/src/shim.js
var PolicyError = class extends Error {
  constructor(message, problems) {
    super(message);
    this.name = "PolicyError";
    this.problems = problems;
  }
};
function policyError(message) {
  return new PolicyError(`invalid tracesieve policy: policy: ${message}`, [{ path: "policy", message }]);
}
function policyText(policy) {
  if (typeof policy === "string") return policy;
  let text;
  try {
    text = JSON.stringify(policy);
  } catch (e) {
    throw policyError(`cannot be written as JSON (${e && e.message})`);
  }
  return text === void 0 ? "null" : text;
}
function asPolicyError(e) {
  if (e instanceof PolicyError) return e;
  let parsed;
  try {
    parsed = JSON.parse(e && e.message);
  } catch {
    return e;
  }
  return new PolicyError(parsed.message, parsed.problems);
}
function liteError() {
  return policyError(
    "this module (the browser build) loads compiled policies only: compile it with `npx tracesieve compile policy.json` or `compilePolicy(policy)` from 'tracesieve' in Node, or import 'tracesieve/full' to compile in the page"
  );
}
function compiledBytes(policy) {
  if (policy instanceof Uint8Array) return policy;
  if (policy === null || typeof policy !== "object" || typeof policy.compiled !== "string") return null;
  let binary;
  try {
    binary = atob(policy.compiled);
  } catch {
    throw policyError("compiled: is not base64");
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
function toBase64(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 32768) binary += String.fromCharCode(...bytes.subarray(i, i + 32768));
  return btoa(binary);
}
function api(backend) {
  function open(policy, shape = "js") {
    const bytes = compiledBytes(policy);
    let engine;
    try {
      if (bytes) engine = backend.load(bytes);
      else if (backend.compile) engine = backend.compile(policyText(policy), shape);
      else throw liteError();
    } catch (e) {
      throw asPolicyError(e);
    }
    const plans = JSON.parse(engine.plans());
    const buffer = (n) => engine.buffer(n);
    const lazy = engine.strings ?? null;
    return {
      engine,
      trace: new Encoder(compilePlan(plans.trace), buffer, lazy),
      error: new Encoder(compilePlan(plans.error), buffer, lazy),
      fallbackRate: plans.defaultRate
    };
  }
  function compilePolicy(policy, shape = "js") {
    const { engine } = open(policy, shape);
    return { tracesieve: backend.version, compiled: toBase64(engine.compiled()) };
  }
  function stats(engine) {
    return JSON.parse(engine.stats());
  }
  function createTracesSampler(policy) {
    const { engine, trace, fallbackRate } = open(policy);
    function tracesSampler(samplingContext) {
      try {
        const rate = engine.decide(trace.encode(samplingContext));
        return rate >= 0 && rate <= 1 ? rate : fallbackRate;
      } catch {
        return fallbackRate;
      }
    }
    tracesSampler.explain = (samplingContext) => JSON.parse(engine.explain(trace.encode(samplingContext), false));
    tracesSampler.stats = () => stats(engine);
    return tracesSampler;
  }
  function createBeforeSend(policy) {
    const { engine, error } = open(policy);
    function beforeSend(event, hint) {
      let rate = 1;
      try {
        rate = engine.decideError(error.encode({ event, hint }));
      } catch {
        rate = 1;
      }
      return Math.random() < rate ? event : null;
    }
    beforeSend.explain = (event, hint) => JSON.parse(engine.explain(error.encode({ event, hint }), true));
    beforeSend.stats = () => stats(engine);
    return beforeSend;
  }
  function _vectors(policy, shape) {
    const { engine, trace, error } = open(policy, shape);
    return {
      decide: (ctx) => engine.decide(trace.encode(ctx)),
      decideError: (ctx) => engine.decideError(error.encode(ctx)),
      explain: (ctx, isError) => JSON.parse(engine.explain((isError ? error : trace).encode(ctx), isError)),
      stats: () => stats(engine)
    };
  }
  return {
    createTracesSampler,
    createBeforeSend,
    compilePolicy: backend.compile ? (policy) => compilePolicy(policy) : () => {
      throw liteError();
    },
    PolicyError,
    version: backend.version,
    backend: backend.name,
    _vectors,
    _compile: compilePolicy
  };
}
function wasmBackend(wasm) {
  const memory = wasm.wasmMemory();
  return {
    name: "wasm",
    version: wasm.version(),
    // The browser module has no policy compiler: it only loads compiled policies.
    compile: typeof wasm.Sampler.prototype.compiled === "function" ? (text, shape) => engine((strings) => new wasm.Sampler(text, shape, strings)) : void 0,
    load: (bytes) => engine((strings) => wasm.Sampler.load(bytes, strings))
  };
  function engine(make) {
    let mem = new Uint8Array(memory.buffer);
    const strings = {
      values: [],
      fetch(node, at2, cap) {
        const v = strings.values[node];
        if (typeof v !== "string") return 4294967295;
        if (mem.byteLength === 0) mem = new Uint8Array(memory.buffer);
        return writeUtf8(v, mem, at2, cap);
      }
    };
    const s = make(strings);
    let ptr = 0;
    let size = 0;
    let view = new Uint8Array(0);
    return {
      plans: () => s.plans(),
      buffer(n) {
        if (n > size) {
          const old = view.byteLength === 0 ? null : view.slice();
          ptr = s.scratch(n);
          size = n;
          view = new Uint8Array(memory.buffer, ptr, size);
          if (old) view.set(old);
        } else if (view.byteLength === 0) {
          view = new Uint8Array(memory.buffer, ptr, size);
        }
        return view;
      },
      decide(len) {
        const r = s.decide(len);
        if (view.byteLength === 0) view = new Uint8Array(memory.buffer, ptr, size);
        return r;
      },
      decideError(len) {
        const r = s.decideError(len);
        if (view.byteLength === 0) view = new Uint8Array(memory.buffer, ptr, size);
        return r;
      },
      explain(len, error) {
        const r = s.explain(len, error);
        view = new Uint8Array(memory.buffer, ptr, size);
        return r;
      },
      stats: () => s.stats(),
      compiled: () => s.compiled(),
      strings
    };
  }
}
function nativeBackend(addon) {
  return {
    name: "native",
    version: addon.version(),
    compile: (text, shape) => engine(new addon.Sampler(text, shape)),
    load: (bytes) => engine(addon.Sampler.load(bytes))
  };
  function engine(s) {
    const call = s.handle * 2 ** 32;
    let view = new Uint8Array(0);
    const strings = { values: [], deferred: false };
    const deferred = () => strings.deferred ? strings.values : void 0;
    return {
      sampler: s,
      plans: () => s.plans(),
      buffer(n) {
        if (n > view.length) {
          const grown = new Uint8Array(n);
          grown.set(view);
          view = grown;
          s.bind(view);
        }
        return view;
      },
      decide: (len) => strings.deferred ? addon.decideDeferred(call + len, strings.values) : addon.decide(call + len),
      decideError: (len) => strings.deferred ? addon.decideErrorDeferred(call + len, strings.values) : addon.decideError(call + len),
      explain: (len, error) => s.explain(len, error, deferred()),
      stats: () => s.stats(),
      compiled: () => s.compiled(),
      strings
    };
  }
}
