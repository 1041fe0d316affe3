/* tslint:disable */
/* eslint-disable */
export const memory: WebAssembly.Memory;
export const __wbg_sampler_free: (a: number, b: number) => void;
export const sampler_compiled: (a: number) => [number, number];
export const sampler_decide: (a: number, b: number) => number;
export const sampler_decideError: (a: number, b: number) => number;
export const sampler_explain: (a: number, b: number, c: number) => [number, number];
export const sampler_load: (a: number, b: number, c: any) => [number, number, number];
export const sampler_new: (a: number, b: number, c: number, d: number, e: any) => [number, number, number];
export const sampler_plans: (a: number) => [number, number];
export const sampler_scratch: (a: number, b: number) => number;
export const sampler_stats: (a: number) => [number, number];
export const version: () => [number, number];
export const wasmMemory: () => any;
export const __wbindgen_externrefs: WebAssembly.Table;
export const __wbindgen_free: (a: number, b: number, c: number) => void;
export const __wbindgen_malloc: (a: number, b: number) => number;
export const __externref_table_dealloc: (a: number) => void;
export const __wbindgen_realloc: (a: number, b: number, c: number, d: number) => number;
export const __wbindgen_start: () => void;
