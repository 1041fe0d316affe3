//! Decision counters: lock-free, readable as a snapshot at any time.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use core::sync::atomic::Ordering::Relaxed;

use crate::decide::decision::Reason;

#[cfg(target_has_atomic = "64")]
type Counter = core::sync::atomic::AtomicU64;
#[cfg(not(target_has_atomic = "64"))]
type Counter = core::sync::atomic::AtomicUsize;

fn load(c: &Counter) -> u64 {
    #[allow(clippy::useless_conversion)]
    u64::try_from(c.load(Relaxed)).unwrap_or(u64::MAX)
}

/// Counters of one kind of decision (trace roots, or error events): one atomic increment
/// per decision, on the rule's counter when a rule decided, else on the reason's.
#[derive(Debug)]
pub(crate) struct Tally {
    reasons: [Counter; Reason::ALL.len()],
    rules: Box<[(Counter, Reason)]>,
}

impl Tally {
    /// Counters for rules that decide with these reasons, in slot order.
    pub(crate) fn new(rules: impl IntoIterator<Item = Reason>) -> Self {
        Tally { reasons: Default::default(), rules: rules.into_iter().map(|r| (Counter::new(0), r)).collect() }
    }

    #[inline]
    pub(crate) fn record(&self, reason: Reason, rule: Option<usize>) {
        match rule.and_then(|i| self.rules.get(i)) {
            Some((slot, _)) => slot.fetch_add(1, Relaxed),
            None => self.reasons[reason as usize].fetch_add(1, Relaxed),
        };
    }

    pub(crate) fn snapshot(&self, ids: &[String], reasons: &[Reason]) -> Counts {
        let count = |r: Reason| {
            let by_rules: u64 = self.rules.iter().filter(|(_, why)| *why == r).map(|(c, _)| load(c)).sum();
            load(&self.reasons[r as usize]) + by_rules
        };
        let by_reason: Vec<(Reason, u64)> = reasons.iter().map(|r| (*r, count(*r))).collect();
        Counts {
            total: by_reason.iter().map(|(_, n)| n).sum(),
            by_reason,
            by_rule: ids.iter().cloned().zip(self.rules.iter().map(|(c, _)| load(c))).collect(),
        }
    }
}

/// A snapshot of a sampler's counters, from [`Sampler::stats`](crate::Sampler::stats).
///
/// Counters are relaxed atomics: a snapshot taken while other threads decide may be a few
/// decisions behind, and each counter is exact once they stop.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stats {
    /// Trace-root decisions ([`decide`](crate::Sampler::decide) and
    /// [`decide_fallback`](crate::Sampler::decide_fallback)).
    pub traces: Counts,
    /// Error-event decisions ([`decide_error`](crate::Sampler::decide_error)).
    pub errors: Counts,
    /// Decisions on contexts that could not be read ([`Context::read_failed`](crate::Context::read_failed),
    /// or a binding's [`decide_fallback`](crate::Sampler::decide_fallback)), and decisions
    /// that ignored a value no SDK sends ([`Context::ignored_invalid`](crate::Context::ignored_invalid),
    /// a parent sample rate outside [0, 1]); each is also counted in `traces` or `errors`.
    pub fallbacks: u64,
}

/// Decision counts of one kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Counts {
    /// Every decision.
    pub total: u64,
    /// Decisions by reason (every reason that applies to the kind, zeros included).
    pub by_reason: Vec<(Reason, u64)>,
    /// Decisions by rule id, in policy order (`genAi` first when enabled), zeros included.
    pub by_rule: Vec<(String, u64)>,
}

impl Counts {
    /// The count for one reason (0 if the kind has no such reason).
    pub fn reason(&self, reason: Reason) -> u64 {
        self.by_reason.iter().find(|(r, _)| *r == reason).map_or(0, |(_, n)| *n)
    }

    /// The count for one rule id (0 if there is no such rule).
    pub fn rule(&self, id: &str) -> u64 {
        self.by_rule.iter().find(|(r, _)| r == id).map_or(0, |(_, n)| *n)
    }
}

/// Counts fallbacks.
#[derive(Debug, Default)]
pub(crate) struct FallbackCounter(Counter);

impl FallbackCounter {
    pub(crate) fn bump(&self) {
        self.0.fetch_add(1, Relaxed);
    }
    pub(crate) fn get(&self) -> u64 {
        load(&self.0)
    }
}
