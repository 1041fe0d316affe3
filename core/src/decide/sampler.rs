//! The compiled sampler and the precedence that decides.

use alloc::string::String;
use alloc::vec::Vec;

use crate::compile::requirements::Requirements;
use crate::compile::rules::{CompiledRule, Parts};
use crate::context::value::Value;
use crate::context::{Context, Field};
use crate::decide::decision::{Decision, Reason};
use crate::decide::field_cache::FieldCache;
use crate::decide::stats::{FallbackCounter, Stats, Tally};
use crate::policy::error::{PolicyError, Problems};
use crate::policy::model::{Policy, is_unit};

/// A validated policy compiled for deciding; immutable, `Send + Sync`.
///
/// Build it once (at SDK init), then call [`decide`](Self::decide) for every trace root:
/// it never fails, never allocates (for contexts that lend their strings) and counts
/// every decision.
///
/// ```
/// use tracesieve::{Reason, Sampler, SpanContext};
/// let sampler = Sampler::from_json(r#"{
///     "defaultRate": 0.1,
///     "rules": [{ "id": "health", "when": { "path": "/health*" }, "rate": 0 }]
/// }"#).unwrap();
///
/// let health = SpanContext { path: Some("/healthz"), ..Default::default() };
/// let d = sampler.decide(&health);
/// assert_eq!((d.rate, d.reason, d.rule_id), (0.0, Reason::Rule, Some("health")));
///
/// let continued = SpanContext { path: Some("/healthz"), parent_sampled: Some(true), ..Default::default() };
/// assert_eq!(sampler.decide(&continued).reason, Reason::Parent);
/// assert_eq!(sampler.stats().traces.rule("health"), 1);
/// ```
#[derive(Debug)]
pub struct Sampler {
    policy: Option<Policy>,
    pub(crate) parts: Parts,
    traces: Tally,
    errors: Tally,
    fallbacks: FallbackCounter,
}

/// A decision with what the sampler read to make it, from [`Sampler::explain`].
#[derive(Clone, Debug, PartialEq)]
pub struct Explanation<'s> {
    /// The decision (not counted in [`Sampler::stats`]).
    pub decision: Decision<'s>,
    /// The named fields read, normalised as the conditions saw them (missing ones left out).
    pub fields: Vec<(Field, Value<'static>)>,
    /// The attributes read (missing ones left out).
    pub attributes: Vec<(String, Value<'static>)>,
    /// The custom-context paths read (missing ones left out).
    pub custom: Vec<(String, Value<'static>)>,
    /// The tags read (missing ones left out).
    pub tags: Vec<(String, Value<'static>)>,
    /// The parent decision.
    pub parent_sampled: Option<bool>,
    /// The parent rate, as given (even if invalid).
    pub parent_sample_rate: Option<f64>,
    /// A forced decision.
    pub forced: Option<bool>,
    /// The AI predicate, when the policy uses it.
    pub gen_ai: Option<bool>,
}

impl Sampler {
    /// Validates and compiles a policy.
    ///
    /// # Errors
    /// [`PolicyError`] with every problem and its JSON path.
    pub fn new(policy: Policy) -> Result<Sampler, PolicyError> {
        let problems = policy.validate(Problems::new());
        problems.into_result(())?;
        Ok(Self::compile(policy))
    }

    /// Parses, validates and compiles a JSON policy (the [policy reference](crate::policy_reference)).
    ///
    /// # Errors
    /// [`PolicyError`] with every problem and its JSON path, or the JSON syntax error.
    pub fn from_json(text: &str) -> Result<Sampler, PolicyError> {
        Policy::from_json(text).map(Self::compile)
    }

    fn compile(policy: Policy) -> Sampler {
        Self::assemble(Parts::compile(&policy), Some(policy))
    }

    /// A sampler of these compiled rules (and the requirements compiled with them): its
    /// counters.
    pub(crate) fn assemble(parts: Parts, policy: Option<Policy>) -> Sampler {
        let mut reasons = alloc::vec![Reason::Rule; parts.ids.len()];
        for rule in parts.overrides.iter().chain(&parts.rules) {
            reasons[rule.slot] = reason(rule);
        }
        Sampler {
            traces: Tally::new(reasons),
            errors: Tally::new(parts.error_ids.iter().map(|_| Reason::Rule)),
            parts,
            fallbacks: FallbackCounter::default(),
            policy,
        }
    }

    /// The policy this sampler was compiled from; `None` for a sampler loaded from
    /// compiled bytes ([`from_compiled`](Self::from_compiled)).
    pub fn policy(&self) -> Option<&Policy> {
        self.policy.as_ref()
    }

    /// The policy's `defaultRate`: the rate when nothing else decides.
    pub fn default_rate(&self) -> f64 {
        self.parts.default_rate
    }

    /// What this sampler reads from contexts.
    pub fn requirements(&self) -> &Requirements {
        &self.parts.requirements
    }

    /// Decides the sample rate of a trace root, and counts the decision. If the context
    /// reports a failed read ([`Context::read_failed`]), the decision is the fallback of
    /// [`decide_fallback`](Self::decide_fallback), counted as one.
    pub fn decide<C: Context + ?Sized>(&self, ctx: &C) -> Decision<'_> {
        let (decision, slot, fell_back) = self.resolve(ctx);
        if fell_back {
            self.fallbacks.bump();
        }
        self.traces.record(decision.reason, slot);
        decision
    }

    /// Decides the sample rate of an error event, and counts the decision. If the context
    /// reports a failed read, the rate is `errors.defaultRate`, counted as a fallback.
    pub fn decide_error<C: Context + ?Sized>(&self, ctx: &C) -> Decision<'_> {
        let (decision, slot, fell_back) = self.resolve_error(ctx);
        if fell_back {
            self.fallbacks.bump();
        }
        self.errors.record(decision.reason, slot);
        decision
    }

    /// The decision for a root whose context could not be read (a binding caught an
    /// exception or found a malformed context): the parent's rate or decision if the
    /// binding could read them and the policy inherits, else `defaultRate`. Counted as a
    /// fallback.
    pub fn decide_fallback(&self, parent_sampled: Option<bool>, parent_sample_rate: Option<f64>) -> Decision<'_> {
        let decision = self.fallback(parent_sampled, parent_sample_rate, None);
        self.fallbacks.bump();
        self.traces.record(decision.reason, None);
        decision
    }

    /// What [`decide`](Self::decide) would answer for a trace root (fallbacks included),
    /// with everything the sampler read; not counted.
    pub fn explain<C: Context + ?Sized>(&self, ctx: &C) -> Explanation<'_> {
        self.explanation(ctx, self.resolve(ctx).0)
    }

    /// What [`decide_error`](Self::decide_error) would answer for an error event, with
    /// everything the sampler read; not counted.
    pub fn explain_error<C: Context + ?Sized>(&self, ctx: &C) -> Explanation<'_> {
        self.explanation(ctx, self.resolve_error(ctx).0)
    }

    /// A snapshot of the decision counters.
    pub fn stats(&self) -> Stats {
        Stats {
            traces: self.traces.snapshot(&self.parts.ids, &Reason::ALL),
            errors: self.errors.snapshot(&self.parts.error_ids, &[Reason::Rule, Reason::Default]),
            fallbacks: self.fallbacks.get(),
        }
    }

    /// The decision, its rule slot, and whether it is a fallback for an unreadable context.
    /// The decision, its rule's counter slot, and whether to count a fallback: a failed
    /// read (the decision is then the fallback), or an invalid value the decision ignored.
    #[inline]
    fn resolve<C: Context + ?Sized>(&self, ctx: &C) -> (Decision<'_>, Option<usize>, bool) {
        let (decision, slot, bad_parent_rate) = self.evaluate(ctx);
        match ctx.read_failed() {
            true => (self.fallback(ctx.parent_sampled(), ctx.parent_sample_rate(), ctx.sample_rand()), None, true),
            false => (decision, slot, bad_parent_rate || ctx.ignored_invalid()),
        }
    }

    fn resolve_error<C: Context + ?Sized>(&self, ctx: &C) -> (Decision<'_>, Option<usize>, bool) {
        let (decision, slot) = self.evaluate_error(ctx);
        match ctx.read_failed() {
            true => {
                (self.decision(self.parts.error_default_rate, Reason::Default, None, ctx.sample_rand()), None, true)
            }
            false => (decision, slot, ctx.ignored_invalid()),
        }
    }

    /// The parent's rate or decision when the policy inherits, else `defaultRate`.
    fn fallback(&self, parent_sampled: Option<bool>, parent_rate: Option<f64>, rand: Option<f64>) -> Decision<'_> {
        match self.parent_rate(parent_sampled, parent_rate) {
            Some(rate) => self.decision(rate, Reason::Parent, None, rand),
            None => self.decision(self.parts.default_rate, Reason::Default, None, rand),
        }
    }

    /// The decision by Sentry's precedence, its rule's counter slot, and whether it read
    /// (and ignored) a parent sample rate that is not a number in [0, 1].
    #[inline]
    fn evaluate<C: Context + ?Sized>(&self, ctx: &C) -> (Decision<'_>, Option<usize>, bool) {
        let rand = ctx.sample_rand();
        if let Some(forced) = ctx.forced() {
            return (self.decision(if forced { 1.0 } else { 0.0 }, Reason::Forced, None, rand), None, false);
        }
        let mut reader = FieldCache::new(ctx);
        if let Some((decision, slot)) = self.first_match(&self.parts.overrides, &self.parts.ids, &mut reader, rand) {
            return (decision, slot, false);
        }
        let parent_rate = if self.parts.inherit_parent { ctx.parent_sample_rate() } else { None };
        let bad_parent_rate = parent_rate.is_some_and(|r| !is_unit(r));
        if let Some(rate) = self.parent_rate(ctx.parent_sampled(), parent_rate) {
            return (self.decision(rate, Reason::Parent, None, rand), None, bad_parent_rate);
        }
        let (decision, slot) = self
            .first_match(&self.parts.rules, &self.parts.ids, &mut reader, rand)
            .unwrap_or_else(|| (self.decision(self.parts.default_rate, Reason::Default, None, rand), None));
        (decision, slot, bad_parent_rate)
    }

    fn evaluate_error<C: Context + ?Sized>(&self, ctx: &C) -> (Decision<'_>, Option<usize>) {
        let rand = ctx.sample_rand();
        let mut reader = FieldCache::new(ctx);
        self.first_match(&self.parts.error_rules, &self.parts.error_ids, &mut reader, rand)
            .unwrap_or_else(|| (self.decision(self.parts.error_default_rate, Reason::Default, None, rand), None))
    }

    #[inline]
    fn first_match<'s, C: Context + ?Sized>(
        &'s self,
        rules: &'s [CompiledRule],
        ids: &'s [String],
        reader: &mut FieldCache<'_, C>,
        rand: Option<f64>,
    ) -> Option<(Decision<'s>, Option<usize>)> {
        let rule = rules.iter().find(|r| r.cond.eval(reader))?;
        Some((self.decision(rule.rate, reason(rule), Some(&ids[rule.slot]), rand), Some(rule.slot)))
    }

    /// Step 3: the parent's valid rate, else its decision, when the policy inherits.
    #[inline]
    fn parent_rate(&self, sampled: Option<bool>, rate: Option<f64>) -> Option<f64> {
        if !self.parts.inherit_parent {
            return None;
        }
        rate.filter(|r| is_unit(*r)).or(sampled.map(|s| if s { 1.0 } else { 0.0 }))
    }

    #[inline]
    fn decision<'s>(&'s self, rate: f64, reason: Reason, rule_id: Option<&'s str>, rand: Option<f64>) -> Decision<'s> {
        let sampled = rand.filter(|r| is_unit(*r)).map(|r| r < rate);
        Decision { rate, reason, rule_id, sampled }
    }

    fn explanation<'s, C: Context + ?Sized>(&'s self, ctx: &C, decision: Decision<'s>) -> Explanation<'s> {
        let req = &self.parts.requirements;
        let mut reader = FieldCache::new(ctx);
        let fields = req.fields.iter().filter_map(|f| Some((*f, reader.field(*f)?.clone().into_owned()))).collect();
        let read = |keys: &[String], get: &dyn Fn(&str) -> Option<Value<'static>>| -> Vec<(String, Value<'static>)> {
            keys.iter().filter_map(|k| Some((k.clone(), get(k)?))).collect()
        };
        let uses_gen_ai = req.attribute_prefixes;
        Explanation {
            decision,
            fields,
            attributes: read(&req.attributes, &|k| ctx.attribute(k).map(Value::into_owned)),
            custom: read(&req.custom, &|k| ctx.custom(k).map(Value::into_owned)),
            tags: read(&req.tags, &|k| ctx.tag(k).map(Value::into_owned)),
            parent_sampled: ctx.parent_sampled(),
            parent_sample_rate: ctx.parent_sample_rate(),
            forced: ctx.forced(),
            gen_ai: uses_gen_ai.then(|| crate::decide::genai::is_ai_run(ctx)),
        }
    }
}

/// The step a matching rule decides at: the built-in AI rule's, or a user rule's.
fn reason(rule: &CompiledRule) -> Reason {
    if rule.gen_ai { Reason::GenAi } else { Reason::Rule }
}
