//! The policy model: a typed mirror of the JSON format, and its validation.
//!
//! Build a [`Policy`] from JSON with [`Policy::from_json`] (feature `json`), or in code
//! (no JSON needed, works without `std`), then compile it with
//! [`Sampler::new`](crate::Sampler::new), which validates it.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

use crate::context::Field;

/// The most rules (trace and error rules together) a policy may have.
pub const MAX_RULES: usize = 10_000;
/// The deepest that conditions may nest (`any`, `all`, `not`).
pub const MAX_DEPTH: usize = 32;
/// The id of the built-in AI rule.
pub const GEN_AI_RULE_ID: &str = "genAi";

/// A sampling policy: what [`Sampler`](crate::Sampler) compiles. See the [policy reference](crate::policy_reference).
#[derive(Clone, Debug, PartialEq)]
pub struct Policy {
    /// The rate when nothing else decides (the role of `traces_sample_rate`).
    pub default_rate: f64,
    /// Whether an incoming parent decision is honoured.
    pub parent: ParentMode,
    /// The built-in AI rule, or `None` when the policy says `"genAi": false`.
    pub gen_ai: Option<GenAiRule>,
    /// Trace rules, in order.
    pub rules: Vec<Rule>,
    /// Error-event sampling, if the policy has an `errors` section.
    pub errors: Option<ErrorPolicy>,
}

impl Policy {
    /// A policy with this default rate and nothing else: parent inherited, `genAi` on.
    pub fn with_default_rate(default_rate: f64) -> Self {
        Policy {
            default_rate,
            parent: ParentMode::Inherit,
            gen_ai: Some(GenAiRule::default()),
            rules: Vec::new(),
            errors: None,
        }
    }
}

/// `"parent": "inherit" | "ignore"`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ParentMode {
    /// Honour the parent's rate or decision (precedence step 3). The default.
    #[default]
    Inherit,
    /// Skip step 3: only forced decisions, rules and the default decide.
    Ignore,
}

/// The built-in AI rule (`"genAi"`): matches AI runs, and roots on `routes`.
#[derive(Clone, Debug, PartialEq)]
pub struct GenAiRule {
    /// The rate for AI runs (default 1.0).
    pub rate: f64,
    /// Whether it beats the parent decision (default `true`).
    pub override_parent: bool,
    /// Globs on `path` for routes that serve AI features (empty: none).
    pub routes: Vec<String>,
    /// Free text.
    pub description: Option<String>,
}

impl Default for GenAiRule {
    fn default() -> Self {
        GenAiRule { rate: 1.0, override_parent: true, routes: Vec::new(), description: None }
    }
}

/// One rule: when `when` holds, the rate is `rate`.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    /// The rule's id; `None` means `rules[i]`.
    pub id: Option<String>,
    /// When the rule applies.
    pub when: Condition,
    /// The rate it gives.
    pub rate: f64,
    /// Whether it is evaluated before the parent decision (trace rules only).
    pub override_parent: bool,
    /// Free text.
    pub description: Option<String>,
}

impl Rule {
    /// A rule with no id, evaluated after the parent decision.
    pub fn new(when: Condition, rate: f64) -> Self {
        Rule { id: None, when, rate, override_parent: false, description: None }
    }
}

/// The `errors` section: sampling of error events.
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorPolicy {
    /// The rate when no error rule matches (default 1.0).
    pub default_rate: f64,
    /// Error rules, in order (their conditions use the error fields).
    pub rules: Vec<Rule>,
}

impl Default for ErrorPolicy {
    fn default() -> Self {
        ErrorPolicy { default_rate: 1.0, rules: Vec::new() }
    }
}

/// A condition: every field that is set must hold (AND). The JSON keys of `when`.
///
/// Trace conditions use `name` .. `gen_ai`; error conditions use `exception` .. `tags`;
/// both use `custom` and the combinators.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Condition {
    /// `name`: the root span or transaction name.
    pub name: Option<Matcher>,
    /// `op`: the operation.
    pub op: Option<Matcher>,
    /// `origin`: the instrumentation origin.
    pub origin: Option<Matcher>,
    /// `method`: the upper-case HTTP method.
    pub method: Option<Matcher>,
    /// `path`: the URL path without query or fragment.
    pub path: Option<Matcher>,
    /// `parentSampled`: the parent decision.
    pub parent_sampled: Option<bool>,
    /// `attributes`: span attributes by key.
    pub attributes: Vec<(String, Matcher)>,
    /// `custom`: the custom sampling context by dotted path.
    pub custom: Vec<(String, Matcher)>,
    /// `genAi`: the built-in AI predicate.
    pub gen_ai: Option<bool>,
    /// `exception`: the exception type, short or qualified (errors only).
    pub exception: Option<Matcher>,
    /// `level` (errors only).
    pub level: Option<Matcher>,
    /// `logger` (errors only).
    pub logger: Option<Matcher>,
    /// `message` (errors only).
    pub message: Option<Matcher>,
    /// `tags` by key (errors only).
    pub tags: Vec<(String, Matcher)>,
    /// `any`: at least one of these holds.
    pub any: Option<Vec<Condition>>,
    /// `all`: all of these hold.
    pub all: Option<Vec<Condition>>,
    /// `not`: this does not hold.
    pub not: Option<Box<Condition>>,
}

/// How a field is tested. See [Matchers](crate::policy_reference#matchers) in the policy reference.
#[derive(Clone, Debug, PartialEq)]
pub enum Matcher {
    /// `"glob"`.
    Glob(String),
    /// `["glob", ...]`: any of these globs.
    Globs(Vec<String>),
    /// `3`: equal to this number.
    Number(f64),
    /// `true`: equal to this boolean.
    Bool(bool),
    /// `{ "prefix": ..., ... }`: all of these operators.
    Ops(Operators),
}

/// The operators of an object matcher; all that are set must hold.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Operators {
    /// `eq`: equal to any of these.
    pub eq: Option<Vec<Scalar>>,
    /// `glob`: matches any of these globs.
    pub glob: Option<Vec<String>>,
    /// `prefix`: starts with any of these.
    pub prefix: Option<Vec<String>>,
    /// `suffix`: ends with any of these.
    pub suffix: Option<Vec<String>>,
    /// `contains`: contains any of these.
    pub contains: Option<Vec<String>>,
    /// `route`: matches any of these route templates (`/users/:id`), segment by segment.
    pub route: Option<Vec<String>>,
    /// `gt`: a number greater than this.
    pub gt: Option<f64>,
    /// `gte`: a number at least this.
    pub gte: Option<f64>,
    /// `lt`: a number less than this.
    pub lt: Option<f64>,
    /// `lte`: a number at most this.
    pub lte: Option<f64>,
    /// `exists`: present (`true`) or missing (`false`).
    pub exists: Option<bool>,
    /// `ignoreCase`: string operators compare without case.
    pub ignore_case: bool,
}

/// A JSON scalar, as `eq` compares it.
#[derive(Clone, Debug, PartialEq)]
pub enum Scalar {
    /// A string.
    Str(String),
    /// A number.
    Num(f64),
    /// A boolean.
    Bool(bool),
}

impl Condition {
    /// The fields tested by one matcher, with their [`Field`], in the documented order.
    pub(crate) fn field_matchers(&self) -> [(Field, &Option<Matcher>); 9] {
        [
            (Field::Name, &self.name),
            (Field::Op, &self.op),
            (Field::Origin, &self.origin),
            (Field::Method, &self.method),
            (Field::Path, &self.path),
            (Field::Exception, &self.exception),
            (Field::Level, &self.level),
            (Field::Logger, &self.logger),
            (Field::Message, &self.message),
        ]
    }

    /// The JSON names of the keys that are set, in the documented order.
    pub(crate) fn used_fields(&self) -> Vec<&'static str> {
        let set = [
            ("name", self.name.is_some()),
            ("op", self.op.is_some()),
            ("origin", self.origin.is_some()),
            ("method", self.method.is_some()),
            ("path", self.path.is_some()),
            ("parentSampled", self.parent_sampled.is_some()),
            ("attributes", !self.attributes.is_empty()),
            ("custom", !self.custom.is_empty()),
            ("genAi", self.gen_ai.is_some()),
            ("exception", self.exception.is_some()),
            ("level", self.level.is_some()),
            ("logger", self.logger.is_some()),
            ("message", self.message.is_some()),
            ("tags", !self.tags.is_empty()),
            ("any", self.any.is_some()),
            ("all", self.all.is_some()),
            ("not", self.not.is_some()),
        ];
        set.iter().filter(|(_, on)| *on).map(|(k, _)| *k).collect()
    }
}

/// Whether `x` is a valid rate or `sample_rand`: finite and in [0, 1].
pub(crate) fn is_unit(x: f64) -> bool {
    (0.0..=1.0).contains(&x)
}
