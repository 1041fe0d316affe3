//! Properties of every decision, over random valid policies and random contexts.
//!
//! The precedence oracle asks the engine only one thing per rule, "does this single rule
//! match this context?" (a policy holding just that rule), and composes the answers with
//! Sentry's precedence itself; `decide` must agree with it on rate, reason and rule id.

use proptest::prelude::*;
use tracesieve::{
    Condition, Decision, GenAiRule, Matcher, Operators, ParentMode, Policy, Reason, Rule, Sampler, Scalar, SpanContext,
    Value,
};

const PATHS: &[&str] = &["/", "/api/chat", "/api/chat/stream", "/healthz", "/payment/checkout", "/search", "", "/Ä/x"];
const OPS: &[&str] = &["http.server", "gen_ai.chat", "gen_ai", "mcp.server", "queue.task", "pageload", "genai.chat"];
const NAMES: &[&str] = &["GET /api/chat", "ai.generateText", "invoke_agent x", "job-1", "", "JOB-1"];
const GLOBS: &[&str] = &["*", "/api*", "/health*", "*chat*", "?", "/a\\*", "*/stream", "/search", "gen_ai.*", "*a*b*"];
const KEYS: &[&str] = &["gen_ai.operation.name", "ai.operationId", "tenant", "http.status_code"];

fn pick(list: &'static [&'static str]) -> impl Strategy<Value = &'static str> {
    prop::sample::select(list)
}

fn rate() -> impl Strategy<Value = f64> {
    prop_oneof![Just(0.0), Just(0.25), Just(0.5), Just(1.0), 0.0..=1.0f64]
}

fn matcher() -> impl Strategy<Value = Matcher> {
    let strings = || prop::collection::vec(pick(GLOBS).prop_map(String::from), 1..3);
    prop_oneof![
        pick(GLOBS).prop_map(|g| Matcher::Glob(g.into())),
        strings().prop_map(Matcher::Globs),
        prop_oneof![Just(200.0), Just(1.0)].prop_map(Matcher::Number),
        any::<bool>().prop_map(Matcher::Bool),
        (
            prop::option::of(pick(NAMES).prop_map(|s| vec![Scalar::Str(s.into()), Scalar::Num(200.0)])),
            prop::option::of(strings()),
            prop::option::of(pick(PATHS).prop_map(|p| vec![p.to_string()])),
            prop::option::of(prop_oneof![Just(100.0), Just(250.0)]),
            prop::option::of(any::<bool>()),
            any::<bool>(),
        )
            .prop_filter("an operator", |(e, g, p, n, x, _)| e.is_some()
                || g.is_some()
                || p.is_some()
                || n.is_some()
                || x.is_some())
            .prop_map(|(eq, glob, prefix, gte, exists, ignore_case)| Matcher::Ops(Operators {
                eq,
                glob,
                prefix,
                gte,
                exists,
                ignore_case,
                ..Operators::default()
            })),
    ]
}

/// `m` with its strings upper-cased: a method pattern with lower-case letters never
/// matches, and is a policy error.
fn upper_case(m: Matcher) -> Matcher {
    let up = |s: String| s.to_uppercase();
    let ups = |v: Vec<String>| v.into_iter().map(up).collect::<Vec<_>>();
    match m {
        Matcher::Glob(g) => Matcher::Glob(up(g)),
        Matcher::Globs(gs) => Matcher::Globs(ups(gs)),
        Matcher::Ops(ops) => Matcher::Ops(Operators {
            eq: ops.eq.map(|eq| {
                eq.into_iter().map(|s| if let Scalar::Str(s) = s { Scalar::Str(up(s)) } else { s }).collect()
            }),
            glob: ops.glob.map(ups),
            prefix: ops.prefix.map(ups),
            ..ops
        }),
        other => other,
    }
}

fn leaf() -> impl Strategy<Value = Condition> {
    prop_oneof![
        matcher().prop_map(|m| Condition { path: Some(m), ..Condition::default() }),
        matcher().prop_map(|m| Condition { op: Some(m), ..Condition::default() }),
        matcher().prop_map(|m| Condition { name: Some(m), ..Condition::default() }),
        matcher().prop_map(|m| Condition { method: Some(upper_case(m)), ..Condition::default() }),
        (pick(KEYS), matcher())
            .prop_map(|(k, m)| Condition { attributes: vec![(k.into(), m)], ..Condition::default() }),
        any::<bool>().prop_map(|b| Condition { parent_sampled: Some(b), ..Condition::default() }),
        any::<bool>().prop_map(|b| Condition { gen_ai: Some(b), ..Condition::default() }),
    ]
}

fn condition() -> impl Strategy<Value = Condition> {
    leaf().prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..3).prop_map(|c| Condition { any: Some(c), ..Condition::default() }),
            prop::collection::vec(inner.clone(), 1..3).prop_map(|c| Condition { all: Some(c), ..Condition::default() }),
            inner.prop_map(|c| Condition { not: Some(Box::new(c)), ..Condition::default() }),
        ]
    })
}

fn policy() -> impl Strategy<Value = Policy> {
    let rule = (condition(), rate(), any::<bool>())
        .prop_map(|(when, rate, o)| Rule { override_parent: o, ..Rule::new(when, rate) });
    let gen_ai =
        prop::option::of((rate(), any::<bool>(), prop::option::of(pick(GLOBS))).prop_map(|(rate, o, route)| {
            GenAiRule {
                rate,
                override_parent: o,
                routes: route.into_iter().map(String::from).collect(),
                description: None,
            }
        }));
    (rate(), any::<bool>(), gen_ai, prop::collection::vec(rule, 0..6)).prop_map(
        |(default_rate, inherit, gen_ai, rules)| {
            let parent = if inherit { ParentMode::Inherit } else { ParentMode::Ignore };
            Policy { default_rate, parent, gen_ai, rules, errors: None }
        },
    )
}

/// A context, owning what a `SpanContext` borrows.
#[derive(Clone, Debug)]
struct Ctx {
    name: Option<&'static str>,
    op: Option<&'static str>,
    method: Option<&'static str>,
    path: Option<&'static str>,
    attributes: Vec<(&'static str, Value<'static>)>,
    parent_sampled: Option<bool>,
    parent_sample_rate: Option<f64>,
    forced: Option<bool>,
    sample_rand: Option<f64>,
}

impl Ctx {
    fn span(&self) -> SpanContext<'_> {
        SpanContext {
            name: self.name,
            op: self.op,
            method: self.method,
            path: self.path,
            attributes: &self.attributes,
            parent_sampled: self.parent_sampled,
            parent_sample_rate: self.parent_sample_rate,
            forced: self.forced,
            sample_rand: self.sample_rand,
            ..SpanContext::default()
        }
    }
}

fn context() -> impl Strategy<Value = Ctx> {
    let value = prop_oneof![pick(NAMES).prop_map(Value::str), Just(Value::Num(200.0)), Just(Value::Bool(true))];
    let odd_rate = prop_oneof![rate(), Just(1.5), Just(-0.1), Just(f64::NAN), Just(f64::INFINITY)];
    (
        (prop::option::of(pick(NAMES)), prop::option::of(pick(OPS)), prop::option::of(pick(&["GET", "post", "PUT"]))),
        prop::option::of(pick(PATHS)),
        prop::collection::vec((pick(KEYS), value), 0..3),
        (prop::option::of(any::<bool>()), prop::option::of(odd_rate)),
        prop::option::weighted(0.1, any::<bool>()),
        prop::option::of(prop_oneof![0.0..1.0f64, Just(0.5), Just(1.0), Just(-1.0)]),
    )
        .prop_map(
            |((name, op, method), path, attributes, (parent_sampled, parent_sample_rate), forced, sample_rand)| Ctx {
                name,
                op,
                method,
                path,
                attributes,
                parent_sampled,
                parent_sample_rate,
                forced,
                sample_rand,
            },
        )
}

/// Whether one rule alone matches the context (the engine's matching, nothing else).
fn matches(when: &Condition, ctx: &SpanContext<'_>) -> bool {
    let mut probe = Policy::with_default_rate(0.0);
    (probe.gen_ai, probe.parent) = (None, ParentMode::Ignore);
    probe.rules = vec![Rule::new(when.clone(), 1.0)];
    let sampler = Sampler::new(probe).expect("a generated condition is valid");
    let context = SpanContext { forced: None, ..ctx.clone() };
    sampler.decide(&context).reason == Reason::Rule
}

/// Whether the `genAi` rule alone matches.
fn gen_ai_matches(g: &GenAiRule, ctx: &SpanContext<'_>) -> bool {
    let mut probe = Policy::with_default_rate(0.0);
    (probe.gen_ai, probe.parent) = (Some(GenAiRule { rate: 1.0, ..g.clone() }), ParentMode::Ignore);
    Sampler::new(probe).expect("valid").decide(&SpanContext { forced: None, ..ctx.clone() }).reason == Reason::GenAi
}

/// Sentry's precedence, composed by the test from single-rule answers: (rate, reason, rule id).
fn oracle(policy: &Policy, ctx: &SpanContext<'_>) -> (f64, Reason, Option<String>) {
    if let Some(f) = ctx.forced {
        return (if f { 1.0 } else { 0.0 }, Reason::Forced, None);
    }
    let mut rules: Vec<(bool, f64, Reason, String, bool)> = Vec::new();
    if let Some(g) = &policy.gen_ai {
        rules.push((g.override_parent, g.rate, Reason::GenAi, "genAi".into(), gen_ai_matches(g, ctx)));
    }
    for (i, r) in policy.rules.iter().enumerate() {
        rules.push((r.override_parent, r.rate, Reason::Rule, format!("rules[{i}]"), matches(&r.when, ctx)));
    }
    if let Some((_, rate, reason, id, _)) = rules.iter().find(|r| r.0 && r.4) {
        return (*rate, *reason, Some(id.clone()));
    }
    if policy.parent == ParentMode::Inherit {
        if let Some(rate) = ctx.parent_sample_rate.filter(|r| (0.0..=1.0).contains(r)) {
            return (rate, Reason::Parent, None);
        }
        if let Some(s) = ctx.parent_sampled {
            return (if s { 1.0 } else { 0.0 }, Reason::Parent, None);
        }
    }
    if let Some((_, rate, reason, id, _)) = rules.iter().find(|r| !r.0 && r.4) {
        return (*rate, *reason, Some(id.clone()));
    }
    (policy.default_rate, Reason::Default, None)
}

fn summary(d: &Decision<'_>) -> (f64, Reason, Option<String>) {
    (d.rate, d.reason, d.rule_id.map(String::from))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn decisions_follow_sentry_precedence(policy in policy(), ctx in context()) {
        let sampler = Sampler::new(policy.clone()).expect("generated policies are valid");
        let span = ctx.span();
        let d = sampler.decide(&span);
        // The rate is always a finite number in [0, 1].
        prop_assert!(d.rate.is_finite() && (0.0..=1.0).contains(&d.rate));
        // decide agrees with the precedence composed from single-rule answers; in particular
        // a forced decision always wins, an override rule always beats the parent, and the
        // parent always beats the other rules when the policy inherits.
        prop_assert_eq!(summary(&d), oracle(&policy, &span));
        // explain agrees with decide.
        prop_assert_eq!(sampler.explain(&span).decision, d);
        // sampled is exactly sample_rand < rate, for a sample_rand in [0, 1].
        let want = ctx.sample_rand.filter(|r| (0.0..=1.0).contains(r)).map(|r| r < d.rate);
        prop_assert_eq!(d.sampled, want);
    }

    #[test]
    fn a_policy_written_out_and_read_back_decides_the_same(policy in policy(), ctxs in prop::collection::vec(context(), 1..8)) {
        let again = Policy::from_json(&policy.to_json().to_string()).expect("a written policy parses");
        let (a, b) = (Sampler::new(policy).expect("valid"), Sampler::new(again).expect("valid"));
        for ctx in &ctxs {
            prop_assert_eq!(a.decide(&ctx.span()), b.decide(&ctx.span()));
        }
    }

    #[test]
    fn parsed_policies_round_trip_exactly(policy in policy()) {
        let parsed = Policy::from_json(&policy.to_json().to_string()).expect("parses");
        let again = Policy::from_json(&parsed.to_json().to_string()).expect("parses again");
        prop_assert_eq!(parsed, again);
    }

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,200}") {
        let _ = Sampler::from_json(&text);
    }
}
