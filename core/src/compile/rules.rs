//! Compiled rules: a validated policy as the [`Parts`] a sampler decides with (and that
//! compiled bytes hold).

use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::compile::ai_signals::SERVER_OPS;
use crate::compile::condition::Cond;
use crate::compile::matcher::CompiledMatcher;
use crate::compile::requirements::Requirements;
use crate::context::Field;
use crate::policy::model::{GEN_AI_RULE_ID, Matcher, Operators, ParentMode, Policy, Rule};

/// A rule ready to evaluate.
#[derive(Debug)]
pub(crate) struct CompiledRule {
    pub(crate) cond: Cond,
    pub(crate) rate: f64,
    /// Index of the rule's id and counter.
    pub(crate) slot: usize,
    /// Whether it is the built-in AI rule (`genAi`), else a user rule.
    pub(crate) gen_ai: bool,
}

/// The compiled rules of a sampler and its rates: what compiled bytes hold.
#[derive(Debug)]
pub(crate) struct Parts {
    pub(crate) default_rate: f64,
    pub(crate) inherit_parent: bool,
    /// Rules evaluated before the parent decision.
    pub(crate) overrides: Box<[CompiledRule]>,
    /// Rules evaluated after it.
    pub(crate) rules: Box<[CompiledRule]>,
    /// The trace rules' ids, by slot.
    pub(crate) ids: Box<[String]>,
    pub(crate) error_default_rate: f64,
    pub(crate) error_rules: Box<[CompiledRule]>,
    pub(crate) error_ids: Box<[String]>,
    /// What the rules read (each key once), collected when they are compiled.
    pub(crate) requirements: Requirements,
}

/// Whether a root serves a request, for `genAi.routes`: it has no op, or an op of
/// [`SERVER_OPS`]. An outgoing request that starts a trace
/// (`http.client`) is not a route.
fn serves_a_request() -> Cond {
    let no_op = Operators { exists: Some(false), ..Operators::default() };
    let server_ops = SERVER_OPS.iter().map(|&op| String::from(op)).collect();
    Cond::Any(Box::new([
        Cond::Field(Field::Op, CompiledMatcher::new(&Matcher::Ops(no_op))),
        Cond::Field(Field::Op, CompiledMatcher::new(&Matcher::Globs(server_ops))),
    ]))
}

impl Parts {
    /// Compiles a validated policy.
    pub(crate) fn compile(policy: &Policy) -> Parts {
        let mut ids = Vec::new();
        let (mut overrides, mut rules) = (Vec::new(), Vec::new());
        if let Some(g) = &policy.gen_ai {
            let mut any = alloc::vec![Cond::GenAi(true)];
            if !g.routes.is_empty() {
                let on_route = Cond::Field(Field::Path, CompiledMatcher::new(&Matcher::Globs(g.routes.clone())));
                any.push(Cond::All(Box::new([on_route, serves_a_request()])));
            }
            let rule = CompiledRule { cond: Cond::Any(any.into()), rate: g.rate, slot: 0, gen_ai: true };
            ids.push(String::from(GEN_AI_RULE_ID));
            if g.override_parent { overrides.push(rule) } else { rules.push(rule) }
        }
        for (i, r) in policy.rules.iter().enumerate() {
            let rule = compile_rule(r, ids.len());
            ids.push(rule_id(r, "rules", i));
            if r.override_parent { overrides.push(rule) } else { rules.push(rule) }
        }
        let (error_default_rate, error_rules, error_ids) = match &policy.errors {
            Some(e) => {
                let compiled = e.rules.iter().enumerate().map(|(i, r)| compile_rule(r, i)).collect();
                let ids = e.rules.iter().enumerate().map(|(i, r)| rule_id(r, "errors.rules", i)).collect();
                (e.default_rate, compiled, ids)
            }
            None => (1.0, Box::default(), Box::default()),
        };
        let inherit_parent = policy.parent == ParentMode::Inherit;
        let mut requirements = Requirements { parent: inherit_parent, ..Requirements::default() };
        for rule in overrides.iter().chain(&rules).chain(error_rules.iter()) {
            rule.cond.collect(&mut requirements);
        }
        requirements.dedupe();
        Parts {
            default_rate: policy.default_rate,
            inherit_parent,
            overrides: overrides.into(),
            rules: rules.into(),
            ids: ids.into(),
            error_default_rate,
            error_rules,
            error_ids,
            requirements,
        }
    }
}

fn compile_rule(rule: &Rule, slot: usize) -> CompiledRule {
    CompiledRule { cond: Cond::new(&rule.when), rate: rule.rate, slot, gen_ai: false }
}

fn rule_id(rule: &Rule, list: &str, i: usize) -> String {
    rule.id.clone().unwrap_or_else(|| format!("{list}[{i}]"))
}
