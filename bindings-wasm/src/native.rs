//! The same engine as a native library (`libtracesieve_abi.so`) with a C ABI of real
//! pointers, for hosts that call native code (Java 22+ FFM, measured in docs/benchmarks.md
//! against Chicory). The host owns its memory: it passes the wire bytes by pointer and
//! length; nothing is copied. Not part of `tracesieve.wasm`.

use alloc::boxed::Box;

use tracesieve_js_common::Engine;

use crate::SHAPES;

/// Compiles the UTF-8 JSON policy at `ptr` (`len` bytes) for shape `shape` (as
/// `ts_compile`): an engine, or null when the policy has problems (the wasm module's
/// `ts_error` tells them; this library is only the fast path of a host that already
/// compiled the policy once).
///
/// # Safety
/// `ptr` points to `len` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsn_compile(ptr: *const u8, len: usize, shape: u32) -> *mut Engine {
    // SAFETY: the caller's contract.
    let bytes = unsafe { core::slice::from_raw_parts(ptr, len) };
    let (Ok(text), Some(shape)) = (core::str::from_utf8(bytes), SHAPES.get(shape as usize)) else {
        return core::ptr::null_mut();
    };
    Engine::with_shape(text, shape).map_or(core::ptr::null_mut(), |e| Box::into_raw(Box::new(e)))
}

/// Decides the trace root (`error` 0) or error event (`error` 1) encoded at `ptr` (`len`
/// bytes, the plan's wire format): the rate, or -1 for a null engine.
///
/// # Safety
/// `engine` is null or from [`tsn_compile`] and not released; `ptr` points to `len`
/// readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsn_decide(engine: *const Engine, ptr: *const u8, len: usize, error: u32) -> f64 {
    // SAFETY: the caller's contract.
    let (Some(e), wire) = (unsafe { engine.as_ref() }, unsafe { core::slice::from_raw_parts(ptr, len) }) else {
        return -1.0;
    };
    if error == 0 { e.decision(wire, None).rate } else { e.decision_error(wire, None).rate }
}

/// Releases an engine of [`tsn_compile`].
///
/// # Safety
/// `engine` is null or from [`tsn_compile`] and not released.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsn_release(engine: *mut Engine) {
    if !engine.is_null() {
        // SAFETY: the caller's contract.
        drop(unsafe { Box::from_raw(engine) });
    }
}
