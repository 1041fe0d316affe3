// The encoder's generated straight-line code (the fast path) writes exactly the bytes, and
// leaves out exactly the strings, of its generic walker (what runs where code cannot be
// generated, and after a getter threw), over the plans of several policies and contexts of
// every kind of value at every node: missing, null, booleans, numbers, ASCII and non-ASCII
// strings short and long, arrays, functions, objects; from a small buffer that must grow.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { Encoder, compilePlan } from '../../pkg/src/wire.js';
import { wasmBackend } from '../../pkg/src/shim.js';
import { policy as bundled, seedPolicy } from './traffic.mjs';
import { contexts, events, policy as wide } from './contexts.mjs';

const require = createRequire(import.meta.url);
const backend = wasmBackend(require('../../pkg/wasm/node/tracesieve_wasm.js'));

/** A growable buffer as the backends give one (it keeps the bytes when it grows). */
function growable() {
  let buf = new Uint8Array(16);
  return (n) => {
    if (n > buf.length) {
      const grown = new Uint8Array(n);
      grown.set(buf);
      buf = grown;
    }
    return buf;
  };
}

/** Two encoders over one plan: the generated code and the generic walker. */
function encoders(plan) {
  const make = () => new Encoder(compilePlan(plan), growable(), { values: [], deferred: false });
  const fast = make();
  const walker = make();
  walker.fast = null;
  assert.equal(typeof fast.fast, 'function', 'code was generated');
  return [fast, walker];
}

function bytes(enc, ctx) {
  enc.lazy.values = [];
  // The head's bytes after its last node are not part of the encoding: make them equal.
  enc.buf.fill(0);
  const n = enc.encode(ctx);
  return { bytes: [...enc.buf.subarray(0, n)], deferred: enc.lazy.deferred, values: enc.lazy.values };
}

// Values of every kind, put at every node of a plan.
const VALUES = [
  undefined, null, true, false, 0, -1.5, NaN, Infinity, '', 'GET /api/chat', 'é/ünïcode', '\ud800lone',
  'x'.repeat(32), 'y'.repeat(33), 'long '.repeat(100), [], ['a', 2], () => 1, {}, { a: 1 }, Symbol('s'), 10n,
];

/** A context with `value` at plan node `target` and plausible values elsewhere. */
function placed(plan, target, value) {
  const build = (i) => {
    if (i === target) return value;
    const children = plan.filter(([, parent], c) => c > 0 && parent === i);
    if (children.length === 0) return `v${i}`;
    const arrayish = children.some(([key]) => /^\[-?\d+\]$/.test(key));
    const o = arrayish ? [] : {};
    for (const [key] of children) {
      const c = plan.findIndex((n) => n[0] === key && n[1] === i);
      const m = /^\[(-?\d+)\]$/.exec(key);
      if (m) o[Number(m[1]) < 0 ? 0 : Number(m[1])] = build(c);
      else o[key] = build(c);
    }
    return o;
  };
  return build(0);
}

/**
 * Roots of unusual kinds: a class with prototype getters, non-enumerable own properties,
 * inherited ones, many keys before the plan's, a Proxy, a null-prototype object, a
 * function, an array.
 */
function unusualRoots(ctx) {
  class Getters {
    get name() {
      return ctx.name;
    }
    get attributes() {
      return ctx.attributes;
    }
  }
  const hidden = {};
  for (const [k, v] of Object.entries(ctx)) Object.defineProperty(hidden, k, { value: v, enumerable: false });
  const many = {};
  for (let k = 0; k < 40; k++) many[`k${k}`] = k;
  const bare = Object.create(null);
  const { name, ...unnamed } = ctx; // a function's own `name` is read-only (and not enumerable)
  return [
    new Getters(),
    hidden,
    Object.create(ctx),
    Object.assign(many, ctx),
    new Proxy(ctx, {}),
    Object.assign(bare, ctx),
    Object.assign(() => name, unnamed),
    Object.assign([], ctx),
  ];
}

const POLICIES = { seed: seedPolicy, bundled, wide };

for (const [label, policy] of Object.entries(POLICIES)) {
  const plans = JSON.parse(backend.compile(JSON.stringify(policy), 'js').plans());
  for (const kind of ['trace', 'error']) {
    test(`${label} ${kind} plan: generated code and walker write the same bytes`, () => {
      const plan = plans[kind];
      const [fast, walker] = encoders(plan);
      const inputs = kind === 'trace' ? contexts() : events().map(([event, hint]) => ({ event, hint }));
      for (const ctx of inputs.slice(0, 50)) if (ctx && typeof ctx === 'object') inputs.push(...unusualRoots(ctx));
      for (let target = 0; target < plan.length; target++) {
        for (const v of VALUES) inputs.push(placed(plan, target, v));
      }
      assert.ok(inputs.length > 100);
      for (const ctx of inputs) assert.deepEqual(bytes(fast, ctx), bytes(walker, ctx));
    });
  }
}
