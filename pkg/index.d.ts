// Types of the npm package `tracesieve`: every export, and the policy format
// (docs/policy.md). Checked in, and checked in CI (tests/js/types.ts, `tsc --noEmit`).
// `make build-js` writes index.d.cts (the CommonJS types) from this file.

/** A glob (`*` any run, `?` one character, `\` escapes), matched against the whole value. */
export type Glob = string;

/** A value a field can equal. */
export type Scalar = string | number | boolean;

/** Operators of a matcher object; all of them must hold. */
export interface Operators {
  eq?: Scalar | Scalar[];
  glob?: Glob | Glob[];
  prefix?: string | string[];
  suffix?: string | string[];
  contains?: string | string[];
  /**
   * A route template matched segment by segment (any of): `/users/:id`, `/users/{id}`,
   * `/users/<int:id>` match one non-empty segment; a last `*`, `*rest`, `{*rest}` or
   * `:rest*` matches the rest. One trailing slash is ignored.
   */
  route?: string | string[];
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
  exists?: boolean;
  /** Modifies eq, glob, prefix, suffix, contains and route: compare without case. */
  ignoreCase?: boolean;
}

/** A glob, any of several globs, equality with a number or boolean, or operators. */
export type Matcher = Glob | Glob[] | number | boolean | Operators;

/** A condition: every key must hold (AND). */
export interface Condition {
  /** The root span's name at start. */
  name?: Matcher;
  /** The operation (`attributes['sentry.op']` in JavaScript). */
  op?: Matcher;
  /** The instrumentation origin (`attributes['sentry.origin']`). */
  origin?: Matcher;
  /** The HTTP method, upper-cased (a lower-case pattern without ignoreCase is a PolicyError). */
  method?: Matcher;
  /** The URL path, without query string or fragment. */
  path?: Matcher;
  /** The parent decision; a root without one fails both true and false. */
  parentSampled?: boolean;
  /** Span attributes, by full key (`gen_ai.request.model`). */
  attributes?: Record<string, Matcher>;
  /**
   * The custom sampling context, by dotted path (`normalizedRequest.headers.user-agent`). In
   * JavaScript a path whose first key is not a top-level key of the sampling context is read
   * from the root's attributes (`Sentry.startSpan({ attributes: { 'user.tier': 'vip' } })`).
   */
  custom?: Record<string, Matcher>;
  /** The AI-run predicate. */
  genAi?: boolean;
  any?: Condition[];
  all?: Condition[];
  not?: Condition;
}

/** A condition of an error rule (`errors.rules[].when`). */
export interface ErrorCondition {
  /** The exception type (qualified or short name). */
  exception?: Matcher;
  level?: Matcher;
  logger?: Matcher;
  /** The message, or the exception value. */
  message?: Matcher;
  tags?: Record<string, Matcher>;
  custom?: Record<string, Matcher>;
  any?: ErrorCondition[];
  all?: ErrorCondition[];
  not?: ErrorCondition;
}

/** A trace rule. */
export interface Rule {
  /** Shown by explain() and counted by stats(); default `rules[i]`. */
  id?: string;
  when: Condition;
  /** A rate in [0, 1]. */
  rate: number;
  /** Evaluated before the parent decision (default false). */
  overrideParent?: boolean;
  description?: string;
}

/** An error rule. */
export interface ErrorRule {
  id?: string;
  when: ErrorCondition;
  rate: number;
  description?: string;
}

/** The built-in AI rule, as an object. */
export interface GenAiRule {
  /** Default 1. */
  rate?: number;
  /** Default true. */
  overrideParent?: boolean;
  /**
   * Server routes that serve AI features (globs on `path`): they apply to roots that serve a
   * request (op `http.server`, any `*.server`, or none), not to outgoing `http.client` roots.
   */
  routes?: Glob[];
  description?: string;
}

/** A tracesieve policy (format version 1, docs/policy.md). */
export interface Policy {
  version?: 1;
  /** The rate when nothing else decides, in [0, 1]. */
  defaultRate: number;
  /** Whether an incoming parent decision is honoured (default "inherit"). */
  parent?: 'inherit' | 'ignore';
  /** The built-in AI rule (default true). */
  genAi?: boolean | GenAiRule;
  rules?: Rule[];
  errors?: { defaultRate?: number; rules?: ErrorRule[] };
}

/** One problem of an invalid policy: where (a JSON path) and what. */
export interface Problem {
  path: string;
  message: string;
}

/**
 * Thrown by createTracesSampler, createBeforeSend and compilePolicy for an invalid policy
 * (or compiled bytes that are not a compiled policy of this version: path `policy`).
 */
export declare class PolicyError extends Error {
  readonly name: 'PolicyError';
  /** Every problem, in document order. */
  readonly problems: Problem[];
  constructor(message: string, problems: Problem[]);
}

/** Why a decision came out as it did: the precedence step that decided. */
export type Reason = 'forced' | 'genAi' | 'rule' | 'parent' | 'default';

/** What explain() returns. */
export interface Explanation {
  /** The rate, finite and in [0, 1]. */
  rate: number;
  reason: Reason;
  /** The id of the rule that decided (genAi and rule reasons). */
  ruleId: string | null;
  /** `sample_rand < rate`, when the context carried the trace's sample_rand. */
  sampled: boolean | null;
  /** Whether the context could not be read (the decision fell back). */
  fallback: boolean;
  /** The canonical fields the policy read, as it saw them (missing ones left out). */
  context: {
    name?: string;
    op?: string;
    origin?: string;
    method?: string;
    path?: string;
    exception?: string;
    level?: string;
    logger?: string;
    message?: string;
    attributes?: Record<string, unknown>;
    custom?: Record<string, unknown>;
    tags?: Record<string, unknown>;
    parentSampled?: boolean;
    parentSampleRate?: number;
    genAi?: boolean;
  };
}

/** Decision counts of one kind. */
export interface Counts {
  total: number;
  byReason: Partial<Record<Reason, number>>;
  byRule: Record<string, number>;
}

/** What stats() returns. */
export interface Stats {
  traces: Counts;
  errors: Counts;
  /**
   * Decisions made without a readable context (then the parent decision or defaultRate),
   * or that ignored a value no SDK sends (an invalid parentSampleRate or sample_rand).
   */
  fallbacks: number;
}

/** The sampling context `@sentry/core` passes to `tracesSampler` (v10, v11). */
export interface SamplingContext {
  name?: string;
  attributes?: Record<string, unknown>;
  parentSampled?: boolean;
  parentSampleRate?: number;
  normalizedRequest?: object;
  inheritOrSampleWith?: (fallbackRate: number) => number;
  [key: string]: unknown;
}

/** A `tracesSampler` for `Sentry.init`, with explain() and stats(). */
export interface TracesSampler {
  /** The sample rate of a root span: always a finite number in [0, 1]; never throws. */
  (samplingContext: SamplingContext): number;
  /** The decision with what it read, not counted. */
  explain(samplingContext: SamplingContext): Explanation;
  /** The decision counters. */
  stats(): Stats;
}

/** What `beforeSend` receives with an event (`originalException` is read). */
export interface EventHint {
  originalException?: unknown;
}

/** A `beforeSend` hook for `Sentry.init`, with explain() and stats(). */
export interface BeforeSend {
  /** The event (kept) or null (dropped); never throws. */
  <E extends object>(event: E, hint?: EventHint): E | null;
  explain(event: object, hint?: EventHint): Explanation;
  stats(): Stats;
}

/**
 * A policy compiled by `compilePolicy` or `npx tracesieve compile`: what the browser
 * module (the `browser` export condition of 'tracesieve') loads, having no policy
 * compiler. Valid for the same version of tracesieve only.
 */
export interface CompiledPolicy {
  /** The version that compiled it. */
  tracesieve: string;
  /** The compiled bytes, base64. */
  compiled: string;
}

/**
 * What createTracesSampler and createBeforeSend take: a policy (an object or JSON text), or
 * a compiled policy (the object, or its bytes in any typed array, DataView or ArrayBuffer).
 */
export type PolicyInput = Policy | string | CompiledPolicy | ArrayBufferView | ArrayBufferLike;

/**
 * A `tracesSampler` from a policy (an object or JSON text) or a compiled policy (in
 * browsers, a compiled policy only, unless imported from 'tracesieve/full').
 * @throws {PolicyError} listing every problem of an invalid policy.
 */
export declare function createTracesSampler(policy: PolicyInput, options?: TracesSamplerOptions): TracesSampler;

/** A record function: receives one traffic line (JSON text, no newline) per recorded root. */
export interface RecordFunction {
  (line: string): void;
  /** The share of roots to record, in [0, 1] (recordToFile sets it). */
  recordRate?: number;
}

/** Options of createTracesSampler: recording real roots for `tracesieve simulate` and `diff`. */
export interface TracesSamplerOptions {
  /**
   * Receives each recorded root as a traffic line: the canonical fields, the parent, the
   * attribute and custom keys the policy reads and those of `recordKeys`, `sampleRand` when
   * known, a timestamp and the decision. Nothing else of the context. Unset: no recording.
   */
  record?: RecordFunction;
  /** Keys to record besides those the policy reads. */
  recordKeys?: { attributes?: string[]; custom?: string[] };
  /** The share of roots to record (every 1/recordRate-th), when `record.recordRate` is unset. Default 1. */
  recordRate?: number;
  /**
   * The trace's sample_rand, which `@sentry/*` does not pass to the sampler:
   * `() => Sentry.getCurrentScope().getPropagationContext().sampleRand`.
   */
  sampleRand?: (samplingContext: SamplingContext) => number | undefined;
}

/** Options of recordToFile. */
export interface RecordToFileOptions {
  /** The share of roots recorded, in [0, 1]. Default 1. */
  recordRate?: number;
  /** Past this size (bytes, the file's size when opened included) nothing more is written. Default 64 MiB. */
  maxBytes?: number;
}

/**
 * Node only: a record function that appends JSONL to `path`, sampled and bounded.
 * `close()` closes the file.
 */
export declare function recordToFile(
  path: string,
  options?: RecordToFileOptions,
): RecordFunction & { close(): void };

/**
 * A `beforeSend` hook that applies the policy's `errors` rules: keeps or drops each error
 * event; the errors of one trace share one fate when the event carries its sample_rand.
 * @throws {PolicyError} listing every problem of an invalid policy.
 */
export declare function createBeforeSend(policy: PolicyInput): BeforeSend;

/**
 * Validates and compiles a policy for the browser module: JSON-safe, to write to a file
 * or inline in a bundle. Not in the browser module itself (it throws a PolicyError there).
 * @throws {PolicyError} listing every problem of an invalid policy.
 */
export declare function compilePolicy(policy: Policy | string | CompiledPolicy): CompiledPolicy;

/**
 * Loads the wasm module where that is asynchronous (browsers, workers, edge runtimes):
 * call it once before creating a sampler. In Node it resolves at once; in Cloudflare Workers
 * (the `workerd` condition) the module is imported, not fetched. Elsewhere pass the module's
 * URL, bytes, a Response or a compiled WebAssembly.Module where the default (the package's
 * `wasm/browser.wasm` or `wasm/full.wasm`, exported as `tracesieve/wasm/browser.wasm` and
 * `tracesieve/wasm/full.wasm`) cannot be fetched, as in bundles from esbuild or Bun.
 */
export declare function ready(
  wasm?: string | URL | Request | Response | BufferSource | WebAssembly.Module,
): Promise<void>;

/** The package version (the workspace version of every tracesieve package). */
export declare const version: string;

/** The backend in use: `wasm`, or `native` (the napi-rs addon, `tracesieve/native`). */
export declare const backend: 'wasm' | 'native';

// default-export:start (left out of index.d.cts: require('tracesieve') is the named exports)
/** Every export as one object: `import tracesieve from 'tracesieve'`. */
declare const tracesieve: {
  createTracesSampler: typeof createTracesSampler;
  createBeforeSend: typeof createBeforeSend;
  compilePolicy: typeof compilePolicy;
  ready: typeof ready;
  PolicyError: typeof PolicyError;
  /** The package version (outside Node: once `ready()` has resolved). */
  readonly version: string;
  readonly backend: 'wasm' | 'native';
  /** Node only (the `node` entries). */
  recordToFile?: typeof recordToFile;
};
export default tracesieve;
// default-export:end
