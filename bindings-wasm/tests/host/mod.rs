//! A host of `tracesieve.wasm` written from `docs/wasm-abi.md` alone, on the `wasmi`
//! interpreter: loads the module, compiles policies, encodes JSON contexts along the read
//! plans in the wire format, decides, explains.

use std::path::PathBuf;

use serde_json::Value as Json;
use wasmi::{Engine, Instance, Linker, Memory, Module, Store, TypedFunc};

/// The built module: `TRACESIEVE_WASM`, else `target/wasm-abi/out/tracesieve.wasm`
/// (`make build-wasm-abi`).
pub fn module_path() -> PathBuf {
    std::env::var_os("TRACESIEVE_WASM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/wasm-abi/out/tracesieve.wasm"))
}

/// The module's bytes, or a panic that says how to build them.
pub fn module_bytes() -> Vec<u8> {
    let path = module_path();
    std::fs::read(&path).unwrap_or_else(|e| {
        panic!("{}: {e}; build it first with `make build-wasm-abi` (or set TRACESIEVE_WASM)", path.display())
    })
}

/// One instance of the module.
pub struct Host {
    store: Store<()>,
    memory: Memory,
    instance: Instance,
}

/// A decision as the record of `ts_result` has it.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub rate: f64,
    pub rule: i32,
    pub reason: u8,
    pub sampled: u8,
    pub kind: u8,
}

/// A compiled policy in a host: its handle and its read plans.
#[derive(Debug)]
pub struct Policy {
    pub handle: u32,
    pub plans: Json,
}

pub const REASONS: [&str; 5] = ["forced", "genAi", "rule", "parent", "default"];

impl Host {
    /// Instantiates the module: it must import nothing.
    pub fn new() -> Host {
        let engine = Engine::default();
        let module = Module::new(&engine, &module_bytes()[..]).expect("a valid wasm module");
        assert_eq!(module.imports().count(), 0, "tracesieve.wasm imports nothing");
        let mut store = Store::new(&engine, ());
        let linker = Linker::<()>::new(&engine);
        let instance =
            linker.instantiate(&mut store, &module).and_then(|pre| pre.start(&mut store)).expect("instantiates");
        let memory = instance.get_memory(&store, "memory").expect("exports its memory");
        Host { store, memory, instance }
    }

    fn func<P: wasmi::WasmParams, R: wasmi::WasmResults>(&self, name: &str) -> TypedFunc<P, R> {
        self.instance.get_typed_func::<P, R>(&self.store, name).unwrap_or_else(|e| panic!("export {name}: {e}"))
    }

    /// Calls an export (a trap fails the test: errors must be data).
    pub fn call<P: wasmi::WasmParams, R: wasmi::WasmResults>(&mut self, name: &str, args: P) -> R {
        let f = self.func::<P, R>(name);
        f.call(&mut self.store, args).unwrap_or_else(|e| panic!("{name} trapped: {e}"))
    }

    pub fn write(&mut self, at: u32, bytes: &[u8]) {
        self.memory.write(&mut self.store, at as usize, bytes).expect("in memory");
    }

    pub fn read(&self, at: u32, len: usize) -> Vec<u8> {
        let mut buf = vec![0; len];
        self.memory.read(&self.store, at as usize, &mut buf).expect("in memory");
        buf
    }

    /// The bytes of a packed `ptr << 32 | len` output.
    pub fn packed(&self, packed: u64) -> Vec<u8> {
        self.read((packed >> 32) as u32, (packed & 0xffff_ffff) as usize)
    }

    pub fn text(&self, packed: u64) -> String {
        String::from_utf8(self.packed(packed)).expect("UTF-8 output")
    }

    /// Copies `bytes` into a fresh allocation: its address.
    pub fn input(&mut self, bytes: &[u8]) -> u32 {
        let ptr: u32 = self.call("ts_alloc", bytes.len().max(1) as u32);
        assert_ne!(ptr, 0, "ts_alloc");
        self.write(ptr, bytes);
        ptr
    }

    fn adopt(&mut self, handle: u32) -> Result<Policy, Json> {
        if handle == 0 {
            let error = self.call::<(), u64>("ts_error", ());
            return Err(serde_json::from_str(&self.text(error)).expect("error JSON"));
        }
        let plans = self.call::<u32, u64>("ts_plans", handle);
        Ok(Policy { handle, plans: serde_json::from_str(&self.text(plans)).expect("plans JSON") })
    }

    /// Compiles a JSON policy for `shape` (0 js, 1 canonical, 2 python, 3 java); the error
    /// JSON when it does not compile.
    pub fn compile(&mut self, policy: &str, shape: u32) -> Result<Policy, Json> {
        let ptr = self.input(policy.as_bytes());
        let handle: u32 = self.call("ts_compile", (ptr, policy.len() as u32, shape));
        assert_eq!(self.call::<u32, u32>("ts_free", ptr), 1);
        self.adopt(handle)
    }

    /// Compiles a JSON policy for `shape` with record keys (`ts_compile_record`).
    pub fn compile_record(&mut self, policy: &str, shape: u32, keys: &str) -> Result<Policy, Json> {
        let ptr = self.input(policy.as_bytes());
        let kptr = self.input(keys.as_bytes());
        let handle: u32 = self.call("ts_compile_record", (ptr, policy.len() as u32, shape, kptr, keys.len() as u32));
        assert_eq!(self.call::<u32, u32>("ts_free", ptr), 1);
        assert_eq!(self.call::<u32, u32>("ts_free", kptr), 1);
        self.adopt(handle)
    }

    /// Loads compiled-policy bytes.
    pub fn load(&mut self, bytes: &[u8]) -> Result<Policy, Json> {
        let ptr = self.input(bytes);
        let handle: u32 = self.call("ts_load", (ptr, bytes.len() as u32));
        assert_eq!(self.call::<u32, u32>("ts_free", ptr), 1);
        self.adopt(handle)
    }

    /// Writes `wire` into the handle's buffer: its length.
    fn put(&mut self, p: &Policy, wire: &[u8]) -> u32 {
        let at: u32 = self.call("ts_buffer", (p.handle, wire.len() as u32));
        assert_ne!(at, 0, "ts_buffer");
        self.write(at, wire);
        wire.len() as u32
    }

    /// Decides `ctx` (a trace root, or an error event when `error`): the rate returned and
    /// the record.
    pub fn decide(&mut self, p: &Policy, ctx: &Json, error: bool) -> (f64, Record) {
        let wire = encode(&p.plans[if error { "error" } else { "trace" }], ctx);
        let len = self.put(p, &wire);
        let rate: f64 = self.call(if error { "ts_decide_error" } else { "ts_decide" }, (p.handle, len));
        let at: u32 = self.call("ts_result", p.handle);
        let r = self.read(at, 16);
        let record = Record {
            rate: f64::from_le_bytes(r[..8].try_into().expect("8 bytes")),
            rule: i32::from_le_bytes(r[8..12].try_into().expect("4 bytes")),
            reason: r[12],
            sampled: r[13],
            kind: r[14],
        };
        (rate, record)
    }

    /// Decides `ctx` (a trace root) and records it (`ts_decide_record`, NaN for an unknown
    /// `sample_rand` or `timestamp`): the record and the traffic line.
    pub fn decide_record(&mut self, p: &Policy, ctx: &Json, sample_rand: f64, timestamp: f64) -> (Record, String) {
        let wire = encode(&p.plans["trace"], ctx);
        let len = self.put(p, &wire);
        let line: u64 = self.call("ts_decide_record", (p.handle, len, sample_rand, timestamp));
        let line = self.text(line);
        let at: u32 = self.call("ts_result", p.handle);
        let r = self.read(at, 16);
        let record = Record {
            rate: f64::from_le_bytes(r[..8].try_into().expect("8 bytes")),
            rule: i32::from_le_bytes(r[8..12].try_into().expect("4 bytes")),
            reason: r[12],
            sampled: r[13],
            kind: r[14],
        };
        (record, line)
    }

    /// Explains `ctx` (not counted).
    pub fn explain(&mut self, p: &Policy, ctx: &Json, error: bool) -> Json {
        let wire = encode(&p.plans[if error { "error" } else { "trace" }], ctx);
        let len = self.put(p, &wire);
        let out: u64 = self.call("ts_explain", (p.handle, len, u32::from(error)));
        serde_json::from_str(&self.text(out)).expect("explanation JSON")
    }

    pub fn stats(&mut self, p: &Policy) -> Json {
        let out: u64 = self.call("ts_stats", p.handle);
        serde_json::from_str(&self.text(out)).expect("stats JSON")
    }

    pub fn compiled(&mut self, p: &Policy) -> Vec<u8> {
        let out: u64 = self.call("ts_compiled", p.handle);
        self.packed(out)
    }

    pub fn release(&mut self, p: Policy) {
        assert_eq!(self.call::<u32, u32>("ts_release", p.handle), 1);
    }
}

/// The child `key` of a JSON value as a plan node reads it: an object's member, or an
/// array's item for `[i]` (negative from the end).
fn child<'j>(parent: &'j Json, key: &str) -> Option<&'j Json> {
    if let (Some(items), Some(i)) = (parent.as_array(), key.strip_prefix('[').and_then(|k| k.strip_suffix(']'))) {
        let i: isize = i.parse().ok()?;
        let at = if i < 0 { items.len().checked_sub(i.unsigned_abs())? } else { i as usize };
        return items.get(at);
    }
    parent.as_object()?.get(key)
}

/// Encodes `ctx` along `plan` (nodes `[key, parent, end, [scans], primary]`) in the wire
/// format of `docs/wasm-abi.md`: every string written in full.
pub fn encode(plan: &Json, ctx: &Json) -> Vec<u8> {
    let nodes = plan.as_array().expect("a plan is a list");
    let scans = |n: &Json| n[3].as_array().map_or(0, Vec::len);
    let head_len = (1 + 9 * nodes.len() + nodes.iter().map(scans).sum::<usize>()).next_multiple_of(16);
    let mut head = vec![0u8; head_len];
    let mut strings = Vec::new();
    let mut values: Vec<Option<&Json>> = Vec::with_capacity(nodes.len());
    let mut scan_at = 1 + 9 * nodes.len();
    for (i, node) in nodes.iter().enumerate() {
        let parent = node[1].as_u64().expect("parent") as usize;
        let value = if i == 0 {
            Some(ctx)
        } else {
            // Only the children of a written object or array are read.
            values[parent].filter(|p| p.is_object() || p.is_array()).and_then(|p| child(p, node[0].as_str().unwrap()))
        };
        let at = 1 + 9 * i;
        head[at] = match value {
            None | Some(Json::Null) => 0,
            Some(Json::String(s)) => {
                head[at + 1..at + 5].copy_from_slice(&(strings.len() as u32).to_le_bytes());
                head[at + 5..at + 9].copy_from_slice(&(s.len() as u32).to_le_bytes());
                strings.extend_from_slice(s.as_bytes());
                1
            }
            Some(Json::Number(n)) => {
                head[at + 1..at + 9].copy_from_slice(&n.as_f64().unwrap_or(f64::NAN).to_le_bytes());
                2
            }
            Some(Json::Bool(b)) => 3 + u8::from(*b),
            Some(Json::Object(map)) => {
                for (k, prefix) in node[3].as_array().into_iter().flatten().enumerate() {
                    let prefix = prefix.as_str().unwrap();
                    head[scan_at + k] = u8::from(map.keys().any(|key| key.starts_with(prefix)));
                }
                5
            }
            Some(Json::Array(_)) => 7,
        };
        scan_at += scans(node);
        values.push(value);
    }
    head.extend_from_slice(&strings);
    head
}
