//! The checkpoint vocabulary: small assertions over a trace (and the world that made
//! it), compiled from `CheckFile` tables and evaluated against a live [`Simulation`].
//! `lessons/README.md` ("Checkpoints") lists every form.

use std::ops::Range;

use toml::Spanned;

use crate::actors::defenses::{DefenseId, Defenses};
use crate::attacks::{self, Attack, Verdict, outcome};
use crate::sim::{Simulation, Step, Trace};

use super::locate::{self, locate, request_label, response_of};
use super::model::{CheckFile, StepRef};
use super::target::{INPUT_KINDS, input_kind};
use super::world::attack_of;
use crate::files::source::Report;

/// Where a parameter is looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Query,
    Form,
    Location,
    Json,
    Any,
}

pub const PLACES: &[&str] = &["query", "form", "location", "json", "any"];

/// A test on a value that may be missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueTest {
    Present,
    Absent,
    Equals(String),
    Contains(String),
}

impl ValueTest {
    fn check(&self, v: Option<&str>) -> bool {
        match self {
            ValueTest::Present => v.is_some(),
            ValueTest::Absent => v.is_none(),
            ValueTest::Equals(w) => v == Some(w.as_str()),
            ValueTest::Contains(w) => v.is_some_and(|v| v.contains(w.as_str())),
        }
    }

    fn words(&self) -> String {
        match self {
            ValueTest::Present => "is present".into(),
            ValueTest::Absent => "is absent".into(),
            ValueTest::Equals(w) => format!("equals {w:?}"),
            ValueTest::Contains(w) => format!("contains {w:?}"),
        }
    }
}

/// A step reference and where it was written.
pub type At = Spanned<StepRef>;

/// What of a JWT a `Jwt` assertion tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JwtPart {
    /// The token itself (whether it is there).
    Whole,
    /// A claim of its payload (RFC 7519 §4).
    Claim(String),
    /// A field of its JOSE header (RFC 7515 §4).
    HeaderField(String),
}

impl JwtPart {
    /// The part in a lesson's words (`claim aud`, `header alg`; nothing for the token).
    fn words(&self) -> String {
        match self {
            JwtPart::Whole => String::new(),
            JwtPart::Claim(c) => format!("claim {c}"),
            JwtPart::HeaderField(h) => format!("header {h}"),
        }
    }

    /// The part's value in a decoded JWT, as text (empty for the token itself).
    fn value_in(&self, j: &crate::sim::decode::DecodedJwt) -> Option<String> {
        match self {
            JwtPart::Whole => Some(String::new()),
            JwtPart::Claim(c) => j.claims.get(c).map(json_text),
            JwtPart::HeaderField(h) => j.header.get(h).map(json_text),
        }
    }

    /// What a check's detail calls the part.
    fn label(&self) -> &str {
        match self {
            JwtPart::Whole => "JWT",
            JwtPart::Claim(name) | JwtPart::HeaderField(name) => name,
        }
    }
}

/// The text of a step a `Text` assertion searches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepText {
    /// The step's annotation, searched without regard to case.
    Annotation,
    /// The step's one-line summary.
    Summary,
    /// The step's wire text.
    Wire,
}

impl StepText {
    /// The checkpoint field that asks for it, how a lesson names it, and what the text
    /// does with the words looked for.
    fn words(self) -> (&'static str, &'static str, &'static str) {
        match self {
            StepText::Annotation => ("annotation", "the annotation", "mentions"),
            StepText::Summary => ("summary", "the summary", "contains"),
            StepText::Wire => ("wire", "the wire text", "contains"),
        }
    }

    /// What a check's detail quotes of `s`: its annotation, else its summary (the wire
    /// text is too long to quote).
    fn quoted(self, s: &Step) -> &str {
        match self {
            StepText::Annotation => &s.annotation,
            StepText::Summary | StepText::Wire => &s.summary,
        }
    }

    /// Whether this text of `s` holds `text`.
    fn holds(self, s: &Step, text: &str) -> bool {
        match self {
            StepText::Annotation => s.annotation.to_lowercase().contains(&text.to_lowercase()),
            StepText::Summary => s.summary.contains(text),
            StepText::Wire => s.wire.contains(text),
        }
    }
}

/// One assertion.
#[derive(Debug, Clone)]
pub enum Assertion {
    /// A step matching the reference exists (or, with `false`, none does).
    Exists {
        step: At,
        exists: bool,
    },
    /// The step (or, for a request, its response) has this HTTP status.
    Status {
        step: At,
        status: u16,
    },
    /// A parameter in the step's query, form, redirect location or JSON body.
    Param {
        step: At,
        name: String,
        place: Place,
        test: ValueTest,
    },
    /// A header of the step.
    Header {
        step: At,
        name: String,
        test: ValueTest,
    },
    /// A claim (or header field) of a JWT found in the step.
    Jwt {
        step: At,
        found_in: String,
        part: JwtPart,
        test: ValueTest,
    },
    /// The step's (or its response's) OAuth error code.
    Error {
        step: At,
        code: String,
    },
    /// The step's annotation mentions this text (case-insensitive), or its one-line
    /// summary or wire text contains it.
    Text {
        step: At,
        of: StepText,
        text: String,
    },
    /// The attack's verdict.
    Verdict {
        blocked: bool,
        by: Option<String>,
        at: Option<At>,
    },
    /// A defense has a value (`on`, `off`, or a value such as `plain`).
    Defense {
        name: DefenseId,
        value: String,
    },
    /// The world runs this attack (`none`: no attack).
    Attack {
        id: Option<String>,
    },
    /// The learner applied an input of this kind.
    Input {
        kind: String,
    },
    /// Exactly these catalog attacks succeed under the world's defenses.
    Succeeding {
        ids: Vec<String>,
    },
    /// This many catalog attacks succeed under the world's defenses.
    SucceedingCount {
        count: usize,
    },
    All(Vec<Checkpoint>),
    Any(Vec<Checkpoint>),
    Not(Box<Checkpoint>),
}

/// An assertion, its wording, and where it was written.
#[derive(Debug, Clone)]
pub struct Checkpoint {
    pub says: Option<String>,
    pub assertion: Assertion,
    pub span: Range<usize>,
}

/// The world a checkpoint is evaluated in: a simulation and the attack it runs.
#[derive(Clone, Copy)]
pub struct Eval<'a> {
    pub sim: &'a Simulation,
    pub attack: Option<&'static dyn Attack>,
}

impl<'a> Eval<'a> {
    /// The world `spec` describes, run in `sim`.
    pub fn of(spec: &crate::world::WorldSpec, sim: &'a Simulation) -> Eval<'a> {
        Eval {
            sim,
            attack: spec.attack.map(crate::world::AttackId::attack),
        }
    }
}

impl Assertion {
    /// Every step the assertion names, nested ones included; `exists` locators only
    /// when `with_exists` (a lesson shows the step an `exists` check finds).
    pub fn steps(&self, with_exists: bool) -> Vec<&At> {
        match self {
            Assertion::Exists { .. } if !with_exists => Vec::new(),
            Assertion::Verdict { at, .. } => at.iter().collect(),
            Assertion::All(v) | Assertion::Any(v) => v
                .iter()
                .flat_map(|c| c.assertion.steps(with_exists))
                .collect(),
            Assertion::Not(c) => c.assertion.steps(with_exists),
            single => single.single_step().into_iter().collect(),
        }
    }

    /// The step an assertion about one message names (`exists`, `status`, `param`,
    /// `header`, `jwt`, `error`, `annotation`, `summary`, `wire`); `None` for the others.
    pub fn single_step(&self) -> Option<&At> {
        match self {
            Assertion::Exists { step, .. }
            | Assertion::Status { step, .. }
            | Assertion::Param { step, .. }
            | Assertion::Header { step, .. }
            | Assertion::Jwt { step, .. }
            | Assertion::Error { step, .. }
            | Assertion::Text { step, .. } => Some(step),
            _ => None,
        }
    }
}

/// The result of evaluating a checkpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckResult {
    pub passed: bool,
    /// What was found, in words.
    pub detail: String,
    /// The span of the step reference that could not be resolved, if that is why it failed.
    pub unresolved: Option<Range<usize>>,
}

impl CheckResult {
    fn new(passed: bool, detail: impl Into<String>) -> Self {
        CheckResult {
            passed,
            detail: detail.into(),
            unresolved: None,
        }
    }
}

/// The catalog attacks that succeed under `defenses` (each run to its end).
pub fn succeeding_attacks(defenses: &Defenses, seed: u64) -> Vec<&'static str> {
    attacks::catalog()
        .iter()
        .filter(|a| {
            attacks::run_attack(**a, seed, defenses.clone())
                .verdict
                .succeeded()
        })
        .map(|a| a.info().id)
        .collect()
}

/// The OAuth error of a response step: the `error` parameter, or the `error`
/// attribute of `WWW-Authenticate` (RFC 6750 §3).
pub fn error_code(step: &Step) -> Option<String> {
    step.decoded.param("error").or_else(|| {
        let h = step.decoded.header("www-authenticate")?;
        let i = h.find("error=\"")?;
        let rest = &h[i + 7..];
        Some(rest[..rest.find('"')?].to_string())
    })
}

fn param_in(step: &Step, name: &str, place: Place) -> Option<String> {
    let find =
        |v: &Vec<(String, String)>| v.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let d = &step.decoded;
    match place {
        Place::Query => find(&d.query),
        Place::Form => find(&d.form),
        Place::Location => find(&d.location_query),
        Place::Json => d.json.as_ref().and_then(|j| j.get(name)).map(|v| match v {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        }),
        Place::Any => d.param(name),
    }
}

fn json_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

impl Checkpoint {
    /// The assertion in words: `says`, or a generated description.
    pub fn words(&self) -> String {
        if let Some(s) = &self.says {
            return s.clone();
        }
        match &self.assertion {
            Assertion::Exists { step, exists } => {
                format!(
                    "{} {}",
                    step.get_ref(),
                    if *exists { "exists" } else { "does not happen" }
                )
            }
            Assertion::Status { step, status } => format!("{} has status {status}", step.get_ref()),
            Assertion::Param {
                step, name, test, ..
            } => format!("in {}, parameter {name} {}", step.get_ref(), test.words()),
            Assertion::Header { step, name, test } => {
                format!("in {}, header {name} {}", step.get_ref(), test.words())
            }
            Assertion::Jwt {
                step,
                found_in,
                part,
                test,
            } => format!(
                "in {}, the JWT in {found_in} has {} {}",
                step.get_ref(),
                part.words(),
                test.words()
            ),
            Assertion::Error { step, code } => format!("{} answers error {code}", step.get_ref()),
            Assertion::Text { step, of, text } => {
                let (_, name, verb) = of.words();
                format!("{name} of {} {verb} {text:?}", step.get_ref())
            }
            Assertion::Verdict { blocked, by, at } => {
                let mut s = if *blocked {
                    "the attack is blocked".to_string()
                } else {
                    "the attack succeeds".to_string()
                };
                if let Some(b) = by {
                    s.push_str(&format!(" by {b}"));
                }
                if let Some(a) = at {
                    s.push_str(&format!(" at {}", a.get_ref()));
                }
                s
            }
            Assertion::Defense { name, value } => format!("defense {name} is {value}"),
            Assertion::Attack { id: Some(id) } => format!("the attack {id} is running"),
            Assertion::Attack { id: None } => "no attack is running".into(),
            Assertion::Input { kind } => format!("the learner applied a {kind} input"),
            Assertion::Succeeding { ids } if ids.is_empty() => {
                "no attack of the catalog succeeds".into()
            }
            Assertion::Succeeding { ids } => {
                format!("exactly these attacks succeed: {}", ids.join(", "))
            }
            Assertion::SucceedingCount { count } => {
                format!("{count} attacks of the catalog succeed")
            }
            Assertion::All(v) => v
                .iter()
                .map(Checkpoint::words)
                .collect::<Vec<_>>()
                .join(", and "),
            Assertion::Any(v) => v
                .iter()
                .map(Checkpoint::words)
                .collect::<Vec<_>>()
                .join(", or "),
            Assertion::Not(c) => format!("not: {}", c.words()),
        }
    }

    /// Every step reference in the checkpoint (for validation). An `exists` check
    /// looks for a step rather than naming one, so its locator is not a reference.
    pub fn step_refs(&self) -> Vec<&At> {
        self.assertion.steps(false)
    }

    /// Evaluates the checkpoint in a world.
    pub fn evaluate(&self, ev: Eval<'_>) -> CheckResult {
        let trace = ev.sim.trace();
        let with_step = |at: &At, f: &dyn Fn(&Step) -> CheckResult| -> CheckResult {
            match locate(trace, at.get_ref()) {
                Ok(i) => f(&trace.steps[i]),
                Err(e) => CheckResult {
                    passed: false,
                    detail: e,
                    unresolved: Some(at.span()),
                },
            }
        };
        let answer = |trace: &Trace, at: &At, f: &dyn Fn(&Step) -> CheckResult| -> CheckResult {
            match locate(trace, at.get_ref()) {
                Ok(i) => match response_of(trace, i) {
                    Some(r) => f(r),
                    None => CheckResult::new(false, format!("step {i} has no response")),
                },
                Err(e) => CheckResult {
                    passed: false,
                    detail: e,
                    unresolved: Some(at.span()),
                },
            }
        };
        match &self.assertion {
            Assertion::Exists { step, exists } => match locate(trace, step.get_ref()) {
                Ok(i) => CheckResult::new(
                    *exists,
                    format!("step {i} matches: {}", trace.steps[i].summary),
                ),
                Err(e) => CheckResult::new(!*exists, e),
            },
            Assertion::Status { step, status } => answer(trace, step, &|r| {
                let got = r.decoded.status;
                CheckResult::new(
                    got == Some(*status),
                    format!(
                        "step {} has status {}",
                        r.index,
                        got.map_or("none".into(), |s| s.to_string())
                    ),
                )
            }),
            Assertion::Error { step, code } => answer(trace, step, &|r| {
                let got = error_code(r);
                CheckResult::new(
                    got.as_deref() == Some(code.as_str()),
                    format!(
                        "step {} carries error {}",
                        r.index,
                        got.as_deref().unwrap_or("none")
                    ),
                )
            }),
            Assertion::Param {
                step,
                name,
                place,
                test,
            } => with_step(step, &|s| {
                let v = param_in(s, name, *place);
                CheckResult::new(
                    test.check(v.as_deref()),
                    format!(
                        "step {}: {name} = {}",
                        s.index,
                        v.as_deref().unwrap_or("(absent)")
                    ),
                )
            }),
            Assertion::Header { step, name, test } => with_step(step, &|s| {
                let v = s.decoded.header(name);
                CheckResult::new(
                    test.check(v),
                    format!("step {}: {name}: {}", s.index, v.unwrap_or("(absent)")),
                )
            }),
            Assertion::Jwt {
                step,
                found_in,
                part,
                test,
            } => with_step(step, &|s| {
                let Some(j) = s.decoded.jwts.iter().find(|j| &j.found_in == found_in) else {
                    return CheckResult::new(
                        *test == ValueTest::Absent && *part == JwtPart::Whole,
                        format!("step {} carries no JWT in {found_in}", s.index),
                    );
                };
                let v = part.value_in(j);
                CheckResult::new(
                    test.check(v.as_deref()),
                    format!(
                        "step {}: {} = {}",
                        s.index,
                        part.label(),
                        v.as_deref().unwrap_or("(absent)")
                    ),
                )
            }),
            Assertion::Text { step, of, text } => with_step(step, &|s| {
                let detail = format!("step {}: {}", s.index, of.quoted(s));
                CheckResult::new(of.holds(s, text), detail)
            }),
            Assertion::Verdict { blocked, by, at } => {
                let Some(attack) = ev.attack else {
                    return CheckResult::new(
                        false,
                        "this world runs no attack, so there is no verdict",
                    );
                };
                let verdict = outcome::evaluate(attack, ev.sim);
                let detail = verdict.banner();
                match &verdict {
                    Verdict::Succeeded { .. } => CheckResult::new(!*blocked, detail),
                    // The attack never began: neither blocked by a defense nor a success.
                    Verdict::FlowFailed { .. } => CheckResult::new(false, detail),
                    Verdict::Blocked { step, .. } => {
                        if !*blocked {
                            return CheckResult::new(false, detail);
                        }
                        if let Some(b) = by {
                            let refuser = step.and_then(|i| trace.steps.get(i)).map(|s| {
                                if s.kind == crate::sim::StepKind::Request {
                                    s.to.as_str()
                                } else {
                                    s.from.as_str()
                                }
                            });
                            if refuser != Some(b.as_str()) {
                                return CheckResult::new(
                                    false,
                                    format!(
                                        "{detail} (refused by {})",
                                        refuser.unwrap_or("nobody")
                                    ),
                                );
                            }
                        }
                        if let Some(a) = at {
                            match locate(trace, a.get_ref()) {
                                Ok(i) if Some(i) == *step => {}
                                Ok(i) => {
                                    return CheckResult::new(
                                        false,
                                        format!("{detail} (expected step {i})"),
                                    );
                                }
                                Err(e) => {
                                    return CheckResult {
                                        passed: false,
                                        detail: e,
                                        unresolved: Some(a.span()),
                                    };
                                }
                            }
                        }
                        CheckResult::new(true, detail)
                    }
                }
            }
            Assertion::Defense { name, value } => {
                let d = ev.sim.defenses();
                let label = d.value_label(*name);
                let on = d.is_on(*name);
                let ok = match value.as_str() {
                    "on" => on,
                    "off" => !on,
                    v => label == v || label.trim_end_matches(" s") == v,
                };
                CheckResult::new(ok, format!("{name} is {label}"))
            }
            Assertion::Attack { id } => {
                let running = ev.attack.map(|a| a.info().id);
                CheckResult::new(
                    running == id.as_deref(),
                    format!("attack: {}", running.unwrap_or("none")),
                )
            }
            Assertion::Input { kind } => {
                let ok = ev.sim.inputs().iter().any(|(_, i)| input_kind(i) == kind);
                CheckResult::new(
                    ok,
                    format!("{} learner input(s) applied", ev.sim.inputs().len()),
                )
            }
            Assertion::Succeeding { ids } => {
                let got = succeeding_attacks(ev.sim.defenses(), ev.sim.seed());
                let mut want: Vec<&str> = ids.iter().map(String::as_str).collect();
                want.sort_unstable();
                let mut have = got.clone();
                have.sort_unstable();
                CheckResult::new(
                    want == have,
                    format!(
                        "succeeding: {}",
                        if got.is_empty() {
                            "none".into()
                        } else {
                            got.join(", ")
                        }
                    ),
                )
            }
            Assertion::SucceedingCount { count } => {
                let got = succeeding_attacks(ev.sim.defenses(), ev.sim.seed());
                CheckResult::new(
                    got.len() == *count,
                    format!("{} attacks succeed: {}", got.len(), got.join(", ")),
                )
            }
            Assertion::All(v) => {
                // What each part found, so that a passed check shows its values too.
                let mut found = Vec::new();
                for c in v {
                    let o = c.evaluate(ev);
                    if !o.passed {
                        return o;
                    }
                    found.push(o.detail);
                }
                CheckResult::new(true, found.join("; "))
            }
            Assertion::Any(v) => {
                let mut last = CheckResult::new(false, "no alternative given");
                for c in v {
                    let o = c.evaluate(ev);
                    if o.passed {
                        return o;
                    }
                    last = o;
                }
                last
            }
            Assertion::Not(c) => {
                let o = c.evaluate(ev);
                CheckResult::new(!o.passed, o.detail)
            }
        }
    }
}

/// The request label (`POST /token`) of a step, or its summary.
pub fn step_label(trace: &Trace, i: usize) -> String {
    trace.steps.get(i).map_or_else(String::new, |s| {
        request_label(s).unwrap_or_else(|| s.summary.to_string())
    })
}

fn value_test(c: &CheckFile, span: &Range<usize>, report: &mut Report) -> ValueTest {
    let given = [c.value.is_some(), c.contains.is_some(), c.absent.is_some()]
        .iter()
        .filter(|b| **b)
        .count();
    if given > 1 {
        report.error(
            Some(span.clone()),
            "give at most one of `value`, `contains`, `absent`",
        );
    }
    if let Some(v) = &c.value {
        ValueTest::Equals(v.clone())
    } else if let Some(v) = &c.contains {
        ValueTest::Contains(v.clone())
    } else if c.absent == Some(true) {
        ValueTest::Absent
    } else {
        ValueTest::Present
    }
}

/// The forms a checkpoint may take, for messages.
const HEADS: &str = "exists, status, param, header, jwt, error, annotation, summary, wire, verdict, defense, attack, input, succeeding, succeeding_count, all, any, not";

/// Compiles a checkpoint table, reporting what is wrong with it.
pub fn compile(file: &Spanned<CheckFile>, report: &mut Report) -> Option<Checkpoint> {
    let span = file.span();
    let c = file.get_ref();
    let heads: Vec<&str> = [
        ("exists", c.exists.is_some()),
        ("status", c.status.is_some()),
        ("param", c.param.is_some()),
        ("header", c.header.is_some()),
        ("jwt", c.jwt.is_some()),
        ("error", c.error.is_some()),
        ("annotation", c.annotation.is_some()),
        ("summary", c.summary.is_some()),
        ("wire", c.wire.is_some()),
        ("verdict", c.verdict.is_some()),
        ("defense", c.defense.is_some()),
        ("attack", c.attack.is_some()),
        ("input", c.input.is_some()),
        ("succeeding", c.succeeding.is_some()),
        ("succeeding_count", c.succeeding_count.is_some()),
        ("all", c.all.is_some()),
        ("any", c.any.is_some()),
        ("not", c.not.is_some()),
    ]
    .into_iter()
    .filter(|(_, b)| *b)
    .map(|(n, _)| n)
    .collect();
    let head = match heads.as_slice() {
        [] if c.step.is_some() => "exists",
        [] => {
            report.error(
                Some(span),
                format!("a checkpoint needs one assertion: {HEADS}"),
            );
            return None;
        }
        [h] => h,
        many => {
            report.error(
                Some(span),
                format!(
                    "a checkpoint has one assertion; this one has {}",
                    many.join(", ")
                ),
            );
            return None;
        }
    };
    let step_heads = [
        "exists",
        "status",
        "param",
        "header",
        "jwt",
        "error",
        "annotation",
        "summary",
        "wire",
    ];
    let step = if step_heads.contains(&head) {
        match &c.step {
            Some(s) => {
                if let StepRef::Locate(l) = s.get_ref() {
                    for p in locate::locator_problems(l) {
                        report.error(Some(s.span()), p);
                    }
                }
                Some(s.clone())
            }
            None => {
                report.error(Some(span.clone()), format!("`{head}` needs a `step`"));
                return None;
            }
        }
    } else {
        if let Some(s) = &c.step {
            report.error(
                Some(s.span()),
                format!("`step` has no meaning in a `{head}` checkpoint"),
            );
        }
        None
    };
    let sub = |v: &Vec<Spanned<CheckFile>>, report: &mut Report| -> Option<Vec<Checkpoint>> {
        let out: Vec<Option<Checkpoint>> = v.iter().map(|c| compile(c, report)).collect();
        out.into_iter().collect()
    };
    let assertion = match head {
        "exists" => Assertion::Exists {
            step: step?,
            exists: c.exists.unwrap_or(true),
        },
        "status" => Assertion::Status {
            step: step?,
            status: c.status?,
        },
        "error" => Assertion::Error {
            step: step?,
            code: c.error.clone()?,
        },
        "annotation" | "summary" | "wire" => {
            let (of, text) = [
                (StepText::Annotation, &c.annotation),
                (StepText::Summary, &c.summary),
                (StepText::Wire, &c.wire),
            ]
            .into_iter()
            .find(|(of, _)| of.words().0 == head)?;
            Assertion::Text {
                step: step?,
                of,
                text: text.clone()?,
            }
        }
        "param" => {
            let place = match &c.place {
                None => Place::Any,
                Some(p) => match p.get_ref().as_str() {
                    "query" => Place::Query,
                    "form" => Place::Form,
                    "location" => Place::Location,
                    "json" => Place::Json,
                    "any" => Place::Any,
                    other => {
                        report.error(
                            Some(p.span()),
                            format!(
                                "unknown place `{other}`; valid places: {}",
                                PLACES.join(", ")
                            ),
                        );
                        Place::Any
                    }
                },
            };
            Assertion::Param {
                step: step?,
                name: c.param.as_ref()?.get_ref().clone(),
                place,
                test: value_test(c, &span, report),
            }
        }
        "header" => Assertion::Header {
            step: step?,
            name: c.header.clone()?,
            test: value_test(c, &span, report),
        },
        "jwt" => {
            if c.claim.is_some() && c.jwt_header.is_some() {
                report.error(Some(span.clone()), "give `claim` or `jwt_header`, not both");
            }
            let part = match (&c.claim, &c.jwt_header) {
                (Some(claim), _) => JwtPart::Claim(claim.clone()),
                (None, Some(field)) => JwtPart::HeaderField(field.clone()),
                (None, None) => JwtPart::Whole,
            };
            Assertion::Jwt {
                step: step?,
                found_in: c.jwt.clone()?,
                part,
                test: value_test(c, &span, report),
            }
        }
        "verdict" => {
            let v = c.verdict.as_ref()?;
            let blocked = match v.get_ref().as_str() {
                "blocked" => true,
                "succeeded" | "succeeds" => false,
                other => {
                    report.error(
                        Some(v.span()),
                        format!("unknown verdict `{other}`; valid verdicts: succeeded, blocked"),
                    );
                    return None;
                }
            };
            if !blocked && (c.by.is_some() || c.at.is_some()) {
                report.error(
                    Some(span.clone()),
                    "`by` and `at` describe a blocked verdict",
                );
            }
            Assertion::Verdict {
                blocked,
                by: c.by.clone(),
                at: c.at.clone(),
            }
        }
        "defense" => {
            let n = c.defense.as_ref()?;
            let id = match DefenseId::parse(n.get_ref()) {
                Ok(id) => id,
                Err(e) => {
                    report.error(Some(n.span()), e.to_string());
                    return None;
                }
            };
            let value =
                c.is.as_ref()
                    .map_or("on".to_string(), |v| v.get_ref().clone());
            if let Err(e) = Defenses::bcp().set_value(id, &value) {
                report.error(
                    Some(c.is.as_ref().map_or(n.span(), |v| v.span())),
                    e.to_string(),
                );
            }
            Assertion::Defense { name: id, value }
        }
        "attack" => {
            let a = c.attack.as_ref()?;
            let id = attack_of(a, report).ok()?.map(|a| a.info().id.to_string());
            Assertion::Attack { id }
        }
        "input" => {
            let k = c.input.as_ref()?;
            if !INPUT_KINDS.contains(&k.get_ref().as_str()) {
                report.error(
                    Some(k.span()),
                    format!(
                        "unknown input kind `{}`; valid kinds: {}",
                        k.get_ref(),
                        INPUT_KINDS.join(", ")
                    ),
                );
            }
            Assertion::Input {
                kind: k.get_ref().clone(),
            }
        }
        "succeeding" => {
            let mut ids = Vec::new();
            for a in c.succeeding.as_ref()? {
                if let Ok(Some(found)) = attack_of(a, report) {
                    ids.push(found.info().id.to_string());
                }
            }
            Assertion::Succeeding { ids }
        }
        "succeeding_count" => Assertion::SucceedingCount {
            count: c.succeeding_count?,
        },
        "all" => Assertion::All(sub(c.all.as_ref()?, report)?),
        "any" => Assertion::Any(sub(c.any.as_ref()?, report)?),
        "not" => Assertion::Not(Box::new(compile(c.not.as_ref()?, report)?)),
        _ => return None,
    };
    Some(Checkpoint {
        says: c.says.clone(),
        assertion,
        span,
    })
}
