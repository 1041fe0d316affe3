//! Seeded random policies and contexts, with the Rust core's decisions as expectations.
//!
//! Policies use every operator, nesting, `overrideParent`, each `genAi` form, both parent
//! modes and error rules; contexts come in the canonical, JavaScript and Python shapes,
//! with unicode, empty strings, missing fields, odd types, parent decisions and rates
//! (valid and not), and `sample_rand` at, just below and just above the decided rate.

use serde_json::{Map, Value as Json, json};
use tracesieve::sdk::{Canonical, Js, Python};
use tracesieve::{Context, Decision, Sampler, WithSampleRand};

/// SplitMix64: small, seedable, the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const WORDS: &[&str] = &[
    "",
    "/",
    "/api/chat",
    "/api/chat/stream",
    "/api/chat/",
    "/users/42/x",
    "/health/live/",
    "/healthz",
    "/payment/checkout",
    "/search",
    "GET",
    "post",
    "chat gpt-4o",
    "invoke_agent triage",
    "ai.generateText",
    "http.server",
    "gen_ai.chat",
    "gen_ai.invoke_agent",
    "mcp.server",
    "auto.ai.openai",
    "auto.http.otel.http",
    "pageload",
    "GET /api/chat",
    "http.client",
    "POST /payment/x?y=1",
    "日本語/パス",
    "ÄPFEL",
    "äpfel",
    "café",
    "🙂",
    "a*b",
    "a?b",
    "kube-probe/1.29",
    "MyException",
    "app.errors.MyIgnoredException",
    "error",
    "warning",
];
const GLOBS: &[&str] = &[
    "*", "/api/*", "*chat*", "/health*", "?", "/pay?ent*", "*/stream", "gen_ai.*", "a\\*b", "a\\?b", "日本*", "*é",
    "ÄPFEL", "", "GET /*", "*Exception",
];
const ROUTES: &[&str] =
    &["/api/:id", "/api/{*rest}", "/users/<int:id>/x", "/health/*", "GET /api/:x", "/api/chat/:id*", "/:a/:b"];
const ATTRIBUTE_KEYS: &[&str] =
    &["gen_ai.operation.name", "gen_ai.request.model", "ai.operationId", "http.status_code", "tenant", "url.path"];
const CUSTOM_PATHS: &[&str] =
    &["user.tier", "celery_job.task", "wsgi_environ.HTTP_USER_AGENT", "flag", "normalizedRequest.url"];
const TRACE_FIELDS: &[&str] = &["name", "op", "origin", "method", "path"];
const ERROR_FIELDS: &[&str] = &["exception", "level", "logger", "message"];

/// `v` with every string upper-cased, unless it is an operator object with `ignoreCase`.
fn upper_case(v: Json) -> Json {
    match v {
        Json::String(s) => Json::String(s.to_uppercase()),
        Json::Array(items) => Json::Array(items.into_iter().map(upper_case).collect()),
        Json::Object(ops) if ops.contains_key("ignoreCase") => Json::Object(ops),
        Json::Object(ops) => Json::Object(ops.into_iter().map(|(k, v)| (k, upper_case(v))).collect()),
        other => other,
    }
}

/// Generates cases from one seed.
pub struct Generator {
    rng: Rng,
}

impl Generator {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Self {
        Generator { rng: Rng(seed) }
    }

    fn rate(&mut self) -> Json {
        match self.rng.below(6) {
            0 => json!(0),
            1 => json!(1),
            2 => json!(0.5),
            3 => json!(0.25),
            _ => json!(self.rng.unit()),
        }
    }

    fn word(&mut self) -> Json {
        json!(self.rng.pick(WORDS))
    }

    fn scalar(&mut self) -> Json {
        match self.rng.below(5) {
            0 => json!(200),
            1 => json!(self.rng.chance(50)),
            2 => json!(-1.5),
            _ => self.word(),
        }
    }

    fn strings(&mut self, pool: &[&str]) -> Json {
        if self.rng.chance(50) {
            json!(self.rng.pick(pool))
        } else {
            Json::Array((0..1 + self.rng.below(3)).map(|_| json!(self.rng.pick(pool))).collect())
        }
    }

    fn matcher(&mut self) -> Json {
        match self.rng.below(6) {
            0 | 1 => json!(self.rng.pick(GLOBS)),
            2 => Json::Array((0..1 + self.rng.below(3)).map(|_| json!(self.rng.pick(GLOBS))).collect()),
            3 => self.scalar().as_str().map_or_else(|| json!(200), |_| json!(true)),
            _ => {
                let mut ops = Map::new();
                while ops.is_empty() || self.rng.chance(35) {
                    let (key, value) = match self.rng.below(11) {
                        0 => (
                            "eq",
                            if self.rng.chance(50) { self.scalar() } else { json!([self.scalar(), self.scalar()]) },
                        ),
                        1 => ("glob", self.strings(GLOBS)),
                        2 => ("prefix", self.strings(WORDS)),
                        3 => ("suffix", self.strings(WORDS)),
                        4 => ("contains", self.strings(WORDS)),
                        5 => (*self.rng.pick(&["gt", "gte", "lt", "lte"]), json!(*self.rng.pick(&[0, 100, 200, 500]))),
                        6 => ("exists", json!(self.rng.chance(50))),
                        7 => ("route", self.strings(ROUTES)),
                        _ => ("ignoreCase", json!(true)),
                    };
                    ops.insert(key.into(), value);
                }
                if ops.len() == 1 && ops.contains_key("ignoreCase") {
                    ops.insert("exists".into(), json!(true));
                }
                Json::Object(ops)
            }
        }
    }

    fn keyed(&mut self, keys: &[&str]) -> Json {
        let mut map = Map::new();
        for _ in 0..1 + self.rng.below(2) {
            map.insert(self.rng.pick(keys).to_string(), self.matcher());
        }
        Json::Object(map)
    }

    fn condition(&mut self, errors: bool, depth: usize) -> Json {
        let mut when = Map::new();
        while when.is_empty() || self.rng.chance(30) {
            let combinator = depth < 3 && self.rng.chance(25);
            let (key, value) = match (combinator, self.rng.below(6)) {
                (true, 0 | 1) => ("any", self.conditions(errors, depth)),
                (true, 2 | 3) => ("all", self.conditions(errors, depth)),
                (true, _) => ("not", self.condition(errors, depth + 1)),
                (false, 0) => ("custom", self.keyed(CUSTOM_PATHS)),
                (false, 1) if errors => ("tags", self.keyed(&["env", "region", "level"])),
                (false, 1) => ("attributes", self.keyed(ATTRIBUTE_KEYS)),
                (false, 2) if !errors => (*self.rng.pick(&["parentSampled", "genAi"]), json!(self.rng.chance(50))),
                (false, _) => match *self.rng.pick(if errors { ERROR_FIELDS } else { TRACE_FIELDS }) {
                    // Methods are upper-case: a lower-case pattern is a policy error.
                    "method" => ("method", upper_case(self.matcher())),
                    field => (field, self.matcher()),
                },
            };
            when.insert(key.into(), value);
        }
        Json::Object(when)
    }

    fn conditions(&mut self, errors: bool, depth: usize) -> Json {
        Json::Array((0..1 + self.rng.below(3)).map(|_| self.condition(errors, depth + 1)).collect())
    }

    fn rules(&mut self, errors: bool) -> Json {
        let rules = (0..self.rng.below(7)).map(|i| {
            let mut rule = Map::new();
            if self.rng.chance(50) {
                rule.insert("id".into(), json!(format!("{}{i}", if errors { "e" } else { "r" })));
            }
            rule.insert("when".into(), self.condition(errors, 1));
            rule.insert("rate".into(), self.rate());
            if !errors && self.rng.chance(30) {
                rule.insert("overrideParent".into(), json!(self.rng.chance(70)));
            }
            Json::Object(rule)
        });
        Json::Array(rules.collect())
    }

    fn policy(&mut self) -> Json {
        let mut p = Map::new();
        p.insert("defaultRate".into(), self.rate());
        if self.rng.chance(40) {
            p.insert("parent".into(), json!(*self.rng.pick(&["inherit", "ignore"])));
        }
        match self.rng.below(4) {
            0 => {}
            1 => _ = p.insert("genAi".into(), json!(self.rng.chance(50))),
            _ => {
                let mut g = Map::new();
                if self.rng.chance(50) {
                    g.insert("rate".into(), self.rate());
                }
                if self.rng.chance(50) {
                    g.insert("overrideParent".into(), json!(self.rng.chance(50)));
                }
                if self.rng.chance(50) {
                    g.insert("routes".into(), json!([self.rng.pick(GLOBS)]));
                }
                p.insert("genAi".into(), Json::Object(g));
            }
        }
        p.insert("rules".into(), self.rules(false));
        if self.rng.chance(30) {
            p.insert("errors".into(), json!({ "defaultRate": self.rate(), "rules": self.rules(true) }));
        }
        Json::Object(p)
    }

    /// A value for a context field: mostly strings, sometimes odd types or absent.
    fn field(&mut self) -> Option<Json> {
        match self.rng.below(10) {
            0 => None,
            1 => Some(Json::Null),
            2 => Some(self.scalar()),
            _ => Some(self.word()),
        }
    }

    fn attributes(&mut self) -> Map<String, Json> {
        (0..self.rng.below(3))
            .filter_map(|_| Some((self.rng.pick(ATTRIBUTE_KEYS).to_string(), self.field()?)))
            .collect()
    }

    fn parent(&mut self) -> (Option<bool>, Option<Json>) {
        let sampled = self.rng.chance(40).then(|| self.rng.chance(50));
        let rate = match self.rng.below(6) {
            0 => Some(self.rate()),
            1 => Some(json!(*self.rng.pick(&[1.5, -0.1]))),
            _ => None,
        };
        (sampled, rate)
    }

    /// The context of one case in the given shape.
    fn context(&mut self, sdk: Option<&str>, errors: bool) -> Json {
        let mut c = Map::new();
        let put = |c: &mut Map<String, Json>, key: &str, v: Option<Json>| {
            if let Some(v) = v {
                c.insert(key.into(), v);
            }
        };
        let fields: Vec<(&str, Option<Json>)> =
            (if errors { ERROR_FIELDS } else { TRACE_FIELDS }).iter().map(|f| (*f, self.field())).collect();
        let attributes = self.attributes();
        let custom: Map<String, Json> = (0..self.rng.below(3))
            .filter_map(|_| Some((self.rng.pick(&["user", "flag", "celery_job"]).to_string(), self.field()?)))
            .collect();
        let (sampled, rate) = self.parent();
        match sdk {
            None => {
                for (k, v) in fields {
                    put(&mut c, k, v);
                }
                c.insert(if errors { "tags" } else { "attributes" }.into(), Json::Object(attributes));
                c.insert("custom".into(), Json::Object(custom));
                put(&mut c, "parentSampled", sampled.map(Json::from));
                put(&mut c, "parentSampleRate", rate);
                if self.rng.chance(5) {
                    c.insert("sampled".into(), json!(self.rng.chance(50)));
                }
            }
            Some("js") => {
                let mut attrs = attributes;
                let source = |k: &str| match k {
                    "op" => "sentry.op",
                    "origin" => "sentry.origin",
                    "method" => "http.request.method",
                    _ => "url.path",
                };
                for (k, v) in fields {
                    match (k, v) {
                        ("name", v) => put(&mut c, "name", v),
                        (k, Some(v)) => _ = attrs.insert(source(k).into(), v),
                        _ => {}
                    }
                }
                c.insert("attributes".into(), Json::Object(attrs));
                c.extend(custom);
                put(&mut c, "parentSampled", sampled.map(Json::from));
                put(&mut c, "parentSampleRate", rate);
            }
            _ => {
                let mut tc = Map::new();
                let mut environ = Map::new();
                for (k, v) in fields {
                    match (k, v) {
                        ("method", v) => put(&mut environ, "REQUEST_METHOD", v),
                        ("path", v) => put(&mut environ, "PATH_INFO", v),
                        (k, v) => put(&mut tc, k, v),
                    }
                }
                tc.insert("data".into(), Json::Object(attributes));
                c.insert("transaction_context".into(), Json::Object(tc));
                c.insert("wsgi_environ".into(), Json::Object(environ));
                c.extend(custom);
                put(&mut c, "parent_sampled", sampled.map(Json::from));
                put(&mut c, "parent_sample_rate", rate);
            }
        }
        Json::Object(c)
    }

    /// Case number `i`: a policy, a context, a `sample_rand`, and the Rust decision.
    pub fn case(&mut self, i: usize) -> Json {
        loop {
            let policy = self.policy();
            let Ok(sampler) = Sampler::from_json(&policy.to_string()) else { continue };
            let errors = policy.get("errors").is_some() && self.rng.chance(50);
            let sdk = if errors { None } else { *self.rng.pick(&[None, Some("js"), Some("python")]) };
            let context = self.context(sdk, errors);
            let decide = |rand: Option<f64>| -> Decision<'_> {
                let run = |inner: &dyn Context| {
                    let ctx = WithSampleRand::new(inner, rand);
                    if errors { sampler.decide_error(&ctx) } else { sampler.decide(&ctx) }
                };
                match sdk {
                    None => run(&Canonical::new(&context)),
                    Some("js") => run(&Js::new(&context)),
                    _ => run(&Python::new(&context)),
                }
            };
            let rate = decide(None).rate;
            let sample_rand = match self.rng.below(4) {
                0 => rate,
                1 => next_down(rate).max(0.0),
                2 => next_up(rate).min(1.0),
                _ => self.rng.unit(),
            };
            let d = decide(Some(sample_rand));
            let mut case = json!({
                "name": format!("generated #{i}"),
                "policy": policy,
                "context": context,
                "sampleRand": sample_rand,
                "expect": { "rate": d.rate, "reason": d.reason.as_str(), "ruleId": d.rule_id, "sampled": d.sampled },
            });
            if let Some(sdk) = sdk {
                case["sdk"] = json!(sdk);
            }
            if errors {
                case["kind"] = json!("error");
            }
            return case;
        }
    }
}

fn next_up(x: f64) -> f64 {
    if x >= 1.0 { x } else { f64::from_bits(x.to_bits() + 1) }
}

fn next_down(x: f64) -> f64 {
    if x <= 0.0 { x } else { f64::from_bits(x.to_bits() - 1) }
}
