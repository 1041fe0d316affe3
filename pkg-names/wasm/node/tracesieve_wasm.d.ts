/* tslint:disable */
/* eslint-disable */

/**
 * A compiled policy with its scratch buffers.
 */
export class Sampler {
    free(): void;
    [Symbol.dispose](): void;
    /**
     * The policy as compiled-policy bytes, for [`load`](Self::load).
     */
    compiled(): Uint8Array;
    /**
     * Decides an error event from the first `len` bytes of the scratch buffer.
     */
    decideError(len: number): number;
    /**
     * Decides a trace root from the first `len` bytes of the scratch buffer: the rate.
     */
    decide(len: number): number;
    /**
     * Explains a trace root or an error event, as JSON.
     */
    explain(len: number, error: boolean): string;
    /**
     * Loads a compiled policy (the bytes of [`compiled`](Self::compiled)); throws as
     * [`new`](Self::new).
     */
    static load(bytes: Uint8Array | number[], strings: any): Sampler;
    /**
     * Compiles a JSON policy for contexts of `shape` (`js`, or `canonical` / `python` for
     * the conformance vectors); throws an `Error` whose message is the policy error as
     * JSON.
     */
    constructor(policy: string, shape: string, strings: any);
    /**
     * The read plans as JSON.
     */
    plans(): string;
    /**
     * Makes the scratch buffer `len` bytes long and returns its address in wasm memory.
     */
    scratch(len: number): number;
    /**
     * The counters as JSON.
     */
    stats(): string;
}

/**
 * The package version.
 */
export function version(): string;

/**
 * The module's linear memory, where the scratch buffers live.
 */
export function wasmMemory(): any;
