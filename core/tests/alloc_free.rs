//! Deciding allocates nothing: a counting global allocator watches `decide` over the
//! bundled traffic with the bundled policy and with a 100-rule policy.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use tracesieve::sdk::Canonical;
use tracesieve::{Sampler, SpanContext};

#[path = "../benches/common.rs"]
mod common;

struct Counting;

thread_local! {
    /// Allocations made by this thread (tests run on parallel threads).
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn count() {
    ALLOCATIONS.with(|n| n.set(n.get() + 1));
}

// SAFETY: forwards every call to the system allocator unchanged; it only counts.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations made by `f`.
fn allocations(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.with(Cell::get);
    f();
    ALLOCATIONS.with(Cell::get) - before
}

#[test]
fn deciding_allocates_nothing() {
    let roots = common::traffic(4000);
    let attrs: Vec<_> = roots.iter().map(common::attributes).collect();
    let contexts: Vec<SpanContext<'_>> = roots.iter().zip(&attrs).map(|(r, a)| common::context(r, a)).collect();
    let hundred = common::hundred_rule_policy();
    for policy in [common::SEED_POLICY, hundred.as_str()] {
        let sampler = Sampler::from_json(policy).expect("valid policy");
        let mut kept = 0.0;
        let n = allocations(|| contexts.iter().for_each(|c| kept += sampler.decide(c).rate));
        assert_eq!(n, 0, "{n} allocations over {} decisions", contexts.len());
        assert!(kept > 0.0, "decisions were made");
        assert_eq!(sampler.stats().traces.total, contexts.len() as u64);
    }
}

#[test]
fn deciding_from_json_values_allocates_nothing() {
    let sampler = Sampler::from_json(common::SEED_POLICY).expect("valid policy");
    let contexts: Vec<serde_json::Value> = include_str!("../../examples/traffic.jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).expect("valid line"))
        .collect();
    let n = allocations(|| {
        for c in &contexts {
            std::hint::black_box(sampler.decide(&Canonical::new(c)));
        }
    });
    assert_eq!(n, 0);
}

#[test]
fn the_counter_sees_allocations() {
    // The allocator above really counts: a test that could not fail would prove nothing.
    assert!(allocations(|| drop(std::hint::black_box(vec![1u8; 64]))) > 0);
}
