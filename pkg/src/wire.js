// Reads a host object along a read plan and encodes what it finds in the plan's wire
// format (core/src/wire/plan.rs): a head with 9 bytes at a fixed place for each node (its
// tag and payload) and a byte for each scan, then the strings' UTF-8, all together (so that
// the core checks it once).
// This is conversion only: which paths to read comes from the core (the plan is recorded
// from its SDK adapters), and what the values mean is decided there too.

/** Strings longer than this (UTF-8 bytes) are not read (the core's MAX_JS_STR). */
export const MAX_STR = 64 * 1024;

/**
 * In lazy mode, strings up to this many UTF-16 units are still written inline: copying a
 * short string costs less than the call that would fetch it (measured, make bench-js).
 */
export const INLINE_STR = 32;

const utf8 = new TextEncoder();

/**
 * A compiled read plan: per node its key (or array index), its children, its scans and
 * whether it is a primary source (read even when every value is present) or a fallback.
 * @param {Array<[string, number, number, string[], boolean]>} nodes
 *   `[key, parent, end, scans, primary]`
 */
export function compilePlan(nodes) {
  const plan = nodes.map(([key, , end, scans, primary]) => {
    const m = /^\[(-?\d+)\]$/.exec(key);
    return { key, index: m ? Number(m[1]) : null, end, scans, primary, children: [] };
  });
  for (let i = 1; i < nodes.length; i++) plan[nodes[i][1]].children.push(i);
  return plan;
}

/** Where node `i`'s 9 bytes are in the head. */
const at = (i) => 1 + 9 * i;

/**
 * An encoder over a growable byte buffer. `buffer(n)` must return a Uint8Array of at
 * least `n` bytes holding the bytes written so far (it may move them); the backend's
 * other encoder shares it, so each encode starts by asking for it again.
 */
export class Encoder {
  /**
   * `lazy`, when given, is `{ values, deferred }`: `values` receives each long string by
   * node index instead of the bytes (wire tag 8), and `deferred` says whether the last
   * encode left any out; the backend fetches the ones a decision needs.
   */
  constructor(plan, buffer, lazy = null) {
    this.plan = plan;
    this.lazy = lazy;
    this.buffer = buffer;
    /** Where each node's scans are in the head: after every node's 9 bytes. */
    this.scanAt = [];
    let scans = at(plan.length);
    for (const node of plan) {
      this.scanAt.push(scans);
      scans += node.scans.length;
    }
    /**
     * The head's size: the flags byte, 9 per node and 1 per scan, rounded up to a multiple
     * of 16. The strings follow it (the core computes the same size).
     */
    this.fixed = Math.ceil(scans / 16) * 16;
    this.buf = null;
    this.view = null;
    this.take(buffer(Math.max(256, this.fixed)));
    /** Where the next string byte goes (from `fixed` on). */
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
      // A getter threw (or a Proxy trap): read again, one guarded read at a time, so that
      // whatever is readable (the parent decision) still counts.
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
    // The backend's buffer now (another encoder over the same backend may have grown it).
    this.take(this.buffer(this.fixed));
    if (careful || this.fast === null) this.node(0, root);
    else this.fast(root, this);
    this.buf[0] = this.failed ? 1 : 0;
    return this.s;
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
    // Where the first string goes: `encodeInto` writes at the start of its target, and a
    // view made per string would cost more than it saves.
    this.first = buf.subarray(this.fixed);
  }

  read(o, node) {
    if (!this.careful) return node.index === null ? o[node.key] : readIndex(o, node.index);
    try {
      return node.index === null ? o[node.key] : readIndex(o, node.index);
    } catch {
      this.failed = true;
      return undefined;
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
      case 'string':
        // Short strings of primary sources go in the bytes; long ones, and fallbacks (read
        // only when a primary source is missing), are fetched if a decision needs them.
        if (this.lazy === null || (v.length <= INLINE_STR && this.plan[i].primary)) this.string(v, i);
        else if (v.length > MAX_STR) {
          buf[p] = 0;
          this.failed = true;
        } else {
          buf[p] = 8;
          this.lazy.values[i] = v;
          this.lazy.deferred = true;
        }
        return false;
      case 'number':
        buf[p] = 2;
        this.view.setFloat64(p + 1, v, true);
        return false;
      case 'boolean':
        buf[p] = v ? 4 : 3;
        return false;
      case 'undefined':
        buf[p] = 0;
        if (i === 0) this.failed = true;
        return false;
      case 'object':
      case 'function':
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
    // The first character compared before `startsWith`: most keys differ there.
    const first = prefix.charCodeAt(0);
    try {
      for (const k in o) if ((k.charCodeAt(0) === first || prefix === '') && k.startsWith(prefix)) return true;
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
      if (c > 0x7f) {
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
}

/**
 * The plan as straight-line code with constant property names (fast property access) and
 * constant places in the head, the string position in a local, and the usual values
 * (missing, objects, booleans, numbers, short ASCII strings of primary sources) written
 * inline; anything else goes through the encoder's methods. Null where code cannot be
 * generated (a Content-Security-Policy without 'unsafe-eval', some edge runtimes): the
 * generic walker is then used.
 */
function straightLine(plan, scanAt, fixed) {
  const body = [];
  // Calls an encoder method with the string position synchronised (it may grow the buffer).
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
      // The first string of a context (usually the only one, or the name): one
      // `encodeInto` call into the view at the start of the strings (a third fewer
      // instructions than copying 20 characters one by one, measured).
      branches.push([
        `typeof ${v} === 'string' && s === ${fixed} && ${v}.length <= ${INLINE_STR} && ${fixed + 3 * INLINE_STR} <= buf.length`,
        `{ const n = utf8.encodeInto(${v}, w.first).written;
          buf[${p}] = 1; view.setUint32(${p + 1}, 0, true); view.setUint32(${p + 5}, n, true); s += n; }`,
      ]);
      branches.push([
        `typeof ${v} === 'string' && ${v}.length <= ${INLINE_STR} && s + ${3 * INLINE_STR} <= buf.length`,
        `{ const n = ${v}.length; let q = s;
          for (let k = 0; k < n; k++) { const c = ${v}.charCodeAt(k); if (c > 0x7f) { q = -1; break; } buf[q++] = c; }
          if (q < 0) ${call(`w.string(${v}, ${i})`)}
          else { buf[${p}] = 1; view.setUint32(${p + 1}, s - ${fixed}, true); view.setUint32(${p + 5}, n, true); s = q; } }`,
      ]);
    }
    branches.forEach(([cond, code], k) => {
      body.push(`${k ? '} else ' : ''}if (${cond}) {`);
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
  emit(0, 'root');
  const source = `return function encode(root, w) {\nlet buf = w.buf; let view = w.view; let s = w.s;\n${body.join('\n')}\nw.s = s;\n};`;
  try {
    return new Function('readIndex', 'utf8', source)(readIndex, utf8);
  } catch {
    return null;
  }
}

function readIndex(o, i) {
  if (!Array.isArray(o)) return undefined;
  return o[i < 0 ? o.length + i : i];
}

/**
 * Writes the UTF-8 of `s` into `mem` at `ptr` (at most `cap` bytes); returns its length,
 * or a bound larger than `cap` when it does not fit.
 */
export function writeUtf8(s, mem, ptr, cap) {
  const n = s.length;
  if (n > cap) return 3 * n;
  let q = ptr;
  for (let k = 0; k < n; k++) {
    const c = s.charCodeAt(k);
    if (c > 0x7f) {
      const { read, written } = utf8.encodeInto(s, mem.subarray(ptr, ptr + cap));
      return read < n ? 3 * n : written;
    }
    mem[q++] = c;
  }
  return n;
}
