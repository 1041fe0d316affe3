//! The result of a decision.

use core::fmt;

/// Why a decision came out as it did: the precedence step that decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Reason {
    /// Step 1: the context carried a forced decision.
    Forced,
    /// Step 2 (or 4, without `overrideParent`): the built-in `genAi` rule matched.
    GenAi,
    /// Step 2 or 4: a user rule matched (or, for error events, an error rule).
    Rule,
    /// Step 3: the parent's rate or decision.
    Parent,
    /// Step 5: `defaultRate` (or `errors.defaultRate`).
    Default,
}

impl Reason {
    /// Every reason, in precedence order.
    pub const ALL: [Reason; 5] = [Reason::Forced, Reason::GenAi, Reason::Rule, Reason::Parent, Reason::Default];

    /// The reason's name in explanations, stats and vectors: `forced`, `genAi`, `rule`,
    /// `parent`, `default`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Reason::Forced => "forced",
            Reason::GenAi => "genAi",
            Reason::Rule => "rule",
            Reason::Parent => "parent",
            Reason::Default => "default",
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A sampling decision.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Decision<'s> {
    /// The sample rate: always finite and in [0, 1]. Give it to the SDK, which compares it
    /// with the trace's `sample_rand`.
    pub rate: f64,
    /// Which precedence step decided.
    pub reason: Reason,
    /// The id of the rule that decided (`genAi`, a rule's `id`, or `rules[i]`), for
    /// [`Reason::GenAi`] and [`Reason::Rule`].
    pub rule_id: Option<&'s str>,
    /// `sample_rand < rate`, when the context carried a valid `sample_rand`.
    pub sampled: Option<bool>,
}

impl Decision<'_> {
    /// The rate a Sentry SDK should get from a `tracesSampler`: `1.0` or `0.0` when the
    /// decision is known ([`sampled`](Self::sampled)), else the rate. Use it where the SDK
    /// would otherwise draw its own random number (the Rust SDK).
    pub fn sdk_rate(&self) -> f64 {
        match self.sampled {
            Some(true) => 1.0,
            Some(false) => 0.0,
            None => self.rate,
        }
    }
}
