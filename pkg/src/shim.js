// The public API over a backend (wasm or native). Shared by every entry point: it turns
// policies into text, contexts into bytes (wire.js) and results into JavaScript values.
// Policy logic, validation and field extraction all live in the Rust core.

import { Encoder, compilePlan, writeUtf8 } from './wire.js';

/** A policy that cannot be used: `problems` lists each problem with its JSON path. */
export class PolicyError extends Error {
  constructor(message, problems) {
    super(message);
    this.name = 'PolicyError';
    this.problems = problems;
  }
}

function policyError(message) {
  return new PolicyError(`invalid tracesieve policy: policy: ${message}`, [{ path: 'policy', message }]);
}

function policyText(policy) {
  if (typeof policy === 'string') return policy;
  let text;
  try {
    text = JSON.stringify(policy);
  } catch (e) {
    throw policyError(`cannot be written as JSON (${e && e.message})`);
  }
  return text === undefined ? 'null' : text;
}

/** The backend's error for a policy (its message is the error as JSON) as a PolicyError. */
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
    'this module (the browser build) loads compiled policies only: compile it with `npx tracesieve compile policy.json` ' +
      "or `compilePolicy(policy)` from 'tracesieve' in Node, or import 'tracesieve/full' to compile in the page",
  );
}

/**
 * The bytes of a compiled policy (`{ tracesieve, compiled }`, or the bytes themselves as a
 * typed array or an ArrayBuffer, from any realm), else null.
 */
function compiledBytes(policy) {
  const kind = Object.prototype.toString.call(policy);
  if (ArrayBuffer.isView(policy) || kind === '[object ArrayBuffer]' || kind === '[object SharedArrayBuffer]') {
    try {
      return ArrayBuffer.isView(policy)
        ? new Uint8Array(policy.buffer, policy.byteOffset, policy.byteLength)
        : new Uint8Array(policy);
    } catch (e) {
      throw policyError(`compiled bytes cannot be read (${e && e.message})`);
    }
  }
  if (policy === null || typeof policy !== 'object' || typeof policy.compiled !== 'string') return null;
  let binary;
  try {
    binary = atob(policy.compiled);
  } catch {
    throw policyError('compiled: is not base64');
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function toBase64(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * A policy (an object, JSON text, or compiled bytes) opened on `backend` for contexts of
 * `shape`: the engine, the encoders of its two read plans and the fallback rate.
 *
 * A backend, as the entry points adapt it: `compile(text, shape)` (absent in the browser
 * module) and `load(compiledBytes)` give an engine with `plans()`, `buffer(n)`,
 * `decide(len)`, `decideError(len)`, `explain(len, error)`, `stats()` and `compiled()`,
 * where `buffer(n)` returns the bytes the next call reads.
 */
function open(backend, policy, shape = 'js', recordKeys = undefined) {
  const bytes = compiledBytes(policy);
  let engine;
  try {
    if (bytes) engine = backend.load(bytes);
    else if (backend.compile) engine = backend.compile(policyText(policy), shape, recordKeys);
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
    fallbackRate: plans.defaultRate,
  };
}

/**
 * A compiled policy, `{ tracesieve: version, compiled: base64 }`, from a policy (an object
 * or JSON text) for contexts of `shape`: what the browser module loads. Throws a
 * `PolicyError` as `createTracesSampler` does.
 */
function compile(backend, policy, shape = 'js') {
  if (!backend.compile) throw liteError();
  const { engine } = open(backend, policy, shape);
  const bytes = engine.compiled();
  // What a build step writes must load in the page: check it here, not there.
  try {
    backend.load(bytes);
  } catch (e) {
    throw asPolicyError(e);
  }
  return { tracesieve: backend.version, compiled: toBase64(bytes) };
}

function stats(engine) {
  return JSON.parse(engine.stats());
}

/** The public API over a backend: what every entry point exports. */
export function api(backend) {
  /**
   * A `tracesSampler` for `Sentry.init` from a policy (an object or JSON text).
   * Throws a `PolicyError` listing every problem of an invalid policy.
   *
   * `options.record(line)`, when given, receives each decided root as a traffic line
   * (JSON text, see docs/cli.md) for `tracesieve simulate` and `diff`: the canonical
   * fields, the keys the policy reads and those of `options.recordKeys` (`{attributes,
   * custom}`), the decision; `options.sampleRand()` gives the trace's `sample_rand`
   * (`@sentry/*` does not pass it to the sampler). `options.recordRate` (or the record
   * function's own `recordRate`, as `recordToFile` sets it) records that share of roots.
   */
  function createTracesSampler(policy, options = undefined) {
    const record = options && typeof options.record === 'function' ? options.record : null;
    if (record) return recordingSampler(policy, options, record);
    const { engine, trace, fallbackRate } = open(backend, policy);
    function tracesSampler(samplingContext) {
      try {
        const rate = engine.decide(trace.encode(samplingContext));
        return rate >= 0 && rate <= 1 ? rate : fallbackRate;
      } catch {
        return fallbackRate;
      }
    }
    tracesSampler.explain = (samplingContext) =>
      JSON.parse(engine.explain(trace.encode(samplingContext), false));
    tracesSampler.stats = () => stats(engine);
    return tracesSampler;
  }

  /** A `tracesSampler` that records roots (a function of its own: the plain one is unchanged). */
  function recordingSampler(policy, options, record) {
    const keys = options.recordKeys ?? {};
    const recordKeys = JSON.stringify({ attributes: keys.attributes ?? [], custom: keys.custom ?? [] });
    const { engine, trace, fallbackRate } = open(backend, policy, 'js', recordKeys);
    const rate = Number(record.recordRate ?? options.recordRate ?? 1);
    const share = rate >= 0 && rate <= 1 ? rate : 1;
    const getRand = typeof options.sampleRand === 'function' ? options.sampleRand : null;
    // Every 1/share-th root, by a running sum: no random number, no bias by sample_rand.
    let due = 0;
    function tracesSampler(samplingContext) {
      try {
        due += share;
        if (due < 1) {
          const r = engine.decide(trace.encode(samplingContext));
          return r >= 0 && r <= 1 ? r : fallbackRate;
        }
        due -= 1;
        let rand;
        try {
          rand = getRand ? getRand(samplingContext) : undefined;
        } catch {
          rand = undefined;
        }
        const line = engine.decideRecord(
          trace.encode(samplingContext),
          typeof rand === 'number' ? rand : undefined,
          Date.now() / 1000,
        );
        const r = engine.lastRate();
        try {
          record(line);
        } catch {
          // A failing recorder never changes a decision.
        }
        return r >= 0 && r <= 1 ? r : fallbackRate;
      } catch {
        return fallbackRate;
      }
    }
    tracesSampler.explain = (samplingContext) => JSON.parse(engine.explain(trace.encode(samplingContext), false));
    tracesSampler.stats = () => stats(engine);
    return tracesSampler;
  }

  /**
   * A `beforeSend` hook from a policy's `errors` section: keeps or drops each error
   * event. Events that carry their trace's `sample_rand` share one fate per trace.
   */
  function createBeforeSend(policy) {
    const { engine, error } = open(backend, policy);
    function beforeSend(event, hint) {
      let rate = 1;
      try {
        rate = engine.decideError(error.encode({ event, hint }));
      } catch {
        rate = 1;
      }
      // A backend that could not decide (NaN) keeps the event: dropping errors silently is
      // the worse failure.
      if (!(rate >= 0 && rate <= 1)) rate = 1;
      return Math.random() < rate ? event : null;
    }
    beforeSend.explain = (event, hint) => JSON.parse(engine.explain(error.encode({ event, hint }), true));
    beforeSend.stats = () => stats(engine);
    return beforeSend;
  }

  return {
    createTracesSampler,
    createBeforeSend,
    compilePolicy: (policy) => compile(backend, policy),
    PolicyError,
    version: backend.version,
    backend: backend.name,
  };
}

/**
 * For the conformance vectors only: not exported by any entry point of the package (the
 * runners import this file by path). Over a backend whose module has the vectors' other
 * context shapes (`canonical`, `python`: the native addon, or the wasm module built with
 * the `conformance` feature), `vectors(policy, shape)` decides contexts of that shape
 * through the same read plan, wire and engine as the public API, and `compile(policy,
 * shape)` writes them as a compiled policy.
 */
export function conformance(backend) {
  return {
    vectors(policy, shape) {
      const { engine, trace, error } = open(backend, policy, shape);
      return {
        decide: (ctx) => engine.decide(trace.encode(ctx)),
        decideError: (ctx) => engine.decideError(error.encode(ctx)),
        explain: (ctx, isError) => JSON.parse(engine.explain((isError ? error : trace).encode(ctx), isError)),
        stats: () => stats(engine),
      };
    },
    compile: (policy, shape) => compile(backend, policy, shape),
  };
}

/** Adapts the wasm-bindgen module (`Sampler`, `wasmMemory`, `version`). */
export function wasmBackend(wasm) {
  const memory = wasm.wasmMemory();
  return {
    name: 'wasm',
    version: wasm.version(),
    // The browser module has no policy compiler: it only loads compiled policies.
    compile: wasm.hasCompiler()
      ? (text, shape, record) => engine((strings) => new wasm.Sampler(text, shape, strings, record))
      : undefined,
    load: (bytes) => engine((strings) => wasm.Sampler.load(bytes, strings)),
  };

  /** An engine over the sampler that `make(strings)` creates. */
  function engine(make) {
    let mem = new Uint8Array(memory.buffer);
    // The strings of the context being decided, by plan node; the engine fetches the
    // ones it needs (a trace plan and an error plan are never encoded at once).
    const strings = {
      values: [],
      fetch(node, at, cap) {
        const v = strings.values[node];
        if (typeof v !== 'string') return 0xffffffff;
        if (mem.byteLength === 0) mem = new Uint8Array(memory.buffer);
        return writeUtf8(v, mem, at, cap);
      },
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
      decideRecord(len, rand, timestamp) {
        const r = s.decideRecord(len, rand, timestamp);
        view = new Uint8Array(memory.buffer, ptr, size);
        return r;
      },
      lastRate: () => s.lastRate(),
      explain(len, error) {
        const r = s.explain(len, error);
        view = new Uint8Array(memory.buffer, ptr, size);
        return r;
      },
      stats: () => s.stats(),
      compiled: () => s.compiled(),
      strings,
    };
  }
}

/**
 * Adapts the napi-rs addon (`Sampler`, `version`). The addon's sampler keeps a reference
 * to the shim's buffer (`bind`, again whenever it grows); a decision passes the length of
 * the encoded bytes, and the left-out strings only when the encoder deferred any.
 */
export function nativeBackend(addon) {
  return {
    name: 'native',
    version: addon.version(),
    compile: (text, shape, record) => engine(new addon.Sampler(text, shape, record)),
    load: (bytes) => engine(addon.Sampler.load(bytes)),
  };

  /** An engine over the addon's sampler `s`. */
  function engine(s) {
    let view = new Uint8Array(0);
    // Long strings stay out of the bytes; the addon reads the ones a decision needs.
    const strings = { values: [], deferred: false };
    const deferred = () => (strings.deferred ? strings.values : undefined);
    return {
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
      decide: (len) => s.decide(len, deferred()),
      decideError: (len) => s.decideError(len, deferred()),
      decideRecord: (len, rand, timestamp) => s.decideRecord(len, deferred(), rand, timestamp),
      lastRate: () => s.lastRate(),
      explain: (len, error) => s.explain(len, error, deferred()),
      stats: () => s.stats(),
      compiled: () => s.compiled(),
      strings,
    };
  }
}
